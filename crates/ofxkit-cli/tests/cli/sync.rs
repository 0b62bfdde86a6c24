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

/// A PMTSYNCRS with `token` adding (or replacing) payments `S0` … `S{n-1}`.
pub fn payments_response(token: u32, n: usize) -> Vec<u8> {
    let mut s = format!(
        "OFXHEADER:100\nDATA:OFXSGML\nVERSION:160\nSECURITY:NONE\nENCODING:USASCII\n\
         CHARSET:1252\nCOMPRESSION:NONE\nOLDFILEUID:NONE\nNEWFILEUID:NONE\n\n<OFX>\
         <BILLPAYMSGSRSV1><PMTSYNCRS><TOKEN>{token}<LOSTSYNC>N\
         <BANKACCTFROM><BANKID>123456789<ACCTID>1001<ACCTTYPE>CHECKING</BANKACCTFROM>\n"
    );
    for i in 0..n {
        s.push_str(&format!(
            "<PMTTRNRS><TRNUID>0<STATUS><CODE>0<SEVERITY>INFO</STATUS><PMTRS><SRVRTID>S{i}\
             <PAYEELSTID>P200<CURDEF>USD<PMTINFO><BANKACCTFROM><BANKID>123456789<ACCTID>1001\
             <ACCTTYPE>CHECKING</BANKACCTFROM><TRNAMT>{}.50<PAYEE><NAME>Water Co\
             <ADDR1>9 Lake Rd<CITY>Springfield<STATE>IL<POSTALCODE>62702<PHONE>217-555-0200\
             </PAYEE><PAYEELSTID>P200<PAYACCT>W-5566<DTDUE>20240315</PMTINFO><PMTPRCSTS>\
             <PMTPRCCODE>WILLPROCESSON<DTPMTPRC>20240313</PMTPRCSTS></PMTRS></PMTTRNRS>\n",
            token as usize + i
        ));
    }
    s.push_str("</PMTSYNCRS></BILLPAYMSGSRSV1></OFX>\n");
    s.into_bytes()
}

#[test]
fn a_state_given_first_is_read_and_may_be_the_output() {
    let dir = crate::util::scratch("sync-state-first");
    let state = dir.join("S.json").display().to_string();
    let out = run(&["sync", "replay", &replay_file("01-payments.ofx"), "-o", &state], b"");
    assert_eq!(out.status, 0, "{}", out.stderr);
    let out = run(&["sync", "replay", &state, &replay_file("02-payments.ofx"), "-o", &state], b"");
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(!out.stderr.contains("not OFX") && !out.stderr.contains("E-NO-ROOT"), "{}", out.stderr);
    let text = std::fs::read_to_string(&state).expect("state");
    assert!(text.contains("\"token\": \"202\""), "{text}");
    assert!(text.contains("\"PROCESSEDON\""), "{text}");
    // Both --state and a state among the files: which one?
    let out =
        run(&["sync", "replay", "--state", &state, &state, &replay_file("02-payments.ofx")], b"");
    assert_eq!(out.status, 2, "{}", out.stderr);
    assert!(out.stderr.contains("--state gives one too"), "{}", out.stderr);
    // A state after an OFX file.
    let out = run(&["sync", "replay", &replay_file("02-payments.ofx"), &state], b"");
    assert_eq!(out.status, 2, "{}", out.stderr);
    assert!(out.stderr.contains("a state file must come first"), "{}", out.stderr);
    assert_eq!(out.stdout, "");
}

/// A missing input: exit 2, named, nothing written or printed, no summary as if done.
#[test]
fn an_input_that_cannot_be_read_writes_nothing() {
    let dir = crate::util::scratch("sync-missing-input");
    let state = dir.join("S.json").display().to_string();
    assert_eq!(
        run(&["sync", "replay", &replay_file("01-payments.ofx"), "-o", &state], b"").status,
        0
    );
    let before = std::fs::read(&state).expect("state");
    let missing = dir.join("missing.ofx").display().to_string();
    let out = run(
        &["sync", "replay", &state, &missing, &replay_file("02-payments.ofx"), "-o", &state],
        b"",
    );
    assert_eq!(out.status, 2, "{}", out.stderr);
    assert!(out.stderr.starts_with(&format!("{missing}: error: ")), "{}", out.stderr);
    assert!(out.stderr.contains("no state written"), "{}", out.stderr);
    assert!(!out.stderr.contains("applied"), "{}", out.stderr);
    assert_eq!(std::fs::read(&state).expect("state"), before);
    // To standard output: nothing printed.
    let out = run(&["sync", "replay", &replay_file("01-payments.ofx"), &missing], b"");
    assert_eq!((out.status, out.stdout.as_str()), (2, ""), "{}", out.stderr);
    // A missing --state names its path.
    let out = run(&["sync", "replay", "--state", &missing, &replay_file("01-payments.ofx")], b"");
    assert_eq!(out.status, 2);
    assert!(out.stderr.starts_with(&format!("ofxkit: error: {missing}: ")), "{}", out.stderr);
}

/// An input that is not OFX: its position, exit 1, nothing written.
#[test]
fn an_input_that_is_not_ofx_writes_nothing() {
    let dir = crate::util::scratch("sync-not-ofx");
    let state = dir.join("S.json").display().to_string();
    assert_eq!(
        run(&["sync", "replay", &replay_file("01-payments.ofx"), "-o", &state], b"").status,
        0
    );
    let before = std::fs::read(&state).expect("state");
    let not_ofx = corpus("syntax/not-ofx.txt");
    let out = run(
        &["sync", "replay", &state, &not_ofx, &replay_file("02-payments.ofx"), "-o", &state],
        b"",
    );
    assert_eq!(out.status, 1, "{}", out.stderr);
    assert!(out.stderr.contains("not-ofx.txt:1:1: error[E-NO-ROOT]"), "{}", out.stderr);
    assert!(out.stderr.contains("no state written"), "{}", out.stderr);
    assert_eq!(std::fs::read(&state).expect("state"), before);
    let out = run(&["sync", "replay", &not_ofx], b"");
    assert_eq!((out.status, out.stdout.as_str()), (1, ""));
}

/// `[]`, `{}`, unknown keys: refused with the path and the reason, whether given with
/// --state or first among the files.
#[test]
fn a_state_that_is_not_one_is_refused_with_its_path() {
    let dir = crate::util::scratch("sync-bad-state");
    let good = dir.join("good.json");
    assert_eq!(
        run(
            &["sync", "replay", &replay_file("01-payments.ofx"), "-o", &good.display().to_string()],
            b""
        )
        .status,
        0
    );
    let good_text = std::fs::read_to_string(&good).expect("good");
    for (name, text, reason) in [
        ("array.json", "[]".to_owned(), "a JSON object; this is an array"),
        ("empty.json", "{}".to_owned(), "missing field `version`"),
        ("typo.json", good_text.replace("\"payees\"", "\"payes\""), "unknown field `payes`"),
    ] {
        let path = dir.join(name).display().to_string();
        std::fs::write(&path, &text).expect("write");
        let out = dir.join("out.json").display().to_string();
        for args in [
            vec!["sync", "replay", "--state", &path, &replay_file("02-payments.ofx"), "-o", &out],
            vec!["sync", "replay", &path, &replay_file("02-payments.ofx"), "-o", &out],
        ] {
            let run = run(&args, b"");
            assert_eq!(run.status, 2, "{args:?}: {}", run.stderr);
            let expect = format!("ofxkit: error: {path}: not a sync state: ");
            assert!(run.stderr.starts_with(&expect), "{}", run.stderr);
            assert!(run.stderr.contains(reason), "{reason}: {}", run.stderr);
            assert!(!std::path::Path::new(&out).exists(), "nothing written");
        }
    }
}

/// A failed write of the state is reported, and no summary says it was done.
#[test]
fn a_failed_write_comes_before_any_summary() {
    let dir = crate::util::scratch("sync-write-fails");
    let input = dir.join("in.ofx");
    std::fs::write(&input, payments_response(301, 300)).expect("input");
    let state = dir.join("S.json");
    std::fs::write(&state, "old").expect("old");
    let out = crate::util::run_with_timeout(
        std::process::Command::new("sh")
            .arg("-c")
            .arg("trap '' XFSZ; ulimit -f 8; exec \"$0\" \"$@\"")
            .arg(crate::util::bin())
            .args(["sync", "replay", &input.display().to_string()])
            .args(["-o", &state.display().to_string()])
            .stdin(std::process::Stdio::null()),
        60,
    );
    assert_eq!(out.status, 2, "{}", out.stderr);
    assert!(
        out.stderr.starts_with(&format!("ofxkit: error: {}", state.display())),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("applied"), "{}", out.stderr);
    assert_eq!(std::fs::read_to_string(&state).expect("state"), "old");
}

/// Memory: ten files take about what one takes (each is parsed, keyed and dropped; the
/// second pass parses one file at a time), where all ten documents used to be kept at once
/// (about ten times as much). The files replace the same payments, so the state does not
/// grow with them.
#[test]
fn memory_does_not_grow_with_the_number_of_files() {
    let dir = crate::util::scratch("sync-memory");
    let mut files = Vec::new();
    for k in 0..10 {
        let path = dir.join(format!("{k:02}.ofx"));
        std::fs::write(&path, payments_response(301 + k, 2_000)).expect("write");
        files.push(path.display().to_string());
    }
    let size = std::fs::metadata(&files[0]).expect("size").len() / 1024;
    let args = |n: usize| {
        let mut a = vec!["sync", "replay", "-o", "/dev/null"];
        a.extend(files.iter().take(n).map(String::as_str));
        a
    };
    let one = crate::util::peak_memory(&args(1));
    assert_eq!(one.status, 0, "{}", one.stderr);
    let out = crate::util::peak_memory(&args(10));
    assert_eq!(out.status, 0, "{}", out.stderr);
    let (one, ten) = (one.kib, out.kib);
    assert!(
        out.stderr.ends_with(
            "10 response(s) applied, 0 skipped: 2000 added, 18000 changed, 0 cancelled or deleted\n"
        ),
        "{}",
        out.stderr
    );
    eprintln!("sync replay peak: one file of {size} KiB {one} KiB, ten files {ten} KiB");
    assert!(ten < one * 2, "one file: {one} KiB, ten: {ten} KiB (files of {size} KiB)");
}
