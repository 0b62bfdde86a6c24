//! The entries every accounting output is written from: transactions with their account,
//! balances, corrections applied, duplicates left out.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::hash::BuildHasher;

use hashbrown::HashTable;
use rustc_hash::FxHashMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::codes::Coded;
use crate::codes::ofx::CorrectAction;
use crate::export::existing::Existing;
use crate::model::{AccountKind, Model, Statement, StatementKind};

/// The account a statement is about, as the output keys it: the institution (FI `FID`, else
/// `ORG`, else `BANKID`, else `BROKERID`), the kind, the bank and branch (or broker) ids, the account id and
/// the statement's currency. Identifiers are kept exactly as written.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AccountRef<'a> {
    /// Bank, credit card, investment or loan.
    pub kind: AccountKind,
    /// The institution: sign-on `FI/FID`, else `FI/ORG`, else `BANKID`, else `BROKERID`
    /// (empty when none).
    pub institution: Cow<'a, str>,
    /// `BANKID`.
    pub bank_id: Cow<'a, str>,
    /// `BRANCHID`, or `BROKERID` for investment accounts.
    pub branch_id: Cow<'a, str>,
    /// `ACCTID`.
    pub account_id: Cow<'a, str>,
    /// `CURDEF` (OFC statements have none).
    pub currency: Option<Cow<'a, str>>,
}

impl<'a> AccountRef<'a> {
    /// An account reference.
    pub fn new(
        kind: AccountKind,
        institution: impl Into<Cow<'a, str>>,
        account_id: impl Into<Cow<'a, str>>,
        currency: Option<Cow<'a, str>>,
    ) -> Self {
        AccountRef {
            kind,
            institution: institution.into(),
            bank_id: Cow::Borrowed(""),
            branch_id: Cow::Borrowed(""),
            account_id: account_id.into(),
            currency,
        }
    }

    /// The same with the bank and branch (or broker) ids.
    pub fn with_bank(
        mut self,
        bank_id: impl Into<Cow<'a, str>>,
        branch_id: impl Into<Cow<'a, str>>,
    ) -> Self {
        self.bank_id = bank_id.into();
        self.branch_id = branch_id.into();
        self
    }
}

/// What an investment transaction moves besides cash: a security's units, at a price.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holding<'a> {
    /// The aggregate's name: `BUYSTOCK`, `SELLMF`, `INCOME`, `REINVEST`, `TRANSFER`, ….
    pub kind: Cow<'a, str>,
    /// `SECID/UNIQUEID`, as written.
    pub security_id: Option<Cow<'a, str>>,
    /// The ticker the `SECLIST` gives the security, when it does.
    pub ticker: Option<Cow<'a, str>>,
    /// `UNITS`.
    pub units: Option<Decimal>,
    /// `UNITPRICE`.
    pub unit_price: Option<Decimal>,
    /// `INCOMETYPE` (`DIV`, `INTEREST`, `CGLONG`, `CGSHORT`, `MISC`).
    pub income_type: Option<Cow<'a, str>>,
    /// `BUYTYPE`, `SELLTYPE`, `TFERACTION` (`IN`, `OUT`), … as written.
    pub action: Option<Cow<'a, str>>,
}

impl<'a> Holding<'a> {
    /// A holding of the kind `kind` (`BUYSTOCK`, …) with nothing else known.
    pub fn new(kind: impl Into<Cow<'a, str>>) -> Self {
        Holding {
            kind: kind.into(),
            security_id: None,
            ticker: None,
            units: None,
            unit_price: None,
            income_type: None,
            action: None,
        }
    }
}

/// One transaction to write.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry<'a> {
    /// Index of its account in [`Journal::accounts`].
    pub account: usize,
    /// The calendar date the bank wrote (`DTPOSTED`; `DTTRADE` for investment transactions).
    pub date: NaiveDate,
    /// `TRNAMT`, or an investment transaction's `TOTAL` (zero when it has none).
    pub amount: Decimal,
    /// `TRNTYPE`, or the investment aggregate's name.
    pub trntype: Option<Cow<'a, str>>,
    /// `FITID`.
    pub fitid: Option<Cow<'a, str>>,
    /// `NAME` (or the `PAYEE`'s name; for investments the security's name).
    pub name: Option<Cow<'a, str>>,
    /// `MEMO`.
    pub memo: Option<Cow<'a, str>>,
    /// `CHECKNUM`.
    pub check_number: Option<Cow<'a, str>>,
    /// `CORRECTFITID`.
    pub correct_fitid: Option<Cow<'a, str>>,
    /// `CORRECTACTION`: `REPLACE` or `DELETE`.
    pub correct_action: Option<Cow<'a, str>>,
    /// The units and price of an investment transaction.
    pub holding: Option<Box<Holding<'a>>>,
}

impl<'a> Entry<'a> {
    /// An entry of account `account` on `date` for `amount`, with nothing else known.
    pub fn new(account: usize, date: NaiveDate, amount: Decimal) -> Self {
        Entry {
            account,
            date,
            amount,
            trntype: None,
            fitid: None,
            name: None,
            memo: None,
            check_number: None,
            correct_fitid: None,
            correct_action: None,
            holding: None,
        }
    }
}

/// A balance the bank gave (`LEDGERBAL`; OFC `LEDGER` at the statement's end): what the
/// account holds at the end of `date`, the transactions of that day included.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BalanceAssertion {
    /// Index of its account in [`Journal::accounts`].
    pub account: usize,
    /// The calendar date of `DTASOF`.
    pub date: NaiveDate,
    /// `BALAMT`.
    pub amount: Decimal,
}

impl BalanceAssertion {
    /// A balance of account `account` (an index [`Journal::account`] gave) at the end of
    /// `date`.
    pub fn new(account: usize, date: NaiveDate, amount: Decimal) -> Self {
        BalanceAssertion { account, date, amount }
    }
}

/// The balance an account is opened with so that its first balance assertion holds: the
/// balance less the transactions written up to its date.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opening {
    /// Index of its account in [`Journal::accounts`].
    pub account: usize,
    /// The day of the account's first entry or first balance, whichever comes first.
    pub date: NaiveDate,
    /// The amount.
    pub amount: Decimal,
}

/// What [`Journal::finish`] left out or changed, counted.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct JournalTotals {
    /// Entries written.
    pub written: usize,
    /// Transactions with no date or no amount (not written).
    pub incomplete: usize,
    /// Transactions a later `REPLACE` replaced or a `DELETE` removed.
    pub corrected: usize,
    /// `REPLACE`/`DELETE` corrections whose transaction is not in the journal (a `REPLACE`
    /// is written as it is, a `DELETE` only counted).
    pub unmatched_corrections: usize,
    /// Transactions whose `ofxid` was already written earlier in the same output.
    pub duplicates: usize,
    /// Transactions whose `ofxid` the existing journal already holds.
    pub existing: usize,
}

/// What [`Journal::finish`] does besides applying corrections.
#[derive(Debug, Clone, Copy, Default)]
pub struct FinishOptions<'e> {
    /// Leave out the transactions this journal already holds (by `ofxid`), and do not open
    /// again (or give an opening balance to) the accounts and commodities it declares.
    pub existing: Option<&'e Existing>,
}

/// Entries, balances and accounts to write, from one or more files or from the ledger.
#[derive(Debug, Clone, Default)]
pub struct Journal<'a> {
    accounts: Vec<AccountRef<'a>>,
    index: HashMap<AccountRef<'a>, usize>,
    entries: Vec<Entry<'a>>,
    balances: Vec<BalanceAssertion>,
    openings: Vec<Opening>,
    totals: JournalTotals,
    known_accounts: HashSet<String>,
    known_commodities: HashSet<String>,
    streamed: usize,
}

impl<'a> Journal<'a> {
    /// An empty journal.
    pub fn new() -> Self {
        Journal::default()
    }

    /// The accounts, in the order first met.
    pub fn accounts(&self) -> &[AccountRef<'a>] {
        &self.accounts
    }

    /// The entries, in the order added (after [`finish`](Self::finish): those to write).
    pub fn entries(&self) -> &[Entry<'a>] {
        &self.entries
    }

    /// The balance assertions.
    pub fn balances(&self) -> &[BalanceAssertion] {
        &self.balances
    }

    /// How many entries [`add_bytes`](Self::add_bytes) took while files were read (the
    /// others were read from the documents' models).
    pub fn streamed_entries(&self) -> usize {
        self.streamed
    }

    /// Counts an entry taken while a file was read.
    pub(super) fn count_streamed(&mut self) {
        self.streamed += 1;
    }

    /// The opening balances ([`finish`](Self::finish) works them out).
    pub fn openings(&self) -> &[Opening] {
        &self.openings
    }

    /// What [`finish`](Self::finish) left out, counted.
    pub fn totals(&self) -> JournalTotals {
        self.totals
    }

    /// True when the existing journal given to [`finish`](Self::finish) already declares
    /// (or posts to) the account `name`.
    pub fn is_known_account(&self, name: &str) -> bool {
        self.known_accounts.contains(name)
    }

    /// True when the existing journal already declares the commodity `symbol`.
    pub fn is_known_commodity(&self, symbol: &str) -> bool {
        self.known_commodities.contains(symbol)
    }

    /// The index of `account`, added when new.
    pub fn account(&mut self, account: AccountRef<'a>) -> usize {
        if let Some(&i) = self.index.get(&account) {
            return i;
        }
        let i = self.accounts.len();
        self.accounts.push(account.clone());
        self.index.insert(account, i);
        i
    }

    /// Adds an entry (its `account` an index [`account`](Self::account) gave).
    pub fn add_entry(&mut self, entry: Entry<'a>) {
        self.entries.push(entry);
    }

    /// Counts a transaction that could not be written (no date or no amount).
    pub fn add_incomplete(&mut self) {
        self.totals.incomplete += 1;
    }

    /// Adds a balance assertion.
    pub fn add_balance(&mut self, balance: BalanceAssertion) {
        self.balances.push(balance);
    }

    /// Adds every statement of `model`: bank, card and investment transactions, and each
    /// bank or card statement's `LEDGERBAL`.
    pub fn add_model(&mut self, model: &Model<'a>) {
        let institution = institution_of(model);
        // Without an FI: the bank id, else the broker id.
        for statement in &model.statements {
            self.add_statement(institution, statement, model);
        }
    }

    fn add_statement(
        &mut self,
        institution: Option<&'a str>,
        s: &Statement<'a>,
        model: &Model<'a>,
    ) {
        let key = account_key(institution, s);
        let account = self.account(key);
        for t in &s.transactions {
            let (Some(date), Some(amount)) = (t.date_posted.as_ref(), t.amount.as_ref()) else {
                self.totals.incomplete += 1;
                continue;
            };
            self.entries.push(Entry {
                account,
                date: date.value.naive_date(),
                amount: amount.value,
                trntype: t.trntype.as_ref().map(|c| Cow::Owned(c.as_str().to_owned())),
                fitid: t.fitid.map(Cow::Borrowed),
                name: t.display_name().map(Cow::Borrowed),
                memo: t.memo.clone(),
                check_number: t.check_number.map(Cow::Borrowed),
                correct_fitid: t.correct_fitid.map(Cow::Borrowed),
                correct_action: t.correct_action.as_ref().map(correction_name),
                holding: None,
            });
        }
        for t in &s.investment_transactions {
            let Some(date) = t.date_trade.as_ref() else {
                self.totals.incomplete += 1;
                continue;
            };
            let id = t.security.as_ref().and_then(|s| s.unique_id);
            let security = t.security_in(&model.securities);
            self.entries.push(Entry {
                account,
                date: date.value.naive_date(),
                amount: t.total.as_ref().map_or(Decimal::ZERO, |a| a.value),
                trntype: Some(Cow::Borrowed(t.kind)),
                fitid: t.fitid.map(Cow::Borrowed),
                name: security.and_then(|s| s.name.or(s.ticker)).or(id).map(Cow::Borrowed),
                memo: t.memo.map(Cow::Borrowed),
                check_number: None,
                correct_fitid: None,
                correct_action: None,
                holding: Some(Box::new(Holding {
                    kind: Cow::Borrowed(t.kind),
                    security_id: id.map(Cow::Borrowed),
                    ticker: security.and_then(|s| s.ticker).map(Cow::Borrowed),
                    units: t.units.as_ref().map(|a| a.value),
                    unit_price: t.unit_price.as_ref().map(|a| a.value),
                    income_type: t.income_type.as_ref().map(|c| Cow::Owned(c.as_str().to_owned())),
                    action: t.action.map(Cow::Borrowed),
                })),
            });
        }
        if matches!(s.kind, StatementKind::Bank | StatementKind::CreditCard)
            && let Some(b) = s.ledger_balance.as_ref()
            && let Some(amount) = b.amount.as_ref()
            && let Some(date) = b.as_of.as_ref().or(s.end.as_ref())
        {
            self.balances.push(BalanceAssertion {
                account,
                date: date.value.naive_date(),
                amount: amount.value,
            });
        }
    }

    /// The key ledger-autosync gives a transaction: `INSTITUTION.ACCTID.FITID` (the
    /// identifiers as written); `None` without a `FITID`.
    pub fn ofxid(&self, entry: &Entry<'_>) -> Option<String> {
        let fitid = entry.fitid.as_deref()?;
        let a = self.accounts.get(entry.account)?;
        Some(format!("{}.{}.{}", a.institution, a.account_id, fitid))
    }

    /// The three parts of [`ofxid`](Self::ofxid) (institution, account id, FITID), without
    /// putting them together.
    pub(crate) fn ofxid_parts<'s>(&'s self, entry: &'s Entry<'_>) -> Option<[&'s str; 3]> {
        let fitid = entry.fitid.as_deref()?;
        let a = self.accounts.get(entry.account)?;
        Some([&a.institution, &a.account_id, fitid])
    }

    /// Applies the corrections, leaves out what was written already (here or in the
    /// existing journal), and works out the opening balances.
    pub fn finish(mut self, options: &FinishOptions<'_>) -> Journal<'a> {
        // Decided on borrowed keys first (no text copied per entry), then filtered.
        let mut keep = vec![false; self.entries.len()];
        {
            let entries = &self.entries;
            let accounts = &self.accounts;
            // Accounts with the same institution and ACCTID share their ofxids: each
            // account's group, numbered in the order first met.
            let mut groups: HashMap<(&str, &str), usize> = HashMap::new();
            let group: Vec<usize> = accounts
                .iter()
                .map(|a| {
                    let n = groups.len();
                    *groups.entry((&a.institution, &a.account_id)).or_insert(n)
                })
                .collect();
            // (group, FITID) → the entry first written with that ofxid: one table serves both
            // the duplicates (a key met before) and the corrections (a key whose entry is
            // still kept, in its account): that entry is the only one of its group ever kept
            // with that FITID, and a correction clears its flag in `keep`. The table holds
            // entry indices only; their keys are read from the entries.
            let n = entries.len();
            // Keyed by texts from the files: a randomly seeded hash, so that a crafted file
            // cannot make every FITID collide (foldhash: seeded per run, which is what a
            // one-shot reading of a file needs, at a fraction of SipHash's cost per key).
            let state = foldhash::quality::RandomState::default();
            let key_of = |at: usize| {
                let e = entries.get(at)?;
                Some((*group.get(e.account)?, e.fitid.as_deref()?))
            };
            let hash_at = |at: &usize| state.hash_one(key_of(*at));
            let mut table: HashTable<usize> = HashTable::with_capacity(n);
            for (i, e) in entries.iter().enumerate() {
                let action = e.correct_action.as_deref();
                if let (Some(action @ ("REPLACE" | "DELETE")), Some(target)) =
                    (action, e.correct_fitid.as_deref())
                {
                    let held = group.get(e.account).and_then(|&g| {
                        let key = Some((g, target));
                        let &at = table.find(state.hash_one(key), |&at| key_of(at) == key)?;
                        let kept = keep.get(at).copied().unwrap_or(false);
                        let same = entries.get(at).is_some_and(|t| t.account == e.account);
                        (kept && same).then_some(at)
                    });
                    match held {
                        Some(at) => {
                            if let Some(k) = keep.get_mut(at) {
                                *k = false;
                            }
                            self.totals.corrected += 1;
                        }
                        None => self.totals.unmatched_corrections += 1,
                    }
                    if action == "DELETE" {
                        continue;
                    }
                }
                if let (Some(fitid), Some(a), Some(&g)) =
                    (e.fitid.as_deref(), accounts.get(e.account), group.get(e.account))
                {
                    if let Some(x) = options.existing {
                        let id = format!("{}.{}.{}", a.institution, a.account_id, fitid);
                        if x.has_ofxid(&id) {
                            self.totals.existing += 1;
                            continue;
                        }
                    }
                    let key = Some((g, fitid));
                    match table.entry(state.hash_one(key), |&at| key_of(at) == key, hash_at) {
                        hashbrown::hash_table::Entry::Occupied(_) => {
                            self.totals.duplicates += 1;
                            continue;
                        }
                        hashbrown::hash_table::Entry::Vacant(v) => {
                            v.insert(i);
                        }
                    }
                }
                if let Some(k) = keep.get_mut(i) {
                    *k = true;
                }
            }
        }
        let mut kept = keep.into_iter();
        self.entries.retain(|_| kept.next().unwrap_or(false));
        self.totals.written = self.entries.len();
        if let Some(x) = options.existing {
            self.known_accounts = x.accounts().clone();
            self.known_commodities = x.commodities().clone();
        }
        self.openings = self.work_out_openings();
        self
    }

    /// For each account with a balance: the balance of its earliest assertion less the
    /// entries up to that day.
    fn work_out_openings(&self) -> Vec<Opening> {
        // Per account with a balance: its earliest balance, the sum of the entries up to
        // that balance's day (`None` once it overflows: amounts near `Decimal::MAX` are the
        // file's, and an account whose sum cannot be held gets no opening rather than a
        // wrong one) and the earliest day. One map, one look-up per entry.
        type Account<'b> = (&'b BalanceAssertion, Option<Decimal>, NaiveDate);
        let mut per: FxHashMap<usize, Account<'_>> = FxHashMap::default();
        for b in &self.balances {
            per.entry(b.account)
                .and_modify(|(f, _, day)| {
                    if b.date < f.date {
                        *f = b;
                        *day = b.date;
                    }
                })
                .or_insert((b, Some(Decimal::ZERO), b.date));
        }
        if !per.is_empty() {
            for e in &self.entries {
                if let Some((b, sum, day)) = per.get_mut(&e.account) {
                    if e.date <= b.date {
                        *sum = sum.and_then(|s| s.checked_add(e.amount));
                    }
                    *day = (*day).min(e.date);
                }
            }
        }
        let mut out: Vec<Opening> = per
            .into_values()
            .filter_map(|(b, before, date)| {
                let amount = b.amount.checked_sub(before?)?;
                Some(Opening { account: b.account, date, amount })
            })
            .collect();
        out.sort_by_key(|o| o.account);
        out
    }
}

/// The account `s` is about, as [`AccountRef`] keys it (`institution`: the sign-on's FI
/// `FID`, else its `ORG`).
pub(super) fn account_key<'m>(institution: Option<&'m str>, s: &Statement<'m>) -> AccountRef<'m> {
    let a = s.account.as_ref();
    let kind = a.map(|a| a.kind).unwrap_or(match s.kind {
        StatementKind::Bank => AccountKind::Bank,
        StatementKind::CreditCard => AccountKind::CreditCard,
        StatementKind::Investment => AccountKind::Investment,
    });
    let bank_id = a.and_then(|a| a.bank_id).unwrap_or_default();
    AccountRef {
        kind,
        institution: Cow::Borrowed(
            institution
                .filter(|i| !i.is_empty())
                .or(Some(bank_id).filter(|b| !b.is_empty()))
                .or(a.and_then(|a| a.broker_id))
                .unwrap_or(""),
        ),
        bank_id: Cow::Borrowed(bank_id),
        branch_id: Cow::Borrowed(a.and_then(|a| a.branch_id.or(a.broker_id)).unwrap_or("")),
        account_id: Cow::Borrowed(a.and_then(|a| a.account_id).unwrap_or("")),
        currency: s.currency.map(Cow::Borrowed),
    }
}

/// The institution a model's statements are keyed by: the sign-on's FI `FID`, else `ORG`.
pub(super) fn institution_of<'m>(model: &Model<'m>) -> Option<&'m str> {
    let fi = model.signon.as_ref().and_then(|s| s.institution.as_ref());
    fi.and_then(|i| i.fid.filter(|f| !f.is_empty()).or(i.org))
}

fn owned(c: Cow<'_, str>) -> Cow<'static, str> {
    Cow::Owned(c.into_owned())
}

impl AccountRef<'_> {
    /// The same, its texts copied.
    pub fn into_owned(self) -> AccountRef<'static> {
        AccountRef {
            kind: self.kind,
            institution: owned(self.institution),
            bank_id: owned(self.bank_id),
            branch_id: owned(self.branch_id),
            account_id: owned(self.account_id),
            currency: self.currency.map(owned),
        }
    }
}

impl Holding<'_> {
    /// The same, its texts copied.
    pub fn into_owned(self) -> Holding<'static> {
        Holding {
            kind: owned(self.kind),
            security_id: self.security_id.map(owned),
            ticker: self.ticker.map(owned),
            units: self.units,
            unit_price: self.unit_price,
            income_type: self.income_type.map(owned),
            action: self.action.map(owned),
        }
    }
}

impl Entry<'_> {
    /// The same, its texts copied.
    pub fn into_owned(self) -> Entry<'static> {
        Entry {
            account: self.account,
            date: self.date,
            amount: self.amount,
            trntype: self.trntype.map(owned),
            fitid: self.fitid.map(owned),
            name: self.name.map(owned),
            memo: self.memo.map(owned),
            check_number: self.check_number.map(owned),
            correct_fitid: self.correct_fitid.map(owned),
            correct_action: self.correct_action.map(owned),
            holding: self.holding.map(|h| Box::new(h.into_owned())),
        }
    }
}

impl<'a> Journal<'a> {
    /// Moves `other`'s accounts, entries, balances and counts into this journal (its texts
    /// copied; accounts met before keep their index).
    pub(super) fn absorb(&mut self, other: Journal<'_>) {
        let index: Vec<usize> =
            other.accounts.into_iter().map(|a| self.account(a.into_owned())).collect();
        let at = |i: usize| index.get(i).copied().unwrap_or(i);
        self.entries.extend(other.entries.into_iter().map(|e| {
            let mut e = e.into_owned();
            e.account = at(e.account);
            e
        }));
        self.balances.extend(other.balances.into_iter().map(|mut b| {
            b.account = at(b.account);
            b
        }));
        self.totals.incomplete += other.totals.incomplete;
    }
}

fn correction_name(c: &Coded<CorrectAction>) -> Cow<'static, str> {
    Cow::Owned(c.as_str().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, 1, d).expect("a day")
    }

    /// The entries kept and the totals as the decisions were first written: one map of
    /// the entries kept by (account, FITID) for the corrections, one set of the ofxids
    /// (by group of accounts) written for the duplicates.
    fn reference(j: &Journal<'_>) -> (Vec<usize>, JournalTotals) {
        let mut totals = JournalTotals::default();
        let mut keep = vec![false; j.entries.len()];
        let group = |a: usize| {
            let x = &j.accounts[a];
            j.accounts
                .iter()
                .position(|y| (&y.institution, &y.account_id) == (&x.institution, &x.account_id))
        };
        let mut by_fitid: HashMap<(usize, &str), usize> = HashMap::new();
        let mut seen: HashSet<(Option<usize>, &str)> = HashSet::new();
        for (i, e) in j.entries.iter().enumerate() {
            let action = e.correct_action.as_deref();
            if let (Some(action @ ("REPLACE" | "DELETE")), Some(target)) =
                (action, e.correct_fitid.as_deref())
            {
                match by_fitid.remove(&(e.account, target)) {
                    Some(at) => {
                        keep[at] = false;
                        totals.corrected += 1;
                    }
                    None => totals.unmatched_corrections += 1,
                }
                if action == "DELETE" {
                    continue;
                }
            }
            if let Some(fitid) = e.fitid.as_deref() {
                if !seen.insert((group(e.account), fitid)) {
                    totals.duplicates += 1;
                    continue;
                }
                by_fitid.insert((e.account, fitid), i);
            }
            keep[i] = true;
        }
        let kept = (0..keep.len()).filter(|&i| keep[i]).collect();
        totals.written = keep.iter().filter(|&&k| k).count();
        (kept, totals)
    }

    #[test]
    fn one_map_decides_as_the_map_and_the_set_did() {
        // Small random journals: three accounts (two of them sharing their ofxids), few
        // FITIDs, corrections of every kind.
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n
        };
        let fitids = ["a", "b", "c", "d"];
        for _ in 0..2000 {
            let mut j = Journal::new();
            let accounts = [
                j.account(AccountRef::new(AccountKind::Bank, "f", "1", None)),
                j.account(AccountRef::new(AccountKind::CreditCard, "f", "1", None)),
                j.account(AccountRef::new(AccountKind::Bank, "f", "2", None)),
            ];
            for k in 0..next(12) {
                let mut e = Entry::new(accounts[next(3) as usize], day(2), Decimal::from(k));
                if next(5) > 0 {
                    e.fitid = Some(Cow::Borrowed(fitids[next(4) as usize]));
                }
                if next(3) == 0 {
                    e.correct_fitid = Some(Cow::Borrowed(fitids[next(4) as usize]));
                    let action = ["REPLACE", "DELETE", "OTHER"][next(3) as usize];
                    e.correct_action = Some(Cow::Borrowed(action));
                }
                j.add_entry(e);
            }
            let (kept, totals) = reference(&j);
            let expected: Vec<Entry<'_>> = kept.iter().map(|&i| j.entries[i].clone()).collect();
            let done = j.clone().finish(&FinishOptions::default());
            assert_eq!(done.entries(), expected.as_slice(), "{:?}", j.entries);
            assert_eq!(done.totals(), totals, "{:?}", j.entries);
        }
    }

    #[test]
    fn an_opening_comes_from_the_earliest_balance_and_the_entries_up_to_its_day() {
        let mut j = Journal::new();
        let a = j.account(AccountRef::new(AccountKind::Bank, "f", "1", None));
        let b = j.account(AccountRef::new(AccountKind::Bank, "f", "2", None));
        for (account, d, cents) in [(a, 5, -1000), (a, 9, 250), (a, 3, 100), (b, 7, 5)] {
            j.add_entry(Entry::new(account, day(d), Decimal::new(cents, 2)));
        }
        // The later balance first: the earlier one (day 6) decides.
        j.add_balance(BalanceAssertion::new(a, day(20), Decimal::new(99900, 2)));
        j.add_balance(BalanceAssertion::new(a, day(6), Decimal::new(50000, 2)));
        j.add_balance(BalanceAssertion::new(a, day(6), Decimal::new(1, 2)));
        let j = j.finish(&FinishOptions::default());
        let openings: Vec<(usize, NaiveDate, Decimal)> =
            j.openings().iter().map(|o| (o.account, o.date, o.amount)).collect();
        // 500.00 less the entries of days 3 and 5 (1.00 - 10.00); dated the first entry's day.
        assert_eq!(openings, [(a, day(3), Decimal::new(50900, 2))]);
    }

    #[test]
    fn an_opening_whose_sum_overflows_is_left_out_not_a_panic() {
        let mut j = Journal::new();
        let big = j.account(AccountRef::new(AccountKind::Bank, "f", "1", None));
        let small = j.account(AccountRef::new(AccountKind::Bank, "f", "2", None));
        for (i, (account, amount)) in
            [(big, Decimal::MAX), (big, Decimal::MAX), (small, Decimal::new(-1250, 2))]
                .into_iter()
                .enumerate()
        {
            let mut e = Entry::new(account, day(2), amount);
            e.fitid = Some(Cow::Owned(format!("T{i}")));
            j.add_entry(e);
        }
        j.add_balance(BalanceAssertion::new(big, day(3), Decimal::ONE));
        j.add_balance(BalanceAssertion::new(small, day(3), Decimal::new(10000, 2)));
        // The difference of the balance and a sum that fits can overflow too.
        let other = j.account(AccountRef::new(AccountKind::Bank, "f", "3", None));
        j.add_entry(Entry::new(other, day(2), Decimal::MAX));
        j.add_balance(BalanceAssertion::new(other, day(3), Decimal::MIN));
        let j = j.finish(&FinishOptions::default());
        let openings: Vec<(usize, Decimal)> =
            j.openings().iter().map(|o| (o.account, o.amount)).collect();
        assert_eq!(openings, [(small, Decimal::new(11250, 2))]);
        assert_eq!(j.entries().len(), 4);
    }
}
