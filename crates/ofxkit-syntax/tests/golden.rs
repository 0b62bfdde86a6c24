//! Golden files: for each input in `corpus/syntax/`, the document facts, the diagnostics,
//! the tree and the elements the file did not finish, compared as text with `NAME.golden` beside it. Regenerate with
//! `OFXKIT_BLESS=1 cargo test -p ofxkit-syntax --test golden` and review the diff.

mod common;

use std::fmt::Write as _;

use common::parse;
use ofxkit_syntax::{DumpOptions, dump_text};

fn render(bytes: &[u8]) -> String {
    let mut out = String::new();
    match parse(bytes) {
        Err(e) => {
            let index = ofxkit_syntax::LineIndex::new(bytes, false);
            let _ = writeln!(
                out,
                "fatal {} at {}: {}",
                e.code(),
                index.line_col(e.span().start),
                e.message()
            );
        }
        Ok(doc) => {
            let _ = writeln!(
                out,
                "format: {} | syntax: {:?} | qfx: {} | encoding: {} ({:?})",
                doc.format().label(),
                doc.syntax(),
                doc.is_qfx(),
                doc.encoding().name(),
                doc.encoding().source
            );
            if let Some(h) = doc.header() {
                let _ = writeln!(out, "header: {:?} version {:?}", h.style, h.version);
            }
            let index = doc.line_index();
            for d in doc.diagnostics() {
                let _ = writeln!(
                    out,
                    "{} {}[{}] {}",
                    index.line_col(d.span.start),
                    d.severity,
                    d.code,
                    d.message
                );
            }
            out.push_str("--\n");
            out.push_str(&dump_text(&doc, DumpOptions::default()));
            // The elements the file did not finish.
            for e in doc.tree().elements() {
                if e.cut_by_end_of_input() {
                    let _ = writeln!(out, "cut by the end of the input: {}", e.path());
                } else if e.closed_by_recovery() {
                    let _ = writeln!(out, "closed by recovery: {}", e.path());
                }
            }
        }
    }
    out
}

#[test]
fn own_corpus_matches_golden_files() {
    let bless = std::env::var_os("OFXKIT_BLESS").is_some();
    let mut failures = Vec::new();
    for path in common::own_corpus() {
        let bytes = std::fs::read(&path).expect("read corpus file");
        let actual = render(&bytes);
        let golden = path.with_extension(format!(
            "{}.golden",
            path.extension().and_then(|e| e.to_str()).unwrap_or("")
        ));
        if bless {
            std::fs::write(&golden, &actual).expect("write golden");
            continue;
        }
        match std::fs::read_to_string(&golden) {
            Ok(expected) if expected == actual => {}
            Ok(expected) => failures.push(format!(
                "{}: output differs from {}\n--- expected\n{expected}\n--- actual\n{actual}",
                path.display(),
                golden.display()
            )),
            Err(_) => {
                failures.push(format!("{}: no golden file {}", path.display(), golden.display()))
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
