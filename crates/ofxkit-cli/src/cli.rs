//! Command-line syntax (clap). Kept separate from what the commands do.

use std::path::PathBuf;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand};
use ofxkit::validate::ValidationProfile;

/// Read, check and convert OFX 1.x/2.x, QFX and OFC files.
///
/// Exit status: 0 no errors; 1 a file has errors; 2 usage or I/O trouble.
#[derive(Debug, Parser)]
#[command(name = "ofxkit", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print a file's element tree (`-` reads standard input).
    Dump(DumpArgs),
    /// Convert statements, accounts or payees to JSON, NDJSON or CSV, or a file to OFX 1.x/2.x.
    Convert(ConvertArgs),
    /// Check files against the OFX/OFC specifications.
    ///
    /// Every finding has a rule id (crates/ofxkit/docs/rules.md) or a reader code, a position
    /// and the element path. Exit status: 0 no errors; 1 errors found (with --strict, warnings
    /// too); 2 usage or I/O trouble.
    Validate(ValidateArgs),
    /// Bill-pay synchronization (`sync replay`).
    Sync(SyncArgs),
    /// List the upcoming payments of recurring-payment models.
    Schedule(ScheduleArgs),
}

/// Arguments of `ofxkit sync`.
#[derive(Debug, Args)]
pub struct SyncArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: SyncCommand,
}

/// The `sync` subcommands.
#[derive(Debug, Subcommand)]
pub enum SyncCommand {
    /// Apply synchronization responses, in order, to a state and write the new state.
    ///
    /// Payments are keyed by SRVRTID, payees by PAYEELSTID, recurring models by RECSRVRTID;
    /// the result is what a REFRESH would return, with the next TOKEN per account and
    /// message kind. A response already applied is skipped. Findings (LOSTSYNC, unknown
    /// ids, failed requests, …) go to standard error.
    ///
    /// No state is written or printed when an input cannot be read or is not OFX.
    ///
    /// Exit status: 0 every response applied cleanly (or already applied); 1 a file is not
    /// OFX (nothing written) or a finding needs attention; 2 usage or I/O trouble, or a file
    /// could not be read (nothing written).
    Replay(ReplayArgs),
}

/// Arguments of `ofxkit sync replay`.
#[derive(Debug, Args)]
pub struct ReplayArgs {
    /// Response (and request) files, applied in this order (`-` for standard input); the
    /// first may be a state written by an earlier replay, as with --state.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Start from this state (JSON written by an earlier replay) instead of an empty one.
    #[arg(long, value_name = "STATE.json")]
    pub state: Option<PathBuf>,
    /// Write the new state here instead of standard output (`-`). The file is replaced only
    /// once the state is complete; it may be the state read, not one of the OFX files.
    #[arg(short, long, value_name = "NEW_STATE.json")]
    pub output: Option<PathBuf>,
    /// Keep cancelled payments and models and deleted payees, marked, instead of dropping them.
    #[arg(long)]
    pub keep_cancelled: bool,
}

/// Arguments of `ofxkit schedule`.
///
/// Exit status: 0 every model could be scheduled; 1 a file could not be read or a model
/// has no usable FREQ, NINSTS or first due date; 2 usage or I/O trouble.
#[derive(Debug, Args)]
pub struct ScheduleArgs {
    /// OFX files with recurring-payment records (responses and sync responses, applied in
    /// order), or a state written by `sync replay` (first).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// First date to list (YYYY-MM-DD or YYYYMMDD; default: today, UTC).
    #[arg(long, value_parser = date_arg)]
    pub from: Option<String>,
    /// Last date to list.
    #[arg(long, value_parser = date_arg, conflicts_with = "count")]
    pub until: Option<String>,
    /// At most this many payments per model (default 12 when --until is not given); rows
    /// are written as they are made, with no other limit.
    #[arg(long)]
    pub count: Option<usize>,
    /// Print JSON instead of a table.
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    /// Print CSV instead of a table (payee names guarded against spreadsheet formulas).
    #[arg(long)]
    pub csv: bool,
}

/// Accepts `YYYY-MM-DD` and `YYYYMMDD` calendar dates; returns the `YYYYMMDD` form.
fn date_arg(s: &str) -> Result<String, String> {
    let compact: String = if s.len() == 10 && s.as_bytes().get(4) == Some(&b'-') {
        s.replace('-', "")
    } else {
        s.to_owned()
    };
    if compact.len() != 8 || !compact.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("\"{s}\" is not a date (YYYY-MM-DD or YYYYMMDD)"));
    }
    ofxkit::datetime::parse_datetime(&compact, ofxkit::amount::Dialect::Ofx)
        .map(|_| compact)
        .map_err(|e| format!("\"{s}\": {e}"))
}

/// Output format of `convert`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum To {
    /// The whole document (or, with `--what`, an array of rows).
    Json,
    /// One JSON object per line.
    Ndjson,
    /// CSV with a header line.
    Csv,
    /// A complete OFX 1.x (SGML) file: one input file (see --version, --close-all, --charset).
    Ofx1,
    /// A complete OFX 2.x (XML) file: one input file (see --version).
    Ofx2,
}

/// What `convert` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum WhatArg {
    /// One row per transaction.
    Transactions,
    /// One row per statement, with balances.
    Statements,
    /// One row per account.
    Accounts,
    /// One row per payee.
    Payees,
    /// One row per bill payment record (add, modify, cancel, inquiry).
    Payments,
    /// One row per recurring-payment model record.
    Recurring,
}

/// Arguments of `ofxkit convert`.
#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// Files to convert (`-` for standard input).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "json")]
    pub to: To,
    /// Rows to write (default: the whole document for JSON, transactions otherwise).
    #[arg(long, value_enum)]
    pub what: Option<WhatArg>,
    /// Write here instead of standard output (`-`). The file is replaced only once the
    /// output is complete; one of the input files is refused.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Do not neutralise spreadsheet formulas in CSV text cells.
    #[arg(long)]
    pub no_formula_guard: bool,
    /// Print warnings, not only errors.
    #[arg(long)]
    pub warnings: bool,
    /// Write the values of secret elements (USERPASS, USERKEY, TAN, …) instead of ***.
    #[arg(long)]
    pub show_secrets: bool,
    /// A row with problems (errors found inside its element, listed in its `problems`
    /// column): write it marked, skip it, or stop with exit status 1 (the row is not
    /// written).
    #[arg(long, value_enum, default_value = "mark")]
    pub on_error: OnErrorArg,
    /// The options of --to ofx1|ofx2.
    #[command(flatten)]
    pub ofx: OfxOutArgs,
}

/// `convert --to ofx1|ofx2`: how the OFX file is written.
#[derive(Debug, Args)]
pub struct OfxOutArgs {
    /// The OFX version written (default: the source's own when it is of the family asked
    /// for, else 160 for ofx1 and 211 for ofx2).
    #[arg(long = "version", value_name = "VERSION", value_parser = ofx_version_arg)]
    pub ofx_version: Option<ofxkit::write::OfxVersion>,
    /// OFX 1.x: close every element, leaves too (servers leave leaves open).
    #[arg(long)]
    pub close_all: bool,
    /// OFX 1.x: the encoding the header declares and the text is written in.
    #[arg(long, value_enum)]
    pub charset: Option<CharsetArg>,
    /// Write a character the target cannot hold as `?`, and leave out values the source did
    /// not finish, instead of failing (each counted in a warning).
    #[arg(long)]
    pub lossy: bool,
    /// CURDEF of statements converted from OFC, which names no currency (default XXX).
    #[arg(long, value_name = "CUR")]
    pub currency: Option<String>,
}

/// `convert --charset`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CharsetArg {
    /// Windows-1252 (ENCODING:USASCII, CHARSET:1252), the default.
    Cp1252,
    /// 7-bit US-ASCII (ENCODING:USASCII, CHARSET:NONE).
    Usascii,
    /// UTF-8 (ENCODING:UTF-8, CHARSET:NONE).
    Utf8,
}

/// Reads an OFX version number (`102` … `220`).
fn ofx_version_arg(s: &str) -> Result<ofxkit::write::OfxVersion, String> {
    let all: Vec<String> = ofxkit::write::OfxVersion::ALL.iter().map(|v| v.to_string()).collect();
    s.trim()
        .parse::<u16>()
        .ok()
        .and_then(ofxkit::write::OfxVersion::from_number)
        .ok_or_else(|| format!("\"{s}\" is not an OFX version: one of {}", all.join(", ")))
}

/// `convert --on-error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OnErrorArg {
    /// Write the row, its problems in the `problems` column.
    Mark,
    /// Leave the row out (counted on standard error).
    Skip,
    /// Stop at the first such row.
    Fail,
}

/// Arguments of `ofxkit dump`.
#[derive(Debug, Args)]
pub struct DumpArgs {
    /// The file to read, or `-` for standard input.
    pub file: PathBuf,
    /// Print JSON instead of indented text.
    #[arg(long)]
    pub json: bool,
    /// Show each element's position (line:column and byte range).
    #[arg(long)]
    pub spans: bool,
    /// Report every leniency as an error.
    #[arg(long)]
    pub strict: bool,
    /// Print the values of secret elements (USERPASS, USERKEY, TAN, …) instead of ***.
    #[arg(long)]
    pub show_secrets: bool,
}

/// Output format of `validate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FindingsFormat {
    /// `file:line:col: severity[RULE]: message`, the source line with a caret, help, counts.
    Human,
    /// One JSON object per finding per line (JSON Lines).
    Json,
    /// One SARIF 2.1.0 log for all files.
    Sarif,
}

/// `validate --profile`: the library's profile names (`ValidationProfile::name`).
fn profile_parser() -> impl TypedValueParser<Value = ValidationProfile> {
    PossibleValuesParser::new(ValidationProfile::ALL.map(ValidationProfile::name))
        .try_map(|name: String| ValidationProfile::from_name(&name).ok_or("unknown profile"))
}

/// When to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorArg {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// Arguments of `ofxkit validate`.
///
/// Exit status: 0 no errors; 1 a file has errors (with --strict, warnings too); 2 usage or
/// I/O trouble.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Files and directories (searched for .ofx, .qfx, .qbo and .ofc files that are regular
    /// files); `-` reads standard input.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// The specification to check against: auto (from the file: OFC root, else the header
    /// VERSION), ofc, ofx102, ofx103, ofx160, ofx200, ofx211, ofx220, or qfx (Intuit
    /// elements expected).
    #[arg(long, value_parser = profile_parser(), default_value = "auto")]
    pub profile: ValidationProfile,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: FindingsFormat,
    /// Count warnings as errors.
    #[arg(long)]
    pub strict: bool,
    /// Report this rule or reader code as an error (repeatable; `OFX-SEM-*` for a prefix).
    #[arg(long, value_name = "RULE")]
    pub deny: Vec<String>,
    /// Do not report this rule or reader code (repeatable; `W-*` for a prefix).
    #[arg(long, value_name = "RULE")]
    pub allow: Vec<String>,
    /// Colour the human output.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorArg,
    /// Files checked at once (default: one per core; at most four per core and 256).
    #[arg(short, long)]
    pub jobs: Option<usize>,
    /// Leave out the per-rule summary table.
    #[arg(long)]
    pub no_summary: bool,
    /// Show the values of secret elements (USERPASS, USERKEY, TAN, …) in source lines
    /// instead of *** (messages never quote them).
    #[arg(long)]
    pub show_secrets: bool,
    /// Keep at most N findings of one rule or reader code per file (0: all). The rest are
    /// counted: one finding per capped rule, at the first one left out, says how many more
    /// there were, and the counts at the end include them.
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub max_findings: u32,
}
