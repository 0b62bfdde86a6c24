//! The body as the tree builder reads it: the lexical [`Event`]s, plus the shortcuts of the
//! production lexer as events of their own (a tag whose name the builder's name table already
//! knows, a text run with what the word-at-a-time scan found in it, and the children of a
//! flat aggregate as one batch, see [`Leaves`]).
//!
//! Two sources give these events, and the builder's one loop (`crate::read`) consumes
//! either:
//!
//! - [`BodyLexer`], the production: the packed 16-byte tag compare ([`packed_tag`]) for
//!   names seen before, the text scan of [`scan_value`], the leaves batch, and the tokenizer
//!   for the rest;
//! - `PlainBody`, the reference the oracles compare it with: the nom
//!   [`ReferenceLexer`](super::ReferenceLexer)'s events and nothing else (tests and the
//!   `fuzz` feature only).
//!
//! Both can be moved to another position ([`BodySource::seek`]): the loop does so when it
//! reads a piece of an XML body as quick-xml reads it, or when a batch of leaves was taken.

use super::Event;
use super::leaves::Leaves;
use super::scan::{ValueScan, scan_value};
use super::tokenizer::{Tokenizer, packed_tag};
use crate::span::Span;

/// What the tree builder's name table tells the production lexer.
pub(crate) trait KnownNames {
    /// The symbol of a name written upper case that was seen before, by the name packed as
    /// [`packed_tag`] packs it (`None`: not in the cache).
    fn packed(&self, key: (u64, u64)) -> Option<u16>;
    /// True when the DTDs declare the name an aggregate (its children may be leaves read in
    /// a batch).
    fn is_aggregate(&self, sym: u16) -> bool;
    /// True when the DTDs declare the name a leaf.
    fn is_leaf(&self, sym: u16) -> bool;
}

/// One event of the body as the builder reads it.
#[derive(Debug)]
pub(crate) enum Body<'s> {
    /// `<NAME>` or `</NAME>` (`end_tag`), the name written as interned, with its symbol.
    Known {
        /// The name's symbol in the builder's table.
        sym: u16,
        /// From `<` to `>`.
        tag: Span,
        /// `</NAME>`.
        end_tag: bool,
    },
    /// Right after a [`Known`](Body::Known) start tag of an aggregate: its children, to be
    /// read as a batch or declined (then the source reads on from the same place).
    Leaves(Leaves<'s>),
    /// A text run up to the next `<` or the end, and what [`scan_value`] found in it. (A
    /// line feed alone between two tags, the commonest blank text, is skipped: a blank text
    /// changes nothing.)
    Text {
        /// The whole run, blanks included.
        span: Span,
        /// Blank, a plain value (trimmed), or something to read in full.
        value: ValueScan,
    },
    /// Any other lexical event.
    Lexed(Event),
}

/// A source of [`Body`] events over an input held in memory, from a position that can be
/// moved.
pub(crate) trait BodySource<'s> {
    /// The next event, or `None` at the end of the input; `names` is the builder's table.
    fn next_body(&mut self, names: &impl KnownNames) -> Option<Body<'s>>;
    /// Reads on from `pos`.
    fn seek(&mut self, pos: usize);
    /// Where the next event starts.
    fn position(&self) -> usize;
}

/// The production source: see the [module](self) documentation.
pub(crate) struct BodyLexer<'s> {
    src: &'s [u8],
    tokens: Tokenizer<'s>,
    /// The last event was a known aggregate's start tag: its children may follow as a batch.
    after_start: bool,
}

impl<'s> BodyLexer<'s> {
    /// Lexes the body `src[pos..]`.
    pub(crate) fn new(src: &'s [u8], pos: usize) -> Self {
        BodyLexer { src, tokens: Tokenizer::new(src, pos), after_start: false }
    }
}

impl<'s> BodySource<'s> for BodyLexer<'s> {
    #[inline(always)]
    fn next_body(&mut self, names: &impl KnownNames) -> Option<Body<'s>> {
        let mut start = self.tokens.pos;
        if std::mem::take(&mut self.after_start) {
            return Some(Body::Leaves(Leaves::new(self.src, start)));
        }
        let mut byte = *self.src.get(start)?;
        if byte == b'\n' && self.src.get(start + 1) == Some(&b'<') {
            // A line feed alone between two tags: a blank text, which changes nothing.
            start += 1;
            byte = b'<';
        }
        match byte {
            b'<' => {
                if let Some((end_tag, key, end)) = packed_tag(self.src, start)
                    && let Some(sym) = names.packed(key)
                {
                    self.tokens.pos = end;
                    self.after_start = !end_tag && names.is_aggregate(sym);
                    let tag = Span::new(start as u32, end as u32);
                    return Some(Body::Known { sym, tag, end_tag });
                }
                Some(Body::Lexed(self.tokens.markup(start).event()))
            }
            _ => {
                let (end, value) = scan_value(self.src, start);
                self.tokens.pos = end;
                Some(Body::Text { span: Span::new(start as u32, end as u32), value })
            }
        }
    }

    fn seek(&mut self, pos: usize) {
        self.tokens.seek(pos);
        self.after_start = false;
    }

    fn position(&self) -> usize {
        self.tokens.position()
    }
}

/// The reference source: the nom [`ReferenceLexer`]'s events, with no
/// shortcut.
#[cfg(any(test, feature = "fuzz"))]
pub(crate) struct PlainBody<'s> {
    lexer: super::ReferenceLexer<'s>,
}

#[cfg(any(test, feature = "fuzz"))]
impl<'s> PlainBody<'s> {
    /// Lexes the body `src[pos..]`.
    pub(crate) fn new(src: &'s [u8], pos: usize) -> Self {
        PlainBody { lexer: super::ReferenceLexer::body(src, pos) }
    }
}

#[cfg(any(test, feature = "fuzz"))]
impl<'s> BodySource<'s> for PlainBody<'s> {
    fn next_body(&mut self, _: &impl KnownNames) -> Option<Body<'s>> {
        self.lexer.next().map(Body::Lexed)
    }

    fn seek(&mut self, pos: usize) {
        self.lexer.seek(pos);
    }

    fn position(&self) -> usize {
        super::Lexer::position(&self.lexer)
    }
}
