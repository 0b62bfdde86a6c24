//! `ofxkit schedule`.

use crate::util::{corpus, run};

fn replay_file(name: &str) -> String {
    corpus(&format!("billpay/replay/{name}"))
}

#[test]
fn lists_instalments_with_modifications_and_cancellations_applied() {
    let out = run(
        &[
            "schedule",
            &replay_file("01-recurring.ofx"),
            &replay_file("02-recurring.ofx"),
            "--from",
            "2024-01-01",
            "--count",
            "3",
        ],
        b"",
    );
    assert_eq!(out.status, 0, "{}", out.stderr);
    // R2 is cancelled; R1's amount became 55.00; INITIALAMT for the first instalment.
    assert_eq!(
        out.stdout,
        "RECSRVRTID  PAYMENT  DUE         AMOUNT  CURRENCY  PAYEE\n\
         R1          1/12     2024-01-31   75.00  USD       Water Co\n\
         R1          2/12     2024-02-29   55.00  USD       Water Co\n\
         R1          3/12     2024-03-31   55.00  USD       Water Co\n"
    );
}

#[test]
fn until_reaches_the_final_amount_and_stops_at_ninsts() {
    let out = run(
        &[
            "schedule",
            "--json",
            "--from",
            "20241101",
            "--until",
            "2030-01-01",
            &replay_file("01-recurring.ofx"),
            &replay_file("02-recurring.ofx"),
        ],
        b"",
    );
    assert_eq!(out.status, 0, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    let rows = v.as_array().expect("array");
    let shown: Vec<(u64, &str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r["number"].as_u64().unwrap_or(0),
                r["date"].as_str().unwrap_or(""),
                r["amount"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(shown, [(11, "2024-11-30", "55.00"), (12, "2024-12-31", "25.00")], "{}", out.stdout);
}

#[test]
fn open_ended_models_are_bounded_by_count() {
    // R2 (weekly, no NINSTS) before its cancellation.
    let out = run(
        &["schedule", &replay_file("01-recurring.ofx"), "--from", "2024-02-20", "--count", "2"],
        b"",
    );
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("R2          1/∞      2024-02-26   10.00  USD       City Power\n"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("R2          2/∞      2024-03-04   10.00  USD       City Power\n"),
        "{}",
        out.stdout
    );
    assert_eq!(out.stdout.lines().filter(|l| l.starts_with("R2 ")).count(), 2);
}

#[test]
fn reads_a_replayed_state() {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("schedule");
    std::fs::create_dir_all(&dir).expect("dir");
    let state = dir.join("state.json");
    let out = run(
        &[
            "sync",
            "replay",
            &replay_file("01-recurring.ofx"),
            &replay_file("02-recurring.ofx"),
            "-o",
            &state.display().to_string(),
        ],
        b"",
    );
    assert_eq!(out.status, 0, "{}", out.stderr);
    let out = run(&["schedule", &state.display().to_string(), "--from", "2024-12-01"], b"");
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "RECSRVRTID  PAYMENT  DUE         AMOUNT  CURRENCY  PAYEE\n\
         R1          12/12    2024-12-31   25.00  USD       Water Co\n"
    );
}

#[test]
fn usage_errors_exit_2() {
    let f = replay_file("01-recurring.ofx");
    assert_eq!(run(&["schedule", &f, "--until", "2024-01-01", "--count", "2"], b"").status, 2);
    let out = run(&["schedule", &f, "--from", "2024-02-30"], b"");
    assert_eq!(out.status, 2);
    assert!(out.stderr.contains("2024-02-30"), "{}", out.stderr);
    assert_eq!(run(&["schedule", &f, "--from", "tomorrow"], b"").status, 2);
}

#[test]
fn a_model_without_a_frequency_is_reported() {
    let out = run(
        &["schedule", "-", "--from", "2024-01-01"],
        b"<OFX><BILLPAYMSGSRSV1><RECPMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS>\
          <RECPMTRS><RECSRVRTID>R5<PAYEELSTID>P<CURDEF>USD<RECURRINST><NINSTS>2</RECURRINST>\
          <PMTINFO><BANKACCTFROM><BANKID>1<ACCTID>2<ACCTTYPE>CHECKING</BANKACCTFROM>\
          <TRNAMT>1<PAYEEID>X<PAYACCT>9<DTDUE>20240101</PMTINFO></RECPMTRS></RECPMTTRNRS>\
          </BILLPAYMSGSRSV1></OFX>",
    );
    assert_eq!(out.status, 1);
    assert!(out.stderr.contains("recurring model R5: no FREQ; not scheduled"), "{}", out.stderr);
}

#[test]
fn requests_alone_have_no_schedule() {
    let out = run(&["schedule", &corpus("billpay/requests.ofx"), "--from", "2024-01-01"], b"");
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert_eq!(out.stdout, "RECSRVRTID  PAYMENT  DUE  AMOUNT  CURRENCY  PAYEE\n");
    assert!(out.stderr.contains("no recurring-payment model"), "{}", out.stderr);
}

#[test]
fn csv_output() {
    let out = run(
        &[
            "schedule",
            "--csv",
            "--from",
            "2024-12-01",
            &replay_file("01-recurring.ofx"),
            &replay_file("02-recurring.ofx"),
        ],
        b"",
    );
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "recurring_id,number,of,date,amount,currency,payee\nR1,12,12,2024-12-31,25.00,USD,Water Co\n"
    );
    let f = replay_file("01-recurring.ofx");
    assert_eq!(run(&["schedule", "--csv", "--json", &f], b"").status, 2);
}

#[test]
fn ofc_payments_are_read_without_findings() {
    let out = run(&["schedule", &corpus("billpay/ofc-responses.ofc"), "--from", "2024-01-01"], b"");
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert_eq!(
        out.stderr,
        "ofxkit: no recurring-payment model (RECPMTRS, RECPMTMODRS) in the input\n"
    );
}

/// Rows are written as they are made: peak memory stays flat between a count and ten times
/// it, and every row asked for is written (R2 is weekly and open-ended; weekly from 2024,
/// 400,000 rows stay before 9999-12-31, the last date written).
#[test]
fn rows_stream_with_flat_memory_and_no_cap() {
    let file = replay_file("01-recurring.ofx");
    for (format, small, large) in [
        ("--table", 40_000u64, 400_000u64),
        ("--csv", 10_000, 100_000),
        ("--json", 10_000, 100_000),
    ] {
        let measure = |count: u64| {
            let count = count.to_string();
            let mut args = vec!["schedule", "--from", "2024-01-01", "--count", &count, &file];
            if format != "--table" {
                args.push(format);
            }
            let peak = crate::util::peak_memory(&args);
            assert_eq!(peak.status, 0, "{}", peak.stderr);
            peak
        };
        let (a, b) = (measure(small), measure(large));
        // R1 has 12 instalments (9 JSON lines each, with its NINSTS), R2 the rest (8 JSON
        // lines each); a header line, or the array's brackets.
        let lines = |count: u64| match format {
            "--json" => 2 + 12 * 9 + count * 8,
            _ => 1 + 12 + count,
        };
        assert_eq!((a.stdout_lines, b.stdout_lines), (lines(small), lines(large)), "{format}");
        eprintln!("schedule {format}: {small} rows {} KiB, {large} rows {} KiB", a.kib, b.kib);
        assert!(b.kib < a.kib + a.kib / 2, "{format}: {} KiB, then {} KiB", a.kib, b.kib);
    }
}

/// NINSTS that is not one to three digits, or 0: the model is not scheduled (never
/// open-ended), with a warning naming it and the value, and exit status 1.
#[test]
fn invalid_or_zero_ninsts_is_not_scheduled() {
    let model = |id: &str, ninsts: &str| {
        format!(
            "<RECPMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS><RECPMTRS>\
             <RECSRVRTID>{id}<PAYEELSTID>P<CURDEF>USD<RECURRINST>{ninsts}<FREQ>MONTHLY\
             </RECURRINST><PMTINFO><BANKACCTFROM><BANKID>1<ACCTID>2<ACCTTYPE>CHECKING\
             </BANKACCTFROM><TRNAMT>1.00<PAYEEID>X<PAYACCT>9<DTDUE>20240131</PMTINFO>\
             </RECPMTRS></RECPMTTRNRS>\n"
        )
    };
    let file = format!(
        "<OFX><BILLPAYMSGSRSV1>\n{}{}{}{}</BILLPAYMSGSRSV1></OFX>",
        model("R1", "<NINSTS>4294967295"),
        model("R2", "<NINSTS>0"),
        model("R3", "<NINSTS>2"),
        model("R4", "<NINSTS>+3"),
    );
    let out =
        run(&["schedule", "-", "--from", "2024-01-01", "--until", "2030-01-01"], file.as_bytes());
    assert_eq!(out.status, 1, "{}", out.stderr);
    for line in [
        "ofxkit: warning: recurring model R1: NINSTS \"4294967295\" is not a number of \
         instalments (1 to 3 digits), so the model's end is unknown; not scheduled",
        "ofxkit: warning: recurring model R2: NINSTS is 0: the model makes no payment; not \
         scheduled",
        "ofxkit: warning: recurring model R4: NINSTS \"+3\" is not a number of instalments",
        "<stdin>:2:121: error[E-INTEGER]: <NINSTS> is \"4294967295\"",
    ] {
        assert!(out.stderr.contains(line), "{line}\n{}", out.stderr);
    }
    assert_eq!(
        out.stdout,
        "RECSRVRTID  PAYMENT  DUE         AMOUNT  CURRENCY  PAYEE\n\
         R3          1/2      2024-01-31    1.00  USD\n\
         R3          2/2      2024-02-29    1.00  USD\n"
    );
}

/// Dates past 9999-12-31 are not written (issue 12: they came out as `+10000-01-07`): a list
/// the calendar cuts short stops at the last date before it and says so on standard error.
#[test]
fn a_list_cut_by_the_end_of_the_calendar_says_so() {
    let file = replay_file("01-recurring.ofx");
    let out = run(&["schedule", "--from", "9999-06-01", "--count", "100", "--csv", &file], b"");
    assert_eq!(out.status, 0, "{}", out.stderr);
    let last = out.stdout.lines().last().unwrap_or_default();
    assert!(last.contains(",9999-12-"), "{last}");
    assert!(!out.stdout.contains("10000"), "{}", out.stdout);
    assert!(
        out.stderr.contains("recurring model R2: its payments run past 9999-12-31"),
        "{}",
        out.stderr
    );
    let within = run(&["schedule", "--from", "2024-01-01", "--count", "10", &file], b"");
    assert!(!within.stderr.contains("9999-12-31"), "{}", within.stderr);
}
