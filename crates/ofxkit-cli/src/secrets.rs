//! `--show-secrets`: whether finding snippets show the values of secret elements
//! (`USERPASS`, `USERKEY`, …; see `ofxkit::syntax::SECRET_ELEMENTS`). Dump and convert pass
//! the choice to the library in their options; snippets are cut from the source text here,
//! so they are masked here, with [`MarkupRedactor`].

use std::sync::atomic::{AtomicBool, Ordering};

use ofxkit::syntax::MarkupRedactor;

/// Set once from the command line, before any snippet is made (snippets are made on
/// several threads, so the choice cannot be a thread-local).
static SHOW: AtomicBool = AtomicBool::new(false);

/// Shows (or hides, the default) secret values in the snippets made from now on.
pub fn show_in_snippets(show: bool) {
    SHOW.store(show, Ordering::Relaxed);
}

/// The three pieces of a snippet window (before, inside and after the finding's span), read
/// from `source` at byte `from`, with each secret value replaced by `***` unless secrets are
/// shown. Carets placed by counting the pieces' characters stay right.
pub fn redact_snippet(source: &[u8], from: u32, pieces: [Vec<char>; 3]) -> [Vec<char>; 3] {
    if SHOW.load(Ordering::Relaxed) {
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
            redact_snippet(src, 20, [chars(20, 30), chars(30, 44), chars(44, src.len())]);
        let text = |v: &[char]| v.iter().collect::<String>();
        assert_eq!(
            (text(&before), text(&inside), text(&after)),
            ("***".into(), "<LANGUAGE>".into(), "ENG".into())
        );
    }
}
