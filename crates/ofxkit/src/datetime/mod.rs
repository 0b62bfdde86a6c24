//! Dates and date-times: `YYYYMMDD[HHMMSS[.XXX]][[±h[.mm]][:TZ]]` (OFX) and
//! `YYYYMMDD[HHMMSS]` (OFC), with the precision and offset the file gave.
//!
//! An absent offset stays absent: nothing is shifted to UTC or to the machine's zone. The
//! numeric offset is authoritative; a zone name that disagrees is reported.
//!
//! Zone brackets, exactly (blanks around each piece ignored; |offset| ≤ 14 h):
//!
//! | written | read as | finding |
//! | --- | --- | --- |
//! | `[-5]`, `[+05]`, `[0]`, with `:NAME` or not | whole hours | — (a known name of another offset: `W-DATE-ZONE-MISMATCH`) |
//! | `[+5:30]`, `[+05:30:IST]`, `[+0530]` | hours and minutes | `W-DATE-OFFSET-MINUTES` |
//! | `[-3.5]`, `[+5.50]`, `[+5.30]`, `[+5.45]`, `[+5.75]` | the one reading (decimal hours or minutes) that gives :00, :30 or :45 | `W-DATE-FRACTIONAL-OFFSET` |
//! | `[-:EST]`, `[:EST]` | the name's offset, if known | `W-DATE-OFFSET-FROM-NAME` (`W-DATE-UNKNOWN-ZONE` if not) |
//! | `[+5.25]`, `[+5.3]`, `[+530]`, `[+5:3]`, `[+5:30X]`, `[-5:EST:X]`, `[+15]`, `[]` | nothing: the date is absent | `E-DATE-ZONE` |
//!
//! Years have four digits: every form is read with exactly four (`YYYYMMDD…`, `DD/MM/YYYY`,
//! `YYYY-MM-DD`), so every date is written `YYYY-MM-DD`; `07/01/+10000` is `E-DATE-SYNTAX`.
//!
//! ```
//! # use ofxkit::amount::Dialect;
//! # use ofxkit::datetime::parse_datetime;
//! let ist = parse_datetime("20240115120000.000[+05:30:IST]", Dialect::Ofx).unwrap();
//! assert_eq!(ist.value.to_iso8601(), "2024-01-15T12:00:00.000+05:30");
//! assert_eq!(ist.warnings[0].code(), "W-DATE-OFFSET-MINUTES");
//! assert_eq!(parse_datetime("20240115120000.000[+5.25]", Dialect::Ofx).unwrap_err().code(), "E-DATE-ZONE");
//! ```
//!
//! ```
//! use ofxkit::amount::Dialect;
//! use ofxkit::datetime::parse_datetime;
//! let d = parse_datetime("20240115120000.000[-5:EST]", Dialect::Ofx).unwrap().value;
//! assert_eq!(d.to_iso8601(), "2024-01-15T12:00:00.000-05:00");
//! assert_eq!(parse_datetime("20240115", Dialect::Ofc).unwrap().value.to_iso8601(), "2024-01-15");
//! assert_eq!(parse_datetime("20241301", Dialect::Ofx).unwrap_err().code(), "E-DATE-INVALID");
//! ```

use std::fmt;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Serialize, Serializer};

use crate::amount::Dialect;

mod common_form;
mod grammar;
#[cfg(test)]
pub(crate) use common_form::date_cases;

pub(crate) use common_form::{WrittenOffset, write_common_form, zone_written};

/// How much of the date-time the file gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Precision {
    /// `YYYYMMDD`.
    Day,
    /// `YYYYMMDDHH`.
    Hour,
    /// `YYYYMMDDHHMM`.
    Minute,
    /// `YYYYMMDDHHMMSS`.
    Second,
    /// `YYYYMMDDHHMMSS.XXX`.
    Millis,
}

/// A date or date-time as the file wrote it.
///
/// Years are 0000–9999: every reader takes exactly four year digits, so a date is always
/// written `YYYY-MM-DD` (never chrono's `+10000-01-07` or `-0001-01-01`); a text whose
/// year has another number of digits or a sign is not a date (`E-DATE-SYNTAX`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OfxDateTime {
    date: NaiveDate,
    time: Option<NaiveTime>,
    precision: Precision,
    offset: Option<FixedOffset>,
    tz_name: Option<ZoneName>,
}

/// A zone name (`EST`), held inline when short (no allocation per date).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum ZoneName {
    Short { len: u8, bytes: [u8; 14] },
    Long(Box<str>),
}

impl ZoneName {
    fn new(name: &str) -> Self {
        let mut bytes = [0u8; 14];
        match bytes.get_mut(..name.len()) {
            Some(dst) => {
                dst.copy_from_slice(name.as_bytes());
                ZoneName::Short { len: name.len() as u8, bytes }
            }
            None => ZoneName::Long(name.into()),
        }
    }

    fn as_str(&self) -> &str {
        match self {
            // Copied whole from a `&str`, so always valid UTF-8.
            ZoneName::Short { len, bytes } => {
                bytes.get(..*len as usize).and_then(|b| std::str::from_utf8(b).ok()).unwrap_or("")
            }
            ZoneName::Long(s) => s,
        }
    }
}

impl OfxDateTime {
    /// The calendar date.
    pub fn naive_date(&self) -> NaiveDate {
        self.date
    }

    /// The time of day, when given.
    pub fn time(&self) -> Option<NaiveTime> {
        self.time
    }

    /// How much was given.
    pub fn precision(&self) -> Precision {
        self.precision
    }

    /// The offset from UTC, when the file gave one.
    pub fn offset(&self) -> Option<FixedOffset> {
        self.offset
    }

    /// The zone name in the brackets (`EST`), when given.
    pub fn tz_name(&self) -> Option<&str> {
        self.tz_name.as_ref().map(ZoneName::as_str)
    }

    /// The date and time without zone (midnight for a date).
    pub fn naive(&self) -> NaiveDateTime {
        self.date.and_time(self.time.unwrap_or(NaiveTime::MIN))
    }

    /// An instant, when the file gave an offset.
    pub fn to_fixed(&self) -> Option<DateTime<FixedOffset>> {
        self.offset.and_then(|o| self.naive().and_local_timezone(o).single())
    }

    /// ISO 8601 at the file's precision, with an offset only when the file had one.
    pub fn to_iso8601(&self) -> String {
        let mut s = String::with_capacity(29);
        // Writing to a String cannot fail.
        let _ = self.write_iso8601(&mut s);
        s
    }

    /// Writes [`to_iso8601`](Self::to_iso8601)'s text to `out`, without allocating.
    pub fn write_iso8601<W: fmt::Write>(&self, out: &mut W) -> fmt::Result {
        use chrono::{Datelike, Timelike};
        fn two<W: fmt::Write>(out: &mut W, n: u32) -> fmt::Result {
            out.write_char(char::from(b'0' + (n / 10 % 10) as u8))?;
            out.write_char(char::from(b'0' + (n % 10) as u8))
        }
        // Years are 0000–9999 by construction (the readers take four digits); anything
        // else would not be `YYYY-MM-DD`, so it is refused rather than written another way.
        let year = u32::try_from(self.date.year()).ok().filter(|y| *y <= 9999).ok_or(fmt::Error)?;
        two(out, year / 100)?;
        two(out, year % 100)?;
        out.write_char('-')?;
        two(out, self.date.month())?;
        out.write_char('-')?;
        two(out, self.date.day())?;
        let Some(t) = self.time else { return Ok(()) };
        out.write_char('T')?;
        two(out, t.hour())?;
        out.write_char(':')?;
        two(out, t.minute())?;
        out.write_char(':')?;
        // A leap second is held as 59 with 1_000_000_000+ nanoseconds.
        let leap = t.nanosecond() >= 1_000_000_000;
        two(out, t.second() + u32::from(leap))?;
        if self.precision == Precision::Millis {
            let ms = t.nanosecond() % 1_000_000_000 / 1_000_000;
            out.write_char('.')?;
            out.write_char(char::from(b'0' + (ms / 100) as u8))?;
            two(out, ms % 100)?;
        }
        if let Some(o) = self.offset {
            let secs = o.local_minus_utc();
            out.write_char(if secs < 0 { '-' } else { '+' })?;
            let abs = secs.unsigned_abs();
            two(out, abs / 3600)?;
            out.write_char(':')?;
            two(out, (abs % 3600) / 60)?;
        }
        Ok(())
    }
}

impl fmt::Display for OfxDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_iso8601())
    }
}

/// The forms [`OfxDateTime::to_iso8601`] writes, as a regular expression (used in the JSON
/// Schema of the output).
pub const ISO8601_PATTERN: &str = "^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{3})?([+-][0-9]{2}:[0-9]{2})?)?$";

impl Serialize for OfxDateTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_iso8601())
    }
}

/// The text as a message quotes it: control characters escaped, cut to
/// [`SHOWN_CHARS`](ofxkit_syntax::SHOWN_CHARS) characters (see [`ofxkit_syntax::shown`]).
fn quoted(text: &str) -> String {
    ofxkit_syntax::shown(text).into_owned()
}

/// A date read from text, with what was assumed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedDateTime {
    /// The value.
    pub value: OfxDateTime,
    /// What was assumed to read it.
    pub warnings: Vec<DateWarning>,
}

/// A recovery or an oddity. The texts the variants hold are the file's, as a message may
/// quote them: control characters escaped and cut after
/// [`SHOWN_CHARS`](ofxkit_syntax::SHOWN_CHARS) characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateWarning {
    /// Blanks around the value.
    Whitespace,
    /// `YYYYMMDDHHMM` or `YYYYMMDDHH`.
    ShortTime,
    /// Fraction of a second with other than three digits (`:014`, `.1234`).
    OddFraction(String),
    /// A zone without `.XXX` (`YYYYMMDDHHMMSS[-5:EST]`): common, not in the 2.2 schema.
    ZoneWithoutMillis,
    /// Text after the value was ignored (a repeated `HHMMSS.XXX[zone]`).
    TrailingText(String),
    /// A zone name with no offset (`[-:EST]`): the offset came from the name.
    OffsetFromName(String),
    /// A zone name this reader does not know and no offset: left without offset.
    UnknownZoneName(String),
    /// The offset and the name disagree (`[-3:GMT]`): the number wins.
    OffsetNameMismatch(String),
    /// A fractional offset (`[+5.30]`, `[-3.5]`): readers differ on it; the reading that
    /// gives a real zone's minutes was taken.
    FractionalOffset(String),
    /// An offset in hours and minutes (`[+05:30:IST]`, `[+5:30]`, `[+0530]`): OFX offsets
    /// are hours.
    OffsetWithMinutes(String),
    /// A leap second (`:60`) read as :59.999.
    LeapSecond,
    /// A date written `DD/MM/YYYY` or `YYYY-MM-DD`.
    OtherDateForm(String),
    /// An OFC date in a form OFC does not have.
    NotOfcForm,
}

impl DateWarning {
    /// Stable code.
    pub fn code(&self) -> &'static str {
        match self {
            DateWarning::Whitespace => "W-DATE-WHITESPACE",
            DateWarning::ShortTime => "W-DATE-SHORT-TIME",
            DateWarning::OddFraction(_) => "W-DATE-FRACTION",
            DateWarning::ZoneWithoutMillis => "W-DATE-ZONE-WITHOUT-MILLIS",
            DateWarning::TrailingText(_) => "W-DATE-TRAILING-TEXT",
            DateWarning::OffsetFromName(_) => "W-DATE-OFFSET-FROM-NAME",
            DateWarning::UnknownZoneName(_) => "W-DATE-UNKNOWN-ZONE",
            DateWarning::OffsetNameMismatch(_) => "W-DATE-ZONE-MISMATCH",
            DateWarning::FractionalOffset(_) => "W-DATE-FRACTIONAL-OFFSET",
            DateWarning::OffsetWithMinutes(_) => "W-DATE-OFFSET-MINUTES",
            DateWarning::LeapSecond => "W-DATE-LEAP-SECOND",
            DateWarning::OtherDateForm(_) => "W-DATE-OTHER-FORM",
            DateWarning::NotOfcForm => "W-DATE-NOT-OFC-FORM",
        }
    }
}

impl fmt::Display for DateWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateWarning::Whitespace => f.write_str("blanks around the date ignored"),
            DateWarning::ShortTime => f.write_str("time without seconds; seconds taken as 00"),
            DateWarning::OddFraction(x) => {
                write!(f, "fraction of a second \"{x}\" is not three digits")
            }
            DateWarning::ZoneWithoutMillis => {
                f.write_str("time zone given without .XXX milliseconds")
            }
            DateWarning::TrailingText(x) => write!(f, "text \"{x}\" after the date ignored"),
            DateWarning::OffsetFromName(n) => {
                write!(f, "zone [{n}] has no offset; taken from the name")
            }
            DateWarning::UnknownZoneName(n) => {
                write!(f, "zone \"{n}\" unknown and no offset given; no offset assumed")
            }
            DateWarning::OffsetNameMismatch(z) => {
                write!(f, "zone [{z}]: offset and name disagree; the offset is used")
            }
            DateWarning::FractionalOffset(z) => write!(
                f,
                "fractional offset [{z}] read the one way that gives :00, :30 or :45 \
                 (decimal hours or minutes)"
            ),
            DateWarning::OffsetWithMinutes(z) => {
                write!(f, "offset [{z}] read as hours and minutes; OFX offsets are hours")
            }
            DateWarning::LeapSecond => f.write_str("second 60 (leap second) read as :59.999"),
            DateWarning::OtherDateForm(x) => write!(f, "date written \"{x}\", not YYYYMMDD"),
            DateWarning::NotOfcForm => f.write_str("OFC dates are YYYYMMDD or YYYYMMDDHHMMSS"),
        }
    }
}

/// Why a date could not be read. The texts the variants hold are the file's, quoted as in
/// [`DateWarning`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateError {
    /// Nothing there.
    Empty,
    /// Not a date (`****`, too short, letters).
    Syntax(String),
    /// Digits that are not a calendar date or time (month 13, Feb 30, hour 24).
    Invalid {
        /// The text.
        raw: String,
        /// What is wrong.
        what: &'static str,
    },
    /// A zone that cannot be read (`[99:X]`, `[-5:EST` unclosed).
    Zone(String),
}

impl DateError {
    /// Stable code.
    pub fn code(&self) -> &'static str {
        match self {
            DateError::Empty => "E-DATE-EMPTY",
            DateError::Syntax(_) => "E-DATE-SYNTAX",
            DateError::Invalid { .. } => "E-DATE-INVALID",
            DateError::Zone(_) => "E-DATE-ZONE",
        }
    }
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateError::Empty => f.write_str("date is empty"),
            DateError::Syntax(raw) => {
                write!(f, "\"{raw}\" is not a date (YYYYMMDD[HHMMSS[.XXX]][[offset:TZ]])")
            }
            DateError::Invalid { raw, what } => write!(f, "\"{raw}\": {what}"),
            DateError::Zone(raw) => write!(
                f,
                "\"{raw}\": the time zone cannot be read exactly ([±H], [±H.5], [±HH:MM] or \
                 [±HHMM], then an optional :NAME; at most 14 hours)"
            ),
        }
    }
}

impl std::error::Error for DateError {}

fn digits(s: &[u8]) -> Option<u32> {
    if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    s.iter().try_fold(0u32, |acc, &b| acc.checked_mul(10)?.checked_add(u32::from(b - b'0')))
}

fn zone_offset(name: &str) -> Option<i32> {
    zone_offset_bytes(name.as_bytes())
}

/// A zone name of up to four bytes and its length, as one number (see [`zone_offset_bytes`]).
const fn zone_key(name: &[u8]) -> u64 {
    let mut key = (name.len() as u64) << 32;
    let mut i = 0;
    while i < name.len() {
        key |= (name[i].to_ascii_uppercase() as u64) << (8 * i);
        i += 1;
    }
    key
}

/// Hours east of UTC of a zone abbreviation (`EST` is -5), any case.
fn zone_offset_bytes(name: &[u8]) -> Option<i32> {
    const GMT: u64 = zone_key(b"GMT");
    const UTC: u64 = zone_key(b"UTC");
    const Z: u64 = zone_key(b"Z");
    const EST: u64 = zone_key(b"EST");
    const EDT: u64 = zone_key(b"EDT");
    const CST: u64 = zone_key(b"CST");
    const CDT: u64 = zone_key(b"CDT");
    const MST: u64 = zone_key(b"MST");
    const MDT: u64 = zone_key(b"MDT");
    const PST: u64 = zone_key(b"PST");
    const PDT: u64 = zone_key(b"PDT");
    const AKST: u64 = zone_key(b"AKST");
    const AKDT: u64 = zone_key(b"AKDT");
    const HST: u64 = zone_key(b"HST");
    if name.len() > 4 {
        return None;
    }
    Some(match zone_key(name) {
        GMT | UTC | Z => 0,
        EST => -5,
        EDT => -4,
        CST => -6,
        CDT => -5,
        MST => -7,
        MDT => -6,
        PST => -8,
        PDT => -7,
        AKST => -9,
        AKDT => -8,
        HST => -10,
        _ => return None,
    })
}

/// Reads a date or date-time.
pub fn parse_datetime(raw: &str, dialect: Dialect) -> Result<ParsedDateTime, DateError> {
    let mut warnings = Vec::new();
    let text = raw.trim();
    if text.is_empty() {
        return Err(DateError::Empty);
    }
    if text.len() != raw.len() {
        warnings.push(DateWarning::Whitespace);
    }
    let bytes = text.as_bytes();
    // Other date forms: DD/MM/YYYY and YYYY-MM-DD.
    if bytes.get(2) == Some(&b'/') || bytes.get(4) == Some(&b'-') {
        return other_form(text, warnings);
    }
    let n_digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    let invalid = |what| DateError::Invalid { raw: quoted(raw), what };
    let (precision, time_digits) = match n_digits {
        8 => (Precision::Day, 0),
        10 => (Precision::Hour, 2),
        12 => (Precision::Minute, 4),
        14.. => (Precision::Second, 6),
        _ => return Err(DateError::Syntax(quoted(raw))),
    };
    let d = |a: usize, b: usize| bytes.get(a..b).and_then(digits);
    let (Some(year), Some(month), Some(day)) = (d(0, 4), d(4, 6), d(6, 8)) else {
        return Err(DateError::Syntax(quoted(raw)));
    };
    if !(1..=12).contains(&month) {
        return Err(invalid("the month is not 01–12"));
    }
    let date = NaiveDate::from_ymd_opt(year as i32, month, day)
        .ok_or_else(|| invalid("the day does not exist in that month"))?;
    if matches!(precision, Precision::Hour | Precision::Minute) {
        warnings.push(DateWarning::ShortTime);
    }
    let mut pos = 8 + time_digits;
    let mut time = None;
    let mut precision = precision;
    if time_digits > 0 {
        let hh = d(8, 10).unwrap_or(0);
        let mm = if time_digits >= 4 { d(10, 12).unwrap_or(0) } else { 0 };
        let mut ss = if time_digits >= 6 { d(12, 14).unwrap_or(0) } else { 0 };
        if hh > 23 {
            return Err(invalid("the hour is not 00–23"));
        }
        if mm > 59 {
            return Err(invalid("the minute is not 00–59"));
        }
        let mut millis = 0u32;
        if ss == 60 {
            warnings.push(DateWarning::LeapSecond);
            ss = 59;
            millis = 999;
        } else if ss > 60 {
            return Err(invalid("the second is not 00–60"));
        }
        // A 14+ digit run longer than 14 is glued text; handled as trailing below.
        if n_digits > 14 {
            pos = 14;
        }
        // Fraction: `.XXX`, or `:XXX` seen in the wild.
        if matches!(bytes.get(pos), Some(b'.') | Some(b':')) && time_digits == 6 {
            let frac_len = bytes
                .get(pos + 1..)
                .map_or(0, |r| r.iter().take_while(|b| b.is_ascii_digit()).count());
            if frac_len == 0 {
                return Err(DateError::Syntax(quoted(raw)));
            }
            let frac = text.get(pos + 1..pos + 1 + frac_len).unwrap_or("");
            if frac_len != 3 || bytes.get(pos) == Some(&b':') {
                warnings.push(DateWarning::OddFraction(quoted(
                    text.get(pos..pos + 1 + frac_len).unwrap_or(""),
                )));
            }
            if millis == 0 {
                // Milliseconds from the first three digits (padded).
                let mut m = 0u32;
                for i in 0..3 {
                    m = m * 10 + frac.as_bytes().get(i).map_or(0, |b| u32::from(b - b'0'));
                }
                millis = m;
            }
            precision = Precision::Millis;
            pos += 1 + frac_len;
        }
        time = NaiveTime::from_hms_milli_opt(hh, mm, ss, millis);
        if time.is_none() {
            return Err(invalid("the time does not exist"));
        }
    }
    // Zone bracket.
    let mut offset = None;
    let mut tz_name = None;
    if bytes.get(pos) == Some(&b'[') {
        let close = text.get(pos..).and_then(|r| r.find(']')).map(|p| pos + p);
        let Some(close) = close else { return Err(DateError::Zone(quoted(raw))) };
        let inner = text.get(pos + 1..close).unwrap_or("");
        if precision == Precision::Second {
            warnings.push(DateWarning::ZoneWithoutMillis);
        }
        let zone = read_zone(inner).ok_or_else(|| DateError::Zone(quoted(raw)))?;
        match (zone.seconds, zone.name) {
            (Some(secs), name) => {
                if name.and_then(zone_offset).is_some_and(|expected| expected * 3600 != secs) {
                    warnings.push(DateWarning::OffsetNameMismatch(quoted(inner)));
                }
                offset = FixedOffset::east_opt(secs);
                if offset.is_none() {
                    return Err(DateError::Zone(quoted(raw)));
                }
            }
            (None, Some(n)) => match zone_offset(n) {
                Some(h) => {
                    warnings.push(DateWarning::OffsetFromName(quoted(inner)));
                    offset = FixedOffset::east_opt(h * 3600);
                }
                None => warnings.push(DateWarning::UnknownZoneName(quoted(n))),
            },
            (None, None) => return Err(DateError::Zone(quoted(raw))),
        }
        match zone.form {
            OffsetForm::Hours => {}
            OffsetForm::Minutes => {
                warnings.push(DateWarning::OffsetWithMinutes(quoted(inner)));
            }
            OffsetForm::Fraction => warnings.push(DateWarning::FractionalOffset(quoted(inner))),
        }
        let named = zone.name;
        tz_name = named.map(ZoneName::new);
        pos = close + 1;
        if time.is_none() {
            time = Some(NaiveTime::MIN);
        }
    }
    if pos < text.len() {
        let rest = text.get(pos..).unwrap_or("");
        if rest.trim().is_empty() {
        } else if precision == Precision::Day
            && time.is_none()
            && rest.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(DateError::Syntax(quoted(raw)));
        } else {
            warnings.push(DateWarning::TrailingText(quoted(rest)));
        }
    }
    if dialect == Dialect::Ofc {
        let plain = warnings.is_empty()
            && offset.is_none()
            && tz_name.is_none()
            && matches!(precision, Precision::Day | Precision::Second);
        if !plain {
            warnings.push(DateWarning::NotOfcForm);
        }
    }
    Ok(ParsedDateTime { value: OfxDateTime { date, time, precision, offset, tz_name }, warnings })
}

/// How a zone's offset was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OffsetForm {
    /// Whole hours (`-5`, `+05`, `0`), or no number at all: the specification's form.
    Hours,
    /// Hours and minutes (`+05:30`, `+0530`).
    Minutes,
    /// A fraction of an hour (`-3.5`, `+5.30`).
    Fraction,
}

/// What a zone bracket holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Zone<'a> {
    /// Seconds east of UTC, when a number was given.
    seconds: Option<i32>,
    /// The zone name, when one was given.
    name: Option<&'a str>,
    /// How the number was written.
    form: OffsetForm,
}

/// Reads the inside of a zone bracket; `None` when it cannot be read exactly.
///
/// `offset[:MM][:name]`, blanks around each piece ignored:
/// - `±H`, `±HH`: whole hours (the sign may be left out);
/// - `±H:MM`, `±HH:MM` (then an optional `:name`): hours and minutes;
/// - `±HHMM`: hours and minutes;
/// - `±H.F…`: a fraction of an hour, read the one way that gives minutes a real zone has
///   (:00, :30, :45): `.5`, `.50` are decimal hours (:30), `.30`, `.45` are minutes, `.75`
///   is decimal (:45); a fraction that gives no such minutes, or two different ones, cannot
///   be read (`.25`, `.3`);
/// - nothing, `-` or `+` with a name: the offset comes from the name, if known.
///
/// At most 14 hours either way. A name starts with a letter: text that starts with a digit
/// after the minutes' place (`[+5:3]`, `[+5:30X]`), a third piece that is not a name, or a
/// fourth piece, cannot be read.
fn read_zone(inner: &str) -> Option<Zone<'_>> {
    plain_zone(inner).or_else(|| grammar::zone(inner))
}

/// The form nearly every file uses, read byte by byte: `±H` or `±HH` (sign optional), then
/// nothing or `:` and a name of letters. `None` for anything else (then [`grammar::zone`]).
#[inline]
fn plain_zone(inner: &str) -> Option<Zone<'_>> {
    let b = inner.as_bytes();
    let (sign, at) = match b.first() {
        Some(b'-') => (-1, 1),
        Some(b'+') => (1, 1),
        _ => (1, 0),
    };
    let digit = |i: usize| b.get(i).filter(|c| c.is_ascii_digit()).map(|c| i32::from(c - b'0'));
    let (hours, at) = match (digit(at), digit(at + 1)) {
        (Some(t), Some(u)) => (t * 10 + u, at + 2),
        (Some(u), None) => (u, at + 1),
        _ => return None,
    };
    if hours > 14 {
        return None;
    }
    let name = match b.get(at) {
        None => None,
        Some(b':') => {
            let name = b.get(at + 1..)?;
            if name.is_empty() || !name.iter().all(u8::is_ascii_alphabetic) {
                return None;
            }
            inner.get(at + 1..)
        }
        Some(_) => return None,
    };
    Some(Zone { seconds: Some(sign * hours * 3600), name, form: OffsetForm::Hours })
}

/// The offset in whole hours of a zone bracket (`[-5:EST]`, `[0:GMT]`, `[+1]`) of the
/// common form ([`plain_zone`]) that [`parse_datetime`] reads without a remark (a name, if
/// any, that is not a known zone of another offset); `None` for any other bracket.
pub(crate) fn plain_zone_hours(bracket: &[u8]) -> Option<i32> {
    let inner = bracket.strip_prefix(b"[")?.strip_suffix(b"]")?;
    let zone = plain_zone(std::str::from_utf8(inner).ok()?)?;
    let seconds = zone.seconds?;
    if zone.name.and_then(zone_offset).is_some_and(|hours| hours * 3600 != seconds) {
        return None;
    }
    Some(seconds / 3600)
}

/// The minutes of a fraction of an hour (`5`, `50`, `30`, `75`): of the two readings,
/// decimal hours and (for two digits) minutes, the one that gives minutes a real zone has
/// (0, 30 or 45); `None` when neither or both (differently) do.
fn fraction_minutes(fraction: &str) -> Option<u32> {
    const REAL: [u32; 3] = [0, 30, 45];
    if fraction.is_empty() || fraction.len() > 6 {
        return None;
    }
    let value = digits(fraction.as_bytes())?;
    let denominator = 10u32.pow(fraction.len() as u32);
    let decimal = (value * 60).is_multiple_of(denominator).then(|| value * 60 / denominator);
    let minutes = (fraction.len() == 2 && value < 60).then_some(value);
    let real = |m: Option<u32>| m.filter(|m| REAL.contains(m));
    match (real(decimal), real(minutes)) {
        (Some(a), Some(b)) if a == b => Some(a),
        (Some(a), None) | (None, Some(a)) => Some(a),
        _ => None,
    }
}

/// `DD/MM/YYYY` or `YYYY-MM-DD`, ten characters, digits only where digits go (so the year
/// has four digits, as everywhere else: no `+10000`, no `-0001`).
fn other_form(text: &str, mut warnings: Vec<DateWarning>) -> Result<ParsedDateTime, DateError> {
    let b = text.as_bytes();
    let num = |from: usize, to: usize| b.get(from..to).and_then(digits);
    let (year, month, day) = match (b.len(), b.get(2), b.get(5), b.get(4), b.get(7)) {
        (10, Some(b'/'), Some(b'/'), _, _) => (num(6, 10), num(3, 5), num(0, 2)),
        (10, _, _, Some(b'-'), Some(b'-')) => (num(0, 4), num(5, 7), num(8, 10)),
        _ => return Err(DateError::Syntax(quoted(text))),
    };
    let (Some(year), Some(month), Some(day)) = (year, month, day) else {
        return Err(DateError::Syntax(quoted(text)));
    };
    let Some(date) = NaiveDate::from_ymd_opt(year as i32, month, day) else {
        return Err(DateError::Invalid { raw: quoted(text), what: "no such calendar date" });
    };
    warnings.push(DateWarning::OtherDateForm(quoted(text)));
    Ok(ParsedDateTime {
        value: OfxDateTime {
            date,
            time: None,
            precision: Precision::Day,
            offset: None,
            tz_name: None,
        },
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (input, dialect, ISO result or error code, warning codes)
    #[test]
    fn table() {
        use Dialect::{Ofc, Ofx};
        type Case =
            (&'static str, Dialect, Result<&'static str, &'static str>, &'static [&'static str]);
        let cases: &[Case] = &[
            ("20240115", Ofx, Ok("2024-01-15"), &[]),
            ("20240115", Ofc, Ok("2024-01-15"), &[]),
            ("20240115123045", Ofx, Ok("2024-01-15T12:30:45"), &[]),
            ("20240115123045", Ofc, Ok("2024-01-15T12:30:45"), &[]),
            ("20240115123045.123", Ofx, Ok("2024-01-15T12:30:45.123"), &[]),
            ("20240115123045.123[-5:EST]", Ofx, Ok("2024-01-15T12:30:45.123-05:00"), &[]),
            ("20240115123045.000[0:GMT]", Ofx, Ok("2024-01-15T12:30:45.000+00:00"), &[]),
            ("20240115123045.000[+0:UTC]", Ofx, Ok("2024-01-15T12:30:45.000+00:00"), &[]),
            ("20240115123045.000[-05:EST]", Ofx, Ok("2024-01-15T12:30:45.000-05:00"), &[]),
            ("20240115123045.000[-5]", Ofx, Ok("2024-01-15T12:30:45.000-05:00"), &[]),
            ("20240115123045.000[+14]", Ofx, Ok("2024-01-15T12:30:45.000+14:00"), &[]),
            ("20240115123045.000[-12:XYZ]", Ofx, Ok("2024-01-15T12:30:45.000-12:00"), &[]),
            (
                "20240115123045.000[-3.5:NST]",
                Ofx,
                Ok("2024-01-15T12:30:45.000-03:30"),
                &["W-DATE-FRACTIONAL-OFFSET"],
            ),
            (
                "20240115123045.000[+5.30:IST]",
                Ofx,
                Ok("2024-01-15T12:30:45.000+05:30"),
                &["W-DATE-FRACTIONAL-OFFSET"],
            ),
            (
                "20240115123045.000[-:EST]",
                Ofx,
                Ok("2024-01-15T12:30:45.000-05:00"),
                &["W-DATE-OFFSET-FROM-NAME"],
            ),
            (
                "20240115123045.000[-:XYZ]",
                Ofx,
                Ok("2024-01-15T12:30:45.000"),
                &["W-DATE-UNKNOWN-ZONE"],
            ),
            (
                "20240115123045.000[-3:GMT]",
                Ofx,
                Ok("2024-01-15T12:30:45.000-03:00"),
                &["W-DATE-ZONE-MISMATCH"],
            ),
            (
                "20240115123045[-5:EST]",
                Ofx,
                Ok("2024-01-15T12:30:45-05:00"),
                &["W-DATE-ZONE-WITHOUT-MILLIS"],
            ),
            ("20240115[-5:EST]", Ofx, Ok("2024-01-15T00:00:00-05:00"), &[]),
            (
                "20170403160000.000[-5:EST]160000.000[-5:EST]",
                Ofx,
                Ok("2017-04-03T16:00:00.000-05:00"),
                &["W-DATE-TRAILING-TEXT"],
            ),
            ("201704062021", Ofx, Ok("2017-04-06T20:21:00"), &["W-DATE-SHORT-TIME"]),
            ("2017040620", Ofx, Ok("2017-04-06T20:00:00"), &["W-DATE-SHORT-TIME"]),
            ("20110101000000:014", Ofx, Ok("2011-01-01T00:00:00.014"), &["W-DATE-FRACTION"]),
            ("20240115123045.1234", Ofx, Ok("2024-01-15T12:30:45.123"), &["W-DATE-FRACTION"]),
            ("20161231235960", Ofx, Ok("2016-12-31T23:59:59"), &["W-DATE-LEAP-SECOND"]),
            ("30/06/2025", Ofx, Ok("2025-06-30"), &["W-DATE-OTHER-FORM"]),
            ("2025-06-30", Ofx, Ok("2025-06-30"), &["W-DATE-OTHER-FORM"]),
            (" 20240115 ", Ofx, Ok("2024-01-15"), &["W-DATE-WHITESPACE"]),
            ("20240115123045.123", Ofc, Ok("2024-01-15T12:30:45.123"), &["W-DATE-NOT-OFC-FORM"]),
            ("20240229", Ofx, Ok("2024-02-29"), &[]),
            ("", Ofx, Err("E-DATE-EMPTY"), &[]),
            ("********", Ofx, Err("E-DATE-SYNTAX"), &[]),
            ("*******", Ofx, Err("E-DATE-SYNTAX"), &[]),
            ("2024123", Ofx, Err("E-DATE-SYNTAX"), &[]),
            (".1234", Ofx, Err("E-DATE-SYNTAX"), &[]),
            ("20241301", Ofx, Err("E-DATE-INVALID"), &[]),
            ("20230229", Ofx, Err("E-DATE-INVALID"), &[]),
            ("20240230", Ofx, Err("E-DATE-INVALID"), &[]),
            ("20241231240000", Ofx, Err("E-DATE-INVALID"), &[]),
            ("20241231236000", Ofx, Err("E-DATE-INVALID"), &[]),
            ("20240115123045.000[99:X]", Ofx, Err("E-DATE-ZONE"), &[]),
            ("20240115123045.000[-5:EST", Ofx, Err("E-DATE-ZONE"), &[]),
            ("20240115123045.000[]", Ofx, Err("E-DATE-ZONE"), &[]),
            ("20240115123045.000[+15]", Ofx, Err("E-DATE-ZONE"), &[]),
            ("2024011512304", Ofx, Err("E-DATE-SYNTAX"), &[]),
            // Zones with minutes: each form read exactly, or refused.
            (
                "20240115123045.000[+05:30:IST]",
                Ofx,
                Ok("2024-01-15T12:30:45.000+05:30"),
                &["W-DATE-OFFSET-MINUTES"],
            ),
            (
                "20240115123045.000[+5:30]",
                Ofx,
                Ok("2024-01-15T12:30:45.000+05:30"),
                &["W-DATE-OFFSET-MINUTES"],
            ),
            (
                "20240115123045.000[-3:30:NST]",
                Ofx,
                Ok("2024-01-15T12:30:45.000-03:30"),
                &["W-DATE-OFFSET-MINUTES"],
            ),
            (
                "20240115123045.000[+0530]",
                Ofx,
                Ok("2024-01-15T12:30:45.000+05:30"),
                &["W-DATE-OFFSET-MINUTES"],
            ),
            (
                "20240115123045.000[-0345:X]",
                Ofx,
                Ok("2024-01-15T12:30:45.000-03:45"),
                &["W-DATE-OFFSET-MINUTES"],
            ),
            (
                "20240115123045.000[+5.5:IST]",
                Ofx,
                Ok("2024-01-15T12:30:45.000+05:30"),
                &["W-DATE-FRACTIONAL-OFFSET"],
            ),
            (
                "20240115123045.000[+5.50]",
                Ofx,
                Ok("2024-01-15T12:30:45.000+05:30"),
                &["W-DATE-FRACTIONAL-OFFSET"],
            ),
            (
                "20240115123045.000[+5.45]",
                Ofx,
                Ok("2024-01-15T12:30:45.000+05:45"),
                &["W-DATE-FRACTIONAL-OFFSET"],
            ),
            (
                "20240115123045.000[+5.75]",
                Ofx,
                Ok("2024-01-15T12:30:45.000+05:45"),
                &["W-DATE-FRACTIONAL-OFFSET"],
            ),
            (
                "20240115123045.000[+5.00]",
                Ofx,
                Ok("2024-01-15T12:30:45.000+05:00"),
                &["W-DATE-FRACTIONAL-OFFSET"],
            ),
            (
                "20240115123045.000[-0:30]",
                Ofx,
                Ok("2024-01-15T12:30:45.000-00:30"),
                &["W-DATE-OFFSET-MINUTES"],
            ),
            ("20240115123045.000[ -5 : EST ]", Ofx, Ok("2024-01-15T12:30:45.000-05:00"), &[]),
            ("20240115123045.000[-5:]", Ofx, Ok("2024-01-15T12:30:45.000-05:00"), &[]),
            (
                "20240115123045.000[+14:00]",
                Ofx,
                Ok("2024-01-15T12:30:45.000+14:00"),
                &["W-DATE-OFFSET-MINUTES"],
            ),
            ("20240115123045.000[+5.25]", Ofx, Err("E-DATE-ZONE"), &[]),
            ("20240115123045.000[+5.3]", Ofx, Err("E-DATE-ZONE"), &[]),
            ("20240115123045.000[+5.333]", Ofx, Err("E-DATE-ZONE"), &[]),
            ("20240115123045.000[+5.]", Ofx, Err("E-DATE-ZONE"), &[]),
            ("20240115123045.000[+.5]", Ofx, Err("E-DATE-ZONE"), &[]),
            ("20240115123045.000[+530]", Ofx, Err("E-DATE-ZONE"), &[]),
            ("20240115123045.000[+05300]", Ofx, Err("E-DATE-ZONE"), &[]),
            ("20240115123045.000[+5:3]", Ofx, Err("E-DATE-ZONE"), &[]),
            ("20240115123045.000[+5:300]", Ofx, Err("E-DATE-ZONE"), &[]),
            ("20240115123045.000[+5:30X]", Ofx, Err("E-DATE-ZONE"), &[]),
            ("20240115123045.000[+5:60]", Ofx, Err("E-DATE-ZONE"), &[]),
            ("20240115123045.000[+0560]", Ofx, Err("E-DATE-ZONE"), &[]),
            ("20240115123045.000[+14:30]", Ofx, Err("E-DATE-ZONE"), &[]),
            ("20240115123045.000[+14.5]", Ofx, Err("E-DATE-ZONE"), &[]),
            ("20240115123045.000[+5.5:30]", Ofx, Err("E-DATE-ZONE"), &[]),
            ("20240115123045.000[+0530:30]", Ofx, Err("E-DATE-ZONE"), &[]),
            ("20240115123045.000[-5:EST:X]", Ofx, Err("E-DATE-ZONE"), &[]),
            ("20240115123045.000[-5:30:IST:X]", Ofx, Err("E-DATE-ZONE"), &[]),
            ("20240115123045.000[-:30]", Ofx, Err("E-DATE-ZONE"), &[]),
            ("20240115123045.000[-]", Ofx, Err("E-DATE-ZONE"), &[]),
            ("20240115123045.000[:]", Ofx, Err("E-DATE-ZONE"), &[]),
            ("20240115123045.000[-5:+5]", Ofx, Err("E-DATE-ZONE"), &[]),
            ("20240115123045.000[--5]", Ofx, Err("E-DATE-ZONE"), &[]),
            // Years: four digits, always.
            ("07/01/+10000", Ofx, Err("E-DATE-SYNTAX"), &[]),
            ("07/01/10000", Ofx, Err("E-DATE-SYNTAX"), &[]),
            ("07/01/-1", Ofx, Err("E-DATE-SYNTAX"), &[]),
            ("+100-01-01", Ofx, Err("E-DATE-SYNTAX"), &[]),
            ("-001-01-01", Ofx, Err("E-DATE-SYNTAX"), &[]),
            ("+10000-01-07", Ofx, Err("E-DATE-SYNTAX"), &[]),
            ("2024-1-05", Ofx, Err("E-DATE-SYNTAX"), &[]),
            ("31/02/2024", Ofx, Err("E-DATE-INVALID"), &[]),
            ("0000-01-01", Ofx, Ok("0000-01-01"), &["W-DATE-OTHER-FORM"]),
            ("00000101", Ofx, Ok("0000-01-01"), &[]),
            ("99991231235959", Ofx, Ok("9999-12-31T23:59:59"), &[]),
            ("abcdefgh", Ofx, Err("E-DATE-SYNTAX"), &[]),
        ];
        for (input, dialect, expect, warns) in cases {
            let got = parse_datetime(input, *dialect);
            match (expect, &got) {
                (Ok(v), Ok(p)) => {
                    assert_eq!(p.value.to_iso8601(), *v, "{input:?}");
                    let codes: Vec<&str> = p.warnings.iter().map(DateWarning::code).collect();
                    assert_eq!(codes, *warns, "{input:?}");
                }
                (Err(c), Err(e)) => assert_eq!(e.code(), *c, "{input:?}"),
                _ => panic!("{input:?}: expected {expect:?}, got {got:?}"),
            }
        }
    }

    /// A year the readers cannot produce is refused by the writer, not written in
    /// another form.
    #[test]
    fn years_past_9999_are_not_written() {
        let mut v = parse_datetime("99991231", Dialect::Ofx).unwrap().value;
        assert_eq!(v.to_iso8601(), "9999-12-31");
        for (y, m, d) in [(10000, 1, 7), (-1, 1, 1)] {
            v.date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            let mut out = String::new();
            assert!(v.write_iso8601(&mut out).is_err(), "{y}");
            assert_eq!(out, "", "{y}: nothing written");
        }
    }

    /// Every bracket of up to five characters over digits, signs, `.`, `:` and a letter:
    /// what is read has |offset| ≤ 14 h and minutes a real zone has when the form was a
    /// fraction, and the same bracket with or without a name gives the same offset.
    #[test]
    fn every_short_zone_is_exact_or_refused() {
        const ALPHABET: &[u8] = b"+-05.:3E";
        let mut texts = vec![String::new()];
        let mut all = Vec::new();
        for _ in 0..5 {
            let mut next = Vec::new();
            for t in &texts {
                for &c in ALPHABET {
                    next.push(format!("{t}{}", c as char));
                }
            }
            all.extend(next.iter().cloned());
            texts = next;
        }
        for inner in &all {
            let raw = format!("20240115123045.000[{inner}]");
            let Ok(p) = parse_datetime(&raw, Dialect::Ofx) else { continue };
            let Some(o) = p.value.offset() else { continue };
            let secs = o.local_minus_utc();
            assert!(secs.abs() <= 14 * 3600 && secs % 60 == 0, "{raw}");
            let fraction = p.warnings.iter().any(|w| matches!(w, DateWarning::FractionalOffset(_)));
            if fraction {
                assert!([0, 30, 45].contains(&(secs.abs() % 3600 / 60)), "{raw}");
            }
            // A name after the number never changes the number.
            if !inner.contains(':') {
                let named = format!("20240115123045.000[{inner}:XYZ]");
                let again = parse_datetime(&named, Dialect::Ofx).map(|p| p.value.offset());
                assert_eq!(again, Ok(Some(o)), "{named}");
            }
        }
    }

    /// The byte-by-byte reader of the common form answers as the general one.
    #[test]
    fn plain_zones_read_as_the_bracket_grammar() {
        let mut answered = 0;
        for sign in ["", "+", "-"] {
            for number in ["", "0", "5", "05", "12", "14", "15", "99", "123", "5.5", "0530"] {
                for name in ["", ":", ":EST", ":est", ":E1", ": EST", ":5", ":EST:X", " ", "x"] {
                    let inner = format!("{sign}{number}{name}");
                    if let Some(z) = plain_zone(&inner) {
                        answered += 1;
                        assert_eq!(Some(z), grammar::zone(&inner), "{inner:?}");
                    }
                }
            }
        }
        assert!(answered > 30, "{answered}");
    }

    #[test]
    fn absent_offset_stays_absent() {
        let v = parse_datetime("20240115123045", Dialect::Ofx).unwrap().value;
        assert_eq!(v.offset(), None);
        assert_eq!(v.to_fixed(), None);
        let v = parse_datetime("20240115123045.000[-5:EST]", Dialect::Ofx).unwrap().value;
        assert_eq!(
            v.to_fixed().map(|d| d.to_rfc3339()),
            Some("2024-01-15T12:30:45-05:00".to_owned())
        );
        assert_eq!(v.tz_name(), Some("EST"));
    }

    #[test]
    fn hostile_inputs_do_not_panic() {
        let long = "2".repeat(1 << 20);
        for s in [
            long.as_str(),
            "\0",
            "é",
            "20240115\u{e9}",
            "2024011512304\u{e9}",
            "20240115123045.[",
            "20240115123045.000[",
            "20240115123045.000[-:]",
            "99999999999999999999",
            "20240115123045.000[-99999999999999999999]",
        ] {
            let _ = parse_datetime(s, Dialect::Ofx);
            let _ = parse_datetime(s, Dialect::Ofc);
        }
    }
}

#[cfg(test)]
mod iso_tests {
    use super::*;

    /// The hand-written writer agrees with chrono's formatting on every form.
    #[test]
    fn write_iso8601_matches_chrono() {
        let forms = [
            "19000101",
            "20240229",
            "99991231",
            "2024061512",
            "202406151230",
            "20240615123045",
            "20240615000000.000",
            "20240615235959.999[-5:EST]",
            "20240615120000.007[+5.30:IST]",
            "20240615120000[0:GMT]",
            "20240615120000.120[-3.5]",
            "20241231235960",
            "20240615[+14]",
        ];
        for raw in forms {
            let Ok(p) = parse_datetime(raw, Dialect::Ofx) else { continue };
            let v = p.value;
            let mut expected = v.date.format("%Y-%m-%d").to_string();
            if let Some(t) = v.time {
                let f =
                    if v.precision == Precision::Millis { "T%H:%M:%S%.3f" } else { "T%H:%M:%S" };
                expected.push_str(&t.format(f).to_string());
                if let Some(o) = v.offset {
                    let secs = o.local_minus_utc();
                    let abs = secs.unsigned_abs();
                    let sign = if secs < 0 { '-' } else { '+' };
                    expected.push_str(&format!("{sign}{:02}:{:02}", abs / 3600, abs % 3600 / 60));
                }
            }
            assert_eq!(v.to_iso8601(), expected, "{raw}");
        }
    }
}
