//! What a file says about its session: the server date, the institution and the user, and
//! whether the sign-on was accepted — read from the sign-on response at the head of the
//! file, before its statements (the ledger orders files by it and keys the rows it streams
//! with it).

use ofxkit::model::{Model, Status};

/// A server date (`DTSERVER`) as the file wrote it, and the instant it names for ordering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerDate {
    /// ISO 8601 with the file's own offset, as `ofxkit convert` writes dates.
    pub text: String,
    /// Milliseconds since 1970-01-01 UTC (a date without an offset is read as UTC): only
    /// used to order files, never shown.
    pub key: i64,
}

impl ServerDate {
    /// The date of `d`.
    pub fn of(d: &ofxkit::model::Date<'_>) -> ServerDate {
        let key = match d.value.to_fixed() {
            Some(f) => f.timestamp_millis(),
            None => d.value.naive().and_utc().timestamp_millis(),
        };
        ServerDate { text: d.value.to_iso8601(), key }
    }
}

/// A sign-on status that refused the session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The `CODE` as written.
    pub code: String,
    /// `MESSAGE` (or the code's meaning).
    pub message: String,
    /// A code of the 15500 family (the user's credentials were refused).
    pub signature: bool,
}

/// The sign-on of one file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Signon {
    /// `DTSERVER`.
    pub server_date: Option<ServerDate>,
    /// `FI/ORG` (empty when absent).
    pub org: String,
    /// `FI/FID` (empty when absent).
    pub fid: String,
    /// `INTU.USERID`, when the file has one.
    pub user: Option<String>,
    /// Set when the sign-on `STATUS` is an error.
    pub refused: Option<Refusal>,
}

/// The separator between ORG and FID in an institution key.
pub(crate) const SEP: char = '\u{1f}';

impl Signon {
    /// Reads the sign-on of a model (an empty one when the file has none, as OFC files may).
    pub fn of_model(model: &Model<'_>) -> Signon {
        let Some(s) = &model.signon else { return Signon::default() };
        let institution = s.institution.as_ref();
        let user = s
            .extensions
            .iter()
            .find(|e| e.name.eq_ignore_ascii_case("INTU.USERID"))
            .and_then(|e| e.text)
            .map(str::to_owned);
        Signon {
            server_date: s.server_date.as_ref().map(ServerDate::of),
            org: institution.and_then(|i| i.org).unwrap_or_default().to_owned(),
            fid: institution.and_then(|i| i.fid).unwrap_or_default().to_owned(),
            user,
            refused: s.status.as_ref().filter(|st| st.is_error).map(refusal),
        }
    }

    /// The institution key accounts are filed under: ORG and FID.
    pub fn institution(&self) -> String {
        format!("{}{SEP}{}", self.org, self.fid)
    }
}

/// The refusal a status says.
pub(crate) fn refusal(st: &Status<'_>) -> Refusal {
    Refusal {
        code: st.code_text.to_owned(),
        message: st.message.or(st.meaning).unwrap_or_default().to_owned(),
        signature: st.code.is_some_and(|c| (15500..15600).contains(&c)),
    }
}

/// How far into a file its sign-on response is looked for.
const HEAD: usize = 1 << 20;

/// The sign-on of a file read from its head only (everything up to the end of the first
/// `SONRS`): cheap on a file of any size. `None` when the head holds no complete sign-on
/// response (the file may still have one further on, or none).
pub fn head_signon(bytes: &[u8]) -> Option<Signon> {
    let head = bytes.get(..bytes.len().min(HEAD))?;
    let end = find_ci(head, b"</SONRS>")? + b"</SONRS>".len();
    let doc = ofxkit::parse(head.get(..end)?).ok()?;
    let model = doc.model();
    model.signon.as_ref()?;
    Some(Signon::of_model(model))
}

/// The server date of a file, from its head: what files are ordered by.
pub fn server_date(bytes: &[u8]) -> Option<ServerDate> {
    head_signon(bytes)?.server_date
}

/// The first position of `needle` in `hay`, ASCII case ignored.
fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_signon_from_the_head_only() {
        let file = b"OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\n\n<OFX><SIGNONMSGSRSV1><SONRS>\
            <STATUS><CODE>0<SEVERITY>INFO</STATUS><DTSERVER>20240105120000[-5:EST]\
            <LANGUAGE>ENG<FI><ORG>B<FID>42</FI><INTU.USERID>jo</SONRS></SIGNONMSGSRSV1>\
            <BANKMSGSRSV1><STMTTRNRS>this is never read";
        let s = head_signon(file).expect("a sign-on");
        assert_eq!(s.org, "B");
        assert_eq!(s.fid, "42");
        assert_eq!(s.user.as_deref(), Some("jo"));
        assert!(s.refused.is_none());
        let d = s.server_date.expect("a date");
        assert_eq!(d.text, "2024-01-05T12:00:00-05:00");
        assert_eq!(d.key, 1_704_474_000_000);
        assert!(head_signon(b"<OFX><BANKMSGSRSV1>").is_none());
    }

    #[test]
    fn the_15500_family_is_a_signature_refusal() {
        let file = b"<OFX><SIGNONMSGSRSV1><SONRS><STATUS><CODE>15500<SEVERITY>ERROR\
            <MESSAGE>Bad password</STATUS><DTSERVER>20240105<LANGUAGE>ENG</SONRS>\
            </SIGNONMSGSRSV1></OFX>";
        let r = head_signon(file).and_then(|s| s.refused).expect("refused");
        assert!(r.signature);
        assert_eq!((r.code.as_str(), r.message.as_str()), ("15500", "Bad password"));
    }
}
