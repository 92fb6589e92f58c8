//! Hostile schemas: `$ref` cycles and `$ref`s over a network. The loader refuses both with a
//! diagnostic; the compatibility engine, which takes any JSON value and so can be handed a
//! cycle the loader never saw, must end without a panic. (`bad_schemas.rs` snapshots the
//! one-line versions of these; here every shape of cycle and every scheme is asserted.)

use std::collections::BTreeMap;
use std::path::Path;

use event_contracts_compat::{self as compat, Bump, Side};
use event_contracts_schema::load::compile_validator;
use event_contracts_schema::{load, LoadOptions, SchemaFiles};
use serde_json::{json, Value};

/// The repository's schemas with `product-deleted/1.0.0.json`'s `reason` property replaced
/// by `reason`, and what loading them reports (or "loaded" when it succeeds).
fn load_with_reason(reason: &str) -> String {
    let mut files: BTreeMap<String, String> =
        SchemaFiles::read_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas"))
            .unwrap()
            .iter()
            .filter(|(p, _)| p.ends_with(".json"))
            .map(|(p, b)| (p.to_owned(), String::from_utf8(b.to_vec()).unwrap()))
            .collect();
    let text = files.get_mut("product-deleted/1.0.0.json").unwrap();
    let mut schema: Value = serde_json::from_str(text).unwrap();
    schema["properties"]["data"]["properties"]["reason"] = serde_json::from_str(reason).unwrap();
    *text = serde_json::to_string_pretty(&schema).unwrap();
    match load(
        &SchemaFiles::from_files("schemas", files),
        &LoadOptions::default(),
    ) {
        Ok(_) => "loaded".to_owned(),
        Err(e) => e.to_string(),
    }
}

const REASON: &str = "/properties/data/properties/reason";

#[test]
fn a_ref_to_itself_or_its_root_is_refused_at_load() {
    let out = load_with_reason(&format!(r##"{{"$ref": "#{REASON}"}}"##));
    assert!(
        out.contains(&format!(
            "error: this $ref chain loops back to itself ({REASON} -> {REASON}), so it constrains nothing"
        )),
        "{out}"
    );
    // Two properties pointing at each other: one diagnostic for the loop, not one per entry.
    let out = load_with_reason(&format!(
        r##"{{"type": "object", "properties": {{"a": {{"$ref": "#{REASON}/properties/b"}}, "b": {{"$ref": "#{REASON}/properties/a"}}}}}}"##
    ));
    assert_eq!(
        out.matches("this $ref chain loops back to itself").count(),
        1,
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "({REASON}/properties/a -> {REASON}/properties/b -> {REASON}/properties/a)"
        )),
        "{out}"
    );
}

#[test]
fn refs_with_a_scheme_are_refused_before_anything_is_resolved() {
    // 192.0.2.1 is TEST-NET-1: unroutable, so a loader that tried to fetch would hang or
    // fail with a network error, not with this diagnostic.
    for reference in [
        "http://192.0.2.1/envelope.json#/definitions/source",
        "https://192.0.2.1/envelope.json",
        "//192.0.2.1/envelope.json",
        "file:///etc/passwd",
        "urn:example:envelope",
    ] {
        let out = load_with_reason(&format!(r#"{{"$ref": "{reference}"}}"#));
        assert!(
            out.contains(&format!(
                "$ref {reference:?} names a URI; contracts never fetch anything over a network"
            )),
            "{reference}: {out}"
        );
    }
}

/// Schemas whose `$ref`s loop, from the smallest (the root naming itself) up.
fn cycles() -> Vec<Value> {
    vec![
        json!({"$ref": "#"}),
        json!({"definitions": {"a": {"$ref": "#/definitions/a"}}, "$ref": "#/definitions/a"}),
        json!({"definitions": {"a": {"$ref": "#/definitions/b"}, "b": {"$ref": "#/definitions/a"}},
               "type": "object", "properties": {"x": {"$ref": "#/definitions/a"}}}),
        // A legitimate recursive type (a tree), which is not a loop of bare refs.
        json!({"definitions": {"node": {"type": "object", "required": ["v"], "properties": {
            "v": {"type": "integer"},
            "children": {"type": "array", "items": {"$ref": "#/definitions/node"}}}}},
               "$ref": "#/definitions/node"}),
    ]
}

#[test]
fn the_compat_engine_ends_on_cycles_compared_with_themselves() {
    for schema in cycles() {
        let diff = compat::diff(&schema, &schema);
        assert!(diff.findings.is_empty(), "{schema}: {:?}", diff.findings);
        assert_eq!(diff.required, Bump::None, "{schema}");
    }
}

#[test]
fn the_compat_engine_ends_on_cycles_compared_with_anything() {
    // Every pair, both ways, and against a plain schema: the engine ends, and any witness
    // it offers for a major finding really separates the two sides.
    let mut schemas = cycles();
    schemas.push(json!({"type": "object", "properties": {"x": {"type": "string"}}}));
    schemas.push(
        json!({"definitions": {"node": {"type": "object", "required": ["v"], "properties": {
        "v": {"type": "string"},
        "children": {"type": "array", "items": {"$ref": "#/definitions/node"}}}}},
           "$ref": "#/definitions/node"}),
    );
    let mut majors = 0;
    for old in &schemas {
        for new in &schemas {
            let diff = compat::diff(old, new);
            if old == new {
                assert_eq!(diff.required, Bump::None);
                continue;
            }
            for finding in &diff.findings {
                let Some(witness) = finding.witness() else {
                    continue;
                };
                majors += 1;
                let verdict = |schema: &Value| {
                    compile_validator(schema)
                        .unwrap_or_else(|e| panic!("{schema}: {e}"))
                        .is_valid(&witness.event)
                };
                let accepted_by = match (verdict(old), verdict(new)) {
                    (true, false) => Side::Old,
                    (false, true) => Side::New,
                    both => panic!("{old} vs {new}: witness {} gets {both:?}", witness.event),
                };
                assert_eq!(accepted_by, witness.valid_under, "{}", witness.event);
            }
        }
    }
    // The tree whose value changed type must yield at least one checked witness.
    assert!(majors >= 1);
}
