//! `ofxkit request KIND …`: write a request file for an OFX server (or, with `--post URL`,
//! send it and keep the answer).
//!
//! The request is built by `ofxkit::request` and written by the OFX writer with the
//! password in it: a request file is the one output that holds a secret, so it is created
//! readable by its owner only.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::{ArgGroup, Args, Subcommand, ValueEnum};
use ofxkit::Decimal;
use ofxkit::codes::ofx::{AccountType, Freq};
use ofxkit::model::SyncKind;
use ofxkit::request::{
    Account, BillPay, Message, PayeeAddress, PayeeRef, PaymentInstruction, Recurrence, Request,
    RequestError, SignOn, SyncFrom, SyncRequest, live_payee, live_payment, live_recurring,
};
use ofxkit::sync::SyncState;
use ofxkit::syntax::escape_controls;
use ofxkit::write::OfxVersion;
use ofxkit_client::profile::{self, Institution, Profiles};

use crate::destination::Output;
use crate::output::{Failure, Status};

/// The version written when neither `--version` nor the institution's profile says: OFX
/// 1.0.2, the one servers most widely accept.
pub const DEFAULT_VERSION: OfxVersion = OfxVersion::V102;

/// Arguments of `ofxkit request`.
#[derive(Debug, Args)]
pub struct RequestArgs {
    /// What to ask for.
    #[command(subcommand)]
    pub kind: RequestKind,
    /// Where the request goes, the answer and the institution.
    #[command(flatten)]
    pub place: PlaceArgs,
}

/// The options `request` and `get` share, given before or after the kind.
#[derive(Debug, Args)]
pub struct PlaceArgs {
    /// Write here instead of standard output (`-`): the request, or with --post (and in
    /// `get`) the server's answer. Replaced only once complete; a request file is made
    /// readable by its owner only (it holds the password).
    #[arg(short, long, value_name = "FILE", global = true)]
    pub output: Option<PathBuf>,
    /// The institution, by its name in the profile file: its URL, FI ORG and FID, OFX
    /// version, APPID/APPVER, and USERID and BANKID when not given.
    #[arg(long, value_name = "NAME", global = true)]
    pub fi: Option<String>,
    /// The profile file of institutions (TOML; default ofxkit/institutions.toml in the
    /// configuration directory: $XDG_CONFIG_HOME, else ~/.config).
    #[arg(long, value_name = "FILE", global = true)]
    pub profiles: Option<PathBuf>,
    /// Seconds to wait for the server's answer once the request is sent (default 120).
    #[arg(long, value_name = "SECONDS", global = true)]
    pub timeout: Option<u64>,
    /// Seconds to wait for the connection (default 30).
    #[arg(long, value_name = "SECONDS", global = true)]
    pub connect_timeout: Option<u64>,
    /// Trust the certificate authorities of this PEM file instead of the Mozilla roots (a
    /// server behind a private authority).
    #[arg(long, value_name = "PEM", global = true)]
    pub cacert: Option<PathBuf>,
}

/// The kinds of request.
#[derive(Debug, Subcommand)]
pub enum RequestKind {
    /// A statement of a bank account (--bank-id, --acct-id, --acct-type), a credit card
    /// (--acct-id alone) or an investment account (--broker-id, --acct-id), for --from/--to
    /// or the window the ledger computes (--from-ledger DB).
    Statement(StatementArgs),
    /// Synchronize the payments of a bank account (PMTSYNCRQ).
    PaymentsSync(SyncArgs),
    /// Synchronize the payee list (PAYEESYNCRQ).
    PayeesSync(SyncArgs),
    /// Synchronize the recurring payment models of a bank account (RECPMTSYNCRQ).
    RecurringSync(SyncArgs),
    /// A new payment (PMTRQ).
    PaymentAdd(PaymentAddArgs),
    /// Change a payment of a replayed state: amount, due date (PMTMODRQ).
    PaymentModify(PaymentModifyArgs),
    /// Cancel a payment of a replayed state (PMTCANCRQ).
    PaymentCancel(PaymentIdArgs),
    /// Add a payee to the list (PAYEERQ): by the institution's --payee-id or by address.
    PayeeAdd(PayeeAddArgs),
    /// Change a payee of a replayed state: address, PAYACCT (PAYEEMODRQ).
    PayeeModify(PayeeModifyArgs),
    /// Delete a payee of a replayed state (PAYEEDELRQ).
    PayeeDelete(PayeeIdArgs),
    /// A new recurring payment model (RECPMTRQ).
    RecurringAdd(RecurringAddArgs),
    /// Change a recurring model of a replayed state: amount, next due date, number of
    /// payments, and with --modify-pending the payments already scheduled (RECPMTMODRQ).
    RecurringModify(RecurringModifyArgs),
    /// Cancel a recurring model of a replayed state (RECPMTCANCRQ).
    RecurringCancel(RecurringCancelArgs),
}

/// The sign-on and how the request is written and sent.
#[derive(Debug, Args)]
pub struct CommonArgs {
    /// USERID (default: the institution's `user` in the profile file).
    #[arg(long)]
    pub user: Option<String>,
    /// Read the password from the first line of this file (`-`: standard input); without
    /// it the password is asked on the terminal (when standard input is one), not echoed. There is no option taking the
    /// password itself: a command line is seen by every user of the machine.
    #[arg(long, value_name = "FILE")]
    pub password_file: Option<PathBuf>,
    /// FI ORG of the sign-on.
    #[arg(long, value_name = "ORG")]
    pub fi_org: Option<String>,
    /// FI FID of the sign-on.
    #[arg(long, value_name = "FID")]
    pub fi_id: Option<String>,
    /// APPID (default QWIN, or the profile's).
    #[arg(long, value_name = "ID")]
    pub app_id: Option<String>,
    /// APPVER (default 2700, or the profile's).
    #[arg(long, value_name = "VER")]
    pub app_ver: Option<String>,
    /// The OFX version written: 102, 103, 151, 160 (SGML) or 200 … 220 (XML); default the
    /// profile's, else 102.
    #[arg(long = "version", value_name = "VERSION", value_parser = ofx_version_arg)]
    pub ofx_version: Option<OfxVersion>,
    /// Send the request to this URL (HTTPS; plain HTTP only to 127.0.0.1 or localhost) and
    /// write the server's answer (to -o) instead of the request.
    #[arg(long, value_name = "URL")]
    pub post: Option<String>,
}

/// `--acct-type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AcctTypeArg {
    /// CHECKING.
    Checking,
    /// SAVINGS.
    Savings,
    /// MONEYMRKT.
    Moneymrkt,
    /// CREDITLINE.
    Creditline,
    /// CD.
    Cd,
    /// CMA.
    Cma,
}

impl AcctTypeArg {
    fn code(self) -> AccountType {
        match self {
            AcctTypeArg::Checking => AccountType::Checking,
            AcctTypeArg::Savings => AccountType::Savings,
            AcctTypeArg::Moneymrkt => AccountType::MoneyMarket,
            AcctTypeArg::Creditline => AccountType::CreditLine,
            AcctTypeArg::Cd => AccountType::Cd,
            AcctTypeArg::Cma => AccountType::Cma,
        }
    }
}

/// The account.
#[derive(Debug, Args)]
pub struct AccountArgs {
    /// BANKID (routing number) of a bank account (default: the profile's bank_id).
    #[arg(long, value_name = "ID")]
    pub bank_id: Option<String>,
    /// BRANCHID of a bank account.
    #[arg(long, value_name = "ID")]
    pub branch_id: Option<String>,
    /// ACCTID: the account or card number.
    #[arg(long, value_name = "ID")]
    pub acct_id: Option<String>,
    /// ACCTTYPE of a bank account.
    #[arg(long, value_enum, ignore_case = true)]
    pub acct_type: Option<AcctTypeArg>,
    /// BROKERID of an investment account.
    #[arg(long, value_name = "ID", conflicts_with_all = ["bank_id", "branch_id", "acct_type"])]
    pub broker_id: Option<String>,
}

/// Arguments of `request statement`.
#[derive(Debug, Args)]
pub struct StatementArgs {
    #[command(flatten)]
    account: AccountArgs,
    /// First day of transactions (YYYY-MM-DD or YYYYMMDD).
    #[arg(long, value_parser = day_arg)]
    from: Option<NaiveDate>,
    /// Last day of transactions.
    #[arg(long, value_parser = day_arg)]
    to: Option<NaiveDate>,
    /// Ask for the window `ofxkit ledger window` computes for this account in this ledger
    /// (an SQLite file or a postgres:// URL).
    #[arg(long, value_name = "DB", conflicts_with_all = ["from", "to"])]
    from_ledger: Option<String>,
    /// With --from-ledger: how far back the institution lets a download go, in days.
    #[arg(long, requires = "from_ledger")]
    days_back: Option<u32>,
    /// With --from-ledger: the user has just authenticated strongly.
    #[arg(long, requires = "from_ledger")]
    sca: bool,
    /// With --from-ledger: today (default: the machine's UTC date).
    #[arg(long, value_parser = day_arg, requires = "from_ledger")]
    today: Option<NaiveDate>,
    /// With --from-ledger: a paged download's id (the window is pinned under it).
    #[arg(long, value_name = "ID", requires = "from_ledger")]
    download: Option<String>,
    #[command(flatten)]
    common: CommonArgs,
}

/// Arguments of the `…-sync` requests.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("start").required(true).args(["token", "refresh", "token_only", "from_state"])))]
pub struct SyncArgs {
    #[command(flatten)]
    account: AccountArgs,
    /// Every change after this token (`0`: the whole history).
    #[arg(long)]
    token: Option<String>,
    /// The current state only (REFRESH Y).
    #[arg(long)]
    refresh: bool,
    /// Only the current token (TOKENONLY Y).
    #[arg(long)]
    token_only: bool,
    /// The token `ofxkit sync replay` kept in this state for the account (or the payee
    /// list).
    #[arg(long, value_name = "STATE.json")]
    from_state: Option<PathBuf>,
    /// REJECTIFMISSING Y.
    #[arg(long)]
    reject_if_missing: bool,
    #[command(flatten)]
    common: CommonArgs,
}

/// A payee's address (`PAYEE`).
#[derive(Debug, Args)]
pub struct PayeeAddressArgs {
    /// NAME.
    #[arg(long, value_name = "NAME")]
    payee_name: Option<String>,
    /// ADDR1…ADDR3 (repeatable, up to three lines).
    #[arg(long, value_name = "LINE")]
    payee_addr: Vec<String>,
    /// CITY.
    #[arg(long, value_name = "CITY")]
    payee_city: Option<String>,
    /// STATE.
    #[arg(long, value_name = "STATE")]
    payee_state: Option<String>,
    /// POSTALCODE.
    #[arg(long, value_name = "CODE")]
    payee_postal_code: Option<String>,
    /// COUNTRY.
    #[arg(long, value_name = "CODE")]
    payee_country: Option<String>,
    /// PHONE.
    #[arg(long, value_name = "PHONE")]
    payee_phone: Option<String>,
}

impl PayeeAddressArgs {
    fn any(&self) -> bool {
        self.payee_name.is_some()
            || !self.payee_addr.is_empty()
            || self.payee_city.is_some()
            || self.payee_state.is_some()
            || self.payee_postal_code.is_some()
            || self.payee_country.is_some()
            || self.payee_phone.is_some()
    }

    /// The address given, over `base` (a state's) when there is one.
    fn over(&self, base: Option<PayeeAddress>) -> PayeeAddress {
        let mut a = base.unwrap_or(PayeeAddress {
            name: String::new(),
            address: Vec::new(),
            city: String::new(),
            state: String::new(),
            postal_code: String::new(),
            country: None,
            phone: String::new(),
        });
        let set = |field: &mut String, v: &Option<String>| {
            if let Some(v) = v {
                field.clone_from(v);
            }
        };
        set(&mut a.name, &self.payee_name);
        set(&mut a.city, &self.payee_city);
        set(&mut a.state, &self.payee_state);
        set(&mut a.postal_code, &self.payee_postal_code);
        set(&mut a.phone, &self.payee_phone);
        if self.payee_country.is_some() {
            a.country.clone_from(&self.payee_country);
        }
        if !self.payee_addr.is_empty() {
            a.address.clone_from(&self.payee_addr);
        }
        a
    }
}

/// What a new payment (or model) pays.
#[derive(Debug, Args)]
pub struct PaymentArgs {
    #[command(flatten)]
    account: AccountArgs,
    /// TRNAMT.
    #[arg(long, value_parser = amount_arg)]
    amount: Decimal,
    /// DTDUE (for a model: the first payment's).
    #[arg(long, value_parser = day_arg)]
    due: NaiveDate,
    /// PAYACCT: your account number at the payee (default, with --payee-list-id: the
    /// entry's first).
    #[arg(long, value_name = "ACCT")]
    pay_acct: Option<String>,
    /// PAYEEID: a payee the institution knows.
    #[arg(long, value_name = "ID", conflicts_with = "payee_list_id")]
    payee_id: Option<String>,
    /// PAYEELSTID: a payee of your list, its address taken from --from-state.
    #[arg(long, value_name = "ID", requires = "from_state")]
    payee_list_id: Option<String>,
    /// The replayed state (of `ofxkit sync replay`) holding --payee-list-id.
    #[arg(long, value_name = "STATE.json")]
    from_state: Option<PathBuf>,
    #[command(flatten)]
    payee: PayeeAddressArgs,
    /// MEMO.
    #[arg(long)]
    memo: Option<String>,
}

/// Arguments of `request payment-add`.
#[derive(Debug, Args)]
pub struct PaymentAddArgs {
    #[command(flatten)]
    payment: PaymentArgs,
    #[command(flatten)]
    common: CommonArgs,
}

/// Arguments of `request payment-modify`.
#[derive(Debug, Args)]
pub struct PaymentModifyArgs {
    /// The replayed state (of `ofxkit sync replay`) holding the payment.
    #[arg(long, value_name = "STATE.json")]
    from_state: PathBuf,
    /// SRVRTID of the payment.
    #[arg(long, value_name = "ID")]
    srvrtid: String,
    /// The new TRNAMT.
    #[arg(long, value_parser = amount_arg)]
    amount: Option<Decimal>,
    /// The new DTDUE.
    #[arg(long, value_parser = day_arg)]
    due: Option<NaiveDate>,
    #[command(flatten)]
    common: CommonArgs,
}

/// Arguments of `request payment-cancel`.
#[derive(Debug, Args)]
pub struct PaymentIdArgs {
    /// The replayed state (of `ofxkit sync replay`) holding the payment.
    #[arg(long, value_name = "STATE.json")]
    from_state: PathBuf,
    /// SRVRTID of the payment.
    #[arg(long, value_name = "ID")]
    srvrtid: String,
    #[command(flatten)]
    common: CommonArgs,
}

/// Arguments of `request payee-add`.
#[derive(Debug, Args)]
pub struct PayeeAddArgs {
    /// PAYEEID: a payee the institution knows (instead of an address).
    #[arg(long, value_name = "ID")]
    payee_id: Option<String>,
    #[command(flatten)]
    payee: PayeeAddressArgs,
    /// PAYACCT: your account number at the payee (repeatable).
    #[arg(long, value_name = "ACCT")]
    pay_acct: Vec<String>,
    #[command(flatten)]
    common: CommonArgs,
}

/// Arguments of `request payee-modify`.
#[derive(Debug, Args)]
pub struct PayeeModifyArgs {
    /// The replayed state (of `ofxkit sync replay`) holding the payee.
    #[arg(long, value_name = "STATE.json")]
    from_state: PathBuf,
    /// PAYEELSTID of the payee.
    #[arg(long, value_name = "ID")]
    payee_list_id: String,
    /// The fields of the address to change (the others are the state's).
    #[command(flatten)]
    payee: PayeeAddressArgs,
    /// The new PAYACCTs (repeatable).
    #[arg(long, value_name = "ACCT")]
    pay_acct: Vec<String>,
    #[command(flatten)]
    common: CommonArgs,
}

/// Arguments of `request payee-delete`.
#[derive(Debug, Args)]
pub struct PayeeIdArgs {
    /// The replayed state (of `ofxkit sync replay`) holding the payee.
    #[arg(long, value_name = "STATE.json")]
    from_state: PathBuf,
    /// PAYEELSTID of the payee.
    #[arg(long, value_name = "ID")]
    payee_list_id: String,
    #[command(flatten)]
    common: CommonArgs,
}

/// `--freq`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FreqArg {
    /// WEEKLY.
    Weekly,
    /// BIWEEKLY.
    Biweekly,
    /// TWICEMONTHLY.
    Twicemonthly,
    /// MONTHLY.
    Monthly,
    /// FOURWEEKS.
    Fourweeks,
    /// BIMONTHLY.
    Bimonthly,
    /// QUARTERLY.
    Quarterly,
    /// SEMIANNUALLY.
    Semiannually,
    /// ANNUALLY.
    Annually,
}

impl FreqArg {
    fn code(self) -> Freq {
        match self {
            FreqArg::Weekly => Freq::Weekly,
            FreqArg::Biweekly => Freq::Biweekly,
            FreqArg::Twicemonthly => Freq::TwiceMonthly,
            FreqArg::Monthly => Freq::Monthly,
            FreqArg::Fourweeks => Freq::FourWeeks,
            FreqArg::Bimonthly => Freq::Bimonthly,
            FreqArg::Quarterly => Freq::Quarterly,
            FreqArg::Semiannually => Freq::Semiannually,
            FreqArg::Annually => Freq::Annually,
        }
    }
}

/// Arguments of `request recurring-add`.
#[derive(Debug, Args)]
pub struct RecurringAddArgs {
    #[command(flatten)]
    payment: PaymentArgs,
    /// FREQ.
    #[arg(long, value_enum, ignore_case = true)]
    freq: FreqArg,
    /// NINSTS: how many payments (default: until cancelled).
    #[arg(long, value_name = "N")]
    instalments: Option<u32>,
    /// INITIALAMT: the first payment, when it differs.
    #[arg(long, value_parser = amount_arg)]
    initial_amount: Option<Decimal>,
    /// FINALAMT: the last payment, when it differs.
    #[arg(long, value_parser = amount_arg)]
    final_amount: Option<Decimal>,
    #[command(flatten)]
    common: CommonArgs,
}

/// Arguments of `request recurring-modify`.
#[derive(Debug, Args)]
pub struct RecurringModifyArgs {
    /// The replayed state (of `ofxkit sync replay`) holding the model.
    #[arg(long, value_name = "STATE.json")]
    from_state: PathBuf,
    /// RECSRVRTID of the model.
    #[arg(long, value_name = "ID")]
    recsrvrtid: String,
    /// The new TRNAMT.
    #[arg(long, value_parser = amount_arg)]
    amount: Option<Decimal>,
    /// Move the next payment to this day (PMTINFO DTDUE).
    #[arg(long, value_parser = day_arg)]
    next_due: Option<NaiveDate>,
    /// The new NINSTS.
    #[arg(long, value_name = "N")]
    instalments: Option<u32>,
    /// MODPENDING Y: change the payments already scheduled too.
    #[arg(long)]
    modify_pending: bool,
    #[command(flatten)]
    common: CommonArgs,
}

/// Arguments of `request recurring-cancel`.
#[derive(Debug, Args)]
pub struct RecurringCancelArgs {
    /// The replayed state (of `ofxkit sync replay`) holding the model.
    #[arg(long, value_name = "STATE.json")]
    from_state: PathBuf,
    /// RECSRVRTID of the model.
    #[arg(long, value_name = "ID")]
    recsrvrtid: String,
    /// CANPENDING Y: cancel the payments already scheduled too.
    #[arg(long)]
    cancel_pending: bool,
    #[command(flatten)]
    common: CommonArgs,
}

/// Reads an OFX version number.
fn ofx_version_arg(s: &str) -> Result<OfxVersion, String> {
    let all: Vec<String> = OfxVersion::ALL.iter().map(|v| v.to_string()).collect();
    s.trim()
        .parse::<u16>()
        .ok()
        .and_then(OfxVersion::from_number)
        .ok_or_else(|| format!("\"{s}\" is not an OFX version: one of {}", all.join(", ")))
}

/// Accepts `YYYY-MM-DD` and `YYYYMMDD`.
fn day_arg(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%Y%m%d"))
        .map_err(|_| format!("\"{s}\" is not a date (YYYY-MM-DD or YYYYMMDD)"))
}

/// An exact decimal amount with a `.` mark.
fn amount_arg(s: &str) -> Result<Decimal, String> {
    let t = s.trim();
    let plain = !t.is_empty()
        && t.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
        && t.bytes().filter(|b| *b == b'.').count() <= 1;
    match t.parse::<Decimal>() {
        Ok(d) if plain => Ok(d),
        _ => Err(format!("\"{s}\" is not an amount (digits, one '.' mark)")),
    }
}

fn usage(e: RequestError) -> Failure {
    Failure::Usage(e.to_string())
}

/// The institution named by `--fi`, from `--profiles` or the default file.
pub fn institution(place: &PlaceArgs) -> Result<Option<Institution>, Failure> {
    let Some(name) = &place.fi else {
        if place.profiles.is_some() {
            return Err(Failure::Usage("--profiles goes with --fi NAME".to_owned()));
        }
        return Ok(None);
    };
    let path = match &place.profiles {
        Some(p) => p.clone(),
        None => profile::default_path().ok_or_else(|| {
            Failure::Usage(
                "no configuration directory (HOME is not set): give --profiles FILE".to_owned(),
            )
        })?,
    };
    let default = place.profiles.is_none();
    let profiles = Profiles::load(&path).map_err(|e| {
        let hint = if default && !path.exists() {
            " (write the institutions there, or give --profiles FILE)"
        } else {
            ""
        };
        Failure::Io(std::io::Error::other(format!("{e}{hint}")))
    })?;
    profiles.get(name).cloned().map(Some).map_err(Failure::Usage)
}

/// A state written by `ofxkit sync replay`.
fn load_state(path: &Path) -> Result<SyncState, Failure> {
    let input = crate::input::read(path, ofxkit::syntax::Options::default().limits.max_input_size)?;
    let text = std::str::from_utf8(input.bytes()).map_err(|_| {
        Failure::Usage(format!("{}: a state file is UTF-8 JSON", input.shown_name()))
    })?;
    SyncState::from_json(text).map_err(|e| {
        Failure::Usage(format!(
            "{}: not a state of `ofxkit sync replay`: {}",
            input.shown_name(),
            escape_controls(&e.to_string())
        ))
    })
}

/// The account the options name: a bank account when it has an ACCTTYPE (its BANKID given
/// or the profile's), an investment account with a BROKERID, a card with the ACCTID alone.
fn account(a: &AccountArgs, fi: Option<&Institution>) -> Result<Account, Failure> {
    let acct_id = a.acct_id.clone().ok_or_else(|| {
        Failure::Usage("--acct-id is required (the account or card number)".to_owned())
    })?;
    if let Some(broker_id) = &a.broker_id {
        return Ok(Account::Investment { broker_id: broker_id.clone(), account_id: acct_id });
    }
    match a.acct_type {
        Some(t) => {
            let bank_id =
                a.bank_id.clone().or_else(|| fi.and_then(|f| f.bank_id.clone())).ok_or_else(
                    || {
                        Failure::Usage(
                            "a bank account needs --bank-id (or bank_id in the profile)".to_owned(),
                        )
                    },
                )?;
            Ok(Account::Bank {
                bank_id,
                branch_id: a.branch_id.clone(),
                account_id: acct_id,
                account_type: t.code(),
            })
        }
        None if a.bank_id.is_some() || a.branch_id.is_some() => Err(Failure::Usage(
            "a bank account needs --acct-type (a card is named by --acct-id alone)".to_owned(),
        )),
        None => Ok(Account::CreditCard { account_id: acct_id }),
    }
}

/// A bank account (bill pay).
fn bank_account(a: &AccountArgs, fi: Option<&Institution>) -> Result<Account, Failure> {
    match account(a, fi)? {
        bank @ Account::Bank { .. } => Ok(bank),
        _ => Err(Failure::Usage(
            "bill pay works on a bank account: give --bank-id, --acct-id and --acct-type"
                .to_owned(),
        )),
    }
}

/// The machine's time in UTC, to the millisecond (DTCLIENT).
fn now_utc() -> chrono::DateTime<chrono::Utc> {
    let since =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    let millis = i64::try_from(since.as_millis()).unwrap_or(0);
    chrono::DateTime::from_timestamp_millis(millis).unwrap_or_default()
}

/// A fresh TRNUID: a random UUID (version 4).
pub fn trnuid() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// The password: the first line of `--password-file` (`-`: standard input), else asked on
/// the terminal without echo.
fn password(common: &CommonArgs, user: &str) -> Result<String, Failure> {
    if let Some(path) = &common.password_file {
        let input = crate::input::read(path, 64 * 1024)?;
        let first = input.bytes().split(|b| *b == b'\n').next().unwrap_or_default();
        let line = std::str::from_utf8(first)
            .map_err(|_| {
                Failure::Usage(format!("{}: the password is not UTF-8", input.shown_name()))
            })?
            .trim_end_matches('\r')
            .to_owned();
        if line.is_empty() {
            return Err(Failure::Usage(format!(
                "{}: the password file is empty",
                input.shown_name()
            )));
        }
        return Ok(line);
    }
    use std::io::IsTerminal;
    if !std::io::stdin().is_terminal() {
        return Err(Failure::Usage(
            "no password: give --password-file FILE (- for standard input), or run on a terminal to be asked".to_owned(),
        ));
    }
    let prompt = format!("Password for {}: ", escape_controls(user));
    let typed = rpassword::prompt_password(prompt)?;
    if typed.is_empty() {
        return Err(Failure::Usage("no password typed".to_owned()));
    }
    Ok(typed)
}

/// What a built request is, and where it goes.
pub struct Built {
    /// The request file's bytes (with the password).
    pub bytes: Vec<u8>,
    /// `--post URL`.
    pub post: Option<String>,
}

fn common_of(kind: &RequestKind) -> &CommonArgs {
    match kind {
        RequestKind::Statement(a) => &a.common,
        RequestKind::PaymentsSync(a)
        | RequestKind::PayeesSync(a)
        | RequestKind::RecurringSync(a) => &a.common,
        RequestKind::PaymentAdd(a) => &a.common,
        RequestKind::PaymentModify(a) => &a.common,
        RequestKind::PaymentCancel(a) => &a.common,
        RequestKind::PayeeAdd(a) => &a.common,
        RequestKind::PayeeModify(a) => &a.common,
        RequestKind::PayeeDelete(a) => &a.common,
        RequestKind::RecurringAdd(a) => &a.common,
        RequestKind::RecurringModify(a) => &a.common,
        RequestKind::RecurringCancel(a) => &a.common,
    }
}

/// The message a kind asks for (ids and tokens from its state where it names one).
fn message(kind: &RequestKind, fi: Option<&Institution>) -> Result<Message, Failure> {
    let check = |c: BillPay| c.check().map(|()| Message::billpay(&trnuid(), &c)).map_err(usage);
    match kind {
        RequestKind::Statement(a) => {
            let account = account(&a.account, fi)?;
            let (from, to) = match &a.from_ledger {
                Some(db) => ledger_window(a, db, account.account_id())?,
                None => (a.from, a.to),
            };
            if let (Some(f), Some(t)) = (from, to)
                && f > t
            {
                return Err(Failure::Usage(format!("--from {f} is after --to {t}")));
            }
            Ok(Message::statement(&trnuid(), &account, from, to))
        }
        RequestKind::PaymentsSync(a) => sync_message(SyncKind::Payments, a, fi),
        RequestKind::PayeesSync(a) => sync_message(SyncKind::Payees, a, fi),
        RequestKind::RecurringSync(a) => sync_message(SyncKind::Recurring, a, fi),
        RequestKind::PaymentAdd(a) => check(BillPay::PaymentAdd(instruction(&a.payment, fi)?)),
        RequestKind::PaymentModify(a) => {
            let state = load_state(&a.from_state)?;
            if a.amount.is_none() && a.due.is_none() {
                return Err(Failure::Usage("payment-modify changes --amount or --due".to_owned()));
            }
            check(BillPay::modify_payment(&state, &a.srvrtid, a.amount, a.due).map_err(usage)?)
        }
        RequestKind::PaymentCancel(a) => {
            let state = load_state(&a.from_state)?;
            live_payment(&state, &a.srvrtid).map_err(usage)?;
            check(BillPay::PaymentCancel { server_id: a.srvrtid.clone() })
        }
        RequestKind::PayeeAdd(a) => {
            let payee = match &a.payee_id {
                Some(_) if a.payee.any() => {
                    return Err(Failure::Usage("--payee-id or an address, not both".to_owned()));
                }
                Some(id) => PayeeRef::Id(id.clone()),
                None => PayeeRef::Address(a.payee.over(None)),
            };
            check(BillPay::PayeeAdd { payee, pay_accounts: a.pay_acct.clone() })
        }
        RequestKind::PayeeModify(a) => {
            let state = load_state(&a.from_state)?;
            let entry = live_payee(&state, &a.payee_list_id).map_err(usage)?;
            let payee = if a.payee.any() {
                let what = format!("payee {}", ofxkit::syntax::shown(&a.payee_list_id));
                let base = match &entry.payee {
                    Some(p) => Some(PayeeAddress::from_state(p, &what).map_err(usage)?),
                    None => None,
                };
                Some(a.payee.over(base))
            } else {
                None
            };
            check(BillPay::PayeeModify {
                list_id: a.payee_list_id.clone(),
                payee,
                pay_accounts: a.pay_acct.clone(),
            })
        }
        RequestKind::PayeeDelete(a) => {
            let state = load_state(&a.from_state)?;
            live_payee(&state, &a.payee_list_id).map_err(usage)?;
            check(BillPay::PayeeDelete { list_id: a.payee_list_id.clone() })
        }
        RequestKind::RecurringAdd(a) => check(BillPay::RecurringAdd {
            recurrence: Recurrence { frequency: a.freq.code(), instalments: a.instalments },
            info: instruction(&a.payment, fi)?,
            initial_amount: a.initial_amount,
            final_amount: a.final_amount,
        }),
        RequestKind::RecurringModify(a) => {
            let state = load_state(&a.from_state)?;
            if a.amount.is_none() && a.next_due.is_none() && a.instalments.is_none() {
                return Err(Failure::Usage(
                    "recurring-modify changes --amount, --next-due or --instalments".to_owned(),
                ));
            }
            check(
                BillPay::modify_recurring(
                    &state,
                    &a.recsrvrtid,
                    a.amount,
                    a.next_due,
                    a.instalments,
                    a.modify_pending,
                )
                .map_err(usage)?,
            )
        }
        RequestKind::RecurringCancel(a) => {
            let state = load_state(&a.from_state)?;
            live_recurring(&state, &a.recsrvrtid).map_err(usage)?;
            check(BillPay::RecurringCancel {
                recurring_id: a.recsrvrtid.clone(),
                cancel_pending: a.cancel_pending,
            })
        }
    }
}

/// The `PMTINFO` of a new payment or model.
fn instruction(p: &PaymentArgs, fi: Option<&Institution>) -> Result<PaymentInstruction, Failure> {
    let account = bank_account(&p.account, fi)?;
    let (payee, list_id, pay_acct) = match (&p.payee_id, &p.payee_list_id) {
        (Some(_), _) if p.payee.any() => {
            return Err(Failure::Usage("--payee-id or an address, not both".to_owned()));
        }
        (Some(id), _) => (PayeeRef::Id(id.clone()), None, p.pay_acct.clone()),
        (None, Some(list_id)) => {
            let state = match &p.from_state {
                Some(path) => load_state(path)?,
                None => {
                    return Err(Failure::Usage("--payee-list-id needs --from-state".to_owned()));
                }
            };
            let entry = live_payee(&state, list_id).map_err(usage)?;
            let what = format!("payee {}", ofxkit::syntax::shown(list_id));
            let payee = match (
                &entry.payee,
                entry.extended_payee.as_ref().and_then(|x| x.payee_id.clone()),
            ) {
                (Some(data), _) => {
                    let base = PayeeAddress::from_state(data, &what).map_err(usage)?;
                    PayeeRef::Address(p.payee.over(Some(base)))
                }
                (None, Some(id)) => PayeeRef::Id(id),
                (None, None) => {
                    return Err(Failure::Usage(format!("{what} in the state has no address")));
                }
            };
            let pay_acct = p.pay_acct.clone().or_else(|| entry.pay_accounts.first().cloned());
            (payee, Some(list_id.clone()), pay_acct)
        }
        (None, None) => (PayeeRef::Address(p.payee.over(None)), None, p.pay_acct.clone()),
    };
    Ok(PaymentInstruction {
        account,
        amount: p.amount,
        payee,
        payee_list_id: list_id,
        pay_account: pay_acct.ok_or_else(|| {
            Failure::Usage("--pay-acct is required (your account number at the payee)".to_owned())
        })?,
        due: p.due,
        memo: p.memo.clone(),
    })
}

/// A synchronization request.
fn sync_message(
    kind: SyncKind,
    a: &SyncArgs,
    fi: Option<&Institution>,
) -> Result<Message, Failure> {
    let account = match kind {
        SyncKind::Payees => {
            if a.account.acct_id.is_some() || a.account.bank_id.is_some() {
                return Err(Failure::Usage(
                    "the payee list is synchronized per user: no account options".to_owned(),
                ));
            }
            None
        }
        _ => Some(bank_account(&a.account, fi)?),
    };
    let from = match (&a.token, a.refresh, a.token_only, &a.from_state) {
        (Some(t), ..) => SyncFrom::Token(t.clone()),
        (_, true, ..) => SyncFrom::Refresh,
        (_, _, true, _) => SyncFrom::TokenOnly,
        (_, _, _, Some(path)) => {
            let state = load_state(path)?;
            SyncFrom::from_state(&state, kind, account.as_ref()).map_err(usage)?
        }
        _ => {
            return Err(Failure::Usage(
                "give --token, --refresh, --token-only or --from-state".to_owned(),
            ));
        }
    };
    let mut request = SyncRequest::new(kind, account, from);
    request.reject_if_missing = a.reject_if_missing;
    request.check().map_err(usage)?;
    Ok(Message::sync(&request))
}

/// The window `ofxkit ledger window` computes.
fn ledger_window(
    a: &StatementArgs,
    db: &str,
    account_id: &str,
) -> Result<(Option<NaiveDate>, Option<NaiveDate>), Failure> {
    let shown = if db.contains("://") { "the database".to_owned() } else { db.to_owned() };
    let mut ledger = ofxkit_ledger::Ledger::open(db).map_err(|e| {
        Failure::Io(std::io::Error::other(format!("{}: {e}", escape_controls(&shown))))
    })?;
    let window = ledger
        .window(&ofxkit_ledger::WindowRequest {
            account: account_id.to_owned(),
            days_back: a.days_back,
            sca: a.sca,
            today: a.today.unwrap_or_else(|| now_utc().date_naive()),
            download: a.download.clone(),
        })
        .map_err(|e| {
            Failure::Usage(format!(
                "{}: {}",
                escape_controls(&shown),
                escape_controls(&e.to_string())
            ))
        })?;
    eprintln!(
        "ofxkit: window {} to {}: {}",
        window.from,
        window.until,
        escape_controls(&window.reason)
    );
    Ok((Some(window.from), Some(window.until)))
}

/// Builds the request `kind` asks for: sign-on from the options and the institution, one
/// message with a fresh TRNUID, written at the version asked.
pub fn build(kind: &RequestKind, fi: Option<&Institution>) -> Result<Built, Failure> {
    let common = common_of(kind);
    let version = match (common.ofx_version, fi.and_then(|f| f.version)) {
        (Some(v), _) => v,
        (None, Some(n)) => OfxVersion::from_number(n).unwrap_or(DEFAULT_VERSION),
        (None, None) => DEFAULT_VERSION,
    };
    let message = message(kind, fi)?;
    let user =
        common.user.clone().or_else(|| fi.and_then(|f| f.user.clone())).ok_or_else(|| {
            Failure::Usage("--user is required (or user in the institution's profile)".to_owned())
        })?;
    let password = password(common, &user)?;
    let mut signon = SignOn::new(user, password, now_utc());
    let org = common.fi_org.clone().or_else(|| fi.and_then(|f| f.org.clone()));
    let fid = common.fi_id.clone().or_else(|| fi.and_then(|f| f.fid.clone()));
    match (org, fid) {
        (Some(org), fid) => signon = signon.institution(org, fid.as_deref()),
        (None, Some(_)) => {
            return Err(Failure::Usage(
                "--fi-id goes with --fi-org (FI is ORG, then FID)".to_owned(),
            ));
        }
        (None, None) => {}
    }
    let app_id = common.app_id.clone().or_else(|| fi.and_then(|f| f.app_id.clone()));
    let app_ver = common.app_ver.clone().or_else(|| fi.and_then(|f| f.app_ver.clone()));
    signon = signon.application(
        app_id.unwrap_or_else(|| ofxkit::request::DEFAULT_APP_ID.to_owned()),
        app_ver.unwrap_or_else(|| ofxkit::request::DEFAULT_APP_VER.to_owned()),
    );
    let request = Request::new(signon).with(message);
    let bytes = request.to_bytes(version).map_err(|e| Failure::Usage(e.to_string()))?;
    Ok(Built { bytes, post: common.post.clone() })
}

/// Runs `ofxkit request …`.
pub fn run(args: &RequestArgs) -> Result<Status, Failure> {
    let fi = institution(&args.place)?;
    let built = build(&args.kind, fi.as_ref())?;
    if let Some(url) = &built.post {
        return super::get::send(url, &built.bytes, &args.place);
    }
    let mut out = Output::open_private(args.place.output.as_deref())?;
    out.write_all(&built.bytes)?;
    out.commit()?;
    Ok(Status::Ok)
}
