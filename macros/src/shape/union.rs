//! `#[derive(Union)]`: an enum of the shapes an `anyOf`, a `oneOf` or a `type` list allows,
//! one tuple variant per branch.
//!
//! `#[union(schema = "...", at = "...", one_of | any_of | types, tag = "...", exact | bare)]`
//! says where the union's subschema is and how a value finds its variant; each variant says its
//! branch's subschema (`at`), its tag value (`tag`, as JSON) or its JSON type
//! (`json_type`). Reading a value:
//! 1. reads it into a `Tree` and checks it against the union's subschema, so that a value
//!    the schema refuses (one that matches two `oneOf` branches, say) is refused (skipped
//!    inside a value an enclosing check already checked, see `__private::prechecked`, and
//!    for an `exact` union: a tagged one whose variants' types check all their branches
//!    say, where the variant's own read decides);
//! 2. chooses the variant: by the tag property's value; by the value's JSON type; or the
//!    first branch, in schema order, whose subschema accepts the value;
//! 3. reads that variant's type from the tree; the variant's value satisfies its branch
//!    (a tag tells the one branch that can accept the value, every branch requiring its
//!    own tag value), so checked types inside it skip their checks.
//!
//! A `bare` union (`one_of` or `any_of` whose subschema is the combinator alone, one
//! variant per branch in order, each with its `at`: what the generator emits for every
//! such union that is not `exact`) merges steps 1 and 2: the variant is chosen first (by
//! its tag, or as the first branch that accepts the value), and the choice is the union's
//! check: the chosen branch accepts the value and, for `oneOf`, no later branch does. The
//! union's subschema is checked only to word the error of a value that fails that.
//!
//! An untagged `bare` union some of whose variants are `exact` (`#[variant(exact)]`, or
//! `requires`: the variant's read is its branch's whole check) tries those reads instead
//! of checking their branches: in schema order, each read from the tree with its error
//! unworded (`TreeDeserializer::for_verdict`, `ErrorsUnreadGuard`) and with its checks on
//! even inside a checked value; the first that succeeds is kept, and for `oneOf` a later
//! branch that also accepts the value makes it invalid. A branch whose required member
//! the value lacks is skipped unread.
//!
//! An `exact` tagged union whose value starts with the tag skips the tree: it reads the
//! first member ahead (`__private::Replay`), and when that is the tag, reads the variant it
//! names straight from the input, the member read ahead first. Any other value (the tag
//! later, or absent) takes the steps above.
//!
//! An `exact` union of `types` (each variant's type holds all the schema says of values of
//! its JSON type) takes none of them: the JSON type the deserializer reports picks the
//! variant, which reads straight from the scalar or the object's or array's access. So
//! does an untagged `exact` `one_of` or `any_of`, whose every variant names its branch's
//! one JSON type (`json_type`), no two branches sharing a value: the variant of the
//! value's type is the only branch that can accept it, and its read is that branch's
//! check (so `one_of` is `any_of`).
//!
//! Writing a value writes its variant. Every variant whose type no other variant has gets
//! a `From` impl.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Data, DeriveInput, Fields, LitStr, Type};

use super::attr::{self, SchemaAt};
use crate::ctxt::Ctxt;

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    OneOf,
    AnyOf,
    Types,
}

struct VariantInfo<'a> {
    ident: &'a syn::Ident,
    ty: &'a Type,
    at: Option<String>,
    tag: Option<serde_json::Value>,
    json_type: Option<String>,
    /// The members its branch requires, when its branch accepts only objects and its read
    /// is its branch's whole check (an untagged `bare` union's variant).
    requires: Option<Vec<String>>,
    /// Whether its read is its branch's whole check (an untagged `bare` union's variant
    /// marked `exact`, or one with `requires`): the union tries the read instead of
    /// checking the branch.
    exact: bool,
}

pub(crate) fn derive(input: &DeriveInput) -> TokenStream {
    let mut cx = Ctxt::new();
    let mut schema = None;
    let mut at = None;
    let mut kind = None;
    let mut tag = None;
    let mut exact = false;
    let mut bare = false;
    let mut runtime = None;
    attr::each(&mut cx, &input.attrs, "union", |meta| {
        if meta.path.is_ident("schema") {
            let lit = meta.value()?.parse::<LitStr>()?;
            schema = Some(lit.parse::<syn::Path>()?);
        } else if meta.path.is_ident("at") {
            at = Some(meta.value()?.parse::<LitStr>()?.value());
        } else if meta.path.is_ident("one_of") {
            kind = Some(Kind::OneOf);
        } else if meta.path.is_ident("any_of") {
            kind = Some(Kind::AnyOf);
        } else if meta.path.is_ident("types") {
            kind = Some(Kind::Types);
        } else if meta.path.is_ident("tag") {
            tag = Some(meta.value()?.parse::<LitStr>()?.value());
        } else if meta.path.is_ident("exact") {
            exact = true;
        } else if meta.path.is_ident("bare") {
            bare = true;
        } else if meta.path.is_ident("runtime") {
            runtime = Some(attr::path_string(meta)?);
        } else {
            return Err(meta.error(
                    "unknown key; #[union] takes schema, at, one_of, any_of, types, tag, exact, bare and runtime",
                ));
        }
        Ok(())
    });
    let Data::Enum(data) = &input.data else {
        cx.error_spanned_by(&input.ident, "#[derive(Union)] is for enums");
        return cx.into_compile_errors().unwrap_or_default();
    };
    let (Some(schema), Some(kind)) = (schema, kind) else {
        cx.error_spanned_by(
            &input.ident,
            "#[union(...)] needs `schema = \"path::to::SCHEMA\"` and one of one_of, any_of, types",
        );
        return cx.into_compile_errors().unwrap_or_default();
    };
    let union_at = SchemaAt {
        schema,
        at: at.unwrap_or_default(),
    };
    let mut variants = Vec::new();
    for variant in &data.variants {
        let ty = match &variant.fields {
            Fields::Unnamed(f) if f.unnamed.len() == 1 => f.unnamed.first().map(|f| &f.ty),
            _ => None,
        };
        let Some(ty) = ty else {
            cx.error_spanned_by(
                &variant.ident,
                "a Union variant holds one value: `Name(Type)`",
            );
            continue;
        };
        let mut info = VariantInfo {
            ident: &variant.ident,
            ty,
            at: None,
            tag: None,
            json_type: None,
            requires: None,
            exact: false,
        };
        attr::each(&mut cx, &variant.attrs, "variant", |meta| {
            if meta.path.is_ident("at") {
                info.at = Some(meta.value()?.parse::<LitStr>()?.value());
            } else if meta.path.is_ident("tag") {
                let lit = meta.value()?.parse::<LitStr>()?;
                info.tag = Some(serde_json::from_str(&lit.value()).map_err(|e| {
                    syn::Error::new(lit.span(), format!("the tag is not JSON: {e}"))
                })?);
            } else if meta.path.is_ident("json_type") {
                info.json_type = Some(meta.value()?.parse::<LitStr>()?.value());
            } else if meta.path.is_ident("requires") {
                let lit = meta.value()?.parse::<LitStr>()?;
                info.requires = Some(serde_json::from_str(&lit.value()).map_err(|e| {
                    syn::Error::new(
                        lit.span(),
                        format!("`requires` is a JSON array of member names: {e}"),
                    )
                })?);
            } else if meta.path.is_ident("exact") {
                info.exact = true;
            } else {
                return Err(meta.error(
                    "unknown key; #[variant] takes at, tag, json_type, requires and exact",
                ));
            }
            Ok(())
        });
        let chosen = match kind {
            Kind::Types => info.json_type.is_some(),
            _ if tag.is_some() => info.tag.is_some(),
            _ => info.at.is_some(),
        };
        if !chosen {
            cx.error_spanned_by(
                &variant.ident,
                "the variant does not say how it is chosen: `json_type` in a union of types, `tag` in a tagged union, else `at`",
            );
        }
        info.exact |= info.requires.is_some();
        variants.push(info);
    }
    if exact && tag.is_none() && kind != Kind::Types {
        for v in variants.iter().filter(|v| v.json_type.is_none()) {
            cx.error_spanned_by(
                v.ident,
                "in an untagged `exact` union every variant says its branch's one JSON type: `json_type` (the JSON type picks the one branch that can accept a value)",
            );
        }
    }
    if bare && (kind == Kind::Types || exact) {
        cx.error_spanned_by(
            &input.ident,
            "`bare` is for a `one_of` or `any_of` that is not `exact`: its branches decide the union's check",
        );
    }
    if !bare || tag.is_some() {
        for v in variants.iter().filter(|v| v.requires.is_some()) {
            cx.error_spanned_by(
                v.ident,
                "`requires` is for a variant of an untagged `bare` union: the members without which its branch refuses a value",
            );
        }
        for v in variants.iter().filter(|v| v.exact && v.requires.is_none()) {
            cx.error_spanned_by(
                v.ident,
                "`exact` on a variant is for an untagged `bare` union: the variant's read is its branch's whole check",
            );
        }
    }
    if bare && kind != Kind::Types {
        for v in variants.iter().filter(|v| v.at.is_none()) {
            cx.error_spanned_by(
                v.ident,
                "in a `bare` union every variant says where its branch is: `at`",
            );
        }
    }
    if let Some(errors) = cx.into_compile_errors() {
        return errors;
    }
    let rt = attr::runtime_path(runtime.as_ref());
    let how = How { kind, exact, bare };
    expand(&rt, &input.ident, &union_at, how, tag.as_deref(), &variants)
}

/// A condition on `value` (any `Instance`: a `Tree` or a `Value`) that it equals the JSON
/// literal `literal`.
fn equals(rt: &syn::Path, literal: &serde_json::Value) -> TokenStream {
    match literal {
        serde_json::Value::Null => quote! { #rt::Instance::is_null(value) },
        serde_json::Value::Bool(b) => {
            quote! { #rt::Instance::as_bool(value) == ::core::option::Option::Some(#b) }
        }
        serde_json::Value::String(s) => {
            quote! { #rt::Instance::as_str(value) == ::core::option::Option::Some(#s) }
        }
        serde_json::Value::Number(n) => {
            let text = n.to_string();
            quote! { #rt::number_is(value, #text) }
        }
        other => {
            let text = other.to_string();
            quote! { #rt::json_is(value, #text) }
        }
    }
}

/// A condition on `value` (any `Instance`) that it has the JSON type `name`.
fn has_type(rt: &syn::Path, json_type: &str) -> TokenStream {
    match json_type {
        "null" => quote! { #rt::Instance::is_null(value) },
        "boolean" => quote! { #rt::Instance::is_bool(value) },
        "string" => quote! { #rt::Instance::as_str(value).is_some() },
        "array" => quote! { #rt::Instance::items(value).is_some() },
        "object" => quote! { #rt::Instance::members(value).is_some() },
        "number" => quote! { #rt::Instance::as_number(value).is_some() },
        // Draft-07 counts 1.0 as an integer.
        _ => quote! {
            #rt::Instance::as_number(value).is_some_and(|n| n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0))
        },
    }
}

/// How a union reads: what it is of, and what decides its check.
#[derive(Clone, Copy)]
struct How {
    kind: Kind,
    /// The variants' own reads decide (a tagged union of exact types, or a union of
    /// `types` whose variants hold their types' parts of the schema).
    exact: bool,
    /// The union's subschema is its combinator alone over the variants' branches, in
    /// order: choosing the variant decides the check.
    bare: bool,
}

/// Each variant's branch, as a `static` place in the union's schema, in variant order.
fn branch_ats(rt: &syn::Path, variants: &[VariantInfo<'_>]) -> Vec<TokenStream> {
    variants
        .iter()
        .map(|v| attr::schema_at(rt, v.at.as_deref().unwrap_or("")))
        .collect()
}

/// The `match chosen` arm that reads variant `i` from the tree, its spelling into `form`.
fn read_arm(rt: &syn::Path, name: &syn::Ident, i: usize, v: &VariantInfo<'_>) -> TokenStream {
    let ident = v.ident;
    let ty = v.ty;
    quote! {
        ::core::option::Option::Some(#i) => <#ty as #rt::FieldValue>::read(#rt::TreeDeserializer::new(value), form)
            .map(#name::#ident)
            .map_err(|e| e.to_string()),
    }
}

/// The body of a `bare` union's `__from_tree`: the variant is chosen (by its tag, or as
/// the first branch that accepts the value), and that choice decides the union's check,
/// which is the combinator alone: the chosen branch accepts the value (known already when
/// it was chosen by trying the branches) and, for `oneOf`, no later branch does (a tag
/// rules the others out: each branch requires its own tag value). Only a value that no
/// variant holds, or that two `oneOf` branches accept, is checked against the union's
/// subschema, for the message. The variant is read with the checks below it skipped,
/// which its branch's acceptance implies.
fn bare_from_tree(
    rt: &syn::Path,
    name: &syn::Ident,
    union_at: &SchemaAt,
    kind: Kind,
    tag: Option<&str>,
    variants: &[VariantInfo<'_>],
) -> TokenStream {
    if tag.is_none() && variants.iter().any(|v| v.exact) {
        return by_reads(rt, name, union_at, kind, variants);
    }
    let schema = &union_at.schema;
    let whole_at = attr::schema_at(rt, &union_at.at);
    let name_str = name.to_string();
    let count = variants.len();
    let ats = branch_ats(rt, variants);
    let arms = variants
        .iter()
        .enumerate()
        .map(|(i, v)| read_arm(rt, name, i, v));
    let (choose, holds) = match tag {
        Some(tag) => {
            let picks = variants.iter().enumerate().map(|(i, v)| {
                let eq = v
                    .tag
                    .as_ref()
                    .map(|t| equals(rt, t))
                    .unwrap_or_else(|| quote! { false });
                quote! { if #eq { ::core::option::Option::Some(#i) } else }
            });
            (
                quote! {
                    let tag_value = #rt::Instance::get(value, #tag).unwrap_or(&#rt::Tree::Null);
                    let chosen: ::core::option::Option<usize> = {
                        let value = tag_value;
                        #( #picks )* { ::core::option::Option::None }
                    };
                },
                quote! { #schema.is_valid_at(ats[i], value) },
            )
        }
        None => (
            quote! {
                let chosen = ats.iter().position(|at| #schema.is_valid_at(at, value));
            },
            match kind {
                Kind::OneOf => quote! {
                    !ats[i + 1..].iter().any(|at| #schema.is_valid_at(at, value))
                },
                _ => quote! { true },
            },
        ),
    };
    quote! {
        let ats: [&'static #rt::SchemaAt; #count] = [ #( #ats ),* ];
        #choose
        if !#rt::prechecked() {
            let holds = match chosen {
                ::core::option::Option::Some(i) => #holds,
                ::core::option::Option::None => false,
            };
            if !holds {
                #schema.check_at(#whole_at, value)?;
            }
        }
        let _checked = #rt::PrecheckedGuard::enter();
        match chosen {
            #( #arms )*
            _ => ::core::result::Result::Err(::std::format!("no variant of {} holds the value", #name_str)),
        }
    }
}

/// The body of an untagged `bare` union's `__from_tree` when some variants are `exact`
/// (their read is their branch's whole check): the branches are tried in schema order, an
/// exact variant by reading it from the tree (the value it reads is kept), any other by
/// checking its branch. A branch that requires a member the value lacks (`requires`) is
/// skipped unread. For `oneOf`, the later branches are tried too, and one that accepts the
/// value makes it invalid. A value that no branch accepts, or that two `oneOf` branches
/// accept, is checked against the union's subschema for the message, as in
/// [`bare_from_tree`]; no interpreted check runs for a value an exact variant reads.
fn by_reads(
    rt: &syn::Path,
    name: &syn::Ident,
    union_at: &SchemaAt,
    kind: Kind,
    variants: &[VariantInfo<'_>],
) -> TokenStream {
    let schema = &union_at.schema;
    let whole_at = attr::schema_at(rt, &union_at.at);
    let name_str = name.to_string();
    let count = variants.len();
    let ats = branch_ats(rt, variants);
    let opens = variants.iter().map(|v| match &v.requires {
        Some(names) => quote! {
            [ #( #names ),* ].iter().all(|k| #rt::Instance::get(value, k).is_some())
        },
        None => quote! { true },
    });
    // Each exact variant's read is a function of its own, writing what it read into the
    // caller's slot: the body then holds one union value, not a temporary of every
    // variant's type (unoptimized builds give each its own stack slot, and a union of
    // large structs would overflow the stack in one frame).
    let readers = variants.iter().enumerate().filter(|(_, v)| v.exact).map(|(i, v)| {
        let ident = v.ident;
        let ty = v.ty;
        let reader = quote::format_ident!("__read_{}", i);
        quote! {
            #[inline(never)]
            fn #reader(value: &#rt::Tree<'_>, read: &mut ::core::option::Option<(#name, ::core::option::Option<#rt::serde_json::Value>)>) -> bool {
                let mut spelling = ::core::option::Option::None;
                match <#ty as #rt::FieldValue>::read(#rt::TreeDeserializer::for_verdict(value), &mut spelling) {
                    ::core::result::Result::Ok(v) => {
                        *read = ::core::option::Option::Some((#name::#ident(v), spelling));
                        true
                    }
                    ::core::result::Result::Err(_) => false,
                }
            }
        }
    });
    let tries = variants.iter().enumerate().map(|(i, v)| {
        let test = if v.exact {
            let reader = quote::format_ident!("__read_{}", i);
            quote! { #reader(value, &mut read) }
        } else {
            quote! { #schema.is_valid_at(ats[#i], value) }
        };
        quote! {
            if chosen.is_none() && open[#i] && #test {
                chosen = ::core::option::Option::Some(#i);
            }
        }
    });
    let accepts = variants.iter().enumerate().map(|(i, v)| {
        if v.exact {
            let reader = quote::format_ident!("__read_{}", i);
            quote! { #i => #reader(value, &mut scratch), }
        } else {
            quote! { #i => #schema.is_valid_at(ats[#i], value), }
        }
    });
    let holds = match kind {
        Kind::OneOf => quote! {
            // Exactly one: no later branch may accept the value.
            let accepts = |j: usize| -> bool {
                let mut scratch = ::core::option::Option::None;
                match j {
                    #( #accepts )*
                    _ => false,
                }
            };
            !(i + 1..#count).any(|j| open[j] && accepts(j))
        },
        _ => quote! { true },
    };
    let explain = variants
        .iter()
        .enumerate()
        .filter(|(_, v)| v.exact)
        .map(|(i, v)| {
            let ident = v.ident.to_string();
            let ty = v.ty;
            quote! {
                if open[#i] && #schema.is_valid_at(ats[#i], value) {
                    if let ::core::option::Option::Some(why) = #rt::why_unheld::<#ty>(value) {
                        return ::core::result::Result::Err(::std::format!(
                            "no variant of {} holds the value; its branch {} accepts it, but {}",
                            #name_str, #ident, why
                        ));
                    }
                }
            }
        });
    // An exact variant that was chosen has been read already.
    let arms = variants
        .iter()
        .enumerate()
        .filter(|(_, v)| !v.exact)
        .map(|(i, v)| read_arm(rt, name, i, v));
    quote! {
        #( #readers )*
        let ats: [&'static #rt::SchemaAt; #count] = [ #( #ats ),* ];
        // A branch that requires a member the value lacks refuses it.
        let open: [bool; #count] = [ #( #opens ),* ];
        let mut chosen: ::core::option::Option<usize> = ::core::option::Option::None;
        let mut read: ::core::option::Option<(#name, ::core::option::Option<#rt::serde_json::Value>)> = ::core::option::Option::None;
        let prechecked = #rt::prechecked();
        let holds = {
            // An exact variant's read is its branch's check only when it checks: inside a
            // value an enclosing check accepted, a constrained type would take any value.
            // Its error is dropped unread, so none is worded.
            let _reads_check = #rt::PrecheckedGuard::leave();
            let _verdicts = #rt::ErrorsUnreadGuard::enter();
            #( #tries )*
            prechecked || match chosen {
                ::core::option::Option::Some(i) => { #holds }
                ::core::option::Option::None => false,
            }
        };
        if !holds {
            #schema.check_at(#whole_at, value)?;
        }
        if let ::core::option::Option::Some((v, spelling)) = read {
            *form = spelling;
            return ::core::result::Result::Ok(v);
        }
        let _checked = #rt::PrecheckedGuard::enter();
        match chosen {
            #( #arms )*
            _ => {
                // The union's check accepted the value, yet no variant read it: a branch
                // accepts what its Rust type cannot hold. Its read says what, and where.
                #( #explain )*
                ::core::result::Result::Err(::std::format!("no variant of {} holds the value", #name_str))
            }
        }
    }
}

/// The read of an `exact` union of `types`: the value's JSON type, as the deserializer
/// reports it, picks the one variant that can hold it, which is read straight from what
/// the deserializer hands over (a scalar, or the object's or array's access), with no tree
/// and no check of the union: the variant's read checks all the schema says of its type.
/// A whole float picks the `integer` variant (draft-07 counts `1.0` as an integer; the
/// variant keeps its spelling); a type with no variant is refused as serde refuses it.
fn by_json_type(rt: &syn::Path, name: &syn::Ident, variants: &[VariantInfo<'_>]) -> TokenStream {
    let variant = |json_type: &str| {
        variants
            .iter()
            .find(|v| v.json_type.as_deref() == Some(json_type))
    };
    let read = |v: &VariantInfo<'_>, d: TokenStream| {
        let ident = v.ident;
        let ty = v.ty;
        quote! { <#ty as #rt::FieldValue>::read(#d, self.0).map(#name::#ident) }
    };
    let de = quote! { #rt::serde::de::value };
    let mut methods = Vec::new();
    if let Some(v) = variant("boolean") {
        let body = read(v, quote! { #de::BoolDeserializer::<E>::new(v) });
        methods.push(quote! {
            fn visit_bool<E: #rt::serde::de::Error>(self, v: bool) -> ::core::result::Result<#name, E> { #body }
        });
    }
    if let Some(v) = variant("string") {
        let borrowed = read(v, quote! { #de::BorrowedStrDeserializer::<E>::new(v) });
        let text = read(v, quote! { #de::StrDeserializer::<E>::new(v) });
        let owned = read(v, quote! { #de::StringDeserializer::<E>::new(v) });
        methods.push(quote! {
            fn visit_borrowed_str<E: #rt::serde::de::Error>(self, v: &'de str) -> ::core::result::Result<#name, E> { #borrowed }
            fn visit_str<E: #rt::serde::de::Error>(self, v: &str) -> ::core::result::Result<#name, E> { #text }
            fn visit_string<E: #rt::serde::de::Error>(self, v: ::std::string::String) -> ::core::result::Result<#name, E> { #owned }
        });
    }
    // The model keeps `integer` only where there is no `number` (which holds integers).
    if let Some(v) = variant("integer").or_else(|| variant("number")) {
        let unsigned = read(v, quote! { #de::U64Deserializer::<E>::new(v) });
        let signed = read(v, quote! { #de::I64Deserializer::<E>::new(v) });
        let float = read(v, quote! { #de::F64Deserializer::<E>::new(v) });
        let float = if v.json_type.as_deref() == Some("integer") {
            quote! {
                if v.fract() == 0.0 {
                    #float
                } else {
                    ::core::result::Result::Err(E::invalid_type(#rt::serde::de::Unexpected::Float(v), &self))
                }
            }
        } else {
            float
        };
        methods.push(quote! {
            fn visit_u64<E: #rt::serde::de::Error>(self, v: u64) -> ::core::result::Result<#name, E> { #unsigned }
            fn visit_i64<E: #rt::serde::de::Error>(self, v: i64) -> ::core::result::Result<#name, E> { #signed }
            fn visit_f64<E: #rt::serde::de::Error>(self, v: f64) -> ::core::result::Result<#name, E> { #float }
        });
    }
    if let Some(v) = variant("object") {
        let body = read(v, quote! { #de::MapAccessDeserializer::new(map) });
        methods.push(quote! {
            fn visit_map<A: #rt::serde::de::MapAccess<'de>>(self, map: A) -> ::core::result::Result<#name, A::Error> { #body }
        });
    }
    if let Some(v) = variant("array") {
        let body = read(v, quote! { #de::SeqAccessDeserializer::new(seq) });
        methods.push(quote! {
            fn visit_seq<A: #rt::serde::de::SeqAccess<'de>>(self, seq: A) -> ::core::result::Result<#name, A::Error> { #body }
        });
    }
    if let Some(v) = variant("null") {
        let body = read(v, quote! { #de::UnitDeserializer::<E>::new() });
        methods.push(quote! {
            fn visit_unit<E: #rt::serde::de::Error>(self) -> ::core::result::Result<#name, E> { #body }
        });
    }
    let names: Vec<&str> = variants
        .iter()
        .filter_map(|v| v.json_type.as_deref())
        .collect();
    let expecting = format!("a value of one of the JSON types {}", names.join(", "));
    quote! {
        fn read<'de, D: #rt::serde::Deserializer<'de>>(d: D, form: &mut ::core::option::Option<#rt::serde_json::Value>) -> ::core::result::Result<Self, D::Error> {
            struct Visit<'f>(&'f mut ::core::option::Option<#rt::serde_json::Value>);
            impl<'de> #rt::serde::de::Visitor<'de> for Visit<'_> {
                type Value = #name;
                fn expecting(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                    f.write_str(#expecting)
                }
                #( #methods )*
            }
            d.deserialize_any(Visit(form))
        }
    }
}

fn expand(
    rt: &syn::Path,
    name: &syn::Ident,
    union_at: &SchemaAt,
    how: How,
    tag: Option<&str>,
    variants: &[VariantInfo<'_>],
) -> TokenStream {
    let How { kind, exact, bare } = how;
    let schema = &union_at.schema;
    let whole_at = attr::schema_at(rt, &union_at.at);
    let name_str = name.to_string();
    let reads = variants.iter().map(|v| {
        let ident = v.ident;
        let ty = v.ty;
        let condition = match (kind, tag) {
            (Kind::Types, _) => has_type(rt, v.json_type.as_deref().unwrap_or("")),
            (_, None) if exact => has_type(rt, v.json_type.as_deref().unwrap_or("")),
            (_, Some(_)) => {
                let eq = v
                    .tag
                    .as_ref()
                    .map(|t| equals(rt, t))
                    .unwrap_or_else(|| quote! { false });
                quote! { { let value = tag_value; #eq } }
            }
            _ => {
                let at = v.at.as_deref().unwrap_or("");
                let at = attr::schema_at(rt, at);
                quote! { #schema.is_valid_at(#at, value) }
            }
        };
        quote! {
            if #condition {
                return <#ty as #rt::FieldValue>::read(#rt::TreeDeserializer::new(value), form)
                    .map(#name::#ident)
                    .map_err(|e| e.to_string());
            }
        }
    });
    let check = if exact {
        // The tag picks the one branch that can accept the value, and that variant's read
        // checks what its type does not hold: the union's own check would only repeat it.
        quote! {}
    } else {
        quote! {
            if !#rt::prechecked() {
                #schema.check_at(#whole_at, value)?;
            }
            let _checked = #rt::PrecheckedGuard::enter();
        }
    };
    let tag_binding = match (kind, tag) {
        (Kind::Types, _) | (_, None) => quote! {},
        (_, Some(tag)) => quote! {
            let tag_value = #rt::Instance::get(value, #tag).unwrap_or(&#rt::Tree::Null);
        },
    };
    let from_tree = if bare {
        bare_from_tree(rt, name, union_at, kind, tag, variants)
    } else {
        let reads = reads.collect::<Vec<_>>();
        quote! {
            #check
            #tag_binding
            #( #reads )*
            ::core::result::Result::Err(::std::format!("no variant of {} holds the value", #name_str))
        }
    };
    // An exact tagged union reads the object's first member ahead: when it is the tag, the
    // variant it names is read straight from the input (the member read ahead first), with
    // no tree of the whole value; otherwise the whole value goes through the tree.
    let read = match (exact, kind, tag) {
        (true, Kind::OneOf | Kind::AnyOf, Some(tag)) => {
            let picks = variants.iter().enumerate().map(|(i, v)| {
                let eq = v
                    .tag
                    .as_ref()
                    .map(|t| equals(rt, t))
                    .unwrap_or_else(|| quote! { false });
                quote! { if #eq { return ::core::option::Option::Some(#i); } }
            });
            let arms = variants.iter().enumerate().map(|(i, v)| {
                let ident = v.ident;
                let ty = v.ty;
                quote! {
                    ::core::option::Option::Some(#i) => <#ty as #rt::FieldValue>::read(replay.into_deserializer(), self.0).map(#name::#ident),
                }
            });
            let expecting = format!("an object: a {name_str}");
            quote! {
                fn read<'de, D: #rt::serde::Deserializer<'de>>(d: D, form: &mut ::core::option::Option<#rt::serde_json::Value>) -> ::core::result::Result<Self, D::Error> {
                    /// The variant whose tag value `value` is.
                    fn pick(value: &#rt::Tree<'_>) -> ::core::option::Option<usize> {
                        #( #picks )*
                        ::core::option::Option::None
                    }
                    struct Visit<'f>(&'f mut ::core::option::Option<#rt::serde_json::Value>);
                    impl<'de> #rt::serde::de::Visitor<'de> for Visit<'_> {
                        type Value = #name;
                        fn expecting(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                            f.write_str(#expecting)
                        }
                        fn visit_map<A: #rt::serde::de::MapAccess<'de>>(self, map: A) -> ::core::result::Result<#name, A::Error> {
                            let replay = #rt::Replay::start(map)?;
                            match replay.first_if(#tag).and_then(pick) {
                                #( #arms )*
                                _ => {
                                    let tree = #rt::Tree::from_deserializer(replay.into_deserializer())?;
                                    #name::__from_tree(&tree, self.0).map_err(<A::Error as #rt::serde::de::Error>::custom)
                                }
                            }
                        }
                    }
                    d.deserialize_map(Visit(form))
                }
            }
        }
        (true, Kind::Types, _) | (true, _, None) => by_json_type(rt, name, variants),
        _ => quote! {
            fn read<'de, D: #rt::serde::Deserializer<'de>>(d: D, form: &mut ::core::option::Option<#rt::serde_json::Value>) -> ::core::result::Result<Self, D::Error> {
                let value = #rt::Tree::from_deserializer(d)?;
                Self::__from_tree(&value, form).map_err(<D::Error as #rt::serde::de::Error>::custom)
            }
        },
    };
    let writes = variants.iter().map(|v| {
        let ident = v.ident;
        quote! { #name::#ident(value) => #rt::FieldValue::write(value, form, s), }
    });
    // `From` for a variant whose type is its own: two variants of one type would clash.
    let type_text = |t: &Type| quote!(#t).to_string();
    let froms = variants.iter().filter(|v| {
        variants
            .iter()
            .filter(|w| type_text(w.ty) == type_text(v.ty))
            .count()
            == 1
    });
    let froms = froms.map(|v| {
        let ident = v.ident;
        let ty = v.ty;
        quote! {
            impl ::core::convert::From<#ty> for #name {
                fn from(value: #ty) -> Self { #name::#ident(value) }
            }
        }
    });
    let serde = attr::serde_by_field_value(rt, name);
    quote! {
        impl #name {
            /// Reads the union from a parsed value: checked against its subschema (unless an
            /// enclosing check holds it), then the variant the value belongs to, whose own
            /// nested checks the union's check implies.
            #[doc(hidden)]
            pub fn __from_tree(value: &#rt::Tree<'_>, form: &mut ::core::option::Option<#rt::serde_json::Value>) -> ::core::result::Result<Self, ::std::string::String> {
                #from_tree
            }
        }

        impl #rt::FieldValue for #name {
            #read
            fn write<S: #rt::serde::Serializer>(&self, form: ::core::option::Option<&#rt::serde_json::Value>, s: S) -> ::core::result::Result<S::Ok, S::Error> {
                match self { #( #writes )* }
            }
        }

        #serde

        #( #froms )*
    }
}
