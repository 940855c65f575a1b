//! A spanned value tree shared by `hearth.toml` and front matter (TOML or YAML),
//! and a serde deserializer over it.
//!
//! Why not deserialize straight from the `toml` crate? Contributors need every
//! problem at its real line: type errors at the offending value, unknown keys at
//! the key with the nearest valid name. One tree for both syntaxes gives both
//! the same diagnostics, and the deserializer learns each struct's valid field
//! names from serde itself (`deserialize_struct`), so the lists never drift
//! from the code.

use std::cell::RefCell;
use std::fmt;
use std::ops::Range;

use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

/// A byte range in the source file.
pub type Span = Range<usize>;

/// A value with the byte range it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The value.
    pub kind: NodeKind,
    /// Where it is written.
    pub span: Span,
}

/// The shape of a value; dates stay text until a typed field parses them.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    /// Explicit null (YAML `~`), or an empty front matter.
    Null,
    /// A string.
    Str(String),
    /// An integer.
    Int(i64),
    /// A float.
    Float(f64),
    /// A boolean.
    Bool(bool),
    /// A TOML date or datetime, kept in its written form.
    Datetime(String),
    /// An array.
    Array(Vec<Node>),
    /// A table, in source order.
    Table(Vec<(Key, Node)>),
}

/// A table key with its span.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    /// The key's text.
    pub name: String,
    /// Where the key is written.
    pub span: Span,
}

impl Node {
    /// Looks up a key in a table node.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.kind {
            NodeKind::Table(entries) => entries.iter().find(|(k, _)| k.name == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The entries of a table node (empty for other kinds).
    pub fn entries(&self) -> &[(Key, Node)] {
        match &self.kind {
            NodeKind::Table(e) => e,
            _ => &[],
        }
    }

    /// Shifts every span by `offset` bytes (front matter inside a file).
    pub fn shift(&mut self, offset: usize) {
        self.span = self.span.start + offset..self.span.end + offset;
        match &mut self.kind {
            NodeKind::Array(items) => items.iter_mut().for_each(|n| n.shift(offset)),
            NodeKind::Table(entries) => entries.iter_mut().for_each(|(k, v)| {
                k.span = k.span.start + offset..k.span.end + offset;
                v.shift(offset);
            }),
            _ => {}
        }
    }
}

/// A syntax error with the byte range it concerns.
#[derive(Debug, Clone)]
pub struct SyntaxError {
    /// What the parser said.
    pub message: String,
    /// Where, relative to the parsed text.
    pub span: Span,
}

/// Parses TOML text into a spanned tree, collecting every syntax error.
pub fn parse_toml(text: &str) -> Result<Node, Vec<SyntaxError>> {
    let (table, errors) = toml::de::DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        return Err(errors
            .into_iter()
            .map(|e| SyntaxError {
                message: first_line(e.message()),
                span: e.span().unwrap_or(0..0),
            })
            .collect());
    }
    let span = table.span();
    Ok(Node {
        kind: toml_table(table.into_inner()),
        span,
    })
}

fn first_line(s: &str) -> String {
    s.trim().lines().next().unwrap_or("").to_string()
}

fn toml_table(table: toml::de::DeTable<'_>) -> NodeKind {
    NodeKind::Table(
        table
            .into_iter()
            .map(|(k, v)| {
                let key = Key {
                    name: k.get_ref().to_string(),
                    span: k.span(),
                };
                (key, toml_node(v))
            })
            .collect(),
    )
}

fn toml_node(v: toml::Spanned<toml::de::DeValue<'_>>) -> Node {
    use toml::de::DeValue;
    let span = v.span();
    let kind = match v.into_inner() {
        DeValue::String(s) => NodeKind::Str(s.into_owned()),
        DeValue::Integer(i) => {
            let digits: String = i.as_str().chars().filter(|c| *c != '_').collect();
            let digits = digits.trim_start_matches("0x").trim_start_matches("0o");
            let digits = digits.trim_start_matches("0b");
            match i64::from_str_radix(digits, i.radix()) {
                Ok(n) => NodeKind::Int(n),
                Err(_) => NodeKind::Str(i.as_str().to_string()),
            }
        }
        DeValue::Float(f) => {
            let s: String = f.as_str().chars().filter(|c| *c != '_').collect();
            let n = match s.as_str() {
                "inf" | "+inf" => f64::INFINITY,
                "-inf" => f64::NEG_INFINITY,
                "nan" | "+nan" | "-nan" => f64::NAN,
                other => other.parse().unwrap_or(f64::NAN),
            };
            NodeKind::Float(n)
        }
        DeValue::Boolean(b) => NodeKind::Bool(b),
        DeValue::Datetime(d) => NodeKind::Datetime(d.to_string()),
        DeValue::Array(a) => NodeKind::Array(a.into_iter().map(toml_node).collect()),
        DeValue::Table(t) => toml_table(t),
    };
    Node { kind, span }
}

/// Parses YAML text (one document) into a spanned tree.
///
/// Plain scalars resolve like YAML 1.2's core schema (null, booleans, numbers);
/// quoted scalars are always strings. Anchors and aliases are refused: front
/// matter has no use for them and they make errors hard to place.
pub fn parse_yaml(text: &str) -> Result<Node, Vec<SyntaxError>> {
    let root = parse_yaml_document(text)?;
    match root.kind {
        NodeKind::Table(_) => Ok(root),
        NodeKind::Null => Ok(Node {
            kind: NodeKind::Table(Vec::new()),
            span: root.span,
        }),
        _ => Err(vec![SyntaxError {
            message: "front matter must be a set of `key: value` lines".into(),
            span: root.span,
        }]),
    }
}

/// Parses a YAML (or JSON) document whose top may be anything: a data
/// file is often a list of records. An empty document is an empty table.
pub fn parse_yaml_document(text: &str) -> Result<Node, Vec<SyntaxError>> {
    use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
    use yaml_rust2::scanner::{Marker, TScalarStyle};

    struct Builder<'t> {
        text: &'t str,
        stack: Vec<(Node, Option<Key>)>,
        pending_key: Vec<Option<Key>>,
        root: Option<Node>,
        error: Option<SyntaxError>,
        /// The last (character, byte) position converted.
        cursor: (usize, usize),
    }

    impl Builder<'_> {
        fn push_value(&mut self, node: Node) {
            match self.stack.last_mut() {
                None => self.root = Some(node),
                Some((parent, key_slot)) => match &mut parent.kind {
                    NodeKind::Array(items) => items.push(node),
                    NodeKind::Table(entries) => match key_slot.take() {
                        None => {
                            let name = match &node.kind {
                                NodeKind::Str(s) | NodeKind::Datetime(s) => s.clone(),
                                NodeKind::Int(i) => i.to_string(),
                                NodeKind::Bool(b) => b.to_string(),
                                NodeKind::Float(f) => f.to_string(),
                                NodeKind::Null => "null".into(),
                                _ => {
                                    self.error.get_or_insert(SyntaxError {
                                        message: "a key must be a plain value, not a list or table"
                                            .into(),
                                        span: node.span.clone(),
                                    });
                                    String::new()
                                }
                            };
                            *key_slot = Some(Key {
                                name,
                                span: node.span,
                            });
                        }
                        Some(key) => {
                            if entries.iter().any(|(k, _)| k.name == key.name) {
                                self.error.get_or_insert(SyntaxError {
                                    message: format!("duplicate key `{}`", key.name),
                                    span: key.span.clone(),
                                });
                            }
                            entries.push((key, node));
                        }
                    },
                    _ => {}
                },
            }
        }
    }

    impl Builder<'_> {
        /// The byte offset of character `n`, walked from the last one asked
        /// for: the parser's marks move forward, so a data file of
        /// thousands of records costs one pass, not one pass per mark.
        fn byte_at(&mut self, n: usize) -> usize {
            let (mut c, mut b) = self.cursor;
            if n >= c {
                for ch in self.text[b..].chars() {
                    if c == n {
                        break;
                    }
                    b += ch.len_utf8();
                    c += 1;
                }
            } else {
                for ch in self.text[..b].chars().rev() {
                    if c == n {
                        break;
                    }
                    b -= ch.len_utf8();
                    c -= 1;
                }
            }
            self.cursor = (c, b);
            b
        }
    }

    impl MarkedEventReceiver for Builder<'_> {
        fn on_event(&mut self, ev: Event, mark: Marker) {
            // yaml-rust2 counts characters, not bytes.
            let start = self.byte_at(mark.index());
            match ev {
                Event::Scalar(value, style, anchor, _tag) => {
                    let chars = value.chars().count().max(1);
                    let end = self.byte_at(mark.index() + chars);
                    let span = start..end;
                    if anchor != 0 {
                        self.error.get_or_insert(SyntaxError {
                            message: "YAML anchors are not supported in front matter".into(),
                            span: span.clone(),
                        });
                    }
                    let kind = if style == TScalarStyle::Plain {
                        resolve_plain(value)
                    } else {
                        NodeKind::Str(value)
                    };
                    self.push_value(Node { kind, span });
                }
                Event::Alias(_) => {
                    self.error.get_or_insert(SyntaxError {
                        message: "YAML aliases are not supported in front matter".into(),
                        span: start..start + 1,
                    });
                }
                Event::SequenceStart(..) => {
                    self.pending_key.push(None);
                    self.stack.push((
                        Node {
                            kind: NodeKind::Array(Vec::new()),
                            span: start..start,
                        },
                        None,
                    ));
                }
                Event::MappingStart(..) => {
                    self.pending_key.push(None);
                    self.stack.push((
                        Node {
                            kind: NodeKind::Table(Vec::new()),
                            span: start..start,
                        },
                        None,
                    ));
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    self.pending_key.pop();
                    if let Some((mut node, _)) = self.stack.pop() {
                        node.span.end = start.max(node.span.start);
                        self.push_value(node);
                    }
                }
                _ => {}
            }
        }
    }

    let mut builder = Builder {
        text,
        stack: Vec::new(),
        pending_key: Vec::new(),
        root: None,
        error: None,
        cursor: (0, 0),
    };
    let mut parser = Parser::new_from_str(text);
    if let Err(e) = parser.load(&mut builder, false) {
        let at = char_to_byte(text, e.marker().index());
        return Err(vec![SyntaxError {
            message: e.info().to_string(),
            span: at..at,
        }]);
    }
    if let Some(e) = builder.error {
        return Err(vec![e]);
    }
    Ok(builder.root.unwrap_or(Node {
        kind: NodeKind::Table(Vec::new()),
        span: 0..0,
    }))
}

/// The byte offset of the `n`th character (the end of the text past it).
fn char_to_byte(text: &str, n: usize) -> usize {
    text.char_indices()
        .nth(n)
        .map(|(b, _)| b)
        .unwrap_or(text.len())
}

fn resolve_plain(value: String) -> NodeKind {
    match value.as_str() {
        "" | "~" | "null" | "Null" | "NULL" => return NodeKind::Null,
        "true" | "True" | "TRUE" => return NodeKind::Bool(true),
        "false" | "False" | "FALSE" => return NodeKind::Bool(false),
        _ => {}
    }
    let looks_numeric = value
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_digit() || c == '-' || c == '+' || c == '.');
    if looks_numeric {
        if let Ok(i) = value.parse::<i64>() {
            return NodeKind::Int(i);
        }
        if let Ok(f) = value.parse::<f64>() {
            return NodeKind::Float(f);
        }
    }
    NodeKind::Str(value)
}

/// A key that a struct does not have, found while deserializing.
#[derive(Debug, Clone)]
pub struct UnknownKey {
    /// The key as written.
    pub name: String,
    /// Where it is written.
    pub span: Span,
    /// Dotted path of the table it is in (empty at the top).
    pub table: String,
    /// The keys that table accepts.
    pub expected: &'static [&'static str],
}

/// A deserialization failure placed at the value that caused it.
#[derive(Debug, Clone)]
pub struct DeError {
    /// Serde's message, e.g. "invalid type: string, expected a boolean".
    pub message: String,
    /// The offending value or table.
    pub span: Option<Span>,
    /// The field path, e.g. `brand.primary`.
    pub path: String,
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DeError {
            message: msg.to_string(),
            span: None,
            path: String::new(),
        }
    }
}

/// Deserializes `T` from `node`, collecting unknown keys of nested tables.
///
/// Keys of the top table are not checked when `check_top` is false, so a page
/// can be read as several structs (common fields plus its kind's fields) and
/// the caller checks the top keys against their union.
///
/// Unknown keys are returned even when deserialization fails, so a typo and
/// the "missing field" it causes are reported together.
pub fn from_node<'a, T: Deserialize<'a>>(
    node: &'a Node,
    check_top: bool,
) -> (Result<T, DeError>, Vec<UnknownKey>) {
    let unknown = RefCell::new(Vec::new());
    let de = NodeDe {
        node,
        unknown: &unknown,
        path: String::new(),
        check: check_top,
    };
    let value = T::deserialize(de);
    (value, unknown.into_inner())
}

/// The field names serde knows for struct `T`.
pub fn struct_fields<'de, T: Deserialize<'de>>() -> &'static [&'static str] {
    struct Probe;
    #[derive(Debug)]
    struct Found(&'static [&'static str]);
    impl fmt::Display for Found {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("probe")
        }
    }
    impl std::error::Error for Found {}
    impl de::Error for Found {
        fn custom<M: fmt::Display>(_: M) -> Self {
            Found(&[])
        }
    }
    impl<'de> Deserializer<'de> for Probe {
        type Error = Found;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Found> {
            Err(Found(&[]))
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Found> {
            Err(Found(fields))
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
            bytes byte_buf option unit unit_struct newtype_struct seq tuple
            tuple_struct map enum identifier ignored_any
        }
    }
    match T::deserialize(Probe) {
        Err(Found(f)) => f,
        Ok(_) => &[],
    }
}

struct NodeDe<'a, 'u> {
    node: &'a Node,
    unknown: &'u RefCell<Vec<UnknownKey>>,
    path: String,
    check: bool,
}

impl<'a, 'u> NodeDe<'a, 'u> {
    fn child(&self, node: &'a Node, seg: &str) -> NodeDe<'a, 'u> {
        let path = if self.path.is_empty() {
            seg.to_string()
        } else if seg.starts_with('[') {
            format!("{}{}", self.path, seg)
        } else {
            format!("{}.{}", self.path, seg)
        };
        NodeDe {
            node,
            unknown: self.unknown,
            path,
            check: true,
        }
    }

    fn place(&self, mut e: DeError) -> DeError {
        if e.span.is_none() {
            e.span = Some(self.node.span.clone());
            e.path = self.path.clone();
        }
        e
    }
}

/// Magic names that let [`Spanned`] ask this deserializer for a value's span.
const SPANNED_NAME: &str = "$__hearth_spanned";
const SPANNED_FIELDS: &[&str] = &["$__hearth_start", "$__hearth_end", "$__hearth_value"];

impl<'de, 'a: 'de, 'u> Deserializer<'de> for NodeDe<'a, 'u> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let r = match &self.node.kind {
            NodeKind::Null => visitor.visit_unit(),
            NodeKind::Str(s) | NodeKind::Datetime(s) => visitor.visit_borrowed_str(s),
            NodeKind::Int(i) => visitor.visit_i64(*i),
            NodeKind::Float(f) => visitor.visit_f64(*f),
            NodeKind::Bool(b) => visitor.visit_bool(*b),
            NodeKind::Array(items) => visitor.visit_seq(SeqDe {
                parent: &self,
                items: items.iter().enumerate(),
            }),
            NodeKind::Table(entries) => visitor.visit_map(MapDe {
                parent: &self,
                entries: entries.iter(),
                value: None,
            }),
        };
        r.map_err(|e| self.place(e))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.node.kind {
            NodeKind::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        if name == SPANNED_NAME {
            return visitor.visit_map(SpannedDe {
                de: Some(self),
                step: 0,
            });
        }
        if let NodeKind::Table(entries) = &self.node.kind {
            if self.check {
                let mut unknown = self.unknown.borrow_mut();
                for (k, _) in entries {
                    if !fields.contains(&k.name.as_str()) {
                        unknown.push(UnknownKey {
                            name: k.name.clone(),
                            span: k.span.clone(),
                            table: self.path.clone(),
                            expected: fields,
                        });
                    }
                }
            }
        } else {
            let what = describe(&self.node.kind);
            return Err(self.place(de::Error::custom(format!(
                "expected a table (`key = value` pairs), found {what}"
            ))));
        }
        self.deserialize_any(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        match &self.node.kind {
            NodeKind::Str(s) => {
                let de: de::value::StrDeserializer<'_, DeError> = s.as_str().into_deserializer();
                visitor.visit_enum(de).map_err(|e| self.place(e))
            }
            other => Err(self.place(de::Error::custom(format!(
                "expected a string, found {}",
                describe(other)
            )))),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map identifier
    }
}

fn describe(kind: &NodeKind) -> &'static str {
    match kind {
        NodeKind::Null => "nothing",
        NodeKind::Str(_) => "a string",
        NodeKind::Int(_) => "an integer",
        NodeKind::Float(_) => "a number",
        NodeKind::Bool(_) => "a boolean",
        NodeKind::Datetime(_) => "a date",
        NodeKind::Array(_) => "a list",
        NodeKind::Table(_) => "a table",
    }
}

struct SeqDe<'p, 'a, 'u> {
    parent: &'p NodeDe<'a, 'u>,
    items: std::iter::Enumerate<std::slice::Iter<'a, Node>>,
}

impl<'de, 'a: 'de, 'u> SeqAccess<'de> for SeqDe<'_, 'a, 'u> {
    type Error = DeError;
    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DeError> {
        match self.items.next() {
            None => Ok(None),
            Some((i, node)) => {
                let child = self.parent.child(node, &format!("[{i}]"));
                let placed = NodeDe {
                    node,
                    unknown: child.unknown,
                    path: child.path.clone(),
                    check: true,
                };
                seed.deserialize(placed)
                    .map(Some)
                    .map_err(|e| child.place(e))
            }
        }
    }
}

struct MapDe<'p, 'a, 'u> {
    parent: &'p NodeDe<'a, 'u>,
    entries: std::slice::Iter<'a, (Key, Node)>,
    value: Option<&'a (Key, Node)>,
}

impl<'de, 'a: 'de, 'u> MapAccess<'de> for MapDe<'_, 'a, 'u> {
    type Error = DeError;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        match self.entries.next() {
            None => Ok(None),
            Some(entry) => {
                self.value = Some(entry);
                let de: de::value::BorrowedStrDeserializer<'de, DeError> =
                    de::value::BorrowedStrDeserializer::new(entry.0.name.as_str());
                seed.deserialize(de).map(Some).map_err(|mut e| {
                    e.span.get_or_insert(entry.0.span.clone());
                    e
                })
            }
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        let (key, node) = self
            .value
            .take()
            .ok_or_else(|| <DeError as de::Error>::custom("value requested before key"))?;
        let child = self.parent.child(node, &key.name);
        let path = child.path.clone();
        seed.deserialize(child).map_err(|mut e| {
            if e.span.is_none() {
                e.span = Some(node.span.clone());
                e.path = path;
            }
            e
        })
    }
}

struct SpannedDe<'a, 'u> {
    de: Option<NodeDe<'a, 'u>>,
    step: usize,
}

impl<'de, 'a: 'de, 'u> MapAccess<'de> for SpannedDe<'a, 'u> {
    type Error = DeError;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        if self.step >= SPANNED_FIELDS.len() {
            return Ok(None);
        }
        let key = SPANNED_FIELDS[self.step];
        seed.deserialize(de::value::BorrowedStrDeserializer::new(key))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        let step = self.step;
        self.step += 1;
        match step {
            0 | 1 => {
                let span = &self.de.as_ref().expect("spanned value read once").node.span;
                let n = if step == 0 { span.start } else { span.end };
                seed.deserialize((n as u64).into_deserializer())
            }
            _ => match self.de.take() {
                Some(de) => seed.deserialize(de),
                None => Err(de::Error::custom("spanned value read twice")),
            },
        }
    }
}

/// A value with the byte range it was written at, for later diagnostics
/// (an unknown tier id is only known to be wrong after the config is read).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Where it is written in its file.
    pub span: Span,
}

impl<T> Spanned<T> {
    /// A value with no source position (defaults, command-line values).
    pub fn unplaced(value: T) -> Self {
        Spanned { value, span: 0..0 }
    }
}

impl<T> std::ops::Deref for Spanned<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T: serde::Serialize> serde::Serialize for Spanned<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(s)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Spanned<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Spanned<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a value")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Spanned<T>, A::Error> {
                let mut start = 0usize;
                let mut end = 0usize;
                let mut value = None;
                while let Some(k) = map.next_key::<&str>()? {
                    match k {
                        "$__hearth_start" => start = map.next_value::<u64>()? as usize,
                        "$__hearth_end" => end = map.next_value::<u64>()? as usize,
                        _ => value = Some(map.next_value::<T>()?),
                    }
                }
                let value = value.ok_or_else(|| de::Error::missing_field("value"))?;
                Ok(Spanned {
                    value,
                    span: start..end,
                })
            }
        }
        deserializer.deserialize_struct(SPANNED_NAME, SPANNED_FIELDS, V(std::marker::PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize, Debug)]
    struct Inner {
        name: String,
    }

    #[derive(Deserialize, Debug)]
    struct Outer {
        title: Spanned<String>,
        count: Option<u32>,
        inner: Option<Inner>,
        #[serde(default)]
        list: Vec<Inner>,
    }

    #[test]
    fn reports_type_errors_at_the_value() {
        let text = "title = \"x\"\ncount = \"three\"\n";
        let node = parse_toml(text).unwrap();
        let err = from_node::<Outer>(&node, true).0.unwrap_err();
        let span = err.span.unwrap();
        assert_eq!(&text[span], "\"three\"");
        assert_eq!(err.path, "count");
    }

    #[test]
    fn collects_unknown_keys_with_their_table() {
        let text = "title = \"x\"\ncoutn = 3\n[inner]\nname = \"a\"\nnmae = \"b\"\n[[list]]\nname=\"c\"\nextra=1\n";
        let node = parse_toml(text).unwrap();
        let (v, unknown) = from_node::<Outer>(&node, true);
        let v = v.unwrap();
        assert_eq!(&text[v.title.span.clone()], "\"x\"");
        assert_eq!(v.inner.unwrap().name, "a");
        let names: Vec<_> = unknown
            .iter()
            .map(|u| (u.table.as_str(), u.name.as_str()))
            .collect();
        assert_eq!(
            names,
            [("", "coutn"), ("inner", "nmae"), ("list[0]", "extra")]
        );
        assert_eq!(&text[unknown[1].span.clone()], "nmae");
    }

    #[test]
    fn yaml_and_toml_give_the_same_tree_shape() {
        let y =
            parse_yaml("title: 你好\ncount: 3\ninner:\n  name: a\nlist:\n  - name: b\n").unwrap();
        let (v, unknown) = from_node::<Outer>(&y, true);
        let v = v.unwrap();
        assert_eq!(v.title.value, "你好");
        assert_eq!(v.count, Some(3));
        assert_eq!(v.list[0].name, "b");
        assert!(unknown.is_empty());
    }

    #[test]
    fn yaml_spans_are_bytes_even_after_cjk() {
        let text = "title: 读书会\ncount: x\n";
        let y = parse_yaml(text).unwrap();
        let count = y.get("count").unwrap();
        assert_eq!(&text[count.span.clone()], "x");
        let errs = parse_yaml("tags: [books, \"读书\"\n---\n").unwrap_err();
        assert!(errs[0].span.start <= 40);
    }

    #[test]
    fn yaml_errors_have_a_position() {
        let errs = parse_yaml("title: [unclosed\nother: 1\n").unwrap_err();
        assert!(errs[0].span.start > 0);
    }

    #[test]
    fn struct_fields_come_from_serde() {
        assert_eq!(struct_fields::<Inner>(), ["name"]);
    }
}
