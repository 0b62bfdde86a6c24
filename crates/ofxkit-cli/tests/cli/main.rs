//! End-to-end tests of the `ofxkit` binary: exit codes, output and error format.

mod util;

mod billpay;
mod convert;
mod dump;
mod escapes;
mod fifo;
mod ledger;
mod output_file;
mod rows;
mod schedule;
mod secrets;
mod sync;
mod validate;
