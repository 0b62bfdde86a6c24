//! The Arrow arrays of a batch of rows, filled from their typed [`Values`] and their
//! statement's cells; the readers of the texts the converter writes for dates (the forms of
//! [`OfxDateTime::write_iso8601`](crate::datetime::OfxDateTime::write_iso8601)) and
//! decimals. Codes go into dictionaries that remember the last value, and the rows of one
//! statement take its account's keys from the row before.

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

use super::values::{StatementCells, Values};
use super::{ParquetError, SCALE, scaled};

/// The dictionaries of the statement's cells: the first ones of the dictionaries.
const ACCOUNT_DICTS: usize = 7;

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
    /// Appends `value`; returns its key.
    #[inline(always)]
    fn append(&mut self, value: Option<&str>) -> Result<Option<i32>, ParquetError> {
        let Some(value) = value else {
            self.keys.append_null();
            return Ok(None);
        };
        if let Some(last) = self.last
            && self.values.get(last as usize).is_some_and(|v| **v == *value)
        {
            self.keys.append_value(last);
            return Ok(Some(last));
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
        Ok(Some(key))
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
    /// The [`StatementCells::generation`] of the last row, and the keys its account's cells
    /// got in this batch (the first [`ACCOUNT_DICTS`] dictionaries). A row of the same
    /// statement gets the same, without a lookup.
    repeat: Option<(u64, [Option<i32>; ACCOUNT_DICTS])>,
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
        Self::with_capacity(0)
    }

    /// Builders ready for `rows` rows (the size of the batch before: they are not grown
    /// again, a piece at a time, for each batch).
    fn with_capacity(rows: usize) -> Self {
        let decimal = || Decimal128Builder::with_capacity(rows);
        let text = || StringBuilder::with_capacity(rows, rows * 16);
        Columns {
            len: 0,
            repeat: None,
            source: text(),
            statement: UInt32Builder::with_capacity(rows),
            dicts: std::array::from_fn(|_| Dict {
                keys: Int32Builder::with_capacity(rows),
                ..Dict::default()
            }),
            date: Date32Builder::with_capacity(rows),
            posted: TimestampMillisecondBuilder::with_capacity(rows),
            offset: Int32Builder::with_capacity(rows),
            user: Date32Builder::with_capacity(rows),
            amount: decimal(),
            units: decimal(),
            price: decimal(),
            texts: std::array::from_fn(|_| text()),
            row: UInt64Builder::with_capacity(rows),
        }
    }

    /// The rows appended since the last [`finish`](Self::finish).
    pub(super) fn len(&self) -> usize {
        self.len
    }

    /// Appends a row of `statement`; `row` is its number in the file (from 1).
    #[inline(always)]
    pub(super) fn push(
        &mut self,
        statement: &StatementCells,
        v: &Values<'_>,
        row: u64,
    ) -> Result<(), ParquetError> {
        self.source.append_value(&statement.source);
        self.statement.append_value(statement.number);
        let (account, codes) = self.dicts.split_at_mut(ACCOUNT_DICTS);
        match &self.repeat {
            Some((generation, keys)) if *generation == statement.generation => {
                for (dict, &key) in account.iter_mut().zip(keys) {
                    dict.keys.append_option(key);
                }
            }
            _ => {
                let mut keys = [None; ACCOUNT_DICTS];
                for ((dict, cell), key) in account.iter_mut().zip(&statement.account).zip(&mut keys)
                {
                    *key = dict.append(cell.as_deref())?;
                }
                self.repeat = Some((statement.generation, keys));
            }
        }
        for (dict, code) in codes.iter_mut().zip(v.codes) {
            dict.append(code)?;
        }
        match v.posted {
            Some((days, millis, offset)) => {
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
        self.user.append_option(v.user);
        for (builder, value) in
            [&mut self.amount, &mut self.units, &mut self.price].into_iter().zip(v.decimals)
        {
            builder.append_option(value);
        }
        for (builder, text) in self.texts.iter_mut().zip(v.texts) {
            builder.append_option(text);
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
        // Builders of this batch's size; the dictionaries start again (their keys are not
        // repeated into the next batch).
        *self = Columns::with_capacity(self.len);
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

/// The value of two ASCII digits; `None` unless both are digits.
#[inline(always)]
fn two(b: &[u8], at: usize) -> Option<u32> {
    let (a, c) = (*b.get(at)?, *b.get(at + 1)?);
    (a.is_ascii_digit() && c.is_ascii_digit())
        .then(|| u32::from(a - b'0') * 10 + u32::from(c - b'0'))
}

/// The days since 1970-01-01 of a date's text (`YYYY-MM-DD`, then anything).
#[inline(always)]
pub(super) fn days(text: &str) -> Result<i32, ParquetError> {
    let b = text.as_bytes();
    let parts = (|| {
        let year = two(b, 0)? * 100 + two(b, 2)?;
        let (month, day) = (two(b, 5)?, two(b, 8)?);
        let dashes = b.get(4) == Some(&b'-') && b.get(7) == Some(&b'-');
        (dashes && (1..=12).contains(&month) && (1..=31).contains(&day))
            .then(|| civil_days(year as i32, month, day))
    })();
    parts.ok_or_else(|| ParquetError(format!("not a date: {}", ofxkit_syntax::shown(text))))
}

/// A date as the converter writes it (`YYYY-MM-DD[THH:MM:SS[.mmm][±HH:MM]]`): its days
/// since 1970-01-01, its wall time in milliseconds since then (not moved by the offset), and
/// its offset in minutes.
#[inline(always)]
pub(super) fn date_time(text: &str) -> Result<(i32, i64, Option<i32>), ParquetError> {
    let days = days(text)?;
    let b = text.as_bytes();
    let millis = i64::from(days) * 86_400_000;
    if b.len() == 10 {
        return Ok((days, millis, None));
    }
    let time = (|| {
        let seps = b.get(10) == Some(&b'T') && b.get(13) == Some(&b':') && b.get(16) == Some(&b':');
        if !seps {
            return None;
        }
        let seconds = (two(b, 11)? * 60 + two(b, 14)?) * 60 + two(b, 17)?;
        let mut millis = millis + i64::from(seconds) * 1000;
        let mut at = 19;
        if b.get(at) == Some(&b'.') {
            let third = b.get(22).filter(|d| d.is_ascii_digit())?;
            millis += i64::from(two(b, 20)? * 10 + u32::from(third - b'0'));
            at = 23;
        }
        let offset = match b.get(at) {
            None => None,
            Some(&sign @ (b'+' | b'-')) => {
                if b.get(at + 3) != Some(&b':') || b.len() != at + 6 {
                    return None;
                }
                let minutes = (two(b, at + 1)? * 60 + two(b, at + 4)?) as i32;
                Some(if sign == b'-' { -minutes } else { minutes })
            }
            Some(_) => return None,
        };
        Some((millis, offset))
    })();
    let (millis, offset) =
        time.ok_or_else(|| ParquetError(format!("not a date: {}", ofxkit_syntax::shown(text))))?;
    Ok((days, millis, offset))
}

/// A decimal's text as an integer at [`SCALE`] decimals, exactly, or an error (as
/// [`scaled`] says).
#[inline(always)]
pub(super) fn decimal(text: &str) -> Result<i128, ParquetError> {
    if let Some(p) = crate::amount::plain_digits(text)
        && p.decimals <= SCALE
        && p.digits - p.decimals <= 38 - SCALE
    {
        let value = p.mantissa * 10i128.pow(SCALE - p.decimals);
        if value < 10i128.pow(38) {
            return Ok(if p.negative { -value } else { value });
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
