//! A parsed file: its tree, header, kind, encoding and findings (read by [`crate::parse`]).

use encoding_rs::UTF_8;

use crate::encoding::EncodingInfo;
use crate::error::{Code, Diagnostic, Severity};
use crate::header::Header;
use crate::line_index::{LineCol, LineIndex};
use crate::tree::{Element, Tree};

/// Which family the file belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Format {
    /// OFX 1.x (SGML header, or no header and SGML leaves).
    Ofx1,
    /// OFX 2.x (XML header, or no header and every leaf closed).
    Ofx2,
    /// Microsoft Open Financial Connectivity (`<OFC>` root).
    Ofc,
}

impl Format {
    /// `OFX 1.x`, `OFX 2.x` or `OFC`.
    pub fn label(self) -> &'static str {
        match self {
            Format::Ofx1 => "OFX 1.x",
            Format::Ofx2 => "OFX 2.x",
            Format::Ofc => "OFC",
        }
    }
}

/// How the body was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Syntax {
    /// At least one leaf without its end tag.
    Sgml,
    /// Every leaf closed (XML style).
    Xml,
}

/// A parsed file: header, element tree, encoding, and what the reader noticed.
///
/// ```
/// use ofxkit_syntax::{parse, Format};
/// let doc = parse(b"<OFX><SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS></SONRS></SIGNONMSGSRSV1></OFX>").unwrap();
/// assert_eq!(doc.format(), Format::Ofx1);
/// let status = doc.root().descendants().find(|e| e.name() == "STATUS").unwrap();
/// assert_eq!(status.child_text("CODE"), Some("0"));
/// assert_eq!(doc.line_col(status.span().start).to_string(), "1:29");
/// ```
#[derive(Debug, Clone)]
pub struct Document<'a> {
    pub(crate) tree: Tree<'a>,
    pub(crate) header: Option<Header>,
    pub(crate) format: Format,
    pub(crate) syntax: Syntax,
    pub(crate) encoding: EncodingInfo,
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// The findings left out by the cap, per code.
    pub(crate) suppressed: Vec<(Code, u64)>,
    /// Where each error the findings cap left out is, and its code.
    pub(crate) left_out_errors: Vec<(u32, &'static str)>,
    pub(crate) qfx: bool,
}

impl<'a> Document<'a> {
    /// The element tree.
    pub fn tree(&self) -> &Tree<'a> {
        &self.tree
    }

    /// The root element (`OFX` or `OFC`).
    pub fn root(&self) -> Element<'_> {
        self.tree.root()
    }

    /// The header, when the file has one.
    pub fn header(&self) -> Option<&Header> {
        self.header.as_ref()
    }

    /// OFX 1.x, OFX 2.x or OFC.
    pub fn format(&self) -> Format {
        self.format
    }

    /// True for Quicken/QuickBooks files: OFX carrying Intuit `INTU.*` elements.
    pub fn is_qfx(&self) -> bool {
        self.qfx
    }

    /// Whether leaves were closed (XML) or not (SGML).
    pub fn syntax(&self) -> Syntax {
        self.syntax
    }

    /// The header `VERSION` as a number (`102`, `211`…), when given.
    pub fn version(&self) -> Option<u16> {
        self.header.as_ref().and_then(Header::version_number)
    }

    /// The encoding the text was decoded from.
    pub fn encoding(&self) -> &EncodingInfo {
        &self.encoding
    }

    /// Everything the reader noticed, in input order.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// The findings the reader counted but did not keep, per code, beyond
    /// [`Limits::max_findings_per_code`](crate::Limits::max_findings_per_code): each
    /// code with the number left out, in the order of the diagnostics that stand for them
    /// at the end of [`diagnostics`](Self::diagnostics). Empty when nothing was left out.
    pub fn suppressed_findings(&self) -> &[(Code, u64)] {
        &self.suppressed
    }

    /// The errors the findings cap ([`Limits::max_findings_per_code`](crate::Limits)) left
    /// out of [`diagnostics`](Self::diagnostics), by start offset and code: what a converter
    /// needs to mark every row an error falls in, whatever the cap kept.
    pub fn left_out_errors(&self) -> &[(u32, &'static str)] {
        &self.left_out_errors
    }

    /// True when a diagnostic has severity error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.severity == Severity::Error)
    }

    /// The bytes spans refer to.
    pub fn source(&self) -> &[u8] {
        self.tree.source()
    }

    /// A line index of the source, for turning many offsets into line:column.
    pub fn line_index(&self) -> LineIndex<'_> {
        LineIndex::new(self.source(), self.encoding.encoding == UTF_8)
    }

    /// Line and column of one byte offset (builds a line index; use [`line_index`] for many).
    ///
    /// [`line_index`]: Document::line_index
    pub fn line_col(&self, offset: u32) -> LineCol {
        self.line_index().line_col(offset)
    }
}

/// The kind of file, from the root, the header and how leaves were written.
pub(crate) fn format_of(ofc: bool, xml: bool, header: Option<&Header>, syntax: Syntax) -> Format {
    if ofc {
        return Format::Ofc;
    }
    let by_syntax = if syntax == Syntax::Xml { Format::Ofx2 } else { Format::Ofx1 };
    match header {
        Some(h) => match (h.version_number(), h.ofxheader.as_deref()) {
            (Some(v), _) if v >= 200 => Format::Ofx2,
            (Some(_), _) => Format::Ofx1,
            (None, Some("200")) => Format::Ofx2,
            (None, Some(_)) => Format::Ofx1,
            (None, None) if xml => Format::Ofx2,
            (None, None) => by_syntax,
        },
        None => by_syntax,
    }
}
