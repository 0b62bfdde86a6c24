//! Code tables as data, both directions: OFC's numeric codes, OFX's named enumerations, the
//! OFX status codes, and the maps between OFC and OFX.
//!
//! A value that is in no table stays [`Coded::Unknown`] with its raw text: it is reported,
//! never guessed into a known one.
//!
//! ```
//! use ofxkit::codes::{Code, Coded};
//! use ofxkit::codes::ofx::TrnType;
//! use ofxkit::codes::ofc::OfcTrnType;
//! use ofxkit::codes::mapping::ofc_trntype_to_ofx;
//!
//! assert_eq!(TrnType::read("DEBIT"), (Coded::Known(TrnType::Debit), false));
//! assert_eq!(TrnType::read(" debit"), (Coded::Known(TrnType::Debit), true));
//! assert_eq!(TrnType::read("LOAN").0, Coded::Unknown("LOAN".into()));
//! assert_eq!(OfcTrnType::read("8").0.known().map(|c| c.description()), Some("Check"));
//! assert_eq!(ofc_trntype_to_ofx(OfcTrnType::Check), Some(TrnType::Check));
//! ```

pub mod mapping;
pub mod ofc;
pub mod ofx;
pub mod status;

use std::fmt;

use serde::{Serialize, Serializer};

/// A value of a code table.
pub trait Code: Sized + Copy + PartialEq + 'static {
    /// The table's name (`TRNTYPE`, `OFC ACCTTYPE`…).
    const TABLE: &'static str;
    /// Every value, in table order.
    const ALL: &'static [Self];
    /// The value as the specification writes it (`DEBIT`, or `1` for OFC codes).
    fn as_str(self) -> &'static str;
    /// What it means.
    fn description(self) -> &'static str;
    /// Other spellings accepted with a warning (`ANUALLY` for `ANNUALLY`).
    fn alias(_text: &str) -> Option<Self> {
        None
    }

    /// The value written exactly so.
    fn from_exact(text: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.as_str() == text)
    }

    /// Reads a value: exact, or after normalising case, blanks, leading zeros of numeric
    /// codes and known misspellings (the flag says so); otherwise unknown, kept raw.
    fn read(raw: &str) -> (Coded<Self>, bool) {
        if let Some(v) = Self::from_exact(raw) {
            return (Coded::Known(v), false);
        }
        let t = raw.trim();
        let upper = t.to_ascii_uppercase();
        if let Some(v) = Self::from_exact(&upper).or_else(|| Self::alias(&upper)) {
            return (Coded::Known(v), true);
        }
        if !upper.is_empty() && upper.bytes().all(|b| b.is_ascii_digit()) {
            let stripped = upper.trim_start_matches('0');
            let stripped = if stripped.is_empty() { "0" } else { stripped };
            if let Some(v) = Self::from_exact(stripped) {
                return (Coded::Known(v), true);
            }
        }
        (Coded::Unknown(raw.to_owned()), false)
    }
}

/// A coded value: one the table knows, or the raw text of one it does not.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Coded<T> {
    /// In the table.
    Known(T),
    /// Not in the table: the text as written.
    Unknown(String),
}

impl<T: Code> Coded<T> {
    /// Reads a value (see [`Code::read`]), dropping the normalisation flag.
    pub fn parse(raw: &str) -> Self {
        T::read(raw).0
    }

    /// True when the table knows it.
    pub fn is_known(&self) -> bool {
        matches!(self, Coded::Known(_))
    }

    /// The known value.
    pub fn known(&self) -> Option<&T> {
        match self {
            Coded::Known(v) => Some(v),
            Coded::Unknown(_) => None,
        }
    }

    /// The canonical text of a known value, or the raw text.
    pub fn as_str(&self) -> &str {
        match self {
            Coded::Known(v) => v.as_str(),
            Coded::Unknown(raw) => raw,
        }
    }
}

impl<T: Code> fmt::Display for Coded<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl<T: Code> Serialize for Coded<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<T: Code> schemars::JsonSchema for Coded<T> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        format!("Code_{}", T::TABLE.replace(|c: char| !c.is_ascii_alphanumeric(), "_")).into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let known: Vec<&str> = T::ALL.iter().map(|v| v.as_str()).collect();
        schemars::json_schema!({
            "type": "string",
            "description": format!(
                "A value of the {} code table; a code not in the table is kept as written.",
                T::TABLE
            ),
            "examples": known
        })
    }
}

/// Declares a code table: enum, `Code` impl, `Display`, `Serialize`.
macro_rules! code_table {
    (
        $(#[$doc:meta])* $name:ident, $table:literal,
        [$( $(#[$vdoc:meta])* $variant:ident = $text:literal : $desc:literal ),* $(,)?]
        $(, aliases [$( $alias:literal => $target:ident ),* $(,)?])?
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vdoc])* #[doc = $desc] $variant, )*
        }

        impl $crate::codes::Code for $name {
            const TABLE: &'static str = $table;
            const ALL: &'static [Self] = &[$( $name::$variant, )*];
            fn as_str(self) -> &'static str {
                match self { $( $name::$variant => $text, )* }
            }
            fn description(self) -> &'static str {
                match self { $( $name::$variant => $desc, )* }
            }
            $(
            fn alias(text: &str) -> Option<Self> {
                match text { $( $alias => Some($name::$target), )* _ => None }
            }
            )?
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str($crate::codes::Code::as_str(*self))
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str($crate::codes::Code::as_str(*self))
            }
        }
    };
}
pub(crate) use code_table;

#[cfg(test)]
mod tests {
    use super::ofc::*;
    use super::ofx::*;
    use super::*;

    fn round_trips<T: Code + fmt::Debug>() {
        for v in T::ALL {
            assert_eq!(T::read(v.as_str()), (Coded::Known(*v), false), "{} {v:?}", T::TABLE);
            assert!(!v.description().is_empty());
        }
        let mut texts: Vec<&str> = T::ALL.iter().map(|v| v.as_str()).collect();
        texts.sort_unstable();
        texts.dedup();
        assert_eq!(texts.len(), T::ALL.len(), "{}: duplicate texts", T::TABLE);
    }

    #[test]
    fn every_table_round_trips() {
        round_trips::<AccountType>();
        round_trips::<TrnType>();
        round_trips::<Severity>();
        round_trips::<CorrectAction>();
        round_trips::<SvcStatus>();
        round_trips::<PmtPrcCode>();
        round_trips::<XferPrcCode>();
        round_trips::<IdScope>();
        round_trips::<Freq>();
        round_trips::<IncomeType>();
        round_trips::<SubAccountType>();
        round_trips::<BuyType>();
        round_trips::<SellType>();
        round_trips::<PosType>();
        round_trips::<TferAction>();
        round_trips::<OptAction>();
        round_trips::<Inv401kSource>();
        round_trips::<OfcAccountType>();
        round_trips::<OfcTrnType>();
        round_trips::<OfcAction>();
        round_trips::<OfcService>();
        round_trips::<OfcStatus>();
    }

    #[test]
    fn lenient_reads_say_they_normalised() {
        assert_eq!(Severity::read("Info"), (Coded::Known(Severity::Info), true));
        assert_eq!(Freq::read("ANUALLY"), (Coded::Known(Freq::Annually), true));
        assert_eq!(Freq::read("TRIANNUALLY"), (Coded::Known(Freq::Triannually), false));
        assert_eq!(OfcTrnType::read("01"), (Coded::Known(OfcTrnType::Debit), true));
        assert_eq!(OfcTrnType::read("13"), (Coded::Unknown("13".into()), false));
        assert!(!OfcTrnType::read("-1").0.is_known());
        assert_eq!(TrnType::read("CREDITCARD").0.as_str(), "CREDITCARD");
        assert_eq!(AccountType::read("CMA").0.known(), Some(&AccountType::Cma));
    }

    #[test]
    fn coded_serialises_as_text() {
        assert_eq!(serde_json::to_string(&Coded::Known(TrnType::Pos)).unwrap(), "\"POS\"");
        assert_eq!(serde_json::to_string(&Coded::<TrnType>::Unknown("X".into())).unwrap(), "\"X\"");
        assert_eq!(serde_json::to_string(&Coded::Known(OfcTrnType::Check)).unwrap(), "\"8\"");
    }
}
