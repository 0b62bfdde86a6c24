//! How quick-xml reads one piece of markup of an OFX 2.x body.
//!
//! Most of an XML body is `<NAME>`, `</NAME>` and plain text, which XML and the SGML lexer
//! read alike; the reading loop (`crate::read`) takes those from the lexer. Every other
//! `<` of an XML body is read here, with a quick-xml reader started at it: its comments,
//! CDATA sections, processing instructions, DOCTYPE and attributes are read as XML reads
//! them. End-tag matching is the builder's (`check_end_names` off), so that the same rules
//! apply to every file; quick-xml never expands entities or reads a DTD. When it rejects
//! the markup, the loop reports it and reads the rest with the SGML rules, which recover
//! from more.

use quick_xml::Reader;
use quick_xml::events::Event as XmlEvent;

use crate::lex::{Event, is_name_char, is_name_start};
use crate::span::Span;

/// What quick-xml made of the markup at a `<`.
#[derive(Debug)]
pub(crate) enum XmlMarkup {
    /// One piece of markup, as a lexical event with its span.
    Read(Event),
    /// A start or end tag whose name XML does not allow: the rest of the body is read with
    /// the SGML rules from its `<`, with no finding of its own.
    BadName,
    /// quick-xml rejected the markup at byte `at` for `reason`.
    Rejected {
        /// Where quick-xml stopped.
        at: usize,
        /// quick-xml's message.
        reason: String,
    },
    /// No markup at the `<` (quick-xml never answers so: the piece is read with the SGML
    /// rules, so that the loop moves on).
    NotMarkup,
}

/// A name XML allows (the lexer's name rule).
fn valid_name(name: &[u8]) -> bool {
    match name.split_first() {
        Some((first, rest)) => is_name_start(*first) && rest.iter().all(|&b| is_name_char(b)),
        None => false,
    }
}

/// A quick-xml reader over `body` with the settings every body is read with.
fn reader(body: &[u8]) -> Reader<&[u8]> {
    let mut reader = Reader::from_reader(body);
    let config = reader.config_mut();
    config.check_end_names = false;
    config.allow_unmatched_ends = true;
    config.allow_dangling_amp = true;
    config.expand_empty_elements = false;
    config.trim_text(false);
    reader
}

/// Reads the markup at `at` (a `<`) of `src` with a fresh quick-xml reader: quick-xml reads a
/// `<` in a fresh reader as it reads it anywhere (no text comes first, and no state but the
/// markup's own is used: end names are not checked).
pub(crate) fn read(src: &[u8], at: usize) -> XmlMarkup {
    let mut reader = reader(src.get(at..).unwrap_or_default());
    let event = match reader.read_event() {
        Ok(event) => event,
        Err(e) => {
            let at = (at as u64 + reader.error_position()) as usize;
            return XmlMarkup::Rejected { at, reason: e.to_string() };
        }
    };
    let span = Span::new(at as u32, (at as u64 + reader.buffer_position()) as u32);
    XmlMarkup::Read(match event {
        XmlEvent::Start(e) | XmlEvent::Empty(e) => {
            let name = e.name();
            let name = name.as_ref();
            if !valid_name(name) {
                return XmlMarkup::BadName;
            }
            // `<NAME/>`: quick-xml's `Empty`, told by the `/` before the `>`.
            let tag = src.get(span.range()).unwrap_or_default();
            let self_closing = tag.len().checked_sub(2).and_then(|i| tag.get(i)) == Some(&b'/');
            let name_start = span.start + 1;
            Event::StartTag {
                tag: span,
                name: Span::new(name_start, name_start + name.len() as u32),
                self_closing,
                attributes: e
                    .attributes_raw()
                    .iter()
                    .any(|b| !b.is_ascii_whitespace() && *b != b'/'),
            }
        }
        XmlEvent::End(e) => {
            let name = e.name();
            let name = name.as_ref();
            if !valid_name(name) {
                return XmlMarkup::BadName;
            }
            let name_start = span.start + 2;
            Event::EndTag { tag: span, name: Span::new(name_start, name_start + name.len() as u32) }
        }
        XmlEvent::CData(_) => Event::CData {
            markup: span,
            content: Span::new(span.start + 9, span.end.saturating_sub(3)),
        },
        XmlEvent::Comment(_) => Event::Comment(span),
        XmlEvent::Decl(_) | XmlEvent::PI(_) => Event::ProcessingInstruction(span),
        XmlEvent::DocType(_) => Event::Declaration(span),
        XmlEvent::Text(_) | XmlEvent::GeneralRef(_) | XmlEvent::Eof => {
            return XmlMarkup::NotMarkup;
        }
    })
}
