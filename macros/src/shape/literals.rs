//! `#[derive(Literals)]`: an enum of the values of an `enum` (or `const`) that are not all
//! strings: numbers, booleans, `null`, and strings among them. Each variant is marked with
//! its value as JSON text, `#[json("1")]`. A value is read by JSON equality (so `1.0` reads
//! as the variant of `1`) and its spelling is kept, so that encoding writes `1.0` again.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Data, DeriveInput, Fields};

use super::attr;
use crate::ctxt::Ctxt;

pub(crate) fn derive(input: &DeriveInput) -> TokenStream {
    let mut cx = Ctxt::new();
    let runtime = attr::runtime_only(&mut cx, &input.attrs, "literals");
    let Data::Enum(data) = &input.data else {
        cx.error_spanned_by(&input.ident, "#[derive(Literals)] is for enums");
        return cx.into_compile_errors().unwrap_or_default();
    };
    let mut variants = Vec::new();
    for variant in &data.variants {
        if !matches!(variant.fields, Fields::Unit) {
            cx.error_spanned_by(&variant.ident, "a Literals variant holds no data");
        }
        let Some(text) = attr::variant_value(&mut cx, variant) else {
            continue;
        };
        match serde_json::from_str::<serde_json::Value>(&text) {
            Ok(value) if !value.is_array() && !value.is_object() => {
                variants.push((&variant.ident, value))
            }
            Ok(_) => cx.error_spanned_by(
                &variant.ident,
                "a literal is a number, a string, a boolean or null",
            ),
            Err(e) => cx.error_spanned_by(&variant.ident, format!("the value is not JSON: {e}")),
        }
    }
    if let Some(errors) = cx.into_compile_errors() {
        return errors;
    }
    let rt = attr::runtime_path(runtime.as_ref());
    let name = &input.ident;
    let listed: Vec<String> = variants.iter().map(|(_, v)| v.to_string()).collect();
    let expected = format!("one of {}", listed.join(", "));
    let matches = variants.iter().map(|(ident, value)| {
        let text = value.to_string();
        let condition = match value {
            serde_json::Value::Null => quote! { value.is_null() },
            serde_json::Value::Bool(b) => {
                quote! { value.as_bool() == ::core::option::Option::Some(#b) }
            }
            serde_json::Value::String(s) => {
                quote! { value.as_str() == ::core::option::Option::Some(#s) }
            }
            _ => quote! { #rt::number_is(&value, #text) },
        };
        quote! {
            if #condition {
                if !#rt::is_spelled(&value, #text) {
                    *form = ::core::option::Option::Some(value);
                }
                return ::core::result::Result::Ok(#name::#ident);
            }
        }
    });
    let writes = variants.iter().map(|(ident, value)| {
        let write = match value {
            serde_json::Value::Null => quote! { s.serialize_unit() },
            serde_json::Value::Bool(b) => quote! { s.serialize_bool(#b) },
            serde_json::Value::String(text) => quote! { s.serialize_str(#text) },
            serde_json::Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
                (Some(u), _, _) => quote! { s.serialize_u64(#u) },
                (None, Some(i), _) => quote! { s.serialize_i64(#i) },
                (_, _, Some(f)) => quote! { s.serialize_f64(#f) },
                _ => quote! { s.serialize_unit() },
            },
            _ => quote! { s.serialize_unit() },
        };
        quote! { #name::#ident => #write, }
    });
    let values = variants.iter().map(|(ident, value)| {
        let text = value.to_string();
        quote! { #name::#ident => #text, }
    });
    quote! {
        impl #name {
            /// The value as JSON text, e.g. `1` or `true`.
            pub fn as_json(self) -> &'static str {
                match self { #( #values )* }
            }
        }

        impl #rt::FieldValue for #name {
            fn read<'de, D: #rt::serde::Deserializer<'de>>(d: D, form: &mut ::core::option::Option<#rt::serde_json::Value>) -> ::core::result::Result<Self, D::Error> {
                let value = #rt::serde::de::DeserializeSeed::deserialize(#rt::StrictVisitor, d)?;
                #( #matches )*
                ::core::result::Result::Err(<D::Error as #rt::serde::de::Error>::custom(format_args!("{value} is not {}", #expected)))
            }
            fn write<S: #rt::serde::Serializer>(&self, form: ::core::option::Option<&#rt::serde_json::Value>, s: S) -> ::core::result::Result<S::Ok, S::Error> {
                if let ::core::option::Option::Some(spelled) = form {
                    if #rt::json_is(spelled, self.as_json()) {
                        return #rt::serde::Serialize::serialize(spelled, s);
                    }
                }
                match self { #( #writes )* }
            }
        }

        impl #rt::serde::Serialize for #name {
            fn serialize<S: #rt::serde::Serializer>(&self, s: S) -> ::core::result::Result<S::Ok, S::Error> {
                #rt::FieldValue::write(self, ::core::option::Option::None, s)
            }
        }

        impl<'de> #rt::serde::Deserialize<'de> for #name {
            fn deserialize<D: #rt::serde::Deserializer<'de>>(d: D) -> ::core::result::Result<Self, D::Error> {
                let mut form = ::core::option::Option::None;
                <Self as #rt::FieldValue>::read(d, &mut form)
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_json())
            }
        }
    }
}
