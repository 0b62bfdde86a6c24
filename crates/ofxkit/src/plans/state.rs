//! The state of every plan: what `ofxkit recurring apply` writes and reads back.

use std::collections::BTreeMap;
use std::fmt;
use std::io;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::codes::ResultCode;
use super::event::LogDateTime;
use crate::schedule::{Amounts, Interval, Labels, OfxRecurrence, Plan, Recurrence, ToOfxError};
use ofxkit_syntax::shown;

/// The format version [`PlanState`] writes.
pub const PLAN_STATE_VERSION: u32 = 1;

/// Where a plan stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanStatus {
    /// Set up by its first payment, which is not notified yet.
    Pending,
    /// Scheduled: payments are due.
    Active,
    /// Every payment of a finite plan was processed.
    Finished,
    /// Cancelled (`cancelRecurrence`).
    Cancelled,
    /// The first payment was notified with `current_payment_count` 0: the recurrence could
    /// not be scheduled, the plan ended there.
    NotScheduled,
}

impl PlanStatus {
    /// The name written in the state (`not_scheduled`, …).
    pub fn name(self) -> &'static str {
        match self {
            PlanStatus::Pending => "pending",
            PlanStatus::Active => "active",
            PlanStatus::Finished => "finished",
            PlanStatus::Cancelled => "cancelled",
            PlanStatus::NotScheduled => "not_scheduled",
        }
    }
}

/// A processed payment, as notified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProcessedPayment {
    /// Its number (`current_payment_count`; the first payment is 1, also when it was
    /// notified with 0).
    pub count: u32,
    /// When it was processed.
    pub date: LogDateTime,
    /// The plan's price then.
    pub amount: Decimal,
}

/// One plan, by order id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanEntry {
    /// The order id.
    #[serde(rename = "orderId")]
    pub order_id: String,
    /// The merchant account.
    #[serde(rename = "sacId")]
    pub sac_id: String,
    /// ISO 4217 code.
    pub currency: String,
    /// The amount of every payment not yet processed (the last accepted price), with the
    /// currency's decimals.
    pub price: Decimal,
    /// Payments in all, the first included; 0: without end.
    pub payments_no: u32,
    /// Days between one payment and the next (at least 1).
    pub interval_day: u32,
    /// When the first payment was made.
    pub first_date: LogDateTime,
    /// The first payment's amount, with the currency's decimals.
    pub first_amount: Decimal,
    /// Where the plan stands.
    pub status: PlanStatus,
    /// When the next payment is due; none when no payment is due (ended, cancelled, or past
    /// 9999-12-31).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<LogDateTime>,
    /// The payments processed, by number.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub payments: Vec<ProcessedPayment>,
}

impl PlanEntry {
    /// The highest payment number notified (0 before the first notification).
    pub fn last_count(&self) -> u32 {
        self.payments.last().map_or(0, |p| p.count)
    }

    /// The latest date a payment was processed on.
    pub fn last_processed(&self) -> Option<LogDateTime> {
        self.payments.iter().map(|p| p.date).max()
    }

    /// The payments still due as a [`Recurrence`]: from the next due date, every
    /// `interval_day` days, as many as are left (`payments_no` − the last payment number;
    /// none when without end); `None` when none is due.
    pub fn recurrence(&self) -> Option<Recurrence> {
        if !matches!(self.status, PlanStatus::Pending | PlanStatus::Active) {
            return None;
        }
        let next = self.next?;
        let count = match self.payments_no {
            0 => None,
            n => Some(n.checked_sub(self.last_count()).filter(|&left| left > 0)?),
        };
        Some(Recurrence::new(next.date(), Interval::days(self.interval_day)?, count))
    }

    /// The whole plan as an OFX recurring model's `FREQ` and `NINSTS` (issue 15's writer
    /// writes them): only when a `FREQ` is exactly `interval_day` (7, 14 or 28 days) and
    /// `payments_no` fits `NINSTS`; 0 payments (no end) is no `NINSTS`.
    ///
    /// ```
    /// use ofxkit::plans::PlanState;
    /// use ofxkit::schedule::{Frequency, ToOfxError};
    /// let mut state = PlanState::new();
    /// state.apply_log("log", br#"{"event":"payment","orderId":"W","sacId":"S","date":"2026-01-10 10:00:00","amount":"5","currency":"EUR","payments_no":0,"interval_day":14}
    /// {"event":"payment","orderId":"M","sacId":"S","date":"2026-01-10 10:00:00","amount":"5","currency":"EUR","payments_no":5,"interval_day":30}"#);
    /// let weekly = state.plans["W"].to_ofx().unwrap();
    /// assert_eq!((weekly.frequency, weekly.instalments), (Frequency::Biweekly, None));
    /// assert_eq!(state.plans["M"].to_ofx(), Err(ToOfxError::NoFrequency { days: 30 }));
    /// ```
    pub fn to_ofx(&self) -> Result<OfxRecurrence, ToOfxError> {
        let Some(interval) = Interval::days(self.interval_day) else {
            return Err(ToOfxError::NoFrequency { days: 0 });
        };
        let count = (self.payments_no > 0).then_some(self.payments_no);
        Recurrence::new(self.first_date.date(), interval, count).to_ofx()
    }

    /// The payments still due on or after `from`, up to `until`, at most `limit`, numbered
    /// after the last one notified, each of the current price; `None` when none is due.
    pub fn schedule(
        &self,
        from: Option<NaiveDate>,
        until: Option<NaiveDate>,
        limit: usize,
    ) -> Option<Plan<'_>> {
        let recurrence = self.recurrence()?;
        let labels = Labels {
            id: &self.order_id,
            currency: Some(&self.currency),
            payee: Some(&self.sac_id),
        };
        let amounts = Amounts { first: None, last: None, other: Some(self.price) };
        Some(Plan::of(labels, amounts, &recurrence, self.last_count(), from, until, limit))
    }
}

/// Every plan, and the lines already applied (so that a log replayed changes nothing).
///
/// Serialises to JSON (the state file of `ofxkit recurring apply`); maps are ordered by key
/// so the file is stable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanState {
    /// Format version ([`PLAN_STATE_VERSION`]).
    pub version: u32,
    /// Plans by order id.
    pub plans: BTreeMap<String, PlanEntry>,
    /// The lines applied, by fingerprint (FNV-1a, 64 bits, of the line without the blanks
    /// around it, in hexadecimal): the result code each time the line came.
    pub applied: BTreeMap<String, Vec<ResultCode>>,
}

impl Default for PlanState {
    fn default() -> PlanState {
        PlanState::new()
    }
}

/// Why a state file was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateError(String);

impl fmt::Display for StateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StateError {}

impl PlanState {
    /// An empty state.
    pub fn new() -> PlanState {
        PlanState { version: PLAN_STATE_VERSION, plans: BTreeMap::new(), applied: BTreeMap::new() }
    }

    /// Reads a state written by [`PlanState::write_json`], strictly: the three keys, no key
    /// this version does not know at any level, each plan filed under its own order id, an
    /// interval of at least one day, a currency with a minor unit, payments in increasing
    /// number.
    pub fn from_json(text: &str) -> Result<PlanState, StateError> {
        let state: PlanState = serde_json::from_str(text)
            .map_err(|e| StateError(format!("not a plan state: {}", shown(&e.to_string()))))?;
        if state.version != PLAN_STATE_VERSION {
            return Err(StateError(format!(
                "plan state version {} (this ofxkit reads {PLAN_STATE_VERSION})",
                state.version
            )));
        }
        for (key, plan) in &state.plans {
            let bad = |why: String| StateError(format!("plan {}: {why}", shown(key)));
            if *key != plan.order_id {
                return Err(bad(format!("filed under another id ({})", shown(&plan.order_id))));
            }
            if plan.interval_day == 0 {
                return Err(bad("interval_day is 0".to_owned()));
            }
            if crate::validate::minor_units(&plan.currency).is_none() {
                return Err(bad(format!("currency {} has no minor unit", shown(&plan.currency))));
            }
            if !plan
                .payments
                .windows(2)
                .all(|w| w.first().map(|a| a.count) < w.get(1).map(|b| b.count))
            {
                return Err(bad("payments are not in increasing number".to_owned()));
            }
        }
        Ok(state)
    }

    /// Writes the state as indented JSON and a line break.
    pub fn write_json(&self, mut out: impl io::Write) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut out, self).map_err(io::Error::other)?;
        out.write_all(b"\n")
    }

    /// The state as [`PlanState::write_json`] writes it.
    pub fn to_json(&self) -> String {
        let mut out = Vec::new();
        // Writing to memory cannot fail, and JSON is UTF-8.
        let _ = self.write_json(&mut out);
        String::from_utf8(out).unwrap_or_default()
    }
}
