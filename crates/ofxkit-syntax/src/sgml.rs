//! The SGML tokenizer (OFX 1.x, OFC, and XML bodies the XML reader gave up on).
//!
//! The common tags (`<NAME>`, `</NAME>` of a name seen before) are read by [`packed_tag`]
//! (one 16-byte compare) and texts by `builder::scan_value` (32 bytes a step, SSE2); flat
//! aggregates go to [`flat`](crate::flat); everything else is read with nom parsers. Every
//! loop iteration consumes at least one byte.

use nom::bytes::complete::{tag, take_till, take_while};
use nom::{IResult, Parser};

use crate::builder::{Builder, ValueScan};
use crate::error::{Code, Error};
use crate::lex::{MALFORMED_END_TAG, is_name_char, is_name_start, malformed_reason};
use crate::sink::Sink;
use crate::span::Span;

/// One lexical unit of the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Token {
    /// `<NAME …>` or `<NAME/>`; `attrs` when something other than blanks followed the name.
    Start { name: Span, tag: Span, self_closing: bool, attrs: bool },
    /// `</NAME>`.
    End { name: Span, tag: Span },
    /// Text up to the next `<`, with the byte classes found in it (see `builder::scan_text`).
    Text(Span, u8),
    /// `<![CDATA[…]]>` at `markup`: `content` is taken literally.
    CData { markup: Span, content: Span },
    /// `<!-- … -->` (ignored, but a text goes on after it).
    Comment(Span),
    /// `<!DOCTYPE …>` and other declarations (ignored).
    Declaration(Span),
    /// `<? … ?>` (ignored).
    Pi(Span),
    /// Markup that cannot be read; `skip` bytes were consumed.
    Malformed { span: Span, reason: &'static str },
    /// A comment, CDATA or PI with no end.
    Unclosed { span: Span, what: &'static str },
}

/// Bytes allowed in a tag name after the first ([`lex::is_name_char`](crate::lex) as a table).
#[allow(clippy::indexing_slicing)] // `i < 256` by the loop condition, in a const block
static NAME_CHAR: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = is_name_char(i as u8);
        i += 1;
    }
    t
};

/// `NAME` after `<` or `</`.
fn name(input: &[u8]) -> IResult<&[u8], &[u8]> {
    let (rest, _) = nom::bytes::complete::take_while_m_n(1, 1, is_name_start).parse(input)?;
    let (rest, _) = take_while(is_name_char).parse(rest)?;
    Ok((rest, input.get(..input.len() - rest.len()).unwrap_or_default()))
}

/// `</NAME >`: returns the name.
fn end_tag(input: &[u8]) -> IResult<&[u8], &[u8]> {
    let (rest, _) = tag(&b"</"[..]).parse(input)?;
    let (rest, n) = name(rest)?;
    let (rest, _) = take_while(|b: u8| b.is_ascii_whitespace()).parse(rest)?;
    let (rest, _) = tag(&b">"[..]).parse(rest)?;
    Ok((rest, n))
}

/// `<NAME attrs >` or `<NAME attrs />`: returns (name, attribute bytes, self-closing).
/// What `start_tag` reads: the name, the attribute bytes, and whether it ends with `/>`.
type StartTag<'a> = (&'a [u8], &'a [u8], bool);

fn start_tag(input: &[u8]) -> IResult<&[u8], StartTag<'_>> {
    let (rest, _) = tag(&b"<"[..]).parse(input)?;
    let (rest, n) = name(rest)?;
    let (rest, attrs) = take_till(|b| b == b'>' || b == b'<').parse(rest)?;
    let (rest, _) = tag(&b">"[..]).parse(rest)?;
    let (attrs, self_closing) = match attrs.iter().rposition(|b| !b.is_ascii_whitespace()) {
        Some(p) if attrs.get(p) == Some(&b'/') => (attrs.get(..p).unwrap_or_default(), true),
        _ => (attrs, false),
    };
    Ok((rest, (n, attrs, self_closing)))
}

/// True when `input` begins with a complete start tag (`<NAME …>`).
pub(crate) fn is_start_tag(input: &[u8]) -> bool {
    start_tag(input).is_ok()
}

/// The tokenizer state: the whole input and a position in it.
pub(crate) struct Tokenizer<'s> {
    src: &'s [u8],
    pos: usize,
}

impl<'s> Tokenizer<'s> {
    pub(crate) fn new(src: &'s [u8], pos: usize) -> Self {
        Tokenizer { src, pos }
    }

    pub(crate) fn position(&self) -> usize {
        self.pos
    }

    /// Moves to `pos` (the header lexer reads fields itself, then hands over).
    pub(crate) fn seek(&mut self, pos: usize) {
        self.pos = pos;
    }

    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(start as u32, end as u32)
    }

    fn offset_of(&self, rest: &[u8]) -> usize {
        self.src.len() - rest.len()
    }

    /// Skips to `needle`, returning the position after it (or `None` at end of input).
    fn find(&self, from: usize, needle: &[u8]) -> Option<usize> {
        let hay = self.src.get(from..)?;
        memchr::memmem::find(hay, needle).map(|p| from + p + needle.len())
    }

    fn markup(&mut self, start: usize) -> Token {
        let rest = self.src.get(start..).unwrap_or_default();
        if let Some((name, tag, end_tag)) = self.plain_tag(start, rest) {
            return if end_tag {
                Token::End { name, tag }
            } else {
                Token::Start { name, tag, self_closing: false, attrs: false }
            };
        }
        self.other_markup(start, rest)
    }

    /// Markup that is not a plain `<NAME>` or `</NAME>`.
    fn other_markup(&mut self, start: usize, rest: &[u8]) -> Token {
        let second = rest.get(1).copied();
        match second {
            Some(b'/') => match end_tag(rest) {
                Ok((after, n)) => {
                    let name_start = start + 2;
                    let end = self.offset_of(after);
                    self.pos = end;
                    Token::End {
                        name: self.span(name_start, name_start + n.len()),
                        tag: self.span(start, end),
                    }
                }
                Err(_) => self.malformed(start, MALFORMED_END_TAG),
            },
            Some(b'!') => {
                if rest.starts_with(b"<!--") {
                    match self.find(start + 4, b"-->") {
                        Some(end) => {
                            self.pos = end;
                            Token::Comment(self.span(start, end))
                        }
                        None => self.unclosed(start, "comment"),
                    }
                } else if rest.starts_with(b"<![CDATA[") {
                    match self.find(start + 9, b"]]>") {
                        Some(end) => {
                            self.pos = end;
                            Token::CData {
                                markup: self.span(start, end),
                                content: self.span(start + 9, end - 3),
                            }
                        }
                        None => self.unclosed(start, "CDATA section"),
                    }
                } else {
                    match self.find(start + 2, b">") {
                        Some(end) => {
                            self.pos = end;
                            Token::Declaration(self.span(start, end))
                        }
                        None => self.unclosed(start, "declaration"),
                    }
                }
            }
            Some(b'?') => match self.find(start + 2, b">") {
                Some(end) => {
                    self.pos = end;
                    Token::Pi(self.span(start, end))
                }
                None => self.unclosed(start, "processing instruction"),
            },
            _ => match start_tag(rest) {
                Ok((after, (n, attrs, self_closing))) => {
                    let name_start = start + 1;
                    let end = self.offset_of(after);
                    self.pos = end;
                    Token::Start {
                        name: self.span(name_start, name_start + n.len()),
                        tag: self.span(start, end),
                        self_closing,
                        attrs: attrs.iter().any(|b| !b.is_ascii_whitespace()),
                    }
                }
                Err(_) => {
                    let reason = malformed_reason(second);
                    self.malformed(start, reason)
                }
            },
        }
    }

    /// The common shapes `<NAME>` and `</NAME>`, read by hand; everything else goes to the
    /// nom grammar in [`markup`](Self::markup), which accepts the same tags and more.
    /// Returns (name, tag, is an end tag).
    #[inline]
    fn plain_tag(&mut self, start: usize, rest: &[u8]) -> Option<(Span, Span, bool)> {
        let end_tag = rest.get(1) == Some(&b'/');
        let name_start = if end_tag { 2 } else { 1 };
        if !rest.get(name_start).copied().is_some_and(is_name_start) {
            return None;
        }
        let after = rest.get(name_start + 1..).unwrap_or_default();
        let i = name_start
            + 1
            + after
                .iter()
                .position(|&b| !NAME_CHAR.get(b as usize).copied().unwrap_or(false))
                .unwrap_or(after.len());
        if rest.get(i) != Some(&b'>') {
            return None;
        }
        let name = self.span(start + name_start, start + i);
        let tag = self.span(start, start + i + 1);
        self.pos = start + i + 1;
        Some((name, tag, end_tag))
    }

    /// Skips the bad `<` and whatever name follows it, up to the next `<`.
    fn malformed(&mut self, start: usize, reason: &'static str) -> Token {
        let rest = self.src.get(start + 1..).unwrap_or_default();
        let run_len = rest.iter().position(|&b| b == b'<').unwrap_or(rest.len());
        let run = rest.get(..run_len).unwrap_or_default();
        // `<  X>` or `</>`: the bad tag ends at its `>`; otherwise skip to the next `<`.
        let skip = memchr::memchr(b'>', run).map_or(run_len, |p| p + 1);
        let end = start + 1 + skip;
        self.pos = end;
        Token::Malformed { span: self.span(start, end), reason }
    }

    fn unclosed(&mut self, start: usize, what: &'static str) -> Token {
        self.pos = self.src.len();
        Token::Unclosed { span: self.span(start, self.src.len()), what }
    }

    /// The next token, or `None` at the end of the input.
    pub(crate) fn next_token(&mut self) -> Option<Token> {
        let start = self.pos;
        let rest = self.src.get(start..)?;
        if rest.is_empty() {
            return None;
        }
        if rest.first() == Some(&b'<') {
            return Some(self.markup(start));
        }
        let (len, classes) = crate::builder::scan_text(rest);
        let end = start + len;
        self.pos = end;
        Some(Token::Text(self.span(start, end), classes))
    }
}

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
    let (end, value) = crate::builder::scan_value(src, start);
    match value {
        ValueScan::Blank => {}
        ValueScan::Plain { start: first, end: last } if builder.plain_value(first, last) => {}
        _ => builder.text(Span::new(start as u32, end as u32), false, sink)?,
    }
    Ok(end)
}

/// `NAME_BYTES[n]` keeps the low `n` bytes of a 16-byte word (a table: a shift of a `u128`
/// by a variable amount takes several instructions).
#[allow(clippy::indexing_slicing)] // `n < 16` by the loop condition, in a const block
static NAME_BYTES: [u128; 16] = {
    let mut t = [0u128; 16];
    let mut n = 1;
    while n < 16 {
        t[n] = (1u128 << (n * 8)) - 1;
        n += 1;
    }
    t
};

/// A plain tag at `start` (`<NAME>` or `</NAME>`, the name of 1 to 15 bytes) read without
/// looking it up: (is an end tag, the name packed as [`packed_name`](crate::builder::packed_name)
/// packs it, the position after the `>`). `None` for anything else.
#[inline(always)]
pub(crate) fn packed_tag(src: &[u8], start: usize) -> Option<(bool, (u64, u64), usize)> {
    let end_tag = src.get(start + 1) == Some(&b'/');
    let name_start = start + 1 + usize::from(end_tag);
    let window = src.get(name_start..name_start.checked_add(16)?)?;
    let window = <[u8; 16]>::try_from(window).ok()?;
    let gt = crate::simd::equal(window, b'>');
    let len = gt.trailing_zeros();
    if len == 0 || len == 32 {
        return None;
    }
    // The bytes before the first `>`, and the length in the last byte, as `packed_name`
    // packs them (the `>` is within the 16 bytes, so the name has at most 15).
    let w = u128::from_le_bytes(window);
    let key = w & NAME_BYTES.get(len as usize).copied().unwrap_or(0) | u128::from(len) << 120;
    Some((end_tag, (key as u64, (key >> 64) as u64), name_start + len as usize + 1))
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

    fn tokens(src: &str) -> Vec<String> {
        let mut t = Tokenizer::new(src.as_bytes(), 0);
        let mut out = Vec::new();
        while let Some(tok) = t.next_token() {
            let s = |sp: Span| &src[sp.range()];
            out.push(match tok {
                Token::Start { name, self_closing, attrs, .. } => {
                    format!(
                        "<{}{}{}>",
                        s(name),
                        if attrs { " @" } else { "" },
                        if self_closing { "/" } else { "" }
                    )
                }
                Token::End { name, .. } => format!("</{}>", s(name)),
                Token::Text(sp, _) => format!("T({})", s(sp)),
                Token::CData { content, .. } => format!("C({})", s(content)),
                Token::Comment(_) => "!--".into(),
                Token::Declaration(_) => "!decl".into(),
                Token::Pi(_) => "?pi".into(),
                Token::Malformed { span, .. } => format!("M({})", s(span)),
                Token::Unclosed { what, .. } => format!("U({what})"),
            });
        }
        out
    }

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

    #[test]
    fn tokenizes_each_form() {
        for (src, expect) in [
            ("<A>x</A>", &["<A>", "T(x)", "</A>"][..]),
            ("<A >", &["<A>"]),
            ("<A/>", &["<A/>"]),
            ("<A x=\"1\">", &["<A @>"]),
            ("</A >", &["</A>"]),
            ("<INTU.BID>1", &["<INTU.BID>", "T(1)"]),
            ("<!-- c -->x", &["!--", "T(x)"]),
            ("<![CDATA[a<b]]>", &["C(a<b)"]),
            ("<!DOCTYPE x>", &["!decl"]),
            ("<?xml v?>", &["?pi"]),
            ("<<A>", &["M(<)", "<A>"]),
            ("< A>", &["M(< A>)"]),
            ("<>", &["M(<>)"]),
            ("</>", &["M(</>)"]),
            ("<A<B>", &["M(<A)", "<B>"]),
            ("<A", &["M(<A)"]),
            ("<", &["M(<)"]),
            ("<!-- x", &["U(comment)"]),
            ("<1A>", &["M(<1A>)"]),
        ] {
            assert_eq!(tokens(src), expect, "{src}");
        }
    }
}
