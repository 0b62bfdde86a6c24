//! The writer's one error type.

use std::fmt;
use std::io;

use ofxkit_syntax::Span;

/// Why a document could not be written. Small (one box); the kind says what, and
/// [`span`](Self::span) where in the source file, when the document was read from one.
///
/// ```
/// use ofxkit::write::{Charset, Target, WriteOptions};
/// let doc = ofxkit::parse("<OFX><SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS>\
///   <DTSERVER>20240101<LANGUAGE>ENG</SONRS></SIGNONMSGSRSV1>\
///   <BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS>\
///   <STMTRS><CURDEF>EUR<BANKACCTFROM><BANKID>1<ACCTID>2<ACCTTYPE>CHECKING</BANKACCTFROM>\
///   <BANKTRANLIST><DTSTART>20240101<DTEND>20240131<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20240105\
///   <TRNAMT>-1.00<FITID>1<NAME>Café → Zürich</STMTTRN></BANKTRANLIST>\
///   <LEDGERBAL><BALAMT>1<DTASOF>20240131</LEDGERBAL></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>".as_bytes())?;
/// let options = WriteOptions { target: Target::Ofx1, charset: Some(Charset::Cp1252), ..Default::default() };
/// let err = doc.write_ofx(&mut Vec::new(), &options).unwrap_err();
/// assert_eq!(err.code(), "E-WRITE-CHARSET");
/// assert_eq!(err.to_string(), "<NAME> holds '→' (U+2192), which windows-1252 cannot hold");
/// // The span is the character's own, in the source.
/// let at = err.span().unwrap().start as usize;
/// assert!(doc.syntax().source()[at..].starts_with("→ Zürich".as_bytes()));
/// // With `lossy`, it is replaced by `?` and counted.
/// let lossy = WriteOptions { lossy: true, ..options };
/// let written = doc.write_ofx(&mut Vec::new(), &lossy)?;
/// assert_eq!(written.replaced, 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct WriteError(Box<WriteErrorKind>);

/// What went wrong.
#[derive(Debug)]
#[non_exhaustive]
pub enum WriteErrorKind {
    /// A character the target's encoding cannot hold (CP1252 or US-ASCII for OFX 1.x; a
    /// control character XML 1.0 forbids for OFX 2.x).
    Unrepresentable {
        /// The character.
        character: char,
        /// The element whose value holds it.
        element: String,
        /// The encoding written (`windows-1252`, `US-ASCII`, `UTF-8`).
        charset: &'static str,
        /// Where it is in the source (the character itself where the value is written in
        /// the source as it reads, else the value).
        span: Option<Span>,
    },
    /// An OFC element or value that has no OFX counterpart the writer could put in its place.
    NoCounterpart {
        /// The OFC element.
        element: String,
        /// Why it cannot be written.
        why: String,
        /// Where it is.
        span: Option<Span>,
    },
    /// A value the source did not finish (cut by the end of the input, or closed by
    /// recovery): writing it would present a possibly cut value as whole.
    Unfinished {
        /// The element.
        element: String,
        /// Where it is.
        span: Span,
    },
    /// The source file was cut short (its root ran into the end of the input).
    Truncated {
        /// Where the root is.
        span: Span,
    },
    /// A tag name that cannot be written as markup.
    BadName {
        /// The name, escaped for display.
        name: String,
        /// Where it is.
        span: Option<Span>,
    },
    /// Options that do not go together (`--to ofx1 --version 211`, OFX 2.x in CP1252).
    Options(String),
    /// Writing to the output failed.
    Io(io::Error),
}

impl WriteError {
    pub(crate) fn new(kind: WriteErrorKind) -> Self {
        WriteError(Box::new(kind))
    }

    /// What went wrong.
    pub fn kind(&self) -> &WriteErrorKind {
        &self.0
    }

    /// Where in the source it is, when the document was read from a file.
    pub fn span(&self) -> Option<Span> {
        match &*self.0 {
            WriteErrorKind::Unrepresentable { span, .. }
            | WriteErrorKind::NoCounterpart { span, .. }
            | WriteErrorKind::BadName { span, .. } => *span,
            WriteErrorKind::Unfinished { span, .. } | WriteErrorKind::Truncated { span } => {
                Some(*span)
            }
            WriteErrorKind::Options(_) | WriteErrorKind::Io(_) => None,
        }
    }

    /// A stable code: `E-WRITE-CHARSET`, `E-WRITE-NO-COUNTERPART`, `E-WRITE-UNFINISHED`,
    /// `E-WRITE-TRUNCATED`, `E-WRITE-NAME`, `E-WRITE-OPTIONS` or `E-WRITE-IO`.
    pub fn code(&self) -> &'static str {
        match &*self.0 {
            WriteErrorKind::Unrepresentable { .. } => "E-WRITE-CHARSET",
            WriteErrorKind::NoCounterpart { .. } => "E-WRITE-NO-COUNTERPART",
            WriteErrorKind::Unfinished { .. } => "E-WRITE-UNFINISHED",
            WriteErrorKind::Truncated { .. } => "E-WRITE-TRUNCATED",
            WriteErrorKind::BadName { .. } => "E-WRITE-NAME",
            WriteErrorKind::Options(_) => "E-WRITE-OPTIONS",
            WriteErrorKind::Io(_) => "E-WRITE-IO",
        }
    }

    /// True for an error of the output (the document itself could be written).
    pub fn is_io(&self) -> bool {
        matches!(&*self.0, WriteErrorKind::Io(_))
    }
}

impl From<io::Error> for WriteError {
    fn from(e: io::Error) -> Self {
        WriteError::new(WriteErrorKind::Io(e))
    }
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &*self.0 {
            WriteErrorKind::Unrepresentable { character, element, charset, .. } => {
                let shown: String = character.escape_debug().collect();
                write!(
                    f,
                    "<{element}> holds '{shown}' (U+{:04X}), which {charset} cannot hold",
                    u32::from(*character)
                )
            }
            WriteErrorKind::NoCounterpart { element, why, .. } => {
                write!(f, "OFC <{element}> has no OFX counterpart: {why}")
            }
            WriteErrorKind::Unfinished { element, .. } => write!(
                f,
                "the value of <{element}> was not finished in the source (cut or closed by \
                 recovery): it may not be whole"
            ),
            WriteErrorKind::Truncated { .. } => {
                f.write_str("the source file is cut short: it ends inside its root element")
            }
            WriteErrorKind::BadName { name, .. } => {
                write!(f, "the tag name \"{name}\" cannot be written as markup")
            }
            WriteErrorKind::Options(why) => f.write_str(why),
            WriteErrorKind::Io(e) => write!(f, "write failed: {e}"),
        }
    }
}

impl fmt::Debug for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl std::error::Error for WriteError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &*self.0 {
            WriteErrorKind::Io(e) => Some(e),
            _ => None,
        }
    }
}
