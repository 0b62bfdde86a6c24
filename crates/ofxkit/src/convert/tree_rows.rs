//! Transaction rows written straight from the tree, for the common case.
//!
//! A `STMTTRN` whose children are plain leaves of the fields a row shows, each once, with
//! values the reader takes without a remark (and maybe one `PAYEE` of plain leaves, whose
//! first `NAME` is the row's name), is written to the output line without building a
//! [`Transaction`](crate::model::Transaction) or a row of cells: the text goes from the tree,
//! or from the leaves the tokenizer read at once ([`transaction_leaves`]), to the line.
//! Anything else (another aggregate inside, a repeated or empty field, an element the row
//! does not show, an unknown code, a value the reader would warn about) makes
//! [`transaction`] return `false`, and the converter reads that transaction the general way.
//! The output and the findings are therefore the same either way; a test and the
//! `convert_any` fuzz target compare the two on every input.
//!
//! Which child is which field, and which column shows it, come from the table of
//! transaction fields (`crate::transaction_fields`) that the model reader follows too; the
//! cells are written by the converter's one cell writer (`convert::cells`); dates and
//! amounts of the common forms are checked and written by `datetime::write_common_form` and
//! `amount::is_canonical`, anything else by the general readers.

use std::fmt::Write as _;

use ofxkit_syntax::{Element, PlainLeaves, Tree};

use crate::amount::{Dialect, parse_amount};
use crate::codes::Code;
use crate::codes::mapping::ofc_trntype_to_ofx;
use crate::codes::ofc::OfcTrnType;
use crate::codes::ofx::{CorrectAction, TrnType};
use crate::datetime::{WrittenOffset, parse_datetime, zone_written};
use crate::read::PayeeField;
use crate::transaction_fields::{
    CHECKED_NOT_SHOWN, Field, Kind, OFTEN_EMPTY_FIELDS, OFTEN_EMPTY_FROM, Shows, TRANSACTION_CELLS,
};

use super::cells::{self, Style, empty, quote, separator};

/// `fmt::Write` into a byte line.
struct Bytes<'a>(&'a mut Vec<u8>);

impl std::fmt::Write for Bytes<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.extend_from_slice(s.as_bytes());
        Ok(())
    }
}

/// The fields of one transaction row, as the file wrote them, by [`Field`].
#[derive(Default)]
pub(crate) struct Fields<'t> {
    /// The fields seen ([`Field::bit`]).
    seen: u32,
    /// The texts of the plain leaves, and the first `NAME` of the `PAYEE`.
    slots: [Option<&'t str>; SLOTS],
}

/// The fields a row from the tree takes as plain leaves come first in [`Field`], then
/// `PAYEE`: a slot for each.
const SLOTS: usize = Field::Payee as usize + 1;

/// The field of each tag name of one tree, by [`Element::name_index`]: a field a row from
/// the tree takes ([`Kind::is_plain_leaf`], `PAYEE`, `GENTRN`), or [`NO_SLOT`].
pub(crate) struct Slots(Vec<u8>);

const NO_SLOT: u8 = u8::MAX;

impl Slots {
    /// Looks up every name of `tree` once.
    pub(crate) fn new(tree: &Tree<'_>) -> Self {
        Self::of_names(tree.names())
    }

    /// Looks up every name once; `names` in the order of their indexes.
    pub(crate) fn of_names<'n>(names: impl Iterator<Item = &'n str>) -> Self {
        let slot = |name| match Field::of_tag(name) {
            Some(f) if f.kind().is_plain_leaf() || matches!(f, Field::Payee | Field::GenTrn) => {
                f as u8
            }
            _ => NO_SLOT,
        };
        Slots(names.map(slot).collect())
    }

    fn of(&self, el: Element<'_>) -> u8 {
        self.of_index(el.name_index())
    }

    #[inline(always)]
    fn of_index(&self, name_index: usize) -> u8 {
        self.0.get(name_index).copied().unwrap_or(NO_SLOT)
    }
}

impl<'t> Fields<'t> {
    /// Takes the children of `el` (and of an OFC `GENTRN` inside it, and the name of a
    /// `PAYEE`); `false` when one of them is not a plain, non-empty leaf of a known slot, or
    /// a slot repeats.
    fn collect(&mut self, el: Element<'t>, slots: &Slots) -> bool {
        for child in el.children() {
            let slot = slots.of(child);
            // A value the file did not finish is the general reader's to report.
            if child.closed_by_recovery() {
                return false;
            }
            let Some(text) = child.text() else {
                match slot {
                    s if s == Field::GenTrn as u8 && self.collect(child, slots) => continue,
                    s if s == Field::Payee as u8 && self.payee(child) => continue,
                    _ => return false,
                }
            };
            if text.is_empty() || !self.put(slot, text) {
                return false;
            }
        }
        true
    }

    /// Marks `slot` as seen; `false` when it already was.
    #[inline(always)]
    fn mark(&mut self, slot: usize) -> bool {
        let bit = 1u32 << slot;
        let fresh = self.seen & bit == 0;
        self.seen |= bit;
        fresh
    }

    /// Whether `field` was seen.
    #[inline(always)]
    fn has(&self, field: Field) -> bool {
        self.seen & field.bit() != 0
    }

    /// Puts a leaf's text in its slot; `false` for a name without a slot, an aggregate
    /// (`PAYEE`, `GENTRN`) written as a leaf, or a slot seen before.
    #[inline(always)]
    fn put(&mut self, slot: u8, text: &'t str) -> bool {
        if slot >= Field::Payee as u8 || !self.mark(usize::from(slot)) {
            return false;
        }
        if let Some(s) = self.slots.get_mut(usize::from(slot)) {
            *s = Some(text);
        }
        true
    }

    /// Takes a `PAYEE` aggregate whose children the reader takes without a remark (plain,
    /// non-empty leaves of the payee's fields, the single ones once): its first `NAME` goes
    /// to the `PAYEE` slot. `false` otherwise, or when it repeats.
    fn payee(&mut self, el: Element<'t>) -> bool {
        if !self.mark(Field::Payee as usize) {
            return false;
        }
        let mut once = 0u8;
        for child in el.children() {
            match child.text() {
                Some(text) if !text.is_empty() && !child.closed_by_recovery() => {
                    let Some(field) = PayeeField::of(child.name()) else { return false };
                    if field == PayeeField::Name {
                        if let Some(s @ None) = self.slots.get_mut(Field::Payee as usize) {
                            *s = Some(text);
                        }
                        continue;
                    }
                    let Some(bit) = field.once_bit() else { continue };
                    if once & bit != 0 {
                        return false;
                    }
                    once |= bit;
                }
                _ => return false,
            }
        }
        true
    }

    /// [`collect`](Self::collect) for the children of an element read at once (never an
    /// aggregate, never an empty text).
    fn collect_leaves(&mut self, mut leaves: PlainLeaves<'t>, slots: &Slots) -> bool {
        leaves.all(|leaf| self.put(slots.of_index(leaf.name_index()), leaf.text()))
    }

    #[inline(always)]
    pub(crate) fn get(&self, field: Field) -> Option<&'t str> {
        self.slots.get(field as usize).copied().flatten()
    }
}

/// Writes a date cell; `false` when the reader would not take `raw` without a remark.
#[inline(always)]
fn date(
    line: &mut Vec<u8>,
    style: Style,
    key: &str,
    raw: Option<&str>,
    dialect: Dialect,
    memo: &mut Memo,
) -> bool {
    let Some(raw) = raw else {
        empty(line, style, key);
        return true;
    };
    separator(line, style, key);
    quote(line, style);
    if !crate::datetime::write_common_form(line, raw, dialect, |zone| memo.offset(zone)) {
        match parse_datetime(raw, dialect) {
            Ok(p) if p.warnings.is_empty() => {
                if p.value.write_iso8601(&mut Bytes(line)).is_err() {
                    return false;
                }
            }
            _ => return false,
        }
    }
    quote(line, style);
    true
}

/// Writes a `date` cell: the calendar part (`YYYY-MM-DD`, the first ten characters) of the
/// date written from `at` (the date cell before it), or an empty cell when there was none.
#[inline(always)]
fn calendar_date(line: &mut Vec<u8>, style: Style, key: &str, at: Option<usize>) {
    let day = at.and_then(|at| line.get(at..at + 10)).and_then(|d| <[u8; 10]>::try_from(d).ok());
    match day {
        Some(day) => {
            separator(line, style, key);
            quote(line, style);
            line.extend_from_slice(&day);
            quote(line, style);
        }
        None => empty(line, style, key),
    }
}

/// What a transaction's cells need to remember between rows: the time zones read so far.
#[derive(Debug, Default)]
pub(crate) struct Memo {
    /// Zones by their text: the offset written as `±HH` and `:MM`.
    zones: Recent<(u32, u16), 4>,
    /// `TRNTYPE`s by their text, with the dialect in the key's top bit: the type's OFX name
    /// and OFC code as a row shows them (a word compared instead of a search of the code
    /// table, whose string comparisons branch hard to predict).
    types: Recent<(Option<&'static str>, Option<&'static str>), 8>,
    /// The cells from [`OFTEN_EMPTY_FROM`] on, all empty, in a style (see
    /// [`Memo::empty_cells`]).
    empty: Option<(Style, Vec<u8>)>,
}

/// The last `N` answers, by a key from [`Memo::key`] (never 0, the key of an empty entry);
/// the newest replaces the oldest.
#[derive(Debug)]
struct Recent<V, const N: usize> {
    entries: [(u128, V); N],
    next: usize,
}

impl<V: Copy + Default, const N: usize> Default for Recent<V, N> {
    fn default() -> Self {
        Recent { entries: [(0, V::default()); N], next: 0 }
    }
}

impl<V: Copy, const N: usize> Recent<V, N> {
    #[inline(always)]
    fn get(&self, key: u128) -> Option<V> {
        self.entries.iter().find(|(k, _)| *k == key).map(|&(_, v)| v)
    }

    fn insert(&mut self, key: u128, value: V) {
        if let Some(entry) = self.entries.get_mut(self.next) {
            *entry = (key, value);
        }
        self.next = (self.next + 1) % N;
    }
}

impl Memo {
    /// The cells from [`OFTEN_EMPTY_FROM`] on, all empty, in `style` (written once).
    #[inline(always)]
    fn empty_cells(&mut self, style: Style) -> &[u8] {
        if self.empty.as_ref().is_none_or(|(s, _)| *s != style) {
            let mut line = Vec::new();
            for column in TRANSACTION_CELLS.get(OFTEN_EMPTY_FROM..).unwrap_or_default() {
                empty(&mut line, style, column.key);
            }
            self.empty = Some((style, line));
        }
        self.empty.as_ref().map_or(&[], |(_, line)| line)
    }

    /// A text (`[-5:EST]`) of 1 to 16 bytes as one word that tells it from any other: its
    /// first and last halves (which overlap when it is shorter than the word), and its
    /// length in the top byte (whose top bit stays clear).
    #[inline(always)]
    fn key(zone: &[u8]) -> Option<u128> {
        let len = zone.len();
        let (lo, hi) = if len < 4 {
            if len == 0 {
                return None;
            }
            let lo = zone.iter().rev().fold(0u64, |w, &c| w << 8 | u64::from(c));
            (lo, 0)
        } else if len >= 8 {
            let lo = zone.get(..8).and_then(|w| <[u8; 8]>::try_from(w).ok())?;
            let hi = zone.get(len - 8..).and_then(|w| <[u8; 8]>::try_from(w).ok())?;
            (u64::from_le_bytes(lo), u64::from_le_bytes(hi))
        } else {
            let lo = zone.get(..4).and_then(|w| <[u8; 4]>::try_from(w).ok())?;
            let hi = zone.get(len - 4..).and_then(|w| <[u8; 4]>::try_from(w).ok())?;
            (u64::from(u32::from_le_bytes(lo)), u64::from(u32::from_le_bytes(hi)))
        };
        if len > 16 {
            return None;
        }
        Some(u128::from(lo) | u128::from(hi) << 64 ^ (len as u128) << 120)
    }

    /// A `TRNTYPE` as the row shows it: `(its OFX name, its OFC code)`; `None` when it is
    /// not one exactly (the general reader then reads it).
    #[inline(always)]
    pub(crate) fn trntype(
        &mut self,
        raw: &str,
        dialect: Dialect,
    ) -> Option<(Option<&'static str>, Option<&'static str>)> {
        let key = Self::key(raw.as_bytes()).map(|k| match dialect {
            Dialect::Ofx => k,
            Dialect::Ofc => k | 1 << 127,
        });
        if let Some(shown) = key.and_then(|k| self.types.get(k)) {
            return Some(shown);
        }
        let shown = match dialect {
            Dialect::Ofx => (Some(TrnType::from_exact(raw)?.as_str()), None),
            Dialect::Ofc => {
                let c = OfcTrnType::from_exact(raw)?;
                (ofc_trntype_to_ofx(c).map(TrnType::as_str), Some(c.as_str()))
            }
        };
        if let Some(key) = key {
            self.types.insert(key, shown);
        }
        Some(shown)
    }

    /// The offset of a zone bracket as [`zone_written`] gives it, remembered.
    #[inline(always)]
    pub(crate) fn offset(&mut self, zone_text: &[u8]) -> Option<WrittenOffset> {
        let key = Self::key(zone_text);
        if let Some(written) = key.and_then(|k| self.zones.get(k)) {
            return Some(written);
        }
        let written = zone_written(zone_text)?;
        if let Some(key) = key {
            self.zones.insert(key, written);
        }
        Some(written)
    }
}

/// Writes an amount cell; `false` when the reader would not take `raw` without a remark.
fn amount(
    line: &mut Vec<u8>,
    style: Style,
    key: &str,
    raw: Option<&str>,
    dialect: Dialect,
) -> bool {
    let Some(raw) = raw else {
        empty(line, style, key);
        return true;
    };
    separator(line, style, key);
    quote(line, style);
    if crate::amount::is_canonical(raw) {
        line.extend_from_slice(raw.as_bytes());
    } else {
        match parse_amount(raw, dialect) {
            Ok(p) if p.warnings.is_empty() => {
                let _ = write!(Bytes(line), "{}", p.value);
            }
            _ => return false,
        }
    }
    quote(line, style);
    true
}

/// Writes the cells of a `STMTTRN` row after the statement's prefix (from `date_posted` on,
/// in [`TRANSACTION_COLUMNS`](super::rows::TRANSACTION_COLUMNS) order); `false` when the
/// transaction needs the general reader (the line then holds a partial row).
pub(crate) fn transaction(
    line: &mut Vec<u8>,
    style: Style,
    el: Element<'_>,
    slots: &Slots,
    dialect: Dialect,
    memo: &mut Memo,
) -> bool {
    // One the file did not finish may leave values out (the general reader says which).
    if el.closed_by_recovery() {
        return false;
    }
    let mut f = Fields::default();
    f.collect(el, slots) && write_transaction(line, style, &f, dialect, memo)
}

/// [`transaction`] for a `STMTTRN` offered with its children read at once.
pub(crate) fn transaction_leaves(
    line: &mut Vec<u8>,
    style: Style,
    leaves: PlainLeaves<'_>,
    slots: &Slots,
    dialect: Dialect,
    memo: &mut Memo,
) -> bool {
    let mut f = Fields::default();
    f.collect_leaves(leaves, slots) && write_transaction(line, style, &f, dialect, memo)
}

/// The fields of an offered `STMTTRN` when a row from the tree would take it: the same
/// checks as [`write_transaction`] (every value one the reader takes without a remark) made
/// on the values alone ([`values_taken`]), without writing the row; `scratch` holds the
/// dates and amounts written for their check. For the accounting outputs
/// (`crate::export`), which need the values, not the row.
pub(crate) fn checked_values<'t>(
    leaves: Option<PlainLeaves<'t>>,
    el: impl FnOnce() -> Element<'t>,
    slots: &Slots,
    dialect: Dialect,
    memo: &mut Memo,
    scratch: &mut Vec<u8>,
) -> Option<Fields<'t>> {
    let mut f = Fields::default();
    let collected = match leaves {
        Some(leaves) => f.collect_leaves(leaves, slots),
        None => {
            let el = el();
            !el.closed_by_recovery() && f.collect(el, slots)
        }
    };
    (collected && values_taken(&f, dialect, memo, scratch)).then_some(f)
}

/// Whether [`write_transaction`] writes the row of `f` rather than refuse it: the checks
/// of its cells, in the same order, without the cells whose text is taken as it is (the
/// texts, the codes already checked). A test compares the two.
fn values_taken(f: &Fields<'_>, dialect: Dialect, memo: &mut Memo, scratch: &mut Vec<u8>) -> bool {
    let style = Style::Csv { guard: false };
    // A date or an amount, written for its check (as a shown value or a value the reader
    // checks and no column shows).
    let mut checked = |field: Field, memo: &mut Memo| {
        scratch.clear();
        match field.kind() {
            Kind::Date => date(scratch, style, "", f.get(field), dialect, memo),
            Kind::Amount => amount(scratch, style, "", f.get(field), dialect),
            _ => false,
        }
    };
    if f.seen & CHECKED_NOT_SHOWN != 0 {
        for &field in Field::ALL {
            if f.seen & CHECKED_NOT_SHOWN & field.bit() != 0 && !checked(field, memo) {
                return false;
            }
        }
    }
    if f.has(Field::Name) && f.has(Field::Payee) {
        return false;
    }
    if let Some(raw) = f.get(Field::TrnType)
        && memo.trntype(raw, dialect).is_none()
    {
        return false;
    }
    TRANSACTION_CELLS.iter().all(|column| match column.shows {
        Shows::Date(field) | Shows::Amount(field) => {
            f.seen & field.bit() == 0 || checked(field, memo)
        }
        Shows::CorrectAction => {
            f.get(Field::CorrectAction).is_none_or(|raw| CorrectAction::from_exact(raw).is_some())
        }
        Shows::CalendarDate(_)
        | Shows::Type
        | Shows::OfcType
        | Shows::Text(_)
        | Shows::Name
        | Shows::Nothing => true,
    })
}

/// What writing one cell of a row from the tree came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    /// Written: on to the next column.
    Next,
    /// The rest of the row is written.
    Done,
    /// The reader would remark on a value: the transaction is read the general way.
    Refused,
}

/// The values a row shows that come from a code table, read once per row.
struct Codes {
    trntype: Option<&'static str>,
    ofc_trntype: Option<&'static str>,
}

/// The cells of [`transaction`] from the fields collected, column by column of
/// [`TRANSACTION_CELLS`] (one [`cell`] per column, each with its column known when it is
/// compiled: the keys are constants).
#[inline(always)]
fn write_transaction(
    line: &mut Vec<u8>,
    style: Style,
    f: &Fields<'_>,
    dialect: Dialect,
    memo: &mut Memo,
) -> bool {
    // A value the reader checks and no column shows (DTAVAIL): read, then dropped.
    if f.seen & CHECKED_NOT_SHOWN != 0 {
        for &field in Field::ALL {
            if f.seen & CHECKED_NOT_SHOWN & field.bit() == 0 {
                continue;
            }
            let mark = line.len();
            let taken = match field.kind() {
                Kind::Date => date(line, style, "", f.get(field), dialect, memo),
                Kind::Amount => amount(line, style, "", f.get(field), dialect),
                _ => false,
            };
            line.truncate(mark);
            if !taken {
                return false;
            }
        }
    }
    // The reader remarks on both: OFX and OFC allow one or the other.
    if f.has(Field::Name) && f.has(Field::Payee) {
        return false;
    }
    let (trntype, ofc_trntype) = match f.get(Field::TrnType) {
        None => (None, None),
        Some(raw) => match memo.trntype(raw, dialect) {
            Some(shown) => shown,
            None => return false,
        },
    };
    let codes = Codes { trntype, ofc_trntype };
    // Where the text of the last date cell written starts.
    let mut date_at = None;
    let mut row = Row { line, style, f, dialect, memo, codes: &codes, date_at: &mut date_at };
    macro_rules! columns {
        ($($i:literal)*) => {
            $(match row.cell::<$i>() {
                Step::Next => {}
                Step::Done => return true,
                Step::Refused => return false,
            })*
        };
    }
    columns!(0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18);
    const _: () = assert!(TRANSACTION_CELLS.len() == 19, "one `cell` per column");
    true
}

/// A row from the tree being written.
struct Row<'r, 't> {
    line: &'r mut Vec<u8>,
    style: Style,
    f: &'r Fields<'t>,
    dialect: Dialect,
    memo: &'r mut Memo,
    codes: &'r Codes,
    date_at: &'r mut Option<usize>,
}

impl Row<'_, '_> {
    /// Writes the cell of column `I`.
    #[inline(always)]
    fn cell<const I: usize>(&mut self) -> Step {
        let column = const { TRANSACTION_CELLS[I] };
        let (line, style, f) = (&mut *self.line, self.style, self.f);
        if I == OFTEN_EMPTY_FROM && f.seen & OFTEN_EMPTY_FIELDS == 0 {
            // None of the cells from here on has a value: they are written as one piece.
            line.extend_from_slice(self.memo.empty_cells(style));
            return Step::Done;
        }
        let key = column.key;
        let taken = match column.shows {
            Shows::Date(field) => {
                let raw = f.get(field);
                // After the separator and, in JSON, the opening quote.
                let opening = match style {
                    Style::Csv { .. } => 1,
                    Style::Json => key.len() + 1,
                };
                *self.date_at = raw.map(|_| line.len() + opening);
                date(line, style, key, raw, self.dialect, self.memo)
            }
            Shows::CalendarDate(_) => {
                calendar_date(line, style, key, *self.date_at);
                true
            }
            Shows::Amount(field) => amount(line, style, key, f.get(field), self.dialect),
            Shows::Type => {
                cells::code(line, style, key, self.codes.trntype);
                true
            }
            Shows::OfcType => {
                cells::code(line, style, key, self.codes.ofc_trntype);
                true
            }
            Shows::Text(field) => {
                cells::text(line, style, key, f.get(field));
                true
            }
            Shows::Name => {
                cells::text(line, style, key, f.get(Field::Name).or(f.get(Field::Payee)));
                true
            }
            Shows::CorrectAction => match f.get(Field::CorrectAction) {
                None => {
                    cells::empty(line, style, key);
                    true
                }
                Some(raw) => match CorrectAction::from_exact(raw) {
                    Some(a) => {
                        cells::code(line, style, key, Some(a.as_str()));
                        true
                    }
                    None => false,
                },
            },
            Shows::Nothing => {
                cells::empty(line, style, key);
                true
            }
        };
        if taken { Step::Next } else { Step::Refused }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::datetime::write_common_form;

    fn general_date(raw: &str, dialect: Dialect) -> Option<String> {
        parse_datetime(raw, dialect)
            .ok()
            .filter(|p| p.warnings.is_empty())
            .map(|p| p.value.to_iso8601())
    }

    /// Whenever the shortcut takes a date, it writes what the general reader writes.
    #[test]
    fn canonical_dates_match_the_general_reader() {
        let cases = crate::datetime::date_cases();
        let mut taken = 0;
        // Shared by every case: the zones repeat, so most are answered from it, and must be
        // answered as a fresh memo answers them.
        let mut memo = Memo::default();
        for raw in &cases {
            for dialect in [Dialect::Ofx, Dialect::Ofc] {
                let mut line = Vec::new();
                let mut fresh = Vec::new();
                let mut fresh_memo = Memo::default();
                let took_fresh =
                    write_common_form(&mut fresh, raw, dialect, |z| fresh_memo.offset(z));
                let took = write_common_form(&mut line, raw, dialect, |z| memo.offset(z));
                assert_eq!((took, &line), (took_fresh, &fresh), "{raw:?} {dialect:?}");
                if took {
                    taken += 1;
                    let ours = String::from_utf8(line).expect("ASCII");
                    assert_eq!(Some(ours), general_date(raw, dialect), "{raw:?} {dialect:?}");
                }
            }
        }
        assert!(taken > 100, "the shortcut took only {taken} cases");
    }

    /// The checks made on the values alone decide as the row's cells do, on fields of
    /// every kind: dates of every form, amounts, codes, a name and a payee.
    #[test]
    fn values_are_taken_when_the_row_is() {
        let dates = crate::datetime::date_cases();
        let amounts =
            ["-9.59", "1", "+5", "1,5", "-0", "01", ".5", "1e3", "", "9".repeat(30).leak()];
        let codes = ["DEBIT", "debit", "X", "1", "99", "CREDIT", "REPLACE", "DELETE"];
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        let (mut memo, mut row_memo) = (Memo::default(), Memo::default());
        let (mut taken, mut refused) = (0, 0);
        for _ in 0..20_000 {
            let mut f = Fields::default();
            for &field in Field::ALL {
                if field as usize > Field::Payee as usize || next(3) == 0 {
                    continue;
                }
                // Mostly values the reader takes, so that whole rows are taken too.
                let good = next(4) > 0;
                let text: &str = match field.kind() {
                    Kind::Date if good => "20240105120000.000[-5:EST]",
                    Kind::Date => &dates[next(dates.len())],
                    Kind::Amount if good => "-12.50",
                    Kind::Amount => amounts[next(amounts.len())],
                    Kind::TrnType if good => "DEBIT",
                    Kind::CorrectAction if good => "REPLACE",
                    Kind::TrnType | Kind::CorrectAction => codes[next(codes.len())],
                    _ => "TEXT",
                };
                if field == Field::Payee {
                    if good {
                        continue;
                    }
                    f.seen |= field.bit();
                    f.slots[field as usize] = Some("PAYEE");
                } else if !text.is_empty() {
                    f.put(field as u8, text);
                }
            }
            for dialect in [Dialect::Ofx, Dialect::Ofc] {
                let mut line = Vec::new();
                let style = Style::Csv { guard: false };
                let row = write_transaction(&mut line, style, &f, dialect, &mut row_memo);
                let mut scratch = Vec::new();
                let values = values_taken(&f, dialect, &mut memo, &mut scratch);
                assert_eq!(values, row, "{:?} {dialect:?}", f.slots);
                if row { taken += 1 } else { refused += 1 }
            }
        }
        assert!(taken > 1000 && refused > 1000, "taken {taken}, refused {refused}");
    }

    /// The memo of types answers as the code tables do, however full it is.
    #[test]
    fn remembered_types_are_the_tables_answers() {
        use crate::codes::Code as _;
        let mut texts: Vec<String> = TrnType::ALL.iter().map(|t| t.as_str().to_owned()).collect();
        texts.extend(OfcTrnType::ALL.iter().map(|t| t.as_str().to_owned()));
        let odd = ["", "X", "DEBIT ", "debit", "CREDITX", "0", "01", "99", "DIRECTDEBITS"];
        texts.extend(odd.map(String::from));
        let direct = |raw: &str, dialect| match dialect {
            Dialect::Ofx => TrnType::from_exact(raw).map(|t| (Some(t.as_str()), None)),
            Dialect::Ofc => OfcTrnType::from_exact(raw)
                .map(|c| (ofc_trntype_to_ofx(c).map(TrnType::as_str), Some(c.as_str()))),
        };
        let mut memo = Memo::default();
        for round in 0..3 {
            for (i, raw) in texts.iter().enumerate() {
                // Both dialects, in an order that changes with the round.
                let dialect = if (i + round) % 2 == 0 { Dialect::Ofx } else { Dialect::Ofc };
                for d in [dialect, Dialect::Ofx, Dialect::Ofc] {
                    assert_eq!(memo.trntype(raw, d), direct(raw, d), "{raw:?} {d:?}");
                }
            }
        }
    }
}
