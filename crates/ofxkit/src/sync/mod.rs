//! Replaying bill-pay synchronization responses to the current state.
//!
//! A client keeps payments, payees and recurring models in step with a server by sending the
//! last `TOKEN` it got; the server answers with every change since (`PMTSYNCRS`,
//! `PAYEESYNCRS`, `RECPMTSYNCRS`) and a new token. [`SyncState`] applies such responses in
//! order and ends where a `REFRESH` would: one entry per object, in its latest form.
//!
//! Rules (the OFX specification describes the exchange, not a client's store; these are
//! ours, documented):
//! - Payments are keyed by `SRVRTID`, payees by `PAYEELSTID`, recurring models by
//!   `RECSRVRTID`. An add (`PMTRS`, `PAYEERS`, `RECPMTRS`) creates or replaces the entry; a
//!   modification (`…MODRS`) replaces what it carries; `PMTCANCRS`, `RECPMTCANCRS` and
//!   `PAYEEDELRS` mark the entry cancelled or deleted (dropped by [`SyncState::snapshot`]
//!   unless kept). A `PMTPRCCODE` of `CANCELEDON` also marks a payment cancelled; a
//!   `RECPMTCANCRS` with `CANPENDING`Y cancels the model's payments not yet processed; a
//!   `RECPMTMODRS` with `MODPENDING`Y is noted, and those payments change when the server
//!   sends their own `PMTMODRS` (an instalment's amount may be INITIALAMT or FINALAMT, which
//!   the client cannot settle alone).
//! - Tokens are kept per message kind and account (payees: per user). A response whose
//!   token was already applied is skipped, so applying the same file twice changes nothing;
//!   when both tokens are numbers, a response with a token lower than the current one is
//!   older than the state and skipped too. [`replay_order`] puts the responses of many files
//!   in order: file order, except that a channel's responses with numeric tokens go in
//!   increasing token order.
//! - `LOSTSYNC`Y is reported and the channel marked as needing a refresh; the changes the
//!   response does carry are applied.
//! - A record whose wrapper `STATUS` is an error is not applied; it is reported with its
//!   code and meaning. A modification, cancellation or deletion of an id the state does not
//!   hold is reported and not applied.
//! - A request with `REFRESH`Y (any letter case) or `TOKENONLY`Y, when replayed before its
//!   response, says how to read that response: the answer to a refresh replaces every
//!   object of its kind and account (those it leaves out are marked cancelled or deleted);
//!   the answer to a token-only request only moves the token.
//!
//! A state file ([`SyncState::from_json`]) is read strictly: a JSON object with the five
//! keys [`SyncState::to_json`] writes (`version`, `channels`, `payments`, `payees`,
//! `recurring`), no key this version does not know, at any level, and each object filed
//! under its own id. `[]`, `{}` or a misspelt key is refused with the reason, never read as
//! an empty state.
//!
//! ```
//! use ofxkit::sync::SyncState;
//! let day1 = ofxkit::parse(b"<OFX><BILLPAYMSGSRSV1><PAYEESYNCRS><TOKEN>11\
//!   <PAYEETRNRS><TRNUID>0<STATUS><CODE>0<SEVERITY>INFO</STATUS>\
//!   <PAYEERS><PAYEELSTID>P1<PAYEE><NAME>Power Co<ADDR1>1 Main<CITY>X<STATE>IL\
//!   <POSTALCODE>60000<PHONE>5</PAYEE></PAYEERS></PAYEETRNRS>\
//!   </PAYEESYNCRS></BILLPAYMSGSRSV1></OFX>")?;
//! let day2 = ofxkit::parse(b"<OFX><BILLPAYMSGSRSV1><PAYEESYNCRS><TOKEN>12\
//!   <PAYEETRNRS><TRNUID>0<STATUS><CODE>0<SEVERITY>INFO</STATUS>\
//!   <PAYEEDELRS><PAYEELSTID>P1</PAYEEDELRS></PAYEETRNRS>\
//!   </PAYEESYNCRS></BILLPAYMSGSRSV1></OFX>")?;
//!
//! let mut state = SyncState::new();
//! let report = state.apply(&day1.model().sync[0]);
//! assert_eq!((report.applied, report.added), (1, 1));
//! assert_eq!(state.payees["P1"].name(), Some("Power Co"));
//! assert_eq!(state.token(ofxkit::model::SyncKind::Payees, None), Some("11"));
//!
//! // The same response again changes nothing.
//! let again = state.apply(&day1.model().sync[0]);
//! assert!(again.has("I-SYNC-ALREADY-APPLIED"));
//!
//! state.apply_document(&day2);
//! assert!(state.payees["P1"].deleted);
//! assert!(state.snapshot(false).payees.is_empty());
//! assert_eq!(state.token(ofxkit::model::SyncKind::Payees, None), Some("12"));
//! # Ok::<(), ofxkit::Error>(())
//! ```

mod apply;
mod entries;
mod order;
mod report;

use std::collections::BTreeMap;
use std::io;

use serde::{Deserialize, Serialize, Serializer};

use crate::model::SyncKind;

pub use entries::{
    AccountKey, ExtendedPayeeData, PayeeData, PayeeEntry, PaymentDetails, PaymentEntry,
    RecurringEntry,
};
pub use order::{OrderKey, replay_order, replay_order_of_keys};
pub use report::{ApplyReport, CODES};

/// The format version [`SyncState`] writes.
pub const STATE_VERSION: u32 = 1;

/// How the next response of a channel is to be read, set by a replayed request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Pending {
    /// The request asked for `REFRESH`: the response is the whole current state.
    Refresh,
    /// The request asked for `TOKENONLY`: the response only carries the token.
    TokenOnly,
}

/// The token state of one message kind and account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Channel {
    /// Payments, payees or recurring models.
    pub kind: SyncKind,
    /// The account (none for payees).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<AccountKey>,
    /// The token to send next time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// Every token applied, oldest first (how already-applied responses are recognised).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub seen: Vec<String>,
    /// A response said `LOSTSYNC`: the client must send `REFRESH`Y.
    #[serde(default)]
    pub needs_refresh: bool,
    /// A replayed request's `REFRESH` or `TOKENONLY`, waiting for its response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending: Option<Pending>,
}

/// The client's copy of the server's bill-pay objects and the tokens to continue from.
///
/// Serialises to JSON with owned strings (the `--state` file of `ofxkit sync replay`); maps
/// are ordered by id so the file is stable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SyncState {
    /// Format version ([`STATE_VERSION`]).
    pub version: u32,
    /// Tokens per message kind and account.
    pub channels: Vec<Channel>,
    /// Payments by `SRVRTID`.
    pub payments: BTreeMap<String, PaymentEntry>,
    /// Payee-list entries by `PAYEELSTID`.
    pub payees: BTreeMap<String, PayeeEntry>,
    /// Recurring models by `RECSRVRTID`.
    pub recurring: BTreeMap<String, RecurringEntry>,
}

/// The state as [`SyncState::snapshot`] would give it, borrowed: written without a copy.
#[derive(Serialize)]
struct SnapshotView<'a> {
    version: u32,
    channels: &'a [Channel],
    #[serde(serialize_with = "live")]
    payments: (&'a BTreeMap<String, PaymentEntry>, bool),
    #[serde(serialize_with = "live")]
    payees: (&'a BTreeMap<String, PayeeEntry>, bool),
    #[serde(serialize_with = "live")]
    recurring: (&'a BTreeMap<String, RecurringEntry>, bool),
}

/// What a snapshot drops unless asked to keep it.
trait Gone {
    fn gone(&self) -> bool;
}

impl Gone for PaymentEntry {
    fn gone(&self) -> bool {
        self.cancelled
    }
}

impl Gone for PayeeEntry {
    fn gone(&self) -> bool {
        self.deleted
    }
}

impl Gone for RecurringEntry {
    fn gone(&self) -> bool {
        self.cancelled
    }
}

/// A map's entries, those gone left out unless `keep`.
fn live<T: Gone + Serialize, S: Serializer>(
    (map, keep): &(&BTreeMap<String, T>, bool),
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_map(map.iter().filter(|(_, v)| *keep || !v.gone()))
}

impl Default for SyncState {
    fn default() -> Self {
        SyncState::new()
    }
}

impl SyncState {
    /// An empty state: no tokens (the first request sends `0`), no objects.
    pub fn new() -> Self {
        SyncState {
            version: STATE_VERSION,
            channels: Vec::new(),
            payments: BTreeMap::new(),
            payees: BTreeMap::new(),
            recurring: BTreeMap::new(),
        }
    }

    /// The token to send next for `kind` and `account` (none for payees).
    pub fn token(&self, kind: SyncKind, account: Option<&AccountKey>) -> Option<&str> {
        self.channel(kind, account).and_then(|c| c.token.as_deref())
    }

    /// The channel of `kind` and `account`, if any response was applied to it.
    pub fn channel(&self, kind: SyncKind, account: Option<&AccountKey>) -> Option<&Channel> {
        self.channels.iter().find(|c| c.kind == kind && c.account.as_ref() == account)
    }

    fn channel_mut(&mut self, kind: SyncKind, account: Option<AccountKey>) -> &mut Channel {
        let found = self.channels.iter().position(|c| c.kind == kind && c.account == account);
        let index = match found {
            Some(i) => i,
            None => {
                self.channels.push(Channel {
                    kind,
                    account,
                    token: None,
                    seen: Vec::new(),
                    needs_refresh: false,
                    pending: None,
                });
                self.channels.len() - 1
            }
        };
        &mut self.channels[index]
    }

    /// The state as a `REFRESH` would return it: cancelled payments and models and deleted
    /// payees dropped, unless `keep_cancelled` (then they stay, marked).
    pub fn snapshot(&self, keep_cancelled: bool) -> SyncState {
        let mut s = self.clone();
        if !keep_cancelled {
            s.payments.retain(|_, p| !p.cancelled);
            s.payees.retain(|_, p| !p.deleted);
            s.recurring.retain(|_, r| !r.cancelled);
        }
        s
    }

    /// Reads a state written by [`to_json`](Self::to_json) or
    /// [`write_json`](Self::write_json), strictly: a JSON object with every key those write,
    /// none they do not (at any level), each entry under its own id, and a format version
    /// from 1 to [`STATE_VERSION`].
    ///
    /// ```
    /// use ofxkit::sync::SyncState;
    /// let state = SyncState::new();
    /// assert_eq!(SyncState::from_json(&state.to_json()).unwrap(), state);
    /// for bad in ["[]", "{}", "{\"payments\": {}}", "7"] {
    ///     assert!(SyncState::from_json(bad).is_err(), "{bad}");
    /// }
    /// let typo = state.to_json().replace("\"payees\"", "\"payes\"");
    /// let err = SyncState::from_json(&typo).unwrap_err().to_string();
    /// assert!(err.contains("unknown field `payes`"), "{err}");
    /// ```
    pub fn from_json(text: &str) -> Result<SyncState, serde_json::Error> {
        let custom = <serde_json::Error as serde::de::Error>::custom;
        // The derived reader would also take a sequence of the fields (`[1, [], {}, …]`).
        let first = text.trim_start().chars().next();
        if first != Some('{') {
            let found = match first {
                None => "nothing",
                Some('[') => "an array",
                Some('"') => "a string",
                Some(_) => "not an object",
            };
            return Err(custom(format!("a sync state is a JSON object; this is {found}")));
        }
        let state: SyncState = serde_json::from_str(text)?;
        if state.version == 0 || state.version > STATE_VERSION {
            let why = if state.version == 0 {
                "is not a version"
            } else {
                "is newer than this ofxkit reads"
            };
            return Err(custom(format!(
                "state format version {} {why} ({STATE_VERSION})",
                state.version
            )));
        }
        let misfiled = |kind: &str, key: &str, id: &str| {
            custom(format!(
                "the {kind} filed under \"{}\" has the id \"{}\"",
                ofxkit_syntax::shown(key),
                ofxkit_syntax::shown(id)
            ))
        };
        for (key, p) in &state.payments {
            if *key != p.server_id {
                return Err(misfiled("payment", key, &p.server_id));
            }
        }
        for (key, p) in &state.payees {
            if *key != p.list_id {
                return Err(misfiled("payee", key, &p.list_id));
            }
        }
        for (key, r) in &state.recurring {
            if *key != r.recurring_id {
                return Err(misfiled("recurring model", key, &r.recurring_id));
            }
        }
        Ok(state)
    }

    /// The state as indented JSON, with a final line break.
    pub fn to_json(&self) -> String {
        let mut out = Vec::new();
        // Writing to memory cannot fail, and serde_json writes UTF-8.
        let _ = self.write_json(true, &mut out);
        String::from_utf8(out).unwrap_or_default()
    }

    /// Writes [`snapshot(keep_cancelled)`](Self::snapshot) as [`to_json`](Self::to_json)
    /// would, without copying the state or holding the text: for states too large to hold
    /// twice.
    ///
    /// ```
    /// use ofxkit::sync::SyncState;
    /// let state = SyncState::new();
    /// let mut out = Vec::new();
    /// state.write_json(false, &mut out)?;
    /// assert_eq!(String::from_utf8(out).unwrap(), state.snapshot(false).to_json());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn write_json(&self, keep_cancelled: bool, mut out: impl io::Write) -> io::Result<()> {
        let view = SnapshotView {
            version: self.version,
            channels: &self.channels,
            payments: (&self.payments, keep_cancelled),
            payees: (&self.payees, keep_cancelled),
            recurring: (&self.recurring, keep_cancelled),
        };
        // Strings, decimals and maps with string keys always serialise: an error is an I/O
        // error of `out`.
        serde_json::to_writer_pretty(&mut out, &view).map_err(io::Error::from)?;
        out.write_all(b"\n")
    }

    /// Live objects only, without tokens: what two states must share to hold the same
    /// objects (used to compare a replayed history with a refresh).
    pub fn objects(&self) -> SyncState {
        let mut s = self.snapshot(false);
        s.channels.clear();
        s
    }
}
