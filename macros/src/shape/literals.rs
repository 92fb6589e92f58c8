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
    // Read with a visitor of each JSON type: a string or a number is compared where the
    // deserializer hands it over, with nothing allocated unless its spelling must be kept.
    let strings = variants.iter().filter_map(|(ident, value)| {
        let text = value.as_str()?;
        Some(quote! { #text => ::core::result::Result::Ok(#name::#ident), })
    });
    let booleans = variants.iter().filter_map(|(ident, value)| {
        let b = value.as_bool()?;
        Some(quote! { if v == #b { return ::core::result::Result::Ok(#name::#ident); } })
    });
    let null = match variants.iter().find(|(_, value)| value.is_null()) {
        Some((ident, _)) => quote! { ::core::result::Result::Ok(#name::#ident) },
        None => quote! { ::core::result::Result::Err(#rt::not_a_literal("null", #expected)) },
    };
    let numbers = variants.iter().filter_map(|(ident, value)| {
        let n = value.as_number()?;
        let literal = match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => {
                let u = i128::from(u);
                quote! { #rt::LiteralNumber::Int(#u) }
            }
            (None, Some(i), _) => {
                let i = i128::from(i);
                quote! { #rt::LiteralNumber::Int(#i) }
            }
            (_, _, Some(f)) => quote! { #rt::LiteralNumber::Float(#f) },
            _ => return None,
        };
        Some(quote! {
            if n.equals(#literal) {
                // Spelled as the literal is, unless one is written as a float and the other
                // not (`1.0` for `1`): then the spelling is kept for encoding.
                if n.is_float() != #literal.is_float() {
                    *self.0 = ::core::option::Option::Some(n.to_value());
                }
                return ::core::result::Result::Ok(#name::#ident);
            }
        })
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
    let serde = attr::serde_by_field_value(&rt, name);
    quote! {
        impl #name {
            /// The value as JSON text, e.g. `1` or `true`.
            pub fn as_json(self) -> &'static str {
                match self { #( #values )* }
            }
        }

        impl #rt::FieldValue for #name {
            fn read<'de, D: #rt::serde::Deserializer<'de>>(d: D, form: &mut ::core::option::Option<#rt::serde_json::Value>) -> ::core::result::Result<Self, D::Error> {
                struct Visit<'f>(&'f mut ::core::option::Option<#rt::serde_json::Value>);
                impl Visit<'_> {
                    fn number<E: #rt::serde::de::Error>(self, n: #rt::LiteralNumber) -> ::core::result::Result<#name, E> {
                        #( #numbers )*
                        ::core::result::Result::Err(#rt::not_a_literal(n, #expected))
                    }
                }
                impl<'de> #rt::serde::de::Visitor<'de> for Visit<'_> {
                    type Value = #name;
                    fn expecting(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                        f.write_str(#expected)
                    }
                    fn visit_bool<E: #rt::serde::de::Error>(self, v: bool) -> ::core::result::Result<#name, E> {
                        #( #booleans )*
                        ::core::result::Result::Err(#rt::not_a_literal(v, #expected))
                    }
                    fn visit_str<E: #rt::serde::de::Error>(self, v: &str) -> ::core::result::Result<#name, E> {
                        match v {
                            #( #strings )*
                            _ => ::core::result::Result::Err(#rt::not_a_literal(#rt::serde_json::Value::from(v), #expected)),
                        }
                    }
                    fn visit_unit<E: #rt::serde::de::Error>(self) -> ::core::result::Result<#name, E> {
                        #null
                    }
                    fn visit_u64<E: #rt::serde::de::Error>(self, v: u64) -> ::core::result::Result<#name, E> {
                        self.number(#rt::LiteralNumber::Int(i128::from(v)))
                    }
                    fn visit_i64<E: #rt::serde::de::Error>(self, v: i64) -> ::core::result::Result<#name, E> {
                        self.number(#rt::LiteralNumber::Int(i128::from(v)))
                    }
                    fn visit_f64<E: #rt::serde::de::Error>(self, v: f64) -> ::core::result::Result<#name, E> {
                        self.number(#rt::LiteralNumber::Float(v))
                    }
                }
                #rt::serde::Deserializer::deserialize_any(d, Visit(form))
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

        #serde

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_json())
            }
        }
    }
}
