//! Outputs for the tools people keep their books in: beancount ([`beancount`]), ledger-cli
//! and hledger journals ([`ledger`]) and QIF ([`qif`]), all fed from one [`Journal`].
//!
//! A [`Journal`] is built from files as they are read ([`Journal::add_bytes`], most
//! transactions taken without a model of the whole file), from typed models
//! ([`Journal::add_model`]) or from rows the deduplicating ledger exported
//! ([`Journal::add_entry`]); [`Journal::finish`] applies the
//! corrections (`CORRECTACTION`: a `REPLACE` replaces the transaction it names, a `DELETE`
//! removes it), leaves out transactions already written (the same `ofxid` twice, or one found
//! in an existing journal) and works out each account's opening balance from its first
//! `LEDGERBAL`. Amounts stay exact decimals and dates are the calendar dates the bank wrote.
//!
//! ```
//! use ofxkit::export::{Journal, accounts::AccountMap, beancount};
//! let doc = ofxkit::parse(b"<OFX><SIGNONMSGSRSV1><SONRS><FI><ORG>B<FID>99</FI></SONRS>\
//!   </SIGNONMSGSRSV1><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>EUR\
//!   <BANKACCTFROM><BANKID>1<ACCTID>DE42<ACCTTYPE>CHECKING</BANKACCTFROM>\
//!   <BANKTRANLIST><STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20240105<TRNAMT>-200,00\
//!   <FITID>1<NAME>RENT</STMTTRN></BANKTRANLIST>\
//!   <LEDGERBAL><BALAMT>1000<DTASOF>20240131</LEDGERBAL></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>")?;
//! let mut journal = Journal::new();
//! journal.add_model(doc.model());
//! let journal = journal.finish(&Default::default());
//! let mut out = Vec::new();
//! beancount::write(&journal, &AccountMap::default(), &mut out)?;
//! let text = String::from_utf8(out).unwrap();
//! assert!(text.contains("2024-01-05 * \"RENT\" \"\"\n  ofxid: \"99.DE42.1\"\n"));
//! assert!(text.contains("  Assets:Bank:DE42  -200.00 EUR\n  Expenses:Uncategorized  200.00 EUR\n"));
//! assert!(text.contains("2024-02-01 balance Assets:Bank:DE42  1000 EUR\n"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod accounts;
pub mod beancount;
mod day;
mod existing;
mod journal;
pub mod ledger;
mod names;
mod postings;
pub mod qif;
mod streamed;
mod text;

pub use existing::Existing;
pub use journal::{
    AccountRef, BalanceAssertion, Entry, FinishOptions, Holding, Journal, JournalTotals, Opening,
};
pub use names::{account_component, commodity_symbol, security_symbol};
pub use postings::{Posting, postings};
#[cfg(feature = "parquet")]
pub mod parquet;
