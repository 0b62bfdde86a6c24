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
use crate::export::journal::Journal;
use crate::export::postings::{Book, Posting, postings};
use crate::export::text::Text;

/// Writes `journal` as a ledger/hledger journal.
pub fn write(journal: &Journal<'_>, map: &AccountMap, out: &mut dyn Write) -> io::Result<()> {
    let book = Book::new(journal, map);
    let mut w = Text::new(out);
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
        w.step()?;
    }
    let mut buf: Vec<Posting<'_>> = Vec::with_capacity(4);
    let mut id = String::new();
    for e in journal.entries() {
        w.byte(b'\n');
        w.day(e.date);
        w.str(" *");
        let check = e.check_number.as_deref();
        let code = check.filter(|c| !c.is_empty() && !c.contains([')', ';']) && !has_control(c));
        if let Some(c) = code {
            w.str(" (");
            w.str(c);
            w.byte(b')');
        }
        if let Some(name) = e.name.as_deref() {
            w.byte(b' ');
            clean(&mut w.buf, name, true);
        }
        w.byte(b'\n');
        if let Some([institution, account, fitid]) = journal.ofxid_parts(e) {
            // `journal.ofxid(e)`, put together in a buffer used again for each entry.
            id.clear();
            for (i, part) in [institution, account, fitid].into_iter().enumerate() {
                if i > 0 {
                    id.push('.');
                }
                id.push_str(part);
            }
            w.str("    ; ofxid: ");
            clean(&mut w.buf, &id, false);
            w.byte(b'\n');
        }
        if let Some(c) = check.filter(|_| code.is_none()) {
            w.str("    ; check: ");
            clean(&mut w.buf, c, false);
            w.byte(b'\n');
        }
        if let Some(m) = e.memo.as_deref().filter(|m| !m.trim().is_empty()) {
            w.str("    ; memo: ");
            clean(&mut w.buf, m, false);
            w.byte(b'\n');
        }
        postings(&book, e, &mut buf);
        for p in &buf {
            w.str("    ");
            w.str(&p.account);
            w.str("  ");
            w.decimal(p.units);
            w.byte(b' ');
            symbol(&mut w.buf, &p.commodity);
            if let Some(total) = p.total_cost {
                w.str(" @@ ");
                w.decimal(total);
                w.byte(b' ');
                symbol(&mut w.buf, &p.cost_currency);
            }
            w.byte(b'\n');
        }
        w.step()?;
    }
    for b in journal.balances() {
        let cur = Symbol(book.currency(b.account));
        writeln!(w, "\n{} * Balance", b.date)?;
        writeln!(w, "    {}  0 {cur} = {} {cur}", book.cash(b.account), b.amount)?;
        w.step()?;
    }
    w.finish()
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

/// Appends [`Symbol`]`(s)` to `buf`.
#[inline]
fn symbol(buf: &mut Vec<u8>, s: &str) {
    if !s.is_empty() && s.bytes().all(|c| c.is_ascii_alphabetic()) {
        buf.extend_from_slice(s.as_bytes());
    } else {
        let _ = write!(buf, "{}", Symbol(s));
    }
}

/// Appends [`Payee`]`(text)` (`payee`) or [`OneLine`]`(text)` to `buf`.
#[inline]
fn clean(buf: &mut Vec<u8>, text: &str, payee: bool) {
    if plain(text, payee) {
        buf.extend_from_slice(text.as_bytes());
    } else if payee {
        let _ = write!(buf, "{}", Payee(text));
    } else {
        let _ = write!(buf, "{}", OneLine(text));
    }
}

/// True when [`Payee`] (`payee`) or [`OneLine`] writes `text` as it is: printable ASCII
/// with single blanks inside, nothing a payee changes. Every byte looked at, without
/// stopping early, so that the compiler checks many at a time.
#[inline]
fn plain(text: &str, payee: bool) -> bool {
    let b = text.as_bytes();
    let ends =
        b.first().is_some_and(|&c| c != b' ' && !(payee && c == b'(')) && b.last() != Some(&b' ');
    let odd =
        b.iter().fold(false, |odd, &c| odd | !(b' '..=b'~').contains(&c) | (payee & (c == b';')));
    let pair = b
        .iter()
        .zip(b.iter().skip(1))
        .fold(false, |two, (&x, &y)| two | ((x == b' ') & (y == b' ')));
    ends && !odd && !pair
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
    if plain(text, payee) {
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
        let texts =
            ["(A)  B;C\n\tD ", "a;b\r\nc", "  A  B ", "A B (C)", "(a);b", "", " ", "AB", "É"];
        for text in texts {
            for payee in [true, false] {
                let mut buf = Vec::new();
                clean(&mut buf, text, payee);
                let shown = if payee { Payee(text).to_string() } else { OneLine(text).to_string() };
                assert_eq!(buf, shown.as_bytes(), "{text:?} {payee}");
            }
            let mut buf = Vec::new();
            symbol(&mut buf, text);
            assert_eq!(buf, Symbol(text).to_string().as_bytes(), "{text:?}");
        }
    }
}
