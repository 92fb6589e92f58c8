//! The model on small schema folders written for one shape each: what each schema becomes,
//! and that it is the same whichever event reaches it first.

use event_contracts_codegen::model::{self, FieldTy, Model, StructDef, TypeDef};
use event_contracts_codegen::{emit, load, EmitOptions, LoadOptions, SchemaFiles};
use serde_json::{json, Value};

/// An event schema of the envelope `eventType` + `version` and the given properties.
fn event(name: &str, properties: Value) -> String {
    let mut props = json!({
        "eventType": {"type": "string", "enum": [name]},
        "version": {"type": "string"}
    });
    for (k, v) in properties.as_object().expect("properties") {
        props[k] = v.clone();
    }
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "type": "object",
        "required": ["eventType", "version"],
        "properties": props
    })
    .to_string()
}

/// Loads the folder of `files` and builds its model, or the diagnostics as text.
fn build(files: Vec<(&str, String)>) -> Result<Model, String> {
    let set = load::load(
        &SchemaFiles::from_files("schemas", files),
        &LoadOptions::default(),
    )
    .map_err(|e| e.to_string())?;
    model::build(&set).map_err(|e| e.to_string())
}

fn shared(definitions: Value) -> String {
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "definitions": definitions
    })
    .to_string()
}

/// The root struct of the newest version of the event `module`.
fn root<'m>(model: &'m Model, module: &str) -> &'m StructDef {
    let event = model
        .events
        .iter()
        .find(|e| e.module == module)
        .unwrap_or_else(|| panic!("no event {module}"));
    match event.versions.last().and_then(|v| v.types.first()) {
        Some(TypeDef::Struct(s)) => s,
        other => panic!("the root of {module} is {other:?}"),
    }
}

fn field_ty<'s>(s: &'s StructDef, json: &str) -> &'s FieldTy {
    &s.fields
        .iter()
        .find(|f| f.json == json)
        .unwrap_or_else(|| panic!("{} has no field {json}", s.name))
        .ty
}

/// Where the property `json` of `s` is checked, when its type holds less than its schema.
fn check_at<'m>(s: &'m StructDef, json: &str) -> Option<&'m str> {
    s.fields
        .iter()
        .find(|f| f.json == json)
        .unwrap_or_else(|| panic!("{} has no field {json}", s.name))
        .check_at
        .as_deref()
}

/// A shared definition that is a nullable object is generated once, for every event that
/// refers to it: before, the second reference built it again and clashed with the first.
#[test]
fn a_shared_nullable_definition_is_one_type_for_every_event() {
    let trace = json!({"$ref": "../common/shared.json#/definitions/trace"});
    let model = build(vec![
        (
            "common/shared.json",
            shared(json!({
                "trace": {"anyOf": [
                    {"type": "object", "properties": {"id": {"type": "string"}}},
                    {"type": "null"}
                ]}
            })),
        ),
        (
            "order-placed/1.0.0.json",
            event("OrderPlaced", json!({"trace": trace})),
        ),
        (
            "order-shipped/1.0.0.json",
            event("OrderShipped", json!({"trace": trace})),
        ),
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    let expected = FieldTy::Nullable(Box::new(FieldTy::Shared("Trace".to_owned())));
    assert_eq!(field_ty(root(&model, "order_placed"), "trace"), &expected);
    assert_eq!(field_ty(root(&model, "order_shipped"), "trace"), &expected);
    let names: Vec<&str> = model.shared.iter().map(TypeDef::name).collect();
    assert_eq!(names, ["Trace"]);
}

/// A shared definition whose type cannot hold all it says makes every property that refers
/// to it checked, not only the first: before, later references counted it as exact, so
/// their typed read accepted what the schema refuses. The property is checked alone; the
/// struct around it is read once, unchecked.
#[test]
fn a_shared_inexact_definition_stays_inexact_for_every_event() {
    let tags = json!({"$ref": "../common/shared.json#/definitions/tags"});
    let model = build(vec![
        (
            "common/shared.json",
            shared(json!({
                "tags": {
                    "type": "object",
                    "additionalProperties": {"type": "string", "maxLength": 8},
                    "maxProperties": 2
                }
            })),
        ),
        (
            "order-placed/1.0.0.json",
            event("OrderPlaced", json!({"tags": tags})),
        ),
        (
            "order-shipped/1.0.0.json",
            event("OrderShipped", json!({"tags": tags})),
        ),
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    for module in ["order_placed", "order_shipped"] {
        let root = root(&model, module);
        assert!(!root.checked, "{module}'s root is checked whole");
        assert_eq!(check_at(root, "tags"), Some("/properties/tags"), "{module}");
        assert_eq!(
            field_ty(root, "tags"),
            &FieldTy::Map(Box::new(FieldTy::Shared("TagsValue".to_owned())))
        );
    }
}

/// The same for a shared newtype that is inexact by itself (`multipleOf: 0.01` is checked
/// on the value as JSON Schema computes it, not by the newtype): before, only the first
/// event that referred to it had a checked property.
#[test]
fn a_shared_inexact_newtype_makes_every_referring_struct_checked() {
    let price = json!({"$ref": "../common/shared.json#/definitions/price"});
    let model = build(vec![
        (
            "common/shared.json",
            shared(json!({"price": {"type": "number", "multipleOf": 0.01}})),
        ),
        (
            "order-placed/1.0.0.json",
            event("OrderPlaced", json!({"price": price})),
        ),
        (
            "order-shipped/1.0.0.json",
            event("OrderShipped", json!({"price": price})),
        ),
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    for module in ["order_placed", "order_shipped"] {
        let root = root(&model, module);
        assert!(!root.checked, "{module}'s root is checked whole");
        assert_eq!(
            check_at(root, "price"),
            Some("/properties/price"),
            "{module}"
        );
        assert_eq!(
            field_ty(root, "price"),
            &FieldTy::Shared("Price".to_owned())
        );
    }
}

/// Rust keywords as property names and enum values: `self`, `super` and `crate` cannot be
/// raw identifiers, so they get a trailing underscore (`r#self` made the generator panic),
/// and the value `"self"` becomes the variant `Self_`.
#[test]
fn keywords_that_cannot_be_raw_identifiers_get_an_underscore() {
    let model = build(vec![(
        "link-added/1.0.0.json",
        event(
            "LinkAdded",
            json!({
                "self": {"type": "string"},
                "super": {"type": "integer"},
                "crate": {"type": "boolean"},
                "type": {"type": "string"},
                "rel": {"type": "string", "enum": ["self", "next"]},
                "mixed": {"enum": ["self", 1]}
            }),
        ),
    )])
    .unwrap_or_else(|e| panic!("{e}"));
    let root = root(&model, "link_added");
    let names: Vec<&str> = root.fields.iter().map(|f| f.rust.as_str()).collect();
    assert_eq!(
        names,
        ["version", "self_", "super_", "crate_", "r#type", "rel", "mixed"]
    );
    let event = &model.events[0].versions[0];
    let variants: Vec<Vec<&str>> = event
        .types
        .iter()
        .filter_map(|t| match t {
            TypeDef::Enum(e) => Some(e.variants.iter().map(|(v, _)| v.as_str()).collect()),
            TypeDef::Literals(l) => Some(l.variants.iter().map(|(v, _)| v.as_str()).collect()),
            _ => None,
        })
        .collect();
    assert_eq!(variants, [vec!["Self_", "Next"], vec!["Self_", "V1"]]);
    let code = emit::format_file(emit::emit(&model, &EmitOptions::default()))
        .unwrap_or_else(|e| panic!("the generated code does not parse: {e}"));
    assert!(code.contains("pub self_: Option<String>"), "{code}");
}

/// Which map properties are read straight and counted (`Field::members`) and which stay
/// checked through the tree: only a map whose type holds all but `minProperties`,
/// `maxProperties` and `propertyNames` is counted.
#[test]
fn map_properties_bounded_only_by_their_members_are_counted() {
    use event_contracts_codegen::model::MemberCount;
    let model = build(vec![(
        "tagged/1.0.0.json",
        event(
            "Tagged",
            json!({
                "free": {"type": "object", "minProperties": 1, "maxProperties": 3},
                "named": {"type": "object", "propertyNames": {"pattern": "^[a-z]+$"}},
                "typed": {
                    "type": "object",
                    "additionalProperties": {"type": "integer"},
                    "maxProperties": 2
                },
                "values_inexact": {
                    "type": "object",
                    "additionalProperties": {"type": "string", "not": {"const": ""}},
                    "maxProperties": 2
                },
                "with_dependencies": {
                    "type": "object",
                    "minProperties": 1,
                    "dependencies": {"a": ["b"]}
                },
                "untyped": {"minProperties": 1},
                "float_spelled": {"type": "object", "minProperties": 2.0},
                "plain": {"type": "object"}
            }),
        ),
    )])
    .unwrap_or_else(|e| panic!("{e}"));
    let s = root(&model, "tagged");
    let members = |json: &str| {
        s.fields
            .iter()
            .find(|f| f.json == json)
            .unwrap_or_else(|| panic!("no field {json}"))
            .members
            .clone()
    };
    assert_eq!(
        members("free"),
        Some(MemberCount {
            min: 1,
            max: Some(3),
            names: None
        })
    );
    assert_eq!(
        members("named"),
        Some(MemberCount {
            min: 0,
            max: None,
            names: Some("/properties/named/propertyNames".to_owned())
        })
    );
    assert_eq!(
        members("typed"),
        Some(MemberCount {
            min: 0,
            max: Some(2),
            names: None
        })
    );
    assert_eq!(field_ty(s, "typed"), &FieldTy::Map(Box::new(FieldTy::I64)));
    for json in [
        "values_inexact",
        "with_dependencies",
        "untyped",
        "float_spelled",
    ] {
        assert_eq!(members(json), None, "{json}");
        assert_eq!(
            check_at(s, json),
            Some(format!("/properties/{json}").as_str()),
            "{json} is checked through its subschema"
        );
    }
    assert_eq!(members("plain"), None);
    assert_eq!(check_at(s, "plain"), None);
}

/// What reading checks of a property, when its type holds all its subschema says but some
/// of the subschema's own keywords: those keywords alone (`Some`), or the whole subschema
/// (`None`), with `check_at` set either way (`build` checks the whole subschema).
fn check_only<'m>(s: &'m StructDef, json: &str) -> Option<Vec<&'m str>> {
    let field = s
        .fields
        .iter()
        .find(|f| f.json == json)
        .unwrap_or_else(|| panic!("{} has no field {json}", s.name));
    assert!(field.check_at.is_some(), "{json} is not checked at all");
    field
        .check_only
        .as_ref()
        .map(|k| k.iter().map(String::as_str).collect())
}

fn struct_named<'m>(model: &'m Model, module: &str, name: &str) -> &'m StructDef {
    newest_types(model, module)
        .iter()
        .find_map(|t| match t {
            TypeDef::Struct(s) if s.name == name => Some(s),
            _ => None,
        })
        .unwrap_or_else(|| panic!("{module} has no struct {name}"))
}

/// The types of the newest version of the event `module`.
fn newest_types<'m>(model: &'m Model, module: &str) -> &'m [TypeDef] {
    let event = model
        .events
        .iter()
        .find(|e| e.module == module)
        .unwrap_or_else(|| panic!("no event {module}"));
    event.versions.last().map_or(&[], |v| v.types.as_slice())
}

#[test]
fn reading_checks_only_the_keywords_a_type_does_not_hold() {
    let model = build(vec![(
        "shaped/1.0.0.json",
        event(
            "Shaped",
            json!({
                "unique": {"type": "array", "items": {"type": "string"}, "uniqueItems": true},
                "unique_objects": {
                    "type": "array",
                    "items": {"type": "object", "properties": {"a": {"type": "string"}}},
                    "uniqueItems": true
                },
                "containing": {
                    "type": "array",
                    "items": {"type": "integer"},
                    "contains": {"minimum": 100},
                    "maxItems": 8
                },
                "not_blank": {"type": "string", "not": {"const": ""}},
                "both": {"type": "string", "allOf": [{"minLength": 1}, {"maxLength": 3}], "not": {"const": "x"}},
                "map_with_dependencies": {
                    "type": "object",
                    "additionalProperties": {"type": "integer"},
                    "dependencies": {"a": ["b"]}
                },
                "shared_branches": {"type": "string", "oneOf": [{"minLength": 2}, {"maxLength": 1}]},
                "tuple": {"type": "array", "items": [{"type": "integer"}], "uniqueItems": true},
                "inexact_items": {
                    "type": "array",
                    "items": {"type": "string", "not": {"const": ""}},
                    "uniqueItems": true
                },
                "counted": {"type": "array", "items": {"type": "string"}, "minItems": 1},
                "conditional": {
                    "type": "object",
                    "properties": {"plan": {"type": "string"}, "seats": {"type": "integer"}},
                    "if": {"properties": {"plan": {"const": "pro"}}},
                    "then": {"required": ["seats"]},
                    "not": {"required": ["closed"]},
                    "dependencies": {"seats": ["plan"]}
                },
                "named_members": {
                    "type": "object",
                    "properties": {"a": {"type": "string"}},
                    "propertyNames": {"maxLength": 3},
                    "maxProperties": 2
                },
                "forbidden_member": {
                    "type": "object",
                    "properties": {"a": {"type": "string"}, "b": false},
                    "maxProperties": 2
                }
            }),
        ),
    )])
    .unwrap_or_else(|e| panic!("{e}"));
    let s = root(&model, "shaped");
    assert_eq!(check_only(s, "unique"), Some(vec!["uniqueItems"]));
    // Scalars are compared as they are read (`Field::items`); objects go to the check.
    let items = |json: &str| {
        s.fields
            .iter()
            .find(|f| f.json == json)
            .and_then(|f| f.items)
    };
    assert_eq!(
        items("unique"),
        Some(event_contracts_codegen::model::ItemCount {
            min: 0,
            max: None,
            unique: true
        })
    );
    assert_eq!(items("unique_objects"), None);
    assert_eq!(check_only(s, "unique_objects"), Some(vec!["uniqueItems"]));
    assert_eq!(items("inexact_items"), None);
    assert_eq!(items("tuple"), None);
    assert_eq!(
        check_only(s, "containing"),
        Some(vec!["maxItems", "contains"])
    );
    assert_eq!(
        field_ty(s, "containing"),
        &FieldTy::Vec(Box::new(FieldTy::I64))
    );
    assert_eq!(check_only(s, "not_blank"), Some(vec!["not"]));
    assert_eq!(field_ty(s, "not_blank"), &FieldTy::String);
    // `allOf` that cannot merge, then `not` on what is left: both, and the string's own
    // keywords held by the type.
    assert_eq!(check_only(s, "both"), Some(vec!["not", "allOf"]));
    assert_eq!(
        check_only(s, "map_with_dependencies"),
        Some(vec!["dependencies"])
    );
    assert_eq!(check_only(s, "shared_branches"), Some(vec!["oneOf"]));
    // A tuple with `uniqueItems`: its tuple struct, checked for that alone.
    assert_eq!(check_only(s, "tuple"), Some(vec!["uniqueItems"]));
    assert!(matches!(field_ty(s, "tuple"), FieldTy::Local(_)));
    // Items whose type does not hold their schema: the whole subschema.
    assert_eq!(check_only(s, "inexact_items"), None);
    // Counted arrays are counted, not checked (see `Field::items`): the keyword is there,
    // and the emitter writes `min_items` in its place.
    assert_eq!(check_only(s, "counted"), Some(vec!["minItems"]));
    assert!(s
        .fields
        .iter()
        .any(|f| f.json == "counted" && f.items.is_some()));

    // An object's keywords beside its properties become its struct's own check, and the
    // property is read as the struct reads itself.
    assert_eq!(check_at(s, "conditional"), None);
    let conditional = struct_named(&model, "shaped", "Conditional");
    assert!(conditional.checked);
    assert_eq!(
        conditional.check_only.as_deref(),
        Some(
            &[
                "dependencies".to_owned(),
                "not".to_owned(),
                "if".to_owned(),
                "then".to_owned()
            ][..]
        )
    );
    // Keywords about the members alone are counted and checked name by name as the
    // members are read, not checked on the whole value.
    let named = struct_named(&model, "shaped", "NamedMembers");
    assert!(!named.checked);
    assert_eq!(
        named.members,
        Some(event_contracts_codegen::model::MemberCount {
            min: 0,
            max: Some(2),
            names: Some("/properties/named_members/propertyNames".to_owned()),
        })
    );
    // A property that may not appear is refused by the whole subschema's check.
    let forbidden = struct_named(&model, "shaped", "ForbiddenMember");
    assert!(forbidden.checked);
    assert_eq!(forbidden.check_only, None);
}

/// The struct a property's type names.
fn struct_of<'m>(model: &'m Model, module: &str, s: &StructDef, json: &str) -> &'m StructDef {
    match field_ty(s, json) {
        FieldTy::Local(name) => struct_named(model, module, name),
        other => panic!("{json} is {other:?}, not a struct"),
    }
}

#[test]
fn all_of_merges_closed_parts_that_declare_every_property_and_counts_members() {
    use event_contracts_codegen::model::MemberCount;
    let at = json!({"type": "string", "format": "date-time"});
    let model = build(vec![(
        "merged/1.0.0.json",
        event(
            "Merged",
            json!({
                // The closed part declares `at` (as `true`) and its own two: the merge is
                // closed on the same three names, `at` typed by the other part.
                "covered": {"allOf": [
                    {"type": "object", "required": ["at"], "properties": {"at": at}},
                    {"type": "object", "properties": {"at": true, "by": {"type": "string"}},
                     "additionalProperties": false}
                ]},
                // The closed part does not declare `x`, which the first part does: only an
                // object without `x` passes both, which a closed merge would not say.
                "uncovered": {"allOf": [
                    {"type": "object", "properties": {"x": {"type": "integer"}}},
                    {"type": "object", "properties": {"y": {}}, "additionalProperties": false}
                ]},
                "bounded": {"allOf": [
                    {"type": "object", "minProperties": 1, "maxProperties": 5,
                     "properties": {"a": {"type": "string"}}},
                    {"minProperties": 2, "maxProperties": 4,
                     "propertyNames": {"maxLength": 3}}
                ]},
                "two_name_rules": {"allOf": [
                    {"type": "object", "propertyNames": {"maxLength": 3}},
                    {"propertyNames": {"minLength": 1}}
                ]},
                "conflicting": {"allOf": [
                    {"type": "object", "properties": {"a": {"type": "string"}}},
                    {"properties": {"a": {"minLength": 1}}}
                ]},
                "counted": {"type": "object", "minProperties": 1,
                            "propertyNames": {"pattern": "^[a-z]+$"},
                            "properties": {"a": {"type": "string"}}},
                "with_dependencies": {"type": "object", "minProperties": 1,
                                      "dependencies": {"a": ["b"]},
                                      "properties": {"a": {"type": "string"}}}
            }),
        ),
    )])
    .unwrap_or_else(|e| panic!("{e}"));
    let s = root(&model, "merged");

    let covered = struct_of(&model, "merged", s, "covered");
    assert!(!covered.open, "the merge is closed, as its second part is");
    assert!(!covered.checked);
    assert_eq!(covered.members, None);
    let names: Vec<&str> = covered.fields.iter().map(|f| f.json.as_str()).collect();
    assert_eq!(names, ["at", "by"]);
    assert_eq!(field_ty(covered, "at"), &FieldTy::DateTime);
    assert!(covered.fields[0].required);
    assert_eq!(check_at(covered, "at"), None);
    assert_eq!(check_at(s, "covered"), None);

    assert_eq!(field_ty(s, "uncovered"), &FieldTy::Any);
    assert_eq!(check_only(s, "uncovered"), Some(vec!["allOf"]));

    let bounded = struct_of(&model, "merged", s, "bounded");
    assert!(bounded.open);
    assert!(!bounded.checked);
    assert_eq!(
        bounded.members,
        Some(MemberCount {
            min: 2,
            max: Some(4),
            names: Some("/properties/bounded/allOf/1/propertyNames".to_owned()),
        })
    );

    assert_eq!(field_ty(s, "two_name_rules"), &FieldTy::Any);
    assert_eq!(check_only(s, "two_name_rules"), Some(vec!["allOf"]));
    // Two schemas of one property: the field takes the one that names a type, and the
    // struct checks the parts.
    let conflicting = struct_of(&model, "merged", s, "conflicting");
    assert_eq!(field_ty(conflicting, "a"), &FieldTy::String);
    assert_eq!(
        check_at(conflicting, "a"),
        None,
        "its type holds its own schema"
    );
    assert!(conflicting.checked);
    assert_eq!(conflicting.check_only, Some(vec!["allOf".to_owned()]));
    assert_eq!(check_at(s, "conflicting"), None);

    let counted = struct_of(&model, "merged", s, "counted");
    assert!(!counted.checked, "its members are counted, not checked");
    assert_eq!(
        counted.members,
        Some(MemberCount {
            min: 1,
            max: None,
            names: Some("/properties/counted/propertyNames".to_owned()),
        })
    );
    let with_dependencies = struct_of(&model, "merged", s, "with_dependencies");
    assert_eq!(with_dependencies.members, None);
    assert!(with_dependencies.checked);
    assert_eq!(
        with_dependencies.check_only,
        Some(vec!["minProperties".to_owned(), "dependencies".to_owned()])
    );
}

/// The union a property's type names.
fn union_of<'m>(model: &'m Model, module: &str, s: &StructDef, json: &str) -> &'m model::UnionDef {
    let FieldTy::Local(name) = field_ty(s, json) else {
        panic!("{json} is not a named type");
    };
    newest_types(model, module)
        .iter()
        .find_map(|t| match t {
            TypeDef::Union(u) if u.name == *name => Some(u),
            _ => None,
        })
        .unwrap_or_else(|| panic!("{module} has no union {name}"))
}

/// An untagged `anyOf`/`oneOf` whose branches each allow one JSON type, none overlapping,
/// and whose variants are exact is picked by the JSON type (`exact`, each variant's
/// `json_type`); overlapping types (`integer` beside `number`, two strings), a branch of
/// several types or an inexact variant keep the branches' check (`bare`). A `bare` union's
/// exact object variants say the members their branches require.
#[test]
fn untagged_unions_are_picked_by_json_type_or_by_required_members() {
    let model = build(vec![(
        "untagged/1.0.0.json",
        event(
            "Untagged",
            json!({
                "disjoint": {"oneOf": [
                    {"type": "string", "format": "email"},
                    {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}, "additionalProperties": false},
                    {"type": "integer", "minimum": 1}
                ]},
                "overlapping": {"oneOf": [{"type": "integer"}, {"type": "number", "multipleOf": 0.5}]},
                "two_strings": {"anyOf": [{"type": "string", "format": "ipv4"}, {"type": "string", "format": "ipv6"}]},
                "several": {"anyOf": [{"type": ["string", "null"]}, {"type": "integer"}]},
                "inexact": {"anyOf": [{"type": "string"}, {"type": "array", "contains": {"const": 1}}]},
                "objects": {"anyOf": [
                    {"type": "object", "required": ["name", "size"], "properties": {"name": {"type": "string"}, "size": {"type": "integer"}}},
                    {"type": "object", "required": ["href"], "properties": {"href": {"type": "string"}}},
                    {"type": "object", "properties": {"note": {"type": "string"}}},
                    {"required": ["x"], "properties": {"x": {"type": "string"}}}
                ]}
            }),
        ),
    )])
    .expect("the model builds");
    let s = root(&model, "untagged");
    let shape = |json: &str| {
        let u = union_of(&model, "untagged", s, json);
        let types: Vec<Option<&str>> = u.variants.iter().map(|v| v.json_type.as_deref()).collect();
        let requires: Vec<Option<Vec<String>>> =
            u.variants.iter().map(|v| v.requires.clone()).collect();
        (u.exact, u.bare, types, requires)
    };
    assert_eq!(
        shape("disjoint"),
        (
            true,
            false,
            vec![Some("string"), Some("object"), Some("integer")],
            vec![None, None, None]
        )
    );
    for json in ["overlapping", "two_strings", "several", "inexact"] {
        let (exact, bare, types, _) = shape(json);
        assert_eq!((exact, bare), (false, true), "{json}");
        assert!(types.iter().all(Option::is_none), "{json}");
    }
    let names = |n: &[&str]| Some(n.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>());
    assert_eq!(
        shape("objects"),
        (
            false,
            true,
            vec![None, None, None, None],
            // A branch that requires nothing, or that does not say `type: object` (a string
            // passes it), rules nothing out.
            vec![names(&["name", "size"]), names(&["href"]), None, None]
        )
    );
}

/// An array of listed `items` with `additionalItems: false` becomes a tuple struct when
/// every item is an exact scalar (a UUID, a time, nullable ones too) and the bounds leave
/// every item possible; anything else stays a checked `Vec<Value>`.
#[test]
fn listed_items_with_no_others_become_a_tuple() {
    let model = build(vec![(
        "tuples/1.0.0.json",
        event(
            "Tuples",
            json!({
                "point": {"type": "array", "items": [{"type": "number"}, {"type": "number", "maximum": 1}, {"type": ["string", "null"], "format": "uuid"}],
                    "additionalItems": false, "minItems": 2},
                "pair": {"type": "array", "items": [{"type": "string", "format": "date-time"}, {"enum": ["a", "b"]}], "additionalItems": false, "maxItems": 2},
                "open_ended": {"type": "array", "items": [{"type": "number"}]},
                "rest_typed": {"type": "array", "items": [{"type": "number"}], "additionalItems": {"type": "string"}},
                "rest_counted": {"type": "array", "items": [{"type": "string", "format": "date-time"}], "additionalItems": {"type": "number"}, "minItems": 2, "maxItems": 64},
                "rest_inexact": {"type": "array", "items": [{"type": "number"}], "additionalItems": {"type": "string", "not": {"const": "x"}}},
                "rest_object": {"type": "array", "items": [{"type": "number"}], "additionalItems": {"type": "object"}},
                "rest_too_few_allowed": {"type": "array", "items": [{"type": "number"}, {"type": "number"}], "additionalItems": {"type": "number"}, "minItems": 3, "maxItems": 2},
                "rest_any": {"type": "array", "items": [{"type": "number"}], "additionalItems": true},
                "rest_empty": {"type": "array", "items": [{"type": "number"}], "additionalItems": {}},
                "pair_or_text": {"type": ["array", "string"], "items": [{"type": "string"}, {"type": "integer"}], "additionalItems": false},
                "nullable_pair": {"type": ["array", "null"], "items": [{"type": "string"}, {"type": "integer"}], "additionalItems": false},
                "pair_by_bounds": {"type": "array", "items": [{"type": ["string", "null"]}, {"type": ["string", "null"]}], "minItems": 2, "maxItems": 2},
                "too_short": {"type": "array", "items": [{"type": "number"}, {"type": "number"}], "additionalItems": false, "maxItems": 1},
                "too_long": {"type": "array", "items": [{"type": "number"}], "additionalItems": false, "minItems": 2},
                "object_item": {"type": "array", "items": [{"type": "object", "properties": {"a": {"type": "string"}}}], "additionalItems": false},
                "nested": {"type": "array", "items": [{"type": "array", "items": {"type": "string"}}, {"type": "array", "items": [{"type": "number"}, {"type": "number"}], "additionalItems": false}, {"type": "object", "additionalProperties": {"type": "integer"}}], "additionalItems": false},
                "inexact_object_item": {"type": "array", "items": [{"type": "object", "properties": {"a": {"type": "string"}}}, {"type": "object", "not": {"required": ["b"]}}], "additionalItems": false},
                "inexact_item": {"type": "array", "items": [{"type": "string", "not": {"const": "x"}}], "additionalItems": false},
                "unique": {"type": "array", "items": [{"type": "number"}, {"type": "number"}], "additionalItems": false, "uniqueItems": true},
                "containing": {"type": "array", "items": [{"type": "number"}], "additionalItems": {"type": "string"}, "contains": {"const": "x"}, "maxItems": 4},
                "not_unique": {"type": "array", "items": [{"type": "number"}], "additionalItems": false, "uniqueItems": false},
                "untyped": {"items": [{"type": "number"}], "additionalItems": false}
            }),
        ),
    )])
    .expect("the model builds");
    let s = root(&model, "tuples");
    // The tuple the property `json` is, if it is one.
    let tuple_def = |json: &str| {
        let FieldTy::Local(name) = field_ty(s, json) else {
            return None;
        };
        newest_types(&model, "tuples").iter().find_map(|t| match t {
            TypeDef::Tuple(t) if t.name == *name => Some(t.clone()),
            _ => None,
        })
    };
    let tuple = |json: &str| tuple_def(json).map(|t| (t.items, t.min_items));
    let rest = |json: &str| tuple_def(json).map(|t| (t.rest, t.max_items));
    let field = |json: &str| s.fields.iter().find(|f| f.json == json).expect("a field");
    let (items, min) = tuple("point").expect("point is a tuple");
    assert_eq!(min, 2);
    assert_eq!(items.len(), 3);
    assert_eq!(items[0], FieldTy::F64);
    assert!(matches!(&items[1], FieldTy::Local(_)), "{:?}", items[1]);
    assert_eq!(items[2], FieldTy::Nullable(Box::new(FieldTy::Uuid)));
    assert_eq!(check_at(s, "point"), None);
    let (items, min) = tuple("pair").expect("pair is a tuple");
    assert_eq!((items.len(), min), (2, 0));
    assert_eq!(items[0], FieldTy::DateTime);
    assert_eq!(rest("pair"), Some((None, None)));
    // Items after the list of a type: the tuple's rest, exact when nothing bounds them.
    let (items, min) = tuple("rest_typed").expect("rest_typed is a tuple");
    assert_eq!((items, min), (vec![FieldTy::F64], 0));
    assert_eq!(rest("rest_typed"), Some((Some(FieldTy::String), None)));
    assert_eq!(check_at(s, "rest_typed"), None);
    // Bounded: counted by the tuple, checked by `build`, and only those keywords.
    let (items, min) = tuple("rest_counted").expect("rest_counted is a tuple");
    assert_eq!((items, min), (vec![FieldTy::DateTime], 2));
    assert_eq!(rest("rest_counted"), Some((Some(FieldTy::F64), Some(64))));
    assert_eq!(
        check_at(s, "rest_counted"),
        Some("/properties/rest_counted")
    );
    assert_eq!(
        field("rest_counted").check_only,
        Some(vec!["minItems".to_owned(), "maxItems".to_owned()])
    );
    // Anything after the list (`additionalItems` absent, `true` or `{}`): kept as values.
    for json in ["open_ended", "rest_any", "rest_empty"] {
        let (items, min) = tuple(json).unwrap_or_else(|| panic!("{json} is a tuple"));
        assert_eq!((items, min), (vec![FieldTy::F64], 0), "{json}");
        assert_eq!(rest(json), Some((Some(FieldTy::Any), None)), "{json}");
        assert_eq!(check_at(s, json), None, "{json}");
    }
    // A `maxItems` the list reaches: nothing can follow it, whatever `additionalItems` says.
    let (items, min) = tuple("pair_by_bounds").expect("pair_by_bounds is a tuple");
    assert_eq!(min, 2);
    assert_eq!(items, vec![FieldTy::Nullable(Box::new(FieldTy::String)); 2]);
    assert_eq!(rest("pair_by_bounds"), Some((None, None)));
    // `type: ["array", "null"]`: a nullable tuple.
    let FieldTy::Nullable(inner) = field_ty(s, "nullable_pair") else {
        panic!("nullable_pair is {:?}", field_ty(s, "nullable_pair"));
    };
    assert!(
        matches!(inner.as_ref(), FieldTy::Local(name) if name == "NullablePair"),
        "{inner:?}"
    );
    assert!(newest_types(&model, "tuples")
        .iter()
        .any(|t| matches!(t, TypeDef::Tuple(t) if t.name == "NullablePair" && t.items.len() == 2)));
    assert_eq!(check_at(s, "nullable_pair"), None);
    // A union of types: its array variant is a tuple.
    let FieldTy::Local(union) = field_ty(s, "pair_or_text") else {
        panic!("pair_or_text is {:?}", field_ty(s, "pair_or_text"));
    };
    let types = newest_types(&model, "tuples");
    let variants: Vec<&FieldTy> = types
        .iter()
        .find_map(|t| match t {
            TypeDef::Union(u) if u.name == *union => {
                Some(u.variants.iter().map(|v| &v.ty).collect())
            }
            _ => None,
        })
        .expect("a union");
    assert_eq!(variants.len(), 2);
    assert!(variants.iter().any(|ty| matches!(ty, FieldTy::Local(name)
        if types.iter().any(|t| matches!(t, TypeDef::Tuple(t) if t.name == *name)))));
    assert_eq!(check_at(s, "pair_or_text"), None);
    assert_eq!(check_at(s, "pair_by_bounds"), None);
    // Items of any exact type: a struct, arrays, another tuple, a map; a free-form object
    // after the list.
    let (items, min) = tuple("object_item").expect("object_item is a tuple");
    assert_eq!(min, 0);
    assert!(
        matches!(&items[0], FieldTy::Local(name)
            if newest_types(&model, "tuples").iter().any(|t| matches!(t, TypeDef::Struct(s) if s.name == *name))),
        "{items:?}"
    );
    let (items, min) = tuple("nested").expect("nested is a tuple");
    assert_eq!((items.len(), min), (3, 0));
    assert_eq!(items[0], FieldTy::Vec(Box::new(FieldTy::String)));
    assert!(
        matches!(&items[1], FieldTy::Local(name)
            if newest_types(&model, "tuples").iter().any(|t| matches!(t, TypeDef::Tuple(t) if t.name == *name && t.items == [FieldTy::F64, FieldTy::F64]))),
        "{items:?}"
    );
    assert_eq!(items[2], FieldTy::Map(Box::new(FieldTy::I64)));
    assert_eq!(check_at(s, "nested"), None);
    assert_eq!(rest("rest_object"), Some((Some(FieldTy::Object), None)));
    // `uniqueItems` and `contains`: a tuple checked for them alone (with the counts it
    // cannot hold beside a rest); `uniqueItems: false` says nothing.
    assert_eq!(tuple("unique"), Some((vec![FieldTy::F64, FieldTy::F64], 0)));
    assert_eq!(check_at(s, "unique"), Some("/properties/unique"));
    assert_eq!(
        field("unique").check_only,
        Some(vec!["uniqueItems".to_owned()])
    );
    assert_eq!(rest("containing"), Some((Some(FieldTy::String), Some(4))));
    assert_eq!(
        field("containing").check_only,
        Some(vec!["maxItems".to_owned(), "contains".to_owned()])
    );
    assert_eq!(tuple("not_unique"), Some((vec![FieldTy::F64], 0)));
    assert_eq!(check_at(s, "not_unique"), None);
    // A tuple refused after some of its items were modelled leaves none of their types.
    let types = newest_types(&model, "tuples");
    let names: Vec<&str> = types.iter().map(TypeDef::name).collect();
    assert!(
        !names.iter().any(|n| n.starts_with("InexactObjectItem")),
        "{names:?}"
    );
    for json in [
        "rest_inexact",
        "rest_too_few_allowed",
        "too_short",
        "too_long",
        "inexact_object_item",
        "inexact_item",
        "untyped",
    ] {
        assert_eq!(tuple(json), None, "{json}");
        assert!(
            matches!(field_ty(s, json), FieldTy::Vec(_) | FieldTy::Any),
            "{json}: {:?}",
            field_ty(s, json)
        );
    }
}
