//! Renders a tree as indented text or JSON (for `ofxkit dump` and golden tests). Iterative:
//! no recursion however deep the tree. The values of secret elements
//! ([`SECRET_ELEMENTS`](crate::SECRET_ELEMENTS)) are written `***` unless
//! [`DumpOptions::show_secrets`] is set.

use std::fmt::Write as _;

use crate::document::Document;
use crate::line_index::LineIndex;
use crate::secrets::REDACTED;
use crate::tree::Element;
use crate::tree::secret_names;

/// What to include in a dump.
///
/// The values of secret elements (passwords, keys, tokens: see
/// [`SECRET_ELEMENTS`](crate::SECRET_ELEMENTS)) are written `***` unless `show_secrets` is
/// set:
///
/// ```
/// use ofxkit_syntax::{dump_text, parse, DumpOptions};
/// let doc = parse(b"<OFX><SIGNONMSGSRQV1><SONRQ><USERID>jo<USERPASS>hunter2</SONRQ></SIGNONMSGSRQV1></OFX>")?;
/// let redacted = dump_text(&doc, DumpOptions::default());
/// assert!(redacted.contains("USERPASS = \"***\"") && !redacted.contains("hunter2"));
/// let shown = dump_text(&doc, DumpOptions { show_secrets: true, ..DumpOptions::default() });
/// assert!(shown.contains("USERPASS = \"hunter2\""));
/// # Ok::<(), ofxkit_syntax::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DumpOptions {
    /// Add each element's position (line:column and byte range).
    pub spans: bool,
    /// Write the values of secret elements as they are instead of `***`.
    pub show_secrets: bool,
}

/// The text of `element` as a dump shows it: `***` for a secret, unless shown.
fn shown_text<'t>(element: Element<'t>, secret: &[bool]) -> Option<&'t str> {
    let text = element.text()?;
    let hide = !text.is_empty() && secret.get(element.name_index()).copied().unwrap_or(false);
    Some(if hide { REDACTED } else { text })
}

/// Which names of the document's tree are hidden (none when secrets are shown).
fn hidden_names(doc: &Document<'_>, options: DumpOptions) -> Vec<bool> {
    if options.show_secrets { Vec::new() } else { secret_names(doc.tree()) }
}

/// The tree as indented text: aggregates by name, leaves as `NAME = "text"`.
///
/// ```
/// use ofxkit_syntax::{dump_text, parse, DumpOptions};
/// let doc = parse(b"<OFC><DTD>2<CPAGE>1252</OFC>").unwrap();
/// assert_eq!(dump_text(&doc, DumpOptions::default()), "OFC\n  DTD = \"2\"\n  CPAGE = \"1252\"\n");
/// ```
pub fn dump_text(doc: &Document<'_>, options: DumpOptions) -> String {
    let index = options.spans.then(|| doc.line_index());
    let hidden = hidden_names(doc, options);
    let mut out = String::new();
    walk(doc.root(), |element, depth, entering| {
        if !entering {
            return;
        }
        for _ in 0..depth {
            out.push_str("  ");
        }
        out.push_str(element.name());
        if let Some(text) = shown_text(element, &hidden) {
            out.push_str(" = ");
            push_quoted(&mut out, text);
        }
        if let Some(index) = &index {
            push_position(&mut out, element, index);
        }
        out.push('\n');
    });
    out
}

/// The tree as JSON: `{"name", "text"?, "children"?, "span"?}` per element; the document
/// object adds `format`, `encoding` and `diagnostics`.
///
/// ```
/// use ofxkit_syntax::{dump_json, parse, DumpOptions};
/// let doc = parse(b"<OFC><DTD>2</OFC>").unwrap();
/// let json = dump_json(&doc, DumpOptions::default());
/// assert!(json.contains(r#"{"name":"DTD","text":"2"}"#));
/// ```
pub fn dump_json(doc: &Document<'_>, options: DumpOptions) -> String {
    let index = doc.line_index();
    let hidden = hidden_names(doc, options);
    let mut out = String::new();
    out.push_str("{\"format\":");
    push_quoted(&mut out, doc.format().label());
    out.push_str(",\"qfx\":");
    out.push_str(if doc.is_qfx() { "true" } else { "false" });
    out.push_str(",\"encoding\":");
    push_quoted(&mut out, doc.encoding().name());
    if let Some(h) = doc.header() {
        out.push_str(",\"header\":{");
        let fields = [
            ("OFXHEADER", &h.ofxheader),
            ("DATA", &h.data),
            ("VERSION", &h.version),
            ("SECURITY", &h.security),
            ("ENCODING", &h.encoding),
            ("CHARSET", &h.charset),
            ("COMPRESSION", &h.compression),
            ("OLDFILEUID", &h.oldfileuid),
            ("NEWFILEUID", &h.newfileuid),
        ];
        let mut first = true;
        for (k, v) in fields.iter().filter_map(|(k, v)| v.as_deref().map(|v| (*k, v))) {
            if !first {
                out.push(',');
            }
            first = false;
            push_quoted(&mut out, k);
            out.push(':');
            push_quoted(&mut out, v);
        }
        for (k, v) in &h.other {
            if !first {
                out.push(',');
            }
            first = false;
            push_quoted(&mut out, k);
            out.push(':');
            push_quoted(&mut out, v);
        }
        out.push('}');
    }
    out.push_str(",\"diagnostics\":[");
    for (i, d) in doc.diagnostics().iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let lc = index.line_col(d.span.start);
        let _ = write!(
            out,
            "{{\"code\":\"{}\",\"severity\":\"{}\",\"line\":{},\"column\":{},\"start\":{},\"end\":{},\"message\":",
            d.code, d.severity, lc.line, lc.column, d.span.start, d.span.end
        );
        push_quoted(&mut out, &d.message);
        out.push('}');
    }
    out.push_str("],\"root\":");
    // Each element opens `{…` and, if it has children, `"children":[`; closing undoes that.
    let mut first_child = vec![true];
    walk(doc.root(), |element, _depth, entering| {
        if entering {
            if let Some(first) = first_child.last_mut() {
                if !*first {
                    out.push(',');
                }
                *first = false;
            }
            out.push_str("{\"name\":");
            push_quoted(&mut out, element.name());
            if let Some(text) = shown_text(element, &hidden) {
                out.push_str(",\"text\":");
                push_quoted(&mut out, text);
            }
            if options.spans {
                let span = element.span();
                let lc = index.line_col(span.start);
                let _ = write!(
                    out,
                    ",\"span\":{{\"start\":{},\"end\":{},\"line\":{},\"column\":{}}}",
                    span.start, span.end, lc.line, lc.column
                );
            }
            if element.children().next().is_some() {
                out.push_str(",\"children\":[");
            }
            first_child.push(true);
        } else {
            first_child.pop();
            if element.children().next().is_some() {
                out.push(']');
            }
            out.push('}');
        }
    });
    out.push_str("}\n");
    out
}

/// Visits elements depth-first with an explicit stack: `f(element, depth, entering)` is
/// called on entering and on leaving each element.
pub fn walk<'t>(root: Element<'t>, mut f: impl FnMut(Element<'t>, usize, bool)) {
    let mut stack = vec![(root, root.children())];
    f(root, 0, true);
    while let Some((element, children)) = stack.last_mut() {
        let element = *element;
        match children.next() {
            Some(child) => {
                let depth = stack.len();
                f(child, depth, true);
                stack.push((child, child.children()));
            }
            None => {
                stack.pop();
                f(element, stack.len(), false);
            }
        }
    }
}

fn push_position(out: &mut String, element: Element<'_>, index: &LineIndex<'_>) {
    let span = element.span();
    let a = index.line_col(span.start);
    let b = index.line_col(span.end);
    let _ = write!(out, "  @{a}-{b} [{span}]");
}

/// Appends `s` as a JSON string literal (also used for the text dump).
pub(crate) fn push_quoted(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}
