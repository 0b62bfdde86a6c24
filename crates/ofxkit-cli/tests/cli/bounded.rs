//! `validate` stays bounded: findings beyond `--max-findings` per rule are counted, not
//! kept (human, JSON and SARIF show the summary), and a huge one-line value costs about
//! its own size, not a multiple (the snippet decodes a window).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::util::{root, run};

/// A scratch directory for one test of this process (removed by the test).
fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ofxkit-bounded-{}-{test}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// `<OFX>` then `n` unknown elements `<A>1`: one OFX-STR-005 finding each.
fn many_findings(dir: &Path, n: usize) -> PathBuf {
    let path = dir.join(format!("many-{n}.ofx"));
    let mut bytes = b"<OFX>".to_vec();
    for _ in 0..n {
        bytes.extend_from_slice(b"<A>1");
    }
    std::fs::write(&path, bytes).expect("write");
    path
}

fn count(text: &str, needle: &str) -> usize {
    text.matches(needle).count()
}

#[test]
fn findings_past_the_cap_are_counted_and_the_output_stays_flat() {
    let dir = scratch("flat");
    let small = many_findings(&dir, 3_000);
    let large = many_findings(&dir, 30_000);
    let (small, large) = (small.display().to_string(), large.display().to_string());

    // Human: 1,000 kept, one summary at the 1,001st, the counts include the rest.
    let mut sizes = Vec::new();
    for (file, n) in [(&small, 3_000u64), (&large, 30_000)] {
        let out = run(&["validate", "--color", "never", file], b"");
        assert_eq!(out.status, 1, "{}", out.stderr);
        assert_eq!(count(&out.stdout, "error[OFX-STR-005]"), 1_001, "{file}");
        let left_out = n - 1_000;
        let summary = format!(
            "error[OFX-STR-005]: … and {} more OFX-STR-005 findings in this file were not kept",
            group(left_out)
        );
        assert!(out.stdout.contains(&summary), "{summary}");
        let row = out.stdout.lines().find(|l| l.starts_with("OFX-STR-005 ")).expect("table row");
        let cells: Vec<&str> = row.split_whitespace().collect();
        assert_eq!(cells, ["OFX-STR-005", &n.to_string(), "0", "1"], "errors, warnings, files");
        assert!(
            out.stdout
                .contains(&format!("{left_out} of these findings were counted but not shown")),
            "{}",
            tail(&out.stdout)
        );
        // The file names differ by a digit: measured without them.
        sizes.push(out.stdout.replace(file.as_str(), "").len());
    }
    // The same findings are shown for 3,000 and 30,000: only the counts' digits differ.
    assert!(sizes[1].abs_diff(sizes[0]) < 100, "{sizes:?}");

    // JSON lines: the summary carries left_out; the number of lines does not grow.
    let mut lines = Vec::new();
    for (file, n) in [(&small, 3_000u64), (&large, 30_000)] {
        let out = run(&["validate", "--format", "ndjson", file], b"");
        assert_eq!(count(&out.stdout, "\"rule\":\"OFX-STR-005\""), 1_001);
        assert_eq!(count(&out.stdout, &format!("\"left_out\":{}", n - 1_000)), 1);
        lines.push(out.stdout.lines().count());
    }
    assert_eq!(lines[0], lines[1]);

    // SARIF: the summary result and the count in the run's properties.
    let mut sizes = Vec::new();
    for (file, n) in [(&small, 3_000u64), (&large, 30_000)] {
        let out = run(&["validate", "--format", "sarif", file], b"");
        let log: serde_json::Value = serde_json::from_str(&out.stdout).expect("sarif json");
        let run0 = &log["runs"][0];
        let results = run0["results"].as_array().expect("results");
        let str005: Vec<&serde_json::Value> =
            results.iter().filter(|r| r["ruleId"] == "OFX-STR-005").collect();
        assert_eq!(str005.len(), 1_001);
        let summary = str005.iter().find(|r| r["properties"]["leftOut"].is_u64()).expect("summary");
        assert_eq!(summary["properties"]["leftOut"], n - 1_000);
        assert_eq!(run0["properties"]["leftOutFindings"], n - 1_000);
        assert_eq!(run0["properties"]["leftOut"][0]["ruleId"], "OFX-STR-005");
        let name = serde_json::to_string(file).expect("json string");
        sizes.push(out.stdout.replace(name.trim_matches('"'), "").len());
    }
    assert!(sizes[1].abs_diff(sizes[0]) < 100, "{sizes:?}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn max_findings_sets_the_cap_and_zero_keeps_all() {
    let dir = scratch("max");
    let file = many_findings(&dir, 3_000).display().to_string();
    let all = run(&["validate", "--format", "ndjson", "--max-findings", "0", &file], b"");
    assert_eq!(count(&all.stdout, "\"rule\":\"OFX-STR-005\""), 3_000);
    assert_eq!(count(&all.stdout, "left_out"), 0);
    let five = run(&["validate", "--format", "ndjson", "--max-findings", "5", &file], b"");
    assert_eq!(count(&five.stdout, "\"rule\":\"OFX-STR-005\""), 6);
    assert_eq!(count(&five.stdout, "\"left_out\":2995"), 1);
    // --allow drops the summary with its rule; --deny raises it with its rule.
    let allowed = run(&["validate", "--format", "ndjson", "--allow", "OFX-STR-005", &file], b"");
    assert_eq!(count(&allowed.stdout, "OFX-STR-005"), 0);
    let help = run(&["validate", "--help"], b"");
    assert!(help.stdout.contains("--max-findings <N>"), "{}", help.stdout);
    assert!(help.stdout.contains("[default: 1000]"), "{}", help.stdout);
    let _ = std::fs::remove_dir_all(dir);
}

/// 1234567 → "1,234,567", as the summary writes counts.
fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn tail(text: &str) -> &str {
    text.get(text.len().saturating_sub(600)..).unwrap_or(text)
}

/// A statement whose NAME is `size` bytes of `x` on the statement's one line (past the
/// reader's 1 MiB text limit: a fatal error whose span is the whole value).
fn huge_value(dir: &Path, size: usize) -> PathBuf {
    let path = dir.join(format!("huge-{size}.ofx"));
    let mut bytes = b"OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\n\n<OFX><BANKMSGSRSV1><STMTTRNRS>\
<STMTRS><BANKTRANLIST><STMTTRN><TRNTYPE>DEBIT<NAME>"
        .to_vec();
    bytes.resize(bytes.len() + size, b'x');
    bytes.extend_from_slice(b"</STMTTRN></BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>");
    std::fs::write(&path, bytes).expect("write");
    path
}

/// Peak resident memory of `ofxkit ARGS` in KiB: `/usr/bin/time -f %M` where it exists,
/// else the child's own `VmHWM`, read until it exits.
fn peak_kib(args: &[&str]) -> u64 {
    let bin = env!("CARGO_BIN_EXE_ofxkit");
    if Path::new("/usr/bin/time").exists() {
        let out = Command::new("/usr/bin/time")
            .args(["-f", "%M", bin])
            .args(args)
            .current_dir(root())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .output()
            .expect("run /usr/bin/time");
        let stderr = String::from_utf8_lossy(&out.stderr);
        return stderr.lines().last().and_then(|l| l.trim().parse().ok()).expect("a %M figure");
    }
    let mut child = Command::new(bin)
        .args(args)
        .current_dir(root())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let status = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    while child.try_wait().expect("wait").is_none() {
        if let Ok(text) = std::fs::read_to_string(&status)
            && let Some(kib) = text
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        {
            peak = peak.max(kib);
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    assert!(peak > 0, "no VmHWM read");
    peak
}

#[test]
fn a_huge_one_line_value_costs_about_its_size() {
    let dir = scratch("huge");
    let small = huge_value(&dir, 2 << 20).display().to_string();
    let large = huge_value(&dir, 20 << 20).display().to_string();
    for format in ["human", "json", "sarif"] {
        let a = peak_kib(&["validate", "--format", format, &small]);
        let b = peak_kib(&["validate", "--format", format, &large]);
        // The file is held once (18 MiB more); a decoded copy of the value as characters
        // (four bytes each) would add 72 MiB more.
        let grown = b.saturating_sub(a);
        assert!(grown < 2 * 18 * 1024, "{format}: {a} KiB → {b} KiB");
    }
    // And the finding's line is a window of the value, not the value.
    let out = run(&["validate", "--color", "never", &large], b"");
    assert_eq!(out.status, 1);
    assert!(out.stdout.contains("error[E-TEXT-LIMIT]"), "{}", tail(&out.stdout));
    assert!(out.stdout.lines().all(|l| l.chars().count() < 400), "{}", tail(&out.stdout));
    let _ = std::fs::remove_dir_all(dir);
}
