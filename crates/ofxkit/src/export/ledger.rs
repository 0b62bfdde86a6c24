//! ledger-cli and hledger journals (the syntax both read): one transaction per entry, the
//! check number as its code, `; ofxid: …` and `; memo: …` comments, opening balances, and a
//! balance assertion (`0 USD = 1000 USD`) from each `LEDGERBAL`, dated its day and written
//! after every transaction (both tools check same-day postings in file order).
//!
//! Payees are written on one line: control characters and runs of blanks become one blank,
//! `;` (which starts a comment) becomes `,`, and a leading `(` (which would start a code)
//! becomes `[`. Securities are quoted where a symbol holds more than letters
//! (`"X922908769"`), and units are bought or sold at their exact total cost: `10 VTI @@ 1234.50 USD`.

use std::io::{self, Write};

use crate::export::accounts::AccountMap;
use crate::export::day::Day;
use crate::export::journal::Journal;
use crate::export::postings::{Book, Posting, postings};

/// Writes `journal` as a ledger/hledger journal.
pub fn write(journal: &Journal<'_>, map: &AccountMap, out: &mut dyn Write) -> io::Result<()> {
    let book = Book::new(journal, map);
    let mut w = io::BufWriter::with_capacity(1 << 16, out);
    writeln!(w, "; ledger/hledger journal, written by ofxkit")?;
    for o in journal.openings() {
        let account = book.cash(o.account);
        if o.amount.is_zero() || journal.is_known_account(account) {
            continue;
        }
        let cur = Symbol(book.currency(o.account));
        writeln!(w, "\n{} * Opening balance", o.date)?;
        writeln!(w, "    {account}  {} {cur}", o.amount)?;
        writeln!(w, "    {}  {} {cur}", map.defaults.opening, -o.amount)?;
    }
    let mut buf: Vec<Posting<'_>> = Vec::with_capacity(4);
    let mut id = String::new();
    for e in journal.entries() {
        write!(w, "\n{} *", Day(e.date))?;
        let check = e.check_number.as_deref();
        let code = check.filter(|c| !c.is_empty() && !c.contains([')', ';']) && !has_control(c));
        if let Some(c) = code {
            write!(w, " ({c})")?;
        }
        if let Some(name) = e.name.as_deref() {
            write!(w, " {}", Payee(name))?;
        }
        writeln!(w)?;
        if let Some([institution, account, fitid]) = journal.ofxid_parts(e) {
            // `journal.ofxid(e)`, put together in a buffer used again for each entry.
            id.clear();
            for (i, part) in [institution, account, fitid].into_iter().enumerate() {
                if i > 0 {
                    id.push('.');
                }
                id.push_str(part);
            }
            writeln!(w, "    ; ofxid: {}", OneLine(&id))?;
        }
        if let Some(c) = check.filter(|_| code.is_none()) {
            writeln!(w, "    ; check: {}", OneLine(c))?;
        }
        if let Some(m) = e.memo.as_deref().filter(|m| !m.trim().is_empty()) {
            writeln!(w, "    ; memo: {}", OneLine(m))?;
        }
        postings(&book, e, &mut buf);
        for p in &buf {
            write!(w, "    {}  {} {}", p.account, p.units, Symbol(&p.commodity))?;
            if let Some(total) = p.total_cost {
                write!(w, " @@ {total} {}", Symbol(&p.cost_currency))?;
            }
            writeln!(w)?;
        }
    }
    for b in journal.balances() {
        let cur = Symbol(book.currency(b.account));
        writeln!(w, "\n{} * Balance", b.date)?;
        writeln!(w, "    {}  0 {cur} = {} {cur}", book.cash(b.account), b.amount)?;
    }
    w.flush()
}

fn has_control(s: &str) -> bool {
    s.chars().any(char::is_control)
}

/// A commodity symbol, quoted unless it is letters only.
struct Symbol<'s>(&'s str);

impl std::fmt::Display for Symbol<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if !self.0.is_empty() && self.0.chars().all(|c| c.is_alphabetic()) {
            f.write_str(self.0)
        } else {
            write!(f, "\"{}\"", self.0.replace('"', ""))
        }
    }
}

/// Text on one line: control characters as a blank, runs of blanks as one.
struct OneLine<'s>(&'s str);

impl std::fmt::Display for OneLine<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write_clean(f, self.0, false)
    }
}

/// A payee: one line, no `;`, no leading `(`.
struct Payee<'s>(&'s str);

impl std::fmt::Display for Payee<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write_clean(f, self.0, true)
    }
}

fn write_clean(f: &mut std::fmt::Formatter<'_>, text: &str, payee: bool) -> std::fmt::Result {
    use std::fmt::Write as _;
    // Printable ASCII with single blanks inside, nothing a payee changes: as it is.
    let b = text.as_bytes();
    let plain = b.first().is_some_and(|&c| c != b' ' && !(payee && c == b'('))
        && b.last() != Some(&b' ')
        && b.iter().all(|&c| (b' '..=b'~').contains(&c) && !(payee && c == b';'))
        && !b.windows(2).any(|w| w == b"  ");
    if plain {
        return f.write_str(text);
    }
    let mut blank = false;
    let mut first = true;
    for c in text.trim().chars() {
        let c = if c.is_control() || c.is_whitespace() { ' ' } else { c };
        if c == ' ' {
            if !blank {
                f.write_char(' ')?;
            }
            blank = true;
            continue;
        }
        blank = false;
        let c = match c {
            ';' if payee => ',',
            '(' if payee && first => '[',
            c => c,
        };
        first = false;
        f.write_char(c)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payees_and_comments_stay_on_one_line() {
        assert_eq!(Payee("(A)  B;C\n\tD ").to_string(), "[A) B,C D");
        assert_eq!(OneLine("a;b\r\nc").to_string(), "a;b c");
        assert_eq!(Payee("  A  B ").to_string(), "A B");
        assert_eq!(Payee("A B (C)").to_string(), "A B (C)");
        assert_eq!(OneLine("(a);b").to_string(), "(a);b");
        assert_eq!(Symbol("USD").to_string(), "USD");
        assert_eq!(Symbol("X922908769").to_string(), "\"X922908769\"");
        assert_eq!(Symbol("BRK.B").to_string(), "\"BRK.B\"");
    }
}
