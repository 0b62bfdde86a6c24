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
//! byte above 0x7F or a control byte, a stray end tag, a comment, more than [`MAX_CHILDREN`]
//! children or a limit) ends the batch with `None`: the builder drops what it appended
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
}

/// Where a batch's children go: the tree builder, which knows the names and the limits.
pub(crate) trait LeafSink: KnownNames {
    /// Appends a child leaf: `tag` is its start tag, `text` its value (plain, trimmed),
    /// `end` the end of its end tag when `explicit` (closed by its own `</NAME>` right after
    /// the value), else of its value; `amp` when the value holds a `&`.
    fn push(&mut self, sym: u16, tag: Span, text: Span, end: u32, explicit: bool, amp: bool);
}

/// How a batch ended: at an end tag, written as interned.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BatchEnd {
    /// The end tag's name's symbol (the builder checks it is the aggregate's).
    pub(crate) sym: u16,
    /// The end tag, from `<` to `>`.
    pub(crate) tag: Span,
    /// The children closed by their own end tag.
    pub(crate) explicit: u32,
    /// A value holds a `&`.
    pub(crate) amp: bool,
    /// The last child's end tag is not written.
    pub(crate) last_implicit: bool,
}

impl<'s> Leaves<'s> {
    /// A batch starting at `pos`, right after an aggregate's start tag.
    pub(crate) fn new(src: &'s [u8], pos: usize) -> Self {
        Leaves { src, pos }
    }

    /// Reads the children into `sink` up to an end tag, at most `room` of them, each value
    /// at most `max_text_len` bytes long; `None` when the batch cannot go on (see the
    /// [module](self) documentation), the children pushed so far to be dropped.
    #[inline(always)]
    pub(crate) fn read(
        self,
        sink: &mut impl LeafSink,
        room: u32,
        max_text_len: u32,
    ) -> Option<BatchEnd> {
        let src = self.src;
        let mut pos = self.pos;
        let mut count = 0u32;
        let mut explicit = 0u32;
        let mut any_amp = false;
        let mut last_implicit = false;
        loop {
            // Blanks before the next tag: most often one line feed, else scanned.
            if src.get(pos) != Some(&b'<') {
                if src.get(pos) == Some(&b'\n') && src.get(pos + 1) == Some(&b'<') {
                    pos += 1;
                } else {
                    let (lt, value) = scan_value(src, pos);
                    if value != ValueScan::Blank {
                        return None;
                    }
                    pos = lt;
                }
            }
            let (end_tag, key, after) = packed_tag(src, pos)?;
            let sym = sink.packed(key)?;
            let tag = Span::new(pos as u32, after as u32);
            if end_tag {
                return Some(BatchEnd { sym, tag, explicit, amp: any_amp, last_implicit });
            }
            if !sink.is_leaf(sym) {
                return None;
            }
            count += 1;
            if count > room {
                return None;
            }
            let (lt, value) = scan_value(src, after);
            let (first, last, amp) = match value {
                ValueScan::Plain { start, end } => (start, end, false),
                ValueScan::Amp { start, end } => (start, end, true),
                ValueScan::Blank | ValueScan::Other => return None,
            };
            any_amp |= amp;
            if (last - first) as u64 > u64::from(max_text_len) {
                return None;
            }
            let text = Span::new(first as u32, last as u32);
            // `</NAME>` of this leaf right after its value closes it; any other tag leaves it
            // to be closed by what follows (SGML's omitted end tag).
            let closing = src.get(lt + 1) == Some(&b'/');
            match if closing { packed_tag(src, lt) } else { None } {
                Some((true, end_key, end)) if end_key == key => {
                    sink.push(sym, tag, text, end as u32, true, amp);
                    explicit += 1;
                    last_implicit = false;
                    pos = end;
                }
                _ => {
                    sink.push(sym, tag, text, last as u32, false, amp);
                    last_implicit = true;
                    pos = lt;
                }
            }
        }
    }
}
