//! [`StreamedWriter`]: Parquet files written while the inputs are read, a row group at a
//! time.
//!
//! The rows are those `convert --to ndjson` writes (the one row producer: each plain
//! transaction taken as soon as it is read, the rest from the document; see
//! [`Converter::add_reader`]), typed into Arrow arrays ([`Columns`]) as they come: a plain
//! transaction straight from the values it was read with (no row of text is written for
//! it), any other row from its NDJSON text (`row_text`), in the same order. A batch of
//! [`BATCH_ROWS`] at a time goes to the [`Encoder`] (on a thread of its own without
//! partitions), whose Parquet writers end a row group every
//! [`ROW_GROUP_ROWS`](super::ROW_GROUP_ROWS) rows.
//!
//! Partitions: each partition has a file open and a batch being filled. What they hold is
//! bounded whatever their number: when the rows in batches being filled pass [`HELD_ROWS`],
//! the largest batch goes to its file; when the row groups being written hold more than
//! [`HELD_BYTES`], the largest is ended early (a smaller row group); and at most
//! [`OPEN_FILES`] files are open at once: a partition not written to for longest has its
//! file finished, and a later row of it starts another file of the same partition (its
//! number given to [`Files::create`]).

use std::io::{self, Read, Write};
use std::sync::Arc;

use arrow_schema::Schema;
use rustc_hash::FxHashMap;

use super::columns::Columns;
use super::encoder::{Encoder, Job};
use super::row_text::{RowText, column};
use super::values::{StatementCells, Values};
use super::{Partition, schema};
use crate::convert::{
    AddError, ConvertOptions, Converter, Located, OnError, ReadFailure, StreamedValues, TakeValues,
    Target, What,
};
use crate::export::names::account_component;

/// Rows typed into arrays before they are handed to the Parquet writer.
pub const BATCH_ROWS: usize = 16 * 1024;

/// With partitions: the most rows all partitions together hold in batches being filled
/// before the one holding most hands its batch to its file.
pub const HELD_ROWS: usize = 2 * BATCH_ROWS;

/// With partitions: the most bytes all partitions' row groups being written hold together
/// (as the Parquet writer estimates them) before the one holding most is ended early.
/// About what one full row group of bank transactions holds.
pub const HELD_BYTES: usize = 24 << 20;

/// The most files open at once (one per partition being written).
pub const OPEN_FILES: usize = 64;

/// Batches waiting for the encoder's thread, at most.
pub const JOBS: usize = 2;

/// How often (in rows) the rows held are counted.
const CHECK_EVERY: u64 = 4096;

/// Where a [`StreamedWriter`]'s files go.
pub trait Files {
    /// A file being written.
    type File: Write + Send;

    /// Opens file `number` (1, then 2, … when a partition's first file was finished before
    /// the partition ended) of the partition `key` (`account=…`, `month=…`; empty without
    /// partitions). Called when the file's first row group is written: an input without a
    /// transaction makes no file.
    fn create(&mut self, key: &str, number: u32) -> io::Result<Self::File>;

    /// The file is complete (a file never finished, because writing failed or the writer
    /// was dropped, is not complete).
    fn finish(&mut self, key: &str, file: Self::File) -> io::Result<()>;
}

/// One partition (the only one without partitioning).
struct Part {
    key: String,
    columns: Columns,
    /// Its file is open (in the [`Encoder`]).
    open: bool,
    /// Files opened so far.
    files: u32,
    /// The row count when a row last came.
    used: u64,
}

/// Writes the transaction rows of its inputs as Parquet, holding one row group (with
/// partitions: within [`HELD_ROWS`] and [`HELD_BYTES`] in all) whatever the number of
/// transactions.
///
/// ```
/// use ofxkit::export::parquet::{Files, StreamedWriter};
/// /// Files in memory: (partition, number, bytes).
/// #[derive(Default)]
/// struct Memory(Vec<(String, u32, Vec<u8>)>);
/// impl Files for Memory {
///     type File = Vec<u8>;
///     fn create(&mut self, _: &str, _: u32) -> std::io::Result<Vec<u8>> {
///         Ok(Vec::new())
///     }
///     fn finish(&mut self, key: &str, file: Vec<u8>) -> std::io::Result<()> {
///         self.0.push((key.to_owned(), 1, file));
///         Ok(())
///     }
/// }
/// let file = b"<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>EUR\
///   <BANKACCTFROM><BANKID>1<ACCTID>DE42<ACCTTYPE>CHECKING</BANKACCTFROM><BANKTRANLIST>\
///   <STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20240105<TRNAMT>-200,00<FITID>1</STMTTRN>\
///   </BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>";
/// let mut writer = StreamedWriter::new(Memory::default(), None);
/// let findings = writer.add_reader("a.ofx", &file[..], &Default::default()).unwrap();
/// assert!(findings.iter().all(|f| f.diagnostic.severity != ofxkit::Severity::Error));
/// assert_eq!(writer.rows(), 1);
/// let files = writer.finish()?.0;
/// assert_eq!(files.len(), 1);
/// assert!(files[0].2.starts_with(b"PAR1"));
/// # Ok::<(), std::io::Error>(())
/// ```
pub struct StreamedWriter<F: Files> {
    sink: Sink<F>,
}

/// The converter's output: rows typed as they come (from their values, or from their
/// NDJSON text), a batch at a time handed to the [`Encoder`].
struct Sink<F: Files> {
    /// The encoder, when it runs on this thread (`None` while it runs on its own).
    encoder: Option<Encoder<F>>,
    /// The encoder's jobs, while it runs on a thread of its own.
    jobs: Option<std::sync::mpsc::SyncSender<Job>>,
    partition: Option<Partition>,
    schema: Arc<Schema>,
    parts: Vec<Part>,
    by_key: FxHashMap<String, usize>,
    /// The partition of the last row, and the text it was chosen by.
    last: Option<(String, usize)>,
    /// Rows so far.
    rows: u64,
    /// Rows typed from the values they were read with (not from a row's text).
    from_values: u64,
    /// A row not ended yet.
    pending: Vec<u8>,
    /// The cells of the statement of the last row, and their text (as the converter renders
    /// them after a row's `{`).
    statement: StatementCells,
    statement_text: String,
    /// The converter's number of that text when it came with a transaction's values (see
    /// `StreamedValues::prefix_number`); `None` after a row of text, and for each input
    /// (each has its converter).
    prefix_number: Option<u64>,
    /// The `date_posted` text of the last transaction typed from its values.
    date_text: Vec<u8>,
}

impl<F: Files> StreamedWriter<F> {
    /// A writer into `files`, one partition per account or month, or none.
    pub fn new(files: F, partition: Option<Partition>) -> Self {
        StreamedWriter {
            sink: Sink {
                encoder: Some(Encoder::new(files, schema())),
                jobs: None,
                partition,
                schema: schema(),
                parts: Vec::new(),
                by_key: FxHashMap::default(),
                last: None,
                rows: 0,
                from_values: 0,
                pending: Vec::new(),
                statement: StatementCells::default(),
                statement_text: String::new(),
                prefix_number: None,
                date_text: Vec::new(),
            },
        }
    }

    /// Reads one input and writes its transaction rows; returns the findings of reading it,
    /// as [`Converter::add_reader`] does (and fails as it does: the rows of a file that
    /// stops part-way, at a hard limit, are written up to that point).
    ///
    /// The rows are typed on this thread as the input is read. Without partitions, another
    /// thread encodes them (handed a batch of [`BATCH_ROWS`] at a time, [`JOBS`] at most
    /// waiting); with partitions, this one does (the rows and bytes held are then counted
    /// exactly, see [`StreamedWriter`]).
    pub fn add_reader<R: Read>(
        &mut self,
        source: &str,
        reader: R,
        options: &ofxkit_syntax::Options,
    ) -> Result<Vec<Located>, ReadFailure>
    where
        F: Send,
    {
        let convert = ConvertOptions {
            target: Target::Ndjson,
            what: What::Transactions,
            formula_guard: false,
            on_error: OnError::Mark,
            show_secrets: false,
        };
        let sink = &mut self.sink;
        // A new converter numbers its prefixes from 1 again.
        sink.prefix_number = None;
        let convert_all = |sink: &mut Sink<F>| {
            let take: TakeValues<&mut Sink<F>> = Sink::<F>::values;
            let result = match Converter::new(&mut *sink, convert) {
                Ok(mut converter) => {
                    converter.statement_kind = true;
                    converter.values = Some(take);
                    let result = converter.add_reader(source, reader, options);
                    let finished = converter.finish().map(drop);
                    result.and_then(|f| finished.map(|()| f).map_err(|e| AddError::Io(e).into()))
                }
                Err(e) => Err(AddError::Io(e).into()),
            };
            if result.is_ok() && !sink.pending.is_empty() {
                return Err(AddError::Io(io::Error::other("a row was not ended")).into());
            }
            result
        };
        let encoder = match sink.encoder.take() {
            Some(encoder) if sink.partition.is_none() => encoder,
            other => {
                sink.encoder = other;
                return convert_all(sink);
            }
        };
        let (result, encoded) = std::thread::scope(|scope| {
            let (jobs, to_do) = std::sync::mpsc::sync_channel::<Job>(JOBS);
            let worker = scope.spawn(move || {
                let mut encoder = encoder;
                let mut result = Ok(());
                for job in to_do {
                    result = encoder.run(job);
                    if result.is_err() {
                        // The reader sees the channel closed.
                        break;
                    }
                }
                (encoder, result)
            });
            sink.jobs = Some(jobs);
            let result = convert_all(sink);
            // The channel closed: the worker ends with the last job.
            sink.jobs = None;
            let encoded = worker.join();
            (result, encoded)
        });
        let encoded = match encoded {
            Ok((encoder, encoded)) => {
                sink.encoder = Some(encoder);
                encoded
            }
            Err(_) => Err(io::Error::other("the Parquet writer stopped")),
        };
        // A failure to encode first: the reader then only saw the channel closed.
        encoded.map_err(AddError::Io)?;
        result
    }

    /// Rows written so far.
    pub fn rows(&self) -> u64 {
        self.sink.rows
    }

    /// Of the rows written so far, those typed straight from the values they were read with
    /// (each plain transaction of a bank, card or OFC statement read while its file is read,
    /// as `convert --to csv` writes its row straight from the tree); the others were typed
    /// from their row of text.
    pub fn rows_from_values(&self) -> u64 {
        self.sink.from_values
    }

    /// Writes what is held and finishes every file; returns the [`Files`].
    pub fn finish(mut self) -> io::Result<F> {
        let sink = &mut self.sink;
        for i in 0..sink.parts.len() {
            sink.close(i)?;
        }
        match self.sink.encoder {
            Some(encoder) => Ok(encoder.files),
            None => Err(io::Error::other("the Parquet writer stopped")),
        }
    }
}

impl<F: Files> Sink<F> {
    /// Types one row of text into its partition.
    fn row(&mut self, line: &[u8]) -> io::Result<()> {
        let line = std::str::from_utf8(line).map_err(io::Error::other)?;
        let row = RowText::parse(line)?;
        if row.statement_cells_text() != self.statement_text {
            self.statement = StatementCells::read(&row, self.statement.generation + 1)?;
            self.statement_text.clear();
            self.statement_text.push_str(row.statement_cells_text());
            self.prefix_number = None;
        }
        let values = Values::of_row(&row)?;
        let i = self.part_for(row.get(DATE_POSTED))?;
        self.push(i, &values)
    }

    /// Types the values of a transaction streamed plain into its partition (see
    /// [`Converter`]'s `values`): what [`row`](Self::row) does with its row's text.
    fn values(this: &mut &mut Self, mut v: StreamedValues<'_, '_>) -> io::Result<()> {
        let this = &mut **this;
        // The prefix is read once for each number (its text compared only then).
        if this.prefix_number != Some(v.prefix_number) {
            let prefix = std::str::from_utf8(v.prefix).map_err(io::Error::other)?;
            if prefix != this.statement_text {
                let line = format!("{{{prefix}}}");
                let row = RowText::parse_statement(&line)?;
                this.statement = StatementCells::read(&row, this.statement.generation + 1)?;
                this.statement_text.clear();
                this.statement_text.push_str(prefix);
            }
            this.prefix_number = Some(v.prefix_number);
        }
        // Rare: only references the reader reports on.
        let problems = (!v.problems.is_empty()).then(|| v.problems.join(","));
        let values = Values::of_fields(&mut v, &mut this.date_text, problems.as_deref())?;
        // The month, copied: the partition is looked up with `this`.
        let mut month = [0u8; 7];
        let has_month = match this.date_text.get(..7) {
            Some(m) if values.posted.is_some() => {
                month.copy_from_slice(m);
                true
            }
            _ => false,
        };
        let posted = if has_month { std::str::from_utf8(&month).ok() } else { None };
        let i = this.part_for(posted)?;
        this.from_values += 1;
        this.push(i, &values)
    }

    /// Appends typed values to partition `i`.
    #[inline(always)]
    fn push(&mut self, i: usize, values: &Values<'_>) -> io::Result<()> {
        self.rows += 1;
        let Some(part) = self.parts.get_mut(i) else { return Ok(()) };
        part.used = self.rows;
        part.columns.push(&self.statement, values, self.rows)?;
        if part.columns.len() >= BATCH_ROWS {
            self.write_batch(i, false)?;
        }
        if self.partition.is_some() && self.rows.is_multiple_of(CHECK_EVERY) {
            self.bound_held()?;
        }
        Ok(())
    }

    /// The partition of a row of the last statement, posted at `posted` (the text of its
    /// `date_posted`, at least its month); made when new.
    #[inline(always)]
    fn part_for(&mut self, posted: Option<&str>) -> io::Result<usize> {
        match self.partition {
            Some(Partition::Account) => {
                // Taken out while the partition is looked up, then put back.
                let statement = std::mem::take(&mut self.statement);
                let i = self.part_of(Some(statement.account_id().unwrap_or("")));
                self.statement = statement;
                i
            }
            Some(Partition::Month) => self.part_of(posted.and_then(|d| d.get(..7))),
            None => self.part_of(None),
        }
    }

    /// The partition of a row whose partition text (account id or month) is `by` (made
    /// when new).
    #[inline(always)]
    fn part_of(&mut self, by: Option<&str>) -> io::Result<usize> {
        if self.partition.is_none() && !self.parts.is_empty() {
            return Ok(0);
        }
        let text = by.unwrap_or("");
        if let Some((last, i)) = &self.last
            && last == text
        {
            return Ok(*i);
        }
        let key = match (self.partition, by) {
            (None, _) => String::new(),
            (Some(Partition::Account), _) => format!("account={}", account_component(text)),
            (Some(Partition::Month), Some(month)) => format!("month={month}"),
            (Some(Partition::Month), None) => "month=none".to_owned(),
        };
        let i = match self.by_key.get(&key) {
            Some(&i) => i,
            None => {
                self.parts.push(Part {
                    key: key.clone(),
                    columns: Columns::new(),
                    open: false,
                    files: 0,
                    used: self.rows,
                });
                self.by_key.insert(key, self.parts.len() - 1);
                self.parts.len() - 1
            }
        };
        // A row without a posted date (`month=none`) is looked up each time.
        self.last = by.map(|t| (t.to_owned(), i));
        Ok(i)
    }

    /// Hands `job` to the encoder.
    fn send(&mut self, job: Job) -> io::Result<()> {
        match (&self.jobs, &mut self.encoder) {
            (Some(jobs), _) => {
                jobs.send(job).map_err(|_| io::Error::other("the Parquet writer stopped"))
            }
            (None, Some(encoder)) => encoder.run(job),
            (None, None) => Err(io::Error::other("the Parquet writer stopped")),
        }
    }

    /// Hands partition `i`'s batch to its file (opened when it has none, finishing the
    /// file unused longest when [`OPEN_FILES`] are open); with `end_group`, ends its row
    /// group.
    fn write_batch(&mut self, i: usize, end_group: bool) -> io::Result<()> {
        let needs_file = self.parts.get(i).is_some_and(|p| !p.open);
        if needs_file {
            let open = self.parts.iter().filter(|p| p.open).count();
            if open >= OPEN_FILES {
                let oldest = (0..self.parts.len())
                    .filter(|&j| self.parts.get(j).is_some_and(|p| p.open))
                    .min_by_key(|&j| self.parts.get(j).map_or(0, |p| p.used));
                if let Some(j) = oldest {
                    self.close(j)?;
                }
            }
        }
        let Some(part) = self.parts.get_mut(i) else { return Ok(()) };
        let open = if part.open {
            None
        } else {
            part.files += 1;
            part.open = true;
            Some((part.key.clone(), part.files))
        };
        let batch = if part.columns.len() > 0 {
            Some(part.columns.finish(self.schema.clone())?)
        } else {
            None
        };
        self.send(Job::Write { part: i, open, batch, end_group })
    }

    /// Writes what partition `i` holds and finishes its file.
    fn close(&mut self, i: usize) -> io::Result<()> {
        let has_rows = self.parts.get(i).is_some_and(|p| p.columns.len() > 0);
        if has_rows {
            self.write_batch(i, false)?;
        }
        let Some(part) = self.parts.get_mut(i) else { return Ok(()) };
        if part.open {
            part.open = false;
            self.send(Job::Close { part: i })?;
        }
        Ok(())
    }

    /// Keeps what the partitions hold within [`HELD_ROWS`] (batches being filled) and
    /// [`HELD_BYTES`] (row groups being written, which the encoder on this thread counts):
    /// hands the largest batch to its file, ends the largest row group, until they are.
    fn bound_held(&mut self) -> io::Result<()> {
        let pending = |p: &Part| p.columns.len();
        let largest = |parts: &[Part], of: &dyn Fn(&Part) -> usize| {
            (0..parts.len()).max_by_key(|&j| parts.get(j).map_or(0, of)).unwrap_or(0)
        };
        while self.parts.iter().map(pending).sum::<usize>() > HELD_ROWS {
            let most = largest(&self.parts, &pending);
            self.write_batch(most, false)?;
        }
        let bytes = |encoder: &Option<Encoder<F>>, j: usize| {
            encoder.as_ref().map_or(0, |e| e.memory_size(j))
        };
        loop {
            let n = self.parts.len();
            let total: usize = (0..n).map(|j| bytes(&self.encoder, j)).sum();
            if total <= HELD_BYTES {
                break;
            }
            let most = (0..n).max_by_key(|&j| bytes(&self.encoder, j)).unwrap_or(0);
            if bytes(&self.encoder, most) == 0 {
                break;
            }
            self.write_batch(most, true)?;
        }
        Ok(())
    }
}

/// The row column of `date_posted`.
const DATE_POSTED: usize = column("date_posted");

impl<F: Files> Write for Sink<F> {
    /// Takes whole rows (the converter hands them over a piece at a time); a row not ended
    /// yet is kept for the next call.
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut rest = buf;
        if !self.pending.is_empty() {
            let Some(end) = memchr::memchr(b'\n', rest) else {
                self.pending.extend_from_slice(rest);
                return Ok(buf.len());
            };
            let mut line = std::mem::take(&mut self.pending);
            line.extend_from_slice(rest.get(..end).unwrap_or_default());
            self.row(&line)?;
            rest = rest.get(end + 1..).unwrap_or_default();
        }
        while let Some(end) = memchr::memchr(b'\n', rest) {
            self.row(rest.get(..end).unwrap_or_default())?;
            rest = rest.get(end + 1..).unwrap_or_default();
        }
        self.pending.extend_from_slice(rest);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<T: Files> Files for &mut T {
    type File = T::File;

    fn create(&mut self, key: &str, number: u32) -> io::Result<Self::File> {
        (**self).create(key, number)
    }

    fn finish(&mut self, key: &str, file: Self::File) -> io::Result<()> {
        (**self).finish(key, file)
    }
}
