//! The published JSON Schema of a plan-log line: the checked-in file is what the types
//! generate (regenerate with `OFXKIT_BLESS=1 cargo test -p ofxkit --test plan_log_schema`),
//! every line of the own corpus's logs that ofxkit reads validates against it, and it
//! refuses what ofxkit refuses for its form.

mod common;

use std::path::{Path, PathBuf};

use common::root;
use ofxkit::plans::{parse_event, plan_log_schema};

fn schema_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/plan-log.schema.json")
}

#[test]
fn checked_in_schema_is_current() {
    let mut generated = serde_json::to_string_pretty(&plan_log_schema()).expect("serialise");
    generated.push('\n');
    if std::env::var_os("OFXKIT_BLESS").is_some() {
        std::fs::write(schema_path(), &generated).expect("write schema");
    }
    let checked_in = std::fs::read_to_string(schema_path()).unwrap_or_default();
    assert!(
        checked_in == generated,
        "{} is stale: regenerate with OFXKIT_BLESS=1 cargo test -p ofxkit --test plan_log_schema",
        schema_path().display()
    );
}

/// Every line ofxkit reads as an event validates; the corpus has such lines in every log.
#[test]
fn every_line_read_validates_against_the_schema() {
    let validator =
        jsonschema::validator_for(&plan_log_schema()).expect("the schema is valid JSON Schema");
    let dir = root().join("corpus/recurring");
    let mut logs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("corpus/recurring")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "ndjson"))
        .collect();
    logs.sort();
    assert!(logs.len() >= 5, "logs: {}", logs.len());
    let mut validated = 0;
    let mut failures = Vec::new();
    for log in &logs {
        let text = std::fs::read_to_string(log).expect("UTF-8 log");
        for (i, line) in text.lines().enumerate() {
            if parse_event(line.trim()).is_err() {
                continue;
            }
            let value: serde_json::Value = serde_json::from_str(line).expect("JSON");
            validated += 1;
            for error in validator.iter_errors(&value) {
                failures.push(format!("{}:{}: {error}", log.display(), i + 1));
            }
        }
    }
    assert!(validated >= 30, "lines validated: {validated}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Lines ofxkit refuses for their form, the schema refuses too.
#[test]
fn the_schema_rejects_what_it_should() {
    let validator = jsonschema::validator_for(&plan_log_schema()).expect("valid schema");
    let good = r#"{"event":"payment","orderId":"A1","sacId":"S1","date":"2026-01-10 10:00:00","amount":"19.99","currency":"RON","payments_no":5,"interval_day":30}"#;
    let value: serde_json::Value = serde_json::from_str(good).expect("JSON");
    assert!(validator.is_valid(&value));
    assert!(parse_event(good).is_ok());
    let bad = [
        r#"{"event":"refund","orderId":"A1"}"#,
        r#"{"event":"cancelRecurrence"}"#,
        r#"{"event":"cancelRecurrence","orderId":""}"#,
        r#"{"event":"moveRecurrence","orderId":"A1","recurrenceDate":"2026-03-15T10:00:00"}"#,
        r#"{"event":"modifyRecurrencePrice","orderId":"A1","price":-1}"#,
        r#"{"event":"modifyRecurrencePrice","orderId":"A1","price":"1e3"}"#,
        r#"{"event":"modifyRecurrencePrice","orderId":"A1","price":"NaN"}"#,
        r#"{"event":"notification","orderId":"A1","current_payment_count":-1,"date":"2026-02-09 10:00:00"}"#,
        r#"{"event":"notification","orderId":"A1","current_payment_count":"2","date":"2026-02-09 10:00:00"}"#,
        r#"{"event":"payment","orderId":"A1","sacId":"S1","date":"2026-01-10 10:00:00","amount":"19.99","currency":"RON","payments_no":5,"interval_day":0}"#,
        r#"{"event":"payment","orderId":"A1","sacId":"S1","date":"2026-01-10 10:00:00","amount":"19.99","currency":"ron","payments_no":5,"interval_day":30}"#,
        r#"{"event":"payment","orderId":"A1","date":"2026-01-10 10:00:00","amount":"19.99","currency":"RON","payments_no":5,"interval_day":30}"#,
    ];
    for line in bad {
        let value: serde_json::Value = serde_json::from_str(line).expect("JSON");
        assert!(!validator.is_valid(&value), "the schema accepts {line}");
        assert!(parse_event(line).is_err(), "ofxkit reads {line}");
    }
}
