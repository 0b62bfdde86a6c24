//! QIF, for programs that import it (GnuCash, older Quicken): one `!Account` block per
//! account, then its transactions under `!Type:Bank`, `!Type:CCard` or `!Type:Invst`.
//!
//! Bank and card records: `D` date, `T` and `U` amount, `N` check number, `P` payee, `M`
//! memo, `L` the counter-account (the account map's category). Investment records: `D`,
//! `N` action (`Buy`, `Sell`, `Div`, `ReinvDiv`, `ShrsIn`, `XIn`, …), `Y` security, `I`
//! price, `Q` quantity, `T` total (without sign: the action tells the direction), `M` memo.
//! OFX transactions carry no splits, so none are written. Every value is on one line:
//! control characters become blanks, so no value can start a line of its own.

use std::io::{self, Write};

use chrono::NaiveDate;

use crate::export::accounts::AccountMap;
use crate::export::journal::{Entry, Journal};
use crate::export::postings::Book;
use crate::export::text::Text;
use crate::model::AccountKind;

/// How dates are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DateOrder {
    /// `MM/DD/YYYY`, the US form Quicken writes (the default).
    #[default]
    Mdy,
    /// `DD/MM/YYYY`.
    Dmy,
    /// `YYYY-MM-DD`.
    Ymd,
}

impl DateOrder {
    fn write(self, w: &mut dyn Write, d: NaiveDate) -> io::Result<()> {
        use chrono::Datelike;
        let (y, m, day) = (d.year(), d.month(), d.day());
        match self {
            DateOrder::Mdy => write!(w, "{m:02}/{day:02}/{y:04}"),
            DateOrder::Dmy => write!(w, "{day:02}/{m:02}/{y:04}"),
            DateOrder::Ymd => write!(w, "{y:04}-{m:02}-{day:02}"),
        }
    }

    /// Appends what [`write`](Self::write) writes to `buf`.
    #[inline]
    fn put(self, buf: &mut Vec<u8>, d: NaiveDate) {
        use chrono::Datelike;
        let (y, m, day) = (d.year(), d.month(), d.day());
        if !(0..=9999).contains(&y) {
            let _ = self.write(buf, d);
            return;
        }
        let y = y as u32;
        let digit = |n: u32| b'0' + (n % 10) as u8;
        let [y0, y1, y2, y3] = [digit(y / 1000), digit(y / 100), digit(y / 10), digit(y)];
        let (m0, m1, d0, d1) = (digit(m / 10), digit(m), digit(day / 10), digit(day));
        buf.extend_from_slice(&match self {
            DateOrder::Mdy => [m0, m1, b'/', d0, d1, b'/', y0, y1, y2, y3],
            DateOrder::Dmy => [d0, d1, b'/', m0, m1, b'/', y0, y1, y2, y3],
            DateOrder::Ymd => [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1],
        });
    }
}

/// Writes `journal` as QIF, dates in `order`.
pub fn write(
    journal: &Journal<'_>,
    map: &AccountMap,
    order: DateOrder,
    out: &mut dyn Write,
) -> io::Result<()> {
    let book = Book::new(journal, map);
    let mut w = Text::new(out);
    // Entries grouped by account, in the order the accounts were met.
    let mut by_account: Vec<Vec<&Entry<'_>>> = vec![Vec::new(); journal.accounts().len()];
    for e in journal.entries() {
        if let Some(v) = by_account.get_mut(e.account) {
            v.push(e);
        }
    }
    for (i, (a, entries)) in journal.accounts().iter().zip(&by_account).enumerate() {
        if entries.is_empty() {
            continue;
        }
        let (kind, header) = match a.kind {
            AccountKind::CreditCard => ("CCard", "!Type:CCard"),
            AccountKind::Investment => ("Invst", "!Type:Invst"),
            AccountKind::Loan => ("Oth L", "!Type:Oth L"),
            AccountKind::Bank => ("Bank", "!Type:Bank"),
        };
        writeln!(w, "!Account\nN{}\nT{kind}\n^\n{header}", Line(book.name(i)))?;
        for e in entries {
            w.byte(b'D');
            order.put(&mut w.buf, e.date);
            w.byte(b'\n');
            if a.kind == AccountKind::Investment {
                invst(&mut w, e)?;
            } else {
                w.byte(b'T');
                w.decimal(e.amount);
                w.str("\nU");
                w.decimal(e.amount);
                w.byte(b'\n');
                if let Some(n) = e.check_number.as_deref() {
                    line(&mut w.buf, b'N', n);
                }
                if let Some(p) = e.name.as_deref() {
                    line(&mut w.buf, b'P', p);
                }
                if let Some(m) = e.memo.as_deref() {
                    line(&mut w.buf, b'M', m);
                }
                let counter = map.counter_account(e.name.as_deref(), e.memo.as_deref(), e.amount);
                line(&mut w.buf, b'L', counter);
            }
            w.str("^\n");
            w.step()?;
        }
    }
    w.finish()
}

/// The fields of an investment record after its date.
fn invst(w: &mut dyn Write, e: &Entry<'_>) -> io::Result<()> {
    let total = e.amount.abs();
    let Some(h) = e.holding.as_ref() else {
        // Cash in or out of the investment account.
        let action = if e.amount.is_sign_negative() { "XOut" } else { "XIn" };
        writeln!(w, "N{action}\nT{total}\nU{total}")?;
        if let Some(p) = e.name.as_deref() {
            writeln!(w, "P{}", Line(p))?;
        }
        if let Some(m) = e.memo.as_deref() {
            writeln!(w, "M{}", Line(m))?;
        }
        return Ok(());
    };
    let kind = h.kind.to_ascii_uppercase();
    let income = h.income_type.as_deref();
    let action = match kind.as_str() {
        k if k.starts_with("BUY") => "Buy",
        k if k.starts_with("SELL") => "Sell",
        "INCOME" => match income {
            Some("INTEREST") => "IntInc",
            Some("CGLONG") => "CGLong",
            Some("CGSHORT") => "CGShort",
            Some("MISC") => "MiscInc",
            _ => "Div",
        },
        "REINVEST" => match income {
            Some("INTEREST") => "ReinvInt",
            Some("CGLONG") => "ReinvLg",
            Some("CGSHORT") => "ReinvSh",
            _ => "ReinvDiv",
        },
        "TRANSFER" if h.action.as_deref() == Some("OUT") => "ShrsOut",
        "TRANSFER" => "ShrsIn",
        "SPLIT" => "StkSplit",
        "MARGININTEREST" => "MargInt",
        "INVEXPENSE" => "MiscExp",
        _ if e.amount.is_sign_negative() => "MiscExp",
        _ => "MiscInc",
    };
    writeln!(w, "N{action}")?;
    if let Some(y) = e.name.as_deref().or(h.security_id.as_deref()) {
        writeln!(w, "Y{}", Line(y))?;
    }
    if let Some(p) = h.unit_price {
        writeln!(w, "I{p}")?;
    }
    if let Some(q) = h.units {
        writeln!(w, "Q{}", q.abs())?;
    }
    writeln!(w, "T{total}\nU{total}")?;
    if let Some(m) = e.memo.as_deref() {
        writeln!(w, "M{}", Line(m))?;
    }
    Ok(())
}

/// Appends a record's line: `field`, [`Line`]`(text)`, a line break.
#[inline]
fn line(buf: &mut Vec<u8>, field: u8, text: &str) {
    buf.push(field);
    if plain(text) {
        buf.extend_from_slice(text.as_bytes());
    } else {
        let _ = write!(buf, "{}", Line(text));
    }
    buf.push(b'\n');
}

/// True when [`Line`] writes `text` as it is: no control character (C0, DEL, or C1 whose
/// UTF-8 starts with 0xC2). Every byte looked at, without stopping early, so that the
/// compiler checks many at a time.
#[inline]
fn plain(text: &str) -> bool {
    !text.bytes().fold(false, |odd, b| odd | matches!(b, 0..=0x1f | 0x7f | 0xc2))
}

/// A value on one line: control characters written as a blank.
struct Line<'s>(&'s str);

impl std::fmt::Display for Line<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use std::fmt::Write as _;
        // No control character: as it is.
        if plain(self.0) {
            return f.write_str(self.0);
        }
        for c in self.0.chars() {
            f.write_char(if c.is_control() { ' ' } else { c })?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_in_the_order_asked() {
        let d = NaiveDate::from_ymd_opt(2024, 1, 5).unwrap();
        for (order, text) in [
            (DateOrder::Mdy, "01/05/2024"),
            (DateOrder::Dmy, "05/01/2024"),
            (DateOrder::Ymd, "2024-01-05"),
        ] {
            let mut out = Vec::new();
            order.write(&mut out, d).unwrap();
            assert_eq!(String::from_utf8(out).unwrap(), text);
        }
        // The buffer's way writes the same, years outside 0 to 9999 included.
        for (y, m, d) in
            [(2024, 1, 5), (1, 12, 31), (999, 2, 28), (0, 1, 1), (10000, 3, 4), (-44, 3, 15)]
        {
            let d = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            for order in [DateOrder::Mdy, DateOrder::Dmy, DateOrder::Ymd] {
                let (mut put, mut written) = (Vec::new(), Vec::new());
                order.put(&mut put, d);
                order.write(&mut written, d).unwrap();
                assert_eq!(put, written, "{d} {order:?}");
            }
        }
    }

    #[test]
    fn values_cannot_break_the_line() {
        assert_eq!(Line("a\n^\r\nb").to_string(), "a ^  b");
        assert_eq!(Line("a\u{85}b ½").to_string(), "a b ½");
        for text in ["a\n^\r\nb", "a\u{85}b ½", "", "plain"] {
            let mut buf = Vec::new();
            line(&mut buf, b'M', text);
            assert_eq!(buf, format!("M{}\n", Line(text)).as_bytes(), "{text:?}");
        }
    }
}
