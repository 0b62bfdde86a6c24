//! Bytes → a stream of lexical events: the header's `KEY:VALUE` lines, tags, texts and the
//! markup the reader tolerates (comments, declarations, processing instructions, CDATA,
//! malformed `<`), each with its byte [`Span`](crate::Span).
//!
//! Two lexers produce the stream, and they must agree on every input:
//!
//! - [`ReferenceLexer`] (`reference.rs`) is the grammar written with nom combinators, one
//!   function per production. Read it to learn what the lexer accepts.
//! - [`SliceLexer`] (`slice.rs`) is the production scanner (the tokenizer, with its
//!   word-at-a-time text scan) over a whole input held in memory.
//! - [`ReadLexer`] (`chunked.rs`) runs the production scanner over any [`Read`](std::io::Read),
//!   refilling a buffer chunk by chunk; offsets and line:column stay global.
//!
//! The tree builder reads the body through `body.rs`: the same events, plus the production
//! lexer's shortcuts as events of their own (a tag whose name the builder already knows, a
//! text with what the scan found in it, and the children of a flat aggregate as one batch,
//! `leaves.rs`); from the nom lexer, the plain events only.
//!
//! `ofxkit_syntax::fuzz::lexers_agree` is the oracle: the same events from all three, which a
//! test runs over every corpus file and the `lexers_agree` fuzz target over anything.
//!
//! The events tile the input: each starts where the previous one ended, the first at the
//! lexer's start, the last ends at the end of the input, and none is empty. What the events
//! mean (which tag closes which, what a header field says, how a text decodes) is for their
//! consumers: the tree builder and the header reader.
//!
//! ```
//! use ofxkit_syntax::lex::{Event, Lexer, SliceLexer};
//!
//! let src = b"OFXHEADER:100\n\n<OFX><CODE>0</OFX>";
//! let events: Vec<Event> = SliceLexer::new(src).collect();
//! assert!(matches!(events[0], Event::HeaderField { .. }));
//! let Event::StartTag { name, .. } = events[2] else { panic!() };
//! assert_eq!(&src[name.range()], b"OFX");
//! assert_eq!(events.last().unwrap().span().end as usize, src.len());
//! ```

pub(crate) mod body;
mod chunked;
mod event;
mod header_field;
pub(crate) mod leaves;
mod reference;
pub(crate) mod scan;
mod slice;
pub(crate) mod tokenizer;

pub use chunked::{DEFAULT_MAX_EVENT, ReadLexer};
pub use event::Event;
pub use reference::ReferenceLexer;
pub use slice::SliceLexer;

/// A source of lexical [`Event`]s over an input held in memory.
///
/// Implemented by the production [`SliceLexer`] and the nom [`ReferenceLexer`]; both are
/// iterators of the same events.
pub trait Lexer: Iterator<Item = Event> {
    /// The offset where the next event starts (the end of the input once all are read).
    fn position(&self) -> usize;

    /// True while the lexer is still in the header, where `KEY:VALUE` lines are read as
    /// [`Event::HeaderField`]; it leaves it at the first byte that is neither a blank nor the
    /// start of a field.
    fn in_header(&self) -> bool;
}

/// Where lexing starts in `input`: after a UTF-8 byte-order mark, if any.
///
/// ```
/// assert_eq!(ofxkit_syntax::lex::start_of(b"\xEF\xBB\xBF<OFX>"), 3);
/// assert_eq!(ofxkit_syntax::lex::start_of(b"<OFX>"), 0);
/// ```
pub fn start_of(input: &[u8]) -> usize {
    if input.starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 }
}

/// A blank between header fields and in tags: space, tab, LF, form feed or CR
/// ([`u8::is_ascii_whitespace`]).
pub(crate) const fn is_blank(b: u8) -> bool {
    b.is_ascii_whitespace()
}

/// The first byte of a tag name: a letter or `_`.
pub(crate) const fn is_name_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

/// A byte of a tag name after the first: a letter, digit, `.`, `_`, `-` or `:`.
pub(crate) const fn is_name_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b':')
}

/// Why a `<` starts no markup, by the byte after it (`None` at the end of the input); the
/// reason is part of [`Event::Malformed`].
pub(crate) fn malformed_reason(second: Option<u8>) -> &'static str {
    match second {
        None => "`<` at the end of the input",
        Some(b) if is_blank(b) => "blank after `<`",
        Some(b'<') => "`<` followed by another `<`",
        Some(b'>') => "empty tag `<>`",
        Some(b) if is_name_start(b) => "tag not closed by `>` before the next `<`",
        Some(_) => "a tag name must start with a letter",
    }
}

/// The reason of a malformed `</`.
pub(crate) const MALFORMED_END_TAG: &str = "an end tag must be `</NAME>`";

#[cfg(test)]
mod tests {
    use super::*;

    /// The events of `src` as short strings, from each lexer; panics unless all agree.
    fn events(src: &str) -> Vec<String> {
        let bytes = src.as_bytes();
        let reference: Vec<Event> = ReferenceLexer::new(bytes).collect();
        let production: Vec<Event> = SliceLexer::new(bytes).collect();
        assert_eq!(reference, production, "{src:?}: the lexers differ");
        for chunk in [1, 2, 3, 7] {
            let (chunked, _) = crate::fuzz::read_in_chunks(bytes, chunk);
            assert_eq!(chunked, production, "{src:?}: chunks of {chunk} differ");
        }
        let s = |span: crate::Span| &src[span.range()];
        production
            .iter()
            .map(|e| match *e {
                Event::HeaderField { key, value, .. } => format!("H({}={})", s(key), s(value)),
                Event::StartTag { name, self_closing, attributes, .. } => format!(
                    "<{}{}{}>",
                    s(name),
                    if attributes { " @" } else { "" },
                    if self_closing { "/" } else { "" }
                ),
                Event::EndTag { name, .. } => format!("</{}>", s(name)),
                Event::Text(span) => format!("T({})", s(span)),
                Event::CData { content, .. } => format!("C({})", s(content)),
                Event::Comment(span) => format!("!({})", s(span)),
                Event::Declaration(span) => format!("D({})", s(span)),
                Event::ProcessingInstruction(span) => format!("?({})", s(span)),
                Event::Malformed { span, .. } => format!("M({})", s(span)),
                Event::Unclosed { what, .. } => format!("U({what})"),
            })
            .collect()
    }

    #[test]
    fn each_form_reads_alike_through_every_lexer() {
        for (src, expect) in [
            ("", &[][..]),
            ("OFXHEADER:100\r\nDATA:OFXSGML\n", &["H(OFXHEADER=100)", "H(DATA=OFXSGML)"]),
            ("  KEY : v \r\r\n<A>", &["T(  )", "H(KEY= v )", "T(\r\n)", "<A>"]),
            ("A:1<OFX>", &["H(A=1)", "<OFX>"]),
            ("A:1\nnot a field\n", &["H(A=1)", "T(not a field\n)"]),
            ("<A>\nB:2", &["<A>", "T(\nB:2)"]),
            ("<A>x</A>", &["<A>", "T(x)", "</A>"]),
            ("<A >", &["<A>"]),
            ("<A/>", &["<A/>"]),
            ("<A / >", &["<A/>"]),
            ("<A x=\"1\">", &["<A @>"]),
            ("</A \t>", &["</A>"]),
            ("<INTU.BID>1", &["<INTU.BID>", "T(1)"]),
            ("<_a:b-c.d>", &["<_a:b-c.d>"]),
            ("<!-- c -->x", &["!(<!-- c -->)", "T(x)"]),
            ("<!-->-->", &["!(<!-->-->)"]),
            ("<![CDATA[a<b]]>", &["C(a<b)"]),
            ("<!DOCTYPE x [<!ENTITY a 'b'>]>", &["D(<!DOCTYPE x [<!ENTITY a 'b'>)", "T(]>)"]),
            ("<?xml version=\"1.0\"?>", &["?(<?xml version=\"1.0\"?>)"]),
            ("<<A>", &["M(<)", "<A>"]),
            ("< A>", &["M(< A>)"]),
            ("<>", &["M(<>)"]),
            ("</>", &["M(</>)"]),
            ("</A x>", &["M(</A x>)"]),
            ("<A<B>", &["M(<A)", "<B>"]),
            ("<A", &["M(<A)"]),
            ("<", &["M(<)"]),
            ("<1A>", &["M(<1A>)"]),
            ("<é>", &["M(<é>)"]),
            ("<!-- x", &["U(comment)"]),
            ("<![CDATA[x", &["U(CDATA section)"]),
            ("<!DOCTYPE", &["U(declaration)"]),
            ("<?xml", &["U(processing instruction)"]),
            ("\u{feff}<A>", &["<A>"]),
        ] {
            assert_eq!(events(src), expect, "{src:?}");
        }
    }

    #[test]
    fn the_header_ends_at_the_first_byte_that_is_neither_blank_nor_a_field() {
        let mut lexer = SliceLexer::new(b"A:1\n\n<B>C:2");
        assert!(lexer.in_header());
        let _ = lexer.by_ref().take(2).count();
        assert!(lexer.in_header());
        let _ = lexer.next();
        assert!(!lexer.in_header());
        assert_eq!(lexer.position(), 8);
    }
}
