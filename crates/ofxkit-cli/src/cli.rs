//! Command-line syntax (clap). Kept separate from what the commands do.

use std::path::PathBuf;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand};
use ofxkit::validate::ValidationProfile;

use crate::format::{self, Format};

/// Read, check and convert OFX 1.x/2.x, QFX and OFC files.
///
/// Exit status, in every command: 0 fine; 1 a file had errors (with --strict, warnings
/// too); 2 usage or I/O trouble: a missing or unreadable input is named with its path, and
/// nothing is written (no empty table, state or header).
#[derive(Debug, Parser)]
#[command(name = "ofxkit", version)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print a file's element tree (`-` reads standard input).
    ///
    /// Findings go to standard error as `file:line:col: severity[CODE]: message`.
    ///
    /// Exit status: 0 the file was read without errors; 1 it has errors (with --strict,
    /// warnings too) or is not OFX at all; 2 usage or I/O trouble (a missing or unreadable
    /// file is named; nothing is written).
    Dump(DumpArgs),
    /// Convert statements, accounts or payees to JSON, NDJSON or CSV, or a file to OFX 1.x/2.x.
    ///
    /// Findings go to standard error; each row's `problems` column lists the errors found
    /// inside its element. With --to ofx1|ofx2, one file is written as a complete OFX file:
    /// exit status 1 when it cannot be written (nothing is written) or has errors of its own.
    ///
    /// Exit status: 0 every row is clean; 1 a row has problems (written marked, left out, or
    /// stopping the conversion) or a file is not OFX at all; with the whole document (JSON
    /// without --what) any error counts. An error in a part no row carries (the sign-on's
    /// DTSERVER, a statement's DTEND when transactions are written) is reported but exits 0,
    /// unless --strict (then any error or warning counts). 2 usage or I/O trouble (a missing
    /// or unreadable input is named; nothing is written).
    Convert(ConvertArgs),
    /// Check files against the OFX/OFC specifications.
    ///
    /// Every finding has a rule id (`ofxkit rules` lists them) or a reader code, a position
    /// and the element path.
    ///
    /// Exit status: 0 no errors; 1 errors found (with --strict, warnings too); 2 usage or I/O
    /// trouble (a path that could not be read is named on standard error, and the others are
    /// still checked).
    Validate(ValidateArgs),
    /// Bill-pay synchronization (`sync replay`).
    ///
    /// Exit status: see `ofxkit sync replay --help`.
    Sync(SyncArgs),
    /// List the upcoming payments of recurring-payment models and card plans.
    ///
    /// Exit status: 0 every model could be scheduled; 1 a file is not OFX or has errors, a
    /// model has no usable FREQ, NINSTS or first due date, or a plan-log line was refused or
    /// warned about; 2 usage or I/O trouble (a missing or unreadable input is named; no table
    /// is written).
    Schedule(ScheduleArgs),
    /// A ledger that merges repeated downloads without losing or doubling a transaction,
    /// and reports each account's state (SQLite file or PostgreSQL).
    Ledger(crate::commands::ledger::LedgerArgs),
    /// Write a request file for an OFX server: a statement, a bill-pay synchronization, a
    /// payment, payee or recurring model added, changed or cancelled.
    ///
    /// The sign-on takes --user and the password from --password-file or the terminal
    /// (never the command line), --fi-org/--fi-id and --app-id/--app-ver (default QWIN
    /// 2700), or all of these from --fi NAME's profile; every message gets a fresh TRNUID
    /// (a random UUID) and DTCLIENT is now, in UTC. The file holds the password: it is
    /// created readable by its owner only. With --post URL the request is sent instead and
    /// the server's answer written (as `get` does).
    ///
    /// Exit status: 0 written (with --post: the answer checked and written); 1 with --post,
    /// the server answered with an error (an HTTP error status, not OFX, or an error
    /// STATUS in the sign-on or a transaction; nothing written); 2 usage or I/O trouble
    /// (an option missing, a state without the id, no password; with --post no answer:
    /// network, TLS, timeout; nothing written).
    Request(crate::commands::request::RequestArgs),
    /// Send a request file to an OFX server (`get URL REQUEST.ofx`), or build one and send
    /// it to an institution of the profile file (`get --fi NAME KIND …`), and write the
    /// answer byte for byte once it is checked.
    ///
    /// POST with Content-Type application/x-ofx, over HTTPS (plain HTTP only to 127.0.0.1
    /// or localhost); redirects are not followed; one retry after a failed connection or
    /// an HTTP 5xx that is not OFX, never after a timeout once the request was sent. The
    /// answer must have a 2xx status, be OFX, and carry no error STATUS in its sign-on
    /// (15500: signon invalid, …) or transactions.
    ///
    /// Exit status: 0 the answer was checked and written; 1 the request file is not an OFX
    /// request, or the server answered with an error (an HTTP error status, an answer that
    /// is not OFX, an error STATUS; the error is printed and nothing written); 2 usage or
    /// I/O trouble, or no answer (network, TLS, timeout; nothing written).
    Get(crate::commands::get::GetArgs),
    /// List every rule id and reader code with its severity and help.
    ///
    /// The validator's rules (crates/ofxkit/docs/rules.md, anchored by the id in lower case),
    /// then the reader's codes.
    ///
    /// Exit status: 0 listed; 2 usage or I/O trouble.
    Rules(RulesArgs),
    /// Print a shell completion script, from these very definitions.
    ///
    /// For example `ofxkit completions bash > ~/.local/share/bash-completion/completions/ofxkit`.
    ///
    /// Exit status: 0 written; 2 usage or I/O trouble.
    Completions(CompletionsArgs),
    /// Print the manual page ofxkit(1), in roff, from these very definitions.
    ///
    /// For example `ofxkit man -o ofxkit.1 && man ./ofxkit.1`.
    ///
    /// Exit status: 0 written; 2 usage or I/O trouble.
    Man(ManArgs),
    /// Recurring card payments: card-processor plan logs (`recurring apply`).
    Recurring(RecurringArgs),
}

/// Arguments of `ofxkit completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum, ignore_case = true)]
    pub shell: clap_complete::Shell,
    /// Write here instead of standard output (`-`); the file is replaced only once complete.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Arguments of `ofxkit man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write here instead of standard output (`-`); the file is replaced only once complete.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// The formats `rules` writes.
pub const RULES_FORMATS: &[(Format, &str)] = &[
    (Format::Human, "one rule a paragraph: id, severity, profiles, what it checks, help"),
    (Format::Json, "one JSON array of rules"),
];

/// Arguments of `ofxkit rules`.
#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Output format (default: human; with -o FILE, the one its extension names).
    #[arg(long, value_name = "FORMAT", ignore_case = true, value_parser = format::parser(RULES_FORMATS))]
    pub format: Option<Format>,
    /// Write here instead of standard output (`-`); the file is replaced only once complete.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Arguments of `ofxkit recurring`.
#[derive(Debug, Args)]
pub struct RecurringArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: RecurringCommand,
}

/// The `recurring` subcommands.
#[derive(Debug, Subcommand)]
pub enum RecurringCommand {
    /// Apply card-processor plan logs (NDJSON, one event a line), in order, to a plan state
    /// and write the new state.
    ///
    /// Events: payment (a plan's first payment, with payments_no and interval_day),
    /// notification (current_payment_count), moveRecurrence, modifyRecurrencePrice,
    /// cancelRecurrence; the JSON Schema of a line is crates/ofxkit/schema/plan-log.schema.json.
    /// Every line gives a result object {action, code, message, details, orderId, source,
    /// line}, one JSON object a line, the code as the processor writes it (0x5000 OK, 0x4004
    /// purchase not found, …): to --results, else to standard output when -o names a file,
    /// else to standard error. A line already applied to the state is not applied again, so
    /// replaying a log changes nothing. Notifications that disagree with the state are
    /// warnings on standard error.
    ///
    /// Exit status: 0 every line applied (or already applied) with no warning; 1 a line was
    /// refused or warned about; 2 usage or I/O trouble, or a log could not be read (nothing
    /// written).
    Apply(RecurringApplyArgs),
}

/// Arguments of `ofxkit recurring apply`.
#[derive(Debug, Args)]
pub struct RecurringApplyArgs {
    /// Plan logs, applied in this order (`-` for standard input).
    #[arg(required = true, value_name = "LOG.ndjson")]
    pub logs: Vec<PathBuf>,
    /// Start from this plan state (written by an earlier apply) instead of an empty one.
    #[arg(long, value_name = "STATE.json")]
    pub state: Option<PathBuf>,
    /// Write the new state here instead of standard output (`-`); replaced only once the
    /// state is complete. It may be the --state file, not a log.
    #[arg(short, long, value_name = "NEW_STATE.json")]
    pub output: Option<PathBuf>,
    /// Write the result objects here (`-`: standard output, with -o FILE).
    #[arg(long, value_name = "FILE")]
    pub results: Option<PathBuf>,
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
    /// OFX (nothing written) or a finding needs attention; 2 usage or I/O trouble (a missing
    /// or unreadable input is named; no state is written or printed).
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
    /// Output format: the state is JSON.
    #[arg(long, value_name = "FORMAT", ignore_case = true, value_parser = format::parser(SYNC_FORMATS))]
    pub format: Option<Format>,
    /// Keep cancelled payments and models and deleted payees, marked, instead of dropping them.
    #[arg(long)]
    pub keep_cancelled: bool,
}

/// The format `sync replay` writes.
pub const SYNC_FORMATS: &[(Format, &str)] = &[(Format::Json, "the state, as JSON")];

/// Arguments of `ofxkit schedule`.
#[derive(Debug, Args)]
pub struct ScheduleArgs {
    /// OFX files with recurring-payment records (responses and sync responses, applied in
    /// order), card-processor plan logs (NDJSON, told from their first line), or first a
    /// state written by `sync replay` or `recurring apply`.
    #[arg(required_unless_present = "state")]
    pub files: Vec<PathBuf>,
    /// Start from this state (of `sync replay` or `recurring apply`).
    #[arg(long, value_name = "STATE.json")]
    pub state: Option<PathBuf>,
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
    /// Output format (default: table; with -o FILE, the one its extension names).
    #[arg(long, value_name = "FORMAT", ignore_case = true,
          value_parser = format::parser(SCHEDULE_FORMATS), conflicts_with_all = ["json", "csv"])]
    pub format: Option<Format>,
    /// The same as --format json (kept for scripts).
    #[arg(long, hide = true, conflicts_with = "csv")]
    pub json: bool,
    /// The same as --format csv (kept for scripts).
    #[arg(long, hide = true)]
    pub csv: bool,
    /// Write here instead of standard output (`-`); the file is replaced only once complete.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// The formats `schedule` writes.
pub const SCHEDULE_FORMATS: &[(Format, &str)] = &[
    (Format::Table, "an aligned table"),
    (Format::Json, "a JSON array of payments"),
    (Format::Csv, "CSV with a header line (payee names guarded against spreadsheet formulas)"),
];

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

/// The formats `convert` writes.
pub const CONVERT_FORMATS: &[(Format, &str)] = &[
    (Format::Json, "the whole document of each file (with --what, an array of rows)"),
    (Format::Ndjson, "one JSON object per row, one per line"),
    (Format::Csv, "CSV with a header line"),
    (Format::Ofx1, "one file as a complete OFX 1.x (SGML) file (see --version, --close-all)"),
    (Format::Ofx2, "one file as a complete OFX 2.x (XML) file (see --version)"),
    (Format::Beancount, "a beancount file (see --accounts, --existing)"),
    (Format::Ledger, "a ledger-cli / hledger journal (see --accounts, --existing)"),
    (Format::Qif, "QIF for GnuCash and Quicken (see --qif-date)"),
    (Format::Parquet, "Parquet files in the directory -o names (see --partition)"),
];

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
    /// Files and directories (searched, as `validate` does, for .ofx, .qfx, .qbo and .ofc
    /// files that are regular files; --ext adds extensions); `-` reads standard input.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Also look for files with this extension in directories (repeatable, or
    /// comma-separated).
    #[arg(long, value_name = "EXT")]
    pub ext: Vec<String>,
    /// Output format (default: json; with -o FILE, the one its extension names).
    #[arg(long = "format", visible_alias = "to", value_name = "FORMAT", ignore_case = true,
          value_parser = format::parser(CONVERT_FORMATS))]
    pub format: Option<Format>,
    /// Rows to write (default: the whole document for JSON, transactions otherwise).
    #[arg(long, value_enum, ignore_case = true)]
    pub what: Option<WhatArg>,
    /// Write here instead of standard output (`-`). The file is replaced only once the
    /// output is complete; one of the input files is refused.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Do not neutralise spreadsheet formulas in CSV text cells.
    #[arg(long)]
    pub no_formula_guard: bool,
    /// Print warnings, not only errors.
    #[arg(long)]
    pub warnings: bool,
    /// Count every error and warning, wherever it is, towards exit status 1 (and print
    /// warnings).
    #[arg(long)]
    pub strict: bool,
    /// Print no findings (the exit status still counts them).
    #[arg(short, long, conflicts_with = "warnings")]
    pub quiet: bool,
    /// Write the values of secret elements (USERPASS, USERKEY, TAN, …) instead of ***.
    #[arg(long)]
    pub show_secrets: bool,
    /// A row with problems (errors found inside its element, listed in its `problems`
    /// column): write it marked, skip it, or stop with exit status 1 (the row is not
    /// written).
    #[arg(long, value_enum, default_value = "mark", ignore_case = true)]
    pub on_error: OnErrorArg,
    /// The options of --to ofx1|ofx2.
    #[command(flatten)]
    pub ofx: OfxOutArgs,
    /// The options of --to beancount|ledger|qif|parquet.
    #[command(flatten)]
    pub export: ExportOutArgs,
}

/// `convert --to beancount|ledger|qif|parquet`: account names, what is already written,
/// dates, partitions.
#[derive(Debug, Args)]
pub struct ExportOutArgs {
    /// beancount, ledger, qif: account names per account id and currency, and payee rules
    /// choosing the counter-account (a TOML file; see the README).
    #[arg(long, value_name = "MAP.toml")]
    pub accounts: Option<PathBuf>,
    /// beancount, ledger: leave out the transactions whose ofxid this journal already holds
    /// (and the accounts it already opens), so that the output can be appended to it.
    #[arg(long, value_name = "JOURNAL")]
    pub existing: Option<PathBuf>,
    /// qif: how dates are written (default mdy, the US form).
    #[arg(long, value_enum, ignore_case = true)]
    pub qif_date: Option<QifDateArg>,
    /// parquet: one file per input (default), or a dataset partitioned by account or month
    /// (`account=…/` or `month=YYYY-MM/` directories).
    #[arg(long, value_enum, ignore_case = true)]
    pub partition: Option<PartitionArg>,
}

/// `convert --qif-date`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum QifDateArg {
    /// MM/DD/YYYY.
    Mdy,
    /// DD/MM/YYYY.
    Dmy,
    /// YYYY-MM-DD.
    Ymd,
}

/// `convert --partition`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PartitionArg {
    /// One directory per account (`account=ACCTID`).
    Account,
    /// One directory per month of the posted date (`month=YYYY-MM`).
    Month,
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
    /// Output format (default: human; with -o FILE, the one its extension names).
    #[arg(long, value_name = "FORMAT", ignore_case = true, value_parser = format::parser(DUMP_FORMATS))]
    pub format: Option<Format>,
    /// The same as --format json (kept for scripts).
    #[arg(long, hide = true, conflicts_with = "format")]
    pub json: bool,
    /// Write here instead of standard output (`-`); the file is replaced only once complete.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Show each element's position (line:column and byte range).
    #[arg(long)]
    pub spans: bool,
    /// Count warnings as errors: every tolerated deviation is reported as an error, and any
    /// finding makes exit status 1.
    #[arg(long)]
    pub strict: bool,
    /// Print no findings (the exit status still counts them).
    #[arg(short, long)]
    pub quiet: bool,
    /// Print the values of secret elements (USERPASS, USERKEY, TAN, …) instead of ***.
    #[arg(long)]
    pub show_secrets: bool,
}

/// The formats `dump` writes.
pub const DUMP_FORMATS: &[(Format, &str)] = &[
    (Format::Human, "the tree, indented, leaves as NAME = \"value\""),
    (Format::Json, "header, diagnostics and tree as one JSON object"),
];

/// The formats `validate` writes.
pub const VALIDATE_FORMATS: &[(Format, &str)] = &[
    (
        Format::Human,
        "file:line:col: severity[RULE]: message, the source line with a caret, help, counts",
    ),
    (Format::Json, "one JSON array of findings"),
    (Format::Ndjson, "one JSON object per finding per line"),
    (Format::Sarif, "one SARIF 2.1.0 log for all files"),
];

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
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Files and directories (searched for .ofx, .qfx, .qbo and .ofc files that are regular
    /// files; --ext adds extensions); `-` reads standard input.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Also look for files with this extension in directories (repeatable, or
    /// comma-separated).
    #[arg(long, value_name = "EXT")]
    pub ext: Vec<String>,
    /// The specification to check against: auto (from the file: OFC root, else the header
    /// VERSION), ofc, ofx102, ofx103, ofx160, ofx200, ofx211, ofx220, or qfx (Intuit
    /// elements expected).
    #[arg(long, value_parser = profile_parser(), default_value = "auto", ignore_case = true)]
    pub profile: ValidationProfile,
    /// Output format (default: human; with -o FILE, the one its extension names).
    #[arg(long, value_name = "FORMAT", ignore_case = true, value_parser = format::parser(VALIDATE_FORMATS))]
    pub format: Option<Format>,
    /// Write here instead of standard output (`-`); the file is replaced only once complete.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Count warnings as errors: they are reported as errors and make exit status 1.
    #[arg(long)]
    pub strict: bool,
    /// Write no report, only the exit status (unreadable paths are still named on standard
    /// error).
    #[arg(short, long)]
    pub quiet: bool,
    /// Report this rule or reader code as an error (repeatable; `OFX-SEM-*` for a prefix).
    #[arg(long, value_name = "RULE")]
    pub deny: Vec<String>,
    /// Do not report this rule or reader code (repeatable; `W-*` for a prefix).
    #[arg(long, value_name = "RULE")]
    pub allow: Vec<String>,
    /// Colour the human output.
    #[arg(long, value_enum, default_value = "auto", ignore_case = true)]
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
