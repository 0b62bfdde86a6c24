//! A tiny harness: run the binary with arguments and stdin, capture everything.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// What a run produced.
pub struct Output {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

/// The workspace root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A path under `corpus/`.
pub fn corpus(rel: &str) -> String {
    root().join("corpus").join(rel).display().to_string()
}

/// Runs `ofxkit ARGS` with `stdin`.
pub fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ofxkit"))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn ofxkit");
    if let Some(mut input) = child.stdin.take() {
        let _ = input.write_all(stdin);
    }
    let out = child.wait_with_output().expect("wait");
    Output {
        status: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}
