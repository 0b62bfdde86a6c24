//! Synthetic bank statements of any size, the same files `../shared/bench/gen_ofx.py` writes.
//!
//! The output is a pure function of [`GenOptions`]: a SplitMix64 generator seeded from
//! [`GenOptions::seed`] drives every choice, and the draws happen in the same order as in the
//! Python generator, so both write the same bytes for the same arguments (a test checks this
//! when `python3` and `../shared` are present). The peers' figures in
//! `../shared/bench/BASELINE.md` were measured on those files.
//!
//! What a file holds:
//! - `sgml`: OFX 1.02 colon header, leaves without end tags, aggregates closed;
//!   `xml`: OFX 2.2 (`<?xml?>` and `<?OFX?>`), every element closed;
//!   `ofc`: `<OFC>` root, numeric codes, `YYYYMMDD[HHMMSS]` dates, 2-decimal amounts.
//! - A sign-on block (OFX), then one statement per account: checking, savings and credit card
//!   in turn, credit cards under `CREDITCARDMSGSRSV1` in OFX.
//! - Each transaction: a type drawn from a weighted table, a posting date spread over the
//!   period with a random time and zone, an amount whose size depends on the type, a unique
//!   FITID, a merchant name (some with `&amp;`) or, for payments, a `PAYEE` aggregate, a memo
//!   (7 in 8), check numbers on checks, and now and then `DTUSER`, `REFNUM`, `SIC`.
//!
//! ```
//! use ofxkit_benches::generator::{generate_vec, Flavor, GenOptions};
//! let file = generate_vec(&GenOptions { transactions: 3, ..GenOptions::new(Flavor::Sgml) });
//! assert!(file.starts_with(b"OFXHEADER:100\nDATA:OFXSGML\n"));
//! assert_eq!(file.windows(9).filter(|w| w == b"<STMTTRN>").count(), 3);
//! ```

use std::fmt;
use std::io::{self, Write};
use std::str::FromStr;

/// Which kind of file to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Flavor {
    /// OFX 1.02, SGML, leaves not closed.
    Sgml,
    /// OFX 2.2, XML.
    Xml,
    /// Microsoft Open Financial Connectivity.
    Ofc,
}

impl Flavor {
    /// All flavors, in the order benches report them.
    pub const ALL: [Flavor; 3] = [Flavor::Sgml, Flavor::Xml, Flavor::Ofc];

    /// `sgml`, `xml` or `ofc`.
    pub fn name(self) -> &'static str {
        match self {
            Flavor::Sgml => "sgml",
            Flavor::Xml => "xml",
            Flavor::Ofc => "ofc",
        }
    }

    fn is_ofx(self) -> bool {
        self != Flavor::Ofc
    }
}

impl fmt::Display for Flavor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Flavor {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Flavor::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(s))
            .ok_or_else(|| format!("unknown flavor `{s}` (expected sgml, xml or ofc)"))
    }
}

/// Line ending written after each tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Eol {
    /// `\n`.
    Lf,
    /// `\r\n`.
    CrLf,
    /// Nothing: the body is one long line.
    None,
}

impl Eol {
    fn as_str(self) -> &'static str {
        match self {
            Eol::Lf => "\n",
            Eol::CrLf => "\r\n",
            Eol::None => "",
        }
    }
}

impl FromStr for Eol {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "lf" => Ok(Eol::Lf),
            "crlf" => Ok(Eol::CrLf),
            "none" => Ok(Eol::None),
            _ => Err(format!("unknown line ending `{s}` (expected lf, crlf or none)")),
        }
    }
}

/// What to generate. [`GenOptions::new`] gives the Python generator's defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GenOptions {
    /// Kind of file.
    pub flavor: Flavor,
    /// Transactions over all statements.
    pub transactions: u64,
    /// Statements (at least 1): checking, savings, credit card in turn.
    pub accounts: u32,
    /// Line ending after each tag.
    pub eol: Eol,
    /// Spaces per nesting level.
    pub indent: u32,
    /// PRNG seed.
    pub seed: u64,
    /// Length of the statement period in days, from 2024-01-01 (at least 1).
    pub span_days: u32,
}

impl GenOptions {
    /// 0 transactions of `flavor`, one account, LF, no indent, seed 20240115, 366 days.
    pub fn new(flavor: Flavor) -> Self {
        GenOptions {
            flavor,
            transactions: 0,
            accounts: 1,
            eol: Eol::Lf,
            indent: 0,
            seed: 20_240_115,
            span_days: 366,
        }
    }
}

/// Writes a file into memory.
pub fn generate_vec(options: &GenOptions) -> Vec<u8> {
    // At most 260 bytes per transaction (sgml 193, xml 250, ofc 157) plus the envelope; the
    // reservation stops at 1 GiB and the Vec grows past it if it must.
    let capacity = options.transactions.saturating_mul(260).saturating_add(4096).min(1 << 30);
    let mut out = Vec::with_capacity(usize::try_from(capacity).unwrap_or(1 << 30));
    // Writing into a Vec cannot fail.
    let _ = generate(options, &mut out);
    out
}

/// Writes a file to `out` (buffer it: the generator writes many small pieces).
pub fn generate<W: Write>(options: &GenOptions, out: W) -> io::Result<()> {
    let mut g = Generator {
        w: Markup {
            out,
            eol: options.eol.as_str(),
            indent: options.indent as usize,
            depth: 0,
            close_leaves: options.flavor == Flavor::Xml,
        },
        rng: SplitMix64(options.seed),
        flavor: options.flavor,
        span_days: options.span_days.max(1),
    };
    g.file(options.transactions, options.accounts.max(1))
}

/// SplitMix64 (Steele, Lea, Flood 2014): tiny, fast, and the same numbers in every language.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform-ish in `0..n` (plain modulo, as the Python generator does).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<'t, T>(&mut self, table: &'t [T]) -> &'t T {
        // Tables are non-empty constants, so the index is in range.
        &table[(self.next() % table.len() as u64) as usize]
    }
}

/// A transaction type: OFX name, OFC code, sign (-1 debit, +1 credit, 0 either), weight.
struct TrnType {
    ofx: &'static str,
    ofc: u8,
    sign: i8,
    weight: u64,
}

const fn tt(ofx: &'static str, ofc: u8, sign: i8, weight: u64) -> TrnType {
    TrnType { ofx, ofc, sign, weight }
}

/// The weighted type table; a draw is an index into the table expanded by weight.
const TRNTYPES: &[TrnType] = &[
    tt("DEBIT", 1, -1, 30),
    tt("POS", 1, -1, 25),
    tt("CREDIT", 0, 1, 6),
    tt("CHECK", 8, -1, 8),
    tt("ATM", 6, -1, 5),
    tt("PAYMENT", 9, -1, 7),
    tt("DIRECTDEP", 11, 1, 4),
    tt("DIRECTDEBIT", 1, -1, 4),
    tt("XFER", 7, 0, 4),
    tt("DEP", 5, 1, 3),
    tt("FEE", 4, -1, 1),
    tt("SRVCHG", 4, -1, 1),
    tt("INT", 2, 1, 1),
    tt("DIV", 3, 1, 1),
    tt("CASH", 10, -1, 1),
    tt("REPEATPMT", 9, -1, 1),
    tt("OTHER", 12, 0, 1),
];

const TOTAL_WEIGHT: u64 = {
    let mut sum = 0;
    let mut i = 0;
    while i < TRNTYPES.len() {
        sum += TRNTYPES[i].weight;
        i += 1;
    }
    sum
};

/// Merchant names as OFX writes them (`&amp;` escaped).
const MERCHANTS: &[&str] = &[
    "AMAZON MKTPLACE PMTS",
    "WHOLE FOODS MARKET #10234",
    "SHELL OIL 57442118802",
    "STARBUCKS STORE 08812",
    "NETFLIX.COM",
    "COSTCO WHSE #0481",
    "UBER   *TRIP",
    "TARGET        00012345",
    "HOME DEPOT #6543",
    "TRADER JOE S #552",
    "SPOTIFY USA",
    "CVS/PHARMACY #08841",
    "WALGREENS #11223",
    "CHEVRON 0093822",
    "APPLE.COM/BILL",
    "LYFT   *RIDE SUN 8PM",
    "DELTA AIR LINES",
    "MARRIOTT HOTELS",
    "PAYPAL *EBAY INC",
    "COMCAST CABLE COMM",
    "PG&amp;E WEB ONLINE",
    "AT&amp;T WIRELESS",
    "BARNES &amp; NOBLE #2231",
    "VERIZON WIRELESS",
    "GEICO AUTO",
    "STATE FARM INSURANCE",
    "CITY OF SPRINGFIELD UT",
    "ZELLE TO JOHN SMITH",
    "VENMO CASHOUT",
    "IRS TREAS 310",
    "ACME CORP PAYROLL",
    "INTEREST PAYMENT",
    "MONTHLY SERVICE FEE",
    "ATM WITHDRAWAL",
    "ONLINE TRANSFER",
    "DOORDASH*CHIPOTLE",
    "GRUBHUB*PIZZAHUT",
    "KROGER #713",
    "SAFEWAY #1452",
    "EXXONMOBIL 4772",
    "BEST BUY 00003455",
    "IKEA SEATTLE",
    "WAL-MART #2234",
];

const MEMO_PREFIXES: &[&str] = &[
    "POS PURCHASE",
    "DEBIT CARD PURCHASE",
    "ACH DEBIT",
    "ACH CREDIT",
    "ONLINE PMT",
    "RECURRING PMT",
    "CHECKCARD",
    "WEB AUTHORIZED PMT",
    "PPD ID",
    "CCD ID",
];

const STREETS: &[&str] =
    &["MAIN ST", "OAK AVE", "PINE RD", "MAPLE DR", "ELM ST", "CEDAR LN", "LAKE BLVD"];

/// City, state, postal code.
const CITIES: &[(&str, &str, &str)] = &[
    ("SPRINGFIELD", "IL", "62701"),
    ("PORTLAND", "OR", "97201"),
    ("AUSTIN", "TX", "73301"),
    ("DENVER", "CO", "80201"),
    ("BOSTON", "MA", "02108"),
];

const PAYEE_NAMES: &[&str] = &[
    "CITY WATER DEPT",
    "ELECTRIC COOP",
    "FIRST MORTGAGE CO",
    "ACME LANDLORD LLC",
    "COUNTY TAX COLLECTOR",
    "BRIGHT DENTAL",
    "SUNRISE DAYCARE",
];

/// Time zones of posting dates; EST is three times as likely as the others.
const ZONES: &[&str] = &["[-5:EST]", "[-5:EST]", "[-5:EST]", "[-4:EDT]", "[0:GMT]", "[-8:PST]"];

const FEES_CENTS: &[i64] = &[250, 300, 1200, 1500, 3500];

/// 2024-01-01 as a day offset from 2023-01-01, where day numbers start.
const START_DAY: u64 = 365;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AccountKind {
    Checking,
    Savings,
    CreditCard,
}

impl AccountKind {
    fn of(index: u32) -> Self {
        match index % 3 {
            0 => AccountKind::Checking,
            1 => AccountKind::Savings,
            _ => AccountKind::CreditCard,
        }
    }

    fn ofx(self) -> &'static str {
        match self {
            AccountKind::Checking => "CHECKING",
            AccountKind::Savings => "SAVINGS",
            AccountKind::CreditCard => "CREDITCARD",
        }
    }

    fn ofc(self) -> &'static str {
        match self {
            AccountKind::Checking => "0",
            AccountKind::Savings => "1",
            AccountKind::CreditCard => "2",
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Date {
    y: u64,
    m: u64,
    d: u64,
}

fn is_leap(y: u64) -> bool {
    y.is_multiple_of(4) && (!y.is_multiple_of(100) || y.is_multiple_of(400))
}

/// Day offset from 2023-01-01 to a calendar date.
fn date_of(mut day: u64) -> Date {
    let mut y = 2023;
    loop {
        let len = if is_leap(y) { 366 } else { 365 };
        if day < len {
            break;
        }
        day -= len;
        y += 1;
    }
    const MONTHS: [u64; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let mut m = 0;
    for (i, len) in MONTHS.iter().enumerate() {
        let len = len + u64::from(i == 1 && is_leap(y));
        m = i as u64;
        if day < len {
            break;
        }
        day -= len;
    }
    Date { y, m: m + 1, d: day + 1 }
}

/// Writes elements with the flavor's rules: one per line, optionally indented.
struct Markup<'e, W> {
    out: W,
    eol: &'e str,
    indent: usize,
    depth: usize,
    close_leaves: bool,
}

impl<W: Write> Markup<'_, W> {
    fn pad(&mut self) -> io::Result<()> {
        if self.indent > 0 {
            write!(self.out, "{:1$}", "", self.depth * self.indent)?;
        }
        Ok(())
    }

    fn open(&mut self, tag: &str) -> io::Result<()> {
        self.pad()?;
        write!(self.out, "<{tag}>{}", self.eol)?;
        self.depth += 1;
        Ok(())
    }

    fn close(&mut self, tag: &str) -> io::Result<()> {
        self.depth = self.depth.saturating_sub(1);
        self.pad()?;
        write!(self.out, "</{tag}>{}", self.eol)
    }

    fn leaf(&mut self, tag: &str, value: impl fmt::Display) -> io::Result<()> {
        self.pad()?;
        if self.close_leaves {
            write!(self.out, "<{tag}>{value}</{tag}>{}", self.eol)
        } else {
            write!(self.out, "<{tag}>{value}{}", self.eol)
        }
    }
}

/// An OFX date-time: `YYYYMMDDHHMMSS.000[zone]`.
struct OfxDateTime<'z>(Date, u64, u64, u64, &'z str);

impl fmt::Display for OfxDateTime<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let OfxDateTime(Date { y, m, d }, hh, mi, ss, zone) = *self;
        write!(f, "{y:04}{m:02}{d:02}{hh:02}{mi:02}{ss:02}.000{zone}")
    }
}

/// An OFC date: `YYYYMMDD`, or `YYYYMMDDHHMMSS` with a time.
struct OfcDate(Date, Option<(u64, u64, u64)>);

impl fmt::Display for OfcDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let OfcDate(Date { y, m, d }, time) = *self;
        write!(f, "{y:04}{m:02}{d:02}")?;
        match time {
            Some((hh, mi, ss)) => write!(f, "{hh:02}{mi:02}{ss:02}"),
            None => Ok(()),
        }
    }
}

/// How many decimals an amount is written with.
#[derive(Clone, Copy)]
enum Decimals {
    Two,
    /// A whole amount without a fraction (`12`).
    None,
    /// One decimal when the second is 0 (`12.5`).
    One,
}

/// An amount in cents, written as banks write it.
struct Amount(i64, Decimals);

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Amount(cents, decimals) = *self;
        let sign = if cents < 0 { "-" } else { "" };
        let (whole, frac) = (cents.unsigned_abs() / 100, cents.unsigned_abs() % 100);
        match decimals {
            Decimals::None => write!(f, "{sign}{whole}"),
            Decimals::One => write!(f, "{sign}{whole}.{}", frac / 10),
            Decimals::Two => write!(f, "{sign}{whole}.{frac:02}"),
        }
    }
}

struct Generator<'e, W> {
    w: Markup<'e, W>,
    rng: SplitMix64,
    flavor: Flavor,
    span_days: u32,
}

impl<W: Write> Generator<'_, W> {
    fn file(&mut self, transactions: u64, accounts: u32) -> io::Result<()> {
        let eol = self.w.eol;
        match self.flavor {
            Flavor::Sgml => {
                let header = [
                    "OFXHEADER:100",
                    "DATA:OFXSGML",
                    "VERSION:102",
                    "SECURITY:NONE",
                    "ENCODING:USASCII",
                    "CHARSET:1252",
                    "COMPRESSION:NONE",
                    "OLDFILEUID:NONE",
                    "NEWFILEUID:NONE",
                ];
                write!(self.w.out, "{}{eol}{eol}", header.join(eol))?;
            }
            Flavor::Xml => {
                write!(
                    self.w.out,
                    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>{eol}\
                     <?OFX OFXHEADER=\"200\" VERSION=\"220\" SECURITY=\"NONE\" \
                     OLDFILEUID=\"NONE\" NEWFILEUID=\"NONE\"?>{eol}"
                )?;
            }
            Flavor::Ofc => {}
        }

        // The first `transactions % accounts` statements take one more transaction each.
        let counts: Vec<u64> = (0..u64::from(accounts))
            .map(|k| {
                transactions / u64::from(accounts)
                    + u64::from(k < transactions % u64::from(accounts))
            })
            .collect();
        // FITIDs are numbered over the whole file in account order.
        let first_fitids: Vec<u64> = counts
            .iter()
            .scan(1, |next, n| {
                let first = *next;
                *next += n;
                Some(first)
            })
            .collect();
        let statement = |g: &mut Self, k: u32| {
            let i = k as usize;
            g.statement(k, counts[i], first_fitids[i])
        };

        if self.flavor == Flavor::Ofc {
            self.w.open("OFC")?;
            self.w.leaf("DTD", "2")?;
            self.w.leaf("CPAGE", "1252")?;
            for k in 0..accounts {
                statement(self, k)?;
            }
            self.w.close("OFC")?;
            return self.w.out.flush();
        }

        let last = date_of(START_DAY + u64::from(self.span_days) - 1);
        self.w.open("OFX")?;
        self.w.open("SIGNONMSGSRSV1")?;
        self.w.open("SONRS")?;
        self.status()?;
        self.w.leaf("DTSERVER", OfxDateTime(last, 23, 59, 59, "[-5:EST]"))?;
        self.w.leaf("LANGUAGE", "ENG")?;
        self.w.open("FI")?;
        self.w.leaf("ORG", "SYNTHETIC BANK")?;
        self.w.leaf("FID", "10898")?;
        self.w.close("FI")?;
        self.w.close("SONRS")?;
        self.w.close("SIGNONMSGSRSV1")?;
        let is_card = |k: &u32| AccountKind::of(*k) == AccountKind::CreditCard;
        let (cards, banks): (Vec<u32>, Vec<u32>) = (0..accounts).partition(is_card);
        for (wrapper, group) in [("BANKMSGSRSV1", banks), ("CREDITCARDMSGSRSV1", cards)] {
            if group.is_empty() {
                continue;
            }
            self.w.open(wrapper)?;
            for k in group {
                statement(self, k)?;
            }
            self.w.close(wrapper)?;
        }
        self.w.close("OFX")?;
        self.w.out.flush()
    }

    fn status(&mut self) -> io::Result<()> {
        self.w.open("STATUS")?;
        self.w.leaf("CODE", "0")?;
        self.w.leaf("SEVERITY", "INFO")?;
        self.w.close("STATUS")
    }

    fn statement(&mut self, index: u32, count: u64, first_fitid: u64) -> io::Result<()> {
        let kind = AccountKind::of(index);
        let card = kind == AccountKind::CreditCard;
        let ofx = self.flavor.is_ofx();
        let account_id = format!("{:010}", 1_234_500_000 + u64::from(index) * 7919);
        let first = date_of(START_DAY);
        let last = date_of(START_DAY + u64::from(self.span_days) - 1);

        if ofx {
            let (trnrs, stmtrs) =
                if card { ("CCSTMTTRNRS", "CCSTMTRS") } else { ("STMTTRNRS", "STMTRS") };
            self.w.open(trnrs)?;
            self.w.leaf("TRNUID", 1001 + u64::from(index))?;
            self.status()?;
            self.w.open(stmtrs)?;
            self.w.leaf("CURDEF", "USD")?;
            if card {
                self.w.open("CCACCTFROM")?;
                self.w
                    .leaf("ACCTID", format_args!("4111{:012}", u64::from(index) * 104_729 + 5))?;
                self.w.close("CCACCTFROM")?;
            } else {
                self.w.open("BANKACCTFROM")?;
                self.w.leaf("BANKID", "121000248")?;
                self.w.leaf("ACCTID", &account_id)?;
                self.w.leaf("ACCTTYPE", kind.ofx())?;
                self.w.close("BANKACCTFROM")?;
            }
            self.w.open("BANKTRANLIST")?;
            self.w.leaf("DTSTART", OfxDateTime(first, 0, 0, 0, "[-5:EST]"))?;
            self.w.leaf("DTEND", OfxDateTime(last, 23, 59, 59, "[-5:EST]"))?;
        } else {
            self.w.open("ACCTSTMT")?;
            self.w.open("ACCTFROM")?;
            self.w.leaf("BANKID", "00104")?;
            self.w.leaf("BRANCHID", "0042")?;
            self.w.leaf("ACCTID", &account_id)?;
            self.w.leaf("ACCTTYPE", kind.ofc())?;
            self.w.close("ACCTFROM")?;
            self.w.open("STMTRS")?;
            self.w.leaf("DTSTART", OfcDate(first, None))?;
            self.w.leaf("DTEND", OfcDate(last, None))?;
            // OFC gives the ledger balance before the transactions.
            self.w.leaf("LEDGER", Amount(1_234_567 + i64::from(index) * 1000, Decimals::Two))?;
        }

        let mut balance = 250_000 + i64::from(index) * 12_345;
        let mut check_number = 1000 + u64::from(index) * 10_000;
        for i in 0..count {
            let day = START_DAY + i * u64::from(self.span_days) / count.max(1);
            let cents = self.transaction(card, date_of(day), first_fitid + i, &mut check_number)?;
            balance += cents;
        }

        if ofx {
            let stmtrs = if card { "CCSTMTRS" } else { "STMTRS" };
            self.w.close("BANKTRANLIST")?;
            for wrapper in ["LEDGERBAL", "AVAILBAL"] {
                self.w.open(wrapper)?;
                self.w.leaf("BALAMT", Amount(balance, Decimals::Two))?;
                self.w.leaf("DTASOF", OfxDateTime(last, 23, 59, 59, "[-5:EST]"))?;
                self.w.close(wrapper)?;
            }
            self.w.close(stmtrs)?;
            self.w.close(if card { "CCSTMTTRNRS" } else { "STMTTRNRS" })
        } else {
            self.w.close("STMTRS")?;
            self.w.close("ACCTSTMT")
        }
    }

    /// Writes one `STMTTRN`; returns its amount in cents.
    fn transaction(
        &mut self,
        card: bool,
        date: Date,
        fitid: u64,
        check_number: &mut u64,
    ) -> io::Result<i64> {
        let ofx = self.flavor.is_ofx();
        let mut draw = self.rng.below(TOTAL_WEIGHT);
        let mut t = &TRNTYPES[TRNTYPES.len() - 1];
        for candidate in TRNTYPES {
            if draw < candidate.weight {
                t = candidate;
                break;
            }
            draw -= candidate.weight;
        }
        let (mut name, mut code, mut sign) = (t.ofx, t.ofc, t.sign);
        // Credit cards have no checks, deposits or ATM withdrawals.
        if card && matches!(name, "CHECK" | "DIRECTDEP" | "ATM") {
            (name, code, sign) = ("DEBIT", 1, -1);
        }
        let (hh, mi, ss) = (self.rng.below(24), self.rng.below(60), self.rng.below(60));
        let cents = self.amount_cents(name, sign);

        self.w.open("STMTTRN")?;
        if ofx {
            self.w.leaf("TRNTYPE", name)?;
            let zone = *self.rng.pick(ZONES);
            self.w.leaf("DTPOSTED", OfxDateTime(date, hh, mi, ss, zone))?;
            if self.rng.below(5) == 0 {
                self.w.leaf("DTUSER", OfxDateTime(date, 0, 0, 0, "[-5:EST]"))?;
            }
            // Mostly two decimals; 1 in 20 trimmed where the trimmed digits are zeros.
            let decimals = match self.rng.below(20) {
                0 if cents % 100 == 0 => Decimals::None,
                1 if cents % 10 == 0 => Decimals::One,
                _ => Decimals::Two,
            };
            self.w.leaf("TRNAMT", Amount(cents, decimals))?;
            let Date { y, m, d } = date;
            self.w.leaf("FITID", format_args!("{y:04}{m:02}{d:02}{fitid:010}"))?;
        } else {
            self.w.leaf("TRNTYPE", code)?;
            let time = (self.rng.below(2) == 0).then_some((hh, mi, ss));
            self.w.leaf("DTPOSTED", OfcDate(date, time))?;
            self.w.leaf("TRNAMT", Amount(cents, Decimals::Two))?;
            self.w.leaf("FITID", format_args!("{fitid:010}"))?;
        }
        if name == "CHECK" {
            *check_number += 1;
            self.w.leaf(if ofx { "CHECKNUM" } else { "CHKNUM" }, *check_number)?;
        }
        if ofx && self.rng.below(10) == 0 {
            let reference = self.rng.below(100_000_000);
            self.w.leaf("REFNUM", format_args!("R{reference:08}"))?;
        }
        if matches!(name, "POS" | "DEBIT") && self.rng.below(4) == 0 {
            let sic = 5000 + self.rng.below(1000);
            self.w.leaf("SIC", sic)?;
        }
        if matches!(name, "PAYMENT" | "REPEATPMT") && self.rng.below(2) == 0 {
            // A PAYEE aggregate instead of NAME (the two exclude each other).
            self.payee()?;
        } else if name == "CHECK" {
            self.w.leaf("NAME", format_args!("CHECK {check_number}"))?;
        } else {
            let merchant = *self.rng.pick(MERCHANTS);
            if ofx {
                self.w.leaf("NAME", merchant)?;
            } else {
                // OFC declares no entities: `A &amp; B` becomes `A & B`, `A&amp;B` becomes `AB`.
                self.w.leaf("NAME", merchant.replace(" &amp; ", " & ").replace("&amp;", ""))?;
            }
        }
        if self.rng.below(8) != 0 {
            let prefix = *self.rng.pick(MEMO_PREFIXES);
            let (card_no, reference) = (self.rng.below(10_000), self.rng.below(10_000_000));
            let Date { m, d, .. } = date;
            self.w.leaf(
                "MEMO",
                format_args!("{prefix} {m:02}/{d:02} CARD {card_no:04} REF {reference:07}"),
            )?;
        }
        self.w.close("STMTTRN")?;
        Ok(cents)
    }

    fn payee(&mut self) -> io::Result<()> {
        let ofx = self.flavor.is_ofx();
        let (city, state, postal) = *self.rng.pick(CITIES);
        self.w.open("PAYEE")?;
        let name = *self.rng.pick(PAYEE_NAMES);
        self.w.leaf("NAME", name)?;
        let number = 100 + self.rng.below(9800);
        let street = *self.rng.pick(STREETS);
        self.w.leaf(if ofx { "ADDR1" } else { "ADDRESS" }, format_args!("{number} {street}"))?;
        self.w.leaf("CITY", city)?;
        self.w.leaf("STATE", state)?;
        self.w.leaf(if ofx { "POSTALCODE" } else { "POSTALID" }, postal)?;
        let (exchange, line) = (self.rng.below(1000), self.rng.below(10_000));
        self.w.leaf("PHONE", format_args!("555-{exchange:03}-{line:04}"))?;
        self.w.close("PAYEE")
    }

    /// Sizes from coffee to payroll; the sign follows the type (a coin flip when it may be
    /// either).
    fn amount_cents(&mut self, name: &str, sign: i8) -> i64 {
        let bucket = self.rng.below(100);
        let r = &mut self.rng;
        let cents = match name {
            "INT" | "DIV" => 1 + r.below(5000),
            "FEE" | "SRVCHG" => *r.pick(FEES_CENTS) as u64,
            "DIRECTDEP" => 150_000 + r.below(600_000),
            _ if bucket < 55 => 100 + r.below(5000),
            _ if bucket < 85 => 5000 + r.below(45_000),
            _ if bucket < 97 => 50_000 + r.below(450_000),
            _ => 500_000 + r.below(9_500_000),
        } as i64;
        let sign = match sign {
            0 if r.below(2) != 0 => -1,
            0 => 1,
            s => i64::from(s),
        };
        sign * cents
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix64_matches_the_reference_sequence() {
        // First outputs for seed 1234567 from the reference C implementation (Vigna).
        let mut r = SplitMix64(1_234_567);
        let got: Vec<u64> = (0..3).map(|_| r.next()).collect();
        assert_eq!(
            got,
            [6_457_827_717_110_365_317, 3_203_168_211_198_807_973, 9_817_491_932_198_370_423]
        );
    }

    #[test]
    fn day_offsets_become_calendar_dates() {
        for (day, want) in [
            (0, (2023, 1, 1)),
            (364, (2023, 12, 31)),
            (365, (2024, 1, 1)),
            (365 + 59, (2024, 2, 29)),
            (365 + 60, (2024, 3, 1)),
            (365 + 365, (2024, 12, 31)),
            (365 + 366, (2025, 1, 1)),
        ] {
            let Date { y, m, d } = date_of(day);
            assert_eq!((y, m, d), want, "day {day}");
        }
    }

    #[test]
    fn amounts_are_written_with_their_decimals() {
        for (cents, decimals, want) in [
            (1250, Decimals::Two, "12.50"),
            (-1250, Decimals::Two, "-12.50"),
            (5, Decimals::Two, "0.05"),
            (-1250, Decimals::One, "-12.5"),
            (1200, Decimals::None, "12"),
            (-7, Decimals::Two, "-0.07"),
        ] {
            assert_eq!(Amount(cents, decimals).to_string(), want);
        }
    }

    #[test]
    fn same_options_same_bytes_other_seed_other_bytes() {
        let options = GenOptions { transactions: 500, ..GenOptions::new(Flavor::Xml) };
        assert_eq!(generate_vec(&options), generate_vec(&options));
        assert_ne!(generate_vec(&options), generate_vec(&GenOptions { seed: 1, ..options }));
    }
}
