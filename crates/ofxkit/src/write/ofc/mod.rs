//! OFC → OFX: the OFC aggregates mapped onto OFX's, codes to names (see the module docs of
//! [`crate::write`](mod@crate::write) for every rule).

use ofxkit_syntax::Element;

use crate::amount::Dialect;
use crate::codes::Code;
use crate::codes::mapping::{
    OfcAccountMapping, ofc_account_type_to_ofx, ofc_status_to_ofx, ofc_trntype_to_ofx,
};
use crate::codes::ofc::{OfcAccountType, OfcStatus, OfcTrnType};
use crate::write::WriteOptions;
use crate::write::error::{WriteError, WriteErrorKind};
use crate::write::node::Node;
use crate::write::values::{ValueKind, canonical};

mod billpay;

use billpay::empty_wrappers;

/// An OFC document as OFX.
pub(crate) struct Converted {
    /// The `OFX` root.
    pub(crate) root: Node,
    /// Elements kept as `OFC.*` vendor elements.
    pub(crate) vendor: u64,
    /// Unfinished values left out (`lossy`).
    pub(crate) left_out: u64,
}

/// OFC's wrappers that the readers see through.
const TRANSPARENT: [&str; 3] = ["GENTRN", "ACCOUNT", "ENTITY"];

/// Where each OFX child goes in its aggregate (vendor elements last).
const STMTTRN_ORDER: [&str; 19] = [
    "TRNTYPE",
    "DTPOSTED",
    "DTUSER",
    "DTAVAIL",
    "TRNAMT",
    "FITID",
    "CORRECTFITID",
    "CORRECTACTION",
    "SRVRTID",
    "CHECKNUM",
    "REFNUM",
    "SIC",
    "PAYEEID",
    "NAME",
    "PAYEE",
    "BANKACCTTO",
    "CCACCTTO",
    "MEMO",
    "CURRENCY",
];
const PAYEE_ORDER: [&str; 9] =
    ["NAME", "ADDR1", "ADDR2", "ADDR3", "CITY", "STATE", "POSTALCODE", "COUNTRY", "PHONE"];
const BANKACCT_ORDER: [&str; 5] = ["BANKID", "BRANCHID", "ACCTID", "ACCTTYPE", "ACCTKEY"];
const CCACCT_ORDER: [&str; 2] = ["ACCTID", "ACCTKEY"];

/// Sorts `children` by the place of their names in `order` (stable; others last).
pub(super) fn ordered(name: &str, mut children: Vec<Node>, order: &[&str]) -> Node {
    children.sort_by_key(|c| order.iter().position(|o| *o == c.name()).unwrap_or(order.len()));
    Node::aggregate(name, children)
}

pub(super) struct Converter<'o> {
    options: &'o WriteOptions,
    pub(super) vendor: u64,
    left_out: u64,
    /// For each OFC wrapper (`MAINTRS`, …), the one OFX wrapper all its records in the file
    /// map to, if there is one: what a wrapper without a record (a failure) becomes.
    pub(super) empty_as: Vec<(&'static str, &'static str)>,
}

/// A statement in the making, with the message set it goes to.
struct Converted1 {
    card: bool,
    wrapper: Node,
}

impl Converter<'_> {
    /// The text of a leaf (`None` for an aggregate); an unfinished value is an error, or
    /// left out with `lossy`.
    pub(super) fn text(&mut self, el: Element<'_>) -> Result<Option<String>, WriteError> {
        let Some(text) = el.text() else { return Ok(None) };
        if el.closed_by_recovery() {
            if self.options.lossy {
                self.left_out += 1;
                return Ok(None);
            }
            return Err(WriteError::new(WriteErrorKind::Unfinished {
                element: ofxkit_syntax::shown(el.name()).into_owned(),
                span: el.span(),
            }));
        }
        Ok(Some(text.to_owned()))
    }

    /// `el` copied as it is (a leaf, or an aggregate and everything under it).
    pub(super) fn copy(&mut self, el: Element<'_>, name: String) -> Result<Node, WriteError> {
        if el.is_leaf() {
            let text = self.text(el)?.unwrap_or_default();
            return Ok(Node::leaf(name, text).at(el.span()));
        }
        let mut children = Vec::new();
        for c in el.children() {
            children.push(self.copy(c, c.name().to_owned())?);
        }
        Ok(Node::aggregate(name, children).at(el.span()))
    }

    /// An element with no OFX counterpart, kept as the vendor element `OFC.NAME` (a name that
    /// already has a dot is a vendor's own and keeps it).
    pub(super) fn vendor(&mut self, el: Element<'_>) -> Result<Node, WriteError> {
        self.vendor += 1;
        let name = if el.name().contains('.') {
            el.name().to_owned()
        } else {
            format!("OFC.{}", el.name())
        };
        self.copy(el, name)
    }

    /// A leaf with its value in canonical form (OFC rules read it).
    pub(super) fn value(
        &mut self,
        el: Element<'_>,
        name: &str,
        kind: ValueKind,
    ) -> Result<Option<Node>, WriteError> {
        let Some(text) = self.text(el)? else {
            return if el.is_leaf() { Ok(None) } else { self.vendor(el).map(Some) };
        };
        let text = canonical(kind, &text, Dialect::Ofc).unwrap_or(text);
        Ok(Some(Node::leaf(name, text).at(el.span())))
    }

    /// The children of `el`, OFC's transparent wrappers opened.
    pub(super) fn flat<'t>(el: Element<'t>) -> Vec<Element<'t>> {
        let mut out = Vec::new();
        let mut stack = vec![el.children()];
        while let Some(children) = stack.last_mut() {
            match children.next() {
                Some(c) if TRANSPARENT.contains(&c.name()) && !c.is_leaf() => {
                    stack.push(c.children());
                }
                Some(c) => out.push(c),
                None => {
                    stack.pop();
                }
            }
        }
        out
    }

    pub(super) fn no_counterpart(el: Element<'_>, why: impl Into<String>) -> WriteError {
        WriteError::new(WriteErrorKind::NoCounterpart {
            element: ofxkit_syntax::shown(el.name()).into_owned(),
            why: why.into(),
            span: Some(el.span()),
        })
    }

    /// An OFC status code as an OFX `STATUS` (with `ERROR` as its `MESSAGE`).
    pub(super) fn status(
        &mut self,
        status: Option<Element<'_>>,
        error: Option<Element<'_>>,
    ) -> Result<Node, WriteError> {
        let mut children = Vec::new();
        let raw = match status {
            Some(s) => self.text(s)?,
            None => None,
        };
        match raw.as_deref().map(OfcStatus::read) {
            Some((crate::codes::Coded::Known(code), _)) => {
                let m = ofc_status_to_ofx(code);
                children.push(Node::leaf("CODE", m.code.to_string()));
                children.push(Node::leaf("SEVERITY", m.severity.as_str()));
            }
            Some(_) => {
                children.push(Node::leaf("CODE", raw.unwrap_or_default()));
                children.push(Node::leaf("SEVERITY", "ERROR"));
            }
            None => {
                children.push(Node::leaf("CODE", "0"));
                children.push(Node::leaf("SEVERITY", "INFO"));
            }
        }
        if let Some(e) = error
            && let Some(text) = self.text(e)?
        {
            children.push(Node::leaf("MESSAGE", text));
        }
        Ok(Node::aggregate("STATUS", children))
    }

    /// `ACCTFROM`/`ACCTTO` as `BANKACCTFROM`/`CCACCTFROM` (…`TO`); `None` for the card flag
    /// when the account type is missing or unknown (then a bank account is written).
    pub(super) fn account(
        &mut self,
        el: Element<'_>,
        to: bool,
    ) -> Result<(Node, bool), WriteError> {
        let children = Self::flat(el);
        let mut card = false;
        for c in &children {
            if c.name() == "ACCTTYPE"
                && let Some(t) = c.text()
                && let (crate::codes::Coded::Known(code), _) = OfcAccountType::read(t)
            {
                match ofc_account_type_to_ofx(code) {
                    OfcAccountMapping::CreditCard => card = true,
                    OfcAccountMapping::Bank(_) => {}
                    OfcAccountMapping::NoEquivalent => {
                        return Err(Self::no_counterpart(
                            *c,
                            format!(
                                "account type {} ({}) has no OFX bank or card account type",
                                code.as_str(),
                                code.description()
                            ),
                        ));
                    }
                }
            }
        }
        let mut out = Vec::new();
        for c in children {
            let node = match c.name() {
                "ACCTTYPE" if !card => match self.text(c)? {
                    Some(t) => {
                        let name = match OfcAccountType::read(&t).0 {
                            crate::codes::Coded::Known(code) => match ofc_account_type_to_ofx(code)
                            {
                                OfcAccountMapping::Bank(ofx) => ofx.as_str().to_owned(),
                                _ => t,
                            },
                            crate::codes::Coded::Unknown(_) => t,
                        };
                        Some(Node::leaf("ACCTTYPE", name).at(c.span()))
                    }
                    None => None,
                },
                "ACCTTYPE" => None,
                "BANKID" | "BRANCHID" if card => Some(self.vendor(c)?),
                "BANKID" | "BRANCHID" | "ACCTID" | "ACCTKEY" => {
                    self.value(c, c.name(), ValueKind::Other)?
                }
                _ => Some(self.vendor(c)?),
            };
            out.extend(node);
        }
        let (name, order): (&str, &[&str]) = match (card, to) {
            (false, false) => ("BANKACCTFROM", &BANKACCT_ORDER),
            (false, true) => ("BANKACCTTO", &BANKACCT_ORDER),
            (true, false) => ("CCACCTFROM", &CCACCT_ORDER),
            (true, true) => ("CCACCTTO", &CCACCT_ORDER),
        };
        Ok((ordered(name, out, order).at(el.span()), card))
    }

    /// `PAYEE/ENTITY` as an OFX `PAYEE`.
    pub(super) fn payee(&mut self, el: Element<'_>) -> Result<Node, WriteError> {
        let mut out = Vec::new();
        let (mut names, mut addresses, mut phones) = (0, 0, 0);
        for c in Self::flat(el) {
            let name = match c.name() {
                "NAME" => {
                    names += 1;
                    (names == 1).then_some("NAME")
                }
                "ADDRESS" => {
                    addresses += 1;
                    ["ADDR1", "ADDR2", "ADDR3"].get(addresses - 1).copied()
                }
                "PHONE" => {
                    phones += 1;
                    (phones == 1).then_some("PHONE")
                }
                "CITY" | "STATE" => Some(c.name()),
                "POSTALID" => Some("POSTALCODE"),
                _ => None,
            };
            let node = match name {
                Some(n) if c.is_leaf() => self.value(c, n, ValueKind::Other)?,
                _ => Some(self.vendor(c)?),
            };
            out.extend(node);
        }
        Ok(ordered("PAYEE", out, &PAYEE_ORDER).at(el.span()))
    }

    /// One `STMTTRN` (its `GENTRN` opened).
    fn transaction(&mut self, el: Element<'_>, card: bool) -> Result<Node, WriteError> {
        if el.is_leaf() {
            return self.vendor(el);
        }
        let mut out = Vec::new();
        let mut memos: Vec<String> = Vec::new();
        let mut memo_span = None;
        for c in Self::flat(el) {
            let node = match c.name() {
                "TRNTYPE" => match self.text(c)? {
                    Some(t) => {
                        let name = match OfcTrnType::read(&t).0 {
                            crate::codes::Coded::Known(code) => ofc_trntype_to_ofx(code)
                                .map_or(t.clone(), |ofx| ofx.as_str().to_owned()),
                            crate::codes::Coded::Unknown(_) => t,
                        };
                        Some(Node::leaf("TRNTYPE", name).at(c.span()))
                    }
                    None => None,
                },
                "DTPOSTED" => self.value(c, "DTPOSTED", ValueKind::Date)?,
                "TRNAMT" => self.value(c, "TRNAMT", ValueKind::Amount)?,
                "FITID" | "SRVRTID" | "SIC" | "PAYEEID" | "NAME" if c.is_leaf() => {
                    self.value(c, c.name(), ValueKind::Other)?
                }
                "CHKNUM" if c.is_leaf() => self.value(c, "CHECKNUM", ValueKind::Other)?,
                "MEMO" if c.is_leaf() => {
                    if let Some(t) = self.text(c)? {
                        memos.push(t);
                        memo_span.get_or_insert(c.span());
                    }
                    None
                }
                "PAYEE" if !c.is_leaf() => Some(self.payee(c)?),
                "ACCTTO" if !c.is_leaf() => Some(self.account(c, true)?.0),
                _ => Some(self.vendor(c)?),
            };
            out.extend(node);
        }
        if !memos.is_empty() {
            let mut memo = Node::leaf("MEMO", memos.join("\n"));
            if let Some(span) = memo_span {
                memo = memo.at(span);
            }
            out.push(memo);
        }
        let _ = card;
        Ok(ordered("STMTTRN", out, &STMTTRN_ORDER).at(el.span()))
    }

    /// A statement: `account` (an `ACCTFROM`, if any), the `STMTRS` elements, and the
    /// wrapper's `CLTID` and status.
    fn statement(
        &mut self,
        at: Element<'_>,
        account: Option<Element<'_>>,
        stmtrs: &[Element<'_>],
        uid: Option<String>,
        status: Node,
        extra: Vec<Node>,
    ) -> Result<Converted1, WriteError> {
        let (acct, card) = match account {
            Some(a) => {
                let (node, card) = self.account(a, false)?;
                (Some(node), card)
            }
            None => (None, false),
        };
        let currency = self.options.currency.clone().unwrap_or_else(|| "XXX".to_owned());
        let (mut start, mut end, mut ledger) = (None, None, None);
        let (mut trns, mut vendor) = (Vec::new(), extra);
        let mut items: Vec<Element<'_>> = Vec::new();
        for rs in stmtrs {
            for c in rs.children() {
                if c.name() == "BANKTRANLIST" && !c.is_leaf() {
                    items.extend(c.children());
                } else {
                    items.push(c);
                }
            }
        }
        for c in items {
            match c.name() {
                "DTSTART" if start.is_none() && c.is_leaf() => {
                    start = self.value(c, "DTSTART", ValueKind::Date)?;
                }
                "DTEND" if end.is_none() && c.is_leaf() => {
                    end = self.value(c, "DTEND", ValueKind::Date)?;
                }
                "LEDGER" if ledger.is_none() && c.is_leaf() => {
                    ledger = self.value(c, "BALAMT", ValueKind::Amount)?;
                }
                "STMTTRN" => trns.push(self.transaction(c, card)?),
                _ => vendor.push(self.vendor(c)?),
            }
        }
        let mut list = Vec::new();
        list.extend(start.clone());
        list.extend(end.clone());
        list.extend(trns);
        let mut rs = vec![Node::leaf("CURDEF", currency)];
        rs.extend(acct);
        rs.push(Node::aggregate("BANKTRANLIST", list));
        if let Some(balamt) = ledger {
            let mut bal = vec![balamt];
            if let Some(end) = end.as_ref().and_then(Node::text) {
                bal.push(Node::leaf("DTASOF", end));
            }
            rs.push(Node::aggregate("LEDGERBAL", bal));
        }
        rs.extend(vendor);
        let (rs_name, trnrs_name) =
            if card { ("CCSTMTRS", "CCSTMTTRNRS") } else { ("STMTRS", "STMTTRNRS") };
        let wrapper = Node::aggregate(
            trnrs_name,
            vec![
                Node::leaf("TRNUID", uid.unwrap_or_else(|| "0".to_owned())),
                status,
                Node::aggregate(rs_name, rs).at(at.span()),
            ],
        )
        .at(at.span());
        Ok(Converted1 { card, wrapper })
    }

    /// `SONRS` (or `SONRQ`) as OFX's.
    fn signon(&mut self, el: Element<'_>) -> Result<Node, WriteError> {
        let request = el.name() == "SONRQ";
        let children: Vec<Element<'_>> = el.children().collect();
        let find = |n: &str| children.iter().copied().find(|c| c.name() == n);
        let mut out = Vec::new();
        let mut vendor = Vec::new();
        if !request {
            out.push(self.status(find("STATUS"), find("ERROR"))?);
        }
        for c in &children {
            let c = *c;
            let node = match c.name() {
                "STATUS" | "ERROR" if !request => None,
                "DTSERVER" | "DTCLIENT" => self.value(c, c.name(), ValueKind::Date)?,
                "USERID" | "USERPASS" if request => self.value(c, c.name(), ValueKind::Other)?,
                "SESSKEY" => self.value(c, "SESSCOOKIE", ValueKind::Other)?,
                _ => {
                    vendor.push(self.vendor(c)?);
                    None
                }
            };
            out.extend(node);
        }
        out.push(Node::leaf("LANGUAGE", "ENG"));
        if request {
            out.push(Node::leaf("APPID", "OFXKIT"));
            out.push(Node::leaf("APPVER", "0100"));
        }
        let order: &[&str] = if request {
            &["DTCLIENT", "USERID", "USERPASS", "LANGUAGE", "SESSCOOKIE", "APPID", "APPVER"]
        } else {
            &["STATUS", "DTSERVER", "LANGUAGE", "SESSCOOKIE"]
        };
        let mut node = ordered(el.name(), out, order).at(el.span());
        for v in vendor {
            node.push(v);
        }
        let set = if request { "SIGNONMSGSRQV1" } else { "SIGNONMSGSRSV1" };
        Ok(Node::aggregate(set, vec![node]))
    }
}

/// Converts an OFC document to an OFX tree.
pub(crate) fn convert(
    doc: &ofxkit_syntax::Document<'_>,
    options: &WriteOptions,
) -> Result<Converted, WriteError> {
    let root = doc.root();
    let mut cv = Converter { options, vendor: 0, left_out: 0, empty_as: empty_wrappers(root) };
    let mut signon = None;
    let (mut bank, mut card, mut vendor) = (Vec::new(), Vec::new(), Vec::new());
    let (mut billpay, mut billpay_rq) = (Vec::new(), Vec::new());
    let (mut bank_rq, mut card_rq) = (Vec::new(), Vec::new());
    for el in root.children() {
        match el.name() {
            "DTD" | "CPAGE" if el.is_leaf() => {}
            "SONRS" | "SONRQ" if signon.is_none() && !el.is_leaf() => signon = Some(cv.signon(el)?),
            "ACCTSTMT" if !el.is_leaf() => {
                let account = el.children().find(|c| c.name() == "ACCTFROM" && !c.is_leaf());
                let stmtrs: Vec<_> = el.children().filter(|c| c.name() == "STMTRS").collect();
                let mut extra = Vec::new();
                for c in el.children() {
                    let used = (c.name() == "ACCTFROM" && account.map(|a| a.id()) == Some(c.id()))
                        || c.name() == "STMTRS";
                    if !used {
                        extra.push(cv.vendor(c)?);
                    }
                }
                let status = cv.status(None, None)?;
                let s = cv.statement(el, account, &stmtrs, None, status, extra)?;
                if s.card { card.push(s.wrapper) } else { bank.push(s.wrapper) }
            }
            // Not OFC's grammar (its STMTRS sits in an ACCTSTMT or a TRNRS): readers take a
            // statement right under the root as OFX's, and so it is kept as it is, in its
            // OFX wrapper.
            "STMTRS" | "CCSTMTRS" if !el.is_leaf() => {
                let copied = cv.copy(el, el.name().to_owned())?;
                let status = cv.status(None, None)?;
                let (wrapper, list) = if el.name() == "STMTRS" {
                    ("STMTTRNRS", &mut bank)
                } else {
                    ("CCSTMTTRNRS", &mut card)
                };
                list.push(
                    Node::aggregate(wrapper, vec![Node::leaf("TRNUID", "0"), status, copied])
                        .at(el.span()),
                );
            }
            "TRNRS" if el.children().any(|c| c.name() == "STMTRS") => {
                let find = |n: &str| el.children().find(|c| c.name() == n);
                let uid = match find("CLTID") {
                    Some(c) => cv.text(c)?,
                    None => None,
                };
                let status = cv.status(find("STATUS"), find("ERROR"))?;
                let account = find("ACCTFROM").filter(|a| !a.is_leaf());
                let stmtrs: Vec<_> = el.children().filter(|c| c.name() == "STMTRS").collect();
                let mut extra = Vec::new();
                for c in el.children() {
                    if !matches!(c.name(), "CLTID" | "STATUS" | "ERROR" | "STMTRS" | "ACCTFROM") {
                        extra.push(cv.vendor(c)?);
                    }
                }
                let s = cv.statement(el, account, &stmtrs, uid, status, extra)?;
                if s.card { card.push(s.wrapper) } else { bank.push(s.wrapper) }
            }
            "MAINTRQ" | "MAINTRS" | "TRNRQ" | "TRNRS" if !el.is_leaf() => {
                let record = cv.record(el)?;
                match record.name() {
                    "STMTTRNRQ" => bank_rq.push(record),
                    "CCSTMTTRNRQ" => card_rq.push(record),
                    _ if el.name().ends_with("RQ") => billpay_rq.push(record),
                    _ => billpay.push(record),
                }
            }
            _ => vendor.push(cv.vendor(el)?),
        }
    }
    let mut sets: Vec<Node> = signon.into_iter().collect();
    // In OFX's order of message sets.
    for (name, records) in [
        ("BANKMSGSRQV1", bank_rq),
        ("BANKMSGSRSV1", bank),
        ("CREDITCARDMSGSRQV1", card_rq),
        ("CREDITCARDMSGSRSV1", card),
        ("BILLPAYMSGSRQV1", billpay_rq),
        ("BILLPAYMSGSRSV1", billpay),
    ] {
        if !records.is_empty() {
            sets.push(Node::aggregate(name, records));
        }
    }
    sets.extend(vendor);
    Ok(Converted {
        root: Node::aggregate("OFX", sets).at(root.span()),
        vendor: cv.vendor,
        left_out: cv.left_out,
    })
}
