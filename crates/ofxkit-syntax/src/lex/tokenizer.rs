//! The production tokenizer: tags, texts and tolerated markup, read by hand for the common
//! shapes (`<NAME>`, `</NAME>`, a packed 16-byte compare for names seen before) and with
//! nom for the rest. The body lexer ([`BodyLexer`](super::body::BodyLexer)) and
//! [`SliceLexer`](super::SliceLexer) expose it as lexical events.

use nom::bytes::complete::{tag, take_till, take_while};
use nom::{IResult, Parser};

use super::{MALFORMED_END_TAG, is_name_char, is_name_start, malformed_reason};
use crate::span::Span;

/// One lexical unit of the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Token {
    /// `<NAME …>` or `<NAME/>`; `attrs` when something other than blanks followed the name.
    Start { name: Span, tag: Span, self_closing: bool, attrs: bool },
    /// `</NAME>`.
    End { name: Span, tag: Span },
    /// Text up to the next `<`, with the byte classes found in it (see `scan::scan_text`).
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
    pub(crate) pos: usize,
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

    pub(crate) fn span(&self, start: usize, end: usize) -> Span {
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

    pub(crate) fn markup(&mut self, start: usize) -> Token {
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
    pub(crate) fn other_markup(&mut self, start: usize, rest: &[u8]) -> Token {
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
    pub(crate) fn plain_tag(&mut self, start: usize, rest: &[u8]) -> Option<(Span, Span, bool)> {
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
        let (len, classes) = super::scan::scan_text(rest);
        let end = start + len;
        self.pos = end;
        Some(Token::Text(self.span(start, end), classes))
    }
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
