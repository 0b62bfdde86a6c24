//! Documents made in memory: an owned element tree the writer writes exactly as it writes a
//! file it read (the OFC converter and the builders make these).

use ofxkit_syntax::Span;

/// One element of a document made in memory: a leaf with its text (as it reads, unescaped),
/// or an aggregate with its children.
///
/// ```
/// use ofxkit::write::Node;
/// let status = Node::aggregate("STATUS", vec![Node::leaf("CODE", "0"), Node::leaf("SEVERITY", "INFO")]);
/// assert_eq!(status.child("CODE").and_then(Node::text), Some("0"));
/// assert_eq!(status.children().len(), 2);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    name: String,
    content: Content,
    /// Where it comes from in a source file (for errors).
    span: Option<Span>,
}

/// What a [`Node`] holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    /// A leaf's text.
    Text(String),
    /// An aggregate's children.
    Children(Vec<Node>),
}

impl Node {
    /// A leaf holding `text`.
    pub fn leaf(name: impl Into<String>, text: impl Into<String>) -> Node {
        Node { name: name.into(), content: Content::Text(text.into()), span: None }
    }

    /// An aggregate holding `children`.
    pub fn aggregate(name: impl Into<String>, children: Vec<Node>) -> Node {
        Node { name: name.into(), content: Content::Children(children), span: None }
    }

    /// This node, remembered as coming from `span` of a source file.
    pub(crate) fn at(mut self, span: Span) -> Node {
        self.span = Some(span);
        self
    }

    /// Where it comes from in the source, if it does.
    pub(crate) fn span(&self) -> Option<Span> {
        self.span
    }

    /// The tag name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The text of a leaf; `None` for an aggregate.
    pub fn text(&self) -> Option<&str> {
        match &self.content {
            Content::Text(t) => Some(t),
            Content::Children(_) => None,
        }
    }

    /// The children of an aggregate (none for a leaf).
    pub fn children(&self) -> &[Node] {
        match &self.content {
            Content::Text(_) => &[],
            Content::Children(c) => c,
        }
    }

    /// The first child named `name`.
    pub fn child(&self, name: &str) -> Option<&Node> {
        self.children().iter().find(|c| c.name == name)
    }

    /// What it holds.
    pub fn content(&self) -> &Content {
        &self.content
    }

    /// Appends `child` to an aggregate; a leaf becomes an aggregate (its text is dropped).
    pub fn push(&mut self, child: Node) {
        match &mut self.content {
            Content::Children(c) => c.push(child),
            Content::Text(_) => self.content = Content::Children(vec![child]),
        }
    }

    /// This aggregate with `child` appended (see [`push`](Self::push)).
    pub fn with(mut self, child: Node) -> Node {
        self.push(child);
        self
    }

    /// This aggregate with `name` = `text` appended when `text` is given.
    pub fn with_opt(self, name: &str, text: Option<impl Into<String>>) -> Node {
        match text {
            Some(t) => self.with(Node::leaf(name, t)),
            None => self,
        }
    }
}
