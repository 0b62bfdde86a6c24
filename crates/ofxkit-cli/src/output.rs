//! Writing to standard output, with a broken pipe treated as a normal end.

use std::fmt;
use std::io;
use std::process::ExitCode;

/// How a command ended, when it ended normally.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Nothing wrong.
    Ok,
    /// At least one file has errors.
    FileErrors,
}

impl From<Status> for ExitCode {
    fn from(s: Status) -> ExitCode {
        match s {
            Status::Ok => ExitCode::SUCCESS,
            Status::FileErrors => ExitCode::from(1),
        }
    }
}

/// Why a command could not do its work (exit status 2), or a closed output pipe (0).
#[derive(Debug)]
pub enum Failure {
    /// Reading or writing failed.
    Io(io::Error),
    /// The command line asks for something that cannot be done (the message says why).
    Usage(String),
}

impl Failure {
    /// True when stdout was closed by the reader (e.g. `| head`): not an error.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Failure::Io(e) if e.kind() == io::ErrorKind::BrokenPipe)
    }

    /// 0 for a broken pipe, 2 otherwise.
    pub fn exit_code(&self) -> ExitCode {
        if self.is_broken_pipe() { ExitCode::SUCCESS } else { ExitCode::from(2) }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Io(e) => write!(f, "{e}"),
            Failure::Usage(m) => f.write_str(m),
        }
    }
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Self {
        Failure::Io(e)
    }
}
