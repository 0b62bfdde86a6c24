//! `ofxkit recurring apply` and `ofxkit schedule` over card-processor plan logs (issue 16).
//!
//! Every log in `corpus/recurring/` is applied, and its outputs compared with the goldens
//! beside it (`NAME.state.json`, `NAME.results.ndjson`, `NAME.apply.txt`: exit status and
//! standard error, `NAME.schedule.txt`: `schedule --from 2026-01-01 --count 24`); bless with
//! `OFXKIT_BLESS=1 cargo test -p ofxkit-cli --test cli recurring` and read the diff.

use std::path::{Path, PathBuf};

use crate::util::{root, run, scratch};

/// The logs of `corpus/recurring/`, as paths relative to the workspace (how results name
/// them).
fn logs() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root().join("corpus/recurring"))
        .expect("corpus/recurring")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".ndjson") && !n.ends_with(".results.ndjson"))
        .collect();
    names.sort();
    names.into_iter().map(|n| format!("corpus/recurring/{n}")).collect()
}

/// Compares `actual` with the golden `path` (written instead under `OFXKIT_BLESS`).
fn golden(path: &Path, actual: &str, failures: &mut Vec<String>) {
    if std::env::var_os("OFXKIT_BLESS").is_some() {
        std::fs::write(path, actual).expect("write golden");
        return;
    }
    let expected = std::fs::read_to_string(path).unwrap_or_default();
    if expected != actual {
        failures.push(format!("{} differs:\n{actual}", path.display()));
    }
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

#[test]
fn corpus_logs_match_their_goldens_and_replay_to_the_same_state() {
    let dir = scratch("recurring-golden");
    let logs = logs();
    assert!(logs.len() >= 7, "{logs:?}");
    let mut failures = Vec::new();
    for log in &logs {
        let stem = log.trim_end_matches(".ndjson");
        let state = dir.join("state.json");
        let results = dir.join("results.ndjson");
        let (s, r) = (state.display().to_string(), results.display().to_string());
        let out = run(&["recurring", "apply", log, "-o", &s, "--results", &r], b"");
        assert!(out.status == 0 || out.status == 1, "{log}: {}", out.stderr);
        assert_eq!(out.stdout, "", "{log}: the state and the results went to their files");
        let first_state = read(&state);
        let first_results = read(&results);
        golden(&root().join(format!("{stem}.state.json")), &first_state, &mut failures);
        golden(&root().join(format!("{stem}.results.ndjson")), &first_results, &mut failures);
        let apply = format!("exit: {}\n{}", out.status, out.stderr);
        golden(&root().join(format!("{stem}.apply.txt")), &apply, &mut failures);

        // The log again, over its own state: nothing changes, byte for byte, and every line
        // has the code it had.
        let again =
            run(&["recurring", "apply", log, "--state", &s, "-o", &s, "--results", &r], b"");
        assert!(again.status == 0 || again.status == 1, "{log}: {}", again.stderr);
        assert_eq!(read(&state), first_state, "{log}: replayed");
        let codes = |text: &str| -> Vec<String> {
            text.lines()
                .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("a JSON line"))
                .map(|v| v["code"].as_str().unwrap_or_default().to_owned())
                .collect()
        };
        assert_eq!(codes(&read(&results)), codes(&first_results), "{log}");
        assert!(again.stderr.contains(" 0 applied, "), "{log}: {}", again.stderr);

        let schedule = run(&["schedule", log, "--from", "2026-01-01", "--count", "24"], b"");
        let shown = format!(
            "exit: {}\n{}--- stderr\n{}",
            schedule.status, schedule.stdout, schedule.stderr
        );
        golden(&root().join(format!("{stem}.schedule.txt")), &shown, &mut failures);
        // From the state, the same rows.
        let from_state =
            run(&["schedule", "--state", &s, "--from", "2026-01-01", "--count", "24"], b"");
        assert_eq!(from_state.stdout, schedule.stdout, "{log}: from the state");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The scenarios' facts, checked by hand against the goldens' meaning.
#[test]
fn hand_checked_scenarios() {
    let schedule = |log: &str, extra: &[&str]| {
        let mut args = vec!["schedule", log, "--from", "2026-01-01"];
        args.extend_from_slice(extra);
        run(&args, b"")
    };
    // Five every 30 days, two processed: 3/5 to 5/5, 30 days apart.
    let out = schedule("corpus/recurring/five-every-30-days.ndjson", &[]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "ORDERID  PAYMENT  DUE         AMOUNT  CURRENCY  PAYEE\n\
         A1       3/5      2026-03-11   19.99  RON       S1\n\
         A1       4/5      2026-04-10   19.99  RON       S1\n\
         A1       5/5      2026-05-10   19.99  RON       S1\n"
    );
    // Without end, bounded by --count 24: 2/∞ to 25/∞, weekly.
    let out = schedule("corpus/recurring/no-end.ndjson", &["--count", "24", "--csv"]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    let rows: Vec<&str> = out.stdout.lines().skip(1).collect();
    assert_eq!(rows.len(), 24);
    assert_eq!(rows[0], "N1,2,,2026-02-07,9.00,EUR,S1");
    assert_eq!(rows[23], "N1,25,,2026-07-18,9.00,EUR,S1");
    // First payment with count 0: nothing is due, and the move is refused.
    let out = schedule("corpus/recurring/first-count-zero.ndjson", &[]);
    assert_eq!(out.stdout, "ORDERID  PAYMENT  DUE  AMOUNT  CURRENCY  PAYEE\n");
    assert!(out.stderr.contains("[rule plan-not-scheduled]"), "{}", out.stderr);
    assert_eq!(out.status, 1);
    // Moved, repriced, then cancelled: M1 is gone; M2 (BHD, three decimals) keeps going.
    let out = schedule("corpus/recurring/move-reprice-cancel.ndjson", &["--count", "2"]);
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "ORDERID  PAYMENT  DUE         AMOUNT  CURRENCY  PAYEE\n\
         M2       2/∞      2026-02-03   5.125  BHD       S1\n\
         M2       3/∞      2026-02-17   5.125  BHD       S1\n"
    );
}

#[test]
fn malformed_dates_and_prices_are_0x4002_and_the_rest_applies() {
    let dir = scratch("recurring-malformed");
    let state = dir.join("state.json").display().to_string();
    let out = run(&["recurring", "apply", "corpus/recurring/malformed.ndjson", "-o", &state], b"");
    assert_eq!(out.status, 1);
    // With -o FILE, the results are on standard output.
    let results: Vec<serde_json::Value> =
        out.stdout.lines().map(|l| serde_json::from_str(l).expect("JSON line")).collect();
    let codes: Vec<(u64, &str, &str)> = results
        .iter()
        .map(|r| {
            let rule = r["details"].as_array().and_then(|d| d.last()).map(|d| &d["rule"]);
            (
                r["line"].as_u64().unwrap_or(0),
                r["code"].as_str().unwrap_or(""),
                rule.and_then(|x| x.as_str()).unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        codes,
        [
            (1, "0x5000", ""),
            (2, "0x5000", ""),
            (3, "0x4002", "date-format"),
            (4, "0x4002", "date-format"),
            (5, "0x4002", "date-format"),
            (6, "0x4002", "price-not-finite"),
            (7, "0x4002", "price-negative"),
            (8, "0x4002", "price-exponent"),
            (9, "0x4002", "price-decimals"),
            (10, "0x4002", "price-syntax"),
            (11, "0x4002", "price-decimals"),
            (12, "0x4002", "price"),
            (13, "0x4002", "date-format"),
            (14, "0x4005", "count"),
            (15, "0x2000", "event"),
            (16, "0x2000", "event"),
            (17, "0x2000", "json"),
            (18, "0x2000", "json"),
            (19, "0x5000", ""),
        ]
    );
    // 0x4002 has two names, one code.
    assert_eq!(results[2]["message"], "wrong data format / invalid data");
    // The last line applied after all the refusals: the price is 21.50.
    let state: serde_json::Value = serde_json::from_str(&read(Path::new(&state))).expect("state");
    assert_eq!(state["plans"]["P1"]["price"], "21.50");
    assert!(state["plans"].get("P2").is_none());
}

#[test]
fn results_go_where_the_state_does_not() {
    let dir = scratch("recurring-destinations");
    let log = "corpus/recurring/five-every-30-days.ndjson";
    // The state on standard output: the results on standard error.
    let out = run(&["recurring", "apply", log], b"");
    assert_eq!(out.status, 0, "{}", out.stderr);
    let state: serde_json::Value = serde_json::from_str(&out.stdout).expect("state on stdout");
    assert_eq!(state["plans"]["A1"]["status"], "active");
    assert_eq!(out.stderr.lines().filter(|l| l.starts_with("{\"action\":")).count(), 3);
    // --results - with the state in a file.
    let s = dir.join("s.json").display().to_string();
    let out = run(&["recurring", "apply", log, "-o", &s, "--results", "-"], b"");
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert_eq!(out.stdout.lines().count(), 3);
    // Both on standard output: refused before anything is written.
    let out = run(&["recurring", "apply", log, "--results", "-"], b"");
    assert_eq!(out.status, 2);
    assert_eq!(out.stdout, "");
    // An output that is a log is refused; the log is intact.
    let copy = dir.join("log.ndjson");
    std::fs::copy(root().join(log), &copy).expect("copy");
    let c = copy.display().to_string();
    for args in [vec!["-o", c.as_str()], vec!["-o", s.as_str(), "--results", c.as_str()]] {
        let mut all = vec!["recurring", "apply", c.as_str()];
        all.extend(args);
        let out = run(&all, b"");
        assert_eq!(out.status, 2, "{all:?}: {}", out.stderr);
        assert!(out.stderr.contains("the output file is also an input"), "{}", out.stderr);
    }
    assert_eq!(read(&copy), read(&root().join(log)));
}

#[test]
fn an_unreadable_log_writes_nothing() {
    let dir = scratch("recurring-unreadable");
    let state = dir.join("state.json");
    std::fs::write(&state, "old").expect("write");
    let s = state.display().to_string();
    let missing = dir.join("missing.ndjson").display().to_string();
    let out =
        run(&["recurring", "apply", "corpus/recurring/no-end.ndjson", &missing, "-o", &s], b"");
    assert_eq!(out.status, 2, "{}", out.stderr);
    assert!(out.stderr.contains("no state written"), "{}", out.stderr);
    assert_eq!(read(&state), "old");
    // A state given as a log, and a log given as a state.
    let out = run(&["recurring", "apply", "corpus/recurring/no-end.state.json"], b"");
    assert_eq!(out.status, 2, "{}", out.stderr);
    let out = run(
        &[
            "recurring",
            "apply",
            "--state",
            "corpus/recurring/no-end.ndjson",
            "corpus/recurring/no-end.ndjson",
        ],
        b"",
    );
    assert_eq!(out.status, 2, "{}", out.stderr);
    assert!(out.stderr.contains("not a plan state"), "{}", out.stderr);
}

/// Standard input, incremental runs over a state, and a log whose lines are new.
#[test]
fn incremental_runs_apply_only_what_is_new() {
    let dir = scratch("recurring-incremental");
    let s = dir.join("s.json").display().to_string();
    let log = read(&root().join("corpus/recurring/five-every-30-days.ndjson"));
    let out = run(&["recurring", "apply", "-", "-o", &s], log.as_bytes());
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(out.stdout.contains("\"source\":\"<stdin>\""), "{}", out.stdout);
    let more = format!(
        "{log}{}\n{}\n",
        r#"{"event":"notification","orderId":"A1","current_payment_count":3,"date":"2026-03-11 10:00:00"}"#,
        r#"{"event":"modifyRecurrencePrice","orderId":"A1","price":"20"}"#
    );
    let out = run(&["recurring", "apply", "-", "--state", &s, "-o", &s], more.as_bytes());
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("5 line(s): 2 applied, 0 refused, 3 already applied"),
        "{}",
        out.stderr
    );
    let out = run(&["schedule", &s, "--from", "2026-01-01"], b"");
    assert_eq!(
        out.stdout,
        "ORDERID  PAYMENT  DUE         AMOUNT  CURRENCY  PAYEE\n\
         A1       4/5      2026-04-10   20.00  RON       S1\n\
         A1       5/5      2026-05-10   20.00  RON       S1\n"
    );
}

/// OFX files and plan logs in one list: OFX models first, then card plans, under `ID`.
#[test]
fn schedule_mixes_ofx_models_and_plan_logs() {
    let out = run(
        &[
            "schedule",
            "corpus/billpay/replay/01-recurring.ofx",
            "corpus/recurring/five-every-30-days.ndjson",
            "corpus/billpay/replay/02-recurring.ofx",
            "--from",
            "2026-01-01",
            "--count",
            "1",
        ],
        b"",
    );
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "ID  PAYMENT  DUE         AMOUNT  CURRENCY  PAYEE\n\
         A1  3/5      2026-03-11   19.99  RON       S1\n"
    );
    // A state after a log is refused.
    let out = run(
        &["schedule", "corpus/recurring/no-end.ndjson", "corpus/recurring/no-end.state.json"],
        b"",
    );
    assert_eq!(out.status, 2, "{}", out.stderr);
    assert!(out.stderr.contains("a state file must come first"), "{}", out.stderr);
    // --state must be a state.
    let out = run(&["schedule", "--state", "corpus/recurring/no-end.ndjson"], b"");
    assert_eq!(out.status, 2, "{}", out.stderr);
}

/// Names and ids from the log reach the terminal escaped; no input line panics.
#[test]
fn control_characters_are_escaped_and_garbage_never_panics() {
    let log = "{\"event\":\"cancelRecurrence\",\"orderId\":\"A\\u001b[2J\"}\n\
               {\"event\":\"notification\",\"orderId\":\"\\u0007\",\"current_payment_count\":1,\"date\":\"x\\u001b\"}\n\
               \u{1b}[31m\n{\"event\":\n{}\n\"\\ud800\"\n{\"event\":\"payment\",\"amount\":1e999999}\n";
    let out = run(&["recurring", "apply", "-"], log.as_bytes());
    assert_eq!(out.status, 1, "{}", out.stderr);
    assert!(!out.stderr.contains('\u{1b}') && !out.stderr.contains('\u{7}'), "{:?}", out.stderr);
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    let out = run(&["schedule", "-", "--from", "2026-01-01"], log.as_bytes());
    assert_eq!(out.status, 1, "{}", out.stderr);
    assert!(!out.stderr.contains('\u{1b}') && !out.stderr.contains('\u{7}'), "{:?}", out.stderr);
    // A file name with a control character, in a message.
    let dir = scratch("recurring-names");
    let odd: PathBuf = dir.join("log\u{1b}.ndjson");
    std::fs::write(&odd, "nonsense\nmore\n").expect("write");
    let out = run(&["schedule", &odd.display().to_string()], b"");
    assert!(
        out.stderr.contains("log\\u{1b}.ndjson") || out.stderr.contains("log\\x1b.ndjson"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains('\u{1b}'), "{:?}", out.stderr);
}
