//! Values built in Rust always satisfy the schema: builders fill the envelope, check every
//! field and report every problem at once; constrained fields cannot hold invalid values.

use event_contracts::common::{Metadata, Version};
use event_contracts::product_created::{
    Data, DataCategory, DataDescription, DataName, DataPrice, ProductCreated,
};
use event_contracts::{encode_value, EventType, ProductEvent};
use uuid::Uuid;

fn data() -> event_contracts::product_created::DataBuilder {
    Data::builder()
        .product_id(Uuid::nil())
        .name("Lamp")
        .description("A desk lamp")
        .price(2500.0)
        .quantity(7u64)
        .category(DataCategory::Home)
        .seller_id(Uuid::nil())
}

#[test]
fn the_builder_fills_event_id_timestamp_type_and_version() {
    let before = chrono::Utc::now();
    let event = ProductCreated::builder()
        .correlation_id(Uuid::nil())
        .source("catalog")
        .user_id(Uuid::nil())
        .data(data())
        .build()
        .unwrap();
    assert_eq!(event.event_id.get_version_num(), 4);
    assert!(event.timestamp >= before && event.timestamp <= chrono::Utc::now());
    assert_eq!(event.version.as_str(), "1.1.0");
    assert_eq!(ProductCreated::EVENT_TYPE, EventType::ProductCreated);
    let json = encode_value(&ProductEvent::from(event)).unwrap();
    assert_eq!(json["eventType"], "ProductCreated");
    assert_eq!(json["version"], "1.1.0");
    assert_eq!(json["data"]["category"], "home");
    assert_eq!(json["data"]["quantity"], 7);
    assert!(
        json.get("sessionId").is_none(),
        "absent optional fields stay absent"
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let err = Data::builder()
        .name("")
        .description("d".repeat(1001))
        .price(-1.0)
        .category("toys")
        .build()
        .unwrap_err();
    let fields: Vec<&str> = err.problems.iter().map(|(f, _)| *f).collect();
    assert_eq!(
        fields,
        [
            "productId",
            "name",
            "description",
            "price",
            "quantity",
            "category",
            "sellerId"
        ]
    );
    assert_eq!(err.problems.len(), 7);
    let text = err.to_string();
    assert!(
        text.starts_with("cannot build ProductCreated.data:"),
        "{text}"
    );
    assert!(
        text.contains("`name`: the string has 0 characters; at least 1 are required"),
        "{text}"
    );
    assert!(
        text.contains("`description`: the string has 1001 characters; at most 1000 are allowed"),
        "{text}"
    );
    assert!(
        text.contains("`price`: -1 is less than the minimum 0"),
        "{text}"
    );
    assert!(
        text.contains("`category`: \"toys\" is not one of \"electronics\""),
        "{text}"
    );
    assert!(
        text.contains("`productId`: is required but was not set"),
        "{text}"
    );
}

#[test]
fn constrained_types_check_on_construction() {
    assert_eq!(DataName::try_from("x".repeat(255)).unwrap().len(), 255);
    let err = DataName::try_from("x".repeat(256)).unwrap_err();
    assert_eq!(err.keyword, "maxLength");
    // Lengths are code points: 255 two-byte characters fit.
    assert!(DataName::try_from("é".repeat(255)).is_ok());
    assert_eq!(DataName::try_from("").unwrap_err().keyword, "minLength");
    assert!(DataDescription::try_from("").is_ok());
    assert_eq!(DataPrice::try_from(-0.01).unwrap_err().keyword, "minimum");
    assert_eq!(DataPrice::try_from(f64::NAN).unwrap_err().keyword, "type");
    assert_eq!(*DataPrice::try_from(0.0).unwrap().get(), 0.0);
    assert_eq!(Version::try_from("1.2.3").unwrap().as_str(), "1.2.3");
    assert_eq!(Version::try_from("1.2").unwrap_err().keyword, "pattern");
    // ECMA-262: `$` does not match before a trailing newline, and \d is ASCII only.
    assert_eq!(Version::try_from("1.2.3\n").unwrap_err().keyword, "pattern");
    assert_eq!(Version::try_from("١.٢.٣").unwrap_err().keyword, "pattern");
    assert_eq!(
        "sports".parse::<DataCategory>().unwrap(),
        DataCategory::Sports
    );
    assert_eq!(DataCategory::ALL.len(), 6);
}

#[test]
fn unknown_properties_can_be_added_and_are_written() {
    let metadata = Metadata::builder()
        .user_agent("curl/8")
        .unknown_property("traceId", serde_json::json!("abc"))
        .build()
        .unwrap();
    let json = serde_json::to_value(&metadata).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"userAgent": "curl/8", "traceId": "abc"})
    );
}

#[test]
fn a_property_set_after_decoding_is_written_once() {
    // A 1.0.0 event may carry an undeclared `data.metadata` of any shape; it is kept as
    // unknown. Setting the 1.1 field afterwards must replace it, not duplicate the key.
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/schemas/product-created/examples/1.0.0/valid/minimal.json"
    ))
    .unwrap();
    let mut value: serde_json::Value = serde_json::from_str(&text).unwrap();
    value["data"]["metadata"] = serde_json::json!("legacy");
    let ProductEvent::ProductCreated(mut event) = event_contracts::decode_value(&value).unwrap()
    else {
        panic!("not a ProductCreated")
    };
    assert_eq!(event.data.metadata, None);
    assert_eq!(event.data.extra.unknown()["metadata"], "legacy");
    event.data.metadata = Some(serde_json::Map::new());
    let bytes = serde_json::to_vec(&event).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    assert_eq!(text.matches("\"metadata\"").count(), 1, "{text}");
    assert!(text.contains("\"metadata\":{}"), "{text}");
}
