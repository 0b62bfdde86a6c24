//! Tree → model: lenient (recovers what it can, reports the rest with positions) and
//! lossless (what it does not name is kept as an [`Extension`]).

mod accounts;
mod billpay;
mod invest;
mod messages;
mod statement;
mod values;

use std::borrow::Cow;

use ofxkit_syntax::{Element, Format, Severity, Span, Tree};

use crate::amount::Dialect;
use crate::capped::Capped;
use crate::diagnostic::{Diagnostic, syntax_findings};
use crate::model::{Extension, Model};

pub(crate) use statement::{read_transaction, transaction_elements};

/// Reading state: the dialect and the findings so far.
pub(crate) struct Ctx<'t> {
    pub(crate) dialect: Dialect,
    /// The findings so far, capped per code.
    findings: Capped,
    /// The path above the tree's root, when reading an element handed over on its own
    /// (streaming): findings and extensions name their full path.
    pub(crate) path_prefix: Option<String>,
    _tree: std::marker::PhantomData<&'t Tree<'t>>,
}

impl<'t> Ctx<'t> {
    pub(crate) fn new(tree: &'t Tree<'t>, format: Format) -> Self {
        let dialect = if format == Format::Ofc { Dialect::Ofc } else { Dialect::Ofx };
        let _ = tree;
        let cap = ofxkit_syntax::Limits::default().max_findings_per_code;
        Ctx {
            dialect,
            findings: Capped::new(cap),
            path_prefix: None,
            _tree: std::marker::PhantomData,
        }
    }

    /// Keeps at most `cap` findings per code (0: all), instead of the default.
    pub(crate) fn with_cap(mut self, cap: u32) -> Self {
        self.findings = Capped::new(cap);
        self
    }

    /// The findings so far (those left out by the cap summarised), leaving none.
    pub(crate) fn take_findings(&mut self) -> Vec<Diagnostic> {
        self.findings.take()
    }

    /// Records a finding about `el`.
    pub(crate) fn report(
        &mut self,
        code: &'static str,
        severity: Severity,
        el: Element<'t>,
        message: String,
    ) {
        self.report_span(code, severity, el.span(), Some(el), message);
    }

    pub(crate) fn report_span(
        &mut self,
        code: &'static str,
        severity: Severity,
        span: Span,
        el: Option<Element<'t>>,
        message: String,
    ) {
        let prefix = &self.path_prefix;
        if !self.findings.admit(code, span, severity, || el.map(|e| path_of(prefix, e))) {
            return;
        }
        let mut d = Diagnostic::new(code, severity, span, message);
        if let Some(el) = el {
            d = d.at_path(self.path_of(el));
        }
        self.findings.keep(d);
    }

    /// The text of a leaf; `None` (with a finding) for an aggregate where a value belongs,
    /// and `None` for an empty value (the syntax layer reports those).
    pub(crate) fn text(&mut self, el: Element<'t>) -> Option<&'t str> {
        match el.text() {
            Some("") => None,
            Some(t) => Some(t),
            None => {
                self.report(
                    "E-EXPECTED-VALUE",
                    Severity::Error,
                    el,
                    format!("<{}> should hold a value but holds elements", el.name()),
                );
                None
            }
        }
    }

    /// An aggregate written as a leaf with text (`<PAYEE>CITY POWER`): the text is kept as
    /// an extension of what was read, with a warning.
    pub(crate) fn text_for_aggregate(
        &mut self,
        el: Element<'t>,
        extensions: &mut Vec<crate::model::Extension<'t>>,
    ) {
        if !el.is_leaf() || el.text().is_none_or(str::is_empty) {
            return;
        }
        self.report(
            "W-TEXT-FOR-AGGREGATE",
            ofxkit_syntax::Severity::Warning,
            el,
            format!("<{}> holds text instead of its elements: kept as an extension", el.name()),
        );
        extensions.push(self.extension(el));
    }

    /// The path of `el` from the document's root.
    fn path_of(&self, el: Element<'t>) -> String {
        path_of(&self.path_prefix, el)
    }

    /// Keeps an element the model does not name, with everything under it.
    pub(crate) fn extension(&self, el: Element<'t>) -> Extension<'t> {
        extension(el, self.path_of(el))
    }

    /// Sets `slot` from `value` unless already set: a repeated element is reported and kept
    /// as an extension (the first one wins).
    pub(crate) fn once<T>(
        &mut self,
        slot: &mut Option<T>,
        el: Element<'t>,
        extensions: &mut Vec<Extension<'t>>,
        value: impl FnOnce(&mut Self, Element<'t>) -> Option<T>,
    ) {
        if slot.is_some() {
            self.report(
                "W-DUPLICATE-ELEMENT",
                Severity::Warning,
                el,
                format!(
                    "<{}> appears again; the first one is used, this one kept as an extension",
                    el.name()
                ),
            );
            extensions.push(self.extension(el));
            return;
        }
        *slot = value(self, el);
    }
}

/// The path of `el` under `prefix` (the path above the tree's root, when streaming).
fn path_of(prefix: &Option<String>, el: Element<'_>) -> String {
    match prefix {
        Some(prefix) => format!("{prefix}/{}", el.path()),
        None => el.path(),
    }
}

fn extension<'t>(el: Element<'t>, path: String) -> Extension<'t> {
    // Bounded by the parser's depth limit, so recursion here is bounded too.
    let children = el
        .children()
        .map(|c| {
            let p = format!("{path}/{}", c.name());
            extension(c, p)
        })
        .collect();
    Extension { name: el.name(), path, text: el.text(), children, span: el.span() }
}

/// Joins several texts (OFC allows several MEMO) with line breaks.
pub(crate) fn push_joined<'t>(slot: &mut Option<Cow<'t, str>>, text: &'t str) {
    match slot {
        None => *slot = Some(Cow::Borrowed(text)),
        Some(existing) => {
            let mut s = existing.to_string();
            s.push('\n');
            s.push_str(text);
            *slot = Some(Cow::Owned(s));
        }
    }
}

/// Reads a whole document.
///
/// Findings are capped at `cap` per code (0: all kept), the syntax layer's included.
pub(crate) fn read_model<'t>(
    doc: &'t ofxkit_syntax::Document<'_>,
    with_transactions: bool,
    cap: u32,
) -> Model<'t> {
    let tree: &'t Tree<'t> = doc.tree();
    let mut ctx = Ctx::new(tree, doc.format()).with_cap(cap);
    let mut model = Model {
        format: doc.format().label(),
        version: doc.version(),
        qfx: doc.is_qfx(),
        encoding: doc.encoding().name(),
        signon: None,
        statements: Vec::new(),
        account_lists: Vec::new(),
        securities: Vec::new(),
        payees: Vec::new(),
        payments: Vec::new(),
        recurring: Vec::new(),
        sync: Vec::new(),
        responses: Vec::new(),
        extensions: Vec::new(),
        diagnostics: Vec::new(),
    };
    messages::read_root(tree.root(), &mut ctx, &mut model, with_transactions);
    let mut all = Capped::new(cap);
    all.extend(syntax_findings(doc));
    all.extend(ctx.take_findings());
    model.diagnostics = all.finish();
    model
}
