//! Start and end tags.

use super::*;

impl<'s> Builder<'s> {
    /// A start tag. `tag` covers `<` to `>`; `name` the name bytes.
    pub(crate) fn start(
        &mut self,
        name: Span,
        tag: Span,
        self_closing: bool,
        sink: &mut Sink,
    ) -> Result<(), Error> {
        if self.root_closed {
            return Ok(());
        }
        let (sym, folded) = self.symbol(name, sink)?;
        self.start_sym(sym, folded, tag, self_closing, sink)
    }

    /// A plain tag (`<NAME>` or `</NAME>`, `end_tag` telling which) whose name, written in
    /// upper case, is interned as `sym` (found by the lexer in the packed cache).
    #[inline]
    pub(crate) fn known_tag(
        &mut self,
        sym: u16,
        tag: Span,
        end_tag: bool,
        sink: &mut Sink,
    ) -> Result<(), Error> {
        if end_tag {
            self.end_sym(sym, tag, sink);
        } else if !self.root_closed {
            self.start_sym(sym, false, tag, false, sink)?;
        }
        Ok(())
    }

    /// [`start`](Self::start) with the name interned.
    #[inline(always)]
    pub(super) fn start_sym(
        &mut self,
        sym: u16,
        folded: bool,
        tag: Span,
        self_closing: bool,
        sink: &mut Sink,
    ) -> Result<(), Error> {
        if !folded && !self_closing && self.start_plain(sym, tag, sink) {
            return Ok(());
        }
        self.start_sym_general(sym, folded, tag, self_closing, sink)
    }

    /// The common start tag, small enough to inline into the reading loop: an upper-case
    /// `<NAME>` that closes at most a leaf with a value, reopens nothing and stays within the
    /// limits. Returns false when the tag needs [`start_sym_general`](Self::start_sym_general),
    /// having done only what that function does first (closing such a leaf), so that the
    /// two together read the tag exactly as `start_sym_general` alone would.
    #[inline(always)]
    pub(super) fn start_plain(&mut self, sym: u16, tag: Span, sink: &Sink) -> bool {
        let class = self.names.class(sym);
        if let Some(top) = self.stack.last().copied() {
            match top.state {
                State::Leaf => match self.nodes.get(top.idx as usize) {
                    // A leaf with a text is laid out as closed already.
                    Some(node) if node.is_leaf() => {
                        self.omitted_leaf_end_tags += 1;
                        self.stack.pop();
                    }
                    _ => return false,
                },
                State::Undecided if self.names.class(top.sym) == Class::Leaf => return false,
                _ => {}
            }
        }
        if class != Class::Leaf
            && self.stack.iter().skip(1).any(|o| o.sym == sym && o.state != State::Leaf)
        {
            return false;
        }
        if self.stack.len() as u32 >= self.limits.max_depth
            || self.created >= self.limits.max_elements
        {
            return false;
        }
        if let Some(parent) = self.stack.last_mut() {
            parent.state = State::Aggregate;
        }
        let idx = self.nodes.len() as u32;
        self.created += 1;
        self.nodes.push(Node::opened(sym, 0, tag, idx));
        let state = if class == Class::Leaf { State::Leaf } else { State::Undecided };
        self.stack.push(Open { idx, sym, state, mark: sink.total() });
        true
    }

    /// [`start_sym`](Self::start_sym) for every case, with the reports and the recoveries.
    #[inline(never)]
    pub(super) fn start_sym_general(
        &mut self,
        sym: u16,
        folded: bool,
        tag: Span,
        self_closing: bool,
        sink: &mut Sink,
    ) -> Result<(), Error> {
        let class = self.names.class(sym);

        // Whatever is on top and can't hold children ends here.
        if let Some(top) = self.stack.last().copied() {
            match top.state {
                State::Leaf => {
                    // The common SGML case, inline: a leaf with a value and no end tag
                    // (what `close_implicitly` does for it).
                    match self.nodes.get(top.idx as usize) {
                        Some(node) if node.is_leaf() => {
                            self.omitted_leaf_end_tags += 1;
                            self.stack.pop();
                        }
                        _ => self.close_implicitly(tag, sink, false),
                    }
                }
                State::Undecided if self.names.class(top.sym) == Class::Leaf => {
                    self.close_implicitly(tag, sink, false)
                }
                _ => {}
            }
        }

        // A missing end tag before a repeat of the same aggregate (`<STMTTRN>…<STMTTRN>`).
        if class != Class::Leaf
            && let Some(pos) =
                self.stack.iter().skip(1).rposition(|o| o.sym == sym && o.state != State::Leaf)
        {
            {
                let pos = pos + 1;
                let name_str = self.names.name(sym).to_owned();
                let first = self.stack.get(pos).map(|o| o.idx).unwrap_or(0);
                let first_start = self.nodes.get(first as usize).map(|n| n.start).unwrap_or(0);
                sink.report(Code::ReopenedElement, tag, || {
                    format!(
                        "<{name_str}> opened while the <{name_str}> at byte {first_start} is \
                         still open; closed that one here"
                    )
                });
                while self.stack.len() > pos + 1 {
                    self.close_implicitly(tag, sink, false);
                }
                if let Some(open) = self.stack.pop() {
                    self.mark(open.idx, flags::RECOVERED_END);
                    self.close(open, tag.start, false);
                }
            }
        }

        if self.stack.len() as u32 >= self.limits.max_depth {
            return Err(Error::new(
                ErrorKind::LimitExceeded,
                Code::DepthLimit,
                tag,
                format!("elements nest deeper than the limit of {}", self.limits.max_depth),
            ));
        }
        if self.created >= self.limits.max_elements {
            return Err(Error::new(
                ErrorKind::LimitExceeded,
                Code::ElementLimit,
                tag,
                format!("more than {} elements", self.limits.max_elements),
            ));
        }
        if let Some(parent) = self.stack.last_mut() {
            parent.state = State::Aggregate;
        }
        let idx = self.nodes.len() as u32;
        self.created += 1;
        let f = if folded { flags::FOLDED_NAME } else { 0 };
        self.nodes.push(Node::opened(sym, f, tag, idx));
        let state = if class == Class::Leaf { State::Leaf } else { State::Undecided };
        let open = Open { idx, sym, state, mark: sink.total() };
        if self_closing {
            if let Some(node) = self.nodes.get_mut(idx as usize) {
                node.flags |= flags::SELF_CLOSING;
            }
            let open = Open {
                state: if class == Class::Aggregate { State::Aggregate } else { state },
                ..open
            };
            self.close(open, tag.end, true);
            if self.stack.is_empty() {
                self.root_closed = true;
            }
        } else {
            self.stack.push(open);
        }
        Ok(())
    }

    /// An end tag.
    pub(crate) fn end(&mut self, name: Span, tag: Span, sink: &mut Sink) -> Result<(), Error> {
        let sym = self.symbol(name, sink)?.0;
        self.end_sym(sym, tag, sink);
        Ok(())
    }

    pub(super) fn end_sym(&mut self, sym: u16, tag: Span, sink: &mut Sink) {
        // The SGML case `<MEMO>x</STMTTRN>`: a leaf with a value on top of the element that
        // ends, closed as `close_implicitly` closes it.
        if let [.., parent, top] = self.stack[..]
            && top.sym != sym
            && parent.sym == sym
            && top.state == State::Leaf
        {
            // A leaf with a text is laid out as closed already.
            if self.nodes.get(top.idx as usize).is_some_and(Node::is_leaf) {
                if self.xml_body {
                    let recovered = self.mark_xml_leaf_end(top.idx, tag);
                    self.leaf_ends_recovered += u32::from(recovered);
                }
                self.omitted_leaf_end_tags += 1;
                self.stack.pop();
            }
        }
        // Fast path: closes the element on top.
        if let Some(top) = self.stack.last().copied()
            && top.sym == sym
        {
            {
                self.stack.pop();
                let empty = self.nodes.get(top.idx as usize).is_some_and(|n| !n.is_leaf());
                if top.state == State::Leaf && !empty {
                    self.explicit_leaf_end_tags += 1;
                } else if top.state != State::Aggregate {
                    let node_start = self.nodes.get(top.idx as usize).map(|n| n.start).unwrap_or(0);
                    let name_str = self.names.name(sym).to_owned();
                    if self.names.class(sym) != Class::Aggregate {
                        sink.report(Code::EmptyElement, Span::new(node_start, tag.end), || {
                            format!("<{name_str}> has no value")
                        });
                    }
                }
                let had_children = top.state == State::Aggregate;
                let top =
                    if top.state == State::Undecided && self.names.class(sym) == Class::Aggregate {
                        Open { state: State::Aggregate, ..top }
                    } else {
                        top
                    };
                self.close(top, tag.end, true);
                if had_children && self.offer.is_some() {
                    self.offer_closed(top, sink);
                }
                if self.stack.is_empty() {
                    self.root_closed = true;
                }
                return;
            }
        }
        match self.stack.iter().rposition(|o| o.sym == sym) {
            Some(pos) => {
                // Close what is open inside it: an open leaf is normal SGML; anything else is
                // reported by `close_implicitly`.
                while self.stack.len() > pos + 1 {
                    self.close_implicitly(tag, sink, false);
                }
                self.end_sym(sym, tag, sink);
            }
            None => {
                let name_str = self.names.name(sym).to_owned();
                let leafish = self.names.seen_as_leaf.get(sym as usize).copied().unwrap_or(false)
                    || self.names.class(sym) == Class::Leaf;
                if leafish {
                    sink.report(Code::RedundantEndTag, tag, || {
                        format!("</{name_str}> ends a leaf that an earlier tag already ended")
                    });
                } else {
                    sink.report(Code::StrayEndTag, tag, || {
                        format!("</{name_str}> matches no open element")
                    });
                }
            }
        }
    }
}
