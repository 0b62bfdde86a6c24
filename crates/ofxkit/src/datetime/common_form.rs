//! The forms of date nearly every file uses, read and written as ISO 8601 in one pass over
//! words of eight bytes: the rows written straight from the tree use it, and fall back on
//! [`parse_datetime`] and [`OfxDateTime::write_iso8601`] for every other text. A test holds it
//! to those two on every combination of the forms' pieces.

use chrono::NaiveDate;

use super::plain_zone_hours;
#[cfg(doc)]
use super::{OfxDateTime, parse_datetime};
use crate::amount::Dialect;

/// How [`write_common_form`] is handed a zone's offset: `±HH` as three bytes (the sign
/// first) in a `u32`, and `00` as two bytes, as [`zone_written`] makes them.
pub(crate) type WrittenOffset = (u32, u16);

/// The offset of a zone bracket of the common form ([`plain_zone_hours`]) as
/// [`write_common_form`] writes it; `None` for any other bracket.
pub(crate) fn zone_written(bracket: &[u8]) -> Option<WrittenOffset> {
    let hours = plain_zone_hours(bracket)?;
    let h = hours.unsigned_abs();
    let sign = if hours < 0 { b'-' } else { b'+' };
    let written = u32::from_le_bytes([sign, b'0' + (h / 10) as u8, b'0' + (h % 10) as u8, 0]);
    Some((written, u16::from_le_bytes(*b"00")))
}

/// True when the eight bytes of `w` are all ASCII digits. Exact: a byte below `0` sets its
/// own high bit after the subtraction (a borrow only comes from a lower byte that did), one
/// above `9` after the addition, and one of 0x80 or more has it already.
#[inline(always)]
fn all_digits(w: u64) -> bool {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let below = w.wrapping_sub(0x3030_3030_3030_3030);
    let above = w.wrapping_add(0x4646_4646_4646_4646);
    (w | below | above) & HIGH == 0
}

/// Writes `raw` as [`OfxDateTime::write_iso8601`] writes what [`parse_datetime`] reads from
/// it, when it is of a form nearly every file uses and reads without a remark: `YYYYMMDD`, `YYYYMMDDHHMMSS`, and (OFX only)
/// `YYYYMMDDHHMMSS.XXX` with an optional `[±H:NAME]` zone of whole hours, whose offset
/// `zone` gives as written (the offset [`zone_written`] gives, or the same remembered). `false` (and nothing written) for any other text, which then goes
/// through [`parse_datetime`] and [`OfxDateTime::write_iso8601`]. This is the same reading
/// done on words of eight bytes, for the rows written straight from the tree; a test holds
/// it to the general one on every combination of the forms' pieces.
///
/// The text is read as words of eight bytes (the last one overlapping the one before it in
/// a short form), and the output put together from them: `w0` is `YYYYMMDD`, `w1`
/// `HHMMSS.m` and `w2` `MMSS.mmm` (from byte 10); a short form's missing digits are `0`.
#[inline]
pub(crate) fn write_common_form(
    line: &mut Vec<u8>,
    raw: &str,
    dialect: Dialect,
    zone: impl FnOnce(&[u8]) -> Option<WrittenOffset>,
) -> bool {
    let b = raw.as_bytes();
    let word = |at: usize| {
        b.get(at..at + 8).and_then(|w| <[u8; 8]>::try_from(w).ok()).map(u64::from_le_bytes)
    };
    const DOT: u64 = (b'.' as u64) << 48;
    const BYTE6: u64 = 0xFF << 48;
    let (len, w0, w1, w2) = match (b.len(), word(0), word(6)) {
        (8, Some(w0), _) => (10, w0, 0x3030_3030_3030_3030, 0x3030_3030_3030_3030),
        // The last word starts at byte 6: bytes 8..14 are its upper six.
        (14, Some(w0), Some(w6)) => (19, w0, w6 >> 16 | 0x3030 << 48, w6 >> 32 | 0x3030_3030 << 32),
        (n, Some(w0), _) if n >= 18 && dialect == Dialect::Ofx => {
            let (Some(w1), Some(w2)) = (word(8), word(10)) else { return false };
            if w1 & BYTE6 != DOT {
                return false;
            }
            // `.` stood in by a digit for the check.
            (if n == 18 { 23 } else { 29 }, w0, w1 & !BYTE6 | 0x30 << 48, w2)
        }
        _ => return false,
    };
    // w2's byte 4 is the `.` (or a `0` of a short form).
    let w2_digits = w2 & !(0xFF << 32) | 0x30 << 32;
    if !(all_digits(w0) && all_digits(w1) && all_digits(w2_digits)) {
        return false;
    }
    let byte = |w: u64, i: u32| (w >> (8 * i)) as u32 & 0xFF;
    let num = |w: u64, i: u32| (byte(w, i) - 0x30) * 10 + byte(w, i + 1) - 0x30;
    let (year, month, day) = (num(w0, 0) * 100 + num(w0, 2), num(w0, 4), num(w0, 6));
    // Days up to 28 are in every month; chrono's calendar says for the others.
    let in_month = |day| day <= 28 || NaiveDate::from_ymd_opt(year as i32, month, day).is_some();
    if !(1..=12).contains(&month) || day == 0 || !in_month(day) {
        return false;
    }
    if num(w1, 0) > 23 || num(w1, 2) > 59 || num(w1, 4) > 59 {
        return false;
    }
    let (zone_hours, zone_minutes) = match b.get(18..) {
        Some(zone_text) if len == 29 => match zone(zone_text) {
            Some(z) => z,
            None => return false,
        },
        _ => (0, 0),
    };
    // YYYY-MM- DDTHH:MM :SS.mmm± HH:MM
    let o0 = w0 & 0xFFFF_FFFF | 0x2D << 32 | (w0 >> 32 & 0xFFFF) << 40 | 0x2D << 56;
    let o1 = w0 >> 48 | 0x54 << 16 | (w1 & 0xFFFF) << 24 | 0x3A << 40 | (w1 >> 16 & 0xFFFF) << 48;
    let millis = w2 >> 40 & 0xFF_FFFF;
    let o2 =
        0x3A | (w1 >> 32 & 0xFFFF) << 8 | 0x2E << 24 | millis << 32 | u64::from(zone_hours) << 56;
    let o3 = u64::from(zone_hours) >> 8 | 0x3A << 16 | u64::from(zone_minutes) << 24;
    let mut out = [0u8; 32];
    for (dst, w) in out.chunks_exact_mut(8).zip([o0, o1, o2, o3]) {
        dst.copy_from_slice(&w.to_le_bytes());
    }
    // A fixed-size copy, then the unused end dropped: cheaper than a copy of `len` bytes.
    line.extend_from_slice(&out);
    line.truncate(line.len() - (out.len() - len));
    true
}

/// The date texts the tests of the common form (here and in `convert/tree_rows.rs`) try:
/// every date, time, fraction and zone below, joined.
#[cfg(test)]
pub(crate) fn date_cases() -> Vec<String> {
    let dates = ["20240229", "20230229", "20241231", "20240001", "20241301", "00000101"];
    let dates = dates.iter().chain(&["99991231", "19000229", "20000229", "2024010a"]);
    let times = ["", "000000", "235959", "240000", "236000", "235960", "123456"];
    let fractions = ["", ".000", ".999", ".5", ".12a", ":123"];
    let zones = [
        "",
        "[-5:EST]",
        "[0:GMT]",
        "[-4:EDT]",
        "[+1]",
        "[-5]",
        "[14]",
        "[15]",
        "[-5:EDT]",
        "[-5:XYZ]",
        "[-5:est]",
        "[-5:]",
        "[:EST]",
        "[-3.5:NST]",
        "[-0500]",
        "[-5:EST",
        "[-5:EST]x",
        "[05:ABCDE]",
        "[--5]",
        "[+05:30:IST]",
        "[+5:30]",
        "[+0530]",
        "[+5.5:IST]",
        "[+5.30]",
        "[+5.25]",
        "[-0]",
        "[+5:3]",
        "[-5:EST:X]",
        "[+5:30X]",
        "[+14:00]",
    ];
    let mut cases = Vec::new();
    for d in dates {
        for t in times {
            for f in fractions {
                for z in zones {
                    cases.push(format!("{d}{t}{f}{z}"));
                }
            }
        }
    }
    cases
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::datetime::parse_datetime;

    #[test]
    fn all_digits_is_exact() {
        for b in 0..=255u8 {
            for at in 0..8 {
                let mut w = *b"12345678";
                w[at] = b;
                assert_eq!(all_digits(u64::from_le_bytes(w)), b.is_ascii_digit(), "{w:?}");
            }
        }
    }

    fn general_date(raw: &str, dialect: Dialect) -> Option<String> {
        parse_datetime(raw, dialect)
            .ok()
            .filter(|p| p.warnings.is_empty())
            .map(|p| p.value.to_iso8601())
    }

    /// Whenever the common form is taken, it is written as the general reader and writer
    /// write it; and it is taken often.
    #[test]
    fn common_forms_are_written_as_the_general_reader_reads_them() {
        let mut taken = 0;
        for raw in date_cases() {
            for dialect in [Dialect::Ofx, Dialect::Ofc] {
                let mut line = Vec::new();
                if write_common_form(&mut line, &raw, dialect, zone_written) {
                    taken += 1;
                    let ours = String::from_utf8(line).expect("ASCII");
                    assert_eq!(Some(ours), general_date(&raw, dialect), "{raw:?}");
                } else {
                    assert!(line.is_empty(), "{raw:?}: written and refused");
                }
            }
        }
        assert!(taken > 100, "the common form was taken {taken} times only");
    }
}
