//! The typed model of a file, borrowing its texts from the element tree.
//!
//! Every value keeps its original text beside the parsed value; elements the model does not
//! name are kept as [`Extension`]s on the nearest aggregate, so nothing the file holds is
//! lost. Secret values (passwords, keys, tokens) are kept as [`Secret`]s, which serialise as
//! `***` unless the model is read with [`ModelOptions::show_secrets`].

mod billpay;
mod common;
mod invest;
mod other;
mod secret;
mod statement;
mod transaction;

pub use billpay::{
    Action, Direction, ExtendedPayee, Payment, PaymentInfo, ProcessingStatus,
    RecurringInstructions, RecurringPayment, SyncKind, SyncMessage, Wrapper,
};
pub use common::{
    Account, AccountKind, Amount, Balance, BalanceItem, Currency, Date, Extension, Institution,
    Payee, ServiceStatus, Status,
};
pub use invest::{InvestmentBalance, InvestmentTransaction, Position, Security, SecurityId};
pub use other::{AccountInfo, AccountService, PayeeRecord, Response, Signon};
pub use secret::{ModelOptions, REDACTED, Secret};
pub use statement::{Statement, StatementKind};
pub use transaction::{PendingTransaction, Transaction};

use schemars::JsonSchema;
use serde::Serialize;

use crate::diagnostic::Diagnostic;

/// Everything read from one file.
#[non_exhaustive]
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
    /// Payee records (OFX `PAYEERS`/`PAYEERQ`, OFC `PAYEERS`/`PAYEERQ`) outside
    /// synchronization messages.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub payees: Vec<PayeeRecord<'t>>,
    /// Payment records outside synchronization messages (OFX `PMTRQ`/`PMTRS`, `PMTMODRQ`/`RS`,
    /// `PMTCANCRQ`/`RS`, `PMTINQRQ`/`RS`; OFC `PAYMTRQ`/`RS`, `INTERRQ`/`RS`, `PAYIQRQ`/`RS`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub payments: Vec<Payment<'t>>,
    /// Recurring-model records outside synchronization messages (`RECPMTRQ`/`RS`,
    /// `RECPMTMODRQ`/`RS`, `RECPMTCANCRQ`/`RS`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub recurring: Vec<RecurringPayment<'t>>,
    /// Synchronization messages (`PMTSYNCRQ`/`RS`, `PAYEESYNCRQ`/`RS`, `RECPMTSYNCRQ`/`RS`),
    /// each with the records it carries.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sync: Vec<SyncMessage<'t>>,
    /// Other responses (transaction wrappers the model does not expand), with their status.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub responses: Vec<Response<'t>>,
    /// Elements at the top the model does not name.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extensions: Vec<Extension<'t>>,
    /// Findings while reading the tree into the model (the syntax layer's come first).
    pub diagnostics: Vec<Diagnostic>,
    /// Every error by position, whatever the findings cap kept: what rows are marked from.
    #[serde(skip)]
    #[schemars(skip)]
    pub(crate) errors: crate::problems::ProblemIndex,
}

impl<'t> Model<'t> {
    /// Every payment record, those inside synchronization messages included, in file order.
    pub fn all_payments(&self) -> Vec<&Payment<'t>> {
        let mut out: Vec<&Payment<'t>> =
            self.payments.iter().chain(self.sync.iter().flat_map(|s| &s.payments)).collect();
        out.sort_by_key(|p| p.span.start);
        out
    }

    /// Every payee-list record, those inside synchronization messages included, in file
    /// order.
    pub fn all_payees(&self) -> Vec<&PayeeRecord<'t>> {
        let mut out: Vec<&PayeeRecord<'t>> =
            self.payees.iter().chain(self.sync.iter().flat_map(|s| &s.payees)).collect();
        out.sort_by_key(|p| p.span.start);
        out
    }

    /// Every recurring-model record, those inside synchronization messages included, in file
    /// order.
    pub fn all_recurring(&self) -> Vec<&RecurringPayment<'t>> {
        let mut out: Vec<&RecurringPayment<'t>> =
            self.recurring.iter().chain(self.sync.iter().flat_map(|s| &s.recurring)).collect();
        out.sort_by_key(|p| p.span.start);
        out
    }
}

#[cfg(test)]
mod size_tests {
    use super::*;

    /// A file holds a million transactions, or a million statements, and the model holds
    /// them all (`--to json`, `--what statements`): the parts few of them have (a payee, a
    /// status, investment balances…) are boxed, so each costs a pointer when absent.
    #[test]
    fn transactions_and_statements_stay_small() {
        let sizes = (size_of::<Transaction<'_>>(), size_of::<Statement<'_>>());
        eprintln!("Transaction {} B, Statement {} B", sizes.0, sizes.1);
        assert!(sizes.0 <= 640 && sizes.1 <= 880, "{sizes:?}");
    }
}
