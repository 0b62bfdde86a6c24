//! The reading loop: the body's events ([`Body`]) into the tree builder, for OFX 1.x SGML,
//! OFC and OFX 2.x XML bodies alike.
//!
//! One `match` on each event:
//!
//! - a tag whose name the builder knows ([`Body::Known`]) and a batch of leaves
//!   ([`Body::Leaves`]) go straight to the builder's fast paths;
//! - a text run goes in as a plain value when the scan found one, else in full;
//! - any other lexical event is fed to the builder with its remark (attributes, a
//!   self-closing tag, a declaration, a malformed `<`…).
//!
//! What an XML body changes is decided here, per event: its markup other than known tags is
//! read as quick-xml reads it ([`xml_markup`]), the source moving on to
//! where quick-xml ended; a self-closing tag is normal XML (no remark); and once quick-xml
//! rejects a piece of markup (an `XmlSyntax` finding), or meets a tag name XML does not allow,
//! the rest of the body is read with the SGML rules. Once the root element has closed, what
//! follows is trailing content, reported once.
//!
//! The production source ([`BodyLexer`](crate::lex::body::BodyLexer)) and the reference one
//! (the nom lexer's plain events, tests and the `fuzz` feature only) drive this same loop;
//! the oracle `ofxkit_syntax::fuzz::flat_agrees` checks both give the same document.

use crate::builder::Builder;
use crate::error::{Code, Error};
use crate::lex::Event;
use crate::lex::body::{Body, BodySource};
use crate::lex::scan::ValueScan;
use crate::sink::Sink;
use crate::span::Span;
use crate::xml_markup::{self, XmlMarkup};

/// Which source the body is read from: the production lexer, or, for the oracles only, the
/// reference (the nom lexer's plain events). In a build without tests or the `fuzz` feature
/// the reference does not exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reading {
    /// [`BodyLexer`](crate::lex::body::BodyLexer).
    Production,
    /// [`PlainBody`].
    #[cfg(any(test, feature = "fuzz"))]
    Reference,
}

/// Reads the body `src[pos..]` into the builder, from the source `reading` names.
pub(crate) fn read<'s>(
    src: &'s [u8],
    pos: usize,
    reading: Reading,
    xml: bool,
    builder: &mut Builder<'s>,
    sink: &mut Sink,
) -> Result<(), Error> {
    match reading {
        Reading::Production => {
            read_body(src, crate::lex::body::BodyLexer::new(src, pos), xml, builder, sink)
        }
        #[cfg(any(test, feature = "fuzz"))]
        Reading::Reference => {
            read_body(src, crate::lex::body::PlainBody::new(src, pos), xml, builder, sink)
        }
    }
}

/// Reads the body from `source` into the builder; `xml` when it is read under an XML
/// header (see the module documentation).
#[inline(never)]
pub(crate) fn read_body<'s>(
    src: &'s [u8],
    mut source: impl BodySource<'s>,
    xml: bool,
    builder: &mut Builder<'s>,
    sink: &mut Sink,
) -> Result<(), Error> {
    let mut xml = xml;
    // Only an end tag (or a batch of leaves, which ends with one) and other markup can close
    // the root: the check for trailing content follows those alone.
    while let Some(body) = source.next_body(&builder.names) {
        match body {
            Body::Known { sym, tag, end_tag } => {
                builder.known_tag(sym, tag, end_tag, sink)?;
                if end_tag && builder.done() {
                    return read_trailing(src, source, builder, sink);
                }
            }
            Body::Leaves(batch) => {
                if let Some(end) = builder.leaves(batch, sink) {
                    source.seek(end);
                    if builder.done() {
                        return read_trailing(src, source, builder, sink);
                    }
                }
            }
            Body::Text { span, value } => match value {
                ValueScan::Blank => {}
                ValueScan::Plain { start, end } if builder.plain_value(start, end) => {}
                _ => builder.text(span, false, sink)?,
            },
            Body::Lexed(event) => {
                if xml && is_markup(&event) {
                    let at = event.span().start as usize;
                    match xml_markup::read(src, at) {
                        XmlMarkup::Read(event) => {
                            source.seek(event.span().end as usize);
                            feed(event, true, builder, sink)?;
                        }
                        XmlMarkup::BadName => {
                            xml = false;
                            source.seek(at);
                        }
                        XmlMarkup::Rejected { at: error_at, reason } => {
                            let error_at = error_at.min(src.len());
                            let point =
                                Span::new(error_at as u32, (error_at as u32).saturating_add(1));
                            sink.report(Code::XmlSyntax, point, || {
                                let e = crate::shown(&reason).into_owned();
                                format!("XML syntax error: {e}; reading on with the SGML rules")
                            });
                            xml = false;
                            source.seek(error_at.max(at));
                        }
                        XmlMarkup::NotMarkup => feed(event, false, builder, sink)?,
                    }
                } else {
                    feed(event, xml, builder, sink)?;
                }
                if builder.done() {
                    return read_trailing(src, source, builder, sink);
                }
            }
        }
    }
    builder.finish(source.position().min(src.len()) as u32, sink);
    Ok(())
}

/// What follows the root element once it has closed (see [`trailing`]).
#[cold]
#[inline(never)]
fn read_trailing<'s>(
    src: &'s [u8],
    mut source: impl BodySource<'s>,
    builder: &mut Builder<'s>,
    sink: &mut Sink,
) -> Result<(), Error> {
    while let Some(body) = source.next_body(&builder.names) {
        if !trailing(src, body, builder, sink)? {
            break;
        }
    }
    Ok(())
}

/// Markup (anything but a text or a header field).
fn is_markup(event: &Event) -> bool {
    !matches!(event, Event::Text(_) | Event::HeaderField { .. })
}

/// An event after the root element closed: a text goes to the builder (which reports it
/// unless blank), a comment is skipped; anything else is reported as trailing content, up
/// to the end of the input, and ends the reading (returns false).
fn trailing(
    src: &[u8],
    body: Body<'_>,
    builder: &mut Builder<'_>,
    sink: &mut Sink,
) -> Result<bool, Error> {
    let start = match body {
        Body::Text { span, .. } | Body::Lexed(Event::Text(span)) => {
            builder.text(span, false, sink)?;
            return Ok(true);
        }
        Body::Lexed(Event::Comment(_)) | Body::Leaves(_) => return Ok(true),
        Body::Known { tag, .. } => tag.start,
        Body::Lexed(event) => event.span().start,
    };
    sink.report(Code::TrailingContent, Span::new(start, src.len() as u32), || {
        "markup after the end of the root element (not read)".to_owned()
    });
    Ok(false)
}

/// Hands one lexical event to the builder, reporting the lexical oddities; `xml` when a
/// self-closing tag is normal (an XML body).
fn feed(event: Event, xml: bool, builder: &mut Builder<'_>, sink: &mut Sink) -> Result<(), Error> {
    match event {
        Event::StartTag { tag, name, self_closing, attributes } => {
            if attributes {
                sink.report(Code::AttributesIgnored, tag, || {
                    "attributes on a tag; OFX defines none (ignored)".to_owned()
                });
            }
            if self_closing && !xml {
                sink.report(Code::SelfClosingTag, tag, || {
                    "XML-style self-closing tag; read as an element with no value".to_owned()
                });
            }
            builder.start(name, tag, self_closing, sink)
        }
        Event::EndTag { tag, name } => builder.end(name, tag, sink),
        Event::Text(span) | Event::HeaderField { line: span, .. } => {
            builder.text(span, false, sink)
        }
        Event::CData { markup, content } => builder.cdata(markup, content, sink),
        Event::Comment(span) => {
            builder.ignorable(span);
            Ok(())
        }
        Event::Declaration(span) => {
            sink.report(Code::DeclarationIgnored, span, || {
                "declaration ignored (nothing in it is resolved or fetched)".to_owned()
            });
            Ok(())
        }
        Event::ProcessingInstruction(span) => {
            sink.report(Code::ProcessingInstruction, span, || {
                "processing instruction in the body (ignored)".to_owned()
            });
            builder.ignorable(span);
            Ok(())
        }
        Event::Malformed { span, reason } => {
            sink.report(Code::MalformedTag, span, || format!("malformed tag: {reason}"));
            Ok(())
        }
        Event::Unclosed { span, what } => {
            sink.report(Code::UnclosedMarkup, span, || format!("{what} is never closed"));
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fuzz::flat_agrees;
    use crate::{Limits, Options};

    /// How many aggregates `body` (an OFX body, root included) has read as a batch of leaves
    /// when the production source reads it, with the XML rules when `xml`.
    fn reads_at_once(body: &str, xml: bool) -> u32 {
        let src = body.as_bytes();
        let mut sink = Sink::new(100, crate::Leniency::default());
        let mut builder =
            Builder::new(src, crate::builder::Vocabulary::Ofx, crate::Limits::default());
        let read = read(src, 0, Reading::Production, xml, &mut builder, &mut sink);
        assert!(read.is_ok(), "{read:?}");
        builder.flat_reads
    }

    // SGML bodies.
    #[test]
    fn a_nul_before_the_gt_is_not_read_as_a_known_name() {
        // `<CODE>` is interned first; `<CODE\0>` must still go through the full reader,
        // which reads the NUL as an attribute, not pack like `<CODE>` and skip that.
        let src = b"<OFX><STATUS><CODE>1<CODE\0>2</STATUS></OFX>                ";
        let doc = crate::parse(src).unwrap();
        assert!(
            doc.diagnostics().iter().any(|d| d.code == Code::AttributesIgnored),
            "{:?}",
            doc.diagnostics()
        );
    }

    // Batches of leaves.
    fn flat_reads(body: &str) -> u32 {
        reads_at_once(body, false)
    }

    const SGML_HEAD: &str = "<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><BANKTRANLIST>\n";
    const TAIL: &str = "</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\n";

    fn file(transactions: &[&str]) -> String {
        let mut out = SGML_HEAD.to_owned();
        for t in transactions {
            out.push_str("<STMTTRN>\n");
            out.push_str(t);
            out.push_str("</STMTTRN>\n");
        }
        out.push_str(TAIL);
        out
    }

    const PLAIN: &str = "<TRNTYPE>DEBIT\n<DTPOSTED>20240101\n<TRNAMT>-9.59\n<FITID>1\n";

    #[test]
    fn plain_children_are_read_at_once_and_the_tree_is_the_same() {
        // The first STMTTRN interns the names; the later ones are read at once.
        for t in [
            PLAIN,
            "<TRNTYPE>DEBIT</TRNTYPE>\n<TRNAMT>-1</TRNAMT><FITID>2\n",
            "<TRNTYPE>DEBIT\r\n<TRNAMT>-1\r\n",
            // References are kept for decoding, as the tag-by-tag reading keeps them.
            "<TRNTYPE>DEBIT\n<FITID>AT&amp;T & CO\n<TRNAMT>&#65;&\n",
        ] {
            let text = file(&[PLAIN, t, t, t]);
            assert_eq!(flat_reads(&text), 3, "{t:?}");
            flat_agrees(text.as_bytes(), &Options::default());
        }
        // Every end tag written: the document reads as XML syntax only if none is counted
        // as omitted.
        let closed = "<TRNTYPE>DEBIT</TRNTYPE>\n<TRNAMT>-1</TRNAMT>\n";
        let text = file(&[closed, closed, closed]);
        assert_eq!(flat_reads(&text), 2);
        flat_agrees(text.as_bytes(), &Options::default());
        let doc = crate::parse(text.as_bytes()).unwrap();
        assert_eq!(doc.syntax(), crate::Syntax::Xml);
    }

    #[test]
    fn a_long_value_is_read_at_once_too() {
        // Longer than 64 KiB, within the default limit of 1 MiB.
        let long = format!("<TRNTYPE>DEBIT\n<MEMO>{}\n", "x".repeat(70_000));
        let explicit = format!("<TRNTYPE>DEBIT\n<MEMO>{}</MEMO>\n", "y".repeat(70_000));
        // The first transaction interns MEMO.
        let text = file(&["<TRNTYPE>DEBIT\n<MEMO>m\n", &long, &explicit, PLAIN]);
        assert_eq!(flat_reads(&text), 2);
        flat_agrees(text.as_bytes(), &Options::default());
        let doc = crate::parse(text.as_bytes()).unwrap();
        let memos: Vec<_> = doc.root().descendants().filter(|e| e.name() == "MEMO").collect();
        assert_eq!(memos[1].text().map(str::len), Some(70_000));
        assert!(!memos[1].has_end_tag());
        assert_eq!(memos[2].text().map(str::len), Some(70_000));
        assert!(memos[2].has_end_tag());
        assert_eq!(memos[2].span().len() as usize, "<MEMO>".len() + 70_000 + "</MEMO>".len());
    }

    #[test]
    fn anything_unusual_goes_to_the_token_loop_with_the_same_result() {
        let many: String = (0..70).map(|i| format!("<MEMO>m{i}\n")).collect();
        for t in [
            "<TRNTYPE>DEBIT\n<NAME>AT&amp;T\n",
            "<TRNTYPE>DEBIT\n<NAME>caf\u{e9}\n",
            "<TRNTYPE>\n<TRNAMT>1\n",
            "<TRNTYPE>DEBIT\n<PAYEE><NAME>x\n</PAYEE>\n",
            "<TRNTYPE>DEBIT\n<X.VENDOR>1\n",
            "<TRNTYPE>DEBIT\n<trnamt>1\n",
            "<TRNTYPE>DEBIT\n<!-- c -->\n<TRNAMT>1\n",
            "<TRNTYPE>DEBIT\n</FITID>\n",
            "<TRNTYPE>DEBIT</TRNTYPE >\n",
            "<TRNTYPE> DEBIT \n",
            "<TRNTYPE>DEBIT\t\n",
            "<TRNTYPE>DEB\tIT\n",
            "<TRNTYPE>DEBIT\n<TRNAMT>a very long value indeed\n",
            "<TRNTYPE>DEBIT\n<STMTTRN><TRNAMT>1\n",
            "<TRNTYPE>DEBIT\n</TRNTYPE></TRNTYPE>\n",
            "<TRNTYPE>DEBIT\n<TRNAMT>1</FITID>\n",
            &many,
        ] {
            let text = file(&[PLAIN, t, PLAIN]);
            assert!(flat_reads(&text) >= 1, "{t:?}");
            for options in [
                Options::default(),
                Options {
                    limits: Limits { max_elements: 14, max_text_len: 12, ..Limits::default() },
                    ..Options::default()
                },
                Options {
                    limits: Limits { max_depth: 5, ..Limits::default() },
                    ..Options::default()
                },
            ] {
                flat_agrees(text.as_bytes(), &options);
                // Cut anywhere: an aggregate whose end tag is missing.
                for cut in (0..text.len()).step_by(7) {
                    flat_agrees(&text.as_bytes()[..cut], &options);
                }
            }
        }
    }

    // XML bodies.
    const XML_HEAD: &str = "<?xml version=\"1.0\"?>\n<?OFX OFXHEADER=\"200\" VERSION=\"220\"?>\n";

    fn statement(transaction: &str) -> String {
        let t = format!("<STMTTRN>{transaction}</STMTTRN>\n");
        format!(
            "<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><BANKTRANLIST>\n{}</BANKTRANLIST></STMTRS>\
             </STMTTRNRS></BANKMSGSRSV1></OFX>\n",
            t.repeat(3)
        )
    }

    #[test]
    fn plain_xml_goes_through_the_fast_paths() {
        let body = statement("<TRNTYPE>DEBIT</TRNTYPE>\n<TRNAMT>-1.50</TRNAMT>\n");
        // The first transaction interns the names; the two after it are read at once.
        assert_eq!(reads_at_once(&body, true), 2);
        flat_agrees(format!("{XML_HEAD}{body}").as_bytes(), &Options::default());
    }

    #[test]
    fn other_markup_reads_as_quick_xml_reads_it() {
        for t in [
            "<TRNTYPE>DEBIT</TRNTYPE><!-- note --><TRNAMT>1</TRNAMT>",
            "<TRNTYPE>DEBIT</TRNTYPE><MEMO><![CDATA[a<b&c]]></MEMO>",
            "<TRNTYPE>DEBIT</TRNTYPE><MEMO/><NAME x=\"1\">n</NAME>",
            "<TRNTYPE>DEBIT</TRNTYPE><NAME>AT&amp;T &#233; & co</NAME>",
            "<TRNTYPE>DEBIT</TRNTYPE><?pi x?><NAME>caf\u{e9}</NAME>",
            "<TRNTYPE>DEBIT</TRNTYPE><NAME>\u{feff}x</NAME>",
            "<TRNTYPE>DEBIT</TRNTYPE><trnamt>1</trnamt>",
            "<TRNTYPE>DEBIT</TRNTYPE><NAME>a</NAME >",
            "<TRNTYPE>DEBIT</TRNTYPE><NAME>a</NAME></FITID>",
            "<TRNTYPE>DEBIT</TRNTYPE><NAME>a<MEMO>b</STMTTRN>",
            "<TRNTYPE>DEBIT</TRNTYPE><1A>x</1A>",
            "<TRNTYPE>DEBIT</TRNTYPE><NAME>a</NAME><!-- unclosed",
            "<TRNTYPE>DEBIT</TRNTYPE><NAME <",
            "<TRNTYPE>DEBIT</TRNTYPE><!DOCTYPE x><NAME>a</NAME>",
            // Texts split by markup: the pieces join.
            "<TRNTYPE>DEBIT</TRNTYPE><NAME>LONDON<!-- x --> HOTEL</NAME>",
            "<TRNTYPE>DEBIT</TRNTYPE><NAME><![CDATA[AT]]><![CDATA[&T]]></NAME>",
            "<TRNTYPE>DEBIT</TRNTYPE><NAME>AT&amp;T <![CDATA[Inc]]></NAME>",
            "<TRNTYPE>DEBIT</TRNTYPE><NAME>LONDON<?x y?> HOTEL</NAME>",
            "<TRNTYPE>DEBIT</TRNTYPE><NAME>&#x0000000000000041;&#xD800;</NAME>",
        ] {
            let text = format!("{XML_HEAD}{}<!-- after -->x", statement(t));
            flat_agrees(text.as_bytes(), &Options::default());
            // Cut anywhere: every prefix reads the same both ways too.
            for cut in (0..text.len()).filter(|c| text.is_char_boundary(*c)) {
                flat_agrees(&text.as_bytes()[..cut], &Options::default());
            }
        }
    }

    #[test]
    fn a_line_feed_alone_between_tags_reads_as_the_reference_reads_it() {
        // The production lexer steps over a lone LF before a `<` (outside a batch and
        // between a batch's leaves) without scanning it: every place it can stand reads as
        // the nom lexer's plain events read it, SGML and XML, whole and cut anywhere.
        let t = "<TRNTYPE>DEBIT</TRNTYPE>\n<TRNAMT>1</TRNAMT>\n\n<FITID>2</FITID>\n";
        let xml = format!("{XML_HEAD}{}\n<!-- c -->\n<x\n", statement(t));
        let sgml = file(&[PLAIN, "<TRNTYPE>DEBIT\n\n<NAME>a<!-- c -->\n<MEMO>b\n", PLAIN]);
        for text in [xml, format!("{sgml}\n"), format!("{sgml}\nx")] {
            flat_agrees(text.as_bytes(), &Options::default());
            for cut in 0..text.len() {
                flat_agrees(&text.as_bytes()[..cut], &Options::default());
            }
        }
        // Explicit end tags each followed by a line feed: still read as a batch.
        assert_eq!(reads_at_once(&statement(t), true), 2);
    }
}
