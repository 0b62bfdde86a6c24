//! `ofxkit validate`: formats, exit status, tuning, directories, SARIF against its schema.

use std::path::PathBuf;

use crate::util::{corpus, root, run};

#[test]
fn human_output_has_position_caret_help_and_counts() {
    let file = corpus("validate/OFC-AMT-002.fail.ofc");
    let out = run(&["validate", "--color", "never", &file], b"");
    assert_eq!(out.status, 1, "{}", out.stderr);
    let expected = format!(
        "{file}:17:9: error[OFC-AMT-002]: amount \"-12.3\" has 1 decimal; OFC requires 2\n\
         17 | <TRNAMT>-12.3\n   |         ^^^^^\n   = at OFC/ACCTSTMT/STMTRS/STMTTRN/TRNAMT\n   \
         = help: write exactly two digits after the decimal mark, e.g. 12.30\n"
    );
    assert!(out.stdout.starts_with(&expected), "{}", out.stdout);
    assert!(out.stdout.contains("\nOFC-AMT-002        1         0      1\n"), "{}", out.stdout);
    assert!(out.stdout.ends_with("1 file checked: 1 error, 0 warnings; 1 file with errors\n"));
    assert!(!out.stdout.contains('\x1b'), "no colour off a terminal");
}

#[test]
fn colour_only_when_asked() {
    let file = corpus("validate/OFC-AMT-002.fail.ofc");
    let out = run(&["validate", "--color", "always", &file], b"");
    assert!(out.stdout.contains("\x1b[1;31merror[OFC-AMT-002]\x1b[0m"), "{}", out.stdout);
    let auto = run(&["validate", &file], b"");
    assert!(!auto.stdout.contains('\x1b'));
}

#[test]
fn clean_files_exit_0_and_warnings_count_only_with_strict() {
    let clean = corpus("validate/OFX-SEM-001.pass.ofx");
    let out = run(&["validate", &clean], b"");
    assert_eq!(out.status, 0, "{}", out.stdout);
    assert!(out.stdout.ends_with("1 file checked: 0 errors, 0 warnings; 0 files with errors\n"));

    let warned = corpus("validate/OFX-DT-005.fail.ofx");
    assert_eq!(run(&["validate", &warned], b"").status, 0);
    let strict = run(&["validate", "--strict", &warned], b"");
    assert_eq!(strict.status, 1);
    assert!(strict.stdout.contains("error[OFX-DT-005]"), "{}", strict.stdout);
}

#[test]
fn deny_and_allow_tune_rules() {
    let warned = corpus("validate/OFX-DT-005.fail.ofx");
    let denied = run(&["validate", "--deny", "OFX-DT-005", &warned], b"");
    assert_eq!(denied.status, 1);
    assert!(denied.stdout.contains("error[OFX-DT-005]"));

    let failing = corpus("validate/OFC-AMT-002.fail.ofc");
    let allowed = run(&["validate", "--allow", "ofc-amt-*", &failing], b"");
    assert_eq!(allowed.status, 0, "{}", allowed.stdout);
    assert!(!allowed.stdout.contains("OFC-AMT-002"));

    let unknown = run(&["validate", "--deny", "OFX-NOPE-001", &failing], b"");
    assert_eq!(unknown.status, 2);
    assert!(unknown.stderr.contains("--deny OFX-NOPE-001: no such rule"), "{}", unknown.stderr);
}

#[test]
fn profile_is_chosen_or_read_from_the_file() {
    let file = corpus("validate/OFX-STR-009.fail.ofx");
    let auto = run(&["validate", "--format", "ndjson", &file], b"");
    assert!(auto.stdout.contains(r#""rule":"OFX-STR-009""#), "{}", auto.stdout);
    assert!(auto.stdout.contains(r#""profile":"ofx102""#));
    let v220 = run(&["validate", "--format", "ndjson", "--profile", "ofx220", &file], b"");
    assert!(!v220.stdout.contains("OFX-STR-009"), "{}", v220.stdout);
    assert!(v220.stdout.contains(r#""profile":"ofx220""#) || v220.stdout.is_empty());
    let bad = run(&["validate", "--profile", "ofx999", &file], b"");
    assert_eq!(bad.status, 2);
}

#[test]
fn json_is_one_object_per_finding_with_stable_fields() {
    let file = corpus("validate/OFX-SEM-001.fail.ofx");
    let out = run(&["validate", "--format", "ndjson", &file], b"");
    assert_eq!(out.status, 1);
    let lines: Vec<serde_json::Value> =
        out.stdout.lines().map(|l| serde_json::from_str(l).expect("json line")).collect();
    assert_eq!(lines.len(), 1, "{}", out.stdout);
    let f = &lines[0];
    let keys: Vec<&str> = f.as_object().expect("object").keys().map(String::as_str).collect();
    for key in [
        "file",
        "line",
        "column",
        "end_line",
        "end_column",
        "byte_start",
        "byte_end",
        "rule",
        "severity",
        "message",
        "path",
        "help",
        "profile",
    ] {
        assert!(keys.contains(&key), "{key} in {keys:?}");
    }
    assert_eq!(f["rule"], "OFX-SEM-001");
    assert_eq!((f["line"].as_u64(), f["column"].as_u64()), (Some(50), Some(8)));
    assert_eq!(f["severity"], "error");
}

#[test]
fn directories_are_walked_in_order_and_stdin_is_read() {
    let out = run(&["validate", "--format", "ndjson", &corpus("validate")], b"");
    assert_eq!(out.status, 1);
    let files: Vec<String> = out
        .stdout
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["file"].as_str().map(str::to_owned))
        .collect();
    assert!(files.iter().any(|f| f.ends_with("OFC-AMT-001.fail.ofc")));
    let mut sorted = files.clone();
    sorted.sort();
    assert_eq!(files, sorted, "files in name order");
    assert!(!files.iter().any(|f| f.contains(".pass.") && !f.contains("SEM-00")), "{files:?}");

    let stdin = run(&["validate", "-"], b"<OFC><DTD>2<CPAGE>1252</OFC>");
    assert_eq!(stdin.status, 1);
    // About the content of <OFC>: at its start tag.
    assert!(stdin.stdout.starts_with("<stdin>:1:1: error[OFC-STR-001]:"), "{}", stdin.stdout);
}

#[test]
fn unreadable_paths_exit_2_and_not_ofx_exits_1_with_position() {
    let missing = run(&["validate", "no/such/file.ofx"], b"");
    assert_eq!(missing.status, 2);
    assert_eq!(missing.stdout, "", "no empty report");
    assert!(missing.stderr.starts_with("no/such/file.ofx: error:"), "{}", missing.stderr);
    assert!(missing.stderr.contains("1 of 1 paths could not be read"), "{}", missing.stderr);
    // With a readable file beside it, that one is still checked, and the summary says so.
    let clean = corpus("validate/OFX-SEM-001.pass.ofx");
    let both = run(&["validate", "no/such/file.ofx", &clean], b"");
    assert_eq!(both.status, 2);
    assert!(both.stdout.ends_with("1 file unreadable\n"), "{}", both.stdout);

    let empty = std::env::temp_dir().join(format!("ofxkit-empty-{}", std::process::id()));
    std::fs::create_dir_all(&empty).expect("temp dir");
    let none = run(&["validate", &empty.to_string_lossy()], b"");
    let _ = std::fs::remove_dir(&empty);
    assert_eq!(none.status, 2);
    assert!(none.stderr.contains("no .ofx, .qfx, .qbo or .ofc file found"), "{}", none.stderr);

    let not_ofx = run(&["validate", &corpus("syntax/not-ofx.txt")], b"");
    assert_eq!(not_ofx.status, 1);
    assert!(not_ofx.stdout.contains("not-ofx.txt:1:1: error[E-NO-ROOT]:"), "{}", not_ofx.stdout);
}

#[test]
fn sarif_output_validates_against_the_sarif_2_1_0_schema() {
    let schema_path = root().join("crates/ofxkit-cli/tests/data/sarif-2.1.0.json");
    let schema: serde_json::Value =
        serde_json::from_slice(&std::fs::read(schema_path).expect("schema")).expect("schema json");
    let validator = jsonschema::validator_for(&schema).expect("a valid schema");
    let files = [
        corpus("validate/OFC-AMT-002.fail.ofc"),
        corpus("validate/OFX-SEM-003.fail.ofx"),
        corpus("validate/OFX-SEM-001.pass.ofx"),
        corpus("syntax/not-ofx.txt"),
        "no/such/file.ofx".to_owned(),
    ];
    let mut args = vec!["validate", "--format", "sarif"];
    args.extend(files.iter().map(String::as_str));
    let out = run(&args, b"");
    assert_eq!(out.status, 2, "the missing file makes it exit 2: {}", out.stderr);
    let log: serde_json::Value = serde_json::from_str(&out.stdout).expect("sarif json");
    let errors: Vec<String> = validator.iter_errors(&log).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");

    let run0 = &log["runs"][0];
    let results = run0["results"].as_array().expect("results");
    assert_eq!(results.len(), 3, "{results:#?}");
    let first = &results[0];
    assert_eq!(first["ruleId"], "OFC-AMT-002");
    assert_eq!(first["level"], "error");
    let region = &first["locations"][0]["physicalLocation"]["region"];
    assert_eq!((region["startLine"].as_u64(), region["startColumn"].as_u64()), (Some(17), Some(9)));
    let index = first["ruleIndex"].as_u64().expect("ruleIndex") as usize;
    assert_eq!(run0["tool"]["driver"]["rules"][index]["id"], "OFC-AMT-002");
    let notes = run0["invocations"][0]["toolExecutionNotifications"].as_array().expect("notes");
    assert_eq!(notes.len(), 1);
    // A file could not be read: the run says so.
    assert_eq!(run0["invocations"][0]["executionSuccessful"], false);

    // And a run that must not validate: a mangled copy is rejected, so the check is real.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&broken));
}

#[test]
fn many_files_in_parallel_give_the_same_report_as_one_job() {
    let dir = PathBuf::from(corpus("validate"));
    let dir = dir.to_string_lossy();
    let one = run(&["validate", "--format", "ndjson", "-j", "1", &dir], b"");
    let many = run(&["validate", "--format", "ndjson", "-j", "4", &dir], b"");
    assert_eq!(one.stdout, many.stdout);
    assert!(one.stdout.lines().count() > 46);
}

#[test]
fn too_many_jobs_are_clamped_and_said_so() {
    let file = corpus("validate/OFX-SEM-001.pass.ofx");
    let out = run(&["validate", "--no-summary", "-j", "100000", &file], b"");
    assert_eq!(out.status, 0, "{}", out.stderr);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let used = (cores * 4).min(256);
    assert_eq!(
        out.stderr,
        format!(
            "ofxkit: --jobs 100000 is more than this machine can use ({cores} core(s)); using \
             {used}\n"
        )
    );
    let out = run(&["validate", "--no-summary", "-j", "2", &file], b"");
    assert_eq!((out.status, out.stderr.as_str()), (0, ""));
}

#[test]
fn sarif_paths_are_relative_to_srcroot_and_rules_link_to_the_catalog() {
    let relative = "corpus/validate/OFC-AMT-002.fail.ofc";
    let absolute = corpus("validate/OFX-SEM-003.fail.ofx");
    let out = run(&["validate", "--format", "sarif", relative, &absolute], b"");
    assert_eq!(out.status, 1, "{}", out.stderr);
    let log: serde_json::Value = serde_json::from_str(&out.stdout).expect("sarif json");
    let run0 = &log["runs"][0];
    assert_eq!(run0["invocations"][0]["executionSuccessful"], true);
    let base = run0["originalUriBaseIds"]["%SRCROOT%"]["uri"].as_str().expect("SRCROOT");
    let cwd = std::fs::canonicalize(root()).expect("root");
    assert_eq!(base, format!("file://{}/", cwd.display()));
    let results = run0["results"].as_array().expect("results");
    let locations: Vec<&serde_json::Value> = results
        .iter()
        .map(|r| &r["locations"][0]["physicalLocation"]["artifactLocation"])
        .collect();
    assert_eq!(locations[0]["uri"], relative);
    assert_eq!(locations[0]["uriBaseId"], "%SRCROOT%");
    // An absolute path under the root is written relative to it too.
    let last = locations.last().expect("a result");
    assert_eq!(last["uriBaseId"], "%SRCROOT%");
    assert!(!last["uri"].as_str().unwrap_or("/").starts_with('/'), "{last}");

    let catalog = std::fs::read_to_string(root().join("crates/ofxkit/docs/rules.md")).expect("md");
    let rules = run0["tool"]["driver"]["rules"].as_array().expect("rules");
    assert!(rules.len() > 40);
    for rule in rules {
        let id = rule["id"].as_str().expect("id");
        let anchor = id.to_ascii_lowercase();
        let path = format!("crates/ofxkit/docs/rules.md#{anchor}");
        assert_eq!(rule["helpUri"], format!("{base}{path}").as_str(), "{id}");
        assert_eq!(rule["properties"]["helpPath"], path.as_str(), "{id}");
        assert!(catalog.contains(&format!("<a id=\"{anchor}\"></a>")), "{id} has its anchor");
    }
}

/// "<STMTRS> lacks <CURDEF>" is about the content of STMTRS: every renderer points at its
/// start tag, `<` to `>`.
#[test]
fn a_finding_about_content_points_at_the_start_tag_in_every_renderer() {
    let file = corpus("validate/OFX-STR-001.fail.ofx");
    let human = run(&["validate", "--color", "never", &file], b"");
    assert!(
        human.stdout.starts_with(&format!(
            "{file}:29:1: error[OFX-STR-001]: <STMTRS> lacks <CURDEF>, which is required at its \
             start\n29 | <STMTRS>\n   | ^^^^^^^^\n"
        )),
        "{}",
        human.stdout
    );
    let json = run(&["validate", "--format", "ndjson", &file], b"");
    let f: serde_json::Value =
        serde_json::from_str(json.stdout.lines().next().expect("a finding")).expect("JSON");
    let at = |k: &str| f[k].as_u64().expect(k);
    assert_eq!((at("line"), at("column"), at("end_line"), at("end_column")), (29, 1, 29, 9), "{f}");
    assert_eq!(at("byte_end") - at("byte_start"), "<STMTRS>".len() as u64);
    let sarif = run(&["validate", "--format", "sarif", &file], b"");
    let log: serde_json::Value = serde_json::from_str(&sarif.stdout).expect("SARIF");
    let region = &log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
    assert_eq!((region["startLine"].as_u64(), region["startColumn"].as_u64()), (Some(29), Some(1)));
    assert_eq!(region["snippet"]["text"], "<STMTRS>");

    // OFC makes FITID optional: a transaction without one is a warning, at its start tag.
    let ofc = corpus("validate/OFC-SEM-011.fail.ofc");
    let out = run(&["validate", "--color", "never", &ofc], b"");
    assert_eq!(out.status, 0, "a warning: {}", out.stdout);
    assert!(
        out.stdout
            .starts_with(&format!("{ofc}:21:1: warning[OFC-SEM-011]: <STMTTRN> has no <FITID>")),
        "{}",
        out.stdout
    );
    assert_eq!(run(&["validate", "--strict", &ofc], b"").status, 1);
}

/// A truncated file: `E-UNEXPECTED-EOF` first in every format, and the missing elements it
/// caused say they follow from it.
#[test]
fn the_root_cause_comes_first_in_every_format() {
    let whole = std::fs::read(corpus("validate/OFX-SEM-001.pass.ofx")).expect("corpus");
    let at = whole.windows(9).rposition(|w| w == b"<DTPOSTED").expect("a date");
    let cut = &whole[..at];
    let human = run(&["validate", "--color", "never", "--no-summary", "-"], cut);
    assert_eq!(human.status, 1);
    let heads: Vec<&str> = human.stdout.lines().filter(|l| l.starts_with("<stdin>:")).collect();
    assert!(heads[0].contains(": error[E-UNEXPECTED-EOF]: the input ends while"), "{heads:#?}");
    let eof_at = heads[0].split(':').skip(1).take(2).collect::<Vec<_>>().join(":");
    let note = format!("(follows from the end of the input at {eof_at})");
    assert!(heads.iter().any(|h| h.contains("lacks <TRNAMT>") && h.ends_with(&note)), "{heads:#?}");
    assert!(heads.iter().any(|h| h.contains("<LEDGERBAL>") && h.ends_with(&note)), "{heads:#?}");

    let json = run(&["validate", "--format", "json", "-"], cut);
    let list: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    assert_eq!(list[0]["rule"], "E-UNEXPECTED-EOF");
    let sarif = run(&["validate", "--format", "sarif", "-"], cut);
    let log: serde_json::Value = serde_json::from_str(&sarif.stdout).expect("SARIF");
    let results = log["runs"][0]["results"].as_array().expect("results");
    assert_eq!(results[0]["ruleId"], "E-UNEXPECTED-EOF");
    assert!(
        results
            .iter()
            .skip(1)
            .any(|r| r["message"]["text"].as_str().is_some_and(|m| m.ends_with(&note)))
    );
}

/// A statement after one whose transactions were checked as they were read (and the second
/// one's left in the tree by a byte above 0x7F): its transaction dated after its period is
/// reported (it was not, when the period was read only up to where the first statement's
/// transactions had been).
#[test]
fn a_date_outside_the_period_of_a_later_statement_is_reported() {
    let file = root()
        .join("fuzz/regressions/validate-period-of-a-list-after-a-streamed-statement.ofx")
        .display()
        .to_string();
    let out = run(&["validate", "--format", "ndjson", &file], b"");
    assert_eq!(out.status, 0, "warnings only: {}", out.stderr);
    let outside: Vec<serde_json::Value> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("json line"))
        .filter(|f| f["rule"] == "OFX-SEM-002")
        .collect();
    assert_eq!(outside.len(), 1, "{}", out.stdout);
    assert_eq!((outside[0]["line"].as_u64(), outside[0]["column"].as_u64()), (Some(18), Some(34)));
}
