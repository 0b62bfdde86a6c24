//! beancount: `open` directives, one transaction per entry with its `ofxid` (and check
//! number) as metadata, opening balances, and a `balance` assertion from each `LEDGERBAL`.
//!
//! A `LEDGERBAL` as of a day holds that day's transactions; beancount checks a `balance`
//! at the start of its day, so the assertion is dated the day after. Securities are held in
//! accounts opened with booking `"NONE"` (a sale needs no matching purchase in the same
//! file), each unit at its price: `10 VTI {123.45 USD}`.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};

use chrono::NaiveDate;

use crate::export::accounts::AccountMap;
use crate::export::journal::Journal;
use crate::export::postings::{Book, Posting, postings, security_symbol};
use crate::export::text::Text;

/// Writes `journal` as a beancount file.
pub fn write(journal: &Journal<'_>, map: &AccountMap, out: &mut dyn Write) -> io::Result<()> {
    let book = Book::new(journal, map);
    let mut buf: Vec<Posting<'_>> = Vec::with_capacity(4);
    // The accounts used (with the currencies or securities they hold) and the securities.
    let mut opened: BTreeMap<String, Open> = BTreeMap::new();
    let mut securities: BTreeMap<String, (Option<String>, Option<String>)> = BTreeMap::new();
    let mut first: Option<NaiveDate> = None;
    let mut note = |date: NaiveDate| first = Some(first.map_or(date, |f| f.min(date)));
    // The accounts of the last plain entry (most entries post to the same two).
    let mut last: Option<[(*const u8, usize); 2]> = None;
    for e in journal.entries() {
        note(e.date);
        if e.holding.is_none() {
            // Its postings: the cash account and the counter-account, in its currency.
            let cash = book.cash(e.account);
            let counter = map.counter_account(e.name.as_deref(), e.memo.as_deref(), e.amount);
            let key = [(cash.as_ptr(), cash.len()), (counter.as_ptr(), counter.len())];
            if last != Some(key) {
                last = Some(key);
                for account in [cash, counter] {
                    if !opened.contains_key(account) {
                        opened.insert(account.to_owned(), Open { securities: false });
                    }
                }
            }
            continue;
        }
        postings(&book, e, &mut buf);
        for p in &buf {
            let security = p.commodity != book.currency(e.account);
            match opened.get_mut(&*p.account) {
                Some(open) => open.securities |= security,
                None => {
                    opened.insert(p.account.to_string(), Open { securities: security });
                }
            }
        }
        if let (Some(symbol), Some(h)) = (security_symbol(e), e.holding.as_ref()) {
            securities.entry(symbol).or_insert_with(|| {
                (h.security_id.as_deref().map(str::to_owned), e.name.as_deref().map(str::to_owned))
            });
        }
    }
    for o in journal.openings() {
        note(o.date);
        if !o.amount.is_zero() {
            opened.entry(book.cash(o.account).to_owned()).or_default();
            opened.entry(map.defaults.opening.clone()).or_default();
        }
    }
    for b in journal.balances() {
        note(b.date);
        opened.entry(book.cash(b.account).to_owned()).or_default();
    }
    // Bank and card accounts hold their currency only.
    let mut constrained: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (i, a) in journal.accounts().iter().enumerate() {
        if a.kind != crate::model::AccountKind::Investment {
            constrained.entry(book.cash(i)).or_default().insert(book.currency(i));
        }
    }
    let Some(first) = first else { return Ok(()) };

    let mut w = Text::new(out);
    writeln!(w, "; beancount, written by ofxkit")?;
    for (name, open) in &opened {
        if journal.is_known_account(name) {
            continue;
        }
        write!(w, "{first} open {name}")?;
        if let Some(c) = constrained.get(name.as_str()).filter(|_| !open.securities) {
            let list: Vec<&str> = c.iter().copied().collect();
            write!(w, " {}", list.join(","))?;
        }
        if open.securities {
            write!(w, " \"NONE\"")?;
        }
        writeln!(w)?;
        w.step()?;
    }
    for (symbol, (id, name)) in &securities {
        if journal.is_known_commodity(symbol) {
            continue;
        }
        writeln!(w, "{first} commodity {symbol}")?;
        if let Some(name) = name {
            writeln!(w, "  name: {}", Quoted(name))?;
        }
        if let Some(id) = id {
            writeln!(w, "  uniqueid: {}", Quoted(id))?;
        }
    }
    for o in journal.openings() {
        let account = book.cash(o.account);
        if o.amount.is_zero() || journal.is_known_account(account) {
            continue;
        }
        let cur = book.currency(o.account);
        writeln!(w, "\n{} * \"Opening balance\"", o.date)?;
        writeln!(w, "  {account}  {} {cur}", o.amount)?;
        writeln!(w, "  {}  {} {cur}", map.defaults.opening, -o.amount)?;
        w.step()?;
    }
    for e in journal.entries() {
        w.byte(b'\n');
        w.day(e.date);
        w.str(" *");
        if let Some(name) = e.name.as_deref() {
            w.byte(b' ');
            quoted(&mut w.buf, name);
        }
        w.byte(b' ');
        quoted(&mut w.buf, e.memo.as_deref().unwrap_or(""));
        w.byte(b'\n');
        if let Some([institution, account, fitid]) = journal.ofxid_parts(e) {
            // `Quoted` of `journal.ofxid(e)`, its parts escaped one by one.
            w.str("  ofxid: \"");
            escaped(&mut w.buf, institution);
            w.byte(b'.');
            escaped(&mut w.buf, account);
            w.byte(b'.');
            escaped(&mut w.buf, fitid);
            w.str("\"\n");
        }
        if let Some(c) = e.check_number.as_deref() {
            w.str("  check: ");
            quoted(&mut w.buf, c);
            w.byte(b'\n');
        }
        postings(&book, e, &mut buf);
        for p in &buf {
            w.str("  ");
            w.str(&p.account);
            w.str("  ");
            w.decimal(p.units);
            w.byte(b' ');
            w.str(&p.commodity);
            if let Some(cost) = p.cost {
                w.str(" {");
                w.decimal(cost);
                w.byte(b' ');
                w.str(&p.cost_currency);
                w.byte(b'}');
            }
            w.byte(b'\n');
        }
        w.step()?;
    }
    let mut wrote_balance = false;
    for b in journal.balances() {
        let Some(day_after) = b.date.succ_opt() else { continue };
        if !wrote_balance {
            writeln!(w)?;
            wrote_balance = true;
        }
        writeln!(
            w,
            "{day_after} balance {}  {} {}",
            book.cash(b.account),
            b.amount,
            book.currency(b.account)
        )?;
        w.step()?;
    }
    w.finish()
}

#[derive(Default)]
struct Open {
    securities: bool,
}

/// A beancount string: `"` and `\` escaped, control characters (line breaks, tabs) written
/// as a blank.
struct Quoted<'s>(&'s str);

impl std::fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use std::fmt::Write as _;
        f.write_char('"')?;
        Escaped(self.0).fmt(f)?;
        f.write_char('"')
    }
}

/// Appends [`Quoted`]`(text)` to `buf`.
fn quoted(buf: &mut Vec<u8>, text: &str) {
    buf.push(b'"');
    escaped(buf, text);
    buf.push(b'"');
}

/// Appends [`Escaped`]`(text)` to `buf`.
#[inline]
fn escaped(buf: &mut Vec<u8>, text: &str) {
    if plain(text) {
        buf.extend_from_slice(text.as_bytes());
    } else {
        let _ = write!(buf, "{}", Escaped(text));
    }
}

/// True when [`Escaped`] writes `text` as it is: no `"`, no `\\`, no control character
/// (C0, DEL, or C1, whose UTF-8 starts with 0xC2). One look at every byte, without
/// stopping early, so that the compiler checks many at a time.
#[inline]
fn plain(text: &str) -> bool {
    !text.bytes().fold(false, |odd, b| odd | matches!(b, b'"' | b'\\' | 0..=0x1f | 0x7f | 0xc2))
}

/// The inside of a [`Quoted`] string.
struct Escaped<'s>(&'s str);

impl std::fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use std::fmt::Write as _;
        // Nothing to escape (the common case): the text as it is.
        if plain(self.0) {
            return f.write_str(self.0);
        }
        for c in self.0.chars() {
            match c {
                '"' => f.write_str("\\\"")?,
                '\\' => f.write_str("\\\\")?,
                c if c.is_control() => f.write_char(' ')?,
                c => f.write_char(c)?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped() {
        assert_eq!(Quoted("a\"b\\c\nd").to_string(), r#""a\"b\\c d""#);
        // C1 controls (two bytes in UTF-8) too; other text as it is.
        assert_eq!(Quoted("a\u{85}b\u{7f}").to_string(), "\"a b \"");
        assert_eq!(Quoted("Zürich ½").to_string(), "\"Zürich ½\"");
        for text in ["a\"b\\c\nd", "a\u{85}b\u{7f}", "Zürich ½", "", "plain text", "\t"] {
            let mut buf = Vec::new();
            quoted(&mut buf, text);
            assert_eq!(buf, Quoted(text).to_string().as_bytes(), "{text:?}");
        }
    }
}
