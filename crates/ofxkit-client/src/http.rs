//! The HTTP exchange: one POST, its timeouts, its retry, and the checks of the answer.

use std::io::ErrorKind as IoKind;
use std::time::Duration;

use ofxkit::request::{ResponseCheck, check_response};
use ofxkit::syntax::shown;
use ureq::http::Uri;

use crate::error::{ClientError, ErrorKind};

/// How a [`Client`] talks to servers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientOptions {
    /// Longest wait to connect (TCP and TLS), per attempt. Default 30 s.
    pub connect_timeout: Duration,
    /// Longest wait for the whole answer once the request is sent, per attempt. Default
    /// 120 s (some servers take a minute to gather a statement).
    pub read_timeout: Duration,
    /// The wait before the one retry. Default 2 s.
    pub retry_delay: Duration,
    /// The largest answer taken, in bytes. Default 64 MiB.
    pub max_response: u64,
    /// `User-Agent`. Default `ofxkit/VERSION`.
    pub user_agent: String,
    /// PEM certificates of the authorities to trust instead of the Mozilla roots (a bank
    /// behind a private authority, a local test server); none: the Mozilla roots.
    pub ca_pem: Option<Vec<u8>>,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            connect_timeout: Duration::from_secs(30),
            read_timeout: Duration::from_secs(120),
            retry_delay: Duration::from_secs(2),
            max_response: 64 << 20,
            user_agent: concat!("ofxkit/", env!("CARGO_PKG_VERSION")).to_owned(),
            ca_pem: None,
        }
    }
}

/// A checked answer.
#[derive(Debug, Clone)]
pub struct Answer {
    /// The HTTP status (2xx).
    pub status: u16,
    /// `Content-Type`, as sent.
    pub content_type: Option<String>,
    /// The body, byte for byte.
    pub body: Vec<u8>,
    /// Its statuses (sign-on and transactions), none an error.
    pub check: ResponseCheck,
    /// How many times the request was sent.
    pub attempts: u32,
}

/// Sends requests to OFX servers (see the [crate docs](crate)).
#[derive(Debug, Clone)]
pub struct Client {
    agent: ureq::Agent,
    options: ClientOptions,
}

/// True for the machine itself: `127.0.0.1` (any of 127/8), `localhost`, `::1`.
fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Checks that `url` is one to send a request (and a password) to: `https://`, or
/// `http://` to the machine itself.
///
/// ```
/// use ofxkit_client::check_url;
/// assert!(check_url("https://ofx.example.com/cgi-bin/ofx").is_ok());
/// assert!(check_url("http://127.0.0.1:8080/ofx").is_ok());
/// let err = check_url("http://ofx.example.com/ofx").unwrap_err().to_string();
/// assert!(err.contains("not HTTPS"), "{err}");
/// assert!(check_url("ftp://example.com/").is_err());
/// let err = check_url("https://jdoe:hunter2@ofx.example.com/").unwrap_err().to_string();
/// assert!(!err.contains("hunter2"), "{err}");
/// ```
pub fn check_url(url: &str) -> Result<Uri, ClientError> {
    let bad = |why: &str| ClientError::new(ErrorKind::Url, format!("{}: {why}", shown(url)));
    let uri: Uri = url.parse().map_err(|_| bad("not a URL"))?;
    if uri.authority().is_some_and(|a| a.as_str().contains('@')) {
        // Not quoted: the URL holds a secret.
        return Err(ClientError::new(
            ErrorKind::Url,
            "a URL with a user name or password is refused: the sign-on carries them",
        ));
    }
    let host = uri.host().filter(|h| !h.is_empty()).ok_or_else(|| bad("no host"))?;
    match uri.scheme_str().map(str::to_ascii_lowercase).as_deref() {
        Some("https") => Ok(uri),
        Some("http") if is_loopback(host) => Ok(uri),
        Some("http") => {
            Err(bad("not HTTPS: a request carries the password, and is sent in the clear only to \
             this machine (127.0.0.1, localhost)"))
        }
        _ => Err(bad("not an https:// URL")),
    }
}

/// The start of `body` as one line of text for an error message: markup tags left out
/// (an HTML error page shows its words), blanks collapsed, escaped and cut ([`shown`]).
fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body.get(..4096).unwrap_or(body));
    let mut words = String::new();
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => {
                in_tag = true;
                words.push(' ');
            }
            '>' if in_tag => in_tag = false,
            _ if in_tag => {}
            _ => words.push(c),
        }
    }
    let one_line = words.split_whitespace().collect::<Vec<_>>().join(" ");
    shown(&one_line).into_owned()
}

/// What one attempt gave.
enum Attempt {
    Answered {
        status: u16,
        content_type: Option<String>,
        location: Option<String>,
        body: Vec<u8>,
    },
    /// Failed; `retry` when the request surely did not reach the server.
    Failed {
        error: ClientError,
        retry: bool,
    },
}

impl Client {
    /// A client with these options; an error when `ca_pem` holds no certificate or one
    /// that does not read.
    pub fn new(options: ClientOptions) -> Result<Client, ClientError> {
        let mut config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .max_redirects_will_error(false)
            .timeout_connect(Some(options.connect_timeout))
            .timeout_recv_response(Some(options.read_timeout))
            .timeout_recv_body(Some(options.read_timeout))
            .timeout_send_body(Some(options.read_timeout))
            .user_agent(options.user_agent.as_str());
        if let Some(pem) = &options.ca_pem {
            let bad = |why: String| {
                ClientError::new(ErrorKind::Url, format!("the trusted certificates: {why}"))
            };
            let mut roots = Vec::new();
            for item in ureq::tls::parse_pem(pem) {
                if let ureq::tls::PemItem::Certificate(c) = item.map_err(|e| bad(e.to_string()))? {
                    roots.push(c);
                }
            }
            if roots.is_empty() {
                return Err(bad("no PEM certificate".to_owned()));
            }
            let tls = ureq::tls::TlsConfig::builder()
                .root_certs(ureq::tls::RootCerts::new_with_certs(&roots))
                .build();
            config = config.tls_config(tls);
        }
        Ok(Client { agent: config.build().into(), options })
    }

    /// The options it was made with.
    pub fn options(&self) -> &ClientOptions {
        &self.options
    }

    fn attempt(&self, url: &str, body: &[u8]) -> Attempt {
        let sent = self
            .agent
            .post(url)
            .header("Content-Type", "application/x-ofx")
            .header("Accept", "application/x-ofx, application/xml, text/xml;q=0.9, */*;q=0.1")
            .send(body);
        let mut response = match sent {
            Ok(r) => r,
            Err(e) => return failed(url, e),
        };
        let status = response.status().as_u16();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(|v| shown(v).into_owned())
        };
        let content_type = header("content-type");
        let location = header("location");
        let read = response.body_mut().with_config().limit(self.options.max_response).read_to_vec();
        match read {
            Ok(body) => Attempt::Answered { status, content_type, location, body },
            Err(ureq::Error::BodyExceedsLimit(n)) => Attempt::Failed {
                error: ClientError::new(
                    ErrorKind::NotOfx,
                    format!("{}: the answer is larger than {n} bytes", shown(url)),
                ),
                retry: false,
            },
            Err(e) => match failed(url, e) {
                // The request was sent and answered: never sent again.
                Attempt::Failed { error, .. } => Attempt::Failed { error, retry: false },
                other => other,
            },
        }
    }

    /// POSTs `request` to `url` and checks the answer: a 2xx status, OFX, no error status.
    /// Retries once as the [crate docs](crate) say.
    pub fn exchange(&self, url: &str, request: &[u8]) -> Result<Answer, ClientError> {
        check_url(url)?;
        let mut attempts = 0;
        loop {
            attempts += 1;
            let last = attempts >= 2;
            let with_attempts = |mut e: ClientError| {
                e.attempts = attempts;
                e
            };
            match self.attempt(url, request) {
                Attempt::Failed { error, retry } => {
                    if retry && !last {
                        std::thread::sleep(self.options.retry_delay);
                        continue;
                    }
                    return Err(with_attempts(error));
                }
                Attempt::Answered { status, content_type, location, body } => {
                    let checked = ofxkit::parse(&body).ok().map(|d| check_response(&d));
                    if !(200..300).contains(&status) {
                        if status >= 500 && checked.is_none() && !last {
                            std::thread::sleep(self.options.retry_delay);
                            continue;
                        }
                        let mut message =
                            format!("{}: the server answered HTTP {status}", shown(url));
                        if let Some(loc) = location.filter(|_| (300..400).contains(&status)) {
                            message.push_str(&format!(
                                " (moved to {loc}; redirects are not followed)"
                            ));
                        } else if !body.is_empty() {
                            message.push_str(&format!(": {}", snippet(&body)));
                        }
                        let mut e = with_attempts(ClientError::new(ErrorKind::HttpStatus, message));
                        e.status = Some(status);
                        return Err(e);
                    }
                    let Some(check) = checked else {
                        let what = match (&content_type, body.is_empty()) {
                            (_, true) => "an empty body".to_owned(),
                            (Some(t), false) => format!("{t}: {}", snippet(&body)),
                            (None, false) => snippet(&body),
                        };
                        let mut e = with_attempts(ClientError::new(
                            ErrorKind::NotOfx,
                            format!("{}: the answer is not OFX ({what})", shown(url)),
                        ));
                        e.status = Some(status);
                        return Err(e);
                    };
                    if !check.is_ok() {
                        let mut reasons: Vec<String> =
                            check.errors().map(|s| s.to_string()).collect();
                        if check.is_request {
                            reasons.push("the answer is a request, not a response".to_owned());
                        } else if check.signon.is_none() {
                            reasons.push("the answer has no sign-on response (SONRS)".to_owned());
                        }
                        let mut e = with_attempts(ClientError::new(
                            ErrorKind::Refused,
                            format!("{}: the server refused: {}", shown(url), reasons.join("; ")),
                        ));
                        e.status = Some(status);
                        return Err(e);
                    }
                    return Ok(Answer { status, content_type, body, check, attempts });
                }
            }
        }
    }
}

/// An attempt that got no answer; retried only when the request surely never left.
fn failed(url: &str, e: ureq::Error) -> Attempt {
    use ureq::Timeout;
    let (retry, why) = match &e {
        ureq::Error::ConnectionFailed | ureq::Error::HostNotFound => (true, e.to_string()),
        ureq::Error::Io(io) if io.kind() == IoKind::ConnectionRefused => {
            (true, format!("connection refused ({io})"))
        }
        ureq::Error::Timeout(t @ (Timeout::Resolve | Timeout::Connect)) => {
            (true, format!("timed out connecting ({t})"))
        }
        ureq::Error::Timeout(t) => (
            false,
            format!(
                "timed out waiting for the answer ({t}); not sent again, the server may have acted on it"
            ),
        ),
        ureq::Error::Tls(_) | ureq::Error::Rustls(_) => (false, format!("TLS failed: {e}")),
        // rustls's refusals (an untrusted or expired certificate) come wrapped in I/O.
        ureq::Error::Io(io) if io.to_string().contains("certificate") => {
            (false, format!("TLS failed: {io}"))
        }
        _ => (false, e.to_string()),
    };
    let why = ofxkit::syntax::escape_controls(&why).into_owned();
    Attempt::Failed {
        error: ClientError::new(ErrorKind::Network, format!("{}: {why}", shown(url))),
        retry,
    }
}
