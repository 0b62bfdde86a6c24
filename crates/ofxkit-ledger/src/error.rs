//! The crate's one error type: a small struct around a boxed kind.

use std::fmt;

/// Why a ledger operation failed. Nothing was changed by the operation that returned it: a
/// session that fails is rolled back whole.
#[derive(Debug)]
pub struct Error(Box<ErrorKind>);

/// What went wrong.
#[derive(Debug)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The database refused or failed (the driver's message).
    Database(String),
    /// Another importer holds the same file's session (PostgreSQL: the unique session hash).
    Conflict(String),
    /// The file could not be read as OFX at all (it has a position).
    Parse(ofxkit::ParseError),
    /// Reading or writing failed.
    Io(std::io::Error),
    /// The request cannot be answered (an unknown account, a bad date, …).
    Usage(String),
    /// The database holds a schema this version does not know (newer, or not a ledger).
    Schema(String),
}

impl Error {
    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.0
    }

    pub(crate) fn database(message: impl fmt::Display) -> Error {
        Error(Box::new(ErrorKind::Database(message.to_string())))
    }

    pub(crate) fn usage(message: impl Into<String>) -> Error {
        Error(Box::new(ErrorKind::Usage(message.into())))
    }

    pub(crate) fn schema(message: impl Into<String>) -> Error {
        Error(Box::new(ErrorKind::Schema(message.into())))
    }

    pub(crate) fn conflict(message: impl Into<String>) -> Error {
        Error(Box::new(ErrorKind::Conflict(message.into())))
    }

    /// True when retrying the same session may succeed (a deadlock or a serialization
    /// failure between concurrent importers, or a conflict on the session's hash).
    pub fn is_retryable(&self) -> bool {
        matches!(&*self.0, ErrorKind::Conflict(_))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &*self.0 {
            ErrorKind::Database(m) => write!(f, "database: {m}"),
            ErrorKind::Conflict(m) => write!(f, "concurrent importer: {m}"),
            ErrorKind::Parse(e) => write!(f, "not readable as OFX: {e}"),
            ErrorKind::Io(e) => write!(f, "{e}"),
            ErrorKind::Usage(m) => f.write_str(m),
            ErrorKind::Schema(m) => write!(f, "ledger schema: {m}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error(Box::new(ErrorKind::Io(e)))
    }
}

impl From<ofxkit::ParseError> for Error {
    fn from(e: ofxkit::ParseError) -> Self {
        Error(Box::new(ErrorKind::Parse(e)))
    }
}

impl From<csv::Error> for Error {
    fn from(e: csv::Error) -> Self {
        Error(Box::new(ErrorKind::Io(std::io::Error::other(e.to_string()))))
    }
}

/// The crate's result.
pub type Result<T, E = Error> = std::result::Result<T, E>;
