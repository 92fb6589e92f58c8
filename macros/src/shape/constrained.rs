//! `#[derive(Constrained)]`: a newtype over a scalar (`String`, `u64`, `i64`, `f64`) whose
//! only constructors check the schema's constraints on it, given in `#[constrained(...)]`:
//! `min_length`, `max_length`, `pattern`, `format`, `minimum`, `maximum`,
//! `exclusive_minimum`, `exclusive_maximum`, `multiple_of`. It gets `new`, `get`,
//! `into_inner`, `TryFrom`, `Display`, serde, `Leaf` and `FieldValue` (which keeps the value's
//! original spelling), and for strings `as_str`, `Deref<Target = str>` and `AsRef<str>`.

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use syn::{Data, DeriveInput, Fields, Type};

use super::attr::{self, ConstrainedAttr};
use crate::ctxt::Ctxt;

#[derive(Clone, Copy, PartialEq)]
enum Scalar {
    String,
    U64,
    I64,
    F64,
}

fn scalar_of(ty: &Type) -> Option<Scalar> {
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    match last.ident.to_string().as_str() {
        "String" => Some(Scalar::String),
        "u64" => Some(Scalar::U64),
        "i64" => Some(Scalar::I64),
        "f64" => Some(Scalar::F64),
        _ => None,
    }
}

fn opt_f64(v: Option<f64>) -> TokenStream {
    match v {
        Some(v) => {
            let lit = Literal::f64_suffixed(v);
            quote! { ::core::option::Option::Some(#lit) }
        }
        None => quote! { ::core::option::Option::None },
    }
}

fn opt_u64(v: Option<u64>) -> TokenStream {
    match v {
        Some(v) => {
            let lit = Literal::u64_suffixed(v);
            quote! { ::core::option::Option::Some(#lit) }
        }
        None => quote! { ::core::option::Option::None },
    }
}

pub(crate) fn derive(input: &DeriveInput) -> TokenStream {
    let mut cx = Ctxt::new();
    let c = attr::constrained(&mut cx, &input.attrs);
    let inner = match &input.data {
        Data::Struct(data) => match &data.fields {
            Fields::Unnamed(fields) if fields.unnamed.len() == 1 => {
                fields.unnamed.first().map(|f| &f.ty)
            }
            _ => None,
        },
        _ => None,
    };
    let Some(inner) = inner else {
        cx.error_spanned_by(
            &input.ident,
            "#[derive(Constrained)] is for a newtype: `struct Name(String)` (or u64, i64, f64)",
        );
        return cx.into_compile_errors().unwrap_or_default();
    };
    let Some(scalar) = scalar_of(inner) else {
        cx.error_spanned_by(inner, "a Constrained newtype wraps String, u64, i64 or f64");
        return cx.into_compile_errors().unwrap_or_default();
    };
    let string_keys = c.min_length.is_some()
        || c.max_length.is_some()
        || c.pattern.is_some()
        || c.format.is_some();
    let number_keys = c.minimum.is_some()
        || c.maximum.is_some()
        || c.exclusive_minimum.is_some()
        || c.exclusive_maximum.is_some()
        || c.multiple_of.is_some();
    if scalar == Scalar::String && number_keys {
        cx.error_spanned_by(&input.ident, "number constraints on a String newtype");
    }
    if scalar != Scalar::String && string_keys {
        cx.error_spanned_by(&input.ident, "string constraints on a number newtype");
    }
    if let Some(errors) = cx.into_compile_errors() {
        return errors;
    }
    let rt = attr::runtime_path(c.runtime.as_ref());
    let name = &input.ident;
    let name_str = name.to_string();
    let (check, extra) = match scalar {
        Scalar::String => string_parts(&rt, name, &c),
        _ => number_parts(&rt, name, &c, scalar),
    };
    let from_inner = if scalar == Scalar::String {
        quote! {
            impl ::core::convert::TryFrom<::std::string::String> for #name {
                type Error = #rt::ConstraintError;
                fn try_from(value: ::std::string::String) -> ::core::result::Result<Self, Self::Error> { Self::new(value) }
            }
            impl ::core::convert::TryFrom<&str> for #name {
                type Error = #rt::ConstraintError;
                fn try_from(value: &str) -> ::core::result::Result<Self, Self::Error> { Self::new(value.to_owned()) }
            }
        }
    } else {
        quote! {
            impl ::core::convert::TryFrom<#inner> for #name {
                type Error = #rt::ConstraintError;
                fn try_from(value: #inner) -> ::core::result::Result<Self, Self::Error> { Self::new(value) }
            }
        }
    };
    let deserialize = attr::deserialize_by_field_value(&rt, name);
    quote! {
        impl #name {
            /// Checks the constraints and wraps the value.
            pub fn new(value: #inner) -> ::core::result::Result<Self, #rt::ConstraintError> {
                #check
                ::core::result::Result::Ok(#name(value))
            }
            /// The wrapped value.
            pub fn get(&self) -> &#inner { &self.0 }
            /// Unwraps the value.
            pub fn into_inner(self) -> #inner { self.0 }
        }

        #from_inner
        #extra

        impl #rt::FieldValue for #name {
            fn read<'de, D: #rt::serde::Deserializer<'de>>(d: D, form: &mut ::core::option::Option<#rt::serde_json::Value>) -> ::core::result::Result<Self, D::Error> {
                let value = <#inner as #rt::FieldValue>::read(d, form)?;
                // Inside a value an enclosing check accepted, which holds these constraints.
                if #rt::prechecked() {
                    return ::core::result::Result::Ok(#name(value));
                }
                #name::new(value).map_err(|e| <D::Error as #rt::serde::de::Error>::custom(format_args!("{}: {}", #name_str, e)))
            }
            fn write<S: #rt::serde::Serializer>(&self, form: ::core::option::Option<&#rt::serde_json::Value>, s: S) -> ::core::result::Result<S::Ok, S::Error> {
                #rt::FieldValue::write(&self.0, form, s)
            }
            fn read_checked_items<'de, D: #rt::serde::Deserializer<'de>>(d: D, form: &mut ::core::option::Option<#rt::serde_json::Value>, schema: &'static #rt::BundledSchema, at: &'static #rt::SchemaAt) -> ::core::result::Result<::std::vec::Vec<Self>, D::Error> {
                #rt::read_leaf_items(d, form, schema, at)
            }
        }

        impl #rt::Leaf for #name {
            fn leaf<'s>(&'s self, form: ::core::option::Option<&'s #rt::serde_json::Value>) -> #rt::Tree<'s> {
                #rt::Leaf::leaf(&self.0, form)
            }
        }

        impl #rt::serde::Serialize for #name {
            fn serialize<S: #rt::serde::Serializer>(&self, s: S) -> ::core::result::Result<S::Ok, S::Error> {
                #rt::FieldValue::write(&self.0, ::core::option::Option::None, s)
            }
        }

        #deserialize
    }
}

fn string_parts(
    rt: &syn::Path,
    name: &syn::Ident,
    c: &ConstrainedAttr,
) -> (TokenStream, TokenStream) {
    let length = (c.min_length.is_some() || c.max_length.is_some()).then(|| {
        let min = opt_u64(c.min_length);
        let max = opt_u64(c.max_length);
        quote! { #rt::check_length(&value, #min, #max)?; }
    });
    let pattern = c.pattern.as_ref().map(|p| {
        // Compiled (or read as a simple pattern) once per type, not once per value.
        quote! {
            static PATTERN: ::std::sync::LazyLock<#rt::Pattern> =
                ::std::sync::LazyLock::new(|| #rt::Pattern::new(#p));
            PATTERN.check(&value)?;
        }
    });
    let format = c.format.as_ref().map(|f| {
        quote! { #rt::check_string_format(&value, #f)?; }
    });
    let check = quote! { #length #pattern #format };
    let extra = quote! {
        impl #name {
            /// The string.
            pub fn as_str(&self) -> &str { &self.0 }
        }
        impl ::std::ops::Deref for #name {
            type Target = str;
            fn deref(&self) -> &str { &self.0 }
        }
        impl ::core::convert::AsRef<str> for #name {
            fn as_ref(&self) -> &str { &self.0 }
        }
        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result { f.write_str(&self.0) }
        }
    };
    (check, extra)
}

fn number_parts(
    rt: &syn::Path,
    name: &syn::Ident,
    c: &ConstrainedAttr,
    scalar: Scalar,
) -> (TokenStream, TokenStream) {
    let as_f64 = match scalar {
        Scalar::F64 => quote! { value },
        _ => quote! { value as f64 },
    };
    let min = opt_f64(c.minimum);
    let max = opt_f64(c.maximum);
    let xmin = opt_f64(c.exclusive_minimum);
    let xmax = opt_f64(c.exclusive_maximum);
    let mult = opt_f64(c.multiple_of);
    let check = quote! {
        #rt::check_number(#as_f64, &#rt::NumberBounds {
            minimum: #min, maximum: #max, exclusive_minimum: #xmin, exclusive_maximum: #xmax, multiple_of: #mult,
        })?;
    };
    let extra = quote! {
        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result { ::std::fmt::Display::fmt(&self.0, f) }
        }
    };
    (check, extra)
}
