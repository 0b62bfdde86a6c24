//! `ofxkit completions SHELL` and `ofxkit man`: generated from the clap definitions, so
//! they list exactly the commands and options there are.

use std::io::Write;

use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs, ManArgs};
use crate::destination::Output;
use crate::output::{Failure, Status};

/// The completion script for a shell.
pub fn completions(args: &CompletionsArgs) -> Result<Status, Failure> {
    let mut command = Cli::command();
    let mut out = Output::open(args.output.as_deref())?;
    clap_complete::generate(args.shell, &mut command, "ofxkit", &mut out);
    out.commit()?;
    Ok(Status::Ok)
}

/// The manual page: ofxkit(1), with a section per subcommand (their options and exit
/// status) after the main one.
pub fn man(args: &ManArgs) -> Result<Status, Failure> {
    let command = Cli::command();
    let mut out = Output::open(args.output.as_deref())?;
    clap_mangen::Man::new(command.clone()).render(&mut out)?;
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        render_subcommand(&mut out, &command, sub, &mut Vec::new())?;
    }
    out.commit()?;
    Ok(Status::Ok)
}

/// One `ofxkit SUB` section (and its own subcommands', `ofxkit sync replay`), as clap_mangen
/// writes a page's body, under a section header.
fn render_subcommand(
    out: &mut Output,
    root: &clap::Command,
    sub: &clap::Command,
    parents: &mut Vec<String>,
) -> std::io::Result<()> {
    parents.push(sub.get_name().to_owned());
    let title = format!("{} {}", root.get_name(), parents.join(" "));
    let man = clap_mangen::Man::new(sub.clone().bin_name(title.clone()));
    writeln!(out, ".SH \"{}\"", title.to_uppercase())?;
    man.render_synopsis_section(&mut *out)?;
    man.render_description_section(&mut *out)?;
    man.render_options_section(&mut *out)?;
    for nested in sub.get_subcommands().filter(|s| !s.is_hide_set()) {
        render_subcommand(out, root, nested, parents)?;
    }
    parents.pop();
    Ok(())
}
