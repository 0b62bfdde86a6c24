//! Findings about a file: one [`Diagnostic`] type and one [`Severity`] for the reader, the
//! model, the validator and synchronization (defined in `ofxkit-syntax`, the lowest layer,
//! and re-exported here).
//!
//! Reader findings keep their `E-…`/`W-…` codes ([`ofxkit_syntax::Code`]); the model adds its
//! own (`W-AMOUNT-…`, `E-DATE-…`, `W-UNKNOWN-CODE`, `W-DUPLICATE-ELEMENT`, …), the validator its
//! rule ids (`OFX-STR-001`, …), synchronization its notes (`I-SYNC-…`, `W-SYNC-…`).

pub use ofxkit_syntax::{Diagnostic, Severity, Span};

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

/// The syntax layer's findings of `doc`, those that stand for findings left out by its cap
/// marked with their counts ([`Diagnostic::left_out`]).
pub(crate) fn syntax_findings(doc: &ofxkit_syntax::Document<'_>) -> Vec<Diagnostic> {
    let mut list: Vec<Diagnostic> = doc.diagnostics().to_vec();
    // They end the list, one per capped code, in the order of the counts.
    let suppressed = doc.suppressed_findings();
    let first = list.len().saturating_sub(suppressed.len());
    for (d, (code, n)) in list.iter_mut().skip(first).zip(suppressed) {
        if d.code == *code {
            d.left_out = Some(*n);
        }
    }
    list
}
