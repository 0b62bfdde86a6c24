//! Text from a file never reaches the terminal raw: control characters in values (ESC,
//! BEL, CR, an OSC 52 clipboard sequence, DEL, a C1 CSI) and in file names are escaped in
//! every message and in the human outputs, and a name with a newline cannot forge a line.

use std::path::{Path, PathBuf};

use crate::util::{Output, corpus, run, scratch};

/// An OSC 52 sequence: it asks the terminal to put "evil" on the clipboard.
const OSC52: &str = "\u{1b}]52;c;ZXZpbA==\u{7}";

/// `text` with each `(from, to)` replaced once (a missing `from` fails the test).
fn inject(text: &str, edits: &[(&str, String)]) -> String {
    let mut out = text.to_owned();
    for (from, to) in edits {
        assert!(out.contains(from), "{from} is in the file");
        out = out.replacen(from, to, 1);
    }
    out
}

/// A statement file and a bill-pay file with control characters in dates, amounts, names
/// and codes, as UTF-8 (so a C1 character is one), under `dir`.
fn poisoned_files(dir: &Path) -> (PathBuf, PathBuf) {
    let utf8 = |t: String| {
        t.replace("ENCODING:USASCII", "ENCODING:UTF-8").replace("CHARSET:1252", "CHARSET:NONE")
    };
    let bank = std::fs::read_to_string(corpus("model/ofx1-bank-and-card.ofx")).expect("corpus");
    let bank = utf8(inject(
        &bank,
        &[
            ("<DTPOSTED>20250603", "<DTPOSTED>2025\u{1b}[2J0603".to_owned()),
            ("<TRNAMT>-1250.00", "<TRNAMT>-12\u{7}50.00".to_owned()),
            ("<NAME>Landlord LLC", format!("<NAME>Land{OSC52}lord\rLLC")),
            ("<TRNTYPE>POS", "<TRNTYPE>P\u{9b}31mOS".to_owned()),
            ("<CURDEF>USD", "<CURDEF>U\u{7f}SD".to_owned()),
            ("<DTPOSTED>20250612", "<DTPOSTED>20250612\r\n9".to_owned()),
        ],
    ));
    let recurring =
        std::fs::read_to_string(corpus("billpay/replay/01-recurring.ofx")).expect("corpus");
    let billpay = utf8(inject(
        &recurring,
        &[
            ("<TOKEN>401", format!("<TOKEN>4{OSC52}01")),
            ("<FREQ>WEEKLY", "<FREQ>WEEK\u{1b}[5mLY".to_owned()),
            ("<NINSTS>12", "<NINSTS>1\u{7}2".to_owned()),
            ("<NAME>Water Co", format!("<NAME>Water{OSC52}\rCo")),
        ],
    ));
    let bank_path = dir.join("bank.ofx");
    let billpay_path = dir.join("billpay.ofx");
    std::fs::write(&bank_path, bank).expect("write");
    std::fs::write(&billpay_path, billpay).expect("write");
    (bank_path, billpay_path)
}

/// The first byte that must not reach a terminal: C0 but `\n`, DEL, or a C1 character.
fn unsafe_char(text: &str) -> Option<(usize, char)> {
    text.char_indices().find(|&(_, c)| {
        (c < ' ' && c != '\n') || c == '\u{7f}' || ('\u{80}'..='\u{9f}').contains(&c)
    })
}

/// Every line of standard error is one message: a finding `NAME:LINE:COL: level[CODE]: …`,
/// a help line, a file's own error or warning, or an `ofxkit:` line.
fn one_line_each(stderr: &str, names: &[String]) -> Result<(), String> {
    for line in stderr.lines() {
        let finding = names.iter().any(|name| {
            let Some(rest) = line.strip_prefix(name.as_str()) else { return false };
            if rest.starts_with(": warning: ") || rest.starts_with(": error: ") {
                return true;
            }
            let mut parts = rest.splitn(4, ':');
            let (Some(""), Some(l), Some(c), Some(tail)) =
                (parts.next(), parts.next(), parts.next(), parts.next())
            else {
                return false;
            };
            let number = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
            number(l)
                && number(c)
                && ["error[", "warning[", "info["]
                    .iter()
                    .any(|k| tail.starts_with(&format!(" {k}")))
        });
        if !(finding || line.starts_with("  help: ") || line.starts_with("ofxkit: ")) {
            return Err(format!("a line that is not a message of its own: {line:?}"));
        }
    }
    Ok(())
}

fn check(what: &str, out: &Output, human_stdout: bool, names: &[String]) {
    if let Some((at, c)) = unsafe_char(&out.stderr) {
        panic!("{what}: {c:?} at {at} of standard error:\n{}", out.stderr.escape_debug());
    }
    if human_stdout && let Some((at, c)) = unsafe_char(&out.stdout) {
        panic!("{what}: {c:?} at {at} of standard output:\n{}", out.stdout.escape_debug());
    }
    if let Err(e) = one_line_each(&out.stderr, names) {
        panic!("{what}: {e}\n{}", out.stderr);
    }
}

#[test]
fn control_characters_from_files_are_escaped_everywhere() {
    let dir = scratch("escapes");
    let (bank, billpay) = poisoned_files(&dir);
    // A name with a newline that would forge a finding line if printed raw.
    let evil = dir.join("evil\n.ofx:9:9: error[FORGED]: gotcha.ofx");
    std::fs::copy(&bank, &evil).expect("copy");
    let [bank, billpay, evil] = [&bank, &billpay, &evil].map(|p| p.display().to_string());
    let names: Vec<String> =
        [&bank, &billpay, &evil].iter().map(|n| n.replace('\n', "\\n")).collect();

    let mut runs: Vec<(String, Output, bool)> = Vec::new();
    for file in [&bank, &billpay, &evil] {
        runs.push((format!("dump {file:?}"), run(&["dump", file], b""), true));
        runs.push((format!("dump --json {file:?}"), run(&["dump", "--json", file], b""), false));
        for to in ["json", "ndjson", "csv"] {
            for what in [None, Some("transactions"), Some("statements"), Some("accounts")]
                .into_iter()
                .chain(["payees", "payments", "recurring"].map(Some))
            {
                let mut args = vec!["convert", "--warnings", "--to", to, file];
                if let Some(w) = what {
                    args.extend(["--what", w]);
                }
                runs.push((format!("{args:?}"), run(&args, b""), false));
            }
        }
        let args = ["validate", "--color", "never", file];
        runs.push((format!("{args:?}"), run(&args, b""), true));
        let args = ["validate", "--format", "ndjson", file];
        runs.push((format!("{args:?}"), run(&args, b""), false));
    }
    for args in [
        vec!["sync", "replay", &billpay],
        vec!["sync", "replay", &bank, &billpay],
        vec!["schedule", "--from", "2024-01-01", &billpay],
        vec!["schedule", "--from", "2024-01-01", &evil, &billpay],
    ] {
        let human = args[0] == "schedule";
        runs.push((format!("{args:?}"), run(&args, b""), human));
    }
    let args = ["schedule", "--csv", "--from", "2024-01-01", &billpay];
    runs.push((format!("{args:?}"), run(&args, b""), false));
    for (what, out, human) in &runs {
        check(what, out, *human, &names);
        // (A CSV or JSON output may hold the name as it is, quoted by its own rules.)
        let texts = if *human { vec![&out.stdout, &out.stderr] } else { vec![&out.stderr] };
        for text in texts {
            assert!(
                !text.lines().any(|l| l.starts_with(".ofx:9:9")),
                "{what}: a forged line:\n{text}"
            );
        }
    }
    // The poison was seen (and escaped), not dropped: messages quote the values.
    let all: String = runs.iter().map(|(_, o, _)| o.stderr.as_str()).collect();
    assert!(all.contains("\\u{1b}"), "ESC shown escaped:\n{all}");
    assert!(all.contains("evil\\n.ofx:9:9: error[FORGED]: gotcha.ofx:"), "{all}");
    let dump = &runs[0].1.stdout;
    assert!(dump.contains("\\u001b]52;c;ZXZpbA==\\u0007"), "dump escapes the OSC 52:\n{dump}");
}
