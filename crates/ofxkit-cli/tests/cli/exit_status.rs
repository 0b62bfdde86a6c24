//! Exit status means the same in every command: 0 fine, 1 a file had errors (with --strict,
//! warnings too), 2 usage or I/O trouble; a missing input is 2, named, nothing written.

use crate::util::{corpus, run, scratch};

const MISSING: &str = "no/such/dir/missing.ofx";

/// Every command, run on a missing file.
fn on_missing() -> Vec<Vec<&'static str>> {
    vec![
        vec!["dump", MISSING],
        vec!["convert", MISSING],
        vec!["convert", "--to", "csv", MISSING],
        vec!["validate", MISSING],
        vec!["validate", "--format", "json", MISSING],
        vec!["schedule", MISSING],
        vec!["sync", "replay", MISSING],
    ]
}

#[test]
fn a_missing_input_is_2_named_with_nothing_written_in_every_command() {
    for args in on_missing() {
        let out = run(&args, b"");
        assert_eq!(out.status, 2, "{args:?}: {}", out.stderr);
        assert!(out.stderr.contains(MISSING), "{args:?} names the path: {}", out.stderr);
        assert_eq!(out.stdout, "", "{args:?}: no empty table, state or header");
    }
}

#[test]
fn a_missing_input_beside_good_ones_writes_nothing_and_replaces_no_file() {
    let dir = scratch("missing-beside-good");
    let good = corpus("model/ofx1-bank-and-card.ofx");
    let recurring = corpus("billpay/replay/01-recurring.ofx");
    let payments = corpus("billpay/replay/01-payments.ofx");
    let target = dir.join("out.csv");
    let t = target.display().to_string();
    let cases: Vec<Vec<&str>> = vec![
        vec!["convert", &good, MISSING],
        vec!["convert", "--to", "csv", &good, MISSING, "-o", &t],
        vec!["schedule", "--from", "2024-01-01", &recurring, MISSING],
        vec!["sync", "replay", &payments, MISSING],
    ];
    for args in cases {
        std::fs::write(&target, "old\n").expect("old");
        let out = run(&args, b"");
        assert_eq!(out.status, 2, "{args:?}: {}", out.stderr);
        assert_eq!(out.stdout, "", "{args:?}");
        assert!(out.stderr.contains(MISSING), "{args:?}: {}", out.stderr);
        assert_eq!(std::fs::read_to_string(&target).expect("target"), "old\n", "{args:?}");
    }
}

#[test]
fn every_help_states_the_exit_codes() {
    let commands: Vec<Vec<&str>> = vec![
        vec![],
        vec!["dump"],
        vec!["convert"],
        vec!["validate"],
        vec!["schedule"],
        vec!["sync", "replay"],
    ];
    let cannot_fail_on_a_file: Vec<Vec<&str>> =
        vec![vec!["rules"], vec!["completions"], vec!["man"]];
    let all = commands.into_iter().map(|c| (c, true));
    for (mut args, reads_files) in all.chain(cannot_fail_on_a_file.into_iter().map(|c| (c, false)))
    {
        args.push("--help");
        let out = run(&args, b"");
        assert_eq!(out.status, 0, "{args:?}");
        let text = out.stdout.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(text.contains("Exit status"), "{args:?}: {}", out.stdout);
        assert!(text.contains(": 0 "), "{args:?}: {text}");
        assert!(text.contains("; 1 ") == reads_files, "{args:?}: {text}");
        assert!(text.contains("2 usage or I/O trouble"), "{args:?}: {text}");
    }
}

/// A statement whose sign-on has an all-zero DTSERVER (as a Brazilian bank writes it) and a
/// malformed DTEND; every transaction is right.
const ZERO_DTSERVER: &[u8] = b"OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\n\n<OFX>\
<SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS>\
<DTSERVER>00000000000000<LANGUAGE>POR</SONRS></SIGNONMSGSRSV1>\
<BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS>\
<STMTRS><CURDEF>BRL<BANKACCTFROM><BANKID>237<ACCTID>1<ACCTTYPE>CHECKING</BANKACCTFROM>\
<BANKTRANLIST><DTSTART>20240101<DTEND>2024013X\
<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20240105<TRNAMT>-12.50<FITID>A<MEMO>x</STMTTRN>\
<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20240106<TRNAMT>100.00<FITID>B<MEMO>y</STMTTRN>\
</BANKTRANLIST><LEDGERBAL><BALAMT>87.50<DTASOF>20240131</LEDGERBAL></STMTRS>\
</STMTTRNRS></BANKMSGSRSV1></OFX>\n";

#[test]
fn convert_errors_in_parts_no_row_carries_exit_0_unless_strict() {
    for to in ["csv", "ndjson"] {
        let out = run(&["convert", "--to", to, "-"], ZERO_DTSERVER);
        assert_eq!(out.status, 0, "{to}: {}", out.stderr);
        assert!(out.stderr.contains("error[E-DATE-INVALID]"), "reported: {}", out.stderr);
        assert!(out.stderr.contains("DTSERVER"), "{}", out.stderr);
        assert!(out.stderr.contains("no row written carries"), "{}", out.stderr);
        let rows = out.stdout.lines().count() - usize::from(to == "csv");
        assert_eq!(rows, 2, "{}", out.stdout);
        let strict = run(&["convert", "--to", to, "--strict", "-"], ZERO_DTSERVER);
        assert_eq!(strict.status, 1, "{to}: {}", strict.stderr);
        assert_eq!(strict.stdout, out.stdout, "the same rows either way");
    }
    // Statement rows carry DTEND: a row with problems, exit 1.
    let statements = run(&["convert", "--to", "csv", "--what", "statements", "-"], ZERO_DTSERVER);
    assert_eq!(statements.status, 1, "{}", statements.stderr);
    assert!(statements.stdout.ends_with(",E-DATE-SYNTAX\n"), "{}", statements.stdout);
    // The whole document is what JSON without --what asks for: every error counts.
    let document = run(&["convert", "-"], ZERO_DTSERVER);
    assert_eq!(document.status, 1, "{}", document.stderr);
    // --quiet: nothing on standard error, the status the same.
    let quiet = run(&["convert", "--to", "csv", "--quiet", "-"], ZERO_DTSERVER);
    assert_eq!((quiet.status, quiet.stderr.as_str()), (0, ""));
    let quiet = run(&["convert", "--quiet", "-"], ZERO_DTSERVER);
    assert_eq!((quiet.status, quiet.stderr.as_str()), (1, ""));
}

#[test]
fn convert_a_row_with_problems_exits_1_marked_or_skipped() {
    let cut = ZERO_DTSERVER
        .windows(15)
        .position(|w| w == b"<TRNAMT>100.00<")
        .map(|at| {
            let mut v = ZERO_DTSERVER.to_vec();
            v.splice(at + 8..at + 14, b"1x0".iter().copied());
            v
        })
        .expect("the amount");
    for on_error in ["mark", "skip"] {
        let out = run(&["convert", "--to", "csv", "--on-error", on_error, "-"], &cut);
        assert_eq!(out.status, 1, "{on_error}: {}", out.stderr);
    }
}

#[test]
fn strict_and_quiet_mean_the_same_in_dump_and_validate() {
    // Lower-case tags: a warning of the reader, read anyway.
    let file = b"<OFX><signonmsgsrsv1></signonmsgsrsv1></OFX>";
    let dump = run(&["dump", "-"], file);
    assert_eq!(dump.status, 0, "{}", dump.stderr);
    assert!(dump.stderr.contains("warning[W-LOWERCASE-TAG]"), "{}", dump.stderr);
    let strict = run(&["dump", "--strict", "-"], file);
    assert_eq!(strict.status, 1);
    assert!(strict.stderr.contains("error[W-LOWERCASE-TAG]"), "{}", strict.stderr);
    let quiet = run(&["dump", "--strict", "--quiet", "-"], file);
    assert_eq!((quiet.status, quiet.stderr.as_str()), (1, ""));
    assert_eq!(quiet.stdout, strict.stdout);

    let warned = corpus("validate/OFX-DT-005.fail.ofx");
    let validate = run(&["validate", &warned], b"");
    assert_eq!(validate.status, 0);
    assert!(validate.stdout.contains("warning[OFX-DT-005]"), "{}", validate.stdout);
    let strict = run(&["validate", "--strict", &warned], b"");
    assert_eq!(strict.status, 1);
    assert!(strict.stdout.contains("error[OFX-DT-005]"), "{}", strict.stdout);
    let quiet = run(&["validate", "--strict", "--quiet", &warned], b"");
    assert_eq!((quiet.status, quiet.stdout.as_str(), quiet.stderr.as_str()), (1, "", ""));
}
