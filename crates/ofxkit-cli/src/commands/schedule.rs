//! `ofxkit schedule FILE...`: the upcoming payments of each recurring model.
//!
//! Rows are written as they are made (the table's column widths come from the models, not
//! from the rows), so memory does not grow with the number of rows asked for.

use std::io::{self, Write};

use ofxkit::schedule::{Instalment, Plan, today_utc, write_csv, write_json};
use ofxkit::sync::SyncState;
use ofxkit::syntax::escape_controls;

use crate::cli::ScheduleArgs;
use crate::commands::sync::{apply_input, is_state, state_from};
use crate::destination::Output;
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
    let mut status = Status::Ok;
    let mut state = SyncState::new();
    let limit_bytes = ofxkit::syntax::Options::default().limits.max_input_size;
    for (i, path) in args.files.iter().enumerate() {
        // Each file is read once: a pipe or a FIFO cannot be read again.
        let input = match input::read(path, limit_bytes) {
            Ok(input) => input,
            Err(e) => {
                e.report();
                status = Status::FileErrors;
                continue;
            }
        };
        if is_state(input.bytes()) {
            if i > 0 {
                return Err(Failure::Usage(format!(
                    "{}: a state file must come first",
                    input.shown_name()
                )));
            }
            state = state_from(&input)?;
            continue;
        }
        match apply_input(&input, &mut state, |s, doc| s.apply_responses(&doc.model())) {
            Some((_, false)) => {}
            _ => status = Status::FileErrors,
        }
    }
    if state.recurring.is_empty() {
        let _ = writeln!(
            io::stderr().lock(),
            "ofxkit: no recurring-payment model (RECPMTRS, RECPMTMODRS) in the input"
        );
    }
    // Every model's trouble is reported before the first row.
    let mut plans = Vec::new();
    for model in state.recurring.values().filter(|m| !m.cancelled) {
        match Plan::new(model, Some(from), until, limit) {
            Ok(plan) => plans.push(plan),
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
    let mut out = Output::open(None)?;
    if args.json {
        write_json(plans.iter_mut().flatten(), &mut out)?;
    } else if args.csv {
        write_csv(plans.iter_mut().flatten(), true, &mut out)?;
    } else {
        let widths = widths(&plans);
        let mut line = String::new();
        table_line(&HEADER.map(str::to_owned), &widths, &mut line);
        out.write_all(line.as_bytes())?;
        for row in plans.iter_mut().flatten() {
            line.clear();
            table_line(&cells(&row), &widths, &mut line);
            out.write_all(line.as_bytes())?;
        }
    }
    out.commit()?;
    // A list the calendar cut short says so (dates past 9999-12-31 are not written).
    for plan in plans.iter().filter(|p| p.reached_calendar_end()) {
        let _ = writeln!(
            io::stderr().lock(),
            "ofxkit: note: recurring model {}: its payments run past 9999-12-31, the last \
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
fn widths(plans: &[Plan<'_>]) -> [usize; 6] {
    let mut widths = HEADER.map(|h| h.chars().count());
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
