//! Text from a file made safe to put in a message: control characters escaped, length capped.
//!
//! A value quoted in a diagnostic goes to a terminal, a log or a code-scanning UI. Raw, an ESC
//! or BEL in a date could drive the terminal (an OSC 52 sequence writes the clipboard in some
//! terminals), a newline could forge a finding line, a bidirectional override could make the
//! text read differently from what it is, and a 50 MB value would be echoed whole. Every
//! message that quotes the file, and every file name the CLI prints, goes through
//! [`shown`] or [`escape_controls`].
//!
//! ```
//! use ofxkit_syntax::{escape_controls, shown};
//! assert_eq!(shown("20240105\u{1b}]52;c;aGk=\u{7}"), "20240105\\u{1b}]52;c;aGk=\\u{7}");
//! assert_eq!(escape_controls("a\nb.ofx"), "a\\nb.ofx");
//! let long = "9".repeat(1000);
//! assert_eq!(shown(&long).chars().count(), ofxkit_syntax::SHOWN_CHARS + 1);
//! assert!(shown(&long).ends_with('…'));
//! assert_eq!(shown("ACME"), "ACME");
//! ```

use std::borrow::Cow;

/// At most this many characters of a value are quoted in a message; a longer one is cut and
/// ends with `…`.
pub const SHOWN_CHARS: usize = 60;

/// True for a character that must not reach a terminal as it is: C0 and C1 controls, DEL,
/// the bidirectional formatting characters, and the Unicode line and paragraph separators.
fn unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
        )
}

/// Appends `c`, escaped as Rust writes it (`\n`, `\t`, `\u{1b}`) when it is unsafe.
fn push(out: &mut String, c: char) {
    if unsafe_char(c) {
        out.extend(c.escape_debug());
    } else {
        out.push(c);
    }
}

/// `text` with every unsafe character escaped (`\n`, `\r`, `\t`, `\u{1b}`, …), whole. For
/// file names and other text that must be shown in full.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        push(&mut out, c);
    }
    Cow::Owned(out)
}

/// `text` as a message may quote it: unsafe characters escaped, and cut after
/// [`SHOWN_CHARS`] characters with `…`.
pub fn shown(text: &str) -> Cow<'_, str> {
    let mut chars = text.char_indices();
    let cut = chars.nth(SHOWN_CHARS).map(|(at, _)| at);
    let kept = cut.and_then(|at| text.get(..at)).unwrap_or(text);
    if cut.is_none() && !kept.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(kept.len() + 8);
    for c in kept.chars() {
        push(&mut out, c);
    }
    if cut.is_some() {
        out.push('…');
    }
    Cow::Owned(out)
}

/// [`shown`] for raw bytes (not valid UTF-8 maybe): only the first bytes are looked at, so a
/// huge value costs nothing; invalid sequences become U+FFFD.
pub fn shown_bytes(bytes: &[u8]) -> String {
    // Four bytes per character at most: enough for SHOWN_CHARS + 1 characters.
    let head = bytes.get(..(SHOWN_CHARS + 1) * 4).unwrap_or(bytes);
    let text = String::from_utf8_lossy(head);
    let mut out = shown(&text).into_owned();
    if head.len() < bytes.len() && !out.ends_with('…') {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_control_character_is_escaped() {
        for c in (0u32..0x20).chain(0x7F..0xA0).filter_map(char::from_u32) {
            let s = format!("a{c}b");
            let out = shown(&s);
            assert!(!out.chars().any(|x| x.is_control()), "{c:?} → {out:?}");
            assert!(out.starts_with('a') && out.ends_with('b'), "{out:?}");
        }
        for c in ['\u{202E}', '\u{2066}', '\u{2028}', '\u{200F}'] {
            assert!(!escape_controls(&format!("x{c}")).contains(c), "{c:?}");
        }
    }

    #[test]
    fn plain_text_is_borrowed_and_long_text_cut() {
        assert!(matches!(shown("LONDON HOTEL"), Cow::Borrowed(_)));
        assert!(matches!(escape_controls("dir/a.ofx"), Cow::Borrowed(_)));
        let exact = "x".repeat(SHOWN_CHARS);
        assert_eq!(shown(&exact), exact);
        let over = "é".repeat(SHOWN_CHARS + 1);
        assert_eq!(shown(&over), format!("{}…", "é".repeat(SHOWN_CHARS)));
    }

    #[test]
    fn bytes_are_cut_before_they_are_decoded() {
        let huge = vec![b'7'; 50 << 20];
        let out = shown_bytes(&huge);
        assert_eq!(out.len(), SHOWN_CHARS + '…'.len_utf8());
        assert_eq!(shown_bytes(b"caf\xe9\x1b"), "caf\u{fffd}\\u{1b}");
        // A cut inside a multi-byte character still ends with the mark.
        let mut long = vec![b'a'; (SHOWN_CHARS + 1) * 4 - 1];
        long.extend_from_slice("é".as_bytes());
        assert!(shown_bytes(&long).ends_with('…'));
    }
}
