//! A reader for the OFX 2.2 XML Schema set: the part of XSD those files use.
//!
//! From the entry schema it follows `xsd:include` (each file once), then walks from the
//! global elements (`OFX`) through every element declaration reachable, resolving:
//!
//! - `complexType` content: `sequence`, `choice`, `all`, `element` (`name` + `type`, inline
//!   type, or `ref`), `group ref`, `minOccurs`/`maxOccurs`;
//! - `complexContent` with `extension` (the base type's content, then the extension's: how the
//!   abstract `AbstractSyncRequest`, `AbstractTransactionResponse`, … give their concrete
//!   types their leading children) or `restriction` (the restriction's content alone);
//! - `simpleType` restrictions: the value type is the simple type's name, and `enumeration`
//!   facets (or the base type's) are the enumerated values.
//!
//! XSD declares elements locally, by type, so one name can have different types in
//! different parents (`ADDR1` is `AddressType` in most places and `EncryptedContentA256` in
//! one). The tables are keyed by name, so such a name gets the union: a leaf keeps its most
//! used type and the union of the enumerations; an aggregate gets a choice of its distinct
//! content models. Each such merge is listed in the generator's notes.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::path::Path;

use quick_xml::events::{BytesStart, Event};

use crate::schema::{Content, Element, Particle, Schema};

/// An element of the schema document (a tiny DOM).
#[derive(Debug, PartialEq)]
struct Node {
    /// Local name (`complexType`).
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<Node>,
}

impl Node {
    fn attr(&self, key: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// Child elements, without annotations.
    fn parts(&self) -> impl Iterator<Item = &Node> {
        self.children.iter().filter(|c| c.name != "annotation")
    }
}

/// `ofx:Name` → (`ofx`, `Name`).
fn qname(value: &str) -> (&str, &str) {
    value.split_once(':').unwrap_or(("", value))
}

fn unescape(raw: &[u8]) -> Result<String, String> {
    let text = std::str::from_utf8(raw).map_err(|e| e.to_string())?;
    Ok(text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&"))
}

fn node_of(start: &BytesStart<'_>) -> Result<Node, String> {
    let name =
        std::str::from_utf8(start.local_name().as_ref()).map_err(|e| e.to_string())?.to_owned();
    let mut attrs = Vec::new();
    for attr in start.attributes() {
        let attr = attr.map_err(|e| e.to_string())?;
        let key = std::str::from_utf8(attr.key.local_name().as_ref())
            .map_err(|e| e.to_string())?
            .to_owned();
        attrs.push((key, unescape(&attr.value)?));
    }
    Ok(Node { name, attrs, children: Vec::new() })
}

/// Parses one schema file into its root node.
fn parse_file(label: &str, text: &str) -> Result<Node, String> {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut stack: Vec<Node> = Vec::new();
    loop {
        let at = reader.buffer_position();
        let event = reader.read_event().map_err(|e| format!("{label}: byte {at}: {e}"))?;
        match event {
            Event::Start(start) => stack.push(node_of(&start)?),
            Event::Empty(start) => {
                let node = node_of(&start)?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(node),
                    None => return Ok(node),
                }
            }
            Event::End(_) => {
                let node = stack.pop().ok_or_else(|| format!("{label}: unbalanced end tag"))?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(node),
                    None => return Ok(node),
                }
            }
            Event::Eof => return Err(format!("{label}: no root element")),
            _ => {}
        }
    }
}

/// Reads the schema set whose entry file is `dir/entry`.
pub fn read(dir: &Path, entry: &str) -> Result<Schema, String> {
    // Load the include closure, breadth first, each file once.
    let mut files: Vec<(String, Node)> = Vec::new();
    let mut queue = VecDeque::from([entry.to_owned()]);
    let mut seen = HashSet::new();
    while let Some(name) = queue.pop_front() {
        if !seen.insert(name.clone()) {
            continue;
        }
        let path = dir.join(&name);
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let root = parse_file(&name, &text)?;
        if root.name != "schema" {
            return Err(format!("{name}: the root is <{}>, not <schema>", root.name));
        }
        for child in &root.children {
            match child.name.as_str() {
                "include" => {
                    let location = child
                        .attr("schemaLocation")
                        .ok_or(format!("{name}: include without schemaLocation"))?;
                    queue.push_back(location.to_owned());
                }
                "import" | "redefine" | "override" => {
                    return Err(format!("{name}: xsd:{} is not supported", child.name));
                }
                _ => {}
            }
        }
        files.push((name, root));
    }

    let mut defs = Defs::default();
    for (file, root) in &files {
        for child in root.parts() {
            let Some(name) = child.attr("name") else { continue };
            let map = match child.name.as_str() {
                "complexType" => &mut defs.complex,
                "simpleType" => &mut defs.simple,
                "group" => &mut defs.groups,
                "element" => &mut defs.elements,
                "include" => continue,
                other => return Err(format!("{file}: unsupported top-level xsd:{other}")),
            };
            if let Some(previous) = map.insert(name, child)
                && previous != child
            {
                return Err(format!("{file}: {name} is defined twice, differently"));
            }
        }
    }

    let mut walker = Walker { defs, ..Walker::default() };
    let mut roots: Vec<&Node> = walker.defs.elements.values().copied().collect();
    roots.sort_by_key(|n| n.attr("name"));
    for root in roots {
        walker.enqueue(root)?;
    }
    walker.run()?;
    walker.finish()
}

#[derive(Default)]
struct Defs<'d> {
    complex: HashMap<&'d str, &'d Node>,
    simple: HashMap<&'d str, &'d Node>,
    groups: HashMap<&'d str, &'d Node>,
    elements: HashMap<&'d str, &'d Node>,
}

#[derive(Default)]
struct Walker<'d> {
    defs: Defs<'d>,
    /// Element declarations still to resolve.
    queue: VecDeque<&'d Node>,
    /// Declarations already queued (by address: each declaration site once).
    queued: HashSet<*const Node>,
    /// Complex types resolved so far.
    types: HashMap<String, Content>,
    /// Per element name: its distinct contents in order of discovery, with use counts.
    variants: BTreeMap<String, Vec<(Content, usize)>>,
    enums: BTreeMap<String, Vec<String>>,
    notes: Vec<String>,
}

fn occurs(node: &Node) -> Result<(u32, Option<u32>), String> {
    let min = match node.attr("minOccurs") {
        None => 1,
        Some(v) => v.parse().map_err(|_| format!("bad minOccurs {v:?}"))?,
    };
    let max = match node.attr("maxOccurs") {
        None => Some(1),
        Some("unbounded") => None,
        Some(v) => Some(v.parse().map_err(|_| format!("bad maxOccurs {v:?}"))?),
    };
    Ok((min, max))
}

impl<'d> Walker<'d> {
    fn enqueue(&mut self, decl: &'d Node) -> Result<(), String> {
        if self.queued.insert(decl as *const Node) {
            self.queue.push_back(decl);
        }
        Ok(())
    }

    fn run(&mut self) -> Result<(), String> {
        while let Some(decl) = self.queue.pop_front() {
            let name = decl.attr("name").ok_or("element without a name")?;
            let content = self.element_content(decl).map_err(|e| format!("element {name}: {e}"))?;
            let variants = self.variants.entry(name.to_owned()).or_default();
            match variants.iter_mut().find(|(c, _)| *c == content) {
                Some((_, count)) => *count += 1,
                None => variants.push((content, 1)),
            }
        }
        Ok(())
    }

    /// The content of an element declaration: by `type`, or by its inline type.
    fn element_content(&mut self, decl: &'d Node) -> Result<Content, String> {
        if let Some(ty) = decl.attr("type") {
            return self.named_type(ty);
        }
        for part in decl.parts() {
            match part.name.as_str() {
                "simpleType" => {
                    let owner = decl.attr("name").unwrap_or("anonymous");
                    return self.simple_type(None, owner, part);
                }
                "complexType" => return self.complex_type(part),
                _ => {}
            }
        }
        let name = decl.attr("name").unwrap_or_default();
        self.notes.push(format!("OFX 2.2: {name} has no type (anyType); read as a leaf"));
        Ok(Content::Text { value_type: "anyType".to_owned(), enum_key: None })
    }

    fn named_type(&mut self, ty: &str) -> Result<Content, String> {
        let (prefix, local) = qname(ty);
        if prefix == "xsd" || prefix == "xs" {
            return Ok(Content::Text { value_type: local.to_owned(), enum_key: None });
        }
        if let Some(&simple) = self.defs.simple.get(local) {
            return self.simple_type(Some(local), local, simple);
        }
        if let Some(content) = self.types.get(local) {
            return Ok(content.clone());
        }
        let complex = *self.defs.complex.get(local).ok_or_else(|| format!("unknown type {ty}"))?;
        let content = self.complex_type(complex).map_err(|e| format!("type {local}: {e}"))?;
        self.types.insert(local.to_owned(), content.clone());
        Ok(content)
    }

    /// A leaf: the named simple type (or an anonymous one in the declaration of element
    /// `owner`: its value type is its base's name), and its enumeration, inherited from the
    /// base type when it has none itself.
    fn simple_type(
        &mut self,
        name: Option<&str>,
        owner: &str,
        node: &'d Node,
    ) -> Result<Content, String> {
        let restriction = node
            .parts()
            .find(|p| p.name == "restriction")
            .ok_or("a simpleType without restriction (list/union) is not supported")?;
        let base = restriction.attr("base").map(|b| qname(b).1).unwrap_or("string");
        let values: Vec<String> = restriction
            .parts()
            .filter(|p| p.name == "enumeration")
            .filter_map(|p| p.attr("value").map(str::to_owned))
            .collect();
        let value_type = name.unwrap_or(base).to_owned();
        if !values.is_empty() {
            let key = match name {
                Some(name) => name.to_owned(),
                None => format!("{owner} (anonymous type)"),
            };
            self.enums.entry(key.clone()).or_insert(values);
            return Ok(Content::Text { value_type, enum_key: Some(key) });
        }
        // No facets of its own: inherit the base's enumeration, if any.
        if let Some(&base_node) = self.defs.simple.get(base)
            && let Content::Text { enum_key, .. } = self.simple_type(Some(base), base, base_node)?
        {
            return Ok(Content::Text { value_type, enum_key });
        }
        Ok(Content::Text { value_type, enum_key: None })
    }

    fn complex_type(&mut self, node: &'d Node) -> Result<Content, String> {
        if node.attr("mixed") == Some("true") {
            return Err("mixed content is not supported".to_owned());
        }
        let mut model: Option<Particle> = None;
        for part in node.parts() {
            match part.name.as_str() {
                "sequence" | "choice" | "all" | "group" => model = self.particle(part)?,
                "complexContent" => {
                    let derivation = part.parts().next().ok_or("empty complexContent")?;
                    let own = derivation
                        .parts()
                        .map(|p| self.particle(p))
                        .find_map(|p| p.transpose())
                        .transpose()?;
                    model = match derivation.name.as_str() {
                        "extension" => {
                            let base = derivation.attr("base").ok_or("extension without base")?;
                            let base = match qname(base) {
                                ("xsd" | "xs", "anyType") => None,
                                _ => match self.named_type(base)? {
                                    Content::Elements(p) => Some(p),
                                    Content::Empty => None,
                                    Content::Text { .. } | Content::Either { .. } => {
                                        return Err(format!(
                                            "complexContent extends simple type {base}"
                                        ));
                                    }
                                },
                            };
                            match (base, own) {
                                (Some(base), Some(own)) => Some(concat(base, own)),
                                (base, own) => base.or(own),
                            }
                        }
                        "restriction" => own,
                        other => return Err(format!("unsupported complexContent/{other}")),
                    };
                }
                "simpleContent" => {
                    let derivation = part.parts().next().ok_or("empty simpleContent")?;
                    let base = derivation.attr("base").ok_or("simpleContent without base")?;
                    return self.named_type(base);
                }
                "attribute" | "attributeGroup" | "anyAttribute" => {}
                other => return Err(format!("unsupported complexType/{other}")),
            }
        }
        Ok(Content::Elements(model.unwrap_or(Particle::Seq(Vec::new()))))
    }

    /// A particle node, with its occurrence range; `None` when it can match nothing at all
    /// (an empty group, `maxOccurs="0"`).
    fn particle(&mut self, node: &'d Node) -> Result<Option<Particle>, String> {
        let (min, max) = occurs(node)?;
        let particle = match node.name.as_str() {
            "element" => {
                let decl = match node.attr("ref") {
                    Some(r) => *self
                        .defs
                        .elements
                        .get(qname(r).1)
                        .ok_or_else(|| format!("unknown element {r}"))?,
                    None => node,
                };
                let name = decl.attr("name").ok_or("element without a name")?;
                self.enqueue(decl)?;
                Particle::Elem(name.to_owned())
            }
            "sequence" | "choice" | "all" => {
                let mut items = Vec::new();
                for part in node.parts() {
                    if let Some(p) = self.particle(part)? {
                        items.push(p);
                    }
                }
                match (items.len(), node.name.as_str()) {
                    (0, _) => return Ok(None),
                    (1, _) => items.pop().ok_or("empty group")?,
                    (_, "sequence") => Particle::Seq(items),
                    (_, "choice") => Particle::Choice(items),
                    _ => Particle::All(items),
                }
            }
            "group" => {
                let r = node.attr("ref").ok_or("group without ref")?;
                let group = *self
                    .defs
                    .groups
                    .get(qname(r).1)
                    .ok_or_else(|| format!("unknown group {r}"))?;
                let body = group.parts().next().ok_or_else(|| format!("empty group {r}"))?;
                match self.particle(body)? {
                    Some(p) => p,
                    None => return Ok(None),
                }
            }
            "any" => return Err("xsd:any is not supported".to_owned()),
            other => return Err(format!("unsupported particle xsd:{other}")),
        };
        Ok(particle.occurs(min, max))
    }

    /// Merges each name's variants into one element.
    fn finish(self) -> Result<Schema, String> {
        let mut schema = Schema { enums: self.enums, notes: self.notes, ..Schema::default() };
        for (name, variants) in self.variants {
            let content = match variants.as_slice() {
                [] => continue,
                [(content, _)] => content.clone(),
                _ => merge(&name, &variants, &mut schema)?,
            };
            schema.elements.insert(name, Element { content, minimization: None });
        }
        let used: HashSet<String> = schema
            .elements
            .values()
            .filter_map(|e| match &e.content {
                Content::Text { enum_key: Some(k), .. }
                | Content::Either { enum_key: Some(k), .. } => Some(k.clone()),
                _ => None,
            })
            .collect();
        schema.enums.retain(|k, _| used.contains(k));
        Ok(schema)
    }
}

/// `base` then `own`, flattening sequences.
fn concat(base: Particle, own: Particle) -> Particle {
    let mut items = match base {
        Particle::Seq(items) => items,
        other => vec![other],
    };
    match own {
        Particle::Seq(more) => items.extend(more),
        other => items.push(other),
    }
    Particle::Seq(items)
}

/// One name declared with different types in different parents.
fn merge(
    name: &str,
    variants: &[(Content, usize)],
    schema: &mut Schema,
) -> Result<Content, String> {
    let describe = |c: &Content| match c {
        Content::Text { value_type, .. } => value_type.clone(),
        Content::Elements(_) => "element content".to_owned(),
        Content::Empty => "empty".to_owned(),
        Content::Either { value_type, .. } => format!("{value_type} or element content"),
    };
    let list = variants
        .iter()
        .map(|(c, n)| format!("{} ×{n}", describe(c)))
        .collect::<Vec<_>>()
        .join(", ");

    // Leaf variants: the most used type (the first found on a tie), the union of the
    // enumerations.
    let mut primary: Option<(&String, usize)> = None;
    let mut keys: Vec<&String> = Vec::new();
    let mut models: Vec<Particle> = Vec::new();
    for (content, count) in variants {
        match content {
            Content::Text { value_type, enum_key } => {
                if primary.is_none_or(|(_, n)| *count > n) {
                    primary = Some((value_type, *count));
                }
                keys.extend(enum_key);
            }
            Content::Elements(model) => models.push(model.clone()),
            Content::Empty => models.push(Particle::Seq(Vec::new())),
            Content::Either { .. } => return Err(format!("{name}: unexpected variant")),
        }
    }
    let enum_key = match keys.as_slice() {
        [] => None,
        [one] => Some((*one).clone()),
        many => {
            let key = many.iter().map(|k| k.as_str()).collect::<Vec<_>>().join("+");
            let mut union: Vec<String> = Vec::new();
            for k in many {
                for v in schema.enums.get(k.as_str()).into_iter().flatten() {
                    if !union.contains(v) {
                        union.push(v.clone());
                    }
                }
            }
            schema.enums.insert(key.clone(), union);
            Some(key)
        }
    };
    let model = match models.len() {
        0 => None,
        1 => models.pop(),
        _ => Some(Particle::Choice(models)),
    };
    Ok(match (primary, model) {
        (Some((value_type, _)), None) => {
            schema.notes.push(format!(
                "OFX 2.2: {name} is a leaf of several types ({list}); kept {value_type}"
            ));
            Content::Text { value_type: value_type.clone(), enum_key }
        }
        (None, Some(model)) => {
            schema.notes.push(format!(
                "OFX 2.2: {name} has several content models ({list}); merged as a choice"
            ));
            Content::Elements(model)
        }
        (Some((value_type, _)), Some(model)) => {
            schema.notes.push(format!(
                "OFX 2.2: {name} is a leaf in some parents, an aggregate in others ({list})"
            ));
            Content::Either { value_type: value_type.clone(), enum_key, model }
        }
        (None, None) => return Err(format!("{name}: no variants")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema_of(files: &[(&str, &str)]) -> Schema {
        let dir = std::env::temp_dir().join(format!("xtask-xsd-test-{}", std::process::id()));
        let dir = dir.join(files[0].0.replace('.', "_"));
        std::fs::create_dir_all(&dir).unwrap();
        for (name, text) in files {
            std::fs::write(dir.join(name), text).unwrap();
        }
        let schema = read(&dir, files[0].0).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        schema
    }

    const HEAD: &str = r#"<?xml version="1.0"?><xsd:schema xmlns:ofx="http://ofx.net/types/2003/04" xmlns:xsd="http://www.w3.org/2001/XMLSchema">"#;

    #[test]
    fn extension_include_group_and_enums() {
        let main = format!(
            r#"{HEAD}<xsd:include schemaLocation="b.xsd"/>
            <xsd:element name="ROOT" type="ofx:Sync"/>
            <xsd:complexType name="Sync"><xsd:complexContent><xsd:extension base="ofx:Abstract">
              <xsd:sequence><xsd:group ref="ofx:G" maxOccurs="unbounded"/>
              <xsd:element name="LIST" type="ofx:List" minOccurs="0"/></xsd:sequence>
            </xsd:extension></xsd:complexContent></xsd:complexType>
            <xsd:complexType name="List"><xsd:sequence>
              <xsd:element name="IMG" type="xsd:string" minOccurs="0" maxOccurs="2"/>
            </xsd:sequence></xsd:complexType>
            </xsd:schema>"#
        );
        let b = format!(
            r#"{HEAD}<xsd:complexType name="Abstract" abstract="true"><xsd:sequence>
              <xsd:element name="TRNUID" type="ofx:Id"/>
              <xsd:element name="KIND" type="ofx:KindEnum"/>
            </xsd:sequence></xsd:complexType>
            <xsd:group name="G"><xsd:annotation/><xsd:choice>
              <xsd:element name="A" type="ofx:Id"/><xsd:element name="B" type="ofx:Sub"/>
            </xsd:choice></xsd:group>
            <xsd:simpleType name="Id"><xsd:restriction base="xsd:string"><xsd:maxLength value="3"/></xsd:restriction></xsd:simpleType>
            <xsd:simpleType name="KindEnum"><xsd:restriction base="xsd:string">
              <xsd:enumeration value="X"/><xsd:enumeration value="Y"/></xsd:restriction></xsd:simpleType>
            <xsd:simpleType name="Sub"><xsd:restriction base="ofx:KindEnum"/></xsd:simpleType>
            </xsd:schema>"#
        );
        let schema = schema_of(&[("main.xsd", &main), ("b.xsd", &b)]);
        let e = |n: &str| Particle::Elem(n.to_owned());
        assert_eq!(
            schema.elements["ROOT"].content,
            Content::Elements(Particle::Seq(vec![
                e("TRNUID"),
                e("KIND"),
                Particle::Plus(Box::new(Particle::Choice(vec![e("A"), e("B")]))),
                Particle::Opt(Box::new(e("LIST"))),
            ]))
        );
        assert_eq!(
            schema.elements["LIST"].content,
            Content::Elements(Particle::Repeat {
                min: 0,
                max: Some(2),
                particle: Box::new(e("IMG"))
            })
        );
        assert_eq!(
            schema.elements["TRNUID"].content,
            Content::Text { value_type: "Id".into(), enum_key: None }
        );
        assert_eq!(
            schema.elements["B"].content,
            Content::Text { value_type: "Sub".into(), enum_key: Some("KindEnum".into()) }
        );
        assert_eq!(schema.enums["KindEnum"], ["X", "Y"]);
        assert_eq!(
            schema.elements["IMG"].content,
            Content::Text { value_type: "string".into(), enum_key: None }
        );
    }
}
