//! Recurring-payment schedules: the due dates of one recurrence type that both worlds map
//! onto, an OFX recurring model (`RECURRINST`: `FREQ`, `NINSTS`) and a card processor's plan
//! (`interval_day`, `payments_no`; see [`crate::plans`]).
//!
//! A [`Recurrence`] is a first date, an [`Interval`] (an OFX calendar [`Frequency`] or a
//! number of days) and a finite count or none; [`Dates`] makes its dates one at a time.
//!
//! Rules (OFX gives the frequencies, not the arithmetic; these are ours, documented):
//! - `WEEKLY`, `BIWEEKLY`, `FOURWEEKS`: every 7, 14, 28 days; a day interval of `k`: every
//!   `k` days.
//! - `MONTHLY`, `BIMONTHLY` (every two months), `QUARTERLY`, `TRIANNUALLY` (every four
//!   months, 1.6 DTD), `SEMIANNUALLY`, `ANNUALLY`: the n-th date is the first date plus n×k
//!   months, on the first date's day of month, clamped to the month's last day. Clamping
//!   never drifts: Jan 31 → Feb 29 (2024) → Mar 31 → Apr 30.
//! - `TWICEMONTHLY`: two dates a month, the first date's day and the day 15 days away within
//!   the same month (the 10th and 25th; the 20th and 5th), each clamped to the month's end.
//! - `NINSTS` absent: open-ended (until canceled); the caller bounds the list (`--until`,
//!   `--count`). `NINSTS` is one to three digits (the DTDs' `I-3`); anything else (`+5`,
//!   `1000`, `4294967295`, `twelve`) leaves the model's end unknown: the reader reports it
//!   (`E-INTEGER`) and [`Plan::new`] refuses the model ([`PlanError::Instalments`]), never
//!   scheduling it as open-ended. `NINSTS` 0: the specification counts the payments a model
//!   makes and has "absent" for a model without an end, so 0 is a model of no payment, not an
//!   open-ended one; the reader reports it (`W-NINSTS-ZERO`) and [`Plan::new`] refuses it too
//!   ([`PlanError::NoInstalments`]), so an empty schedule is never silent.
//! - Written back as OFX ([`Recurrence::to_ofx`]): a day interval has a `FREQ` only when one
//!   expresses it exactly (7 → `WEEKLY`, 14 → `BIWEEKLY`, 28 → `FOURWEEKS`), and a count only
//!   as a `NINSTS` of 1 to 999; anything else is a [`ToOfxError`], never an approximation.
//! - Amounts ([`plan`]): `INITIALAMT` for the first instalment, `FINALAMT` for the last when
//!   `NINSTS` is known, `PMTINFO/TRNAMT` for the others; exact decimals.
//! - Rows are made one at a time ([`Dates`], [`Plan`]): a schedule of any length takes
//!   constant memory, and a window that starts years after the first due date is reached by
//!   arithmetic, not by walking every earlier date. There is no cap on the number of rows
//!   but the caller's limit and the calendar's end (9999-12-31, the last date written).
//!
//! ```
//! use chrono::NaiveDate;
//! use ofxkit::schedule::{Frequency, Interval, Recurrence, occurrences};
//! let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
//! let dates = occurrences(d(2024, 1, 31), Frequency::Monthly, Some(4), None, None, 10);
//! assert_eq!(dates, [d(2024, 1, 31), d(2024, 2, 29), d(2024, 3, 31), d(2024, 4, 30)]);
//! // A card plan of 3 payments every 30 days is the same kind of recurrence.
//! let plan = Recurrence::new(d(2026, 1, 10), Interval::days(30).unwrap(), Some(3));
//! let dates: Vec<_> = plan.dates(None, None, usize::MAX).map(|(_, date)| date).collect();
//! assert_eq!(dates, [d(2026, 1, 10), d(2026, 2, 9), d(2026, 3, 11)]);
//! ```

use std::num::NonZeroU32;

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

/// How far apart the due dates of a recurrence are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Interval {
    /// An OFX `FREQ`: calendar arithmetic, month ends clamped.
    Frequency(Frequency),
    /// Every this many days (a card processor's `interval_day`).
    Days(NonZeroU32),
}

impl From<Frequency> for Interval {
    fn from(f: Frequency) -> Interval {
        Interval::Frequency(f)
    }
}

impl Interval {
    /// Every `n` days; `None` for 0 (no interval).
    pub fn days(n: u32) -> Option<Interval> {
        NonZeroU32::new(n).map(Interval::Days)
    }

    /// The OFX `FREQ` that expresses this interval exactly: a frequency is itself; 7, 14 and
    /// 28 days are `WEEKLY`, `BIWEEKLY` and `FOURWEEKS`; any other number of days has none.
    ///
    /// ```
    /// use ofxkit::schedule::{Frequency, Interval, ToOfxError};
    /// assert_eq!(Interval::days(14).unwrap().to_frequency(), Ok(Frequency::Biweekly));
    /// assert_eq!(Interval::days(30).unwrap().to_frequency(), Err(ToOfxError::NoFrequency { days: 30 }));
    /// ```
    pub fn to_frequency(self) -> Result<Frequency, ToOfxError> {
        match self {
            Interval::Frequency(f) => Ok(f),
            Interval::Days(n) => match n.get() {
                7 => Ok(Frequency::Weekly),
                14 => Ok(Frequency::Biweekly),
                28 => Ok(Frequency::FourWeeks),
                days => Err(ToOfxError::NoFrequency { days }),
            },
        }
    }
}

/// Why a recurrence cannot be written as an OFX recurring model (`RECURRINST`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ToOfxError {
    /// No `FREQ` is this many days (only 7, 14 and 28 are).
    NoFrequency {
        /// The interval, in days.
        days: u32,
    },
    /// `NINSTS` is one to three digits: this many payments cannot be written.
    TooManyInstalments(u32),
    /// A count of 0 is a model of no payment (`NINSTS` 0 is not written).
    NoInstalments,
}

impl std::fmt::Display for ToOfxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ToOfxError::NoFrequency { days } => write!(
                f,
                "an interval of {days} days has no OFX FREQ (only 7, 14 and 28 days are exact: \
                 WEEKLY, BIWEEKLY, FOURWEEKS)"
            ),
            ToOfxError::TooManyInstalments(n) => {
                write!(f, "{n} payments cannot be written as NINSTS (1 to 3 digits)")
            }
            ToOfxError::NoInstalments => f.write_str("a count of 0 payments has no NINSTS"),
        }
    }
}

impl std::error::Error for ToOfxError {}

/// A recurrence written as OFX: `RECURRINST`'s `FREQ` and `NINSTS` (absent: until cancelled).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OfxRecurrence {
    /// `FREQ`.
    pub frequency: Frequency,
    /// `NINSTS`.
    pub instalments: Option<u32>,
}

/// The one recurrence type: a first date, an interval, and a number of occurrences in all
/// (`None`: no end). OFX recurring models ([`Recurrence::from_ofx`]) and card-processor
/// plans ([`PlanEntry::recurrence`](crate::plans::PlanEntry::recurrence)) both map onto it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Recurrence {
    /// The first due date (occurrence 1).
    pub first: NaiveDate,
    /// How far apart the dates are.
    pub interval: Interval,
    /// Occurrences in all; `None`: until cancelled.
    pub count: Option<u32>,
}

impl Recurrence {
    /// A recurrence from its parts.
    pub fn new(first: NaiveDate, interval: impl Into<Interval>, count: Option<u32>) -> Recurrence {
        Recurrence { first, interval: interval.into(), count }
    }

    /// The recurrence of an OFX recurring model: `FREQ`, `PMTINFO/DTDUE` and `NINSTS`; an
    /// error when the model has none (see [`PlanError`]).
    pub fn from_ofx(model: &crate::sync::RecurringEntry) -> Result<Recurrence, PlanError> {
        let freq = model.frequency.as_deref().ok_or(PlanError::Frequency(None)).and_then(|f| {
            Frequency::from_ofx(f).ok_or_else(|| PlanError::Frequency(Some(f.into())))
        })?;
        let first = model.details.due_date().ok_or(PlanError::FirstDue)?;
        if let Some(raw) = &model.instalments_invalid {
            return Err(PlanError::Instalments(raw.clone()));
        }
        if model.instalments == Some(0) {
            return Err(PlanError::NoInstalments);
        }
        Ok(Recurrence::new(first, freq, model.instalments))
    }

    /// This recurrence as OFX `FREQ` and `NINSTS`, when they express it exactly.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use ofxkit::schedule::{Frequency, Interval, OfxRecurrence, Recurrence, ToOfxError};
    /// let first = NaiveDate::from_ymd_opt(2026, 1, 10).unwrap();
    /// let weekly = Recurrence::new(first, Interval::days(7).unwrap(), Some(5));
    /// assert_eq!(weekly.to_ofx(), Ok(OfxRecurrence { frequency: Frequency::Weekly, instalments: Some(5) }));
    /// let monthly_ish = Recurrence::new(first, Interval::days(30).unwrap(), None);
    /// assert_eq!(monthly_ish.to_ofx(), Err(ToOfxError::NoFrequency { days: 30 }));
    /// ```
    pub fn to_ofx(&self) -> Result<OfxRecurrence, ToOfxError> {
        let frequency = self.interval.to_frequency()?;
        match self.count {
            Some(0) => Err(ToOfxError::NoInstalments),
            Some(n) if n > 999 => Err(ToOfxError::TooManyInstalments(n)),
            instalments => Ok(OfxRecurrence { frequency, instalments }),
        }
    }

    /// The date of occurrence `n` (0 = the first), or `None` past the count or the calendar's
    /// end (9999-12-31).
    pub fn nth(&self, n: u32) -> Option<NaiveDate> {
        if self.count.is_some_and(|c| n >= c) {
            return None;
        }
        nth(self.first, self.interval, n)
    }

    /// The dates on or after `from`, on or before `until`, at most `limit` of them, with
    /// their occurrence numbers (1 = the first), made one at a time.
    pub fn dates(&self, from: Option<NaiveDate>, until: Option<NaiveDate>, limit: usize) -> Dates {
        Dates::new(self.first, self.interval, self.count, from, until, limit)
    }
}

/// The `n`-th due date (0 = the first), or `None` past the calendar's range: dates are
/// written `YYYY-MM-DD`, so the range ends on 9999-12-31 (never `+10000-01-07`).
pub fn nth(first: NaiveDate, interval: impl Into<Interval>, n: u32) -> Option<NaiveDate> {
    nth_any(first, interval.into(), n).filter(|d| d.year() <= 9999)
}

fn nth_any(first: NaiveDate, interval: Interval, n: u32) -> Option<NaiveDate> {
    let days = |k: u64| first.checked_add_days(Days::new(k.checked_mul(u64::from(n))?));
    let months = |k: u32| add_months_clamped(first, k.checked_mul(n)?);
    let freq = match interval {
        Interval::Days(k) => return days(u64::from(k.get())),
        Interval::Frequency(f) => f,
    };
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
            let step = if first_is_lo { n } else { n.checked_add(1)? };
            let month = add_months_clamped(first.with_day(1)?, step / 2)?;
            let anchor = if step % 2 == 0 { lo } else { hi };
            Some(clamp_day(month.year(), month.month(), anchor)?)
        }
    }
}

/// Today's date in UTC (from the system clock), the default start of a schedule.
pub fn today_utc() -> NaiveDate {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400);
    NaiveDate::from_ymd_opt(1970, 1, 1)
        .and_then(|epoch| epoch.checked_add_days(Days::new(days)))
        .unwrap_or_default()
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
    interval: impl Into<Interval>,
    count: Option<u32>,
    from: Option<NaiveDate>,
    until: Option<NaiveDate>,
    limit: usize,
) -> Vec<NaiveDate> {
    Dates::new(first, interval, count, from, until, limit).map(|(_, date)| date).collect()
}

/// Like [`occurrences`], with each date's instalment number (1 = the first due date), so a
/// window that starts late still numbers instalments from the first.
///
/// ```
/// use chrono::NaiveDate;
/// use ofxkit::schedule::{Frequency, instalments};
/// let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
/// let got = instalments(d(2023, 1, 31), Frequency::Monthly, Some(12), Some(d(2023, 2, 1)), None, 2);
/// assert_eq!(got, [(2, d(2023, 2, 28)), (3, d(2023, 3, 31))]);
/// ```
pub fn instalments(
    first: NaiveDate,
    interval: impl Into<Interval>,
    count: Option<u32>,
    from: Option<NaiveDate>,
    until: Option<NaiveDate>,
    limit: usize,
) -> Vec<(u32, NaiveDate)> {
    Dates::new(first, interval, count, from, until, limit).collect()
}

/// The due dates of a schedule with their instalment numbers (1 = the first due date), made
/// one at a time: at most `count` instalments (open-ended when `None`), those on or after
/// `from` and on or before `until`, at most `limit` of them.
///
/// A `from` years after the first date costs nothing: the first index on or after it is
/// found by arithmetic. The dates end at the calendar's end at the latest.
///
/// ```
/// use chrono::NaiveDate;
/// use ofxkit::schedule::{Dates, Frequency};
/// let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
/// let mut dates = Dates::new(d(2000, 1, 1), Frequency::Weekly, None, Some(d(2024, 1, 1)), None, usize::MAX);
/// // 1 January 2000 was a Saturday: the 1254th payment is the first Saturday of 2024.
/// assert_eq!(dates.next(), Some((1254, d(2024, 1, 6))));
/// assert_eq!(dates.next(), Some((1255, d(2024, 1, 13))));
/// ```
#[derive(Debug, Clone)]
pub struct Dates {
    first: NaiveDate,
    interval: Interval,
    /// Instalments in all (`u32::MAX` when open-ended).
    total: u32,
    /// The index (0 = the first due date) looked at next.
    next: u32,
    from: Option<NaiveDate>,
    until: Option<NaiveDate>,
    /// Dates still to give.
    left: usize,
    /// The dates ran past 9999-12-31, the last date written, before the count, `until`
    /// or the limit ended them.
    calendar_end: bool,
}

impl Dates {
    /// The dates of `count` instalments from `first` (see the type's documentation).
    pub fn new(
        first: NaiveDate,
        interval: impl Into<Interval>,
        count: Option<u32>,
        from: Option<NaiveDate>,
        until: Option<NaiveDate>,
        limit: usize,
    ) -> Dates {
        let interval = interval.into();
        let total = count.unwrap_or(u32::MAX);
        // Every index before `next` falls before `from`.
        let next = from.map_or(0, |f| index_below(first, interval, f)).min(total);
        Dates { first, interval, total, next, from, until, left: limit, calendar_end: false }
    }

    /// True once the dates have run past 9999-12-31 (the last date ofxkit writes) before
    /// the count, `until` or the limit ended them: the list is cut short there.
    pub fn reached_calendar_end(&self) -> bool {
        self.calendar_end
    }

    /// The largest instalment number and the latest date these dates can still reach: upper
    /// bounds (for column widths), known without making the dates; `None` when there is no
    /// date left.
    pub fn last_bound(&self) -> Option<(u32, NaiveDate)> {
        let (number, _) = self.clone().next()?;
        let rows = u64::try_from(self.left).unwrap_or(u64::MAX);
        let mut last = u64::from(self.total).min(u64::from(number).saturating_add(rows - 1));
        if let Some(u) = self.until {
            last = last.min(index_above(self.first, self.interval, u).saturating_add(1));
        }
        let last = u32::try_from(last).unwrap_or(u32::MAX).max(number);
        let date = last
            .checked_sub(1)
            .and_then(|i| nth(self.first, self.interval, i))
            .or(self.until)
            .unwrap_or(NaiveDate::MAX);
        Some((last, date))
    }
}

impl Iterator for Dates {
    type Item = (u32, NaiveDate);

    fn next(&mut self) -> Option<(u32, NaiveDate)> {
        // Dates before `from` are skipped; `new` put `next` at most a few dates before it.
        while self.left > 0 && self.next < self.total {
            let Some(date) = nth(self.first, self.interval, self.next) else {
                // Past the last date written (or the calendar), with dates still to give.
                self.calendar_end = true;
                self.left = 0;
                return None;
            };
            if self.until.is_some_and(|u| date > u) {
                self.left = 0;
                return None;
            }
            self.next += 1;
            if self.from.is_none_or(|f| date >= f) {
                self.left -= 1;
                return Some((self.next, date));
            }
        }
        None
    }
}

/// Whole months from `a`'s month to `b`'s (0 when `b` is not later).
fn months_between(a: NaiveDate, b: NaiveDate) -> u64 {
    let months = |d: NaiveDate| i64::from(d.year()) * 12 + i64::from(d.month0());
    u64::try_from(months(b) - months(a)).unwrap_or(0)
}

/// Days from `a` to `b` (0 when `b` is not later).
fn days_between(a: NaiveDate, b: NaiveDate) -> u64 {
    u64::try_from((b - a).num_days()).unwrap_or(0)
}

/// An index such that every index below it has a date before `date` (where to start
/// looking for the first date on or after it).
fn index_below(first: NaiveDate, interval: Interval, date: NaiveDate) -> u32 {
    let n = match step(interval) {
        Step::Days(k) => days_between(first, date) / k,
        // The index's month is not after `date`'s, so every earlier index is a month before.
        Step::Months(k) => months_between(first, date) / k,
        // Two dates a month: the indices of earlier months are below 2 × months − 1.
        Step::TwiceMonthly => (2 * months_between(first, date)).saturating_sub(1),
    };
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// An index at or after the last one whose date is on or before `date`.
fn index_above(first: NaiveDate, interval: Interval, date: NaiveDate) -> u64 {
    if date < first {
        return 0;
    }
    match step(interval) {
        Step::Days(k) => days_between(first, date) / k,
        Step::Months(k) => months_between(first, date) / k,
        Step::TwiceMonthly => 2 * months_between(first, date) + 1,
    }
}

/// How far apart a frequency's dates are.
enum Step {
    Days(u64),
    Months(u64),
    TwiceMonthly,
}

fn step(interval: Interval) -> Step {
    let freq = match interval {
        Interval::Days(k) => return Step::Days(u64::from(k.get())),
        Interval::Frequency(f) => f,
    };
    match freq {
        Frequency::Weekly => Step::Days(7),
        Frequency::Biweekly => Step::Days(14),
        Frequency::FourWeeks => Step::Days(28),
        Frequency::Monthly => Step::Months(1),
        Frequency::Bimonthly => Step::Months(2),
        Frequency::Quarterly => Step::Months(3),
        Frequency::Triannually => Step::Months(4),
        Frequency::Semiannually => Step::Months(6),
        Frequency::Annually => Step::Months(12),
        Frequency::TwiceMonthly => Step::TwiceMonthly,
    }
}

/// One payment a recurring model or a card plan will make.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Instalment {
    /// The model's `RECSRVRTID`, or the card plan's order id.
    pub recurring_id: String,
    /// 1 for the first due date.
    pub number: u32,
    /// `NINSTS` (a card plan's `payments_no`), or none when open-ended.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub of: Option<u32>,
    /// The due date.
    pub date: NaiveDate,
    /// The amount, exact: `INITIALAMT` for the first, `FINALAMT` for the last (when
    /// `NINSTS` is known), `TRNAMT` otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<rust_decimal::Decimal>,
    /// `CURDEF`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// The payee's name (a card plan's merchant account, `sacId`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payee: Option<String>,
}

/// Why a model has no schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanError {
    /// No `FREQ`, or one outside the table.
    Frequency(Option<String>),
    /// No `PMTINFO/DTDUE`.
    FirstDue,
    /// `NINSTS` is not a number of instalments (one to three digits): the model's end is
    /// unknown. Holds the text as written.
    Instalments(String),
    /// `NINSTS` is 0: the model makes no payment.
    NoInstalments,
}

impl std::fmt::Display for PlanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use ofxkit_syntax::shown;
        match self {
            PlanError::Frequency(None) => f.write_str("no FREQ"),
            PlanError::Frequency(Some(x)) => {
                write!(f, "FREQ {} is not a known frequency", shown(x))
            }
            PlanError::FirstDue => f.write_str("no first due date (PMTINFO/DTDUE)"),
            PlanError::Instalments(x) => write!(
                f,
                "NINSTS \"{}\" is not a number of instalments (1 to 3 digits), so the model's end \
                 is unknown",
                shown(x)
            ),
            PlanError::NoInstalments => f.write_str("NINSTS is 0: the model makes no payment"),
        }
    }
}

impl std::error::Error for PlanError {}

/// The instalments of a recurring model on or after `from`, up to `until`, at most `limit`.
///
/// ```
/// use chrono::NaiveDate;
/// use ofxkit::schedule::plan;
/// use ofxkit::sync::SyncState;
/// let doc = ofxkit::parse(b"<OFX><BILLPAYMSGSRSV1><RECPMTTRNRS><TRNUID>1\
///   <STATUS><CODE>0<SEVERITY>INFO</STATUS><RECPMTRS><RECSRVRTID>R1<PAYEELSTID>P1\
///   <CURDEF>USD<RECURRINST><NINSTS>3<FREQ>MONTHLY</RECURRINST><PMTINFO>\
///   <BANKACCTFROM><BANKID>1<ACCTID>2<ACCTTYPE>CHECKING</BANKACCTFROM><TRNAMT>10.00\
///   <PAYEEID>X<PAYACCT>9<DTDUE>20240131</PMTINFO><FINALAMT>4.99</RECPMTRS>\
///   </RECPMTTRNRS></BILLPAYMSGSRSV1></OFX>")?;
/// let mut state = SyncState::new();
/// state.apply_responses(&doc.model());
/// let plan = plan(&state.recurring["R1"], None, None, 10).unwrap();
/// let shown: Vec<String> =
///     plan.iter().map(|i| format!("{} {}", i.date, i.amount.unwrap())).collect();
/// assert_eq!(shown, ["2024-01-31 10.00", "2024-02-29 10.00", "2024-03-31 4.99"]);
/// # Ok::<(), ofxkit::Error>(())
/// ```
pub fn plan(
    model: &crate::sync::RecurringEntry,
    from: Option<NaiveDate>,
    until: Option<NaiveDate>,
    limit: usize,
) -> Result<Vec<Instalment>, PlanError> {
    Ok(Plan::new(model, from, until, limit)?.collect())
}

/// The instalments of a recurring model, made one at a time ([`plan`] collects them): memory
/// does not grow with the number of rows.
///
/// ```
/// use ofxkit::schedule::{Plan, PlanError};
/// use ofxkit::sync::SyncState;
/// let doc = ofxkit::parse(b"<OFX><BILLPAYMSGSRSV1><RECPMTTRNRS><TRNUID>1\
///   <STATUS><CODE>0<SEVERITY>INFO</STATUS><RECPMTRS><RECSRVRTID>R1<PAYEELSTID>P1\
///   <CURDEF>USD<RECURRINST><FREQ>WEEKLY</RECURRINST><PMTINFO>\
///   <BANKACCTFROM><BANKID>1<ACCTID>2<ACCTTYPE>CHECKING</BANKACCTFROM><TRNAMT>10.00\
///   <PAYEEID>X<PAYACCT>9<DTDUE>20240101</PMTINFO></RECPMTRS>\
///   </RECPMTTRNRS></BILLPAYMSGSRSV1></OFX>")?;
/// let mut state = SyncState::new();
/// state.apply_responses(&doc.model());
/// let model = &state.recurring["R1"];
/// // Open-ended: 100,000 rows, one at a time.
/// let rows = Plan::new(model, None, None, 100_000).unwrap();
/// assert_eq!(rows.count(), 100_000);
/// // Asked for a million: weekly from 2024, the dates end at 9999-12-31, and it says so.
/// let mut rows = Plan::new(model, None, None, 1_000_000).unwrap();
/// assert_eq!(rows.by_ref().count(), 416_168);
/// assert!(rows.reached_calendar_end());
///
/// let mut bad = model.clone();
/// bad.instalments_invalid = Some("4294967295".into());
/// assert_eq!(Plan::new(&bad, None, None, 10).err(), Some(PlanError::Instalments("4294967295".into())));
/// # Ok::<(), ofxkit::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Plan<'m> {
    id: &'m str,
    currency: Option<&'m str>,
    payee: Option<&'m str>,
    amounts: Amounts,
    /// Payments in all (`n/N`), none when open-ended.
    of: Option<u32>,
    /// Payments numbered before the recurrence's first date: its occurrence `k` is payment
    /// `before + k`.
    before: u32,
    dates: Dates,
}

/// The amounts of a schedule's payments, exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Amounts {
    /// The first payment's (`INITIALAMT`), when it differs.
    pub first: Option<rust_decimal::Decimal>,
    /// The last payment's (`FINALAMT`), when it differs and the count is known.
    pub last: Option<rust_decimal::Decimal>,
    /// Every other payment's (`TRNAMT`, a card plan's price).
    pub other: Option<rust_decimal::Decimal>,
}

/// What names a schedule's rows: its id, currency and payee.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Labels<'m> {
    pub(crate) id: &'m str,
    pub(crate) currency: Option<&'m str>,
    pub(crate) payee: Option<&'m str>,
}

impl<'m> Plan<'m> {
    /// The instalments of `model` on or after `from`, up to `until`, at most `limit`; an
    /// error when the model has no schedule (no usable `FREQ` or first due date, an invalid
    /// `NINSTS`, or `NINSTS` 0).
    pub fn new(
        model: &'m crate::sync::RecurringEntry,
        from: Option<NaiveDate>,
        until: Option<NaiveDate>,
        limit: usize,
    ) -> Result<Plan<'m>, PlanError> {
        let recurrence = Recurrence::from_ofx(model)?;
        let labels = Labels {
            id: &model.recurring_id,
            currency: model.currency.as_deref(),
            payee: model.payee_name(),
        };
        let amounts = Amounts {
            first: model.initial_amount,
            last: model.final_amount,
            other: model.details.amount,
        };
        Ok(Plan::of(labels, amounts, &recurrence, 0, from, until, limit))
    }

    /// The payments of `recurrence` numbered from `before + 1` (`of`: the recurrence's count
    /// plus `before`).
    pub(crate) fn of(
        labels: Labels<'m>,
        amounts: Amounts,
        recurrence: &Recurrence,
        before: u32,
        from: Option<NaiveDate>,
        until: Option<NaiveDate>,
        limit: usize,
    ) -> Plan<'m> {
        Plan {
            id: labels.id,
            currency: labels.currency,
            payee: labels.payee,
            amounts,
            of: recurrence.count.map(|c| c.saturating_add(before)),
            before,
            dates: recurrence.dates(from, until, limit),
        }
    }

    /// The id of what is scheduled: an OFX model's `RECSRVRTID`, a card plan's order id.
    pub fn id(&self) -> &'m str {
        self.id
    }

    /// The amounts the payments take.
    pub fn amounts(&self) -> Amounts {
        self.amounts
    }

    /// The dates still to come, without their rows (see [`Dates::last_bound`]); their
    /// numbers count from the recurrence's first date, [`Plan::last_bound`]'s are payment
    /// numbers.
    pub fn dates(&self) -> &Dates {
        &self.dates
    }

    /// The largest payment number and the latest date the rows can still reach: upper
    /// bounds (for column widths), known without making the rows; `None` when no row is
    /// left.
    pub fn last_bound(&self) -> Option<(u32, NaiveDate)> {
        let (last, date) = self.dates.last_bound()?;
        Some((last.saturating_add(self.before), date))
    }

    /// The amount of payment `number`.
    pub fn amount(&self, number: u32) -> Option<rust_decimal::Decimal> {
        let a = self.amounts;
        if number == 1 && a.first.is_some() {
            a.first
        } else if Some(number) == self.of && a.last.is_some() {
            a.last
        } else {
            a.other
        }
    }
}

impl Plan<'_> {
    /// True once the instalments have run past 9999-12-31 (the last date ofxkit writes)
    /// before the model, `until` or the limit ended them: the list is cut short there.
    pub fn reached_calendar_end(&self) -> bool {
        self.dates.reached_calendar_end()
    }
}

impl Iterator for Plan<'_> {
    type Item = Instalment;

    fn next(&mut self) -> Option<Instalment> {
        let (k, date) = self.dates.next()?;
        // Payment numbers end at u32::MAX: none is written twice.
        let number = k.checked_add(self.before)?;
        Some(Instalment {
            recurring_id: self.id.to_owned(),
            number,
            of: self.of,
            date,
            amount: self.amount(number),
            currency: self.currency.map(str::to_owned),
            payee: self.payee.map(str::to_owned),
        })
    }
}

/// Instalments as CSV with a header line (`recurring_id,number,of,date,amount,currency,payee`);
/// with `formula_guard`, a payee name a spreadsheet would run as a formula gets a leading `'`
/// (see [`neutralise`](crate::convert::neutralise)).
///
/// ```
/// use chrono::NaiveDate;
/// use ofxkit::schedule::{Instalment, to_csv};
/// let row = Instalment {
///     recurring_id: "R1".into(),
///     number: 2,
///     of: Some(12),
///     date: NaiveDate::from_ymd_opt(2024, 2, 29).unwrap(),
///     amount: Some("-55.00".parse().unwrap()),
///     currency: Some("USD".into()),
///     payee: Some("=cmd".into()),
/// };
/// assert_eq!(
///     to_csv(&[row], true),
///     "recurring_id,number,of,date,amount,currency,payee\nR1,2,12,2024-02-29,-55.00,USD,'=cmd\n"
/// );
/// ```
pub fn to_csv(rows: &[Instalment], formula_guard: bool) -> String {
    let mut out = Vec::new();
    // Writing to memory cannot fail; the text is UTF-8 because every field is.
    let _ = write_csv(rows.iter().cloned(), formula_guard, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// Writes instalments as [`to_csv`] does, one row at a time.
pub fn write_csv(
    rows: impl IntoIterator<Item = Instalment>,
    formula_guard: bool,
    out: impl std::io::Write,
) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    let result = (|| -> csv::Result<()> {
        w.write_record(["recurring_id", "number", "of", "date", "amount", "currency", "payee"])?;
        for r in rows {
            let guard = |t: &str| crate::convert::neutralise(t, formula_guard).into_owned();
            w.write_record([
                guard(&r.recurring_id),
                r.number.to_string(),
                r.of.map(|n| n.to_string()).unwrap_or_default(),
                r.date.to_string(),
                r.amount.map(|a| a.to_string()).unwrap_or_default(),
                r.currency.as_deref().map(guard).unwrap_or_default(),
                r.payee.as_deref().map(guard).unwrap_or_default(),
            ])?;
        }
        w.flush()?;
        Ok(())
    })();
    result.map_err(|e| match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => std::io::Error::other(format!("{other:?}")),
    })
}

/// Writes instalments as an indented JSON array (what `serde_json::to_string_pretty` gives
/// for the whole list, and a line break), one row at a time.
///
/// ```
/// use chrono::NaiveDate;
/// use ofxkit::schedule::{Instalment, write_json};
/// let row = Instalment {
///     recurring_id: "R1".into(),
///     number: 1,
///     of: None,
///     date: NaiveDate::from_ymd_opt(2024, 2, 29).unwrap(),
///     amount: None,
///     currency: None,
///     payee: None,
/// };
/// let mut out = Vec::new();
/// write_json(vec![row.clone(), row.clone()], &mut out)?;
/// let whole = serde_json::to_string_pretty(&[row.clone(), row]).unwrap() + "\n";
/// assert_eq!(String::from_utf8(out).unwrap(), whole);
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn write_json(
    rows: impl IntoIterator<Item = Instalment>,
    mut out: impl std::io::Write,
) -> std::io::Result<()> {
    let mut first = true;
    for row in rows {
        out.write_all(if first { b"[\n  " } else { b",\n  " })?;
        first = false;
        // A row's JSON holds no raw line break (strings escape theirs): indenting every line
        // by two spaces nests it in the array.
        let text = serde_json::to_string_pretty(&row).map_err(std::io::Error::other)?;
        out.write_all(text.replace('\n', "\n  ").as_bytes())?;
    }
    out.write_all(if first { b"[]\n" } else { b"\n]\n" })
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
            // Month ends in a common year and leap days, every frequency.
            (d(2023, 1, 31), Monthly, 2, d(2023, 3, 31)),
            (d(2023, 1, 31), Monthly, 13, d(2024, 2, 29)),
            (d(2000, 1, 31), Monthly, 1, d(2000, 2, 29)),
            (d(1900, 1, 31), Monthly, 1, d(1900, 2, 28)),
            (d(2024, 2, 22), Weekly, 1, d(2024, 2, 29)),
            (d(2023, 2, 22), Weekly, 1, d(2023, 3, 1)),
            (d(2024, 2, 22), Weekly, 2, d(2024, 3, 7)),
            (d(2024, 2, 15), Biweekly, 1, d(2024, 2, 29)),
            (d(2024, 2, 15), Biweekly, 2, d(2024, 3, 14)),
            (d(2100, 2, 15), Biweekly, 1, d(2100, 3, 1)),
            (d(2024, 1, 4), FourWeeks, 2, d(2024, 2, 29)),
            (d(2023, 1, 4), FourWeeks, 2, d(2023, 3, 1)),
            (d(2023, 12, 31), Bimonthly, 1, d(2024, 2, 29)),
            (d(2023, 12, 31), Bimonthly, 2, d(2024, 4, 30)),
            (d(2023, 12, 31), Bimonthly, 3, d(2024, 6, 30)),
            (d(2023, 11, 30), Quarterly, 2, d(2024, 5, 30)),
            (d(2024, 11, 30), Quarterly, 1, d(2025, 2, 28)),
            (d(2023, 10, 31), Triannually, 1, d(2024, 2, 29)),
            (d(2023, 8, 31), Semiannually, 1, d(2024, 2, 29)),
            (d(2023, 8, 31), Semiannually, 2, d(2024, 8, 31)),
            (d(2024, 2, 29), Annually, 2, d(2026, 2, 28)),
            (d(2024, 2, 29), Annually, 3, d(2027, 2, 28)),
            (d(2023, 1, 31), TwiceMonthly, 1, d(2023, 2, 16)),
            (d(2023, 1, 31), TwiceMonthly, 2, d(2023, 2, 28)),
            (d(2023, 1, 31), TwiceMonthly, 3, d(2023, 3, 16)),
            (d(2023, 1, 31), TwiceMonthly, 4, d(2023, 3, 31)),
            (d(2024, 1, 30), TwiceMonthly, 1, d(2024, 2, 15)),
            (d(2024, 1, 30), TwiceMonthly, 2, d(2024, 2, 29)),
            (d(2024, 1, 30), TwiceMonthly, 4, d(2024, 3, 30)),
        ];
        for &(first, freq, n, expect) in cases {
            assert_eq!(nth(first, freq, n), Some(expect), "{first} {freq:?} #{n}");
        }
    }

    #[test]
    fn the_calendar_end_is_none_not_a_panic() {
        for freq in [Frequency::Weekly, Frequency::Monthly, Frequency::TwiceMonthly] {
            assert_eq!(nth(d(2024, 1, 20), freq, u32::MAX), None, "{freq:?}");
            assert_eq!(nth(NaiveDate::MAX, freq, 1), None, "{freq:?}");
        }
        // The calendar of dates OFX can write ends on 9999-12-31.
        let near_end = occurrences(d(9999, 12, 31), Frequency::Annually, None, None, None, 5);
        assert_eq!(near_end, [d(9999, 12, 31)]);
        let weekly = occurrences(d(9999, 12, 15), Frequency::Weekly, Some(4), None, None, 5);
        assert_eq!(weekly, [d(9999, 12, 15), d(9999, 12, 22), d(9999, 12, 29)]);
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

    /// Jan 31 → Feb 28/29 → Mar 31: the clamp never drifts the later dates.
    #[test]
    fn month_end_chains_do_not_drift() {
        let leap = occurrences(d(2024, 1, 31), Frequency::Monthly, Some(4), None, None, 9);
        assert_eq!(leap, [d(2024, 1, 31), d(2024, 2, 29), d(2024, 3, 31), d(2024, 4, 30)]);
        let common = occurrences(d(2023, 1, 31), Frequency::Monthly, Some(3), None, None, 9);
        assert_eq!(common, [d(2023, 1, 31), d(2023, 2, 28), d(2023, 3, 31)]);
        let twice = occurrences(d(2024, 1, 31), Frequency::TwiceMonthly, None, None, None, 5);
        assert_eq!(
            twice,
            [d(2024, 1, 31), d(2024, 2, 16), d(2024, 2, 29), d(2024, 3, 16), d(2024, 3, 31)]
        );
    }

    #[test]
    fn instalments_keep_their_numbers_in_a_window() {
        let got =
            instalments(d(2024, 1, 15), Frequency::Monthly, Some(4), Some(d(2024, 3, 1)), None, 10);
        assert_eq!(got, [(3, d(2024, 3, 15)), (4, d(2024, 4, 15))]);
        let open =
            instalments(d(2024, 1, 1), Frequency::Weekly, None, None, Some(d(2024, 1, 15)), 10);
        assert_eq!(open, [(1, d(2024, 1, 1)), (2, d(2024, 1, 8)), (3, d(2024, 1, 15))]);
        assert!(instalments(d(2024, 1, 1), Frequency::Weekly, Some(0), None, None, 9).is_empty());
    }

    /// Every date from index 0 on, filtered: what [`Dates`] must give with its arithmetic
    /// start.
    fn naive(
        first: NaiveDate,
        freq: impl Into<Interval> + Copy,
        count: Option<u32>,
        from: Option<NaiveDate>,
        until: Option<NaiveDate>,
        limit: usize,
    ) -> Vec<(u32, NaiveDate)> {
        let mut out = Vec::new();
        for n in 0..count.unwrap_or(u32::MAX) {
            if out.len() >= limit {
                break;
            }
            let Some(date) = nth(first, freq, n) else { break };
            if until.is_some_and(|u| date > u) {
                break;
            }
            if from.is_none_or(|f| date >= f) {
                out.push((n + 1, date));
            }
        }
        out
    }

    const ALL: [Frequency; 10] = [
        Frequency::Weekly,
        Frequency::Biweekly,
        Frequency::TwiceMonthly,
        Frequency::Monthly,
        Frequency::FourWeeks,
        Frequency::Bimonthly,
        Frequency::Quarterly,
        Frequency::Triannually,
        Frequency::Semiannually,
        Frequency::Annually,
    ];

    /// The arithmetic start skips no date: against walking every date, over first dates on
    /// month ends and mid-month, starts before, on and years after them, every frequency.
    #[test]
    fn the_arithmetic_start_agrees_with_walking_every_date() {
        let firsts =
            [d(2024, 1, 31), d(2023, 2, 28), d(2024, 1, 10), d(2024, 1, 20), d(2023, 12, 16)];
        let froms = [
            None,
            Some(d(2020, 1, 1)),
            Some(d(2024, 1, 31)),
            Some(d(2024, 2, 1)),
            Some(d(2024, 2, 29)),
            Some(d(2025, 3, 15)),
            Some(d(2031, 12, 31)),
        ];
        let untils = [None, Some(d(2024, 3, 1)), Some(d(2032, 6, 30))];
        let counts = [None, Some(1), Some(7), Some(300)];
        let mut checked = 0;
        for first in firsts {
            for freq in ALL {
                for from in froms {
                    for until in untils {
                        for count in counts {
                            let limit = 40;
                            let fast: Vec<_> =
                                Dates::new(first, freq, count, from, until, limit).collect();
                            let slow = naive(first, freq, count, from, until, limit);
                            assert_eq!(fast, slow, "{first} {freq:?} {from:?} {until:?} {count:?}");
                            let bound =
                                Dates::new(first, freq, count, from, until, limit).last_bound();
                            match (bound, slow.last()) {
                                (Some((n, date)), Some(&(last_n, last_date))) => {
                                    assert!(n >= last_n && date >= last_date, "{first} {freq:?}");
                                }
                                (None, None) => {}
                                other => panic!("{first} {freq:?} {from:?}: {other:?}"),
                            }
                            checked += 1;
                        }
                    }
                }
            }
        }
        assert_eq!(checked, 5 * 10 * 7 * 3 * 4);
    }

    /// No silent cap: two million rows when two million are asked for, and a start
    /// centuries later is reached without walking there.
    #[test]
    fn no_cap_on_rows_and_late_windows_are_reached_at_once() {
        // Weekly from 2024, the dates run to 9999-12-31 (the last date written): every one of
        // them, then the list says it was cut there.
        let mut weekly = Dates::new(d(2024, 1, 1), Frequency::Weekly, None, None, None, 2_000_000);
        assert_eq!(weekly.by_ref().count(), 416_168);
        assert!(weekly.reached_calendar_end());
        let mut asked = Dates::new(d(2024, 1, 1), Frequency::Weekly, None, None, None, 416_168);
        assert_eq!(asked.by_ref().count(), 416_168);
        assert!(!asked.reached_calendar_end(), "ended by the limit, not the calendar");
        let mut late =
            Dates::new(d(2024, 1, 1), Frequency::Monthly, None, Some(d(9000, 1, 2)), None, 1);
        assert_eq!(late.next, 83_712, "the start is put a date before, by arithmetic");
        assert_eq!(late.next(), Some((83_714, d(9000, 2, 1))));
        // To the calendar's end, then nothing.
        let end = Dates::new(d(2024, 1, 1), Frequency::Annually, None, None, None, usize::MAX);
        assert_eq!(end.last().map(|(_, date)| date), Some(d(9999, 1, 1)));
    }

    /// Day intervals: the arithmetic start agrees with walking every date too, and a day
    /// interval of 7, 14 or 28 gives the dates of its frequency.
    #[test]
    fn day_intervals_agree_with_walking_and_with_their_frequencies() {
        let firsts = [d(2024, 1, 31), d(2023, 2, 28), d(2026, 1, 10)];
        let froms = [None, Some(d(2024, 2, 29)), Some(d(2031, 12, 31))];
        let mut checked = 0;
        for first in firsts {
            for days in [1, 3, 7, 30, 31, 365, 100_000] {
                let interval = Interval::days(days).unwrap();
                for from in froms {
                    for count in [None, Some(1), Some(5), Some(300)] {
                        let fast: Vec<_> =
                            Dates::new(first, interval, count, from, None, 40).collect();
                        let slow = naive(first, interval, count, from, None, 40);
                        assert_eq!(fast, slow, "{first} {days} {from:?} {count:?}");
                        checked += 1;
                    }
                }
            }
            for (days, freq) in
                [(7, Frequency::Weekly), (14, Frequency::Biweekly), (28, Frequency::FourWeeks)]
            {
                let by_days =
                    occurrences(first, Interval::days(days).unwrap(), None, None, None, 60);
                assert_eq!(by_days, occurrences(first, freq, None, None, None, 60), "{days}");
            }
        }
        assert_eq!(checked, 3 * 7 * 3 * 4);
        // 30 days from 2026-01-10, by hand: Feb 9, Mar 11, Apr 10.
        let plan = Recurrence::new(d(2026, 1, 10), Interval::days(30).unwrap(), Some(4));
        let dates: Vec<_> = plan.dates(None, None, 9).collect();
        assert_eq!(
            dates,
            [(1, d(2026, 1, 10)), (2, d(2026, 2, 9)), (3, d(2026, 3, 11)), (4, d(2026, 4, 10))]
        );
        assert_eq!(plan.nth(3), Some(d(2026, 4, 10)));
        assert_eq!(plan.nth(4), None, "past the count");
        assert_eq!(Interval::days(0), None);
        // A huge interval reaches the calendar's end, not a panic.
        let far = Recurrence::new(d(2026, 1, 10), Interval::days(u32::MAX).unwrap(), None);
        let mut dates = far.dates(None, None, 5);
        assert_eq!(dates.next(), Some((1, d(2026, 1, 10))));
        assert_eq!(dates.next(), None);
        assert!(dates.reached_calendar_end());
    }

    /// Written back as OFX: a FREQ only when one is exact, a NINSTS only of 1 to 999.
    #[test]
    fn recurrences_map_to_ofx_only_exactly() {
        let first = d(2026, 1, 10);
        let days = |n| Interval::days(n).unwrap();
        let cases: &[(Interval, Option<u32>, Result<OfxRecurrence, ToOfxError>)] = &[
            (
                days(7),
                Some(5),
                Ok(OfxRecurrence { frequency: Frequency::Weekly, instalments: Some(5) }),
            ),
            (
                days(14),
                None,
                Ok(OfxRecurrence { frequency: Frequency::Biweekly, instalments: None }),
            ),
            (
                days(28),
                Some(999),
                Ok(OfxRecurrence { frequency: Frequency::FourWeeks, instalments: Some(999) }),
            ),
            (
                Frequency::Monthly.into(),
                Some(12),
                Ok(OfxRecurrence { frequency: Frequency::Monthly, instalments: Some(12) }),
            ),
            (days(30), Some(5), Err(ToOfxError::NoFrequency { days: 30 })),
            (days(1), None, Err(ToOfxError::NoFrequency { days: 1 })),
            (days(21), None, Err(ToOfxError::NoFrequency { days: 21 })),
            (days(7), Some(1000), Err(ToOfxError::TooManyInstalments(1000))),
            (days(7), Some(0), Err(ToOfxError::NoInstalments)),
        ];
        for (interval, count, expect) in cases {
            let got = Recurrence::new(first, *interval, *count).to_ofx();
            assert_eq!(&got, expect, "{interval:?} {count:?}");
        }
        let message = ToOfxError::NoFrequency { days: 30 }.to_string();
        assert!(message.contains("30 days has no OFX FREQ"), "{message}");
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
