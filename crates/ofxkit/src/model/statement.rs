//! Statements: bank (`STMTRS`, OFC `ACCTSTMT`), credit card (`CCSTMTRS`), investment
//! (`INVSTMTRS`).

use schemars::JsonSchema;
use serde::Serialize;

use crate::diagnostic::Span;
use crate::model::common::{Account, Balance, BalanceItem, Date, Extension, Status};
use crate::model::invest::{InvestmentBalance, InvestmentTransaction, Position};
use crate::model::transaction::{PendingTransaction, Transaction};
use ofxkit_syntax::NodeId;

/// What a statement is about.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StatementKind {
    /// Bank account (`STMTRS`, OFC `ACCTSTMT` of a bank account).
    Bank,
    /// Credit card (`CCSTMTRS`, OFC ACCTTYPE 2).
    CreditCard,
    /// Investment account (`INVSTMTRS`).
    Investment,
}

impl StatementKind {
    /// The name written in every output: `bank`, `credit_card`, `investment`.
    pub fn as_str(self) -> &'static str {
        match self {
            StatementKind::Bank => "bank",
            StatementKind::CreditCard => "credit_card",
            StatementKind::Investment => "investment",
        }
    }
}

/// One statement of one account.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Statement<'t> {
    /// Bank, credit card or investment.
    pub kind: StatementKind,
    /// `TRNUID` of the wrapper (OFC: `CLTID`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transaction_uid: Option<&'t str>,
    /// `STATUS` of the wrapper.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Box<Status<'t>>>,
    /// `CURDEF` (OFC has none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<&'t str>,
    /// The account (`BANKACCTFROM`, `CCACCTFROM`, `INVACCTFROM`, OFC `ACCTFROM`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<Account<'t>>,
    /// `DTSTART` of the transaction list.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<Date<'t>>,
    /// `DTEND` of the transaction list.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<Date<'t>>,
    /// `DTASOF` (investment statements).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub as_of: Option<Box<Date<'t>>>,
    /// Posted transactions (`BANKTRANLIST`; in investment statements, `INVBANKTRAN`).
    pub transactions: Vec<Transaction<'t>>,
    /// Pending transactions (`BANKTRANLISTP`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub pending: Vec<PendingTransaction<'t>>,
    /// `BANKTRANLISTP/DTASOF`: when the pending list was current.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pending_as_of: Option<Box<Date<'t>>>,
    /// `LEDGERBAL` (OFC `LEDGER`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ledger_balance: Option<Balance<'t>>,
    /// `AVAILBAL`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub available_balance: Option<Balance<'t>>,
    /// `BALLIST`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub balances: Vec<BalanceItem<'t>>,
    /// Buys, sells, income, transfers… (`INVTRANLIST`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub investment_transactions: Vec<InvestmentTransaction<'t>>,
    /// Positions (`INVPOSLIST`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub positions: Vec<Position<'t>>,
    /// `INVBAL`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub investment_balance: Option<Box<InvestmentBalance<'t>>>,
    /// `MKTGINFO`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub marketing_info: Option<&'t str>,
    /// Elements not named above.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extensions: Vec<Extension<'t>>,
    /// Where the statement aggregate is.
    #[serde(skip)]
    pub span: Span,
    /// Its number among the file's statements, from 1 (what rows call `statement`).
    #[serde(skip)]
    pub ordinal: usize,
    /// The statement aggregate (`STMTRS`, `CCSTMTRS`, `INVSTMTRS`, `ACCTSTMT`).
    #[serde(skip)]
    pub element: NodeId,
    /// When read without its transactions (streaming conversion): the `STMTTRN` elements the
    /// reader found, with the `SUBACCTFUND` of an `INVBANKTRAN`, in file order.
    #[serde(skip)]
    pub(crate) transaction_nodes: Vec<(NodeId, Option<NodeId>)>,
    /// When read for statement rows only (the transactions counted and summed as they are
    /// read, then dropped): how many, and the sum of the amounts that could be read.
    #[serde(skip)]
    pub(crate) folded: (usize, rust_decimal::Decimal),
}

impl Statement<'_> {
    /// Sum of the bank and card transaction amounts that could be read (exact).
    pub fn amount_sum(&self) -> rust_decimal::Decimal {
        let read = self.transactions.iter().filter_map(|t| t.amount.as_ref()).map(|a| a.value);
        self.folded.1 + read.sum::<rust_decimal::Decimal>()
    }

    /// Sum of the amounts that could be read (exact) of every transaction row the statement
    /// makes: [`amount_sum`](Self::amount_sum) plus each investment transaction's `TOTAL`.
    /// What a statement row's `amount_sum` holds.
    pub fn row_amount_sum(&self) -> rust_decimal::Decimal {
        let invest = self.investment_transactions.iter().filter_map(|t| t.total.as_ref());
        self.amount_sum() + invest.map(|a| a.value).sum::<rust_decimal::Decimal>()
    }

    /// How many transaction rows the statement makes: its bank and card transactions and its
    /// investment transactions.
    pub fn transaction_count(&self) -> usize {
        self.transactions.len() + self.folded.0 + self.investment_transactions.len()
    }
}
