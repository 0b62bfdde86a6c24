//! Byte offset → line and column, computed on demand.

use std::fmt;

/// A 1-based line and column. The column counts characters (UTF-8 continuation bytes are
/// not counted when the index was built for UTF-8 text; every byte counts otherwise).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct LineCol {
    /// 1-based line number.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
}

impl fmt::Display for LineCol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// Line starts of a text, built once; lookups are a binary search.
///
/// CR LF, LF and a lone CR each count as one line break, so a file gives the same line
/// numbers whatever its line-end convention.
///
/// ```
/// use ofxkit_syntax::LineIndex;
/// let text = b"<OFX>\r\n<A>1\r<B>2\n<C>";
/// let index = LineIndex::new(text, true);
/// assert_eq!(index.line_col(0).to_string(), "1:1");
/// assert_eq!(index.line_col(7).to_string(), "2:1"); // after CR LF
/// assert_eq!(index.line_col(12).to_string(), "3:1"); // after a lone CR
/// assert_eq!(index.line_col(18).to_string(), "4:2");
/// ```
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    text: &'a [u8],
    starts: Vec<u32>,
    utf8: bool,
}

impl<'a> LineIndex<'a> {
    /// Indexes `text`. With `utf8`, columns count characters rather than bytes.
    pub fn new(text: &'a [u8], utf8: bool) -> Self {
        let mut starts = vec![0u32];
        let mut i = 0usize;
        for pos in memchr::memchr2_iter(b'\n', b'\r', text) {
            if pos < i {
                continue; // the LF of a CR LF already counted
            }
            let next = if text.get(pos) == Some(&b'\r') && text.get(pos + 1) == Some(&b'\n') {
                pos + 2
            } else {
                pos + 1
            };
            starts.push(u32::try_from(next).unwrap_or(u32::MAX));
            i = next;
        }
        LineIndex { text, starts, utf8 }
    }

    /// Number of lines.
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// Line and column of a byte offset (offsets past the end map to the end).
    pub fn line_col(&self, offset: u32) -> LineCol {
        let offset = offset.min(u32::try_from(self.text.len()).unwrap_or(u32::MAX));
        let line = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.starts.get(line).copied().unwrap_or(0);
        let bytes = self.text.get(start as usize..offset as usize).unwrap_or_default();
        let column = if self.utf8 {
            bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count()
        } else {
            bytes.len()
        };
        LineCol {
            line: u32::try_from(line + 1).unwrap_or(u32::MAX),
            column: u32::try_from(column + 1).unwrap_or(u32::MAX),
        }
    }

    /// The byte range of the line holding `offset`, without its line break.
    pub fn line_span(&self, offset: u32) -> crate::Span {
        let lc = self.line_col(offset);
        let idx = (lc.line - 1) as usize;
        let start = self.starts.get(idx).copied().unwrap_or(0);
        let mut end = self
            .starts
            .get(idx + 1)
            .copied()
            .unwrap_or(u32::try_from(self.text.len()).unwrap_or(u32::MAX));
        while end > start && matches!(self.text.get(end as usize - 1), Some(b'\n') | Some(b'\r')) {
            end -= 1;
        }
        crate::Span::new(start, end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_ends_of_every_kind_count_once() {
        for (text, offset, expect) in [
            (&b"a\nb"[..], 2, (2, 1)),
            (b"a\r\nb", 3, (2, 1)),
            (b"a\rb", 2, (2, 1)),
            (b"a\r\n\r\nb", 5, (3, 1)),
            (b"a\n\rb", 3, (3, 1)),
            (b"abc", 2, (1, 3)),
            (b"abc", 99, (1, 4)),
            (b"", 0, (1, 1)),
        ] {
            let lc = LineIndex::new(text, false).line_col(offset);
            assert_eq!((lc.line, lc.column), expect, "{text:?} @ {offset}");
        }
    }

    #[test]
    fn utf8_columns_count_characters() {
        let text = "caf\u{e9} <X>".as_bytes();
        assert_eq!(LineIndex::new(text, true).line_col(6).column, 6);
        assert_eq!(LineIndex::new(text, false).line_col(6).column, 7);
    }

    #[test]
    fn line_span_excludes_break() {
        let text = b"one\r\ntwo\nthree";
        let idx = LineIndex::new(text, false);
        assert_eq!(idx.line_span(6).range(), 5..8);
        assert_eq!(idx.line_span(0).range(), 0..3);
        assert_eq!(idx.line_span(12).range(), 9..14);
    }
}
