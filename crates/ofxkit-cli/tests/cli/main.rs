//! End-to-end tests of the `ofxkit` binary: exit codes, output and error format.

mod util;

mod billpay;
mod bounded;
mod cells;
mod convert;
mod dump;
mod escapes;
mod fifo;
mod output_file;
mod quoting;
mod rows;
mod schedule;
mod secrets;
mod sync;
mod syntax;
mod validate;
mod values;
mod write_ofx;
