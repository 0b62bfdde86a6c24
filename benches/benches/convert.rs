//! Conversion of every transaction to CSV (`convert_csv`) and NDJSON (`convert_ndjson`):
//! `stream` times bytes → output as `ofxkit convert` does (`Converter::add_bytes`, rows
//! written while the file is read), `parse+write` bytes → whole document → output
//! (`ofxkit::parse` then `Converter::add`), `write` the conversion of an already parsed
//! document alone. Output goes to a reused `Vec<u8>`.

mod common;

use std::hint::black_box;
use std::io;

use criterion::measurement::Measurement;
use criterion::{BenchmarkId, Criterion};
use ofxkit::convert::{ConvertOptions, Converter, Target, What};
use ofxkit_benches::inputs::Input;

/// Converts the transactions of `doc` into `out`; returns the output size.
fn write_transactions(
    doc: &ofxkit::Document<'_>,
    target: Target,
    out: &mut Vec<u8>,
) -> io::Result<usize> {
    out.clear();
    let options = ConvertOptions { target, what: What::Transactions, ..ConvertOptions::default() };
    let mut converter = Converter::new(&mut *out, options)?;
    converter.add("statement.ofx", doc)?;
    converter.finish()?;
    Ok(out.len())
}

/// Reads `bytes` and converts its transactions into `out` as `ofxkit convert` does
/// (`Converter::add_bytes`: rows written while the file is read); returns the output size.
fn stream_transactions(bytes: &[u8], target: Target, out: &mut Vec<u8>) -> io::Result<usize> {
    out.clear();
    let options = ConvertOptions { target, what: What::Transactions, ..ConvertOptions::default() };
    let mut converter = Converter::new(&mut *out, options)?;
    converter
        .add_bytes("statement.ofx", bytes, &ofxkit::syntax::Options::default())
        .map_err(io::Error::other)?;
    converter.finish()?;
    Ok(out.len())
}

fn convert_to<M: Measurement>(c: &mut Criterion<M>, inputs: &[Input], target: Target, name: &str) {
    let mut group = common::group(c, name);
    let mut out = Vec::new();
    common::each_input(&mut group, inputs, |group, input| {
        let id = BenchmarkId::new("parse+write", input.label());
        group.bench_with_input(id, &input.bytes, |b, bytes| {
            b.iter(|| {
                let doc = ofxkit::parse(black_box(bytes)).map_err(io::Error::other)?;
                write_transactions(&doc, target, &mut out)
            })
        });
        let id = BenchmarkId::new("stream", input.label());
        group.bench_with_input(id, &input.bytes, |b, bytes| {
            b.iter(|| stream_transactions(black_box(bytes), target, &mut out))
        });
        let Ok(doc) = ofxkit::parse(&input.bytes) else {
            eprintln!("{name}/{}: the input does not parse", input.label());
            return;
        };
        group.bench_function(BenchmarkId::new("write", input.label()), |b| {
            b.iter(|| write_transactions(black_box(&doc), target, &mut out))
        });
    });
    group.finish();
}

fn benches<M: Measurement>(c: &mut Criterion<M>) {
    let inputs = common::inputs();
    convert_to(c, &inputs, Target::Csv, "convert_csv");
    convert_to(c, &inputs, Target::Ndjson, "convert_ndjson");
}

fn main() {
    common::main(benches, benches);
}
