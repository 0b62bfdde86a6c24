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
use crate::diagnostic::Diagnostic;
use crate::model::{Extension, Model};
use crate::problems::ProblemIndex;

pub(crate) use statement::{read_transaction, transaction_elements};

/// Reading state: the dialect and the findings so far.
pub(crate) struct Ctx<'t> {
    pub(crate) dialect: Dialect,
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// The path above the tree's root, when reading an element handed over on its own
    /// (streaming): findings and extensions name their full path.
    pub(crate) path_prefix: Option<String>,
    _tree: std::marker::PhantomData<&'t Tree<'t>>,
}

impl<'t> Ctx<'t> {
    pub(crate) fn new(tree: &'t Tree<'t>, format: Format) -> Self {
        let dialect = if format == Format::Ofc { Dialect::Ofc } else { Dialect::Ofx };
        let _ = tree;
        Ctx { dialect, diagnostics: Vec::new(), path_prefix: None, _tree: std::marker::PhantomData }
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
        let mut d = Diagnostic::new(code, severity, span, message);
        if let Some(el) = el {
            d = d.at_path(self.path_of(el));
        }
        self.diagnostics.push(d);
    }

    /// The text of a leaf; `None` (with a finding) for an aggregate where a value belongs,
    /// and for a value the file did not finish (cut by the end of the input, or closed by
    /// recovery: `E-UNFINISHED-VALUE`); `None` for an empty value (the syntax layer reports
    /// those).
    pub(crate) fn text(&mut self, el: Element<'t>) -> Option<&'t str> {
        match el.text() {
            Some("") => None,
            Some(t) if el.closed_by_recovery() => {
                let why = if el.cut_by_end_of_input() {
                    "ran into the end of the input"
                } else {
                    "was closed by recovery, not by the file"
                };
                self.report(
                    "E-UNFINISHED-VALUE",
                    Severity::Error,
                    el,
                    format!(
                        "<{}> \"{}\" {why}: it may not be the whole value, so it is left out",
                        el.name(),
                        ofxkit_syntax::shown(t)
                    ),
                );
                None
            }
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
        match &self.path_prefix {
            Some(prefix) => format!("{prefix}/{}", el.path()),
            None => el.path(),
        }
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

impl<'t> Ctx<'t> {
    /// OFC allows several MEMOs in an aggregate, joined into one value: in an aggregate the
    /// input ended in, more could have followed, so a joined value is not known to be whole
    /// and is left out (`E-UNFINISHED-VALUE`).
    pub(crate) fn check_joined(&mut self, el: Element<'t>, slot: &mut Option<Cow<'t, str>>) {
        if self.dialect != Dialect::Ofc || !el.cut_by_end_of_input() {
            return;
        }
        if let Some(memo) = slot.take() {
            self.report(
                "E-UNFINISHED-VALUE",
                Severity::Error,
                el,
                format!(
                    "the MEMO of <{}> (\"{}\") ran into the end of the input, and OFC lets \
                     more MEMOs follow: it may not be the whole value, so it is left out",
                    el.name(),
                    ofxkit_syntax::shown(&memo)
                ),
            );
        }
    }
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
pub(crate) fn read_model<'t>(
    doc: &'t ofxkit_syntax::Document<'_>,
    with_transactions: bool,
) -> Model<'t> {
    let tree: &'t Tree<'t> = doc.tree();
    let mut ctx = Ctx::new(tree, doc.format());
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
    let mut diagnostics: Vec<Diagnostic> = doc.diagnostics().iter().map(Diagnostic::from).collect();
    diagnostics.append(&mut ctx.diagnostics);
    model.diagnostics = diagnostics;
    let index = ProblemIndex::new(&model.diagnostics, tree);
    if !index.is_empty() {
        for s in &mut model.statements {
            for t in &mut s.transactions {
                index.within(t.span, &mut t.problems);
            }
            for t in &mut s.investment_transactions {
                index.within(t.span, &mut t.problems);
            }
        }
    }
    model
}
