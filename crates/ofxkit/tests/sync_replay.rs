//! Replaying synchronization responses (`corpus/billpay/replay/`) to the current state.

use std::path::Path;

use ofxkit::model::SyncKind;
use ofxkit::sync::{AccountKey, ApplyReport, SyncState};
use rust_decimal::Decimal;

fn read(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus/billpay/replay").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Applies the files' synchronization messages in order.
fn replay(state: &mut SyncState, files: &[&str]) -> ApplyReport {
    let mut report = ApplyReport::default();
    for f in files {
        let bytes = read(f);
        let doc = ofxkit::parse(&bytes).expect("replay files parse");
        report.merge(state.apply_model(doc.model()));
    }
    report
}

fn codes(report: &ApplyReport) -> Vec<&'static str> {
    report.notes.iter().map(|n| n.code).collect()
}

fn dec(s: &str) -> Decimal {
    s.parse().expect("decimal")
}

fn checking() -> AccountKey {
    AccountKey {
        bank_id: Some("123456789".into()),
        branch_id: None,
        account_id: Some("1001".into()),
        account_type: Some("CHECKING".into()),
    }
}

#[test]
fn payee_created_modified_three_times_then_deleted() {
    let mut state = SyncState::new();
    let r = replay(&mut state, &["01-payees.ofx"]);
    assert_eq!((r.applied, r.added, r.modified, r.removed), (1, 1, 1, 0));
    let p = &state.payees["P100"];
    assert_eq!(p.payee.as_ref().map(|p| p.address.clone()), Some(vec!["2 Main St".to_owned()]));

    let r = replay(&mut state, &["02-payees.ofx"]);
    assert_eq!((r.added, r.modified), (1, 2), "P200 added, P100 modified twice");
    let p = &state.payees["P100"];
    assert_eq!(p.name(), Some("City Power & Light"));
    assert_eq!(p.payee.as_ref().map(|p| p.phones.clone()), Some(vec!["217-555-0199".to_owned()]));
    assert_eq!(p.pay_accounts, ["ACCT-779"]);
    assert_eq!(p.extended_payee.as_ref().and_then(|x| x.days_to_pay.as_deref()), Some("2"));
    assert!(!p.deleted);

    let r = replay(&mut state, &["03-payees.ofx"]);
    assert_eq!(r.removed, 1);
    assert!(state.payees["P100"].deleted, "the deleted payee keeps its latest form, marked");
    assert_eq!(state.payees["P100"].name(), Some("City Power & Light"));
    let refresh_view = state.snapshot(false);
    assert_eq!(refresh_view.payees.keys().collect::<Vec<_>>(), ["P200"]);
    assert_eq!(state.snapshot(true).payees.len(), 2);
    assert_eq!(state.token(SyncKind::Payees, None), Some("103"));
    let channel = state.channel(SyncKind::Payees, None).expect("payee channel");
    assert_eq!(channel.seen, ["101", "102", "103"]);
}

#[test]
fn payment_moves_from_willprocesson_to_processedon() {
    let mut state = SyncState::new();
    replay(&mut state, &["01-payments.ofx"]);
    let p = &state.payments["S1001"];
    assert_eq!(p.processing_code.as_deref(), Some("WILLPROCESSON"));
    assert_eq!(p.processing_date.as_deref(), Some("2024-03-13"));
    assert_eq!(p.details.amount, Some(dec("120.50")));
    assert_eq!(p.check_number, None);
    assert_eq!(state.payments.len(), 2);

    let r = replay(&mut state, &["02-payments.ofx"]);
    assert_eq!((r.modified, r.removed), (1, 1));
    let p = &state.payments["S1001"];
    assert_eq!(p.processing_code.as_deref(), Some("PROCESSEDON"));
    assert_eq!(p.processing_date.as_deref(), Some("2024-03-15"));
    assert_eq!(p.check_number.as_deref(), Some("5012"));
    assert!(!p.cancelled);
    assert!(state.payments["S1002"].cancelled);
    assert_eq!(state.snapshot(false).payments.keys().collect::<Vec<_>>(), ["S1001"]);
    assert_eq!(state.token(SyncKind::Payments, Some(&checking())), Some("202"));
}

#[test]
fn cancelled_recurring_model_takes_its_pending_payments_along() {
    let mut state = SyncState::new();
    replay(&mut state, &["01-recurring.ofx"]);
    assert_eq!(state.recurring.len(), 2);
    assert!(!state.payments["S3001"].cancelled);
    assert_eq!(state.payments["S3001"].recurring_id.as_deref(), Some("R2"));

    let r = replay(&mut state, &["02-recurring.ofx"]);
    assert!(codes(&r).contains(&"I-SYNC-CANCEL-PENDING"), "{:?}", r.notes);
    assert!(state.recurring["R2"].cancelled);
    assert!(state.payments["S3001"].cancelled, "CANPENDING Y cancels the model's pending payment");
    let r1 = &state.recurring["R1"];
    assert!(!r1.cancelled);
    assert_eq!(r1.details.amount, Some(dec("55.00")));
    assert_eq!((r1.frequency.as_deref(), r1.instalments), (Some("MONTHLY"), Some(12)));
    let view = state.snapshot(false);
    assert_eq!(view.recurring.keys().collect::<Vec<_>>(), ["R1"]);
    assert!(view.payments.is_empty());
    assert_eq!(state.token(SyncKind::Recurring, Some(&checking())), Some("402"));
    assert_eq!(state.token(SyncKind::Payments, Some(&checking())), Some("301"));
}

#[test]
fn lostsync_is_reported_and_a_refresh_answer_repairs_the_state() {
    let mut state = SyncState::new();
    replay(&mut state, &["01-payments.ofx"]);
    let r = replay(&mut state, &["lostsync.ofx"]);
    assert!(codes(&r).contains(&"W-SYNC-LOST-SYNC"), "{:?}", r.notes);
    let ch = state.channel(SyncKind::Payments, Some(&checking())).expect("channel");
    assert!(ch.needs_refresh);
    assert_eq!(ch.token.as_deref(), Some("250"));
    assert!(state.payments.contains_key("S1005"), "the changes LOSTSYNC carries are applied");

    // The client refreshes: the request (REFRESH in lower case) says the next response is
    // the whole current state, so what it leaves out is gone.
    let r = replay(&mut state, &["refresh-request.ofx", "refresh.ofx"]);
    assert!(codes(&r).contains(&"I-SYNC-REFRESH"), "{:?}", r.notes);
    let ch = state.channel(SyncKind::Payments, Some(&checking())).expect("channel");
    assert!(!ch.needs_refresh);
    assert_eq!(ch.token.as_deref(), Some("270"));
    assert_eq!(state.snapshot(false).payments.keys().collect::<Vec<_>>(), ["S1001"]);
    assert_eq!(state.payments["S1001"].processing_code.as_deref(), Some("PROCESSEDON"));
}

#[test]
fn replayed_history_equals_what_a_refresh_returns() {
    let mut history = SyncState::new();
    replay(&mut history, &["01-payments.ofx", "02-payments.ofx"]);
    let mut refreshed = SyncState::new();
    replay(&mut refreshed, &["refresh-request.ofx", "refresh.ofx"]);
    assert_eq!(history.objects(), refreshed.objects());
    assert_eq!(history.objects().payments.len(), 1);
}

#[test]
fn applying_the_same_file_twice_changes_nothing() {
    let mut once = SyncState::new();
    replay(&mut once, &["01-payments.ofx", "02-payments.ofx", "01-recurring.ofx"]);
    let mut twice = once.clone();
    let r = replay(&mut twice, &["02-payments.ofx", "01-recurring.ofx"]);
    assert_eq!(twice, once);
    assert_eq!((r.applied, r.skipped), (0, 3));
    assert!(codes(&r).iter().all(|c| *c == "I-SYNC-ALREADY-APPLIED"), "{:?}", r.notes);
}

#[test]
fn an_older_numeric_token_is_not_applied_over_a_newer_state() {
    let mut state = SyncState::new();
    replay(&mut state, &["02-payments.ofx"]);
    // 02 cancels S1002, which this state never held.
    assert!(!state.payments.contains_key("S1002"));
    let before = state.clone();
    let r = replay(&mut state, &["01-payments.ofx"]);
    assert_eq!(codes(&r), ["W-SYNC-STALE-TOKEN"]);
    assert_eq!(state, before);
}

#[test]
fn changes_to_unknown_ids_are_reported_not_applied() {
    let mut state = SyncState::new();
    replay(&mut state, &["01-payments.ofx", "01-payees.ofx"]);
    let before = state.objects();
    let r = replay(&mut state, &["unknown-id.ofx"]);
    let unknown: Vec<&str> = r
        .notes
        .iter()
        .filter(|n| n.code == "W-SYNC-UNKNOWN-ID")
        .map(|n| n.message.as_str())
        .collect();
    assert_eq!(unknown.len(), 4, "{:?}", r.notes);
    for id in ["S9999", "S9998", "R404", "P404"] {
        assert!(unknown.iter().any(|m| m.contains(id)), "{id} not reported: {unknown:?}");
    }
    assert_eq!(state.objects(), before);
    assert_eq!(state.token(SyncKind::Payments, Some(&checking())), Some("203"));
}

#[test]
fn a_failed_request_is_reported_with_its_code_and_meaning_and_not_applied() {
    let mut state = SyncState::new();
    replay(&mut state, &["01-payments.ofx", "02-payments.ofx"]);
    let r = replay(&mut state, &["status-error.ofx"]);
    let errors: Vec<&str> = r
        .notes
        .iter()
        .filter(|n| n.code == "W-SYNC-STATUS-ERROR")
        .map(|n| n.message.as_str())
        .collect();
    assert_eq!(errors.len(), 2, "{:?}", r.notes);
    assert!(errors[0].contains("2016"), "{}", errors[0]);
    assert!(errors[0].contains("transaction already committed"), "{}", errors[0]);
    assert!(errors[0].contains("Already sent to the payee"), "{}", errors[0]);
    assert!(errors[1].contains("10504 (insufficient funds)"), "{}", errors[1]);
    assert_eq!(state.payments["S1001"].details.amount, Some(dec("120.50")));
    assert_eq!(state.payments["S1001"].details.due.as_deref(), Some("2024-03-15"));
}

#[test]
fn tokens_are_kept_per_account_and_message_kind() {
    let doc = ofxkit::parse(
        b"<OFX><BILLPAYMSGSRSV1>\
          <PMTSYNCRS><TOKEN>5<BANKACCTFROM><BANKID>1<ACCTID>A<ACCTTYPE>CHECKING</BANKACCTFROM>\
          </PMTSYNCRS>\
          <PMTSYNCRS><TOKEN>9<BANKACCTFROM><BANKID>1<ACCTID>B<ACCTTYPE>SAVINGS</BANKACCTFROM>\
          </PMTSYNCRS>\
          <RECPMTSYNCRS><TOKEN>77<BANKACCTFROM><BANKID>1<ACCTID>A<ACCTTYPE>CHECKING\
          </BANKACCTFROM></RECPMTSYNCRS>\
          </BILLPAYMSGSRSV1></OFX>",
    )
    .expect("parse");
    let mut state = SyncState::new();
    let r = state.apply_model(doc.model());
    assert_eq!(r.applied, 3);
    let key = |id: &str, t: &str| AccountKey {
        bank_id: Some("1".into()),
        branch_id: None,
        account_id: Some(id.into()),
        account_type: Some(t.into()),
    };
    assert_eq!(state.token(SyncKind::Payments, Some(&key("A", "CHECKING"))), Some("5"));
    assert_eq!(state.token(SyncKind::Payments, Some(&key("B", "SAVINGS"))), Some("9"));
    assert_eq!(state.token(SyncKind::Recurring, Some(&key("A", "CHECKING"))), Some("77"));
    assert_eq!(state.token(SyncKind::Recurring, Some(&key("B", "SAVINGS"))), None);
}

#[test]
fn a_token_only_answer_moves_only_the_token() {
    let doc = ofxkit::parse(
        b"<OFX><BILLPAYMSGSRQV1><PAYEESYNCRQ><TOKENONLY>Y<REJECTIFMISSING>N</PAYEESYNCRQ>\
          </BILLPAYMSGSRQV1></OFX>",
    )
    .expect("parse");
    let answer = ofxkit::parse(
        b"<OFX><BILLPAYMSGSRSV1><PAYEESYNCRS><TOKEN>500</PAYEESYNCRS></BILLPAYMSGSRSV1></OFX>",
    )
    .expect("parse");
    let mut state = SyncState::new();
    replay(&mut state, &["01-payees.ofx"]);
    let before = state.objects();
    state.apply_model(doc.model());
    let r = state.apply_model(answer.model());
    assert_eq!(codes(&r), ["I-SYNC-TOKEN-ONLY"]);
    assert_eq!(state.objects(), before);
    assert_eq!(state.token(SyncKind::Payees, None), Some("500"));
}

#[test]
fn state_round_trips_through_json() {
    let mut state = SyncState::new();
    replay(
        &mut state,
        &["01-payees.ofx", "02-payees.ofx", "01-payments.ofx", "01-recurring.ofx", "lostsync.ofx"],
    );
    let json = state.to_json();
    assert!(json.contains("\"amount\": \"120.50\""), "amounts are exact strings:\n{json}");
    let back = SyncState::from_json(&json).expect("reads its own output");
    assert_eq!(back, state);
    // What it writes without cancelled objects reads back as the snapshot.
    let mut out = Vec::new();
    state.write_json(false, &mut out).expect("to memory");
    let written = String::from_utf8(out).expect("UTF-8");
    assert_eq!(written, state.snapshot(false).to_json());
    assert_eq!(SyncState::from_json(&written).expect("reads it"), state.snapshot(false));
}

/// Each bad state is refused with a reason naming what is wrong; none reads as empty.
#[test]
fn a_state_that_is_not_one_is_refused_with_the_reason() {
    let good = SyncState::new().to_json();
    let cases: &[(&str, &str)] = &[
        ("[]", "a JSON object; this is an array"),
        ("", "a JSON object; this is nothing"),
        ("\"x\"", "a JSON object; this is a string"),
        ("42", "a JSON object; this is not an object"),
        ("{}", "missing field `version`"),
        ("{\"payments\": 3}", "invalid type"),
        (&good.replace("\"payees\"", "\"payes\""), "unknown field `payes`"),
        (&good.replace("\"version\": 1", "\"version\": 2"), "newer than this ofxkit reads"),
        (&good.replace("\"version\": 1", "\"version\": 0"), "is not a version"),
        (
            "{\"version\": 1, \"channels\": [{\"kind\": \"payees\", \"tokn\": \"1\"}], \
             \"payments\": {}, \"payees\": {}, \"recurring\": {}}",
            "unknown field `tokn`",
        ),
        (
            "{\"version\": 1, \"channels\": [], \"payees\": {}, \"recurring\": {}, \
             \"payments\": {\"S1\": {\"server_id\": \"S2\"}}}",
            "the payment filed under \"S1\" has the id \"S2\"",
        ),
        (
            "{\"version\": 1, \"channels\": [], \"payees\": {}, \"recurring\": {}, \
             \"payments\": {\"S1\": {\"server_id\": \"S1\", \"amount\": \"1\"}}}",
            "unknown field `amount`",
        ),
    ];
    for (text, reason) in cases {
        let err = SyncState::from_json(text).expect_err(text).to_string();
        assert!(err.contains(reason), "{text}: {err}");
    }
}

/// States written by earlier versions of ofxkit (kept in the corpus) still load, and
/// writing them again gives the same bytes.
#[test]
fn states_written_before_still_load() {
    for name in ["state-v1.json", "state-v1-refresh-pending.json"] {
        let text = String::from_utf8(read(name)).expect("UTF-8");
        let state = SyncState::from_json(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(state.to_json(), text, "{name}");
    }
    let old = SyncState::from_json(&String::from_utf8(read("state-v1.json")).expect("UTF-8"))
        .expect("loads");
    assert!(old.payees["P100"].deleted, "kept with --keep-cancelled");
    assert!(old.channel(SyncKind::Payments, Some(&checking())).is_some_and(|c| c.needs_refresh));
}

#[test]
fn replay_order_sorts_numeric_tokens_per_channel_and_keeps_the_rest() {
    let docs: Vec<ofxkit::Document<'static>> = [
        "<PAYEESYNCRS><TOKEN>30</PAYEESYNCRS>",
        "<PMTSYNCRS><TOKEN>b<BANKACCTFROM><BANKID>1<ACCTID>2<ACCTTYPE>CHECKING</BANKACCTFROM>\
         </PMTSYNCRS>",
        "<PAYEESYNCRS><TOKEN>4</PAYEESYNCRS>",
        "<PMTSYNCRS><TOKEN>a<BANKACCTFROM><BANKID>1<ACCTID>2<ACCTTYPE>CHECKING</BANKACCTFROM>\
         </PMTSYNCRS>",
        "<PAYEESYNCRS><TOKEN>200</PAYEESYNCRS>",
    ]
    .iter()
    .map(|body| {
        let bytes = format!("<OFX><BILLPAYMSGSRSV1>{body}</BILLPAYMSGSRSV1></OFX>").into_bytes();
        ofxkit::parse_owned(bytes, &ofxkit::syntax::Options::default()).expect("parse")
    })
    .collect();
    let models: Vec<_> = docs.iter().map(|d| d.model()).collect();
    let messages: Vec<_> = models.iter().map(|m| &m.sync[0]).collect();
    // Payee tokens 30, 4, 200 fill the payee places in order 4, 30, 200; the payment
    // tokens are not numbers and keep their order.
    assert_eq!(ofxkit::sync::replay_order(&messages), [2, 1, 0, 3, 4]);
}

#[test]
fn a_model_changed_with_modpending_notes_its_pending_payments() {
    let mut state = SyncState::new();
    replay(&mut state, &["01-recurring.ofx"]);
    let doc = ofxkit::parse(
        b"<OFX><BILLPAYMSGSRSV1><RECPMTSYNCRS><TOKEN>450\
          <BANKACCTFROM><BANKID>123456789<ACCTID>1001<ACCTTYPE>CHECKING</BANKACCTFROM>\
          <RECPMTTRNRS><TRNUID>0<STATUS><CODE>0<SEVERITY>INFO</STATUS><RECPMTMODRS>\
          <RECSRVRTID>R2<RECURRINST><FREQ>BIWEEKLY</RECURRINST><PMTINFO>\
          <BANKACCTFROM><BANKID>123456789<ACCTID>1001<ACCTTYPE>CHECKING</BANKACCTFROM>\
          <TRNAMT>12.00<PAYEELSTID>P100<PAYACCT>ACCT-778<DTDUE>20240226</PMTINFO>\
          <MODPENDING>Y</RECPMTMODRS></RECPMTTRNRS></RECPMTSYNCRS></BILLPAYMSGSRSV1></OFX>",
    )
    .expect("parse");
    let r = state.apply_document(&doc);
    assert_eq!(codes(&r), ["I-SYNC-MODIFY-PENDING"]);
    assert!(r.notes[0].message.contains("1 pending payment"), "{}", r.notes[0].message);
    let model = &state.recurring["R2"];
    assert_eq!(
        (model.frequency.as_deref(), model.details.amount),
        (Some("BIWEEKLY"), Some(dec("12.00")))
    );
    assert_eq!(state.payments["S3001"].details.amount, Some(dec("10.00")));
}

#[test]
fn a_skipped_answer_still_ends_a_waiting_refresh() {
    let mut state = SyncState::new();
    replay(&mut state, &["refresh-request.ofx", "refresh.ofx"]);
    // The same refresh again: the request waits, its answer was already applied.
    let r = replay(&mut state, &["refresh-request.ofx", "refresh.ofx"]);
    assert_eq!(codes(&r), ["I-SYNC-ALREADY-APPLIED"]);
    let ch = state.channel(SyncKind::Payments, Some(&checking())).expect("channel");
    assert_eq!(ch.pending, None);
    // So a later history response (here: nothing new) is applied as history, not as a
    // refresh that would drop S1001.
    let later = ofxkit::parse(
        b"<OFX><BILLPAYMSGSRSV1><PMTSYNCRS><TOKEN>999\
          <BANKACCTFROM><BANKID>123456789<ACCTID>1001<ACCTTYPE>CHECKING</BANKACCTFROM>\
          </PMTSYNCRS></BILLPAYMSGSRSV1></OFX>",
    )
    .expect("parse");
    let r = state.apply_document(&later);
    assert_eq!((r.applied, r.removed), (1, 0));
    assert!(!codes(&r).contains(&"I-SYNC-REFRESH"), "{:?}", r.notes);
    assert!(!state.payments["S1001"].cancelled);
}
