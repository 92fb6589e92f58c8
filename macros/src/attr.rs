//! Attribute parsing: `#[contract(...)]`, and the `#[serde(...)]` attributes that decide
//! which JSON a view reads.
//!
//! `#[contract]` is ours, so every mistake in it is an error at its span. `#[serde]` is
//! serde's: anything this module cannot read is left for serde_derive to report, and only
//! the keys that change the JSON a view reads are interpreted.

use proc_macro2::Span;
use semver::{Version, VersionReq};
use syn::parse::ParseStream;
use syn::spanned::Spanned as _;
use syn::{Attribute, Expr, ExprLit, Lit, LitStr, Token};

use crate::case::RenameRule;
use crate::ctxt::{Ctxt, Spanned};

/// The keys `#[contract(...)]` accepts, for the "unknown key" error.
const CONTRACT_KEYS: &str =
    "event, version, versions, at, schemas, discriminator, version_property, crate";

/// A version range as written and as parsed.
#[derive(Debug, Clone)]
pub(crate) struct Range {
    /// The text, e.g. `^1`.
    pub(crate) text: String,
    /// The parsed requirement.
    pub(crate) req: VersionReq,
}

/// A JSON pointer into an event, as written and split into unescaped tokens.
#[derive(Debug, Clone)]
pub(crate) struct Pointer {
    /// The text, e.g. `/data`.
    pub(crate) text: String,
    /// The unescaped tokens, e.g. `["data"]`.
    pub(crate) tokens: Vec<String>,
}

/// Everything `#[contract(...)]` attributes on one item say.
#[derive(Default)]
pub(crate) struct ContractAttr {
    /// Whether the item has any `#[contract]` attribute.
    pub(crate) present: bool,
    /// The keys written, valid or not: a key written with a bad value was reported already,
    /// and must not also be reported missing.
    pub(crate) written: Vec<String>,
    /// `event = "ProductCreated"`.
    pub(crate) event: Option<Spanned<String>>,
    /// `version = "1.1.0"`: a generated type, checked against the version before it.
    pub(crate) version: Option<Spanned<Version>>,
    /// `versions = "^1"`: a consumer's view, checked against every version in the range.
    pub(crate) versions: Option<Spanned<Range>>,
    /// `at = "/data"`: where in the event a view reads.
    pub(crate) at: Option<Spanned<Pointer>>,
    /// `schemas = "dir"`: the schema folder, relative to the caller's manifest dir; by
    /// default the nearest `schemas/` at or above it.
    pub(crate) schemas: Option<Spanned<String>>,
    /// `discriminator = "eventType"`: the property that names the event type, when the
    /// folder's generator was configured with another than the default.
    pub(crate) discriminator: Option<String>,
    /// `version_property = "version"`: the property that holds the version, likewise.
    pub(crate) version_property: Option<String>,
    /// `crate = "path"`: the path to event-contracts; the expansion has no items that need it yet.
    pub(crate) krate: Option<syn::Path>,
}

/// Parses every `#[contract(...)]` attribute in `attrs`, recording each mistake in `cx`.
pub(crate) fn parse_contract(cx: &mut Ctxt, attrs: &[Attribute]) -> ContractAttr {
    let mut out = ContractAttr::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("contract")) {
        out.present = true;
        let result = attr.parse_nested_meta(|meta| {
            let key = meta
                .path
                .get_ident()
                .map(ToString::to_string)
                .unwrap_or_default();
            let path_span = meta.path.span();
            out.written.push(key.clone());
            match key.as_str() {
                "event" => {
                    let lit = string_value(&meta)?;
                    if lit.value().trim().is_empty() {
                        cx.error_at(lit.span(), "`event` is empty: name the event, e.g. `event = \"ProductCreated\"`");
                    } else {
                        set_once(cx, &mut out.event, &key, lit.value(), lit.span());
                    }
                }
                "version" => {
                    let lit = string_value(&meta)?;
                    match event_contracts_schema::load::parse_plain_version(lit.value().trim()) {
                        Some(v) => set_once(cx, &mut out.version, &key, v, lit.span()),
                        None => cx.error_at(
                            lit.span(),
                            format!(
                                "{:?} is not a MAJOR.MINOR.PATCH version; write e.g. `version = \"1.1.0\"`",
                                lit.value()
                            ),
                        ),
                    }
                }
                "versions" => {
                    let lit = string_value(&meta)?;
                    let text = lit.value();
                    if text.trim().is_empty() {
                        cx.error_at(
                            lit.span(),
                            "the version range is empty; write e.g. `versions = \"^1\"` (every 1.x.y) or `versions = \">=1.1, <3\"`",
                        );
                    } else {
                        match VersionReq::parse(text.trim()) {
                            Ok(req) => set_once(
                                cx,
                                &mut out.versions,
                                &key,
                                Range { text: text.trim().to_owned(), req },
                                lit.span(),
                            ),
                            Err(e) => cx.error_at(
                                lit.span(),
                                format!(
                                    "{text:?} is not a semver version range ({e}); write e.g. `versions = \"^1\"` (every 1.x.y) or `versions = \">=1.1, <3\"`"
                                ),
                            ),
                        }
                    }
                }
                "at" => {
                    let lit = string_value(&meta)?;
                    match parse_pointer(&lit.value()) {
                        Ok(p) => set_once(cx, &mut out.at, &key, p, lit.span()),
                        Err(why) => cx.error_at(lit.span(), why),
                    }
                }
                "schemas" => {
                    let lit = string_value(&meta)?;
                    if lit.value().trim().is_empty() {
                        cx.error_at(lit.span(), "`schemas` is empty: give a folder relative to this crate's Cargo.toml, or leave `schemas` out to use the nearest `schemas/` folder at or above it");
                    } else {
                        set_once(cx, &mut out.schemas, &key, lit.value(), lit.span());
                    }
                }
                "discriminator" | "version_property" => {
                    let lit = string_value(&meta)?;
                    let slot = if key == "discriminator" {
                        &mut out.discriminator
                    } else {
                        &mut out.version_property
                    };
                    if lit.value().is_empty() {
                        cx.error_at(lit.span(), format!("`{key}` is empty: name the property"));
                    } else if slot.is_some() {
                        cx.error_at(lit.span(), format!("duplicate `{key}` in #[contract]"));
                    } else {
                        *slot = Some(lit.value());
                    }
                }
                "crate" => {
                    let lit = string_value(&meta)?;
                    match lit.parse::<syn::Path>() {
                        Ok(path) if out.krate.is_none() => out.krate = Some(path),
                        Ok(_) => cx.error_at(lit.span(), "duplicate `crate` in #[contract]"),
                        Err(e) => cx.error_at(
                            lit.span(),
                            format!("`crate` must be a path, e.g. `crate = \"event_contracts\"`: {e}"),
                        ),
                    }
                }
                _ => {
                    cx.error_at(
                        path_span,
                        format!(
                            "unknown key `{}` in #[contract]; the keys are: {CONTRACT_KEYS}",
                            path_text(&meta.path)
                        ),
                    );
                    skip_value(meta.input)?;
                }
            }
            Ok(())
        });
        if let Err(e) = result {
            cx.syn_error(e);
        }
    }
    out
}

impl ContractAttr {
    /// Whether `key` was written, with a valid value or not.
    pub(crate) fn wrote(&self, key: &str) -> bool {
        self.written.iter().any(|k| k == key)
    }
}

fn string_value(meta: &syn::meta::ParseNestedMeta) -> syn::Result<LitStr> {
    let key = path_text(&meta.path);
    let value = meta.value().map_err(|_| {
        syn::Error::new(
            meta.path.span(),
            format!("`{key}` needs a value: `{key} = \"...\"`"),
        )
    })?;
    let expr: Expr = value.parse()?;
    match expr {
        Expr::Lit(ExprLit {
            lit: Lit::Str(lit), ..
        }) => Ok(lit),
        other => Err(syn::Error::new_spanned(
            other,
            format!("`{key}` takes a string literal: `{key} = \"...\"`"),
        )),
    }
}

fn set_once<T>(cx: &mut Ctxt, slot: &mut Option<Spanned<T>>, key: &str, value: T, span: Span) {
    if slot.is_some() {
        cx.error_at(span, format!("duplicate `{key}` in #[contract]"));
    } else {
        *slot = Some(Spanned { value, span });
    }
}

fn path_text(path: &syn::Path) -> String {
    path.segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect::<Vec<_>>()
        .join("::")
}

/// Consumes `= expr` or `(...)` after a key this module does not interpret.
fn skip_value(input: ParseStream) -> syn::Result<()> {
    if input.peek(Token![=]) {
        input.parse::<Token![=]>()?;
        input.parse::<Expr>()?;
    } else if input.peek(syn::token::Paren) {
        let content;
        syn::parenthesized!(content in input);
        content.parse::<proc_macro2::TokenStream>()?;
    }
    Ok(())
}

/// Splits an RFC 6901 pointer into unescaped tokens; `""` is the whole event.
pub(crate) fn parse_pointer(text: &str) -> Result<Pointer, String> {
    let help = "write a JSON pointer into the event, e.g. `at = \"/data\"`";
    if text.is_empty() {
        return Ok(Pointer {
            text: String::new(),
            tokens: Vec::new(),
        });
    }
    let Some(rest) = text.strip_prefix('/') else {
        return Err(format!(
            "{text:?} is not a JSON pointer: it must start with `/`; {help}"
        ));
    };
    let mut tokens = Vec::new();
    for raw in rest.split('/') {
        let mut token = String::new();
        let mut chars = raw.chars();
        while let Some(c) = chars.next() {
            if c != '~' {
                token.push(c);
                continue;
            }
            match chars.next() {
                Some('0') => token.push('~'),
                Some('1') => token.push('/'),
                _ => {
                    return Err(format!(
                        "{text:?} is not a JSON pointer: `~` must be followed by 0 (for `~`) or 1 (for `/`); {help}"
                    ))
                }
            }
        }
        tokens.push(token);
    }
    Ok(Pointer {
        text: text.to_owned(),
        tokens,
    })
}

/// What a serde key was given.
enum SerdeValue {
    /// Nothing: `#[serde(flatten)]`.
    Flag,
    /// A string: `#[serde(rename = "x")]`.
    Str(String),
    /// Separate names: `#[serde(rename(deserialize = "x"))]`; only the deserialize side matters.
    Split(Option<String>),
    /// Anything else: serde's to check.
    Other,
}

impl SerdeValue {
    /// The name serde reads when deserializing, for `rename` and `rename_all`.
    fn deserialize_name(&self) -> Option<&str> {
        match self {
            SerdeValue::Str(s) | SerdeValue::Split(Some(s)) => Some(s),
            _ => None,
        }
    }
}

/// Calls `f(key, span, value)` for every key of every `#[serde(...)]` attribute. A
/// malformed attribute is skipped: serde_derive reports it better than we could.
fn for_each_serde_key(attrs: &[Attribute], mut f: impl FnMut(&str, Span, SerdeValue)) {
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            let key = path_text(&meta.path);
            let span = meta.path.span();
            let value = if meta.input.peek(Token![=]) {
                match meta.value()?.parse::<Expr>()? {
                    Expr::Lit(ExprLit {
                        lit: Lit::Str(s), ..
                    }) => SerdeValue::Str(s.value()),
                    _ => SerdeValue::Other,
                }
            } else if meta.input.peek(syn::token::Paren) {
                let mut deserialize = None;
                meta.parse_nested_meta(|inner| {
                    let is_de = inner.path.is_ident("deserialize");
                    if inner.input.peek(Token![=]) {
                        if let Expr::Lit(ExprLit {
                            lit: Lit::Str(s), ..
                        }) = inner.value()?.parse::<Expr>()?
                        {
                            if is_de {
                                deserialize = Some(s.value());
                            }
                        }
                    } else {
                        skip_value(inner.input)?;
                    }
                    Ok(())
                })?;
                SerdeValue::Split(deserialize)
            } else {
                SerdeValue::Flag
            };
            f(&key, span, value);
            Ok(())
        });
    }
}

/// The container-level serde attributes of a view.
#[derive(Default)]
pub(crate) struct SerdeContainer {
    /// `rename_all`.
    pub(crate) rename_all: Option<RenameRule>,
    /// `default`: every missing field takes its default.
    pub(crate) default: bool,
    /// `deny_unknown_fields`, where it was written.
    pub(crate) deny_unknown_fields: Option<Span>,
    /// Keys that change the shape serde reads in ways a view check cannot follow.
    pub(crate) unsupported: Vec<(String, Span)>,
}

/// Reads the container-level serde attributes.
pub(crate) fn serde_container(attrs: &[Attribute]) -> SerdeContainer {
    let mut out = SerdeContainer::default();
    for_each_serde_key(attrs, |key, span, value| match key {
        "rename_all" => {
            if let Some(rule) = value.deserialize_name().and_then(RenameRule::parse) {
                out.rename_all = Some(rule);
            }
        }
        "default" => out.default = true,
        "deny_unknown_fields" => out.deny_unknown_fields = Some(span),
        "transparent" | "tag" | "content" | "untagged" | "from" | "try_from" | "remote"
        | "variant_identifier" | "field_identifier" => out.unsupported.push((key.to_owned(), span)),
        _ => {}
    });
    out
}

/// The serde attributes of one field of a view.
#[derive(Default)]
pub(crate) struct SerdeField {
    /// `rename`: the JSON name it reads.
    pub(crate) rename: Option<String>,
    /// `default`: the field may be missing.
    pub(crate) default: bool,
    /// `skip` or `skip_deserializing`: the field reads nothing.
    pub(crate) skip: bool,
    /// `flatten`, where it was written.
    pub(crate) flatten: Option<Span>,
    /// `with` or `deserialize_with`: a function, not the type, reads the value.
    pub(crate) custom: bool,
    /// `alias`, where it was written.
    pub(crate) alias: Option<Span>,
}

/// Reads the serde attributes of a field.
pub(crate) fn serde_field(attrs: &[Attribute]) -> SerdeField {
    let mut out = SerdeField::default();
    for_each_serde_key(attrs, |key, span, value| match key {
        "rename" => {
            if let Some(name) = value.deserialize_name() {
                out.rename = Some(name.to_owned());
            }
        }
        "default" => out.default = true,
        "skip" | "skip_deserializing" => out.skip = true,
        "flatten" => out.flatten = Some(span),
        "with" | "deserialize_with" => out.custom = true,
        "alias" => out.alias = Some(span),
        _ => {}
    });
    out
}

/// The serde attributes of one variant of an enum view.
#[derive(Default)]
pub(crate) struct SerdeVariant {
    /// `rename`: the JSON value it reads.
    pub(crate) rename: Option<String>,
    /// `skip` or `skip_deserializing`: the variant reads nothing.
    pub(crate) skip: bool,
    /// `other`: the variant reads every value no other variant reads.
    pub(crate) other: bool,
    /// `alias`, where it was written.
    pub(crate) alias: Option<Span>,
}

/// Reads the serde attributes of a variant.
pub(crate) fn serde_variant(attrs: &[Attribute]) -> SerdeVariant {
    let mut out = SerdeVariant::default();
    for_each_serde_key(attrs, |key, span, value| match key {
        "rename" => {
            if let Some(name) = value.deserialize_name() {
                out.rename = Some(name.to_owned());
            }
        }
        "skip" | "skip_deserializing" => out.skip = true,
        "other" => out.other = true,
        "alias" => out.alias = Some(span),
        _ => {}
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_unescape() {
        assert_eq!(
            parse_pointer("").map(|p| p.tokens),
            Ok(Vec::<String>::new())
        );
        assert_eq!(
            parse_pointer("/data/a~1b/c~0d").map(|p| p.tokens),
            Ok(vec!["data".to_owned(), "a/b".to_owned(), "c~d".to_owned()])
        );
        assert_eq!(
            parse_pointer("data").map(|p| p.tokens),
            Err("\"data\" is not a JSON pointer: it must start with `/`; write a JSON pointer into the event, e.g. `at = \"/data\"`".to_owned())
        );
        assert!(parse_pointer("/a~2").is_err());
    }

    #[test]
    fn contract_keys_are_read_and_mistakes_collected() {
        let item: syn::DeriveInput = syn::parse_quote! {
            #[contract(event = "E", versions = "^1", at = "/data", colour = "red", versions = "^2")]
            struct V;
        };
        let mut cx = Ctxt::new();
        let attr = parse_contract(&mut cx, &item.attrs);
        assert_eq!(attr.event.map(|e| e.value), Some("E".to_owned()));
        assert_eq!(attr.versions.map(|r| r.value.text), Some("^1".to_owned()));
        assert_eq!(
            attr.at.map(|a| a.value.tokens),
            Some(vec!["data".to_owned()])
        );
        let errors: Vec<String> = cx.into_errors().iter().map(ToString::to_string).collect();
        assert_eq!(
            errors,
            vec![
                "unknown key `colour` in #[contract]; the keys are: event, version, versions, at, schemas, discriminator, version_property, crate".to_owned(),
                "duplicate `versions` in #[contract]".to_owned(),
            ]
        );
    }

    #[test]
    fn serde_renames_are_read() {
        let item: syn::DeriveInput = syn::parse_quote! {
            #[serde(rename_all(serialize = "snake_case", deserialize = "camelCase"), deny_unknown_fields)]
            struct V {
                #[serde(rename = "id", default)]
                a: u64,
                #[serde(rename(deserialize = "bee"), skip_serializing_if = "Option::is_none")]
                b: Option<u64>,
            }
        };
        let container = serde_container(&item.attrs);
        assert_eq!(container.rename_all, Some(RenameRule::Camel));
        assert!(container.deny_unknown_fields.is_some());
        let syn::Data::Struct(data) = &item.data else {
            panic!("the test input is a struct");
        };
        let fields: Vec<SerdeField> = data.fields.iter().map(|f| serde_field(&f.attrs)).collect();
        assert_eq!(fields[0].rename.as_deref(), Some("id"));
        assert!(fields[0].default);
        assert_eq!(fields[1].rename.as_deref(), Some("bee"));
        assert!(!fields[1].default);
    }
}
