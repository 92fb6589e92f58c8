//! Upcasting and downcasting the shop's events with the runtime: OrderPlaced 1.0.0 → 1.1.0
//! fills `deliverySpeed` with the schema's default, and the defaults 1.1.0 added inside a
//! union's branch and a map's entries (a plain map's, and those of an object that declares
//! a property and a pattern beside them) where the event takes that branch or has entries;
//! downcasting removes them again.

mod support;

use event_contracts_runtime::serde_json::{json, Value};
use event_contracts_runtime::upcast::StepFn;
use event_contracts_runtime::{
    downcast_to, latest_version, upcast_to, upcast_to_latest, UpcastError,
};
use foreign_shop_events::order_placed::DeliverySpeed;
use foreign_shop_events::{decode, encode_value, Decoder, Event, EventType};

fn decoded(path: &str) -> Event {
    decode(support::example(path).as_bytes()).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn delivery_speed(event: &Event) -> Option<DeliverySpeed> {
    match event {
        Event::OrderPlaced(order) => order.delivery_speed,
        other => panic!("not an OrderPlaced: {other:?}"),
    }
}

#[test]
fn the_history_knows_the_newest_version_of_each_event() {
    assert_eq!(latest_version(EventType::OrderPlaced), Some("1.1.0"));
    assert_eq!(latest_version(EventType::PaymentCaptured), Some("1.0.0"));
}

#[test]
fn upcasting_an_order_fills_the_default_of_the_property_1_1_added() {
    let old = decoded("order-placed/examples/1.0.0/valid/unknown-properties-kept.json");
    let new = upcast_to_latest(&old).unwrap();
    assert_eq!(new.schema_version().as_str(), "1.1.0");
    assert_eq!(delivery_speed(&new), Some(DeliverySpeed::Standard));
    // Everything else, unknown properties included, is as it was.
    let mut expected = encode_value(&old).unwrap();
    expected["schemaVersion"] = "1.1.0".into();
    expected["deliverySpeed"] = "standard".into();
    assert_eq!(encode_value(&new), Ok(expected));
    assert_eq!(upcast_to(&old, "1.1.0"), Ok(new));
}

/// An OrderPlaced 1.0.0 read from JSON, as the decoder reads it.
fn order(value: &Value) -> Event {
    let text = event_contracts_runtime::serde_json::to_string(value).unwrap();
    decode(text.as_bytes()).unwrap_or_else(|e| panic!("{e}: {text}"))
}

#[test]
fn upcasting_fills_defaults_inside_the_branch_an_event_takes_and_in_every_map_entry() {
    let old = decoded("order-placed/examples/1.0.0/valid/paid-and-contactable.json");
    let new = upcast_to_latest(&old).unwrap();
    let mut expected = encode_value(&old).unwrap();
    expected["schemaVersion"] = "1.1.0".into();
    expected["deliverySpeed"] = "standard".into();
    // A card payment: the tagged union's `card` branch added `installments`.
    expected["payment"]["installments"] = 1.into();
    // A phone contact: the untagged union's second branch added `smsAllowed`.
    expected["contact"]["smsAllowed"] = false.into();
    // Every line note got `visibility`, except the one that has its own.
    expected["lineNotes"]["TEA-0042"]["visibility"] = "staff".into();
    assert_eq!(expected["lineNotes"]["POT-0001"]["visibility"], "customer");
    // The preferences' map entries beside their declared `language` and the `x-` pattern:
    // `orders` got `channel`, `offers` keeps its own, `language` and `x-legacy` are not
    // entries.
    expected["customer"]["preferences"]["orders"]["channel"] = "email".into();
    assert_eq!(
        expected["customer"]["preferences"]["offers"]["channel"],
        "sms"
    );
    assert_eq!(
        expected["customer"]["preferences"]["language"],
        json!({"code": "en-GB"})
    );
    assert_eq!(
        expected["customer"]["preferences"]["x-legacy"],
        json!({"source": "crm"})
    );
    assert_eq!(encode_value(&new), Ok(expected));
    // Downcasting removes exactly those defaults again.
    assert_eq!(downcast_to(&new, "1.0.0"), Ok(old));
}

#[test]
fn a_default_of_one_union_branch_is_not_filled_into_another() {
    let mut value = encode_value(&decoded(
        "order-placed/examples/1.0.0/valid/paid-and-contactable.json",
    ))
    .unwrap();
    // A voucher, not a card; a contact with both an email and a phone, which takes the
    // first branch that fits (email), not the phone branch.
    value["payment"] = json!({"method": "voucher", "code": "SPRING-26"});
    value["contact"] = json!({"email": "ada@example.com", "phone": "+44 20 7946 0000"});
    value["lineNotes"] = json!({});
    let old = order(&value);
    let new = upcast_to_latest(&old).unwrap();
    let mut expected = value.clone();
    expected["schemaVersion"] = "1.1.0".into();
    expected["deliverySpeed"] = "standard".into();
    expected["customer"]["preferences"]["orders"]["channel"] = "email".into();
    assert_eq!(encode_value(&new), Ok(expected));
    assert_eq!(downcast_to(&new, "1.0.0"), Ok(old));
}

#[test]
fn downcasting_keeps_branch_and_entry_values_other_than_their_defaults() {
    let mut value = encode_value(&decoded(
        "order-placed/examples/1.0.0/valid/paid-and-contactable.json",
    ))
    .unwrap();
    value["schemaVersion"] = "1.1.0".into();
    value["deliverySpeed"] = "express".into();
    value["payment"]["installments"] = 6.into();
    value["contact"]["smsAllowed"] = true.into();
    value["lineNotes"]["TEA-0042"]["visibility"] = "customer".into();
    value["customer"]["preferences"]["orders"]["channel"] = "sms".into();
    let new = order(&value);
    let old = downcast_to(&new, "1.0.0").unwrap();
    let mut expected = value.clone();
    expected["schemaVersion"] = "1.0.0".into();
    // They stay, as properties 1.0.0 does not declare; nothing is lost.
    assert_eq!(encode_value(&old), Ok(expected));
    assert_eq!(upcast_to_latest(&old), Ok(new));
}

#[test]
fn downcasting_removes_the_default_and_gives_back_the_old_event() {
    let old = decoded("order-placed/examples/1.0.0/valid/minimal.json");
    let new = upcast_to_latest(&old).unwrap();
    assert_eq!(downcast_to(&new, "1.0.0"), Ok(old));
}

#[test]
fn downcasting_keeps_a_value_other_than_the_default() {
    let express = decoded("order-placed/examples/1.1.0/valid/full.json");
    assert_eq!(delivery_speed(&express), Some(DeliverySpeed::Express));
    let old = downcast_to(&express, "1.0.0").unwrap();
    assert_eq!(old.schema_version().as_str(), "1.0.0");
    // 1.0 did not declare it: it is kept as an unknown property, so nothing is lost ...
    assert_eq!(delivery_speed(&old), None);
    let Event::OrderPlaced(order) = &old else {
        unreachable!()
    };
    assert_eq!(order.extra.unknown()["deliverySpeed"], "express");
    // ... and upcasting again gives back the event it came from.
    assert_eq!(upcast_to_latest(&old), Ok(express));
}

#[test]
fn an_event_at_its_newest_version_upcasts_to_itself() {
    let payment = decoded("payment-captured/examples/1.0.0/valid/full.json");
    assert_eq!(upcast_to_latest(&payment).as_ref(), Ok(&payment));
    let order = decoded("order-placed/examples/1.1.0/valid/minimal.json");
    assert_eq!(upcast_to_latest(&order).as_ref(), Ok(&order));
    // A newer minor than this build knows is already at least the newest: left as it is.
    let text = support::example("order-placed/examples/1.1.0/valid/minimal.json")
        .replace(r#""schemaVersion": "1.1.0""#, r#""schemaVersion": "1.3.0""#);
    let newer = decode(text.as_bytes()).unwrap();
    assert_eq!(newer.schema_version().as_str(), "1.3.0");
    assert_eq!(upcast_to_latest(&newer).as_ref(), Ok(&newer));
}

#[test]
fn upcasting_and_downcasting_refuse_the_wrong_targets() {
    let old = decoded("order-placed/examples/1.0.0/valid/minimal.json");
    let new = upcast_to_latest(&old).unwrap();
    assert_eq!(
        upcast_to(&new, "1.0.0"),
        Err(UpcastError::WrongDirection {
            operation: "upcast",
            event_type: "OrderPlaced",
            from: "1.1.0".to_owned(),
            to: "1.0.0".to_owned(),
            relation: "older than",
            instead: "downcast_to",
        })
    );
    assert_eq!(
        upcast_to(&old, "1.2.0"),
        Err(UpcastError::UnknownVersion {
            event_type: "OrderPlaced",
            version: "1.2.0".to_owned(),
            known: vec!["1.0.0", "1.1.0"],
        })
    );
    assert_eq!(
        downcast_to(&new, "0.9.0"),
        Err(UpcastError::UnknownVersion {
            event_type: "OrderPlaced",
            version: "0.9.0".to_owned(),
            known: vec!["1.0.0", "1.1.0"],
        })
    );
    assert_eq!(
        upcast_to(&old, "1.1"),
        Err(UpcastError::BadVersion {
            version: "1.1".to_owned()
        })
    );
}

#[test]
fn an_upcast_event_is_valid_under_the_newer_schema() {
    // Upcasting decodes its result, which validates it: the default is an allowed value.
    for path in [
        "order-placed/examples/1.0.0/valid/full.json",
        "order-placed/examples/1.0.0/valid/non-canonical-spellings.json",
    ] {
        let new = upcast_to_latest(&decoded(path)).unwrap();
        let text = encode_value(&new).unwrap().to_string();
        assert_eq!(
            Decoder::new().decode(text.as_bytes()).as_ref(),
            Ok(&new),
            "{path}"
        );
    }
}

/// A step across majors as a crate with a second major writes it in its `upcasters` module:
/// with the runtime's `serde_json`, and no dependency of its own.
fn order_placed_1_1_0_to_2_0_0(mut event: Value) -> Result<Value, UpcastError> {
    let object = event
        .as_object_mut()
        .ok_or_else(|| UpcastError::step("order_placed_1_1_0_to_2_0_0", "not an object"))?;
    let speed = object
        .remove("deliverySpeed")
        .unwrap_or_else(|| json!("standard"));
    object.insert("delivery".to_owned(), json!({ "speed": speed }));
    object.insert("schemaVersion".to_owned(), json!("2.0.0"));
    Ok(event)
}

#[test]
fn a_step_between_majors_needs_only_the_runtime() {
    let step: StepFn = order_placed_1_1_0_to_2_0_0;
    let order =
        upcast_to_latest(&decoded("order-placed/examples/1.0.0/valid/minimal.json")).unwrap();
    let moved = step(encode_value(&order).unwrap()).unwrap();
    assert_eq!(moved["delivery"], json!({ "speed": "standard" }));
    assert_eq!(moved["schemaVersion"], "2.0.0");
    assert_eq!(moved.get("deliverySpeed"), None);
    assert_eq!(moved["orderId"], "ORD-000042");
    assert_eq!(
        step(json!(["not", "an", "event"])),
        Err(UpcastError::Step {
            step: "order_placed_1_1_0_to_2_0_0".to_owned(),
            message: "not an object".to_owned(),
        })
    );
}
