//! The type model: what Rust types a checked schema folder becomes.
//!
//! Each schema node is read through `schemars`' typed draft-07 model, then mapped
//! to a Rust shape. Every keyword is either enforced by the generated types or
//! rejected here with a diagnostic: nothing a schema says is silently dropped
//! (typify, for comparison, ignores number bounds and `const`).

use std::collections::{BTreeMap, BTreeSet};

use schemars::schema::{InstanceType, Schema, SchemaObject, SingleOrVec};
use semver::Version;
use serde_json::Value;

use crate::diag::{escape_token, pointer_tokens, Diagnostic, Diagnostics};
use crate::load::{EventVersion, SchemaSet};

/// Where shared types are generated (`crate::<SHARED_MODULE>`).
pub const SHARED_MODULE: &str = "common";

/// The name of the field every generated struct has for what its typed fields do not hold.
pub const EXTRA_FIELD: &str = "extra";

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

/// A generated Rust type.
#[derive(Debug, Clone)]
pub enum TypeDef {
    /// An object with declared properties.
    Struct(StructDef),
    /// A string with a fixed set of values.
    Enum(EnumDef),
    /// A scalar with constraints that its Rust type cannot express.
    Newtype(NewtypeDef),
}

impl TypeDef {
    /// The type's Rust name.
    pub fn name(&self) -> &str {
        match self {
            TypeDef::Struct(s) => &s.name,
            TypeDef::Enum(e) => &e.name,
            TypeDef::Newtype(n) => &n.name,
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
    /// For an event root: the discriminator property and its one value, implied by the type.
    pub tag: Option<(String, String)>,
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
    /// `serde_json::Value`: a schema that constrains nothing.
    Any,
    /// `Vec<T>`, from `type: array` with one `items` schema.
    Vec(Box<FieldTy>),
    /// A generated type in the same version module.
    Local(String),
    /// A generated type in the shared module.
    Shared(String),
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

/// Keywords that only annotate and never constrain.
const ANNOTATIONS: &[&str] = &[
    "$schema",
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

struct Builder<'a> {
    set: &'a SchemaSet,
    ev: &'a EventVersion,
    root: &'a Value,
    types: Vec<TypeDef>,
    shared: &'a mut BTreeMap<String, TypeDef>,
    shared_keys: &'a mut BTreeMap<String, String>,
    diags: &'a mut Vec<Diagnostic>,
    /// Refs being expanded, to reject recursive types instead of looping.
    active_refs: BTreeSet<String>,
}

/// Builds the model for a checked folder.
pub fn build(set: &SchemaSet) -> Result<Model, Diagnostics> {
    let mut diags = Vec::new();
    let mut shared = BTreeMap::new();
    let mut shared_keys = BTreeMap::new();
    let mut events = Vec::new();
    for event in &set.events {
        let mut versions = Vec::new();
        for ev in &event.versions {
            let mut b = Builder {
                set,
                ev,
                root: &ev.bundled,
                types: Vec::new(),
                shared: &mut shared,
                shared_keys: &mut shared_keys,
                diags: &mut diags,
                active_refs: BTreeSet::new(),
            };
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
            module: snake_case(&event.name),
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

    fn parse(&mut self, pointer: &str, value: &Value) -> Option<SchemaObject> {
        match serde_json::from_value::<Schema>(value.clone()) {
            Ok(Schema::Object(o)) => Some(o),
            Ok(Schema::Bool(true)) => Some(SchemaObject::default()),
            Ok(Schema::Bool(false)) => {
                self.error(
                    pointer,
                    "the schema `false` accepts nothing",
                    "remove the property or give it a schema",
                );
                None
            }
            Err(e) => {
                self.error(
                    pointer,
                    format!("cannot read this schema: {e}"),
                    "fix the keyword's value",
                );
                None
            }
        }
    }

    fn root_struct(&mut self, event_name: &str) {
        let root = self.root;
        let Some(obj) = self.parse("", root) else {
            return;
        };
        let disc = self.set.options.discriminator.clone();
        let tag = Some((disc, event_name.to_owned()));
        self.object_struct("", &obj, event_name.to_owned(), tag, None);
    }

    /// Maps the schema at `pointer` to a field type, generating named types as needed.
    fn field_ty(&mut self, pointer: &str, value: &Value, name_hint: &str) -> Option<FieldTy> {
        if let Some(reference) = value.get("$ref").and_then(Value::as_str) {
            let Some(target_ptr) = reference.strip_prefix('#').map(str::to_owned) else {
                self.error(
                    pointer,
                    "only local $refs remain after bundling",
                    "report this as a bug",
                );
                return None;
            };
            let Some(target) = self.root.pointer(&target_ptr) else {
                self.error(
                    pointer,
                    format!("$ref {reference:?} resolves to nothing"),
                    "fix the $ref",
                );
                return None;
            };
            if !self.active_refs.insert(target_ptr.clone()) {
                self.error(
                    pointer,
                    format!("$ref {reference:?} is recursive; generated types cannot be recursive"),
                    "break the cycle, e.g. by making the inner object `{\"type\": \"object\"}`",
                );
                return None;
            }
            let tokens = pointer_tokens(&target_ptr);
            let shared_key = match tokens.as_slice() {
                [defs, key] if defs == "definitions" && self.ev.origins.contains_key(key) => {
                    Some(key.clone())
                }
                _ => None,
            };
            let result = match shared_key {
                Some(key) => self.shared_ty(&target_ptr, target, &key),
                None => {
                    let hint = tokens
                        .last()
                        .map(|t| pascal_case(t))
                        .unwrap_or_else(|| name_hint.to_owned());
                    self.field_ty(&target_ptr, target, &hint)
                }
            };
            self.active_refs.remove(&target_ptr);
            return result;
        }
        let obj = self.parse(pointer, value)?;
        self.check_keywords(pointer, &obj);
        let doc = obj.metadata.as_ref().and_then(|m| m.description.clone());
        let ty = match single_type(&obj) {
            Err(()) => {
                self.error(
                    pointer,
                    "`type` lists several types; generated Rust needs exactly one",
                    "use a single type, e.g. \"type\": \"string\"",
                );
                return None;
            }
            Ok(t) => t,
        };
        let enum_values = match (&obj.enum_values, &obj.const_value) {
            (Some(values), None) => Some(values.clone()),
            (None, Some(c)) => Some(vec![c.clone()]),
            (Some(_), Some(_)) => {
                self.error(
                    pointer,
                    "both `enum` and `const` are given",
                    "keep one of them",
                );
                return None;
            }
            (None, None) => None,
        };
        if let Some(values) = enum_values {
            let strings: Option<Vec<String>> = values
                .iter()
                .map(|v| v.as_str().map(str::to_owned))
                .collect();
            let Some(strings) = strings.filter(|_| matches!(ty, Some(InstanceType::String))) else {
                self.error(
                    pointer,
                    "only string enums (with \"type\": \"string\") are supported",
                    "use string values and \"type\": \"string\"",
                );
                return None;
            };
            if has_string_constraints(&obj) || obj.format.is_some() {
                self.error(
                    pointer,
                    "an enum with string constraints or a format is not supported",
                    "the enum already fixes the values: remove the other keywords",
                );
                return None;
            }
            let mut used = BTreeSet::new();
            let mut variants = Vec::new();
            for s in strings {
                let mut variant = pascal_case(&s);
                while !used.insert(variant.clone()) {
                    variant.push('_');
                }
                variants.push((variant, s));
            }
            let name = self.unique_name(name_hint);
            self.types.push(TypeDef::Enum(EnumDef {
                name: name.clone(),
                doc,
                variants,
            }));
            return Some(FieldTy::Local(name));
        }
        match ty {
            None => {
                if has_string_constraints(&obj)
                    || has_number_constraints(&obj)
                    || obj.format.is_some()
                    || obj.object.is_some()
                    || obj.array.is_some()
                {
                    self.error(
                        pointer,
                        "constraints without a `type` are not supported",
                        "add the \"type\" the constraints apply to",
                    );
                    return None;
                }
                Some(FieldTy::Any)
            }
            Some(InstanceType::Null) => {
                self.error(
                    pointer,
                    "\"type\": \"null\" is not supported",
                    "remove the property, or give it a real type",
                );
                None
            }
            Some(InstanceType::Boolean) => Some(FieldTy::Bool),
            Some(InstanceType::String) => self.string_ty(pointer, &obj, name_hint, doc),
            Some(t @ (InstanceType::Integer | InstanceType::Number)) => {
                self.number_ty(pointer, &obj, t, name_hint, doc)
            }
            Some(InstanceType::Object) => {
                let declares = obj.object.as_ref().is_some_and(|o| {
                    !o.properties.is_empty()
                        || !o.required.is_empty()
                        || o.additional_properties.is_some()
                });
                if !declares {
                    return Some(FieldTy::Object);
                }
                let name = self.unique_name(name_hint);
                self.object_struct(pointer, &obj, name, None, doc)
                    .map(FieldTy::Local)
            }
            Some(InstanceType::Array) => {
                let arr = obj.array.clone().unwrap_or_default();
                if arr.min_items.is_some()
                    || arr.max_items.is_some()
                    || arr.unique_items.is_some()
                    || arr.additional_items.is_some()
                    || arr.contains.is_some()
                {
                    self.error(pointer, "array constraints (minItems, maxItems, uniqueItems, additionalItems, contains) are not supported yet", "remove them, or extend codegen::model to enforce them");
                    return None;
                }
                match arr.items {
                    None => Some(FieldTy::Vec(Box::new(FieldTy::Any))),
                    Some(SingleOrVec::Single(_)) => {
                        let items_ptr = format!("{pointer}/items");
                        let items = value.get("items")?;
                        let inner =
                            self.field_ty(&items_ptr, items, &format!("{name_hint}Item"))?;
                        Some(FieldTy::Vec(Box::new(inner)))
                    }
                    Some(SingleOrVec::Vec(_)) => {
                        self.error(
                            pointer,
                            "tuple `items` (an array of schemas) is not supported",
                            "use one `items` schema",
                        );
                        None
                    }
                }
            }
        }
    }

    /// A `$ref` into a shared file: the type is generated once, in the shared module.
    fn shared_ty(&mut self, pointer: &str, target: &Value, key: &str) -> Option<FieldTy> {
        if let Some(name) = self.shared_keys.get(key) {
            return Some(FieldTy::Shared(name.clone()));
        }
        let short = key.rsplit('.').next().unwrap_or(key);
        let hint = pascal_case(short);
        // Build it as if local, then move the new named types into the shared module.
        let before = self.types.len();
        let ty = self.field_ty(pointer, target, &hint)?;
        let moved: Vec<TypeDef> = self.types.drain(before..).collect();
        let rename = |t: FieldTy| match t {
            FieldTy::Local(n) => FieldTy::Shared(n),
            other => other,
        };
        for mut t in moved {
            if let TypeDef::Struct(s) = &mut t {
                for f in &mut s.fields {
                    f.ty = shared_field(std::mem::replace(&mut f.ty, FieldTy::Any));
                }
            }
            let name = t.name().to_owned();
            if self.shared.contains_key(&name) {
                self.error(
                    pointer,
                    format!("two shared definitions would both generate the type {name}"),
                    "rename one of the shared definitions",
                );
                return None;
            }
            self.shared.insert(name, t);
        }
        let ty = rename(ty);
        if let FieldTy::Shared(name) = &ty {
            self.shared_keys.insert(key.to_owned(), name.clone());
        }
        Some(ty)
    }

    fn string_ty(
        &mut self,
        pointer: &str,
        obj: &SchemaObject,
        hint: &str,
        doc: Option<String>,
    ) -> Option<FieldTy> {
        let constrained = has_string_constraints(obj);
        if has_number_constraints(obj) {
            self.error(
                pointer,
                "number constraints on a string do nothing",
                "remove them",
            );
            return None;
        }
        match obj.format.as_deref() {
            Some(f @ ("uuid" | "date-time")) => {
                if constrained {
                    self.error(
                        pointer,
                        format!(
                            "`format: {f}` with length or pattern constraints is not supported"
                        ),
                        "the format already fixes the shape: remove the other keywords",
                    );
                    return None;
                }
                Some(if f == "uuid" {
                    FieldTy::Uuid
                } else {
                    FieldTy::DateTime
                })
            }
            Some(other) => {
                self.error(
                    pointer,
                    format!("`format: {other}` is not supported"),
                    "supported formats are uuid and date-time; use `pattern` for other shapes",
                );
                None
            }
            None if !constrained => Some(FieldTy::String),
            None => {
                let s = obj.string.as_deref().cloned().unwrap_or_default();
                if let Some(p) = &s.pattern {
                    if let Err(e) = regress::Regex::new(p) {
                        self.error(
                            &format!("{pointer}/pattern"),
                            format!("the pattern is not a valid ECMA-262 regular expression: {e}"),
                            "fix the pattern",
                        );
                        return None;
                    }
                }
                let constraints = Constraints {
                    min_length: s.min_length.map(u64::from),
                    max_length: s.max_length.map(u64::from),
                    pattern: s.pattern,
                    ..Constraints::default()
                };
                self.newtype(hint, doc, Scalar::String, constraints)
            }
        }
    }

    fn number_ty(
        &mut self,
        pointer: &str,
        obj: &SchemaObject,
        t: InstanceType,
        hint: &str,
        doc: Option<String>,
    ) -> Option<FieldTy> {
        if has_string_constraints(obj) || obj.format.is_some() {
            self.error(
                pointer,
                "string constraints or a format on a number are not supported",
                "remove them",
            );
            return None;
        }
        let n = obj.number.as_deref().cloned().unwrap_or_default();
        if n.multiple_of.is_some_and(|m| m <= 0.0) {
            self.error(
                &format!("{pointer}/multipleOf"),
                "multipleOf must be greater than 0",
                "fix the value",
            );
            return None;
        }
        let constraints = Constraints {
            minimum: n.minimum,
            maximum: n.maximum,
            exclusive_minimum: n.exclusive_minimum,
            exclusive_maximum: n.exclusive_maximum,
            multiple_of: n.multiple_of,
            ..Constraints::default()
        };
        let integer = t == InstanceType::Integer;
        let unsigned = integer && constraints.minimum.is_some_and(|m| m >= 0.0);
        if integer
            && constraints
                == (Constraints {
                    minimum: Some(0.0),
                    ..Constraints::default()
                })
        {
            return Some(FieldTy::U64);
        }
        if constraints == Constraints::default() {
            return Some(if integer { FieldTy::I64 } else { FieldTy::F64 });
        }
        let scalar = match (integer, unsigned) {
            (true, true) => Scalar::U64,
            (true, false) => Scalar::I64,
            (false, _) => Scalar::F64,
        };
        self.newtype(hint, doc, scalar, constraints)
    }

    /// A type name that clashes with nothing generated so far nor with the prelude.
    fn unique_name(&self, hint: &str) -> String {
        let mut name = if RESERVED_NAMES.contains(&hint) {
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
    ) -> Option<FieldTy> {
        let name = self.unique_name(hint);
        self.types.push(TypeDef::Newtype(NewtypeDef {
            name: name.clone(),
            doc,
            scalar,
            constraints,
        }));
        Some(FieldTy::Local(name))
    }

    fn object_struct(
        &mut self,
        pointer: &str,
        obj: &SchemaObject,
        name: String,
        tag: Option<(String, String)>,
        doc: Option<String>,
    ) -> Option<String> {
        self.check_keywords(pointer, obj);
        let doc = doc.or_else(|| obj.metadata.as_ref().and_then(|m| m.description.clone()));
        if !matches!(single_type(obj), Ok(Some(InstanceType::Object))) {
            self.error(
                pointer,
                "this schema must be an object (\"type\": \"object\")",
                "add \"type\": \"object\"",
            );
            return None;
        }
        let o = obj.object.as_deref().cloned().unwrap_or_default();
        if o.max_properties.is_some()
            || o.min_properties.is_some()
            || !o.pattern_properties.is_empty()
            || o.property_names.is_some()
        {
            self.error(pointer, "minProperties, maxProperties, patternProperties and propertyNames are not supported", "remove them");
            return None;
        }
        let open = match o.additional_properties.as_deref() {
            None | Some(Schema::Bool(true)) => true,
            Some(Schema::Bool(false)) => false,
            Some(Schema::Object(_)) => {
                self.error(
                    &format!("{pointer}/additionalProperties"),
                    "additionalProperties with a schema is not supported",
                    "use true (the default) or false",
                );
                return None;
            }
        };
        // Reserve the name before the fields so nested types come after their parent.
        let index = self.types.len();
        self.types.push(TypeDef::Struct(StructDef {
            name: name.clone(),
            doc: None,
            pointer: pointer.to_owned(),
            fields: Vec::new(),
            open,
            tag: None,
        }));
        let raw_props = self
            .root
            .pointer(pointer)
            .and_then(|v| v.get("properties"))
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let mut fields = Vec::new();
        let mut rust_names = BTreeSet::new();
        for (json_name, prop) in &raw_props {
            if tag.as_ref().is_some_and(|(d, _)| d == json_name) {
                continue;
            }
            let prop_ptr = format!("{pointer}/properties/{}", escape_token(json_name));
            let rust = snake_case(json_name);
            let rust = if is_keyword(&rust) {
                format!("r#{rust}")
            } else {
                rust
            };
            if rust == EXTRA_FIELD {
                self.error(&prop_ptr, format!("the property {json_name:?} would clash with the generated `{EXTRA_FIELD}` field"), "rename the property");
                continue;
            }
            if !rust_names.insert(rust.clone()) {
                self.error(
                    &prop_ptr,
                    format!("two properties map to the Rust field `{rust}`"),
                    "rename one of them",
                );
                continue;
            }
            let hint = format!(
                "{}{}",
                if pointer.is_empty() {
                    String::new()
                } else {
                    name.clone()
                },
                pascal_case(json_name)
            );
            let prop_doc = prop
                .get("description")
                .and_then(Value::as_str)
                .map(str::to_owned)
                .or_else(|| {
                    crate::load::deref(self.root, prop)
                        .get("description")
                        .and_then(Value::as_str)
                        .map(str::to_owned)
                });
            let default = crate::load::deref(self.root, prop).get("default").cloned();
            let Some(ty) = self.field_ty(&prop_ptr, prop, &hint) else {
                continue;
            };
            fields.push(Field {
                json: json_name.clone(),
                rust,
                ty,
                required: o.required.contains(json_name),
                doc: prop_doc,
                default,
                since_minor: 0,
            });
        }
        for req in &o.required {
            if !raw_props.contains_key(req) {
                self.error(
                    &format!("{pointer}/required"),
                    format!("{req:?} is required but not declared in properties"),
                    "declare it in properties (use {} to accept any value)",
                );
            }
        }
        if let Some(TypeDef::Struct(s)) = self.types.get_mut(index) {
            s.doc = doc;
            s.fields = fields;
            s.tag = tag;
        }
        Some(name)
    }

    fn check_keywords(&mut self, pointer: &str, obj: &SchemaObject) {
        let mut unsupported: Vec<&str> = Vec::new();
        if let Some(sub) = &obj.subschemas {
            if sub.all_of.is_some() {
                unsupported.push("allOf");
            }
            if sub.any_of.is_some() {
                unsupported.push("anyOf");
            }
            if sub.one_of.is_some() {
                unsupported.push("oneOf");
            }
            if sub.not.is_some() {
                unsupported.push("not");
            }
            if sub.if_schema.is_some() {
                unsupported.push("if");
            }
            if sub.then_schema.is_some() {
                unsupported.push("then");
            }
            if sub.else_schema.is_some() {
                unsupported.push("else");
            }
        }
        let extensions: Vec<String> = obj
            .extensions
            .keys()
            .filter(|k| !ANNOTATIONS.contains(&k.as_str()))
            .cloned()
            .collect();
        for k in &extensions {
            unsupported.push(k.as_str());
        }
        if let Some(o) = &obj.object {
            if !o.pattern_properties.is_empty() {
                unsupported.push("patternProperties");
            }
        }
        if !unsupported.is_empty() {
            let list = unsupported.join(", ");
            self.error(pointer, format!("keyword(s) {list} cannot be generated as Rust types"), "codegen supports type, properties, required, additionalProperties (true/false), enum, const, minLength, maxLength, pattern, format (uuid, date-time), minimum, maximum, exclusiveMinimum, exclusiveMaximum, multipleOf, items and $ref; restructure the schema with those");
        }
    }
}

fn shared_field(t: FieldTy) -> FieldTy {
    match t {
        FieldTy::Local(n) => FieldTy::Shared(n),
        FieldTy::Vec(inner) => FieldTy::Vec(Box::new(shared_field(*inner))),
        other => other,
    }
}

fn single_type(obj: &SchemaObject) -> Result<Option<InstanceType>, ()> {
    match &obj.instance_type {
        None => Ok(None),
        Some(SingleOrVec::Single(t)) => Ok(Some(**t)),
        Some(SingleOrVec::Vec(v)) if v.len() == 1 => Ok(Some(v[0])),
        Some(SingleOrVec::Vec(_)) => Err(()),
    }
}

fn has_string_constraints(obj: &SchemaObject) -> bool {
    obj.string
        .as_ref()
        .is_some_and(|s| s.min_length.is_some() || s.max_length.is_some() || s.pattern.is_some())
}

fn has_number_constraints(obj: &SchemaObject) -> bool {
    obj.number.as_ref().is_some_and(|n| {
        n.minimum.is_some()
            || n.maximum.is_some()
            || n.exclusive_minimum.is_some()
            || n.exclusive_maximum.is_some()
            || n.multiple_of.is_some()
    })
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
