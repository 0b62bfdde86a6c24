//! Writes a synthetic bank statement with N transactions (the files of
//! `../shared/bench/gen_ofx.py`, byte for byte).
//!
//! ```text
//! cargo run -p ofxkit-benches --release --bin gen -- --flavor sgml -n 1000000 -o /tmp/1m.ofx
//! ```
#![forbid(unsafe_code)]

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use ofxkit_benches::generator::{Eol, Flavor, GenOptions, generate};

/// Write a deterministic synthetic OFX / OFC bank statement.
#[derive(Parser)]
#[command(name = "gen")]
struct Args {
    /// Transactions over all statements.
    #[arg(short = 'n', long)]
    transactions: u64,
    /// sgml (OFX 1.02), xml (OFX 2.2) or ofc.
    #[arg(long, default_value = "sgml")]
    flavor: Flavor,
    /// Statements: checking, savings and credit card accounts in turn.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    accounts: u32,
    /// Line ending after each tag: lf, crlf, or none (one long line).
    #[arg(long, default_value = "lf")]
    eol: Eol,
    /// Spaces per nesting level.
    #[arg(long, default_value_t = 0)]
    indent: u32,
    /// PRNG seed.
    #[arg(long, default_value_t = 20_240_115)]
    seed: u64,
    /// Statement period in days from 2024-01-01.
    #[arg(long, default_value_t = 366, value_parser = clap::value_parser!(u32).range(1..))]
    span_days: u32,
    /// Output file (`-` for standard output).
    #[arg(short, long, default_value = "-")]
    output: PathBuf,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let options = GenOptions {
        flavor: args.flavor,
        transactions: args.transactions,
        accounts: args.accounts,
        eol: args.eol,
        indent: args.indent,
        seed: args.seed,
        span_days: args.span_days,
    };
    match run(&options, &args.output) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen: {}: {e}", args.output.display());
            ExitCode::from(2)
        }
    }
}

fn run(options: &GenOptions, output: &PathBuf) -> io::Result<()> {
    if output.as_os_str() == "-" {
        return generate(options, BufWriter::with_capacity(1 << 20, io::stdout().lock()));
    }
    let mut out = BufWriter::with_capacity(1 << 20, File::create(output)?);
    generate(options, &mut out)?;
    out.flush()?;
    let size = out.get_ref().metadata()?.len();
    eprintln!(
        "{}: {} transactions, {} accounts, {}, {size} bytes",
        output.display(),
        options.transactions,
        options.accounts,
        options.flavor
    );
    Ok(())
}
