//! Which elements of a tree hold secrets, and the reader's findings that would quote a
//! secret value, reworded to name the element instead (the names are in
//! [`crate::secrets`]).

use crate::error::{Code, Diagnostic};
use crate::secrets::{LONGEST, is_secret};
use crate::tree::Tree;

/// For each name of [`Tree::names`], whether it is secret: look an element up with
/// [`Element::name_index`](crate::Element::name_index) instead of comparing its name.
pub fn secret_names(tree: &Tree<'_>) -> Vec<bool> {
    tree.names().map(is_secret).collect()
}

/// Findings of the reader that quote the file's text.
fn quotes_text(code: &str) -> bool {
    [Code::UnknownEntity, Code::InvalidCharRef, Code::StrayText, Code::LeadingJunk]
        .iter()
        .any(|c| c.as_str() == code)
}

/// Rewrites the findings that would quote part of a secret value so that they name the
/// element instead: an unknown entity or a bad character reference inside a password, text
/// in a secret element written as an aggregate, and the text right after a secret tag that
/// the reader could not take for one (`< USERPASS>hunter2`, or `<USERPASS>hunter2` before the
/// root: stray text, leading junk). Costs nothing when no finding quotes text.
pub(crate) fn quiet_diagnostics(tree: &Tree<'_>, diagnostics: &mut [Diagnostic]) {
    if !diagnostics.iter().any(|d| quotes_text(d.code)) {
        return;
    }
    let secret = secret_names(tree);
    let holders: Vec<_> = if secret.contains(&true) {
        tree.elements()
            .filter(|e| secret.get(e.name_index()).copied().unwrap_or(false))
            .map(|e| (e.span(), e.name().to_owned()))
            .collect()
    } else {
        Vec::new()
    };
    for d in diagnostics.iter_mut().filter(|d| quotes_text(d.code)) {
        let what = if d.code == Code::UnknownEntity {
            "an unknown entity, kept as written,"
        } else if d.code == Code::InvalidCharRef {
            "a reference to no valid character, kept as written,"
        } else if d.code == Code::LeadingJunk {
            "text before the header or root, not part of either,"
        } else {
            "text where only elements belong,"
        };
        let inside = holders.iter().find(|(s, _)| s.start <= d.span.start && d.span.end <= s.end);
        if let Some((_, name)) = inside {
            d.message = format!("{what} in <{name}>, whose value is secret and not shown");
        } else if let Some(name) = secret_tag_before(tree.source(), d.span.start as usize) {
            d.message = format!("{what} after a <{name}> tag; the value is secret and not shown");
        }
    }
}

/// The secret name of the tag (well-formed or not) that ends right before `at`, if any.
fn secret_tag_before(source: &[u8], at: usize) -> Option<String> {
    let before = source.get(..at)?;
    let gt = memchr::memrchr(b'>', before)?;
    // Only white space between the tag and the text.
    if !before.get(gt + 1..)?.iter().all(u8::is_ascii_whitespace) {
        return None;
    }
    let from = gt.saturating_sub(LONGEST + 8);
    let tag = before.get(from..gt)?;
    let lt = memchr::memrchr(b'<', tag)?;
    let name: Vec<u8> = tag
        .get(lt..)?
        .iter()
        .copied()
        .skip_while(|b| *b == b'<' || b.is_ascii_whitespace())
        .take_while(|b| !b.is_ascii_whitespace() && *b != b'/')
        .collect();
    let name = String::from_utf8(name).ok()?;
    is_secret(&name).then(|| name.to_ascii_uppercase())
}
