//! The 16-byte [`Node`] and the [`Wide`] table of the leaves too long for it.

use super::*;

/// One element. Kept at 16 bytes: the 193 MB benchmark file has about 7.6 million of them.
///
/// `a` and `b` are laid out by [`flags::LEAF`]:
///
/// - an element that is not a leaf: `a` is its end offset, `b` the index one past its last
///   descendant (`next`). While it is open, `a` is the end of its start tag and `b` its own
///   index plus one.
/// - a leaf: `a` is where its text starts (in the source, or in the arena with
///   [`flags::TEXT_IN_ARENA`]), `b` holds the text's length in its low 16 bits and, in its
///   high 16 bits, how far its end lies after the end of its text in the source (zero when
///   the end tag was omitted), or after its start for a text in the arena; with
///   [`flags::WIDE`] the text's length and the end are in the tree's [`Wide`] table
///   instead. Its `next` is its own index plus one. A leaf without text has an empty text at
///   the end of its start tag.
///
/// Read and write the fields through the methods, which hide this.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Node {
    pub(crate) name: u16,
    pub(crate) flags: u16,
    pub(crate) start: u32,
    pub(super) a: u32,
    pub(super) b: u32,
}

const _: () = assert!(size_of::<Node>() == 16);

/// The largest length a leaf keeps in its node.
pub(super) const NARROW: u32 = u16::MAX as u32;

impl Node {
    /// An element just opened by its start tag `tag`, at index `idx`: no text or child yet.
    #[inline(always)]
    pub(crate) fn opened(name: u16, flags: u16, tag: Span, idx: u32) -> Node {
        Node { name, flags, start: tag.start, a: tag.end, b: idx.wrapping_add(1) }
    }

    /// True for a leaf (see [`flags::LEAF`]). While an element is open: true once it holds a
    /// text.
    #[inline(always)]
    pub(crate) fn is_leaf(&self) -> bool {
        self.flags & flags::LEAF != 0
    }

    /// The index one past the last descendant of this node, at index `idx`.
    #[inline(always)]
    pub(crate) fn next(&self, idx: u32) -> u32 {
        if self.is_leaf() { idx.wrapping_add(1) } else { self.b }
    }

    /// The end offset of this node, at index `idx`.
    #[inline]
    pub(crate) fn end(&self, idx: u32, wide: &Wide) -> u32 {
        if !self.is_leaf() {
            self.a
        } else if self.flags & flags::WIDE == 0 {
            self.tail_base().wrapping_add(self.b >> 16)
        } else {
            wide.get(idx).map_or(self.start, |w| w.end)
        }
    }

    /// What the high half of a leaf's `b` counts from: the end of its text in the source, or
    /// its start for a text in the arena.
    #[inline]
    pub(super) fn tail_base(&self) -> u32 {
        if self.flags & flags::TEXT_IN_ARENA == 0 {
            self.a.wrapping_add(self.b & NARROW)
        } else {
            self.start
        }
    }

    /// Where the text of this leaf, at index `idx`, is: in the source, or in the arena with
    /// [`flags::TEXT_IN_ARENA`]. Empty for an element that is not a leaf.
    #[inline]
    pub(crate) fn text_span(&self, idx: u32, wide: &Wide) -> Span {
        if !self.is_leaf() {
            return Span::point(self.a);
        }
        let len = if self.flags & flags::WIDE == 0 {
            self.b & NARROW
        } else {
            wide.get(idx).map_or(0, |w| w.text_len)
        };
        Span::new(self.a, self.a.saturating_add(len))
    }

    /// The text of a leaf that is neither [`flags::WIDE`] nor in the arena: the source span
    /// the node holds.
    #[inline(always)]
    pub(super) fn source_text(&self) -> Option<Span> {
        (self.flags & (flags::LEAF | flags::WIDE | flags::TEXT_IN_ARENA) == flags::LEAF)
            .then(|| Span::new(self.a, self.a.wrapping_add(self.b & NARROW)))
    }

    /// Stores the text of `len` bytes at `text_start` in the source as the first text of an
    /// open element (it is then a leaf, and ends at the end of its text for now); returns
    /// false, having changed nothing, when the length does not fit the node (then use
    /// [`set_text`](Self::set_text)).
    #[inline(always)]
    pub(crate) fn store_text(&mut self, text_start: u32, len: u32) -> bool {
        if len > NARROW {
            return false;
        }
        self.a = text_start;
        self.b = len;
        self.flags |= flags::LEAF;
        true
    }

    /// Makes this node, at index `idx`, a leaf with the text `text`, in the arena when
    /// `in_arena` and else in the source, and that ends at `end`.
    #[inline]
    pub(crate) fn set_text(
        &mut self,
        idx: u32,
        text: Span,
        in_arena: bool,
        end: u32,
        wide: &mut Wide,
    ) {
        self.flags |= flags::LEAF;
        if in_arena {
            self.flags |= flags::TEXT_IN_ARENA;
        } else {
            self.flags &= !flags::TEXT_IN_ARENA;
        }
        let text_len = text.end.wrapping_sub(text.start);
        self.a = text.start;
        // As `tail_base` reads it back. An end before its base, or a text that ends before
        // it starts (never the case), wraps to a length that is too large.
        let base = if in_arena { self.start } else { text.end };
        let tail = end.wrapping_sub(base);
        if text_len <= NARROW && tail <= NARROW {
            self.flags &= !flags::WIDE;
            self.b = text_len | tail << 16;
        } else {
            self.flags |= flags::WIDE;
            self.b = 0;
            wide.set(idx, text_len, end);
        }
    }

    /// Closes this node, at index `idx`, as a leaf ending at `end`: it keeps its text, or,
    /// without one, gets the empty text at the end of its start tag.
    #[inline]
    pub(crate) fn close_leaf(&mut self, idx: u32, end: u32, wide: &mut Wide) {
        // The common case: a text in the source, its end tag close after it.
        if let Some(text) = self.source_text() {
            let tail = end.wrapping_sub(text.end);
            if tail <= NARROW {
                self.b = (self.b & NARROW) | tail << 16;
                return;
            }
        }
        self.close_leaf_general(idx, end, wide);
    }

    /// [`close_leaf`](Self::close_leaf) for every case.
    #[inline(never)]
    pub(super) fn close_leaf_general(&mut self, idx: u32, end: u32, wide: &mut Wide) {
        let text = self.text_span(idx, wide);
        let in_arena = self.flags & flags::TEXT_IN_ARENA != 0;
        self.set_text(idx, text, in_arena, end, wide);
    }

    /// Closes this node as an element (not a leaf) ending at `end`, its descendants ending
    /// before index `next`.
    #[inline]
    pub(crate) fn close_element(&mut self, end: u32, next: u32) {
        self.a = end;
        self.b = next;
    }

    /// Sets the `next` of an element that is not a leaf (a leaf's is fixed).
    #[inline]
    pub(crate) fn set_next(&mut self, next: u32) {
        if !self.is_leaf() {
            self.b = next;
        }
    }

    /// This node with its `next` counted from index `base` (for a subtree starting there).
    #[inline(always)]
    pub(crate) fn rebased(self, base: u32) -> Node {
        let base = if self.is_leaf() { 0 } else { base };
        Node { b: self.b.saturating_sub(base), ..self }
    }
}

/// The lengths of a [`flags::WIDE`] leaf.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct WideLeaf {
    /// The node's index.
    pub(super) idx: u32,
    pub(crate) text_len: u32,
    pub(crate) end: u32,
}

/// The lengths of the [`flags::WIDE`] leaves, by node index (sorted). A wide leaf spans 64 KiB
/// of input, or has a text of 64 KiB or more (decoded from at least 21 KiB of input), so there
/// are few of them, and a node recorded out of order (decoding makes a text wide after later
/// nodes were recorded) is inserted in place. An entry is read only for a node flagged wide:
/// one left by a node that no longer is (never the case) is harmless.
#[derive(Debug, Clone, Default)]
pub(crate) struct Wide(pub(super) Vec<WideLeaf>);

impl Wide {
    pub(super) fn position(&self, idx: u32) -> Result<usize, usize> {
        self.0.binary_search_by_key(&idx, |w| w.idx)
    }

    /// The lengths of the node at `idx`.
    pub(crate) fn get(&self, idx: u32) -> Option<&WideLeaf> {
        self.position(idx).ok().and_then(|i| self.0.get(i))
    }

    /// Records the lengths of the node at `idx`.
    pub(crate) fn set(&mut self, idx: u32, text_len: u32, end: u32) {
        let entry = WideLeaf { idx, text_len, end };
        // Nodes are mostly recorded in order: the last one, or one after it.
        match self.0.last_mut() {
            Some(last) if last.idx == idx => *last = entry,
            Some(last) if last.idx > idx => match self.position(idx) {
                Ok(i) => {
                    if let Some(w) = self.0.get_mut(i) {
                        *w = entry;
                    }
                }
                Err(i) => self.0.insert(i, entry),
            },
            _ => self.0.push(entry),
        }
    }

    /// Forgets the nodes from index `len` on (the nodes were truncated to `len`).
    #[inline]
    pub(crate) fn truncate(&mut self, len: u32) {
        if self.0.last().is_none_or(|w| w.idx < len) {
            return;
        }
        let keep = self.0.partition_point(|w| w.idx < len);
        self.0.truncate(keep);
    }

    /// The entries of the nodes from index `base` on, counted from there.
    #[inline]
    pub(crate) fn rebased(&self, base: u32) -> Wide {
        if self.0.last().is_none_or(|w| w.idx < base) {
            return Wide::default();
        }
        let from = self.0.partition_point(|w| w.idx < base);
        let rest = self.0.get(from..).unwrap_or_default();
        Wide(rest.iter().map(|w| WideLeaf { idx: w.idx.saturating_sub(base), ..*w }).collect())
    }
}
