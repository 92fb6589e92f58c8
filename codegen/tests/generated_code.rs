//! Snapshots of the Rust generated for every schema version of the repository.
//! A reviewer of a schema change sees exactly what the change does to the code.
//! `cargo xtask regen` rewrites these; `cargo xtask regen --check` fails when stale.

use std::path::Path;

use event_contracts_codegen::{emit, model, Config};

/// The configuration of the repository's `build.rs`, read from this crate's folder.
fn config() -> Config {
    Config::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas"))
        .event_enum("ProductEvent")
        .stream_key("/data/productId")
        .derive_contract(true)
}

#[test]
fn generated_code_of_every_version() {
    let config = config();
    let set = config.load().unwrap_or_else(|e| panic!("{e}"));
    let model = model::build(&set).unwrap_or_else(|e| panic!("{e}"));
    let mut options = config.emit_options();
    // As `build.rs` at the repository's root sees the folder: `schemas`, beside Cargo.toml.
    options.schemas_for_derive = Some("schemas".to_owned());
    let shared = emit::render_shared(&model, &options).unwrap();
    insta::assert_snapshot!("common", shared);
    for event in &model.events {
        for version in &event.versions {
            let code = emit::render_version(&model, event, version, &options).unwrap();
            let name = format!("{}_{}", event.module, version.module);
            insta::assert_snapshot!(name, code);
        }
    }
}

#[test]
fn the_whole_file_parses_and_names_every_version() {
    let generated = config().generate().unwrap_or_else(|e| panic!("{e}"));
    assert!(generated.code.starts_with(emit::HEADER));
    for module in [
        "pub mod product_created",
        "pub mod v1_0_0",
        "pub mod v1_1_0",
        "pub mod low_stock_warning",
        "pub enum ProductEvent",
        "pub enum EventType",
    ] {
        assert!(generated.code.contains(module), "missing {module}");
    }
}
