//! The validator: structure, values, codes and meaning, each finding with a rule id, a
//! position, the element path and, where one fix fits, help.
//!
//! ```
//! use ofxkit::validate::{validate, ValidateOptions};
//! let doc = ofxkit::parse(b"<OFC><DTD>2<CPAGE>1252<ACCTSTMT><ACCTFROM><BANKID>1<ACCTID>2<ACCTTYPE>0</ACCTFROM>\
//!   <STMTRS><DTSTART>20240101<DTEND>20240131<LEDGER>1.00\
//!   <STMTTRN><TRNTYPE>1<DTPOSTED>20240105<TRNAMT>-12.3<NAME>X</STMTTRN></STMTRS></ACCTSTMT></OFC>")?;
//! let report = validate(&doc, &ValidateOptions::default());
//! let f = report.findings.iter().find(|f| f.code == "OFC-AMT-002").unwrap();
//! assert_eq!(f.message, "amount \"-12.3\" has 1 decimal; OFC requires 2");
//! # Ok::<(), ofxkit::Error>(())
//! ```

pub mod rules;
mod semantic;
mod structure;
mod values;

use std::collections::BTreeSet;

use ofxkit_schema::Profile;
use ofxkit_syntax::{Element, Format, Severity, Span};

use crate::diagnostic::Diagnostic;
use crate::document::Document;

/// Which specification a file is checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ValidationProfile {
    /// Read the profile from the file (root and header `VERSION`).
    Auto,
    /// Microsoft OFC.
    Ofc,
    /// OFX 1.0.2 (checked with the 1.6 DTD, the closest published).
    Ofx102,
    /// OFX 1.0.3 (1.6 DTD).
    Ofx103,
    /// OFX 1.6.
    Ofx160,
    /// OFX 2.0.0 (2.0.1 DTD).
    Ofx200,
    /// OFX 2.1.1 (2.0.1 DTD).
    Ofx211,
    /// OFX 2.2 (XML Schema).
    Ofx220,
    /// Quicken QFX: OFX of the header's version, vendor elements expected.
    Qfx,
}

impl ValidationProfile {
    /// Reads `auto`, `ofc`, `ofx102`, … `qfx`.
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name.to_ascii_lowercase().as_str() {
            "auto" => Self::Auto,
            "ofc" => Self::Ofc,
            "ofx102" => Self::Ofx102,
            "ofx103" => Self::Ofx103,
            "ofx160" => Self::Ofx160,
            "ofx200" => Self::Ofx200,
            "ofx211" => Self::Ofx211,
            "ofx220" => Self::Ofx220,
            "qfx" => Self::Qfx,
            _ => return None,
        })
    }

    /// The name as given on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Self::Auto => "auto",
            Self::Ofc => "ofc",
            Self::Ofx102 => "ofx102",
            Self::Ofx103 => "ofx103",
            Self::Ofx160 => "ofx160",
            Self::Ofx200 => "ofx200",
            Self::Ofx211 => "ofx211",
            Self::Ofx220 => "ofx220",
            Self::Qfx => "qfx",
        }
    }

    /// The concrete profile for a document (resolving `Auto` and `Qfx`).
    pub fn resolve(self, doc: &ofxkit_syntax::Document<'_>) -> ValidationProfile {
        let from_version = || match doc.version() {
            Some(v) if v < 103 => Self::Ofx102,
            Some(103) => Self::Ofx103,
            Some(v) if v < 200 => Self::Ofx160,
            Some(v) if v < 210 => Self::Ofx200,
            Some(v) if v < 220 => Self::Ofx211,
            Some(_) => Self::Ofx220,
            None if doc.format() == Format::Ofx2 => Self::Ofx211,
            None => Self::Ofx102,
        };
        match self {
            Self::Auto if doc.format() == Format::Ofc => Self::Ofc,
            Self::Auto | Self::Qfx => from_version(),
            other => other,
        }
    }

    /// The schema tables used.
    pub fn schema(self) -> Profile {
        match self {
            Self::Ofc => Profile::Ofc,
            Self::Ofx102 | Self::Ofx103 | Self::Ofx160 | Self::Auto | Self::Qfx => Profile::Ofx160,
            Self::Ofx200 | Self::Ofx211 => Profile::Ofx201,
            Self::Ofx220 => Profile::Ofx220,
        }
    }

    /// `OFC` or `OFX`: the family prefix of the rule ids.
    pub fn family(self) -> &'static str {
        if self == Self::Ofc { "OFC" } else { "OFX" }
    }
}

/// How to validate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidateOptions {
    /// The profile (default: auto).
    pub profile: ValidationProfile,
    /// Rules whose findings count as errors whatever their default.
    pub deny: BTreeSet<String>,
    /// Rules whose findings are dropped.
    pub allow: BTreeSet<String>,
    /// Warnings count as errors.
    pub strict: bool,
}

impl Default for ValidateOptions {
    fn default() -> Self {
        ValidateOptions {
            profile: ValidationProfile::Auto,
            deny: BTreeSet::new(),
            allow: BTreeSet::new(),
            strict: false,
        }
    }
}

/// What validating one file found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The profile the file was checked against.
    pub profile: ValidationProfile,
    /// Findings in input order.
    pub findings: Vec<Diagnostic>,
}

impl Report {
    /// Number of findings of this severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity == severity).count()
    }

    /// True when a finding is an error.
    pub fn has_errors(&self) -> bool {
        self.count(Severity::Error) > 0
    }
}

/// Collects findings with their rule's severity and help.
pub(crate) struct Findings {
    list: Vec<Diagnostic>,
}

impl Findings {
    pub(crate) fn push(&mut self, rule: &'static str, span: Span, el: Option<Element<'_>>, message: String) {
        let r = rules::rule(rule);
        let mut d = Diagnostic::new(rule, r.map_or(Severity::Error, |r| r.severity), span, message);
        if let Some(el) = el {
            d = d.at_path(el.path());
        }
        if let Some(help) = r.and_then(|r| r.help) {
            d = d.with_help(help);
        }
        self.list.push(d);
    }
}

/// Validates a parsed file.
pub fn validate(doc: &Document<'_>, options: &ValidateOptions) -> Report {
    let syntax = doc.syntax();
    let profile = options.profile.resolve(syntax);
    let family = profile.family();
    let mut findings = Findings { list: Vec::new() };
    structure::check(syntax.tree(), profile.schema(), family, &mut findings);
    values::check(syntax, profile, &mut findings);
    semantic::check(doc, profile, &mut findings);

    let mut all: Vec<Diagnostic> = syntax.diagnostics().iter().map(Diagnostic::from).collect();
    all.append(&mut findings.list);
    all.retain(|d| !options.allow.contains(d.code));
    for d in &mut all {
        if options.deny.contains(d.code) || options.strict {
            d.severity = Severity::Error;
        }
    }
    all.sort_by_key(|d| (d.span.start, d.span.end));
    Report { profile, findings: all }
}
