//! Entry points for the fuzz targets in `fuzz/`, also run by a stable test over every corpus
//! file so CI exercises them.

use std::borrow::Cow;

use crate::parse::parse_cow;
use crate::read::Reading;
use crate::{Document, DumpOptions, Limits, Options, dump_json, dump_text, parse_with};

/// Parses arbitrary bytes and touches every part of the result: every element's name, text,
/// span and children, the dumps, and every diagnostic's position. Must never panic. Also
/// checks that the production lexer's shortcuts change nothing (see [`flat_agrees`]) and
/// that streaming offers only finished elements (see [`offers_are_finished`]). Read with
/// `options` (their vocabulary: the fuzz target and the tests pass the OFX and OFC tables,
/// as `ofxkit::parse` reads).
pub fn parse_any(data: &[u8], options: &Options) {
    flat_agrees(data, options);
    flat_agrees(data, &small_limits(options));
    offers_are_finished(data, options);
    let Ok(doc) = parse_with(data, options) else { return };
    let index = doc.line_index();
    assert_eq!(doc.root().descendants().count() + 1, doc.tree().len(), "element outside the root");
    assert!(matches!(doc.root().name(), "OFX" | "OFC"), "root is {}", doc.root().name());
    let mut total = 0usize;
    for element in doc.tree().elements() {
        total += element.name().len() + element.text().map_or(0, str::len);
        let span = element.span();
        assert!(span.start <= span.end, "span out of order");
        assert!(span.end as usize <= doc.source().len(), "span past the end");
        let _ = index.line_col(span.start);
        total += element.children().count();
    }
    for d in doc.diagnostics() {
        let _ = index.line_col(d.span.start);
        let _ = d.to_string();
    }
    let _ = dump_text(&doc, DumpOptions { spans: true, show_secrets: false });
    let _ = dump_json(&doc, DumpOptions { spans: true, show_secrets: true });
    std::hint::black_box(total);
}

/// Streams `data`, taking every `STMTTRN` offered, and panics if one of them, or anything in
/// it, was cut by the end of the input or closed by recovery: an offered element is final.
pub fn offers_are_finished(data: &[u8], options: &Options) {
    let _ = crate::parse_streaming(data, options, "STMTTRN", &mut |t| {
        let e = t.element();
        for d in std::iter::once(e).chain(e.descendants()) {
            assert!(
                !d.closed_by_recovery() && !d.cut_by_end_of_input(),
                "offered element {} is unfinished",
                d.path()
            );
        }
        true
    });
}

/// Round trip: parse, write the tree back as XML-style markup, parse again, and require the
/// same element names and texts in the same order, both read with `options` (see
/// [`parse_any`]). Panics on a mismatch (the fuzzer's oracle).
pub fn roundtrip(data: &[u8], options: &Options) {
    let Ok(doc) = parse_with(data, options) else { return };
    let mut written = String::new();
    crate::walk(doc.root(), |element, _, entering| {
        if entering {
            written.push('<');
            written.push_str(element.name());
            written.push('>');
            if let Some(text) = element.text() {
                let last = text.chars().count().saturating_sub(1);
                for (i, c) in text.chars().enumerate() {
                    match c {
                        c if c.is_ascii_whitespace() && (i == 0 || i == last) => {
                            written.push_str(&format!("&#{};", c as u32));
                        }
                        '&' => written.push_str("&amp;"),
                        '<' => written.push_str("&lt;"),
                        '>' => written.push_str("&gt;"),
                        c => written.push(c),
                    }
                }
            }
        } else {
            written.push_str("</");
            written.push_str(element.name());
            written.push('>');
        }
    });
    let again = parse_with(written.as_bytes(), options);
    assert!(again.is_ok(), "re-reading the written tree failed: {:?}", again.err());
    let Ok(again) = again else { return };
    let a: Vec<(&str, Option<&str>)> =
        doc.tree().elements().map(|e| (e.name(), e.text())).collect();
    let b: Vec<(&str, Option<&str>)> =
        again.tree().elements().map(|e| (e.name(), e.text())).collect();
    assert_eq!(a, b, "tree changed across a write and re-read");
}

/// `options` with limits small enough that inputs of a few hundred bytes reach them.
fn small_limits(options: &Options) -> Options {
    Options {
        limits: Limits { max_depth: 6, max_elements: 40, max_text_len: 12, ..Limits::default() },
        ..*options
    }
}

/// Parses `data` twice through the one reading loop: from the production lexer (known tags,
/// batches of leaves, the word-at-a-time text scan) and from the nom reference lexer's plain
/// events, and panics unless the two documents are the same: every element (name, flags,
/// span, text, children), the findings, the header and the kinds; or the same error.
pub fn flat_agrees(data: &[u8], options: &Options) {
    let flat = parse_cow(Cow::Borrowed(data), options, None, Reading::Production);
    let tokens = parse_cow(Cow::Borrowed(data), options, None, Reading::Reference);
    match (flat, tokens) {
        (Ok(a), Ok(b)) => assert_eq!(summary(&a), summary(&b), "flat reading changed the document"),
        (Err(a), Err(b)) => {
            assert_eq!(a.to_string(), b.to_string(), "flat reading changed the error")
        }
        (a, b) => assert_eq!(
            a.map(|d| summary(&d)).map_err(|e| e.to_string()),
            b.map(|d| summary(&d)).map_err(|e| e.to_string()),
            "flat reading changed the outcome"
        ),
    }
}

/// Everything a reader can see of a document, as text.
fn summary(doc: &Document<'_>) -> String {
    use std::fmt::Write as _;
    let mut out = format!(
        "{:?} {:?} {:?} {:?} qfx={}\n",
        doc.header(),
        doc.format(),
        doc.syntax(),
        doc.encoding(),
        doc.is_qfx()
    );
    for e in doc.tree().elements() {
        let _ = writeln!(
            out,
            "{} {:?} {:?} leaf={} end={} self={} folded={} cut={} recovered={} children={}",
            e.name(),
            e.span(),
            e.text(),
            e.is_leaf(),
            e.has_end_tag(),
            e.is_self_closing(),
            e.had_folded_name(),
            e.cut_by_end_of_input(),
            e.closed_by_recovery(),
            e.children().count()
        );
    }
    for d in doc.diagnostics() {
        let _ = writeln!(out, "{d:?}");
    }
    out
}

/// The two-lexer oracle: the nom [`ReferenceLexer`](crate::lex::ReferenceLexer), the
/// production [`SliceLexer`](crate::lex::SliceLexer) and the production
/// [`ReadLexer`](crate::lex::ReadLexer) fed 1 and 7 bytes at a time give the same events,
/// and the events tile the input (each starts where the previous ended, none is empty, the
/// last ends at the end). Panics on the first difference, naming it.
pub fn lexers_agree(data: &[u8]) {
    use crate::lex::{Event, ReferenceLexer, SliceLexer};
    let reference: Vec<Event> = ReferenceLexer::new(data).collect();
    let production: Vec<Event> = SliceLexer::new(data).collect();
    if let Some(i) =
        (0..reference.len().max(production.len())).find(|&i| reference.get(i) != production.get(i))
    {
        assert_eq!(
            reference.get(i),
            production.get(i),
            "event {i} differs (left: the reference lexer, right: the production lexer)"
        );
    }
    let mut at = crate::lex::start_of(data) as u32;
    for event in &reference {
        let span = event.span();
        assert!(span.start == at && span.end > at, "{event:?} does not start at {at} or is empty");
        at = span.end;
    }
    assert_eq!(at as usize, data.len(), "the events stop short of the end");
    for chunk in [1, 7] {
        assert_eq!(read_in_chunks(data, chunk).0, production, "chunks of {chunk} bytes differ");
    }
}

/// A reader handing over at most `chunk` bytes per call: input cut at every place a real
/// reader (a pipe, a socket) may cut it.
pub struct Trickle<'a> {
    /// What is left to hand over.
    pub data: &'a [u8],
    /// The most bytes one call hands over.
    pub chunk: usize,
}

impl std::io::Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.chunk.min(buf.len()).min(self.data.len());
        let (now, later) = self.data.split_at(n);
        buf.get_mut(..n).unwrap_or_default().copy_from_slice(now);
        self.data = later;
        Ok(n)
    }
}

/// The events and the line:column of each, from [`ReadLexer`](crate::lex::ReadLexer) reading
/// `data` through a reader that hands over at most `chunk` bytes per call.
pub fn read_in_chunks(data: &[u8], chunk: usize) -> (Vec<crate::lex::Event>, Vec<crate::LineCol>) {
    let mut lexer = crate::lex::ReadLexer::with_chunk_size(Trickle { data, chunk }, chunk);
    let (mut events, mut positions) = (Vec::new(), Vec::new());
    while let Ok(Some(event)) = lexer.next_event() {
        events.push(event);
        positions.push(lexer.line_col());
    }
    (events, positions)
}
