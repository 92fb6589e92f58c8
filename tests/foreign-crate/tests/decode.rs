//! Decoding the shop's events with the generated `decode`: every example gets the verdict
//! its folder says, on the path it should take, and an invalid event lists every violation
//! with its JSON pointer, the same on the fast path's fallback as from a parsed value.

mod support;

use event_contracts_runtime::{DecodeError, Violation};
use foreign_shop_events::order_placed::{Channel, CustomerTier, DeliverySpeed};
use foreign_shop_events::{decode, decode_value, Decoder, Event, EventType};

/// (pointer, keyword, message) of each violation.
fn violations(error: &DecodeError) -> Vec<(String, String, String)> {
    error
        .violations()
        .into_iter()
        .map(
            |Violation {
                 pointer,
                 keyword,
                 message,
             }| (pointer, keyword, message),
        )
        .collect()
}

fn owned(rows: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
    rows.iter()
        .map(|(p, k, m)| (p.to_string(), k.to_string(), m.to_string()))
        .collect()
}

/// What `decode_value` says of the text parsed strictly: the slow path's reference.
fn decode_parsed(text: &str) -> Result<Event, DecodeError> {
    decode_value(&Decoder::new().parse(text.as_bytes())?)
}

#[test]
fn every_valid_example_decodes_on_the_fast_path_as_its_type_and_version() {
    let valid: Vec<_> = support::examples()
        .into_iter()
        .filter(|e| e.valid)
        .collect();
    assert_eq!(valid.len(), 11, "the folder's valid examples");
    for example in valid {
        let event =
            decode(example.text.as_bytes()).unwrap_or_else(|e| panic!("{}: {e}", example.path));
        assert_eq!(
            event.event_type().as_str(),
            example.event,
            "{}",
            example.path
        );
        assert_eq!(
            event.schema_version().as_str(),
            example.version,
            "{}",
            example.path
        );
        let (fast, guess) = Decoder::new().__fast_path(&example.text);
        assert_eq!(fast.as_ref(), Some(&event), "{}", example.path);
        assert_eq!(
            guess,
            (Some(example.event.as_str()), Some(example.version.as_str())),
            "{}",
            example.path
        );
        assert_eq!(decode_parsed(&example.text), Ok(event), "{}", example.path);
    }
}

#[test]
fn every_invalid_example_is_rejected_with_its_violations_on_the_slow_path() {
    let expected: &[(&str, &[(&str, &str)])] = &[
        (
            "order-placed/examples/1.0.0/invalid/customer-name-empty.json",
            &[("/customer/name", "minLength")],
        ),
        (
            "order-placed/examples/1.0.0/invalid/missing-customer.json",
            &[("", "required")],
        ),
        (
            "order-placed/examples/1.0.0/invalid/occurred-at-without-offset.json",
            &[("/occurredAt", "format")],
        ),
        (
            "order-placed/examples/1.0.0/invalid/order-id-pattern.json",
            &[("/orderId", "pattern")],
        ),
        (
            "order-placed/examples/1.0.0/invalid/quantity-above-maximum.json",
            &[("/lines/0/quantity", "maximum")],
        ),
        (
            "order-placed/examples/1.0.0/invalid/quantity-zero.json",
            &[("/lines/0/quantity", "minimum")],
        ),
        (
            "order-placed/examples/1.0.0/invalid/unknown-channel.json",
            &[("/channel", "enum")],
        ),
        // `kind` chooses the schema, so a payment labelled OrderPlaced lacks an order's parts.
        (
            "order-placed/examples/1.0.0/invalid/wrong-kind.json",
            &[("", "required"), ("", "required")],
        ),
        (
            "order-placed/examples/1.1.0/invalid/customer-name-empty.json",
            &[("/customer/name", "minLength")],
        ),
        (
            "order-placed/examples/1.1.0/invalid/missing-customer.json",
            &[("", "required")],
        ),
        (
            "order-placed/examples/1.1.0/invalid/occurred-at-without-offset.json",
            &[("/occurredAt", "format")],
        ),
        (
            "order-placed/examples/1.1.0/invalid/order-id-pattern.json",
            &[("/orderId", "pattern")],
        ),
        (
            "order-placed/examples/1.1.0/invalid/quantity-above-maximum.json",
            &[("/lines/0/quantity", "maximum")],
        ),
        (
            "order-placed/examples/1.1.0/invalid/quantity-zero.json",
            &[("/lines/0/quantity", "minimum")],
        ),
        (
            "order-placed/examples/1.1.0/invalid/unknown-channel.json",
            &[("/channel", "enum")],
        ),
        (
            "order-placed/examples/1.1.0/invalid/unknown-delivery-speed.json",
            &[("/deliverySpeed", "enum")],
        ),
        (
            "order-placed/examples/1.1.0/invalid/wrong-kind.json",
            &[("", "required"), ("", "required")],
        ),
        (
            "payment-captured/examples/1.0.0/invalid/amount-above-maximum.json",
            &[("/amount/cents", "maximum")],
        ),
        (
            "payment-captured/examples/1.0.0/invalid/amount-zero.json",
            &[("/amount/cents", "minimum")],
        ),
        (
            "payment-captured/examples/1.0.0/invalid/currency-lower-case.json",
            &[("/amount/currency", "enum")],
        ),
        (
            "payment-captured/examples/1.0.0/invalid/id-without-hyphens.json",
            &[("/id", "format")],
        ),
        (
            "payment-captured/examples/1.0.0/invalid/psp-reference-too-short.json",
            &[("/pspReference", "minLength")],
        ),
        (
            "payment-captured/examples/1.0.0/invalid/wrong-kind.json",
            &[("", "required"), ("", "required"), ("", "required")],
        ),
    ];
    let invalid: Vec<_> = support::examples()
        .into_iter()
        .filter(|e| !e.valid)
        .collect();
    let paths: Vec<&str> = invalid.iter().map(|e| e.path.as_str()).collect();
    let listed: Vec<&str> = expected.iter().map(|(path, _)| *path).collect();
    assert_eq!(paths, listed, "every invalid example is listed here");
    for (example, (_, rows)) in invalid.iter().zip(expected) {
        let error = decode(example.text.as_bytes()).expect_err(&example.path);
        assert!(
            matches!(error, DecodeError::Invalid { .. }),
            "{}: {error:?}",
            example.path
        );
        let found: Vec<(String, String)> = violations(&error)
            .into_iter()
            .map(|(pointer, keyword, _)| (pointer, keyword))
            .collect();
        let rows: Vec<(String, String)> = rows
            .iter()
            .map(|(p, k)| (p.to_string(), k.to_string()))
            .collect();
        assert_eq!(found, rows, "{}", example.path);
        assert_eq!(
            Decoder::new().__fast_path(&example.text).0,
            None,
            "{}",
            example.path
        );
        assert_eq!(decode_parsed(&example.text), Err(error), "{}", example.path);
    }
}

const MINIMAL_ORDER: &str = r#"{
  "kind": "OrderPlaced",
  "schemaVersion": "1.0.0",
  "id": "3f0c1f4e-8a2b-4c1d-9e7f-0a1b2c3d4e5f",
  "occurredAt": "2026-04-01T09:30:00Z",
  "orderId": "ORD-000042",
  "customer": {"customerId": "7d9e2b10-4c3a-4f5e-8b6a-1c2d3e4f5a6b", "name": "Ada Lovelace", "tier": "gold"},
  "lines": [
    {"sku": "TEA-0042", "quantity": 2, "unitPriceCents": 1250},
    {"sku": "CUP-0007", "quantity": 1, "unitPriceCents": 0}
  ],
  "channel": "store",
  "note": "Please ring twice"
}"#;

#[test]
fn a_decoded_order_holds_every_value_in_its_generated_type() {
    let Event::OrderPlaced(order) = decode(MINIMAL_ORDER.as_bytes()).unwrap() else {
        panic!("an OrderPlaced decodes as one");
    };
    assert_eq!(order.schema_version.as_str(), "1.0.0");
    assert_eq!(order.id.to_string(), "3f0c1f4e-8a2b-4c1d-9e7f-0a1b2c3d4e5f");
    assert_eq!(order.occurred_at.to_rfc3339(), "2026-04-01T09:30:00+00:00");
    assert_eq!(order.order_id.as_str(), "ORD-000042");
    assert_eq!(
        order.customer.customer_id.to_string(),
        "7d9e2b10-4c3a-4f5e-8b6a-1c2d3e4f5a6b"
    );
    assert_eq!(order.customer.name.as_str(), "Ada Lovelace");
    assert_eq!(order.customer.tier, CustomerTier::Gold);
    let lines: Vec<(&str, u64, u64)> = order
        .lines
        .iter()
        .map(|l| (l.sku.as_str(), *l.quantity.get(), l.unit_price_cents))
        .collect();
    assert_eq!(lines, [("TEA-0042", 2, 1250), ("CUP-0007", 1, 0)]);
    assert_eq!(order.channel, Channel::Store);
    assert_eq!(
        order.note.as_ref().map(|n| n.as_str()),
        Some("Please ring twice")
    );
    // Held in the newest minor's shape, 1.1; the property 1.1 added is absent, not filled.
    assert_eq!(order.delivery_speed, None);
    assert!(order.extra.is_empty());
}

#[test]
fn the_event_enum_answers_for_the_envelope() {
    let event = decode(MINIMAL_ORDER.as_bytes()).unwrap();
    assert_eq!(event.event_type(), EventType::OrderPlaced);
    assert_eq!(event.major(), 1);
    assert_eq!(event.schema_version().as_str(), "1.0.0");
    assert_eq!(
        event.id().to_string(),
        "3f0c1f4e-8a2b-4c1d-9e7f-0a1b2c3d4e5f"
    );
    assert_eq!(
        event.occurred_at().to_rfc3339(),
        "2026-04-01T09:30:00+00:00"
    );
    assert_eq!(event.order_id().as_str(), "ORD-000042");
    assert_eq!(
        EventType::ALL,
        [EventType::OrderPlaced, EventType::PaymentCaptured]
    );
    assert_eq!("PaymentCaptured".parse(), Ok(EventType::PaymentCaptured));
}

#[test]
fn a_valid_event_whose_envelope_guess_is_wrong_decodes_on_the_slow_path() {
    // The customer carries an undeclared `kind` that comes before the top-level one: the
    // fast path's guess reads it, the typed read refuses, and the slow path decodes.
    let text = r#"{"customer":{"kind":"Refund","customerId":"7d9e2b10-4c3a-4f5e-8b6a-1c2d3e4f5a6b","name":"Ada","tier":"standard"},"kind":"OrderPlaced","schemaVersion":"1.1.0","id":"3f0c1f4e-8a2b-4c1d-9e7f-0a1b2c3d4e5f","occurredAt":"2026-04-01T09:30:00Z","orderId":"ORD-000042","lines":[],"channel":"phone","deliverySpeed":"express"}"#;
    let (fast, guess) = Decoder::new().__fast_path(text);
    assert_eq!((fast, guess), (None, (Some("Refund"), Some("1.1.0"))));
    let event = decode(text.as_bytes()).expect("the slow path decodes it");
    let Event::OrderPlaced(order) = &event else {
        panic!("an OrderPlaced decodes as one");
    };
    assert_eq!(order.customer.extra.unknown()["kind"], "Refund");
    assert_eq!(order.delivery_speed, Some(DeliverySpeed::Express));
    assert_eq!(order.channel, Channel::Phone);
    assert!(order.lines.is_empty());
    assert_eq!(decode_parsed(text), Ok(event));
}

#[test]
fn an_invalid_event_lists_every_violation_with_its_pointer() {
    let text = r#"{
      "kind": "OrderPlaced",
      "schemaVersion": "1.1.0",
      "id": "3f0c1f4e-8a2b-4c1d-9e7f-0a1b2c3d4e5f",
      "occurredAt": "yesterday",
      "orderId": "ORD-42",
      "customer": {"customerId": "7d9e2b10-4c3a-4f5e-8b6a-1c2d3e4f5a6b", "name": "", "tier": "silver"},
      "lines": [
        {"sku": "TEA-0042", "quantity": 0, "unitPriceCents": 1250},
        {"sku": "cup", "quantity": 2.5}
      ],
      "deliverySpeed": "overnight"
    }"#;
    let error = decode(text.as_bytes()).unwrap_err();
    assert_eq!(
        violations(&error),
        owned(&[
            ("", "required", r#""channel" is a required property"#),
            (
                "/occurredAt",
                "format",
                r#""yesterday" is not a "date-time""#
            ),
            (
                "/orderId",
                "pattern",
                r#""ORD-42" does not match "^ORD-[0-9]{6}$""#
            ),
            (
                "/customer/name",
                "minLength",
                r#""" is shorter than 1 character"#
            ),
            (
                "/customer/tier",
                "enum",
                r#""silver" is not one of "standard", "gold" or "platinum""#
            ),
            (
                "/lines/0/quantity",
                "minimum",
                "0 is less than the minimum of 1"
            ),
            (
                "/lines/1",
                "required",
                r#""unitPriceCents" is a required property"#
            ),
            (
                "/lines/1/sku",
                "pattern",
                r#""cup" does not match "^[A-Z]{3}-[0-9]{4}$""#
            ),
            (
                "/lines/1/quantity",
                "type",
                r#"2.5 is not of type "integer""#
            ),
            (
                "/deliverySpeed",
                "enum",
                r#""overnight" is not one of "standard" or "express""#
            ),
        ])
    );
    let DecodeError::Invalid {
        event_type,
        version,
        schema_file,
        ..
    } = &error
    else {
        panic!("an invalid event is DecodeError::Invalid: {error:?}");
    };
    assert_eq!(
        (event_type.as_str(), version.as_str(), *schema_file),
        ("OrderPlaced", "1.1.0", "schemas/order-placed/1.1.0.json")
    );
    assert_eq!(
        error.to_string().lines().next(),
        Some("OrderPlaced 1.1.0 is invalid under schemas/order-placed/1.1.0.json (10 violations):")
    );
    assert_eq!(decode_parsed(text), Err(error));
}

#[test]
fn a_newer_minor_is_read_with_the_newest_known_minor_and_keeps_its_version() {
    let text = r#"{"kind":"OrderPlaced","schemaVersion":"1.4.2","id":"3f0c1f4e-8a2b-4c1d-9e7f-0a1b2c3d4e5f","occurredAt":"2026-04-01T09:30:00Z","orderId":"ORD-000042","customer":{"customerId":"7d9e2b10-4c3a-4f5e-8b6a-1c2d3e4f5a6b","name":"Ada","tier":"platinum"},"lines":[],"channel":"web","deliverySpeed":"express","giftMessage":"Enjoy"}"#;
    let Event::OrderPlaced(order) = decode(text.as_bytes()).unwrap() else {
        panic!("an OrderPlaced decodes as one");
    };
    assert_eq!(order.schema_version.as_str(), "1.4.2");
    assert_eq!(order.delivery_speed, Some(DeliverySpeed::Express));
    assert_eq!(order.extra.unknown()["giftMessage"], "Enjoy");
}

#[test]
fn an_older_minor_reads_a_property_added_later_as_unknown() {
    // `deliverySpeed` did not exist in 1.0: a 1.0.3 event that carries one (any value, as
    // 1.0's open object allowed) keeps it as an undeclared property.
    let text = r#"{"kind":"OrderPlaced","schemaVersion":"1.0.3","id":"3f0c1f4e-8a2b-4c1d-9e7f-0a1b2c3d4e5f","occurredAt":"2026-04-01T09:30:00Z","orderId":"ORD-000042","customer":{"customerId":"7d9e2b10-4c3a-4f5e-8b6a-1c2d3e4f5a6b","name":"Ada","tier":"platinum"},"lines":[],"channel":"web","deliverySpeed":"by drone"}"#;
    let Event::OrderPlaced(order) = decode(text.as_bytes()).unwrap() else {
        panic!("an OrderPlaced decodes as one");
    };
    assert_eq!(order.schema_version.as_str(), "1.0.3");
    assert_eq!(order.delivery_speed, None);
    assert_eq!(order.extra.unknown()["deliverySpeed"], "by drone");
}

#[test]
fn a_payment_decodes_with_its_const_discriminator() {
    let text = support::example("payment-captured/examples/1.0.0/valid/full.json");
    let Event::PaymentCaptured(payment) = decode(text.as_bytes()).unwrap() else {
        panic!("a PaymentCaptured decodes as one");
    };
    assert_eq!(*payment.amount.cents.get(), 2500);
    assert_eq!(payment.amount.currency.as_str(), "EUR");
    assert_eq!(payment.method.as_str(), "bankTransfer");
    assert_eq!(
        payment.psp_reference.as_ref().map(|r| r.as_str()),
        Some("PSP-77-ABCDEF")
    );
    assert_eq!(
        payment.occurred_at.to_rfc3339(),
        "2026-04-01T09:31:15.250+00:00"
    );
}
