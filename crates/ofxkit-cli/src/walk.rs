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
}

/// Expands `paths`: files as given, directories searched recursively (in name order, not
/// following symbolic links to directories) for OFX, QFX, QBO and OFC files.
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
                Ok(t) if t.is_symlink() => {
                    // A link to a file counts; a link to a directory is not followed.
                    if std::fs::metadata(&path).is_ok_and(|m| m.is_file()) && wanted(&path) {
                        files.push(path);
                    }
                }
                Ok(_) if wanted(&path) => files.push(path),
                Ok(_) => {}
                Err(e) => out.push(Found::Error(path, e)),
            }
        }
        files.sort();
        out.extend(files.into_iter().map(Found::File));
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
