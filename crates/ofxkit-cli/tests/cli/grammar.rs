//! One grammar for every command: `-o FILE` (`-o -` standard output), `--format` with the
//! same value names in any case, the format an `-o` file's extension names.

use crate::util::{corpus, run, scratch};

fn recurring() -> String {
    corpus("billpay/replay/01-recurring.ofx")
}

fn replay() -> String {
    corpus("billpay/replay/01-payments.ofx")
}

/// A command's arguments, and a check of what it wrote.
type Case = (Vec<String>, fn(&str) -> bool);

/// Every command that writes output, its arguments (with the format given), and a check of
/// what it wrote in that format.
fn commands() -> Vec<Case> {
    let statement = corpus("model/ofx1-bank-and-card.ofx");
    let failing = corpus("validate/OFC-AMT-002.fail.ofc");
    let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let json = |s: &str| serde_json::from_str::<serde_json::Value>(s).is_ok();
    let csv = |s: &str| s.lines().next().is_some_and(|h| h.contains(','));
    vec![
        (args(&["dump", "--format", "JSON", &statement]), json),
        (args(&["convert", "--format", "Csv", &statement]), csv),
        (args(&["validate", "--format", "Json", &failing]), json),
        (args(&["schedule", "--format", "CSV", "--from", "2024-01-01", &recurring()]), csv),
        (args(&["sync", "replay", "--format", "JSON", &replay()]), json),
        (args(&["rules", "--format", "jSoN"]), json),
    ]
}

#[test]
fn dash_is_standard_output_in_every_command_and_values_take_any_case() {
    for (args, looks_right) in commands() {
        let mut with_dash: Vec<&str> = args.iter().map(String::as_str).collect();
        with_dash.extend(["-o", "-"]);
        let out = run(&with_dash, b"");
        assert!(out.status == 0 || out.status == 1, "{with_dash:?}: {}", out.stderr);
        assert!(looks_right(&out.stdout), "{with_dash:?}: {}", out.stdout);
        let plain: Vec<&str> = args.iter().map(String::as_str).collect();
        assert_eq!(run(&plain, b"").stdout, out.stdout, "{with_dash:?}");
    }
}

#[test]
fn an_output_file_gets_the_format_its_extension_names() {
    let dir = scratch("grammar-extension");
    for (args, looks_right) in commands() {
        // The same command without --format, writing to a file named for the format.
        let at = args.iter().position(|a| a == "--format").expect("--format");
        let format = args[at + 1].to_ascii_lowercase();
        let target = dir.join(format!("out-{}.{format}", args[0]));
        let mut without: Vec<&str> = args.iter().map(String::as_str).collect();
        without.drain(at..at + 2);
        let target_arg = target.display().to_string();
        without.extend(["-o", &target_arg]);
        let out = run(&without, b"");
        assert!(out.status == 0 || out.status == 1, "{without:?}: {}", out.stderr);
        assert_eq!(out.stdout, "", "{without:?}");
        let written = std::fs::read_to_string(&target).expect("written");
        assert!(looks_right(&written), "{without:?}: {written}");
    }
}

#[test]
fn an_extension_that_names_no_format_is_refused_and_nothing_is_written() {
    let dir = scratch("grammar-refused");
    let target = dir.join("out.xlsx");
    let t = target.display().to_string();
    let statement = corpus("model/ofx1-bank-and-card.ofx");
    let cases: Vec<Vec<&str>> = vec![
        vec!["convert", &statement, "-o", &t],
        vec!["dump", &statement, "-o", &t],
        vec!["validate", &statement, "-o", &t],
    ];
    for args in cases {
        let out = run(&args, b"");
        assert_eq!(out.status, 2, "{args:?}");
        assert!(
            out.stderr.contains("the extension \".xlsx\" names no format this command writes"),
            "{args:?}: {}",
            out.stderr
        );
        assert!(!target.exists(), "{args:?}");
    }
    // A format that exists, but not for this command.
    let sarif = dir.join("rows.sarif").display().to_string();
    let out = run(&["convert", &statement, "-o", &sarif], b"");
    assert_eq!(out.status, 2);
    assert!(
        out.stderr.contains(
            "give --format (json, ndjson, csv, ofx1, ofx2, beancount, ledger, qif, parquet)"
        ),
        "{}",
        out.stderr
    );
    // Given explicitly, the format wins over the extension.
    let out = run(&["convert", "--to", "csv", &statement, "-o", &t], b"");
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(std::fs::read_to_string(&target).expect("written").starts_with("source,"));
}

#[test]
fn convert_keeps_to_as_an_alias_and_other_values_take_any_case() {
    let statement = corpus("model/ofx1-bank-and-card.ofx");
    let to = run(&["convert", "--to", "NDJSON", "--what", "Accounts", &statement], b"");
    let format = run(&["convert", "--format", "ndjson", "--what", "accounts", &statement], b"");
    assert_eq!(to.status, 0, "{}", to.stderr);
    assert_eq!(to.stdout, format.stdout);
    assert_eq!(to.stdout.lines().count(), 2, "{}", to.stdout);
    let file = corpus("validate/OFX-STR-009.fail.ofx");
    let out = run(&["validate", "--profile", "OFX220", "--color", "NEVER", &file], b"");
    assert_ne!(out.status, 2, "{}", out.stderr);
    let bad = run(&["convert", "--to", "xml", &statement], b"");
    assert_eq!(bad.status, 2);
    assert!(
        bad.stderr.contains(
            "[possible values: json, ndjson, csv, ofx1, ofx2, beancount, ledger, qif, parquet]"
        ),
        "{}",
        bad.stderr
    );
}

#[test]
fn validate_json_is_one_array_and_ndjson_one_object_a_line() {
    let file = corpus("validate/OFX-SEM-001.fail.ofx");
    let array = run(&["validate", "--format", "json", &file], b"");
    let lines = run(&["validate", "--format", "ndjson", &file], b"");
    assert_eq!((array.status, lines.status), (1, 1));
    let v: serde_json::Value = serde_json::from_str(&array.stdout).expect("one JSON document");
    let from_lines: Vec<serde_json::Value> =
        lines.stdout.lines().map(|l| serde_json::from_str(l).expect("a line")).collect();
    assert_eq!(v.as_array(), Some(&from_lines));
    assert!(!from_lines.is_empty());
    let clean = corpus("validate/OFX-SEM-001.pass.ofx");
    let empty = run(&["validate", "--format", "json", &clean], b"");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&empty.stdout).ok(),
        Some(serde_json::json!([]))
    );
}
