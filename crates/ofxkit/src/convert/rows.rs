//! Flat rows: one per transaction, statement, account or payee, shared by CSV, NDJSON and
//! row-shaped JSON.

use std::borrow::Cow;

use ofxkit_syntax::Span;

use crate::codes::{Code, Coded};
use crate::model::{
    Account, AccountKind, Action, Amount, Date, Direction, InvestmentTransaction, Model, Payee,
    PaymentInfo, Security, Statement, Transaction, Wrapper,
};
use crate::transaction_fields::{Invests, Shows, TRANSACTION_CELLS};

/// One cell. `Text` comes from the file (free text and identifiers: guarded against formula
/// injection in CSV); `Value` is formatted by ofxkit from a typed value (amounts, dates,
/// codes, counts) and never altered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell<'a> {
    /// Text from the file.
    Text(Cow<'a, str>),
    /// A value ofxkit formatted (decimal, ISO date, code name, count).
    Value(Cow<'a, str>),
    /// The same, held inline (no allocation per row).
    Formatted(Inline),
    /// A count ofxkit made (a statement's number, a number of transactions, a line): a
    /// number in JSON.
    Int(u64),
    /// A flag: `Y`/`N` in CSV, `true`/`false` in JSON.
    Bool(bool),
    /// Nothing.
    Empty,
}

/// Short text ofxkit formatted (a date, an amount, a count), held inline.
#[derive(Clone, PartialEq, Eq)]
pub struct Inline {
    len: u8,
    bytes: [u8; 46],
}

impl Inline {
    /// The text.
    pub fn as_str(&self) -> &str {
        // Only whole `&str`s are ever copied in (see `write_str`).
        self.bytes.get(..self.len as usize).and_then(|b| std::str::from_utf8(b).ok()).unwrap_or("")
    }

    /// Formats `value` inline; `None` when it does not fit.
    fn of(value: impl std::fmt::Display) -> Option<Inline> {
        use std::fmt::Write as _;
        let mut i = Inline { len: 0, bytes: [0; 46] };
        write!(i, "{value}").ok()?;
        Some(i)
    }
}

impl std::fmt::Write for Inline {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let start = self.len as usize;
        let end = start + s.len();
        let dst = self.bytes.get_mut(start..end).ok_or(std::fmt::Error)?;
        dst.copy_from_slice(s.as_bytes());
        self.len = end as u8;
        Ok(())
    }
}

impl std::fmt::Debug for Inline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
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

    /// A value formatted inline (falls back to a `String` if it is too long).
    fn formatted(v: impl std::fmt::Display) -> Self {
        match Inline::of(&v) {
            Some(i) => Cell::Formatted(i),
            None => Cell::Value(Cow::Owned(v.to_string())),
        }
    }

    fn date(d: Option<&Date<'_>>) -> Self {
        let Some(d) = d else { return Cell::Empty };
        let mut i = Inline { len: 0, bytes: [0; 46] };
        match d.value.write_iso8601(&mut i) {
            Ok(()) => Cell::Formatted(i),
            Err(_) => Cell::Value(Cow::Owned(d.value.to_iso8601())),
        }
    }

    fn amount(a: Option<&Amount<'_>>) -> Self {
        a.map_or(Cell::Empty, |a| Cell::formatted(a.value))
    }

    /// A coded value: the table's name (a value), or the unknown code as written (text).
    fn code<T: Code>(c: Option<&Coded<T>>) -> Self {
        match c {
            Some(Coded::Known(k)) => Cell::Value(Cow::Borrowed(k.as_str())),
            Some(Coded::Unknown(raw)) => Cell::Text(Cow::Owned(raw.clone())),
            None => Cell::Empty,
        }
    }

    /// A coded value always shown as a value, known or not (type columns).
    fn code_value<T: Code>(c: Option<&Coded<T>>) -> Self {
        match Cell::code(c) {
            Cell::Text(t) => Cell::Value(t),
            c => c,
        }
    }

    /// The cell's text as CSV writes it (a count in digits, a flag `Y` or `N`), `""` when
    /// empty.
    pub fn as_str(&self) -> Cow<'_, str> {
        match self {
            Cell::Text(t) | Cell::Value(t) => Cow::Borrowed(t),
            Cell::Formatted(i) => Cow::Borrowed(i.as_str()),
            Cell::Int(n) => Cow::Owned(n.to_string()),
            Cell::Bool(b) => Cow::Borrowed(if *b { "Y" } else { "N" }),
            Cell::Empty => Cow::Borrowed(""),
        }
    }

    /// The posted date as the calendar date the bank wrote (`YYYY-MM-DD`, never moved by
    /// an offset).
    fn calendar_date(d: Option<&Date<'_>>) -> Self {
        let Some(d) = d else { return Cell::Empty };
        Cell::formatted(d.value.naive_date().format("%Y-%m-%d"))
    }
}

/// The last two columns of every kind of row: `line`, the line where the row's element
/// starts, and `problems`, the codes of the errors found inside that element (empty when
/// none). The converter writes them; the row builders here leave them out.
pub const ROW_TAIL: &[&str] = &["line", "problems"];

/// A row built here: the element it comes from, and its cells up to (not including)
/// [`ROW_TAIL`].
pub type Row<'a> = (Span, Vec<Cell<'a>>);

/// Column names of transaction rows: the statement's cells ([`transaction_prefix`]), the
/// transaction's (from the table of transaction fields), then [`ROW_TAIL`].
pub const TRANSACTION_COLUMNS: &[&str] = &crate::transaction_fields::transaction_columns::<30>(
    &[
        "source",
        "statement",
        "account_kind",
        "bank_id",
        "branch_id",
        "broker_id",
        "account_id",
        "account_type",
        "currency",
    ],
    ROW_TAIL,
);

/// Column names of statement rows.
pub const STATEMENT_COLUMNS: &[&str] = &[
    "source",
    "statement",
    "kind",
    "bank_id",
    "branch_id",
    "broker_id",
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
    "line",
    "problems",
];

/// Column names of account rows.
pub const ACCOUNT_COLUMNS: &[&str] = &[
    "source",
    "origin",
    "account_kind",
    "bank_id",
    "branch_id",
    "broker_id",
    "account_id",
    "account_type",
    "ofc_account_type",
    "currency",
    "description",
    "ledger_balance",
    "ledger_as_of",
    "available_balance",
    "service_status",
    "line",
    "problems",
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
    "message",
    "action",
    "direction",
    "transaction_uid",
    "status_code",
    "status_message",
    "sync_token",
    "line",
    "problems",
];

/// Column names of payment rows (`--what payments`).
pub const PAYMENT_COLUMNS: &[&str] = &[
    "source",
    "message",
    "action",
    "direction",
    "transaction_uid",
    "status_code",
    "status_severity",
    "status_message",
    "sync_token",
    "server_id",
    "recurring_id",
    "bank_id",
    "branch_id",
    "account_id",
    "account_type",
    "amount",
    "currency",
    "due",
    "payee_list_id",
    "payee_id",
    "payee_name",
    "pay_account",
    "memo",
    "bill_reference",
    "check_number",
    "processing_code",
    "processing_date",
    "days_to_pay",
    "date_posted",
    "line",
    "problems",
];

/// Column names of recurring-model rows (`--what recurring`).
pub const RECURRING_COLUMNS: &[&str] = &[
    "source",
    "message",
    "action",
    "direction",
    "transaction_uid",
    "status_code",
    "status_severity",
    "status_message",
    "sync_token",
    "recurring_id",
    "bank_id",
    "branch_id",
    "account_id",
    "account_type",
    "frequency",
    "instalments",
    "amount",
    "initial_amount",
    "final_amount",
    "currency",
    "first_due",
    "payee_list_id",
    "payee_id",
    "payee_name",
    "pay_account",
    "memo",
    "modify_pending",
    "cancel_pending",
    "line",
    "problems",
];

/// How many cells [`account_cells`] writes.
const ACCOUNT_CELLS: usize = 6;

/// `account_kind, bank_id, branch_id, broker_id, account_id, account_type`.
fn account_cells<'a>(account: Option<&Account<'a>>, out: &mut Vec<Cell<'a>>) {
    match account {
        Some(a) => {
            out.push(Cell::Value(Cow::Borrowed(a.kind.as_str())));
            out.push(Cell::text(a.bank_id));
            out.push(Cell::text(a.branch_id));
            out.push(Cell::text(a.broker_id));
            out.push(Cell::text(a.account_id));
            out.push(match (&a.account_type, a.kind) {
                (Some(t), _) => Cell::code_value(Some(t)),
                (None, AccountKind::CreditCard) => Cell::Value(Cow::Borrowed("CREDITCARD")),
                (None, AccountKind::Investment) => Cell::Value(Cow::Borrowed("INVESTMENT")),
                (None, AccountKind::Loan) => Cell::Value(Cow::Borrowed("LOAN")),
                (None, AccountKind::Bank) => Cell::Empty,
            });
        }
        None => out.extend(std::iter::repeat_n(Cell::Empty, ACCOUNT_CELLS)),
    }
}

/// Fills `out` with the cells a statement's transaction rows begin with (source to
/// currency), in [`TRANSACTION_COLUMNS`] order.
pub fn transaction_prefix<'a>(
    source: &'a str,
    index: usize,
    statement: &Statement<'a>,
    out: &mut Vec<Cell<'a>>,
) {
    out.clear();
    out.push(Cell::Text(Cow::Borrowed(source)));
    out.push(Cell::Int(index as u64));
    account_cells(statement.account.as_ref(), out);
    out.push(Cell::text(statement.currency));
}

/// How many cells [`transaction_prefix`] writes.
pub const TRANSACTION_PREFIX_LEN: usize = 9;

/// Fills `out` with the transaction row's cells, in [`TRANSACTION_COLUMNS`] order.
pub fn transaction_row<'a>(
    source: &'a str,
    index: usize,
    statement: &Statement<'a>,
    t: &Transaction<'a>,
    out: &mut Vec<Cell<'a>>,
) {
    transaction_prefix(source, index, statement, out);
    transaction_cells(t, out);
}

/// Appends the cells of a transaction row that follow [`transaction_prefix`]'s, column by
/// column of the table of transaction fields.
pub fn transaction_cells<'a>(t: &Transaction<'a>, out: &mut Vec<Cell<'a>>) {
    let mut last_date = None;
    for column in &TRANSACTION_CELLS {
        out.push(match column.shows {
            Shows::Date(field) => {
                last_date = t.date_of(field);
                Cell::date(last_date)
            }
            Shows::CalendarDate(_) => Cell::calendar_date(last_date),
            Shows::Amount(field) => Cell::amount(t.amount_of(field)),
            Shows::Type => Cell::code(t.trntype.as_ref()),
            Shows::OfcType => Cell::code_value(t.ofc_trntype.as_ref()),
            Shows::Text(field) => t.text_of(field).map_or(Cell::Empty, Cell::Text),
            Shows::Name => Cell::text(t.display_name()),
            Shows::CorrectAction => Cell::code_value(t.correct_action.as_ref()),
            Shows::Nothing => Cell::Empty,
        });
    }
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
    transaction_prefix(source, index, statement, out);
    let id = t.security.as_ref().and_then(|s| s.unique_id);
    let security = t.security_in(securities);
    out.extend(TRANSACTION_CELLS.iter().map(|column| match column.invests {
        Invests::TradeDate => Cell::date(t.date_trade.as_ref()),
        Invests::TradeCalendarDate => Cell::calendar_date(t.date_trade.as_ref()),
        Invests::Total => Cell::amount(t.total.as_ref()),
        Invests::Kind => Cell::Text(Cow::Borrowed(t.kind)),
        Invests::Fitid => Cell::text(t.fitid),
        Invests::SecurityName => Cell::text(security.and_then(|s| s.name.or(s.ticker)).or(id)),
        Invests::Memo => Cell::text(t.memo),
        Invests::ServerId => Cell::text(t.server_id),
        Invests::SecurityId => Cell::text(id),
        Invests::Units => Cell::amount(t.units.as_ref()),
        Invests::UnitPrice => Cell::amount(t.unit_price.as_ref()),
        Invests::Nothing => Cell::Empty,
    }));
}

/// The statement row's cells, in [`STATEMENT_COLUMNS`] order.
pub fn statement_row<'a>(source: &'a str, index: usize, s: &Statement<'a>) -> Vec<Cell<'a>> {
    let mut out = vec![
        Cell::Text(Cow::Borrowed(source)),
        Cell::Int(index as u64),
        Cell::Value(Cow::Borrowed(s.kind.as_str())),
    ];
    let mut acct = Vec::new();
    account_cells(s.account.as_ref(), &mut acct);
    out.extend(acct.into_iter().skip(1));
    out.push(Cell::text(s.currency));
    out.push(Cell::value(s.start.as_ref().map(|d| d.value.to_iso8601())));
    out.push(Cell::value(s.end.as_ref().map(|d| d.value.to_iso8601())));
    out.push(Cell::Int(s.transaction_count() as u64));
    out.push(Cell::Value(Cow::Owned(s.row_amount_sum().to_string())));
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
pub fn account_rows<'a>(source: &'a str, model: &Model<'a>) -> Vec<Row<'a>> {
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
        row.push(Cell::text(currency));
        row.push(Cell::text(description));
        let ledger = statement.and_then(|s| s.ledger_balance.as_ref());
        row.push(Cell::value(ledger.and_then(|b| b.amount.as_ref()).map(|x| x.value.to_string())));
        row.push(Cell::value(ledger.and_then(|b| b.as_of.as_ref()).map(|d| d.value.to_iso8601())));
        let avail = statement.and_then(|s| s.available_balance.as_ref());
        row.push(Cell::value(avail.and_then(|b| b.amount.as_ref()).map(|x| x.value.to_string())));
        row.push(Cell::value(status));
        rows.push((a.span, row));
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

/// One row per payee: payee-list records (those in synchronization messages included, and a
/// row for each failed payee request), then the `PAYEE` of each transaction.
pub fn payee_rows<'a>(source: &'a str, model: &Model<'a>) -> Vec<Row<'a>> {
    let mut list = failed_wrapper_rows(
        PAYEE_COLUMNS,
        source,
        Some("payee-list"),
        model,
        &["PAYEETRNRS", "PAYEETRNRQ"],
    );
    let mut rows = Vec::new();
    for r in model.all_payees() {
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
        row.push(Cell::Value(Cow::Borrowed(r.kind)));
        row.push(Cell::value_str(r.action.map(Action::as_str)));
        row.push(Cell::Value(Cow::Borrowed(direction_str(r.direction))));
        let status = r.wrapper.as_ref().and_then(|w| w.status.as_ref()).or(r.status.as_ref());
        row.push(Cell::text(r.wrapper.as_ref().and_then(|w| w.transaction_uid)));
        row.push(Cell::value_str(status.map(|st| st.code_text)));
        row.push(Cell::text(status.and_then(|st| st.message)));
        row.push(Cell::text(r.sync_token));
        list.push((r.span, row));
    }
    rows.extend(in_file_order(list));
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
                row.push(Cell::Value(Cow::Borrowed("STMTTRN")));
                row.extend([Cell::Empty, Cell::Empty, Cell::Empty, Cell::Empty, Cell::Empty]);
                row.push(Cell::Empty);
                rows.push((p.span, row));
            }
        }
    }
    rows
}

fn direction_str(d: Direction) -> &'static str {
    match d {
        Direction::Request => "request",
        Direction::Response => "response",
    }
}

/// `message, action, direction, transaction_uid, status_code, status_severity,
/// status_message, sync_token`.
fn record_cells<'a>(
    kind: &'a str,
    action: Option<Action>,
    direction: Direction,
    wrapper: Option<&Wrapper<'a>>,
    sync_token: Option<&'a str>,
    out: &mut Vec<Cell<'a>>,
) {
    out.push(Cell::Value(Cow::Borrowed(kind)));
    out.push(Cell::value_str(action.map(Action::as_str)));
    out.push(Cell::Value(Cow::Borrowed(direction_str(direction))));
    out.push(Cell::text(wrapper.and_then(|w| w.transaction_uid)));
    let status = wrapper.and_then(|w| w.status.as_ref());
    out.push(Cell::value_str(status.map(|s| s.code_text)));
    out.push(Cell::value(status.and_then(|s| s.severity.as_ref()).map(|c| c.as_str().to_owned())));
    out.push(Cell::text(status.and_then(|s| s.message)));
    out.push(Cell::text(sync_token));
}

/// `bank_id, branch_id, account_id, account_type` of a payment's source account.
fn from_account_cells<'a>(info: Option<&PaymentInfo<'a>>, out: &mut Vec<Cell<'a>>) {
    let mut acct = Vec::new();
    account_cells(info.and_then(|i| i.account_from.as_ref()), &mut acct);
    // A payment comes from a bank account: no kind or broker id.
    out.extend(acct.into_iter().enumerate().filter(|(i, _)| *i != 0 && *i != 3).map(|(_, c)| c));
}

fn amount_cell<'a>(a: Option<&crate::model::Amount<'a>>) -> Cell<'a> {
    Cell::value(a.map(|a| a.value.to_string()))
}

fn date_cell<'a>(d: Option<&crate::model::Date<'a>>) -> Cell<'a> {
    Cell::value(d.map(|d| d.value.to_iso8601()))
}

fn bool_cell<'a>(b: Option<bool>) -> Cell<'a> {
    b.map_or(Cell::Empty, Cell::Bool)
}

/// One row per payment record (those in synchronization messages included, and a row for
/// each failed request whose response holds no record), in [`PAYMENT_COLUMNS`] order.
pub fn payment_rows<'a>(source: &'a str, model: &Model<'a>) -> Vec<Row<'a>> {
    let mut rows = failed_wrapper_rows(
        PAYMENT_COLUMNS,
        source,
        None,
        model,
        &["PMTTRNRS", "PMTINQTRNRS", "PMTTRNRQ", "PMTINQTRNRQ"],
    );
    for p in model.all_payments() {
        let mut row = vec![Cell::Text(Cow::Borrowed(source))];
        record_cells(p.kind, p.action, p.direction, p.wrapper.as_ref(), p.sync_token, &mut row);
        row.push(Cell::text(p.server_id));
        row.push(Cell::text(p.recurring_id));
        let info = p.info.as_ref();
        from_account_cells(info, &mut row);
        row.push(amount_cell(info.and_then(|i| i.amount.as_ref())));
        row.push(Cell::text(p.currency));
        row.push(date_cell(info.and_then(|i| i.due.as_ref())));
        row.push(Cell::text(p.payee_list_id.or(info.and_then(|i| i.payee_list_id))));
        let xp = p.extended_payee.as_ref();
        row.push(Cell::text(
            info.and_then(|i| i.payee_id).or(p.payee_id).or(xp.and_then(|x| x.payee_id)),
        ));
        row.push(Cell::text(info.and_then(PaymentInfo::payee_name).or(xp.and_then(|x| x.name))));
        row.push(Cell::text(info.and_then(|i| i.pay_account)));
        let memo = info.and_then(|i| i.memo.as_ref()).or(p.memo.as_ref());
        row.push(memo.map_or(Cell::Empty, |m| Cell::Text(m.clone())));
        row.push(Cell::text(info.and_then(|i| i.bill_reference)));
        row.push(Cell::text(p.check_number));
        let prc = p.processing.as_ref();
        row.push(Cell::value(prc.and_then(|s| s.code.as_ref()).map(|c| c.as_str().to_owned())));
        row.push(date_cell(prc.and_then(|s| s.date.as_ref())));
        row.push(Cell::text(xp.and_then(|x| x.days_to_pay)));
        row.push(date_cell(p.date_posted.as_ref()));
        rows.push((p.span, row));
    }
    in_file_order(rows)
}

/// One row per recurring-model record (those in synchronization messages included, and a
/// row for each failed request whose response holds no record), in [`RECURRING_COLUMNS`]
/// order.
pub fn recurring_rows<'a>(source: &'a str, model: &Model<'a>) -> Vec<Row<'a>> {
    let mut rows = failed_wrapper_rows(
        RECURRING_COLUMNS,
        source,
        None,
        model,
        &["RECPMTTRNRS", "RECPMTTRNRQ"],
    );
    for r in model.all_recurring() {
        let mut row = vec![Cell::Text(Cow::Borrowed(source))];
        record_cells(r.kind, r.action, r.direction, r.wrapper.as_ref(), r.sync_token, &mut row);
        row.push(Cell::text(r.recurring_id));
        let info = r.info.as_ref();
        from_account_cells(info, &mut row);
        let inst = r.instructions.as_ref();
        row.push(Cell::value(
            inst.and_then(|i| i.frequency.as_ref()).map(|c| c.as_str().to_owned()),
        ));
        row.push(inst.and_then(|i| i.instalments).map_or(Cell::Empty, |n| Cell::Int(n.into())));
        row.push(amount_cell(info.and_then(|i| i.amount.as_ref())));
        row.push(amount_cell(r.initial_amount.as_ref()));
        row.push(amount_cell(r.final_amount.as_ref()));
        row.push(Cell::text(r.currency));
        row.push(date_cell(info.and_then(|i| i.due.as_ref())));
        row.push(Cell::text(r.payee_list_id.or(info.and_then(|i| i.payee_list_id))));
        let xp = r.extended_payee.as_ref();
        row.push(Cell::text(info.and_then(|i| i.payee_id).or(xp.and_then(|x| x.payee_id))));
        row.push(Cell::text(info.and_then(PaymentInfo::payee_name).or(xp.and_then(|x| x.name))));
        row.push(Cell::text(info.and_then(|i| i.pay_account)));
        row.push(info.and_then(|i| i.memo.as_ref()).map_or(Cell::Empty, |m| Cell::Text(m.clone())));
        row.push(bool_cell(r.modify_pending));
        row.push(bool_cell(r.cancel_pending));
        rows.push((r.span, row));
    }
    in_file_order(rows)
}

/// Rows sorted by where their record starts (a stable sort: ties keep their order).
fn in_file_order(mut rows: Vec<Row<'_>>) -> Vec<Row<'_>> {
    rows.sort_by_key(|(span, _)| span.start);
    rows
}

/// A row for each wrapper of `kinds` that holds no record (a failed request's response),
/// so the failure shows among the records: the wrapper's name, TRNUID and status, the
/// synchronization token, the rest empty.
fn failed_wrapper_rows<'a>(
    columns: &[&str],
    source: &'a str,
    origin: Option<&'static str>,
    model: &Model<'a>,
    kinds: &[&str],
) -> Vec<Row<'a>> {
    let plain = model.responses.iter().map(|r| (r, None));
    let synced = model.sync.iter().flat_map(|m| m.responses.iter().map(move |r| (r, m.token)));
    // A wrapper kept only for an element beside its record is not a failure.
    let mut with_record: Vec<u32> = Vec::new();
    with_record.extend(
        model.all_payments().iter().filter_map(|p| p.wrapper.as_ref()).map(|w| w.span.start),
    );
    with_record
        .extend(model.all_payees().iter().filter_map(|p| p.wrapper.as_ref()).map(|w| w.span.start));
    with_record.extend(
        model.all_recurring().iter().filter_map(|r| r.wrapper.as_ref()).map(|w| w.span.start),
    );
    let mut rows = Vec::new();
    for (r, token) in plain
        .chain(synced)
        .filter(|(r, _)| kinds.contains(&r.kind) && !with_record.contains(&r.span.start))
    {
        let mut row = vec![Cell::Empty; columns.len().saturating_sub(ROW_TAIL.len())];
        let mut set = |name: &str, cell: Cell<'a>| {
            if let Some(slot) = columns.iter().position(|c| *c == name).and_then(|i| row.get_mut(i))
            {
                *slot = cell;
            }
        };
        set("source", Cell::Text(Cow::Borrowed(source)));
        set("origin", Cell::value_str(origin));
        set("message", Cell::Value(Cow::Borrowed(r.kind)));
        let direction =
            if r.kind.ends_with("RQ") { Direction::Request } else { Direction::Response };
        set("direction", Cell::Value(Cow::Borrowed(direction_str(direction))));
        set("transaction_uid", Cell::text(r.transaction_uid));
        let status = r.status.as_ref();
        set("status_code", Cell::value_str(status.map(|s| s.code_text)));
        set(
            "status_severity",
            Cell::value(status.and_then(|s| s.severity.as_ref()).map(|c| c.as_str().to_owned())),
        );
        set("status_message", Cell::text(status.and_then(|s| s.message)));
        set("sync_token", Cell::text(token));
        rows.push((r.span, row));
    }
    rows
}
