//! Meaning across elements: FITIDs, statement periods, NAME and PAYEE, balances, STATUS,
//! synchronization tokens, payees of payments and corrections.
//!
//! Works on the element tree during the shared walk: a statement's FITIDs go into one hash
//! set (borrowed `&str`, no copy), the open statement and transaction-list periods sit on
//! small stacks, and everything else looks at an element's own children.

use std::borrow::Cow;

use ofxkit_syntax::{Element, NodeId, Span, shown};
use rustc_hash::{FxHashMap, FxHashSet};

use crate::codes::Code;
use crate::codes::ofc::OfcStatus;
use crate::codes::ofx::Severity as OfxSeverity;
use crate::codes::status;
use crate::validate::stream::StreamedStatement;
use crate::validate::{Family, Findings, Setting, start_tag};

/// The semantic role of an element name, worked out once per name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tag {
    /// Nothing this pass looks at.
    None,
    /// `FITID`.
    Fitid,
    /// `CORRECTFITID`.
    CorrectFitid,
    /// `DTPOSTED`.
    DtPosted,
    /// `STATUS`: an aggregate in OFX, a coded leaf in OFC.
    Status,
    /// OFC `ERROR`.
    Error,
    /// `STMTRS`, `CCSTMTRS`: statements with a ledger balance.
    BalanceStatement,
    /// `INVSTMTRS`.
    Statement,
    /// `BANKTRANLIST`, `INVTRANLIST`: lists with a period.
    TranList,
    /// `STMTTRN`, OFC `GENTRN`.
    Transaction,
    /// `NAME`.
    Name,
    /// `PAYEE`.
    Payee,
    /// `PMTINFO`.
    PmtInfo,
    /// `…SYNCRS`.
    SyncResponse,
}

impl Tag {
    /// Does this pass read the text of a leaf with this role?
    pub(crate) fn needs_text(self) -> bool {
        matches!(self, Tag::Fitid | Tag::CorrectFitid | Tag::DtPosted | Tag::Status)
    }

    pub(crate) fn of(family: Family, name: &str) -> Tag {
        let ofx = family == Family::Ofx;
        match name {
            "FITID" => Tag::Fitid,
            "CORRECTFITID" => Tag::CorrectFitid,
            "DTPOSTED" => Tag::DtPosted,
            "STATUS" => Tag::Status,
            "ERROR" if !ofx => Tag::Error,
            "STMTRS" => Tag::BalanceStatement,
            "CCSTMTRS" if ofx => Tag::BalanceStatement,
            "INVSTMTRS" if ofx => Tag::Statement,
            "BANKTRANLIST" | "INVTRANLIST" if ofx => Tag::TranList,
            "STMTTRN" | "GENTRN" => Tag::Transaction,
            "NAME" => Tag::Name,
            "PAYEE" => Tag::Payee,
            "PMTINFO" if ofx => Tag::PmtInfo,
            _ if ofx && name.ends_with("SYNCRS") => Tag::SyncResponse,
            _ => Tag::None,
        }
    }
}

/// The transaction being read: which of NAME and PAYEE it had so far.
struct Transaction<'t> {
    owner: Element<'t>,
    name: bool,
    payee: bool,
}

/// The FITIDs of a statement so far. Most files list them in increasing order, which a
/// sorted vector checks with one comparison each; the first one out of order turns the
/// vector into a hash set.
enum Fitids<'t> {
    Sorted(Vec<&'t str>),
    Hashed(FxHashSet<&'t str>),
}

impl<'t> Fitids<'t> {
    /// Adds a FITID; false when the statement already had it.
    fn insert(&mut self, fitid: &'t str) -> bool {
        match self {
            Fitids::Sorted(list) => {
                if list.last().is_none_or(|last| *last < fitid) {
                    list.push(fitid);
                    return true;
                }
                if list.binary_search(&fitid).is_ok() {
                    return false;
                }
                let mut set: FxHashSet<&'t str> = FxHashSet::default();
                set.reserve(list.len() * 2);
                set.extend(list.iter().copied());
                set.insert(fitid);
                *self = Fitids::Hashed(set);
                true
            }
            Fitids::Hashed(set) => set.insert(fitid),
        }
    }

    fn contains(&self, fitid: &str) -> bool {
        match self {
            Fitids::Sorted(list) => list.binary_search(&fitid).is_ok(),
            Fitids::Hashed(set) => set.contains(fitid),
        }
    }
}

/// A `CORRECTFITID` (not empty): its text, where the text is, and the element's path (taken
/// while the walk was there).
#[derive(Debug, Clone)]
pub(crate) struct Correction<'t> {
    pub(crate) text: Cow<'t, str>,
    pub(crate) span: Span,
    pub(crate) path: String,
}

/// An open statement.
struct Statement<'t> {
    owner: Element<'t>,
    fitids: Fitids<'t>,
    /// The CORRECTFITIDs, in order.
    corrections: Vec<Correction<'t>>,
    /// What its transactions taken from the stream (all before the others) held.
    streamed: Option<StreamedStatement>,
}

/// An open period (`DTSTART..DTEND` of a transaction list or OFC statement), as `YYYYMMDD`
/// numbers.
struct Period {
    owner: NodeId,
    start: Option<u32>,
    end: Option<u32>,
}

/// The semantic pass.
pub(crate) struct Semantic<'t> {
    setting: Setting,
    statements: Vec<Statement<'t>>,
    periods: Vec<Period>,
    transaction: Option<Transaction<'t>>,
    /// Where the next element taken from the stream was (`u32::MAX`: none): a period's
    /// dates are read from the children before it, as from the whole tree's.
    pub(crate) stop_at: u32,
    /// While a transaction taken from the stream is checked: its statement so far, and its
    /// list's period.
    pub(crate) stream: Option<(StreamedStatement, Option<u32>, Option<u32>)>,
    /// The statements whose transactions were taken from the stream, by start offset: each
    /// is handed to the statement when the walk enters it.
    pub(crate) handed: FxHashMap<u32, StreamedStatement>,
}

/// `YYYYMMDD` of a date value, when its first eight characters are a calendar date (an
/// impossible one is the values pass's finding, not a date to compare).
pub(crate) fn day_of(text: &str) -> Option<u32> {
    let head = text.as_bytes().get(..8)?;
    let day = head
        .iter()
        .try_fold(0u32, |acc, &b| b.is_ascii_digit().then(|| acc * 10 + u32::from(b - b'0')))?;
    chrono::NaiveDate::from_ymd_opt((day / 10000) as i32, day / 100 % 100, day % 100)?;
    Some(day)
}

/// Does an OFC `STMTTRN` have a FITID, directly or in its `GENTRN`?
fn has_fitid(el: Element<'_>) -> bool {
    el.child("FITID").is_some() || el.child("GENTRN").is_some_and(|g| g.child("FITID").is_some())
}

fn show_day(d: u32) -> String {
    format!("{:04}-{:02}-{:02}", d / 10000, d / 100 % 100, d % 100)
}

impl<'t> Semantic<'t> {
    pub(crate) fn new(setting: Setting) -> Self {
        Semantic {
            setting,
            statements: Vec::new(),
            periods: Vec::new(),
            transaction: None,
            stop_at: u32::MAX,
            stream: None,
            handed: FxHashMap::default(),
        }
    }

    fn rule(&self, n: u8) -> &'static str {
        match (self.setting.family, n) {
            (Family::Ofc, 1) => "OFC-SEM-001",
            (Family::Ofc, 2) => "OFC-SEM-002",
            (Family::Ofc, 3) => "OFC-SEM-003",
            (Family::Ofc, 4) => "OFC-SEM-004",
            (Family::Ofc, 6) => "OFC-SEM-006",
            (Family::Ofc, _) => "OFC-SEM-007",
            (Family::Ofx, 1) => "OFX-SEM-001",
            (Family::Ofx, 2) => "OFX-SEM-002",
            (Family::Ofx, 3) => "OFX-SEM-003",
            (Family::Ofx, 4) => "OFX-SEM-004",
            (Family::Ofx, 5) => "OFX-SEM-005",
            (Family::Ofx, 6) => "OFX-SEM-006",
            (Family::Ofx, 7) => "OFX-SEM-007",
            (Family::Ofx, 8) => "OFX-SEM-008",
            (Family::Ofx, 9) => "OFX-SEM-009",
            (Family::Ofx, _) => "OFX-SEM-010",
        }
    }

    /// Enters an element: most have no role here, and cost one test.
    #[inline(always)]
    pub(crate) fn enter(
        &mut self,
        el: Element<'t>,
        text: &'t str,
        name: &str,
        leaf: bool,
        tag: Tag,
        out: &mut Findings<'t>,
    ) {
        if tag != Tag::None {
            self.enter_role(el, text, name, leaf, tag, out);
        }
    }

    fn enter_role(
        &mut self,
        el: Element<'t>,
        text: &'t str,
        name: &str,
        leaf: bool,
        tag: Tag,
        out: &mut Findings<'t>,
    ) {
        let ofc = self.setting.family == Family::Ofc;
        if self.stream.is_some()
            && !leaf
            && matches!(tag, Tag::BalanceStatement | Tag::Statement | Tag::TranList)
        {
            // A statement inside a transaction: its FITIDs are not the enclosing one's.
            out.inexact = true;
        }
        match (tag, leaf) {
            (Tag::Fitid, true) => self.fitid(el, text, out),
            (Tag::CorrectFitid, true) => self.correction(el, text, out),
            (Tag::DtPosted, true) => self.posted(el, text, out),
            (Tag::Status, true) if ofc => self.ofc_status(el, text, out),
            (Tag::Status, false) if !ofc => self.ofx_status(el, out),
            (Tag::Error, true) => self.ofc_error(el, out),
            (Tag::Name | Tag::Payee, _) => self.name_or_payee(el, tag, out),
            (Tag::BalanceStatement | Tag::Statement, false) => {
                if tag == Tag::BalanceStatement {
                    let ledger = if ofc { "LEDGER" } else { "LEDGERBAL" };
                    if el.child(ledger).is_none() {
                        out.push_missing(
                            self.rule(4),
                            start_tag(el),
                            el,
                            format!(
                                "<{name}> has no <{ledger}>: the statement gives no ledger balance"
                            ),
                            true,
                        );
                    }
                    if ofc {
                        self.open_period(el);
                    }
                }
                let mut streamed = if self.handed.is_empty() {
                    None
                } else {
                    self.handed.remove(&el.span().start)
                };
                let corrections = streamed
                    .as_mut()
                    .map(|s| std::mem::take(&mut s.corrections))
                    .unwrap_or_default();
                self.statements.push(Statement {
                    owner: el,
                    fitids: Fitids::Sorted(Vec::new()),
                    corrections,
                    streamed,
                });
            }
            (Tag::TranList, false) => self.open_period(el),
            (Tag::Transaction, false) => {
                // OFC's DTD makes FITID optional; without one nothing can deduplicate the
                // transaction (OFX requires it: a missing one is OFX-STR-001).
                if ofc && name == "STMTTRN" && !has_fitid(el) {
                    out.push_missing(
                        "OFC-SEM-011",
                        start_tag(el),
                        el,
                        "<STMTTRN> has no <FITID>: nothing can tell it from the same \
                         transaction in another download"
                            .to_owned(),
                        true,
                    );
                }
                self.transaction = Some(Transaction { owner: el, name: false, payee: false });
            }
            (Tag::PmtInfo, false)
                if el.child("PAYEEID").is_none() && el.child("PAYEE").is_none() =>
            {
                out.push_missing(
                    self.rule(9),
                    start_tag(el),
                    el,
                    "<PMTINFO> names no payee: it needs <PAYEEID> or <PAYEE>".to_owned(),
                    true,
                );
            }
            (Tag::SyncResponse, false)
                if el.child("TOKEN").is_none() && el.child("TOKEN2").is_none() =>
            {
                out.push_missing(
                    self.rule(8),
                    start_tag(el),
                    el,
                    format!("<{name}> carries no <TOKEN>: the client cannot synchronize from it"),
                    true,
                );
            }
            _ => {}
        }
    }

    /// NAME or PAYEE directly in the open transaction: the second of the two is reported.
    fn name_or_payee(&mut self, el: Element<'t>, tag: Tag, out: &mut Findings<'t>) {
        let parent = out.ancestors.len().checked_sub(2).and_then(|i| out.ancestors.get(i));
        let rule = self.rule(3);
        let Some(t) = self.transaction.as_mut() else { return };
        if parent.is_none_or(|p| p.id() != t.owner.id()) {
            return;
        }
        let other = if tag == Tag::Name {
            t.name = true;
            t.payee
        } else {
            t.payee = true;
            t.name
        };
        if other {
            let owner = t.owner.name();
            out.push(
                rule,
                el.name_span(),
                el,
                format!("<{owner}> has both <NAME> and <PAYEE>; the specification allows one or the other"),
            );
        }
    }

    pub(crate) fn leave(&mut self, el: Element<'t>, out: &mut Findings<'t>) {
        if self.periods.last().is_some_and(|p| p.owner == el.id()) {
            self.periods.pop();
        }
        if self.statements.last().is_some_and(|s| s.owner.id() == el.id())
            && let Some(s) = self.statements.pop()
        {
            for c in s.corrections {
                let streamed = s.streamed.as_ref().is_some_and(|t| t.fitids.contains(&c.text));
                if !streamed && !s.fitids.contains(&c.text) {
                    out.push_at(
                        self.rule(10),
                        c.span,
                        c.path,
                        format!(
                            "CORRECTFITID \"{}\" names no transaction of this statement; it must \
                             refer to one sent in an earlier download",
                            shown(&c.text)
                        ),
                    );
                }
            }
        }
    }

    fn open_period(&mut self, el: Element<'t>) {
        let (start, end) = period_of(el, self.stop_at);
        self.periods.push(Period { owner: el.id(), start, end });
    }

    /// A CORRECTFITID of the open statement (or of the transaction taken from the stream).
    fn correction(&mut self, el: Element<'t>, text: &'t str, out: &mut Findings<'t>) {
        if text.is_empty() {
            return;
        }
        let span = el.text_span().unwrap_or_else(|| el.name_span());
        if let Some((s, _, _)) = self.stream.as_mut() {
            let text = Cow::Owned(text.to_owned());
            s.corrections.push(Correction { text, span, path: out.path_of(el) });
        } else if let Some(s) = self.statements.last_mut() {
            s.corrections.push(Correction {
                text: Cow::Borrowed(text),
                span,
                path: out.path_of(el),
            });
        }
    }

    fn fitid(&mut self, el: Element<'t>, text: &'t str, out: &mut Findings<'t>) {
        if text.is_empty() {
            return;
        }
        // A transaction's FITID (not an open order's or a position's).
        let parent = out.ancestors.len().checked_sub(2).and_then(|i| out.ancestors.get(i));
        if parent.is_none_or(|p| !matches!(p.name(), "STMTTRN" | "INVTRAN")) {
            return;
        }
        let fresh = if let Some((s, _, _)) = self.stream.as_mut() {
            s.fitids.insert(text)
        } else {
            let Some(s) = self.statements.last_mut() else { return };
            let earlier = s.streamed.as_ref().is_some_and(|t| t.fitids.contains(text));
            s.fitids.insert(text) && !earlier
        };
        if !fresh {
            let rule = self.rule(1);
            out.push(
                rule,
                el.text_span().unwrap_or_else(|| el.name_span()),
                el,
                format!(
                    "FITID \"{}\" is used by an earlier transaction of this statement",
                    shown(text)
                ),
            );
        }
    }
}

/// The period (`DTSTART`, `DTEND`) of a transaction list or OFC statement: its dates come
/// first, before the transactions (and before `stop_at`, where one was taken from the
/// stream).
pub(crate) fn period_of(el: Element<'_>, stop_at: u32) -> (Option<u32>, Option<u32>) {
    let mut start = None;
    let mut end = None;
    for c in el.children() {
        if stop_at != u32::MAX && c.span().start > stop_at {
            break;
        }
        match c.name() {
            "DTSTART" => start = c.text().and_then(day_of),
            "DTEND" => end = c.text().and_then(day_of),
            // The dates come first; stop at the transactions.
            "STMTTRN" | "INVBANKTRAN" => break,
            _ => {}
        }
    }
    (start, end)
}

impl<'t> Semantic<'t> {
    fn posted(&mut self, el: Element<'t>, text: &str, out: &mut Findings<'t>) {
        // Only a transaction's own date, inside an open period.
        let parent = out.ancestors.len().checked_sub(2).and_then(|i| out.ancestors.get(i));
        if parent.is_none_or(|p| p.name() != "STMTTRN") {
            return;
        }
        let period = match &self.stream {
            Some((_, start, end)) => (*start, *end),
            None => {
                let Some(period) = self.periods.last() else { return };
                (period.start, period.end)
            }
        };
        let Some(day) = day_of(text) else { return };
        let before = period.0.filter(|&s| day < s);
        let after = period.1.filter(|&e| day > e);
        let (Some(start), Some(end)) = period else {
            if let Some(s) = before {
                out.push(
                    self.rule(2),
                    el.text_span().unwrap_or_else(|| el.name_span()),
                    el,
                    format!("DTPOSTED {} is before DTSTART {}", show_day(day), show_day(s)),
                );
            } else if let Some(e) = after {
                out.push(
                    self.rule(2),
                    el.text_span().unwrap_or_else(|| el.name_span()),
                    el,
                    format!("DTPOSTED {} is after DTEND {}", show_day(day), show_day(e)),
                );
            }
            return;
        };
        if before.is_some() || after.is_some() {
            out.push(
                self.rule(2),
                el.text_span().unwrap_or_else(|| el.name_span()),
                el,
                format!(
                    "DTPOSTED {} is outside the period {}..{} of the statement",
                    show_day(day),
                    show_day(start),
                    show_day(end)
                ),
            );
        }
    }

    fn ofx_status(&self, el: Element<'t>, out: &mut Findings<'t>) {
        let code_el = el.child("CODE");
        let severity_el = el.child("SEVERITY");
        let code_text = code_el.and_then(|c| c.text()).unwrap_or_default();
        let info = code_text.trim().parse::<u32>().ok().and_then(status::lookup);
        if let Some(c) = code_el
            && info.is_none()
            && !code_text.is_empty()
        {
            out.push(
                self.rule(5),
                c.text_span().unwrap_or_else(|| c.name_span()),
                c,
                format!(
                    "STATUS CODE \"{}\" is not a code the specification defines",
                    shown(code_text)
                ),
            );
        }
        let severity_text = severity_el.and_then(|s| s.text()).unwrap_or_default();
        let severity = OfxSeverity::read(severity_text).0.known().copied();
        if let (Some(info), Some(sev), Some(s)) = (info, severity, severity_el)
            && info.severity != sev
        {
            out.push(
                self.rule(7),
                s.text_span().unwrap_or_else(|| s.name_span()),
                s,
                format!(
                    "STATUS {} ({}) has SEVERITY {}; the specification gives it {}",
                    info.code,
                    info.meaning,
                    sev.as_str(),
                    info.severity.as_str()
                ),
            );
        }
        let reported = severity.or(info.map(|i| i.severity));
        if matches!(reported, Some(OfxSeverity::Error | OfxSeverity::Warn)) {
            let what = if reported == Some(OfxSeverity::Error) { "an error" } else { "a warning" };
            let meaning = info.map_or(String::new(), |i| format!(" ({})", i.meaning));
            let message = el
                .child("MESSAGE")
                .and_then(|m| m.text())
                .filter(|m| !m.is_empty())
                .map_or(String::new(), |m| format!(": \"{}\"", shown(m)));
            out.push(
                self.rule(6),
                el.name_span(),
                el,
                format!("the server reports {what}: STATUS {}{meaning}{message}", shown(code_text)),
            );
        }
    }

    fn ofc_status(&self, el: Element<'t>, text: &str, out: &mut Findings<'t>) {
        if let Some(s) = OfcStatus::read(text).0.known()
            && s.is_error()
        {
            let error = out
                .ancestors
                .len()
                .checked_sub(2)
                .and_then(|i| out.ancestors.get(i))
                .and_then(|p| p.child_text("ERROR"))
                .filter(|e| !e.is_empty())
                .map_or(String::new(), |e| format!(": \"{}\"", shown(e)));
            out.push(
                self.rule(7),
                el.text_span().unwrap_or_else(|| el.name_span()),
                el,
                format!(
                    "the server reports a failure: STATUS {} ({}){error}",
                    shown(text),
                    s.description()
                ),
            );
        }
    }

    fn ofc_error(&self, el: Element<'t>, out: &mut Findings<'t>) {
        let parent = out.ancestors.len().checked_sub(2).and_then(|i| out.ancestors.get(i));
        let status = parent.and_then(|p| p.child_text("STATUS"));
        if let Some(status) = status
            && OfcStatus::read(status).0.known() != Some(&OfcStatus::Undefined)
        {
            out.push(
                self.rule(6),
                el.name_span(),
                el,
                format!(
                    "<ERROR> comes with STATUS {}; OFC allows an error text only with STATUS 100",
                    shown(status)
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_come_from_the_first_eight_digits() {
        assert_eq!(day_of("20240115120000.000[-5:EST]"), Some(20240115));
        assert_eq!(day_of("2024011"), None);
        assert_eq!(day_of("2024-01-15"), None);
        assert_eq!(day_of("20240230"), None);
        assert_eq!(show_day(20240105), "2024-01-05");
    }
}
