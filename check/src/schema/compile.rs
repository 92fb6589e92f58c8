//! From a document to nodes: every subschema becomes a [`Node`] in one vector, keywords
//! become [`Keyword`]s with their limits parsed, regexes compiled and messages' fixed parts
//! rendered, and `$ref`s become indices (compiled through a worklist, so chains of references
//! do not deepen the stack).

use std::collections::HashMap;

use serde_json::{Map, Number, Value};

use super::content::{Encoding, MediaType};
use super::number::Num;
use super::refs::{escape, Index, Location};
use super::{CompileError, CompiledSchema, NodeId};
use crate::keywords::JsonType;

/// Documents nest at most this deep (serde_json's own parser stops at 128).
const MAX_DEPTH: usize = 256;

/// At most this many subschemas apply to one instance position in a chain (`$ref`, `allOf`,
/// `not`, ...) before one descends into it; deeper chains could overflow the stack.
const MAX_IN_PLACE_CHAIN: usize = 512;

/// A compiled subschema.
#[derive(Debug)]
pub(crate) enum Node {
    /// `true`, `{}`, or a schema of annotations only.
    True,
    /// `false`.
    False,
    /// A schema with `$ref`: draft 7 ignores its other keywords.
    Ref(NodeId),
    /// The keywords that assert something.
    Keywords(Box<[Keyword]>),
}

/// A `type` set, one bit per type in the order `jsonschema` lists them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TypeSet(u8);

impl TypeSet {
    const ORDER: [JsonType; 7] = [
        JsonType::Null,
        JsonType::Boolean,
        JsonType::Integer,
        JsonType::Number,
        JsonType::String,
        JsonType::Array,
        JsonType::Object,
    ];

    fn bit(t: JsonType) -> u8 {
        match t {
            JsonType::Null => 1,
            JsonType::Boolean => 2,
            JsonType::Integer => 4,
            JsonType::Number => 8,
            JsonType::String => 16,
            JsonType::Array => 32,
            JsonType::Object => 64,
        }
    }

    /// Whether the set has `t`.
    pub(crate) fn has(self, t: JsonType) -> bool {
        self.0 & Self::bit(t) != 0
    }

    /// The types in the set, in message order.
    pub(crate) fn types(self) -> impl Iterator<Item = JsonType> {
        Self::ORDER
            .into_iter()
            .filter(move |t| self.0 & Self::bit(*t) != 0)
    }
}

/// Which bound a numeric limit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Bound {
    Minimum,
    Maximum,
    ExclusiveMinimum,
    ExclusiveMaximum,
}

/// What `additionalProperties` says about members no other keyword names.
#[derive(Debug)]
pub(crate) enum Additional {
    /// Absent or `true`.
    Allowed,
    /// `false`, beside `properties` or `patternProperties`: one violation listing them.
    Forbidden,
    /// `false` alone: `jsonschema` reports the false schema against the first member's value.
    ForbiddenAlone,
    /// A schema each of them must satisfy.
    Schema(NodeId),
}

/// `properties`, `patternProperties` and `additionalProperties` of one schema, applied in one
/// pass over the members.
#[derive(Debug)]
pub(crate) struct Properties {
    pub(crate) named: Vec<(String, NodeId)>,
    /// Set when `named` is long enough that hashing a key beats comparing it with each name
    /// (foldhash: the table holds only the schema's names, so input cannot grow it).
    pub(crate) lookup: Option<foldhash::HashMap<String, usize>>,
    pub(crate) patterns: Vec<(KeyPattern, NodeId)>,
    pub(crate) additional: Additional,
}

/// A `patternProperties` pattern, matched by the simple-pattern reader when it is simple
/// (most are: `^x-`, `^[a-z]{2}$`) and by the engine otherwise.
#[derive(Debug)]
pub(crate) struct KeyPattern {
    regex: regress::Regex,
    simple: Option<crate::simple_pattern::SimplePattern>,
}

impl KeyPattern {
    /// Whether `key` matches, as the engine decides it.
    pub(crate) fn is_match(&self, key: &str) -> bool {
        match &self.simple {
            Some(simple) => simple.is_match(key),
            None => self.regex.find(key).is_some(),
        }
    }
}

/// Objects with at least this many declared properties look members up by hash.
const HASHED_PROPERTIES: usize = 16;

impl Properties {
    /// The schema declared for member `key`. `next` says which declared name to try first
    /// and is moved past the name found: members mostly come in the order the schema
    /// declares them, so walking an object with one `next` from 0 finds most names at the
    /// first comparison.
    pub(crate) fn named(&self, key: &str, next: &mut usize) -> Option<NodeId> {
        if let Some((name, node)) = self.named.get(*next) {
            if name == key {
                *next += 1;
                return Some(*node);
            }
        }
        let index = match &self.lookup {
            Some(map) => *map.get(key)?,
            None => self.named.iter().position(|(name, _)| name == key)?,
        };
        *next = index + 1;
        Some(self.named[index].1)
    }
}

/// One form of a `dependencies` member.
#[derive(Debug)]
pub(crate) enum Dependency {
    /// The names that must be present too.
    Required(Vec<String>),
    /// A schema the whole object must satisfy.
    Schema(NodeId),
}

/// What `contentMediaType`/`contentEncoding` check together.
#[derive(Debug)]
pub(crate) enum Content {
    Media(MediaType, String),
    Encoding(Encoding, String),
    /// The decoded text must be of the media type.
    Both {
        media: MediaType,
        media_name: String,
        encoding: Encoding,
        encoding_name: String,
    },
}

/// One asserting keyword (or group of keywords checked together).
#[derive(Debug)]
pub(crate) enum Keyword {
    Type(TypeSet),
    Enum {
        options: Vec<Value>,
        /// "a, b or c", as the message lists them.
        listed: String,
    },
    Const {
        value: Value,
        shown: String,
    },
    /// The multiple, and its decimal reading (`number::decimal_parts`), made once.
    MultipleOf(f64, Option<(i128, i32)>),
    Bound {
        bound: Bound,
        limit: Num,
        shown: String,
    },
    MaxLength(u64),
    MinLength(u64),
    Pattern {
        regex: regress::Regex,
        source: String,
        /// The pattern read as a simple one, matched without `regex`, when it is one
        /// (boxed: its atoms take hundreds of bytes, and most keywords are small).
        simple: Option<Box<crate::simple_pattern::SimplePattern>>,
    },
    Format {
        name: String,
        check: fn(&str) -> bool,
    },
    Items(NodeId),
    ItemsFalse,
    Tuple(Vec<NodeId>),
    AdditionalItems {
        after: usize,
        node: NodeId,
    },
    AdditionalItemsFalse {
        after: usize,
    },
    MaxItems(u64),
    MinItems(u64),
    UniqueItems,
    Contains(NodeId),
    MaxProperties(u64),
    MinProperties(u64),
    Required(Vec<String>),
    /// `required: [name]` beside `additionalProperties: false` and `properties` that do not
    /// declare `name`: `jsonschema` checks such a name among declared members only, so it
    /// reports it missing from every object (an object that has it breaks
    /// `additionalProperties` too, so only the list of violations differs from draft 7).
    RequiredUndeclared(String),
    Properties(Box<Properties>),
    Dependencies(Vec<(String, Dependency)>),
    PropertyNames(NodeId),
    PropertyNamesFalse,
    Conditional {
        condition: NodeId,
        then: Option<NodeId>,
        otherwise: Option<NodeId>,
    },
    AllOf(Vec<NodeId>),
    AnyOf(Vec<NodeId>),
    OneOf(Vec<NodeId>),
    Not {
        node: NodeId,
        shown: String,
    },
    Content(Content),
}

/// Every draft-07 keyword that asserts something of an instance itself (`$ref` aside), in
/// the order of the bits of a [`KeywordSet`]: the names a check of some keywords of a node
/// may give (`SchemaAt::only` in the runtime, `#[field(only)]` in the derive).
pub const ASSERTING_KEYWORDS: &[&str] = &[
    "type",
    "enum",
    "const",
    "multipleOf",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "format",
    "items",
    "additionalItems",
    "maxItems",
    "minItems",
    "uniqueItems",
    "contains",
    "maxProperties",
    "minProperties",
    "required",
    "properties",
    "patternProperties",
    "additionalProperties",
    "dependencies",
    "propertyNames",
    "if",
    "then",
    "else",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "contentMediaType",
    "contentEncoding",
];

/// A set of draft-07 keywords of one node: the ones a check of some keywords reads. Made
/// from names once (at compile time, in a `const`), it is tested against each keyword of
/// the node with one `and` rather than by comparing names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct KeywordSet(pub(super) u64);

impl KeywordSet {
    /// The keywords among `names` (draft-07 spellings, [`ASSERTING_KEYWORDS`]); a name that
    /// is none of them adds nothing.
    pub const fn named(names: &[&str]) -> KeywordSet {
        let mut bits = 0u64;
        let mut n = 0;
        while n < names.len() {
            let mut k = 0;
            while k < ASSERTING_KEYWORDS.len() {
                if same_text(names[n], ASSERTING_KEYWORDS[k]) {
                    bits |= 1 << k;
                }
                k += 1;
            }
            n += 1;
        }
        KeywordSet(bits)
    }

    /// Whether the two sets share a keyword.
    pub const fn meets(self, other: KeywordSet) -> bool {
        self.0 & other.0 != 0
    }

    /// Whether the set holds no keyword.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Whether every keyword of this set is also in `other`.
    pub const fn within(self, other: KeywordSet) -> bool {
        self.0 & !other.0 == 0
    }
}

/// Whether two strings are equal, in a `const fn` (`==` on `str` is not one): what a
/// [`KeywordSet`] is made with, and what the runtime's generated routing code asserts
/// its attribute names with.
pub const fn same_text(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

impl Keyword {
    /// The names this keyword answers to (draft-07 spellings). Keywords checked together
    /// answer to each of their names: `if`, `then` and `else`; `properties`,
    /// `patternProperties` and `additionalProperties`; `items` and a tuple's `items`.
    pub(crate) fn names(&self) -> KeywordSet {
        macro_rules! set {
            ($($name:literal),+) => { const { KeywordSet::named(&[$($name),+]) } };
        }
        match self {
            Keyword::Type(_) => set!("type"),
            Keyword::Enum { .. } => set!("enum"),
            Keyword::Const { .. } => set!("const"),
            Keyword::MultipleOf(..) => set!("multipleOf"),
            Keyword::Bound { bound, .. } => match bound {
                Bound::Minimum => set!("minimum"),
                Bound::Maximum => set!("maximum"),
                Bound::ExclusiveMinimum => set!("exclusiveMinimum"),
                Bound::ExclusiveMaximum => set!("exclusiveMaximum"),
            },
            Keyword::MaxLength(_) => set!("maxLength"),
            Keyword::MinLength(_) => set!("minLength"),
            Keyword::Pattern { .. } => set!("pattern"),
            Keyword::Format { .. } => set!("format"),
            Keyword::Items(_) | Keyword::ItemsFalse | Keyword::Tuple(_) => set!("items"),
            Keyword::AdditionalItems { .. } | Keyword::AdditionalItemsFalse { .. } => {
                set!("additionalItems")
            }
            Keyword::MaxItems(_) => set!("maxItems"),
            Keyword::MinItems(_) => set!("minItems"),
            Keyword::UniqueItems => set!("uniqueItems"),
            Keyword::Contains(_) => set!("contains"),
            Keyword::MaxProperties(_) => set!("maxProperties"),
            Keyword::MinProperties(_) => set!("minProperties"),
            Keyword::Required(_) | Keyword::RequiredUndeclared(_) => set!("required"),
            Keyword::Properties(_) => {
                set!("properties", "patternProperties", "additionalProperties")
            }
            Keyword::Dependencies(_) => set!("dependencies"),
            Keyword::PropertyNames(_) | Keyword::PropertyNamesFalse => set!("propertyNames"),
            Keyword::Conditional { .. } => set!("if", "then", "else"),
            Keyword::AllOf(_) => set!("allOf"),
            Keyword::AnyOf(_) => set!("anyOf"),
            Keyword::OneOf(_) => set!("oneOf"),
            Keyword::Not { .. } => set!("not"),
            Keyword::Content(_) => set!("contentMediaType", "contentEncoding"),
        }
    }
}

/// Refuses documents deeper than [`MAX_DEPTH`], without recursion.
pub(crate) fn check_depth(document: &Value) -> Result<(), CompileError> {
    let mut stack: Vec<(&Value, usize, String)> = vec![(document, 0, String::new())];
    while let Some((value, depth, pointer)) = stack.pop() {
        if depth > MAX_DEPTH {
            return Err(CompileError::TooDeep {
                pointer,
                limit: MAX_DEPTH,
            });
        }
        match value {
            Value::Array(items) => stack.extend(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| (v, depth + 1, format!("{pointer}/{i}"))),
            ),
            Value::Object(members) => stack.extend(
                members
                    .iter()
                    .map(|(k, v)| (v, depth + 1, format!("{pointer}/{}", escape(k)))),
            ),
            _ => {}
        }
    }
    Ok(())
}

/// Refuses a `$schema` below the root that names another draft (the root's is not read:
/// the validator is draft-07 whatever it says, as `jsonschema::draft7` is).
pub(crate) fn check_drafts(document: &Value) -> Result<(), CompileError> {
    fn visit(value: &Value, pointer: &str, root: bool) -> Result<(), CompileError> {
        match value {
            Value::Object(members) => {
                if !root {
                    if let Some(declared) = members.get("$schema").and_then(Value::as_str) {
                        let draft_07 = declared
                            .trim_end_matches('#')
                            .trim_start_matches("http://")
                            .trim_start_matches("https://")
                            == "json-schema.org/draft-07/schema";
                        if !draft_07 {
                            return Err(CompileError::OtherDraft {
                                pointer: format!("{pointer}/$schema"),
                                declared: declared.to_owned(),
                            });
                        }
                    }
                }
                for (k, v) in members {
                    // `enum`, `const`, `default`, `examples` hold data, not schemas.
                    if matches!(k.as_str(), "enum" | "const" | "default" | "examples") {
                        continue;
                    }
                    visit(v, &format!("{pointer}/{}", escape(k)), false)?;
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    visit(v, &format!("{pointer}/{i}"), false)?;
                }
            }
            _ => {}
        }
        Ok(())
    }
    visit(document, "", true)
}

/// Compiles `document`, already checked against the meta-schema (or the meta-schema itself,
/// whose own compilation cannot check it against itself).
pub(crate) fn compile_document(document: &Value) -> Result<CompiledSchema, CompileError> {
    let meta = if std::ptr::eq(document, super::meta_document()) {
        // The meta-schema compiled as document 0 refers to itself by its own `$id`.
        document
    } else {
        super::meta_document()
    };
    let documents = [document, meta];
    let index = Index::build(&documents);
    let mut compiler = Compiler {
        documents,
        index,
        nodes: Vec::new(),
        locations: Vec::new(),
        by_location: HashMap::new(),
        pending: Vec::new(),
        refs: HashMap::new(),
    };
    let root = compiler.reserve(Location {
        doc: 0,
        pointer: String::new(),
    });
    while let Some((id, location)) = compiler.pending.pop() {
        let node = compiler.compile_node(&location)?;
        compiler.nodes[id.index()] = node;
    }
    compiler.check_chains()?;
    let by_pointer = compiler
        .by_location
        .iter()
        .filter(|(location, _)| location.doc == 0)
        .map(|(location, id)| (location.pointer.clone(), *id))
        .collect();
    Ok(CompiledSchema {
        nodes: compiler.nodes,
        by_pointer,
        root,
        refs: compiler.refs,
    })
}

struct Compiler<'d> {
    documents: [&'d Value; 2],
    index: Index,
    nodes: Vec<Node>,
    locations: Vec<Location>,
    by_location: HashMap<Location, NodeId>,
    /// Where each `$ref` of document 0 points, by the pointer of the schema that holds it.
    refs: HashMap<String, super::RefTarget>,
    /// Nodes reserved but not compiled yet.
    pending: Vec<(NodeId, Location)>,
}

fn not_a_schema(pointer: &str, message: impl Into<String>) -> CompileError {
    CompileError::NotASchema {
        pointer: pointer.to_owned(),
        message: message.into(),
    }
}

/// A non-negative integer limit as `jsonschema` reads one: a u64, an integral float, or
/// anything from 2^64 up as u64::MAX.
fn size_limit(value: &Value, pointer: &str) -> Result<u64, CompileError> {
    if let Some(limit) = value.as_u64() {
        return Ok(limit);
    }
    match value.as_f64() {
        Some(f) if f >= 18_446_744_073_709_551_616.0 => Ok(u64::MAX),
        Some(f) if f >= 0.0 && f.trunc() == f => Ok(f as u64),
        _ => Err(not_a_schema(
            pointer,
            format!("{value} is not a non-negative integer"),
        )),
    }
}

fn number_of<'v>(value: &'v Value, pointer: &str) -> Result<&'v Number, CompileError> {
    match value {
        Value::Number(n) => Ok(n),
        _ => Err(not_a_schema(pointer, format!("{value} is not a number"))),
    }
}

fn strings_of(value: &Value, pointer: &str) -> Result<Vec<String>, CompileError> {
    value
        .as_array()
        .and_then(|items| {
            items
                .iter()
                .map(|i| i.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
        })
        .ok_or_else(|| not_a_schema(pointer, format!("{value} is not an array of strings")))
}

/// "a, b or c", "a, b or 3 other candidates": how `jsonschema` lists `enum` options.
fn list_options(options: &[Value]) -> String {
    let shown: Vec<String> = options.iter().map(Value::to_string).collect();
    match shown.len() {
        0 => String::new(),
        1 => shown[0].clone(),
        2 | 3 => format!(
            "{} or {}",
            shown[..shown.len() - 1].join(", "),
            shown[shown.len() - 1]
        ),
        n => format!("{}, {} or {} other candidates", shown[0], shown[1], n - 2),
    }
}

/// A pattern compiled with Unicode semantics where it is valid with them (so `\p{L}` is a
/// property class, as `jsonschema` reads it), else with ECMA-262's legacy ones (which
/// accept identity escapes such as `\-` that schemas often write).
fn compile_regex(pattern: &str, pointer: &str) -> Result<regress::Regex, CompileError> {
    if let Ok(regex) = regress::Regex::with_flags(pattern, "u") {
        return Ok(regex);
    }
    regress::Regex::new(pattern).map_err(|e| CompileError::BadPattern {
        pointer: pointer.to_owned(),
        pattern: pattern.to_owned(),
        reason: e.to_string(),
    })
}

impl Compiler<'_> {
    /// The node for the schema at `location`, compiled later if it is new.
    fn reserve(&mut self, location: Location) -> NodeId {
        if let Some(id) = self.by_location.get(&location) {
            return *id;
        }
        let id = NodeId(self.nodes.len() as u32);
        self.nodes.push(Node::True);
        self.locations.push(location.clone());
        self.by_location.insert(location.clone(), id);
        self.pending.push((id, location));
        id
    }

    /// The node for a subschema below `pointer` of the same document.
    fn child(&mut self, doc: usize, pointer: String) -> NodeId {
        self.reserve(Location { doc, pointer })
    }

    fn compile_node(&mut self, location: &Location) -> Result<Node, CompileError> {
        let doc = location.doc;
        let pointer = location.pointer.clone();
        let documents = self.documents;
        let value = documents
            .get(doc)
            .and_then(|d| d.pointer(&pointer))
            .ok_or_else(|| not_a_schema(&pointer, "nothing is at this pointer"))?;
        let schema = match value {
            Value::Bool(true) => return Ok(Node::True),
            Value::Bool(false) => return Ok(Node::False),
            Value::Object(schema) => schema,
            other => {
                return Err(not_a_schema(
                    &pointer,
                    format!("{other} is not of types \"boolean\", \"object\""),
                ))
            }
        };
        if let Some(reference) = schema.get("$ref") {
            let at = format!("{pointer}/$ref");
            let reference = reference
                .as_str()
                .ok_or_else(|| not_a_schema(&at, format!("{reference} is not a string")))?;
            if reference.is_empty() {
                // `jsonschema` reads an empty reference as no reference at all.
                return Ok(Node::True);
            }
            let base = self.index.base_at(location);
            let target = self
                .index
                .resolve(&self.documents, &base, reference)
                .map_err(|reason| CompileError::UnresolvableRef {
                    pointer: at.clone(),
                    reference: reference.to_owned(),
                    reason,
                })?;
            if location.doc == 0 {
                let found = if target.location.doc == 0 {
                    super::RefTarget::Document(target.location.pointer.clone())
                } else {
                    super::RefTarget::MetaSchema(target.location.pointer.clone())
                };
                self.refs.insert(location.pointer.clone(), found);
            }
            if target.location == *location {
                // A schema that is only a reference to itself constrains nothing.
                return Ok(Node::True);
            }
            let target_value = documents
                .get(target.location.doc)
                .and_then(|d| d.pointer(&target.location.pointer));
            if !matches!(target_value, Some(Value::Bool(_) | Value::Object(_))) {
                return Err(CompileError::UnresolvableRef {
                    pointer: at,
                    reference: reference.to_owned(),
                    reason: format!(
                        "it points at {}, which is not a schema (an object or a boolean)",
                        target_value.map_or_else(|| "nothing".to_owned(), Value::to_string)
                    ),
                });
            }
            return Ok(Node::Ref(self.reserve(target.location)));
        }
        let mut keywords = Vec::new();
        self.compile_keywords(doc, &pointer, schema, &mut keywords)?;
        if keywords.is_empty() {
            Ok(Node::True)
        } else {
            Ok(Node::Keywords(keywords.into_boxed_slice()))
        }
    }

    fn compile_keywords(
        &mut self,
        doc: usize,
        pointer: &str,
        schema: &Map<String, Value>,
        out: &mut Vec<Keyword>,
    ) -> Result<(), CompileError> {
        let at = |keyword: &str| format!("{pointer}/{}", escape(keyword));
        let sub = |keyword: &str| format!("{pointer}/{}", escape(keyword));
        // Subschemas that only `$ref`s reach are compiled from the worklist too.
        for keyword in ["definitions"] {
            if let Some(Value::Object(members)) = schema.get(keyword) {
                for name in members.keys() {
                    self.child(doc, format!("{}/{}", sub(keyword), escape(name)));
                }
            }
        }
        for (keyword, value) in schema {
            let here = at(keyword);
            match keyword.as_str() {
                "type" => {
                    let names: Vec<&str> = match value {
                        Value::String(s) => vec![s.as_str()],
                        Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
                        _ => Vec::new(),
                    };
                    let mut bits = 0u8;
                    for name in names {
                        let t = match name {
                            "null" => JsonType::Null,
                            "boolean" => JsonType::Boolean,
                            "integer" => JsonType::Integer,
                            "number" => JsonType::Number,
                            "string" => JsonType::String,
                            "array" => JsonType::Array,
                            "object" => JsonType::Object,
                            _ => return Err(not_a_schema(&here, format!("unknown type {name:?}"))),
                        };
                        bits |= TypeSet::bit(t);
                    }
                    out.push(Keyword::Type(TypeSet(bits)));
                }
                "enum" => {
                    let options = value
                        .as_array()
                        .ok_or_else(|| not_a_schema(&here, format!("{value} is not an array")))?
                        .clone();
                    let listed = list_options(&options);
                    out.push(Keyword::Enum { options, listed });
                }
                "const" => out.push(Keyword::Const {
                    value: value.clone(),
                    shown: value.to_string(),
                }),
                "multipleOf" => {
                    let m = number_of(value, &here)?.as_f64().unwrap_or(f64::NAN);
                    if m.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater) {
                        return Err(not_a_schema(
                            &here,
                            format!("{value} is not greater than 0"),
                        ));
                    }
                    out.push(Keyword::MultipleOf(m, super::number::decimal_parts(m)));
                }
                "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" => {
                    let n = number_of(value, &here)?;
                    let bound = match keyword.as_str() {
                        "minimum" => Bound::Minimum,
                        "maximum" => Bound::Maximum,
                        "exclusiveMinimum" => Bound::ExclusiveMinimum,
                        _ => Bound::ExclusiveMaximum,
                    };
                    out.push(Keyword::Bound {
                        bound,
                        limit: Num::of(n),
                        shown: value.to_string(),
                    });
                }
                "maxLength" => out.push(Keyword::MaxLength(size_limit(value, &here)?)),
                "minLength" => out.push(Keyword::MinLength(size_limit(value, &here)?)),
                "maxItems" => out.push(Keyword::MaxItems(size_limit(value, &here)?)),
                "minItems" => out.push(Keyword::MinItems(size_limit(value, &here)?)),
                "maxProperties" => out.push(Keyword::MaxProperties(size_limit(value, &here)?)),
                "minProperties" => out.push(Keyword::MinProperties(size_limit(value, &here)?)),
                "pattern" => {
                    let source = value
                        .as_str()
                        .ok_or_else(|| not_a_schema(&here, format!("{value} is not a string")))?;
                    out.push(Keyword::Pattern {
                        regex: compile_regex(source, &here)?,
                        source: source.to_owned(),
                        simple: crate::simple_pattern::SimplePattern::parse(source).map(Box::new),
                    });
                }
                "format" => {
                    let name = value
                        .as_str()
                        .ok_or_else(|| not_a_schema(&here, format!("{value} is not a string")))?;
                    if let Some(check) = crate::formats::checker(name) {
                        out.push(Keyword::Format {
                            name: name.to_owned(),
                            check,
                        });
                    }
                }
                "items" => match value {
                    Value::Array(items) => {
                        let nodes = (0..items.len())
                            .map(|i| self.child(doc, format!("{here}/{i}")))
                            .collect();
                        out.push(Keyword::Tuple(nodes));
                        if let Some(additional) = schema.get("additionalItems") {
                            let after = items.len();
                            match additional {
                                Value::Bool(true) => {}
                                Value::Bool(false) => {
                                    out.push(Keyword::AdditionalItemsFalse { after })
                                }
                                _ => {
                                    let node = self.child(doc, sub("additionalItems"));
                                    out.push(Keyword::AdditionalItems { after, node });
                                }
                            }
                        }
                    }
                    Value::Bool(true) => {}
                    Value::Bool(false) => {
                        self.child(doc, here.clone());
                        out.push(Keyword::ItemsFalse);
                    }
                    _ => out.push(Keyword::Items(self.child(doc, here.clone()))),
                },
                "additionalItems" => {
                    // Applied with an array `items` above; otherwise ignored, but still a
                    // subschema that `node_at` can find.
                    self.child(doc, here.clone());
                }
                "uniqueItems" if value.as_bool() == Some(true) => out.push(Keyword::UniqueItems),
                "contains" => out.push(Keyword::Contains(self.child(doc, here.clone()))),
                "required" => {
                    let names = strings_of(value, &here)?;
                    match names.as_slice() {
                        [name] if required_fused_with_closed_object(schema, name) => {
                            out.push(Keyword::RequiredUndeclared(name.clone()))
                        }
                        _ => out.push(Keyword::Required(names)),
                    }
                }
                "properties" | "patternProperties" | "additionalProperties" => {
                    // All three are compiled together, once, at the first of them.
                    let first = ["properties", "patternProperties", "additionalProperties"]
                        .into_iter()
                        .find(|k| schema.contains_key(*k));
                    if first == Some(keyword.as_str()) {
                        if let Some(properties) = self.compile_properties(doc, pointer, schema)? {
                            out.push(Keyword::Properties(Box::new(properties)));
                        }
                    }
                }
                "dependencies" => {
                    let members = value
                        .as_object()
                        .ok_or_else(|| not_a_schema(&here, format!("{value} is not an object")))?;
                    let mut dependencies = Vec::with_capacity(members.len());
                    for (name, dependency) in members {
                        let path = format!("{here}/{}", escape(name));
                        let dependency = match dependency {
                            Value::Array(_) => Dependency::Required(strings_of(dependency, &path)?),
                            _ => Dependency::Schema(self.child(doc, path)),
                        };
                        dependencies.push((name.clone(), dependency));
                    }
                    out.push(Keyword::Dependencies(dependencies));
                }
                "propertyNames" => match value {
                    Value::Bool(true) => {}
                    Value::Bool(false) => out.push(Keyword::PropertyNamesFalse),
                    _ => out.push(Keyword::PropertyNames(self.child(doc, here.clone()))),
                },
                "if" => {
                    let condition = self.child(doc, here.clone());
                    let then = schema
                        .contains_key("then")
                        .then(|| self.child(doc, sub("then")));
                    let otherwise = schema
                        .contains_key("else")
                        .then(|| self.child(doc, sub("else")));
                    if then.is_some() || otherwise.is_some() {
                        out.push(Keyword::Conditional {
                            condition,
                            then,
                            otherwise,
                        });
                    }
                }
                "then" | "else" => {
                    self.child(doc, here.clone());
                }
                "allOf" | "anyOf" | "oneOf" => {
                    let count = value
                        .as_array()
                        .ok_or_else(|| not_a_schema(&here, format!("{value} is not an array")))?
                        .len();
                    let nodes: Vec<NodeId> = (0..count)
                        .map(|i| self.child(doc, format!("{here}/{i}")))
                        .collect();
                    out.push(match keyword.as_str() {
                        "allOf" => Keyword::AllOf(nodes),
                        "anyOf" => Keyword::AnyOf(nodes),
                        _ => Keyword::OneOf(nodes),
                    });
                }
                "not" => out.push(Keyword::Not {
                    node: self.child(doc, here.clone()),
                    shown: value.to_string(),
                }),
                "contentMediaType" => {
                    if let Some(content) = compile_content(schema) {
                        out.push(Keyword::Content(content));
                    }
                }
                // Beside `contentMediaType`, checked with it above.
                "contentEncoding" if !schema.contains_key("contentMediaType") => {
                    if let Some(content) = compile_content(schema) {
                        out.push(Keyword::Content(content));
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn compile_properties(
        &mut self,
        doc: usize,
        pointer: &str,
        schema: &Map<String, Value>,
    ) -> Result<Option<Properties>, CompileError> {
        let mut named = Vec::new();
        if let Some(value) = schema.get("properties") {
            let here = format!("{pointer}/properties");
            let members = value
                .as_object()
                .ok_or_else(|| not_a_schema(&here, format!("{value} is not an object")))?;
            for name in members.keys() {
                let node = self.child(doc, format!("{here}/{}", escape(name)));
                named.push((name.clone(), node));
            }
        }
        let mut patterns = Vec::new();
        if let Some(value) = schema.get("patternProperties") {
            let here = format!("{pointer}/patternProperties");
            let members = value
                .as_object()
                .ok_or_else(|| not_a_schema(&here, format!("{value} is not an object")))?;
            for source in members.keys() {
                let path = format!("{here}/{}", escape(source));
                let regex = compile_regex(source, &path)?;
                let simple = crate::simple_pattern::SimplePattern::parse(source);
                patterns.push((KeyPattern { regex, simple }, self.child(doc, path)));
            }
        }
        let additional = match schema.get("additionalProperties") {
            None | Some(Value::Bool(true)) => Additional::Allowed,
            Some(Value::Bool(false)) => {
                if schema.contains_key("properties") || schema.contains_key("patternProperties") {
                    Additional::Forbidden
                } else {
                    Additional::ForbiddenAlone
                }
            }
            Some(_) => {
                Additional::Schema(self.child(doc, format!("{pointer}/additionalProperties")))
            }
        };
        if named.is_empty() && patterns.is_empty() && matches!(additional, Additional::Allowed) {
            return Ok(None);
        }
        let lookup = (named.len() >= HASHED_PROPERTIES).then(|| {
            named
                .iter()
                .enumerate()
                .map(|(i, (name, _))| (name.clone(), i))
                .collect()
        });
        Ok(Some(Properties {
            named,
            lookup,
            patterns,
            additional,
        }))
    }

    /// Refuses `$ref` cycles that stay at one instance position, and in-place chains too
    /// long to walk safely.
    fn check_chains(&self) -> Result<(), CompileError> {
        // 0: unvisited, 1: on the stack, 2: done; `longest` holds each node's chain length.
        let mut state = vec![0u8; self.nodes.len()];
        let mut longest = vec![0usize; self.nodes.len()];
        for start in 0..self.nodes.len() {
            if state[start] != 0 {
                continue;
            }
            // Iterative depth-first search: (node, index of the next child to visit).
            let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
            state[start] = 1;
            while let Some(&mut (node, ref mut next)) = stack.last_mut() {
                let children = self.in_place_children(node);
                if let Some(&child) = children.get(*next) {
                    *next += 1;
                    match state[child] {
                        0 => {
                            state[child] = 1;
                            stack.push((child, 0));
                        }
                        1 => return Err(self.cycle_error(&stack, child)),
                        _ => {}
                    }
                } else {
                    let depth = 1 + children.iter().map(|c| longest[*c]).max().unwrap_or(0);
                    if depth > MAX_IN_PLACE_CHAIN {
                        return Err(CompileError::TooDeep {
                            pointer: self.locations[node].pointer.clone(),
                            limit: MAX_IN_PLACE_CHAIN,
                        });
                    }
                    longest[node] = depth;
                    state[node] = 2;
                    stack.pop();
                }
            }
        }
        Ok(())
    }

    fn cycle_error(&self, stack: &[(usize, usize)], back_to: usize) -> CompileError {
        let from = stack.iter().position(|(n, _)| *n == back_to).unwrap_or(0);
        let cycle: Vec<usize> = stack[from..].iter().map(|(n, _)| *n).collect();
        let name = |n: usize| {
            let l = &self.locations[n];
            let prefix = if l.doc == 1 {
                "http://json-schema.org/draft-07/schema#"
            } else {
                "#"
            };
            format!("{prefix}{}", l.pointer)
        };
        let at_ref = cycle
            .iter()
            .find(|n| matches!(self.nodes[**n], Node::Ref(_)) && self.locations[**n].doc == 0)
            .copied()
            .unwrap_or(back_to);
        CompileError::RefCycle {
            pointer: format!("{}/$ref", self.locations[at_ref].pointer),
            cycle: cycle.into_iter().chain([back_to]).map(name).collect(),
        }
    }

    /// The subschemas a node applies to the same instance it is given.
    fn in_place_children(&self, node: usize) -> Vec<usize> {
        let mut out = Vec::new();
        match &self.nodes[node] {
            Node::Ref(target) => out.push(target.index()),
            Node::Keywords(keywords) => {
                for keyword in keywords.iter() {
                    match keyword {
                        Keyword::AllOf(nodes) | Keyword::AnyOf(nodes) | Keyword::OneOf(nodes) => {
                            out.extend(nodes.iter().map(|n| n.index()))
                        }
                        Keyword::Not { node, .. } => out.push(node.index()),
                        Keyword::Conditional {
                            condition,
                            then,
                            otherwise,
                        } => {
                            out.push(condition.index());
                            out.extend(then.iter().chain(otherwise).map(|n| n.index()));
                        }
                        Keyword::Dependencies(dependencies) => {
                            out.extend(dependencies.iter().filter_map(|(_, d)| match d {
                                Dependency::Schema(n) => Some(n.index()),
                                Dependency::Required(_) => None,
                            }))
                        }
                        _ => {}
                    }
                }
            }
            Node::True | Node::False => {}
        }
        out
    }
}

/// Whether `jsonschema` checks `required: [name]` together with a closed object (one name,
/// `additionalProperties: false`, `properties`, no `patternProperties`) and `name` is not
/// declared.
fn required_fused_with_closed_object(schema: &Map<String, Value>, name: &str) -> bool {
    matches!(schema.get("additionalProperties"), Some(Value::Bool(false)))
        && !schema.contains_key("patternProperties")
        && schema
            .get("properties")
            .and_then(Value::as_object)
            .is_some_and(|declared| !declared.contains_key(name))
}

/// `contentMediaType` with or without `contentEncoding`, or `contentEncoding` alone, as
/// `jsonschema` pairs them: an unknown media type disables both, an unknown encoding beside
/// a known media type disables both, an unknown encoding alone is ignored.
fn compile_content(schema: &Map<String, Value>) -> Option<Content> {
    let encoding_name = schema.get("contentEncoding").and_then(Value::as_str);
    match schema.get("contentMediaType").and_then(Value::as_str) {
        Some(media_name) => {
            let media = MediaType::named(media_name)?;
            match encoding_name {
                Some(encoding_name) => Some(Content::Both {
                    media,
                    media_name: media_name.to_owned(),
                    encoding: Encoding::named(encoding_name)?,
                    encoding_name: encoding_name.to_owned(),
                }),
                None => Some(Content::Media(media, media_name.to_owned())),
            }
        }
        None => {
            let name = encoding_name?;
            Some(Content::Encoding(Encoding::named(name)?, name.to_owned()))
        }
    }
}
