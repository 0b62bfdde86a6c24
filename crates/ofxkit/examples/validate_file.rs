//! Validates a file against its specification and prints each finding with its position.
//!
//! ```sh
//! cargo run -p ofxkit --example validate_file -- corpus/validate/ofx1-missing-required.ofx
//! ```

use ofxkit::validate::{ValidateOptions, validate};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).unwrap_or_else(|| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../corpus/model/ofx1-bank-and-card.ofx").into()
    });
    let bytes = std::fs::read(&path)?;
    let doc = ofxkit::parse(&bytes)?;
    let report = validate(&doc, &ValidateOptions::default());
    println!("{path}: checked as {}", report.profile.name());
    for f in &report.findings {
        let at = doc.syntax().line_col(f.span.start);
        println!("{path}:{at}: {}[{}]: {}", f.severity, f.code, f.message);
    }
    Ok(())
}
