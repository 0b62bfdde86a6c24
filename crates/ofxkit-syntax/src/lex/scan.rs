//! Text scans: where a text run ends and what kinds of bytes it holds (word at a time),
//! and whether a leaf's value is plain (nothing to decode). The tokenizer, the SGML and XML
//! body lexer, the batches of leaves and the builder use them.

pub(crate) const CLASS_NUL: u8 = 1;
pub(crate) const CLASS_AMP: u8 = 2;
pub(crate) const CLASS_CR: u8 = 4;
pub(crate) const CLASS_HIGH: u8 = 8;

/// What each byte of a text tells the decoder: one table lookup per byte instead of four
/// scans.
#[allow(clippy::indexing_slicing)] // `i < 256` by the loop condition, in a const block
pub(crate) static BYTE_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = match i as u8 {
            0 => CLASS_NUL,
            b'&' => CLASS_AMP,
            b'\r' => CLASS_CR,
            0x80..=0xff => CLASS_HIGH,
            _ => 0,
        };
        i += 1;
    }
    t
};

/// Finds the end of a text run (the next `<`, or the end) and which byte classes occur in
/// it, eight bytes at a time. Returns (length, classes).
pub(crate) fn scan_text(bytes: &[u8]) -> (usize, u8) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // High bit set in each byte of `v` that is zero (exact for the lowest one, which is all
    // that matters: higher false positives lie above a real match).
    let zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    let mut classes = 0u8;
    let mut i = 0usize;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let Ok(arr) = <[u8; 8]>::try_from(chunk) else { break };
        let w = u64::from_le_bytes(arr);
        let lt = zero(w ^ (ONES * b'<' as u64));
        let (region, done) = if lt == 0 {
            (u64::MAX, None)
        } else {
            let k = (lt.trailing_zeros() / 8) as usize;
            (if k == 0 { 0 } else { (1u64 << (k * 8)) - 1 }, Some(k))
        };
        // Each class bit is a byte-wise high bit; keep only bytes before the `<`.
        let high = w & HIGH & region;
        let nul = zero(w) & region;
        let amp = zero(w ^ (ONES * b'&' as u64)) & region;
        let cr = zero(w ^ (ONES * b'\r' as u64)) & region;
        if (high | nul | amp | cr) != 0 {
            if high != 0 {
                classes |= CLASS_HIGH;
            }
            if nul != 0 {
                classes |= CLASS_NUL;
            }
            if amp != 0 {
                classes |= CLASS_AMP;
            }
            if cr != 0 {
                classes |= CLASS_CR;
            }
        }
        if let Some(k) = done {
            return (i + k, classes);
        }
        i += 8;
    }
    let tail = bytes.get(i..).unwrap_or_default();
    for (j, &b) in tail.iter().enumerate() {
        if b == b'<' {
            return (i + j, classes);
        }
        classes |= BYTE_CLASS.get(b as usize).copied().unwrap_or(0);
    }
    (bytes.len(), classes)
}

/// What [`scan_value`] found in a text run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ValueScan {
    /// Blanks only.
    Blank,
    /// A value `start..end` (trimmed) with no byte that needs decoding or a report: no byte
    /// below 0x20, no `&`, none above 0x7F (what [`plain_span`] accepts).
    Plain { start: usize, end: usize },
    /// A value like [`Plain`](Self::Plain) but for one or more `&`: a reference to decode,
    /// or a bare `&` to report, once the file is read.
    Amp { start: usize, end: usize },
    /// Anything else: the builder reads it in full.
    Other,
}

/// Reads the text run at `start` (up to the next `<` or the end of `src`) in one pass,
/// thirty-two bytes at a time (most values and their line break fit in one step, so the
/// loop's exit is easy to predict): returns where it ends and what it holds. The first byte below
/// 0x20 or above 0x7F ends a plain value; when only blanks follow it up to the `<`, and no
/// space starts or ends the value, the value is plain (`Amp` if it holds a `&`). One loop,
/// so one hard-to-predict exit per text; texts with spaces around the value are left to
/// the builder (`Other`).
#[inline(always)]
pub(crate) fn scan_value(src: &[u8], start: usize) -> (usize, ValueScan) {
    let mut at = start;
    // The first byte outside 0x20..0x80, once seen, and whether a `&` came before the `<`.
    let mut outside = usize::MAX;
    let mut amp = 0;
    let lt = loop {
        let Some((lt, out, amps)) = crate::simd::lt_and_special_32(src, at) else {
            // Within 32 bytes of the end of the input: once per file.
            return scan_value_bytes(src, start);
        };
        if lt != 0 {
            let k = lt.trailing_zeros();
            let before = (1u32 << k) - 1;
            if outside == usize::MAX && out & before != 0 {
                outside = at + (out & before).trailing_zeros() as usize;
            }
            amp |= amps & before;
            break at + k as usize;
        }
        if outside == usize::MAX && out != 0 {
            outside = at + out.trailing_zeros() as usize;
        }
        amp |= amps;
        at += 32;
    };
    value_scan(src, start, outside.min(lt), lt, amp != 0)
}

/// What the text run `start..lt` holds, given that `end` is its first byte outside
/// 0x20..0x80 (or `lt`), and whether it has a `&`.
#[inline(always)]
pub(crate) fn value_scan(
    src: &[u8],
    start: usize,
    end: usize,
    lt: usize,
    amp: bool,
) -> (usize, ValueScan) {
    if !src.get(end..lt).unwrap_or_default().iter().all(u8::is_ascii_whitespace) {
        return (lt, ValueScan::Other);
    }
    if end == start {
        return (lt, ValueScan::Blank);
    }
    if src.get(start) == Some(&b' ') || src.get(end - 1) == Some(&b' ') {
        return (lt, ValueScan::Other);
    }
    // A `&` after `end` is not a blank: it was refused above.
    if amp {
        return (lt, ValueScan::Amp { start, end });
    }
    (lt, ValueScan::Plain { start, end })
}

/// [`scan_value`] a byte at a time, for the end of the input.
#[inline(never)]
pub(crate) fn scan_value_bytes(src: &[u8], start: usize) -> (usize, ValueScan) {
    let rest = src.get(start..).unwrap_or_default();
    let lt = start + memchr::memchr(b'<', rest).unwrap_or(rest.len());
    let run = src.get(start..lt).unwrap_or_default();
    let end = run.iter().position(|b| !(0x20..0x80).contains(b)).map_or(lt, |p| start + p);
    let amp = memchr::memchr(b'&', run).is_some();
    value_scan(src, start, end, lt, amp)
}

/// True when no byte of `text` is below 0x20, `&`, or 0x80 and above (most text is
/// letters, digits, blanks and punctuation, and needs no decoding).
#[cfg(test)]
pub(crate) fn plain_text(text: &[u8]) -> bool {
    plain_span(text, 0, text.len())
}

/// The high bit of each byte of `w` that is below 0x20, `&`, or 0x80 and above; exact for
/// the lowest such byte (a borrow only sets bits above a byte that really matched).
pub(crate) fn special_bytes(w: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let below_space = w.wrapping_sub(ONES * 0x20) & !w;
    let amp = w ^ (ONES * b'&' as u64);
    let is_amp = amp.wrapping_sub(ONES) & !amp;
    (w | below_space | is_amp) & HIGH
}

pub(crate) fn word_at(src: &[u8], at: usize) -> Option<u64> {
    let bytes = src.get(at..at.checked_add(8)?)?;
    Some(u64::from_le_bytes(<[u8; 8]>::try_from(bytes).ok()?))
}

/// `plain_text` of `src[start..end]`, eight bytes at a time: the last word overlaps the one
/// before it, and a text shorter than eight bytes is read as the word of `src` at its start
/// with the bytes after it masked off.
#[inline]
pub(crate) fn plain_span(src: &[u8], start: usize, end: usize) -> bool {
    let len = end.saturating_sub(start);
    if len < 8 {
        if let Some(w) = word_at(src, start) {
            let keep = u64::MAX.checked_shr(64 - 8 * len as u32).unwrap_or(0);
            return special_bytes(w) & keep == 0;
        }
        let text = src.get(start..end).unwrap_or_default();
        return text.iter().all(|&b| (0x20..0x80).contains(&b) && b != b'&');
    }
    let mut at = start;
    while at + 8 < end {
        match word_at(src, at) {
            Some(w) if special_bytes(w) == 0 => at += 8,
            _ => return false,
        }
    }
    word_at(src, end - 8).is_some_and(|w| special_bytes(w) == 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scan_text_finds_the_tag_and_the_classes() {
        for (text, len, classes) in [
            ("", 0, 0),
            ("abc", 3, 0),
            ("abc<", 3, 0),
            ("<", 0, 0),
            ("DEBIT\n<TRNAMT>", 6, 0),
            ("a long text of more than eight bytes<x", 36, 0),
            ("AT&T\r\n<", 6, CLASS_AMP | CLASS_CR),
            ("12345678&<", 9, CLASS_AMP),
            ("1234567<&", 7, 0),
            ("caf\u{e9}<", 5, CLASS_HIGH),
            ("a\0b", 3, CLASS_NUL),
            ("abcdefgh\r", 9, CLASS_CR),
            ("abcdefg<\0", 7, 0),
        ] {
            assert_eq!(scan_text(text.as_bytes()), (len, classes), "{text:?}");
            assert_eq!(scan_value(text.as_bytes(), 0).0, len, "{text:?}");
        }
    }

    #[test]
    fn scan_value_agrees_with_trimming_and_the_byte_table() {
        // Every run of up to five bytes of each kind, at offsets that make words straddle it,
        // followed by a tag, by a long text, or by the end of the input.
        let alphabet = [b'a', b' ', b'\n', b'\r', b'\t', b'&', b'<', 0xE9, 0];
        let mut runs: Vec<Vec<u8>> = vec![Vec::new()];
        for len in 1..=5 {
            let mut run = vec![0usize; len];
            'all: loop {
                runs.push(run.iter().map(|&i| alphabet[i]).collect());
                for digit in run.iter_mut() {
                    *digit += 1;
                    if *digit < alphabet.len() {
                        continue 'all;
                    }
                    *digit = 0;
                }
                break;
            }
        }
        // The forms of real files take the fast answers.
        for (text, expect) in [
            ("DEBIT\n<TRNAMT>", ValueScan::Plain { start: 0, end: 5 }),
            ("DEBIT\r\n<TRNAMT>", ValueScan::Plain { start: 0, end: 5 }),
            ("-9.59</TRNAMT>", ValueScan::Plain { start: 0, end: 5 }),
            (
                "DEBIT CARD PURCHASE 01/01 CARD 2583 REF 7600118\n<",
                ValueScan::Plain { start: 0, end: 47 },
            ),
            ("\n<STMTTRN>", ValueScan::Blank),
            ("\r\n\t\t<", ValueScan::Blank),
        ] {
            assert_eq!(scan_value(text.as_bytes(), 0).1, expect, "{text:?}");
        }
        // Plain bytes before the run put it across the boundaries of 16-byte windows and of
        // 32-byte steps; the tails give the run a tag after it, more text, or the end of the
        // input (within 32 bytes, read a byte at a time) at both distances.
        let long_tag = b"<B>xxxxxxxxxxxxxxxxxxxx";
        for run in &runs {
            for (pad, lead) in
                [(0, 0), (3, 0), (8, 0), (13, 0), (0, 12), (5, 14), (0, 16), (2, 28), (0, 33)]
            {
                for tail in [&b""[..], b"<B>", long_tag, b"xxxxxxxxxxxxxxxxxxxxxxx"] {
                    let mut src = vec![b'x'; pad];
                    src.resize(pad + lead, b'a');
                    src.extend_from_slice(run);
                    src.extend_from_slice(tail);
                    let (end, scan) = scan_value(&src, pad);
                    let rest = &src[pad..];
                    let lt = pad + rest.iter().position(|&b| b == b'<').unwrap_or(rest.len());
                    assert_eq!(end, lt, "{src:?}");
                    let raw = &src[pad..lt];
                    let trimmed = raw.trim_ascii();
                    let before = &raw[..raw.len() - raw.trim_ascii_start().len()];
                    // `Other` is always right (the builder reads the text in full); the
                    // fast answers must be exact, and are given for every text with no
                    // space around its value.
                    let spaced = raw.first() == Some(&b' ')
                        || raw.get(before.len() + trimmed.len()) == Some(&b' ');
                    // `&` aside, what `plain_text` accepts.
                    let without_amp: Vec<u8> =
                        trimmed.iter().map(|&b| if b == b'&' { b'a' } else { b }).collect();
                    let fast = !trimmed.is_empty() && before.is_empty() && !spaced;
                    let value = pad..pad + trimmed.len();
                    let expect = if trimmed.is_empty() && !raw.starts_with(b" ") {
                        ValueScan::Blank
                    } else if fast && plain_text(trimmed) {
                        ValueScan::Plain { start: value.start, end: value.end }
                    } else if fast && plain_text(&without_amp) {
                        ValueScan::Amp { start: value.start, end: value.end }
                    } else {
                        ValueScan::Other
                    };
                    assert_eq!(scan, expect, "{src:?}");
                }
            }
        }
    }

    #[test]
    fn plain_text_agrees_with_the_byte_table() {
        for b in 0..=255u8 {
            let text = [b'a', b, b'c', b'd', b'e', b'f', b'g', b'h', b'i'];
            let by_table = text.iter().all(|&c| BYTE_CLASS[c as usize] == 0 && c >= 0x20);
            assert_eq!(plain_text(&text), by_table, "byte {b:#x}");
            for len in 1..=text.len() {
                let by_table =
                    text[..len].iter().all(|&c| BYTE_CLASS[c as usize] == 0 && c >= 0x20);
                // Short texts are read through the word at their start in a longer source,
                // whose next bytes are all special.
                let src: Vec<u8> =
                    text[..len].iter().chain(b"\0&\x80\x01<<<<<<<").copied().collect();
                assert_eq!(plain_span(&src, 0, len), by_table, "byte {b:#x}, len {len}");
                assert_eq!(plain_text(&text[..len]), by_table, "byte {b:#x}, len {len}");
            }
        }
    }
}
