//! Converts a file's transactions to CSV on standard output, as `ofxkit convert --to csv`.
//!
//! ```sh
//! cargo run -p ofxkit --example to_csv -- corpus/model/ofx2-creditcard.ofx
//! ```

use std::io::Write;

use ofxkit::convert::{ConvertOptions, Converter, Target, What};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).unwrap_or_else(|| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../corpus/model/ofx2-creditcard.ofx").into()
    });
    let bytes = std::fs::read(&path)?;
    let options =
        ConvertOptions { target: Target::Csv, what: What::Transactions, ..Default::default() };
    let mut converter = Converter::new(std::io::stdout().lock(), options)?;
    // Streams: each transaction is written as soon as it is read.
    let (_doc, findings) = converter.add_bytes(&path, &bytes, &Default::default())?;
    converter.finish()?.flush()?;
    for f in findings.iter().filter(|f| f.severity == ofxkit::Severity::Error) {
        eprintln!("{path}: {f}");
    }
    Ok(())
}
