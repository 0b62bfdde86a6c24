//! `ofxkit::validate` over the real-world files of `../shared/corpus` (read in place, never
//! copied into the repository; the test says so and does nothing when that folder is absent):
//!
//! - `ok` files give no error, except the real departures justified one by one in
//!   `tests/data/shared-corpus-ok-errors.tsv`;
//! - each `recover` file reports the oddities its MANIFEST note names, as the codes listed in
//!   `tests/data/shared-corpus-recover.tsv`;
//! - `reject` files give an error with a position inside the file.
//!
//! Every failure is collected and listed before the test fails, so one run shows them all.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use ofxkit::syntax::Severity;
use ofxkit::validate::{ValidateOptions, validate};

fn shared_corpus() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    dir.join("MANIFEST.tsv").is_file().then_some(dir)
}

/// Tab-separated rows of a data file, comments and blank lines skipped.
fn table(name: &str) -> Vec<Vec<String>> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split('\t').map(str::to_owned).collect())
        .collect()
}

/// One finding: code, severity, 1-based line (0 when the offset is past the end of the file).
type Found = (String, Severity, u32, u32);

fn findings(path: &Path) -> Vec<Found> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    match ofxkit::parse(&bytes) {
        Ok(doc) => {
            let report = validate(&doc, &ValidateOptions::default());
            let index = doc.syntax().line_index();
            let len = doc.syntax().source().len() as u32;
            report
                .findings
                .iter()
                .map(|f| {
                    let lc = index.line_col(f.span.start);
                    let line = if f.span.start <= len { lc.line } else { 0 };
                    (f.code.to_owned(), f.severity, line, lc.column)
                })
                .collect()
        }
        Err(e) => {
            let index = ofxkit::syntax::LineIndex::new(&bytes, false);
            let lc = index.line_col(e.span().start);
            let line = if (e.span().start as usize) <= bytes.len() { lc.line } else { 0 };
            vec![(e.code().as_str().to_owned(), Severity::Error, line, lc.column)]
        }
    }
}

#[test]
fn shared_corpus_findings_are_all_explained() {
    let Some(dir) = shared_corpus() else {
        eprintln!("../shared/corpus is absent: nothing to check");
        return;
    };
    let manifest = std::fs::read_to_string(dir.join("MANIFEST.tsv")).expect("MANIFEST.tsv");
    let justified: Vec<(String, String)> = table("shared-corpus-ok-errors.tsv")
        .into_iter()
        .map(|r| (r[0].clone(), r[1].clone()))
        .collect();
    let recover: Vec<(String, Vec<String>)> = table("shared-corpus-recover.tsv")
        .into_iter()
        .map(|r| (r[0].clone(), r[1].split(',').map(str::to_owned).collect()))
        .collect();
    let mut used: BTreeSet<(String, String)> = BTreeSet::new();
    let mut failures = Vec::new();
    let mut counts = [0usize; 3];

    for row in manifest.lines().skip(1) {
        let cols: Vec<&str> = row.split('\t').collect();
        let (Some(file), Some(expect)) = (cols.get(7), cols.get(8)) else { continue };
        let path = dir.join(file);
        match *expect {
            "ok" => {
                counts[0] += 1;
                for (code, severity, line, col) in findings(&path) {
                    if severity != Severity::Error {
                        continue;
                    }
                    let key = ((*file).to_owned(), code.clone());
                    if justified.contains(&key) {
                        used.insert(key);
                    } else {
                        failures
                            .push(format!("ok file {file}:{line}:{col}: unexplained error {code}"));
                    }
                }
            }
            "recover" => {
                counts[1] += 1;
                let found = findings(&path);
                let Some((_, codes)) = recover.iter().find(|(f, _)| f == file) else {
                    failures.push(format!(
                        "recover file {file} has no line in shared-corpus-recover.tsv"
                    ));
                    continue;
                };
                for code in codes {
                    if !found.iter().any(|(c, _, line, _)| c == code && *line > 0) {
                        failures.push(format!(
                            "recover file {file}: {code} not reported; found {found:?}"
                        ));
                    }
                }
            }
            "reject" => {
                counts[2] += 1;
                let found = findings(&path);
                if !found.iter().any(|(_, s, line, _)| *s == Severity::Error && *line > 0) {
                    failures
                        .push(format!("reject file {file}: no positioned error; found {found:?}"));
                }
            }
            _ => {}
        }
    }
    for key in &justified {
        if !used.contains(key) {
            failures.push(format!("justification {} {} no longer matches an error", key.0, key.1));
        }
    }
    for (file, _) in &recover {
        if !manifest.lines().any(|l| l.split('\t').nth(7) == Some(file) && l.ends_with("\trecover"))
        {
            failures.push(format!("{file} in shared-corpus-recover.tsv is not a recover file"));
        }
    }
    assert!(counts[0] > 0 && counts[1] > 0 && counts[2] > 0, "manifest read: {counts:?}");
    assert!(failures.is_empty(), "{} unexplained:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn every_profile_checks_every_corpus_file_without_panicking() {
    let mut dirs = vec![PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../corpus")];
    match shared_corpus() {
        Some(dir) => dirs.push(dir),
        None => eprintln!("../shared/corpus is absent: only corpus/ is checked"),
    }
    let mut files = Vec::new();
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("read_dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                files.push(path);
            }
        }
    }
    let mut checked = 0;
    for path in &files {
        let bytes = std::fs::read(path).expect("read");
        let Ok(doc) = ofxkit::parse(&bytes) else { continue };
        let len = doc.syntax().source().len();
        for profile in ofxkit::validate::ValidationProfile::ALL {
            let options = ValidateOptions { profile, ..ValidateOptions::default() };
            let report = validate(&doc, &options);
            for f in &report.findings {
                assert!(f.span.start <= f.span.end && f.span.end as usize <= len, "{path:?} {f:?}");
            }
            checked += 1;
        }
    }
    assert!(checked > 9 * 50, "{checked} validations");
}
