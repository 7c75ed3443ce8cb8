//! Storage errors, with the database's constraint violations turned into meaningful variants.

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    #[error("already exists ({0})")]
    Duplicate(String),
    #[error("refers to something that does not exist ({0})")]
    MissingReference(String),
    #[error("the database refused the value ({0})")]
    Invalid(String),
    #[error("cannot open the database: {0}")]
    Open(String),
    #[error("migrating the database failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("database error: {0}")]
    Database(sqlx::Error),
    #[error("stored data is inconsistent: {0}")]
    Corrupt(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::Database(d) => {
                let what = d.constraint().unwrap_or_else(|| d.message()).to_owned();
                match d.kind() {
                    sqlx::error::ErrorKind::UniqueViolation => StoreError::Duplicate(what),
                    sqlx::error::ErrorKind::ForeignKeyViolation => {
                        StoreError::MissingReference(what)
                    }
                    sqlx::error::ErrorKind::CheckViolation
                    | sqlx::error::ErrorKind::NotNullViolation => StoreError::Invalid(what),
                    _ => StoreError::Database(e),
                }
            }
            _ => StoreError::Database(e),
        }
    }
}

impl StoreError {
    pub fn is_duplicate(&self) -> bool {
        matches!(self, StoreError::Duplicate(_))
    }
}
