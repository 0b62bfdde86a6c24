//! `ofxkit schedule FILE...`: the upcoming payments of each recurring model (OFX) and card
//! plan (plan logs, see `recurring apply`).
//!
//! Each input is told from its bytes (read once): a plan log by its first line (an object
//! with an `event`), a state by being one JSON object (a plan state has `plans`), OFX
//! otherwise; OFX files and plan logs may be mixed. OFX models are listed first, then card
//! plans, each by id; the first column is `RECSRVRTID` for OFX models alone, `ORDERID` for
//! card plans alone, `ID` for both.
//!
//! Rows are written as they are made (the table's column widths come from the models, not
//! from the rows), so memory does not grow with the number of rows asked for.

use std::io::{self, Write};

use ofxkit::plans::PlanState;
use ofxkit::schedule::{Instalment, Plan, today_utc, write_csv, write_json};
use ofxkit::sync::SyncState;
use ofxkit::syntax::escape_controls;

use crate::cli::{SCHEDULE_FORMATS, ScheduleArgs};
use crate::commands::recurring::{Sniffed, plan_state_from, report_outcome, sniff};
use crate::commands::sync::{apply_input, state_from};
use crate::destination::{Output, refuse_overwriting_inputs};
use crate::format::{self, Format};
use crate::input;
use crate::output::{Failure, Status};

/// Models listed when neither `--until` nor `--count` bounds an open-ended one.
const DEFAULT_COUNT: usize = 12;

/// The table's columns.
const HEADER: [&str; 6] = ["RECSRVRTID", "PAYMENT", "DUE", "AMOUNT", "CURRENCY", "PAYEE"];

pub fn run(args: &ScheduleArgs) -> Result<Status, Failure> {
    let date = |s: &Option<String>| {
        s.as_deref()
            .and_then(|d| ofxkit::datetime::parse_datetime(d, ofxkit::amount::Dialect::Ofx).ok())
            .map(|d| d.value.naive_date())
    };
    let from = date(&args.from).unwrap_or_else(today_utc);
    let until = date(&args.until);
    let limit = match (args.count, until) {
        (Some(n), _) => n,
        (None, Some(_)) => usize::MAX,
        (None, None) => DEFAULT_COUNT,
    };
    input::stdin_once(&args.files)?;
    let inputs = args.state.iter().chain(&args.files).map(|p| p.as_path());
    refuse_overwriting_inputs(args.output.as_deref(), inputs)?;
    let given = match (args.json, args.csv) {
        (true, _) => Some(Format::Json),
        (_, true) => Some(Format::Csv),
        _ => args.format,
    };
    let format = format::choose(given, args.output.as_deref(), SCHEDULE_FORMATS, Format::Table)?;
    let mut status = Status::Ok;
    let mut unreadable = 0usize;
    let mut state = SyncState::new();
    let mut plans = PlanState::new();
    // Whether a plan log or a plan state was given (for the message when nothing is due).
    let mut card_input = false;
    let limit_bytes = ofxkit::syntax::Options::default().limits.max_input_size;
    let state_path = args.state.as_ref().map(|p| (p, true));
    let paths = state_path.into_iter().chain(args.files.iter().map(|p| (p, false)));
    let mut plan_logs: Option<Vec<_>> = None;
    for (i, (path, given_as_state)) in paths.enumerate() {
        // Each file is read once: a pipe or a FIFO cannot be read again.
        let input = match input::read(path, limit_bytes) {
            Ok(input) => input,
            Err(e) if given_as_state => return Err(e.into()),
            Err(e) => {
                e.report();
                unreadable += 1;
                continue;
            }
        };
        let kind = sniff(input.bytes());
        if given_as_state && !matches!(kind, Sniffed::PlanState | Sniffed::SyncState) {
            return Err(Failure::Usage(format!(
                "{}: --state is not a state (of sync replay or recurring apply)",
                input.shown_name()
            )));
        }
        match kind {
            Sniffed::PlanState | Sniffed::SyncState if i > 0 => {
                return Err(Failure::Usage(format!(
                    "{}: a state file must come first",
                    input.shown_name()
                )));
            }
            Sniffed::PlanState => {
                plans = plan_state_from(&input)?;
                card_input = true;
            }
            Sniffed::SyncState => state = state_from(&input)?,
            Sniffed::PlanLog => {
                card_input = true;
                plan_logs.get_or_insert_with(Vec::new).push(input);
            }
            Sniffed::Ofx => {
                match apply_input(&input, &mut state, |s, doc| s.apply_responses(doc.model())) {
                    Some((_, false)) => {}
                    _ => status = Status::FileErrors,
                }
            }
        }
    }
    if unreadable > 0 {
        // Named above; no table is written.
        return Err(Failure::Io(io::Error::other(format!(
            "{unreadable} of {} input file(s) could not be read; nothing written",
            args.files.len()
        ))));
    }
    // Plan logs, in the order given, in one run over the plan state.
    if let Some(logs) = plan_logs {
        let mut applier = plans.applier();
        for log in &logs {
            applier.apply_log(&log.name, log.bytes(), |outcome| {
                if report_outcome(&log.name, &outcome, true) {
                    status = Status::FileErrors;
                }
            });
        }
    }
    if state.recurring.is_empty() && plans.plans.is_empty() {
        let message = if card_input {
            "ofxkit: no recurring-payment model or card plan in the input"
        } else {
            "ofxkit: no recurring-payment model (RECPMTRS, RECPMTMODRS) in the input"
        };
        let _ = writeln!(io::stderr().lock(), "{message}");
    }
    // Every model's trouble is reported before the first row.
    let mut rows: Vec<(&str, Plan<'_>)> = Vec::new();
    for model in state.recurring.values().filter(|m| !m.cancelled) {
        match Plan::new(model, Some(from), until, limit) {
            Ok(plan) => rows.push(("recurring model", plan)),
            Err(e) => {
                let _ = writeln!(
                    io::stderr().lock(),
                    "ofxkit: warning: recurring model {}: {}; not scheduled",
                    escape_controls(&model.recurring_id),
                    escape_controls(&e.to_string())
                );
                status = Status::FileErrors;
            }
        }
    }
    for plan in plans.plans.values() {
        if let Some(schedule) = plan.schedule(Some(from), until, limit) {
            rows.push(("card plan", schedule));
        }
    }
    let mut header = HEADER;
    header[0] = match (state.recurring.is_empty(), plans.plans.is_empty()) {
        (true, false) => "ORDERID",
        (false, false) => "ID",
        _ => HEADER[0],
    };
    let mut out = Output::open(args.output.as_deref())?;
    if format == Format::Json {
        write_json(rows.iter_mut().flat_map(|(_, p)| p), &mut out)?;
    } else if format == Format::Csv {
        write_csv(rows.iter_mut().flat_map(|(_, p)| p), true, &mut out)?;
    } else {
        let widths = widths(&header, rows.iter().map(|(_, p)| p));
        let mut line = String::new();
        table_line(&header.map(str::to_owned), &widths, &mut line);
        out.write_all(line.as_bytes())?;
        for row in rows.iter_mut().flat_map(|(_, p)| p) {
            line.clear();
            table_line(&cells(&row), &widths, &mut line);
            out.write_all(line.as_bytes())?;
        }
    }
    out.commit()?;
    // A list the calendar cut short says so (dates past 9999-12-31 are not written).
    for (kind, plan) in rows.iter().filter(|(_, p)| p.reached_calendar_end()) {
        let _ = writeln!(
            io::stderr().lock(),
            "ofxkit: note: {kind} {}: its payments run past 9999-12-31, the last \
             date written; the list stops there",
            escape_controls(plan.id())
        );
    }
    Ok(status)
}

/// `n/N`, or `n/∞` for an open-ended model.
fn payment(number: u32, of: Option<u32>) -> String {
    match of {
        Some(of) => format!("{number}/{of}"),
        None => format!("{number}/∞"),
    }
}

/// A row's cells, in the columns of [`HEADER`].
fn cells(r: &Instalment) -> [String; 6] {
    [
        r.recurring_id.clone(),
        payment(r.number, r.of),
        r.date.to_string(),
        r.amount.map(|a| a.to_string()).unwrap_or_default(),
        r.currency.clone().unwrap_or_default(),
        r.payee.clone().unwrap_or_default(),
    ]
}

/// Column widths (in characters) wide enough for every row the plans can make, from each
/// model's first row and the bounds of its last ([`ofxkit::schedule::Plan::last_bound`]):
/// no row is made for it.
fn widths<'p, 'm: 'p>(header: &[&str; 6], plans: impl Iterator<Item = &'p Plan<'m>>) -> [usize; 6] {
    let mut widths = header.map(|h| h.chars().count());
    for plan in plans {
        let Some(first) = plan.clone().next() else { continue };
        let Some((last, last_date)) = plan.last_bound() else { continue };
        let amounts = [plan.amount(first.number), plan.amount(last), plan.amounts().other];
        let amount = amounts.iter().flatten().map(|a| a.to_string().len()).max().unwrap_or(0);
        let due = first.date.to_string().len().max(last_date.to_string().len());
        let chars = |t: &str| escape_controls(t).chars().count();
        let row = [
            chars(&first.recurring_id),
            payment(last, first.of).chars().count(),
            due,
            amount,
            first.currency.as_deref().map_or(0, chars),
            first.payee.as_deref().map_or(0, chars),
        ];
        for (w, r) in widths.iter_mut().zip(row) {
            *w = (*w).max(r);
        }
    }
    widths
}

/// One table line: cells padded to `widths` two spaces apart, the amount right-aligned,
/// escaped (a payee's control characters are not sent to the terminal), no trailing blanks.
fn table_line(cells: &[String; 6], widths: &[usize; 6], out: &mut String) {
    let start = out.len();
    for (i, (c, &w)) in cells.iter().zip(widths).enumerate() {
        if i > 0 {
            out.push_str("  ");
        }
        let c = escape_controls(c);
        // `format!` pads by characters, as the widths count.
        if i == 3 {
            out.push_str(&format!("{c:>w$}"));
        } else {
            out.push_str(&format!("{c:<w$}"));
        }
    }
    let trimmed = out.get(start..).map_or(0, |s| s.trim_end().len());
    out.truncate(start + trimmed);
    out.push('\n');
}
