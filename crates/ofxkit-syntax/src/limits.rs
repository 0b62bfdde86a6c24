//! Limits against hostile input, and the leniency switches.

/// Bounds on what the reader accepts. Exceeding one is a fatal [`Error`](crate::Error) with
/// code `E-…-LIMIT` and the offset where it happened; nothing is allocated from a number found
/// in the file.
///
/// ```
/// use ofxkit_syntax::{parse_with, Limits, Options};
/// let deep: String = std::iter::once("<OFX>".to_owned()).chain((0..300).map(|i| format!("<E{i}>"))).collect();
/// let err = parse_with(deep.as_bytes(), &Options::default()).unwrap_err();
/// assert_eq!(err.code().as_str(), "E-DEPTH-LIMIT");
///
/// let options = Options { limits: Limits { max_depth: 1000, ..Limits::default() }, ..Options::default() };
/// assert!(parse_with(deep.as_bytes(), &options).is_ok());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest input in bytes (default 256 MiB; never more than `u32::MAX - 1`).
    pub max_input_size: usize,
    /// Deepest element nesting (default 256).
    pub max_depth: u32,
    /// Most elements in one file (default 20 million).
    pub max_elements: u32,
    /// Longest text run of one element, in bytes (default 1 MiB).
    pub max_text_len: u32,
    /// Longest tag name in bytes (default 128).
    pub max_name_len: u32,
    /// Most distinct tag names in one file (default 4096).
    pub max_distinct_names: u32,
    /// Most findings kept per code in one file (default 1,000; 0 keeps them all). Those
    /// beyond are counted, not kept: the diagnostics end with one per capped code, with the
    /// same code and severity, at the first one left out, saying how many were left out;
    /// [`Document::suppressed_findings`](crate::Document::suppressed_findings) has the
    /// counts. A hostile file can hold millions of findings of one kind: without the cap,
    /// each one costs memory.
    ///
    /// ```
    /// use ofxkit_syntax::{Code, Limits, Options, parse_with};
    /// let file = format!("<OFX>{}</OFX>", "<MEMO></MEMO>".repeat(5));
    /// let options = Options { limits: Limits { max_findings_per_code: 2, ..Limits::default() }, ..Options::default() };
    /// let doc = parse_with(file.as_bytes(), &options)?;
    /// let empty: Vec<_> = doc.diagnostics().iter().filter(|d| d.code == Code::EmptyElement).collect();
    /// assert_eq!(empty.len(), 3, "two kept, and the summary");
    /// assert_eq!(empty[2].message, "… and 3 more W-EMPTY-ELEMENT findings in this file were not kept");
    /// assert_eq!(doc.suppressed_findings(), [(Code::EmptyElement, 3)]);
    /// # Ok::<(), ofxkit_syntax::Error>(())
    /// ```
    pub max_findings_per_code: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_input_size: 256 << 20,
            max_depth: 256,
            max_elements: 20_000_000,
            max_text_len: 1 << 20,
            max_name_len: 128,
            max_distinct_names: 4096,
            max_findings_per_code: 1000,
        }
    }
}

/// Which real-world deviations are accepted as warnings. A switch turned off reports the same
/// finding as an error instead; the tree is built the same way either way, so a strict reader
/// still shows what it saw.
///
/// ```
/// use ofxkit_syntax::{parse_with, Leniency, Options, Severity};
/// let file = b"<OFX><signonmsgsrsv1></signonmsgsrsv1></OFX>";
///
/// let lenient = parse_with(file, &Options::default()).unwrap();
/// assert!(lenient.diagnostics().iter().all(|d| d.severity == Severity::Warning));
///
/// let options = Options { leniency: Leniency { lowercase_tags: false, ..Leniency::default() }, ..Options::default() };
/// let strict = parse_with(file, &options).unwrap();
/// assert!(strict.diagnostics().iter().any(|d| d.code == "W-LOWERCASE-TAG" && d.severity == Severity::Error));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Leniency {
    /// Lower- or mixed-case tag names are folded to upper case (`W-LOWERCASE-TAG`).
    pub lowercase_tags: bool,
    /// A bare `&` is kept as text (`W-BARE-AMPERSAND`), unknown entities literally
    /// (`W-UNKNOWN-ENTITY`), and a reference to a UTF-16 surrogate is read as U+FFFD or as
    /// the character a pair of them encodes (`W-SURROGATE-CHAR-REF`).
    pub bare_ampersand: bool,
    /// End tags out of order, stray and redundant end tags, re-opened elements
    /// (`W-STRAY-END-TAG`, `W-REDUNDANT-END-TAG`, `W-REOPENED-ELEMENT`,
    /// `W-EMPTY-ELEMENT-INFERRED`, `W-STRAY-TEXT`, `W-OMITTED-END-TAG`).
    pub misnested_tags: bool,
    /// XML-style `<X/>` and attributes in the body (`W-SELF-CLOSING-TAG`,
    /// `W-ATTRIBUTES-IGNORED`).
    pub xml_isms: bool,
    /// Elements without a value (`W-EMPTY-ELEMENT`).
    pub empty_elements: bool,
    /// Header quirks: missing or unknown fields, no blank line, one-line header, no header,
    /// odd forms, junk around it (`W-HEADER-*`, `W-NO-HEADER`, `W-LEADING-JUNK`,
    /// `W-TRAILING-CONTENT`).
    pub header_quirks: bool,
    /// Declared character set contradicted by the bytes, unknown charsets, invalid bytes
    /// (`W-CHARSET-MISMATCH`, `W-UNKNOWN-CHARSET`, `W-INVALID-ENCODING`).
    pub charset_mismatch: bool,
    /// OFX 2.x header over an SGML body (`W-SGML-BODY-XML-HEADER`).
    pub sgml_body_under_xml_header: bool,
}

impl Default for Leniency {
    fn default() -> Self {
        Leniency {
            lowercase_tags: true,
            bare_ampersand: true,
            misnested_tags: true,
            xml_isms: true,
            empty_elements: true,
            header_quirks: true,
            charset_mismatch: true,
            sgml_body_under_xml_header: true,
        }
    }
}

impl Leniency {
    /// Every switch off: each deviation is an error.
    pub fn strict() -> Self {
        Leniency {
            lowercase_tags: false,
            bare_ampersand: false,
            misnested_tags: false,
            xml_isms: false,
            empty_elements: false,
            header_quirks: false,
            charset_mismatch: false,
            sgml_body_under_xml_header: false,
        }
    }
}

/// Everything that tunes [`parse_with`](crate::parse_with).
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Bounds against hostile input.
    pub limits: Limits,
    /// Which deviations are warnings rather than errors.
    pub leniency: Leniency,
    /// What the reader knows of the element names (the DTD facts: see
    /// [`Vocabulary`](crate::Vocabulary)); `None` knows nothing, and the generic SGML rules
    /// apply alone. (`ofxkit::parse` reads with the OFX and OFC specifications' tables.)
    pub vocabulary: Option<&'static dyn crate::Vocabulary>,
}

impl PartialEq for Options {
    /// The same limits and leniency, and the same vocabulary (the same object, or none).
    fn eq(&self, other: &Self) -> bool {
        let same_vocabulary = match (self.vocabulary, other.vocabulary) {
            (None, None) => true,
            (Some(a), Some(b)) => std::ptr::addr_eq(a, b),
            _ => false,
        };
        self.limits == other.limits && self.leniency == other.leniency && same_vocabulary
    }
}

impl Eq for Options {}
