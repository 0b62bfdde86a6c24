//! A small HTTP/1.1 server on 127.0.0.1 for tests (feature `test-server`): it answers each
//! request with the next [`Reply`] of its script and keeps what it received.
//!
//! Only what an OFX exchange needs: one request per connection, a `Content-Length` body,
//! the answer closed after it is written.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// How the server answers one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// `200 OK`, `Content-Type: application/x-ofx`, these bytes.
    Ofx(Vec<u8>),
    /// This status, content type and body.
    Status(u16, &'static str, Vec<u8>),
    /// Waits this long before answering `200` with these bytes (past a client's timeout).
    Slow(Duration, Vec<u8>),
    /// Closes the connection without answering.
    Close,
}

/// One request the server received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    /// `POST`, `GET`…
    pub method: String,
    /// The path.
    pub path: String,
    /// Headers, names in lower case, in order.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Received {
    /// The first header `name` (lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// The body as text (lossy).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// The server; stopped when dropped.
pub struct Server {
    addr: SocketAddr,
    received: Arc<Mutex<Vec<Received>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    /// Starts a server answering with `script`, in order; once it runs out, the last reply
    /// again (a server with an empty script closes every connection).
    pub fn start(script: Vec<Reply>) -> std::io::Result<Server> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        let received = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (r, s) = (Arc::clone(&received), Arc::clone(&stop));
        let thread = std::thread::spawn(move || {
            let mut n = 0;
            for stream in listener.incoming() {
                if s.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let reply = script.get(n).or(script.last()).cloned().unwrap_or(Reply::Close);
                n += 1;
                // A slow reply must not hold up the next connection (the client's retry).
                std::thread::spawn({
                    let r = Arc::clone(&r);
                    move || serve(stream, reply, &r)
                });
            }
        });
        Ok(Server { addr, received, stop, thread: Some(thread) })
    }

    /// `http://127.0.0.1:PORT/ofx`.
    pub fn url(&self) -> String {
        format!("http://{}/ofx", self.addr)
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// What it received so far, in order.
    pub fn received(&self) -> Vec<Received> {
        self.received.lock().map(|r| r.clone()).unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accepting thread.
        let _ = TcpStream::connect(self.addr);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn read_request(stream: &TcpStream) -> Option<Received> {
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_owned();
    let path = parts.next()?.to_owned();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).ok()? == 0 {
            break;
        }
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        let (name, value) = h.split_once(':')?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
    }
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some(Received { method, path, headers, body })
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        404 => "Not Found",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

fn serve(mut stream: TcpStream, reply: Reply, received: &Mutex<Vec<Received>>) {
    let Some(request) = read_request(&stream) else { return };
    if let Ok(mut r) = received.lock() {
        r.push(request);
    }
    let (status, content_type, body) = match reply {
        Reply::Close => return,
        Reply::Ofx(b) => (200, "application/x-ofx", b),
        Reply::Status(s, t, b) => (s, t, b),
        Reply::Slow(wait, b) => {
            std::thread::sleep(wait);
            (200, "application/x-ofx", b)
        }
    };
    let mut head = format!(
        "HTTP/1.1 {status} {}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n",
        reason(status),
        body.len()
    );
    if (300..400).contains(&status) {
        head.push_str("Location: https://elsewhere.example/ofx\r\n");
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
    let _ = stream.flush();
}
