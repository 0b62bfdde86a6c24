//! [`Encoder`]: the Parquet writers of a [`StreamedWriter`](super::StreamedWriter)'s
//! partitions, which encode the batches typed ([`Job`]s); run on a thread of its own while
//! one input without partitions is read, on the reading thread otherwise.

use std::sync::Arc;

use arrow_array::RecordBatch;
use arrow_schema::Schema;
use parquet::arrow::ArrowWriter;

use super::streamed::Files;
use super::{ParquetError, properties};

/// What the encoder is asked to do with partition `part`'s file.
pub(super) enum Job {
    /// Open the file (`open`: its partition key and number) when it is not, write `batch`
    /// (if any) and, with `end_group`, end the row group.
    Write { part: usize, open: Option<(String, u32)>, batch: Option<RecordBatch>, end_group: bool },
    /// Finish the file.
    Close { part: usize },
}

/// The writers of the partitions' open files, and where files go.
pub(super) struct Encoder<F: Files> {
    pub(super) files: F,
    schema: Arc<Schema>,
    /// By partition: its key and its open file's writer.
    writers: Vec<(String, Option<ArrowWriter<F::File>>)>,
}

impl<F: Files> Encoder<F> {
    pub(super) fn new(files: F, schema: Arc<Schema>) -> Self {
        Encoder { files, schema, writers: Vec::new() }
    }

    /// Does `job`.
    pub(super) fn run(&mut self, job: Job) -> std::io::Result<()> {
        match job {
            Job::Write { part, open, batch, end_group } => {
                if let Some((key, number)) = open {
                    let file = self.files.create(&key, number)?;
                    let writer =
                        ArrowWriter::try_new(file, self.schema.clone(), Some(properties()))
                            .map_err(ParquetError::from)?;
                    if self.writers.len() <= part {
                        self.writers.resize_with(part + 1, || (String::new(), None));
                    }
                    if let Some(slot) = self.writers.get_mut(part) {
                        *slot = (key, Some(writer));
                    }
                }
                let Some((_, Some(writer))) = self.writers.get_mut(part) else {
                    return Err(ParquetError("a batch for a file not open".to_owned()).into());
                };
                if let Some(batch) = batch {
                    writer.write(&batch).map_err(ParquetError::from)?;
                }
                if end_group {
                    writer.flush().map_err(ParquetError::from)?;
                }
            }
            Job::Close { part } => {
                if let Some((key, writer)) = self.writers.get_mut(part)
                    && let Some(writer) = writer.take()
                {
                    let file = writer.into_inner().map_err(ParquetError::from)?;
                    self.files.finish(key, file)?;
                }
            }
        }
        Ok(())
    }

    /// The bytes partition `part`'s row group being written holds (as its writer estimates
    /// them).
    pub(super) fn memory_size(&self, part: usize) -> usize {
        match self.writers.get(part) {
            Some((_, Some(writer))) => writer.memory_size(),
            _ => 0,
        }
    }
}
