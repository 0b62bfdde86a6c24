//! The generated files the benches run on, sized from the environment.
//!
//! - `OFXKIT_BENCH_TRANSACTIONS`: transactions per file (default 100 000, about 19 MB of
//!   SGML; 1 000 000 gives the 193 MB file of `../shared/bench/BASELINE.md`).
//! - `OFXKIT_BENCH_FLAVORS`: comma-separated flavors to run (default `sgml,xml,ofc`).
//!
//! ```
//! use ofxkit_benches::generator::Flavor;
//! use ofxkit_benches::inputs::Input;
//! let input = Input::generate(Flavor::Ofc, 10);
//! assert_eq!(input.label(), "ofc/10");
//! assert!(ofxkit::parse(&input.bytes).is_ok());
//! ```

use std::env;

use crate::generator::{Flavor, GenOptions, generate_vec};

/// Transactions per file when `OFXKIT_BENCH_TRANSACTIONS` is not set.
pub const DEFAULT_TRANSACTIONS: u64 = 100_000;

/// One generated file.
#[derive(Debug, Clone)]
pub struct Input {
    /// Its flavor.
    pub flavor: Flavor,
    /// Its transaction count.
    pub transactions: u64,
    /// The file.
    pub bytes: Vec<u8>,
}

impl Input {
    /// Generates a one-account file with the default seed.
    pub fn generate(flavor: Flavor, transactions: u64) -> Self {
        let bytes = generate_vec(&GenOptions { transactions, ..GenOptions::new(flavor) });
        Input { flavor, transactions, bytes }
    }

    /// `flavor/transactions`, the bench parameter criterion shows.
    pub fn label(&self) -> String {
        format!("{}/{}", self.flavor, count_label(self.transactions))
    }
}

/// `100k`, `1M`, or the plain number.
fn count_label(n: u64) -> String {
    match n {
        n if n >= 1_000_000 && n.is_multiple_of(1_000_000) => format!("{}M", n / 1_000_000),
        n if n >= 1000 && n.is_multiple_of(1000) => format!("{}k", n / 1000),
        n => n.to_string(),
    }
}

/// Transactions per file from `OFXKIT_BENCH_TRANSACTIONS` (digits, `_` allowed, or a `k`/`M`
/// suffix), else [`DEFAULT_TRANSACTIONS`].
pub fn transactions_from_env() -> u64 {
    env::var("OFXKIT_BENCH_TRANSACTIONS")
        .ok()
        .and_then(|v| parse_count(&v))
        .unwrap_or(DEFAULT_TRANSACTIONS)
}

/// Reads `100000`, `100_000`, `100k` or `1M`.
pub fn parse_count(text: &str) -> Option<u64> {
    let text = text.trim().replace('_', "");
    let (digits, scale) = match text.as_bytes().last()? {
        b'k' | b'K' => (&text[..text.len() - 1], 1000),
        b'm' | b'M' => (&text[..text.len() - 1], 1_000_000),
        _ => (text.as_str(), 1),
    };
    digits.parse::<u64>().ok()?.checked_mul(scale)
}

/// Flavors from `OFXKIT_BENCH_FLAVORS`, else all three. Unknown names are ignored.
pub fn flavors_from_env() -> Vec<Flavor> {
    match env::var("OFXKIT_BENCH_FLAVORS") {
        Ok(v) => v.split(',').filter_map(|f| f.trim().parse().ok()).collect(),
        Err(_) => Flavor::ALL.to_vec(),
    }
}

/// The inputs of one bench run: each flavor from the environment at the size from the
/// environment.
pub fn from_env() -> Vec<Input> {
    let n = transactions_from_env();
    flavors_from_env().into_iter().map(|flavor| Input::generate(flavor, n)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_with_suffixes_and_separators() {
        for (text, want) in [
            ("100000", Some(100_000)),
            ("100_000", Some(100_000)),
            ("100k", Some(100_000)),
            ("1M", Some(1_000_000)),
            (" 2m ", Some(2_000_000)),
            ("", None),
            ("k", None),
            ("lots", None),
        ] {
            assert_eq!(parse_count(text), want, "{text:?}");
        }
    }

    #[test]
    fn labels_use_k_and_m() {
        assert_eq!(count_label(100_000), "100k");
        assert_eq!(count_label(1_000_000), "1M");
        assert_eq!(count_label(1500), "1500");
        assert_eq!(count_label(7), "7");
    }
}
