//! Transaction rows from an input read from any [`Read`] (a file, standard input), with
//! bounded memory: [`Converter::add_reader`].
//!
//! The input is read chunk by chunk into a buffer of the bytes kept. Each time the buffer
//! has grown by a part (8 MiB) since the last cut, it is read, up to the last `</STMTTRN>`
//! in it, the way [`Converter::add_bytes`] reads a whole file: the transactions offered
//! while reading are written as rows, and their bytes (with the blanks after them, up to the
//! next `<`) are cut out of the buffer. What is left is the input without the transactions
//! already written, which the syntax layer reads as it reads the whole input, minus those
//! elements (an offer is decided when the element closes, from what came before it; see
//! `ofxkit_syntax::parse_streaming`): so the next part starts with the same prefix (header,
//! statement, open lists) and the rows are those of the whole input. At the end of the
//! input, what is left is converted as a whole file.
//!
//! Positions stay those of the input: the buffer is made of segments, each a run of the
//! input whose offset, line and column are known, so rows carry the input's line numbers
//! and findings are placed in the input ([`Located`]).
//!
//! Memory is what is kept (the prefix, the transactions not taken, what comes after them)
//! and one part. When a part's transactions are not all taken (the converter declined one,
//! or most of the part is something else), no later part is cut: the rest is kept and read
//! at the end, within [`Limits::max_input_size`](ofxkit_syntax::Limits::max_input_size) like
//! any file read whole. The limits on depth, text length and names apply to every part; the
//! element count applies to the elements held at once (each part), not to the stream.

use std::io::{self, Read, Write};

use ofxkit_syntax::{LineCol, LineCounter, LineIndex, Span};

use super::{AddError, Converter, What};
use crate::diagnostic::Diagnostic;

/// Bytes read from the input at a time.
const CHUNK: usize = 64 * 1024;

/// The growth of the buffer after which it is read and cut.
const PART: usize = 8 << 20;

/// The end tag a part ends after.
const CUT_AFTER: &[u8] = b"</STMTTRN>";

/// A finding of [`Converter::add_reader`], with its place in the input.
#[derive(Debug, Clone, PartialEq)]
pub struct Located {
    /// The finding; its span is in the input's offsets.
    pub diagnostic: Diagnostic,
    /// The line and column where it starts.
    pub line_col: LineCol,
}

/// Why [`Converter::add_reader`] stopped, with the place in the input of a parse error.
#[derive(Debug)]
pub struct ReadFailure {
    /// What failed (reading the input is an [`AddError::Io`]).
    pub error: AddError,
    /// Where, for an [`AddError::Parse`] (1:1 otherwise).
    pub line_col: LineCol,
}

impl std::fmt::Display for ReadFailure {
    /// The place, for a parse error, then what failed.
    ///
    /// ```
    /// use ofxkit::convert::{Converter, ConvertOptions};
    /// let mut conv = Converter::new(Vec::new(), ConvertOptions::default())?;
    /// let failure = conv.add_reader("a.ofx", &b"not OFX at all"[..], &Default::default()).unwrap_err();
    /// assert!(failure.to_string().starts_with("1:1: "), "{failure}");
    /// # Ok::<(), std::io::Error>(())
    /// ```
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.error {
            AddError::Parse(_) => write!(f, "{}: {}", self.line_col, self.error),
            _ => write!(f, "{}", self.error),
        }
    }
}

impl std::error::Error for ReadFailure {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

impl From<AddError> for ReadFailure {
    fn from(error: AddError) -> Self {
        ReadFailure { error, line_col: LineCol { line: 1, column: 1 } }
    }
}

/// A run of the input kept in the buffer.
#[derive(Debug, Clone, Copy)]
struct Segment {
    /// Where it starts in the buffer.
    at: u32,
    /// Its line in the buffer (as [`LineCounter`] counts).
    buffer_line: u32,
    /// Where it starts in the input.
    offset: u64,
    /// The input's line and column there (columns in bytes, and in characters).
    line: u32,
    column: u32,
    column_chars: u32,
}

/// How a line of the buffer converted maps to a line of the input (empty: the same).
#[derive(Debug, Clone, Default)]
pub(crate) struct LineMap(Vec<(u32, u32, u32)>);

impl LineMap {
    /// The input's line of the buffer's `line`, where `offset` is.
    #[inline]
    pub(crate) fn line(&self, offset: u32, line: u32) -> u32 {
        if self.0.len() <= 1 {
            return match self.0.first() {
                Some(&(_, buffer_line, input_line)) => input_line + line - buffer_line,
                None => line,
            };
        }
        let i = self.0.partition_point(|&(at, _, _)| at <= offset);
        match i.checked_sub(1).and_then(|i| self.0.get(i)) {
            Some(&(_, buffer_line, input_line)) => input_line + line.saturating_sub(buffer_line),
            None => line,
        }
    }
}

/// The bytes kept, and where they come from.
struct Kept {
    bytes: Vec<u8>,
    segments: Vec<Segment>,
    /// The input offsets of the transactions written but kept (see `cuttable`), ascending.
    written: Vec<u64>,
    /// The buffer the next cut copies what is kept into (reused: no new allocation for
    /// each part).
    spare: Vec<u8>,
}

impl Kept {
    fn new() -> Self {
        let first =
            Segment { at: 0, buffer_line: 1, offset: 0, line: 1, column: 1, column_chars: 1 };
        Kept { bytes: Vec::new(), segments: vec![first], written: Vec::new(), spare: Vec::new() }
    }

    fn line_map(&self) -> LineMap {
        LineMap(self.segments.iter().map(|s| (s.at, s.buffer_line, s.line)).collect())
    }

    /// The buffer offsets of the transactions written but kept.
    fn written(&self) -> Vec<u32> {
        let at = |offset: u64| {
            let i = self.segments.partition_point(|s| s.offset <= offset).checked_sub(1)?;
            let s = self.segments.get(i)?;
            u32::try_from(u64::from(s.at) + (offset - s.offset)).ok()
        };
        self.written.iter().filter_map(|&o| at(o)).collect()
    }

    /// Whether the transaction at `start`, in the list starting at `parent`, can be cut out
    /// of the buffer: when the tag before it (blanks aside) is an end tag or its parent's
    /// start tag. Otherwise the tag may have ended a leaf (`<DTEND>20250101<STMTTRN>`),
    /// which with the transaction gone would end elsewhere, maybe at the end of the input:
    /// it is kept, and taken without being written again.
    fn cuttable(&self, start: u32, parent: u32) -> bool {
        let before = self.bytes.get(..start as usize).unwrap_or_default();
        let Some(i) = before.iter().rposition(|b| !b.is_ascii_whitespace()) else {
            return false;
        };
        if before.get(i) != Some(&b'>') {
            return false;
        }
        let tag = memchr::memrchr(b'<', before.get(..i).unwrap_or_default());
        tag.is_some_and(|lt| before.get(lt + 1) == Some(&b'/') || lt == parent as usize)
    }

    /// The segment holding buffer offset `at`.
    fn segment(&self, at: u32) -> Segment {
        let i = self.segments.partition_point(|s| s.at <= at).saturating_sub(1);
        self.segments.get(i).copied().unwrap_or(Segment {
            at: 0,
            buffer_line: 1,
            offset: 0,
            line: 1,
            column: 1,
            column_chars: 1,
        })
    }

    /// The input's offset of buffer offset `at`.
    fn offset(&self, at: u32) -> u64 {
        let s = self.segment(at);
        s.offset + u64::from(at - s.at)
    }

    /// The input's line and column (in bytes, and in characters) of buffer offset `at`, as
    /// [`LineIndex`] counts them.
    fn place(&self, at: u32) -> (u32, u32, u32) {
        let s = self.segment(at);
        let from = s.at as usize;
        let at = (at as usize).min(self.bytes.len()).max(from);
        let tail = self.bytes.get(from..).unwrap_or_default();
        let breaks = LineCounter::new().line(tail, (at - from) as u32) - 1;
        let chars = |b: &[u8]| b.iter().filter(|&&c| (c & 0xC0) != 0x80).count() as u32;
        let run = self.bytes.get(from..at).unwrap_or_default();
        if breaks == 0 {
            return (s.line, s.column + run.len() as u32, s.column_chars + chars(run));
        }
        // The line starts after the last break before `at` (a CR whose LF is at `at` ends
        // no line yet).
        let mut end = run.len();
        let start = loop {
            match memchr::memrchr2(b'\n', b'\r', run.get(..end).unwrap_or_default()) {
                Some(i) if run.get(i) == Some(&b'\r') && i + 1 == run.len() => {
                    if self.bytes.get(at) == Some(&b'\n') {
                        end = i;
                        continue;
                    }
                    break i + 1;
                }
                Some(i) => break i + 1,
                None => break 0,
            }
        };
        let line = run.get(start..).unwrap_or_default();
        (s.line + breaks, line.len() as u32 + 1, chars(line) + 1)
    }

    /// Cuts `taken` (ascending buffer ranges, with the blanks after each up to a `<`) out
    /// of the buffer; returns how many bytes went.
    fn cut(&mut self, taken: &[(u32, u32)]) -> usize {
        if taken.is_empty() {
            return 0;
        }
        let old = &self.bytes;
        let mut kept = std::mem::take(&mut self.spare);
        kept.clear();
        let mut segments: Vec<Segment> = Vec::new();
        let mut old_segments = self.segments.iter().peekable();
        let mut at = 0usize;
        // The runs to cut: each range with the blanks after it up to a `<`, ranges that
        // then touch made one (placed once: a place is counted from its segment's start).
        let mut runs: Vec<(usize, usize)> = Vec::new();
        for &(start, end) in taken {
            let (start, mut end) = (start as usize, end as usize);
            if runs.last().is_some_and(|&(_, e)| start < e) || end > old.len() || start > end {
                continue;
            }
            let mut blank = end;
            while old.get(blank).is_some_and(u8::is_ascii_whitespace) {
                blank += 1;
            }
            if old.get(blank) == Some(&b'<') {
                end = blank;
            }
            match runs.last_mut() {
                Some(last) if last.1 == start => last.1 = end,
                _ => runs.push((start, end)),
            }
        }
        for (start, end) in runs {
            copy_run(old, (at, start), &mut old_segments, &mut kept, &mut segments);
            let (line, column, column_chars) = self.place(end as u32);
            let next = Segment {
                at: kept.len() as u32,
                buffer_line: 0,
                offset: self.offset(end as u32),
                line,
                column,
                column_chars,
            };
            // A run cut right after another one: one segment starts there.
            if segments.last().is_some_and(|s| s.at == next.at) {
                segments.pop();
            }
            segments.push(next);
            // The segments inside the run cut out are dropped.
            while old_segments.next_if(|s| (s.at as usize) <= end).is_some() {}
            at = end;
        }
        copy_run(old, (at, old.len()), &mut old_segments, &mut kept, &mut segments);
        let cut = old.len() - kept.len();
        let mut lines = LineCounter::new();
        for s in &mut segments {
            s.buffer_line = lines.line(&kept, s.at);
        }
        self.spare = std::mem::replace(&mut self.bytes, kept);
        self.segments = segments;
        cut
    }
}

/// Appends `old[from..to]` to `kept`, with the segments that start in it.
fn copy_run<'s>(
    old: &[u8],
    (from, to): (usize, usize),
    old_segments: &mut std::iter::Peekable<std::slice::Iter<'s, Segment>>,
    kept: &mut Vec<u8>,
    segments: &mut Vec<Segment>,
) {
    let shift = from as i64 - kept.len() as i64;
    while let Some(s) = old_segments.next_if(|s| (s.at as usize) < to) {
        if (s.at as usize) >= from {
            segments.push(Segment { at: (i64::from(s.at) - shift) as u32, ..*s });
        }
    }
    kept.extend_from_slice(old.get(from..to).unwrap_or_default());
}

fn clamp(offset: u64) -> u32 {
    u32::try_from(offset).unwrap_or(u32::MAX)
}

impl<W: Write> Converter<W> {
    /// Converts one input read from `reader` (which need not be a file: standard input, a
    /// pipe), holding only part of it at a time when it writes transaction rows (see the
    /// module documentation): the rows, and the findings, are those of
    /// [`add_bytes`](Self::add_bytes) on the whole input, the findings with their place in
    /// the input. Other rows read the whole input, as [`add_bytes`](Self::add_bytes) does.
    ///
    /// ```
    /// use ofxkit::convert::{Converter, ConvertOptions, Target, What};
    /// let file = b"<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>USD\
    ///   <BANKACCTFROM><BANKID>1<ACCTID>2<ACCTTYPE>CHECKING</BANKACCTFROM><BANKTRANLIST>\
    ///   <STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20240105<TRNAMT>-12.50<FITID>A</STMTTRN>\
    ///   </BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>";
    /// let options = ConvertOptions { target: Target::Csv, what: What::Transactions, ..Default::default() };
    /// let mut conv = Converter::new(Vec::new(), options)?;
    /// // A reader: here a byte slice; a file or standard input as well.
    /// let findings = conv.add_reader("a.ofx", &file[..], &Default::default()).unwrap();
    /// // The findings (no SIGNONMSGSRSV1, …) are placed in the input: it is one line.
    /// assert!(!findings.is_empty() && findings.iter().all(|f| f.line_col.line == 1));
    /// let csv = String::from_utf8(conv.finish()?).unwrap();
    /// assert!(csv.contains(",2024-01-05,,-12.50,DEBIT,,A,"));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn add_reader<R: Read>(
        &mut self,
        source: &str,
        mut reader: R,
        options: &ofxkit_syntax::Options,
    ) -> Result<Vec<Located>, ReadFailure> {
        let part = self.part_size();
        let streams = self.options.what == What::Transactions && self.rows_from_tree();
        let limit = options.limits.max_input_size;
        let mut kept = Kept::new();
        // The buffer's length after the last cut, and how far it was searched for a cut
        // point since.
        let (mut base, mut searched) = (0usize, 0usize);
        let mut hold = !streams;
        let mut cut_out = CutOut::default();
        loop {
            let want = CHUNK.min(part.max(1)) as u64;
            let n = match (&mut reader).take(want).read_to_end(&mut kept.bytes) {
                Ok(n) => n,
                Err(e) => {
                    let e = io::Error::new(e.kind(), format!("reading the input: {e}"));
                    return Err(AddError::Io(e).into());
                }
            };
            if n == 0 || kept.bytes.len() > limit {
                // At the end, or past the limit: what is kept is read whole (and refused
                // by the syntax layer when too large).
                break;
            }
            if hold || kept.bytes.len() < base + part {
                continue;
            }
            let from = searched.saturating_sub(CUT_AFTER.len()).max(base);
            let search = kept.bytes.get(from..).unwrap_or_default();
            searched = kept.bytes.len();
            let Some(at) = memchr::memmem::rfind(search, CUT_AFTER) else { continue };
            let end = from + at + CUT_AFTER.len();
            let outcome = self.convert_part(source, &mut kept, (base, end), options, part)?;
            cut_out.add(outcome);
            hold = cut_out.hold;
            base = end.saturating_sub(cut_out.last_cut);
            searched = base;
        }
        self.convert_rest(source, &kept, options, cut_out, streams)
    }

    /// The size of a part (see the module documentation).
    fn part_size(&self) -> usize {
        #[cfg(any(test, feature = "fuzz"))]
        if let Some(part) = self.read_part {
            return part;
        }
        PART
    }

    /// Converts the buffer up to `end`, then cuts the transactions written out of it.
    fn convert_part(
        &mut self,
        source: &str,
        kept: &mut Kept,
        (base, end): (usize, usize),
        options: &ofxkit_syntax::Options,
        part: usize,
    ) -> Result<Part, ReadFailure> {
        self.lines = LineCounter::new();
        self.line_map = kept.line_map();
        let mut taken = Vec::new();
        let written = kept.written();
        let bytes = kept.bytes.get(..end).unwrap_or_default();
        let result = self.stream_rows(source, bytes, options, Some(&mut taken), &written);
        taken.sort_unstable();
        // The transactions written: cut out, or kept and remembered.
        let mut cut = Vec::with_capacity(taken.len());
        let mut omitted = 0u64;
        for &[start, end, parent, leaves] in &taken {
            if kept.cuttable(start, parent) {
                cut.push((start, end));
                omitted += u64::from(leaves);
            } else {
                let at = kept.offset(start);
                if let Err(i) = kept.written.binary_search(&at) {
                    kept.written.insert(i, at);
                }
            }
        }
        self.line_map = LineMap::default();
        let rows = match result {
            Ok(rows) => rows,
            Err(error) => return Err(ReadFailure::from(error)),
        };
        let utf8 = rows.syntax.as_ref().is_ok_and(is_utf8);
        let mut outcome = Part {
            syntax: Vec::new(),
            streamed: Vec::new(),
            cut: 0,
            hold: false,
            omitted,
            sgml_body: None,
        };
        {
            let at = Locator::new(kept, None, utf8);
            match &rows.syntax {
                Ok(doc) => {
                    // The findings inside the transactions taken: gone from the buffer, they
                    // are not found again at the end.
                    let inside = |d: &Diagnostic| {
                        let i = cut.partition_point(|&(_, e)| e <= d.span.start);
                        cut.get(i).is_some_and(|&(s, e)| s <= d.span.start && d.span.end <= e)
                    };
                    let findings = crate::diagnostic::syntax_findings(doc);
                    outcome.sgml_body =
                        findings.iter().find(|d| d.code == SGML_BODY).map(|d| at.locate(d.clone()));
                    outcome
                        .syntax
                        .extend(findings.into_iter().filter(inside).map(|d| at.locate(d)));
                }
                // Read again at the end, where the same error stops it.
                Err(_) => outcome.hold = true,
            }
            outcome.streamed.extend(rows.findings.into_iter().map(|d| at.locate(d)));
        }
        let declined = rows.declined;
        drop(rows.syntax);
        let held = end - base;
        outcome.cut = kept.cut(&cut);
        // The converter declined a transaction (it declines the rest of the input too), or
        // much is kept and most of the part was not cut (another kind of content, or
        // transactions left in the tree; reading it again with each part would cost more
        // and more): the rest is kept whole.
        let much = end - outcome.cut > (2 * part).max(1 << 20);
        outcome.hold |= declined || (much && outcome.cut * 2 < held);
        Ok(outcome)
    }

    /// Converts what is kept at the end as a whole file, and puts the findings together as
    /// [`add_bytes`](Self::add_bytes) does.
    fn convert_rest(
        &mut self,
        source: &str,
        kept: &Kept,
        options: &ofxkit_syntax::Options,
        cut_out: CutOut,
        streams: bool,
    ) -> Result<Vec<Located>, ReadFailure> {
        self.lines = LineCounter::new();
        self.line_map = kept.line_map();
        let result = self.read_rest(source, kept, options, streams);
        self.line_map = LineMap::default();
        let (mut syntax, model, last, rows, cap) = match result {
            Ok(r) => r,
            Err(error) => {
                let line_col = match &error {
                    AddError::Parse(e) => Locator::new(kept, None, false).place(e.span().start),
                    _ => LineCol { line: 1, column: 1 },
                };
                return Err(ReadFailure { error, line_col });
            }
        };
        // As `add_bytes` lists them: the syntax layer's findings by position (those of the
        // transactions cut out among them), the model's, those of the rows written while
        // reading, then those of the rows read into the model at the end; one cap over all.
        cut_out.tell_sgml_body(&mut syntax);
        let mut all = syntax;
        all.extend(cut_out.syntax);
        all.sort_by_key(|l| (l.diagnostic.span.start, l.diagnostic.span.end));
        all.extend(model);
        all.extend(cut_out.streamed);
        all.extend(last);
        all.extend(rows);
        Ok(capped(all, cap))
    }

    /// Reads the bytes kept as [`add_bytes`](Self::add_bytes) does; its findings in pieces:
    /// the syntax layer's, the model's, those of the rows written while reading and those of
    /// the rows read into the model at the end; and the cap.
    #[allow(clippy::type_complexity)]
    fn read_rest(
        &mut self,
        source: &str,
        kept: &Kept,
        options: &ofxkit_syntax::Options,
        streams: bool,
    ) -> Result<(Vec<Located>, Vec<Located>, Vec<Located>, Vec<Located>, u32), AddError> {
        let bytes = &kept.bytes;
        if !streams {
            let (doc, findings) = self.add_bytes(source, bytes, options)?;
            let at = Locator::new(kept, Some(doc.syntax()), is_utf8(doc.syntax()));
            let all = findings.into_iter().map(|d| at.locate(d)).collect();
            return Ok((all, Vec::new(), Vec::new(), Vec::new(), doc.findings_cap()));
        }
        let written = kept.written();
        let streamed = self.stream_rows(source, bytes, options, None, &written)?;
        let doc = crate::Document::from_syntax(streamed.syntax.map_err(AddError::Parse)?);
        let (mut model, rows) = self.transaction_rows(source, &doc)?;
        let syntax = crate::diagnostic::syntax_findings(doc.syntax());
        // The model's list begins with the syntax layer's (unless its cap cut it).
        let n = syntax.len();
        let syntax_first = model.len() >= n
            && model.iter().zip(&syntax).all(|(a, b)| a == b)
            && model.iter().skip(n).all(|d| d.left_out.is_none());
        let syntax = if syntax_first {
            let rest = model.split_off(n);
            std::mem::replace(&mut model, rest)
        } else {
            Vec::new()
        };
        let at = Locator::new(kept, Some(doc.syntax()), is_utf8(doc.syntax()));
        let locate = |list: Vec<Diagnostic>| list.into_iter().map(|d| at.locate(d)).collect();
        Ok((
            locate(syntax),
            locate(model),
            locate(streamed.findings),
            locate(rows),
            doc.findings_cap(),
        ))
    }
}

/// Places buffer offsets in the input.
struct Locator<'k> {
    kept: &'k Kept,
    /// The document, when the buffer is the whole input: its own index places offsets
    /// (they may be those of the text transcoded from UTF-16).
    whole: Option<&'k ofxkit_syntax::Document<'k>>,
    index: std::cell::OnceCell<LineIndex<'k>>,
    utf8: bool,
}

impl<'k> Locator<'k> {
    fn new(kept: &'k Kept, doc: Option<&'k ofxkit_syntax::Document<'k>>, utf8: bool) -> Self {
        let whole = doc.filter(|_| kept.segments.len() == 1);
        Locator { kept, whole, index: std::cell::OnceCell::new(), utf8 }
    }

    fn place(&self, at: u32) -> LineCol {
        if let Some(doc) = self.whole {
            return self.index.get_or_init(|| doc.line_index()).line_col(at);
        }
        let (line, column, column_chars) = self.kept.place(at);
        LineCol { line, column: if self.utf8 { column_chars } else { column } }
    }

    fn locate(&self, mut d: Diagnostic) -> Located {
        let line_col = self.place(d.span.start);
        let start = clamp(self.kept.offset(d.span.start));
        let len = d.span.end.saturating_sub(d.span.start);
        d.span = Span::new(start, start.saturating_add(len));
        if self.kept.segments.len() > 1 {
            // Some messages tell where another element starts.
            d.message = self.rebase(&d.message);
            d.help = d.help.map(|h| self.rebase(&h));
        }
        Located { diagnostic: d, line_col }
    }

    /// `text` with each `at byte N` (a buffer offset) made an input offset.
    fn rebase(&self, text: &str) -> String {
        const AT: &str = "at byte ";
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(i) = rest.find(AT) {
            let (head, tail) = rest.split_at(i + AT.len());
            out.push_str(head);
            let digits = tail.bytes().take_while(u8::is_ascii_digit).count();
            let (number, after) = tail.split_at(digits);
            match number.parse::<u32>() {
                Ok(n) => out.push_str(&self.kept.offset(n).to_string()),
                Err(_) => out.push_str(number),
            }
            rest = after;
        }
        out.push_str(rest);
        out
    }
}

/// Whether line columns of `doc` count characters (see [`ofxkit_syntax::Document::line_index`]).
fn is_utf8(doc: &ofxkit_syntax::Document<'_>) -> bool {
    doc.encoding().encoding.name() == "UTF-8"
}

/// `list` with at most `cap` findings per code, as [`Capped`](crate::capped::Capped) keeps
/// them; a summary of those left out is placed where the first one left out was.
fn capped(list: Vec<Located>, cap: u32) -> Vec<Located> {
    let places: rustc_hash::FxHashMap<(u32, u32), LineCol> = list
        .iter()
        .map(|l| ((l.diagnostic.span.start, l.diagnostic.span.end), l.line_col))
        .collect();
    let mut all = crate::capped::Capped::new(cap);
    all.extend(list.into_iter().map(|l| l.diagnostic));
    all.finish()
        .into_iter()
        .map(|d| {
            let line_col = places
                .get(&(d.span.start, d.span.end))
                .copied()
                .unwrap_or(LineCol { line: 1, column: 1 });
            Located { diagnostic: d, line_col }
        })
        .collect()
}

/// The code of the finding that counts the leaves without end tag of the whole input.
const SGML_BODY: &str = "W-SGML-BODY-XML-HEADER";

/// What the parts converted so far gave.
#[derive(Default)]
struct CutOut {
    /// The syntax layer's findings inside the transactions cut out.
    syntax: Vec<Located>,
    /// The findings of the rows written.
    streamed: Vec<Located>,
    /// The bytes the last part cut out of the buffer.
    last_cut: usize,
    /// Keep the rest whole.
    hold: bool,
    /// The leaves without end tag of the transactions cut out.
    omitted: u64,
    /// The first part's finding that the body is SGML under an XML header.
    sgml_body: Option<Located>,
}

impl CutOut {
    fn add(&mut self, part: Part) {
        self.syntax.extend(part.syntax);
        self.streamed.extend(part.streamed);
        self.last_cut = part.cut;
        self.hold = part.hold;
        self.omitted += part.omitted;
        if self.sgml_body.is_none() {
            self.sgml_body = part.sgml_body;
        }
    }

    /// Counts the leaves without end tag cut out in the finding about them among `syntax`
    /// (the syntax layer's findings of what was kept), adding it if what was kept has none.
    fn tell_sgml_body(&self, syntax: &mut Vec<Located>) {
        if self.omitted == 0 {
            return;
        }
        let (kept, found) = match syntax.iter().position(|l| l.diagnostic.code == SGML_BODY) {
            Some(i) => (leaf_count(&syntax[i].diagnostic.message), Some(i)),
            None => (0, None),
        };
        let Some(template) = found.map(|i| syntax.remove(i)).or_else(|| self.sgml_body.clone())
        else {
            return;
        };
        let mut l = template;
        let told = leaf_count(&l.diagnostic.message);
        let all = kept + self.omitted;
        l.diagnostic.message =
            l.diagnostic.message.replacen(&format!("but {told} "), &format!("but {all} "), 1);
        syntax.push(l);
    }
}

/// The number in a [`SGML_BODY`] finding's message (`…, but N leaves have no end tag …`).
fn leaf_count(message: &str) -> u64 {
    let Some((_, after)) = message.split_once("but ") else { return 0 };
    let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().unwrap_or(0)
}

/// What converting one part gave.
struct Part {
    /// The syntax layer's findings inside the transactions cut out.
    syntax: Vec<Located>,
    /// The findings of the rows written.
    streamed: Vec<Located>,
    /// The bytes cut out of the buffer.
    cut: usize,
    /// Keep the rest whole.
    hold: bool,
    /// The leaves without end tag of the transactions cut out.
    omitted: u64,
    /// The syntax layer's finding that the body is SGML under an XML header.
    sgml_body: Option<Located>,
}
