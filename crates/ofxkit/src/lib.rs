//! # ofxkit
//!
//! Read OFX 1.x (SGML), OFX 2.x (XML), QFX and OFC files into a typed model, convert them to
//! JSON, NDJSON and CSV, validate them, and write them as OFX 1.x or 2.x ([`mod@write`]).
//!
//! ```
//! let doc = ofxkit::parse(b"<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>EUR\
//!   <BANKACCTFROM><BANKID>1<ACCTID>DE42<ACCTTYPE>CHECKING</BANKACCTFROM>\
//!   <BANKTRANLIST><STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20240105120000.000[+1:CET]<TRNAMT>-200,00\
//!   <FITID>1<NAME>RENT</STMTTRN></BANKTRANLIST>\
//!   <LEDGERBAL><BALAMT>1000<DTASOF>20240131</LEDGERBAL></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>")?;
//! let statement = &doc.statements()[0];
//! assert_eq!(statement.currency, Some("EUR"));
//! let t = &statement.transactions[0];
//! assert_eq!(t.amount.as_ref().unwrap().value.to_string(), "-200.00");
//! assert_eq!(t.date_posted.as_ref().unwrap().value.to_iso8601(), "2024-01-05T12:00:00.000+01:00");
//! # Ok::<(), ofxkit::Error>(())
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod amount;
mod capped;
pub mod codes;
pub mod convert;
pub mod datetime;
mod diagnostic;
mod document;
mod error;
pub mod export;
#[cfg(any(test, feature = "fuzz"))]
pub mod fuzz;
pub mod model;
pub mod plans;
mod problems;
mod read;
pub mod request;
pub mod schedule;
pub mod sync;
mod transaction_fields;
pub mod validate;
pub mod write;

pub use diagnostic::Diagnostic;
pub use document::{Document, parse, parse_owned, parse_with, with_dtd};
pub use error::{Error, ParseError, Result};
pub use ofxkit_syntax as syntax;
pub use ofxkit_syntax::{Severity, Span};

/// The exact decimal type of every amount ([`rust_decimal`]'s), so a program can sum amounts
/// with `ofxkit` alone.
pub use rust_decimal::Decimal;

/// The calendar and offset types dates are read into ([`chrono`]'s): dates keep the file's
/// own offset and are never moved into the machine's local time.
pub use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime};

/// The README's examples, run as doctests.
#[doc = include_str!("../../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
