//! `-o FILE`: the file is replaced whole or not at all, never cut off; an input is never
//! the output.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::util::{bin, corpus, root, run, run_with_timeout, scratch};

/// An OFX 1.x bank statement with `n` transactions.
pub fn statement(n: usize) -> Vec<u8> {
    let mut s = String::from(
        "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\n\
         CHARSET:1252\nCOMPRESSION:NONE\nOLDFILEUID:NONE\nNEWFILEUID:NONE\n\n<OFX>\
         <SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS><DTSERVER>20240301\
         <LANGUAGE>ENG</SONRS></SIGNONMSGSRSV1><BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS>\
         <CODE>0<SEVERITY>INFO</STATUS><STMTRS><CURDEF>USD<BANKACCTFROM><BANKID>1<ACCTID>2\
         <ACCTTYPE>CHECKING</BANKACCTFROM><BANKTRANLIST><DTSTART>20240101<DTEND>20240301\n",
    );
    for i in 0..n {
        s.push_str(&format!(
            "<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20240105<TRNAMT>-{}.{:02}<FITID>F{i}\
             <NAME>SHOP {i}<MEMO>memo {i}</STMTTRN>\n",
            i % 1000,
            i % 100
        ));
    }
    s.push_str(
        "</BANKTRANLIST><LEDGERBAL><BALAMT>1<DTASOF>20240301</LEDGERBAL></STMTRS></STMTTRNRS>\
         </BANKMSGSRSV1></OFX>\n",
    );
    s.into_bytes()
}

/// The temporary files `ofxkit` left in `dir`.
fn temporaries(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .expect("list dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with(".ofxkit-")))
        .collect()
}

/// A small pseudo-random sequence (no crate for it): the seed is printed with any failure.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 =
            self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n.max(1)
    }
}

/// Runs `args` (which write `target`) once to completion, then `rounds` times killed with
/// SIGKILL at a random moment: `target` must hold exactly its old bytes or the complete new
/// output each time.
fn kill_at_random_moments(dir: &Path, args: &[String], target: &Path, rounds: usize) {
    let old = b"the old content of the target\n".to_vec();
    std::fs::write(target, &old).expect("old target");
    // The complete output, and how long it takes to make.
    let started = std::time::Instant::now();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let full = run(&args, b"");
    let took = started.elapsed();
    assert_eq!(full.status, 0, "{}", full.stderr);
    let new = std::fs::read(target).expect("written");
    assert!(new.len() > 1 << 20, "a large output: {} bytes", new.len());
    assert!(temporaries(dir).is_empty(), "a normal end leaves no temporary file");

    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(7, |d| d.as_nanos() as u64);
    let mut random = Lcg(seed);
    // From 40 % of a full run to 140 %: most kills land while the output is made or
    // written, some after the end.
    let took = took.as_millis() as u64;
    let (start, span) = (took * 4 / 10, took.max(20));
    let mut outcomes = (0, 0);
    for round in 0..rounds {
        std::fs::write(target, &old).expect("reset target");
        let mut child = Command::new(bin())
            .args(&args)
            .current_dir(root())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        let wait = start + random.below(span);
        std::thread::sleep(std::time::Duration::from_millis(wait));
        let _ = child.kill();
        let _ = child.wait();
        let now = std::fs::read(target).expect("target still there");
        if now == old {
            outcomes.0 += 1;
        } else if now == new {
            outcomes.1 += 1;
        } else {
            panic!(
                "{args:?}: seed {seed}, round {round}, killed after {wait} ms: the target holds \
                 {} bytes, neither the old {} nor the new {}",
                now.len(),
                old.len(),
                new.len()
            );
        }
        // A killed process may leave its temporary file: never the target.
        for t in temporaries(dir) {
            std::fs::remove_file(t).expect("remove leftover");
        }
    }
    eprintln!(
        "{}: seed {seed}: {} kills left the old file, {} the new one",
        args[0], outcomes.0, outcomes.1
    );
}

/// SIGKILL at random moments while `convert -o` writes over an existing file.
#[test]
fn a_kill_during_convert_leaves_the_old_file_or_the_new_one() {
    let dir = scratch("kill-during-convert");
    let input = dir.join("big.ofx");
    std::fs::write(&input, statement(20_000)).expect("write input");
    let target = dir.join("out.json");
    let args = ["convert", "-o"].map(String::from);
    let args = [&args[..], &[target.display().to_string(), input.display().to_string()]].concat();
    kill_at_random_moments(&dir, &args, &target, 12);
}

/// SIGKILL at random moments while `sync replay` writes its state over the old one.
#[test]
fn a_kill_during_sync_replay_leaves_the_old_state_or_the_new_one() {
    let dir = scratch("kill-during-sync");
    let input = dir.join("sync.ofx");
    std::fs::write(&input, crate::sync::payments_response(301, 3_000)).expect("write input");
    let target = dir.join("S.json");
    let args = ["sync", "replay", "-o"].map(String::from);
    let args = [&args[..], &[target.display().to_string(), input.display().to_string()]].concat();
    kill_at_random_moments(&dir, &args, &target, 10);
}

/// A write limit (`ulimit -f`) stops the write: killed by SIGXFSZ, or, with the signal
/// ignored, an I/O error naming the file and exit status 2; the old file is intact either
/// way, and in the second case no temporary file is left.
#[test]
fn a_write_limit_leaves_the_old_file() {
    let dir = scratch("write-limit");
    let input = dir.join("big.ofx");
    std::fs::write(&input, statement(5_000)).expect("write input");
    let target = dir.join("out.csv");
    let old = b"old,csv\n1,2\n".to_vec();
    for script in
        ["ulimit -f 64; exec \"$0\" \"$@\"", "trap '' XFSZ; ulimit -f 64; exec \"$0\" \"$@\""]
    {
        std::fs::write(&target, &old).expect("reset");
        let out = run_with_timeout(
            Command::new("sh")
                .arg("-c")
                .arg(script)
                .arg(bin())
                .args(["convert", "--to", "csv", &input.display().to_string()])
                .args(["-o", &target.display().to_string()])
                .stdin(Stdio::null()),
            60,
        );
        assert_ne!(out.status, 0, "{script}: {}", out.stderr);
        assert_eq!(std::fs::read(&target).expect("target"), old, "{script}");
        if script.starts_with("trap") {
            assert_eq!(out.status, 2, "{}", out.stderr);
            assert!(
                out.stderr.starts_with(&format!("ofxkit: error: {}", target.display())),
                "the error names the file: {}",
                out.stderr
            );
            assert!(temporaries(&dir).is_empty(), "{:?}", temporaries(&dir));
        }
        for t in temporaries(&dir) {
            std::fs::remove_file(t).expect("remove leftover");
        }
    }
}

#[test]
fn an_input_is_never_the_output() {
    let dir = scratch("input-is-output");
    let bank = dir.join("bank.ofx");
    let original = std::fs::read(corpus("model/ofx1-bank-and-card.ofx")).expect("corpus");
    std::fs::write(&bank, &original).expect("copy");
    let link = dir.join("link.ofx");
    std::os::unix::fs::symlink(&bank, &link).expect("symlink");
    let hard = dir.join("hard.ofx");
    std::fs::hard_link(&bank, &hard).expect("hard link");
    let other = corpus("model/ofx2-creditcard.ofx");
    let b = bank.display().to_string();
    let cases: Vec<Vec<String>> = vec![
        vec!["convert".into(), "--to".into(), "csv".into(), b.clone(), "-o".into(), b.clone()],
        vec!["convert".into(), other.clone(), b.clone(), "-o".into(), link.display().to_string()],
        vec!["convert".into(), link.display().to_string(), "-o".into(), hard.display().to_string()],
        vec!["convert".into(), format!("{}/./bank.ofx", dir.display()), "-o".into(), b.clone()],
        vec!["sync".into(), "replay".into(), b.clone(), "-o".into(), b.clone()],
    ];
    for args in &cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = run(&args, b"");
        assert_eq!(out.status, 2, "{args:?}: {}", out.stderr);
        assert!(out.stderr.contains("the output file is also an input"), "{}", out.stderr);
        assert_eq!(std::fs::read(&bank).expect("bank"), original, "{args:?}");
        assert!(temporaries(&dir).is_empty());
    }
    // Standard input redirected from the output file is the output file too.
    let out = run_with_timeout(
        Command::new(bin())
            .args(["convert", "-", "-o", &b])
            .current_dir(root())
            .stdin(std::fs::File::open(&bank).expect("open")),
        30,
    );
    assert_eq!(out.status, 2, "{}", out.stderr);
    assert!(out.stderr.contains("(standard input)"), "{}", out.stderr);
    assert_eq!(std::fs::read(&bank).expect("bank"), original);
}

#[test]
fn dash_is_standard_output_and_a_new_file_is_made() {
    let file = corpus("model/ofc-payees.ofc");
    let out = run(&["convert", "--to", "ndjson", "--what", "payees", &file, "-o", "-"], b"");
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(out.stdout.lines().count() > 0 && !root().join("-").exists());
    let dir = scratch("new-file");
    let target = dir.join("new.ndjson");
    let written = run(
        &[
            "convert",
            "--to",
            "ndjson",
            "--what",
            "payees",
            &file,
            "-o",
            &target.display().to_string(),
        ],
        b"",
    );
    assert_eq!(written.status, 0, "{}", written.stderr);
    assert_eq!(std::fs::read_to_string(&target).expect("made"), out.stdout);
    // An output in a directory that does not exist: named, exit 2.
    let missing = dir.join("no/such/dir/x.json");
    let out = run(&["convert", &file, "-o", &missing.display().to_string()], b"");
    assert_eq!(out.status, 2);
    assert!(
        out.stderr.starts_with(&format!("ofxkit: error: {}", missing.display())),
        "{}",
        out.stderr
    );
}

/// `--on-error fail` stops the conversion: an `-o` file is then not replaced at all (the
/// rows before the stop are not half a file).
#[test]
fn a_conversion_stopped_by_on_error_fail_replaces_nothing() {
    let dir = scratch("on-error-fail");
    let whole = std::fs::read(corpus("model/ofx1-bank-and-card.ofx")).expect("corpus");
    let at = whole.windows(14).position(|w| w == b"<TRNAMT>-42.00").expect("the amount");
    let cut = dir.join("cut.ofx");
    std::fs::write(&cut, &whole[..at + "<TRNAMT>-4".len()]).expect("write");
    let target = dir.join("out.ndjson");
    std::fs::write(&target, "old\n").expect("old");
    let out = run(
        &["convert", "--to", "ndjson", "--on-error", "fail", &cut.display().to_string()]
            .into_iter()
            .chain(["-o", &target.display().to_string()])
            .collect::<Vec<_>>(),
        b"",
    );
    assert_eq!(out.status, 1, "{}", out.stderr);
    assert!(out.stderr.contains("stopped (--on-error fail)"), "{}", out.stderr);
    assert_eq!(std::fs::read_to_string(&target).expect("target"), "old\n");
    assert!(temporaries(&dir).is_empty(), "{:?}", temporaries(&dir));
}
