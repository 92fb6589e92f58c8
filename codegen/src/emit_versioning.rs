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
use crate::model::{EventModel, FieldTy, Model, StructDef, TypeDef, VersionModel};

/// The runtime module that holds the hand-written steps between majors.
pub const UPCASTERS_MODULE: &str = "upcasters";

/// The generated module that holds the table.
pub const VERSIONING_MODULE: &str = "__versioning";

/// The pointer token that stands for every item of an array. In an instance an array
/// only has index tokens, so `*` on an array cannot be mistaken for a property name.
pub const EACH_ITEM: &str = "*";

/// One property that a minor version added to an event.
#[derive(Debug, Clone, PartialEq)]
pub struct AddedProperty {
    /// JSON pointer of the property in an event, e.g. `/data/metadata` (`*` for array items).
    pub pointer: String,
    /// The first minor of the major that declares the property.
    pub since_minor: u64,
    /// The schema's `default` for the property, if it gives one.
    pub default: Option<Value>,
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

/// Declared properties as (JSON pointer, `default`).
type Properties = Vec<(String, Option<Value>)>;

/// Every declared property of a version, as (pointer, default), walking the structs from
/// the root depth-first so that a parent comes before its children.
pub fn property_pointers(model: &Model, version: &VersionModel) -> Properties {
    let mut out = Vec::new();
    if let Some(TypeDef::Struct(root)) = version.types.first() {
        walk_struct(model, version, root, "", &mut out, &mut Vec::new());
    }
    out
}

fn find_struct<'a>(types: &'a [TypeDef], name: &str) -> Option<&'a StructDef> {
    types.iter().find_map(|t| match t {
        TypeDef::Struct(s) if s.name == name => Some(s),
        _ => None,
    })
}

fn walk_struct<'a>(
    model: &'a Model,
    version: &'a VersionModel,
    s: &'a StructDef,
    prefix: &str,
    out: &mut Properties,
    active: &mut Vec<&'a str>,
) {
    // The model rejects recursive types; the guard keeps a future relaxation from looping here.
    if active.contains(&s.name.as_str()) {
        return;
    }
    active.push(&s.name);
    for field in &s.fields {
        let pointer = format!("{prefix}/{}", escape_token(&field.json));
        out.push((pointer.clone(), field.default.clone()));
        walk_ty(model, version, &field.ty, &pointer, out, active);
    }
    active.pop();
}

fn walk_ty<'a>(
    model: &'a Model,
    version: &'a VersionModel,
    ty: &'a FieldTy,
    pointer: &str,
    out: &mut Properties,
    active: &mut Vec<&'a str>,
) {
    let nested = match ty {
        FieldTy::Local(name) => find_struct(&version.types, name),
        FieldTy::Shared(name) => find_struct(&model.shared, name),
        FieldTy::Vec(inner) => {
            let items = format!("{pointer}/{EACH_ITEM}");
            walk_ty(model, version, inner, &items, out, active);
            None
        }
        // A nullable object's properties sit at the same place when it is not null (the
        // upcaster fills a default only where the parent is an object). A boxed type is
        // walked where it is first used, which `active` keeps from looping.
        FieldTy::Nullable(inner) | FieldTy::Boxed(inner) => {
            walk_ty(model, version, inner, pointer, out, active);
            None
        }
        // Map entries have no fixed names, and a union's branches no common place: a
        // property a minor adds inside them is not filled by upcasting (see the README).
        _ => None,
    };
    if let Some(s) = nested {
        walk_struct(model, version, s, pointer, out, active);
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
        for (pointer, _) in props {
            since.entry(pointer.as_str()).or_insert(v.version.minor);
        }
    }
    per_version
        .iter()
        .map(|(v, props)| VersionProperties {
            version: v.version.clone(),
            added: props
                .iter()
                .filter_map(|(pointer, default)| {
                    let since_minor = since.get(pointer.as_str()).copied()?;
                    (since_minor > base_minor).then(|| AddedProperty {
                        pointer: pointer.clone(),
                        since_minor,
                        default: default.clone(),
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
                    quote! {
                        AddedProperty { pointer: #pointer, since_minor: #since, default_json: #default },
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
            use #runtime_private::{AddedProperty, MajorHistory, StepFn, UpcastError, VersionEntry};

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
                r#"AddedProperty{pointer:"/data/tags/*/weight",since_minor:2u64,default_json:Some("1"),}"#
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
