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
    /// `&#…;` that is not a character (no digits, a digit of the wrong base, NUL, above
    /// U+10FFFF however many digits); `len` bytes.
    Invalid(usize),
    /// `&#…;` naming a UTF-16 surrogate (U+D800 to U+DFFF), which is no character; `len`
    /// bytes. A high one followed at once by a low one reads as the character they encode.
    Surrogate(u32, usize),
}

/// The value of the digits of a numeric reference, `None` when above U+10FFFF (however
/// many digits: leading zeros are allowed, and a longer number never wraps).
fn numeric_value(digits: &[u8], radix: u32) -> Option<u32> {
    let mut value: u32 = 0;
    for &d in digits {
        let v = (d as char).to_digit(radix)?;
        value = value.checked_mul(radix)?.checked_add(v)?;
        if value > 0x10_FFFF {
            return None;
        }
    }
    Some(value)
}

/// A numeric reference: `s` starts with `&#`. `&#` and digits, of any number, then `;`; an
/// `&#` whose digits do not end with `;` is a bare `&` (kept as written).
fn numeric(s: &[u8]) -> Reference {
    let body = s.get(2..).unwrap_or_default();
    let (radix, skip) = match body.first() {
        Some(b'x' | b'X') => (16, 1),
        _ => (10, 0),
    };
    let rest = body.get(skip..).unwrap_or_default();
    let digits = rest.iter().take_while(|b| (**b as char).is_digit(radix)).count();
    let len = 2 + skip + digits + 1;
    if digits == 0 || rest.get(digits) != Some(&b';') {
        // `&#;`, `&#x;`, `&#1a;`, `&#zz;`, `&#12` without `;`.
        return short_invalid(s);
    }
    let Some(value) = numeric_value(rest.get(..digits).unwrap_or_default(), radix) else {
        return Reference::Invalid(len);
    };
    match char::from_u32(value) {
        Some(c) if value != 0 => Reference::Char(c, len),
        None if (0xD800..=0xDFFF).contains(&value) => Reference::Surrogate(value, len),
        _ => Reference::Invalid(len),
    }
}

/// `&#` followed by something other than digits and `;`: a malformed reference when a `;`
/// ends a name-like run within a few bytes (`&#zz;`), else a bare `&`.
fn short_invalid(s: &[u8]) -> Reference {
    let body = s.get(1..).unwrap_or_default();
    match body.iter().take(12).position(|&b| b == b';') {
        Some(semi)
            if body.get(1..semi).is_some_and(|n| n.iter().all(u8::is_ascii_alphanumeric)) =>
        {
            Reference::Invalid(semi + 2)
        }
        _ => Reference::Bare,
    }
}

fn reference(s: &[u8]) -> Reference {
    // `s` starts with `&`.
    if s.get(1) == Some(&b'#') {
        return numeric(s);
    }
    let body = s.get(1..).unwrap_or_default();
    let Some(semi) = body.iter().take(12).position(|&b| b == b';') else {
        return Reference::Bare;
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
    if !name.is_empty() && name.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'.') {
        Reference::Unknown(len)
    } else {
        Reference::Bare
    }
}

/// A high surrogate reference of `len` bytes at the start of `rest`, followed at once by a
/// low one: the character they encode, and the length of both.
fn surrogate_pair(high: u32, len: usize, rest: &[u8]) -> Option<(char, usize)> {
    if !(0xD800..0xDC00).contains(&high) {
        return None;
    }
    let next = rest.get(len..)?;
    if next.first() != Some(&b'&') {
        return None;
    }
    match reference(next) {
        Reference::Surrogate(low, len2) if (0xDC00..=0xDFFF).contains(&low) => {
            let c = char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))?;
            Some((c, len + len2))
        }
        _ => None,
    }
}

/// Reports the references in raw text at `base` (positions in the original input).
pub(crate) fn report(raw: &[u8], base: u32, sink: &mut Sink) {
    let mut skip_to = 0usize;
    for p in memchr::memchr_iter(b'&', raw) {
        if p < skip_to {
            continue;
        }
        let at = base + p as u32;
        let rest = raw.get(p..).unwrap_or_default();
        let written = |len: usize| crate::shown_bytes(rest.get(..len).unwrap_or_default());
        match reference(rest) {
            Reference::Char(..) => {}
            Reference::Bare => sink.report_with_help(
                Code::BareAmpersand,
                Span::new(at, at + 1),
                || "`&` does not start a reference; kept as text".to_owned(),
                Some("write `&amp;` for a literal ampersand"),
            ),
            Reference::Unknown(len) => {
                sink.report(Code::UnknownEntity, Span::new(at, at + len as u32), || {
                    format!("unknown entity {}; kept as written", written(len))
                })
            }
            Reference::Invalid(len) => {
                sink.report(Code::InvalidCharRef, Span::new(at, at + len as u32), || {
                    format!("{} is not a character; kept as written", written(len))
                })
            }
            Reference::Surrogate(value, len) => match surrogate_pair(value, len, rest) {
                Some((c, both)) => {
                    skip_to = p + both;
                    sink.report(Code::SurrogateCharRef, Span::new(at, at + both as u32), || {
                        format!(
                            "{} is a UTF-16 surrogate pair written as two references; read as \
                             U+{:04X}",
                            written(both),
                            c as u32
                        )
                    })
                }
                None => sink.report(Code::SurrogateCharRef, Span::new(at, at + len as u32), || {
                    format!(
                        "{} is a lone UTF-16 surrogate, not a character; read as U+FFFD",
                        written(len)
                    )
                }),
            },
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
        let rest = bytes.get(p..).unwrap_or_default();
        let (c, len) = match reference(rest) {
            Reference::Char(c, len) => (c, len),
            Reference::Surrogate(value, len) => {
                surrogate_pair(value, len, rest).unwrap_or((char::REPLACEMENT_CHARACTER, len))
            }
            Reference::Bare | Reference::Unknown(_) | Reference::Invalid(_) => continue,
        };
        out.push_str(text.get(last..p).unwrap_or_default());
        out.push(c);
        last = p + len;
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
            ("&#1114112;", "&#1114112;"),
            ("&#99999999999999999999;", "&#99999999999999999999;"),
            ("&#;", "&#;"),
            ("&", "&"),
            ("x&amp", "x&amp"),
            ("&amp;&amp;", "&&"),
            // Leading zeros, however many.
            ("&#x0000000000000041;", "A"),
            ("&#0000000000000000000065;B", "AB"),
            ("&#x00000000000000000000000000110000;", "&#x00000000000000000000000000110000;"),
            // Surrogates: a lone one is U+FFFD; a pair is the character it encodes.
            ("&#xD800;x", "\u{fffd}x"),
            ("&#xDE00;", "\u{fffd}"),
            ("&#xD83D;&#xDE00;", "\u{1f600}"),
            ("&#55357;&#56832;!", "\u{1f600}!"),
            ("&#xD83D;&#xD83D;", "\u{fffd}\u{fffd}"),
            ("&#xD83D; &#xDE00;", "\u{fffd} \u{fffd}"),
            ("&#12", "&#12"),
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
        assert_eq!(reference(b"&#x0000000000000041;"), Reference::Char('A', 20));
        assert_eq!(reference(b"&#99999999999999999999;"), Reference::Invalid(23));
        assert_eq!(reference(b"&#xD800;"), Reference::Surrogate(0xD800, 8));
        assert_eq!(reference(b"&#zz;"), Reference::Invalid(5));
        assert_eq!(reference(b"&#12 "), Reference::Bare);
        assert_eq!(reference(b"&#x;"), Reference::Invalid(4));
    }

    /// The findings of `raw` at offset 0, as (code, start, end, message).
    fn findings(raw: &str) -> Vec<(&'static str, u32, u32, String)> {
        let mut sink = Sink::new(0, crate::Leniency::default());
        report(raw.as_bytes(), 0, &mut sink);
        let list = sink.finish().diagnostics;
        list.into_iter().map(|d| (d.code, d.span.start, d.span.end, d.message)).collect()
    }

    #[test]
    fn a_reference_that_is_no_character_is_reported_with_its_span() {
        let long = format!("&#x{}41;", "0".repeat(200));
        assert_eq!(findings(&long), []);
        let over = format!("a&#{};", "9".repeat(200));
        let got = findings(&over);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!((got[0].0, got[0].1, got[0].2), ("E-INVALID-CHAR-REF", 1, over.len() as u32));
        assert!(got[0].3.starts_with("&#999") && got[0].3.contains("… is not a character"));
        assert!(got[0].3.len() < 120, "{}", got[0].3);
        for (raw, code, span) in [
            ("&#0;", "E-INVALID-CHAR-REF", (0, 4)),
            ("x&#x110000;", "E-INVALID-CHAR-REF", (1, 11)),
            ("&#xD800;", "W-SURROGATE-CHAR-REF", (0, 8)),
            ("&#xD83D;&#xDE00;", "W-SURROGATE-CHAR-REF", (0, 16)),
            ("&#zz;", "E-INVALID-CHAR-REF", (0, 5)),
            ("&#12", "W-BARE-AMPERSAND", (0, 1)),
        ] {
            let got = findings(raw);
            assert_eq!(got.len(), 1, "{raw}: {got:?}");
            assert_eq!((got[0].0, (got[0].1, got[0].2)), (code, span), "{raw}");
        }
        assert!(findings("&#xD800;")[0].3.contains("lone UTF-16 surrogate"));
        assert!(findings("&#xD83D;&#xDE00;")[0].3.contains("U+1F600"));
    }
}
