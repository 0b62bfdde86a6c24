//! `ofxkit sync replay`.

use std::path::PathBuf;

use crate::util::{corpus, run};

fn replay_file(name: &str) -> String {
    corpus(&format!("billpay/replay/{name}"))
}

/// A fresh scratch path for this test.
fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("sync-replay");
    std::fs::create_dir_all(&dir).expect("scratch dir");
    let path = dir.join(name);
    let _ = std::fs::remove_file(&path);
    path
}

#[test]
fn replays_history_to_the_current_state() {
    let files: Vec<String> =
        ["01-payees.ofx", "02-payees.ofx", "03-payees.ofx", "01-payments.ofx", "02-payments.ofx"]
            .iter()
            .map(|f| replay_file(f))
            .collect();
    let mut args = vec!["sync", "replay"];
    args.extend(files.iter().map(String::as_str));
    let out = run(&args, b"");
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(
        out.stderr.ends_with(
            "ofxkit: 5 response(s) applied, 0 skipped: 4 added, 4 changed, 2 cancelled or deleted\n"
        ),
        "{}",
        out.stderr
    );
    let state = &out.stdout;
    assert!(state.contains("\"S1001\": {"), "{state}");
    assert!(state.contains("\"processing_code\": \"PROCESSEDON\""), "{state}");
    assert!(!state.contains("\"S1002\""), "the cancelled payment is dropped: {state}");
    assert!(!state.contains("\"P100\""), "the deleted payee is dropped: {state}");
    assert!(state.contains("\"token\": \"103\""), "{state}");
    assert!(state.contains("\"token\": \"202\""), "{state}");
}

#[test]
fn keep_cancelled_marks_instead_of_dropping() {
    let out = run(
        &[
            "sync",
            "replay",
            "--keep-cancelled",
            &replay_file("01-payees.ofx"),
            &replay_file("02-payees.ofx"),
            &replay_file("03-payees.ofx"),
        ],
        b"",
    );
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(out.stdout.contains("\"P100\": {"), "{}", out.stdout);
    assert!(out.stdout.contains("\"deleted\": true"), "{}", out.stdout);
    assert!(out.stdout.contains("City Power & Light"), "{}", out.stdout);
}

#[test]
fn state_file_in_and_out_and_a_second_application_changes_nothing() {
    let first = scratch("first.json");
    let second = scratch("second.json");
    let out = run(
        &["sync", "replay", &replay_file("01-payments.ofx"), "-o", &first.display().to_string()],
        b"",
    );
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert_eq!(out.stdout, "", "the state goes to the file");
    let out = run(
        &[
            "sync",
            "replay",
            "--state",
            &first.display().to_string(),
            &replay_file("01-payments.ofx"),
            "-o",
            &second.display().to_string(),
        ],
        b"",
    );
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(out.stderr.contains("info[I-SYNC-ALREADY-APPLIED]"), "{}", out.stderr);
    assert!(out.stderr.contains("0 response(s) applied, 1 skipped"), "{}", out.stderr);
    let a = std::fs::read_to_string(&first).expect("first state");
    let b = std::fs::read_to_string(&second).expect("second state");
    assert_eq!(a, b);

    // Continuing from the saved state applies only what is new.
    let out = run(
        &[
            "sync",
            "replay",
            "--state",
            &first.display().to_string(),
            &replay_file("02-payments.ofx"),
        ],
        b"",
    );
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(out.stdout.contains("\"token\": \"202\""), "{}", out.stdout);
    assert!(
        out.stdout.contains("\"seen\": [\n        \"201\",\n        \"202\"\n      ]"),
        "{}",
        out.stdout
    );
}

#[test]
fn findings_are_reported_with_positions_and_exit_1() {
    let out = run(&["sync", "replay", &replay_file("unknown-id.ofx")], b"");
    assert_eq!(out.status, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains(
            "unknown-id.ofx:31:1: warning[W-SYNC-UNKNOWN-ID]: <PMTMODRS> names SRVRTID S9999, \
             which the state does not hold; not applied"
        ),
        "{}",
        out.stderr
    );
    let out = run(&["sync", "replay", &replay_file("lostsync.ofx")], b"");
    assert_eq!(out.status, 1);
    assert!(out.stderr.contains("warning[W-SYNC-LOST-SYNC]"), "{}", out.stderr);
    assert!(out.stdout.contains("\"needs_refresh\": true"), "{}", out.stdout);
    let out = run(
        &["sync", "replay", &replay_file("01-payments.ofx"), &replay_file("status-error.ofx")],
        b"",
    );
    assert_eq!(out.status, 1);
    assert!(
        out.stderr.contains(
            "warning[W-SYNC-STATUS-ERROR]: <PMTTRNRS> TRNUID c0ffee-1: status 2016 (transaction \
             already committed (cannot modify/cancel via OFX)): Already sent to the payee; the \
             <PMTMODRS> is not applied"
        ),
        "{}",
        out.stderr
    );
    assert!(out.stdout.contains("\"amount\": \"120.50\""), "{}", out.stdout);
}

#[test]
fn bad_inputs_exit_1_or_2() {
    let out = run(&["sync", "replay", "-"], b"not ofx");
    assert_eq!(out.status, 1);
    assert!(out.stderr.contains("<stdin>:1:1: error[E-NO-ROOT]"), "{}", out.stderr);
    let bad = scratch("bad-state.json");
    std::fs::write(&bad, "{\"payments\": 3}").expect("write");
    let out = run(
        &["sync", "replay", "--state", &bad.display().to_string(), &replay_file("01-payments.ofx")],
        b"",
    );
    assert_eq!(out.status, 2);
    assert!(out.stderr.contains("not a sync state"), "{}", out.stderr);
    assert_eq!(run(&["sync", "replay"], b"").status, 2);
}

#[test]
fn a_file_without_synchronization_messages_is_flagged() {
    let out = run(&["sync", "replay", &corpus("billpay/responses.ofx")], b"");
    assert_eq!(out.status, 1);
    assert!(
        out.stderr.contains("responses.ofx: warning: no synchronization message"),
        "{}",
        out.stderr
    );
    // A request file is not flagged: its REFRESH says how to read the next response.
    let out = run(&["sync", "replay", &replay_file("refresh-request.ofx")], b"");
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(out.stdout.contains("\"pending\": \"refresh\""), "{}", out.stdout);
}

#[test]
fn files_given_out_of_order_are_applied_in_token_order() {
    let out = run(
        &["sync", "replay", &replay_file("02-payments.ofx"), &replay_file("01-payments.ofx")],
        b"",
    );
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains(
            "01-payments.ofx:14:1: info[I-SYNC-TOKEN-ORDER]: <PMTSYNCRS> token 201 applied in \
             token order, not file order"
        ),
        "{}",
        out.stderr
    );
    let in_order = run(
        &["sync", "replay", &replay_file("01-payments.ofx"), &replay_file("02-payments.ofx")],
        b"",
    );
    assert_eq!(out.stdout, in_order.stdout);
    assert!(out.stdout.contains("PROCESSEDON"), "{}", out.stdout);
}
