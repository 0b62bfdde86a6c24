//! Which errors fall inside an element: the `problems` a row carries, so that each finding
//! can be matched to the row it touches.
//!
//! A row's problems are the codes of the errors (not warnings) whose position lies inside
//! the row's element, each once, in the order of their first position. An error at the very
//! end of the input counts as inside the elements the input ended in (still open there).

use ofxkit_syntax::{Element, Span, Tree};

/// The errors of one file by position.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ProblemIndex {
    /// `(start, code)`, sorted by start (ties keep the findings' order).
    at: Vec<(u32, &'static str)>,
    /// The length of the input the spans refer to.
    len: u32,
    /// The starts of the elements the input ended in (still open at its end): the errors
    /// at the very end belong to them too.
    open_at_end: Vec<u32>,
}

impl ProblemIndex {
    /// Indexes errors given by position and code, whose positions refer to `tree`'s input.
    pub(crate) fn new(mut at: Vec<(u32, &'static str)>, tree: &Tree<'_>) -> Self {
        at.sort_by_key(|(start, _)| *start);
        let len = u32::try_from(tree.source().len()).unwrap_or(u32::MAX);
        let mut open_at_end = Vec::new();
        if !at.is_empty() {
            // Down the last children, as long as the input ended in them.
            let mut el = Some(tree.root());
            while let Some(e) = el.filter(Element::cut_by_end_of_input) {
                open_at_end.push(e.span().start);
                el = e.children().last();
            }
        }
        ProblemIndex { at, len, open_at_end }
    }

    /// [`new`](Self::new), knowing the elements the input ended in even when `at` is empty:
    /// for [`within_any`](Self::within_any), whose other errors come later.
    pub(crate) fn with_open_ends(at: Vec<(u32, &'static str)>, tree: &Tree<'_>) -> Self {
        let mut index = ProblemIndex::new(at, tree);
        if index.at.is_empty() {
            let mut el = Some(tree.root());
            while let Some(e) = el.filter(Element::cut_by_end_of_input) {
                index.open_at_end.push(e.span().start);
                el = e.children().last();
            }
        }
        index
    }

    /// [`within_and`](Self::within_and) with `more`: errors found since the index was made,
    /// anywhere in the file (those inside `span` are taken, by the index's rule).
    pub(crate) fn within_any(
        &self,
        span: Span,
        more: &[(u32, &'static str)],
        out: &mut Vec<&'static str>,
    ) {
        let open_at_end = span.end >= self.len && self.open_at_end.contains(&span.start);
        let inside = |start: u32| {
            start >= span.start && (start < span.end || (open_at_end && start <= span.end))
        };
        let own: Vec<(u32, &'static str)> =
            more.iter().filter(|(start, _)| inside(*start)).copied().collect();
        self.within_and(span, &own, out);
    }

    /// True when the file has no error at all.
    pub(crate) fn is_empty(&self) -> bool {
        self.at.is_empty()
    }

    /// Appends to `out` the codes of the errors inside `span` that `out` does not hold yet.
    pub(crate) fn within(&self, span: Span, out: &mut Vec<&'static str>) {
        self.within_and(span, &[], out);
    }

    /// [`within`](Self::within), with `own`: errors found reading the element on its own
    /// (not in the index), by position and code, merged in by position.
    pub(crate) fn within_and(
        &self,
        span: Span,
        own: &[(u32, &'static str)],
        out: &mut Vec<&'static str>,
    ) {
        if self.at.is_empty() && own.is_empty() {
            return;
        }
        let first = self.at.partition_point(|(start, _)| *start < span.start);
        let open_at_end = span.end >= self.len && self.open_at_end.contains(&span.start);
        let mut found: Vec<(u32, &'static str)> = self
            .at
            .get(first..)
            .unwrap_or_default()
            .iter()
            .take_while(|(start, _)| *start < span.end || (open_at_end && *start <= span.end))
            .copied()
            .collect();
        found.extend_from_slice(own);
        // Stable: at one position, the index's findings (syntax first) before the element's.
        found.sort_by_key(|(start, _)| *start);
        for (_, code) in found {
            add(out, code);
        }
    }
}

/// Appends `code` to `out` unless it is there already.
pub(crate) fn add(out: &mut Vec<&'static str>, code: &'static str) {
    if !out.contains(&code) {
        out.push(code);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Diagnostic;
    use ofxkit_syntax::Severity;

    /// The errors among `diagnostics`, by position and code.
    fn errors_of(diagnostics: &[Diagnostic]) -> Vec<(u32, &'static str)> {
        let errors = diagnostics.iter().filter(|d| d.severity == Severity::Error);
        errors.map(|d| (d.span.start, d.code)).collect()
    }

    fn d(code: &'static str, severity: Severity, start: u32) -> Diagnostic {
        Diagnostic::new(code, severity, Span::new(start, start + 1), "x")
    }

    #[test]
    fn errors_inside_the_span_each_once_in_order() {
        let tree_doc = ofxkit_syntax::parse(b"<OFX></OFX>").expect("a tree");
        let list = [
            d("E-B", Severity::Error, 30),
            d("E-A", Severity::Error, 10),
            d("W-X", Severity::Warning, 12),
            d("E-A", Severity::Error, 15),
            d("E-C", Severity::Error, 20),
        ];
        let index = ProblemIndex::new(errors_of(&list), tree_doc.tree());
        let mut out = Vec::new();
        index.within(Span::new(10, 20), &mut out);
        assert_eq!(out, ["E-A"], "the end is exclusive, warnings are left out");
        out.clear();
        index.within(Span::new(0, 100), &mut out);
        assert_eq!(out, ["E-A", "E-C", "E-B"]);
        out.clear();
        index.within(Span::new(31, 99), &mut out);
        assert!(out.is_empty());
        assert!(ProblemIndex::new(errors_of(&list[2..3]), tree_doc.tree()).is_empty());
    }

    #[test]
    fn the_end_of_the_input_belongs_to_the_elements_left_open() {
        // The second STMTTRN is cut by the end of the input; the first is closed.
        let text = b"<OFX><BANKTRANLIST><STMTTRN><TRNAMT>1</STMTTRN><STMTTRN><TRNAMT>2";
        let doc = ofxkit_syntax::parse_with(text, &crate::with_dtd(&Default::default()))
            .expect("recovered");
        let eof = u32::try_from(text.len()).expect("small");
        let list = [d("E-UNEXPECTED-EOF", Severity::Error, eof)];
        let index = ProblemIndex::new(errors_of(&list), doc.tree());
        let list_el = doc.root().child("BANKTRANLIST").expect("BANKTRANLIST");
        let spans: Vec<Span> = list_el.children().map(|t| t.span()).collect();
        let mut out = Vec::new();
        index.within(spans[0], &mut out);
        assert!(out.is_empty(), "closed before the end: {out:?}");
        index.within(spans[1], &mut out);
        assert_eq!(out, ["E-UNEXPECTED-EOF"]);
        // A file that ends right after an end tag: nothing is open there.
        let closed = b"<OFX><STMTTRN><TRNAMT>1</STMTTRN>";
        let doc = ofxkit_syntax::parse_with(closed, &crate::with_dtd(&Default::default()))
            .expect("recovered");
        let end = u32::try_from(closed.len()).expect("small");
        let index = ProblemIndex::new(vec![(end, "E-UNEXPECTED-EOF")], doc.tree());
        let trn = doc.root().child("STMTTRN").expect("STMTTRN");
        let mut out = Vec::new();
        index.within(trn.span(), &mut out);
        assert!(out.is_empty(), "{out:?}");
    }
}
