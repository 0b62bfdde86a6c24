//! Talking to an OFX server: a request file is POSTed with `Content-Type:
//! application/x-ofx` over HTTPS, and the answer is checked before anything is kept.
//!
//! A separate crate so that programs that only read OFX files do not build an HTTP and TLS
//! stack. HTTP is [`ureq`] (small, blocking: one request at a time is all a client of an
//! OFX server does) with TLS by rustls and the Mozilla root certificates (`webpki-roots`):
//! nothing to build against OpenSSL, and the same trust store on every system.
//!
//! - **HTTPS only**, except to the machine itself (`http://127.0.0.1`, `localhost`, `[::1]`,
//!   for tests and local bridges): a password is never sent in the clear. Redirects are not
//!   followed (a POST redirected elsewhere could carry the password there); a 3xx answer is
//!   an error naming the new location.
//! - **Trust**: the Mozilla roots, or only the authorities of [`ClientOptions::ca_pem`] (a
//!   bank behind a private authority). Tested end to end against a rustls server with a
//!   self-signed certificate (`tests/https.rs`): trusted, the answer comes back; not
//!   trusted, the certificate is refused before the request leaves.
//! - **Timeouts** ([`ClientOptions`]): to connect (default 30 s) and for the whole answer
//!   to come back (default 120 s).
//! - **One retry** ([`ClientOptions::retry_delay`], default 2 s): after a failure to connect
//!   (the request never left) or an HTTP 5xx answer that is not OFX. Never after a timeout
//!   once the request was sent, nor after an answer that is OFX: the server may have acted
//!   on it (a payment sent twice is worse than an error).
//! - **The answer is checked** ([`Client::exchange`]): a 2xx HTTP status, a body the
//!   ofxkit reader reads as OFX, and no error in its `SONRS` or transaction `STATUS`es
//!   ([`ofxkit::request::check_response`]), each failure a [`ClientError`] with what the
//!   server said (15500: signon invalid…). The body is given back byte for byte, to be
//!   saved untouched.
//!
//! Institutions' addresses and identifiers are kept in a profile file ([`profile`]).
//!
//! ```no_run
//! use ofxkit_client::{Client, ClientOptions};
//! let request = std::fs::read("request.ofx")?;
//! let client = Client::new(ClientOptions::default())?;
//! let answer = client.exchange("https://ofx.example.com/ofx", &request)?;
//! std::fs::write("response.ofx", &answer.body)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod error;
mod http;
pub mod profile;
#[cfg(feature = "test-server")]
pub mod testing;

pub use error::{ClientError, ErrorKind};
pub use http::{Answer, Client, ClientOptions, check_url};
