//! A parsed file, and the parse pipeline: input checks → header → tokenizer → tree → encoding.

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};

use crate::builder::{Builder, Reading, Vocabulary};
use crate::decode;
use crate::encoding::EncodingInfo;
use crate::error::{Code, Diagnostic, Error, ErrorKind, Severity};
use crate::header::{self, Header};
use crate::limits::Options;
use crate::line_index::{LineCol, LineIndex};
use crate::sgml;
use crate::sink::Sink;
use crate::span::Span;
use crate::stream::{Offer, PreludeFacts, Taker};
use crate::tree::{Element, Tree};
use crate::xml;

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

/// Reads a file with the default [`Options`].
///
/// ```
/// let doc = ofxkit_syntax::parse(b"<OFC><DTD>2<CPAGE>1252</OFC>").unwrap();
/// assert_eq!(doc.root().name(), "OFC");
/// assert_eq!(doc.root().child_text("CPAGE"), Some("1252"));
/// ```
pub fn parse(input: &[u8]) -> Result<Document<'_>, Error> {
    parse_with(input, &Options::default())
}

/// Reads a file borrowed from the caller.
pub fn parse_with<'a>(input: &'a [u8], options: &Options) -> Result<Document<'a>, Error> {
    parse_cow(Cow::Borrowed(input), options, None, Reading::WithShortcuts)
}

/// Reads a file the caller hands over (the document owns it).
pub fn parse_owned(input: Vec<u8>, options: &Options) -> Result<Document<'static>, Error> {
    parse_cow(Cow::Owned(input), options, None, Reading::WithShortcuts)
}

/// Hard ceiling on input size: offsets are `u32`, and decoded text may grow 3×.
const MAX_INPUT: usize = 1 << 30;

/// The parse pipeline; `offer` names the elements to offer to a taker as they close (see
/// [`parse_streaming`](crate::parse_streaming)); `reading` is the production one, or the
/// reference the oracles compare it with (tests and the `fuzz` feature only).
pub(crate) fn parse_cow<'a>(
    input: Cow<'a, [u8]>,
    options: &Options,
    offer: Option<(&str, &mut Taker<'_>)>,
    reading: Reading,
) -> Result<Document<'a>, Error> {
    let limit = options.limits.max_input_size.min(MAX_INPUT);
    if input.len() > limit {
        return Err(Error::new(
            ErrorKind::LimitExceeded,
            Code::InputTooLarge,
            Span::point(limit as u32),
            format!("input of {} bytes exceeds the limit of {limit} bytes", input.len()),
        ));
    }
    let mut sink = Sink::new(options.limits.max_findings_per_code, options.leniency);

    // Byte-order marks; UTF-16 is transcoded so that every later step sees ASCII markup.
    let (bytes, body_start, bom) = match utf16_kind(&input) {
        Some((enc, skip)) => {
            let raw = input.get(skip..).unwrap_or_default();
            let (text, replaced) = crate::encoding::transcode_utf16(enc, raw);
            sink.report(Code::Utf16Transcoded, Span::point(0), || {
                format!(
                    "{} file transcoded to UTF-8; positions refer to the UTF-8 text",
                    enc.name()
                )
            });
            for at in replaced {
                sink.report(Code::InvalidEncoding, Span::new(at, at + 3), || {
                    "a UTF-16 code unit that is no character (a lone surrogate, or an odd byte \
                     at the end); replaced by U+FFFD"
                        .to_owned()
                });
            }
            (Cow::Owned(text.into_bytes()), 0, Some(UTF_8))
        }
        None if input.starts_with(b"\xEF\xBB\xBF") => (input, 3, Some(UTF_8)),
        None => (input, 0, None),
    };
    if bytes.len() > limit {
        return Err(Error::new(
            ErrorKind::LimitExceeded,
            Code::InputTooLarge,
            Span::point(limit as u32),
            "input exceeds the size limit once transcoded to UTF-8",
        ));
    }

    // Streaming lends texts without checking each one: the whole input is checked once here
    // (and the answer reused when the tree's source is chosen).
    let checked_utf8: Option<Option<&'a str>> = match (&offer, &bytes) {
        (Some(_), Cow::Borrowed(b)) => Some(std::str::from_utf8(b).ok()),
        _ => None,
    };
    let src: &[u8] = &bytes;
    let prelude = header::read(src, body_start, &mut sink)?;
    let vocabulary = if prelude.ofc { Vocabulary::Ofc } else { Vocabulary::Ofx };
    let mut builder = Builder::new(src, vocabulary, options.limits);
    builder.reading = reading;
    builder.xml_body = prelude.xml;
    match offer {
        Some((name, take)) => {
            builder.offer = Some(Box::new(Offer {
                name: name.into(),
                sym: None,
                take,
                prelude: PreludeFacts {
                    header: prelude.header.clone(),
                    ofc: prelude.ofc,
                    xml: prelude.xml,
                },
                parts: Default::default(),
                taken_texts: Vec::new(),
                reference_errors: Vec::new(),
                src_utf8: checked_utf8.flatten(),
                allowed: Vec::new(),
                walked: None,
            }))
        }
        None => builder.reserve((src.len() - prelude.root) / 32),
    }
    if prelude.xml {
        xml::run(src, prelude.root, &mut builder, &mut sink)?;
    } else {
        sgml::run(src, prelude.root, &mut builder, &mut sink)?;
    }
    builder.settle_xml_leaf_ends();

    let syntax = if builder.omitted_leaf_end_tags > 0 { Syntax::Sgml } else { Syntax::Xml };
    let header = prelude.header;
    let format = format_of(prelude.ofc, prelude.xml, header.as_ref(), syntax);
    if prelude.xml && syntax == Syntax::Sgml {
        let at = header.as_ref().map(|h| h.span).unwrap_or_default();
        let n = builder.omitted_leaf_end_tags;
        sink.report(Code::SgmlBodyUnderXmlHeader, at, || {
            format!("OFX 2.x XML header, but {n} leaves have no end tag (an OFX 1.x SGML body)")
        });
    }
    let qfx = builder.names.names.iter().any(|n| n.starts_with("INTU."));

    // CPAGE is ASCII digits: read it from the raw tree before decoding anything.
    let cpage = if prelude.ofc {
        (0u32..)
            .zip(builder.nodes.iter())
            .find(|(_, n)| {
                builder.names.names.get(n.name as usize).is_some_and(|s| &**s == "CPAGE")
            })
            .and_then(|(idx, n)| {
                src.get(n.text_span(idx, &builder.wide).range())
                    .and_then(|t| std::str::from_utf8(t).ok())
                    .map(str::to_owned)
            })
    } else {
        None
    };
    let declared = decode::declared(header.as_ref(), cpage.as_deref(), &mut sink);
    let default: &'static Encoding = match format {
        Format::Ofx2 => UTF_8,
        Format::Ofx1 | Format::Ofc => WINDOWS_1252,
    };
    let any_non_ascii = builder.any_non_ascii;
    let Builder { mut nodes, mut wide, names, offer, to_decode, pieces, .. } = builder;
    let taken_texts = offer.map(|o| o.taken_texts).unwrap_or_default();
    if nodes.is_empty() {
        return Err(Error::new(
            ErrorKind::NotOfx,
            Code::NoRoot,
            Span::point(prelude.root as u32),
            "no root element could be read",
        ));
    }
    let names = names.names;
    let (source, arena, encoding) = decode::finish(
        bytes,
        body_start,
        bom,
        declared,
        default,
        any_non_ascii,
        &mut nodes,
        &mut wide,
        Some(&to_decode),
        &pieces,
        &taken_texts,
        checked_utf8,
        &mut sink,
    );
    nodes.shrink_to_fit();
    let tree = Tree { source, nodes, names, arena, wide, parents: Default::default() };
    let crate::sink::Findings { mut diagnostics, suppressed, left_out_errors } = sink.finish();
    crate::secrets::quiet_diagnostics(&tree, &mut diagnostics);
    Ok(Document {
        tree,
        header,
        format,
        syntax,
        encoding,
        diagnostics,
        suppressed,
        left_out_errors,
        qfx,
    })
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

/// UTF-16 by BOM, or by the shape of ASCII markup with NUL bytes in between.
fn utf16_kind(input: &[u8]) -> Option<(&'static Encoding, usize)> {
    let b = |i: usize| input.get(i).copied();
    match (b(0), b(1), b(2), b(3)) {
        (Some(0xFF), Some(0xFE), _, _) => Some((UTF_16LE, 2)),
        (Some(0xFE), Some(0xFF), _, _) => Some((UTF_16BE, 2)),
        (Some(a), Some(0), Some(c), Some(0))
            if a != 0 && a.is_ascii() && c != 0 && c.is_ascii() =>
        {
            Some((UTF_16LE, 0))
        }
        (Some(0), Some(a), Some(0), Some(c))
            if a != 0 && a.is_ascii() && c != 0 && c.is_ascii() =>
        {
            Some((UTF_16BE, 0))
        }
        _ => None,
    }
}
