//! The oracle of the streamed Parquet writer: `StreamedWriter` (rows typed as they are read,
//! a row group at a time) writes the files `TransactionTable` writes from whole typed
//! models: the same schema and, read back with the `parquet` crate's reader, the same rows
//! with the same typed values, on every file of both corpora (and their prefixes), one
//! file per input and as datasets partitioned by account and by month.

#![cfg(feature = "parquet")]

mod common;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::corpus_and_regression_files;
use ofxkit::export::parquet::{Files, Partition, StreamedWriter, TransactionTable};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Row;

/// Files in memory, by partition, in the order finished.
#[derive(Default)]
struct Memory(BTreeMap<String, Vec<Vec<u8>>>);

impl Files for Memory {
    type File = Vec<u8>;

    fn create(&mut self, key: &str, number: u32) -> std::io::Result<Vec<u8>> {
        let finished = self.0.get(key).map_or(0, Vec::len);
        assert_eq!(number as usize, finished + 1, "{key}: files are numbered in order");
        Ok(Vec::new())
    }

    fn finish(&mut self, key: &str, file: Vec<u8>) -> std::io::Result<()> {
        self.0.entry(key.to_owned()).or_default().push(file);
        Ok(())
    }
}

/// A file's schema (as Arrow reads it) and rows (as the `parquet` crate's record reader
/// reads them).
fn read_back(bytes: &[u8]) -> (String, Vec<Row>) {
    static N: AtomicUsize = AtomicUsize::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed);
    let path =
        std::env::temp_dir().join(format!("ofxkit-parquet-oracle-{}-{n}", std::process::id()));
    std::fs::write(&path, bytes).expect("temporary file");
    let file = std::fs::File::open(&path).expect("written");
    let schema =
        format!("{:?}", ParquetRecordBatchReaderBuilder::try_new(file).expect("Parquet").schema());
    let reader =
        SerializedFileReader::new(std::fs::File::open(&path).expect("written")).expect("Parquet");
    let rows = reader.get_row_iter(None).expect("rows").map(|r| r.expect("a row")).collect();
    let _ = std::fs::remove_file(&path);
    (schema, rows)
}

/// The reference: every input parsed whole into one table, written per partition key (or as
/// one file).
fn by_table(inputs: &[(&str, &[u8])], by: Option<Partition>) -> BTreeMap<String, Vec<u8>> {
    let docs: Vec<_> = inputs.iter().map(|(_, b)| ofxkit::parse(b)).collect();
    let mut table = TransactionTable::new();
    for ((name, _), doc) in inputs.iter().zip(&docs) {
        if let Ok(doc) = doc {
            table.add_model(name, doc.model());
        }
    }
    let mut parts: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for i in 0..table.len() {
        let key = by.map_or(String::new(), |by| table.partition_key(i, by));
        parts.entry(key).or_default().push(i);
    }
    parts
        .into_iter()
        .map(|(key, rows)| {
            let mut out = Vec::new();
            table.write(&rows, &mut out).expect("written");
            (key, out)
        })
        .collect()
}

/// The streamed writer over the same inputs; the number of rows.
fn streamed(inputs: &[(&str, &[u8])], by: Option<Partition>) -> (Memory, u64) {
    let mut writer = StreamedWriter::new(Memory::default(), by);
    for (name, bytes) in inputs {
        let parsed = ofxkit::parse(bytes).is_ok();
        let read = writer.add_reader(name, *bytes, &Default::default());
        assert_eq!(read.is_ok(), parsed, "{name}: read {:?}", read.err().map(|e| e.error));
    }
    let rows = writer.rows();
    (writer.finish().expect("finished"), rows)
}

/// Compares the two ways; returns the number of rows.
fn agree(what: &str, inputs: &[(&str, &[u8])], by: Option<Partition>) -> u64 {
    let reference = by_table(inputs, by);
    let (files, rows) = streamed(inputs, by);
    let keys: Vec<_> = files.0.keys().collect();
    assert_eq!(keys, reference.keys().collect::<Vec<_>>(), "{what}: partitions");
    let mut total = 0;
    for (key, expected) in &reference {
        let (schema, expected) = read_back(expected);
        let mut got = Vec::new();
        for file in &files.0[key] {
            let (s, rows) = read_back(file);
            assert_eq!(s, schema, "{what} {key}: schema");
            got.extend(rows);
        }
        assert_eq!(got.len(), expected.len(), "{what} {key}: rows");
        for (i, (g, e)) in got.iter().zip(&expected).enumerate() {
            assert_eq!(g, e, "{what} {key}: row {i}");
        }
        total += got.len() as u64;
    }
    assert_eq!(total, rows, "{what}: rows counted");
    total
}

#[test]
fn streamed_files_equal_the_whole_model_tables_on_every_corpus_file() {
    let files = corpus_and_regression_files();
    let all: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|p| (p.display().to_string(), std::fs::read(p).expect("readable")))
        .collect();
    let mut rows = 0;
    for (name, bytes) in &all {
        rows += agree(name, &[(name, bytes)], None);
        for cut in [bytes.len() / 3, bytes.len() / 2, bytes.len().saturating_sub(9)] {
            let part = bytes.get(..cut).unwrap_or_default();
            agree(&format!("{name} cut at {cut}"), &[(name, part)], None);
        }
    }
    eprintln!("rows compared: {rows}");
    assert!(rows > 500, "rows compared: {rows}");
    let inputs: Vec<(&str, &[u8])> = all.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
    for by in [Partition::Account, Partition::Month] {
        assert_eq!(agree(&format!("all files by {by:?}"), &inputs, Some(by)), rows);
    }
}

/// A bank statement of `n` transactions posted in turn in 100 months, each row a new
/// partition's until all have one: every partition fills at once.
fn many_months(n: usize) -> Vec<u8> {
    let mut s = String::from(
        "<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>USD<BANKACCTFROM><BANKID>1\
         <ACCTID>2<ACCTTYPE>CHECKING</BANKACCTFROM><BANKTRANLIST>\n",
    );
    for i in 0..n {
        let month = i % 100;
        s.push_str(&format!(
            "<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>{}{:02}{:02}<TRNAMT>-{}.{:02}<FITID>T{i}\
             <NAME>SHOP {}</STMTTRN>\n",
            2000 + month / 12,
            1 + month % 12,
            1 + i % 28,
            i % 1000,
            i % 100,
            i % 7
        ));
    }
    s.push_str("</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\n");
    s.into_bytes()
}

/// More partitions than files may be open, filling at once: batches are handed to their
/// files as the rows held pass the bound, the files unused longest are finished and their
/// partitions go on in a second file; the rows are still the table's.
#[test]
fn many_partitions_stay_within_the_open_files_and_still_agree() {
    let bytes = many_months(80_000);
    let rows = agree("100 months", &[("months.ofx", &bytes)], Some(Partition::Month));
    assert_eq!(rows, 80_000);
    let (files, _) = streamed(&[("months.ofx", &bytes)], Some(Partition::Month));
    assert_eq!(files.0.len(), 100);
    let second = files.0.values().filter(|f| f.len() > 1).count();
    assert!(second > 0, "no partition was written in a second file");
}

/// A bank statement of plain transactions (escaped texts, a user date, a correction, an
/// amount with a decimal comma, a reference the reader reports on) with one in the middle
/// that is not plain (an account inside: read into the model, its row written as text): the
/// rows stay in order, the plain ones typed from their values, and the files are the
/// table's.
#[test]
fn rows_typed_from_values_and_from_text_keep_their_order() {
    let mut s = String::from(
        "<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>USD<BANKACCTFROM><BANKID>1\
         <ACCTID>2<ACCTTYPE>CHECKING</BANKACCTFROM><BANKTRANLIST>\n",
    );
    let plain = |s: &mut String, i: usize| {
        s.push_str(&format!(
            "<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>202401{:02}120000.500[-5:EST]\
             <DTUSER>20240102<TRNAMT>-{i}.5<FITID>T{i}<NAME>A &amp; \"B\" \\ {i}\
             <MEMO>tab\there &#233;</STMTTRN>\n",
            1 + i % 28
        ));
    };
    for i in 0..10 {
        plain(&mut s, i);
    }
    s.push_str(
        "<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20240110<TRNAMT>+1,5<FITID>C1\
         <CORRECTFITID>T1<CORRECTACTION>REPLACE<NAME>&nosuch;</STMTTRN>\n",
    );
    s.push_str(
        "<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20240111<TRNAMT>3<FITID>X\
         <BANKACCTTO><BANKID>9<ACCTID>8<ACCTTYPE>SAVINGS</BANKACCTTO></STMTTRN>\n",
    );
    for i in 20..25 {
        plain(&mut s, i);
    }
    s.push_str("</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\n");
    let bytes = s.into_bytes();
    let inputs = [("mixed.ofx", bytes.as_slice())];
    for by in [None, Some(Partition::Account), Some(Partition::Month)] {
        assert_eq!(agree(&format!("mixed {by:?}"), &inputs, by), 17);
    }
    let mut writer = StreamedWriter::new(Memory::default(), None);
    writer.add_reader("mixed.ofx", bytes.as_slice(), &Default::default()).expect("read");
    assert_eq!(writer.rows(), 17);
    // All but the one with an account in it.
    assert_eq!(writer.rows_from_values(), 16);
}
