//! The typed path and JSON Schema agree on every input: valid events, mutated at any depth,
//! are accepted by `decode_typed_value` exactly when the jsonschema validator accepts them.
//!
//! The one allowed difference: an integer that JSON Schema accepts but the field's Rust type
//! (u64, or i64 where the schema allows negatives) cannot hold, e.g. a quantity of 2^64.
//! Such an input must be `DecodeError::OutOfRange` naming that value, never a panic, a
//! wrap or a verdict of valid.

mod support;

use std::sync::OnceLock;

use event_contracts::{
    decode, decode_typed_value, decode_value, validate_value, DecodeError, Decoder,
};
use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::{json, Value};
use support::strategies::{self as s, Path};

/// The integer fields whose Rust type is i64 (the schema allows negatives); every other
/// integer field has `minimum: 0` and is a u64. A new signed integer field missing here
/// shows up as a reported disagreement, never as a silent pass.
const SIGNED_INTEGER_FIELDS: &[&str] = &["/data/changes/quantity"];

/// Checks one input: `Ok` when the typed path and the validator agree.
fn check_agreement(value: &Value) -> Result<(), String> {
    support::oracle::agrees_with_oracle(value)?;
    let typed = decode_typed_value(value);
    let schema = validate_value(value);
    match (&typed, &schema) {
        (Ok(_), Ok(_)) => Ok(()),
        // Both reject. Envelope problems are found by the same code on both paths; a
        // problem the typed path finds in the event must be one the validator lists.
        (Err(typed_error), Err(schema_error)) => match typed_error {
            DecodeError::OutOfRange { pointer, .. } => {
                let listed = schema_error
                    .violations()
                    .iter()
                    .any(|v| v.pointer == *pointer);
                // The typed path stops at its first problem, in document order. That may be
                // a number JSON Schema accepts but Rust cannot hold, before a violation the
                // validator reports elsewhere.
                if listed || out_of_range(value, pointer) {
                    Ok(())
                } else {
                    Err(format!(
                        "the typed path fails at {pointer:?}, which the validator does not list: typed {typed_error:?}, validator {schema_error:?}"
                    ))
                }
            }
            other if other == schema_error => Ok(()),
            other => Err(format!(
                "different envelope errors: typed {other:?}, validator {schema_error:?}"
            )),
        },
        (Err(DecodeError::OutOfRange { pointer, .. }), Ok(_)) => {
            if !out_of_range(value, pointer) {
                return Err(format!(
                    "the validator accepts, the typed path says {pointer} is out of range: {typed:?}"
                ));
            }
            // decode_value keeps the typed error when the schema has nothing to add.
            match decode_value(value) {
                Err(DecodeError::OutOfRange { pointer: p, .. }) if p == *pointer => Ok(()),
                other => Err(format!(
                    "decode_value gave {other:?} for an out-of-range {pointer}"
                )),
            }
        }
        _ => Err(format!(
            "disagreement: typed {typed:?}, validator {schema:?}"
        )),
    }
}

/// Whether the value at `pointer` is an integer beyond the range of its field's Rust type.
fn out_of_range(value: &Value, pointer: &str) -> bool {
    let unsigned = !SIGNED_INTEGER_FIELDS.contains(&pointer);
    value
        .pointer(pointer)
        .is_some_and(|number| s::beyond_rust_integer(number, unsigned))
}

/// The events mutations start from: every valid example, and the valid corpus events
/// (all under 16 KiB).
fn seeds() -> &'static [Value] {
    static SEEDS: OnceLock<Vec<Value>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let examples = support::examples()
            .into_iter()
            .filter(|e| e.valid)
            .map(|e| e.value);
        let corpus = support::corpus()
            .into_iter()
            .filter(|c| c.verdict.valid && c.bytes.len() < 16 * 1024)
            .map(|c| c.value());
        examples.chain(corpus).collect()
    })
}

/// One edit of an event. Indexes pick the target among the nodes of the right kind.
#[derive(Debug, Clone)]
enum Mutation {
    /// Drops a member or an array element, at any depth.
    Remove(Index),
    /// Replaces any node but the root with any JSON value.
    Replace(Index, Value),
    /// Adds (or overwrites) a member of any object.
    Insert(Index, String, Value),
    /// Replaces a string with one whose length sits at a limit, or of any other shape.
    Restring(Index, String),
    /// Resizes a string to a length around a limit, in code points of `filler`.
    Resize(Index, usize, &'static str),
    /// Flips the case of letters of a UUID-shaped string.
    FlipCase(Index, u64),
    /// Replaces a date-time-shaped string with another date-time-shaped one.
    Retime(Index, String),
    /// Rewrites a number: as a float, as an integer, or as an edge value.
    Renumber(Index, NumberEdit, Value),
    /// Sets the top-level version.
    Version(String),
}

#[derive(Debug, Clone, Copy)]
enum NumberEdit {
    AsFloat,
    AsInteger,
    Negate,
    Replace,
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<Index>().prop_map(Mutation::Remove),
        (any::<Index>(), s::json()).prop_map(|(i, v)| Mutation::Replace(i, v)),
        (any::<Index>(), s::key(), s::json()).prop_map(|(i, k, v)| Mutation::Insert(i, k, v)),
        (any::<Index>(), s::string()).prop_map(|(i, t)| Mutation::Restring(i, t)),
        (any::<Index>(), s::limit_length(), s::filler())
            .prop_map(|(i, n, f)| Mutation::Resize(i, n, f)),
        (any::<Index>(), any::<u64>()).prop_map(|(i, m)| Mutation::FlipCase(i, m)),
        (any::<Index>(), s::date_time_like()).prop_map(|(i, t)| Mutation::Retime(i, t)),
        (
            any::<Index>(),
            prop_oneof![
                Just(NumberEdit::AsFloat),
                Just(NumberEdit::AsInteger),
                Just(NumberEdit::Negate),
                Just(NumberEdit::Replace)
            ],
            s::number()
        )
            .prop_map(|(i, e, n)| Mutation::Renumber(i, e, n)),
        s::version_like().prop_map(Mutation::Version),
    ]
}

fn strings_where(value: &Value, shape: fn(&str) -> bool) -> Vec<Path> {
    s::nodes(value, &|_, v| v.as_str().is_some_and(shape))
}

fn apply(value: &mut Value, mutation: &Mutation) {
    let set = |value: &mut Value, path: Option<&Path>, new: Value| {
        if let Some(node) = path.and_then(|p| s::node_mut(value, p)) {
            *node = new;
        }
    };
    match mutation {
        Mutation::Remove(i) => {
            let all = s::nodes(value, &|p, _| !p.is_empty());
            if let Some(path) = s::pick(&all, i) {
                s::remove(value, path);
            }
        }
        Mutation::Replace(i, new) => {
            let all = s::nodes(value, &|p, _| !p.is_empty());
            set(value, s::pick(&all, i), new.clone());
        }
        Mutation::Insert(i, key, new) => {
            let objects = s::nodes(value, &|_, v| v.is_object());
            if let Some(Value::Object(map)) =
                s::pick(&objects, i).and_then(|p| s::node_mut(value, p))
            {
                map.insert(key.clone(), new.clone());
            }
        }
        Mutation::Restring(i, text) => {
            let strings = strings_where(value, |_| true);
            set(value, s::pick(&strings, i), Value::String(text.clone()));
        }
        Mutation::Resize(i, length, filler) => {
            let strings = strings_where(value, |_| true);
            set(
                value,
                s::pick(&strings, i),
                Value::String(s::sized(*length, filler)),
            );
        }
        Mutation::FlipCase(i, mask) => {
            let uuids = strings_where(value, s::looks_like_uuid);
            if let Some(node) = s::pick(&uuids, i).and_then(|p| s::node_mut(value, p)) {
                let flipped = s::flip_case(node.as_str().unwrap_or_default(), *mask);
                *node = Value::String(flipped);
            }
        }
        Mutation::Retime(i, text) => {
            let stamps = strings_where(value, s::looks_like_date_time);
            set(value, s::pick(&stamps, i), Value::String(text.clone()));
        }
        Mutation::Renumber(i, edit, replacement) => {
            let numbers = s::nodes(value, &|_, v| v.is_number());
            let Some(node) = s::pick(&numbers, i).and_then(|p| s::node_mut(value, p)) else {
                return;
            };
            let n = node.as_f64().unwrap_or_default();
            let new = match edit {
                NumberEdit::AsFloat => serde_json::Number::from_f64(n).map(Value::Number),
                NumberEdit::AsInteger if n.fract() == 0.0 && n.abs() < 9e15 => {
                    Some(json!(n as i64))
                }
                NumberEdit::AsInteger => None,
                NumberEdit::Negate => match node.as_i64() {
                    Some(v) => v.checked_neg().map(Value::from),
                    None => serde_json::Number::from_f64(-n).map(Value::Number),
                },
                NumberEdit::Replace => Some(replacement.clone()),
            };
            if let Some(new) = new {
                *node = new;
            }
        }
        Mutation::Version(version) => {
            if let Value::Object(map) = value {
                map.insert("version".to_owned(), Value::String(version.clone()));
            }
        }
    }
}

proptest! {
    // 20 000 cases take about 5 s in a debug build. Keep a failure as a named
    // regression test in this file, not in a proptest-regressions file.
    #![proptest_config(ProptestConfig {
        cases: 20_000,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn typed_decode_and_the_schema_validator_agree(
        seed in any::<Index>(),
        mutations in prop::collection::vec(mutation(), 1..5),
    ) {
        let mut value = seed.get(seeds()).clone();
        for m in &mutations {
            apply(&mut value, m);
        }
        if let Err(problem) = check_agreement(&value) {
            return Err(TestCaseError::fail(format!("{problem}\ninput: {value}")));
        }
        if let Err(problem) = check_paths_agree(&value) {
            return Err(TestCaseError::fail(format!("{problem}\ninput: {value}")));
        }
    }
}

/// `decode` reads a valid event straight from bytes and falls back to the `Value` path
/// otherwise: on the same bytes it must give exactly what the `Value` path gives.
fn check_paths_agree(value: &Value) -> Result<(), String> {
    let bytes = serde_json::to_vec(value).map_err(|e| e.to_string())?;
    let direct = decode(&bytes);
    let via_value = Decoder::new().parse(&bytes).and_then(|v| decode_value(&v));
    if direct == via_value {
        Ok(())
    } else {
        Err(format!(
            "decode gave {direct:?}\nthe Value path gave {via_value:?}"
        ))
    }
}

#[test]
fn every_seed_is_valid_on_both_paths() {
    assert!(seeds().len() >= 90, "{}", seeds().len());
    for seed in seeds() {
        assert!(decode_typed_value(seed).is_ok(), "{seed}");
        assert!(validate_value(seed).is_ok(), "{seed}");
    }
}

/// The check itself: it must see a disagreement where there is one.
#[test]
fn the_check_reports_out_of_range_values_and_nothing_else_as_the_exception() {
    let mut value = seeds()
        .iter()
        .find(|v| v["eventType"] == "ProductCreated")
        .unwrap()
        .clone();
    value["data"]["quantity"] = json!(1e20);
    assert_eq!(check_agreement(&value), Ok(()));
    assert!(matches!(
        decode_value(&value),
        Err(DecodeError::OutOfRange { pointer, .. }) if pointer == "/data/quantity"
    ));
    // i64::MAX + 1 in a u64 field fits, and is valid on both paths.
    value["data"]["quantity"] = json!(9_223_372_036_854_775_808u64);
    assert!(decode_typed_value(&value).is_ok());
}
