//! Runs the fuzz targets' functions over both corpora and the fuzz seeds, so CI exercises
//! them on stable (CI only compiles the fuzz crate itself).

mod common;

use ofxkit_syntax::fuzz::{parse_any, roundtrip};

fn inputs() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for path in common::own_corpus() {
        out.push((path.display().to_string(), std::fs::read(&path).expect("read")));
    }
    let seeds = common::workspace().join("fuzz/regressions");
    if let Ok(entries) = std::fs::read_dir(&seeds) {
        for e in entries.flatten() {
            out.push((e.path().display().to_string(), std::fs::read(e.path()).expect("read")));
        }
    }
    match common::shared_corpus() {
        Some(dir) => {
            for row in common::manifest(&dir) {
                let path = dir.join(&row.file);
                out.push((row.file.clone(), std::fs::read(&path).expect("read shared file")));
            }
        }
        None => eprintln!("SKIPPED the shared corpus: ../shared/corpus is absent"),
    }
    out
}

#[test]
fn parse_any_survives_every_corpus_file_and_its_prefixes() {
    for (name, bytes) in inputs() {
        parse_any(&bytes, &common::dtd());
        // Truncations exercise the end-of-input paths everywhere.
        for cut in [1, 7, 64, bytes.len() / 2, bytes.len().saturating_sub(3)] {
            if let Some(prefix) = bytes.get(..cut) {
                parse_any(prefix, &common::dtd());
            }
        }
        let _ = name;
    }
}

#[test]
fn roundtrip_holds_on_every_corpus_file() {
    for (name, bytes) in inputs() {
        let result = std::panic::catch_unwind(|| roundtrip(&bytes, &common::dtd()));
        assert!(result.is_ok(), "round trip failed for {name}");
    }
}
