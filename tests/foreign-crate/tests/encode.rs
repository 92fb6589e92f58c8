//! Encoding the shop's events: what decode read is written back as it was sent (unknown
//! properties and non-canonical spellings included), and nothing invalid is written.

mod support;

use event_contracts_runtime::{DecodeError, EncodeError};
use foreign_shop_events::common::SchemaVersion;
use foreign_shop_events::{decode, encode, encode_value, Decoder, Event};

fn text_of(event: &Event) -> String {
    String::from_utf8(encode(event).expect("a decoded event encodes")).expect("JSON is UTF-8")
}

#[test]
fn every_valid_example_encodes_back_to_the_json_it_was_read_from() {
    let valid: Vec<_> = support::examples()
        .into_iter()
        .filter(|e| e.valid)
        .collect();
    assert_eq!(valid.len(), 11, "the folder's valid examples");
    for example in valid {
        let event = decode(example.text.as_bytes()).unwrap();
        let sent = Decoder::new().parse(example.text.as_bytes()).unwrap();
        assert_eq!(encode_value(&event), Ok(sent), "{}", example.path);
        assert_eq!(
            decode(&encode(&event).unwrap()).as_ref(),
            Ok(&event),
            "{}",
            example.path
        );
    }
}

#[test]
fn unknown_properties_at_every_depth_are_written_back() {
    let text = support::example("order-placed/examples/1.1.0/valid/unknown-properties-kept.json");
    let event = decode(text.as_bytes()).unwrap();
    assert_eq!(
        text_of(&event),
        concat!(
            r#"{"kind":"OrderPlaced","schemaVersion":"1.1.0","id":"3f0c1f4e-8a2b-4c1d-9e7f-0a1b2c3d4e5f","#,
            r#""occurredAt":"2026-04-01T09:30:00Z","orderId":"ORD-000042","#,
            r#""customer":{"customerId":"7d9e2b10-4c3a-4f5e-8b6a-1c2d3e4f5a6b","name":"Ada Lovelace","tier":"gold","loyaltyCard":{"number":"LC-9"}},"#,
            r#""lines":[{"sku":"TEA-0042","quantity":2,"unitPriceCents":1250,"giftWrapped":true}],"#,
            r#""channel":"web","traceFlags":1}"#
        )
    );
}

#[test]
fn non_canonical_spellings_are_written_as_they_were_sent() {
    let text = support::example("order-placed/examples/1.0.0/valid/non-canonical-spellings.json");
    let event = decode(text.as_bytes()).unwrap();
    // An upper-case UUID, a date-time with an offset, an integer written as 2.0.
    assert_eq!(
        text_of(&event),
        concat!(
            r#"{"kind":"OrderPlaced","schemaVersion":"1.0.0","id":"3F0C1F4E-8A2B-4C1D-9E7F-0A1B2C3D4E5F","#,
            r#""occurredAt":"2026-04-01T11:30:00+02:00","orderId":"ORD-000042","#,
            r#""customer":{"customerId":"7d9e2b10-4c3a-4f5e-8b6a-1c2d3e4f5a6b","name":"Ada Lovelace","tier":"gold"},"#,
            r#""lines":[{"sku":"TEA-0042","quantity":2.0,"unitPriceCents":1250}],"channel":"web"}"#
        )
    );
    // The spelling is kept beside the value, which is the canonical one.
    let Event::OrderPlaced(order) = &event else {
        panic!("an OrderPlaced decodes as one");
    };
    assert_eq!(order.id.to_string(), "3f0c1f4e-8a2b-4c1d-9e7f-0a1b2c3d4e5f");
    assert_eq!(order.occurred_at.to_rfc3339(), "2026-04-01T09:30:00+00:00");
    assert_eq!(*order.lines[0].quantity.get(), 2);
}

#[test]
fn a_value_changed_after_decoding_is_written_canonically() {
    let text = support::example("order-placed/examples/1.0.0/valid/non-canonical-spellings.json");
    let Event::OrderPlaced(mut order) = decode(text.as_bytes()).unwrap() else {
        panic!("an OrderPlaced decodes as one");
    };
    let Event::OrderPlaced(other) = decode(
        support::example("order-placed/examples/1.1.0/valid/non-canonical-spellings.json")
            .as_bytes(),
    )
    .unwrap() else {
        panic!("an OrderPlaced decodes as one");
    };
    // The same instant as sent: its spelling stays. Another id: written in lower case.
    order.id = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d".parse().unwrap();
    order.occurred_at = other.occurred_at;
    let text = text_of(&Event::OrderPlaced(order));
    assert!(
        text.starts_with(
            r#"{"kind":"OrderPlaced","schemaVersion":"1.0.0","id":"0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d","occurredAt":"2026-04-01T11:30:00+02:00","#
        ),
        "{text}"
    );
}

#[test]
fn encode_refuses_an_event_that_no_schema_of_this_build_accepts() {
    let text = support::example("order-placed/examples/1.1.0/valid/minimal.json");
    let Event::OrderPlaced(mut order) = decode(text.as_bytes()).unwrap() else {
        panic!("an OrderPlaced decodes as one");
    };
    order.schema_version = SchemaVersion::new("2.0.0".to_owned()).unwrap();
    assert_eq!(
        encode(&Event::OrderPlaced(order)),
        Err(EncodeError::Invalid(DecodeError::UnsupportedVersion {
            event_type: "OrderPlaced".to_owned(),
            version: "2.0.0".to_owned(),
            supported: vec!["1.0.0".to_owned(), "1.1.0".to_owned()],
            field: "schemaVersion",
            crate_name: "foreign-shop-events",
        }))
    );
}

#[test]
fn encode_validates_the_whole_event_undeclared_properties_included() {
    let text = support::example("order-placed/examples/1.1.0/valid/minimal.json");
    let Event::OrderPlaced(mut order) = decode(text.as_bytes()).unwrap() else {
        panic!("an OrderPlaced decodes as one");
    };
    // An undeclared property is written as it is.
    order
        .customer
        .extra
        .unknown_mut()
        .insert("nickname".to_owned(), "Ada".into());
    let value = encode_value(&Event::OrderPlaced(order.clone())).unwrap();
    assert_eq!(value["customer"]["nickname"], "Ada");
    // One that spells a declared property with a value the schema forbids is refused.
    order
        .extra
        .unknown_mut()
        .insert("deliverySpeed".to_owned(), "overnight".into());
    let error = encode(&Event::OrderPlaced(order)).unwrap_err();
    let EncodeError::Invalid(DecodeError::Invalid {
        violations,
        schema_file,
        ..
    }) = &error
    else {
        panic!("an invalid event is refused as invalid: {error:?}");
    };
    assert_eq!(*schema_file, "schemas/order-placed/1.1.0.json");
    let found: Vec<(&str, &str, &str)> = violations
        .iter()
        .map(|v| (v.pointer.as_str(), v.keyword.as_str(), v.message.as_str()))
        .collect();
    assert_eq!(
        found,
        [(
            "/deliverySpeed",
            "enum",
            r#""overnight" is not one of "standard" or "express""#
        )]
    );
}
