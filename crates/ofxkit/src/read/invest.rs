//! Investment transactions, positions, balances and the security list.

use ofxkit_syntax::Element;

use crate::codes::ofx::{IncomeType, Inv401kSource, PosType, SubAccountType};
use crate::model::{
    InvestmentBalance, InvestmentTransaction, Position, Security, SecurityId, Statement,
};
use crate::read::Ctx;
use crate::read::statement::{read_ballist, read_currency, read_transaction};

/// Containers whose children are read as if they sat in the enclosing aggregate.
const FLATTENED: [&str; 5] = ["INVBUY", "INVSELL", "INVTRAN", "INVPOS", "SECINFO"];

pub(crate) fn read_security_id<'t>(el: Element<'t>, ctx: &mut Ctx<'t>) -> SecurityId<'t> {
    let mut id = SecurityId { unique_id: None, unique_id_type: None };
    let mut ext = Vec::new();
    for child in el.children() {
        match child.name() {
            "UNIQUEID" => ctx.once(&mut id.unique_id, child, &mut ext, |c, e| c.text(e)),
            "UNIQUEIDTYPE" => ctx.once(&mut id.unique_id_type, child, &mut ext, |c, e| c.text(e)),
            _ => ext.push(ctx.extension(child)),
        }
    }
    id
}

/// `INVTRANLIST`: DTSTART, DTEND, then investment transactions and `INVBANKTRAN`s.
pub(crate) fn read_invtranlist<'t>(
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
            "INVBANKTRAN" => {
                let fund_el = child.child("SUBACCTFUND");
                let fund = fund_el.and_then(|f| ctx.text(f));
                for g in child.children() {
                    match g.name() {
                        "STMTTRN" if !with_transactions => {
                            s.transaction_nodes.push((g.id(), fund_el.map(|f| f.id())));
                        }
                        "STMTTRN" => {
                            let mut t = read_transaction(g, ctx);
                            t.sub_account_fund = fund;
                            ctx.keep_transaction(s, t, g, fund_el);
                        }
                        "SUBACCTFUND" => {}
                        _ => ctx.keep_extension(&mut s.extensions, g),
                    }
                }
            }
            _ if !child.is_leaf() => s.investment_transactions.push(read_invtran(child, ctx)),
            _ => ctx.keep_extension(&mut s.extensions, child),
        }
    }
}

fn read_invtran<'t>(el: Element<'t>, ctx: &mut Ctx<'t>) -> InvestmentTransaction<'t> {
    let mut t = InvestmentTransaction {
        kind: el.name(),
        fitid: None,
        server_id: None,
        date_trade: None,
        date_settle: None,
        memo: None,
        security: None,
        units: None,
        unit_price: None,
        commission: None,
        fees: None,
        taxes: None,
        load: None,
        withholding: None,
        total: None,
        income_type: None,
        action: None,
        sub_account_security: None,
        sub_account_fund: None,
        position_type: None,
        inv401k_source: None,
        currency: None,
        extensions: Vec::new(),
        problems: Vec::new(),
        span: el.span(),
    };
    read_invtran_fields(el, ctx, &mut t);
    t
}

fn read_invtran_fields<'t>(el: Element<'t>, ctx: &mut Ctx<'t>, t: &mut InvestmentTransaction<'t>) {
    for child in el.children() {
        let ext = &mut t.extensions;
        match child.name() {
            n if FLATTENED.contains(&n) && !child.is_leaf() => read_invtran_fields(child, ctx, t),
            "FITID" => ctx.once(&mut t.fitid, child, ext, |c, e| c.text(e)),
            "SRVRTID" => ctx.once(&mut t.server_id, child, ext, |c, e| c.text(e)),
            "DTTRADE" => ctx.once(&mut t.date_trade, child, ext, |c, e| c.date(e)),
            "DTSETTLE" => ctx.once(&mut t.date_settle, child, ext, |c, e| c.date(e)),
            "MEMO" => ctx.once(&mut t.memo, child, ext, |c, e| c.text(e)),
            "SECID" => ctx.once(&mut t.security, child, ext, |c, e| Some(read_security_id(e, c))),
            "UNITS" => ctx.once(&mut t.units, child, ext, |c, e| c.amount(e)),
            "UNITPRICE" => ctx.once(&mut t.unit_price, child, ext, |c, e| c.amount(e)),
            "COMMISSION" => ctx.once(&mut t.commission, child, ext, |c, e| c.amount(e)),
            "FEES" => ctx.once(&mut t.fees, child, ext, |c, e| c.amount(e)),
            "TAXES" => ctx.once(&mut t.taxes, child, ext, |c, e| c.amount(e)),
            "LOAD" => ctx.once(&mut t.load, child, ext, |c, e| c.amount(e)),
            "WITHHOLDING" => ctx.once(&mut t.withholding, child, ext, |c, e| c.amount(e)),
            "TOTAL" => ctx.once(&mut t.total, child, ext, |c, e| c.amount(e)),
            "INCOMETYPE" => {
                ctx.once(&mut t.income_type, child, ext, |c, e| c.coded::<IncomeType>(e))
            }
            "BUYTYPE" | "SELLTYPE" | "OPTBUYTYPE" | "OPTSELLTYPE" | "TFERACTION" | "OPTACTION" => {
                ctx.once(&mut t.action, child, ext, |c, e| c.text(e))
            }
            "SUBACCTSEC" => ctx
                .once(&mut t.sub_account_security, child, ext, |c, e| c.coded::<SubAccountType>(e)),
            "SUBACCTFUND" => {
                ctx.once(&mut t.sub_account_fund, child, ext, |c, e| c.coded::<SubAccountType>(e))
            }
            "POSTYPE" => ctx.once(&mut t.position_type, child, ext, |c, e| c.coded::<PosType>(e)),
            "INV401KSOURCE" => {
                ctx.once(&mut t.inv401k_source, child, ext, |c, e| c.coded::<Inv401kSource>(e))
            }
            "CURRENCY" | "ORIGCURRENCY" => {
                ctx.once(&mut t.currency, child, ext, |c, e| Some(read_currency(e, c)))
            }
            _ => ctx.keep_extension(&mut t.extensions, child),
        }
    }
}

/// `INVPOSLIST`.
pub(crate) fn read_positions<'t>(el: Element<'t>, ctx: &mut Ctx<'t>) -> Vec<Position<'t>> {
    let mut out = Vec::new();
    for child in el.children() {
        let mut p = Position {
            kind: child.name(),
            security: None,
            held_in: None,
            position_type: None,
            units: None,
            unit_price: None,
            market_value: None,
            price_as_of: None,
            memo: None,
            currency: None,
            extensions: Vec::new(),
        };
        read_position_fields(child, ctx, &mut p);
        out.push(p);
    }
    out
}

fn read_position_fields<'t>(el: Element<'t>, ctx: &mut Ctx<'t>, p: &mut Position<'t>) {
    for child in el.children() {
        let ext = &mut p.extensions;
        match child.name() {
            n if FLATTENED.contains(&n) && !child.is_leaf() => read_position_fields(child, ctx, p),
            "SECID" => ctx.once(&mut p.security, child, ext, |c, e| Some(read_security_id(e, c))),
            "HELDINACCT" => {
                ctx.once(&mut p.held_in, child, ext, |c, e| c.coded::<SubAccountType>(e))
            }
            "POSTYPE" => ctx.once(&mut p.position_type, child, ext, |c, e| c.coded::<PosType>(e)),
            "UNITS" => ctx.once(&mut p.units, child, ext, |c, e| c.amount(e)),
            "UNITPRICE" => ctx.once(&mut p.unit_price, child, ext, |c, e| c.amount(e)),
            "MKTVAL" => ctx.once(&mut p.market_value, child, ext, |c, e| c.amount(e)),
            "DTPRICEASOF" => ctx.once(&mut p.price_as_of, child, ext, |c, e| c.date(e)),
            "MEMO" => ctx.once(&mut p.memo, child, ext, |c, e| c.text(e)),
            "CURRENCY" | "ORIGCURRENCY" => {
                ctx.once(&mut p.currency, child, ext, |c, e| Some(read_currency(e, c)))
            }
            _ => ctx.keep_extension(&mut p.extensions, child),
        }
    }
}

/// `INVBAL`.
pub(crate) fn read_invbal<'t>(el: Element<'t>, ctx: &mut Ctx<'t>) -> InvestmentBalance<'t> {
    let mut b = InvestmentBalance {
        available_cash: None,
        margin_balance: None,
        short_balance: None,
        buying_power: None,
        balances: Vec::new(),
        extensions: Vec::new(),
    };
    for child in el.children() {
        let ext = &mut b.extensions;
        match child.name() {
            "AVAILCASH" => ctx.once(&mut b.available_cash, child, ext, |c, e| c.amount(e)),
            "MARGINBALANCE" => ctx.once(&mut b.margin_balance, child, ext, |c, e| c.amount(e)),
            "SHORTBALANCE" => ctx.once(&mut b.short_balance, child, ext, |c, e| c.amount(e)),
            "BUYPOWER" => ctx.once(&mut b.buying_power, child, ext, |c, e| c.amount(e)),
            "BALLIST" => b.balances.extend(read_ballist(child, ctx)),
            _ => ctx.keep_extension(&mut b.extensions, child),
        }
    }
    b
}

/// `SECLIST`: `STOCKINFO`, `MFINFO`, `DEBTINFO`, `OPTINFO`, `OTHERINFO`.
pub(crate) fn read_security_list<'t>(el: Element<'t>, ctx: &mut Ctx<'t>) -> Vec<Security<'t>> {
    let mut out = Vec::new();
    for child in el.children() {
        let mut s = Security {
            kind: child.name(),
            id: None,
            name: None,
            ticker: None,
            fiid: None,
            unit_price: None,
            as_of: None,
            memo: None,
            extensions: Vec::new(),
        };
        read_security_fields(child, ctx, &mut s);
        out.push(s);
    }
    out
}

fn read_security_fields<'t>(el: Element<'t>, ctx: &mut Ctx<'t>, s: &mut Security<'t>) {
    for child in el.children() {
        let ext = &mut s.extensions;
        match child.name() {
            n if FLATTENED.contains(&n) && !child.is_leaf() => read_security_fields(child, ctx, s),
            "SECID" => ctx.once(&mut s.id, child, ext, |c, e| Some(read_security_id(e, c))),
            "SECNAME" => ctx.once(&mut s.name, child, ext, |c, e| c.text(e)),
            "TICKER" => ctx.once(&mut s.ticker, child, ext, |c, e| c.text(e)),
            "FIID" => ctx.once(&mut s.fiid, child, ext, |c, e| c.text(e)),
            "UNITPRICE" => ctx.once(&mut s.unit_price, child, ext, |c, e| c.amount(e)),
            "DTASOF" => ctx.once(&mut s.as_of, child, ext, |c, e| c.date(e)),
            "MEMO" => ctx.once(&mut s.memo, child, ext, |c, e| c.text(e)),
            _ => ctx.keep_extension(&mut s.extensions, child),
        }
    }
}
