//! The sessions held: one per file imported, with what each changed.

use serde::Serialize;

use crate::error::Result;
use crate::status::split_institution;
use crate::store::{Store, rows, take};

/// One session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SessionSummary {
    /// Its id (the `executionId` of the errors it recorded).
    pub id: i64,
    /// The file's path as given to `import`.
    pub source: String,
    /// The SHA-256 of the file.
    pub hash: String,
    /// The file's `DTSERVER`, as written.
    #[serde(rename = "serverDate")]
    pub server_date: Option<String>,
    /// `FI/ORG`.
    pub org: String,
    /// `FI/FID`.
    pub fid: String,
    /// The user.
    pub user: String,
    /// What it changed.
    #[serde(flatten)]
    pub counts: crate::import::Counts,
    /// Accounts it failed.
    #[serde(rename = "failedAccounts")]
    pub failed_accounts: u64,
}

pub(crate) fn sessions(store: &mut dyn Store) -> Result<Vec<SessionSummary>> {
    let found = rows(
        store,
        "SELECT id, source, hash, server_date, institution, user_id, added, updated, replaced, \
         deleted, deleted_pending, unchanged, rejected, failed_accounts FROM sessions ORDER BY id",
        &[],
    )?;
    Ok(found
        .into_iter()
        .map(|mut r| {
            let n = |r: &mut Vec<_>, i| take(r, i).int().unwrap_or(0).max(0) as u64;
            let (org, fid) = split_institution(take(&mut r, 4).text().unwrap_or_default());
            SessionSummary {
                id: take(&mut r, 0).int().unwrap_or(0),
                source: take(&mut r, 1).into_text().unwrap_or_default(),
                hash: take(&mut r, 2).into_text().unwrap_or_default(),
                server_date: take(&mut r, 3).into_text(),
                org,
                fid,
                user: take(&mut r, 5).into_text().unwrap_or_default(),
                counts: crate::import::Counts {
                    added: n(&mut r, 6),
                    updated: n(&mut r, 7),
                    replaced: n(&mut r, 8),
                    deleted: n(&mut r, 9),
                    deleted_pending: n(&mut r, 10),
                    unchanged: n(&mut r, 11),
                    rejected: n(&mut r, 12),
                },
                failed_accounts: n(&mut r, 13),
            }
        })
        .collect())
}
