//! `ofxkit request KIND`: complete request files that validate, with a fresh TRNUID, the
//! password from a file or the terminal only, ids and tokens from a replayed state, and the
//! window of the ledger.

use std::path::Path;

use crate::util::{corpus, run, scratch};

const PASSWORD: &str = "S3CR3T-h10-pw";

/// `--user jdoe --password-file FILE` with [`PASSWORD`] in `dir`.
fn signon(dir: &Path) -> Vec<String> {
    let file = dir.join("pw.txt");
    std::fs::write(&file, format!("{PASSWORD}\n")).expect("password file");
    vec!["--user".into(), "jdoe".into(), "--password-file".into(), file.display().to_string()]
}

fn args<'a>(fixed: &[&'a str], more: &'a [String]) -> Vec<&'a str> {
    fixed.iter().copied().chain(more.iter().map(String::as_str)).collect()
}

const BANK: &[&str] = &["--bank-id", "123456789", "--acct-id", "1001", "--acct-type", "checking"];

/// The text of the leaf `name` (SGML or XML), the first one.
fn leaf(text: &str, name: &str) -> Option<String> {
    let open = format!("<{name}>");
    let start = text.find(&open)? + open.len();
    let rest = &text[start..];
    let end = rest.find(['<', '\r', '\n']).unwrap_or(rest.len());
    Some(rest[..end].to_owned())
}

/// Runs `ofxkit validate FILE`: no error.
fn validates(path: &Path) {
    let out = run(&["validate", &path.display().to_string()], b"");
    assert_eq!(out.status, 0, "{}: {}{}", path.display(), out.stdout, out.stderr);
}

fn utc_days() -> Vec<String> {
    let day = |offset: &str| {
        let out = std::process::Command::new("date")
            .args(["-u", "-d", offset, "+%Y%m%d"])
            .output()
            .expect("date runs");
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    };
    vec![day("now"), day("-1 minute"), day("+1 minute")]
}

#[test]
fn a_statement_request_is_complete_valid_private_and_fresh() {
    let dir = scratch("request-statement");
    let s = signon(&dir);
    let target = dir.join("req.ofx");
    let t = target.display().to_string();
    let mut trnuids = Vec::new();
    for _ in 0..2 {
        let fixed = [
            &["request", "statement", "--from", "2024-01-01", "--to", "2024-01-31", "-o", &t][..],
            BANK,
        ]
        .concat();
        let out = run(&args(&fixed, &s), b"");
        assert_eq!((out.status, out.stdout.as_str()), (0, ""), "{}", out.stderr);
        assert!(!out.stderr.contains(PASSWORD));
        let text = std::fs::read_to_string(&target).expect("written");
        assert!(text.starts_with("OFXHEADER:100\r\nDATA:OFXSGML\r\nVERSION:102\r\n"), "{text}");
        assert_eq!(leaf(&text, "USERPASS").as_deref(), Some(PASSWORD));
        assert_eq!(leaf(&text, "USERID").as_deref(), Some("jdoe"));
        assert_eq!(
            (leaf(&text, "APPID").as_deref(), leaf(&text, "APPVER").as_deref()),
            (Some("QWIN"), Some("2700"))
        );
        assert_eq!(
            (leaf(&text, "DTSTART").as_deref(), leaf(&text, "DTEND").as_deref()),
            (Some("20240101"), Some("20240131"))
        );
        let dtclient = leaf(&text, "DTCLIENT").expect("DTCLIENT");
        assert!(dtclient.ends_with("[0:GMT]"), "{dtclient}");
        assert!(
            utc_days().iter().any(|d| dtclient.starts_with(d.as_str())),
            "{dtclient} is today in UTC"
        );
        let trnuid = leaf(&text, "TRNUID").expect("TRNUID");
        let b = trnuid.as_bytes();
        assert!(
            trnuid.len() == 36 && b[14] == b'4' && b"89ab".contains(&b[19]),
            "a UUID v4: {trnuid}"
        );
        trnuids.push(trnuid);
        validates(&target);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&target).expect("meta").permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "the file holds the password");
        }
    }
    assert_ne!(trnuids[0], trnuids[1], "a fresh TRNUID per request");
}

#[test]
fn card_investment_and_bank_requests_validate_at_every_version() {
    let dir = scratch("request-versions");
    let s = signon(&dir);
    let target = dir.join("req.ofx");
    let t = target.display().to_string();
    let kinds: Vec<(Vec<&str>, &str)> = vec![
        (vec!["statement", "--acct-id", "4111111111111111", "--from", "20240101"], "CCSTMTRQ"),
        (vec!["statement", "--broker-id", "broker.example.com", "--acct-id", "X1"], "INVSTMTRQ"),
        ([&["statement"][..], BANK].concat(), "<STMTRQ>"),
        (
            [&["payments-sync", "--token", "0", "--reject-if-missing"][..], BANK].concat(),
            "<TOKEN>0",
        ),
        (vec!["payees-sync", "--refresh"], "<REFRESH>Y"),
    ];
    for (kind, expect) in kinds {
        for version in ["102", "103", "151", "160", "200", "201", "202", "203", "210", "211", "220"]
        {
            let fixed = [
                &["request"][..],
                &kind,
                &["--version", version, "-o", &t, "--fi-org", "MYBANK", "--fi-id", "42"],
            ]
            .concat();
            let out = run(&args(&fixed, &s), b"");
            assert_eq!(out.status, 0, "{kind:?} {version}: {}", out.stderr);
            let text = std::fs::read_to_string(&target).expect("written");
            assert!(text.contains(expect), "{kind:?} {version}: {text}");
            let header = if version < "200" {
                format!("VERSION:{version}")
            } else {
                format!("VERSION=\"{version}\"")
            };
            assert!(text.contains(&header), "{kind:?} {version}");
            validates(&target);
        }
    }
}

#[test]
fn the_password_comes_from_a_file_standard_input_or_the_terminal_never_the_command_line() {
    let base = ["request", "payees-sync", "--refresh", "--user", "jdoe"];
    let stdin = run(
        &[&base[..], &["--password-file", "-"]].concat(),
        format!("{PASSWORD}\r\nignored\n").as_bytes(),
    );
    assert_eq!(stdin.status, 0, "{}", stdin.stderr);
    assert_eq!(
        leaf(&stdin.stdout, "USERPASS").as_deref(),
        Some(PASSWORD),
        "first line, CR LF dropped"
    );
    // No terminal here, no file: refused, nothing written.
    let none = run(&base, b"");
    assert_eq!((none.status, none.stdout.as_str()), (2, ""));
    assert!(none.stderr.contains("--password-file"), "{}", none.stderr);
    let argv = run(&[&base[..], &["--password", PASSWORD]].concat(), b"");
    assert_eq!((argv.status, argv.stdout.as_str()), (2, ""));
    assert!(!argv.stderr.contains("--password "), "no such option is suggested: {}", argv.stderr);
    let empty = run(&[&base[..], &["--password-file", "-"]].concat(), b"\n");
    assert_eq!(empty.status, 2);
    assert!(empty.stderr.contains("empty"), "{}", empty.stderr);
}

#[test]
fn usage_mistakes_are_named_and_write_nothing() {
    let dir = scratch("request-usage");
    let s = signon(&dir);
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["request", "statement", "--bank-id", "1", "--acct-id", "2"], "--acct-type"),
        (vec!["request", "statement", "--acct-type", "savings", "--acct-id", "2"], "--bank-id"),
        (
            vec![
                "request",
                "statement",
                "--acct-id",
                "2",
                "--from",
                "2024-02-01",
                "--to",
                "2024-01-01",
            ],
            "after",
        ),
        (vec!["request", "payments-sync", "--acct-id", "4111", "--token", "0"], "bank account"),
        (
            vec!["request", "payments-sync", "--token", "0", "--refresh", "--acct-id", "1"],
            "cannot be used with",
        ),
        (vec!["request", "payees-sync", "--acct-id", "1", "--refresh"], "per user"),
        (vec!["request", "statement", "--acct-id", "1", "--version", "104"], "not an OFX version"),
        (vec!["request", "statement", "--acct-id", "1", "--fi-id", "9"], "--fi-org"),
    ];
    for (fixed, expect) in cases {
        let out = run(&args(&fixed, &s), b"");
        assert_eq!((out.status, out.stdout.as_str()), (2, ""), "{fixed:?}: {}", out.stderr);
        assert!(out.stderr.contains(expect), "{fixed:?}: {}", out.stderr);
    }
}

/// `sync replay` of the history, into a state file.
fn replayed(dir: &Path, files: &[&str]) -> String {
    let state = dir.join("state.json").display().to_string();
    let mut a = vec!["sync".to_owned(), "replay".to_owned()];
    a.extend(files.iter().map(|f| corpus(&format!("billpay/replay/{f}"))));
    a.extend(["-o".to_owned(), state.clone()]);
    let out = run(&a.iter().map(String::as_str).collect::<Vec<_>>(), b"");
    assert!(out.status <= 1, "{}", out.stderr);
    state
}

#[test]
fn a_sync_request_from_a_replayed_state_sends_its_token_and_a_refresh_then_its_answer_equals_the_history()
 {
    let dir = scratch("request-sync-state");
    let s = signon(&dir);
    let state = replayed(&dir, &["01-payments.ofx", "02-payments.ofx"]);
    let out = run(
        &args(&[&["request", "payments-sync", "--from-state", &state][..], BANK].concat(), &s),
        b"",
    );
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert_eq!(leaf(&out.stdout, "TOKEN").as_deref(), Some("202"));
    // The payee list has no token in this state.
    let none = run(&args(&["request", "payees-sync", "--from-state", &state], &s), b"");
    assert_eq!(none.status, 2);
    assert!(none.stderr.contains("--token 0"), "{}", none.stderr);
    // An ofxkit REFRESH request, then the server's answer: the state of the history.
    let request = dir.join("refresh-request.ofx");
    let r = request.display().to_string();
    let out = run(
        &args(
            &[&["request", "payments-sync", "--refresh", "--version", "160", "-o", &r][..], BANK]
                .concat(),
            &s,
        ),
        b"",
    );
    assert_eq!(out.status, 0, "{}", out.stderr);
    let answer = corpus("billpay/replay/refresh.ofx");
    let refreshed = run(&["sync", "replay", &r, &answer], b"");
    assert_eq!(refreshed.status, 0, "{}", refreshed.stderr);
    let history = std::fs::read_to_string(&state).expect("state");
    let objects = |json: &str| {
        let v: serde_json::Value = serde_json::from_str(json).expect("JSON");
        (v["payments"].clone(), v["payees"].clone(), v["recurring"].clone())
    };
    assert_eq!(objects(&refreshed.stdout), objects(&history));
    assert!(!refreshed.stderr.contains(PASSWORD) && !refreshed.stdout.contains(PASSWORD));
}

#[test]
fn changes_take_their_ids_and_current_form_from_a_replayed_state() {
    let dir = scratch("request-changes");
    let s = signon(&dir);
    let state =
        replayed(&dir, &["01-payments.ofx", "01-payees.ofx", "02-payees.ofx", "01-recurring.ofx"]);
    let target = dir.join("req.ofx");
    let t = target.display().to_string();
    let ok = |fixed: &[&str]| -> String {
        let out = run(&args(&[fixed, &["--version", "160", "-o", &t]].concat(), &s), b"");
        assert_eq!(out.status, 0, "{fixed:?}: {}", out.stderr);
        validates(&target);
        std::fs::read_to_string(&target).expect("written")
    };
    let text = ok(&[
        "request",
        "payment-modify",
        "--from-state",
        &state,
        "--srvrtid",
        "S1001",
        "--amount",
        "130.00",
        "--due",
        "2024-04-15",
    ]);
    assert!(text.contains("<PMTMODRQ>"), "{text}");
    assert_eq!(leaf(&text, "SRVRTID").as_deref(), Some("S1001"));
    assert_eq!(
        (leaf(&text, "TRNAMT").as_deref(), leaf(&text, "DTDUE").as_deref()),
        (Some("130.00"), Some("20240415"))
    );
    assert_eq!(leaf(&text, "PAYACCT").as_deref(), Some("W-5566"), "kept from the state");
    let text = ok(&["request", "payment-cancel", "--from-state", &state, "--srvrtid", "S1002"]);
    assert!(text.contains("<PMTCANCRQ>") && text.contains("<SRVRTID>S1002"), "{text}");
    let text = ok(&[
        "request",
        "payee-modify",
        "--from-state",
        &state,
        "--payee-list-id",
        "P100",
        "--payee-phone",
        "217-555-0000",
    ]);
    assert_eq!(leaf(&text, "PHONE").as_deref(), Some("217-555-0000"));
    assert_eq!(
        leaf(&text, "NAME").as_deref(),
        Some("City Power &amp; Light"),
        "the rest from the state (escaped)"
    );
    let text = ok(&["request", "payee-delete", "--from-state", &state, "--payee-list-id", "P200"]);
    assert!(text.contains("<PAYEEDELRQ>"), "{text}");
    let recurring: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&state).expect("state")).expect("JSON");
    let rid =
        recurring["recurring"].as_object().and_then(|m| m.keys().next().cloned()).expect("a model");
    let text = ok(&[
        "request",
        "recurring-modify",
        "--from-state",
        &state,
        "--recsrvrtid",
        &rid,
        "--amount",
        "75.00",
        "--next-due",
        "2024-06-01",
        "--modify-pending",
    ]);
    assert_eq!(leaf(&text, "MODPENDING").as_deref(), Some("Y"));
    assert_eq!(
        (leaf(&text, "TRNAMT").as_deref(), leaf(&text, "DTDUE").as_deref()),
        (Some("75.00"), Some("20240601"))
    );
    let text = ok(&[
        "request",
        "recurring-cancel",
        "--from-state",
        &state,
        "--recsrvrtid",
        &rid,
        "--cancel-pending",
    ]);
    assert_eq!(leaf(&text, "CANPENDING").as_deref(), Some("Y"));
    let pay = [
        &[
            "request",
            "payment-add",
            "--from-state",
            &state,
            "--payee-list-id",
            "P100",
            "--amount",
            "42.10",
            "--due",
            "2024-05-01",
        ][..],
        BANK,
    ]
    .concat();
    let text = ok(&pay);
    assert_eq!(
        (leaf(&text, "PAYEELSTID").as_deref(), leaf(&text, "PAYACCT").as_deref()),
        (Some("P100"), Some("ACCT-779"))
    );
    let add = [
        &[
            "request",
            "recurring-add",
            "--payee-id",
            "STD-1",
            "--pay-acct",
            "A1",
            "--amount",
            "10",
            "--due",
            "2024-05-01",
            "--freq",
            "monthly",
            "--instalments",
            "6",
        ][..],
        BANK,
    ]
    .concat();
    let text = ok(&add);
    assert_eq!(
        (leaf(&text, "FREQ").as_deref(), leaf(&text, "NINSTS").as_deref()),
        (Some("MONTHLY"), Some("6"))
    );
    let text = ok(&[
        "request",
        "payee-add",
        "--payee-name",
        "Gas Co",
        "--payee-addr",
        "1 Pipe St",
        "--payee-city",
        "X",
        "--payee-state",
        "IL",
        "--payee-postal-code",
        "60000",
        "--payee-phone",
        "5",
        "--pay-acct",
        "G-1",
    ]);
    assert!(text.contains("<PAYEERQ>"), "{text}");
    // Ids the state does not hold, or holds cancelled, are refused: nothing written.
    std::fs::write(&target, "old").expect("old");
    for (fixed, expect) in [
        (
            vec![
                "request",
                "payment-modify",
                "--from-state",
                &state,
                "--srvrtid",
                "NOPE",
                "--amount",
                "1",
            ],
            "no payment NOPE",
        ),
        (
            vec!["request", "payee-delete", "--from-state", &state, "--payee-list-id", "P404"],
            "no payee P404",
        ),
        (vec!["request", "payee-add", "--payee-name", "Half"], "CITY"),
        (
            vec!["request", "payment-modify", "--from-state", &state, "--srvrtid", "S1001"],
            "--amount or --due",
        ),
    ] {
        let out = run(&args(&[&fixed[..], &["-o", &t]].concat(), &s), b"");
        assert_eq!(out.status, 2, "{fixed:?}: {}", out.stderr);
        assert!(out.stderr.contains(expect), "{fixed:?}: {}", out.stderr);
        assert_eq!(std::fs::read_to_string(&target).expect("target"), "old", "{fixed:?}");
    }
}

#[test]
fn a_statement_from_the_ledger_asks_for_exactly_its_window() {
    let dir = scratch("request-ledger");
    let s = signon(&dir);
    let db = dir.join("ledger.sqlite").display().to_string();
    let file = corpus("ledger/overlap/01-jan-10.ofx");
    let import = run(&["ledger", "import", "--db", &db, &file], b"");
    assert_eq!(import.status, 0, "{}", import.stderr);
    let window = run(
        &["ledger", "window", "--db", &db, "--account", "1111", "--today", "2025-01-15", "--json"],
        b"",
    );
    assert_eq!(window.status, 0, "{}", window.stderr);
    let w: serde_json::Value = serde_json::from_str(&window.stdout).expect("JSON");
    let day = |k: &str| w[k].as_str().expect(k).replace('-', "");
    assert_eq!((day("from"), day("until")), ("20250105".to_owned(), "20250115".to_owned()));
    let fixed = [
        "request",
        "statement",
        "--bank-id",
        "021000021",
        "--acct-id",
        "1111",
        "--acct-type",
        "checking",
        "--from-ledger",
        &db,
        "--today",
        "2025-01-15",
    ];
    let out = run(&args(&fixed, &s), b"");
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert_eq!(leaf(&out.stdout, "DTSTART"), Some(day("from")));
    assert_eq!(leaf(&out.stdout, "DTEND"), Some(day("until")));
    assert!(out.stderr.contains("window 2025-01-05 to 2025-01-15"), "{}", out.stderr);
    let unknown =
        run(&args(&["request", "statement", "--acct-id", "9999", "--from-ledger", &db], &s), b"");
    assert_eq!(unknown.status, 2);
    assert!(unknown.stderr.contains("no account 9999"), "{}", unknown.stderr);
}

#[test]
fn every_help_states_the_exit_codes() {
    for cmd in [vec!["request"], vec!["get"]] {
        let out = run(&[&cmd[..], &["--help"]].concat(), b"");
        assert_eq!(out.status, 0);
        let text = out.stdout.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(text.contains("Exit status: 0 "), "{cmd:?}: {text}");
        assert!(
            text.contains("; 1 ") && text.contains("; 2 usage or I/O trouble"),
            "{cmd:?}: {text}"
        );
    }
}
