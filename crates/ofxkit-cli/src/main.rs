//! `ofxkit`: read, check and convert OFX, QFX and OFC files.
//!
//! Exit status: 0 when every file was read without errors, 1 when a file has errors, 2 for
//! usage or I/O trouble.

use std::process::ExitCode;

use clap::Parser;

mod cli;
mod commands;
mod destination;
mod findings;
mod format;
mod input;
mod jobs;
mod output;
mod report;
mod secrets;
mod walk;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match commands::run(args) {
        Ok(status) => status.into(),
        Err(failure) => {
            if !failure.is_broken_pipe() {
                // Names and values were escaped where the message was made; escaping again
                // here keeps any other text from reaching the terminal raw.
                let message = failure.to_string();
                eprintln!("ofxkit: error: {}", ofxkit::syntax::escape_controls(&message));
            }
            failure.exit_code()
        }
    }
}
