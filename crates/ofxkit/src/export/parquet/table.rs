//! The whole-model table: every row of typed models gathered first, then written (the
//! reference the streamed writer is compared with).

use std::io::Write;
use std::sync::Arc;

use arrow_array::builder::{
    Date32Builder, Decimal128Builder, Int32Builder, StringBuilder, StringDictionaryBuilder,
    TimestampMillisecondBuilder, UInt32Builder, UInt64Builder,
};
use arrow_array::types::Int32Type;
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::Schema;
use parquet::arrow::ArrowWriter;
use rust_decimal::Decimal;

use super::{ParquetError, Partition, ROW_GROUP_ROWS, SCALE, properties, scaled, schema};
use crate::datetime::OfxDateTime;
use crate::export::names::account_component;
use crate::model::{Model, StatementKind};

/// One transaction row.
#[derive(Debug, Clone)]
struct Row<'a> {
    source: &'a str,
    statement: u32,
    account_kind: &'static str,
    bank_id: Option<&'a str>,
    branch_id: Option<&'a str>,
    broker_id: Option<&'a str>,
    account_id: Option<&'a str>,
    account_type: Option<String>,
    currency: Option<&'a str>,
    date_posted: Option<OfxDateTime>,
    date_user: Option<chrono::NaiveDate>,
    amount: Option<Decimal>,
    kind: Option<String>,
    fitid: Option<&'a str>,
    name: Option<&'a str>,
    memo: Option<String>,
    check_number: Option<&'a str>,
    reference: Option<&'a str>,
    correct_fitid: Option<&'a str>,
    correct_action: Option<String>,
    security_id: Option<&'a str>,
    units: Option<Decimal>,
    unit_price: Option<Decimal>,
    problems: Option<String>,
}

/// Transaction rows gathered from one or more files.
#[derive(Debug, Clone, Default)]
pub struct TransactionTable<'a> {
    rows: Vec<Row<'a>>,
}

impl<'a> TransactionTable<'a> {
    /// An empty table.
    pub fn new() -> Self {
        TransactionTable::default()
    }

    /// How many rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// True when there is no row.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Adds every transaction row of `model` (bank, card and investment transactions, as
    /// `convert --what transactions` writes them), `source` naming the file.
    pub fn add_model(&mut self, source: &'a str, model: &Model<'a>) {
        for (i, s) in model.statements.iter().enumerate() {
            let a = s.account.as_ref();
            let kind = match (a, s.kind) {
                (Some(a), _) => a.kind.as_str(),
                (None, StatementKind::Bank) => "bank",
                (None, StatementKind::CreditCard) => "credit_card",
                (None, StatementKind::Investment) => "investment",
            };
            let base = Row {
                source,
                statement: u32::try_from(i + 1).unwrap_or(u32::MAX),
                account_kind: kind,
                bank_id: a.and_then(|a| a.bank_id),
                branch_id: a.and_then(|a| a.branch_id),
                broker_id: a.and_then(|a| a.broker_id),
                account_id: a.and_then(|a| a.account_id),
                account_type: a.map(|a| a.type_label()).filter(|t| !t.is_empty()),
                currency: s.currency,
                date_posted: None,
                date_user: None,
                amount: None,
                kind: None,
                fitid: None,
                name: None,
                memo: None,
                check_number: None,
                reference: None,
                correct_fitid: None,
                correct_action: None,
                security_id: None,
                units: None,
                unit_price: None,
                problems: None,
            };
            // Bank and investment transactions in file order, as the rows of
            // `convert --what transactions` come.
            let first = self.rows.len();
            let mut starts = Vec::new();
            for t in &s.transactions {
                let mut r = base.clone();
                r.date_posted = t.date_posted.as_ref().map(|d| d.value.clone());
                r.date_user = t.date_user.as_ref().map(|d| d.value.naive_date());
                r.amount = t.amount.as_ref().map(|a| a.value);
                r.kind = t.trntype.as_ref().map(|c| c.as_str().to_owned());
                r.fitid = t.fitid;
                r.name = t.display_name();
                r.memo = t.memo.as_ref().map(|m| m.to_string());
                r.check_number = t.check_number;
                r.reference = t.reference;
                r.correct_fitid = t.correct_fitid;
                r.correct_action = t.correct_action.as_ref().map(|c| c.as_str().to_owned());
                r.problems = (!t.problems.is_empty()).then(|| t.problems.join(","));
                self.rows.push(r);
                starts.push(t.span.start);
            }
            for t in &s.investment_transactions {
                let mut r = base.clone();
                let id = t.security.as_ref().and_then(|s| s.unique_id);
                let security = t.security_in(&model.securities);
                r.date_posted = t.date_trade.as_ref().map(|d| d.value.clone());
                r.amount = t.total.as_ref().map(|a| a.value);
                r.kind = Some(t.kind.to_owned());
                r.fitid = t.fitid;
                r.name = security.and_then(|s| s.name.or(s.ticker)).or(id);
                r.memo = t.memo.map(str::to_owned);
                r.security_id = id;
                r.units = t.units.as_ref().map(|a| a.value);
                r.unit_price = t.unit_price.as_ref().map(|a| a.value);
                r.problems = (!t.problems.is_empty()).then(|| t.problems.join(","));
                self.rows.push(r);
                starts.push(t.span.start);
            }
            if !s.transactions.is_empty() && !s.investment_transactions.is_empty() {
                // A stable sort: rows at one place keep bank before investment.
                let rows = self.rows.split_off(first);
                let mut placed: Vec<_> = starts.into_iter().zip(rows).collect();
                placed.sort_by_key(|(start, _)| *start);
                self.rows.extend(placed.into_iter().map(|(_, r)| r));
            }
        }
    }

    /// The directory (`account=…` or `month=…`) row `i` goes to.
    pub fn partition_key(&self, i: usize, by: Partition) -> String {
        let Some(r) = self.rows.get(i) else { return String::new() };
        match by {
            Partition::Account => {
                format!("account={}", account_component(r.account_id.unwrap_or("")))
            }
            Partition::Month => match &r.date_posted {
                Some(d) => format!("month={}", d.naive_date().format("%Y-%m")),
                None => "month=none".to_owned(),
            },
        }
    }

    /// Writes rows `rows` (indices) as one Parquet file to `out`.
    pub fn write<W: Write + Send>(&self, rows: &[usize], out: W) -> Result<(), ParquetError> {
        let (amount_scale, units_scale, price_scale) = (SCALE, SCALE, SCALE);
        let schema = schema();
        let props = properties();
        let mut writer = ArrowWriter::try_new(out, schema.clone(), Some(props))?;
        for chunk in rows.chunks(ROW_GROUP_ROWS) {
            let batch =
                self.batch(chunk, schema.clone(), (amount_scale, units_scale, price_scale))?;
            writer.write(&batch)?;
        }
        writer.close()?;
        Ok(())
    }

    fn batch(
        &self,
        rows: &[usize],
        schema: Arc<Schema>,
        (amount_scale, units_scale, price_scale): (u32, u32, u32),
    ) -> Result<RecordBatch, ParquetError> {
        let n = rows.len();
        let mut source = StringBuilder::new();
        let mut statement = UInt32Builder::with_capacity(n);
        let mut dicts: Vec<StringDictionaryBuilder<Int32Type>> =
            (0..9).map(|_| StringDictionaryBuilder::new()).collect();
        let mut date = Date32Builder::with_capacity(n);
        let mut posted = TimestampMillisecondBuilder::with_capacity(n);
        let mut offset = Int32Builder::with_capacity(n);
        let mut user = Date32Builder::with_capacity(n);
        let decimal =
            |s: u32| Decimal128Builder::with_capacity(n).with_precision_and_scale(38, s as i8);
        let mut amount = decimal(amount_scale)?;
        let mut units = decimal(units_scale)?;
        let mut price = decimal(price_scale)?;
        let mut texts: Vec<StringBuilder> = (0..8).map(|_| StringBuilder::new()).collect();
        let mut row_no = UInt64Builder::with_capacity(n);
        let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
        let days = |d: chrono::NaiveDate| i32::try_from((d - epoch).num_days()).ok();
        for &i in rows {
            let Some(r) = self.rows.get(i) else { continue };
            source.append_value(r.source);
            statement.append_value(r.statement);
            let codes = [
                Some(r.account_kind),
                r.bank_id,
                r.branch_id,
                r.broker_id,
                r.account_id,
                r.account_type.as_deref(),
                r.currency,
                r.kind.as_deref(),
                r.correct_action.as_deref(),
            ];
            for (b, v) in dicts.iter_mut().zip(codes) {
                match v {
                    Some(v) => b.append_value(v),
                    None => b.append_null(),
                }
            }
            let d = r.date_posted.as_ref();
            date.append_option(d.and_then(|d| days(d.naive_date())));
            posted.append_option(d.map(|d| d.naive().and_utc().timestamp_millis()));
            offset.append_option(d.and_then(|d| d.offset()).map(|o| o.local_minus_utc() / 60));
            user.append_option(r.date_user.and_then(days));
            amount.append_option(r.amount.map(|a| scaled(a, amount_scale)).transpose()?);
            units.append_option(r.units.map(|a| scaled(a, units_scale)).transpose()?);
            price.append_option(r.unit_price.map(|a| scaled(a, price_scale)).transpose()?);
            let values = [
                r.fitid,
                r.name,
                r.memo.as_deref(),
                r.check_number,
                r.reference,
                r.correct_fitid,
                r.security_id,
                r.problems.as_deref(),
            ];
            for (b, v) in texts.iter_mut().zip(values) {
                b.append_option(v);
            }
            row_no.append_value(i as u64 + 1);
        }
        let mut d = dicts.into_iter().map(|mut b| Arc::new(b.finish()) as ArrayRef);
        let mut t = texts.into_iter().map(|mut b| Arc::new(b.finish()) as ArrayRef);
        let next = |it: &mut dyn Iterator<Item = ArrayRef>| {
            it.next().ok_or_else(|| ParquetError("column count".to_owned()))
        };
        let columns: Vec<ArrayRef> = vec![
            Arc::new(source.finish()),
            Arc::new(statement.finish()),
            next(&mut d)?,
            next(&mut d)?,
            next(&mut d)?,
            next(&mut d)?,
            next(&mut d)?,
            next(&mut d)?,
            next(&mut d)?,
            Arc::new(date.finish()),
            Arc::new(posted.finish()),
            Arc::new(offset.finish()),
            Arc::new(user.finish()),
            Arc::new(amount.finish()),
            next(&mut d)?,
            next(&mut t)?,
            next(&mut t)?,
            next(&mut t)?,
            next(&mut t)?,
            next(&mut t)?,
            next(&mut t)?,
            next(&mut d)?,
            next(&mut t)?,
            Arc::new(units.finish()),
            Arc::new(price.finish()),
            next(&mut t)?,
            Arc::new(row_no.finish()),
        ];
        Ok(RecordBatch::try_new(schema, columns)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::Array;
    use arrow_array::cast::AsArray;
    use arrow_array::types::{Date32Type, Decimal128Type, TimestampMillisecondType};
    use arrow_schema::DataType;

    #[test]
    fn values_read_back_typed_and_exact() {
        let bytes = b"<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>EUR\
            <BANKACCTFROM><BANKID>1<ACCTID>DE42<ACCTTYPE>CHECKING</BANKACCTFROM><BANKTRANLIST>\
            <STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20240105233000[-5:EST]<TRNAMT>-200,05<FITID>1</STMTTRN>\
            <STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20240201<TRNAMT>0.000000000000000001<FITID>2</STMTTRN>\
            </BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>";
        let doc = crate::parse(bytes).unwrap();
        let mut table = TransactionTable::new();
        table.add_model("a.ofx", doc.model());
        assert_eq!(table.partition_key(1, Partition::Account), "account=DE42");
        let path =
            std::env::temp_dir().join(format!("ofxkit-parquet-{}.parquet", std::process::id()));
        table.write(&[0, 1], std::fs::File::create(&path).unwrap()).unwrap();
        let file = std::fs::File::open(&path).unwrap();
        let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file)
            .unwrap()
            .build()
            .unwrap();
        let batches: Vec<RecordBatch> = reader.map(|b| b.unwrap()).collect();
        let _ = std::fs::remove_file(&path);
        let b = &batches[0];
        assert_eq!(b.num_rows(), 2);
        let amount = b.column_by_name("amount").unwrap().as_primitive::<Decimal128Type>();
        assert_eq!(amount.data_type(), &DataType::Decimal128(38, 18));
        assert_eq!(amount.value(0), -20005 * 10i128.pow(16));
        assert_eq!(amount.value(1), 1);
        let date = b.column_by_name("date").unwrap().as_primitive::<Date32Type>();
        // 2024-01-05 as written, not moved to the next day in UTC.
        assert_eq!(date.value(0), 19727);
        let posted =
            b.column_by_name("date_posted").unwrap().as_primitive::<TimestampMillisecondType>();
        assert_eq!(posted.value(0), 1_704_497_400_000, "23:30 wall time, not adjusted");
        let offset = b.column_by_name("date_posted_offset").unwrap().as_primitive::<Int32Type>();
        assert_eq!(offset.value(0), -300);
        assert!(offset.is_null(1));
        let kind = b.column_by_name("account_kind").unwrap();
        assert!(matches!(kind.data_type(), DataType::Dictionary(..)));
    }

    #[test]
    fn decimals_are_scaled_exactly_or_refused() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(scaled(d("-200.5"), 2).unwrap(), -20050);
        assert_eq!(scaled(d("1.500000000000000000000"), 18).unwrap(), 15 * 10i128.pow(17));
        assert!(scaled(d("0.0000000000000000000001"), 18).is_err());
        assert!(scaled(d("79228162514264337593543950335"), 18).is_err());
    }
}
