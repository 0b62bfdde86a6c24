//! The lexical events.

use crate::span::Span;

/// One lexical unit of an OFX, QFX or OFC file. Every span is a byte range into the whole
/// input (for [`ReadLexer`](super::ReadLexer), into everything read so far).
///
/// ```
/// use ofxkit_syntax::Span;
/// use ofxkit_syntax::lex::{Event, SliceLexer};
///
/// let events: Vec<Event> = SliceLexer::new(b"<A x='1'/>").collect();
/// assert_eq!(
///     events,
///     [Event::StartTag {
///         tag: Span::new(0, 10),
///         name: Span::new(1, 2),
///         self_closing: true,
///         attributes: true,
///     }]
/// );
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Event {
    /// A `KEY:VALUE` line of the OFX 1.x header (`OFXHEADER:100`), read before the first
    /// markup: `KEY` is letters and digits, blanks may precede the colon, and `VALUE` runs
    /// to the line end or the next `<`. `line` includes the line end (CR LF, LF or CR).
    HeaderField {
        /// The whole field with its line end.
        line: Span,
        /// The key.
        key: Span,
        /// Everything after the colon, up to the line end or `<` (not trimmed).
        value: Span,
    },
    /// `<NAME>`, `<NAME attributes>` or `<NAME/>`.
    StartTag {
        /// From `<` to `>`.
        tag: Span,
        /// The name.
        name: Span,
        /// Ends with `/>`.
        self_closing: bool,
        /// Something other than blanks follows the name (OFX defines no attributes).
        attributes: bool,
    },
    /// `</NAME>`, blanks allowed before the `>`.
    EndTag {
        /// From `<` to `>`.
        tag: Span,
        /// The name.
        name: Span,
    },
    /// Text up to the next `<` or the end of the input, undecoded (blank runs included).
    Text(Span),
    /// `<![CDATA[…]]>`.
    CData {
        /// From `<` to `>`.
        markup: Span,
        /// Between `<![CDATA[` and `]]>`, taken literally.
        content: Span,
    },
    /// `<!-- … -->`.
    Comment(Span),
    /// `<!DOCTYPE …>` and any other `<! … >` (up to the first `>`).
    Declaration(Span),
    /// `<? … >` (up to the first `>`): the XML declaration, `<?OFX …?>`, others.
    ProcessingInstruction(Span),
    /// A `<` that starts no markup, and what was skipped with it: up to the first `>` before
    /// the next `<`, or else up to the next `<` or the end.
    Malformed {
        /// The skipped bytes.
        span: Span,
        /// Why it is not a tag.
        reason: &'static str,
    },
    /// A comment, CDATA section, declaration or processing instruction with no end: it runs
    /// to the end of the input.
    Unclosed {
        /// From its `<` to the end of the input.
        span: Span,
        /// `comment`, `CDATA section`, `declaration` or `processing instruction`.
        what: &'static str,
    },
}

impl Event {
    /// The bytes the event covers.
    pub fn span(&self) -> Span {
        match *self {
            Event::HeaderField { line, .. } => line,
            Event::StartTag { tag, .. } | Event::EndTag { tag, .. } => tag,
            Event::CData { markup, .. } => markup,
            Event::Text(s)
            | Event::Comment(s)
            | Event::Declaration(s)
            | Event::ProcessingInstruction(s)
            | Event::Malformed { span: s, .. }
            | Event::Unclosed { span: s, .. } => s,
        }
    }

    /// The same event `by` bytes further on (a chunk's local offsets made global).
    #[must_use]
    pub(crate) fn shifted(self, by: u32) -> Event {
        let s = |span: Span| Span::new(span.start.saturating_add(by), span.end.saturating_add(by));
        match self {
            Event::HeaderField { line, key, value } => {
                Event::HeaderField { line: s(line), key: s(key), value: s(value) }
            }
            Event::StartTag { tag, name, self_closing, attributes } => {
                Event::StartTag { tag: s(tag), name: s(name), self_closing, attributes }
            }
            Event::EndTag { tag, name } => Event::EndTag { tag: s(tag), name: s(name) },
            Event::Text(span) => Event::Text(s(span)),
            Event::CData { markup, content } => {
                Event::CData { markup: s(markup), content: s(content) }
            }
            Event::Comment(span) => Event::Comment(s(span)),
            Event::Declaration(span) => Event::Declaration(s(span)),
            Event::ProcessingInstruction(span) => Event::ProcessingInstruction(s(span)),
            Event::Malformed { span, reason } => Event::Malformed { span: s(span), reason },
            Event::Unclosed { span, what } => Event::Unclosed { span: s(span), what },
        }
    }
}
