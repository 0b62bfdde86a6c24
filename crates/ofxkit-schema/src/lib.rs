//! # ofxkit-schema
//!
//! What the OFX and OFC specifications say each element may contain, for four profiles
//! ([`Profile`]): OFC (`ofc.dtd`), OFX 1.6 (`ofx160.dtd`, also used for 1.0.2/1.0.3 files),
//! OFX 2.0.1 (`ofx201.dtd`) and OFX 2.2 (the XML Schema set). For every element: whether it
//! is a leaf and of which value type and enumeration, or an aggregate and its content model
//! (a static tree of [`Particle`]s), and in the SGML profiles the tag minimization.
//!
//! The tables are generated from the specification files by `cargo run -p xtask -- gen`
//! (`crates/xtask`); CI runs `cargo run -p xtask -- check` to keep them current. This crate
//! knows element names only, not any parser's tree: a validator hands it a parent's name and
//! its children's names.
//!
//! [`check_children`] matches a list of child names against a content model in time linear
//! in the number of children, and reports each departure once, at the child it concerns:
//! [`ContentIssue::Missing`], [`Unexpected`](ContentIssue::Unexpected),
//! [`OutOfOrder`](ContentIssue::OutOfOrder), [`TooMany`](ContentIssue::TooMany), and, for a
//! dotted vendor name such as `INTU.BID`, the milder [`Extension`](ContentIssue::Extension).
//!
//! ```
//! use ofxkit_schema::{check_children, ContentIssue, Profile};
//!
//! let stmtrs = Profile::Ofx160.element("STMTRS").unwrap();
//! assert_eq!(stmtrs.required_children(), ["CURDEF", "BANKACCTFROM", "LEDGERBAL"]);
//! let trntype = Profile::Ofx220.element("TRNTYPE").unwrap();
//! assert_eq!(trntype.value_type(), Some("TransactionEnum"));
//! assert!(trntype.enum_values().contains(&"DIRECTDEBIT"));
//!
//! // CURDEF after BANKACCTFROM: one issue, and LEDGERBAL still matches.
//! let children = ["BANKACCTFROM", "CURDEF", "LEDGERBAL", "INTU.BID"];
//! let issues = check_children(Profile::Ofx160, "STMTRS", &children);
//! assert_eq!(
//!     issues,
//!     [
//!         ContentIssue::OutOfOrder {
//!             index: 1,
//!             name: "CURDEF",
//!             should_come_after: None,
//!             should_come_before: Some(0),
//!         },
//!         ContentIssue::Extension { index: 3, name: "INTU.BID" },
//!     ]
//! );
//! assert_eq!(issues[0].to_string(), "CURDEF (child 1) is out of order: it belongs before child 0");
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]
#![cfg_attr(
    not(test),
    warn(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)
)]

mod def;
mod generated;
mod matcher;
mod profile;
mod vocabulary;

pub use def::{Content, ElementDef, Minimization, Particle};
pub use matcher::ContentIssue;
pub use profile::Profile;
pub use vocabulary::{DTD, Dtd};

/// Checks the names of `parent`'s children, in document order, against `parent`'s content
/// model in `profile`.
///
/// Returns the issues sorted by child index; an empty list means the children are valid. A
/// leaf or `EMPTY` parent reports every child as unexpected; a `parent` the profile does not
/// declare gives no issues (reporting unknown elements is the caller's business). Names are
/// compared exactly: pass them upper case, as the specifications spell them.
///
/// In the SGML profiles, an element whose start and end tags may both be omitted (OFC's
/// `GENTRN`, `ACCOUNT`, `ENTITY`) is accepted either by its tags or as its bare content, as
/// SGML infers it: `<STMTTRN><TRNTYPE>…` is a valid OFC transaction.
///
/// The time is linear in `children.len()`: valid lists take one table step per child, and
/// each repair looks at a bounded window of children.
pub fn check_children<'a>(
    profile: Profile,
    parent: &str,
    children: &[&'a str],
) -> Vec<ContentIssue<'a>> {
    profile.check_children(parent, children)
}
