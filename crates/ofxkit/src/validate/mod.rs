//! The validator: structure, values, codes and meaning, each finding with a stable rule id,
//! a byte span (line and column come from the document's line index), the element path and,
//! where one fix fits, help.
//!
//! Four passes share one walk over the element tree, so validating costs one traversal plus
//! constant work per element: **structure** (children against the profile's DTD or XSD
//! content models, from `ofxkit-schema`), **values** (amounts, dates and time zones), **codes**
//! (enumerations of the profile, OFC code tables, ISO 4217 currencies) and **meaning** (FITID
//! uniqueness, dates within the statement period, NAME and PAYEE, balances, STATUS, sync
//! tokens, payees of payments, corrections). The rules are listed in [`rules::RULES`] and in
//! `crates/ofxkit/docs/rules.md`.
//!
//! ```
//! use ofxkit::validate::{validate, ValidateOptions};
//! let doc = ofxkit::parse(b"<OFC><DTD>2<CPAGE>1252<ACCTSTMT><ACCTFROM><BANKID>1<ACCTID>2<ACCTTYPE>0</ACCTFROM>\
//!   <STMTRS><DTSTART>20240101<DTEND>20240131<LEDGER>1.00\
//!   <STMTTRN><TRNTYPE>1<DTPOSTED>20240105<TRNAMT>-12.3<FITID>1<NAME>X</STMTTRN></STMTRS></ACCTSTMT></OFC>")?;
//! let report = validate(&doc, &ValidateOptions::default());
//! assert_eq!(report.profile.name(), "ofc");
//! let f = &report.findings[0];
//! assert_eq!(f.code, "OFC-AMT-002");
//! assert_eq!(f.message, "amount \"-12.3\" has 1 decimal; OFC requires 2");
//! assert_eq!(f.path.as_deref(), Some("OFC/ACCTSTMT/STMTRS/STMTTRN/TRNAMT"));
//! assert_eq!(doc.syntax().line_col(f.span.start).to_string(), "1:180");
//! assert!(report.has_errors());
//! # Ok::<(), ofxkit::Error>(())
//! ```

mod currency;
pub mod rules;
mod semantic;
mod stream;
mod structure;
mod values;

use std::collections::BTreeSet;

use ofxkit_schema::{ElementDef, Profile};
use ofxkit_syntax::{Code, Element, Format, Severity, Span};

use crate::capped::Capped;
use crate::diagnostic::{Diagnostic, syntax_findings};
use crate::document::Document;

pub use currency::{is_iso4217, minor_units};
pub use stream::validate_bytes;

/// Which specification a file is checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ValidationProfile {
    /// Read the profile from the file (root element and header `VERSION`).
    Auto,
    /// Microsoft OFC (`ofc.dtd`).
    Ofc,
    /// OFX 1.0.2 (checked with the 1.6 DTD, the closest published).
    Ofx102,
    /// OFX 1.0.3 (1.6 DTD).
    Ofx103,
    /// OFX 1.6 (1.6 DTD).
    Ofx160,
    /// OFX 2.0.0 (2.0.1 DTD).
    Ofx200,
    /// OFX 2.1.1 (2.0.1 DTD).
    Ofx211,
    /// OFX 2.2 (the 2.2 XML Schema).
    Ofx220,
    /// Quicken QFX: OFX of the header's version, Intuit `INTU.*` elements expected.
    Qfx,
}

impl ValidationProfile {
    /// Every profile, in the order `--help` lists them.
    pub const ALL: [ValidationProfile; 9] = [
        Self::Auto,
        Self::Ofc,
        Self::Ofx102,
        Self::Ofx103,
        Self::Ofx160,
        Self::Ofx200,
        Self::Ofx211,
        Self::Ofx220,
        Self::Qfx,
    ];

    /// Reads `auto`, `ofc`, `ofx102`, … `qfx` (any case).
    ///
    /// ```
    /// use ofxkit::validate::ValidationProfile;
    /// assert_eq!(ValidationProfile::from_name("OFX211"), Some(ValidationProfile::Ofx211));
    /// assert_eq!(ValidationProfile::from_name("ofx3"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.name().eq_ignore_ascii_case(name))
    }

    /// The name as given on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Self::Auto => "auto",
            Self::Ofc => "ofc",
            Self::Ofx102 => "ofx102",
            Self::Ofx103 => "ofx103",
            Self::Ofx160 => "ofx160",
            Self::Ofx200 => "ofx200",
            Self::Ofx211 => "ofx211",
            Self::Ofx220 => "ofx220",
            Self::Qfx => "qfx",
        }
    }

    /// The profile of the file's own version: from the header `VERSION`, else from its
    /// syntax (OFC root, OFX 2.x XML, OFX 1.x SGML).
    fn of_version(doc: &ofxkit_syntax::Document<'_>) -> Self {
        if doc.format() == Format::Ofc {
            return Self::Ofc;
        }
        match doc.version() {
            Some(v) if v < 103 => Self::Ofx102,
            Some(103) => Self::Ofx103,
            Some(v) if v < 200 => Self::Ofx160,
            Some(v) if v < 210 => Self::Ofx200,
            Some(v) if v < 220 => Self::Ofx211,
            Some(_) => Self::Ofx220,
            None if doc.format() == Format::Ofx2 => Self::Ofx211,
            None => Self::Ofx102,
        }
    }

    /// The concrete profile a document is checked against (`Auto` and `Qfx` resolved from
    /// the header), and whether Intuit vendor elements are expected (`qfx`, or `auto` on a
    /// file that carries them).
    ///
    /// ```
    /// use ofxkit::validate::ValidationProfile;
    /// let doc = ofxkit::syntax::parse(b"OFXHEADER:100\nDATA:OFXSGML\nVERSION:103\n\n<OFX></OFX>").unwrap();
    /// assert_eq!(ValidationProfile::Auto.resolve(&doc), (ValidationProfile::Ofx103, false));
    /// assert_eq!(ValidationProfile::Qfx.resolve(&doc), (ValidationProfile::Ofx103, true));
    /// assert_eq!(ValidationProfile::Ofx220.resolve(&doc), (ValidationProfile::Ofx220, false));
    /// ```
    pub fn resolve(self, doc: &ofxkit_syntax::Document<'_>) -> (ValidationProfile, bool) {
        match self {
            Self::Auto => (Self::of_version(doc), doc.is_qfx()),
            Self::Qfx => match Self::of_version(doc) {
                Self::Ofc => (Self::Ofx102, true),
                v => (v, true),
            },
            other => (other, false),
        }
    }

    /// The schema tables a concrete profile is checked with.
    pub fn schema(self) -> Profile {
        match self {
            Self::Ofc => Profile::Ofc,
            Self::Ofx102 | Self::Ofx103 | Self::Ofx160 | Self::Auto | Self::Qfx => Profile::Ofx160,
            Self::Ofx200 | Self::Ofx211 => Profile::Ofx201,
            Self::Ofx220 => Profile::Ofx220,
        }
    }

    /// `OFC` or `OFX`: the family prefix of the rule ids.
    pub fn family(self) -> Family {
        if self == Self::Ofc { Family::Ofc } else { Family::Ofx }
    }
}

impl std::fmt::Display for ValidationProfile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The two families of rules: the same check has the same number in both (`OFC-AMT-003`
/// and `OFX-AMT-003` are both about thousands separators), but not the same strictness.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    /// OFX 1.x, 2.x and QFX.
    Ofx,
    /// Microsoft OFC.
    Ofc,
}

/// How to validate.
///
/// `deny` and `allow` take rule ids (`OFC-AMT-002`), reader codes (`W-BARE-AMPERSAND`), or a
/// prefix ending in `*` (`OFX-SEM-*`, `W-*`). `allow` wins over `deny`.
///
/// `max_findings_per_rule` caps the validator's findings of one rule (default 1,000 per
/// file; 0 keeps them all): the rest are counted, and one finding per capped rule, with the
/// same rule id and severity, at the first one left out, says how many more there were
/// ([`Diagnostic::left_out`]). The reader's own findings were capped when the file was read
/// ([`Limits::max_findings_per_code`](ofxkit_syntax::Limits::max_findings_per_code)); give
/// both the same value.
///
/// ```
/// use ofxkit::validate::{validate, ValidateOptions};
/// let file = format!("<OFC><DTD>2<CPAGE>1252<ACCTSTMT><ACCTFROM><BANKID>1<ACCTID>2<ACCTTYPE>0</ACCTFROM>\
///   <STMTRS><DTSTART>20240101<DTEND>20240131<LEDGER>1.00{}</STMTRS></ACCTSTMT></OFC>",
///   "<STMTTRN><TRNTYPE>1<DTPOSTED>20240105<TRNAMT>-1.5<FITID>1</STMTTRN>".repeat(5));
/// let doc = ofxkit::parse(file.as_bytes())?;
/// let options = ValidateOptions { max_findings_per_rule: 2, ..ValidateOptions::default() };
/// let report = validate(&doc, &options);
/// let decimals: Vec<_> = report.findings.iter().filter(|f| f.code == "OFC-AMT-002").collect();
/// assert_eq!(decimals.len(), 3, "two kept, and the one that counts the rest");
/// assert_eq!(decimals[2].left_out, Some(3));
/// assert_eq!(decimals[2].message, "… and 3 more OFC-AMT-002 findings in this file were not kept");
/// // Four repeated FITIDs (OFC-SEM-001): two kept, two left out.
/// assert_eq!(report.left_out(), 3 + 2);
/// # Ok::<(), ofxkit::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidateOptions {
    /// The profile (default: auto).
    pub profile: ValidationProfile,
    /// Rules whose findings count as errors whatever their default severity.
    pub deny: BTreeSet<String>,
    /// Rules whose findings are dropped.
    pub allow: BTreeSet<String>,
    /// Every warning counts as an error.
    pub strict: bool,
    /// Most findings of one rule kept per file (default 1,000; 0: all).
    pub max_findings_per_rule: u32,
}

impl Default for ValidateOptions {
    fn default() -> Self {
        ValidateOptions {
            profile: ValidationProfile::Auto,
            deny: BTreeSet::new(),
            allow: BTreeSet::new(),
            strict: false,
            max_findings_per_rule: DEFAULT_MAX_FINDINGS,
        }
    }
}

/// The default of [`ValidateOptions::max_findings_per_rule`]: the syntax layer's default cap.
pub const DEFAULT_MAX_FINDINGS: u32 = 1000;

/// Does `code` match one of `patterns` (exact, or a prefix ending in `*`)?
fn matches_any(patterns: &BTreeSet<String>, code: &str) -> bool {
    patterns.iter().any(|p| match p.strip_suffix('*') {
        Some(prefix) => code.starts_with(prefix),
        None => p == code,
    })
}

/// What validating one file found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The concrete profile the file was checked against.
    pub profile: ValidationProfile,
    /// Whether Intuit vendor elements were expected (QFX).
    pub qfx: bool,
    /// Findings of the reader and of the validator, sorted by position.
    pub findings: Vec<Diagnostic>,
}

impl Report {
    /// Number of findings of this severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity == severity).count()
    }

    /// True when a finding is an error.
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(|f| f.severity == Severity::Error)
    }

    /// How many findings the caps left out (each counted in its rule's
    /// [`Diagnostic::left_out`]).
    pub fn left_out(&self) -> u64 {
        self.findings.iter().filter_map(|f| f.left_out).sum()
    }
}

/// Findings in the making, and the walk's context (ancestors, for element paths).
pub(crate) struct Findings<'t> {
    list: Capped,
    /// The elements enclosing the one being visited, outermost first.
    ancestors: Vec<Element<'t>>,
    /// Where the input ended with elements still open (`E-UNEXPECTED-EOF`), and the words
    /// that say a finding follows from it.
    eof: Option<(u32, String)>,
    /// While an element taken from the stream is checked: its findings are logged, to be
    /// counted in their place of the whole walk (see [`stream`]).
    log: Option<stream::Log>,
    /// Set when a finding cannot be made as the walk of the whole tree would make it (it
    /// points at an element taken from the stream): the file is then checked again whole.
    pub(crate) inexact: bool,
}

impl<'t> Findings<'t> {
    /// Findings kept up to `cap` per rule.
    fn new(cap: u32, eof: Option<(u32, String)>) -> Self {
        Findings { list: Capped::new(cap), ancestors: Vec::new(), eof, log: None, inexact: false }
    }

    /// Records a finding that `el` lacks a child (`missing`); when `el` was cut off by the
    /// end of the input and `after_last` (the child would come after those present), the
    /// message says it follows from that end: the root cause is `E-UNEXPECTED-EOF`.
    pub(crate) fn push_missing(
        &mut self,
        rule: &'static str,
        span: Span,
        el: Element<'t>,
        mut message: String,
        after_last: bool,
    ) {
        if self.log.is_some() {
            // The end of the input is not known yet: the note is added when replayed.
            let ends_at = (after_last && !el.has_end_tag()).then(|| el.span().end);
            self.log_event(rule, span, el, message, ends_at);
            return;
        }
        if let Some((eof, note)) = &self.eof
            && after_last
            && !el.has_end_tag()
            && el.span().end >= *eof
        {
            message.push_str(note);
        }
        self.push(rule, span, el, message);
    }

    /// Records a finding of `rule` about `el` (its path is computed here, from the walk's
    /// ancestors, only when there is something to report).
    pub(crate) fn push(
        &mut self,
        rule: &'static str,
        span: Span,
        el: Element<'t>,
        message: String,
    ) {
        if self.log.is_some() {
            self.log_event(rule, span, el, message, None);
            return;
        }
        let r = rules::rule(rule);
        // A finding about a secret element never quotes its value.
        let message = crate::diagnostic::unquote_secret(el, message);
        let severity = r.map_or(Severity::Error, |r| r.severity);
        let ancestors = &self.ancestors;
        if !self.list.admit(rule, span, severity, || Some(path_of("", ancestors, el))) {
            return;
        }
        let mut d = Diagnostic::new(rule, severity, span, message);
        d.path = Some(self.path_of(el));
        if let Some(help) = r.and_then(|r| r.help) {
            d.help = Some(help.to_owned());
        }
        self.list.keep(d);
    }

    /// Logs a finding about an element taken from the stream.
    #[cold]
    fn log_event(
        &mut self,
        rule: &'static str,
        span: Span,
        el: Element<'t>,
        message: String,
        ends_at: Option<u32>,
    ) {
        let message = crate::diagnostic::unquote_secret(el, message);
        let Some(log) = self.log.as_mut() else { return };
        let path = path_of(&log.prefix, &self.ancestors, el);
        log.record(stream::Event { rule, span, path, message, ends_at });
    }

    /// Counts a finding logged while its element was taken from the stream, as
    /// [`push`](Self::push) or [`push_missing`](Self::push_missing) would have then.
    fn replay(&mut self, e: stream::Event) {
        let stream::Event { rule, span, path, mut message, ends_at } = e;
        if let (Some(end), Some((eof, note))) = (ends_at, &self.eof)
            && end >= *eof
        {
            message.push_str(note);
        }
        self.push_at(rule, span, path, message);
    }

    /// Records a finding at a path worked out earlier (for findings made after the walk has
    /// left the element).
    pub(crate) fn push_at(
        &mut self,
        rule: &'static str,
        span: Span,
        path: String,
        message: String,
    ) {
        let r = rules::rule(rule);
        let severity = r.map_or(Severity::Error, |r| r.severity);
        let mut d = Diagnostic::new(rule, severity, span, message);
        d.path = Some(path);
        if let Some(help) = r.and_then(|r| r.help) {
            d.help = Some(help.to_owned());
        }
        self.list.push(d);
    }

    /// The path of `el`, which is the element being visited, one of its ancestors, or one
    /// of its children: O(depth), never a search of the tree.
    pub(crate) fn path_of(&self, el: Element<'t>) -> String {
        let prefix = self.log.as_ref().map_or("", |l| l.prefix.as_str());
        path_of(prefix, &self.ancestors, el)
    }
}

/// An empty vector with the allocation of `v` (its items dropped): a buffer of borrowed
/// items reused from one borrow to the next (the walks of the small trees of elements taken
/// from the stream) without allocating again.
pub(crate) fn recycle<T, U>(v: Vec<T>) -> Vec<U> {
    // Collected in place: the same allocation when `T` and `U` have the same layout.
    v.into_iter().filter_map(|_| None).collect()
}

/// Longest start tag looked through for its `>` (attributes are dropped by the reader, but
/// are still in the source): past it, the span ends after the name.
const MAX_START_TAG: usize = 1024;

/// The span of `el`'s start tag, `<` to `>` (to the end of its name when the `>` is not near):
/// where a finding about the element's content points.
pub(crate) fn start_tag(el: Element<'_>) -> Span {
    let name = el.name_span();
    let source = el.tree().source();
    let window = source.get(name.end as usize..).unwrap_or_default();
    let window = window.get(..MAX_START_TAG).unwrap_or(window);
    let end = match memchr::memchr(b'>', window) {
        Some(i) => name.end.saturating_add(u32::try_from(i + 1).unwrap_or(0)),
        None => name.end,
    };
    // The element's span starts at its `<`.
    let start = el.span().start.min(name.start);
    Span::new(start, end.max(start))
}

/// The path of `el`, the element being visited (the last of `ancestors`), one of its
/// ancestors, or one of its children; `prefix` is the path of the elements around the walk's
/// root (empty for a whole tree).
fn path_of(prefix: &str, ancestors: &[Element<'_>], el: Element<'_>) -> String {
    let mut path = String::from(prefix);
    for a in ancestors {
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str(a.name());
        if a.id() == el.id() {
            return path;
        }
    }
    if !path.is_empty() {
        path.push('/');
    }
    path.push_str(el.name());
    path
}

/// What the passes need to know about an element name, worked out once per distinct name:
/// element names are interned by the tree, so the name's address identifies it.
#[derive(Clone, Copy)]
pub(crate) struct Info {
    /// The profile's definition.
    pub(crate) def: Option<&'static ElementDef>,
    /// The kind of value, for leaves.
    pub(crate) kind: values::Kind,
    /// The semantic role.
    pub(crate) tag: semantic::Tag,
}

/// The per-name cache, by the tree's name index ([`Element::name_index`]): one slot per
/// distinct tag name of the tree, filled the first time the name is seen.
pub(crate) struct Defs {
    setting: Setting,
    by_index: Vec<Option<Info>>,
}

impl Defs {
    fn new(setting: Setting) -> Self {
        Defs { setting, by_index: Vec::new() }
    }

    /// What is known about the name of `el`.
    #[inline]
    pub(crate) fn info(&mut self, el: Element<'_>) -> Info {
        self.info_at(el, el.name_index())
    }

    /// [`info`](Self::info) of `el`, whose name index is `index`.
    #[inline]
    pub(crate) fn info_at(&mut self, el: Element<'_>, index: usize) -> Info {
        if let Some(Some(info)) = self.by_index.get(index) {
            return *info;
        }
        self.lookup(el.name(), index)
    }

    /// What is known about the name `name`, whose index is `index`.
    #[inline]
    pub(crate) fn info_of(&mut self, name: &str, index: usize) -> Info {
        if let Some(Some(info)) = self.by_index.get(index) {
            return *info;
        }
        self.lookup(name, index)
    }

    #[cold]
    fn lookup(&mut self, name: &str, index: usize) -> Info {
        let setting = self.setting;
        let def = setting.schema.element(name);
        let info = Info {
            def,
            kind: def.map_or(values::Kind::Other, |d| values::kind(setting.family, name, d)),
            tag: semantic::Tag::of(setting.family, name),
        };
        if self.by_index.len() <= index {
            self.by_index.resize(index + 1, None);
        }
        if let Some(slot) = self.by_index.get_mut(index) {
            *slot = Some(info);
        }
        info
    }

    /// The profile's definition of the name of `el`.
    pub(crate) fn get(&mut self, el: Element<'_>) -> Option<&'static ElementDef> {
        self.info(el).def
    }
}

/// What a pass sees of a resolved profile.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Setting {
    pub(crate) schema: Profile,
    pub(crate) family: Family,
    pub(crate) qfx: bool,
}

/// The passes of one walk.
struct Passes<'t> {
    defs: Defs,
    structure: structure::Structure<'t>,
    values: values::Values,
    semantic: semantic::Semantic<'t>,
}

impl<'t> Passes<'t> {
    /// Enters `el` (already the last of the walk's ancestors); true for a leaf, which has
    /// no children and nothing to do when the walk leaves it.
    #[inline]
    fn enter(&mut self, el: Element<'t>, out: &mut Findings<'t>) -> bool {
        let name = el.name();
        let index = el.name_index();
        let info = self.defs.info_at(el, index);
        let leaf = el.is_leaf();
        self.structure.enter(el, name, index, leaf, info.def, &mut self.defs, out);
        // The text is read once (decoding may cost) and only for leaves a pass looks at.
        let wanted = !matches!(info.kind, values::Kind::Other) || info.tag.needs_text();
        let text = if leaf && wanted { el.text().unwrap_or_default() } else { "" };
        if leaf && wanted {
            self.values.leaf(el, text, info.kind, info.def, out);
        }
        self.semantic.enter(el, text, name, leaf, info.tag, out);
        leaf
    }

    /// Leaves the aggregate `el` after its subtree.
    fn leave(&mut self, el: Element<'t>, out: &mut Findings<'t>) {
        self.structure.leave(el, out);
        self.semantic.leave(el, out);
    }
}

/// Validates a parsed file: the reader's own findings (`E-…`/`W-…`) and the validator's,
/// tuned by `options`, sorted by position.
///
/// [`validate_bytes`] reads and validates a file in one pass, with the same findings.
pub fn validate(doc: &Document<'_>, options: &ValidateOptions) -> Report {
    let syntax = doc.syntax();
    let (profile, qfx) = options.profile.resolve(syntax);
    let setting = Setting { schema: profile.schema(), family: profile.family(), qfx };
    let (list, _) = check_tree(syntax, setting, options.max_findings_per_rule, None);
    report(syntax, list, options, profile, qfx)
}

/// The element-level findings of `syntax`'s tree: one walk with every pass, the findings
/// of the elements taken from the stream (`taken`) counted in their places. Also whether
/// they are exact (see [`Findings::inexact`]).
fn check_tree(
    syntax: &ofxkit_syntax::Document<'_>,
    setting: Setting,
    cap: u32,
    taken: Option<stream::Taken>,
) -> (Vec<Diagnostic>, bool) {
    let tree = syntax.tree();
    // A file cut short: the findings of missing elements it caused say so.
    let eof = syntax.diagnostics().iter().find(|d| d.code == Code::UnexpectedEof).map(|d| {
        let at = syntax.line_col(d.span.start);
        (d.span.start, format!(" (follows from the end of the input at {at})"))
    });
    let mut findings = Findings::new(cap, eof);
    let mut passes = Passes {
        defs: Defs::new(setting),
        structure: structure::Structure::new(setting),
        values: values::Values::new(setting),
        semantic: semantic::Semantic::new(setting),
    };
    let mut replay = match taken {
        Some(mut taken) => {
            passes.semantic.handed = std::mem::take(&mut taken.statements);
            stream::Replay::new(tree, taken)
        }
        None => stream::Replay::none(),
    };
    let mut stack = Vec::new();
    walk(tree.root(), &mut passes, &mut findings, &mut replay, &mut stack);
    // Every run replayed in its place, every statement's FITIDs handed over: otherwise the
    // findings are not those of the whole walk.
    let exact = !findings.inexact && replay.finished() && passes.semantic.handed.is_empty();
    let mut list = findings.list;
    replay.extra_left_out(&mut list);
    (list.finish(), exact)
}

/// One walk: enter every element under `root` (with its ancestors on the stack), leave it
/// after its subtree. Iterative, so a deep file cannot overflow the stack. The elements
/// taken from the stream are replayed where they were, before the first element after them.
fn walk<'t>(
    root: Element<'t>,
    passes: &mut Passes<'t>,
    findings: &mut Findings<'t>,
    replay: &mut stream::Replay<'t>,
    stack: &mut Vec<(Element<'t>, ofxkit_syntax::Children<'t>)>,
) {
    stack.clear();
    findings.ancestors.push(root);
    passes.semantic.stop_at = replay.at;
    if passes.enter(root, findings) {
        findings.ancestors.pop();
    } else {
        stack.push((root, root.children()));
    }
    while let Some((element, children)) = stack.last_mut() {
        let element = *element;
        match children.next() {
            Some(child) => {
                if replay.at != u32::MAX {
                    replay.upto(child.span().start, passes, findings);
                    passes.semantic.stop_at = replay.at;
                }
                findings.ancestors.push(child);
                if passes.enter(child, findings) {
                    // A leaf: no children, nothing to do on leaving it.
                    findings.ancestors.pop();
                } else {
                    stack.push((child, child.children()));
                }
            }
            None => {
                if replay.at != u32::MAX {
                    replay.upto(element.span().end, passes, findings);
                    // Its last run may be replayed here: a list opened later must read its
                    // dates up to the next run (or all of them), not up to this one.
                    passes.semantic.stop_at = replay.at;
                }
                passes.leave(element, findings);
                stack.pop();
                findings.ancestors.pop();
            }
        }
    }
}

/// The report of a file: the reader's findings (capped when the file was read) and the
/// validator's, one summary per capped code, tuned by `options` and sorted by position.
fn report(
    syntax: &ofxkit_syntax::Document<'_>,
    validator: Vec<Diagnostic>,
    options: &ValidateOptions,
    profile: ValidationProfile,
    qfx: bool,
) -> Report {
    let mut capped = Capped::new(options.max_findings_per_rule);
    capped.extend(syntax_findings(syntax));
    capped.extend(validator);
    let mut all = capped.finish();
    if !options.allow.is_empty() {
        all.retain(|d| !matches_any(&options.allow, d.code));
    }
    for d in &mut all {
        if options.strict || (!options.deny.is_empty() && matches_any(&options.deny, d.code)) {
            d.severity = Severity::Error;
        }
    }
    all.sort_by_key(|d| (d.span.start, d.span.end));
    // The root cause first: an input cut short explains the missing elements before it.
    if let Some(i) = all.iter().position(|d| d.code == Code::UnexpectedEof.as_str()) {
        let eof = all.remove(i);
        all.insert(0, eof);
    }
    Report { profile, qfx, findings: all }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_exactly_or_by_prefix() {
        let set: BTreeSet<String> = ["OFX-SEM-*".to_owned(), "W-BARE-AMPERSAND".to_owned()].into();
        assert!(matches_any(&set, "OFX-SEM-001"));
        assert!(matches_any(&set, "W-BARE-AMPERSAND"));
        assert!(!matches_any(&set, "OFX-STR-001"));
        assert!(!matches_any(&set, "W-BARE"));
    }

    /// The last guard: a finding about a secret element that quotes its value (whole or
    /// cut) says `***` instead; other findings keep their quotes.
    #[test]
    fn a_finding_about_a_secret_never_quotes_its_value() {
        let long = "S3CR3T".repeat(20);
        let file = format!("<OFX><SONRQ><USERPASS>{long}<userkey>S3CR3T-K<USERID>jo</SONRQ></OFX>");
        let doc = crate::parse(file.as_bytes()).expect("parses");
        let mut findings = Findings::new(0, None);
        for el in doc.syntax().tree().elements().filter(|e| e.is_leaf()) {
            let text = el.text().unwrap_or_default();
            let message = format!("<{}> is \"{}\"", el.name(), ofxkit_syntax::shown(text));
            findings.push("OFX-STR-006", el.span(), el, message);
        }
        let list = findings.list.finish();
        let messages: Vec<&str> = list.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            ["<USERPASS> is \"***\"", "<USERKEY> is \"***\"", "<USERID> is \"jo\""]
        );
    }

    #[test]
    fn profiles_round_trip_by_name() {
        for p in ValidationProfile::ALL {
            assert_eq!(ValidationProfile::from_name(p.name()), Some(p));
        }
    }
}
