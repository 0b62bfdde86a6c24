//! What the writer writes, byte for byte, for a few corpus files: `corpus/write/NAME.ofx1` and
//! `NAME.ofx2.golden` beside the list below. Regenerate after a deliberate change with
//! `OFXKIT_BLESS=1 cargo test -p ofxkit --test write_golden` and read the diff.

mod common;

use common::root;
use ofxkit::write::{Target, WriteOptions};

/// The sources, under `corpus/`.
const SOURCES: [&str; 7] = [
    "model/ofx1-bank-and-card.ofx",
    "model/ofx2-creditcard.ofx",
    "model/ofx2-investment.ofx",
    "model/ofc-statement.ofc",
    "model/ofc-payees.ofc",
    "billpay/sync-responses.ofx",
    "syntax/qfx-intu.qfx",
];

#[test]
fn written_files_match_their_golden_files() {
    let bless = std::env::var_os("OFXKIT_BLESS").is_some();
    let mut failures = Vec::new();
    for rel in SOURCES {
        let bytes = std::fs::read(root().join("corpus").join(rel)).expect("readable");
        let doc = ofxkit::parse(&bytes).expect("reads");
        let stem = std::path::Path::new(rel).file_stem().and_then(|s| s.to_str()).expect("name");
        for target in [Target::Ofx1, Target::Ofx2] {
            let options = WriteOptions { target, ..WriteOptions::default() };
            let mut out = Vec::new();
            doc.write_ofx(&mut out, &options).expect("writes");
            let golden =
                root().join("corpus/write").join(format!("{stem}.{}.golden", target.name()));
            if bless {
                std::fs::create_dir_all(golden.parent().expect("dir")).expect("dir");
                std::fs::write(&golden, &out).expect("bless");
                continue;
            }
            match std::fs::read(&golden) {
                Ok(expected) if expected == out => {}
                Ok(expected) => failures.push(format!(
                    "{rel} → {}: differs from {}\n--- expected\n{}\n--- actual\n{}",
                    target.name(),
                    golden.display(),
                    String::from_utf8_lossy(&expected),
                    String::from_utf8_lossy(&out)
                )),
                Err(_) => failures.push(format!("{rel}: no golden file {}", golden.display())),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
