//! The typed model of a file, borrowing its texts from the element tree.
//!
//! Every value keeps its original text beside the parsed value; elements the model does not
//! name are kept as [`Extension`]s on the nearest aggregate, so nothing the file holds is
//! lost.

mod common;
mod invest;
mod other;
mod statement;
mod transaction;

pub use common::{
    Account, AccountKind, Amount, Balance, BalanceItem, Currency, Date, Extension, Institution,
    Payee, ServiceStatus, Status,
};
pub use invest::{InvestmentBalance, InvestmentTransaction, Position, Security, SecurityId};
pub use other::{AccountInfo, AccountService, PayeeRecord, Response, Signon};
pub use statement::{Statement, StatementKind};
pub use transaction::{PendingTransaction, Transaction};

use schemars::JsonSchema;
use serde::Serialize;

use crate::diagnostic::Diagnostic;

/// Everything read from one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Model<'t> {
    /// `OFX 1.x`, `OFX 2.x` or `OFC`.
    pub format: &'static str,
    /// Header `VERSION`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<u16>,
    /// Quicken/QuickBooks (`INTU.*` elements).
    pub qfx: bool,
    /// The encoding the text was read in.
    pub encoding: &'static str,
    /// Sign-on response (`SONRS`, OFC `SONRS`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signon: Option<Signon<'t>>,
    /// Statements, in file order.
    pub statements: Vec<Statement<'t>>,
    /// Account lists (`ACCTINFORS`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub account_lists: Vec<AccountInfo<'t>>,
    /// Securities (`SECLIST`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub securities: Vec<Security<'t>>,
    /// Payee records (OFX `PAYEERS`/`PAYEERQ`, OFC `PAYEERS`/`PAYEERQ`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub payees: Vec<PayeeRecord<'t>>,
    /// Other responses (transaction wrappers the model does not expand), with their status.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub responses: Vec<Response<'t>>,
    /// Elements at the top the model does not name.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extensions: Vec<Extension<'t>>,
    /// Findings while reading the tree into the model (the syntax layer's come first).
    pub diagnostics: Vec<Diagnostic>,
}
