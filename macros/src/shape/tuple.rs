//! `#[derive(Tuple)]`: a tuple struct generated for an array schema whose `items` is a list
//! and whose `additionalItems` is `false` (`#[tuple(min_items = N)]`).
//!
//! Field `i` holds item `i`. The first `min_items` fields hold their item's type; the rest
//! are `Option<T>`, `None` where the array stopped before that item. The derive writes:
//! - `FieldValue` (and `Deserialize`): one pass over the array, each item read straight
//!   into its field's type with its spelling kept (`1.0` for an integer), nesting counted;
//!   an array shorter than `min_items` or longer than the fields is refused;
//! - `Serialize`, in the spellings decode kept, the items up to the first `None`; a `Some`
//!   after a `None` is refused, as no array holds it.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Data, DeriveInput, Fields, LitInt, LitStr, Type};

use super::attr;
use crate::ctxt::Ctxt;

pub(crate) fn derive(input: &DeriveInput) -> TokenStream {
    let mut cx = Ctxt::new();
    let mut min_items: Option<usize> = None;
    let mut runtime = None;
    attr::each(&mut cx, &input.attrs, "tuple", |meta| {
        if meta.path.is_ident("min_items") {
            min_items = Some(meta.value()?.parse::<LitInt>()?.base10_parse()?);
        } else if meta.path.is_ident("runtime") {
            let lit = meta.value()?.parse::<LitStr>()?;
            runtime = Some(lit.parse::<syn::Path>()?);
        } else {
            return Err(meta.error("unknown key; #[tuple] takes min_items and runtime"));
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
    let count = fields.unnamed.len();
    let min = min_items.unwrap_or(count);
    if min > count {
        cx.error_spanned_by(
            &input.ident,
            format!("`min_items` is {min}, but the tuple has {count} items"),
        );
    }
    if count == 0 {
        cx.error_spanned_by(&input.ident, "a tuple has at least one item");
    }
    // The type each field reads: an optional item's `T` of `Option<T>`.
    let mut read_tys: Vec<&Type> = Vec::with_capacity(count);
    for (i, field) in fields.unnamed.iter().enumerate() {
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
    expand(&rt, &input.ident, min, &read_tys)
}

fn expand(rt: &syn::Path, name: &syn::Ident, min: usize, read_tys: &[&Type]) -> TokenStream {
    let count = read_tys.len();
    let expecting = if min == count {
        format!("an array of {count} items")
    } else {
        format!("an array of {min} to {count} items")
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
    let lengths = (min..count).map(|i| {
        let field = &fields[i];
        quote! { if self.#field.is_some() { len = #i + 1; } }
    });
    let ended_binding = if min < count {
        quote! { let mut ended = false; }
    } else {
        quote! {}
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
                        if seq.next_element::<#rt::serde::de::IgnoredAny>()?.is_some() {
                            return ::core::result::Result::Err(#rt::serde::de::Error::invalid_length(#count + 1, &self));
                        }
                        if forms.iter().any(::core::option::Option::is_some) {
                            *self.0 = ::core::option::Option::Some(#rt::serde_json::Value::Array(
                                forms
                                    .into_iter()
                                    .map(|f| f.unwrap_or(#rt::serde_json::Value::Null))
                                    .collect(),
                            ));
                        }
                        ::core::result::Result::Ok(#name( #( #vars ),* ))
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
                let mut len = #min;
                #( #lengths )*
                let mut seq = s.serialize_seq(::core::option::Option::Some(len))?;
                #ended_binding
                #( #writes )*
                seq.end()
            }
        }

        #serde
    }
}
