//! Transaction rows as `ofxkit convert --to ndjson` writes them, read back without copying:
//! each member's JSON text is kept as written, so the ledger stores and exports exactly
//! the converter's cells (and follows it when it gains columns).

use std::borrow::Cow;
use std::fmt;

use serde::de::{Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

use crate::error::{Error, Result};

/// The members of one row, in the order written.
pub(crate) struct Members<'a>(pub Vec<(&'a str, &'a RawValue)>);

impl<'de> serde::Deserialize<'de> for Members<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Members<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a row object")
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<Members<'de>, A::Error> {
                let mut out = Vec::with_capacity(32);
                while let Some(entry) = map.next_entry::<&'de str, &'de RawValue>()? {
                    out.push(entry);
                }
                Ok(Members(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// Reads one NDJSON row.
pub(crate) fn members(line: &str) -> Result<Members<'_>> {
    serde_json::from_str(line).map_err(|e| Error::database(format!("row from the converter: {e}")))
}

/// The text of a cell: a string unescaped, a number or boolean as written, `None` for null.
pub(crate) fn text(raw: &RawValue) -> Option<Cow<'_, str>> {
    let s = raw.get();
    match s.as_bytes().first() {
        Some(b'"') => {
            let inner = s.get(1..s.len().saturating_sub(1)).unwrap_or_default();
            if inner.contains('\\') {
                serde_json::from_str::<String>(s).ok().map(Cow::Owned)
            } else {
                Some(Cow::Borrowed(inner))
            }
        }
        Some(b'n') | None => None,
        Some(_) => Some(Cow::Borrowed(s)),
    }
}

/// A JSON array of the raw cells.
pub(crate) fn array<'a>(cells: impl Iterator<Item = &'a str>, out: &mut String) {
    out.clear();
    out.push('[');
    for (i, c) in cells.enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(c);
    }
    out.push(']');
}

/// A cell as JSON text: a string, or `null`.
pub(crate) fn json_string(text: Option<&str>) -> String {
    match text {
        Some(t) => serde_json::to_string(t).unwrap_or_else(|_| "null".to_owned()),
        None => "null".to_owned(),
    }
}

/// The cells of a stored JSON array, raw.
pub(crate) fn cells(array: &str) -> Vec<&RawValue> {
    serde_json::from_str::<Vec<&RawValue>>(array).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_are_kept_raw_and_texts_unescaped() {
        let m = members(r#"{"a":"x\"y","b":null,"c":"plain","line":12,"problems":["E-X"]}"#)
            .expect("a row");
        let names: Vec<&str> = m.0.iter().map(|(k, _)| *k).collect();
        assert_eq!(names, ["a", "b", "c", "line", "problems"]);
        let texts: Vec<Option<Cow<'_, str>>> = m.0.iter().map(|(_, v)| text(v)).collect();
        assert_eq!(texts[0].as_deref(), Some("x\"y"));
        assert_eq!(texts[1], None);
        assert!(matches!(texts[2], Some(Cow::Borrowed("plain"))));
        assert_eq!(texts[3].as_deref(), Some("12"));
        let mut out = String::new();
        array(m.0.iter().map(|(_, v)| v.get()), &mut out);
        assert_eq!(out, r#"["x\"y",null,"plain",12,["E-X"]]"#);
        assert_eq!(cells(&out).len(), 5);
    }
}
