//! Secret values (`USERPASS`, `USERKEY`, `TAN`, …) never leave the file: every command and
//! format writes `***` for them (OFX written by `convert --to ofx1|ofx2` too), messages never quote them, and only `--show-secrets` shows
//! them. The fixtures in `corpus/secrets/` hold every secret element with a value starting
//! `S3CR3T-`.

use crate::util::{Output, corpus, run};

const FIXTURES: [&str; 6] = [
    "secrets/request-with-secrets.ofx",
    "secrets/response-with-secrets.ofx",
    "secrets/request-with-secrets-v2.ofx",
    "secrets/response-with-secrets-v2.ofx",
    "secrets/ofc-request-with-secrets.ofc",
    "secrets/ofc-response-with-secrets.ofc",
];

/// The mark every secret value of the fixtures starts with.
const MARK: &str = "S3CR3T";

/// The distinct secret values of a fixture (`S3CR3T-…` up to the first character that is not
/// a letter, digit or `-`), read from the file itself.
fn values(rel: &str) -> Vec<String> {
    let text = std::fs::read_to_string(corpus(rel)).expect("fixture");
    let mut out: Vec<String> = text
        .match_indices("S3CR3T-")
        .map(|(at, _)| {
            text[at..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect::<String>()
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Every way to run every command over `file`: dump (text, JSON, spans), convert (every
/// format and kind of row, with warnings), validate (every format), sync replay, schedule.
fn command_lines(file: &str) -> Vec<Vec<String>> {
    let mut lines: Vec<Vec<&str>> = vec![
        vec!["dump"],
        vec!["dump", "--json"],
        vec!["dump", "--spans"],
        vec!["dump", "--json", "--spans", "--strict"],
        vec!["validate", "--format", "human", "--strict"],
        vec!["validate", "--format", "ndjson", "--strict"],
        vec!["validate", "--format", "sarif", "--strict"],
        vec!["sync", "replay"],
        vec!["schedule", "--from", "2024-01-01"],
        vec!["convert", "--warnings", "--to", "ofx1"],
        vec!["convert", "--warnings", "--to", "ofx1", "--close-all", "--lossy"],
        vec!["convert", "--warnings", "--to", "ofx2"],
    ];
    for to in ["json", "ndjson", "csv"] {
        lines.push(vec!["convert", "--warnings", "--to", to]);
        for what in ["transactions", "statements", "accounts", "payees", "payments", "recurring"] {
            lines.push(vec!["convert", "--warnings", "--to", to, "--what", what]);
        }
    }
    lines
        .into_iter()
        .map(|l| l.into_iter().map(str::to_owned).chain([file.to_owned()]).collect())
        .collect()
}

fn run_line(line: &[String]) -> Output {
    let args: Vec<&str> = line.iter().map(String::as_str).collect();
    run(&args, b"")
}

#[test]
fn the_fixtures_hold_every_secret_element() {
    let mut all = String::new();
    for rel in FIXTURES {
        all.push_str(&std::fs::read_to_string(corpus(rel)).expect("fixture").to_ascii_uppercase());
    }
    for s in ofxkit::syntax::SECRET_ELEMENTS {
        let plain = format!("<{}>{MARK}", s.name);
        let cdata = format!("<{}><![CDATA[{MARK}", s.name);
        assert!(all.contains(&plain) || all.contains(&cdata), "no fixture holds <{}>", s.name);
    }
    assert!(values(FIXTURES[0]).len() >= 9, "{:?}", values(FIXTURES[0]));
}

#[test]
fn no_command_or_format_shows_a_secret() {
    let mut runs = 0;
    for rel in FIXTURES {
        let file = corpus(rel);
        for line in command_lines(&file) {
            let out = run_line(&line);
            runs += 1;
            assert!(out.status != 2 || line[0] == "sync", "{line:?}: {}", out.stderr);
            for (stream, text) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
                assert!(!text.contains(MARK), "{line:?} shows a secret on {stream}:\n{text}");
            }
        }
    }
    assert_eq!(runs, FIXTURES.len() * 33);
}

#[test]
fn dump_and_convert_write_stars_and_show_values_only_when_asked() {
    for rel in FIXTURES {
        let file = corpus(rel);
        let file = file.as_str();
        let values = values(rel);
        assert!(!values.is_empty(), "{rel}");
        for (args, star) in [
            (vec!["dump"], "= \"***\"\n"),
            (vec!["dump", "--json"], "\"text\":\"***\""),
            (vec!["convert", "--to", "json"], "\"***\""),
            (vec!["convert", "--to", "ofx2"], ">***</"),
            (vec!["convert", "--to", "ofx1", "--lossy"], ">***\r\n"),
        ] {
            let hidden = run(&[args.as_slice(), &[file]].concat(), b"");
            assert!(hidden.stdout.contains(star), "{args:?} {rel}: {}", hidden.stdout);
            let shown = run(&[args.as_slice(), &["--show-secrets", file]].concat(), b"");
            assert_eq!(hidden.status, shown.status, "{args:?} {rel}");
            for v in &values {
                assert!(shown.stdout.contains(v.as_str()), "{args:?} --show-secrets {rel}: {v}");
            }
            assert!(!shown.stdout.contains("***"), "{args:?} --show-secrets {rel}");
        }
    }
}

/// A malformed sign-on: `<USERKEY>` beside `<USERID>`/`<USERPASS>` is a finding on the
/// USERKEY line, and an unknown entity inside the password one on the USERPASS line; the
/// snippets show those lines with the values masked, in the human output and in SARIF.
#[test]
fn validate_snippets_mask_the_secret_line_a_finding_points_at() {
    let file = corpus("secrets/request-with-secrets.ofx");
    let out = run(&["validate", "--color", "never", &file], b"");
    assert_eq!(out.status, 1, "{}", out.stderr);
    let userkey = format!(
        "{file}:19:2: error[OFX-STR-004]: <USERKEY> appears more often than <SONRQ> allows\n\
         19 | <USERKEY>***\n   |  ^^^^^^^\n"
    );
    assert!(out.stdout.contains(&userkey), "{}", out.stdout);
    let userpass = format!(
        "{file}:16:26: warning[W-UNKNOWN-ENTITY]: an unknown entity, kept as written, in \
         <USERPASS>, whose value is secret and not shown\n16 | <USERPASS>***\n"
    );
    assert!(out.stdout.contains(&userpass), "{}", out.stdout);
    assert!(out.stdout.contains("20 | <sesscookie>***\n"), "lower-case tags too: {}", out.stdout);
    assert!(!out.stdout.contains(MARK) && !out.stderr.contains(MARK));

    let shown = run(&["validate", "--color", "never", "--show-secrets", &file], b"");
    assert!(
        shown.stdout.contains("19 | <USERKEY>S3CR3T-USERKEY-RQ\n   |  ^^^^^^^\n"),
        "{}",
        shown.stdout
    );
    assert!(
        shown.stdout.contains(
            "16 | <USERPASS>S3CR3T-USERPASS&S3CR3T;\n   |                          ^^^^^^^^\n"
        ),
        "{}",
        shown.stdout
    );
    // Messages never quote a secret, even when asked to show them.
    for line in shown.stdout.lines().filter(|l| l.starts_with(&file)) {
        assert!(!line.contains(MARK), "{line}");
    }

    let sarif = run(&["validate", "--format", "sarif", &file], b"");
    let log: serde_json::Value = serde_json::from_str(&sarif.stdout).expect("SARIF is JSON");
    let snippets: Vec<&str> = log["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter_map(|r| r["locations"][0]["physicalLocation"]["region"]["snippet"]["text"].as_str())
        .collect();
    assert!(snippets.contains(&"<USERKEY>***"), "{snippets:?}");
    assert!(snippets.contains(&"<USERPASS>***"), "{snippets:?}");
    let sarif = run(&["validate", "--format", "sarif", "--show-secrets", &file], b"");
    assert!(sarif.stdout.contains("<USERKEY>S3CR3T-USERKEY-RQ"), "{}", sarif.stdout);
}

/// Text the reader cannot place (after a malformed secret tag, or before the root) is
/// neither quoted in a message nor shown in a snippet.
#[test]
fn text_after_a_secret_tag_outside_any_element_is_not_quoted() {
    for input in [
        &b"<OFX><SONRQ><USERID>x\n< USERPASS>S3CR3T-MALFORMED\n<LANGUAGE>ENG</SONRQ></OFX>"[..],
        b"junk <USERPASS>S3CR3T-JUNK<OFX>\n</OFX>",
        b"<USERPASS>S3CR3T-NO-ROOT<USERID>x\n",
    ] {
        for args in [&["validate", "-"][..], &["dump", "-"], &["convert", "--warnings", "-"]] {
            let out = run(args, input);
            assert!(!out.stdout.contains(MARK), "{args:?}: {}", out.stdout);
            assert!(!out.stderr.contains(MARK), "{args:?}: {}", out.stderr);
        }
    }
    let out =
        run(&["validate", "--color", "never", "-"], b"junk <USERPASS>S3CR3T-JUNK<OFX>\n</OFX>");
    assert!(out.stdout.contains("1 | junk <USERPASS>***<OFX>\n"), "{}", out.stdout);
}
