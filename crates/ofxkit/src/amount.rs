//! Amounts: exact decimals from OFX and OFC text, never floats.
//!
//! The strict path is the OFX 2.2 `AmountType` lexical form (`[+-]digits`, one `.` or `,`
//! decimal mark, at most 32 characters), read with `Decimal::from_str_exact`, so `1e5`,
//! `1_000` and 30-digit numbers are errors, never silently different values. Real files
//! also carry `$120`, `R$ 5.326,43`, `1,234.56`, `12.50-` and `--10081.88`: those are read
//! with a warning that says what was assumed. What stays ambiguous is an error.
//!
//! Signs, exactly: one leading `+` or `-` (the strict form); a doubled leading `--` (read
//! as one minus, `W-AMOUNT-DOUBLE-SIGN`); one trailing `-` (`12.50-`,
//! `W-AMOUNT-TRAILING-SIGN`); a `-` after a currency symbol (`$-1`); blanks between a
//! leading sign and the digits (`- 1`, `W-AMOUNT-SPACE-AFTER-SIGN`). Any other combination
//! says two things at once and is `E-AMOUNT-SYNTAX`: `+-1`, `-+1`, `++1`, `+1-`, `-1-`,
//! `---1`, `--1-`, `+$-1`.
//!
//! ```
//! use ofxkit::amount::{parse_amount, Dialect};
//! let a = parse_amount("-200,00", Dialect::Ofx).unwrap();
//! assert_eq!(a.value.to_string(), "-200.00");
//! assert!(a.warnings.is_empty());
//! let b = parse_amount("R$ 5.326,43", Dialect::Ofx).unwrap();
//! assert_eq!(b.value.to_string(), "5326.43");
//! assert_eq!(b.warnings.iter().map(|w| w.code()).collect::<Vec<_>>(), ["W-AMOUNT-CURRENCY-SYMBOL", "W-AMOUNT-GROUPING"]);
//! assert_eq!(parse_amount("1e5", Dialect::Ofx).unwrap_err().code(), "E-AMOUNT-SYNTAX");
//! ```

use std::fmt;

use rust_decimal::Decimal;

/// Which specification's rules apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// OFX 1.x/2.x and QFX.
    Ofx,
    /// Microsoft OFC.
    Ofc,
}

/// An explicit sign.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sign {
    /// `+`.
    Plus,
    /// `-`.
    Minus,
}

/// The lexical facts of an amount as written, for validators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AmountForm {
    /// A sign written before the digits.
    pub sign: Option<Sign>,
    /// The decimal mark, `.` or `,`.
    pub separator: Option<char>,
    /// Digits after the decimal mark.
    pub fraction_digits: u32,
    /// Digits before the decimal mark.
    pub integer_digits: u32,
    /// Blanks around the text.
    pub had_surrounding_whitespace: bool,
    /// The strict OFX form was not met; the value came from a recovery (see the warnings).
    pub recovered: bool,
}

/// An amount read from text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedAmount {
    /// The exact value.
    pub value: Decimal,
    /// How it was written.
    pub form: AmountForm,
    /// What was assumed to read it.
    pub warnings: Vec<AmountWarning>,
}

/// A recovery: the value was read, and this is what was assumed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AmountWarning {
    /// Blanks around the amount were ignored.
    Whitespace,
    /// A currency symbol (`$`, `R$`, `€`…) was ignored.
    CurrencySymbol(String),
    /// Grouping separators were read as such (`5.326,43` → 5326.43).
    Grouping {
        /// The separator taken as grouping.
        group: char,
        /// The one taken as decimal mark, if any.
        decimal: Option<char>,
    },
    /// A sign after the digits (`12.50-`).
    TrailingSign,
    /// A doubled sign (`--10081.88`) read as one.
    DoubleSign,
    /// A `+` in an OFC amount (OFC has no `+`).
    PlusInOfc,
    /// Blanks between the sign and the digits (`- 12.50`) were ignored.
    SpaceAfterSign,
}

impl AmountWarning {
    /// Stable code.
    pub fn code(&self) -> &'static str {
        match self {
            AmountWarning::Whitespace => "W-AMOUNT-WHITESPACE",
            AmountWarning::CurrencySymbol(_) => "W-AMOUNT-CURRENCY-SYMBOL",
            AmountWarning::Grouping { .. } => "W-AMOUNT-GROUPING",
            AmountWarning::TrailingSign => "W-AMOUNT-TRAILING-SIGN",
            AmountWarning::DoubleSign => "W-AMOUNT-DOUBLE-SIGN",
            AmountWarning::PlusInOfc => "W-AMOUNT-PLUS-IN-OFC",
            AmountWarning::SpaceAfterSign => "W-AMOUNT-SPACE-AFTER-SIGN",
        }
    }
}

impl fmt::Display for AmountWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AmountWarning::Whitespace => f.write_str("blanks around the amount ignored"),
            AmountWarning::CurrencySymbol(s) => write!(f, "currency symbol \"{s}\" ignored"),
            AmountWarning::Grouping { group, decimal: Some(d) } => {
                write!(
                    f,
                    "\"{group}\" read as a thousands separator and \"{d}\" as the decimal mark"
                )
            }
            AmountWarning::Grouping { group, decimal: None } => {
                write!(f, "\"{group}\" read as a thousands separator")
            }
            AmountWarning::TrailingSign => f.write_str("sign after the digits moved before them"),
            AmountWarning::DoubleSign => f.write_str("doubled minus sign read as one"),
            AmountWarning::PlusInOfc => f.write_str("OFC amounts have no `+`; read as positive"),
            AmountWarning::SpaceAfterSign => {
                f.write_str("blank between the sign and the digits ignored")
            }
        }
    }
}

/// The text as a message quotes it: control characters escaped, cut to
/// [`SHOWN_CHARS`](ofxkit_syntax::SHOWN_CHARS) characters (see [`ofxkit_syntax::shown`]).
fn quoted(text: &str) -> String {
    ofxkit_syntax::shown(text).into_owned()
}

/// Most characters a lenient amount (symbols, grouping, blanks) can have.
const MAX_LENIENT: usize = 64;

/// Why an amount could not be read. The texts the variants hold are the file's, as a
/// message may quote them: control characters escaped and cut after
/// [`SHOWN_CHARS`](ofxkit_syntax::SHOWN_CHARS) characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AmountError {
    /// Nothing there.
    Empty,
    /// Not an amount (`1e5`, `NaN`, `12a`, two decimal marks).
    Syntax(String),
    /// More digits than an exact decimal holds (28–29 significant digits).
    Overflow(String),
    /// More than 32 characters (OFX 2.2 `AmountType`).
    TooLong(usize),
    /// Could be read two ways (`1.234,5.6`, mixed groupings).
    Ambiguous(String),
}

impl AmountError {
    /// Stable code.
    pub fn code(&self) -> &'static str {
        match self {
            AmountError::Empty => "E-AMOUNT-EMPTY",
            AmountError::Syntax(_) => "E-AMOUNT-SYNTAX",
            AmountError::Overflow(_) => "E-AMOUNT-OVERFLOW",
            AmountError::TooLong(_) => "E-AMOUNT-TOO-LONG",
            AmountError::Ambiguous(_) => "E-AMOUNT-AMBIGUOUS",
        }
    }
}

impl fmt::Display for AmountError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AmountError::Empty => f.write_str("amount is empty"),
            AmountError::Syntax(raw) => write!(f, "\"{raw}\" is not an amount"),
            AmountError::Overflow(raw) => {
                write!(f, "\"{raw}\" has more digits than an exact decimal can hold")
            }
            AmountError::TooLong(n) => {
                write!(f, "amount of {n} characters; OFX allows at most 32")
            }
            AmountError::Ambiguous(raw) => {
                write!(f, "\"{raw}\" can be read more than one way (which mark is the decimal?)")
            }
        }
    }
}

impl std::error::Error for AmountError {}

/// The amount grammars as nom combinators, the reference these scanners are proven equal
/// to (tests only: see its doc for why the scanners stay on the hot path).
#[cfg(test)]
mod grammar;

/// Reads an amount.
pub fn parse_amount(raw: &str, dialect: Dialect) -> Result<ParsedAmount, AmountError> {
    // Fast path: the plain form every generated file and most banks use.
    if let Some(parsed) = strict(raw) {
        let mut parsed = parsed?;
        if dialect == Dialect::Ofc && parsed.form.sign == Some(Sign::Plus) {
            parsed.warnings.push(AmountWarning::PlusInOfc);
        }
        return Ok(parsed);
    }
    lenient(raw, dialect)
}

/// The strict OFX form, or `None` when the text is not of that shape.
fn strict(raw: &str) -> Option<Result<ParsedAmount, AmountError>> {
    let bytes = raw.as_bytes();
    let mut form = AmountForm::default();
    let mut i = 0;
    match bytes.first() {
        Some(b'-') => {
            form.sign = Some(Sign::Minus);
            i = 1;
        }
        Some(b'+') => {
            form.sign = Some(Sign::Plus);
            i = 1;
        }
        _ => {}
    }
    let mut digits = 0u32;
    for &b in bytes.get(i..)? {
        match b {
            b'0'..=b'9' => {
                digits += 1;
                if form.separator.is_some() {
                    form.fraction_digits += 1;
                } else {
                    form.integer_digits += 1;
                }
            }
            b'.' | b',' if form.separator.is_none() => form.separator = Some(b as char),
            _ => return None,
        }
    }
    if digits == 0 {
        return None;
    }
    if raw.len() > 32 {
        return Some(Err(AmountError::TooLong(raw.len())));
    }
    Some(exact(raw, form, Vec::new()))
}

/// Converts a checked text: one optional decimal mark, digits, optional leading sign.
fn exact(
    text: &str,
    form: AmountForm,
    warnings: Vec<AmountWarning>,
) -> Result<ParsedAmount, AmountError> {
    let normalised: std::borrow::Cow<'_, str> = match form.separator {
        Some(',') => text.replace(',', ".").into(),
        _ => text.into(),
    };
    let mut t: &str = normalised.as_ref();
    // rust_decimal rejects a leading `+` and a bare trailing `.` in some versions; handle
    // both ourselves.
    let negative = t.starts_with('-');
    if let Some(rest) = t.strip_prefix(['+', '-']) {
        t = rest;
    }
    let t = t.strip_suffix('.').unwrap_or(t);
    let t = if t.starts_with('.') { format!("0{t}") } else { t.to_owned() };
    match Decimal::from_str_exact(&t) {
        Ok(mut v) => {
            if negative {
                v.set_sign_negative(true);
            }
            if v.is_zero() {
                v.set_sign_positive(true);
            }
            Ok(ParsedAmount { value: v, form, warnings })
        }
        Err(_) => Err(AmountError::Overflow(quoted(text))),
    }
}

const SYMBOLS: [&str; 8] = ["US$", "R$", "A$", "C$", "$", "€", "£", "¥"];

fn lenient(raw: &str, dialect: Dialect) -> Result<ParsedAmount, AmountError> {
    let mut warnings = Vec::new();
    let mut form = AmountForm::default();
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(AmountError::Empty);
    }
    if trimmed.len() > MAX_LENIENT {
        return Err(AmountError::TooLong(trimmed.chars().count()));
    }
    if trimmed.len() != raw.len() {
        form.had_surrounding_whitespace = true;
        warnings.push(AmountWarning::Whitespace);
    }
    let mut s = trimmed.to_owned();
    // Signs: leading, doubled, or trailing.
    let mut negative = false;
    let mut explicit_plus = false;
    if let Some(rest) = s.strip_prefix("--") {
        warnings.push(AmountWarning::DoubleSign);
        negative = true;
        s = rest.to_owned();
    } else if let Some(rest) = s.strip_prefix('-') {
        negative = true;
        s = rest.to_owned();
    } else if let Some(rest) = s.strip_prefix('+') {
        explicit_plus = true;
        s = rest.to_owned();
    }
    if (negative || explicit_plus) && s.starts_with(char::is_whitespace) {
        warnings.push(AmountWarning::SpaceAfterSign);
        s = s.trim_start().to_owned();
    }
    // Currency symbols, before or after the sign.
    for sym in SYMBOLS {
        if let Some(rest) = s.strip_prefix(sym) {
            warnings.push(AmountWarning::CurrencySymbol(sym.to_owned()));
            s = rest.trim_start().to_owned();
            break;
        }
        if let Some(rest) = s.strip_suffix(sym) {
            warnings.push(AmountWarning::CurrencySymbol(sym.to_owned()));
            s = rest.trim_end().to_owned();
            break;
        }
    }
    // A sign after the currency symbol (`$-1`): only when none came before it (`+$-1`,
    // `-$-1` and `+-1` say two things at once).
    if let Some(rest) = s.strip_prefix('-') {
        if negative || explicit_plus {
            return Err(AmountError::Syntax(quoted(raw)));
        }
        negative = true;
        s = rest.to_owned();
    }
    if let Some(rest) = s.strip_suffix('-') {
        if negative || explicit_plus {
            return Err(AmountError::Syntax(quoted(raw)));
        }
        warnings.push(AmountWarning::TrailingSign);
        negative = true;
        s = rest.trim_end().to_owned();
    }
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b',' | b' ')) {
        return Err(AmountError::Syntax(quoted(raw)));
    }
    if !s.bytes().any(|b| b.is_ascii_digit()) {
        return Err(AmountError::Syntax(quoted(raw)));
    }
    // Separators: find which is decimal.
    let dots = s.matches('.').count();
    let commas = s.matches(',').count();
    let spaces = s.matches(' ').count();
    let (group, decimal): (Option<char>, Option<char>) = match (dots, commas, spaces) {
        (0, 0, 0) => (None, None),
        (1, 0, 0) => (None, Some('.')),
        (0, 1, 0) => (None, Some(',')),
        (0, 0, _) => (Some(' '), None),
        (_, 0, 0) => (Some('.'), None),
        (0, _, 0) => (Some(','), None),
        (1, _, 0) if s.rfind('.') > s.rfind(',') => (Some(','), Some('.')),
        (_, 1, 0) if s.rfind(',') > s.rfind('.') => (Some('.'), Some(',')),
        (1, 0, _) => (Some(' '), Some('.')),
        (0, 1, _) => (Some(' '), Some(',')),
        _ => return Err(AmountError::Ambiguous(quoted(raw))),
    };
    let (int_part, frac_part) = match decimal {
        Some(d) => match s.rsplit_once(d) {
            Some((a, b)) => (a.to_owned(), Some(b.to_owned())),
            None => (s.clone(), None),
        },
        None => (s.clone(), None),
    };
    let mut digits = int_part.clone();
    if let Some(g) = group {
        let groups: Vec<&str> = int_part.split(g).collect();
        let well_formed = groups.len() > 1
            && groups.first().is_some_and(|f| (1..=3).contains(&f.len()))
            && groups.iter().skip(1).all(|x| x.len() == 3);
        if !well_formed {
            return Err(AmountError::Ambiguous(quoted(raw)));
        }
        digits = groups.concat();
        warnings.push(AmountWarning::Grouping { group: g, decimal });
    }
    if frac_part.as_ref().is_some_and(|f| f.contains(['.', ',', ' '])) {
        return Err(AmountError::Ambiguous(quoted(raw)));
    }
    form.sign = if negative {
        Some(Sign::Minus)
    } else if explicit_plus {
        Some(Sign::Plus)
    } else {
        None
    };
    if explicit_plus && dialect == Dialect::Ofc {
        warnings.push(AmountWarning::PlusInOfc);
    }
    form.separator = decimal;
    form.integer_digits = digits.len() as u32;
    form.fraction_digits = frac_part.as_ref().map_or(0, |f| f.len() as u32);
    form.recovered = true;
    let mut text = String::new();
    if negative {
        text.push('-');
    }
    text.push_str(&digits);
    if let Some(f) = frac_part {
        text.push('.');
        text.push_str(&f);
    }
    let mut parsed =
        exact(&text, AmountForm { separator: decimal.map(|_| '.'), ..form }, warnings)?;
    parsed.form = form;
    Ok(parsed)
}

/// True for `-?(0|[1-9][0-9]*)(\.[0-9]+)?` with at most 28 digits and not a negative zero:
/// text that [`parse_amount`] reads without a remark and `Decimal`'s display gives back
/// unchanged, so a row may show it as it is (the rows written from the tree do).
pub(crate) fn is_canonical(raw: &str) -> bool {
    let b = raw.as_bytes();
    let negative = b.first() == Some(&b'-');
    let unsigned = b.get(usize::from(negative)..).unwrap_or_default();
    // One pass: where the `.` is, and whether a digit is not 0.
    let mut dot = None;
    let mut nonzero = false;
    for (i, &c) in unsigned.iter().enumerate() {
        match c {
            b'0' => {}
            b'1'..=b'9' => nonzero = true,
            b'.' if dot.is_none() => dot = Some(i),
            _ => return false,
        }
    }
    let (int_len, digits) = match dot {
        // Digits on both sides of the `.`.
        Some(p) if p == 0 || p + 1 == unsigned.len() => return false,
        Some(p) => (p, unsigned.len() - 1),
        None if unsigned.is_empty() => return false,
        None => (unsigned.len(), unsigned.len()),
    };
    let leading_zero = int_len > 1 && unsigned.first() == Some(&b'0');
    !leading_zero && digits <= 28 && (nonzero || !negative)
}

/// What [`plain_digits`] reads: the sign, the digits as one integer, how many digits and how
/// many of them after the `.`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PlainDigits {
    /// A leading `-`.
    pub(crate) negative: bool,
    /// Every digit, the `.` left out.
    pub(crate) mantissa: i128,
    /// How many digits.
    pub(crate) digits: u32,
    /// How many digits after the `.`.
    pub(crate) decimals: u32,
}

/// Text of the form `-?[0-9.]+` with at most one `.` and at most 36 digits, read without
/// the general reader (for texts already known to be amounts, e.g. [`is_canonical`] ones);
/// `None` for any other text.
#[inline(always)]
pub(crate) fn plain_digits(text: &str) -> Option<PlainDigits> {
    let b = text.as_bytes();
    let (negative, rest) = match b.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, b),
    };
    if rest.is_empty() {
        return None;
    }
    let mut p = PlainDigits { negative, mantissa: 0, digits: 0, decimals: 0 };
    let mut point = false;
    for &d in rest {
        match d {
            b'0'..=b'9' => {
                p.mantissa = p.mantissa * 10 + i128::from(d - b'0');
                p.digits += 1;
                p.decimals += u32::from(point);
                if p.digits > 36 {
                    return None;
                }
            }
            b'.' if !point => point = true,
            _ => return None,
        }
    }
    Some(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (input, dialect, value or error code, warning codes)
    #[test]
    fn table() {
        use Dialect::{Ofc, Ofx};
        type Case =
            (&'static str, Dialect, Result<&'static str, &'static str>, &'static [&'static str]);
        let cases: &[Case] = &[
            ("-12.50", Ofx, Ok("-12.50"), &[]),
            ("+5", Ofx, Ok("5"), &[]),
            ("+5", Ofc, Ok("5"), &["W-AMOUNT-PLUS-IN-OFC"]),
            (".5", Ofx, Ok("0.5"), &[]),
            ("5.", Ofx, Ok("5"), &[]),
            ("-0", Ofx, Ok("0"), &[]),
            ("-0.00", Ofx, Ok("0.00"), &[]),
            ("1,23", Ofx, Ok("1.23"), &[]),
            ("-200,00", Ofx, Ok("-200.00"), &[]),
            ("1,234", Ofx, Ok("1.234"), &[]),
            ("1.234,56", Ofx, Ok("1234.56"), &["W-AMOUNT-GROUPING"]),
            ("1,234.56", Ofx, Ok("1234.56"), &["W-AMOUNT-GROUPING"]),
            ("1 234,56", Ofx, Ok("1234.56"), &["W-AMOUNT-GROUPING"]),
            ("1.234.567", Ofx, Ok("1234567"), &["W-AMOUNT-GROUPING"]),
            ("R$ 5.326,43", Ofx, Ok("5326.43"), &["W-AMOUNT-CURRENCY-SYMBOL", "W-AMOUNT-GROUPING"]),
            ("$120", Ofx, Ok("120"), &["W-AMOUNT-CURRENCY-SYMBOL"]),
            ("-$120.00", Ofx, Ok("-120.00"), &["W-AMOUNT-CURRENCY-SYMBOL"]),
            (" 12.5 ", Ofx, Ok("12.5"), &["W-AMOUNT-WHITESPACE"]),
            ("12.50-", Ofx, Ok("-12.50"), &["W-AMOUNT-TRAILING-SIGN"]),
            ("--10081.88", Ofc, Ok("-10081.88"), &["W-AMOUNT-DOUBLE-SIGN"]),
            ("12345678901234567.89", Ofx, Ok("12345678901234567.89"), &[]),
            ("79228162514264337593543950335", Ofx, Ok("79228162514264337593543950335"), &[]),
            ("", Ofx, Err("E-AMOUNT-EMPTY"), &[]),
            ("   ", Ofx, Err("E-AMOUNT-EMPTY"), &[]),
            ("1e5", Ofx, Err("E-AMOUNT-SYNTAX"), &[]),
            ("1_000", Ofx, Err("E-AMOUNT-SYNTAX"), &[]),
            ("NaN", Ofx, Err("E-AMOUNT-SYNTAX"), &[]),
            (")", Ofx, Err("E-AMOUNT-SYNTAX"), &[]),
            ("--1-", Ofx, Err("E-AMOUNT-SYNTAX"), &[]),
            ("+-1", Ofx, Err("E-AMOUNT-SYNTAX"), &[]),
            ("+-1", Ofc, Err("E-AMOUNT-SYNTAX"), &[]),
            ("-+1", Ofx, Err("E-AMOUNT-SYNTAX"), &[]),
            ("++1", Ofx, Err("E-AMOUNT-SYNTAX"), &[]),
            ("+--1", Ofx, Err("E-AMOUNT-SYNTAX"), &[]),
            ("---1", Ofx, Err("E-AMOUNT-SYNTAX"), &[]),
            ("--+1", Ofx, Err("E-AMOUNT-SYNTAX"), &[]),
            ("+1-", Ofx, Err("E-AMOUNT-SYNTAX"), &[]),
            ("-1-", Ofx, Err("E-AMOUNT-SYNTAX"), &[]),
            ("1--", Ofx, Err("E-AMOUNT-SYNTAX"), &[]),
            ("+$-1", Ofx, Err("E-AMOUNT-SYNTAX"), &[]),
            ("-$-1", Ofx, Err("E-AMOUNT-SYNTAX"), &[]),
            ("$+1", Ofx, Err("E-AMOUNT-SYNTAX"), &[]),
            ("+ -1", Ofx, Err("E-AMOUNT-SYNTAX"), &[]),
            ("1-2", Ofx, Err("E-AMOUNT-SYNTAX"), &[]),
            ("1+", Ofx, Err("E-AMOUNT-SYNTAX"), &[]),
            ("+", Ofx, Err("E-AMOUNT-SYNTAX"), &[]),
            ("-.", Ofx, Err("E-AMOUNT-SYNTAX"), &[]),
            ("1-", Ofx, Ok("-1"), &["W-AMOUNT-TRAILING-SIGN"]),
            ("1 -", Ofx, Ok("-1"), &["W-AMOUNT-TRAILING-SIGN"]),
            ("$-1", Ofx, Ok("-1"), &["W-AMOUNT-CURRENCY-SYMBOL"]),
            ("--1", Ofx, Ok("-1"), &["W-AMOUNT-DOUBLE-SIGN"]),
            ("- 1", Ofx, Ok("-1"), &["W-AMOUNT-SPACE-AFTER-SIGN"]),
            ("+ 1", Ofx, Ok("1"), &["W-AMOUNT-SPACE-AFTER-SIGN"]),
            ("- $1", Ofx, Ok("-1"), &["W-AMOUNT-SPACE-AFTER-SIGN", "W-AMOUNT-CURRENCY-SYMBOL"]),
            ("-", Ofx, Err("E-AMOUNT-SYNTAX"), &[]),
            ("123456789012345678901234567890", Ofx, Err("E-AMOUNT-OVERFLOW"), &[]),
            ("1.0000000000000000000000000000001", Ofx, Err("E-AMOUNT-TOO-LONG"), &[]),
            ("0.00000000000000000000000000001", Ofx, Err("E-AMOUNT-OVERFLOW"), &[]),
            ("1.2.3,4", Ofx, Err("E-AMOUNT-AMBIGUOUS"), &[]),
            ("12,34,5", Ofx, Err("E-AMOUNT-AMBIGUOUS"), &[]),
            ("1,2345.6", Ofx, Err("E-AMOUNT-AMBIGUOUS"), &[]),
        ];
        for (input, dialect, expect, warns) in cases {
            let got = parse_amount(input, *dialect);
            match (expect, &got) {
                (Ok(v), Ok(p)) => {
                    assert_eq!(p.value.to_string(), *v, "{input:?}");
                    let codes: Vec<&str> = p.warnings.iter().map(AmountWarning::code).collect();
                    assert_eq!(codes, *warns, "{input:?}");
                }
                (Err(c), Err(e)) => assert_eq!(e.code(), *c, "{input:?}"),
                _ => panic!("{input:?}: expected {expect:?}, got {got:?}"),
            }
        }
    }

    /// The OFX 2.2 `AmountType` pattern, `[+-]?[0-9]*(([0-9][,.]?)|([,.][0-9]))[0-9]*`,
    /// read literally: a sign, then digits with at most one mark and at least one digit.
    fn amount_type(text: &str) -> bool {
        let body = text.strip_prefix(['+', '-']).unwrap_or(text);
        let marks = body.bytes().filter(|b| matches!(b, b'.' | b',')).count();
        let digits = body.bytes().filter(u8::is_ascii_digit).count();
        marks <= 1 && digits >= 1 && digits + marks == body.len()
    }

    /// Every text of up to five characters over signs, digits, marks, a blank and `$`:
    /// read without a warning exactly when it is the schema's form, and never read when it
    /// holds two signs that disagree (or two where one is not the doubled `--`).
    #[test]
    fn every_short_text_is_the_pattern_or_a_finding() {
        const ALPHABET: &[u8] = b"+-1.,$ ";
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
        for text in &all {
            for dialect in [Dialect::Ofx, Dialect::Ofc] {
                let got = parse_amount(text, dialect);
                let clean = got.as_ref().is_ok_and(|p| {
                    p.warnings.iter().all(|w| matches!(w, AmountWarning::PlusInOfc))
                });
                assert_eq!(clean, amount_type(text), "{text:?} {dialect:?}: {got:?}");
                let plus = text.matches('+').count();
                let minus = text.matches('-').count();
                if let Ok(p) = &got {
                    let doubled = text.trim_start().starts_with("--");
                    assert!(plus + minus <= 1 || (doubled && minus == 2 && plus == 0), "{text:?}");
                    assert_eq!(p.value.is_sign_negative(), minus > 0 && !p.value.is_zero());
                }
            }
        }
    }

    #[test]
    fn form_facts() {
        let p = parse_amount("-1234,5", Dialect::Ofc).unwrap();
        assert_eq!(
            (p.form.sign, p.form.separator, p.form.integer_digits, p.form.fraction_digits),
            (Some(Sign::Minus), Some(','), 4, 1)
        );
        assert!(!p.form.recovered);
        let p = parse_amount("1.234,56", Dialect::Ofc).unwrap();
        assert!(p.form.recovered);
        assert_eq!(p.form.fraction_digits, 2);
    }

    #[test]
    fn hostile_inputs_do_not_panic() {
        let long = "9".repeat(1 << 20);
        for s in [
            long.as_str(),
            "\0",
            "é",
            "٣",
            "1\u{a0}000",
            "$",
            "R$",
            "--",
            "+-1",
            ",",
            ".",
            ", ",
            "1,,2",
        ] {
            let _ = parse_amount(s, Dialect::Ofx);
            let _ = parse_amount(s, Dialect::Ofc);
        }
    }

    /// Whenever an amount is taken as canonical, it is the general reader's value as written.
    #[test]
    fn canonical_amounts_match_the_general_reader() {
        let cases = [
            "0",
            "-0",
            "0.00",
            "-0.00",
            "-0.01",
            "12.50",
            "-12.50",
            "+12.50",
            "012",
            "1.",
            ".5",
            "1,50",
            "100",
            "-100",
            "1e5",
            "1.2.3",
            "",
            "-",
            "9999999999999999999999999999",
            "99999999999999999999999999999",
            "1.0000000000000000000000000000",
            "00",
            "-05.5",
            "1..2",
            "-.5",
            "--1",
            "-",
            "1.2-",
            "+-1",
            "-+1",
            "+1-",
            "1-",
            "- 1",
            "+$-1",
            "0.0.",
            "10.010",
            "-0.10",
        ];
        for raw in cases {
            for dialect in [Dialect::Ofx, Dialect::Ofc] {
                if crate::amount::is_canonical(raw) {
                    let parsed = parse_amount(raw, dialect).expect("canonical parses");
                    assert!(parsed.warnings.is_empty(), "{raw:?}");
                    assert_eq!(parsed.value.to_string(), raw, "{raw:?}");
                }
            }
        }
        assert!(is_canonical("-12.50") && is_canonical("0") && !is_canonical("-0"));
        for taken in ["10.010", "-0.10", "100", "0.00", "9999999999999999999999999999"] {
            assert!(is_canonical(taken), "{taken}");
        }
    }
}
