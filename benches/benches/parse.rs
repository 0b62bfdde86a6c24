//! Reading: bytes → element tree (`parse_tree`), and bytes → tree + typed model
//! (`parse_model`).

mod common;

use std::hint::black_box;

use criterion::measurement::Measurement;
use criterion::{BenchmarkId, Criterion};
use ofxkit_benches::inputs::Input;

fn parse_tree<M: Measurement>(c: &mut Criterion<M>, inputs: &[Input]) {
    let mut group = common::group(c, "parse_tree");
    // With the DTDs' vocabulary, as `ofxkit::parse` reads.
    let dtd = ofxkit::with_dtd(&Default::default());
    common::each_input(&mut group, inputs, |group, input| {
        group.bench_with_input(
            BenchmarkId::from_parameter(input.label()),
            &input.bytes,
            |b, bytes| {
                b.iter(|| {
                    ofxkit::syntax::parse_with(black_box(bytes), &dtd).map(|doc| doc.tree().len())
                })
            },
        );
    });
    group.finish();
}

fn parse_model<M: Measurement>(c: &mut Criterion<M>, inputs: &[Input]) {
    let mut group = common::group(c, "parse_model");
    common::each_input(&mut group, inputs, |group, input| {
        group.bench_with_input(
            BenchmarkId::from_parameter(input.label()),
            &input.bytes,
            |b, bytes| {
                b.iter(|| {
                    let doc = ofxkit::parse(black_box(bytes))?;
                    let model = doc.model();
                    Ok::<_, ofxkit::Error>(
                        model.statements.iter().map(|s| s.transactions.len()).sum::<usize>(),
                    )
                })
            },
        );
    });
    group.finish();
}

fn benches<M: Measurement>(c: &mut Criterion<M>) {
    let inputs = common::inputs();
    parse_tree(c, &inputs);
    parse_model(c, &inputs);
}

fn main() {
    common::main(benches, benches);
}
