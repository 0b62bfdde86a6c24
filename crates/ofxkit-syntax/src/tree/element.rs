//! [`Element`], the borrowed view of one element, and [`Children`].

use super::*;

/// A borrowed view of one element.
#[derive(Clone, Copy)]
pub struct Element<'t> {
    pub(super) tree: &'t Tree<'t>,
    pub(super) id: u32,
}

impl<'t> Element<'t> {
    pub(super) fn node(&self) -> Node {
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
    /// use ofxkit_syntax::{Options, parse_with};
    /// // Read with the OFX and OFC tables (`TRNAMT` is a leaf).
    /// let options = Options { vocabulary: Some(&ofxkit_schema::DTD), ..Options::default() };
    /// let doc = parse_with(b"<OFX><STMTTRN><FITID>1</FITID><TRNAMT>-4", &options)?;
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

    pub(super) fn text_source_span(&self) -> Option<Span> {
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
    pub(super) fn content_span(&self) -> Span {
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
    pub(super) tree: &'t Tree<'t>,
    pub(super) next: u32,
    pub(super) end: u32,
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
