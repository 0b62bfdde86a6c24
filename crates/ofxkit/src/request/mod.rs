//! Request files: what a client sends an OFX server, built and written with the same writer
//! as every other document ([`crate::write`]).
//!
//! A [`Request`] is a sign-on ([`SignOn`]: `USERID`, `USERPASS`, `FI`, `APPID`/`APPVER`,
//! `DTCLIENT`) and messages ([`Message`]), each in its message set:
//!
//! - a statement ([`Message::statement`]): `STMTRQ` of a bank account, `CCSTMTRQ` of a card,
//!   `INVSTMTRQ` of an investment account (transactions, positions and balances), with
//!   `INCTRAN`'s `DTSTART`/`DTEND`;
//! - a synchronization ([`Message::sync`], [`SyncRequest`]): `PMTSYNCRQ`, `PAYEESYNCRQ` or
//!   `RECPMTSYNCRQ` with a `TOKEN` (`0`: the whole history), `REFRESH` (the current state
//!   only) or `TOKENONLY`, and `REJECTIFMISSING`;
//! - a bill-pay change ([`Message::billpay`], [`BillPay`]): a payment, payee or recurring
//!   model added, modified or cancelled (deleted, for a payee). The changes of objects a
//!   client already knows take their ids and current form from a replayed
//!   [`SyncState`](crate::sync::SyncState) (see [`PaymentInstruction::from_state`]).
//!
//! Every transaction wrapper gets the `TRNUID` the caller gives (a fresh one per request:
//! the `ofxkit` command uses a random UUID); the library never reads the clock or draws
//! random numbers, so a request is reproducible from its inputs.
//!
//! The password is a secret: [`Request::write`] writes it (and only there does it reach an
//! output: every other writer and printer of ofxkit shows `***`).
//!
//! What a request written by ofxkit is checked for (`crates/ofxkit/tests/requests.rs`): it
//! reads back without errors, validates with no error for its version (every version from
//! 102 to 220), and `sync replay` of it followed by its response gives the expected state.
//!
//! ```
//! use ofxkit::NaiveDate;
//! use ofxkit::codes::ofx::AccountType;
//! use ofxkit::request::{Account, Message, Request, SignOn};
//! use ofxkit::write::OfxVersion;
//! let when = NaiveDate::from_ymd_opt(2024, 3, 1).unwrap().and_hms_opt(12, 0, 0).unwrap().and_utc();
//! let signon = SignOn::new("jdoe", "hunter2", when).institution("MYBANK", Some("1234"));
//! let account = Account::Bank {
//!     bank_id: "121000248".into(), branch_id: None, account_id: "000123".into(),
//!     account_type: AccountType::Checking,
//! };
//! let day = |d| NaiveDate::from_ymd_opt(2024, 2, d).unwrap();
//! let request = Request::new(signon)
//!     .with(Message::statement("5bd1c3e6-4a10-4b1e-9b8e-1f4a6c2d0e77", &account, Some(day(1)), Some(day(29))));
//! let bytes = request.to_bytes(OfxVersion::V102)?;
//! let text = String::from_utf8(bytes.clone())?;
//! assert!(text.starts_with("OFXHEADER:100\r\nDATA:OFXSGML\r\nVERSION:102\r\n"));
//! // The lines, indentation left out:
//! let lines: Vec<&str> = text.lines().map(str::trim).collect();
//! assert!(lines.contains(&"<USERPASS>hunter2"));
//! assert!(lines.join("").contains("<FI><ORG>MYBANK<FID>1234</FI>"));
//! assert!(lines.join("").contains("<INCTRAN><DTSTART>20240201<DTEND>20240229<INCLUDE>Y</INCTRAN>"));
//! let read = ofxkit::parse(&bytes)?;
//! let report = ofxkit::validate::validate(&read, &Default::default());
//! assert!(!report.has_errors(), "{:?}", report.findings);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod account;
mod billpay;
mod error;
mod response;
mod signon;

use std::io::Write;

use chrono::NaiveDate;

use crate::write::{Node, OfxDocument, OfxVersion, WriteError, WriteOptions, Written};

pub use account::Account;
pub use billpay::{
    BillPay, PayeeAddress, PayeeRef, PaymentInstruction, Recurrence, SyncFrom, SyncRequest,
    live_payee, live_payment, live_recurring,
};
pub use error::RequestError;
pub use response::{ResponseCheck, StatusFound, check_response};
pub use signon::{DEFAULT_APP_ID, DEFAULT_APP_VER, SignOn};

/// The message sets a request can hold, in the order OFX writes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MessageSet {
    /// `BANKMSGSRQV1`.
    Bank,
    /// `CREDITCARDMSGSRQV1`.
    CreditCard,
    /// `INVSTMTMSGSRQV1`.
    Investment,
    /// `BILLPAYMSGSRQV1`.
    BillPay,
}

impl MessageSet {
    /// The aggregate's name (`BANKMSGSRQV1`, …).
    pub fn name(self) -> &'static str {
        match self {
            MessageSet::Bank => "BANKMSGSRQV1",
            MessageSet::CreditCard => "CREDITCARDMSGSRQV1",
            MessageSet::Investment => "INVSTMTMSGSRQV1",
            MessageSet::BillPay => "BILLPAYMSGSRQV1",
        }
    }
}

/// One message of a request: its transaction wrapper (or synchronization aggregate) and the
/// message set it goes in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    set: MessageSet,
    node: Node,
}

/// `YYYYMMDD`.
pub(crate) fn day(d: NaiveDate) -> String {
    d.format("%Y%m%d").to_string()
}

/// A transaction wrapper `name` holding `TRNUID` and `body`.
pub(crate) fn wrapper(name: &str, trnuid: &str, body: Node) -> Node {
    Node::aggregate(name, vec![Node::leaf("TRNUID", trnuid), body])
}

impl Message {
    /// A statement request for `account` (`STMTTRNRQ`, `CCSTMTTRNRQ` or `INVSTMTTRNRQ`),
    /// transactions from `from` to `to` (`DTSTART`, `DTEND`; either may be left to the
    /// server). An investment statement also asks for positions (`INCPOS`), balances
    /// (`INCBAL`) and no open orders (`INCOO` `N`).
    pub fn statement(
        trnuid: &str,
        account: &Account,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> Message {
        let mut inctran = Vec::new();
        inctran.extend(from.map(|d| Node::leaf("DTSTART", day(d))));
        inctran.extend(to.map(|d| Node::leaf("DTEND", day(d))));
        inctran.push(Node::leaf("INCLUDE", "Y"));
        let inctran = Node::aggregate("INCTRAN", inctran);
        let (set, wrapper_name, rq) = match account {
            Account::Bank { .. } => (
                MessageSet::Bank,
                "STMTTRNRQ",
                Node::aggregate("STMTRQ", vec![account.from_node(), inctran]),
            ),
            Account::CreditCard { .. } => (
                MessageSet::CreditCard,
                "CCSTMTTRNRQ",
                Node::aggregate("CCSTMTRQ", vec![account.from_node(), inctran]),
            ),
            Account::Investment { .. } => (
                MessageSet::Investment,
                "INVSTMTTRNRQ",
                Node::aggregate(
                    "INVSTMTRQ",
                    vec![
                        account.from_node(),
                        inctran,
                        Node::leaf("INCOO", "N"),
                        Node::aggregate("INCPOS", vec![Node::leaf("INCLUDE", "Y")]),
                        Node::leaf("INCBAL", "Y"),
                    ],
                ),
            ),
        };
        Message { set, node: wrapper(wrapper_name, trnuid, rq) }
    }

    /// A synchronization request (no `TRNUID` of its own: the requests it carries have
    /// theirs).
    pub fn sync(request: &SyncRequest) -> Message {
        Message { set: MessageSet::BillPay, node: request.node() }
    }

    /// A bill-pay change in its transaction wrapper (`PMTTRNRQ`, `PAYEETRNRQ`,
    /// `RECPMTTRNRQ`).
    pub fn billpay(trnuid: &str, change: &BillPay) -> Message {
        Message { set: MessageSet::BillPay, node: change.node(trnuid) }
    }

    /// The message set it goes in.
    pub fn set(&self) -> MessageSet {
        self.set
    }

    /// Its element tree.
    pub fn node(&self) -> &Node {
        &self.node
    }
}

/// A whole request: a sign-on and messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The sign-on.
    pub signon: SignOn,
    /// The messages, in the order added (grouped by message set when written).
    pub messages: Vec<Message>,
    /// The header's `NEWFILEUID` (`NONE` when not given).
    pub new_file_uid: Option<String>,
}

impl Request {
    /// A request with this sign-on and no message yet.
    pub fn new(signon: SignOn) -> Request {
        Request { signon, messages: Vec::new(), new_file_uid: None }
    }

    /// This request with `message` added.
    pub fn with(mut self, message: Message) -> Request {
        self.messages.push(message);
        self
    }

    /// The document: `SIGNONMSGSRQV1`, then each message set used, in OFX's order, holding
    /// its messages in the order added.
    pub fn document(&self) -> OfxDocument {
        let mut sets = vec![Node::aggregate("SIGNONMSGSRQV1", vec![self.signon.node()])];
        let mut kinds: Vec<MessageSet> = self.messages.iter().map(|m| m.set).collect();
        kinds.sort();
        kinds.dedup();
        for kind in kinds {
            let nodes =
                self.messages.iter().filter(|m| m.set == kind).map(|m| m.node.clone()).collect();
            sets.push(Node::aggregate(kind.name(), nodes));
        }
        let mut doc = OfxDocument::new(sets);
        if let Some(uid) = &self.new_file_uid {
            doc.new_file_uid = uid.clone();
        }
        doc
    }

    /// Writes the request as `version` (OFX 1.x SGML or 2.x XML), the password included.
    pub fn write<W: Write + ?Sized>(
        &self,
        out: &mut W,
        version: OfxVersion,
    ) -> Result<Written, WriteError> {
        let options = WriteOptions {
            target: version.target(),
            version: Some(version),
            show_secrets: true,
            ..Default::default()
        };
        self.document().write_ofx(out, &options)
    }

    /// [`write`](Self::write) into a new byte vector.
    pub fn to_bytes(&self, version: OfxVersion) -> Result<Vec<u8>, WriteError> {
        let mut out = Vec::new();
        self.write(&mut out, version)?;
        Ok(out)
    }
}
