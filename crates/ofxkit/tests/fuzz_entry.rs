//! Runs the `convert_any` and `validate_any` fuzz targets' functions over both corpora, their prefixes and the
//! fuzz regressions, so CI exercises it on stable.

mod common;

use std::path::PathBuf;

use common::{files_under, root, shared_corpus};

use ofxkit::fuzz::{RowPaths, convert_any, fast_rows_agree, validate_any};

/// Every corpus file (ours, the shared one when present) and every fuzz regression.
fn corpus_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    files_under(&root().join("corpus"), &mut files);
    files_under(&root().join("fuzz/regressions"), &mut files);
    if let Some(shared) = shared_corpus() {
        files_under(&shared, &mut files);
    } else {
        eprintln!("SKIPPED the shared corpus: ../shared/corpus is absent");
    }
    assert!(files.len() > 30, "inputs: {}", files.len());
    files
}

/// Runs `f` over every corpus file and three of its prefixes.
fn each_file_and_prefixes(f: fn(&[u8])) {
    for path in corpus_files() {
        let bytes = std::fs::read(&path).expect("readable");
        f(&bytes);
        for cut in [bytes.len() / 3, bytes.len() / 2, bytes.len().saturating_sub(9)] {
            if let Some(prefix) = bytes.get(..cut) {
                f(prefix);
            }
        }
    }
}

#[test]
fn convert_any_survives_every_corpus_file_and_its_prefixes() {
    each_file_and_prefixes(convert_any);
}

#[test]
fn validate_any_survives_every_corpus_file_and_its_prefixes() {
    each_file_and_prefixes(validate_any);
}

/// The shortcut that writes plain transactions straight from the tree gives the same rows and
/// findings as reading them into the model, on every corpus file; and both ways are taken.
#[test]
fn fast_rows_equal_model_rows_on_every_corpus_file() {
    let mut total = RowPaths::default();
    for path in corpus_files() {
        let bytes = std::fs::read(&path).expect("readable");
        let paths = fast_rows_agree(&bytes);
        total.fast += paths.fast;
        total.general += paths.general;
        total.streamed += paths.streamed;
        total.leaves += paths.leaves;
    }
    eprintln!(
        "rows written from the tree: {}, through the model: {}; streamed while reading: {}, \
         of which {} from children read at once",
        total.fast, total.general, total.streamed, total.leaves
    );
    assert!(total.streamed > 50, "rows streamed while reading: {}", total.streamed);
    assert!(total.leaves > 20, "rows from children read at once: {}", total.leaves);
    assert!(total.fast > 50, "the shortcut was taken for {} rows only", total.fast);
    assert!(total.general > 10, "the general way was taken for {} rows only", total.general);
}
