//! `--show-secrets`: whether finding snippets show the values of secret elements
//! (`USERPASS`, `USERKEY`, …; see `ofxkit::syntax::SECRET_ELEMENTS`). Dump and convert pass
//! the choice to the library in their options; snippets are cut from the source text here,
//! so they are masked here, with [`MarkupRedactor`], as the [`Snippets`] choice passed down
//! from the command line says.

use ofxkit::syntax::MarkupRedactor;

/// Whether findings carry a snippet of their source line, and what it shows of secrets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Snippets {
    /// No snippet (the JSON forms).
    None,
    /// A snippet with every secret value written `***` (the default).
    Redacted,
    /// A snippet showing secret values as they are (`--show-secrets`).
    ShowSecrets,
}

impl Snippets {
    /// Snippets when `wanted`, showing secrets when `show_secrets`.
    pub fn new(wanted: bool, show_secrets: bool) -> Snippets {
        match (wanted, show_secrets) {
            (false, _) => Snippets::None,
            (true, false) => Snippets::Redacted,
            (true, true) => Snippets::ShowSecrets,
        }
    }
}

/// The three pieces of a snippet window (before, inside and after the finding's span), read
/// from `source` at byte `from`, with each secret value replaced by `***` unless `show`.
/// Carets placed by counting the pieces' characters stay right.
pub fn redact_snippet(
    source: &[u8],
    from: u32,
    pieces: [Vec<char>; 3],
    show: bool,
) -> [Vec<char>; 3] {
    if show {
        return pieces;
    }
    let mut redactor = MarkupRedactor::resume(source, from as usize);
    pieces.map(|p| redactor.redact_chars(&p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_are_redacted_as_one_text() {
        let src = b"<SONRQ><USERPASS>S3CR3T-LONG-VALUE<LANGUAGE>ENG";
        let chars =
            |a: usize, b: usize| -> Vec<char> { src[a..b].iter().map(|&b| b as char).collect() };
        // The window starts inside the value; the span is the value's end and the next tag.
        let [before, inside, after] =
            redact_snippet(src, 20, [chars(20, 30), chars(30, 44), chars(44, src.len())], false);
        let text = |v: &[char]| v.iter().collect::<String>();
        assert_eq!(
            (text(&before), text(&inside), text(&after)),
            ("***".into(), "<LANGUAGE>".into(), "ENG".into())
        );
    }
}
