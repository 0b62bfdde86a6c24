//! Where a command writes: standard output, or a file that is replaced only once the whole
//! output is written.
//!
//! A file named with `-o` is written to a temporary file in the same directory (named
//! `.ofxkit-*.tmp`), flushed, synced to the disk and renamed over the target by
//! [`Output::commit`]. A kill, a full disk or a write limit before that leaves the target as
//! it was; an [`Output`] dropped without a commit removes its temporary file (only a killed
//! process leaves one behind). The rename replaces the directory entry: a target that is a
//! symbolic link has the file it points to replaced, and a target with other hard links gets
//! a new inode (the other names keep the old content). A target that exists and is not a
//! regular file (a FIFO, `/dev/null`, a terminal) is written in place.

use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Stdout, Write};
use std::path::{Path, PathBuf};

use ofxkit::syntax::escape_controls;
use tempfile::NamedTempFile;

use crate::output::Failure;

/// Bytes buffered before a write reaches the file.
const BUFFER: usize = 1 << 16;

/// The output of a command, committed explicitly at the end.
pub struct Output {
    sink: Sink,
}

enum Sink {
    Stdout(BufWriter<Stdout>),
    /// A regular file (new or existing), replaced by `commit`.
    Atomic {
        file: BufWriter<NamedTempFile>,
        target: PathBuf,
        name: String,
    },
    /// An existing file that is not a regular file, written as it comes.
    Direct {
        file: BufWriter<File>,
        name: String,
    },
}

/// `error` with the (escaped) `name` of the file it is about in front, of the same kind.
pub fn named(name: &str, error: io::Error) -> io::Error {
    io::Error::new(error.kind(), format!("{}: {error}", escape_controls(name)))
}

impl Output {
    /// Standard output for `None` or `-`; otherwise the file `path`, written through a
    /// temporary file beside it.
    pub fn open(path: Option<&Path>) -> Result<Output, Failure> {
        let Some(path) = path.filter(|p| p.as_os_str() != "-") else {
            return Ok(Output {
                sink: Sink::Stdout(BufWriter::with_capacity(BUFFER, io::stdout())),
            });
        };
        let name = path.display().to_string();
        let wrap = |e: io::Error| Failure::from(named(&name, e));
        match std::fs::metadata(path) {
            Ok(meta) if !meta.is_file() && !meta.is_dir() => {
                let file = OpenOptions::new().write(true).open(path).map_err(wrap)?;
                let file = BufWriter::with_capacity(BUFFER, file);
                Ok(Output { sink: Sink::Direct { file, name } })
            }
            Ok(meta) if meta.is_dir() => {
                Err(wrap(io::Error::new(io::ErrorKind::IsADirectory, "is a directory")))
            }
            existing => {
                // A symbolic link's file is the one replaced, in its own directory.
                let target = match existing {
                    Ok(_) => std::fs::canonicalize(path).map_err(wrap)?,
                    Err(_) => path.to_path_buf(),
                };
                let dir = match target.parent() {
                    Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
                    _ => PathBuf::from("."),
                };
                let temp = temporary_in(&dir, existing.ok().as_ref()).map_err(wrap)?;
                let file = BufWriter::with_capacity(BUFFER, temp);
                Ok(Output { sink: Sink::Atomic { file, target, name } })
            }
        }
    }

    /// [`open`](Self::open) for an output holding a secret (a request with its password):
    /// a file is made readable and writable by its owner only (mode 0600 on Unix), whatever
    /// the permissions of the file it replaces.
    pub fn open_private(path: Option<&Path>) -> Result<Output, Failure> {
        let out = Output::open(path)?;
        #[cfg(unix)]
        if let Sink::Atomic { file, name, .. } = &out.sink {
            use std::os::unix::fs::PermissionsExt;
            let private = std::fs::Permissions::from_mode(0o600);
            file.get_ref().as_file().set_permissions(private).map_err(|e| named(name, e))?;
        }
        Ok(out)
    }

    /// Flushes everything; for a file, syncs it to the disk and renames it over the target.
    /// On an error the target is as it was and the temporary file is removed.
    pub fn commit(self) -> Result<(), Failure> {
        match self.sink {
            Sink::Stdout(mut out) => out.flush().map_err(Failure::from),
            Sink::Direct { mut file, name } => file.flush().map_err(|e| named(&name, e).into()),
            Sink::Atomic { file, target, name } => {
                let wrap = |e: io::Error| Failure::from(named(&name, e));
                let temp = file.into_inner().map_err(|e| wrap(e.into_error()))?;
                temp.as_file().sync_all().map_err(wrap)?;
                temp.persist(&target).map_err(|e| wrap(e.error))?;
                // The rename itself reaches the disk with its directory; not every file
                // system can sync a directory, and the data is already safe, so a failure
                // here is not reported.
                if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty())
                    && let Ok(d) = File::open(dir)
                {
                    let _ = d.sync_all();
                }
                Ok(())
            }
        }
    }
}

/// A temporary file in `dir` for a new version of a file whose metadata is `existing` (its
/// permissions are copied); a new file gets the permissions `File::create` would give.
fn temporary_in(dir: &Path, existing: Option<&std::fs::Metadata>) -> io::Result<NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".ofxkit-").suffix(".tmp");
    #[cfg(unix)]
    let default = {
        use std::os::unix::fs::PermissionsExt;
        std::fs::Permissions::from_mode(0o666)
    };
    #[cfg(unix)]
    builder.permissions(default);
    let temp = builder.tempfile_in(dir)?;
    if let Some(meta) = existing {
        temp.as_file().set_permissions(meta.permissions())?;
    }
    Ok(temp)
}

/// A file's identity: device and inode on Unix, so that two names of one file (symbolic or
/// hard links, `./a` and `a`) compare equal. Elsewhere there is none and nothing compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileId {
    device: u64,
    inode: u64,
}

impl FileId {
    /// The identity of what `path` names (after symbolic links), or of standard input for
    /// `-`; `None` when it does not exist or cannot be looked at.
    pub fn of_path(path: &Path) -> Option<FileId> {
        if path.as_os_str() == "-" {
            return FileId::of_stdin();
        }
        std::fs::metadata(path).ok().and_then(|m| FileId::of(&m))
    }

    #[cfg(unix)]
    fn of(meta: &std::fs::Metadata) -> Option<FileId> {
        use std::os::unix::fs::MetadataExt;
        Some(FileId { device: meta.dev(), inode: meta.ino() })
    }

    #[cfg(not(unix))]
    fn of(_: &std::fs::Metadata) -> Option<FileId> {
        None
    }

    /// Standard input redirected from a file (`< x.ofx`) is that file.
    #[cfg(unix)]
    fn of_stdin() -> Option<FileId> {
        use std::os::fd::AsFd;
        let fd = io::stdin().as_fd().try_clone_to_owned().ok()?;
        File::from(fd).metadata().ok().and_then(|m| FileId::of(&m))
    }

    #[cfg(not(unix))]
    fn of_stdin() -> Option<FileId> {
        None
    }
}

/// Refuses (exit status 2, before anything is written) an output file that is one of the
/// `inputs`: writing it would replace a file before or after it is read. Only a regular file
/// counts as the output here: writing to a FIFO or a device replaces nothing.
pub fn refuse_overwriting_inputs<'p>(
    output: Option<&Path>,
    inputs: impl IntoIterator<Item = &'p Path>,
) -> Result<(), Failure> {
    let Some(output) = output.filter(|p| p.as_os_str() != "-") else { return Ok(()) };
    if !std::fs::metadata(output).is_ok_and(|m| m.is_file()) {
        return Ok(());
    }
    let Some(target) = FileId::of_path(output) else { return Ok(()) };
    for input in inputs {
        if FileId::of_path(input) == Some(target) {
            let input = if input.as_os_str() == "-" {
                "standard input".to_owned()
            } else {
                escape_controls(&input.display().to_string()).into_owned()
            };
            return Err(Failure::Usage(format!(
                "{}: the output file is also an input ({input}); nothing written",
                escape_controls(&output.display().to_string())
            )));
        }
    }
    Ok(())
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.sink {
            Sink::Stdout(out) => out.write(buf),
            Sink::Atomic { file, name, .. } => file.write(buf).map_err(|e| named(name, e)),
            Sink::Direct { file, name } => file.write(buf).map_err(|e| named(name, e)),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match &mut self.sink {
            Sink::Stdout(out) => out.write_all(buf),
            Sink::Atomic { file, name, .. } => file.write_all(buf).map_err(|e| named(name, e)),
            Sink::Direct { file, name } => file.write_all(buf).map_err(|e| named(name, e)),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.sink {
            Sink::Stdout(out) => out.flush(),
            Sink::Atomic { file, name, .. } => file.flush().map_err(|e| named(name, e)),
            Sink::Direct { file, name } => file.flush().map_err(|e| named(name, e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A path in a directory of this test's own.
    fn scratch(test: &str, name: &str) -> PathBuf {
        let dir = std::env::temp_dir()
            .join(format!("ofxkit-destination-{}", std::process::id()))
            .join(test);
        std::fs::create_dir_all(&dir).unwrap();
        dir.join(name)
    }

    fn temporaries(dir: &Path) -> Vec<String> {
        std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".ofxkit-"))
            .collect()
    }

    #[test]
    fn the_target_changes_only_on_commit() {
        let path = scratch("commit", "commit.txt");
        std::fs::write(&path, "old").unwrap();
        let mut out = Output::open(Some(&path)).unwrap();
        out.write_all(b"new content").unwrap();
        out.flush().unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        out.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new content");
        assert!(temporaries(path.parent().unwrap()).is_empty());
    }

    #[test]
    fn dropped_without_commit_leaves_the_target_and_no_temporary_file() {
        let path = scratch("dropped", "dropped.txt");
        std::fs::write(&path, "old").unwrap();
        let mut out = Output::open(Some(&path)).unwrap();
        out.write_all(&[b'x'; 200_000]).unwrap();
        drop(out);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        assert!(temporaries(path.parent().unwrap()).is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn permissions_and_symbolic_links_are_kept() {
        use std::os::unix::fs::PermissionsExt;
        let real = scratch("links", "real.txt");
        let link = scratch("links", "link.txt");
        std::fs::write(&real, "old").unwrap();
        std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let mut out = Output::open(Some(&link)).unwrap();
        out.write_all(b"new").unwrap();
        out.commit().unwrap();
        assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
        let mode = std::fs::metadata(&real).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
    }

    #[test]
    fn errors_name_the_path() {
        let missing = scratch("errors", "no-such-dir").join("out.json");
        let err = Output::open(Some(&missing)).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.starts_with(&missing.display().to_string()), "{err}");
        let dir = scratch("errors", "");
        let err = Output::open(Some(&dir)).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.contains("is a directory"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn a_device_is_written_in_place() {
        let mut out = Output::open(Some(Path::new("/dev/null"))).unwrap();
        out.write_all(b"gone").unwrap();
        out.commit().unwrap();
        assert!(!std::fs::metadata("/dev/null").unwrap().is_file());
    }
}
