//! The derive input as the checks see it: its contract and, for a view, its fields (or
//! variants) under the JSON names serde reads, with the shapes of their Rust types.

use proc_macro2::Span;
use syn::spanned::Spanned as _;
use syn::{Data, DeriveInput, Fields, GenericArgument, Ident, PathArguments, Type};

use crate::attr::{
    parse_contract, serde_container, serde_field, serde_variant, ContractAttr, SerdeContainer,
    SerdeField, SerdeVariant,
};
use crate::ctxt::Ctxt;

/// One derive input.
pub(crate) struct Input<'a> {
    /// The type's name.
    pub(crate) ident: &'a Ident,
    /// Its `#[contract]`.
    pub(crate) contract: ContractAttr,
    /// Its fields or variants.
    pub(crate) body: Body<'a>,
}

/// What the type is made of.
pub(crate) enum Body<'a> {
    /// A struct with named fields.
    Struct {
        /// Its serde attributes.
        container: SerdeContainer,
        /// Its fields.
        fields: Vec<ViewField<'a>>,
    },
    /// An enum.
    Enum {
        /// Its serde attributes.
        container: SerdeContainer,
        /// Its variants.
        variants: Vec<ViewVariant<'a>>,
    },
    /// A tuple or unit struct, or a union: fine for a generated type, never a view.
    Other {
        /// Where the type's kind shows.
        span: Span,
        /// What it is, for the error.
        what: &'static str,
    },
}

/// One field of a view.
pub(crate) struct ViewField<'a> {
    /// The field's name.
    pub(crate) ident: &'a Ident,
    /// Its type as written.
    pub(crate) ty: &'a Type,
    /// The JSON property it reads, after serde's renames.
    pub(crate) json: String,
    /// What its type can hold.
    pub(crate) shape: Shape,
    /// Its serde attributes.
    pub(crate) serde: SerdeField,
    /// Whether serde accepts the property missing: an `Option`, or a serde `default`.
    pub(crate) may_be_missing: bool,
}

/// One variant of an enum view.
pub(crate) struct ViewVariant<'a> {
    /// The variant's name.
    pub(crate) ident: &'a Ident,
    /// The JSON string it reads, after serde's renames.
    pub(crate) json: String,
    /// Whether it is a unit variant (the only kind a string can become).
    pub(crate) unit: bool,
    /// Its serde attributes.
    pub(crate) serde: SerdeVariant,
}

/// The shape of a Rust type, as far as the JSON values it can deserialize from go.
///
/// Types are recognised by the last segment of their path: a proc macro sees tokens, not
/// resolved types, so an alias of `u32` named `Quantity` is taken for a nested type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Shape {
    /// `Option<T>`.
    Option(Box<Shape>),
    /// `String`, `Box<str>`, `Arc<str>`, `Rc<str>`, `Cow<str>`.
    String,
    /// `&str`: cannot hold a string with escapes.
    BorrowedStr,
    /// `bool`.
    Bool,
    /// An integer type and the values it holds.
    Int {
        /// The type's name.
        name: &'static str,
        /// Its smallest value.
        min: i128,
        /// Its largest value (`u128` is cut to `i128::MAX`, more than any schema bound).
        max: i128,
    },
    /// `f32` or `f64`.
    Float {
        /// 32 or 64.
        bits: u8,
    },
    /// `char`.
    Char,
    /// `uuid::Uuid`.
    Uuid,
    /// `chrono::DateTime<_>`.
    DateTime,
    /// `serde_json::Value`: holds any JSON value.
    Value,
    /// `serde_json::Map`, `HashMap` or `BTreeMap` (string keys).
    Map {
        /// Whether its values are `serde_json::Value`, so that it holds any object.
        json_values: bool,
    },
    /// `Vec<T>` or `VecDeque<T>`.
    Vec(Box<Shape>),
    /// Any other path type, by its last segment: a nested view or a generated type.
    Named(String),
    /// Tuples, arrays, references other than `&str`, function pointers and the like.
    Unsupported,
}

impl Shape {
    /// The shape without an outer `Option`.
    pub(crate) fn without_option(&self) -> &Shape {
        match self {
            Shape::Option(inner) => inner,
            other => other,
        }
    }
}

/// Reads the derive input, recording mistakes in `cx`.
pub(crate) fn from_ast<'a>(cx: &mut Ctxt, input: &'a DeriveInput) -> Input<'a> {
    let contract = parse_contract(cx, &input.attrs);
    let body = match &input.data {
        Data::Struct(data) => match &data.fields {
            Fields::Named(named) => {
                let container = serde_container(&input.attrs);
                let fields = named
                    .named
                    .iter()
                    .filter_map(|f| {
                        let ident = f.ident.as_ref()?;
                        let serde = serde_field(&f.attrs);
                        let unraw = ident.to_string().trim_start_matches("r#").to_owned();
                        let json = match (&serde.rename, container.rename_all) {
                            (Some(name), _) => name.clone(),
                            (None, Some(rule)) => rule.apply_to_field(&unraw),
                            (None, None) => unraw,
                        };
                        let shape = shape_of(&f.ty);
                        let may_be_missing =
                            matches!(shape, Shape::Option(_)) || serde.default || container.default;
                        Some(ViewField {
                            ident,
                            ty: &f.ty,
                            json,
                            shape,
                            serde,
                            may_be_missing,
                        })
                    })
                    .collect();
                Body::Struct { container, fields }
            }
            Fields::Unnamed(fields) => Body::Other {
                span: fields.span(),
                what: "a tuple struct",
            },
            Fields::Unit => Body::Other {
                span: input.ident.span(),
                what: "a unit struct",
            },
        },
        Data::Enum(data) => {
            let container = serde_container(&input.attrs);
            let variants = data
                .variants
                .iter()
                .map(|v| {
                    let serde = serde_variant(&v.attrs);
                    let json = match (&serde.rename, container.rename_all) {
                        (Some(name), _) => name.clone(),
                        (None, Some(rule)) => rule.apply_to_variant(&v.ident.to_string()),
                        (None, None) => v.ident.to_string(),
                    };
                    ViewVariant {
                        ident: &v.ident,
                        json,
                        unit: matches!(v.fields, Fields::Unit),
                        serde,
                    }
                })
                .collect();
            Body::Enum {
                container,
                variants,
            }
        }
        Data::Union(data) => Body::Other {
            span: data.union_token.span,
            what: "a union",
        },
    };
    Input {
        ident: &input.ident,
        contract,
        body,
    }
}

/// The shape of a type as written.
pub(crate) fn shape_of(ty: &Type) -> Shape {
    match ty {
        Type::Group(g) => shape_of(&g.elem),
        Type::Paren(p) => shape_of(&p.elem),
        Type::Reference(r) if is_str(&r.elem) => Shape::BorrowedStr,
        Type::Path(p) if p.qself.is_none() => {
            let Some(last) = p.path.segments.last() else {
                return Shape::Unsupported;
            };
            let args = type_args(&last.arguments);
            let one = || args.first().map(|t| shape_of(t));
            match (last.ident.to_string().as_str(), args.len()) {
                ("Option", 1) => one().map_or(Shape::Unsupported, |s| Shape::Option(Box::new(s))),
                ("String", 0) => Shape::String,
                ("Box" | "Arc" | "Rc" | "Cow", 1) if args.first().is_some_and(|t| is_str(t)) => {
                    Shape::String
                }
                ("Box" | "Arc" | "Rc" | "Cow", 1) => one().unwrap_or(Shape::Unsupported),
                ("bool", 0) => Shape::Bool,
                ("char", 0) => Shape::Char,
                ("f32", 0) => Shape::Float { bits: 32 },
                ("f64", 0) => Shape::Float { bits: 64 },
                ("Uuid", 0) => Shape::Uuid,
                ("DateTime", 1) => Shape::DateTime,
                ("Value", 0) => Shape::Value,
                ("Map" | "HashMap" | "BTreeMap", 2) => Shape::Map {
                    json_values: args.get(1).is_some_and(|v| shape_of(v) == Shape::Value),
                },
                ("Vec" | "VecDeque", 1) => {
                    one().map_or(Shape::Unsupported, |s| Shape::Vec(Box::new(s)))
                }
                (name, 0) => int_shape(name).unwrap_or_else(|| Shape::Named(name.to_owned())),
                (name, _) => Shape::Named(name.to_owned()),
            }
        }
        _ => Shape::Unsupported,
    }
}

fn is_str(ty: &Type) -> bool {
    matches!(ty, Type::Path(p) if p.qself.is_none() && p.path.is_ident("str"))
}

fn type_args(arguments: &PathArguments) -> Vec<&Type> {
    match arguments {
        PathArguments::AngleBracketed(a) => a
            .args
            .iter()
            .filter_map(|arg| match arg {
                GenericArgument::Type(t) => Some(t),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn int_shape(name: &str) -> Option<Shape> {
    let (name, min, max): (&'static str, i128, i128) = match name {
        "i8" => ("i8", i8::MIN.into(), i8::MAX.into()),
        "i16" => ("i16", i16::MIN.into(), i16::MAX.into()),
        "i32" => ("i32", i32::MIN.into(), i32::MAX.into()),
        "i64" => ("i64", i64::MIN.into(), i64::MAX.into()),
        "i128" => ("i128", i128::MIN, i128::MAX),
        "u8" => ("u8", 0, u8::MAX.into()),
        "u16" => ("u16", 0, u16::MAX.into()),
        "u32" => ("u32", 0, u32::MAX.into()),
        "u64" => ("u64", 0, u64::MAX.into()),
        "u128" => ("u128", 0, i128::MAX),
        // The target's pointer width is unknown here; 32 bits is what every target has.
        "isize" => ("isize", i32::MIN.into(), i32::MAX.into()),
        "usize" => ("usize", 0, u32::MAX.into()),
        _ => return None,
    };
    Some(Shape::Int { name, min, max })
}

/// A type as a person writes it: `Option<String>`, not `Option < String >`.
pub(crate) fn type_text(ty: &Type) -> String {
    let raw = quote::quote!(#ty).to_string();
    raw.replace(" :: ", "::")
        .replace(":: ", "::")
        .replace(" <", "<")
        .replace("< ", "<")
        .replace(" >", ">")
        .replace(" ,", ",")
        .replace("& ", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(text: &str) -> Shape {
        match syn::parse_str::<Type>(text) {
            Ok(ty) => shape_of(&ty),
            Err(e) => panic!("the test type {text:?} does not parse: {e}"),
        }
    }

    #[test]
    fn shapes_are_recognised_by_name() {
        assert_eq!(shape("String"), Shape::String);
        assert_eq!(shape("std::sync::Arc<str>"), Shape::String);
        assert_eq!(shape("std::borrow::Cow<'a, str>"), Shape::String);
        assert_eq!(shape("&'a str"), Shape::BorrowedStr);
        assert_eq!(
            shape("Option<u32>"),
            Shape::Option(Box::new(Shape::Int {
                name: "u32",
                min: 0,
                max: 4_294_967_295
            }))
        );
        assert_eq!(shape("chrono::DateTime<chrono::Utc>"), Shape::DateTime);
        assert_eq!(shape("uuid::Uuid"), Shape::Uuid);
        assert_eq!(
            shape("serde_json::Map<String, serde_json::Value>"),
            Shape::Map { json_values: true }
        );
        assert_eq!(
            shape("HashMap<String, u8>"),
            Shape::Map { json_values: false }
        );
        assert_eq!(
            shape("Vec<Box<Item>>"),
            Shape::Vec(Box::new(Shape::Named("Item".to_owned())))
        );
        assert_eq!(shape("(u8, u8)"), Shape::Unsupported);
        assert_eq!(shape("[u8; 4]"), Shape::Unsupported);
    }

    #[test]
    fn types_print_as_written() {
        let ty: Type = syn::parse_quote!(Option<chrono::DateTime<chrono::Utc>>);
        assert_eq!(type_text(&ty), "Option<chrono::DateTime<chrono::Utc>>");
        let ty: Type = syn::parse_quote!(&'a str);
        assert_eq!(type_text(&ty), "&'a str");
    }
}
