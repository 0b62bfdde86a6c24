//! `ofxkit validate PATH...`: check files against the OFX/OFC specifications, in parallel.

use std::collections::BTreeSet;
use std::io::{self, IsTerminal};
use std::path::Path;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use ofxkit::syntax::{Limits, Options, Severity, escape_controls};
use ofxkit::validate::rules::RULES;
use ofxkit::validate::{ValidateOptions, validate_bytes};
use rayon::prelude::*;

use std::io::Write;

use crate::cli::{ColorArg, VALIDATE_FORMATS, ValidateArgs};
use crate::destination::{Output, refuse_overwriting_inputs};
use crate::findings::{self, FileResult, human, sarif, summary};
use crate::format::{self, Format};
use crate::input;
use crate::output::{Failure, Status};
use crate::secrets::Snippets;
use crate::walk;

/// Above this many files (or this many bytes), a terminal shows a progress bar.
const PROGRESS_FILES: usize = 8;
const PROGRESS_BYTES: u64 = 32 << 20;

/// Is `pattern` a rule id, a reader code, or a prefix (`…*`) of one?
fn known_rule(pattern: &str) -> bool {
    let ids =
        RULES.iter().map(|r| r.id).chain(ofxkit::syntax::Code::ALL.iter().map(|c| c.as_str()));
    let mut ids = ids;
    match pattern.strip_suffix('*') {
        Some(prefix) => ids.any(|id| id.starts_with(prefix)),
        None => ids.any(|id| id == pattern),
    }
}

/// `--deny A,B --deny C` → {A, B, C}, upper case; unknown names are a usage error.
fn rule_set(values: &[String], flag: &str) -> Result<BTreeSet<String>, Failure> {
    let mut out = BTreeSet::new();
    for v in values.iter().flat_map(|v| v.split(',')) {
        let v = v.trim().to_ascii_uppercase();
        if v.is_empty() {
            continue;
        }
        if !known_rule(&v) {
            return Err(Failure::Io(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{flag} {v}: no such rule (see crates/ofxkit/docs/rules.md)"),
            )));
        }
        out.insert(v);
    }
    Ok(out)
}

/// Reads, parses and validates one file.
fn check(path: &Path, options: &ValidateOptions, snippets: Snippets) -> FileResult {
    // The reader's findings are capped as the validator's are.
    let limits =
        Limits { max_findings_per_code: options.max_findings_per_rule, ..Limits::default() };
    let parse_options = Options { limits, ..Options::default() };
    let input = match input::read(path, parse_options.limits.max_input_size) {
        Ok(i) => i,
        Err(e) => {
            return FileResult {
                name: path.display().to_string(),
                profile: None,
                findings: Vec::new(),
                io_error: Some(e.error.to_string()),
            };
        }
    };
    // Read and checked in one pass: a statement's transactions are checked as they are
    // read, and never kept.
    match validate_bytes(input.bytes(), &parse_options, options) {
        Ok((doc, report)) => {
            // Columns count characters in UTF-8 text, bytes otherwise (as the line index).
            let utf8 = doc.syntax().encoding().name() == "UTF-8";
            let findings = findings::locate(report.findings, doc.syntax().source(), utf8, snippets);
            FileResult {
                name: input.name.clone(),
                profile: Some(report.profile.name()),
                findings,
                io_error: None,
            }
        }
        Err(e) => {
            // Not readable as OFX at all: one positioned error (allowed like any other).
            let d = ofxkit::Diagnostic::from(&e);
            let mut list = vec![d];
            if options.allow.iter().any(|a| a == list[0].code) {
                list.clear();
            }
            let utf8 = std::str::from_utf8(input.bytes()).is_ok();
            let findings = findings::locate(list, input.bytes(), utf8, snippets);
            FileResult { name: input.name.clone(), profile: None, findings, io_error: None }
        }
    }
}

/// Colour when asked, or (auto) when writing to a terminal and NO_COLOR is not set.
fn use_color(arg: ColorArg, output: Option<&Path>) -> bool {
    let to_stdout = output.is_none_or(|p| p.as_os_str() == "-");
    match arg {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => {
            to_stdout && io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
        }
    }
}

pub fn run(args: &ValidateArgs) -> Result<Status, Failure> {
    let options = ValidateOptions {
        profile: args.profile,
        deny: rule_set(&args.deny, "--deny")?,
        allow: rule_set(&args.allow, "--allow")?,
        strict: args.strict,
        max_findings_per_rule: args.max_findings,
    };
    refuse_overwriting_inputs(args.output.as_deref(), args.paths.iter().map(|p| p.as_path()))?;
    let format =
        format::choose(args.format, args.output.as_deref(), VALIDATE_FORMATS, Format::Human)?;
    let listing = walk::list(&args.paths, &walk::Extensions::with(&args.ext))?;
    let listing_errors: Vec<FileResult> = listing
        .errors
        .into_iter()
        .map(|(p, e)| FileResult {
            name: p.display().to_string(),
            profile: None,
            findings: Vec::new(),
            io_error: Some(e.to_string()),
        })
        .collect();
    let paths = listing.files;

    let snippets =
        Snippets::new(matches!(format, Format::Human | Format::Sarif), args.show_secrets);
    let total_bytes: u64 =
        paths.iter().filter_map(|p| std::fs::metadata(p).ok()).map(|m| m.len()).sum();
    let bar = if io::stderr().is_terminal()
        && (paths.len() >= PROGRESS_FILES || total_bytes >= PROGRESS_BYTES)
    {
        let bar =
            ProgressBar::with_draw_target(Some(paths.len() as u64), ProgressDrawTarget::stderr());
        if let Ok(style) =
            ProgressStyle::with_template("{bar:40} {pos}/{len} files {elapsed} {msg}")
        {
            bar.set_style(style);
        }
        bar
    } else {
        ProgressBar::hidden()
    };

    let check_all = || -> Vec<FileResult> {
        paths
            .par_iter()
            .map(|p| {
                let r = check(p, &options, snippets);
                bar.inc(1);
                r
            })
            .collect()
    };
    let mut results = match args.jobs.map(crate::jobs::clamp) {
        Some(n) => match rayon::ThreadPoolBuilder::new().num_threads(n).build() {
            Ok(pool) => pool.install(check_all),
            Err(_) => check_all(),
        },
        None => check_all(),
    };
    bar.finish_and_clear();
    results.splice(0..0, listing_errors);

    // Paths that could not be read are named on standard error, in every format, before
    // the report (which SARIF also gives them in, as notifications).
    let unreadable = results.iter().filter(|r| r.io_error.is_some()).count();
    for r in results.iter().filter(|r| r.io_error.is_some()) {
        let why = r.io_error.as_deref().unwrap_or_default();
        eprintln!("{}: error: {}", escape_controls(&r.name), escape_controls(why));
    }
    // No report at all with --quiet; none but SARIF's when no file could be read (no empty
    // table or array).
    let report = !args.quiet && (unreadable < results.len() || format == Format::Sarif);
    if report {
        write_report(args, format, &mut results)?;
    }
    if unreadable > 0 {
        return Err(Failure::Io(io::Error::other(format!(
            "{unreadable} of {} paths could not be read",
            results.len()
        ))));
    }
    let errors = results.iter().any(|r| r.count(Severity::Error) > 0);
    Ok(if errors { Status::FileErrors } else { Status::Ok })
}

/// Writes the findings in `format` where `-o` says.
fn write_report(
    args: &ValidateArgs,
    format: Format,
    results: &mut [FileResult],
) -> Result<(), Failure> {
    let mut out = Output::open(args.output.as_deref())?;
    match format {
        Format::Json => out.write_all(findings::json_array(results).as_bytes())?,
        Format::Ndjson => out.write_all(findings::json_lines(results).as_bytes())?,
        Format::Sarif => {
            let log = sarif::log(results);
            let text = serde_json::to_string_pretty(&log).map_err(io::Error::other)?;
            out.write_all(text.as_bytes())?;
            out.write_all(b"\n")?;
        }
        // Human, the one other format `validate` offers.
        _ => {
            let style = human::Style::new(use_color(args.color, args.output.as_deref()));
            let mut text = String::new();
            // Names and texts from the files reach a terminal: escaped (JSON and SARIF escape
            // their own way).
            crate::report::escape_results(results);
            for r in results.iter() {
                human::render(r, style, &mut text);
            }
            summary::render(results, !args.no_summary, &mut text);
            out.write_all(text.as_bytes())?;
        }
    }
    out.commit()
}
