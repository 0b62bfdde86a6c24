//! What applying a synchronization message did and found.

use std::fmt;

use serde::Serialize;

use crate::diagnostic::Span;

/// How much a [`Note`] matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// For information (a response already applied, a refresh).
    Info,
    /// Something the user should look at (LOSTSYNC, an unknown id, a failed request).
    Warning,
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Level::Info => "info",
            Level::Warning => "warning",
        })
    }
}

/// One finding, with a stable code and the position of the element it is about.
///
/// Codes: `I-SYNC-ALREADY-APPLIED`, `I-SYNC-REFRESH`, `I-SYNC-TOKEN-ONLY`,
/// `I-SYNC-CANCEL-PENDING`, `I-SYNC-MODIFY-PENDING`, `W-SYNC-LOST-SYNC`,
/// `W-SYNC-STALE-TOKEN`, `W-SYNC-NO-TOKEN`,
/// `W-SYNC-ERROR`, `W-SYNC-UNKNOWN-ID`, `W-SYNC-NO-ID`, `W-SYNC-STATUS-ERROR`,
/// `W-SYNC-NOT-A-CHANGE`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    /// Stable identifier.
    pub code: &'static str,
    /// Info or warning.
    pub level: Level,
    /// What happened.
    pub message: String,
    /// Byte range of the element in its file.
    pub span: Span,
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}[{}]: {}", self.level, self.code, self.message)
    }
}

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
    /// Findings, in order.
    pub notes: Vec<Note>,
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

    pub(crate) fn note(&mut self, code: &'static str, level: Level, span: Span, message: String) {
        self.notes.push(Note { code, level, message, span });
    }
}
