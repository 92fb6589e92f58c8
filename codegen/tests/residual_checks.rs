//! Which residual keywords of a struct (`dependencies`, `not`, `if`/`then`/`else`,
//! combinators beside its properties) the generator writes as Rust over the typed value
//! (`#[object(holds)]` and `__holds`), and which stay a check on a tree of the value.
//! That the written expressions decide as the oracle does is the corpus crate's property
//! test `residual_keywords_over_typed_members` and its account's conditionals.

use event_contracts_codegen::{emit, load, model, EmitOptions, LoadOptions, SchemaFiles};
use serde_json::{json, Value};

/// The Rust of one event whose `data` property has the object schema `data`.
fn generated(data: Value) -> String {
    let schema = json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "type": "object",
        "required": ["eventType", "version"],
        "properties": {
            "eventType": {"type": "string", "enum": ["Probe"]},
            "version": {"type": "string"},
            "data": data
        }
    });
    let files = vec![("probe/1.0.0.json", schema.to_string())];
    let set = load::load(
        &SchemaFiles::from_files("schemas", files),
        &LoadOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let model = model::build(&set).unwrap_or_else(|e| panic!("{e}"));
    let event = &model.events[0];
    emit::render_version(&model, event, &event.versions[0], &EmitOptions::default())
        .unwrap_or_else(|e| panic!("{e}"))
}

/// An object with typed members and the residual keywords `rest`.
fn data(rest: Value) -> Value {
    let mut data = json!({
        "type": "object",
        "required": ["plan"],
        "properties": {
            "plan": {"type": "string", "enum": ["free", "pro"]},
            "seats": {"type": "integer", "minimum": 1},
            "name": {"type": "string"},
            "when": {"type": "string", "format": "date-time"},
            "note": {"type": ["string", "null"]},
            "ratio": {"type": "number"}
        }
    });
    for (k, v) in rest.as_object().expect("keywords") {
        data[k] = v.clone();
    }
    data
}

#[test]
fn residual_keywords_over_typed_members_become_rust() {
    for rest in [
        json!({"if": {"properties": {"plan": {"const": "pro"}}}, "then": {"required": ["seats"]}}),
        json!({"dependencies": {"seats": ["name"], "name": {"properties": {"seats": {"maximum": 9}}}}}),
        json!({"not": {"required": ["name"], "properties": {"name": {"const": ""}}}}),
        json!({"anyOf": [{"required": ["seats"]}, {"properties": {"ratio": {"exclusiveMaximum": 0.5}}}],
               "oneOf": [{"required": ["name"]}, {"required": ["when"]}]}),
        // A member no field holds, in an open object: looked up among the unknown ones.
        json!({"not": {"required": ["legacy"]}}),
        // Values of another JSON type than the field's never equal it.
        json!({"not": {"properties": {"seats": {"enum": ["1", 1.5, 2]}}}}),
    ] {
        let code = generated(data(rest.clone()));
        assert!(
            code.contains("fn __holds(&self) -> bool"),
            "{rest}:\n{code}"
        );
        assert!(code.contains("holds,"), "{rest}");
        assert!(!code.contains("checked,"), "{rest}");
    }
}

#[test]
fn what_the_typed_value_cannot_say_stays_a_check() {
    for rest in [
        // A time's text has other spellings than the value.
        json!({"not": {"properties": {"when": {"const": "2020-01-01T00:00:00Z"}}}}),
        // A keyword the translation does not know on a string.
        json!({"not": {"properties": {"name": {"pattern": "^x"}}}}),
        // A nullable member's value.
        json!({"not": {"properties": {"note": {"const": null}}}}),
        // A rule on a member no field holds, in an open object.
        json!({"not": {"properties": {"legacy": {"const": 1}}}}),
        // Counting members.
        json!({"not": {"minProperties": 3}}),
        // A reference.
        json!({"not": {"$ref": "#/properties/data/properties/name"}}),
        // `integer` of a number member depends on its value.
        json!({"not": {"properties": {"ratio": {"type": "integer"}}}}),
    ] {
        let code = generated(data(rest.clone()));
        assert!(!code.contains("__holds"), "{rest}:\n{code}");
        assert!(code.contains("checked,"), "{rest}");
    }
}

#[test]
fn the_written_expression_reads_as_the_schema_says() {
    let code = generated(data(json!({
        "if": {"properties": {"plan": {"const": "pro"}}},
        "then": {"required": ["seats"]},
        "else": {"properties": {"seats": {"maximum": 5}}},
        "dependencies": {"name": ["seats"]}
    })));
    let start = code
        .find("    impl Data {")
        .unwrap_or_else(|| panic!("no impl:\n{code}"));
    let end = code[start..]
        .find("\n    }\n")
        .map_or(code.len(), |e| start + e + 6);
    insta::assert_snapshot!("residual_expression", &code[start..end]);
}
