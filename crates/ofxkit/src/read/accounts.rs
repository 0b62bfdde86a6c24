//! Accounts, payees, institutions and account lists.

use ofxkit_syntax::Element;

use crate::amount::Dialect;
use crate::codes::ofc::OfcAccountType;
use crate::codes::ofx::{AccountType, SvcStatus};
use crate::model::{Account, AccountInfo, AccountKind, AccountService, Institution, Payee};
use crate::read::Ctx;
use crate::read::values::ofc_account_mapping;

/// `BANKACCTFROM`, `BANKACCTTO`, `CCACCTFROM`, `CCACCTTO`, `INVACCTFROM`, `LOANACCTFROM`,
/// OFC `ACCTFROM`/`ACCTTO` (with or without the `ACCOUNT` wrapper).
pub(crate) fn read_account<'t>(el: Element<'t>, ctx: &mut Ctx<'t>) -> Account<'t> {
    let name = el.name();
    let kind = if name.starts_with("CC") {
        AccountKind::CreditCard
    } else if name.starts_with("INV") {
        AccountKind::Investment
    } else if name.starts_with("LOAN") {
        AccountKind::Loan
    } else {
        AccountKind::Bank
    };
    let mut a = Account::new(kind, el.span());
    ctx.text_for_aggregate(el, &mut a.extensions);
    read_account_fields(el, ctx, &mut a);
    a
}

fn read_account_fields<'t>(el: Element<'t>, ctx: &mut Ctx<'t>, a: &mut Account<'t>) {
    for child in el.children() {
        let ext = &mut a.extensions;
        match child.name() {
            // OFC's wrapper, written by Microsoft's own builder: transparent.
            "ACCOUNT" if !child.is_leaf() => read_account_fields(child, ctx, a),
            "BANKID" => ctx.once(&mut a.bank_id, child, ext, |c, e| c.text(e)),
            "BRANCHID" => ctx.once(&mut a.branch_id, child, ext, |c, e| c.text(e)),
            "ACCTID" => ctx.once(&mut a.account_id, child, ext, |c, e| c.text(e)),
            "ACCTKEY" => ctx.once(&mut a.account_key, child, ext, |c, e| c.text(e)),
            "BROKERID" => ctx.once(&mut a.broker_id, child, ext, |c, e| c.text(e)),
            "ACCTTYPE" | "ACCTTYPE2" if ctx.dialect == Dialect::Ofc => {
                let code = ctx.coded::<OfcAccountType>(child);
                if let Some(code) = &code {
                    let (kind, ofx) = ofc_account_mapping(code);
                    if let Some(kind) = kind {
                        a.kind = kind;
                    }
                    a.account_type = ofx;
                }
                a.ofc_account_type = code;
            }
            "ACCTTYPE" | "ACCTTYPE2" => {
                ctx.once(&mut a.account_type, child, ext, |c, e| c.coded::<AccountType>(e))
            }
            _ => ctx.keep_extension(&mut a.extensions, child),
        }
    }
}

/// OFX `PAYEE` (NAME, ADDR1–3, CITY, STATE, POSTALCODE, COUNTRY, PHONE) or OFC `PAYEE` /
/// `ENTITY` (NAME×3, ADDRESS×3, CITY, STATE, POSTALID, PHONE×2).
pub(crate) fn read_payee<'t>(el: Element<'t>, ctx: &mut Ctx<'t>) -> Payee<'t> {
    let mut p = Payee { span: el.span(), ..Payee::default() };
    ctx.text_for_aggregate(el, &mut p.extensions);
    read_payee_fields(el, ctx, &mut p);
    p
}

/// A child of `PAYEE` (or of its OFC `ENTITY`): the one list of them, which the model reader
/// and the rows written from the tree (`convert::tree_rows`) both follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PayeeField {
    /// `NAME` (several are kept).
    Name,
    /// `ADDR1`, `ADDR2`, `ADDR3`, `ADDRESS` (several are kept).
    Address,
    /// `CITY` (once).
    City,
    /// `STATE` (once).
    State,
    /// `POSTALCODE`, `POSTALID` (once).
    PostalCode,
    /// `COUNTRY` (once).
    Country,
    /// `PHONE` (several are kept).
    Phone,
}

impl PayeeField {
    /// The field a child named `name` holds; `None` for any other name (an extension).
    pub(crate) fn of(name: &str) -> Option<PayeeField> {
        Some(match name {
            "NAME" => PayeeField::Name,
            "ADDR1" | "ADDR2" | "ADDR3" | "ADDRESS" => PayeeField::Address,
            "CITY" => PayeeField::City,
            "STATE" => PayeeField::State,
            "POSTALCODE" | "POSTALID" => PayeeField::PostalCode,
            "COUNTRY" => PayeeField::Country,
            "PHONE" => PayeeField::Phone,
            _ => return None,
        })
    }

    /// A bit of its own for a field read once (a repeat is an extension, with a remark);
    /// `None` for the fields that may repeat.
    pub(crate) const fn once_bit(self) -> Option<u8> {
        match self {
            PayeeField::City => Some(1),
            PayeeField::State => Some(2),
            PayeeField::PostalCode => Some(4),
            PayeeField::Country => Some(8),
            PayeeField::Name | PayeeField::Address | PayeeField::Phone => None,
        }
    }
}

fn read_payee_fields<'t>(el: Element<'t>, ctx: &mut Ctx<'t>, p: &mut Payee<'t>) {
    for child in el.children() {
        let ext = &mut p.extensions;
        if child.name() == "ENTITY" && !child.is_leaf() {
            read_payee_fields(child, ctx, p);
            continue;
        }
        match PayeeField::of(child.name()) {
            Some(PayeeField::Name) => p.names.extend(ctx.text(child)),
            Some(PayeeField::Address) => p.address.extend(ctx.text(child)),
            Some(PayeeField::City) => ctx.once(&mut p.city, child, ext, |c, e| c.text(e)),
            Some(PayeeField::State) => ctx.once(&mut p.state, child, ext, |c, e| c.text(e)),
            Some(PayeeField::PostalCode) => {
                ctx.once(&mut p.postal_code, child, ext, |c, e| c.text(e))
            }
            Some(PayeeField::Country) => ctx.once(&mut p.country, child, ext, |c, e| c.text(e)),
            Some(PayeeField::Phone) => p.phones.extend(ctx.text(child)),
            None => ctx.keep_extension(&mut p.extensions, child),
        }
    }
}

/// `FI`.
pub(crate) fn read_institution<'t>(el: Element<'t>, ctx: &mut Ctx<'t>) -> Institution<'t> {
    let mut fi = Institution { org: None, fid: None, extensions: Vec::new() };
    for child in el.children() {
        let ext = &mut fi.extensions;
        match child.name() {
            "ORG" => ctx.once(&mut fi.org, child, ext, |c, e| c.text(e)),
            "FID" => ctx.once(&mut fi.fid, child, ext, |c, e| c.text(e)),
            _ => ctx.keep_extension(ext, child),
        }
    }
    fi
}

/// `ACCTINFORS`: `DTACCTUP`, then `ACCTINFO*`.
pub(crate) fn read_account_info<'t>(el: Element<'t>, ctx: &mut Ctx<'t>) -> Vec<AccountInfo<'t>> {
    let mut out = Vec::new();
    for info in el.children().filter(|c| c.name() == "ACCTINFO") {
        let mut ai = AccountInfo {
            description: None,
            phone: None,
            services: Vec::new(),
            extensions: Vec::new(),
        };
        for child in info.children() {
            let ext = &mut ai.extensions;
            match child.name() {
                "DESC" => ctx.once(&mut ai.description, child, ext, |c, e| c.text(e)),
                "PHONE" => ctx.once(&mut ai.phone, child, ext, |c, e| c.text(e)),
                n if n.ends_with("ACCTINFO") && !child.is_leaf() => {
                    ai.services.push(read_service(child, ctx))
                }
                _ => ctx.keep_extension(&mut ai.extensions, child),
            }
        }
        out.push(ai);
    }
    out
}

fn read_service<'t>(el: Element<'t>, ctx: &mut Ctx<'t>) -> AccountService<'t> {
    let mut s = AccountService {
        kind: el.name(),
        account: None,
        supports_download: None,
        transfer_source: None,
        transfer_destination: None,
        status: None,
        extensions: Vec::new(),
    };
    for child in el.children() {
        let ext = &mut s.extensions;
        match child.name() {
            n if n.ends_with("ACCTFROM") => {
                ctx.once(&mut s.account, child, ext, |c, e| Some(read_account(e, c)))
            }
            "SUPTXDL" => ctx.once(&mut s.supports_download, child, ext, |c, e| c.boolean(e)),
            "XFERSRC" => ctx.once(&mut s.transfer_source, child, ext, |c, e| c.boolean(e)),
            "XFERDEST" => ctx.once(&mut s.transfer_destination, child, ext, |c, e| c.boolean(e)),
            "SVCSTATUS" => ctx.once(&mut s.status, child, ext, |c, e| c.coded::<SvcStatus>(e)),
            _ => ctx.keep_extension(&mut s.extensions, child),
        }
    }
    s
}
