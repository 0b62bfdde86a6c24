//! Applying plan-log lines to a [`PlanState`], each to a result object.

use std::collections::HashMap;

use super::codes::{Detail, OperationResult, ResultCode};
use super::event::{
    Event, FirstPayment, LogDateTime, Notification, Refusal, fit_currency, parse_event,
};
use super::state::{PlanEntry, PlanState, PlanStatus, ProcessedPayment};
use ofxkit_syntax::shown;

/// A notification that disagrees with the state, reported with its line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanWarning {
    /// Stable code (`W-PLAN-COUNT-GAP`, …).
    pub code: &'static str,
    /// What disagrees; text from the log is quoted through [`shown`].
    pub message: String,
}

/// What one line gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineOutcome {
    /// The result object.
    pub result: OperationResult,
    /// Disagreements with the state (notifications only).
    pub warnings: Vec<PlanWarning>,
    /// The line was applied before (in this state): nothing changed, and the code is the
    /// one it got then.
    pub already_applied: bool,
}

/// Applies the lines of one run (one or more logs, in order) to a state; see
/// [`PlanState::applier`].
pub struct Applier<'s> {
    state: &'s mut PlanState,
    /// How many times each line (by fingerprint) came in this run.
    met: HashMap<String, usize>,
}

impl PlanState {
    /// Starts a run of logs over this state. A line that comes for the n-th time in the run
    /// is already applied when the state has seen it n times or more: replaying a log, or a
    /// log with lines added at its end, applies only what is new.
    pub fn applier(&mut self) -> Applier<'_> {
        Applier { state: self, met: HashMap::new() }
    }

    /// Applies every line of `log` (named `source` in the results), in order; see
    /// [`Applier::apply_log`].
    pub fn apply_log(&mut self, source: &str, log: &[u8]) -> Vec<LineOutcome> {
        let mut out = Vec::new();
        self.applier().apply_log(source, log, |o| out.push(o));
        out
    }
}

/// The fingerprint of a line: FNV-1a (64 bits) of its bytes, in hexadecimal.
fn fingerprint(line: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in line.as_bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")
}

impl Applier<'_> {
    /// Applies every line of `log` in order, calling `each` with what each line gave. Lines
    /// are split at LF (a CR before it is dropped, as is a UTF-8 byte-order mark at the
    /// start); blank lines are skipped; a line that is not UTF-8 is refused (`0x2000`).
    pub fn apply_log(&mut self, source: &str, log: &[u8], mut each: impl FnMut(LineOutcome)) {
        let log = log.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(log);
        for (i, line) in log.split(|&b| b == b'\n').enumerate() {
            let number = u64::try_from(i).unwrap_or(u64::MAX).saturating_add(1);
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            let outcome = match std::str::from_utf8(line) {
                Ok(text) => self.apply_line(source, number, text),
                Err(_) => Some(refused(
                    source,
                    number,
                    Refusal {
                        action: None,
                        order_id: None,
                        code: ResultCode::InvalidRequest,
                        details: vec![
                            Detail::new(ResultCode::InvalidRequest, "request", "the line refused"),
                            Detail::new(
                                ResultCode::InvalidRequest,
                                "json",
                                "the line is not UTF-8",
                            ),
                        ],
                    },
                )),
            };
            if let Some(outcome) = outcome {
                each(outcome);
            }
        }
    }

    /// Applies one line (`None` for a blank one). A line that is not an event is refused
    /// and changes nothing; an event is applied, or refused by the rules of the module's
    /// documentation, and remembered in the state as applied.
    pub fn apply_line(&mut self, source: &str, line: u64, text: &str) -> Option<LineOutcome> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        let event = match parse_event(text) {
            Ok(e) => e,
            Err(refusal) => return Some(refused(source, line, refusal)),
        };
        let key = fingerprint(text);
        let nth = self.met.entry(key.clone()).or_insert(0);
        *nth += 1;
        let earlier = self.state.applied.get(&key).and_then(|codes| codes.get(*nth - 1));
        if let Some(&code) = earlier {
            let detail = Detail::new(
                code,
                "already-applied",
                format!("this line was applied before (time {} it comes); nothing changed", *nth),
            );
            return Some(LineOutcome {
                result: result(source, line, &event, code, vec![detail]),
                warnings: Vec::new(),
                already_applied: true,
            });
        }
        let mut warnings = Vec::new();
        let (code, details) = match apply(self.state, &event, &mut warnings) {
            Ok(()) => (ResultCode::Ok, Vec::new()),
            Err((code, rule, why)) => {
                let outer = Detail::new(
                    code,
                    event.action(),
                    format!("{} for order {} refused", event.action(), shown(event.order_id())),
                );
                (code, vec![outer, Detail::new(code, rule, why)])
            }
        };
        self.state.applied.entry(key).or_default().push(code);
        Some(LineOutcome {
            result: result(source, line, &event, code, details),
            warnings,
            already_applied: false,
        })
    }
}

fn result(
    source: &str,
    line: u64,
    event: &Event,
    code: ResultCode,
    details: Vec<Detail>,
) -> OperationResult {
    OperationResult {
        action: Some(event.action().to_owned()),
        code,
        message: code.message(),
        details,
        order_id: Some(event.order_id().to_owned()),
        source: source.to_owned(),
        line,
    }
}

fn refused(source: &str, line: u64, r: Refusal) -> LineOutcome {
    LineOutcome {
        result: OperationResult {
            action: r.action,
            code: r.code,
            message: r.code.message(),
            details: r.details,
            order_id: r.order_id,
            source: source.to_owned(),
            line,
        },
        warnings: Vec::new(),
        already_applied: false,
    }
}

/// A refusal: the code, the rule, and why.
type Refused = (ResultCode, &'static str, String);

fn apply(
    state: &mut PlanState,
    event: &Event,
    warnings: &mut Vec<PlanWarning>,
) -> Result<(), Refused> {
    if let Event::Payment(p) = event {
        return first_payment(state, p);
    }
    let id = event.order_id();
    let Some(plan) = state.plans.get_mut(id) else {
        return Err((
            ResultCode::PurchaseNotFound,
            "order-unknown",
            format!("no plan has the order id {} (its first payment comes first)", shown(id)),
        ));
    };
    if let Some(sac) = event.sac_id().filter(|s| *s != plan.sac_id) {
        return Err((
            ResultCode::InvalidSellerAccount,
            "seller-account",
            format!(
                "the merchant account {} is not the plan's ({})",
                shown(sac),
                shown(&plan.sac_id)
            ),
        ));
    }
    match event {
        Event::Payment(_) => Ok(()),
        Event::Notification(n) => notification(plan, n, warnings),
        Event::Move(m) => {
            operable(plan)?;
            let last = plan.last_processed();
            if last.is_some_and(|l| m.recurrence_date <= l) {
                return Err((
                    ResultCode::InvalidData,
                    "move-not-after-last-payment",
                    format!(
                        "recurrenceDate {} is not after the last payment processed ({})",
                        m.recurrence_date,
                        last.map(|l| l.to_string()).unwrap_or_default()
                    ),
                ));
            }
            plan.next = Some(m.recurrence_date);
            Ok(())
        }
        Event::Reprice(r) => {
            operable(plan)?;
            let price = fit_currency(r.price, &plan.currency).map_err(|(rule, why)| {
                (ResultCode::InvalidData, rule, format!("\"price\" {why}"))
            })?;
            plan.price = price;
            Ok(())
        }
        Event::Cancel(_) => {
            operable(plan)?;
            plan.status = PlanStatus::Cancelled;
            plan.next = None;
            Ok(())
        }
    }
}

fn first_payment(state: &mut PlanState, p: &FirstPayment) -> Result<(), Refused> {
    let price = fit_currency(p.amount, &p.currency)
        .map_err(|(rule, why)| (ResultCode::InvalidData, rule, format!("\"amount\" {why}")))?;
    if let Some(plan) = state.plans.get(&p.order_id) {
        let same = plan.sac_id == p.sac_id
            && plan.currency == p.currency
            && plan.payments_no == p.payments_no
            && plan.interval_day == p.interval_day
            && plan.first_date == p.date
            && plan.first_amount == price;
        if same {
            return Ok(());
        }
        return Err((
            ResultCode::InvalidAction,
            "order-exists",
            format!(
                "order {} already has a plan, set up by a first payment on {}",
                shown(&p.order_id),
                plan.first_date
            ),
        ));
    }
    let plan = PlanEntry {
        order_id: p.order_id.clone(),
        sac_id: p.sac_id.clone(),
        currency: p.currency.clone(),
        price,
        payments_no: p.payments_no,
        interval_day: p.interval_day,
        first_date: p.date,
        first_amount: price,
        status: PlanStatus::Pending,
        next: Some(p.date),
        payments: Vec::new(),
    };
    state.plans.insert(p.order_id.clone(), plan);
    Ok(())
}

/// Refuses an operation on a plan that has no recurrence to change.
fn operable(plan: &PlanEntry) -> Result<(), Refused> {
    let why = match plan.status {
        PlanStatus::Active if plan.next.is_some() => return Ok(()),
        PlanStatus::Active => ("plan-no-next", "no payment is due (past 9999-12-31)"),
        PlanStatus::Pending => {
            ("plan-pending", "the first payment is not notified yet: there is no recurrence yet")
        }
        PlanStatus::Finished => ("plan-finished", "every payment of the plan was processed"),
        PlanStatus::Cancelled => ("plan-cancelled", "the plan was cancelled"),
        PlanStatus::NotScheduled => (
            "plan-not-scheduled",
            "the recurrence was not scheduled (first payment notified with count 0)",
        ),
    };
    Err((ResultCode::InvalidAction, why.0, why.1.to_owned()))
}

fn notification(
    plan: &mut PlanEntry,
    n: &Notification,
    warnings: &mut Vec<PlanWarning>,
) -> Result<(), Refused> {
    let id = shown(&plan.order_id).into_owned();
    let mut warn = |code: &'static str, message: String| {
        warnings.push(PlanWarning { code, message: format!("order {id}: {message}") });
    };
    let last = plan.last_count();
    let count = n.current_payment_count;
    // Count 0: the first payment, whose recurrence could not be scheduled.
    if count == 0 {
        if plan.status != PlanStatus::Pending {
            let why = format!(
                "current_payment_count 0 is for the first payment; payment {last} was notified \
                 already"
            );
            warn("W-PLAN-COUNT-ZERO", why.clone());
            return Err((ResultCode::InvalidAction, "count-zero", why));
        }
        if n.date.date() != plan.first_date.date() {
            warn(
                "W-PLAN-OFF-SCHEDULE",
                format!("the first payment notified on {}, made on {}", n.date, plan.first_date),
            );
        }
        record(plan, 1, n.date);
        plan.status = PlanStatus::NotScheduled;
        plan.next = None;
        return Ok(());
    }
    if let Some(before) = plan.payments.iter().find(|p| p.count == count) {
        if before.date == n.date {
            return Ok(());
        }
        let why =
            format!("payment {count} was notified before, on {}; this one ignored", before.date);
        warn("W-PLAN-RENOTIFIED", why.clone());
        return Err((ResultCode::InvalidAction, "count-repeated", why));
    }
    if plan.payments_no > 0 && count > plan.payments_no {
        let why = format!("payment {count} of a plan of {} payments; ignored", plan.payments_no);
        warn("W-PLAN-BEYOND-END", why.clone());
        return Err((ResultCode::InvalidAction, "count-beyond-plan", why));
    }
    let open = matches!(plan.status, PlanStatus::Pending | PlanStatus::Active);
    if !open {
        warn(
            "W-PLAN-AFTER-END",
            format!("payment {count} notified after the plan ended ({})", plan.status.name()),
        );
    }
    if count < last {
        warn("W-PLAN-OUT-OF-ORDER", format!("payment {count} notified after payment {last}"));
    } else if count > last + 1 {
        let missing = if count == last + 2 {
            format!("payment {} was", last + 1)
        } else {
            format!("payments {} to {} were", last + 1, count - 1)
        };
        warn(
            "W-PLAN-COUNT-GAP",
            format!("payment {count} notified after payment {last}: {missing} not notified"),
        );
    }
    if open && count > last {
        // When it was due: the next date, and `interval_day` more for each one skipped.
        let due = plan.next.and_then(|next| {
            let skipped = count - last - 1;
            next.plus_days(skipped.checked_mul(plan.interval_day)?)
        });
        if let Some(due) = due.filter(|d| d.date() != n.date.date()) {
            warn(
                "W-PLAN-OFF-SCHEDULE",
                format!("payment {count} processed on {}, due on {due}", n.date),
            );
        }
    }
    record(plan, count, n.date);
    if open && count > last {
        // The processor counts the next payment from the one it made.
        plan.status = PlanStatus::Active;
        plan.next = n.date.plus_days(plan.interval_day);
        if plan.payments_no > 0 && count >= plan.payments_no {
            plan.status = PlanStatus::Finished;
            plan.next = None;
        }
    }
    // Nothing is due before a payment already made.
    if let (Some(next), Some(latest)) = (plan.next, plan.last_processed())
        && next <= latest
    {
        plan.next = latest.plus_days(plan.interval_day);
    }
    Ok(())
}

/// Records payment `count`, at the plan's current price, in number order.
fn record(plan: &mut PlanEntry, count: u32, date: LogDateTime) {
    let at = plan.payments.partition_point(|p| p.count < count);
    plan.payments.insert(at, ProcessedPayment { count, date, amount: plan.price });
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAY: &str = r#"{"event":"payment","orderId":"A1","sacId":"S1","date":"2026-01-10 10:00:00","amount":"19.99","currency":"RON","payments_no":5,"interval_day":30}"#;

    fn note(count: u32, date: &str) -> String {
        format!(
            r#"{{"event":"notification","orderId":"A1","current_payment_count":{count},"date":"{date} 10:00:00"}}"#
        )
    }

    fn op(event: &str, extra: &str) -> String {
        format!(r#"{{"event":"{event}","orderId":"A1"{extra}}}"#)
    }

    fn run(state: &mut PlanState, lines: &[String]) -> Vec<LineOutcome> {
        state.apply_log("t.ndjson", lines.join("\n").as_bytes())
    }

    fn codes(outcomes: &[LineOutcome]) -> Vec<&'static str> {
        outcomes.iter().map(|o| o.result.code.as_str()).collect()
    }

    fn warnings(outcomes: &[LineOutcome]) -> Vec<&'static str> {
        outcomes.iter().flat_map(|o| o.warnings.iter().map(|w| w.code)).collect()
    }

    fn upcoming(state: &PlanState) -> Vec<String> {
        state.plans["A1"]
            .schedule(None, None, 100)
            .map(|p| p.map(|i| format!("{} {} {}", i.number, i.date, i.amount.unwrap())).collect())
            .unwrap_or_default()
    }

    #[test]
    fn a_plan_of_five_every_thirty_days_runs_to_its_end() {
        let mut state = PlanState::new();
        let out = run(&mut state, &[PAY.into(), note(1, "2026-01-10"), note(2, "2026-02-09")]);
        assert_eq!(codes(&out), ["0x5000"; 3]);
        assert!(warnings(&out).is_empty());
        assert_eq!(state.plans["A1"].status, PlanStatus::Active);
        assert_eq!(
            upcoming(&state),
            ["3 2026-03-11 19.99", "4 2026-04-10 19.99", "5 2026-05-10 19.99"]
        );
        let out =
            run(&mut state, &[note(3, "2026-03-11"), note(4, "2026-04-10"), note(5, "2026-05-10")]);
        assert_eq!(codes(&out), ["0x5000"; 3]);
        assert_eq!(state.plans["A1"].status, PlanStatus::Finished);
        assert!(upcoming(&state).is_empty());
        let out = run(&mut state, &[op("cancelRecurrence", "")]);
        assert_eq!(out[0].result.details.last().map(|d| d.rule), Some("plan-finished"));
        assert_eq!(codes(&out), ["0x3000"]);
    }

    #[test]
    fn count_zero_on_the_first_payment_ends_the_plan() {
        let mut state = PlanState::new();
        let out = run(&mut state, &[PAY.into(), note(0, "2026-01-10"), op("cancelRecurrence", "")]);
        assert_eq!(codes(&out), ["0x5000", "0x5000", "0x3000"]);
        assert_eq!(out[2].result.details.last().map(|d| d.rule), Some("plan-not-scheduled"));
        let plan = &state.plans["A1"];
        assert_eq!(plan.status, PlanStatus::NotScheduled);
        assert_eq!(plan.payments.len(), 1);
        assert!(upcoming(&state).is_empty());
    }

    #[test]
    fn move_then_reprice_then_cancel() {
        let mut state = PlanState::new();
        let out = run(
            &mut state,
            &[
                PAY.into(),
                note(1, "2026-01-10"),
                op("moveRecurrence", r#","recurrenceDate":"2026-03-15 10:00:00""#),
            ],
        );
        assert_eq!(codes(&out), ["0x5000"; 3]);
        assert_eq!(
            upcoming(&state),
            [
                "2 2026-03-15 19.99",
                "3 2026-04-14 19.99",
                "4 2026-05-14 19.99",
                "5 2026-06-13 19.99"
            ]
        );
        let out = run(&mut state, &[op("modifyRecurrencePrice", r#","price":24.99"#)]);
        assert_eq!(codes(&out), ["0x5000"]);
        assert_eq!(upcoming(&state)[0], "2 2026-03-15 24.99");
        // The moved payment is processed on its new date: no warning, the new price.
        let out = run(&mut state, &[note(2, "2026-03-15")]);
        assert!(warnings(&out).is_empty(), "{out:?}");
        assert_eq!(state.plans["A1"].payments[1].amount.to_string(), "24.99");
        let out = run(&mut state, &[op("cancelRecurrence", ""), op("cancelRecurrence", "")]);
        assert_eq!(codes(&out), ["0x5000", "0x3000"], "the same text twice in a run is twice");
        assert!(upcoming(&state).is_empty());
        let out = run(
            &mut state,
            &[
                op("moveRecurrence", r#","recurrenceDate":"2026-05-01 10:00:00""#),
                op("modifyRecurrencePrice", r#","price":"30""#),
            ],
        );
        assert_eq!(codes(&out), ["0x3000", "0x3000"]);
        assert!(
            out.iter().all(|o| o.result.details.last().map(|d| d.rule) == Some("plan-cancelled"))
        );
    }

    #[test]
    fn operations_are_refused_by_their_rules() {
        let mut state = PlanState::new();
        let lines = [
            op("cancelRecurrence", ""),
            PAY.into(),
            op("cancelRecurrence", ""),
            note(1, "2026-01-10"),
            op("moveRecurrence", r#","recurrenceDate":"2026-01-10 10:00:00""#),
            op("moveRecurrence", r#","recurrenceDate":"2026-01-10 09:00:00""#),
            op("modifyRecurrencePrice", r#","price":24.999"#),
            op("modifyRecurrencePrice", r#","price":-1"#),
            op("cancelRecurrence", r#","sacId":"S2""#),
            op("moveRecurrence", r#","recurrenceDate":"2026-13-01 10:00:00""#),
            PAY.replace("19.99", "29.99"),
            PAY.replace("\"payments_no\":5", "\"payments_no\":6"),
            PAY.replace("19.99", "19.990"),
        ];
        let out = run(&mut state, &lines);
        let got: Vec<_> = out
            .iter()
            .map(|o| (o.result.code.as_str(), o.result.details.last().map_or("", |d| d.rule)))
            .collect();
        assert_eq!(
            got,
            [
                ("0x4004", "order-unknown"),
                ("0x5000", ""),
                ("0x3000", "plan-pending"),
                ("0x5000", ""),
                ("0x4002", "move-not-after-last-payment"),
                ("0x4002", "move-not-after-last-payment"),
                ("0x4002", "price-decimals"),
                ("0x4002", "price-negative"),
                ("0x4005", "seller-account"),
                ("0x4002", "date-format"),
                ("0x3000", "order-exists"),
                ("0x3000", "order-exists"),
                // The same first payment written another way: nothing to change.
                ("0x5000", ""),
            ]
        );
        // The refusals changed nothing.
        assert_eq!(state.plans["A1"].price.to_string(), "19.99");
        assert_eq!(state.plans["A1"].status, PlanStatus::Active);
        // Every refusal's stack starts with the operation and ends with the rule.
        for o in out.iter().filter(|o| !o.result.is_ok()) {
            assert_eq!(o.result.details.len(), 2, "{o:?}");
            assert!(o.result.details.iter().all(|d| d.code == o.result.code), "{o:?}");
        }
    }

    #[test]
    fn notifications_that_disagree_are_warned() {
        let mut state = PlanState::new();
        let out = run(
            &mut state,
            &[
                PAY.into(),
                note(1, "2026-01-10"),
                note(3, "2026-03-11"),
                note(2, "2026-02-09"),
                note(2, "2026-02-10"),
                note(4, "2026-04-20"),
                note(0, "2026-04-20"),
                note(6, "2026-06-20"),
            ],
        );
        assert_eq!(
            codes(&out),
            ["0x5000", "0x5000", "0x5000", "0x5000", "0x3000", "0x5000", "0x3000", "0x3000"]
        );
        assert_eq!(
            warnings(&out),
            [
                "W-PLAN-COUNT-GAP",
                "W-PLAN-OUT-OF-ORDER",
                "W-PLAN-RENOTIFIED",
                "W-PLAN-OFF-SCHEDULE",
                "W-PLAN-COUNT-ZERO",
                "W-PLAN-BEYOND-END"
            ]
        );
        let gap = &out[2].warnings[0].message;
        assert_eq!(gap, "order A1: payment 3 notified after payment 1: payment 2 was not notified");
        // Payment 4 came late: payment 5 is due 30 days after it.
        assert_eq!(upcoming(&state), ["5 2026-05-20 19.99"]);
        let out = run(&mut state, &[op("cancelRecurrence", ""), note(5, "2026-05-20")]);
        assert_eq!(codes(&out), ["0x5000", "0x5000"]);
        assert_eq!(warnings(&out), ["W-PLAN-AFTER-END"]);
        assert_eq!(state.plans["A1"].status, PlanStatus::Cancelled);
    }

    /// Replays change nothing, byte for byte, and give the codes of the first time.
    #[test]
    fn replaying_a_log_changes_nothing() {
        let lines = [
            PAY.to_owned(),
            note(1, "2026-01-10"),
            op("moveRecurrence", r#","recurrenceDate":"2026-03-15 10:00:00""#),
            op("moveRecurrence", r#","recurrenceDate":"2026-02-20 10:00:00""#),
            note(2, "2026-02-20"),
            op("cancelRecurrence", r#","sacId":"S9""#),
            op("modifyRecurrencePrice", r#","price":24.99"#),
            "garbage".to_owned(),
            op("cancelRecurrence", ""),
        ];
        let mut state = PlanState::new();
        let first = run(&mut state, &lines);
        let once = state.to_json();
        let second = run(&mut state, &lines);
        assert_eq!(state.to_json(), once);
        assert_eq!(codes(&first), codes(&second));
        assert!(second.iter().filter(|o| o.result.action.is_some()).all(|o| o.already_applied));
        // The log with a line added: only that line is new.
        let mut longer = lines.to_vec();
        longer.push(op("cancelRecurrence", r#","note":"again""#));
        let third = run(&mut state, &longer);
        assert_eq!(
            third.iter().filter(|o| !o.already_applied).count(),
            2,
            "garbage, and the new line"
        );
        assert_eq!(codes(&third).last(), Some(&"0x3000"));
        // A state read back from its JSON is the same state.
        assert_eq!(PlanState::from_json(&state.to_json()), Ok(state.clone()));
    }

    #[test]
    fn lines_are_split_and_decoded_without_panics() {
        let mut state = PlanState::new();
        let mut log = b"\xEF\xBB\xBF".to_vec();
        log.extend_from_slice(PAY.as_bytes());
        log.extend_from_slice(
            b"\r\n\r\n   \n\xFF\xFE\n{\"event\":\"cancelRecurrence\",\"orderId\":\"A1\"}",
        );
        let out = state.apply_log("t", &log);
        let lines: Vec<_> = out.iter().map(|o| (o.result.line, o.result.code.as_str())).collect();
        assert_eq!(lines, [(1, "0x5000"), (4, "0x2000"), (5, "0x3000")]);
    }

    /// Counts near u32::MAX: no overflow, and no payment number is listed twice.
    #[test]
    fn the_largest_counts_neither_overflow_nor_repeat() {
        let mut state = PlanState::new();
        let pay = PAY.replace("\"payments_no\":5", "\"payments_no\":0");
        let out =
            run(&mut state, &[pay, note(u32::MAX - 1, "2026-01-10"), note(u32::MAX, "2026-02-09")]);
        assert_eq!(codes(&out), ["0x5000"; 3]);
        assert_eq!(warnings(&out), ["W-PLAN-COUNT-GAP"]);
        assert!(upcoming(&state).is_empty(), "payment numbers end at {}", u32::MAX);
        let out = run(&mut state, &[note(u32::MAX - 2, "2026-01-01")]);
        assert_eq!(warnings(&out), ["W-PLAN-OUT-OF-ORDER"]);
        let mut state = PlanState::new();
        let pay = PAY.replace("\"payments_no\":5", "\"payments_no\":0");
        run(&mut state, &[pay, note(u32::MAX - 1, "2026-01-10")]);
        assert_eq!(upcoming(&state), [format!("{} 2026-02-09 19.99", u32::MAX)]);
    }

    #[test]
    fn states_are_read_strictly() {
        let mut state = PlanState::new();
        run(&mut state, &[PAY.into(), note(1, "2026-01-10")]);
        let good = state.to_json();
        assert!(PlanState::from_json(&good).is_ok());
        let refused = [
            good.replace("\"version\": 1", "\"version\": 2"),
            good.replace("\"interval_day\": 30", "\"interval_day\": 0"),
            good.replace("\"orderId\": \"A1\"", "\"orderId\": \"B1\""),
            good.replace("\"currency\": \"RON\"", "\"currency\": \"XAU\""),
            good.replace("\"status\": \"active\"", "\"status\": \"paused\""),
            good.replace("\"sacId\"", "\"sacID\""),
            "{}".to_owned(),
            "[]".to_owned(),
        ];
        for text in refused {
            assert!(PlanState::from_json(&text).is_err(), "{text}");
        }
    }
}
