//! `ofxkit convert FILE --to ofx1|ofx2`: one file written as a complete OFX file.

use std::io::Write;

use ofxkit::syntax::{LineIndex, Options, Severity};
use ofxkit::write::{Charset, Target, WriteOptions};

use crate::cli::{CharsetArg, ConvertArgs};
use crate::destination::{Output, refuse_overwriting_inputs};
use crate::input;
use crate::output::{Failure, Status};
use crate::report;

/// Refuses the OFX writer's options with another `--to`.
pub fn refuse_ofx_options(args: &ConvertArgs) -> Result<(), Failure> {
    let o = &args.ofx;
    let given = [
        (o.ofx_version.is_some(), "--version"),
        (o.close_all, "--close-all"),
        (o.charset.is_some(), "--charset"),
        (o.lossy, "--lossy"),
        (o.currency.is_some(), "--currency"),
    ];
    match given.iter().find(|(on, _)| *on) {
        Some((_, flag)) => Err(Failure::Usage(format!("{flag} goes with --to ofx1 or --to ofx2"))),
        None => Ok(()),
    }
}

/// Writes the one input file as OFX. The whole file is written in memory first, so an error
/// (a character the target cannot hold, an OFC record with no OFX counterpart) leaves the
/// output untouched: nothing is written as if it had worked.
pub fn run(args: &ConvertArgs, ofx1: bool) -> Result<Status, Failure> {
    let [path] = args.files.as_slice() else {
        return Err(Failure::Usage(
            "--to ofx1|ofx2 writes one OFX file: give exactly one input".to_owned(),
        ));
    };
    if args.what.is_some() {
        return Err(Failure::Usage("--what does not go with --to ofx1|ofx2".to_owned()));
    }
    let options = WriteOptions {
        target: if ofx1 { Target::Ofx1 } else { Target::Ofx2 },
        version: args.ofx.ofx_version,
        close_all: args.ofx.close_all,
        charset: args.ofx.charset.map(|c| match c {
            CharsetArg::Cp1252 => Charset::Cp1252,
            CharsetArg::Usascii => Charset::UsAscii,
            CharsetArg::Utf8 => Charset::Utf8,
        }),
        lossy: args.ofx.lossy,
        show_secrets: args.show_secrets,
        currency: args.ofx.currency.clone(),
    };
    options.check().map_err(|e| Failure::Usage(e.to_string()))?;
    refuse_overwriting_inputs(args.output.as_deref(), std::iter::once(path.as_path()))?;
    let parse_options = Options::default();
    // A missing or unreadable input: named, exit status 2, nothing written.
    let input = input::read(path, parse_options.limits.max_input_size)?;
    let doc = match ofxkit::parse_with(input.bytes(), &parse_options) {
        Ok(d) => d,
        Err(e) => {
            report::fatal(&input.name, input.bytes(), &e);
            return Ok(Status::FileErrors);
        }
    };
    let mut status = Status::Ok;
    let diagnostics = doc.diagnostics();
    let shown: Vec<_> =
        diagnostics.iter().filter(|d| d.severity == Severity::Error || args.warnings).collect();
    let index = doc.syntax().line_index();
    {
        let mut err = std::io::stderr().lock();
        for d in shown {
            let _ = writeln!(err, "{}", report::line_of(&input.name, &index, d));
        }
    }
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        status = Status::FileErrors;
    }
    let mut bytes = Vec::new();
    let written = match doc.write_ofx(&mut bytes, &options) {
        Ok(w) => w,
        Err(e) if e.is_io() => return Err(Failure::Io(std::io::Error::other(e.to_string()))),
        Err(e) => {
            print_error(&input.name, &index, &e);
            return Ok(Status::FileErrors);
        }
    };
    let mut out = Output::open(args.output.as_deref())?;
    out.write_all(&bytes)?;
    out.commit()?;
    let name = input.name.as_str();
    if written.replaced > 0 {
        report::file_warning(
            name,
            &format!(
                "{} character(s) that {} cannot hold written as ? (--lossy)",
                written.replaced,
                options.charset.map_or(
                    if options.target == Target::Ofx1 { "windows-1252" } else { "UTF-8" },
                    Charset::name
                )
            ),
        );
    }
    if written.left_out > 0 {
        report::file_warning(
            name,
            &format!("{} unfinished value(s) left out (--lossy)", written.left_out),
        );
    }
    if written.vendor > 0 {
        report::file_warning(
            name,
            &format!(
                "{} OFC element(s) with no OFX counterpart kept as OFC.* vendor elements",
                written.vendor
            ),
        );
    }
    if written.signon_synthesized && args.warnings {
        report::file_warning(name, "the file has no sign-on: one was synthesized and marked so");
    }
    Ok(status)
}

/// `file:line:col: error[CODE]: message` for an error of the writer.
fn print_error(name: &str, index: &LineIndex<'_>, e: &ofxkit::write::WriteError) {
    let line = match e.span() {
        Some(span) => {
            report::line(name, index.line_col(span.start), "error", e.code(), &e.to_string(), None)
        }
        None => format!(
            "{}: error[{}]: {}",
            ofxkit::syntax::escape_controls(name),
            e.code(),
            ofxkit::syntax::escape_controls(&e.to_string())
        ),
    };
    eprintln!("{line}");
}
