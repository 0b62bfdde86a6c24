//! The values inside the header, written as nom combinators: the pseudo-attributes of
//! `<?xml …?>` and `<?OFX …?>`, and the `KEY:VALUE` fields of a colon-header line, where real
//! files sometimes run several fields together on one line. Each runs once per file, on the
//! few bytes before the root.
//!
//! ```text
//! attributes = (blank* attribute)* rest        rest: anything without an "=" (ignored)
//! attribute  = key "=" blank* value            key: everything up to the "=", trimmed
//! value      = '"' (not '"')* '"'? | "'" (not "'")* "'"? | (not blank)*
//!
//! fields     = field*
//! field      = key ":" value                   key: everything up to the ":"
//! value      = any* up to a standard key followed by blank* ":", or the end
//! ```

use nom::branch::alt;
use nom::bytes::complete::{tag, take_till, take_while};
use nom::character::complete::{anychar, char};
use nom::combinator::{eof, opt, peek, recognize, value};
use nom::multi::{many_till, many0};
use nom::sequence::{delimited, preceded, terminated};
use nom::{IResult, Parser};

/// The standard colon-header keys, in the order OFX writes them.
pub(crate) const KEYS: [&str; 9] = [
    "OFXHEADER",
    "DATA",
    "VERSION",
    "SECURITY",
    "ENCODING",
    "CHARSET",
    "COMPRESSION",
    "OLDFILEUID",
    "NEWFILEUID",
];

fn blanks(s: &str) -> IResult<&str, &str> {
    take_while(char::is_whitespace)(s)
}

/// A value in `q` quotes; a missing closing quote ends it at the end of the text.
fn quoted<'a>(
    q: char,
) -> impl Parser<&'a str, Output = &'a str, Error = nom::error::Error<&'a str>> {
    delimited(char(q), take_till(move |c| c == q), opt(char(q)))
}

/// `key "=" blank* value`, the key trimmed.
fn attribute(s: &str) -> IResult<&str, (&str, &str)> {
    let key = terminated(take_till(|c| c == '='), char('='));
    let bare = take_till(char::is_whitespace);
    let value = preceded(blanks, alt((quoted('"'), quoted('\''), bare)));
    (key, value).map(|(k, v): (&str, &str)| (k.trim(), v)).parse(s)
}

/// The `key="value"` pairs of a processing instruction's text (after `<?xml` or `<?OFX`; a
/// trailing `?>` is left out), with single, double or no quotes; pairs with an empty key are
/// skipped.
pub(crate) fn pseudo_attributes(text: &str) -> Vec<(&str, &str)> {
    let text = text.trim_end_matches(['?', '>']);
    let pairs = many0(preceded(blanks, attribute)).parse(text);
    let pairs = pairs.map_or_else(|_| Vec::new(), |(_, pairs)| pairs);
    pairs.into_iter().filter(|(k, _)| !k.is_empty()).collect()
}

/// A standard key followed by blanks (spaces and tabs) and a colon: where the next field of a
/// one-line header starts.
fn next_field(s: &str) -> IResult<&str, ()> {
    let key = alt(KEYS.map(tag::<&str, &str, nom::error::Error<&str>>));
    value((), (key, take_while(|c| c == ' ' || c == '\t'), char(':'))).parse(s)
}

/// `key ":" value`, the value up to the next standard field or the end.
fn field(s: &str) -> IResult<&str, (&str, &str)> {
    let key = terminated(take_till(|c| c == ':'), char(':'));
    let end = peek(alt((next_field, value((), eof))));
    let value = recognize(many_till(anychar, end));
    (key, value).parse(s)
}

/// Splits the `KEY:VALUE` text of one header line into its fields: usually one, several when
/// a file runs them together (`OFXHEADER:100DATA:OFXSGMLVERSION:102…`); keys and values are
/// not trimmed.
pub(crate) fn fields(text: &str) -> Vec<(&str, &str)> {
    // `field` always consumes its colon, so `many0` ends; nothing is left but text without
    // one (a line that holds none gives no field).
    many0(field).parse(text).map_or_else(|_| Vec::new(), |(_, fields)| fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_one_line_headers() {
        let f = fields(
            "OFXHEADER:100DATA:OFXSGMLVERSION:102SECURITY:NONEENCODING:USASCIICHARSET:1252COMPRESSION:NONEOLDFILEUID:NONENEWFILEUID:NONE",
        );
        let keys: Vec<&str> = f.iter().map(|(k, _)| *k).collect();
        assert_eq!(keys, KEYS);
        assert_eq!(f[2].1, "102");
        assert_eq!(f[8].1, "NONE");
    }

    #[test]
    fn a_value_runs_to_the_next_standard_key_and_its_colon() {
        assert_eq!(fields("X-BANK:A DATA B"), [("X-BANK", "A DATA B")]);
        assert_eq!(fields("X:1DATA \t:2"), [("X", "1"), ("DATA \t", "2")]);
        assert_eq!(fields("OFXHEADER:DATA:OFXSGML"), [("OFXHEADER", ""), ("DATA", "OFXSGML")]);
        assert_eq!(fields("VERSION:1:2"), [("VERSION", "1:2")]);
        assert_eq!(fields("no colon"), []);
    }

    #[test]
    fn reads_pseudo_attributes() {
        let a = pseudo_attributes(" OFXHEADER=\"200\" VERSION='211' SECURITY=NONE ?>");
        assert_eq!(a, [("OFXHEADER", "200"), ("VERSION", "211"), ("SECURITY", "NONE")]);
    }

    #[test]
    fn odd_pseudo_attributes_read_as_the_grammar_says() {
        // An unclosed quote runs to the end; an empty key is skipped; blanks around `=`.
        assert_eq!(pseudo_attributes(" A = \"1 2"), [("A", "1 2")]);
        assert_eq!(pseudo_attributes("=1 B=2"), [("B", "2")]);
        assert_eq!(pseudo_attributes(" A= B=1"), [("A", "B=1")]);
        assert_eq!(pseudo_attributes(" junk"), []);
        assert_eq!(pseudo_attributes(" A=''"), [("A", "")]);
    }
}
