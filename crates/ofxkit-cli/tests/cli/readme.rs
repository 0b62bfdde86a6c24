//! The README's samples are what the commands print: each block after a
//! `<!-- sample: ARGS -->` line must be the first lines of `ofxkit ARGS`'s standard output.

use crate::util::{root, run};

#[test]
fn the_readme_samples_are_what_the_commands_print() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let mut lines = readme.lines();
    let mut checked = 0;
    while let Some(line) = lines.next() {
        let Some(args) = line.strip_prefix("<!-- sample: ").and_then(|l| l.strip_suffix(" -->"))
        else {
            continue;
        };
        assert_eq!(lines.next(), Some("```text"), "a text block after the sample line {args}");
        let sample: Vec<&str> = lines.by_ref().take_while(|l| *l != "```").collect();
        assert!(!sample.is_empty(), "{args}: an empty sample");
        let args: Vec<&str> = args.split_whitespace().collect();
        let out = run(&args, b"");
        // The human forms write to standard output; findings go to standard error.
        let printed = if out.stdout.is_empty() { &out.stderr } else { &out.stdout };
        let printed: Vec<&str> = printed.lines().take(sample.len()).collect();
        assert_eq!(printed, sample, "ofxkit {}", args.join(" "));
        checked += 1;
    }
    assert!(checked >= 4, "samples checked: {checked}");
}
