//! `#[derive(StringEnum)]`: an enum of the values of a string `enum` (or `const`), each
//! variant marked `#[json("value")]`, with `as_str`, `ALL`, `FromStr`, `TryFrom<&str>`,
//! `Display`, serde, `FieldValue` and `Leaf` (an array of them is checked without a tree).

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Data, DeriveInput, Fields};

use super::attr;
use crate::ctxt::Ctxt;

pub(crate) fn derive(input: &DeriveInput) -> TokenStream {
    let mut cx = Ctxt::new();
    let runtime = attr::runtime_only(&mut cx, &input.attrs, "string_enum");
    let Data::Enum(data) = &input.data else {
        cx.error_spanned_by(&input.ident, "#[derive(StringEnum)] is for enums");
        return cx.into_compile_errors().unwrap_or_default();
    };
    let mut variants = Vec::new();
    let mut values = Vec::new();
    for variant in &data.variants {
        if !matches!(variant.fields, Fields::Unit) {
            cx.error_spanned_by(&variant.ident, "a StringEnum variant holds no data");
        }
        if let Some(value) = attr::variant_value(&mut cx, variant) {
            variants.push(&variant.ident);
            values.push(value);
        }
    }
    if let Some(errors) = cx.into_compile_errors() {
        return errors;
    }
    let rt = attr::runtime_path(runtime.as_ref());
    let name = &input.ident;
    let name_str = name.to_string();
    let expected = format!(
        "one of {}",
        values
            .iter()
            .map(|v| format!("{v:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    quote! {
        impl #name {
            /// Every value, in schema order.
            pub const ALL: &'static [#name] = &[ #( #name::#variants ),* ];

            /// The JSON string for this value.
            pub fn as_str(self) -> &'static str {
                match self { #( #name::#variants => #values, )* }
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = #rt::ConstraintError;
            // The error type is named, not `Self::Err`: a variant `Err` or `Error` would be
            // ambiguous with the associated type.
            fn from_str(value: &str) -> ::core::result::Result<Self, #rt::ConstraintError> {
                match value {
                    #( #values => ::core::result::Result::Ok(#name::#variants), )*
                    other => ::core::result::Result::Err(#rt::ConstraintError::new("enum", format!("{other:?} is not {}", #expected))),
                }
            }
        }

        impl ::core::convert::TryFrom<&str> for #name {
            type Error = #rt::ConstraintError;
            fn try_from(value: &str) -> ::core::result::Result<Self, #rt::ConstraintError> {
                value.parse()
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl #rt::serde::Serialize for #name {
            fn serialize<S: #rt::serde::Serializer>(&self, s: S) -> ::core::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> #rt::serde::Deserialize<'de> for #name {
            fn deserialize<D: #rt::serde::Deserializer<'de>>(d: D) -> ::core::result::Result<Self, D::Error> {
                let key: #rt::Key<'de> = #rt::serde::Deserialize::deserialize(d)?;
                key.as_str().parse().map_err(|e| <D::Error as #rt::serde::de::Error>::custom(format_args!("{} {}", #name_str, e)))
            }
        }

        impl #rt::FieldValue for #name {
            fn read<'de, D: #rt::serde::Deserializer<'de>>(d: D, _form: &mut ::core::option::Option<#rt::serde_json::Value>) -> ::core::result::Result<Self, D::Error> {
                <Self as #rt::serde::Deserialize>::deserialize(d)
            }
            fn write<S: #rt::serde::Serializer>(&self, _form: ::core::option::Option<&#rt::serde_json::Value>, s: S) -> ::core::result::Result<S::Ok, S::Error> {
                #rt::serde::Serialize::serialize(self, s)
            }
            fn read_checked_items<'de, D: #rt::serde::Deserializer<'de>>(d: D, form: &mut ::core::option::Option<#rt::serde_json::Value>, schema: &'static #rt::BundledSchema, at: &'static #rt::SchemaAt) -> ::core::result::Result<::std::vec::Vec<Self>, D::Error> {
                #rt::read_leaf_items(d, form, schema, at)
            }
        }

        impl #rt::Leaf for #name {
            fn leaf<'s>(&'s self, _form: ::core::option::Option<&'s #rt::serde_json::Value>) -> #rt::Tree<'s> {
                #rt::Tree::String(::std::borrow::Cow::Borrowed(self.as_str()))
            }
        }
    }
}
