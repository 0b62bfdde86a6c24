//! `ofxkit get`: send a request to an OFX server and keep its answer, byte for byte, once
//! it is checked.

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use ofxkit::syntax::escape_controls;
use ofxkit_client::{Client, ClientOptions};

use super::request::{PlaceArgs, RequestKind, build, institution};
use crate::destination::{Output, refuse_overwriting_inputs};
use crate::output::{Failure, Status};

/// Arguments of `ofxkit get`.
#[derive(Debug, Args)]
#[command(subcommand_negates_reqs = true)]
pub struct GetArgs {
    /// The OFX server's URL (HTTPS; plain HTTP only to 127.0.0.1 or localhost).
    #[arg(value_name = "URL", required = true)]
    pub url: Option<String>,
    /// The request file to send (as `ofxkit request` writes it; `-` reads standard input).
    #[arg(value_name = "REQUEST.ofx", required = true)]
    pub request: Option<PathBuf>,
    /// Or: build the request (as `ofxkit request KIND` does) and send it to the --fi
    /// institution's URL.
    #[command(subcommand)]
    pub kind: Option<RequestKind>,
    /// The answer, the institution, the timeouts.
    #[command(flatten)]
    pub place: PlaceArgs,
}

/// Runs `ofxkit get …`.
pub fn run(args: &GetArgs) -> Result<Status, Failure> {
    if let Some(kind) = &args.kind {
        let fi = institution(&args.place)?;
        let Some(fi) = fi else {
            return Err(Failure::Usage(
                "get KIND sends to an institution of the profile file: give --fi NAME".to_owned(),
            ));
        };
        let built = build(kind, Some(&fi))?;
        if built.post.is_some() {
            return Err(Failure::Usage(
                "--post goes with `request`; `get --fi NAME` sends to the profile's URL".to_owned(),
            ));
        }
        return send(&fi.url, &built.bytes, &args.place);
    }
    let (Some(url), Some(path)) = (&args.url, &args.request) else {
        return Err(Failure::Usage("give URL and REQUEST.ofx, or --fi NAME KIND".to_owned()));
    };
    if args.place.fi.is_some() || args.place.profiles.is_some() {
        return Err(Failure::Usage("--fi and --profiles go with `get KIND`, not a URL".to_owned()));
    }
    refuse_overwriting_inputs(args.place.output.as_deref(), std::iter::once(path.as_path()))?;
    let input = crate::input::read(path, ofxkit::syntax::Options::default().limits.max_input_size)?;
    // Only an OFX request is sent: a file that is not one says so before anything leaves.
    match ofxkit::parse(input.bytes()) {
        Err(e) => {
            crate::report::fatal(&input.name, input.bytes(), &e);
            return Ok(Status::FileErrors);
        }
        Ok(doc) if !ofxkit::request::check_response(&doc).is_request => {
            eprintln!(
                "{}: error: not a request (no …MSGSRQV1 message set); nothing sent",
                input.shown_name()
            );
            return Ok(Status::FileErrors);
        }
        Ok(doc) => {
            // A copy written by another command has its password redacted: sending it
            // would only fail the sign-on.
            let tree = doc.syntax().tree();
            if tree.elements().any(|e| e.name() == "USERPASS" && e.text() == Some("***")) {
                eprintln!(
                    "{}: error: its USERPASS is *** (a redacted copy): write the request with \
                     `ofxkit request`; nothing sent",
                    input.shown_name()
                );
                return Ok(Status::FileErrors);
            }
        }
    }
    send(url, input.bytes(), &args.place)
}

/// Sends `request` to `url`; writes the checked answer to `-o` (standard output). Exit
/// status 1 when the server answered with an error (nothing written), 2 without an answer.
pub fn send(url: &str, request: &[u8], place: &PlaceArgs) -> Result<Status, Failure> {
    ofxkit_client::check_url(url).map_err(|e| Failure::Usage(e.to_string()))?;
    let mut options = ClientOptions::default();
    if let Some(s) = place.timeout {
        options.read_timeout = Duration::from_secs(s.max(1));
    }
    if let Some(s) = place.connect_timeout {
        options.connect_timeout = Duration::from_secs(s.max(1));
    }
    if let Some(path) = &place.cacert {
        let input = crate::input::read(path, 1 << 20)?;
        options.ca_pem = Some(input.bytes().to_vec());
    }
    let client = Client::new(options).map_err(|e| Failure::Usage(e.to_string()))?;
    // Opened before sending: an output that cannot be written stops before the request
    // leaves.
    let mut out = Output::open(place.output.as_deref())?;
    match client.exchange(url, request) {
        Ok(answer) => {
            out.write_all(&answer.body)?;
            out.commit()?;
            let signon = answer.check.signon.as_ref().map(|s| s.to_string()).unwrap_or_default();
            eprintln!(
                "ofxkit: {} bytes from {} (HTTP {}, {})",
                answer.body.len(),
                escape_controls(url),
                answer.status,
                escape_controls(&signon)
            );
            Ok(Status::Ok)
        }
        Err(e) if e.server_answered() => {
            eprintln!("ofxkit: error: {}; nothing written", escape_controls(&e.to_string()));
            Ok(Status::FileErrors)
        }
        Err(e) => Err(Failure::Io(std::io::Error::other(format!("{e}; nothing written")))),
    }
}
