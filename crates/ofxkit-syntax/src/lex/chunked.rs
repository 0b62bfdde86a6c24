//! The production lexer over any [`Read`]: a buffer refilled chunk by chunk, the events'
//! offsets and line:column global.

use std::io::{self, Read};

use super::{Event, Lexer, SliceLexer};
use crate::line_index::LineCol;

/// Bytes asked of the reader at a time (more when one event is longer).
const CHUNK: usize = 64 * 1024;

/// The longest event held by default: 16 MiB (an OFX text is short; a file with a longer run
/// of text, or a comment that never ends, is not read on).
pub const DEFAULT_MAX_EVENT: usize = 16 << 20;

/// The production lexer reading from any [`Read`] (a file, standard input, a socket), holding
/// only the event being read and what the reader has handed over since.
///
/// It gives the same events, with the same offsets, as [`SliceLexer`] over the whole input,
/// whatever the sizes of the reader's chunks: an event that reaches the end of the buffer may
/// go on in the next chunk, so it is read again once more bytes are in (or the reader is at
/// its end). Memory is the longest event plus one chunk.
///
/// ```
/// use ofxkit_syntax::lex::{Event, ReadLexer, SliceLexer};
///
/// let src = b"OFXHEADER:100\n\n<OFX>\n<CODE>0\n</OFX>";
/// let mut lexer = ReadLexer::new(&src[..]);
/// let mut events = Vec::new();
/// while let Some(event) = lexer.next_event()? {
///     events.push(event);
/// }
/// assert_eq!(events, SliceLexer::new(src).collect::<Vec<Event>>());
/// assert_eq!(lexer.line_col().to_string(), "5:1"); // where `</OFX>` starts
/// # Ok::<(), std::io::Error>(())
/// ```
pub struct ReadLexer<R> {
    reader: R,
    buf: Vec<u8>,
    /// Where the next event starts in `buf`.
    start: usize,
    /// The global offset of `buf[0]`.
    base: u64,
    /// The reader has reported its end.
    eof: bool,
    /// Still in the header (see [`Lexer::in_header`]).
    header: bool,
    /// Bytes to ask for when the buffer needs more.
    chunk: usize,
    /// The longest event held (see [`max_event_len`](Self::max_event_len)).
    max_event: usize,
    lines: LineTracker,
    /// Whether a UTF-8 byte-order mark was looked for yet.
    bom_checked: bool,
}

impl<R: Read> ReadLexer<R> {
    /// Lexes what `reader` yields, from its first byte (after a UTF-8 byte-order mark).
    pub fn new(reader: R) -> Self {
        Self::with_chunk_size(reader, CHUNK)
    }

    /// As [`new`](Self::new), asking the reader for `chunk` bytes at a time (at least 1).
    pub fn with_chunk_size(reader: R, chunk: usize) -> Self {
        ReadLexer {
            reader,
            buf: Vec::new(),
            start: 0,
            base: 0,
            eof: false,
            header: true,
            chunk: chunk.max(1),
            max_event: DEFAULT_MAX_EVENT,
            lines: LineTracker::default(),
            bom_checked: false,
        }
    }

    /// Sets the longest event the lexer holds ([`DEFAULT_MAX_EVENT`] unless set): an event
    /// still going on past it is an [`io::ErrorKind::InvalidData`] error, so memory stays
    /// bounded on any input, a pipe that never sends a `<` included.
    ///
    /// ```
    /// use ofxkit_syntax::lex::ReadLexer;
    ///
    /// let endless = std::io::repeat(b'a');
    /// let mut lexer = ReadLexer::new(endless).max_event_len(1 << 20);
    /// let error = lexer.next_event().unwrap_err();
    /// assert_eq!(error.kind(), std::io::ErrorKind::InvalidData);
    /// ```
    #[must_use]
    pub fn max_event_len(mut self, max: usize) -> Self {
        self.max_event = max.max(1);
        self
    }

    /// The next event, `Ok(None)` at the end of the input. An error of the reader is
    /// returned as is (an [`io::ErrorKind::Interrupted`] read is retried); an input past
    /// 4 GiB (spans are `u32`) and an event longer than the [`max_event_len`](Self::max_event_len)
    /// are [`io::ErrorKind::InvalidData`] errors.
    pub fn next_event(&mut self) -> io::Result<Option<Event>> {
        if !self.bom_checked {
            while self.buf.len() < 3 && !self.eof {
                self.fill()?;
            }
            self.bom_checked = true;
            self.advance(super::start_of(&self.buf));
        }
        loop {
            let window = self.buf.get(self.start..).unwrap_or_default();
            let mut lexer = SliceLexer::resume(window, 0, self.header);
            let event = lexer.next();
            let end = lexer.position();
            let complete = self.eof || (event.is_some() && end < window.len());
            if !complete {
                if window.len() > self.max_event {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        format!(
                            "an event longer than {} bytes at offset {}",
                            self.max_event,
                            self.base + self.start as u64
                        ),
                    ));
                }
                self.fill()?;
                continue;
            }
            let Some(event) = event else { return Ok(None) };
            let at = self.base + self.start as u64;
            if u32::try_from(at + end as u64).is_err() {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "input past 4 GiB: spans are u32",
                ));
            }
            self.header = lexer.in_header();
            self.lines.skip_to(self.buf.get(..self.start).unwrap_or_default(), self.base);
            self.lines.mark_event(at, window.first().copied());
            let event = event.shifted(at as u32);
            self.advance(end);
            return Ok(Some(event));
        }
    }

    /// The line and column (1-based, columns in bytes) where the last event returned by
    /// [`next_event`](Self::next_event) starts; 1:1 before the first.
    pub fn line_col(&self) -> LineCol {
        self.lines.event
    }

    /// The bytes held now (the event being read and what follows it).
    #[cfg(test)]
    pub(crate) fn held(&self) -> usize {
        self.buf.len()
    }

    /// The global offset where the next event starts.
    pub fn position(&self) -> u64 {
        self.base + self.start as u64
    }

    /// Moves the start of the next event `by` bytes on.
    fn advance(&mut self, by: usize) {
        self.start = (self.start + by).min(self.buf.len());
    }

    /// Drops what was consumed and reads one more chunk (setting `eof` at the reader's end).
    fn fill(&mut self) -> io::Result<()> {
        let consumed = self.buf.get(..self.start).unwrap_or_default();
        self.lines.skip_to(consumed, self.base);
        self.buf.drain(..self.start);
        self.base += self.start as u64;
        self.start = 0;
        // Ask for at least as much as is held: an event read again after each fill is read
        // at most twice over in all.
        let old = self.buf.len();
        let want = self.chunk.max(old);
        self.buf.resize(old + want, 0);
        let mut filled = old;
        while filled < old + want {
            let spare = self.buf.get_mut(filled..).unwrap_or_default();
            match self.reader.read(spare) {
                Ok(0) => {
                    self.eof = true;
                    break;
                }
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.buf.truncate(filled);
                    return Err(e);
                }
            }
        }
        self.buf.truncate(filled);
        Ok(())
    }
}

/// Line breaks counted across chunks: CR LF, LF and a lone CR are one break each, as in
/// [`LineIndex`](crate::LineIndex) (a CR LF's line starts after the LF).
#[derive(Debug, Clone)]
struct LineTracker {
    /// Global offset up to which breaks are counted.
    counted: u64,
    /// The line holding `counted`, and the offset where it starts.
    line: u32,
    line_start: u64,
    /// The last byte counted was a CR whose break is not counted yet: it ends after the LF
    /// if one follows.
    pending_cr: bool,
    /// Where the last event starts.
    event: LineCol,
}

impl Default for LineTracker {
    fn default() -> Self {
        LineTracker {
            counted: 0,
            line: 1,
            line_start: 0,
            pending_cr: false,
            event: LineCol { line: 1, column: 1 },
        }
    }
}

impl LineTracker {
    /// Counts the breaks in `bytes` (which start at global offset `base`) not counted yet.
    fn skip_to(&mut self, bytes: &[u8], base: u64) {
        let from = self.counted.saturating_sub(base) as usize;
        let Some(new) = bytes.get(from..) else { return };
        let first = base + from as u64;
        if new.is_empty() {
            return;
        }
        if self.pending_cr {
            self.pending_cr = false;
            self.line = self.line.saturating_add(1);
            self.line_start = if new.first() == Some(&b'\n') { first + 1 } else { first };
        }
        for i in memchr::memchr2_iter(b'\n', b'\r', new) {
            let at = first + i as u64;
            if at < self.line_start {
                continue; // the LF of a CR LF counted with its CR
            }
            match (new.get(i), new.get(i + 1)) {
                (Some(b'\r'), None) => self.pending_cr = true,
                (Some(b'\r'), Some(b'\n')) => {
                    self.line = self.line.saturating_add(1);
                    self.line_start = at + 2;
                }
                _ => {
                    self.line = self.line.saturating_add(1);
                    self.line_start = at + 1;
                }
            }
        }
        self.counted = first + new.len() as u64;
    }

    /// Records that an event starts at `at` (every byte before it counted), its first byte
    /// being `first` (`None` at the end of the input).
    fn mark_event(&mut self, at: u64, first: Option<u8>) {
        let (line, line_start) = if self.pending_cr && first != Some(b'\n') {
            (self.line.saturating_add(1), at)
        } else {
            (self.line, self.line_start)
        };
        let column = u32::try_from(at.saturating_sub(line_start) + 1).unwrap_or(u32::MAX);
        self.event = LineCol { line, column };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The most bytes held while lexing `data` to the end.
    fn most_held(data: &[u8]) -> usize {
        let mut lexer = ReadLexer::new(data);
        let mut most = 0;
        while let Ok(Some(_)) = lexer.next_event() {
            most = most.max(lexer.held());
        }
        most
    }

    #[test]
    fn memory_is_one_chunk_and_the_longest_event_whatever_the_length() {
        let statement = |n: usize| {
            let mut s = b"OFXHEADER:100\nDATA:OFXSGML\n\n<OFX><BANKTRANLIST>".to_vec();
            for i in 0..n {
                s.extend_from_slice(
                    format!("<STMTTRN><TRNAMT>-{i}.50<NAME>N{i}</STMTTRN>\n").as_bytes(),
                );
            }
            s.extend_from_slice(b"</BANKTRANLIST></OFX>");
            s
        };
        let (small, large) = (statement(10_000), statement(100_000));
        assert!(large.len() > 9 * small.len());
        let (a, b) = (most_held(&small), most_held(&large));
        assert!(a <= 2 * CHUNK && b <= 2 * CHUNK, "held {a} and {b} bytes");
    }

    #[test]
    fn an_event_past_the_limit_is_an_error_and_holds_no_more() {
        let mut lexer =
            ReadLexer::with_chunk_size(std::io::repeat(b' '), 4096).max_event_len(100_000);
        let mut header = 0;
        let error = loop {
            match lexer.next_event() {
                Ok(Some(_)) => header += 1,
                Ok(None) => panic!("an endless input ended"),
                Err(e) => break e,
            }
        };
        assert_eq!(header, 0);
        assert_eq!(error.kind(), io::ErrorKind::InvalidData);
        assert!(lexer.held() <= 2 * 100_000 + 4096, "held {}", lexer.held());
        // A long event under the limit is read whole.
        let long = [b"<A>".as_slice(), &[b'x'; 300_000], b"</A>"].concat();
        let mut lexer = ReadLexer::with_chunk_size(&long[..], 4096);
        let events: Vec<Event> = std::iter::from_fn(|| lexer.next_event().ok().flatten()).collect();
        assert_eq!(events.len(), 3);
        assert_eq!(events[1].span().len(), 300_000);
    }
}
