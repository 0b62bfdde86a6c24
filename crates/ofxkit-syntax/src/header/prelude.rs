//! Reading what precedes the root: finding `<OFX>` or `<OFC>`, then the colon header, the
//! XML declaration and `<?OFX?>`, the odd forms (a header in a comment, fields written as
//! elements) and junk.

use super::*;
use crate::header::grammar;
use crate::lex::is_name_char;

/// What precedes the root.
#[derive(Debug)]
pub(crate) struct Prelude {
    pub(crate) header: Option<Header>,
    /// Offset of the root's `<`.
    pub(crate) root: usize,
    /// The root is `<OFC>`.
    pub(crate) ofc: bool,
    /// An XML declaration or `<?OFX?>` was present.
    pub(crate) xml: bool,
}

/// Finds `<OFX` / `<OFC` (any case) not followed by a name character.
fn find_root(src: &[u8], from: usize) -> Option<(usize, bool)> {
    let hay = src.get(from..)?;
    for p in memchr::memchr_iter(b'<', hay) {
        let at = from + p;
        let Some(name) = src.get(at + 1..at + 4) else { break };
        let ofx = name.eq_ignore_ascii_case(b"OFX");
        let ofc = name.eq_ignore_ascii_case(b"OFC");
        if (ofx || ofc)
            && !src.get(at + 4).copied().is_some_and(is_name_char)
            && crate::lex::tokenizer::is_start_tag(src.get(at..).unwrap_or_default())
        {
            return Some((at, ofc));
        }
    }
    None
}

/// Reads what precedes the root. `start` skips a BOM.
pub(crate) fn read(src: &[u8], start: usize, sink: &mut Sink) -> Result<Prelude, Error> {
    let Some((root, ofc)) = find_root(src, start) else {
        return Err(no_root(src, start));
    };
    let mut prelude = Prelude { header: None, root, ofc, xml: false };
    let mut pos = start;
    let mut header_end_blank = false;
    let mut saw_colon_header = false;
    while pos < root {
        let rest = src.get(pos..root).unwrap_or_default();
        let ws = rest.iter().take_while(|b| b.is_ascii_whitespace()).count();
        pos += ws;
        let rest = src.get(pos..root).unwrap_or_default();
        if rest.is_empty() {
            break;
        }
        if starts_with_ci(rest, b"<?xml") {
            let end = pi_end(src, pos, root);
            let text = String::from_utf8_lossy(src.get(pos + 5..end).unwrap_or_default());
            let attrs = grammar::pseudo_attributes(&text);
            let decl = XmlDeclaration {
                version: get_attr(&attrs, "version"),
                encoding: get_attr(&attrs, "encoding"),
                standalone: get_attr(&attrs, "standalone"),
            };
            let header = prelude.header.get_or_insert_with(|| {
                Header::new(HeaderStyle::Xml, Span::new(pos as u32, end as u32))
            });
            header.xml_declaration = Some(decl);
            header.span = header.span.to(Span::new(pos as u32, end as u32));
            prelude.xml = true;
            pos = end;
        } else if starts_with_ci(rest, b"<?OFX") {
            let end = pi_end(src, pos, root);
            let span = Span::new(pos as u32, end as u32);
            let text = String::from_utf8_lossy(src.get(pos + 5..end).unwrap_or_default());
            let attrs = grammar::pseudo_attributes(&text);
            let header = prelude.header.get_or_insert_with(|| Header::new(HeaderStyle::Xml, span));
            header.style = HeaderStyle::Xml;
            header.span = header.span.to(span);
            for (k, v) in &attrs {
                header.set(k, v, span, sink);
            }
            prelude.xml = true;
            pos = end;
        } else if starts_with_ci(rest, b"<!DOCTYPE") {
            // Skip to the `>` that ends it, past an internal subset in brackets. Nothing in
            // it is read, resolved or fetched.
            let mut depth = 0i32;
            let mut end = root;
            for (i, &b) in rest.iter().enumerate() {
                match b {
                    b'[' => depth += 1,
                    b']' => depth -= 1,
                    b'>' if depth <= 0 => {
                        end = pos + i + 1;
                        break;
                    }
                    _ => {}
                }
            }
            let span = Span::new(pos as u32, end as u32);
            sink.report(Code::DeclarationIgnored, span, || {
                "DOCTYPE declaration ignored (nothing in it is resolved or fetched)".to_owned()
            });
            pos = end;
        } else if rest.starts_with(b"<!--") {
            let end = src
                .get(pos + 4..root)
                .and_then(|s| memchr::memmem::find(s, b"-->"))
                .map_or(root, |p| pos + 4 + p + 3);
            let inner = src.get(pos + 4..end.saturating_sub(3).max(pos + 4)).unwrap_or_default();
            if memchr::memmem::find(inner, b"OFXHEADER").is_some() {
                let span = Span::new(pos as u32, end as u32);
                sink.report(Code::HeaderOddForm, span, || {
                    "the header is written inside a comment".to_owned()
                });
                let mut header = Header::new(HeaderStyle::Comment, span);
                colon_lines(src, pos + 4, end.saturating_sub(3).max(pos + 4), &mut header, sink);
                prelude.header = Some(header);
            }
            pos = end;
        } else if rest.first() == Some(&b'<') {
            // Header fields written as elements, or other markup before the root.
            pos = element_header(src, pos, root, &mut prelude, sink);
        } else if looks_like_colon_field(rest) {
            let (end, blank) = colon_header(src, pos, root, &mut prelude, sink);
            header_end_blank = blank;
            saw_colon_header = true;
            pos = end;
        } else {
            // Junk up to the end of the line (or the next `<`).
            let line_end = rest
                .iter()
                .position(|&b| b == b'\n' || b == b'\r' || b == b'<')
                .map_or(root, |p| pos + p);
            let span = Span::new(pos as u32, line_end.max(pos + 1) as u32);
            let junk = src.get(span.range()).unwrap_or_default();
            sink.report(Code::LeadingJunk, span, || {
                let shown = crate::shown_bytes(junk);
                format!("text before the header or root is not part of either: \"{shown}\"")
            });
            pos = line_end.max(pos + 1);
        }
    }
    if saw_colon_header && !header_end_blank {
        let at = Span::point(root as u32);
        sink.report_with_help(
            Code::HeaderNoBlankLine,
            at,
            || "no blank line between the header and <OFX>".to_owned(),
            Some("OFX 1.x requires one blank line after the header"),
        );
    }
    match &prelude.header {
        Some(h) => h.check(sink),
        None if !ofc => sink.report(Code::NoHeader, Span::point(root as u32), || {
            "the file has no OFX header".to_owned()
        }),
        None => {}
    }
    Ok(prelude)
}

fn no_root(src: &[u8], start: usize) -> Error {
    let rest = src.get(start..).unwrap_or_default();
    let end = Span::point(src.len() as u32);
    if rest.iter().all(|b| b.is_ascii_whitespace()) {
        return Error::new(ErrorKind::NotOfx, Code::NoRoot, end, "the input is empty");
    }
    let trimmed = rest.iter().skip_while(|b| b.is_ascii_whitespace());
    let looks_header = trimmed.clone().take(9).copied().collect::<Vec<u8>>() == b"OFXHEADER"
        || memchr::memmem::find(rest, b"<?OFX").is_some();
    if looks_header {
        return Error::new(
            ErrorKind::BadHeader,
            Code::HeaderUnterminated,
            end,
            "the input ends after the header: no <OFX> element follows it",
        );
    }
    Error::new(
        ErrorKind::NotOfx,
        Code::NoRoot,
        Span::new(start as u32, (start + 1).min(src.len()) as u32),
        "not an OFX, QFX or OFC file: no <OFX> or <OFC> element found",
    )
}

fn starts_with_ci(s: &[u8], prefix: &[u8]) -> bool {
    s.get(..prefix.len()).is_some_and(|p| p.eq_ignore_ascii_case(prefix))
}

/// End of a `<?…?>` (after `?>`, or `>`), capped at `limit`.
fn pi_end(src: &[u8], pos: usize, limit: usize) -> usize {
    let hay = src.get(pos..limit).unwrap_or_default();
    match memchr::memmem::find(hay, b"?>") {
        Some(p) => pos + p + 2,
        None => memchr::memchr(b'>', hay).map_or(limit, |p| pos + p + 1),
    }
}

fn get_attr(attrs: &[(&str, &str)], key: &str) -> Option<String> {
    attrs.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| (*v).to_owned())
}

/// `KEY:` at the start, KEY made of letters (any case) and digits.
fn looks_like_colon_field(rest: &[u8]) -> bool {
    let key_len = rest.iter().take_while(|b| b.is_ascii_alphanumeric()).count();
    if key_len == 0 {
        return false;
    }
    let after = rest.get(key_len..).unwrap_or_default();
    let blanks = after.iter().take_while(|&&b| b == b' ' || b == b'\t').count();
    let after = after.get(blanks..).unwrap_or_default();
    after.first() == Some(&b':')
}

/// Reads colon-header lines from `pos`; returns where it stopped and whether a blank line
/// ended it.
fn colon_header(
    src: &[u8],
    pos: usize,
    root: usize,
    prelude: &mut Prelude,
    sink: &mut Sink,
) -> (usize, bool) {
    let mut header = prelude
        .header
        .take()
        .unwrap_or_else(|| Header::new(HeaderStyle::Colon, Span::new(pos as u32, pos as u32)));
    if header.style == HeaderStyle::Xml && header.ofxheader.is_none() {
        // `<?xml?>` above a colon header: the colon header decides.
        header.style = HeaderStyle::Colon;
    }
    let (end, blank) = colon_lines(src, pos, root, &mut header, sink);
    header.span = header.span.to(Span::new(pos as u32, end as u32));
    prelude.header = Some(header);
    (end, blank)
}

/// Reads `KEY:VALUE` lines between `pos` and `limit`. Returns (end offset, ended by a blank
/// line).
fn colon_lines(
    src: &[u8],
    mut pos: usize,
    limit: usize,
    header: &mut Header,
    sink: &mut Sink,
) -> (usize, bool) {
    let mut header_end = pos;
    let mut any_field = false;
    loop {
        if pos >= limit {
            return (header_end, false);
        }
        let rest = src.get(pos..limit).unwrap_or_default();
        let line_len = rest.iter().position(|&b| b == b'\n' || b == b'\r').unwrap_or(rest.len());
        let line = rest.get(..line_len).unwrap_or_default();
        let mut next = pos + line_len;
        if src.get(next) == Some(&b'\r') && src.get(next + 1) == Some(&b'\n') {
            next += 2;
        } else if next < limit {
            next += 1;
        }
        let trimmed_len = line.iter().rposition(|b| !b.is_ascii_whitespace()).map_or(0, |p| p + 1);
        let lead = line.iter().take_while(|b| b.is_ascii_whitespace()).count();
        if trimmed_len == 0 {
            if !any_field {
                // Blank lines before the first field (e.g. after `<!--`).
                pos = next;
                header_end = pos;
                continue;
            }
            return (header_end, true);
        }
        if !looks_like_colon_field(line.get(lead..).unwrap_or_default()) {
            return (header_end, false);
        }
        let line_span = Span::new((pos + lead) as u32, (pos + trimmed_len) as u32);
        let text =
            String::from_utf8_lossy(line.get(lead..trimmed_len).unwrap_or_default()).into_owned();
        let fields = grammar::fields(&text);
        if fields.len() > 1 {
            sink.report(Code::HeaderOneLine, line_span, || {
                format!("{} header fields on one line", fields.len())
            });
        }
        for (key, value) in fields {
            header.set(key, value, line_span, sink);
        }
        header_end = pos + trimmed_len;
        any_field = true;
        pos = next;
    }
}

/// Header fields written as elements (`<START><OFXHEADER>100</OFXHEADER>…</START>`), or any
/// other markup before the root. Returns where reading stopped.
fn element_header(
    src: &[u8],
    pos: usize,
    root: usize,
    prelude: &mut Prelude,
    sink: &mut Sink,
) -> usize {
    let region = src.get(..root).unwrap_or_default();
    let mut tokens = Tokenizer::new(region, pos);
    let mut current_key: Option<String> = None;
    let mut fields: Vec<(String, String, Span)> = Vec::new();
    let mut last = pos;
    let mut other_markup = false;
    while let Some(token) = tokens.next_token() {
        match token {
            Token::Start { name, .. } => {
                let key = String::from_utf8_lossy(src.get(name.range()).unwrap_or_default())
                    .to_ascii_uppercase();
                if grammar::KEYS.contains(&key.as_str()) {
                    current_key = Some(key);
                } else {
                    current_key = None;
                    if key != "START" && key != "HEADER" {
                        other_markup = true;
                    }
                }
            }
            Token::Text(span, _) => {
                let text = String::from_utf8_lossy(src.get(span.range()).unwrap_or_default());
                if text.trim().is_empty() {
                    last = tokens.position();
                    continue;
                }
                match current_key.take() {
                    Some(key) => fields.push((key, text.trim().to_owned(), span)),
                    None => {
                        // Text that is not a header value ends the header form.
                        break;
                    }
                }
            }
            Token::End { .. } | Token::Comment(_) => {}
            _ => other_markup = true,
        }
        last = tokens.position();
    }
    let span = Span::new(pos as u32, last.max(pos + 1) as u32);
    if fields.is_empty() {
        sink.report(Code::LeadingJunk, span, || {
            "markup before the root element is not a header (ignored)".to_owned()
        });
        return last.max(pos + 1);
    }
    sink.report(Code::HeaderOddForm, span, || {
        "the header is written as elements (<OFXHEADER>100</OFXHEADER>…)".to_owned()
    });
    if other_markup {
        sink.report(Code::LeadingJunk, span, || {
            "markup before the root element besides the header (ignored)".to_owned()
        });
    }
    let mut header = Header::new(HeaderStyle::Elements, span);
    for (k, v, s) in fields {
        header.set(&k, &v, s, sink);
    }
    prelude.header = Some(header);
    last.max(pos + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_root_but_not_ofxheader_element() {
        assert_eq!(find_root(b"<OFXHEADER>1</OFXHEADER><OFX>", 0), Some((24, false)));
        assert_eq!(find_root(b"  <ofc>", 0), Some((2, true)));
        assert_eq!(find_root(b"<OFXX>", 0), None);
    }
}
