//! The sign-on of a request (`SONRQ`).

use chrono::{DateTime, Utc};

use crate::write::Node;

/// The `APPID` sent when none is given: Quicken for Windows, which most servers accept.
pub const DEFAULT_APP_ID: &str = "QWIN";
/// The `APPVER` sent when none is given (Quicken 2700: a version servers still accept).
pub const DEFAULT_APP_VER: &str = "2700";

/// `SONRQ`: who signs on, to which institution, as which application.
///
/// ```
/// use ofxkit::request::SignOn;
/// let when = ofxkit::NaiveDate::from_ymd_opt(2024, 3, 1).unwrap().and_hms_opt(9, 30, 0).unwrap().and_utc();
/// let s = SignOn::new("jdoe", "hunter2", when);
/// assert_eq!((s.app_id.as_str(), s.app_ver.as_str()), ("QWIN", "2700"));
/// let node = s.node();
/// assert_eq!(node.child("DTCLIENT").and_then(|n| n.text()), Some("20240301093000.000[0:GMT]"));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct SignOn {
    /// `USERID`.
    pub user_id: String,
    /// `USERPASS` (a secret: never shown by `Debug`).
    pub password: String,
    /// `FI/ORG`.
    pub org: Option<String>,
    /// `FI/FID`.
    pub fid: Option<String>,
    /// `APPID`.
    pub app_id: String,
    /// `APPVER`.
    pub app_ver: String,
    /// `LANGUAGE` (`ENG`).
    pub language: String,
    /// `DTCLIENT`: when the request is made, written in UTC.
    pub client_time: DateTime<Utc>,
}

impl std::fmt::Debug for SignOn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignOn")
            .field("user_id", &self.user_id)
            .field("password", &"***")
            .field("org", &self.org)
            .field("fid", &self.fid)
            .field("app_id", &self.app_id)
            .field("app_ver", &self.app_ver)
            .field("language", &self.language)
            .field("client_time", &self.client_time)
            .finish()
    }
}

impl SignOn {
    /// A sign-on of `user_id` with `password` at `client_time`, as [`DEFAULT_APP_ID`]
    /// [`DEFAULT_APP_VER`], in English, naming no institution.
    pub fn new(
        user_id: impl Into<String>,
        password: impl Into<String>,
        client_time: DateTime<Utc>,
    ) -> SignOn {
        SignOn {
            user_id: user_id.into(),
            password: password.into(),
            org: None,
            fid: None,
            app_id: DEFAULT_APP_ID.to_owned(),
            app_ver: DEFAULT_APP_VER.to_owned(),
            language: "ENG".to_owned(),
            client_time,
        }
    }

    /// With the institution's `ORG` and `FID`.
    pub fn institution(mut self, org: impl Into<String>, fid: Option<&str>) -> SignOn {
        self.org = Some(org.into());
        self.fid = fid.map(str::to_owned);
        self
    }

    /// With this `APPID` and `APPVER`.
    pub fn application(mut self, id: impl Into<String>, version: impl Into<String>) -> SignOn {
        self.app_id = id.into();
        self.app_ver = version.into();
        self
    }

    /// `DTCLIENT` as written: `YYYYMMDDHHMMSS.XXX[0:GMT]`.
    pub fn client_time_text(&self) -> String {
        format!("{}[0:GMT]", self.client_time.format("%Y%m%d%H%M%S%.3f"))
    }

    /// The `SONRQ` aggregate. `FI` is written when an `ORG` is given (a `FID` alone is
    /// not OFX's grammar and is left out).
    pub fn node(&self) -> Node {
        let mut children = vec![
            Node::leaf("DTCLIENT", self.client_time_text()),
            Node::leaf("USERID", self.user_id.clone()),
            Node::leaf("USERPASS", self.password.clone()),
            Node::leaf("LANGUAGE", self.language.clone()),
        ];
        if let Some(org) = &self.org {
            let fi = Node::aggregate("FI", vec![Node::leaf("ORG", org.clone())])
                .with_opt("FID", self.fid.clone());
            children.push(fi);
        }
        children.push(Node::leaf("APPID", self.app_id.clone()));
        children.push(Node::leaf("APPVER", self.app_ver.clone()));
        Node::aggregate("SONRQ", children)
    }
}
