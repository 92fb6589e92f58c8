//! The macro's checks run as plain functions (proc-macro2 works outside a compiler), so
//! that what the generated crate compiles can be tested without compiling it.

use std::path::Path;

use event_contracts_codegen::Config;
use syn::{DeriveInput, Item};

use crate::check::Caller;
use crate::ctxt::Ctxt;

fn contract_structs(items: &[Item], found: &mut Vec<DeriveInput>) {
    for item in items {
        match item {
            Item::Struct(s) if s.attrs.iter().any(|a| a.path().is_ident("contract")) => {
                found.push(DeriveInput::from(s.clone()));
            }
            Item::Mod(m) => {
                if let Some((_, inner)) = &m.content {
                    contract_structs(inner, found);
                }
            }
            _ => {}
        }
    }
}

#[test]
fn the_generated_crate_derives_event_contract_on_every_version_and_passes() {
    let schemas = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas");
    // The same configuration as the root build.rs.
    let generated = Config::new(&schemas)
        .event_enum("ProductEvent")
        .derive_contract(true)
        .generate()
        .unwrap_or_else(|e| panic!("the schemas generate: {e}"));
    let file = syn::parse_file(&generated.code)
        .unwrap_or_else(|e| panic!("the generated code parses: {e}"));
    let mut derived = Vec::new();
    contract_structs(&file.items, &mut derived);

    let mut checked = Vec::new();
    for input in &derived {
        let mut cx = Ctxt::new();
        let contract = crate::attr::parse_contract(&mut cx, &input.attrs);
        let event = contract.event.map(|e| e.value).unwrap_or_default();
        let version = contract
            .version
            .map(|v| v.value.to_string())
            .unwrap_or_default();
        let caller = Caller {
            manifest_dir: Some(Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()),
            ..Caller::default()
        };
        let expansion = crate::expand::derive(input, &caller).to_string();
        // A folder read from disk expands to `include_bytes!` of every file it read (so
        // that cargo rebuilds when one changes), and to nothing else when the type passes.
        assert!(
            !expansion.contains("compile_error"),
            "{event} {version} fails its own derive: {expansion}"
        );
        assert!(
            expansion.contains("schemas/product-created/1.1.0.json"),
            "{expansion}"
        );
        checked.push((event, version));
    }

    let every_version: Vec<(String, String)> = generated
        .set
        .events
        .iter()
        .flat_map(|e| {
            e.versions
                .iter()
                .map(|v| (e.name.clone(), v.version.to_string()))
        })
        .collect();
    checked.sort();
    assert_eq!(checked, every_version);
    assert!(checked.contains(&("ProductCreated".to_owned(), "1.1.0".to_owned())));
}

#[test]
fn a_view_is_checked_against_every_version_of_its_range() {
    let ok: DeriveInput = syn::parse_quote! {
        #[serde(rename_all = "camelCase")]
        #[contract(event = "ProductCreated", versions = "^1", at = "/data")]
        struct Product {
            product_id: uuid::Uuid,
            name: String,
            price: f64,
            quantity: u64,
            category: String,
            created_at: Option<chrono::DateTime<chrono::Utc>>,
        }
    };
    assert_eq!(
        crate::expand::derive(&ok, &Caller::default()).to_string(),
        ""
    );

    let wrong: DeriveInput = syn::parse_quote! {
        #[serde(rename_all = "camelCase")]
        #[contract(event = "ProductCreated", versions = "^1", at = "/data")]
        struct Product {
            quantity: i64,
            sku: String,
        }
    };
    let mut cx = Ctxt::new();
    let input = crate::ast::from_ast(&mut cx, &wrong);
    crate::check::run(&mut cx, &input, &Caller::default());
    let errors: Vec<String> = cx.into_errors().iter().map(ToString::to_string).collect();
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert_eq!(
        errors[1].lines().next(),
        Some("field `sku` reads the property \"sku\", which ProductCreated does not declare at /data in any version `^1` matches (1.0.0, 1.1.0)")
    );
    assert_eq!(
        errors[0].lines().next(),
        Some("field `quantity: i64` cannot hold every value ProductCreated 1.0.0 and 1.1.0 allow for \"quantity\" at /data: any integer from 0 to 18446744073709551615 (`i64` holds -9223372036854775808 to 9223372036854775807)")
    );
}
