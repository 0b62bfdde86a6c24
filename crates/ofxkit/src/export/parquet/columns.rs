//! The Arrow arrays of a batch of rows, filled from the rows' text ([`RowText`]): dates and
//! decimals read straight from the text the converter wrote (the forms of
//! [`OfxDateTime::write_iso8601`](crate::datetime::OfxDateTime::write_iso8601) and of a
//! decimal), codes into dictionaries that remember the last value (a statement's account
//! cells repeat on every row).

use std::sync::Arc;

use arrow_array::builder::{
    Date32Builder, Decimal128Builder, Int32Builder, StringBuilder, TimestampMillisecondBuilder,
    UInt32Builder, UInt64Builder,
};
use arrow_array::types::Int32Type;
use arrow_array::{ArrayRef, DictionaryArray, RecordBatch, StringArray};
use arrow_schema::Schema;
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;

use super::row_text::{RowText, column};
use super::{ParquetError, SCALE, scaled};

/// The dictionary-encoded columns, by their row column.
const DICTS: [usize; 9] = [
    column("account_kind"),
    column("bank_id"),
    column("branch_id"),
    column("broker_id"),
    column("account_id"),
    column("account_type"),
    column("currency"),
    column("type"),
    column("correct_action"),
];

/// The plain text columns, by their row column.
const TEXTS: [usize; 8] = [
    column("fitid"),
    column("name"),
    column("memo"),
    column("check_number"),
    column("reference"),
    column("correct_fitid"),
    column("security_id"),
    column("problems"),
];

const SOURCE: usize = column("source");
const STATEMENT: usize = column("statement");
const DATE_POSTED: usize = column("date_posted");
const DATE_USER: usize = column("date_user");
const AMOUNT: usize = column("amount");
const UNITS: usize = column("units");
const UNIT_PRICE: usize = column("unit_price");

/// A dictionary column: keys, and the values of this batch.
#[derive(Default)]
struct Dict {
    keys: Int32Builder,
    values: Vec<Box<str>>,
    index: FxHashMap<Box<str>, i32>,
    /// The key of the last value appended.
    last: Option<i32>,
}

impl Dict {
    #[inline(always)]
    fn append(&mut self, value: Option<&str>) -> Result<(), ParquetError> {
        let Some(value) = value else {
            self.keys.append_null();
            return Ok(());
        };
        if let Some(last) = self.last
            && self.values.get(last as usize).is_some_and(|v| **v == *value)
        {
            self.keys.append_value(last);
            return Ok(());
        }
        let key = match self.index.get(value) {
            Some(&key) => key,
            None => {
                let key = i32::try_from(self.values.len())
                    .map_err(|_| ParquetError("too many distinct codes".to_owned()))?;
                self.values.push(value.into());
                self.index.insert(value.into(), key);
                key
            }
        };
        self.last = Some(key);
        self.keys.append_value(key);
        Ok(())
    }

    fn finish(&mut self) -> Result<ArrayRef, ParquetError> {
        let values = StringArray::from_iter_values(self.values.drain(..));
        self.index.clear();
        self.last = None;
        let array = DictionaryArray::<Int32Type>::try_new(self.keys.finish(), Arc::new(values))?;
        Ok(Arc::new(array))
    }
}

/// The arrays of the rows appended since the last [`Columns::finish`].
pub(super) struct Columns {
    len: usize,
    source: StringBuilder,
    statement: UInt32Builder,
    dicts: [Dict; 9],
    date: Date32Builder,
    posted: TimestampMillisecondBuilder,
    offset: Int32Builder,
    user: Date32Builder,
    amount: Decimal128Builder,
    units: Decimal128Builder,
    price: Decimal128Builder,
    texts: [StringBuilder; 8],
    row: UInt64Builder,
}

impl Columns {
    pub(super) fn new() -> Self {
        let decimal = || Decimal128Builder::new();
        Columns {
            len: 0,
            source: StringBuilder::new(),
            statement: UInt32Builder::new(),
            dicts: Default::default(),
            date: Date32Builder::new(),
            posted: TimestampMillisecondBuilder::new(),
            offset: Int32Builder::new(),
            user: Date32Builder::new(),
            amount: decimal(),
            units: decimal(),
            price: decimal(),
            texts: std::array::from_fn(|_| StringBuilder::new()),
            row: UInt64Builder::new(),
        }
    }

    /// The rows appended since the last [`finish`](Self::finish).
    pub(super) fn len(&self) -> usize {
        self.len
    }

    /// Appends a row; `row` is its number in the file (from 1).
    pub(super) fn push(&mut self, r: &RowText<'_>, row: u64) -> Result<(), ParquetError> {
        let missing = |what: &str| ParquetError(format!("a row without {what}"));
        self.source.append_value(r.get(SOURCE).ok_or_else(|| missing("source"))?);
        let statement = r.get(STATEMENT).ok_or_else(|| missing("statement"))?;
        let statement = statement
            .bytes()
            .try_fold(0u64, |n, d| n.checked_mul(10)?.checked_add(u64::from(d.wrapping_sub(b'0'))));
        self.statement.append_value(statement.map_or(u32::MAX, |n| n.min(u32::MAX.into()) as u32));
        for (dict, i) in self.dicts.iter_mut().zip(DICTS) {
            dict.append(r.get(i))?;
        }
        match r.get(DATE_POSTED) {
            Some(text) => {
                let (days, millis, offset) = date_time(text)?;
                self.date.append_value(days);
                self.posted.append_value(millis);
                self.offset.append_option(offset);
            }
            None => {
                self.date.append_null();
                self.posted.append_null();
                self.offset.append_null();
            }
        }
        match r.get(DATE_USER) {
            Some(text) => self.user.append_value(date_time(text)?.0),
            None => self.user.append_null(),
        }
        for (builder, i) in
            [(&mut self.amount, AMOUNT), (&mut self.units, UNITS), (&mut self.price, UNIT_PRICE)]
        {
            match r.get(i) {
                Some(text) => builder.append_value(decimal(text)?),
                None => builder.append_null(),
            }
        }
        for (builder, i) in self.texts.iter_mut().zip(TEXTS) {
            builder.append_option(r.get(i));
        }
        self.row.append_value(row);
        self.len += 1;
        Ok(())
    }

    /// The batch of the rows appended; the builders start again empty.
    pub(super) fn finish(&mut self, schema: Arc<Schema>) -> Result<RecordBatch, ParquetError> {
        let dec = |b: &mut Decimal128Builder| -> Result<ArrayRef, ParquetError> {
            Ok(Arc::new(b.finish().with_precision_and_scale(38, SCALE as i8)?))
        };
        let [kind, bank, branch, broker, account, account_type, currency, trntype, action] =
            &mut self.dicts;
        let [fitid, name, memo, check, reference, correct_fitid, security, problems] =
            &mut self.texts;
        let columns: Vec<ArrayRef> = vec![
            Arc::new(self.source.finish()),
            Arc::new(self.statement.finish()),
            kind.finish()?,
            bank.finish()?,
            branch.finish()?,
            broker.finish()?,
            account.finish()?,
            account_type.finish()?,
            currency.finish()?,
            Arc::new(self.date.finish()),
            Arc::new(self.posted.finish()),
            Arc::new(self.offset.finish()),
            Arc::new(self.user.finish()),
            dec(&mut self.amount)?,
            trntype.finish()?,
            Arc::new(fitid.finish()),
            Arc::new(name.finish()),
            Arc::new(memo.finish()),
            Arc::new(check.finish()),
            Arc::new(reference.finish()),
            Arc::new(correct_fitid.finish()),
            action.finish()?,
            Arc::new(security.finish()),
            dec(&mut self.units)?,
            dec(&mut self.price)?,
            Arc::new(problems.finish()),
            Arc::new(self.row.finish()),
        ];
        self.len = 0;
        Ok(RecordBatch::try_new(schema, columns)?)
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
fn civil_days(year: i32, month: u32, day: u32) -> i32 {
    let y = year - i32::from(month <= 2);
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = month as i32;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i32 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// A date as the converter writes it (`YYYY-MM-DD[THH:MM:SS[.mmm][±HH:MM]]`): its days
/// since 1970-01-01, its wall time in milliseconds since then (not moved by the offset), and
/// its offset in minutes.
fn date_time(text: &str) -> Result<(i32, i64, Option<i32>), ParquetError> {
    let b = text.as_bytes();
    let bad = || ParquetError(format!("not a date: {}", ofxkit_syntax::shown(text)));
    let n = |from: usize, len: usize| -> Result<u32, ParquetError> {
        let digits = b.get(from..from + len).ok_or_else(bad)?;
        digits.iter().try_fold(0u32, |v, &d| match d {
            b'0'..=b'9' => Ok(v * 10 + u32::from(d - b'0')),
            _ => Err(bad()),
        })
    };
    let sep = |at: usize, c: u8| if b.get(at) == Some(&c) { Ok(()) } else { Err(bad()) };
    let (year, month, day) = (n(0, 4)?, n(5, 2)?, n(8, 2)?);
    sep(4, b'-')?;
    sep(7, b'-')?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return Err(bad());
    }
    let days = civil_days(year as i32, month, day);
    let mut millis = i64::from(days) * 86_400_000;
    if b.len() == 10 {
        return Ok((days, millis, None));
    }
    sep(10, b'T')?;
    sep(13, b':')?;
    sep(16, b':')?;
    let seconds = (n(11, 2)? * 60 + n(14, 2)?) * 60 + n(17, 2)?;
    millis += i64::from(seconds) * 1000;
    let mut at = 19;
    if b.get(at) == Some(&b'.') {
        millis += i64::from(n(20, 3)?);
        at = 23;
    }
    let offset = match b.get(at) {
        None => None,
        Some(&sign @ (b'+' | b'-')) => {
            sep(at + 3, b':')?;
            let minutes = (n(at + 1, 2)? * 60 + n(at + 4, 2)?) as i32;
            if b.len() != at + 6 {
                return Err(bad());
            }
            Some(if sign == b'-' { -minutes } else { minutes })
        }
        Some(_) => return Err(bad()),
    };
    Ok((days, millis, offset))
}

/// A decimal's text as an integer at [`SCALE`] decimals, exactly, or an error (as
/// [`scaled`] says).
#[inline(always)]
fn decimal(text: &str) -> Result<i128, ParquetError> {
    let b = text.as_bytes();
    let (negative, digits) = match b.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, b),
    };
    let mut mantissa: i128 = 0;
    let (mut count, mut decimals, mut point) = (0u32, 0u32, false);
    let mut plain = !digits.is_empty();
    for &d in digits {
        match d {
            b'0'..=b'9' => {
                mantissa = mantissa * 10 + i128::from(d - b'0');
                count += 1;
                decimals += u32::from(point);
                if count > 36 {
                    plain = false;
                    break;
                }
            }
            b'.' if !point => point = true,
            _ => {
                plain = false;
                break;
            }
        }
    }
    if plain && decimals <= SCALE && count - decimals <= 38 - SCALE {
        let value = mantissa * 10i128.pow(SCALE - decimals);
        if value < 10i128.pow(38) {
            return Ok(if negative { -value } else { value });
        }
    }
    // Anything else (more decimals, more digits) as the reference path reads it.
    let value: Decimal = text
        .parse()
        .map_err(|_| ParquetError(format!("not a decimal: {}", ofxkit_syntax::shown(text))))?;
    scaled(value, SCALE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_read_as_written() {
        let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
        for (y, m, d) in [(1970, 1, 1), (2024, 2, 29), (1, 1, 1), (9999, 12, 31), (1600, 3, 1)] {
            let date = chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
            assert_eq!(i64::from(civil_days(y, m, d)), (date - epoch).num_days(), "{date}");
        }
        assert_eq!(date_time("2024-01-05").unwrap(), (19727, 19727 * 86_400_000, None));
        let (_, ms, off) = date_time("2024-01-05T23:30:00-05:00").unwrap();
        assert_eq!((ms, off), (1_704_497_400_000, Some(-300)));
        assert_eq!(date_time("2024-01-05T23:30:00.125+05:30").unwrap().1, 1_704_497_400_125);
        assert_eq!(date_time("2024-01-05T23:30:00.125+05:30").unwrap().2, Some(330));
        for bad in ["2024-1-05", "2024-01-05T", "2024-01-05T23:30", "2024-13-01", "x", ""] {
            assert!(date_time(bad).is_err(), "{bad}");
        }
        assert!(date_time("2024-01-05T23:30:00+05:30x").is_err());
    }

    #[test]
    fn decimals_are_exact_and_agree_with_the_reference() {
        for text in [
            "-200.05",
            "0",
            "3",
            "-0.000000000000000001",
            "12345678901234567890.123456789012345678",
            "1.5000000000000000000000",
            "0.0000000000000000000001",
            "79228162514264337593543950335",
            "123456789012345678901",
        ] {
            let reference = text
                .parse::<Decimal>()
                .map_err(|_| ())
                .and_then(|d| scaled(d, SCALE).map_err(|_| ()));
            assert_eq!(decimal(text).map_err(|_| ()), reference, "{text}");
        }
        assert_eq!(decimal("-200.05").unwrap(), -20005 * 10i128.pow(16));
        assert!(decimal("1x5").is_err());
        assert!(decimal("").is_err());
        assert!(decimal("-").is_err());
    }
}
