//! Properties of the filter evaluator that hold for any input: operators and their
//! `anything-but` forms are complements, a range is the conjunction of its two sides,
//! policies survive a round trip through SNS's JSON, and no input makes the parser panic.

use proptest::prelude::*;
use serde_json::{json, Value};

use crate::routing::{AttributeValue, FilterPolicy, MessageAttributes};

fn policy(value: Value) -> FilterPolicy {
    FilterPolicy::from_json(&value).unwrap_or_else(|e| panic!("{value}: {e}"))
}

fn string(s: &str) -> MessageAttributes {
    MessageAttributes::new().with("a", AttributeValue::String(s.to_owned()))
}

fn number(n: f64) -> MessageAttributes {
    MessageAttributes::new().with("a", AttributeValue::Number(n))
}

/// Short words over a small alphabet, so that lists and values often coincide.
fn word() -> impl Strategy<Value = String> {
    "[abAB]{0,3}"
}

/// An attribute value: never empty, since an empty value counts as absent (see below).
fn value() -> impl Strategy<Value = String> {
    "[abAB]{1,3}"
}

// "exists": true needs "a non-null and non-empty value"; an empty String attribute is
// treated as absent throughout, so neither an operator nor its complement matches it.
#[test]
fn an_empty_string_counts_as_absent() {
    let exact = policy(json!({ "a": [""] }));
    let but = policy(json!({ "a": [{ "anything-but": "x" }] }));
    let absent = policy(json!({ "a": [{ "exists": false }] }));
    let empty = string("").with("b", AttributeValue::String("x".to_owned()));
    assert_eq!(
        (
            exact.matches(&empty),
            but.matches(&empty),
            absent.matches(&empty)
        ),
        (false, false, true)
    );
}

fn in_range() -> impl Strategy<Value = f64> {
    prop_oneof![-1e9f64..=1e9, (-20i32..20).prop_map(|n| f64::from(n) / 4.0)]
}

/// Any JSON value, nested a few levels.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        "[a-z=<>!-]{0,12}".prop_map(Value::String),
        prop_oneof![
            Just("prefix"),
            Just("suffix"),
            Just("anything-but"),
            Just("numeric"),
            Just("exists"),
            Just("equals-ignore-case"),
            Just("cidr"),
        ]
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop_oneof![
                        Just("prefix".to_owned()),
                        Just("anything-but".to_owned()),
                        Just("numeric".to_owned()),
                        Just("exists".to_owned()),
                        "[a-z]{1,4}"
                    ],
                    inner
                ),
                0..4
            )
            .prop_map(|entries| Value::Object(entries.into_iter().collect())),
        ]
    })
}

proptest! {
    #[test]
    fn exact_and_anything_but_are_complements(list in prop::collection::vec(word(), 1..4), s in value()) {
        let exact = policy(json!({ "a": list }));
        let but = policy(json!({ "a": [{ "anything-but": list }] }));
        prop_assert_eq!(exact.matches(&string(&s)), !but.matches(&string(&s)));
        prop_assert_eq!(exact.matches(&string(&s)), list.contains(&s));
    }

    #[test]
    fn prefix_and_anything_but_prefix_are_complements(p in word(), s in value()) {
        let prefix = policy(json!({ "a": [{ "prefix": p }] }));
        let but = policy(json!({ "a": [{ "anything-but": { "prefix": p } }] }));
        prop_assert_eq!(prefix.matches(&string(&s)), !but.matches(&string(&s)));
        prop_assert_eq!(prefix.matches(&string(&s)), s.starts_with(&p));
    }

    #[test]
    fn numeric_equality_and_anything_but_are_complements(list in prop::collection::vec(in_range(), 1..4), x in in_range()) {
        let equal: Vec<Value> = list.iter().map(|n| json!({ "numeric": ["=", n] })).collect();
        let equal = policy(json!({ "a": equal }));
        let but = policy(json!({ "a": [{ "anything-but": list }] }));
        prop_assert_eq!(equal.matches(&number(x)), !but.matches(&number(x)));
    }

    #[test]
    fn a_range_is_both_of_its_sides(low in in_range(), high in in_range(), x in in_range(), strict_low: bool, strict_high: bool) {
        let (low_op, high_op) = (if strict_low { ">" } else { ">=" }, if strict_high { "<" } else { "<=" });
        let range = FilterPolicy::from_json(&json!({ "a": [{ "numeric": [low_op, low, high_op, high] }] }));
        let above = policy(json!({ "a": [{ "numeric": [low_op, low] }] }));
        let below = policy(json!({ "a": [{ "numeric": [high_op, high] }] }));
        match range {
            Ok(range) => prop_assert_eq!(
                range.matches(&number(x)),
                above.matches(&number(x)) && below.matches(&number(x))
            ),
            // Only an empty or inverted range is refused.
            Err(e) => prop_assert!(
                (low * 1e5).round() >= (high * 1e5).round(),
                "{} for [{}, {}]", e, low, high
            ),
        }
    }

    #[test]
    fn policies_round_trip_through_json(value in any_json()) {
        if let Ok(parsed) = FilterPolicy::from_json(&value) {
            prop_assert_eq!(FilterPolicy::from_json(&parsed.to_json()), Ok(parsed));
        }
    }

    #[test]
    fn any_json_is_parsed_or_refused_without_panicking(value in any_json(), s in word(), n in any::<f64>()) {
        if let Ok(policy) = FilterPolicy::from_json(&json!({ "a": value })) {
            let _ = policy.matches(&string(&s));
            let _ = policy.matches(&number(n));
        }
    }
}
