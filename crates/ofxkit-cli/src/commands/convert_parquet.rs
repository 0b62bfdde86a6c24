//! `ofxkit convert FILE... --to parquet -o DIR [--partition account|month]`: transaction
//! rows as Parquet files: one per input (`DIR/<name>.parquet`), or a dataset partitioned
//! into `DIR/account=…/` or `DIR/month=YYYY-MM/` directories.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use ofxkit::export::parquet::{Partition, TransactionTable};
use ofxkit::syntax::{Options, Severity};

use crate::cli::{ConvertArgs, PartitionArg};
use crate::input::{self, Input};
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
    let parse_options = Options::default();
    let mut inputs: Vec<Input> = Vec::with_capacity(files.len());
    for path in files {
        inputs.push(input::read(path, parse_options.limits.max_input_size)?);
    }
    let mut status = Status::Ok;
    let mut docs = Vec::with_capacity(inputs.len());
    for input in &inputs {
        match ofxkit::parse_with(input.bytes(), &parse_options) {
            Ok(doc) => {
                let diagnostics = doc.diagnostics();
                let errors = diagnostics.iter().filter(|d| d.severity == Severity::Error);
                let shown: Vec<_> = if args.quiet { Vec::new() } else { errors.collect() };
                if !shown.is_empty() {
                    let index = doc.syntax().line_index();
                    let mut err = std::io::stderr().lock();
                    for d in shown {
                        let _ = writeln!(err, "{}", report::line_of(&input.name, &index, d));
                    }
                }
                if diagnostics.iter().any(|d| d.severity == Severity::Error) {
                    status = Status::FileErrors;
                }
                docs.push((input, doc));
            }
            Err(e) => {
                if !args.quiet {
                    report::fatal(&input.name, input.bytes(), &e);
                }
                status = Status::FileErrors;
            }
        }
    }
    std::fs::create_dir_all(dir)
        .map_err(|e| crate::destination::named(&dir.display().to_string(), e))?;
    let partition = args.export.partition.map(|p| match p {
        PartitionArg::Account => Partition::Account,
        PartitionArg::Month => Partition::Month,
    });
    match partition {
        None => {
            // One file per input, named after it (a number added when two share a name).
            let mut used: BTreeMap<String, usize> = BTreeMap::new();
            for (input, doc) in &docs {
                let mut table = TransactionTable::new();
                table.add_model(&input.name, doc.model());
                if table.is_empty() {
                    continue;
                }
                let stem = Path::new(&input.name)
                    .file_stem()
                    .map_or("stdin".to_owned(), |s| s.to_string_lossy().into_owned());
                let n = used.entry(stem.clone()).or_insert(0);
                *n += 1;
                let name =
                    if *n == 1 { format!("{stem}.parquet") } else { format!("{stem}-{n}.parquet") };
                let all: Vec<usize> = (0..table.len()).collect();
                write_file(&dir.join(name), &table, &all)?;
            }
        }
        Some(by) => {
            let mut table = TransactionTable::new();
            for (input, doc) in &docs {
                table.add_model(&input.name, doc.model());
            }
            let mut parts: BTreeMap<String, Vec<usize>> = BTreeMap::new();
            for i in 0..table.len() {
                parts.entry(table.partition_key(i, by)).or_default().push(i);
            }
            // A name of its own for each call (a hash of the inputs' names), so that calls
            // run in parallel over other inputs add files beside each other.
            let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
            for (input, _) in &docs {
                for b in input.name.bytes().chain([0]) {
                    hash = (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
                }
            }
            for (key, rows) in &parts {
                let sub = dir.join(key);
                std::fs::create_dir_all(&sub)
                    .map_err(|e| crate::destination::named(&sub.display().to_string(), e))?;
                write_file(&sub.join(format!("part-{hash:016x}.parquet")), &table, rows)?;
            }
        }
    }
    Ok(status)
}

/// Writes one file through a temporary file beside it, renamed once complete.
fn write_file(path: &Path, table: &TransactionTable<'_>, rows: &[usize]) -> Result<(), Failure> {
    let name = path.display().to_string();
    let wrap = |e: std::io::Error| Failure::from(crate::destination::named(&name, e));
    let parent = path.parent().unwrap_or(Path::new("."));
    let mut temp = tempfile::NamedTempFile::new_in(parent).map_err(wrap)?;
    table.write(rows, std::io::BufWriter::new(temp.as_file_mut())).map_err(|e| {
        Failure::Io(std::io::Error::other(format!(
            "{}: {e}",
            ofxkit::syntax::escape_controls(&name)
        )))
    })?;
    temp.persist(path).map_err(|e| wrap(e.error))?;
    Ok(())
}
