//! Structure: which elements the profile declares, leaves against aggregates, and the
//! required, allowed and ordered children of each aggregate (the generated DTD/XSD tables of
//! `ofxkit-schema`).
//!
//! Findings that a semantic rule states better are left to it: a missing `LEDGERBAL` is
//! `…-SEM-004`, a missing sync `TOKEN` `OFX-SEM-008`, a payment without payee `OFX-SEM-009`,
//! NAME beside PAYEE `…-SEM-003`.

use ofxkit_schema::{Content, ContentIssue, ElementDef, Profile};
use ofxkit_syntax::{Element, shown};
use rustc_hash::FxHashSet;

use crate::validate::{Defs, Family, Findings, Setting, recycle, start_tag};

/// The structure pass; the buffers are reused from one aggregate to the next.
pub(crate) struct Structure<'t> {
    setting: Setting,
    names: Vec<&'t str>,
    /// The children of the aggregate being checked; `None` for one taken from the stream.
    kids: Vec<Option<Element<'t>>>,
    /// The parent's and children's name indexes ([`Element::name_index`]) of the aggregate
    /// being checked.
    key: Vec<usize>,
    /// Child lists already found valid: a statement's thousands of transactions mostly
    /// share a handful of shapes, and each shape is matched against the model once.
    valid: FxHashSet<Box<[usize]>>,
    /// The names of the children seen so far of every open aggregate, one after the other:
    /// the walk hands them over as it enters them, so no valid list of children is iterated
    /// twice (the elements themselves are looked up again only to report an issue).
    seen_names: Vec<&'t str>,
    /// Their name indexes.
    seen_index: Vec<usize>,
    /// Runs of children taken from the stream among `seen_names`: where each starts, and
    /// how many.
    taken: Vec<(usize, usize)>,
    /// Per open aggregate: where its children start in `seen_names`, and whether (and as what)
    /// to check them when the walk leaves it.
    frames: Vec<Frame<'t>>,
}

/// The buffers of a [`Structure`] between walks (of the small trees of elements taken from
/// the stream), empty, and the shapes of child lists found valid.
#[derive(Default)]
pub(crate) struct Buffers {
    names: Vec<&'static str>,
    kids: Vec<Option<Element<'static>>>,
    key: Vec<usize>,
    valid: FxHashSet<Box<[usize]>>,
    seen_names: Vec<&'static str>,
    seen_index: Vec<usize>,
    taken: Vec<(usize, usize)>,
    frames: Vec<Frame<'static>>,
}

impl Buffers {
    /// Whether the child list `key` (the parent's name index, then the children's) was found
    /// valid.
    pub(crate) fn is_valid(&self, key: &[usize]) -> bool {
        self.valid.contains(key)
    }
}

/// An open aggregate: where its children start in `seen_names`, and whether (and as what)
/// to check them when the walk leaves it.
type Frame<'t> = (usize, Option<(Element<'t>, &'t str)>);

/// Longest child list remembered as valid.
const MAX_REMEMBERED: usize = 64;

/// OFC's SGML wrappers whose tags may be omitted: read whether written or not.
fn is_ofc_wrapper(name: &str) -> bool {
    matches!(name, "GENTRN" | "ACCOUNT" | "ENTITY")
}

impl<'t> Structure<'t> {
    pub(crate) fn new(setting: Setting) -> Self {
        Structure {
            setting,
            names: Vec::new(),
            kids: Vec::new(),
            key: Vec::new(),
            valid: FxHashSet::default(),
            seen_names: Vec::new(),
            seen_index: Vec::new(),
            taken: Vec::new(),
            frames: Vec::new(),
        }
    }

    /// The pass with the buffers (empty) and the shapes found valid of an earlier walk over
    /// elements of the same names (see [`into_buffers`](Self::into_buffers)).
    pub(crate) fn with_buffers(setting: Setting, b: Buffers) -> Self {
        Structure {
            setting,
            names: recycle(b.names),
            kids: recycle(b.kids),
            key: b.key,
            valid: b.valid,
            seen_names: recycle(b.seen_names),
            seen_index: b.seen_index,
            taken: b.taken,
            frames: recycle(b.frames),
        }
    }

    /// The buffers, emptied, and the shapes found valid, for a later walk.
    pub(crate) fn into_buffers(mut self) -> Buffers {
        self.key.clear();
        self.seen_index.clear();
        self.taken.clear();
        Buffers {
            names: recycle(self.names),
            kids: recycle(self.kids),
            key: self.key,
            valid: self.valid,
            seen_names: recycle(self.seen_names),
            seen_index: self.seen_index,
            taken: self.taken,
            frames: recycle(self.frames),
        }
    }

    /// `count` children named `name` (name index `index`) of the open aggregate were taken
    /// from the stream here.
    pub(crate) fn taken(&mut self, name: &'t str, index: usize, count: usize) {
        if self.frames.is_empty() {
            return;
        }
        let at = self.seen_names.len();
        self.seen_names.extend(std::iter::repeat_n(name, count));
        self.seen_index.extend(std::iter::repeat_n(index, count));
        self.taken.push((at, count));
    }

    fn id(&self, n: u8) -> &'static str {
        match (self.setting.family, n) {
            (Family::Ofc, 1) => "OFC-STR-001",
            (Family::Ofc, 2) => "OFC-STR-002",
            (Family::Ofc, 3) => "OFC-STR-003",
            (Family::Ofc, 4) => "OFC-STR-004",
            (Family::Ofc, 5) => "OFC-STR-005",
            (Family::Ofc, _) => "OFC-STR-006",
            (Family::Ofx, 1) => "OFX-STR-001",
            (Family::Ofx, 2) => "OFX-STR-002",
            (Family::Ofx, 3) => "OFX-STR-003",
            (Family::Ofx, 4) => "OFX-STR-004",
            (Family::Ofx, 5) => "OFX-STR-005",
            (Family::Ofx, 6) => "OFX-STR-006",
            (Family::Ofx, _) => "OFX-STR-007",
        }
    }

    /// Is `name` a vendor extension that this check expects (QFX: Intuit's elements)?
    fn expected_extension(&self, name: &str) -> bool {
        self.setting.qfx && name.starts_with("INTU.")
    }

    /// Checks one element: is it declared, is it a leaf where a leaf belongs, and (for an
    /// aggregate) are its children right.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn enter(
        &mut self,
        el: Element<'t>,
        name: &'t str,
        index: usize,
        leaf: bool,
        def: Option<&'static ElementDef>,
        defs: &mut Defs,
        out: &mut Findings<'t>,
    ) {
        if !self.frames.is_empty() {
            self.seen_names.push(name);
            self.seen_index.push(index);
        }
        if !leaf {
            self.frames.push((self.seen_names.len(), None));
        }
        let Some(def) = def else {
            self.undeclared(el, defs, out);
            return;
        };
        if leaf && matches!(def.content(), Content::Text { .. }) {
            return;
        }
        let text = if leaf { el.text() } else { None };
        let is_leaf_with_value = text.is_some_and(|t| !t.is_empty());
        match def.content() {
            Content::Text { .. } => {
                if !leaf {
                    out.push(
                        self.id(6),
                        start_tag(el),
                        el,
                        format!("<{name}> holds a value, not elements"),
                    );
                }
                return;
            }
            Content::Elements(_) if is_leaf_with_value => {
                out.push(
                    self.id(6),
                    start_tag(el),
                    el,
                    format!(
                        "<{name}> holds elements, not a value (found \"{}\")",
                        shown(text.unwrap_or_default())
                    ),
                );
                return;
            }
            Content::TextOrElements { .. } if leaf => return,
            Content::Empty => {
                if !leaf || is_leaf_with_value {
                    out.push(self.id(6), start_tag(el), el, format!("<{name}> must be empty"));
                }
                return;
            }
            _ => {}
        }
        if leaf {
            // An aggregate written empty (`<BANKTRANLIST></BANKTRANLIST>`): no children.
            self.check(el, name, index, 0, 0, out);
        } else if let Some(frame) = self.frames.last_mut() {
            frame.1 = Some((el, name));
        }
    }

    /// The walk leaves `el`: its children are all known, check them.
    pub(crate) fn leave(&mut self, el: Element<'t>, out: &mut Findings<'t>) {
        if el.is_leaf() {
            return;
        }
        let Some((start, target)) = self.frames.pop() else { return };
        if let Some((el, name)) = target {
            let end = self.seen_names.len();
            self.check(el, name, el.name_index(), start, end, out);
        }
        self.seen_names.truncate(start);
        self.seen_index.truncate(start);
        while self.taken.last().is_some_and(|&(at, _)| at >= start) {
            self.taken.pop();
        }
    }

    /// An element the profile does not declare: reported once, at the top of an undeclared
    /// subtree (the children of a vendor aggregate are the vendor's business).
    fn undeclared(&mut self, el: Element<'t>, defs: &mut Defs, out: &mut Findings<'t>) {
        let name = el.name();
        if self.setting.family == Family::Ofc && is_ofc_wrapper(name) {
            return;
        }
        let parent = out.ancestors.len().checked_sub(2).and_then(|i| out.ancestors.get(i)).copied();
        if let Some(parent) = parent {
            let parent_known = defs.get(parent).is_some()
                || (self.setting.family == Family::Ofc && is_ofc_wrapper(parent.name()));
            if !parent_known {
                return;
            }
        }
        if name.contains('.') {
            // Reported by the parent's content check (an extension), not here; at the root
            // there is no parent to do it.
            if parent.is_none() {
                out.push(self.id(7), el.name_span(), el, format!("<{name}> is a vendor element"));
            }
            return;
        }
        let spec = self.setting.schema.name();
        if self.setting.family == Family::Ofx
            && let Some(other) =
                Profile::ALL.into_iter().find(|p| *p != Profile::Ofc && p.element(name).is_some())
        {
            out.push(
                "OFX-STR-009",
                el.name_span(),
                el,
                format!("<{name}> is not an element of {spec}, but of {other}"),
            );
            return;
        }
        out.push(self.id(5), el.name_span(), el, format!("<{name}> is not an element of {spec}"));
    }

    /// Checks the children `seen_names[start..end]` of `el` (name index `index`) against its
    /// content model.
    fn check(
        &mut self,
        el: Element<'t>,
        name: &'t str,
        index: usize,
        start: usize,
        end: usize,
        out: &mut Findings<'t>,
    ) {
        let children = self.seen_names.get(start..end).unwrap_or_default();
        // Equal name indexes are equal names.
        let remember = children.len() <= MAX_REMEMBERED;
        if remember {
            self.key.clear();
            self.key.push(index);
            self.key.extend(self.seen_index.get(start..end).unwrap_or_default());
            if self.valid.contains(self.key.as_slice()) {
                return;
            }
        }
        let issues = self.setting.schema.check_children(name, children);
        if issues.is_empty() {
            if remember {
                self.valid.insert(self.key.clone().into_boxed_slice());
            }
            return;
        }
        self.names.clear();
        self.names.extend_from_slice(children);
        self.kids.clear();
        // The children in the tree, and a gap for each run taken from the stream.
        let mut tree_kids = el.children();
        let mut runs = self.taken.iter().filter(|&&(at, _)| at >= start && at < end).peekable();
        let mut i = start;
        while i < end {
            match runs.peek() {
                Some(&&(at, count)) if at == i => {
                    self.kids.extend(std::iter::repeat_n(None, count));
                    i += count.max(1);
                    runs.next();
                }
                _ => {
                    self.kids.push(tree_kids.next());
                    i += 1;
                }
            }
        }
        self.report(el, name, issues, out);
    }

    /// Reports the issues of the children in `names`/`kids`.
    fn report(
        &mut self,
        el: Element<'t>,
        name: &'t str,
        issues: Vec<ContentIssue<'t>>,
        out: &mut Findings<'t>,
    ) {
        let has = |n: &str| self.names.contains(&n);
        let name_and_payee = has("NAME") && has("PAYEE");
        for issue in issues {
            match issue {
                ContentIssue::Missing { expected, before_index } => {
                    if self.semantic_owns_missing(name, &expected) {
                        continue;
                    }
                    // About the element's content: at its start tag.
                    let span = start_tag(el);
                    let what = expected.join("> or <");
                    let place = match before_index {
                        0 => " at its start".to_owned(),
                        i if i >= self.kids.len() => " at its end".to_owned(),
                        i => format!(" before <{}>", self.names.get(i).copied().unwrap_or("?")),
                    };
                    out.push_missing(
                        self.id(1),
                        span,
                        el,
                        format!("<{name}> lacks <{what}>, which is required{place}"),
                        before_index >= self.kids.len(),
                    );
                }
                ContentIssue::Unexpected { index, name: child } => {
                    let Some(kid) = self.kid(index, out) else { continue };
                    if self.setting.schema.element(child).is_none() && !child.contains('.') {
                        // Undeclared anywhere: reported once as such (STR-005).
                        continue;
                    }
                    out.push(
                        self.id(2),
                        kid.name_span(),
                        kid,
                        format!("<{child}> is not allowed in <{name}>"),
                    );
                }
                ContentIssue::OutOfOrder {
                    index,
                    name: child,
                    should_come_after,
                    should_come_before,
                } => {
                    let Some(kid) = self.kid(index, out) else { continue };
                    if name_and_payee && matches!(child, "NAME" | "PAYEE") {
                        continue;
                    }
                    let after = should_come_after.and_then(|i| self.names.get(i));
                    let before = should_come_before.and_then(|i| self.names.get(i));
                    let place = match (after, before) {
                        (Some(a), Some(b)) => format!("; it belongs after <{a}> and before <{b}>"),
                        (Some(a), None) => format!("; it belongs after <{a}>"),
                        (None, Some(b)) => format!("; it belongs before <{b}>"),
                        (None, None) => String::new(),
                    };
                    out.push(
                        self.id(3),
                        kid.name_span(),
                        kid,
                        format!("<{child}> is out of order in <{name}>{place}"),
                    );
                }
                ContentIssue::TooMany { index, name: child } => {
                    let Some(kid) = self.kid(index, out) else { continue };
                    if name_and_payee && matches!(child, "NAME" | "PAYEE") {
                        continue;
                    }
                    out.push(
                        self.id(4),
                        kid.name_span(),
                        kid,
                        format!("<{child}> appears more often than <{name}> allows"),
                    );
                }
                ContentIssue::Extension { index, name: child } => {
                    let Some(kid) = self.kid(index, out) else { continue };
                    if self.setting.family == Family::Ofc {
                        out.push(
                            self.id(2),
                            kid.name_span(),
                            kid,
                            format!(
                                "<{child}> is not allowed in <{name}> (OFC has no vendor elements)"
                            ),
                        );
                    } else if !self.expected_extension(child) {
                        out.push(
                            self.id(7),
                            kid.name_span(),
                            kid,
                            format!(
                                "<{child}> is a vendor extension, not part of {}",
                                self.setting.schema.name()
                            ),
                        );
                    }
                }
                _ => {}
            }
        }
    }

    /// The child at `index` of the aggregate being reported; `None` (and the findings marked
    /// inexact) for one taken from the stream, which a finding cannot point at.
    fn kid(&self, index: usize, out: &mut Findings<'t>) -> Option<Element<'t>> {
        match self.kids.get(index) {
            Some(Some(kid)) => Some(*kid),
            Some(None) => {
                out.inexact = true;
                None
            }
            None => None,
        }
    }

    /// A missing element that a semantic rule reports in its own words.
    fn semantic_owns_missing(&self, parent: &str, expected: &[&str]) -> bool {
        let ledger = match self.setting.family {
            Family::Ofx => matches!(parent, "STMTRS" | "CCSTMTRS") && expected == ["LEDGERBAL"],
            Family::Ofc => parent == "STMTRS" && expected == ["LEDGER"],
        };
        ledger
            || (self.setting.family == Family::Ofx
                && ((parent.ends_with("SYNCRS") && expected.contains(&"TOKEN"))
                    || (parent == "PMTINFO"
                        && (expected.contains(&"PAYEEID") || expected.contains(&"PAYEE")))))
    }
}
