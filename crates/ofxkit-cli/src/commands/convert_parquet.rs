//! `ofxkit convert FILE... --to parquet -o DIR [--partition account|month]`: transaction
//! rows as Parquet files: one per input (`DIR/<name>.parquet`), or a dataset partitioned
//! into `DIR/account=…/` or `DIR/month=YYYY-MM/` directories.
//!
//! Each input is read as a stream, as `--to csv` reads it (a part at a time), and its rows
//! are written a row group at a time ([`StreamedWriter`]): memory does not grow with the
//! number of transactions.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use ofxkit::convert::{AddError, ReadFailure};
use ofxkit::export::parquet::{Files, Partition, StreamedWriter};
use ofxkit::syntax::{Options, Severity};

use crate::cli::{ConvertArgs, PartitionArg};
use crate::input;
use crate::output::{Failure, Status};
use crate::report;

pub fn run(
    args: &ConvertArgs,
    files: &[PathBuf],
    unlisted: Vec<(PathBuf, std::io::Error)>,
) -> Result<Status, Failure> {
    let Some(dir) = args.output.as_deref().filter(|p| p.as_os_str() != "-") else {
        return Err(Failure::Usage("--to parquet writes files: give -o DIR".to_owned()));
    };
    if dir.exists() && !dir.is_dir() {
        return Err(Failure::Usage(format!(
            "-o {}: not a directory (--to parquet writes a directory of files)",
            input::shown_path(dir)
        )));
    }
    let failed = unlisted.len();
    for (path, error) in unlisted {
        input::ReadError { path, error }.report();
    }
    input::preflight(files.iter().map(|p| p.as_path()), failed)?;
    std::fs::create_dir_all(dir)
        .map_err(|e| crate::destination::named(&dir.display().to_string(), e))?;
    let partition = args.export.partition.map(|p| match p {
        PartitionArg::Account => Partition::Account,
        PartitionArg::Month => Partition::Month,
    });
    let names: Vec<String> = files
        .iter()
        .map(|p| if p.as_os_str() == "-" { "<stdin>".to_owned() } else { p.display().to_string() })
        .collect();
    // A name of its own for each call (a hash of the inputs' names), so that calls run in
    // parallel over other inputs add files beside each other.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for name in &names {
        for b in name.bytes().chain([0]) {
            hash = (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    let mut out = Dir {
        dir: dir.to_path_buf(),
        part: format!("part-{hash:016x}"),
        stem: String::new(),
        used: BTreeMap::new(),
    };
    let parse_options = Options::default();
    let mut status = Status::Ok;
    match partition {
        // One file per input, named after it (a number added when two share a name); an
        // input without a transaction makes none.
        None => {
            for (path, name) in files.iter().zip(&names) {
                out.stem = Path::new(name)
                    .file_stem()
                    .map_or("stdin".to_owned(), |s| s.to_string_lossy().into_owned());
                let mut writer = StreamedWriter::new(&mut out, None);
                if read_one(args, &mut writer, path, &parse_options, &mut status)? {
                    writer.finish()?;
                }
            }
        }
        Some(by) => {
            let mut writer = StreamedWriter::new(&mut out, Some(by));
            for path in files {
                read_one(args, &mut writer, path, &parse_options, &mut status)?;
            }
            writer.finish()?;
        }
    }
    Ok(status)
}

/// Reads one input into `writer`, reporting its errors; `false` when it is not OFX (its
/// file, without partitions, is then not written).
fn read_one<F: Files + Send>(
    args: &ConvertArgs,
    writer: &mut StreamedWriter<F>,
    path: &Path,
    options: &Options,
    status: &mut Status,
) -> Result<bool, Failure> {
    let input = input::open(path)?;
    let name = input.name;
    let findings = match writer.add_reader(&name, input.reader, options) {
        Ok(findings) => findings,
        Err(ReadFailure { error: AddError::Parse(e), line_col }) => {
            if !args.quiet {
                report::fatal_at(&name, line_col, &e);
            }
            *status = Status::FileErrors;
            return Ok(false);
        }
        Err(ReadFailure { error, .. }) => return Err(Failure::Io(io::Error::from(error))),
    };
    let errors = || findings.iter().filter(|l| l.diagnostic.severity == Severity::Error);
    if errors().next().is_some() {
        *status = Status::FileErrors;
    }
    if !args.quiet {
        let mut err = io::stderr().lock();
        for l in errors() {
            let _ = writeln!(err, "{}", report::line_at(&name, l.line_col, &l.diagnostic));
        }
    }
    Ok(true)
}

/// The files of one call: `DIR/<stem>.parquet` for each input, or `DIR/<key>/part-<hash>.parquet`
/// for each partition; each written through a temporary file beside it, renamed once complete.
struct Dir {
    dir: PathBuf,
    /// `part-<hash>`.
    part: String,
    /// The name of the input being read, without its extension.
    stem: String,
    /// The files named after each stem so far.
    used: BTreeMap<String, usize>,
}

/// A file being written, and where it goes once complete.
struct Temp {
    file: io::BufWriter<tempfile::NamedTempFile>,
    path: PathBuf,
}

impl Write for Temp {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

impl Files for Dir {
    type File = Temp;

    fn create(&mut self, key: &str, number: u32) -> io::Result<Temp> {
        let path = if key.is_empty() {
            let n = self.used.entry(self.stem.clone()).or_insert(0);
            *n += 1;
            let stem = &self.stem;
            self.dir.join(if *n == 1 {
                format!("{stem}.parquet")
            } else {
                format!("{stem}-{n}.parquet")
            })
        } else {
            let part = &self.part;
            self.dir.join(key).join(if number == 1 {
                format!("{part}.parquet")
            } else {
                format!("{part}-{number}.parquet")
            })
        };
        let parent = path.parent().unwrap_or(Path::new(".")).to_path_buf();
        let named = |e| crate::destination::named(&parent.display().to_string(), e);
        std::fs::create_dir_all(&parent).map_err(named)?;
        let temp = tempfile::NamedTempFile::new_in(&parent).map_err(named)?;
        Ok(Temp { file: io::BufWriter::with_capacity(1 << 16, temp), path })
    }

    fn finish(&mut self, _key: &str, file: Temp) -> io::Result<()> {
        let name = file.path.display().to_string();
        let named = |e| crate::destination::named(&name, e);
        let temp = file.file.into_inner().map_err(|e| named(e.into_error()))?;
        temp.persist(&file.path).map_err(|e| named(e.error))?;
        Ok(())
    }
}
