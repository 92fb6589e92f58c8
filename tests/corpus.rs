//! The decode corpus of `tests/corpus/`: every verdict is asserted exactly, every verdict
//! is cross-checked against the jsonschema validator, and the cases of the version policy
//! and of hostile input are checked beyond their verdict.

mod support;

use std::collections::BTreeSet;

use event_contracts::{
    choose_schema, decode, decode_typed_value, encode, validate_value, DecodeError, Decoder,
    EventType, ProductEvent, DEFAULT_MAX_DEPTH, DEFAULT_MAX_SIZE, MAX_SUPPORTED_DEPTH,
};
use serde_json::{json, Value};
use support::{case, corpus, pairs, variant, Oracle};

/// The topics the issue asks the corpus to cover (sections 3 and 5 and the version policy).
const TOPICS: &[&str] = &[
    "baseline",
    "integer",
    "uuid",
    "length",
    "date-time",
    "pattern",
    "depth",
    "size",
    "duplicate-key",
    "utf-8",
    "number-range",
    "negative-zero",
    "version-policy",
    "envelope",
    "syntax",
    "constraint",
    "unknown-fields",
];

#[test]
fn the_corpus_covers_every_topic_with_enough_events() {
    let cases = corpus();
    assert!(cases.len() >= 150, "only {} events", cases.len());
    let valid = cases.iter().filter(|c| c.verdict.valid).count();
    assert!(valid >= 50, "only {valid} valid events");
    assert!(
        cases.len() - valid >= 50,
        "only {} invalid",
        cases.len() - valid
    );
    let topics: BTreeSet<&str> = cases.iter().map(|c| c.verdict.topic.as_str()).collect();
    assert_eq!(topics, TOPICS.iter().copied().collect::<BTreeSet<_>>());
    let names: BTreeSet<&str> = cases.iter().map(|c| c.verdict.case.as_str()).collect();
    assert_eq!(names.len(), cases.len(), "case names must be unique");
}

/// `decode` reads valid events without building a `Value`; on every case, hostile ones
/// included, its result must be exactly that of the `Value` path.
#[test]
fn the_direct_read_and_the_value_path_give_the_same_result() {
    for case in corpus() {
        let via_value = Decoder::new()
            .parse(&case.bytes)
            .and_then(|v| event_contracts::decode_value(&v));
        assert_eq!(decode(&case.bytes), via_value, "{}", case.verdict.case);
    }
}

#[test]
fn every_verdict_holds() {
    let mut wrong = Vec::new();
    for case in corpus() {
        let v = &case.verdict;
        let (valid, error, got) = match decode(&case.bytes) {
            Ok(_) => (true, None, Vec::new()),
            Err(e) => (false, Some(variant(&e)), pairs(&e.violations())),
        };
        if valid != v.valid || error != v.error || got != case.expected_pairs() {
            wrong.push(format!(
                "line {} ({}): expected valid={} error={:?} {:?}, got valid={valid} error={error:?} {got:?}",
                v.line,
                v.case,
                v.valid,
                v.error,
                case.expected_pairs()
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn every_verdict_agrees_with_the_schema_validator() {
    let mut wrong = Vec::new();
    for case in corpus() {
        let v = &case.verdict;
        let parsed = Decoder::new().parse(&case.bytes);
        let problem = match (v.oracle, parsed) {
            (Oracle::NotReached, Err(e)) => {
                // Input-level: the parser itself must be what rejects it, with the verdict's error.
                (Some(variant(&e)) != v.error).then(|| format!("parse gave {e:?}"))
            }
            (Oracle::NotReached, Ok(_)) => Some("parses, but is marked not-reached".to_owned()),
            (_, Err(e)) => Some(format!("does not parse: {e}")),
            (Oracle::Agrees | Oracle::OutOfRange, Ok(value))
                if support::oracle::agrees_with_oracle(&value).is_err() =>
            {
                support::oracle::agrees_with_oracle(&value).err()
            }
            (Oracle::Agrees, Ok(value)) => {
                let schema = validate_value(&value);
                let typed = decode_typed_value(&value);
                if schema.is_ok() != v.valid || typed.is_ok() != v.valid {
                    Some(format!(
                        "schema valid={}, typed valid={}",
                        schema.is_ok(),
                        typed.is_ok()
                    ))
                } else {
                    match schema {
                        Err(e) if pairs(&e.violations()) != case.expected_pairs() => {
                            Some(format!("schema reports {:?}", pairs(&e.violations())))
                        }
                        _ => None,
                    }
                }
            }
            (Oracle::OutOfRange, Ok(value)) => {
                match (validate_value(&value), decode_typed_value(&value)) {
                    (Ok(_), Err(DecodeError::OutOfRange { pointer, .. }))
                        if vec![(pointer.clone(), "type".to_owned())] == case.expected_pairs() =>
                    {
                        None
                    }
                    (schema, typed) => Some(format!("schema {schema:?}, typed {typed:?}")),
                }
            }
        };
        if let Some(problem) = problem {
            wrong.push(format!("line {} ({}): {problem}", v.line, v.case));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The inputs the validator never sees, listed explicitly: each is rejected while parsing,
/// before there is a JSON value to validate.
#[test]
fn input_level_rejections_are_exactly_these() {
    let cases = corpus();
    let not_reached: BTreeSet<(&str, &str)> = cases
        .iter()
        .filter(|c| c.verdict.oracle == Oracle::NotReached)
        .map(|c| {
            (
                c.verdict.topic.as_str(),
                c.verdict.error.as_deref().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        not_reached,
        BTreeSet::from([
            ("depth", "TooDeep"),
            ("duplicate-key", "Syntax"),
            ("number-range", "Syntax"), // 1e400 and the like: no f64 holds them
            ("size", "TooLarge"),
            ("syntax", "Syntax"),
            ("utf-8", "InvalidUtf8"),
            ("utf-8", "Syntax"), // escaped unpaired surrogates, a byte-order mark
        ])
    );
    let out_of_range: Vec<&str> = cases
        .iter()
        .filter(|c| c.verdict.oracle == Oracle::OutOfRange)
        .map(|c| c.verdict.case.as_str())
        .collect();
    assert_eq!(
        out_of_range,
        [
            "quantity-2-pow-64",
            "quantity-1e20",
            "quantity-1e300",
            "threshold-23-digits",
            "changes-quantity-i64-max-plus-one",
            "changes-quantity-minus-1e19",
        ]
    );
}

#[test]
fn valid_events_survive_encode_of_decode_unchanged() {
    for case in corpus().into_iter().filter(|c| c.verdict.valid) {
        let original = case.value();
        let encoded = encode(&decode(&case.bytes).unwrap()).unwrap();
        let again: Value = serde_json::from_slice(&encoded).unwrap();
        assert_eq!(
            again, original,
            "{} changed in the round trip",
            case.verdict.case
        );
    }
}

fn created(event: ProductEvent) -> event_contracts::product_created::ProductCreated {
    match event {
        ProductEvent::ProductCreated(created) => created,
        other => panic!("expected a ProductCreated, got {other:?}"),
    }
}

#[test]
fn an_older_minor_keeps_an_undeclared_data_metadata_of_any_shape_as_unknown() {
    for (name, expected) in [
        (
            "created-1.0.0-undeclared-data-metadata-string",
            json!("free text"),
        ),
        ("created-1.0.0-undeclared-data-metadata-number", json!(42)),
        ("created-1.0.0-undeclared-data-metadata-null", json!(null)),
        (
            "created-1.0.0-undeclared-data-metadata-array",
            json!([1, 2]),
        ),
        (
            "created-1.0.0-undeclared-data-metadata-object",
            json!({"k": "v"}),
        ),
        (
            "created-1.0.7-undeclared-data-metadata-string",
            json!("free text"),
        ),
    ] {
        let event = created(decode(&case(name).bytes).unwrap());
        assert_eq!(
            event.data.metadata, None,
            "{name}: 1.0 declares no data.metadata"
        );
        assert_eq!(
            event.data.extra.unknown().get("metadata"),
            Some(&expected),
            "{name}"
        );
        assert!(
            event.version.as_str().starts_with("1.0."),
            "{name}: never upcast"
        );
    }
}

#[test]
fn a_newer_minor_is_read_tolerantly_and_keeps_every_unknown_field() {
    let event =
        created(decode(&case("created-newer-minor-1.9.0-unknown-fields-kept").bytes).unwrap());
    assert_eq!(event.version.as_str(), "1.9.0");
    assert_eq!(
        event.extra.unknown().get("routing"),
        Some(&json!({"region": "eu-west-1", "priority": 2}))
    );
    assert_eq!(
        event.data.extra.unknown().get("warehouse"),
        Some(&json!({"aisle": 7, "bins": [1.5, "B"]}))
    );
    assert_eq!(
        event.data.metadata.map(Value::Object),
        Some(json!({"color": "blue"})),
        "1.9 is read with 1.1, which declares data.metadata"
    );
    let metadata = event.metadata.unwrap();
    assert_eq!(metadata.request_id.as_deref(), Some("req-9"));
    assert_eq!(metadata.extra.unknown().get("tenant"), Some(&json!("acme")));
}

#[test]
fn versions_choose_schemas_by_the_semver_rules() {
    for (version, schema) in [
        ("1.0.0", (1, 0, 0)),
        ("1.0.7", (1, 0, 0)),
        ("1.1.0", (1, 1, 0)),
        ("1.1.3", (1, 1, 0)),
        ("1.9.0", (1, 1, 0)),
        ("01.0.0", (1, 0, 0)),
    ] {
        assert_eq!(
            choose_schema(EventType::ProductCreated, version)
                .unwrap()
                .schema_version,
            schema,
            "{version}"
        );
    }
    assert_eq!(
        choose_schema(EventType::LowStockWarning, "1.3.0")
            .unwrap()
            .schema_version,
        (1, 0, 0)
    );
}

#[test]
fn an_unknown_major_is_unsupported_and_lists_what_this_build_reads() {
    let error = decode(&case("created-major-2").bytes).unwrap_err();
    assert_eq!(
        error,
        DecodeError::UnsupportedVersion {
            event_type: "ProductCreated".to_owned(),
            version: "2.0.0".to_owned(),
            supported: vec!["1.0.0".to_owned(), "1.1.0".to_owned()],
            field: "version",
            crate_name: "event-contracts",
        }
    );
    assert_eq!(
        error.to_string(),
        "ProductCreated version 2.0.0 is not supported: this build reads 1.0.0, 1.1.0; upgrade event-contracts to read it"
    );
    let error = decode(&case("low-stock-major-2").bytes).unwrap_err();
    assert!(
        matches!(&error, DecodeError::UnsupportedVersion { supported, .. } if supported == &["1.0.0"]),
        "{error:?}"
    );
}

/// A valid ProductCreated of exactly `size` bytes, padded with an unknown property.
fn event_of_size(size: usize) -> Vec<u8> {
    let mut event: Value = serde_json::from_slice(&case("created-1.0.0-minimal").bytes).unwrap();
    event["padding"] = json!("");
    let base = serde_json::to_vec(&event).unwrap().len();
    event["padding"] = json!("x".repeat(size - base));
    let bytes = serde_json::to_vec(&event).unwrap();
    assert_eq!(bytes.len(), size);
    bytes
}

#[test]
fn the_size_limit_is_256_kib_inclusive_and_callers_can_change_it() {
    assert_eq!(DEFAULT_MAX_SIZE, 262_144);
    assert!(decode(&event_of_size(DEFAULT_MAX_SIZE)).is_ok());
    assert_eq!(
        decode(&event_of_size(DEFAULT_MAX_SIZE + 1)).unwrap_err(),
        DecodeError::TooLarge {
            size: 262_145,
            limit: 262_144
        }
    );
    let small = Decoder::new().max_size(1_000);
    assert!(small.decode(&event_of_size(1_000)).is_ok());
    assert_eq!(
        small.decode(&event_of_size(1_001)).unwrap_err(),
        DecodeError::TooLarge {
            size: 1_001,
            limit: 1_000
        }
    );
    let large = Decoder::new().max_size(DEFAULT_MAX_SIZE * 2);
    assert!(large
        .decode(&case("size-limit-plus-one-byte").bytes)
        .is_ok());
}

#[test]
fn nesting_is_bounded_with_a_clear_error_and_never_overflows_the_stack() {
    assert_eq!(DEFAULT_MAX_DEPTH, 64);
    let error = decode(&case("depth-65").bytes).unwrap_err();
    assert!(
        matches!(error, DecodeError::TooDeep { limit: 64, .. }),
        "{error:?}"
    );
    // A million brackets, at the largest limit a decoder accepts: an error, not a crash.
    let mut hostile = b"{\"eventType\":\"ProductCreated\",\"x\":".to_vec();
    hostile.extend(std::iter::repeat_n(b'[', 1_000_000));
    let error = Decoder::new()
        .max_size(usize::MAX)
        .max_depth(usize::MAX)
        .decode(&hostile)
        .unwrap_err();
    assert_eq!(
        error,
        DecodeError::TooDeep {
            limit: MAX_SUPPORTED_DEPTH,
            offset: 34 + MAX_SUPPORTED_DEPTH - 1
        }
    );
    // Raising the limit admits deeper events, up to serde_json's own recursion limit.
    let deep = case("depth-65").bytes;
    assert!(Decoder::new().max_depth(65).decode(&deep).is_ok());
    let deepest = event_nested_to(MAX_SUPPORTED_DEPTH);
    assert!(Decoder::new()
        .max_depth(MAX_SUPPORTED_DEPTH)
        .decode(&deepest)
        .is_ok());
    assert!(matches!(
        Decoder::new()
            .max_depth(MAX_SUPPORTED_DEPTH)
            .decode(&event_nested_to(MAX_SUPPORTED_DEPTH + 1)),
        Err(DecodeError::TooDeep {
            limit: MAX_SUPPORTED_DEPTH,
            ..
        })
    ));
}

/// A valid ProductUpdated whose deepest object is at `depth` (the event itself is level 1).
fn event_nested_to(depth: usize) -> Vec<u8> {
    let mut event: Value = serde_json::from_slice(&case("updated-minimal").bytes).unwrap();
    // data is level 2 and previousState level 3; each wrap adds one.
    let mut state = json!({});
    for _ in 3..depth {
        state = json!({ "a": state });
    }
    event["data"]["previousState"] = state;
    serde_json::to_vec(&event).unwrap()
}

#[test]
fn duplicate_keys_are_named_in_the_error() {
    for (name, key) in [
        ("duplicate-top-level-event-id", "eventId"),
        ("duplicate-escaped-key", "eventId"),
        ("duplicate-data-price", "price"),
        ("duplicate-previous-state-nested", "c"),
        ("duplicate-data-metadata-1.0-unknown", "k"),
    ] {
        let error = decode(&case(name).bytes).unwrap_err();
        let DecodeError::Syntax { message, line, .. } = &error else {
            panic!("{name}: {error:?}");
        };
        assert!(
            message.starts_with(&format!(
                "duplicate key {key:?} in one object; send each key once"
            )),
            "{name}: {message}"
        );
        assert_eq!(*line, 1, "{name}");
    }
}

#[test]
fn invalid_utf8_reports_the_offset_of_the_first_bad_byte() {
    let bytes = case("utf8-latin-1-e-acute").bytes;
    let offset = bytes.windows(4).position(|w| w == b"caf\xe9").unwrap() + 3;
    assert_eq!(
        decode(&bytes).unwrap_err(),
        DecodeError::InvalidUtf8 { offset }
    );
}

#[test]
fn numbers_beyond_the_rust_type_are_a_clear_error_not_a_wrap() {
    let error = decode(&case("quantity-2-pow-64").bytes).unwrap_err();
    assert_eq!(
        error,
        DecodeError::OutOfRange {
            event_type: "ProductCreated".to_owned(),
            version: "1.0.0".to_owned(),
            pointer: "/data/quantity".to_owned(),
            message: "18446744073709552000 is out of range: expected an integer from 0 to 18446744073709551615".to_owned(),
        }
    );
    let error = decode(&case("changes-quantity-i64-max-plus-one").bytes).unwrap_err();
    assert_eq!(
        error,
        DecodeError::OutOfRange {
            event_type: "ProductUpdated".to_owned(),
            version: "1.0.0".to_owned(),
            pointer: "/data/changes/quantity".to_owned(),
            message: "9223372036854775808 is out of range: expected an integer from -9223372036854775808 to 9223372036854775807".to_owned(),
        }
    );
    let error = decode(&case("price-1e400").bytes).unwrap_err();
    assert!(
        matches!(&error, DecodeError::Syntax { message, .. } if message.starts_with("number out of range")),
        "{error:?}"
    );
}
