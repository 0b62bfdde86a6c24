//! The children of a flat aggregate, lexed as one batch.
//!
//! Most aggregates of a statement (`STMTTRN`, `STATUS`, `BANKACCTFROM`, `LEDGERBAL`…) hold
//! only leaves written `<NAME>value`, one per line, sometimes with `</NAME>`. Right after such
//! an aggregate's start tag, the production lexer hands the builder a [`Leaves`] cursor; the
//! builder pulls the children from it in one tight loop and appends the nodes its tag-by-tag
//! reading would have made, without the stack and the checks each tag otherwise goes through.
//! The cursor accepts only what that reading reads without a remark and in the same way:
//!
//! - tags whose names are in the packed cache, written upper case (see
//!   [`packed_tag`]);
//! - children the DTDs declare leaves, each with a plain value (see
//!   [`scan_value`]; a `&` is kept for decoding as the tag-by-tag
//!   reading keeps it), optionally closed by its own `</NAME>` right after the value and its
//!   blanks;
//! - blanks between them, and an end tag at the end (the builder checks it is the
//!   aggregate's own).
//!
//! Anything else (an aggregate or unknown element inside, an empty leaf, a value with a
//! byte above 0x7F or a control byte, a stray end tag, a comment, more than
//! [`MAX_CHILDREN`] children) ends the batch with `None`: the builder drops what it appended
//! and reads the children tag by tag, as if the batch did not exist. Each child is read at
//! most twice, so the work stays linear.

use super::body::KnownNames;
use super::scan::{ValueScan, scan_value};
use super::tokenizer::packed_tag;
use crate::span::Span;

/// The most children in a batch; a longer list is read tag by tag.
pub(crate) const MAX_CHILDREN: u32 = 64;

/// The children of the aggregate whose start tag ends at the cursor's start, one at a time.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Leaves<'s> {
    src: &'s [u8],
    pos: usize,
    count: u32,
}

/// One step of a batch.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Leaf {
    /// A child leaf.
    Child {
        /// Its name's symbol.
        sym: u16,
        /// Its start tag.
        tag: Span,
        /// Its value (plain, trimmed).
        text: Span,
        /// The end of its end tag when `explicit`, else of its value.
        end: u32,
        /// Closed by its own `</NAME>` right after the value.
        explicit: bool,
        /// The value holds a `&` (decoded once the file is read).
        amp: bool,
    },
    /// An end tag, written as interned: the end of the batch.
    End {
        /// Its name's symbol.
        sym: u16,
        /// From `<` to `>`.
        tag: Span,
    },
}

impl<'s> Leaves<'s> {
    /// A batch starting at `pos`, right after an aggregate's start tag.
    pub(crate) fn new(src: &'s [u8], pos: usize) -> Self {
        Leaves { src, pos, count: 0 }
    }

    /// The next child, or the end tag that ends the batch; `None` when the batch cannot go
    /// on (see the [module](self) documentation).
    #[inline(always)]
    pub(crate) fn next(&mut self, names: &impl KnownNames) -> Option<Leaf> {
        let src = self.src;
        let mut pos = self.pos;
        // Blanks before the next tag.
        if src.get(pos) != Some(&b'<') {
            let (lt, value) = scan_value(src, pos);
            if value != ValueScan::Blank {
                return None;
            }
            pos = lt;
        }
        let (end_tag, key, after) = packed_tag(src, pos)?;
        let sym = names.packed(key)?;
        let tag = Span::new(pos as u32, after as u32);
        if end_tag {
            self.pos = after;
            return Some(Leaf::End { sym, tag });
        }
        if !names.is_leaf(sym) {
            return None;
        }
        self.count += 1;
        if self.count > MAX_CHILDREN {
            return None;
        }
        let (lt, value) = scan_value(src, after);
        let (first, last, amp) = match value {
            ValueScan::Plain { start, end } => (start, end, false),
            ValueScan::Amp { start, end } => (start, end, true),
            ValueScan::Blank | ValueScan::Other => return None,
        };
        let text = Span::new(first as u32, last as u32);
        // `</NAME>` of this leaf right after its value closes it; any other tag leaves it
        // to be closed by what follows (SGML's omitted end tag).
        let closing = src.get(lt + 1) == Some(&b'/');
        let (end, explicit) = match if closing { packed_tag(src, lt) } else { None } {
            Some((true, end_key, end)) if end_key == key => (end, true),
            _ => (lt, false),
        };
        self.pos = end;
        let end = if explicit { end as u32 } else { last as u32 };
        Some(Leaf::Child { sym, tag, text, end, explicit, amp })
    }
}
