//! Loads the repository's own schema folder through the public API.

use std::path::Path;

use event_contracts_codegen::Config;

fn repo_schemas() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas")
}

#[test]
fn the_repository_schemas_load_cleanly() {
    let set = Config::new(repo_schemas())
        .load()
        .unwrap_or_else(|e| panic!("{e}"));
    let names: Vec<_> = set.events.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "LowStockWarning",
            "ProductCreated",
            "ProductDeleted",
            "ProductUpdated"
        ]
    );
    let created = set.event("ProductCreated").unwrap();
    let versions: Vec<String> = created
        .versions
        .iter()
        .map(|v| v.version.to_string())
        .collect();
    assert_eq!(versions, ["1.0.0", "1.1.0"]);
    let v1 = &created.versions[0];
    assert_eq!(
        v1.bundled
            .pointer("/properties/metadata/$ref")
            .and_then(|v| v.as_str()),
        Some("#/definitions/common.envelope.metadata")
    );
    assert!(v1
        .bundled
        .pointer("/definitions/common.envelope.metadata/properties/userAgent")
        .is_some());
    assert!(v1.examples.iter().any(|e| e.valid) && v1.examples.iter().any(|e| !e.valid));
}
