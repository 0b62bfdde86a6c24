//! An element open on the builder's stack. A module of its own so that the streaming offers
//! (which name the open elements) and the builder share it without importing each other.

/// What an open element has shown so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum State {
    /// No text, no child yet.
    Undecided,
    /// Has text (or is a DTD leaf): the next tag closes it.
    Leaf,
    /// Has children.
    Aggregate,
}

/// An element open on the builder's stack.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Open {
    /// Its node index.
    pub(crate) idx: u32,
    /// Its name's symbol.
    pub(crate) sym: u16,
    pub(crate) state: State,
    /// The sink's finding count when it opened.
    pub(crate) mark: u32,
}
