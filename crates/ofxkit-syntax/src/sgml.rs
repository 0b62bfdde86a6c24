//! The SGML reader's loop (OFX 1.x, OFC, and XML bodies the XML reader gave up on): the
//! tokenizer's tags and texts into the builder.
//!
//! The common tags (`<NAME>`, `</NAME>` of a name seen before) are read by
//! [`packed_tag`](crate::lex::tokenizer::packed_tag) (one 16-byte compare) and texts by
//! `lex::scan::scan_value` (32 bytes a step, SSE2); flat aggregates go to
//! [`flat`](crate::flat); everything else is read by the [`Tokenizer`]. Every loop iteration
//! consumes at least one byte.

use crate::builder::Builder;
use crate::error::{Code, Error};
use crate::lex::scan::ValueScan;
use crate::lex::tokenizer::{Token, Tokenizer, packed_tag};
use crate::sink::Sink;
use crate::span::Span;

/// Reads tokens from `pos` to the end of `src` into the builder.
pub(crate) fn run(
    src: &[u8],
    pos: usize,
    builder: &mut Builder<'_>,
    sink: &mut Sink,
) -> Result<(), Error> {
    let mut tokens = Tokenizer::new(src, pos);
    // Until the root element closes, the common tokens (plain tags and text) go straight to
    // the builder; the rest goes through `feed`, as every token does once it has closed.
    while !builder.done() {
        let start = tokens.pos;
        let rest = src.get(start..).unwrap_or_default();
        match rest.first() {
            None => break,
            Some(b'<') if known_tag(src, start, builder, &mut tokens, sink)? => {}
            Some(b'<') => match tokens.plain_tag(start, rest) {
                Some((name, tag, true)) => builder.end(name, tag, sink)?,
                Some((name, tag, false)) => builder.start(name, tag, false, sink)?,
                None => {
                    let token = tokens.other_markup(start, rest);
                    feed(token, builder, sink)?;
                }
            },
            Some(_) => tokens.pos = text_run(src, start, builder, sink)?,
        }
    }
    while let Some(token) = tokens.next_token() {
        if builder.done() {
            let start = match token {
                Token::Text(span, _) => {
                    builder.text(span, false, sink)?;
                    continue;
                }
                Token::Comment(_) => continue,
                Token::Start { tag, .. } | Token::End { tag, .. } => tag.start,
                Token::CData { markup, .. } => markup.start,
                Token::Declaration(s) | Token::Pi(s) => s.start,
                Token::Malformed { span, .. } | Token::Unclosed { span, .. } => span.start,
            };
            sink.report(Code::TrailingContent, Span::new(start, src.len() as u32), || {
                "markup after the end of the root element (not read)".to_owned()
            });
            return Ok(());
        }
        feed(token, builder, sink)?;
    }
    builder.finish(tokens.position() as u32, sink);
    Ok(())
}

/// Reads the text run at `start` (up to the next `<` or the end): a plain value straight into
/// the open element, anything else through [`Builder::text`]; blanks are skipped. Returns
/// where the run ends.
#[inline(always)]
pub(crate) fn text_run(
    src: &[u8],
    start: usize,
    builder: &mut Builder<'_>,
    sink: &mut Sink,
) -> Result<usize, Error> {
    let (end, value) = crate::lex::scan::scan_value(src, start);
    match value {
        ValueScan::Blank => {}
        ValueScan::Plain { start: first, end: last } if builder.plain_value(first, last) => {}
        _ => builder.text(Span::new(start as u32, end as u32), false, sink)?,
    }
    Ok(end)
}

/// The fastest path, for `<NAME>` and `</NAME>` whose name (up to 16 bytes, upper case) was
/// seen before: finds the `>` in the 16 bytes after the `<` or `</` and looks the bytes
/// before it up in the builder's packed name cache. Every cached name is a valid tag name
/// written as interned, so a hit is exactly what `Tokenizer::plain_tag` would read; on a
/// miss nothing is consumed. After a start tag, the element's children may be read at once
/// (see [`flat`](crate::flat)). Returns whether the tag was read.
#[inline]
pub(crate) fn known_tag(
    src: &[u8],
    start: usize,
    builder: &mut Builder<'_>,
    tokens: &mut Tokenizer<'_>,
    sink: &mut Sink,
) -> Result<bool, Error> {
    let Some((end_tag, key, end)) = packed_tag(src, start) else {
        return Ok(false);
    };
    let read = builder.known_tag(key, tokens.span(start, end), end_tag, sink)?;
    if read {
        tokens.pos = end;
        if !end_tag && let Some(after) = crate::flat::read(src, end, builder, sink) {
            tokens.pos = after;
        }
    }
    Ok(read)
}

/// Hands one token to the builder, reporting the lexical oddities.
pub(crate) fn feed(token: Token, builder: &mut Builder<'_>, sink: &mut Sink) -> Result<(), Error> {
    match token {
        Token::Start { name, tag, self_closing, attrs } => {
            if attrs {
                sink.report(Code::AttributesIgnored, tag, || {
                    "attributes on a tag; OFX defines none (ignored)".to_owned()
                });
            }
            if self_closing {
                sink.report(Code::SelfClosingTag, tag, || {
                    "XML-style self-closing tag; read as an element with no value".to_owned()
                });
            }
            builder.start(name, tag, self_closing, sink)
        }
        Token::End { name, tag } => builder.end(name, tag, sink),
        Token::Text(span, classes) => builder.text_classified(span, false, Some(classes), sink),
        Token::CData { markup, content } => builder.cdata(markup, content, sink),
        Token::Comment(span) => {
            builder.ignorable(span);
            Ok(())
        }
        Token::Declaration(span) => {
            sink.report(Code::DeclarationIgnored, span, || {
                "declaration ignored (nothing in it is resolved or fetched)".to_owned()
            });
            Ok(())
        }
        Token::Pi(span) => {
            sink.report(Code::ProcessingInstruction, span, || {
                "processing instruction in the body (ignored)".to_owned()
            });
            builder.ignorable(span);
            Ok(())
        }
        Token::Malformed { span, reason } => {
            sink.report(Code::MalformedTag, span, || format!("malformed tag: {reason}"));
            Ok(())
        }
        Token::Unclosed { span, what } => {
            sink.report(Code::UnclosedMarkup, span, || format!("{what} is never closed"));
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nul_before_the_gt_is_not_read_as_a_known_name() {
        // `<CODE>` is interned first; `<CODE\0>` must still go through the full reader,
        // which reads the NUL as an attribute, not pack like `<CODE>` and skip that.
        let src = b"<OFX><STATUS><CODE>1<CODE\0>2</STATUS></OFX>                ";
        let doc = crate::parse(src).unwrap();
        assert!(
            doc.diagnostics().iter().any(|d| d.code == Code::AttributesIgnored),
            "{:?}",
            doc.diagnostics()
        );
    }
}
