//! Findings kept up to a cap per code: the rest are counted, and one finding per capped code
//! says how many were left out (the model's and the validator's findings; the syntax layer
//! caps its own with the same rule, [`Limits::max_findings_per_code`]).
//!
//! [`Limits::max_findings_per_code`]: ofxkit_syntax::Limits::max_findings_per_code

use rustc_hash::FxHashMap;

use crate::diagnostic::{Diagnostic, Severity, Span};

/// What is known of one code's findings.
#[derive(Debug, Clone)]
struct Count {
    /// Findings of the code kept or left out so far (a summary counts for its findings).
    seen: u64,
    /// Of those, left out.
    left_out: u64,
    /// The first one left out: where it is, its severity and path; the summary goes there.
    first: Option<(Span, Severity, Option<String>)>,
    /// The order in which codes first left something out.
    order: usize,
}

/// A list of findings with a cap per code.
#[derive(Debug, Clone)]
pub(crate) struct Capped {
    kept: Vec<Diagnostic>,
    counts: FxHashMap<&'static str, Count>,
    /// Most findings kept per code; 0 keeps them all.
    cap: u64,
    capped_codes: usize,
}

impl Capped {
    /// An empty list keeping at most `cap` findings per code (0: all of them).
    pub(crate) fn new(cap: u32) -> Self {
        Capped {
            kept: Vec::new(),
            counts: FxHashMap::default(),
            cap: u64::from(cap),
            capped_codes: 0,
        }
    }

    /// Counts a finding of `code`: true when it is to be kept (the caller then builds it
    /// and hands it to [`keep`](Self::keep)), false when it is left out (`span`, `severity`
    /// and `path` are remembered for the first one left out, `path` only built then).
    pub(crate) fn admit(
        &mut self,
        code: &'static str,
        span: Span,
        severity: Severity,
        path: impl FnOnce() -> Option<String>,
    ) -> bool {
        let next_order = self.capped_codes;
        let count = self.counts.entry(code).or_insert(Count {
            seen: 0,
            left_out: 0,
            first: None,
            order: usize::MAX,
        });
        count.seen += 1;
        if self.cap == 0 || count.seen <= self.cap {
            return true;
        }
        count.left_out += 1;
        if count.first.is_none() {
            count.first = Some((span, severity, path()));
            count.order = next_order;
            self.capped_codes += 1;
        }
        false
    }

    /// Keeps a finding [`admit`](Self::admit) let in.
    pub(crate) fn keep(&mut self, d: Diagnostic) {
        self.kept.push(d);
    }

    /// The findings so far, as [`finish`](Self::finish) gives them, leaving an empty list
    /// with the same cap.
    pub(crate) fn take(&mut self) -> Vec<Diagnostic> {
        let empty = Capped {
            kept: Vec::new(),
            counts: FxHashMap::default(),
            cap: self.cap,
            capped_codes: 0,
        };
        std::mem::replace(self, empty).finish()
    }

    /// Adds a finding: kept, or counted as left out.
    pub(crate) fn push(&mut self, d: Diagnostic) {
        match d.left_out {
            // A summary made elsewhere: its findings were left out there.
            Some(n) => {
                let next_order = self.capped_codes;
                let count = self.counts.entry(d.code).or_insert(Count {
                    seen: 0,
                    left_out: 0,
                    first: None,
                    order: usize::MAX,
                });
                count.seen += n;
                count.left_out += n;
                if count.first.is_none() {
                    count.first = Some((d.span, d.severity, d.path));
                    count.order = next_order;
                    self.capped_codes += 1;
                }
            }
            None => {
                let path = d.path.clone();
                if self.admit(d.code, d.span, d.severity, || path) {
                    self.kept.push(d);
                }
            }
        }
    }

    /// Adds every finding of `list`, in order.
    pub(crate) fn extend(&mut self, list: impl IntoIterator<Item = Diagnostic>) {
        for d in list {
            self.push(d);
        }
    }

    /// The findings kept, in the order they came, then one per code that left some out (in
    /// the order the codes first did), with the code and severity of the first one left
    /// out, at its place, saying how many were left out.
    pub(crate) fn finish(self) -> Vec<Diagnostic> {
        let mut out = self.kept;
        let mut summaries: Vec<(usize, Diagnostic)> = self
            .counts
            .into_iter()
            .filter(|(_, c)| c.left_out > 0)
            .filter_map(|(code, c)| {
                let (span, severity, path) = c.first?;
                let mut d =
                    Diagnostic::new(code, severity, span, left_out_message(code, c.left_out));
                d.path = path;
                d.left_out = Some(c.left_out);
                Some((c.order, d))
            })
            .collect();
        summaries.sort_by_key(|(order, _)| *order);
        out.extend(summaries.into_iter().map(|(_, d)| d));
        out
    }
}

/// The message of a summary: the syntax layer's wording.
fn left_out_message(code: &str, n: u64) -> String {
    ofxkit_syntax::left_out_message(code, n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(code: &'static str, at: u32) -> Diagnostic {
        Diagnostic::new(code, Severity::Warning, Span::new(at, at + 1), format!("#{at}"))
            .at_path("OFX/A")
    }

    #[test]
    fn beyond_the_cap_findings_are_counted_and_summarised() {
        let mut list = Capped::new(2);
        for at in 0..5 {
            list.push(finding("W-A", at));
        }
        list.push(finding("W-B", 10));
        let out = list.finish();
        let shown: Vec<(&str, &str, Option<u64>)> =
            out.iter().map(|d| (d.code, d.message.as_str(), d.left_out)).collect();
        assert_eq!(
            shown,
            [
                ("W-A", "#0", None),
                ("W-A", "#1", None),
                ("W-B", "#10", None),
                ("W-A", "… and 3 more W-A findings in this file were not kept", Some(3)),
            ]
        );
        assert_eq!(out[3].span, Span::new(2, 3), "at the first one left out");
        assert_eq!(out[3].path.as_deref(), Some("OFX/A"));
    }

    #[test]
    fn no_cap_keeps_everything_and_summaries_merge() {
        let mut all = Capped::new(0);
        for at in 0..3000 {
            all.push(finding("W-A", at));
        }
        assert_eq!(all.finish().len(), 3000);

        // Two capped lists merged: one summary, the counts added.
        let mut a = Capped::new(2);
        let mut b = Capped::new(2);
        for at in 0..4 {
            a.push(finding("W-A", at));
            b.push(finding("W-A", 100 + at));
        }
        let mut merged = Capped::new(2);
        merged.extend(a.finish());
        merged.extend(b.finish());
        let out = merged.finish();
        let summaries: Vec<Option<u64>> = out.iter().filter_map(|d| d.left_out.map(Some)).collect();
        assert_eq!(summaries, [Some(6)], "2 + 2 from the summaries, 2 more over the cap");
        assert_eq!(out.len(), 3);
    }
}
