//! The macro's checks run as plain functions (proc-macro2 works outside a compiler), so
//! that what a crate compiles can be tested without compiling it.

use std::path::Path;

use syn::DeriveInput;

use crate::check::Caller;
use crate::ctxt::Ctxt;

/// A caller in this crate's folder, which finds the repository's `schemas/` above it.
fn caller() -> Caller {
    Caller {
        manifest_dir: Some(Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()),
        ..Caller::default()
    }
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
    // A view that holds: the expansion only tracks the schema files it read.
    let expansion = crate::expand::derive(&ok, &caller()).to_string();
    assert!(!expansion.contains("compile_error"), "{expansion}");
    assert!(
        expansion.contains("schemas/product-created/1.0.0.json"),
        "{expansion}"
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
    crate::check::run(&mut cx, &input, &caller());
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
