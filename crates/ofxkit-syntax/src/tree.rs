//! The element tree: a flat, pre-order arena of compact nodes.
//!
//! Every node is 16 bytes and refers to the input by byte offsets, so the tree borrows nothing
//! and has no recursive `Drop`, `Debug` or serialisation that a deep file could overflow. A
//! node's descendants are the nodes that follow it up to its `next` index; its first child is
//! the node right after it, and the next sibling of a child is that child's `next`.
//!
//! Text is stored as a span of the input when the input bytes are already the text (no
//! entity, no re-encoding needed), and otherwise in one shared string arena.
//!
//! A node holds its name, flags and start offset, and two words whose meaning depends on
//! whether it is a leaf (see [`Node`]): an element holds its end and its `next`; a leaf, which
//! never has children (its `next` is the index after it), holds its text's start, and in 16
//! bits each its text's length and how far its end lies beyond. The few leaves for which 16
//! bits are not enough (a text of 64 KiB or more, or 64 KiB or more between a text and the
//! end of its element) are flagged [`flags::WIDE`] and keep their text's length and their
//! end in a small table beside the nodes, [`Wide`].

use std::borrow::Cow;
use std::fmt;
use std::sync::OnceLock;

use crate::span::Span;

pub(crate) mod flags {
    /// The element holds character data (a leaf), possibly empty. Set by the builder as soon
    /// as a text is stored (such an element is a leaf whatever follows), or when a leaf
    /// without text closes: it says how the node's fields are laid out (see `Node`).
    pub const LEAF: u16 = 1 << 0;
    /// Text lives in the arena (decoded), not in the source.
    pub const TEXT_IN_ARENA: u16 = 1 << 1;
    /// The element had an explicit end tag.
    pub const END_TAG: u16 = 1 << 2;
    /// The element was written `<X/>`.
    pub const SELF_CLOSING: u16 = 1 << 3;
    /// Raw text contains `&`.
    pub const TEXT_AMP: u16 = 1 << 4;
    /// Raw text contains bytes >= 0x80.
    pub const TEXT_NON_ASCII: u16 = 1 << 5;
    /// Raw text contains CR.
    pub const TEXT_CR: u16 = 1 << 6;
    /// Raw text came from CDATA: no entity decoding.
    pub const TEXT_LITERAL: u16 = 1 << 7;
    /// The tag name was not upper case in the file.
    pub const FOLDED_NAME: u16 = 1 << 8;
    /// A leaf whose text length or end does not fit the node's 16-bit halves: both are in
    /// the tree's [`Wide`](super::Wide) table.
    pub const WIDE: u16 = 1 << 9;
    /// The element was still open when the input ended (see
    /// [`Element::cut_by_end_of_input`](super::Element::cut_by_end_of_input)).
    pub const CUT_BY_EOF: u16 = 1 << 10;
    /// The element's end was supplied by recovery (see
    /// [`Element::closed_by_recovery`](super::Element::closed_by_recovery)).
    pub const RECOVERED_END: u16 = 1 << 11;
    /// A leaf of an XML body closed by an end tag other than its own: its end was supplied
    /// by recovery if the body turns out to be written with XML rules, and by SGML's rules
    /// (no recovery: the flag is cleared once the file is read) if it is not.
    pub const XML_LEAF_END: u16 = 1 << 12;
    /// The text is made of several pieces of the input, split by comments, processing
    /// instructions or CDATA boundaries (the builder's `pieces` list them); decoding joins
    /// them in the arena. Until then the node's text span covers them all.
    pub const TEXT_JOINED: u16 = 1 << 13;
    /// Any of the flags that say an element's end was not written as the format wants.
    pub const UNFINISHED: u16 = CUT_BY_EOF | RECOVERED_END | XML_LEAF_END;
}

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
    a: u32,
    b: u32,
}

const _: () = assert!(size_of::<Node>() == 16);

/// The largest length a leaf keeps in its node.
const NARROW: u32 = u16::MAX as u32;

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
    fn tail_base(&self) -> u32 {
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
    fn source_text(&self) -> Option<Span> {
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
        self.close_leaf_slow(idx, end, wide);
    }

    /// [`close_leaf`](Self::close_leaf) for every case.
    #[inline(never)]
    fn close_leaf_slow(&mut self, idx: u32, end: u32, wide: &mut Wide) {
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
    idx: u32,
    pub(crate) text_len: u32,
    pub(crate) end: u32,
}

/// The lengths of the [`flags::WIDE`] leaves, by node index (sorted). A wide leaf spans 64 KiB
/// of input, or has a text of 64 KiB or more (decoded from at least 21 KiB of input), so there
/// are few of them, and a node recorded out of order (decoding makes a text wide after later
/// nodes were recorded) is inserted in place. An entry is read only for a node flagged wide:
/// one left by a node that no longer is (never the case) is harmless.
#[derive(Debug, Clone, Default)]
pub(crate) struct Wide(Vec<WideLeaf>);

impl Wide {
    fn position(&self, idx: u32) -> Result<usize, usize> {
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

/// The bytes the tree refers to.
#[derive(Debug, Clone)]
pub(crate) enum Source<'a> {
    /// Valid UTF-8 throughout: texts are borrowed as `&str` slices.
    Utf8(Cow<'a, str>),
    /// Anything else: only ASCII texts are borrowed; others live in the arena.
    Bytes(Cow<'a, [u8]>),
}

impl Source<'_> {
    pub(crate) fn bytes(&self) -> &[u8] {
        match self {
            Source::Utf8(s) => s.as_bytes(),
            Source::Bytes(b) => b,
        }
    }

    fn str_at(&self, span: Span) -> &str {
        match self {
            Source::Utf8(s) => s.get(span.range()).unwrap_or_default(),
            // Only ASCII texts stay in a non-UTF-8 source (see `decode`).
            Source::Bytes(b) => {
                b.get(span.range()).and_then(|t| std::str::from_utf8(t).ok()).unwrap_or_default()
            }
        }
    }
}

/// Identifies an element of a [`Tree`]; valid only for the tree that made it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeId(pub(crate) u32);

impl NodeId {
    /// Position in pre-order (the root is 0).
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// The element tree of one file, and the bytes it refers to.
#[derive(Clone)]
pub struct Tree<'a> {
    pub(crate) source: Source<'a>,
    pub(crate) nodes: Vec<Node>,
    pub(crate) names: Vec<Box<str>>,
    pub(crate) arena: String,
    /// The lengths of the [`flags::WIDE`] leaves.
    pub(crate) wide: Wide,
    /// The parent of each node ([`NO_PARENT`] for the root), made on first use.
    pub(crate) parents: OnceLock<Box<[u32]>>,
}

/// The parent of a node that has none (the root).
const NO_PARENT: u32 = u32::MAX;

#[cfg(test)]
thread_local! {
    /// Nodes visited by the tree's walks on this thread (tests count work with it).
    pub(crate) static VISITS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Counts `n` node visits (only in tests).
#[inline(always)]
fn visited(n: u64) {
    #[cfg(test)]
    VISITS.with(|v| v.set(v.get() + n));
    #[cfg(not(test))]
    let _ = n;
}

impl fmt::Debug for Tree<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tree")
            .field("elements", &self.nodes.len())
            .field("source_bytes", &self.source.bytes().len())
            .field("root", &self.root())
            .finish()
    }
}

impl<'a> Tree<'a> {
    /// The root element (`OFX` or `OFC`).
    pub fn root(&self) -> Element<'_> {
        Element { tree: self, id: 0 }
    }

    /// The element with this id.
    ///
    /// Returns `None` for an id from another tree that is out of range.
    pub fn get(&self, id: NodeId) -> Option<Element<'_>> {
        (id.index() < self.nodes.len()).then_some(Element { tree: self, id: id.0 })
    }

    /// Number of elements.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// True when the tree has no element (never the case for a parsed file).
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Every element in document order.
    pub fn elements(&self) -> impl Iterator<Item = Element<'_>> + '_ {
        (0..self.nodes.len() as u32).map(move |id| Element { tree: self, id })
    }

    /// The distinct tag names of the tree, upper case, in the order of
    /// [`Element::name_index`].
    pub fn names(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        self.names.iter().map(|n| &**n)
    }

    /// The input bytes the spans refer to (the transcoded text for UTF-16 input).
    pub fn source(&self) -> &[u8] {
        self.source.bytes()
    }

    /// The ids of the elements that contain `id`, outermost first (the root is first).
    ///
    /// O(depth) once the tree's parent table is made: see [`parent_of`](Self::parent_of).
    pub fn ancestors_of(&self, id: NodeId) -> Vec<NodeId> {
        let mut path = Vec::new();
        let mut at = self.parent_of(id);
        while let Some(p) = at {
            path.push(p);
            at = self.parent_of(p);
        }
        path.reverse();
        path
    }

    /// The id of the element that contains `id`; `None` for the root (and for an id out of
    /// range).
    ///
    /// The first call makes a table of every element's parent, in one pass over the tree
    /// (four bytes per element); every call after it is a lookup. So finding the path of
    /// each of many elements costs time in proportion to their depth, never to how many
    /// siblings come before them.
    ///
    /// ```
    /// let doc = ofxkit_syntax::parse(b"<OFX><STMTTRN><TRNAMT>1<NAME>A</STMTTRN></OFX>")?;
    /// let tree = doc.tree();
    /// let name = doc.root().descendants().find(|e| e.name() == "NAME").unwrap();
    /// let trn = tree.parent_of(name.id()).unwrap();
    /// assert_eq!(tree.get(trn).unwrap().name(), "STMTTRN");
    /// assert_eq!(tree.parent_of(trn), Some(doc.root().id()));
    /// assert_eq!(tree.parent_of(doc.root().id()), None);
    /// # Ok::<(), ofxkit_syntax::Error>(())
    /// ```
    pub fn parent_of(&self, id: NodeId) -> Option<NodeId> {
        let parents = self.parents.get_or_init(|| parents(&self.nodes));
        visited(1);
        parents.get(id.index()).copied().filter(|&p| p != NO_PARENT).map(NodeId)
    }

    /// The path of an element as tag names from the root, e.g. `OFX/BANKMSGSRSV1/STMTTRNRS`.
    pub fn path_of(&self, id: NodeId) -> String {
        let mut path = String::new();
        for a in self.ancestors_of(id) {
            path.push_str(self.name_of(a.0));
            path.push('/');
        }
        path.push_str(self.name_of(id.0));
        path
    }

    fn node(&self, id: u32) -> Node {
        self.nodes.get(id as usize).copied().unwrap_or_default()
    }

    fn name_of(&self, id: u32) -> &str {
        self.names.get(self.node(id).name as usize).map(|n| &**n).unwrap_or_default()
    }

    fn text_of(&self, id: u32, node: &Node) -> &str {
        let span = node.text_span(id, &self.wide);
        if node.flags & flags::TEXT_IN_ARENA != 0 {
            self.arena.get(span.range()).unwrap_or_default()
        } else {
            self.source.str_at(span)
        }
    }
}

/// The parent of each node of a pre-order arena, in one pass: the open elements are a stack
/// of (index, next), and a node's parent is the innermost one whose descendants reach it.
fn parents(nodes: &[Node]) -> Box<[u32]> {
    let mut out = Vec::with_capacity(nodes.len());
    let mut open: Vec<(u32, u32)> = Vec::new();
    visited(nodes.len() as u64);
    for (idx, node) in (0u32..).zip(nodes) {
        while open.last().is_some_and(|&(_, next)| next <= idx) {
            open.pop();
        }
        out.push(open.last().map_or(NO_PARENT, |&(p, _)| p));
        let next = node.next(idx);
        if next > idx.wrapping_add(1) {
            open.push((idx, next));
        }
    }
    out.into_boxed_slice()
}

/// A borrowed view of one element.
#[derive(Clone, Copy)]
pub struct Element<'t> {
    tree: &'t Tree<'t>,
    id: u32,
}

impl<'t> Element<'t> {
    fn node(&self) -> Node {
        self.tree.node(self.id)
    }

    /// This element's id.
    pub fn id(&self) -> NodeId {
        NodeId(self.id)
    }

    /// The tag name, upper case (`STMTTRN`, `INTU.BID`).
    pub fn name(&self) -> &'t str {
        self.tree.name_of(self.id)
    }

    /// The index of this element's tag name in [`Tree::names`]: equal for elements of the
    /// same name, so a caller can look a name up once per tree instead of once per element.
    ///
    /// ```
    /// let doc = ofxkit_syntax::parse(b"<OFX><A>1<B>2<A>3</OFX>")?;
    /// let names: Vec<&str> = doc.tree().names().collect();
    /// let kids: Vec<_> = doc.root().children().collect();
    /// assert_eq!(names[kids[0].name_index()], "A");
    /// assert_eq!(kids[0].name_index(), kids[2].name_index());
    /// assert_ne!(kids[0].name_index(), kids[1].name_index());
    /// # Ok::<(), ofxkit_syntax::Error>(())
    /// ```
    pub fn name_index(&self) -> usize {
        usize::from(self.node().name)
    }

    /// The decoded text of a leaf (entities resolved, surrounding whitespace trimmed, in
    /// UTF-8); `Some("")` for a leaf without value; `None` for an aggregate.
    pub fn text(&self) -> Option<&'t str> {
        let node = self.node();
        // The common leaf first: one test of the flags.
        if let Some(span) = node.source_text() {
            return Some(self.tree.source.str_at(span));
        }
        node.is_leaf().then(|| self.tree.text_of(self.id, &node))
    }

    /// True for an element that holds character data rather than elements.
    pub fn is_leaf(&self) -> bool {
        self.node().flags & flags::LEAF != 0
    }

    /// True when the element's end tag was written in the file.
    pub fn has_end_tag(&self) -> bool {
        self.node().flags & (flags::END_TAG | flags::SELF_CLOSING) != 0
    }

    /// True when the tag was written `<X/>`.
    pub fn is_self_closing(&self) -> bool {
        self.node().flags & flags::SELF_CLOSING != 0
    }

    /// True when the tag name was written in lower or mixed case.
    pub fn had_folded_name(&self) -> bool {
        self.node().flags & flags::FOLDED_NAME != 0
    }

    /// True when the element was still open when the input ended: a leaf whose text ran
    /// into the end of the input (even when only blanks followed it), or an aggregate (the
    /// root included) that the end-of-input recovery closed. Its value or its content may
    /// be incomplete: a cut `<TRNAMT>-42.00` reads `-4`. Such an element is always
    /// [`closed_by_recovery`](Self::closed_by_recovery) too.
    ///
    /// ```
    /// let doc = ofxkit_syntax::parse(b"<OFX><STMTTRN><FITID>1</FITID><TRNAMT>-4")?;
    /// let trn = doc.root().child("STMTTRN").unwrap();
    /// let amount = trn.child("TRNAMT").unwrap();
    /// assert_eq!(amount.text(), Some("-4"));
    /// assert!(amount.cut_by_end_of_input() && amount.closed_by_recovery());
    /// assert!(trn.cut_by_end_of_input() && doc.root().cut_by_end_of_input());
    /// // Its sibling was finished before the input ended.
    /// assert!(!trn.child("FITID").unwrap().cut_by_end_of_input());
    /// # Ok::<(), ofxkit_syntax::Error>(())
    /// ```
    pub fn cut_by_end_of_input(&self) -> bool {
        self.node().flags & flags::CUT_BY_EOF != 0
    }

    /// True when the element's end was supplied by recovery, not written in the file nor
    /// given by the format's rules. Recovery closes:
    ///
    /// - every element still open at the end of the input (see
    ///   [`cut_by_end_of_input`](Self::cut_by_end_of_input));
    /// - an aggregate whose missing end tag is supplied: one closed by a repeat of itself
    ///   (`<STMTTRN>…<STMTTRN>`), and, in OFX, which requires the end tag of every
    ///   aggregate, one closed by an ancestor's end tag;
    /// - an element the DTDs do not know, never closed and without a value, read as an
    ///   empty element followed by what it seemed to hold;
    /// - in a body written with XML rules (every leaf closed by its own end tag), a leaf
    ///   closed by another element's end tag.
    ///
    /// Not recovery: an SGML leaf ended by the next tag or by its parent's end tag (that is
    /// how OFX 1.x writes leaves, also under an XML header), an OFC aggregate closed by an
    /// ancestor's end tag (the OFC DTD lets its end tag be omitted), and `<X/>`.
    ///
    /// ```
    /// let doc = ofxkit_syntax::parse(
    ///     b"<OFX><BANKTRANLIST><STMTTRN><TRNAMT>1<STMTTRN><TRNAMT>2</STMTTRN></BANKTRANLIST></OFX>",
    /// )?;
    /// let list = doc.root().child("BANKTRANLIST").unwrap();
    /// let trns: Vec<_> = list.children().collect();
    /// // The first one's end tag is missing: the second <STMTTRN> supplies it.
    /// assert!(trns[0].closed_by_recovery() && !trns[0].cut_by_end_of_input());
    /// assert!(!trns[1].closed_by_recovery());
    /// // Its leaf, ended by the next tag as OFX 1.x leaves are, is not.
    /// assert!(!trns[0].child("TRNAMT").unwrap().closed_by_recovery());
    /// # Ok::<(), ofxkit_syntax::Error>(())
    /// ```
    pub fn closed_by_recovery(&self) -> bool {
        self.node().flags & flags::UNFINISHED != 0
    }

    /// Byte range of the whole element: start tag to end tag (or to the end of its text when
    /// the end tag was omitted).
    pub fn span(&self) -> Span {
        let n = self.node();
        Span::new(n.start, n.end(self.id, &self.tree.wide))
    }

    /// Byte range of the start tag's name (after `<`).
    pub fn name_span(&self) -> Span {
        let n = self.node();
        let start = n.start.saturating_add(1);
        Span::new(start, start.saturating_add(self.name().len() as u32))
    }

    /// Byte range of the raw text in the input (before decoding), for leaves.
    ///
    /// For text that was decoded this is still the range in the input.
    pub fn text_span(&self) -> Option<Span> {
        self.text_source_span()
    }

    fn text_source_span(&self) -> Option<Span> {
        let n = self.node();
        if n.flags & flags::LEAF == 0 {
            return None;
        }
        if n.flags & flags::TEXT_IN_ARENA != 0 {
            // The arena entry is preceded by nothing we can map back exactly; use the
            // element's content range, which the builder records in `raw_text_spans`.
            return Some(self.content_span());
        }
        Some(n.text_span(self.id, &self.tree.wide))
    }

    /// Byte range between the end of the start tag and the start of the end tag (or the end
    /// of the element when the end tag was omitted), trimmed of surrounding whitespace.
    fn content_span(&self) -> Span {
        let n = self.node();
        let n_end = n.end(self.id, &self.tree.wide);
        let src = self.tree.source();
        let Some(tag_end) = src
            .get(n.start as usize..n_end as usize)
            .and_then(|s| memchr::memchr(b'>', s).map(|p| n.start as usize + p + 1))
        else {
            return Span::point(n.start);
        };
        let mut end = n_end as usize;
        if n.flags & flags::END_TAG != 0
            && let Some(p) = src.get(tag_end..end).and_then(|s| memchr::memrchr(b'<', s))
        {
            end = tag_end + p;
        }
        let mut start = tag_end.min(end);
        while start < end && src.get(start).is_some_and(|b| b.is_ascii_whitespace()) {
            start += 1;
        }
        while end > start && src.get(end - 1).is_some_and(|b| b.is_ascii_whitespace()) {
            end -= 1;
        }
        Span::new(start as u32, end as u32)
    }

    /// The child elements in order.
    pub fn children(&self) -> Children<'t> {
        let n = self.node();
        Children { tree: self.tree, next: self.id + 1, end: n.next(self.id) }
    }

    /// The first child with this name.
    pub fn child(&self, name: &str) -> Option<Element<'t>> {
        self.children().find(|c| c.name() == name)
    }

    /// The text of the first child leaf with this name.
    pub fn child_text(&self, name: &str) -> Option<&'t str> {
        self.child(name).and_then(|c| c.text())
    }

    /// The children with this name.
    pub fn children_named<'n>(&self, name: &'n str) -> impl Iterator<Item = Element<'t>> + 'n
    where
        't: 'n,
    {
        self.children().filter(move |c| c.name() == name)
    }

    /// Every element inside this one, in document order (not including itself).
    pub fn descendants(&self) -> impl Iterator<Item = Element<'t>> + 't {
        let tree = self.tree;
        let end = self.node().next(self.id);
        (self.id + 1..end).map(move |id| Element { tree, id })
    }

    /// The element that contains this one; `None` for the root. See [`Tree::parent_of`]
    /// for its cost.
    pub fn parent(&self) -> Option<Element<'t>> {
        self.tree.parent_of(NodeId(self.id)).map(|p| Element { tree: self.tree, id: p.0 })
    }

    /// The path from the root, e.g. `OFX/SIGNONMSGSRSV1/SONRS/STATUS`. O(depth): see
    /// [`Tree::parent_of`].
    pub fn path(&self) -> String {
        self.tree.path_of(NodeId(self.id))
    }

    /// The tree this element belongs to.
    pub fn tree(&self) -> &'t Tree<'t> {
        self.tree
    }
}

/// Writes the name, the text (`***` for a secret element's value: see
/// [`SECRET_ELEMENTS`](crate::SECRET_ELEMENTS)) and the span.
impl fmt::Debug for Element<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.text().map(|t| {
            if !t.is_empty() && crate::secrets::is_secret(self.name()) {
                crate::secrets::REDACTED
            } else {
                t
            }
        });
        f.debug_struct("Element")
            .field("name", &self.name())
            .field("text", &text)
            .field("span", &self.span())
            .finish()
    }
}

/// Iterator over the children of an element.
#[derive(Clone)]
pub struct Children<'t> {
    tree: &'t Tree<'t>,
    next: u32,
    end: u32,
}

impl<'t> Iterator for Children<'t> {
    type Item = Element<'t>;

    fn next(&mut self) -> Option<Element<'t>> {
        if self.next >= self.end {
            return None;
        }
        let id = self.next;
        visited(1);
        // `max` guarantees progress even on a corrupt `next`.
        self.next = self.tree.nodes.get(id as usize).map_or(id + 1, |n| n.next(id).max(id + 1));
        Some(Element { tree: self.tree, id })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Options, parse, parse_streaming};

    /// Over 64 KiB: more than a node's 16-bit halves hold.
    const FAR: usize = 70_000;

    fn file(parts: &[&[u8]]) -> Vec<u8> {
        parts.concat()
    }

    fn blanks(b: u8) -> Vec<u8> {
        vec![b; FAR]
    }

    /// Where `needle` first occurs in `haystack`.
    fn at(haystack: &[u8], needle: &str) -> u32 {
        memchr::memmem::find(haystack, needle.as_bytes()).expect("in the file") as u32
    }

    fn is_wide(e: &Element<'_>) -> bool {
        e.node().flags & flags::WIDE != 0
    }

    fn names<'t>(e: &Element<'t>) -> Vec<&'t str> {
        e.children().map(|c| c.name()).collect()
    }

    /// What the public API tells of an element and everything in it.
    type Described = (String, Option<String>, Span, Option<Span>, Vec<String>);

    fn describe(e: Element<'_>) -> Vec<Described> {
        std::iter::once(e)
            .chain(e.descendants())
            .map(|d| {
                let kids = d.children().map(|c| c.name().to_owned()).collect();
                (d.name().to_owned(), d.text().map(str::to_owned), d.span(), d.text_span(), kids)
            })
            .collect()
    }

    #[test]
    fn the_side_table_keeps_its_entries_sorted_by_node() {
        let mut wide = Wide::default();
        for (idx, len) in [(3, 30), (9, 90), (5, 50), (9, 91), (1, 10), (5, 51)] {
            wide.set(idx, len, len + 1);
        }
        let entries: Vec<(u32, u32, u32)> =
            wide.0.iter().map(|w| (w.idx, w.text_len, w.end)).collect();
        assert_eq!(entries, [(1, 10, 11), (3, 30, 31), (5, 51, 52), (9, 91, 92)]);
        assert_eq!(wide.get(5).map(|w| w.text_len), Some(51));
        assert_eq!(wide.get(4), None);
        let rebased: Vec<(u32, u32)> =
            wide.rebased(4).0.iter().map(|w| (w.idx, w.text_len)).collect();
        assert_eq!(rebased, [(1, 51), (5, 91)]);
        assert!(wide.rebased(10).0.is_empty());
        wide.truncate(5);
        assert_eq!(wide.0.iter().map(|w| w.idx).collect::<Vec<_>>(), [1, 3]);
        wide.truncate(0);
        assert!(wide.0.is_empty());
    }

    #[test]
    fn a_leaf_with_more_than_64k_blanks_before_its_text() {
        // Spaces take the inline path, line breaks the general one.
        for blank in [b' ', b'\n'] {
            let f = file(&[b"<OFX><NAME>", &blanks(blank), b"x</NAME><MEMO>y</OFX>"]);
            let doc = parse(&f).unwrap();
            let root = doc.root();
            assert_eq!(names(&root), ["NAME", "MEMO"]);
            let name = root.child("NAME").unwrap();
            let x = at(&f, "x</NAME>");
            assert_eq!(name.text(), Some("x"));
            assert_eq!(name.text_span(), Some(Span::new(x, x + 1)));
            assert_eq!(name.span(), Span::new(5, x + 8));
            assert!(name.has_end_tag());
            // The text's start is a full offset: nothing goes to the side table.
            assert!(!is_wide(&name));
            let memo = root.child("MEMO").unwrap();
            assert_eq!(memo.text(), Some("y"));
            assert_eq!(memo.span(), Span::new(x + 8, x + 15));
        }
    }

    #[test]
    fn a_leaf_whose_end_tag_comes_after_more_than_64k_blanks() {
        let f = file(&[b"<OFX><NAME>x", &blanks(b' '), b"</NAME><MEMO>", &blanks(b'\n')]);
        let f = file(&[&f, b"</MEMO><FITID>1</OFX>"]);
        let doc = parse(&f).unwrap();
        let root = doc.root();
        assert_eq!(names(&root), ["NAME", "MEMO", "FITID"]);
        let name = root.child("NAME").unwrap();
        assert!(is_wide(&name));
        assert_eq!(name.text(), Some("x"));
        assert_eq!(name.text_span(), Some(Span::new(11, 12)));
        assert_eq!(name.span(), Span::new(5, at(&f, "<MEMO>")));
        // A leaf without text, its end tag as far.
        let memo = root.child("MEMO").unwrap();
        assert!(is_wide(&memo));
        let memo_start = at(&f, "<MEMO>");
        assert_eq!(memo.text(), Some(""));
        assert_eq!(memo.text_span(), Some(Span::point(memo_start + 6)));
        assert_eq!(memo.span(), Span::new(memo_start, at(&f, "<FITID>")));
        let fitid = root.child("FITID").unwrap();
        assert!(!is_wide(&fitid));
        assert_eq!(fitid.text(), Some("1"));
        assert_eq!(fitid.span(), Span::new(at(&f, "<FITID>"), at(&f, "</OFX>")));
        assert_eq!(doc.tree().wide.0.len(), 2);
    }

    #[test]
    fn a_text_of_more_than_64k() {
        let long = vec![b'a'; FAR];
        for end_tag in [&b"</MEMO>"[..], b""] {
            let f = file(&[b"<OFX><MEMO>", &long, end_tag, b"<NAME>z</OFX>"]);
            let doc = parse(&f).unwrap();
            let root = doc.root();
            assert_eq!(names(&root), ["MEMO", "NAME"]);
            let memo = root.child("MEMO").unwrap();
            assert!(is_wide(&memo));
            assert_eq!(memo.text().map(str::len), Some(FAR));
            assert_eq!(memo.text_span(), Some(Span::new(11, 11 + FAR as u32)));
            assert_eq!(memo.span(), Span::new(5, at(&f, "<NAME>")));
            assert_eq!(memo.has_end_tag(), !end_tag.is_empty());
            assert_eq!(root.child_text("NAME"), Some("z"));
        }
    }

    #[test]
    fn decoded_texts_in_the_arena() {
        // A reference; the same with blanks before its end tag; a text that decoding makes
        // longer than 64 KiB (Windows-1252 to UTF-8); one whose end tag is far.
        let e9 = vec![0xE9; FAR / 2];
        let f = file(&[
            b"<OFX><NAME>AT&amp;T</NAME><MEMO>a&lt;b  \r\n </MEMO><NAME>",
            &e9,
            b"</NAME><MEMO>c&amp;d",
            &blanks(b' '),
            b"</MEMO><FITID>1</OFX>",
        ]);
        let doc = parse(&f).unwrap();
        let root = doc.root();
        assert_eq!(names(&root), ["NAME", "MEMO", "NAME", "MEMO", "FITID"]);
        let kids: Vec<_> = root.children().collect();
        let starts: Vec<u32> = kids.iter().map(|k| k.span().start).collect();
        let ends: Vec<u32> = kids.iter().skip(1).map(|k| k.span().start).collect();

        assert_eq!(kids[0].text(), Some("AT&T"));
        assert!(!is_wide(&kids[0]));
        assert_eq!(kids[0].span(), Span::new(5, ends[0]));
        assert_eq!(kids[0].text_span(), Some(Span::new(11, 19)));

        assert_eq!(kids[1].text(), Some("a<b"));
        assert!(!is_wide(&kids[1]));
        assert_eq!(kids[1].span(), Span::new(starts[1], ends[1]));
        assert_eq!(kids[1].text_span(), Some(Span::new(starts[1] + 6, starts[1] + 12)));

        let e9_text: String = "\u{e9}".repeat(FAR / 2);
        assert_eq!(kids[2].text(), Some(&*e9_text));
        assert!(is_wide(&kids[2]), "decoded to {} bytes", e9_text.len());
        assert_eq!(kids[2].span(), Span::new(starts[2], ends[2]));
        let e9_at = starts[2] + 6;
        assert_eq!(kids[2].text_span(), Some(Span::new(e9_at, e9_at + FAR as u32 / 2)));

        assert_eq!(kids[3].text(), Some("c&d"));
        assert!(is_wide(&kids[3]));
        assert_eq!(kids[3].span(), Span::new(starts[3], ends[3]));
        assert_eq!(kids[3].text_span(), Some(Span::new(starts[3] + 6, starts[3] + 13)));

        assert_eq!(kids[4].text(), Some("1"));
        assert_eq!(doc.tree().wide.0.len(), 2);
    }

    #[test]
    fn elements_without_text() {
        let f = b"<OFX><MEMO></MEMO><FOO></FOO><NAME><BANKTRANLIST></BANKTRANLIST>\
            <MEMO/><BANKTRANLIST/><BAR><FITID>1</FITID></OFX>";
        let doc = parse(f).unwrap();
        let root = doc.root();
        assert_eq!(
            names(&root),
            ["MEMO", "FOO", "NAME", "BANKTRANLIST", "MEMO", "BANKTRANLIST", "BAR", "FITID"]
        );
        let kids: Vec<_> = root.children().collect();
        let span = |i: usize| kids[i].span();
        let tag_end = |i: usize| span(i).start + kids[i].name().len() as u32 + 2;
        // Closed by its end tag: a leaf (the DTD's, then one it does not know).
        for i in [0, 1] {
            assert!(kids[i].is_leaf());
            assert!(kids[i].has_end_tag());
            assert_eq!(kids[i].text(), Some(""));
            assert_eq!(kids[i].text_span(), Some(Span::point(tag_end(i))));
            assert_eq!(span(i), Span::new(span(i).start, span(i + 1).start));
        }
        // Closed by the next tag: the start tag only.
        assert!(kids[2].is_leaf() && !kids[2].has_end_tag());
        assert_eq!(kids[2].text(), Some(""));
        assert_eq!(span(2), Span::new(span(2).start, tag_end(2)));
        assert_eq!(kids[2].text_span(), Some(Span::point(tag_end(2))));
        // An empty aggregate stays one.
        assert!(!kids[3].is_leaf());
        assert_eq!(kids[3].text(), None);
        assert_eq!(kids[3].text_span(), None);
        assert_eq!(kids[3].children().count(), 0);
        assert_eq!(span(3), Span::new(span(3).start, span(4).start));
        // Self-closing: a leaf, and an aggregate.
        assert!(kids[4].is_leaf() && kids[4].is_self_closing() && kids[4].has_end_tag());
        assert_eq!(kids[4].text(), Some(""));
        assert_eq!(span(4), Span::new(span(4).start, span(4).start + 7));
        assert_eq!(kids[4].text_span(), Some(Span::point(span(4).end)));
        assert!(!kids[5].is_leaf() && kids[5].is_self_closing());
        assert_eq!(kids[5].text(), None);
        assert_eq!(kids[5].children().count(), 0);
        assert_eq!(span(5), Span::new(span(5).start, span(6).start));
        // Never closed and not in the DTDs: empty, and what it held is its sibling.
        assert!(kids[6].is_leaf());
        assert_eq!(kids[6].text(), Some(""));
        assert_eq!(span(6), Span::new(span(6).start, tag_end(6)));
        assert_eq!(kids[7].text(), Some("1"));
        assert_eq!(doc.tree().len(), 9);
        assert!(doc.tree().wide.0.is_empty());
    }

    #[test]
    fn wide_leaves_of_elements_taken_while_streaming() {
        let trn = file(&[
            b"<STMTTRN><NAME>n",
            &blanks(b' '),
            b"</NAME><MEMO>",
            &vec![b'm'; FAR],
            b"<FITID>f&amp;g</FITID></STMTTRN>",
        ]);
        let f = file(&[
            b"<OFX><SONRS><MEMO>s",
            &blanks(b'\n'),
            b"</MEMO></SONRS><BANKTRANLIST>",
            &trn,
            &trn,
            &trn,
            b"</BANKTRANLIST><MEMO>e",
            &blanks(b' '),
            b"</MEMO></OFX>",
        ]);
        let whole = parse(&f).unwrap();
        let list = whole.root().child("BANKTRANLIST").unwrap();
        let trns: Vec<_> = list.children().map(describe).collect();
        assert_eq!(trns.len(), 3);
        assert_eq!(trns[1][1].1.as_deref(), Some("n"));
        assert_eq!(trns[1][3].1.as_deref(), Some("f&g"));
        let sonrs = describe(whole.root().child("SONRS").unwrap());
        let mut offered = Vec::new();
        let mut so_far = Vec::new();
        let streamed = parse_streaming(&f, &Options::default(), "STMTTRN", &mut |t| {
            offered.push(describe(t.element()));
            let doc = t.document_so_far().unwrap();
            so_far.push(describe(doc.root().child("SONRS").unwrap()));
            true
        })
        .unwrap();
        assert_eq!(offered, trns);
        assert_eq!(so_far, [sonrs.clone(), sonrs.clone(), sonrs.clone()]);
        // What is left reads as in the whole tree.
        let root = streamed.root();
        assert_eq!(names(&root), ["SONRS", "BANKTRANLIST", "MEMO"]);
        assert_eq!(describe(root.child("SONRS").unwrap()), sonrs);
        let last = |d: &crate::Document<'_>| describe(d.root().children().last().unwrap());
        assert_eq!(last(&streamed), last(&whole));
        assert_eq!(streamed.tree().wide.0.len(), 2);
        assert_eq!(whole.tree().wide.0.len(), 2 + 3 * 2);
    }
}
