//! The children of a flat aggregate, read at once.
//!
//! Most aggregates of a statement (`STMTTRN`, `STATUS`, `BANKACCTFROM`, `LEDGERBAL`…) hold
//! only leaves written `<NAME>value`, one per line, sometimes with `</NAME>`. Right after such
//! an aggregate's start tag, [`read`] reads its children and its end tag in one tight loop
//! and appends the nodes the token loop would have made, without the stack and the checks
//! each token otherwise goes through. It accepts only what the token loop reads without a
//! remark and in the same way:
//!
//! - tags whose names are in the packed cache, written upper case (see
//!   [`packed_tag`](crate::lex::tokenizer::packed_tag));
//! - children the DTDs declare leaves, each with a plain value (see
//!   [`scan_value`](crate::lex::scan::scan_value); a `&` is kept for decoding as the token loop
//!   keeps it), optionally closed by its own `</NAME>` right after the value and its blanks;
//! - blanks between them, and the aggregate's own end tag at the end.
//!
//! Anything else (an aggregate or unknown element inside, an empty leaf, a value with a
//! byte above 0x7F or a control byte, a stray end tag, a comment, more than
//! [`MAX_CHILDREN`] children, a limit) drops what was appended and leaves the children to
//! the token loop, which then reads them as if this module did not exist. Each child is
//! read at most twice, so the work stays linear.

use crate::builder::Builder;
use crate::lex::scan::{ValueScan, scan_value};
use crate::lex::tokenizer::packed_tag;
use crate::sink::Sink;
use crate::span::Span;

/// The most children read at once; a longer list goes to the token loop.
pub(crate) const MAX_CHILDREN: u32 = 64;

/// Reads the children and the end tag of the element just opened, from `pos` (right after
/// its start tag). Returns the position after its end tag, or `None` (and nothing changed)
/// when the token loop must read them.
#[inline]
pub(crate) fn read(
    src: &[u8],
    pos: usize,
    builder: &mut Builder<'_>,
    sink: &mut Sink,
) -> Option<usize> {
    let start = builder.flat_start()?;
    match children(src, pos, builder, start) {
        Some((explicit, end_tag, amp, last_implicit)) => {
            // In an XML body, a last child without its end tag was ended by the parent's.
            let flagged = last_implicit
                && builder.xml_body
                && builder.flat_xml_last_child(start, explicit, end_tag);
            builder.flat_finish(start, explicit, end_tag, amp || flagged, sink);
            Some(end_tag.end as usize)
        }
        None => {
            builder.flat_abort(start);
            None
        }
    }
}

/// The loop of [`read`]: appends each child; returns the number of children closed by their
/// own end tag, the span of the parent's end tag, whether a text holds a `&`, and whether
/// the last child's end tag is not written.
#[inline(always)]
fn children(
    src: &[u8],
    mut pos: usize,
    builder: &mut Builder<'_>,
    start: crate::builder::FlatStart,
) -> Option<(u32, Span, bool, bool)> {
    let mut count = 0u32;
    let mut explicit = 0u32;
    let mut any_amp = false;
    let mut last_implicit = false;
    loop {
        // Blanks before the next tag.
        if src.get(pos) != Some(&b'<') {
            let (lt, value) = scan_value(src, pos);
            if value != ValueScan::Blank {
                return None;
            }
            pos = lt;
        }
        let (end_tag, key, after) = packed_tag(src, pos)?;
        if end_tag {
            return (builder.flat_symbol(key)? == start.parent)
                .then(|| (explicit, Span::new(pos as u32, after as u32), any_amp, last_implicit));
        }
        let sym = builder.flat_leaf(key)?;
        count += 1;
        if count > MAX_CHILDREN || count > start.room {
            return None;
        }
        let tag = Span::new(pos as u32, after as u32);
        let (lt, value) = scan_value(src, after);
        let (first, last, amp) = match value {
            ValueScan::Plain { start, end } => (start, end, false),
            ValueScan::Amp { start, end } => (start, end, true),
            ValueScan::Blank | ValueScan::Other => return None,
        };
        any_amp |= amp;
        if (last - first) as u64 > u64::from(start.max_text_len) {
            return None;
        }
        let text = Span::new(first as u32, last as u32);
        // `</NAME>` of this leaf right after its value closes it; any other tag leaves it
        // to be closed by what follows (SGML's omitted end tag).
        let closing = src.get(lt + 1) == Some(&b'/');
        match if closing { packed_tag(src, lt) } else { None } {
            Some((true, end_key, end)) if end_key == key => {
                builder.flat_push(sym, tag, text, end as u32, true, amp);
                explicit += 1;
                last_implicit = false;
                pos = end;
            }
            _ => {
                builder.flat_push(sym, tag, text, last as u32, false, amp);
                last_implicit = true;
                pos = lt;
            }
        }
    }
}

/// How many aggregates `body` (an OFX body, root included) has read at once when `run`
/// (the SGML or the XML reader) reads it.
#[cfg(test)]
pub(crate) fn reads_at_once(
    body: &str,
    run: fn(&[u8], usize, &mut Builder<'_>, &mut Sink) -> Result<(), crate::Error>,
) -> u32 {
    let src = body.as_bytes();
    let mut sink = Sink::new(100, crate::Leniency::default());
    let mut builder = Builder::new(src, crate::builder::Vocabulary::Ofx, crate::Limits::default());
    let read = run(src, 0, &mut builder, &mut sink);
    assert!(read.is_ok(), "{read:?}");
    builder.flat_reads
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fuzz::flat_agrees;
    use crate::{Limits, Options};

    fn flat_reads(body: &str) -> u32 {
        reads_at_once(body, crate::sgml::run)
    }

    const HEAD: &str = "<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><BANKTRANLIST>\n";
    const TAIL: &str = "</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\n";

    fn file(transactions: &[&str]) -> String {
        let mut out = HEAD.to_owned();
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
            // References are kept for decoding, as the token loop keeps them.
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
}
