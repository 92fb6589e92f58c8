//! The attributes of the shape derives, which the generator writes on the types it emits.
//!
//! They are an internal contract between `event-contracts-codegen` and this crate, not an
//! API for hand-written types; still, a mistake in them is reported at its span.

use event_contracts_schema::model::ASSERTING_KEYWORDS;
use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::meta::ParseNestedMeta;
use syn::{Attribute, LitStr};

use crate::ctxt::Ctxt;

/// The default path of the runtime's support module.
pub(crate) const DEFAULT_RUNTIME: &str = "::event_contracts_runtime::__private";

/// Where a type's schema is, for the checks its Rust type cannot make itself.
#[derive(Clone)]
pub(crate) struct SchemaAt {
    /// The path of the `BundledSchema` static, e.g. `crate::orders::v1_0_0::SCHEMA`.
    pub(crate) schema: syn::Path,
    /// The JSON pointer of the type's subschema in it.
    pub(crate) at: String,
}

/// `#[object(...)]` on a struct.
#[derive(Default)]
pub(crate) struct ObjectAttr {
    pub(crate) label: Option<String>,
    pub(crate) tag: Option<(String, String)>,
    pub(crate) closed: bool,
    pub(crate) schema: Option<SchemaAt>,
    pub(crate) checked: bool,
    /// `only = "dependencies if then else"`: with `checked`, the keywords of the subschema
    /// that the check reads, because the typed read holds the rest (see [`keywords`]).
    pub(crate) only: Option<Vec<String>>,
    pub(crate) pattern_properties: Vec<String>,
    /// `holds`: the keywords of the subschema that the fields do not hold are written as
    /// Rust over the typed value, in `fn __holds(&self) -> bool` (the generator writes it),
    /// which the read calls in place of a check on a tree of the value.
    pub(crate) holds: bool,
    /// `min_properties = m`, `max_properties = n`, `property_names = "<pointer>"`: the
    /// object's members are counted as they are read, and each name is checked against the
    /// `propertyNames` subschema at that pointer of `schema`, in place of a check of the
    /// whole value (`build` checks the whole subschema, for its messages).
    pub(crate) min_properties: Option<u64>,
    pub(crate) max_properties: Option<u64>,
    pub(crate) property_names: Option<String>,
    pub(crate) runtime: Option<syn::Path>,
}

impl ObjectAttr {
    /// Whether the members are counted or their names checked as they are read.
    pub(crate) fn counts_members(&self) -> bool {
        self.min_properties.is_some()
            || self.max_properties.is_some()
            || self.property_names.is_some()
    }
}

/// How a builder fills a field by itself.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Fill {
    /// A new v4 UUID.
    Uuid,
    /// The current time.
    Now,
    /// A fixed value, converted from this text (the schema version of the module).
    Text(String),
}

/// `#[field(...)]` on a struct field.
#[derive(Debug, Default)]
pub(crate) struct FieldAttr {
    pub(crate) json: Option<String>,
    pub(crate) required: bool,
    pub(crate) since: u64,
    pub(crate) fill: Option<Fill>,
    pub(crate) additional: bool,
    /// `check = "<pointer>"`: the property's subschema in the object's `schema`, which says
    /// more than the field's type holds; the value is checked against it when read and built.
    pub(crate) check: Option<String>,
    /// `min_items = m`, `max_items = n`: with `check`, an array whose type holds all the
    /// subschema says but its bounds, so reading counts the items instead of checking.
    pub(crate) min_items: Option<u64>,
    pub(crate) max_items: Option<u64>,
    /// `unique_items`: with `check`, an array of scalars (`__private::Leaf`) whose items
    /// must differ by JSON equality, compared as they were read.
    pub(crate) unique_items: bool,
    /// `min_properties = m`, `max_properties = n`, `property_names = "<pointer>"`: with
    /// `check`, a map whose type holds all the subschema says but these, so reading counts
    /// the members and checks each name against the subschema at the pointer instead.
    pub(crate) min_properties: Option<u64>,
    pub(crate) max_properties: Option<u64>,
    pub(crate) property_names: Option<String>,
    /// `only = "uniqueItems contains"`: with `check`, the keywords of the subschema that
    /// reading checks, because the field's type holds the rest (see [`keywords`]).
    pub(crate) only: Option<Vec<String>>,
}

/// `#[constrained(...)]` on a newtype.
#[derive(Default)]
pub(crate) struct ConstrainedAttr {
    pub(crate) min_length: Option<u64>,
    pub(crate) max_length: Option<u64>,
    pub(crate) pattern: Option<String>,
    pub(crate) format: Option<String>,
    pub(crate) minimum: Option<f64>,
    pub(crate) maximum: Option<f64>,
    pub(crate) exclusive_minimum: Option<f64>,
    pub(crate) exclusive_maximum: Option<f64>,
    pub(crate) multiple_of: Option<f64>,
    pub(crate) runtime: Option<syn::Path>,
}

fn string(meta: &ParseNestedMeta<'_>) -> syn::Result<String> {
    Ok(meta.value()?.parse::<LitStr>()?.value())
}

pub(crate) fn path_string(meta: &ParseNestedMeta<'_>) -> syn::Result<syn::Path> {
    let lit = meta.value()?.parse::<LitStr>()?;
    lit.parse::<syn::Path>()
        .map_err(|e| syn::Error::new(lit.span(), format!("not a Rust path: {e}")))
}

fn number(meta: &ParseNestedMeta<'_>) -> syn::Result<f64> {
    let lit: syn::Lit = meta.value()?.parse()?;
    match lit {
        syn::Lit::Float(f) => f.base10_parse(),
        syn::Lit::Int(i) => i.base10_parse::<f64>(),
        other => Err(syn::Error::new(other.span(), "expected a number")),
    }
}

/// `only = "a b c"`: draft-07 keyword names, separated by spaces.
fn keywords(meta: &ParseNestedMeta<'_>) -> syn::Result<Vec<String>> {
    let lit = meta.value()?.parse::<LitStr>()?;
    let names: Vec<String> = lit.value().split_whitespace().map(str::to_owned).collect();
    if names.is_empty() {
        return Err(syn::Error::new(
            lit.span(),
            "`only` names at least one keyword; without it the whole subschema is checked",
        ));
    }
    if let Some(bad) = names
        .iter()
        .find(|n| !ASSERTING_KEYWORDS.contains(&n.as_str()))
    {
        return Err(syn::Error::new(
            lit.span(),
            format!("`{bad}` is not a draft-07 keyword that asserts something"),
        ));
    }
    Ok(names)
}

fn integer(meta: &ParseNestedMeta<'_>) -> syn::Result<u64> {
    meta.value()?.parse::<syn::LitInt>()?.base10_parse()
}

/// `min_properties = m`, `max_properties = n` or `property_names = "<pointer>"`, which a
/// map field and a struct both take: read into its place when `meta` is one of them.
fn member_key(
    meta: &ParseNestedMeta<'_>,
    min: &mut Option<u64>,
    max: &mut Option<u64>,
    names: &mut Option<String>,
) -> syn::Result<bool> {
    if meta.path.is_ident("min_properties") {
        *min = Some(integer(meta)?);
    } else if meta.path.is_ident("max_properties") {
        *max = Some(integer(meta)?);
    } else if meta.path.is_ident("property_names") {
        *names = Some(string(meta)?);
    } else {
        return Ok(false);
    }
    Ok(true)
}

fn unknown(meta: &ParseNestedMeta<'_>, known: &str) -> syn::Error {
    let name = meta
        .path
        .get_ident()
        .map(|i| i.to_string())
        .unwrap_or_default();
    meta.error(format!(
        "unknown key `{name}`; this attribute takes {known}"
    ))
}

/// Runs `parse` over every `#[name(...)]` attribute, reporting errors to `cx`.
pub(crate) fn each(
    cx: &mut Ctxt,
    attrs: &[Attribute],
    name: &str,
    mut parse: impl FnMut(&ParseNestedMeta<'_>) -> syn::Result<()>,
) {
    for attr in attrs.iter().filter(|a| a.path().is_ident(name)) {
        if let Err(e) = attr.parse_nested_meta(|meta| parse(&meta)) {
            cx.syn_error(e);
        }
    }
}

pub(crate) fn object(cx: &mut Ctxt, attrs: &[Attribute]) -> ObjectAttr {
    let mut out = ObjectAttr::default();
    let mut schema = None;
    let mut at = None;
    let mut tag_value = None;
    let mut tag = None;
    each(cx, attrs, "object", |meta| {
        if meta.path.is_ident("name") {
            out.label = Some(string(meta)?);
        } else if meta.path.is_ident("tag") {
            tag = Some(string(meta)?);
        } else if meta.path.is_ident("tag_value") {
            tag_value = Some(string(meta)?);
        } else if meta.path.is_ident("closed") {
            out.closed = true;
        } else if meta.path.is_ident("checked") {
            out.checked = true;
        } else if meta.path.is_ident("holds") {
            out.holds = true;
        } else if meta.path.is_ident("only") {
            out.only = Some(keywords(meta)?);
        } else if meta.path.is_ident("schema") {
            schema = Some(path_string(meta)?);
        } else if meta.path.is_ident("at") {
            at = Some(string(meta)?);
        } else if meta.path.is_ident("pattern_property") {
            out.pattern_properties.push(string(meta)?);
        } else if member_key(
            meta,
            &mut out.min_properties,
            &mut out.max_properties,
            &mut out.property_names,
        )? {
            // Read into the three fields above.
        } else if meta.path.is_ident("runtime") {
            out.runtime = Some(path_string(meta)?);
        } else {
            return Err(unknown(
                meta,
                "name, tag, tag_value, closed, checked, holds, only, schema, at, pattern_property, min_properties, max_properties, property_names and runtime",
            ));
        }
        Ok(())
    });
    out.tag = match (tag, tag_value) {
        (Some(t), Some(v)) => Some((t, v)),
        (None, None) => None,
        _ => {
            cx.error_at(
                Span::call_site(),
                "`tag` and `tag_value` go together: the property and the value it must hold",
            );
            None
        }
    };
    out.schema = match (schema, at) {
        (Some(schema), at) => Some(SchemaAt {
            schema,
            at: at.unwrap_or_default(),
        }),
        (None, None) => None,
        (None, Some(_)) => {
            cx.error_at(
                Span::call_site(),
                "`at` needs `schema`: the pointer is into it",
            );
            None
        }
    };
    if out.checked && out.schema.is_none() {
        cx.error_at(
            Span::call_site(),
            "`checked` needs `schema`: the check reads the type's subschema",
        );
    }
    if out.only.is_some() && !out.checked {
        cx.error_at(
            Span::call_site(),
            "`only` goes with `checked`: it names the keywords the check reads",
        );
    }
    if out.holds && out.checked {
        cx.error_at(
            Span::call_site(),
            "`holds` and `checked` do not go together: `__holds` says what a check would",
        );
    }
    if out.holds && out.schema.is_none() {
        cx.error_at(
            Span::call_site(),
            "`holds` needs `schema`: `build` checks the subschema, for its messages",
        );
    }
    if out.counts_members() && out.schema.is_none() {
        cx.error_at(
            Span::call_site(),
            "`min_properties`/`max_properties`/`property_names` need `schema`: `build` checks the subschema, and the names' pointer is into it",
        );
    }
    out
}

pub(crate) fn field(cx: &mut Ctxt, attrs: &[Attribute]) -> FieldAttr {
    let mut out = FieldAttr::default();
    each(cx, attrs, "field", |meta| {
        if meta.path.is_ident("json") {
            out.json = Some(string(meta)?);
        } else if meta.path.is_ident("required") {
            out.required = true;
        } else if meta.path.is_ident("since") {
            out.since = integer(meta)?;
        } else if meta.path.is_ident("additional") {
            out.additional = true;
        } else if meta.path.is_ident("check") {
            out.check = Some(string(meta)?);
        } else if meta.path.is_ident("min_items") {
            out.min_items = Some(integer(meta)?);
        } else if meta.path.is_ident("max_items") {
            out.max_items = Some(integer(meta)?);
        } else if meta.path.is_ident("unique_items") {
            out.unique_items = true;
        } else if member_key(
            meta,
            &mut out.min_properties,
            &mut out.max_properties,
            &mut out.property_names,
        )? {
            // Read into the three fields above.
        } else if meta.path.is_ident("only") {
            out.only = Some(keywords(meta)?);
        } else if meta.path.is_ident("fill") {
            let lit = meta.value()?.parse::<LitStr>()?;
            out.fill = Some(match lit.value().as_str() {
                "uuid" => Fill::Uuid,
                "now" => Fill::Now,
                other => match other.strip_prefix("text:") {
                    Some(text) => Fill::Text(text.to_owned()),
                    None => {
                        return Err(syn::Error::new(
                            lit.span(),
                            "fill is \"uuid\", \"now\" or \"text:<value>\"",
                        ))
                    }
                },
            });
        } else {
            return Err(unknown(
                meta,
                "json, required, since, fill, check, only, min_items, max_items, unique_items, \
                 min_properties, max_properties, property_names and additional",
            ));
        }
        Ok(())
    });
    out
}

pub(crate) fn constrained(cx: &mut Ctxt, attrs: &[Attribute]) -> ConstrainedAttr {
    let mut out = ConstrainedAttr::default();
    each(cx, attrs, "constrained", |meta| {
        let p = &meta.path;
        if p.is_ident("min_length") {
            out.min_length = Some(integer(meta)?);
        } else if p.is_ident("max_length") {
            out.max_length = Some(integer(meta)?);
        } else if p.is_ident("pattern") {
            out.pattern = Some(string(meta)?);
        } else if p.is_ident("format") {
            out.format = Some(string(meta)?);
        } else if p.is_ident("minimum") {
            out.minimum = Some(number(meta)?);
        } else if p.is_ident("maximum") {
            out.maximum = Some(number(meta)?);
        } else if p.is_ident("exclusive_minimum") {
            out.exclusive_minimum = Some(number(meta)?);
        } else if p.is_ident("exclusive_maximum") {
            out.exclusive_maximum = Some(number(meta)?);
        } else if p.is_ident("multiple_of") {
            out.multiple_of = Some(number(meta)?);
        } else if p.is_ident("runtime") {
            out.runtime = Some(path_string(meta)?);
        } else {
            return Err(unknown(meta, "min_length, max_length, pattern, format, minimum, maximum, exclusive_minimum, exclusive_maximum, multiple_of and runtime"));
        }
        Ok(())
    });
    out
}

/// `#[json("value")]` on an enum variant.
pub(crate) fn variant_value(cx: &mut Ctxt, variant: &syn::Variant) -> Option<String> {
    let mut found = None;
    for attr in variant.attrs.iter().filter(|a| a.path().is_ident("json")) {
        match attr.parse_args::<LitStr>() {
            Ok(lit) => found = Some(lit.value()),
            Err(e) => cx.syn_error(e),
        }
    }
    if found.is_none() {
        cx.error_spanned_by(
            &variant.ident,
            "each variant needs #[json(\"value\")]: the JSON string it stands for",
        );
    }
    found
}

/// `#[runtime = "path"]`-style override shared by the enum derives: `#[string_enum(runtime = "...")]`.
pub(crate) fn runtime_only(cx: &mut Ctxt, attrs: &[Attribute], name: &str) -> Option<syn::Path> {
    let mut out = None;
    each(cx, attrs, name, |meta| {
        if meta.path.is_ident("runtime") {
            out = Some(path_string(meta)?);
            Ok(())
        } else {
            Err(unknown(meta, "runtime"))
        }
    });
    out
}

/// A `&'static SchemaAt` for the subschema at `pointer`: a `static` of its own at this
/// place in the generated code, so that its node is looked up once.
pub(crate) fn schema_at(rt: &syn::Path, pointer: &str) -> proc_macro2::TokenStream {
    quote::quote! { { static AT: #rt::SchemaAt = #rt::SchemaAt::new(#pointer); &AT } }
}

/// [`schema_at`] for only the keywords `only` of the subschema, when it names some.
pub(crate) fn schema_at_only(
    rt: &syn::Path,
    pointer: &str,
    only: Option<&[String]>,
) -> proc_macro2::TokenStream {
    match only {
        None => schema_at(rt, pointer),
        Some(only) => quote::quote! {
            { static AT: #rt::SchemaAt = #rt::SchemaAt::only(#pointer, &[ #( #only ),* ]); &AT }
        },
    }
}

/// `Some(n)` or `None` as tokens.
pub(crate) fn option_tokens(value: Option<u64>) -> proc_macro2::TokenStream {
    match value {
        Some(n) => quote::quote! { ::core::option::Option::Some(#n) },
        None => quote::quote! { ::core::option::Option::None },
    }
}

/// The runtime path: the override, or the default.
pub(crate) fn runtime_path(over: Option<&syn::Path>) -> syn::Path {
    over.cloned().unwrap_or_else(|| {
        syn::parse_str(DEFAULT_RUNTIME)
            .unwrap_or_else(|_| syn::parse_quote!(::event_contracts_runtime::__private))
    })
}

/// `Serialize` and `Deserialize` of a type `name` through its `FieldValue`: written with no
/// recorded spelling, read with the spelling dropped.
pub(crate) fn serde_by_field_value(rt: &syn::Path, name: &syn::Ident) -> TokenStream {
    let deserialize = deserialize_by_field_value(rt, name);
    quote! {
        impl #rt::serde::Serialize for #name {
            fn serialize<S: #rt::serde::Serializer>(&self, s: S) -> ::core::result::Result<S::Ok, S::Error> {
                #rt::FieldValue::write(self, ::core::option::Option::None, s)
            }
        }

        #deserialize
    }
}

/// `Deserialize` of a type `name` through its `FieldValue`, the spelling dropped.
pub(crate) fn deserialize_by_field_value(rt: &syn::Path, name: &syn::Ident) -> TokenStream {
    quote! {
        impl<'de> #rt::serde::Deserialize<'de> for #name {
            fn deserialize<D: #rt::serde::Deserializer<'de>>(d: D) -> ::core::result::Result<Self, D::Error> {
                let mut form = ::core::option::Option::None;
                <Self as #rt::FieldValue>::read(d, &mut form)
            }
        }
    }
}
