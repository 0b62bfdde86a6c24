//! ofxkit: read, validate and convert OFX 1.x (SGML), OFX 2.x (XML), QFX and OFC files.
#![deny(missing_docs)]

pub mod amount;
pub mod codes;
pub mod datetime;

pub use ofxkit_syntax as syntax;
