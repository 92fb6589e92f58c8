//! event-contracts-derive: `#[derive(EventContract)]`, the semver rules and consumer views
//! of event-contracts checked at compile time, and the derives generated types carry
//! (`Object`, `StringEnum`, `Constrained`: see [`shape`]). `event-contracts-runtime`
//! re-exports them, so a crate with generated code depends on the runtime alone.
//!
//! This crate is thin: the schemas are loaded and checked by `event-contracts-schema`,
//! judged by the compatibility engine (`event-contracts-compat`) and read through the type
//! model; the macro only parses attributes (`attr`), models the input (`ast`), runs the
//! checks (`check`) and reports every error at once, each at its span (`ctxt`, `expand`).
//!
//! # On a generated type
//!
//! ```text
//! #[contract(event = "ProductCreated", version = "1.1.0", crate = "crate")]
//! ```
//!
//! The version before 1.1.0 is compared with 1.1.0; the build fails when the bump made
//! (minor here) is smaller than the one the change requires, naming the rule, the JSON
//! pointer with its file and line, and the bump needed.
//!
//! # On a consumer's view
//!
//! ```text
//! #[derive(serde::Deserialize, EventContract)]
//! #[serde(rename_all = "camelCase")]
//! #[contract(event = "ProductCreated", versions = "^1", at = "/data")]
//! struct Product { product_id: uuid::Uuid, name: String, price: f64, category: String }
//! ```
//!
//! For every version the range matches, each field must read a declared property (after
//! serde's renames), hold every value the schema allows there, and be an `Option` (or have a
//! serde default) wherever the property is optional. A nested struct field is trusted to
//! carry its own derive, with `at` pointing at its place. An enum can be the view of a string
//! enum: each value of every matched version needs a variant (or a `#[serde(other)]` one).
//!
//! # Keys of `#[contract(...)]`
//!
//! - `event = "Name"`: the event (required).
//! - `version = "x.y.z"`: a generated type of that version; or
//! - `versions = "<semver range>"`: a view, checked against every version in the range;
//! - `at = "/json/pointer"`: where in the event a view reads (default: the whole event;
//!   `*` steps into array items);
//! - `schemas = "dir"`: another schema folder, relative to the caller's Cargo.toml (or to the
//!   file that holds the attribute); default: the nearest `schemas/` folder at or above
//!   the caller's Cargo.toml (at or above the file first when the file lies outside the
//!   crate, as a trybuild case does);
//! - `discriminator = "..."`, `version_property = "..."`: the envelope's property names,
//!   when the folder's generator was told other names than `eventType` and `version`;
//! - `crate = "path"`: the path to event-contracts, as serde's `crate` (generated code says
//!   `crate`). Checked to be a path; the checks expand to no items, so nothing names it yet.

mod ast;
mod attr;
mod case;
mod check;
mod ctxt;
mod expand;
mod schemas;
mod shape;
mod suggest;
mod walk;

#[cfg(test)]
mod tests;

use std::path::PathBuf;

/// Checks a generated event type against the semver rules, or a consumer's view against
/// every schema version it reads. See the crate documentation for the attribute.
#[proc_macro_derive(EventContract, attributes(contract))]
pub fn derive_event_contract(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    let caller = check::Caller {
        manifest_dir: std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from),
        source_file: proc_macro::Span::call_site().local_file(),
        out_dir: std::env::var_os("OUT_DIR").map(PathBuf::from),
    };
    expand::derive(&input, &caller).into()
}

/// For generated code: the serde, builder and check machinery of a struct generated for an
/// object schema. See `event-contracts-codegen`; the attributes are its contract.
#[doc(hidden)]
#[proc_macro_derive(Object, attributes(object, field))]
pub fn derive_object(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    shape::object::derive(&input).into()
}

/// For generated code: an enum of a string `enum`'s values.
#[doc(hidden)]
#[proc_macro_derive(StringEnum, attributes(string_enum, json))]
pub fn derive_string_enum(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    shape::string_enum::derive(&input).into()
}

/// For generated code: a scalar newtype whose constructors check the schema's constraints.
#[doc(hidden)]
#[proc_macro_derive(Constrained, attributes(constrained))]
pub fn derive_constrained(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    shape::constrained::derive(&input).into()
}

/// For generated code: an enum of JSON literals (numbers, booleans, null).
#[doc(hidden)]
#[proc_macro_derive(Literals, attributes(literals, json))]
pub fn derive_literals(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    shape::literals::derive(&input).into()
}

/// For generated code: a tuple struct of an array's listed `items`.
#[doc(hidden)]
#[proc_macro_derive(Tuple, attributes(tuple))]
pub fn derive_tuple(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    shape::tuple::derive(&input).into()
}

/// For generated code: an enum of the shapes of an `anyOf`, a `oneOf` or a `type` list.
#[doc(hidden)]
#[proc_macro_derive(Union, attributes(union, variant))]
pub fn derive_union(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    shape::union::derive(&input).into()
}
