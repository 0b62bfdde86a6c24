//! Recurring card payments run through a card processor: plans with a payment count and a
//! day interval, their notifications, and the operations that move, reprice or cancel them,
//! each answered with the processor's result codes.
//!
//! A plan log is NDJSON, one event a line, with the processor's field names (the JSON Schema
//! of a line is [`plan_log_schema`], published as `crates/ofxkit/schema/plan-log.schema.json`):
//!
//! ```text
//! {"event":"payment","orderId":"A1","sacId":"S1","date":"2026-01-10 10:00:00","amount":"19.99","currency":"RON","payments_no":5,"interval_day":30}
//! {"event":"notification","orderId":"A1","current_payment_count":1,"date":"2026-01-10 10:00:00"}
//! {"event":"moveRecurrence","orderId":"A1","recurrenceDate":"2026-03-15 10:00:00"}
//! {"event":"modifyRecurrencePrice","orderId":"A1","price":24.99}
//! {"event":"cancelRecurrence","orderId":"A1"}
//! ```
//!
//! Rules (the processor documents the messages, not a merchant's store; these are ours):
//! - **Reading.** Each line is a JSON object; a line that is not (or not UTF-8, or with a key
//!   given twice, or with no known `event`) is refused with `0x2000` and changes nothing; the
//!   lines after it are still applied. A missing or malformed field is `0x4002`, every such
//!   field listed; an empty `sacId` is `0x4005`. Fields not listed are allowed and ignored.
//!   Dates are exactly `YYYY-MM-DD HH:mm:ss`, the processor's local time, never shifted.
//!   Amounts and prices are read from the JSON token's text, a number or a string, never
//!   through a float; NaN and Infinity (bare or quoted), negative values, exponents, and more
//!   decimals than the currency's ISO 4217 minor unit are refused (`0x4002`); a price is kept
//!   with the currency's decimals (`25` RON is `25.00`).
//! - **First payment** (`payment`) sets a plan up: `pending` until the first notification,
//!   due on its date. The same first payment again changes nothing; a different one for the
//!   same order is `0x3000`.
//! - **Notifications** record processed payments at the plan's current price. On a pending
//!   plan, `current_payment_count` 0 records the first payment and ends the plan
//!   (`not_scheduled`); 1 makes it `active`. After a payment, the next is due `interval_day`
//!   days after the date notified (the processor counts from the payment it made); a finite
//!   plan whose last payment (`payments_no`) is notified is `finished`. A notification that
//!   disagrees with the state is reported as a warning: a count that skips a number
//!   (`W-PLAN-COUNT-GAP`, recorded), one older than the last (`W-PLAN-OUT-OF-ORDER`,
//!   recorded), a payment after the plan ended (`W-PLAN-AFTER-END`, recorded, the plan stays
//!   ended), a date off the schedule (`W-PLAN-OFF-SCHEDULE`, recorded), a count already
//!   notified on another date (`W-PLAN-RENOTIFIED`), past `payments_no`
//!   (`W-PLAN-BEYOND-END`) or 0 after the first (`W-PLAN-COUNT-ZERO`): these three are not
//!   recorded and give `0x3000`. The same notification again changes nothing.
//! - **Operations** name an order (`0x4004` when no plan has it) and may name the merchant
//!   account (`0x4005` when it is not the plan's). They need an active plan: on a pending,
//!   cancelled, finished or not-scheduled one they are `0x3000`. `moveRecurrence` sets the
//!   next payment's date (the ones after follow every `interval_day` days from it); a date
//!   not after the last payment processed is `0x4002`. `modifyRecurrencePrice` sets the
//!   amount of every payment not yet processed. `cancelRecurrence` ends the plan.
//! - **Results.** Every line gives a result object `{action, code, message, details}`, the
//!   code written as the processor lists it (`0x4004`), the message its names, `details` the
//!   stack of errors (the outermost first, each with its `code`, the `rule` that refused it
//!   and a message), with the order id, the log's name and the line.
//! - **Replays.** The state remembers every line it applied (a fingerprint of its text, and
//!   the code it got): a line that comes again is not applied again, and gives its first code
//!   with an `already-applied` detail. Replaying a log, whole or with lines added at its end,
//!   changes nothing but what is new. The n-th time one text comes in a run is new only when
//!   the state saw it fewer than n times, so two identical operations in one log are two;
//!   an operation repeated word for word in a later, separate log is taken as already
//!   applied (processors that add a date or an id to their lines make each line unique).
//!
//! ```
//! use ofxkit::plans::{PlanState, ResultCode};
//! let log = br#"{"event":"payment","orderId":"A1","sacId":"S1","date":"2026-01-10 10:00:00","amount":"19.99","currency":"RON","payments_no":5,"interval_day":30}
//! {"event":"notification","orderId":"A1","current_payment_count":1,"date":"2026-01-10 10:00:00"}
//! {"event":"modifyRecurrencePrice","orderId":"A1","price":24.99}
//! {"event":"cancelRecurrence","orderId":"B7"}
//! "#;
//! let mut state = PlanState::new();
//! let outcomes = state.apply_log("log.ndjson", log);
//! let codes: Vec<_> = outcomes.iter().map(|o| o.result.code.as_str()).collect();
//! assert_eq!(codes, ["0x5000", "0x5000", "0x5000", "0x4004"]);
//! let rows: Vec<String> = state.plans["A1"]
//!     .schedule(None, None, 10)
//!     .unwrap()
//!     .map(|i| format!("{}/{} {} {}", i.number, i.of.unwrap(), i.date, i.amount.unwrap()))
//!     .collect();
//! assert_eq!(rows, ["2/5 2026-02-09 24.99", "3/5 2026-03-11 24.99", "4/5 2026-04-10 24.99", "5/5 2026-05-10 24.99"]);
//!
//! // The same log again changes nothing.
//! let before = state.to_json();
//! let again = state.apply_log("log.ndjson", log);
//! assert!(again.iter().all(|o| o.already_applied));
//! assert_eq!(state.to_json(), before);
//! ```

mod apply;
mod codes;
mod event;
mod state;

pub use apply::{Applier, LineOutcome, PlanWarning};
pub use codes::{Detail, OperationResult, ResultCode};
pub use event::{
    CancelRecurrence, Event, FirstPayment, LogDateTime, ModifyRecurrencePrice, MoveRecurrence,
    Notification, Price, Refusal, parse_event,
};
pub use state::{
    PLAN_STATE_VERSION, PlanEntry, PlanState, PlanStatus, ProcessedPayment, StateError,
};

/// The JSON Schema (draft 2020-12) of one line of a plan log: one of the five events, with
/// the processor's field names; other fields are allowed.
///
/// ```
/// let schema = ofxkit::plans::plan_log_schema();
/// assert_eq!(schema["title"], "ofxkit plan log line");
/// ```
pub fn plan_log_schema() -> serde_json::Value {
    let generator =
        schemars::generate::SchemaSettings::draft2020_12().for_serialize().into_generator();
    let mut schema = generator.into_root_schema_for::<Event>();
    schema.insert("title".into(), "ofxkit plan log line".into());
    schema.insert(
        "description".into(),
        "One line of the plan log `ofxkit recurring apply` and `ofxkit schedule` read (NDJSON: \
         one such object a line): a card plan's first payment, a processed payment's \
         notification, or an operation (moveRecurrence, modifyRecurrencePrice, \
         cancelRecurrence). Field names are the card processor's; dates are YYYY-MM-DD \
         HH:mm:ss in its local time; amounts are exact."
            .into(),
    );
    schema.to_value()
}
