//! Property: a statement built from generated rows, written as OFX 1.x or 2.x, reads back to
//! the same rows (types, amounts exactly, dates with their offsets, FITIDs, names, memos),
//! writing what was read gives the same bytes, and the file validates without an error for
//! its version. A name OFX 1.x's Windows-1252 cannot hold is refused with `E-WRITE-CHARSET`
//! (and written with OFX 2.x).

use ofxkit::codes::Code;
use ofxkit::codes::ofx::{AccountType, TrnType};
use ofxkit::syntax::Severity;
use ofxkit::validate::{ValidateOptions, validate};
use ofxkit::write::{
    AccountRef, DateValue, OfxVersion, StatementBuilder, Target, TransactionRow, WriteOptions,
};
use ofxkit::{Decimal, FixedOffset, NaiveDate, NaiveTime};
use proptest::prelude::*;

/// A date, a local date-time, or a date-time at an offset of whole hours or :30/:45.
fn date() -> impl Strategy<Value = DateValue> {
    let day = (1990i32..2040, 1u32..=12, 1u32..=28)
        .prop_map(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).expect("a valid day"));
    let time = (0u32..24, 0u32..60, 0u32..60, 0u32..1000)
        .prop_map(|(h, m, s, ms)| NaiveTime::from_hms_milli_opt(h, m, s, ms).expect("valid"));
    let offset = (-12i32..=14, prop::sample::select(vec![0i32, 30, 45])).prop_filter_map(
        "a real offset",
        |(h, m)| {
            let secs = h * 3600 + h.signum().max(1) * m * 60;
            (secs.abs() <= 14 * 3600).then(|| FixedOffset::east_opt(secs)).flatten()
        },
    );
    prop_oneof![
        day.clone().prop_map(DateValue::Date),
        (day.clone(), time.clone())
            .prop_map(|(d, t)| DateValue::Local(d.and_time(t.with_nanosecond(0).expect("0")))),
        (day, time, offset).prop_map(|(d, t, o)| {
            DateValue::Zoned(d.and_time(t).and_local_timezone(o).single().expect("fixed"))
        }),
    ]
}

use chrono::Timelike;

/// The ISO 8601 text ofxkit's model gives for a date written from `d`.
fn iso(d: DateValue) -> String {
    match d {
        DateValue::Date(d) => d.format("%Y-%m-%d").to_string(),
        DateValue::Local(d) => d.format("%Y-%m-%dT%H:%M:%S").to_string(),
        DateValue::Zoned(d) => d.format("%Y-%m-%dT%H:%M:%S%.3f%:z").to_string(),
    }
}

/// Text for names and memos: letters, digits, markup characters, blanks (also at either
/// end), Latin-1 and a few characters Windows-1252 cannot hold.
fn text() -> impl Strategy<Value = String> {
    "[A-Za-z0-9 &<>\"'.,;:/#()À-ÿ€→Ω]{1,32}".prop_filter("not blank", |s| !s.trim().is_empty())
}

#[derive(Debug, Clone)]
struct Row {
    trntype: TrnType,
    posted: DateValue,
    amount: Decimal,
    name: Option<String>,
    memo: Option<String>,
}

fn row() -> impl Strategy<Value = Row> {
    (
        prop::sample::select(TrnType::ALL.to_vec()),
        date(),
        (-10_000_000_000i64..10_000_000_000, 0u32..5),
        prop::option::of(text()),
        prop::option::of(text()),
    )
        .prop_map(|(trntype, posted, (m, scale), name, memo)| Row {
            trntype,
            posted,
            amount: Decimal::new(m, scale),
            name,
            memo,
        })
}

fn cp1252_holds(s: &str) -> bool {
    !s.contains(['→', 'Ω'])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn built_statements_round_trip(
        rows in prop::collection::vec(row(), 0..6),
        card in any::<bool>(),
        ofx1 in any::<bool>(),
        close_all in any::<bool>(),
    ) {
        let account = if card {
            AccountRef::CreditCard { account_id: "4111111111111111".into() }
        } else {
            AccountRef::Bank {
                bank_id: "121000248".into(),
                branch_id: None,
                account_id: "000123".into(),
                account_type: AccountType::Savings,
            }
        };
        let mut builder = StatementBuilder::new("EUR", account)
            .period(NaiveDate::from_ymd_opt(1990, 1, 1).expect("day"),
                    NaiveDate::from_ymd_opt(2040, 12, 31).expect("day"))
            .ledger_balance(Decimal::new(12345, 2), NaiveDate::from_ymd_opt(2040, 12, 31).expect("day"));
        let rows: Vec<Row> = rows
            .into_iter()
            .map(|r| if ofx1 && r.trntype == TrnType::Hold { Row { trntype: TrnType::Other, ..r } } else { r })
            .collect();
        for (i, r) in rows.iter().enumerate() {
            let mut t = TransactionRow::new(r.trntype, r.posted, r.amount, format!("F{i}"));
            if let Some(n) = &r.name { t = t.name(n.clone()); }
            if let Some(m) = &r.memo { t = t.memo(m.clone()); }
            builder = builder.transaction(t);
        }
        let doc = builder.into_document();
        // HOLD is new in OFX 2.2: written as 2.2, and never in OFX 1.6.
        let (target, version) = if ofx1 { (Target::Ofx1, OfxVersion::V160) } else { (Target::Ofx2, OfxVersion::V220) };
        let options = WriteOptions { target, version: Some(version), close_all, ..WriteOptions::default() };
        let bytes = match doc.to_bytes(&options) {
            Ok(b) => b,
            Err(e) => {
                prop_assert_eq!(e.code(), "E-WRITE-CHARSET");
                prop_assert!(ofx1);
                let unholdable = rows.iter().any(|r| {
                    !r.name.as_deref().is_none_or(cp1252_holds) || !r.memo.as_deref().is_none_or(cp1252_holds)
                });
                prop_assert!(unholdable, "refused, yet every text fits windows-1252: {e}");
                return Ok(());
            }
        };
        let read = ofxkit::parse(&bytes).expect("the written file reads");
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let errors: Vec<_> = read.diagnostics().iter().filter(|d| d.severity == Severity::Error).collect();
        prop_assert!(errors.is_empty(), "{:?}\n{}", errors, text);
        let statements = read.statements();
        prop_assert_eq!(statements.len(), 1);
        let got = &statements[0].transactions;
        prop_assert_eq!(got.len(), rows.len());
        for (i, (t, r)) in got.iter().zip(&rows).enumerate() {
            let fitid = format!("F{i}");
            prop_assert_eq!(t.fitid, Some(fitid.as_str()));
            prop_assert_eq!(t.trntype.as_ref().map(|c| c.as_str()), Some(r.trntype.as_str()));
            prop_assert_eq!(t.amount.as_ref().map(|a| a.value.to_string()), Some(r.amount.to_string()));
            prop_assert_eq!(t.date_posted.as_ref().map(|d| d.value.to_iso8601()), Some(iso(r.posted)));
            prop_assert_eq!(t.name, r.name.as_deref());
            prop_assert_eq!(t.memo.as_deref(), r.memo.as_deref());
        }
        // Writing what was read gives the same bytes.
        let mut again = Vec::new();
        read.write_ofx(&mut again, &options).expect("writes again");
        prop_assert!(again == bytes, "written twice:\n{}\n---\n{}", text, String::from_utf8_lossy(&again));
        // Valid for its version.
        let profile = version.validation_profile();
        let report = validate(&read, &ValidateOptions { profile, ..ValidateOptions::default() });
        let errors: Vec<_> = report.findings.iter().filter(|f| f.severity == Severity::Error).collect();
        prop_assert!(errors.is_empty(), "{:?}\n{}", errors, text);
    }
}
