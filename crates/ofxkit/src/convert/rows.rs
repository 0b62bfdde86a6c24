//! Flat rows: one per transaction, statement, account or payee, shared by CSV, NDJSON and
//! row-shaped JSON.

use std::borrow::Cow;

use crate::model::{
    Account, InvestmentTransaction, Model, Payee, Security, Statement, Transaction,
};

/// One cell. `Text` comes from the file (free text and identifiers: guarded against formula
/// injection in CSV); `Value` is formatted by ofxkit from a typed value (amounts, dates,
/// codes, counts) and never altered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell<'a> {
    /// Text from the file.
    Text(Cow<'a, str>),
    /// A value ofxkit formatted (decimal, ISO date, code name, count).
    Value(Cow<'a, str>),
    /// Nothing.
    Empty,
}

impl<'a> Cell<'a> {
    fn text(t: Option<&'a str>) -> Self {
        t.map_or(Cell::Empty, |t| Cell::Text(Cow::Borrowed(t)))
    }

    fn value(v: Option<String>) -> Self {
        v.map_or(Cell::Empty, |v| Cell::Value(Cow::Owned(v)))
    }

    fn value_str(v: Option<&'a str>) -> Self {
        v.map_or(Cell::Empty, |v| Cell::Value(Cow::Borrowed(v)))
    }

    /// The cell's text, `""` when empty.
    pub fn as_str(&self) -> &str {
        match self {
            Cell::Text(t) | Cell::Value(t) => t,
            Cell::Empty => "",
        }
    }
}

/// Column names of transaction rows.
pub const TRANSACTION_COLUMNS: &[&str] = &[
    "source",
    "statement",
    "account_kind",
    "bank_id",
    "branch_id",
    "account_id",
    "account_type",
    "currency",
    "date_posted",
    "date_user",
    "amount",
    "type",
    "ofc_type",
    "fitid",
    "name",
    "memo",
    "check_number",
    "reference",
    "payee_id",
    "sic",
    "server_id",
    "correct_fitid",
    "correct_action",
    "security_id",
    "units",
    "unit_price",
];

/// Column names of statement rows.
pub const STATEMENT_COLUMNS: &[&str] = &[
    "source",
    "statement",
    "kind",
    "bank_id",
    "branch_id",
    "account_id",
    "account_type",
    "currency",
    "start",
    "end",
    "transactions",
    "amount_sum",
    "ledger_balance",
    "ledger_as_of",
    "available_balance",
    "available_as_of",
    "status_code",
    "status_message",
];

/// Column names of account rows.
pub const ACCOUNT_COLUMNS: &[&str] = &[
    "source",
    "origin",
    "account_kind",
    "bank_id",
    "branch_id",
    "account_id",
    "account_type",
    "ofc_account_type",
    "broker_id",
    "currency",
    "description",
    "ledger_balance",
    "ledger_as_of",
    "available_balance",
    "service_status",
];

/// Column names of payee rows.
pub const PAYEE_COLUMNS: &[&str] = &[
    "source",
    "origin",
    "list_id",
    "payee_id",
    "name",
    "name2",
    "name3",
    "address1",
    "address2",
    "address3",
    "city",
    "state",
    "postal_code",
    "country",
    "phone",
    "phone2",
    "pay_accounts",
    "days_to_pay",
];

fn account_cells<'a>(account: Option<&Account<'a>>, out: &mut Vec<Cell<'a>>) {
    match account {
        Some(a) => {
            out.push(Cell::Value(Cow::Owned(format!("{:?}", a.kind).to_lowercase())));
            out.push(Cell::text(a.bank_id));
            out.push(Cell::text(a.branch_id.or(a.broker_id)));
            out.push(Cell::text(a.account_id));
            let label = a.type_label();
            out.push(if label.is_empty() { Cell::Empty } else { Cell::Value(Cow::Owned(label)) });
        }
        None => out.extend([Cell::Empty, Cell::Empty, Cell::Empty, Cell::Empty, Cell::Empty]),
    }
}

/// Fills `out` with the transaction row's cells, in [`TRANSACTION_COLUMNS`] order.
pub fn transaction_row<'a>(
    source: &'a str,
    index: usize,
    statement: &Statement<'a>,
    t: &Transaction<'a>,
    out: &mut Vec<Cell<'a>>,
) {
    out.clear();
    out.push(Cell::Text(Cow::Borrowed(source)));
    out.push(Cell::Value(Cow::Owned(index.to_string())));
    account_cells(statement.account.as_ref(), out);
    out.push(Cell::text(statement.currency));
    out.push(Cell::value(t.date_posted.as_ref().map(|d| d.value.to_iso8601())));
    out.push(Cell::value(t.date_user.as_ref().map(|d| d.value.to_iso8601())));
    out.push(Cell::value(t.amount.as_ref().map(|a| a.value.to_string())));
    out.push(match &t.trntype {
        Some(c) if c.is_known() => Cell::Value(Cow::Owned(c.as_str().to_owned())),
        Some(c) => Cell::Text(Cow::Owned(c.as_str().to_owned())),
        None => Cell::Empty,
    });
    out.push(Cell::value(t.ofc_trntype.as_ref().map(|c| c.as_str().to_owned())));
    out.push(Cell::text(t.fitid));
    out.push(Cell::text(t.display_name()));
    out.push(t.memo.as_ref().map_or(Cell::Empty, |m| Cell::Text(m.clone())));
    out.push(Cell::text(t.check_number));
    out.push(Cell::text(t.reference));
    out.push(Cell::text(t.payee_id));
    out.push(Cell::text(t.sic));
    out.push(Cell::text(t.server_id));
    out.push(Cell::text(t.correct_fitid));
    out.push(Cell::value(t.correct_action.as_ref().map(|c| c.as_str().to_owned())));
    out.extend([Cell::Empty, Cell::Empty, Cell::Empty]);
}

/// Fills `out` with an investment transaction's row (`BUYSTOCK`, `INCOME`, …), in
/// [`TRANSACTION_COLUMNS`] order: the trade date as `date_posted`, `TOTAL` as the amount,
/// the aggregate's name as the type, the security's name (from `SECLIST`, else its id) as the
/// name, and the security id, units and unit price in their own columns.
pub fn investment_row<'a>(
    source: &'a str,
    index: usize,
    statement: &Statement<'a>,
    t: &InvestmentTransaction<'a>,
    securities: &[Security<'a>],
    out: &mut Vec<Cell<'a>>,
) {
    out.clear();
    out.push(Cell::Text(Cow::Borrowed(source)));
    out.push(Cell::Value(Cow::Owned(index.to_string())));
    account_cells(statement.account.as_ref(), out);
    out.push(Cell::text(statement.currency));
    out.push(Cell::value(t.date_trade.as_ref().map(|d| d.value.to_iso8601())));
    out.push(Cell::Empty);
    out.push(Cell::value(t.total.as_ref().map(|a| a.value.to_string())));
    out.push(Cell::Text(Cow::Borrowed(t.kind)));
    out.push(Cell::Empty);
    out.push(Cell::text(t.fitid));
    let id = t.security.as_ref().and_then(|s| s.unique_id);
    let security = id.and_then(|id| {
        securities.iter().find(|s| s.id.as_ref().and_then(|i| i.unique_id) == Some(id))
    });
    out.push(Cell::text(security.and_then(|s| s.name.or(s.ticker)).or(id)));
    out.push(Cell::text(t.memo));
    out.extend([Cell::Empty, Cell::Empty, Cell::Empty, Cell::Empty]);
    out.push(Cell::text(t.server_id));
    out.extend([Cell::Empty, Cell::Empty]);
    out.push(Cell::text(id));
    out.push(Cell::value(t.units.as_ref().map(|a| a.value.to_string())));
    out.push(Cell::value(t.unit_price.as_ref().map(|a| a.value.to_string())));
}

/// The statement row's cells, in [`STATEMENT_COLUMNS`] order.
pub fn statement_row<'a>(source: &'a str, index: usize, s: &Statement<'a>) -> Vec<Cell<'a>> {
    let mut out = vec![
        Cell::Text(Cow::Borrowed(source)),
        Cell::Value(Cow::Owned(index.to_string())),
        Cell::Value(Cow::Owned(format!("{:?}", s.kind).to_lowercase())),
    ];
    let mut acct = Vec::new();
    account_cells(s.account.as_ref(), &mut acct);
    out.extend(acct.into_iter().skip(1));
    out.push(Cell::text(s.currency));
    out.push(Cell::value(s.start.as_ref().map(|d| d.value.to_iso8601())));
    out.push(Cell::value(s.end.as_ref().map(|d| d.value.to_iso8601())));
    out.push(Cell::Value(Cow::Owned(s.transactions.len().to_string())));
    out.push(Cell::Value(Cow::Owned(s.amount_sum().to_string())));
    let ledger = s.ledger_balance.as_ref();
    out.push(Cell::value(ledger.and_then(|b| b.amount.as_ref()).map(|a| a.value.to_string())));
    out.push(Cell::value(ledger.and_then(|b| b.as_of.as_ref()).map(|d| d.value.to_iso8601())));
    let avail = s.available_balance.as_ref();
    out.push(Cell::value(avail.and_then(|b| b.amount.as_ref()).map(|a| a.value.to_string())));
    out.push(Cell::value(avail.and_then(|b| b.as_of.as_ref()).map(|d| d.value.to_iso8601())));
    out.push(Cell::value_str(s.status.as_ref().map(|st| st.code_text)));
    out.push(Cell::text(s.status.as_ref().and_then(|st| st.message)));
    out
}

/// One row per account: each statement's account, then each account of an account list.
pub fn account_rows<'a>(source: &'a str, model: &Model<'a>) -> Vec<Vec<Cell<'a>>> {
    let mut rows = Vec::new();
    let mut push = |origin: &'static str,
                    a: &Account<'a>,
                    currency: Option<&'a str>,
                    description: Option<&'a str>,
                    statement: Option<&Statement<'a>>,
                    status: Option<String>| {
        let mut row = vec![Cell::Text(Cow::Borrowed(source)), Cell::Value(Cow::Borrowed(origin))];
        account_cells(Some(a), &mut row);
        row.push(Cell::value(a.ofc_account_type.as_ref().map(|c| c.as_str().to_owned())));
        row.push(Cell::text(a.broker_id));
        row.push(Cell::text(currency));
        row.push(Cell::text(description));
        let ledger = statement.and_then(|s| s.ledger_balance.as_ref());
        row.push(Cell::value(ledger.and_then(|b| b.amount.as_ref()).map(|x| x.value.to_string())));
        row.push(Cell::value(ledger.and_then(|b| b.as_of.as_ref()).map(|d| d.value.to_iso8601())));
        let avail = statement.and_then(|s| s.available_balance.as_ref());
        row.push(Cell::value(avail.and_then(|b| b.amount.as_ref()).map(|x| x.value.to_string())));
        row.push(Cell::value(status));
        rows.push(row);
    };
    for s in &model.statements {
        if let Some(a) = &s.account {
            push("statement", a, s.currency, None, Some(s), None);
        }
    }
    for info in &model.account_lists {
        for svc in &info.services {
            if let Some(a) = &svc.account {
                let status = svc.status.as_ref().map(|c| c.as_str().to_owned());
                push("account-list", a, None, info.description, None, status);
            }
        }
    }
    rows
}

fn payee_cells<'a>(p: &Payee<'a>, out: &mut Vec<Cell<'a>>) {
    for i in 0..3 {
        out.push(Cell::text(p.names.get(i).copied()));
    }
    for i in 0..3 {
        out.push(Cell::text(p.address.get(i).copied()));
    }
    out.push(Cell::text(p.city));
    out.push(Cell::text(p.state));
    out.push(Cell::text(p.postal_code));
    out.push(Cell::text(p.country));
    out.push(Cell::text(p.phones.first().copied()));
    out.push(Cell::text(p.phones.get(1).copied()));
}

/// One row per payee: payee-list records, then the `PAYEE` of each transaction.
pub fn payee_rows<'a>(source: &'a str, model: &Model<'a>) -> Vec<Vec<Cell<'a>>> {
    let mut rows = Vec::new();
    for r in &model.payees {
        let mut row = vec![
            Cell::Text(Cow::Borrowed(source)),
            Cell::Value(Cow::Borrowed("payee-list")),
            Cell::text(r.list_id),
            Cell::text(r.payee_id),
        ];
        payee_cells(r.payee.as_ref().unwrap_or(&Payee::default()), &mut row);
        row.push(if r.pay_accounts.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(Cow::Owned(r.pay_accounts.join(";")))
        });
        row.push(Cell::text(r.days_to_pay));
        rows.push(row);
    }
    for s in &model.statements {
        for t in &s.transactions {
            if let Some(p) = &t.payee {
                let mut row = vec![
                    Cell::Text(Cow::Borrowed(source)),
                    Cell::Value(Cow::Borrowed("transaction")),
                    Cell::Empty,
                    Cell::text(t.payee_id),
                ];
                payee_cells(p, &mut row);
                row.push(Cell::Empty);
                row.push(Cell::Empty);
                rows.push(row);
            }
        }
    }
    rows
}
