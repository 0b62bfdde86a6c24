//! Properties of card-processor plans over random plans and random operation sequences
//! (issue 16): the schedule never lists a payment before the last one processed, never more
//! than `payments_no − current_payment_count` payments for a finite plan, every amount is
//! the last accepted price; a log applied twice leaves the state as it was, byte for byte;
//! no line, however malformed, panics.

use chrono::{Days, NaiveDate};
use ofxkit::plans::{PlanState, ResultCode};
use proptest::prelude::*;
use rust_decimal::Decimal;

/// One random step after the first payment.
#[derive(Debug, Clone)]
enum Step {
    /// A notification: count, and days after the first payment (may be before it).
    Notify(u32, i64),
    /// A move to this many days after the first payment.
    Move(i64),
    /// A reprice to this many bani (RON cents), or with a third decimal when odd and 1000+.
    Reprice(u64),
    Cancel,
    /// An operation on an order that does not exist.
    Unknown,
    /// A line that is not an event.
    Garbage(String),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (0u32..10, -5i64..400).prop_map(|(c, d)| Step::Notify(c, d)),
        2 => (-5i64..400).prop_map(Step::Move),
        2 => (0u64..200_000).prop_map(Step::Reprice),
        1 => Just(Step::Cancel),
        1 => Just(Step::Unknown),
        1 => "[ -~]{0,20}".prop_map(Step::Garbage),
    ]
}

fn date(first: NaiveDate, days: i64) -> String {
    let d = if days >= 0 {
        first.checked_add_days(Days::new(days as u64))
    } else {
        first.checked_sub_days(Days::new(days.unsigned_abs()))
    };
    format!("{} 10:00:00", d.unwrap_or(first))
}

fn price_text(bani: u64) -> String {
    if bani >= 1000 && bani % 2 == 1 {
        // Three decimals: refused for RON.
        format!("{}.{:03}", bani / 1000, bani % 1000)
    } else {
        format!("{}.{:02}", bani / 100, bani % 100)
    }
}

/// The log of a plan and its steps.
fn log(first: NaiveDate, payments_no: u32, interval: u32, bani: u64, steps: &[Step]) -> String {
    let mut lines = vec![format!(
        r#"{{"event":"payment","orderId":"A1","sacId":"S1","date":"{}","amount":"{}","currency":"RON","payments_no":{payments_no},"interval_day":{interval}}}"#,
        date(first, 0),
        price_text(bani - bani % 2)
    )];
    for s in steps {
        lines.push(match s {
            Step::Notify(c, d) => format!(
                r#"{{"event":"notification","orderId":"A1","current_payment_count":{c},"date":"{}"}}"#,
                date(first, *d)
            ),
            Step::Move(d) => format!(
                r#"{{"event":"moveRecurrence","orderId":"A1","recurrenceDate":"{}"}}"#,
                date(first, *d)
            ),
            Step::Reprice(b) => format!(
                r#"{{"event":"modifyRecurrencePrice","orderId":"A1","price":{}}}"#,
                price_text(*b)
            ),
            Step::Cancel => r#"{"event":"cancelRecurrence","orderId":"A1"}"#.to_owned(),
            Step::Unknown => r#"{"event":"cancelRecurrence","orderId":"B2"}"#.to_owned(),
            Step::Garbage(g) => g.clone(),
        });
    }
    lines.join("\n")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn schedules_follow_the_plan(
        start in 0u64..365,
        payments_no in 0u32..8,
        interval in 1u32..60,
        bani in 2u64..100_000,
        steps in proptest::collection::vec(step(), 0..24),
    ) {
        let first = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + Days::new(start);
        let text = log(first, payments_no, interval, bani, &steps);
        let mut state = PlanState::new();
        let outcomes = state.apply_log("p.ndjson", text.as_bytes());
        prop_assert_eq!(outcomes[0].result.code, ResultCode::Ok);

        // The last accepted price: the first payment's, then each reprice that was OK.
        let mut price: Decimal = price_text(bani - bani % 2).parse().unwrap();
        for o in &outcomes {
            if o.result.action.as_deref() == Some("modifyRecurrencePrice") && o.result.is_ok() {
                let line = text.lines().nth(o.result.line as usize - 1).unwrap();
                let v: serde_json::Value = serde_json::from_str(line).unwrap();
                price = v["price"].to_string().parse().unwrap();
            }
        }
        let plan = &state.plans["A1"];
        let rows: Vec<_> = plan.schedule(None, None, 500).map(|p| p.collect()).unwrap_or_default();
        let last = plan.payments.iter().map(|p| p.date.date()).max();
        let count = plan.last_count();
        for (i, row) in rows.iter().enumerate() {
            if let Some(last) = last {
                prop_assert!(row.date >= last, "{} before the last payment {}", row.date, last);
            }
            prop_assert_eq!(row.amount, Some(price), "amounts are the last accepted price");
            prop_assert_eq!(row.number, count + 1 + i as u32, "numbered after the last");
            prop_assert_eq!(row.of, (payments_no > 0).then_some(payments_no));
        }
        if payments_no > 0 {
            prop_assert!(rows.len() as u32 <= payments_no.saturating_sub(count));
        }
        prop_assert!(rows.windows(2).all(|w| w[0].date < w[1].date));

        // The same log again: the state does not change by a byte.
        let before = state.to_json();
        let again = state.apply_log("p.ndjson", text.as_bytes());
        prop_assert_eq!(state.to_json(), before);
        prop_assert_eq!(again.len(), outcomes.len());
        for (a, b) in again.iter().zip(&outcomes) {
            prop_assert_eq!(a.result.code, b.result.code);
        }
        // And read back from its JSON, the same state.
        prop_assert_eq!(PlanState::from_json(&state.to_json()).ok(), Some(state.clone()));
    }

    /// Lines of any bytes never panic, and change no plan unless they are events.
    #[test]
    fn any_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let mut state = PlanState::new();
        let outcomes = state.apply_log("x", &bytes);
        prop_assert!(outcomes.iter().all(|o| o.result.line >= 1));
    }

    /// Mutated event lines (a character replaced, dropped or doubled) never panic.
    #[test]
    fn mutated_lines_never_panic(at in 0usize..200, byte in any::<u8>(), mode in 0u8..3) {
        let line = r#"{"event":"payment","orderId":"A1","sacId":"S1","date":"2026-01-10 10:00:00","amount":"19.99","currency":"RON","payments_no":5,"interval_day":30}"#;
        let mut bytes = line.as_bytes().to_vec();
        let at = at % bytes.len();
        match mode {
            0 => bytes[at] = byte,
            1 => { bytes.remove(at); }
            _ => bytes.insert(at, bytes[at]),
        }
        let mut state = PlanState::new();
        let outcomes = state.apply_log("x", &bytes);
        let lines = bytes.split(|&b| b == b'\n').count();
        prop_assert!(outcomes.len() <= lines);
    }
}
