//! Documents made from scratch: a statement from rows (for tools that turn CSV into OFX).
//!
//! The builders make a [`Node`] tree that the writer writes exactly as it would write the
//! same document read from a file: building and writing, or writing what was built and
//! read back, give the same bytes.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;

use crate::codes::Code;
use crate::codes::ofx::{AccountType, TrnType};
use crate::request::Account;
use crate::write::OfxDocument;
use crate::write::node::Node;

/// A date or date-time for a built document: a calendar date, a local date-time, or a
/// date-time with its offset (written `YYYYMMDD`, `YYYYMMDDHHMMSS` and
/// `YYYYMMDDHHMMSS.XXX[±H]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateValue {
    /// A calendar date.
    Date(NaiveDate),
    /// A date and time with no offset.
    Local(NaiveDateTime),
    /// A date and time at an offset.
    Zoned(DateTime<FixedOffset>),
}

impl From<NaiveDate> for DateValue {
    fn from(d: NaiveDate) -> Self {
        DateValue::Date(d)
    }
}

impl From<NaiveDateTime> for DateValue {
    fn from(d: NaiveDateTime) -> Self {
        DateValue::Local(d)
    }
}

impl From<DateTime<FixedOffset>> for DateValue {
    fn from(d: DateTime<FixedOffset>) -> Self {
        DateValue::Zoned(d)
    }
}

impl DateValue {
    /// The OFX text (the writer puts it in canonical form).
    pub fn to_ofx(self) -> String {
        match self {
            DateValue::Date(d) => d.format("%Y%m%d").to_string(),
            DateValue::Local(d) => d.format("%Y%m%d%H%M%S").to_string(),
            DateValue::Zoned(d) => {
                let secs = d.offset().local_minus_utc();
                let sign = if secs < 0 { '-' } else { '+' };
                let abs = secs.unsigned_abs();
                format!(
                    "{}[{sign}{:02}:{:02}]",
                    d.format("%Y%m%d%H%M%S%.3f"),
                    abs / 3600,
                    abs % 3600 / 60
                )
            }
        }
    }
}

/// The account a built statement is about: a bank account or a card (the two kinds of
/// statement built from rows). It converts into the request's [`Account`], which builds the
/// `…ACCTFROM` aggregate for both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountRef {
    /// A bank account (`BANKACCTFROM`).
    Bank {
        /// `BANKID` (routing number).
        bank_id: String,
        /// `BRANCHID`.
        branch_id: Option<String>,
        /// `ACCTID`.
        account_id: String,
        /// `ACCTTYPE`.
        account_type: AccountType,
    },
    /// A credit card (`CCACCTFROM`).
    CreditCard {
        /// `ACCTID` (the card number).
        account_id: String,
    },
}

/// The same account as a request names it: a statement's account and a request's are one
/// kind of value, and [`Account::from_node`] builds the `…ACCTFROM` aggregate of both.
impl From<AccountRef> for Account {
    fn from(account: AccountRef) -> Account {
        match account {
            AccountRef::Bank { bank_id, branch_id, account_id, account_type } => {
                Account::Bank { bank_id, branch_id, account_id, account_type }
            }
            AccountRef::CreditCard { account_id } => Account::CreditCard { account_id },
        }
    }
}

/// One transaction of a built statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransactionRow {
    /// `TRNTYPE`.
    pub trntype: TrnType,
    /// `DTPOSTED`.
    pub posted: DateValue,
    /// `TRNAMT` (exact).
    pub amount: Decimal,
    /// `FITID`: unique within the account.
    pub fitid: String,
    /// `CHECKNUM`.
    pub check_number: Option<String>,
    /// `NAME` (payee).
    pub name: Option<String>,
    /// `MEMO`.
    pub memo: Option<String>,
}

impl TransactionRow {
    /// A transaction with the required fields.
    pub fn new(
        trntype: TrnType,
        posted: impl Into<DateValue>,
        amount: Decimal,
        fitid: impl Into<String>,
    ) -> Self {
        TransactionRow {
            trntype,
            posted: posted.into(),
            amount,
            fitid: fitid.into(),
            check_number: None,
            name: None,
            memo: None,
        }
    }

    /// With a `NAME`.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// With a `MEMO`.
    pub fn memo(mut self, memo: impl Into<String>) -> Self {
        self.memo = Some(memo.into());
        self
    }

    /// With a `CHECKNUM`.
    pub fn check_number(mut self, number: impl Into<String>) -> Self {
        self.check_number = Some(number.into());
        self
    }

    fn node(&self) -> Node {
        Node::aggregate(
            "STMTTRN",
            vec![
                Node::leaf("TRNTYPE", self.trntype.as_str()),
                Node::leaf("DTPOSTED", self.posted.to_ofx()),
                Node::leaf("TRNAMT", self.amount.to_string()),
                Node::leaf("FITID", self.fitid.clone()),
            ],
        )
        .with_opt("CHECKNUM", self.check_number.clone())
        .with_opt("NAME", self.name.clone())
        .with_opt("MEMO", self.memo.clone())
    }
}

/// A bank or credit-card statement made from rows.
///
/// ```
/// use ofxkit::{Decimal, NaiveDate};
/// use ofxkit::codes::ofx::{AccountType, TrnType};
/// use ofxkit::write::{AccountRef, StatementBuilder, Target, TransactionRow, WriteOptions};
/// let day = |d| NaiveDate::from_ymd_opt(2024, 1, d).unwrap();
/// let account = AccountRef::Bank {
///     bank_id: "121000248".into(), branch_id: None, account_id: "000123".into(),
///     account_type: AccountType::Checking,
/// };
/// let doc = StatementBuilder::new("USD", account)
///     .period(day(1), day(31))
///     .transaction(TransactionRow::new(TrnType::Debit, day(5), Decimal::new(-1250, 2), "1").name("CITY WATER"))
///     .transaction(TransactionRow::new(TrnType::Credit, day(15), Decimal::new(250000, 2), "2").memo("SALARY"))
///     .ledger_balance(Decimal::new(123456, 2), day(31))
///     .into_document();
/// let options = WriteOptions { target: Target::Ofx1, ..Default::default() };
/// let bytes = doc.to_bytes(&options)?;
/// // It reads back to the same rows…
/// let read = ofxkit::parse(&bytes)?;
/// let t: Vec<_> = read.transactions().collect();
/// assert_eq!(t[0].amount.as_ref().unwrap().value, Decimal::new(-1250, 2));
/// assert_eq!(t[1].date_posted.as_ref().unwrap().value.to_iso8601(), "2024-01-15");
/// // …and writing what was read gives the same bytes.
/// let mut again = Vec::new();
/// read.write_ofx(&mut again, &options)?;
/// assert_eq!(again, bytes);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementBuilder {
    currency: String,
    account: AccountRef,
    transaction_uid: String,
    period: Option<(DateValue, DateValue)>,
    transactions: Vec<TransactionRow>,
    ledger: Option<(Decimal, DateValue)>,
    available: Option<(Decimal, DateValue)>,
}

impl StatementBuilder {
    /// A statement of `account` in `currency` (ISO 4217: `USD`, `EUR`…), `TRNUID` 0.
    pub fn new(currency: impl Into<String>, account: AccountRef) -> Self {
        StatementBuilder {
            currency: currency.into(),
            account,
            transaction_uid: "0".into(),
            period: None,
            transactions: Vec::new(),
            ledger: None,
            available: None,
        }
    }

    /// The `TRNUID` of the statement's wrapper.
    pub fn transaction_uid(mut self, uid: impl Into<String>) -> Self {
        self.transaction_uid = uid.into();
        self
    }

    /// `DTSTART` and `DTEND` of the transaction list (without them, the dates of the first
    /// and last transaction posted).
    pub fn period(mut self, start: impl Into<DateValue>, end: impl Into<DateValue>) -> Self {
        self.period = Some((start.into(), end.into()));
        self
    }

    /// Adds a transaction.
    pub fn transaction(mut self, row: TransactionRow) -> Self {
        self.transactions.push(row);
        self
    }

    /// `LEDGERBAL`.
    pub fn ledger_balance(mut self, amount: Decimal, as_of: impl Into<DateValue>) -> Self {
        self.ledger = Some((amount, as_of.into()));
        self
    }

    /// `AVAILBAL`.
    pub fn available_balance(mut self, amount: Decimal, as_of: impl Into<DateValue>) -> Self {
        self.available = Some((amount, as_of.into()));
        self
    }

    /// True for a credit-card statement.
    pub fn is_credit_card(&self) -> bool {
        matches!(self.account, AccountRef::CreditCard { .. })
    }

    /// The statement's transaction wrapper (`STMTTRNRS` or `CCSTMTTRNRS`).
    pub fn build(&self) -> Node {
        let card = self.is_credit_card();
        let account = Account::from(self.account.clone()).from_node();
        let (start, end) = match self.period {
            Some((s, e)) => (Some(s.to_ofx()), Some(e.to_ofx())),
            None => {
                let mut dates: Vec<String> =
                    self.transactions.iter().map(|t| t.posted.to_ofx()).collect();
                dates.sort();
                (dates.first().cloned(), dates.last().cloned())
            }
        };
        let mut list = Vec::new();
        list.extend(start.map(|s| Node::leaf("DTSTART", s)));
        list.extend(end.map(|e| Node::leaf("DTEND", e)));
        list.extend(self.transactions.iter().map(TransactionRow::node));
        let mut rs = vec![
            Node::leaf("CURDEF", self.currency.clone()),
            account,
            Node::aggregate("BANKTRANLIST", list),
        ];
        let balance = |name: &str, (amount, at): (Decimal, DateValue)| {
            Node::aggregate(
                name,
                vec![Node::leaf("BALAMT", amount.to_string()), Node::leaf("DTASOF", at.to_ofx())],
            )
        };
        rs.extend(self.ledger.map(|b| balance("LEDGERBAL", b)));
        rs.extend(self.available.map(|b| balance("AVAILBAL", b)));
        let status = Node::aggregate(
            "STATUS",
            vec![Node::leaf("CODE", "0"), Node::leaf("SEVERITY", "INFO")],
        );
        let (rs_name, wrapper) =
            if card { ("CCSTMTRS", "CCSTMTTRNRS") } else { ("STMTRS", "STMTTRNRS") };
        Node::aggregate(
            wrapper,
            vec![
                Node::leaf("TRNUID", self.transaction_uid.clone()),
                status,
                Node::aggregate(rs_name, rs),
            ],
        )
    }

    /// A document holding this statement (its sign-on is made up when written).
    pub fn into_document(self) -> OfxDocument {
        StatementBuilder::document([self])
    }

    /// A document holding these statements: bank statements in `BANKMSGSRSV1`, then card
    /// statements in `CREDITCARDMSGSRSV1` (its sign-on is made up when written).
    pub fn document(statements: impl IntoIterator<Item = StatementBuilder>) -> OfxDocument {
        let (mut bank, mut card) = (Vec::new(), Vec::new());
        for s in statements {
            if s.is_credit_card() { card.push(s.build()) } else { bank.push(s.build()) }
        }
        let mut sets = Vec::new();
        if !bank.is_empty() {
            sets.push(Node::aggregate("BANKMSGSRSV1", bank));
        }
        if !card.is_empty() {
            sets.push(Node::aggregate("CREDITCARDMSGSRSV1", card));
        }
        OfxDocument::new(sets)
    }
}
