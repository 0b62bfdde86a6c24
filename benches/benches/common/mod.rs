//! What every bench file shares: the inputs and the group settings.
//!
//! A bench file per hot path (`parse.rs`, `convert.rs`, and `validate.rs` once
//! `ofxkit::validate` lands) declares `mod common;`, then for each group calls [`group`] and
//! [`each_input`]. Throughput is always the input file's size, so every figure reads as MB/s
//! of OFX read.

use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, SamplingMode, Throughput};
use ofxkit_benches::inputs::{self, Input};

/// The generated inputs (see `ofxkit_benches::inputs` for the environment variables).
pub fn inputs() -> Vec<Input> {
    let inputs = inputs::from_env();
    for input in &inputs {
        eprintln!("input {}: {:.1} MB", input.label(), input.bytes.len() as f64 / 1e6);
    }
    inputs
}

/// A group sized for inputs of 10–250 MB: flat sampling (the same iteration count in every
/// sample), 10 samples, 1 s warm-up, 5 s of measurement (criterion runs at least one
/// iteration per sample however long it takes).
pub fn group<'c>(c: &'c mut Criterion, name: &str) -> BenchmarkGroup<'c, WallTime> {
    let mut group = c.benchmark_group(name);
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    group
}

/// Runs `bench` once per input with the input's size as throughput.
pub fn each_input(
    group: &mut BenchmarkGroup<'_, WallTime>,
    inputs: &[Input],
    mut bench: impl FnMut(&mut BenchmarkGroup<'_, WallTime>, &Input),
) {
    for input in inputs {
        group.throughput(Throughput::Bytes(input.bytes.len() as u64));
        bench(group, input);
    }
}
