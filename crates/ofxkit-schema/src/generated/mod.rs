//! The element tables, generated from the specification files by `cargo run -p xtask -- gen`
//! (see `crates/xtask`). Each module holds one sorted `ELEMENTS` table.

pub(crate) mod ofc;
pub(crate) mod ofx160;
pub(crate) mod ofx201;
pub(crate) mod ofx220;
