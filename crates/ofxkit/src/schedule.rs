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
//! - Amounts ([`plan`]): `INITIALAMT` for the first instalment, `FINALAMT` for the last when
//!   `NINSTS` is known, `PMTINFO/TRNAMT` for the others; exact decimals.
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

/// The `n`-th due date (0 = the first), or `None` past the calendar's range: dates are
/// written `YYYY-MM-DD`, so the range ends on 9999-12-31 (never `+10000-01-07`).
pub fn nth(first: NaiveDate, freq: Frequency, n: u32) -> Option<NaiveDate> {
    nth_any(first, freq, n).filter(|d| d.year() <= 9999)
}

fn nth_any(first: NaiveDate, freq: Frequency, n: u32) -> Option<NaiveDate> {
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
    freq: Frequency,
    count: Option<u32>,
    from: Option<NaiveDate>,
    until: Option<NaiveDate>,
    limit: usize,
) -> Vec<(u32, NaiveDate)> {
    let mut out = Vec::new();
    let total = count.unwrap_or(u32::MAX);
    let mut n = 0u32;
    while n < total && out.len() < limit {
        let Some(date) = nth(first, freq, n) else { break };
        if until.is_some_and(|u| date > u) {
            break;
        }
        n += 1;
        if from.is_none_or(|f| date >= f) {
            out.push((n, date));
        }
        if n > 1_000_000 {
            break;
        }
    }
    out
}

/// One payment a recurring model will make.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Instalment {
    /// The model's `RECSRVRTID`.
    pub recurring_id: String,
    /// 1 for the first due date.
    pub number: u32,
    /// `NINSTS`, or none when open-ended.
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
    /// The payee's name.
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
}

impl std::fmt::Display for PlanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PlanError::Frequency(None) => f.write_str("no FREQ"),
            PlanError::Frequency(Some(x)) => {
                write!(f, "FREQ {} is not a known frequency", ofxkit_syntax::shown(x))
            }
            PlanError::FirstDue => f.write_str("no first due date (PMTINFO/DTDUE)"),
        }
    }
}

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
    let freq =
        model.frequency.as_deref().ok_or(PlanError::Frequency(None)).and_then(|f| {
            Frequency::from_ofx(f).ok_or_else(|| PlanError::Frequency(Some(f.into())))
        })?;
    let first = model.details.due_date().ok_or(PlanError::FirstDue)?;
    let count = model.instalments;
    Ok(instalments(first, freq, count, from, until, limit)
        .into_iter()
        .map(|(number, date)| {
            let amount = if number == 1 && model.initial_amount.is_some() {
                model.initial_amount
            } else if Some(number) == count && model.final_amount.is_some() {
                model.final_amount
            } else {
                model.details.amount
            };
            Instalment {
                recurring_id: model.recurring_id.clone(),
                number,
                of: count,
                date,
                amount,
                currency: model.currency.clone(),
                payee: model.payee_name().map(str::to_owned),
            }
        })
        .collect())
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
    let mut w = csv::Writer::from_writer(Vec::new());
    let write = |w: &mut csv::Writer<Vec<u8>>| -> csv::Result<()> {
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
    };
    // Writing to memory cannot fail; the text is UTF-8 because every field is.
    let _ = write(&mut w);
    w.into_inner().ok().and_then(|b| String::from_utf8(b).ok()).unwrap_or_default()
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
