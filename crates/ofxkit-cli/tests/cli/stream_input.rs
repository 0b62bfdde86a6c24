//! `convert --to csv|ndjson` reads its input as a stream (issue 17): however long the
//! input, from a file or from standard input, memory stays that of a part of it, and the
//! rows are those of the whole file.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::{bin, root, run, scratch};

/// An OFX 1.x statement of `n` transactions, SGML (leaves without end tags) or XML.
fn statement(n: usize, xml: bool) -> Vec<u8> {
    let mut s = if xml {
        "<?xml version=\"1.0\"?>\n<?OFX OFXHEADER=\"200\" VERSION=\"220\"?>\n".to_owned()
    } else {
        "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\n\n".to_owned()
    };
    let leaf = |name: &str, value: &str| {
        if xml { format!("<{name}>{value}</{name}>\n") } else { format!("<{name}>{value}\n") }
    };
    s.push_str("<OFX><BANKMSGSRSV1><STMTTRNRS>");
    s.push_str(&leaf("TRNUID", "1"));
    s.push_str("<STATUS>");
    s.push_str(&leaf("CODE", "0"));
    s.push_str(&leaf("SEVERITY", "INFO"));
    s.push_str("</STATUS><STMTRS>");
    s.push_str(&leaf("CURDEF", "USD"));
    s.push_str("<BANKACCTFROM>");
    s.push_str(&leaf("BANKID", "121000248"));
    s.push_str(&leaf("ACCTID", "000123"));
    s.push_str(&leaf("ACCTTYPE", "CHECKING"));
    s.push_str("</BANKACCTFROM><BANKTRANLIST>\n");
    s.push_str(&leaf("DTSTART", "20240101"));
    s.push_str(&leaf("DTEND", "20241231"));
    for i in 0..n {
        s.push_str("<STMTTRN>\n");
        s.push_str(&leaf("TRNTYPE", "DEBIT"));
        s.push_str(&leaf("DTPOSTED", &format!("2024{:02}{:02}", 1 + i % 12, 1 + i % 28)));
        s.push_str(&leaf("TRNAMT", &format!("-{}.{:02}", i % 1000, i % 100)));
        s.push_str(&leaf("FITID", &format!("T{i}")));
        s.push_str(&leaf("NAME", &format!("SHOP &amp; CO {}", i % 97)));
        s.push_str("</STMTTRN>\n");
    }
    s.push_str("</BANKTRANLIST><LEDGERBAL>");
    s.push_str(&leaf("BALAMT", "10.00"));
    s.push_str(&leaf("DTASOF", "20241231"));
    s.push_str("</LEDGERBAL></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\n");
    s.into_bytes()
}

/// What [`peak`] measured: the child's peak resident memory (KiB), the lines and bytes it
/// wrote, its exit status and standard error.
struct Peak {
    kib: u64,
    lines: u64,
    bytes: u64,
    status: i32,
    stderr: String,
}

/// Runs `ofxkit ARGS` with standard input read from `stdin`, counting its output without
/// keeping it, and measures its peak resident memory (`getrusage(RUSAGE_CHILDREN)` through
/// python3: the workspace forbids `unsafe`).
fn peak(args: &[&str], stdin: &Path) -> Peak {
    let script = "import resource, subprocess, sys\n\
                  p = subprocess.Popen(sys.argv[2:], stdin=open(sys.argv[1], 'rb'), \
                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)\n\
                  lines = 0\n\
                  size = 0\n\
                  for line in p.stdout:\n    lines += 1\n    size += len(line)\n\
                  err = p.stderr.read()\n\
                  code = p.wait()\n\
                  sys.stderr.buffer.write(err)\n\
                  print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, lines, size, code)\n";
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(stdin)
        .arg(bin())
        .args(args)
        .current_dir(root())
        .output()
        .expect("python3 runs");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let numbers: Vec<u64> = text.split_whitespace().filter_map(|p| p.parse().ok()).collect();
    let [kib, lines, bytes, status] = numbers[..] else { panic!("measure: {text:?}") };
    Peak {
        kib,
        lines,
        bytes,
        status: status as i32,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write");
    path
}

#[test]
fn memory_stays_flat_on_an_input_twelve_times_larger_piped_or_from_a_file() {
    let dir = scratch("stream-input-peak");
    let empty = write(&dir, "empty", b"");
    for xml in [false, true] {
        let (small_n, large_n) = (20_000, 250_000);
        let small = write(&dir, "small.ofx", &statement(small_n, xml));
        let large = write(&dir, "large.ofx", &statement(large_n, xml));
        let large_len = std::fs::metadata(&large).expect("written").len();
        // Read whole, the large input alone would add more than the margin below.
        assert!(large_len > 25 << 20, "{large_len} bytes");
        for to in ["csv", "ndjson"] {
            let mut peaks = Vec::new();
            for (path, n) in [(&small, small_n), (&large, large_n)] {
                let file = path.to_str().expect("utf-8 path");
                let piped = peak(&["convert", "-q", "--to", to, "-"], path);
                let named = peak(&["convert", "-q", "--to", to, file], &empty);
                for p in [&piped, &named] {
                    assert_eq!(p.status, 0, "{to} xml={xml}: {}", p.stderr);
                    let header = u64::from(to == "csv");
                    assert_eq!(p.lines, n as u64 + header, "{to} xml={xml}");
                }
                // The same rows: they differ only in the source each names.
                let longer = (file.len() - "<stdin>".len()) as u64;
                assert_eq!(piped.bytes + n as u64 * longer, named.bytes, "{to} xml={xml}: rows");
                peaks.push((piped.kib, named.kib));
            }
            let [(small_pipe, small_file), (large_pipe, large_file)] = peaks[..] else {
                unreachable!()
            };
            // Twelve times the input, not twelve times the memory: the large input adds
            // less than 24 MiB (its part and the part's tree) where reading it whole would
            // add the input itself (over 25 MiB) and its tree.
            for (small, large) in [(small_pipe, large_pipe), (small_file, large_file)] {
                assert!(
                    large < small + (24 << 10),
                    "{to} xml={xml}: peak {small} KiB, then {large} KiB"
                );
            }
        }
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn rows_from_standard_input_are_those_of_the_file() {
    let dir = scratch("stream-input-rows");
    let path = write(&dir, "stmt.ofx", &statement(50, false));
    let file = path.to_str().expect("utf-8 path");
    let bytes = std::fs::read(&path).expect("read");
    for to in ["csv", "ndjson"] {
        let named = run(&["convert", "--to", to, file], b"");
        let piped = run(&["convert", "--to", to, "-"], &bytes);
        assert_eq!(named.status, 0, "{}", named.stderr);
        assert_eq!(piped.status, 0, "{}", piped.stderr);
        assert_eq!(named.stdout.lines().count(), 50 + usize::from(to == "csv"));
        // The source column names the input; the rest is the same.
        let rows = |out: &str, name: &str| out.replace(name, "SOURCE");
        assert_eq!(rows(&piped.stdout, "<stdin>"), rows(&named.stdout, file));
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn findings_of_a_streamed_input_are_placed_in_the_input() {
    // A bare `&` in the 90,000th transaction, past the first part (8 MiB): its line is that
    // of the whole input, though the transactions before it were cut out of what is kept.
    let mut text = String::from_utf8(statement(100_000, false)).expect("ascii");
    assert!(text.len() > 10 << 20);
    let at = text.match_indices("<NAME>").nth(89_999).map(|(i, _)| i).expect("names");
    text.insert_str(at + 6, "A & B ");
    let line = text[..at].matches('\n').count() + 1;
    let out = run(&["convert", "--warnings", "--to", "csv", "-"], text.as_bytes());
    assert_eq!(out.status, 0, "{}", out.stderr);
    let expected = format!("<stdin>:{line}:");
    assert!(out.stderr.contains(&expected), "{expected} in {}", out.stderr);
    assert!(out.stderr.contains("W-BARE-AMPERSAND"), "{}", out.stderr);
    assert_eq!(out.stdout.lines().count(), 100_001);
}
