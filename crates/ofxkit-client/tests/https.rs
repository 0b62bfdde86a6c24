//! The HTTPS path end to end: a TLS server on 127.0.0.1 with a self-signed certificate for
//! `localhost` (made by rcgen), served with rustls. Trusted (`ca_pem`), the exchange works;
//! with the default Mozilla roots the certificate is refused and nothing is answered.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use ofxkit_client::{Client, ClientOptions, ErrorKind};

const REQUEST: &[u8] = b"OFXHEADER:100\r\nDATA:OFXSGML\r\nVERSION:102\r\n\r\n<OFX><SIGNONMSGSRQV1><SONRQ>\
<DTCLIENT>20240301<USERID>jdoe<USERPASS>pw<LANGUAGE>ENG<APPID>QWIN<APPVER>2700</SONRQ></SIGNONMSGSRQV1></OFX>";

fn response() -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../corpus/model/ofx1-bank-and-card.ofx");
    std::fs::read(path).expect("corpus")
}

/// Serves one TLS connection: reads the request and answers `body`. Returns the port, the
/// certificate's PEM and the thread (which gives back the request body it read, if any).
fn tls_server(body: Vec<u8>) -> (u16, String, std::thread::JoinHandle<Option<Vec<u8>>>) {
    let certified =
        rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).expect("certificate");
    let pem = certified.cert.pem();
    let cert = certified.cert.der().clone();
    let key = rustls::pki_types::PrivatePkcs8KeyDer::from(certified.signing_key.serialize_der());
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("versions")
    .with_no_client_auth()
    .with_single_cert(vec![cert], key.into())
    .expect("server config");
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let thread = std::thread::spawn(move || {
        let (tcp, _) = listener.accept().ok()?;
        tcp.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
        let conn = rustls::ServerConnection::new(Arc::new(config)).ok()?;
        let mut tls = rustls::StreamOwned::new(conn, tcp);
        let mut reader = BufReader::new(&mut tls);
        let mut length = 0;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).ok()?;
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse().ok()?;
            }
        }
        let mut request = vec![0; length];
        reader.read_exact(&mut request).ok()?;
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/x-ofx\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        );
        tls.write_all(head.as_bytes()).ok()?;
        tls.write_all(&body).ok()?;
        tls.conn.send_close_notify();
        tls.flush().ok()?;
        Some(request)
    });
    (port, pem, thread)
}

fn options() -> ClientOptions {
    ClientOptions {
        connect_timeout: Duration::from_secs(5),
        read_timeout: Duration::from_secs(5),
        retry_delay: Duration::from_millis(10),
        ..ClientOptions::default()
    }
}

#[test]
fn a_trusted_certificate_gives_the_answer_over_tls() {
    let (port, pem, server) = tls_server(response());
    let client =
        Client::new(ClientOptions { ca_pem: Some(pem.into_bytes()), ..options() }).expect("client");
    let answer =
        client.exchange(&format!("https://localhost:{port}/ofx"), REQUEST).expect("answered");
    assert_eq!(answer.body, response());
    assert_eq!(
        server.join().expect("server"),
        Some(REQUEST.to_vec()),
        "the server read the request"
    );
}

#[test]
fn a_certificate_no_trusted_authority_signed_is_refused() {
    let (port, _pem, server) = tls_server(response());
    let err = Client::new(options())
        .expect("client")
        .exchange(&format!("https://localhost:{port}/ofx"), REQUEST)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Network, "{err}");
    assert!(err.to_string().contains("TLS failed"), "{err}");
    assert_eq!(server.join().expect("server"), None, "no request was read");
}

#[test]
fn trusted_certificates_must_be_pem_certificates() {
    for bad in [&b""[..], b"not pem", b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE"] {
        let err =
            Client::new(ClientOptions { ca_pem: Some(bad.to_vec()), ..options() }).unwrap_err();
        assert!(err.to_string().starts_with("the trusted certificates"), "{err}");
    }
}
