//! Upcasting and downcasting: exact results for the repository's schemas, every example
//! of every version, and property tests over generated ProductCreated 1.0.x events.

use std::path::{Path, PathBuf};

use event_contracts::upcast::{latest_version, latest_version_of_major};
use event_contracts::{
    decode_value, downcast_to, encode_value, upcast_to_latest, upcast_to_latest_minor,
    validate_value, DecodeError, EventType, ProductEvent, UpcastError,
};
use proptest::prelude::*;
use serde_json::{json, Map, Value};

fn created_1_0_0() -> Value {
    json!({
        "eventId": "6F1C2E9A-3B4D-4E5F-8A9B-0C1D2E3F4A5B",
        "version": "1.0.0",
        "timestamp": "2026-03-01T13:00:00.500+01:00",
        "correlationId": "0b7e4c1a-5d2f-4a3b-9c8d-7e6f5a4b3c2d",
        "source": "catalog-service",
        "userId": "a1b2c3d4-e5f6-4789-abcd-ef0123456789",
        "metadata": {"requestId": "req-42", "hop": [1, 2]},
        "eventType": "ProductCreated",
        "data": {
            "productId": "9e8d7c6b-5a49-4382-9171-605f4e3d2c1b",
            "name": "Trail running shoe",
            "description": "Lightweight shoe for rough trails",
            "price": 12999,
            "quantity": 5.0,
            "category": "sports",
            "sellerId": "1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b",
            "warehouse": {"aisle": 7, "bins": [{"id": "A"}]}
        },
        "traceFlags": 1
    })
}

fn decoded(value: &Value) -> ProductEvent {
    decode_value(value).unwrap_or_else(|e| panic!("{e}"))
}

fn json_of(event: &ProductEvent) -> Value {
    encode_value(event).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn product_created_1_0_0_gets_metadata_and_keeps_everything_else() {
    let original = created_1_0_0();
    let up = upcast_to_latest(&decoded(&original)).unwrap();
    let mut expected = original.clone();
    expected["version"] = json!("1.1.0");
    expected["data"]["metadata"] = json!({});
    // Unknown properties at every depth and every original spelling (upper-case UUID,
    // offset timestamp, 5.0 for an integer, 12999 for a number) come through unchanged.
    assert_eq!(json_of(&up), expected);
    let choice = validate_value(&json_of(&up)).unwrap();
    assert_eq!(choice.schema_version, (1, 1, 0));
    let ProductEvent::ProductCreated(created) = &up else {
        panic!("not a ProductCreated: {up:?}");
    };
    assert_eq!(created.data.metadata, Some(Map::new()));
}

#[test]
fn decode_itself_never_upcasts() {
    let original = created_1_0_0();
    let event = decoded(&original);
    assert_eq!(event.version().as_str(), "1.0.0");
    assert_eq!(json_of(&event), original);
}

#[test]
fn the_latest_minor_and_the_latest_version_are_the_same_while_there_is_one_major() {
    let event = decoded(&created_1_0_0());
    assert_eq!(
        upcast_to_latest_minor(&event).unwrap(),
        upcast_to_latest(&event).unwrap()
    );
    assert_eq!(latest_version(EventType::ProductCreated), Some("1.1.0"));
    assert_eq!(
        latest_version_of_major(EventType::ProductCreated, 1),
        Some("1.1.0")
    );
    assert_eq!(latest_version_of_major(EventType::ProductCreated, 2), None);
    assert_eq!(latest_version(EventType::LowStockWarning), Some("1.0.0"));
}

#[test]
fn an_undeclared_metadata_object_is_the_events_own_and_is_kept() {
    let mut original = created_1_0_0();
    original["data"]["metadata"] = json!({"colour": "red"});
    let event = decoded(&original);
    let up = upcast_to("1.1.0", &event);
    let mut expected = original.clone();
    expected["version"] = json!("1.1.0");
    assert_eq!(json_of(&up), expected);
    // Not the default, so the downcast keeps it, as a property 1.0.0 does not declare.
    let down = downcast_to(&up, "1.0.0").unwrap();
    assert_eq!(json_of(&down), original);
}

/// `upcast_to` with the arguments in reading order.
fn upcast_to(version: &str, event: &ProductEvent) -> ProductEvent {
    event_contracts::upcast_to(event, version).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn an_undeclared_metadata_that_1_1_0_rejects_cannot_be_upcast() {
    let mut original = created_1_0_0();
    original["data"]["metadata"] = json!("not an object");
    let event = decoded(&original);
    let err = upcast_to_latest(&event).unwrap_err();
    let UpcastError::Invalid {
        event_type,
        from,
        to,
        source,
    } = &err
    else {
        panic!("unexpected error {err:?}");
    };
    let DecodeError::Invalid { violations, .. } = source.as_ref() else {
        panic!("unexpected error {err:?}");
    };
    assert_eq!(*event_type, "ProductCreated");
    assert_eq!((from.as_str(), to.as_str()), ("1.0.0", "1.1.0"));
    let at: Vec<(&str, &str)> = violations
        .iter()
        .map(|v| (v.pointer.as_str(), v.keyword.as_str()))
        .collect();
    assert_eq!(at, [("/data/metadata", "type")]);
}

#[test]
fn an_undeclared_empty_metadata_is_indistinguishable_from_the_filled_default() {
    // The one case where upcast-then-downcast does not return the original: the value a
    // 1.0.0 event carried is exactly the default, so the downcast takes it for a filled one.
    let mut original = created_1_0_0();
    original["data"]["metadata"] = json!({});
    let up = upcast_to_latest(&decoded(&original)).unwrap();
    assert_eq!(json_of(&up)["data"]["metadata"], json!({}));
    let down = downcast_to(&up, "1.0.0").unwrap();
    let mut expected = original.clone();
    if let Some(data) = expected["data"].as_object_mut() {
        data.remove("metadata");
    }
    assert_eq!(json_of(&down), expected);
}

#[test]
fn downcasting_a_1_1_0_event_removes_only_the_default() {
    let mut latest = created_1_0_0();
    latest["version"] = json!("1.1.0");
    latest["data"]["metadata"] = json!({});
    let down = downcast_to(&decoded(&latest), "1.0.0").unwrap();
    let mut expected = latest.clone();
    expected["version"] = json!("1.0.0");
    if let Some(data) = expected["data"].as_object_mut() {
        data.remove("metadata");
    }
    assert_eq!(json_of(&down), expected);
    assert_eq!(
        validate_value(&json_of(&down)).unwrap().schema_version,
        (1, 0, 0)
    );
}

#[test]
fn an_unknown_patch_round_trips_through_the_latest_version() {
    let mut original = created_1_0_0();
    original["version"] = json!("1.0.7");
    let up = upcast_to_latest(&decoded(&original)).unwrap();
    assert_eq!(up.version().as_str(), "1.1.0");
    let down = downcast_to(&up, "1.0.7").unwrap();
    assert_eq!(json_of(&down), original);
}

#[test]
fn an_event_newer_than_this_build_is_left_as_it_is() {
    let mut original = created_1_0_0();
    original["version"] = json!("1.9.0");
    original["data"]["metadata"] = json!({"k": 1});
    let event = decoded(&original);
    assert_eq!(upcast_to_latest(&event).unwrap(), event);
    assert_eq!(upcast_to_latest_minor(&event).unwrap(), event);
    assert_eq!(json_of(&upcast_to_latest(&event).unwrap()), original);
    assert_eq!(
        event_contracts::upcast_to(&event, "1.1.0").unwrap_err(),
        UpcastError::WrongDirection {
            operation: "upcast",
            event_type: "ProductCreated",
            from: "1.9.0".to_owned(),
            to: "1.1.0".to_owned(),
            relation: "older than",
            instead: "downcast_to",
        }
    );
}

#[test]
fn an_event_at_the_target_is_returned_unchanged() {
    let mut original = created_1_0_0();
    original["version"] = json!("1.1.0");
    let event = decoded(&original);
    assert_eq!(upcast_to_latest(&event).unwrap(), event);
    assert_eq!(downcast_to(&event, "1.1.0").unwrap(), event);
    assert_eq!(upcast_to("1.1.0", &event), event);
}

#[test]
fn targets_are_checked() {
    let event = decoded(&created_1_0_0());
    let latest = upcast_to_latest(&event).unwrap();
    assert_eq!(
        event_contracts::upcast_to(&event, "1.1").unwrap_err(),
        UpcastError::BadVersion {
            version: "1.1".to_owned()
        }
    );
    let unknown = event_contracts::upcast_to(&event, "2.0.0").unwrap_err();
    assert_eq!(
        unknown,
        UpcastError::UnknownVersion {
            event_type: "ProductCreated",
            version: "2.0.0".to_owned(),
            known: vec!["1.0.0", "1.1.0"],
        }
    );
    assert_eq!(
        unknown.to_string(),
        "ProductCreated has no version 2.0.0 in this build; it knows 1.0.0, 1.1.0"
    );
    assert_eq!(
        event_contracts::upcast_to(&event, "1.5.0").unwrap_err(),
        UpcastError::UnknownVersion {
            event_type: "ProductCreated",
            version: "1.5.0".to_owned(),
            known: vec!["1.0.0", "1.1.0"],
        }
    );
    let err = downcast_to(&event, "1.1.0").unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot downcast ProductCreated 1.0.0 to 1.1.0: 1.1.0 is newer than 1.0.0; use upcast_to"
    );
    let err = event_contracts::upcast_to(&latest, "1.0.0").unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot upcast ProductCreated 1.1.0 to 1.0.0: 1.0.0 is older than 1.1.0; use downcast_to"
    );
}

#[test]
fn a_patch_upcast_only_changes_the_version() {
    let mut original = created_1_0_0();
    original["version"] = json!("1.1.0");
    let event = decoded(&original);
    let up = upcast_to("1.1.4", &event);
    let mut expected = original.clone();
    expected["version"] = json!("1.1.4");
    assert_eq!(json_of(&up), expected);
}

fn valid_examples() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas");
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.parent().and_then(Path::file_name) == Some("valid".as_ref()) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_valid_example_upcasts_to_a_valid_latest_event_and_back() {
    let examples = valid_examples();
    assert_eq!(examples.len(), 20, "{examples:?}");
    for path in examples {
        let original: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        let event = decoded(&original);
        let up = upcast_to_latest(&event).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let latest = latest_version(event.event_type()).unwrap();
        assert_eq!(up.version().as_str(), latest, "{}", path.display());
        let up_json = json_of(&up);
        validate_value(&up_json).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let down = downcast_to(&up, event.version().as_str()).unwrap();
        assert_eq!(json_of(&down), original, "{}", path.display());
    }
}

// ---- property tests -------------------------------------------------------------

fn uuid_text() -> impl Strategy<Value = String> {
    (any::<[u8; 16]>(), any::<bool>()).prop_map(|(bytes, upper)| {
        let text = uuid::Uuid::from_bytes(bytes).to_string();
        if upper {
            text.to_uppercase()
        } else {
            text
        }
    })
}

fn date_time_text() -> impl Strategy<Value = String> {
    // 1970 to 2096, any millisecond, offsets from -12:00 to +14:00 in quarter hours.
    (0i64..4_000_000_000, 0u32..1000, -48i32..=56, any::<bool>()).prop_map(
        |(secs, millis, quarter_hours, fraction)| {
            let at = chrono::DateTime::from_timestamp(secs, millis * 1_000_000).unwrap_or_default();
            let offset = chrono::FixedOffset::east_opt(quarter_hours * 15 * 60)
                .unwrap_or_else(|| chrono::FixedOffset::east_opt(0).unwrap());
            let format = if fraction {
                chrono::SecondsFormat::Millis
            } else {
                chrono::SecondsFormat::Secs
            };
            at.with_timezone(&offset)
                .to_rfc3339_opts(format, quarter_hours == 0)
        },
    )
}

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        (-1e9f64..1e9).prop_map(|n| json!(n)),
        "\\PC{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z]{1,6}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Undeclared properties: `x-` names, which no schema declares.
fn unknown_properties() -> impl Strategy<Value = Vec<(String, Value)>> {
    prop::collection::vec(("x-[a-z]{1,8}", any_json()), 0..3)
}

fn number(integer_spelling: bool, value: f64) -> Value {
    if integer_spelling {
        json!(value.trunc() as u64)
    } else {
        json!(value)
    }
}

prop_compose! {
    fn data_1_0() (
        product_id in uuid_text(),
        name in "\\PC{1,40}",
        description in "\\PC{0,60}",
        price in (any::<bool>(), 0.0f64..10_000_000.0),
        quantity in (any::<bool>(), 0u32..1_000_000),
        category in prop::sample::select(vec!["electronics", "clothing", "books", "home", "sports", "other"]),
        seller_id in uuid_text(),
        created_at in prop::option::of(date_time_text()),
        // Compatible values only: what 1.1.0 declares as `metadata` is an object.
        undeclared_metadata in prop::option::of(
            prop::collection::btree_map("[a-z]{1,6}", any_json(), 1..3)
        ),
        unknown in unknown_properties(),
    ) -> Value {
        let mut data = Map::new();
        data.insert("productId".into(), json!(product_id));
        data.insert("name".into(), json!(name));
        data.insert("description".into(), json!(description));
        data.insert("price".into(), number(price.0, price.1));
        data.insert(
            "quantity".into(),
            if quantity.0 { json!(quantity.1) } else { json!(f64::from(quantity.1)) },
        );
        data.insert("category".into(), json!(category));
        data.insert("sellerId".into(), json!(seller_id));
        if let Some(at) = created_at {
            data.insert("createdAt".into(), json!(at));
        }
        if let Some(m) = undeclared_metadata {
            data.insert("metadata".into(), Value::Object(m.into_iter().collect()));
        }
        data.extend(unknown);
        Value::Object(data)
    }
}

prop_compose! {
    fn product_created_1_0() (
        event_id in uuid_text(),
        patch in prop_oneof![Just(0u64), 1u64..20],
        timestamp in date_time_text(),
        correlation_id in uuid_text(),
        source in "\\PC{0,20}",
        user_id in uuid_text(),
        session_id in prop::option::of(uuid_text()),
        metadata in prop::option::of((
            prop::option::of("\\PC{0,10}"),
            prop::option::of("\\PC{0,10}"),
            unknown_properties(),
        )),
        data in data_1_0(),
        unknown in unknown_properties(),
    ) -> Value {
        let mut event = Map::new();
        event.insert("eventId".into(), json!(event_id));
        event.insert("eventType".into(), json!("ProductCreated"));
        event.insert("version".into(), json!(format!("1.0.{patch}")));
        event.insert("timestamp".into(), json!(timestamp));
        event.insert("correlationId".into(), json!(correlation_id));
        event.insert("source".into(), json!(source));
        event.insert("userId".into(), json!(user_id));
        if let Some(id) = session_id {
            event.insert("sessionId".into(), json!(id));
        }
        if let Some((user_agent, request_id, extra)) = metadata {
            let mut m = Map::new();
            if let Some(v) = user_agent {
                m.insert("userAgent".into(), json!(v));
            }
            if let Some(v) = request_id {
                m.insert("requestId".into(), json!(v));
            }
            m.extend(extra);
            event.insert("metadata".into(), Value::Object(m));
        }
        event.insert("data".into(), data);
        event.extend(unknown);
        Value::Object(event)
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn every_valid_1_0_event_upcasts_to_a_valid_1_1_event_and_back(original in product_created_1_0()) {
        prop_assert_eq!(validate_value(&original).map(|c| c.schema_version), Ok((1, 0, 0)));
        let event = decode_value(&original).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let up = upcast_to_latest(&event).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let up_json = encode_value(&up).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(validate_value(&up_json).map(|c| c.schema_version), Ok((1, 1, 0)));
        prop_assert_eq!(&up_json["version"], &json!("1.1.0"));
        let expected_metadata = match original["data"].get("metadata") {
            Some(m) => m.clone(),
            None => json!({}),
        };
        prop_assert_eq!(&up_json["data"]["metadata"], &expected_metadata);
        // Apart from the version and the filled metadata, nothing changed.
        let mut rest = up_json.clone();
        rest["version"] = original["version"].clone();
        if original["data"].get("metadata").is_none() {
            if let Some(data) = rest["data"].as_object_mut() {
                data.remove("metadata");
            }
        }
        prop_assert_eq!(&rest, &original);
        let declared = original["version"].as_str().unwrap_or_default();
        let down = downcast_to(&up, declared).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(encode_value(&down).map_err(|e| TestCaseError::fail(e.to_string()))?, original);
    }
}

/// Found by the `upcast_round_trip` fuzz target (crash-5c1ed897…, 2026-11-26): an event of
/// a newer minor than this build knows (LowStockWarning 1.5.0, read with 1.0.0's schema) is
/// left as it is by `upcast_to_latest`, and converting it back to its own version failed
/// with `UnknownVersion` instead of being the identity.
#[test]
fn converting_a_newer_minor_event_to_its_own_version_is_the_identity() {
    let text = r#"{
      "eventId": "6f1c2e9a-3b4d-4e5f-8a9b-0c1d2e3f4a5b",
      "version": "1.5.0",
      "timestamp": "2026-03-01T12:00:00Z",
      "correlationId": "0b7e4c1a-5d2f-4a3b-9c8d-7e6f5a4b3c2d",
      "source": "catalog-service",
      "userId": "a1b2c3d4-e5f6-4789-abcd-ef0123456789",
      "eventType": "LowStockWarning",
      "data": {
        "productId": "9e8d7c6b-5a49-4382-9171-605f4e3d2c1b",
        "productName": "Trail running shoe",
        "currentQuantity": 3,
        "threshold": 5,
        "severity": "high"
      }
    }"#;
    let event = event_contracts::decode(text.as_bytes()).unwrap();
    let latest = upcast_to_latest(&event).unwrap();
    assert_eq!(latest, event, "no newer schema to upcast to");
    assert_eq!(downcast_to(&latest, "1.5.0").unwrap(), event);
    assert_eq!(event_contracts::upcast_to(&event, "1.5.0").unwrap(), event);
    // Leading zeros name the same version.
    assert_eq!(downcast_to(&latest, "01.5.0").unwrap(), event);
    // A version that is neither its own nor known is still an error.
    assert!(matches!(
        downcast_to(&latest, "1.4.0"),
        Err(UpcastError::UnknownVersion { .. })
    ));
}
