//! The published JSON Schema of `convert --to json` output: the checked-in file is what the
//! types generate (regenerate with `OFXKIT_BLESS=1 cargo test -p ofxkit --test json_schema`),
//! and the output for every own corpus file and every readable shared corpus file validates
//! against it.

mod common;

use std::path::{Path, PathBuf};

use common::root;

use ofxkit::convert::{ConvertOptions, Converter, Target, What, document_schema};

fn schema_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/document.schema.json")
}

fn json_of(name: &str, bytes: &[u8]) -> Option<serde_json::Value> {
    let doc = ofxkit::parse(bytes).ok()?;
    let options = ConvertOptions {
        target: Target::Json,
        what: What::Documents,
        formula_guard: false,
        ..Default::default()
    };
    let mut conv = Converter::new(Vec::new(), options).expect("in memory");
    conv.add(name, &doc).expect("in memory");
    let out = conv.finish().expect("in memory");
    Some(serde_json::from_slice(&out).expect("the converter writes valid JSON"))
}

#[test]
fn checked_in_schema_is_current() {
    let mut generated = serde_json::to_string_pretty(&document_schema()).expect("serialise");
    generated.push('\n');
    if std::env::var_os("OFXKIT_BLESS").is_some() {
        std::fs::write(schema_path(), &generated).expect("write schema");
    }
    let checked_in = std::fs::read_to_string(schema_path()).unwrap_or_default();
    assert!(
        checked_in == generated,
        "{} is stale: regenerate with OFXKIT_BLESS=1 cargo test -p ofxkit --test json_schema",
        schema_path().display()
    );
}

#[test]
fn every_output_validates_against_the_schema() {
    let schema = document_schema();
    let validator = jsonschema::validator_for(&schema).expect("the schema is valid JSON Schema");

    let files = common::own_and_shared_inputs();
    let mut validated = 0;
    let mut failures = Vec::new();
    for path in &files {
        let bytes = std::fs::read(path).expect("readable");
        let Some(value) = json_of(&path.display().to_string(), &bytes) else { continue };
        validated += 1;
        for error in validator.iter_errors(&value) {
            failures.push(format!("{}: {} at {}", path.display(), error, error.instance_path));
        }
    }
    assert!(validated >= 20, "documents validated: {validated}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_schema_rejects_what_it_should() {
    let validator = jsonschema::validator_for(&document_schema()).expect("valid schema");
    let bytes = std::fs::read(root().join("corpus/model/ofx1-bank-and-card.ofx")).expect("corpus");
    let good = json_of("x.ofx", &bytes).expect("parses");
    assert!(validator.is_valid(&good));
    let mut float_amount = good.clone();
    float_amount[0]["statements"][0]["transactions"][0]["amount"] = serde_json::json!(3200.0);
    assert!(!validator.is_valid(&float_amount), "amounts are strings, never numbers");
    let mut bad_date = good.clone();
    bad_date[0]["statements"][0]["transactions"][0]["date_posted"] = "20250601".into();
    assert!(!validator.is_valid(&bad_date), "dates are ISO 8601");
    let mut no_source = good;
    no_source[0].as_object_mut().expect("object").remove("source");
    assert!(!validator.is_valid(&no_source), "every document names its source");
}
