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
//!
//! `mod.rs` holds the [`Tree`] and its [`flags`], `node.rs` the [`Node`] layout and the
//! [`Wide`] table, `element.rs` the borrowed [`Element`] view and [`Children`], `secrets.rs`
//! which elements hold secrets, and `tests.rs` the tests.

use std::borrow::Cow;
use std::fmt;
use std::sync::OnceLock;

use crate::span::Span;

mod element;
mod node;
mod secrets;
#[cfg(test)]
mod tests;

pub use element::{Children, Element};
pub(crate) use node::{Node, Wide};
pub(crate) use secrets::quiet_diagnostics;
pub use secrets::secret_names;

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
pub(super) const NO_PARENT: u32 = u32::MAX;

#[cfg(test)]
thread_local! {
    /// Nodes visited by the tree's walks on this thread (tests count work with it).
    pub(crate) static VISITS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Counts `n` node visits (only in tests).
#[inline(always)]
pub(super) fn visited(n: u64) {
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
pub(super) fn parents(nodes: &[Node]) -> Box<[u32]> {
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
