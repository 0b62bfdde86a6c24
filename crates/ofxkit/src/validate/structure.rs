//! Structure: required, allowed and ordered children of each aggregate, from the generated
//! DTD/XSD tables.

use ofxkit_schema::{ContentIssue, Profile};
use ofxkit_syntax::{Element, Span, Tree};


use crate::validate::Findings;

/// Checks every element of the tree against `profile`.
pub(crate) fn check(tree: &Tree<'_>, profile: Profile, family: &'static str, out: &mut Findings) {
    let mut names: Vec<&str> = Vec::new();
    let mut kids: Vec<Element<'_>> = Vec::new();
    // Whether each open ancestor is declared by the profile (undeclared subtrees are
    // reported once, at their top).
    let mut declared: Vec<bool> = Vec::new();
    ofxkit_syntax::walk(tree.root(), |el, _depth, entering| {
        if !entering {
            declared.pop();
            return;
        }
        let parent_declared = declared.last().copied().unwrap_or(true);
        let is_declared = profile.element(el.name()).is_some()
            || (profile == Profile::Ofc && matches!(el.name(), "GENTRN" | "ACCOUNT" | "ENTITY"));
        declared.push(is_declared && parent_declared);
        check_element(el, parent_declared, profile, family, &mut names, &mut kids, out);
    });
}

fn check_element<'t>(
    el: Element<'t>,
    parent_declared: bool,
    profile: Profile,
    family: &'static str,
    names: &mut Vec<&'t str>,
    kids: &mut Vec<Element<'t>>,
    out: &mut Findings,
) {
    let id = |n: &str| rule_id(family, n);
        let name = el.name();
        let Some(def) = profile.element(name) else {
            if parent_declared && el.id().index() != 0 && !name.contains('.') {
                let wrapper = profile == Profile::Ofc && matches!(name, "GENTRN" | "ACCOUNT" | "ENTITY");
                if !wrapper {
                    out.push(
                        id("005"),
                        el.name_span(),
                        Some(el),
                        format!("<{name}> is not an element of {}", profile.name()),
                    );
                }
            }
            return;
        };
        match (def.is_leaf(), el.is_leaf()) {
            (true, false) => {
                out.push(id("006"), el.name_span(), Some(el), format!("<{name}> should hold a value, not elements"));
                return;
            }
            (false, true) if el.text().is_some_and(|t| !t.is_empty()) => {
                out.push(id("006"), el.name_span(), Some(el), format!("<{name}> should hold elements, not a value"));
                return;
            }
            _ => {}
        }
        if def.is_leaf() {
            return;
        }
        names.clear();
        kids.clear();
        for c in el.children() {
            names.push(c.name());
            kids.push(c);
        }
        for issue in profile.check_children(name, &names) {
            let (rule, span, target, message) = match &issue {
                ContentIssue::Missing { expected, before_index } => {
                    let span = kids
                        .get(*before_index)
                        .map(|k| Span::point(k.span().start))
                        .unwrap_or_else(|| end_tag_span(el));
                    (
                        id("001"),
                        span,
                        el,
                        format!("<{name}> lacks <{}>, which is required here", expected.join("> or <")),
                    )
                }
                ContentIssue::Unexpected { index, name: child } => (
                    id("002"),
                    kid_span(&kids, *index),
                    kids.get(*index).copied().unwrap_or(el),
                    format!("<{child}> is not allowed in <{name}>"),
                ),
                ContentIssue::OutOfOrder { index, name: child, should_come_after, should_come_before } => {
                    let place = match (should_come_after.and_then(|i| names.get(i)), should_come_before.and_then(|i| names.get(i))) {
                        (Some(a), Some(b)) => format!(" (it belongs after <{a}> and before <{b}>)"),
                        (Some(a), None) => format!(" (it belongs after <{a}>)"),
                        (None, Some(b)) => format!(" (it belongs before <{b}>)"),
                        (None, None) => String::new(),
                    };
                    (
                        id("003"),
                        kid_span(&kids, *index),
                        kids.get(*index).copied().unwrap_or(el),
                        format!("<{child}> is out of order in <{name}>{place}"),
                    )
                }
                ContentIssue::TooMany { index, name: child } => (
                    id("004"),
                    kid_span(&kids, *index),
                    kids.get(*index).copied().unwrap_or(el),
                    format!("<{child}> appears more often than <{name}> allows"),
                ),
                ContentIssue::Extension { index, name: child } => {
                    if family == "OFC" {
                        (id("002"), kid_span(&kids, *index), kids.get(*index).copied().unwrap_or(el), format!("<{child}> is not allowed in <{name}>"))
                    } else {
                        (id("007"), kid_span(&kids, *index), kids.get(*index).copied().unwrap_or(el), format!("<{child}> is a vendor extension"))
                    }
                }
            };
            out.push(rule, span, Some(target), message);
        }
}

fn rule_id(family: &str, n: &str) -> &'static str {
        match (family, n) {
            ("OFC", "001") => "OFC-STR-001",
            ("OFC", "002") => "OFC-STR-002",
            ("OFC", "003") => "OFC-STR-003",
            ("OFC", "004") => "OFC-STR-004",
            ("OFC", "005") => "OFC-STR-005",
            ("OFC", "006") => "OFC-STR-006",
            ("OFC", _) => "OFC-STR-002",
            (_, "001") => "OFX-STR-001",
            (_, "002") => "OFX-STR-002",
            (_, "003") => "OFX-STR-003",
            (_, "004") => "OFX-STR-004",
            (_, "005") => "OFX-STR-005",
            (_, "006") => "OFX-STR-006",
            _ => "OFX-STR-007",
        }
    }

fn kid_span(kids: &[Element<'_>], index: usize) -> Span {
    kids.get(index).map_or(Span::default(), Element::name_span)
}

/// A point at the end of an element, where a missing last child belongs.
fn end_tag_span(el: Element<'_>) -> Span {
    Span::point(el.span().end)
}
