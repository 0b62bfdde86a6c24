//! [`Error`], the library's one error type.
//!
//! Each fallible function returns the error that says exactly what it can fail with (a
//! [`ParseError`] from [`parse`](crate::parse), a [`WriteError`] from writing OFX, …), and
//! every one of them converts into [`Error`] with `?`, so a program that reads, converts,
//! writes and replays needs one error type:
//!
//! ```
//! use ofxkit::write::{Target, WriteOptions};
//!
//! fn upgrade(ofc: &[u8]) -> ofxkit::Result<Vec<u8>> {
//!     let doc = ofxkit::parse(ofc)?; // a ParseError
//!     let options = WriteOptions { target: Target::Ofx2, ..Default::default() };
//!     let mut out = Vec::new();
//!     doc.write_ofx(&mut out, &options)?; // a WriteError
//!     Ok(out)
//! }
//! let written = upgrade(b"<OFC><ACCTSTMT><ACCTFROM><ACCTID>42</ACCTFROM><STMTRS>\
//!     <STMTTRN><TRNTYPE>1<DTPOSTED>20240105<TRNAMT>-12.50<FITID>7</STMTTRN>\
//!     </STMTRS></ACCTSTMT></OFC>")?;
//! assert!(written.starts_with(b"<?xml"));
//! let err = upgrade(b"").unwrap_err();
//! assert_eq!(err.code(), Some("E-NO-ROOT"));
//! # Ok::<(), ofxkit::Error>(())
//! ```

use std::fmt;
use std::io;

use crate::Span;
use crate::amount::AmountError;
use crate::convert::AddError;
use crate::datetime::DateError;
use crate::plans::StateError;
use crate::request::RequestError;
use crate::schedule::{PlanError, ToOfxError};
use crate::write::WriteError;

/// Why the bytes could not be read as OFX at all (the syntax crate's error: a code and the
/// span it points at). Every other finding is a [`Diagnostic`](crate::Diagnostic) of the
/// document, not an error.
pub use ofxkit_syntax::Error as ParseError;

/// A result whose error is the library's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Any error of the library. Each variant holds the precise error a function returned;
/// [`code`](Error::code) and [`span`](Error::span) reach the code and position of those
/// that have them, and [`source`](std::error::Error::source) the error itself.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The input could not be read as OFX at all.
    Parse(ParseError),
    /// The document could not be written as OFX.
    Write(WriteError),
    /// Reading or writing bytes failed.
    Io(io::Error),
    /// With [`OnError::Fail`](crate::convert::OnError::Fail): a row has problems, so the
    /// conversion stopped before it.
    RowProblems {
        /// The line where the row's element starts.
        line: u32,
        /// The codes of the errors found inside it.
        problems: Vec<&'static str>,
    },
    /// A text is not an amount.
    Amount(AmountError),
    /// A text is not a date.
    Date(DateError),
    /// A bill-pay synchronization state (JSON) could not be read.
    SyncState(serde_json::Error),
    /// A card-plan state could not be read.
    PlanState(StateError),
    /// A recurring model cannot be scheduled.
    Plan(PlanError),
    /// A recurrence cannot be written as an OFX recurring model.
    Recurrence(ToOfxError),
    /// A request cannot be built as asked (a missing token, an id the state does not hold).
    Request(RequestError),
}

impl Error {
    /// The stable code of the error (`E-EMPTY`, `E-WRITE-UNREPRESENTABLE`,
    /// `E-AMOUNT-SYNTAX`, …) when it has one.
    pub fn code(&self) -> Option<&'static str> {
        match self {
            Error::Parse(e) => Some(e.code().as_str()),
            Error::Write(e) => Some(e.code()),
            Error::Amount(e) => Some(e.code()),
            Error::Date(e) => Some(e.code()),
            _ => None,
        }
    }

    /// Where in the input the error is, when it points at a place.
    pub fn span(&self) -> Option<Span> {
        match self {
            Error::Parse(e) => Some(e.span()),
            Error::Write(e) => e.span(),
            _ => None,
        }
    }

    /// True when the error is the system's (reading or writing bytes), not the input's.
    pub fn is_io(&self) -> bool {
        match self {
            Error::Io(_) => true,
            Error::Write(e) => e.is_io(),
            _ => false,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Parse(e) => e.fmt(f),
            Error::Write(e) => e.fmt(f),
            Error::Io(e) => e.fmt(f),
            Error::RowProblems { line, problems } => {
                write!(f, "line {line}: the row has problems ({}); stopped", problems.join(", "))
            }
            Error::Amount(e) => e.fmt(f),
            Error::Date(e) => e.fmt(f),
            Error::SyncState(e) => write!(f, "the synchronization state cannot be read: {e}"),
            Error::PlanState(e) => write!(f, "the plan state cannot be read: {e}"),
            Error::Plan(e) => e.fmt(f),
            Error::Recurrence(e) => e.fmt(f),
            Error::Request(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Parse(e) => Some(e),
            Error::Write(e) => Some(e),
            Error::Io(e) => Some(e),
            Error::RowProblems { .. } => None,
            Error::Amount(e) => Some(e),
            Error::Date(e) => Some(e),
            Error::SyncState(e) => Some(e),
            Error::PlanState(e) => Some(e),
            Error::Plan(e) => Some(e),
            Error::Recurrence(e) => Some(e),
            Error::Request(e) => Some(e),
        }
    }
}

macro_rules! from {
    ($($variant:ident($ty:ty)),* $(,)?) => {$(
        impl From<$ty> for Error {
            fn from(e: $ty) -> Error {
                Error::$variant(e)
            }
        }
    )*};
}

from!(
    Parse(ParseError),
    Write(WriteError),
    Io(io::Error),
    Amount(AmountError),
    Date(DateError),
    SyncState(serde_json::Error),
    PlanState(StateError),
    Plan(PlanError),
    Recurrence(ToOfxError),
    Request(RequestError),
);

impl From<AddError> for Error {
    fn from(e: AddError) -> Error {
        match e {
            AddError::Parse(e) => Error::Parse(e),
            AddError::Io(e) => Error::Io(e),
            AddError::Problem { line, problems } => Error::RowProblems { line, problems },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::error::Error as _;

    #[test]
    fn every_error_keeps_its_code_position_and_source() {
        let parse = crate::parse(b"").map(|_| ()).map_err(Error::from).unwrap_err();
        assert_eq!(parse.code(), Some("E-NO-ROOT"));
        assert_eq!(parse.span(), Some(Span::new(0, 0)));
        assert!(parse.source().is_some_and(|s| s.is::<ParseError>()));
        assert!(!parse.is_io());

        let amount = crate::amount::parse_amount("+-1", crate::amount::Dialect::Ofx)
            .map(|_| ())
            .map_err(Error::from)
            .unwrap_err();
        let inner = crate::amount::parse_amount("+-1", crate::amount::Dialect::Ofx).unwrap_err();
        assert_eq!(amount.code(), Some(inner.code()));
        assert_eq!(amount.to_string(), inner.to_string());

        let state = crate::sync::SyncState::from_json("[]").map(|_| ()).map_err(Error::from);
        let state = state.unwrap_err();
        assert!(state.to_string().starts_with("the synchronization state cannot be read"));
        assert_eq!(state.code(), None);

        let io = Error::from(io::Error::other("disk full"));
        assert!(io.is_io());
        assert_eq!(io.to_string(), "disk full");

        let stopped = Error::from(AddError::Problem { line: 7, problems: vec!["E-X"] });
        assert_eq!(stopped.to_string(), "line 7: the row has problems (E-X); stopped");
    }
}
