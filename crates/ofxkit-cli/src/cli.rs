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
