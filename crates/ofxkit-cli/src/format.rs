//! The output formats every command shares: one set of value names (`human`, `table`,
//! `json`, `ndjson`, `csv`, `sarif`), read in any case, each command taking the ones that
//! apply; and the format an `-o FILE` names by its extension when none is given.

use std::path::Path;

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};

use crate::output::Failure;

/// An output format. A name means the same thing in every command that takes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Text for people (findings with source lines, an indented tree).
    Human,
    /// An aligned text table.
    Table,
    /// One JSON document (an object, or an array).
    Json,
    /// One JSON object per line (JSON Lines).
    Ndjson,
    /// CSV with a header line.
    Csv,
    /// One SARIF 2.1.0 log.
    Sarif,
    /// A complete OFX 1.x (SGML) file.
    Ofx1,
    /// A complete OFX 2.x (XML) file.
    Ofx2,
    /// A beancount file.
    Beancount,
    /// A ledger-cli / hledger journal.
    Ledger,
    /// QIF (Quicken Interchange Format).
    Qif,
    /// Apache Parquet files.
    Parquet,
}

impl Format {
    /// Every format, in the order help lists them.
    pub const ALL: [Format; 12] = [
        Format::Human,
        Format::Table,
        Format::Json,
        Format::Ndjson,
        Format::Csv,
        Format::Sarif,
        Format::Ofx1,
        Format::Ofx2,
        Format::Beancount,
        Format::Ledger,
        Format::Qif,
        Format::Parquet,
    ];

    /// The value name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Table => "table",
            Format::Json => "json",
            Format::Ndjson => "ndjson",
            Format::Csv => "csv",
            Format::Sarif => "sarif",
            Format::Ofx1 => "ofx1",
            Format::Ofx2 => "ofx2",
            Format::Beancount => "beancount",
            Format::Ledger => "ledger",
            Format::Qif => "qif",
            Format::Parquet => "parquet",
        }
    }

    /// Reads a value name, in any case.
    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name().eq_ignore_ascii_case(name))
    }

    /// The format a file name's extension names (any case): `.json`, `.ndjson` or `.jsonl`,
    /// `.csv`, `.sarif`, `.beancount` or `.bean`, `.ledger`, `.journal` or `.hledger`,
    /// `.qif`, `.parquet`; `.txt` names the command's text format (`human` or `table`).
    fn of_extension(ext: &str, allowed: &[(Format, &str)]) -> Option<Format> {
        let ext = ext.to_ascii_lowercase();
        let text =
            || allowed.iter().map(|(f, _)| *f).find(|f| matches!(f, Format::Human | Format::Table));
        match ext.as_str() {
            "json" => Some(Format::Json),
            "ndjson" | "jsonl" => Some(Format::Ndjson),
            "csv" => Some(Format::Csv),
            "sarif" => Some(Format::Sarif),
            "beancount" | "bean" => Some(Format::Beancount),
            "ledger" | "journal" | "hledger" => Some(Format::Ledger),
            "qif" => Some(Format::Qif),
            "parquet" => Some(Format::Parquet),
            "txt" => text(),
            _ => None,
        }
    }
}

/// A parser for `--format` taking the formats in `allowed` (each with its help for this
/// command), in any case.
pub fn parser(allowed: &'static [(Format, &'static str)]) -> impl TypedValueParser<Value = Format> {
    PossibleValuesParser::new(
        allowed.iter().map(|(f, help)| PossibleValue::new(f.name()).help(help)),
    )
    .try_map(|name: String| Format::from_name(&name).ok_or("unknown format"))
}

/// The format to write: the one given; else, for an `-o FILE` (not `-`), the one its
/// extension names, which must be one of `allowed`; else `default`. An extension that names
/// no format of the command is refused (exit status 2), naming it, unless FILE is a device
/// or a FIFO that exists (`/dev/null`, `>(…)`): that gets `default`.
pub fn choose(
    given: Option<Format>,
    output: Option<&Path>,
    allowed: &[(Format, &str)],
    default: Format,
) -> Result<Format, Failure> {
    if let Some(f) = given {
        return Ok(f);
    }
    let Some(path) = output.filter(|p| p.as_os_str() != "-") else { return Ok(default) };
    let names: Vec<&str> = allowed.iter().map(|(f, _)| f.name()).collect();
    let shown = crate::input::shown_path(path);
    let ext = path.extension().map(|e| e.to_string_lossy());
    let found = ext.as_deref().and_then(|e| Format::of_extension(e, allowed));
    match found {
        Some(f) if allowed.iter().any(|(a, _)| *a == f) => Ok(f),
        None if std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) => Ok(default),
        _ => {
            let what = match &ext {
                Some(e) => format!(
                    "the extension \".{}\" names no format this command writes",
                    ofxkit::syntax::escape_controls(e)
                ),
                None => "it has no extension to tell the format by".to_owned(),
            };
            Err(Failure::Usage(format!("-o {shown}: {what}; give --format ({})", names.join(", "))))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALLOWED: &[(Format, &str)] =
        &[(Format::Table, ""), (Format::Json, ""), (Format::Csv, "")];

    fn chosen(given: Option<Format>, out: Option<&str>) -> Result<Format, String> {
        choose(given, out.map(Path::new), ALLOWED, Format::Table).map_err(|e| e.to_string())
    }

    #[test]
    fn the_format_is_given_or_named_by_the_extension_or_refused() {
        assert_eq!(chosen(None, None), Ok(Format::Table));
        assert_eq!(chosen(None, Some("-")), Ok(Format::Table));
        assert_eq!(chosen(None, Some("a/b.CSV")), Ok(Format::Csv));
        assert_eq!(chosen(None, Some("b.json")), Ok(Format::Json));
        assert_eq!(chosen(None, Some("b.txt")), Ok(Format::Table));
        assert_eq!(chosen(Some(Format::Json), Some("b.csv")), Ok(Format::Json));
        let refused = chosen(None, Some("b.ndjson")).unwrap_err();
        assert_eq!(
            refused,
            "-o b.ndjson: the extension \".ndjson\" names no format this command writes; \
             give --format (table, json, csv)"
        );
        let refused = chosen(None, Some("out")).unwrap_err();
        assert!(refused.contains("it has no extension"), "{refused}");
        assert!(chosen(None, Some("x.xlsx")).unwrap_err().contains("\".xlsx\""));
        assert_eq!(chosen(None, Some("/dev/null")), Ok(Format::Table), "a device");
    }

    #[test]
    fn names_are_read_in_any_case() {
        for f in Format::ALL {
            assert_eq!(Format::from_name(&f.name().to_ascii_uppercase()), Some(f));
        }
        assert_eq!(Format::from_name("xml"), None);
    }
}
