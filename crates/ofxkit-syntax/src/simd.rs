//! Sixteen bytes at a time: bit masks of the bytes of a 16-byte window that are of a kind.
//!
//! On x86-64 these are SSE2 instructions (part of every x86-64 CPU), through `safe_arch`'s
//! safe wrappers; elsewhere a plain loop gives the same masks. Bit `i` of a mask is byte
//! `at + i`, and every mask is exact (no false positives above a match).

/// `(bytes equal to `<`, bytes outside 0x20..0x80, bytes equal to `&`)` of the 16 bytes at
/// `at` (what a plain value may not hold are the last two); `None` when fewer than 16 bytes
/// are left.
#[inline(always)]
pub(crate) fn lt_and_special(src: &[u8], at: usize) -> Option<(u32, u32, u32)> {
    let window: [u8; 16] = src.get(at..at.checked_add(16)?)?.try_into().ok()?;
    Some(imp::lt_and_special(window))
}

/// [`lt_and_special`] of the 32 bytes at `at`, as two windows' masks put together (bit
/// `16 + i` is the second window's byte `i`); `None` when fewer than 32 bytes are left.
#[inline(always)]
pub(crate) fn lt_and_special_32(src: &[u8], at: usize) -> Option<(u32, u32, u32)> {
    let (lt0, out0, amp0) = lt_and_special(src, at)?;
    let (lt1, out1, amp1) = lt_and_special(src, at.checked_add(16)?)?;
    Some((lt0 | lt1 << 16, out0 | out1 << 16, amp0 | amp1 << 16))
}

/// The bytes equal to `byte` in `window`.
#[inline(always)]
pub(crate) fn equal(window: [u8; 16], byte: u8) -> u32 {
    imp::equal(window, byte)
}

/// The line breaks among the bytes from `from`, sixteen at a time, in whole windows that end
/// by `to` (each window also looks at the byte after it): every LF, and every CR not
/// followed by an LF. Returns the count and where it stopped; the bytes from there to `to`
/// are the caller's.
#[inline]
pub(crate) fn line_breaks(text: &[u8], from: usize, to: usize) -> (u32, usize) {
    imp::line_breaks(text, from, to)
}

#[cfg(target_arch = "x86_64")]
mod imp {
    use safe_arch::{
        cmp_eq_mask_i8_m128i, cmp_lt_mask_i8_m128i, m128i, move_mask_i8_m128i, set_splat_i8_m128i,
    };

    #[inline(always)]
    pub(super) fn lt_and_special(window: [u8; 16]) -> (u32, u32, u32) {
        let v = m128i::from(window);
        let lt = cmp_eq_mask_i8_m128i(v, set_splat_i8_m128i(b'<' as i8));
        // As signed bytes, 0x80 and above are negative: one comparison finds them and the
        // control bytes.
        let outside = cmp_lt_mask_i8_m128i(v, set_splat_i8_m128i(0x20));
        let amp = cmp_eq_mask_i8_m128i(v, set_splat_i8_m128i(b'&' as i8));
        let mask = |m| move_mask_i8_m128i(m) as u32;
        (mask(lt), mask(outside), mask(amp))
    }

    #[inline(always)]
    pub(super) fn equal(window: [u8; 16], byte: u8) -> u32 {
        let v = m128i::from(window);
        move_mask_i8_m128i(cmp_eq_mask_i8_m128i(v, set_splat_i8_m128i(byte as i8))) as u32
    }

    /// Each lane of an accumulator counts up by one per break in its byte position (a
    /// compare gives -1, subtracted); before a lane could pass 255, the lanes are summed
    /// (`psadbw` against zero) into the total.
    pub(super) fn line_breaks(text: &[u8], from: usize, to: usize) -> (u32, usize) {
        use safe_arch::{
            bitandnot_m128i, load_unaligned_m128i, sub_i8_m128i, sum_of_u8_abs_diff_m128i,
            zeroed_m128i,
        };
        let lf = set_splat_i8_m128i(b'\n' as i8);
        let cr = set_splat_i8_m128i(b'\r' as i8);
        let sum = |acc: m128i| {
            let lanes: [u64; 2] = sum_of_u8_abs_diff_m128i(acc, zeroed_m128i()).into();
            lanes[0] + lanes[1]
        };
        let mut total = 0u64;
        let mut acc = zeroed_m128i();
        let mut rounds = 0u32;
        let mut at = from;
        while at + 16 <= to {
            // The 16 bytes at `at` and the 16 after the first of them: one bounds check.
            let Some(chunk) = text.get(at..at + 17) else { break };
            let (Some(here), Some(next)) =
                (chunk.first_chunk::<16>(), chunk.get(1..).and_then(|c| c.first_chunk::<16>()))
            else {
                break;
            };
            let v = load_unaligned_m128i(here);
            let after_is_lf = cmp_eq_mask_i8_m128i(load_unaligned_m128i(next), lf);
            let lone_cr = bitandnot_m128i(after_is_lf, cmp_eq_mask_i8_m128i(v, cr));
            acc = sub_i8_m128i(acc, cmp_eq_mask_i8_m128i(v, lf) | lone_cr);
            rounds += 1;
            if rounds == 255 {
                total += sum(acc);
                acc = zeroed_m128i();
                rounds = 0;
            }
            at += 16;
        }
        total += sum(acc);
        (u32::try_from(total).unwrap_or(u32::MAX), at)
    }
}

#[cfg(not(target_arch = "x86_64"))]
mod imp {
    fn mask(window: [u8; 16], hit: impl Fn(u8) -> bool) -> u32 {
        (0..16).zip(window).fold(0, |m, (i, b)| if hit(b) { m | 1 << i } else { m })
    }

    pub(super) fn lt_and_special(window: [u8; 16]) -> (u32, u32, u32) {
        (
            mask(window, |b| b == b'<'),
            mask(window, |b| !(0x20..0x80).contains(&b)),
            mask(window, |b| b == b'&'),
        )
    }

    pub(super) fn equal(window: [u8; 16], byte: u8) -> u32 {
        mask(window, |b| b == byte)
    }

    /// No windows here: the caller counts every byte.
    pub(super) fn line_breaks(_text: &[u8], from: usize, _to: usize) -> (u32, usize) {
        (0, from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_mark_exactly_the_bytes_of_their_kind() {
        // Every byte value at every position, among bytes of other kinds.
        for b in 0..=255u8 {
            for at in 0..16 {
                let mut src = *b"ab<&\x01\x7f\x80 z\n\r\xff\t~>A";
                src[at] = b;
                let (lt, outside, amp) = lt_and_special(&src, 0).expect("16 bytes");
                let by_loop = |hit: &dyn Fn(u8) -> bool| {
                    (0..16).filter(|&i| hit(src[i])).fold(0u32, |m, i| m | 1 << i)
                };
                assert_eq!(lt, by_loop(&|c| c == b'<'), "{src:?}");
                assert_eq!(outside, by_loop(&|c| !(0x20..0x80).contains(&c)), "{src:?}");
                assert_eq!(amp, by_loop(&|c| c == b'&'), "{src:?}");
                assert_eq!(equal(src, b'>'), by_loop(&|c| c == b'>'), "{src:?}");
                assert_eq!(equal(src, b), by_loop(&|c| c == b), "{src:?}");
            }
        }
        assert_eq!(lt_and_special(b"0123456789abcde", 0), None, "15 bytes");
        assert_eq!(lt_and_special(b"0123456789abcdef<", 1), Some((1 << 15, 0, 0)));
        let mut src = [b'a'; 40];
        (src[3], src[20], src[31], src[35]) = (b'<', b'&', 0x80, b'<');
        assert_eq!(lt_and_special_32(&src, 0), Some((1 << 3, 1 << 31, 1 << 20)));
        assert_eq!(lt_and_special_32(&src, 4), Some((1 << 31, 1 << 27, 1 << 16)));
        assert_eq!(lt_and_special_32(&src, 9), None, "31 bytes");
    }
}
