//! The shape derives on hand-written types, without the generator: what a generated type
//! of each shape does when it reads and writes JSON.

use event_contracts_runtime::__private::{self as rt, Extra, Object};
use serde_json::json;

/// A closed object (`additionalProperties: false`).
#[derive(Debug, Clone, PartialEq, Object)]
#[object(name = "Point", closed)]
pub struct Point {
    #[field(json = "x", required)]
    pub x: i64,
    #[field(json = "label")]
    pub label: Option<String>,
    pub extra: Extra,
}

/// A closed object compiles (it did not: the derive returned `reject_unknown`'s
/// `Result<(), _>` from a visitor of the struct) and refuses a property it does not declare.
#[test]
fn a_closed_object_refuses_an_undeclared_property() {
    let point: Point = rt::serde_json::from_value(json!({"x": 1, "label": "a"}))
        .unwrap_or_else(|e| panic!("a declared object reads: {e}"));
    assert_eq!(point.x, 1);
    assert_eq!(point.label.as_deref(), Some("a"));
    let error = rt::serde_json::from_value::<Point>(json!({"x": 1, "y": 2}))
        .expect_err("y is not declared");
    assert_eq!(
        error.to_string(),
        "Point does not allow the property \"y\" (additionalProperties: false)"
    );
}

/// A union of JSON types, as `additionalProperties: {"type": ["string", "number"]}` has.
#[derive(Debug, Clone, PartialEq, rt::Union)]
#[union(schema = "SCHEMA", at = "/additionalProperties", types)]
pub enum Scalar {
    #[variant(json_type = "number")]
    Number(f64),
    #[variant(json_type = "string")]
    String(String),
}

/// `{"type": "object", "properties": {"name": ...}, "additionalProperties": {"type": [...]}}`.
#[derive(Debug, Clone, PartialEq, Object)]
#[object(name = "Attributes")]
pub struct Attributes {
    #[field(json = "name")]
    pub name: Option<String>,
    #[field(additional)]
    pub additional_properties: rt::IndexMap<Scalar>,
    pub extra: Extra,
}

static SCHEMA: rt::BundledSchema = rt::BundledSchema::new(
    r#"{"type": "object", "properties": {"name": {"type": "string"}}, "additionalProperties": {"type": ["string", "number"]}}"#,
    "attributes.json",
);

/// A struct with declared properties and a typed map writes the map's entries back (they
/// were dropped: the writer skipped every key the map holds, as if a field had written it).
#[test]
fn a_struct_writes_the_entries_of_its_typed_map() {
    let text = json!({"name": "box", "weight": 1.5, "origin": "PT"});
    let read: Attributes = rt::serde_json::from_value(text.clone())
        .unwrap_or_else(|e| panic!("the attributes read: {e}"));
    assert_eq!(read.name.as_deref(), Some("box"));
    assert_eq!(read.additional_properties.len(), 2);
    assert_eq!(
        read.additional_properties["origin"],
        Scalar::String("PT".to_owned())
    );
    assert_eq!(rt::serde_json::to_value(&read).unwrap_or_default(), text);
}

/// The builder's `entry` takes what converts into the map's value type (it did not
/// compile for a struct whose typed map held anything but a plain type), and reports a
/// value that does not convert.
#[test]
fn map_entries_of_a_struct_are_built_from_what_converts() {
    let built = Attributes::builder()
        .name("box")
        .entry("weight", 1.5)
        .entry("origin", "PT".to_owned())
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(built.name.as_deref(), Some("box"));
    assert_eq!(built.additional_properties["weight"], Scalar::Number(1.5));
    assert_eq!(
        rt::serde_json::to_value(&built).unwrap_or_default(),
        json!({"name": "box", "weight": 1.5, "origin": "PT"})
    );
}

/// `{"type": "string", "maxLength": 3}`.
#[derive(Debug, Clone, PartialEq, PartialOrd, rt::Constrained)]
#[constrained(max_length = 3u64)]
pub struct Code(String);

/// An object of declared properties and a typed map of short codes.
#[derive(Debug, Clone, PartialEq, Object)]
#[object(name = "Codes")]
pub struct Codes {
    #[field(json = "main")]
    pub main: Option<Code>,
    #[field(additional)]
    pub additional_properties: rt::IndexMap<Code>,
    pub extra: Extra,
}

/// A map entry that does not convert is reported with its key, beside the field problems.
#[test]
fn build_names_the_key_of_an_entry_that_does_not_convert() {
    let error = Codes::builder()
        .main("toolong")
        .entry("ok", "abc")
        .entry("second", "abcd")
        .build()
        .expect_err("two values too long");
    assert_eq!(
        error.to_string(),
        "cannot build Codes: `main`: the string has 7 characters; at most 3 are allowed (JSON Schema keyword `maxLength`); `(additional property)`: \"second\": the string has 4 characters; at most 3 are allowed (JSON Schema keyword `maxLength`)"
    );
}

static PLAN_SCHEMA: rt::BundledSchema = rt::BundledSchema::new(
    r##"{
        "type": "object",
        "properties": {
            "tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": true},
            "account": {"$ref": "#/definitions/account"}
        },
        "definitions": {
            "account": {
                "type": "object",
                "properties": {"plan": {"type": "string"}, "seats": {"type": "integer"}},
                "if": {"properties": {"plan": {"const": "pro"}}},
                "then": {"required": ["seats"]},
                "not": {"required": ["closed"]}
            },
            "never": {"type": "object", "properties": {"plan": {"const": "nope"}}}
        }
    }"##,
    "plan.json",
);

/// `/definitions/account`: its properties held by the fields, its `if`/`then`/`not`
/// checked by the read.
#[derive(Debug, Clone, PartialEq, Object)]
#[object(
    name = "Account",
    checked,
    only = "if then not",
    schema = "PLAN_SCHEMA",
    at = "/definitions/account"
)]
pub struct Account {
    #[field(json = "plan")]
    pub plan: Option<String>,
    #[field(json = "seats")]
    pub seats: Option<i64>,
    pub extra: Extra,
}

/// The root, whose `tags` are a `Vec` checked for `uniqueItems` alone.
#[derive(Debug, Clone, PartialEq, Object)]
#[object(name = "Plan", schema = "PLAN_SCHEMA")]
pub struct Plan {
    #[field(json = "tags", check = "/properties/tags", only = "uniqueItems")]
    pub tags: Option<Vec<String>>,
    #[field(json = "account")]
    pub account: Option<Account>,
    pub extra: Extra,
}

/// A field or struct that checks only some keywords refuses what they refuse, with their
/// message, and leaves the rest to the typed read, which refuses what its types cannot hold.
#[test]
fn a_check_of_some_keywords_refuses_what_they_refuse() {
    let read =
        |v: serde_json::Value| rt::serde_json::from_value::<Plan>(v).map_err(|e| e.to_string());
    let plan = read(json!({"tags": ["a", "b"], "account": {"plan": "pro", "seats": 2}}))
        .unwrap_or_else(|e| panic!("a valid plan reads: {e}"));
    assert_eq!(plan.tags, Some(vec!["a".to_owned(), "b".to_owned()]));
    assert_eq!(plan.account.and_then(|a| a.seats), Some(2));
    assert_eq!(
        read(json!({"tags": ["a", "a"]})),
        Err("[\"a\",\"a\"] has non-unique elements (uniqueItems at /)".to_owned())
    );
    assert_eq!(
        read(json!({"account": {"plan": "pro"}})),
        Err("\"seats\" is a required property (required at /)".to_owned())
    );
    assert_eq!(
        read(json!({"account": {"plan": "free", "closed": true}})),
        Err("{\"required\":[\"closed\"]} is not allowed for {\"plan\":\"free\",\"closed\":true} (not at /)".to_owned())
    );
    // The keywords the check leaves out are the typed read's: a field of the wrong type.
    // (A whole check would word it as the check does: `7 is not of type "string" (type at
    // /plan)`.)
    assert_eq!(
        read(json!({"account": {"plan": 7}})),
        Err("invalid type: integer `7`, expected a string".to_owned())
    );
    assert_eq!(
        read(json!({"tags": [1]})),
        Err("invalid type: integer `1`, expected a string".to_owned())
    );
}
