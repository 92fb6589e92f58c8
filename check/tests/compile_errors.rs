//! What `CompiledSchema::compile` refuses, and that each refusal names the JSON pointer at
//! fault and says what to do.

use event_contracts_check::schema::{CompileError, CompiledSchema};
use serde_json::{json, Value};

fn refused(schema: Value) -> CompileError {
    CompiledSchema::compile(&schema).expect_err("the schema must be refused")
}

#[test]
fn an_unresolvable_pointer_names_the_ref() {
    let e = refused(json!({"properties": {"a": {"$ref": "#/definitions/missing"}}}));
    assert!(matches!(e, CompileError::UnresolvableRef { .. }), "{e:?}");
    assert_eq!(e.pointer(), "/properties/a/$ref");
    assert_eq!(
        e.to_string(),
        "#/properties/a/$ref: $ref \"#/definitions/missing\" cannot be resolved (nothing is at \
         the JSON pointer \"/definitions/missing\" of \"json-schema:///\"); refer to a JSON \
         pointer (\"#/definitions/x\"), a plain-name anchor or an $id inside this document: \
         other documents are never fetched"
    );
}

#[test]
fn a_remote_ref_is_never_fetched() {
    for reference in [
        "http://example.com/other.json",
        "https://json-schema.org/draft-07/schema#",
        "other.json#/definitions/a",
        "file:///etc/schema.json",
    ] {
        let e = refused(json!({"items": {"$ref": reference}}));
        assert!(matches!(e, CompileError::UnresolvableRef { .. }), "{e:?}");
        assert_eq!(e.pointer(), "/items/$ref", "{reference}");
        assert!(e.to_string().contains("never fetched"), "{e}");
    }
}

#[test]
fn the_draft_07_meta_schema_is_embedded() {
    let schema =
        CompiledSchema::compile(&json!({"$ref": "http://json-schema.org/draft-07/schema#"}))
            .unwrap();
    assert!(schema.is_valid(schema.root(), &json!({"type": "string"})));
    assert!(!schema.is_valid(schema.root(), &json!({"type": 1})));
}

#[test]
fn an_unknown_anchor_or_a_ref_to_data_is_refused() {
    let e = refused(json!({"allOf": [{"$ref": "#nope"}]}));
    assert_eq!(e.pointer(), "/allOf/0/$ref");
    assert!(e.to_string().contains("no anchor"), "{e}");
    let e = refused(json!({"enum": [1], "not": {"$ref": "#/enum"}}));
    assert_eq!(e.pointer(), "/not/$ref");
    assert!(e.to_string().contains("not a schema"), "{e}");
}

#[test]
fn a_bad_pattern_names_the_keyword() {
    // The draft-07 meta-schema gives `pattern` the `regex` format, which the meta check
    // applies first: the pattern is refused there, at its pointer.
    let e = refused(json!({"properties": {"a": {"pattern": "(unclosed"}}}));
    assert!(matches!(e, CompileError::NotASchema { .. }), "{e:?}");
    assert_eq!(e.pointer(), "/properties/a/pattern");
    assert!(e.to_string().contains("\"regex\""), "{e}");
    // `patternProperties`' keys have the `regex` format through the meta-schema's
    // `propertyNames`, whose violations sit at the object that holds the keys.
    let e = refused(json!({"patternProperties": {"a[": {}}}));
    assert_eq!(e.pointer(), "/patternProperties");
    assert!(e.to_string().contains("\"a[\""), "{e}");
}

#[test]
fn values_that_are_not_schemas_are_refused_by_the_meta_schema() {
    for (schema, pointer) in [
        (json!(1), ""),
        (json!({"properties": {"a": 1}}), "/properties/a"),
        (json!({"items": [true, "x"]}), "/items"),
        (json!({"minLength": -1}), "/minLength"),
        (json!({"type": "text"}), "/type"),
        (json!({"required": "a"}), "/required"),
        (json!({"allOf": []}), "/allOf"),
        (json!({"not": null}), "/not"),
        (
            json!({"definitions": {"a": {"multipleOf": 0}}}),
            "/definitions/a/multipleOf",
        ),
    ] {
        let e = refused(schema.clone());
        assert!(
            matches!(e, CompileError::NotASchema { .. }),
            "{schema}: {e:?}"
        );
        assert_eq!(e.pointer(), pointer, "{schema}: {e}");
        assert!(e.to_string().contains("draft-07 meta-schema"), "{e}");
    }
}

#[test]
fn ref_cycles_that_never_enter_the_instance_are_refused() {
    let e = refused(json!({
        "definitions": {"a": {"allOf": [{"$ref": "#/definitions/b"}]}, "b": {"not": {"$ref": "#/definitions/a"}}},
        "$ref": "#/definitions/a"
    }));
    assert!(matches!(e, CompileError::RefCycle { .. }), "{e:?}");
    assert!(e.to_string().contains("#/definitions/a"), "{e}");
    // A reference to itself constrains nothing, as in `jsonschema`; one that descends into
    // the instance is recursion, not a cycle.
    CompiledSchema::compile(&json!({"definitions": {"a": {"$ref": "#/definitions/a"}}})).unwrap();
    let tree = CompiledSchema::compile(&json!({
        "type": "object",
        "properties": {"children": {"type": "array", "items": {"$ref": "#"}}}
    }))
    .unwrap();
    assert!(tree.is_valid(tree.root(), &json!({"children": [{"children": []}]})));
    assert!(!tree.is_valid(tree.root(), &json!({"children": [{"children": [1]}]})));
}

#[test]
fn other_drafts_and_deep_documents_are_refused() {
    let e = refused(
        json!({"properties": {"a": {"$schema": "http://json-schema.org/draft-04/schema#"}}}),
    );
    assert!(matches!(e, CompileError::OtherDraft { .. }), "{e:?}");
    assert_eq!(e.pointer(), "/properties/a/$schema");
    // The root's `$schema` is not read, as `jsonschema::draft7` does not read it.
    CompiledSchema::compile(&json!({"$schema": "http://json-schema.org/draft-04/schema#"}))
        .unwrap();
    let mut deep = json!({});
    for _ in 0..300 {
        deep = json!({ "not": deep });
    }
    let e = refused(deep);
    assert!(matches!(e, CompileError::TooDeep { .. }), "{e:?}");
}
