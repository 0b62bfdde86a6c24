//! `convert --to csv|ndjson` reads its input as a stream (issue 17): however long the
//! input, from a file or from standard input, memory stays that of a part of it, and the
//! rows are those of the whole file.

use std::path::{Path, PathBuf};

use crate::util::{long_statement, peak_memory_reading, run, scratch};

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write");
    path
}

#[test]
fn memory_stays_flat_on_an_input_twelve_times_larger_piped_or_from_a_file() {
    let dir = scratch("stream-input-peak");
    for xml in [false, true] {
        let (small_n, large_n) = (20_000, 250_000);
        let small = write(&dir, "small.ofx", &long_statement(small_n, xml));
        let large = write(&dir, "large.ofx", &long_statement(large_n, xml));
        let large_len = std::fs::metadata(&large).expect("written").len();
        // Read whole, the large input alone would add more than the margin below.
        assert!(large_len > 25 << 20, "{large_len} bytes");
        for to in ["csv", "ndjson"] {
            let mut peaks = Vec::new();
            for (path, n) in [(&small, small_n), (&large, large_n)] {
                let file = path.to_str().expect("utf-8 path");
                let piped = peak_memory_reading(&["convert", "-q", "--to", to, "-"], Some(path));
                let named = peak_memory_reading(&["convert", "-q", "--to", to, file], None);
                for p in [&piped, &named] {
                    assert_eq!(p.status, 0, "{to} xml={xml}: {}", p.stderr);
                    let header = u64::from(to == "csv");
                    assert_eq!(p.stdout_lines, n as u64 + header, "{to} xml={xml}");
                }
                // The same rows: they differ only in the source each names.
                let longer = (file.len() - "<stdin>".len()) as u64;
                assert_eq!(
                    piped.stdout_bytes + n as u64 * longer,
                    named.stdout_bytes,
                    "{to} xml={xml}: rows"
                );
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
    let path = write(&dir, "stmt.ofx", &long_statement(50, false));
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
    let mut text = String::from_utf8(long_statement(100_000, false)).expect("ascii");
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
