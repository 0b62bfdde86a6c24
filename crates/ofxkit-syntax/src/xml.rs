//! The XML tokenizer for OFX 2.x bodies, on quick-xml.
//!
//! quick-xml reads the markup (comments, CDATA, processing instructions, DOCTYPE, attributes);
//! end-tag matching is ours (`check_end_names` off), so that the same builder rules apply to
//! every file, and an XML header over an SGML body still reads. quick-xml never expands
//! entities or reads a DTD. When it rejects something, reading continues from that point with
//! the SGML tokenizer, which recovers from more.
//!
//! Most of an OFX 2 body is `<NAME>`, `</NAME>` and plain text, which quick-xml and the SGML
//! token loop read alike. [`run`] reads those with the SGML loop's fast paths (the packed
//! tag cache, [`scan_value`](crate::lex::scan::scan_value) and [`flat`](crate::flat)) and hands
//! every other piece of markup to quick-xml, one event at a time. [`run_quick_xml`] reads the
//! whole body with quick-xml; the fuzz oracle
//! `ofxkit_syntax::fuzz::flat_agrees` (the fuzz oracle) checks that both give the same document.

use quick_xml::Reader;
use quick_xml::events::Event;

use crate::builder::Builder;
use crate::error::{Code, Error};
use crate::lex::tokenizer::{Token, Tokenizer};
use crate::sgml;
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

/// What comes after a piece of markup was handed over.
enum Flow {
    /// Go on reading.
    Next,
    /// The rest of the body was read (by the SGML reader, after quick-xml gave up).
    Done,
}

/// Reads `src[pos..]` as XML into the builder: plain tags and texts as the SGML token loop
/// reads them, everything else through quick-xml (see the module documentation). In the
/// reference [`Reading`](crate::builder::Reading) (what the fuzz oracle compares with), all
/// through quick-xml.
pub(crate) fn run(
    src: &[u8],
    pos: usize,
    builder: &mut Builder<'_>,
    sink: &mut Sink,
) -> Result<(), Error> {
    if !builder.reading.with_shortcuts() {
        return run_quick_xml(src, pos, builder, sink);
    }
    let mut tokens = Tokenizer::new(src, pos);
    let mut at = pos;
    while !builder.done() {
        match src.get(at) {
            None => break,
            Some(b'<') => {
                if sgml::known_tag(src, at, builder, &mut tokens, sink)? {
                    at = tokens.position();
                    continue;
                }
                // One event from a reader started at the `<`: quick-xml reads a `<` in a
                // fresh reader as it reads it anywhere (no text comes first, and no state
                // but the markup's own is used: end names are not checked).
                let mut reader = reader(src.get(at..).unwrap_or_default());
                let event = reader.read_event();
                let after = reader.buffer_position();
                let event = match event {
                    // Not markup (quick-xml reads none at a `<`, but a loop that did not move
                    // on would never end): the rest goes to the whole-body reader.
                    Ok(Event::Text(_) | Event::GeneralRef(_) | Event::Eof) => {
                        return run_quick_xml(src, at, builder, sink);
                    }
                    Ok(event) => event,
                    Err(e) => {
                        let error_at = at as u64 + reader.error_position();
                        return give_up(src, error_at, at, &e, builder, sink);
                    }
                };
                let span = Span::new(at as u32, (at as u64 + after) as u32);
                match markup(src, event, span, builder, sink)? {
                    Flow::Next => {}
                    Flow::Done => return Ok(()),
                }
                at = span.end as usize;
            }
            // XML text (references included) runs to the next `<`, as in SGML.
            Some(_) => at = sgml::text_run(src, at, builder, sink)?,
        }
    }
    end_of_body(src, at, builder, sink)
}

/// Reads `src[pos..]` as XML into the builder, every event through quick-xml.
pub(crate) fn run_quick_xml(
    src: &[u8],
    pos: usize,
    builder: &mut Builder<'_>,
    sink: &mut Sink,
) -> Result<(), Error> {
    let body = src.get(pos..).unwrap_or_default();
    let mut reader = reader(body);
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
        let event = match event {
            Ok(Event::Text(_)) | Ok(Event::GeneralRef(_)) => {
                text = Some(match text {
                    Some(t) => t.to(span),
                    None => span,
                });
                continue;
            }
            Ok(Event::Eof) => break,
            Ok(event) => event,
            Err(e) => {
                flush(&mut text, builder, sink)?;
                let error_at = base as u64 + reader.error_position();
                return give_up(src, error_at, before as usize + base, &e, builder, sink);
            }
        };
        flush(&mut text, builder, sink)?;
        match markup(src, event, span, builder, sink)? {
            Flow::Next => {}
            Flow::Done => return Ok(()),
        }
    }
    flush(&mut text, builder, sink)?;
    let end = (base as u64 + reader.buffer_position()) as usize;
    end_of_body(src, end, builder, sink)
}

/// Reports quick-xml's error at `error_at` and reads on from there (or from `before`, where
/// the markup began, if that is later) with the SGML rules.
fn give_up(
    src: &[u8],
    error_at: u64,
    before: usize,
    e: &quick_xml::Error,
    builder: &mut Builder<'_>,
    sink: &mut Sink,
) -> Result<(), Error> {
    let at = (error_at as usize).min(src.len());
    sink.report(Code::XmlSyntax, Span::new(at as u32, (at as u32).saturating_add(1)), || {
        let e = crate::shown(&e.to_string()).into_owned();
        format!("XML syntax error: {e}; reading on with the SGML rules")
    });
    sgml::run(src, at.max(before), builder, sink)
}

/// The end of the XML body at `end`: anything after the root goes to the SGML reader, which
/// reports it the same way; otherwise the document is finished.
fn end_of_body(
    src: &[u8],
    end: usize,
    builder: &mut Builder<'_>,
    sink: &mut Sink,
) -> Result<(), Error> {
    if builder.done() && end < src.len() {
        return sgml::run(src, end, builder, sink);
    }
    builder.finish(end.min(src.len()) as u32, sink);
    Ok(())
}

/// Hands one piece of markup (any event but text, a reference or the end) at `span` to the
/// builder.
fn markup(
    src: &[u8],
    event: Event<'_>,
    span: Span,
    builder: &mut Builder<'_>,
    sink: &mut Sink,
) -> Result<Flow, Error> {
    let token = match event {
        Event::Start(e) | Event::Empty(e) => {
            let name = e.name();
            let name = name.as_ref();
            if !valid_name(name) {
                sgml::run(src, span.start as usize, builder, sink)?;
                return Ok(Flow::Done);
            }
            let self_closing = matches!(
                src.get(span.range()).and_then(|t| t.len().checked_sub(2).and_then(|i| t.get(i))),
                Some(b'/')
            );
            let name_start = span.start + 1;
            Token::Start {
                name: Span::new(name_start, name_start + name.len() as u32),
                tag: span,
                self_closing,
                attrs: e.attributes_raw().iter().any(|b| !b.is_ascii_whitespace() && *b != b'/'),
            }
        }
        Event::End(e) => {
            let name = e.name();
            let name = name.as_ref();
            if !valid_name(name) {
                sgml::run(src, span.start as usize, builder, sink)?;
                return Ok(Flow::Done);
            }
            let name_start = span.start + 2;
            Token::End { name: Span::new(name_start, name_start + name.len() as u32), tag: span }
        }
        Event::CData(_) => {
            let content = Span::new(span.start + 9, span.end.saturating_sub(3));
            Token::CData { markup: span, content }
        }
        Event::Comment(_) => Token::Comment(span),
        Event::Decl(_) | Event::PI(_) => Token::Pi(span),
        Event::DocType(_) => Token::Declaration(span),
        Event::Text(_) | Event::GeneralRef(_) | Event::Eof => return Ok(Flow::Next),
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
    Ok(Flow::Next)
}

fn flush(text: &mut Option<Span>, builder: &mut Builder<'_>, sink: &mut Sink) -> Result<(), Error> {
    match text.take() {
        Some(span) => builder.text(span, false, sink),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use crate::Options;
    use crate::flat::reads_at_once;
    use crate::fuzz::flat_agrees;

    const HEAD: &str = "<?xml version=\"1.0\"?>\n<?OFX OFXHEADER=\"200\" VERSION=\"220\"?>\n";

    fn statement(transaction: &str) -> String {
        let t = format!("<STMTTRN>{transaction}</STMTTRN>\n");
        format!(
            "<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><BANKTRANLIST>\n{}</BANKTRANLIST></STMTRS>\
             </STMTTRNRS></BANKMSGSRSV1></OFX>\n",
            t.repeat(3)
        )
    }

    #[test]
    fn plain_xml_goes_through_the_fast_paths() {
        let body = statement("<TRNTYPE>DEBIT</TRNTYPE>\n<TRNAMT>-1.50</TRNAMT>\n");
        // The first transaction interns the names; the two after it are read at once.
        assert_eq!(reads_at_once(&body, super::run), 2);
        flat_agrees(format!("{HEAD}{body}").as_bytes(), &Options::default());
    }

    #[test]
    fn other_markup_reads_as_quick_xml_reads_it() {
        for t in [
            "<TRNTYPE>DEBIT</TRNTYPE><!-- note --><TRNAMT>1</TRNAMT>",
            "<TRNTYPE>DEBIT</TRNTYPE><MEMO><![CDATA[a<b&c]]></MEMO>",
            "<TRNTYPE>DEBIT</TRNTYPE><MEMO/><NAME x=\"1\">n</NAME>",
            "<TRNTYPE>DEBIT</TRNTYPE><NAME>AT&amp;T &#233; & co</NAME>",
            "<TRNTYPE>DEBIT</TRNTYPE><?pi x?><NAME>caf\u{e9}</NAME>",
            "<TRNTYPE>DEBIT</TRNTYPE><NAME>\u{feff}x</NAME>",
            "<TRNTYPE>DEBIT</TRNTYPE><trnamt>1</trnamt>",
            "<TRNTYPE>DEBIT</TRNTYPE><NAME>a</NAME >",
            "<TRNTYPE>DEBIT</TRNTYPE><NAME>a</NAME></FITID>",
            "<TRNTYPE>DEBIT</TRNTYPE><NAME>a<MEMO>b</STMTTRN>",
            "<TRNTYPE>DEBIT</TRNTYPE><1A>x</1A>",
            "<TRNTYPE>DEBIT</TRNTYPE><NAME>a</NAME><!-- unclosed",
            "<TRNTYPE>DEBIT</TRNTYPE><NAME <",
            "<TRNTYPE>DEBIT</TRNTYPE><!DOCTYPE x><NAME>a</NAME>",
            // Texts split by markup: the pieces join.
            "<TRNTYPE>DEBIT</TRNTYPE><NAME>LONDON<!-- x --> HOTEL</NAME>",
            "<TRNTYPE>DEBIT</TRNTYPE><NAME><![CDATA[AT]]><![CDATA[&T]]></NAME>",
            "<TRNTYPE>DEBIT</TRNTYPE><NAME>AT&amp;T <![CDATA[Inc]]></NAME>",
            "<TRNTYPE>DEBIT</TRNTYPE><NAME>LONDON<?x y?> HOTEL</NAME>",
            "<TRNTYPE>DEBIT</TRNTYPE><NAME>&#x0000000000000041;&#xD800;</NAME>",
        ] {
            let text = format!("{HEAD}{}<!-- after -->x", statement(t));
            flat_agrees(text.as_bytes(), &Options::default());
            // Cut anywhere: every prefix reads the same both ways too.
            for cut in (0..text.len()).filter(|c| text.is_char_boundary(*c)) {
                flat_agrees(&text.as_bytes()[..cut], &Options::default());
            }
        }
    }
}
