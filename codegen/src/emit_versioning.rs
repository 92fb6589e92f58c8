//! Emits the version history that the runtime's upcaster reads (`EventSet::history`).
//!
//! For every event and major version the generated table lists each known version and,
//! for each, the properties its minors added after the major's first minor: the JSON
//! pointer of the property in an event, the minor that introduced it, and the schema's
//! `default` as JSON text. A property present in minor N but not in the minor before it
//! was added in N. Upcasting within a major fills those defaults; downcasting removes them.
//!
//! Steps across majors cannot be derived from schemas (a major is a breaking change), so
//! for every pair of consecutive majors the table names a hand-written function,
//! `crate::upcasters::<event>_<from>_to_<to>`. If that function does not exist, the
//! generated crate does not compile: a missing step is a build error, not a surprise when
//! an old event first arrives.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use semver::Version;
use serde_json::Value;

use crate::diag::escape_token;
use crate::model::{
    EventModel, FieldTy, Model, SchemaOwner, StructDef, TupleDef, TypeDef, UnionDef, UnionKind,
    VersionModel,
};

/// The runtime module that holds the hand-written steps between majors.
pub const UPCASTERS_MODULE: &str = "upcasters";

/// The generated module that holds the table.
pub const VERSIONING_MODULE: &str = "__versioning";

/// The pointer token that stands for every item of an array. In an instance an array
/// only has index tokens, so `*` on an array cannot be mistaken for a property name. On a
/// tuple, an index token is its item, and `*` followed by an index (`*2`) every item from
/// that one on: those after the tuple's list.
pub const EACH_ITEM: &str = "*";

/// The pointer token that stands for every entry of a typed map: the members of an object
/// that `additionalProperties` covers, which its test in [`AddedProperty::branches`] tells
/// from declared properties and those a pattern matches. An escaped property name has `~`
/// only before `0` or `1`, so `~*` cannot be mistaken for one.
pub const EACH_ENTRY: &str = "~*";

/// The prefix of the pointer token for a union branch, followed by the variant's name
/// (`~|Card`): the value at the union's place, when it takes that branch. Like
/// [`EACH_ENTRY`], no escaped property name can spell it. The branch's test is in
/// [`AddedProperty::branches`].
pub const BRANCH: &str = "~|";

/// One property that a minor version added to an event.
#[derive(Debug, Clone, PartialEq)]
pub struct AddedProperty {
    /// JSON pointer of the property in an event, e.g. `/data/metadata`, with
    /// [`EACH_ITEM`], [`EACH_ENTRY`] and [`BRANCH`] tokens.
    pub pointer: String,
    /// The first minor of the major that declares the property.
    pub since_minor: u64,
    /// The schema's `default` for the property, if it gives one.
    pub default: Option<Value>,
    /// One test per [`BRANCH`] or [`EACH_ENTRY`] token of `pointer`, in order.
    pub branches: Vec<BranchTest>,
}

/// Which values at a union's place take one of its branches, as decode chooses them, or
/// which members of an object are the entries of its typed map (the runtime's
/// `BranchTest`).
#[derive(Debug, Clone, PartialEq)]
pub enum BranchTest {
    /// A tagged union's branch: an object whose tag property holds this value.
    Tag {
        /// The tag property.
        key: String,
        /// Its value for the branch.
        value: Value,
    },
    /// The object variant of a union of JSON types.
    Object,
    /// An untagged union's branch: the first, in schema order, whose subschema accepts
    /// the value.
    FirstFit {
        /// The event version whose `BundledSchema` static holds the union.
        schema: SchemaOwner,
        /// The branch's subschema in it.
        pointer: String,
        /// The subschemas of the branches before it.
        earlier: Vec<String>,
    },
    /// The entries of a typed map ([`EACH_ENTRY`]): the members that no declared property
    /// names and no pattern matches, as the generated struct reads them into its map.
    Entries {
        /// The object's declared properties.
        declared: Vec<String>,
        /// Its `patternProperties` patterns.
        patterns: Vec<String>,
    },
}

/// A declared property at its place in an event: its pointer, its `default`, and the
/// union branches on the way to it.
#[derive(Debug, Clone, PartialEq)]
struct Declared {
    pointer: String,
    default: Option<Value>,
    branches: Vec<BranchTest>,
}

/// One version of a major, with every property added after the major's first minor.
#[derive(Debug, Clone, PartialEq)]
pub struct VersionProperties {
    /// The version.
    pub version: Version,
    /// Added properties, parents before their children, in schema order.
    pub added: Vec<AddedProperty>,
}

/// The hand-written step from the newest version of one major to the oldest of the next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MajorStep {
    /// The newest known version of the older major: what the step reads.
    pub from: Version,
    /// The oldest known version of the newer major: what the step writes.
    pub to: Version,
    /// The function's name in `crate::upcasters`.
    pub function: String,
}

/// Declared properties, parents before children.
type Properties = Vec<Declared>;

/// Every declared property of a version, as (pointer, default), walking the structs from
/// the root depth-first so that a parent comes before its children.
fn property_pointers(model: &Model, version: &VersionModel) -> Properties {
    let mut out = Vec::new();
    if let Some(TypeDef::Struct(root)) = version.types.first() {
        let mut walk = Walk {
            model,
            version,
            out: &mut out,
            active: Vec::new(),
            branches: Vec::new(),
        };
        walk.strukt(root, "");
    }
    out
}

fn find_type<'a>(types: &'a [TypeDef], name: &str) -> Option<&'a TypeDef> {
    types.iter().find(|t| t.name() == name)
}

/// A depth-first walk over a version's types from its root, collecting every declared
/// property with the union branches on the way to it.
struct Walk<'a, 'o> {
    model: &'a Model,
    version: &'a VersionModel,
    out: &'o mut Properties,
    /// The types being walked, so that a recursive type is walked once.
    active: Vec<&'a str>,
    /// The branch tests of the unions entered so far.
    branches: Vec<BranchTest>,
}

impl<'a> Walk<'a, '_> {
    fn strukt(&mut self, s: &'a StructDef, prefix: &str) {
        // The model boxes recursive types; walking each once where it is first used keeps
        // a recursive one from looping here.
        if self.active.contains(&s.name.as_str()) {
            return;
        }
        self.active.push(&s.name);
        for field in &s.fields {
            let pointer = format!("{prefix}/{}", escape_token(&field.json));
            self.out.push(Declared {
                pointer: pointer.clone(),
                default: field.default.clone(),
                branches: self.branches.clone(),
            });
            self.ty(&field.ty, &pointer);
        }
        // The typed map's entries: the members that are neither declared nor matched by a
        // pattern (every member, for an object of nothing but additional properties).
        if let Some(entry) = &s.additional {
            self.branches.push(BranchTest::Entries {
                declared: s.fields.iter().map(|f| f.json.clone()).collect(),
                patterns: s.pattern_properties.clone(),
            });
            self.ty(entry, &format!("{prefix}/{EACH_ENTRY}"));
            self.branches.pop();
        }
        self.active.pop();
    }

    fn ty(&mut self, ty: &'a FieldTy, pointer: &str) {
        let named = match ty {
            FieldTy::Local(name) => find_type(&self.version.types, name),
            FieldTy::Shared(name) => find_type(&self.model.shared, name),
            FieldTy::Vec(inner) => {
                self.ty(inner, &format!("{pointer}/{EACH_ITEM}"));
                None
            }
            FieldTy::Map(inner) => {
                self.branches.push(BranchTest::Entries {
                    declared: Vec::new(),
                    patterns: Vec::new(),
                });
                self.ty(inner, &format!("{pointer}/{EACH_ENTRY}"));
                self.branches.pop();
                None
            }
            // A nullable object's properties sit at the same place when it is not null (the
            // upcaster fills a default only where the parent is an object).
            FieldTy::Nullable(inner) | FieldTy::Boxed(inner) => {
                self.ty(inner, pointer);
                None
            }
            _ => None,
        };
        match named {
            Some(TypeDef::Struct(s)) => self.strukt(s, pointer),
            Some(TypeDef::Union(u)) => self.union(u, pointer),
            Some(TypeDef::Tuple(t)) => self.tuple(t, pointer),
            _ => {}
        }
    }

    /// Item `i` at index `i`; the items after the list, every one from theirs on. Walked
    /// once, as a struct or union is (the model makes no tuple that holds itself today: its
    /// item would not be exact until the tuple is).
    fn tuple(&mut self, t: &'a TupleDef, pointer: &str) {
        if self.active.contains(&t.name.as_str()) {
            return;
        }
        self.active.push(&t.name);
        for (i, item) in t.items.iter().enumerate() {
            self.ty(item, &format!("{pointer}/{i}"));
        }
        if let Some(rest) = &t.rest {
            let from = t.items.len();
            self.ty(rest, &format!("{pointer}/{EACH_ITEM}{from}"));
        }
        self.active.pop();
    }

    fn union(&mut self, u: &'a UnionDef, pointer: &str) {
        if self.active.contains(&u.name.as_str()) {
            return;
        }
        self.active.push(&u.name);
        for (i, variant) in u.variants.iter().enumerate() {
            // An untagged `anyOf`/`oneOf` keeps its first fit even where its branches have
            // one JSON type each: a default fills a member only of a value its branch accepts.
            let json_type = match u.kind {
                UnionKind::Types => variant.json_type.as_deref(),
                UnionKind::OneOf | UnionKind::AnyOf => None,
            };
            let test = match (&u.tag, &variant.tag_value, json_type) {
                (Some(key), Some(value), _) => BranchTest::Tag {
                    key: key.clone(),
                    value: value.clone(),
                },
                // Only the object variant of a union of types can hold properties.
                (_, _, Some("object")) => BranchTest::Object,
                (_, _, Some(_)) => continue,
                _ => BranchTest::FirstFit {
                    schema: u.owner.clone(),
                    pointer: variant.pointer.clone(),
                    earlier: u.variants[..i].iter().map(|v| v.pointer.clone()).collect(),
                },
            };
            self.branches.push(test);
            self.ty(&variant.ty, &format!("{pointer}/{BRANCH}{}", variant.name));
            self.branches.pop();
        }
        self.active.pop();
    }
}

/// The majors of an event, ascending, each with its versions in ascending order.
fn majors(event: &EventModel) -> BTreeMap<u64, Vec<&VersionModel>> {
    let mut out: BTreeMap<u64, Vec<&VersionModel>> = BTreeMap::new();
    for v in &event.versions {
        out.entry(v.version.major).or_default().push(v);
    }
    out
}

/// For one major of an event: each version with the properties added after the major's
/// first known minor. A property's minor is the first minor of the major that declares it.
pub fn added_properties(model: &Model, event: &EventModel, major: u64) -> Vec<VersionProperties> {
    let versions: Vec<&VersionModel> = event
        .versions
        .iter()
        .filter(|v| v.version.major == major)
        .collect();
    let Some(base_minor) = versions.first().map(|v| v.version.minor) else {
        return Vec::new();
    };
    let per_version: Vec<(&VersionModel, Properties)> = versions
        .iter()
        .map(|v| (*v, property_pointers(model, v)))
        .collect();
    let mut since: BTreeMap<&str, u64> = BTreeMap::new();
    for (v, props) in &per_version {
        for p in props {
            since.entry(p.pointer.as_str()).or_insert(v.version.minor);
        }
    }
    per_version
        .iter()
        .map(|(v, props)| VersionProperties {
            version: v.version.clone(),
            added: props
                .iter()
                .filter_map(|p| {
                    let since_minor = since.get(p.pointer.as_str()).copied()?;
                    (since_minor > base_minor).then(|| AddedProperty {
                        pointer: p.pointer.clone(),
                        since_minor,
                        default: p.default.clone(),
                        branches: p.branches.clone(),
                    })
                })
                .collect(),
        })
        .collect()
}

/// The steps an event needs between consecutive majors, oldest first.
pub fn major_steps(event: &EventModel) -> Vec<MajorStep> {
    let majors = majors(event);
    let ends: Vec<(&Version, &Version)> = majors
        .values()
        .filter_map(|vs| Some((&vs.first()?.version, &vs.last()?.version)))
        .collect();
    ends.windows(2)
        .map(|pair| {
            let from = pair[0].1.clone();
            let to = pair[1].0.clone();
            MajorStep {
                function: step_name(event, &from, &to),
                from,
                to,
            }
        })
        .collect()
}

/// The name of the hand-written step, e.g. `product_created_1_1_0_to_2_0_0`.
pub fn step_name(event: &EventModel, from: &Version, to: &Version) -> String {
    format!(
        "{}_{}_{}_{}_to_{}_{}_{}",
        event.module, from.major, from.minor, from.patch, to.major, to.minor, to.patch
    )
}

fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

fn version_tuple(v: &Version) -> TokenStream {
    let (major, minor, patch) = (v.major, v.minor, v.patch);
    quote! { (#major, #minor, #patch) }
}

/// A branch test as the runtime's `BranchTest`.
fn branch_test(test: &BranchTest) -> TokenStream {
    match test {
        BranchTest::Tag { key, value } => {
            let json = value.to_string();
            quote! { BranchTest::Tag { key: #key, value_json: #json } }
        }
        BranchTest::Object => quote! { BranchTest::Object },
        BranchTest::FirstFit {
            schema,
            pointer,
            earlier,
        } => {
            let event = ident(&schema.event_module);
            let version = ident(&schema.version_module);
            quote! { BranchTest::FirstFit { schema: &crate::#event::#version::SCHEMA, pointer: #pointer, earlier: &[ #( #earlier ),* ] } }
        }
        BranchTest::Entries { declared, patterns } => {
            quote! { BranchTest::Entries { declared: &[ #( #declared ),* ], patterns: &[ #( #patterns ),* ] } }
        }
    }
}

fn emit_major(
    model: &Model,
    event: &EventModel,
    major: u64,
    step: Option<&MajorStep>,
) -> TokenStream {
    let name = ident(&event.name);
    let entries: Vec<TokenStream> = added_properties(model, event, major)
        .iter()
        .map(|vp| {
            let tuple = version_tuple(&vp.version);
            let text = vp.version.to_string();
            let added: Vec<TokenStream> = vp
                .added
                .iter()
                .map(|p| {
                    let pointer = &p.pointer;
                    let since = p.since_minor;
                    let default = match &p.default {
                        Some(value) => {
                            let json = value.to_string();
                            quote! { Some(#json) }
                        }
                        None => quote! { None },
                    };
                    let branches = p.branches.iter().map(branch_test);
                    quote! {
                        AddedProperty { pointer: #pointer, since_minor: #since, default_json: #default, branches: &[ #( #branches ),* ] },
                    }
                })
                .collect();
            quote! {
                VersionEntry { version: #tuple, text: #text, added: &[ #( #added )* ] },
            }
        })
        .collect();
    let step = match step {
        Some(s) => {
            let constant = ident(&s.function.to_uppercase());
            quote! { Some(#constant) }
        }
        None => quote! { None },
    };
    quote! {
        MajorHistory {
            event_type: crate::EventType::#name,
            major: #major,
            versions: &[ #( #entries )* ],
            step_to_next_major: #step,
        },
    }
}

fn emit_step(event: &EventModel, step: &MajorStep) -> TokenStream {
    let constant = ident(&step.function.to_uppercase());
    let function = ident(&step.function);
    let module = ident(UPCASTERS_MODULE);
    let docs = [
        format!(
            " {} {} → {} crosses a major version, which no schema can describe: the step is",
            event.name, step.from, step.to
        ),
        format!(
            " hand-written as `crate::{UPCASTERS_MODULE}::{}`. If the build fails here, write",
            step.function
        ),
        format!(
            " `pub fn {}(event: serde_json::Value) -> Result<serde_json::Value, UpcastError>`",
            step.function
        ),
        format!(
            " in the crate's `{UPCASTERS_MODULE}` module: it reads the event at {} and returns it at {}.",
            step.from, step.to
        ),
    ];
    quote! {
        #( #[doc = #docs] )*
        pub const #constant: StepFn = crate::#module::#function;
    }
}

/// Appends the version table (and the references to the hand-written steps) to the
/// generated top level.
pub fn with_versioning(
    top: TokenStream,
    model: &Model,
    runtime_private: &TokenStream,
) -> TokenStream {
    let module = ident(VERSIONING_MODULE);
    let mut histories = Vec::new();
    let mut steps = Vec::new();
    for event in &model.events {
        let event_steps = major_steps(event);
        for (i, major) in majors(event).keys().enumerate() {
            let step = event_steps.get(i);
            histories.push(emit_major(model, event, *major, step));
        }
        steps.extend(event_steps.iter().map(|s| emit_step(event, s)));
    }
    let majors_seen: BTreeSet<(String, u64)> = model
        .events
        .iter()
        .flat_map(|e| e.versions.iter().map(|v| (e.name.clone(), v.version.major)))
        .collect();
    let doc = format!(
        " The version history of {} event majors, read by the runtime's upcaster: per version, the properties its minors added (with the schema's `default`), and the hand-written step into the next major.",
        majors_seen.len()
    );
    quote! {
        #top

        /// Generated version history for upcasting and downcasting. Not a public API.
        #[doc(hidden)]
        pub mod #module {
            #[allow(unused_imports)]
            use #runtime_private::{AddedProperty, BranchTest, MajorHistory, StepFn, UpcastError, VersionEntry};

            #[doc = #doc]
            pub static HISTORY: &[MajorHistory<crate::EventType>] = &[ #( #histories )* ];

            #( #steps )*
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{load, LoadOptions};
    use crate::model;
    use crate::source::SchemaFiles;

    /// A minimal event schema: the envelope the loader insists on, plus `data`.
    fn schema(version: &str, data_properties: &str) -> String {
        format!(
            r#"{{
  "$schema": "http://json-schema.org/draft-07/schema#",
  "type": "object",
  "required": ["eventType", "version", "data"],
  "properties": {{
    "eventType": {{"type": "string", "enum": ["ThingHappened"]}},
    "version": {{"type": "string", "pattern": "^{}\\.\\d+\\.\\d+$"}},
    "data": {{"type": "object", "properties": {{ {data_properties} }}}}
  }}
}}"#,
            version.split('.').next().unwrap_or("0")
        )
    }

    fn synthetic_model() -> Model {
        let files = SchemaFiles::from_files(
            "schemas",
            [
                (
                    "thing-happened/1.0.0.json",
                    schema("1.0.0", r#""id": {"type": "string"}"#),
                ),
                (
                    "thing-happened/1.1.0.json",
                    schema(
                        "1.1.0",
                        r#""id": {"type": "string"},
                           "tags": {"type": "array", "items": {"type": "object", "properties": {"label": {"type": "string"}}}},
                           "labels": {"type": "object", "default": {}, "properties": {"a/b": {"type": "string"}}}"#,
                    ),
                ),
                (
                    "thing-happened/1.2.0.json",
                    schema(
                        "1.2.0",
                        r#""id": {"type": "string"},
                           "tags": {"type": "array", "items": {"type": "object", "properties": {"label": {"type": "string"}, "weight": {"type": "integer", "default": 1}}}},
                           "labels": {"type": "object", "default": {}, "properties": {"a/b": {"type": "string"}}},
                           "note": {"type": "string", "default": "none"}"#,
                    ),
                ),
                (
                    "thing-happened/2.0.0.json",
                    schema("2.0.0", r#""key": {"type": "string"}"#),
                ),
                (
                    "thing-happened/3.0.0.json",
                    schema("3.0.0", r#""key": {"type": "integer"}"#),
                ),
                (
                    "thing-happened/3.1.0.json",
                    schema(
                        "3.1.0",
                        r#""key": {"type": "integer"}, "n": {"type": "integer", "default": 0}"#,
                    ),
                ),
            ],
        );
        let set = load(&files, &LoadOptions::default()).unwrap_or_else(|e| panic!("{e}"));
        model::build(&set).unwrap_or_else(|e| panic!("{e}"))
    }

    fn added(version: &VersionProperties) -> Vec<(&str, u64, Option<String>)> {
        assert!(version.added.iter().all(|p| p.branches.is_empty()));
        version
            .added
            .iter()
            .map(|p| {
                (
                    p.pointer.as_str(),
                    p.since_minor,
                    p.default.as_ref().map(Value::to_string),
                )
            })
            .collect()
    }

    #[test]
    fn properties_are_dated_by_the_minor_that_added_them() {
        let model = synthetic_model();
        let event = &model.events[0];
        let major1 = added_properties(&model, event, 1);
        let versions: Vec<String> = major1.iter().map(|v| v.version.to_string()).collect();
        assert_eq!(versions, ["1.0.0", "1.1.0", "1.2.0"]);
        assert_eq!(added(&major1[0]), []);
        assert_eq!(
            added(&major1[1]),
            [
                ("/data/tags", 1, None),
                ("/data/tags/*/label", 1, None),
                ("/data/labels", 1, Some("{}".to_owned())),
                ("/data/labels/a~1b", 1, None),
            ]
        );
        assert_eq!(
            added(&major1[2]),
            [
                ("/data/tags", 1, None),
                ("/data/tags/*/label", 1, None),
                ("/data/tags/*/weight", 2, Some("1".to_owned())),
                ("/data/labels", 1, Some("{}".to_owned())),
                ("/data/labels/a~1b", 1, None),
                ("/data/note", 2, Some("\"none\"".to_owned())),
            ]
        );
        let major3 = added_properties(&model, event, 3);
        assert_eq!(added(&major3[0]), []);
        assert_eq!(added(&major3[1]), [("/data/n", 1, Some("0".to_owned()))]);
        assert_eq!(added_properties(&model, event, 4), []);
    }

    /// OrderPlaced 1.0.0 and 1.1.0, where 1.1.0 adds properties with defaults inside a
    /// tagged union's branch, an untagged union's second branch, a map's entries, the
    /// entries of an object that also declares a property and a pattern, and a tuple's
    /// object item and the objects after its list.
    fn union_and_map_model() -> Model {
        let data = |extra: [&str; 6]| {
            format!(
                r#""pay": {{"oneOf": [
                        {{"type": "object", "title": "Card", "required": ["method"], "properties": {{"method": {{"const": "card"}}, "last4": {{"type": "string"}}{}}}}},
                        {{"type": "object", "title": "Voucher", "required": ["method"], "properties": {{"method": {{"const": "voucher"}}, "code": {{"type": "string"}}}}}}
                    ]}},
                    "contact": {{"anyOf": [
                        {{"type": "object", "title": "Email", "required": ["email"], "properties": {{"email": {{"type": "string"}}}}}},
                        {{"type": "object", "title": "Phone", "required": ["phone"], "properties": {{"phone": {{"type": "string"}}{}}}}}
                    ]}},
                    "notes": {{"type": "object", "additionalProperties": {{"type": "object", "properties": {{"text": {{"type": "string"}}{}}}}}}},
                    "prefs": {{"type": "object",
                        "properties": {{"lang": {{"type": "object", "properties": {{"code": {{"type": "string"}}}}}}}},
                        "patternProperties": {{"^x-": {{"type": "object"}}}},
                        "additionalProperties": {{"type": "object", "properties": {{"optIn": {{"type": "boolean"}}{}}}}}}},
                    "pair": {{"type": "array",
                        "items": [{{"type": "string"}}, {{"type": "object", "properties": {{"a": {{"type": "string"}}{}}}}}],
                        "additionalItems": {{"type": "object", "properties": {{"b": {{"type": "string"}}{}}}}}}}"#,
                extra[0], extra[1], extra[2], extra[3], extra[4], extra[5]
            )
        };
        let files = SchemaFiles::from_files(
            "schemas",
            [
                (
                    "thing-happened/1.0.0.json",
                    schema("1.0.0", &data(["", "", "", "", "", ""])),
                ),
                (
                    "thing-happened/1.1.0.json",
                    schema(
                        "1.1.0",
                        &data([
                            r#", "installments": {"type": "integer", "default": 1}"#,
                            r#", "preferred": {"type": "boolean", "default": false}"#,
                            r#", "priority": {"type": "string", "default": "normal"}"#,
                            r#", "channel": {"type": "string", "default": "email"}"#,
                            r#", "flag": {"type": "boolean", "default": true}"#,
                            r#", "size": {"type": "integer", "default": 0}"#,
                        ]),
                    ),
                ),
            ],
        );
        let set = load(&files, &LoadOptions::default()).unwrap_or_else(|e| panic!("{e}"));
        model::build(&set).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn properties_inside_union_branches_and_map_entries_are_dated_with_their_branch() {
        let model = union_and_map_model();
        let major1 = added_properties(&model, &model.events[0], 1);
        let added: Vec<(&str, Option<String>, &[BranchTest])> = major1[1]
            .added
            .iter()
            .map(|p| {
                (
                    p.pointer.as_str(),
                    p.default.as_ref().map(Value::to_string),
                    p.branches.as_slice(),
                )
            })
            .collect();
        let owner = SchemaOwner {
            event_module: "thing_happened".to_owned(),
            version_module: "v1_1_0".to_owned(),
        };
        assert_eq!(
            added,
            [
                (
                    "/data/pay/~|Card/installments",
                    Some("1".to_owned()),
                    &[BranchTest::Tag {
                        key: "method".to_owned(),
                        value: Value::from("card")
                    }][..]
                ),
                (
                    "/data/contact/~|Phone/preferred",
                    Some("false".to_owned()),
                    &[BranchTest::FirstFit {
                        schema: owner,
                        pointer: "/properties/data/properties/contact/anyOf/1".to_owned(),
                        earlier: vec!["/properties/data/properties/contact/anyOf/0".to_owned()],
                    }][..]
                ),
                (
                    "/data/notes/~*/priority",
                    Some("\"normal\"".to_owned()),
                    &[BranchTest::Entries {
                        declared: vec![],
                        patterns: vec![]
                    }][..]
                ),
                (
                    "/data/prefs/~*/channel",
                    Some("\"email\"".to_owned()),
                    &[BranchTest::Entries {
                        declared: vec!["lang".to_owned()],
                        patterns: vec!["^x-".to_owned()]
                    }][..]
                ),
                // A tuple's item by its index, the items after its list from theirs on.
                ("/data/pair/1/flag", Some("true".to_owned()), &[][..]),
                ("/data/pair/*2/size", Some("0".to_owned()), &[][..]),
            ]
        );
        assert_eq!(major1[0].added, []);
        // The emitted table names the branch tests and the schema static they check with.
        let tokens = with_versioning(
            TokenStream::new(),
            &model,
            &quote!(::event_contracts_runtime::__private),
        );
        let code = crate::emit::format_file(tokens).unwrap_or_else(|e| panic!("{e}"));
        let compact: String = code.split_whitespace().collect();
        for expected in [
            r#"branches:&[BranchTest::Tag{key:"method",value_json:"\"card\"",},],"#,
            r#"branches:&[BranchTest::FirstFit{schema:&crate::thing_happened::v1_1_0::SCHEMA,pointer:"/properties/data/properties/contact/anyOf/1",earlier:&["/properties/data/properties/contact/anyOf/0"],},],"#,
            r#"pointer:"/data/notes/~*/priority",since_minor:1u64,default_json:Some("\"normal\""),branches:&[BranchTest::Entries{declared:&[],patterns:&[],},],"#,
            r#"pointer:"/data/prefs/~*/channel",since_minor:1u64,default_json:Some("\"email\""),branches:&[BranchTest::Entries{declared:&["lang"],patterns:&["^x-"],},],"#,
        ] {
            assert!(compact.contains(expected), "missing {expected} in {code}");
        }
    }

    #[test]
    fn every_pair_of_consecutive_majors_names_its_step() {
        let model = synthetic_model();
        let steps = major_steps(&model.events[0]);
        let names: Vec<(String, String, &str)> = steps
            .iter()
            .map(|s| (s.from.to_string(), s.to.to_string(), s.function.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                (
                    "1.2.0".to_owned(),
                    "2.0.0".to_owned(),
                    "thing_happened_1_2_0_to_2_0_0"
                ),
                (
                    "2.0.0".to_owned(),
                    "3.0.0".to_owned(),
                    "thing_happened_2_0_0_to_3_0_0"
                ),
            ]
        );
    }

    #[test]
    fn the_generated_code_references_each_step_so_a_missing_one_fails_the_build() {
        let model = synthetic_model();
        let tokens = with_versioning(
            TokenStream::new(),
            &model,
            &quote!(::event_contracts_runtime::__private),
        );
        let code = crate::emit::format_file(tokens).unwrap_or_else(|e| panic!("{e}"));
        for line in [
            "pub const THING_HAPPENED_1_2_0_TO_2_0_0: StepFn = crate::upcasters::thing_happened_1_2_0_to_2_0_0;",
            "pub const THING_HAPPENED_2_0_0_TO_3_0_0: StepFn = crate::upcasters::thing_happened_2_0_0_to_3_0_0;",
            "/// in the crate's `upcasters` module: it reads the event at 1.2.0 and returns it at 2.0.0.",
        ] {
            assert!(code.contains(line), "missing {line:?} in:\n{code}");
        }
        // The table wires major 1 to the step into 2 and major 2 to the step into 3; major 3 is the last.
        let steps: Vec<&str> = code
            .lines()
            .filter_map(|l| l.trim().strip_prefix("step_to_next_major: "))
            .collect();
        assert_eq!(
            steps,
            [
                "Some(THING_HAPPENED_1_2_0_TO_2_0_0),",
                "Some(THING_HAPPENED_2_0_0_TO_3_0_0),",
                "None,"
            ]
        );
        let compact: String = code.split_whitespace().collect();
        assert!(
            compact.contains(
                r#"AddedProperty{pointer:"/data/tags/*/weight",since_minor:2u64,default_json:Some("1"),branches:&[],}"#
            ),
            "{code}"
        );
    }

    #[test]
    fn a_single_major_needs_no_step() {
        let mut model = synthetic_model();
        model.events[0].versions.retain(|v| v.version.major == 1);
        assert_eq!(major_steps(&model.events[0]), []);
        let tokens = with_versioning(
            TokenStream::new(),
            &model,
            &quote!(::event_contracts_runtime::__private),
        );
        let code = crate::emit::format_file(tokens).unwrap_or_else(|e| panic!("{e}"));
        assert!(!code.contains("crate::upcasters::"), "{code}");
    }
}
