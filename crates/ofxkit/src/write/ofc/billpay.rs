//! OFC batches (`MAINTRQ`/`MAINTRS`, `TRNRQ`/`TRNRS`) as OFX transaction wrappers: payees,
//! payments, inquiries and statement requests.

use ofxkit_syntax::Element;

use crate::codes::Code;
use crate::codes::ofc::OfcAction;
use crate::write::error::WriteError;
use crate::write::node::Node;
use crate::write::values::ValueKind;

use super::{Converter, ordered};

/// The OFX transaction wrapper of an OFC record, by the record's name.
fn ofx_wrapper(record: &str) -> Option<&'static str> {
    Some(match record {
        "PAYEERQ" => "PAYEETRNRQ",
        "PAYEERS" => "PAYEETRNRS",
        "PAYMTRQ" => "PMTTRNRQ",
        "PAYMTRS" => "PMTTRNRS",
        "PAYIQRQ" => "PMTINQTRNRQ",
        "PAYIQRS" => "PMTINQTRNRS",
        _ => return None,
    })
}

/// [`Converter::empty_as`] for a document's root.
pub(super) fn empty_wrappers(root: Element<'_>) -> Vec<(&'static str, &'static str)> {
    let mut out = Vec::new();
    for wrapper in ["MAINTRQ", "MAINTRS", "TRNRQ", "TRNRS"] {
        let mut seen: Option<Option<&'static str>> = None;
        for w in root.children().filter(|c| c.name() == wrapper) {
            for r in w.children() {
                if matches!(r.name(), "CLTID" | "ACTION" | "STATUS" | "ERROR") {
                    continue;
                }
                let ofx = ofx_wrapper(r.name());
                seen = match seen {
                    None => Some(ofx),
                    Some(prev) if prev == ofx => Some(prev),
                    Some(_) => Some(None),
                };
            }
        }
        if let Some(Some(ofx)) = seen {
            out.push((wrapper, ofx));
        }
    }
    out
}

impl Converter<'_> {
    /// A record's leaf, or the vendor element it becomes when it is not a leaf.
    fn leaf_as(
        &mut self,
        el: Element<'_>,
        name: &str,
        kind: ValueKind,
    ) -> Result<Option<Node>, WriteError> {
        if el.is_leaf() { self.value(el, name, kind) } else { self.vendor(el).map(Some) }
    }

    /// The OFC `ACTION` of a request wrapper: 0 add, 1 delete, 2 change.
    fn action(&mut self, wrapper: Element<'_>) -> Result<Option<OfcAction>, WriteError> {
        let Some(el) = wrapper.children().find(|c| c.name() == "ACTION") else { return Ok(None) };
        let Some(text) = self.text(el)? else { return Ok(None) };
        match OfcAction::read(&text).0 {
            crate::codes::Coded::Known(a) => Ok(Some(a)),
            crate::codes::Coded::Unknown(_) => Err(Self::no_counterpart(
                el,
                format!("ACTION \"{}\" is no OFC action (0, 1 or 2)", ofxkit_syntax::shown(&text)),
            )),
        }
    }

    /// An OFC batch record (`MAINTRQ`/`MAINTRS`, `TRNRQ`/`TRNRS`) as the OFX transaction
    /// wrapper of its message set; `Ok(None)` for a statement (handled by the caller).
    pub(super) fn record(&mut self, wrapper: Element<'_>) -> Result<Node, WriteError> {
        let request = wrapper.name().ends_with("RQ");
        let children: Vec<Element<'_>> = wrapper.children().collect();
        let find = |n: &str| children.iter().copied().find(|c| c.name() == n);
        let records: Vec<Element<'_>> = children
            .iter()
            .copied()
            .filter(|c| !matches!(c.name(), "CLTID" | "ACTION" | "STATUS" | "ERROR"))
            .collect();
        if records.is_empty()
            && let Some(&(_, ofx)) = self.empty_as.iter().find(|(w, _)| *w == wrapper.name())
        {
            let uid = match find("CLTID") {
                Some(c) => self.text(c)?,
                None => None,
            };
            let mut out = vec![Node::leaf("TRNUID", uid.unwrap_or_else(|| "0".to_owned()))];
            if !request {
                out.push(self.status(find("STATUS"), find("ERROR"))?);
            }
            return Ok(Node::aggregate(ofx, out).at(wrapper.span()));
        }
        let [record] = records.as_slice() else {
            let why = if records.is_empty() {
                "it holds no record, and the file's other records of its kind do not say which \
                 OFX transaction it answers"
            } else {
                "it holds more than one record"
            };
            return Err(Self::no_counterpart(wrapper, why));
        };
        let record = *record;
        let uid = match find("CLTID") {
            Some(c) => self.text(c)?,
            None => None,
        }
        .unwrap_or_else(|| "0".to_owned());
        let action = if request { self.action(wrapper)? } else { None };
        let (wrapper_name, inner) = match (record.name(), request) {
            ("PAYEERQ", true) => ("PAYEETRNRQ", self.payee_request(record, action)?),
            ("PAYEERS", false) => ("PAYEETRNRS", self.payee_response(record)?),
            ("PAYMTRQ", true) => ("PMTTRNRQ", self.payment_request(record, action)?),
            ("PAYMTRS", false) => ("PMTTRNRS", self.payment_response(record)?),
            ("PAYIQRQ", true) => ("PMTINQTRNRQ", self.inquiry(record, "PMTINQRQ")?),
            ("PAYIQRS", false) => ("PMTINQTRNRS", self.inquiry(record, "PMTINQRS")?),
            ("STMTRQ", true) => {
                let (rq, card) = self.statement_request(record)?;
                (if card { "CCSTMTTRNRQ" } else { "STMTTRNRQ" }, rq)
            }
            (name, _) => {
                let why = match name {
                    "INTRARQ" | "INTRARS" | "INTERRQ" | "INTERRS" => {
                        "OFC transfers are not converted to OFX yet"
                    }
                    "ACCTRQ" | "ACCTRS" => "OFC account maintenance is not converted to OFX yet",
                    "MAILRQ" | "MAILRS" => "OFC mail is not converted to OFX yet",
                    _ => "it is no record of an OFC batch",
                };
                return Err(Self::no_counterpart(record, why));
            }
        };
        let mut out = vec![Node::leaf("TRNUID", uid)];
        if !request {
            out.push(self.status(find("STATUS"), find("ERROR"))?);
        }
        out.push(inner);
        Ok(Node::aggregate(wrapper_name, out).at(wrapper.span()))
    }

    /// `STMTRQ` as OFX's `STMTRQ` (or `CCSTMTRQ` for a card): the account, and `DTSTART` and
    /// `DTEND` in an `INCTRAN` that asks for the transactions (`INCLUDE` `Y`: an OFC
    /// statement request always gets them).
    fn statement_request(&mut self, el: Element<'_>) -> Result<(Node, bool), WriteError> {
        let mut card = false;
        let mut account = None;
        let mut period = Vec::new();
        let mut vendor = Vec::new();
        for c in el.children() {
            match c.name() {
                "ACCTFROM" if !c.is_leaf() && account.is_none() => {
                    let (node, is_card) = self.account(c, false)?;
                    card = is_card;
                    account = Some(node);
                }
                "DTSTART" | "DTEND" => period.extend(self.leaf_as(c, c.name(), ValueKind::Date)?),
                _ => vendor.push(self.vendor(c)?),
            }
        }
        period.push(Node::leaf("INCLUDE", "Y"));
        let mut out: Vec<Node> = account.into_iter().collect();
        out.push(ordered("INCTRAN", period, &["DTSTART", "DTEND", "INCLUDE"]));
        out.extend(vendor);
        let name = if card { "CCSTMTRQ" } else { "STMTRQ" };
        Ok((Node::aggregate(name, out).at(el.span()), card))
    }

    /// `PAYEERQ` (ACTION 0: `PAYEERQ`; 2: `PAYEEMODRQ`; 1: `PAYEEDELRQ`).
    fn payee_request(
        &mut self,
        el: Element<'_>,
        action: Option<OfcAction>,
    ) -> Result<Node, WriteError> {
        let mut out = Vec::new();
        let mut vendor = Vec::new();
        let action = action.unwrap_or(OfcAction::Add);
        for c in el.children() {
            let node = match (c.name(), action) {
                ("PAYEE", OfcAction::Add | OfcAction::Change) if !c.is_leaf() => {
                    Some(self.payee(c)?)
                }
                ("PAYEEID", OfcAction::Change | OfcAction::Delete) => {
                    self.leaf_as(c, "PAYEELSTID", ValueKind::Other)?
                }
                ("PAYACCT", OfcAction::Add | OfcAction::Change) => {
                    self.leaf_as(c, "PAYACCT", ValueKind::Other)?
                }
                ("PAYEEID", OfcAction::Add) if !el.children().any(|p| p.name() == "PAYEE") => {
                    self.leaf_as(c, "PAYEEID", ValueKind::Other)?
                }
                _ => {
                    vendor.push(self.vendor(c)?);
                    None
                }
            };
            out.extend(node);
        }
        let (name, order): (&str, &[&str]) = match action {
            OfcAction::Add => ("PAYEERQ", &["PAYEEID", "PAYEE", "PAYACCT"]),
            OfcAction::Change => ("PAYEEMODRQ", &["PAYEELSTID", "PAYEE", "PAYACCT"]),
            OfcAction::Delete => ("PAYEEDELRQ", &["PAYEELSTID"]),
        };
        let mut node = ordered(name, out, order).at(el.span());
        vendor.into_iter().for_each(|v| node.push(v));
        Ok(node)
    }

    /// `PAYEERS` as OFX's: `PAYEEID` its `PAYEELSTID`, `DAYSREQD` the `DAYSTOPAY` of an
    /// `EXTDPAYEE`.
    fn payee_response(&mut self, el: Element<'_>) -> Result<Node, WriteError> {
        let mut out = Vec::new();
        let mut vendor = Vec::new();
        for c in el.children() {
            let node = match c.name() {
                "PAYEEID" => self.leaf_as(c, "PAYEELSTID", ValueKind::Other)?,
                "PAYEE" if !c.is_leaf() => Some(self.payee(c)?),
                "DAYSREQD" if c.is_leaf() => self
                    .value(c, "DAYSTOPAY", ValueKind::Other)?
                    .map(|d| Node::aggregate("EXTDPAYEE", vec![d]).at(c.span())),
                _ => {
                    vendor.push(self.vendor(c)?);
                    None
                }
            };
            out.extend(node);
        }
        let mut node = ordered("PAYEERS", out, &["PAYEELSTID", "PAYEE", "EXTDPAYEE"]).at(el.span());
        vendor.into_iter().for_each(|v| node.push(v));
        Ok(node)
    }

    /// `PAYMTRQ` (ACTION 0: `PMTRQ`; 2: `PMTMODRQ`; 1: `PMTCANCRQ`), its fields in `PMTINFO`
    /// (for a cancellation, whose OFX request holds only the `SRVRTID`, in the vendor
    /// aggregate `OFC.PMTINFO`).
    fn payment_request(
        &mut self,
        el: Element<'_>,
        action: Option<OfcAction>,
    ) -> Result<Node, WriteError> {
        let action = action.unwrap_or(OfcAction::Add);
        let mut info = Vec::new();
        let mut vendor = Vec::new();
        let mut server_id = None;
        let mut memos: Vec<String> = Vec::new();
        for c in el.children() {
            let node = match c.name() {
                "SRVRTID" if action != OfcAction::Add => {
                    server_id = self.leaf_as(c, "SRVRTID", ValueKind::Other)?;
                    None
                }
                "ACCTFROM" if !c.is_leaf() => Some(self.account(c, false)?.0),
                "TRNAMT" => self.leaf_as(c, "TRNAMT", ValueKind::Amount)?,
                "DTDUE" => self.leaf_as(c, "DTDUE", ValueKind::Date)?,
                "PAYEEID" | "PAYACCT" => self.leaf_as(c, c.name(), ValueKind::Other)?,
                "PAYEE" if !c.is_leaf() => Some(self.payee(c)?),
                "MEMO" if c.is_leaf() => {
                    memos.extend(self.text(c)?);
                    None
                }
                _ => {
                    vendor.push(self.vendor(c)?);
                    None
                }
            };
            info.extend(node);
        }
        if !memos.is_empty() {
            info.push(Node::leaf("MEMO", memos.join("\n")));
        }
        let info = ordered(
            if action == OfcAction::Delete { "OFC.PMTINFO" } else { "PMTINFO" },
            info,
            &[
                "BANKACCTFROM",
                "CCACCTFROM",
                "TRNAMT",
                "PAYEEID",
                "PAYEE",
                "PAYACCT",
                "DTDUE",
                "MEMO",
            ],
        );
        let (name, mut children) = match action {
            OfcAction::Add => ("PMTRQ", vec![info]),
            OfcAction::Change => ("PMTMODRQ", server_id.into_iter().chain([info]).collect()),
            OfcAction::Delete => {
                self.vendor += 1;
                ("PMTCANCRQ", server_id.into_iter().chain([info]).collect())
            }
        };
        children.extend(vendor);
        Ok(Node::aggregate(name, children).at(el.span()))
    }

    /// `PAYMTRS` as `PMTRS` (its `PAYEEID` the `PAYEELSTID`; OFC gives none of the payment
    /// itself, which OFX's `PMTRS` requires).
    fn payment_response(&mut self, el: Element<'_>) -> Result<Node, WriteError> {
        let mut out = Vec::new();
        let mut vendor = Vec::new();
        for c in el.children() {
            let node = match c.name() {
                "SRVRTID" => self.leaf_as(c, "SRVRTID", ValueKind::Other)?,
                "PAYEEID" => self.leaf_as(c, "PAYEELSTID", ValueKind::Other)?,
                _ => {
                    vendor.push(self.vendor(c)?);
                    None
                }
            };
            out.extend(node);
        }
        let mut node = ordered("PMTRS", out, &["SRVRTID", "PAYEELSTID"]).at(el.span());
        vendor.into_iter().for_each(|v| node.push(v));
        Ok(node)
    }

    /// `PAYIQRQ`/`PAYIQRS` as `PMTINQRQ`/`PMTINQRS`: the `SRVRTID`; the free-text `MEMO`s
    /// have no place in OFX's inquiry and are kept as vendor elements.
    fn inquiry(&mut self, el: Element<'_>, name: &str) -> Result<Node, WriteError> {
        let mut out = Vec::new();
        let mut vendor = Vec::new();
        for c in el.children() {
            match c.name() {
                "SRVRTID" if out.is_empty() => {
                    out.extend(self.leaf_as(c, "SRVRTID", ValueKind::Other)?)
                }
                _ => vendor.push(self.vendor(c)?),
            }
        }
        out.extend(vendor);
        Ok(Node::aggregate(name, out).at(el.span()))
    }
}
