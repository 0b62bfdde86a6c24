//! `ofxkit dump`.

use crate::util::{corpus, run};

#[test]
fn dumps_a_file_as_text() {
    let out = run(&["dump", &corpus("syntax/ofc-statement.ofc")], b"");
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(out.stdout.starts_with("OFC\n  DTD = \"2\"\n  CPAGE = \"1252\"\n"), "{}", out.stdout);
    assert!(out.stdout.contains("NAME = \"PADARIA S\u{c3}O JO\u{c3}O\""));
    assert_eq!(out.stderr, "");
}

#[test]
fn dumps_json_with_spans() {
    let out = run(&["dump", "--json", "--spans", &corpus("syntax/closed-leaves.ofx")], b"");
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(out.stdout.contains(r#""format":"OFX 1.x""#), "{}", out.stdout);
    assert!(out.stdout.contains(r#"{"name":"CODE","text":"0","span":{"start":"#), "{}", out.stdout);
}

#[test]
fn reads_stdin() {
    let out = run(&["dump", "-"], b"<OFX><A>1</OFX>");
    assert_eq!(out.status, 0);
    assert_eq!(out.stdout, "OFX\n  A = \"1\"\n");
    assert!(out.stderr.starts_with("<stdin>:1:1: warning[W-NO-HEADER]:"), "{}", out.stderr);
}

#[test]
fn spans_show_positions() {
    let out = run(&["dump", "--spans", "-"], b"<OFX>\n<A>1\n</OFX>");
    assert_eq!(out.stdout, "OFX  @1:1-3:7 [0..17]\n  A = \"1\"  @2:1-2:5 [6..10]\n");
}

#[test]
fn file_errors_exit_1_with_position() {
    let out = run(&["dump", &corpus("syntax/truncated.ofx")], b"");
    assert_eq!(out.status, 1);
    assert!(out.stderr.contains("truncated.ofx:25:78: error[E-UNEXPECTED-EOF]:"), "{}", out.stderr);
    let out = run(&["dump", "-"], b"not ofx at all");
    assert_eq!(out.status, 1);
    assert_eq!(
        out.stderr,
        "<stdin>:1:1: error[E-NO-ROOT]: not an OFX, QFX or OFC file: no <OFX> or <OFC> element found\n"
    );
}

#[test]
fn strict_turns_warnings_into_errors() {
    let out = run(&["dump", "--strict", "-"], b"<ofx><A>1</ofx>");
    assert_eq!(out.status, 1);
    assert!(out.stderr.contains("error[W-LOWERCASE-TAG]"), "{}", out.stderr);
}

#[test]
fn usage_and_io_errors_exit_2() {
    assert_eq!(run(&["dump"], b"").status, 2);
    assert_eq!(run(&["frobnicate"], b"").status, 2);
    let out = run(&["dump", "/nonexistent/file.ofx"], b"");
    assert_eq!(out.status, 2);
    assert!(
        out.stderr.starts_with("ofxkit: error: /nonexistent/file.ofx: No such file"),
        "the error names the path: {}",
        out.stderr
    );
    let out = run(&["dump", "corpus"], b"");
    assert_eq!(out.status, 2);
    assert_eq!(out.stderr, "ofxkit: error: corpus: is a directory\n");
}
