//! Validating while the file is read: [`validate_bytes`].
//!
//! The bulk of a long statement is its `STMTTRN`s. Read with
//! [`ofxkit_syntax::parse_streaming`], each one is offered as it closes; the validator
//! checks it then, with every pass, as the walk of the whole tree would (its statement's
//! FITIDs so far, its list's period, the path of the elements around it), and takes it: it
//! never reaches the tree, so the tree of a million transactions is never built. Its
//! findings are not counted yet but logged ([`Log`]), with the place of the transaction: the
//! walk of what is left of the tree replays them there ([`Replay`]), and adds the taken
//! transactions to their parent's children for the structure check. The findings, their
//! order and the caps are therefore those of [`validate`](super::validate) on the whole
//! tree.
//!
//! A transaction is taken only inside a bank, card or OFC statement whose earlier content
//! holds no transaction of its own (the FITIDs are then seen in the order of the whole
//! walk), with the profile known from what was read; the first one left in the tree stops the
//! taking for the rest of the file. When a finding would point at a transaction taken (the
//! parent's children out of order around it, say), or the profile read at the end differs
//! from the one the transactions were checked with, the file is checked again the plain
//! way: [`validate_bytes`] always gives [`validate`](super::validate)'s findings.
//!
//! A file whose reading recovered elements (an end tag missing, an element reopened) is no
//! exception: the reader offers only a transaction whose place is final, inside elements it
//! knows, each allowed in its parent (so no later recovery moves it or its list out of the
//! statement), and the walk replays the taken ones by their offsets, where the tree has them.
//!
//! What is kept of the taken transactions: their statement's FITIDs (a sorted arena, or a
//! seeded hash set once they come out of order), runs of places, and the findings logged,
//! at most one past the cap of each rule (the rest are only counted).

use std::collections::HashSet;
use std::hash::RandomState;

use ofxkit_schema::Content;
use ofxkit_syntax::{Children, Element, Offered, Options, Span, Tree};
use rustc_hash::FxHashMap;

use super::semantic::{Correction, Tag, period_of};
use super::{
    Defs, Family, Findings, Passes, Report, Setting, ValidateOptions, ValidationProfile,
    check_tree, recycle, report, semantic, structure, validate, values, walk,
};
use crate::Document;
use crate::capped::Capped;
use crate::diagnostic::Diagnostic;

/// A finding logged about an element taken from the stream, as
/// [`Findings::push`](super::Findings::push) was given it.
#[derive(Debug)]
pub(crate) struct Event {
    pub(crate) rule: &'static str,
    pub(crate) span: Span,
    pub(crate) path: String,
    pub(crate) message: String,
    /// For a missing child after the last: where the element ends, when it has no end tag
    /// (the message then tells the end of the input, if the input ended there).
    pub(crate) ends_at: Option<u32>,
}

/// The findings of the elements taken so far.
#[derive(Debug, Default)]
pub(crate) struct Log {
    /// The path of the elements around the one being checked.
    pub(crate) prefix: String,
    events: Vec<Event>,
    /// Findings logged so far, by rule.
    counts: FxHashMap<&'static str, u64>,
    /// Findings of a rule past its cap and one: surely left out, only counted.
    extra: FxHashMap<&'static str, u64>,
    cap: u64,
}

impl Log {
    /// Logs a finding; one past the cap of its rule, only counts it (however the findings
    /// of the rest of the tree fall, it is left out: more of its rule come before it).
    pub(crate) fn record(&mut self, e: Event) {
        let n = self.counts.entry(e.rule).or_insert(0);
        *n += 1;
        if self.cap != 0 && *n > self.cap + 1 {
            *self.extra.entry(e.rule).or_insert(0) += 1;
            return;
        }
        self.events.push(e);
    }
}

/// The FITIDs of a statement's transactions taken from the stream: in increasing order,
/// one after the other in an arena (found by binary search); the first one out of order
/// moves them to a hash set with a random seed.
#[derive(Debug, Default)]
pub(crate) struct OwnedFitids {
    arena: String,
    ends: Vec<usize>,
    hashed: Option<HashSet<Box<str>, RandomState>>,
}

impl OwnedFitids {
    fn get(&self, i: usize) -> &str {
        let start = i.checked_sub(1).and_then(|j| self.ends.get(j)).copied().unwrap_or(0);
        let end = self.ends.get(i).copied().unwrap_or(start);
        self.arena.get(start..end).unwrap_or_default()
    }

    fn search(&self, fitid: &str) -> Result<usize, usize> {
        let (mut lo, mut hi) = (0, self.ends.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match self.get(mid).cmp(fitid) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Ok(mid),
            }
        }
        Err(lo)
    }

    /// Adds a FITID; false when the statement already had it.
    pub(crate) fn insert(&mut self, fitid: &str) -> bool {
        if let Some(set) = self.hashed.as_mut() {
            if set.contains(fitid) {
                return false;
            }
            set.insert(fitid.into());
            return true;
        }
        let n = self.ends.len();
        if n == 0 || n.checked_sub(1).is_some_and(|last| self.get(last) < fitid) {
            self.arena.push_str(fitid);
            self.ends.push(self.arena.len());
            return true;
        }
        if self.search(fitid).is_ok() {
            return false;
        }
        let mut set: HashSet<Box<str>, RandomState> = HashSet::default();
        set.reserve(n * 2);
        set.extend((0..n).map(|i| Box::from(self.get(i))));
        set.insert(fitid.into());
        self.hashed = Some(set);
        self.arena = String::new();
        self.ends = Vec::new();
        true
    }

    /// Whether the statement had this FITID.
    pub(crate) fn contains(&self, fitid: &str) -> bool {
        match &self.hashed {
            Some(set) => set.contains(fitid),
            None => self.search(fitid).is_ok(),
        }
    }
}

/// What the transactions taken from one statement held that the rest of the walk needs.
#[derive(Debug, Default)]
pub(crate) struct StreamedStatement {
    pub(crate) fitids: OwnedFitids,
    pub(crate) corrections: Vec<Correction<'static>>,
}

/// Consecutive transactions taken from one list (blanks between them at most).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Run {
    /// Where the first starts, and the last ends.
    start: u32,
    end: u32,
    /// Where their list starts.
    list: u32,
    count: usize,
    /// The end of their findings in the log.
    events_end: usize,
}

/// What the taking left for the walk of the tree.
pub(crate) struct Taken {
    pub(crate) runs: Vec<Run>,
    pub(crate) events: Vec<Event>,
    pub(crate) extra: FxHashMap<&'static str, u64>,
    pub(crate) statements: FxHashMap<u32, StreamedStatement>,
}

/// The taken transactions, replayed in their places during the walk of the tree.
pub(crate) struct Replay<'t> {
    /// Where the next run starts (`u32::MAX`: none left).
    pub(crate) at: u32,
    runs: std::vec::IntoIter<Run>,
    next: Option<Run>,
    events: std::vec::IntoIter<Event>,
    replayed: usize,
    extra: Vec<(&'static str, u64)>,
    /// `STMTTRN` as the tree names it, and its name index.
    name: &'t str,
    index: usize,
}

impl<'t> Replay<'t> {
    /// Nothing to replay.
    pub(crate) fn none() -> Self {
        Replay {
            at: u32::MAX,
            runs: Vec::new().into_iter(),
            next: None,
            events: Vec::new().into_iter(),
            replayed: 0,
            extra: Vec::new(),
            name: "STMTTRN",
            index: usize::MAX,
        }
    }

    /// Replays `taken` in the walk of `tree`.
    pub(crate) fn new(tree: &'t Tree<'t>, taken: Taken) -> Self {
        let (index, name) =
            tree.names().enumerate().find(|(_, n)| *n == "STMTTRN").unwrap_or((usize::MAX, ""));
        let name = if name.is_empty() { "STMTTRN" } else { name };
        let mut runs = taken.runs.into_iter();
        let next = runs.next();
        let mut extra: Vec<(&'static str, u64)> = taken.extra.into_iter().collect();
        extra.sort_unstable();
        Replay {
            at: next.map_or(u32::MAX, |r| r.start),
            runs,
            next,
            events: taken.events.into_iter(),
            replayed: 0,
            extra,
            name,
            index,
        }
    }

    /// Replays the runs that start before `pos`: their transactions join their parent's
    /// children, their findings are counted.
    pub(crate) fn upto(&mut self, pos: u32, passes: &mut Passes<'t>, out: &mut Findings<'t>) {
        while let Some(run) = self.next.filter(|r| r.start < pos) {
            passes.structure.taken(self.name, self.index, run.count);
            while self.replayed < run.events_end {
                let Some(e) = self.events.next() else { break };
                out.replay(e);
                self.replayed += 1;
            }
            self.next = self.runs.next();
            self.at = self.next.map_or(u32::MAX, |r| r.start);
        }
    }

    /// Whether every run was replayed.
    pub(crate) fn finished(&self) -> bool {
        self.next.is_none()
    }

    /// Counts the findings left out while logged (after the walk: their rules' first
    /// findings left out came before).
    pub(crate) fn extra_left_out(&mut self, list: &mut Capped) {
        for (rule, n) in self.extra.drain(..) {
            let severity =
                super::rules::rule(rule).map_or(ofxkit_syntax::Severity::Error, |r| r.severity);
            let mut d = Diagnostic::new(rule, severity, Span::new(0, 0), String::new());
            d.left_out = Some(n);
            list.push(d);
        }
    }
}

/// The state of one file's reading.
struct Streamer {
    profile: ValidationProfile,
    /// Still taking transactions (off for the rest of the file once one was left).
    active: bool,
    /// A finding could not be made as the whole walk makes it.
    inexact: bool,
    /// The profile the transactions are checked with, as read at the first list.
    setting: Option<(ValidationProfile, bool, Setting)>,
    /// The list whose transactions are being taken, and its period.
    list: Option<u32>,
    period: (Option<u32>, Option<u32>),
    /// The statement of that list, where it starts.
    statement: Option<(u32, StreamedStatement)>,
    statements: FxHashMap<u32, StreamedStatement>,
    defs: Option<Defs>,
    /// The name index of `STMTTRN`, and a child list's key (see [`structure::Buffers`]).
    stmttrn: Option<usize>,
    key: Vec<usize>,
    /// The walk's buffers, kept between the transactions taken.
    structure: Option<structure::Buffers>,
    ancestors: Vec<Element<'static>>,
    stack: Vec<(Element<'static>, Children<'static>)>,
    log: Log,
    runs: Vec<Run>,
}

impl Streamer {
    fn new(options: &ValidateOptions) -> Self {
        Streamer {
            profile: options.profile,
            active: true,
            inexact: false,
            setting: None,
            list: None,
            period: (None, None),
            statement: None,
            statements: FxHashMap::default(),
            defs: None,
            stmttrn: None,
            key: Vec::new(),
            structure: None,
            ancestors: Vec::new(),
            stack: Vec::new(),
            log: Log { cap: u64::from(options.max_findings_per_rule), ..Log::default() },
            runs: Vec::new(),
        }
    }

    fn take(&mut self, offered: &Offered<'_>) -> bool {
        if !self.active {
            return false;
        }
        let taken = self.try_take(offered);
        if !taken {
            self.active = false;
        }
        taken
    }

    fn try_take(&mut self, offered: &Offered<'_>) -> bool {
        let Some((_, list)) = offered.open_elements().next_back() else { return false };
        if self.list != Some(list) && !self.enter_list(offered, list) {
            return false;
        }
        let Some((_, _, setting)) = self.setting else { return false };
        let leaves = offered.plain_leaves();
        let quiet = match leaves {
            Some(leaves) => self.check_quiet(
                leaves.map(|l| (l.name(), l.name_index(), Some(l.text()))),
                offered,
                setting,
            ),
            None => {
                let el = offered.element();
                let children = el.children().map(|c| (c.name(), c.name_index(), c.text()));
                self.check_quiet(children, offered, setting)
            }
        };
        if !quiet {
            self.check(offered.element(), setting);
        }
        let (start, end) = (offered.start(), offered.end());
        let events_end = self.log.events.len();
        let source = offered.source();
        match self.runs.last_mut() {
            Some(r) if r.list == list && blank(source, r.end, start) => {
                r.count += 1;
                r.end = end;
                r.events_end = events_end;
            }
            _ => self.runs.push(Run { start, end, list, count: 1, events_end }),
        }
        true
    }

    /// Checks a transaction from its children (name, name index and text, `None` for an
    /// aggregate) without walking its tree: true when every pass surely finds nothing to say
    /// (its FITID is then counted), false when one might (its tree is then walked, see
    /// [`check`](Self::check)).
    fn check_quiet<'c>(
        &mut self,
        children: impl Iterator<Item = (&'c str, usize, Option<&'c str>)>,
        offered: &Offered<'_>,
        setting: Setting,
    ) -> bool {
        let index = match self.stmttrn {
            Some(i) => i,
            None => {
                let Some(i) = offered.names().position(|n| n == "STMTTRN") else { return false };
                self.stmttrn = Some(i);
                i
            }
        };
        let (Some(defs), Some(structure)) = (self.defs.as_mut(), self.structure.as_ref()) else {
            return false;
        };
        self.key.clear();
        self.key.push(index);
        let (mut fitid, mut posted) = (None, None);
        for (name, name_index, text) in children {
            // Leaves only.
            let Some(text) = text else { return false };
            self.key.push(name_index);
            let info = defs.info_of(name, name_index);
            // Declared, and a leaf where a leaf belongs.
            let Some(def) = info.def else { return false };
            if !matches!(def.content(), Content::Text { .. }) {
                return false;
            }
            match info.tag {
                Tag::None | Tag::Name => {}
                Tag::Fitid if !text.is_empty() => fitid = Some(text),
                Tag::DtPosted => posted = Some(text),
                _ => return false,
            }
            if !values::quiet(setting.family, info.kind, def, text) {
                return false;
            }
        }
        // The list of children, as found valid before.
        if !structure.is_valid(&self.key) {
            return false;
        }
        if setting.family == Family::Ofc && fitid.is_none() {
            return false;
        }
        if let Some(day) = posted.and_then(semantic::day_of) {
            let (start, end) = self.period;
            if start.is_some_and(|s| day < s) || end.is_some_and(|e| day > e) {
                return false;
            }
        }
        // Last, the one check that changes what is kept: a FITID seen before is left to the
        // walk of the tree, which finds it again.
        match (fitid, self.statement.as_mut()) {
            (Some(f), Some((_, s))) => s.fitids.insert(f),
            (Some(_), None) => false,
            (None, _) => true,
        }
    }

    /// Checks a transaction taken, with every pass, logging its findings.
    fn check(&mut self, el: Element<'_>, setting: Setting) {
        let mut findings = Findings::new(0, None);
        findings.log = Some(std::mem::take(&mut self.log));
        findings.ancestors = recycle(std::mem::take(&mut self.ancestors));
        let buffers = self.structure.take().unwrap_or_default();
        let mut passes = Passes {
            defs: self.defs.take().unwrap_or_else(|| Defs::new(setting)),
            structure: structure::Structure::with_buffers(setting, buffers),
            values: values::Values::new(setting),
            semantic: semantic::Semantic::new(setting),
        };
        let statement = self.statement.as_mut().map(|(_, s)| std::mem::take(s));
        passes.semantic.stream =
            Some((statement.unwrap_or_default(), self.period.0, self.period.1));
        let mut stack = recycle(std::mem::take(&mut self.stack));
        walk(el, &mut passes, &mut findings, &mut Replay::none(), &mut stack);
        self.stack = recycle(stack);
        self.ancestors = recycle(std::mem::take(&mut findings.ancestors));
        if let (Some((_, s)), Some((back, _, _))) =
            (self.statement.as_mut(), passes.semantic.stream.take())
        {
            *s = back;
        }
        self.inexact |= findings.inexact;
        self.log = findings.log.take().unwrap_or_default();
        self.structure = Some(passes.structure.into_buffers());
        self.defs = Some(passes.defs);
    }

    /// Checks the list of the transaction offered: the chain of a bank, card or OFC
    /// statement, whose content so far holds no transaction, FITID owner or correction of
    /// its own (the walk would see them before the ones taken), with the profile read so
    /// far the one of the earlier lists; reads its period and its statement.
    fn enter_list(&mut self, offered: &Offered<'_>, list: u32) -> bool {
        if crate::convert::streamed_list(offered).is_none() {
            return false;
        }
        let chain: Vec<(&str, u32)> = offered.open_elements().collect();
        let Some(so_far) = offered.document_so_far() else { return false };
        let (profile, qfx) = self.profile.resolve(&so_far);
        let setting = Setting { schema: profile.schema(), family: profile.family(), qfx };
        match self.setting {
            None => self.setting = Some((profile, qfx, setting)),
            Some((p, q, _)) if (p, q) == (profile, qfx) => {}
            Some(_) => return false,
        }
        if setting.schema.element("STMTTRN").is_none() {
            return false;
        }
        // The chain's elements in the tree so far, by where they start.
        let mut path = Vec::with_capacity(chain.len());
        let root = so_far.tree().root();
        if chain.first().map(|c| c.1) != Some(root.span().start) {
            return false;
        }
        path.push(root);
        for &(_, start) in chain.iter().skip(1) {
            let Some(parent) = path.last() else { return false };
            let Some(child) = parent.children().find(|c| c.span().start == start) else {
                return false;
            };
            path.push(child);
        }
        // The statement and the period the walk would have open there.
        let tag = |e: &Element<'_>| Tag::of(setting.family, e.name());
        let Some(list_el) = path.last().copied() else { return false };
        let Some(statement) =
            path.iter().rev().find(|e| matches!(tag(e), Tag::BalanceStatement | Tag::Statement))
        else {
            return false;
        };
        if holds_transactions(*statement) {
            return false;
        }
        let ofc = setting.family == Family::Ofc;
        let period = path.iter().rev().position(|e| {
            let t = tag(e);
            t == Tag::TranList || (ofc && t == Tag::BalanceStatement)
        });
        // The period is the list's own (its dates come before its transactions): one of an
        // element around the list may be read from children after it (an OFX bank statement
        // checked as OFC, whose STMTRS holds the period).
        self.period = match period {
            None => (None, None),
            Some(0) => period_of(list_el, u32::MAX),
            Some(_) => return false,
        };
        let start = statement.span().start;
        if self.statement.as_ref().is_none_or(|(s, _)| *s != start) {
            if let Some((s, done)) = self.statement.take() {
                self.statements.insert(s, done);
            }
            self.statement = Some((start, StreamedStatement::default()));
        }
        let names: Vec<&str> = chain.iter().map(|(n, _)| *n).collect();
        self.log.prefix = names.join("/");
        self.list = Some(list);
        true
    }

    /// What was taken, for the walk of the tree.
    fn finish(mut self) -> Taken {
        if let Some((s, done)) = self.statement.take() {
            self.statements.insert(s, done);
        }
        Taken {
            runs: self.runs,
            events: self.log.events,
            extra: self.log.extra,
            statements: self.statements,
        }
    }
}

/// Whether `el` holds a transaction, an element whose FITID the statement counts, or a
/// correction.
fn holds_transactions(el: Element<'_>) -> bool {
    let mut stack = vec![el];
    while let Some(e) = stack.pop() {
        for c in e.children() {
            if matches!(c.name(), "STMTTRN" | "INVTRAN" | "CORRECTFITID") {
                return true;
            }
            if !c.is_leaf() {
                stack.push(c);
            }
        }
    }
    false
}

/// Whether only blanks lie between `from` and `to`.
fn blank(source: &[u8], from: u32, to: u32) -> bool {
    from <= to
        && source
            .get(from as usize..to as usize)
            .is_some_and(|b| b.iter().all(u8::is_ascii_whitespace))
}

/// Reads `bytes` and validates them in one pass, with the findings of
/// [`parse_with`](crate::parse_with) and [`validate`]: the transactions of bank, card and
/// OFC statements are checked as they are read and never kept in the tree (see the module
/// documentation). Returns the document (without those transactions) and the report.
///
/// ```
/// use ofxkit::validate::{validate, validate_bytes, ValidateOptions};
/// let file = b"<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>USD\
///   <BANKACCTFROM><BANKID>1<ACCTID>2<ACCTTYPE>CHECKING</BANKACCTFROM><BANKTRANLIST>\
///   <DTSTART>20240101<DTEND>20240131\
///   <STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20240105<TRNAMT>-12.50<FITID>A</STMTTRN>\
///   <STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20240205<TRNAMT>1,000.00<FITID>A</STMTTRN>\
///   </BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>";
/// let options = ValidateOptions::default();
/// let (doc, streamed) = validate_bytes(file, &Default::default(), &options)?;
/// // The transactions never reached the tree…
/// assert!(doc.syntax().tree().elements().all(|e| e.name() != "STMTTRN"));
/// // …and the findings are those of the whole tree.
/// let whole = validate(&ofxkit::parse(file)?, &options);
/// assert_eq!(streamed, whole);
/// let codes: Vec<&str> = streamed.findings.iter().map(|f| f.code).collect();
/// // No LEDGERBAL; the second transaction: after DTEND, an amount with a thousands
/// // separator, the FITID of the first.
/// assert!(codes.ends_with(&["OFX-SEM-004", "OFX-SEM-002", "OFX-AMT-003", "OFX-SEM-001"]));
/// # Ok::<(), ofxkit::ParseError>(())
/// ```
pub fn validate_bytes<'a>(
    bytes: &'a [u8],
    parse: &Options,
    options: &ValidateOptions,
) -> Result<(Document<'a>, Report), crate::ParseError> {
    let whole = || -> Result<(Document<'a>, Report), crate::ParseError> {
        let doc = crate::parse_with(bytes, parse)?;
        let report = validate(&doc, options);
        Ok((doc, report))
    };
    let mut streamer = Streamer::new(options);
    let result = {
        let mut take = |offered: &Offered<'_>| streamer.take(offered);
        ofxkit_syntax::parse_streaming(bytes, &crate::with_dtd(parse), "STMTTRN", &mut take)
    };
    // A file that cannot be read: read whole, for the error of the whole file.
    let Ok(syntax) = result else { return whole() };
    let doc = Document::with_cap(syntax, parse.limits.max_findings_per_code);
    if streamer.runs.is_empty() {
        let report = validate(&doc, options);
        return Ok((doc, report));
    }
    let syntax = doc.syntax();
    let (profile, qfx) = options.profile.resolve(syntax);
    let Some((p, q, setting)) = streamer.setting else { return whole() };
    if streamer.inexact || (p, q) != (profile, qfx) {
        return whole();
    }
    let taken = streamer.finish();
    let (list, exact) = check_tree(syntax, setting, options.max_findings_per_rule, Some(taken));
    if !exact {
        return whole();
    }
    let report = report(syntax, list, options, profile, qfx);
    Ok((doc, report))
}
