//! What an existing journal (beancount or ledger/hledger) already holds: the `ofxid`s of
//! its transactions, the accounts it opens or posts to, the commodities it declares.

use std::collections::HashSet;

/// The parts of an existing journal that decide what to append to it.
///
/// ```
/// use ofxkit::export::Existing;
/// let x = Existing::read("2024-01-01 open Assets:Bank:1 USD\n\
///     2024-01-05 * \"RENT\" \"\"\n  ofxid: \"99.1.a\\\"b\"\n  Assets:Bank:1  -5 USD\n\
///     2024-01-06 SHOP\n    ; ofxid: 99.1.c\n    Expenses:Food  5 USD\n");
/// assert!(x.has_ofxid("99.1.a\"b") && x.has_ofxid("99.1.c") && !x.has_ofxid("99.1.d"));
/// assert!(x.accounts().contains("Assets:Bank:1") && x.accounts().contains("Expenses:Food"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Existing {
    ofxids: HashSet<String>,
    accounts: HashSet<String>,
    commodities: HashSet<String>,
}

impl Existing {
    /// Reads a beancount or ledger/hledger journal's text. `ofxid: "…"` (beancount metadata,
    /// with `\"` and `\\` escapes) and `; ofxid: …` (a ledger comment, to the end of the line)
    /// are both found, as ledger-autosync writes them.
    pub fn read(text: &str) -> Existing {
        let mut x = Existing::default();
        for line in text.lines() {
            let trimmed = line.trim_start();
            if let Some(at) = find_key(trimmed) {
                let value = trimmed.get(at..).unwrap_or("").trim_start();
                let id = match value.strip_prefix('"') {
                    Some(quoted) => unquote(quoted),
                    None => value.trim_end().to_owned(),
                };
                if !id.is_empty() {
                    x.ofxids.insert(id);
                }
                continue;
            }
            if trimmed.starts_with([';', '#', '*', '%', '|']) || trimmed.is_empty() {
                continue;
            }
            let indented = trimmed.len() < line.len();
            let mut words = trimmed.split_whitespace();
            if indented {
                // A posting: the account, up to two spaces or a tab (ledger), or a blank
                // (beancount); `(…)`/`[…]` virtual postings unwrapped.
                let account = trimmed.split("  ").next().unwrap_or("");
                let account = account.split('\t').next().unwrap_or("").trim();
                let account = account.trim_start_matches(['(', '[']).trim_end_matches([')', ']']);
                let first = account.split(' ').next().unwrap_or("");
                // beancount metadata (`key: value`) is not a posting.
                if !first.ends_with(':') && first.contains(':') {
                    x.accounts.insert(first.to_owned());
                }
                continue;
            }
            match (words.next(), words.next(), words.next()) {
                (Some("account"), Some(name), _) => {
                    x.accounts.insert(name.to_owned());
                }
                (Some("commodity"), Some(name), _) => {
                    x.commodities.insert(name.trim_matches('"').to_owned());
                }
                (Some(date), Some("open"), Some(name)) if starts_with_digit(date) => {
                    x.accounts.insert(name.to_owned());
                }
                (Some(date), Some("commodity"), Some(name)) if starts_with_digit(date) => {
                    x.commodities.insert(name.to_owned());
                }
                _ => {}
            }
        }
        x
    }

    /// True when a transaction with this `ofxid` is in the journal.
    pub fn has_ofxid(&self, id: &str) -> bool {
        self.ofxids.contains(id)
    }

    /// How many `ofxid`s the journal holds.
    pub fn ofxid_count(&self) -> usize {
        self.ofxids.len()
    }

    /// The accounts the journal opens, declares or posts to.
    pub fn accounts(&self) -> &HashSet<String> {
        &self.accounts
    }

    /// The commodities the journal declares.
    pub fn commodities(&self) -> &HashSet<String> {
        &self.commodities
    }
}

/// Where the value after an `ofxid:` key starts (the key at the start of `line`, or after a
/// comment's `;`).
fn find_key(line: &str) -> Option<usize> {
    let rest = line.strip_prefix(';').map(str::trim_start);
    let (base, text) = match rest {
        Some(r) => (line.len() - r.len(), r),
        None => (0, line),
    };
    text.strip_prefix("ofxid:").map(|_| base + "ofxid:".len())
}

fn starts_with_digit(s: &str) -> bool {
    s.bytes().next().is_some_and(|b| b.is_ascii_digit())
}

/// A beancount string's text after its opening quote, up to the closing one.
fn unquote(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => break,
            '\\' => match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(other) => out.push(other),
                None => break,
            },
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ofxids_accounts_and_commodities_are_found_in_both_syntaxes() {
        let x = Existing::read(
            "; a comment ofxid: not.this\n\
             2020-01-01 commodity VTI\n\
             commodity \"922908769\"\n\
             account Assets:Cash\n\
             2020-01-02 * \"P\" \"N\"\n  ofxid: \"1.2.3\"\n  check: \"9\"\n  Assets:Bank:X  1 USD\n\
             2020/01/03 * (12) PAYEE\n    ; ofxid: 1.2.4 \n    (Assets:Virtual)  1 USD\n\
             \tLiabilities:Card\t-1 USD\n",
        );
        let mut ids: Vec<_> = x.ofxids.iter().cloned().collect();
        ids.sort();
        assert_eq!(ids, ["1.2.3", "1.2.4"]);
        let mut accounts: Vec<_> = x.accounts.iter().cloned().collect();
        accounts.sort();
        assert_eq!(
            accounts,
            ["Assets:Bank:X", "Assets:Cash", "Assets:Virtual", "Liabilities:Card"]
        );
        let mut c: Vec<_> = x.commodities.iter().cloned().collect();
        c.sort();
        assert_eq!(c, ["922908769", "VTI"]);
        assert_eq!(x.ofxid_count(), 2);
    }

    #[test]
    fn escapes_in_beancount_strings_are_read() {
        assert_eq!(unquote(r#"a\"b\\c" rest"#), "a\"b\\c");
        assert_eq!(unquote(r#"line\nnext""#), "line\nnext");
    }
}
