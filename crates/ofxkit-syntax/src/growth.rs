//! Growth tests: work and memory grow in proportion to the input, at sizes ten times apart.
//! Work is counted, never timed: the tree's walks count the nodes they visit
//! ([`VISITS`](crate::tree::VISITS), in tests only), and the findings kept are counted.
//!
//! Each input is one of the shapes that once took quadratic time in a caller that names the
//! path of every element it does not know or reports about (the `ofxkit` model reader):
//! `Tree::ancestors_of` walked the earlier siblings of every ancestor.

use crate::tree::VISITS;
use crate::{Code, Document, parse};

/// The tree walks counted while `f` runs.
fn visits(f: impl FnOnce()) -> u64 {
    let before = VISITS.with(|v| v.get());
    f();
    VISITS.with(|v| v.get()) - before
}

/// What a caller does that reports about every element: its path and its children.
fn path_of_every_element(doc: &Document<'_>) -> usize {
    doc.tree().elements().map(|e| e.path().len() + e.children().count()).sum()
}

/// The work at `n` and at `10 * n`, for a file made by `file`: must grow about tenfold
/// (at most 15x here; the quadratic walk grew 100x).
fn grows_linearly(n: usize, file: impl Fn(usize) -> Vec<u8>, work: impl Fn(&Document<'_>)) {
    let counted: Vec<u64> = [n, 10 * n]
        .into_iter()
        .map(|size| {
            let bytes = file(size);
            let doc = parse(&bytes).expect("parses");
            visits(|| work(&doc))
        })
        .collect();
    let (small, large) = (counted[0], counted[1]);
    assert!(small >= n as u64, "the walks were not counted: {small}");
    assert!(large <= 15 * small, "work grew {large} / {small} for 10x the input");
}

#[test]
fn many_leaves_in_the_root() {
    // `<OFX><A>1<A>1…`: unknown leaves, all children of the root.
    let file = |n: usize| [&b"<OFX>"[..], &b"<A>1".repeat(n)].concat();
    grows_linearly(2_000, file, |doc| {
        assert!(path_of_every_element(doc) > 0);
    });
}

#[test]
fn many_repeats_of_an_unknown_aggregate() {
    // `<AGG><AGG>…`: each closes the one before (W-REOPENED-ELEMENT), all siblings.
    let file = |n: usize| {
        let head = b"OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\n\n<OFX>";
        [&head[..], &b"<AGG>".repeat(n)].concat()
    };
    grows_linearly(2_000, file, |doc| {
        assert!(path_of_every_element(doc) > 0);
    });
    // The findings kept stay at the cap.
    for n in [2_000, 20_000] {
        let bytes = file(n);
        let doc = parse(&bytes).expect("parses");
        let reopened = doc.diagnostics().iter().filter(|d| d.code == Code::ReopenedElement);
        assert_eq!(reopened.count(), 1_000 + 1, "{n}: the cap, and the summary");
        assert_eq!(doc.suppressed_findings(), [(Code::ReopenedElement, n as u64 - 1 - 1_000)]);
    }
}

#[test]
fn one_vendor_element_per_transaction() {
    let file = |n: usize| {
        let mut f = b"<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><BANKTRANLIST>\n".to_vec();
        for i in 0..n {
            let t =
                format!("<STMTTRN><TRNTYPE>DEBIT<TRNAMT>-{i}.50<FITID>{i}<X.FOO>bar</STMTTRN>\n");
            f.extend_from_slice(t.as_bytes());
        }
        f.extend_from_slice(b"</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\n");
        f
    };
    // The path of each vendor element, as the model keeps each as an extension.
    grows_linearly(2_000, file, |doc| {
        let vendor = doc.tree().elements().filter(|e| e.name() == "X.FOO");
        assert!(vendor.map(|e| e.path().len()).sum::<usize>() > 0);
    });
    grows_linearly(2_000, file, |doc| {
        assert!(path_of_every_element(doc) > 0);
    });
}

#[test]
fn many_findings_of_one_code() {
    // `<MEMO></MEMO>` over and over: one W-EMPTY-ELEMENT each.
    let file = |n: usize| [&b"<OFX>"[..], &b"<MEMO></MEMO>".repeat(n), b"</OFX>"].concat();
    let kept: Vec<(usize, usize)> = [2_000, 20_000]
        .into_iter()
        .map(|n| {
            let bytes = file(n);
            let doc = parse(&bytes).expect("parses");
            assert_eq!(doc.suppressed_findings(), [(Code::EmptyElement, n as u64 - 1_000)]);
            let last = doc.diagnostics().last().expect("the summary");
            assert_eq!(last.code, Code::EmptyElement);
            assert_eq!(last.span.start as usize, 5 + 1_000 * 13, "the first one left out");
            let empty: Vec<_> =
                doc.diagnostics().iter().filter(|d| d.code == Code::EmptyElement).collect();
            (empty.len(), empty.iter().map(|d| d.message.len()).sum())
        })
        .collect();
    assert_eq!(kept[0].0, 1_000 + 1);
    assert_eq!(kept[0].0, kept[1].0, "the findings kept do not grow");
    // The summary's count has one digit and a comma more.
    assert!(kept[1].1 <= kept[0].1 + 2, "{kept:?}");
}
