//! End-to-end tests of the `ofxkit` binary: exit codes, output and error format.

mod util;

mod dump;
mod validate;
