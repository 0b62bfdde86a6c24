//! Values and codes: amounts, dates and time zones, enumerations, OFC code tables and
//! currencies, each checked by the leaf's value type in the profile's schema.
//!
//! Plain values (`-12.50`, `20240115`, `DEBIT`) are checked by a scan that allocates
//! nothing; anything else goes through the readers of [`crate::amount`] and
//! [`crate::datetime`], whose warnings say what is odd.

use ofxkit_schema::ElementDef;
use ofxkit_syntax::{Element, Span, shown};

use crate::amount::{self, AmountForm, AmountWarning, Dialect, Sign};
use crate::codes::Code;
use crate::codes::ofc::{OfcAccountType, OfcAction, OfcService, OfcStatus, OfcTrnType};
use crate::datetime::{self, DateError, DateWarning};
use crate::validate::{Family, Findings, Setting, currency};

/// What kind of value a leaf holds.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Kind {
    Amount,
    Date,
    Currency,
    Enum(&'static [&'static str]),
    Bool,
    /// An OFC numeric field: the test, the values allowed (for the message), the rule.
    OfcCode(fn(&str) -> bool, &'static str, &'static str),
    Other,
}

pub(crate) fn kind(family: Family, name: &str, def: &ElementDef) -> Kind {
    let Some(value_type) = def.value_type() else { return Kind::Other };
    match family {
        Family::Ofc => match value_type {
            "AMTSTR" => Kind::Amount,
            "DTSTR" => Kind::Date,
            _ => match name {
                "ACCTTYPE" => Kind::OfcCode(known::<OfcAccountType>, "0-7", "OFC-CODE-001"),
                "TRNTYPE" => Kind::OfcCode(known::<OfcTrnType>, "0-12", "OFC-CODE-001"),
                "ACTION" => Kind::OfcCode(known::<OfcAction>, "0-2", "OFC-CODE-001"),
                "SERVICE" => Kind::OfcCode(known::<OfcService>, "0-4", "OFC-CODE-001"),
                "STATUS" => Kind::OfcCode(known::<OfcStatus>, "0-5, 100-106", "OFC-CODE-001"),
                "DTD" => Kind::OfcCode(|t| t == "2", "2", "OFC-CODE-002"),
                "CPAGE" => Kind::OfcCode(|t| t == "1252", "1252", "OFC-CODE-002"),
                _ => Kind::Other,
            },
        },
        Family::Ofx => match value_type {
            "AMTTYPE" | "AmountType" | "PositiveAmountType" => Kind::Amount,
            "DTTMTYPE" | "DateTimeType" => Kind::Date,
            "CURRENCYENUM" | "CurrencyEnum" => Kind::Currency,
            "BOOLTYPE" if def.enum_values().is_empty() => Kind::Bool,
            _ if !def.enum_values().is_empty() => Kind::Enum(def.enum_values()),
            _ => Kind::Other,
        },
    }
}

/// Is `text` a code of table `T` (leading zeros allowed: OFC codes are numbers)?
fn known<T: Code>(text: &str) -> bool {
    T::read(text).0.is_known()
}

/// The values pass.
pub(crate) struct Values {
    setting: Setting,
}

impl Values {
    pub(crate) fn new(setting: Setting) -> Self {
        Values { setting }
    }

    /// Checks the value of one leaf.
    pub(crate) fn leaf<'t>(
        &mut self,
        el: Element<'t>,
        text: &'t str,
        kind: Kind,
        def: Option<&'static ElementDef>,
        out: &mut Findings<'t>,
    ) {
        let (Some(def), false) = (def, matches!(kind, Kind::Other)) else { return };
        let family = self.setting.family;
        match (kind, family) {
            (Kind::Amount, Family::Ofx) => ofx_amount(el, text, out),
            (Kind::Amount, Family::Ofc) => ofc_amount(el, text, out),
            (Kind::Date, Family::Ofx) => ofx_date(el, text, out),
            (Kind::Date, Family::Ofc) => ofc_date(el, text, out),
            (Kind::Currency, _) => self.currency(el, def, text, out),
            (Kind::Enum(values), _) => self.enumerated(el, values, text, out),
            (Kind::Bool, _) => self.enumerated(el, &["Y", "N"], text, out),
            (Kind::OfcCode(is_known, range, rule), _)
                if !is_known(text.trim()) || text.is_empty() =>
            {
                let name = el.name();
                let message = if rule == "OFC-CODE-001" {
                    format!("{name} \"{}\" is not an OFC {name} code ({range})", shown(text))
                } else {
                    format!("{name} is \"{}\"; OFC readers accept only {range}", shown(text))
                };
                out.push(rule, value_span(el), el, message);
            }
            _ => {}
        }
    }

    fn enumerated<'t>(&self, el: Element<'t>, values: &[&str], text: &str, out: &mut Findings<'t>) {
        if values.contains(&text) {
            return;
        }
        let name = el.name();
        if let Some(v) = values.iter().find(|v| v.eq_ignore_ascii_case(text.trim())) {
            out.push(
                "OFX-CODE-002",
                value_span(el),
                el,
                format!(
                    "{name} \"{}\" is written in the wrong case; the value is {v}",
                    shown(text)
                ),
            );
            return;
        }
        let spec = self.setting.schema.name();
        let list = if values.len() <= 20 {
            format!(": one of {}", values.join(", "))
        } else {
            String::new()
        };
        let message = if text.is_empty() {
            format!("{name} is empty; {spec} wants a value{list}")
        } else {
            format!("{name} \"{}\" is not a value {spec} allows{list}", shown(text))
        };
        out.push("OFX-CODE-001", value_span(el), el, message);
    }

    fn currency<'t>(&self, el: Element<'t>, def: &ElementDef, text: &str, out: &mut Findings<'t>) {
        // ISO 4217 today, or a code the profile's own list has (withdrawn ones such as DEM
        // were ISO 4217 codes when the specification was written).
        if currency::is_iso4217(text) || def.enum_values().contains(&text) {
            return;
        }
        let upper = text.trim().to_ascii_uppercase();
        if currency::is_iso4217(&upper) {
            out.push(
                "OFX-CODE-002",
                value_span(el),
                el,
                format!(
                    "{} \"{}\" is written in the wrong case; the code is {}",
                    el.name(),
                    shown(text),
                    shown(&upper)
                ),
            );
            return;
        }
        let message = if text.is_empty() {
            format!("{} is empty; it must be an ISO 4217 currency code", el.name())
        } else {
            format!("{} \"{}\" is not an ISO 4217 currency code", el.name(), shown(text))
        };
        out.push("OFX-CODE-003", value_span(el), el, message);
    }
}

/// Whether [`Values::leaf`] surely finds nothing to say about `text`, a value of `kind`
/// (`def` its element): only the plain forms, checked without reading the value; `false`
/// says nothing (the full check decides).
pub(crate) fn quiet(family: Family, kind: Kind, def: &ElementDef, text: &str) -> bool {
    match (kind, family) {
        (Kind::Amount, Family::Ofx) => plain_amount(text).is_some(),
        (Kind::Amount, Family::Ofc) => plain_amount(text).is_some_and(|f| {
            f.sign != Some(Sign::Plus) && (f.separator.is_none() || f.fraction_digits == 2)
        }),
        (Kind::Date, Family::Ofx) => plain_date(text, true),
        (Kind::Date, Family::Ofc) => plain_date(text, false),
        (Kind::Currency, _) => currency::is_iso4217(text) || def.enum_values().contains(&text),
        (Kind::Enum(values), _) => values.contains(&text),
        (Kind::Bool, _) => text == "Y" || text == "N",
        (Kind::OfcCode(is_known, _, _), _) => !text.is_empty() && is_known(text.trim()),
        (Kind::Other, _) => true,
    }
}

/// The span of a leaf's value, or of its name when the value is empty.
fn value_span(el: Element<'_>) -> Span {
    match el.text_span() {
        Some(s) if !s.is_empty() => s,
        _ => el.name_span(),
    }
}

/// The plain amount form (`[+-]digits[.,digits]`, at most 28 digits so that it surely fits
/// an exact decimal, at most 32 characters), without reading the value.
fn plain_amount(text: &str) -> Option<AmountForm> {
    let bytes = text.as_bytes();
    if bytes.len() > 32 {
        return None;
    }
    let mut form = AmountForm::default();
    let rest = match bytes.first() {
        Some(b'-') => {
            form.sign = Some(Sign::Minus);
            bytes.get(1..)?
        }
        Some(b'+') => {
            form.sign = Some(Sign::Plus);
            bytes.get(1..)?
        }
        _ => bytes,
    };
    for &b in rest {
        match b {
            b'0'..=b'9' if form.separator.is_some() => form.fraction_digits += 1,
            b'0'..=b'9' => form.integer_digits += 1,
            b'.' | b',' if form.separator.is_none() => form.separator = Some(b as char),
            _ => return None,
        }
    }
    let digits = form.integer_digits + form.fraction_digits;
    (digits > 0 && digits <= 28).then_some(form)
}

fn ofx_amount<'t>(el: Element<'t>, text: &str, out: &mut Findings<'t>) {
    if plain_amount(text).is_some() {
        return;
    }
    let name = el.name();
    match amount::parse_amount(text, Dialect::Ofx) {
        Err(e) => out.push("OFX-AMT-001", value_span(el), el, format!("<{name}>: {e}")),
        Ok(parsed) => {
            let odd: Vec<String> = parsed
                .warnings
                .iter()
                .filter(|w| !matches!(w, AmountWarning::Whitespace))
                .map(ToString::to_string)
                .collect();
            if !odd.is_empty() {
                out.push(
                    "OFX-AMT-003",
                    value_span(el),
                    el,
                    format!(
                        "amount \"{}\" is not in OFX form ({}); read as {}",
                        shown(text),
                        odd.join("; "),
                        parsed.value
                    ),
                );
            }
        }
    }
}

fn ofc_amount<'t>(el: Element<'t>, text: &str, out: &mut Findings<'t>) {
    let name = el.name();
    let form = match plain_amount(text) {
        Some(form) if form.sign != Some(Sign::Plus) => form,
        _ => match amount::parse_amount(text, Dialect::Ofc) {
            Err(e) => {
                out.push("OFC-AMT-001", value_span(el), el, format!("<{name}>: {e}"));
                return;
            }
            Ok(parsed) => {
                let mut syntax = Vec::new();
                let mut extra = Vec::new();
                for w in &parsed.warnings {
                    match w {
                        AmountWarning::Whitespace => {}
                        AmountWarning::TrailingSign
                        | AmountWarning::DoubleSign
                        | AmountWarning::SpaceAfterSign => syntax.push(w.to_string()),
                        _ => extra.push(w.to_string()),
                    }
                }
                if !syntax.is_empty() {
                    out.push(
                        "OFC-AMT-001",
                        value_span(el),
                        el,
                        format!(
                            "amount \"{}\": {}; OFC wants one leading `-`",
                            shown(text),
                            syntax.join("; ")
                        ),
                    );
                    return;
                }
                if !extra.is_empty() {
                    out.push(
                        "OFC-AMT-003",
                        value_span(el),
                        el,
                        format!("amount \"{}\": {}", shown(text), extra.join("; ")),
                    );
                }
                parsed.form
            }
        },
    };
    if form.separator.is_some() && form.fraction_digits != 2 {
        let n = form.fraction_digits;
        let s = if n == 1 { "" } else { "s" };
        out.push(
            "OFC-AMT-002",
            value_span(el),
            el,
            format!("amount \"{}\" has {n} decimal{s}; OFC requires 2", shown(text)),
        );
    }
}

/// `YYYYMMDD` or `YYYYMMDDHHMMSS` with plausible digits: the common case, checked without
/// the full reader only when it is surely valid.
fn plain_date(text: &str, ofx: bool) -> bool {
    let b = text.as_bytes();
    let b = match b.len() {
        8 | 14 => b,
        18.. if ofx && b.get(14) == Some(&b'.') => {
            // `YYYYMMDDHHMMSS.XXX`, optionally with a zone whose offset and name agree.
            let (digits, rest) = b.split_at(14);
            let millis_ok = rest.get(1..4).is_some_and(|m| m.iter().all(u8::is_ascii_digit));
            if !millis_ok || !(rest.len() == 4 || plain_zone(rest.get(4..).unwrap_or_default())) {
                return false;
            }
            digits
        }
        _ => return false,
    };
    if !b.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let n = |i: usize| b.get(i).map_or(0, |d| u32::from(d - b'0'));
    let two = |i: usize| n(i) * 10 + n(i + 1);
    let (month, day) = (two(4), two(6));
    let year = two(0) * 100 + two(2);
    let date_ok = (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month);
    let time_ok = b.len() == 8 || (two(8) < 24 && two(10) < 60 && two(12) < 60);
    date_ok && time_ok
}

/// The days of `month` (1-12) of `year` in the Gregorian calendar.
fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `[-5:EST]`, `[-4:EDT]`, `[0:GMT]`, … (the US zones and GMT/UTC, with their own offset),
/// or a bare `[-5]` of at most two digits.
fn plain_zone(zone: &[u8]) -> bool {
    let Some(inner) = zone.strip_prefix(b"[").and_then(|z| z.strip_suffix(b"]")) else {
        return false;
    };
    let (number, name) = match inner.iter().position(|&b| b == b':') {
        Some(p) => (inner.get(..p).unwrap_or_default(), inner.get(p + 1..)),
        None => (inner, None),
    };
    let (negative, digits) = match number.first() {
        Some(b'-') => (true, number.get(1..).unwrap_or_default()),
        Some(b'+') => (false, number.get(1..).unwrap_or_default()),
        _ => (false, number),
    };
    if digits.is_empty() || digits.len() > 2 || !digits.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let hours = digits.iter().fold(0i32, |acc, d| acc * 10 + i32::from(d - b'0'));
    let offset = if negative { -hours } else { hours };
    let expected = match name {
        None => return hours <= 14,
        Some(b"EST" | b"CDT") => -5,
        Some(b"EDT") => -4,
        Some(b"CST" | b"MDT") => -6,
        Some(b"MST" | b"PDT") => -7,
        Some(b"PST") => -8,
        Some(b"GMT" | b"UTC") => 0,
        Some(_) => return false,
    };
    offset == expected
}

fn ofx_date<'t>(el: Element<'t>, text: &str, out: &mut Findings<'t>) {
    if plain_date(text, true) {
        return;
    }
    let name = el.name();
    match datetime::parse_datetime(text, Dialect::Ofx) {
        Err(e) => {
            let rule = match e {
                DateError::Invalid { .. } => "OFX-DT-004",
                DateError::Zone(_) => "OFX-DT-003",
                DateError::Empty | DateError::Syntax(_) => "OFX-DT-001",
            };
            out.push(rule, value_span(el), el, format!("<{name}>: {e}"));
        }
        Ok(parsed) => {
            let mut precision = Vec::new();
            let mut zone = Vec::new();
            for w in &parsed.warnings {
                match w {
                    DateWarning::ShortTime
                    | DateWarning::OddFraction(_)
                    | DateWarning::TrailingText(_)
                    | DateWarning::LeapSecond => precision.push(w.to_string()),
                    DateWarning::OffsetFromName(_)
                    | DateWarning::UnknownZoneName(_)
                    | DateWarning::OffsetNameMismatch(_)
                    | DateWarning::FractionalOffset(_)
                    | DateWarning::OffsetWithMinutes(_) => zone.push(w.to_string()),
                    DateWarning::OtherDateForm(_) => {
                        out.push(
                            "OFX-DT-001",
                            value_span(el),
                            el,
                            format!("<{name}>: {w}; OFX dates are YYYYMMDD[HHMMSS[.XXX]]"),
                        );
                    }
                    _ => {}
                }
            }
            if !precision.is_empty() {
                out.push(
                    "OFX-DT-002",
                    value_span(el),
                    el,
                    format!("date \"{}\": {}", shown(text), precision.join("; ")),
                );
            }
            if !zone.is_empty() {
                out.push(
                    "OFX-DT-005",
                    value_span(el),
                    el,
                    format!("date \"{}\": {}", shown(text), zone.join("; ")),
                );
            }
        }
    }
}

fn ofc_date<'t>(el: Element<'t>, text: &str, out: &mut Findings<'t>) {
    if plain_date(text, false) {
        return;
    }
    let name = el.name();
    match datetime::parse_datetime(text, Dialect::Ofc) {
        Err(DateError::Invalid { raw, what }) => {
            out.push("OFC-DT-004", value_span(el), el, format!("<{name}>: \"{}\": {what}", raw));
        }
        Err(e) => out.push("OFC-DT-001", value_span(el), el, format!("<{name}>: {e}")),
        Ok(parsed) if !parsed.warnings.is_empty() => out.push(
            "OFC-DT-001",
            value_span(el),
            el,
            format!("date \"{}\" is not YYYYMMDD or YYYYMMDDHHMMSS", shown(text)),
        ),
        Ok(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_amounts_are_recognised_without_reading() {
        for (text, plain) in [
            ("-12.50", true),
            ("+5", true),
            ("1,23", true),
            (".5", true),
            ("5.", true),
            ("", false),
            ("-", false),
            ("1.2.3", false),
            ("$1", false),
            ("1e5", false),
            ("12345678901234567890123456789", false),
        ] {
            assert_eq!(plain_amount(text).is_some(), plain, "{text:?}");
        }
        let f = plain_amount("-1234,5").unwrap();
        assert_eq!((f.integer_digits, f.fraction_digits, f.separator), (4, 1, Some(',')));
    }

    #[test]
    fn plain_dates_are_only_surely_valid_ones() {
        for (text, plain) in [
            ("20240115", true),
            ("20240115235959", true),
            ("20240130", true),
            ("20240229", true),
            ("20230229", false),
            ("20000229", true),
            ("19000229", false),
            ("20240431", false),
            ("20241231", true),
            ("20240100", false),
            ("20241301", false),
            ("20240115240000", false),
            ("2024011512", false),
            ("20240115120000.000", true),
            ("20240115120000.000[-5:EST]", true),
            ("20240115120000.000[-4:EDT]", true),
            ("20240115120000.000[0:GMT]", true),
            ("20240115120000.000[-5]", true),
            ("20240115120000.000[-3:GMT]", false),
            ("20240115120000.000[-5:EST", false),
            ("20240115120000.000[-5:XYZ]", false),
            ("20240115120000.000[-:EST]", false),
            ("20240115120000.00", false),
            ("20240115120000.000[99]", false),
        ] {
            assert_eq!(plain_date(text, true), plain, "{text:?}");
            if text.len() > 14 {
                assert!(!plain_date(text, false), "{text:?} is no OFC date");
            }
        }
    }

    /// Every day a plain date takes, the full readers take without a remark (and the
    /// impossible ones are not plain): in years with and without 29 February, and year 0.
    #[test]
    fn plain_dates_agree_with_the_full_readers() {
        for year in [0, 1, 1900, 2000, 2023, 2024, 9999] {
            for month in 0..=13 {
                for day in 0..=32 {
                    for text in [
                        format!("{year:04}{month:02}{day:02}"),
                        format!("{year:04}{month:02}{day:02}235959.000[-5:EST]"),
                    ] {
                        for (ofx, dialect) in [(true, Dialect::Ofx), (false, Dialect::Ofc)] {
                            if !plain_date(&text, ofx) {
                                continue;
                            }
                            let parsed = datetime::parse_datetime(&text, dialect);
                            assert!(
                                parsed.as_ref().is_ok_and(|p| p.warnings.is_empty()),
                                "{text:?} ({dialect:?}): {parsed:?}"
                            );
                        }
                    }
                    let real = chrono::NaiveDate::from_ymd_opt(year, month, day).is_some();
                    let text = format!("{year:04}{month:02}{day:02}");
                    assert_eq!(plain_date(&text, true), real, "{text}");
                }
            }
        }
    }
}
