//! Values in the target's canonical form: amounts as exact decimals with a `.` mark, dates as
//! `YYYYMMDD[HHMMSS[.XXX][±H[.MM][:TZ]]]` keeping the offset the source gave.

use ofxkit_schema::Profile;

use crate::amount::{Dialect, parse_amount};
use crate::datetime::{OfxDateTime, Precision, parse_datetime};

/// What kind of value an element holds, for the writer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ValueKind {
    /// An amount, price, balance (`AMTTYPE`, `AmountType`).
    Amount,
    /// A date or date-time (`DTTMTYPE`, `DateTimeType`).
    Date,
    /// A value of an enumeration (`TRNTYPE`, `SEVERITY`…): written upper case when that is
    /// one of the values (`debit` → `DEBIT`), else as it reads.
    Enum(&'static [&'static str]),
    /// Anything else: written as it reads.
    Other,
}

/// The enumerations whose values readers take in any case (the model reads them through
/// its code tables): written upper case. Others (`CURDEF`, `LANGUAGE`…) are kept as written.
pub const CODED: [&str; 14] = [
    "TRNTYPE",
    "ACCTTYPE",
    "SEVERITY",
    "SVCSTATUS",
    "PMTPRCCODE",
    "IDSCOPE",
    "FREQ",
    "POSTYPE",
    "INCOMETYPE",
    "SUBACCTSEC",
    "SUBACCTFUND",
    "INV401KSOURCE",
    "HELDINACCT",
    "CORRECTACTION",
];

/// The kind of the values of the OFX element `name` (from the OFX 2.2 schema, then 1.6).
pub(crate) fn value_kind(name: &str) -> ValueKind {
    let def = Profile::Ofx220.element(name).or_else(|| Profile::Ofx160.element(name));
    match def.and_then(|d| d.value_type()) {
        Some("AMTTYPE" | "AmountType" | "PositiveAmountType") => ValueKind::Amount,
        Some("DTTMTYPE" | "DateTimeType") => ValueKind::Date,
        _ => match def.map(|d| d.enum_values()) {
            Some(values) if !values.is_empty() && CODED.contains(&name) => ValueKind::Enum(values),
            _ => ValueKind::Other,
        },
    }
}

/// `text` in its canonical form when it reads as a value of `kind`; `None` to write it as
/// it is (it does not read: the source's own error is kept, not hidden).
pub(crate) fn canonical(kind: ValueKind, text: &str, dialect: Dialect) -> Option<String> {
    match kind {
        ValueKind::Amount => {
            let value = parse_amount(text, dialect).ok()?.value;
            Some(value.to_string())
        }
        ValueKind::Date => {
            let value = parse_datetime(text, dialect).ok()?.value;
            Some(format_datetime(&value))
        }
        ValueKind::Enum(values) => {
            let upper = text.trim().to_ascii_uppercase();
            (upper != text && values.contains(&upper.as_str())).then_some(upper)
        }
        ValueKind::Other => None,
    }
}

/// A date in OFX's canonical form, at the precision it was given, with its offset and zone
/// name when it has one: `YYYYMMDD`, `YYYYMMDDHHMMSS`, or `YYYYMMDDHHMMSS.XXX` (always with
/// an offset, as the OFX 2.x schema asks), the offset in hours (`[-5:EST]`, `[0:GMT]`) or
/// hours and two-digit minutes (`[+5.30:IST]`; minutes other than 30 and 45 as `[+5:20]`).
/// An hour or minute precision is written to the second.
///
/// ```
/// use ofxkit::amount::Dialect;
/// use ofxkit::datetime::parse_datetime;
/// use ofxkit::write::format_datetime;
/// let f = |t: &str| format_datetime(&parse_datetime(t, Dialect::Ofx).unwrap().value);
/// assert_eq!(f("20240105"), "20240105");
/// assert_eq!(f("202401051200"), "20240105120000");
/// assert_eq!(f("20240105120000[-5:EST]"), "20240105120000.000[-5:EST]");
/// assert_eq!(f("20240105120000.5[+05:30:IST]"), "20240105120000.500[+5.30:IST]");
/// assert_eq!(f("20240105120000.000[-:EST]"), "20240105120000.000[-5:EST]");
/// ```
pub fn format_datetime(value: &OfxDateTime) -> String {
    use chrono::{Datelike, Timelike};
    let mut s = String::with_capacity(32);
    let d = value.naive_date();
    push_digits(&mut s, u32::try_from(d.year()).unwrap_or(0), 4);
    push_digits(&mut s, d.month(), 2);
    push_digits(&mut s, d.day(), 2);
    let offset = value.offset();
    let time = match (value.time(), value.precision(), offset) {
        (None, _, None) | (Some(_), Precision::Day, None) => return s,
        (t, _, _) => t.unwrap_or_default(),
    };
    push_digits(&mut s, time.hour(), 2);
    push_digits(&mut s, time.minute(), 2);
    push_digits(&mut s, time.second().min(59), 2);
    if value.precision() == Precision::Millis || offset.is_some() {
        s.push('.');
        push_digits(&mut s, time.nanosecond() % 1_000_000_000 / 1_000_000, 3);
    }
    if let Some(o) = offset {
        let secs = o.local_minus_utc();
        s.push('[');
        match secs {
            0 => {}
            s_ if s_ < 0 => s.push('-'),
            _ => s.push('+'),
        }
        let abs = secs.unsigned_abs();
        s.push_str(&(abs / 3600).to_string());
        // :30 and :45 as `.MM`, which OFX readers read as minutes; others (rare) as `:MM`.
        match abs % 3600 / 60 {
            0 => {}
            m @ (30 | 45) => {
                s.push('.');
                push_digits(&mut s, m, 2);
            }
            m => {
                s.push(':');
                push_digits(&mut s, m, 2);
            }
        }
        if let Some(name) = value.tz_name().filter(|n| {
            !n.is_empty() && n.len() <= 16 && n.bytes().all(|b| b.is_ascii_alphanumeric())
        }) {
            s.push(':');
            s.push_str(name);
        }
        s.push(']');
    }
    s
}

fn push_digits(s: &mut String, n: u32, width: usize) {
    let digits = n.to_string();
    for _ in digits.len()..width {
        s.push('0');
    }
    s.push_str(&digits);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_written_canonically_or_kept() {
        let cases = [
            (ValueKind::Amount, "-200,00", Dialect::Ofx, Some("-200.00")),
            (ValueKind::Amount, "+12.5", Dialect::Ofx, Some("12.5")),
            (ValueKind::Amount, "1000", Dialect::Ofx, Some("1000")),
            (ValueKind::Amount, "$120", Dialect::Ofx, Some("120")),
            (ValueKind::Amount, "1e5", Dialect::Ofx, None),
            (ValueKind::Date, "20240105", Dialect::Ofc, Some("20240105")),
            (ValueKind::Date, "20240105235959", Dialect::Ofc, Some("20240105235959")),
            (ValueKind::Date, "20180804093914:014", Dialect::Ofx, Some("20180804093914.014")),
            (ValueKind::Date, "20240105[0:GMT]", Dialect::Ofx, Some("20240105000000.000[0:GMT]")),
            (ValueKind::Date, "2024010", Dialect::Ofx, None),
            (ValueKind::Other, "x", Dialect::Ofx, None),
            (value_kind("TRNTYPE"), "debit", Dialect::Ofx, Some("DEBIT")),
            (value_kind("SEVERITY"), " Info", Dialect::Ofx, Some("INFO")),
            (value_kind("TRNTYPE"), "LOAN", Dialect::Ofx, None),
        ];
        for (kind, text, dialect, expected) in cases {
            assert_eq!(canonical(kind, text, dialect).as_deref(), expected, "{text}");
        }
    }

    #[test]
    fn kinds_come_from_the_schemas() {
        assert_eq!(value_kind("TRNAMT"), ValueKind::Amount);
        assert_eq!(value_kind("BALAMT"), ValueKind::Amount);
        assert_eq!(value_kind("DTPOSTED"), ValueKind::Date);
        assert_eq!(value_kind("NAME"), ValueKind::Other);
        assert_eq!(value_kind("INTU.BID"), ValueKind::Other);
    }
}
