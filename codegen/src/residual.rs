//! A struct's residual keywords as Rust over its typed value.
//!
//! When an object schema says more about its members together than its struct's fields
//! hold (`dependencies`, `not`, `if`/`then`/`else`, ...: [`StructDef::check_only`]), the
//! struct is read into a tree, those keywords are checked on it, and the struct is read
//! again from the tree. Here those keywords become a Rust expression over the typed value
//! instead, where every keyword they use has an exact meaning on it: members present or
//! absent, a string enum's variant, a string's text, a number compared with a bound, a
//! nested struct's own members. The struct is then read once, straight from the input, and
//! the expression decides what the check would have (`#[object(holds)]`, with
//! `__holds(&self) -> bool`).
//!
//! The translation gives up (returns `None`, and the struct keeps its check) on anything
//! else: a keyword it does not know on the value at hand, a `$ref`, a member that a later
//! minor version declares (its value may sit in `extra` when an older event is read), a
//! member it cannot see. So the expression is true exactly when the keywords accept the
//! JSON the value was read from, given that the fields already hold the rest.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::{Map, Value};

use crate::emit::{ident, ty_tokens};
use crate::model::{FieldTy, Model, Scalar, StructDef, TypeDef, VersionModel, ASSERTING_KEYWORDS};

/// The largest magnitude below which every integer is an `f64` exactly (2^53): bounds
/// within it compare with integers as integers.
const EXACT_IN_F64: f64 = 9_007_199_254_740_992.0;

/// The expression (over `self`) that holds exactly when the keywords `s.check_only` of the
/// struct's subschema accept the value; `None` when some part cannot be said on the typed
/// value, and the check stays.
pub(crate) fn holds(model: &Model, s: &StructDef) -> Option<TokenStream> {
    let keys = s.check_only.as_ref()?;
    if !s.checked || keys.is_empty() {
        return None;
    }
    let version = owner_version(model, &s.owner)?;
    let node = version.bundled.pointer(&s.pointer)?.as_object()?;
    let ctx = Ctx { model, version };
    let mut parts = Vec::new();
    // `then`/`else` are read with their `if`.
    for key in keys
        .iter()
        .filter(|k| !matches!(k.as_str(), "then" | "else"))
    {
        let mut one = Map::new();
        one.insert(key.clone(), node.get(key)?.clone());
        if key == "if" {
            for branch in ["then", "else"] {
                if let Some(v) = node.get(branch) {
                    one.insert(branch.to_owned(), v.clone());
                }
            }
        }
        parts.push(ctx.object(&Value::Object(one), s, &quote! { self }, 0)?);
    }
    Some(and(parts))
}

/// `parts` all hold: `true` for none, the part itself for one.
fn and(parts: Vec<TokenStream>) -> TokenStream {
    match parts.len() {
        0 => quote! { true },
        1 => parts.into_iter().next().unwrap_or_default(),
        _ => quote! { #( (#parts) )&&* },
    }
}

/// One of `parts` holds: `false` for none, the part itself for one.
fn or(parts: Vec<TokenStream>) -> TokenStream {
    match parts.len() {
        0 => quote! { false },
        1 => parts.into_iter().next().unwrap_or_default(),
        _ => quote! { #( (#parts) )||* },
    }
}

/// The version whose bundled schema holds a type's subschema.
fn owner_version<'m>(
    model: &'m Model,
    owner: &crate::model::SchemaOwner,
) -> Option<&'m VersionModel> {
    model
        .events
        .iter()
        .find(|e| e.module == owner.event_module)?
        .versions
        .iter()
        .find(|v| v.module == owner.version_module)
}

/// Deeper than this, the translation gives up (a schema nested this far is not a
/// residual check worth writing out, and recursion stays bounded).
const MAX_DEPTH: usize = 16;

struct Ctx<'m> {
    model: &'m Model,
    version: &'m VersionModel,
}

/// The keywords of the schema `schema`, or (`Err`) what is decided without them: a
/// boolean schema's constant, or `None` (give up) past [`MAX_DEPTH`] or for a value that is
/// no schema.
fn keywords(schema: &Value, depth: usize) -> Result<&Map<String, Value>, Option<TokenStream>> {
    if depth > MAX_DEPTH {
        return Err(None);
    }
    match schema {
        Value::Bool(b) => Err(Some(quote! { #b })),
        Value::Object(obj) => Ok(obj),
        _ => Err(None),
    }
}

/// The keywords of `obj` that assert something (annotations and unknown keys say nothing).
fn asserting(obj: &Map<String, Value>) -> impl Iterator<Item = (&str, &Value)> {
    obj.iter()
        .map(|(k, v)| (k.as_str(), v))
        .filter(|(k, _)| *k == "$ref" || ASSERTING_KEYWORDS.contains(k))
}

impl<'m> Ctx<'m> {
    fn type_def(&self, ty: &FieldTy) -> Option<&'m TypeDef> {
        match ty {
            FieldTy::Local(name) => self.version.types.iter().find(|t| t.name() == name),
            FieldTy::Shared(name) => self.model.shared.iter().find(|t| t.name() == name),
            _ => None,
        }
    }

    fn struct_def(&self, ty: &FieldTy) -> Option<&'m StructDef> {
        match self.type_def(ty)? {
            TypeDef::Struct(s) => Some(s),
            _ => None,
        }
    }

    /// `schema` over the struct `s`, whose value is the expression `this` (a reference).
    fn object(
        &self,
        schema: &Value,
        s: &StructDef,
        this: &TokenStream,
        depth: usize,
    ) -> Option<TokenStream> {
        let obj = match keywords(schema, depth) {
            Ok(obj) => obj,
            Err(decided) => return decided,
        };
        let mut parts = Vec::new();
        for (key, value) in asserting(obj) {
            let part = match key {
                "type" => {
                    let is_object = json_types(value)?.iter().any(|t| t == "object");
                    quote! { #is_object }
                }
                "required" => {
                    let names = value.as_array()?;
                    let present = names
                        .iter()
                        .map(|n| self.present(s, n.as_str()?, this))
                        .collect::<Option<Vec<_>>>()?;
                    and(present)
                }
                "properties" => {
                    let mut each = Vec::new();
                    for (name, sub) in value.as_object()? {
                        each.push(self.property(s, name, sub, this, depth)?);
                    }
                    and(each)
                }
                "dependencies" => {
                    let mut each = Vec::new();
                    for (name, dependency) in value.as_object()? {
                        let present = self.present(s, name, this)?;
                        let then = match dependency {
                            Value::Array(names) => {
                                let all = names
                                    .iter()
                                    .map(|n| self.present(s, n.as_str()?, this))
                                    .collect::<Option<Vec<_>>>()?;
                                and(all)
                            }
                            other => self.object(other, s, this, depth + 1)?,
                        };
                        each.push(quote! { !(#present) || (#then) });
                    }
                    and(each)
                }
                // Read with their `if`; without one they mean nothing.
                "then" | "else" => continue,
                _ => self.logic(key, value, obj, depth, |sub, depth| {
                    self.object(sub, s, this, depth)
                })?,
            };
            parts.push(part);
        }
        Some(and(parts))
    }

    /// The combinators (`not`, `allOf`, `anyOf`, `oneOf`, `if` with its `then` and `else`
    /// from `obj`), each part translated by `part`; `None` for any other keyword.
    fn logic(
        &self,
        key: &str,
        value: &Value,
        obj: &Map<String, Value>,
        depth: usize,
        part: impl Fn(&Value, usize) -> Option<TokenStream>,
    ) -> Option<TokenStream> {
        let next = depth + 1;
        let all = |v: &Value| -> Option<Vec<TokenStream>> {
            v.as_array()?.iter().map(|b| part(b, next)).collect()
        };
        Some(match key {
            "not" => {
                let inner = part(value, next)?;
                quote! { !(#inner) }
            }
            "allOf" => and(all(value)?),
            "anyOf" => or(all(value)?),
            "oneOf" => {
                let parts = all(value)?;
                quote! { (0usize #( + usize::from(#parts) )*) == 1 }
            }
            "if" => {
                let condition = part(value, next)?;
                let then = obj
                    .get("then")
                    .map_or(Some(quote! { true }), |t| part(t, next))?;
                let otherwise = obj
                    .get("else")
                    .map_or(Some(quote! { true }), |e| part(e, next))?;
                quote! { if #condition { #then } else { #otherwise } }
            }
            _ => return None,
        })
    }

    /// Whether the member `name` is present, as an expression.
    fn present(&self, s: &StructDef, name: &str, this: &TokenStream) -> Option<TokenStream> {
        if s.tag.as_ref().is_some_and(|(tag, _)| tag == name) {
            return Some(quote! { true });
        }
        if let Some(field) = s.fields.iter().find(|f| f.json == name) {
            if field.since_minor > 0 {
                return None;
            }
            if field.required {
                return Some(quote! { true });
            }
            let f = ident(&field.rust);
            return Some(quote! { #this.#f.is_some() });
        }
        // Not a field: kept in `extra` (undeclared or matching a pattern) or in the typed
        // map of additional properties; a closed struct has neither.
        if !s.open && s.additional.is_none() && s.pattern_properties.is_empty() {
            return Some(quote! { false });
        }
        let in_map = s.additional.as_ref().map(|_| {
            let map = ident(crate::model::ADDITIONAL_FIELD);
            quote! { || #this.#map.contains_key(#name) }
        });
        Some(quote! { (#this.extra.unknown().contains_key(#name) #in_map) })
    }

    /// `properties: {name: sub}` of the struct `s`: `sub` holds of the member when present.
    fn property(
        &self,
        s: &StructDef,
        name: &str,
        sub: &Value,
        this: &TokenStream,
        depth: usize,
    ) -> Option<TokenStream> {
        if sub == &Value::Bool(true) {
            return Some(quote! { true });
        }
        let Some(field) = s.fields.iter().find(|f| f.json == name) else {
            // A member no field holds: only a closed struct can say it is never there.
            return (!s.open && s.additional.is_none() && s.pattern_properties.is_empty())
                .then(|| quote! { true });
        };
        if field.since_minor > 0 || s.tag.as_ref().is_some_and(|(tag, _)| tag == name) {
            return None;
        }
        let f = ident(&field.rust);
        let v = quote! { v };
        let holds = self.value(sub, &field.ty, &v, depth + 1)?;
        Some(if field.required {
            quote! { { let v = &#this.#f; #holds } }
        } else {
            quote! { match &#this.#f { ::core::option::Option::Some(v) => { #holds } ::core::option::Option::None => true } }
        })
    }

    /// `schema` over a value of the type `ty`, the expression `v` (a reference to it).
    fn value(
        &self,
        schema: &Value,
        ty: &FieldTy,
        v: &TokenStream,
        depth: usize,
    ) -> Option<TokenStream> {
        let obj = match keywords(schema, depth) {
            Ok(obj) => obj,
            Err(decided) => return decided,
        };
        if asserting(obj).next().is_none() {
            return Some(quote! { true });
        }
        if let Some(s) = self.struct_def(ty) {
            return self.object(schema, s, v, depth);
        }
        let mut parts = Vec::new();
        for (key, value) in asserting(obj) {
            let part = match key {
                "type" => {
                    let kind = self.json_type(ty)?;
                    let types = json_types(value)?;
                    let fits = types
                        .iter()
                        .any(|t| t == kind || (t == "number" && kind == "integer"));
                    // A number field's value may be whole: `integer` would depend on it.
                    if kind == "number" && types.iter().any(|t| t == "integer") {
                        return None;
                    }
                    quote! { #fits }
                }
                "const" => self.equals(ty, v, value)?,
                "enum" => {
                    let each = value
                        .as_array()?
                        .iter()
                        .map(|lit| self.equals(ty, v, lit))
                        .collect::<Option<Vec<_>>>()?;
                    or(each)
                }
                "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" => {
                    self.bound(ty, v, key, value.as_f64()?)?
                }
                "then" | "else" => continue,
                _ => self.logic(key, value, obj, depth, |sub, depth| {
                    self.value(sub, ty, v, depth)
                })?,
            };
            parts.push(part);
        }
        Some(and(parts))
    }

    /// The JSON type every value of `ty` has (`integer` for whole-number types).
    fn json_type(&self, ty: &FieldTy) -> Option<&'static str> {
        Some(match ty {
            FieldTy::String | FieldTy::Uuid | FieldTy::DateTime => "string",
            FieldTy::Bool => "boolean",
            FieldTy::U64 | FieldTy::I64 => "integer",
            FieldTy::F64 => "number",
            FieldTy::Object | FieldTy::Map(_) => "object",
            FieldTy::Vec(_) => "array",
            FieldTy::Null => "null",
            FieldTy::Local(_) | FieldTy::Shared(_) => match self.type_def(ty)? {
                TypeDef::Struct(_) => "object",
                TypeDef::Tuple(_) => "array",
                TypeDef::Enum(_) => "string",
                TypeDef::Newtype(n) => match n.scalar {
                    Scalar::String => "string",
                    Scalar::U64 | Scalar::I64 => "integer",
                    Scalar::F64 => "number",
                },
                TypeDef::Literals(_) | TypeDef::Union(_) => return None,
            },
            FieldTy::Any | FieldTy::Nullable(_) | FieldTy::Boxed(_) => return None,
        })
    }

    /// The number a numeric `v` holds, as an expression of type `f64` or `i128`, and
    /// whether it is whole.
    fn number(&self, ty: &FieldTy, v: &TokenStream) -> Option<(TokenStream, bool)> {
        let scalar = match ty {
            FieldTy::U64 => return Some((quote! { i128::from(*#v) }, true)),
            FieldTy::I64 => return Some((quote! { i128::from(*#v) }, true)),
            FieldTy::F64 => return Some((quote! { *#v }, false)),
            _ => match self.type_def(ty)? {
                TypeDef::Newtype(n) => n.scalar,
                _ => return None,
            },
        };
        match scalar {
            Scalar::U64 | Scalar::I64 => Some((quote! { i128::from(*#v.get()) }, true)),
            Scalar::F64 => Some((quote! { *#v.get() }, false)),
            Scalar::String => None,
        }
    }

    /// `minimum` and its kin: `v`'s number against `bound`, as the check compares them.
    fn bound(&self, ty: &FieldTy, v: &TokenStream, key: &str, bound: f64) -> Option<TokenStream> {
        let (n, whole) = self.number(ty, v)?;
        let limit = if whole {
            // A whole number compares exactly with a whole bound it can be told apart from.
            if bound.fract() != 0.0 || bound.abs() >= EXACT_IN_F64 {
                return None;
            }
            let b = bound as i128;
            quote! { #b }
        } else {
            quote! { #bound }
        };
        Some(match key {
            "minimum" => quote! { #n >= #limit },
            "maximum" => quote! { #n <= #limit },
            "exclusiveMinimum" => quote! { #n > #limit },
            _ => quote! { #n < #limit },
        })
    }

    /// Whether `v` (of the type `ty`) equals the JSON literal `lit`, by JSON equality.
    fn equals(&self, ty: &FieldTy, v: &TokenStream, lit: &Value) -> Option<TokenStream> {
        let kind = self.json_type(ty)?;
        match (kind, lit) {
            ("string", Value::String(text)) => match ty {
                FieldTy::String => Some(quote! { #v.as_str() == #text }),
                // A UUID's or a time's text has other spellings than the value's.
                FieldTy::Uuid | FieldTy::DateTime => None,
                _ => match self.type_def(ty)? {
                    TypeDef::Enum(e) => {
                        let name = ty_tokens(ty);
                        Some(match e.variants.iter().find(|(_, json)| json == text) {
                            Some((variant, _)) => {
                                let variant = ident(variant);
                                quote! { *#v == #name::#variant }
                            }
                            None => quote! { false },
                        })
                    }
                    TypeDef::Newtype(_) => Some(quote! { #v.as_str() == #text }),
                    _ => None,
                },
            },
            ("boolean", Value::Bool(b)) => Some(quote! { *#v == #b }),
            ("integer" | "number", Value::Number(lit)) => {
                let (n, whole) = self.number(ty, v)?;
                let lit = lit.as_f64()?;
                if whole {
                    if lit.fract() != 0.0 {
                        return Some(quote! { false });
                    }
                    if lit.abs() >= EXACT_IN_F64 {
                        return None;
                    }
                    let lit = lit as i128;
                    Some(quote! { #n == #lit })
                } else {
                    Some(quote! { #n == #lit })
                }
            }
            // Values of different JSON types are never equal.
            ("string" | "boolean" | "integer" | "number", _) => Some(quote! { false }),
            _ => None,
        }
    }
}

/// The JSON types a `type` keyword's value names.
fn json_types(value: &Value) -> Option<Vec<String>> {
    match value {
        Value::String(t) => Some(vec![t.clone()]),
        Value::Array(ts) => ts.iter().map(|t| t.as_str().map(str::to_owned)).collect(),
        _ => None,
    }
}
