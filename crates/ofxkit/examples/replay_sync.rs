//! Replays bill-pay synchronization responses, in order, and prints the resulting state.
//!
//! ```sh
//! cargo run -p ofxkit --example replay_sync -- corpus/billpay/replay/01-payees.ofx \
//!     corpus/billpay/replay/02-payees.ofx
//! ```

use ofxkit::sync::SyncState;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut paths: Vec<String> = std::env::args().skip(1).collect();
    if paths.is_empty() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../corpus/billpay/replay");
        paths = ["01-payees.ofx", "02-payees.ofx", "03-payees.ofx"]
            .map(|f| format!("{dir}/{f}"))
            .to_vec();
    }
    let mut state = SyncState::new();
    for path in &paths {
        let bytes = std::fs::read(path)?;
        let doc = ofxkit::parse(&bytes)?;
        let report = state.apply_document(&doc);
        eprintln!(
            "{path}: {} applied, {} skipped, {} added, {} changed",
            report.applied, report.skipped, report.added, report.modified
        );
    }
    print!("{}", state.snapshot(false).to_json());
    Ok(())
}
