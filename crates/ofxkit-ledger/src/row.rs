//! Transaction rows as `ofxkit convert --to ndjson` writes them, read back without copying:
//! each member's JSON text is kept as written, so the ledger stores and exports exactly
//! the converter's cells (and follows it when it gains columns).
//!
//! Stored cells are the members' JSON texts joined by U+001E (which JSON escapes inside
//! strings, so it cannot occur in a value), `null` written as nothing: a row takes about a
//! fifth less room than a JSON array, and the import writes that much less.

use std::borrow::Cow;

use crate::error::{Error, Result};

/// The separator of stored cells.
pub(crate) const SEP: char = '\u{1e}';

/// Reads one NDJSON row from the converter: its members' names and raw JSON values, in
/// order. The converter writes flat objects (names without escapes; values strings, null,
/// numbers, booleans, or arrays of strings): anything else is refused.
pub(crate) fn members(line: &str) -> Result<Vec<(&str, &str)>> {
    let bad =
        || Error::database(format!("row from the converter: {}", ofxkit::syntax::shown(line)));
    let bytes = line.as_bytes();
    let mut out = Vec::with_capacity(32);
    if bytes.first() != Some(&b'{') {
        return Err(bad());
    }
    let mut i = 1;
    if bytes.get(i) == Some(&b'}') {
        return Ok(out);
    }
    loop {
        // "name":
        if bytes.get(i) != Some(&b'"') {
            return Err(bad());
        }
        let name_end = i + 1 + memchr_quote(bytes.get(i + 1..).ok_or_else(bad)?).ok_or_else(bad)?;
        let name = line.get(i + 1..name_end).ok_or_else(bad)?;
        i = name_end + 1;
        if bytes.get(i) != Some(&b':') {
            return Err(bad());
        }
        i += 1;
        let start = i;
        i = value_end(bytes, i).ok_or_else(bad)?;
        out.push((name, line.get(start..i).ok_or_else(bad)?));
        match bytes.get(i) {
            Some(b',') => i += 1,
            Some(b'}') if i + 1 == bytes.len() => return Ok(out),
            _ => return Err(bad()),
        }
    }
}

/// The position of the first `"` in `bytes`.
fn memchr_quote(bytes: &[u8]) -> Option<usize> {
    memchr::memchr(b'"', bytes)
}

/// The end (exclusive) of the JSON string starting at `i` (its opening quote).
fn string_end(bytes: &[u8], mut i: usize) -> Option<usize> {
    i += 1;
    loop {
        let rest = bytes.get(i..)?;
        let at = memchr::memchr2(b'"', b'\\', rest)?;
        i += at;
        if bytes.get(i) == Some(&b'\\') {
            i += 2;
        } else {
            return Some(i + 1);
        }
    }
}

/// The end (exclusive) of the value starting at `i`.
fn value_end(bytes: &[u8], i: usize) -> Option<usize> {
    match bytes.get(i)? {
        b'"' => string_end(bytes, i),
        b'[' => {
            let mut j = i + 1;
            loop {
                match bytes.get(j)? {
                    b']' => return Some(j + 1),
                    b'"' => j = string_end(bytes, j)?,
                    b',' | b' ' => j += 1,
                    _ => j = value_end(bytes, j)?,
                }
            }
        }
        _ => {
            let rest = bytes.get(i..)?;
            let len = memchr::memchr3(b',', b'}', b']', rest)?;
            (len > 0).then_some(i + len)
        }
    }
}

/// The text of a raw value: a string unescaped, a number or boolean as written, `None` for
/// null (or nothing).
pub(crate) fn text(raw: &str) -> Option<Cow<'_, str>> {
    match raw.as_bytes().first() {
        Some(b'"') => {
            let inner = raw.get(1..raw.len().saturating_sub(1)).unwrap_or_default();
            if inner.contains('\\') {
                serde_json::from_str::<String>(raw).ok().map(Cow::Owned)
            } else {
                Some(Cow::Borrowed(inner))
            }
        }
        Some(b'n') | None => None,
        Some(_) => Some(Cow::Borrowed(raw)),
    }
}

/// Stored cells from raw values (`null` stored as nothing).
pub(crate) fn join<'a>(cells: impl Iterator<Item = &'a str>, out: &mut String) {
    out.clear();
    for (i, c) in cells.enumerate() {
        if i > 0 {
            out.push(SEP);
        }
        if c != "null" {
            out.push_str(c);
        }
    }
}

/// The raw values of stored cells (`None` for null).
pub(crate) fn split(stored: &str) -> impl Iterator<Item = Option<&str>> {
    stored.split(SEP).map(|c| (!c.is_empty()).then_some(c))
}

/// A cell as JSON text: a string, or `null`.
pub(crate) fn json_string(text: Option<&str>) -> String {
    match text {
        Some(t) => serde_json::to_string(t).unwrap_or_else(|_| "null".to_owned()),
        None => "null".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_are_kept_raw_and_texts_unescaped() {
        let line =
            r#"{"a":"x\"y,}","b":null,"c":"plain","d":-1.50,"line":12,"problems":["E-X","E-]"]}"#;
        let m = members(line).expect("a row");
        let names: Vec<&str> = m.iter().map(|(k, _)| *k).collect();
        assert_eq!(names, ["a", "b", "c", "d", "line", "problems"]);
        let raws: Vec<&str> = m.iter().map(|(_, v)| *v).collect();
        assert_eq!(raws, [r#""x\"y,}""#, "null", r#""plain""#, "-1.50", "12", r#"["E-X","E-]"]"#]);
        assert_eq!(text(raws[0]).as_deref(), Some("x\"y,}"));
        assert_eq!(text(raws[1]), None);
        assert!(matches!(text(raws[2]), Some(Cow::Borrowed("plain"))));
        assert_eq!(text(raws[3]).as_deref(), Some("-1.50"));
        let mut out = String::new();
        join(raws.iter().copied(), &mut out);
        let back: Vec<Option<&str>> = split(&out).collect();
        assert_eq!(back[0], Some(raws[0]));
        assert_eq!(back[1], None);
        assert_eq!(back.len(), 6);
        // The converter's own output reads back member for member.
        let serde: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(line).expect("JSON");
        assert_eq!(serde.len(), m.len());
    }

    #[test]
    fn malformed_rows_are_refused() {
        for bad in ["", "[]", "{\"a\"}", "{\"a\":}", "{\"a\":\"x}", "{\"a\":1,}", "{\"a\":1}x"] {
            assert!(members(bad).is_err(), "{bad}");
        }
        assert!(members("{}").expect("empty").is_empty());
    }
}
