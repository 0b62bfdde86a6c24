//! What can go wrong talking to a server.

use std::fmt;

/// Which kind of failure: whether the server answered decides the `ofxkit` exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The URL is not one to send a request to (not HTTPS outside the machine itself, not
    /// a URL).
    Url,
    /// No answer: the server could not be reached, TLS failed, the connection broke, or a
    /// timeout passed.
    Network,
    /// The server answered with an HTTP status that is not a success (3xx, 4xx, 5xx).
    HttpStatus,
    /// The answer is not OFX (an HTML error page, nothing, something else).
    NotOfx,
    /// The answer is OFX whose sign-on or transactions failed (`STATUS` an error).
    Refused,
}

/// A failed exchange with a server. Its message names what happened; text from the answer
/// in it is escaped and cut ([`ofxkit::syntax::shown`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientError {
    kind: ErrorKind,
    message: String,
    /// The HTTP status, when the server answered.
    pub status: Option<u16>,
    /// How many times the request was sent (2 after a retry).
    pub attempts: u32,
}

impl ClientError {
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> ClientError {
        ClientError { kind, message: message.into(), status: None, attempts: 0 }
    }

    /// Which kind of failure.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// True when the server answered (HTTP error, not OFX, OFX error status): `ofxkit get`
    /// exits 1 for these, 2 for the rest.
    pub fn server_answered(&self) -> bool {
        matches!(self.kind, ErrorKind::HttpStatus | ErrorKind::NotOfx | ErrorKind::Refused)
    }
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if self.attempts > 1 {
            write!(f, " (after {} attempts)", self.attempts)?;
        }
        Ok(())
    }
}

impl std::error::Error for ClientError {}
