//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `../shared/corpus` beside the checkout, if present.
pub fn shared_corpus() -> Option<PathBuf> {
    let dir = root().join("../shared/corpus");
    dir.join("MANIFEST.tsv").is_file().then_some(dir)
}

/// Every file under `dir`, recursively.
pub fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files_under(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// The input files under `dir`: no golden outputs, documentation, manifests, DTDs or peer
/// summaries (`expected/`).
pub fn inputs_under(dir: &Path) -> Vec<PathBuf> {
    let mut all = Vec::new();
    files_under(dir, &mut all);
    let skip = ["json", "csv", "golden", "md", "tsv", "dtd"];
    all.retain(|p| {
        !p.components().any(|c| c.as_os_str() == "expected")
            && !p.extension().is_some_and(|x| skip.iter().any(|k| x == *k))
    });
    all
}

/// The input files of the own corpus and, when present, of the shared one (saying so when it
/// is absent).
pub fn own_and_shared_inputs() -> Vec<PathBuf> {
    let mut files = inputs_under(&root().join("corpus"));
    match shared_corpus() {
        Some(shared) => files.extend(inputs_under(&shared)),
        None => eprintln!("../shared/corpus is absent: the own corpus only"),
    }
    files
}

/// Every file of the own corpus, the fuzz regressions and, when present, the shared corpus
/// (saying so when it is absent), sorted: golden outputs and notes too, which the oracles
/// read as any other input.
pub fn corpus_and_regression_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    files_under(&root().join("corpus"), &mut files);
    files_under(&root().join("fuzz/regressions"), &mut files);
    match shared_corpus() {
        Some(shared) => files_under(&shared, &mut files),
        None => eprintln!("SKIPPED the shared corpus: ../shared/corpus is absent"),
    }
    files.sort();
    assert!(files.len() > 30, "inputs: {}", files.len());
    files
}

/// Compares `actual` with the golden file `golden` (rewrites it instead under
/// `OFXKIT_BLESS=1`); adds a message naming `what` to `failures` when they differ or the
/// golden file is missing.
pub fn check_golden(what: &str, golden: &Path, actual: &str, failures: &mut Vec<String>) {
    if std::env::var_os("OFXKIT_BLESS").is_some() {
        std::fs::write(golden, actual).expect("write golden");
        return;
    }
    match std::fs::read_to_string(golden) {
        Ok(expected) if expected == actual => {}
        Ok(expected) => failures.push(format!(
            "{what}: output differs from {}\n--- expected\n{expected}\n--- actual\n{actual}",
            golden.display()
        )),
        Err(_) => failures.push(format!("{what}: no golden file {}", golden.display())),
    }
}
