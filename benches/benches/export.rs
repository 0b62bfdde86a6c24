//! The accounting and analytics writers (`convert --to beancount|ledger|qif|parquet`) beside
//! CSV: `stream+write` times bytes → journal filled while the file is read
//! (`Journal::add_bytes`) → output, as `ofxkit convert` does for beancount, ledger and QIF,
//! and bytes → Parquet rows written a row group at a time (`StreamedWriter`), as it does for
//! Parquet; `parse+write` bytes → whole document → output (the model path, kept as the
//! reference); `write` the writer alone on an already parsed document. Output goes to a
//! reused `Vec<u8>`. The streamed Parquet writer encodes on a second thread: compare its
//! figures with the wall clock (`OFXKIT_BENCH_CLOCK=cpu` counts the bench thread only).

mod common;

use std::hint::black_box;
use std::io;

use criterion::measurement::Measurement;
use criterion::{BenchmarkId, Criterion};
use ofxkit::export::accounts::AccountMap;
use ofxkit::export::qif::DateOrder;
use ofxkit::export::{FinishOptions, Journal};

#[derive(Clone, Copy)]
enum To {
    Beancount,
    Ledger,
    Qif,
    Parquet,
}

/// Writes the transactions of `doc` as `to` into `out`; returns the output size.
fn write(doc: &ofxkit::Document<'_>, to: To, out: &mut Vec<u8>) -> io::Result<usize> {
    out.clear();
    let map = AccountMap::default();
    if let To::Parquet = to {
        let mut table = ofxkit::export::parquet::TransactionTable::new();
        table.add_model("statement.ofx", doc.model());
        let all: Vec<usize> = (0..table.len()).collect();
        table.write(&all, &mut *out).map_err(io::Error::other)?;
        return Ok(out.len());
    }
    let mut journal = Journal::new();
    journal.add_model(doc.model());
    let journal = journal.finish(&FinishOptions::default());
    match to {
        To::Beancount => ofxkit::export::beancount::write(&journal, &map, out)?,
        To::Ledger => ofxkit::export::ledger::write(&journal, &map, out)?,
        _ => ofxkit::export::qif::write(&journal, &map, DateOrder::Mdy, out)?,
    }
    Ok(out.len())
}

/// The streamed Parquet writer's one file, kept in memory.
struct Memory<'o>(&'o mut Vec<u8>);

impl ofxkit::export::parquet::Files for Memory<'_> {
    type File = Vec<u8>;

    fn create(&mut self, _: &str, _: u32) -> io::Result<Vec<u8>> {
        Ok(std::mem::take(self.0))
    }

    fn finish(&mut self, _: &str, file: Vec<u8>) -> io::Result<()> {
        *self.0 = file;
        Ok(())
    }
}

/// Writes the transaction rows of `bytes` as Parquet while they are read, into `out`.
fn stream_parquet(bytes: &[u8], out: &mut Vec<u8>) -> io::Result<usize> {
    out.clear();
    let mut writer = ofxkit::export::parquet::StreamedWriter::new(Memory(out), None);
    writer.add_reader("statement.ofx", bytes, &Default::default()).map_err(io::Error::other)?;
    writer.finish()?;
    Ok(out.len())
}

/// Reads `bytes` into a journal as the file is read, then writes it as `to` into `out`.
fn stream_and_write(bytes: &[u8], to: To, out: &mut Vec<u8>) -> io::Result<usize> {
    out.clear();
    let map = AccountMap::default();
    let mut journal = Journal::new();
    journal.add_bytes(bytes, &Default::default()).map_err(io::Error::other)?;
    let journal = journal.finish(&FinishOptions::default());
    match to {
        To::Beancount => ofxkit::export::beancount::write(&journal, &map, out)?,
        To::Ledger => ofxkit::export::ledger::write(&journal, &map, out)?,
        _ => ofxkit::export::qif::write(&journal, &map, DateOrder::Mdy, out)?,
    }
    Ok(out.len())
}

fn export_to<M: Measurement>(
    c: &mut Criterion<M>,
    inputs: &[ofxkit_benches::inputs::Input],
    to: To,
    name: &str,
) {
    let mut group = common::group(c, name);
    let mut out = Vec::new();
    common::each_input(&mut group, inputs, |group, input| {
        let id = BenchmarkId::new("stream+write", input.label());
        group.bench_with_input(id, &input.bytes, |b, bytes| match to {
            To::Parquet => b.iter(|| stream_parquet(black_box(bytes), &mut out)),
            _ => b.iter(|| stream_and_write(black_box(bytes), to, &mut out)),
        });
        let id = BenchmarkId::new("parse+write", input.label());
        group.bench_with_input(id, &input.bytes, |b, bytes| {
            b.iter(|| {
                let doc = ofxkit::parse(black_box(bytes)).map_err(io::Error::other)?;
                write(&doc, to, &mut out)
            })
        });
        let Ok(doc) = ofxkit::parse(&input.bytes) else {
            eprintln!("{name}/{}: the input does not parse", input.label());
            return;
        };
        group.bench_function(BenchmarkId::new("write", input.label()), |b| {
            b.iter(|| write(black_box(&doc), to, &mut out))
        });
    });
    group.finish();
}

fn benches<M: Measurement>(c: &mut Criterion<M>) {
    let inputs = common::inputs();
    export_to(c, &inputs, To::Beancount, "export_beancount");
    export_to(c, &inputs, To::Ledger, "export_ledger");
    export_to(c, &inputs, To::Qif, "export_qif");
    export_to(c, &inputs, To::Parquet, "export_parquet");
}

fn main() {
    common::main(benches, benches);
}
