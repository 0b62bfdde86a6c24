//! The text of the accounting outputs, put together in one buffer and handed to the output
//! in blocks: what every entry holds (days, decimals, names) is written straight into the
//! buffer, not through `std::fmt`; what is written once per account goes through
//! [`Write`] as before.

use std::io::{self, Write};

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::export::day;

/// How much is gathered before it is handed on.
const BLOCK: usize = 1 << 16;

/// An output being written: a buffer, handed to `out` whenever [`step`](Self::step) finds
/// a block in it, and at the [`finish`](Self::finish).
pub(crate) struct Text<'w> {
    /// What is not handed on yet.
    pub(crate) buf: Vec<u8>,
    out: &'w mut dyn Write,
}

impl<'w> Text<'w> {
    /// An empty buffer before `out`.
    pub(crate) fn new(out: &'w mut dyn Write) -> Self {
        Text { buf: Vec::with_capacity(BLOCK + BLOCK / 4), out }
    }

    /// Appends `s`.
    #[inline]
    pub(crate) fn str(&mut self, s: &str) {
        self.buf.extend_from_slice(s.as_bytes());
    }

    /// Appends one ASCII byte.
    #[inline]
    pub(crate) fn byte(&mut self, b: u8) {
        self.buf.push(b);
    }

    /// Appends `d` as its `Display` writes it.
    #[inline]
    pub(crate) fn decimal(&mut self, d: Decimal) {
        decimal(&mut self.buf, d);
    }

    /// Appends `d` as `YYYY-MM-DD` (its `Display`).
    #[inline]
    pub(crate) fn day(&mut self, d: NaiveDate) {
        day::put(&mut self.buf, d);
    }

    /// Hands the buffer on when it holds a block (called after each entry).
    #[inline]
    pub(crate) fn step(&mut self) -> io::Result<()> {
        if self.buf.len() >= BLOCK {
            self.out.write_all(&self.buf)?;
            self.buf.clear();
        }
        Ok(())
    }

    /// Hands the rest on and flushes the output.
    pub(crate) fn finish(mut self) -> io::Result<()> {
        if !self.buf.is_empty() {
            self.out.write_all(&self.buf)?;
            self.buf.clear();
        }
        self.out.flush()
    }
}

impl Write for Text<'_> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Appends `d` as `Decimal`'s `Display` writes it (no width, no precision): the sign of a
/// value below zero (and of a negative zero), the digits, and `scale` of them after a `.`.
pub(crate) fn decimal(buf: &mut Vec<u8>, d: Decimal) {
    let Ok(mantissa) = u64::try_from(d.mantissa().unsigned_abs()) else {
        // Beyond 19 digits: rare, written by the crate itself.
        let _ = write!(buf, "{d}");
        return;
    };
    if d.is_sign_negative() {
        buf.push(b'-');
    }
    let mut digits = itoa::Buffer::new();
    let digits = digits.format(mantissa).as_bytes();
    let scale = d.scale() as usize;
    match digits.len().checked_sub(scale) {
        Some(whole) if whole > 0 => {
            let (int, frac) = digits.split_at(whole);
            buf.extend_from_slice(int);
            if !frac.is_empty() {
                buf.push(b'.');
                buf.extend_from_slice(frac);
            }
        }
        // Only a fraction: `0.`, its leading zeros, its digits.
        _ => {
            buf.extend_from_slice(b"0.");
            buf.resize(buf.len() + (scale - digits.len()), b'0');
            buf.extend_from_slice(digits);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_written_as_their_display_writes_them() {
        let mut cases: Vec<Decimal> = [
            "0",
            "0.00",
            "-0",
            "1",
            "-1",
            "10",
            "0.5",
            "-0.05",
            "123.4500",
            "-9.59",
            "2500.00",
            "0.0000000000000000000000000001",
        ]
        .iter()
        .map(|s| s.parse().expect("a decimal"))
        .collect();
        cases.extend([Decimal::MAX, Decimal::MIN, Decimal::ZERO, Decimal::ONE]);
        // Negative zeros, which `Display` writes with their sign.
        let mut z = Decimal::new(0, 2);
        z.set_sign_negative(true);
        cases.push(z);
        // Every scale, mantissas around the 64-bit boundary and small ones.
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        for scale in 0..=28u32 {
            for m in [1i128, 9, 10, 99, 12345, i128::from(u64::MAX), i128::from(u64::MAX) + 1] {
                for sign in [1, -1] {
                    cases.push(Decimal::from_i128_with_scale(sign * m, scale));
                }
            }
            for _ in 0..50 {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                let m = i128::from(state >> (state % 64)) * if state & 1 == 0 { 1 } else { -1 };
                cases.push(Decimal::from_i128_with_scale(m, scale));
            }
        }
        for d in cases {
            let mut buf = b"x".to_vec();
            decimal(&mut buf, d);
            assert_eq!(String::from_utf8(buf).expect("ASCII"), format!("x{d}"), "{d:?}");
        }
    }

    #[test]
    fn the_buffer_is_handed_on_in_blocks_and_at_the_end() {
        let mut out = Vec::new();
        let mut t = Text::new(&mut out);
        for _ in 0..10_000 {
            t.str("abcdefghij");
            t.step().expect("written");
        }
        assert!(t.buf.len() < BLOCK, "a block is handed on as soon as it is full");
        t.byte(b'!');
        t.finish().expect("written");
        assert_eq!(out.len(), 100_001);
        assert!(out.ends_with(b"ij!"));
    }
}
