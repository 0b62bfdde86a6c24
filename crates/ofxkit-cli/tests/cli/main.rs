//! End-to-end tests of the `ofxkit` binary: exit codes, output and error format.

mod util;

mod billpay;
mod bounded;
mod convert;
mod dump;
mod quoting;
mod schedule;
mod sync;
mod validate;
mod values;
