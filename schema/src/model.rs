//! The type model: what Rust types a checked schema folder becomes.
//!
//! Every schema node becomes the most precise Rust type that holds exactly the values the
//! node accepts, or, where no Rust type can say all the node says, a type that holds at
//! least those values together with the node's check. No draft-07 schema is refused:
//!
//! - scalars: `String`, `bool`, `i64`/`u64`, `f64`, `Uuid`, `DateTime<Utc>`, and a newtype
//!   for constraints (`minLength`, `pattern`, `format`, bounds, `multipleOf`);
//! - `enum`/`const`: an enum of strings, an enum of any other literals, or `Value` checked;
//! - `type: [T, "null"]` and `anyOf`/`oneOf` of a schema with `{"type": "null"}`: `Option<T>`
//!   where `None` is `null` (an optional such property is `Option<Option<T>>`);
//! - other `type` lists, `anyOf`, `oneOf`: a union enum, tagged by a property whose value
//!   tells the branches apart when there is one, else chosen by the check (the first branch
//!   that accepts the value, in schema order);
//! - objects: a struct with a field per declared property, a typed map for
//!   `additionalProperties: {schema}`, and `extra` for the rest; `allOf` of objects merged
//!   into one struct where the merge is exact;
//! - arrays: `Vec<T>`;
//! - recursive `$ref`s: `Box<T>`.
//!
//! A node is *exact* when its Rust type accepts exactly the values the node accepts. The
//! keywords a type cannot hold (`not`, `if`/`then`/`else`, `dependencies`,
//! `patternProperties`' values, `propertyNames`, `min`/`maxProperties`, array bounds,
//! `uniqueItems`, `contains`, tuples, ...) make it inexact; the nearest enclosing property,
//! struct or union is then *checked*: its typed read checks the value against its
//! subschema with the runtime's compiled check before reading it, so the typed read
//! accepts exactly what the schema accepts. A property whose type is inexact is checked
//! alone ([`Field::check_at`]); a struct is checked whole only for what its own object
//! keywords say ([`StructDef::checked`]). `$ref`s resolve exactly as that check resolves
//! them.

use std::collections::{BTreeMap, BTreeSet};

use event_contracts_check::schema::{CompiledSchema, RefTarget};
use semver::Version;
use serde_json::{Map, Value};

use crate::diag::{escape_token, pointer_tokens, Diagnostic, Diagnostics};
use crate::load::{EventVersion, SchemaSet};

/// Where shared types are generated (`crate::<SHARED_MODULE>`).
pub const SHARED_MODULE: &str = "common";

/// The name of the field every generated struct has for what its typed fields do not hold.
pub const EXTRA_FIELD: &str = "extra";

/// The name of a struct's field that holds its typed map of additional properties.
pub const ADDITIONAL_FIELD: &str = "additional_properties";

/// The whole folder as Rust types.
#[derive(Debug, Clone)]
pub struct Model {
    /// Types from shared definition files, generated once in `crate::common`.
    pub shared: Vec<TypeDef>,
    /// Events in name order.
    pub events: Vec<EventModel>,
}

/// One event.
#[derive(Debug, Clone)]
pub struct EventModel {
    /// PascalCase name.
    pub name: String,
    /// Module name, e.g. `product_created`.
    pub module: String,
    /// Versions in ascending order.
    pub versions: Vec<VersionModel>,
}

/// One version of one event.
#[derive(Debug, Clone)]
pub struct VersionModel {
    /// The version.
    pub version: Version,
    /// Module name, e.g. `v1_1_0`.
    pub module: String,
    /// The schema file, for docs.
    pub file: String,
    /// The root struct (named after the event) and every type it uses, in order.
    pub types: Vec<TypeDef>,
    /// The bundled schema, embedded for run-time validation.
    pub bundled: Value,
}

/// Which bundled schema a type's subschema is in: where its check reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaOwner {
    /// The event's module, e.g. `product_created`.
    pub event_module: String,
    /// The version's module, e.g. `v1_1_0`.
    pub version_module: String,
}

/// A generated Rust type.
#[derive(Debug, Clone)]
pub enum TypeDef {
    /// An object with declared properties.
    Struct(StructDef),
    /// A string with a fixed set of values.
    Enum(EnumDef),
    /// A fixed set of JSON literals that are not all strings (numbers, booleans, null).
    Literals(LiteralsDef),
    /// A scalar with constraints that its Rust type cannot express.
    Newtype(NewtypeDef),
    /// One of several shapes: `anyOf`, `oneOf` or a list of types.
    Union(UnionDef),
    /// A fixed sequence of items: `items` as a list, with `additionalItems: false`.
    Tuple(TupleDef),
}

impl TypeDef {
    /// The type's Rust name.
    pub fn name(&self) -> &str {
        match self {
            TypeDef::Struct(s) => &s.name,
            TypeDef::Enum(e) => &e.name,
            TypeDef::Literals(l) => &l.name,
            TypeDef::Newtype(n) => &n.name,
            TypeDef::Union(u) => &u.name,
            TypeDef::Tuple(t) => &t.name,
        }
    }
}

/// A struct for an object schema.
#[derive(Debug, Clone)]
pub struct StructDef {
    /// Rust name.
    pub name: String,
    /// Rustdoc, from `description`.
    pub doc: Option<String>,
    /// Pointer of the object schema in the bundled schema.
    pub pointer: String,
    /// The declared properties, in schema order.
    pub fields: Vec<Field>,
    /// Whether properties other than the declared ones are allowed (kept in `extra`).
    pub open: bool,
    /// The type of `additionalProperties: {schema}`, held in a typed map.
    pub additional: Option<FieldTy>,
    /// `patternProperties`' patterns: properties that match one are kept in `extra`.
    pub pattern_properties: Vec<String>,
    /// For an event root: the discriminator property and its one value, implied by the type.
    pub tag: Option<(String, String)>,
    /// Whether the typed read checks the value against the subschema first, because the
    /// object's own keywords say more than the struct holds (`propertyNames`,
    /// `min`/`maxProperties`, `dependencies`, `patternProperties`, a `false` property, a
    /// required property with no field, an inexact `additionalProperties`). A property
    /// whose type is inexact is checked alone ([`Field::check_at`]), so that the rest of
    /// the object is read once, straight from the input.
    pub checked: bool,
    /// For a checked struct whose fields hold all the subschema says but some of its own
    /// keywords (`dependencies`, `if`/`then`/`else`, `not`, ...): those keywords, which are
    /// then all the check reads; `None` when it reads the whole subschema.
    pub check_only: Option<Vec<String>>,
    /// `minProperties`, `maxProperties` and `propertyNames`, when they are all the object
    /// says about its members as a whole: counted, and each name checked, as the members
    /// are read, in place of a check (for a merged `allOf`, the tightest bounds of its
    /// parts).
    pub members: Option<MemberCount>,
    /// Where the subschema is.
    pub owner: SchemaOwner,
}

impl StructDef {
    /// Makes the struct check the keywords `keys` of its own subschema, beside what it
    /// already checks.
    fn add_check(&mut self, keys: Vec<String>) {
        match (self.checked, &mut self.check_only) {
            // Already checked whole.
            (true, None) => {}
            (true, Some(only)) => add_unique(only, keys),
            (false, _) => {
                self.checked = true;
                self.check_only = Some(keys);
            }
        }
    }
}

/// One property of a struct.
#[derive(Debug, Clone)]
pub struct Field {
    /// The JSON name.
    pub json: String,
    /// The Rust field name (snake_case, raw identifier when it is a keyword).
    pub rust: String,
    /// The Rust type.
    pub ty: FieldTy,
    /// Whether the property is required.
    pub required: bool,
    /// Rustdoc, from `description`.
    pub doc: Option<String>,
    /// The `default` value, if the schema gives one.
    pub default: Option<Value>,
    /// The first minor version (of this major) that declares the property. Only the
    /// newest minor of a major gets this from its predecessors; others use their own minor.
    pub since_minor: u64,
    /// Where the property's subschema is, when its Rust type cannot hold all it says: the
    /// typed read checks the value against that subschema first (see [`StructDef::checked`]
    /// for what makes the whole struct checked instead), and `build` checks it.
    pub check_at: Option<String>,
    /// For a property whose type holds all its subschema (after `$ref`s) says but some of
    /// its keywords (`uniqueItems`, `not`, `allOf`, ...): those keywords, which are then all
    /// the typed read checks at `check_at` (`build` checks the whole subschema, for its
    /// messages). `None` when the read checks the whole subschema.
    pub check_only: Option<Vec<String>>,
    /// For an array property whose type holds all its subschema says but the number of
    /// items: the bounds, counted on the typed `Vec` as it is read, in place of the check
    /// at `check_at` (which `build` still runs, for its messages).
    pub items: Option<ItemCount>,
    /// For a map property (a free-form object, or `additionalProperties` with a schema)
    /// whose type holds all its subschema says but `minProperties`, `maxProperties` and
    /// `propertyNames`: those, checked on the typed map as it is read, in place of the
    /// check at `check_at` (which `build` still runs, for its messages).
    pub members: Option<MemberCount>,
}

/// `minProperties`, `maxProperties` and `propertyNames` of a map property or a struct.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberCount {
    /// `minProperties`, 0 when absent.
    pub min: u64,
    /// `maxProperties`.
    pub max: Option<u64>,
    /// Where the `propertyNames` subschema is, which each name must satisfy.
    pub names: Option<String>,
}

/// `minItems`, `maxItems` and `uniqueItems` of an array property.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ItemCount {
    /// `minItems`, 0 when absent.
    pub min: u64,
    /// `maxItems`.
    pub max: Option<u64>,
    /// `uniqueItems: true`, for items that are scalars (strings, numbers, booleans, string
    /// enums, constrained scalars), compared by JSON equality as they are read.
    pub unique: bool,
}

/// The Rust type of a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldTy {
    /// `String`.
    String,
    /// `bool`.
    Bool,
    /// `u64`: an integer with `minimum: 0` and no other constraint.
    U64,
    /// `i64`: an unconstrained integer.
    I64,
    /// `f64`: an unconstrained number.
    F64,
    /// `uuid::Uuid`, from `format: uuid`.
    Uuid,
    /// `chrono::DateTime<Utc>`, from `format: date-time`.
    DateTime,
    /// `serde_json::Map<String, Value>`: an object that declares no properties.
    Object,
    /// `serde_json::Value`: a schema that constrains nothing, or more than a type holds.
    Any,
    /// JSON `null` and nothing else.
    Null,
    /// `Vec<T>`, from `type: array` with one `items` schema.
    Vec(Box<FieldTy>),
    /// A map of property names to `T`: an object whose every property has one schema.
    Map(Box<FieldTy>),
    /// `Option<T>` where `None` is JSON `null`.
    Nullable(Box<FieldTy>),
    /// `Box<T>`: a recursive reference to a type being defined.
    Boxed(Box<FieldTy>),
    /// A generated type in the same version module.
    Local(String),
    /// A generated type in the shared module.
    Shared(String),
}

impl FieldTy {
    /// The generated type this names, through `Option`, `Vec`, maps and boxes.
    pub fn named(&self) -> Option<&str> {
        match self {
            FieldTy::Local(n) | FieldTy::Shared(n) => Some(n),
            FieldTy::Vec(t) | FieldTy::Map(t) | FieldTy::Nullable(t) | FieldTy::Boxed(t) => {
                t.named()
            }
            _ => None,
        }
    }
}

/// A string enum.
#[derive(Debug, Clone)]
pub struct EnumDef {
    /// Rust name.
    pub name: String,
    /// Rustdoc.
    pub doc: Option<String>,
    /// (variant name, JSON value), in schema order.
    pub variants: Vec<(String, String)>,
}

/// An enum of JSON literals (numbers, booleans, null, strings mixed with those).
#[derive(Debug, Clone)]
pub struct LiteralsDef {
    /// Rust name.
    pub name: String,
    /// Rustdoc.
    pub doc: Option<String>,
    /// (variant name, JSON value), in schema order.
    pub variants: Vec<(String, Value)>,
}

/// A tuple: an array of a list of items, each of its own type, the first `min_items`
/// required and the rest optional (an array may stop before them, never skip one), and,
/// with `rest`, any number of items of one type after the list.
#[derive(Debug, Clone)]
pub struct TupleDef {
    /// Rust name.
    pub name: String,
    /// Rustdoc.
    pub doc: Option<String>,
    /// Each item's type, in order.
    pub items: Vec<FieldTy>,
    /// How many items every value has (`minItems`: at most `items.len()` without `rest`).
    pub min_items: usize,
    /// The type of every item after the list (that of `additionalItems`' schema, or
    /// `FieldTy::Any` when it is absent or `true`): a value has them only when it has every
    /// listed item. `None` when nothing can follow the list (`additionalItems: false`, or a
    /// `maxItems` the list reaches).
    pub rest: Option<FieldTy>,
    /// How many items a value has at most (`maxItems`), with `rest`.
    pub max_items: Option<usize>,
}

/// What a union is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnionKind {
    /// `oneOf`: exactly one branch accepts the value.
    OneOf,
    /// `anyOf`: the first branch, in order, that accepts the value.
    AnyOf,
    /// A `type` list: the branch of the value's JSON type.
    Types,
}

/// A union: one of several shapes.
#[derive(Debug, Clone)]
pub struct UnionDef {
    /// Rust name.
    pub name: String,
    /// Rustdoc.
    pub doc: Option<String>,
    /// Pointer of the union's schema in the bundled schema.
    pub pointer: String,
    /// What the union is of.
    pub kind: UnionKind,
    /// The property whose value tells the branches apart, when there is one.
    pub tag: Option<String>,
    /// The variants, in schema order.
    pub variants: Vec<Variant>,
    /// Whether the variants' own reads decide the value alone, so that the union's
    /// subschema need not be checked first:
    /// - a tagged union (every branch requires its own value of the tag, so at most one
    ///   branch can accept a value, and `oneOf` is `anyOf`) whose schema says nothing beside
    ///   the combinator and whose every variant's type is exact (checking itself where it
    ///   must);
    /// - a union of `type`s whose every variant's type holds all the schema says of values
    ///   of its JSON type: the value's JSON type picks the one variant that can hold it;
    /// - an untagged `anyOf`/`oneOf` whose branches each allow one JSON type, no two
    ///   overlapping, and whose every variant's type is exact: each variant has its
    ///   branch's [`Variant::json_type`], which picks it as in a union of `type`s.
    pub exact: bool,
    /// Whether the union's subschema is its `anyOf`/`oneOf` alone, each branch one variant
    /// in schema order, so that choosing the variant decides the union's check: the branch
    /// chosen accepts the value (and, for `oneOf`, no later branch does). Every `anyOf`/
    /// `oneOf` union that is not `exact` is (`node_ty` makes a union only of a combinator
    /// with no constraining sibling); a union of `type`s is not.
    pub bare: bool,
    /// Where the subschema is.
    pub owner: SchemaOwner,
}

/// One variant of a union.
#[derive(Debug, Clone)]
pub struct Variant {
    /// The Rust variant name.
    pub name: String,
    /// The type it holds.
    pub ty: FieldTy,
    /// The pointer of its branch's schema (for `anyOf`/`oneOf`).
    pub pointer: String,
    /// Its value of the union's tag property, for a tagged union.
    pub tag_value: Option<Value>,
    /// The JSON type it holds, for a union of types (`string`, `integer`, ...), and for an
    /// untagged `exact` `anyOf`/`oneOf`: its branch's one type.
    pub json_type: Option<String>,
    /// For a variant of an untagged `bare` union whose branch accepts only objects and
    /// whose type is exact (its read is the branch's whole check): the members the branch
    /// requires, in schema order. A value without one of them cannot be of this branch, so
    /// when only one branch is left the variant is read with no check of the others.
    pub requires: Option<Vec<String>>,
    /// For a variant of an untagged `bare` union: its type is exact, so its read is its
    /// branch's whole check, and the union tries the read instead of checking the branch.
    pub exact: bool,
}

/// The scalar a newtype wraps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scalar {
    /// `String`.
    String,
    /// `u64` (integer, minimum ≥ 0).
    U64,
    /// `i64` (integer).
    I64,
    /// `f64` (number).
    F64,
}

/// A constrained scalar.
#[derive(Debug, Clone)]
pub struct NewtypeDef {
    /// Rust name.
    pub name: String,
    /// Rustdoc.
    pub doc: Option<String>,
    /// The wrapped scalar.
    pub scalar: Scalar,
    /// The constraints the constructor checks.
    pub constraints: Constraints,
}

/// Constraints on a scalar, as the schema states them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    /// `minLength`, in Unicode code points.
    pub min_length: Option<u64>,
    /// `maxLength`, in Unicode code points.
    pub max_length: Option<u64>,
    /// `pattern`, an ECMA-262 regular expression.
    pub pattern: Option<String>,
    /// `format`, checked as the runtime's check checks it.
    pub format: Option<String>,
    /// `minimum`.
    pub minimum: Option<f64>,
    /// `maximum`.
    pub maximum: Option<f64>,
    /// `exclusiveMinimum` (draft-07: a number).
    pub exclusive_minimum: Option<f64>,
    /// `exclusiveMaximum` (draft-07: a number).
    pub exclusive_maximum: Option<f64>,
    /// `multipleOf`.
    pub multiple_of: Option<f64>,
}

/// Keywords that only annotate and never constrain (or, for `definitions`, only hold
/// schemas for `$ref`s).
const ANNOTATIONS: &[&str] = &[
    "$schema",
    "$id",
    "$comment",
    "definitions",
    "title",
    "description",
    "examples",
    "default",
    "readOnly",
    "writeOnly",
    "deprecated",
];

fn is_annotation(key: &str) -> bool {
    // Keywords draft-07 does not define constrain nothing either (`x-...`, vendor keys).
    ANNOTATIONS.contains(&key) || (key != "$ref" && !ASSERTING_KEYWORDS.contains(&key))
}

/// Every draft-07 keyword that asserts something of an instance itself (`$ref` aside):
/// what [`Field::check_only`] and [`StructDef::check_only`] may name. One list, the
/// check's, whose [`KeywordSet`](event_contracts_check::schema::KeywordSet) reads them.
pub use event_contracts_check::schema::ASSERTING_KEYWORDS;

/// A field type, and whether it accepts exactly the values its schema node accepts.
#[derive(Debug, Clone)]
struct Typed {
    ty: FieldTy,
    exact: bool,
    /// For an inexact type: the keywords of its own schema (after `$ref`s) that it does not
    /// hold, when it holds all the rest; empty when that cannot be said. A typed read plus
    /// a check of these keywords alone accepts exactly what the schema accepts.
    but_for: Vec<String>,
}

fn exact(ty: FieldTy) -> Typed {
    Typed {
        ty,
        exact: true,
        but_for: Vec::new(),
    }
}

fn inexact(ty: FieldTy) -> Typed {
    Typed {
        ty,
        exact: false,
        but_for: Vec::new(),
    }
}

/// `ty`, exact when `exact`, else inexact with nothing more known.
fn exact_if(ty: FieldTy, exact: bool) -> Typed {
    Typed {
        ty,
        exact,
        but_for: Vec::new(),
    }
}

/// The keywords of an object schema about its members as a whole, which a struct or map
/// does not hold.
const MEMBER_KEYWORDS: [&str; 4] = [
    "propertyNames",
    "minProperties",
    "maxProperties",
    "dependencies",
];

/// Adds to `to` each of `keys` it does not hold yet, in order.
fn add_unique(to: &mut Vec<String>, keys: Vec<String>) {
    for key in keys {
        if !to.contains(&key) {
            to.push(key);
        }
    }
}

/// The keywords among `keys` that `obj` has.
fn present(obj: &Map<String, Value>, keys: &[&str]) -> Vec<String> {
    keys.iter()
        .filter(|k| obj.contains_key(**k))
        .map(|k| (*k).to_owned())
        .collect()
}

struct Builder<'a> {
    set: &'a SchemaSet,
    ev: &'a EventVersion,
    owner: SchemaOwner,
    root: &'a Value,
    compiled: Option<&'a CompiledSchema>,
    types: Vec<TypeDef>,
    shared: &'a mut BTreeMap<String, TypeDef>,
    /// What each shared definition (by bundle key) became, once built: every later
    /// reference, from any event, gets the same type and the same exactness.
    shared_keys: &'a mut BTreeMap<String, Typed>,
    diags: &'a mut Vec<Diagnostic>,
    /// What each schema pointer became, so a definition referenced twice is one type.
    by_pointer: BTreeMap<String, Typed>,
    /// `$ref` targets being built, with the name of the type being defined there once it
    /// has one: a reference back to it is then boxed.
    active: BTreeMap<String, Option<String>>,
    /// Whether the type of each array's `items` and each map's `additionalProperties` (by
    /// that schema's pointer) is exact: an array property whose only inexact keywords are
    /// `minItems`/`maxItems` is then read straight into its `Vec` and counted
    /// ([`Field::items`]), and a map property whose only inexact keywords are
    /// `minProperties`/`maxProperties`/`propertyNames` straight into its map
    /// ([`Field::members`]).
    part_exact: BTreeMap<String, bool>,
}

/// Builds the model for a checked folder.
pub fn build(set: &SchemaSet) -> Result<Model, Diagnostics> {
    let mut diags = Vec::new();
    let mut shared = BTreeMap::new();
    let mut shared_keys = BTreeMap::new();
    let mut events = Vec::new();
    for event in &set.events {
        let mut versions = Vec::new();
        let module = snake_case(&event.name);
        for ev in &event.versions {
            let compiled = CompiledSchema::compile(&ev.bundled);
            let mut b = Builder {
                set,
                ev,
                owner: SchemaOwner {
                    event_module: module.clone(),
                    version_module: version_module(&ev.version),
                },
                root: &ev.bundled,
                compiled: compiled.as_ref().ok(),
                types: Vec::new(),
                shared: &mut shared,
                shared_keys: &mut shared_keys,
                diags: &mut diags,
                by_pointer: BTreeMap::new(),
                active: BTreeMap::new(),
                part_exact: BTreeMap::new(),
            };
            if let Err(error) = &compiled {
                // The generator reports it with its own diagnostic; the types still get built
                // (as unchecked values where a `$ref` cannot be followed).
                let _ = error;
            }
            b.root_struct(&event.name);
            versions.push(VersionModel {
                version: ev.version.clone(),
                module: version_module(&ev.version),
                file: ev.file.clone(),
                types: b.types,
                bundled: ev.bundled.clone(),
            });
        }
        mark_since(&mut versions);
        events.push(EventModel {
            name: event.name.clone(),
            module,
            versions,
        });
    }
    Diagnostics(diags).into_result(Model {
        shared: shared.into_values().collect(),
        events,
    })
}

/// For the newest minor of each major, records in which minor each property first appeared,
/// so that decoding an older minor treats later properties as unknown (they were, then).
fn mark_since(versions: &mut [VersionModel]) {
    let majors: BTreeSet<u64> = versions.iter().map(|v| v.version.major).collect();
    for major in majors {
        let mut first_seen: BTreeMap<(String, String), u64> = BTreeMap::new();
        for v in versions.iter().filter(|v| v.version.major == major) {
            for t in &v.types {
                if let TypeDef::Struct(s) = t {
                    for f in &s.fields {
                        first_seen
                            .entry((s.name.clone(), f.json.clone()))
                            .or_insert(v.version.minor);
                    }
                }
            }
        }
        for v in versions.iter_mut().filter(|v| v.version.major == major) {
            for t in &mut v.types {
                if let TypeDef::Struct(s) = t {
                    for f in &mut s.fields {
                        f.since_minor = first_seen
                            .get(&(s.name.clone(), f.json.clone()))
                            .copied()
                            .unwrap_or(0);
                    }
                }
            }
        }
    }
}

/// The JSON types a `type` keyword allows, in draft-07's names; `None` without `type`.
fn type_set(obj: &Map<String, Value>) -> Option<BTreeSet<String>> {
    match obj.get("type")? {
        Value::String(t) => Some(BTreeSet::from([t.clone()])),
        Value::Array(ts) => Some(
            ts.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
        ),
        _ => None,
    }
}

/// The members a schema requires of the objects it accepts, when it accepts only objects
/// (`type: "object"`) and requires at least one: what an untagged union's branch rules out
/// of a value that lacks one.
fn object_requires(schema: &Value) -> Option<Vec<String>> {
    let obj = schema.as_object()?;
    if type_set(obj)? != BTreeSet::from(["object".to_owned()]) {
        return None;
    }
    let mut names: Vec<String> = Vec::new();
    for name in obj.get("required")?.as_array()? {
        let name = name.as_str()?;
        if !names.iter().any(|n| n == name) {
            names.push(name.to_owned());
        }
    }
    (!names.is_empty()).then_some(names)
}

/// Whether `value` has one of the JSON types in `types` (integer: a number without a
/// fractional part, as draft-07 counts it).
fn has_type(value: &Value, types: &BTreeSet<String>) -> bool {
    let name = match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
        Value::Number(n) => {
            let integral = n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0);
            if integral && types.contains("integer") {
                return true;
            }
            "number"
        }
    };
    types.contains(name)
}

/// JSON equality: numbers by value (1 equals 1.0), objects by members, arrays by items.
fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            x == y || matches!((x.as_f64(), y.as_f64()), (Some(p), Some(q)) if p == q)
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| json_eq(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

/// A copy of `obj` without `keys`.
fn without(obj: &Map<String, Value>, keys: &[&str]) -> Map<String, Value> {
    obj.iter()
        .filter(|(k, _)| !keys.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// The keywords of `obj` that can constrain an instance.
fn constraining(obj: &Map<String, Value>) -> Vec<&str> {
    obj.keys()
        .map(String::as_str)
        .filter(|k| !is_annotation(k))
        .collect()
}

/// The two count keywords `min_key` and `max_key` of a schema, each `None` when absent;
/// `None` when one is not a whole number that fits `u64` (spelled `2.0`, say), which leaves
/// the value to the general check.
fn count_bounds(
    obj: &Map<String, Value>,
    min_key: &str,
    max_key: &str,
) -> Option<(Option<u64>, Option<u64>)> {
    let bound = |key: &str| match obj.get(key) {
        None => Some(None),
        Some(n) => n.as_u64().map(Some),
    };
    Some((bound(min_key)?, bound(max_key)?))
}

/// Whether a schema says what type its values are (`type`, `$ref`, `enum`, `const`): of two
/// schemas of one property in an `allOf`, the one whose type a field takes.
fn names_a_type(schema: &Value) -> bool {
    schema.as_object().is_some_and(|o| {
        ["type", "$ref", "enum", "const"]
            .iter()
            .any(|k| o.contains_key(*k))
    })
}

/// An object's `minProperties`, `maxProperties` and `propertyNames` (its keywords
/// `member_keys` about its members as a whole), when they are all of those and the bounds
/// are whole numbers: what its struct counts and checks as it reads the members. `None`
/// leaves them to the check.
fn counted_members(
    pointer: &str,
    obj: &Map<String, Value>,
    member_keys: &[String],
) -> Option<MemberCount> {
    if member_keys.is_empty()
        || member_keys.iter().any(|k| {
            !matches!(
                k.as_str(),
                "minProperties" | "maxProperties" | "propertyNames"
            )
        })
    {
        return None;
    }
    let (min, max) = count_bounds(obj, "minProperties", "maxProperties")?;
    Some(MemberCount {
        min: min.unwrap_or(0),
        max,
        names: obj
            .contains_key("propertyNames")
            .then(|| format!("{pointer}/propertyNames")),
    })
}

/// Whether `value` is a schema that accepts every instance: `true`, or an object with no
/// keyword that constrains (`{}`, or annotations alone).
fn accepts_everything(value: &Value) -> bool {
    match value {
        Value::Bool(b) => *b,
        Value::Object(obj) => constraining(obj).is_empty(),
        _ => false,
    }
}

/// Whether `value` is a schema that accepts `null` and nothing else, as unions of a type
/// with null write it: `{"type": "null"}`, `{"const": null}` or `{"enum": [null]}`.
fn is_null_schema(value: &Value) -> bool {
    let Some(obj) = value.as_object() else {
        return false;
    };
    let keys = constraining(obj);
    match keys.as_slice() {
        ["type"] => obj.get("type") == Some(&Value::String("null".to_owned())),
        ["const"] => obj.get("const") == Some(&Value::Null),
        ["enum"] => obj.get("enum") == Some(&Value::Array(vec![Value::Null])),
        _ => false,
    }
}

impl Builder<'_> {
    fn error(&mut self, pointer: &str, message: impl Into<String>, help: impl Into<String>) {
        let (file, line, inner) = self.ev.source_of(self.set, pointer);
        self.diags.push(Diagnostic {
            file,
            line,
            pointer: inner,
            message: message.into(),
            help: help.into(),
        });
    }

    fn root_struct(&mut self, event_name: &str) {
        let root = self.root;
        let Some(obj) = root.as_object() else {
            self.error(
                "",
                "an event schema is an object schema",
                "write the event as {\"type\": \"object\", ...}",
            );
            return;
        };
        let disc = self.set.options.discriminator.clone();
        let tag = Some((disc, event_name.to_owned()));
        self.object_struct("", obj, event_name.to_owned(), tag, None);
    }

    /// The schema at `pointer` after following `$ref`s (as the check resolves them).
    fn resolved(&self, pointer: &str) -> Option<(String, &Value)> {
        let mut pointer = pointer.to_owned();
        for _ in 0..64 {
            let value = self.root.pointer(&pointer)?;
            let has_ref = value
                .get("$ref")
                .and_then(Value::as_str)
                .is_some_and(|r| !r.is_empty());
            if !has_ref {
                return Some((pointer, value));
            }
            match self.compiled?.ref_target(&pointer)? {
                RefTarget::Document(target) if *target != pointer => pointer = target.clone(),
                _ => return None,
            }
        }
        None
    }

    /// The Rust type of the schema at `pointer`, generating named types as needed.
    fn ty_of(&mut self, pointer: &str, value: &Value, hint: &str) -> Typed {
        match value {
            Value::Bool(true) => exact(FieldTy::Any),
            // Accepts nothing: any value is held, and the check refuses it.
            Value::Bool(false) => inexact(FieldTy::Any),
            Value::Object(obj) => {
                let has_ref = obj
                    .get("$ref")
                    .and_then(Value::as_str)
                    .is_some_and(|r| !r.is_empty());
                if has_ref {
                    // Draft-07 ignores every sibling of `$ref`.
                    return self.ref_ty(pointer, hint);
                }
                self.node_ty(pointer, obj, hint)
            }
            _ => inexact(FieldTy::Any),
        }
    }

    fn ref_ty(&mut self, pointer: &str, hint: &str) -> Typed {
        let target = match self.compiled.and_then(|c| c.ref_target(pointer)) {
            Some(RefTarget::Document(target)) => target.clone(),
            // The meta-schema (a schema as a value): any value, checked.
            Some(RefTarget::MetaSchema(_)) | None => return inexact(FieldTy::Any),
        };
        if target == pointer {
            // A schema that is only a reference to itself constrains nothing.
            return exact(FieldTy::Any);
        }
        if let Some(done) = self.by_pointer.get(&target) {
            return done.clone();
        }
        if let Some(state) = self.active.get(&target) {
            return match state {
                Some(name) => exact(FieldTy::Boxed(Box::new(FieldTy::Local(name.clone())))),
                // A cycle through schemas that name no type: held as a checked value.
                None => inexact(FieldTy::Any),
            };
        }
        let tokens = pointer_tokens(&target);
        if let [defs, key] = tokens.as_slice() {
            if defs == "definitions" && self.ev.origins.contains_key(key) {
                let key = key.clone();
                let done = self.shared_ty(&target, &key);
                self.by_pointer.insert(target, done.clone());
                return done;
            }
        }
        let Some(node) = self.root.pointer(&target) else {
            return inexact(FieldTy::Any);
        };
        let hint = tokens
            .last()
            .filter(|t| !t.is_empty() && t.parse::<usize>().is_err())
            .map(|t| pascal_case(t))
            .unwrap_or_else(|| hint.to_owned());
        self.active.insert(target.clone(), None);
        let done = self.ty_of(&target, node, &hint);
        self.active.remove(&target);
        self.by_pointer.insert(target, done.clone());
        done
    }

    /// Records, for a `$ref` target being built, the name of the type defined there.
    fn defining(&mut self, pointer: &str, name: &str) {
        if let Some(slot) = self.active.get_mut(pointer) {
            *slot = Some(name.to_owned());
        }
    }

    /// A `$ref` into a shared file: the type is generated once, in the shared module.
    fn shared_ty(&mut self, pointer: &str, key: &str) -> Typed {
        if let Some(done) = self.shared_keys.get(key) {
            return done.clone();
        }
        let Some(target) = self.root.pointer(pointer) else {
            return inexact(FieldTy::Any);
        };
        let short = key.rsplit('.').next().unwrap_or(key);
        let hint = pascal_case(short);
        // Build it as if local, then move the new named types into the shared module.
        let before = self.types.len();
        self.active.insert(pointer.to_owned(), None);
        let typed = self.ty_of(pointer, target, &hint);
        self.active.remove(pointer);
        let moved: Vec<TypeDef> = self.types.drain(before..).collect();
        for mut t in moved {
            match &mut t {
                TypeDef::Struct(s) => {
                    for f in &mut s.fields {
                        f.ty = to_shared(std::mem::replace(&mut f.ty, FieldTy::Any));
                    }
                    s.additional = s.additional.take().map(to_shared);
                }
                TypeDef::Union(u) => {
                    for v in &mut u.variants {
                        v.ty = to_shared(std::mem::replace(&mut v.ty, FieldTy::Any));
                    }
                }
                _ => {}
            }
            let name = t.name().to_owned();
            if self.shared.contains_key(&name) {
                self.error(
                    pointer,
                    format!("two shared definitions would both generate the type {name}"),
                    "rename one of the shared definitions",
                );
                return inexact(FieldTy::Any);
            }
            self.shared.insert(name, t);
        }
        let done = Typed {
            ty: to_shared(typed.ty),
            exact: typed.exact,
            but_for: typed.but_for,
        };
        self.shared_keys.insert(key.to_owned(), done.clone());
        done
    }

    /// The type of a schema object without `$ref`.
    fn node_ty(&mut self, pointer: &str, obj: &Map<String, Value>, hint: &str) -> Typed {
        let doc = obj
            .get("description")
            .and_then(Value::as_str)
            .map(str::to_owned);
        for key in ["oneOf", "anyOf"] {
            let Some(Value::Array(branches)) = obj.get(key) else {
                continue;
            };
            let kind = if key == "oneOf" {
                UnionKind::OneOf
            } else {
                UnionKind::AnyOf
            };
            let siblings: Vec<&str> = constraining(obj)
                .into_iter()
                .filter(|k| *k != key)
                .collect();
            if siblings.is_empty() {
                let branch_ptr = |i: usize| format!("{pointer}/{key}/{i}");
                if let [only] = branches.as_slice() {
                    return self.ty_of(&branch_ptr(0), only, hint);
                }
                if let Some(typed) = self.nullable(pointer, key, branches, kind, hint) {
                    return typed;
                }
                return self.union(pointer, key, branches, kind, hint, doc);
            }
            // The branches share other keywords: the type of those, and the branches
            // checked.
            let rest = without(obj, &["oneOf", "anyOf"]);
            let typed = self.node_ty(pointer, &rest, hint);
            return self.but_for(pointer, typed, present(obj, &["oneOf", "anyOf"]));
        }
        if obj.contains_key("allOf") {
            if let Some(typed) = self.all_of(pointer, obj, hint, doc.clone()) {
                return typed;
            }
            let rest = without(obj, &["allOf"]);
            let typed = self.node_ty(pointer, &rest, hint);
            return self.but_for(pointer, typed, vec!["allOf".to_owned()]);
        }
        // `then`/`else` without `if` do nothing in draft-07.
        if obj.contains_key("not") || obj.contains_key("if") {
            let rest = without(obj, &["not", "if", "then", "else"]);
            let typed = self.node_ty(pointer, &rest, hint);
            let mut keys = present(obj, &["not", "if"]);
            if obj.contains_key("if") {
                keys.extend(present(obj, &["then", "else"]));
            }
            return self.but_for(pointer, typed, keys);
        }
        if obj.contains_key("enum") || obj.contains_key("const") {
            return self.literals(pointer, obj, hint, doc);
        }
        let Some(mut types) = type_set(obj) else {
            // Without `type` the value may be of any type, each keyword applying to its own.
            let keys = constraining(obj);
            let constrains = keys.iter().any(|k| !matches!(*k, "then" | "else"));
            return exact_if(FieldTy::Any, !constrains);
        };
        if types.contains("number") {
            types.remove("integer");
        }
        let nullable = types.remove("null");
        let inner = match types.len() {
            0 if nullable => return exact(FieldTy::Null),
            0 => return inexact(FieldTy::Any),
            1 => {
                let t = types.first().cloned().unwrap_or_default();
                self.single(pointer, obj, &t, hint, doc)
            }
            _ => self.type_union(pointer, obj, &types, hint, doc),
        };
        if nullable {
            // The same schema: what the inner type does not hold, the nullable one does not.
            Typed {
                ty: FieldTy::Nullable(Box::new(inner.ty)),
                exact: inner.exact,
                but_for: inner.but_for,
            }
        } else {
            inner
        }
    }

    /// `anyOf`/`oneOf` of one schema and a null schema: a nullable value.
    fn nullable(
        &mut self,
        pointer: &str,
        key: &str,
        branches: &[Value],
        kind: UnionKind,
        hint: &str,
    ) -> Option<Typed> {
        let [first, second] = branches else {
            return None;
        };
        let (index, other) = match (is_null_schema(first), is_null_schema(second)) {
            (true, false) => (1, second),
            (false, true) => (0, first),
            _ => return None,
        };
        let inner = self.ty_of(&format!("{pointer}/{key}/{index}"), other, hint);
        // Under `oneOf`, null must match the null branch only: a branch that also accepts
        // null makes null invalid, which `Option` cannot say.
        let accepts_null = matches!(
            inner.ty,
            FieldTy::Any | FieldTy::Null | FieldTy::Nullable(_)
        );
        let exact = inner.exact && !(kind == UnionKind::OneOf && accepts_null);
        Some(exact_if(FieldTy::Nullable(Box::new(inner.ty)), exact))
    }

    fn single(
        &mut self,
        pointer: &str,
        obj: &Map<String, Value>,
        json_type: &str,
        hint: &str,
        doc: Option<String>,
    ) -> Typed {
        match json_type {
            "boolean" => exact(FieldTy::Bool),
            "string" => self.string_ty(obj, hint, doc),
            "integer" | "number" => self.number_ty(obj, json_type == "integer", hint, doc),
            "object" => self.object_ty(pointer, obj, hint, doc),
            "array" => self.array_ty(pointer, obj, hint, doc),
            _ => inexact(FieldTy::Any),
        }
    }

    fn string_ty(&mut self, obj: &Map<String, Value>, hint: &str, doc: Option<String>) -> Typed {
        let length = |k: &str| obj.get(k).and_then(Value::as_u64);
        let format = obj
            .get("format")
            .and_then(Value::as_str)
            .filter(|f| event_contracts_check::formats::checker(f).is_some())
            .map(str::to_owned);
        let constraints = Constraints {
            min_length: length("minLength"),
            max_length: length("maxLength"),
            pattern: obj
                .get("pattern")
                .and_then(Value::as_str)
                .map(str::to_owned),
            format: format.clone(),
            ..Constraints::default()
        };
        let only_format = Constraints {
            format: format.clone(),
            ..Constraints::default()
        };
        if constraints == Constraints::default() {
            return exact(FieldTy::String);
        }
        if constraints == only_format {
            match format.as_deref() {
                Some("uuid") => return exact(FieldTy::Uuid),
                Some("date-time") => return exact(FieldTy::DateTime),
                _ => {}
            }
        }
        exact(self.newtype(hint, doc, Scalar::String, constraints))
    }

    fn number_ty(
        &mut self,
        obj: &Map<String, Value>,
        integer: bool,
        hint: &str,
        doc: Option<String>,
    ) -> Typed {
        let number = |k: &str| obj.get(k).and_then(Value::as_f64);
        let constraints = Constraints {
            minimum: number("minimum"),
            maximum: number("maximum"),
            exclusive_minimum: number("exclusiveMinimum"),
            exclusive_maximum: number("exclusiveMaximum"),
            multiple_of: number("multipleOf"),
            ..Constraints::default()
        };
        if integer
            && constraints
                == (Constraints {
                    minimum: Some(0.0),
                    ..Constraints::default()
                })
        {
            return exact(FieldTy::U64);
        }
        if constraints == Constraints::default() {
            return exact(if integer { FieldTy::I64 } else { FieldTy::F64 });
        }
        let unsigned = integer && constraints.minimum.is_some_and(|m| m >= 0.0);
        let scalar = match (integer, unsigned) {
            (true, true) => Scalar::U64,
            (true, false) => Scalar::I64,
            (false, _) => Scalar::F64,
        };
        // Bounds and `multipleOf` are checked on the value as an `f64`, where the check
        // compares exactly: a value that only an exact comparison tells apart is checked.
        let exact_in_f64 = [
            constraints.minimum,
            constraints.maximum,
            constraints.exclusive_minimum,
            constraints.exclusive_maximum,
        ]
        .iter()
        .flatten()
        .all(|b| b.abs() < 9_007_199_254_740_992.0)
            && constraints
                .multiple_of
                .is_none_or(|m| m.fract() == 0.0 && m < 9_007_199_254_740_992.0);
        let ty = self.newtype(hint, doc, scalar, constraints);
        exact_if(ty, exact_in_f64)
    }

    fn array_ty(
        &mut self,
        pointer: &str,
        obj: &Map<String, Value>,
        hint: &str,
        doc: Option<String>,
    ) -> Typed {
        // What a `Vec` of exact items does not hold: checked on the array.
        let bounds = present(obj, &["maxItems", "minItems", "uniqueItems", "contains"]);
        let items_exact = match obj.get("items") {
            None => Some(FieldTy::Any),
            Some(Value::Array(items)) => {
                if let Some(typed) = self.tuple_ty(pointer, obj, items, hint, doc) {
                    return typed;
                }
                None
            }
            Some(items) => {
                let items_at = format!("{pointer}/items");
                let inner = self.ty_of(&items_at, items, &format!("{hint}Item"));
                self.part_exact.insert(items_at, inner.exact);
                if inner.exact {
                    Some(inner.ty)
                } else {
                    return inexact(FieldTy::Vec(Box::new(inner.ty)));
                }
            }
        };
        match items_exact {
            None => inexact(FieldTy::Vec(Box::new(FieldTy::Any))),
            Some(item) if bounds.is_empty() => exact(FieldTy::Vec(Box::new(item))),
            Some(item) => Typed {
                ty: FieldTy::Vec(Box::new(item)),
                exact: false,
                but_for: bounds,
            },
        }
    }

    /// `{"type": "array", "items": [...]}` with nothing else that constrains but
    /// `additionalItems`, `minItems` and `maxItems`: a tuple of the items' types, when each
    /// is exact (a scalar, a UUID or a time, an object, a union, an array, a map or another
    /// tuple, or a nullable one; not `null` alone).
    /// - With `additionalItems: false`, or a `maxItems` the list reaches (Sentry's
    ///   `[key, value]` pairs: two items, `minItems` and `maxItems` 2, no
    ///   `additionalItems`), nothing follows the list: the bounds must leave every listed
    ///   item possible, and the tuple is exact.
    /// - Otherwise the items after the list are the tuple's `rest`: of the item type of
    ///   `additionalItems`' schema, or `serde_json::Value`s when it is absent, `true` or
    ///   `{}`. `minItems` may ask for items after the list. The tuple counts its items as it
    ///   reads, but Rust does not hold the bounds, so the type is exact but for
    ///   `minItems`/`maxItems` when they say more than the list does (`build` checks them).
    ///
    /// - `uniqueItems` and `contains` beside the list are checked on the array as it is
    ///   read (the type is exact but for them).
    ///
    /// Otherwise `None`, and the array stays a checked `Vec<Value>`.
    fn tuple_ty(
        &mut self,
        pointer: &str,
        obj: &Map<String, Value>,
        items: &[Value],
        hint: &str,
        doc: Option<String>,
    ) -> Option<Typed> {
        // The item types made before an item turns out not to fit would be generated and
        // never used: a tuple that is refused leaves no types behind.
        let made = self.types.len();
        let typed = self.tuple_of(pointer, obj, items, hint, doc);
        if typed.is_none() {
            self.types.truncate(made);
        }
        typed
    }

    /// [`Self::tuple_ty`], which drops the types this made when it refuses the tuple.
    fn tuple_of(
        &mut self,
        pointer: &str,
        obj: &Map<String, Value>,
        items: &[Value],
        hint: &str,
        doc: Option<String>,
    ) -> Option<Typed> {
        // The array branch of its schema: `items` and the counts constrain only arrays, so
        // the tuple is the same for `type: ["array", "null"]` (the caller makes it nullable)
        // or a union of types.
        if items.is_empty() || !type_set(obj)?.contains("array") {
            return None;
        }
        let only_tuple = constraining(obj).iter().all(|k| {
            matches!(
                *k,
                "type"
                    | "items"
                    | "additionalItems"
                    | "minItems"
                    | "maxItems"
                    | "uniqueItems"
                    | "contains"
            )
        });
        if !only_tuple {
            return None;
        }
        let (min, max) = count_bounds(obj, "minItems", "maxItems")?;
        let min = usize::try_from(min.unwrap_or(0)).ok()?;
        let max = max.map(usize::try_from).transpose().ok()?;
        if max.is_some_and(|m| m < items.len().max(min)) {
            return None;
        }
        // What may follow the list: nothing (`additionalItems: false`, or a `maxItems` the
        // list reaches, whatever `additionalItems` says), items of one schema, or anything
        // (`additionalItems` absent or `true`).
        let closed = obj.get("additionalItems") == Some(&Value::Bool(false))
            || max.is_some_and(|m| m <= items.len());
        let rest_schema = match obj.get("additionalItems") {
            _ if closed => None,
            None | Some(Value::Bool(true)) => Some(&Value::Bool(true)),
            Some(schema @ Value::Object(_)) => Some(schema),
            _ => return None,
        };
        if min > items.len() && rest_schema.is_none() {
            return None;
        }
        let name = self.unique_name(hint);
        let mut types = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            types.push(self.tuple_item(
                &format!("{pointer}/items/{i}"),
                item,
                &format!("{name}{i}"),
            )?);
        }
        let rest = match rest_schema {
            // Anything: the items after the list are kept as they were read.
            Some(Value::Bool(true)) => Some(FieldTy::Any),
            Some(schema) => {
                let at = format!("{pointer}/additionalItems");
                let typed = self.ty_of(&at, schema, &format!("{name}Item"));
                match typed.ty {
                    FieldTy::Any if typed.exact => Some(FieldTy::Any),
                    _ => Some(self.held_item(typed)?),
                }
            }
            None => None,
        };
        // What the tuple counts but Rust does not hold: items after the list asked for, or
        // a bound on them.
        let mut but_for = Vec::new();
        if rest.is_some() {
            if min > items.len() {
                but_for.push("minItems".to_owned());
            }
            if max.is_some() {
                but_for.push("maxItems".to_owned());
            }
        }
        // What no tuple struct holds, whatever its items: checked on the array when it is
        // read, as a count beside a rest is.
        if obj.get("uniqueItems") == Some(&Value::Bool(true)) {
            but_for.push("uniqueItems".to_owned());
        }
        if obj.contains_key("contains") {
            but_for.push("contains".to_owned());
        }
        self.types.push(TypeDef::Tuple(TupleDef {
            name: name.clone(),
            doc,
            items: types,
            min_items: min,
            rest,
            max_items: max.filter(|_| rest_schema.is_some()),
        }));
        Some(Typed {
            ty: FieldTy::Local(name),
            exact: but_for.is_empty(),
            but_for,
        })
    }

    /// The type of a tuple's item at `pointer`, when a tuple may hold it: exact, and not
    /// `null` alone ([`Self::is_tuple_item`]).
    fn tuple_item(&mut self, pointer: &str, item: &Value, hint: &str) -> Option<FieldTy> {
        let typed = self.ty_of(pointer, item, hint);
        self.held_item(typed)
    }

    /// `typed`'s type, when a tuple may hold it as an item (see [`Self::tuple_item`]).
    fn held_item(&self, typed: Typed) -> Option<FieldTy> {
        let held = match &typed.ty {
            FieldTy::Nullable(inner) => self.is_tuple_item(inner),
            ty => self.is_tuple_item(ty),
        };
        (typed.exact && held).then_some(typed.ty)
    }

    /// Whether a tuple may hold `ty` as an item: any type but `null` alone (a scalar, a
    /// UUID or a time, a struct, a union, another tuple, an array or a map), each read by
    /// its own `FieldValue` with its spellings kept.
    fn is_tuple_item(&self, ty: &FieldTy) -> bool {
        !matches!(ty, FieldTy::Null)
    }

    fn object_ty(
        &mut self,
        pointer: &str,
        obj: &Map<String, Value>,
        hint: &str,
        doc: Option<String>,
    ) -> Typed {
        let declares = ["properties", "required", "patternProperties"]
            .iter()
            .any(|k| match obj.get(*k) {
                Some(Value::Object(m)) => !m.is_empty(),
                Some(Value::Array(a)) => !a.is_empty(),
                _ => false,
            });
        // What a map of exact values does not hold: checked on the object.
        let other_keywords = present(obj, &MEMBER_KEYWORDS);
        let map_of =
            |ty: FieldTy, values_exact: bool| match (values_exact, other_keywords.is_empty()) {
                (true, true) => exact(ty),
                (true, false) => Typed {
                    ty,
                    exact: false,
                    but_for: other_keywords.clone(),
                },
                (false, _) => inexact(ty),
            };
        if !declares {
            match obj.get("additionalProperties") {
                None | Some(Value::Bool(true)) => return map_of(FieldTy::Object, true),
                Some(Value::Bool(false)) => {}
                Some(schema) => {
                    let values_at = format!("{pointer}/additionalProperties");
                    let inner = self.ty_of(&values_at, schema, &format!("{hint}Value"));
                    self.part_exact.insert(values_at, inner.exact);
                    return map_of(FieldTy::Map(Box::new(inner.ty)), inner.exact);
                }
            }
        }
        let name = self.unique_name(hint);
        self.object_struct(pointer, obj, name, None, doc)
            .map(|name| exact(FieldTy::Local(name)))
            .unwrap_or_else(|| inexact(FieldTy::Object))
    }

    /// The type of the schema at `pointer`, given `typed`, the type of that schema without
    /// the keywords `keys` (`not`, `allOf`, ...): the same type, which does not hold them.
    /// When `typed` is a struct defined for this very schema, they become its own check
    /// and the struct stays exact; when `typed` is inexact with nothing more known, so is
    /// the result.
    fn but_for(&mut self, pointer: &str, typed: Typed, keys: Vec<String>) -> Typed {
        if keys.is_empty() {
            return typed;
        }
        let mut all = if typed.exact {
            Vec::new()
        } else if typed.but_for.is_empty() {
            return inexact(typed.ty);
        } else {
            typed.but_for
        };
        add_unique(&mut all, keys);
        let own = match &typed.ty {
            FieldTy::Local(name) => self.types.iter_mut().find_map(|t| match t {
                TypeDef::Struct(s) if &s.name == name && s.pointer == pointer => Some(s),
                _ => None,
            }),
            _ => None,
        };
        if let Some(s) = own {
            s.add_check(all);
            return exact(typed.ty);
        }
        Typed {
            ty: typed.ty,
            exact: false,
            but_for: all,
        }
    }

    /// The item count bounds of an array schema whose type is exact but for them:
    /// `{"type": "array", "items": {...}, "minItems": m, "maxItems": n}` (either bound, and
    /// nothing else that constrains) whose `items` type is exact.
    fn counted_array(&self, pointer: &str, schema: &Value, ty: &FieldTy) -> Option<ItemCount> {
        let obj = schema.as_object()?;
        if obj.get("type")? != "array" || obj.get("items").is_none_or(Value::is_array) {
            return None;
        }
        let only_counts = constraining(obj).iter().all(|k| {
            matches!(
                *k,
                "type" | "items" | "minItems" | "maxItems" | "uniqueItems"
            )
        });
        if !only_counts || self.part_exact.get(&format!("{pointer}/items")) != Some(&true) {
            return None;
        }
        let unique = match obj.get("uniqueItems") {
            None | Some(Value::Bool(false)) => false,
            // Compared as the leaves they were read as: scalars only.
            Some(Value::Bool(true)) => match ty {
                FieldTy::Vec(item) if self.is_leaf(item) => true,
                _ => return None,
            },
            Some(_) => return None,
        };
        let (min, max) = count_bounds(obj, "minItems", "maxItems")?;
        if min.is_none() && max.is_none() && !unique {
            return None;
        }
        Some(ItemCount {
            min: min.unwrap_or(0),
            max,
            unique,
        })
    }

    /// Whether a value of `ty` is one JSON scalar, as read: a string, a number, a boolean,
    /// a string enum or a constrained scalar (the runtime's `Leaf` types).
    fn is_leaf(&self, ty: &FieldTy) -> bool {
        match ty {
            FieldTy::String | FieldTy::Bool | FieldTy::U64 | FieldTy::I64 | FieldTy::F64 => true,
            FieldTy::Local(name) => self
                .types
                .iter()
                .any(|t| t.name() == name && matches!(t, TypeDef::Enum(_) | TypeDef::Newtype(_))),
            FieldTy::Shared(name) => self
                .shared
                .values()
                .any(|t| t.name() == name && matches!(t, TypeDef::Enum(_) | TypeDef::Newtype(_))),
            _ => false,
        }
    }

    /// The member bounds of a map schema whose type is exact but for them:
    /// `{"type": "object", "additionalProperties": ..., "minProperties": m,
    /// "maxProperties": n, "propertyNames": {...}}` (any of the three, and nothing else
    /// that constrains), where `additionalProperties` is absent, `true`, or a schema whose
    /// type is exact.
    fn counted_map(&self, pointer: &str, schema: &Value) -> Option<MemberCount> {
        let obj = schema.as_object()?;
        if obj.get("type")? != "object" {
            return None;
        }
        let only_members = constraining(obj).iter().all(|k| {
            matches!(
                *k,
                "type"
                    | "additionalProperties"
                    | "minProperties"
                    | "maxProperties"
                    | "propertyNames"
            )
        });
        if !only_members {
            return None;
        }
        let values_exact = match obj.get("additionalProperties") {
            None | Some(Value::Bool(true)) => true,
            Some(Value::Bool(false)) => false,
            Some(_) => {
                self.part_exact
                    .get(&format!("{pointer}/additionalProperties"))
                    == Some(&true)
            }
        };
        if !values_exact {
            return None;
        }
        let (min, max) = count_bounds(obj, "minProperties", "maxProperties")?;
        let names = obj
            .contains_key("propertyNames")
            .then(|| format!("{pointer}/propertyNames"));
        if min.is_none() && max.is_none() && names.is_none() {
            return None;
        }
        Some(MemberCount {
            min: min.unwrap_or(0),
            max,
            names,
        })
    }

    /// The declared properties of an object schema at `pointer`: (name, pointer, schema).
    fn properties_of(pointer: &str, obj: &Map<String, Value>) -> Vec<(String, String, Value)> {
        obj.get("properties")
            .and_then(Value::as_object)
            .map(|props| {
                props
                    .iter()
                    .map(|(k, v)| {
                        (
                            k.clone(),
                            format!("{pointer}/properties/{}", escape_token(k)),
                            v.clone(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    fn object_struct(
        &mut self,
        pointer: &str,
        obj: &Map<String, Value>,
        name: String,
        tag: Option<(String, String)>,
        doc: Option<String>,
    ) -> Option<String> {
        let props = Self::properties_of(pointer, obj);
        self.struct_from(pointer, obj, props, name, tag, doc)
    }

    /// A struct from declared properties (`props`, possibly merged from several schemas)
    /// and the object keywords of `obj`.
    fn struct_from(
        &mut self,
        pointer: &str,
        obj: &Map<String, Value>,
        props: Vec<(String, String, Value)>,
        name: String,
        tag: Option<(String, String)>,
        doc: Option<String>,
    ) -> Option<String> {
        let doc = doc.or_else(|| {
            obj.get("description")
                .and_then(Value::as_str)
                .map(str::to_owned)
        });
        // Reserve the name before the fields so nested types come after their parent, and
        // so that a recursive reference to this struct finds it.
        let index = self.types.len();
        self.types.push(TypeDef::Struct(StructDef {
            name: name.clone(),
            doc: None,
            pointer: pointer.to_owned(),
            fields: Vec::new(),
            open: true,
            additional: None,
            pattern_properties: Vec::new(),
            tag: None,
            checked: false,
            check_only: None,
            members: None,
            owner: self.owner.clone(),
        }));
        self.defining(pointer, &name);
        let required: Vec<String> = obj
            .get("required")
            .and_then(Value::as_array)
            .map(|r| {
                r.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        // The object's keywords about its members as a whole are checked on the value,
        // alone; the other reasons below make the whole subschema checked.
        let member_keys = present(obj, &MEMBER_KEYWORDS);
        let members = counted_members(pointer, obj, &member_keys);
        let mut checked = false;
        let pattern_properties: Vec<String> = obj
            .get("patternProperties")
            .and_then(Value::as_object)
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default();
        // The values of undeclared properties that match a pattern are checked one by one
        // as they are read (see the `Object` derive); a declared property that a pattern
        // matches too must satisfy both schemas, which the whole object's check sees.
        checked |= pattern_properties.iter().any(|source| {
            let pattern = event_contracts_check::constraint::Pattern::new(source);
            props
                .iter()
                .any(|(name, _, _)| pattern.is_match(name) != Some(false))
        });
        let mut fields = Vec::new();
        let mut rust_names = BTreeSet::from([EXTRA_FIELD.to_owned(), ADDITIONAL_FIELD.to_owned()]);
        for (json_name, prop_ptr, prop) in &props {
            if tag.as_ref().is_some_and(|(d, _)| d == json_name) {
                continue;
            }
            if prop == &Value::Bool(false) {
                // A property that may not appear: no field; the check refuses it.
                checked = true;
                continue;
            }
            let rust = snake_case(json_name);
            let rust = if matches!(
                rust.as_str(),
                "self" | "super" | "crate" | "build" | "default" | "entry" | "unknown_property"
            ) {
                // Keywords that cannot be raw identifiers, and the names of the builder's own
                // methods (a setter `build` would clash with `build()`).
                format!("{rust}_")
            } else if is_keyword(&rust) {
                format!("r#{rust}")
            } else {
                rust
            };
            let rust = unique_field(&rust, &mut rust_names);
            let hint = format!(
                "{}{}",
                if pointer.is_empty() {
                    String::new()
                } else {
                    name.clone()
                },
                pascal_case(json_name)
            );
            let target = self
                .resolved(prop_ptr)
                .map(|(_, v)| v.clone())
                .unwrap_or_else(|| prop.clone());
            let prop_doc = prop
                .get("description")
                .and_then(Value::as_str)
                .or_else(|| target.get("description").and_then(Value::as_str))
                .map(str::to_owned);
            let default = target.get("default").cloned();
            let typed = self.ty_of(prop_ptr, prop, &hint);
            let check_only =
                (!typed.exact && !typed.but_for.is_empty()).then(|| typed.but_for.clone());
            let (items, members) = if typed.exact {
                (None, None)
            } else {
                (
                    self.counted_array(prop_ptr, prop, &typed.ty),
                    self.counted_map(prop_ptr, prop),
                )
            };
            fields.push(Field {
                json: json_name.clone(),
                rust,
                ty: typed.ty,
                required: required.contains(json_name),
                doc: prop_doc,
                default,
                since_minor: 0,
                check_at: (!typed.exact).then(|| prop_ptr.clone()),
                check_only,
                items,
                members,
            });
        }
        // A required property that no field holds stays in `extra`; the check requires it.
        checked |= required.iter().any(|r| {
            !props.iter().any(|(k, _, _)| k == r) && tag.as_ref().is_none_or(|(d, _)| d != r)
        });
        let (open, additional) = match obj.get("additionalProperties") {
            None | Some(Value::Bool(true)) => (true, None),
            Some(Value::Bool(false)) => (false, None),
            Some(schema) => {
                let typed = self.ty_of(
                    &format!("{pointer}/additionalProperties"),
                    schema,
                    &format!("{name}Value"),
                );
                checked |= !typed.exact;
                (true, Some(typed.ty))
            }
        };
        if let Some(TypeDef::Struct(s)) = self.types.get_mut(index) {
            s.doc = doc;
            s.fields = fields;
            s.tag = tag;
            s.open = open;
            s.additional = additional;
            s.pattern_properties = pattern_properties;
            s.checked = checked;
            s.members = members.clone();
            if members.is_none() && !member_keys.is_empty() {
                s.add_check(member_keys);
            }
        }
        Some(name)
    }

    /// `allOf` merged into one struct, where that keeps its meaning:
    /// - every part is an object schema that says only `type` (`object`), `properties`,
    ///   `required`, `minProperties`, `maxProperties`, `propertyNames` (in one part at most)
    ///   and `additionalProperties` as `true` or `false`;
    /// - a property declared by several parts has the same schema in each, or a schema that
    ///   accepts everything (`true`, `{}`) in all but one; otherwise its field has the type
    ///   of the last part's schema that names a type, which holds every value valid under
    ///   all of them, and the struct checks `allOf` (and `properties` beside it) as it
    ///   reads;
    /// - a closed part (`additionalProperties: false`) declares every property that any part
    ///   declares, so that the closed merge refuses exactly the names that part refuses.
    ///
    /// The merge requires every part's `required`, holds the properties once, is closed when
    /// a part is, and counts its members between the tightest bounds of the parts.
    fn all_of(
        &mut self,
        pointer: &str,
        obj: &Map<String, Value>,
        hint: &str,
        doc: Option<String>,
    ) -> Option<Typed> {
        let Some(Value::Array(branches)) = obj.get("allOf") else {
            return None;
        };
        let mut parts: Vec<(String, Map<String, Value>)> = Vec::new();
        let rest = without(obj, &["allOf"]);
        if !constraining(&rest).is_empty() {
            parts.push((pointer.to_owned(), rest));
        }
        for i in 0..branches.len() {
            let (at, value) = self.resolved(&format!("{pointer}/allOf/{i}"))?;
            parts.push((at, value.as_object()?.clone()));
        }
        if parts.len() == 1 && parts[0].0 != pointer {
            let (at, _) = parts.remove(0);
            let value = self.root.pointer(&at)?.clone();
            return Some(self.ty_of(&at, &value, hint));
        }
        let mut props: Vec<(String, String, Value)> = Vec::new();
        let mut required: Vec<Value> = Vec::new();
        // The names each closed part allows.
        let mut closed: Vec<BTreeSet<String>> = Vec::new();
        let mut members = MemberCount {
            min: 0,
            max: None,
            names: None,
        };
        // Whether a property has different schemas in two parts.
        let mut refined = false;
        for (at, part) in &parts {
            for key in constraining(part) {
                if !matches!(
                    key,
                    "type"
                        | "properties"
                        | "required"
                        | "additionalProperties"
                        | "minProperties"
                        | "maxProperties"
                        | "propertyNames"
                ) {
                    return None;
                }
            }
            if type_set(part).is_some_and(|t| t != BTreeSet::from(["object".to_owned()])) {
                return None;
            }
            let declared = Self::properties_of(at, part);
            match part.get("additionalProperties") {
                None | Some(Value::Bool(true)) => {}
                Some(Value::Bool(false)) => {
                    closed.push(declared.iter().map(|(name, _, _)| name.clone()).collect());
                }
                Some(_) => return None,
            }
            let (min, max) = count_bounds(part, "minProperties", "maxProperties")?;
            members.min = members.min.max(min.unwrap_or(0));
            members.max = match (members.max, max) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            if part.contains_key("propertyNames") {
                if members.names.is_some() {
                    return None;
                }
                members.names = Some(format!("{at}/propertyNames"));
            }
            for (name, prop_ptr, prop) in declared {
                match props.iter().position(|(n, _, _)| *n == name) {
                    None => props.push((name, prop_ptr, prop)),
                    Some(i) if json_eq(&props[i].2, &prop) || accepts_everything(&prop) => {}
                    Some(i) if accepts_everything(&props[i].2) => {
                        props[i] = (name, prop_ptr, prop);
                    }
                    // Two schemas of one property (GitHub's `pull_request` of a `closed`
                    // event: the pull request's `state`, `open` or `closed`, narrowed to
                    // `closed`): a valid value satisfies both, so the later one's type holds
                    // it, and the struct checks the parts.
                    Some(i) => {
                        refined = true;
                        // The later schema, unless only the earlier one names a type.
                        if names_a_type(&prop) || !names_a_type(&props[i].2) {
                            props[i] = (name, prop_ptr, prop);
                        }
                    }
                }
            }
            if let Some(Value::Array(r)) = part.get("required") {
                required.extend(r.iter().cloned());
            }
        }
        // Without `type: object` in any part, a non-object value passes every part.
        if !parts.iter().any(|(_, p)| type_set(p).is_some()) {
            return None;
        }
        if closed
            .iter()
            .any(|names| props.iter().any(|(name, _, _)| !names.contains(name)))
        {
            return None;
        }
        let mut merged = Map::new();
        merged.insert("type".to_owned(), Value::String("object".to_owned()));
        merged.insert("required".to_owned(), Value::Array(required));
        if !closed.is_empty() {
            merged.insert("additionalProperties".to_owned(), Value::Bool(false));
        }
        let name = self.unique_name(hint);
        let name = self.struct_from(pointer, &merged, props, name, None, doc)?;
        if members.min > 0 || members.max.is_some() || members.names.is_some() {
            let defined = self.types.iter_mut().rev().find_map(|t| match t {
                TypeDef::Struct(s) if s.name == name => Some(s),
                _ => None,
            });
            if let Some(s) = defined {
                s.members = Some(members);
            }
        }
        let typed = exact(FieldTy::Local(name));
        if !refined {
            return Some(typed);
        }
        // Each field holds one part's schema of its property: the struct checks the parts
        // (and the properties beside `allOf`, a part too) as it reads.
        Some(self.but_for(pointer, typed, present(obj, &["allOf", "properties"])))
    }

    /// `enum` and `const`: the values that are also of the node's `type`.
    fn literals(
        &mut self,
        pointer: &str,
        obj: &Map<String, Value>,
        hint: &str,
        doc: Option<String>,
    ) -> Typed {
        let _ = pointer;
        let mut values: Vec<Value> = match (obj.get("enum"), obj.get("const")) {
            (Some(Value::Array(values)), None) => values.clone(),
            (None, Some(c)) => vec![c.clone()],
            (Some(Value::Array(values)), Some(c)) => values
                .iter()
                .filter(|v| json_eq(v, c))
                .take(1)
                .cloned()
                .collect(),
            _ => Vec::new(),
        };
        if let Some(types) = type_set(obj) {
            values.retain(|v| has_type(v, &types));
        }
        let mut unique: Vec<Value> = Vec::new();
        for v in values {
            if !unique.iter().any(|u| json_eq(u, &v)) {
                unique.push(v);
            }
        }
        let others = constraining(obj)
            .into_iter()
            .any(|k| !matches!(k, "enum" | "const" | "type"));
        let exactly = !others;
        if unique.is_empty() {
            return inexact(FieldTy::Any);
        }
        if unique.iter().all(Value::is_string) {
            let mut used = BTreeSet::new();
            let variants = unique
                .iter()
                .filter_map(Value::as_str)
                .map(|s| (unique_variant(&pascal_case(s), &mut used), s.to_owned()))
                .collect();
            let name = self.unique_name(hint);
            self.types.push(TypeDef::Enum(EnumDef {
                name: name.clone(),
                doc,
                variants,
            }));
            return exact_if(FieldTy::Local(name), exactly);
        }
        if unique.iter().any(|v| v.is_array() || v.is_object()) {
            return inexact(FieldTy::Any);
        }
        let mut used = BTreeSet::new();
        let variants = unique
            .iter()
            .map(|v| (unique_variant(&literal_variant(v), &mut used), v.clone()))
            .collect();
        let name = self.unique_name(hint);
        self.types.push(TypeDef::Literals(LiteralsDef {
            name: name.clone(),
            doc,
            variants,
        }));
        exact_if(FieldTy::Local(name), exactly)
    }

    /// A `type` list of several types (other than `null`): a union by JSON type.
    fn type_union(
        &mut self,
        pointer: &str,
        obj: &Map<String, Value>,
        types: &BTreeSet<String>,
        hint: &str,
        doc: Option<String>,
    ) -> Typed {
        let name = self.unique_name(hint);
        let index = self.types.len();
        self.types.push(TypeDef::Union(UnionDef {
            name: name.clone(),
            doc: doc.clone(),
            pointer: pointer.to_owned(),
            kind: UnionKind::Types,
            tag: None,
            variants: Vec::new(),
            exact: false,
            bare: false,
            owner: self.owner.clone(),
        }));
        self.defining(pointer, &name);
        let mut variants = Vec::new();
        let mut all_exact = true;
        for t in types {
            let variant = pascal_case(t);
            let typed = self.single(pointer, obj, t, &format!("{name}{variant}"), None);
            all_exact &= typed.exact;
            variants.push(Variant {
                name: variant,
                ty: typed.ty,
                pointer: pointer.to_owned(),
                tag_value: None,
                json_type: Some(t.clone()),
                requires: None,
                exact: false,
            });
        }
        if let Some(TypeDef::Union(u)) = self.types.get_mut(index) {
            u.variants = variants;
            // Each variant's type holds all the schema says of values of its JSON type:
            // the JSON type picks the variant, and its read is the union's check.
            u.exact = all_exact;
        }
        exact(FieldTy::Local(name))
    }

    /// `anyOf`/`oneOf` of several schemas: a union, tagged where a property tells the
    /// branches apart.
    fn union(
        &mut self,
        pointer: &str,
        key: &str,
        branches: &[Value],
        kind: UnionKind,
        hint: &str,
        doc: Option<String>,
    ) -> Typed {
        let name = self.unique_name(hint);
        let index = self.types.len();
        self.types.push(TypeDef::Union(UnionDef {
            name: name.clone(),
            doc,
            pointer: pointer.to_owned(),
            kind,
            tag: None,
            variants: Vec::new(),
            exact: false,
            // Only called for a combinator with no constraining sibling (see `node_ty`),
            // with a variant for each branch.
            bare: true,
            owner: self.owner.clone(),
        }));
        self.defining(pointer, &name);
        let tag = self.union_tag(pointer, key, branches.len());
        let mut used = BTreeSet::new();
        let mut variants = Vec::new();
        let mut all_exact = true;
        for (i, branch) in branches.iter().enumerate() {
            let at = format!("{pointer}/{key}/{i}");
            let resolved = self.resolved(&at);
            let tag_value = tag.as_ref().and_then(|(_, values)| values.get(i).cloned());
            let label = self.variant_label(&at, branch, resolved.as_ref(), tag_value.as_ref(), i);
            let branch_requires = resolved.and_then(|(_, b)| object_requires(b));
            let variant = unique_variant(&label, &mut used);
            let typed = self.ty_of(&at, branch, &format!("{name}{variant}"));
            all_exact &= typed.exact;
            let requires = match (&tag, typed.exact) {
                (None, true) => branch_requires,
                _ => None,
            };
            variants.push(Variant {
                name: variant,
                ty: typed.ty,
                pointer: at,
                tag_value,
                json_type: None,
                requires,
                exact: tag.is_none() && typed.exact,
            });
        }
        // Untagged branches of one JSON type each, no two of which share a value: the
        // value's JSON type names the one branch that can accept it.
        let by_type = match (&tag, all_exact) {
            (None, true) => self.branch_types(pointer, key, branches.len()),
            _ => None,
        };
        if let Some(TypeDef::Union(u)) = self.types.get_mut(index) {
            if let Some(types) = by_type {
                for (variant, json_type) in variants.iter_mut().zip(types) {
                    variant.json_type = Some(json_type);
                    variant.requires = None;
                    variant.exact = false;
                }
                // The variant of the value's JSON type reads it, and its read is the branch's
                // check: no other branch can accept the value, so `oneOf` is `anyOf`.
                u.exact = true;
                u.bare = false;
            } else {
                // Only called for a combinator with no constraining sibling (see `node_ty`).
                u.exact = tag.is_some() && all_exact;
            }
            u.variants = variants;
            u.tag = tag.map(|(property, _)| property);
        }
        exact(FieldTy::Local(name))
    }

    /// Each branch's one JSON type, when every branch (after `$ref`s) names exactly one in
    /// `type` and no two branches can hold the same value: the types differ, and `integer`
    /// is not beside `number` (which holds integers).
    fn branch_types(&self, pointer: &str, key: &str, count: usize) -> Option<Vec<String>> {
        let mut types: Vec<String> = Vec::with_capacity(count);
        for i in 0..count {
            let (_, branch) = self.resolved(&format!("{pointer}/{key}/{i}"))?;
            let set = type_set(branch.as_object()?)?;
            let mut set = set.into_iter();
            let (Some(only), None) = (set.next(), set.next()) else {
                return None;
            };
            let overlaps = |t: &String| {
                *t == only
                    || matches!(
                        (t.as_str(), only.as_str()),
                        ("integer", "number") | ("number", "integer")
                    )
            };
            if types.iter().any(overlaps) {
                return None;
            }
            types.push(only);
        }
        Some(types)
    }

    /// A property that every branch requires with one fixed value (`const` or a one-value
    /// `enum`), a different one in each: (the property, each branch's value).
    fn union_tag(&self, pointer: &str, key: &str, count: usize) -> Option<(String, Vec<Value>)> {
        let branches: Vec<Map<String, Value>> = (0..count)
            .map(|i| {
                self.resolved(&format!("{pointer}/{key}/{i}"))
                    .and_then(|(_, v)| v.as_object().cloned())
            })
            .collect::<Option<_>>()?;
        let first = branches.first()?;
        let candidates = first.get("properties")?.as_object()?.keys();
        'candidates: for property in candidates {
            let mut values: Vec<Value> = Vec::new();
            for branch in &branches {
                let required = branch
                    .get("required")
                    .and_then(Value::as_array)
                    .is_some_and(|r| r.iter().any(|x| x.as_str() == Some(property)));
                if !required {
                    continue 'candidates;
                }
                let Some(prop) = branch.get("properties").and_then(|p| p.get(property)) else {
                    continue 'candidates;
                };
                let fixed = match (prop.get("const"), prop.get("enum")) {
                    (Some(c), None) => c.clone(),
                    (None, Some(Value::Array(e))) if e.len() == 1 => e[0].clone(),
                    _ => continue 'candidates,
                };
                if values.iter().any(|v| json_eq(v, &fixed)) {
                    continue 'candidates;
                }
                values.push(fixed);
            }
            return Some((property.clone(), values));
        }
        None
    }

    /// A variant's name: its definition's name, its title, its tag value, or its position.
    fn variant_label(
        &self,
        at: &str,
        branch: &Value,
        resolved: Option<&(String, &Value)>,
        tag_value: Option<&Value>,
        index: usize,
    ) -> String {
        if let Some(Value::String(tag)) = tag_value {
            return pascal_case(tag);
        }
        if let Some((target, value)) = resolved {
            if target != at {
                if let Some(last) = pointer_tokens(target).last() {
                    return pascal_case(last);
                }
            }
            if let Some(title) = value.get("title").and_then(Value::as_str) {
                return pascal_case(title);
            }
            if let Some(Value::String(t)) = value.get("type") {
                return pascal_case(t);
            }
        }
        if let Some(title) = branch.get("title").and_then(Value::as_str) {
            return pascal_case(title);
        }
        format!("Variant{index}")
    }

    /// A type name that clashes with nothing generated so far nor with the prelude.
    fn unique_name(&self, hint: &str) -> String {
        let hint = if hint.is_empty() { "Value" } else { hint };
        let name = if RESERVED_NAMES.contains(&hint) {
            format!("{hint}Type")
        } else {
            hint.to_owned()
        };
        let taken = |n: &str| {
            self.types.iter().any(|t| t.name() == n)
                || n == "EventType"
                || n.ends_with("Builder")
                    && self
                        .types
                        .iter()
                        .any(|t| format!("{}Builder", t.name()) == n)
        };
        let base = name.clone();
        let mut name = name;
        let mut i = 2;
        while taken(&name) {
            name = format!("{base}{i}");
            i += 1;
        }
        name
    }

    fn newtype(
        &mut self,
        hint: &str,
        doc: Option<String>,
        scalar: Scalar,
        constraints: Constraints,
    ) -> FieldTy {
        let name = self.unique_name(hint);
        self.types.push(TypeDef::Newtype(NewtypeDef {
            name: name.clone(),
            doc,
            scalar,
            constraints,
        }));
        FieldTy::Local(name)
    }
}

/// `ty` with its generated types named in the shared module.
fn to_shared(ty: FieldTy) -> FieldTy {
    match ty {
        FieldTy::Local(n) => FieldTy::Shared(n),
        FieldTy::Vec(inner) => FieldTy::Vec(Box::new(to_shared(*inner))),
        FieldTy::Map(inner) => FieldTy::Map(Box::new(to_shared(*inner))),
        FieldTy::Nullable(inner) => FieldTy::Nullable(Box::new(to_shared(*inner))),
        FieldTy::Boxed(inner) => FieldTy::Boxed(Box::new(to_shared(*inner))),
        other => other,
    }
}

/// `name`, or `name` with a number, so that it is not in `used`; then it is.
fn unique_variant(name: &str, used: &mut BTreeSet<String>) -> String {
    // `Self` is the one PascalCase keyword, and cannot be a raw identifier.
    let name = if name == "Self" { "Self_" } else { name };
    let mut candidate = name.to_owned();
    let mut i = 2;
    while !used.insert(candidate.clone()) {
        candidate = format!("{name}{i}");
        i += 1;
    }
    candidate
}

/// A field name not in `used`; then it is.
fn unique_field(name: &str, used: &mut BTreeSet<String>) -> String {
    let mut candidate = name.to_owned();
    let mut i = 2;
    while !used.insert(candidate.clone()) {
        candidate = format!("{name}_{i}");
        i += 1;
    }
    candidate
}

/// A variant name for a JSON literal: `V1`, `VMinus2`, `V1_5`, `True`, `Null`, or the
/// PascalCase of a string.
fn literal_variant(value: &Value) -> String {
    match value {
        Value::Null => "Null".to_owned(),
        Value::Bool(true) => "True".to_owned(),
        Value::Bool(false) => "False".to_owned(),
        Value::String(s) => pascal_case(s),
        Value::Number(n) => {
            let text = n.to_string();
            let mut out = String::from("V");
            for c in text.chars() {
                match c {
                    '-' => out.push_str("Minus"),
                    '.' => out.push('_'),
                    '+' => {}
                    c if c.is_ascii_alphanumeric() => out.push(c),
                    _ => out.push('_'),
                }
            }
            out
        }
        _ => "Value".to_owned(),
    }
}

/// Names generated types may not take: the prelude's, so generated code can use them unqualified.
const RESERVED_NAMES: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "Default",
    "From",
    "Into",
    "TryFrom",
    "TryInto",
    "AsRef",
    "Clone",
    "Copy",
    "Send",
    "Sync",
    "Sized",
    "Drop",
    "Fn",
    "Iterator",
    "ToString",
    "ToOwned",
    "Extra",
    "EventType",
    "Self",
];

/// snake_case for a JSON property name.
pub fn snake_case(name: &str) -> String {
    let mut out = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            if prev_lower {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
            prev_lower = false;
        } else if c.is_ascii_alphanumeric() {
            out.push(c);
            prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        } else {
            if !out.ends_with('_') {
                out.push('_');
            }
            prev_lower = false;
        }
    }
    let out = out.trim_matches('_').to_owned();
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        format!("field_{out}")
    } else {
        out
    }
}

/// PascalCase for a JSON name or enum value.
pub fn pascal_case(name: &str) -> String {
    let mut out = String::new();
    let mut upper = true;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            if upper {
                out.push(c.to_ascii_uppercase());
            } else {
                out.push(c);
            }
            upper = false;
        } else {
            upper = true;
        }
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{out}")
    } else {
        out
    }
}

/// `1.1.0` → `v1_1_0`.
pub fn version_module(version: &Version) -> String {
    format!("v{}_{}_{}", version.major, version.minor, version.patch)
}

fn is_keyword(name: &str) -> bool {
    matches!(
        name,
        "as" | "break"
            | "const"
            | "continue"
            | "crate"
            | "else"
            | "enum"
            | "extern"
            | "false"
            | "fn"
            | "for"
            | "if"
            | "impl"
            | "in"
            | "let"
            | "loop"
            | "match"
            | "mod"
            | "move"
            | "mut"
            | "pub"
            | "ref"
            | "return"
            | "self"
            | "static"
            | "struct"
            | "super"
            | "trait"
            | "true"
            | "type"
            | "unsafe"
            | "use"
            | "where"
            | "while"
            | "async"
            | "await"
            | "dyn"
            | "abstract"
            | "become"
            | "box"
            | "do"
            | "final"
            | "macro"
            | "override"
            | "priv"
            | "typeof"
            | "unsized"
            | "virtual"
            | "yield"
            | "try"
            | "gen"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_conversions() {
        assert_eq!(snake_case("productId"), "product_id");
        assert_eq!(snake_case("eventType"), "event_type");
        assert_eq!(snake_case("ipAddress"), "ip_address");
        assert_eq!(snake_case("sellerId2"), "seller_id2");
        assert_eq!(snake_case("x-y"), "x_y");
        assert_eq!(snake_case("1st"), "field_1st");
        assert_eq!(pascal_case("electronics"), "Electronics");
        assert_eq!(pascal_case("in-stock"), "InStock");
        assert_eq!(pascal_case("3d"), "V3d");
        assert_eq!(version_module(&Version::new(1, 10, 2)), "v1_10_2");
    }
}
