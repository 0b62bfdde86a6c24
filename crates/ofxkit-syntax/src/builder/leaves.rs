//! The builder's side of a batch of leaves ([`Leaves`]): the children of a flat aggregate
//! pushed at once.

use super::*;
use crate::lex::leaves::{LeafSink, Leaves, MAX_CHILDREN};

impl<'s> Builder<'s> {
    /// Reads the children and the end tag of the element just opened from `batch` (see
    /// [`Leaves`]). Returns the position after its end tag, or `None` (and nothing changed)
    /// when they must be read tag by tag.
    #[inline]
    pub(crate) fn leaves(&mut self, batch: Leaves<'_>, sink: &mut Sink) -> Option<usize> {
        let start = self.flat_start()?;
        match batch.read(self, start.room, start.max_text_len) {
            Some(end) if end.sym == start.parent => {
                // In an XML body, a last child without its end tag was ended by the parent's.
                let flagged = end.last_implicit
                    && self.xml_body
                    && self.flat_xml_last_child(start, end.explicit, end.tag);
                self.flat_finish(start, end.explicit, end.tag, end.amp || flagged, sink);
                Some(end.tag.end as usize)
            }
            _ => {
                self.flat_abort(start);
                None
            }
        }
    }
}

impl LeafSink for Builder<'_> {
    #[inline(always)]
    fn push(&mut self, sym: u16, tag: Span, text: Span, end: u32, explicit: bool, amp: bool) {
        self.flat_push(sym, tag, text, end, explicit, amp);
    }
}

impl<'s> Builder<'s> {
    /// Where a batch of leaves may be read as the children of the element on top of the
    /// stack: it was just opened (no text, no child yet) and the DTDs declare it an
    /// aggregate. `None` otherwise.
    #[inline]
    fn flat_start(&self) -> Option<FlatStart> {
        let top = self.stack.last()?;
        let fresh = top.state == State::Undecided
            && !self.root_closed
            && top.idx as usize + 1 == self.nodes.len()
            && self.names.class(top.sym) == Class::Aggregate;
        // Each child is an element at the depth `start_sym` checks against the limit.
        let deep_enough = (self.stack.len() as u32) < self.limits.max_depth;
        (fresh && deep_enough).then(|| FlatStart {
            parent: top.sym,
            nodes: self.nodes.len(),
            room: self.limits.max_elements.saturating_sub(self.created).min(MAX_CHILDREN),
            max_text_len: self.limits.max_text_len,
        })
    }

    /// Appends a child leaf read by [`leaves`](Self::leaves), as the tag-by-tag reading
    /// leaves it once closed: `tag` is its start tag, `text` its (plain, trimmed) value,
    /// `end` the end of its end tag when `explicit`, else of its value; `amp` when the text
    /// holds a `&` (it is then decoded at the end, as the tag-by-tag reading leaves it).
    #[inline]
    fn flat_push(&mut self, sym: u16, tag: Span, text: Span, end: u32, explicit: bool, amp: bool) {
        let idx = self.nodes.len() as u32;
        let mut flags = if explicit { flags::END_TAG } else { 0 };
        if amp {
            flags |= flags::TEXT_AMP;
            self.to_decode.push(idx);
        }
        let mut node = Node::opened(sym, flags, tag, idx);
        node.set_text(idx, text, false, end, &mut self.wide);
        self.nodes.push(node);
        // Here rather than in `flat_finish`: one loop fewer. Should the reading be dropped,
        // the tag-by-tag reading reads this leaf the same way, and marks it too.
        if let Some(seen) = self.names.seen_as_leaf.get_mut(usize::from(sym)) {
            *seen = true;
        }
    }

    /// Drops what [`flat_push`](Self::flat_push) appended since `start`: the children go
    /// through the tag-by-tag reading instead.
    fn flat_abort(&mut self, start: FlatStart) {
        self.nodes.truncate(start.nodes);
        self.wide.truncate(start.nodes as u32);
        while self.to_decode.last().is_some_and(|&i| i as usize >= start.nodes) {
            self.to_decode.pop();
        }
    }

    /// Completes a flat reading: counts the children as the tag-by-tag reading counts them, then
    /// ends the element on top with `end_tag`, as its end tag would. `amp` when a text holds
    /// a `&`, or a child is flagged (the children are then not all plain).
    fn flat_finish(
        &mut self,
        start: FlatStart,
        explicit: u32,
        end_tag: Span,
        amp: bool,
        sink: &mut Sink,
    ) {
        let children = self.nodes.len().saturating_sub(start.nodes) as u32;
        #[cfg(test)]
        {
            self.flat_reads += 1;
        }
        self.created += children;
        self.explicit_leaf_end_tags += explicit;
        self.omitted_leaf_end_tags += children - explicit;
        if let Some(top) = self.stack.last_mut()
            && children > 0
        {
            top.state = State::Aggregate;
        }
        self.flat_plain = if amp { None } else { start.nodes.checked_sub(1).map(|i| i as u32) };
        self.end_sym(start.parent, end_tag, sink);
        self.flat_plain = None;
    }

    /// For an XML body ([`xml_body`](Self::xml_body)): flags the last of the children
    /// [`leaves`](Self::leaves) just read from `start`, whose end tag is not
    /// written (the parent's end tag, `end_tag`, ended it), unless another of them, `explicit`
    /// of which have their end tag, was ended by the next start tag (SGML's rules); returns
    /// whether it did. Their texts are then not all plain (see
    /// [`flat_finish`](Self::flat_finish)).
    #[cold]
    #[inline(never)]
    fn flat_xml_last_child(&mut self, start: FlatStart, explicit: u32, end_tag: Span) -> bool {
        let children = self.nodes.len().saturating_sub(start.nodes) as u32;
        if children > explicit + 1 {
            return false;
        }
        let last = (self.nodes.len() as u32).saturating_sub(1);
        let flagged = self.mark_xml_leaf_end(last, end_tag);
        self.leaf_ends_recovered += u32::from(flagged);
        flagged
    }
}
