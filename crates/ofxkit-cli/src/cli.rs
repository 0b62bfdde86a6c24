//! Command-line syntax (clap). Kept separate from what the commands do.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Read, check and convert OFX 1.x/2.x, QFX and OFC files.
///
/// Exit status: 0 no errors; 1 a file has errors; 2 usage or I/O trouble.
#[derive(Debug, Parser)]
#[command(name = "ofxkit", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print a file's element tree (`-` reads standard input).
    Dump(DumpArgs),
    /// Convert statements, accounts or payees to JSON, NDJSON or CSV.
    Convert(ConvertArgs),
}

/// Output format of `convert`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum To {
    /// The whole document (or, with `--what`, an array of rows).
    Json,
    /// One JSON object per line.
    Ndjson,
    /// CSV with a header line.
    Csv,
}

/// What `convert` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum WhatArg {
    /// One row per transaction.
    Transactions,
    /// One row per statement, with balances.
    Statements,
    /// One row per account.
    Accounts,
    /// One row per payee.
    Payees,
    /// One row per bill payment record (add, modify, cancel, inquiry).
    Payments,
    /// One row per recurring-payment model record.
    Recurring,
}

/// Arguments of `ofxkit convert`.
#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// Files to convert (`-` for standard input).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "json")]
    pub to: To,
    /// Rows to write (default: the whole document for JSON, transactions otherwise).
    #[arg(long, value_enum)]
    pub what: Option<WhatArg>,
    /// Write here instead of standard output.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Do not neutralise spreadsheet formulas in CSV text cells.
    #[arg(long)]
    pub no_formula_guard: bool,
    /// Print warnings, not only errors.
    #[arg(long)]
    pub warnings: bool,
}

/// Arguments of `ofxkit dump`.
#[derive(Debug, Args)]
pub struct DumpArgs {
    /// The file to read, or `-` for standard input.
    pub file: PathBuf,
    /// Print JSON instead of indented text.
    #[arg(long)]
    pub json: bool,
    /// Show each element's position (line:column and byte range).
    #[arg(long)]
    pub spans: bool,
    /// Report every leniency as an error.
    #[arg(long)]
    pub strict: bool,
}
