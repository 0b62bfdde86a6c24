//! FIFOs and pipes: never waited on inside a directory, read once when named.
//!
//! Every run here has a timeout: a regression (a FIFO opened in a directory walk, a file
//! opened twice) fails instead of hanging.

use std::process::{Command, Stdio};

use crate::util::{bin, corpus, feed_fifo, mkfifo, root, run_with_timeout, scratch};

fn replay_file(name: &str) -> String {
    corpus(&format!("billpay/replay/{name}"))
}

#[test]
fn a_directory_walk_skips_a_fifo_and_says_so() {
    let dir = scratch("walk-fifo");
    std::fs::copy(corpus("validate/OFX-SEM-001.pass.ofx"), dir.join("a.ofx")).expect("copy");
    mkfifo(&dir.join("b.ofx"));
    mkfifo(&dir.join("evil\nname.ofx"));
    let out = run_with_timeout(
        Command::new(bin())
            .args(["validate", "--no-summary", &dir.display().to_string()])
            .current_dir(root())
            .stdin(Stdio::null()),
        20,
    );
    assert_eq!(out.status, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stderr.starts_with(
            "ofxkit: skipped 2 path(s) that are not regular files (a FIFO, a socket or a \
             device; name one on the command line to read it):\n"
        ),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains(&format!("  {}/b.ofx\n", dir.display())), "{}", out.stderr);
    assert!(out.stderr.contains("/evil\\nname.ofx\n"), "the name escaped: {}", out.stderr);
    assert_eq!(out.stderr.lines().count(), 3, "{}", out.stderr);
}

#[test]
fn a_fifo_named_on_the_command_line_is_read_once() {
    let dir = scratch("named-fifo");
    let fifo = dir.join("in.ofx");
    mkfifo(&fifo);
    let bytes = std::fs::read(corpus("validate/OFX-SEM-001.pass.ofx")).expect("corpus");
    let writer = feed_fifo(&fifo, bytes);
    let out = run_with_timeout(
        Command::new(bin())
            .args(["validate", "--no-summary", &fifo.display().to_string()])
            .current_dir(root())
            .stdin(Stdio::null()),
        20,
    );
    assert_eq!(out.status, 0, "{}{}", out.stdout, out.stderr);
    assert!(writer.read_by_child(), "the FIFO was read");
}

/// `schedule <(cat f.ofx)` and a FIFO: each file is read once (the state sniffing looks at
/// the bytes already read).
#[test]
fn schedule_reads_a_fifo_and_a_process_substitution_once() {
    let dir = scratch("schedule-fifo");
    let first = dir.join("01.ofx");
    let second = dir.join("02.ofx");
    mkfifo(&first);
    mkfifo(&second);
    let w1 = feed_fifo(&first, std::fs::read(replay_file("01-recurring.ofx")).expect("corpus"));
    let w2 = feed_fifo(&second, std::fs::read(replay_file("02-recurring.ofx")).expect("corpus"));
    let out = run_with_timeout(
        Command::new(bin())
            .args(["schedule", "--from", "2024-12-01"])
            .arg(&first)
            .arg(&second)
            .current_dir(root())
            .stdin(Stdio::null()),
        20,
    );
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(w1.read_by_child() && w2.read_by_child());
    assert_eq!(
        out.stdout,
        "RECSRVRTID  PAYMENT  DUE         AMOUNT  CURRENCY  PAYEE\n\
         R1          12/12    2024-12-31   25.00  USD       Water Co\n"
    );
    // Through bash's process substitution, as a user types it.
    let script = format!(
        "exec \"$0\" schedule --from 2024-12-01 <(cat {}) <(cat {})",
        replay_file("01-recurring.ofx"),
        replay_file("02-recurring.ofx")
    );
    let substituted = run_with_timeout(
        Command::new("bash").arg("-c").arg(script).arg(bin()).stdin(Stdio::null()),
        20,
    );
    assert_eq!(substituted.status, 0, "{}", substituted.stderr);
    assert_eq!(substituted.stdout, out.stdout);
}

/// A state given through a FIFO (positional, sniffed) and OFX files through FIFOs: all read
/// once, and the second pass of the replay uses the bytes kept.
#[test]
fn sync_replay_reads_a_state_and_responses_from_fifos() {
    let dir = scratch("sync-fifo");
    let state = dir.join("state.json");
    let made = crate::util::run(
        &["sync", "replay", &replay_file("01-payments.ofx"), "-o", &state.display().to_string()],
        b"",
    );
    assert_eq!(made.status, 0, "{}", made.stderr);
    let state_fifo = dir.join("state.fifo");
    let p2 = dir.join("02.fifo");
    let p3 = dir.join("lost.fifo");
    for f in [&state_fifo, &p2, &p3] {
        mkfifo(f);
    }
    let w = [
        feed_fifo(&state_fifo, std::fs::read(&state).expect("state")),
        feed_fifo(&p2, std::fs::read(replay_file("02-payments.ofx")).expect("corpus")),
        feed_fifo(&p3, std::fs::read(replay_file("lostsync.ofx")).expect("corpus")),
    ];
    // Given as lostsync (token 250) then 02-payments (202): applied 202 first.
    let out = run_with_timeout(
        Command::new(bin())
            .args(["sync", "replay"])
            .args([&state_fifo, &p3, &p2])
            .current_dir(root())
            .stdin(Stdio::null()),
        20,
    );
    for w in w {
        assert!(w.read_by_child());
    }
    assert_eq!(out.status, 1, "LOSTSYNC is a warning: {}", out.stderr);
    assert!(out.stderr.contains("02.fifo:"), "{}", out.stderr);
    assert!(out.stderr.contains("info[I-SYNC-TOKEN-ORDER]"), "{}", out.stderr);
    assert!(out.stdout.contains("\"token\": \"250\""), "{}", out.stdout);
    assert!(out.stdout.contains("\"202\""), "{}", out.stdout);
    assert!(
        out.stderr.ends_with(
            "2 response(s) applied, 0 skipped: 1 added, 1 changed, 1 cancelled or deleted\n"
        ),
        "{}",
        out.stderr
    );
}
