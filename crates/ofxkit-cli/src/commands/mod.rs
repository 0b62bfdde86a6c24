//! What each subcommand does.

mod convert;
mod convert_export;
mod convert_ofx;
#[cfg(feature = "parquet")]
mod convert_parquet;
mod docs;
mod dump;
pub mod get;
pub mod ledger;
mod ledger_journal;
mod recurring;
pub mod request;
mod rules;
mod schedule;
mod sync;
mod validate;

use crate::cli::{Cli, Command};
use crate::output::{Failure, Status};

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Result<Status, Failure> {
    match cli.command {
        Command::Dump(args) => dump::run(&args),
        Command::Convert(args) => convert::run(&args),
        Command::Sync(args) => sync::run(&args),
        Command::Schedule(args) => schedule::run(&args),
        Command::Recurring(args) => recurring::run(&args),
        Command::Validate(args) => validate::run(&args),
        Command::Ledger(args) => ledger::run(&args),
        Command::Request(args) => request::run(&args),
        Command::Get(args) => get::run(&args),
        Command::Rules(args) => rules::run(&args),
        Command::Completions(args) => docs::completions(&args),
        Command::Man(args) => docs::man(&args),
    }
}
