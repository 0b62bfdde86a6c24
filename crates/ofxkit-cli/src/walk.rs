//! Turning the paths on the command line into the list of files to read.

use std::io;
use std::path::{Path, PathBuf};

use crate::output::Failure;

/// Extensions looked for inside directories (any case); `--ext` adds more.
const EXTENSIONS: [&str; 4] = ["ofx", "qfx", "qbo", "ofc"];

/// The extensions a walk looks for: the four of OFX, QFX, QBO and OFC files and those added
/// with `--ext` (comma-separated or repeated, with or without the dot, any case).
#[derive(Debug, Clone)]
pub struct Extensions(Vec<String>);

impl Extensions {
    /// The default four and `extra`.
    pub fn with(extra: &[String]) -> Extensions {
        let mut list: Vec<String> = EXTENSIONS.iter().map(|e| (*e).to_owned()).collect();
        for e in extra.iter().flat_map(|e| e.split(',')) {
            let e = e.trim().trim_start_matches('.').to_ascii_lowercase();
            if !e.is_empty() && !list.contains(&e) {
                list.push(e);
            }
        }
        Extensions(list)
    }

    /// Does `path` end in one of them (any case)?
    fn wanted(&self, path: &Path) -> bool {
        path.extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| self.0.iter().any(|x| x.eq_ignore_ascii_case(e)))
    }

    /// `.ofx, .qfx, .qbo or .ofc`.
    fn listed(&self) -> String {
        let dotted: Vec<String> = self.0.iter().map(|e| format!(".{e}")).collect();
        match dotted.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
            Some((last, _)) => last.clone(),
            None => String::new(),
        }
    }
}

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
    /// A file inside a directory whose extension is not one looked for.
    OtherExtension(PathBuf),
}

/// Expands `paths`: files as given (a FIFO named on the command line is read like a file),
/// directories searched recursively (in name order, not following symbolic links to
/// directories) for OFX, QFX, QBO and OFC files that are regular files (or links to one).
pub fn expand(paths: &[PathBuf], extensions: &Extensions) -> Vec<Found> {
    let mut out = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            out.push(Found::File(path.clone()));
            continue;
        }
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => walk_dir(path, extensions, &mut out),
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
            Found::File(p) | Found::Error(p, _) | Found::Skipped(p) | Found::OtherExtension(p) => p,
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

/// What the paths on the command line expanded to.
#[derive(Debug, Default)]
pub struct Listing {
    /// The files to read, in order (`-` for standard input).
    pub files: Vec<PathBuf>,
    /// Paths that could not be listed or looked at (a missing file, an unreadable directory).
    pub errors: Vec<(PathBuf, io::Error)>,
}

/// Expands `paths` ([`expand`]), says on standard error what the walk left out (files that
/// are not regular, and how many files had another extension), and refuses (exit status 2)
/// a command line that names no file at all; `-` may be given once.
pub fn list(paths: &[PathBuf], extensions: &Extensions) -> Result<Listing, Failure> {
    let mut listing = Listing::default();
    let mut skipped = Vec::new();
    let mut other = 0usize;
    for f in expand(paths, extensions) {
        match f {
            Found::File(p) => listing.files.push(p),
            Found::Skipped(p) => skipped.push(p),
            Found::OtherExtension(_) => other += 1,
            Found::Error(p, e) => listing.errors.push((p, e)),
        }
    }
    report_skipped(&skipped);
    if other > 0 {
        eprintln!(
            "ofxkit: skipped {other} file(s) in the directories whose extension is not {} \
             (--ext adds one)",
            extensions.listed()
        );
    }
    if listing.files.is_empty() && listing.errors.is_empty() {
        return Err(Failure::Io(io::Error::new(
            io::ErrorKind::NotFound,
            format!("no {} file found in the given directories", extensions.listed()),
        )));
    }
    crate::input::stdin_once(&listing.files)?;
    Ok(listing)
}

/// Depth-first, iterative (a deep tree cannot overflow the stack), sorted per directory.
fn walk_dir(root: &Path, extensions: &Extensions, out: &mut Vec<Found>) {
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
                Ok(_) if !extensions.wanted(&path) => files.push(Found::OtherExtension(path)),
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
        let default = Extensions::with(&[]);
        assert!(default.wanted(Path::new("a/b.OFX")));
        assert!(default.wanted(Path::new("b.qbo")));
        assert!(!default.wanted(Path::new("b.ofx.golden")));
        assert!(!default.wanted(Path::new("README")));
        assert!(!default.wanted(Path::new("b.txt")));
        assert_eq!(default.listed(), ".ofx, .qfx, .qbo or .ofc");
        let wider = Extensions::with(&[".TXT,sgml".to_owned(), "ofx".to_owned()]);
        assert!(wider.wanted(Path::new("b.txt")) && wider.wanted(Path::new("c.SGML")));
        assert_eq!(wider.listed(), ".ofx, .qfx, .qbo, .ofc, .txt or .sgml");
    }
}
