//! The one writer of row cells, for every output format: CSV (RFC 4180 quoting by
//! csv-core's writer, text guarded against spreadsheet formulas) and JSON (strings escaped
//! as serde_json escapes them). Rows written from the typed model ([`cell_body`]) and rows
//! written straight from the tree (`tree_rows`) both go through it.

use std::borrow::Cow;

use super::rows::Cell;

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

impl Style {
    /// The style of `options`' target.
    pub(crate) fn of(options: &super::ConvertOptions) -> Self {
        match options.target {
            super::Target::Csv => Style::Csv { guard: options.formula_guard },
            super::Target::Ndjson | super::Target::Json => Style::Json,
        }
    }
}

/// True when `text` holds a byte below 0x20 or equal to `a` or `b`: sixteen bytes at a time
/// (SSE2) from 16 bytes on, eight (a word) from 8, the last window overlapping the one
/// before it (in a word, a borrow can only flag bytes above one that really matched, so the
/// answer is exact).
#[inline(always)]
pub(crate) fn has_special(text: &[u8], a: u8, b: u8) -> bool {
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

/// Writes `,` (CSV) or `key`, a member's `,"name":` (JSON): the start of a cell that is not
/// the row's first.
#[inline(always)]
pub(crate) fn separator(line: &mut Vec<u8>, style: Style, key: &str) {
    if style == Style::Json {
        line.extend_from_slice(key.as_bytes());
    } else {
        line.push(b',');
    }
}

/// An empty cell: nothing (CSV) or `null` (JSON).
#[inline(always)]
pub(crate) fn empty(line: &mut Vec<u8>, style: Style, key: &str) {
    separator(line, style, key);
    if style == Style::Json {
        line.extend_from_slice(b"null");
    }
}

/// A text cell from the file (see [`text_body`]).
#[inline(always)]
pub(crate) fn text(line: &mut Vec<u8>, style: Style, key: &str, text: Option<&str>) {
    let Some(text) = text else { return empty(line, style, key) };
    separator(line, style, key);
    text_body(line, style, text);
}

/// The text of a cell from the file: in CSV guarded against formulas when the style says so
/// ([`neutralise`]) and quoted as the `csv` crate quotes ([`csv_field`]); in JSON a string.
///
/// In CSV, text without a control byte, `,` or `"` (nearly all of it) needs no quoting and
/// no replacement, so it is written as it is, after a `'` when it is a formula: what
/// `csv_field(neutralise(text))` would write, found by one scan of 16 bytes at a time; the
/// rest goes through csv-core's writer. The `cells_match_the_csv_crate` test proves the two
/// equal. Handing every text cell to csv-core instead costs more than the 5 % the issue
/// allows: a whole conversion to CSV of a 100k-transaction file of `benches/gen` took 22 %
/// more instructions on SGML (643.1 M against 525.3 M) and 19 % more on XML (727.0 M
/// against 609.2 M; `valgrind --tool=cachegrind --cache-sim=no peak FILE --stage csv`).
#[inline(always)]
pub(crate) fn text_body(line: &mut Vec<u8>, style: Style, text: &str) {
    let bytes = text.as_bytes();
    match style {
        Style::Csv { guard } => {
            // Control bytes (CR, LF, NUL; also tab, which needs nothing) and `,` `"` go to
            // csv-core's writer.
            if has_special(bytes, b',', b'"') {
                csv_field(line, neutralise(text, guard).as_bytes());
                return;
            }
            if guard && is_formula(bytes) {
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

/// A value ofxkit formats: never guarded; quoted in CSV only when it must be (a code kept
/// as the file wrote it may hold anything), a string in JSON.
#[inline(always)]
pub(crate) fn value_body(line: &mut Vec<u8>, style: Style, v: &str) {
    match style {
        Style::Csv { .. } if has_special(v.as_bytes(), b',', b'"') => csv_field(line, v.as_bytes()),
        Style::Csv { .. } => line.extend_from_slice(v.as_bytes()),
        Style::Json => json_string(line, v),
    }
}

/// A row cell of the typed model, without its separator.
pub(crate) fn cell_body(line: &mut Vec<u8>, style: Style, cell: &Cell<'_>) {
    match cell {
        Cell::Empty => {
            if style == Style::Json {
                line.extend_from_slice(b"null");
            }
        }
        Cell::Text(t) => text_body(line, style, t),
        Cell::Value(v) => value_body(line, style, v),
        Cell::Formatted(v) => value_body(line, style, v.as_str()),
        Cell::Int(n) => line.extend_from_slice(itoa::Buffer::new().format(*n).as_bytes()),
        Cell::Bool(b) => line.extend_from_slice(match (style, b) {
            (Style::Json, true) => b"true",
            (Style::Json, false) => b"false",
            (_, true) => b"Y",
            (_, false) => b"N",
        }),
    }
}

/// A name from ofxkit's code tables (`DEBIT`, `REPLACE`): ASCII capitals, digits and `_`,
/// which no format quotes or escapes, so it is written as it is (in quotes in JSON).
#[inline(always)]
pub(crate) fn code(line: &mut Vec<u8>, style: Style, key: &str, code: Option<&'static str>) {
    let Some(code) = code else { return empty(line, style, key) };
    debug_assert!(code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'), "{code}");
    separator(line, style, key);
    quote(line, style);
    line.extend_from_slice(code.as_bytes());
    quote(line, style);
}

/// Writes `"` in JSON (around a value written as it is), nothing in CSV.
#[inline(always)]
pub(crate) fn quote(line: &mut Vec<u8>, style: Style) {
    if style == Style::Json {
        line.push(b'"');
    }
}

/// Appends one CSV field as csv-core's writer writes it (RFC 4180, the `csv` crate's
/// default): quoted, with `"` doubled, when it holds a comma, a quote, CR or LF; as it is
/// otherwise.
pub(crate) fn csv_field(line: &mut Vec<u8>, field: &[u8]) {
    let mut writer = csv_core::Writer::new();
    let start = line.len();
    // Room for every byte doubled and the two quotes: one call writes the whole field.
    line.resize(start + 2 * field.len() + 2, 0);
    let written = match line.get_mut(start..) {
        Some(out) => {
            let (_, _, n) = writer.field(field, out);
            let (_, closing) = writer.finish(out.get_mut(n..).unwrap_or_default());
            n + closing
        }
        None => 0,
    };
    line.truncate(start + written);
}

/// A CSV cell: text cells guarded against formulas, NUL replaced.
pub fn csv_cell<'c>(cell: &'c Cell<'_>, guard: bool) -> Cow<'c, str> {
    match cell {
        Cell::Empty => Cow::Borrowed(""),
        Cell::Value(v) => Cow::Borrowed(v),
        Cell::Formatted(v) => Cow::Borrowed(v.as_str()),
        Cell::Int(_) | Cell::Bool(_) => cell.as_str(),
        Cell::Text(t) => neutralise(t, guard),
    }
}

/// True when a spreadsheet would run `text` as a formula: it begins with `=`, `@`, tab, CR,
/// LF or NUL; or with `+` or `-` followed by anything but a plain number (digits, with at most
/// one `.`). `-2025061500001` (a FITID) and `-12.50` are numbers, left as they are, so
/// identifiers keep matching across files; `-1+1`, `+44 call` and `-minus` are guarded.
pub fn is_formula(text: &[u8]) -> bool {
    match text.split_first() {
        Some((b'=' | b'@' | b'\t' | b'\r' | b'\n' | 0, _)) => true,
        Some((b'+' | b'-', rest)) => !plain_number(rest),
        _ => false,
    }
}

/// Digits with at most one `.`, and at least one digit.
fn plain_number(text: &[u8]) -> bool {
    let mut digits = 0usize;
    let mut dots = 0usize;
    for &b in text {
        match b {
            b'0'..=b'9' => digits += 1,
            b'.' => dots += 1,
            _ => return false,
        }
    }
    digits > 0 && dots <= 1
}

/// Prefixes `'` to text a spreadsheet would run as a formula ([`is_formula`]); replaces NUL.
///
/// ```
/// use ofxkit::convert::neutralise;
/// assert_eq!(neutralise("=SUM(A1)", true), "'=SUM(A1)");
/// assert_eq!(neutralise("@SUM(1)", true), "'@SUM(1)");
/// assert_eq!(neutralise("-1+1", true), "'-1+1");
/// assert_eq!(neutralise("-2025061500001", true), "-2025061500001");
/// assert_eq!(neutralise("GROCER", true), "GROCER");
/// assert_eq!(neutralise("=1+1", false), "=1+1");
/// ```
pub fn neutralise(text: &str, guard: bool) -> Cow<'_, str> {
    let dangerous = guard && is_formula(text.as_bytes());
    let has_nul = text.contains('\0');
    if !dangerous && !has_nul {
        return Cow::Borrowed(text);
    }
    let mut s = String::with_capacity(text.len() + 1);
    if dangerous {
        s.push('\'');
    }
    s.push_str(&text.replace('\0', "\u{fffd}"));
    Cow::Owned(s)
}

#[cfg(test)]
mod tests {
    use super::*;

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

    /// The csv crate's writer, one record of `fields`.
    fn csv_crate(fields: &[&[u8]]) -> Vec<u8> {
        let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
        w.write_record(fields).expect("in memory");
        w.into_inner().expect("in memory")
    }

    /// Texts that exercise every rule: formula starters, numbers, quoting, control bytes,
    /// lengths either side of the 8- and 16-byte scans.
    fn texts() -> Vec<String> {
        let mut texts: Vec<String> = [
            "",
            "ACME",
            "=1+1",
            "-5",
            "-12.50",
            "+44 call",
            "-minus",
            "\tx",
            "a,b",
            "say \"hi\"",
            "a\0b",
            "\nx",
            "cr\rx",
            "é",
            "@x",
            "\"",
            "\"\"",
            " sp ",
            "é,ü",
            "'=1",
            "1-2",
            "-",
        ]
        .map(String::from)
        .to_vec();
        for len in [7, 8, 9, 15, 16, 17, 33] {
            for special in ["", ",", "\"", "\n", "\r", "\0", "\t"] {
                let mut t = "x".repeat(len);
                t.push_str(special);
                texts.push(t.clone());
                texts.push(format!("={t}"));
            }
        }
        texts
    }

    /// The cell writer writes a text cell as the csv crate writes the guarded text (and, in
    /// JSON, as serde_json writes the string): the scan that skips csv-core for plain text
    /// changes nothing.
    #[test]
    fn cells_match_the_csv_crate() {
        for t in texts() {
            for guard in [true, false] {
                let mut ours = b"x".to_vec();
                text(&mut ours, Style::Csv { guard }, ",\"name\":", Some(&t));
                ours.push(b'\n');
                let theirs = csv_crate(&[b"x", neutralise(&t, guard).as_bytes()]);
                assert_eq!(ours, theirs, "{t:?} guard {guard}");
                let mut value = Vec::new();
                value_body(&mut value, Style::Csv { guard }, &t);
                value.extend_from_slice(b",x\n");
                assert_eq!(value, csv_crate(&[t.as_bytes(), b"x"]), "{t:?} as a value");
            }
            let mut ours = Vec::new();
            json_string(&mut ours, &t);
            assert_eq!(ours, serde_json::to_vec(&t).expect("a string"), "{t:?}");
        }
    }

    #[test]
    fn neutralise_guards_every_formula_starter() {
        for bad in ["=1+1", "+1a", "-1+1", "-", "+", "-1.2.3", "@SUM(A1)", "\tx", "\rx", "\nx"] {
            assert_eq!(neutralise(bad, true), format!("'{bad}"), "{bad:?}");
            assert_eq!(neutralise(bad, false), bad, "{bad:?} unguarded");
        }
        for good in ["", "ACME", "1-2", "a=b", " =x", "-2025061500001", "+1", "-12.50", "-.5"] {
            assert!(matches!(neutralise(good, true), Cow::Borrowed(_)), "{good:?}");
        }
        assert_eq!(neutralise("a\0b", false), "a\u{fffd}b");
    }

    /// The code names a row writes as they are need no quoting or escaping in any format.
    #[test]
    fn code_names_are_plain() {
        use crate::codes::Code as _;
        use crate::codes::ofc::OfcTrnType;
        use crate::codes::ofx::{CorrectAction, TrnType};
        let names = TrnType::ALL.iter().map(|c| c.as_str());
        let names = names.chain(OfcTrnType::ALL.iter().map(|c| c.as_str()));
        for name in names.chain(CorrectAction::ALL.iter().map(|c| c.as_str())) {
            for style in [Style::Csv { guard: true }, Style::Json] {
                let mut ours = Vec::new();
                code(&mut ours, style, ",\"type\":", Some(name));
                let mut general = Vec::new();
                separator(&mut general, style, ",\"type\":");
                value_body(&mut general, style, name);
                assert_eq!(ours, general, "{name}");
            }
        }
    }
}
