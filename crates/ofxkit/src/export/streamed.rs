//! A [`Journal`] filled while a file is read: the plain transactions of bank and card
//! statements (and OFC statements) become entries as the syntax layer offers them
//! ([`ofxkit_syntax::parse_streaming`]), without a typed model of the whole file; the rest
//! (the balances, investment statements, a transaction the reader would remark on and
//! everything after it) is read from the document that is left.
//!
//! A transaction is taken only when the rows written from the tree would take it
//! (`convert::tree_rows`): every value one the reader takes without a remark, so the
//! document's findings are the same either way, and so are the entries (an oracle test
//! compares [`Journal::add_bytes`] with [`Journal::add_model`] on every file of both corpora).

use std::borrow::Cow;

use chrono::NaiveDate;
use ofxkit_syntax::{Offered, Options};
use rust_decimal::Decimal;

use crate::Document;
use crate::amount::{Dialect, parse_amount};
use crate::codes::Code;
use crate::codes::ofx::CorrectAction;
use crate::convert::tree_rows::{self, Fields, Memo, Slots};
use crate::datetime::parse_datetime;
use crate::export::journal::{Entry, Journal, account_key, institution_of};
use crate::transaction_fields::Field;

/// The state of one file's reading.
struct Stream<'a> {
    /// Still taking transactions (off for the rest of the file once one was left).
    active: bool,
    /// The start of the list whose transactions are being taken.
    list: Option<u32>,
    /// The journal index of its statement's account.
    account: usize,
    dialect: Dialect,
    slots: Option<(usize, Slots)>,
    memo: Memo,
    scratch: Vec<u8>,
    /// The input, when it is UTF-8 throughout (checked once: its texts are lent from it
    /// without checking each).
    utf8: Option<&'a str>,
}

impl<'a> Journal<'a> {
    /// Reads `bytes` and adds its statements as [`add_model`](Self::add_model) would, the
    /// same entries in the same order, most of them taken while the file is read; returns the
    /// document (whose [`diagnostics`](Document::diagnostics) are the file's findings).
    ///
    /// ```
    /// use ofxkit::export::Journal;
    /// let file = b"<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>USD\
    ///   <BANKACCTFROM><BANKID>1<ACCTID>2<ACCTTYPE>CHECKING</BANKACCTFROM><BANKTRANLIST>\
    ///   <STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20240105<TRNAMT>-12.50<FITID>A</STMTTRN>\
    ///   </BANKTRANLIST><LEDGERBAL><BALAMT>10<DTASOF>20240131</LEDGERBAL>\
    ///   </STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>";
    /// let mut journal = Journal::new();
    /// let doc = journal.add_bytes(file, &Default::default())?;
    /// assert!(doc.model().statements.len() == 1);
    /// // The transaction was taken while the file was read; the balance came after.
    /// assert_eq!(journal.streamed_entries(), 1);
    /// assert_eq!(journal.entries().len(), 1);
    /// assert_eq!(journal.entries()[0].amount.to_string(), "-12.50");
    /// assert_eq!(journal.balances().len(), 1);
    /// # Ok::<(), ofxkit::ParseError>(())
    /// ```
    pub fn add_bytes(
        &mut self,
        bytes: &'a [u8],
        options: &Options,
    ) -> Result<Document<'a>, crate::ParseError> {
        let mut stream = Stream {
            active: true,
            list: None,
            account: 0,
            dialect: Dialect::Ofx,
            slots: None,
            memo: Memo::default(),
            scratch: Vec::new(),
            utf8: std::str::from_utf8(bytes).ok(),
        };
        let syntax = {
            let mut take = |offered: &Offered<'_>| -> bool {
                let taken = stream.active && self.take(offered, bytes, &mut stream);
                if !taken {
                    stream.active = false;
                }
                taken
            };
            ofxkit_syntax::parse_streaming(bytes, &crate::with_dtd(options), "STMTTRN", &mut take)?
        };
        let doc = Document::with_cap(syntax, options.limits.max_findings_per_code);
        // What is left: balances, investment transactions, anything not taken.
        let mut rest = Journal::new();
        for a in &self.accounts_so_far() {
            rest.account(a.clone());
        }
        rest.add_model(doc.model());
        self.absorb(rest);
        Ok(doc)
    }

    /// The accounts, copied (to key the rest of a file the same way).
    fn accounts_so_far(&self) -> Vec<crate::export::AccountRef<'static>> {
        self.accounts().iter().map(|a| a.clone().into_owned()).collect()
    }

    /// Adds an offered `STMTTRN`'s entry; `false` (nothing added) when it must stay in the
    /// tree.
    fn take(&mut self, offered: &Offered<'_>, input: &'a [u8], stream: &mut Stream<'a>) -> bool {
        let Some((_, list)) = offered.open_elements().next_back() else { return false };
        if stream.list != Some(list) && !self.enter_list(offered, stream) {
            return false;
        }
        stream.list = Some(list);
        if !offered.reference_errors().is_empty() {
            return false;
        }
        let names = offered.names().len();
        if stream.slots.as_ref().is_none_or(|(n, _)| *n != names) {
            stream.slots = Some((names, Slots::of_names(offered.names())));
        }
        let Some((_, slots)) = &stream.slots else { return false };
        let Some(f) = tree_rows::checked_values(
            offered.plain_leaves(),
            || offered.element(),
            slots,
            stream.dialect,
            &mut stream.memo,
            &mut stream.scratch,
        ) else {
            return false;
        };
        match entry(&f, stream.account, stream.dialect, Source { bytes: input, utf8: stream.utf8 })
        {
            Some(Some(e)) => {
                self.add_entry(e);
                self.count_streamed();
            }
            Some(None) => self.add_incomplete(),
            None => return false,
        }
        true
    }

    /// Checks the list an offered transaction is in (as the CSV rows do: an OFX bank or
    /// card statement's `BANKTRANLIST`, an OFC statement's `STMTRS`), that its statement's
    /// account and currency are final and that no transaction before it was left; registers
    /// the accounts of the statements so far, in order.
    fn enter_list(&mut self, offered: &Offered<'_>, stream: &mut Stream<'a>) -> bool {
        let Some((start, dialect)) = crate::convert::streamed_list(offered) else { return false };
        let Some(so_far) = offered.document_so_far() else { return false };
        let model = crate::read::read_model(&so_far, false, 0);
        if !crate::convert::last_statement_final(&model, start, dialect) {
            return false;
        }
        let institution = institution_of(&model);
        for s in &model.statements {
            stream.account = self.account(account_key(institution, s).into_owned());
        }
        stream.dialect = dialect;
        true
    }
}

/// The entry of a transaction's checked fields (`Some(None)`: no date or no amount, not
/// written); `None` when a value cannot be read after all.
fn entry<'a>(
    f: &Fields<'_>,
    account: usize,
    dialect: Dialect,
    source: Source<'a>,
) -> Option<Option<Entry<'a>>> {
    let text = |field: Field| f.get(field).map(|t| source.lend(t));
    let (Some(date), Some(amount)) = (f.get(Field::DatePosted), f.get(Field::Amount)) else {
        return Some(None);
    };
    let amount = match canonical_value(amount) {
        Some(value) => value,
        None => parse_amount(amount, dialect).ok()?.value,
    };
    let mut e = Entry::new(account, day(date, dialect)?, amount);
    e.trntype = match f.get(Field::TrnType) {
        None => None,
        Some(raw) => Some(Cow::Borrowed(trntype(raw, dialect)?)),
    };
    e.fitid = text(Field::Fitid);
    e.name = f.get(Field::Name).or(f.get(Field::Payee)).map(|t| source.lend(t));
    e.memo = text(Field::Memo);
    e.check_number = text(Field::CheckNumber);
    e.correct_fitid = text(Field::CorrectFitid);
    e.correct_action = match f.get(Field::CorrectAction) {
        None => None,
        Some(raw) => Some(Cow::Borrowed(CorrectAction::from_exact(raw)?.as_str())),
    };
    Some(Some(e))
}

/// The calendar date of a date the reader takes without a remark: `YYYYMMDD` first.
fn day(raw: &str, dialect: Dialect) -> Option<NaiveDate> {
    let digits = raw.as_bytes().get(..8)?;
    if digits.iter().all(u8::is_ascii_digit) {
        let n = |r: std::ops::Range<usize>| {
            digits.get(r)?.iter().try_fold(0u32, |v, &d| Some(v * 10 + u32::from(d - b'0')))
        };
        if let (Some(y), Some(m), Some(d)) = (n(0..4), n(4..6), n(6..8))
            && let Some(date) = NaiveDate::from_ymd_opt(y as i32, m, d)
        {
            return Some(date);
        }
    }
    parse_datetime(raw, dialect).ok().map(|p| p.value.naive_date())
}

/// A `TRNTYPE` as the model holds it (an OFC code as its OFX name).
fn trntype(raw: &str, dialect: Dialect) -> Option<&'static str> {
    use crate::codes::mapping::ofc_trntype_to_ofx;
    use crate::codes::ofc::OfcTrnType;
    use crate::codes::ofx::TrnType;
    match dialect {
        Dialect::Ofx => Some(TrnType::from_exact(raw)?.as_str()),
        Dialect::Ofc => ofc_trntype_to_ofx(OfcTrnType::from_exact(raw)?).map(TrnType::as_str),
    }
}

/// The value of an amount [`is_canonical`](crate::amount::is_canonical) takes (what
/// [`parse_amount`] reads from it), without the general reader: its digits as the
/// mantissa, as many of them after the `.` as the scale; `None` for any other text.
fn canonical_value(raw: &str) -> Option<Decimal> {
    if !crate::amount::is_canonical(raw) {
        return None;
    }
    // At most 28 digits: never beyond 96 bits.
    let p = crate::amount::plain_digits(raw)?;
    let value = Decimal::try_from_i128_with_scale(p.mantissa, p.decimals).ok()?;
    // Never a negative zero: `is_canonical` refuses `-0`.
    Some(if p.negative { -value } else { value })
}

/// The input a file's texts are lent from.
#[derive(Clone, Copy)]
struct Source<'a> {
    bytes: &'a [u8],
    /// `bytes`, when they are UTF-8 throughout.
    utf8: Option<&'a str>,
}

impl<'a> Source<'a> {
    /// `text` borrowed from the input when it lies in it (a text the input holds as it
    /// is), copied otherwise (a decoded one, or one of a transcoded UTF-16 file).
    fn lend(self, text: &str) -> Cow<'a, str> {
        let start = (text.as_ptr() as usize).wrapping_sub(self.bytes.as_ptr() as usize);
        let end = start.checked_add(text.len());
        let lent = match self.utf8 {
            // Checked once: the same bytes, at char boundaries (a `&str` starts and ends at
            // one), need no second look.
            Some(all) => end.and_then(|end| all.get(start..end)),
            None => end
                .and_then(|end| self.bytes.get(start..end))
                .and_then(|b| std::str::from_utf8(b).ok()),
        };
        match lent {
            Some(s) if std::ptr::eq(s.as_ptr(), text.as_ptr()) && s.len() == text.len() => {
                Cow::Borrowed(s)
            }
            _ => Cow::Owned(text.to_owned()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_amounts_have_the_general_readers_value() {
        let mut cases: Vec<String> = [
            "0",
            "0.00",
            "-1",
            "1",
            "-9.59",
            "2500.00",
            "0.5",
            "-0.05",
            "10",
            "123.4500",
            "9999999999999999999999999999",
            "-0.000000000000000000000000001",
            "18446744073709551616",
            "-0",
            "-0.00",
            "01",
            "1.",
            ".5",
            "+1",
            "1,5",
            "",
            "-",
            "1.2.3",
            "12345678901234567890123456789",
        ]
        .map(str::to_owned)
        .to_vec();
        for digits in 1..=28usize {
            for dot in 0..digits {
                let d: String = (0..digits).map(|i| char::from(b'1' + (i % 9) as u8)).collect();
                let (a, b) = d.split_at(dot.max(1));
                let text = if dot == 0 { d.clone() } else { format!("{a}.{b}") };
                cases.push(text.clone());
                cases.push(format!("-{text}"));
            }
        }
        let mut taken = 0;
        for raw in &cases {
            let general = parse_amount(raw, Dialect::Ofx).ok().filter(|p| p.warnings.is_empty());
            match canonical_value(raw) {
                Some(v) => {
                    taken += 1;
                    let general = general.expect("a canonical amount is read").value;
                    // The same value and the same scale (the same text written).
                    assert_eq!((v, v.to_string()), (general, general.to_string()), "{raw:?}");
                    assert_eq!(v.is_sign_negative(), general.is_sign_negative(), "{raw:?}");
                }
                None => assert!(!crate::amount::is_canonical(raw), "{raw:?}"),
            }
        }
        assert!(taken > 50, "only {taken} taken");
    }

    #[test]
    fn texts_are_lent_from_the_input_or_copied() {
        let bytes = "A Zürich B".as_bytes();
        for utf8 in [std::str::from_utf8(bytes).ok(), None] {
            let source = Source { bytes, utf8 };
            let inside = std::str::from_utf8(&bytes[2..9]).expect("UTF-8");
            assert!(matches!(source.lend(inside), Cow::Borrowed("Zürich")));
            let outside = String::from("Zürich");
            assert!(matches!(source.lend(&outside), Cow::Owned(ref s) if s == "Zürich"));
        }
    }
}
