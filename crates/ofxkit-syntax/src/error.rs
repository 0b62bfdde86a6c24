//! Errors and diagnostics: values with a stable code, a severity, a message and a byte span.
//!
//! A fatal [`Error`] means no tree could be built (no root element, a limit exceeded, …).
//! Everything else the reader noticed is a [`Diagnostic`] collected beside the tree: a warning
//! when it recovered what the file meant, an error when it recovered something but the intent
//! was not clear (the tree is still returned, so a user sees as much as can be read).

use std::fmt;

use crate::span::Span;

/// How serious a [`Diagnostic`] is: one scale for the reader, the model, the validator and
/// synchronization.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename_all = "lowercase"))]
pub enum Severity {
    /// For information: nothing is wrong (a response already applied, a refresh).
    Info,
    /// Something odd that was recovered from; the meaning of the file is clear.
    Warning,
    /// Something wrong: what was read may not be what the writer meant.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

macro_rules! codes {
    ($( $(#[$doc:meta])* $variant:ident = $id:literal, )*) => {
        /// The stable identifier of a diagnostic or error. Tests and tools match on these,
        /// never on message text.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum Code {
            $( $(#[$doc])* $variant, )*
        }

        impl Code {
            /// Every code, in declaration order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The stable text form, e.g. `W-LOWERCASE-TAG`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( Code::$variant => $id, )*
                }
            }
        }
    };
}

codes! {
    /// The input is larger than [`Limits::max_input_size`](crate::Limits::max_input_size).
    InputTooLarge = "E-INPUT-TOO-LARGE",
    /// Elements nest deeper than [`Limits::max_depth`](crate::Limits::max_depth).
    DepthLimit = "E-DEPTH-LIMIT",
    /// More elements than [`Limits::max_elements`](crate::Limits::max_elements).
    ElementLimit = "E-ELEMENT-LIMIT",
    /// A text run longer than [`Limits::max_text_len`](crate::Limits::max_text_len).
    TextLimit = "E-TEXT-LIMIT",
    /// A tag name longer than [`Limits::max_name_len`](crate::Limits::max_name_len), or too
    /// many distinct names.
    NameLimit = "E-NAME-LIMIT",
    /// No `<OFX>` or `<OFC>` root element was found.
    NoRoot = "E-NO-ROOT",
    /// A header that never ends (no body follows it).
    HeaderUnterminated = "E-HEADER-UNTERMINATED",
    /// A tag that cannot be read (`<<`, `<A<B>`, `< X>`, unterminated at end of input).
    MalformedTag = "E-MALFORMED-TAG",
    /// The input ends while elements are still open.
    UnexpectedEof = "E-UNEXPECTED-EOF",
    /// An aggregate whose end tag is missing in a format that requires it.
    UnclosedAggregate = "E-UNCLOSED-AGGREGATE",
    /// A numeric character reference that is not a character (`&#0;`, `&#x110000;`, or a
    /// number of any length beyond U+10FFFF); kept as written.
    InvalidCharRef = "E-INVALID-CHAR-REF",
    /// A comment, CDATA section or processing instruction that never ends.
    UnclosedMarkup = "E-UNCLOSED-MARKUP",
    /// The XML reader rejected the markup; reading went on with the SGML rules.
    XmlSyntax = "E-XML-SYNTAX",
    /// A NUL byte inside the body.
    NulByte = "E-NUL-BYTE",
    /// The file is UTF-16; it was transcoded to UTF-8 and positions refer to the UTF-8 text.
    Utf16Transcoded = "W-UTF16-TRANSCODED",
    /// Text before the header or the root element that is not part of either.
    LeadingJunk = "W-LEADING-JUNK",
    /// The OFX 1.x header is not followed by a blank line.
    HeaderNoBlankLine = "W-HEADER-NO-BLANK-LINE",
    /// Several header fields on one line.
    HeaderOneLine = "W-HEADER-ONE-LINE",
    /// A standard header field is missing.
    HeaderMissingField = "W-HEADER-MISSING-FIELD",
    /// A header field the standard does not define (kept).
    HeaderUnknownField = "W-HEADER-UNKNOWN-FIELD",
    /// A header field has a value the standard does not allow.
    HeaderBadValue = "W-HEADER-BAD-VALUE",
    /// A header field appears twice.
    HeaderDuplicateField = "W-HEADER-DUPLICATE-FIELD",
    /// The header is written as elements (`<OFXHEADER>100</OFXHEADER>`) or inside a comment.
    HeaderOddForm = "W-HEADER-ODD-FORM",
    /// An OFX file without any header.
    NoHeader = "W-NO-HEADER",
    /// An OFX 2.x XML header over a body written with SGML rules (unclosed leaves).
    SgmlBodyUnderXmlHeader = "W-SGML-BODY-XML-HEADER",
    /// The declared character set does not match the bytes; the detected one was used.
    CharsetMismatch = "W-CHARSET-MISMATCH",
    /// A character set or code page this reader does not know; Windows-1252 was assumed.
    UnknownCharset = "W-UNKNOWN-CHARSET",
    /// Bytes that are not valid in the file's encoding; replaced by U+FFFD.
    InvalidEncoding = "W-INVALID-ENCODING",
    /// A tag name in lower or mixed case (folded to upper case).
    LowercaseTag = "W-LOWERCASE-TAG",
    /// An `&` that does not start a reference (kept as text).
    BareAmpersand = "W-BARE-AMPERSAND",
    /// A named entity other than the five predefined ones (kept literally).
    UnknownEntity = "W-UNKNOWN-ENTITY",
    /// A numeric character reference to a UTF-16 surrogate (`&#xD800;`), which is no
    /// character: read as U+FFFD, or, for a high and a low one written one after the other,
    /// as the character the pair encodes.
    SurrogateCharRef = "W-SURROGATE-CHAR-REF",
    /// An element with no value (`<NAME>` directly followed by a tag, or `<X></X>`).
    EmptyElement = "W-EMPTY-ELEMENT",
    /// An XML-style self-closing tag (`<BALAMT/>`) in an SGML body.
    SelfClosingTag = "W-SELF-CLOSING-TAG",
    /// Attributes on a tag (OFX has none); dropped.
    AttributesIgnored = "W-ATTRIBUTES-IGNORED",
    /// An end tag that matches no open element (ignored).
    StrayEndTag = "W-STRAY-END-TAG",
    /// An end tag for a leaf that an earlier tag already closed (ignored).
    RedundantEndTag = "W-REDUNDANT-END-TAG",
    /// An OFX aggregate without its end tag, where the DTDs make clear where it ended.
    MissingEndTag = "W-MISSING-END-TAG",
    /// An aggregate left open in a format where its end tag may be omitted (OFC).
    OmittedEndTag = "W-OMITTED-END-TAG",
    /// An unknown element without value or end tag: read as an empty element, and what
    /// followed it as its siblings.
    EmptyElementInferred = "W-EMPTY-ELEMENT-INFERRED",
    /// An element opened again while one of the same name was still open; the first was
    /// closed.
    ReopenedElement = "W-REOPENED-ELEMENT",
    /// Text where only elements belong.
    StrayText = "W-STRAY-TEXT",
    /// Content after the root element ended (not read).
    TrailingContent = "W-TRAILING-CONTENT",
    /// A `<!DOCTYPE>` or other declaration (ignored, never resolved).
    DeclarationIgnored = "W-DECLARATION-IGNORED",
    /// A processing instruction in the body (ignored).
    ProcessingInstruction = "W-PROCESSING-INSTRUCTION",
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One finding, from any layer (the reader, the model, the validator, synchronization): a
/// stable code, how serious it is, where it is, what it says.
///
/// Reader findings have the `E-…`/`W-…` codes of [`Code`] (compare with `d.code ==
/// Code::BareAmpersand`); the model, the validator and synchronization add their own.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Diagnostic {
    /// Stable identifier.
    pub code: &'static str,
    /// Info, warning or error.
    pub severity: Severity,
    /// Human-readable message (may change between versions; match on `code`).
    pub message: String,
    /// Byte range in the input.
    #[cfg_attr(feature = "schema", schemars(with = "SpanSchema"))]
    pub span: Span,
    /// Element path (`OFX/BANKMSGSRSV1/STMTTRNRS/STMTRS/…`), when known.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub path: Option<String>,
    /// How to fix it, when known.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub help: Option<String>,
    /// Set on the finding that stands for those of its code left out by the cap on findings
    /// per code (`Limits::max_findings_per_code`, `ValidateOptions::max_findings_per_rule`):
    /// how many were left out. It sits at the first one left out.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub left_out: Option<u64>,
}

/// The JSON form of [`Span`]: byte offsets, `end` exclusive.
#[cfg(feature = "schema")]
#[derive(schemars::JsonSchema)]
#[schemars(rename = "Span")]
#[allow(dead_code, reason = "only its schema is used")]
struct SpanSchema {
    start: u32,
    end: u32,
}

impl Diagnostic {
    /// A finding with no path or help.
    ///
    /// ```
    /// use ofxkit_syntax::{Code, Diagnostic, Severity, Span};
    /// let d = Diagnostic::new(Code::BareAmpersand, Severity::Warning, Span::new(3, 4), "`&` alone")
    ///     .at_path("OFX/NAME");
    /// assert!(d.code == Code::BareAmpersand);
    /// assert_eq!(d.to_string(), "warning[W-BARE-AMPERSAND]: `&` alone");
    /// ```
    pub fn new(
        code: impl Into<&'static str>,
        severity: Severity,
        span: Span,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            code: code.into(),
            severity,
            message: message.into(),
            span,
            path: None,
            help: None,
            left_out: None,
        }
    }

    /// Sets the element path.
    #[must_use]
    pub fn at_path(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// Sets the help text.
    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// A fatal error as a finding (for a file that could not be read at all).
impl From<&Error> for Diagnostic {
    fn from(e: &Error) -> Self {
        Diagnostic::new(e.code(), Severity::Error, e.span(), e.message())
    }
}

impl From<Code> for &'static str {
    fn from(code: Code) -> &'static str {
        code.as_str()
    }
}

/// `d.code == Code::BareAmpersand`.
impl PartialEq<Code> for &'static str {
    fn eq(&self, code: &Code) -> bool {
        *self == code.as_str()
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}[{}]: {}", self.severity, self.code, self.message)
    }
}

/// The kind of a fatal [`Error`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A configured limit was exceeded.
    LimitExceeded,
    /// The input is not an OFX, QFX or OFC file (no root element).
    NotOfx,
    /// The header could not be read.
    BadHeader,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct ErrorInner {
    kind: ErrorKind,
    code: Code,
    span: Span,
    message: String,
}

/// A fatal error: no tree could be built. Small (one pointer) so `Result<_, Error>` stays cheap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(Box<ErrorInner>);

impl Error {
    pub(crate) fn new(kind: ErrorKind, code: Code, span: Span, message: impl Into<String>) -> Self {
        Error(Box::new(ErrorInner { kind, code, span, message: message.into() }))
    }

    /// What went wrong, broadly.
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }

    /// The stable code.
    pub fn code(&self) -> Code {
        self.0.code
    }

    /// Where in the input (byte range).
    pub fn span(&self) -> Span {
        self.0.span
    }

    /// The message without position.
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// The same error as a [`Diagnostic`] (severity error), for uniform reporting.
    pub fn to_diagnostic(&self) -> Diagnostic {
        Diagnostic::new(self.0.code, Severity::Error, self.0.span, self.0.message.clone())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at byte {})", self.0.message, self.0.span.start)
    }
}

impl std::error::Error for Error {}
