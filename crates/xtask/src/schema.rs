//! The generator's intermediate form: what both readers (DTD and XSD) produce and the emitter
//! writes out.

use std::collections::BTreeMap;

/// A content-model particle (owned).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Particle {
    Elem(String),
    Seq(Vec<Particle>),
    Choice(Vec<Particle>),
    All(Vec<Particle>),
    Opt(Box<Particle>),
    Star(Box<Particle>),
    Plus(Box<Particle>),
    Repeat { min: u32, max: Option<u32>, particle: Box<Particle> },
}

impl Particle {
    /// Applies an occurrence range the way a reader sees it (`?`, `*`, `+`, minOccurs and
    /// maxOccurs), without simplifying anything else.
    pub fn occurs(self, min: u32, max: Option<u32>) -> Option<Particle> {
        Some(match (min, max) {
            (_, Some(0)) => return None,
            (1, Some(1)) => self,
            (0, Some(1)) => Particle::Opt(Box::new(self)),
            (0, None) => Particle::Star(Box::new(self)),
            (1, None) => Particle::Plus(Box::new(self)),
            (min, max) => Particle::Repeat { min, max, particle: Box::new(self) },
        })
    }

    /// Every element name the particle mentions, in order, with repeats.
    pub fn visit_names<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            Particle::Elem(name) => out.push(name),
            Particle::Seq(items) | Particle::Choice(items) | Particle::All(items) => {
                for item in items {
                    item.visit_names(out);
                }
            }
            Particle::Opt(p) | Particle::Star(p) | Particle::Plus(p) => p.visit_names(out),
            Particle::Repeat { particle, .. } => particle.visit_names(out),
        }
    }
}

/// What an element may contain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    /// Character data of a named value type, maybe enumerated (key into `Schema::enums`).
    Text { value_type: String, enum_key: Option<String> },
    /// Element content.
    Elements(Particle),
    /// `EMPTY`.
    Empty,
    /// A name that is a leaf in some parents and an aggregate in others (XSD only:
    /// `LOANRATE`).
    Either { value_type: String, enum_key: Option<String>, model: Particle },
}

/// SGML minimization flags: (start tag omissible, end tag omissible).
pub type Minimization = (bool, bool);

/// One declared element.
#[derive(Debug, Clone)]
pub struct Element {
    pub content: Content,
    pub minimization: Option<Minimization>,
}

/// Everything one profile declares.
#[derive(Debug, Default)]
pub struct Schema {
    /// Elements by name (sorted by the map).
    pub elements: BTreeMap<String, Element>,
    /// Enumerations by key (DTD entity name or XSD simple type name).
    pub enums: BTreeMap<String, Vec<String>>,
    /// Things the reader skipped or merged, for the generator's report.
    pub notes: Vec<String>,
}

impl Schema {
    /// Names of leaves, sorted.
    pub fn leaves(&self) -> impl Iterator<Item = &str> {
        self.elements
            .iter()
            .filter(|(_, e)| matches!(e.content, Content::Text { .. }))
            .map(|(n, _)| n.as_str())
    }

    /// Names of aggregates (element content or `EMPTY`), sorted.
    pub fn aggregates(&self) -> impl Iterator<Item = &str> {
        self.elements
            .iter()
            .filter(|(_, e)| matches!(e.content, Content::Elements(_) | Content::Empty))
            .map(|(n, _)| n.as_str())
    }

    /// Names used in a content model that no declaration defines.
    pub fn undeclared(&self) -> Vec<String> {
        let mut missing = Vec::new();
        for element in self.elements.values() {
            if let Content::Elements(model) | Content::Either { model, .. } = &element.content {
                let mut names = Vec::new();
                model.visit_names(&mut names);
                for name in names {
                    if !self.elements.contains_key(name) && !missing.iter().any(|m| m == name) {
                        missing.push(name.to_owned());
                    }
                }
            }
        }
        missing.sort();
        missing
    }
}
