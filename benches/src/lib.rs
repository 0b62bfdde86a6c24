//! # ofxkit-benches
//!
//! Benchmarks for ofxkit (`benches/`, criterion), a generator of large synthetic statement
//! files ([`generator`], `--bin gen`) and a peak-memory probe (`--bin peak`). See
//! `benches/README.md` for how to run them and the figures measured so far.
//!
//! The benches share [`inputs`]: generated files sized by the `OFXKIT_BENCH_TRANSACTIONS`
//! environment variable, so adding a bench for a new hot path is a short file in `benches/`.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod generator;
pub mod inputs;
pub mod memory;
