//! End-to-end tests of the `ofxkit` binary: exit codes, output and error format.

mod util;

mod billpay;
mod convert;
mod dump;
mod schedule;
mod sync;
mod syntax;
mod validate;
