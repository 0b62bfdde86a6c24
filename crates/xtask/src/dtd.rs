//! A small reader for the SGML and XML DTDs of OFC, OFX 1.6 and OFX 2.0.1.
//!
//! It understands what those files use, and says so when it meets anything else:
//!
//! - comment declarations `<!-- ... -->` (read as XML does, up to the first `-->`), and SGML
//!   comments `-- ... --` inside a markup declaration;
//! - annotations inside comments: `<!--#ENTITY % NAME #Enum("A", "B")-->` gives the
//!   enumerated values of the type entity `NAME`; `#Datatype(...)`, `#Link(...)` and
//!   `#version` annotations are recognised and skipped;
//! - the `<!DOCTYPE NAME [` ... `]>` wrapper, processing instructions;
//! - parameter entities `<!ENTITY % NAME "text">` (the first definition wins) and their
//!   references `%NAME;` and `%NAME` (ended by any character that cannot be in a name),
//!   expanded as tokens, recursively; general entities are skipped;
//! - element declarations with one name or a name group `(A, B)`, optional minimization
//!   flags (`- -`, `- o`, `- O`, `o o`), declared content (`EMPTY`, `CDATA`, `RCDATA`) or a
//!   model group with `,` `|` `&`, `?` `*` `+`, nested groups and `#PCDATA`.
//!
//! A model that holds only `#PCDATA` is a leaf; its value type is the parameter entity the
//! declaration referenced (`%AMTTYPE` gives `AMTTYPE`).

use std::collections::HashMap;

use crate::schema::{Content, Element, Minimization, Particle, Schema};

/// Reads one DTD. `sgml` says whether element names are case-folded to upper case
/// (`NAMECASE GENERAL YES`).
pub fn read(label: &str, text: &str, sgml: bool) -> Result<Schema, String> {
    let mut reader =
        Reader { label, text, sgml, entities: HashMap::new(), schema: Schema::default() };
    reader.run()?;
    reader.finish();
    Ok(reader.schema)
}

struct Reader<'a> {
    label: &'a str,
    text: &'a str,
    sgml: bool,
    /// Parameter entities: name → replacement text.
    entities: HashMap<String, String>,
    schema: Schema,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Name(String),
    /// `#NAME` (reserved name), upper case.
    Rni(String),
    Punct(char),
    Literal(String),
}

/// A token and the parameter entities it came through, outermost first.
#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    origin: Vec<String>,
}

/// A model group as written, before it becomes a particle or a leaf.
#[derive(Debug)]
enum Raw {
    PcData { value_type: Option<String> },
    Name(String),
    Group(char, Vec<Raw>),
    Occ(Box<Raw>, char),
}

fn is_name_start(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')
}

impl Reader<'_> {
    fn line_of(&self, pos: usize) -> usize {
        self.text.get(..pos).map_or(0, |s| s.matches('\n').count()) + 1
    }

    fn err(&self, pos: usize, msg: impl std::fmt::Display) -> String {
        format!("{}:{}: {msg}", self.label, self.line_of(pos))
    }

    fn run(&mut self) -> Result<(), String> {
        let text = self.text;
        let mut pos = 0;
        let mut in_subset = false;
        while let Some(rest) = text.get(pos..) {
            let Some(c) = rest.chars().next() else { break };
            if c.is_whitespace() {
                pos += c.len_utf8();
            } else if rest.starts_with("<!--") {
                pos = self.comment_declaration(pos)?;
            } else if rest.starts_with("<?") {
                let end = rest.find('>').ok_or_else(|| self.err(pos, "unclosed `<?`"))?;
                pos += end + 1;
            } else if let Some(after) = rest.strip_prefix("<!") {
                let keyword: String =
                    after.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
                let body_start = pos + 2 + keyword.len();
                let (body, end) = self.declaration_body(body_start)?;
                match keyword.as_str() {
                    "DOCTYPE" => {
                        // `<!DOCTYPE NAME [`: the internal subset follows; the body scan
                        // stopped at `[` in that case.
                        if text.get(end..).is_some_and(|s| s.starts_with('[')) {
                            in_subset = true;
                            pos = end + 1;
                            continue;
                        }
                    }
                    "ENTITY" => self.entity(&body, pos)?,
                    "ELEMENT" => self.element(&body, pos)?,
                    "ATTLIST" | "NOTATION" => {
                        self.schema.notes.push(format!("{}: skipped <!{keyword}>", self.label));
                    }
                    _ => {
                        return Err(self.err(pos, format!("unsupported declaration `<!{keyword}`")));
                    }
                }
                pos = end + 1;
            } else if in_subset && c == ']' {
                let after = rest[1..].trim_start();
                if !after.starts_with('>') {
                    return Err(self.err(pos, "expected `]>`"));
                }
                pos = text.len() - after.len() + 1;
                in_subset = false;
            } else {
                return Err(self.err(pos, format!("unexpected `{c}` outside a declaration")));
            }
        }
        if in_subset {
            return Err(self.err(text.len(), "the DOCTYPE internal subset is not closed"));
        }
        Ok(())
    }

    /// Scans a markup declaration from `start` (just after its keyword) to its closing `>`
    /// (or to `[` for a DOCTYPE), skipping literals and removing `-- comments --`. Returns
    /// the body and the position of the closing character.
    fn declaration_body(&self, start: usize) -> Result<(String, usize), String> {
        let text = self.text;
        let mut body = String::new();
        let mut chars = text.get(start..).unwrap_or_default().char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            match c {
                '>' | '[' => return Ok((body, start + i)),
                '"' | '\'' => {
                    body.push(c);
                    loop {
                        let Some((_, d)) = chars.next() else {
                            return Err(self.err(start, "unclosed literal"));
                        };
                        body.push(d);
                        if d == c {
                            break;
                        }
                    }
                }
                '-' if chars.peek().is_some_and(|&(_, d)| d == '-') => {
                    chars.next();
                    // An SGML comment inside the declaration, up to the next `--`.
                    let mut prev = ' ';
                    loop {
                        let Some((_, d)) = chars.next() else {
                            return Err(self.err(start, "unclosed `--` comment"));
                        };
                        if prev == '-' && d == '-' {
                            break;
                        }
                        prev = d;
                    }
                    body.push(' ');
                }
                _ => body.push(c),
            }
        }
        Err(self.err(start, "unclosed declaration"))
    }

    /// A comment declaration starting at `pos` (at `<!--`); returns the position after it.
    ///
    /// SGML: `<!` then one or more comments `-- ... --` separated by white space, then `>`;
    /// so `<!-- text -- >` is a whole declaration (`ofx160.dtd` has three). XML (and this
    /// reader for the XML DTD): from `<!--` to the first `-->`.
    fn comment_declaration(&mut self, pos: usize) -> Result<usize, String> {
        let text = self.text;
        if !self.sgml {
            let after = text.get(pos + 4..).unwrap_or_default();
            let end = after.find("-->").ok_or_else(|| self.err(pos, "unclosed comment"))?;
            self.annotation(&after[..end], pos)?;
            return Ok(pos + 4 + end + 3);
        }
        let mut at = pos + 2;
        loop {
            let rest = text.get(at..).unwrap_or_default();
            let trimmed = rest.trim_start();
            at += rest.len() - trimmed.len();
            if let Some(after) = trimmed.strip_prefix("--") {
                let end = after.find("--").ok_or_else(|| self.err(pos, "unclosed comment"))?;
                self.annotation(&after[..end], pos)?;
                at += 2 + end + 2;
            } else if trimmed.starts_with('>') {
                return Ok(at + 1);
            } else {
                let c =
                    trimmed.chars().next().map_or("end of file".to_owned(), |c| format!("`{c}`"));
                return Err(self
                    .err(at, format!("{c} in a comment declaration (SGML comments end at `--`)")));
            }
        }
    }

    /// Comment annotations: `#ENTITY % NAME #Enum("A", "B")`.
    fn annotation(&mut self, comment: &str, pos: usize) -> Result<(), String> {
        let comment = comment.trim_start();
        let Some(rest) = comment.strip_prefix("#ENTITY") else { return Ok(()) };
        let rest = rest.trim_start();
        let rest = rest.strip_prefix('%').unwrap_or(rest).trim_start();
        let name: String = rest.chars().take_while(|&c| is_name_char(c)).collect();
        let rest = rest[name.len()..].trim_start();
        let Some(list) = rest.strip_prefix("#Enum(") else { return Ok(()) };
        let end = list.find(')').ok_or_else(|| self.err(pos, "unclosed #Enum("))?;
        let mut values = Vec::new();
        let mut parts = list[..end].split('"');
        // Odd pieces are inside quotes.
        parts.next();
        while let Some(value) = parts.next() {
            values.push(value.to_owned());
            match parts.next() {
                Some(sep) if sep.trim().is_empty() || sep.trim() == "," => {}
                Some(sep) => return Err(self.err(pos, format!("odd separator {sep:?} in #Enum"))),
                None => return Err(self.err(pos, "unbalanced quotes in #Enum")),
            }
        }
        if name.is_empty() || values.is_empty() {
            return Err(self.err(pos, "empty #Enum annotation"));
        }
        self.schema.enums.entry(name).or_insert(values);
        Ok(())
    }

    /// Splits a declaration body into tokens, expanding parameter-entity references.
    fn tokenize(
        &self,
        text: &str,
        origin: &[String],
        pos: usize,
        out: &mut Vec<Token>,
    ) -> Result<(), String> {
        if origin.len() > 32 {
            return Err(self.err(pos, format!("parameter entities nest too deeply: {origin:?}")));
        }
        let mut chars = text.char_indices().peekable();
        let push = |out: &mut Vec<Token>, tok| out.push(Token { tok, origin: origin.to_vec() });
        while let Some((i, c)) = chars.next() {
            if c.is_whitespace() {
                continue;
            }
            let name_at = |start: usize| -> String {
                text[start..].chars().take_while(|&c| is_name_char(c)).collect()
            };
            match c {
                '"' | '\'' => {
                    let rest = &text[i + 1..];
                    let end = rest.find(c).ok_or_else(|| self.err(pos, "unclosed literal"))?;
                    push(out, Tok::Literal(rest[..end].to_owned()));
                    for _ in 0..rest[..end].chars().count() + 1 {
                        chars.next();
                    }
                }
                '%' if chars.peek().is_some_and(|&(_, d)| is_name_start(d)) => {
                    let name = name_at(i + 1);
                    for _ in 0..name.chars().count() {
                        chars.next();
                    }
                    if chars.peek().is_some_and(|&(_, d)| d == ';') {
                        chars.next();
                    }
                    let replacement = self.entities.get(&name).ok_or_else(|| {
                        self.err(pos, format!("undefined parameter entity %{name}"))
                    })?;
                    let mut inner = origin.to_vec();
                    inner.push(name);
                    self.tokenize(replacement, &inner, pos, out)?;
                }
                '#' if chars.peek().is_some_and(|&(_, d)| is_name_start(d)) => {
                    let name = name_at(i + 1);
                    for _ in 0..name.chars().count() {
                        chars.next();
                    }
                    push(out, Tok::Rni(name.to_ascii_uppercase()));
                }
                '(' | ')' | ',' | '|' | '&' | '?' | '*' | '+' | '-' | '%' => {
                    push(out, Tok::Punct(c))
                }
                c if is_name_start(c) => {
                    let name = name_at(i);
                    for _ in 0..name.chars().count() - 1 {
                        chars.next();
                    }
                    push(out, Tok::Name(name));
                }
                _ => return Err(self.err(pos, format!("unexpected `{c}` in a declaration"))),
            }
        }
        Ok(())
    }

    fn entity(&mut self, body: &str, pos: usize) -> Result<(), String> {
        let mut toks = Vec::new();
        self.tokenize(body, &[], pos, &mut toks)?;
        let toks: Vec<Tok> = toks.into_iter().map(|t| t.tok).collect();
        match toks.as_slice() {
            [Tok::Punct('%'), Tok::Name(name), Tok::Literal(value)] => {
                // The first definition of an entity is the one that counts.
                self.entities.entry(name.clone()).or_insert_with(|| value.clone());
                Ok(())
            }
            [Tok::Punct('%'), Tok::Name(name), Tok::Name(kind), ..]
                if kind == "PUBLIC" || kind == "SYSTEM" =>
            {
                self.schema
                    .notes
                    .push(format!("{}: external parameter entity %{name} skipped", self.label));
                Ok(())
            }
            [Tok::Name(_), ..] => Ok(()), // a general entity (`amp`, `lt`, `gt`): not needed
            _ => Err(self.err(pos, format!("unsupported ENTITY declaration: {toks:?}"))),
        }
    }

    fn element(&mut self, body: &str, pos: usize) -> Result<(), String> {
        let mut toks = Vec::new();
        self.tokenize(body, &[], pos, &mut toks)?;
        let mut p = Parser { toks: &toks, at: 0 };

        // Element type: a name or a name group.
        let mut names = Vec::new();
        match p.next() {
            Some(Tok::Name(name)) => names.push(name.clone()),
            Some(Tok::Punct('(')) => loop {
                match p.next() {
                    Some(Tok::Name(name)) => names.push(name.clone()),
                    other => {
                        return Err(self
                            .err(pos, format!("expected a name in a name group, got {other:?}")));
                    }
                }
                match p.next() {
                    Some(Tok::Punct(',' | '|' | '&')) => {}
                    Some(Tok::Punct(')')) => break,
                    other => return Err(self.err(pos, format!("bad name group: {other:?}"))),
                }
            },
            other => return Err(self.err(pos, format!("expected an element name, got {other:?}"))),
        }
        if self.sgml {
            for name in &mut names {
                name.make_ascii_uppercase();
            }
        }

        // Minimization flags.
        let flag = |t: Option<&Tok>| match t {
            Some(Tok::Punct('-')) => Some(false),
            Some(Tok::Name(o)) if o.eq_ignore_ascii_case("o") => Some(true),
            _ => None,
        };
        let minimization: Option<Minimization> = match (flag(p.peek()), flag(p.peek_at(1))) {
            (Some(start), Some(end)) => {
                p.at += 2;
                Some((start, end))
            }
            _ => None,
        };
        if self.sgml && minimization.is_none() {
            self.schema.notes.push(format!(
                "{}: {} has no minimization flags",
                self.label,
                names.join(",")
            ));
        }

        // Declared content or a model group.
        let content = match p.peek() {
            Some(Tok::Name(k)) if k == "EMPTY" => {
                p.at += 1;
                Content::Empty
            }
            Some(Tok::Name(k)) if k == "CDATA" || k == "RCDATA" => {
                p.at += 1;
                Content::Text { value_type: k.clone(), enum_key: None }
            }
            Some(Tok::Punct('(')) => {
                let raw = p.item().map_err(|e| self.err(pos, e))?;
                self.content(raw).map_err(|e| self.err(pos, format!("{}: {e}", names.join(","))))?
            }
            other => return Err(self.err(pos, format!("unsupported content {other:?}"))),
        };

        // Exceptions `-(...)` / `+(...)`: none in the OFX DTDs; skipped if they appear.
        if let Some(Tok::Punct('-' | '+')) = p.peek() {
            self.schema.notes.push(format!(
                "{}: exceptions on {} skipped",
                self.label,
                names.join(",")
            ));
            p.at = toks.len();
        }
        if let Some(t) = p.peek() {
            return Err(self.err(pos, format!("unexpected {t:?} after the content model")));
        }

        for name in names {
            if self.schema.elements.contains_key(&name) {
                self.schema.notes.push(format!(
                    "{}: {name} declared twice; the first declaration kept",
                    self.label
                ));
                continue;
            }
            self.schema.elements.insert(name, Element { content: content.clone(), minimization });
        }
        Ok(())
    }

    fn content(&self, raw: Raw) -> Result<Content, String> {
        fn scan(raw: &Raw, pcdata: &mut Option<Option<String>>, names: &mut bool) {
            match raw {
                Raw::PcData { value_type } => {
                    pcdata.get_or_insert_with(|| value_type.clone());
                }
                Raw::Name(_) => *names = true,
                Raw::Group(_, items) => items.iter().for_each(|i| scan(i, pcdata, names)),
                Raw::Occ(inner, _) => scan(inner, pcdata, names),
            }
        }
        let mut pcdata = None;
        let mut names = false;
        scan(&raw, &mut pcdata, &mut names);
        match (pcdata, names) {
            (Some(value_type), false) => Ok(Content::Text {
                value_type: value_type.unwrap_or_else(|| "PCDATA".to_owned()),
                enum_key: None,
            }),
            (Some(_), true) => {
                Err("mixed content (#PCDATA with elements) is not supported".to_owned())
            }
            (None, _) => Ok(Content::Elements(self.particle(raw)?)),
        }
    }

    fn particle(&self, raw: Raw) -> Result<Particle, String> {
        Ok(match raw {
            Raw::Name(name) => {
                Particle::Elem(if self.sgml { name.to_ascii_uppercase() } else { name })
            }
            Raw::Group(conn, items) => {
                let mut items =
                    items.into_iter().map(|i| self.particle(i)).collect::<Result<Vec<_>, _>>()?;
                if items.len() == 1 {
                    items.pop().ok_or("empty group")?
                } else {
                    match conn {
                        '|' => Particle::Choice(items),
                        '&' => Particle::All(items),
                        _ => Particle::Seq(items),
                    }
                }
            }
            Raw::Occ(inner, occ) => {
                let inner = Box::new(self.particle(*inner)?);
                match occ {
                    '?' => Particle::Opt(inner),
                    '*' => Particle::Star(inner),
                    _ => Particle::Plus(inner),
                }
            }
            Raw::PcData { .. } => return Err("#PCDATA inside element content".to_owned()),
        })
    }

    /// Links leaves to the enumerations their value types carry.
    fn finish(&mut self) {
        for element in self.schema.elements.values_mut() {
            if let Content::Text { value_type, enum_key } = &mut element.content
                && self.schema.enums.contains_key(value_type.as_str())
            {
                *enum_key = Some(value_type.clone());
            }
        }
        // Keep only the enumerations some leaf uses.
        let used: Vec<String> = self
            .schema
            .elements
            .values()
            .filter_map(|e| match &e.content {
                Content::Text { enum_key: Some(k), .. } => Some(k.clone()),
                _ => None,
            })
            .collect();
        self.schema.enums.retain(|k, _| used.contains(k));
    }
}

/// Recursive descent over the tokens of a model group.
struct Parser<'t> {
    toks: &'t [Token],
    at: usize,
}

impl<'t> Parser<'t> {
    fn peek(&self) -> Option<&'t Tok> {
        self.peek_at(0)
    }

    fn peek_at(&self, n: usize) -> Option<&'t Tok> {
        self.toks.get(self.at + n).map(|t| &t.tok)
    }

    fn next(&mut self) -> Option<&'t Tok> {
        let t = self.peek();
        self.at += 1;
        t
    }

    /// `item := ( '(' group ')' | NAME | '#PCDATA' ) ('?' | '*' | '+')?`
    fn item(&mut self) -> Result<Raw, String> {
        let origin = self.toks.get(self.at).map(|t| t.origin.clone()).unwrap_or_default();
        let raw = match self.next() {
            Some(Tok::Punct('(')) => self.group()?,
            Some(Tok::Name(name)) => Raw::Name(name.clone()),
            Some(Tok::Rni(rni)) if rni == "PCDATA" => {
                Raw::PcData { value_type: origin.first().cloned() }
            }
            other => return Err(format!("expected a name or a group, got {other:?}")),
        };
        Ok(match self.peek() {
            Some(Tok::Punct(occ @ ('?' | '*' | '+'))) => {
                self.at += 1;
                Raw::Occ(Box::new(raw), *occ)
            }
            _ => raw,
        })
    }

    /// After `(`: items joined by one kind of connector, then `)`.
    fn group(&mut self) -> Result<Raw, String> {
        let mut items = vec![self.item()?];
        let mut conn = None;
        loop {
            match self.next() {
                Some(Tok::Punct(')')) => break,
                Some(Tok::Punct(c @ (',' | '|' | '&'))) => {
                    if conn.is_some_and(|k| k != *c) {
                        return Err(format!(
                            "mixed connectors `{}` and `{c}` in one group",
                            conn.unwrap_or(*c)
                        ));
                    }
                    conn = Some(*c);
                    items.push(self.item()?);
                }
                other => return Err(format!("expected a connector or `)`, got {other:?}")),
            }
        }
        Ok(Raw::Group(conn.unwrap_or(','), items))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(dtd: &str, name: &str) -> Content {
        let schema = read("test", dtd, true).unwrap();
        schema.elements[name].content.clone()
    }

    fn elem(n: &str) -> Particle {
        Particle::Elem(n.to_owned())
    }

    #[test]
    fn entities_both_reference_forms_and_minimization() {
        let dtd = r#"<!DOCTYPE OFX [
            <!-- a comment with <!ELEMENT X - - (Y)> inside -->
            <!-- an SGML comment declaration -- >
            <!-- two -- -- comments -->
            <!ENTITY % AMTTYPE "(#PCDATA)">
            <!--#ENTITY % AMTTYPE #DataType(N-32)-->
            <!ENTITY % MAC "(A , B?)">
            <!ELEMENT (P, Q) - - (%MAC , C*)>
            <!ELEMENT R - - (%MAC;, (D | E)+) -- an SGML comment -->
            <!ELEMENT A - o %AMTTYPE>
            <!ELEMENT B - O (%AMTTYPE;)>
            <!ELEMENT G o o (A & B)>
            <!ELEMENT H - - EMPTY>
        ]>"#;
        let schema = read("test", dtd, true).unwrap();
        let seq = |v: Vec<Particle>| Particle::Seq(v);
        let mac = seq(vec![elem("A"), Particle::Opt(Box::new(elem("B")))]);
        assert_eq!(
            schema.elements["P"].content,
            Content::Elements(seq(vec![mac.clone(), Particle::Star(Box::new(elem("C")))]))
        );
        assert_eq!(schema.elements["Q"].content, schema.elements["P"].content);
        assert_eq!(
            schema.elements["R"].content,
            Content::Elements(seq(vec![
                mac,
                Particle::Plus(Box::new(Particle::Choice(vec![elem("D"), elem("E")])))
            ]))
        );
        let amt = Content::Text { value_type: "AMTTYPE".into(), enum_key: None };
        assert_eq!(schema.elements["A"].content, amt);
        assert_eq!(schema.elements["B"].content, amt);
        assert_eq!(schema.elements["A"].minimization, Some((false, true)));
        assert_eq!(schema.elements["B"].minimization, Some((false, true)));
        assert_eq!(schema.elements["G"].minimization, Some((true, true)));
        assert_eq!(schema.elements["P"].minimization, Some((false, false)));
        assert_eq!(
            schema.elements["G"].content,
            Content::Elements(Particle::All(vec![elem("A"), elem("B")]))
        );
        assert_eq!(schema.elements["H"].content, Content::Empty);
        assert!(!schema.elements.contains_key("X"));
    }

    #[test]
    fn enum_annotations_attach_to_leaves() {
        let dtd = r#"<!ENTITY % YN "(#PCDATA)">
            <!--#ENTITY % YN		#Enum("Y", "N",
                  "MAYBE")-->
            <!ELEMENT ANSWER %YN;>"#;
        let schema = read("test", dtd, false).unwrap();
        assert_eq!(
            schema.elements["ANSWER"].content,
            Content::Text { value_type: "YN".into(), enum_key: Some("YN".into()) }
        );
        assert_eq!(schema.enums["YN"], ["Y", "N", "MAYBE"]);
        assert_eq!(schema.elements["ANSWER"].minimization, None);
    }

    #[test]
    fn groups_of_one_unwrap_and_empty_entities_vanish() {
        let dtd = r#"<!ENTITY % EXTRA "">
            <!ENTITY % SETS "(A | B %EXTRA)">
            <!ELEMENT L - - (X, (%SETS)+, (Y*))>"#;
        assert_eq!(
            model(dtd, "L"),
            Content::Elements(Particle::Seq(vec![
                elem("X"),
                Particle::Plus(Box::new(Particle::Choice(vec![elem("A"), elem("B")]))),
                Particle::Star(Box::new(elem("Y"))),
            ]))
        );
    }

    #[test]
    fn errors_name_the_line() {
        let err = read("f.dtd", "\n\n<!ELEMENT A - - (%NOPE;)>", true).unwrap_err();
        assert_eq!(err, "f.dtd:3: undefined parameter entity %NOPE");
        let err = read("f.dtd", "<!ELEMENT A - - (B, C | D)>", true).unwrap_err();
        assert!(err.contains("mixed connectors"), "{err}");
        let err = read("f.dtd", "<!ELEMENT A - - (#PCDATA | B)*>", true).unwrap_err();
        assert!(err.contains("mixed content"), "{err}");
    }
}
