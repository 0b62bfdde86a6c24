//! Findings about a file, from the syntax layer and from mapping the tree to the model.

use std::fmt;

use schemars::JsonSchema;
use serde::Serialize;

pub use ofxkit_syntax::{Severity, Span};

/// One finding: a stable code, where it is, what it says.
///
/// Syntax findings keep their `E-…`/`W-…` codes from `ofxkit-syntax`; the model adds its own
/// (`W-AMOUNT-…`, `E-DATE-…`, `W-UNKNOWN-CODE`, `W-DUPLICATE-ELEMENT`, …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Diagnostic {
    /// Stable identifier.
    pub code: &'static str,
    /// Warning or error.
    #[serde(serialize_with = "severity_text")]
    #[schemars(with = "SeverityName")]
    pub severity: Severity,
    /// Human-readable message.
    pub message: String,
    /// Byte range in the input.
    #[schemars(with = "SpanSchema")]
    pub span: Span,
    /// Element path (`OFX/BANKMSGSRSV1/STMTTRNRS/STMTRS/…`), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// How to fix it, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// Set on the finding that stands for those of its code left out by the cap on findings
    /// per code (`Limits::max_findings_per_code`, `ValidateOptions::max_findings_per_rule`):
    /// how many were left out. It sits at the first one left out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub left_out: Option<u64>,
}

/// The JSON form of [`Severity`].
#[derive(JsonSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code, reason = "only its schema is used")]
enum SeverityName {
    Warning,
    Error,
}

/// The JSON form of [`Span`]: byte offsets, `end` exclusive.
#[derive(JsonSchema)]
#[schemars(rename = "Span")]
#[allow(dead_code, reason = "only its schema is used")]
struct SpanSchema {
    start: u32,
    end: u32,
}

fn severity_text<S: serde::Serializer>(s: &Severity, ser: S) -> Result<S::Ok, S::Error> {
    ser.serialize_str(match s {
        Severity::Warning => "warning",
        Severity::Error => "error",
    })
}

impl Diagnostic {
    /// A finding with no path or help.
    pub fn new(
        code: &'static str,
        severity: Severity,
        span: Span,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            code,
            severity,
            message: message.into(),
            span,
            path: None,
            help: None,
            left_out: None,
        }
    }

    /// Sets the element path.
    #[must_use]
    pub fn at_path(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// Sets the help text.
    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// `message` about `el` without its value when `el` is a secret element (see
/// [`ofxkit_syntax::unquote_secret`]); costs a name comparison otherwise.
pub(crate) fn unquote_secret(el: ofxkit_syntax::Element<'_>, message: String) -> String {
    if !ofxkit_syntax::is_secret(el.name()) {
        return message;
    }
    let Some(value) = el.text() else { return message };
    let changed = match ofxkit_syntax::unquote_secret(el.name(), value, &message) {
        std::borrow::Cow::Owned(m) => Some(m),
        std::borrow::Cow::Borrowed(_) => None,
    };
    changed.unwrap_or(message)
}

impl From<&ofxkit_syntax::Diagnostic> for Diagnostic {
    fn from(d: &ofxkit_syntax::Diagnostic) -> Self {
        Diagnostic {
            code: d.code.as_str(),
            severity: d.severity,
            message: d.message.clone(),
            span: d.span,
            path: None,
            help: d.help.clone(),
            left_out: None,
        }
    }
}

/// The syntax layer's findings of `doc`, those that stand for findings left out by its cap
/// marked with their counts ([`Diagnostic::left_out`]).
pub(crate) fn syntax_findings(doc: &ofxkit_syntax::Document<'_>) -> Vec<Diagnostic> {
    let mut list: Vec<Diagnostic> = doc.diagnostics().iter().map(Diagnostic::from).collect();
    // They end the list, one per capped code, in the order of the counts.
    let suppressed = doc.suppressed_findings();
    let first = list.len().saturating_sub(suppressed.len());
    for (d, (code, n)) in list.iter_mut().skip(first).zip(suppressed) {
        if d.code == code.as_str() {
            d.left_out = Some(*n);
        }
    }
    list
}

impl From<&ofxkit_syntax::Error> for Diagnostic {
    fn from(e: &ofxkit_syntax::Error) -> Self {
        Diagnostic::new(e.code().as_str(), Severity::Error, e.span(), e.message())
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}[{}]: {}", self.severity, self.code, self.message)
    }
}
