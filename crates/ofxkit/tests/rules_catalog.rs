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
        let anchor = ofxkit::validate::rules::anchor(rule.id);
        let cell = format!("| <a id=\"{anchor}\"></a>`{}` |", rule.id);
        assert_eq!(md.matches(&cell).count(), 1, "{}", rule.id);
    }
}

#[test]
fn every_rule_and_reader_code_has_one_anchor() {
    let md = ofxkit::validate::rules::catalog_markdown();
    let ids = ofxkit::validate::rules::RULES
        .iter()
        .map(|r| r.id)
        .chain(ofxkit::syntax::Code::ALL.iter().map(|c| c.as_str()));
    for id in ids {
        let anchor = format!("<a id=\"{}\"></a>", id.to_ascii_lowercase());
        assert_eq!(md.matches(&anchor).count(), 1, "{id}");
    }
}
