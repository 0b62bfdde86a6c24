//! `ofxkit recurring apply LOG.ndjson...`: card-processor plan logs applied, in order, to a
//! plan state.
//!
//! The new state goes to `-o` (default: standard output); the result object of every line
//! (`{action, code, message, details, orderId, source, line}`, one JSON object a line) goes
//! to `--results FILE`, else to standard output when `-o` names a file, else to standard
//! error. Notifications that disagree with the state are warnings on standard error, as
//! `LOG:LINE:1: warning[CODE]: message`. A line that is not an event is refused (`0x2000`)
//! and the lines after it are still applied; a log that cannot be read stops the command
//! with nothing written.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use ofxkit::plans::{LineOutcome, PlanState};
use ofxkit::syntax::{LineCol, escape_controls};

use crate::cli::{RecurringApplyArgs, RecurringArgs, RecurringCommand};
use crate::destination::{Output, refuse_overwriting_inputs};
use crate::input::{self, Input};
use crate::output::{Failure, Status};
use crate::report;

pub fn run(args: &RecurringArgs) -> Result<Status, Failure> {
    match &args.command {
        RecurringCommand::Apply(a) => apply(a),
    }
}

/// What an input holds, told from its bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sniffed {
    /// A plan log: its first line that is not blank is an object with an `event`, or it is
    /// several lines of which the whole is not one JSON value.
    PlanLog,
    /// A plan state (a JSON object with `plans`).
    PlanState,
    /// Some other JSON: meant as a sync state.
    SyncState,
    /// Not JSON: OFX, QFX or OFC.
    Ofx,
}

/// Tells a plan log, a plan state, a sync state and an OFX file apart.
pub(crate) fn sniff(bytes: &[u8]) -> Sniffed {
    if !crate::commands::sync::is_state(bytes) {
        return Sniffed::Ofx;
    }
    let mut lines = bytes.split(|&b| b == b'\n').filter(|l| !l.trim_ascii().is_empty());
    let first = lines.next().unwrap_or_default();
    let event_object = serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(first)
        .is_ok_and(|m| m.contains_key("event"));
    if event_object {
        return Sniffed::PlanLog;
    }
    match serde_json::from_slice::<serde_json::Value>(bytes) {
        Ok(serde_json::Value::Object(m)) if m.contains_key("plans") => Sniffed::PlanState,
        Ok(_) => Sniffed::SyncState,
        Err(_) if lines.next().is_some() => Sniffed::PlanLog,
        Err(_) => Sniffed::SyncState,
    }
}

/// Reads a plan state (written by `recurring apply`) from a file already read.
pub(crate) fn plan_state_from(input: &Input) -> Result<PlanState, Failure> {
    let invalid = |why: String| {
        Failure::from(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{}: {why}", input.shown_name()),
        ))
    };
    let text = std::str::from_utf8(input.bytes())
        .map_err(|_| invalid("not a plan state: not UTF-8 JSON".to_owned()))?;
    PlanState::from_json(text).map_err(|e| invalid(escape_controls(&e.to_string()).into_owned()))
}

/// Prints a line's warnings, and with `refusals` its refusal, on standard error as
/// `LOG:LINE:1: level[CODE]: message`; true when it printed anything.
pub(crate) fn report_outcome(name: &str, outcome: &LineOutcome, refusals: bool) -> bool {
    let mut err = io::stderr().lock();
    let at = LineCol { line: u32::try_from(outcome.result.line).unwrap_or(u32::MAX), column: 1 };
    for w in &outcome.warnings {
        let _ = writeln!(err, "{}", report::line(name, at, "warning", w.code, &w.message, None));
    }
    // A notification refused with a warning is said once, by the warning.
    let refused = refusals
        && !outcome.result.is_ok()
        && !outcome.already_applied
        && outcome.warnings.is_empty();
    if refused {
        let r = &outcome.result;
        let why: Vec<&str> = r.details.iter().map(|d| d.message.as_str()).collect();
        let rule = r.details.last().map_or("", |d| d.rule);
        let message = format!("{} [rule {rule}]", why.join(": "));
        let _ =
            writeln!(err, "{}", report::line(name, at, "error", r.code.as_str(), &message, None));
    }
    refused || !outcome.warnings.is_empty()
}

/// Where result objects go.
enum Results {
    File(Output),
    Stderr(io::Stderr),
}

impl Results {
    fn write_line(&mut self, line: &[u8]) -> io::Result<()> {
        match self {
            Results::File(o) => o.write_all(line),
            Results::Stderr(e) => e.lock().write_all(line),
        }
    }
}

#[derive(Default)]
struct Counts {
    applied: u64,
    refused: u64,
    replayed: u64,
    warnings: u64,
}

fn apply(args: &RecurringApplyArgs) -> Result<Status, Failure> {
    input::stdin_once(&args.logs)?;
    let to_stdout = |p: &Option<PathBuf>| p.as_deref().is_none_or(|p| p.as_os_str() == "-");
    if args.results.as_deref().is_some_and(|p| p.as_os_str() == "-") && to_stdout(&args.output) {
        return Err(Failure::Usage(
            "--results - and the state both go to standard output: give -o FILE".to_owned(),
        ));
    }
    let limit = ofxkit::syntax::Options::default().limits.max_input_size;
    let mut state = match &args.state {
        Some(path) => plan_state_from(&input::read(path, limit)?)?,
        None => PlanState::new(),
    };
    let logs: Vec<&Path> = args.logs.iter().map(PathBuf::as_path).collect();
    // The state read may be the state written; a log may not be either output.
    refuse_overwriting_inputs(args.output.as_deref(), logs.iter().copied())?;
    let mut inputs = logs.clone();
    inputs.extend(args.state.as_deref());
    inputs.extend(args.output.as_deref().filter(|p| p.as_os_str() != "-"));
    refuse_overwriting_inputs(args.results.as_deref(), inputs.iter().copied())?;

    let mut results = match &args.results {
        Some(path) => Results::File(Output::open(Some(path))?),
        None if !to_stdout(&args.output) => Results::File(Output::open(None)?),
        None => Results::Stderr(io::stderr()),
    };
    let mut counts = Counts::default();
    let mut failure: Option<io::Error> = None;
    {
        let mut applier = state.applier();
        for path in &logs {
            let input = input::read(path, limit).map_err(|e| {
                Failure::Io(io::Error::new(e.error.kind(), format!("{e}; no state written")))
            })?;
            if matches!(sniff(input.bytes()), Sniffed::PlanState | Sniffed::SyncState) {
                return Err(Failure::Usage(format!(
                    "{}: a state, not a plan log (give it with --state); nothing written",
                    input.shown_name()
                )));
            }
            applier.apply_log(&input.name, input.bytes(), |outcome| {
                if outcome.already_applied {
                    counts.replayed += 1;
                } else if outcome.result.is_ok() {
                    counts.applied += 1;
                } else {
                    counts.refused += 1;
                }
                counts.warnings += outcome.warnings.len() as u64;
                report_outcome(&input.name, &outcome, false);
                if failure.is_none() {
                    let mut line = serde_json::to_vec(&outcome.result).unwrap_or_default();
                    line.push(b'\n');
                    if let Err(e) = results.write_line(&line) {
                        failure = Some(e);
                    }
                }
            });
        }
    }
    if let Some(e) = failure {
        return Err(Failure::Io(e));
    }
    // The state is complete: written (and, for a file, in place) before the results are.
    let mut out = Output::open(args.output.as_deref())?;
    state.write_json(&mut out)?;
    out.commit()?;
    if let Results::File(o) = results {
        o.commit()?;
    }
    let _ = writeln!(
        io::stderr().lock(),
        "ofxkit: {} line(s): {} applied, {} refused, {} already applied; {} warning(s)",
        counts.applied + counts.refused + counts.replayed,
        counts.applied,
        counts.refused,
        counts.replayed,
        counts.warnings
    );
    Ok(if counts.refused > 0 || counts.warnings > 0 { Status::FileErrors } else { Status::Ok })
}
