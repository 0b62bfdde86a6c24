//! Texts: plain values straight into their leaf, the rest checked and queued for decoding;
//! texts split by comments, PIs or CDATA joined back.

use super::*;

impl<'s> Builder<'s> {
    /// Text between tags (raw, untrimmed). `literal` for CDATA.
    #[inline(always)]
    pub(crate) fn text(&mut self, raw: Span, literal: bool, sink: &mut Sink) -> Result<(), Error> {
        if !literal && self.plain_leaf_text(raw) {
            return Ok(());
        }
        self.text_general(raw, literal, sink)
    }

    /// [`text`](Self::text) for every case, with the reports.
    #[inline(never)]
    pub(super) fn text_general(
        &mut self,
        raw: Span,
        literal: bool,
        sink: &mut Sink,
    ) -> Result<(), Error> {
        self.text_classified(raw, literal, None, sink)
    }

    /// A value [`scan_value`] found plain, at `start..end`: stored as
    /// [`plain_leaf_text`](Self::plain_leaf_text) stores it. Returns false, having changed
    /// nothing, when it is not the first value of an open element within the limits; the
    /// caller then hands the whole run to [`text`](Self::text).
    #[inline(always)]
    pub(crate) fn plain_value(&mut self, start: usize, end: usize) -> bool {
        let len = (end - start) as u32;
        if self.root_closed || len > self.limits.max_text_len {
            return false;
        }
        let Some(top) = self.stack.last_mut() else { return false };
        if top.state == State::Aggregate || top.idx == 0 {
            return false;
        }
        let Some(node) = self.nodes.get_mut(top.idx as usize) else { return false };
        if node.is_leaf() || !node.store_text(start as u32, len) {
            return false;
        }
        top.state = State::Leaf;
        if let Some(s) = self.names.seen_as_leaf.get_mut(top.sym as usize) {
            *s = true;
        }
        true
    }

    /// The common text, small enough to inline into the reading loop: blanks only (nothing to
    /// do), or the first value of the open element, within the length limit, with no byte
    /// that needs decoding or a report (see [`plain_span`]). Returns false, having changed
    /// nothing, for any other text; it then goes to [`text_classified`](Self::text_classified),
    /// which reads these two cases the same way.
    #[inline(always)]
    pub(super) fn plain_leaf_text(&mut self, raw: Span) -> bool {
        let src = self.src;
        let start = raw.start as usize;
        let mut end = raw.end as usize;
        while end > start && src.get(end - 1).is_some_and(u8::is_ascii_whitespace) {
            end -= 1;
        }
        if end == start {
            return true;
        }
        // Stops before `end`: the byte before it is not a blank.
        let mut first = start;
        while first < end && src.get(first).is_some_and(u8::is_ascii_whitespace) {
            first += 1;
        }
        plain_span(src, first, end) && self.plain_value(first, end)
    }

    /// Text with its byte classes already known (from [`scan_text`]) when `classes` is set.
    #[inline]
    pub(crate) fn text_classified(
        &mut self,
        raw: Span,
        literal: bool,
        classes: Option<u8>,
        sink: &mut Sink,
    ) -> Result<(), Error> {
        let bytes = self.src.get(raw.range()).unwrap_or_default();
        let Some(first) = bytes.iter().position(|b| !b.is_ascii_whitespace()) else {
            return Ok(());
        };
        let last = bytes.iter().rposition(|b| !b.is_ascii_whitespace()).unwrap_or(first);
        let span = Span::new(raw.start + first as u32, raw.start + last as u32 + 1);
        let text = self.src.get(span.range()).unwrap_or_default();
        if self.root_closed || self.stack.is_empty() {
            sink.report(Code::TrailingContent, span, || {
                "text after the end of the root element".to_owned()
            });
            return Ok(());
        }
        if span.len() > self.limits.max_text_len {
            return Err(Error::new(
                ErrorKind::LimitExceeded,
                Code::TextLimit,
                span,
                format!(
                    "text of {} bytes exceeds the limit of {}",
                    span.len(),
                    self.limits.max_text_len
                ),
            ));
        }
        let Some(top) = self.stack.last_mut() else { return Ok(()) };
        // The root always holds elements, never a value.
        let is_fresh = matches!(top.state, State::Undecided | State::Leaf)
            && top.idx != 0
            && self.nodes.get(top.idx as usize).is_some_and(|n| !n.is_leaf());
        if !is_fresh {
            // A text that goes on after a comment, a processing instruction or a CDATA
            // section (this text starts right after it).
            let where_ = self.names.name(top.sym).to_owned();
            if let Some(idx) = self.continue_text(Span::point(raw.start)) {
                return self.add_piece(idx, raw, false, sink);
            }
            sink.report(Code::StrayText, span, || {
                let shown = crate::shown_bytes(text);
                format!("text \"{shown}\" inside <{where_}>, where only elements belong")
            });
            return Ok(());
        }
        top.state = State::Leaf;
        let idx = top.idx;
        let sym = top.sym;
        if let Some(s) = self.names.seen_as_leaf.get_mut(sym as usize) {
            *s = true;
        }
        let mut f = 0u16;
        let seen = match classes {
            // The classes of the raw run: NUL, `&` and high bytes are never trimmed away, but
            // a CR may have been only in the line break after the value.
            Some(c) if c & CLASS_CR != 0 && memchr::memchr(b'\r', text).is_none() => c & !CLASS_CR,
            Some(c) => c,
            None if plain_span(self.src, span.start as usize, span.end as usize) => 0,
            None => text
                .iter()
                .fold(0u8, |seen, &b| seen | BYTE_CLASS.get(b as usize).copied().unwrap_or(0)),
        };
        if seen & CLASS_NUL != 0 {
            sink.report(Code::NulByte, span, || "NUL byte in text".to_owned());
        }
        if !literal && seen & CLASS_AMP != 0 {
            f |= flags::TEXT_AMP;
        }
        if seen & CLASS_HIGH != 0 {
            f |= flags::TEXT_NON_ASCII;
            self.any_non_ascii = true;
        }
        if seen & CLASS_CR != 0 {
            f |= flags::TEXT_CR;
        }
        if literal {
            f |= flags::TEXT_LITERAL;
        }
        if let Some(node) = self.nodes.get_mut(idx as usize) {
            node.flags |= f;
            node.set_text(idx, span, false, span.end, &mut self.wide);
        }
        if f & (flags::TEXT_AMP | flags::TEXT_CR | flags::TEXT_NON_ASCII) != 0 {
            self.to_decode.push(idx);
        }
        Ok(())
    }

    /// A comment or processing instruction at `markup`: ignored, but when it comes inside the
    /// text of the open leaf, the text goes on after it (XML joins the pieces:
    /// `LONDON<!-- x --> HOTEL` is `LONDON HOTEL`).
    pub(crate) fn ignorable(&mut self, markup: Span) {
        self.continue_text(markup);
    }

    /// A CDATA section at `markup` whose `content` is taken literally: the first text of the
    /// open element, or a piece of the open leaf's text (`AT<![CDATA[&T]]>` is `AT&T`).
    pub(crate) fn cdata(
        &mut self,
        markup: Span,
        content: Span,
        sink: &mut Sink,
    ) -> Result<(), Error> {
        if let Some(idx) = self.continue_text(markup) {
            return self.add_piece(idx, content, true, sink);
        }
        self.text(content, true, sink)
    }

    /// True when every byte of `span` is a blank.
    pub(super) fn blank(&self, span: Span) -> bool {
        self.src.get(span.range()).is_some_and(|b| b.iter().all(u8::is_ascii_whitespace))
    }

    /// Keeps a piece of the text being joined: with the others, or aside while the join is
    /// pending.
    pub(super) fn push_piece(&mut self, piece: Piece) {
        if self.join.is_some_and(|j| j.pending) {
            self.pending.push(piece);
        } else {
            self.pieces.push(piece);
        }
    }

    /// When `markup` (a comment, a processing instruction or a CDATA section) comes inside
    /// the text of the open leaf (only blanks between them): starts a pending join of that
    /// text's pieces if there is none, adds the blanks since its last piece, and returns the
    /// leaf's index. The next piece starts after `markup`; the first one that is not blanks
    /// makes the text one of pieces (see [`add_piece`](Self::add_piece)).
    pub(super) fn continue_text(&mut self, markup: Span) -> Option<u32> {
        let top = self.stack.last().copied()?;
        if top.state != State::Leaf || top.idx == 0 || self.root_closed {
            return None;
        }
        let idx = top.idx;
        let node = self.nodes.get(idx as usize).copied()?;
        if !node.is_leaf() {
            return None;
        }
        match self.join {
            Some(j) if j.idx == idx => {
                // Blanks since the last piece (a run of blanks is not handed over as text):
                // anything else, a tag, means the text ended there.
                let gap = Span::new(j.end, markup.start);
                if !self.blank(gap) {
                    return None;
                }
                if !gap.is_empty() {
                    self.push_piece(Piece { idx, span: gap, literal: false });
                }
            }
            _ => {
                if node.flags & flags::TEXT_JOINED != 0 {
                    return None;
                }
                let text = node.text_span(idx, &self.wide);
                let len = text.len();
                self.pending.clear();
                if node.flags & flags::TEXT_LITERAL != 0 {
                    // A CDATA section's content: it went on, blanks, to its `]]>`.
                    let mut close = text.end as usize;
                    while self.src.get(close).is_some_and(u8::is_ascii_whitespace) {
                        close += 1;
                    }
                    if self.src.get(close..close + 3) != Some(&b"]]>"[..]) {
                        return None;
                    }
                    let gap = Span::new(close as u32 + 3, markup.start);
                    if !self.blank(gap) {
                        return None;
                    }
                    let content = Span::new(text.start, close as u32);
                    self.pending.push(Piece { idx, span: content, literal: true });
                    if !gap.is_empty() {
                        self.pending.push(Piece { idx, span: gap, literal: false });
                    }
                } else {
                    // A text run, with the blanks after it that were trimmed.
                    if !self.blank(Span::new(text.end, markup.start)) {
                        return None;
                    }
                    let run = Span::new(text.start, markup.start);
                    self.pending.push(Piece { idx, span: run, literal: false });
                }
                self.join = Some(Join { idx, pending: true, end: markup.start, len });
            }
        }
        if let Some(j) = &mut self.join {
            j.end = markup.end;
        }
        Some(idx)
    }

    /// Adds `raw` to the text of the leaf at `idx`, made of pieces: a text run (the blanks
    /// around it kept: they are inside the text), or a CDATA section's content when
    /// `literal`. The leaf's text and end reach the last byte that is not a blank.
    pub(super) fn add_piece(
        &mut self,
        idx: u32,
        raw: Span,
        literal: bool,
        sink: &mut Sink,
    ) -> Result<(), Error> {
        let Some(mut join) = self.join else { return Ok(()) };
        join.len = join.len.saturating_add(raw.len());
        if join.len > self.limits.max_text_len {
            return Err(Error::new(
                ErrorKind::LimitExceeded,
                Code::TextLimit,
                raw,
                format!(
                    "text of {} bytes exceeds the limit of {}",
                    join.len, self.limits.max_text_len
                ),
            ));
        }
        if !literal {
            join.end = raw.end;
        }
        let bytes = self.src.get(raw.range()).unwrap_or_default();
        let last = bytes.iter().rposition(|b| !b.is_ascii_whitespace());
        if join.pending && last.is_some() {
            // The first piece that is not blanks: the text is one of pieces.
            join.pending = false;
            self.pieces.append(&mut self.pending);
            self.mark(idx, flags::TEXT_JOINED);
            if self.to_decode.last() != Some(&idx) {
                self.to_decode.push(idx);
            }
        }
        self.join = Some(join);
        let seen = bytes
            .iter()
            .fold(0u8, |seen, &b| seen | BYTE_CLASS.get(b as usize).copied().unwrap_or(0));
        if seen & CLASS_NUL != 0 {
            sink.report(Code::NulByte, raw, || "NUL byte in text".to_owned());
        }
        let mut f = 0u16;
        if !literal && seen & CLASS_AMP != 0 {
            f |= flags::TEXT_AMP;
        }
        if seen & CLASS_HIGH != 0 {
            f |= flags::TEXT_NON_ASCII;
            self.any_non_ascii = true;
        }
        if seen & CLASS_CR != 0 {
            f |= flags::TEXT_CR;
        }
        self.push_piece(Piece { idx, span: raw, literal });
        if join.pending {
            // Blanks of a CDATA section: nothing to tell yet.
            return Ok(());
        }
        if let Some(node) = self.nodes.get_mut(idx as usize) {
            node.flags |= f;
            if let Some(last) = last {
                let start = node.text_span(idx, &self.wide).start;
                let end = raw.start + last as u32 + 1;
                node.set_text(idx, Span::new(start, end), false, end, &mut self.wide);
            }
        }
        Ok(())
    }
}
