//! Property tests of the compatibility engine over random schemas and random changes:
//!
//! - the minor invariant: when the engine judges a change minor (or patch), every event
//!   valid under the old version is valid under the new one, and every event valid under
//!   the new one is valid under the old one (so it decodes with the old generated types).
//!   Caveat, as the policy says: an old event may carry an undeclared property whose name
//!   the new version declares; the generated old events never use such names;
//! - every witness is valid under one version and rejected by the other;
//! - a schema compared with itself, or with an equivalent rewrite of itself, has no findings.

use std::collections::BTreeSet;

use event_contracts_compat::generate::{Generator, SeededChoices};
use event_contracts_compat::{self as compat, Bump, Side};
use event_contracts_schema::load::compile_validator;
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{json, Map, Value};

fn string_schema() -> impl Strategy<Value = Value> {
    prop_oneof![
        (
            proptest::option::of(0u64..3),
            proptest::option::of(2u64..7),
            proptest::option::of(select(vec!["^[a-c]+$", "^x", "[0-9]"]))
        )
            .prop_map(|(min, max, pattern)| {
                let mut m = Map::new();
                m.insert("type".into(), json!("string"));
                if let Some(min) = min {
                    m.insert("minLength".into(), json!(min));
                }
                if let Some(max) = max {
                    m.insert("maxLength".into(), json!(max));
                }
                if let Some(p) = pattern {
                    m.insert("pattern".into(), json!(p));
                }
                Value::Object(m)
            }),
        select(vec!["uuid", "date-time"]).prop_map(|f| json!({"type": "string", "format": f})),
    ]
}

fn number_schema() -> impl Strategy<Value = Value> {
    (
        select(vec!["integer", "number"]),
        proptest::option::of(-3i64..3),
        proptest::option::of(3i64..12),
        proptest::option::of(select(vec![json!(2), json!(3), json!(0.5)])),
        any::<bool>(),
    )
        .prop_map(|(t, min, max, step, exclusive)| {
            let mut m = Map::new();
            m.insert("type".into(), json!(t));
            if let Some(min) = min {
                m.insert(
                    if exclusive {
                        "exclusiveMinimum"
                    } else {
                        "minimum"
                    }
                    .into(),
                    json!(min),
                );
            }
            if let Some(max) = max {
                m.insert("maximum".into(), json!(max));
            }
            if let Some(s) = step {
                m.insert("multipleOf".into(), s);
            }
            Value::Object(m)
        })
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        3 => string_schema(),
        3 => number_schema(),
        1 => Just(json!({"type": "boolean"})),
        1 => Just(json!({})),
        1 => Just(json!({"type": ["string", "null"]})),
        2 => proptest::sample::subsequence(vec![json!("a"), json!("b"), json!("c"), json!(1), json!(null)], 1..4)
            .prop_map(|values| json!({"enum": values})),
    ]
}

const NAMES: &[&str] = &["a", "b", "c", "d", "e"];

fn object_of(inner: impl Strategy<Value = Value> + Clone) -> impl Strategy<Value = Value> {
    (
        proptest::collection::btree_map(select(NAMES), inner, 0..4),
        proptest::collection::btree_set(select(NAMES), 0..3),
        select(vec![0u8, 0, 0, 1, 2]),
        proptest::option::of(1u64..4),
    )
        .prop_map(|(props, required, additional, max_properties)| {
            let mut m = Map::new();
            m.insert("type".into(), json!("object"));
            let required: Vec<&str> = required
                .into_iter()
                .filter(|n| props.contains_key(n))
                .collect();
            m.insert(
                "properties".into(),
                Value::Object(props.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()),
            );
            if !required.is_empty() {
                m.insert("required".into(), json!(required));
            }
            if let Some(max) = max_properties {
                m.insert("maxProperties".into(), json!(max));
            }
            match additional {
                1 => {
                    m.insert("additionalProperties".into(), json!(false));
                }
                2 => {
                    m.insert("additionalProperties".into(), json!({"type": "integer"}));
                }
                _ => {}
            }
            Value::Object(m)
        })
}

fn array_of(inner: impl Strategy<Value = Value>) -> impl Strategy<Value = Value> {
    (
        inner,
        proptest::option::of(0u64..2),
        proptest::option::of(2u64..4),
        any::<bool>(),
    )
        .prop_map(|(items, min, max, unique)| {
            let mut m = Map::new();
            m.insert("type".into(), json!("array"));
            m.insert("items".into(), items);
            if let Some(min) = min {
                m.insert("minItems".into(), json!(min));
            }
            if let Some(max) = max {
                m.insert("maxItems".into(), json!(max));
            }
            if unique {
                m.insert("uniqueItems".into(), json!(true));
            }
            Value::Object(m)
        })
}

fn schema() -> impl Strategy<Value = Value> {
    let nested = leaf().prop_recursive(2, 12, 4, |inner| {
        prop_oneof![object_of(inner.clone()), array_of(inner)]
    });
    object_of(nested)
}

/// Pointers of every object schema in `schema` (properties, items, additionalProperties).
fn positions(schema: &Value, at: &str, out: &mut Vec<String>) {
    let Some(m) = schema.as_object() else { return };
    out.push(at.to_owned());
    if let Some(props) = m.get("properties").and_then(Value::as_object) {
        for (k, v) in props {
            positions(v, &format!("{at}/properties/{k}"), out);
        }
    }
    if let Some(items) = m.get("items") {
        positions(items, &format!("{at}/items"), out);
    }
}

/// Every property name declared anywhere in `schema`.
fn declared_names(schema: &Value, out: &mut BTreeSet<String>) {
    match schema {
        Value::Object(m) => {
            if let Some(props) = m.get("properties").and_then(Value::as_object) {
                out.extend(props.keys().cloned());
            }
            for v in m.values() {
                declared_names(v, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| declared_names(v, out)),
        _ => {}
    }
}

#[derive(Debug, Clone)]
enum Change {
    AddOptional(Value),
    AddRequired(Value),
    RemoveProperty,
    ToggleRequired,
    Set(&'static str, Value),
    Remove(&'static str),
    AddEnumValue(Value),
    Describe,
    Close,
    Open,
    MakeNullable,
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        leaf().prop_map(Change::AddOptional),
        leaf().prop_map(Change::AddRequired),
        Just(Change::RemoveProperty),
        Just(Change::ToggleRequired),
        (0u64..8).prop_map(|n| Change::Set("maxLength", json!(n))),
        (0u64..3).prop_map(|n| Change::Set("minLength", json!(n))),
        (-4i64..4).prop_map(|n| Change::Set("minimum", json!(n))),
        (0i64..14).prop_map(|n| Change::Set("maximum", json!(n))),
        select(vec![json!(1), json!(2), json!(4), json!(0.5)])
            .prop_map(|v| Change::Set("multipleOf", v)),
        select(vec!["^[a-c]+$", "^x", "[0-9]", "^[a-z]+$"])
            .prop_map(|p| Change::Set("pattern", json!(p))),
        select(vec!["uuid", "date-time"]).prop_map(|f| Change::Set("format", json!(f))),
        (0u64..3).prop_map(|n| Change::Set("minItems", json!(n))),
        (1u64..5).prop_map(|n| Change::Set("maxItems", json!(n))),
        Just(Change::Set("uniqueItems", json!(true))),
        (1u64..5).prop_map(|n| Change::Set("maxProperties", json!(n))),
        Just(Change::Set("propertyNames", json!({"maxLength": 1}))),
        select(vec!["string", "integer", "number", "boolean"])
            .prop_map(|t| Change::Set("type", json!(t))),
        select(vec![
            "maxLength",
            "minLength",
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "multipleOf",
            "pattern",
            "format",
            "type",
            "enum",
            "minItems",
            "maxItems",
            "uniqueItems",
            "required",
            "additionalProperties",
            "maxProperties"
        ])
        .prop_map(Change::Remove),
        select(vec![json!("z"), json!(2), json!(null)]).prop_map(Change::AddEnumValue),
        Just(Change::Describe),
        Just(Change::Close),
        Just(Change::Open),
        Just(Change::MakeNullable),
    ]
}

/// Applies `change` at the `pick`-th position; `false` when it does not apply there.
fn apply(schema: &mut Value, change: &Change, pick: usize, fresh: &str) -> bool {
    let mut all = Vec::new();
    positions(schema, "", &mut all);
    let at = &all[pick % all.len()];
    let Some(Value::Object(m)) = schema.pointer_mut(at) else {
        return false;
    };
    let is_object = m.get("type") == Some(&json!("object"));
    match change {
        Change::AddOptional(leaf) | Change::AddRequired(leaf) if is_object => {
            let props = m.entry("properties").or_insert_with(|| json!({}));
            let Some(props) = props.as_object_mut() else {
                return false;
            };
            props.insert(fresh.to_owned(), leaf.clone());
            if matches!(change, Change::AddRequired(_)) {
                let required = m.entry("required").or_insert_with(|| json!([]));
                let Some(required) = required.as_array_mut() else {
                    return false;
                };
                required.push(json!(fresh));
            }
            true
        }
        Change::RemoveProperty | Change::ToggleRequired if is_object => {
            let Some(name) = m
                .get("properties")
                .and_then(Value::as_object)
                .and_then(|p| p.keys().next().cloned())
            else {
                return false;
            };
            let required: Vec<Value> = m
                .get("required")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            let was_required = required.contains(&json!(name));
            let mut required: Vec<Value> =
                required.into_iter().filter(|r| r != &json!(name)).collect();
            if matches!(change, Change::RemoveProperty) {
                if let Some(Value::Object(props)) = m.get_mut("properties") {
                    props.remove(&name);
                }
            } else if !was_required {
                required.push(json!(name));
            }
            if required.is_empty() {
                m.remove("required");
            } else {
                m.insert("required".into(), Value::Array(required));
            }
            true
        }
        Change::Set(key, value) => {
            m.insert((*key).to_owned(), value.clone());
            true
        }
        Change::Remove(key) => m.remove(*key).is_some(),
        Change::AddEnumValue(v) => match m.get_mut("enum").and_then(Value::as_array_mut) {
            Some(values) if !values.contains(v) => {
                values.push(v.clone());
                true
            }
            _ => false,
        },
        Change::Describe => {
            m.insert("description".into(), json!("changed"));
            true
        }
        Change::Close if is_object => {
            m.insert("additionalProperties".into(), json!(false)) != Some(json!(false))
        }
        Change::Open if is_object => m.remove("additionalProperties").is_some(),
        Change::MakeNullable => match m.get("type").and_then(Value::as_str).map(str::to_owned) {
            Some(t) => {
                m.insert("type".into(), json!([t, "null"]));
                true
            }
            None => false,
        },
        _ => false,
    }
}

/// Instances of `from`, valid under it, must be valid under `to`.
fn assert_validity_carries_over(
    from: &Value,
    to: &Value,
    avoid: &BTreeSet<String>,
    direction: &str,
) -> Result<usize, TestCaseError> {
    let (Ok(vf), Ok(vt)) = (compile_validator(from), compile_validator(to)) else {
        return Ok(0);
    };
    let mut generator = Generator::new(from);
    generator.avoid_names(avoid.iter().cloned());
    let mut checked = 0;
    for seed in 0..48 {
        let Some(instance) = generator.random(&mut SeededChoices::new(seed)) else {
            continue;
        };
        if vf.is_valid(&instance) {
            prop_assert!(
                vt.is_valid(&instance),
                "{direction}: {instance} is valid under\n{from}\nbut not under\n{to}"
            );
            checked += 1;
        }
    }
    Ok(checked)
}

fn check_witnesses(old: &Value, new: &Value, d: &compat::Diff) -> Result<(), TestCaseError> {
    let (Ok(vo), Ok(vn)) = (compile_validator(old), compile_validator(new)) else {
        return Ok(());
    };
    for f in &d.findings {
        if let Some(w) = f.witness() {
            let (accepts, rejects) = match w.valid_under {
                Side::Old => (&vo, &vn),
                Side::New => (&vn, &vo),
            };
            prop_assert!(
                accepts.is_valid(&w.event),
                "{}: witness {} not valid under the {} side",
                f.rule.id(),
                w.event,
                w.valid_under.as_str()
            );
            prop_assert!(
                !rejects.is_valid(&w.event),
                "{}: witness {} not rejected",
                f.rule.id(),
                w.event
            );
        }
    }
    Ok(())
}

fn names_of(a: &Value, b: &Value) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    declared_names(a, &mut names);
    declared_names(b, &mut names);
    names
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    /// The policy's one minor change, on random schemas: the verdict is exactly minor, and
    /// validity carries over in both directions.
    #[test]
    fn adding_an_optional_property_to_an_open_object_is_minor(old in schema(), leaf in leaf(), pick in 0usize..64) {
        let mut old = old;
        let mut open = Vec::new();
        positions(&old, "", &mut open);
        open.retain(|p| old.pointer(p).is_some_and(|s| s.get("type") == Some(&json!("object")) && s.get("additionalProperties").is_none()));
        if open.is_empty() {
            if let Some(m) = old.as_object_mut() {
                m.remove("additionalProperties");
            }
            open.push(String::new());
        }
        let mut new = old.clone();
        let at = &open[pick % open.len()];
        let Some(Value::Object(m)) = new.pointer_mut(at) else { return Err(TestCaseError::fail("no object")) };
        let props = m.entry("properties").or_insert_with(|| json!({}));
        props.as_object_mut().map(|p| p.insert("added".into(), leaf));
        let d = compat::diff(&old, &new);
        let ids: Vec<&str> = d.findings.iter().map(|f| f.rule.id()).collect();
        prop_assert_eq!(ids, vec!["optional-property-added"]);
        prop_assert_eq!(d.required, Bump::Minor);
        let avoid = names_of(&old, &new);
        assert_validity_carries_over(&old, &new, &avoid, "old -> new")?;
        assert_validity_carries_over(&new, &old, &avoid, "new -> old")?;
    }

    /// Any random change: a minor or patch verdict must be sound, and witnesses must hold.
    #[test]
    fn verdicts_are_sound_for_random_changes(old in schema(), changes in proptest::collection::vec((change(), 0usize..64), 1..3)) {
        let mut new = old.clone();
        let mut applied = false;
        for (i, (c, pick)) in changes.iter().enumerate() {
            applied |= apply(&mut new, c, *pick, &format!("p{i}"));
        }
        prop_assume!(applied);
        let d = compat::diff(&old, &new);
        check_witnesses(&old, &new, &d)?;
        if d.required <= Bump::Minor {
            let avoid = names_of(&old, &new);
            assert_validity_carries_over(&old, &new, &avoid, "old -> new")?;
            assert_validity_carries_over(&new, &old, &avoid, "new -> old")?;
        }
        for f in d.findings.iter().filter(|f| f.bump() == Bump::Major) {
            prop_assert!(!matches!(f.evidence, compat::Evidence::NotNeeded));
        }
    }

    /// A schema compared with itself, or with an equivalent rewrite, has no findings.
    #[test]
    fn equivalent_schemas_have_no_findings(old in schema()) {
        let d = compat::diff(&old, &old);
        prop_assert!(d.findings.is_empty());
        prop_assert_eq!(d.required, Bump::None);
        let rewritten = rewrite(&old);
        let d = compat::diff(&old, &rewritten);
        let ids: Vec<&str> = d.findings.iter().map(|f| f.rule.id()).collect();
        prop_assert_eq!(ids, Vec::<&str>::new(), "{}\n{}", old, rewritten);
        prop_assert!(d.required <= Bump::Patch);
    }
}

/// Equivalent rewrites: one-value enums become `const`, single types become arrays, and
/// every property schema moves into `definitions` behind a `$ref`.
fn rewrite(schema: &Value) -> Value {
    fn walk(v: &Value, defs: &mut Map<String, Value>) -> Value {
        let Some(m) = v.as_object() else {
            return v.clone();
        };
        let mut out = Map::new();
        for (k, val) in m {
            match (k.as_str(), val) {
                ("enum", Value::Array(items)) if items.len() == 1 => {
                    out.insert("const".into(), items[0].clone());
                }
                ("type", Value::String(t)) => {
                    out.insert("type".into(), json!([t]));
                }
                ("properties", Value::Object(props)) => {
                    let mut new_props = Map::new();
                    for (name, s) in props {
                        let inner = walk(s, defs);
                        let key = format!("d{}", defs.len());
                        defs.insert(key.clone(), inner);
                        new_props.insert(
                            name.clone(),
                            json!({"$ref": format!("#/definitions/{key}")}),
                        );
                    }
                    out.insert("properties".into(), Value::Object(new_props));
                }
                ("items", s) => {
                    out.insert("items".into(), walk(s, defs));
                }
                _ => {
                    out.insert(k.clone(), val.clone());
                }
            }
        }
        Value::Object(out)
    }
    let mut defs = Map::new();
    let mut root = walk(schema, &mut defs);
    if let Some(m) = root.as_object_mut() {
        m.insert("definitions".into(), Value::Object(defs));
    }
    root
}
