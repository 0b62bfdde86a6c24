//! Secret values (passwords, keys, tokens) in the model, and the choice to show them.

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Serialize, Serializer};

pub use ofxkit_syntax::REDACTED;

/// How to read a file into the [`Model`](super::Model).
///
/// The values of secret elements (`USERPASS`, `USERKEY`, OFC `SESSKEY`, `TAN`, …: the list is
/// [`ofxkit_syntax::SECRET_ELEMENTS`]) are kept in the model either way, as [`Secret`]s; what
/// `show_secrets` decides is what serialising the model writes for them: `***` (the default)
/// or the values.
///
/// ```
/// use ofxkit::model::ModelOptions;
/// let doc = ofxkit::parse(b"<OFX><SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS>\
///   <DTSERVER>20240105<USERKEY>K3Y-123<LANGUAGE>ENG</SONRS></SIGNONMSGSRSV1></OFX>")?;
/// let model = doc.model();
/// let key = model.signon.as_ref().and_then(|s| s.user_key).unwrap();
/// assert_eq!(key.expose(), "K3Y-123", "the value is there for a program that asks");
/// assert_eq!(key.to_string(), "***");
/// let json = serde_json::to_string(&model).unwrap();
/// assert!(json.contains(r#""user_key":"***""#) && !json.contains("K3Y-123"));
///
/// let shown = doc.model_with(&ModelOptions { show_secrets: true });
/// let json = serde_json::to_string(&shown).unwrap();
/// assert!(json.contains(r#""user_key":"K3Y-123""#));
/// # Ok::<(), ofxkit::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ModelOptions {
    /// Serialise secret values as they are instead of `***`.
    pub show_secrets: bool,
}

/// The value of a secret element: a password, key or token.
///
/// [`expose`](Secret::expose) gives the value. `Debug` and `Display` always write `***`, so a
/// secret never reaches a log by accident; `Serialize` writes `***` too, unless the model
/// was read with [`ModelOptions::show_secrets`].
///
/// ```
/// use ofxkit::model::Secret;
/// let s = Secret::redacted("hunter2");
/// assert_eq!(s.expose(), "hunter2");
/// assert_eq!(format!("{s} {s:?}"), "*** Secret(***)");
/// assert_eq!(serde_json::to_string(&s).unwrap(), r#""***""#);
/// assert_eq!(serde_json::to_string(&Secret::shown("hunter2")).unwrap(), r#""hunter2""#);
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Secret<'t> {
    value: &'t str,
    shown: bool,
}

impl<'t> Secret<'t> {
    /// A secret that serialises as `***`.
    pub fn redacted(value: &'t str) -> Self {
        Secret { value, shown: false }
    }

    /// A secret that serialises as its value.
    pub fn shown(value: &'t str) -> Self {
        Secret { value, shown: true }
    }

    /// A secret read with `options`.
    pub(crate) fn read(value: &'t str, options: &ModelOptions) -> Self {
        Secret { value, shown: options.show_secrets }
    }

    /// The value, as written in the file.
    pub fn expose(&self) -> &'t str {
        self.value
    }

    /// True when serialising writes the value rather than `***`.
    pub fn is_shown(&self) -> bool {
        self.shown
    }

    /// What serialising writes: the value or `***`.
    pub fn as_written(&self) -> &'t str {
        if self.shown { self.value } else { REDACTED }
    }
}

impl fmt::Debug for Secret<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({REDACTED})")
    }
}

impl fmt::Display for Secret<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl Serialize for Secret<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_written())
    }
}

impl JsonSchema for Secret<'_> {
    fn schema_name() -> Cow<'static, str> {
        "Secret".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "description": "The value of a secret element (password, key, token): `***` \
                            unless the secrets were asked for (`--show-secrets`).",
            "examples": ["***"]
        })
    }
}
