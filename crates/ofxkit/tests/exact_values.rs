//! Values are exact or a finding: the amounts, zones and years of `fuzz/regressions/value-*`
//! read the same in the typed model, in every conversion (the streaming shortcut included)
//! and in the validator.

mod common;

use ofxkit::convert::{ConvertOptions, Converter, Target, What};
use ofxkit::validate::{ValidateOptions, validate};

fn regression(name: &str) -> Vec<u8> {
    std::fs::read(common::root().join("fuzz/regressions").join(name)).expect("regression file")
}

/// The CSV rows of `bytes` as (date_posted, amount) per transaction, by FITID order.
fn csv_cells(name: &str, bytes: &[u8]) -> Vec<(String, String)> {
    let doc = ofxkit::parse(bytes).expect("parses");
    let options =
        ConvertOptions { target: Target::Csv, what: What::Transactions, ..Default::default() };
    let mut conv = Converter::new(Vec::new(), options).expect("converter");
    conv.add(name, &doc).expect("converts");
    let out = String::from_utf8(conv.finish().expect("finishes")).expect("UTF-8");
    let mut lines = out.lines();
    let header: Vec<&str> = lines.next().expect("header").split(',').collect();
    let col = |n: &str| header.iter().position(|h| *h == n).expect("column");
    let (date, amount) = (col("date_posted"), col("amount"));
    lines
        .map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            (cells[date].to_owned(), cells[amount].to_owned())
        })
        .collect()
}

/// The codes of the model's findings, in file order, and those of the validator.
fn codes(bytes: &[u8]) -> (Vec<&'static str>, Vec<&'static str>) {
    let doc = ofxkit::parse(bytes).expect("parses");
    let model: Vec<&str> = doc.diagnostics().iter().map(|d| d.code).collect();
    let report = validate(&doc, &ValidateOptions::default());
    let validator = report.findings.iter().map(|d| d.code).collect();
    (model, validator)
}

fn count(list: &[&str], code: &str) -> usize {
    list.iter().filter(|c| **c == code).count()
}

#[test]
fn amounts_with_two_signs_are_refused_everywhere() {
    let bytes = regression("value-amount-signs.ofx");
    let rows = csv_cells("a.ofx", &bytes);
    let amounts: Vec<&str> = rows.iter().map(|(_, a)| a.as_str()).collect();
    // +-1 -+1 ++1 +1- -1- --1 1- "- 1" +$-1 ---1 -12.50
    assert_eq!(amounts, ["", "", "", "", "", "-1", "-1", "-1", "", "", "-12.50"]);
    let (model, validator) = codes(&bytes);
    assert_eq!(count(&model, "E-AMOUNT-SYNTAX"), 7, "{model:?}");
    assert_eq!(count(&model, "W-AMOUNT-DOUBLE-SIGN"), 1);
    assert_eq!(count(&model, "W-AMOUNT-TRAILING-SIGN"), 1);
    assert_eq!(count(&model, "W-AMOUNT-SPACE-AFTER-SIGN"), 1);
    assert_eq!(count(&validator, "OFX-AMT-001"), 7, "{validator:?}");
    assert_eq!(count(&validator, "OFX-AMT-003"), 3, "{validator:?}");
}

#[test]
fn ofc_amounts_with_two_signs_are_refused_everywhere() {
    let bytes = regression("value-amount-signs.ofc");
    let amounts: Vec<String> = csv_cells("a.ofc", &bytes).into_iter().map(|(_, a)| a).collect();
    // +-1,00 --1,00 1,00- +1,00- "- 1,00" -1,00
    assert_eq!(amounts, ["", "-1.00", "-1.00", "", "-1.00", "-1.00"]);
    let (model, validator) = codes(&bytes);
    assert_eq!(count(&model, "E-AMOUNT-SYNTAX"), 2, "{model:?}");
    // Two refused, three read with a remark OFC does not allow.
    assert_eq!(count(&validator, "OFC-AMT-001"), 5, "{validator:?}");
}

#[test]
fn zones_with_minutes_are_exact_or_refused() {
    let bytes = regression("value-zone-minutes.ofx");
    let dates: Vec<String> = csv_cells("z.ofx", &bytes).into_iter().map(|(d, _)| d).collect();
    let ist = "2024-01-05T12:00:00.000+05:30";
    assert_eq!(
        dates,
        [ist, ist, ist, ist, ist, "", "", "", "2024-01-05T12:00:00.000-05:00"],
        "[+05:30:IST] [+5:30] [+0530] [+5.5:IST] [+5.30] [+5.25] [+5:3] [-5:EST:X] [-5:EST]"
    );
    let (model, validator) = codes(&bytes);
    assert_eq!(count(&model, "W-DATE-OFFSET-MINUTES"), 3, "{model:?}");
    assert_eq!(count(&model, "W-DATE-FRACTIONAL-OFFSET"), 2, "{model:?}");
    assert_eq!(count(&model, "E-DATE-ZONE"), 3, "{model:?}");
    assert_eq!(count(&validator, "OFX-DT-005"), 5, "{validator:?}");
    assert_eq!(count(&validator, "OFX-DT-003"), 3, "{validator:?}");
}

#[test]
fn years_have_four_digits_in_every_output() {
    let bytes = regression("value-year-past-9999.ofx");
    let dates: Vec<String> = csv_cells("y.ofx", &bytes).into_iter().map(|(d, _)| d).collect();
    assert_eq!(dates, ["", "", "", "", "9999-12-31", "2024-01-05"]);
    let (model, validator) = codes(&bytes);
    assert_eq!(count(&model, "E-DATE-SYNTAX"), 4, "{model:?}");
    assert_eq!(count(&validator, "OFX-DT-001"), 4, "{validator:?}");
    // JSON and NDJSON write the same dates (or none).
    let doc = ofxkit::parse(&bytes).expect("parses");
    for target in [Target::Json, Target::Ndjson] {
        let options = ConvertOptions { target, what: What::Transactions, ..Default::default() };
        let mut conv = Converter::new(Vec::new(), options).expect("converter");
        conv.add("y.ofx", &doc).expect("converts");
        let out = String::from_utf8(conv.finish().expect("finishes")).expect("UTF-8");
        assert!(!out.contains("10000") && !out.contains("-0001"), "{target:?}: {out}");
        // `date_posted` and its calendar `date`.
        assert_eq!(out.matches("\"9999-12-31\"").count(), 2, "{target:?}: {out}");
    }
}
