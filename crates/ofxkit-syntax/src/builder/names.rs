//! The name table: interned upper-case tag names, their DTD class, and the caches the
//! tokenizer looks tags up in (a packed 16-byte table, then a hashed slot, then the map).

use super::*;

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

/// Interned upper-case tag names with their DTD class.
pub(crate) struct Names {
    pub(super) map: FxHashMap<Box<[u8]>, u16>,
    pub(crate) names: Vec<Box<str>>,
    pub(super) classes: Vec<Class>,
    pub(super) seen_as_leaf: Vec<bool>,
    pub(super) vocabulary: Vocabulary,
    /// What is known of the names (asked once per name, then kept in `classes`).
    pub(super) facts: &'static dyn crate::vocabulary::Vocabulary,
    pub(super) max: u32,
    /// Direct-mapped cache from a cheap hash of the name bytes to a symbol (`u16::MAX` =
    /// empty); verified against the stored name, so a collision only costs a miss.
    pub(super) cache: Box<[u16; CACHE_SIZE]>,
    /// Open-addressed table of upper-case names of up to 16 bytes, keyed by the name packed
    /// into two words (see [`packed_name`]): one hash and two compares, no `memcmp`. Linear
    /// probing, never more than half full, so that two names never evict each other.
    pub(super) packed: Box<[PackedEntry; PACKED_SIZE]>,
    /// Entries in `packed`.
    pub(super) packed_len: usize,
}

pub(super) const CACHE_SIZE: usize = 1024;
pub(super) const PACKED_SIZE: usize = 1024;
/// The most names `packed` holds; others are looked up the slower way.
pub(super) const PACKED_MAX: usize = PACKED_SIZE / 2;

/// A name packed into two little-endian words (see [`packed_name`]), and its symbol. No
/// name packs to all zeros, which marks an empty slot.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct PackedEntry {
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

pub(super) fn packed_slot(lo: u64, hi: u64) -> usize {
    ((lo ^ hi.rotate_left(29)).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 54) as usize % PACKED_SIZE
}

pub(super) fn cache_slot(name: &[u8]) -> usize {
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

impl crate::lex::body::KnownNames for Builder<'_> {
    #[inline(always)]
    fn packed(&self, key: (u64, u64)) -> Option<u16> {
        self.names.packed_lookup(key)
    }

    #[inline(always)]
    fn is_aggregate(&self, sym: u16) -> bool {
        self.names.class(sym) == Class::Aggregate
    }

    #[inline(always)]
    fn is_leaf(&self, sym: u16) -> bool {
        self.names.class(sym) == Class::Leaf
    }
}

impl crate::lex::body::KnownNames for Names {
    #[inline(always)]
    fn packed(&self, key: (u64, u64)) -> Option<u16> {
        self.packed_lookup(key)
    }

    #[inline(always)]
    fn is_aggregate(&self, sym: u16) -> bool {
        self.class(sym) == Class::Aggregate
    }

    #[inline(always)]
    fn is_leaf(&self, sym: u16) -> bool {
        self.class(sym) == Class::Leaf
    }
}

impl Names {
    pub(crate) fn new(vocabulary: Vocabulary, max: u32) -> Self {
        Names {
            map: FxHashMap::default(),
            names: Vec::new(),
            classes: Vec::new(),
            seen_as_leaf: Vec::new(),
            vocabulary,
            facts: crate::vocabulary::of(None),
            max,
            cache: Box::new([u16::MAX; CACHE_SIZE]),
            packed: Box::new([PackedEntry::default(); PACKED_SIZE]),
            packed_len: 0,
        }
    }

    /// The symbol of a name written upper case, from the packed cache.
    #[inline]
    pub(super) fn packed_lookup(&self, (lo, hi): (u64, u64)) -> Option<u16> {
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
    pub(super) fn packed_remember(&mut self, (lo, hi): (u64, u64), sym: u16) {
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
    pub(super) fn cached(&self, name: &[u8]) -> Option<u16> {
        let sym = *self.cache.get(cache_slot(name))?;
        (self.names.get(sym as usize)?.as_bytes() == name).then_some(sym)
    }

    /// Interns an upper-case ASCII name.
    pub(super) fn intern(&mut self, upper: &[u8]) -> Option<u16> {
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
        let dialect = match self.vocabulary {
            Vocabulary::Ofx => crate::vocabulary::Dialect::Ofx,
            Vocabulary::Ofc => crate::vocabulary::Dialect::Ofc,
        };
        let class = match self.facts.class(dialect, &name) {
            crate::vocabulary::NameClass::Leaf => Class::Leaf,
            crate::vocabulary::NameClass::Aggregate => Class::Aggregate,
            crate::vocabulary::NameClass::Unknown => Class::Unknown,
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

    pub(super) fn class(&self, sym: u16) -> Class {
        self.classes.get(sym as usize).copied().unwrap_or(Class::Unknown)
    }

    pub(super) fn name(&self, sym: u16) -> &str {
        self.names.get(sym as usize).map(|n| &**n).unwrap_or_default()
    }
}

impl Names {
    /// Reads the names with what `facts` knows of them (before any name is interned).
    pub(crate) fn set_facts(&mut self, facts: &'static dyn crate::vocabulary::Vocabulary) {
        self.facts = facts;
    }

    /// True when the OFX content models allow `child` in `parent` (vendor elements, with a
    /// `.`, anywhere).
    pub(super) fn allowed_in(&self, parent: &str, child: &str) -> bool {
        child.contains('.') || self.facts.allows(parent, child)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tag_read_whole_packs_its_name_as_the_name_alone_packs() {
        // The body lexer looks names up with `packed_tag`'s key; the table is filled with
        // `packed_name`'s: they must be the same key for every name length the tag reader
        // takes, and none for an empty name or a `>` beyond the 16 bytes.
        let name = "ABCDEFGHIJKLMNOP";
        for len in 1..=15 {
            for closing in [false, true] {
                let tag =
                    format!("<{}{}>0123456789abcdef", if closing { "/" } else { "" }, &name[..len]);
                let at = 1 + usize::from(closing);
                let (end_tag, key, after) =
                    crate::lex::tokenizer::packed_tag(tag.as_bytes(), 0).unwrap();
                assert_eq!(end_tag, closing);
                assert_eq!(Some(key), packed_name(tag.as_bytes(), at, len), "len {len}");
                assert_eq!(after, at + len + 1);
            }
        }
        assert_eq!(crate::lex::tokenizer::packed_tag(b"<>0123456789abcdefgh", 0), None);
        assert_eq!(crate::lex::tokenizer::packed_tag(b"<ABCDEFGHIJKLMNOPQ>0123", 0), None);
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
}
