//! Walking a document's element tree (read from a file, or made in memory) into markup.

use std::borrow::Cow;
use std::io::Write;

use ofxkit_syntax::{Element, is_secret};

use crate::amount::Dialect;
use crate::datetime::parse_datetime;
use crate::write::emit::{Emitter, Origin};
use crate::write::error::{WriteError, WriteErrorKind};
use crate::write::node::Node;
use crate::write::signon::{self, is_message_set, is_request_set, is_signon};
use crate::write::values::{ValueKind, canonical, format_datetime, value_kind};
use crate::write::{REDACTED, WriteOptions};

/// What walking a file's tree did.
#[derive(Debug, Default)]
pub(crate) struct Stats {
    pub(crate) left_out: u64,
    pub(crate) signon_synthesized: bool,
}

/// The text written for a leaf: `***` for a secret's value (unless shown), the canonical
/// form of an amount or date, else the text itself.
pub(crate) fn leaf_text<'a>(
    name: &str,
    text: &'a str,
    kind: ValueKind,
    show_secrets: bool,
) -> Cow<'a, str> {
    // An OFC secret kept as a vendor element (`OFC.NEWPASS`) is still a secret.
    let secret = is_secret(name) || name.strip_prefix("OFC.").is_some_and(is_secret);
    if !show_secrets && !text.is_empty() && secret {
        return Cow::Borrowed(REDACTED);
    }
    match canonical(kind, text, Dialect::Ofx) {
        Some(c) => Cow::Owned(c),
        None => Cow::Borrowed(text),
    }
}

/// The latest of `dates` that read as dates, in canonical form (instants compared in UTC
/// where an offset is given).
pub(crate) fn latest_date<'a>(dates: impl Iterator<Item = &'a str>) -> Option<String> {
    let mut best: Option<(chrono::NaiveDateTime, crate::datetime::OfxDateTime)> = None;
    for text in dates {
        let Ok(parsed) = parse_datetime(text, Dialect::Ofx) else { continue };
        let v = parsed.value;
        let key = v.to_fixed().map_or_else(|| v.naive(), |d| d.naive_utc());
        if best.as_ref().is_none_or(|(k, _)| key > *k) {
            best = Some((key, v));
        }
    }
    best.map(|(_, v)| format_datetime(&v))
}

/// Writes the tree of an OFX file (its root as `OFX`), with a sign-on made up when it has
/// none.
pub(crate) fn write<W: Write + ?Sized>(
    doc: &ofxkit_syntax::Document<'_>,
    em: &mut Emitter<'_, W>,
    options: &WriteOptions,
) -> Result<Stats, WriteError> {
    let tree = doc.tree();
    let kinds: Vec<ValueKind> = tree.names().map(value_kind).collect();
    let kind_of = |e: Element<'_>| kinds.get(e.name_index()).copied().unwrap_or(ValueKind::Other);
    let source = tree.source();
    let mut stats = Stats::default();
    let mut leaf = |el: Element<'_>, em: &mut Emitter<'_, W>, name: &str| {
        let text = el.text().unwrap_or_default();
        if el.closed_by_recovery() {
            if options.lossy {
                stats.left_out += 1;
                return Ok(());
            }
            return Err(WriteError::new(WriteErrorKind::Unfinished {
                element: ofxkit_syntax::shown(el.name()).into_owned(),
                span: el.span(),
            }));
        }
        let out = leaf_text(el.name(), text, kind_of(el), options.show_secrets);
        let span = el.text_span();
        let exact = matches!(&out, Cow::Borrowed(t) if *t == text)
            && span.and_then(|s| source.get(s.range())).is_some_and(|raw| raw == text.as_bytes());
        em.leaf(name, &out, Origin { span, exact }, Some(el.span()))
    };
    let root = tree.root();
    if root.is_leaf() {
        leaf(root, em, "OFX")?;
        return Ok(stats);
    }
    em.start("OFX", Some(root.span()))?;
    let has_signon = root.children().any(|c| {
        is_signon(c.name())
            || (is_message_set(c.name()) && c.children().any(|g| is_signon(g.name())))
    });
    if !has_signon {
        let request = root.children().any(|c| is_request_set(c.name()));
        let dates = tree
            .elements()
            .filter(|e| e.is_leaf() && kind_of(*e) == ValueKind::Date)
            .filter_map(|e| e.text());
        write_subtree(&signon::synthesized(request, latest_date(dates)), em, options)?;
        stats.signon_synthesized = true;
    }
    let mut stack = vec![(root, root.children())];
    while let Some((el, children)) = stack.last_mut() {
        let el = *el;
        match children.next() {
            // An element with neither text nor children is written as an empty leaf, as
            // every reader reads it back.
            Some(child) if child.is_leaf() || child.children().next().is_none() => {
                leaf(child, em, child.name())?
            }
            Some(child) => {
                em.start(child.name(), Some(child.span()))?;
                stack.push((child, child.children()));
            }
            None => {
                stack.pop();
                let name = if stack.is_empty() { "OFX" } else { el.name() };
                em.end(name, Some(el.span()))?;
            }
        }
    }
    Ok(stats)
}

/// Writes a document made in memory (its root as `OFX`), with a sign-on made up when it has
/// none; returns whether it was.
pub(crate) fn write_nodes<W: Write + ?Sized>(
    root: &Node,
    em: &mut Emitter<'_, W>,
    options: &WriteOptions,
) -> Result<bool, WriteError> {
    if let Some(text) = root.text() {
        let out = leaf_text("OFX", text, ValueKind::Other, options.show_secrets);
        em.leaf("OFX", &out, Origin { span: root.span(), exact: false }, root.span())?;
        return Ok(false);
    }
    em.start("OFX", root.span())?;
    let synthesize = !root.children().iter().any(|c| {
        is_signon(c.name())
            || (is_message_set(c.name()) && c.children().iter().any(|g| is_signon(g.name())))
    });
    if synthesize {
        let request = root.children().iter().any(|c| is_request_set(c.name()));
        let mut dates = Vec::new();
        let mut stack = vec![root];
        while let Some(n) = stack.pop() {
            match n.text() {
                Some(t) if value_kind(n.name()) == ValueKind::Date => dates.push(t),
                _ => stack.extend(n.children()),
            }
        }
        write_subtree(&signon::synthesized(request, latest_date(dates.into_iter())), em, options)?;
    }
    for child in root.children() {
        write_subtree(child, em, options)?;
    }
    em.end("OFX", root.span())?;
    Ok(synthesize)
}

/// Writes `node` and everything under it.
fn write_subtree<W: Write + ?Sized>(
    node: &Node,
    em: &mut Emitter<'_, W>,
    options: &WriteOptions,
) -> Result<(), WriteError> {
    let leaf = |n: &Node, em: &mut Emitter<'_, W>, text: &str| {
        let out = leaf_text(n.name(), text, value_kind(n.name()), options.show_secrets);
        em.leaf(n.name(), &out, Origin { span: n.span(), exact: false }, n.span())
    };
    if let Some(text) = node.text() {
        return leaf(node, em, text);
    }
    if node.children().is_empty() {
        return leaf(node, em, "");
    }
    em.start(node.name(), node.span())?;
    let mut stack = vec![(node, node.children().iter())];
    while let Some((n, children)) = stack.last_mut() {
        let n = *n;
        match children.next() {
            Some(child) => match child.text() {
                Some(text) => leaf(child, em, text)?,
                None if child.children().is_empty() => leaf(child, em, "")?,
                None => {
                    em.start(child.name(), child.span())?;
                    stack.push((child, child.children().iter()));
                }
            },
            None => {
                stack.pop();
                em.end(n.name(), n.span())?;
            }
        }
    }
    Ok(())
}
