//! Turns tag and text events into the tree, applying the SGML rules and the recoveries.
//!
//! One reading loop (`crate::read`) feeds it the events of every body, SGML or XML, so an
//! XML header over an SGML body and an SGML file with XML-style end tags are read by the
//! same rules:
//!
//! - An element followed by text is a leaf. It ends at its own end tag, or at the next tag
//!   of any kind (SGML's omitted end tag). A leaf never gets children.
//! - An element the DTDs declare as a leaf is a leaf even when it has no text.
//! - Any other element becomes an aggregate when a child starts inside it.
//! - An end tag closes the nearest open element of its name and everything open inside it.
//!   Open leaves close silently; open aggregates are reported (an error in OFX, which
//!   requires their end tags; a warning in OFC, whose DTD lets them be omitted); an unknown
//!   element that was never closed and had no text is read as an empty element, and what
//!   followed it as its siblings.
//! - An end tag that matches nothing open is ignored with a warning.
//! - A start tag naming an aggregate that is already open (not the root) closes that one
//!   first: a missing `</STMTTRN>` before the next `<STMTTRN>`.
//!
//! Where each part lives:
//!
//! | file | what it holds |
//! | --- | --- |
//! | `mod.rs` | the [`Builder`] (its state, the open-element stack), interning a tag's name |
//! | `names.rs` | the name table and its caches, the class of a name and the content models (asked of the [`Vocabulary`](crate::Vocabulary)) |
//! | `tags.rs` | start and end tags |
//! | `text.rs` | texts, CDATA, and texts split by comments or PIs |
//! | `close.rs` | closing elements: end tags, SGML's omitted end tags, recovery, end of input |
//! | `leaves.rs` | a batch of leaves (the children of a flat aggregate) pushed at once |
//! | `offer.rs` | streaming: offering closed elements to the taker |

use rustc_hash::FxHashMap;

use crate::decode::{self, Piece};
use crate::error::{Code, Error, ErrorKind, Severity};
use crate::limits::Limits;
use crate::sink::Sink;
use crate::span::Span;
use crate::stream::{self, Offer, Offered};
use crate::tree::{Node, Wide, flags};

mod close;
mod leaves;
mod names;
mod offer;
mod tags;
mod text;

use crate::lex::scan::*;
use crate::open::{Open, State};
pub(crate) use names::{Class, Names, Vocabulary, packed_name};

/// The open leaf whose text may go on after the markup that ended at `end`.
#[derive(Debug, Clone, Copy)]
struct Join {
    idx: u32,
    /// No piece that is not blanks came after the markup yet: the pieces so far wait in
    /// the builder's `pending` list, and the leaf is not yet flagged (a comment after an
    /// SGML value and before the next tag changes nothing).
    pending: bool,
    /// Where the last piece or markup of the text ended: the next piece starts there (a
    /// text run) or after blanks (markup).
    end: u32,
    /// The bytes of the pieces so far, counted against the text limit.
    len: u32,
}

/// The element whose children a batch of leaves holds (see [`Builder::leaves`]), and the
/// limits that apply to them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FlatStart {
    /// Its symbol (its end tag ends the reading).
    pub(crate) parent: u16,
    /// The node count before its children.
    pub(crate) nodes: usize,
    /// How many more elements the limit allows, and a batch may hold
    /// ([`MAX_CHILDREN`](crate::lex::leaves::MAX_CHILDREN)).
    pub(crate) room: u32,
    /// The longest text allowed.
    pub(crate) max_text_len: u32,
}

/// Builds the node arena.
pub(crate) struct Builder<'s> {
    src: &'s [u8],
    pub(crate) nodes: Vec<Node>,
    /// The lengths of the wide leaves among `nodes`.
    pub(crate) wide: Wide,
    stack: Vec<Open>,
    pub(crate) names: Names,
    limits: Limits,
    /// Set once the root's end tag was seen.
    pub(crate) root_closed: bool,
    /// Did any leaf have its end tag omitted (SGML style)?
    pub(crate) omitted_leaf_end_tags: u32,
    /// The leaves counted in `omitted_leaf_end_tags` whose end was supplied by recovery
    /// (the end of the input, or, in an XML body, another element's end tag): when they are
    /// all of them, no leaf was ended by the next start tag.
    leaf_ends_recovered: u32,
    /// The leaves flagged [`flags::XML_LEAF_END`].
    pub(crate) xml_leaf_ends: u32,
    /// The body is read under an XML header: a leaf closed by another element's end tag is
    /// flagged [`flags::XML_LEAF_END`].
    pub(crate) xml_body: bool,
    /// Number of leaves with an explicit end tag.
    pub(crate) explicit_leaf_end_tags: u32,
    /// Any text with bytes >= 0x80?
    pub(crate) any_non_ascii: bool,
    upper: Vec<u8>,
    /// Elements read, counted against the limit (taken elements are not in `nodes`).
    created: u32,
    /// Elements to offer as they close (streaming).
    /// Boxed: it is moved out and back for every element offered.
    pub(crate) offer: Option<Box<Offer<'s>>>,
    /// Aggregates whose children were read at once (tests count them).
    #[cfg(test)]
    pub(crate) flat_reads: u32,
    /// The node index of the aggregate whose children were just read at once (all plain).
    flat_plain: Option<u32>,
    /// The indexes of the nodes whose text may need decoding (with `&`, CR or a byte above
    /// 0x7F, or made of pieces), ascending: a text only ever goes to the newest node.
    pub(crate) to_decode: Vec<u32>,
    /// The pieces of the texts made of pieces, by node (ascending).
    pub(crate) pieces: Vec<Piece>,
    /// The open leaf whose text may go on after a comment, a processing instruction or a
    /// CDATA section.
    join: Option<Join>,
    /// The pieces of that leaf's text while the join is pending.
    pending: Vec<Piece>,
}

impl<'s> Builder<'s> {
    pub(crate) fn new(src: &'s [u8], vocabulary: Vocabulary, limits: Limits) -> Self {
        Builder {
            src,
            nodes: Vec::new(),
            wide: Wide::default(),
            stack: Vec::with_capacity(32),
            names: Names::new(vocabulary, limits.max_distinct_names),
            limits,
            root_closed: false,
            omitted_leaf_end_tags: 0,
            leaf_ends_recovered: 0,
            xml_leaf_ends: 0,
            xml_body: false,
            explicit_leaf_end_tags: 0,
            any_non_ascii: false,
            upper: Vec::with_capacity(64),
            created: 0,
            offer: None,
            #[cfg(test)]
            flat_reads: 0,
            flat_plain: None,
            to_decode: Vec::new(),
            pieces: Vec::new(),
            join: None,
            pending: Vec::new(),
        }
    }

    /// Reserves room for about `n` elements (an estimate from counting `<`).
    pub(crate) fn reserve(&mut self, n: usize) {
        self.nodes.reserve_exact(n.min(self.limits.max_elements as usize));
    }

    /// True once the root element is closed: later content is trailing.
    pub(crate) fn done(&self) -> bool {
        self.root_closed
    }

    /// Normalises a tag name to an interned symbol; reports case folding.
    #[inline(always)]
    pub(super) fn symbol(&mut self, name: Span, sink: &mut Sink) -> Result<(u16, bool), Error> {
        let key = packed_name(self.src, name.start as usize, name.len() as usize);
        if let Some(sym) = key.and_then(|k| self.names.packed_lookup(k)) {
            return Ok((sym, false));
        }
        self.symbol_uncached(name, key, sink)
    }

    /// [`symbol`](Self::symbol) for a name not in the packed cache.
    pub(super) fn symbol_uncached(
        &mut self,
        name: Span,
        key: Option<(u64, u64)>,
        sink: &mut Sink,
    ) -> Result<(u16, bool), Error> {
        let bytes = self.src.get(name.range()).unwrap_or_default();
        if let Some(sym) = self.names.cached(bytes) {
            if let Some(k) = key {
                self.names.packed_remember(k, sym);
            }
            return Ok((sym, false));
        }
        if bytes.len() > self.limits.max_name_len as usize {
            return Err(Error::new(
                ErrorKind::LimitExceeded,
                Code::NameLimit,
                name,
                format!(
                    "tag name of {} bytes exceeds the limit of {}",
                    bytes.len(),
                    self.limits.max_name_len
                ),
            ));
        }
        let folded = bytes.iter().any(u8::is_ascii_lowercase);
        let sym = if folded {
            self.upper.clear();
            self.upper.extend(bytes.iter().map(u8::to_ascii_uppercase));
            let upper = std::mem::take(&mut self.upper);
            let sym = self.names.intern(&upper);
            self.upper = upper;
            sym
        } else {
            self.names.intern(bytes)
        };
        let Some(sym) = sym else {
            return Err(Error::new(
                ErrorKind::LimitExceeded,
                Code::NameLimit,
                name,
                format!("more than {} distinct tag names", self.limits.max_distinct_names),
            ));
        };
        if let Some(k) = key
            && !folded
        {
            self.names.packed_remember(k, sym);
        }
        if folded {
            sink.report(Code::LowercaseTag, name, || {
                format!(
                    "tag <{}> is not upper case; read as <{}>",
                    crate::shown_bytes(bytes),
                    self.names.name(sym)
                )
            });
        }
        Ok((sym, folded))
    }

    /// Adds `f` to the flags of the node at `idx`.
    pub(super) fn mark(&mut self, idx: u32, f: u16) {
        if let Some(node) = self.nodes.get_mut(idx as usize) {
            node.flags |= f;
        }
    }

    /// True when the body is read under an XML header and `closer` is an end tag: a leaf it
    /// closes (not its own) gets [`flags::XML_LEAF_END`].
    pub(super) fn xml_leaf_end(&self, closer: Span) -> bool {
        self.xml_body && closer.len() > 1 && self.src.get(closer.start as usize + 1) == Some(&b'/')
    }

    /// Flags the leaf at `idx`, closed by `closer`, as ended by another element's end tag in
    /// an XML body; returns whether it did.
    #[cold]
    #[inline(never)]
    pub(super) fn mark_xml_leaf_end(&mut self, idx: u32, closer: Span) -> bool {
        // Once a leaf was ended by the next start tag, the body is written with SGML's rules
        // (and the flags are dropped at the end): no more of them, so that streaming, which
        // leaves an element with a flagged leaf in the tree, goes on.
        if !self.xml_leaf_end(closer) || self.sgml_style() {
            return false;
        }
        self.mark(idx, flags::XML_LEAF_END);
        self.xml_leaf_ends += 1;
        true
    }

    /// True once a leaf was ended by the next start tag (or, outside an XML body, by its
    /// parent's end tag): every leaf end counted as omitted that recovery did not supply.
    pub(super) fn sgml_style(&self) -> bool {
        self.omitted_leaf_end_tags > self.leaf_ends_recovered
    }
}

impl Builder<'_> {
    /// Once the body is read: a body that ended some leaf by the next start tag is written
    /// with SGML's rules, under which a leaf ended by another element's end tag is normal,
    /// so the [`flags::XML_LEAF_END`] flags are dropped.
    pub(crate) fn settle_xml_leaf_ends(&mut self) {
        if self.xml_leaf_ends == 0 || self.omitted_leaf_end_tags == self.leaf_ends_recovered {
            return;
        }
        for node in &mut self.nodes {
            node.flags &= !flags::XML_LEAF_END;
        }
        self.xml_leaf_ends = 0;
    }
}
