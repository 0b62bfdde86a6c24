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

use std::fmt::Write as _;

use ofxkit_syntax::{Element, PlainLeaves, Tree};

use crate::amount::{Dialect, parse_amount};
use crate::codes::Code;
use crate::codes::mapping::ofc_trntype_to_ofx;
use crate::codes::ofc::OfcTrnType;
use crate::codes::ofx::{CorrectAction, TrnType};
use crate::datetime::parse_datetime;

/// How cells are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    /// CSV, text cells guarded against formulas when `guard` is set.
    Csv {
        /// Neutralise formula starters in text cells.
        guard: bool,
    },
    /// One JSON object (NDJSON, or row-shaped JSON).
    Json,
}

/// True when `text` holds a byte below 0x20 or equal to `a` or `b`: sixteen bytes at a time
/// (SSE2) from 16 bytes on, eight (a word) from 8, the last window overlapping the one
/// before it (in a word, a borrow can only flag bytes above one that really matched, so the
/// answer is exact).
#[inline(always)]
fn has_special(text: &[u8], a: u8, b: u8) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let special = |w: u64| {
        let equal = |c: u8| {
            let x = w ^ (ONES * u64::from(c));
            x.wrapping_sub(ONES) & !x
        };
        (w.wrapping_sub(ONES * 0x20) & !w | equal(a) | equal(b)) & HIGH != 0
    };
    let word = |at: usize| {
        text.get(at..at + 8).and_then(|w| <[u8; 8]>::try_from(w).ok()).map_or(0, u64::from_le_bytes)
    };
    let len = text.len();
    if len >= 16 {
        // Sixteen bytes at a time, the last window overlapping the one before it.
        let mut at = 0;
        while at + 16 < len {
            if window_special(text, at, a, b) {
                return true;
            }
            at += 16;
        }
        return window_special(text, len - 16, a, b);
    }
    if len < 8 {
        return text.iter().any(|&x| x < 0x20 || x == a || x == b);
    }
    let mut at = 0;
    while at + 8 < len {
        if special(word(at)) {
            return true;
        }
        at += 8;
    }
    special(word(len - 8))
}

/// [`has_special`] of the 16 bytes of `text` at `at` (false when there are fewer).
#[inline(always)]
fn window_special(text: &[u8], at: usize, a: u8, b: u8) -> bool {
    let Some(window) = text.get(at..at + 16).and_then(|w| <[u8; 16]>::try_from(w).ok()) else {
        return false;
    };
    simd::special(window, a, b)
}

/// SSE2 (on every x86-64 CPU) through `safe_arch`'s safe wrappers; a loop elsewhere.
#[cfg(target_arch = "x86_64")]
mod simd {
    use safe_arch::{
        cmp_eq_mask_i8_m128i, m128i, min_u8_m128i, move_mask_i8_m128i, set_splat_i8_m128i,
    };

    /// True when a byte of `window` is below 0x20 or equal to `a` or `b`.
    #[inline(always)]
    pub(super) fn special(window: [u8; 16], a: u8, b: u8) -> bool {
        let v = m128i::from(window);
        // Below 0x20 exactly when the smaller of it and 0x1F is itself.
        let control = cmp_eq_mask_i8_m128i(min_u8_m128i(v, set_splat_i8_m128i(0x1F)), v);
        let a = cmp_eq_mask_i8_m128i(v, set_splat_i8_m128i(a as i8));
        let b = cmp_eq_mask_i8_m128i(v, set_splat_i8_m128i(b as i8));
        move_mask_i8_m128i(control | a | b) != 0
    }
}

#[cfg(not(target_arch = "x86_64"))]
mod simd {
    pub(super) fn special(window: [u8; 16], a: u8, b: u8) -> bool {
        window.iter().any(|&x| x < 0x20 || x == a || x == b)
    }
}

/// `,"name":`, the start of a JSON member that is not the object's first, for the column
/// `name` (the key of a cell: see [`separator`]).
macro_rules! key {
    ($name:literal) => {
        concat!(",\"", $name, "\":")
    };
}

/// Writes `,` (CSV) or `key`, which [`key!`] made (JSON): the start of a cell that is not the
/// row's first.
#[inline(always)]
fn separator(line: &mut Vec<u8>, style: Style, key: &str) {
    if style == Style::Json {
        line.extend_from_slice(key.as_bytes());
    } else {
        line.push(b',');
    }
}

/// An empty cell: nothing (CSV) or `null` (JSON).
#[inline(always)]
fn empty(line: &mut Vec<u8>, style: Style, key: &str) {
    separator(line, style, key);
    if style == Style::Json {
        line.extend_from_slice(b"null");
    }
}

/// A text cell from the file, as the general writer writes it.
#[inline(always)]
pub(crate) fn text(line: &mut Vec<u8>, style: Style, key: &str, text: Option<&str>) {
    let Some(text) = text else { return empty(line, style, key) };
    separator(line, style, key);
    let bytes = text.as_bytes();
    match style {
        Style::Csv { guard } => {
            // Control bytes (CR, LF, NUL; also tab, which needs nothing) and `,` `"` go to
            // the general writer.
            if has_special(bytes, b',', b'"') {
                super::csv_field(line, &super::neutralise(text, guard));
                return;
            }
            if guard && super::is_formula(bytes) {
                line.push(b'\'');
            }
            line.extend_from_slice(bytes);
        }
        Style::Json => json_string(line, text),
    }
}

/// A JSON string, escaped as serde_json escapes it.
#[inline]
pub(crate) fn json_string(line: &mut Vec<u8>, text: &str) {
    if has_special(text.as_bytes(), b'"', b'\\') {
        // Writing to a Vec cannot fail.
        let _ = serde_json::to_writer(&mut *line, text);
        return;
    }
    line.push(b'"');
    line.extend_from_slice(text.as_bytes());
    line.push(b'"');
}

/// A value ofxkit formats (a code name): never quoted, escaped or guarded.
#[inline(always)]
fn value(line: &mut Vec<u8>, style: Style, key: &str, value: Option<&str>) {
    let Some(v) = value else { return empty(line, style, key) };
    separator(line, style, key);
    quote(line, style);
    line.extend_from_slice(v.as_bytes());
    quote(line, style);
}

fn quote(line: &mut Vec<u8>, style: Style) {
    if style == Style::Json {
        line.push(b'"');
    }
}

/// `fmt::Write` into a byte line.
struct Bytes<'a>(&'a mut Vec<u8>);

impl std::fmt::Write for Bytes<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.extend_from_slice(s.as_bytes());
        Ok(())
    }
}

/// The fields of one transaction row, as the file wrote them.
#[derive(Default)]
struct Fields<'t> {
    seen: u32,
    slots: [Option<&'t str>; SLOTS],
}

const TRNTYPE: usize = 0;
const DTPOSTED: usize = 1;
const DTUSER: usize = 2;
const DTAVAIL: usize = 3;
const TRNAMT: usize = 4;
const FITID: usize = 5;
const NAME: usize = 6;
const MEMO: usize = 7;
const CHECKNUM: usize = 8;
const REFNUM: usize = 9;
const PAYEEID: usize = 10;
const SIC: usize = 11;
const SRVRTID: usize = 12;
const CORRECTFITID: usize = 13;
const CORRECTACTION: usize = 14;
/// Read (so each must be a plain leaf, once) but not shown in a row.
const CLTID: usize = 15;
const EXTDNAME: usize = 16;
/// The `PAYEE` aggregate: its first `NAME` is the row's name (see [`Fields::payee`]).
const PAYEE: usize = 17;
const SLOTS: usize = 18;

/// The slot of an element the reader takes as a plain leaf; `None` for anything else.
fn slot(name: &str) -> Option<usize> {
    Some(match name {
        "TRNTYPE" => TRNTYPE,
        "DTPOSTED" => DTPOSTED,
        "DTUSER" => DTUSER,
        "DTAVAIL" => DTAVAIL,
        "TRNAMT" => TRNAMT,
        "FITID" => FITID,
        "NAME" => NAME,
        "MEMO" | "MEMO2" => MEMO,
        "CHECKNUM" | "CHKNUM" => CHECKNUM,
        "REFNUM" => REFNUM,
        "PAYEEID" | "PAYEEID2" => PAYEEID,
        "SIC" => SIC,
        "SRVRTID" | "SRVRTID2" => SRVRTID,
        "CORRECTFITID" => CORRECTFITID,
        "CORRECTACTION" => CORRECTACTION,
        "CLTID" => CLTID,
        "EXTDNAME" => EXTDNAME,
        "PAYEE" => PAYEE,
        _ => return None,
    })
}

/// The slot of each tag name of one tree, by [`Element::name_index`].
pub(crate) struct Slots(Vec<u8>);

const NO_SLOT: u8 = u8::MAX;
const GENTRN: u8 = u8::MAX - 1;

impl Slots {
    /// Looks up every name of `tree` once.
    pub(crate) fn new(tree: &Tree<'_>) -> Self {
        Self::of_names(tree.names())
    }

    /// Looks up every name once; `names` in the order of their indexes.
    pub(crate) fn of_names<'n>(names: impl Iterator<Item = &'n str>) -> Self {
        Slots(
            names
                .map(|n| match (n, slot(n)) {
                    ("GENTRN", _) => GENTRN,
                    (_, Some(s)) => s as u8,
                    (_, None) => NO_SLOT,
                })
                .collect(),
        )
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
                    GENTRN if self.collect(child, slots) => continue,
                    s if usize::from(s) == PAYEE && self.payee(child) => continue,
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

    /// Puts a leaf's text in its slot; `false` for a name without a slot, a `PAYEE` written
    /// as a leaf, or a slot seen before.
    #[inline(always)]
    fn put(&mut self, slot: u8, text: &'t str) -> bool {
        if slot >= GENTRN || usize::from(slot) == PAYEE || !self.mark(usize::from(slot)) {
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
        if !self.mark(PAYEE) {
            return false;
        }
        let mut once = 0u8;
        for child in el.children() {
            match child.text() {
                Some(text) if !text.is_empty() && !child.closed_by_recovery() => {
                    let field = match child.name() {
                        "NAME" => {
                            if let Some(s @ None) = self.slots.get_mut(PAYEE) {
                                *s = Some(text);
                            }
                            continue;
                        }
                        "ADDR1" | "ADDR2" | "ADDR3" | "ADDRESS" | "PHONE" => continue,
                        "CITY" => 1,
                        "STATE" => 2,
                        "POSTALCODE" | "POSTALID" => 4,
                        "COUNTRY" => 8,
                        _ => return false,
                    };
                    if once & field != 0 {
                        return false;
                    }
                    once |= field;
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

    fn get(&self, slot: usize) -> Option<&'t str> {
        self.slots.get(slot).copied().flatten()
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
    if !canonical_date(line, raw, dialect, memo) {
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

/// Writes the `date` cell: the calendar part (`YYYY-MM-DD`, the first ten characters) of the
/// `date_posted` cell written from `at`, or an empty cell after an empty one.
#[inline(always)]
fn calendar_date(line: &mut Vec<u8>, style: Style, at: usize) {
    let opening = match style {
        Style::Csv { .. } => 1,
        Style::Json => key!("date_posted").len() + 1,
    };
    let day = line.get(at + opening..at + opening + 10).and_then(|d| <[u8; 10]>::try_from(d).ok());
    match day {
        // Not `null`: a date was written.
        Some(day) if day[0] != b'n' => {
            separator(line, style, key!("date"));
            quote(line, style);
            line.extend_from_slice(&day);
            quote(line, style);
        }
        _ => empty(line, style, key!("date")),
    }
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
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
    fn trntype(
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

    /// The offset of `zone` as [`zone`] reads it: `(±HH written as three bytes, the sign
    /// first, in a u32; :00 written as two bytes)`.
    #[inline(always)]
    fn offset(&mut self, zone_text: &[u8]) -> Option<(u32, u16)> {
        let key = Self::key(zone_text);
        if let Some(written) = key.and_then(|k| self.zones.get(k)) {
            return Some(written);
        }
        let hours = zone(zone_text)?;
        let h = hours.unsigned_abs();
        let sign = if hours < 0 { b'-' } else { b'+' };
        let written = u32::from_le_bytes([sign, b'0' + (h / 10) as u8, b'0' + (h % 10) as u8, 0]);
        let minutes = u16::from_le_bytes(*b"00");
        if let Some(key) = key {
            self.zones.insert(key, (written, minutes));
        }
        Some((written, minutes))
    }
}

/// True when the eight bytes of `w` are all ASCII digits. Exact: a byte below `0` sets its
/// own high bit after the subtraction (a borrow only comes from a lower byte that did), one
/// above `9` after the addition, and one of 0x80 or more has it already.
#[inline(always)]
fn all_digits(w: u64) -> bool {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let below = w.wrapping_sub(0x3030_3030_3030_3030);
    let above = w.wrapping_add(0x4646_4646_4646_4646);
    (w | below | above) & HIGH == 0
}

/// The forms nearly every file uses, written as ISO 8601 without going through
/// [`parse_datetime`]: `YYYYMMDD`, `YYYYMMDDHHMMSS`, and (OFX only)
/// `YYYYMMDDHHMMSS.XXX` with an optional `[±H:NAME]` zone of whole hours. `false` (and
/// nothing written) for any other text, which then goes through [`parse_datetime`].
///
/// The text is read as words of eight bytes (the last one overlapping the one before it in
/// a short form), and the output put together from them: `w0` is `YYYYMMDD`, `w1`
/// `HHMMSS.m` and `w2` `MMSS.mmm` (from byte 10); a short form's missing digits are `0`.
#[inline]
fn canonical_date(line: &mut Vec<u8>, raw: &str, dialect: Dialect, memo: &mut Memo) -> bool {
    let b = raw.as_bytes();
    let word = |at: usize| {
        b.get(at..at + 8).and_then(|w| <[u8; 8]>::try_from(w).ok()).map(u64::from_le_bytes)
    };
    const DOT: u64 = (b'.' as u64) << 48;
    const BYTE6: u64 = 0xFF << 48;
    let (len, w0, w1, w2) = match (b.len(), word(0), word(6)) {
        (8, Some(w0), _) => (10, w0, 0x3030_3030_3030_3030, 0x3030_3030_3030_3030),
        // The last word starts at byte 6: bytes 8..14 are its upper six.
        (14, Some(w0), Some(w6)) => (19, w0, w6 >> 16 | 0x3030 << 48, w6 >> 32 | 0x3030_3030 << 32),
        (n, Some(w0), _) if n >= 18 && dialect == Dialect::Ofx => {
            let (Some(w1), Some(w2)) = (word(8), word(10)) else { return false };
            if w1 & BYTE6 != DOT {
                return false;
            }
            // `.` stood in by a digit for the check.
            (if n == 18 { 23 } else { 29 }, w0, w1 & !BYTE6 | 0x30 << 48, w2)
        }
        _ => return false,
    };
    // w2's byte 4 is the `.` (or a `0` of a short form).
    let w2_digits = w2 & !(0xFF << 32) | 0x30 << 32;
    if !(all_digits(w0) && all_digits(w1) && all_digits(w2_digits)) {
        return false;
    }
    let byte = |w: u64, i: u32| (w >> (8 * i)) as u32 & 0xFF;
    let num = |w: u64, i: u32| (byte(w, i) - 0x30) * 10 + byte(w, i + 1) - 0x30;
    let (year, month, day) = (num(w0, 0) * 100 + num(w0, 2), num(w0, 4), num(w0, 6));
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return false;
    }
    if num(w1, 0) > 23 || num(w1, 2) > 59 || num(w1, 4) > 59 {
        return false;
    }
    let (zone_hours, zone_minutes) = match b.get(18..) {
        Some(zone_text) if len == 29 => match memo.offset(zone_text) {
            Some(z) => z,
            None => return false,
        },
        _ => (0, 0),
    };
    // YYYY-MM- DDTHH:MM :SS.mmm± HH:MM
    let o0 = w0 & 0xFFFF_FFFF | 0x2D << 32 | (w0 >> 32 & 0xFFFF) << 40 | 0x2D << 56;
    let o1 = w0 >> 48 | 0x54 << 16 | (w1 & 0xFFFF) << 24 | 0x3A << 40 | (w1 >> 16 & 0xFFFF) << 48;
    let millis = w2 >> 40 & 0xFF_FFFF;
    let o2 =
        0x3A | (w1 >> 32 & 0xFFFF) << 8 | 0x2E << 24 | millis << 32 | u64::from(zone_hours) << 56;
    let o3 = u64::from(zone_hours) >> 8 | 0x3A << 16 | u64::from(zone_minutes) << 24;
    let mut out = [0u8; 32];
    for (dst, w) in out.chunks_exact_mut(8).zip([o0, o1, o2, o3]) {
        dst.copy_from_slice(&w.to_le_bytes());
    }
    // A fixed-size copy, then the unused end dropped: cheaper than a copy of `len` bytes.
    line.extend_from_slice(&out);
    line.truncate(line.len() - (out.len() - len));
    true
}

/// `[-5:EST]`, `[0:GMT]`, `[+1]`: whole hours, at most 14, and a name (if any) of one to
/// four capital letters that is not a known zone of another offset. `None` otherwise.
fn zone(b: &[u8]) -> Option<i32> {
    let inner = b.strip_prefix(b"[")?.strip_suffix(b"]")?;
    let (sign, rest) = match inner.split_first() {
        Some((b'-', rest)) => (-1, rest),
        Some((b'+', rest)) => (1, rest),
        _ => (1, inner),
    };
    let (hours, rest) = match rest {
        [h @ b'0'..=b'9', b'0'..=b'9', ..] => {
            let tens = i32::from(h - b'0') * 10;
            (tens + i32::from(rest.get(1).copied().unwrap_or(b'0') - b'0'), rest.get(2..)?)
        }
        [h @ b'0'..=b'9', ..] => (i32::from(h - b'0'), rest.get(1..)?),
        _ => return None,
    };
    if hours > 14 {
        return None;
    }
    let hours = sign * hours;
    match rest {
        [] => Some(hours),
        [b':', name @ ..] => {
            if name.is_empty() || name.len() > 4 || !name.iter().all(u8::is_ascii_uppercase) {
                return None;
            }
            match crate::datetime::zone_offset_bytes(name) {
                Some(known) if known != hours => None,
                _ => Some(hours),
            }
        }
        _ => None,
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
    if canonical_amount(raw) {
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

/// True for `-?(0|[1-9][0-9]*)(\.[0-9]+)?` with at most 28 digits and not a negative zero:
/// text that `Decimal`'s exact reading and display give back unchanged.
fn canonical_amount(raw: &str) -> bool {
    let b = raw.as_bytes();
    let negative = b.first() == Some(&b'-');
    let unsigned = b.get(usize::from(negative)..).unwrap_or_default();
    // One pass: where the `.` is, and whether a digit is not 0.
    let mut dot = None;
    let mut nonzero = false;
    for (i, &c) in unsigned.iter().enumerate() {
        match c {
            b'0' => {}
            b'1'..=b'9' => nonzero = true,
            b'.' if dot.is_none() => dot = Some(i),
            _ => return false,
        }
    }
    let (int_len, digits) = match dot {
        // Digits on both sides of the `.`.
        Some(p) if p == 0 || p + 1 == unsigned.len() => return false,
        Some(p) => (p, unsigned.len() - 1),
        None if unsigned.is_empty() => return false,
        None => (unsigned.len(), unsigned.len()),
    };
    let leading_zero = int_len > 1 && unsigned.first() == Some(&b'0');
    !leading_zero && digits <= 28 && (nonzero || !negative)
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

/// The cells of [`transaction`] from the fields collected.
#[inline(always)]
fn write_transaction(
    line: &mut Vec<u8>,
    style: Style,
    f: &Fields<'_>,
    dialect: Dialect,
    memo: &mut Memo,
) -> bool {
    let (trntype, ofc_trntype) = match f.get(TRNTYPE) {
        None => (None, None),
        Some(raw) => match memo.trntype(raw, dialect) {
            Some(shown) => shown,
            None => return false,
        },
    };
    let correct_action = match f.get(CORRECTACTION) {
        None => None,
        Some(raw) => match CorrectAction::from_exact(raw) {
            Some(a) => Some(a.as_str()),
            None => return false,
        },
    };
    // DTAVAIL is not shown, but the reader would remark on a bad one: read, then dropped.
    if let Some(raw) = f.get(DTAVAIL) {
        let mark = line.len();
        if !date(line, style, key!("date_available"), Some(raw), dialect, memo) {
            return false;
        }
        line.truncate(mark);
    }
    let posted_at = line.len();
    if !date(line, style, key!("date_posted"), f.get(DTPOSTED), dialect, memo) {
        return false;
    }
    calendar_date(line, style, posted_at);
    if !date(line, style, key!("date_user"), f.get(DTUSER), dialect, memo)
        || !amount(line, style, key!("amount"), f.get(TRNAMT), dialect)
    {
        return false;
    }
    value(line, style, key!("type"), trntype);
    value(line, style, key!("ofc_type"), ofc_trntype);
    text(line, style, key!("fitid"), f.get(FITID));
    // The reader remarks on both: OFX and OFC allow one or the other.
    if f.seen & (1 << NAME) != 0 && f.seen & (1 << PAYEE) != 0 {
        return false;
    }
    text(line, style, key!("name"), f.get(NAME).or(f.get(PAYEE)));
    text(line, style, key!("memo"), f.get(MEMO));
    if f.seen & OPTIONAL == 0 {
        // None of the cells after `memo` has a value: they are written as one piece.
        line.extend_from_slice(match style {
            Style::Csv { .. } => b",,,,,,,,,,",
            Style::Json => concat!(
                key!("check_number"),
                "null",
                key!("reference"),
                "null",
                key!("payee_id"),
                "null",
                key!("sic"),
                "null",
                key!("server_id"),
                "null",
                key!("correct_fitid"),
                "null",
                key!("correct_action"),
                "null",
                key!("security_id"),
                "null",
                key!("units"),
                "null",
                key!("unit_price"),
                "null"
            )
            .as_bytes(),
        });
        return true;
    }
    text(line, style, key!("check_number"), f.get(CHECKNUM));
    text(line, style, key!("reference"), f.get(REFNUM));
    text(line, style, key!("payee_id"), f.get(PAYEEID));
    text(line, style, key!("sic"), f.get(SIC));
    text(line, style, key!("server_id"), f.get(SRVRTID));
    text(line, style, key!("correct_fitid"), f.get(CORRECTFITID));
    value(line, style, key!("correct_action"), correct_action);
    empty(line, style, key!("security_id"));
    empty(line, style, key!("units"));
    empty(line, style, key!("unit_price"));
    true
}

/// The fields shown after `memo`, all empty in most rows.
const OPTIONAL: u32 = 1 << CHECKNUM
    | 1 << REFNUM
    | 1 << PAYEEID
    | 1 << SIC
    | 1 << SRVRTID
    | 1 << CORRECTFITID
    | 1 << CORRECTACTION;

#[cfg(test)]
mod tests {
    use super::*;

    fn general_date(raw: &str, dialect: Dialect) -> Option<String> {
        parse_datetime(raw, dialect)
            .ok()
            .filter(|p| p.warnings.is_empty())
            .map(|p| p.value.to_iso8601())
    }

    /// Whenever the shortcut takes a date, it writes what the general reader writes.
    #[test]
    fn canonical_dates_match_the_general_reader() {
        let mut cases: Vec<String> = Vec::new();
        let dates = ["20240229", "20230229", "20241231", "20240001", "20241301", "00000101"];
        let dates = dates.iter().chain(&["99991231", "19000229", "20000229", "2024010a"]);
        let times = ["", "000000", "235959", "240000", "236000", "235960", "123456"];
        let fractions = ["", ".000", ".999", ".5", ".12a", ":123"];
        let zones = [
            "",
            "[-5:EST]",
            "[0:GMT]",
            "[-4:EDT]",
            "[+1]",
            "[-5]",
            "[14]",
            "[15]",
            "[-5:EDT]",
            "[-5:XYZ]",
            "[-5:est]",
            "[-5:]",
            "[:EST]",
            "[-3.5:NST]",
            "[-0500]",
            "[-5:EST",
            "[-5:EST]x",
            "[05:ABCDE]",
            "[--5]",
            "[+05:30:IST]",
            "[+5:30]",
            "[+0530]",
            "[+5.5:IST]",
            "[+5.30]",
            "[+5.25]",
            "[+5:3]",
            "[-5:EST:X]",
            "[+5:30X]",
            "[+14:00]",
        ];
        for d in dates {
            for t in times {
                for f in fractions {
                    for z in zones {
                        cases.push(format!("{d}{t}{f}{z}"));
                    }
                }
            }
        }
        let mut taken = 0;
        // Shared by every case: the zones repeat, so most are answered from it, and must be
        // answered as a fresh memo answers them.
        let mut memo = Memo::default();
        for raw in &cases {
            for dialect in [Dialect::Ofx, Dialect::Ofc] {
                let mut line = Vec::new();
                let mut fresh = Vec::new();
                let took_fresh = canonical_date(&mut fresh, raw, dialect, &mut Memo::default());
                let took = canonical_date(&mut line, raw, dialect, &mut memo);
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

    #[test]
    fn all_digits_is_exact() {
        for b in 0..=255u8 {
            for at in 0..8 {
                let mut w = *b"12345678";
                w[at] = b;
                assert_eq!(all_digits(u64::from_le_bytes(w)), b.is_ascii_digit(), "{w:?}");
            }
        }
    }

    /// Whenever the shortcut takes an amount, it is the general reader's value as written.
    #[test]
    fn canonical_amounts_match_the_general_reader() {
        let cases = [
            "0",
            "-0",
            "0.00",
            "-0.00",
            "-0.01",
            "12.50",
            "-12.50",
            "+12.50",
            "012",
            "1.",
            ".5",
            "1,50",
            "100",
            "-100",
            "1e5",
            "1.2.3",
            "",
            "-",
            "9999999999999999999999999999",
            "99999999999999999999999999999",
            "1.0000000000000000000000000000",
            "00",
            "-05.5",
            "1..2",
            "-.5",
            "--1",
            "-",
            "1.2-",
            "+-1",
            "-+1",
            "+1-",
            "1-",
            "- 1",
            "+$-1",
            "0.0.",
            "10.010",
            "-0.10",
        ];
        for raw in cases {
            for dialect in [Dialect::Ofx, Dialect::Ofc] {
                if canonical_amount(raw) {
                    let parsed = parse_amount(raw, dialect).expect("canonical parses");
                    assert!(parsed.warnings.is_empty(), "{raw:?}");
                    assert_eq!(parsed.value.to_string(), raw, "{raw:?}");
                }
            }
        }
        assert!(canonical_amount("-12.50") && canonical_amount("0") && !canonical_amount("-0"));
        for taken in ["10.010", "-0.10", "100", "0.00", "9999999999999999999999999999"] {
            assert!(canonical_amount(taken), "{taken}");
        }
    }

    #[test]
    fn special_bytes_are_found_at_every_position() {
        for len in 0..50 {
            for at in 0..len {
                for c in [b',', b'"', b'\n', b'\r', 0, b'\t', b'\\', 0x1f, 0x20, 0x7f, 0x80, 0xff] {
                    let mut t = vec![b'a'; len];
                    t[at] = c;
                    let expected = c < 0x20 || c == b',' || c == b'"';
                    assert_eq!(has_special(&t, b',', b'"'), expected, "{t:?}");
                }
            }
            let plain: Vec<u8> = (0..len).map(|i| b' ' + (i * 7 % 90) as u8).collect();
            let expected = plain.iter().any(|&b| b == b',' || b == b'"');
            assert_eq!(has_special(&plain, b',', b'"'), expected, "{plain:?}");
            assert!(!has_special("é€ü".repeat(len).as_bytes(), b',', b'"'));
        }
    }

    #[test]
    fn csv_text_cells_match_the_general_writer() {
        for t in ["ACME", "=1+1", "-5", "\tx", "a,b", "say \"hi\"", "a\0b", "\nx", "é", "@x"] {
            for guard in [true, false] {
                let mut ours = Vec::new();
                text(&mut ours, Style::Csv { guard }, key!("name"), Some(t));
                let mut theirs = vec![b','];
                super::super::csv_field(&mut theirs, &super::super::neutralise(t, guard));
                assert_eq!(ours, theirs, "{t:?} guard {guard}");
            }
            let mut ours = Vec::new();
            json_string(&mut ours, t);
            assert_eq!(ours, serde_json::to_vec(t).expect("a string"), "{t:?}");
        }
    }
}
