//! The parse pipeline: input checks → header → body events → tree → encoding, for a whole
//! file ([`parse`], [`parse_with`], [`parse_owned`]) or while offering its elements as they
//! close ([`parse_streaming`]).

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};

use crate::builder::{Builder, Vocabulary};
use crate::decode;
use crate::document::{Document, Format, Syntax, format_of};
use crate::error::{Code, Error, ErrorKind};
use crate::header;
use crate::limits::Options;
use crate::read::{self, Reading};
use crate::sink::Sink;
use crate::span::Span;
use crate::stream::{Offer, PreludeFacts, Taker};
use crate::tree::Tree;

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
    parse_cow(Cow::Borrowed(input), options, None, Reading::Production)
}

/// Reads a file the caller hands over (the document owns it).
pub fn parse_owned(input: Vec<u8>, options: &Options) -> Result<Document<'static>, Error> {
    parse_cow(Cow::Owned(input), options, None, Reading::Production)
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
    builder.names.set_facts(crate::vocabulary::of(options.vocabulary));
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
    read::read(src, prelude.root, reading, prelude.xml, &mut builder, &mut sink)?;
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
    crate::tree::quiet_diagnostics(&tree, &mut diagnostics);
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

/// Reads a file like [`parse_with`](crate::parse_with), offering each closed element named
/// `name` that is final (see the module documentation) to `take`. When `take` returns
/// `true` the element is left out of the returned tree.
///
/// ```
/// use ofxkit_syntax::{Options, parse_streaming};
/// let file = b"<OFX><BANKTRANLIST><STMTTRN><NAME>AT&T</STMTTRN><STMTTRN><NAME>&lt;2&gt;</STMTTRN>\
///     <STMTTRN><NAME>CAF\xC9</STMTTRN><STMTTRN><NAME>4</STMTTRN></BANKTRANLIST></OFX>";
/// let mut seen = Vec::new();
/// // Offers need the names known: read with the OFX and OFC tables.
/// let doc = parse_streaming(file, &Options { vocabulary: Some(&ofxkit_schema::DTD), ..Options::default() }, "STMTTRN", &mut |t| {
///     seen.push(t.element().child_text("NAME").unwrap_or_default().to_owned());
///     true
/// })?;
/// // The third holds a byte above 0x7F, whose meaning waits for the whole file: it is not
/// // offered, and stays in the tree with the one after it (offers go in order).
/// assert_eq!(seen, ["AT&T", "<2>"]);
/// let list = doc.root().child("BANKTRANLIST").unwrap();
/// let left: Vec<_> = list.children().map(|t| t.child_text("NAME").unwrap()).collect();
/// assert_eq!(left, ["CAF\u{c9}", "4"]);
/// // The bare `&` of a taken one is still reported.
/// assert!(doc.diagnostics().iter().any(|d| d.code == ofxkit_syntax::Code::BareAmpersand));
/// # Ok::<(), ofxkit_syntax::Error>(())
/// ```
pub fn parse_streaming<'a>(
    input: &'a [u8],
    options: &Options,
    name: &str,
    take: &mut Taker<'_>,
) -> Result<Document<'a>, Error> {
    parse_cow(Cow::Borrowed(input), options, Some((name, take)), Reading::Production)
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
