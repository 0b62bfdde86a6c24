//! Statements and their transactions.

use ofxkit_syntax::{Element, Severity, Tree};

use crate::amount::Dialect;
use crate::codes::ofc::OfcTrnType;
use crate::codes::ofx::{CorrectAction, Inv401kSource, TrnType};
use crate::model::{
    Balance, BalanceItem, Currency, PendingTransaction, Statement, StatementKind, Status,
    Transaction,
};
use crate::read::accounts::{read_account, read_payee};
use crate::read::invest::{read_invbal, read_invtranlist, read_positions};
use crate::read::values::ofc_trntype_mapping;
use crate::read::{Ctx, push_joined};
use crate::transaction_fields::{Field, Kind};

fn empty_statement<'t>(el: Element<'t>, kind: StatementKind) -> Statement<'t> {
    Statement {
        kind,
        transaction_uid: None,
        status: None,
        currency: None,
        account: None,
        start: None,
        end: None,
        as_of: None,
        transactions: Vec::new(),
        pending: Vec::new(),
        pending_as_of: None,
        transaction_nodes: Vec::new(),
        folded: Default::default(),
        ledger_balance: None,
        available_balance: None,
        balances: Vec::new(),
        investment_transactions: Vec::new(),
        positions: Vec::new(),
        investment_balance: None,
        marketing_info: None,
        extensions: Vec::new(),
        span: el.span(),
        ordinal: 0,
        element: el.id(),
    }
}

/// OFX `STMTRS`, `CCSTMTRS`, `INVSTMTRS`. With `with_transactions` false, `STMTTRN`s are
/// left for [`transaction_elements`] (streaming conversion).
pub(crate) fn read_statement<'t>(
    el: Element<'t>,
    uid: Option<&'t str>,
    status: Option<Status<'t>>,
    ctx: &mut Ctx<'t>,
    with_transactions: bool,
) -> Statement<'t> {
    let kind = match el.name() {
        "CCSTMTRS" => StatementKind::CreditCard,
        "INVSTMTRS" => StatementKind::Investment,
        _ => StatementKind::Bank,
    };
    let mut s = empty_statement(el, kind);
    s.transaction_uid = uid;
    s.status = status.map(Box::new);
    for child in el.children() {
        let ext = &mut s.extensions;
        match child.name() {
            "CURDEF" => ctx.once(&mut s.currency, child, ext, |c, e| c.text(e)),
            "BANKACCTFROM" | "CCACCTFROM" | "INVACCTFROM" | "LOANACCTFROM" => {
                ctx.once(&mut s.account, child, ext, |c, e| Some(read_account(e, c)))
            }
            "DTASOF" => ctx.once(&mut s.as_of, child, ext, |c, e| c.date(e).map(Box::new)),
            "BANKTRANLIST" => read_tranlist(child, &mut s, ctx, with_transactions),
            "BANKTRANLISTP" => read_pending_list(child, &mut s, ctx),
            "INVTRANLIST" => read_invtranlist(child, &mut s, ctx, with_transactions),
            "INVPOSLIST" => s.positions.extend(read_positions(child, ctx)),
            "INVBAL" => ctx.once(&mut s.investment_balance, child, ext, |c, e| {
                Some(Box::new(read_invbal(e, c)))
            }),
            "LEDGERBAL" => {
                ctx.once(&mut s.ledger_balance, child, ext, |c, e| Some(read_balance(e, c)))
            }
            "AVAILBAL" => {
                ctx.once(&mut s.available_balance, child, ext, |c, e| Some(read_balance(e, c)))
            }
            "BALLIST" => s.balances.extend(read_ballist(child, ctx)),
            "MKTGINFO" => ctx.once(&mut s.marketing_info, child, ext, |c, e| c.text(e)),
            "STMTTRN" if kind != StatementKind::Investment && child.is_leaf() => {
                ctx.text_for_aggregate(child, ext)
            }
            "STMTTRN" if kind != StatementKind::Investment => {
                ctx.report(
                    "W-MISPLACED-TRANSACTION",
                    Severity::Warning,
                    child,
                    format!(
                        "<STMTTRN> directly inside <{}>, not in <BANKTRANLIST>: read as one of \
                         its transactions",
                        el.name()
                    ),
                );
                if with_transactions {
                    let t = read_transaction(child, ctx);
                    ctx.keep_transaction(&mut s, t, child, None);
                } else {
                    s.transaction_nodes.push((child.id(), None));
                }
            }
            _ => ctx.keep_extension(&mut s.extensions, child),
        }
    }
    if s.account.is_none() {
        ctx.report(
            "W-NO-ACCOUNT",
            Severity::Warning,
            el,
            format!("<{}> names no account", el.name()),
        );
    }
    s
}

/// OFC `ACCTSTMT` (ACCTFROM + STMTRS), or a bare OFC `STMTRS` inside a `TRNRS` (as some
/// banks write statement files), with the wrapper's CLTID and status.
pub(crate) fn read_ofc_statement<'t>(
    el: Element<'t>,
    wrapper: Option<(Option<&'t str>, Option<Status<'t>>)>,
    ctx: &mut Ctx<'t>,
    with_transactions: bool,
) -> Statement<'t> {
    let mut s = empty_statement(el, StatementKind::Bank);
    if let Some((uid, status)) = wrapper {
        s.transaction_uid = uid;
        s.status = status.map(Box::new);
    }
    let stmtrs: Vec<Element<'t>> = if el.name() == "STMTRS" {
        vec![el]
    } else {
        let mut found = Vec::new();
        for child in el.children() {
            let ext = &mut s.extensions;
            match child.name() {
                "ACCTFROM" => ctx.once(&mut s.account, child, ext, |c, e| Some(read_account(e, c))),
                "STMTRS" => found.push(child),
                _ => ctx.keep_extension(&mut s.extensions, child),
            }
        }
        found
    };
    if stmtrs.len() > 1 {
        ctx.report(
            "W-DUPLICATE-ELEMENT",
            Severity::Warning,
            el,
            "more than one <STMTRS>; all are read".to_owned(),
        );
    }
    for rs in stmtrs {
        for child in rs.children() {
            let ext = &mut s.extensions;
            match child.name() {
                "DTSTART" => ctx.once(&mut s.start, child, ext, |c, e| c.date(e)),
                "DTEND" => ctx.once(&mut s.end, child, ext, |c, e| c.date(e)),
                "LEDGER" => ctx.once(&mut s.ledger_balance, child, ext, |c, e| {
                    Some(Balance { amount: c.amount(e), as_of: None, extensions: Vec::new() })
                }),
                "STMTTRN" if child.is_leaf() => ctx.text_for_aggregate(child, ext),
                "STMTTRN" => {
                    if with_transactions {
                        let t = read_transaction(child, ctx);
                        ctx.keep_transaction(&mut s, t, child, None);
                    } else {
                        s.transaction_nodes.push((child.id(), None));
                    }
                }
                "BANKTRANLIST" => read_tranlist(child, &mut s, ctx, with_transactions),
                _ => ctx.keep_extension(&mut s.extensions, child),
            }
        }
    }
    if let Some(account) = &s.account {
        if account.kind == crate::model::AccountKind::CreditCard {
            s.kind = StatementKind::CreditCard;
        }
    } else if ctx.dialect == Dialect::Ofc {
        ctx.report(
            "W-NO-ACCOUNT",
            Severity::Warning,
            el,
            "the OFC statement names no account (no <ACCTFROM>)".to_owned(),
        );
    }
    s
}

fn read_tranlist<'t>(
    el: Element<'t>,
    s: &mut Statement<'t>,
    ctx: &mut Ctx<'t>,
    with_transactions: bool,
) {
    for child in el.children() {
        let ext = &mut s.extensions;
        match child.name() {
            "DTSTART" => ctx.once(&mut s.start, child, ext, |c, e| c.date(e)),
            "DTEND" => ctx.once(&mut s.end, child, ext, |c, e| c.date(e)),
            "STMTTRN" if child.is_leaf() => ctx.text_for_aggregate(child, ext),
            "STMTTRN" => {
                if with_transactions {
                    let t = read_transaction(child, ctx);
                    ctx.keep_transaction(s, t, child, None);
                } else {
                    s.transaction_nodes.push((child.id(), None));
                }
            }
            _ => ctx.keep_extension(&mut s.extensions, child),
        }
    }
}

/// The `STMTTRN` elements of a statement read without its transactions, with the
/// `SUBACCTFUND` of an `INVBANKTRAN`: exactly those the readers would have read, in file order.
pub(crate) fn transaction_elements<'t>(
    tree: &'t Tree<'t>,
    statement: &Statement<'_>,
) -> Vec<(Element<'t>, Option<Element<'t>>)> {
    statement
        .transaction_nodes
        .iter()
        .filter_map(|(t, fund)| Some((tree.get(*t)?, fund.and_then(|f| tree.get(f)))))
        .collect()
}

/// One `STMTTRN` (OFX) or `STMTTRN`/`GENTRN` (OFC).
pub(crate) fn read_transaction<'t>(el: Element<'t>, ctx: &mut Ctx<'t>) -> Transaction<'t> {
    let mut t = Transaction::new(el.span());
    read_transaction_fields(el, ctx, &mut t);
    ctx.check_joined(el, &mut t.memo);
    if t.name.is_some() && t.payee.is_some() {
        ctx.report(
            "W-NAME-AND-PAYEE",
            Severity::Warning,
            el,
            "both <NAME> and <PAYEE>: OFX and OFC allow one or the other".to_owned(),
        );
    }
    t
}

/// Reads the children of `el` into `t`, each by its field's kind
/// ([`crate::transaction_fields`]); a tag that is no field is kept as an extension.
fn read_transaction_fields<'t>(el: Element<'t>, ctx: &mut Ctx<'t>, t: &mut Transaction<'t>) {
    for child in el.children() {
        let Some(field) = Field::of_tag(child.name()) else {
            ctx.keep_extension(&mut t.extensions, child);
            continue;
        };
        match field.kind() {
            Kind::Text => {
                if let Some((member, ext)) = t.text_mut(field) {
                    ctx.once(member, child, ext, |c, e| c.text(e));
                }
            }
            Kind::Date => {
                if let Some((member, ext)) = t.date_mut(field) {
                    ctx.once(member, child, ext, |c, e| c.date(e));
                }
            }
            Kind::Amount => {
                if let Some((member, ext)) = t.amount_mut(field) {
                    ctx.once(member, child, ext, |c, e| c.amount(e));
                }
            }
            // OFC: the last one wins, mapped to its OFX name.
            Kind::TrnType if ctx.dialect == Dialect::Ofc => {
                let code = ctx.coded::<OfcTrnType>(child);
                if let Some(code) = &code {
                    t.trntype = ofc_trntype_mapping(code);
                }
                t.ofc_trntype = code;
            }
            Kind::TrnType => {
                ctx.once(&mut t.trntype, child, &mut t.extensions, |c, e| c.coded::<TrnType>(e))
            }
            Kind::CorrectAction => {
                ctx.once(&mut t.correct_action, child, &mut t.extensions, |c, e| {
                    c.coded::<CorrectAction>(e)
                })
            }
            Kind::Inv401kSource => {
                ctx.once(&mut t.inv401k_source, child, &mut t.extensions, |c, e| {
                    c.coded::<Inv401kSource>(e)
                })
            }
            Kind::JoinedText => {
                if let Some(text) = ctx.text(child) {
                    if t.memo.is_some() && ctx.dialect != Dialect::Ofc {
                        ctx.report(
                            "W-DUPLICATE-ELEMENT",
                            Severity::Warning,
                            child,
                            "a second <MEMO>; OFX allows one (both kept, joined)".to_owned(),
                        );
                    }
                    push_joined(&mut t.memo, text);
                }
            }
            Kind::Payee => ctx.once(&mut t.payee, child, &mut t.extensions, |c, e| {
                Some(Box::new(read_payee(e, c)))
            }),
            Kind::Account => ctx.once(&mut t.account_to, child, &mut t.extensions, |c, e| {
                Some(Box::new(read_account(e, c)))
            }),
            Kind::Currency => ctx.once(&mut t.currency, child, &mut t.extensions, |c, e| {
                Some(Box::new(read_currency(e, c)))
            }),
            Kind::Fields if !child.is_leaf() => read_transaction_fields(child, ctx, t),
            Kind::Fields => ctx.keep_extension(&mut t.extensions, child),
        }
    }
}

fn read_pending_list<'t>(el: Element<'t>, s: &mut Statement<'t>, ctx: &mut Ctx<'t>) {
    for child in el.children() {
        match child.name() {
            "STMTTRNP" => s.pending.push(read_pending(child, ctx)),
            "DTASOF" => ctx.once(&mut s.pending_as_of, child, &mut s.extensions, |c, e| {
                c.date(e).map(Box::new)
            }),
            _ => ctx.keep_extension(&mut s.extensions, child),
        }
    }
}

fn read_pending<'t>(el: Element<'t>, ctx: &mut Ctx<'t>) -> PendingTransaction<'t> {
    let mut p = PendingTransaction {
        trntype: None,
        date: None,
        expires: None,
        amount: None,
        reference: None,
        name: None,
        extended_name: None,
        memo: None,
        currency: None,
        extensions: Vec::new(),
        span: el.span(),
    };
    for child in el.children() {
        let ext = &mut p.extensions;
        match child.name() {
            "TRNTYPE" => ctx.once(&mut p.trntype, child, ext, |c, e| c.coded::<TrnType>(e)),
            "DTTRAN" => ctx.once(&mut p.date, child, ext, |c, e| c.date(e)),
            "DTEXPIRE" => ctx.once(&mut p.expires, child, ext, |c, e| c.date(e)),
            "TRNAMT" => ctx.once(&mut p.amount, child, ext, |c, e| c.amount(e)),
            "REFNUM" => ctx.once(&mut p.reference, child, ext, |c, e| c.text(e)),
            "NAME" => ctx.once(&mut p.name, child, ext, |c, e| c.text(e)),
            "EXTDNAME" => ctx.once(&mut p.extended_name, child, ext, |c, e| c.text(e)),
            "MEMO" => ctx.once(&mut p.memo, child, ext, |c, e| c.text(e)),
            "CURRENCY" | "ORIGCURRENCY" => {
                ctx.once(&mut p.currency, child, ext, |c, e| Some(read_currency(e, c)))
            }
            _ => ctx.keep_extension(&mut p.extensions, child),
        }
    }
    p
}

pub(crate) fn read_balance<'t>(el: Element<'t>, ctx: &mut Ctx<'t>) -> Balance<'t> {
    let mut b = Balance { amount: None, as_of: None, extensions: Vec::new() };
    for child in el.children() {
        let ext = &mut b.extensions;
        match child.name() {
            "BALAMT" => ctx.once(&mut b.amount, child, ext, |c, e| c.amount(e)),
            "DTASOF" => ctx.once(&mut b.as_of, child, ext, |c, e| c.date(e)),
            _ => ctx.keep_extension(ext, child),
        }
    }
    b
}

pub(crate) fn read_ballist<'t>(el: Element<'t>, ctx: &mut Ctx<'t>) -> Vec<BalanceItem<'t>> {
    el.children()
        .filter(|c| c.name() == "BAL")
        .map(|bal| {
            let mut b = BalanceItem {
                name: None,
                description: None,
                balance_type: None,
                value: None,
                as_of: None,
                extensions: Vec::new(),
            };
            for child in bal.children() {
                let ext = &mut b.extensions;
                match child.name() {
                    "NAME" => ctx.once(&mut b.name, child, ext, |c, e| c.text(e)),
                    "DESC" => ctx.once(&mut b.description, child, ext, |c, e| c.text(e)),
                    "BALTYPE" => ctx.once(&mut b.balance_type, child, ext, |c, e| c.text(e)),
                    "VALUE" => ctx.once(&mut b.value, child, ext, |c, e| c.amount(e)),
                    "DTASOF" => ctx.once(&mut b.as_of, child, ext, |c, e| c.date(e)),
                    _ => ctx.keep_extension(&mut b.extensions, child),
                }
            }
            b
        })
        .collect()
}

pub(crate) fn read_currency<'t>(el: Element<'t>, ctx: &mut Ctx<'t>) -> Currency<'t> {
    let mut cur = Currency {
        rate: None,
        symbol: None,
        original: el.name() == "ORIGCURRENCY",
        extensions: Vec::new(),
    };
    for child in el.children() {
        let ext = &mut cur.extensions;
        match child.name() {
            "CURRATE" => ctx.once(&mut cur.rate, child, ext, |c, e| c.amount(e)),
            "CURSYM" => ctx.once(&mut cur.symbol, child, ext, |c, e| c.text(e)),
            _ => ctx.keep_extension(ext, child),
        }
    }
    cur
}
