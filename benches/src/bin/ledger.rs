//! Imports a large statement into a fresh SQLite ledger, then a small refresh of it, and
//! prints the rates, the refresh's share of the full import's time and the peak memory
//! against the file size.
//!
//! ```text
//! cargo run -p ofxkit-benches --release --bin gen -- --flavor sgml -n 1000000 -o /tmp/1m.ofx
//! cargo run -p ofxkit-benches --release --bin ledger -- /tmp/1m.ofx --db /tmp/1m.db
//! ```
//!
//! The refresh is made from the history: the same head (a `DTSERVER` one day later), its
//! last `--refresh` transactions minus `--new`, and `--new` transactions it does not hold
//! (the last ones again under new FITIDs) — what a daily download with a few days of
//! overlap looks like.
#![forbid(unsafe_code)]

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;
use ofxkit_benches::memory::peak_rss;
use ofxkit_ledger::{ImportOptions, Imported, Ledger};

/// Import FILE into a new SQLite ledger, then a refresh.
#[derive(Parser)]
#[command(name = "ledger")]
struct Args {
    /// The history (an OFX 1.x file from `gen`).
    file: PathBuf,
    /// The ledger file (replaced).
    #[arg(long, default_value = "/tmp/ofxkit-ledger-bench.db")]
    db: PathBuf,
    /// Transactions in the refresh.
    #[arg(long, default_value_t = 1000)]
    refresh: usize,
    /// Of which new to the ledger.
    #[arg(long, default_value_t = 100)]
    new: usize,
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ledger: {e}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &Args) -> Result<(), Box<dyn std::error::Error>> {
    let history = std::fs::read(&args.file)?;
    let refresh = refresh_of(&history, args.refresh, args.new).ok_or("not a file from gen")?;
    for suffix in ["", "-wal", "-shm"] {
        let mut p = args.db.clone().into_os_string();
        p.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
    let mut ledger = Ledger::open_sqlite(&args.db)?;
    let options = ImportOptions::default();
    let c0 = cpu_seconds();
    let t0 = Instant::now();
    let full = ledger.import("history.ofx", &history, &options)?;
    let t1 = t0.elapsed().as_secs_f64();
    let c1 = cpu_seconds();
    let t2 = Instant::now();
    let small = ledger.import("refresh.ofx", &refresh, &options)?;
    let t3 = t2.elapsed().as_secs_f64();
    let c2 = cpu_seconds();
    let (Imported::Session(full), Imported::Session(small)) = (full, small) else {
        return Err("the files were imported before".into());
    };
    let n = full.counts.added;
    let mb = history.len() as f64 / 1e6;
    println!(
        "history: {n} transactions ({mb:.1} MB) in {t1:.2} s: {:.0} transactions/s",
        n as f64 / t1
    );
    if let (Some(c0), Some(c1), Some(c2)) = (c0, c1, c2) {
        println!(
            "  on-CPU time (this thread, user and system): {:.2} s: {:.0} transactions/s; \
             refresh {:.1} ms: {:.3} %",
            c1 - c0,
            n as f64 / (c1 - c0),
            (c2 - c1) * 1e3,
            100.0 * (c2 - c1) / (c1 - c0)
        );
    }
    println!(
        "refresh: {} transactions ({} added, {} unchanged) in {:.1} ms: {:.3} % of the full import",
        small.counts.added + small.counts.unchanged + small.counts.updated,
        small.counts.added,
        small.counts.unchanged,
        t3 * 1e3,
        100.0 * t3 / t1
    );
    if let Some(peak) = peak_rss() {
        println!(
            "peak RSS {:.1} MB: {:.2}x the file",
            peak as f64 / 1e6,
            peak as f64 / history.len() as f64
        );
    }
    Ok(())
}

/// This thread's time on a CPU so far (`/proc/thread-self/schedstat`, nanoseconds), in
/// seconds: the import's own work, whatever else the machine runs.
fn cpu_seconds() -> Option<f64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = text.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e9)
}

/// The refresh described above, or `None` when `history` is not shaped like `gen`'s files.
fn refresh_of(history: &[u8], total: usize, new: usize) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(history).ok()?;
    let first = text.find("<STMTTRN>")?;
    let end = text.rfind("</BANKTRANLIST>")?;
    let body = text.get(first..end)?;
    let blocks: Vec<&str> =
        body.split_inclusive("</STMTTRN>").filter(|b| b.contains("<STMTTRN>")).collect();
    let last = blocks.get(blocks.len().saturating_sub(total)..)?;
    let head = text.get(..first)?.replacen("<DTSERVER>20241231", "<DTSERVER>20250101", 1);
    let mut out = head;
    let (kept, again) = last.split_at(last.len().saturating_sub(new));
    for b in kept {
        out.push_str(b.trim_start_matches('\n'));
        out.push('\n');
    }
    for b in again {
        out.push_str(&b.trim_start_matches('\n').replacen("<FITID>", "<FITID>N", 1));
        out.push('\n');
    }
    out.push_str(text.get(end..)?);
    Some(out.into_bytes())
}
