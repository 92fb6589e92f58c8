//! `#[derive(Object)]`: the serde, builder and check machinery of a struct generated for an
//! object schema, written once here instead of once per struct in the generated file.
//!
//! The struct holds one field per declared property (`#[field(json = "...")]`, `Option`
//! when the property is optional), optionally a typed map of the other properties
//! (`#[field(additional)]`, for `additionalProperties: {schema}`), and `extra: Extra`,
//! which keeps undeclared properties and original spellings so that encoding loses
//! nothing. The derive writes:
//! - `Deserialize`: one pass over the members, each declared key read straight into its
//!   field's type (duplicates refused, nesting counted, properties added by a later minor
//!   than the one being read treated as unknown), the tag checked, undeclared keys kept or,
//!   for a closed object, refused. For a `checked` type (one whose schema says more than
//!   its Rust type can hold) the value is read into a `Tree` first and checked against its
//!   subschema, so the typed read accepts exactly what the schema accepts; the fields are
//!   then read from the tree, and checked types nested in it skip their checks, which the
//!   enclosing one implies (`__private::prechecked`). A struct marked `holds` is read
//!   straight instead, then tested with its `__holds(&self) -> bool`, which the generator
//!   writes from the keywords its fields do not hold; one with `min_properties`,
//!   `max_properties` or `property_names` counts its members, and checks each name, as it
//!   reads them;
//! - `Serialize`, in the spellings decode kept;
//! - `FieldValue`, so the struct can be a field of another;
//! - a builder (`<Name>Builder`) with a setter per field, the envelope fields filled in,
//!   and `build`, which checks every field (and, for a `checked` type, the whole value
//!   against its subschema) and lists every problem.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{Data, DeriveInput, Fields, Ident, Type};

use super::attr::{self, FieldAttr, Fill, ObjectAttr};
use crate::ctxt::Ctxt;

struct FieldInfo<'a> {
    ident: &'a Ident,
    /// The type that is read and written: `T` of an optional field's `Option<T>`.
    value_ty: &'a Type,
    attr: FieldAttr,
    json: String,
}

/// The type inside `Option<...>`, if `ty` is one.
pub(crate) fn option_inner(ty: &Type) -> Option<&Type> {
    wrapped(ty, "Option")
}

/// `T` of `Wrapper<T>`, the wrapper named by the path's last segment (`Option`, `Vec`).
pub(crate) fn wrapped<'t>(ty: &'t Type, wrapper: &str) -> Option<&'t Type> {
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    if last.ident != wrapper {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first()? {
        syn::GenericArgument::Type(inner) => Some(inner),
        _ => None,
    }
}

/// The last type argument of `ty`'s last path segment: `T` of `IndexMap<T>` or of
/// `IndexMap<String, T>`.
fn last_type_argument(ty: &Type) -> Option<&Type> {
    let Type::Path(path) = ty else { return None };
    let syn::PathArguments::AngleBracketed(args) = &path.path.segments.last()?.arguments else {
        return None;
    };
    args.args.iter().rev().find_map(|arg| match arg {
        syn::GenericArgument::Type(t) => Some(t),
        _ => None,
    })
}

pub(crate) fn derive(input: &DeriveInput) -> TokenStream {
    let mut cx = Ctxt::new();
    let object = attr::object(&mut cx, &input.attrs);
    let Data::Struct(data) = &input.data else {
        cx.error_spanned_by(&input.ident, "#[derive(Object)] is for structs");
        return cx.into_compile_errors().unwrap_or_default();
    };
    let Fields::Named(named) = &data.fields else {
        cx.error_spanned_by(&input.ident, "#[derive(Object)] needs named fields");
        return cx.into_compile_errors().unwrap_or_default();
    };
    let mut fields = Vec::new();
    let mut additional = None;
    let mut has_extra = false;
    for field in &named.named {
        let Some(ident) = &field.ident else { continue };
        if ident == "extra" {
            has_extra = true;
            continue;
        }
        let attr = attr::field(&mut cx, &field.attrs);
        if attr.additional {
            if additional.is_some() {
                cx.error_spanned_by(ident, "only one field holds the additional properties");
            }
            additional = Some((ident, &field.ty));
            continue;
        }
        let Some(json) = attr.json.clone() else {
            cx.error_spanned_by(
                ident,
                "every field but `extra` needs #[field(json = \"...\")] or #[field(additional)]",
            );
            continue;
        };
        let value_ty = if attr.required {
            &field.ty
        } else {
            match option_inner(&field.ty) {
                Some(inner) => inner,
                None => {
                    cx.error_spanned_by(
                        &field.ty,
                        "an optional property's field is an Option (add `required` if it is required)",
                    );
                    &field.ty
                }
            }
        };
        let counted = attr.min_items.is_some() || attr.max_items.is_some() || attr.unique_items;
        if counted && attr.check.is_none() {
            cx.error_spanned_by(
                &field.ty,
                "`min_items`/`max_items`/`unique_items` go with `check`: the subschema `build` checks",
            );
        }
        let members = attr.min_properties.is_some()
            || attr.max_properties.is_some()
            || attr.property_names.is_some();
        if members && attr.check.is_none() {
            cx.error_spanned_by(
                &field.ty,
                "`min_properties`/`max_properties`/`property_names` go with `check`: the subschema `build` checks",
            );
        }
        if members && counted {
            cx.error_spanned_by(
                &field.ty,
                "a field is an array (`min_items`/`max_items`) or a map (`min_properties`/`max_properties`/`property_names`), not both",
            );
        }
        if attr.only.is_some() && attr.check.is_none() {
            cx.error_spanned_by(
                &field.ty,
                "`only` goes with `check`: it names the keywords of the subschema that reading checks",
            );
        }
        if attr.only.is_some() && (counted || members) {
            cx.error_spanned_by(
                &field.ty,
                "`only` does not go with `min_items`/`max_items` or `min_properties`/`max_properties`/`property_names`, which say what reading checks",
            );
        }
        if attr.check.is_some() && object.schema.is_none() {
            cx.error_spanned_by(
                &field.ty,
                "`check` needs the object's `schema`: the pointer is into it",
            );
        }
        fields.push(FieldInfo {
            ident,
            value_ty,
            attr,
            json,
        });
    }
    if !has_extra {
        cx.error_spanned_by(
            &input.ident,
            "an Object struct needs `extra: Extra`, where decode keeps what its fields do not hold",
        );
    }
    if let Some(errors) = cx.into_compile_errors() {
        return errors;
    }
    let rt = attr::runtime_path(object.runtime.as_ref());
    let name = &input.ident;
    let label = object.label.clone().unwrap_or_else(|| name.to_string());
    let parts = Parts {
        rt: &rt,
        name,
        label: &label,
        object: &object,
        fields: &fields,
        additional,
    };
    let deserialize = parts.deserialize();
    let serialize = parts.serialize();
    let builder = parts.builder();
    let check = parts.check_impl();
    quote! {
        #deserialize
        #serialize
        #builder
        #check
        impl #rt::FieldValue for #name {
            fn read<'de, D: #rt::serde::Deserializer<'de>>(d: D, _form: &mut ::core::option::Option<#rt::serde_json::Value>) -> ::core::result::Result<Self, D::Error> {
                <Self as #rt::serde::Deserialize>::deserialize(d)
            }
            fn write<S: #rt::serde::Serializer>(&self, _form: ::core::option::Option<&#rt::serde_json::Value>, s: S) -> ::core::result::Result<S::Ok, S::Error> {
                #rt::serde::Serialize::serialize(self, s)
            }
        }
    }
}

struct Parts<'a> {
    rt: &'a syn::Path,
    name: &'a Ident,
    label: &'a str,
    object: &'a ObjectAttr,
    fields: &'a [FieldInfo<'a>],
    additional: Option<(&'a Ident, &'a Type)>,
}

impl Parts<'_> {
    /// The compiled pattern-property regexes, when the object has any.
    fn patterns(&self) -> TokenStream {
        let rt = self.rt;
        let patterns = &self.object.pattern_properties;
        if patterns.is_empty() {
            return quote! {};
        }
        quote! {
            static PATTERNS: ::std::sync::LazyLock<::std::vec::Vec<#rt::Pattern>> =
                ::std::sync::LazyLock::new(|| [#( #patterns ),*].iter().map(|p| #rt::Pattern::new(p)).collect());
        }
    }

    /// For an object whose members are counted (`min_properties`, `max_properties`) or
    /// whose names are checked (`property_names`) as they are read: the counter, what each
    /// member does to it (and the check of its name), and the bounds' check after the last
    /// member. Every member counts, the tag and unknown ones too, as `minProperties` counts
    /// them.
    fn member_count(&self) -> (TokenStream, TokenStream, TokenStream) {
        let rt = self.rt;
        let object = self.object;
        if !object.counts_members() {
            return (quote! {}, quote! {}, quote! {});
        }
        let label = self.label;
        let names = match (&object.property_names, &object.schema) {
            (Some(at), Some(schema)) => {
                let schema = &schema.schema;
                let at = attr::schema_at(rt, at);
                quote! {
                    if !#schema.is_valid_at(#at, &#rt::Name(key.as_str())) {
                        return ::core::result::Result::Err(<A::Error as #rt::serde::de::Error>::custom(::std::format!(
                            "{} has the property name {:?}, which its propertyNames does not allow", #label, key.as_str()
                        )));
                    }
                }
            }
            _ => quote! {},
        };
        let counted = object.min_properties.is_some() || object.max_properties.is_some();
        if !counted {
            return (quote! {}, names, quote! {});
        }
        let min = object.min_properties.unwrap_or(0);
        let max = attr::option_tokens(object.max_properties);
        (
            quote! { let mut members: u64 = 0; },
            quote! {
                members += 1;
                #names
            },
            quote! { #rt::count_members::<A::Error>(#label, members, #min, #max)?; },
        )
    }

    fn deserialize(&self) -> TokenStream {
        let rt = self.rt;
        let name = self.name;
        let slots = self.fields.iter().map(|f| {
            let slot = format_ident!("field_{}", f.ident.to_string().trim_start_matches("r#"));
            let ty = f.value_ty;
            quote! { let mut #slot: ::core::option::Option<#ty> = ::core::option::Option::None; }
        });
        let needs_minor = self.fields.iter().any(|f| f.attr.since > 0);
        let minor_binding = needs_minor.then(|| quote! { let read_minor = #rt::read_minor(); });
        let arms = self.fields.iter().map(|f| {
            let slot = format_ident!("field_{}", f.ident.to_string().trim_start_matches("r#"));
            let json = &f.json;
            let ty = f.value_ty;
            let guard = (f.attr.since > 0).then(|| {
                let m = f.attr.since;
                quote! { if read_minor >= #m }
            });
            let counted =
                f.attr.min_items.is_some() || f.attr.max_items.is_some() || f.attr.unique_items;
            let members = f.attr.min_properties.is_some()
                || f.attr.max_properties.is_some()
                || f.attr.property_names.is_some();
            match (&f.attr.check, &self.object.schema) {
                (Some(_), Some(schema)) if members => {
                    let schema = &schema.schema;
                    let min = f.attr.min_properties.unwrap_or(0);
                    let max = attr::option_tokens(f.attr.max_properties);
                    let names = match &f.attr.property_names {
                        Some(at) => {
                            let at = attr::schema_at(rt, at);
                            quote! { ::core::option::Option::Some((&#schema, #at)) }
                        }
                        None => quote! { ::core::option::Option::None },
                    };
                    quote! {
                        #json #guard => #rt::read_map_field::<A, #ty>(&mut map, &mut #slot, #json, &mut extra, &#rt::MemberRule { min: #min, max: #max, names: #names })?,
                    }
                }
                (Some(_), Some(_)) if counted => {
                    let min = f.attr.min_items.unwrap_or(0);
                    let max = attr::option_tokens(f.attr.max_items);
                    if f.attr.unique_items {
                        return quote! {
                            #json #guard => #rt::read_unique_field::<A, _>(&mut map, &mut #slot, #json, &mut extra, #min, #max)?,
                        };
                    }
                    quote! {
                        #json #guard => #rt::read_counted_field::<A, #ty>(&mut map, &mut #slot, #json, &mut extra, #min, #max)?,
                    }
                }
                (Some(at), Some(schema)) => {
                    let schema = &schema.schema;
                    let at = attr::schema_at_only(rt, at, f.attr.only.as_deref());
                    quote! {
                        #json #guard => #rt::read_checked_field::<A, #ty>(&mut map, &mut #slot, #json, &mut extra, &#schema, #at)?,
                    }
                }
                _ => quote! {
                    #json #guard => #rt::read_field::<A, #ty>(&mut map, &mut #slot, #json, &mut extra)?,
                },
            }
        });
        let (tag_init, tag_arm, tag_check) = match &self.object.tag {
            Some((key, value)) => (
                quote! { let mut seen_tag = false; },
                quote! { #key => #rt::read_tag(&mut map, &mut seen_tag, #key, #value)?, },
                quote! { if !seen_tag { return ::core::result::Result::Err(<A::Error as #rt::serde::de::Error>::missing_field(#key)); } },
            ),
            None => (quote! {}, quote! {}, quote! {}),
        };
        let pattern_match = if self.object.pattern_properties.is_empty() {
            quote! { false }
        } else {
            quote! { PATTERNS.iter().any(|re| re.is_match(key.as_str()) == ::core::option::Option::Some(true)) }
        };
        let label = self.label;
        // A property a pattern matches: its value checked against each matching pattern's
        // subschema as it is read, when the object knows where its schema is.
        let read_matched = match &self.object.schema {
            Some(at) if !self.object.pattern_properties.is_empty() => {
                let schema = &at.schema;
                let pointers = self.object.pattern_properties.iter().map(|p| {
                    format!(
                        "{}/patternProperties/{}",
                        at.at,
                        p.replace('~', "~0").replace('/', "~1")
                    )
                });
                quote! { #rt::read_pattern_property(&mut map, &mut extra, key, &PATTERNS, &[ #( #pointers ),* ], &#schema)? }
            }
            _ => quote! { #rt::read_unknown(&mut map, &mut extra, key)? },
        };
        let other = match (self.additional, self.object.closed) {
            (Some((field, _)), _) => quote! {
                _ if #pattern_match => #read_matched,
                _ => #rt::read_entry(&mut map, &mut #field, &mut extra, key)?,
            },
            (None, true) => quote! {
                _ if #pattern_match => #read_matched,
                _ => #rt::reject_unknown::<A::Error>(&key, #label)?,
            },
            (None, false) if !self.object.pattern_properties.is_empty() => quote! {
                _ if #pattern_match => #read_matched,
                _ => #rt::read_unknown(&mut map, &mut extra, key)?,
            },
            (None, false) => quote! { _ => #rt::read_unknown(&mut map, &mut extra, key)?, },
        };
        let additional_init = self.additional.map(|(field, ty)| {
            quote! { let mut #field: #ty = ::core::default::Default::default(); }
        });
        let additional_final = self.additional.map(|(field, _)| quote! { #field, });
        let finals = self.fields.iter().map(|f| {
            let slot = format_ident!("field_{}", f.ident.to_string().trim_start_matches("r#"));
            let fname = f.ident;
            let json = &f.json;
            if f.attr.required {
                quote! { #fname: match #slot { ::core::option::Option::Some(v) => v, ::core::option::Option::None => return ::core::result::Result::Err(<A::Error as #rt::serde::de::Error>::missing_field(#json)) }, }
            } else {
                quote! { #fname: #slot, }
            }
        });
        let expecting = format!("a JSON object ({label})");
        let patterns = self.patterns();
        let (members_init, member_read, members_check) = self.member_count();
        let visitor = quote! {
            struct StructVisitor;
            impl<'de> #rt::serde::de::Visitor<'de> for StructVisitor {
                type Value = #name;
                fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(#expecting)
                }
                fn visit_map<A: #rt::serde::de::MapAccess<'de>>(self, mut map: A) -> ::core::result::Result<#name, A::Error> {
                    #patterns
                    let _nested = #rt::Nested::enter::<A::Error>()?;
                    #( #slots )*
                    #additional_init
                    let mut extra = #rt::Extra::default();
                    #tag_init
                    #minor_binding
                    #members_init
                    while let ::core::option::Option::Some(key) = map.next_key::<#rt::Key<'de>>()? {
                        #member_read
                        match key.as_str() {
                            #tag_arm
                            #( #arms )*
                            #other
                        }
                    }
                    #tag_check
                    #members_check
                    ::core::result::Result::Ok(#name { #( #finals )* #additional_final extra })
                }
            }
        };
        let body = match (&self.object.schema, self.object.checked) {
            (Some(at), true) => {
                let schema = &at.schema;
                let only = self.object.only.as_deref();
                let at = attr::schema_at_only(rt, &at.at, only);
                // A check of some keywords only implies nothing about the fields.
                let guard = if only.is_some() {
                    quote! {}
                } else {
                    quote! { let _checked = #rt::PrecheckedGuard::enter(); }
                };
                quote! {
                    // Inside a value already checked against a schema that holds this one:
                    // the check would only repeat, so read straight from the input.
                    if #rt::prechecked() {
                        return d.deserialize_map(StructVisitor);
                    }
                    // The schema says more than the Rust type holds: read the value into a
                    // tree, check it against the subschema (or the keywords of it that the
                    // type cannot hold), then read the typed value from the tree, where
                    // nested checked types skip the checks a whole check implies.
                    let tree = #rt::Tree::from_deserializer(d)?;
                    #schema.check_at(#at, &tree).map_err(<D::Error as #rt::serde::de::Error>::custom)?;
                    #guard
                    #rt::serde::Deserializer::deserialize_map(#rt::TreeDeserializer::new(&tree), StructVisitor)
                        .map_err(<D::Error as #rt::serde::de::Error>::custom)
                }
            }
            _ if self.object.holds => {
                let message = format!(
                    "{label} does not satisfy the keywords of its subschema that its fields do not hold"
                );
                quote! {
                    let value = d.deserialize_map(StructVisitor)?;
                    // Inside a checked value the check holds these keywords already.
                    if !#rt::prechecked() && !value.__holds() {
                        return ::core::result::Result::Err(<D::Error as #rt::serde::de::Error>::custom(#message));
                    }
                    ::core::result::Result::Ok(value)
                }
            }
            _ => quote! { d.deserialize_map(StructVisitor) },
        };
        quote! {
            impl<'de> #rt::serde::Deserialize<'de> for #name {
                fn deserialize<D: #rt::serde::Deserializer<'de>>(d: D) -> ::core::result::Result<Self, D::Error> {
                    #visitor
                    #body
                }
            }
        }
    }

    fn serialize(&self) -> TokenStream {
        let rt = self.rt;
        let name = self.name;
        let ser_tag = self.object.tag.as_ref().map(|(key, value)| {
            quote! { map.serialize_entry(#key, #value)?; }
        });
        let ser_fields = self.fields.iter().map(|f| {
            let fname = f.ident;
            let json = &f.json;
            if f.attr.required {
                quote! { map.serialize_entry(#json, &#rt::Write(&self.#fname, self.extra.form(#json)))?; }
            } else {
                quote! {
                    if let ::core::option::Option::Some(value) = &self.#fname {
                        map.serialize_entry(#json, &#rt::Write(value, self.extra.form(#json)))?;
                    }
                }
            }
        });
        let ser_additional = self.additional.map(|(field, _)| {
            quote! {
                for (key, value) in &self.#field {
                    if !self.writes_field(key) {
                        map.serialize_entry(key, &#rt::Write(value, self.extra.form(key)))?;
                    }
                }
            }
        });
        let written_tag = self
            .object
            .tag
            .as_ref()
            .map(|(key, _)| quote! { #key => true, });
        let written = self.fields.iter().map(|f| {
            let fname = f.ident;
            let json = &f.json;
            if f.attr.required {
                quote! { #json => true, }
            } else {
                quote! { #json => self.#fname.is_some(), }
            }
        });
        let additional_written = self.additional.map(|(field, _)| {
            quote! { || self.#field.contains_key(key) }
        });
        quote! {
            impl #name {
                /// Whether serializing writes the property `key` from a declared field.
                fn writes_field(&self, key: &str) -> bool {
                    match key {
                        #written_tag
                        #( #written )*
                        _ => false,
                    }
                }

                /// Whether serializing writes the property `key` from a declared field or
                /// the typed map.
                fn writes_declared(&self, key: &str) -> bool {
                    self.writes_field(key) #additional_written
                }
            }

            impl #rt::serde::Serialize for #name {
                fn serialize<S: #rt::serde::Serializer>(&self, s: S) -> ::core::result::Result<S::Ok, S::Error> {
                    use #rt::serde::ser::SerializeMap;
                    let mut map = s.serialize_map(::core::option::Option::None)?;
                    #ser_tag
                    #( #ser_fields )*
                    #ser_additional
                    for (key, value) in self.extra.unknown() {
                        // A property declared by a later minor can sit in `extra` (it was
                        // unknown to the event's own version); once a typed field holds it,
                        // the field wins, so a key is never written twice.
                        if !self.writes_declared(key) {
                            map.serialize_entry(key, value)?;
                        }
                    }
                    map.end()
                }
            }
        }
    }

    fn builder(&self) -> TokenStream {
        let rt = self.rt;
        let name = self.name;
        let builder = format_ident!("{}Builder", name);
        let label = self.label;
        let slots = self.fields.iter().map(|f| {
            let fname = f.ident;
            let ty = f.value_ty;
            quote! { #fname: ::core::option::Option<::core::result::Result<#ty, ::std::string::String>>, }
        });
        let defaults = self.fields.iter().map(|f| {
            let fname = f.ident;
            match &f.attr.fill {
                Some(Fill::Uuid) => {
                    quote! { #fname: ::core::option::Option::Some(::core::result::Result::Ok(#rt::uuid::Uuid::new_v4())), }
                }
                Some(Fill::Now) => {
                    quote! { #fname: ::core::option::Option::Some(::core::result::Result::Ok(#rt::chrono::Utc::now())), }
                }
                Some(Fill::Text(text)) => {
                    quote! { #fname: ::core::option::Option::Some(#rt::convert(#text)), }
                }
                None => quote! { #fname: ::core::option::Option::None, },
            }
        });
        let setters = self.fields.iter().map(|f| {
            let fname = f.ident;
            let ty = f.value_ty;
            let doc = format!(
                " Sets `{}`{}.",
                f.json,
                if f.attr.required { " (required)" } else { "" }
            );
            quote! {
                #[doc = #doc]
                pub fn #fname<V>(mut self, value: V) -> Self
                where
                    V: ::core::convert::TryInto<#ty>,
                    V::Error: ::std::fmt::Display,
                {
                    self.#fname = ::core::option::Option::Some(#rt::convert(value));
                    self
                }
            }
        });
        let takes = self.fields.iter().map(|f| {
            let fname = f.ident;
            let json = &f.json;
            if f.attr.required {
                quote! { let #fname = #rt::take_required(&mut problems, #json, self.#fname); }
            } else {
                quote! { let #fname = #rt::take_optional(&mut problems, #json, self.#fname); }
            }
        });
        let required: Vec<&Ident> = self
            .fields
            .iter()
            .filter(|f| f.attr.required)
            .map(|f| f.ident)
            .collect();
        let all: Vec<&Ident> = self.fields.iter().map(|f| f.ident).collect();
        let (additional_slot, additional_default, additional_setter, additional_final) = match self
            .additional
        {
            Some((field, ty)) => {
                // The value type as written (`IndexMap<T>`'s `T`): a bound through the
                // `TypedMap::Value` projection is not normalized in the setter's where
                // clause, so `V: TryInto<T>` would not hold inside it.
                let value_ty = last_type_argument(ty)
                    .map(|t| quote! { #t })
                    .unwrap_or_else(|| quote! { <#ty as #rt::TypedMap>::Value });
                (
                    quote! { #field: #ty, },
                    quote! { #field: ::core::default::Default::default(), },
                    quote! {
                        /// Adds an entry to the typed map of additional properties.
                        pub fn entry<V>(mut self, key: impl ::core::convert::Into<::std::string::String>, value: V) -> Self
                        where
                            V: ::core::convert::TryInto<#value_ty>,
                            V::Error: ::std::fmt::Display,
                        {
                            let key = key.into();
                            match #rt::convert::<#value_ty, V>(value) {
                                ::core::result::Result::Ok(value) => { #rt::TypedMap::insert_value(&mut self.#field, key, value); }
                                ::core::result::Result::Err(problem) => self.entry_problems.push(::std::format!("{key:?}: {problem}")),
                            }
                            self
                        }
                    },
                    quote! { #field: self.#field, },
                )
            }
            None => (quote! {}, quote! {}, quote! {}, quote! {}),
        };
        let entry_problems = self.additional.map(|_| {
            quote! {
                for problem in self.entry_problems {
                    problems.push(("(additional property)", problem));
                }
            }
        });
        let entry_problems_slot = self
            .additional
            .map(|_| quote! { entry_problems: ::std::vec::Vec<::std::string::String>, });
        let entry_problems_default = self
            .additional
            .map(|_| quote! { entry_problems: ::std::vec::Vec::new(), });
        let construct = quote! { #name { #( #all, )* #additional_final extra: self.extra } };
        // A struct with `patternProperties` checks the values of matching properties as it
        // reads them; what `unknown_property` added is checked here, with the whole value.
        // So does one whose members are counted as they are read.
        let whole = self.object.checked
            || self.object.holds
            || !self.object.pattern_properties.is_empty()
            || self.object.counts_members();
        let validate = match (&self.object.schema, whole) {
            (Some(at), true) => {
                let schema = &at.schema;
                let pointer = &at.at;
                quote! {
                    // The schema says more than the fields' types check: the whole value too.
                    let value = #rt::serde_json::to_value(&built).map_err(|e| #rt::BuildError {
                        type_name: #label,
                        problems: ::std::vec![("", e.to_string())],
                    })?;
                    let mut collector = #rt::Collector::new();
                    #schema.validate(#pointer, &value, &mut collector);
                    let violations = collector.into_violations();
                    if !violations.is_empty() {
                        return ::core::result::Result::Err(#rt::BuildError {
                            type_name: #label,
                            problems: violations.iter().map(|v| ("", v.to_string())).collect(),
                        });
                    }
                }
            }
            _ => quote! {},
        };
        // Fields whose type holds less than their property's subschema: each value checked
        // against that subschema, every violation listed under the property's name.
        let field_checks = self.fields.iter().filter_map(|f| {
            let at = f.attr.check.as_ref()?;
            let schema = &self.object.schema.as_ref()?.schema;
            let fname = f.ident;
            let json = &f.json;
            let value = if f.attr.required {
                quote! { ::core::option::Option::Some(&built.#fname) }
            } else {
                quote! { built.#fname.as_ref() }
            };
            Some(quote! {
                if let ::core::option::Option::Some(value) = #value {
                    #rt::check_built_field(&#schema, #at, #json, value, built.extra.form(#json), &mut problems);
                }
            })
        });
        let field_checks: Vec<TokenStream> = field_checks.collect();
        let validate = if field_checks.is_empty() {
            validate
        } else {
            quote! {
                #( #field_checks )*
                if !problems.is_empty() {
                    return ::core::result::Result::Err(#rt::BuildError { type_name: #label, problems });
                }
                #validate
            }
        };
        let construct = if required.is_empty() {
            quote! {
                let built = #construct;
                #validate
                ::core::result::Result::Ok(built)
            }
        } else {
            quote! {
                match ( #( #required, )* ) {
                    ( #( ::core::option::Option::Some(#required), )* ) => {
                        let built = #construct;
                        #validate
                        ::core::result::Result::Ok(built)
                    }
                    _ => ::core::result::Result::Err(#rt::BuildError { type_name: #label, problems }),
                }
            }
        };
        let builder_doc = if self.fields.iter().any(|f| f.attr.fill.is_some()) {
            let filled: Vec<String> = self
                .fields
                .iter()
                .filter(|f| f.attr.fill.is_some())
                .map(|f| format!("`{}`", f.json))
                .collect();
            format!(
                " Builds a [`{name}`]. {} filled in; every constraint is checked by `build`.",
                match filled.as_slice() {
                    [one] => format!("{one} is"),
                    [init @ .., last] => format!("{} and {last} are", init.join(", ")),
                    [] => String::new(),
                }
            )
        } else {
            format!(" Builds a [`{name}`]; every constraint is checked by `build`.")
        };
        let builder_ctor_doc = if self.fields.iter().any(|f| f.attr.fill.is_some()) {
            " A builder with nothing set but the fields it fills itself."
        } else {
            " A builder with nothing set."
        };
        quote! {
            #[doc = #builder_doc]
            #[derive(Debug, Clone)]
            pub struct #builder {
                #( #slots )*
                #additional_slot
                #entry_problems_slot
                extra: #rt::Extra,
            }

            impl ::core::default::Default for #builder {
                fn default() -> Self {
                    #builder {
                        #( #defaults )*
                        #additional_default
                        #entry_problems_default
                        extra: #rt::Extra::default(),
                    }
                }
            }

            impl #name {
                #[doc = #builder_ctor_doc]
                pub fn builder() -> #builder {
                    <#builder as ::core::default::Default>::default()
                }
            }

            impl #builder {
                #( #setters )*
                #additional_setter

                /// Adds a property the schema does not declare.
                pub fn unknown_property(mut self, key: impl ::core::convert::Into<::std::string::String>, value: #rt::serde_json::Value) -> Self {
                    self.extra.unknown_mut().insert(key.into(), value);
                    self
                }

                /// Checks every field and builds the value, or lists every problem.
                pub fn build(self) -> ::core::result::Result<#name, #rt::BuildError> {
                    let mut problems = ::std::vec::Vec::new();
                    #( #takes )*
                    #entry_problems
                    if !problems.is_empty() {
                        return ::core::result::Result::Err(#rt::BuildError { type_name: #label, problems });
                    }
                    #construct
                }
            }

            impl ::core::convert::TryFrom<#builder> for #name {
                type Error = #rt::BuildError;
                fn try_from(builder: #builder) -> ::core::result::Result<Self, Self::Error> {
                    builder.build()
                }
            }
        }
    }

    /// `__check`: the type's schema check, for a type that knows where its schema is.
    fn check_impl(&self) -> TokenStream {
        let rt = self.rt;
        let name = self.name;
        let Some(at) = &self.object.schema else {
            return quote! {};
        };
        let schema = &at.schema;
        let pointer = &at.at;
        quote! {
            impl #name {
                /// Reports every violation of this type's subschema in `v`, with its pointer.
                #[doc(hidden)]
                pub fn __check<J: #rt::Instance>(v: &J, c: &mut #rt::Collector) {
                    #schema.validate(#pointer, v, c);
                }
            }
        }
    }
}
