//! Recurring-payment schedules: the due dates a `RECURRINST` (NINSTS, FREQ) produces from a
//! first due date.
//!
//! Rules (OFX gives the frequencies, not the arithmetic; these are ours, documented):
//! - `WEEKLY`, `BIWEEKLY`, `FOURWEEKS`: every 7, 14, 28 days.
//! - `MONTHLY`, `BIMONTHLY` (every two months), `QUARTERLY`, `TRIANNUALLY` (every four
//!   months, 1.6 DTD), `SEMIANNUALLY`, `ANNUALLY`: the n-th date is the first date plus n×k
//!   months, on the first date's day of month, clamped to the month's last day. Clamping
//!   never drifts: Jan 31 → Feb 29 (2024) → Mar 31 → Apr 30.
//! - `TWICEMONTHLY`: two dates a month, the first date's day and the day 15 days away within
//!   the same month (the 10th and 25th; the 20th and 5th), each clamped to the month's end.
//! - `NINSTS` absent: open-ended (until canceled); the caller bounds the list.
//!
//! ```
//! use chrono::NaiveDate;
//! use ofxkit::schedule::{Frequency, occurrences};
//! let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
//! let dates = occurrences(d(2024, 1, 31), Frequency::Monthly, Some(4), None, None, 10);
//! assert_eq!(dates, [d(2024, 1, 31), d(2024, 2, 29), d(2024, 3, 31), d(2024, 4, 30)]);
//! ```

use chrono::{Datelike, Days, Months, NaiveDate};

/// How often a recurring payment falls due (OFX `FREQ`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Frequency {
    /// Every 7 days.
    Weekly,
    /// Every 14 days.
    Biweekly,
    /// Twice a month, 15 days apart.
    TwiceMonthly,
    /// Every month.
    Monthly,
    /// Every 28 days.
    FourWeeks,
    /// Every two months.
    Bimonthly,
    /// Every three months.
    Quarterly,
    /// Every four months (`TRIANNUALLY`, OFX 1.6 DTD).
    Triannually,
    /// Every six months.
    Semiannually,
    /// Every twelve months.
    Annually,
}

impl Frequency {
    /// Reads an OFX `FREQ` value (also the 1.6 DTD's `ANUALLY`).
    pub fn from_ofx(text: &str) -> Option<Frequency> {
        Some(match text.trim().to_ascii_uppercase().as_str() {
            "WEEKLY" => Frequency::Weekly,
            "BIWEEKLY" => Frequency::Biweekly,
            "TWICEMONTHLY" => Frequency::TwiceMonthly,
            "MONTHLY" => Frequency::Monthly,
            "FOURWEEKS" => Frequency::FourWeeks,
            "BIMONTHLY" => Frequency::Bimonthly,
            "QUARTERLY" => Frequency::Quarterly,
            "TRIANNUALLY" => Frequency::Triannually,
            "SEMIANNUALLY" => Frequency::Semiannually,
            "ANNUALLY" | "ANUALLY" => Frequency::Annually,
            _ => return None,
        })
    }

    /// The OFX name.
    pub fn as_ofx(self) -> &'static str {
        match self {
            Frequency::Weekly => "WEEKLY",
            Frequency::Biweekly => "BIWEEKLY",
            Frequency::TwiceMonthly => "TWICEMONTHLY",
            Frequency::Monthly => "MONTHLY",
            Frequency::FourWeeks => "FOURWEEKS",
            Frequency::Bimonthly => "BIMONTHLY",
            Frequency::Quarterly => "QUARTERLY",
            Frequency::Triannually => "TRIANNUALLY",
            Frequency::Semiannually => "SEMIANNUALLY",
            Frequency::Annually => "ANNUALLY",
        }
    }
}

/// The `n`-th due date (0 = the first), or `None` past the calendar's range.
pub fn nth(first: NaiveDate, freq: Frequency, n: u32) -> Option<NaiveDate> {
    let days = |k: u64| first.checked_add_days(Days::new(k.checked_mul(u64::from(n))?));
    let months = |k: u32| add_months_clamped(first, k.checked_mul(n)?);
    match freq {
        Frequency::Weekly => days(7),
        Frequency::Biweekly => days(14),
        Frequency::FourWeeks => days(28),
        Frequency::Monthly => months(1),
        Frequency::Bimonthly => months(2),
        Frequency::Quarterly => months(3),
        Frequency::Triannually => months(4),
        Frequency::Semiannually => months(6),
        Frequency::Annually => months(12),
        Frequency::TwiceMonthly => {
            let day = first.day();
            // The other anchor is 15 days away within the month.
            let other = if day <= 15 { day + 15 } else { day - 15 };
            let (lo, hi) = if day <= 15 { (day, other) } else { (other, day) };
            let first_is_lo = day <= 15;
            // Index 0 is `first`; then alternate between the anchors.
            let step = if first_is_lo { n } else { n + 1 };
            let month = add_months_clamped(first.with_day(1)?, step / 2)?;
            let anchor = if step % 2 == 0 { lo } else { hi };
            Some(clamp_day(month.year(), month.month(), anchor)?)
        }
    }
}

/// `date` plus `months`, on the same day of month, clamped to the month's last day.
pub fn add_months_clamped(date: NaiveDate, months: u32) -> Option<NaiveDate> {
    date.checked_add_months(Months::new(months))
}

fn clamp_day(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    (1..=day).rev().find_map(|d| NaiveDate::from_ymd_opt(year, month, d))
}

/// Due dates from `first`: at most `count` instalments (open-ended when `None`), only those
/// on or after `from` and on or before `until`, and at most `limit` of them.
pub fn occurrences(
    first: NaiveDate,
    freq: Frequency,
    count: Option<u32>,
    from: Option<NaiveDate>,
    until: Option<NaiveDate>,
    limit: usize,
) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let total = count.unwrap_or(u32::MAX);
    let mut n = 0u32;
    while n < total && out.len() < limit {
        let Some(date) = nth(first, freq, n) else { break };
        if until.is_some_and(|u| date > u) {
            break;
        }
        if from.is_none_or(|f| date >= f) {
            out.push(date);
        }
        n += 1;
        // A `from` far ahead must not spin for ever on an open-ended schedule.
        if n > 1_000_000 {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    /// Derived by hand from a calendar: leap years (2024, 2000) and non-leap (2023, 2100),
    /// month ends, and the anchors of twice-monthly schedules.
    #[test]
    fn hand_checked_table() {
        use Frequency::*;
        let cases: &[(NaiveDate, Frequency, u32, NaiveDate)] = &[
            (d(2024, 1, 31), Monthly, 1, d(2024, 2, 29)),
            (d(2023, 1, 31), Monthly, 1, d(2023, 2, 28)),
            (d(2024, 1, 31), Monthly, 2, d(2024, 3, 31)),
            (d(2024, 1, 31), Monthly, 3, d(2024, 4, 30)),
            (d(2024, 1, 30), Monthly, 1, d(2024, 2, 29)),
            (d(2024, 1, 29), Monthly, 1, d(2024, 2, 29)),
            (d(2023, 1, 29), Monthly, 1, d(2023, 2, 28)),
            (d(2024, 8, 31), Monthly, 1, d(2024, 9, 30)),
            (d(2024, 12, 31), Monthly, 2, d(2025, 2, 28)),
            (d(2024, 2, 29), Annually, 1, d(2025, 2, 28)),
            (d(2024, 2, 29), Annually, 4, d(2028, 2, 29)),
            (d(2096, 2, 29), Annually, 4, d(2100, 2, 28)),
            (d(1996, 2, 29), Annually, 4, d(2000, 2, 29)),
            (d(2024, 8, 31), Semiannually, 1, d(2025, 2, 28)),
            (d(2023, 11, 30), Quarterly, 1, d(2024, 2, 29)),
            (d(2024, 1, 31), Bimonthly, 2, d(2024, 5, 31)),
            (d(2024, 1, 31), Bimonthly, 1, d(2024, 3, 31)),
            (d(2024, 10, 31), Triannually, 1, d(2025, 2, 28)),
            (d(2024, 2, 26), Weekly, 1, d(2024, 3, 4)),
            (d(2023, 2, 26), Weekly, 1, d(2023, 3, 5)),
            (d(2024, 12, 25), Biweekly, 1, d(2025, 1, 8)),
            (d(2024, 2, 1), FourWeeks, 1, d(2024, 2, 29)),
            (d(2023, 2, 1), FourWeeks, 1, d(2023, 3, 1)),
            (d(2024, 1, 10), TwiceMonthly, 1, d(2024, 1, 25)),
            (d(2024, 1, 10), TwiceMonthly, 2, d(2024, 2, 10)),
            (d(2024, 1, 10), TwiceMonthly, 3, d(2024, 2, 25)),
            (d(2024, 1, 15), TwiceMonthly, 1, d(2024, 1, 30)),
            (d(2024, 1, 15), TwiceMonthly, 3, d(2024, 2, 29)),
            (d(2024, 1, 20), TwiceMonthly, 1, d(2024, 2, 5)),
            (d(2024, 1, 20), TwiceMonthly, 2, d(2024, 2, 20)),
            (d(2024, 1, 31), TwiceMonthly, 1, d(2024, 2, 16)),
            (d(2024, 1, 31), TwiceMonthly, 2, d(2024, 2, 29)),
        ];
        for &(first, freq, n, expect) in cases {
            assert_eq!(nth(first, freq, n), Some(expect), "{first} {freq:?} #{n}");
        }
    }

    #[test]
    fn counts_and_windows() {
        let all = occurrences(d(2024, 1, 15), Frequency::Monthly, Some(3), None, None, 100);
        assert_eq!(all, [d(2024, 1, 15), d(2024, 2, 15), d(2024, 3, 15)]);
        let open = occurrences(d(2024, 1, 15), Frequency::Monthly, None, None, None, 5);
        assert_eq!(open.len(), 5);
        let window = occurrences(
            d(2024, 1, 15),
            Frequency::Monthly,
            None,
            Some(d(2024, 3, 1)),
            Some(d(2024, 5, 15)),
            100,
        );
        assert_eq!(window, [d(2024, 3, 15), d(2024, 4, 15), d(2024, 5, 15)]);
        assert!(occurrences(d(2024, 1, 1), Frequency::Weekly, Some(0), None, None, 9).is_empty());
    }

    #[test]
    fn frequencies_read_both_spellings() {
        assert_eq!(Frequency::from_ofx("ANUALLY"), Some(Frequency::Annually));
        assert_eq!(Frequency::from_ofx("monthly"), Some(Frequency::Monthly));
        assert_eq!(Frequency::from_ofx("DAILY"), None);
        for f in ["WEEKLY", "TWICEMONTHLY", "FOURWEEKS", "SEMIANNUALLY"] {
            assert_eq!(Frequency::from_ofx(f).map(Frequency::as_ofx), Some(f));
        }
    }
}
