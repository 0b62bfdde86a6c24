//! Reading input files (bounded, each once) and naming them in messages.

use std::borrow::Cow;
use std::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use ofxkit::syntax::escape_controls;

use crate::output::Failure;

/// A file read into memory, with the name to show in messages.
pub struct Input {
    /// The name as given (`-` is `<stdin>`): what outputs record as the source. Messages
    /// show [`shown_name`](Self::shown_name).
    pub name: String,
    /// Read from a regular file, which can be read again (standard input, a FIFO or a
    /// device cannot).
    pub regular: bool,
    /// The bytes, from `start` on.
    buffer: Vec<u8>,
    start: usize,
}

impl Input {
    /// The file's bytes.
    pub fn bytes(&self) -> &[u8] {
        self.buffer.get(self.start..).unwrap_or_default()
    }

    /// The name with control characters escaped, for messages.
    pub fn shown_name(&self) -> Cow<'_, str> {
        escape_controls(&self.name)
    }
}

/// A file that could not be read, with its name.
#[derive(Debug)]
pub struct ReadError {
    /// The path as given.
    pub path: PathBuf,
    /// Why.
    pub error: io::Error,
}

impl ReadError {
    /// Prints `name: error: why` on standard error.
    pub fn report(&self) {
        let why = self.error.to_string();
        eprintln!("{}: error: {}", shown_path(&self.path), escape_controls(&why));
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let why = self.error.to_string();
        write!(f, "{}: {}", shown_path(&self.path), escape_controls(&why))
    }
}

impl From<ReadError> for Failure {
    fn from(e: ReadError) -> Failure {
        Failure::Io(io::Error::new(e.error.kind(), e.to_string()))
    }
}

/// A path as messages show it: `<stdin>` for `-`, control characters escaped.
pub fn shown_path(path: &Path) -> Cow<'_, str> {
    if path.as_os_str() == "-" {
        return Cow::Borrowed("<stdin>");
    }
    match path.to_string_lossy() {
        Cow::Borrowed(s) => escape_controls(s),
        Cow::Owned(s) => Cow::Owned(escape_controls(&s).into_owned()),
    }
}

/// Refuses `-` given more than once: standard input can be read only once.
pub fn stdin_once(paths: &[PathBuf]) -> Result<(), Failure> {
    if paths.iter().filter(|p| p.as_os_str() == "-").count() > 1 {
        return Err(Failure::Usage("standard input (-) can be read only once".to_owned()));
    }
    Ok(())
}

/// Checks, before anything is written, that every input can be read: a regular file is
/// opened (and closed), a directory refused, anything else (standard input, a FIFO, a
/// device) only looked at, since opening it could wait for a writer or take its data. Each
/// path that fails is named on standard error; then the command ends with exit status 2 and
/// writes nothing (no empty table, state or header). `failed_before` paths already failed
/// (and were named) while directories were listed.
pub fn preflight<'p>(
    paths: impl IntoIterator<Item = &'p Path>,
    failed_before: usize,
) -> Result<(), Failure> {
    let (mut failed, mut total) = (failed_before, failed_before);
    for path in paths {
        total += 1;
        if path.as_os_str() == "-" {
            continue;
        }
        let checked = match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => {
                Err(io::Error::new(io::ErrorKind::IsADirectory, "is a directory"))
            }
            Ok(meta) if meta.is_file() => File::open(path).map(drop),
            Ok(_) => Ok(()),
            Err(e) => Err(e),
        };
        if let Err(error) = checked {
            ReadError { path: path.to_path_buf(), error }.report();
            failed += 1;
        }
    }
    if failed == 0 {
        return Ok(());
    }
    Err(Failure::Io(io::Error::other(format!(
        "{failed} of {total} input file(s) could not be read; nothing written"
    ))))
}

/// An input opened to be read as a stream (see [`open`]).
pub struct Opened {
    /// The name as given (`-` is `<stdin>`).
    pub name: String,
    /// Its bytes, read as they are needed.
    pub reader: Box<dyn Read>,
}

/// Opens `path` (`-` = stdin) to be read as a stream, with no size limit: for the readers
/// that hold only part of the input at a time.
pub fn open(path: &Path) -> Result<Opened, ReadError> {
    let fail = |error| ReadError { path: path.to_path_buf(), error };
    if path.as_os_str() == "-" {
        return Ok(Opened { name: "<stdin>".to_owned(), reader: Box::new(io::stdin().lock()) });
    }
    let file = File::open(path).map_err(fail)?;
    let meta = file.metadata().map_err(fail)?;
    if meta.is_dir() {
        return Err(fail(io::Error::new(io::ErrorKind::IsADirectory, "is a directory")));
    }
    Ok(Opened { name: path.display().to_string(), reader: Box::new(file) })
}

/// Memory pages are this size or a multiple of it.
const PAGE: usize = 4096;

/// Reads `path` (`-` = stdin) once, refusing more than `limit` bytes without reading them
/// all.
pub fn read(path: &Path, limit: usize) -> Result<Input, ReadError> {
    read_bytes(path, limit).map_err(|error| ReadError { path: path.to_path_buf(), error })
}

fn read_bytes(path: &Path, limit: usize) -> io::Result<Input> {
    let is_stdin = path.as_os_str() == "-";
    let name = if is_stdin { "<stdin>".to_owned() } else { path.display().to_string() };
    let (reader, size, regular): (Box<dyn Read>, u64, bool) = if is_stdin {
        (Box::new(io::stdin().lock()), 0, false)
    } else {
        let file = File::open(path)?;
        let meta = file.metadata()?;
        if meta.is_dir() {
            return Err(io::Error::new(io::ErrorKind::IsADirectory, "is a directory"));
        }
        (Box::new(file), meta.len(), meta.is_file())
    };
    // One allocation of the file's size (plus the byte that tells it grew past the limit)
    // instead of doubling from empty. A file's bytes start at a page boundary: the kernel
    // copies a file into page-aligned memory about a third faster (193 MB: 0.12-0.13 s of
    // system time instead of 0.18-0.19 s), and the allocator's large blocks begin 16 bytes
    // into a page. Standard input, whose size is not known, grows the buffer and may lose
    // the alignment (only the speed depends on it).
    let size = size.min(limit as u64) as usize;
    let mut buffer = Vec::with_capacity(size + PAGE + 1);
    let start = (PAGE - buffer.as_ptr() as usize % PAGE) % PAGE;
    buffer.resize(start, 0);
    reader.take(limit as u64 + 1).read_to_end(&mut buffer)?;
    if buffer.len() - start > limit {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("larger than the input limit of {limit} bytes"),
        ));
    }
    Ok(Input { name, regular, buffer, start })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_whole_file_from_a_page_boundary_and_refuses_more_than_the_limit() {
        let path = std::env::temp_dir().join(format!("ofxkit-input-{}.ofx", std::process::id()));
        let content: Vec<u8> = (0..10_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &content).unwrap();
        let input = read(&path, content.len()).unwrap();
        assert_eq!(input.bytes(), &content[..]);
        assert_eq!(input.bytes().as_ptr() as usize % PAGE, 0);
        let err = read(&path, content.len() - 1).err().map(|e| e.error.kind());
        assert_eq!(err, Some(io::ErrorKind::InvalidData));
        let message = read(&path, 1).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(message.starts_with(&path.display().to_string()), "{message}");
        std::fs::remove_file(&path).unwrap();
    }
}
