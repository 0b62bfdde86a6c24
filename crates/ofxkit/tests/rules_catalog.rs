//! `crates/ofxkit/docs/rules.md` is the catalog in `validate::rules`, word for word: this test
//! fails when they drift. `OFXKIT_BLESS=1 cargo test -p ofxkit --test rules_catalog` rewrites
//! the file from the code.

use std::path::PathBuf;

#[test]
fn rules_md_is_generated_from_the_catalog() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/rules.md");
    let expected = ofxkit::validate::rules::catalog_markdown();
    if std::env::var_os("OFXKIT_BLESS").is_some() {
        std::fs::write(&path, &expected).expect("write docs/rules.md");
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "docs/rules.md is stale; regenerate with OFXKIT_BLESS=1 cargo test -p ofxkit --test rules_catalog"
    );
}

#[test]
fn every_rule_is_listed_once() {
    let md = ofxkit::validate::rules::catalog_markdown();
    for rule in ofxkit::validate::rules::RULES {
        assert_eq!(md.matches(&format!("| `{}` |", rule.id)).count(), 1, "{}", rule.id);
    }
}
