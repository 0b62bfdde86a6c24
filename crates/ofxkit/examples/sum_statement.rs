//! Reads a statement and sums each statement's transactions.
//!
//! ```sh
//! cargo run -p ofxkit --example sum_statement -- corpus/model/ofx1-bank-and-card.ofx
//! ```

use ofxkit::Decimal;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).unwrap_or_else(|| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../corpus/model/ofx1-bank-and-card.ofx").into()
    });
    let bytes = std::fs::read(&path)?;
    let doc = ofxkit::parse(&bytes)?;
    for s in doc.statements() {
        let account = s.account.as_ref().and_then(|a| a.account_id).unwrap_or("?");
        let amounts = s.transactions.iter().filter_map(|t| t.amount.as_ref());
        let sum: Decimal = amounts.map(|a| a.value).sum();
        let currency = s.currency.unwrap_or("");
        println!("{account}: {} transactions, {sum} {currency}", s.transactions.len());
    }
    Ok(())
}
