//! End-to-end tests of the `ofxkit` binary: exit codes, output and error format.

mod util;

mod billpay;
mod bounded;
mod cells;
mod convert;
mod docs;
mod dump;
mod escapes;
mod exit_status;
mod export;
mod fifo;
mod get;
mod grammar;
mod ledger;
mod output_file;
#[cfg(feature = "parquet")]
mod parquet_memory;
mod quoting;
mod readme;
mod recurring;
mod request;
mod rows;
mod rules;
mod schedule;
mod secrets;
mod stream_input;
mod sync;
mod syntax;
mod validate;
mod validate_memory;
mod values;
mod write_ofx;
