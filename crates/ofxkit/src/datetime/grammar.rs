//! The zone bracket and the specification's date-time form, written as nom combinators.
//!
//! [`zone`] is what [`parse_datetime`](super::parse_datetime) reads a bracket with when it is
//! not of the common form (`[-5:EST]`, read byte by byte by `plain_zone`): it runs at most once
//! per date, and only for the rare brackets, so the combinators cost nothing measurable.
//!
//! ```text
//! bracket  = offset (":" minutes)? (":" name)?     blanks around each piece ignored
//! offset   = sign? (hours "." fraction | hours minutes | hours)?
//! sign     = "+" | "-"
//! hours    = digit{1,2}             (exactly two before minutes written together: HHMM)
//! minutes  = digit{2}
//! fraction = digit{1,6}
//! name     = letter any*            (a name alone needs no number: [:EST], [-:EST])
//! ```
//!
//! [`spec_form`] (tests only) is the form the OFX specification gives,
//! `YYYYMMDD[HHMMSS[.XXX]][[±H[:NAME]]]`; the tests hold `parse_datetime` to it on text made
//! from that grammar's own pieces.

use nom::bytes::complete::take_while_m_n;
use nom::character::complete::{char, one_of};
use nom::combinator::{all_consuming, eof, map, map_res, opt};
use nom::{IResult, Parser};

use super::{OffsetForm, Zone, fraction_minutes};

/// The number of an offset, as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Number<'a> {
    /// No digits: the offset comes from the name.
    Missing,
    /// `H` or `HH`.
    Hours(u32),
    /// `HHMM`.
    HoursMinutes(u32, u32),
    /// `H.F…`: hours and a fraction of an hour, read by [`fraction_minutes`].
    Fraction(u32, &'a str),
}

/// `min` to `max` ASCII digits, as a number.
fn digits<'a>(
    min: usize,
    max: usize,
) -> impl Parser<&'a str, Output = u32, Error = nom::error::Error<&'a str>> {
    map_res(take_while_m_n(min, max, |c: char| c.is_ascii_digit()), str::parse::<u32>)
}

/// `sign? (hours "." fraction | hours minutes | hours)?`, the whole piece.
fn offset(piece: &str) -> IResult<&str, (i32, Number<'_>)> {
    let sign = map(opt(one_of("+-")), |s| if s == Some('-') { -1 } else { 1 });
    let fraction = map(
        (digits(1, 2), char('.'), take_while_m_n(1, 6, |c: char| c.is_ascii_digit())),
        |(h, _, f)| Number::Fraction(h, f),
    );
    let hours_minutes = map((digits(2, 2), digits(2, 2)), |(h, m)| Number::HoursMinutes(h, m));
    let hours = map(digits(1, 2), Number::Hours);
    let missing = map(eof, |_| Number::Missing);
    let number = nom::branch::alt((
        all_consuming(fraction),
        all_consuming(hours_minutes),
        all_consuming(hours),
        missing,
    ));
    all_consuming((sign, number)).parse(piece)
}

/// Reads the inside of a zone bracket in any form [`super::read_zone`] documents; `None` when
/// it cannot be read exactly.
pub(super) fn zone(inner: &str) -> Option<Zone<'_>> {
    // At most three pieces; the second is minutes when it starts with a digit, else a name.
    let mut pieces = inner.split(':').map(str::trim);
    let number = pieces.next().unwrap_or_default();
    let (minutes, name) = match (pieces.next(), pieces.next(), pieces.next()) {
        (None, _, _) => (None, None),
        (Some(s), third, None) if s.starts_with(|c: char| c.is_ascii_digit()) => (Some(s), third),
        (Some(s), None, None) => (None, Some(s)),
        _ => return None,
    };
    let name = name.filter(|n| !n.is_empty());
    if name.is_some_and(|n| !n.starts_with(|c: char| c.is_ascii_alphabetic())) {
        return None;
    }
    let (_, (sign, number)) = offset(number).ok()?;
    let two_digits = |m: &str| all_consuming(digits(2, 2)).parse(m).ok().map(|(_, m)| m);
    let (hours, mins, form) = match (number, minutes) {
        // `[-:EST]`, `[:EST]`: a name alone (its offset, if known, is the caller's).
        (Number::Missing, None) if name.is_some() => {
            return Some(Zone { seconds: None, name, form: OffsetForm::Hours });
        }
        (Number::Hours(h), None) => (h, 0, OffsetForm::Hours),
        (Number::HoursMinutes(h, m), None) => (h, m, OffsetForm::Minutes),
        (Number::Hours(h), Some(m)) => (h, two_digits(m)?, OffsetForm::Minutes),
        (Number::Fraction(h, f), None) => (h, fraction_minutes(f)?, OffsetForm::Fraction),
        _ => return None,
    };
    if mins >= 60 || hours * 60 + mins > 14 * 60 {
        return None;
    }
    Some(Zone { seconds: Some(sign * (hours as i32 * 3600 + mins as i32 * 60)), name, form })
}

/// What [`spec_form`] reads: the date, the time with its milliseconds, and the zone's hours
/// and name.
#[cfg(test)]
pub(super) type SpecDate<'a> =
    ((u32, u32, u32), Option<(u32, u32, u32, Option<u32>)>, Option<(i32, Option<&'a str>)>);

/// `YYYYMMDD[HHMMSS[.XXX]][[±H[:NAME]]]`, the form the OFX specification gives (a zone only
/// after a time), the whole text.
#[cfg(test)]
pub(super) fn spec_form(text: &str) -> Option<SpecDate<'_>> {
    use nom::bytes::complete::take_while1;
    use nom::sequence::{delimited, preceded};
    let date = (digits(4, 4), digits(2, 2), digits(2, 2));
    let millis = preceded(char('.'), digits(3, 3));
    let time = (digits(2, 2), digits(2, 2), digits(2, 2), opt(millis));
    let sign = map(opt(one_of("+-")), |s| if s == Some('-') { -1 } else { 1 });
    let hours = map((sign, digits(1, 2)), |(s, h)| s * h as i32);
    let name = preceded(char(':'), take_while1(|c: char| c.is_ascii_alphabetic()));
    let zone = delimited(char('['), (hours, opt(name)), char(']'));
    let time_and_zone = (time, opt(zone));
    let (_, (date, rest)) = all_consuming((date, opt(time_and_zone))).parse(text).ok()?;
    Some(match rest {
        Some((time, zone)) => (date, Some(time), zone),
        None => (date, None, None),
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::amount::Dialect;
    use crate::datetime::{Precision, parse_datetime};

    #[test]
    fn every_documented_bracket_reads_as_the_table_says() {
        let seconds = |s: &str| zone(s).and_then(|z| z.seconds);
        assert_eq!(seconds("+5:30"), Some(5 * 3600 + 1800));
        assert_eq!(seconds("+05:30:IST"), Some(5 * 3600 + 1800));
        assert_eq!(seconds("+0530"), Some(5 * 3600 + 1800));
        assert_eq!(seconds(" -3.5 "), Some(-(3 * 3600 + 1800)));
        assert_eq!(seconds("+5.45"), Some(5 * 3600 + 2700));
        assert_eq!(seconds("+5.75"), Some(5 * 3600 + 2700));
        assert_eq!(zone("-:EST").map(|z| (z.seconds, z.name)), Some((None, Some("EST"))));
        for unreadable in
            ["+5.25", "+5.3", "+530", "+5:3", "+5:30X", "-5:EST:X", "+15", "", "5:30:3"]
        {
            assert_eq!(zone(unreadable), None, "{unreadable}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        /// Text made of the specification's pieces reads as the grammar says, with no remark
        /// beyond the ones the module table documents for a zone without milliseconds.
        #[test]
        fn parse_datetime_reads_the_spec_form_as_the_grammar_does(
            text in "(19|20)[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|1[0-9]|2[0-8])(([01][0-9]|2[0-3])[0-5][0-9][0-5][0-9](\\.[0-9]{3})?(\\[[-+]?(1[0-4]|0?[0-9])(:[A-Z]{1,4})?\\])?)?"
        ) {
            let (date, time, zone) = spec_form(&text).expect("the generator writes the grammar");
            let read = parse_datetime(&text, Dialect::Ofx).expect("a spec date reads");
            let value = read.value;
            prop_assert_eq!(
                value.naive_date().format("%Y%m%d").to_string(),
                format!("{:04}{:02}{:02}", date.0, date.1, date.2)
            );
            match time {
                None => prop_assert_eq!(value.precision(), Precision::Day),
                Some((h, m, s, millis)) => {
                    let t = value.time().expect("a time");
                    prop_assert_eq!(t.format("%H%M%S").to_string(), format!("{h:02}{m:02}{s:02}"));
                    let expected = if millis.is_some() { Precision::Millis } else { Precision::Second };
                    prop_assert_eq!(value.precision(), expected);
                    prop_assert_eq!(t.format("%3f").to_string(), format!("{:03}", millis.unwrap_or(0)));
                }
            }
            match zone {
                None => prop_assert_eq!(value.offset(), None),
                Some((hours, name)) => {
                    prop_assert_eq!(value.offset().map(|o| o.local_minus_utc()), Some(hours * 3600));
                    prop_assert_eq!(value.tz_name(), name);
                }
            }
        }
    }
}
