//! Why a request cannot be made.

use std::fmt;

/// A request that cannot be made from what was given (typically: an object of a replayed
/// state that lacks what OFX requires, or an id the state does not hold).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestError {
    message: String,
}

impl RequestError {
    /// An error saying `message` (text from a file in it must already be
    /// [`shown`](ofxkit_syntax::shown)).
    pub fn new(message: impl Into<String>) -> RequestError {
        RequestError { message: message.into() }
    }
}

impl fmt::Display for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RequestError {}
