//! Building the shop's events in Rust: builders fill the envelope the build script named,
//! check every constraint, and list every problem at once.

use event_contracts_runtime::BuildError;
use foreign_shop_events::order_placed::{
    Channel, Customer, CustomerTier, DeliverySpeed, LinesItem, OrderPlaced,
};
use foreign_shop_events::payment_captured::{Amount, AmountCurrency, Method, PaymentCaptured};
use foreign_shop_events::{decode, encode, encode_value, Event};

fn line(sku: &str, quantity: u64, unit_price_cents: u64) -> LinesItem {
    LinesItem::builder()
        .sku(sku)
        .quantity(quantity)
        .unit_price_cents(unit_price_cents)
        .build()
        .unwrap_or_else(|e| panic!("{e}"))
}

fn order() -> OrderPlaced {
    OrderPlaced::builder()
        .order_id("ORD-000042")
        .customer(
            Customer::builder()
                .customer_id("7d9e2b10-4c3a-4f5e-8b6a-1c2d3e4f5a6b")
                .name("Ada Lovelace")
                .tier(CustomerTier::Platinum),
        )
        .lines(vec![line("TEA-0042", 2, 1250), line("CUP-0007", 1, 0)])
        .channel(Channel::Web)
        .delivery_speed(DeliverySpeed::Express)
        .build()
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn a_builder_fills_kind_schema_version_id_and_occurred_at() {
    let before = std::time::SystemTime::now();
    let order = order();
    assert_eq!(order.schema_version.as_str(), "1.1.0");
    assert_eq!(order.id.get_version_num(), 4, "a new v4 UUID");
    let built_at = std::time::SystemTime::from(order.occurred_at);
    assert!(built_at >= before && built_at <= std::time::SystemTime::now());
    let value = encode_value(&Event::from(order.clone())).unwrap();
    assert_eq!(value["kind"], "OrderPlaced");
    assert_eq!(value["schemaVersion"], "1.1.0");
    assert_eq!(value["id"], order.id.to_string().as_str());
    assert_eq!(value["deliverySpeed"], "express");
    assert_eq!(value["lines"][1]["sku"], "CUP-0007");
    // No envelope field the product has.
    for absent in [
        "eventType",
        "version",
        "eventId",
        "timestamp",
        "source",
        "userId",
    ] {
        assert!(value.get(absent).is_none(), "{absent}");
    }
}

#[test]
fn a_built_event_encodes_and_decodes_back_to_itself() {
    let event = Event::from(order());
    assert_eq!(decode(&encode(&event).unwrap()), Ok(event));
    let payment = PaymentCaptured::builder()
        .order_id("ORD-000042")
        .amount(
            Amount::builder()
                .cents(2500u64)
                .currency(AmountCurrency::EUR),
        )
        .method(Method::BankTransfer)
        .psp_reference("PSP-77-ABCDEF")
        .build()
        .unwrap();
    let event = Event::from(payment);
    assert_eq!(decode(&encode(&event).unwrap()), Ok(event));
}

#[test]
fn a_builder_lists_every_missing_and_invalid_field_at_once() {
    let error = OrderPlaced::builder()
        .order_id("ORD-42")
        .customer(
            Customer::builder()
                .customer_id("7d9e2b10-4c3a-4f5e-8b6a-1c2d3e4f5a6b")
                .name("")
                .tier("silver"),
        )
        .build()
        .unwrap_err();
    assert_eq!(
        error,
        BuildError {
            type_name: "OrderPlaced",
            problems: vec![
                (
                    "orderId",
                    r#""ORD-42" does not match the pattern "^ORD-[0-9]{6}$" (JSON Schema keyword `pattern`)"#
                        .to_owned()
                ),
                (
                    "customer",
                    concat!(
                        "cannot build OrderPlaced.customer: ",
                        "`name`: the string has 0 characters; at least 1 are required (JSON Schema keyword `minLength`); ",
                        r#"`tier`: "silver" is not one of "standard", "gold", "platinum" (JSON Schema keyword `enum`)"#
                    )
                    .to_owned()
                ),
                ("lines", "is required but was not set".to_owned()),
                ("channel", "is required but was not set".to_owned()),
            ],
        }
    );
}

#[test]
fn an_array_item_builder_checks_its_pattern_and_bounds() {
    let error = LinesItem::builder()
        .sku("tea")
        .quantity(1000u64)
        .build()
        .unwrap_err();
    assert_eq!(
        error.problems,
        [
            (
                "sku",
                r#""tea" does not match the pattern "^[A-Z]{3}-[0-9]{4}$" (JSON Schema keyword `pattern`)"#
                    .to_owned()
            ),
            (
                "quantity",
                "1000 is greater than the maximum 999 (JSON Schema keyword `maximum`)".to_owned()
            ),
            ("unitPriceCents", "is required but was not set".to_owned()),
        ]
    );
}

#[test]
fn a_payment_builder_checks_the_amount_bounds() {
    let error = PaymentCaptured::builder()
        .order_id("ORD-000042")
        .amount(Amount::builder().cents(0u64).currency("EUR"))
        .method("cash")
        .psp_reference("short")
        .build()
        .unwrap_err();
    assert_eq!(error.type_name, "PaymentCaptured");
    assert_eq!(
        error.to_string(),
        concat!(
            "cannot build PaymentCaptured: ",
            "`amount`: cannot build PaymentCaptured.amount: `cents`: 0 is less than the minimum 1 (JSON Schema keyword `minimum`); ",
            r#"`method`: "cash" is not one of "card", "bankTransfer", "voucher" (JSON Schema keyword `enum`); "#,
            "`pspReference`: the string has 5 characters; at least 8 are required (JSON Schema keyword `minLength`)"
        )
    );
}
