//! Reading input files (bounded) and naming them in messages.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// A file read into memory, with the name to show in messages.
pub struct Input {
    /// `-` shows as `<stdin>`.
    pub name: String,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// Reads `path` (`-` = stdin), refusing more than `limit` bytes without reading them all.
pub fn read(path: &Path, limit: usize) -> io::Result<Input> {
    let is_stdin = path.as_os_str() == "-";
    let name = if is_stdin { "<stdin>".to_owned() } else { path.display().to_string() };
    let (reader, size): (Box<dyn Read>, u64) = if is_stdin {
        (Box::new(io::stdin().lock()), 0)
    } else {
        let file = File::open(path)?;
        let size = file.metadata().map(|m| m.len()).unwrap_or(0);
        (Box::new(file), size)
    };
    // One allocation of the file's size (plus the byte that tells it grew past the limit)
    // instead of doubling from empty.
    let mut bytes = Vec::with_capacity(size.min(limit as u64) as usize + 1);
    reader.take(limit as u64 + 1).read_to_end(&mut bytes)?;
    if bytes.len() > limit {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{name} is larger than the input limit of {limit} bytes"),
        ));
    }
    Ok(Input { name, bytes })
}
