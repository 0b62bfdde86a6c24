//! Apache Parquet: the transaction rows of `convert --what transactions`, typed, for DuckDB,
//! Spark and the like (feature `parquet`, on by default in the CLI).
//!
//! Columns: codes (`account_kind`, `account_type`, `currency`, `type`, `correct_action`)
//! and the account ids as dictionary-encoded strings; `date` the calendar date the bank wrote
//! (DATE); `date_posted` the date and time as written (TIMESTAMP in milliseconds, not
//! adjusted to UTC: never shifted) with its UTC offset in minutes in `date_posted_offset`
//! (null when the file gave none); `amount`, `units` and `unit_price` as DECIMAL(38, 18) in
//! every file ([`SCALE`]), never floats; the other texts as strings. Row groups hold up to
//! [`ROW_GROUP_ROWS`] rows.
//!
//! Two writers give the same files:
//!
//! - [`StreamedWriter`] reads its inputs as `convert --to csv` reads them (a part at a time,
//!   each plain transaction's row written as soon as it is read, see
//!   [`Converter::add_reader`](crate::convert::Converter::add_reader)) and types the rows
//!   into Arrow arrays a batch at a time, writing a row group as it fills: memory stays
//!   that of one row group (per open partition, within a bound, see [`StreamedWriter`]),
//!   however many transactions the inputs hold. It is what `ofxkit convert --to parquet`
//!   uses.
//! - [`TransactionTable`] gathers the rows of whole typed models first: the reference the
//!   streamed writer is compared with (a test reads both back on every corpus file).
//!
//! ```
//! use ofxkit::export::parquet::{Partition, TransactionTable};
//! let doc = ofxkit::parse(b"<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>EUR\
//!   <BANKACCTFROM><BANKID>1<ACCTID>DE42<ACCTTYPE>CHECKING</BANKACCTFROM>\
//!   <BANKTRANLIST><STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20240105120000[+1:CET]<TRNAMT>-200,00\
//!   <FITID>1<NAME>RENT</STMTTRN></BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>")?;
//! let mut table = TransactionTable::new();
//! table.add_model("a.ofx", doc.model());
//! assert_eq!(table.len(), 1);
//! assert_eq!(table.partition_key(0, Partition::Month), "month=2024-01");
//! let mut out = Vec::new();
//! table.write(&[0], &mut out)?;
//! assert!(out.starts_with(b"PAR1") && out.ends_with(b"PAR1"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod columns;
mod encoder;
mod row_text;
mod streamed;
mod table;
mod values;

use std::sync::Arc;

use arrow_schema::{DataType, Field, Schema, TimeUnit};
use parquet::basic::Compression;
use parquet::file::properties::{EnabledStatistics, WriterProperties};
use parquet::schema::types::ColumnPath;
use rust_decimal::Decimal;

pub use streamed::{BATCH_ROWS, Files, HELD_BYTES, HELD_ROWS, JOBS, OPEN_FILES, StreamedWriter};
pub use table::TransactionTable;

/// Rows per row group.
pub const ROW_GROUP_ROWS: usize = 128 * 1024;

/// The scale of every decimal column: DECIMAL(38, 18), Spark's default decimal, the same in
/// every file so that files written apart read as one table. A value with more decimals (or
/// more than 20 digits before the point) is refused, never rounded.
pub const SCALE: u32 = 18;

/// How a dataset is split into directories.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Partition {
    /// `account=<ACCTID>` (the id as an account-name component: letters, digits and `-`).
    Account,
    /// `month=YYYY-MM` of the posted date (`month=none` without one).
    Month,
}

/// An error writing Parquet.
#[derive(Debug)]
pub struct ParquetError(String);

impl std::fmt::Display for ParquetError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ParquetError {}

impl From<parquet::errors::ParquetError> for ParquetError {
    fn from(e: parquet::errors::ParquetError) -> Self {
        ParquetError(e.to_string())
    }
}

impl From<arrow_schema::ArrowError> for ParquetError {
    fn from(e: arrow_schema::ArrowError) -> Self {
        ParquetError(e.to_string())
    }
}

impl From<std::io::Error> for ParquetError {
    fn from(e: std::io::Error) -> Self {
        ParquetError(e.to_string())
    }
}

impl From<ParquetError> for std::io::Error {
    fn from(e: ParquetError) -> Self {
        std::io::Error::other(e.0)
    }
}

/// The columns of every file, in order.
fn schema() -> Arc<Schema> {
    let dict = || DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8));
    let dec = || DataType::Decimal128(38, SCALE as i8);
    Arc::new(Schema::new(vec![
        Field::new("source", DataType::Utf8, false),
        Field::new("statement", DataType::UInt32, false),
        Field::new("account_kind", dict(), false),
        Field::new("bank_id", dict(), true),
        Field::new("branch_id", dict(), true),
        Field::new("broker_id", dict(), true),
        Field::new("account_id", dict(), true),
        Field::new("account_type", dict(), true),
        Field::new("currency", dict(), true),
        Field::new("date", DataType::Date32, true),
        Field::new("date_posted", DataType::Timestamp(TimeUnit::Millisecond, None), true),
        Field::new("date_posted_offset", DataType::Int32, true),
        Field::new("date_user", DataType::Date32, true),
        Field::new("amount", dec(), true),
        Field::new("type", dict(), true),
        Field::new("fitid", DataType::Utf8, true),
        Field::new("name", DataType::Utf8, true),
        Field::new("memo", DataType::Utf8, true),
        Field::new("check_number", DataType::Utf8, true),
        Field::new("reference", DataType::Utf8, true),
        Field::new("correct_fitid", DataType::Utf8, true),
        Field::new("correct_action", dict(), true),
        Field::new("security_id", DataType::Utf8, true),
        Field::new("units", dec(), true),
        Field::new("unit_price", dec(), true),
        Field::new("problems", DataType::Utf8, true),
        Field::new("row", DataType::UInt64, false),
    ]))
}

/// How every file is written: row groups of [`ROW_GROUP_ROWS`]; pages compressed with
/// Snappy (what Spark and DuckDB write by default, cheap to write and to read); statistics
/// (min, max, nulls) per column chunk, which engines use to skip row groups, not per page
/// (and none for free text, [`FREE_TEXT_COLUMNS`]);
/// dictionary encoding for every column but those whose values are nearly all distinct
/// ([`UNIQUE_COLUMNS`]: a dictionary of them is hashed value by value, then given up).
fn properties() -> WriterProperties {
    let mut builder = WriterProperties::builder()
        .set_max_row_group_size(ROW_GROUP_ROWS)
        .set_compression(Compression::SNAPPY)
        .set_statistics_enabled(EnabledStatistics::Chunk);
    for column in UNIQUE_COLUMNS {
        builder = builder.set_column_dictionary_enabled(ColumnPath::from(column), false);
    }
    for column in FREE_TEXT_COLUMNS {
        builder = builder
            .set_column_statistics_enabled(ColumnPath::from(column), EnabledStatistics::None);
    }
    builder.build()
}

/// The columns of free text, without statistics: a row group is never chosen by the least
/// and greatest memo, and comparing every text to find them costs.
const FREE_TEXT_COLUMNS: [&str; 6] =
    ["fitid", "name", "memo", "check_number", "reference", "correct_fitid"];

/// The columns written without a dictionary: one value per transaction (`row`, `fitid`),
/// or nearly (`date_posted` to the second, `memo` with its reference numbers).
const UNIQUE_COLUMNS: [&str; 4] = ["row", "fitid", "date_posted", "memo"];

/// `value` as an integer at `scale` decimals, exactly, or an error.
fn scaled(value: Decimal, scale: u32) -> Result<i128, ParquetError> {
    let value = if value.scale() > scale { value.normalize() } else { value };
    let up = scale.checked_sub(value.scale()).ok_or_else(|| {
        ParquetError(format!(
            "{value} has more than {scale} decimals: DECIMAL(38, {scale}) cannot hold it"
        ))
    })?;
    10i128
        .checked_pow(up)
        .and_then(|p| value.mantissa().checked_mul(p))
        .filter(|m| m.unsigned_abs() < 10u128.pow(38))
        .ok_or_else(|| ParquetError(format!("{value} does not fit DECIMAL(38, {scale})")))
}
