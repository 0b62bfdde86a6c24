//! The client against a small HTTP server on 127.0.0.1 (`ofxkit_client::testing`) that
//! answers from corpus responses or is told to fail. Only 127.0.0.1 is ever contacted.

use std::path::PathBuf;
use std::time::Duration;

use ofxkit_client::testing::{Reply, Server};
use ofxkit_client::{Client, ClientOptions, ErrorKind, check_url};

fn corpus(rel: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../corpus").join(rel);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A client with short waits, so the failing cases take a second, not minutes.
fn client() -> Client {
    Client::new(ClientOptions {
        connect_timeout: Duration::from_secs(2),
        read_timeout: Duration::from_millis(700),
        retry_delay: Duration::from_millis(50),
        ..ClientOptions::default()
    })
    .expect("client")
}

const REQUEST: &[u8] = b"OFXHEADER:100\r\nDATA:OFXSGML\r\nVERSION:102\r\n\r\n<OFX><SIGNONMSGSRQV1><SONRQ>\
<DTCLIENT>20240301<USERID>jdoe<USERPASS>pw<LANGUAGE>ENG<APPID>QWIN<APPVER>2700</SONRQ></SIGNONMSGSRQV1></OFX>";

const HTML: &[u8] = b"<!DOCTYPE html><html><head><title>Service Unavailable</title></head>\
<body><h1>Down for maintenance</h1></body></html>";

#[test]
fn an_ofx_answer_is_given_back_byte_for_byte_and_the_request_is_posted_as_ofx() {
    let response = corpus("model/ofx1-bank-and-card.ofx");
    let server = Server::start(vec![Reply::Ofx(response.clone())]).expect("server");
    let answer = client().exchange(&server.url(), REQUEST).expect("answered");
    assert_eq!(answer.body, response);
    assert_eq!((answer.status, answer.attempts), (200, 1));
    assert!(answer.check.is_ok());
    let got = server.received();
    assert_eq!(got.len(), 1);
    assert_eq!((got[0].method.as_str(), got[0].path.as_str()), ("POST", "/ofx"));
    assert_eq!(got[0].header("content-type"), Some("application/x-ofx"));
    assert_eq!(got[0].body, REQUEST);
    assert!(got[0].header("user-agent").is_some_and(|u| u.starts_with("ofxkit/")));
}

#[test]
fn http_500_with_an_html_page_is_retried_once_then_an_error() {
    let server =
        Server::start(vec![Reply::Status(500, "text/html", HTML.to_vec())]).expect("server");
    let err = client().exchange(&server.url(), REQUEST).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::HttpStatus);
    assert_eq!((err.status, err.attempts), (Some(500), 2));
    assert!(err.server_answered());
    let text = err.to_string();
    assert!(text.contains("HTTP 500") && text.contains("Down for maintenance"), "{text}");
    assert!(text.contains("after 2 attempts"), "{text}");
    assert_eq!(server.received().len(), 2, "one retry");
}

#[test]
fn a_500_then_a_good_answer_succeeds_on_the_retry() {
    let response = corpus("model/ofx1-bank-and-card.ofx");
    let script =
        vec![Reply::Status(503, "text/plain", b"busy".to_vec()), Reply::Ofx(response.clone())];
    let server = Server::start(script).expect("server");
    let answer = client().exchange(&server.url(), REQUEST).expect("answered the second time");
    assert_eq!((answer.attempts, answer.body), (2, response));
}

#[test]
fn an_error_answer_that_is_ofx_is_never_sent_again() {
    let refused = corpus("ledger/refused-signon/02-jan-15.ofx");
    let server =
        Server::start(vec![Reply::Status(500, "application/x-ofx", refused)]).expect("server");
    let err = client().exchange(&server.url(), REQUEST).unwrap_err();
    assert_eq!((err.kind(), err.attempts), (ErrorKind::HttpStatus, 1));
    assert_eq!(server.received().len(), 1);
}

#[test]
fn a_server_slower_than_the_timeout_is_an_error_and_not_retried() {
    let response = corpus("model/ofx1-bank-and-card.ofx");
    let server =
        Server::start(vec![Reply::Slow(Duration::from_secs(3), response)]).expect("server");
    let err = client().exchange(&server.url(), REQUEST).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Network);
    assert!(!err.server_answered());
    let text = err.to_string();
    assert!(text.contains("timed out waiting for the answer"), "{text}");
    assert!(text.contains("not sent again"), "{text}");
    assert_eq!(server.received().len(), 1, "a request that may have been acted on is not resent");
}

#[test]
fn an_html_page_with_200_is_not_ofx() {
    let server =
        Server::start(vec![Reply::Status(200, "text/html", HTML.to_vec())]).expect("server");
    let err = client().exchange(&server.url(), REQUEST).unwrap_err();
    assert_eq!((err.kind(), err.attempts), (ErrorKind::NotOfx, 1));
    let text = err.to_string();
    assert!(text.contains("not OFX") && text.contains("text/html"), "{text}");
    let empty =
        Server::start(vec![Reply::Status(200, "application/x-ofx", Vec::new())]).expect("server");
    let err = client().exchange(&empty.url(), REQUEST).unwrap_err();
    assert!(err.to_string().contains("an empty body"), "{err}");
}

#[test]
fn a_refused_signon_names_the_code_and_its_meaning() {
    let refused = corpus("ledger/refused-signon/02-jan-15.ofx");
    let server = Server::start(vec![Reply::Ofx(refused)]).expect("server");
    let err = client().exchange(&server.url(), REQUEST).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Refused);
    let text = err.to_string();
    assert!(text.contains("SONRS status 15500 (signon invalid"), "{text}");
    assert!(text.contains("Invalid user ID or password"), "{text}");
    assert_eq!(server.received().len(), 1);
}

#[test]
fn a_failed_transaction_is_refused_too() {
    let failed = corpus("ledger/error-status/02-jan-15.ofx");
    let server = Server::start(vec![Reply::Ofx(failed)]).expect("server");
    let err = client().exchange(&server.url(), REQUEST).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Refused);
    assert!(err.to_string().contains("STMTTRNRS status 2000"), "{err}");
}

#[test]
fn a_request_sent_back_is_not_an_answer() {
    let server = Server::start(vec![Reply::Ofx(REQUEST.to_vec())]).expect("server");
    let err = client().exchange(&server.url(), REQUEST).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Refused);
    assert!(err.to_string().contains("is a request"), "{err}");
}

#[test]
fn a_refused_connection_is_retried_once() {
    // A port nothing listens on: bound, then closed.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let err = client().exchange(&format!("http://127.0.0.1:{port}/ofx"), REQUEST).unwrap_err();
    assert_eq!((err.kind(), err.attempts), (ErrorKind::Network, 2), "{err}");
    assert!(!err.server_answered());
}

#[test]
fn redirects_are_not_followed() {
    let server = Server::start(vec![Reply::Status(301, "text/html", Vec::new())]).expect("server");
    let err = client().exchange(&server.url(), REQUEST).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::HttpStatus);
    assert!(err.to_string().contains("moved to https://elsewhere.example/ofx"), "{err}");
    assert_eq!(server.received().len(), 1);
}

#[test]
fn an_answer_larger_than_the_limit_is_refused() {
    let big = corpus("model/ofx1-bank-and-card.ofx");
    let server = Server::start(vec![Reply::Ofx(big)]).expect("server");
    let small = Client::new(ClientOptions { max_response: 100, ..ClientOptions::default() })
        .expect("client");
    let err = small.exchange(&server.url(), REQUEST).unwrap_err();
    assert!(err.to_string().contains("larger than 100 bytes"), "{err}");
}

#[test]
fn plain_http_goes_only_to_this_machine() {
    for ok in [
        "http://127.0.0.1:1/ofx",
        "http://localhost/ofx",
        "http://[::1]:8080/",
        "https://ofx.example.com/ofx",
    ] {
        assert!(check_url(ok).is_ok(), "{ok}");
    }
    for bad in [
        "http://ofx.example.com/ofx",
        "http://10.0.0.1/ofx",
        "ftp://example.com/",
        "not a url",
        "https:///x",
    ] {
        let err = client().exchange(bad, REQUEST).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Url, "{bad}: {err}");
        assert_eq!(err.attempts, 0, "{bad}: nothing sent");
    }
}

/// HTTPS is built in (rustls): to an `https://` URL the client opens with a TLS handshake
/// (a TLS record: content type 22, version 3.x), and a server that answers in plain HTTP is
/// a network error, nothing taken as an answer.
#[test]
fn https_goes_through_rustls() {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    let server = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().expect("accept");
        let mut first = [0u8; 5];
        stream.read_exact(&mut first).expect("a TLS record header");
        let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        first
    });
    let err = client().exchange(&format!("https://{addr}/ofx"), REQUEST).unwrap_err();
    let first = server.join().expect("server thread");
    assert_eq!((first[0], first[1]), (22, 3), "a TLS handshake record: {first:?}");
    assert_eq!(err.kind(), ErrorKind::Network, "{err}");
    assert!(!err.server_answered());
}
