//! Random draft-07 schemas over every keyword (nested, with combinators, `$ref`s between
//! definitions, boolean schemas) and random instances built from the same small vocabulary
//! (so that most of them nearly pass), checked three ways:
//! - the compiled validator reports exactly the violations `jsonschema` 0.61.2 reports;
//! - a `Value` and a `Tree` of the same text give identical violations;
//! - `is_valid` is true exactly when there is no violation.
//!
//! `PROPTEST_CASES` sets the number of schemas (default below); each is checked against
//! several instances.

mod schema_support;
use schema_support as support;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError};
use serde_json::{json, Map, Value};

use event_contracts_check::schema::CompileError;

/// Property names: plain, prefixes of each other, and ones that need pointer escapes.
const KEYS: &[&str] = &[
    "a",
    "b",
    "ab",
    "ba",
    "c",
    "a/b",
    "~x",
    "",
    // Longer than the 80 bytes past which messages mask an instance.
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab",
];

fn key() -> impl Strategy<Value = String> {
    prop::sample::select(KEYS).prop_map(str::to_owned)
}

/// Strings that sit on the edges of the generated constraints.
fn string() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "",
            "a",
            "ab",
            "abc",
            "b",
            "ba",
            "1",
            "é",
            "\u{1F600}",
            "aé",
            "12345678-1234-1234-1234-123456789abc",
            "12345678-1234-1234-1234-123456789abz",
            "2024-01-02T03:04:05Z",
            "2024-13-02T03:04:05Z",
            "Zm9v",
            "Zm9",
            "eyJhIjoxfQ==",
            "e30=",
            "/w==",
            "666F6F",
            "{}",
            "[1,",
            "null",
            "MZXW6===",
        ])
        .prop_map(str::to_owned),
        "[ab]{0,4}",
        // Long enough that messages mask the instance.
        "[a-c]{81,90}",
    ]
}

fn number() -> impl Strategy<Value = Value> {
    prop_oneof![
        prop::sample::select(vec![
            json!(0),
            json!(1),
            json!(1.0),
            json!(-1),
            json!(2),
            json!(2.5),
            json!(3),
            json!(0.1),
            json!(0.3),
            json!(0.30000000000000004),
            json!(7.5),
            json!(10),
            json!(-0.5),
            json!(1e300),
            json!(-1e300),
            json!(u64::MAX),
            json!(i64::MIN),
            json!(9007199254740993u64),
            json!(9007199254740992.0),
            json!(1e-7),
            json!(4.0e15),
            json!(1e20),
            json!(1.2345678901234567e25),
            json!(123456789.123),
            json!(19.99),
            json!(1.1),
        ]),
        (-20i64..20).prop_map(Value::from),
        (-20i64..20).prop_map(|n| json!(n as f64 / 4.0)),
    ]
}

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        2 => string().prop_map(Value::String),
        3 => number(),
        1 => any::<bool>().prop_map(Value::Bool),
        1 => Just(Value::Null),
    ]
}

/// Values taken from a document: its constants, bounds and names, to build near misses from.
#[derive(Debug, Clone, Default)]
struct Seeds {
    values: Vec<Value>,
    keys: Vec<String>,
}

fn seeds(document: &Value) -> Seeds {
    fn visit(value: &Value, seeds: &mut Seeds) {
        match value {
            Value::Object(members) => {
                for (k, v) in members {
                    match k.as_str() {
                        "enum" => {
                            if let Some(options) = v.as_array() {
                                seeds.values.extend(options.iter().cloned());
                            }
                        }
                        "const" => seeds.values.push(v.clone()),
                        "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum"
                        | "multipleOf" => {
                            if let Some(n) = v.as_f64() {
                                seeds.values.push(v.clone());
                                for near in [n + 1.0, n - 1.0, n * 2.0, n * 1.5, n + 0.5] {
                                    seeds.values.push(json!(near));
                                }
                                if let Some(i) = v.as_i64() {
                                    seeds.values.push(json!(i as f64));
                                    seeds.values.push(json!(i + 1));
                                }
                            }
                        }
                        "properties" | "dependencies" => {
                            if let Some(members) = v.as_object() {
                                seeds.keys.extend(members.keys().cloned());
                            }
                        }
                        "required" => {
                            if let Some(names) = v.as_array() {
                                seeds.keys.extend(
                                    names.iter().filter_map(Value::as_str).map(str::to_owned),
                                );
                            }
                        }
                        _ => {}
                    }
                    visit(v, seeds);
                }
            }
            Value::Array(items) => items.iter().for_each(|i| visit(i, seeds)),
            _ => {}
        }
    }
    let mut out = Seeds::default();
    visit(document, &mut out);
    // The other spelling of each whole number: `1` for `1.0` and back.
    let twins: Vec<Value> = out
        .values
        .iter()
        .filter_map(|v| match (v.as_i64(), v.as_f64()) {
            (Some(i), _) => Some(json!(i as f64)),
            (None, Some(f)) if f.fract() == 0.0 && f.abs() < 1e15 => Some(json!(f as i64)),
            _ => None,
        })
        .collect();
    out.values.extend(twins);
    out.values.push(json!(1.0));
    out.keys.push("a".to_owned());
    out
}

/// Instances near a document: its own constants, numbers beside its bounds, objects over
/// its property names, arrays with repeats; and unrelated instances too.
fn near_instance(document: &Value) -> BoxedStrategy<Value> {
    let seeds = seeds(document);
    let value = prop::sample::select(seeds.values.clone());
    let seeded_key = prop::sample::select(seeds.keys.clone());
    let leaf = prop_oneof![
        3 => value,
        2 => scalar(),
    ];
    let keys = prop_oneof![3 => seeded_key, 1 => key()];
    leaf.prop_recursive(3, 24, 5, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            // Repeats, for `uniqueItems` and `contains`.
            (inner.clone(), 1usize..3).prop_map(|(v, n)| Value::Array(vec![v; n + 1])),
            prop::collection::btree_map(keys.clone(), inner, 0..5)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
    .boxed()
}

/// Instances: scalars, arrays and objects with the schema vocabulary's keys.
fn instance() -> impl Strategy<Value = Value> {
    scalar().prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(key(), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn limit() -> impl Strategy<Value = Value> {
    prop_oneof![
        (0u64..5).prop_map(Value::from),
        Just(json!(1.0)),
        Just(json!(2.0)),
    ]
}

fn bound() -> impl Strategy<Value = Value> {
    prop_oneof![
        (-3i64..12).prop_map(Value::from),
        prop::sample::select(vec![
            json!(0.5),
            json!(2.5),
            json!(-0.5),
            json!(1.0),
            json!(1e300),
            json!(u64::MAX),
            json!(9007199254740992.0),
        ]),
    ]
}

fn multiple() -> impl Strategy<Value = Value> {
    prop::sample::select(vec![
        json!(1),
        json!(2),
        json!(3),
        json!(0.1),
        json!(0.5),
        json!(1.5),
        json!(0.01),
        json!(2.0),
        json!(1e-7),
        json!(1e300),
        json!(0.3),
        json!(0.7),
        json!(1e-308),
        json!(1.1e-10),
        json!(0.0001),
        json!(123456789.123),
    ])
}

fn pattern() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "^a", "b$", "^[a-c]+$", "a|b", "^$", "^.{2}$", "[0-9]", "^(ab)*$", "é", "^a?b?$", "x",
    ])
    .prop_map(str::to_owned)
}

fn type_name() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "null", "boolean", "integer", "number", "string", "array", "object",
    ])
}

/// One keyword of a schema object, its value built from `sub` for subschemas.
fn keyword(sub: BoxedStrategy<Value>) -> impl Strategy<Value = (String, Value)> {
    let named =
        |name: &'static str, s: BoxedStrategy<Value>| s.prop_map(move |v| (name.to_owned(), v));
    let subs =
        |n: std::ops::Range<usize>| prop::collection::vec(sub.clone(), n).prop_map(Value::Array);
    let schema_map = prop::collection::btree_map(key(), sub.clone(), 0..4)
        .prop_map(|m| Value::Object(m.into_iter().collect()));
    prop_oneof![
        named(
            "type",
            prop_oneof![
                type_name().prop_map(Value::from),
                prop::collection::btree_set(type_name(), 1..4)
                    .prop_map(|s| Value::Array(s.into_iter().map(Value::from).collect())),
            ]
            .boxed()
        ),
        named(
            "enum",
            prop::collection::vec(instance(), 1..5)
                .prop_map(Value::Array)
                .boxed()
        ),
        named("const", instance().boxed()),
        named("multipleOf", multiple().boxed()),
        named("minimum", bound().boxed()),
        named("maximum", bound().boxed()),
        named("exclusiveMinimum", bound().boxed()),
        named("exclusiveMaximum", bound().boxed()),
        named("minLength", limit().boxed()),
        named("maxLength", limit().boxed()),
        named("pattern", pattern().prop_map(Value::String).boxed()),
        named(
            "format",
            prop::sample::select(vec!["uuid", "date-time", "not-a-format"])
                .prop_map(Value::from)
                .boxed()
        ),
        named("items", prop_oneof![sub.clone(), subs(0..3)].boxed()),
        named("additionalItems", sub.clone()),
        named("minItems", limit().boxed()),
        named("maxItems", limit().boxed()),
        named("uniqueItems", any::<bool>().prop_map(Value::Bool).boxed()),
        named("contains", sub.clone()),
        named("minProperties", limit().boxed()),
        named("maxProperties", limit().boxed()),
        named(
            "required",
            prop::collection::btree_set(key(), 0..3)
                .prop_map(|s| Value::Array(s.into_iter().map(Value::String).collect()))
                .boxed()
        ),
        named("properties", schema_map.boxed()),
        named(
            "patternProperties",
            prop::collection::btree_map(pattern(), sub.clone(), 0..3)
                .prop_map(|m| Value::Object(m.into_iter().collect()))
                .boxed()
        ),
        named("additionalProperties", sub.clone()),
        named(
            "dependencies",
            prop::collection::btree_map(
                key(),
                prop_oneof![
                    prop::collection::btree_set(key(), 0..3)
                        .prop_map(|s| Value::Array(s.into_iter().map(Value::String).collect())),
                    sub.clone(),
                ],
                0..3,
            )
            .prop_map(|m| Value::Object(m.into_iter().collect()))
            .boxed()
        ),
        named("propertyNames", sub.clone()),
        named("if", sub.clone()),
        named("then", sub.clone()),
        named("else", sub.clone()),
        named("allOf", subs(1..3).boxed()),
        named("anyOf", subs(1..4).boxed()),
        named("oneOf", subs(1..4).boxed()),
        named("not", sub.clone()),
        named(
            "contentMediaType",
            prop::sample::select(vec!["application/json", "text/plain"])
                .prop_map(Value::from)
                .boxed()
        ),
        named(
            "contentEncoding",
            prop::sample::select(vec!["base64", "base16", "base32", "quoted-printable"])
                .prop_map(Value::from)
                .boxed()
        ),
        named(
            "$ref",
            prop::sample::select(vec![
                "#/definitions/d0",
                "#/definitions/d1",
                "#/definitions/d2",
                "#",
                "#/definitions/d0/items",
            ])
            .prop_map(Value::from)
            .boxed()
        ),
    ]
}

/// A schema: a boolean, or an object of up to four keywords, nested three deep.
fn schema() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        1 => any::<bool>().prop_map(Value::Bool),
        1 => Just(json!({})),
        6 => keyword(Just(json!(true)).boxed()).prop_map(|(k, v)| json!({ k: v })),
    ];
    leaf.prop_recursive(3, 40, 4, |inner| {
        prop_oneof![
            1 => any::<bool>().prop_map(Value::Bool),
            6 => prop::collection::vec(keyword(inner.boxed()), 1..5)
                .prop_map(|pairs| Value::Object(pairs.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// A document: a root schema plus three definitions the `$ref`s name.
fn document() -> impl Strategy<Value = Value> {
    (schema(), prop::collection::vec(schema(), 3)).prop_map(|(root, definitions)| {
        let definitions: Map<String, Value> = definitions
            .into_iter()
            .enumerate()
            .map(|(i, d)| (format!("d{i}"), d))
            .collect();
        match root {
            Value::Object(mut members) => {
                members.insert("definitions".to_owned(), Value::Object(definitions));
                Value::Object(members)
            }
            // A boolean root has no room for definitions; wrap it.
            other => json!({"allOf": [other], "definitions": definitions}),
        }
    })
}

/// The schema positions `jsonschema` compiles: from the root through the applicators,
/// ``if` only beside `then` or `else` and those only beside `if`, `additionalItems` only beside an array `items`, nothing
/// beside a `$ref` but its target, `definitions` only through `$ref`s.
fn reachable_by_jsonschema(document: &Value) -> std::collections::BTreeSet<String> {
    let mut seen = std::collections::BTreeSet::new();
    let mut stack = vec![String::new()];
    while let Some(pointer) = stack.pop() {
        if !seen.insert(pointer.clone()) {
            continue;
        }
        let Some(Value::Object(schema)) = document.pointer(&pointer) else {
            continue;
        };
        let escape = |k: &str| k.replace('~', "~0").replace('/', "~1");
        if let Some(Value::String(reference)) = schema.get("$ref") {
            if let Some(target) = reference.strip_prefix('#') {
                stack.push(target.to_owned());
            }
            continue;
        }
        for (keyword, value) in schema {
            let here = format!("{pointer}/{}", escape(keyword));
            match keyword.as_str() {
                "additionalProperties" | "contains" | "propertyNames" | "not" => stack.push(here),
                "if" if schema.contains_key("then") || schema.contains_key("else") => {
                    stack.push(here)
                }
                "then" | "else" if schema.contains_key("if") => stack.push(here),
                "additionalItems" if schema.get("items").is_some_and(Value::is_array) => {
                    stack.push(here)
                }
                "items" | "allOf" | "anyOf" | "oneOf" => match value {
                    Value::Array(items) => {
                        stack.extend((0..items.len()).map(|i| format!("{here}/{i}")))
                    }
                    _ if keyword == "items" => stack.push(here),
                    _ => {}
                },
                "properties" | "patternProperties" | "dependencies" => {
                    if let Value::Object(members) = value {
                        stack.extend(members.keys().map(|k| format!("{here}/{}", escape(k))));
                    }
                }
                _ => {}
            }
        }
    }
    seen
}

/// The pointer of the schema object a `$ref` or pattern error is about.
fn faulty_schema(error: &CompileError) -> &str {
    let pointer = error.pointer();
    if let Some(schema) = pointer.strip_suffix("/$ref") {
        return schema;
    }
    if let Some(schema) = pointer.strip_suffix("/pattern") {
        return schema;
    }
    pointer
        .rfind("/patternProperties/")
        .map_or(pointer, |cut| &pointer[..cut])
}

/// Counts of what the property saw, printed at the end.
#[derive(Default, Debug)]
struct Seen {
    schemas: usize,
    both_refuse: usize,
    cycles_refused: usize,
    /// Refused for a `$ref` or pattern in a part `jsonschema` never compiles.
    unreachable_refused: usize,
    instances: usize,
    invalid_instances: usize,
    violations: usize,
}

fn check_one(document: &Value, instances: &[Value], seen: &mut Seen) -> Result<(), TestCaseError> {
    seen.schemas += 1;
    let oracle = support::oracle(document);
    let compiled = support::compile(document);
    let (oracle, compiled) = match (oracle, compiled) {
        (Ok(o), Ok(c)) => (o, c),
        (Err(_), Err(_)) => {
            seen.both_refuse += 1;
            return Ok(());
        }
        // A `$ref` cycle that never enters the instance is refused here, while `jsonschema`
        // treats re-entry as success at run time: a documented difference.
        (Ok(_), Err(CompileError::RefCycle { .. })) => {
            seen.cycles_refused += 1;
            return Ok(());
        }
        // Every subschema is compiled here, so a bad `$ref` or pattern in a part that
        // `jsonschema` never compiles (an unused definition, `then` without `if`) is refused
        // here only: a documented difference.
        (Ok(_), Err(e))
            if matches!(
                e,
                CompileError::UnresolvableRef { .. } | CompileError::BadPattern { .. }
            ) && !reachable_by_jsonschema(document).contains(faulty_schema(&e)) =>
        {
            seen.unreachable_refused += 1;
            return Ok(());
        }
        (Ok(_), Err(e)) => {
            return Err(TestCaseError::fail(format!(
                "only jsonschema compiles {document}: {e}"
            )))
        }
        (Err(e), Ok(_)) => {
            return Err(TestCaseError::fail(format!(
                "only the compiled validator accepts {document}; jsonschema: {e}"
            )))
        }
    };
    for instance in instances {
        seen.instances += 1;
        let expected = support::oracle_violations(&oracle, instance);
        let found = support::compiled_both(&compiled, instance);
        if !expected.is_empty() {
            seen.invalid_instances += 1;
            seen.violations += expected.len();
        }
        prop_assert_eq!(
            &found,
            &expected,
            "schema {}\ninstance {}",
            document,
            instance
        );
    }
    Ok(())
}

fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[test]
fn random_schemas_report_what_jsonschema_reports() {
    let mut runner = proptest::test_runner::TestRunner::new(Config {
        cases: cases(2000),
        ..Config::default()
    });
    let seen = std::cell::RefCell::new(Seen::default());
    let strategy = document().prop_flat_map(|document| {
        let near = near_instance(&document);
        (
            Just(document),
            prop::collection::vec(prop_oneof![3 => near, 1 => instance()], 6),
        )
    });
    let result = runner.run(&strategy, |(document, instances)| {
        check_one(&document, &instances, &mut seen.borrow_mut())
    });
    println!("{:?}", seen.borrow());
    if let Err(e) = result {
        panic!("{e}");
    }
    let seen = seen.into_inner();
    // The generators must reach both outcomes often, or the property proves little.
    assert!(seen.invalid_instances * 5 > seen.instances, "{seen:?}");
    assert!(seen.invalid_instances * 5 < seen.instances * 4, "{seen:?}");
}

/// Schemas aimed at the object keywords: properties, patterns, additional properties,
/// dependencies and property names together, against objects over the same keys.
fn object_document() -> impl Strategy<Value = Value> {
    let sub = schema().boxed();
    (
        prop::collection::btree_map(key(), sub.clone(), 0..4),
        prop::collection::btree_map(pattern(), sub.clone(), 0..3),
        prop::option::of(sub.clone()),
        prop::collection::btree_set(key(), 0..3),
        prop::option::of(sub),
    )
        .prop_map(|(properties, patterns, additional, required, names)| {
            let mut schema = Map::new();
            schema.insert(
                "properties".into(),
                Value::Object(properties.into_iter().collect()),
            );
            if !patterns.is_empty() {
                schema.insert(
                    "patternProperties".into(),
                    Value::Object(patterns.into_iter().collect()),
                );
            }
            if let Some(additional) = additional {
                schema.insert("additionalProperties".into(), additional);
            }
            schema.insert(
                "required".into(),
                Value::Array(required.into_iter().map(Value::String).collect()),
            );
            if let Some(names) = names {
                schema.insert("propertyNames".into(), names);
            }
            schema.insert("definitions".into(), json!({"d0": {}, "d1": {}, "d2": {}}));
            Value::Object(schema)
        })
}

#[test]
fn object_keywords_together_report_what_jsonschema_reports() {
    let mut runner = proptest::test_runner::TestRunner::new(Config {
        cases: cases(1000),
        ..Config::default()
    });
    let seen = std::cell::RefCell::new(Seen::default());
    let strategy = object_document().prop_flat_map(|document| {
        let near = near_instance(&document);
        let keys = seeds(&document).keys;
        let objects =
            prop::collection::btree_map(prop_oneof![prop::sample::select(keys), key()], near, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect()));
        (Just(document), prop::collection::vec(objects, 6))
    });
    let result = runner.run(&strategy, |(document, instances)| {
        check_one(&document, &instances, &mut seen.borrow_mut())
    });
    println!("{:?}", seen.borrow());
    if let Err(e) = result {
        panic!("{e}");
    }
}

/// Text in and out of each encoding: canonical and non-canonical padding and trailing bits,
/// bytes that are not UTF-8, JSON and not JSON once decoded.
fn encoded_text() -> impl Strategy<Value = Value> {
    prop_oneof![
        prop::sample::select(vec![
            "",
            "Zg==",
            "Zh==",
            "Zm8=",
            "Zm9=",
            "Zm9v",
            "Zm9vYg",
            "Zg==Zg==",
            "=Zg=",
            "/w==",
            "gA==",
            "e30=",
            "eyJhIjoxfQ==",
            "WzEs",
            "bnVsbA==",
            "-_8=",
            "+/8=",
            "MZXW6===",
            "MZXW6YQ=",
            "CPNMU===",
            "7B7D",
            "7b7d",
            "7B7",
            "ZZ",
            "{}",
            "[1,",
            "1e400",
            "\u{FB00}",
            "eyJhIjoxfQ",
        ])
        .prop_map(Value::from),
        "[A-Za-z0-9+/=]{0,8}".prop_map(Value::from),
        "[A-Z2-7=]{0,8}".prop_map(Value::from),
        Just(json!(5)),
    ]
}

#[test]
fn content_keywords_report_what_jsonschema_reports() {
    let mut runner = proptest::test_runner::TestRunner::new(Config {
        cases: cases(500),
        ..Config::default()
    });
    let seen = std::cell::RefCell::new(Seen::default());
    let media = prop::option::of(prop::sample::select(vec!["application/json", "text/plain"]));
    let encoding = prop::option::of(prop::sample::select(vec![
        "base64",
        "base64url",
        "base32",
        "base32hex",
        "base16",
        "7bit",
    ]));
    let strategy = (media, encoding, prop::collection::vec(encoded_text(), 8));
    let result = runner.run(&strategy, |(media, encoding, instances)| {
        let mut schema = Map::new();
        if let Some(media) = media {
            schema.insert("contentMediaType".into(), json!(media));
        }
        if let Some(encoding) = encoding {
            schema.insert("contentEncoding".into(), json!(encoding));
        }
        check_one(&Value::Object(schema), &instances, &mut seen.borrow_mut())
    });
    println!("{:?}", seen.borrow());
    if let Err(e) = result {
        panic!("{e}");
    }
}

/// JSON text with escapes, number spellings (`1E2`, `-0`, `1.50`) and the vocabulary's keys.
fn json_text() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("null".to_owned()),
        Just("true".to_owned()),
        "-?(0|[1-9][0-9]{0,2})(\\.[0-9]{1,3})?([eE][+-]?[0-9]{1,2})?",
        Just("18446744073709551616".to_owned()),
        Just("-9223372036854775809".to_owned()),
        "\"([ab]|\\\\u0061|\\\\n|\\\\\"|é|\\\\/){0,4}\"",
    ];
    leaf.prop_recursive(3, 24, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5)
                .prop_map(|items| format!("[{}]", items.join(","))),
            prop::collection::btree_map(
                prop::sample::select(vec!["a", "b", "\\u0061", "a\\/b", "~x", "\\u0062a"]),
                inner,
                0..5
            )
            .prop_map(|members| {
                let members: Vec<String> = members
                    .into_iter()
                    .map(|(k, v)| format!("\"{k}\":{v}"))
                    .collect();
                format!("{{{}}}", members.join(","))
            }),
        ]
    })
}

#[test]
fn value_and_tree_instances_give_identical_violations() {
    let mut runner = proptest::test_runner::TestRunner::new(Config {
        cases: cases(1000),
        ..Config::default()
    });
    let compared = std::cell::Cell::new(0usize);
    let strategy = (document(), prop::collection::vec(json_text(), 6));
    let result = runner.run(&strategy, |(document, texts)| {
        let Ok(schema) = support::compile(&document) else {
            return Ok(());
        };
        for text in &texts {
            // Texts with a key twice (after unescaping) are refused by both parsers alike.
            let (Ok(value), Ok(tree)) = (
                event_contracts_check::strict_json::parse_strict(text),
                event_contracts_check::Tree::parse(text),
            ) else {
                continue;
            };
            compared.set(compared.get() + 1);
            let from_value = support::compiled_violations(&schema, &value);
            let from_tree = support::compiled_violations(&schema, &tree);
            prop_assert_eq!(&from_value, &from_tree, "schema {} text {}", document, text);
            prop_assert_eq!(schema.is_valid(schema.root(), &tree), from_tree.is_empty());
        }
        Ok(())
    });
    println!("compared {} instances", compared.get());
    if let Err(e) = result {
        panic!("{e}");
    }
    assert!(compared.get() > 1000);
}

/// ECMA-262 corners (classes, escapes, anchors, Unicode properties) against strings around
/// them: `regress` must match what `jsonschema` (fancy-regex over a translation) matches.
#[test]
fn patterns_match_as_jsonschema_matches() {
    let patterns = [
        "^\\d+$",
        "\\w",
        "^.$",
        "\\s",
        "[^a]",
        "^a$",
        "\\bfoo\\b",
        "^[a-z]+$",
        "\\p{L}",
        "^\\S+$",
        "a{2}",
        "\\u0041",
        "^\\W$",
        "\\cJ",
        "^(?:a|b)$",
        "\\x41",
        "a(?=b)",
        "(?<=a)b",
        "\\D",
        "^\\$",
        "\\/",
        "[\\w-]",
        "x*?",
        "^[\\-a]$",
        "\\p{Lu}",
        "^\\P{L}+$",
    ];
    let strings = [
        "١٢", "12", "é", "😀", "\u{a0}", "a\n", "a", "foo bar", "ab", "A", "\n", "", "x", "-", "$",
        "/", "\u{2028}", "ǅ", "aa",
    ];
    let mut compared = 0;
    for pattern in patterns {
        let schema = json!({ "pattern": pattern });
        let oracle = support::oracle(&schema).unwrap_or_else(|e| panic!("{pattern}: {e}"));
        let compiled = support::compile(&schema).unwrap_or_else(|e| panic!("{pattern}: {e}"));
        for text in strings {
            let instance = json!(text);
            assert_eq!(
                support::compiled_both(&compiled, &instance),
                support::oracle_violations(&oracle, &instance),
                "{pattern:?} on {text:?}"
            );
            compared += 1;
        }
    }
    assert_eq!(compared, patterns.len() * strings.len());
}

/// Any finite number, integer or float, small or huge.
fn any_number() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        prop::num::f64::NORMAL.prop_map(|f| json!(f)),
        (-1000i64..1000, 0u32..6).prop_map(|(m, e)| json!(m as f64 / 10f64.powi(e as i32))),
        (1i64..100, 0u32..25).prop_map(|(m, e)| json!(m as f64 * 10f64.powi(e as i32))),
        // Where integers and floats stop meaning the same numbers.
        (0u64..5).prop_map(|k| json!((1u64 << 53) + k)),
        (0u64..5).prop_map(|k| json!(u64::MAX - k)),
        (0i64..5).prop_map(|k| json!(i64::MIN + k)),
        prop::sample::select(vec![
            json!(9007199254740992.0),
            json!(9007199254740994.0),
            json!(18446744073709551616.0),
            json!(-9223372036854775808.0),
            json!(2),
            json!(3),
        ]),
    ]
}

#[test]
fn numeric_keywords_decide_as_jsonschema_decides() {
    let mut runner = proptest::test_runner::TestRunner::new(Config {
        cases: cases(2000),
        ..Config::default()
    });
    let seen = std::cell::RefCell::new(Seen::default());
    let keyword = prop::sample::select(vec![
        "multipleOf",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "const",
    ]);
    let strategy = (
        keyword,
        any_number(),
        prop::collection::vec(any_number(), 6),
    );
    let result = runner.run(&strategy, |(keyword, limit, instances)| {
        let limit = match (keyword, limit.as_f64()) {
            // `multipleOf` must be positive.
            ("multipleOf", Some(f)) if f <= 0.0 => json!(-f + 1.0),
            _ => limit,
        };
        // Instances beside the limit as well as anywhere.
        let mut instances = instances;
        instances.push(limit.clone());
        if let Some(f) = limit.as_f64() {
            instances.extend([json!(f * 3.0), json!(f * 7.0), json!(f + 1.0)]);
        }
        check_one(
            &json!({ keyword: limit }),
            &instances,
            &mut seen.borrow_mut(),
        )
    });
    println!("{:?}", seen.borrow());
    if let Err(e) = result {
        panic!("{e}");
    }
}
