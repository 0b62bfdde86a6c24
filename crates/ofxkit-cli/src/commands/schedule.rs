//! `ofxkit schedule FILE...`: the upcoming payments of each recurring model.

use std::io::{self, Write};

use ofxkit::schedule::{Instalment, plan, today_utc};
use ofxkit::sync::SyncState;

use crate::cli::ScheduleArgs;
use crate::commands::sync::{apply_file, load_state};
use crate::output::{Failure, Status, print};

/// Models listed when neither `--until` nor `--count` bounds an open-ended one.
const DEFAULT_COUNT: usize = 12;

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
    let mut status = Status::Ok;
    let mut state = SyncState::new();
    for (i, path) in args.files.iter().enumerate() {
        if is_state_file(path) {
            if i > 0 {
                return Err(Failure::from(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("{}: a state file must come first", path.display()),
                )));
            }
            state = load_state(path)?;
            continue;
        }
        match apply_file(path, &mut state, |s, doc| s.apply_responses(&doc.model())) {
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
    let mut rows: Vec<Instalment> = Vec::new();
    for model in state.recurring.values().filter(|m| !m.cancelled) {
        match plan(model, Some(from), until, limit) {
            Ok(list) => rows.extend(list),
            Err(e) => {
                let _ = writeln!(
                    io::stderr().lock(),
                    "ofxkit: warning: recurring model {}: {e}; not scheduled",
                    model.recurring_id
                );
                status = Status::FileErrors;
            }
        }
    }
    if args.json {
        let mut text = serde_json::to_string_pretty(&rows).map_err(io::Error::other)?;
        text.push('\n');
        print(&text)?;
    } else if args.csv {
        print(&ofxkit::schedule::to_csv(&rows, true))?;
    } else {
        print(&table(&rows))?;
    }
    Ok(status)
}

/// A file whose first non-blank byte is `{` is a state written by `sync replay`.
fn is_state_file(path: &std::path::Path) -> bool {
    use std::io::Read;
    let Ok(file) = std::fs::File::open(path) else { return false };
    let mut head = Vec::new();
    if file.take(4096).read_to_end(&mut head).is_err() {
        return false;
    }
    head.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{')
}

/// An aligned table: model, instalment (n/N or n), date, amount, currency, payee.
fn table(rows: &[Instalment]) -> String {
    let header = ["RECSRVRTID", "PAYMENT", "DUE", "AMOUNT", "CURRENCY", "PAYEE"];
    let mut cells: Vec<[String; 6]> = vec![header.map(str::to_owned)];
    for r in rows {
        cells.push([
            r.recurring_id.clone(),
            match r.of {
                Some(of) => format!("{}/{of}", r.number),
                None => r.number.to_string(),
            },
            r.date.to_string(),
            r.amount.map(|a| a.to_string()).unwrap_or_default(),
            r.currency.clone().unwrap_or_default(),
            r.payee.clone().unwrap_or_default(),
        ]);
    }
    let mut widths = [0usize; 6];
    for row in &cells {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(c.chars().count());
        }
    }
    let mut out = String::new();
    for row in &cells {
        let mut line = String::new();
        for (i, (c, w)) in row.iter().zip(widths).enumerate() {
            if i > 0 {
                line.push_str("  ");
            }
            if i == 3 {
                line.push_str(&format!("{c:>w$}"));
            } else {
                line.push_str(&format!("{c:<w$}"));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
