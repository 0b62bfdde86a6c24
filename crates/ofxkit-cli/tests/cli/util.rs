//! A tiny harness: run the binary with arguments and stdin, capture everything.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// What a run produced.
pub struct Output {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

/// The workspace root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A path under `corpus/`.
pub fn corpus(rel: &str) -> String {
    root().join("corpus").join(rel).display().to_string()
}

/// Runs `ofxkit ARGS` with `stdin`.
pub fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ofxkit"))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn ofxkit");
    // Written on a thread: a command that writes while it reads (convert streams its
    // rows) would otherwise block on a full output pipe while this waits to write.
    let input = child.stdin.take().map(|mut pipe| {
        let bytes = stdin.to_vec();
        std::thread::spawn(move || {
            let _ = pipe.write_all(&bytes);
        })
    });
    let out = child.wait_with_output().expect("wait");
    if let Some(writer) = input {
        let _ = writer.join();
    }
    Output {
        status: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The `ofxkit` binary under test.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_ofxkit"))
}

/// A fresh, empty directory for one test (under cargo's temporary directory for tests).
pub fn scratch(test: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli").join(test);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// Runs `command` (its stdin, stdout and stderr set by the caller or inherited as null)
/// and waits at most `seconds`: a run that takes longer is killed and the test fails, so a
/// command that hangs (a FIFO read twice) cannot hang the test suite.
pub fn run_with_timeout(command: &mut Command, seconds: u64) -> Output {
    use std::io::Read;
    let mut child =
        command.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("spawn ofxkit");
    // Read the pipes on threads so a large output cannot block the child.
    let mut stdout = child.stdout.take().expect("stdout");
    let mut stderr = child.stderr.take().expect("stderr");
    let out = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = stdout.read_to_end(&mut b);
        b
    });
    let err = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = stderr.read_to_end(&mut b);
        b
    });
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{command:?} still running after {seconds} s: killed");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let stdout = out.join().expect("stdout thread");
    let stderr = err.join().expect("stderr thread");
    Output {
        status: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}

/// Makes a FIFO at `path` (with `mkfifo`).
pub fn mkfifo(path: &std::path::Path) {
    let status = Command::new("mkfifo").arg(path).status().expect("run mkfifo");
    assert!(status.success(), "mkfifo {}", path.display());
}

/// A thread writing into a FIFO (see [`feed_fifo`]).
pub struct Feed {
    path: PathBuf,
    writer: std::thread::JoinHandle<bool>,
}

/// Writes `bytes` into the FIFO `path` from a thread (opening it blocks until a reader
/// comes). [`Feed::read_by_child`] says, once the command has ended, whether it read them.
pub fn feed_fifo(path: &std::path::Path, bytes: Vec<u8>) -> Feed {
    let owned = path.to_path_buf();
    let writer = std::thread::spawn(move || {
        std::fs::OpenOptions::new()
            .write(true)
            .open(&owned)
            .and_then(|mut f| f.write_all(&bytes))
            .is_ok()
    });
    Feed { path: path.to_path_buf(), writer }
}

impl Feed {
    /// True when a reader took every byte. Call it after the command ended: a writer still
    /// waiting for a reader then is let go (by opening the FIFO without blocking and closing
    /// it), so a command that never opened the FIFO fails the test instead of hanging it.
    pub fn read_by_child(self) -> bool {
        use std::os::unix::fs::OpenOptionsExt;
        for _ in 0..100 {
            if self.writer.is_finished() {
                return self.writer.join().unwrap_or(false);
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        // O_NONBLOCK: opening for reading does not wait for a writer.
        let reader = std::fs::OpenOptions::new().read(true).custom_flags(0o4000).open(&self.path);
        drop(reader);
        let _ = self.writer.join();
        false
    }
}

/// What [`peak_memory`] measured.
pub struct Peak {
    /// Peak resident memory of the child, KiB.
    pub kib: u64,
    /// Lines the child wrote to standard output (counted as they came, not kept).
    pub stdout_lines: u64,
    /// Bytes the child wrote to standard output (counted, not kept).
    pub stdout_bytes: u64,
    /// Exit status.
    pub status: i32,
    /// Standard error.
    pub stderr: String,
}

/// Runs `ofxkit ARGS` (stdin empty) and measures its peak resident memory, counting the
/// lines of its standard output without keeping them. The peak is the kernel's count for
/// the child (`getrusage(RUSAGE_CHILDREN)`), read through python3, which CI has: the
/// workspace forbids `unsafe`, so no `libc` call here.
pub fn peak_memory(args: &[&str]) -> Peak {
    peak_memory_reading(args, None)
}

/// [`peak_memory`] with standard input read from the file `stdin` (empty when `None`).
pub fn peak_memory_reading(args: &[&str], stdin: Option<&std::path::Path>) -> Peak {
    let script = "import resource, subprocess, sys\n\
                  src = open(sys.argv[1], 'rb') if sys.argv[1] else subprocess.DEVNULL\n\
                  p = subprocess.Popen(sys.argv[2:], stdin=src, \
                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)\n\
                  lines = 0\n\
                  size = 0\n\
                  for line in p.stdout:\n    lines += 1\n    size += len(line)\n\
                  err = p.stderr.read()\n\
                  code = p.wait()\n\
                  sys.stderr.buffer.write(err)\n\
                  print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, lines, size, code)\n";
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(stdin.map(|p| p.as_os_str()).unwrap_or_default())
        .arg(bin())
        .args(args)
        .current_dir(root())
        .output()
        .expect("python3 runs");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let numbers: Vec<i64> = text.split_whitespace().filter_map(|p| p.parse().ok()).collect();
    let [kib, lines, bytes, status] = numbers[..] else { panic!("measure: {text:?}") };
    Peak {
        kib: kib as u64,
        stdout_lines: lines as u64,
        stdout_bytes: bytes as u64,
        status: status as i32,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// An OFX 1.x bank statement of `n` transactions, SGML (leaves without end tags) or XML, for
/// the memory tests; one name in five has a reference (`&amp;`), whose transaction the
/// streaming readers read into a small tree.
pub fn long_statement(n: usize, xml: bool) -> Vec<u8> {
    let mut s = if xml {
        "<?xml version=\"1.0\"?>\n<?OFX OFXHEADER=\"200\" VERSION=\"211\"?>\n".to_owned()
    } else {
        "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\n\
         CHARSET:1252\nCOMPRESSION:NONE\nOLDFILEUID:NONE\nNEWFILEUID:NONE\n\n"
            .to_owned()
    };
    let leaf = |name: &str, value: &str| {
        if xml { format!("<{name}>{value}</{name}>\n") } else { format!("<{name}>{value}\n") }
    };
    s.push_str("<OFX><SIGNONMSGSRSV1><SONRS><STATUS>");
    s.push_str(&leaf("CODE", "0"));
    s.push_str(&leaf("SEVERITY", "INFO"));
    s.push_str("</STATUS>");
    s.push_str(&leaf("DTSERVER", "20241231"));
    s.push_str(&leaf("LANGUAGE", "ENG"));
    s.push_str("</SONRS></SIGNONMSGSRSV1><BANKMSGSRSV1><STMTTRNRS>");
    s.push_str(&leaf("TRNUID", "1"));
    s.push_str("<STATUS>");
    s.push_str(&leaf("CODE", "0"));
    s.push_str(&leaf("SEVERITY", "INFO"));
    s.push_str("</STATUS><STMTRS>");
    s.push_str(&leaf("CURDEF", "USD"));
    s.push_str("<BANKACCTFROM>");
    s.push_str(&leaf("BANKID", "121000248"));
    s.push_str(&leaf("ACCTID", "000123"));
    s.push_str(&leaf("ACCTTYPE", "CHECKING"));
    s.push_str("</BANKACCTFROM><BANKTRANLIST>\n");
    s.push_str(&leaf("DTSTART", "20240101"));
    s.push_str(&leaf("DTEND", "20241231"));
    for i in 0..n {
        s.push_str("<STMTTRN>\n");
        s.push_str(&leaf("TRNTYPE", "DEBIT"));
        s.push_str(&leaf("DTPOSTED", &format!("2024{:02}{:02}", 1 + i % 12, 1 + i % 28)));
        s.push_str(&leaf("TRNAMT", &format!("-{}.{:02}", i % 1000, i % 100)));
        s.push_str(&leaf("FITID", &format!("T{i:08}")));
        let name = if i % 5 == 0 { "SHOP &amp; CO" } else { "SHOP AND CO" };
        s.push_str(&leaf("NAME", &format!("{name} {}", i % 97)));
        s.push_str("</STMTTRN>\n");
    }
    s.push_str("</BANKTRANLIST><LEDGERBAL>");
    s.push_str(&leaf("BALAMT", "10.00"));
    s.push_str(&leaf("DTASOF", "20241231"));
    s.push_str("</LEDGERBAL></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\n");
    s.into_bytes()
}
