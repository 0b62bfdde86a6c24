//! The shapes of the generated tables: element definitions and content-model particles.

use std::fmt;

/// One element a specification declares.
///
/// The tables in this crate hold one `ElementDef` per element name and profile; look one up
/// with [`Profile::element`](crate::Profile::element).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ElementDef {
    pub(crate) name: &'static str,
    pub(crate) content: Content,
    pub(crate) minimization: Option<Minimization>,
}

impl ElementDef {
    /// A leaf (character data) of the given value type, with its enumerated values.
    pub(crate) const fn leaf(
        name: &'static str,
        value_type: &'static str,
        enum_values: &'static [&'static str],
        minimization: Option<Minimization>,
    ) -> Self {
        Self { name, content: Content::Text { value_type, enum_values }, minimization }
    }

    /// An aggregate with the given content model.
    pub(crate) const fn aggregate(
        name: &'static str,
        model: Particle,
        minimization: Option<Minimization>,
    ) -> Self {
        Self { name, content: Content::Elements(model), minimization }
    }

    /// A name that is a leaf in some parents and an aggregate in others.
    pub(crate) const fn either(
        name: &'static str,
        value_type: &'static str,
        enum_values: &'static [&'static str],
        model: Particle,
        minimization: Option<Minimization>,
    ) -> Self {
        Self {
            name,
            content: Content::TextOrElements { value_type, enum_values, model },
            minimization,
        }
    }

    /// An element declared `EMPTY`.
    #[allow(dead_code, reason = "the generator's form for EMPTY; the current DTDs have none")]
    pub(crate) const fn empty(name: &'static str, minimization: Option<Minimization>) -> Self {
        Self { name, content: Content::Empty, minimization }
    }

    /// The element's name, upper case as the specification spells it.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// What the element may contain.
    pub fn content(&self) -> &Content {
        &self.content
    }

    /// Is this a leaf, an element that holds character data (a value) and no children?
    pub fn is_leaf(&self) -> bool {
        matches!(self.content, Content::Text { .. })
    }

    /// The name of a leaf's value type as the specification spells it: the DTD parameter
    /// entity (`AMTTYPE`, `DTTMTYPE`, `NUMSTR`, `CURRENCYENUM`) or the XSD simple type
    /// (`AmountType`, `DateTimeType`, `CurrencyEnum`; `string` for an anonymous one).
    /// `None` for an aggregate.
    pub fn value_type(&self) -> Option<&'static str> {
        match self.content {
            Content::Text { value_type, .. } | Content::TextOrElements { value_type, .. } => {
                Some(value_type)
            }
            Content::Elements(_) | Content::Empty => None,
        }
    }

    /// The values a leaf may take, when the specification enumerates them (an XSD
    /// enumeration, or a DTD `#Enum(...)` annotation); empty otherwise.
    pub fn enum_values(&self) -> &'static [&'static str] {
        match self.content {
            Content::Text { enum_values, .. } | Content::TextOrElements { enum_values, .. } => {
                enum_values
            }
            Content::Elements(_) | Content::Empty => &[],
        }
    }

    /// An aggregate's content model; `None` for a leaf or an `EMPTY` element.
    pub fn content_model(&self) -> Option<&Particle> {
        match &self.content {
            Content::Elements(model) | Content::TextOrElements { model, .. } => Some(model),
            Content::Text { .. } | Content::Empty => None,
        }
    }

    /// The SGML tag minimization the DTD declares; `None` for the XML profiles (OFX 2.0.1
    /// DTD and OFX 2.2 XSD), where both tags are always required.
    pub fn minimization(&self) -> Option<Minimization> {
        self.minimization
    }

    /// May the end tag be omitted (SGML `- o`, `o o`)? Always `false` in the XML profiles.
    pub fn end_tag_omissible(&self) -> bool {
        self.minimization.is_some_and(|m| m.end_tag_omissible)
    }

    /// Names that every valid instance contains at least once (in model order).
    pub fn required_children(&self) -> Vec<&'static str> {
        let Some(model) = self.content_model() else { return Vec::new() };
        let mut names = model.names();
        names.retain(|name| model.min_count(name) > 0);
        names
    }
}

/// What an element may contain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Content {
    /// Character data: a leaf.
    Text {
        /// The value type's name (see [`ElementDef::value_type`]).
        value_type: &'static str,
        /// Enumerated values, in specification order; empty when not enumerated.
        enum_values: &'static [&'static str],
    },
    /// Child elements, as the content model says.
    Elements(Particle),
    /// Either character data or child elements: a name the specification declares as a leaf
    /// in some parents and as an aggregate in others (in the OFX 2.2 schema, `LOANRATE` is
    /// a rate in `DEBTINFO` and an aggregate in the loan messages). A list of children is
    /// checked against `model`; no children is the leaf.
    TextOrElements {
        /// The leaf's value type.
        value_type: &'static str,
        /// The leaf's enumerated values; empty when not enumerated.
        enum_values: &'static [&'static str],
        /// The aggregate's content model.
        model: Particle,
    },
    /// Declared `EMPTY`: neither text nor children.
    Empty,
}

/// SGML tag minimization flags of an element declaration (`- -`, `- o`, `o o`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Minimization {
    /// The start tag may be omitted (first flag `o`).
    pub start_tag_omissible: bool,
    /// The end tag may be omitted (second flag `o`).
    pub end_tag_omissible: bool,
}

impl Minimization {
    /// `- -`: both tags required.
    pub(crate) const NONE: Option<Self> =
        Some(Self { start_tag_omissible: false, end_tag_omissible: false });
    /// `- o`: the end tag may be omitted.
    pub(crate) const END: Option<Self> =
        Some(Self { start_tag_omissible: false, end_tag_omissible: true });
    /// `o -`: the start tag may be omitted.
    #[allow(dead_code, reason = "the generator's form for `o -`; the current DTDs have none")]
    pub(crate) const START: Option<Self> =
        Some(Self { start_tag_omissible: true, end_tag_omissible: false });
    /// `o o`: both tags may be omitted.
    pub(crate) const BOTH: Option<Self> =
        Some(Self { start_tag_omissible: true, end_tag_omissible: true });
}

/// A content-model particle: a static tree of sequences, choices and repetitions over
/// element names, as declared (groups of one are unwrapped, nothing else is simplified).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Particle {
    /// One child element, by name.
    Elem(&'static str),
    /// All of these, in this order (DTD `,`, XSD `sequence`).
    Seq(&'static [Particle]),
    /// Exactly one of these (DTD `|`, XSD `choice`).
    Choice(&'static [Particle]),
    /// All of these, in any order (SGML `&`, XSD `all`).
    All(&'static [Particle]),
    /// Zero or one (`?`, `minOccurs="0"`).
    Opt(&'static Particle),
    /// Zero or more (`*`, `minOccurs="0" maxOccurs="unbounded"`).
    Star(&'static Particle),
    /// One or more (`+`, `maxOccurs="unbounded"`).
    Plus(&'static Particle),
    /// Between `min` and `max` occurrences (`None`: unbounded): other XSD bounds, such as
    /// `maxOccurs="2"`.
    Repeat {
        /// Fewest occurrences.
        min: u32,
        /// Most occurrences; `None` for unbounded.
        max: Option<u32>,
        /// What repeats.
        particle: &'static Particle,
    },
}

impl Particle {
    /// Every element name the particle mentions, once each, in model order.
    pub fn names(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        self.collect_names(&mut out);
        out
    }

    fn collect_names(&self, out: &mut Vec<&'static str>) {
        match self {
            Particle::Elem(name) => {
                if !out.contains(name) {
                    out.push(name);
                }
            }
            Particle::Seq(items) | Particle::Choice(items) | Particle::All(items) => {
                for item in *items {
                    item.collect_names(out);
                }
            }
            Particle::Opt(p) | Particle::Star(p) | Particle::Plus(p) => p.collect_names(out),
            Particle::Repeat { particle, .. } => particle.collect_names(out),
        }
    }

    /// Does the particle mention `name`?
    pub fn allows(&self, name: &str) -> bool {
        match self {
            Particle::Elem(n) => *n == name,
            Particle::Seq(items) | Particle::Choice(items) | Particle::All(items) => {
                items.iter().any(|p| p.allows(name))
            }
            Particle::Opt(p) | Particle::Star(p) | Particle::Plus(p) => p.allows(name),
            Particle::Repeat { particle, .. } => particle.allows(name),
        }
    }

    /// The fewest times `name` occurs in any valid instance (0 for optional or absent).
    pub fn min_count(&self, name: &str) -> u32 {
        match self {
            Particle::Elem(n) => u32::from(*n == name),
            Particle::Seq(items) | Particle::All(items) => {
                items.iter().fold(0u32, |acc, p| acc.saturating_add(p.min_count(name)))
            }
            Particle::Choice(items) => items.iter().map(|p| p.min_count(name)).min().unwrap_or(0),
            Particle::Opt(_) | Particle::Star(_) => 0,
            Particle::Plus(p) => p.min_count(name),
            Particle::Repeat { min, particle, .. } => particle.min_count(name).saturating_mul(*min),
        }
    }

    /// The most times `name` may occur; `None` when unbounded.
    pub fn max_count(&self, name: &str) -> Option<u32> {
        match self {
            Particle::Elem(n) => Some(u32::from(*n == name)),
            Particle::Seq(items) | Particle::All(items) => {
                items.iter().try_fold(0u32, |acc, p| Some(acc.saturating_add(p.max_count(name)?)))
            }
            Particle::Choice(items) => {
                items.iter().try_fold(0u32, |acc, p| Some(acc.max(p.max_count(name)?)))
            }
            Particle::Opt(p) => p.max_count(name),
            Particle::Star(p) | Particle::Plus(p) => match p.max_count(name)? {
                0 => Some(0),
                _ => None,
            },
            Particle::Repeat { max, particle, .. } => match (particle.max_count(name)?, max) {
                (0, _) => Some(0),
                (n, Some(max)) => Some(n.saturating_mul(*max)),
                (_, None) => None,
            },
        }
    }

    /// Can the particle match no children at all?
    pub fn is_nullable(&self) -> bool {
        match self {
            Particle::Elem(_) => false,
            Particle::Seq(items) | Particle::All(items) => items.iter().all(Particle::is_nullable),
            Particle::Choice(items) => items.iter().any(Particle::is_nullable),
            Particle::Opt(_) | Particle::Star(_) => true,
            Particle::Plus(p) => p.is_nullable(),
            Particle::Repeat { min, particle, .. } => *min == 0 || particle.is_nullable(),
        }
    }
}

/// DTD-like notation: `(CURDEF, BANKACCTFROM, BANKTRANLIST?, LEDGERBAL, ...)`; a bounded
/// repetition is written `X{0,2}`.
impl fmt::Display for Particle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn group(f: &mut fmt::Formatter<'_>, items: &[Particle], sep: &str) -> fmt::Result {
            f.write_str("(")?;
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    f.write_str(sep)?;
                }
                write!(f, "{item}")?;
            }
            f.write_str(")")
        }
        match self {
            Particle::Elem(name) => f.write_str(name),
            Particle::Seq(items) => group(f, items, ", "),
            Particle::Choice(items) => group(f, items, " | "),
            Particle::All(items) => group(f, items, " & "),
            Particle::Opt(p) => write!(f, "{p}?"),
            Particle::Star(p) => write!(f, "{p}*"),
            Particle::Plus(p) => write!(f, "{p}+"),
            Particle::Repeat { min, max: Some(max), particle } => {
                write!(f, "{particle}{{{min},{max}}}")
            }
            Particle::Repeat { min, max: None, particle } => write!(f, "{particle}{{{min},}}"),
        }
    }
}
