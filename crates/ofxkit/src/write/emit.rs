//! Markup out: tags, text escaped and encoded, in SGML (OFX 1.x) or XML (OFX 2.x).
//!
//! One emitter serves every document the writer writes (read from a file, converted from
//! OFC, or built from scratch), so equal trees give equal bytes.

use std::io::Write;

use ofxkit_syntax::Span;

use crate::write::error::{WriteError, WriteErrorKind};

/// Bytes gathered before they are handed to the caller's writer.
const CHUNK: usize = 1 << 16;

/// The encoding text is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Charset {
    /// UTF-8 (every OFX 2.x file; `ENCODING:UTF-8`, `CHARSET:NONE` in OFX 1.x).
    Utf8,
    /// Windows-1252 (`ENCODING:USASCII`, `CHARSET:1252`): OFX 1.x's usual choice.
    Cp1252,
    /// 7-bit US-ASCII (`ENCODING:USASCII`, `CHARSET:NONE`).
    UsAscii,
}

impl Charset {
    /// The name errors use (`UTF-8`, `windows-1252`, `US-ASCII`).
    pub fn name(self) -> &'static str {
        match self {
            Charset::Utf8 => "UTF-8",
            Charset::Cp1252 => "windows-1252",
            Charset::UsAscii => "US-ASCII",
        }
    }

    /// The byte of `c` in this single-byte charset (`None`: not representable); UTF-8 is not
    /// asked.
    fn byte(self, c: char) -> Option<u8> {
        let u = u32::from(c);
        match self {
            Charset::UsAscii => u8::try_from(u).ok().filter(|b| *b < 0x80),
            Charset::Cp1252 | Charset::Utf8 => match u {
                0..=0x7F | 0xA0..=0xFF => u8::try_from(u).ok(),
                _ => CP1252_HIGH.iter().position(|&h| h == u).map(|i| 0x80 + i as u8),
            },
        }
    }
}

/// What Windows-1252 bytes 0x80–0x9F stand for (0: no character).
const CP1252_HIGH: [u32; 32] = [
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039,
    0x0152, 0, 0x017D, 0, 0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC,
    0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
];

/// A control character no OFX file can carry as text (C0 but tab, LF and CR; XML 1.0 forbids
/// them even as references).
fn forbidden(c: char) -> bool {
    (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
}

/// Where a text came from, for errors.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Origin {
    /// The text's span in the source, if any.
    pub(crate) span: Option<Span>,
    /// True when the source bytes there are exactly the text (UTF-8, nothing decoded), so a
    /// character's own offset can be given.
    pub(crate) exact: bool,
}

/// Writes markup to `out`.
pub(crate) struct Emitter<'w, W: Write + ?Sized> {
    out: &'w mut W,
    buf: Vec<u8>,
    close_all: bool,
    charset: Charset,
    lossy: bool,
    depth: usize,
    newline: &'static [u8],
    /// Characters replaced by `?` (`lossy`).
    pub(crate) replaced: u64,
    /// Bytes handed to `out` before those in `buf`.
    flushed: u64,
    /// Single-byte charsets: where the last byte that could start a UTF-8 sequence ends, until
    /// the output holds a byte sequence that is not UTF-8 (see [`Emitter::single_byte`]).
    utf8_lead_end: Option<u64>,
    /// The output already holds bytes that are not UTF-8.
    not_utf8: bool,
}

impl<'w, W: Write + ?Sized> Emitter<'w, W> {
    pub(crate) fn new(
        out: &'w mut W,
        xml: bool,
        close_all: bool,
        charset: Charset,
        lossy: bool,
    ) -> Self {
        Emitter {
            out,
            buf: Vec::with_capacity(CHUNK + 1024),
            close_all: close_all || xml,
            charset,
            lossy,
            depth: 0,
            newline: if xml { b"\n" } else { b"\r\n" },
            replaced: 0,
            flushed: 0,
            utf8_lead_end: None,
            not_utf8: false,
        }
    }

    /// Appends raw bytes (header lines).
    pub(crate) fn raw(&mut self, bytes: &[u8]) -> Result<(), WriteError> {
        self.buf.extend_from_slice(bytes);
        self.spill()
    }

    /// Ends a line.
    pub(crate) fn newline(&mut self) -> Result<(), WriteError> {
        self.buf.extend_from_slice(self.newline);
        self.spill()
    }

    fn spill(&mut self) -> Result<(), WriteError> {
        if self.buf.len() >= CHUNK {
            self.out.write_all(&self.buf)?;
            self.flushed += self.buf.len() as u64;
            self.buf.clear();
        }
        Ok(())
    }

    fn indent(&mut self) {
        for _ in 0..self.depth.min(64) {
            self.buf.extend_from_slice(b"  ");
        }
    }

    fn name(&mut self, name: &str, span: Option<Span>) -> Result<(), WriteError> {
        let ok = name.bytes().next().is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
        if !ok {
            let name = ofxkit_syntax::shown(name).into_owned();
            return Err(WriteError::new(WriteErrorKind::BadName { name, span }));
        }
        self.buf.extend_from_slice(name.as_bytes());
        Ok(())
    }

    /// `<NAME>` on a line of its own; what follows is inside it.
    pub(crate) fn start(&mut self, name: &str, span: Option<Span>) -> Result<(), WriteError> {
        self.indent();
        self.buf.push(b'<');
        self.name(name, span)?;
        self.buf.push(b'>');
        self.depth += 1;
        self.newline()
    }

    /// `</NAME>` closing the last [`start`](Self::start).
    pub(crate) fn end(&mut self, name: &str, span: Option<Span>) -> Result<(), WriteError> {
        self.depth = self.depth.saturating_sub(1);
        self.indent();
        self.buf.extend_from_slice(b"</");
        self.name(name, span)?;
        self.buf.push(b'>');
        self.newline()
    }

    /// A leaf: `<NAME>text`, closed in XML, with `close_all`, and when empty (`<NAME></NAME>`,
    /// which no reader mistakes for the start of an aggregate).
    pub(crate) fn leaf(
        &mut self,
        name: &str,
        text: &str,
        origin: Origin,
        span: Option<Span>,
    ) -> Result<(), WriteError> {
        self.indent();
        self.buf.push(b'<');
        self.name(name, span)?;
        self.buf.push(b'>');
        self.text(name, text, origin)?;
        if self.close_all || text.is_empty() {
            self.buf.extend_from_slice(b"</");
            self.name(name, span)?;
            self.buf.push(b'>');
        }
        self.newline()
    }

    /// Text, escaped (`&amp;`, `&lt;`, `&gt;`; CR and blanks at either end as numeric
    /// references, which readers do not trim or fold) and encoded.
    fn text(&mut self, element: &str, text: &str, origin: Origin) -> Result<(), WriteError> {
        let lead = text.len() - text.trim_start_matches(|c: char| c.is_ascii_whitespace()).len();
        let tail = text.trim_end_matches(|c: char| c.is_ascii_whitespace()).len();
        for (at, c) in text.char_indices() {
            let edge = at < lead || at >= tail;
            match c {
                '&' => self.buf.extend_from_slice(b"&amp;"),
                '<' => self.buf.extend_from_slice(b"&lt;"),
                '>' => self.buf.extend_from_slice(b"&gt;"),
                '\r' => self.buf.extend_from_slice(b"&#13;"),
                ' ' | '\t' | '\n' if edge => {
                    let _ = write!(self.buf, "&#{};", u32::from(c));
                }
                c if forbidden(c) => self.unrepresentable(element, c, at, origin)?,
                c if c.is_ascii() => self.buf.push(c as u8),
                c => match self.charset {
                    Charset::Utf8 => {
                        let mut b = [0u8; 4];
                        self.buf.extend_from_slice(c.encode_utf8(&mut b).as_bytes());
                    }
                    charset => match charset.byte(c) {
                        Some(b) if !(0x80..0xA0).contains(&u32::from(c)) => self.single_byte(c, b),
                        _ => self.unrepresentable(element, c, at, origin)?,
                    },
                },
            }
        }
        Ok(())
    }

    /// Writes the byte `b` of `c` in a single-byte charset. Readers that check the bytes
    /// against the declared charset (ofxkit's among them) read a file whose bytes are all
    /// valid UTF-8 as UTF-8, whatever it declares: so until the output holds a byte sequence
    /// that is not UTF-8, a byte that would continue a UTF-8 sequence right after a byte that
    /// can start one (`Ä‹`, `Ã©`) is written as a character reference instead (`&#8249;`),
    /// which ends that sequence there. Text like `Café` is never touched: `é` followed by
    /// anything but such a byte is already not UTF-8.
    fn single_byte(&mut self, c: char, b: u8) {
        let at = self.flushed + self.buf.len() as u64;
        if !self.not_utf8 {
            let continuation = (0x80..0xC0).contains(&b);
            match self.utf8_lead_end {
                Some(end) if end == at && continuation => {
                    let _ = write!(self.buf, "&#{};", u32::from(c));
                    self.not_utf8 = true;
                    return;
                }
                // The lead byte was followed by something else, or this byte cannot start
                // or continue a sequence here.
                Some(_) => self.not_utf8 = true,
                None if continuation || !(0xC2..=0xF4).contains(&b) => self.not_utf8 = true,
                None => {}
            }
            if !self.not_utf8 {
                self.utf8_lead_end = Some(at + 1);
            }
        }
        self.buf.push(b);
    }

    fn unrepresentable(
        &mut self,
        element: &str,
        character: char,
        at: usize,
        origin: Origin,
    ) -> Result<(), WriteError> {
        if self.lossy {
            self.buf.push(b'?');
            self.replaced += 1;
            return Ok(());
        }
        let span = origin.span.map(|s| {
            if origin.exact {
                let start = s.start.saturating_add(at as u32);
                Span::new(start, start.saturating_add(character.len_utf8() as u32))
            } else {
                s
            }
        });
        Err(WriteError::new(WriteErrorKind::Unrepresentable {
            character,
            element: element.to_owned(),
            charset: self.charset.name(),
            span,
        }))
    }

    /// Hands every byte to the writer and flushes it.
    pub(crate) fn finish(mut self) -> Result<u64, WriteError> {
        self.out.write_all(&self.buf)?;
        self.flushed += self.buf.len() as u64;
        self.buf.clear();
        self.out.flush()?;
        Ok(self.replaced)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaf(xml: bool, charset: Charset, text: &str) -> Result<String, WriteError> {
        let mut out = Vec::new();
        let mut e = Emitter::new(&mut out, xml, false, charset, false);
        e.leaf("NAME", text, Origin::default(), None)?;
        e.finish()?;
        Ok(String::from_utf8_lossy(&out).into_owned())
    }

    #[test]
    fn text_is_escaped_and_encoded_per_target() {
        let cases: [(bool, Charset, &str, &str); 9] = [
            (false, Charset::Cp1252, "AT&T <1>", "<NAME>AT&amp;T &lt;1&gt;\r\n"),
            (true, Charset::Utf8, "AT&T", "<NAME>AT&amp;T</NAME>\n"),
            (false, Charset::Cp1252, "", "<NAME></NAME>\r\n"),
            (true, Charset::Utf8, " a b\t", "<NAME>&#32;a b&#9;</NAME>\n"),
            (true, Charset::Utf8, "a\rb", "<NAME>a&#13;b</NAME>\n"),
            (true, Charset::Utf8, "Zürich €", "<NAME>Zürich €</NAME>\n"),
            (false, Charset::Utf8, "€", "<NAME>€\r\n"),
            (false, Charset::UsAscii, "abc", "<NAME>abc\r\n"),
            (true, Charset::Utf8, "a\nb", "<NAME>a\nb</NAME>\n"),
        ];
        for (xml, charset, text, expected) in cases {
            assert_eq!(leaf(xml, charset, text).unwrap(), expected, "{text:?}");
        }
        let mut out = Vec::new();
        let mut e = Emitter::new(&mut out, false, false, Charset::Cp1252, false);
        e.leaf("NAME", "é €’", Origin::default(), None).unwrap();
        e.finish().unwrap();
        assert_eq!(out, b"<NAME>\xE9 \x80\x92\r\n");
    }

    #[test]
    fn what_a_charset_cannot_hold_is_an_error_or_replaced() {
        for (xml, charset, text, bad) in [
            (false, Charset::Cp1252, "a→b", '→'),
            (false, Charset::UsAscii, "é", 'é'),
            (true, Charset::Utf8, "a\u{1}b", '\u{1}'),
            (false, Charset::Cp1252, "\u{81}", '\u{81}'),
        ] {
            let err = leaf(xml, charset, text).unwrap_err();
            match err.kind() {
                WriteErrorKind::Unrepresentable { character, element, .. } => {
                    assert_eq!((*character, element.as_str()), (bad, "NAME"));
                }
                other => panic!("{other:?}"),
            }
        }
        let mut out = Vec::new();
        let mut e = Emitter::new(&mut out, false, false, Charset::UsAscii, true);
        e.leaf("NAME", "Café €", Origin::default(), None).unwrap();
        assert_eq!(e.finish().unwrap(), 2);
        assert_eq!(out, b"<NAME>Caf? ?\r\n");
    }

    /// Windows-1252 text whose bytes happen to be UTF-8 (`Ä‹` is C4 8B, UTF-8 for `ċ`) would
    /// be read back as UTF-8: the byte that would continue the sequence is a reference.
    #[test]
    fn cp1252_output_is_never_all_utf8() {
        let write = |texts: &[&str]| {
            let mut out = Vec::new();
            let mut e = Emitter::new(&mut out, false, false, Charset::Cp1252, false);
            for t in texts {
                e.leaf("NAME", t, Origin::default(), None).unwrap();
            }
            e.finish().unwrap();
            out
        };
        assert_eq!(write(&["Ä‹"]), b"<NAME>\xC4&#8249;\r\n");
        assert_eq!(write(&["Ã©t\u{e9}"]), b"<NAME>\xC3&#169;t\xE9\r\n");
        // E9 80 92 is UTF-8 for U+9012.
        assert_eq!(write(&["é€’"]), b"<NAME>\xE9&#8364;\x92\r\n");
        // Already not UTF-8: nothing changes, later pairs included.
        assert_eq!(write(&["é", "Ä‹"]), b"<NAME>\xE9\r\n<NAME>\xC4\x8B\r\n");
        assert_eq!(write(&["Äx‹"]), b"<NAME>\xC4x\x8B\r\n");
        for texts in [&["Ä‹"][..], &["Ã©té"], &["ÂÂ"], &["Ä", "‹"]] {
            let out = write(texts);
            assert!(std::str::from_utf8(&out).is_err(), "{texts:?}: {out:?}");
        }
    }

    #[test]
    fn names_that_are_not_markup_are_refused() {
        let mut out = Vec::new();
        let mut e = Emitter::new(&mut out, true, false, Charset::Utf8, false);
        assert!(e.start("INTU.BID", None).is_ok());
        for bad in ["", "A B", "1A", "A>", "É"] {
            assert_eq!(e.start(bad, None).unwrap_err().code(), "E-WRITE-NAME", "{bad:?}");
        }
    }
}
