//! Values are exact or a finding, through the binary: amounts with two signs, zones with
//! minutes, years past 9999 (`fuzz/regressions/value-*`).

use crate::util::{root, run};

fn regression(name: &str) -> String {
    root().join("fuzz/regressions").join(name).display().to_string()
}

/// The `amount` (or another) column of `convert --to csv`.
fn column(stdout: &str, name: &str) -> Vec<String> {
    let mut lines = stdout.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split(',').collect();
    let at = header.iter().position(|h| *h == name).expect("column");
    lines.map(|l| l.split(',').nth(at).unwrap_or_default().to_owned()).collect()
}

#[test]
fn plus_minus_amount_is_an_error_not_minus_one() {
    let file = regression("value-amount-signs.ofx");
    let out = run(&["convert", "--to", "csv", &file], b"");
    assert_eq!(out.status, 1, "{}", out.stderr);
    let amounts = column(&out.stdout, "amount");
    assert_eq!(amounts.first().map(String::as_str), Some(""), "+-1 gives no amount");
    assert!(out.stderr.contains("error[E-AMOUNT-SYNTAX]: <TRNAMT>: \"+-1\" is not an amount"));
    assert!(out.stderr.contains("\"+1-\" is not an amount"), "{}", out.stderr);
    let checked = run(&["validate", "--format", "ndjson", &file], b"");
    assert_eq!(checked.status, 1);
    assert_eq!(checked.stdout.matches("\"rule\":\"OFX-AMT-001\"").count(), 7, "{}", checked.stdout);
}

#[test]
fn zone_minutes_are_read_exactly() {
    let file = regression("value-zone-minutes.ofx");
    let out = run(&["convert", "--to", "ndjson", &file], b"");
    // [+05:30:IST] [+5:30] [+0530] [+5.5:IST] [+5.30] then three unreadable zones.
    assert_eq!(
        out.stdout.matches("\"2024-01-05T12:00:00.000+05:30\"").count(),
        5,
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("+05:00"), "{}", out.stdout);
    assert_eq!(out.stderr.matches("error[E-DATE-ZONE]").count(), 3, "{}", out.stderr);
    let checked = run(&["validate", "--format", "ndjson", &file], b"");
    assert_eq!(checked.stdout.matches("\"rule\":\"OFX-DT-005\"").count(), 5, "{}", checked.stdout);
    assert_eq!(checked.stdout.matches("\"rule\":\"OFX-DT-003\"").count(), 3, "{}", checked.stdout);
}

#[test]
fn years_past_9999_are_refused_in_every_format() {
    let file = regression("value-year-past-9999.ofx");
    for to in ["csv", "json", "ndjson"] {
        let out = run(&["convert", "--to", to, &file], b"");
        assert_eq!(out.status, 1, "{to}");
        // No date written in chrono's extended form (the messages quote the text).
        for bad in ["+10000-", "-0001-", "0100-01-01"] {
            assert!(!out.stdout.contains(bad), "{to}: {bad} in {}", out.stdout);
        }
        assert!(out.stdout.contains("9999-12-31"), "{to}: {}", out.stdout);
        assert!(out.stderr.contains("\"07/01/+10000\" is not a date"), "{to}: {}", out.stderr);
    }
}

#[test]
fn schedules_end_on_9999_12_31() {
    let text = std::fs::read_to_string(root().join("corpus/billpay/responses-v2.ofx"))
        .expect("corpus file");
    let mut far = String::new();
    for (i, piece) in text.split("<DTDUE>").enumerate() {
        if i > 0 {
            far.push_str("<DTDUE>");
            // Every due date moved to 9999-12-15, keeping what follows the eight digits.
            far.push_str("99991215");
            far.push_str(piece.get(8..).unwrap_or_default());
        } else {
            far.push_str(piece);
        }
    }
    let path = std::env::temp_dir().join(format!("ofxkit-far-{}.ofx", std::process::id()));
    std::fs::write(&path, far).expect("write");
    let file = path.display().to_string();
    for format in [&[][..], &["--csv"][..], &["--json"][..]] {
        let mut args = vec!["schedule", "--from", "99991101", "--count", "4"];
        args.extend_from_slice(format);
        args.push(&file);
        let out = run(&args, b"");
        assert!(out.stdout.contains("9999-12-30"), "{format:?}: {}", out.stdout);
        assert!(!out.stdout.contains("10000-"), "{format:?}: {}", out.stdout);
    }
    let _ = std::fs::remove_file(path);
}
