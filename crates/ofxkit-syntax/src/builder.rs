//! Turns tag and text events into the tree, applying the SGML rules and the recoveries.
//!
//! Both tokenizers (SGML and XML) feed the same builder, so an XML header over an SGML body
//! and an SGML file with XML-style end tags are read by the same rules:
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

use ofxkit_schema::Profile;
use rustc_hash::FxHashMap;

use crate::decode;
use crate::error::{Code, Error, ErrorKind, Severity};
use crate::known_elements::{OFC_AGGREGATES, OFC_LEAVES, OFX_AGGREGATES, OFX_LEAVES};
use crate::limits::Limits;
use crate::sink::Sink;
use crate::span::Span;
use crate::stream::{self, Offer, Offered};
use crate::tree::{Node, Wide, flags};

const CLASS_NUL: u8 = 1;
const CLASS_AMP: u8 = 2;
const CLASS_CR: u8 = 4;
const CLASS_HIGH: u8 = 8;

/// What each byte of a text tells the decoder: one table lookup per byte instead of four
/// scans.
#[allow(clippy::indexing_slicing)] // `i < 256` by the loop condition, in a const block
static BYTE_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = match i as u8 {
            0 => CLASS_NUL,
            b'&' => CLASS_AMP,
            b'\r' => CLASS_CR,
            0x80..=0xff => CLASS_HIGH,
            _ => 0,
        };
        i += 1;
    }
    t
};

/// Finds the end of a text run (the next `<`, or the end) and which byte classes occur in
/// it, eight bytes at a time. Returns (length, classes).
pub(crate) fn scan_text(bytes: &[u8]) -> (usize, u8) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // High bit set in each byte of `v` that is zero (exact for the lowest one, which is all
    // that matters: higher false positives lie above a real match).
    let zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    let mut classes = 0u8;
    let mut i = 0usize;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let Ok(arr) = <[u8; 8]>::try_from(chunk) else { break };
        let w = u64::from_le_bytes(arr);
        let lt = zero(w ^ (ONES * b'<' as u64));
        let (region, done) = if lt == 0 {
            (u64::MAX, None)
        } else {
            let k = (lt.trailing_zeros() / 8) as usize;
            (if k == 0 { 0 } else { (1u64 << (k * 8)) - 1 }, Some(k))
        };
        // Each class bit is a byte-wise high bit; keep only bytes before the `<`.
        let high = w & HIGH & region;
        let nul = zero(w) & region;
        let amp = zero(w ^ (ONES * b'&' as u64)) & region;
        let cr = zero(w ^ (ONES * b'\r' as u64)) & region;
        if (high | nul | amp | cr) != 0 {
            if high != 0 {
                classes |= CLASS_HIGH;
            }
            if nul != 0 {
                classes |= CLASS_NUL;
            }
            if amp != 0 {
                classes |= CLASS_AMP;
            }
            if cr != 0 {
                classes |= CLASS_CR;
            }
        }
        if let Some(k) = done {
            return (i + k, classes);
        }
        i += 8;
    }
    let tail = bytes.get(i..).unwrap_or_default();
    for (j, &b) in tail.iter().enumerate() {
        if b == b'<' {
            return (i + j, classes);
        }
        classes |= BYTE_CLASS.get(b as usize).copied().unwrap_or(0);
    }
    (bytes.len(), classes)
}

/// What [`scan_value`] found in a text run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ValueScan {
    /// Blanks only.
    Blank,
    /// A value `start..end` (trimmed) with no byte that needs decoding or a report: no byte
    /// below 0x20, no `&`, none above 0x7F (what [`plain_span`] accepts).
    Plain { start: usize, end: usize },
    /// A value like [`Plain`](Self::Plain) but for one or more `&`: a reference to decode,
    /// or a bare `&` to report, once the file is read.
    Amp { start: usize, end: usize },
    /// Anything else: the builder reads it in full.
    Other,
}

/// Reads the text run at `start` (up to the next `<` or the end of `src`) in one pass,
/// thirty-two bytes at a time (most values and their line break fit in one step, so the
/// loop's exit is easy to predict): returns where it ends and what it holds. The first byte below
/// 0x20 or above 0x7F ends a plain value; when only blanks follow it up to the `<`, and no
/// space starts or ends the value, the value is plain (`Amp` if it holds a `&`). One loop,
/// so one hard-to-predict exit per text; texts with spaces around the value are left to
/// the builder (`Other`).
#[inline(always)]
pub(crate) fn scan_value(src: &[u8], start: usize) -> (usize, ValueScan) {
    let mut at = start;
    // The first byte outside 0x20..0x80, once seen, and whether a `&` came before the `<`.
    let mut outside = usize::MAX;
    let mut amp = 0;
    let lt = loop {
        let Some((lt, out, amps)) = crate::simd::lt_and_special_32(src, at) else {
            // Within 32 bytes of the end of the input: once per file.
            return scan_value_bytes(src, start);
        };
        if lt != 0 {
            let k = lt.trailing_zeros();
            let before = (1u32 << k) - 1;
            if outside == usize::MAX && out & before != 0 {
                outside = at + (out & before).trailing_zeros() as usize;
            }
            amp |= amps & before;
            break at + k as usize;
        }
        if outside == usize::MAX && out != 0 {
            outside = at + out.trailing_zeros() as usize;
        }
        amp |= amps;
        at += 32;
    };
    value_scan(src, start, outside.min(lt), lt, amp != 0)
}

/// What the text run `start..lt` holds, given that `end` is its first byte outside
/// 0x20..0x80 (or `lt`), and whether it has a `&`.
#[inline(always)]
fn value_scan(src: &[u8], start: usize, end: usize, lt: usize, amp: bool) -> (usize, ValueScan) {
    if !src.get(end..lt).unwrap_or_default().iter().all(u8::is_ascii_whitespace) {
        return (lt, ValueScan::Other);
    }
    if end == start {
        return (lt, ValueScan::Blank);
    }
    if src.get(start) == Some(&b' ') || src.get(end - 1) == Some(&b' ') {
        return (lt, ValueScan::Other);
    }
    // A `&` after `end` is not a blank: it was refused above.
    if amp {
        return (lt, ValueScan::Amp { start, end });
    }
    (lt, ValueScan::Plain { start, end })
}

/// [`scan_value`] a byte at a time, for the end of the input.
#[inline(never)]
fn scan_value_bytes(src: &[u8], start: usize) -> (usize, ValueScan) {
    let rest = src.get(start..).unwrap_or_default();
    let lt = start + memchr::memchr(b'<', rest).unwrap_or(rest.len());
    let run = src.get(start..lt).unwrap_or_default();
    let end = run.iter().position(|b| !(0x20..0x80).contains(b)).map_or(lt, |p| start + p);
    let amp = memchr::memchr(b'&', run).is_some();
    value_scan(src, start, end, lt, amp)
}

/// True when no byte of `text` is below 0x20, `&`, or 0x80 and above (most text is
/// letters, digits, blanks and punctuation, and needs no decoding).
#[cfg(test)]
fn plain_text(text: &[u8]) -> bool {
    plain_span(text, 0, text.len())
}

/// The high bit of each byte of `w` that is below 0x20, `&`, or 0x80 and above; exact for
/// the lowest such byte (a borrow only sets bits above a byte that really matched).
fn special_bytes(w: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let below_space = w.wrapping_sub(ONES * 0x20) & !w;
    let amp = w ^ (ONES * b'&' as u64);
    let is_amp = amp.wrapping_sub(ONES) & !amp;
    (w | below_space | is_amp) & HIGH
}

fn word_at(src: &[u8], at: usize) -> Option<u64> {
    let bytes = src.get(at..at.checked_add(8)?)?;
    Some(u64::from_le_bytes(<[u8; 8]>::try_from(bytes).ok()?))
}

/// `plain_text` of `src[start..end]`, eight bytes at a time: the last word overlaps the one
/// before it, and a text shorter than eight bytes is read as the word of `src` at its start
/// with the bytes after it masked off.
#[inline]
fn plain_span(src: &[u8], start: usize, end: usize) -> bool {
    let len = end.saturating_sub(start);
    if len < 8 {
        if let Some(w) = word_at(src, start) {
            let keep = u64::MAX.checked_shr(64 - 8 * len as u32).unwrap_or(0);
            return special_bytes(w) & keep == 0;
        }
        let text = src.get(start..end).unwrap_or_default();
        return text.iter().all(|&b| (0x20..0x80).contains(&b) && b != b'&');
    }
    let mut at = start;
    while at + 8 < end {
        match word_at(src, at) {
            Some(w) if special_bytes(w) == 0 => at += 8,
            _ => return false,
        }
    }
    word_at(src, end - 8).is_some_and(|w| special_bytes(w) == 0)
}

/// What the DTDs say about a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    Leaf,
    Aggregate,
    Unknown,
}

/// Which element tables to consult.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Vocabulary {
    Ofx,
    Ofc,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// No text, no child yet.
    Undecided,
    /// Has text (or is a DTD leaf): the next tag closes it.
    Leaf,
    /// Has children.
    Aggregate,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Open {
    pub(crate) idx: u32,
    sym: u16,
    state: State,
    /// The sink's finding count when it opened.
    mark: u32,
}

/// A piece of the text of a leaf split by comments, processing instructions or CDATA
/// boundaries (see [`flags::TEXT_JOINED`]): a run of the input, taken literally when it is
/// a CDATA section's content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Piece {
    /// The leaf's node index.
    pub(crate) idx: u32,
    pub(crate) span: Span,
    pub(crate) literal: bool,
}

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

/// Interned upper-case tag names with their DTD class.
pub(crate) struct Names {
    map: FxHashMap<Box<[u8]>, u16>,
    pub(crate) names: Vec<Box<str>>,
    classes: Vec<Class>,
    seen_as_leaf: Vec<bool>,
    vocabulary: Vocabulary,
    max: u32,
    /// Direct-mapped cache from a cheap hash of the name bytes to a symbol (`u16::MAX` =
    /// empty); verified against the stored name, so a collision only costs a miss.
    cache: Box<[u16; CACHE_SIZE]>,
    /// Open-addressed table of upper-case names of up to 16 bytes, keyed by the name packed
    /// into two words (see [`packed_name`]): one hash and two compares, no `memcmp`. Linear
    /// probing, never more than half full, so that two names never evict each other.
    packed: Box<[PackedEntry; PACKED_SIZE]>,
    /// Entries in `packed`.
    packed_len: usize,
}

const CACHE_SIZE: usize = 1024;
const PACKED_SIZE: usize = 1024;
/// The most names `packed` holds; others are looked up the slower way.
const PACKED_MAX: usize = PACKED_SIZE / 2;

/// A name packed into two little-endian words (see [`packed_name`]), and its symbol. No
/// name packs to all zeros, which marks an empty slot.
#[derive(Debug, Clone, Copy, Default)]
struct PackedEntry {
    lo: u64,
    hi: u64,
    sym: u16,
}

/// The name `src[start..start + len]` packed into two words, when it has 1 to 16 bytes and
/// 16 bytes of input follow its start (always the case but at the very end of the input):
/// its bytes, zero-padded, and, for a name of up to 15 bytes, its length in the last byte
/// (a length is a control byte, never the 16th byte of a name), so that a name with a NUL
/// in it never packs like another one.
pub(crate) fn packed_name(src: &[u8], start: usize, len: usize) -> Option<(u64, u64)> {
    if len == 0 || len > 16 {
        return None;
    }
    let window = src.get(start..start.checked_add(16)?)?;
    let (lo, hi) = window.split_at(8);
    let lo = u64::from_le_bytes(<[u8; 8]>::try_from(lo).ok()?);
    let hi = u64::from_le_bytes(<[u8; 8]>::try_from(hi).ok()?);
    // Keeps the low `n` bytes of a word, for `n` in 0..=8 (a shift by 64 keeps none).
    let keep = |n: usize| u64::MAX.checked_shr(64 - 8 * n as u32).unwrap_or(0);
    let length = if len < 16 { (len as u64) << 56 } else { 0 };
    Some((lo & keep(len.min(8)), hi & keep(len.saturating_sub(8)) | length))
}

fn packed_slot(lo: u64, hi: u64) -> usize {
    ((lo ^ hi.rotate_left(29)).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 54) as usize % PACKED_SIZE
}

fn cache_slot(name: &[u8]) -> usize {
    let len = name.len();
    let first = name.first().copied().unwrap_or(0) as usize;
    let second = name.get(1).copied().unwrap_or(0) as usize;
    let last = name.last().copied().unwrap_or(0) as usize;
    let before_last = name.get(len.wrapping_sub(2)).copied().unwrap_or(0) as usize;
    (len.wrapping_mul(131)
        ^ first.wrapping_mul(31)
        ^ second.wrapping_mul(7)
        ^ last.wrapping_mul(17)
        ^ before_last)
        % CACHE_SIZE
}

impl Names {
    pub(crate) fn new(vocabulary: Vocabulary, max: u32) -> Self {
        Names {
            map: FxHashMap::default(),
            names: Vec::new(),
            classes: Vec::new(),
            seen_as_leaf: Vec::new(),
            vocabulary,
            max,
            cache: Box::new([u16::MAX; CACHE_SIZE]),
            packed: Box::new([PackedEntry::default(); PACKED_SIZE]),
            packed_len: 0,
        }
    }

    /// The symbol of a name written upper case, from the packed cache.
    #[inline]
    fn packed_lookup(&self, (lo, hi): (u64, u64)) -> Option<u16> {
        let mut slot = packed_slot(lo, hi);
        // Ends at an empty slot: the table is never full.
        loop {
            let e = self.packed.get(slot)?;
            if e.lo == lo && e.hi == hi {
                return Some(e.sym);
            }
            if e.lo == 0 && e.hi == 0 {
                return None;
            }
            slot = (slot + 1) % PACKED_SIZE;
        }
    }

    /// Remembers the symbol of a name written upper case (`key` packs exactly its bytes).
    fn packed_remember(&mut self, (lo, hi): (u64, u64), sym: u16) {
        if self.packed_len >= PACKED_MAX || (lo, hi) == (0, 0) {
            return;
        }
        let mut slot = packed_slot(lo, hi);
        while let Some(e) = self.packed.get_mut(slot) {
            if e.lo == lo && e.hi == hi {
                return;
            }
            if e.lo == 0 && e.hi == 0 {
                *e = PackedEntry { lo, hi, sym };
                self.packed_len += 1;
                return;
            }
            slot = (slot + 1) % PACKED_SIZE;
        }
    }

    /// The symbol of an already interned name, if the cache has it.
    fn cached(&self, name: &[u8]) -> Option<u16> {
        let sym = *self.cache.get(cache_slot(name))?;
        (self.names.get(sym as usize)?.as_bytes() == name).then_some(sym)
    }

    /// Interns an upper-case ASCII name.
    fn intern(&mut self, upper: &[u8]) -> Option<u16> {
        if let Some(&sym) = self.map.get(upper) {
            if let Some(slot) = self.cache.get_mut(cache_slot(upper)) {
                *slot = sym;
            }
            return Some(sym);
        }
        if self.names.len() as u32 >= self.max.min(u16::MAX as u32) {
            return None;
        }
        let sym = self.names.len() as u16;
        let name: Box<str> = String::from_utf8_lossy(upper).into();
        let (leaves, aggregates) = match self.vocabulary {
            Vocabulary::Ofx => (OFX_LEAVES, OFX_AGGREGATES),
            Vocabulary::Ofc => (OFC_LEAVES, OFC_AGGREGATES),
        };
        let class = if leaves.binary_search(&&*name).is_ok() {
            Class::Leaf
        } else if aggregates.binary_search(&&*name).is_ok() {
            Class::Aggregate
        } else {
            Class::Unknown
        };
        self.map.insert(upper.into(), sym);
        self.names.push(name);
        self.classes.push(class);
        self.seen_as_leaf.push(false);
        if let Some(slot) = self.cache.get_mut(cache_slot(upper)) {
            *slot = sym;
        }
        Some(sym)
    }

    fn class(&self, sym: u16) -> Class {
        self.classes.get(sym as usize).copied().unwrap_or(Class::Unknown)
    }

    fn name(&self, sym: u16) -> &str {
        self.names.get(sym as usize).map(|n| &**n).unwrap_or_default()
    }
}

/// How the body is read: with the shortcuts (flat aggregates read at once, see
/// [`flat`](crate::flat); XML's common tags read by the SGML loop, see [`xml`](crate::xml)),
/// or, for the oracles only, without them (the reference they must equal). In a build
/// without tests or the `fuzz` feature the reference does not exist and the choice costs
/// nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reading {
    /// The production reading.
    WithShortcuts,
    /// Every tag through the token loop, XML through quick-xml.
    #[cfg(any(test, feature = "fuzz"))]
    Reference,
}

impl Reading {
    /// True for the production reading.
    #[inline(always)]
    pub(crate) const fn with_shortcuts(self) -> bool {
        match self {
            Reading::WithShortcuts => true,
            #[cfg(any(test, feature = "fuzz"))]
            Reading::Reference => false,
        }
    }
}

/// The element whose children [`flat::read`](crate::flat::read) reads, and the limits
/// that apply to them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FlatStart {
    /// Its symbol (its end tag ends the reading).
    pub(crate) parent: u16,
    /// The node count before its children.
    pub(crate) nodes: usize,
    /// How many more elements the limit allows.
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
    /// With the shortcuts (as always), or the reference reading the oracles compare with.
    pub(crate) reading: Reading,
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
            reading: Reading::WithShortcuts,
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
    fn symbol(&mut self, name: Span, sink: &mut Sink) -> Result<(u16, bool), Error> {
        let key = packed_name(self.src, name.start as usize, name.len() as usize);
        if let Some(sym) = key.and_then(|k| self.names.packed_lookup(k)) {
            return Ok((sym, false));
        }
        self.symbol_slow(name, key, sink)
    }

    /// [`symbol`](Self::symbol) for a name not in the packed cache.
    fn symbol_slow(
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
    fn mark(&mut self, idx: u32, f: u16) {
        if let Some(node) = self.nodes.get_mut(idx as usize) {
            node.flags |= f;
        }
    }

    /// True when the body is read under an XML header and `closer` is an end tag: a leaf it
    /// closes (not its own) gets [`flags::XML_LEAF_END`].
    fn xml_leaf_end(&self, closer: Span) -> bool {
        self.xml_body && closer.len() > 1 && self.src.get(closer.start as usize + 1) == Some(&b'/')
    }

    /// Flags the leaf at `idx`, closed by `closer`, as ended by another element's end tag in
    /// an XML body; returns whether it did.
    #[cold]
    #[inline(never)]
    fn mark_xml_leaf_end(&mut self, idx: u32, closer: Span) -> bool {
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
    fn sgml_style(&self) -> bool {
        self.omitted_leaf_end_tags > self.leaf_ends_recovered
    }

    fn close(&mut self, open: Open, end: u32, explicit: bool) {
        let next = self.nodes.len() as u32;
        // An element with neither text nor children is a leaf unless the DTD says it is
        // an aggregate (`<BANKTRANLIST></BANKTRANLIST>` stays an aggregate).
        let leaf = match open.state {
            State::Leaf => true,
            State::Undecided => {
                self.names.classes.get(open.sym as usize) != Some(&Class::Aggregate)
            }
            State::Aggregate => false,
        };
        if let Some(node) = self.nodes.get_mut(open.idx as usize) {
            let end = end.max(node.start);
            if explicit {
                node.flags |= flags::END_TAG;
            }
            if leaf {
                node.close_leaf(open.idx, end, &mut self.wide);
            } else {
                node.close_element(end, next);
            }
        }
    }

    /// The end offset to give an element closed without its end tag: the end of its text,
    /// or of its start tag.
    fn implicit_end(&self, open: &Open) -> u32 {
        self.nodes.get(open.idx as usize).map(|n| n.end(open.idx, &self.wide)).unwrap_or(0)
    }

    /// Closes the open element on top of the stack without an end tag, reporting what needs
    /// reporting. `closer` is the span of the tag that caused it.
    fn close_implicitly(&mut self, closer: Span, sink: &mut Sink, at_eof: bool) {
        let Some(open) = self.stack.pop() else { return };
        if at_eof {
            self.mark(open.idx, flags::CUT_BY_EOF | flags::RECOVERED_END);
        }
        if open.state == State::Leaf {
            let recovered = at_eof || self.mark_xml_leaf_end(open.idx, closer);
            // The common SGML case: a leaf whose end tag is omitted.
            if let Some(node) = self.nodes.get_mut(open.idx as usize) {
                // An open element with a text is already a leaf, and stays as it is.
                if node.is_leaf() {
                    self.omitted_leaf_end_tags += 1;
                    self.leaf_ends_recovered += u32::from(recovered);
                    return;
                }
                let end = node.end(open.idx, &self.wide);
                node.close_leaf(open.idx, end, &mut self.wide);
                let span = Span::new(node.start, end);
                let name = self.names.name(open.sym).to_owned();
                sink.report(Code::EmptyElement, span, || format!("<{name}> has no value"));
            }
            return;
        }
        let class = self.names.class(open.sym);
        let node_start = self.nodes.get(open.idx as usize).map(|n| n.start).unwrap_or(0);
        match open.state {
            State::Leaf => {}
            State::Undecided => {
                let end = self.implicit_end(&open);
                let name = self.names.name(open.sym).to_owned();
                if class == Class::Aggregate {
                    // An aggregate with no children and no end tag.
                    self.close_aggregate_report(open, &name, closer, sink, at_eof);
                    if self.names.vocabulary == Vocabulary::Ofx {
                        self.mark(open.idx, flags::RECOVERED_END);
                    }
                    let open = Open { state: State::Aggregate, ..open };
                    self.close(open, closer.start, false);
                } else {
                    sink.report(Code::EmptyElement, Span::new(node_start, end), || {
                        format!("<{name}> has no value")
                    });
                    if !at_eof {
                        self.mark_xml_leaf_end(open.idx, closer);
                    }
                    self.close(open, end, false);
                }
            }
            State::Aggregate => {
                let name = self.names.name(open.sym).to_owned();
                if class == Class::Unknown {
                    // Never closed, never had text: an empty element, and what followed it
                    // belongs to its parent.
                    let end = self.implicit_end(&open);
                    sink.report(Code::EmptyElementInferred, Span::new(node_start, end), || {
                        format!(
                            "<{name}> has no value and no end tag; read as an empty element \
                             followed by its siblings"
                        )
                    });
                    if let Some(node) = self.nodes.get_mut(open.idx as usize) {
                        node.flags |= flags::RECOVERED_END;
                        node.close_leaf(open.idx, end, &mut self.wide);
                    }
                } else if !at_eof && self.names.vocabulary == Vocabulary::Ofx {
                    self.mark(open.idx, flags::RECOVERED_END);
                    self.close_by_content_model(open, &name, closer, sink);
                } else {
                    self.close_aggregate_report(open, &name, closer, sink, at_eof);
                    self.close(open, closer.start, false);
                }
            }
        }
    }

    /// An OFX aggregate whose end tag is missing, closed by an ancestor's end tag. The DTDs
    /// say where it must have ended: if every child is one it may hold, it ended at the
    /// ancestor's end; if its children end with a run it may not hold but its parent may
    /// (`</BANKTRANLIST>` missing before `<LEDGERBAL>`), it ended before that run, which
    /// goes back to the parent. Either way the intent is clear (a warning); otherwise it is
    /// an error and the children stay where they are.
    fn close_by_content_model(&mut self, open: Open, name: &str, closer: Span, sink: &mut Sink) {
        let parent = self.stack.last().map(|o| self.names.name(o.sym).to_owned());
        let children = self.child_indexes(open.idx);
        let first_foreign = children.iter().position(|&c| {
            let child = self.names.name(self.nodes.get(c as usize).map_or(0, |n| n.name));
            !allowed_in(name, child)
        });
        let start = self.nodes.get(open.idx as usize).map_or(0, |n| n.start);
        let tag = Span::new(start, start + name.len() as u32 + 2);
        let closer_text = crate::shown_bytes(self.src.get(closer.range()).unwrap_or_default());
        match first_foreign {
            None => {
                sink.report(Code::MissingEndTag, tag, || {
                    format!("<{name}> has no end tag; it ends at {closer_text}")
                });
                self.close(open, closer.start, false);
            }
            Some(i) => {
                let suffix = children.get(i..).unwrap_or_default();
                let movable = parent.as_deref().is_some_and(|p| {
                    suffix.iter().all(|&c| {
                        let child =
                            self.names.name(self.nodes.get(c as usize).map_or(0, |n| n.name));
                        !allowed_in(name, child) && allowed_in(p, child)
                    })
                });
                let cut = suffix.first().copied().unwrap_or(open.idx + 1);
                if movable {
                    let cut_start = self.nodes.get(cut as usize).map_or(closer.start, |n| n.start);
                    let cut_name = self
                        .names
                        .name(self.nodes.get(cut as usize).map_or(0, |n| n.name))
                        .to_owned();
                    sink.report(Code::MissingEndTag, tag, || {
                        format!("<{name}> has no end tag; it ends before <{cut_name}>, which it cannot hold")
                    });
                    self.close(open, cut_start, false);
                    if let Some(node) = self.nodes.get_mut(open.idx as usize) {
                        node.set_next(cut);
                    }
                } else {
                    self.close_aggregate_report(open, name, closer, sink, false);
                    self.close(open, closer.start, false);
                }
            }
        }
    }

    /// Offers the element just closed by its end tag (`top`, whose children are final) to the
    /// taker, when it is one to offer and its reading is final (see `stream`); drops it from
    /// the tree when taken.
    fn offer_closed(&mut self, top: Open, sink: &Sink) {
        let Some(mut offer) = self.offer.take() else { return };
        // Children read at once hold only plain texts: nothing to check or decode.
        let plain = self.flat_plain == Some(top.idx);
        if self.offerable(&mut offer, top, sink, plain) {
            let taken = self.hand_over(&mut offer, top, plain, sink);
            if taken {
                self.nodes.truncate(top.idx as usize);
                self.wide.truncate(top.idx);
                while self.to_decode.last().is_some_and(|&i| i >= top.idx) {
                    self.to_decode.pop();
                }
            }
        }
        self.offer = Some(offer);
    }

    fn offerable(&self, offer: &mut Offer<'_>, top: Open, sink: &Sink, plain: bool) -> bool {
        if top.mark != sink.total() {
            return false;
        }
        match offer.sym {
            Some(sym) if sym != top.sym => return false,
            Some(_) => {}
            None if self.names.name(top.sym) == &*offer.name => offer.sym = Some(top.sym),
            None => return false,
        }
        let Some(parent) = self.stack.last().copied() else { return false };
        // An element the DTDs do not know, never closed, is read at the end as an empty one
        // followed by its siblings: what is inside it now may end up beside it.
        if self.stack.iter().any(|o| self.names.class(o.sym) == Class::Unknown) {
            return false;
        }
        // Texts whose decoding depends on the file's encoding (bytes above 0x7F), or whose
        // references would be reported when decoded, or made of pieces, are left to the
        // end; so are elements with a leaf whose end may have been supplied by recovery (an
        // XML leaf ended by another element's end tag: no finding says so).
        if !plain {
            let subtree = self.nodes.get(top.idx as usize..).unwrap_or_default();
            let later = flags::TEXT_NON_ASCII | flags::TEXT_JOINED | flags::UNFINISHED;
            if subtree.iter().any(|n| n.flags & later != 0) {
                return false;
            }
        }
        let ofx = self.names.vocabulary == Vocabulary::Ofx;
        // The parent's children, walked without collecting them: the walk stops at the first
        // one that forbids the offer, so a list left in the tree is not walked again and again;
        // those found fine for an earlier offer in the same parent are not walked again.
        let end = top.idx;
        let parent_start = self.nodes.get(parent.idx as usize).map_or(0, |n| n.start);
        let mut c = match offer.walked {
            Some((idx, start, until)) if idx == parent.idx && start == parent_start => {
                until.min(end)
            }
            _ => parent.idx + 1,
        };
        let mut walked = 0;
        while c < end {
            walked += 1;
            if walked > 64 {
                // Many other children: not worth walking for every offer.
                return false;
            }
            let node = self.nodes.get(c as usize).copied().unwrap_or_default();
            let child = node.name;
            c = node.next(c).max(c + 1);
            if child == top.sym {
                // Offers go in order: one left in the tree stops the rest.
                return false;
            }
            if !ofx {
                continue;
            }
            // A later recovery of the parent's missing end tag looks at its children.
            if !self.allowed_cached(offer, parent.sym, child) {
                return false;
            }
        }
        offer.walked = Some((parent.idx, parent_start, end));
        !ofx || self.allowed_cached(offer, parent.sym, top.sym)
    }

    /// [`allowed_in`] by symbols, remembered.
    fn allowed_cached(&self, offer: &mut Offer<'_>, parent: u16, child: u16) -> bool {
        if let Some(&(_, _, ok)) =
            offer.allowed.iter().find(|(p, k, _)| *p == parent && *k == child)
        {
            return ok;
        }
        let ok = allowed_in(self.names.name(parent), self.names.name(child));
        offer.allowed.push((parent, child, ok));
        ok
    }

    /// Calls the taker with `top` as a small tree of its own (made on demand when `plain`);
    /// `true` when it was taken, and then the spans in the input of its texts with `&` are
    /// added to `offer.taken_texts`.
    fn hand_over(&self, offer: &mut Offer<'_>, top: Open, plain: bool, sink: &Sink) -> bool {
        let all_names = &self.names.names;
        let mut parts = offer.parts.take();
        if let Some(new) = all_names.get(parts.names.len()..) {
            parts.names.extend(new.iter().cloned());
        }
        let subtree = self.nodes.get(top.idx as usize..).unwrap_or_default();
        let taken_texts = offer.taken_texts.len();
        offer.reference_errors.clear();
        let chain = stream::OpenChain {
            names: all_names,
            nodes: self.nodes.get(..top.idx as usize).unwrap_or_default(),
            wide: &self.wide,
            open: &self.stack,
            omitted_leaf_end_tags: self.omitted_leaf_end_tags > 0,
        };
        // Made here, and its tree set in place: a tree is too large to move for nothing.
        let mut offered = Offered {
            tree: std::cell::OnceCell::new(),
            parts: &offer.parts,
            subtree,
            top: top.idx,
            wide: &self.wide,
            plain,
            src: self.src,
            src_utf8: offer.src_utf8,
            chain: &chain,
            prelude: &offer.prelude,
            reference_errors: &[],
        };
        if plain {
            // Made on demand, if at all.
            offer.parts.set(parts);
        } else {
            let mut t =
                stream::small_tree(parts, subtree, top.idx, &self.wide, self.src, offer.src_utf8);
            // References and line breaks, decoded as `decode::finish` would.
            let mut scratch = String::new();
            for (idx, node) in (0u32..).zip(t.nodes.iter_mut()) {
                if node.flags & (flags::TEXT_AMP | flags::TEXT_CR) == 0 || !node.is_leaf() {
                    continue;
                }
                let span = node.text_span(idx, &t.wide);
                if node.flags & flags::TEXT_AMP != 0 {
                    offer.taken_texts.push(span);
                    // Its references are reported once the file is read; the errors among
                    // them are told with the offer, so its row can say so now.
                    let mut probe = sink.probe();
                    crate::escape::report(
                        self.src.get(span.range()).unwrap_or_default(),
                        span.start,
                        &mut probe,
                    );
                    let found = probe.finish().diagnostics;
                    let errors = found.iter().filter(|d| d.severity == Severity::Error);
                    offer.reference_errors.extend(errors.map(|d| (d.span.start, d.code)));
                }
                let raw = self.src.get(span.range()).unwrap_or_default();
                let text = std::borrow::Cow::Borrowed(std::str::from_utf8(raw).unwrap_or_default());
                decode::push_decoded(node, idx, &mut t.wide, text, &mut t.arena, &mut scratch);
            }
            let _ = offered.tree.set(t);
        }
        offered.reference_errors = &offer.reference_errors;
        let taken = (offer.take)(&offered);
        if !taken {
            offer.taken_texts.truncate(taken_texts);
        }
        offered.give_back();
        taken
    }

    /// Indexes of the direct children of the node at `idx` (which must be closed or on top
    /// of the stack with all its children closed).
    fn child_indexes(&self, idx: u32) -> Vec<u32> {
        let mut out = Vec::new();
        let end = self.nodes.len() as u32;
        let mut c = idx + 1;
        while c < end {
            out.push(c);
            c = self.nodes.get(c as usize).map_or(end, |n| n.next(c)).max(c + 1);
        }
        out
    }

    fn close_aggregate_report(
        &mut self,
        open: Open,
        name: &str,
        closer: Span,
        sink: &mut Sink,
        at_eof: bool,
    ) {
        let start = self.nodes.get(open.idx as usize).map(|n| n.start).unwrap_or(0);
        let tag_end = start + name.len() as u32 + 2;
        let span = Span::new(start, tag_end);
        if at_eof {
            return; // reported once by `finish`
        }
        let closer_text = crate::shown_bytes(self.src.get(closer.range()).unwrap_or_default());
        match self.names.vocabulary {
            Vocabulary::Ofc => sink.report(Code::OmittedEndTag, span, || {
                format!("<{name}> has no end tag; it ends at {closer_text}")
            }),
            Vocabulary::Ofx => sink.report_with_help(
                Code::UnclosedAggregate,
                span,
                || format!("<{name}> has no end tag; closed at {closer_text}"),
                Some("OFX requires an end tag for every aggregate"),
            ),
        }
    }

    /// A start tag. `tag` covers `<` to `>`; `name` the name bytes.
    pub(crate) fn start(
        &mut self,
        name: Span,
        tag: Span,
        self_closing: bool,
        sink: &mut Sink,
    ) -> Result<(), Error> {
        if self.root_closed {
            return Ok(());
        }
        let (sym, folded) = self.symbol(name, sink)?;
        self.start_sym(sym, folded, tag, self_closing, sink)
    }

    /// A plain tag (`<NAME>` or `</NAME>`, `end_tag` telling which) whose name, written in
    /// upper case, is already interned: `name` packs its bytes (see [`packed_name`]).
    /// Returns false, having done nothing, when the name is not in the packed cache.
    #[inline]
    pub(crate) fn known_tag(
        &mut self,
        name: (u64, u64),
        tag: Span,
        end_tag: bool,
        sink: &mut Sink,
    ) -> Result<bool, Error> {
        let Some(sym) = self.names.packed_lookup(name) else { return Ok(false) };
        if end_tag {
            self.end_sym(sym, tag, sink);
        } else if !self.root_closed {
            self.start_sym(sym, false, tag, false, sink)?;
        }
        Ok(true)
    }

    /// Where [`flat::read`](crate::flat::read) may read the children of the element on top
    /// of the stack: it was just opened (no text, no child yet) and the DTDs declare it an
    /// aggregate. `None` otherwise.
    #[inline]
    pub(crate) fn flat_start(&self) -> Option<FlatStart> {
        if !self.reading.with_shortcuts() {
            return None;
        }
        let top = self.stack.last()?;
        let fresh = top.state == State::Undecided
            && !self.root_closed
            && top.idx as usize + 1 == self.nodes.len()
            && self.names.class(top.sym) == Class::Aggregate;
        // Each child is an element at the depth `start_sym` checks against the limit.
        let deep_enough = (self.stack.len() as u32) < self.limits.max_depth;
        (fresh && deep_enough).then(|| FlatStart {
            parent: top.sym,
            nodes: self.nodes.len(),
            room: self.limits.max_elements.saturating_sub(self.created),
            max_text_len: self.limits.max_text_len,
        })
    }

    /// The symbol of an upper-case name in the packed cache that the DTDs declare a leaf.
    #[inline]
    pub(crate) fn flat_leaf(&self, name: (u64, u64)) -> Option<u16> {
        let sym = self.names.packed_lookup(name)?;
        (self.names.class(sym) == Class::Leaf).then_some(sym)
    }

    /// The symbol of an upper-case name in the packed cache.
    #[inline]
    pub(crate) fn flat_symbol(&self, name: (u64, u64)) -> Option<u16> {
        self.names.packed_lookup(name)
    }

    /// Appends a child leaf read by [`flat::read`](crate::flat::read), as the token loop
    /// leaves it once closed: `tag` is its start tag, `text` its (plain, trimmed) value,
    /// `end` the end of its end tag when `explicit`, else of its value; `amp` when the text
    /// holds a `&` (it is then decoded at the end, as the token loop leaves it).
    #[inline]
    pub(crate) fn flat_push(
        &mut self,
        sym: u16,
        tag: Span,
        text: Span,
        end: u32,
        explicit: bool,
        amp: bool,
    ) {
        let idx = self.nodes.len() as u32;
        let mut flags = if explicit { flags::END_TAG } else { 0 };
        if amp {
            flags |= flags::TEXT_AMP;
            self.to_decode.push(idx);
        }
        let mut node = Node::opened(sym, flags, tag, idx);
        node.set_text(idx, text, false, end, &mut self.wide);
        self.nodes.push(node);
        // Here rather than in `flat_finish`: one loop fewer. Should the reading be dropped,
        // the token loop reads this leaf the same way, and marks it too.
        if let Some(seen) = self.names.seen_as_leaf.get_mut(usize::from(sym)) {
            *seen = true;
        }
    }

    /// Drops what [`flat_push`](Self::flat_push) appended since `start`: the children go
    /// through the token loop instead.
    pub(crate) fn flat_abort(&mut self, start: FlatStart) {
        self.nodes.truncate(start.nodes);
        self.wide.truncate(start.nodes as u32);
        while self.to_decode.last().is_some_and(|&i| i as usize >= start.nodes) {
            self.to_decode.pop();
        }
    }

    /// Completes a flat reading: counts the children as the token loop counts them, then
    /// ends the element on top with `end_tag`, as its end tag would. `amp` when a text holds
    /// a `&`, or a child is flagged (the children are then not all plain).
    pub(crate) fn flat_finish(
        &mut self,
        start: FlatStart,
        explicit: u32,
        end_tag: Span,
        amp: bool,
        sink: &mut Sink,
    ) {
        let children = self.nodes.len().saturating_sub(start.nodes) as u32;
        #[cfg(test)]
        {
            self.flat_reads += 1;
        }
        self.created += children;
        self.explicit_leaf_end_tags += explicit;
        self.omitted_leaf_end_tags += children - explicit;
        if let Some(top) = self.stack.last_mut()
            && children > 0
        {
            top.state = State::Aggregate;
        }
        self.flat_plain = if amp { None } else { start.nodes.checked_sub(1).map(|i| i as u32) };
        self.end_sym(start.parent, end_tag, sink);
        self.flat_plain = None;
    }

    /// For an XML body ([`xml_body`](Self::xml_body)): flags the last of the children
    /// [`flat::read`](crate::flat::read) just read from `start`, whose end tag is not
    /// written (the parent's end tag, `end_tag`, ended it), unless another of them, `explicit`
    /// of which have their end tag, was ended by the next start tag (SGML's rules); returns
    /// whether it did. Their texts are then not all plain (see
    /// [`flat_finish`](Self::flat_finish)).
    #[cold]
    #[inline(never)]
    pub(crate) fn flat_xml_last_child(
        &mut self,
        start: FlatStart,
        explicit: u32,
        end_tag: Span,
    ) -> bool {
        let children = self.nodes.len().saturating_sub(start.nodes) as u32;
        if children > explicit + 1 {
            return false;
        }
        let last = (self.nodes.len() as u32).saturating_sub(1);
        let flagged = self.mark_xml_leaf_end(last, end_tag);
        self.leaf_ends_recovered += u32::from(flagged);
        flagged
    }

    /// [`start`](Self::start) with the name interned.
    #[inline(always)]
    fn start_sym(
        &mut self,
        sym: u16,
        folded: bool,
        tag: Span,
        self_closing: bool,
        sink: &mut Sink,
    ) -> Result<(), Error> {
        if !folded && !self_closing && self.start_plain(sym, tag, sink) {
            return Ok(());
        }
        self.start_sym_slow(sym, folded, tag, self_closing, sink)
    }

    /// The common start tag, small enough to inline into the token loop: an upper-case
    /// `<NAME>` that closes at most a leaf with a value, reopens nothing and stays within the
    /// limits. Returns false when the tag needs [`start_sym_slow`](Self::start_sym_slow),
    /// having done only what that function does first (closing such a leaf), so that the
    /// two together read the tag exactly as `start_sym_slow` alone would.
    #[inline(always)]
    fn start_plain(&mut self, sym: u16, tag: Span, sink: &Sink) -> bool {
        let class = self.names.class(sym);
        if let Some(top) = self.stack.last().copied() {
            match top.state {
                State::Leaf => match self.nodes.get(top.idx as usize) {
                    // A leaf with a text is laid out as closed already.
                    Some(node) if node.is_leaf() => {
                        self.omitted_leaf_end_tags += 1;
                        self.stack.pop();
                    }
                    _ => return false,
                },
                State::Undecided if self.names.class(top.sym) == Class::Leaf => return false,
                _ => {}
            }
        }
        if class != Class::Leaf
            && self.stack.iter().skip(1).any(|o| o.sym == sym && o.state != State::Leaf)
        {
            return false;
        }
        if self.stack.len() as u32 >= self.limits.max_depth
            || self.created >= self.limits.max_elements
        {
            return false;
        }
        if let Some(parent) = self.stack.last_mut() {
            parent.state = State::Aggregate;
        }
        let idx = self.nodes.len() as u32;
        self.created += 1;
        self.nodes.push(Node::opened(sym, 0, tag, idx));
        let state = if class == Class::Leaf { State::Leaf } else { State::Undecided };
        self.stack.push(Open { idx, sym, state, mark: sink.total() });
        true
    }

    /// [`start_sym`](Self::start_sym) for every case, with the reports and the recoveries.
    #[inline(never)]
    fn start_sym_slow(
        &mut self,
        sym: u16,
        folded: bool,
        tag: Span,
        self_closing: bool,
        sink: &mut Sink,
    ) -> Result<(), Error> {
        let class = self.names.class(sym);

        // Whatever is on top and can't hold children ends here.
        if let Some(top) = self.stack.last().copied() {
            match top.state {
                State::Leaf => {
                    // The common SGML case, inline: a leaf with a value and no end tag
                    // (what `close_implicitly` does for it).
                    match self.nodes.get(top.idx as usize) {
                        Some(node) if node.is_leaf() => {
                            self.omitted_leaf_end_tags += 1;
                            self.stack.pop();
                        }
                        _ => self.close_implicitly(tag, sink, false),
                    }
                }
                State::Undecided if self.names.class(top.sym) == Class::Leaf => {
                    self.close_implicitly(tag, sink, false)
                }
                _ => {}
            }
        }

        // A missing end tag before a repeat of the same aggregate (`<STMTTRN>…<STMTTRN>`).
        if class != Class::Leaf
            && let Some(pos) =
                self.stack.iter().skip(1).rposition(|o| o.sym == sym && o.state != State::Leaf)
        {
            {
                let pos = pos + 1;
                let name_str = self.names.name(sym).to_owned();
                let first = self.stack.get(pos).map(|o| o.idx).unwrap_or(0);
                let first_start = self.nodes.get(first as usize).map(|n| n.start).unwrap_or(0);
                sink.report(Code::ReopenedElement, tag, || {
                    format!(
                        "<{name_str}> opened while the <{name_str}> at byte {first_start} is \
                         still open; closed that one here"
                    )
                });
                while self.stack.len() > pos + 1 {
                    self.close_implicitly(tag, sink, false);
                }
                if let Some(open) = self.stack.pop() {
                    self.mark(open.idx, flags::RECOVERED_END);
                    self.close(open, tag.start, false);
                }
            }
        }

        if self.stack.len() as u32 >= self.limits.max_depth {
            return Err(Error::new(
                ErrorKind::LimitExceeded,
                Code::DepthLimit,
                tag,
                format!("elements nest deeper than the limit of {}", self.limits.max_depth),
            ));
        }
        if self.created >= self.limits.max_elements {
            return Err(Error::new(
                ErrorKind::LimitExceeded,
                Code::ElementLimit,
                tag,
                format!("more than {} elements", self.limits.max_elements),
            ));
        }
        if let Some(parent) = self.stack.last_mut() {
            parent.state = State::Aggregate;
        }
        let idx = self.nodes.len() as u32;
        self.created += 1;
        let f = if folded { flags::FOLDED_NAME } else { 0 };
        self.nodes.push(Node::opened(sym, f, tag, idx));
        let state = if class == Class::Leaf { State::Leaf } else { State::Undecided };
        let open = Open { idx, sym, state, mark: sink.total() };
        if self_closing {
            if let Some(node) = self.nodes.get_mut(idx as usize) {
                node.flags |= flags::SELF_CLOSING;
            }
            let open = Open {
                state: if class == Class::Aggregate { State::Aggregate } else { state },
                ..open
            };
            self.close(open, tag.end, true);
            if self.stack.is_empty() {
                self.root_closed = true;
            }
        } else {
            self.stack.push(open);
        }
        Ok(())
    }

    /// Text between tags (raw, untrimmed). `literal` for CDATA.
    #[inline(always)]
    pub(crate) fn text(&mut self, raw: Span, literal: bool, sink: &mut Sink) -> Result<(), Error> {
        if !literal && self.plain_leaf_text(raw) {
            return Ok(());
        }
        self.text_slow(raw, literal, sink)
    }

    /// [`text`](Self::text) for every case, with the reports.
    #[inline(never)]
    fn text_slow(&mut self, raw: Span, literal: bool, sink: &mut Sink) -> Result<(), Error> {
        self.text_classified(raw, literal, None, sink)
    }

    /// A value [`scan_value`] found plain, at `start..end`: stored as
    /// [`plain_leaf_text`](Self::plain_leaf_text) stores it. Returns false, having changed
    /// nothing, when it is not the first value of an open element within the limits; the
    /// caller then hands the whole run to [`text`](Self::text).
    #[inline(always)]
    pub(crate) fn plain_value(&mut self, start: usize, end: usize) -> bool {
        let len = (end - start) as u32;
        if self.root_closed || len > self.limits.max_text_len {
            return false;
        }
        let Some(top) = self.stack.last_mut() else { return false };
        if top.state == State::Aggregate || top.idx == 0 {
            return false;
        }
        let Some(node) = self.nodes.get_mut(top.idx as usize) else { return false };
        if node.is_leaf() || !node.store_text(start as u32, len) {
            return false;
        }
        top.state = State::Leaf;
        if let Some(s) = self.names.seen_as_leaf.get_mut(top.sym as usize) {
            *s = true;
        }
        true
    }

    /// The common text, small enough to inline into the token loop: blanks only (nothing to
    /// do), or the first value of the open element, within the length limit, with no byte
    /// that needs decoding or a report (see [`plain_span`]). Returns false, having changed
    /// nothing, for any other text; it then goes to [`text_classified`](Self::text_classified),
    /// which reads these two cases the same way.
    #[inline(always)]
    fn plain_leaf_text(&mut self, raw: Span) -> bool {
        let src = self.src;
        let start = raw.start as usize;
        let mut end = raw.end as usize;
        while end > start && src.get(end - 1).is_some_and(u8::is_ascii_whitespace) {
            end -= 1;
        }
        if end == start {
            return true;
        }
        // Stops before `end`: the byte before it is not a blank.
        let mut first = start;
        while first < end && src.get(first).is_some_and(u8::is_ascii_whitespace) {
            first += 1;
        }
        plain_span(src, first, end) && self.plain_value(first, end)
    }

    /// Text with its byte classes already known (from [`scan_text`]) when `classes` is set.
    #[inline]
    pub(crate) fn text_classified(
        &mut self,
        raw: Span,
        literal: bool,
        classes: Option<u8>,
        sink: &mut Sink,
    ) -> Result<(), Error> {
        let bytes = self.src.get(raw.range()).unwrap_or_default();
        let Some(first) = bytes.iter().position(|b| !b.is_ascii_whitespace()) else {
            return Ok(());
        };
        let last = bytes.iter().rposition(|b| !b.is_ascii_whitespace()).unwrap_or(first);
        let span = Span::new(raw.start + first as u32, raw.start + last as u32 + 1);
        let text = self.src.get(span.range()).unwrap_or_default();
        if self.root_closed || self.stack.is_empty() {
            sink.report(Code::TrailingContent, span, || {
                "text after the end of the root element".to_owned()
            });
            return Ok(());
        }
        if span.len() > self.limits.max_text_len {
            return Err(Error::new(
                ErrorKind::LimitExceeded,
                Code::TextLimit,
                span,
                format!(
                    "text of {} bytes exceeds the limit of {}",
                    span.len(),
                    self.limits.max_text_len
                ),
            ));
        }
        let Some(top) = self.stack.last_mut() else { return Ok(()) };
        // The root always holds elements, never a value.
        let is_fresh = matches!(top.state, State::Undecided | State::Leaf)
            && top.idx != 0
            && self.nodes.get(top.idx as usize).is_some_and(|n| !n.is_leaf());
        if !is_fresh {
            // A text that goes on after a comment, a processing instruction or a CDATA
            // section (this text starts right after it).
            let where_ = self.names.name(top.sym).to_owned();
            if let Some(idx) = self.continue_text(Span::point(raw.start)) {
                return self.add_piece(idx, raw, false, sink);
            }
            sink.report(Code::StrayText, span, || {
                let shown = crate::shown_bytes(text);
                format!("text \"{shown}\" inside <{where_}>, where only elements belong")
            });
            return Ok(());
        }
        top.state = State::Leaf;
        let idx = top.idx;
        let sym = top.sym;
        if let Some(s) = self.names.seen_as_leaf.get_mut(sym as usize) {
            *s = true;
        }
        let mut f = 0u16;
        let seen = match classes {
            // The classes of the raw run: NUL, `&` and high bytes are never trimmed away, but
            // a CR may have been only in the line break after the value.
            Some(c) if c & CLASS_CR != 0 && memchr::memchr(b'\r', text).is_none() => c & !CLASS_CR,
            Some(c) => c,
            None if plain_span(self.src, span.start as usize, span.end as usize) => 0,
            None => text
                .iter()
                .fold(0u8, |seen, &b| seen | BYTE_CLASS.get(b as usize).copied().unwrap_or(0)),
        };
        if seen & CLASS_NUL != 0 {
            sink.report(Code::NulByte, span, || "NUL byte in text".to_owned());
        }
        if !literal && seen & CLASS_AMP != 0 {
            f |= flags::TEXT_AMP;
        }
        if seen & CLASS_HIGH != 0 {
            f |= flags::TEXT_NON_ASCII;
            self.any_non_ascii = true;
        }
        if seen & CLASS_CR != 0 {
            f |= flags::TEXT_CR;
        }
        if literal {
            f |= flags::TEXT_LITERAL;
        }
        if let Some(node) = self.nodes.get_mut(idx as usize) {
            node.flags |= f;
            node.set_text(idx, span, false, span.end, &mut self.wide);
        }
        if f & (flags::TEXT_AMP | flags::TEXT_CR | flags::TEXT_NON_ASCII) != 0 {
            self.to_decode.push(idx);
        }
        Ok(())
    }

    /// A comment or processing instruction at `markup`: ignored, but when it comes inside the
    /// text of the open leaf, the text goes on after it (XML joins the pieces:
    /// `LONDON<!-- x --> HOTEL` is `LONDON HOTEL`).
    pub(crate) fn ignorable(&mut self, markup: Span) {
        self.continue_text(markup);
    }

    /// A CDATA section at `markup` whose `content` is taken literally: the first text of the
    /// open element, or a piece of the open leaf's text (`AT<![CDATA[&T]]>` is `AT&T`).
    pub(crate) fn cdata(
        &mut self,
        markup: Span,
        content: Span,
        sink: &mut Sink,
    ) -> Result<(), Error> {
        if let Some(idx) = self.continue_text(markup) {
            return self.add_piece(idx, content, true, sink);
        }
        self.text(content, true, sink)
    }

    /// True when every byte of `span` is a blank.
    fn blank(&self, span: Span) -> bool {
        self.src.get(span.range()).is_some_and(|b| b.iter().all(u8::is_ascii_whitespace))
    }

    /// Keeps a piece of the text being joined: with the others, or aside while the join is
    /// pending.
    fn push_piece(&mut self, piece: Piece) {
        if self.join.is_some_and(|j| j.pending) {
            self.pending.push(piece);
        } else {
            self.pieces.push(piece);
        }
    }

    /// When `markup` (a comment, a processing instruction or a CDATA section) comes inside
    /// the text of the open leaf (only blanks between them): starts a pending join of that
    /// text's pieces if there is none, adds the blanks since its last piece, and returns the
    /// leaf's index. The next piece starts after `markup`; the first one that is not blanks
    /// makes the text one of pieces (see [`add_piece`](Self::add_piece)).
    fn continue_text(&mut self, markup: Span) -> Option<u32> {
        let top = self.stack.last().copied()?;
        if top.state != State::Leaf || top.idx == 0 || self.root_closed {
            return None;
        }
        let idx = top.idx;
        let node = self.nodes.get(idx as usize).copied()?;
        if !node.is_leaf() {
            return None;
        }
        match self.join {
            Some(j) if j.idx == idx => {
                // Blanks since the last piece (a run of blanks is not handed over as text):
                // anything else, a tag, means the text ended there.
                let gap = Span::new(j.end, markup.start);
                if !self.blank(gap) {
                    return None;
                }
                if !gap.is_empty() {
                    self.push_piece(Piece { idx, span: gap, literal: false });
                }
            }
            _ => {
                if node.flags & flags::TEXT_JOINED != 0 {
                    return None;
                }
                let text = node.text_span(idx, &self.wide);
                let len = text.len();
                self.pending.clear();
                if node.flags & flags::TEXT_LITERAL != 0 {
                    // A CDATA section's content: it went on, blanks, to its `]]>`.
                    let mut close = text.end as usize;
                    while self.src.get(close).is_some_and(u8::is_ascii_whitespace) {
                        close += 1;
                    }
                    if self.src.get(close..close + 3) != Some(&b"]]>"[..]) {
                        return None;
                    }
                    let gap = Span::new(close as u32 + 3, markup.start);
                    if !self.blank(gap) {
                        return None;
                    }
                    let content = Span::new(text.start, close as u32);
                    self.pending.push(Piece { idx, span: content, literal: true });
                    if !gap.is_empty() {
                        self.pending.push(Piece { idx, span: gap, literal: false });
                    }
                } else {
                    // A text run, with the blanks after it that were trimmed.
                    if !self.blank(Span::new(text.end, markup.start)) {
                        return None;
                    }
                    let run = Span::new(text.start, markup.start);
                    self.pending.push(Piece { idx, span: run, literal: false });
                }
                self.join = Some(Join { idx, pending: true, end: markup.start, len });
            }
        }
        if let Some(j) = &mut self.join {
            j.end = markup.end;
        }
        Some(idx)
    }

    /// Adds `raw` to the text of the leaf at `idx`, made of pieces: a text run (the blanks
    /// around it kept: they are inside the text), or a CDATA section's content when
    /// `literal`. The leaf's text and end reach the last byte that is not a blank.
    fn add_piece(
        &mut self,
        idx: u32,
        raw: Span,
        literal: bool,
        sink: &mut Sink,
    ) -> Result<(), Error> {
        let Some(mut join) = self.join else { return Ok(()) };
        join.len = join.len.saturating_add(raw.len());
        if join.len > self.limits.max_text_len {
            return Err(Error::new(
                ErrorKind::LimitExceeded,
                Code::TextLimit,
                raw,
                format!(
                    "text of {} bytes exceeds the limit of {}",
                    join.len, self.limits.max_text_len
                ),
            ));
        }
        if !literal {
            join.end = raw.end;
        }
        let bytes = self.src.get(raw.range()).unwrap_or_default();
        let last = bytes.iter().rposition(|b| !b.is_ascii_whitespace());
        if join.pending && last.is_some() {
            // The first piece that is not blanks: the text is one of pieces.
            join.pending = false;
            self.pieces.append(&mut self.pending);
            self.mark(idx, flags::TEXT_JOINED);
            if self.to_decode.last() != Some(&idx) {
                self.to_decode.push(idx);
            }
        }
        self.join = Some(join);
        let seen = bytes
            .iter()
            .fold(0u8, |seen, &b| seen | BYTE_CLASS.get(b as usize).copied().unwrap_or(0));
        if seen & CLASS_NUL != 0 {
            sink.report(Code::NulByte, raw, || "NUL byte in text".to_owned());
        }
        let mut f = 0u16;
        if !literal && seen & CLASS_AMP != 0 {
            f |= flags::TEXT_AMP;
        }
        if seen & CLASS_HIGH != 0 {
            f |= flags::TEXT_NON_ASCII;
            self.any_non_ascii = true;
        }
        if seen & CLASS_CR != 0 {
            f |= flags::TEXT_CR;
        }
        self.push_piece(Piece { idx, span: raw, literal });
        if join.pending {
            // Blanks of a CDATA section: nothing to tell yet.
            return Ok(());
        }
        if let Some(node) = self.nodes.get_mut(idx as usize) {
            node.flags |= f;
            if let Some(last) = last {
                let start = node.text_span(idx, &self.wide).start;
                let end = raw.start + last as u32 + 1;
                node.set_text(idx, Span::new(start, end), false, end, &mut self.wide);
            }
        }
        Ok(())
    }

    /// An end tag.
    pub(crate) fn end(&mut self, name: Span, tag: Span, sink: &mut Sink) -> Result<(), Error> {
        let sym = self.symbol(name, sink)?.0;
        self.end_sym(sym, tag, sink);
        Ok(())
    }

    fn end_sym(&mut self, sym: u16, tag: Span, sink: &mut Sink) {
        // The SGML case `<MEMO>x</STMTTRN>`: a leaf with a value on top of the element that
        // ends, closed as `close_implicitly` closes it.
        if let [.., parent, top] = self.stack[..]
            && top.sym != sym
            && parent.sym == sym
            && top.state == State::Leaf
        {
            // A leaf with a text is laid out as closed already.
            if self.nodes.get(top.idx as usize).is_some_and(Node::is_leaf) {
                if self.xml_body {
                    let recovered = self.mark_xml_leaf_end(top.idx, tag);
                    self.leaf_ends_recovered += u32::from(recovered);
                }
                self.omitted_leaf_end_tags += 1;
                self.stack.pop();
            }
        }
        // Fast path: closes the element on top.
        if let Some(top) = self.stack.last().copied()
            && top.sym == sym
        {
            {
                self.stack.pop();
                let empty = self.nodes.get(top.idx as usize).is_some_and(|n| !n.is_leaf());
                if top.state == State::Leaf && !empty {
                    self.explicit_leaf_end_tags += 1;
                } else if top.state != State::Aggregate {
                    let node_start = self.nodes.get(top.idx as usize).map(|n| n.start).unwrap_or(0);
                    let name_str = self.names.name(sym).to_owned();
                    if self.names.class(sym) != Class::Aggregate {
                        sink.report(Code::EmptyElement, Span::new(node_start, tag.end), || {
                            format!("<{name_str}> has no value")
                        });
                    }
                }
                let had_children = top.state == State::Aggregate;
                let top =
                    if top.state == State::Undecided && self.names.class(sym) == Class::Aggregate {
                        Open { state: State::Aggregate, ..top }
                    } else {
                        top
                    };
                self.close(top, tag.end, true);
                if had_children && self.offer.is_some() {
                    self.offer_closed(top, sink);
                }
                if self.stack.is_empty() {
                    self.root_closed = true;
                }
                return;
            }
        }
        match self.stack.iter().rposition(|o| o.sym == sym) {
            Some(pos) => {
                // Close what is open inside it: an open leaf is normal SGML; anything else is
                // reported by `close_implicitly`.
                while self.stack.len() > pos + 1 {
                    self.close_implicitly(tag, sink, false);
                }
                self.end_sym(sym, tag, sink);
            }
            None => {
                let name_str = self.names.name(sym).to_owned();
                let leafish = self.names.seen_as_leaf.get(sym as usize).copied().unwrap_or(false)
                    || self.names.class(sym) == Class::Leaf;
                if leafish {
                    sink.report(Code::RedundantEndTag, tag, || {
                        format!("</{name_str}> ends a leaf that an earlier tag already ended")
                    });
                } else {
                    sink.report(Code::StrayEndTag, tag, || {
                        format!("</{name_str}> matches no open element")
                    });
                }
            }
        }
    }

    /// End of input at `at`: closes what is open, reporting open aggregates.
    pub(crate) fn finish(&mut self, at: u32, sink: &mut Sink) {
        if self.stack.is_empty() {
            return;
        }
        let open: Vec<String> = self
            .stack
            .iter()
            .filter(|o| o.state == State::Aggregate || self.names.class(o.sym) == Class::Aggregate)
            .map(|o| format!("<{}>", self.names.name(o.sym)))
            .collect();
        let eof = Span::point(at);
        if !open.is_empty() {
            let first = self.stack.first().map(|o| o.idx).unwrap_or(0);
            let start = self.nodes.get(first as usize).map(|n| n.start).unwrap_or(0);
            sink.report_with_help(
                Code::UnexpectedEof,
                eof,
                || format!("the input ends while {} are still open", open.join(", ")),
                Some(&format!("the root element opened at byte {start} is not closed; the file may be truncated")),
            );
        }
        while !self.stack.is_empty() {
            self.close_implicitly(eof, sink, true);
        }
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

/// True when the OFX DTDs allow `child` in `parent` (vendor elements, with a `.`, anywhere).
fn allowed_in(parent: &str, child: &str) -> bool {
    child.contains('.')
        || [Profile::Ofx160, Profile::Ofx201, Profile::Ofx220].iter().any(|p| {
            p.element(parent).and_then(|e| e.content_model()).is_some_and(|m| m.allows(child))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scan_text_finds_the_tag_and_the_classes() {
        for (text, len, classes) in [
            ("", 0, 0),
            ("abc", 3, 0),
            ("abc<", 3, 0),
            ("<", 0, 0),
            ("DEBIT\n<TRNAMT>", 6, 0),
            ("a long text of more than eight bytes<x", 36, 0),
            ("AT&T\r\n<", 6, CLASS_AMP | CLASS_CR),
            ("12345678&<", 9, CLASS_AMP),
            ("1234567<&", 7, 0),
            ("caf\u{e9}<", 5, CLASS_HIGH),
            ("a\0b", 3, CLASS_NUL),
            ("abcdefgh\r", 9, CLASS_CR),
            ("abcdefg<\0", 7, 0),
        ] {
            assert_eq!(scan_text(text.as_bytes()), (len, classes), "{text:?}");
            assert_eq!(scan_value(text.as_bytes(), 0).0, len, "{text:?}");
        }
    }

    #[test]
    fn scan_value_agrees_with_trimming_and_the_byte_table() {
        // Every run of up to five bytes of each kind, at offsets that make words straddle it,
        // followed by a tag, by a long text, or by the end of the input.
        let alphabet = [b'a', b' ', b'\n', b'\r', b'\t', b'&', b'<', 0xE9, 0];
        let mut runs: Vec<Vec<u8>> = vec![Vec::new()];
        for len in 1..=5 {
            let mut run = vec![0usize; len];
            'all: loop {
                runs.push(run.iter().map(|&i| alphabet[i]).collect());
                for digit in run.iter_mut() {
                    *digit += 1;
                    if *digit < alphabet.len() {
                        continue 'all;
                    }
                    *digit = 0;
                }
                break;
            }
        }
        // The forms of real files take the fast answers.
        for (text, expect) in [
            ("DEBIT\n<TRNAMT>", ValueScan::Plain { start: 0, end: 5 }),
            ("DEBIT\r\n<TRNAMT>", ValueScan::Plain { start: 0, end: 5 }),
            ("-9.59</TRNAMT>", ValueScan::Plain { start: 0, end: 5 }),
            (
                "DEBIT CARD PURCHASE 01/01 CARD 2583 REF 7600118\n<",
                ValueScan::Plain { start: 0, end: 47 },
            ),
            ("\n<STMTTRN>", ValueScan::Blank),
            ("\r\n\t\t<", ValueScan::Blank),
        ] {
            assert_eq!(scan_value(text.as_bytes(), 0).1, expect, "{text:?}");
        }
        // Plain bytes before the run put it across the boundaries of 16-byte windows and of
        // 32-byte steps; the tails give the run a tag after it, more text, or the end of the
        // input (within 32 bytes, read a byte at a time) at both distances.
        let long_tag = b"<B>xxxxxxxxxxxxxxxxxxxx";
        for run in &runs {
            for (pad, lead) in
                [(0, 0), (3, 0), (8, 0), (13, 0), (0, 12), (5, 14), (0, 16), (2, 28), (0, 33)]
            {
                for tail in [&b""[..], b"<B>", long_tag, b"xxxxxxxxxxxxxxxxxxxxxxx"] {
                    let mut src = vec![b'x'; pad];
                    src.resize(pad + lead, b'a');
                    src.extend_from_slice(run);
                    src.extend_from_slice(tail);
                    let (end, scan) = scan_value(&src, pad);
                    let rest = &src[pad..];
                    let lt = pad + rest.iter().position(|&b| b == b'<').unwrap_or(rest.len());
                    assert_eq!(end, lt, "{src:?}");
                    let raw = &src[pad..lt];
                    let trimmed = raw.trim_ascii();
                    let before = &raw[..raw.len() - raw.trim_ascii_start().len()];
                    // `Other` is always right (the builder reads the text in full); the
                    // fast answers must be exact, and are given for every text with no
                    // space around its value.
                    let spaced = raw.first() == Some(&b' ')
                        || raw.get(before.len() + trimmed.len()) == Some(&b' ');
                    // `&` aside, what `plain_text` accepts.
                    let without_amp: Vec<u8> =
                        trimmed.iter().map(|&b| if b == b'&' { b'a' } else { b }).collect();
                    let fast = !trimmed.is_empty() && before.is_empty() && !spaced;
                    let value = pad..pad + trimmed.len();
                    let expect = if trimmed.is_empty() && !raw.starts_with(b" ") {
                        ValueScan::Blank
                    } else if fast && plain_text(trimmed) {
                        ValueScan::Plain { start: value.start, end: value.end }
                    } else if fast && plain_text(&without_amp) {
                        ValueScan::Amp { start: value.start, end: value.end }
                    } else {
                        ValueScan::Other
                    };
                    assert_eq!(scan, expect, "{src:?}");
                }
            }
        }
    }

    #[test]
    fn a_tag_read_whole_packs_its_name_as_the_name_alone_packs() {
        // The token loop looks names up with `packed_tag`'s key; the table is filled with
        // `packed_name`'s: they must be the same key for every name length the tag reader
        // takes, and none for an empty name or a `>` beyond the 16 bytes.
        let name = "ABCDEFGHIJKLMNOP";
        for len in 1..=15 {
            for closing in [false, true] {
                let tag =
                    format!("<{}{}>0123456789abcdef", if closing { "/" } else { "" }, &name[..len]);
                let at = 1 + usize::from(closing);
                let (end_tag, key, after) = crate::sgml::packed_tag(tag.as_bytes(), 0).unwrap();
                assert_eq!(end_tag, closing);
                assert_eq!(Some(key), packed_name(tag.as_bytes(), at, len), "len {len}");
                assert_eq!(after, at + len + 1);
            }
        }
        assert_eq!(crate::sgml::packed_tag(b"<>0123456789abcdefgh", 0), None);
        assert_eq!(crate::sgml::packed_tag(b"<ABCDEFGHIJKLMNOPQ>0123", 0), None);
    }

    #[test]
    fn the_packed_table_keeps_every_name_up_to_its_capacity() {
        // Names that collide in a direct-mapped table of this size are all found, and the
        // table stops taking names at half its size (lookups of others end at a free slot).
        let mut names = Names::new(Vocabulary::Ofx, u32::MAX);
        let text: String = (0..700).map(|i| format!("N{i:05}                ")).collect();
        let src = text.as_bytes();
        let key = |i: usize| packed_name(src, i * 22, 6).unwrap();
        for i in 0..700 {
            names.packed_remember(key(i), i as u16);
        }
        for i in 0..700 {
            let expect = (i < PACKED_MAX).then_some(i as u16);
            assert_eq!(names.packed_lookup(key(i)), expect, "name {i}");
        }
        assert_eq!(names.packed_lookup(packed_name(b"OTHER                ", 0, 5).unwrap()), None);
    }

    #[test]
    fn packed_name_keeps_exactly_the_name_bytes() {
        let src = b"<ABCDEFGHIJKLMNOPQ>0123456789abcdef";
        for len in 1..=16 {
            let (lo, hi) = packed_name(src, 1, len).unwrap();
            let mut bytes = lo.to_le_bytes().to_vec();
            bytes.extend(hi.to_le_bytes());
            assert_eq!(&bytes[..len], &src[1..1 + len], "len {len}");
            if len < 16 {
                assert!(bytes[len..15].iter().all(|&b| b == 0), "len {len}");
                assert_eq!(bytes[15], len as u8, "len {len}");
            }
        }
        assert_eq!(packed_name(src, 1, 17), None);
        assert_eq!(packed_name(src, 1, 0), None);
        assert_eq!(packed_name(src, src.len() - 8, 3), None, "fewer than 16 bytes left");
    }

    #[test]
    fn plain_text_agrees_with_the_byte_table() {
        for b in 0..=255u8 {
            let text = [b'a', b, b'c', b'd', b'e', b'f', b'g', b'h', b'i'];
            let by_table = text.iter().all(|&c| BYTE_CLASS[c as usize] == 0 && c >= 0x20);
            assert_eq!(plain_text(&text), by_table, "byte {b:#x}");
            for len in 1..=text.len() {
                let by_table =
                    text[..len].iter().all(|&c| BYTE_CLASS[c as usize] == 0 && c >= 0x20);
                // Short texts are read through the word at their start in a longer source,
                // whose next bytes are all special.
                let src: Vec<u8> =
                    text[..len].iter().chain(b"\0&\x80\x01<<<<<<<").copied().collect();
                assert_eq!(plain_span(&src, 0, len), by_table, "byte {b:#x}, len {len}");
                assert_eq!(plain_text(&text[..len]), by_table, "byte {b:#x}, len {len}");
            }
        }
    }
}
