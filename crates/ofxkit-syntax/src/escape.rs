//! Character and entity references: `&amp; &lt; &gt; &quot; &apos;`, `&#NN;`, `&#xHH;`.
//! Nothing else is expanded; a DTD is never read.

use crate::error::Code;
use crate::sink::Sink;
use crate::span::Span;

/// A reference found in raw text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reference {
    /// Resolved to this character; `len` bytes of input.
    Char(char, usize),
    /// `&` not starting a reference.
    Bare,
    /// `&name;` with an unknown name; `len` bytes.
    Unknown(usize),
    /// `&#…;` that is not a character; `len` bytes.
    Invalid(usize),
}

fn reference(s: &[u8]) -> Reference {
    // `s` starts with `&`.
    let body = s.get(1..).unwrap_or_default();
    let Some(semi) = body.iter().take(12).position(|&b| b == b';') else {
        return match body.first() {
            Some(b'#') if body.get(1).is_some_and(|b| b.is_ascii_alphanumeric()) => {
                // `&#123` without `;`: treat as bare to keep the text as written.
                Reference::Bare
            }
            _ => Reference::Bare,
        };
    };
    let name = body.get(..semi).unwrap_or_default();
    let len = semi + 2;
    let named = match name {
        b"amp" => Some('&'),
        b"lt" => Some('<'),
        b"gt" => Some('>'),
        b"quot" => Some('"'),
        b"apos" => Some('\''),
        _ => None,
    };
    if let Some(c) = named {
        return Reference::Char(c, len);
    }
    if let Some(num) = name.strip_prefix(b"#") {
        let (digits, radix) = match num.first() {
            Some(b'x' | b'X') => (num.get(1..).unwrap_or_default(), 16),
            _ => (num, 10),
        };
        if digits.is_empty() || !digits.iter().all(|b| (*b as char).is_digit(radix)) {
            return Reference::Invalid(len);
        }
        let mut value: u32 = 0;
        for &d in digits {
            let Some(v) = (d as char).to_digit(radix) else { return Reference::Invalid(len) };
            match value.checked_mul(radix).and_then(|x| x.checked_add(v)) {
                Some(x) => value = x,
                None => return Reference::Invalid(len),
            }
        }
        return match char::from_u32(value) {
            Some(c) if value != 0 => Reference::Char(c, len),
            _ => Reference::Invalid(len),
        };
    }
    if !name.is_empty() && name.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'.') {
        Reference::Unknown(len)
    } else {
        Reference::Bare
    }
}

/// Reports the references in raw text at `base` (positions in the original input).
pub(crate) fn report(raw: &[u8], base: u32, sink: &mut Sink) {
    for p in memchr::memchr_iter(b'&', raw) {
        let at = base + p as u32;
        let rest = raw.get(p..).unwrap_or_default();
        match reference(rest) {
            Reference::Char(..) => {}
            Reference::Bare => sink.report_with_help(
                Code::BareAmpersand,
                Span::new(at, at + 1),
                || "`&` does not start a reference; kept as text".to_owned(),
                Some("write `&amp;` for a literal ampersand"),
            ),
            Reference::Unknown(len) => {
                let name =
                    String::from_utf8_lossy(rest.get(..len).unwrap_or_default()).into_owned();
                sink.report(Code::UnknownEntity, Span::new(at, at + len as u32), || {
                    format!("unknown entity {name}; kept as written")
                })
            }
            Reference::Invalid(len) => {
                let name =
                    String::from_utf8_lossy(rest.get(..len).unwrap_or_default()).into_owned();
                sink.report(Code::InvalidCharRef, Span::new(at, at + len as u32), || {
                    format!("{name} is not a valid character; kept as written")
                })
            }
        }
    }
}

/// Resolves references in decoded text, appending to `out`.
pub(crate) fn unescape_into(text: &str, out: &mut String) {
    let bytes = text.as_bytes();
    let mut last = 0usize;
    for p in memchr::memchr_iter(b'&', bytes) {
        if p < last {
            continue;
        }
        if let Reference::Char(c, len) = reference(bytes.get(p..).unwrap_or_default()) {
            out.push_str(text.get(last..p).unwrap_or_default());
            out.push(c);
            last = p + len;
        }
    }
    out.push_str(text.get(last..).unwrap_or_default());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_references() {
        for (raw, expect) in [
            ("AT&amp;T", "AT&T"),
            ("&lt;&gt;&quot;&apos;", "<>\"'"),
            ("&#169;&#xA9;&#XA9;", "\u{a9}\u{a9}\u{a9}"),
            ("AT&T", "AT&T"),
            ("a & b", "a & b"),
            ("&foo;", "&foo;"),
            ("&#0;", "&#0;"),
            ("&#xD800;", "&#xD800;"),
            ("&#1114112;", "&#1114112;"),
            ("&#99999999999999999999;", "&#99999999999999999999;"),
            ("&#;", "&#;"),
            ("&", "&"),
            ("x&amp", "x&amp"),
            ("&amp;&amp;", "&&"),
        ] {
            let mut out = String::new();
            unescape_into(raw, &mut out);
            assert_eq!(out, expect, "{raw}");
        }
    }

    #[test]
    fn classifies_references() {
        assert_eq!(reference(b"&amp;x"), Reference::Char('&', 5));
        assert_eq!(reference(b"& x"), Reference::Bare);
        assert_eq!(reference(b"&nbsp;"), Reference::Unknown(6));
        assert_eq!(reference(b"&#0;"), Reference::Invalid(4));
        assert_eq!(reference(b"&#x110000;"), Reference::Invalid(10));
    }
}
