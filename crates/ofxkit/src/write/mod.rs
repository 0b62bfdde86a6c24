//! Writing OFX: a document read from a file (OFX 1.x, 2.x, QFX or OFC) or made in memory,
//! as a complete OFX 1.x (SGML) or 2.x (XML) file of the version asked for.
//!
//! The writer works from the element tree, so nothing the file holds is lost: unknown and
//! vendor elements (`INTU.*`), element order and extensions are written as they are. What it
//! changes is what the target needs:
//!
//! - **Header** for the version (`OFXHEADER:100` lines, or the XML declaration and the
//!   `<?OFX …?>` instruction); `SECURITY`, `OLDFILEUID` and `NEWFILEUID` are kept from the
//!   source when they are plain identifiers of up to 36 characters.
//! - **Markup**: SGML closes aggregates and leaves leaves open, as real servers do
//!   ([`WriteOptions::close_all`] closes every element); an empty value, and an element
//!   with neither text nor children, is written `<NAME></NAME>`. XML closes every element. Text is escaped (`&amp;`, `&lt;`, `&gt;`; a
//!   CR, and blanks at either end of a value, as numeric references so no reader trims them).
//! - **Values**: amounts as exact decimals with a `.` mark (`-200,00` → `-200.00`, the
//!   decimals kept), dates in OFX's canonical form at the precision given, keeping the offset
//!   ([`format_datetime`]); the codes of the enumerations readers take in any case
//!   ([`CODED`]: `TRNTYPE`, `SEVERITY`…) upper case (`debit` → `DEBIT`). A value that does not
//!   read as its kind is written as it is.
//! - **Encoding**: UTF-8 for OFX 2.x; Windows-1252 (the default), US-ASCII or UTF-8 for
//!   OFX 1.x, as the header declares ([`Charset`]). A character the target cannot hold is an
//!   error naming it and its position in the source, unless [`WriteOptions::lossy`] (then it
//!   is written `?` and counted in [`Written::replaced`]).
//! - **Sign-on**: a file with no sign-on message set gets one, first, marked as made up: a
//!   response gets `SONRS` with `STATUS` 0 `INFO` and the `MESSAGE` [`SYNTHESIZED_SIGNON`],
//!   `DTSERVER` the latest date of the file (`19700101` when it has none) and `LANGUAGE`
//!   `ENG`; a request gets the OFX specification's anonymous `SONRQ` (USERID and USERPASS
//!   `anonymous00000000000000000000000`, APPID `OFXKIT`).
//! - **Secrets** (`USERPASS`, `USERKEY`, …: [`ofxkit_syntax::SECRET_ELEMENTS`]) are written
//!   `***` unless [`WriteOptions::show_secrets`]: a written file is an output like any other.
//! - **OFC** is converted to OFX: see the [`ofc`](self#ofc-to-ofx) section below.
//! - **Unfinished values**: a value the source did not finish (cut by the end of the input,
//!   or closed by recovery) is an error, as is a file cut inside its root; with `lossy`
//!   such values are left out (counted in [`Written::left_out`]) and the file is closed.
//!
//! # OFC to OFX
//!
//! `DTD` and `CPAGE` become the header. Each `ACCTSTMT` becomes a bank statement
//! (`BANKMSGSRSV1/STMTTRNRS/STMTRS`) or, for account type 2, a credit-card statement
//! (`CREDITCARDMSGSRSV1/CCSTMTTRNRS/CCSTMTRS`), with `TRNUID` 0 and `STATUS` 0; a `TRNRS`
//! holding a `STMTRS` likewise, with its `CLTID` as `TRNUID` and its status mapped. `CURDEF`
//! is [`WriteOptions::currency`] (default `XXX`, ISO 4217's "no currency": OFC files do
//! not say). `ACCTFROM`/`ACCTTO` become `BANKACCTFROM`/`BANKACCTTO` (`CCACCTFROM`, `CCACCTTO`
//! for a card), codes become OFX names through the code tables
//! ([`crate::codes::mapping`]), `CHKNUM` becomes `CHECKNUM`, `LEDGER` becomes `LEDGERBAL`
//! dated `DTEND`, several `MEMO`s one `MEMO` (joined by line breaks, as the model reads
//! them), `PAYEE/ENTITY` becomes `PAYEE` (`ADDRESS` → `ADDR1`…`ADDR3`, `POSTALID` →
//! `POSTALCODE`). `SONRS` becomes `SIGNONMSGSRSV1/SONRS` (`ERROR` its `MESSAGE`, `SESSKEY`
//! `SESSCOOKIE`, `LANGUAGE` `ENG`), `SONRQ` likewise. A `STMTRS` or `CCSTMTRS` right under
//! the root, which is not OFC's grammar and which readers take as OFX's, is kept as it is in
//! its OFX wrapper.
//!
//! OFC batches become bill-pay messages (`BILLPAYMSGSRQV1`/`BILLPAYMSGSRSV1`), `CLTID` the
//! `TRNUID`, `STATUS`/`ERROR` the OFX `STATUS` (mapped as
//! [`ofc_status_to_ofx`](crate::codes::mapping::ofc_status_to_ofx) says): `MAINTRQ/PAYEERQ`
//! becomes `PAYEETRNRQ` with `PAYEERQ` (ACTION 0), `PAYEEMODRQ` (2, `PAYEEID` the
//! `PAYEELSTID`) or `PAYEEDELRQ` (1); `MAINTRS/PAYEERS` becomes `PAYEETRNRS/PAYEERS`
//! (`PAYEEID` the `PAYEELSTID`, `DAYSREQD` an `EXTDPAYEE`'s `DAYSTOPAY`); `TRNRQ/PAYMTRQ`
//! becomes `PMTTRNRQ` with `PMTRQ`, `PMTMODRQ` or `PMTCANCRQ`, its fields in `PMTINFO`;
//! `TRNRS/PAYMTRS` becomes `PMTTRNRS/PMTRS` (OFC gives none of the payment, which OFX's
//! `PMTRS` requires: such a file does not validate); `PAYIQRQ`/`PAYIQRS` become
//! `PMTINQTRNRQ/PMTINQRQ` and `PMTINQTRNRS/PMTINQRS`; `TRNRQ/STMTRQ` becomes `STMTTRNRQ/STMTRQ`
//! (`CCSTMTTRNRQ/CCSTMTRQ` for a card) with `DTSTART` and `DTEND` in an `INCTRAN` with
//! `INCLUDE` `Y`. A wrapper with no record (a failure)
//! becomes the OFX wrapper of the file's other records of its kind when they all have one.
//!
//! What has no OFX counterpart is never dropped: a value OFX has no place for (a
//! transaction's `CLTID`, a second or third `NAME` or `ADDRESS` beyond OFX's, a second
//! `PHONE`, `SERVICE`, `DAYSREQD` and `DAYSWITH` of a sign-on, `NEWPASS`, a payee's
//! `DAYSWITH`, an inquiry's `MEMO`, the payment of a cancellation as `OFC.PMTINFO`) is kept
//! as a vendor element `OFC.NAME` at the end of its aggregate (counted in
//! [`Written::vendor`]); a record OFX cannot express is refused with
//! [`WriteErrorKind::NoCounterpart`]: an account of type 5–7 (loan, inter-bank payee,
//! other), a wrapper with no record whose kind the file does not tell, and the records this
//! writer does not convert yet: transfers (`INTRARQ`/`RS`, `INTERRQ`/`RS`), account
//! maintenance (`ACCTRQ`/`RS`) and mail (`MAILRQ`/`RS`).
//!
//! ```
//! use ofxkit::write::{Target, WriteOptions};
//! let file = b"<OFC><DTD>2<CPAGE>1252<ACCTSTMT><ACCTFROM><BANKID>001<ACCTID>42<ACCTTYPE>0</ACCTFROM>\
//! <STMTRS><DTSTART>20240101<DTEND>20240131<LEDGER>10,00\
//! <STMTTRN><TRNTYPE>1<DTPOSTED>20240105<TRNAMT>-12,50<FITID>1<NAME>PADARIA</STMTTRN>\
//! </STMTRS></ACCTSTMT></OFC>";
//! let doc = ofxkit::parse(file)?;
//! let mut out = Vec::new();
//! let options = WriteOptions { target: Target::Ofx2, currency: Some("BRL".into()), ..Default::default() };
//! let written = doc.write_ofx(&mut out, &options)?;
//! assert!(written.signon_synthesized);
//! let text = String::from_utf8(out)?;
//! assert!(text.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n\
//!   <?OFX OFXHEADER=\"200\" VERSION=\"211\" SECURITY=\"NONE\" OLDFILEUID=\"NONE\" NEWFILEUID=\"NONE\"?>\n<OFX>\n"));
//! assert!(text.contains("<TRNTYPE>DEBIT</TRNTYPE>"));
//! assert!(text.contains("<TRNAMT>-12.50</TRNAMT>"));
//! let again = ofxkit::parse(text.as_bytes())?;
//! let t = again.transactions().next().unwrap();
//! assert_eq!(t.amount.as_ref().unwrap().value.to_string(), "-12.50");
//! assert_eq!(again.statements()[0].currency, Some("BRL"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod build;
mod emit;
mod error;
mod header;
mod node;
mod ofc;
mod signon;
mod tree;
pub(crate) mod values;
mod version;

use std::io::Write;

use ofxkit_syntax::Format;

use crate::document::Document;

pub use build::{AccountRef, DateValue, StatementBuilder, TransactionRow};
pub use emit::Charset;
pub use error::{WriteError, WriteErrorKind};
pub use node::{Content, Node};
pub use signon::{ANONYMOUS, SYNTHESIZED_SIGNON};
pub use values::{CODED, format_datetime};
pub use version::{OfxVersion, Target};

use emit::Emitter;
use header::HeaderFields;

/// How to write.
///
/// ```
/// use ofxkit::write::{Target, WriteOptions};
/// let options = WriteOptions::default();
/// assert_eq!(options.target, Target::Ofx2);
/// assert!(!options.close_all && !options.lossy && !options.show_secrets);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WriteOptions {
    /// OFX 1.x (SGML) or 2.x (XML); default 2.x.
    pub target: Target,
    /// The version; `None`: the source's own when it is of the target's family, else
    /// [`Target::default_version`].
    pub version: Option<OfxVersion>,
    /// SGML: close every element, leaves too (XML always does).
    pub close_all: bool,
    /// OFX 1.x: the encoding (default Windows-1252); OFX 2.x is UTF-8 and takes only
    /// [`Charset::Utf8`].
    pub charset: Option<Charset>,
    /// Replace what the target cannot hold by `?`, and leave out unfinished values, instead
    /// of failing.
    pub lossy: bool,
    /// Write the values of secret elements instead of `***`.
    pub show_secrets: bool,
    /// `CURDEF` of statements converted from OFC, which has no currency (default `XXX`).
    pub currency: Option<String>,
}

impl WriteOptions {
    /// Checks that the options go together (a version of the target's family, UTF-8 for
    /// OFX 2.x), before any document is at hand.
    ///
    /// ```
    /// use ofxkit::write::{OfxVersion, Target, WriteOptions};
    /// let bad = WriteOptions { target: Target::Ofx1, version: Some(OfxVersion::V211), ..Default::default() };
    /// assert_eq!(bad.check().unwrap_err().to_string(), "version 211 is not an ofx1 version");
    /// assert!(WriteOptions::default().check().is_ok());
    /// ```
    pub fn check(&self) -> Result<(), WriteError> {
        resolve(self, None).map(|_| ())
    }
}

/// What writing did.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Written {
    /// The version written.
    pub version: OfxVersion,
    /// Characters the target could not hold, written `?` (only with `lossy`).
    pub replaced: u64,
    /// Unfinished values left out (only with `lossy`).
    pub left_out: u64,
    /// True when the sign-on was made up (the source had none).
    pub signon_synthesized: bool,
    /// OFC elements with no OFX counterpart kept as `OFC.*` vendor elements.
    pub vendor: u64,
}

/// The value written for every secret unless asked otherwise.
const REDACTED: &str = "***";

/// The version and charset `options` ask for, given the source's own version.
fn resolve(
    options: &WriteOptions,
    source: Option<u16>,
) -> Result<(OfxVersion, Charset), WriteError> {
    let target = options.target;
    let version = match options.version {
        Some(v) if v.target() != target => {
            return Err(WriteError::new(WriteErrorKind::Options(format!(
                "version {v} is not an {} version",
                target.name()
            ))));
        }
        Some(v) => v,
        None => source
            .and_then(OfxVersion::from_number)
            .filter(|v| v.target() == target)
            .unwrap_or_else(|| target.default_version()),
    };
    let charset = match (target, options.charset) {
        (Target::Ofx2, None | Some(Charset::Utf8)) => Charset::Utf8,
        (Target::Ofx2, Some(c)) => {
            return Err(WriteError::new(WriteErrorKind::Options(format!(
                "OFX 2.x is written in UTF-8, not {}",
                c.name()
            ))));
        }
        (Target::Ofx1, c) => c.unwrap_or(Charset::Cp1252),
    };
    Ok((version, charset))
}

/// Writes `doc` (see the [module docs](self)).
pub(crate) fn write_document<W: Write + ?Sized>(
    doc: &Document<'_>,
    out: &mut W,
    options: &WriteOptions,
) -> Result<Written, WriteError> {
    let syntax = doc.syntax();
    let root = syntax.root();
    if root.cut_by_end_of_input() && !options.lossy {
        return Err(WriteError::new(WriteErrorKind::Truncated { span: root.span() }));
    }
    let (version, charset) = resolve(options, syntax.version())?;
    let fields = HeaderFields::from_source(syntax.header());
    if syntax.format() == Format::Ofc {
        let converted = ofc::convert(syntax, options)?;
        let mut written = write_root(&converted.root, &fields, out, options, version, charset)?;
        written.vendor += converted.vendor;
        written.left_out += converted.left_out;
        return Ok(written);
    }
    let mut em = Emitter::new(
        out,
        version.target() == Target::Ofx2,
        options.close_all,
        charset,
        options.lossy,
    );
    header::write(&mut em, version, charset, &fields)?;
    let stats = tree::write(syntax, &mut em, options)?;
    let replaced = em.finish()?;
    Ok(Written {
        version,
        replaced,
        left_out: stats.left_out,
        signon_synthesized: stats.signon_synthesized,
        vendor: 0,
    })
}

fn write_root<W: Write + ?Sized>(
    root: &Node,
    fields: &HeaderFields,
    out: &mut W,
    options: &WriteOptions,
    version: OfxVersion,
    charset: Charset,
) -> Result<Written, WriteError> {
    let mut em = Emitter::new(
        out,
        version.target() == Target::Ofx2,
        options.close_all,
        charset,
        options.lossy,
    );
    header::write(&mut em, version, charset, fields)?;
    let signon_synthesized = tree::write_nodes(root, &mut em, options)?;
    let replaced = em.finish()?;
    Ok(Written { version, replaced, left_out: 0, signon_synthesized, vendor: 0 })
}

/// A whole OFX document made in memory: its `OFX` root element and the header's
/// identifiers. Written by [`write_ofx`](Self::write_ofx) byte for byte as the writer writes
/// the same document read from a file.
///
/// Any message can be built from [`Node`]s; a request carries its password, which is a
/// secret: set [`WriteOptions::show_secrets`] to write it (otherwise it is `***`).
///
/// ```
/// use ofxkit::write::{Node, OfxDocument, Target, WriteOptions};
/// let signon = Node::aggregate("SONRQ", vec![
///     Node::leaf("DTCLIENT", "20240301120000"), Node::leaf("USERID", "jdoe"),
///     Node::leaf("USERPASS", "hunter2"), Node::leaf("LANGUAGE", "ENG"),
///     Node::leaf("APPID", "QWIN"), Node::leaf("APPVER", "2700"),
/// ]);
/// let account = Node::aggregate("BANKACCTFROM", vec![
///     Node::leaf("BANKID", "121000248"), Node::leaf("ACCTID", "000123"), Node::leaf("ACCTTYPE", "CHECKING"),
/// ]);
/// let request = Node::aggregate("STMTTRNRQ", vec![
///     Node::leaf("TRNUID", "8d9c3f0a-1"),
///     Node::aggregate("STMTRQ", vec![account,
///         Node::aggregate("INCTRAN", vec![Node::leaf("DTSTART", "20240201"), Node::leaf("INCLUDE", "Y")])]),
/// ]);
/// let mut doc = OfxDocument::new(vec![
///     Node::aggregate("SIGNONMSGSRQV1", vec![signon]),
///     Node::aggregate("BANKMSGSRQV1", vec![request]),
/// ]);
/// doc.new_file_uid = "8d9c3f0a".into();
/// let options = WriteOptions { target: Target::Ofx1, show_secrets: true, ..Default::default() };
/// let text = String::from_utf8(doc.to_bytes(&options)?)?;
/// assert!(text.contains("NEWFILEUID:8d9c3f0a\r\n"));
/// assert!(text.contains("<USERPASS>hunter2\r\n"));
/// let read = ofxkit::parse(text.as_bytes())?;
/// let report = ofxkit::validate::validate(&read, &Default::default());
/// assert!(!report.has_errors(), "{:?}", report.findings);
/// // Without show_secrets the password is not written.
/// let hidden = String::from_utf8(doc.to_bytes(&WriteOptions { show_secrets: false, ..options })?)?;
/// assert!(hidden.contains("<USERPASS>***\r\n"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfxDocument {
    /// The root (named `OFX`; written `OFX` whatever its name).
    pub root: Node,
    /// The header's `SECURITY` (`NONE` or `TYPE1`).
    pub security: String,
    /// The header's `OLDFILEUID`.
    pub old_file_uid: String,
    /// The header's `NEWFILEUID`.
    pub new_file_uid: String,
}

impl OfxDocument {
    /// A document of these message sets, with `NONE` header identifiers.
    pub fn new(message_sets: Vec<Node>) -> OfxDocument {
        OfxDocument {
            root: Node::aggregate("OFX", message_sets),
            security: "NONE".into(),
            old_file_uid: "NONE".into(),
            new_file_uid: "NONE".into(),
        }
    }

    /// Writes the document as `options` say (the version defaults to the target's
    /// [`default_version`](Target::default_version)).
    pub fn write_ofx<W: Write + ?Sized>(
        &self,
        out: &mut W,
        options: &WriteOptions,
    ) -> Result<Written, WriteError> {
        let (version, charset) = resolve(options, None)?;
        let fields = HeaderFields::new(&self.security, &self.old_file_uid, &self.new_file_uid);
        write_root(&self.root, &fields, out, options, version, charset)
    }

    /// [`write_ofx`](Self::write_ofx) into a new byte vector.
    pub fn to_bytes(&self, options: &WriteOptions) -> Result<Vec<u8>, WriteError> {
        let mut out = Vec::new();
        self.write_ofx(&mut out, options)?;
        Ok(out)
    }
}
