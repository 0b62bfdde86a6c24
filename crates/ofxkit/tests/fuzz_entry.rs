//! Runs the `convert_any` fuzz target's function over both corpora, their prefixes and the
//! fuzz regressions, so CI exercises it on stable.

use std::path::{Path, PathBuf};

use ofxkit::fuzz::convert_any;

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
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

#[test]
fn convert_any_survives_every_corpus_file_and_its_prefixes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    files_under(&root.join("corpus"), &mut files);
    files_under(&root.join("fuzz/regressions"), &mut files);
    let shared = root.join("../shared/corpus");
    if shared.join("MANIFEST.tsv").is_file() {
        files_under(&shared, &mut files);
    } else {
        eprintln!("SKIPPED the shared corpus: ../shared/corpus is absent");
    }
    assert!(files.len() > 30, "inputs: {}", files.len());
    for path in files {
        let bytes = std::fs::read(&path).expect("readable");
        convert_any(&bytes);
        for cut in [bytes.len() / 3, bytes.len() / 2, bytes.len().saturating_sub(9)] {
            if let Some(prefix) = bytes.get(..cut) {
                convert_any(prefix);
            }
        }
    }
}
