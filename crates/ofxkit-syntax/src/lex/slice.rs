//! The production lexer over a whole input: the tokenizer the body lexer drives
//! (`tokenizer.rs`, with the word-at-a-time text scan of `scan.rs`) behind the [`Lexer`] trait.

use super::{Event, Lexer, header_field, is_blank};
use crate::lex::tokenizer::{Token, Tokenizer};
use crate::span::Span;

/// The production lexer over an input held in memory. See the [module](super) for the
/// events and [`ReferenceLexer`](super::ReferenceLexer) for the grammar it implements.
///
/// Offsets are `u32`, like every [`Span`]: inputs are capped below 4 GiB.
pub struct SliceLexer<'a> {
    tokens: Tokenizer<'a>,
    src: &'a [u8],
    header: bool,
}

impl<'a> SliceLexer<'a> {
    /// Lexes `src` from its first byte (after a UTF-8 byte-order mark, if any), starting in
    /// the header.
    pub fn new(src: &'a [u8]) -> Self {
        Self::resume(src, super::start_of(src), true)
    }

    /// Lexes `src` from `pos`; `header` says whether header fields are still read there.
    pub fn resume(src: &'a [u8], pos: usize, header: bool) -> Self {
        SliceLexer { tokens: Tokenizer::new(src, pos), src, header }
    }

    /// The next event while in the header: a blank run, a field, or nothing (the header has
    /// ended).
    fn header_event(&mut self) -> Option<Event> {
        let pos = self.tokens.position();
        let rest = self.src.get(pos..)?;
        let blanks = rest.iter().take_while(|&&b| is_blank(b)).count();
        let span = |from: usize, to: usize| Span::new((pos + from) as u32, (pos + to) as u32);
        if blanks > 0 {
            self.tokens.seek(pos + blanks);
            return Some(Event::Text(span(0, blanks)));
        }
        let field = header_field::read(rest)?;
        self.tokens.seek(pos + field.line_end);
        Some(Event::HeaderField {
            line: span(0, field.line_end),
            key: span(0, field.key),
            value: span(field.value_start, field.value_end),
        })
    }
}

impl Iterator for SliceLexer<'_> {
    type Item = Event;

    fn next(&mut self) -> Option<Event> {
        if self.header {
            if let Some(event) = self.header_event() {
                return Some(event);
            }
            self.header = false;
        }
        Some(self.tokens.next_token()?.event())
    }
}

impl Token {
    /// The lexical event of this token.
    #[inline]
    pub(crate) fn event(self) -> Event {
        match self {
            Token::Start { name, tag, self_closing, attrs } => {
                Event::StartTag { tag, name, self_closing, attributes: attrs }
            }
            Token::End { name, tag } => Event::EndTag { tag, name },
            Token::Text(span, _) => Event::Text(span),
            Token::CData { markup, content } => Event::CData { markup, content },
            Token::Comment(span) => Event::Comment(span),
            Token::Declaration(span) => Event::Declaration(span),
            Token::Pi(span) => Event::ProcessingInstruction(span),
            Token::Malformed { span, reason } => Event::Malformed { span, reason },
            Token::Unclosed { span, what } => Event::Unclosed { span, what },
        }
    }
}

impl Lexer for SliceLexer<'_> {
    fn position(&self) -> usize {
        self.tokens.position()
    }

    fn in_header(&self) -> bool {
        self.header
    }
}
