//! The OFX versions the writer can target, and the two families they belong to.

use std::fmt;

use crate::validate::ValidationProfile;

/// The family of the output: OFX 1.x (SGML, colon header) or OFX 2.x (XML).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Target {
    /// OFX 1.x: an `OFXHEADER:100` colon header and an SGML body.
    Ofx1,
    /// OFX 2.x: an XML declaration, an `<?OFX …?>` processing instruction and an XML body.
    #[default]
    Ofx2,
}

impl Target {
    /// The version written when none is asked for and the source's own is of another family:
    /// 1.6 for OFX 1.x, 2.1.1 for OFX 2.x.
    pub fn default_version(self) -> OfxVersion {
        match self {
            Target::Ofx1 => OfxVersion::V160,
            Target::Ofx2 => OfxVersion::V211,
        }
    }

    /// `ofx1` or `ofx2`.
    pub fn name(self) -> &'static str {
        match self {
            Target::Ofx1 => "ofx1",
            Target::Ofx2 => "ofx2",
        }
    }
}

/// An OFX version a file can be written as (the header's `VERSION`).
///
/// ```
/// use ofxkit::write::{OfxVersion, Target};
/// let v = OfxVersion::from_number(103).unwrap();
/// assert_eq!(v.target(), Target::Ofx1);
/// assert_eq!(OfxVersion::V220.to_string(), "220");
/// assert_eq!(OfxVersion::from_number(104), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum OfxVersion {
    /// OFX 1.0.2.
    V102,
    /// OFX 1.0.3.
    V103,
    /// OFX 1.5.1.
    V151,
    /// OFX 1.6.
    V160,
    /// OFX 2.0.0.
    V200,
    /// OFX 2.0.1.
    V201,
    /// OFX 2.0.2.
    V202,
    /// OFX 2.0.3.
    V203,
    /// OFX 2.1.0.
    V210,
    /// OFX 2.1.1.
    V211,
    /// OFX 2.2.
    V220,
}

impl OfxVersion {
    /// Every version, oldest first.
    pub const ALL: [OfxVersion; 11] = [
        Self::V102,
        Self::V103,
        Self::V151,
        Self::V160,
        Self::V200,
        Self::V201,
        Self::V202,
        Self::V203,
        Self::V210,
        Self::V211,
        Self::V220,
    ];

    /// The header number (`102`, …, `220`).
    pub fn number(self) -> u16 {
        match self {
            Self::V102 => 102,
            Self::V103 => 103,
            Self::V151 => 151,
            Self::V160 => 160,
            Self::V200 => 200,
            Self::V201 => 201,
            Self::V202 => 202,
            Self::V203 => 203,
            Self::V210 => 210,
            Self::V211 => 211,
            Self::V220 => 220,
        }
    }

    /// The version of a header number; `None` for a number that is no OFX version.
    pub fn from_number(number: u16) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.number() == number)
    }

    /// OFX 1.x or 2.x.
    pub fn target(self) -> Target {
        if self.number() < 200 { Target::Ofx1 } else { Target::Ofx2 }
    }

    /// The profile `ofxkit validate` checks a file of this version against.
    pub fn validation_profile(self) -> ValidationProfile {
        match self.number() {
            102 => ValidationProfile::Ofx102,
            103 => ValidationProfile::Ofx103,
            n if n < 200 => ValidationProfile::Ofx160,
            n if n < 210 => ValidationProfile::Ofx200,
            n if n < 220 => ValidationProfile::Ofx211,
            _ => ValidationProfile::Ofx220,
        }
    }
}

impl fmt::Display for OfxVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.number())
    }
}
