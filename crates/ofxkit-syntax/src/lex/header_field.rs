//! The production reader of one `KEY:VALUE` header line (the nom grammar of the same line is
//! `reference::header_field`).

/// Where the parts of a header field end, as lengths from its start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FieldEnds {
    /// The key's length.
    pub(crate) key: usize,
    /// Where the value starts (after the colon).
    pub(crate) value_start: usize,
    /// Where the value ends (at the line end, a `<` or the end of the input).
    pub(crate) value_end: usize,
    /// Where the line ends, its line break included.
    pub(crate) line_end: usize,
}

/// Reads `KEY [blanks] : VALUE line-end` at the start of `rest`; `None` when `rest` does not
/// start with a key followed by a colon.
pub(crate) fn read(rest: &[u8]) -> Option<FieldEnds> {
    let key = rest.iter().take_while(|b| b.is_ascii_alphanumeric()).count();
    if key == 0 {
        return None;
    }
    let after_key = rest.get(key..)?;
    let blanks = after_key.iter().take_while(|&&b| b == b' ' || b == b'\t').count();
    if after_key.get(blanks) != Some(&b':') {
        return None;
    }
    let value_start = key + blanks + 1;
    let value = rest.get(value_start..)?;
    let value_len = memchr::memchr3(b'\r', b'\n', b'<', value).unwrap_or(value.len());
    let value_end = value_start + value_len;
    let line_end = match (rest.get(value_end), rest.get(value_end + 1)) {
        (Some(b'\r'), Some(b'\n')) => value_end + 2,
        (Some(b'\r' | b'\n'), _) => value_end + 1,
        _ => value_end,
    };
    Some(FieldEnds { key, value_start, value_end, line_end })
}
