//! Times plain parsing against parsing plus validation of one file (release build):
//!
//! ```sh
//! python3 ../shared/bench/gen_ofx.py -n 500000 --flavor sgml -o /tmp/big.ofx
//! cargo run --release -p ofxkit-benches --bin validate_timing /tmp/big.ofx
//! ```
//!
//! Prints the best of five runs of each, in MB/s, and the ratio the issue asks about
//! (validation must run at no less than half the speed of parsing).

use std::time::{Duration, Instant};

use ofxkit::validate::{ValidateOptions, validate};

fn best(mut f: impl FnMut() -> usize) -> (Duration, usize) {
    let mut best = Duration::MAX;
    let mut n = 0;
    for _ in 0..5 {
        let t = Instant::now();
        n = f();
        best = best.min(t.elapsed());
    }
    (best, n)
}

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: validate_timing FILE");
        std::process::exit(2);
    };
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(2);
        }
    };
    let mb = bytes.len() as f64 / 1e6;
    // `MODE=parse` or `MODE=both`: one run of that only (for `perf stat`, whose instruction
    // counts do not depend on what else the machine is doing).
    match std::env::var("MODE").as_deref() {
        Ok("parse") => {
            let n = ofxkit::parse(&bytes).map_or(0, |d| d.syntax().tree().len());
            println!("{n} elements");
            return;
        }
        Ok("both") => {
            let options = ValidateOptions::default();
            let n = ofxkit::parse(&bytes).map_or(0, |d| validate(&d, &options).findings.len());
            println!("{n} findings");
            return;
        }
        _ => {}
    }
    if std::env::var_os("VALIDATE_ONLY").is_some() {
        let options = ValidateOptions::default();
        if let Ok(doc) = ofxkit::parse(&bytes) {
            let (t, n) = best(|| validate(&doc, &options).findings.len());
            println!("validate alone: {:.3} s, {n} findings", t.as_secs_f64());
        }
        return;
    }
    let (parse, elements) = best(|| ofxkit::parse(&bytes).map_or(0, |d| d.syntax().tree().len()));
    let options = ValidateOptions::default();
    let (both, findings) =
        best(|| ofxkit::parse(&bytes).map_or(0, |d| validate(&d, &options).findings.len()));
    let doc = ofxkit::parse(&bytes).ok();
    let (alone, _) = best(|| doc.as_ref().map_or(0, |d| validate(d, &options).findings.len()));
    let p = mb / parse.as_secs_f64();
    let v = mb / both.as_secs_f64();
    println!("{path}: {mb:.1} MB, {elements} elements, {findings} findings");
    println!("parse:            {:>8.3} s  {p:>7.1} MB/s", parse.as_secs_f64());
    println!("parse + validate: {:>8.3} s  {v:>7.1} MB/s", both.as_secs_f64());
    println!("validate alone:   {:>8.3} s", alone.as_secs_f64());
    println!("validate speed / parse speed: {:.2} (must be >= 0.50)", v / p);
}
