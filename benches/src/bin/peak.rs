//! Reads a file the way a hot path does and prints the process's peak resident memory
//! relative to the file size.
//!
//! ```text
//! cargo run -p ofxkit-benches --release --bin peak -- /tmp/1m.ofx --stage csv
//! ```
#![forbid(unsafe_code)]

use std::io;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, ValueEnum};
use ofxkit::convert::{ConvertOptions, Converter, Target, What};
use ofxkit_benches::memory::{current_rss, peak_rss};

/// Print peak RSS (VmHWM) after reading FILE, as a multiple of the file size.
#[derive(Parser)]
#[command(name = "peak")]
struct Args {
    /// The file to read.
    file: PathBuf,
    /// How far to go: the element tree, the typed model, or a conversion to io::sink().
    #[arg(long, value_enum, default_value = "tree")]
    stage: Stage,
    /// Run the stage this many times more on the bytes already read, printing the time of
    /// each run (the steady state, without reading the file).
    #[arg(long, default_value_t = 0)]
    again: u32,
}

#[derive(Clone, Copy, ValueEnum)]
enum Stage {
    /// `ofxkit_syntax::parse_with` and the DTDs' vocabulary (what `ofxkit::parse` reads with).
    Tree,
    /// `ofxkit::parse` and `Document::model`.
    Model,
    /// Transactions to CSV, as `ofxkit convert` does (`Converter::add_bytes`: streaming).
    Csv,
    /// Transactions to NDJSON, the same way.
    Ndjson,
    /// The whole document to JSON (`ofxkit convert --to json`).
    Json,
    /// Statement rows to CSV (`ofxkit convert --what statements`).
    Statements,
    /// `ofxkit::parse` and `validate::validate` with the default options (what `ofxkit
    /// validate` does before placing and writing the findings).
    Validate,
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("peak: {}: {e}", args.file.display());
            ExitCode::from(2)
        }
    }
}

fn run(args: &Args) -> io::Result<()> {
    let before = current_rss().unwrap_or(0);
    let start = Instant::now();
    let bytes = std::fs::read(&args.file)?;
    let size = bytes.len() as f64;
    let (count, what) = stage(args.stage, &bytes)?;
    let elapsed = start.elapsed().as_secs_f64();
    let peak = peak_rss().ok_or_else(|| io::Error::other("no /proc/self/status"))? as f64;
    let mb = |b: f64| b / 1e6;
    println!(
        "file {:.1} MB, peak RSS {:.1} MB ({:.2}x the file; {:.1} MB before reading), \
         {:.2} s ({:.0} MB/s), {count} {what}",
        mb(size),
        mb(peak),
        peak / size.max(1.0),
        mb(before as f64),
        elapsed,
        mb(size) / elapsed.max(1e-9),
    );
    for _ in 0..args.again {
        let start = Instant::now();
        stage(args.stage, &bytes)?;
        let elapsed = start.elapsed().as_secs_f64();
        println!("again: {elapsed:.3} s ({:.0} MB/s)", mb(size) / elapsed.max(1e-9));
    }
    Ok(())
}

/// Runs one stage on `bytes`: returns what it counted and what the count is of.
fn stage(stage: Stage, bytes: &[u8]) -> io::Result<(usize, &'static str)> {
    Ok(match stage {
        Stage::Tree => (
            ofxkit_syntax::parse_with(bytes, &ofxkit::with_dtd(&Default::default()))
                .map_err(io::Error::other)?
                .tree()
                .len(),
            "elements",
        ),
        Stage::Model => {
            let doc = ofxkit::parse(bytes).map_err(io::Error::other)?;
            (doc.model().statements.iter().map(|s| s.transactions.len()).sum(), "transactions")
        }
        Stage::Csv | Stage::Ndjson => {
            let target = if matches!(stage, Stage::Csv) { Target::Csv } else { Target::Ndjson };
            let options =
                ConvertOptions { target, what: What::Transactions, ..ConvertOptions::default() };
            let mut converter = Converter::new(io::sink(), options)?;
            let (_, diagnostics) = converter
                .add_bytes("file", bytes, &ofxkit::syntax::Options::default())
                .map_err(io::Error::other)?;
            converter.finish()?;
            (diagnostics.len(), "findings")
        }
        Stage::Validate => {
            let doc = ofxkit::parse(bytes).map_err(io::Error::other)?;
            let options = ofxkit::validate::ValidateOptions::default();
            (ofxkit::validate::validate(&doc, &options).findings.len(), "findings")
        }
        Stage::Json | Stage::Statements => {
            let (target, what) = match stage {
                Stage::Json => (Target::Json, What::Documents),
                _ => (Target::Csv, What::Statements),
            };
            let options = ConvertOptions { target, what, ..ConvertOptions::default() };
            let mut converter = Converter::new(io::sink(), options)?;
            let (_, diagnostics) = converter
                .add_bytes("file", bytes, &ofxkit::syntax::Options::default())
                .map_err(io::Error::other)?;
            converter.finish()?;
            (diagnostics.len(), "findings")
        }
    })
}
