//! What applying a synchronization message did and found.

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Severity, Span};

/// The codes of the findings applying a message makes (each a [`Diagnostic`] at the element
/// it is about, info or warning): `I-SYNC-ALREADY-APPLIED`, `I-SYNC-REFRESH`,
/// `I-SYNC-TOKEN-ONLY`, `I-SYNC-CANCEL-PENDING`, `I-SYNC-MODIFY-PENDING`, `W-SYNC-LOST-SYNC`,
/// `W-SYNC-STALE-TOKEN`, `W-SYNC-NO-TOKEN`, `W-SYNC-ERROR`, `W-SYNC-UNKNOWN-ID`,
/// `W-SYNC-NO-ID`, `W-SYNC-STATUS-ERROR`, `W-SYNC-NOT-A-CHANGE`.
pub const CODES: &[&str] = &[
    "I-SYNC-ALREADY-APPLIED",
    "I-SYNC-REFRESH",
    "I-SYNC-TOKEN-ONLY",
    "I-SYNC-CANCEL-PENDING",
    "I-SYNC-MODIFY-PENDING",
    "W-SYNC-LOST-SYNC",
    "W-SYNC-STALE-TOKEN",
    "W-SYNC-NO-TOKEN",
    "W-SYNC-ERROR",
    "W-SYNC-UNKNOWN-ID",
    "W-SYNC-NO-ID",
    "W-SYNC-STATUS-ERROR",
    "W-SYNC-NOT-A-CHANGE",
];

/// The outcome of [`SyncState::apply`](super::SyncState::apply) and friends.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ApplyReport {
    /// Responses applied.
    pub applied: usize,
    /// Responses skipped (already applied, stale).
    pub skipped: usize,
    /// Objects created.
    pub added: usize,
    /// Objects changed (modified, new status).
    pub modified: usize,
    /// Objects cancelled or deleted.
    pub removed: usize,
    /// Findings (info and warnings, codes in [`CODES`]), in order.
    pub notes: Vec<Diagnostic>,
}

impl ApplyReport {
    /// Adds another report's counts and notes to this one.
    pub fn merge(&mut self, other: ApplyReport) {
        self.applied += other.applied;
        self.skipped += other.skipped;
        self.added += other.added;
        self.modified += other.modified;
        self.removed += other.removed;
        self.notes.extend(other.notes);
    }

    /// True when a note has this code.
    pub fn has(&self, code: &str) -> bool {
        self.notes.iter().any(|n| n.code == code)
    }

    pub(crate) fn note(
        &mut self,
        code: &'static str,
        severity: Severity,
        span: Span,
        message: String,
    ) {
        self.notes.push(Diagnostic::new(code, severity, span, message));
    }
}
