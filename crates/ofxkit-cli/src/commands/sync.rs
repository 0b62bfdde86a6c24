//! `ofxkit sync replay FILE...`: synchronization responses applied, in order, to a state.
//!
//! Memory: the responses of many files are applied in token order, which is known only once
//! every file has been read. Rather than keep every document alive (about twelve times the
//! size of each file), a first pass reads each file once, reports its findings and keeps only
//! the keys that order its messages ([`OrderKey`]); the second pass parses the files again,
//! one at a time, in the order their messages are applied (a file whose messages are
//! interleaved with another's is parsed once per run of consecutive messages). A regular file
//! is read again from the disk (and must not have changed: its bytes are compared by hash);
//! standard input, a FIFO or a device cannot be read twice, so their bytes are kept. One file
//! alone is parsed once. The peak is about one parsed file plus the state.

use std::hash::{DefaultHasher, Hasher};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use ofxkit::Document;

use ofxkit::sync::{ApplyReport, OrderKey, SyncState, replay_order_of_keys};
use ofxkit::syntax::{LineIndex, Options, Severity};

use crate::cli::{ReplayArgs, SYNC_FORMATS, SyncArgs, SyncCommand};
use crate::destination::{Output, refuse_overwriting_inputs};
use crate::input::{self, Input, ReadError};
use crate::output::{Failure, Status};
use crate::report;

pub fn run(args: &SyncArgs) -> Result<Status, Failure> {
    match &args.command {
        SyncCommand::Replay(a) => replay(a),
    }
}

/// True when `bytes` are meant as a state written by `sync replay` (JSON), not OFX: the
/// first byte that is not white space is `{` or `[` (no OFX, QFX or OFC file starts so; a
/// JSON array is then refused as a state with the reason).
pub(crate) fn is_state(bytes: &[u8]) -> bool {
    matches!(bytes.iter().find(|b| !b.is_ascii_whitespace()), Some(b'{' | b'['))
}

/// Reads a state (written by `sync replay`) from a file already read.
pub(crate) fn state_from(input: &Input) -> Result<SyncState, Failure> {
    let invalid = |why: String| {
        Failure::from(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{}: {why}", input.shown_name()),
        ))
    };
    let text = std::str::from_utf8(input.bytes())
        .map_err(|_| invalid("not a sync state: not UTF-8 JSON".to_owned()))?;
    SyncState::from_json(text).map_err(|e| {
        let why = e.to_string();
        invalid(format!("not a sync state: {}", ofxkit::syntax::escape_controls(&why)))
    })
}

/// A file of the first pass: what the second needs to find it again.
struct Surveyed {
    path: PathBuf,
    /// The bytes, for a file that cannot be read twice.
    kept: Option<Input>,
    /// The hash of the bytes, to tell that a regular file read again has not changed.
    hash: u64,
}

/// The running totals of a replay.
#[derive(Default)]
struct Totals {
    report: ApplyReport,
    warned: bool,
}

fn hash(bytes: &[u8]) -> u64 {
    let mut h = DefaultHasher::new();
    h.write(bytes);
    h.finish()
}

fn replay(args: &ReplayArgs) -> Result<Status, Failure> {
    input::stdin_once(&args.files)?;
    let options = Options::default();
    let limit = options.limits.max_input_size;
    let mut state = match &args.state {
        Some(path) => Some(state_from(&input::read(path, limit)?)?),
        None => None,
    };
    // A state may come first among the files, as `schedule` takes it (sniffed from its bytes,
    // which are read once).
    let mut first: Option<Result<Input, ReadError>> = None;
    let mut ofx_paths: Vec<&Path> = args.files.iter().map(PathBuf::as_path).collect();
    if let Some(path) = args.files.first() {
        match input::read(path, limit) {
            Ok(i) if is_state(i.bytes()) => {
                if args.state.is_some() {
                    return Err(Failure::Usage(format!(
                        "{}: a state file, and --state gives one too: give one state",
                        i.shown_name()
                    )));
                }
                state = Some(state_from(&i)?);
                ofx_paths.remove(0);
            }
            read => first = Some(read),
        }
    }
    if ofx_paths.is_empty() {
        return Err(Failure::Usage("no OFX file to replay (only a state)".to_owned()));
    }
    // The state may be the output (the usual way to keep it up to date); an OFX input not.
    refuse_overwriting_inputs(args.output.as_deref(), ofx_paths.iter().copied())?;
    // The state is JSON: an -o whose extension names another format is refused.
    let json = crate::format::Format::Json;
    crate::format::choose(args.format, args.output.as_deref(), SYNC_FORMATS, json)?;
    let mut out = Output::open(args.output.as_deref())?;
    let mut state = state.unwrap_or_default();

    let mut status = Status::Ok;
    let mut read_failures = 0;
    let mut parse_failures = 0;
    let mut surveyed: Vec<Surveyed> = Vec::new();
    // (file, message index in its model) and the message's order key, in file order.
    let mut messages: Vec<(usize, usize)> = Vec::new();
    let mut keys: Vec<OrderKey> = Vec::new();
    let mut totals = Totals::default();
    let single = ofx_paths.len() == 1;
    for path in &ofx_paths {
        let read = match first.take() {
            Some(r) => r,
            None => input::read(path, limit),
        };
        let input = match read {
            Ok(i) => i,
            Err(e) => {
                e.report();
                read_failures += 1;
                continue;
            }
        };
        if is_state(input.bytes()) {
            return Err(Failure::Usage(format!(
                "{}: a state file must come first",
                input.shown_name()
            )));
        }
        let hash = if input.regular { hash(input.bytes()) } else { 0 };
        {
            let doc = match ofxkit::parse_with(input.bytes(), &options) {
                Ok(d) => d,
                Err(e) => {
                    report::fatal(&input.name, input.bytes(), &e);
                    parse_failures += 1;
                    continue;
                }
            };
            let model = doc.model();
            let index = doc.syntax().line_index();
            let mut err = io::stderr().lock();
            for d in model.diagnostics.iter().filter(|d| d.severity == Severity::Error) {
                status = Status::FileErrors;
                let _ = writeln!(err, "{}", report::line_of(&input.name, &index, d));
            }
            drop(err);
            if model.sync.is_empty() {
                report::file_warning(
                    &input.name,
                    "no synchronization message (PMTSYNCRS, PAYEESYNCRS, RECPMTSYNCRS or their \
                     requests); nothing applied",
                );
                status = Status::FileErrors;
            }
            if single {
                // One file: its messages are ordered and applied from this one reading.
                let keys: Vec<OrderKey> = model.sync.iter().map(OrderKey::of).collect();
                let order = replay_order_of_keys(&keys);
                let run: Vec<(bool, usize)> =
                    order.iter().enumerate().map(|(slot, &m)| (slot != m, m)).collect();
                apply_run(&input.name, &model.sync, &index, &run, &mut state, &mut totals);
                continue;
            }
            let f = surveyed.len();
            for (m, message) in model.sync.iter().enumerate() {
                messages.push((f, m));
                keys.push(OrderKey::of(message));
            }
        }
        // The document is gone: only the bytes of a file that cannot be read again stay.
        let kept = (!input.regular).then_some(input);
        surveyed.push(Surveyed { path: path.to_path_buf(), kept, hash });
    }
    if read_failures > 0 {
        return Err(Failure::Io(io::Error::other(format!(
            "{read_failures} of {} input file(s) could not be read; no state written",
            ofx_paths.len()
        ))));
    }
    if parse_failures > 0 {
        eprintln!(
            "ofxkit: error: {parse_failures} of {} input file(s) could not be read as OFX; no \
             state written",
            ofx_paths.len()
        );
        return Ok(Status::FileErrors);
    }

    // The second pass: each run of consecutive messages of one file from one parse.
    let order = replay_order_of_keys(&keys);
    let mut slot = 0;
    while let Some(&(file, _)) = order.get(slot).and_then(|&i| messages.get(i)) {
        let mut end = slot;
        while order.get(end).and_then(|&i| messages.get(i)).is_some_and(|&(f, _)| f == file) {
            end += 1;
        }
        // (out of file order, message index in the file) for this run.
        let run: Vec<(bool, usize)> = (slot..end)
            .filter_map(|s| {
                let &i = order.get(s)?;
                let &(_, m) = messages.get(i)?;
                Some((s != i, m))
            })
            .collect();
        let Some(entry) = surveyed.get(file) else { break };
        let reread;
        let input = match &entry.kept {
            Some(i) => i,
            None => {
                reread = input::read(&entry.path, limit).map_err(|e| {
                    Failure::Io(io::Error::new(e.error.kind(), format!("{e}; no state written")))
                })?;
                if hash(reread.bytes()) != entry.hash {
                    return Err(changed(&entry.path));
                }
                &reread
            }
        };
        let doc = ofxkit::parse_with(input.bytes(), &options).map_err(|_| changed(&entry.path))?;
        let model = doc.model();
        let index = doc.syntax().line_index();
        apply_run(&input.name, &model.sync, &index, &run, &mut state, &mut totals);
        slot = end;
    }

    if totals.warned {
        status = Status::FileErrors;
    }
    // The state is written (and, for a file, in place) before the summary says it is done.
    state.write_json(args.keep_cancelled, &mut out)?;
    out.commit()?;
    let total = &totals.report;
    let _ = writeln!(
        io::stderr().lock(),
        "ofxkit: {} response(s) applied, {} skipped: {} added, {} changed, {} cancelled or deleted",
        total.applied,
        total.skipped,
        total.added,
        total.modified,
        total.removed
    );
    Ok(status)
}

fn changed(path: &Path) -> Failure {
    Failure::Io(io::Error::other(format!(
        "{}: changed while ofxkit was reading it; no state written",
        input::shown_path(path)
    )))
}

/// Applies `run` (a flag saying the message is out of its file order, and its index in
/// `sync`) to `state`, printing each finding with its position.
fn apply_run(
    name: &str,
    sync: &[ofxkit::model::SyncMessage<'_>],
    index: &LineIndex<'_>,
    run: &[(bool, usize)],
    state: &mut SyncState,
    totals: &mut Totals,
) {
    let mut err = io::stderr().lock();
    for &(moved, m) in run {
        let Some(message) = sync.get(m) else { continue };
        if moved {
            let lc = index.line_col(message.span.start);
            let text = format!(
                "<{}> token {} applied in token order, not file order",
                message.kind,
                message.token.unwrap_or("?")
            );
            let line = report::line(name, lc, "info", "I-SYNC-TOKEN-ORDER", &text, None);
            let _ = writeln!(err, "{line}");
        }
        let mut result = state.apply(message);
        // The notes are printed, not kept: a file may hold a finding per record.
        for n in std::mem::take(&mut result.notes) {
            totals.warned |= n.severity == Severity::Warning;
            let lc = index.line_col(n.span.start);
            let _ =
                writeln!(err, "{}", report::line(name, lc, n.severity, n.code, &n.message, None));
        }
        totals.report.merge(result);
    }
}

/// Reads one OFX file already in memory and applies it with `apply`; prints the file's
/// errors and the findings with their positions. `None` when it is not OFX; the flag says
/// whether it has errors.
pub(crate) fn apply_input(
    input: &Input,
    state: &mut SyncState,
    apply: impl FnOnce(&mut SyncState, &Document<'_>) -> ApplyReport,
) -> Option<(ApplyReport, bool)> {
    let options = Options::default();
    let doc = match ofxkit::parse_with(input.bytes(), &options) {
        Ok(d) => d,
        Err(e) => {
            report::fatal(&input.name, input.bytes(), &e);
            return None;
        }
    };
    let index = doc.syntax().line_index();
    let mut err = io::stderr().lock();
    let mut errors = false;
    for d in doc.diagnostics().iter().filter(|d| d.severity == Severity::Error) {
        errors = true;
        let _ = writeln!(err, "{}", report::line_of(&input.name, &index, d));
    }
    let result = apply(state, &doc);
    for n in &result.notes {
        let lc = index.line_col(n.span.start);
        let _ = writeln!(
            err,
            "{}",
            report::line(&input.name, lc, n.severity, n.code, &n.message, None)
        );
    }
    Some((result, errors))
}
