//! Consent: the accounts reached through an institution (and user) revoked or expired.

use crate::error::Result;
use crate::status::split_institution;
use crate::store::{Store, Value, rows, take};

/// What happened to a consent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsentAction {
    /// The user withdrew it: the accounts become inactive (kept, hidden from `status` and
    /// `export` unless asked for all).
    Revoke,
    /// It ran out: the accounts show `status: invalid`, `invalidationReason: Expired` and
    /// their `previousStatus`.
    Expire,
}

/// Marks the accounts of institution `fi` (its ORG or its FID), and of `user` when given;
/// returns how many. A later session that reads an account renews its consent.
pub(crate) fn consent(
    store: &mut dyn Store,
    action: ConsentAction,
    fi: &str,
    user: Option<&str>,
) -> Result<u64> {
    store.begin()?;
    let result = mark(store, action, fi, user);
    match result {
        Ok(n) => {
            store.commit()?;
            Ok(n)
        }
        Err(e) => {
            let _ = store.rollback();
            Err(e)
        }
    }
}

fn mark(store: &mut dyn Store, action: ConsentAction, fi: &str, user: Option<&str>) -> Result<u64> {
    let accounts = rows(store, "SELECT id, institution, user_id, consent FROM accounts", &[])?;
    let mut n = 0;
    for mut a in accounts {
        let id = take(&mut a, 0).int().unwrap_or(0);
        let (org, fid) = split_institution(take(&mut a, 1).text().unwrap_or_default());
        let account_user = take(&mut a, 2).into_text().unwrap_or_default();
        let consent = take(&mut a, 3).into_text().unwrap_or_default();
        if !(org.eq_ignore_ascii_case(fi) || fid == fi) || user.is_some_and(|u| u != account_user) {
            continue;
        }
        match action {
            ConsentAction::Revoke => {
                store.execute(
                    "UPDATE accounts SET consent = 'revoked' WHERE id = ?",
                    &[Value::Int(id)],
                )?;
            }
            ConsentAction::Expire => {
                let previous = match consent.as_str() {
                    "revoked" => Some("inactive"),
                    "expired" => None,
                    _ => Some("active"),
                };
                if let Some(previous) = previous {
                    store.execute(
                        "UPDATE accounts SET consent = 'expired', consent_previous = ? WHERE id = ?",
                        &[Value::Text(previous), Value::Int(id)],
                    )?;
                }
            }
        }
        n += 1;
    }
    Ok(n)
}
