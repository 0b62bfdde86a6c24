//! Pieces shared by several aggregates: values with their original text, status, accounts,
//! balances, payees, currencies, and the elements the model does not name.

use rust_decimal::Decimal;
use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Serialize, Serializer};

use crate::codes::Coded;
use crate::codes::ofc::{OfcAccountType, OfcStatus};
use crate::codes::ofx::{AccountType, Severity as OfxSeverity, SvcStatus};
use crate::datetime::OfxDateTime;
use crate::diagnostic::Span;

/// An amount: exact decimal value, and the text as written (`-12,50`, `R$ 5.326,43`).
///
/// Serialises as the decimal's canonical text (`"-12.50"`): never a float.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Amount<'t> {
    /// The value.
    pub value: Decimal,
    /// The text in the file.
    pub raw: &'t str,
}

impl Serialize for Amount<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.value)
    }
}

impl JsonSchema for Amount<'_> {
    fn schema_name() -> Cow<'static, str> {
        "Amount".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": "^-?[0-9]+(\\.[0-9]+)?$",
            "description": "An exact decimal as text (never a float): an optional minus, digits, \
                            and the decimals the file gave.",
            "examples": ["-12.50", "1000"]
        })
    }
}

/// A date or date-time with the precision and offset the file gave, and its text.
///
/// Serialises as ISO 8601 (`2024-01-15`, `2024-01-15T12:00:00.000-05:00`): an offset only
/// when the file had one, never the machine's zone.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Date<'t> {
    /// The value.
    pub value: OfxDateTime,
    /// The text in the file.
    pub raw: &'t str,
}

impl Serialize for Date<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.value.to_iso8601())
    }
}

impl JsonSchema for Date<'_> {
    fn schema_name() -> Cow<'static, str> {
        "Date".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": crate::datetime::ISO8601_PATTERN,
            "description": "ISO 8601 with the precision the file gave (a date, or a date-time \
                            with seconds and, where the file had them, milliseconds), and the \
                            file's UTC offset only when the file gave one.",
            "examples": ["2024-01-15", "2024-01-15T12:00:00.000-05:00", "2024-01-15T12:00:00"]
        })
    }
}

/// An element the model does not name (vendor `INTU.*`, bank extensions, newer OFX
/// elements): kept with its path, its text (leaves) or its children (aggregates).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Extension<'t> {
    /// Tag name.
    pub name: &'t str,
    /// Path from the root.
    pub path: String,
    /// Text of a leaf; `***` for the value of a secret element (a password, key or token)
    /// unless the secrets were asked for (`--show-secrets`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<&'t str>,
    /// Children of an aggregate.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Extension<'t>>,
    /// Where it is.
    #[serde(skip)]
    pub span: Span,
    /// The value of a secret element ([`ofxkit_syntax::SECRET_ELEMENTS`]), whatever `text`
    /// shows (see [`ModelOptions`](crate::model::ModelOptions)); never serialised.
    #[serde(skip)]
    pub secret: Option<crate::model::Secret<'t>>,
}

/// The result of a request: OFX `STATUS` (CODE, SEVERITY, MESSAGE) or OFC `STATUS`/`ERROR`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Status<'t> {
    /// OFX numeric code (`0`, `2000`, …); for OFC, the OFX code the OFC status maps to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<u32>,
    /// The code as written.
    pub code_text: &'t str,
    /// OFX severity (`INFO`, `WARN`, `ERROR`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub severity: Option<Coded<OfxSeverity>>,
    /// Meaning of the code from the OFX or OFC table.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meaning: Option<&'static str>,
    /// `MESSAGE` (OFX) or `ERROR` (OFC).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<&'t str>,
    /// The OFC status code, for OFC files.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ofc_status: Option<Coded<OfcStatus>>,
    /// True when the status says the request failed.
    pub is_error: bool,
    /// Elements not named above.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extensions: Vec<Extension<'t>>,
}

/// Which kind of account.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AccountKind {
    /// `BANKACCTFROM`/`BANKACCTTO`, or an OFC bank account.
    Bank,
    /// `CCACCTFROM`/`CCACCTTO`, or OFC ACCTTYPE 2.
    CreditCard,
    /// `INVACCTFROM`.
    Investment,
    /// Loan (`LOANACCTFROM`, OFC ACCTTYPE 5).
    Loan,
}

/// An account: bank, credit card, investment.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Account<'t> {
    /// Bank, credit card, investment or loan.
    pub kind: AccountKind,
    /// `BANKID` (routing number).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bank_id: Option<&'t str>,
    /// `BRANCHID`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub branch_id: Option<&'t str>,
    /// `ACCTID`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_id: Option<&'t str>,
    /// OFX `ACCTTYPE` (for OFC files, the OFX type the OFC code maps to).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_type: Option<Coded<AccountType>>,
    /// OFC numeric `ACCTTYPE`, as in the file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ofc_account_type: Option<Coded<OfcAccountType>>,
    /// `ACCTKEY`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_key: Option<&'t str>,
    /// `BROKERID` (investment accounts).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub broker_id: Option<&'t str>,
    /// Elements not named above.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extensions: Vec<Extension<'t>>,
    /// Where it is (the `BANKACCTFROM`, `CCACCTFROM`, … aggregate).
    #[serde(skip)]
    pub span: Span,
}

impl AccountKind {
    /// The name written in every output: `bank`, `credit_card`, `investment`, `loan`.
    pub fn as_str(self) -> &'static str {
        match self {
            AccountKind::Bank => "bank",
            AccountKind::CreditCard => "credit_card",
            AccountKind::Investment => "investment",
            AccountKind::Loan => "loan",
        }
    }
}

impl<'t> Account<'t> {
    pub(crate) fn new(kind: AccountKind, span: Span) -> Self {
        Account {
            kind,
            bank_id: None,
            branch_id: None,
            account_id: None,
            account_type: None,
            ofc_account_type: None,
            account_key: None,
            broker_id: None,
            extensions: Vec::new(),
            span,
        }
    }

    /// The account type as text: the OFX name when known, else the raw code, else the kind.
    pub fn type_label(&self) -> String {
        match (&self.account_type, self.kind) {
            (Some(t), _) => t.as_str().to_owned(),
            (None, AccountKind::CreditCard) => "CREDITCARD".to_owned(),
            (None, AccountKind::Investment) => "INVESTMENT".to_owned(),
            (None, AccountKind::Loan) => "LOAN".to_owned(),
            (None, AccountKind::Bank) => String::new(),
        }
    }
}

/// A balance (`LEDGERBAL`, `AVAILBAL`, OFC `LEDGER`).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Balance<'t> {
    /// `BALAMT` (OFC: the `LEDGER` value).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<Amount<'t>>,
    /// `DTASOF` (OFC: none; the statement's `DTEND` applies).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub as_of: Option<Date<'t>>,
    /// Elements not named above.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extensions: Vec<Extension<'t>>,
}

/// One entry of a `BALLIST` (`BAL`: NAME, DESC, BALTYPE, VALUE, DTASOF, CURRENCY).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct BalanceItem<'t> {
    /// `NAME`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<&'t str>,
    /// `DESC`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<&'t str>,
    /// `BALTYPE` (`DOLLAR`, `PERCENT`, `NUMBER`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub balance_type: Option<&'t str>,
    /// `VALUE`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<Amount<'t>>,
    /// `DTASOF`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub as_of: Option<Date<'t>>,
    /// Elements not named above.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extensions: Vec<Extension<'t>>,
}

/// `CURRENCY` / `ORIGCURRENCY`: the rate and the currency code.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Currency<'t> {
    /// `CURRATE`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate: Option<Amount<'t>>,
    /// `CURSYM` (ISO 4217).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub symbol: Option<&'t str>,
    /// True for `ORIGCURRENCY` (amounts already converted to the statement currency).
    pub original: bool,
    /// Elements not named above.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extensions: Vec<Extension<'t>>,
}

/// A payee's name and address: OFX `PAYEE` or OFC `PAYEE`/`ENTITY`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default, JsonSchema)]
pub struct Payee<'t> {
    /// `NAME` (OFC: up to three).
    pub names: Vec<&'t str>,
    /// `ADDR1`…`ADDR3` (OFC `ADDRESS`, up to three).
    pub address: Vec<&'t str>,
    /// `CITY`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city: Option<&'t str>,
    /// `STATE`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<&'t str>,
    /// `POSTALCODE` (OFC `POSTALID`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<&'t str>,
    /// `COUNTRY`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<&'t str>,
    /// `PHONE` (OFC: up to two).
    pub phones: Vec<&'t str>,
    /// Elements not named above.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extensions: Vec<Extension<'t>>,
    /// Where it is (the `PAYEE` aggregate).
    #[serde(skip)]
    pub span: Span,
}

impl<'t> Payee<'t> {
    /// The first name.
    pub fn name(&self) -> Option<&'t str> {
        self.names.first().copied()
    }
}

/// `FI`: the institution.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Institution<'t> {
    /// `ORG`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub org: Option<&'t str>,
    /// `FID`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fid: Option<&'t str>,
    /// Elements not named above.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extensions: Vec<Extension<'t>>,
}

/// Service status of an account (`SVCSTATUS`).
pub type ServiceStatus = Coded<SvcStatus>;
