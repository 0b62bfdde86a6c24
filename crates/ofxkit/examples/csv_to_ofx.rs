//! Turns a bank's CSV export (date, amount, description) into an OFX 2 statement on standard
//! output, with the builder, and checks that it reads back.
//!
//! ```sh
//! cargo run -p ofxkit --example csv_to_ofx -- export.csv
//! ```

use std::str::FromStr;

use ofxkit::codes::ofx::{AccountType, TrnType};
use ofxkit::write::{AccountRef, StatementBuilder, TransactionRow, WriteOptions};
use ofxkit::{Decimal, NaiveDate};

const SAMPLE: &str = "date,amount,description\n\
2024-01-05,-12.50,CITY WATER\n\
2024-01-15,2500.00,SALARY\n\
2024-01-20,-64.30,\"BOOKSHOP, PARIS\"\n";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let text = match std::env::args().nth(1) {
        Some(path) => std::fs::read_to_string(path)?,
        None => SAMPLE.to_owned(),
    };
    let account = AccountRef::Bank {
        bank_id: "121000248".into(),
        branch_id: None,
        account_id: "000123".into(),
        account_type: AccountType::Checking,
    };
    let mut statement = StatementBuilder::new("USD", account);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    for (i, record) in reader.records().enumerate() {
        let record = record?;
        let date = NaiveDate::parse_from_str(record.get(0).unwrap_or_default(), "%Y-%m-%d")?;
        let amount = Decimal::from_str(record.get(1).unwrap_or_default())?;
        let trntype = if amount.is_sign_negative() { TrnType::Debit } else { TrnType::Credit };
        let name = record.get(2).unwrap_or_default();
        // A FITID that stays the same when the export is converted again.
        let fitid = format!("{}-{i}", date.format("%Y%m%d"));
        statement =
            statement.transaction(TransactionRow::new(trntype, date, amount, fitid).name(name));
    }
    let bytes = statement.into_document().to_bytes(&WriteOptions::default())?;
    let rows = ofxkit::parse(&bytes)?.transactions().count();
    eprintln!("{rows} transaction(s) written");
    print!("{}", String::from_utf8(bytes)?);
    Ok(())
}
