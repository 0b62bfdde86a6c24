//! Checking a server's answer: its sign-on status and the status of every transaction.

use ofxkit_syntax::{Element, Span, shown};

use crate::codes::status::lookup;
use crate::document::Document;

/// One `STATUS` of a response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusFound {
    /// The aggregate it belongs to (`SONRS`, `STMTTRNRS`, …).
    pub aggregate: String,
    /// `CODE` as written ([`shown`]).
    pub code: String,
    /// `SEVERITY` as written ([`shown`]).
    pub severity: Option<String>,
    /// What the code means (OFX's table), when it is known.
    pub meaning: Option<&'static str>,
    /// `MESSAGE` ([`shown`]).
    pub message: Option<String>,
    /// An error: `SEVERITY` `ERROR`, or without a known severity a code the table marks as
    /// an error (or any code from 2000 up).
    pub is_error: bool,
    /// Where it is in the response.
    pub span: Span,
}

impl std::fmt::Display for StatusFound {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} status {}", self.aggregate, self.code)?;
        match self.meaning {
            Some(m) => write!(f, " ({m})")?,
            None => write!(f, " (not a code of the OFX table)")?,
        }
        if let Some(m) = &self.message {
            write!(f, ": {m}")?;
        }
        Ok(())
    }
}

/// What a response says about how its request went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseCheck {
    /// The sign-on's status (`SONRS/STATUS`); none when the response has no sign-on.
    pub signon: Option<StatusFound>,
    /// The status of every transaction wrapper (`…TRNRS/STATUS`), in order.
    pub transactions: Vec<StatusFound>,
    /// True when the document holds requests (`…MSGSRQV1`), not responses.
    pub is_request: bool,
}

impl ResponseCheck {
    /// True when the response answers (it is no request), its sign-on succeeded and no
    /// transaction failed.
    pub fn is_ok(&self) -> bool {
        !self.is_request
            && self.signon.as_ref().is_some_and(|s| !s.is_error)
            && !self.transactions.iter().any(|t| t.is_error)
    }

    /// The statuses that are errors, the sign-on's first.
    pub fn errors(&self) -> impl Iterator<Item = &StatusFound> {
        self.signon.iter().chain(&self.transactions).filter(|s| s.is_error)
    }
}

fn status_of(aggregate: Element<'_>, status: Element<'_>) -> StatusFound {
    let code_text = status.child_text("CODE").unwrap_or("").trim();
    let severity = status.child_text("SEVERITY").map(str::trim);
    let code: Option<u32> = code_text.parse().ok();
    let info = code.and_then(lookup);
    let is_error = match severity.map(str::to_ascii_uppercase).as_deref() {
        Some("ERROR") => true,
        Some("INFO" | "WARN") => false,
        _ => match info {
            Some(i) => i.severity == crate::codes::ofx::Severity::Error,
            None => code.is_none_or(|c| c >= 2000),
        },
    };
    StatusFound {
        aggregate: shown(aggregate.name()).into_owned(),
        code: shown(code_text).into_owned(),
        severity: severity.map(|s| shown(s).into_owned()),
        meaning: info.map(|i| i.meaning),
        message: status.child_text("MESSAGE").map(|m| shown(m.trim()).into_owned()),
        is_error,
        span: status.span(),
    }
}

/// Reads the statuses of a server's response: `SONRS/STATUS` and each `…TRNRS/STATUS`.
///
/// ```
/// let doc = ofxkit::parse(b"<OFX><SIGNONMSGSRSV1><SONRS><STATUS><CODE>15500<SEVERITY>ERROR\
///   <MESSAGE>Bad password</STATUS><DTSERVER>20240301<LANGUAGE>ENG</SONRS></SIGNONMSGSRSV1></OFX>")?;
/// let check = ofxkit::request::check_response(&doc);
/// assert!(!check.is_ok());
/// let e = check.errors().next().unwrap();
/// assert_eq!(e.to_string(), "SONRS status 15500 (signon invalid (bad user ID or password)): Bad password");
/// # Ok::<(), ofxkit::Error>(())
/// ```
pub fn check_response(doc: &Document<'_>) -> ResponseCheck {
    let tree = doc.syntax().tree();
    let root = tree.root();
    let mut check = ResponseCheck {
        signon: None,
        transactions: Vec::new(),
        is_request: root
            .children()
            .any(|c| c.name().ends_with("RQV1") || c.name().ends_with("RQV2")),
    };
    for el in tree.elements() {
        if el.name() != "STATUS" {
            continue;
        }
        let Some(parent) = el.parent() else { continue };
        if parent.name() == "SONRS" {
            if check.signon.is_none() {
                check.signon = Some(status_of(parent, el));
            }
        } else if parent.name().ends_with("TRNRS") {
            check.transactions.push(status_of(parent, el));
        }
    }
    check
}
