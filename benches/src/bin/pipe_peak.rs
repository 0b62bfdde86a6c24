//! Converts a generated statement of about 2 GB with the `ofxkit` binary, piped through
//! standard input and from a file, and prints the child's peak resident memory (issue 17:
//! under 64 MB for `--to csv` and `--to ndjson`). Run by hand; not a timed test.
//!
//! ```text
//! cargo build --release -p ofxkit-cli --no-default-features
//! cargo run -p ofxkit-benches --release --bin pipe_peak -- --flavor sgml --mib 2048
//! ```
#![forbid(unsafe_code)]

use std::io::{self, BufWriter, Read, Write};
use std::path::PathBuf;
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

use clap::Parser;
use ofxkit_benches::generator::{Flavor, GenOptions, generate};

/// Print the peak RSS of `ofxkit convert` on a generated statement, piped and from a file.
#[derive(Parser)]
#[command(name = "pipe_peak")]
struct Args {
    /// sgml or xml.
    #[arg(long, default_value = "sgml")]
    flavor: Flavor,
    /// About how large the statement is, in MiB.
    #[arg(long, default_value_t = 2048)]
    mib: u64,
    /// The output formats to convert to.
    #[arg(long, value_delimiter = ',', default_value = "csv,ndjson")]
    to: Vec<String>,
    /// The `ofxkit` binary.
    #[arg(long, default_value = "target/release/ofxkit")]
    bin: PathBuf,
    /// Where to write the file for the runs from a file (removed after); none: piped only.
    #[arg(long)]
    file: Option<PathBuf>,
}

/// One run: the child's peak RSS in KiB, the bytes it wrote, the seconds it took.
struct Run {
    peak_kib: u64,
    written: u64,
    seconds: f64,
}

fn options(args: &Args) -> GenOptions {
    let per = match args.flavor {
        Flavor::Xml => 250,
        _ => 193,
    };
    GenOptions { transactions: (args.mib << 20) / per, ..GenOptions::new(args.flavor) }
}

/// Runs `/usr/bin/time -f %M BIN convert -q --to TO INPUT`, feeding it the generated
/// statement when `input` is `-`.
fn run(args: &Args, to: &str, input: &str) -> io::Result<Run> {
    let start = Instant::now();
    let mut child = Command::new("/usr/bin/time")
        .args(["-f", "%M"])
        .arg(&args.bin)
        .args(["convert", "-q", "--to", to, input])
        .stdin(if input == "-" { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let feeder = child.stdin.take().map(|stdin| {
        let options = options(args);
        std::thread::spawn(move || generate(&options, BufWriter::with_capacity(1 << 20, stdin)))
    });
    let mut stdout = child.stdout.take().ok_or_else(|| io::Error::other("no stdout"))?;
    let mut written = 0u64;
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = stdout.read(&mut buf)?;
        if n == 0 {
            break;
        }
        written += n as u64;
    }
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .ok_or_else(|| io::Error::other("no stderr"))?
        .read_to_string(&mut stderr)?;
    let status = child.wait()?;
    if let Some(feeder) = feeder {
        feeder.join().map_err(|_| io::Error::other("the generator panicked"))??;
    }
    if !status.success() {
        return Err(io::Error::other(format!("ofxkit failed: {status}: {stderr}")));
    }
    let peak_kib = stderr
        .lines()
        .last()
        .and_then(|l| l.trim().parse().ok())
        .ok_or_else(|| io::Error::other(format!("no peak in {stderr:?}")))?;
    Ok(Run { peak_kib, written, seconds: start.elapsed().as_secs_f64() })
}

fn main() -> ExitCode {
    let args = Args::parse();
    let mut inputs = vec![("stdin", "-".to_owned())];
    if let Some(path) = &args.file {
        let written = std::fs::File::create(path)
            .and_then(|f| generate(&options(&args), BufWriter::with_capacity(1 << 20, f)));
        if let Err(e) = written {
            eprintln!("pipe_peak: writing {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
        inputs.push(("file", path.display().to_string()));
    }
    let size = match &args.file {
        Some(path) => std::fs::metadata(path).map(|m| m.len()).unwrap_or(0),
        None => 0,
    };
    println!("flavor {}, {} transactions", args.flavor, options(&args).transactions);
    if size > 0 {
        println!("file: {size} bytes");
    }
    let mut ok = true;
    for to in &args.to {
        for (kind, input) in &inputs {
            match run(&args, to, input) {
                Ok(r) => println!(
                    "--to {to:6} from {kind:5}: peak {:7.1} MiB, {} bytes written, {:.1} s",
                    r.peak_kib as f64 / 1024.0,
                    r.written,
                    r.seconds
                ),
                Err(e) => {
                    eprintln!("pipe_peak: --to {to} from {kind}: {e}");
                    ok = false;
                }
            }
        }
    }
    if let Some(path) = &args.file {
        let _ = std::fs::remove_file(path);
    }
    let _ = io::stdout().flush();
    if ok { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}
