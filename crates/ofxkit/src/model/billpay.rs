//! Bill payment: payments, recurring-payment models, the wrappers around them and the
//! synchronization messages that carry them (OFX `BILLPAYMSGSRQV1`/`BILLPAYMSGSRSV1`, OFC
//! `PAYMTRQ`/`PAYMTRS`, `INTERRQ`/`INTERRS`, `PAYIQRQ`/`PAYIQRS`).
//!
//! Payee-list records are [`PayeeRecord`](crate::model::PayeeRecord)s; they share the
//! [`Wrapper`], [`Action`] and [`Direction`] of this module.

use std::borrow::Cow;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::codes::Coded;
use crate::codes::ofc::OfcAction;
use crate::codes::ofx::{Freq, IdScope, PmtPrcCode};
use crate::diagnostic::Span;
use crate::model::common::{Account, Amount, Date, Extension, Payee, Status};
use crate::model::other::{PayeeRecord, Response};
use crate::model::secret::Secret;

/// What a record asks for or reports.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// A new object (`PMTRQ`/`PMTRS`, `RECPMTRQ`/`RECPMTRS`, `PAYEERQ`/`PAYEERS`, OFC
    /// ACTION 0).
    Add,
    /// A change (`…MODRQ`/`…MODRS`, OFC ACTION 2).
    Modify,
    /// A payment or model cancelled (`PMTCANCRQ`/`RS`, `RECPMTCANCRQ`/`RS`, OFC ACTION 1 on
    /// a payment).
    Cancel,
    /// A payee removed from the list (`PAYEEDELRQ`/`RS`, OFC ACTION 1 on a payee).
    Delete,
    /// A status inquiry (`PMTINQRQ`/`RS`, OFC `PAYIQRQ`/`RS`).
    Inquiry,
}

impl Action {
    /// `add`, `modify`, `cancel`, `delete`, `inquiry`.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Add => "add",
            Action::Modify => "modify",
            Action::Cancel => "cancel",
            Action::Delete => "delete",
            Action::Inquiry => "inquiry",
        }
    }
}

/// Whether a record is a client's request or a server's response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// `…RQ`.
    Request,
    /// `…RS`.
    Response,
}

/// The transaction wrapper around one record: OFX `PMTTRNRS`, `PAYEETRNRQ`, … (TRNUID,
/// CLTCOOKIE, TAN, STATUS) or OFC `TRNRS`/`MAINTRQ`… (CLTID, ACTION, STATUS, ERROR).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Wrapper<'t> {
    /// The wrapper's name.
    pub kind: &'t str,
    /// `TRNUID` (OFC `CLTID`); `0` on server-originated records.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transaction_uid: Option<&'t str>,
    /// `CLTCOOKIE`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_cookie: Option<&'t str>,
    /// `TAN` (secret).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tan: Option<Secret<'t>>,
    /// `STATUS` (responses).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Status<'t>>,
    /// OFC `ACTION` (requests): 0 add, 1 delete, 2 change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ofc_action: Option<Coded<OfcAction>>,
    /// Where it is.
    #[serde(skip)]
    pub span: Span,
}

impl Wrapper<'_> {
    /// True when the wrapper's status says the request failed.
    pub fn is_error(&self) -> bool {
        self.status.as_ref().is_some_and(|s| s.is_error)
    }
}

/// `PMTPRCSTS`: where a payment stands (`PMTPRCCODE`) and since or until when (`DTPMTPRC`).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct ProcessingStatus<'t> {
    /// `PMTPRCCODE`: WILLPROCESSON, PROCESSEDON, NOFUNDSON, FAILEDON, CANCELEDON.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<Coded<PmtPrcCode>>,
    /// `DTPMTPRC`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<Date<'t>>,
}

/// `EXTDPAYEE`: the institution's payee behind a payee-list entry, and its days to pay.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct ExtendedPayee<'t> {
    /// `PAYEEID` (`PAYEEID2`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payee_id: Option<&'t str>,
    /// `IDSCOPE`: GLOBAL (the FI's standard list) or USER.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_scope: Option<Coded<IdScope>>,
    /// `NAME`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<&'t str>,
    /// `DAYSTOPAY`: business days the payee needs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days_to_pay: Option<&'t str>,
    /// Elements not named above.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extensions: Vec<Extension<'t>>,
}

/// `PMTINFO` (`PMTINFO2`): what a payment pays, from where, to whom, when. OFC's `PAYMTRQ`
/// and `INTERRQ` hold the same fields directly.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct PaymentInfo<'t> {
    /// `BANKACCTFROM` (OFC `ACCTFROM`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_from: Option<Account<'t>>,
    /// `TRNAMT`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<Amount<'t>>,
    /// `PAYEEID` (`PAYEEID2`): a payee of the institution's list.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payee_id: Option<&'t str>,
    /// `PAYEE` (`PAYEE2`, OFC `PAYEE`/`ENTITY`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payee: Option<Payee<'t>>,
    /// `PAYEELSTID` (`PAYEELSTID2`): the user's payee-list entry.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payee_list_id: Option<&'t str>,
    /// OFC `INTERRQ` `NAME` of the payee behind `ACCTTO`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<&'t str>,
    /// `BANKACCTTO` (OFC `ACCTTO`): pay by transfer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_to: Option<Account<'t>>,
    /// `PAYACCT`: the user's account number at the payee.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pay_account: Option<&'t str>,
    /// `DTDUE`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due: Option<Date<'t>>,
    /// `MEMO` (`MEMO2`; OFC allows several, joined with line breaks).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memo: Option<Cow<'t, str>>,
    /// `BILLREFINFO`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bill_reference: Option<&'t str>,
    /// `BILLPUBINFO/BILLPUB` (OFX 2.x).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bill_publisher: Option<&'t str>,
    /// `BILLPUBINFO/BILLID` (OFX 2.x; OFX 1.6 `PMTINFO2/BILLID`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bill_id: Option<&'t str>,
    /// Elements not named above (`EXTDPMT`, `PMTTYPE`, `CCMOTOACCT`, …).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extensions: Vec<Extension<'t>>,
}

impl<'t> PaymentInfo<'t> {
    pub(crate) fn new() -> Self {
        PaymentInfo {
            account_from: None,
            amount: None,
            payee_id: None,
            payee: None,
            payee_list_id: None,
            name: None,
            account_to: None,
            pay_account: None,
            due: None,
            memo: None,
            bill_reference: None,
            bill_publisher: None,
            bill_id: None,
            extensions: Vec::new(),
        }
    }

    /// The payee's name: `PAYEE/NAME`, or OFC `NAME`.
    pub fn payee_name(&self) -> Option<&'t str> {
        self.payee.as_ref().and_then(Payee::name).or(self.name)
    }
}

/// One payment record: OFX `PMTRQ`, `PMTRS`, `PMTMODRQ`, `PMTMODRS`, `PMTCANCRQ`,
/// `PMTCANCRS`, `PMTINQRQ`, `PMTINQRS`; OFC `PAYMTRQ`, `PAYMTRS`, `INTERRQ`, `INTERRS`,
/// `PAYIQRQ`, `PAYIQRS`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Payment<'t> {
    /// The aggregate's name.
    pub kind: &'t str,
    /// Add, modify, cancel or inquiry (OFC responses carry no ACTION: none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<Action>,
    /// Request or response.
    pub direction: Direction,
    /// The transaction wrapper, with its status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wrapper: Option<Wrapper<'t>>,
    /// `SRVRTID` (`SRVRTID2`): the server's id of the payment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server_id: Option<&'t str>,
    /// `PAYEELSTID` of a `PMTRS`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payee_list_id: Option<&'t str>,
    /// OFC `PAYMTRS` `PAYEEID`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payee_id: Option<&'t str>,
    /// `CURDEF`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<&'t str>,
    /// `PMTINFO` (OFC: the fields of `PAYMTRQ`/`INTERRQ`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub info: Option<PaymentInfo<'t>>,
    /// `EXTDPAYEE`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extended_payee: Option<ExtendedPayee<'t>>,
    /// `CHECKNUM` (OFC `CHKNUM`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub check_number: Option<&'t str>,
    /// `PMTPRCSTS`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub processing: Option<ProcessingStatus<'t>>,
    /// `RECSRVRTID`: the recurring model that generated the payment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recurring_id: Option<&'t str>,
    /// OFC `INTERRS` `DTPOSTED`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_posted: Option<Date<'t>>,
    /// OFC `PAYIQRQ`/`PAYIQRS` `MEMO` (the inquiry's text).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memo: Option<Cow<'t, str>>,
    /// The `TOKEN` of the synchronization message that carried the record, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sync_token: Option<&'t str>,
    /// Elements not named above.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extensions: Vec<Extension<'t>>,
    /// Where it is.
    #[serde(skip)]
    pub span: Span,
}

/// `RECURRINST`: how many payments (`NINSTS`, absent = until cancelled) and how often
/// (`FREQ`).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct RecurringInstructions<'t> {
    /// `NINSTS` read as a number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instalments: Option<u32>,
    /// `NINSTS` as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instalments_raw: Option<&'t str>,
    /// `FREQ`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub frequency: Option<Coded<Freq>>,
    /// Elements not named above.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extensions: Vec<Extension<'t>>,
}

/// One recurring-payment record: `RECPMTRQ`, `RECPMTRS`, `RECPMTMODRQ`, `RECPMTMODRS`,
/// `RECPMTCANCRQ`, `RECPMTCANCRS`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct RecurringPayment<'t> {
    /// The aggregate's name.
    pub kind: &'t str,
    /// Add, modify or cancel.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<Action>,
    /// Request or response.
    pub direction: Direction,
    /// The transaction wrapper, with its status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wrapper: Option<Wrapper<'t>>,
    /// `RECSRVRTID` (`RECSRVRTID2`): the server's id of the model.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recurring_id: Option<&'t str>,
    /// `PAYEELSTID`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payee_list_id: Option<&'t str>,
    /// `CURDEF`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<&'t str>,
    /// `RECURRINST`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instructions: Option<RecurringInstructions<'t>>,
    /// `PMTINFO`: the payment each instalment makes; `DTDUE` is the first due date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub info: Option<PaymentInfo<'t>>,
    /// `INITIALAMT`: the first payment's amount, when it differs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub initial_amount: Option<Amount<'t>>,
    /// `FINALAMT`: the last payment's amount, when it differs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub final_amount: Option<Amount<'t>>,
    /// `EXTDPAYEE`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extended_payee: Option<ExtendedPayee<'t>>,
    /// `MODPENDING`: the change also applies to the model's pending payments.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modify_pending: Option<bool>,
    /// `CANPENDING`: the model's pending payments are cancelled too.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cancel_pending: Option<bool>,
    /// The `TOKEN` of the synchronization message that carried the record, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sync_token: Option<&'t str>,
    /// Elements not named above.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extensions: Vec<Extension<'t>>,
    /// Where it is.
    #[serde(skip)]
    pub span: Span,
}

/// What a synchronization message keeps in step.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[non_exhaustive]
#[serde(rename_all = "snake_case")]
pub enum SyncKind {
    /// `PMTSYNCRQ`/`PMTSYNCRS`: payments of one account.
    Payments,
    /// `PAYEESYNCRQ`/`PAYEESYNCRS`: the user's payee list.
    Payees,
    /// `RECPMTSYNCRQ`/`RECPMTSYNCRS`: recurring models of one account.
    Recurring,
}

impl SyncKind {
    /// `payments`, `payees`, `recurring`.
    pub fn as_str(self) -> &'static str {
        match self {
            SyncKind::Payments => "payments",
            SyncKind::Payees => "payees",
            SyncKind::Recurring => "recurring",
        }
    }

    /// The kind of a sync aggregate's name (`PMTSYNCRS` → payments).
    pub fn of(name: &str) -> Option<SyncKind> {
        match name {
            "PMTSYNCRQ" | "PMTSYNCRS" => Some(SyncKind::Payments),
            "PAYEESYNCRQ" | "PAYEESYNCRS" => Some(SyncKind::Payees),
            "RECPMTSYNCRQ" | "RECPMTSYNCRS" => Some(SyncKind::Recurring),
            _ => None,
        }
    }
}

/// A synchronization request or response: `PMTSYNCRQ`/`RS`, `PAYEESYNCRQ`/`RS`,
/// `RECPMTSYNCRQ`/`RS`, with the records it carries in file order.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct SyncMessage<'t> {
    /// The aggregate's name.
    pub kind: &'t str,
    /// Payments, payees or recurring models.
    pub entity: SyncKind,
    /// Request or response.
    pub direction: Direction,
    /// `TOKEN` (`TOKEN2`): in a request the last token the client has, in a response the
    /// token to send next time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<&'t str>,
    /// `TOKENONLY`: send the current token only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_only: Option<bool>,
    /// `REFRESH`: send the current state, not the history.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh: Option<bool>,
    /// `REJECTIFMISSING`: do not run the embedded requests if the token is out of date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reject_if_missing: Option<bool>,
    /// `LOSTSYNC`: the token was older than the server's history; the client must refresh.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lost_sync: Option<bool>,
    /// `SYNCERROR` (OFX 1.5/1.6): the code of a synchronization failure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sync_error: Option<&'t str>,
    /// `BANKACCTFROM` (payments and recurring models).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<Account<'t>>,
    /// Payment records (`PMTTRNRS` / `PMTTRNRQ` contents).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub payments: Vec<Payment<'t>>,
    /// Payee records (`PAYEETRNRS` / `PAYEETRNRQ` contents).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub payees: Vec<PayeeRecord<'t>>,
    /// Recurring-model records (`RECPMTTRNRS` / `RECPMTTRNRQ` contents).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub recurring: Vec<RecurringPayment<'t>>,
    /// Wrappers that hold no record (a failed request's response) or one the model does not
    /// expand, with their status.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub responses: Vec<Response<'t>>,
    /// Elements not named above.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extensions: Vec<Extension<'t>>,
    /// Where it is.
    #[serde(skip)]
    pub span: Span,
}
