//! A broken schema folder fails with the file, the line, the JSON pointer and what to do.
//! Each case starts from the repository's own schemas, breaks one thing, and snapshots the
//! diagnostics exactly as `cargo build` prints them.

use std::collections::BTreeMap;
use std::path::Path;

use event_contracts_codegen::{load, model, LoadOptions, SchemaFiles};

fn repo_files() -> BTreeMap<String, String> {
    let files = SchemaFiles::read_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas"))
        .expect("the repository schemas are readable");
    files
        .iter()
        .filter(|(p, _)| p.ends_with(".json"))
        .map(|(p, b)| (p.to_owned(), String::from_utf8(b.to_vec()).unwrap()))
        .collect()
}

/// Loads the repository schemas after `edit`, and renders what the build would print.
fn diagnostics(edit: impl FnOnce(&mut BTreeMap<String, String>)) -> String {
    let mut files = repo_files();
    edit(&mut files);
    let set = match load(
        &SchemaFiles::from_files("schemas", files),
        &LoadOptions::default(),
    ) {
        Err(e) => return e.to_string(),
        Ok(set) => set,
    };
    match model::build(&set) {
        Err(e) => e.to_string(),
        Ok(_) => "no problems".to_owned(),
    }
}

fn replace(files: &mut BTreeMap<String, String>, path: &str, from: &str, to: &str) {
    let text = files.get_mut(path).unwrap_or_else(|| panic!("no {path}"));
    assert!(text.contains(from), "{path} does not contain {from:?}");
    *text = text.replacen(from, to, 1);
}

#[test]
fn the_repository_schemas_have_no_problems() {
    assert_eq!(diagnostics(|_| {}), "no problems");
}

#[test]
fn a_misspelled_type_names_file_line_and_pointer() {
    let out = diagnostics(|f| {
        replace(
            f,
            "product-created/1.0.0.json",
            "\"type\": \"object\",\n      \"description\": \"The product as it was created\"",
            "\"type\": \"objekt\",\n      \"description\": \"The product as it was created\"",
        )
    });
    assert!(
        out.contains(
            "schemas/product-created/1.0.0.json:50 (at JSON pointer /properties/data/type)"
        ),
        "{out}"
    );
    insta::assert_snapshot!(out);
}

#[test]
fn a_folder_that_disagrees_with_the_event_type() {
    let out = diagnostics(|f| {
        let text = f.get_mut("product-deleted/1.0.0.json").unwrap();
        *text = text.replace("\"ProductDeleted\"", "\"ProductDeletd\"");
    });
    insta::assert_snapshot!(out);
}

#[test]
fn a_file_name_that_is_not_a_version() {
    let out = diagnostics(|f| {
        let text = f.remove("product-deleted/1.0.0.json").unwrap();
        f.insert("product-deleted/1.0.json".into(), text);
    });
    insta::assert_snapshot!(out);
}

#[test]
fn a_ref_over_the_network_is_refused() {
    let out = diagnostics(|f| {
        replace(
            f,
            "product-updated/1.0.0.json",
            "../common/envelope.json#/definitions/source",
            "http://example.com/envelope.json#/definitions/source",
        )
    });
    assert!(out.contains("never fetch anything over a network"), "{out}");
    insta::assert_snapshot!(out);
}

#[test]
fn a_ref_outside_the_folder_is_refused() {
    let out = diagnostics(|f| {
        replace(
            f,
            "product-updated/1.0.0.json",
            "../common/envelope.json#/definitions/source",
            "../../secrets.json#/x",
        )
    });
    insta::assert_snapshot!(out);
}

#[test]
fn a_ref_to_a_missing_definition() {
    let out = diagnostics(|f| {
        replace(
            f,
            "product-updated/1.0.0.json",
            "../common/envelope.json#/definitions/source",
            "../common/envelope.json#/definitions/sauce",
        )
    });
    insta::assert_snapshot!(out);
}

#[test]
fn a_valid_example_that_fails() {
    let out = diagnostics(|f| {
        replace(
            f,
            "low-stock-warning/examples/1.0.0/valid/minimal.json",
            "\"threshold\": 5",
            "\"threshold\": -5",
        )
    });
    assert!(
        out.contains("low-stock-warning/examples/1.0.0/valid/minimal.json"),
        "{out}"
    );
    assert!(out.contains("/data/threshold"), "{out}");
    insta::assert_snapshot!(out);
}

#[test]
fn an_invalid_example_that_passes() {
    let out = diagnostics(|f| {
        replace(
            f,
            "low-stock-warning/examples/1.0.0/invalid/unknown-severity.json",
            "\"urgent\"",
            "\"high\"",
        )
    });
    insta::assert_snapshot!(out);
}

#[test]
fn duplicate_keys_in_a_schema() {
    let out = diagnostics(|f| {
        replace(
            f,
            "product-deleted/1.0.0.json",
            "\"type\": \"object\",",
            "\"type\": \"object\", \"type\": \"array\",",
        )
    });
    insta::assert_snapshot!(out);
}

#[test]
fn a_missing_draft_is_reported_and_an_id_is_not() {
    // `$id` sets a base URI, which `$ref`s resolve against inside the document; it is
    // allowed. Without `$schema` the file names no draft, which is an error.
    let out = diagnostics(|f| {
        replace(
            f,
            "product-deleted/1.0.0.json",
            "\"$schema\": \"http://json-schema.org/draft-07/schema#\",",
            "\"$id\": \"https://example.com/x.json\",",
        )
    });
    insta::assert_snapshot!(out);
}

#[test]
fn every_draft_07_keyword_generates() {
    // Nothing a schema says is refused: each keyword becomes a type or a check.
    let out = diagnostics(|f| {
        replace(
            f,
            "product-deleted/1.0.0.json",
            "\"reason\": {",
            "\"reason\": {\n          \"oneOf\": [{\"type\": \"string\"}, {\"type\": \"null\"}],\n          \"not\": {\"const\": \"\"},\n          \"if\": {\"minLength\": 9}, \"then\": {\"pattern\": \"^[A-Z]\"},",
        )
    });
    assert_eq!(out, "no problems");
}

#[test]
fn a_self_referencing_ref_is_a_clear_error() {
    let out = diagnostics(|f| {
        replace(
            f,
            "product-deleted/1.0.0.json",
            "\"reason\": {",
            "\"reason\": {\n          \"$ref\": \"#/properties/data/properties/reason\",",
        )
    });
    insta::assert_snapshot!(out);
}

#[test]
fn an_unexpected_json_file() {
    let out = diagnostics(|f| {
        f.insert("notes.json".into(), "{}".into());
    });
    insta::assert_snapshot!(out);
}
