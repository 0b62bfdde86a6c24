//! `ofxkit completions SHELL` and `ofxkit man`, generated from the clap definitions.

use crate::util::{run, scratch};

/// Every subcommand, as `ofxkit --help` lists them.
fn subcommands() -> Vec<String> {
    let help = run(&["--help"], b"").stdout;
    let list = help.split("Commands:").nth(1).expect("a Commands section");
    let list = list.split("\n\n").next().unwrap_or_default();
    let names: Vec<String> = list
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|n| *n != "help")
        .map(str::to_owned)
        .collect();
    assert!(names.len() >= 8, "{names:?}");
    names
}

#[test]
fn completions_mention_every_subcommand_in_every_shell() {
    let commands = subcommands();
    for shell in ["bash", "zsh", "fish", "elvish", "PowerShell"] {
        let out = run(&["completions", shell], b"");
        assert_eq!(out.status, 0, "{shell}: {}", out.stderr);
        for c in &commands {
            assert!(out.stdout.contains(c.as_str()), "{shell} completes {c}");
        }
        // Options of the commands too (the shared grammar).
        assert!(out.stdout.contains("--format"), "{shell}");
        if matches!(shell, "bash" | "zsh" | "fish") {
            assert!(out.stdout.contains("ndjson"), "{shell} completes format values");
        }
    }
    let bad = run(&["completions", "cmd.exe"], b"");
    assert_eq!(bad.status, 2);
}

#[test]
fn the_man_page_mentions_every_subcommand_and_the_exit_status() {
    let out = run(&["man"], b"");
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert!(out.stdout.contains("\n.TH ofxkit 1 "), "{}", out.stdout);
    for c in subcommands() {
        assert!(out.stdout.contains(&format!(".SH \"OFXKIT {}\"", c.to_uppercase())), "{c}");
    }
    assert!(out.stdout.contains(".SH \"OFXKIT SYNC REPLAY\""), "nested subcommands");
    assert!(out.stdout.contains("Exit status"));
    // -o writes the same to a file.
    let dir = scratch("man-page");
    let target = dir.join("ofxkit.1");
    let written = run(&["man", "-o", &target.display().to_string()], b"");
    assert_eq!((written.status, written.stdout.as_str()), (0, ""));
    assert_eq!(std::fs::read_to_string(&target).expect("written"), out.stdout);
}
