//! Generates row (t)'s types: typify 0.8's Rust for every bundled schema of each benchmarked
//! schema folder, what a team that generates types with typify would read events into.
//!
//! The schemas are loaded and bundled by `event-contracts-codegen`, as the generated crates'
//! own build scripts load them, so typify reads exactly the schemas `decode` checks. Each
//! version's types go into a module of their own (typify names types after titles, which
//! repeat across versions); each folder's module gets
//! `read(event_type, version, bytes) -> bool`, which reads the bytes into the root type of
//! that version with `serde_json::from_slice`, and `REFUSED`: the versions typify cannot
//! generate, with its reason (their events are not read: `read` returns `false`).

use std::path::PathBuf;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The benchmarked schema folders (relative to this crate), the module of their types and
/// the discriminator their generated crate is configured with.
const FOLDERS: &[(&str, &str, &str)] = &[
    ("product", "../schemas", "eventType"),
    ("corpus", "../tests/corpus-crate/schemas", "type"),
];

fn main() {
    let manifest = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    );
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let mut file = TokenStream::new();
    for (module, dir, discriminator) in FOLDERS {
        let dir = manifest.join(dir);
        // A directory: cargo reruns this script when anything below it changes.
        println!("cargo:rerun-if-changed={}", dir.display());
        let set = event_contracts_codegen::Config::new(&dir)
            .discriminator(*discriminator)
            .load()
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        let mut modules = Vec::new();
        let mut arms = Vec::new();
        let mut refused = Vec::new();
        for event in &set.events {
            for version in &event.versions {
                let text = version.version.to_string();
                let name = format_ident!(
                    "{}_v{}",
                    event.dir.replace('-', "_"),
                    text.replace('.', "_")
                );
                let event_name = &event.name;
                let (tokens, root) = match typify_types(&version.bundled) {
                    Ok(generated) => generated,
                    Err(reason) => {
                        // typify's messages go on to dump the schema; its first line says why.
                        let reason = reason.lines().next().unwrap_or_default().to_owned();
                        println!("cargo:warning=typify refuses {}: {reason}", version.file);
                        refused.push(quote! { (#event_name, #text, #reason), });
                        continue;
                    }
                };
                let root = format_ident!("{root}");
                modules.push(quote! {
                    #[doc = concat!("typify's types for `", #text, "`.")]
                    pub mod #name {
                        #tokens
                        /// The schema's root type.
                        pub type Root = #root;
                    }
                });
                arms.push(quote! {
                    (#event_name, #text) => ::serde_json::from_slice::<#name::Root>(bytes).is_ok(),
                });
            }
        }
        let module = format_ident!("{module}");
        file.extend(quote! {
            pub mod #module {
                #( #modules )*
                /// The versions typify cannot generate: (event type, version, its reason).
                pub const REFUSED: &[(&str, &str, &str)] = &[ #( #refused )* ];
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

/// typify's types for one bundled schema, and the name of its root type; why not, when
/// typify refuses the schema (an error, or a panic inside typify).
fn typify_types(bundled: &serde_json::Value) -> Result<(TokenStream, String), String> {
    let schema: schemars::schema::RootSchema = serde_json::from_value(bundled.clone())
        .map_err(|e| format!("schemars cannot read the bundled schema: {e}"))?;
    let generate = move || -> Result<(TokenStream, String), String> {
        let mut settings = typify::TypeSpaceSettings::default();
        settings.with_struct_builder(false);
        let mut space = typify::TypeSpace::new(&settings);
        let root = space
            .add_root_schema(schema)
            .map_err(|e| format!("typify refuses the schema: {e}"))?
            .ok_or("typify made no root type")?;
        let name = space
            .get_type(&root)
            .map_err(|e| format!("typify lost its root type: {e}"))?
            .name();
        Ok((space.to_stream(), name))
    };
    // typify 0.8 panics on some draft-07 constructs instead of returning an error.
    std::panic::catch_unwind(generate).unwrap_or_else(|panic| {
        let message = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_default();
        Err(format!("typify panics: {message}"))
    })
}
