//! After the tree is built: choose the encoding and turn each text that is not already UTF-8
//! as written (other encodings, references, CR line breaks) into decoded text in the arena.

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

use crate::encoding::{self, EncodingInfo, EncodingSource, Utf8Check};
use crate::error::Code;
use crate::escape;
use crate::header::Header;
use crate::shown::shown;
use crate::sink::Sink;
use crate::span::Span;

/// A piece of the text of a leaf split by comments, processing instructions or CDATA
/// boundaries (see [`flags::TEXT_JOINED`](crate::tree::flags::TEXT_JOINED)): a run of the input, taken literally when it is
/// a CDATA section's content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Piece {
    /// The leaf's node index.
    pub(crate) idx: u32,
    pub(crate) span: Span,
    pub(crate) literal: bool,
}
use crate::tree::{Node, Source, Wide, flags};

/// What the file declares, as (encoding, the declaration as written).
pub(crate) fn declared(
    header: Option<&Header>,
    cpage: Option<&str>,
    sink: &mut Sink,
) -> Option<(&'static Encoding, String)> {
    if let Some(h) = header {
        if let Some(label) = h.xml_declaration.as_ref().and_then(|d| d.encoding.as_deref())
            && h.ofxheader.as_deref() != Some("100")
        {
            {
                return match encoding::label(label) {
                    Some(e) => Some((e, format!("encoding=\"{label}\""))),
                    None => {
                        sink.report(Code::UnknownCharset, h.span, || {
                            format!("unknown encoding \"{}\"; UTF-8 assumed", shown(label))
                        });
                        Some((UTF_8, format!("encoding=\"{label}\"")))
                    }
                };
            }
        }
        if h.encoding.is_some() || h.charset.is_some() {
            let text = format!(
                "ENCODING:{} CHARSET:{}",
                h.encoding.as_deref().unwrap_or("-"),
                h.charset.as_deref().unwrap_or("-")
            );
            return match encoding::from_ofx1_header(h.encoding.as_deref(), h.charset.as_deref()) {
                Some(e) => Some((e, text)),
                None => {
                    sink.report(Code::UnknownCharset, h.span, || {
                        format!("unknown character set in {}; Windows-1252 assumed", shown(&text))
                    });
                    Some((WINDOWS_1252, text))
                }
            };
        }
    }
    if let Some(cp) = cpage {
        return match encoding::label(cp) {
            Some(e) => Some((e, format!("CPAGE {cp}"))),
            None => {
                sink.report(Code::UnknownCharset, Span::default(), || {
                    format!("unknown code page CPAGE {}; Windows-1252 assumed", shown(cp))
                });
                Some((WINDOWS_1252, format!("CPAGE {cp}")))
            }
        };
    }
    None
}

/// Chooses the encoding and builds the source and the arena texts.
#[allow(clippy::too_many_arguments)]
pub(crate) fn finish<'a>(
    bytes: Cow<'a, [u8]>,
    body_start: usize,
    bom: Option<&'static Encoding>,
    declared: Option<(&'static Encoding, String)>,
    default: &'static Encoding,
    any_non_ascii: bool,
    nodes: &mut [Node],
    wide: &mut Wide,
    to_decode: Option<&[u32]>,
    pieces: &[Piece],
    taken_texts: &[Span],
    checked_utf8: Option<Option<&'a str>>,
    sink: &mut Sink,
) -> (Source<'a>, String, EncodingInfo) {
    let (declared_enc, declared_text) = match declared {
        Some((e, t)) => (Some(e), Some(t)),
        None => (None, None),
    };
    let mut info = match (bom, declared_enc) {
        (Some(e), _) => EncodingInfo {
            encoding: e,
            declared: declared_text.clone(),
            source: EncodingSource::Bom,
        },
        (None, Some(e)) => EncodingInfo {
            encoding: e,
            declared: declared_text.clone(),
            source: EncodingSource::Declared,
        },
        (None, None) => {
            EncodingInfo { encoding: default, declared: None, source: EncodingSource::Default }
        }
    };

    // Only text with bytes >= 0x80 can tell encodings apart.
    let mut damaged_at = None;
    if any_non_ascii && info.source != EncodingSource::Bom {
        let body = bytes.get(body_start..).unwrap_or_default();
        match encoding::check_utf8(body) {
            Utf8Check::Valid if info.encoding != UTF_8 => {
                let was = info.encoding.name();
                sink.report(Code::CharsetMismatch, Span::default(), || {
                    format!(
                        "the file declares {} ({was}) but its bytes are UTF-8; read as UTF-8",
                        shown(declared_text.as_deref().unwrap_or("nothing"))
                    )
                });
                info = EncodingInfo {
                    encoding: UTF_8,
                    declared: declared_text.clone(),
                    source: EncodingSource::Detected,
                };
            }
            Utf8Check::NotUtf8 if info.encoding == UTF_8 => {
                sink.report(Code::CharsetMismatch, Span::default(), || {
                    format!(
                        "the file declares {} but its bytes are not UTF-8; read as Windows-1252",
                        shown(declared_text.as_deref().unwrap_or("UTF-8"))
                    )
                });
                info = EncodingInfo {
                    encoding: WINDOWS_1252,
                    declared: declared_text.clone(),
                    source: EncodingSource::Detected,
                };
            }
            Utf8Check::Damaged(at) if info.encoding == UTF_8 => {
                damaged_at = Some(at + body_start);
            }
            _ => {}
        }
    }
    if let Some(at) = damaged_at {
        let at = at as u32;
        sink.report(Code::InvalidEncoding, Span::new(at, at + 1), || {
            "bytes that are not valid UTF-8; replaced by U+FFFD".to_owned()
        });
    }

    let utf8 = info.encoding == UTF_8;
    // A UTF-8 file whose bytes are valid can lend `&str` slices directly; so can a file in
    // any encoding whose texts are all ASCII (then `Element::text` need not check UTF-8 again).
    let source = if damaged_at.is_none() && (utf8 || !any_non_ascii) {
        match bytes {
            // `checked_utf8`: the whole input was already checked (streaming does it first).
            Cow::Borrowed(b) => match checked_utf8.unwrap_or_else(|| std::str::from_utf8(b).ok()) {
                Some(s) => Source::Utf8(Cow::Borrowed(s)),
                None => Source::Bytes(Cow::Borrowed(b)),
            },
            Cow::Owned(v) => match String::from_utf8(v) {
                Ok(s) => Source::Utf8(Cow::Owned(s)),
                Err(e) => Source::Bytes(Cow::Owned(e.into_bytes())),
            },
        }
    } else {
        Source::Bytes(bytes)
    };
    let borrow_non_ascii = utf8 && matches!(source, Source::Utf8(_));

    let src = source.bytes();
    let mut arena = String::new();
    let mut scratch = String::new();
    // The texts with `&` of elements taken while streaming (no longer in `nodes`) are
    // reported in their place among the others, as if they were still there.
    let mut taken = taken_texts.iter().peekable();
    // The flags of a text that goes to the arena: one test per node.
    let decoded = flags::TEXT_AMP
        | flags::TEXT_CR
        | flags::TEXT_JOINED
        | if borrow_non_ascii { 0 } else { flags::TEXT_NON_ASCII };
    // The pieces of the texts made of them, in node order as the nodes come.
    let mut pieces = pieces.iter().peekable();
    // The nodes that may need it, when the builder listed them; else every node.
    let indexes: Box<dyn Iterator<Item = u32>> = match to_decode {
        Some(list) => Box::new(list.iter().copied()),
        None => Box::new(0..nodes.len() as u32),
    };
    for idx in indexes {
        let Some(node) = nodes.get_mut(idx as usize) else { continue };
        if node.flags & decoded == 0 || !node.is_leaf() {
            continue;
        }
        if node.flags & flags::TEXT_JOINED != 0 {
            while pieces.next_if(|p| p.idx < idx).is_some() {}
            let mut parts = Vec::new();
            while let Some(p) = pieces.next_if(|p| p.idx == idx) {
                parts.push((p.span, p.literal));
            }
            let first = parts.first().map_or(0, |(s, _)| s.start);
            while let Some(t) = taken.next_if(|t| t.start < first) {
                escape::report(src.get(t.range()).unwrap_or_default(), t.start, sink);
            }
            let how = Decoding { utf8, encoding: info.encoding };
            push_joined(node, idx, wide, src, &mut parts, how, &mut arena, sink);
            continue;
        }
        let amp = node.flags & flags::TEXT_AMP != 0;
        let span = node.text_span(idx, wide);
        if span.is_empty() {
            continue;
        }
        let raw = src.get(span.range()).unwrap_or_default();
        if amp {
            while let Some(t) = taken.next_if(|t| t.start < span.start) {
                escape::report(src.get(t.range()).unwrap_or_default(), t.start, sink);
            }
            escape::report(raw, span.start, sink);
        }
        let decoded: Cow<'_, str> = if node.flags & flags::TEXT_NON_ASCII == 0 {
            Cow::Borrowed(std::str::from_utf8(raw).unwrap_or_default())
        } else if utf8 {
            String::from_utf8_lossy(raw)
        } else {
            info.encoding.decode_without_bom_handling(raw).0
        };
        push_decoded(node, idx, wide, decoded, &mut arena, &mut scratch);
    }
    for t in taken {
        escape::report(src.get(t.range()).unwrap_or_default(), t.start, sink);
    }
    (source, arena, info)
}

/// How the bytes of a text are turned into UTF-8.
#[derive(Clone, Copy)]
struct Decoding {
    /// The file is UTF-8 (invalid bytes become U+FFFD).
    utf8: bool,
    encoding: &'static Encoding,
}

impl Decoding {
    fn decode<'r>(&self, raw: &'r [u8]) -> Cow<'r, str> {
        if raw.is_ascii() {
            Cow::Borrowed(std::str::from_utf8(raw).unwrap_or_default())
        } else if self.utf8 {
            String::from_utf8_lossy(raw)
        } else {
            self.encoding.decode_without_bom_handling(raw).0
        }
    }
}

/// Appends the text of a leaf made of pieces (see [`flags::TEXT_JOINED`]) to `arena`: the
/// pieces joined, without the blanks at the end of the last ones, each decoded from the
/// file's encoding, its line breaks normalised and, unless it is a CDATA section's content,
/// its references resolved (and reported). Points the node at it.
#[allow(clippy::too_many_arguments)]
fn push_joined(
    node: &mut Node,
    idx: u32,
    wide: &mut Wide,
    src: &[u8],
    parts: &mut Vec<(Span, bool)>,
    how: Decoding,
    arena: &mut String,
    sink: &mut Sink,
) {
    while let Some((span, _)) = parts.last_mut() {
        let raw = src.get(span.range()).unwrap_or_default();
        match raw.iter().rposition(|b| !b.is_ascii_whitespace()) {
            Some(last) => {
                span.end = span.start + last as u32 + 1;
                break;
            }
            None => {
                parts.pop();
            }
        }
    }
    let start = arena.len();
    for &(span, literal) in parts.iter() {
        let raw = src.get(span.range()).unwrap_or_default();
        let decoded = how.decode(raw);
        let decoded: Cow<'_, str> = if decoded.contains('\r') {
            Cow::Owned(decoded.replace("\r\n", "\n").replace('\r', "\n"))
        } else {
            decoded
        };
        if !literal && memchr::memchr(b'&', raw).is_some() {
            escape::report(raw, span.start, sink);
            escape::unescape_into(&decoded, arena);
        } else {
            arena.push_str(&decoded);
        }
    }
    let end = node.end(idx, wide);
    node.set_text(idx, Span::new(start as u32, arena.len() as u32), true, end, wide);
}

/// Appends a leaf's text, already decoded from the file's encoding, to `arena` with its line
/// breaks normalised (`TEXT_CR`) and references resolved (`TEXT_AMP`), and points the node
/// (at index `idx`, its wide lengths in `wide`) at it.
pub(crate) fn push_decoded(
    node: &mut Node,
    idx: u32,
    wide: &mut Wide,
    decoded: Cow<'_, str>,
    arena: &mut String,
    scratch: &mut String,
) {
    let decoded: Cow<'_, str> = if node.flags & flags::TEXT_CR != 0 {
        Cow::Owned(decoded.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        decoded
    };
    let start = arena.len();
    if node.flags & flags::TEXT_AMP != 0 {
        scratch.clear();
        escape::unescape_into(&decoded, scratch);
        arena.push_str(scratch);
    } else {
        arena.push_str(&decoded);
    }
    let end = node.end(idx, wide);
    node.set_text(idx, Span::new(start as u32, arena.len() as u32), true, end, wide);
}
