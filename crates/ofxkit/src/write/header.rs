//! The header of the version written.

use std::io::Write;

use ofxkit_syntax::Header;

use crate::write::emit::{Charset, Emitter};
use crate::write::error::WriteError;
use crate::write::version::{OfxVersion, Target};

/// The header fields kept from a source (or given by a made document).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HeaderFields {
    security: String,
    old_file_uid: String,
    new_file_uid: String,
}

/// A header value written as it is: `NONE` or a plain identifier of up to 36 characters.
fn plain(value: Option<&str>) -> String {
    match value.map(str::trim) {
        Some(v)
            if !v.is_empty()
                && v.len() <= 36
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.')) =>
        {
            v.to_owned()
        }
        _ => "NONE".to_owned(),
    }
}

impl HeaderFields {
    pub(crate) fn new(security: &str, old: &str, new: &str) -> Self {
        let security = match security.trim() {
            s if s.eq_ignore_ascii_case("TYPE1") => "TYPE1".to_owned(),
            _ => "NONE".to_owned(),
        };
        HeaderFields { security, old_file_uid: plain(Some(old)), new_file_uid: plain(Some(new)) }
    }

    pub(crate) fn from_source(header: Option<&Header>) -> Self {
        let get = |f: fn(&Header) -> &Option<String>| header.and_then(|h| f(h).as_deref());
        HeaderFields::new(
            get(|h| &h.security).unwrap_or("NONE"),
            get(|h| &h.oldfileuid).unwrap_or("NONE"),
            get(|h| &h.newfileuid).unwrap_or("NONE"),
        )
    }
}

/// Writes the header of `version`.
pub(crate) fn write<W: Write + ?Sized>(
    em: &mut Emitter<'_, W>,
    version: OfxVersion,
    charset: Charset,
    fields: &HeaderFields,
) -> Result<(), WriteError> {
    let HeaderFields { security, old_file_uid, new_file_uid } = fields;
    let text = match version.target() {
        Target::Ofx1 => {
            let (encoding, cs) = match charset {
                Charset::Cp1252 => ("USASCII", "1252"),
                Charset::UsAscii => ("USASCII", "NONE"),
                Charset::Utf8 => ("UTF-8", "NONE"),
            };
            format!(
                "OFXHEADER:100\r\nDATA:OFXSGML\r\nVERSION:{version}\r\nSECURITY:{security}\r\n\
                 ENCODING:{encoding}\r\nCHARSET:{cs}\r\nCOMPRESSION:NONE\r\n\
                 OLDFILEUID:{old_file_uid}\r\nNEWFILEUID:{new_file_uid}\r\n\r\n"
            )
        }
        Target::Ofx2 => format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n\
             <?OFX OFXHEADER=\"200\" VERSION=\"{version}\" SECURITY=\"{security}\" \
             OLDFILEUID=\"{old_file_uid}\" NEWFILEUID=\"{new_file_uid}\"?>\n"
        ),
    };
    em.raw(text.as_bytes())
}
