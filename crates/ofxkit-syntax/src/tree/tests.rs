use super::*;
use crate::{Options, parse, parse_streaming};

/// Over 64 KiB: more than a node's 16-bit halves hold.
const FAR: usize = 70_000;

fn file(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

fn blanks(b: u8) -> Vec<u8> {
    vec![b; FAR]
}

/// Where `needle` first occurs in `haystack`.
fn at(haystack: &[u8], needle: &str) -> u32 {
    memchr::memmem::find(haystack, needle.as_bytes()).expect("in the file") as u32
}

fn is_wide(e: &Element<'_>) -> bool {
    e.node().flags & flags::WIDE != 0
}

fn names<'t>(e: &Element<'t>) -> Vec<&'t str> {
    e.children().map(|c| c.name()).collect()
}

/// What the public API tells of an element and everything in it.
type Described = (String, Option<String>, Span, Option<Span>, Vec<String>);

fn describe(e: Element<'_>) -> Vec<Described> {
    std::iter::once(e)
        .chain(e.descendants())
        .map(|d| {
            let kids = d.children().map(|c| c.name().to_owned()).collect();
            (d.name().to_owned(), d.text().map(str::to_owned), d.span(), d.text_span(), kids)
        })
        .collect()
}

#[test]
fn the_side_table_keeps_its_entries_sorted_by_node() {
    let mut wide = Wide::default();
    for (idx, len) in [(3, 30), (9, 90), (5, 50), (9, 91), (1, 10), (5, 51)] {
        wide.set(idx, len, len + 1);
    }
    let entries: Vec<(u32, u32, u32)> = wide.0.iter().map(|w| (w.idx, w.text_len, w.end)).collect();
    assert_eq!(entries, [(1, 10, 11), (3, 30, 31), (5, 51, 52), (9, 91, 92)]);
    assert_eq!(wide.get(5).map(|w| w.text_len), Some(51));
    assert_eq!(wide.get(4), None);
    let rebased: Vec<(u32, u32)> = wide.rebased(4).0.iter().map(|w| (w.idx, w.text_len)).collect();
    assert_eq!(rebased, [(1, 51), (5, 91)]);
    assert!(wide.rebased(10).0.is_empty());
    wide.truncate(5);
    assert_eq!(wide.0.iter().map(|w| w.idx).collect::<Vec<_>>(), [1, 3]);
    wide.truncate(0);
    assert!(wide.0.is_empty());
}

#[test]
fn a_leaf_with_more_than_64k_blanks_before_its_text() {
    // Spaces take the inline path, line breaks the general one.
    for blank in [b' ', b'\n'] {
        let f = file(&[b"<OFX><NAME>", &blanks(blank), b"x</NAME><MEMO>y</OFX>"]);
        let doc = parse(&f).unwrap();
        let root = doc.root();
        assert_eq!(names(&root), ["NAME", "MEMO"]);
        let name = root.child("NAME").unwrap();
        let x = at(&f, "x</NAME>");
        assert_eq!(name.text(), Some("x"));
        assert_eq!(name.text_span(), Some(Span::new(x, x + 1)));
        assert_eq!(name.span(), Span::new(5, x + 8));
        assert!(name.has_end_tag());
        // The text's start is a full offset: nothing goes to the side table.
        assert!(!is_wide(&name));
        let memo = root.child("MEMO").unwrap();
        assert_eq!(memo.text(), Some("y"));
        assert_eq!(memo.span(), Span::new(x + 8, x + 15));
    }
}

#[test]
fn a_leaf_whose_end_tag_comes_after_more_than_64k_blanks() {
    let f = file(&[b"<OFX><NAME>x", &blanks(b' '), b"</NAME><MEMO>", &blanks(b'\n')]);
    let f = file(&[&f, b"</MEMO><FITID>1</OFX>"]);
    let doc = parse(&f).unwrap();
    let root = doc.root();
    assert_eq!(names(&root), ["NAME", "MEMO", "FITID"]);
    let name = root.child("NAME").unwrap();
    assert!(is_wide(&name));
    assert_eq!(name.text(), Some("x"));
    assert_eq!(name.text_span(), Some(Span::new(11, 12)));
    assert_eq!(name.span(), Span::new(5, at(&f, "<MEMO>")));
    // A leaf without text, its end tag as far.
    let memo = root.child("MEMO").unwrap();
    assert!(is_wide(&memo));
    let memo_start = at(&f, "<MEMO>");
    assert_eq!(memo.text(), Some(""));
    assert_eq!(memo.text_span(), Some(Span::point(memo_start + 6)));
    assert_eq!(memo.span(), Span::new(memo_start, at(&f, "<FITID>")));
    let fitid = root.child("FITID").unwrap();
    assert!(!is_wide(&fitid));
    assert_eq!(fitid.text(), Some("1"));
    assert_eq!(fitid.span(), Span::new(at(&f, "<FITID>"), at(&f, "</OFX>")));
    assert_eq!(doc.tree().wide.0.len(), 2);
}

#[test]
fn a_text_of_more_than_64k() {
    let long = vec![b'a'; FAR];
    for end_tag in [&b"</MEMO>"[..], b""] {
        let f = file(&[b"<OFX><MEMO>", &long, end_tag, b"<NAME>z</OFX>"]);
        let doc = parse(&f).unwrap();
        let root = doc.root();
        assert_eq!(names(&root), ["MEMO", "NAME"]);
        let memo = root.child("MEMO").unwrap();
        assert!(is_wide(&memo));
        assert_eq!(memo.text().map(str::len), Some(FAR));
        assert_eq!(memo.text_span(), Some(Span::new(11, 11 + FAR as u32)));
        assert_eq!(memo.span(), Span::new(5, at(&f, "<NAME>")));
        assert_eq!(memo.has_end_tag(), !end_tag.is_empty());
        assert_eq!(root.child_text("NAME"), Some("z"));
    }
}

#[test]
fn decoded_texts_in_the_arena() {
    // A reference; the same with blanks before its end tag; a text that decoding makes
    // longer than 64 KiB (Windows-1252 to UTF-8); one whose end tag is far.
    let e9 = vec![0xE9; FAR / 2];
    let f = file(&[
        b"<OFX><NAME>AT&amp;T</NAME><MEMO>a&lt;b  \r\n </MEMO><NAME>",
        &e9,
        b"</NAME><MEMO>c&amp;d",
        &blanks(b' '),
        b"</MEMO><FITID>1</OFX>",
    ]);
    let doc = parse(&f).unwrap();
    let root = doc.root();
    assert_eq!(names(&root), ["NAME", "MEMO", "NAME", "MEMO", "FITID"]);
    let kids: Vec<_> = root.children().collect();
    let starts: Vec<u32> = kids.iter().map(|k| k.span().start).collect();
    let ends: Vec<u32> = kids.iter().skip(1).map(|k| k.span().start).collect();

    assert_eq!(kids[0].text(), Some("AT&T"));
    assert!(!is_wide(&kids[0]));
    assert_eq!(kids[0].span(), Span::new(5, ends[0]));
    assert_eq!(kids[0].text_span(), Some(Span::new(11, 19)));

    assert_eq!(kids[1].text(), Some("a<b"));
    assert!(!is_wide(&kids[1]));
    assert_eq!(kids[1].span(), Span::new(starts[1], ends[1]));
    assert_eq!(kids[1].text_span(), Some(Span::new(starts[1] + 6, starts[1] + 12)));

    let e9_text: String = "\u{e9}".repeat(FAR / 2);
    assert_eq!(kids[2].text(), Some(&*e9_text));
    assert!(is_wide(&kids[2]), "decoded to {} bytes", e9_text.len());
    assert_eq!(kids[2].span(), Span::new(starts[2], ends[2]));
    let e9_at = starts[2] + 6;
    assert_eq!(kids[2].text_span(), Some(Span::new(e9_at, e9_at + FAR as u32 / 2)));

    assert_eq!(kids[3].text(), Some("c&d"));
    assert!(is_wide(&kids[3]));
    assert_eq!(kids[3].span(), Span::new(starts[3], ends[3]));
    assert_eq!(kids[3].text_span(), Some(Span::new(starts[3] + 6, starts[3] + 13)));

    assert_eq!(kids[4].text(), Some("1"));
    assert_eq!(doc.tree().wide.0.len(), 2);
}

#[test]
fn elements_without_text() {
    let f = b"<OFX><MEMO></MEMO><FOO></FOO><NAME><BANKTRANLIST></BANKTRANLIST>\
        <MEMO/><BANKTRANLIST/><BAR><FITID>1</FITID></OFX>";
    let doc = parse(f).unwrap();
    let root = doc.root();
    assert_eq!(
        names(&root),
        ["MEMO", "FOO", "NAME", "BANKTRANLIST", "MEMO", "BANKTRANLIST", "BAR", "FITID"]
    );
    let kids: Vec<_> = root.children().collect();
    let span = |i: usize| kids[i].span();
    let tag_end = |i: usize| span(i).start + kids[i].name().len() as u32 + 2;
    // Closed by its end tag: a leaf (the DTD's, then one it does not know).
    for i in [0, 1] {
        assert!(kids[i].is_leaf());
        assert!(kids[i].has_end_tag());
        assert_eq!(kids[i].text(), Some(""));
        assert_eq!(kids[i].text_span(), Some(Span::point(tag_end(i))));
        assert_eq!(span(i), Span::new(span(i).start, span(i + 1).start));
    }
    // Closed by the next tag: the start tag only.
    assert!(kids[2].is_leaf() && !kids[2].has_end_tag());
    assert_eq!(kids[2].text(), Some(""));
    assert_eq!(span(2), Span::new(span(2).start, tag_end(2)));
    assert_eq!(kids[2].text_span(), Some(Span::point(tag_end(2))));
    // An empty aggregate stays one.
    assert!(!kids[3].is_leaf());
    assert_eq!(kids[3].text(), None);
    assert_eq!(kids[3].text_span(), None);
    assert_eq!(kids[3].children().count(), 0);
    assert_eq!(span(3), Span::new(span(3).start, span(4).start));
    // Self-closing: a leaf, and an aggregate.
    assert!(kids[4].is_leaf() && kids[4].is_self_closing() && kids[4].has_end_tag());
    assert_eq!(kids[4].text(), Some(""));
    assert_eq!(span(4), Span::new(span(4).start, span(4).start + 7));
    assert_eq!(kids[4].text_span(), Some(Span::point(span(4).end)));
    assert!(!kids[5].is_leaf() && kids[5].is_self_closing());
    assert_eq!(kids[5].text(), None);
    assert_eq!(kids[5].children().count(), 0);
    assert_eq!(span(5), Span::new(span(5).start, span(6).start));
    // Never closed and not in the DTDs: empty, and what it held is its sibling.
    assert!(kids[6].is_leaf());
    assert_eq!(kids[6].text(), Some(""));
    assert_eq!(span(6), Span::new(span(6).start, tag_end(6)));
    assert_eq!(kids[7].text(), Some("1"));
    assert_eq!(doc.tree().len(), 9);
    assert!(doc.tree().wide.0.is_empty());
}

#[test]
fn wide_leaves_of_elements_taken_while_streaming() {
    let trn = file(&[
        b"<STMTTRN><NAME>n",
        &blanks(b' '),
        b"</NAME><MEMO>",
        &vec![b'm'; FAR],
        b"<FITID>f&amp;g</FITID></STMTTRN>",
    ]);
    let f = file(&[
        b"<OFX><SONRS><MEMO>s",
        &blanks(b'\n'),
        b"</MEMO></SONRS><BANKTRANLIST>",
        &trn,
        &trn,
        &trn,
        b"</BANKTRANLIST><MEMO>e",
        &blanks(b' '),
        b"</MEMO></OFX>",
    ]);
    let whole = parse(&f).unwrap();
    let list = whole.root().child("BANKTRANLIST").unwrap();
    let trns: Vec<_> = list.children().map(describe).collect();
    assert_eq!(trns.len(), 3);
    assert_eq!(trns[1][1].1.as_deref(), Some("n"));
    assert_eq!(trns[1][3].1.as_deref(), Some("f&g"));
    let sonrs = describe(whole.root().child("SONRS").unwrap());
    let mut offered = Vec::new();
    let mut so_far = Vec::new();
    let streamed = parse_streaming(&f, &Options::default(), "STMTTRN", &mut |t| {
        offered.push(describe(t.element()));
        let doc = t.document_so_far().unwrap();
        so_far.push(describe(doc.root().child("SONRS").unwrap()));
        true
    })
    .unwrap();
    assert_eq!(offered, trns);
    assert_eq!(so_far, [sonrs.clone(), sonrs.clone(), sonrs.clone()]);
    // What is left reads as in the whole tree.
    let root = streamed.root();
    assert_eq!(names(&root), ["SONRS", "BANKTRANLIST", "MEMO"]);
    assert_eq!(describe(root.child("SONRS").unwrap()), sonrs);
    let last = |d: &crate::Document<'_>| describe(d.root().children().last().unwrap());
    assert_eq!(last(&streamed), last(&whole));
    assert_eq!(streamed.tree().wide.0.len(), 2);
    assert_eq!(whole.tree().wide.0.len(), 2 + 3 * 2);
}
