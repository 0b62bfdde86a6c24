//! # ofxkit-syntax
//!
//! Bytes → header + element tree for OFX 1.x (SGML), OFX 2.x (XML), QFX and OFC files. This
//! crate knows markup, encodings and positions, and nothing about finance; the `ofxkit` crate
//! builds the typed model on top of it.
//!
//! - The kind of file is read from the bytes, not the name: colon header, XML header, odd
//!   header forms, or none; `<OFX>` or `<OFC>` root.
//! - SGML rules: leaf end tags may be omitted, aggregates' end tags close open leaves, and
//!   real-world breakage (misordered and stray end tags, lower-case tags, bare `&`, unclosed
//!   aggregates) is recovered where the intent is clear, with a [`Diagnostic`].
//! - Text is decoded to UTF-8 from the declared encoding, checked against the bytes (a file
//!   that says `CHARSET:1252` but holds UTF-8 is read as UTF-8, with a warning).
//! - Every element has a byte [`Span`]; [`LineIndex`] turns offsets into line:column.
//! - Nothing panics on any input, and [`Limits`] bound depth, size and counts.
//!
//! ```
//! use ofxkit_syntax::{parse, Format};
//!
//! let file = b"OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\n\
//! CHARSET:1252\nCOMPRESSION:NONE\nOLDFILEUID:NONE\nNEWFILEUID:NONE\n\n\
//! <OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><BANKTRANLIST>\n\
//! <STMTTRN><TRNTYPE>DEBIT<TRNAMT>-12.50<NAME>AT&amp;T</STMTTRN>\n\
//! </BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>";
//! let doc = parse(file)?;
//! assert_eq!(doc.format(), Format::Ofx1);
//! let trn = doc.root().descendants().find(|e| e.name() == "STMTTRN").unwrap();
//! assert_eq!(trn.child_text("NAME"), Some("AT&T"));
//! assert_eq!(doc.line_col(trn.span().start).to_string(), "12:1");
//! assert!(doc.diagnostics().is_empty());
//! # Ok::<(), ofxkit_syntax::Error>(())
//! ```
//!
//! # Where things live
//!
//! A file is read in this order; each module imports only those above it (a test,
//! `tests/structure.rs`, checks that no two modules import each other in a circle).
//!
//! | concern | module |
//! | --- | --- |
//! | byte spans, errors and findings, the findings sink, limits | `span`, `error`, `sink`, `limits` |
//! | SSE2 helpers, line:column, quoting file text in messages | `simd`, `line_index`, `shown` |
//! | bytes → lexical events: the tokenizer, the text scans, the nom reference grammar, the chunked reader; the body's events as the builder reads them (known tags, batches of leaves) | [`lex`] |
//! | what precedes the root: colon header, XML header, odd forms | `header` |
//! | the element tree: nodes, elements, which hold secrets | `tree` |
//! | encodings, entity and character references, decoding texts | `encoding`, `escape`, `decode` |
//! | what the reader knows of names (the DTD facts, passed in [`Options`]) | [`vocabulary`] |
//! | events → tree: SGML rules, recovery, the name table, streaming offers | `builder` (with `open`) |
//! | the one reading loop, body events → builder, SGML and XML alike; quick-xml's reading of an XML body's other markup | `read`, `xml_markup` |
//! | streaming: offered elements and their small trees | `stream` |
//! | the parsed file, and the pipeline that makes it | `document`, `parse` |
//! | dumps, secrets redaction, fuzz entry points | `dump`, [`secrets`], `fuzz` (feature) |
#![deny(missing_docs)]
#![forbid(unsafe_code)]
#![cfg_attr(
    not(test),
    warn(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::string_slice
    )
)]

mod builder;
mod decode;
mod document;
mod dump;
mod encoding;
mod error;
mod escape;
#[cfg(any(test, feature = "fuzz"))]
pub mod fuzz;
#[cfg(test)]
mod growth;
mod header;
pub mod lex;
mod limits;
mod line_index;
mod open;
mod parse;
mod read;
pub mod secrets;
mod shown;
mod simd;
mod sink;
mod span;
mod stream;
mod tree;
pub mod vocabulary;
mod xml_markup;

pub use document::{Document, Format, Syntax};
pub use dump::{DumpOptions, dump_json, dump_text, walk};
pub use encoding::{EncodingInfo, EncodingSource};
pub use error::{Code, Diagnostic, Error, ErrorKind, Severity};
pub use header::{Header, HeaderStyle, XmlDeclaration};
pub use limits::{Leniency, Limits, Options};
pub use line_index::{LineCol, LineCounter, LineIndex};
pub use parse::{parse, parse_owned, parse_streaming, parse_with};
pub use secrets::{
    MarkupRedactor, REDACTED, SECRET_ELEMENTS, SecretElement, is_secret, unquote_secret,
};
pub use shown::{SHOWN_CHARS, escape_controls, shown, shown_bytes};
pub use sink::left_out_message;
pub use span::Span;
pub use stream::{Offered, PlainLeaf, PlainLeaves, Taker};
pub use tree::{Children, Element, NodeId, Tree, secret_names};
pub use vocabulary::{Dialect, NameClass, NoVocabulary, Vocabulary};
