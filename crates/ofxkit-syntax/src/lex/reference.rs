//! The lexical grammar of OFX 1.x (SGML), OFX 2.x (XML markup), QFX and OFC files, written
//! with nom combinators: one function per production, read top to bottom. It is the
//! reference the production lexer ([`SliceLexer`](super::SliceLexer)) is proven against, and
//! what a reader learns the format's lexical layer from. Nothing here is tuned for speed.
//!
//! ```text
//! file         = [BOM] header body
//! header       = *(blanks / header-field)              ; until the first other byte
//! header-field = key *(SP / HT) ":" value [line-end]   ; OFXHEADER:100
//! key          = 1*(ALPHA / DIGIT)
//! value        = *(any byte but CR, LF, "<")
//! line-end     = CR LF / LF / CR
//! body         = *(markup / text)
//! text         = 1*(any byte but "<")
//! markup       = comment / cdata / declaration / pi / end-tag / start-tag / malformed
//! comment      = "<!--" *byte "-->"                     ; the first "-->" after "<!--"
//! cdata        = "<![CDATA[" *byte "]]>"
//! declaration  = "<!" *byte ">"                         ; DOCTYPE and the like
//! pi           = "<?" *byte ">"                         ; <?xml …?>, <?OFX …?>
//! end-tag      = "</" name *blank ">"
//! start-tag    = "<" name *(any byte but ">", "<") ">"  ; "/>" makes it self-closing
//! name         = (ALPHA / "_") *(ALPHA / DIGIT / "." / "_" / "-" / ":")
//! ```
//!
//! SGML and XML markup are read by the same rules: OFX 1.x bodies use only tags and text,
//! OFX 2.x bodies add end tags for every element and may hold the XML markup above. A
//! comment, CDATA section, declaration or PI with no end runs to the end of the input
//! ([`Event::Unclosed`]); a `<` that starts nothing is skipped with what follows it
//! ([`Event::Malformed`]).

use nom::branch::alt;
use nom::bytes::complete::{tag, take_till, take_till1, take_until, take_while, take_while1};
use nom::combinator::{eof, opt, peek, recognize, rest, value};
use nom::number::complete::u8 as any_byte;
use nom::{IResult, Offset, Parser};

use super::{
    Event, Lexer, MALFORMED_END_TAG, is_blank, is_name_char, is_name_start, malformed_reason,
};
use crate::span::Span;

/// The nom grammar as a [`Lexer`]: slow, plain, and the definition the production lexer
/// must match event for event.
///
/// ```
/// use ofxkit_syntax::lex::{Event, ReferenceLexer, SliceLexer};
///
/// let src = b"OFXHEADER:100\r\n\r\n<OFX><!-- note --><NAME>A&amp;B</NAME><</OFX>";
/// let reference: Vec<Event> = ReferenceLexer::new(src).collect();
/// let production: Vec<Event> = SliceLexer::new(src).collect();
/// assert_eq!(reference, production);
/// ```
pub struct ReferenceLexer<'a> {
    src: &'a [u8],
    pos: usize,
    header: bool,
}

impl<'a> ReferenceLexer<'a> {
    /// Lexes `src` from its first byte (after a UTF-8 byte-order mark, if any), starting in
    /// the header.
    pub fn new(src: &'a [u8]) -> Self {
        ReferenceLexer { src, pos: super::start_of(src), header: true }
    }

    /// Lexes the body `src[pos..]` (no header fields).
    #[cfg(any(test, feature = "fuzz"))]
    pub(crate) fn body(src: &'a [u8], pos: usize) -> Self {
        ReferenceLexer { src, pos, header: false }
    }

    /// Reads on from `pos`.
    #[cfg(any(test, feature = "fuzz"))]
    pub(crate) fn seek(&mut self, pos: usize) {
        self.pos = pos;
    }

    /// The span of `part`, a slice of the input.
    fn span(&self, part: &[u8]) -> Span {
        let start = self.src.offset(part);
        Span::new(start as u32, (start + part.len()) as u32)
    }

    /// The span from `input` up to `rest`, both slices of the input.
    fn between(&self, input: &[u8], rest: &[u8]) -> Span {
        Span::new(self.src.offset(input) as u32, self.src.offset(rest) as u32)
    }

    /// Turns what a production read into an event with the input's offsets.
    fn event(&self, input: &[u8], after: &[u8], read: Read<'_>) -> Event {
        let whole = self.between(input, after);
        match read {
            Read::Blanks | Read::Text => Event::Text(whole),
            Read::Field { key, value } => {
                Event::HeaderField { line: whole, key: self.span(key), value: self.span(value) }
            }
            Read::StartTag { name, attributes, self_closing } => Event::StartTag {
                tag: whole,
                name: self.span(name),
                self_closing,
                attributes: attributes.iter().any(|&b| !is_blank(b)),
            },
            Read::EndTag { name } => Event::EndTag { tag: whole, name: self.span(name) },
            Read::CData { content } => Event::CData { markup: whole, content: self.span(content) },
            Read::Comment => Event::Comment(whole),
            Read::Declaration => Event::Declaration(whole),
            Read::Pi => Event::ProcessingInstruction(whole),
            Read::Malformed(reason) => Event::Malformed { span: whole, reason },
            Read::Unclosed(what) => Event::Unclosed { span: whole, what },
        }
    }
}

/// What one production read, as slices of the input.
#[derive(Debug, Clone)]
enum Read<'a> {
    Blanks,
    Field { key: &'a [u8], value: &'a [u8] },
    Text,
    StartTag { name: &'a [u8], attributes: &'a [u8], self_closing: bool },
    EndTag { name: &'a [u8] },
    CData { content: &'a [u8] },
    Comment,
    Declaration,
    Pi,
    Malformed(&'static str),
    Unclosed(&'static str),
}

// ---- The header -------------------------------------------------------------------------

/// `blanks` between header fields.
fn blanks(input: &[u8]) -> IResult<&[u8], Read<'_>> {
    value(Read::Blanks, take_while1(is_blank)).parse(input)
}

/// `line-end = CR LF / LF / CR`
fn line_end(input: &[u8]) -> IResult<&[u8], &[u8]> {
    alt((tag(&b"\r\n"[..]), tag(&b"\n"[..]), tag(&b"\r"[..]))).parse(input)
}

/// `header-field = key *(SP / HT) ":" value [line-end]`
fn header_field(input: &[u8]) -> IResult<&[u8], Read<'_>> {
    let key = take_while1(|b: u8| b.is_ascii_alphanumeric());
    let gap = take_while(|b| b == b' ' || b == b'\t');
    let field_value = take_till(|b| b == b'\r' || b == b'\n' || b == b'<');
    (key, gap, tag(&b":"[..]), field_value, opt(line_end))
        .map(|(key, _, _, value, _)| Read::Field { key, value })
        .parse(input)
}

// ---- The body ---------------------------------------------------------------------------

/// `text = 1*(any byte but "<")`
fn text(input: &[u8]) -> IResult<&[u8], Read<'_>> {
    value(Read::Text, take_till1(|b| b == b'<')).parse(input)
}

/// `name = (ALPHA / "_") *(ALPHA / DIGIT / "." / "_" / "-" / ":")`
fn name(input: &[u8]) -> IResult<&[u8], &[u8]> {
    recognize((nom::bytes::complete::take_while_m_n(1, 1, is_name_start), take_while(is_name_char)))
        .parse(input)
}

/// `<!--` … up to the first `-->`, or [`Read::Unclosed`] when there is none.
fn comment(input: &[u8]) -> IResult<&[u8], Read<'_>> {
    let closed = value(Read::Comment, (take_until(&b"-->"[..]), tag(&b"-->"[..])));
    let unclosed = value(Read::Unclosed("comment"), rest);
    (tag(&b"<!--"[..]), alt((closed, unclosed))).map(|(_, read)| read).parse(input)
}

/// `<![CDATA[` content `]]>`, or unclosed.
fn cdata(input: &[u8]) -> IResult<&[u8], Read<'_>> {
    let closed =
        (take_until(&b"]]>"[..]), tag(&b"]]>"[..])).map(|(content, _)| Read::CData { content });
    let unclosed = value(Read::Unclosed("CDATA section"), rest);
    (tag(&b"<![CDATA["[..]), alt((closed, unclosed))).map(|(_, read)| read).parse(input)
}

/// `<!` … `>` (`<!DOCTYPE …>`), or unclosed.
fn declaration(input: &[u8]) -> IResult<&[u8], Read<'_>> {
    let closed = value(Read::Declaration, (take_until(&b">"[..]), tag(&b">"[..])));
    let unclosed = value(Read::Unclosed("declaration"), rest);
    (tag(&b"<!"[..]), alt((closed, unclosed))).map(|(_, read)| read).parse(input)
}

/// `<?` … `>` (`<?xml version="1.0"?>`, `<?OFX OFXHEADER="200" …?>`), or unclosed.
fn pi(input: &[u8]) -> IResult<&[u8], Read<'_>> {
    let closed = value(Read::Pi, (take_until(&b">"[..]), tag(&b">"[..])));
    let unclosed = value(Read::Unclosed("processing instruction"), rest);
    (tag(&b"<?"[..]), alt((closed, unclosed))).map(|(_, read)| read).parse(input)
}

/// `end-tag = "</" name *blank ">"`, or a malformed `</`.
fn end_tag(input: &[u8]) -> IResult<&[u8], Read<'_>> {
    let well_formed = (tag(&b"</"[..]), name, take_while(is_blank), tag(&b">"[..]))
        .map(|(_, name, _, _)| Read::EndTag { name });
    let malformed =
        (peek(tag(&b"</"[..])), skipped_after_lt).map(|_| Read::Malformed(MALFORMED_END_TAG));
    alt((well_formed, malformed)).parse(input)
}

/// `start-tag = "<" name *(any byte but ">", "<") ">"`; a `/` as the last non-blank byte
/// before the `>` makes it self-closing and is not an attribute.
fn start_tag(input: &[u8]) -> IResult<&[u8], Read<'_>> {
    (tag(&b"<"[..]), name, take_till(|b| b == b'>' || b == b'<'), tag(&b">"[..]))
        .map(|(_, name, inside, _)| {
            let last = inside.iter().rposition(|&b| !is_blank(b));
            match last {
                Some(p) if inside.get(p) == Some(&b'/') => Read::StartTag {
                    name,
                    attributes: inside.get(..p).unwrap_or_default(),
                    self_closing: true,
                },
                _ => Read::StartTag { name, attributes: inside, self_closing: false },
            }
        })
        .parse(input)
}

/// A `<` that starts no markup: the reason is read from the byte after it.
fn malformed(input: &[u8]) -> IResult<&[u8], Read<'_>> {
    let second = alt((value(None, eof), any_byte.map(Some)));
    (peek((tag(&b"<"[..]), second)), skipped_after_lt)
        .map(|((_, second), _)| Read::Malformed(malformed_reason(second)))
        .parse(input)
}

/// What a malformed `<` takes with it: the `<`, then up to the first `>` before the next
/// `<` (included), or else up to the next `<` or the end.
fn skipped_after_lt(input: &[u8]) -> IResult<&[u8], &[u8]> {
    let to_gt = recognize((take_till(|b| b == b'>' || b == b'<'), tag(&b">"[..])));
    let to_lt = take_till(|b| b == b'<');
    recognize((any_byte, alt((to_gt, to_lt)))).parse(input)
}

/// `markup = comment / cdata / declaration / pi / end-tag / start-tag / malformed`
fn markup(input: &[u8]) -> IResult<&[u8], Read<'_>> {
    alt((comment, cdata, declaration, pi, end_tag, start_tag, malformed)).parse(input)
}

impl Iterator for ReferenceLexer<'_> {
    type Item = Event;

    fn next(&mut self) -> Option<Event> {
        let input = self.src.get(self.pos..).filter(|rest| !rest.is_empty())?;
        if self.header {
            if let Ok((after, read)) = alt((blanks, header_field)).parse(input) {
                self.pos = self.src.offset(after);
                return Some(self.event(input, after, read));
            }
            self.header = false;
        }
        // `markup` ends in `malformed`, which reads any `<`, and `text` any other byte.
        let (after, read) = alt((markup, text)).parse(input).ok()?;
        self.pos = self.src.offset(after);
        Some(self.event(input, after, read))
    }
}

impl Lexer for ReferenceLexer<'_> {
    fn position(&self) -> usize {
        self.pos
    }

    fn in_header(&self) -> bool {
        self.header
    }
}
