//! `ofxkit get` and `ofxkit request … --post`, against a small OFX server on 127.0.0.1 that
//! answers from corpus responses, records the requests it receives, and can be told to
//! fail: each failure a clear error and nothing written.

use std::path::Path;

use ofxkit_client::testing::{Reply, Server};

use crate::util::{corpus, run, scratch};

const PASSWORD: &str = "S3CR3T-h10-get";

fn password_file(dir: &Path) -> String {
    let file = dir.join("pw.txt");
    std::fs::write(&file, PASSWORD).expect("password file");
    file.display().to_string()
}

fn leaf(text: &str, name: &str) -> Option<String> {
    let open = format!("<{name}>");
    let start = text.find(&open)? + open.len();
    let rest = &text[start..];
    let end = rest.find(['<', '\r', '\n']).unwrap_or(rest.len());
    Some(rest[..end].to_owned())
}

fn statement_response() -> Vec<u8> {
    std::fs::read(corpus("model/ofx1-bank-and-card.ofx")).expect("corpus")
}

/// A request file written by `ofxkit request`.
fn request_file(dir: &Path) -> String {
    let target = dir.join("request.ofx").display().to_string();
    let pw = password_file(dir);
    let out = run(
        &[
            "request",
            "statement",
            "--acct-id",
            "4111",
            "--user",
            "jdoe",
            "--password-file",
            &pw,
            "-o",
            &target,
        ],
        b"",
    );
    assert_eq!(out.status, 0, "{}", out.stderr);
    target
}

#[test]
fn get_posts_the_request_and_saves_the_answer_byte_for_byte() {
    let dir = scratch("get-ok");
    let request = request_file(&dir);
    let server = Server::start(vec![Reply::Ofx(statement_response())]).expect("server");
    let out_path = dir.join("response.ofx");
    let out = run(&["get", &server.url(), &request, "-o", &out_path.display().to_string()], b"");
    assert_eq!((out.status, out.stdout.as_str()), (0, ""), "{}", out.stderr);
    assert_eq!(std::fs::read(&out_path).expect("saved"), statement_response());
    assert!(
        out.stderr.contains("HTTP 200") && out.stderr.contains("SONRS status 0 (success)"),
        "{}",
        out.stderr
    );
    let got = server.received();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].method, "POST");
    assert_eq!(got[0].header("content-type"), Some("application/x-ofx"));
    assert_eq!(got[0].body, std::fs::read(&request).expect("request"));
    assert!(!out.stderr.contains(PASSWORD));
    // To standard output without -o.
    let again = run(&["get", &server.url(), &request], b"");
    assert_eq!(again.status, 0, "{}", again.stderr);
    assert_eq!(again.stdout.as_bytes(), statement_response());
}

#[test]
fn request_post_sends_what_it_builds_and_the_server_sees_header_signon_trnuid_and_token() {
    let dir = scratch("get-post");
    let pw = password_file(&dir);
    let server = Server::start(vec![Reply::Ofx(statement_response())]).expect("server");
    let out_path = dir.join("answer.ofx");
    let o = out_path.display().to_string();
    let base = [
        "--user",
        "jdoe",
        "--password-file",
        &pw,
        "--fi-org",
        "MYBANK",
        "--fi-id",
        "1234",
        "--post",
    ];
    let out = run(
        &[
            &["request", "statement", "--acct-id", "4111", "--from", "2024-01-01"][..],
            &base,
            &[&server.url(), "-o", &o],
        ]
        .concat(),
        b"",
    );
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert_eq!(std::fs::read(&out_path).expect("saved"), statement_response());
    let out = run(
        &[
            &[
                "request",
                "payments-sync",
                "--token",
                "0",
                "--bank-id",
                "1",
                "--acct-id",
                "2",
                "--acct-type",
                "savings",
            ][..],
            &base,
            &[&server.url(), "-o", &o],
        ]
        .concat(),
        b"",
    );
    assert_eq!(out.status, 0, "{}", out.stderr);
    let got = server.received();
    assert_eq!(got.len(), 2);
    for r in &got {
        let text = r.text();
        assert!(text.starts_with("OFXHEADER:100\r\nDATA:OFXSGML\r\nVERSION:102\r\n"), "{text}");
        assert_eq!(leaf(&text, "USERID").as_deref(), Some("jdoe"));
        assert_eq!(leaf(&text, "USERPASS").as_deref(), Some(PASSWORD), "the password is sent");
        assert_eq!(
            (leaf(&text, "ORG").as_deref(), leaf(&text, "FID").as_deref()),
            (Some("MYBANK"), Some("1234"))
        );
        assert_eq!(r.header("content-type"), Some("application/x-ofx"));
    }
    let trnuid = leaf(&got[0].text(), "TRNUID").expect("TRNUID");
    assert_eq!(trnuid.len(), 36, "{trnuid}");
    assert!(got[0].text().contains("<CCSTMTRQ>"));
    assert_eq!(leaf(&got[1].text(), "TOKEN").as_deref(), Some("0"));
    assert!(!out.stderr.contains(PASSWORD) && !out.stdout.contains(PASSWORD));
}

#[test]
fn get_fi_builds_the_request_from_the_profile_and_sends_it_to_its_url() {
    let dir = scratch("get-fi");
    let pw = password_file(&dir);
    let server = Server::start(vec![Reply::Ofx(statement_response())]).expect("server");
    let profiles = dir.join("institutions.toml");
    std::fs::write(
        &profiles,
        format!(
            "[mybank]\nurl = \"{}\"\norg = \"MYBANK\"\nfid = \"777\"\nversion = 220\napp_id = \"QMOFX\"\napp_ver = \"2500\"\nuser = \"pat\"\nbank_id = \"021000021\"\n",
            server.url()
        ),
    )
    .expect("profiles");
    let p = profiles.display().to_string();
    let out_path = dir.join("answer.ofx");
    let o = out_path.display().to_string();
    let out = run(
        &[
            "get",
            "--fi",
            "mybank",
            "--profiles",
            &p,
            "statement",
            "--acct-id",
            "1111",
            "--acct-type",
            "checking",
            "--password-file",
            &pw,
            "-o",
            &o,
        ],
        b"",
    );
    assert_eq!(out.status, 0, "{}", out.stderr);
    assert_eq!(std::fs::read(&out_path).expect("saved"), statement_response());
    let got = server.received();
    assert_eq!(got.len(), 1);
    let text = got[0].text();
    assert!(text.contains("VERSION=\"220\""), "{text}");
    assert!(text.contains("<ORG>MYBANK</ORG>") && text.contains("<FID>777</FID>"), "{text}");
    assert!(
        text.contains("<APPID>QMOFX</APPID>") && text.contains("<APPVER>2500</APPVER>"),
        "{text}"
    );
    assert!(
        text.contains("<USERID>pat</USERID>") && text.contains("<BANKID>021000021</BANKID>"),
        "{text}"
    );
    // An unknown name lists the known ones; a misspelt key is refused.
    let unknown = run(
        &[
            "get",
            "--fi",
            "other",
            "--profiles",
            &p,
            "statement",
            "--acct-id",
            "1",
            "--password-file",
            &pw,
        ],
        b"",
    );
    assert_eq!(unknown.status, 2);
    assert!(unknown.stderr.contains("there are: mybank"), "{}", unknown.stderr);
    std::fs::write(&profiles, "[x]\nurl = \"https://a.example\"\nfdi = \"1\"\n")
        .expect("bad profiles");
    let bad = run(
        &[
            "get",
            "--fi",
            "x",
            "--profiles",
            &p,
            "statement",
            "--acct-id",
            "1",
            "--password-file",
            &pw,
        ],
        b"",
    );
    assert_eq!(bad.status, 2);
    assert!(bad.stderr.contains("fdi"), "{}", bad.stderr);
    assert_eq!(server.received().len(), 1, "nothing more sent");
}

/// Each failure: its exit status, a clear error, and the output file as it was (or none).
#[test]
fn failures_are_clear_errors_and_nothing_is_written() {
    let dir = scratch("get-failures");
    let request = request_file(&dir);
    let refused = std::fs::read(corpus("ledger/refused-signon/02-jan-15.ofx")).expect("corpus");
    let html = b"<html><head><title>Oops</title></head><body>Internal error</body></html>".to_vec();
    let cases: Vec<(Reply, i32, &str)> = vec![
        (Reply::Status(500, "text/html", html.clone()), 1, "HTTP 500: Oops Internal error"),
        (Reply::Status(200, "text/html", html.clone()), 1, "not OFX (text/html"),
        (
            Reply::Ofx(refused),
            1,
            "SONRS status 15500 (signon invalid (bad user ID or password)): Invalid user ID or password",
        ),
        (
            Reply::Slow(std::time::Duration::from_secs(4), statement_response()),
            2,
            "timed out waiting for the answer",
        ),
        (Reply::Close, 2, "nothing written"),
    ];
    let existing = dir.join("existing.ofx");
    let fresh = dir.join("fresh.ofx");
    for (reply, status, expect) in cases {
        let label = format!("{reply:?}").chars().take(40).collect::<String>();
        let server = Server::start(vec![reply]).expect("server");
        std::fs::write(&existing, "old").expect("old");
        for target in [&existing, &fresh] {
            let out = run(
                &[
                    "get",
                    &server.url(),
                    &request,
                    "--timeout",
                    "1",
                    "-o",
                    &target.display().to_string(),
                ],
                b"",
            );
            assert_eq!((out.status, out.stdout.as_str()), (status, ""), "{label}: {}", out.stderr);
            assert!(out.stderr.contains(expect), "{label}: {}", out.stderr);
            assert!(out.stderr.contains("nothing written"), "{label}: {}", out.stderr);
            assert!(!out.stderr.contains(PASSWORD));
        }
        assert_eq!(std::fs::read_to_string(&existing).expect("existing"), "old", "{label}");
        assert!(!fresh.exists(), "{label}: no file made");
        let temporaries = std::fs::read_dir(&dir)
            .expect("dir")
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with(".ofxkit-"))
            .count();
        assert_eq!(temporaries, 0, "{label}");
    }
}

#[test]
fn what_is_not_sent() {
    let dir = scratch("get-not-sent");
    let server = Server::start(vec![Reply::Ofx(statement_response())]).expect("server");
    // A response is not a request.
    let response = corpus("model/ofx1-bank-and-card.ofx");
    let out = run(&["get", &server.url(), &response], b"");
    assert_eq!(out.status, 1, "{}", out.stderr);
    assert!(out.stderr.contains("not a request"), "{}", out.stderr);
    // Not OFX at all.
    let csv = dir.join("x.csv");
    std::fs::write(&csv, "a,b\n1,2\n").expect("csv");
    let out = run(&["get", &server.url(), &csv.display().to_string()], b"");
    assert_eq!(out.status, 1, "{}", out.stderr);
    // Plain HTTP elsewhere than this machine.
    let request = request_file(&dir);
    let out = run(&["get", "http://ofx.example.com/ofx", &request], b"");
    assert_eq!(out.status, 2);
    assert!(out.stderr.contains("not HTTPS"), "{}", out.stderr);
    // A missing request file.
    let out = run(&["get", &server.url(), "no/such/request.ofx"], b"");
    assert_eq!(out.status, 2);
    assert!(out.stderr.contains("no/such/request.ofx"), "{}", out.stderr);
    // A redacted copy of a request (convert writes *** for the password).
    let redacted = dir.join("redacted.ofx");
    let r = redacted.display().to_string();
    let out = run(&["convert", &request, "--to", "ofx1", "-o", &r], b"");
    assert_eq!(out.status, 0, "{}", out.stderr);
    let out = run(&["get", &server.url(), &r], b"");
    assert_eq!(out.status, 1, "{}", out.stderr);
    assert!(out.stderr.contains("USERPASS is ***"), "{}", out.stderr);
    // A password in the URL is refused without being quoted.
    let out = run(&["get", &format!("http://jdoe:{PASSWORD}@127.0.0.1:1/ofx"), &request], b"");
    assert_eq!(out.status, 2);
    assert!(
        out.stderr.contains("user name or password") && !out.stderr.contains(PASSWORD),
        "{}",
        out.stderr
    );
    // Trusted certificates that are none.
    let out = run(&["get", &server.url(), &request, "--cacert", &csv.display().to_string()], b"");
    assert_eq!(out.status, 2);
    assert!(out.stderr.contains("the trusted certificates: no PEM certificate"), "{}", out.stderr);
    // The output is the request.
    let out = run(&["get", &server.url(), &request, "-o", &request], b"");
    assert_eq!(out.status, 2);
    assert!(server.received().is_empty(), "nothing was sent");
}

#[test]
fn the_default_profile_file_is_in_the_configuration_directory() {
    let dir = scratch("get-default-profiles");
    let pw = password_file(&dir);
    std::fs::create_dir_all(dir.join("ofxkit")).expect("config dir");
    std::fs::write(
        dir.join("ofxkit/institutions.toml"),
        "[mybank]\nurl = \"https://ofx.mybank.example/ofx\"\norg = \"MYBANK\"\nfid = \"55\"\nuser = \"pat\"\n",
    )
    .expect("profiles");
    let run_with_config = |config: &Path| {
        std::process::Command::new(crate::util::bin())
            .args(["request", "--fi", "mybank", "payees-sync", "--refresh", "--password-file", &pw])
            .env("XDG_CONFIG_HOME", config)
            .output()
            .expect("runs")
    };
    let out = run_with_config(&dir);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        (leaf(&stdout, "ORG").as_deref(), leaf(&stdout, "FID").as_deref()),
        (Some("MYBANK"), Some("55"))
    );
    assert_eq!(leaf(&stdout, "USERID").as_deref(), Some("pat"));
    // Where there is none, the message says where it looked and what to do.
    let out = run_with_config(&dir.join("elsewhere"));
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("elsewhere/ofxkit/institutions.toml") && stderr.contains("--profiles"),
        "{stderr}"
    );
}
