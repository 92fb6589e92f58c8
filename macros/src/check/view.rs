//! Consumer views (`versions = "^1"`): for every schema version the range matches, each
//! field must read a property that exists there, hold every value that property allows,
//! and be an `Option` (or have a serde default) wherever the property is optional.
//!
//! The schema side comes from codegen's type model, the same reading of the schemas that
//! the generated types are made from; only the Rust side (what a written type can hold)
//! is this module's.

use event_contracts_schema::diag::escape_token;
use event_contracts_schema::model::{
    EnumDef, EventModel, FieldTy, LiteralsDef, Model, NewtypeDef, Scalar, StructDef, TypeDef,
    UnionDef, VersionModel,
};
use event_contracts_schema::{Event, EventVersion, SchemaSet};
use proc_macro2::Span;

use crate::ast::{type_text, Body, Input, Shape, ViewField, ViewVariant};
use crate::attr::{Pointer, Range};
use crate::check::bump::versions_list;
use crate::ctxt::{Ctxt, Spanned};
use crate::schemas::Loaded;
use crate::suggest::closest;

/// One matched version, with what is needed to read its model.
struct Ver<'a> {
    set: &'a SchemaSet,
    model: &'a Model,
    ev: &'a EventVersion,
    vm: &'a VersionModel,
}

/// What a pointer into an event leads to in one version.
enum Place<'a> {
    /// An object with declared properties.
    Struct(&'a StructDef),
    /// A string enum.
    Enum(&'a EnumDef),
    /// Anything else: a scalar, an array, an object without declared properties.
    Other(&'a FieldTy),
}

/// One property of an object as a view sees it.
struct Prop<'a> {
    json: &'a str,
    /// `None` for the event type (the discriminator), which the model implies rather than declares.
    ty: Option<&'a FieldTy>,
    required: bool,
    /// Pointer into the bundled schema.
    pointer: String,
}

/// A problem found in one version; identical problems of several versions are reported once.
struct Problem {
    /// The message, with `{V}` where the version list goes.
    text: String,
    /// Where in the schema files, for the first version that has the problem.
    location: Option<String>,
}

impl<'a> Ver<'a> {
    fn typedef(&self, ty: &FieldTy) -> Option<&'a TypeDef> {
        match ty {
            FieldTy::Local(name) => self.vm.types.iter().find(|t| t.name() == name),
            FieldTy::Shared(name) => self.model.shared.iter().find(|t| t.name() == name),
            _ => None,
        }
    }

    fn root(&self) -> Option<&'a StructDef> {
        self.vm.types.iter().find_map(|t| match t {
            TypeDef::Struct(s) if s.pointer.is_empty() => Some(s),
            _ => None,
        })
    }

    fn place_of(&self, ty: &'a FieldTy) -> Place<'a> {
        // A nullable or boxed struct is still stepped into: `/a/b` reads `b` when `a` is an
        // object, and the view of `a` decides how it holds `null`.
        if let FieldTy::Nullable(inner) | FieldTy::Boxed(inner) = ty {
            return self.place_of(inner);
        }
        match self.typedef(ty) {
            Some(TypeDef::Struct(s)) => Place::Struct(s),
            Some(TypeDef::Enum(e)) => Place::Enum(e),
            _ => Place::Other(ty),
        }
    }

    fn props(&self, s: &'a StructDef) -> Vec<Prop<'a>> {
        let mut props = Vec::with_capacity(s.fields.len() + 1);
        if let Some((key, _)) = &s.tag {
            props.push(Prop {
                json: key,
                ty: None,
                required: true,
                pointer: format!("{}/properties/{}", s.pointer, escape_token(key)),
            });
        }
        props.extend(s.fields.iter().map(|f| Prop {
            json: &f.json,
            ty: Some(&f.ty),
            required: f.required,
            pointer: format!("{}/properties/{}", s.pointer, escape_token(&f.json)),
        }));
        props
    }

    /// `schemas/x/1.0.0.json:12 (at JSON pointer /properties/a)`.
    fn location(&self, pointer: &str) -> String {
        let (file, line, inner) = self.ev.source_of(self.set, pointer);
        let mut text = file;
        if let Some(line) = line {
            text.push_str(&format!(":{line}"));
        }
        if !inner.is_empty() {
            text.push_str(&format!(" (at JSON pointer {inner})"));
        }
        text
    }

    /// Follows `tokens` from the event's root; the error says where and why it stops.
    fn resolve(&self, tokens: &[String]) -> Result<Place<'a>, String> {
        let Some(root) = self.root() else {
            return Err("the model has no root object".to_owned());
        };
        let mut place = Place::Struct(root);
        let mut walked = String::new();
        for token in tokens {
            let here = if walked.is_empty() {
                "the top level"
            } else {
                walked.as_str()
            };
            place = match place {
                Place::Struct(s) => {
                    let props = self.props(s);
                    let Some(prop) = props.iter().find(|p| p.json == token) else {
                        let names: Vec<&str> = props.iter().map(|p| p.json).collect();
                        let hint = match closest(token, names.iter().copied()) {
                            Some(near) => {
                                format!("; did you mean `{walked}/{}`?", escape_token(near))
                            }
                            None => String::new(),
                        };
                        return Err(format!(
                            "there is no property {token:?} at {here} (it has {}){hint}",
                            names.join(", ")
                        ));
                    };
                    match prop.ty {
                        Some(ty) => self.place_of(ty),
                        None => {
                            return Err(format!(
                                "{walked}/{} is the event type, a string with no properties",
                                escape_token(token)
                            ))
                        }
                    }
                }
                Place::Other(FieldTy::Vec(inner))
                    if token == "*" || token.parse::<u64>().is_ok() =>
                {
                    self.place_of(inner)
                }
                Place::Other(FieldTy::Vec(_)) => {
                    return Err(format!(
                        "{here} is an array: step into its items with `/*` (or an index)"
                    ))
                }
                Place::Enum(_) | Place::Other(_) => {
                    return Err(format!(
                        "{here} is {}, which has no properties",
                        self.describe_place(&place)
                    ))
                }
            };
            walked.push('/');
            walked.push_str(&escape_token(token));
        }
        Ok(place)
    }

    fn describe_place(&self, place: &Place<'a>) -> String {
        match place {
            Place::Struct(_) => "an object".to_owned(),
            Place::Enum(e) => allows_enum(e),
            Place::Other(ty) => self.allows(ty),
        }
    }

    /// What the schema allows for `ty`, in words.
    fn allows(&self, ty: &FieldTy) -> String {
        match ty {
            FieldTy::String => "any string".to_owned(),
            FieldTy::Bool => "true or false".to_owned(),
            FieldTy::U64 => format!("any integer from 0 to {}", u64::MAX),
            FieldTy::I64 => format!("any integer from {} to {}", i64::MIN, i64::MAX),
            FieldTy::F64 => "any number".to_owned(),
            FieldTy::Uuid => "any UUID string".to_owned(),
            FieldTy::DateTime => "any date-time string".to_owned(),
            FieldTy::Object => "any JSON object".to_owned(),
            FieldTy::Any => "any JSON value".to_owned(),
            FieldTy::Null => "null".to_owned(),
            FieldTy::Vec(inner) => format!("arrays of {}", self.allows(inner)),
            FieldTy::Map(inner) => format!("objects whose properties are {}", self.allows(inner)),
            FieldTy::Nullable(inner) => format!("null or {}", self.allows(inner)),
            FieldTy::Boxed(inner) => self.allows(inner),
            FieldTy::Local(_) | FieldTy::Shared(_) => match self.typedef(ty) {
                Some(TypeDef::Struct(s)) => format!("an object (the generated `{}`)", s.name),
                Some(TypeDef::Enum(e)) => allows_enum(e),
                Some(TypeDef::Literals(l)) => allows_literals(l),
                Some(TypeDef::Newtype(n)) => allows_newtype(n),
                Some(TypeDef::Union(u)) => self.allows_union(u),
                Some(TypeDef::Tuple(t)) => {
                    let items: Vec<String> = t.items.iter().map(|i| self.allows(i)).collect();
                    match &t.rest {
                        None => format!(
                            "arrays of {} to {} items (the generated `{}`): {}",
                            t.min_items,
                            t.items.len(),
                            t.name,
                            items.join(", then ")
                        ),
                        Some(rest) => format!(
                            "arrays of {} (the generated `{}`): {}, then any further items: {}",
                            match t.max_items {
                                Some(max) => format!("{} to {max} items", t.min_items),
                                None => format!("at least {} items", t.min_items),
                            },
                            t.name,
                            items.join(", then "),
                            self.allows(rest)
                        ),
                    }
                }
                None => "a value of a type the model does not list".to_owned(),
            },
        }
    }

    /// What a union allows, in words: each branch's shape.
    fn allows_union(&self, u: &UnionDef) -> String {
        let branches: Vec<String> = u.variants.iter().map(|v| self.allows(&v.ty)).collect();
        format!(
            "one of several shapes (the generated `{}`): {}",
            u.name,
            branches.join("; or ")
        )
    }

    /// A Rust type that holds every value of `ty`, for the help line.
    fn suggest(&self, ty: &FieldTy, here: &str) -> String {
        match ty {
            FieldTy::String => "String".to_owned(),
            FieldTy::Bool => "bool".to_owned(),
            FieldTy::U64 => "u64".to_owned(),
            FieldTy::I64 => "i64".to_owned(),
            FieldTy::F64 => "f64".to_owned(),
            FieldTy::Uuid => "uuid::Uuid (or String)".to_owned(),
            FieldTy::DateTime => "chrono::DateTime<chrono::Utc> (or String)".to_owned(),
            FieldTy::Object => "serde_json::Map<String, serde_json::Value>".to_owned(),
            FieldTy::Any => "serde_json::Value".to_owned(),
            FieldTy::Null => "Option<T> for any T (or serde_json::Value)".to_owned(),
            FieldTy::Vec(inner) => format!("Vec<{}>", self.suggest(inner, &format!("{here}/*"))),
            FieldTy::Map(inner) => format!(
                "HashMap<String, {}> (or serde_json::Map<String, serde_json::Value>)",
                self.suggest(inner, &format!("{here}/*"))
            ),
            FieldTy::Nullable(inner) => format!("Option<{}>", self.suggest(inner, here)),
            FieldTy::Boxed(inner) => self.suggest(inner, here),
            FieldTy::Local(_) | FieldTy::Shared(_) => match self.typedef(ty) {
                Some(TypeDef::Literals(l)) => format!(
                    "the generated `{}` (or serde_json::Value)",
                    l.name
                ),
                Some(TypeDef::Union(u)) => format!(
                    "the generated `{}`, an enum with its own #[derive(EventContract)] and `at = \"{here}\"`, or serde_json::Value",
                    u.name
                ),
                Some(TypeDef::Tuple(t)) => format!(
                    "the generated `{}` (or Vec<serde_json::Value>)",
                    t.name
                ),
                Some(TypeDef::Struct(_)) => format!(
                    "a struct with its own #[derive(EventContract)] and `at = \"{here}\"` (or serde_json::Value)"
                ),
                Some(TypeDef::Enum(e)) => format!(
                    "String, the generated `{}`, or an enum with its own #[derive(EventContract)] and `at = \"{here}\"`",
                    e.name
                ),
                Some(TypeDef::Newtype(n)) => match n.scalar {
                    Scalar::String => "String".to_owned(),
                    Scalar::F64 => "f64".to_owned(),
                    Scalar::U64 | Scalar::I64 => {
                        let (lo, hi) = integer_range(n);
                        smallest_int(lo, hi).to_owned()
                    }
                },
                None => "serde_json::Value".to_owned(),
            },
        }
    }

    /// Whether a Rust type of `shape` holds every value the schema allows for `ty`.
    fn holds(&self, shape: &Shape, ty: &FieldTy) -> bool {
        match (shape, ty) {
            (Shape::Value, _) => return true,
            // `null` needs an `Option` (serde reads `null` into `None`).
            (Shape::Option(inner), FieldTy::Nullable(value)) => return self.holds(inner, value),
            (_, FieldTy::Nullable(_) | FieldTy::Null) => return false,
            (Shape::Option(inner), _) => return self.holds(inner, ty),
            _ => {}
        }
        match ty {
            FieldTy::Nullable(_) | FieldTy::Null => false,
            FieldTy::Boxed(inner) => self.holds(shape, inner),
            // A typed map's values are checked by nothing here: a map of JSON values holds
            // them all, and a named type is a nested view that checks itself.
            FieldTy::Map(_) => matches!(shape, Shape::Map { json_values: true } | Shape::Named(_)),
            FieldTy::Any => false,
            FieldTy::String => *shape == Shape::String,
            FieldTy::Uuid => matches!(shape, Shape::String | Shape::Uuid),
            FieldTy::DateTime => matches!(shape, Shape::String | Shape::DateTime),
            FieldTy::Bool => *shape == Shape::Bool,
            FieldTy::U64 => int_covers(shape, 0, u64::MAX.into()),
            FieldTy::I64 => int_covers(shape, i64::MIN.into(), i64::MAX.into()),
            FieldTy::F64 => *shape == Shape::Float { bits: 64 },
            // A path type here is a nested view, trusted to check itself at its own `at`.
            FieldTy::Object => matches!(shape, Shape::Map { json_values: true } | Shape::Named(_)),
            FieldTy::Vec(inner) => match shape {
                Shape::Vec(item) => self.holds(item, inner),
                _ => false,
            },
            FieldTy::Local(_) | FieldTy::Shared(_) => match self.typedef(ty) {
                Some(TypeDef::Struct(_)) => {
                    matches!(shape, Shape::Map { json_values: true } | Shape::Named(_))
                }
                Some(TypeDef::Enum(_)) => matches!(shape, Shape::String | Shape::Named(_)),
                Some(TypeDef::Literals(l)) => {
                    matches!(shape, Shape::Named(name) if *name == l.name) || literals_fit(shape, l)
                }
                // A union is held by its generated enum or by a view enum that checks itself.
                Some(TypeDef::Union(_)) => matches!(shape, Shape::Named(_)),
                // A tuple by its generated struct, or by a `Vec` whose item holds every item.
                Some(TypeDef::Tuple(t)) => match shape {
                    Shape::Named(name) => *name == t.name,
                    Shape::Vec(item) => t.items.iter().chain(&t.rest).all(|i| self.holds(item, i)),
                    _ => false,
                },
                Some(TypeDef::Newtype(n)) => {
                    let generated = matches!(shape, Shape::Named(name) if *name == n.name);
                    generated
                        || match n.scalar {
                            Scalar::String => *shape == Shape::String,
                            Scalar::F64 => *shape == Shape::Float { bits: 64 },
                            Scalar::U64 | Scalar::I64 => {
                                let (lo, hi) = integer_range(n);
                                int_covers(shape, lo, hi)
                            }
                        }
                }
                // The model names every type it uses; nothing to hold against otherwise.
                None => true,
            },
        }
    }
}

fn allows_literals(l: &LiteralsDef) -> String {
    let values: Vec<String> = l.variants.iter().map(|(_, v)| v.to_string()).collect();
    format!("one of {}", values.join(", "))
}

/// Whether a plain Rust type holds every literal: booleans in `bool`, integers in an
/// integer type wide enough.
fn literals_fit(shape: &Shape, l: &LiteralsDef) -> bool {
    l.variants.iter().all(|(_, v)| match v {
        serde_json::Value::Bool(_) => *shape == Shape::Bool,
        serde_json::Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => int_covers(shape, i.into(), i.into()),
            (None, Some(u)) => int_covers(shape, u.into(), u.into()),
            _ => *shape == Shape::Float { bits: 64 },
        },
        serde_json::Value::String(_) => *shape == Shape::String,
        _ => false,
    })
}

fn allows_enum(e: &EnumDef) -> String {
    let values: Vec<String> = e.variants.iter().map(|(_, v)| format!("{v:?}")).collect();
    format!("one of {}", values.join(", "))
}

fn allows_newtype(n: &NewtypeDef) -> String {
    let c = &n.constraints;
    match n.scalar {
        Scalar::String => {
            let mut parts = vec!["any string".to_owned()];
            match (c.min_length, c.max_length) {
                (Some(lo), Some(hi)) => parts.push(format!("of {lo} to {hi} characters")),
                (Some(lo), None) => parts.push(format!("of at least {lo} characters")),
                (None, Some(hi)) => parts.push(format!("of at most {hi} characters")),
                (None, None) => {}
            }
            if let Some(pattern) = &c.pattern {
                parts.push(format!("matching /{pattern}/"));
            }
            parts.join(" ")
        }
        Scalar::F64 => {
            let mut bounds = Vec::new();
            if let Some(m) = c.minimum {
                bounds.push(format!("≥ {m}"));
            }
            if let Some(m) = c.exclusive_minimum {
                bounds.push(format!("> {m}"));
            }
            if let Some(m) = c.maximum {
                bounds.push(format!("≤ {m}"));
            }
            if let Some(m) = c.exclusive_maximum {
                bounds.push(format!("< {m}"));
            }
            if let Some(m) = c.multiple_of {
                bounds.push(format!("a multiple of {m}"));
            }
            format!("any number {}", bounds.join(", "))
        }
        Scalar::U64 | Scalar::I64 => {
            let (lo, hi) = integer_range(n);
            format!("any integer from {lo} to {hi}")
        }
    }
}

/// The integers a constrained integer newtype allows, as an inclusive range.
fn integer_range(n: &NewtypeDef) -> (i128, i128) {
    let c = &n.constraints;
    let (mut lo, mut hi): (i128, i128) = match n.scalar {
        Scalar::U64 => (0, u64::MAX.into()),
        _ => (i64::MIN.into(), i64::MAX.into()),
    };
    // Float-to-int `as` saturates, which is the right answer for bounds beyond the type.
    if let Some(m) = c.minimum {
        lo = lo.max(m.ceil() as i128);
    }
    if let Some(m) = c.exclusive_minimum {
        lo = lo.max(m.floor() as i128 + 1);
    }
    if let Some(m) = c.maximum {
        hi = hi.min(m.floor() as i128);
    }
    if let Some(m) = c.exclusive_maximum {
        hi = hi.min(m.ceil() as i128 - 1);
    }
    (lo, hi)
}

fn int_covers(shape: &Shape, lo: i128, hi: i128) -> bool {
    matches!(shape, Shape::Int { min, max, .. } if *min <= lo && hi <= *max)
}

fn smallest_int(lo: i128, hi: i128) -> &'static str {
    let candidates: [(&str, i128, i128); 8] = [
        ("u8", 0, u8::MAX.into()),
        ("i8", i8::MIN.into(), i8::MAX.into()),
        ("u16", 0, u16::MAX.into()),
        ("i16", i16::MIN.into(), i16::MAX.into()),
        ("u32", 0, u32::MAX.into()),
        ("i32", i32::MIN.into(), i32::MAX.into()),
        ("u64", 0, u64::MAX.into()),
        ("i64", i64::MIN.into(), i64::MAX.into()),
    ];
    candidates
        .iter()
        .find(|(_, min, max)| *min <= lo && hi <= *max)
        .map_or("i128", |(name, _, _)| name)
}

/// The verb for a list of `count` versions.
fn does(count: usize) -> &'static str {
    if count == 1 {
        "does"
    } else {
        "do"
    }
}

/// `1.0.0`, `1.0.0 and 1.1.0`, `1.0.0, 1.1.0 and 2.0.0`.
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Collects problems, reporting identical ones of several versions once.
#[derive(Default)]
struct Report {
    groups: Vec<Group>,
}

/// One problem of one subject (a field, a variant, the container) and the versions that have it.
struct Group {
    subject: usize,
    span: Span,
    text: String,
    versions: Vec<String>,
    location: Option<String>,
}

impl Report {
    fn add(&mut self, subject: usize, span: Span, version: &EventVersion, problem: Problem) {
        let version = version.version.to_string();
        match self
            .groups
            .iter_mut()
            .find(|g| g.subject == subject && g.text == problem.text)
        {
            Some(group) => group.versions.push(version),
            None => self.groups.push(Group {
                subject,
                span,
                text: problem.text,
                versions: vec![version],
                location: problem.location,
            }),
        }
    }

    /// A problem that is not about particular versions (its text has no `{V}`).
    fn add_plain(&mut self, subject: usize, span: Span, text: String) {
        self.groups.push(Group {
            subject,
            span,
            text,
            versions: Vec::new(),
            location: None,
        });
    }

    fn emit(self, cx: &mut Ctxt, event: &str) {
        for group in self.groups {
            let who = format!("{event} {}", and_list(&group.versions));
            let one = group.versions.len() == 1;
            let mut text = group
                .text
                .replace("{V}", &who)
                .replace("{s}", if one { "s" } else { "" })
                .replace("{does}", does(group.versions.len()));
            if let Some(location) = group.location {
                // The location goes under the first line, as in codegen's diagnostics.
                text = match text.split_once('\n') {
                    Some((first, rest)) => format!("{first}\n  --> {location}\n{rest}"),
                    None => format!("{text}\n  --> {location}"),
                };
            }
            cx.error_at(group.span, text);
        }
    }
}

/// Checks a view against every version `range` matches.
pub(crate) fn check(
    cx: &mut Ctxt,
    loaded: &Loaded,
    event: &Event,
    input: &Input,
    range: &Spanned<Range>,
    at: Option<&Spanned<Pointer>>,
) {
    let model = match &loaded.model {
        Ok(model) => model,
        Err(e) => {
            cx.error_at(
                range.span,
                format!("codegen cannot generate types for these schemas, so no view of them can be checked:\n{e}"),
            );
            return;
        }
    };
    let Some(event_model) = model.events.iter().find(|e| e.name == event.name) else {
        cx.error_at(
            range.span,
            format!("the type model has no event {}", event.name),
        );
        return;
    };
    let versions = matched(loaded, model, event, event_model, &range.value);
    if versions.is_empty() {
        cx.error_at(
            range.span,
            format!(
                "no version of {} matches `{}`; its versions are {}",
                event.name,
                range.value.text,
                versions_list(&event.versions)
            ),
        );
        return;
    }
    let at_text = at.map_or(String::new(), |a| a.value.text.clone());
    let at_tokens: &[String] = at.map_or(&[], |a| a.value.tokens.as_slice());
    let at_span = at.map_or(range.span, |a| a.span);

    let mut places = Vec::new();
    let mut unresolved: Vec<(String, String)> = Vec::new();
    for ver in &versions {
        match ver.resolve(at_tokens) {
            Ok(place) => places.push((ver, place)),
            Err(why) => unresolved.push((ver.ev.version.to_string(), why)),
        }
    }
    if !unresolved.is_empty() {
        let missing: Vec<String> = unresolved.iter().map(|(v, _)| v.clone()).collect();
        let mut text = format!(
            "`at = {at_text:?}` points at nothing in {} {}",
            event.name,
            and_list(&missing)
        );
        let mut reasons: Vec<&str> = unresolved.iter().map(|(_, why)| why.as_str()).collect();
        reasons.dedup();
        for why in reasons {
            text.push_str(&format!("\n  = note: {why}"));
        }
        if !places.is_empty() {
            let found: Vec<String> = places
                .iter()
                .map(|(ver, _)| ver.ev.version.to_string())
                .collect();
            text.push_str(&format!(
                "\n  = help: only {} of the versions `{}` matches {} it: narrow `versions` to {}",
                and_list(&found),
                range.value.text,
                if found.len() == 1 { "has" } else { "have" },
                if found.len() == 1 {
                    "that one"
                } else {
                    "those"
                }
            ));
        }
        cx.error_at(at_span, text);
        return;
    }

    match &input.body {
        Body::Struct { container, fields } => {
            let mut structs = Vec::new();
            for (ver, place) in &places {
                match place {
                    Place::Struct(s) => structs.push((*ver, *s)),
                    other => {
                        cx.error_at(
                            at_span,
                            format!(
                                "a struct view reads an object, but {} {} has {} at {}",
                                event.name,
                                ver.ev.version,
                                ver.describe_place(other),
                                shown_at(&at_text)
                            ),
                        );
                        return;
                    }
                }
            }
            check_struct(cx, event, container, fields, &structs, &at_text, &range.value);
        }
        Body::Enum {
            container,
            variants,
        } => {
            let mut enums = Vec::new();
            for (ver, place) in &places {
                match place {
                    Place::Enum(e) => enums.push((*ver, *e)),
                    other => {
                        cx.error_at(
                            at_span,
                            format!(
                                "an enum view reads a string enum, but {} {} has {} at {}",
                                event.name,
                                ver.ev.version,
                                ver.describe_place(other),
                                shown_at(&at_text)
                            ),
                        );
                        return;
                    }
                }
            }
            report_unsupported(cx, container);
            check_enum(cx, event, input, variants, &enums, &at_text, &range.value);
        }
        Body::Other { span, what } => cx.error_at(
            *span,
            format!(
                "a view is a struct with named fields (or an enum, for a string enum); {what} has no fields to check"
            ),
        ),
    }
}

fn matched<'a>(
    loaded: &'a Loaded,
    model: &'a Model,
    event: &'a Event,
    event_model: &'a EventModel,
    range: &Range,
) -> Vec<Ver<'a>> {
    event
        .versions
        .iter()
        .filter(|ev| range.req.matches(&ev.version))
        .filter_map(|ev| {
            let vm = event_model
                .versions
                .iter()
                .find(|v| v.version == ev.version)?;
            Some(Ver {
                set: &loaded.set,
                model,
                ev,
                vm,
            })
        })
        .collect()
}

fn shown_at(at: &str) -> String {
    if at.is_empty() {
        "the top level".to_owned()
    } else {
        at.to_owned()
    }
}

#[allow(clippy::too_many_arguments)]
fn check_struct(
    cx: &mut Ctxt,
    event: &Event,
    container: &crate::attr::SerdeContainer,
    fields: &[ViewField],
    structs: &[(&Ver, &StructDef)],
    at: &str,
    range: &Range,
) {
    report_unsupported(cx, container);
    let place = shown_at(at);
    let mut report = Report::default();
    for (subject, field) in fields.iter().enumerate().filter(|(_, f)| !f.serde.skip) {
        let span = field.ident.span();
        if let Some(alias) = field.serde.alias {
            cx.error_at(
                alias,
                "#[serde(alias)] lets a field read a second property, which #[derive(EventContract)] does not check; read each property with its own field",
            );
        }
        if field.serde.flatten.is_some() {
            let ok = matches!(
                field.shape.without_option(),
                Shape::Map { json_values: true } | Shape::Named(_) | Shape::Value
            );
            if !ok {
                cx.error_spanned_by(
                    field.ty,
                    format!(
                        "a flattened field reads the properties other fields leave; `{}` cannot hold them: use serde_json::Map<String, serde_json::Value>, or a struct with its own #[derive(EventContract)] and `at = {at:?}`",
                        type_text(field.ty)
                    ),
                );
            }
            continue;
        }
        let declared: Vec<String> = structs
            .iter()
            .filter(|(ver, s)| ver.props(s).iter().any(|p| p.json == field.json))
            .map(|(ver, _)| ver.ev.version.to_string())
            .collect();
        if declared.is_empty() {
            let text = missing(event, field, structs, &place, range);
            report.add_plain(subject, span, text);
            continue;
        }
        for (ver, s) in structs {
            let props = ver.props(s);
            let here = format!("{at}/{}", escape_token(&field.json));
            match props.iter().find(|p| p.json == field.json) {
                None => {
                    if let Some(problem) = undeclared(field, s, &declared, &place) {
                        report.add(subject, span, ver.ev, problem);
                    }
                }
                Some(prop) => {
                    if !prop.required && !field.may_be_missing {
                        report.add(
                            subject,
                            span,
                            ver.ev,
                            Problem {
                                text: format!(
                                    "field `{}` is not an Option, but {{V}} {{does}} not require {:?} at {place}, so an event may leave it out\n  = help: make it `Option<{}>`, or give it #[serde(default)]",
                                    field.ident,
                                    field.json,
                                    type_text(field.ty)
                                ),
                                location: Some(ver.location(&prop.pointer)),
                            },
                        );
                    }
                    if field.serde.custom {
                        // A `deserialize_with` function, not the type, reads the value.
                        continue;
                    }
                    let holds = match prop.ty {
                        Some(ty) => ver.holds(&field.shape, ty),
                        // The event type is a string naming the event.
                        None => matches!(
                            field.shape.without_option(),
                            Shape::String | Shape::Value | Shape::Named(_)
                        ),
                    };
                    if !holds {
                        let (allows, suggestion) = match prop.ty {
                            Some(ty) => (ver.allows(ty), ver.suggest(ty, &here)),
                            None => (format!("the string {:?}", event.name), "String".to_owned()),
                        };
                        let note = shape_note(field.shape.without_option());
                        report.add(
                            subject,
                            span,
                            ver.ev,
                            Problem {
                                text: format!(
                                    "field `{}: {}` cannot hold every value {{V}} allow{{s}} for {:?} at {place}: {allows}{note}\n  = help: use {suggestion}",
                                    field.ident,
                                    type_text(field.ty),
                                    field.json,
                                ),
                                location: Some(ver.location(&prop.pointer)),
                            },
                        );
                    }
                }
            }
        }
    }
    if let Some(span) = container.deny_unknown_fields {
        let reads: Vec<&str> = fields
            .iter()
            .filter(|f| !f.serde.skip)
            .map(|f| f.json.as_str())
            .collect();
        let flattens = fields.iter().any(|f| f.serde.flatten.is_some());
        for (ver, s) in structs {
            let problem = if s.open {
                Some(format!(
                    "at {place}, {{V}} allow{{s}} undeclared properties, and #[serde(deny_unknown_fields)] would reject every event that carries one\n  = help: remove deny_unknown_fields: a reader must tolerate what a minor version adds"
                ))
            } else {
                let unread: Vec<String> = ver
                    .props(s)
                    .iter()
                    .filter(|p| !reads.contains(&p.json))
                    .map(|p| format!("{:?}", p.json))
                    .collect();
                (!unread.is_empty() && !flattens).then(|| {
                    format!(
                        "{{V}} declare{{s}} {} at {place}, which this view does not read, and #[serde(deny_unknown_fields)] would reject every event that carries them\n  = help: remove deny_unknown_fields, or read those properties",
                        and_list(&unread)
                    )
                })
            };
            if let Some(text) = problem {
                report.add(
                    usize::MAX,
                    span,
                    ver.ev,
                    Problem {
                        text,
                        location: Some(ver.location(&s.pointer)),
                    },
                );
            }
        }
    }
    report.emit(cx, &event.name);
}

/// Container attributes that change the JSON serde reads beyond what a view check follows.
fn report_unsupported(cx: &mut Ctxt, container: &crate::attr::SerdeContainer) {
    for (key, span) in &container.unsupported {
        cx.error_at(
            *span,
            format!(
                "#[serde({key})] changes what serde reads in a way #[derive(EventContract)] cannot follow; a view reads the event's own JSON as it is"
            ),
        );
    }
}

/// Why a field whose property some matched versions do not declare is unsafe there, if it is.
fn undeclared(
    field: &ViewField,
    s: &StructDef,
    declared: &[String],
    place: &str,
) -> Option<Problem> {
    let anything = field.shape.without_option() == &Shape::Value;
    let text = if !field.may_be_missing {
        format!(
            "field `{}` is not an Option, but {{V}} {{does}} not declare {:?} at {place} (only {} {}), so an event may lack it\n  = help: narrow `versions` to {}, or make it `Option<{}>`",
            field.ident,
            field.json,
            and_list(declared),
            does(declared.len()),
            and_list(declared),
            type_text(field.ty)
        )
    } else if s.open && !anything {
        format!(
            "{{V}} {{does}} not declare {:?} at {place} (only {} {}) but allow{{s}} undeclared properties, so an event may carry it with any value, which `{}` cannot hold\n  = help: narrow `versions` to {}, or make it `Option<serde_json::Value>`",
            field.json,
            and_list(declared),
            does(declared.len()),
            type_text(field.ty),
            and_list(declared)
        )
    } else {
        // Closed there (so never present) or held as any value: an Option reads it safely.
        return None;
    };
    Some(Problem {
        text,
        location: None,
    })
}

/// The error for a field whose property no matched version declares.
fn missing(
    event: &Event,
    field: &ViewField,
    structs: &[(&Ver, &StructDef)],
    place: &str,
    range: &Range,
) -> String {
    let versions: Vec<String> = structs
        .iter()
        .map(|(ver, _)| ver.ev.version.to_string())
        .collect();
    let mut names: Vec<&str> = Vec::new();
    for (ver, s) in structs {
        for prop in ver.props(s) {
            if !names.contains(&prop.json) {
                names.push(prop.json);
            }
        }
    }
    let mut text = format!(
        "field `{}` reads the property {:?}, which {} does not declare at {place} in any version `{}` matches ({})\n  = note: the properties there are {}",
        field.ident,
        field.json,
        event.name,
        range.text,
        versions.join(", "),
        names.join(", ")
    );
    if let Some(near) = closest(&field.json, names.iter().copied()) {
        text.push_str(&format!(
            "\n  = help: did you mean {near:?}? Rename the field, or add #[serde(rename = {near:?})]"
        ));
    } else {
        text.push_str("\n  = help: remove the field, or #[serde(skip)] it");
    }
    text
}

/// Why a written type falls short beyond what the schema allows, when there is more to say.
fn shape_note(shape: &Shape) -> String {
    match shape {
        Shape::Int { name, min, max } => format!(" (`{name}` holds {min} to {max})"),
        Shape::Float { bits: 32 } => " (`f32` loses precision)".to_owned(),
        Shape::BorrowedStr => " (`&str` cannot borrow a string with escapes)".to_owned(),
        Shape::Map { json_values: false } => {
            " (a map holds any object only with serde_json::Value values)".to_owned()
        }
        Shape::Unsupported => {
            " (#[derive(EventContract)] does not know this kind of type)".to_owned()
        }
        _ => String::new(),
    }
}

#[allow(clippy::too_many_arguments)]
fn check_enum(
    cx: &mut Ctxt,
    event: &Event,
    input: &Input,
    variants: &[ViewVariant],
    enums: &[(&Ver, &EnumDef)],
    at: &str,
    range: &Range,
) {
    let readers: Vec<&ViewVariant> = variants
        .iter()
        .filter(|v| !v.serde.skip && !v.serde.other)
        .collect();
    for v in variants {
        if !v.unit {
            cx.error_at(
                v.ident.span(),
                format!(
                    "variant `{}` has fields, but a string enum becomes unit variants only",
                    v.ident
                ),
            );
        }
        if let Some(alias) = v.serde.alias {
            cx.error_at(
                alias,
                "#[serde(alias)] lets a variant read a second value, which #[derive(EventContract)] does not check; give each value its own variant",
            );
        }
    }
    let catch_all = variants.iter().any(|v| v.serde.other);
    let mut report = Report::default();
    if !catch_all {
        for (ver, e) in enums {
            for (suggested, value) in &e.variants {
                if !readers.iter().any(|v| v.json == *value) {
                    report.add(
                        0,
                        input.ident.span(),
                        ver.ev,
                        Problem {
                            text: format!(
                                "no variant of `{}` reads {value:?}, which {{V}} allow{{s}} at {}\n  = help: add a variant for it (e.g. `{suggested}`), or a #[serde(other)] unit variant for the values this enum does not list",
                                input.ident,
                                shown_at(at)
                            ),
                            location: Some(ver.location(&enum_pointer(ver, e))),
                        },
                    );
                }
            }
        }
    }
    report.emit(cx, &event.name);
    let mut all_values: Vec<&str> = Vec::new();
    for (_, e) in enums {
        for (_, value) in &e.variants {
            if !all_values.contains(&value.as_str()) {
                all_values.push(value);
            }
        }
    }
    for v in &readers {
        if !all_values.contains(&v.json.as_str()) {
            let hint = match closest(&v.json, all_values.iter().copied()) {
                Some(near) => format!("; did you mean {near:?}?"),
                None => String::new(),
            };
            cx.error_at(
                v.ident.span(),
                format!(
                    "variant `{}` reads {:?}, which {} does not allow at {} in any version `{}` matches (the values are {}){hint}",
                    v.ident,
                    v.json,
                    event.name,
                    shown_at(at),
                    range.text,
                    all_values
                        .iter()
                        .map(|s| format!("{s:?}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
        }
    }
}

/// The pointer of the property whose schema is `e`, found through the model.
fn enum_pointer(ver: &Ver, e: &EnumDef) -> String {
    for t in &ver.vm.types {
        if let TypeDef::Struct(s) = t {
            for f in &s.fields {
                if matches!(&f.ty, FieldTy::Local(n) if *n == e.name) {
                    return format!("{}/properties/{}", s.pointer, escape_token(&f.json));
                }
            }
        }
    }
    String::new()
}
