//! `ofxkit sync replay FILE...`: synchronization responses applied, in order, to a state.

use std::io::{self, Write};
use std::path::Path;

use ofxkit::Document;
use ofxkit::sync::{ApplyReport, Level, SyncState, replay_order};
use ofxkit::syntax::{Options, Severity};

use crate::cli::{ReplayArgs, SyncArgs, SyncCommand};
use crate::input;
use crate::output::{Failure, Status, print};
use crate::report;

pub fn run(args: &SyncArgs) -> Result<Status, Failure> {
    match &args.command {
        SyncCommand::Replay(a) => replay(a),
    }
}

fn replay(args: &ReplayArgs) -> Result<Status, Failure> {
    let mut state = match &args.state {
        Some(path) => load_state(path)?,
        None => SyncState::new(),
    };
    let mut status = Status::Ok;
    let options = Options::default();
    // Every file is read first, so responses can be put in token order across files.
    let mut inputs = Vec::new();
    for path in &args.files {
        match input::read(path, options.limits.max_input_size) {
            Ok(i) => inputs.push(i),
            Err(e) => {
                eprintln!("{}: error: {e}", path.display());
                status = Status::FileErrors;
            }
        }
    }
    let mut docs = Vec::new();
    for input in &inputs {
        match ofxkit::parse_with(input.bytes(), &options) {
            Ok(doc) => docs.push((input.name.as_str(), doc)),
            Err(e) => {
                report::fatal(&input.name, input.bytes(), &e);
                status = Status::FileErrors;
            }
        }
    }
    let models: Vec<_> = docs.iter().map(|(_, d)| d.model()).collect();
    let indexes: Vec<_> = docs.iter().map(|(_, d)| d.syntax().line_index()).collect();
    let mut messages = Vec::new();
    let mut err = io::stderr().lock();
    for (f, ((name, _), model)) in docs.iter().zip(&models).enumerate() {
        for d in model.diagnostics.iter().filter(|d| d.severity == Severity::Error) {
            status = Status::FileErrors;
            if let Some(index) = indexes.get(f) {
                let _ = writeln!(err, "{}", report::line_of(name, index, d));
            }
        }
        if model.sync.is_empty() {
            let _ = writeln!(
                err,
                "{name}: warning: no synchronization message (PMTSYNCRS, PAYEESYNCRS, \
                 RECPMTSYNCRS or their requests); nothing applied"
            );
            status = Status::FileErrors;
        }
        messages.extend(model.sync.iter().map(|m| (f, m)));
    }
    let refs: Vec<_> = messages.iter().map(|(_, m)| *m).collect();
    let order = replay_order(&refs);
    let mut total = ApplyReport::default();
    for (slot, &i) in order.iter().enumerate() {
        let Some(&(f, m)) = messages.get(i) else { continue };
        let (Some((name, _)), Some(index)) = (docs.get(f), indexes.get(f)) else { continue };
        if slot != i {
            let lc = index.line_col(m.span.start);
            let _ = writeln!(
                err,
                "{name}:{lc}: info[I-SYNC-TOKEN-ORDER]: <{}> token {} applied in token order, \
                 not file order",
                m.kind,
                m.token.unwrap_or("?")
            );
        }
        let result = state.apply(m);
        for n in &result.notes {
            let lc = index.line_col(n.span.start);
            let _ = writeln!(err, "{name}:{lc}: {}[{}]: {}", n.level, n.code, n.message);
        }
        total.merge(result);
    }
    if total.notes.iter().any(|n| n.level == Level::Warning) {
        status = Status::FileErrors;
    }
    let _ = writeln!(
        err,
        "ofxkit: {} response(s) applied, {} skipped: {} added, {} changed, {} cancelled or deleted",
        total.applied, total.skipped, total.added, total.modified, total.removed
    );
    drop(err);
    let json = state.snapshot(args.keep_cancelled).to_json();
    match &args.output {
        Some(path) => std::fs::write(path, json)?,
        None => print(&json)?,
    }
    Ok(status)
}

/// Reads a state file written by `sync replay`.
pub(crate) fn load_state(path: &Path) -> Result<SyncState, Failure> {
    let input = input::read(path, Options::default().limits.max_input_size)?;
    let text = std::str::from_utf8(input.bytes()).map_err(|_| {
        io::Error::new(io::ErrorKind::InvalidData, format!("{}: not UTF-8 JSON", input.name))
    })?;
    SyncState::from_json(text).map_err(|e| {
        Failure::from(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{}: not a sync state: {e}", input.name),
        ))
    })
}

/// Reads one OFX file and applies it with `apply`; prints the file's errors and the
/// replay's findings with their positions. `None` when the file could not be read; the flag
/// says whether it has errors.
pub(crate) fn apply_file(
    path: &Path,
    state: &mut SyncState,
    apply: impl FnOnce(&mut SyncState, &Document<'_>) -> ApplyReport,
) -> Option<(ApplyReport, bool)> {
    let options = Options::default();
    let input = match input::read(path, options.limits.max_input_size) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("{}: error: {e}", path.display());
            return None;
        }
    };
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
        let _ = writeln!(err, "{}:{lc}: {}[{}]: {}", input.name, n.level, n.code, n.message);
    }
    Some((result, errors))
}
