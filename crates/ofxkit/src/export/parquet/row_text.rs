//! A transaction row as the converter writes it in NDJSON (`{"source":…,"problems":[…]}`),
//! split into its cells: the text the streamed writer types.
//!
//! NDJSON rather than CSV: a JSON string keeps every text exactly (an empty one is `""`, an
//! absent one `null`; a NUL byte is escaped, not replaced), so the typed row is the model's.

use super::ParquetError;
use crate::convert::rows::TRANSACTION_COLUMNS;

/// How many cells a row has.
pub(super) const CELLS: usize = TRANSACTION_COLUMNS.len();

/// The index of column `name` in [`TRANSACTION_COLUMNS`] (a compile error when there is none).
pub(super) const fn column(name: &str) -> usize {
    let mut i = 0;
    while i < CELLS {
        let (a, b) = (TRANSACTION_COLUMNS[i].as_bytes(), name.as_bytes());
        if a.len() == b.len() {
            let mut j = 0;
            while j < a.len() && a[j] == b[j] {
                j += 1;
            }
            if j == a.len() {
                return i;
            }
        }
        i += 1;
    }
    panic!("no such column")
}

/// The cells of one row: `None` for `null`, a number's digits, a string's text, and the
/// `problems` array's codes joined with `,` (`None` when it is empty).
pub(super) struct RowText<'r> {
    line: &'r str,
    /// Where the cells of the statement (`source` to `currency`) end in `line`.
    statement_end: usize,
    /// Each cell's place in `line`, [`NULL`], or (with [`OWNED`] set) its index in `owned`.
    cells: [(u32, u32); CELLS],
    /// The texts that are not in the line as they are (escaped strings, joined codes).
    owned: Vec<String>,
}

/// How many cells come from the statement (`source` to `currency`).
pub(super) const STATEMENT_CELLS: usize = column("currency") + 1;

/// A `null` cell.
const NULL: u32 = u32::MAX;

/// The bit of a cell held in [`RowText::owned`].
const OWNED: u32 = 1 << 31;

impl<'r> RowText<'r> {
    /// The cell of column `i` (see [`column`]).
    #[inline(always)]
    pub(super) fn get(&self, i: usize) -> Option<&str> {
        let &(start, end) = self.cells.get(i)?;
        if start == NULL {
            None
        } else if start & OWNED != 0 {
            self.owned.get(end as usize).map(String::as_str)
        } else {
            self.line.get(start as usize..end as usize)
        }
    }

    /// The text of the statement's cells after the row's `{`: the rendered prefix the
    /// converter hands with a transaction's values (see [`RowText::parse_statement`]).
    #[inline(always)]
    pub(super) fn statement_cells_text(&self) -> &str {
        self.line.get(1..self.statement_end).unwrap_or_default()
    }

    /// Splits one line (without its line break).
    pub(super) fn parse(line: &'r str) -> Result<Self, ParquetError> {
        Self::parse_cells(line, CELLS)
    }

    /// Splits the statement's cells of a row (`{` and the cells from `source` to
    /// `currency`, then `}`): the others are `None`.
    pub(super) fn parse_statement(line: &'r str) -> Result<Self, ParquetError> {
        Self::parse_cells(line, STATEMENT_CELLS)
    }

    /// Splits a line of the first `count` cells.
    fn parse_cells(line: &'r str, count: usize) -> Result<Self, ParquetError> {
        let mut row =
            RowText { line, statement_end: 0, cells: [(NULL, NULL); CELLS], owned: Vec::new() };
        let bytes = line.as_bytes();
        if u32::try_from(bytes.len()).map_or(true, |n| n >= OWNED) {
            return Err(ParquetError("a row of more than 2 GB".to_owned()));
        }
        let mut at = 0usize;
        let bad = |at: usize| {
            ParquetError(format!(
                "unexpected row text at byte {at}: {}",
                ofxkit_syntax::shown(line)
            ))
        };
        let expect = |at: &mut usize, b: u8| {
            if bytes.get(*at) == Some(&b) {
                *at += 1;
                Ok(())
            } else {
                Err(bad(*at))
            }
        };
        expect(&mut at, b'{')?;
        for (i, name) in TRANSACTION_COLUMNS.iter().enumerate().take(count) {
            if i > 0 {
                expect(&mut at, b',')?;
            }
            // `"name":` (the name's first byte and its length checked: the names are the
            // converter's own, in its order).
            if bytes.get(at) != Some(&b'"') || bytes.get(at + 1) != name.as_bytes().first() {
                return Err(bad(at));
            }
            at += 1 + name.len();
            expect(&mut at, b'"')?;
            expect(&mut at, b':')?;
            let cell = match bytes.get(at) {
                Some(b'n') if bytes.get(at..at + 4) == Some(b"null") => {
                    at += 4;
                    (NULL, NULL)
                }
                Some(b'"') => match string(line, &mut at).ok_or_else(|| bad(at))? {
                    Text::In(start, end) => (start as u32, end as u32),
                    Text::Owned(text) => row.own(text),
                },
                Some(b'[') => match codes(line, &mut at).ok_or_else(|| bad(at))? {
                    Some(joined) => row.own(joined),
                    None => (NULL, NULL),
                },
                Some(b'0'..=b'9') => {
                    let digits = bytes.get(at..).unwrap_or_default();
                    let n = digits.iter().take_while(|b| b.is_ascii_digit()).count();
                    let cell = (at as u32, (at + n) as u32);
                    at += n;
                    cell
                }
                _ => return Err(bad(at)),
            };
            if let Some(c) = row.cells.get_mut(i) {
                *c = cell;
            }
            if i == STATEMENT_CELLS - 1 {
                row.statement_end = at;
            }
        }
        expect(&mut at, b'}')?;
        if at != bytes.len() {
            return Err(bad(at));
        }
        Ok(row)
    }

    /// Keeps `text`; the cell that names it.
    fn own(&mut self, text: String) -> (u32, u32) {
        self.owned.push(text);
        (OWNED, (self.owned.len() - 1) as u32)
    }
}

/// A string cell: where its text is in the line, or the text unescaped.
enum Text {
    In(usize, usize),
    Owned(String),
}

/// The JSON string starting at `*at` (its opening quote); moves `at` past it.
#[inline(always)]
fn string(line: &str, at: &mut usize) -> Option<Text> {
    let bytes = line.as_bytes();
    let start = *at + 1;
    let rest = bytes.get(start..)?;
    let end = start + memchr::memchr2(b'"', b'\\', rest)?;
    if bytes.get(end) == Some(&b'"') {
        *at = end + 1;
        return Some(Text::In(start, end));
    }
    // An escape: find the closing quote (one not escaped), then let serde_json read it.
    let mut i = end;
    loop {
        match bytes.get(i)? {
            b'\\' => i += 2,
            b'"' => break,
            _ => i += 1,
        }
    }
    let text: String = serde_json::from_str(line.get(*at..=i)?).ok()?;
    *at = i + 1;
    Some(Text::Owned(text))
}

/// The array of codes starting at `*at` (its `[`), joined with `,`; `None` inside when empty.
fn codes(line: &str, at: &mut usize) -> Option<Option<String>> {
    let bytes = line.as_bytes();
    *at += 1;
    if bytes.get(*at) == Some(&b']') {
        *at += 1;
        return Some(None);
    }
    let mut joined = String::new();
    loop {
        if bytes.get(*at) != Some(&b'"') {
            return None;
        }
        if !joined.is_empty() {
            joined.push(',');
        }
        match string(line, at)? {
            Text::In(start, end) => joined.push_str(line.get(start..end)?),
            Text::Owned(text) => joined.push_str(&text),
        }
        match bytes.get(*at)? {
            b',' => *at += 1,
            b']' => {
                *at += 1;
                return Some(Some(joined));
            }
            _ => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(cells: &[&str]) -> String {
        let members: Vec<String> =
            TRANSACTION_COLUMNS.iter().zip(cells).map(|(k, v)| format!("\"{k}\":{v}")).collect();
        format!("{{{}}}", members.join(","))
    }

    #[test]
    fn cells_are_split_and_unescaped() {
        let mut cells = vec!["null"; CELLS];
        cells[0] = r#""a.ofx""#;
        cells[1] = "3";
        cells[column("memo")] = r#""x \"y\"\u0000\n""#;
        cells[column("name")] = r#""""#;
        cells[column("problems")] = r#"["E-ONE","W-TWO"]"#;
        let text = line(&cells);
        let row = RowText::parse(&text).unwrap();
        assert_eq!(row.get(0), Some("a.ofx"));
        assert_eq!(row.get(1), Some("3"));
        assert_eq!(row.get(column("memo")), Some("x \"y\"\0\n"));
        assert_eq!(row.get(column("name")), Some(""), "an empty text is not an absent one");
        assert_eq!(row.get(column("fitid")), None);
        assert_eq!(row.get(column("problems")), Some("E-ONE,W-TWO"));
        cells[column("problems")] = "[]";
        assert_eq!(RowText::parse(&line(&cells)).unwrap().get(column("problems")), None);
    }

    #[test]
    fn other_text_is_an_error_not_a_panic() {
        let cells = vec!["null"; CELLS];
        let good = line(&cells);
        for cut in 0..good.len() {
            assert!(RowText::parse(&good[..cut]).is_err(), "cut at {cut}");
        }
        assert!(RowText::parse(&good.replace("\"source\"", "\"tource\"")).is_err());
        assert!(RowText::parse(&good.replace("\"source\"", "\"sourc\"")).is_err());
        assert!(RowText::parse(&format!("{good} ")).is_err());
        assert!(RowText::parse(&good.replacen("null", "\"open", 1)).is_err());
        assert!(RowText::parse(&good.replacen("null", "[1]", 1)).is_err());
    }
}
