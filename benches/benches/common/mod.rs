//! What every bench file shares: the inputs, the clock and the group settings.
//!
//! A bench file per hot path (`parse.rs`, `convert.rs`, `validate.rs`) declares `mod common;`, writes its benches as
//! `fn benches<M: Measurement>(c: &mut Criterion<M>)` using [`group`] and [`each_input`], and
//! ends with `fn main() { common::main(benches, benches) }`. Throughput is always the input
//! file's size, so every figure reads as MiB/s of OFX read.
//!
//! `OFXKIT_BENCH_CLOCK=cpu` measures this thread's CPU time instead of wall time: on a
//! machine shared with other builds, wall time also counts the time spent waiting for a core.

use std::time::Duration;

use criterion::measurement::{Measurement, ValueFormatter, WallTime};
use criterion::{BenchmarkGroup, Criterion, SamplingMode, Throughput};
use ofxkit_benches::inputs::{self, Input};

/// Runs the benches with the clock `OFXKIT_BENCH_CLOCK` names (`wall`, the default, or
/// `cpu`); the same function is passed twice, once per clock type.
pub fn main(wall: fn(&mut Criterion<WallTime>), cpu: fn(&mut Criterion<CpuTime>)) {
    if std::env::var("OFXKIT_BENCH_CLOCK").is_ok_and(|v| v.eq_ignore_ascii_case("cpu")) {
        if CpuTime::now().is_none() {
            eprintln!("OFXKIT_BENCH_CLOCK=cpu needs /proc/thread-self/schedstat");
            std::process::exit(2);
        }
        let mut c =
            Criterion::default().with_measurement(CpuTime { wall: WallTime }).configure_from_args();
        cpu(&mut c);
        c.final_summary();
    } else {
        let mut c = Criterion::default().configure_from_args();
        wall(&mut c);
        c.final_summary();
    }
}

/// CPU time of the current thread (user and system), from the first field of
/// `/proc/thread-self/schedstat` (nanoseconds on a CPU; the kernel brings it up to date at
/// each tick and context switch, so one reading is off by at most a tick, 1–10 ms: fine for
/// iterations of 100 ms and more, which these inputs give).
pub struct CpuTime {
    wall: WallTime,
}

impl CpuTime {
    fn now() -> Option<Duration> {
        let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
        let nanos = text.split_whitespace().next()?.parse().ok()?;
        Some(Duration::from_nanos(nanos))
    }
}

impl Measurement for CpuTime {
    type Intermediate = Duration;
    type Value = Duration;

    fn start(&self) -> Duration {
        CpuTime::now().unwrap_or_default()
    }
    fn end(&self, start: Duration) -> Duration {
        CpuTime::now().unwrap_or_default().saturating_sub(start)
    }
    fn add(&self, a: &Duration, b: &Duration) -> Duration {
        *a + *b
    }
    fn zero(&self) -> Duration {
        Duration::ZERO
    }
    fn to_f64(&self, value: &Duration) -> f64 {
        value.as_nanos() as f64
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        // Values are nanoseconds, as for wall time.
        self.wall.formatter()
    }
}

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
pub fn group<'c, M: Measurement>(c: &'c mut Criterion<M>, name: &str) -> BenchmarkGroup<'c, M> {
    let mut group = c.benchmark_group(name);
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    group
}

/// Runs `bench` once per input with the input's size as throughput.
pub fn each_input<M: Measurement>(
    group: &mut BenchmarkGroup<'_, M>,
    inputs: &[Input],
    mut bench: impl FnMut(&mut BenchmarkGroup<'_, M>, &Input),
) {
    for input in inputs {
        group.throughput(Throughput::Bytes(input.bytes.len() as u64));
        bench(group, input);
    }
}
