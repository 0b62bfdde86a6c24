//! The specifications' tables as the reader's [`Vocabulary`]: what `ofxkit::parse` reads
//! with (the syntax crate itself knows no element name).

use ofxkit_syntax::{Dialect, NameClass, Vocabulary};

use crate::{Content, Profile};

/// The OFX (1.6, 2.0.1, 2.2) and OFC tables as a [`Vocabulary`] for
/// [`ofxkit_syntax::Options::vocabulary`] (use [`DTD`]).
///
/// - A name's class: in OFX, a leaf when OFX 1.6 or 2.0.1 declares it character data and
///   neither declares it with element content; an aggregate the other way round; otherwise
///   (undeclared, or declared both ways) unknown. In OFC, as the OFC DTD declares it.
/// - A child is allowed in a parent when the content model of OFX 1.6, 2.0.1 or 2.2 allows
///   it.
///
/// ```
/// use ofxkit_syntax::{Dialect, NameClass, Vocabulary};
/// use ofxkit_schema::DTD;
/// assert_eq!(DTD.class(Dialect::Ofx, "TRNAMT"), NameClass::Leaf);
/// assert_eq!(DTD.class(Dialect::Ofx, "STMTTRN"), NameClass::Aggregate);
/// assert_eq!(DTD.class(Dialect::Ofx, "X.VENDOR"), NameClass::Unknown);
/// assert_eq!(DTD.class(Dialect::Ofc, "GENTRN"), NameClass::Aggregate);
/// assert!(DTD.allows("BANKTRANLIST", "STMTTRN"));
/// assert!(!DTD.allows("STMTTRN", "BANKTRANLIST"));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Dtd;

/// The one [`Dtd`] vocabulary, for `Options { vocabulary: Some(&DTD), .. }`.
pub static DTD: Dtd = Dtd;

impl Vocabulary for Dtd {
    fn class(&self, dialect: Dialect, name: &str) -> NameClass {
        let profiles: &[Profile] = match dialect {
            Dialect::Ofx => &[Profile::Ofx160, Profile::Ofx201],
            Dialect::Ofc => &[Profile::Ofc],
        };
        let (mut leaf, mut aggregate) = (false, false);
        for e in profiles.iter().filter_map(|p| p.element(name)) {
            match e.content() {
                Content::Text { .. } => leaf = true,
                Content::Elements(_) | Content::Empty => aggregate = true,
                Content::TextOrElements { .. } => {}
            }
        }
        match (leaf, aggregate) {
            (true, false) => NameClass::Leaf,
            (false, true) => NameClass::Aggregate,
            _ => NameClass::Unknown,
        }
    }

    fn allows(&self, parent: &str, child: &str) -> bool {
        [Profile::Ofx160, Profile::Ofx201, Profile::Ofx220].iter().any(|p| {
            p.element(parent).and_then(|e| e.content_model()).is_some_and(|m| m.allows(child))
        })
    }
}
