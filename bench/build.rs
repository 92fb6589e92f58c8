//! Generates row (t)'s types: typify 0.8's Rust for every bundled schema of each benchmarked
//! schema folder, what a team that generates types with typify would read events into.
//!
//! The schemas are loaded and bundled by `event-contracts-codegen`, as the generated crates'
//! own build scripts load them, so typify reads exactly the schemas `decode` checks. Each
//! version's types go into a module of their own (typify names types after titles, which
//! repeat across versions); each folder's module gets
//! `read(event_type, version, bytes) -> bool`, which reads the bytes into the root type of
//! that version with `serde_json::from_slice`.

use std::path::PathBuf;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The benchmarked schema folders (relative to this crate) and the module of their types.
const FOLDERS: &[(&str, &str)] = &[("product", "../schemas")];

fn main() {
    let manifest = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    );
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let mut file = TokenStream::new();
    for (module, dir) in FOLDERS {
        let dir = manifest.join(dir);
        // A directory: cargo reruns this script when anything below it changes.
        println!("cargo:rerun-if-changed={}", dir.display());
        let set = event_contracts_codegen::Config::new(&dir)
            .load()
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        let mut modules = Vec::new();
        let mut arms = Vec::new();
        for event in &set.events {
            for version in &event.versions {
                let text = version.version.to_string();
                let name = format_ident!(
                    "{}_v{}",
                    event.dir.replace('-', "_"),
                    text.replace('.', "_")
                );
                let (tokens, root) = typify_types(&version.bundled, &version.file);
                let root = format_ident!("{root}");
                modules.push(quote! {
                    #[doc = concat!("typify's types for `", #text, "`.")]
                    pub mod #name {
                        #tokens
                        /// The schema's root type.
                        pub type Root = #root;
                    }
                });
                let event_name = &event.name;
                arms.push(quote! {
                    (#event_name, #text) => ::serde_json::from_slice::<#name::Root>(bytes).is_ok(),
                });
            }
        }
        let module = format_ident!("{module}");
        file.extend(quote! {
            pub mod #module {
                #( #modules )*
                /// Reads `bytes` into typify's root type of `event_type` at `version`.
                pub fn read(event_type: &str, version: &str, bytes: &[u8]) -> bool {
                    match (event_type, version) {
                        #( #arms )*
                        _ => false,
                    }
                }
            }
        });
    }
    let syntax =
        syn::parse2(file).unwrap_or_else(|e| panic!("typify's output does not parse: {e}"));
    std::fs::write(out.join("typified.rs"), prettyplease::unparse(&syntax))
        .unwrap_or_else(|e| panic!("writing typified.rs: {e}"));
}

/// typify's types for one bundled schema, and the name of its root type.
fn typify_types(bundled: &serde_json::Value, file: &str) -> (TokenStream, String) {
    let schema: schemars::schema::RootSchema = serde_json::from_value(bundled.clone())
        .unwrap_or_else(|e| panic!("{file}: schemars cannot read the bundled schema: {e}"));
    let mut settings = typify::TypeSpaceSettings::default();
    settings.with_struct_builder(false);
    let mut space = typify::TypeSpace::new(&settings);
    let root = space
        .add_root_schema(schema)
        .unwrap_or_else(|e| panic!("{file}: typify refuses the schema: {e}"))
        .unwrap_or_else(|| panic!("{file}: typify made no root type"));
    let name = space
        .get_type(&root)
        .unwrap_or_else(|e| panic!("{file}: typify lost its root type: {e}"))
        .name();
    (space.to_stream(), name)
}
