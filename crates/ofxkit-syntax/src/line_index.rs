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

/// Line numbers of increasing offsets, counted as it goes: one pass over the text however
/// many offsets are asked for, with no index kept. Counts line breaks as [`LineIndex`] does
/// (CR LF, LF and a lone CR each once), so both give the same line for every offset. The
/// text is handed to each call (it must be the same text every time).
///
/// ```
/// use ofxkit_syntax::{LineCounter, LineIndex};
/// let text = b"<OFX>\r\n<A>1\r<B>2\n<C>";
/// let mut counter = LineCounter::new();
/// let index = LineIndex::new(text, false);
/// for offset in [0, 7, 12, 18, 18, 20] {
///     assert_eq!(counter.line(text, offset), index.line_col(offset).line);
/// }
/// ```
#[derive(Debug, Clone, Default)]
pub struct LineCounter {
    /// Every line break before `at` is counted in `line` (0 before the first call).
    at: usize,
    line: u32,
}

impl LineCounter {
    /// Starts at the first line.
    pub fn new() -> Self {
        LineCounter { at: 0, line: 1 }
    }

    /// The 1-based line of `offset` in `text`. Offsets are expected in increasing order; an
    /// earlier one than the last is counted again from the start (correct, but a pass over
    /// the text).
    pub fn line(&mut self, text: &[u8], offset: u32) -> u32 {
        let offset = (offset as usize).min(text.len());
        if offset < self.at || self.line == 0 {
            self.at = 0;
            self.line = 1;
        }
        let breaks = breaks_in(text, self.at, offset);
        self.line = self.line.saturating_add(breaks);
        self.at = offset;
        self.line
    }
}

/// The line breaks in `text[from..to]`: every LF, and every CR not followed by an LF (a
/// CR LF counts at its LF, so a CR just before `to` with its LF at `to` is not counted yet).
/// Sixteen bytes at a time, then byte by byte.
fn breaks_in(text: &[u8], from: usize, to: usize) -> u32 {
    let (mut breaks, at) = crate::simd::line_breaks(text, from, to);
    for i in at..to {
        match text.get(i) {
            Some(b'\n') => breaks += 1,
            Some(b'\r') if text.get(i + 1) != Some(&b'\n') => breaks += 1,
            _ => {}
        }
    }
    breaks
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
    fn the_counter_agrees_with_the_index_at_every_offset() {
        for text in [&b"a\r\n\r\nb\rc\n\rd"[..], b"", b"\r", b"\n\n", b"x\r\n", b"\r\r\n\n"] {
            let index = LineIndex::new(text, false);
            let mut counter = LineCounter::default();
            for offset in 0..=text.len() as u32 + 1 {
                let line = counter.line(text, offset);
                assert_eq!(line, index.line_col(offset).line, "{text:?} @ {offset}");
            }
            // Going back starts again and still agrees.
            assert_eq!(counter.line(text, 0), 1);
            let last = text.len() as u32;
            assert_eq!(counter.line(text, last), index.line_col(last).line);
        }
    }

    #[test]
    fn the_counter_agrees_with_the_index_across_windows() {
        // Every line-break shape at every position around the 16-byte windows.
        for shape in [&b"\r\n"[..], b"\n", b"\r", b"\r\r\n", b"\n\r"] {
            for at in 0..40 {
                let mut text = vec![b'x'; 48];
                text.splice(at..at, shape.iter().copied());
                let index = LineIndex::new(&text, false);
                for step in [1, 3, 16, 17] {
                    let mut counter = LineCounter::new();
                    for offset in (0..=text.len() as u32).step_by(step) {
                        let line = counter.line(&text, offset);
                        assert_eq!(
                            line,
                            index.line_col(offset).line,
                            "{shape:?} at {at} @ {offset}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn long_runs_of_breaks_are_counted_exactly() {
        // More than 255 windows of nothing but breaks: each lane's count is carried over.
        for unit in [&b"\n"[..], b"\r\n", b"\r", b"a\r\n\rb\n"] {
            let text = unit.repeat(20_000);
            let index = LineIndex::new(&text, false);
            let mut counter = LineCounter::new();
            for offset in [7, 4_000, 4_097, 65_536, text.len() as u32] {
                assert_eq!(counter.line(&text, offset), index.line_col(offset).line, "{unit:?}");
            }
            assert_eq!(
                LineCounter::new().line(&text, text.len() as u32),
                index.line_count() as u32
            );
        }
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
