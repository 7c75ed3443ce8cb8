//! Pure vulnerability information: catalogue, CSAF/CVE/KEV/EPSS, matching, priorities, publishing.
