//! Which character encoding a file's text is in: declared (BOM, header `ENCODING`/`CHARSET`,
//! XML declaration, OFC `CPAGE`), checked against the bytes.

use encoding_rs::{DecoderResult, Encoding, UTF_8, WINDOWS_1252};

/// Where the encoding decision came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum EncodingSource {
    /// A byte-order mark.
    Bom,
    /// The header, XML declaration or `CPAGE`, and the bytes agree.
    Declared,
    /// Nothing was declared; the format's default.
    Default,
    /// The declaration contradicts the bytes; the bytes won.
    Detected,
}

/// The encoding used to decode the file's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodingInfo {
    /// The encoding used.
    pub encoding: &'static Encoding,
    /// What the file declared, as written (`CHARSET:1252`, `encoding="UTF-8"`, `CPAGE 1252`).
    pub declared: Option<String>,
    /// How the decision was made.
    pub source: EncodingSource,
}

impl EncodingInfo {
    /// The WHATWG name of the encoding used (`UTF-8`, `windows-1252`, …).
    pub fn name(&self) -> &'static str {
        self.encoding.name()
    }
}

/// The encoding an OFX 1.x header declares (`ENCODING` + `CHARSET`). `None` when the values
/// are unknown.
pub(crate) fn from_ofx1_header(
    encoding: Option<&str>,
    charset: Option<&str>,
) -> Option<&'static Encoding> {
    let enc = encoding.map(|e| e.trim().to_ascii_uppercase());
    if matches!(enc.as_deref(), Some("UTF-8" | "UTF8" | "UNICODE")) {
        return Some(UTF_8);
    }
    match charset.map(|c| c.trim().to_ascii_uppercase()).as_deref() {
        None | Some("NONE" | "") => Some(WINDOWS_1252),
        Some(c) => label(c),
    }
}

/// `bytes` (UTF-16, without its byte-order mark) transcoded to UTF-8, and the offsets in the
/// UTF-8 text of each U+FFFD that replaced a code unit that is no character: a lone
/// surrogate, or an odd byte at the end.
pub(crate) fn transcode_utf16(encoding: &'static Encoding, bytes: &[u8]) -> (String, Vec<u32>) {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(bytes.len() + bytes.len() / 2);
    let mut replaced = Vec::new();
    let mut rest = bytes;
    loop {
        let need = decoder.max_utf8_buffer_length_without_replacement(rest.len()).unwrap_or(0);
        out.reserve(need.max(4));
        let (result, read) = decoder.decode_to_string_without_replacement(rest, &mut out, true);
        rest = rest.get(read..).unwrap_or_default();
        match result {
            DecoderResult::InputEmpty => break,
            DecoderResult::OutputFull => {}
            DecoderResult::Malformed(..) => {
                replaced.push(out.len() as u32);
                out.push(char::REPLACEMENT_CHARACTER);
            }
        }
    }
    (out, replaced)
}

/// An encoding label as written in OFX files, XML declarations and `CPAGE`.
pub(crate) fn label(value: &str) -> Option<&'static Encoding> {
    let v = value.trim();
    let upper = v.to_ascii_uppercase();
    match upper.as_str() {
        "USASCII" | "US-ASCII" | "ASCII" | "1252" | "CP1252" | "ISO-8859-1" | "8859-1"
        | "LATIN1" | "LATIN-1" => return Some(WINDOWS_1252),
        "UTF-8" | "UTF8" | "UNICODE" | "65001" => return Some(UTF_8),
        _ => {}
    }
    if let Ok(n) = upper.parse::<u32>() {
        return code_page(n);
    }
    Encoding::for_label(v.as_bytes())
}

/// A Windows code page number (OFC `CPAGE`).
pub(crate) fn code_page(n: u32) -> Option<&'static Encoding> {
    let name: &str = match n {
        1250..=1258 => return Encoding::for_label(format!("windows-{n}").as_bytes()),
        874 => "windows-874",
        866 => "ibm866",
        932 => "shift_jis",
        936 => "gbk",
        949 => "euc-kr",
        950 => "big5",
        20866 => "koi8-r",
        21866 => "koi8-u",
        28591 => "windows-1252",
        28592..=28606 => return Encoding::for_label(format!("iso-8859-{}", n - 28590).as_bytes()),
        65001 => "utf-8",
        _ => return None,
    };
    Encoding::for_label(name.as_bytes())
}

/// What the bytes say about UTF-8.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Utf8Check {
    /// Valid UTF-8 with at least one multi-byte character.
    Valid,
    /// Invalid, but with valid multi-byte sequences too (UTF-8 with damage); offset of the
    /// first bad byte.
    Damaged(usize),
    /// Invalid and no multi-byte sequence at all (a single-byte encoding).
    NotUtf8,
}

/// Classifies `bytes` (assumed to contain non-ASCII bytes).
pub(crate) fn check_utf8(bytes: &[u8]) -> Utf8Check {
    let mut pos = 0usize;
    let mut first_bad: Option<usize> = None;
    let mut multibyte = false;
    while let Some(rest) = bytes.get(pos..) {
        if rest.is_empty() {
            break;
        }
        match std::str::from_utf8(rest) {
            Ok(s) => {
                multibyte |= !s.is_ascii();
                break;
            }
            Err(e) => {
                let good = rest.get(..e.valid_up_to()).unwrap_or_default();
                multibyte |= !good.is_ascii();
                first_bad.get_or_insert(pos + e.valid_up_to());
                pos += e.valid_up_to() + e.error_len().unwrap_or(1).max(1);
                if multibyte {
                    break;
                }
            }
        }
    }
    match (first_bad, multibyte) {
        (None, _) => Utf8Check::Valid,
        (Some(at), true) => Utf8Check::Damaged(at),
        (Some(_), false) => Utf8Check::NotUtf8,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_ofx_labels() {
        for (l, name) in [
            ("USASCII", "windows-1252"),
            ("1252", "windows-1252"),
            ("ISO-8859-1", "windows-1252"),
            ("UTF-8", "UTF-8"),
            ("1251", "windows-1251"),
            ("850", ""),
            ("koi8-r", "KOI8-R"),
        ] {
            assert_eq!(label(l).map(|e| e.name()).unwrap_or(""), name, "{l}");
        }
        assert_eq!(from_ofx1_header(Some("UTF-8"), Some("NONE")), Some(UTF_8));
        assert_eq!(from_ofx1_header(Some("USASCII"), Some("1252")), Some(WINDOWS_1252));
        assert_eq!(from_ofx1_header(Some("USASCII"), Some("XYZ")), None);
    }

    #[test]
    fn tells_utf8_from_single_byte() {
        assert_eq!(check_utf8("caf\u{e9}".as_bytes()), Utf8Check::Valid);
        // UTF-16: a lone surrogate, and an odd byte at the end, become U+FFFD where they are.
        let units = |u: &[u16]| u.iter().flat_map(|c| c.to_le_bytes()).collect::<Vec<u8>>();
        let (text, at) = transcode_utf16(encoding_rs::UTF_16LE, &units(&[0x41, 0xD800, 0x42]));
        assert_eq!((text.as_str(), at), ("A\u{fffd}B", vec![1]));
        let pair = units(&[0xD83D, 0xDE00, 0xDC00]);
        let (text, at) = transcode_utf16(encoding_rs::UTF_16LE, &pair);
        assert_eq!((text.as_str(), at), ("\u{1f600}\u{fffd}", vec![4]));
        let mut odd = units(&[0x43]);
        odd.push(0x44);
        let (text, at) = transcode_utf16(encoding_rs::UTF_16LE, &odd);
        assert_eq!((text.as_str(), at), ("C\u{fffd}", vec![1]));
        let big: Vec<u8> = "x".repeat(5000).encode_utf16().flat_map(|c| c.to_be_bytes()).collect();
        assert_eq!(transcode_utf16(encoding_rs::UTF_16BE, &big), ("x".repeat(5000), vec![]));
        assert_eq!(check_utf8(b"caf\xe9"), Utf8Check::NotUtf8);
        assert_eq!(check_utf8(b"\xe9t\xc3\xa9"), Utf8Check::Damaged(0));
        assert_eq!(check_utf8("\u{e9}t\u{e9} \u{ff}".as_bytes()), Utf8Check::Valid);
    }
}
