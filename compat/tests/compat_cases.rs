//! Table-driven change cases for the compatibility engine: for each pair of schemas, the
//! exact rules found and the bump required, an insta snapshot of the human report, and a
//! check with the real validator of every witness.

use event_contracts_compat::{self as compat, Bump, DiffSources, Evidence, Format, Side};
use event_contracts_schema::load::compile_validator;
use serde_json::{json, Value};

struct Case {
    name: &'static str,
    old: Value,
    new: Value,
    required: Bump,
    /// Rule ids in the order the report lists them.
    rules: &'static [&'static str],
    /// Major rules of this case for which no witness can exist.
    unwitnessed: &'static [&'static str],
}

fn case(
    name: &'static str,
    old: Value,
    new: Value,
    required: Bump,
    rules: &'static [&'static str],
) -> Case {
    Case {
        name,
        old,
        new,
        required,
        rules,
        unwitnessed: &[],
    }
}

fn obj(props: Value) -> Value {
    json!({"type": "object", "properties": props})
}

/// A small event with a shared definition used in two places.
fn event(amount: Value) -> Value {
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "type": "object",
        "required": ["eventType", "data"],
        "definitions": {"money": amount},
        "properties": {
            "eventType": {"type": "string", "enum": ["OrderPlaced"]},
            "data": {
                "type": "object",
                "required": ["total"],
                "properties": {
                    "total": {"$ref": "#/definitions/money"},
                    "discount": {"$ref": "#/definitions/money"}
                }
            }
        }
    })
}

fn tree(leaf: Value) -> Value {
    json!({
        "definitions": {"node": {"type": "object", "properties": {
            "label": leaf,
            "children": {"type": "array", "items": {"$ref": "#/definitions/node"}}
        }}},
        "$ref": "#/definitions/node"
    })
}

fn cases() -> Vec<Case> {
    use Bump::{Major, Minor, Patch};
    let s = |extra: Value| {
        let mut base = json!({"type": "string"});
        if let (Some(b), Some(e)) = (base.as_object_mut(), extra.as_object()) {
            b.extend(e.clone());
        }
        obj(json!({"name": base}))
    };
    let n = |extra: Value| {
        let mut base = json!({"type": "number"});
        if let (Some(b), Some(e)) = (base.as_object_mut(), extra.as_object()) {
            b.extend(e.clone());
        }
        obj(json!({"price": base}))
    };
    let arr = |extra: Value| {
        let mut base = json!({"type": "array", "items": {"type": "string"}});
        if let (Some(b), Some(e)) = (base.as_object_mut(), extra.as_object()) {
            b.extend(e.clone());
        }
        obj(json!({"tags": base}))
    };
    vec![
        // --- none and patch ---
        case(
            "identical",
            s(json!({"maxLength": 5})),
            s(json!({"maxLength": 5})),
            Bump::None,
            &[],
        ),
        case(
            "description_changed",
            s(json!({"description": "a"})),
            s(json!({"description": "b"})),
            Patch,
            &["annotation-changed"],
        ),
        case(
            "title_added",
            s(json!({})),
            s(json!({"title": "Name"})),
            Patch,
            &["annotation-changed"],
        ),
        case(
            "comment_and_examples_changed",
            s(json!({"$comment": "x", "examples": ["a"]})),
            s(json!({"$comment": "y", "examples": ["a", "b"]})),
            Patch,
            &["annotation-changed", "annotation-changed"],
        ),
        case(
            "deprecated_added",
            s(json!({})),
            s(json!({"deprecated": true})),
            Patch,
            &["annotation-changed"],
        ),
        case(
            "enum_reordered",
            s(json!({"enum": ["a", "b", "c"]})),
            s(json!({"enum": ["c", "a", "b"]})),
            Patch,
            &[],
        ),
        case(
            "required_reordered",
            json!({"type": "object", "properties": {"a": {}, "b": {}}, "required": ["a", "b"]}),
            json!({"type": "object", "properties": {"a": {}, "b": {}}, "required": ["b", "a"]}),
            Patch,
            &[],
        ),
        case(
            "const_to_one_value_enum",
            s(json!({"const": "x"})),
            s(json!({"enum": ["x"]})),
            Patch,
            &[],
        ),
        case(
            "type_array_to_string",
            obj(json!({"a": {"type": ["string"]}})),
            obj(json!({"a": {"type": "string"}})),
            Patch,
            &[],
        ),
        case(
            "inline_to_ref",
            obj(json!({"id": {"type": "string", "format": "uuid"}})),
            json!({"type": "object", "definitions": {"id": {"type": "string", "format": "uuid"}}, "properties": {"id": {"$ref": "#/definitions/id"}}}),
            Patch,
            &[],
        ),
        case(
            "ref_to_inline",
            json!({"type": "object", "definitions": {"id": {"type": "string"}}, "properties": {"id": {"$ref": "#/definitions/id"}}}),
            obj(json!({"id": {"type": "string"}})),
            Patch,
            &[],
        ),
        case(
            "definition_renamed",
            json!({"type": "object", "definitions": {"a": {"type": "integer"}}, "properties": {"n": {"$ref": "#/definitions/a"}}}),
            json!({"type": "object", "definitions": {"count": {"type": "integer"}}, "properties": {"n": {"$ref": "#/definitions/count"}}}),
            Patch,
            &[],
        ),
        case(
            "integer_exclusive_minimum_rewritten",
            obj(json!({"n": {"type": "integer", "exclusiveMinimum": 0}})),
            obj(json!({"n": {"type": "integer", "minimum": 1}})),
            Patch,
            &[],
        ),
        case(
            "unused_definition_added",
            s(json!({})),
            json!({"type": "object", "definitions": {"unused": {"type": "integer"}}, "properties": {"name": {"type": "string"}}}),
            Patch,
            &[],
        ),
        case(
            "type_added_beside_enum",
            obj(json!({"k": {"enum": ["a", "b"]}})),
            obj(json!({"k": {"type": "string", "enum": ["a", "b"]}})),
            Patch,
            &[],
        ),
        case(
            "integer_multiple_of_one_added",
            obj(json!({"n": {"type": "integer"}})),
            obj(json!({"n": {"type": "integer", "multipleOf": 1}})),
            Patch,
            &[],
        ),
        // --- minor ---
        case(
            "optional_property_added",
            s(json!({})),
            obj(json!({"name": {"type": "string"}, "color": {"type": "string"}})),
            Minor,
            &["optional-property-added"],
        ),
        case(
            "nested_optional_property_added",
            obj(json!({"data": obj(json!({"id": {"type": "string"}}))})),
            obj(
                json!({"data": obj(json!({"id": {"type": "string"}, "note": {"type": "string", "maxLength": 10}}))}),
            ),
            Minor,
            &["optional-property-added"],
        ),
        case(
            "optional_property_with_default_added",
            obj(json!({"data": {"type": "object"}})),
            obj(json!({"data": obj(json!({"metadata": {"type": "object", "default": {}}}))})),
            Minor,
            &["optional-property-added"],
        ),
        case(
            "two_optional_properties_added",
            s(json!({})),
            obj(
                json!({"name": {"type": "string"}, "a": {"type": "integer"}, "b": {"type": "boolean"}}),
            ),
            Minor,
            &["optional-property-added", "optional-property-added"],
        ),
        case(
            "optional_property_and_description",
            s(json!({})),
            json!({"type": "object", "description": "now documented", "properties": {"name": {"type": "string"}, "c": {}}}),
            Minor,
            &["annotation-changed", "optional-property-added"],
        ),
        case(
            "optional_property_added_to_explicitly_open_object",
            json!({"type": "object", "additionalProperties": true, "properties": {}}),
            json!({"type": "object", "additionalProperties": true, "properties": {"x": {"type": "string"}}}),
            Minor,
            &["optional-property-added"],
        ),
        // --- major: values and types ---
        case(
            "enum_value_added",
            s(json!({"enum": ["a", "b"]})),
            s(json!({"enum": ["a", "b", "c"]})),
            Major,
            &["enum-value-added"],
        ),
        case(
            "enum_value_removed",
            s(json!({"enum": ["a", "b"]})),
            s(json!({"enum": ["a"]})),
            Major,
            &["enum-value-removed"],
        ),
        case(
            "enum_value_replaced",
            s(json!({"enum": ["a", "b"]})),
            s(json!({"enum": ["a", "c"]})),
            Major,
            &["enum-value-added", "enum-value-removed"],
        ),
        case(
            "const_changed",
            s(json!({"const": "a"})),
            s(json!({"const": "b"})),
            Major,
            &["enum-value-added", "enum-value-removed"],
        ),
        case(
            "enum_introduced",
            s(json!({})),
            s(json!({"enum": ["a", "b"]})),
            Major,
            &["enum-introduced"],
        ),
        case(
            "enum_lifted",
            s(json!({"enum": ["a", "b"]})),
            s(json!({})),
            Major,
            &["enum-lifted"],
        ),
        case(
            "enum_made_nullable",
            s(json!({"enum": ["a"]})),
            obj(json!({"name": {"enum": ["a", null]}})),
            Major,
            &["enum-value-added"],
        ),
        case(
            "integer_to_number",
            obj(json!({"n": {"type": "integer"}})),
            obj(json!({"n": {"type": "number"}})),
            Major,
            &["type-widened"],
        ),
        case(
            "string_to_string_or_number",
            s(json!({})),
            obj(json!({"name": {"type": ["string", "number"]}})),
            Major,
            &["type-widened"],
        ),
        case(
            "number_to_integer",
            n(json!({})),
            obj(json!({"price": {"type": "integer"}})),
            Major,
            &["type-narrowed"],
        ),
        case(
            "number_to_string",
            n(json!({})),
            obj(json!({"price": {"type": "string"}})),
            Major,
            &["type-changed"],
        ),
        case(
            "made_nullable",
            s(json!({})),
            obj(json!({"name": {"type": ["string", "null"]}})),
            Major,
            &["type-made-nullable"],
        ),
        case(
            "made_non_nullable",
            obj(json!({"name": {"type": ["null", "string"]}})),
            s(json!({})),
            Major,
            &["type-made-non-nullable"],
        ),
        case(
            "type_removed",
            s(json!({})),
            obj(json!({"name": {}})),
            Major,
            &["type-widened"],
        ),
        // --- major: strings ---
        case(
            "max_length_decreased",
            s(json!({"maxLength": 10})),
            s(json!({"maxLength": 5})),
            Major,
            &["string-length-tightened"],
        ),
        case(
            "max_length_increased",
            s(json!({"maxLength": 5})),
            s(json!({"maxLength": 10})),
            Major,
            &["string-length-loosened"],
        ),
        case(
            "min_length_added",
            s(json!({})),
            s(json!({"minLength": 1})),
            Major,
            &["string-length-tightened"],
        ),
        case(
            "max_length_removed",
            s(json!({"maxLength": 3})),
            s(json!({})),
            Major,
            &["string-length-loosened"],
        ),
        case(
            "both_lengths_moved_up",
            s(json!({"minLength": 1, "maxLength": 5})),
            s(json!({"minLength": 2, "maxLength": 8})),
            Major,
            &["string-length-tightened", "string-length-loosened"],
        ),
        case(
            "pattern_added",
            s(json!({})),
            s(json!({"pattern": "^[a-z]+$"})),
            Major,
            &["pattern-added"],
        ),
        case(
            "pattern_removed",
            s(json!({"pattern": "^[a-z]+$"})),
            s(json!({})),
            Major,
            &["pattern-removed"],
        ),
        case(
            "pattern_changed",
            s(json!({"pattern": "^[a-z]+$"})),
            s(json!({"pattern": "^[a-z0-9]+$"})),
            Major,
            &["pattern-changed"],
        ),
        case(
            "format_added",
            s(json!({})),
            s(json!({"format": "uuid"})),
            Major,
            &["format-added"],
        ),
        case(
            "format_removed",
            s(json!({"format": "date-time"})),
            s(json!({})),
            Major,
            &["format-removed"],
        ),
        case(
            "format_changed",
            s(json!({"format": "uuid"})),
            s(json!({"format": "date-time"})),
            Major,
            &["format-changed"],
        ),
        // --- major: numbers ---
        case(
            "minimum_raised",
            n(json!({"minimum": 0})),
            n(json!({"minimum": 1})),
            Major,
            &["number-range-tightened"],
        ),
        case(
            "maximum_removed",
            n(json!({"maximum": 100})),
            n(json!({})),
            Major,
            &["number-range-loosened"],
        ),
        case(
            "exclusive_maximum_to_maximum",
            n(json!({"exclusiveMaximum": 10})),
            n(json!({"maximum": 10})),
            Major,
            &["number-range-loosened"],
        ),
        case(
            "minimum_made_exclusive",
            n(json!({"minimum": 0})),
            n(json!({"exclusiveMinimum": 0})),
            Major,
            &["number-range-tightened"],
        ),
        case(
            "range_shifted",
            n(json!({"minimum": 0, "maximum": 10})),
            n(json!({"minimum": 5, "maximum": 20})),
            Major,
            &["number-range-tightened", "number-range-loosened"],
        ),
        case(
            "multiple_of_added",
            n(json!({})),
            n(json!({"multipleOf": 0.01})),
            Major,
            &["multiple-of-tightened"],
        ),
        case(
            "multiple_of_divided",
            n(json!({"multipleOf": 10})),
            n(json!({"multipleOf": 5})),
            Major,
            &["multiple-of-loosened"],
        ),
        case(
            "multiple_of_unrelated",
            n(json!({"multipleOf": 4})),
            n(json!({"multipleOf": 6})),
            Major,
            &["multiple-of-changed"],
        ),
        // --- major: arrays ---
        case(
            "max_items_decreased",
            arr(json!({"maxItems": 10})),
            arr(json!({"maxItems": 2})),
            Major,
            &["array-length-tightened"],
        ),
        case(
            "min_items_removed",
            arr(json!({"minItems": 1})),
            arr(json!({})),
            Major,
            &["array-length-loosened"],
        ),
        case(
            "unique_items_added",
            arr(json!({})),
            arr(json!({"uniqueItems": true})),
            Major,
            &["unique-items-added"],
        ),
        case(
            "unique_items_removed",
            arr(json!({"uniqueItems": true})),
            arr(json!({"uniqueItems": false})),
            Major,
            &["unique-items-removed"],
        ),
        case(
            "array_item_constraint_tightened",
            arr(json!({})),
            obj(json!({"tags": {"type": "array", "items": {"type": "string", "maxLength": 3}}})),
            Major,
            &["string-length-tightened"],
        ),
        case(
            "array_items_added",
            obj(json!({"tags": {"type": "array"}})),
            arr(json!({})),
            Major,
            &["type-narrowed"],
        ),
        // --- major: objects ---
        case(
            "max_properties_decreased",
            obj(json!({"attrs": {"type": "object", "maxProperties": 4}})),
            obj(json!({"attrs": {"type": "object", "maxProperties": 3}})),
            Major,
            &["property-count-tightened"],
        ),
        case(
            "required_property_added",
            s(json!({})),
            json!({"type": "object", "properties": {"name": {"type": "string"}, "sku": {"type": "string"}}, "required": ["sku"]}),
            Major,
            &["required-property-added"],
        ),
        case(
            "required_property_added_to_closed_object",
            json!({"type": "object", "properties": {"name": {"type": "string"}}, "additionalProperties": false}),
            json!({"type": "object", "properties": {"name": {"type": "string"}, "sku": {"type": "string"}}, "required": ["sku"], "additionalProperties": false}),
            Major,
            &["required-property-added", "property-added-to-closed-object"],
        ),
        case(
            "optional_property_added_to_closed_object",
            json!({"type": "object", "properties": {"name": {"type": "string"}}, "additionalProperties": false}),
            json!({"type": "object", "properties": {"name": {"type": "string"}, "sku": {"type": "string"}}, "additionalProperties": false}),
            Major,
            &["property-added-to-closed-object"],
        ),
        case(
            "optional_property_added_under_additional_schema",
            json!({"type": "object", "additionalProperties": {"type": "integer"}}),
            json!({"type": "object", "properties": {"label": {"type": "string"}}, "additionalProperties": {"type": "integer"}}),
            Major,
            &["optional-property-added", "type-changed"],
        ),
        case(
            "optional_property_added_matching_pattern_properties",
            json!({"type": "object", "patternProperties": {"^x-": {"type": "integer"}}}),
            json!({"type": "object", "patternProperties": {"^x-": {"type": "integer"}}, "properties": {"x-label": {"type": "string"}}}),
            Major,
            &["optional-property-added", "type-narrowed"],
        ),
        case(
            "optional_property_added_under_unchanged_max_properties",
            json!({"type": "object", "maxProperties": 1, "properties": {"name": {"type": "string"}}}),
            json!({"type": "object", "maxProperties": 1, "properties": {"name": {"type": "string"}, "sku": {"type": "string"}}}),
            Minor,
            &["optional-property-added"],
        ),
        case(
            "optional_property_added_under_unchanged_property_names",
            json!({"type": "object", "propertyNames": {"maxLength": 4}, "properties": {"name": {"type": "string"}}}),
            json!({"type": "object", "propertyNames": {"maxLength": 4}, "properties": {"name": {"type": "string"}, "color": {"type": "string"}}}),
            Minor,
            &["optional-property-added"],
        ),
        case(
            "optional_property_added_beside_unchanged_all_of",
            json!({"type": "object", "allOf": [{"properties": {"id": {"type": "string"}}, "additionalProperties": false}]}),
            json!({"type": "object", "allOf": [{"properties": {"id": {"type": "string"}}, "additionalProperties": false}], "properties": {"note": {"type": "string"}}}),
            Minor,
            &["optional-property-added"],
        ),
        Case {
            unwitnessed: &["ref-unresolvable"],
            ..case(
                "same_unresolvable_ref_in_changed_documents",
                json!({"type": "object", "properties": {"x": {"$ref": "other.json#/a"}, "n": {"type": "string"}}}),
                json!({"type": "object", "properties": {"x": {"$ref": "other.json#/a"}, "n": {"type": "string", "description": "d"}}}),
                Major,
                &["annotation-changed", "ref-unresolvable"],
            )
        },
        case(
            "optional_property_removed",
            obj(json!({"name": {"type": "string"}, "legacy": {"type": "string"}})),
            s(json!({})),
            Major,
            &["property-removed"],
        ),
        case(
            "required_property_removed",
            json!({"type": "object", "properties": {"name": {"type": "string"}, "sku": {"type": "string"}}, "required": ["name", "sku"]}),
            json!({"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]}),
            Major,
            &["property-removed"],
        ),
        case(
            "property_removed_from_closed_object",
            json!({"type": "object", "properties": {"name": {"type": "string"}, "legacy": {"type": "integer"}}, "additionalProperties": false}),
            json!({"type": "object", "properties": {"name": {"type": "string"}}, "additionalProperties": false}),
            Major,
            &["property-removed-from-closed-object"],
        ),
        case(
            "property_renamed",
            json!({"type": "object", "properties": {"sellerId": {"type": "string", "format": "uuid"}}, "required": ["sellerId"]}),
            json!({"type": "object", "properties": {"vendorId": {"type": "string", "format": "uuid", "description": "was sellerId"}}, "required": ["vendorId"]}),
            Major,
            &["property-renamed"],
        ),
        case(
            "property_removed_and_another_added",
            obj(json!({"a": {"type": "string"}})),
            obj(json!({"b": {"type": "integer"}})),
            Major,
            &["property-removed", "optional-property-added"],
        ),
        case(
            "property_made_required",
            s(json!({})),
            json!({"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]}),
            Major,
            &["property-made-required"],
        ),
        case(
            "property_made_optional",
            json!({"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]}),
            s(json!({})),
            Major,
            &["property-made-optional"],
        ),
        case(
            "undeclared_property_made_required",
            json!({"type": "object"}),
            json!({"type": "object", "required": ["id"]}),
            Major,
            &["property-made-required"],
        ),
        case(
            "additional_properties_closed",
            s(json!({})),
            json!({"type": "object", "properties": {"name": {"type": "string"}}, "additionalProperties": false}),
            Major,
            &["additional-properties-closed"],
        ),
        case(
            "additional_properties_opened",
            json!({"type": "object", "properties": {"name": {"type": "string"}}, "additionalProperties": false}),
            s(json!({})),
            Major,
            &["additional-properties-opened"],
        ),
        case(
            "additional_properties_restricted",
            json!({"type": "object", "properties": {"name": {"type": "string"}}}),
            json!({"type": "object", "properties": {"name": {"type": "string"}}, "additionalProperties": {"type": "string"}}),
            Major,
            &["type-narrowed"],
        ),
        case(
            "schema_now_false",
            obj(json!({"legacy": {"type": "string"}})),
            obj(json!({"legacy": false})),
            Major,
            &["schema-now-false"],
        ),
        case(
            "schema_no_longer_false",
            obj(json!({"legacy": false})),
            obj(json!({"legacy": {}})),
            Major,
            &["schema-no-longer-false"],
        ),
        // --- major: references, shared and recursive definitions ---
        case(
            "shared_definition_tightened",
            event(json!({"type": "integer", "minimum": 0})),
            event(json!({"type": "integer", "minimum": 0, "maximum": 1000000})),
            Major,
            &["number-range-tightened"],
        ),
        case(
            "recursive_definition_changed",
            tree(json!({"type": "string"})),
            tree(json!({"type": "string", "maxLength": 20})),
            Major,
            &["string-length-tightened"],
        ),
        case(
            "ref_retargeted_to_different_definition",
            json!({"type": "object", "definitions": {"a": {"type": "string"}, "b": {"type": "integer"}}, "properties": {"x": {"$ref": "#/definitions/a"}}}),
            json!({"type": "object", "definitions": {"a": {"type": "string"}, "b": {"type": "integer"}}, "properties": {"x": {"$ref": "#/definitions/b"}}}),
            Major,
            &["type-changed"],
        ),
        Case {
            unwitnessed: &["ref-sibling-changed"],
            ..case(
                "ref_sibling_changed",
                json!({"type": "object", "definitions": {"id": {"type": "string"}}, "properties": {"id": {"$ref": "#/definitions/id"}}}),
                json!({"type": "object", "definitions": {"id": {"type": "string"}}, "properties": {"id": {"$ref": "#/definitions/id", "minLength": 3}}}),
                Major,
                &["ref-sibling-changed"],
            )
        },
        Case {
            unwitnessed: &["ref-unresolvable"],
            ..case(
                "unresolvable_ref_changed",
                obj(json!({"x": {"$ref": "#/definitions/nowhere"}})),
                obj(json!({"x": {"$ref": "#/definitions/elsewhere"}})),
                Major,
                &["ref-unresolvable"],
            )
        },
        // --- major: default, unknown and unsupported keywords ---
        Case {
            unwitnessed: &["default-changed"],
            ..case(
                "default_changed",
                s(json!({"default": "a"})),
                s(json!({"default": "b"})),
                Major,
                &["default-changed"],
            )
        },
        Case {
            unwitnessed: &["default-changed"],
            ..case(
                "default_added",
                s(json!({})),
                s(json!({"default": "a"})),
                Major,
                &["default-changed"],
            )
        },
        Case {
            unwitnessed: &["unknown-keyword-changed"],
            ..case(
                "unknown_keyword_changed",
                n(json!({"x-unit": "cents"})),
                n(json!({"x-unit": "euros"})),
                Major,
                &["unknown-keyword-changed"],
            )
        },
        Case {
            unwitnessed: &["schema-dialect-changed"],
            ..case(
                "dialect_changed",
                json!({"$schema": "http://json-schema.org/draft-07/schema#", "type": "object"}),
                json!({"$schema": "http://json-schema.org/draft-04/schema#", "type": "object"}),
                Major,
                &["schema-dialect-changed"],
            )
        },
        case(
            "one_of_branch_changed",
            obj(json!({"v": {"oneOf": [{"type": "string"}, {"type": "integer"}]}})),
            obj(json!({"v": {"oneOf": [{"type": "string"}, {"type": "boolean"}]}})),
            Major,
            &["type-changed"],
        ),
        case(
            "all_of_added",
            obj(json!({"v": {"type": "string"}})),
            obj(json!({"v": {"type": "string", "allOf": [{"maxLength": 3}]}})),
            Major,
            &["string-length-tightened"],
        ),
        case(
            "pattern_properties_changed",
            json!({"type": "object", "patternProperties": {"^x-": {"type": "string"}}}),
            json!({"type": "object", "patternProperties": {"^x-": {"type": "integer"}}}),
            Major,
            &["type-changed"],
        ),
        case(
            "definition_inside_one_of_changed",
            json!({"definitions": {"a": {"type": "string"}}, "type": "object", "properties": {"v": {"anyOf": [{"$ref": "#/definitions/a"}, {"type": "null"}]}}}),
            json!({"definitions": {"a": {"type": "string", "maxLength": 2}}, "type": "object", "properties": {"v": {"anyOf": [{"$ref": "#/definitions/a"}, {"type": "null"}]}}}),
            Major,
            &["string-length-tightened"],
        ),
        case(
            "one_of_annotation_only_changed",
            obj(
                json!({"v": {"oneOf": [{"type": "string", "description": "a"}, {"type": "null"}]}}),
            ),
            obj(
                json!({"v": {"oneOf": [{"type": "string", "description": "b"}, {"type": "null"}]}}),
            ),
            Patch,
            &["annotation-changed"],
        ),
        case(
            "dependencies_added",
            obj(json!({"a": {}, "b": {}})),
            json!({"type": "object", "properties": {"a": {}, "b": {}}, "dependencies": {"a": ["b"]}}),
            Major,
            &["dependencies-tightened"],
        ),
        case(
            "tuple_items_changed",
            obj(json!({"p": {"type": "array", "items": [{"type": "number"}, {"type": "number"}]}})),
            obj(json!({"p": {"type": "array", "items": [{"type": "number"}, {"type": "string"}]}})),
            Major,
            &["type-changed"],
        ),
        case(
            "if_then_added",
            obj(json!({"v": {"type": "integer"}})),
            obj(
                json!({"v": {"type": "integer", "if": {"minimum": 10}, "then": {"multipleOf": 10}}}),
            ),
            Major,
            &["conditional-tightened"],
        ),
        // --- several changes at once ---
        case(
            "annotation_and_breaking_change",
            s(json!({"maxLength": 10, "description": "a"})),
            s(json!({"maxLength": 8, "description": "b"})),
            Major,
            &["annotation-changed", "string-length-tightened"],
        ),
        case(
            "minor_and_major_together",
            s(json!({"maxLength": 10})),
            obj(json!({"name": {"type": "string", "maxLength": 11}, "extra": {"type": "string"}})),
            Major,
            &["optional-property-added", "string-length-loosened"],
        ),
    ]
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default() + "\n"
}

fn report(c: &Case) -> String {
    let d = compat::diff(&c.old, &c.new);
    let (old_text, new_text) = (pretty(&c.old), pretty(&c.new));
    let sources = DiffSources {
        old_file: "old.json",
        old_text: &old_text,
        new_file: "new.json",
        new_text: &new_text,
        made: None,
    };
    compat::render_diff(&d, &sources, Format::Human)
}

#[test]
fn there_are_enough_cases_and_their_names_are_unique() {
    let cases = cases();
    assert_eq!(cases.len(), 103);
    let mut names: Vec<&str> = cases.iter().map(|c| c.name).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), cases.len());
}

#[test]
fn every_case_finds_exactly_its_rules_and_bump() {
    let mut failures = Vec::new();
    for c in cases() {
        let d = compat::diff(&c.old, &c.new);
        let ids: Vec<&str> = d.findings.iter().map(|f| f.rule.id()).collect();
        if ids != c.rules || d.required != c.required {
            failures.push(format!(
                "{}: expected {:?} {}, got {:?} {}",
                c.name, c.rules, c.required, ids, d.required
            ));
        }
        assert_eq!(
            compat::required_bump(&c.old, &c.new),
            d.required,
            "{}",
            c.name
        );
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn every_case_report_matches_its_snapshot() {
    for c in cases() {
        insta::assert_snapshot!(format!("compat_case_{}", c.name), report(&c));
    }
}

#[test]
fn every_major_witness_is_accepted_by_one_side_and_rejected_by_the_other() {
    let mut checked = 0;
    for c in cases() {
        let d = compat::diff(&c.old, &c.new);
        let old_v = compile_validator(&c.old);
        let new_v = compile_validator(&c.new);
        let mut unwitnessed = Vec::new();
        for f in d.findings.iter().filter(|f| f.bump() == Bump::Major) {
            match &f.evidence {
                Evidence::Witness(w) => {
                    let (old_v, new_v) = match (&old_v, &new_v) {
                        (Ok(o), Ok(n)) => (o, n),
                        _ => panic!("{}: a witness for schemas that do not compile", c.name),
                    };
                    let (accepts, rejects) = match w.valid_under {
                        Side::Old => (old_v, new_v),
                        Side::New => (new_v, old_v),
                    };
                    assert!(
                        accepts.is_valid(&w.event),
                        "{}: {} witness {} is not valid under the {} side",
                        c.name,
                        f.rule.id(),
                        w.event,
                        w.valid_under.as_str()
                    );
                    assert!(
                        !rejects.is_valid(&w.event),
                        "{}: {} witness {} is not rejected by the other side",
                        c.name,
                        f.rule.id(),
                        w.event
                    );
                    checked += 1;
                }
                Evidence::Unavailable(_) => unwitnessed.push(f.rule.id()),
                Evidence::NotNeeded => panic!("{}: a major finding without evidence", c.name),
            }
        }
        assert_eq!(
            unwitnessed, c.unwitnessed,
            "{}: findings without a witness",
            c.name
        );
        for f in d.findings.iter().filter(|f| f.bump() < Bump::Major) {
            assert_eq!(f.evidence, Evidence::NotNeeded, "{}", c.name);
        }
    }
    assert_eq!(checked, 75);
}

#[test]
fn the_json_report_has_the_documented_shape() {
    let c = cases()
        .into_iter()
        .find(|c| c.name == "enum_value_added")
        .unwrap_or_else(|| panic!("case missing"));
    let d = compat::diff(&c.old, &c.new);
    let text = pretty(&c.new);
    let sources = DiffSources {
        old_file: "old.json",
        old_text: &text,
        new_file: "new.json",
        new_text: &text,
        made: Some(Bump::Minor),
    };
    let v: Value =
        serde_json::from_str(&compat::render_diff(&d, &sources, Format::Json)).unwrap_or_default();
    assert_eq!(v["required"], "major");
    assert_eq!(v["made"], "minor");
    let f = &v["findings"][0];
    assert_eq!(f["rule"], "enum-value-added");
    assert_eq!(f["pointer"], "/properties/name/enum/2");
    assert_eq!(f["bump"], "major");
    assert_eq!(f["witness"], json!({"name": "c"}));
    assert_eq!(f["witness_valid_under"], "new");
    assert_eq!(f["breaks"], "old-readers-of-new-events");
    assert_eq!(f["rollout"], "consumers-first");
    assert_eq!(f["instance_path"], "/name");
    assert_eq!(f["line"], 9);
}

#[test]
fn the_github_report_annotates_each_finding() {
    let c = cases()
        .into_iter()
        .find(|c| c.name == "minor_and_major_together")
        .unwrap_or_else(|| panic!("case missing"));
    let d = compat::diff(&c.old, &c.new);
    let (old_text, new_text) = (pretty(&c.old), pretty(&c.new));
    let sources = DiffSources {
        old_file: "old.json",
        old_text: &old_text,
        new_file: "new.json",
        new_text: &new_text,
        made: Some(Bump::Minor),
    };
    let out = compat::render_diff(&d, &sources, Format::Github);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3);
    assert!(
        lines[0]
            .starts_with("::notice file=new.json,line=8,title=minor[optional-property-added]::"),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].starts_with("::error file=new.json,line=6,title=major[string-length-loosened]::"),
        "{}",
        lines[1]
    );
    assert!(
        lines[1].contains(
            "%0AWitness (valid under new.json, rejected by old.json): {\"name\":\"aaaaaaaaaaa\"}"
        ),
        "{}",
        lines[1]
    );
    assert_eq!(
        lines[2],
        "required bump: major (2 findings: 1 major, 1 minor); made: minor (too small)"
    );
}
