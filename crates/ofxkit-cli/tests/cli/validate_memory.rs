//! `validate` checks a statement's transactions as it reads them (issue 17): the tree of a
//! long statement is never built, so memory grows with the input read (held whole) and a
//! few bytes per transaction kept (its FITID, its place among its list's children), not with
//! a tree of the whole file.

use std::path::Path;

use crate::util::{long_statement, peak_memory, scratch};

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write");
    path.to_str().expect("utf-8 path").to_owned()
}

#[test]
fn memory_grows_with_the_input_not_with_a_tree_of_it() {
    let dir = scratch("validate-memory");
    for xml in [false, true] {
        let (small_n, large_n) = (30_000, 300_000);
        let small = write(&dir, "small.ofx", &long_statement(small_n, xml));
        let large = write(&dir, "large.ofx", &long_statement(large_n, xml));
        let len = |p: &str| std::fs::metadata(p).expect("written").len() / 1024;
        let input_growth = len(&large) - len(&small);
        assert!(input_growth > 24 << 10, "{input_growth} KiB");
        let mut peaks = Vec::new();
        let mut lines = Vec::new();
        for path in [&small, &large] {
            let p = peak_memory(&["validate", "--no-summary", path]);
            assert_eq!(p.status, 0, "xml={xml}: {}", p.stderr);
            peaks.push(p.kib);
            lines.push(p.stdout_lines);
        }
        // A clean statement: the same findings (none about a transaction), whatever its size.
        assert_eq!(lines[0], lines[1], "xml={xml}: findings");
        let growth = peaks[1].saturating_sub(peaks[0]);
        // The input is read whole (it grows by `input_growth`); a tree of the whole file
        // would add about as much again (1.8 times the input in all). What is kept per
        // transaction is a fraction of its bytes.
        assert!(
            growth < input_growth * 3 / 2,
            "xml={xml}: peak {} KiB, then {} KiB (the input grew by {input_growth} KiB)",
            peaks[0],
            peaks[1]
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}
