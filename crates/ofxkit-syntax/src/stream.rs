//! Reading a file whose bulk is many copies of one aggregate (the `STMTTRN`s of a long
//! statement) without keeping them all: each one, as it closes, is offered to the caller,
//! who may take it (it is then left out of the tree, and its memory reused) or leave it.
//!
//! Only an element whose reading is final when it closes is offered: an aggregate closed by
//! its own end tag, with no finding reported while it was open, whose texts do not depend on
//! the file's encoding (no byte above 0x7F; references and CR line breaks are decoded as
//! they would be at the end, and what is odd about its references is reported then, in its
//! place), inside elements the DTDs know (an unknown one left open is read at the end as
//! empty, and what it held as its siblings), and, in OFX,
//! whose parent's children so far are all ones the DTDs allow there (so that a later
//! recovery of a missing end tag, which looks at those children, decides as it would have).
//! Offers go in order: while an earlier element of the same name is still in the tree
//! beside it (one not offered, or not taken), the next one is not offered either.
//! Everything else stays in the tree, so the document [`parse_streaming`](crate::parse_streaming) returns is the one
//! [`parse_with`](crate::parse_with) returns, minus the elements taken.

use std::borrow::Cow;
use std::cell::{Cell, OnceCell};

use encoding_rs::WINDOWS_1252;

use crate::decode;
use crate::document::{Document, Syntax, format_of};
use crate::header::Header;
use crate::open::Open;
use crate::sink::Sink;
use crate::span::Span;
use crate::tree::{Element, Node, Source, Tree, Wide, flags};

/// What [`parse_streaming`](crate::parse_streaming) calls with each element it offers.
pub type Taker<'t> = dyn FnMut(&Offered<'_>) -> bool + 't;

/// The state of the offers, kept by the builder.
pub(crate) struct Offer<'t> {
    /// The name of the elements offered, and its symbol once seen.
    pub(crate) name: Box<str>,
    pub(crate) sym: Option<u16>,
    pub(crate) take: &'t mut Taker<'t>,
    pub(crate) prelude: PreludeFacts,
    /// Reused for each offered element's own small tree.
    pub(crate) parts: Cell<TreeParts>,
    /// The texts with `&` of the elements taken, in input order: their references are
    /// reported with the rest once the file is read.
    pub(crate) taken_texts: Vec<Span>,
    /// The errors among the references of the element being offered (see
    /// [`Offered::reference_errors`]).
    pub(crate) reference_errors: Vec<(u32, &'static str)>,
    /// The input, when it is valid UTF-8 throughout (texts are then lent without checking).
    pub(crate) src_utf8: Option<&'t str>,
    /// Whether the DTDs allow a child in a parent, by symbols, as found so far.
    pub(crate) allowed: Vec<(u16, u16, bool)>,
    /// The last parent whose children were walked with nothing against an offer: its node
    /// index and start offset (together they name one element), and the node index up to
    /// which its children were found fine (they stay as they are while it is open).
    pub(crate) walked: Option<(u32, u32, u32)>,
}

/// What the header told, for [`Offered::document_so_far`].
#[derive(Debug, Clone)]
pub(crate) struct PreludeFacts {
    pub(crate) header: Option<Header>,
    pub(crate) ofc: bool,
    pub(crate) xml: bool,
}

/// The open elements when an element was offered: `(name, start offset)`, outermost first.
pub(crate) struct OpenChain<'a> {
    pub(crate) names: &'a [Box<str>],
    pub(crate) nodes: &'a [Node],
    /// The lengths of the wide leaves among `nodes` (and maybe of nodes after them).
    pub(crate) wide: &'a Wide,
    /// The open elements.
    pub(crate) open: &'a [Open],
    pub(crate) omitted_leaf_end_tags: bool,
}

/// An element just closed, offered by [`parse_streaming`](crate::parse_streaming).
pub struct Offered<'a> {
    /// Its small tree: made before the offer when its texts needed decoding, else on the
    /// first call of [`element`](Self::element).
    pub(crate) tree: OnceCell<Tree<'a>>,
    /// The buffers a tree made on demand reuses.
    pub(crate) parts: &'a Cell<TreeParts>,
    /// Its node and its descendants', in the builder's array, where the element is at
    /// index `top`.
    pub(crate) subtree: &'a [Node],
    pub(crate) top: u32,
    pub(crate) wide: &'a Wide,
    /// True when its children were read at once (a batch of leaves, see `lex::leaves`): all leaves
    /// with plain texts, taken from the input as they are.
    pub(crate) plain: bool,
    pub(crate) src: &'a [u8],
    /// The input, when it is valid UTF-8 throughout.
    pub(crate) src_utf8: Option<&'a str>,
    pub(crate) chain: &'a OpenChain<'a>,
    pub(crate) prelude: &'a PreludeFacts,
    /// The errors its references will be reported with once the file is read.
    pub(crate) reference_errors: &'a [(u32, &'static str)],
}

/// The buffers of an offered element's small tree, kept between offers.
#[derive(Default)]
pub(crate) struct TreeParts {
    pub(crate) nodes: Vec<Node>,
    pub(crate) names: Vec<Box<str>>,
    pub(crate) arena: String,
}

impl<'a> Offered<'a> {
    /// The element, as the root of a small tree of its own (its spans are those of the
    /// file).
    pub fn element(&self) -> Element<'_> {
        self.tree.get_or_init(|| self.make_tree()).root()
    }

    /// The byte offset where the element starts (its start tag), in [`source`](Self::source);
    /// the same as `element().span().start`, without making the small tree.
    pub fn start(&self) -> u32 {
        self.subtree.first().map_or(0, |n| n.start)
    }

    /// The byte offset where the element ends (after its end tag), in
    /// [`source`](Self::source); the same as `element().span().end`, without making the
    /// small tree.
    ///
    /// ```
    /// use ofxkit_syntax::{Options, parse_streaming};
    /// let file = b"<OFX><BANKTRANLIST><STMTTRN><NAME>A</STMTTRN></BANKTRANLIST></OFX>";
    /// let mut spans = Vec::new();
    /// // Offers need the names known: read with the OFX and OFC tables.
    /// parse_streaming(file, &Options { vocabulary: Some(&ofxkit_schema::DTD), ..Options::default() }, "STMTTRN", &mut |t| {
    ///     spans.push((t.start(), t.end(), t.element().span()));
    ///     true
    /// })?;
    /// let (start, end, span) = spans[0];
    /// assert_eq!((start, end), (span.start, span.end));
    /// assert_eq!(&file[start as usize..end as usize], b"<STMTTRN><NAME>A</STMTTRN>");
    /// # Ok::<(), ofxkit_syntax::Error>(())
    /// ```
    pub fn end(&self) -> u32 {
        self.subtree.first().map_or(0, |n| n.end(self.top, self.wide))
    }

    /// How many of its leaves have no end tag (SGML style): they count in the number a
    /// `W-SGML-BODY-XML-HEADER` finding tells, which is about the whole file.
    ///
    /// ```
    /// use ofxkit_syntax::{Options, parse_streaming};
    /// let file = b"<OFX><BANKTRANLIST><STMTTRN><TRNAMT>1<NAME>A</NAME></STMTTRN></BANKTRANLIST></OFX>";
    /// let mut omitted = Vec::new();
    /// // Offers need the names known: read with the OFX and OFC tables.
    /// parse_streaming(file, &Options { vocabulary: Some(&ofxkit_schema::DTD), ..Options::default() }, "STMTTRN", &mut |t| {
    ///     omitted.push(t.leaves_without_end_tag());
    ///     true
    /// })?;
    /// assert_eq!(omitted, [1]);
    /// # Ok::<(), ofxkit_syntax::Error>(())
    /// ```
    pub fn leaves_without_end_tag(&self) -> usize {
        let ended = flags::END_TAG | flags::SELF_CLOSING;
        self.subtree.iter().filter(|n| n.is_leaf() && n.flags & ended == 0).count()
    }

    /// The errors the references in its texts will be reported with once the whole file is
    /// read (an offered element has no other finding inside): where each is and its code, so
    /// that a row made from it can say so now.
    ///
    /// ```
    /// use ofxkit_syntax::{Code, Options, parse_streaming};
    /// let file = b"<OFX><BANKTRANLIST><STMTTRN><NAME>A&#99999999;B</STMTTRN></BANKTRANLIST></OFX>";
    /// let mut seen = Vec::new();
    /// // Offers need the names known: read with the OFX and OFC tables.
    /// parse_streaming(file, &Options { vocabulary: Some(&ofxkit_schema::DTD), ..Options::default() }, "STMTTRN", &mut |t| {
    ///     seen.extend(t.reference_errors().iter().map(|&(_, code)| code));
    ///     true
    /// })?;
    /// assert_eq!(seen, [Code::InvalidCharRef.as_str()]);
    /// # Ok::<(), ofxkit_syntax::Error>(())
    /// ```
    pub fn reference_errors(&self) -> &'a [(u32, &'static str)] {
        self.reference_errors
    }

    /// The input the offsets refer to (after transcoding, for a UTF-16 file).
    pub fn source(&self) -> &'a [u8] {
        self.src
    }

    /// The tree of an element whose texts are taken from the input as they are.
    fn make_tree(&self) -> Tree<'a> {
        small_tree(self.parts.take(), self.subtree, self.top, self.wide, self.src, self.src_utf8)
    }

    /// Gives back the buffers of the small tree, if it was made.
    pub(crate) fn give_back(&mut self) {
        if self.tree.get().is_none() {
            return;
        }
        if let Some(Tree { nodes, names, arena, .. }) = self.tree.take() {
            self.parts.set(TreeParts { nodes, names, arena });
        }
    }

    /// The element's children, when the tokenizer read them at once: every one a leaf
    /// whose text is the input's bytes between its tags, trimmed (plain ASCII: no
    /// reference, line break or control byte). `None` otherwise, and then
    /// [`element`](Self::element) has them. The tokenizer reads an element at once only
    /// when it knows every tag name in it from earlier elements: the first element of a
    /// kind is read the slow way, and has `None` here. Cheaper than `element`, which makes
    /// a small tree.
    ///
    /// ```
    /// use ofxkit_syntax::{Options, parse_streaming};
    /// let file = b"<OFX><BANKTRANLIST><STMTTRN><TRNAMT>1<NAME>A</STMTTRN>\
    ///     <STMTTRN><TRNAMT>-1.50<NAME>B</STMTTRN>\
    ///     <STMTTRN><TRNAMT>2<NAME>AT&amp;T</STMTTRN></BANKTRANLIST></OFX>";
    /// let mut seen: Vec<Option<Vec<(String, String)>>> = Vec::new();
    /// // Offers need the names known: read with the OFX and OFC tables.
    /// parse_streaming(file, &Options { vocabulary: Some(&ofxkit_schema::DTD), ..Options::default() }, "STMTTRN", &mut |t| {
    ///     let leaves = t.plain_leaves().map(|l| {
    ///         l.map(|l| (l.name().to_owned(), l.text().to_owned())).collect()
    ///     });
    ///     seen.push(leaves);
    ///     true
    /// })?;
    /// let pair = |n: &str, t: &str| (n.to_owned(), t.to_owned());
    /// // The first uses names not seen before; the reference of the third is decoded.
    /// assert_eq!(seen, [None, Some(vec![pair("TRNAMT", "-1.50"), pair("NAME", "B")]), None]);
    /// # Ok::<(), ofxkit_syntax::Error>(())
    /// ```
    pub fn plain_leaves(&self) -> Option<PlainLeaves<'_>> {
        if !self.plain {
            return None;
        }
        Some(PlainLeaves {
            nodes: self.subtree.get(1..).unwrap_or_default().iter(),
            idx: self.top.wrapping_add(1),
            wide: self.wide,
            src: self.src,
            src_utf8: self.src_utf8,
            names: self.chain.names,
        })
    }

    /// The distinct tag names read so far, upper case, in the order of
    /// [`Element::name_index`] (of [`element`](Self::element)'s tree) and
    /// [`PlainLeaf::name_index`].
    pub fn names(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        self.chain.names.iter().map(|n| &**n)
    }

    /// The elements it is inside, outermost (the root) first: their names and the offsets
    /// where they start.
    pub fn open_elements(
        &self,
    ) -> impl DoubleEndedIterator<Item = (&str, u32)> + ExactSizeIterator + '_ {
        self.chain.open.iter().map(|o| {
            let i = o.idx;
            let node = self.chain.nodes.get(i as usize).copied().unwrap_or_default();
            let name = self.chain.names.get(usize::from(node.name)).map_or("", |n| &**n);
            (name, node.start)
        })
    }

    /// Everything read so far (elements taken before are left out; the open elements end
    /// here), as a document with its texts decoded; `None` when a text so far has a byte
    /// above 0x7F, whose decoding depends on what the rest of the file holds, or is split by
    /// a comment, a processing instruction or a CDATA boundary. The findings
    /// and the encoding are not those of the whole file: read the document
    /// [`parse_streaming`](crate::parse_streaming) returns for those.
    pub fn document_so_far(&self) -> Option<Document<'a>> {
        let nodes = self.chain.nodes;
        if nodes.iter().any(|n| n.flags & (flags::TEXT_NON_ASCII | flags::TEXT_JOINED) != 0) {
            return None;
        }
        let mut nodes = nodes.to_vec();
        let end = nodes.len() as u32;
        let mut wide = self.chain.wide.clone();
        wide.truncate(end);
        for i in self.chain.open.iter().map(|o| o.idx) {
            if let Some(n) = nodes.get_mut(i as usize) {
                n.set_next(end);
            }
        }
        let mut sink = Sink::discarding();
        // The offered tree lends `&str` only when the whole input was found to be UTF-8.
        let checked_utf8 = self.src_utf8.map(Some);
        let (source, arena, encoding) = decode::finish(
            Cow::Borrowed(self.src),
            0,
            None,
            None,
            WINDOWS_1252,
            false,
            &mut nodes,
            &mut wide,
            None,
            &[],
            &[],
            checked_utf8,
            &mut sink,
        );
        let syntax = if self.chain.omitted_leaf_end_tags { Syntax::Sgml } else { Syntax::Xml };
        let header = self.prelude.header.clone();
        let format = format_of(self.prelude.ofc, self.prelude.xml, header.as_ref(), syntax);
        let names = self.chain.names.to_vec();
        let tree = Tree { source, nodes, names, arena, wide, parents: Default::default() };
        Some(Document {
            tree,
            header,
            format,
            syntax,
            encoding,
            diagnostics: Vec::new(),
            suppressed: Vec::new(),
            left_out_errors: Vec::new(),
            qfx: self.chain.names.iter().any(|n| n.starts_with("INTU.")),
        })
    }
}

impl std::fmt::Debug for Offered<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Offered").field("element", &self.element()).finish()
    }
}

/// The children of an offered element read at once: see [`Offered::plain_leaves`].
#[derive(Clone)]
pub struct PlainLeaves<'a> {
    nodes: std::slice::Iter<'a, Node>,
    /// The builder's index of the next node.
    idx: u32,
    wide: &'a Wide,
    src: &'a [u8],
    src_utf8: Option<&'a str>,
    names: &'a [Box<str>],
}

impl<'a> Iterator for PlainLeaves<'a> {
    type Item = PlainLeaf<'a>;

    #[inline]
    fn next(&mut self) -> Option<PlainLeaf<'a>> {
        let node = self.nodes.next()?;
        let span = node.text_span(self.idx, self.wide);
        self.idx = self.idx.wrapping_add(1);
        // A batch of leaves holds only ASCII texts, so both ways give the same text.
        let text = match self.src_utf8 {
            Some(s) => s.get(span.range()),
            None => self.src.get(span.range()).and_then(|b| std::str::from_utf8(b).ok()),
        };
        Some(PlainLeaf { names: self.names, name: node.name, text: text.unwrap_or_default() })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.nodes.size_hint()
    }
}

impl ExactSizeIterator for PlainLeaves<'_> {}

/// A child of an offered element read at once: a leaf and its text.
#[derive(Debug, Clone, Copy)]
pub struct PlainLeaf<'a> {
    names: &'a [Box<str>],
    name: u16,
    text: &'a str,
}

impl<'a> PlainLeaf<'a> {
    /// Its tag name, upper case.
    pub fn name(&self) -> &'a str {
        self.names.get(usize::from(self.name)).map_or("", |n| n)
    }

    /// The index of its name in [`Offered::names`].
    pub fn name_index(&self) -> usize {
        usize::from(self.name)
    }

    /// Its text: never empty.
    pub fn text(&self) -> &'a str {
        self.text
    }
}

/// The small tree of the element at node index `top`, whose node and descendants are
/// `subtree`, in the buffers of `parts` (whose names must be the builder's): its texts as the
/// input has them (an empty arena).
pub(crate) fn small_tree<'s>(
    parts: TreeParts,
    subtree: &[Node],
    top: u32,
    wide: &Wide,
    src: &'s [u8],
    src_utf8: Option<&'s str>,
) -> Tree<'s> {
    let TreeParts { mut nodes, names, mut arena } = parts;
    nodes.clear();
    nodes.extend(subtree.iter().map(|n| n.rebased(top)));
    arena.clear();
    let source = source_of(src, src_utf8);
    Tree { source, nodes, names, arena, wide: wide.rebased(top), parents: Default::default() }
}

/// The source of an offered element's tree: its texts are ASCII (the decoded ones are in
/// its arena), lent without a check when the whole input is known to be UTF-8.
pub(crate) fn source_of<'s>(src: &'s [u8], utf8: Option<&'s str>) -> Source<'s> {
    match utf8 {
        Some(s) => Source::Utf8(Cow::Borrowed(s)),
        None => Source::Bytes(Cow::Borrowed(src)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Options, parse_streaming, parse_with};

    /// A file with more findings of one code than are kept (100, see [`options`]): which
    /// ones are kept, and the note about the rest, must not depend on which elements were
    /// taken.
    fn many_bare_ampersands() -> Vec<u8> {
        let mut f = b"<OFX><SONRS><FI><ORG>A & B</FI></SONRS><BANKTRANLIST>".to_vec();
        for i in 0..150 {
            f.extend_from_slice(
                format!("<STMTTRN><NAME>X & {i}<MEMO>M&amp;{i}</STMTTRN>").as_bytes(),
            );
            if i % 40 == 0 {
                // One left in the tree (a byte above 0x7F) stops the offers in this list.
                f.extend_from_slice(b"</BANKTRANLIST><BANKTRANLIST>");
            }
        }
        f.extend_from_slice(b"<STMTTRN><NAME>\xC9 & Z</STMTTRN><STMTTRN><NAME>Q & R</STMTTRN>");
        f.extend_from_slice(b"</BANKTRANLIST></OFX>");
        f
    }

    /// Keeps 100 findings per code.
    fn options() -> Options {
        let limits = crate::Limits { max_findings_per_code: 100, ..crate::Limits::default() };
        Options { limits, ..Options::default() }
    }

    /// `file` read whole, and streamed with every `STMTTRN` offered answered `take`; with the
    /// number of offers.
    fn whole_and_streamed(file: &[u8], take: bool) -> (Document<'_>, Document<'_>, usize) {
        let whole = parse_with(file, &options()).expect("parses");
        let mut offered = 0;
        let streamed = parse_streaming(file, &options(), "STMTTRN", &mut |_| {
            offered += 1;
            take
        })
        .expect("parses");
        (whole, streamed, offered)
    }

    #[test]
    fn findings_of_taken_elements_are_those_of_the_whole_file() {
        let file = many_bare_ampersands();
        let (whole, streamed, taken) = whole_and_streamed(&file, true);
        assert_eq!(taken, 150, "every plain STMTTRN is offered");
        assert_eq!(streamed.diagnostics(), whole.diagnostics());
        let bare = whole.diagnostics().iter().filter(|d| d.code == crate::Code::BareAmpersand);
        assert_eq!(bare.count(), 101, "the cap was reached: 100 kept, and the summary");
        let last = whole.diagnostics().last().expect("findings");
        assert_eq!(last.code, crate::Code::BareAmpersand);
        assert!(last.message.contains("and 53 more W-BARE-AMPERSAND"), "{}", last.message);
        assert_eq!(whole.suppressed_findings(), [(crate::Code::BareAmpersand, 53)]);
        assert_eq!(streamed.suppressed_findings(), whole.suppressed_findings());
        let names = |d: &Document<'_>| d.tree().elements().filter(|e| e.name() == "NAME").count();
        assert_eq!(names(&whole) - names(&streamed), 150);
    }

    #[test]
    fn nothing_is_taken_when_the_taker_declines() {
        let file = many_bare_ampersands();
        let (whole, streamed, offered) = whole_and_streamed(&file, false);
        // The first in each list is offered; declining it stops the rest of that list.
        assert_eq!(offered, 5);
        assert_eq!(streamed.tree().len(), whole.tree().len());
        assert_eq!(streamed.diagnostics(), whole.diagnostics());
    }
}
