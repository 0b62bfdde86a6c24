//! Sign-on, account lists, payee records and the other responses a file may carry.

use schemars::JsonSchema;
use serde::Serialize;

use crate::diagnostic::Span;
use crate::model::billpay::{Action, Direction, ExtendedPayee, Wrapper};
use crate::model::common::{Account, Date, Extension, Institution, Payee, ServiceStatus, Status};
use crate::model::secret::Secret;

/// The sign-on response: OFX `SONRS`, OFC `SONRS`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Signon<'t> {
    /// `STATUS`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Status<'t>>,
    /// `DTSERVER`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server_date: Option<Date<'t>>,
    /// `LANGUAGE`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<&'t str>,
    /// `FI`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub institution: Option<Institution<'t>>,
    /// `USERKEY` (secret).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_key: Option<Secret<'t>>,
    /// OFC `SESSKEY` (secret).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_key: Option<Secret<'t>>,
    /// `DTPROFUP`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile_updated: Option<Date<'t>>,
    /// `DTACCTUP`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accounts_updated: Option<Date<'t>>,
    /// OFC `SERVICE` codes the server offers.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<&'t str>,
    /// Elements not named above (`INTU.BID`, …).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extensions: Vec<Extension<'t>>,
}

/// One `ACCTINFO` of an account list.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct AccountInfo<'t> {
    /// `DESC`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<&'t str>,
    /// `PHONE`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<&'t str>,
    /// `BANKACCTINFO`, `CCACCTINFO`, `INVACCTINFO`, `BPACCTINFO`.
    pub services: Vec<AccountService<'t>>,
    /// Elements not named above.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extensions: Vec<Extension<'t>>,
}

/// An account and what the institution offers for it.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct AccountService<'t> {
    /// The aggregate's name (`BANKACCTINFO`, …).
    pub kind: &'t str,
    /// The account.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<Account<'t>>,
    /// `SUPTXDL`: statements can be downloaded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub supports_download: Option<bool>,
    /// `XFERSRC`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transfer_source: Option<bool>,
    /// `XFERDEST`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transfer_destination: Option<bool>,
    /// `SVCSTATUS`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<ServiceStatus>,
    /// Elements not named above.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extensions: Vec<Extension<'t>>,
}

/// A payee-list record: OFX `PAYEERQ`/`PAYEERS`, `PAYEEMODRQ`/`PAYEEMODRS`,
/// `PAYEEDELRQ`/`PAYEEDELRS`; OFC `PAYEERQ`/`PAYEERS`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct PayeeRecord<'t> {
    /// The aggregate's name.
    pub kind: &'t str,
    /// `PAYEELSTID`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub list_id: Option<&'t str>,
    /// `PAYEEID`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payee_id: Option<&'t str>,
    /// `PAYEE` (OFC `PAYEE`/`ENTITY`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payee: Option<Payee<'t>>,
    /// `PAYACCT`: the user's account numbers at the payee.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub pay_accounts: Vec<&'t str>,
    /// `EXTDPAYEE/DAYSTOPAY` (OFC `DAYSREQD`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days_to_pay: Option<&'t str>,
    /// OFC `DAYSWITH`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days_with: Option<&'t str>,
    /// `BANKACCTTO` of the payee.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_to: Option<Account<'t>>,
    /// Status of the wrapper (`PAYEETRNRS`, OFC `MAINTRS`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Status<'t>>,
    /// Elements not named above.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extensions: Vec<Extension<'t>>,
    /// Where it is.
    #[serde(skip)]
    pub span: Span,
    /// Add, modify or delete (OFC: from the wrapper's ACTION; none on OFC responses).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<Action>,
    /// Request or response.
    pub direction: Direction,
    /// The transaction wrapper (`PAYEETRNRS`, OFC `MAINTRS`…), with its TRNUID and status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wrapper: Option<Wrapper<'t>>,
    /// `EXTDPAYEE` (PAYEEID, IDSCOPE, NAME, DAYSTOPAY).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extended_payee: Option<ExtendedPayee<'t>>,
    /// `MODPENDING` (OFX 1.6 `PAYEEMODRQ`/`RS`): pending payments follow the change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modify_pending: Option<bool>,
    /// The `TOKEN` of the synchronization message that carried the record, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sync_token: Option<&'t str>,
}

/// A response wrapper (`xxxTRNRS`, OFC `TRNRS`/`MAINTRS`) the model does not expand: its
/// identifier and status are read, its content kept as extensions.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Response<'t> {
    /// The wrapper's name.
    pub kind: &'t str,
    /// `TRNUID` (OFC `CLTID`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transaction_uid: Option<&'t str>,
    /// `STATUS`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Status<'t>>,
    /// The content.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extensions: Vec<Extension<'t>>,
    /// Where it is.
    #[serde(skip)]
    pub span: Span,
}
