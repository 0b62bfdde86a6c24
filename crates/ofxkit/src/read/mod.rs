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
use crate::model::{Extension, Model, ModelOptions, Secret};
use crate::problems::ProblemIndex;

pub(crate) use accounts::PayeeField;
pub(crate) use statement::{read_transaction, transaction_elements};

/// Reading state: the dialect and the findings so far.
pub(crate) struct Ctx<'t> {
    pub(crate) dialect: Dialect,
    /// The findings so far, capped per code.
    findings: Capped,
    /// Every error reported, by position and code, whatever the cap kept: rows are marked
    /// from these (see [`ProblemIndex`]).
    pub(crate) errors: Vec<(u32, &'static str)>,
    /// The path above the tree's root, when reading an element handed over on its own
    /// (streaming): findings and extensions name their full path.
    pub(crate) path_prefix: Option<String>,
    /// How secret values are read (see [`ModelOptions`]).
    pub(crate) options: ModelOptions,
    /// Keep the elements the model does not name (off when the model is read only for the
    /// converter's rows: an unknown element per line of a file would cost 130 bytes each).
    pub(crate) keep_extensions: bool,
    /// Keep only the statements that make transaction rows (the converter's rows, read
    /// without the transactions: a million empty statements would hold 1.2 KB each); each
    /// kept one knows its number among all of them.
    pub(crate) rows_only: bool,
    /// Statements read so far (kept or not).
    statements_read: usize,
    /// Read for the whole document written as it is read (`--to json`): each transaction is
    /// read (for its findings and errors) and then dropped, its element kept in
    /// [`Statement::transaction_nodes`] to be read again as it is written.
    ///
    /// [`Statement::transaction_nodes`]: crate::model::Statement
    transactions_as_nodes: bool,
    /// Read for statement rows only: each statement is handed here as soon as it is read,
    /// with every error reported so far, instead of being kept, and its transactions are
    /// counted and summed as they are read instead of being kept ([`Statement::folded`]):
    /// memory stays near the tree's, however many statements and transactions the file
    /// holds.
    ///
    /// [`Statement::folded`]: crate::model::Statement
    statement_sink: Option<StatementSink<'t>>,
    _tree: std::marker::PhantomData<&'t Tree<'t>>,
}

/// Where statements read for statement rows go ([`read_statements_into`]).
pub(crate) type StatementSink<'t> =
    &'t mut dyn FnMut(crate::model::Statement<'t>, &[(u32, &'static str)]);

impl<'t> Ctx<'t> {
    pub(crate) fn new(tree: &'t Tree<'t>, format: Format) -> Self {
        let dialect = if format == Format::Ofc { Dialect::Ofc } else { Dialect::Ofx };
        let _ = tree;
        let cap = ofxkit_syntax::Limits::default().max_findings_per_code;
        Ctx {
            dialect,
            findings: Capped::new(cap),
            errors: Vec::new(),
            path_prefix: None,
            options: ModelOptions::default(),
            keep_extensions: true,
            rows_only: false,
            statements_read: 0,
            transactions_as_nodes: false,
            statement_sink: None,
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
        // A finding about a secret element never quotes its value.
        let message = match el {
            Some(el) => crate::diagnostic::unquote_secret(el, message),
            None => message,
        };
        if severity == Severity::Error {
            self.errors.push((span.start, code));
        }
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

    /// The value of a secret leaf ([`Ctx::text`], kept as a [`Secret`]).
    pub(crate) fn secret(&mut self, el: Element<'t>) -> Option<Secret<'t>> {
        self.text(el).map(|t| Secret::read(t, &self.options))
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
        self.keep_extension(extensions, el);
    }

    /// Adds a statement just read to `statements`, numbered among all the file's statements;
    /// under [`rows_only`](Self::rows_only), only one that makes transaction rows.
    pub(crate) fn push_statement(
        &mut self,
        statements: &mut Vec<crate::model::Statement<'t>>,
        mut s: crate::model::Statement<'t>,
    ) {
        self.statements_read += 1;
        s.ordinal = self.statements_read;
        if let Some(sink) = &mut self.statement_sink {
            sink(s, &self.errors);
            return;
        }
        let rows = !s.transaction_nodes.is_empty() || !s.investment_transactions.is_empty();
        if !self.rows_only || rows {
            statements.push(s);
        }
    }

    /// Keeps a transaction just read (from `el`, with the `SUBACCTFUND` of an `INVBANKTRAN`)
    /// in its statement; when reading for statement rows only
    /// ([`statement_sink`](Self::statement_sink)), counts it and adds its amount instead;
    /// when reading for the whole document written as it is read
    /// ([`transactions_as_nodes`](Self::transactions_as_nodes)), keeps its element instead.
    pub(crate) fn keep_transaction(
        &mut self,
        s: &mut crate::model::Statement<'t>,
        t: crate::model::Transaction<'t>,
        el: Element<'t>,
        fund: Option<Element<'t>>,
    ) {
        if self.transactions_as_nodes {
            s.transaction_nodes.push((el.id(), fund.map(|f| f.id())));
        } else if self.statement_sink.is_some() {
            s.folded.0 += 1;
            if let Some(a) = &t.amount {
                s.folded.1 += a.value;
            }
        } else {
            s.transactions.push(t);
        }
    }

    /// The path of `el` from the document's root.
    fn path_of(&self, el: Element<'t>) -> String {
        path_of(&self.path_prefix, el)
    }

    /// Keeps an element the model does not name, with everything under it, in
    /// `extensions` (unless the model is read for rows, which show no extension).
    pub(crate) fn keep_extension(&self, extensions: &mut Vec<Extension<'t>>, el: Element<'t>) {
        if self.keep_extensions {
            extensions.push(self.extension(el));
        }
    }

    /// An element the model does not name, with everything under it.
    pub(crate) fn extension(&self, el: Element<'t>) -> Extension<'t> {
        extension(el, self.path_of(el), &self.options)
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
            self.keep_extension(extensions, el);
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

fn extension<'t>(el: Element<'t>, path: String, options: &ModelOptions) -> Extension<'t> {
    // Bounded by the parser's depth limit, so recursion here is bounded too.
    let children = el
        .children()
        .map(|c| {
            let p = format!("{path}/{}", c.name());
            extension(c, p, options)
        })
        .collect();
    let mut text = el.text();
    let mut secret = None;
    if let Some(value) = text.filter(|t| !t.is_empty() && ofxkit_syntax::is_secret(el.name())) {
        let s = Secret::read(value, options);
        text = Some(s.as_written());
        secret = Some(s);
    }
    Extension { name: el.name(), path, text, children, span: el.span(), secret }
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

/// Reads a whole document (secrets redacted: see [`read_model_with`]).
///
/// Findings are capped at `cap` per code (0: all kept), the syntax layer's included.
pub(crate) fn read_model<'t>(
    doc: &'t ofxkit_syntax::Document<'_>,
    with_transactions: bool,
    cap: u32,
) -> Model<'t> {
    read_model_with(doc, with_transactions, &ModelOptions::default(), cap)
}

/// Reads a document for the converter's transaction rows: without the transactions (the
/// converter reads each as it writes it), and only the statements that make rows (each
/// knowing its number among all of them).
pub(crate) fn read_model_for_rows<'t>(doc: &'t ofxkit_syntax::Document<'_>, cap: u32) -> Model<'t> {
    read_model_inner(doc, false, &ModelOptions::default(), cap, true, None, false)
}

/// Reads a whole document with `options`.
pub(crate) fn read_model_with<'t>(
    doc: &'t ofxkit_syntax::Document<'_>,
    with_transactions: bool,
    options: &ModelOptions,
    cap: u32,
) -> Model<'t> {
    read_model_inner(doc, with_transactions, options, cap, false, None, false)
}

/// Reads a whole document as [`read_model_with`] does (transactions included), but hands
/// each statement to `sink` as soon as it is read, with every error reported so far,
/// instead of keeping it, its transactions counted and summed instead of kept (see
/// [`Ctx::keep_transaction`]): the model returned holds no statement. Its findings are
/// those of [`read_model_with`].
pub(crate) fn read_statements_into<'t>(
    doc: &'t ofxkit_syntax::Document<'_>,
    options: &ModelOptions,
    cap: u32,
    sink: StatementSink<'t>,
) -> Model<'t> {
    read_model_inner(doc, true, options, cap, false, Some(sink), false)
}

/// Reads a whole document as [`read_model_with`] does (transactions included, with the
/// same findings and errors), but keeps each statement's transactions as elements
/// ([`Statement::transaction_nodes`](crate::model::Statement)) instead of values: the
/// whole-document JSON reads each again as it writes it ([`read_transaction_again`]), so
/// the file's transactions are never held all at once.
pub(crate) fn read_model_as_nodes<'t>(
    doc: &'t ofxkit_syntax::Document<'_>,
    options: &ModelOptions,
    cap: u32,
) -> Model<'t> {
    read_model_inner(doc, true, options, cap, false, None, true)
}

/// Reads a transaction of a model read by [`read_model_as_nodes`] again: the value
/// [`read_model_with`] would have kept, its `problems` those of `errors` (the model's),
/// its findings (already counted) dropped.
pub(crate) fn read_transaction_again<'t>(
    tree: &'t Tree<'t>,
    format: Format,
    options: &ModelOptions,
    el: Element<'t>,
    fund: Option<Element<'t>>,
    errors: &ProblemIndex,
) -> crate::model::Transaction<'t> {
    let mut ctx = Ctx::new(tree, format).with_cap(1);
    ctx.options = *options;
    let mut t = read_transaction(el, &mut ctx);
    if let Some(fund) = fund {
        t.sub_account_fund = ctx.text(fund);
    }
    errors.within(t.span, &mut t.problems);
    t
}

/// The errors the syntax layer found, by position and code (those its cap left out too).
pub(crate) fn syntax_errors(doc: &ofxkit_syntax::Document<'_>) -> Vec<(u32, &'static str)> {
    let syntax_errors = doc.diagnostics().iter().filter(|d| d.severity == Severity::Error);
    let mut errors: Vec<(u32, &'static str)> =
        syntax_errors.map(|d| (d.span.start, d.code)).collect();
    errors.extend_from_slice(doc.left_out_errors());
    errors
}

fn read_model_inner<'t>(
    doc: &'t ofxkit_syntax::Document<'_>,
    with_transactions: bool,
    options: &ModelOptions,
    cap: u32,
    rows_only: bool,
    sink: Option<StatementSink<'t>>,
    as_nodes: bool,
) -> Model<'t> {
    let tree: &'t Tree<'t> = doc.tree();
    let mut ctx = Ctx::new(tree, doc.format()).with_cap(cap);
    ctx.statement_sink = sink;
    ctx.options = *options;
    // Read for the converter's rows (transactions left for it): no row shows an extension.
    ctx.keep_extensions = with_transactions;
    ctx.rows_only = rows_only;
    ctx.transactions_as_nodes = as_nodes;
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
        errors: ProblemIndex::default(),
    };
    messages::read_root(tree.root(), &mut ctx, &mut model, with_transactions);
    let mut all = Capped::new(cap);
    all.extend(syntax_findings(doc));
    all.extend(ctx.take_findings());
    model.diagnostics = all.finish();
    // Rows are marked from every error, whatever the cap kept.
    let mut errors = syntax_errors(doc);
    errors.append(&mut ctx.errors);
    let index = ProblemIndex::new(errors, tree);
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
    model.errors = index;
    model
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reading into the model: secret values are kept as secrets (shown only when asked),
    /// and a finding about a secret element does not quote its value.
    #[test]
    fn secrets_are_kept_hidden_and_never_quoted() {
        let file = b"<OFX><SIGNONMSGSRQV1><SONRQ><USERPASS>S3CR3T-P<USERID>jo</SONRQ>\
            <PINCHTRNRQ><TRNUID>1<TAN>S3CR3T-T<PINCHRQ><USERID>jo<NEWUSERPASS>S3CR3T-N</PINCHRQ>\
            </PINCHTRNRQ></SIGNONMSGSRQV1></OFX>";
        let doc =
            ofxkit_syntax::parse_with(file, &crate::with_dtd(&Default::default())).expect("parses");
        for show_secrets in [false, true] {
            let model = read_model_with(&doc, true, &ModelOptions { show_secrets }, 0);
            let mut leaves = Vec::new();
            let mut stack: Vec<&Extension<'_>> = model.extensions.iter().collect();
            stack.extend(model.responses.iter().flat_map(|r| &r.extensions));
            while let Some(e) = stack.pop() {
                stack.extend(&e.children);
                if let Some(s) = e.secret {
                    leaves.push((e.name, e.text, s.expose()));
                }
            }
            leaves.sort();
            let shown = |v: &'static str| Some(if show_secrets { v } else { "***" });
            assert_eq!(
                leaves,
                [
                    ("NEWUSERPASS", shown("S3CR3T-N"), "S3CR3T-N"),
                    ("TAN", shown("S3CR3T-T"), "S3CR3T-T"),
                    ("USERPASS", shown("S3CR3T-P"), "S3CR3T-P"),
                ]
            );
        }

        let tree = doc.tree();
        let mut ctx = Ctx::new(tree, doc.format());
        for el in tree.elements().filter(|e| e.is_leaf()) {
            let text = el.text().unwrap_or_default();
            ctx.report("W-TEST", Severity::Warning, el, format!("<{}> is \"{text}\"", el.name()));
        }
        let findings = ctx.take_findings();
        let quoted: Vec<&str> = findings.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(quoted.iter().filter(|m| m.contains("S3CR3T")).count(), 0, "{quoted:?}");
        assert!(
            quoted.contains(&"<USERPASS> is \"***\"") && quoted.contains(&"<USERID> is \"jo\"")
        );
    }
}
