//! The date range to ask an institution for next, and why.
//!
//! - With transactions on file: from the last posted date minus [`OVERLAP_DAYS`] (a late
//!   posting or a correction inside the overlap is caught; the ledger deduplicates the
//!   rest), until today.
//! - With none: with strong customer authentication just done (`sca`), the whole range
//!   `days_back` allows; without it at most [`WITHOUT_SCA_DAYS`] days (`MIN(days_back,
//!   90)`, and 90 when `days_back` is not given).
//! - A paged download (several files for one request) keeps one range: the first call with
//!   a download id records it, later calls with that id return it unchanged (the pages'
//!   imports move the last transaction date, the window must not move).
//!
//! "Today" is the caller's: the ledger never reads the clock.

use chrono::{Days, NaiveDate};
use serde::Serialize;

use crate::error::{Error, Result};
use crate::import::AccountKey;
use crate::status::split_institution;
use crate::store::{Store, Value, first, rows, take};

/// Days of overlap before the last transaction on file.
pub const OVERLAP_DAYS: u64 = 4;
/// The most days asked for without strong customer authentication.
pub const WITHOUT_SCA_DAYS: u32 = 90;

/// What to compute a window for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WindowRequest {
    /// The account: its `ACCTID` (unique among the ledger's accounts).
    pub account: String,
    /// How far back the institution lets a download go, in days.
    pub days_back: Option<u32>,
    /// The user has just authenticated strongly.
    pub sca: bool,
    /// Today's date (the caller's clock; fixed in tests).
    pub today: NaiveDate,
    /// A download id: the range is pinned under it on the first call.
    pub download: Option<String>,
}

/// A range to ask for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Window {
    /// The account.
    pub account: AccountKey,
    /// The first day.
    pub from: NaiveDate,
    /// The last day.
    pub until: NaiveDate,
    /// Why this range.
    pub reason: String,
    /// The download id it is pinned under.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub download: Option<String>,
}

/// Finds the one account whose `ACCTID` is `account_id`.
pub(crate) fn find_account(store: &mut dyn Store, account_id: &str) -> Result<(i64, AccountKey)> {
    let found = rows(
        store,
        "SELECT id, institution, kind, bank_id, branch_id, account_id FROM accounts \
         WHERE account_id = ? ORDER BY id",
        &[Value::Text(account_id)],
    )?;
    let mut keys: Vec<(i64, AccountKey)> = found
        .into_iter()
        .map(|mut r| {
            let id = take(&mut r, 0).int().unwrap_or(0);
            let (org, fid) = split_institution(take(&mut r, 1).text().unwrap_or_default());
            let mut t = |i| take(&mut r, i).into_text().unwrap_or_default();
            (
                id,
                AccountKey {
                    org,
                    fid,
                    kind: t(2),
                    bank_id: t(3),
                    branch_id: t(4),
                    account_id: t(5),
                },
            )
        })
        .collect();
    match keys.len() {
        0 => Err(Error::usage(format!(
            "no account {} in the ledger",
            ofxkit::syntax::shown(account_id)
        ))),
        1 => Ok(keys.remove(0)),
        n => Err(Error::usage(format!(
            "{n} accounts have the id {} (at different institutions): the window needs one",
            ofxkit::syntax::shown(account_id)
        ))),
    }
}

fn parse_day(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// The window for `req`.
pub(crate) fn window(store: &mut dyn Store, req: &WindowRequest) -> Result<Window> {
    let (id, account) = find_account(store, &req.account)?;
    if let Some(download) = &req.download {
        let pinned = first(
            store,
            "SELECT start_date, end_date, reason FROM downloads WHERE id = ? AND account = ?",
            &[Value::Text(download), Value::Int(id)],
        )?;
        if let Some(mut r) = pinned {
            let from = take(&mut r, 0).text().and_then(parse_day);
            let until = take(&mut r, 1).text().and_then(parse_day);
            if let (Some(from), Some(until)) = (from, until) {
                let reason = take(&mut r, 2).into_text().unwrap_or_default();
                return Ok(Window {
                    account,
                    from,
                    until,
                    reason,
                    download: Some(download.clone()),
                });
            }
        }
    }
    let last = first(
        store,
        "SELECT MAX(posted) FROM transactions WHERE account = ? AND booked = 1 AND posted <> ''",
        &[Value::Int(id)],
    )?
    .and_then(|mut r| take(&mut r, 0).into_text())
    .and_then(|t| parse_day(&t));
    let today = req.today;
    let back = |days: u32| today.checked_sub_days(Days::new(days.into())).unwrap_or(NaiveDate::MIN);
    let (from, reason) = match last {
        Some(last) => {
            let from = last.checked_sub_days(Days::new(OVERLAP_DAYS)).unwrap_or(NaiveDate::MIN);
            (
                from,
                format!(
                    "transactions on file: the last is dated {last}; from {OVERLAP_DAYS} days before it"
                ),
            )
        }
        None if req.sca => {
            let days = req.days_back.unwrap_or(WITHOUT_SCA_DAYS);
            (
                back(days),
                format!(
                    "no transaction on file; strong authentication: the whole {days} days back"
                ),
            )
        }
        None => {
            let days = req.days_back.map_or(WITHOUT_SCA_DAYS, |d| d.min(WITHOUT_SCA_DAYS));
            (
                back(days),
                format!(
                    "no transaction on file; without strong authentication: {days} days \
                     (at most {WITHOUT_SCA_DAYS})"
                ),
            )
        }
    };
    let from = from.min(today);
    if let Some(download) = &req.download {
        store.begin()?;
        let written = store.execute(
            "INSERT INTO downloads (id, account, start_date, end_date, reason) \
             VALUES (?, ?, ?, ?, ?) ON CONFLICT (id, account) DO NOTHING",
            &[
                Value::Text(download),
                Value::Int(id),
                Value::Text(&from.to_string()),
                Value::Text(&today.to_string()),
                Value::Text(&reason),
            ],
        );
        match written {
            Ok(_) => store.commit()?,
            Err(e) => {
                let _ = store.rollback();
                return Err(e);
            }
        }
        // Another caller may have pinned it first: what is recorded wins.
        return window(store, &WindowRequest { download: Some(download.clone()), ..req.clone() })
            .map(|w| Window { download: Some(download.clone()), ..w });
    }
    Ok(Window { account, from, until: today, reason, download: None })
}
