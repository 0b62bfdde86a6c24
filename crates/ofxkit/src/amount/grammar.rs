//! The amount grammars written as nom combinators: what a reader learns the forms from, and
//! the reference the hand-written scanners of [`super`] are proven equal to (the proptests
//! below, on arbitrary text and on text made of the grammar's own characters).
//!
//! The scanners stay on the hot path: they run once per amount of every row written, one
//! pass over the bytes with no combinator state, and these grammars were not measured
//! against them (the issue asks for nom only where it costs nothing measurable; this is kept
//! to the tests until a measurement says otherwise).
//!
//! ```text
//! strict    = sign? digit* (mark digit*)?      with at least one digit
//! sign      = "+" | "-"
//! mark      = "." | ","
//! canonical = "-"? ("0" | [1-9] digit*) ("." digit+)?
//!             with at most 28 digits, and not a negative zero
//! ```

use nom::branch::alt;
use nom::bytes::complete::{tag, take_while, take_while1};
use nom::character::complete::{one_of, satisfy};
use nom::combinator::{all_consuming, opt, recognize};
use nom::sequence::preceded;
use nom::{IResult, Parser};

use super::{AmountForm, Sign};

fn digits0(s: &str) -> IResult<&str, &str> {
    take_while(|c: char| c.is_ascii_digit())(s)
}

fn digits1(s: &str) -> IResult<&str, &str> {
    take_while1(|c: char| c.is_ascii_digit())(s)
}

/// `sign? digit* (mark digit*)?`, at least one digit: the form of a strict OFX amount (the
/// value aside), or `None`.
pub(super) fn strict_form(raw: &str) -> Option<AmountForm> {
    let sign = opt(one_of("+-"));
    let fraction = opt((one_of(".,"), digits0));
    let (_, (sign, integer, fraction)) =
        all_consuming((sign, digits0, fraction)).parse(raw).ok()?;
    let fraction_digits = fraction.map_or(0, |(_, d)| d.len());
    if integer.len() + fraction_digits == 0 {
        return None;
    }
    Some(AmountForm {
        sign: sign.map(|c| if c == '-' { Sign::Minus } else { Sign::Plus }),
        separator: fraction.map(|(mark, _)| mark),
        integer_digits: integer.len() as u32,
        fraction_digits: fraction_digits as u32,
        ..AmountForm::default()
    })
}

/// `-? ("0" | [1-9] digit*) ("." digit+)?`, at most 28 digits, not a negative zero: an
/// amount a row may show as it is written (see [`super::is_canonical`]).
pub(super) fn canonical(raw: &str) -> bool {
    let integer = alt((tag("0"), recognize((satisfy(|c| matches!(c, '1'..='9')), digits0))));
    let fraction = opt(preceded(tag("."), digits1));
    let Ok((_, (minus, integer, fraction))) =
        all_consuming((opt(tag("-")), integer, fraction)).parse(raw)
    else {
        return false;
    };
    let digits = integer.len() + fraction.map_or(0, str::len);
    let zero = integer == "0" && fraction.is_none_or(|f| f.bytes().all(|b| b == b'0'));
    digits <= 28 && !(minus.is_some() && zero)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]

        #[test]
        fn the_strict_grammar_is_the_scanner(raw in "[-+0-9.,]{0,40}|\\PC{0,8}") {
            // The scanner takes the same texts, and gives the same form with each value
            // it reads (a text too long or too large gives an error of that form).
            let scanned = super::super::strict(&raw);
            let grammar = strict_form(&raw);
            prop_assert_eq!(scanned.is_some(), grammar.is_some(), "{:?}", raw);
            if let (Some(Ok(p)), Some(form)) = (scanned, grammar) {
                prop_assert_eq!(p.form, form, "{:?}", raw);
            }
        }

        #[test]
        fn the_canonical_grammar_is_the_scanner(raw in "-?[0-9.]{0,31}|\\PC{0,8}") {
            prop_assert_eq!(canonical(&raw), super::super::is_canonical(&raw), "{:?}", raw);
        }
    }

    #[test]
    fn the_grammars_on_chosen_cases() {
        for (raw, strict, canon) in [
            ("-12.50", true, true),
            ("+3", true, false),
            ("1,5", true, false),
            (".5", true, false),
            ("5.", true, false),
            ("-0", true, false),
            ("-0.00", true, false),
            ("0.00", true, true),
            ("007", true, false),
            ("", false, false),
            ("-", false, false),
            (".", false, false),
            ("1.2.3", false, false),
            ("1 000", false, false),
            ("12345678901234567890123456789", true, false),
        ] {
            assert_eq!(strict_form(raw).is_some(), strict, "{raw:?}");
            assert_eq!(canonical(raw), canon, "{raw:?}");
            assert_eq!(super::super::is_canonical(raw), canon, "{raw:?}");
        }
    }
}
