//! One row's values as the arrays take them ([`Values`], [`StatementCells`]): typed from
//! the values a transaction streamed plain was read with ([`Values::of_fields`]), or from a
//! row's NDJSON text ([`Values::of_row`]) for every other row.

use crate::amount::{is_canonical, parse_amount};
use crate::codes::Code;
use crate::codes::ofx::CorrectAction;
use crate::convert::StreamedValues;
use crate::datetime::{parse_datetime, write_common_form};
use crate::transaction_fields::Field;

use super::columns::{date_time, days, decimal};
use super::row_text::{RowText, column};
use super::{ParquetError, SCALE, scaled};

/// The statement's dictionary columns, by their row column, in the order of the arrays.
pub(super) const ACCOUNT_COLUMNS: [usize; 7] = [
    column("account_kind"),
    column("bank_id"),
    column("branch_id"),
    column("broker_id"),
    column("account_id"),
    column("account_type"),
    column("currency"),
];

/// The place of `account_id` in [`ACCOUNT_COLUMNS`].
const ACCOUNT_ID: usize = 4;

/// The plain text columns, by their row column, in the order of the arrays.
pub(super) const TEXT_COLUMNS: [usize; 8] = [
    column("fitid"),
    column("name"),
    column("memo"),
    column("check_number"),
    column("reference"),
    column("correct_fitid"),
    column("security_id"),
    column("problems"),
];

const DATE_POSTED: usize = column("date_posted");
const DATE_USER: usize = column("date_user");
const DECIMAL_COLUMNS: [usize; 3] = [column("amount"), column("units"), column("unit_price")];
const CODE_COLUMNS: [usize; 2] = [column("type"), column("correct_action")];

/// A statement's cells (`source` to `currency`), read once from their text.
#[derive(Default)]
pub(super) struct StatementCells {
    /// Which cells these are: a new number whenever they change, so that the rows of one
    /// statement get the dictionary keys of the row before without a lookup.
    pub(super) generation: u64,
    pub(super) source: String,
    pub(super) number: u32,
    /// The cells of [`ACCOUNT_COLUMNS`].
    pub(super) account: [Option<String>; 7],
}

impl StatementCells {
    /// The statement cells of `row`, numbered `generation`.
    pub(super) fn read(row: &RowText<'_>, generation: u64) -> Result<Self, ParquetError> {
        let missing = |what: &str| ParquetError(format!("a row without {what}"));
        let source = row.get(column("source")).ok_or_else(|| missing("source"))?.to_owned();
        let number = row.get(column("statement")).ok_or_else(|| missing("statement"))?;
        let number = number
            .bytes()
            .try_fold(0u64, |n, d| n.checked_mul(10)?.checked_add(u64::from(d.wrapping_sub(b'0'))));
        let number = number.map_or(u32::MAX, |n| n.min(u32::MAX.into()) as u32);
        let account = ACCOUNT_COLUMNS.map(|i| row.get(i).map(str::to_owned));
        Ok(StatementCells { generation, source, number, account })
    }

    /// The `account_id` cell.
    pub(super) fn account_id(&self) -> Option<&str> {
        self.account.get(ACCOUNT_ID).and_then(Option::as_deref)
    }
}

/// A transaction's cells after its statement's, typed.
pub(super) struct Values<'a> {
    /// `date_posted`: days since 1970-01-01, the wall time in milliseconds, the offset in
    /// minutes.
    pub(super) posted: Option<(i32, i64, Option<i32>)>,
    /// `date_user`'s days since 1970-01-01.
    pub(super) user: Option<i32>,
    /// `amount`, `units`, `unit_price` at [`SCALE`] decimals.
    pub(super) decimals: [Option<i128>; 3],
    /// `type`, `correct_action`.
    pub(super) codes: [Option<&'a str>; 2],
    /// The cells of [`TEXT_COLUMNS`] (`problems`: the codes joined with `,`).
    pub(super) texts: [Option<&'a str>; 8],
}

impl<'a> Values<'a> {
    /// The values of a row's text.
    pub(super) fn of_row(r: &'a RowText<'_>) -> Result<Self, ParquetError> {
        let posted = r.get(DATE_POSTED).map(date_time).transpose()?;
        let user = r.get(DATE_USER).map(days).transpose()?;
        let mut decimals = [None; 3];
        for (value, i) in decimals.iter_mut().zip(DECIMAL_COLUMNS) {
            *value = r.get(i).map(decimal).transpose()?;
        }
        Ok(Values {
            posted,
            user,
            decimals,
            codes: CODE_COLUMNS.map(|i| r.get(i)),
            texts: TEXT_COLUMNS.map(|i| r.get(i)),
        })
    }

    /// The values of a transaction streamed plain, as its row would show them (the dates
    /// written as the row writes them, then read as [`of_row`](Self::of_row) reads them;
    /// `date_text` keeps the `date_posted` text written, empty without one); `problems` is
    /// the `problems` cell.
    pub(super) fn of_fields<'t: 'a>(
        v: &mut StreamedValues<'_, 't>,
        date_text: &mut Vec<u8>,
        problems: Option<&'a str>,
    ) -> Result<Self, ParquetError> {
        let f = v.fields;
        let (dialect, memo) = (v.dialect, &mut *v.memo);
        let mut date = |raw: &str, out: &mut Vec<u8>| -> Result<(), ParquetError> {
            out.clear();
            if write_common_form(out, raw, dialect, |zone| memo.offset(zone)) {
                return Ok(());
            }
            out.clear();
            let bad = || ParquetError(format!("not a date: {}", ofxkit_syntax::shown(raw)));
            let parsed = parse_datetime(raw, dialect).map_err(|_| bad())?;
            let mut text = String::new();
            parsed.value.write_iso8601(&mut text).map_err(|_| bad())?;
            out.extend_from_slice(text.as_bytes());
            Ok(())
        };
        let as_text = |b: &[u8]| -> Result<String, ParquetError> {
            // Dates are written in ASCII.
            std::str::from_utf8(b).map(str::to_owned).map_err(|e| ParquetError(e.to_string()))
        };
        date_text.clear();
        let posted = match f.get(Field::DatePosted) {
            Some(raw) => {
                date(raw, date_text)?;
                let text =
                    std::str::from_utf8(date_text).map_err(|e| ParquetError(e.to_string()))?;
                Some(date_time(text)?)
            }
            None => None,
        };
        let user = match f.get(Field::DateUser) {
            Some(raw) => {
                let mut out = Vec::with_capacity(32);
                date(raw, &mut out)?;
                Some(days(&as_text(&out)?)?)
            }
            None => None,
        };
        let amount = match f.get(Field::Amount) {
            // The text the row shows as it is.
            Some(raw) if is_canonical(raw) => Some(decimal(raw)?),
            Some(raw) => {
                let parsed = parse_amount(raw, dialect).map_err(|_| {
                    ParquetError(format!("not an amount: {}", ofxkit_syntax::shown(raw)))
                })?;
                Some(scaled(parsed.value, SCALE)?)
            }
            None => None,
        };
        let trntype = match f.get(Field::TrnType) {
            Some(raw) => v.memo.trntype(raw, dialect).and_then(|(ofx, _)| ofx),
            None => None,
        };
        let correct_action =
            f.get(Field::CorrectAction).and_then(CorrectAction::from_exact).map(|a| a.as_str());
        Ok(Values {
            posted,
            user,
            decimals: [amount, None, None],
            codes: [trntype, correct_action],
            texts: [
                f.get(Field::Fitid),
                f.get(Field::Name).or(f.get(Field::Payee)),
                f.get(Field::Memo),
                f.get(Field::CheckNumber),
                f.get(Field::Reference),
                f.get(Field::CorrectFitid),
                None,
                problems,
            ],
        })
    }
}
