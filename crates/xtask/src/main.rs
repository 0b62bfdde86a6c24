//! Repository tasks for ofxkit.
//!
//! ```text
//! cargo run -p xtask -- gen   [--spec DIR]   write the generated element tables
//! cargo run -p xtask -- check [--spec DIR]   exit 1, naming the file, if one is stale
//! ```
//!
//! Both read the specification files in `DIR` (default `../shared/spec/dtd/`, relative to
//! the workspace root; a `DIR` holding a `dtd/` folder is accepted too): `ofc.dtd`,
//! `ofx160.dtd`, `ofx201.dtd` and the XSD set `ofx22-xsd/OFX2_Protocol.xsd`. They write (or
//! compare) these files, formatted with rustfmt and the workspace's `rustfmt.toml`:
//!
//! - `crates/ofxkit-schema/src/generated/{ofc,ofx160,ofx201,ofx220}.rs`: element tables
//!   (the reader learns which names are leaves from them: `ofxkit_schema::DTD`).
//!
//! Exit codes: 0 success (tables current), 1 stale tables (`check`), 2 error.
#![forbid(unsafe_code)]

mod dtd;
mod emit;
mod schema;
mod xsd;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

const USAGE: &str = "usage: cargo run -p xtask -- (gen | check) [--spec DIR]";

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("xtask: error: {message}");
            ExitCode::from(2)
        }
    }
}

enum Task {
    Gen,
    Check,
}

fn run(args: Vec<String>) -> Result<ExitCode, String> {
    let mut task = None;
    let mut spec = None;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "gen" => task = Some(Task::Gen),
            "check" => task = Some(Task::Check),
            "--spec" => spec = Some(PathBuf::from(args.next().ok_or(USAGE)?)),
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(ExitCode::SUCCESS);
            }
            other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
        }
    }
    let task = task.ok_or(USAGE)?;
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let spec = match spec {
        Some(dir) if dir.join("dtd").join("ofx160.dtd").is_file() => dir.join("dtd"),
        Some(dir) => dir,
        None => root.join("../shared/spec/dtd"),
    };

    // `gen` reports what it read; `check` (CI) stays quiet unless XTASK_VERBOSE is set.
    let verbose = matches!(task, Task::Gen) || std::env::var_os("XTASK_VERBOSE").is_some();
    let outputs = generate(&root, &spec, verbose)?;
    let mut stale = Vec::new();
    for (relative, text) in &outputs {
        let path = root.join(relative);
        let current = std::fs::read_to_string(&path).ok();
        if current.as_deref() == Some(text.as_str()) {
            continue;
        }
        match task {
            Task::Gen => {
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent)
                        .map_err(|e| format!("{}: {e}", parent.display()))?;
                }
                std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
                println!("wrote {relative}");
            }
            Task::Check => stale.push(relative),
        }
    }
    if stale.is_empty() {
        if let Task::Check = task {
            println!("generated tables are current ({} files)", outputs.len());
        }
        return Ok(ExitCode::SUCCESS);
    }
    for relative in stale {
        eprintln!("xtask: stale generated file: {relative} (run `cargo run -p xtask -- gen`)");
    }
    Ok(ExitCode::from(1))
}

/// Reads the specification files and renders every generated file: (path relative to the
/// workspace root, formatted text).
fn generate(root: &Path, spec: &Path, verbose: bool) -> Result<Vec<(String, String)>, String> {
    let read = |name: &str| {
        let path = spec.join(name);
        std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))
    };
    let ofc = dtd::read("ofc.dtd", &read("ofc.dtd")?, true)?;
    let ofx160 = dtd::read("ofx160.dtd", &read("ofx160.dtd")?, true)?;
    let ofx201 = dtd::read("ofx201.dtd", &read("ofx201.dtd")?, false)?;
    let ofx220 = xsd::read(&spec.join("ofx22-xsd"), "OFX2_Protocol.xsd")?;

    for (label, schema) in
        [("OFC", &ofc), ("OFX 1.6", &ofx160), ("OFX 2.0.1", &ofx201), ("OFX 2.2", &ofx220)]
    {
        let undeclared = schema.undeclared();
        if !undeclared.is_empty() {
            return Err(format!(
                "{label}: content models name undeclared elements: {undeclared:?}"
            ));
        }
        if verbose {
            eprintln!(
                "{label}: {} elements ({} leaves, {} aggregates), {} enumerations",
                schema.elements.len(),
                schema.leaves().count(),
                schema.aggregates().count(),
                schema.enums.len()
            );
            for note in &schema.notes {
                eprintln!("  note: {note}");
            }
        }
    }

    let files: Vec<(String, String)> = vec![
        (
            "crates/ofxkit-schema/src/generated/ofc.rs".into(),
            emit::profile("OFC (DTD version 2)", "ofc.dtd", &ofc)?,
        ),
        (
            "crates/ofxkit-schema/src/generated/ofx160.rs".into(),
            emit::profile("OFX 1.6 (SGML DTD)", "ofx160.dtd", &ofx160)?,
        ),
        (
            "crates/ofxkit-schema/src/generated/ofx201.rs".into(),
            emit::profile("OFX 2.0.1 (XML DTD)", "ofx201.dtd", &ofx201)?,
        ),
        (
            "crates/ofxkit-schema/src/generated/ofx220.rs".into(),
            emit::profile("OFX 2.2 (XML Schema)", "ofx22-xsd/OFX2_Protocol.xsd", &ofx220)?,
        ),
    ];
    rustfmt_all(root, files)
}

/// Formats every file with rustfmt (in parallel), using the workspace's configuration.
fn rustfmt_all(root: &Path, files: Vec<(String, String)>) -> Result<Vec<(String, String)>, String> {
    let rustfmt = std::env::var_os("RUSTFMT").unwrap_or_else(|| "rustfmt".into());
    let mut running = Vec::new();
    for (path, text) in files {
        let mut child = Command::new(&rustfmt)
            .current_dir(root)
            .args(["--edition", "2024", "--emit", "stdout", "--config-path"])
            .arg(root.join("rustfmt.toml"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| {
                format!("cannot run rustfmt ({e}); install it with `rustup component add rustfmt`")
            })?;
        let mut stdin = child.stdin.take().ok_or("rustfmt: no stdin")?;
        let writer = std::thread::spawn(move || stdin.write_all(text.as_bytes()));
        running.push((path, child, writer));
    }
    let mut out = Vec::new();
    for (path, child, writer) in running {
        let output = child.wait_with_output().map_err(|e| format!("rustfmt: {e}"))?;
        writer
            .join()
            .map_err(|_| "rustfmt: the writer thread panicked")?
            .map_err(|e| format!("rustfmt: {e}"))?;
        if !output.status.success() {
            return Err(format!(
                "rustfmt failed on {path}: {}",
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        let text = String::from_utf8(output.stdout).map_err(|e| format!("rustfmt output: {e}"))?;
        out.push((path, text));
    }
    Ok(out)
}
