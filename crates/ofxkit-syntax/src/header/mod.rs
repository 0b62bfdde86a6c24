//! What comes before the root element: the OFX 1.x colon header, the OFX 2.x XML header, the
//! odd forms real files use, and junk. `prelude.rs` finds the pieces; the values inside them
//! (the pseudo-attributes of `<?OFX …?>`, the fields of a colon-header line) are read by the nom
//! grammar in `grammar.rs`.

use crate::error::{Code, Error, ErrorKind};
use crate::lex::tokenizer::{Token, Tokenizer};
use crate::shown::shown;
use crate::sink::Sink;
use crate::span::Span;

mod grammar;
mod prelude;

pub(crate) use prelude::read;

/// How the header was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum HeaderStyle {
    /// OFX 1.x: `OFXHEADER:100` lines.
    Colon,
    /// OFX 2.x: `<?xml …?>` and/or `<?OFX …?>`.
    Xml,
    /// Header fields written as elements: `<OFXHEADER>100</OFXHEADER>`.
    Elements,
    /// Colon header lines inside an XML comment.
    Comment,
}

/// The XML declaration `<?xml version="1.0" encoding="UTF-8" standalone="no"?>`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct XmlDeclaration {
    /// `version`.
    pub version: Option<String>,
    /// `encoding`.
    pub encoding: Option<String>,
    /// `standalone`.
    pub standalone: Option<String>,
}

/// The file header, with every standard field and the unknown ones kept in order.
///
/// ```
/// let file = b"OFXHEADER:100\r\nDATA:OFXSGML\r\nVERSION:102\r\nSECURITY:NONE\r\nENCODING:USASCII\r\n\
/// CHARSET:1252\r\nCOMPRESSION:NONE\r\nOLDFILEUID:NONE\r\nNEWFILEUID:NONE\r\n\r\n<OFX></OFX>";
/// let doc = ofxkit_syntax::parse(file).unwrap();
/// let header = doc.header().unwrap();
/// assert_eq!(header.version.as_deref(), Some("102"));
/// assert_eq!(header.charset.as_deref(), Some("1252"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Header {
    /// How it was written.
    pub style: HeaderStyle,
    /// Where it is.
    pub span: Span,
    /// `OFXHEADER` (`100` for 1.x, `200` for 2.x).
    pub ofxheader: Option<String>,
    /// `DATA` (`OFXSGML`).
    pub data: Option<String>,
    /// `VERSION` (`102`, `103`, `151`, `160`, `200`…`220`).
    pub version: Option<String>,
    /// `SECURITY` (`NONE`, `TYPE1`).
    pub security: Option<String>,
    /// `ENCODING` (`USASCII`, `UTF-8`).
    pub encoding: Option<String>,
    /// `CHARSET` (`1252`, `ISO-8859-1`, `NONE`).
    pub charset: Option<String>,
    /// `COMPRESSION` (`NONE`).
    pub compression: Option<String>,
    /// `OLDFILEUID`.
    pub oldfileuid: Option<String>,
    /// `NEWFILEUID`.
    pub newfileuid: Option<String>,
    /// The XML declaration of a 2.x file.
    pub xml_declaration: Option<XmlDeclaration>,
    /// Fields the standard does not define, in order.
    pub other: Vec<(String, String)>,
}

impl Header {
    fn new(style: HeaderStyle, span: Span) -> Self {
        Header {
            style,
            span,
            ofxheader: None,
            data: None,
            version: None,
            security: None,
            encoding: None,
            charset: None,
            compression: None,
            oldfileuid: None,
            newfileuid: None,
            xml_declaration: None,
            other: Vec::new(),
        }
    }

    /// The numeric `VERSION`, if it is a number.
    pub fn version_number(&self) -> Option<u16> {
        self.version.as_deref().and_then(|v| v.trim().parse().ok())
    }

    fn slot(&mut self, key: &str) -> Option<&mut Option<String>> {
        Some(match key {
            "OFXHEADER" => &mut self.ofxheader,
            "DATA" => &mut self.data,
            "VERSION" => &mut self.version,
            "SECURITY" => &mut self.security,
            "ENCODING" => &mut self.encoding,
            "CHARSET" => &mut self.charset,
            "COMPRESSION" => &mut self.compression,
            "OLDFILEUID" => &mut self.oldfileuid,
            "NEWFILEUID" => &mut self.newfileuid,
            _ => return None,
        })
    }

    fn set(&mut self, key: &str, value: &str, span: Span, sink: &mut Sink) {
        let key_upper = key.trim().to_ascii_uppercase();
        let value = value.trim().to_owned();
        match self.slot(&key_upper) {
            Some(slot) => {
                if slot.is_some() {
                    sink.report(Code::HeaderDuplicateField, span, || {
                        let key = shown(&key_upper);
                        format!("header field {key} appears twice; the last value is used")
                    });
                }
                *slot = Some(value);
            }
            None => {
                sink.report(Code::HeaderUnknownField, span, || {
                    format!("header field {} is not defined by OFX (kept)", shown(&key_upper))
                });
                self.other.push((key.trim().to_owned(), value));
            }
        }
    }

    fn check(&self, sink: &mut Sink) {
        let colon = self.style != HeaderStyle::Xml;
        let required: &[(&str, &Option<String>)] = if colon {
            &[
                ("OFXHEADER", &self.ofxheader),
                ("DATA", &self.data),
                ("VERSION", &self.version),
                ("SECURITY", &self.security),
                ("ENCODING", &self.encoding),
                ("CHARSET", &self.charset),
                ("COMPRESSION", &self.compression),
                ("OLDFILEUID", &self.oldfileuid),
                ("NEWFILEUID", &self.newfileuid),
            ]
        } else {
            &[
                ("OFXHEADER", &self.ofxheader),
                ("VERSION", &self.version),
                ("SECURITY", &self.security),
                ("OLDFILEUID", &self.oldfileuid),
                ("NEWFILEUID", &self.newfileuid),
            ]
        };
        let missing: Vec<&str> =
            required.iter().filter(|(_, v)| v.is_none()).map(|(k, _)| *k).collect();
        if !missing.is_empty() {
            sink.report(Code::HeaderMissingField, self.span, || {
                format!("the header lacks {}", missing.join(", "))
            });
        }
        let allowed: &[(&str, &Option<String>, &[&str])] = &[
            ("OFXHEADER", &self.ofxheader, if colon { &["100"] } else { &["200"] }),
            ("DATA", &self.data, &["OFXSGML"]),
            (
                "VERSION",
                &self.version,
                &["102", "103", "151", "160", "200", "201", "202", "203", "210", "211", "220"],
            ),
            ("SECURITY", &self.security, &["NONE", "TYPE1"]),
            ("ENCODING", &self.encoding, &["USASCII", "UTF-8", "UNICODE"]),
            ("CHARSET", &self.charset, &["ISO-8859-1", "1252", "NONE", "8859-1", "CP1252"]),
            ("COMPRESSION", &self.compression, &["NONE"]),
        ];
        for (key, value, ok) in allowed {
            if let Some(v) = value
                && !ok.contains(&v.as_str())
            {
                {
                    sink.report(Code::HeaderBadValue, self.span, || {
                        format!("header {key} is \"{}\"; OFX allows {}", shown(v), ok.join(", "))
                    });
                }
            }
        }
    }
}
