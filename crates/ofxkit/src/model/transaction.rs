//! Bank and credit-card transactions: OFX `STMTTRN`, pending `STMTTRNP`, OFC `STMTTRN`/`GENTRN`.

use schemars::JsonSchema;
use serde::Serialize;

use crate::codes::Coded;
use crate::codes::ofc::OfcTrnType;
use crate::codes::ofx::{CorrectAction, Inv401kSource, TrnType};
use crate::diagnostic::Span;
use crate::model::common::{Account, Amount, Currency, Date, Extension, Payee};

/// One posted transaction, with every field of OFX 1.6/2.x `STMTTRN` and OFC `GENTRN`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Transaction<'t> {
    /// `TRNTYPE` as an OFX name (for OFC files, the name the numeric code maps to).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trntype: Option<Coded<TrnType>>,
    /// OFC numeric `TRNTYPE`, as in the file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ofc_trntype: Option<Coded<OfcTrnType>>,
    /// `DTPOSTED`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_posted: Option<Date<'t>>,
    /// `DTUSER`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_user: Option<Date<'t>>,
    /// `DTAVAIL`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_available: Option<Date<'t>>,
    /// `TRNAMT`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<Amount<'t>>,
    /// `FITID`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fitid: Option<&'t str>,
    /// `CORRECTFITID`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub correct_fitid: Option<&'t str>,
    /// `CORRECTACTION`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub correct_action: Option<Coded<CorrectAction>>,
    /// `SRVRTID`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server_id: Option<&'t str>,
    /// OFC `CLTID`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_id: Option<&'t str>,
    /// `CHECKNUM` (OFC `CHKNUM`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub check_number: Option<&'t str>,
    /// `REFNUM`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<&'t str>,
    /// `SIC`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sic: Option<&'t str>,
    /// `PAYEEID`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payee_id: Option<&'t str>,
    /// `NAME`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<&'t str>,
    /// `EXTDNAME`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extended_name: Option<&'t str>,
    /// `PAYEE` (in place of NAME).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payee: Option<Box<Payee<'t>>>,
    /// `BANKACCTTO`, `CCACCTTO` (OFC `ACCTTO`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_to: Option<Box<Account<'t>>>,
    /// `MEMO` (OFC allows several: joined with a line break).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memo: Option<std::borrow::Cow<'t, str>>,
    /// `CURRENCY` or `ORIGCURRENCY`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<Box<Currency<'t>>>,
    /// `INV401KSOURCE`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inv401k_source: Option<Coded<Inv401kSource>>,
    /// `SUBACCTFUND` of an `INVBANKTRAN` (cash movement inside an investment account).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sub_account_fund: Option<&'t str>,
    /// Elements not named above.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extensions: Vec<Extension<'t>>,
    /// The codes of the errors found inside this `STMTTRN` (each once, in file order): empty
    /// when it was read cleanly. A value the file did not finish (cut by the end of the
    /// input, or closed by recovery) is left out of the fields above and its code is here.
    /// Its line is `doc.syntax().line_col(t.span.start).line`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<&'static str>,
    /// Where it is.
    #[serde(skip)]
    pub span: Span,
}

impl<'t> Transaction<'t> {
    pub(crate) fn new(span: Span) -> Self {
        Transaction {
            trntype: None,
            ofc_trntype: None,
            date_posted: None,
            date_user: None,
            date_available: None,
            amount: None,
            fitid: None,
            correct_fitid: None,
            correct_action: None,
            server_id: None,
            client_id: None,
            check_number: None,
            reference: None,
            sic: None,
            payee_id: None,
            name: None,
            extended_name: None,
            payee: None,
            account_to: None,
            memo: None,
            currency: None,
            inv401k_source: None,
            sub_account_fund: None,
            extensions: Vec::new(),
            problems: Vec::new(),
            span,
        }
    }

    /// `NAME`, or the payee's name.
    pub fn display_name(&self) -> Option<&'t str> {
        self.name.or_else(|| self.payee.as_deref().and_then(Payee::name))
    }
}

/// A pending transaction (OFX 2.x `STMTTRNP` in `BANKTRANLISTP`).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct PendingTransaction<'t> {
    /// `TRNTYPE`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trntype: Option<Coded<TrnType>>,
    /// `DTTRAN`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<Date<'t>>,
    /// `DTEXPIRE`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<Date<'t>>,
    /// `TRNAMT`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<Amount<'t>>,
    /// `REFNUM`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<&'t str>,
    /// `NAME`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<&'t str>,
    /// `EXTDNAME`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extended_name: Option<&'t str>,
    /// `MEMO`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memo: Option<&'t str>,
    /// `CURRENCY` or `ORIGCURRENCY`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<Currency<'t>>,
    /// Elements not named above.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extensions: Vec<Extension<'t>>,
    /// Where it is.
    #[serde(skip)]
    pub span: Span,
}
