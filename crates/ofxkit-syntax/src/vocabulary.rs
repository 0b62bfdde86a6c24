//! What the reader knows of the element names: the DTD facts, passed in
//! [`Options::vocabulary`](crate::Options::vocabulary).
//!
//! This crate knows markup, not finance: which names are leaves or aggregates, and which
//! children an aggregate may hold, come from a [`Vocabulary`]. The `ofxkit-schema` crate
//! implements it from the OFX and OFC specifications' tables (and `ofxkit::parse` reads with
//! it); without one ([`NoVocabulary`], the default) the reader applies the generic SGML
//! rules alone:
//!
//! - an element followed by text is a leaf, one that gets a child is an aggregate, and an
//!   element with neither is an empty element (a name the DTDs declare a leaf would be an
//!   empty leaf, and one they declare an aggregate an empty aggregate);
//! - an aggregate closed by an end tag of an element around it is reported as missing its
//!   end tag where it is closed (with a vocabulary, it ends before the first child it cannot
//!   hold, when its parent can);
//! - nothing is handed to a streaming taker ([`parse_streaming`](crate::parse_streaming)):
//!   an element is offered only when every element around it is known.
//!
//! The reader asks once per distinct name in a file (the answer is kept in its name table),
//! and about a parent and a child only during recovery or the first time a streamed element
//! closes in that parent, so a vocabulary's lookups cost nothing measurable.
//!
//! ```
//! use ofxkit_syntax::{Dialect, NameClass, Options, Vocabulary, parse_with};
//!
//! /// Knows one leaf: `<BALAMT>` with no text is an empty leaf, not an aggregate.
//! #[derive(Debug)]
//! struct Tiny;
//! impl Vocabulary for Tiny {
//!     fn class(&self, _dialect: Dialect, name: &str) -> NameClass {
//!         if name == "BALAMT" { NameClass::Leaf } else { NameClass::Unknown }
//!     }
//!     fn allows(&self, _parent: &str, _child: &str) -> bool {
//!         true
//!     }
//! }
//! static TINY: Tiny = Tiny;
//! let file = b"<OFX><LEDGERBAL><BALAMT><DTASOF>20240101</LEDGERBAL></OFX>";
//! let options = Options { vocabulary: Some(&TINY), ..Options::default() };
//! let doc = parse_with(file, &options)?;
//! let bal = doc.root().descendants().find(|e| e.name() == "LEDGERBAL").unwrap();
//! let names: Vec<&str> = bal.children().map(|e| e.name()).collect();
//! assert_eq!(names, ["BALAMT", "DTASOF"], "the empty leaf does not hold DTASOF");
//! # Ok::<(), ofxkit_syntax::Error>(())
//! ```

use std::fmt;

/// Which specification's tables a name is looked up in: the file's root says
/// (`<OFX>` or `<OFC>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// OFX 1.x and 2.x (and QFX).
    Ofx,
    /// OFC.
    Ofc,
}

/// What a vocabulary says a name is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NameClass {
    /// Character data: an empty one holds no children.
    Leaf,
    /// Holds elements.
    Aggregate,
    /// Not declared (or declared both ways): the generic SGML rules decide.
    Unknown,
}

/// The DTD facts the reader asks about (see the module doc).
pub trait Vocabulary: fmt::Debug + Sync {
    /// What `name` (upper case) is in `dialect`.
    fn class(&self, dialect: Dialect, name: &str) -> NameClass;

    /// Whether the OFX content model of `parent` allows a `child` element (both upper
    /// case). Asked in OFX files only; a vendor name (with a `.`) is allowed anywhere
    /// without asking.
    fn allows(&self, parent: &str, child: &str) -> bool;
}

/// A vocabulary that knows nothing: every name [`NameClass::Unknown`], every child allowed
/// (the default of [`Options`](crate::Options)).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NoVocabulary;

impl Vocabulary for NoVocabulary {
    fn class(&self, _dialect: Dialect, _name: &str) -> NameClass {
        NameClass::Unknown
    }

    fn allows(&self, _parent: &str, _child: &str) -> bool {
        true
    }
}

/// The vocabulary `options` names, or [`NoVocabulary`].
///
/// In this crate's unit tests, [`tests::BANK`] instead (a few bank-statement names): they
/// test the reading rules that depend on DTD facts, which this crate does not have. The
/// integration tests read with `ofxkit-schema`'s tables or with none, as a user does, and
/// the doc examples see the real default.
pub(crate) fn of(vocabulary: Option<&'static dyn Vocabulary>) -> &'static dyn Vocabulary {
    #[cfg(test)]
    return vocabulary.unwrap_or(&tests::BANK);
    #[cfg(not(test))]
    vocabulary.unwrap_or(&NoVocabulary)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A few names of a bank statement, as the OFX DTDs declare them.
    #[derive(Debug)]
    pub(crate) struct Bank;

    /// The unit tests' vocabulary (see [`of`]).
    pub(crate) static BANK: Bank = Bank;

    /// Aggregates and the children they may hold.
    const AGGREGATES: &[(&str, &[&str])] = &[
        ("OFX", &["SIGNONMSGSRSV1", "BANKMSGSRSV1"]),
        ("SIGNONMSGSRSV1", &["SONRS"]),
        ("SONRS", &["STATUS", "DTSERVER", "LANGUAGE", "FI"]),
        ("FI", &["ORG", "FID"]),
        ("STATUS", &["CODE", "SEVERITY", "MESSAGE"]),
        ("BANKMSGSRSV1", &["STMTTRNRS"]),
        ("STMTTRNRS", &["TRNUID", "STATUS", "STMTRS"]),
        ("STMTRS", &["CURDEF", "BANKACCTFROM", "BANKTRANLIST", "LEDGERBAL", "AVAILBAL"]),
        ("BANKACCTFROM", &["BANKID", "ACCTID", "ACCTTYPE"]),
        ("BANKTRANLIST", &["DTSTART", "DTEND", "STMTTRN"]),
        ("STMTTRN", &["TRNTYPE", "DTPOSTED", "TRNAMT", "FITID", "NAME", "PAYEE", "MEMO"]),
        ("PAYEE", &["NAME", "ADDR1", "CITY", "STATE", "POSTALCODE", "PHONE"]),
        ("LEDGERBAL", &["BALAMT", "DTASOF"]),
        ("AVAILBAL", &["BALAMT", "DTASOF"]),
    ];

    impl Vocabulary for Bank {
        fn class(&self, _dialect: Dialect, name: &str) -> NameClass {
            if AGGREGATES.iter().any(|(a, _)| *a == name) {
                NameClass::Aggregate
            } else if AGGREGATES.iter().any(|(_, children)| children.contains(&name)) {
                NameClass::Leaf
            } else {
                NameClass::Unknown
            }
        }

        fn allows(&self, parent: &str, child: &str) -> bool {
            AGGREGATES.iter().any(|(a, children)| *a == parent && children.contains(&child))
        }
    }

    #[test]
    fn knowing_nothing_reads_by_the_generic_rules() {
        // An element with neither text nor children, then a sibling: with the names known
        // `BALAMT` is an empty leaf; knowing nothing, the same (an unknown element never
        // closed and without text is an empty element, and what followed it its sibling).
        let file = b"<OFX><LEDGERBAL><BALAMT><DTASOF>20240101</LEDGERBAL></OFX>";
        for vocabulary in [Some(&BANK as &dyn Vocabulary), Some(&NoVocabulary)] {
            let options = crate::Options { vocabulary, ..crate::Options::default() };
            let doc = crate::parse_with(file, &options).expect("parses");
            let bal = doc.root().descendants().find(|e| e.name() == "LEDGERBAL").expect("bal");
            let names: Vec<&str> = bal.children().map(|e| e.name()).collect();
            assert_eq!(names, ["BALAMT", "DTASOF"], "{vocabulary:?}");
        }
        assert_eq!(NoVocabulary.class(Dialect::Ofx, "STMTTRN"), NameClass::Unknown);
        assert!(NoVocabulary.allows("STMTTRN", "OFX"));
    }
}
