//! Turning the paths on the command line into the list of files to read.

use std::io;
use std::path::{Path, PathBuf};

/// Extensions looked for inside directories (any case).
const EXTENSIONS: [&str; 4] = ["ofx", "qfx", "qbo", "ofc"];

/// A path given on the command line and what it expanded to.
#[derive(Debug)]
pub enum Found {
    /// A file to read (`-` for standard input).
    File(PathBuf),
    /// A path that could not be listed.
    Error(PathBuf, io::Error),
    /// A file inside a directory with a wanted name that is not a regular file (a FIFO, a
    /// socket, a device): reading it could wait for ever, so it is left out.
    Skipped(PathBuf),
}

/// Expands `paths`: files as given (a FIFO named on the command line is read like a file),
/// directories searched recursively (in name order, not following symbolic links to
/// directories) for OFX, QFX, QBO and OFC files that are regular files (or links to one).
pub fn expand(paths: &[PathBuf]) -> Vec<Found> {
    let mut out = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            out.push(Found::File(path.clone()));
            continue;
        }
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => walk_dir(path, &mut out),
            Ok(_) => out.push(Found::File(path.clone())),
            Err(e) => out.push(Found::Error(path.clone(), e)),
        }
    }
    out
}

impl Found {
    /// The path found.
    pub fn path(&self) -> &Path {
        match self {
            Found::File(p) | Found::Error(p, _) | Found::Skipped(p) => p,
        }
    }
}

/// Says on standard error which files were left out for not being regular files, names
/// escaped.
pub fn report_skipped(skipped: &[PathBuf]) {
    if skipped.is_empty() {
        return;
    }
    let mut text = format!(
        "ofxkit: skipped {} path(s) that are not regular files (a FIFO, a socket or a device; \
         name one on the command line to read it):\n",
        skipped.len()
    );
    for p in skipped {
        text.push_str("  ");
        text.push_str(&crate::input::shown_path(p));
        text.push('\n');
    }
    eprint!("{text}");
}

fn wanted(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// Depth-first, iterative (a deep tree cannot overflow the stack), sorted per directory.
fn walk_dir(root: &Path, out: &mut Vec<Found>) {
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) => {
                out.push(Found::Error(dir, e));
                continue;
            }
        };
        let mut files = Vec::new();
        let mut dirs = Vec::new();
        for entry in entries {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    out.push(Found::Error(dir.clone(), e));
                    continue;
                }
            };
            let path = entry.path();
            match entry.file_type() {
                Ok(t) if t.is_dir() => dirs.push(path),
                Ok(_) if !wanted(&path) => {}
                Ok(t) if t.is_file() => files.push(Found::File(path)),
                Ok(t) if t.is_symlink() => match std::fs::metadata(&path) {
                    // A link to a file counts; a link to a directory is not followed.
                    Ok(m) if m.is_file() => files.push(Found::File(path)),
                    Ok(m) if m.is_dir() => {}
                    Ok(_) => files.push(Found::Skipped(path)),
                    // A dangling link names no file.
                    Err(_) => {}
                },
                Ok(_) => files.push(Found::Skipped(path)),
                Err(e) => out.push(Found::Error(path, e)),
            }
        }
        files.sort_by(|a, b| a.path().cmp(b.path()));
        out.extend(files);
        dirs.sort();
        // Popped last-first: push in reverse to visit in name order.
        stack.extend(dirs.into_iter().rev());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions_in_any_case() {
        assert!(wanted(Path::new("a/b.OFX")));
        assert!(wanted(Path::new("b.qbo")));
        assert!(!wanted(Path::new("b.ofx.golden")));
        assert!(!wanted(Path::new("README")));
    }
}
