//! Elements whose text is a secret (passwords, keys, tokens, credentials), and the helpers
//! that keep their values out of every output.
//!
//! A request file holds the user's password (`USERPASS`), a response may hand out a session
//! key (`USERKEY`, OFC `SESSKEY`); a dump, a conversion or a finding's source line pasted in a
//! bug report must not carry them. Every output of ofxkit writes [`REDACTED`] (`***`) in place
//! of such a value, whatever its length, unless the caller asks for the values
//! ([`DumpOptions::show_secrets`](crate::DumpOptions::show_secrets), `ConvertOptions` and the
//! model in the `ofxkit` crate, `--show-secrets` on the command line). Messages never quote
//! them, with or without that choice.
//!
//! The list is markup-level: an element is secret by its name, compared case-insensitively
//! (lower-case tags are read as upper case), wherever it appears. Text inside unknown or
//! vendor elements is not looked at.
//!
//! # The list
//!
//! [`SECRET_ELEMENTS`] is the one table (its documentation shows it with the declaration each
//! name comes from). It was drawn from every declaration in `ofx160.dtd` (OFX 1.6, which
//! stands in for 1.0.2/1.0.3), `ofx201.dtd` (OFX 2.0.1, used for 2.0/2.1), the OFX 2.2 XML
//! Schemas (`OFX_Signon*.xsd`, `OFX_Signup_Messages.xsd`, `OFX_Common.xsd`) and `ofc.dtd`:
//! every element of a password, key, token, credential or challenge-answer type, and every
//! element the specifications describe as one.
//!
//! Looked at and **not** secret (their values are shown):
//!
//! - `USERID`, `CLIENTUID`, `INTU.USERID`: who is signing on, not what proves it.
//! - `NONCE`, `FICERTID` (`CHALLENGERS`): the server's challenge and certificate id, sent in
//!   the clear for Type 1 security; the secret is the password it is combined with.
//! - `MFAPHRASEID`, `MFAPHRASELABEL` (`MFACHALLENGE`): the question, not its answer
//!   (`MFAPHRASEA`, which is secret).
//! - `CLTCOOKIE` (a client's correlation value echoed back), `TOKEN` (a synchronization
//!   position), `GENUSERKEY`, `ACCESSTOKENREQ`, `CHGPINFIRST`, `AUTHTOKENFIRST` and the
//!   other flags and labels (`USERCRED1LABEL`, `AUTHTOKENLABEL`, `AUTHTOKENINFOURL`) that
//!   describe a credential without holding one.
//! - `SSN`, `TAXID`, `SPOUSESSN`, `COVEREDINDIVSSN` (tax forms): personal data, not
//!   credentials; conversions of tax forms keep them.
//!
//! ```
//! use ofxkit_syntax::{is_secret, REDACTED};
//! assert!(is_secret("USERPASS"));
//! assert!(is_secret("userpass"), "lower-case tags are read as upper case");
//! assert!(is_secret("SESSKEY"));
//! assert!(!is_secret("USERID"));
//! assert_eq!(REDACTED, "***");
//! ```

/// What every output writes in place of a secret value.
pub const REDACTED: &str = "***";

/// One element whose text is a secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SecretElement {
    /// The tag name, upper case.
    pub name: &'static str,
    /// What its value is.
    pub holds: &'static str,
    /// Where the specifications declare it.
    pub declared_in: &'static str,
}

/// The longest name in the table: a longer name is never secret.
pub(crate) const LONGEST: usize = 16;

macro_rules! secrets {
    ($( $name:literal, $holds:literal, $declared_in:literal; )*) => {
        /// Every element whose text is a secret, by name (upper case).
        ///
        /// | element | holds | declared in |
        /// | --- | --- | --- |
        $( #[doc = concat!("| `", $name, "` | ", $holds, " | ", $declared_in, " |")] )*
        pub static SECRET_ELEMENTS: &[SecretElement] = &[
            $( SecretElement { name: $name, holds: $holds, declared_in: $declared_in }, )*
        ];

        /// True for a name of [`SECRET_ELEMENTS`], written in upper case.
        fn is_secret_upper(name: &[u8]) -> bool {
            std::str::from_utf8(name).is_ok_and(|name| matches!(name, $( $name )|*))
        }
    };
}

secrets! {
    "USERPASS", "the user's password (PIN)", "ofx160.dtd, ofx201.dtd `SONRQ` (%PASSWORDTYPE, A-171); OFX_Signon_Messages.xsd `SONRQ` (PasswordType); ofc.dtd `SONRQ`";
    "NEWUSERPASS", "the new password of a PIN change", "ofx160.dtd, ofx201.dtd `PINCHRQ` (%PASSWORDTYPE); OFX_Signon_Messages.xsd `PINCHRQ` (PasswordType)";
    "NEWPASS", "the new password (OFC)", "ofc.dtd `SONRQ` (\"used for changing an existing password\")";
    "ONETIMEPASS", "a one-time password", "ofx160.dtd `SONRQ` (%TEMPPASSTYPE)";
    "TEMPPASS", "the temporary password an enrollment returns", "ofx160.dtd, ofx201.dtd `ENROLLRS` (%TEMPPASSTYPE); OFX_Signup_Messages.xsd `ENROLLRS` (TempPassType)";
    "USERKEY", "a key that stands in for USERID and USERPASS", "ofx160.dtd, ofx201.dtd `SONRQ`, `SONRS` (%USERKEYTYPE); OFX_Signon_Messages.xsd (UserKeyType)";
    "SESSCOOKIE", "the server's session cookie", "ofx160.dtd, ofx201.dtd `SONRQ`, `SONRS` (%SESSCOOKIETYPE); OFX_Signon_Messages.xsd (SessionCookieType)";
    "SESSKEY", "the OFC session key (required to sign on)", "ofc.dtd `SONRQ`, `SONRS`";
    "TAN", "a transaction authorization number", "ofx160.dtd, ofx201.dtd %TRNRQMACRO (%TANTYPE); OFX_Common.xsd AbstractTransactionRequest (TransactionAuthorizationNumberType)";
    "PREAUTHTOKEN", "a pre-authorization token for adding a service", "ofx160.dtd `SVCADD`";
    "USERCRED1", "an additional credential", "OFX_Signon_Messages.xsd `SONRQ` (UserCredType)";
    "USERCRED2", "an additional credential", "OFX_Signon_Messages.xsd `SONRQ` (UserCredType)";
    "AUTHTOKEN", "a one-time authentication token", "OFX_Signon_Messages.xsd `SONRQ` (AuthTokenType)";
    "ACCESSKEY", "an access key the server issues after multi-factor sign-on", "OFX_Signon_Messages.xsd `SONRQ`, `SONRS` (AccessKeyType)";
    "ACCESSTOKEN", "an access token (OAuth)", "OFX_Signon_Messages.xsd `SONRQ` (AccessTokenType)";
    "APPKEY", "the application's key", "OFX_Signon_Messages.xsd `SONRQ` (AppKeyType)";
    "MFAPHRASEA", "the answer to a multi-factor challenge question", "OFX_Signon.xsd `MFACHALLENGEANSWER` (MFAPhraseType)";
}

/// True when the text of an element named `name` is a secret ([`SECRET_ELEMENTS`]); the
/// name is compared case-insensitively.
pub fn is_secret(name: &str) -> bool {
    let bytes = name.as_bytes();
    if bytes.len() > LONGEST || bytes.len() < 3 {
        return false;
    }
    if !bytes.iter().any(u8::is_ascii_lowercase) {
        return is_secret_upper(bytes);
    }
    let mut upper = [0u8; LONGEST];
    for (u, b) in upper.iter_mut().zip(bytes) {
        *u = b.to_ascii_uppercase();
    }
    upper.get(..bytes.len()).is_some_and(is_secret_upper)
}

/// `message` about an element named `name` with the quoted value (`"…"`, whole or cut,
/// escaped or not) replaced by `***` when the element is secret; as it is otherwise. A
/// last guard for findings *about* a secret element (a malformed or over-long password):
/// a message that names the element but quotes no value is left alone.
///
/// ```
/// use ofxkit_syntax::unquote_secret;
/// let m = unquote_secret("USERPASS", "hunter2-long", "USERPASS \"hunter2…\" is too long");
/// assert_eq!(m, "USERPASS \"***\" is too long");
/// assert_eq!(unquote_secret("NAME", "ACME", "NAME \"ACME\" is odd"), "NAME \"ACME\" is odd");
/// assert_eq!(unquote_secret("USERPASS", "E", "<USERPASS> is empty"), "<USERPASS> is empty");
/// ```
pub fn unquote_secret<'m>(name: &str, value: &str, message: &'m str) -> std::borrow::Cow<'m, str> {
    use std::borrow::Cow;
    if value.is_empty() || !message.contains('"') || !is_secret(name) {
        return Cow::Borrowed(message);
    }
    let escaped = crate::shown::escape_controls(value);
    let quotes_value = |q: &str| {
        let q = q.trim_end_matches('…');
        !q.is_empty() && (value.starts_with(q) || escaped.starts_with(q))
    };
    let parts: Vec<&str> = message.split('"').collect();
    // Odd parts are quoted (between a pair of quotes).
    if !parts.iter().skip(1).step_by(2).any(|q| quotes_value(q)) {
        return Cow::Borrowed(message);
    }
    let mut out = String::with_capacity(message.len());
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push('"');
        }
        let quoted = i % 2 == 1 && i + 1 < parts.len();
        out.push_str(if quoted && quotes_value(part) { REDACTED } else { part });
    }
    Cow::Owned(out)
}

/// Where a [`MarkupRedactor`] stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Outside any tag, not in a secret value.
    Text,
    /// Just after `<`.
    Open,
    /// In a start tag's name.
    Name,
    /// In a start tag, after its name (attributes); `slash` when the last character that was
    /// not a space was `/`.
    Attrs { slash: bool },
    /// In an end tag, until `>`.
    EndTag,
    /// In `<!…` or `<?…` markup, until `>`.
    Markup,
    /// In a CDATA section, until `]]>`; `brackets` counts the `]` just seen.
    Cdata { brackets: u8 },
}

/// Replaces secret values in markup text as it is read piece by piece: for showing a
/// window of a source line (a finding's snippet) without the values of
/// [`SECRET_ELEMENTS`].
///
/// Each value (SGML: up to the next tag; XML: up to the end tag; a CDATA section inside
/// it included) becomes [`REDACTED`] once, at its first character that is not white space,
/// in whichever piece that character falls. Tags, and the white space around a value, are
/// kept, so a caret placed by counting characters still points at the right tag.
///
/// ```
/// use ofxkit_syntax::MarkupRedactor;
/// let mut r = MarkupRedactor::new();
/// assert_eq!(r.redact("<USERID>jo<userpass>hunter2<LANGUAGE>ENG"), "<USERID>jo<userpass>***<LANGUAGE>ENG");
/// // A window that starts inside a value: resume from the bytes before it.
/// let line = b"<USERPASS>correct horse</USERPASS>";
/// let mut r = MarkupRedactor::resume(line, 15);
/// assert_eq!(r.redact("ct horse</USERPASS>"), "***</USERPASS>");
/// ```
#[derive(Debug, Clone)]
pub struct MarkupRedactor {
    state: State,
    /// The start tag's name so far (upper case), and its length; longer names are never
    /// secret.
    name: [u8; LONGEST],
    len: usize,
    /// The `<!` markup so far (to recognise `<![CDATA[`), and its length.
    markup: [u8; 8],
    markup_len: usize,
    /// In the content of a secret element: its text is masked.
    secret: bool,
    /// The value being masked has had its [`REDACTED`] written.
    written: bool,
}

impl Default for MarkupRedactor {
    fn default() -> Self {
        Self::new()
    }
}

impl MarkupRedactor {
    /// A redactor at the start of a document (outside any value).
    pub fn new() -> Self {
        MarkupRedactor {
            state: State::Text,
            name: [0; LONGEST],
            len: 0,
            markup: [0; 8],
            markup_len: 0,
            secret: false,
            written: false,
        }
    }

    /// A redactor for text that starts at byte `at` of `source`: it reads back to the last
    /// `<` before `at` to know whether `at` lies inside a secret value. (A `<` inside a
    /// CDATA section is taken for a tag there.)
    pub fn resume(source: &[u8], at: usize) -> Self {
        let mut r = Self::new();
        let before = source.get(..at).unwrap_or(source);
        if let Some(lt) = memchr::memrchr(b'<', before) {
            let mut sink = Vec::new();
            for &b in before.get(lt..).unwrap_or_default() {
                r.push(if b.is_ascii() { b as char } else { '\u{FFFD}' }, &mut sink);
                sink.clear();
            }
            // The part of the value before `at` is not shown: the mark still is, once.
            r.written = false;
        }
        r
    }

    /// `text` with its secret values replaced.
    pub fn redact(&mut self, text: &str) -> String {
        let mut out = Vec::with_capacity(text.len());
        for c in text.chars() {
            self.push(c, &mut out);
        }
        out.into_iter().collect()
    }

    /// `chars` with their secret values replaced.
    pub fn redact_chars(&mut self, chars: &[char]) -> Vec<char> {
        let mut out = Vec::with_capacity(chars.len());
        for &c in chars {
            self.push(c, &mut out);
        }
        out
    }

    /// Reads one character and appends what is shown of it to `out`.
    pub fn push(&mut self, c: char, out: &mut Vec<char>) {
        match self.state {
            State::Text => {
                if c == '<' {
                    self.state = State::Open;
                    out.push(c);
                } else if self.secret && !c.is_whitespace() {
                    if !self.written {
                        self.written = true;
                        out.extend(REDACTED.chars());
                    }
                } else if !self.secret || !self.written {
                    out.push(c);
                }
            }
            State::Open => {
                out.push(c);
                match c {
                    // `<<NAME>` and `< NAME>` are malformed; the name is still looked at.
                    '<' => {}
                    c if c.is_whitespace() => {}
                    '/' => {
                        self.end_value();
                        self.state = State::EndTag;
                    }
                    '!' | '?' => {
                        self.markup_len = 0;
                        self.state = State::Markup;
                    }
                    _ => {
                        self.end_value();
                        self.len = 0;
                        self.state = State::Name;
                        self.name_char(c);
                    }
                }
            }
            State::Name => {
                out.push(c);
                match c {
                    '>' => self.start_tag_closed(false),
                    '/' => self.state = State::Attrs { slash: true },
                    c if c.is_whitespace() => self.state = State::Attrs { slash: false },
                    c => self.name_char(c),
                }
            }
            State::Attrs { slash } => {
                out.push(c);
                match c {
                    '>' => self.start_tag_closed(slash),
                    c if c.is_whitespace() => {}
                    c => self.state = State::Attrs { slash: c == '/' },
                }
            }
            State::EndTag => {
                out.push(c);
                if c == '>' {
                    self.state = State::Text;
                }
            }
            State::Markup => {
                out.push(c);
                if let Some(slot) = self.markup.get_mut(self.markup_len) {
                    *slot = c as u8;
                    self.markup_len += 1;
                    if self.markup.get(..self.markup_len) == Some(b"[CDATA[".as_slice()) {
                        self.state = State::Cdata { brackets: 0 };
                        return;
                    }
                }
                if c == '>' {
                    self.state = State::Text;
                }
            }
            State::Cdata { brackets } => {
                if c == '>' && brackets >= 2 {
                    self.state = State::Text;
                    if self.secret {
                        // The brackets of a secret section were held back.
                        out.extend([']', ']']);
                    }
                    out.push(c);
                    return;
                }
                self.state = State::Cdata { brackets: if c == ']' { brackets + 1 } else { 0 } };
                if !self.secret {
                    out.push(c);
                } else if c == ']' || self.written {
                    // Held back: maybe the end of the section, else part of the value.
                } else if c.is_whitespace() {
                    out.push(c);
                } else {
                    self.written = true;
                    out.extend(REDACTED.chars());
                }
            }
        }
    }

    fn name_char(&mut self, c: char) {
        if let Some(slot) = self.name.get_mut(self.len) {
            *slot = if c.is_ascii() { (c as u8).to_ascii_uppercase() } else { 0 };
        }
        self.len += 1;
    }

    fn start_tag_closed(&mut self, self_closing: bool) {
        self.state = State::Text;
        let name = if self.len <= LONGEST { self.name.get(..self.len) } else { None };
        self.secret = !self_closing && name.is_some_and(is_secret_upper);
        self.written = false;
    }

    /// A tag ends the value being read.
    fn end_value(&mut self) {
        self.secret = false;
        self.written = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Code;

    #[test]
    fn quoted_values_of_secrets_are_unquoted() {
        let v = "S3CR3T-\u{1b}-VALUE";
        let cases = [
            ("USERPASS", "bad \"S3CR3T-\u{1b}-VALUE\" here", "bad \"***\" here"),
            ("userpass", "bad \"S3CR3T-\\u{1b}-V…\" here", "bad \"***\" here"),
            ("TAN", "a \"S3C\" b \"other\" c \"S3CR3T-\u{1b}\"", "a \"***\" b \"other\" c \"***\""),
            ("TAN", "odd \"S3CR3T", "odd \"S3CR3T"),
            ("USERID", "id \"S3CR3T-\u{1b}-VALUE\"", "id \"S3CR3T-\u{1b}-VALUE\""),
            ("USERPASS", "<USERPASS> is out of order", "<USERPASS> is out of order"),
        ];
        for (name, message, expect) in cases {
            assert_eq!(unquote_secret(name, v, message), expect, "{name}: {message}");
        }
    }

    #[test]
    fn every_name_is_upper_case_and_no_longer_than_the_bound() {
        assert_eq!(SECRET_ELEMENTS.len(), 17);
        for s in SECRET_ELEMENTS {
            assert!(s.name.len() <= LONGEST && s.name.len() >= 3, "{}", s.name);
            assert_eq!(s.name, s.name.to_ascii_uppercase());
            assert!(is_secret(s.name) && is_secret(&s.name.to_ascii_lowercase()), "{}", s.name);
        }
        for name in ["USERID", "NONCE", "TOKEN", "CLTCOOKIE", "SSN", "", "TA", "USERPASSX"] {
            assert!(!is_secret(name), "{name}");
        }
        assert!(is_secret("UserPass") && is_secret("tan"));
    }

    /// Each case: the pieces a window is read in, and what is shown of them.
    #[test]
    fn markup_is_redacted_piece_by_piece() {
        let cases: &[(&[&str], &str)] = &[
            (&["<USERPASS>S3CR3T<LANGUAGE>ENG"], "<USERPASS>***<LANGUAGE>ENG"),
            (&["<USERPASS>S3CR3T</USERPASS>"], "<USERPASS>***</USERPASS>"),
            (&["<USERPASS>  two words  \n<X>"], "<USERPASS>  ***<X>"),
            (&["<user", "pass>S3C", "R3T<X>1"], "<userpass>***<X>1"),
            (&["<USERPASS>", "", "S3CR3T"], "<USERPASS>***"),
            (&["<USERPASS a=\"1\">S3CR3T<X>"], "<USERPASS a=\"1\">***<X>"),
            (&["<USERPASS/>visible<X>"], "<USERPASS/>visible<X>"),
            (&["<USERPASS><![CDATA[a<b]]></USERPASS>"], "<USERPASS><![CDATA[***]]></USERPASS>"),
            (&["<NAME><![CDATA[a<b]]></NAME>"], "<NAME><![CDATA[a<b]]></NAME>"),
            (&["<USERPASS><!-- c -->S3CR3T<X>"], "<USERPASS><!-- c -->***<X>"),
            (&["<USERPASS></USERPASS>after"], "<USERPASS></USERPASS>after"),
            (&["<USERPASSWORD>shown<USERID>id"], "<USERPASSWORD>shown<USERID>id"),
            (&["<A>x</A><TAN>123456<B>y"], "<A>x</A><TAN>***<B>y"),
            (&["<USERPASS>é€✓<X>"], "<USERPASS>***<X>"),
            (&["<<USERPASS>S3CR3T<X>"], "<<USERPASS>***<X>"),
            (&["< USERPASS>S3CR3T<X>"], "< USERPASS>***<X>"),
            (&["<USERPASS><![CDATA[]]></USERPASS>"], "<USERPASS><![CDATA[]]></USERPASS>"),
            (&["<USERPASS><![CDATA[a]b]]]></USERPASS>"], "<USERPASS><![CDATA[***]]></USERPASS>"),
        ];
        for (pieces, expect) in cases {
            let mut r = MarkupRedactor::new();
            let got: String = pieces.iter().map(|p| r.redact(p)).collect();
            assert_eq!(&got, expect, "{pieces:?}");
            // The same through the character interface.
            let mut r = MarkupRedactor::new();
            let chars: Vec<char> = pieces
                .iter()
                .flat_map(|p| r.redact_chars(&p.chars().collect::<Vec<_>>()))
                .collect();
            assert_eq!(chars.into_iter().collect::<String>(), **expect, "{pieces:?} as chars");
        }
    }

    #[test]
    fn resuming_inside_a_value_masks_its_rest() {
        let src = b"<SONRQ><USERPASS>S3CR3T-VALUE\n  continued<LANGUAGE>ENG";
        for at in 0..src.len() {
            let rest = std::str::from_utf8(&src[at..]).expect("ASCII");
            let shown = MarkupRedactor::resume(src, at).redact(rest);
            assert!(!shown.contains("S3CR") && !shown.contains("VALUE"), "{at}: {shown}");
            assert!(!shown.contains("contin") && !shown.contains("nued"), "{at}: {shown}");
            if (17..40).contains(&at) {
                assert!(shown.starts_with("***") || shown.starts_with(char::is_whitespace));
            }
        }
        let shown = MarkupRedactor::resume(src, 45).redact("<LANGUAGE>ENG");
        assert_eq!(shown, "<LANGUAGE>ENG");
    }

    #[test]
    fn elements_debug_print_secrets_as_stars() {
        let doc =
            crate::parse(b"<OFX><SONRQ><USERPASS>S3CR3T<USERID>jo</SONRQ></OFX>").expect("parses");
        let debug: Vec<String> = doc.root().descendants().map(|e| format!("{e:?}")).collect();
        assert!(debug[1].contains(r#"name: "USERPASS", text: Some("***")"#), "{debug:?}");
        assert!(debug[2].contains(r#"text: Some("jo")"#), "{debug:?}");
    }

    fn messages(file: &[u8]) -> Vec<(&'static str, String)> {
        let doc = crate::parse(file).expect("parses");
        doc.diagnostics().iter().map(|d| (d.code, d.message.clone())).collect()
    }

    #[test]
    fn findings_inside_a_secret_do_not_quote_it() {
        let file = b"<OFX><SONRQ><USERPASS>S3CR3T&S3CR3T;&#0;<USERID>jo&bogus;</SONRQ></OFX>";
        let found = messages(file);
        assert!(found.iter().any(|(c, _)| *c == Code::UnknownEntity));
        assert!(found.iter().any(|(c, _)| *c == Code::InvalidCharRef));
        for (code, message) in &found {
            assert!(!message.contains("S3CR3T"), "{code}: {message}");
        }
        // Outside a secret the entity is still named.
        assert!(found.iter().any(|(_, m)| m.contains("&bogus;")), "{found:?}");
        assert!(found.iter().any(|(_, m)| m.contains("in <USERPASS>, whose value is secret")));
    }

    #[test]
    fn text_after_a_malformed_secret_tag_is_not_quoted() {
        for (file, stray) in [
            (&b"<OFX><SONRQ><USERID>jo\n< USERPASS>S3CR3T\n<LANGUAGE>ENG</SONRQ></OFX>"[..], true),
            // Read as a USERPASS element: nothing stray.
            (b"<OFX><SONRQ><USERID>jo\n<<userpass >S3CR3T\n<LANGUAGE>ENG</SONRQ></OFX>", false),
        ] {
            let found = messages(file);
            assert_eq!(found.iter().any(|(c, _)| *c == Code::StrayText), stray, "{found:?}");
            for (code, message) in &found {
                assert!(!message.contains("S3CR3T"), "{code}: {message}");
            }
        }
        // Before the root: leading junk.
        let found = messages(b"junk <USERPASS>S3CR3T<OFX></OFX>");
        assert!(found.iter().any(|(c, _)| *c == Code::LeadingJunk), "{found:?}");
        for (code, message) in &found {
            assert!(!message.contains("S3CR3T"), "{code}: {message}");
        }
        assert!(found.iter().any(|(_, m)| m.contains("\"junk \"")), "{found:?}");
        // Other stray text is still quoted.
        let found = messages(b"<OFX><SONRQ><USERID>jo\n< MESSAGE>visible\n</SONRQ></OFX>");
        assert!(found.iter().any(|(_, m)| m.contains("visible")), "{found:?}");
    }
}
