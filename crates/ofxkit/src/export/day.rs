//! Calendar dates as the accounting outputs write them (`YYYY-MM-DD`), without going
//! through chrono's general formatter for every entry.

use chrono::{Datelike, NaiveDate};

/// Appends `YYYY-MM-DD` to `buf`: the same text as `NaiveDate`'s `Display`.
#[inline]
pub(crate) fn put(buf: &mut Vec<u8>, d: NaiveDate) {
    match digits(d) {
        Some(text) => buf.extend_from_slice(&text),
        None => {
            use std::io::Write as _;
            let _ = write!(buf, "{d}");
        }
    }
}

/// The ten bytes of a day of the years 0 to 9999; `None` for another year (written by
/// chrono, with its sign or more digits).
#[inline]
fn digits(d: NaiveDate) -> Option<[u8; 10]> {
    let (y, m, day) = (d.year(), d.month(), d.day());
    if !(0..=9999).contains(&y) {
        return None;
    }
    let y = y as u32;
    let digit = |n: u32| b'0' + (n % 10) as u8;
    Some([
        digit(y / 1000),
        digit(y / 100),
        digit(y / 10),
        digit(y),
        b'-',
        digit(m / 10),
        digit(m),
        b'-',
        digit(day / 10),
        digit(day),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_written_as_chrono_writes_them() {
        for (y, m, d) in [(2024, 1, 5), (1, 12, 31), (999, 2, 28), (9999, 12, 31), (0, 1, 1)] {
            let date = NaiveDate::from_ymd_opt(y, m, d).expect("a date");
            let mut buf = Vec::new();
            put(&mut buf, date);
            assert_eq!(buf, date.to_string().as_bytes());
        }
        for (y, m, d) in [(10000, 1, 1), (-1, 6, 30), (-44, 3, 15)] {
            let date = NaiveDate::from_ymd_opt(y, m, d).expect("a date");
            let mut buf = Vec::new();
            put(&mut buf, date);
            assert_eq!(buf, date.to_string().as_bytes());
        }
    }
}
