//! The four profiles, their tables, and the per-element automaton cache.

use std::fmt;
use std::sync::OnceLock;

use crate::def::ElementDef;
use crate::generated;
use crate::matcher::{self, Automaton, ContentIssue};

/// A specification whose element tables this crate holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Profile {
    /// Microsoft Open Financial Connectivity, `ofc.dtd` (DTD version 2, SGML).
    Ofc,
    /// OFX 1.6, `ofx160.dtd` (SGML). Also the stand-in for OFX 1.0.2 and 1.0.3 files: no
    /// DTD of those versions is at hand, and 1.5/1.6 mostly added elements.
    Ofx160,
    /// OFX 2.0.1, `ofx201.dtd` (the XML conversion of the 1.x DTD).
    Ofx201,
    /// OFX 2.2, the XML Schema set `OFX2_Protocol.xsd`.
    Ofx220,
}

impl Profile {
    /// Every profile.
    pub const ALL: [Profile; 4] = [Profile::Ofc, Profile::Ofx160, Profile::Ofx201, Profile::Ofx220];

    /// The profile for an OFX header `VERSION` (`102`, `160`, `211`, `220`): 1.x → OFX 1.6,
    /// 2.0.x and 2.1.x → OFX 2.0.1, 2.2 and later 2.x → OFX 2.2. `None` outside 100..=299.
    pub fn for_ofx_version(version: u16) -> Option<Profile> {
        match version {
            100..=199 => Some(Profile::Ofx160),
            200..=219 => Some(Profile::Ofx201),
            220..=299 => Some(Profile::Ofx220),
            _ => None,
        }
    }

    /// A short name: `OFC`, `OFX 1.6`, `OFX 2.0.1`, `OFX 2.2`.
    pub fn name(self) -> &'static str {
        match self {
            Profile::Ofc => "OFC",
            Profile::Ofx160 => "OFX 1.6",
            Profile::Ofx201 => "OFX 2.0.1",
            Profile::Ofx220 => "OFX 2.2",
        }
    }

    /// Is the profile's syntax SGML (tags may be omitted as the DTD's minimization says)?
    pub fn is_sgml(self) -> bool {
        matches!(self, Profile::Ofc | Profile::Ofx160)
    }

    /// Every element the profile declares, sorted by name.
    pub fn elements(self) -> &'static [ElementDef] {
        match self {
            Profile::Ofc => generated::ofc::ELEMENTS,
            Profile::Ofx160 => generated::ofx160::ELEMENTS,
            Profile::Ofx201 => generated::ofx201::ELEMENTS,
            Profile::Ofx220 => generated::ofx220::ELEMENTS,
        }
    }

    /// The element called `name` (exact, upper-case spelling), by binary search.
    pub fn element(self, name: &str) -> Option<&'static ElementDef> {
        let elements = self.elements();
        elements.binary_search_by(|e| e.name().cmp(name)).ok().and_then(|i| elements.get(i))
    }

    /// Checks the names of `parent`'s children, in document order, against its content
    /// model; see [`check_children`](crate::check_children).
    pub fn check_children<'a>(self, parent: &str, children: &[&'a str]) -> Vec<ContentIssue<'a>> {
        let elements = self.elements();
        let Ok(index) = elements.binary_search_by(|e| e.name().cmp(parent)) else {
            return Vec::new();
        };
        let Some(def) = elements.get(index) else { return Vec::new() };
        matcher::check(def, self.automaton(index), children)
    }

    /// The automaton of the element at `index` in [`elements`](Self::elements), built on
    /// first use and kept.
    fn automaton(self, index: usize) -> Option<&'static Automaton> {
        /// Per profile, per element: the automaton (`None` for leaves), once built.
        type Cache = OnceLock<Box<[OnceLock<Option<Automaton>>]>>;
        static CACHES: [Cache; 4] = [const { OnceLock::new() }; 4];
        let elements = self.elements();
        let cache = CACHES.get(self as usize)?.get_or_init(|| {
            elements.iter().map(|_| OnceLock::new()).collect::<Vec<_>>().into_boxed_slice()
        });
        cache
            .get(index)?
            .get_or_init(|| {
                let model = elements.get(index)?.content_model()?;
                Some(Automaton::build(self, model))
            })
            .as_ref()
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
