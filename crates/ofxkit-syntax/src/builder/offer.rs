//! Streaming: offering each closed element of the requested name to the taker (see
//! [`crate::stream`]), once its reading is final.

use super::*;

impl<'s> Builder<'s> {
    /// Offers the element just closed by its end tag (`top`, whose children are final) to the
    /// taker, when it is one to offer and its reading is final (see `stream`); drops it from
    /// the tree when taken.
    pub(super) fn offer_closed(&mut self, top: Open, sink: &Sink) {
        let Some(mut offer) = self.offer.take() else { return };
        // Children read at once hold only plain texts: nothing to check or decode.
        let plain = self.flat_plain == Some(top.idx);
        if self.offerable(&mut offer, top, sink, plain) {
            let taken = self.hand_over(&mut offer, top, plain, sink);
            if taken {
                self.nodes.truncate(top.idx as usize);
                self.wide.truncate(top.idx);
                while self.to_decode.last().is_some_and(|&i| i >= top.idx) {
                    self.to_decode.pop();
                }
            }
        }
        self.offer = Some(offer);
    }

    pub(super) fn offerable(
        &self,
        offer: &mut Offer<'_>,
        top: Open,
        sink: &Sink,
        plain: bool,
    ) -> bool {
        if top.mark != sink.total() {
            return false;
        }
        match offer.sym {
            Some(sym) if sym != top.sym => return false,
            Some(_) => {}
            None if self.names.name(top.sym) == &*offer.name => offer.sym = Some(top.sym),
            None => return false,
        }
        let Some(parent) = self.stack.last().copied() else { return false };
        // An element the DTDs do not know, never closed, is read at the end as an empty one
        // followed by its siblings: what is inside it now may end up beside it.
        if self.stack.iter().any(|o| self.names.class(o.sym) == Class::Unknown) {
            return false;
        }
        // Texts whose decoding depends on the file's encoding (bytes above 0x7F), or whose
        // references would be reported when decoded, or made of pieces, are left to the
        // end; so are elements with a leaf whose end may have been supplied by recovery (an
        // XML leaf ended by another element's end tag: no finding says so).
        if !plain {
            let subtree = self.nodes.get(top.idx as usize..).unwrap_or_default();
            let later = flags::TEXT_NON_ASCII | flags::TEXT_JOINED | flags::UNFINISHED;
            if subtree.iter().any(|n| n.flags & later != 0) {
                return false;
            }
        }
        let ofx = self.names.vocabulary == Vocabulary::Ofx;
        // The parent's children, walked without collecting them: the walk stops at the first
        // one that forbids the offer, so a list left in the tree is not walked again and again;
        // those found fine for an earlier offer in the same parent are not walked again.
        let end = top.idx;
        let parent_start = self.nodes.get(parent.idx as usize).map_or(0, |n| n.start);
        let mut c = match offer.walked {
            Some((idx, start, until)) if idx == parent.idx && start == parent_start => {
                until.min(end)
            }
            _ => parent.idx + 1,
        };
        let mut walked = 0;
        while c < end {
            walked += 1;
            if walked > 64 {
                // Many other children: not worth walking for every offer.
                return false;
            }
            let node = self.nodes.get(c as usize).copied().unwrap_or_default();
            let child = node.name;
            c = node.next(c).max(c + 1);
            if child == top.sym {
                // Offers go in order: one left in the tree stops the rest.
                return false;
            }
            if !ofx {
                continue;
            }
            // A later recovery of the parent's missing end tag looks at its children.
            if !self.allowed_cached(offer, parent.sym, child) {
                return false;
            }
        }
        offer.walked = Some((parent.idx, parent_start, end));
        !ofx || self.allowed_cached(offer, parent.sym, top.sym)
    }

    /// [`Names::allowed_in`] by symbols, remembered.
    pub(super) fn allowed_cached(&self, offer: &mut Offer<'_>, parent: u16, child: u16) -> bool {
        if let Some(&(_, _, ok)) =
            offer.allowed.iter().find(|(p, k, _)| *p == parent && *k == child)
        {
            return ok;
        }
        let ok = self.names.allowed_in(self.names.name(parent), self.names.name(child));
        offer.allowed.push((parent, child, ok));
        ok
    }

    /// Calls the taker with `top` as a small tree of its own (made on demand when `plain`);
    /// `true` when it was taken, and then the spans in the input of its texts with `&` are
    /// added to `offer.taken_texts`.
    pub(super) fn hand_over(
        &self,
        offer: &mut Offer<'_>,
        top: Open,
        plain: bool,
        sink: &Sink,
    ) -> bool {
        let all_names = &self.names.names;
        let mut parts = offer.parts.take();
        if let Some(new) = all_names.get(parts.names.len()..) {
            parts.names.extend(new.iter().cloned());
        }
        let subtree = self.nodes.get(top.idx as usize..).unwrap_or_default();
        let taken_texts = offer.taken_texts.len();
        offer.reference_errors.clear();
        let chain = stream::OpenChain {
            names: all_names,
            nodes: self.nodes.get(..top.idx as usize).unwrap_or_default(),
            wide: &self.wide,
            open: &self.stack,
            omitted_leaf_end_tags: self.omitted_leaf_end_tags > 0,
        };
        // Made here, and its tree set in place: a tree is too large to move for nothing.
        let mut offered = Offered {
            tree: std::cell::OnceCell::new(),
            parts: &offer.parts,
            subtree,
            top: top.idx,
            wide: &self.wide,
            plain,
            src: self.src,
            src_utf8: offer.src_utf8,
            chain: &chain,
            prelude: &offer.prelude,
            reference_errors: &[],
        };
        if plain {
            // Made on demand, if at all.
            offer.parts.set(parts);
        } else {
            let mut t =
                stream::small_tree(parts, subtree, top.idx, &self.wide, self.src, offer.src_utf8);
            // References and line breaks, decoded as `decode::finish` would.
            let mut scratch = String::new();
            for (idx, node) in (0u32..).zip(t.nodes.iter_mut()) {
                if node.flags & (flags::TEXT_AMP | flags::TEXT_CR) == 0 || !node.is_leaf() {
                    continue;
                }
                let span = node.text_span(idx, &t.wide);
                if node.flags & flags::TEXT_AMP != 0 {
                    offer.taken_texts.push(span);
                    // Its references are reported once the file is read; the errors among
                    // them are told with the offer, so its row can say so now.
                    let mut probe = sink.probe();
                    crate::escape::report(
                        self.src.get(span.range()).unwrap_or_default(),
                        span.start,
                        &mut probe,
                    );
                    let found = probe.finish().diagnostics;
                    let errors = found.iter().filter(|d| d.severity == Severity::Error);
                    offer.reference_errors.extend(errors.map(|d| (d.span.start, d.code)));
                }
                let raw = self.src.get(span.range()).unwrap_or_default();
                let text = std::borrow::Cow::Borrowed(std::str::from_utf8(raw).unwrap_or_default());
                decode::push_decoded(node, idx, &mut t.wide, text, &mut t.arena, &mut scratch);
            }
            let _ = offered.tree.set(t);
        }
        offered.reference_errors = &offer.reference_errors;
        let taken = (offer.take)(&offered);
        if !taken {
            offer.taken_texts.truncate(taken_texts);
        }
        offered.give_back();
        taken
    }

    /// Indexes of the direct children of the node at `idx` (which must be closed or on top
    /// of the stack with all its children closed).
    pub(super) fn child_indexes(&self, idx: u32) -> Vec<u32> {
        let mut out = Vec::new();
        let end = self.nodes.len() as u32;
        let mut c = idx + 1;
        while c < end {
            out.push(c);
            c = self.nodes.get(c as usize).map_or(end, |n| n.next(c)).max(c + 1);
        }
        out
    }
}
