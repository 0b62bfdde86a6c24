//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `../shared/corpus` beside the checkout, if present.
pub fn shared_corpus() -> Option<PathBuf> {
    let dir = workspace().join("../shared/corpus");
    dir.join("MANIFEST.tsv").is_file().then_some(dir)
}

/// One row of `MANIFEST.tsv`.
#[derive(Debug, Clone)]
pub struct Row {
    /// `ofx1-sgml`, `ofx2-xml`, `qfx`, `ofc`, `garbage` or `dtd`.
    pub kind: String,
    /// The `|`-separated note (`msgs=…`, `malformed=…`).
    pub note: String,
    /// Path under `shared/corpus`.
    pub file: String,
    /// `ok`, `recover`, `reject` or `reference`.
    pub expect: String,
}

/// The rows of the shared corpus manifest.
pub fn manifest(dir: &Path) -> Vec<Row> {
    let text = std::fs::read_to_string(dir.join("MANIFEST.tsv")).expect("MANIFEST.tsv readable");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("header").split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).expect(name);
    let (kind, note, file, expect) = (col("kind"), col("note"), col("corpus_file"), col("expect"));
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            Row {
                kind: f[kind].to_owned(),
                note: f[note].to_owned(),
                file: f[file].to_owned(),
                expect: f[expect].to_owned(),
            }
        })
        .collect()
}

/// Our own corpus files for the syntax layer.
pub fn own_corpus() -> Vec<PathBuf> {
    let dir = workspace().join("corpus/syntax");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("corpus/syntax exists")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e != "golden"))
        .collect();
    files.sort();
    files
}

/// Options that read as `ofxkit::parse` reads: with the OFX and OFC tables
/// (`ofxkit_schema::DTD`) as the vocabulary.
pub fn dtd() -> ofxkit_syntax::Options {
    ofxkit_syntax::Options { vocabulary: Some(&ofxkit_schema::DTD), ..Default::default() }
}

/// [`ofxkit_syntax::parse`] with the OFX and OFC tables ([`dtd`]).
pub fn parse(bytes: &[u8]) -> Result<ofxkit_syntax::Document<'_>, ofxkit_syntax::Error> {
    ofxkit_syntax::parse_with(bytes, &dtd())
}
