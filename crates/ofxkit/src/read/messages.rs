//! The root, message sets and transaction wrappers.

use ofxkit_syntax::{Element, Severity, shown};

use crate::model::{Model, Response, Signon, Status, SyncKind};
use crate::read::Ctx;
use crate::read::accounts::{read_account_info, read_institution};
use crate::read::billpay;
use crate::read::invest::read_security_list;
use crate::read::statement::{read_ofc_statement, read_statement};
use crate::read::values::{ofc_status, ofx_status};

const STATEMENTS: [&str; 3] = ["STMTRS", "CCSTMTRS", "INVSTMTRS"];

pub(crate) fn read_root<'t>(
    root: Element<'t>,
    ctx: &mut Ctx<'t>,
    model: &mut Model<'t>,
    with_transactions: bool,
) {
    for child in root.children() {
        let name = child.name();
        match name {
            "DTD" | "CPAGE" if ctx.dialect == crate::amount::Dialect::Ofc => {}
            "SONRS" => {
                let s = read_signon(child, ctx);
                set_signon(model, s, child, ctx);
            }
            "ACCTSTMT" => {
                let statement = read_ofc_statement(child, None, ctx, with_transactions);
                ctx.push_statement(&mut model.statements, statement);
            }
            "TRNRS" | "MAINTRS" | "TRNRQ" | "MAINTRQ" => {
                read_wrapper(child, ctx, model, with_transactions)
            }
            _ if is_message_set(name) => read_message_set(child, ctx, model, with_transactions),
            _ if STATEMENTS.contains(&name) => {
                let statement = read_statement(child, None, None, ctx, with_transactions);
                ctx.push_statement(&mut model.statements, statement);
            }
            _ => ctx.keep_extension(&mut model.extensions, child),
        }
    }
}

fn is_message_set(name: &str) -> bool {
    ["MSGSRSV1", "MSGSRSV2", "MSGSRQV1", "MSGSRQV2"].iter().any(|s| name.ends_with(s))
}

fn set_signon<'t>(model: &mut Model<'t>, s: Signon<'t>, el: Element<'t>, ctx: &mut Ctx<'t>) {
    if model.signon.is_some() {
        ctx.report(
            "W-DUPLICATE-ELEMENT",
            Severity::Warning,
            el,
            "a second sign-on response; the first one is used".to_owned(),
        );
        ctx.keep_extension(&mut model.extensions, el);
    } else {
        model.signon = Some(s);
    }
}

fn read_message_set<'t>(
    set: Element<'t>,
    ctx: &mut Ctx<'t>,
    model: &mut Model<'t>,
    with_transactions: bool,
) {
    for child in set.children() {
        let name = child.name();
        if let Some(kind) = SyncKind::of(name) {
            model.sync.push(billpay::read_sync(child, kind, ctx));
            continue;
        }
        match name {
            "SONRS" => {
                let s = read_signon(child, ctx);
                set_signon(model, s, child, ctx);
            }
            "SECLIST" => model.securities.extend(read_security_list(child, ctx)),
            _ if STATEMENTS.contains(&name) => {
                let statement = read_statement(child, None, None, ctx, with_transactions);
                ctx.push_statement(&mut model.statements, statement);
            }
            _ if name.ends_with("TRNRS")
                || name.ends_with("TRNRQ")
                || name.ends_with("SYNCRS")
                || name.ends_with("SYNCRQ") =>
            {
                read_wrapper(child, ctx, model, with_transactions)
            }
            _ => ctx.keep_extension(&mut model.extensions, child),
        }
    }
}

/// A transaction wrapper: TRNUID (OFC CLTID), STATUS (OFC STATUS + ERROR), and one
/// response or request inside.
fn read_wrapper<'t>(
    wrapper: Element<'t>,
    ctx: &mut Ctx<'t>,
    model: &mut Model<'t>,
    with_transactions: bool,
) {
    if billpay::is_billpay_wrapper(wrapper) {
        billpay::read_billpay_wrapper(wrapper, ctx, &mut billpay::Sink::of(model));
        return;
    }
    let mut uid = None;
    let mut status: Option<Status<'t>> = None;
    let mut ofc_error = None;
    let mut ofc_status_el = None;
    let mut rest = Vec::new();
    for child in wrapper.children() {
        match child.name() {
            "TRNUID" | "CLTID" => uid = ctx.text(child),
            "STATUS" if child.is_leaf() => ofc_status_el = Some(child),
            "STATUS" => status = Some(ofx_status(child, ctx)),
            "ERROR" => ofc_error = ctx.text(child),
            _ => rest.push(child),
        }
    }
    if let Some(el) = ofc_status_el {
        status = Some(ofc_status(el, ofc_error, ctx));
    }
    if let Some(s) = &status
        && s.is_error
    {
        {
            let meaning = s.meaning.unwrap_or("unknown code");
            let message = s.message.map(|m| format!(": {}", shown(m))).unwrap_or_default();
            ctx.report(
                "W-STATUS-ERROR",
                Severity::Warning,
                wrapper,
                format!(
                    "<{}> reports status {} ({meaning}){message}",
                    wrapper.name(),
                    shown(s.code_text)
                ),
            );
        }
    }
    let mut response = Response {
        kind: wrapper.name(),
        transaction_uid: uid,
        status: status.clone(),
        extensions: Vec::new(),
        span: wrapper.span(),
    };
    let mut expanded = false;
    let mut unknown = false;
    for child in rest {
        let name = child.name();
        if STATEMENTS.contains(&name) {
            if name == "STMTRS" && ctx.dialect == crate::amount::Dialect::Ofc {
                let statement =
                    read_ofc_statement(child, Some((uid, status.clone())), ctx, with_transactions);
                ctx.push_statement(&mut model.statements, statement);
            } else {
                let statement = read_statement(child, uid, status.clone(), ctx, with_transactions);
                ctx.push_statement(&mut model.statements, statement);
            }
            expanded = true;
        } else if name == "ACCTINFORS" {
            model.account_lists.extend(read_account_info(child, ctx));
            expanded = true;
        } else {
            unknown = true;
            ctx.keep_extension(&mut response.extensions, child);
        }
    }
    if !expanded || unknown {
        model.responses.push(response);
    }
}

fn read_signon<'t>(el: Element<'t>, ctx: &mut Ctx<'t>) -> Signon<'t> {
    let mut s = Signon {
        status: None,
        server_date: None,
        language: None,
        institution: None,
        user_key: None,
        session_key: None,
        profile_updated: None,
        accounts_updated: None,
        services: Vec::new(),
        extensions: Vec::new(),
    };
    let mut ofc_status_el = None;
    let mut ofc_error = None;
    for child in el.children() {
        let ext = &mut s.extensions;
        match child.name() {
            "STATUS" if child.is_leaf() => ofc_status_el = Some(child),
            "STATUS" => ctx.once(&mut s.status, child, ext, |c, e| Some(ofx_status(e, c))),
            "ERROR" => ofc_error = ctx.text(child),
            "DTSERVER" => ctx.once(&mut s.server_date, child, ext, |c, e| c.date(e)),
            "LANGUAGE" => ctx.once(&mut s.language, child, ext, |c, e| c.text(e)),
            "FI" => ctx.once(&mut s.institution, child, ext, |c, e| Some(read_institution(e, c))),
            "USERKEY" => ctx.once(&mut s.user_key, child, ext, |c, e| c.secret(e)),
            "SESSKEY" => ctx.once(&mut s.session_key, child, ext, |c, e| c.secret(e)),
            "DTPROFUP" => ctx.once(&mut s.profile_updated, child, ext, |c, e| c.date(e)),
            "DTACCTUP" => ctx.once(&mut s.accounts_updated, child, ext, |c, e| c.date(e)),
            "SERVICE" => s.services.extend(ctx.text(child)),
            _ => ctx.keep_extension(&mut s.extensions, child),
        }
    }
    if let Some(el) = ofc_status_el {
        s.status = Some(ofc_status(el, ofc_error, ctx));
    }
    if let Some(st) = &s.status
        && st.is_error
    {
        {
            ctx.report(
                "W-STATUS-ERROR",
                Severity::Warning,
                el,
                format!(
                    "sign-on failed: status {} ({}){}",
                    shown(st.code_text),
                    st.meaning.unwrap_or("unknown code"),
                    st.message.map(|m| format!(": {}", shown(m))).unwrap_or_default()
                ),
            );
        }
    }
    s
}
