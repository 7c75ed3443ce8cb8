//! Typed identifiers of case objects, so a message id can never be passed where a case id is meant.

use schoolcert_domain::id_type;

id_type!(
    /// An incident case or a CVD case.
    CaseId
);
id_type!(
    /// An incoming report (melding) before or after it is linked to a case.
    ReportId
);
id_type!(
    /// A message or note inside a case.
    MessageId
);
id_type!(
    /// A checklist task inside a case.
    TaskId
);
id_type!(
    /// An observable (IP, domain, URL, hash, e-mail address) inside a case.
    ObservableId
);
id_type!(
    /// A stored attachment.
    AttachmentId
);
id_type!(
    /// A chain partner in the organisation register (supplier, police, AP, NCSC, insurer).
    PartyId
);
id_type!(
    /// A sector incident linking the cases of many boards.
    SectorIncidentId
);
