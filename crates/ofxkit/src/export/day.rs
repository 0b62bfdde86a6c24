//! Calendar dates as the accounting outputs write them (`YYYY-MM-DD`), without going
//! through chrono's general formatter for every entry.

use chrono::{Datelike, NaiveDate};

/// `YYYY-MM-DD`: the same text as `NaiveDate`'s `Display`.
pub(crate) struct Day(pub(crate) NaiveDate);

impl std::fmt::Display for Day {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let d = self.0;
        let (y, m, day) = (d.year(), d.month(), d.day());
        if !(0..=9999).contains(&y) {
            return write!(f, "{d}");
        }
        let y = y as u32;
        let digit = |n: u32| b'0' + (n % 10) as u8;
        let text = [
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
        ];
        // ASCII digits and dashes only.
        f.write_str(std::str::from_utf8(&text).map_err(|_| std::fmt::Error)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_written_as_chrono_writes_them() {
        for (y, m, d) in [(2024, 1, 5), (1, 12, 31), (999, 2, 28), (9999, 12, 31), (0, 1, 1)] {
            let date = NaiveDate::from_ymd_opt(y, m, d).expect("a date");
            assert_eq!(Day(date).to_string(), date.to_string());
        }
        for (y, m, d) in [(10000, 1, 1), (-1, 6, 30), (-44, 3, 15)] {
            let date = NaiveDate::from_ymd_opt(y, m, d).expect("a date");
            assert_eq!(Day(date).to_string(), date.to_string());
        }
    }
}
