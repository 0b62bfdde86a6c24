//! The entry point: bytes → [`Document`] → model, statements, transactions, payees.

use std::sync::OnceLock;

use ofxkit_syntax::{Error, Options};
use self_cell::self_cell;

use crate::diagnostic::Diagnostic;
use crate::model::{Model, ModelOptions, Payee, Statement, Transaction};
use crate::read;

/// A parsed file. The typed views borrow their texts from it.
///
/// ```
/// let file = b"<OFC><DTD>2<CPAGE>1252<ACCTSTMT><ACCTFROM><BANKID>001<ACCTID>42<ACCTTYPE>0</ACCTFROM>\
/// <STMTRS><DTSTART>20240101<DTEND>20240131<LEDGER>10,00\
/// <STMTTRN><TRNTYPE>1<DTPOSTED>20240105<TRNAMT>-12,50<FITID>1<NAME>PADARIA</STMTTRN>\
/// </STMTRS></ACCTSTMT></OFC>";
/// let doc = ofxkit::parse(file)?;
/// let statements = doc.statements();
/// assert_eq!(statements[0].account.as_ref().and_then(|a| a.account_id), Some("42"));
/// let t = doc.transactions().next().unwrap();
/// assert_eq!(t.amount.as_ref().map(|a| a.value.to_string()), Some("-12.50".to_owned()));
/// assert_eq!(t.trntype.as_ref().map(|c| c.as_str()), Some("DEBIT"));
/// # Ok::<(), ofxkit::Error>(())
/// ```
pub struct Document<'a> {
    cell: Cell<'a>,
    /// Most findings kept per code (the `Limits` the file was read with).
    findings_cap: u32,
}

/// The model, read on first use and kept: it borrows its texts from the tree beside it.
type LazyModel<'t> = OnceLock<Model<'t>>;

self_cell!(
    /// The syntax document and the model read from it (on first use).
    struct Cell<'a> {
        owner: ofxkit_syntax::Document<'a>,
        #[not_covariant]
        dependent: LazyModel,
    }
);

impl std::fmt::Debug for Document<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Document").field("syntax", self.syntax()).finish_non_exhaustive()
    }
}

impl Clone for Document<'_> {
    /// A copy of the syntax document; its model is read again when asked for.
    fn clone(&self) -> Self {
        Document::with_cap(self.syntax().clone(), self.findings_cap)
    }
}

/// Reads a file with default options.
pub fn parse(bytes: &[u8]) -> Result<Document<'_>, Error> {
    parse_with(bytes, &Options::default())
}

/// Reads a file with the given limits and leniency (and vocabulary: the OFX and OFC tables
/// unless `options` names another, see [`with_dtd`]).
pub fn parse_with<'a>(bytes: &'a [u8], options: &Options) -> Result<Document<'a>, Error> {
    let syntax = ofxkit_syntax::parse_with(bytes, &with_dtd(options))?;
    Ok(Document::with_cap(syntax, options.limits.max_findings_per_code))
}

/// Reads a file the caller hands over (see [`parse_with`]).
pub fn parse_owned(bytes: Vec<u8>, options: &Options) -> Result<Document<'static>, Error> {
    let syntax = ofxkit_syntax::parse_owned(bytes, &with_dtd(options))?;
    Ok(Document::with_cap(syntax, options.limits.max_findings_per_code))
}

/// `options` with the OFX and OFC specifications' tables ([`ofxkit_schema::DTD`]) as the
/// vocabulary when they name none: how this crate reads every file. (The syntax crate alone
/// knows no element name: see [`ofxkit_syntax::vocabulary`].)
///
/// ```
/// let options = ofxkit::with_dtd(&ofxkit::syntax::Options::default());
/// // Without the tables `<BALAMT>` could be an aggregate; with them it is a leaf.
/// let file = b"<OFX><LEDGERBAL><BALAMT></BALAMT><DTASOF>20240101</LEDGERBAL></OFX>";
/// let doc = ofxkit::syntax::parse_with(file, &options)?;
/// assert!(doc.root().descendants().any(|e| e.name() == "BALAMT" && e.is_leaf()));
/// # Ok::<(), ofxkit::syntax::Error>(())
/// ```
pub fn with_dtd(options: &Options) -> Options {
    Options { vocabulary: options.vocabulary.or(Some(&ofxkit_schema::DTD)), ..*options }
}

impl<'a> Document<'a> {
    /// Wraps an already parsed syntax document; the model's findings are capped as the
    /// syntax layer's are by default ([`Limits::max_findings_per_code`]).
    ///
    /// [`Limits::max_findings_per_code`]: ofxkit_syntax::Limits::max_findings_per_code
    pub fn from_syntax(syntax: ofxkit_syntax::Document<'a>) -> Self {
        Document::with_cap(syntax, ofxkit_syntax::Limits::default().max_findings_per_code)
    }

    pub(crate) fn with_cap(syntax: ofxkit_syntax::Document<'a>, findings_cap: u32) -> Self {
        Document { cell: Cell::new(syntax, |_| OnceLock::new()), findings_cap }
    }

    /// Most findings of one code the model keeps ([`Limits::max_findings_per_code`] of the
    /// options the file was read with; 0: all): the rest are counted, and one finding per
    /// capped code ([`Diagnostic::left_out`]) says how many were left out.
    ///
    /// ```
    /// use ofxkit::syntax::{Limits, Options};
    /// let file = format!("<OFC><ACCTSTMT><STMTRS>{}</STMTRS></ACCTSTMT></OFC>",
    ///     "<STMTTRN><TRNTYPE>1<DTPOSTED>20240105<TRNAMT>1e5</STMTTRN>".repeat(5));
    /// let options = Options { limits: Limits { max_findings_per_code: 2, ..Limits::default() }, ..Options::default() };
    /// let doc = ofxkit::parse_with(file.as_bytes(), &options)?;
    /// assert_eq!(doc.findings_cap(), 2);
    /// let amounts: Vec<_> = doc.diagnostics().iter().filter(|d| d.code == "E-AMOUNT-SYNTAX").collect();
    /// assert_eq!(amounts.iter().map(|d| d.left_out).collect::<Vec<_>>(), [None, None, Some(3)]);
    /// assert_eq!(amounts[2].message, "… and 3 more E-AMOUNT-SYNTAX findings in this file were not kept");
    /// # Ok::<(), ofxkit::Error>(())
    /// ```
    ///
    /// [`Limits::max_findings_per_code`]: ofxkit_syntax::Limits::max_findings_per_code
    /// [`Diagnostic::left_out`]: crate::Diagnostic::left_out
    pub fn findings_cap(&self) -> u32 {
        self.findings_cap
    }

    /// The header and element tree.
    pub fn syntax(&self) -> &ofxkit_syntax::Document<'a> {
        self.cell.borrow_owner()
    }

    /// Everything in the file, typed, with all findings (syntax first, then model). Secret
    /// values serialise as `***` (see [`ModelOptions`]).
    ///
    /// The model is read from the tree on the first call (on a generated bank statement:
    /// about 1.6 times the instructions of reading the tree, and a peak of about 7 times the
    /// file's size, the tree included) and kept:
    /// later calls, and [`statements`](Self::statements), [`transactions`](Self::transactions),
    /// [`payees`](Self::payees) and [`diagnostics`](Self::diagnostics), cost nothing.
    ///
    /// ```
    /// let doc = ofxkit::parse(b"<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><BANKTRANLIST>\
    ///   <STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20240105<TRNAMT>-1<FITID>1</STMTTRN>\
    ///   </BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>")?;
    /// // Read once: the same model, at the same address, every time.
    /// assert!(std::ptr::eq(doc.model(), doc.model()));
    /// assert_eq!(doc.transactions().count(), 1);
    /// # Ok::<(), ofxkit::Error>(())
    /// ```
    pub fn model(&self) -> &Model<'_> {
        let cap = self.findings_cap;
        self.cell.with_dependent(|syntax, lazy| -> &Model<'_> {
            lazy.get_or_init(|| read::read_model(syntax, true, cap))
        })
    }

    /// [`model`](Self::model), read with `options` (e.g. secret values shown): read anew on
    /// every call, not kept.
    pub fn model_with(&self, options: &ModelOptions) -> Model<'_> {
        read::read_model_with(self.syntax(), true, options, self.findings_cap)
    }

    /// The statements with their transactions.
    pub fn statements(&self) -> &[Statement<'_>] {
        &self.model().statements
    }

    /// Every transaction of every statement, in file order.
    pub fn transactions(&self) -> impl Iterator<Item = &Transaction<'_>> + '_ {
        self.model().statements.iter().flat_map(|s| &s.transactions)
    }

    /// Every payee: payee-list records first (those in synchronization messages included),
    /// then the `PAYEE` aggregates of transactions.
    pub fn payees(&self) -> Vec<&Payee<'_>> {
        let model = self.model();
        let mut out: Vec<&Payee<'_>> =
            model.all_payees().into_iter().filter_map(|p| p.payee.as_ref()).collect();
        out.extend(
            model
                .statements
                .iter()
                .flat_map(|s| &s.transactions)
                .filter_map(|t| t.payee.as_deref()),
        );
        out
    }

    /// Writes the document as a complete OFX file of the target and version `options` ask
    /// for (see [`write`](mod@crate::write) for what changes and what is kept): OFX 1.x, 2.x,
    /// QFX and OFC sources alike.
    ///
    /// ```
    /// use ofxkit::write::{Target, WriteOptions};
    /// let doc = ofxkit::parse(b"<OFX><BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS>\
    ///   <STMTRS><CURDEF>EUR<BANKACCTFROM><BANKID>1<ACCTID>2<ACCTTYPE>CHECKING</BANKACCTFROM>\
    ///   <BANKTRANLIST><DTSTART>20240101<DTEND>20240131<STMTTRN><TRNTYPE>DEBIT\
    ///   <DTPOSTED>20240105120000[+1:CET]<TRNAMT>-200,00<FITID>1<NAME>AT&amp;T</STMTTRN>\
    ///   </BANKTRANLIST><LEDGERBAL><BALAMT>1000<DTASOF>20240131</LEDGERBAL></STMTRS>\
    ///   </STMTTRNRS></BANKMSGSRSV1></OFX>")?;
    /// let mut out = Vec::new();
    /// let written = doc.write_ofx(&mut out, &WriteOptions { target: Target::Ofx1, ..Default::default() })?;
    /// assert!(written.signon_synthesized);
    /// let text = String::from_utf8(out)?;
    /// assert!(text.starts_with("OFXHEADER:100\r\nDATA:OFXSGML\r\nVERSION:160\r\n"));
    /// assert!(text.contains("<DTPOSTED>20240105120000.000[+1:CET]\r\n"));
    /// assert!(text.contains("<TRNAMT>-200.00\r\n"));
    /// assert!(text.contains("<NAME>AT&amp;T\r\n"));
    /// assert!(text.contains("</STMTTRN>\r\n"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn write_ofx<W: std::io::Write + ?Sized>(
        &self,
        out: &mut W,
        options: &crate::write::WriteOptions,
    ) -> Result<crate::write::Written, crate::write::WriteError> {
        crate::write::write_document(self, out, options)
    }

    /// All findings: syntax and model.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.model().diagnostics
    }
}
