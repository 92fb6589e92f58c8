//! The typed view of one schema position: every draft-07 keyword of a node read once, into
//! fields, with the positions of its subschemas. [`Schemas`] holds the documents (the two
//! versions and a few synthetic ones) and caches each node, each resolved `$ref` and each
//! merged [`View`](crate::view::View), so that the comparison, the witness builder and the
//! instance generator ask the same questions of the same facts, computed once.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

use serde_json::{Map, Value};

use crate::values::{join, json_eq, ref_pointer, RefError, Types, ANNOTATIONS};

/// Which document a [`Loc`] points into.
pub(crate) type DocId = u16;

/// The earlier version.
pub(crate) const OLD: DocId = 0;
/// The later version.
pub(crate) const NEW: DocId = 1;
/// `true`: the schema of a position nothing constrains.
pub(crate) const TRUE_DOC: DocId = 2;
/// `false`: the schema of a position nothing may occupy.
pub(crate) const FALSE_DOC: DocId = 3;
/// `{"type": <kind>}` for each [`Kind`], in [`Kind::ALL`] order.
const FIRST_KIND_DOC: DocId = 4;
/// Documents from here on are added while building witnesses.
const FIRST_EXTRA_DOC: DocId = FIRST_KIND_DOC + Kind::ALL.len() as DocId;

/// A schema position: a JSON pointer into one of the documents.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Loc {
    pub doc: DocId,
    pub at: Rc<str>,
}

impl Loc {
    pub fn new(doc: DocId, at: &str) -> Loc {
        Loc { doc, at: at.into() }
    }

    /// The root of a document.
    pub fn root(doc: DocId) -> Loc {
        Loc::new(doc, "")
    }

    /// `true`, as a position.
    pub fn anything() -> Loc {
        Loc::root(TRUE_DOC)
    }

    /// `false`, as a position.
    pub fn nothing() -> Loc {
        Loc::root(FALSE_DOC)
    }

    /// The child position under `token`.
    pub fn child(&self, token: &str) -> Loc {
        Loc::new(self.doc, &join(&self.at, token))
    }

    /// Whether the position is in one of the two versions (so its pointer can be reported).
    pub fn is_version(&self) -> bool {
        self.doc == OLD || self.doc == NEW
    }

    /// The pointer of `keyword` at this position, when it is in a version.
    pub fn keyword(&self, keyword: &str) -> Option<String> {
        self.is_version().then(|| join(&self.at, keyword))
    }

    /// The pointer of this position, when it is in a version.
    pub fn pointer(&self) -> Option<String> {
        self.is_version().then(|| self.at.to_string())
    }
}

/// The coarse JSON types a union is split by: integers and other numbers are one kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Kind {
    Null,
    Boolean,
    Object,
    Array,
    String,
    Number,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::Null,
        Kind::Boolean,
        Kind::Object,
        Kind::Array,
        Kind::String,
        Kind::Number,
    ];

    pub fn types(self) -> Types {
        Types(match self {
            Kind::Null => Types::NULL,
            Kind::Boolean => Types::BOOLEAN,
            Kind::Object => Types::OBJECT,
            Kind::Array => Types::ARRAY,
            Kind::String => Types::STRING,
            Kind::Number => Types::NUMBER,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Kind::Null => "null",
            Kind::Boolean => "boolean",
            Kind::Object => "object",
            Kind::Array => "array",
            Kind::String => "string",
            Kind::Number => "number",
        }
    }

    /// The kinds a type set touches.
    pub fn of(types: Types) -> Vec<Kind> {
        Kind::ALL
            .into_iter()
            .filter(|k| types.has(k.types().0))
            .collect()
    }

    /// `{"type": <kind>}`, as a position.
    pub fn loc(self) -> Loc {
        let i = Kind::ALL.iter().position(|k| *k == self).unwrap_or(0);
        Loc::root(FIRST_KIND_DOC + i as DocId)
    }
}

/// What a position holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// `true`: any value.
    Any,
    /// `false`: no value.
    Never,
    /// A schema object (possibly empty).
    Object,
    /// Neither a boolean nor an object: not a schema.
    NotASchema,
}

/// `additionalProperties`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Additional {
    /// Absent, `true` or `{}`: any undeclared property is allowed.
    Open,
    /// `false`.
    Closed,
    /// A schema every undeclared property must match.
    Schema(Loc),
}

/// `items`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Items {
    Absent,
    /// One schema for every item.
    Single(Loc),
    /// A schema per position; `additionalItems` governs the rest.
    Tuple(Vec<Loc>),
}

/// One entry of `dependencies`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Dependency {
    /// The property requires these properties.
    Names(Vec<String>),
    /// The property requires the object to match this schema.
    Schema(Loc),
}

/// `anyOf` or `oneOf`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum UnionKind {
    AnyOf,
    OneOf,
}

impl UnionKind {
    pub fn keyword(self) -> &'static str {
        match self {
            UnionKind::AnyOf => "anyOf",
            UnionKind::OneOf => "oneOf",
        }
    }
}

/// One raw numeric bound keyword.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct RawBound {
    pub value: f64,
    pub exclusive: bool,
    pub keyword: &'static str,
}

/// One resolved schema position, keyword by keyword. Malformed keywords are listed in
/// [`Node::malformed`] (with their value) and otherwise read as absent.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub loc: Loc,
    pub shape: Shape,
    pub malformed: Vec<(&'static str, Value)>,
    pub types: Option<Types>,
    /// `enum` and `const` together (deduplicated), when either is present.
    pub values: Option<Vec<Value>>,
    pub has_enum: bool,
    pub has_const: bool,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub pattern: Option<String>,
    pub format: Option<String>,
    pub content_encoding: Option<String>,
    pub content_media_type: Option<String>,
    pub lower: Vec<RawBound>,
    pub upper: Vec<RawBound>,
    pub multiple_of: Option<f64>,
    pub properties: Vec<(String, Loc)>,
    pub required: Vec<String>,
    pub additional: Additional,
    pub pattern_properties: Vec<(String, Loc)>,
    pub property_names: Option<Loc>,
    pub dependencies: Vec<(String, Dependency)>,
    pub min_properties: Option<u64>,
    pub max_properties: Option<u64>,
    pub items: Items,
    pub additional_items: Option<Loc>,
    pub contains: Option<Loc>,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
    pub unique: bool,
    pub all_of: Vec<Loc>,
    pub any_of: Vec<Loc>,
    pub one_of: Vec<Loc>,
    pub not: Option<Loc>,
    pub if_: Option<Loc>,
    pub then_: Option<Loc>,
    pub else_: Option<Loc>,
    pub id: Option<Value>,
    pub dialect: Option<Value>,
    pub default: Option<Value>,
    pub annotations: Vec<(&'static str, Value)>,
    pub unknown: Vec<(String, Value)>,
}

/// Keywords [`Node::read`] understands (annotations aside).
const KNOWN: &[&str] = &[
    "$ref",
    "$schema",
    "$id",
    "definitions",
    "default",
    "type",
    "enum",
    "const",
    "minLength",
    "maxLength",
    "pattern",
    "format",
    "contentEncoding",
    "contentMediaType",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "properties",
    "required",
    "additionalProperties",
    "patternProperties",
    "propertyNames",
    "dependencies",
    "minProperties",
    "maxProperties",
    "items",
    "additionalItems",
    "contains",
    "minItems",
    "maxItems",
    "uniqueItems",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "if",
    "then",
    "else",
];

impl Node {
    fn empty(loc: Loc, shape: Shape) -> Node {
        Node {
            loc,
            shape,
            malformed: Vec::new(),
            types: None,
            values: None,
            has_enum: false,
            has_const: false,
            min_length: None,
            max_length: None,
            pattern: None,
            format: None,
            content_encoding: None,
            content_media_type: None,
            lower: Vec::new(),
            upper: Vec::new(),
            multiple_of: None,
            properties: Vec::new(),
            required: Vec::new(),
            additional: Additional::Open,
            pattern_properties: Vec::new(),
            property_names: None,
            dependencies: Vec::new(),
            min_properties: None,
            max_properties: None,
            items: Items::Absent,
            additional_items: None,
            contains: None,
            min_items: None,
            max_items: None,
            unique: false,
            all_of: Vec::new(),
            any_of: Vec::new(),
            one_of: Vec::new(),
            not: None,
            if_: None,
            then_: None,
            else_: None,
            id: None,
            dialect: None,
            default: None,
            annotations: Vec::new(),
            unknown: Vec::new(),
        }
    }

    /// Reads the value at `loc` (already resolved: `$ref` is not followed here).
    fn read(loc: Loc, value: &Value) -> Node {
        let map = match value {
            Value::Bool(true) => return Node::empty(loc, Shape::Any),
            Value::Bool(false) => return Node::empty(loc, Shape::Never),
            Value::Object(map) => map,
            _ => return Node::empty(loc, Shape::NotASchema),
        };
        let mut node = Node::empty(loc, Shape::Object);
        node.read_scalars(map);
        node.read_objects(map);
        node.read_arrays(map);
        node.read_logic(map);
        for (key, value) in map {
            if let Some(a) = ANNOTATIONS.iter().find(|a| **a == key) {
                node.annotations.push((a, value.clone()));
            } else if !KNOWN.contains(&key.as_str()) {
                node.unknown.push((key.clone(), value.clone()));
            }
        }
        node.default = map.get("default").cloned();
        node.id = map.get("$id").cloned();
        node.dialect = map.get("$schema").cloned();
        node
    }

    fn bad(&mut self, keyword: &'static str, value: &Value) {
        self.malformed.push((keyword, value.clone()));
    }

    fn count(&mut self, map: &Map<String, Value>, keyword: &'static str) -> Option<u64> {
        let value = map.get(keyword)?;
        let read = match value {
            Value::Number(n) => match (n.as_u64(), n.as_f64()) {
                (Some(v), _) => Some(v),
                (None, Some(f)) if f >= 0.0 && f.fract() == 0.0 && f < 1e19 => Some(f as u64),
                _ => None,
            },
            _ => None,
        };
        if read.is_none() {
            self.bad(keyword, value);
        }
        read
    }

    fn number(&mut self, map: &Map<String, Value>, keyword: &'static str) -> Option<f64> {
        let value = map.get(keyword)?;
        let read = value.as_f64().filter(|f| f.is_finite());
        if read.is_none() {
            self.bad(keyword, value);
        }
        read
    }

    fn text(&mut self, map: &Map<String, Value>, keyword: &'static str) -> Option<String> {
        let value = map.get(keyword)?;
        let read = value.as_str().map(str::to_owned);
        if read.is_none() {
            self.bad(keyword, value);
        }
        read
    }

    fn sub(&self, keyword: &str) -> Loc {
        self.loc.child(keyword)
    }

    fn read_scalars(&mut self, map: &Map<String, Value>) {
        if let Some(t) = map.get("type") {
            let types = match t {
                Value::String(name) => Types::from_name(name).map(Types),
                Value::Array(names) => names.iter().try_fold(Types::NONE, |acc, n| {
                    let bit = n.as_str().and_then(Types::from_name)?;
                    Some(Types(acc.0 | bit))
                }),
                _ => None,
            };
            match types {
                Some(types) => self.types = Some(types),
                None => self.bad("type", t),
            }
        }
        let from_enum = match map.get("enum") {
            None => None,
            Some(Value::Array(items)) => {
                self.has_enum = true;
                let mut unique: Vec<Value> = Vec::new();
                for item in items {
                    if !unique.iter().any(|u| json_eq(u, item)) {
                        unique.push(item.clone());
                    }
                }
                Some(unique)
            }
            Some(other) => {
                self.bad("enum", other);
                None
            }
        };
        self.has_const = map.contains_key("const");
        self.values = match (map.get("const"), from_enum) {
            (None, values) => values,
            (Some(c), None) => Some(vec![c.clone()]),
            (Some(c), Some(values)) => Some(values.into_iter().filter(|v| json_eq(v, c)).collect()),
        };
        self.min_length = self.count(map, "minLength");
        self.max_length = self.count(map, "maxLength");
        self.pattern = self.text(map, "pattern");
        if let Some(p) = &self.pattern {
            if regress::Regex::new(p).is_err() {
                let value = Value::String(p.clone());
                self.pattern = None;
                self.bad("pattern", &value);
            }
        }
        self.format = self.text(map, "format");
        self.content_encoding = self.text(map, "contentEncoding");
        self.content_media_type = self.text(map, "contentMediaType");
        for (keyword, exclusive, lower) in [
            ("minimum", false, true),
            ("exclusiveMinimum", true, true),
            ("maximum", false, false),
            ("exclusiveMaximum", true, false),
        ] {
            if let Some(value) = self.number(map, keyword) {
                let bound = RawBound {
                    value,
                    exclusive,
                    keyword,
                };
                if lower {
                    self.lower.push(bound);
                } else {
                    self.upper.push(bound);
                }
            }
        }
        if let Some(step) = self.number(map, "multipleOf") {
            if step > 0.0 {
                self.multiple_of = Some(step);
            } else if let Some(v) = map.get("multipleOf") {
                self.bad("multipleOf", v);
            }
        }
    }

    fn read_objects(&mut self, map: &Map<String, Value>) {
        match map.get("properties") {
            None => {}
            Some(Value::Object(props)) => {
                let at = self.sub("properties");
                self.properties = props.keys().map(|k| (k.clone(), at.child(k))).collect();
            }
            Some(other) => self.bad("properties", other),
        }
        match map.get("required") {
            None => {}
            Some(Value::Array(names)) if names.iter().all(Value::is_string) => {
                self.required = names
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect();
            }
            Some(other) => self.bad("required", other),
        }
        self.additional = match map.get("additionalProperties") {
            None | Some(Value::Bool(true)) => Additional::Open,
            Some(Value::Bool(false)) => Additional::Closed,
            Some(Value::Object(m)) if m.is_empty() => Additional::Open,
            Some(_) => Additional::Schema(self.sub("additionalProperties")),
        };
        match map.get("patternProperties") {
            None => {}
            Some(Value::Object(patterns)) => {
                let at = self.sub("patternProperties");
                for (pattern, _) in patterns {
                    if regress::Regex::new(pattern).is_ok() {
                        self.pattern_properties
                            .push((pattern.clone(), at.child(pattern)));
                    } else {
                        self.bad("patternProperties", &Value::String(pattern.clone()));
                    }
                }
            }
            Some(other) => self.bad("patternProperties", other),
        }
        if map.contains_key("propertyNames") {
            self.property_names = Some(self.sub("propertyNames"));
        }
        match map.get("dependencies") {
            None => {}
            Some(Value::Object(deps)) => {
                let at = self.sub("dependencies");
                for (name, dep) in deps {
                    let read = match dep {
                        Value::Array(names) if names.iter().all(Value::is_string) => {
                            Dependency::Names(
                                names
                                    .iter()
                                    .filter_map(Value::as_str)
                                    .map(str::to_owned)
                                    .collect(),
                            )
                        }
                        Value::Array(_) => {
                            self.bad("dependencies", dep);
                            continue;
                        }
                        _ => Dependency::Schema(at.child(name)),
                    };
                    self.dependencies.push((name.clone(), read));
                }
            }
            Some(other) => self.bad("dependencies", other),
        }
        self.min_properties = self.count(map, "minProperties");
        self.max_properties = self.count(map, "maxProperties");
    }

    fn read_arrays(&mut self, map: &Map<String, Value>) {
        self.items = match map.get("items") {
            None => Items::Absent,
            Some(Value::Array(items)) => {
                let at = self.sub("items");
                Items::Tuple((0..items.len()).map(|i| at.child(&i.to_string())).collect())
            }
            Some(_) => Items::Single(self.sub("items")),
        };
        if map.contains_key("additionalItems") {
            self.additional_items = Some(self.sub("additionalItems"));
        }
        if map.contains_key("contains") {
            self.contains = Some(self.sub("contains"));
        }
        self.min_items = self.count(map, "minItems");
        self.max_items = self.count(map, "maxItems");
        match map.get("uniqueItems") {
            None => {}
            Some(Value::Bool(b)) => self.unique = *b,
            Some(other) => self.bad("uniqueItems", other),
        }
    }

    fn read_logic(&mut self, map: &Map<String, Value>) {
        for keyword in ["allOf", "anyOf", "oneOf"] {
            let Some(value) = map.get(keyword) else {
                continue;
            };
            let branches = match value {
                Value::Array(items) if !items.is_empty() => {
                    let at = self.sub(keyword);
                    (0..items.len()).map(|i| at.child(&i.to_string())).collect()
                }
                _ => {
                    let keyword = match keyword {
                        "allOf" => "allOf",
                        "anyOf" => "anyOf",
                        _ => "oneOf",
                    };
                    self.bad(keyword, value);
                    continue;
                }
            };
            match keyword {
                "allOf" => self.all_of = branches,
                "anyOf" => self.any_of = branches,
                _ => self.one_of = branches,
            }
        }
        let sub = |node: &Node, keyword: &str| map.contains_key(keyword).then(|| node.sub(keyword));
        self.not = sub(self, "not");
        self.if_ = sub(self, "if");
        self.then_ = sub(self, "then");
        self.else_ = sub(self, "else");
    }

    /// The branches of `anyOf` or `oneOf`.
    pub fn union(&self, kind: UnionKind) -> &[Loc] {
        match kind {
            UnionKind::AnyOf => &self.any_of,
            UnionKind::OneOf => &self.one_of,
        }
    }

    /// The declared schema of property `name`.
    pub fn declared(&self, name: &str) -> Option<&Loc> {
        self.properties
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, l)| l)
    }

    /// The `patternProperties` schemas whose pattern matches `name`.
    pub fn patterns_matching<'n>(&'n self, name: &'n str) -> impl Iterator<Item = &'n Loc> + 'n {
        self.pattern_properties
            .iter()
            .filter(move |(p, _)| crate::values::pattern_matches(p, name).unwrap_or(true))
            .map(|(_, l)| l)
    }

    /// The schemas this node applies to property `name`: its declaration and the matching
    /// patterns, or `additionalProperties` when neither (nothing when that is open).
    pub fn property(&self, name: &str) -> Vec<Loc> {
        let mut out: Vec<Loc> = self.declared(name).cloned().into_iter().collect();
        out.extend(self.patterns_matching(name).cloned());
        if out.is_empty() {
            match &self.additional {
                Additional::Open => {}
                Additional::Closed => out.push(Loc::nothing()),
                Additional::Schema(l) => out.push(l.clone()),
            }
        }
        out
    }

    /// The schemas this node applies to the item at `index` (`None`: an item past every tuple).
    pub fn item(&self, index: Option<usize>) -> Vec<Loc> {
        match &self.items {
            Items::Absent => Vec::new(),
            Items::Single(l) => vec![l.clone()],
            Items::Tuple(positions) => match index.and_then(|i| positions.get(i)) {
                Some(l) => vec![l.clone()],
                None => self.additional_items.iter().cloned().collect(),
            },
        }
    }

    /// Whether the node has keywords that only apply to objects.
    pub fn has_object_keywords(&self) -> bool {
        !self.properties.is_empty()
            || !self.required.is_empty()
            || self.additional != Additional::Open
            || !self.pattern_properties.is_empty()
            || self.property_names.is_some()
            || !self.dependencies.is_empty()
            || self.min_properties.is_some()
            || self.max_properties.is_some()
    }

    /// Whether the node has keywords that only apply to arrays.
    pub fn has_array_keywords(&self) -> bool {
        self.items != Items::Absent
            || self.contains.is_some()
            || self.min_items.is_some()
            || self.max_items.is_some()
            || self.unique
    }
}

/// The documents and every fact read from them.
pub(crate) struct Schemas {
    docs: RefCell<Vec<Rc<Value>>>,
    resolved: RefCell<HashMap<Loc, Result<Loc, RefError>>>,
    nodes: RefCell<HashMap<Loc, Rc<Node>>>,
    pub(crate) views: RefCell<HashMap<Vec<Loc>, Rc<crate::view::View>>>,
    validators: RefCell<HashMap<Loc, Option<Rc<jsonschema::Validator>>>>,
    names: RefCell<Option<Rc<BTreeSet<String>>>>,
}

impl Schemas {
    /// The two versions, plus the synthetic documents every comparison uses.
    pub fn pair(old: &Value, new: &Value) -> Schemas {
        let mut docs = vec![
            Rc::new(old.clone()),
            Rc::new(new.clone()),
            Rc::new(Value::Bool(true)),
            Rc::new(Value::Bool(false)),
        ];
        for kind in Kind::ALL {
            docs.push(Rc::new(serde_json::json!({"type": kind.name()})));
        }
        debug_assert_eq!(docs.len(), FIRST_EXTRA_DOC as usize);
        Schemas {
            docs: RefCell::new(docs),
            resolved: RefCell::new(HashMap::new()),
            nodes: RefCell::new(HashMap::new()),
            views: RefCell::new(HashMap::new()),
            validators: RefCell::new(HashMap::new()),
            names: RefCell::new(None),
        }
    }

    /// Adds a document (a schema the witness builder made) and returns its id.
    pub fn add(&self, value: Value) -> DocId {
        let mut docs = self.docs.borrow_mut();
        docs.push(Rc::new(value));
        (docs.len() - 1) as DocId
    }

    /// A document.
    pub fn doc(&self, doc: DocId) -> Rc<Value> {
        self.docs
            .borrow()
            .get(doc as usize)
            .cloned()
            .unwrap_or_else(|| Rc::new(Value::Bool(true)))
    }

    /// Follows `$ref`s from `loc` to a position without one.
    pub fn resolve(&self, loc: &Loc) -> Result<Loc, RefError> {
        if let Some(r) = self.resolved.borrow().get(loc) {
            return r.clone();
        }
        let result = self.follow(loc);
        self.resolved
            .borrow_mut()
            .insert(loc.clone(), result.clone());
        result
    }

    fn follow(&self, loc: &Loc) -> Result<Loc, RefError> {
        let doc = self.doc(loc.doc);
        let mut at = loc.at.to_string();
        let mut seen: BTreeSet<String> = BTreeSet::new();
        loop {
            let Some(value) = doc.pointer(&at) else {
                return Err(RefError::Unresolvable(format!("#{at}")));
            };
            let Some(reference) = value.get("$ref") else {
                return Ok(Loc::new(loc.doc, &at));
            };
            let Some(text) = reference.as_str() else {
                return Err(RefError::Unresolvable(reference.to_string()));
            };
            let target =
                ref_pointer(text).ok_or_else(|| RefError::Unresolvable(text.to_owned()))?;
            if !seen.insert(target.clone()) {
                return Err(RefError::Loop(text.to_owned()));
            }
            if doc.pointer(&target).is_none() {
                return Err(RefError::Unresolvable(text.to_owned()));
            }
            at = target;
        }
    }

    /// The node at a resolved position.
    pub fn node(&self, loc: &Loc) -> Rc<Node> {
        if let Some(n) = self.nodes.borrow().get(loc) {
            return n.clone();
        }
        let doc = self.doc(loc.doc);
        let node = match doc.pointer(&loc.at) {
            Some(value) => Node::read(loc.clone(), value),
            None => Node::empty(loc.clone(), Shape::Any),
        };
        let node = Rc::new(node);
        self.nodes.borrow_mut().insert(loc.clone(), node.clone());
        node
    }

    /// The node a position resolves to; an unresolvable reference reads as `true` (callers
    /// that judge changes check [`Schemas::resolve`] first).
    pub fn node_of(&self, loc: &Loc) -> Rc<Node> {
        match self.resolve(loc) {
            Ok(r) => self.node(&r),
            Err(_) => self.node(&Loc::anything()),
        }
    }

    /// The raw value at a position.
    pub fn value_at(&self, loc: &Loc) -> Option<Value> {
        self.doc(loc.doc).pointer(&loc.at).cloned()
    }

    /// A validator of the schema at `loc`, within its document (so its references resolve).
    /// `None` when it does not compile.
    pub fn validator(&self, loc: &Loc) -> Option<Rc<jsonschema::Validator>> {
        if let Some(v) = self.validators.borrow().get(loc) {
            return v.clone();
        }
        let doc = self.doc(loc.doc);
        let compiled = if loc.at.is_empty() {
            event_contracts_schema::load::compile_validator(&doc).ok()
        } else {
            // Draft-07 ignores every keyword beside a `$ref`, and pointers still resolve
            // against the whole document: the document with a `$ref` to the position added is
            // the position's schema, with every reference inside it meaning what it means there.
            let mut wrapper = match doc.as_ref() {
                Value::Object(m) => m.clone(),
                _ => Map::new(),
            };
            wrapper.insert(
                "$ref".to_owned(),
                Value::String(format!("#{}", fragment(&loc.at))),
            );
            event_contracts_schema::load::compile_validator(&Value::Object(wrapper)).ok()
        };
        let compiled = compiled.map(Rc::new);
        self.validators
            .borrow_mut()
            .insert(loc.clone(), compiled.clone());
        compiled
    }

    /// Whether the schema at `loc` accepts `value`; `None` when it does not compile.
    pub fn accepts(&self, loc: &Loc, value: &Value) -> Option<bool> {
        self.validator(loc).map(|v| v.is_valid(value))
    }

    /// Every property name either version declares or requires anywhere: names generated
    /// objects never use for undeclared properties.
    pub fn declared_names(&self) -> Rc<BTreeSet<String>> {
        if let Some(n) = self.names.borrow().as_ref() {
            return n.clone();
        }
        let mut names = BTreeSet::new();
        for doc in [OLD, NEW] {
            collect_names(&self.doc(doc), &mut names, 0);
        }
        let names = Rc::new(names);
        *self.names.borrow_mut() = Some(names.clone());
        names
    }
}

/// A JSON pointer as a URI fragment: characters a fragment may not hold are percent-encoded.
fn fragment(pointer: &str) -> String {
    let mut out = String::with_capacity(pointer.len());
    for b in pointer.bytes() {
        let allowed = b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/?".contains(&b);
        if allowed {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn collect_names(value: &Value, out: &mut BTreeSet<String>, depth: usize) {
    if depth > 256 {
        return;
    }
    match value {
        Value::Object(m) => {
            if let Some(Value::Object(props)) = m.get("properties") {
                out.extend(props.keys().cloned());
            }
            if let Some(Value::Array(req)) = m.get("required") {
                out.extend(req.iter().filter_map(Value::as_str).map(str::to_owned));
            }
            for v in m.values() {
                collect_names(v, out, depth + 1);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_names(v, out, depth + 1)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_node_reads_each_keyword_once() {
        let s = Schemas::pair(
            &json!({"type": ["string", "null"], "maxLength": 3, "enum": ["a", "a", null],
                    "properties": {"x": true}, "required": ["x"], "additionalProperties": false,
                    "items": [{}, {}], "additionalItems": false, "anyOf": [{}, {}], "x-extra": 1,
                    "minLength": -1, "description": "d"}),
            &json!(true),
        );
        let n = s.node(&Loc::root(OLD));
        assert_eq!(n.types, Some(Types(Types::STRING | Types::NULL)));
        assert_eq!(n.values, Some(vec![json!("a"), json!(null)]));
        assert_eq!(n.max_length, Some(3));
        assert_eq!(n.min_length, None);
        assert_eq!(n.malformed, vec![("minLength", json!(-1))]);
        assert_eq!(
            n.properties,
            vec![("x".to_owned(), Loc::new(OLD, "/properties/x"))]
        );
        assert_eq!(n.additional, Additional::Closed);
        assert_eq!(n.property("y"), vec![Loc::nothing()]);
        assert_eq!(n.item(Some(1)), vec![Loc::new(OLD, "/items/1")]);
        assert_eq!(n.item(Some(2)), vec![Loc::new(OLD, "/additionalItems")]);
        assert_eq!(n.any_of.len(), 2);
        assert_eq!(n.unknown, vec![("x-extra".to_owned(), json!(1))]);
        assert_eq!(n.annotations, vec![("description", json!("d"))]);
    }

    #[test]
    fn references_resolve_and_loops_stop() {
        let root = json!({"definitions": {"a": {"$ref": "#/definitions/b"}, "b": {"type": "string"},
                          "x": {"$ref": "#/definitions/y"}, "y": {"$ref": "#/definitions/x"}},
                          "properties": {"p": {"$ref": "#/definitions/a"}, "q": {"$ref": "other.json"}}});
        let s = Schemas::pair(&root, &root);
        assert_eq!(
            s.resolve(&Loc::new(OLD, "/properties/p")),
            Ok(Loc::new(OLD, "/definitions/b"))
        );
        assert!(matches!(
            s.resolve(&Loc::new(OLD, "/definitions/x")),
            Err(RefError::Loop(_))
        ));
        assert!(matches!(
            s.resolve(&Loc::new(OLD, "/properties/q")),
            Err(RefError::Unresolvable(_))
        ));
    }

    #[test]
    fn a_validator_of_a_position_resolves_references_in_its_document() {
        let root = json!({"definitions": {"id": {"type": "string", "format": "uuid"}},
                          "type": "object", "properties": {"id": {"$ref": "#/definitions/id"}}});
        let s = Schemas::pair(&root, &root);
        let at = Loc::new(OLD, "/properties/id");
        assert_eq!(s.accepts(&at, &json!("x")), Some(false));
        assert_eq!(
            s.accepts(&at, &json!("00000000-0000-4000-8000-000000000000")),
            Some(true)
        );
        assert_eq!(s.accepts(&Loc::root(OLD), &json!({"id": "x"})), Some(false));
        assert_eq!(s.accepts(&Kind::Null.loc(), &json!(null)), Some(true));
        // Pointers with characters a URI fragment may not hold.
        let odd = json!({"patternProperties": {"^x- é%": {"type": "integer"}}});
        let s = Schemas::pair(&odd, &odd);
        let at = Loc::new(OLD, "/patternProperties/^x- é%");
        assert_eq!(s.accepts(&at, &json!(1)), Some(true));
        assert_eq!(s.accepts(&at, &json!("a")), Some(false));
    }
}
