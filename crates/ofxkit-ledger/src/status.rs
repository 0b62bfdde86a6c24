//! Each account's state, as an account-information service reports it.

use serde::Serialize;

use crate::error::Result;
use crate::import::AccountKey;
use crate::signon::SEP;
use crate::store::{Owned, Store, rows, take};

/// The state of one account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccountStatus {
    /// The account.
    pub account: AccountKey,
    /// The user it is reached as.
    pub user: String,
    /// The consent: `active`, `inactive` (revoked) or `invalid` (expired).
    pub status: &'static str,
    /// `Expired`, for an invalid consent.
    #[serde(rename = "invalidationReason", skip_serializing_if = "Option::is_none")]
    pub invalidation_reason: Option<&'static str>,
    /// The consent's status before it became invalid.
    #[serde(rename = "previousStatus", skip_serializing_if = "Option::is_none")]
    pub previous_status: Option<String>,
    /// `active` when the last session read the account, `failed` when it could not.
    #[serde(rename = "syncStatus")]
    pub sync_status: Option<String>,
    /// The server date of the last session that read the account without error.
    #[serde(rename = "lastSyncDate")]
    pub last_sync_date: Option<String>,
    /// `completed`, `partiallyFailed`, `failed`, or `inProgress` (PostgreSQL: a session is
    /// running for the account now).
    #[serde(rename = "transactionSyncStatus")]
    pub transaction_sync_status: Option<String>,
    /// The server date of the last fully successful transaction refresh.
    #[serde(rename = "transactionSyncDate")]
    pub transaction_sync_date: Option<String>,
    /// The latest posted date (`YYYY-MM-DD`) of the booked transactions held.
    #[serde(rename = "lastTransactionDate")]
    pub last_transaction_date: Option<String>,
    /// Why the last session failed the account (or took only part of it).
    #[serde(rename = "syncError", skip_serializing_if = "Option::is_none")]
    pub sync_error: Option<SyncError>,
}

/// Why a session failed an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SyncError {
    /// `internal`, `aspspResponse`, `signature` or `missingAccount`.
    #[serde(rename = "errorType")]
    pub error_type: String,
    /// The server's status, for `aspspResponse` and `signature`.
    #[serde(rename = "aspspResponse", skip_serializing_if = "Option::is_none")]
    pub aspsp_response: Option<AspspResponse>,
    /// The session.
    #[serde(rename = "executionId")]
    pub execution_id: Option<i64>,
    /// What happened.
    pub message: String,
}

/// A server's status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AspspResponse {
    /// The `STATUS` `CODE`.
    pub status: Option<String>,
    /// Its `MESSAGE` (or the code's meaning).
    pub content: Option<String>,
}

/// Splits an institution key into ORG and FID.
pub(crate) fn split_institution(key: &str) -> (String, String) {
    match key.split_once(SEP) {
        Some((org, fid)) => (org.to_owned(), fid.to_owned()),
        None => (key.to_owned(), String::new()),
    }
}

/// Every account (revoked ones only with `all`), in key order.
pub(crate) fn status(store: &mut dyn Store, all: bool) -> Result<Vec<AccountStatus>> {
    let sql = format!(
        "SELECT a.id, a.institution, a.kind, a.bank_id, a.branch_id, a.account_id, a.user_id, \
         a.consent, a.consent_previous, a.sync_status, a.last_sync_date, a.tx_status, \
         a.tx_sync_date, a.error_type, a.error_code, a.error_content, a.error_session, \
         a.error_message, \
         (SELECT MAX(t.posted) FROM transactions t WHERE t.account = a.id AND t.booked = 1 \
          AND t.posted <> '') \
         FROM accounts a {} \
         ORDER BY a.institution, a.kind, a.bank_id, a.branch_id, a.account_id",
        if all { "" } else { "WHERE a.consent <> 'revoked'" }
    );
    let found = rows(store, &sql, &[])?;
    let mut out = Vec::with_capacity(found.len());
    for mut r in found {
        let id = take(&mut r, 0).int().unwrap_or(0);
        let (org, fid) = split_institution(take(&mut r, 1).text().unwrap_or_default());
        let text = |r: &mut Vec<Owned>, i| take(r, i).into_text();
        let account = AccountKey {
            org,
            fid,
            kind: text(&mut r, 2).unwrap_or_default(),
            bank_id: text(&mut r, 3).unwrap_or_default(),
            branch_id: text(&mut r, 4).unwrap_or_default(),
            account_id: text(&mut r, 5).unwrap_or_default(),
        };
        let user = text(&mut r, 6).unwrap_or_default();
        let consent = text(&mut r, 7).unwrap_or_default();
        let previous = text(&mut r, 8);
        let (status, reason, previous_status) = match consent.as_str() {
            "revoked" => ("inactive", None, None),
            "expired" => ("invalid", Some("Expired"), previous.or(Some("active".to_owned()))),
            _ => ("active", None, None),
        };
        let mut tx_status = text(&mut r, 11);
        if store.account_busy(id)? {
            tx_status = Some("inProgress".to_owned());
        }
        let error_type = text(&mut r, 13);
        let code = text(&mut r, 14);
        let content = text(&mut r, 15);
        let session = take(&mut r, 16).int();
        let message = text(&mut r, 17).unwrap_or_default();
        let sync_error = error_type.map(|t| SyncError {
            aspsp_response: (t == "aspspResponse" || t == "signature")
                .then_some(AspspResponse { status: code, content }),
            error_type: t,
            execution_id: session,
            message,
        });
        out.push(AccountStatus {
            account,
            user,
            status,
            invalidation_reason: reason,
            previous_status,
            sync_status: text(&mut r, 9),
            last_sync_date: text(&mut r, 10),
            transaction_sync_status: tx_status,
            transaction_sync_date: text(&mut r, 12),
            last_transaction_date: text(&mut r, 18),
            sync_error,
        });
    }
    Ok(out)
}
