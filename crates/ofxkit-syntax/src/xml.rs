//! The XML tokenizer for OFX 2.x bodies, on quick-xml.
//!
//! quick-xml reads the markup (comments, CDATA, processing instructions, DOCTYPE, attributes);
//! end-tag matching is ours (`check_end_names` off), so that the same builder rules apply to
//! every file, and an XML header over an SGML body still reads. quick-xml never expands
//! entities or reads a DTD. When it rejects something, reading continues from that point with
//! the SGML tokenizer, which recovers from more.

use quick_xml::Reader;
use quick_xml::events::Event;

use crate::builder::Builder;
use crate::error::{Code, Error};
use crate::sgml::{self, Token};
use crate::sink::Sink;
use crate::span::Span;

fn valid_name(name: &[u8]) -> bool {
    match name.split_first() {
        Some((first, rest)) => {
            (first.is_ascii_alphabetic() || *first == b'_')
                && rest
                    .iter()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b':'))
        }
        None => false,
    }
}

/// Reads `src[pos..]` as XML into the builder.
pub(crate) fn run(
    src: &[u8],
    pos: usize,
    builder: &mut Builder<'_>,
    sink: &mut Sink,
) -> Result<(), Error> {
    let body = src.get(pos..).unwrap_or_default();
    let mut reader = Reader::from_reader(body);
    {
        let config = reader.config_mut();
        config.check_end_names = false;
        config.allow_unmatched_ends = true;
        config.allow_dangling_amp = true;
        config.expand_empty_elements = false;
        config.trim_text(false);
    }
    let base = pos;
    // Contiguous text (text and references) waiting to be handed over as one run.
    let mut text: Option<Span> = None;
    let span_of = |a: u64, b: u64| Span::new((base as u64 + a) as u32, (base as u64 + b) as u32);

    loop {
        if builder.done() {
            break;
        }
        let before = reader.buffer_position();
        let event = reader.read_event();
        let after = reader.buffer_position();
        let span = span_of(before, after);
        let token = match event {
            Ok(Event::Text(_)) | Ok(Event::GeneralRef(_)) => {
                text = Some(match text {
                    Some(t) => t.to(span),
                    None => span,
                });
                continue;
            }
            Ok(event) => event,
            Err(e) => {
                flush(&mut text, builder, sink)?;
                let at = base as u64 + reader.error_position();
                let at = (at as usize).min(src.len());
                sink.report(
                    Code::XmlSyntax,
                    Span::new(at as u32, (at as u32).saturating_add(1)),
                    || format!("XML syntax error: {e}; reading on with the SGML rules"),
                );
                return sgml::run(src, at.max(before as usize + base), builder, sink);
            }
        };
        flush(&mut text, builder, sink)?;
        let token = match token {
            Event::Start(e) | Event::Empty(e) => {
                let name = e.name();
                let name = name.as_ref();
                if !valid_name(name) {
                    return sgml::run(src, span.start as usize, builder, sink);
                }
                let self_closing = matches!(
                    src.get(span.range())
                        .and_then(|t| t.len().checked_sub(2).and_then(|i| t.get(i))),
                    Some(b'/')
                );
                let name_start = span.start + 1;
                Token::Start {
                    name: Span::new(name_start, name_start + name.len() as u32),
                    tag: span,
                    self_closing,
                    attrs: e
                        .attributes_raw()
                        .iter()
                        .any(|b| !b.is_ascii_whitespace() && *b != b'/'),
                }
            }
            Event::End(e) => {
                let name = e.name();
                let name = name.as_ref();
                if !valid_name(name) {
                    return sgml::run(src, span.start as usize, builder, sink);
                }
                let name_start = span.start + 2;
                Token::End {
                    name: Span::new(name_start, name_start + name.len() as u32),
                    tag: span,
                }
            }
            Event::CData(_) => {
                let content = Span::new(span.start + 9, span.end.saturating_sub(3));
                Token::CData { content }
            }
            Event::Comment(_) => Token::Comment,
            Event::Decl(_) | Event::PI(_) => Token::Pi(span),
            Event::DocType(_) => Token::Declaration(span),
            Event::Eof => break,
            Event::Text(_) | Event::GeneralRef(_) => continue,
        };
        if let Token::Start { self_closing: true, name, tag, attrs } = token {
            // Self-closing is normal XML: no warning here, unlike in SGML.
            if attrs {
                sink.report(Code::AttributesIgnored, tag, || {
                    "attributes on a tag; OFX defines none (ignored)".to_owned()
                });
            }
            builder.start(name, tag, true, sink)?;
        } else {
            sgml::feed(token, builder, sink)?;
        }
    }
    flush(&mut text, builder, sink)?;
    let end = (base as u64 + reader.buffer_position()) as usize;
    if builder.done() && end < src.len() {
        // Anything after the root: let the SGML reader report it the same way.
        return sgml::run(src, end, builder, sink);
    }
    builder.finish(end.min(src.len()) as u32, sink);
    Ok(())
}

fn flush(text: &mut Option<Span>, builder: &mut Builder<'_>, sink: &mut Sink) -> Result<(), Error> {
    match text.take() {
        Some(span) => builder.text(span, false, sink),
        None => Ok(()),
    }
}
