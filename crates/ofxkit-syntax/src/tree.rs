//! The element tree: a flat, pre-order arena of compact nodes.
//!
//! Every node is 24 bytes and refers to the input by byte offsets, so the tree borrows nothing
//! and has no recursive `Drop`, `Debug` or serialisation that a deep file could overflow. A
//! node's descendants are the nodes that follow it up to its `next` index; its first child is
//! the node right after it, and the next sibling of a child is that child's `next`.
//!
//! Text is stored as a span of the input when the input bytes are already the text (no
//! entity, no re-encoding needed), and otherwise in one shared string arena.

use std::borrow::Cow;
use std::fmt;

use crate::span::Span;

pub(crate) mod flags {
    /// The element holds character data (a leaf), possibly empty.
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
}

/// One element. Kept at 24 bytes: the 100 MB benchmark file has about four million of them.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Node {
    pub(crate) name: u16,
    pub(crate) flags: u16,
    pub(crate) start: u32,
    pub(crate) end: u32,
    /// Index one past the last descendant.
    pub(crate) next: u32,
    pub(crate) text_start: u32,
    pub(crate) text_len: u32,
}

const _: () = assert!(std::mem::size_of::<Node>() == 24);

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
    /// Walks down from the root, skipping whole subtrees: cheap enough for diagnostics.
    pub fn ancestors_of(&self, id: NodeId) -> Vec<NodeId> {
        let mut path = Vec::new();
        let target = id.0;
        let mut current = 0u32;
        if target as usize >= self.nodes.len() {
            return path;
        }
        while current != target {
            path.push(NodeId(current));
            let end = self.node(current).next;
            let mut child = current + 1;
            let mut found = false;
            while child < end {
                let child_end = self.node(child).next;
                if target >= child && target < child_end {
                    current = child;
                    found = true;
                    break;
                }
                child = child_end.max(child + 1);
            }
            if !found {
                break;
            }
        }
        path
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

    fn text_of(&self, node: &Node) -> &str {
        let span = Span::new(node.text_start, node.text_start.saturating_add(node.text_len));
        if node.flags & flags::TEXT_IN_ARENA != 0 {
            self.arena.get(span.range()).unwrap_or_default()
        } else {
            self.source.str_at(span)
        }
    }
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
        (node.flags & flags::LEAF != 0).then(|| self.tree.text_of(&node))
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

    /// Byte range of the whole element: start tag to end tag (or to the end of its text when
    /// the end tag was omitted).
    pub fn span(&self) -> Span {
        let n = self.node();
        Span::new(n.start, n.end)
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
        Some(Span::new(n.text_start, n.text_start.saturating_add(n.text_len)))
    }

    /// Byte range between the end of the start tag and the start of the end tag (or the end
    /// of the element when the end tag was omitted), trimmed of surrounding whitespace.
    fn content_span(&self) -> Span {
        let n = self.node();
        let src = self.tree.source();
        let Some(tag_end) = src
            .get(n.start as usize..n.end as usize)
            .and_then(|s| memchr::memchr(b'>', s).map(|p| n.start as usize + p + 1))
        else {
            return Span::point(n.start);
        };
        let mut end = n.end as usize;
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
        Children { tree: self.tree, next: self.id + 1, end: n.next }
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
        let end = self.node().next;
        (self.id + 1..end).map(move |id| Element { tree, id })
    }

    /// The path from the root, e.g. `OFX/SIGNONMSGSRSV1/SONRS/STATUS`.
    pub fn path(&self) -> String {
        self.tree.path_of(NodeId(self.id))
    }

    /// The tree this element belongs to.
    pub fn tree(&self) -> &'t Tree<'t> {
        self.tree
    }
}

impl fmt::Debug for Element<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Element")
            .field("name", &self.name())
            .field("text", &self.text())
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
        // `max` guarantees progress even on a corrupt `next`.
        self.next = self.tree.node(id).next.max(id + 1);
        Some(Element { tree: self.tree, id })
    }
}
