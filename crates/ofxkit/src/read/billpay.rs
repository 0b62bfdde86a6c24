//! Bill payment: payment, payee and recurring-model records, their transaction wrappers, and
//! the synchronization messages that carry them (OFX), plus OFC's payment aggregates.

use ofxkit_syntax::{Element, Severity};

use crate::codes::Coded;
use crate::codes::ofc::OfcAction;
use crate::codes::ofx::{Freq, IdScope, PmtPrcCode};
use crate::model::{
    Action, Direction, ExtendedPayee, Model, PayeeRecord, Payment, PaymentInfo, ProcessingStatus,
    RecurringInstructions, RecurringPayment, Response, Status, SyncKind, SyncMessage, Wrapper,
};
use crate::read::accounts::{read_account, read_payee};
use crate::read::values::{ofc_status, ofx_status};
use crate::read::{Ctx, push_joined};

/// OFX bill-pay transaction wrappers.
const OFX_WRAPPERS: [&str; 8] = [
    "PMTTRNRQ",
    "PMTTRNRS",
    "PMTINQTRNRQ",
    "PMTINQTRNRS",
    "RECPMTTRNRQ",
    "RECPMTTRNRS",
    "PAYEETRNRQ",
    "PAYEETRNRS",
];

/// OFC wrappers that may hold a payment or payee record.
const OFC_WRAPPERS: [&str; 4] = ["TRNRQ", "TRNRS", "MAINTRQ", "MAINTRS"];

/// Which list a record goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RecordKind {
    Payment,
    Recurring,
    Payee,
}

fn record_kind(name: &str) -> Option<RecordKind> {
    Some(match name {
        "PMTRQ" | "PMTRS" | "PMTMODRQ" | "PMTMODRS" | "PMTCANCRQ" | "PMTCANCRS" | "PMTINQRQ"
        | "PMTINQRS" | "PAYMTRQ" | "PAYMTRS" | "INTERRQ" | "INTERRS" | "PAYIQRQ" | "PAYIQRS" => {
            RecordKind::Payment
        }
        "RECPMTRQ" | "RECPMTRS" | "RECPMTMODRQ" | "RECPMTMODRS" | "RECPMTCANCRQ"
        | "RECPMTCANCRS" => RecordKind::Recurring,
        "PAYEERQ" | "PAYEERS" | "PAYEEMODRQ" | "PAYEEMODRS" | "PAYEEDELRQ" | "PAYEEDELRS" => {
            RecordKind::Payee
        }
        _ => return None,
    })
}

/// True for a wrapper this module reads: an OFX bill-pay wrapper, or an OFC wrapper holding
/// a payment or payee record.
pub(crate) fn is_billpay_wrapper(el: Element<'_>) -> bool {
    let name = el.name();
    OFX_WRAPPERS.contains(&name)
        || (OFC_WRAPPERS.contains(&name) && el.children().any(|c| record_kind(c.name()).is_some()))
}

/// Where records go: the model's lists, or a synchronization message's.
pub(crate) struct Sink<'a, 't> {
    payments: &'a mut Vec<Payment<'t>>,
    payees: &'a mut Vec<PayeeRecord<'t>>,
    recurring: &'a mut Vec<RecurringPayment<'t>>,
    responses: &'a mut Vec<Response<'t>>,
}

impl<'a, 't> Sink<'a, 't> {
    pub(crate) fn of(model: &'a mut Model<'t>) -> Self {
        Sink {
            payments: &mut model.payments,
            payees: &mut model.payees,
            recurring: &mut model.recurring,
            responses: &mut model.responses,
        }
    }
}

fn direction(name: &str) -> Direction {
    if name.ends_with("RQ") { Direction::Request } else { Direction::Response }
}

fn action_of(name: &str, wrapper: Option<&Wrapper<'_>>) -> Option<Action> {
    let ofc = || match wrapper.and_then(|w| w.ofc_action.as_ref()).and_then(Coded::known) {
        Some(OfcAction::Add) => Some(Action::Add),
        Some(OfcAction::Change) => Some(Action::Modify),
        Some(OfcAction::Delete) if name.starts_with("PAYEE") => Some(Action::Delete),
        Some(OfcAction::Delete) => Some(Action::Cancel),
        _ => None,
    };
    match name {
        "PMTRQ" | "PMTRS" | "RECPMTRQ" | "RECPMTRS" => Some(Action::Add),
        "PAYEERQ" => ofc().or(Some(Action::Add)),
        // OFC MAINTRS/PAYEERS answers an add or a change: the response does not say which.
        "PAYEERS" if wrapper.is_some_and(|w| w.kind == "MAINTRS") => None,
        "PAYEERS" => Some(Action::Add),
        "PMTMODRQ" | "PMTMODRS" | "RECPMTMODRQ" | "RECPMTMODRS" | "PAYEEMODRQ" | "PAYEEMODRS" => {
            Some(Action::Modify)
        }
        "PMTCANCRQ" | "PMTCANCRS" | "RECPMTCANCRQ" | "RECPMTCANCRS" => Some(Action::Cancel),
        "PAYEEDELRQ" | "PAYEEDELRS" => Some(Action::Delete),
        "PMTINQRQ" | "PMTINQRS" | "PAYIQRQ" | "PAYIQRS" => Some(Action::Inquiry),
        _ => ofc(),
    }
}

/// Reads a wrapper's own fields; returns the wrapper and the children it does not name.
fn read_wrapper_info<'t>(el: Element<'t>, ctx: &mut Ctx<'t>) -> (Wrapper<'t>, Vec<Element<'t>>) {
    let mut w = Wrapper {
        kind: el.name(),
        transaction_uid: None,
        client_cookie: None,
        tan: None,
        status: None,
        ofc_action: None,
        span: el.span(),
    };
    let mut rest = Vec::new();
    let mut ofc_status_el = None;
    let mut ofc_error = None;
    for child in el.children() {
        match child.name() {
            "TRNUID" | "CLTID" | "STATUS"
                if (child.name() == "STATUS"
                    && (w.status.is_some() || ofc_status_el.is_some()))
                    || (child.name() != "STATUS" && w.transaction_uid.is_some()) =>
            {
                ctx.report(
                    "W-DUPLICATE-ELEMENT",
                    Severity::Warning,
                    child,
                    format!(
                        "<{}> appears again; the first one is used, this one kept as an extension",
                        child.name()
                    ),
                );
                rest.push(child);
            }
            "TRNUID" | "CLTID" => w.transaction_uid = ctx.text(child),
            "CLTCOOKIE" => w.client_cookie = ctx.text(child),
            "TAN" => w.tan = ctx.secret(child),
            "STATUS" if child.is_leaf() => ofc_status_el = Some(child),
            "STATUS" => w.status = Some(ofx_status(child, ctx)),
            "ERROR" => ofc_error = ctx.text(child),
            "ACTION" if child.is_leaf() => w.ofc_action = ctx.coded::<OfcAction>(child),
            _ => rest.push(child),
        }
    }
    if let Some(s) = ofc_status_el {
        w.status = Some(ofc_status(s, ofc_error, ctx));
    }
    if let Some(s) = &w.status
        && s.is_error
    {
        report_status(ctx, el, s);
    }
    (w, rest)
}

fn report_status<'t>(ctx: &mut Ctx<'t>, el: Element<'t>, s: &Status<'t>) {
    let meaning = s.meaning.unwrap_or("unknown code");
    let message = s.message.map(|m| format!(": {}", ofxkit_syntax::shown(m))).unwrap_or_default();
    ctx.report(
        "W-STATUS-ERROR",
        Severity::Warning,
        el,
        format!(
            "<{}> reports status {} ({meaning}){message}",
            el.name(),
            ofxkit_syntax::shown(s.code_text)
        ),
    );
}

/// A bill-pay wrapper (OFX `PMTTRNRS`…, or an OFC wrapper holding a payment or payee):
/// its record goes to `sink`'s list; a wrapper with no record (a failed request's response)
/// is kept as a [`Response`].
pub(crate) fn read_billpay_wrapper<'t>(
    el: Element<'t>,
    ctx: &mut Ctx<'t>,
    sink: &mut Sink<'_, 't>,
) {
    let (wrapper, rest) = read_wrapper_info(el, ctx);
    let mut leftovers = Vec::new();
    let mut records = 0;
    for child in rest {
        match record_kind(child.name()) {
            Some(kind) => {
                records += 1;
                if records > 1 {
                    ctx.report(
                        "W-DUPLICATE-ELEMENT",
                        Severity::Warning,
                        child,
                        format!("<{}> holds more than one record; all are read", el.name()),
                    );
                }
                let w = Some(wrapper.clone());
                match kind {
                    RecordKind::Payment => sink.payments.push(read_payment(child, w, ctx)),
                    RecordKind::Recurring => sink.recurring.push(read_recurring(child, w, ctx)),
                    RecordKind::Payee => sink.payees.push(read_payee_record(child, w, ctx)),
                }
            }
            None => ctx.keep_extension(&mut leftovers, child),
        }
    }
    if records == 0 || !leftovers.is_empty() {
        if records == 0
            && direction(el.name()) == Direction::Response
            && !wrapper.is_error()
            && el.name().ends_with("TRNRS")
        {
            ctx.report(
                "W-EMPTY-RESPONSE",
                Severity::Warning,
                el,
                format!("<{}> succeeded but holds no response", el.name()),
            );
        }
        sink.responses.push(Response {
            kind: el.name(),
            transaction_uid: wrapper.transaction_uid,
            status: wrapper.status.clone(),
            extensions: leftovers,
            span: el.span(),
        });
    }
}

/// A payment record (OFX or OFC).
fn read_payment<'t>(
    el: Element<'t>,
    wrapper: Option<Wrapper<'t>>,
    ctx: &mut Ctx<'t>,
) -> Payment<'t> {
    let name = el.name();
    let mut p = Payment {
        kind: name,
        action: action_of(name, wrapper.as_ref()),
        direction: direction(name),
        wrapper,
        server_id: None,
        payee_list_id: None,
        payee_id: None,
        currency: None,
        info: None,
        extended_payee: None,
        check_number: None,
        processing: None,
        recurring_id: None,
        date_posted: None,
        memo: None,
        sync_token: None,
        extensions: Vec::new(),
        span: el.span(),
    };
    // OFC's requests hold PMTINFO's fields directly.
    let flat = matches!(name, "PAYMTRQ" | "INTERRQ");
    let mut flat_info = PaymentInfo::new();
    for child in el.children() {
        let ext = &mut p.extensions;
        match child.name() {
            "SRVRTID" | "SRVRTID2" => ctx.once(&mut p.server_id, child, ext, |c, e| c.text(e)),
            "PAYEELSTID" | "PAYEELSTID2" => {
                ctx.once(&mut p.payee_list_id, child, ext, |c, e| c.text(e))
            }
            "CURDEF" => ctx.once(&mut p.currency, child, ext, |c, e| c.text(e)),
            "PMTINFO" | "PMTINFO2" => {
                ctx.once(&mut p.info, child, ext, |c, e| Some(read_payment_info(e, c)))
            }
            "EXTDPAYEE" => {
                ctx.once(&mut p.extended_payee, child, ext, |c, e| Some(read_extended_payee(e, c)))
            }
            "CHECKNUM" | "CHKNUM" => ctx.once(&mut p.check_number, child, ext, |c, e| c.text(e)),
            "PMTPRCSTS" => {
                ctx.once(&mut p.processing, child, ext, |c, e| Some(read_processing_status(e, c)))
            }
            "RECSRVRTID" | "RECSRVRTID2" => {
                ctx.once(&mut p.recurring_id, child, ext, |c, e| c.text(e))
            }
            "DTPOSTED" if !flat => ctx.once(&mut p.date_posted, child, ext, |c, e| c.date(e)),
            "PAYEEID" if !flat => ctx.once(&mut p.payee_id, child, ext, |c, e| c.text(e)),
            "MEMO" if !flat => {
                if let Some(text) = ctx.text(child) {
                    push_joined(&mut p.memo, text);
                }
            }
            _ if flat => read_info_field(child, ctx, &mut flat_info),
            _ => ctx.keep_extension(&mut p.extensions, child),
        }
    }
    ctx.check_joined(el, &mut p.memo);
    if flat {
        ctx.check_joined(el, &mut flat_info.memo);
        p.info = Some(flat_info);
    }
    p
}

/// `PMTINFO` / `PMTINFO2`.
fn read_payment_info<'t>(el: Element<'t>, ctx: &mut Ctx<'t>) -> PaymentInfo<'t> {
    let mut info = PaymentInfo::new();
    for child in el.children() {
        read_info_field(child, ctx, &mut info);
    }
    ctx.check_joined(el, &mut info.memo);
    if info.payee.is_some() && info.payee_id.is_some() {
        ctx.report(
            "W-PAYEE-AND-PAYEEID",
            Severity::Warning,
            el,
            format!("<{}> names both <PAYEEID> and <PAYEE>: one or the other", el.name()),
        );
    }
    info
}

fn read_info_field<'t>(child: Element<'t>, ctx: &mut Ctx<'t>, i: &mut PaymentInfo<'t>) {
    let ext = &mut i.extensions;
    match child.name() {
        "BANKACCTFROM" | "ACCTFROM" => {
            ctx.once(&mut i.account_from, child, ext, |c, e| Some(read_account(e, c)))
        }
        "TRNAMT" => ctx.once(&mut i.amount, child, ext, |c, e| c.amount(e)),
        "PAYEEID" | "PAYEEID2" => ctx.once(&mut i.payee_id, child, ext, |c, e| c.text(e)),
        "PAYEE" | "PAYEE2" => ctx.once(&mut i.payee, child, ext, |c, e| Some(read_payee(e, c))),
        "PAYEELSTID" | "PAYEELSTID2" => {
            ctx.once(&mut i.payee_list_id, child, ext, |c, e| c.text(e))
        }
        "NAME" => ctx.once(&mut i.name, child, ext, |c, e| c.text(e)),
        "BANKACCTTO" | "ACCTTO" => {
            ctx.once(&mut i.account_to, child, ext, |c, e| Some(read_account(e, c)))
        }
        "PAYACCT" => ctx.once(&mut i.pay_account, child, ext, |c, e| c.text(e)),
        "DTDUE" => ctx.once(&mut i.due, child, ext, |c, e| c.date(e)),
        "MEMO" | "MEMO2" => {
            if let Some(text) = ctx.text(child) {
                if i.memo.is_some() && ctx.dialect != crate::amount::Dialect::Ofc {
                    ctx.report(
                        "W-DUPLICATE-ELEMENT",
                        Severity::Warning,
                        child,
                        "a second <MEMO>; OFX allows one (both kept, joined)".to_owned(),
                    );
                }
                push_joined(&mut i.memo, text);
            }
        }
        "BILLREFINFO" => ctx.once(&mut i.bill_reference, child, ext, |c, e| c.text(e)),
        "BILLID" => ctx.once(&mut i.bill_id, child, ext, |c, e| c.text(e)),
        "BILLPUBINFO" if !child.is_leaf() => {
            for g in child.children() {
                let ext = &mut i.extensions;
                match g.name() {
                    "BILLPUB" => ctx.once(&mut i.bill_publisher, g, ext, |c, e| c.text(e)),
                    "BILLID" => ctx.once(&mut i.bill_id, g, ext, |c, e| c.text(e)),
                    _ => ctx.keep_extension(&mut i.extensions, g),
                }
            }
        }
        _ => ctx.keep_extension(&mut i.extensions, child),
    }
}

fn read_processing_status<'t>(el: Element<'t>, ctx: &mut Ctx<'t>) -> ProcessingStatus<'t> {
    let mut s = ProcessingStatus { code: None, date: None };
    let mut ext = Vec::new();
    for child in el.children() {
        match child.name() {
            "PMTPRCCODE" => ctx.once(&mut s.code, child, &mut ext, |c, e| c.coded::<PmtPrcCode>(e)),
            "DTPMTPRC" => ctx.once(&mut s.date, child, &mut ext, |c, e| c.date(e)),
            _ => ext.push(ctx.extension(child)),
        }
    }
    if !ext.is_empty() {
        ctx.report(
            "W-UNEXPECTED-ELEMENT",
            Severity::Warning,
            el,
            "<PMTPRCSTS> holds elements besides PMTPRCCODE and DTPMTPRC (ignored)".to_owned(),
        );
    }
    s
}

fn read_extended_payee<'t>(el: Element<'t>, ctx: &mut Ctx<'t>) -> ExtendedPayee<'t> {
    let mut x = ExtendedPayee {
        payee_id: None,
        id_scope: None,
        name: None,
        days_to_pay: None,
        extensions: Vec::new(),
    };
    for child in el.children() {
        let ext = &mut x.extensions;
        match child.name() {
            "PAYEEID" | "PAYEEID2" => ctx.once(&mut x.payee_id, child, ext, |c, e| c.text(e)),
            "IDSCOPE" => ctx.once(&mut x.id_scope, child, ext, |c, e| c.coded::<IdScope>(e)),
            "NAME" => ctx.once(&mut x.name, child, ext, |c, e| c.text(e)),
            "DAYSTOPAY" => ctx.once(&mut x.days_to_pay, child, ext, |c, e| c.text(e)),
            _ => ctx.keep_extension(&mut x.extensions, child),
        }
    }
    x
}

/// A recurring-model record.
fn read_recurring<'t>(
    el: Element<'t>,
    wrapper: Option<Wrapper<'t>>,
    ctx: &mut Ctx<'t>,
) -> RecurringPayment<'t> {
    let name = el.name();
    let mut r = RecurringPayment {
        kind: name,
        action: action_of(name, wrapper.as_ref()),
        direction: direction(name),
        wrapper,
        recurring_id: None,
        payee_list_id: None,
        currency: None,
        instructions: None,
        info: None,
        initial_amount: None,
        final_amount: None,
        extended_payee: None,
        modify_pending: None,
        cancel_pending: None,
        sync_token: None,
        extensions: Vec::new(),
        span: el.span(),
    };
    for child in el.children() {
        let ext = &mut r.extensions;
        match child.name() {
            "RECSRVRTID" | "RECSRVRTID2" => {
                ctx.once(&mut r.recurring_id, child, ext, |c, e| c.text(e))
            }
            "PAYEELSTID" | "PAYEELSTID2" => {
                ctx.once(&mut r.payee_list_id, child, ext, |c, e| c.text(e))
            }
            "CURDEF" => ctx.once(&mut r.currency, child, ext, |c, e| c.text(e)),
            "RECURRINST" => {
                ctx.once(&mut r.instructions, child, ext, |c, e| Some(read_instructions(e, c)))
            }
            "PMTINFO" | "PMTINFO2" => {
                ctx.once(&mut r.info, child, ext, |c, e| Some(read_payment_info(e, c)))
            }
            "INITIALAMT" => ctx.once(&mut r.initial_amount, child, ext, |c, e| c.amount(e)),
            "FINALAMT" => ctx.once(&mut r.final_amount, child, ext, |c, e| c.amount(e)),
            "EXTDPAYEE" => {
                ctx.once(&mut r.extended_payee, child, ext, |c, e| Some(read_extended_payee(e, c)))
            }
            "MODPENDING" => ctx.once(&mut r.modify_pending, child, ext, |c, e| c.boolean(e)),
            "CANPENDING" => ctx.once(&mut r.cancel_pending, child, ext, |c, e| c.boolean(e)),
            _ => ctx.keep_extension(&mut r.extensions, child),
        }
    }
    r
}

fn read_instructions<'t>(el: Element<'t>, ctx: &mut Ctx<'t>) -> RecurringInstructions<'t> {
    let mut r = RecurringInstructions {
        instalments: None,
        instalments_raw: None,
        frequency: None,
        extensions: Vec::new(),
    };
    for child in el.children() {
        let ext = &mut r.extensions;
        match child.name() {
            "NINSTS" => ctx.once(&mut r.instalments_raw, child, ext, |c, e| c.text(e)),
            "FREQ" => ctx.once(&mut r.frequency, child, ext, |c, e| c.coded::<Freq>(e)),
            _ => ctx.keep_extension(&mut r.extensions, child),
        }
    }
    if let Some(raw) = r.instalments_raw {
        let el = el.child("NINSTS").unwrap_or(el);
        match instalment_count(raw) {
            Some(0) => {
                r.instalments = Some(0);
                ctx.report(
                    "W-NINSTS-ZERO",
                    Severity::Warning,
                    el,
                    "<NINSTS> is 0: the model makes no payment (an open-ended model has no \
                     <NINSTS>)"
                        .to_owned(),
                );
            }
            Some(n) => r.instalments = Some(n),
            None => ctx.report(
                "E-INTEGER",
                Severity::Error,
                el,
                format!(
                    "<NINSTS> is \"{}\"; a number of instalments (1 to 3 digits)",
                    ofxkit_syntax::shown(raw)
                ),
            ),
        }
    }
    if r.frequency.is_none() {
        ctx.report(
            "W-MISSING-ELEMENT",
            Severity::Warning,
            el,
            "<RECURRINST> has no <FREQ>; the schedule cannot be computed".to_owned(),
        );
    }
    r
}

/// `NINSTS` as a number: one to three digits (the DTDs' `I-3`, the 2.x schema's
/// `NumberOfInstructionsType`: `[0-9]+`, at most 3 characters after white space is collapsed),
/// so 0 to 999. Anything else (a sign, a fourth digit, `4294967295`) is not a count: `None`.
/// Zero is a count, of no payment; the caller reports it.
pub(crate) fn instalment_count(raw: &str) -> Option<u32> {
    let digits = raw.trim();
    if digits.is_empty() || digits.len() > 3 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// A payee-list record (OFX `PAYEERQ`…`PAYEEDELRS`, OFC `PAYEERQ`/`PAYEERS`).
fn read_payee_record<'t>(
    el: Element<'t>,
    wrapper: Option<Wrapper<'t>>,
    ctx: &mut Ctx<'t>,
) -> PayeeRecord<'t> {
    let name = el.name();
    let mut r = PayeeRecord {
        kind: name,
        list_id: None,
        payee_id: None,
        payee: None,
        pay_accounts: Vec::new(),
        days_to_pay: None,
        days_with: None,
        account_to: None,
        status: wrapper.as_ref().and_then(|w| w.status.clone()),
        extensions: Vec::new(),
        span: el.span(),
        action: action_of(name, wrapper.as_ref()),
        direction: direction(name),
        wrapper,
        extended_payee: None,
        modify_pending: None,
        sync_token: None,
    };
    for child in el.children() {
        let ext = &mut r.extensions;
        match child.name() {
            "PAYEELSTID" | "PAYEELSTID2" => ctx.once(&mut r.list_id, child, ext, |c, e| c.text(e)),
            "PAYEEID" | "PAYEEID2" => ctx.once(&mut r.payee_id, child, ext, |c, e| c.text(e)),
            "PAYEE" | "PAYEE2" => ctx.once(&mut r.payee, child, ext, |c, e| Some(read_payee(e, c))),
            "PAYACCT" => r.pay_accounts.extend(ctx.text(child)),
            "DAYSREQD" => ctx.once(&mut r.days_to_pay, child, ext, |c, e| c.text(e)),
            "DAYSWITH" => ctx.once(&mut r.days_with, child, ext, |c, e| c.text(e)),
            "EXTDPAYEE" => {
                ctx.once(&mut r.extended_payee, child, ext, |c, e| Some(read_extended_payee(e, c)))
            }
            "MODPENDING" => ctx.once(&mut r.modify_pending, child, ext, |c, e| c.boolean(e)),
            "BANKACCTTO" | "ACCTTO" => {
                ctx.once(&mut r.account_to, child, ext, |c, e| Some(read_account(e, c)))
            }
            _ => ctx.keep_extension(&mut r.extensions, child),
        }
    }
    if let Some(x) = &r.extended_payee {
        if r.days_to_pay.is_none() {
            r.days_to_pay = x.days_to_pay;
        }
        if r.payee_id.is_none() {
            r.payee_id = x.payee_id;
        }
    }
    r
}

/// A synchronization request or response (`PMTSYNCRQ`/`RS`, `PAYEESYNCRQ`/`RS`,
/// `RECPMTSYNCRQ`/`RS`).
pub(crate) fn read_sync<'t>(el: Element<'t>, kind: SyncKind, ctx: &mut Ctx<'t>) -> SyncMessage<'t> {
    let name = el.name();
    let mut m = SyncMessage {
        kind: name,
        entity: kind,
        direction: direction(name),
        token: None,
        token_only: None,
        refresh: None,
        reject_if_missing: None,
        lost_sync: None,
        sync_error: None,
        account: None,
        payments: Vec::new(),
        payees: Vec::new(),
        recurring: Vec::new(),
        responses: Vec::new(),
        extensions: Vec::new(),
        span: el.span(),
    };
    for child in el.children() {
        let ext = &mut m.extensions;
        match child.name() {
            "TOKEN" | "TOKEN2" => ctx.once(&mut m.token, child, ext, |c, e| c.text(e)),
            "TOKENONLY" => ctx.once(&mut m.token_only, child, ext, |c, e| c.boolean(e)),
            "REFRESH" => ctx.once(&mut m.refresh, child, ext, |c, e| c.boolean(e)),
            "REJECTIFMISSING" => {
                ctx.once(&mut m.reject_if_missing, child, ext, |c, e| c.boolean(e))
            }
            "LOSTSYNC" => ctx.once(&mut m.lost_sync, child, ext, |c, e| c.boolean(e)),
            "SYNCERROR" => ctx.once(&mut m.sync_error, child, ext, |c, e| c.text(e)),
            "BANKACCTFROM" | "CCACCTFROM" => {
                ctx.once(&mut m.account, child, ext, |c, e| Some(read_account(e, c)))
            }
            _ if OFX_WRAPPERS.contains(&child.name()) => {
                let mut sink = Sink {
                    payments: &mut m.payments,
                    payees: &mut m.payees,
                    recurring: &mut m.recurring,
                    responses: &mut m.responses,
                };
                read_billpay_wrapper(child, ctx, &mut sink);
            }
            _ => ctx.keep_extension(&mut m.extensions, child),
        }
    }
    for p in &mut m.payments {
        p.sync_token = m.token;
    }
    for p in &mut m.payees {
        p.sync_token = m.token;
    }
    for r in &mut m.recurring {
        r.sync_token = m.token;
    }
    check_sync(el, &m, ctx);
    m
}

fn check_sync<'t>(el: Element<'t>, m: &SyncMessage<'t>, ctx: &mut Ctx<'t>) {
    match m.direction {
        Direction::Request => {
            let chosen = [m.token.is_some(), m.token_only == Some(true), m.refresh == Some(true)]
                .iter()
                .filter(|b| **b)
                .count();
            if chosen != 1 {
                ctx.report(
                    "W-SYNC-CHOICE",
                    Severity::Warning,
                    el,
                    format!(
                        "<{}> needs exactly one of <TOKEN>, <TOKENONLY>Y and <REFRESH>Y ({chosen} given)",
                        el.name()
                    ),
                );
            }
            if m.reject_if_missing == Some(true) && m.token.is_none() {
                ctx.report(
                    "W-SYNC-REJECTIFMISSING",
                    Severity::Warning,
                    el,
                    "<REJECTIFMISSING>Y needs a <TOKEN>; a server answers status 6500".to_owned(),
                );
            }
        }
        Direction::Response => {
            if m.token.is_none() {
                ctx.report(
                    "W-SYNC-NO-TOKEN",
                    Severity::Warning,
                    el,
                    format!("<{}> has no <TOKEN>: the client cannot continue from it", el.name()),
                );
            }
            if m.lost_sync == Some(true) {
                ctx.report(
                    "W-LOST-SYNC",
                    Severity::Warning,
                    el,
                    format!(
                        "<{}> says LOSTSYNC: the token sent was older than the server's history; \
                         the client must synchronize again with <REFRESH>Y",
                        el.name()
                    ),
                );
            }
        }
    }
    if m.entity != SyncKind::Payees && m.account.is_none() {
        ctx.report(
            "W-NO-ACCOUNT",
            Severity::Warning,
            el,
            format!("<{}> names no account (<BANKACCTFROM>)", el.name()),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::instalment_count;

    /// One line per case: the I-3 rule (one to three digits) and nothing else.
    #[test]
    fn ninsts_is_one_to_three_digits() {
        let cases: &[(&str, Option<u32>)] = &[
            ("12", Some(12)),
            (" 7 ", Some(7)),
            ("007", Some(7)),
            ("999", Some(999)),
            ("0", Some(0)),
            ("1000", None),
            ("0012", None),
            ("4294967295", None),
            ("4294967296", None),
            ("+5", None),
            ("-1", None),
            ("1.0", None),
            ("", None),
            ("  ", None),
            ("twelve", None),
            ("1 2", None),
            ("\u{1b}1", None),
        ];
        for &(raw, expect) in cases {
            assert_eq!(instalment_count(raw), expect, "{raw:?}");
        }
    }
}
