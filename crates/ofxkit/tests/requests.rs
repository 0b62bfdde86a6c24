//! Requests written by `ofxkit::request`: every kind, at every version, reads back without
//! errors and validates with no error; the ids and tokens come from a replayed state; and
//! `sync replay` of a request followed by its response gives the expected state (the
//! ofxkit-written requests of `corpus/billpay/replay/ofxkit-*.ofx`).

use std::path::{Path, PathBuf};

use ofxkit::NaiveDate;
use ofxkit::codes::ofx::{AccountType, Freq};
use ofxkit::model::SyncKind;
use ofxkit::request::{
    Account, BillPay, Message, PayeeAddress, PayeeRef, PaymentInstruction, Recurrence, Request,
    SignOn, SyncFrom, SyncRequest, check_response,
};
use ofxkit::sync::SyncState;
use ofxkit::validate::{ValidateOptions, validate};
use ofxkit::write::OfxVersion;
use rust_decimal::Decimal;

fn replay_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus/billpay/replay")
}

fn read(name: &str) -> Vec<u8> {
    let path = replay_dir().join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn replay(state: &mut SyncState, files: &[&str]) -> ofxkit::sync::ApplyReport {
    let mut report = ofxkit::sync::ApplyReport::default();
    for f in files {
        let bytes = read(f);
        let doc = ofxkit::parse(&bytes).expect("replay files parse");
        report.merge(state.apply_model(doc.model()));
    }
    report
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a date")
}

/// The sign-on of every request here: fixed, so the files are reproducible.
fn signon() -> SignOn {
    let when = day(2024, 3, 20).and_hms_opt(9, 0, 0).expect("a time").and_utc();
    SignOn::new("jdoe", "S3CR3T-pass", when).institution("MYBANK", Some("1234"))
}

fn checking() -> Account {
    Account::Bank {
        bank_id: "123456789".into(),
        branch_id: None,
        account_id: "1001".into(),
        account_type: AccountType::Checking,
    }
}

fn water_co() -> PayeeAddress {
    PayeeAddress {
        name: "Water Co".into(),
        address: vec!["9 Lake Rd".into()],
        city: "Springfield".into(),
        state: "IL".into(),
        postal_code: "62702".into(),
        country: None,
        phone: "217-555-0200".into(),
    }
}

fn payment() -> PaymentInstruction {
    PaymentInstruction {
        account: checking(),
        amount: Decimal::new(12050, 2),
        payee: PayeeRef::Address(water_co()),
        payee_list_id: Some("P200".into()),
        pay_account: "W-5566".into(),
        due: day(2024, 3, 15),
        memo: Some("March & April".into()),
    }
}

/// One request of every kind, with its name.
fn every_kind() -> Vec<(&'static str, Request)> {
    let card = Account::CreditCard { account_id: "4111111111111111".into() };
    let broker =
        Account::Investment { broker_id: "broker.example.com".into(), account_id: "X1".into() };
    let monthly = Recurrence { frequency: Freq::Monthly, instalments: Some(12) };
    let one = |m: Message| Request::new(signon()).with(m);
    let bp = |c: BillPay| one(Message::billpay("8f14e45f-ceea-4467-a0e5-000000000001", &c));
    let sync = |kind, account, from| one(Message::sync(&SyncRequest::new(kind, account, from)));
    let mut embedded =
        SyncRequest::new(SyncKind::Payments, Some(checking()), SyncFrom::Token("201".into()));
    embedded.reject_if_missing = true;
    embedded
        .changes
        .push(("8f14e45f-ceea-4467-a0e5-000000000002".into(), BillPay::PaymentAdd(payment())));
    vec![
        (
            "bank statement",
            one(Message::statement(
                "t1",
                &checking(),
                Some(day(2024, 1, 1)),
                Some(day(2024, 1, 31)),
            )),
        ),
        ("card statement", one(Message::statement("t2", &card, Some(day(2024, 1, 1)), None))),
        ("investment statement", one(Message::statement("t3", &broker, None, None))),
        (
            "payments token 0",
            sync(SyncKind::Payments, Some(checking()), SyncFrom::Token("0".into())),
        ),
        ("payees refresh", sync(SyncKind::Payees, None, SyncFrom::Refresh)),
        ("recurring token only", sync(SyncKind::Recurring, Some(checking()), SyncFrom::TokenOnly)),
        ("payments with a change inside", one(Message::sync(&embedded))),
        ("payment add", bp(BillPay::PaymentAdd(payment()))),
        (
            "payment modify",
            bp(BillPay::PaymentModify { server_id: "S1001".into(), info: payment() }),
        ),
        ("payment cancel", bp(BillPay::PaymentCancel { server_id: "S1001".into() })),
        (
            "payee add",
            bp(BillPay::PayeeAdd {
                payee: PayeeRef::Address(water_co()),
                pay_accounts: vec!["W-5566".into()],
            }),
        ),
        (
            "payee add by id",
            bp(BillPay::PayeeAdd { payee: PayeeRef::Id("STD-77".into()), pay_accounts: vec![] }),
        ),
        (
            "payee modify",
            bp(BillPay::PayeeModify {
                list_id: "P200".into(),
                payee: Some(water_co()),
                pay_accounts: vec!["W-1".into()],
            }),
        ),
        ("payee delete", bp(BillPay::PayeeDelete { list_id: "P200".into() })),
        (
            "recurring add",
            bp(BillPay::RecurringAdd {
                recurrence: monthly,
                info: payment(),
                initial_amount: Some(Decimal::new(5000, 2)),
                final_amount: None,
            }),
        ),
        (
            "recurring modify",
            bp(BillPay::RecurringModify {
                recurring_id: "R1".into(),
                recurrence: monthly,
                info: payment(),
                initial_amount: None,
                final_amount: None,
                modify_pending: true,
            }),
        ),
        (
            "recurring cancel",
            bp(BillPay::RecurringCancel { recurring_id: "R1".into(), cancel_pending: true }),
        ),
    ]
}

#[test]
fn every_request_reads_back_and_validates_at_every_version() {
    let mut failures = Vec::new();
    for (name, request) in every_kind() {
        for version in OfxVersion::ALL {
            let bytes = request.to_bytes(version).expect("written");
            assert_eq!(
                request.to_bytes(version).expect("again"),
                bytes,
                "{name} {version}: stable"
            );
            let text = String::from_utf8_lossy(&bytes);
            assert!(text.contains("S3CR3T-pass"), "{name} {version}: the password is sent");
            let doc = ofxkit::parse(&bytes).unwrap_or_else(|e| panic!("{name} {version}: {e}"));
            assert_eq!(doc.syntax().version(), Some(version.number()), "{name}");
            for d in doc.diagnostics().iter().filter(|d| d.severity == ofxkit::Severity::Error) {
                failures.push(format!("{name} {version}: read: {} {}", d.code, d.message));
            }
            let report = validate(&doc, &ValidateOptions::default());
            assert_eq!(report.profile, version.validation_profile(), "{name} {version}");
            for f in report.findings.iter().filter(|f| f.severity == ofxkit::Severity::Error) {
                failures
                    .push(format!("{name} {version}: {} {} at {:?}", f.code, f.message, f.path));
            }
            // A request is no answer: the response check says so.
            assert!(!check_response(&doc).is_ok(), "{name} {version}");
            assert!(check_response(&doc).is_request, "{name} {version}");
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_model_reads_back_what_was_asked() {
    let requests = every_kind();
    let get =
        |n: &str| requests.iter().find(|(name, _)| *name == n).map(|(_, r)| r.clone()).expect(n);
    let bytes = get("payments with a change inside").to_bytes(OfxVersion::V160).expect("written");
    let doc = ofxkit::parse(&bytes).expect("parses");
    let model = doc.model();
    let sync = &model.sync[0];
    assert_eq!((sync.entity, sync.token), (SyncKind::Payments, Some("201")));
    assert_eq!(sync.reject_if_missing, Some(true));
    let p = &sync.payments[0];
    assert_eq!(
        p.info.as_ref().and_then(|i| i.amount.as_ref()).map(|a| a.value),
        Some(Decimal::new(12050, 2))
    );
    assert_eq!(
        p.info.as_ref().and_then(|i| i.memo.as_ref()).map(|m| m.to_string()).as_deref(),
        Some("March & April")
    );
    let tree = doc.syntax().tree();
    let text_of = |name: &str| tree.elements().find(|e| e.name() == name).and_then(|e| e.text());
    assert_eq!(text_of("ORG"), Some("MYBANK"));
    assert_eq!((text_of("APPID"), text_of("APPVER")), (Some("QWIN"), Some("2700")));
    // The statement's window.
    let text =
        String::from_utf8(get("bank statement").to_bytes(OfxVersion::V220).expect("written"))
            .expect("UTF-8");
    assert!(text.contains("<DTSTART>20240101</DTSTART>"), "{text}");
    assert!(text.contains("<DTEND>20240131</DTEND>"), "{text}");
    assert!(text.contains("<TRNUID>t1</TRNUID>"), "{text}");
    assert!(text.contains("<DTCLIENT>20240320090000.000[0:GMT]</DTCLIENT>"), "{text}");
}

#[test]
fn what_ofx_requires_is_checked_before_a_request_is_made() {
    let mut p = payment();
    p.amount = Decimal::ZERO;
    assert!(BillPay::PaymentAdd(p).check().unwrap_err().to_string().contains("positive"));
    let mut p = payment();
    p.account = Account::CreditCard { account_id: "1".into() };
    assert!(BillPay::PaymentAdd(p).check().is_err());
    let mut a = water_co();
    a.phone.clear();
    assert!(a.check().unwrap_err().to_string().contains("PHONE"));
    let nothing = BillPay::PayeeModify { list_id: "P1".into(), payee: None, pay_accounts: vec![] };
    assert!(nothing.check().is_err());
    let payees_with_account =
        SyncRequest::new(SyncKind::Payees, Some(checking()), SyncFrom::Refresh);
    assert!(payees_with_account.check().is_err());
    let payments_without = SyncRequest::new(SyncKind::Payments, None, SyncFrom::Refresh);
    assert!(payments_without.check().unwrap_err().to_string().contains("--acct-id"));
    assert!(BillPay::PaymentAdd(payment()).check().is_ok());
}

#[test]
fn ids_tokens_and_current_forms_come_from_a_replayed_state() {
    let mut state = SyncState::new();
    replay(
        &mut state,
        &[
            "01-payments.ofx",
            "02-payments.ofx",
            "01-payees.ofx",
            "02-payees.ofx",
            "01-recurring.ofx",
        ],
    );
    // The token the state keeps for the account.
    let from =
        SyncFrom::from_state(&state, SyncKind::Payments, Some(&checking())).expect("a token");
    assert_eq!(
        from,
        SyncFrom::Token(
            state.token(SyncKind::Payments, Some(&checking().key())).expect("token").to_owned()
        )
    );
    assert_eq!(
        SyncFrom::from_state(&state, SyncKind::Payees, None),
        Ok(SyncFrom::Token("102".into()))
    );
    // No token for another account.
    let other = Account::Bank {
        bank_id: "1".into(),
        branch_id: None,
        account_id: "9".into(),
        account_type: AccountType::Savings,
    };
    let err =
        SyncFrom::from_state(&state, SyncKind::Payments, Some(&other)).unwrap_err().to_string();
    assert!(err.contains("--token 0"), "{err}");
    // A payment modification keeps the payment and changes what was asked.
    let id = state
        .payments
        .iter()
        .find(|(_, p)| !p.cancelled)
        .map(|(k, _)| k.clone())
        .expect("a live payment");
    let before = state.payments[&id].details.clone();
    let change =
        BillPay::modify_payment(&state, &id, Some(Decimal::new(9999, 2)), Some(day(2024, 4, 2)))
            .expect("made");
    let BillPay::PaymentModify { server_id, info } = &change else { panic!("{change:?}") };
    assert_eq!(server_id, &id);
    assert_eq!((info.amount, info.due), (Decimal::new(9999, 2), day(2024, 4, 2)));
    assert_eq!(Some(info.pay_account.clone()), before.pay_account);
    // Cancelled and unknown ids are refused.
    let cancelled = state
        .payments
        .iter()
        .find(|(_, p)| p.cancelled)
        .map(|(k, _)| k.clone())
        .expect("a cancelled payment");
    assert!(
        ofxkit::request::live_payment(&state, &cancelled)
            .unwrap_err()
            .to_string()
            .contains("cancelled")
    );
    assert!(
        BillPay::modify_payment(&state, "NOPE", None, None)
            .unwrap_err()
            .to_string()
            .contains("no payment NOPE")
    );
    // A recurring model's next due date and amount, with MODPENDING.
    let rid = state.recurring.keys().next().cloned().expect("a model");
    let change = BillPay::modify_recurring(
        &state,
        &rid,
        Some(Decimal::new(4000, 2)),
        Some(day(2024, 5, 1)),
        None,
        true,
    )
    .expect("made");
    let node = change.node("u");
    let rq = node.child("RECPMTMODRQ").expect("RECPMTMODRQ");
    assert_eq!(rq.child("MODPENDING").and_then(|n| n.text()), Some("Y"));
    let info = rq.child("PMTINFO").expect("PMTINFO");
    assert_eq!(info.child("TRNAMT").and_then(|n| n.text()), Some("40.00"));
    assert_eq!(info.child("DTDUE").and_then(|n| n.text()), Some("20240501"));
    assert_eq!(
        rq.child("RECURRINST").and_then(|r| r.child("FREQ")).and_then(|n| n.text()),
        state.recurring[&rid].frequency.as_deref()
    );
}

/// The requests ofxkit writes for the replay scenarios, with the file each is kept in.
fn scenario_requests() -> Vec<(&'static str, Request)> {
    let mut history = SyncState::new();
    replay(&mut history, &["01-payees.ofx", "02-payees.ofx"]);
    let payees_from = SyncFrom::from_state(&history, SyncKind::Payees, None).expect("token 102");
    let mut state = SyncState::new();
    replay(&mut state, &["01-payments.ofx"]);
    let payments_from = SyncFrom::from_state(&state, SyncKind::Payments, Some(&checking()));
    let mut modify =
        SyncRequest::new(SyncKind::Payments, Some(checking()), payments_from.expect("a token"));
    let change = BillPay::modify_payment(
        &state,
        "S1001",
        Some(Decimal::new(13000, 2)),
        Some(day(2024, 4, 15)),
    );
    modify
        .changes
        .push(("c0ffee00-0000-4000-8000-000000000003".into(), change.expect("S1001 is live")));
    let with_uid = |r: Request| Request {
        new_file_uid: Some("c0ffee00-0000-4000-8000-00000000f11e".into()),
        ..r
    };
    vec![
        (
            "ofxkit-refresh-request.ofx",
            with_uid(Request::new(signon()).with(Message::sync(&SyncRequest::new(
                SyncKind::Payments,
                Some(checking()),
                SyncFrom::Refresh,
            )))),
        ),
        (
            "ofxkit-payees-token-request.ofx",
            with_uid(Request::new(signon()).with(Message::sync(&SyncRequest::new(
                SyncKind::Payees,
                None,
                payees_from,
            )))),
        ),
        (
            "ofxkit-payment-modify-request.ofx",
            with_uid(Request::new(signon()).with(Message::sync(&modify))),
        ),
    ]
}

/// The request files are what the library writes (OFX 1.6, as the rest of the scenario);
/// `OFXKIT_BLESS=1` rewrites them.
#[test]
fn the_ofxkit_written_requests_of_the_replay_corpus_are_what_the_library_writes() {
    let bless = std::env::var_os("OFXKIT_BLESS").is_some();
    for (name, request) in scenario_requests() {
        let bytes = request.to_bytes(OfxVersion::V160).expect("written");
        let path = replay_dir().join(name);
        if bless {
            std::fs::write(&path, &bytes).expect("blessed");
        }
        let kept = std::fs::read(&path)
            .unwrap_or_else(|e| panic!("{}: {e} (OFXKIT_BLESS=1)", path.display()));
        assert_eq!(String::from_utf8_lossy(&kept), String::from_utf8_lossy(&bytes), "{name}");
    }
}

#[test]
fn an_ofxkit_refresh_request_then_its_answer_equals_the_replayed_history() {
    let mut history = SyncState::new();
    replay(&mut history, &["01-payments.ofx", "02-payments.ofx"]);
    let mut refreshed = SyncState::new();
    let r = replay(&mut refreshed, &["ofxkit-refresh-request.ofx", "refresh.ofx"]);
    assert!(r.has("I-SYNC-REFRESH"), "{:?}", r.notes);
    assert_eq!(history.objects(), refreshed.objects());
}

#[test]
fn an_ofxkit_token_request_then_its_answer_moves_the_payee_list_on() {
    let mut state = SyncState::new();
    replay(
        &mut state,
        &["01-payees.ofx", "02-payees.ofx", "ofxkit-payees-token-request.ofx", "03-payees.ofx"],
    );
    assert_eq!(state.token(SyncKind::Payees, None), Some("103"));
    assert!(state.payees["P100"].deleted);
    assert_eq!(state.snapshot(false).payees.keys().collect::<Vec<_>>(), ["P200"]);
}

#[test]
fn an_ofxkit_payment_modification_then_its_answer_changes_the_payment() {
    let mut state = SyncState::new();
    replay(&mut state, &["01-payments.ofx"]);
    let before = state.payments["S1001"].clone();
    let r =
        replay(&mut state, &["ofxkit-payment-modify-request.ofx", "payment-modify-response.ofx"]);
    assert_eq!((r.applied, r.modified), (1, 1), "{:?}", r.notes);
    let after = &state.payments["S1001"];
    assert_eq!(after.details.amount, Some(Decimal::new(13000, 2)));
    assert_eq!(after.details.due.as_deref(), Some("2024-04-15"));
    assert_eq!(after.details.pay_account, before.details.pay_account);
    assert_eq!(state.token(SyncKind::Payments, Some(&checking().key())), Some("250"));
}
