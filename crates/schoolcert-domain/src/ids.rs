//! Typed identifiers, so a board id can never be passed where a user id is meant.

/// Declares an `i64` newtype id with the usual conversions.
#[macro_export]
macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl From<i64> for $name {
            fn from(v: i64) -> Self {
                Self(v)
            }
        }
    };
}

id_type!(
    /// A school board (bevoegd gezag).
    BoardId
);
id_type!(
    /// A school location (vestiging).
    SchoolId
);
id_type!(
    /// A contact person of a board.
    ContactId
);
id_type!(
    /// A network asset: an IP prefix or a domain name.
    AssetId
);
id_type!(
    /// An account: CERT staff or a board contact.
    UserId
);
