//! A profile file of institutions: where each one's OFX server is and what it expects.
//!
//! TOML, one table per institution, named as `ofxkit get --fi NAME` names it:
//!
//! ```toml
//! [mybank]
//! url = "https://ofx.mybank.example/cgi-bin/ofx"   # required
//! org = "MYBANK"                                   # FI/ORG
//! fid = "1234"                                     # FI/FID
//! version = 102                                    # the OFX version it speaks
//! app_id = "QWIN"                                  # APPID and APPVER it accepts
//! app_ver = "2700"
//! user = "jdoe"                                    # USERID, when not given
//! bank_id = "121000248"                            # BANKID of its bank accounts
//! ```
//!
//! The default file is `ofxkit/institutions.toml` in the user's configuration directory
//! ([`default_path`]). Unknown keys are refused (a misspelt `fid` would otherwise be
//! silently missing from every request).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ofxkit::syntax::{escape_controls, shown};
use serde::Deserialize;

/// One institution.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Institution {
    /// The OFX server's URL.
    pub url: String,
    /// `FI/ORG`.
    pub org: Option<String>,
    /// `FI/FID`.
    pub fid: Option<String>,
    /// The OFX version it speaks (`102` … `220`).
    pub version: Option<u16>,
    /// The `APPID` it accepts.
    pub app_id: Option<String>,
    /// The `APPVER` it accepts.
    pub app_ver: Option<String>,
    /// The `USERID` used when none is given.
    pub user: Option<String>,
    /// The `BANKID` of its bank accounts, when none is given (a bank account is one
    /// given an `ACCTTYPE`).
    pub bank_id: Option<String>,
}

/// The institutions of a profile file, by name.
///
/// ```
/// use ofxkit_client::profile::Profiles;
/// let p = Profiles::from_toml("[mybank]\nurl = \"https://ofx.mybank.example/ofx\"\nfid = \"1234\"\nversion = 102\n").unwrap();
/// let bank = p.get("mybank").unwrap();
/// assert_eq!((bank.fid.as_deref(), bank.version), (Some("1234"), Some(102)));
/// assert!(p.get("other").unwrap_err().contains("mybank"));
/// assert!(Profiles::from_toml("[x]\nurl = \"https://a\"\nfdi = \"1\"\n").unwrap_err().contains("fdi"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Profiles {
    /// By name.
    pub institutions: BTreeMap<String, Institution>,
}

impl Profiles {
    /// Reads a profile file's text; an error says why (TOML's message, with the line).
    pub fn from_toml(text: &str) -> Result<Profiles, String> {
        let institutions: BTreeMap<String, Institution> =
            toml::from_str(text).map_err(|e| escape_controls(&e.to_string()).into_owned())?;
        for (name, i) in &institutions {
            if let Some(v) = i.version
                && ofxkit::write::OfxVersion::from_number(v).is_none()
            {
                return Err(format!("[{}]: version {v} is not an OFX version", shown(name)));
            }
        }
        Ok(Profiles { institutions })
    }

    /// Reads the file at `path`; errors name it.
    pub fn load(path: &Path) -> Result<Profiles, String> {
        let name = escape_controls(&path.display().to_string()).into_owned();
        let text = std::fs::read_to_string(path).map_err(|e| format!("{name}: {e}"))?;
        Profiles::from_toml(&text).map_err(|e| format!("{name}: {e}"))
    }

    /// The institution `name`; an error lists the names there are.
    pub fn get(&self, name: &str) -> Result<&Institution, String> {
        self.institutions.get(name).ok_or_else(|| {
            let known: Vec<&str> = self.institutions.keys().map(String::as_str).collect();
            let known = if known.is_empty() { "none".to_owned() } else { known.join(", ") };
            format!("no institution {} in the profiles (there are: {})", shown(name), shown(&known))
        })
    }
}

/// `ofxkit/institutions.toml` in the user's configuration directory: `$XDG_CONFIG_HOME`,
/// else `$HOME/.config` (Unix, macOS too); `%APPDATA%` on Windows. `None` when none of those
/// is set.
pub fn default_path() -> Option<PathBuf> {
    let dir = if cfg!(windows) {
        std::env::var_os("APPDATA").map(PathBuf::from)
    } else {
        std::env::var_os("XDG_CONFIG_HOME")
            .filter(|d| !d.is_empty())
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))
    };
    dir.map(|d| d.join("ofxkit").join("institutions.toml"))
}
