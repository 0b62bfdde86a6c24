//! Validation with the default options (profile read from the file): `validate` times
//! `ofxkit::validate::validate` on a document parsed once outside the loop, `parse+validate`
//! bytes → report the plain way (the whole tree), `validate_bytes` bytes → report in one pass
//! (a statement's transactions checked as they are read, as `ofxkit validate` does).

mod common;

use std::hint::black_box;

use criterion::measurement::Measurement;
use criterion::{BenchmarkId, Criterion};
use ofxkit::validate::{ValidateOptions, validate, validate_bytes};
use ofxkit_benches::inputs::Input;

/// `validate`: the document is parsed once, outside the loop; only validation is timed.
fn validate_only<M: Measurement>(
    c: &mut Criterion<M>,
    inputs: &[Input],
    options: &ValidateOptions,
) {
    let mut group = common::group(c, "validate");
    common::each_input(&mut group, inputs, |group, input| {
        let Ok(doc) = ofxkit::parse(&input.bytes) else {
            eprintln!("validate/{}: the input does not parse", input.label());
            return;
        };
        group.bench_function(BenchmarkId::from_parameter(input.label()), |b| {
            b.iter(|| validate(black_box(&doc), options).findings.len())
        });
    });
    group.finish();
}

/// `parse+validate`: bytes → report, as `ofxkit validate` does after reading the file.
fn parse_and_validate<M: Measurement>(
    c: &mut Criterion<M>,
    inputs: &[Input],
    options: &ValidateOptions,
) {
    let mut group = common::group(c, "parse+validate");
    common::each_input(&mut group, inputs, |group, input| {
        group.bench_with_input(
            BenchmarkId::from_parameter(input.label()),
            &input.bytes,
            |b, bytes| {
                b.iter(|| {
                    let doc = ofxkit::parse(black_box(bytes))?;
                    Ok::<_, ofxkit::Error>(validate(&doc, options).findings.len())
                })
            },
        );
    });
    group.finish();
}

/// `validate_bytes`: bytes → report in one pass, as `ofxkit validate` does after reading the
/// file.
fn read_and_validate<M: Measurement>(
    c: &mut Criterion<M>,
    inputs: &[Input],
    options: &ValidateOptions,
) {
    let mut group = common::group(c, "validate_bytes");
    common::each_input(&mut group, inputs, |group, input| {
        group.bench_with_input(
            BenchmarkId::from_parameter(input.label()),
            &input.bytes,
            |b, bytes| {
                b.iter(|| {
                    let (_, report) =
                        validate_bytes(black_box(bytes), &Default::default(), options)?;
                    Ok::<_, ofxkit::ParseError>(report.findings.len())
                })
            },
        );
    });
    group.finish();
}

fn benches<M: Measurement>(c: &mut Criterion<M>) {
    let inputs = common::inputs();
    let options = ValidateOptions::default();
    validate_only(c, &inputs, &options);
    parse_and_validate(c, &inputs, &options);
    read_and_validate(c, &inputs, &options);
}

fn main() {
    common::main(benches, benches);
}
