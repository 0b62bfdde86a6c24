//! The two-lexer oracle and the chunk-boundary check over every file we have: `corpus/`
//! (every area, the validator's rule cases in `corpus/validate/` among them),
//! `fuzz/regressions/` and `../shared/corpus` (said SKIPPED when absent).

mod common;

use std::path::{Path, PathBuf};

use ofxkit_syntax::LineIndex;
use ofxkit_syntax::fuzz::{lexers_agree, read_in_chunks};
use ofxkit_syntax::lex::{Event, SliceLexer};

/// Every file under `dir`, sorted.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).expect("readable directory").flatten() {
            let path = entry.path();
            if path.is_dir() {
                todo.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// (name, bytes) of every input; the shared corpus only when present.
fn inputs() -> Vec<(String, Vec<u8>)> {
    let root = common::workspace();
    let mut dirs = vec![root.join("corpus"), root.join("fuzz/regressions")];
    match common::shared_corpus() {
        Some(dir) => dirs.push(dir),
        None => eprintln!("SKIPPED the shared corpus: ../shared/corpus is absent"),
    }
    dirs.iter()
        .flat_map(|d| files_under(d))
        .map(|p| (p.display().to_string(), std::fs::read(&p).expect("readable file")))
        .collect()
}

#[test]
fn the_reference_and_production_lexers_agree_on_every_file() {
    let inputs = inputs();
    let rule_cases = inputs.iter().filter(|(name, _)| name.contains("corpus/validate/")).count();
    assert!(rule_cases > 50, "only {rule_cases} rule cases found in corpus/validate");
    let mut failures = Vec::new();
    for (name, bytes) in &inputs {
        if let Err(e) = std::panic::catch_unwind(|| lexers_agree(bytes)) {
            let why = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default();
            failures.push(format!("{name}: {why}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} files:\n{}",
        failures.len(),
        inputs.len(),
        failures.join("\n")
    );
}

#[test]
fn chunk_boundaries_change_no_event_span_or_position() {
    let mut checked = 0;
    for (name, bytes) in inputs() {
        let whole: Vec<Event> = SliceLexer::new(&bytes).collect();
        let index = LineIndex::new(&bytes, false);
        let positions: Vec<_> = whole.iter().map(|e| index.line_col(e.span().start)).collect();
        for chunk in [1, 2, 3, 7, 64, 4096] {
            let (events, lines) = read_in_chunks(&bytes, chunk);
            assert_eq!(events, whole, "{name}: events differ in chunks of {chunk}");
            assert_eq!(lines, positions, "{name}: line:col differ in chunks of {chunk}");
        }
        checked += 1;
    }
    assert!(checked > 300, "only {checked} files");
}
