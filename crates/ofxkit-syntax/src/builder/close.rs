//! Closing elements: by their end tag, implicitly (SGML's omitted end tags, recovery),
//! by content model, and at the end of the input.

use super::*;

impl<'s> Builder<'s> {
    pub(super) fn close(&mut self, open: Open, end: u32, explicit: bool) {
        let next = self.nodes.len() as u32;
        // An element with neither text nor children is a leaf unless the DTD says it is
        // an aggregate (`<BANKTRANLIST></BANKTRANLIST>` stays an aggregate).
        let leaf = match open.state {
            State::Leaf => true,
            State::Undecided => {
                self.names.classes.get(open.sym as usize) != Some(&Class::Aggregate)
            }
            State::Aggregate => false,
        };
        if let Some(node) = self.nodes.get_mut(open.idx as usize) {
            let end = end.max(node.start);
            if explicit {
                node.flags |= flags::END_TAG;
            }
            if leaf {
                node.close_leaf(open.idx, end, &mut self.wide);
            } else {
                node.close_element(end, next);
            }
        }
    }

    /// The end offset to give an element closed without its end tag: the end of its text,
    /// or of its start tag.
    pub(super) fn implicit_end(&self, open: &Open) -> u32 {
        self.nodes.get(open.idx as usize).map(|n| n.end(open.idx, &self.wide)).unwrap_or(0)
    }

    /// Closes the open element on top of the stack without an end tag, reporting what needs
    /// reporting. `closer` is the span of the tag that caused it.
    pub(super) fn close_implicitly(&mut self, closer: Span, sink: &mut Sink, at_eof: bool) {
        let Some(open) = self.stack.pop() else { return };
        if at_eof {
            self.mark(open.idx, flags::CUT_BY_EOF | flags::RECOVERED_END);
        }
        if open.state == State::Leaf {
            let recovered = at_eof || self.mark_xml_leaf_end(open.idx, closer);
            // The common SGML case: a leaf whose end tag is omitted.
            if let Some(node) = self.nodes.get_mut(open.idx as usize) {
                // An open element with a text is already a leaf, and stays as it is.
                if node.is_leaf() {
                    self.omitted_leaf_end_tags += 1;
                    self.leaf_ends_recovered += u32::from(recovered);
                    return;
                }
                let end = node.end(open.idx, &self.wide);
                node.close_leaf(open.idx, end, &mut self.wide);
                let span = Span::new(node.start, end);
                let name = self.names.name(open.sym).to_owned();
                sink.report(Code::EmptyElement, span, || format!("<{name}> has no value"));
            }
            return;
        }
        let class = self.names.class(open.sym);
        let node_start = self.nodes.get(open.idx as usize).map(|n| n.start).unwrap_or(0);
        match open.state {
            State::Leaf => {}
            State::Undecided => {
                let end = self.implicit_end(&open);
                let name = self.names.name(open.sym).to_owned();
                if class == Class::Aggregate {
                    // An aggregate with no children and no end tag.
                    self.close_aggregate_report(open, &name, closer, sink, at_eof);
                    if self.names.vocabulary == Vocabulary::Ofx {
                        self.mark(open.idx, flags::RECOVERED_END);
                    }
                    let open = Open { state: State::Aggregate, ..open };
                    self.close(open, closer.start, false);
                } else {
                    sink.report(Code::EmptyElement, Span::new(node_start, end), || {
                        format!("<{name}> has no value")
                    });
                    if !at_eof {
                        self.mark_xml_leaf_end(open.idx, closer);
                    }
                    self.close(open, end, false);
                }
            }
            State::Aggregate => {
                let name = self.names.name(open.sym).to_owned();
                if class == Class::Unknown {
                    // Never closed, never had text: an empty element, and what followed it
                    // belongs to its parent.
                    let end = self.implicit_end(&open);
                    sink.report(Code::EmptyElementInferred, Span::new(node_start, end), || {
                        format!(
                            "<{name}> has no value and no end tag; read as an empty element \
                             followed by its siblings"
                        )
                    });
                    if let Some(node) = self.nodes.get_mut(open.idx as usize) {
                        node.flags |= flags::RECOVERED_END;
                        node.close_leaf(open.idx, end, &mut self.wide);
                    }
                } else if !at_eof && self.names.vocabulary == Vocabulary::Ofx {
                    self.mark(open.idx, flags::RECOVERED_END);
                    self.close_by_content_model(open, &name, closer, sink);
                } else {
                    self.close_aggregate_report(open, &name, closer, sink, at_eof);
                    self.close(open, closer.start, false);
                }
            }
        }
    }

    /// An OFX aggregate whose end tag is missing, closed by an ancestor's end tag. The DTDs
    /// say where it must have ended: if every child is one it may hold, it ended at the
    /// ancestor's end; if its children end with a run it may not hold but its parent may
    /// (`</BANKTRANLIST>` missing before `<LEDGERBAL>`), it ended before that run, which
    /// goes back to the parent. Either way the intent is clear (a warning); otherwise it is
    /// an error and the children stay where they are.
    pub(super) fn close_by_content_model(
        &mut self,
        open: Open,
        name: &str,
        closer: Span,
        sink: &mut Sink,
    ) {
        let parent = self.stack.last().map(|o| self.names.name(o.sym).to_owned());
        let children = self.child_indexes(open.idx);
        let first_foreign = children.iter().position(|&c| {
            let child = self.names.name(self.nodes.get(c as usize).map_or(0, |n| n.name));
            !self.names.allowed_in(name, child)
        });
        let start = self.nodes.get(open.idx as usize).map_or(0, |n| n.start);
        let tag = Span::new(start, start + name.len() as u32 + 2);
        let closer_text = crate::shown_bytes(self.src.get(closer.range()).unwrap_or_default());
        match first_foreign {
            None => {
                sink.report(Code::MissingEndTag, tag, || {
                    format!("<{name}> has no end tag; it ends at {closer_text}")
                });
                self.close(open, closer.start, false);
            }
            Some(i) => {
                let suffix = children.get(i..).unwrap_or_default();
                let movable = parent.as_deref().is_some_and(|p| {
                    suffix.iter().all(|&c| {
                        let child =
                            self.names.name(self.nodes.get(c as usize).map_or(0, |n| n.name));
                        !self.names.allowed_in(name, child) && self.names.allowed_in(p, child)
                    })
                });
                let cut = suffix.first().copied().unwrap_or(open.idx + 1);
                if movable {
                    let cut_start = self.nodes.get(cut as usize).map_or(closer.start, |n| n.start);
                    let cut_name = self
                        .names
                        .name(self.nodes.get(cut as usize).map_or(0, |n| n.name))
                        .to_owned();
                    sink.report(Code::MissingEndTag, tag, || {
                        format!("<{name}> has no end tag; it ends before <{cut_name}>, which it cannot hold")
                    });
                    self.close(open, cut_start, false);
                    if let Some(node) = self.nodes.get_mut(open.idx as usize) {
                        node.set_next(cut);
                    }
                } else {
                    self.close_aggregate_report(open, name, closer, sink, false);
                    self.close(open, closer.start, false);
                }
            }
        }
    }

    pub(super) fn close_aggregate_report(
        &mut self,
        open: Open,
        name: &str,
        closer: Span,
        sink: &mut Sink,
        at_eof: bool,
    ) {
        let start = self.nodes.get(open.idx as usize).map(|n| n.start).unwrap_or(0);
        let tag_end = start + name.len() as u32 + 2;
        let span = Span::new(start, tag_end);
        if at_eof {
            return; // reported once by `finish`
        }
        let closer_text = crate::shown_bytes(self.src.get(closer.range()).unwrap_or_default());
        match self.names.vocabulary {
            Vocabulary::Ofc => sink.report(Code::OmittedEndTag, span, || {
                format!("<{name}> has no end tag; it ends at {closer_text}")
            }),
            Vocabulary::Ofx => sink.report_with_help(
                Code::UnclosedAggregate,
                span,
                || format!("<{name}> has no end tag; closed at {closer_text}"),
                Some("OFX requires an end tag for every aggregate"),
            ),
        }
    }

    /// End of input at `at`: closes what is open, reporting open aggregates.
    pub(crate) fn finish(&mut self, at: u32, sink: &mut Sink) {
        if self.stack.is_empty() {
            return;
        }
        let open: Vec<String> = self
            .stack
            .iter()
            .filter(|o| o.state == State::Aggregate || self.names.class(o.sym) == Class::Aggregate)
            .map(|o| format!("<{}>", self.names.name(o.sym)))
            .collect();
        let eof = Span::point(at);
        if !open.is_empty() {
            let first = self.stack.first().map(|o| o.idx).unwrap_or(0);
            let start = self.nodes.get(first as usize).map(|n| n.start).unwrap_or(0);
            sink.report_with_help(
                Code::UnexpectedEof,
                eof,
                || format!("the input ends while {} are still open", open.join(", ")),
                Some(&format!("the root element opened at byte {start} is not closed; the file may be truncated")),
            );
        }
        while !self.stack.is_empty() {
            self.close_implicitly(eof, sink, true);
        }
    }
}
