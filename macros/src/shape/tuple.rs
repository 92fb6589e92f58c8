//! `#[derive(Tuple)]`: a tuple struct generated for an array schema whose `items` is a list,
//! with nothing after it (`#[tuple(min_items = N)]`: `additionalItems: false`, or a
//! `maxItems` the list reaches) or items after it (`#[tuple(min_items = N, max_items = M,
//! rest)]`: `additionalItems` a schema, `true` or absent).
//!
//! Field `i` holds item `i`. The first `min_items` fields hold their item's type; the rest
//! of the list are `Option<T>`, `None` where the array stopped before that item. With
//! `rest`, the last field is a `Vec<T>` of the items after the list, which an array has
//! only when it has every item of the list; `min_items` may then exceed the list, and
//! `max_items` bounds the whole array. The derive writes:
//! - `FieldValue` (and `Deserialize`): one pass over the array, each item read straight
//!   into its field's type with its spelling kept (`1.0` for an integer), nesting counted;
//!   an array shorter than `min_items`, or longer than the fields (without `rest`) or than
//!   `max_items`, is refused. A check of `minItems`/`maxItems` alone (what a tuple with
//!   `rest` is not exact for) is that count, and reads straight from the input;
//! - `Serialize`, in the spellings decode kept, the items up to the first `None`; a `Some`
//!   (or an item after the list) after a `None` is refused, as no array holds it. The
//!   number of items is not: `encode` and `build` check the schema, with its words.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Data, DeriveInput, Fields, LitInt, Type};

use super::attr;
use crate::ctxt::Ctxt;

/// What `#[tuple(...)]` says.
struct Bounds {
    /// Items every value has (`minItems`).
    min: usize,
    /// Items no value exceeds (`maxItems`), with `rest`.
    max: Option<usize>,
}

pub(crate) fn derive(input: &DeriveInput) -> TokenStream {
    let mut cx = Ctxt::new();
    let mut min_items: Option<usize> = None;
    let mut max_items: Option<usize> = None;
    let mut rest = false;
    let mut runtime = None;
    attr::each(&mut cx, &input.attrs, "tuple", |meta| {
        if meta.path.is_ident("min_items") {
            min_items = Some(meta.value()?.parse::<LitInt>()?.base10_parse()?);
        } else if meta.path.is_ident("max_items") {
            max_items = Some(meta.value()?.parse::<LitInt>()?.base10_parse()?);
        } else if meta.path.is_ident("rest") {
            rest = true;
        } else if meta.path.is_ident("runtime") {
            runtime = Some(attr::path_string(meta)?);
        } else {
            return Err(
                meta.error("unknown key; #[tuple] takes min_items, max_items, rest and runtime")
            );
        }
        Ok(())
    });
    let Data::Struct(data) = &input.data else {
        cx.error_spanned_by(&input.ident, "#[derive(Tuple)] is for tuple structs");
        return cx.into_compile_errors().unwrap_or_default();
    };
    let Fields::Unnamed(fields) = &data.fields else {
        cx.error_spanned_by(
            &input.ident,
            "#[derive(Tuple)] is for tuple structs: `struct Name(A, B, Option<C>);`",
        );
        return cx.into_compile_errors().unwrap_or_default();
    };
    // The fields of the list; with `rest`, the last field holds the items after it.
    let count = fields.unnamed.len() - usize::from(rest && !fields.unnamed.is_empty());
    let min = min_items.unwrap_or(count);
    if min > count && !rest {
        cx.error_spanned_by(
            &input.ident,
            format!("`min_items` is {min}, but the tuple has {count} items"),
        );
    }
    if count == 0 {
        cx.error_spanned_by(
            &input.ident,
            "a tuple has at least one item before its `rest`",
        );
    }
    match (max_items, rest) {
        (Some(_), false) => cx.error_spanned_by(
            &input.ident,
            "`max_items` goes with `rest`: without it, the fields are the most items",
        ),
        (Some(max), true) if max < count => cx.error_spanned_by(
            &input.ident,
            format!("`max_items` is {max}, fewer than the list's {count} items"),
        ),
        (Some(max), true) if max < min => cx.error_spanned_by(
            &input.ident,
            format!("`max_items` is {max}, below `min_items` ({min})"),
        ),
        _ => {}
    }
    let rest_ty: Option<&Type> = if rest {
        match fields.unnamed.last().map(|f| &f.ty) {
            Some(ty) => match super::object::wrapped(ty, "Vec") {
                Some(inner) => Some(inner),
                None => {
                    cx.error_spanned_by(
                        ty,
                        "with `rest`, the last field holds the items after the list: `Vec<T>`",
                    );
                    None
                }
            },
            None => None,
        }
    } else {
        None
    };
    // The type each field reads: an optional item's `T` of `Option<T>`.
    let mut read_tys: Vec<&Type> = Vec::with_capacity(count);
    for (i, field) in fields.unnamed.iter().take(count).enumerate() {
        if i < min {
            read_tys.push(&field.ty);
        } else {
            match super::object::option_inner(&field.ty) {
                Some(inner) => read_tys.push(inner),
                None => {
                    cx.error_spanned_by(
                        &field.ty,
                        format!(
                            "item {i} is past `min_items` ({min}), so it is optional: `Option<T>`"
                        ),
                    );
                    read_tys.push(&field.ty);
                }
            }
        }
    }
    if let Some(errors) = cx.into_compile_errors() {
        return errors;
    }
    let rt = attr::runtime_path(runtime.as_ref());
    let bounds = Bounds {
        min,
        max: max_items,
    };
    expand(&rt, &input.ident, &bounds, &read_tys, rest_ty)
}

/// `n item(s)`.
fn items(n: usize) -> String {
    if n == 1 {
        "1 item".to_owned()
    } else {
        format!("{n} items")
    }
}

fn expand(
    rt: &syn::Path,
    name: &syn::Ident,
    bounds: &Bounds,
    read_tys: &[&Type],
    rest_ty: Option<&Type>,
) -> TokenStream {
    let count = read_tys.len();
    let min = bounds.min;
    // Items of the list every value has.
    let required = min.min(count);
    let expecting = match (rest_ty.is_some(), bounds.max) {
        (false, _) if min == count => format!("an array of {}", items(count)),
        (false, _) => format!("an array of {min} to {count} items"),
        (true, Some(max)) if max == min => format!("an array of {}", items(max)),
        (true, Some(max)) => format!("an array of {min} to {max} items"),
        (true, None) => format!("an array of at least {}", items(min)),
    };
    let vars: Vec<syn::Ident> = (0..count)
        .map(|i| quote::format_ident!("item{}", i))
        .collect();
    let reads = read_tys.iter().enumerate().map(|(i, ty)| {
        let var = &vars[i];
        let next = quote! {
            seq.next_element_seed(#rt::Read::<#ty>::new(&mut forms[#i]))?
        };
        if i < min {
            quote! {
                let #var = match #next {
                    ::core::option::Option::Some(item) => item,
                    ::core::option::Option::None => {
                        return ::core::result::Result::Err(#rt::serde::de::Error::invalid_length(#i, &self));
                    }
                };
            }
        } else {
            quote! {
                let #var = if ended {
                    ::core::option::Option::None
                } else {
                    let item = #next;
                    ended = item.is_none();
                    item
                };
            }
        }
    });
    let has_optional = required < count;
    let ended_binding = if has_optional {
        quote! { let mut ended = false; }
    } else {
        quote! {}
    };
    // After the list: nothing, or the rest, counted.
    let (after_list, rest_value, rest_forms) = match rest_ty {
        None => (
            quote! {
                if seq.next_element::<#rt::serde::de::IgnoredAny>()?.is_some() {
                    return ::core::result::Result::Err(#rt::serde::de::Error::invalid_length(#count + 1, &self));
                }
            },
            quote! {},
            quote! {},
        ),
        Some(ty) => {
            let at_most = bounds.max.map(|max| {
                quote! {
                    if #count + rest.len() == #max {
                        if seq.next_element::<#rt::serde::de::IgnoredAny>()?.is_some() {
                            return ::core::result::Result::Err(#rt::serde::de::Error::invalid_length(#max + 1, &self));
                        }
                        break;
                    }
                }
            });
            let read_rest = quote! {
                loop {
                    #at_most
                    let mut item_form = ::core::option::Option::None;
                    match seq.next_element_seed(#rt::Read::<#ty>::new(&mut item_form))? {
                        ::core::option::Option::Some(item) => {
                            if let ::core::option::Option::Some(f) = item_form {
                                rest_forms.resize(rest.len(), #rt::serde_json::Value::Null);
                                rest_forms.push(f);
                            }
                            rest.push(item);
                        }
                        ::core::option::Option::None => break,
                    }
                }
            };
            let read_rest = if has_optional {
                quote! { if !ended { #read_rest } }
            } else {
                read_rest
            };
            let at_least = (min > count).then(|| {
                quote! {
                    if #count + rest.len() < #min {
                        return ::core::result::Result::Err(#rt::serde::de::Error::invalid_length(#count + rest.len(), &self));
                    }
                }
            });
            (
                quote! {
                    let mut rest: ::std::vec::Vec<#ty> = ::std::vec::Vec::new();
                    // Spellings of the items after the list, up to the last that kept one
                    // (`null` for those that did not).
                    let mut rest_forms: ::std::vec::Vec<#rt::serde_json::Value> = ::std::vec::Vec::new();
                    #read_rest
                    #at_least
                },
                quote! { , rest },
                quote! { .chain(rest_forms) },
            )
        }
    };
    let any_rest_form = if rest_ty.is_some() {
        quote! { || !rest_forms.is_empty() }
    } else {
        quote! {}
    };
    let fields = (0..count).map(syn::Index::from).collect::<Vec<_>>();
    let writes = read_tys.iter().enumerate().map(|(i, _)| {
        let field = &fields[i];
        if i < min {
            quote! {
                seq.serialize_element(&#rt::Write(&self.#field, item_form(#i)))?;
            }
        } else {
            quote! {
                match &self.#field {
                    ::core::option::Option::Some(item) if !ended => {
                        seq.serialize_element(&#rt::Write(item, item_form(#i)))?;
                    }
                    ::core::option::Option::Some(_) => {
                        return ::core::result::Result::Err(#rt::serde::ser::Error::custom(::core::concat!(
                            "item ", #i, " of a ", ::core::stringify!(#name),
                            " is set after an item that is not: no array holds it"
                        )));
                    }
                    ::core::option::Option::None => ended = true,
                }
            }
        }
    });
    let lengths = (required..count).map(|i| {
        let field = &fields[i];
        quote! { if self.#field.is_some() { len = #i + 1; } }
    });
    let (rest_length, rest_writes) = match rest_ty {
        None => (quote! {}, quote! {}),
        Some(_) => {
            let field = syn::Index::from(count);
            let gap = has_optional.then(|| {
                quote! {
                    if ended {
                        return ::core::result::Result::Err(#rt::serde::ser::Error::custom(::core::concat!(
                            "the items after the list of a ", ::core::stringify!(#name),
                            " are set after an item of the list that is not: no array holds them"
                        )));
                    }
                }
            });
            (
                quote! { len += self.#field.len(); },
                quote! {
                    if !self.#field.is_empty() {
                        #gap
                        for (i, item) in self.#field.iter().enumerate() {
                            seq.serialize_element(&#rt::Write(item, item_form(#count + i)))?;
                        }
                    }
                },
            )
        }
    };
    let serde = attr::serde_by_field_value(rt, name);
    quote! {
        impl #rt::FieldValue for #name {
            fn read<'de, D: #rt::serde::Deserializer<'de>>(d: D, form: &mut ::core::option::Option<#rt::serde_json::Value>) -> ::core::result::Result<Self, D::Error> {
                struct Visit<'f>(&'f mut ::core::option::Option<#rt::serde_json::Value>);
                impl<'de> #rt::serde::de::Visitor<'de> for Visit<'_> {
                    type Value = #name;
                    fn expecting(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                        f.write_str(#expecting)
                    }
                    fn visit_seq<A: #rt::serde::de::SeqAccess<'de>>(self, mut seq: A) -> ::core::result::Result<#name, A::Error> {
                        let _nested = #rt::Nested::enter()?;
                        // Each item's spelling, when its read kept one.
                        let mut forms: [::core::option::Option<#rt::serde_json::Value>; #count] =
                            ::core::array::from_fn(|_| ::core::option::Option::None);
                        #ended_binding
                        #( #reads )*
                        #after_list
                        if forms.iter().any(::core::option::Option::is_some) #any_rest_form {
                            *self.0 = ::core::option::Option::Some(#rt::serde_json::Value::Array(
                                forms
                                    .into_iter()
                                    .map(|f| f.unwrap_or(#rt::serde_json::Value::Null))
                                    #rest_forms
                                    .collect(),
                            ));
                        }
                        ::core::result::Result::Ok(#name( #( #vars ),* #rest_value ))
                    }
                }
                d.deserialize_seq(Visit(form))
            }
            fn write<S: #rt::serde::Serializer>(&self, form: ::core::option::Option<&#rt::serde_json::Value>, s: S) -> ::core::result::Result<S::Ok, S::Error> {
                use #rt::serde::ser::SerializeSeq as _;
                let forms = match form {
                    ::core::option::Option::Some(#rt::serde_json::Value::Array(forms)) => ::core::option::Option::Some(forms),
                    _ => ::core::option::Option::None,
                };
                let item_form = |i: usize| forms.and_then(|f| f.get(i)).filter(|f| !f.is_null());
                let mut len = #required;
                #( #lengths )*
                #rest_length
                let mut seq = s.serialize_seq(::core::option::Option::Some(len))?;
                #ended_binding
                #( #writes )*
                #rest_writes
                seq.end()
            }
            fn read_checked<'de, D: #rt::serde::Deserializer<'de>>(
                d: D,
                form: &mut ::core::option::Option<#rt::serde_json::Value>,
                schema: &'static #rt::BundledSchema,
                at: &'static #rt::SchemaAt,
            ) -> ::core::result::Result<Self, D::Error> {
                #rt::read_tuple_checked(d, form, schema, at)
            }
        }

        #serde
    }
}
