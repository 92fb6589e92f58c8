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

static READINGS_SCHEMA: rt::BundledSchema = rt::BundledSchema::new(
    r##"{
        "type": "object",
        "properties": {
            "counts": {"type": "array", "items": {"type": "integer"}, "uniqueItems": true, "contains": {"minimum": 10}},
            "codes": {"type": "array", "items": {"$ref": "#/definitions/code"}, "contains": {"const": "abc"}},
            "levels": {"type": "array", "items": {"enum": ["low", "high"]}, "uniqueItems": true},
            "position": {"type": "array", "items": [{"type": "number"}, {"type": "number"}], "additionalItems": false, "minItems": 2},
            "note": {"not": {"type": "string", "maxLength": 2}}
        },
        "definitions": {"code": {"type": "string", "maxLength": 3}}
    }"##,
    "readings.json",
);

/// `{"enum": ["low", "high"]}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, rt::StringEnum)]
pub enum Level {
    #[json("low")]
    Low,
    #[json("high")]
    High,
}

/// Arrays of leaves (integers, constrained strings, string enums), a tuple held as values
/// and a value, each checked for what its type does not hold.
#[derive(Debug, Clone, PartialEq, Object)]
#[object(name = "Readings", schema = "READINGS_SCHEMA")]
pub struct Readings {
    #[field(
        json = "counts",
        check = "/properties/counts",
        only = "uniqueItems contains"
    )]
    pub counts: Option<Vec<i64>>,
    #[field(json = "codes", check = "/properties/codes", only = "contains")]
    pub codes: Option<Vec<Code>>,
    #[field(json = "levels", check = "/properties/levels", only = "uniqueItems")]
    pub levels: Option<Vec<Level>>,
    #[field(json = "position", check = "/properties/position")]
    pub position: Option<Vec<rt::serde_json::Value>>,
    #[field(json = "note", check = "/properties/note")]
    pub note: Option<rt::serde_json::Value>,
    pub extra: Extra,
}

/// A checked array of leaves is read straight and its leaves checked as the JSON that was
/// read: `1` and `1.0` are equal items (JSON equality), a number spelled `1e1` is the 10
/// that `contains` looks for, and it is written back as the number it was read as (`10.0`:
/// serde_json keeps no exponent). Values and tuples of
/// values are checked as read.
#[test]
fn checked_leaves_and_values_are_checked_as_the_json_that_was_read() {
    let read = |text: &str| {
        rt::serde_json::from_str::<Readings>(text).map_err(|e| {
            let e = e.to_string();
            e.split(" at line ").next().unwrap_or_default().to_owned()
        })
    };
    let readings = read(r#"{"counts": [3, 1e1], "codes": ["x", "abc"], "levels": ["low", "high"], "position": [1.5, 2], "note": "long"}"#)
        .unwrap_or_else(|e| panic!("valid readings read: {e}"));
    assert_eq!(readings.counts, Some(vec![3, 10]));
    assert_eq!(readings.levels, Some(vec![Level::Low, Level::High]));
    assert_eq!(readings.position, Some(vec![json!(1.5), json!(2)]));
    assert_eq!(
        rt::serde_json::to_string(&readings).unwrap_or_default(),
        r#"{"counts":[3,10.0],"codes":["x","abc"],"levels":["low","high"],"position":[1.5,2],"note":"long"}"#
    );
    assert_eq!(
        read(r#"{"counts": [1, 1.0, 10]}"#),
        Err("[1,1.0,10] has non-unique elements (uniqueItems at /)".to_owned())
    );
    assert_eq!(
        read(r#"{"counts": [1, 2]}"#),
        Err("None of [1,2] are valid under the given schema (contains at /)".to_owned())
    );
    assert_eq!(
        read(r#"{"codes": ["x", "ab"]}"#),
        Err("None of [\"x\",\"ab\"] are valid under the given schema (contains at /)".to_owned())
    );
    assert_eq!(
        read(r#"{"levels": ["high", "high"]}"#),
        Err("[\"high\",\"high\"] has non-unique elements (uniqueItems at /)".to_owned())
    );
    // What the items' types hold is the typed read's, before the array's check.
    assert_eq!(
        read(r#"{"codes": ["abcd", "abc"]}"#),
        Err("Code: the string has 4 characters; at most 3 are allowed (JSON Schema keyword `maxLength`)".to_owned())
    );
    assert_eq!(
        read(r#"{"position": [1.5, 2, 3]}"#),
        Err(
            "Additional items are not allowed (3 was unexpected) (additionalItems at /)".to_owned()
        )
    );
    assert_eq!(
        read(r#"{"position": {"x": 1}}"#),
        Err("{\"x\":1} is not of type \"array\" (type at /)".to_owned())
    );
    assert_eq!(
        read(r#"{"note": "ab"}"#),
        Err(
            "{\"type\":\"string\",\"maxLength\":2} is not allowed for \"ab\" (not at /)".to_owned()
        )
    );
}

/// An integer as JSON may spell it.
fn integer_text() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    (0i64..13, 0usize..4).prop_map(|(n, spelling)| match spelling {
        0 => n.to_string(),
        1 => format!("{n}.0"),
        2 => format!("{n}e0"),
        _ => format!("-{n}"),
    })
}

proptest::proptest! {
    /// For every array of integers, however spelled, the read of a checked array of leaves
    /// accepts exactly what the check of the array as parsed JSON accepts.
    #[test]
    fn a_checked_array_of_leaves_is_judged_as_its_json(items in proptest::collection::vec(integer_text(), 0..6)) {
        let text = format!("{{\"counts\": [{}]}}", items.join(", "));
        let parsed: rt::serde_json::Value = rt::serde_json::from_str(&text).unwrap_or_default();
        let expected = READINGS_SCHEMA.is_valid("", &parsed);
        let read = rt::serde_json::from_str::<Readings>(&text);
        proptest::prop_assert_eq!(read.is_ok(), expected, "{} read as {:?}", text, read);
    }
}

static SHAPES_SCHEMA: rt::BundledSchema = rt::BundledSchema::new(
    r##"{
        "definitions": {
            "shape": {"oneOf": [
                {"type": "object", "required": ["kind", "side"], "properties": {"kind": {"const": "square"}, "side": {"type": "number", "maximum": 10}}},
                {"type": "object", "required": ["kind"], "properties": {"kind": {"const": "dot"}}}
            ]},
            "size": {"oneOf": [
                {"type": "integer"},
                {"type": "number", "multipleOf": 0.5, "maximum": 10}
            ]}
        }
    }"##,
    "shapes.json",
);

/// A tagged `oneOf` whose square variant holds less than its branch (a `Value`), so the
/// union is not `exact`: its branches decide its check (`bare`).
#[derive(Debug, Clone, PartialEq, rt::Union)]
#[union(
    schema = "SHAPES_SCHEMA",
    at = "/definitions/shape",
    one_of,
    tag = "kind",
    bare
)]
pub enum Shape {
    #[variant(at = "/definitions/shape/oneOf/0", tag = "\"square\"")]
    Square(rt::serde_json::Value),
    #[variant(at = "/definitions/shape/oneOf/1", tag = "\"dot\"")]
    Dot(rt::serde_json::Value),
}

/// An untagged `oneOf`: a whole number up to 10 fits both branches.
#[derive(Debug, Clone, PartialEq, rt::Union)]
#[union(schema = "SHAPES_SCHEMA", at = "/definitions/size", one_of, bare)]
pub enum Size {
    #[variant(at = "/definitions/size/oneOf/0")]
    Whole(i64),
    #[variant(at = "/definitions/size/oneOf/1")]
    Half(f64),
}

/// A `bare` union is checked by the branch it chooses: the tagged one by the branch its tag
/// names, the untagged `oneOf` by the first branch that accepts and no later one. What
/// fails is worded by the union's own check.
#[test]
fn a_bare_union_is_checked_by_the_branch_it_chooses() {
    let shape =
        |v: serde_json::Value| rt::serde_json::from_value::<Shape>(v).map_err(|e| e.to_string());
    assert_eq!(
        shape(json!({"kind": "square", "side": 3})),
        Ok(Shape::Square(json!({"kind": "square", "side": 3})))
    );
    assert_eq!(
        shape(json!({"kind": "dot"})),
        Ok(Shape::Dot(json!({"kind": "dot"})))
    );
    let refused =
        "is not valid under any of the schemas listed in the 'oneOf' keyword (oneOf at /)";
    assert_eq!(
        shape(json!({"kind": "square", "side": 11})),
        Err(format!("{{\"kind\":\"square\",\"side\":11}} {refused}"))
    );
    assert_eq!(
        shape(json!({"kind": "circle"})),
        Err(format!("{{\"kind\":\"circle\"}} {refused}"))
    );
    let size =
        |v: serde_json::Value| rt::serde_json::from_value::<Size>(v).map_err(|e| e.to_string());
    assert_eq!(size(json!(12)), Ok(Size::Whole(12)));
    assert_eq!(size(json!(2.5)), Ok(Size::Half(2.5)));
    assert_eq!(
        size(json!(4)),
        Err("4 is valid under more than one of the schemas listed in the 'oneOf' keyword (oneOf at /)".to_owned())
    );
    assert_eq!(size(json!(12.5)), Err(format!("12.5 {refused}")));
}

/// `{"type": ["integer", "string", "object", "array", "boolean"], "minimum": 0,
/// "maxLength": 3, ...}` (the object's keywords a `Point`'s, the array's items integers),
/// each type's part held by its variant: the JSON type picks the variant,
/// read straight, with no tree and no check of the union.
#[derive(Debug, Clone, PartialEq, rt::Union)]
#[union(schema = "ANY_SCHEMA", at = "", types, exact)]
pub enum Anything {
    #[variant(json_type = "integer")]
    Integer(u64),
    #[variant(json_type = "string")]
    String(Code),
    #[variant(json_type = "object")]
    Object(Point),
    #[variant(json_type = "array")]
    Array(Vec<i64>),
    #[variant(json_type = "boolean")]
    Boolean(bool),
}

static ANY_SCHEMA: rt::BundledSchema = rt::BundledSchema::new(
    r#"{"type": ["integer", "string", "object", "array", "boolean"], "minimum": 0, "maxLength": 3,
        "properties": {"x": {"type": "integer"}, "label": {"type": "string"}}, "required": ["x"],
        "additionalProperties": false, "items": {"type": "integer"}}"#,
    "anything.json",
);

/// An exact union of types reads each JSON type into its variant from the text and from a
/// value, keeps an integer's spelling, and refuses what its variant refuses.
#[test]
fn an_exact_union_of_types_is_picked_by_the_json_type() {
    let read = |text: &str| rt::serde_json::from_str::<Anything>(text).map_err(|e| e.to_string());
    assert_eq!(read("7"), Ok(Anything::Integer(7)));
    assert_eq!(
        read("\"abc\""),
        Ok(Anything::String(Code("abc".to_owned())))
    );
    assert_eq!(read("true"), Ok(Anything::Boolean(true)));
    assert_eq!(read("[1, -2]"), Ok(Anything::Array(vec![1, -2])));
    let point = read(r#"{"x": 3}"#).expect("a point");
    assert!(matches!(&point, Anything::Object(p) if p.x == 3 && p.label.is_none()));
    // Draft-07 counts 5.0 as an integer; the spelling is kept for encoding.
    let mut form = None;
    let whole = <Anything as rt::FieldValue>::read(
        &mut rt::serde_json::Deserializer::from_str("5.0"),
        &mut form,
    )
    .expect("5.0 is an integer");
    assert_eq!(whole, Anything::Integer(5));
    assert_eq!(form, Some(json!(5.0)));
    // The read agrees with the schema.
    for text in ["7", "\"abc\"", "true", "[1, -2]", r#"{"x": 3}"#, "5.0"] {
        let parsed: rt::serde_json::Value = rt::serde_json::from_str(text).expect("JSON");
        assert!(ANY_SCHEMA.is_valid("", &parsed), "{text}");
    }
    // What a variant refuses, the union refuses, and so does the schema.
    for (text, why) in [
        ("5.5", "invalid type: floating point `5.5`"),
        ("-1", "out of range"),
        ("\"abcd\"", "at most 3"),
        (r#"{"x": 1, "y": 2}"#, "does not allow the property \"y\""),
        ("null", "invalid type: null"),
        ("[1.5]", "expected an integer"),
    ] {
        let error = read(text).expect_err(text);
        assert!(error.contains(why), "{text}: {error}");
        let parsed: rt::serde_json::Value = rt::serde_json::from_str(text).expect("JSON");
        assert!(!ANY_SCHEMA.is_valid("", &parsed), "{text}");
    }
    // From a value (a tree of the slow path reads the same way).
    let from_value = rt::serde_json::from_value::<Anything>(json!("ab"));
    assert_eq!(
        from_value.ok(),
        Some(Anything::String(Code("ab".to_owned())))
    );
}

/// `{"type": "object", "properties": {"a": ...}, "minProperties": 2, "maxProperties": 3,
/// "propertyNames": {"maxLength": 2}}`: members counted, names checked, as they are read.
#[derive(Debug, Clone, PartialEq, Object)]
#[allow(dead_code)]
#[object(
    name = "Counted",
    min_properties = 2,
    max_properties = 3,
    property_names = "/propertyNames",
    schema = "COUNTED_SCHEMA",
    at = ""
)]
pub struct Counted {
    #[field(json = "a")]
    pub a: Option<String>,
    pub extra: Extra,
}

static COUNTED_SCHEMA: rt::BundledSchema = rt::BundledSchema::new(
    r#"{"type": "object", "properties": {"a": {"type": "string"}}, "minProperties": 2, "maxProperties": 3, "propertyNames": {"maxLength": 2}}"#,
    "counted.json",
);

/// A struct whose members are counted: declared and undeclared members count, a name its
/// `propertyNames` refuses is refused, and `build` checks the subschema for its messages.
#[test]
fn a_struct_counts_its_members_and_checks_their_names_as_it_reads() {
    let read = |v: rt::serde_json::Value| {
        rt::serde_json::from_value::<Counted>(v).map_err(|e| e.to_string())
    };
    assert!(read(json!({"a": "x", "b": 1})).is_ok());
    assert!(read(json!({"b": 1, "c": 2, "d": 3})).is_ok());
    assert_eq!(
        read(json!({"a": "x"})).expect_err("one member"),
        "Counted has 1 property; the schema allows 2 to 3"
    );
    assert_eq!(
        read(json!({"a": "x", "b": 1, "c": 2, "d": 3})).expect_err("four members"),
        "Counted has 4 properties; the schema allows 2 to 3"
    );
    assert_eq!(
        read(json!({"a": "x", "bcd": 1})).expect_err("a long name"),
        "Counted has the property name \"bcd\", which its propertyNames does not allow"
    );
    let built = Counted::builder().a("x").build().expect_err("one member");
    assert_eq!(
        built.to_string(),
        "cannot build Counted: /: {\"a\":\"x\"} has less than 2 properties (minProperties)"
    );
}

/// `{"enum": [0.5, 1, "max", true, null]}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, rt::Literals)]
pub enum Setting {
    #[json("0.5")]
    Half,
    #[json("1")]
    One,
    #[json("\"max\"")]
    Max,
    #[json("true")]
    On,
    #[json("null")]
    Nothing,
}

/// A literal is read by JSON equality from what the deserializer hands over, its spelling
/// kept only when it differs in kind (`1.0` for `1`, `5e-1` is `0.5`'s own spelling), and
/// anything else refused with the value and the literals.
#[test]
fn literals_are_read_by_json_equality_and_keep_their_spelling() {
    let read = |text: &str| {
        let mut form = None;
        <Setting as rt::FieldValue>::read(
            &mut rt::serde_json::Deserializer::from_str(text),
            &mut form,
        )
        .map(|level| (level, form))
        .map_err(|e| e.to_string())
    };
    assert_eq!(read("0.5"), Ok((Setting::Half, None)));
    assert_eq!(read("5e-1"), Ok((Setting::Half, None)));
    assert_eq!(read("1"), Ok((Setting::One, None)));
    assert_eq!(read("1.0"), Ok((Setting::One, Some(json!(1.0)))));
    assert_eq!(read("\"max\""), Ok((Setting::Max, None)));
    assert_eq!(read("true"), Ok((Setting::On, None)));
    assert_eq!(read("null"), Ok((Setting::Nothing, None)));
    for (text, message) in [
        ("2", "2 is not one of 0.5, 1, \"max\", true, null"),
        ("-1", "-1 is not one of 0.5, 1, \"max\", true, null"),
        ("0.25", "0.25 is not one of 0.5, 1, \"max\", true, null"),
        (
            "\"MAX\"",
            "\"MAX\" is not one of 0.5, 1, \"max\", true, null",
        ),
        ("false", "false is not one of 0.5, 1, \"max\", true, null"),
    ] {
        let error = read(text).expect_err(text);
        assert!(error.starts_with(message), "{text}: {error}");
    }
    assert!(read("[1]").is_err());
    // Encoding writes the spelling that was read.
    let (level, form) = read("1.0").expect("1.0");
    let mut out = Vec::new();
    rt::FieldValue::write(
        &level,
        form.as_ref(),
        &mut rt::serde_json::Serializer::new(&mut out),
    )
    .expect("written");
    assert_eq!(String::from_utf8_lossy(&out), "1.0");
}

/// `{"properties": {"codes": {"type": "array", "items": {"type": "integer"},
/// "uniqueItems": true, "maxItems": 4}, "names": {..."items": {"type": "string"}...}}}`.
#[derive(Debug, Clone, PartialEq, Object)]
#[object(name = "Tagged", schema = "TAGGED_SCHEMA", at = "")]
pub struct Tagged {
    #[field(
        json = "codes",
        check = "/properties/codes",
        max_items = 4,
        unique_items
    )]
    pub codes: Option<Vec<i64>>,
    #[field(json = "names", check = "/properties/names", unique_items)]
    pub names: Option<Vec<String>>,
    pub extra: Extra,
}

static TAGGED_SCHEMA: rt::BundledSchema = rt::BundledSchema::new(
    r#"{"type": "object", "properties": {
        "codes": {"type": "array", "items": {"type": "integer"}, "uniqueItems": true, "maxItems": 4},
        "names": {"type": "array", "items": {"type": "string"}, "uniqueItems": true}}}"#,
    "tagged.json",
);

/// Unique items of scalars are compared as they were read, by JSON equality (`1` and
/// `1.0` are equal), and the read agrees with the schema on each array.
#[test]
fn unique_scalar_items_are_compared_as_they_were_read() {
    for (text, accepted) in [
        (r#"{"codes": [1, 2, 3]}"#, true),
        (r#"{"codes": [1, 2, 1]}"#, false),
        (r#"{"codes": [1, 1.0]}"#, false),
        (r#"{"codes": [1e0, 2]}"#, true),
        (r#"{"codes": [1, 2, 3, 4, 5]}"#, false),
        (r#"{"codes": []}"#, true),
        (r#"{"names": ["a", "b", "A"]}"#, true),
        (r#"{"names": ["a", "b", "a"]}"#, false),
        (r#"{"names": ["é", "e\u0301"]}"#, true),
    ] {
        let read = rt::serde_json::from_str::<Tagged>(text);
        assert_eq!(read.is_ok(), accepted, "{text}: {read:?}");
        let parsed: rt::serde_json::Value = rt::serde_json::from_str(text).expect("JSON");
        assert_eq!(TAGGED_SCHEMA.is_valid("", &parsed), accepted, "{text}");
    }
    let error = rt::serde_json::from_str::<Tagged>(r#"{"codes": [7, 7]}"#).expect_err("equal");
    assert!(
        error
            .to_string()
            .starts_with("codes has equal items; the schema requires them unique (uniqueItems)"),
        "{error}"
    );
    // Encoding keeps each item's spelling.
    let read: Tagged = rt::serde_json::from_str(r#"{"codes": [1e0, 2]}"#).expect("unique");
    assert_eq!(
        rt::serde_json::to_value(&read).unwrap_or_default(),
        json!({"codes": [1.0, 2]})
    );
}

static UNTAGGED_SCHEMA: rt::BundledSchema = rt::BundledSchema::new(
    r##"{
        "definitions": {
            "point": {"type": "object", "required": ["x"], "additionalProperties": false,
                "properties": {"x": {"type": "integer"}, "label": {"type": "string"}}},
            "key": {"oneOf": [
                {"type": "string", "maxLength": 3},
                {"type": "integer", "minimum": 0},
                {"$ref": "#/definitions/point"}
            ]},
            "pick": {"oneOf": [
                {"type": "string", "maxLength": 3},
                {"type": "string"},
                {"type": "integer", "minimum": 0}
            ]},
            "first": {"anyOf": [
                {"type": "string", "maxLength": 3},
                {"type": "string"},
                {"type": "integer", "minimum": 0}
            ]},
            "target": {"anyOf": [
                {"type": "object", "required": ["name", "size"],
                    "properties": {"name": {"type": "string"}, "size": {"type": "integer", "minimum": 0}}},
                {"type": "object", "required": ["href"], "properties": {"href": {"type": "string"}}}
            ]}
        }
    }"##,
    "untagged.json",
);

/// An untagged `oneOf` whose branches allow one JSON type each, none overlapping, every
/// variant holding its branch: the JSON type picks the variant, as in a union of types.
#[derive(Debug, Clone, PartialEq, rt::Union)]
#[union(schema = "UNTAGGED_SCHEMA", at = "/definitions/key", one_of, exact)]
pub enum Key {
    #[variant(at = "/definitions/key/oneOf/0", json_type = "string")]
    Code(Code),
    #[variant(at = "/definitions/key/oneOf/1", json_type = "integer")]
    Number(u64),
    #[variant(at = "/definitions/key/oneOf/2", json_type = "object")]
    Point(Point),
}

/// An untagged `anyOf` of objects told apart by their required members.
#[derive(Debug, Clone, PartialEq, rt::Union)]
#[union(schema = "UNTAGGED_SCHEMA", at = "/definitions/target", any_of, bare)]
pub enum Target {
    #[variant(at = "/definitions/target/anyOf/0", requires = r#"["name", "size"]"#)]
    File(File),
    #[variant(at = "/definitions/target/anyOf/1", requires = r#"["href"]"#)]
    Link(Link),
}

#[derive(Debug, Clone, PartialEq, Object)]
#[object(name = "File")]
pub struct File {
    #[field(json = "name", required)]
    pub name: String,
    #[field(json = "size", required)]
    pub size: u64,
    pub extra: Extra,
}

#[derive(Debug, Clone, PartialEq, Object)]
#[object(name = "Link")]
pub struct Link {
    #[field(json = "href", required)]
    pub href: String,
    pub extra: Extra,
}

/// An untagged `oneOf` of scalars whose branches share a JSON type, every variant exact:
/// the union tries the variants' reads in turn, and a short string, which both string
/// branches accept, is refused.
#[derive(Debug, Clone, PartialEq, rt::Union)]
#[union(schema = "UNTAGGED_SCHEMA", at = "/definitions/pick", one_of, bare)]
pub enum Pick {
    #[variant(at = "/definitions/pick/oneOf/0", exact)]
    Code(Code),
    #[variant(at = "/definitions/pick/oneOf/1", exact)]
    Text(String),
    #[variant(at = "/definitions/pick/oneOf/2", exact)]
    Number(u64),
}

/// The same branches under `anyOf`: the first variant whose read succeeds.
#[derive(Debug, Clone, PartialEq, rt::Union)]
#[union(schema = "UNTAGGED_SCHEMA", at = "/definitions/first", any_of, bare)]
pub enum First {
    #[variant(at = "/definitions/first/anyOf/0", exact)]
    Code(Code),
    #[variant(at = "/definitions/first/anyOf/1", exact)]
    Text(String),
    #[variant(at = "/definitions/first/anyOf/2", exact)]
    Number(u64),
}

/// Texts of every JSON type, each a near miss of some branch.
const UNTAGGED_TEXTS: &[&str] = &[
    "\"ab\"",
    "\"abcd\"",
    "0",
    "7",
    "7.0",
    "-1",
    "2.5",
    "true",
    "null",
    "[1]",
    r#"{"x": 3}"#,
    r#"{"x": 3, "label": "a"}"#,
    r#"{"x": 3, "y": 1}"#,
    r#"{"x": "3"}"#,
    r#"{"name": "a", "size": 1}"#,
    r#"{"name": "a", "size": -1}"#,
    r#"{"href": "h"}"#,
    r#"{"href": 5}"#,
    r#"{"name": "a", "size": 1, "href": "h"}"#,
    r#"{"name": "a", "size": -1, "href": "h"}"#,
    r#"{"name": "a", "size": -1, "href": 5}"#,
    r#"{"name": "a"}"#,
    "{}",
];

/// The untagged unions accept exactly what their subschemas accept, read from text (where
/// the JSON type picks `Key`'s variant straight from the deserializer) and from a value.
#[test]
fn untagged_unions_agree_with_their_schemas() {
    for text in UNTAGGED_TEXTS {
        let parsed: rt::serde_json::Value = rt::serde_json::from_str(text).expect("JSON");
        let key_ok = UNTAGGED_SCHEMA.is_valid("/definitions/key", &parsed);
        let target_ok = UNTAGGED_SCHEMA.is_valid("/definitions/target", &parsed);
        assert_eq!(
            rt::serde_json::from_str::<Key>(text).is_ok(),
            key_ok,
            "Key {text}"
        );
        assert_eq!(
            rt::serde_json::from_value::<Key>(parsed.clone()).is_ok(),
            key_ok,
            "Key from a value {text}"
        );
        assert_eq!(
            rt::serde_json::from_str::<Target>(text).is_ok(),
            target_ok,
            "Target {text}"
        );
        for (at, read) in [
            (
                "/definitions/pick",
                rt::serde_json::from_str::<Pick>(text).is_ok(),
            ),
            (
                "/definitions/first",
                rt::serde_json::from_str::<First>(text).is_ok(),
            ),
        ] {
            assert_eq!(read, UNTAGGED_SCHEMA.is_valid(at, &parsed), "{at} {text}");
        }
    }
}

/// Variants that share a JSON type are tried in schema order, each read being its branch's
/// check: `anyOf` takes the first that reads, `oneOf` refuses a value two of them read, with
/// the union's own message; inside a value an enclosing check accepted, the reads still
/// check, so the variant is the branch's and not merely the first.
#[test]
fn an_untagged_union_of_shared_types_tries_its_exact_variants_in_turn() {
    let pick = |text: &str| rt::serde_json::from_str::<Pick>(text).map_err(|e| e.to_string());
    let first = |text: &str| rt::serde_json::from_str::<First>(text).map_err(|e| e.to_string());
    assert_eq!(pick("\"abcd\""), Ok(Pick::Text("abcd".to_owned())));
    assert_eq!(pick("7"), Ok(Pick::Number(7)));
    assert_eq!(
        pick("\"ab\""),
        Err("\"ab\" is valid under more than one of the schemas listed in the 'oneOf' keyword (oneOf at /)".to_owned())
    );
    assert_eq!(
        pick("-1"),
        Err(
            "-1 is not valid under any of the schemas listed in the 'oneOf' keyword (oneOf at /)"
                .to_owned()
        )
    );
    assert_eq!(first("\"ab\""), Ok(First::Code(Code("ab".to_owned()))));
    assert_eq!(first("\"abcd\""), Ok(First::Text("abcd".to_owned())));
    assert_eq!(first("7.0"), Ok(First::Number(7)));
    // A value the union's schema accepts and no variant's Rust type holds: the branch that
    // accepts it says why its type does not.
    assert_eq!(
        first("1e20"),
        Err("no variant of First holds the value; its branch Number accepts it, but 100000000000000000000 is out of range: expected an integer from 0 to 18446744073709551615".to_owned())
    );
    // Inside a checked value: a constrained type alone would take "abcd" unchecked.
    let _inside = rt::PrecheckedGuard::enter();
    assert_eq!(first("\"abcd\""), Ok(First::Text("abcd".to_owned())));
    assert_eq!(pick("\"abcd\""), Ok(Pick::Text("abcd".to_owned())));
    assert_eq!(first("\"ab\""), Ok(First::Code(Code("ab".to_owned()))));
    assert!(rt::prechecked(), "the union's reads give the mark back");
}

/// `Key` reads each JSON type into the variant of its branch, keeps a whole float's
/// spelling, and refuses what the branch of the value's type refuses.
#[test]
fn an_untagged_union_of_one_type_per_branch_is_picked_by_the_json_type() {
    let read = |text: &str| rt::serde_json::from_str::<Key>(text).map_err(|e| e.to_string());
    assert_eq!(read("\"ab\""), Ok(Key::Code(Code("ab".to_owned()))));
    assert_eq!(read("7"), Ok(Key::Number(7)));
    let mut form = None;
    let whole = <Key as rt::FieldValue>::read(
        &mut rt::serde_json::Deserializer::from_str("7.0"),
        &mut form,
    )
    .expect("7.0 is an integer");
    assert_eq!(whole, Key::Number(7));
    assert_eq!(form, Some(json!(7.0)));
    assert!(matches!(read(r#"{"x": 3}"#), Ok(Key::Point(p)) if p.x == 3));
    for (text, why) in [
        ("\"abcd\"", "at most 3"),
        ("-1", "out of range"),
        ("2.5", "invalid type: floating point `2.5`"),
        ("true", "invalid type: boolean `true`"),
        (r#"{"x": 3, "y": 1}"#, "does not allow the property \"y\""),
    ] {
        let error = read(text).expect_err(text);
        assert!(error.contains(why), "{text}: {error}");
    }
}

/// `Target` rules out a branch whose required member the value lacks: a value with one
/// branch left is read as that variant alone, and what it refuses is worded by the union's
/// check; a value that has every branch's members goes to the first branch that accepts it.
#[test]
fn an_untagged_union_of_objects_rules_out_branches_by_their_required_members() {
    let read = |text: &str| rt::serde_json::from_str::<Target>(text).map_err(|e| e.to_string());
    assert!(matches!(read(r#"{"name": "a", "size": 1}"#), Ok(Target::File(f)) if f.size == 1));
    assert!(matches!(read(r#"{"href": "h"}"#), Ok(Target::Link(l)) if l.href == "h"));
    // Both branches' members: the first that accepts.
    assert!(matches!(
        read(r#"{"name": "a", "size": 1, "href": "h"}"#),
        Ok(Target::File(f)) if f.extra.unknown().contains_key("href")
    ));
    let link = read(r#"{"name": "a", "size": -1, "href": "h"}"#);
    assert!(
        matches!(&link, Ok(Target::Link(l)) if l.extra.unknown().len() == 2),
        "{link:?}"
    );
    let refused =
        "is not valid under any of the schemas listed in the 'anyOf' keyword (anyOf at /)";
    for text in [
        r#"{"href": 5}"#,
        r#"{"name": "a", "size": -1}"#,
        r#"{"name": "a"}"#,
        r#"{"name": "a", "size": -1, "href": 5}"#,
    ] {
        let compact = rt::serde_json::from_str::<rt::serde_json::Value>(text)
            .expect("JSON")
            .to_string();
        assert_eq!(read(text), Err(format!("{compact} {refused}")), "{text}");
    }
}

/// `text` read as a `T`, keeping its spellings, and written back.
fn written_back<T: rt::FieldValue>(text: &str) -> String {
    let mut form = None;
    let value = T::read(&mut rt::serde_json::Deserializer::from_str(text), &mut form)
        .unwrap_or_else(|e| panic!("{text}: {e}"));
    let mut out = Vec::new();
    value
        .write(
            form.as_ref(),
            &mut rt::serde_json::Serializer::new(&mut out),
        )
        .expect("writes");
    String::from_utf8(out).expect("UTF-8")
}

static TUPLE_SCHEMA: rt::BundledSchema = rt::BundledSchema::new(
    r#"{"type": "array", "items": [{"type": "integer", "minimum": 0}, {"type": "string", "maxLength": 3}, {"type": ["number", "null"]}, {"type": "boolean"}],
        "additionalItems": false, "minItems": 2}"#,
    "tuple.json",
);

/// `TUPLE_SCHEMA`: two required items, then two optional ones, the first nullable.
#[derive(Debug, Clone, PartialEq, rt::Tuple)]
#[tuple(min_items = 2)]
pub struct Row(pub u64, pub Code, pub Option<Option<f64>>, pub Option<bool>);

/// Arrays near every edge of `TUPLE_SCHEMA`, and other JSON types.
const TUPLE_TEXTS: &[&str] = &[
    "[1, \"ab\"]",
    "[1.0, \"ab\"]",
    "[1, \"ab\", null]",
    "[1, \"ab\", 2.5]",
    "[1, \"ab\", 2, true]",
    "[1, \"ab\", null, false]",
    "[1]",
    "[]",
    "[1, \"abcd\"]",
    "[-1, \"ab\"]",
    "[1.5, \"ab\"]",
    "[1, 2]",
    "[1, \"ab\", \"x\"]",
    "[1, \"ab\", 2, true, 3]",
    "[1, \"ab\", 2, null]",
    "{\"0\": 1}",
    "\"ab\"",
    "null",
];

/// A tuple struct reads exactly the arrays its schema accepts.
#[test]
fn a_tuple_agrees_with_its_schema() {
    for text in TUPLE_TEXTS {
        let parsed: rt::serde_json::Value = rt::serde_json::from_str(text).expect("JSON");
        let expected = TUPLE_SCHEMA.is_valid("", &parsed);
        let read = rt::serde_json::from_str::<Row>(text);
        assert_eq!(read.is_ok(), expected, "{text}: {read:?}");
        let from_value = rt::serde_json::from_value::<Row>(parsed);
        assert_eq!(from_value.is_ok(), expected, "{text} from a value");
    }
}

/// Each item is read into its field, absent optional items are `None` (a `null` item is
/// `Some(None)`), the spellings are kept, and what is refused says why.
#[test]
fn a_tuple_reads_its_items_in_order_and_writes_them_back_as_read() {
    let read = |text: &str| rt::serde_json::from_str::<Row>(text).map_err(|e| e.to_string());
    assert_eq!(
        read("[1, \"ab\"]"),
        Ok(Row(1, Code("ab".to_owned()), None, None))
    );
    assert_eq!(
        read("[1, \"ab\", null]"),
        Ok(Row(1, Code("ab".to_owned()), Some(None), None))
    );
    assert_eq!(
        read("[1, \"ab\", 2.5, true]"),
        Ok(Row(1, Code("ab".to_owned()), Some(Some(2.5)), Some(true)))
    );
    for (text, why) in [
        ("[1]", "invalid length 1, expected an array of 2 to 4 items"),
        (
            "[1, \"ab\", 2, true, 3]",
            "invalid length 5, expected an array of 2 to 4 items",
        ),
        ("[1, \"abcd\"]", "at most 3"),
        (
            "{\"0\": 1}",
            "invalid type: map, expected an array of 2 to 4 items",
        ),
    ] {
        let error = read(text).expect_err(text);
        assert!(error.contains(why), "{text}: {error}");
    }
    // Spellings: `1.0` read for an integer and `2` for a number are written back as read.
    for text in [
        "[1.0,\"ab\"]",
        "[1,\"ab\",2]",
        "[1,\"ab\",null,false]",
        "[7,\"x\",1e2]",
    ] {
        let expected: rt::serde_json::Value = rt::serde_json::from_str(text).expect("JSON");
        assert_eq!(written_back::<Row>(text), expected.to_string(), "{text}");
    }
    // No array holds an item after one that is absent.
    let gap = Row(1, Code("ab".to_owned()), None, Some(true));
    let error = rt::serde_json::to_string(&gap).expect_err("a gap");
    assert_eq!(
        error.to_string(),
        "item 3 of a Row is set after an item that is not: no array holds it"
    );
    assert_eq!(
        rt::serde_json::to_string(&Row(1, Code("ab".to_owned()), Some(None), Some(true)))
            .expect("writes"),
        "[1,\"ab\",null,true]"
    );
}

static EDGE_SCHEMA: rt::BundledSchema = rt::BundledSchema::new(
    r##"{"type": "array", "items": [{"$ref": "#/definitions/node"}, {"$ref": "#/definitions/node"}],
        "additionalItems": {"$ref": "#/definitions/node"}, "minItems": 1,
        "definitions": {"node": {"type": "object", "required": ["id"],
            "properties": {"id": {"type": "integer", "minimum": 0}}}}}"##,
    "edge.json",
);

/// `EDGE_SCHEMA`'s node: an object with a required `id`, others kept.
#[derive(Debug, Clone, PartialEq, Object)]
#[object(name = "Node")]
pub struct Node {
    #[field(json = "id", required)]
    pub id: u64,
    pub extra: Extra,
}

/// `EDGE_SCHEMA`: objects as items, one required, one optional, then any number more.
#[derive(Debug, Clone, PartialEq, rt::Tuple)]
#[tuple(min_items = 1, rest)]
pub struct Edge(pub Node, pub Option<Node>, pub Vec<Node>);

/// A tuple of objects reads exactly what its schema accepts, each object by its own struct
/// (unknown members and spellings kept), and writes it back as read.
#[test]
fn a_tuple_of_objects_agrees_with_its_schema_and_writes_back_as_read() {
    let texts = [
        r#"[{"id": 1}]"#,
        r#"[{"id": 1.0}, {"id": 2, "x": true}]"#,
        r#"[{"id": 1}, {"id": 2}, {"id": 3}, {"id": 4}]"#,
        r#"[]"#,
        r#"[{"id": -1}]"#,
        r#"[{}]"#,
        r#"[{"id": 1}, 5]"#,
        r#"[{"id": 1}, {"id": 2}, {"id": "3"}]"#,
        r#"{"id": 1}"#,
    ];
    let mut accepted = 0;
    for text in texts {
        let parsed: rt::serde_json::Value = rt::serde_json::from_str(text).expect("JSON");
        let read = rt::serde_json::from_str::<Edge>(text);
        let expected = EDGE_SCHEMA.is_valid("", &parsed);
        assert_eq!(read.is_ok(), expected, "{text}: {read:?}");
        let from_value = rt::serde_json::from_value::<Edge>(parsed);
        assert_eq!(from_value.is_ok(), expected, "{text} from a value");
        accepted += usize::from(expected);
    }
    assert_eq!(accepted, 3);
    // A duplicate key inside an item's object is refused, as everywhere.
    assert_eq!(
        rt::serde_json::from_str::<Edge>(r#"[{"id": 1}, {"id": 2}, {"id": 3, "id": 4}]"#)
            .map_err(|e| e.to_string()),
        Err(
            "duplicate key \"id\" in one object; send each key once at line 1 column 41".to_owned()
        )
    );
    let edge = rt::serde_json::from_str::<Edge>(texts[2]).expect("valid");
    assert_eq!(
        (edge.0.id, edge.1.as_ref().map(|n| n.id), edge.2.len()),
        (1, Some(2), 2)
    );
    for text in [
        r#"[{"id":1.0},{"id":2,"x":true}]"#,
        r#"[{"id":1},{"id":2},{"id":3e0,"y":[1]}]"#,
    ] {
        let expected: rt::serde_json::Value = rt::serde_json::from_str(text).expect("JSON");
        assert_eq!(written_back::<Edge>(text), expected.to_string(), "{text}");
    }
}

static MEASURED_SCHEMA: rt::BundledSchema = rt::BundledSchema::new(
    r#"{"type": "object", "properties": {"pair": {"type": "array",
        "items": [{"type": "number"}, {"type": "number"}], "additionalItems": {"type": "number"},
        "uniqueItems": true, "contains": {"minimum": 10}}}}"#,
    "measured.json",
);

/// `MEASURED_SCHEMA`'s `pair`: two numbers, then any more.
#[derive(Debug, Clone, PartialEq, rt::Tuple)]
#[tuple(min_items = 0, rest)]
pub struct Pair(pub Option<f64>, pub Option<f64>, pub Vec<f64>);

/// A tuple beside `uniqueItems` and `contains`, as the generator writes it: the field
/// checks those two alone.
#[derive(Debug, Clone, PartialEq, Object)]
#[object(name = "Measured", schema = "MEASURED_SCHEMA")]
pub struct Measured {
    #[field(
        json = "pair",
        check = "/properties/pair",
        only = "uniqueItems contains"
    )]
    pub pair: Option<Pair>,
    pub extra: Extra,
}

/// A tuple checked for `uniqueItems` (JSON equality: `1e1` is `10.0`) and `contains` reads
/// exactly what its schema accepts, and writes it back as read.
#[test]
fn a_tuple_checked_for_unique_items_and_contains_agrees_with_its_schema() {
    let texts = [
        r#"{"pair": [10, 2]}"#,
        r#"{"pair": [10, 10]}"#,
        r#"{"pair": [1, 2]}"#,
        r#"{"pair": [1, 2, 12]}"#,
        r#"{"pair": [1e1, 10.0]}"#,
        r#"{"pair": []}"#,
        r#"{}"#,
        r#"{"pair": [12, "a"]}"#,
        r#"{"pair": [1, 2, 3, 4, 5, 10, 5]}"#,
        r#"{"pair": [1, 2, 3, 4, 5, 10]}"#,
    ];
    let mut accepted = 0;
    for text in texts {
        let parsed: rt::serde_json::Value = rt::serde_json::from_str(text).expect("JSON");
        let expected = MEASURED_SCHEMA.is_valid("", &parsed);
        let read = rt::serde_json::from_str::<Measured>(text);
        assert_eq!(read.is_ok(), expected, "{text}: {read:?}");
        let from_value = rt::serde_json::from_value::<Measured>(parsed);
        assert_eq!(from_value.is_ok(), expected, "{text} from a value");
        accepted += usize::from(expected);
    }
    assert_eq!(accepted, 4);
    let read = |text: &str| rt::serde_json::from_str::<Measured>(text).map_err(|e| e.to_string());
    assert_eq!(
        read(texts[3]).map(|m| m.pair),
        Ok(Some(Pair(Some(1.0), Some(2.0), vec![12.0])))
    );
    let error = read(texts[4]).expect_err("duplicates");
    assert!(error.contains("has non-unique elements"), "{error}");
    let error = read(texts[2]).expect_err("nothing from 10 up");
    assert!(error.contains("contains"), "{error}");
    for text in [r#"{"pair":[1e1,2]}"#, r#"{"pair":[1,2,30]}"#] {
        let expected: rt::serde_json::Value = rt::serde_json::from_str(text).expect("JSON");
        assert_eq!(
            written_back::<Measured>(text),
            expected.to_string(),
            "{text}"
        );
    }
}

static REST_SCHEMA: rt::BundledSchema = rt::BundledSchema::new(
    r#"{"definitions": {
        "stamped": {"type": "array", "items": [{"type": "string", "format": "date-time"}],
            "additionalItems": {"type": "number"}, "minItems": 2, "maxItems": 4},
        "open": {"type": "array", "items": [{"type": "integer"}, {"type": "string"}],
            "additionalItems": {"type": "boolean"}, "minItems": 1},
        "loose": {"type": "array", "items": [{"type": "integer"}]}
    }}"#,
    "rest.json",
);

/// `/definitions/stamped`: a time, then one to three numbers.
#[derive(Debug, Clone, PartialEq, rt::Tuple)]
#[tuple(min_items = 2, max_items = 4, rest)]
pub struct Stamped(pub rt::chrono::DateTime<rt::chrono::Utc>, pub Vec<f64>);

/// `/definitions/open`: an integer, optionally a string, then any number of booleans
/// (only after the string).
#[derive(Debug, Clone, PartialEq, rt::Tuple)]
#[tuple(min_items = 1, rest)]
pub struct Labelled(pub i64, pub Option<String>, pub Vec<bool>);

/// `/definitions/loose`: an integer, then anything (no `additionalItems`), as read.
#[derive(Debug, Clone, PartialEq, rt::Tuple)]
#[tuple(min_items = 0, rest)]
pub struct Loose(pub Option<i64>, pub Vec<rt::serde_json::Value>);

/// Arrays near every edge of `REST_SCHEMA`'s tuples, and other JSON types.
const REST_TEXTS: &[&str] = &[
    r#"["2026-01-02T03:04:05Z", 1]"#,
    r#"["2026-01-02T03:04:05Z", 1, 2.5, -3]"#,
    r#"["2026-01-02T03:04:05Z", 1, 2, 3, 4]"#,
    r#"["2026-01-02T03:04:05Z"]"#,
    r#"["2026-01-02T03:04:05Z", "1"]"#,
    r#"["2026-01-02T03:04:05Z", 1, null]"#,
    r#"["yesterday", 1]"#,
    r#"[1]"#,
    r#"[1.0]"#,
    r#"[1, "a"]"#,
    r#"[1, "a", true, false, true, true, false]"#,
    r#"[1, "a", 1]"#,
    r#"[1, {"a": 1}, [2], null]"#,
    r#"["1", 2]"#,
    r#"[1, true]"#,
    r#"[1.5]"#,
    "[]",
    "{\"0\": 1}",
    "null",
];

/// A tuple with items after its list reads exactly the arrays its schema accepts, counted.
#[test]
fn a_tuple_with_items_after_its_list_agrees_with_its_schema() {
    for text in REST_TEXTS {
        let parsed: rt::serde_json::Value = rt::serde_json::from_str(text).expect("JSON");
        for (at, read, from_value) in [
            (
                "/definitions/stamped",
                rt::serde_json::from_str::<Stamped>(text).is_ok(),
                rt::serde_json::from_value::<Stamped>(parsed.clone()).is_ok(),
            ),
            (
                "/definitions/open",
                rt::serde_json::from_str::<Labelled>(text).is_ok(),
                rt::serde_json::from_value::<Labelled>(parsed.clone()).is_ok(),
            ),
            (
                "/definitions/loose",
                rt::serde_json::from_str::<Loose>(text).is_ok(),
                rt::serde_json::from_value::<Loose>(parsed.clone()).is_ok(),
            ),
        ] {
            let expected = REST_SCHEMA.is_valid(at, &parsed);
            assert_eq!(read, expected, "{at} {text}");
            assert_eq!(from_value, expected, "{at} {text} from a value");
        }
    }
}

/// The items after the list are read into the `Vec`, their spellings kept; what is refused
/// says why; a gap before them cannot be written.
#[test]
fn a_tuple_reads_and_writes_the_items_after_its_list() {
    let at = "2026-01-02T03:04:05Z"
        .parse::<rt::chrono::DateTime<rt::chrono::Utc>>()
        .expect("time");
    let read = |text: &str| rt::serde_json::from_str::<Stamped>(text).map_err(|e| e.to_string());
    assert_eq!(
        read(r#"["2026-01-02T03:04:05Z", 1, 2.5]"#),
        Ok(Stamped(at, vec![1.0, 2.5]))
    );
    for (text, why) in [
        (
            r#"["2026-01-02T03:04:05Z"]"#,
            "invalid length 1, expected an array of 2 to 4 items",
        ),
        (
            r#"["2026-01-02T03:04:05Z", 1, 2, 3, 4]"#,
            "invalid length 5, expected an array of 2 to 4 items",
        ),
        (
            "{\"0\": 1}",
            "invalid type: map, expected an array of 2 to 4 items",
        ),
    ] {
        let error = read(text).expect_err(text);
        assert!(error.contains(why), "{text}: {error}");
    }
    assert_eq!(
        rt::serde_json::from_str::<Labelled>(r#"[7, "a", true, false]"#).expect("reads"),
        Labelled(7, Some("a".to_owned()), vec![true, false])
    );
    let error = rt::serde_json::from_str::<Labelled>("[]").expect_err("empty");
    assert!(
        error
            .to_string()
            .contains("invalid length 0, expected an array of at least 1 item"),
        "{error}"
    );
    // Spellings of the list and of the items after it are written back as read.
    for text in [
        r#"["2026-01-02T03:04:05.000Z",1]"#,
        r#"["2026-01-02T03:04:05Z",1,2.50,1e2]"#,
    ] {
        let expected: rt::serde_json::Value = rt::serde_json::from_str(text).expect("JSON");
        assert_eq!(
            written_back::<Stamped>(text),
            expected.to_string(),
            "{text}"
        );
    }
    assert_eq!(
        rt::serde_json::to_string(&Labelled(1, None, vec![])).expect("writes"),
        "[1]"
    );
    // Anything after the list is kept as it was read.
    let loose: Loose = rt::serde_json::from_str(r#"[1, {"a": [null]}, "x", 2.5]"#).expect("reads");
    assert_eq!(
        loose,
        Loose(
            Some(1),
            vec![
                rt::serde_json::json!({"a": [null]}),
                rt::serde_json::json!("x"),
                rt::serde_json::json!(2.5)
            ]
        )
    );
    assert_eq!(
        rt::serde_json::to_string(&loose).expect("writes"),
        r#"[1,{"a":[null]},"x",2.5]"#
    );
    let error = rt::serde_json::to_string(&Labelled(1, None, vec![true])).expect_err("a gap");
    assert_eq!(
        error.to_string(),
        "the items after the list of a Labelled are set after an item of the list that is not: no array holds them"
    );
}
