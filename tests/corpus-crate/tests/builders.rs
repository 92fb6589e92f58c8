//! Builders of the generated types: structs, union variants (`From`), map entries
//! (`entry`), nullable fields; `build` reports every problem at once, and what it builds
//! encodes to the JSON the schema describes.

use event_contracts_corpus_crate::account_updated::{Account, AccountPlan, AccountStatus};
use event_contracts_corpus_crate::common::{
    Address, Money, MoneyCurrency, Subject, SubjectKind, Trace,
};
use event_contracts_corpus_crate::message_posted::{
    Channel, ChannelChannel, Image, ImageKind, ImageSize, ImageSize0, Message, MessagePosted, Poll,
    PollKind, Recipient, ReplyTo, ReplyToNumber, Text, TextKind,
};
use event_contracts_corpus_crate::order_placed::{
    Customer, CustomerLoyaltyTier, Line, LineDiscount, Order, OrderLabels, OrderLabelsChannel,
    OrderPlaced, OrderPriority, StockLevel,
};
use event_contracts_corpus_crate::reading_recorded::{Point, ReadingRecorded, Samples, Window};
use event_contracts_corpus_crate::{decode, encode, ShopEvent};
use event_contracts_runtime::__private::chrono::{DateTime, Utc};
use event_contracts_runtime::__private::uuid::Uuid;
use event_contracts_runtime::__private::IndexMap;
use event_contracts_runtime::BuildError;
use serde_json::{json, Value};

fn id(text: &str) -> Uuid {
    text.parse().expect("a UUID")
}

fn at(text: &str) -> DateTime<Utc> {
    text.parse().expect("a date-time")
}

fn euros(amount: i64) -> Money {
    Money::builder()
        .amount(amount)
        .currency(MoneyCurrency::EUR)
        .build()
        .unwrap_or_else(|e| panic!("{e}"))
}

fn subject() -> Subject {
    Subject::builder()
        .id(id("5f2b8c1e-0d3a-4b7c-9e6f-1a2b3c4d5e6f"))
        .kind(SubjectKind::Order)
        .build()
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Encodes and decodes `event`: the JSON it wrote, and that it read back the same event.
fn round_trip(event: ShopEvent) -> Value {
    let bytes = encode(&event).unwrap_or_else(|e| panic!("encode refuses a built event: {e}"));
    let again = decode(&bytes).unwrap_or_else(|e| panic!("decode refuses what encode wrote: {e}"));
    assert_eq!(again, event);
    serde_json::from_slice(&bytes).expect("JSON")
}

fn author() -> event_contracts_corpus_crate::common::Actor {
    built(
        event_contracts_corpus_crate::common::Actor::builder()
            .id(id("9c0d1e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f"))
            .email("dee@example.com")
            .build(),
    )
}

fn built<T>(result: Result<T, BuildError>) -> T {
    result.unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn an_order_is_built_from_its_parts() {
    let customer = built(
        Customer::builder()
            .id(id("9c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f"))
            .email("ada@example.com")
            .loyalty_tier(CustomerLoyaltyTier::Silver)
            .build(),
    );
    let line = built(
        Line::builder()
            .sku("BOOK-0001")
            .quantity(2u64)
            .unit_price(euros(1250))
            .discount(Some(built_discount(0.25)))
            .build(),
    );
    let labels = built(
        OrderLabels::builder()
            .channel(OrderLabelsChannel::App)
            .entry("campaign", "spring")
            .entry("cohort", "b".to_owned())
            .build(),
    );
    let stock: IndexMap<StockLevel> = [(
        "LON-1".to_owned(),
        built(StockLevel::builder().available(3u64).build()),
    )]
    .into_iter()
    .collect();
    let order = built(
        Order::builder()
            .customer(customer)
            .lines(vec![line])
            .total(euros(2500))
            .shipping_address(None::<Address>)
            .billing_address(None::<Address>)
            .note(Some("leave at the door".to_owned()))
            .priority(OrderPriority::V3)
            .labels(labels)
            .stock(stock)
            .build(),
    );
    let event = built(
        OrderPlaced::builder()
            .occurred_at(at("2026-03-01T12:00:00Z"))
            .source("orders-1.example")
            .trace(None::<Trace>)
            .subject(subject())
            .order(order)
            .build(),
    );
    let json = round_trip(ShopEvent::OrderPlaced(event.clone()));
    assert_eq!(json["type"], "OrderPlaced");
    assert_eq!(json["version"], "1.0.0");
    assert_eq!(json["eventId"], event.event_id.to_string());
    assert_eq!(json["trace"], Value::Null);
    assert_eq!(
        json["order"],
        json!({
            "customer": {"id": "9c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f", "email": "ada@example.com", "loyaltyTier": "silver"},
            "lines": [{"sku": "BOOK-0001", "quantity": 2, "unitPrice": {"amount": 1250, "currency": "EUR"}, "discount": 0.25}],
            "total": {"amount": 2500, "currency": "EUR"},
            "shippingAddress": null,
            "billingAddress": null,
            "note": "leave at the door",
            "priority": 3,
            "labels": {"channel": "app", "campaign": "spring", "cohort": "b"},
            "stock": {"LON-1": {"available": 3}}
        })
    );
}

fn built_discount(value: f64) -> LineDiscount {
    LineDiscount::try_from(value).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn union_variants_convert_into_their_union() {
    let text = built(Text::builder().kind(TextKind::Text).body("hi").build());
    let poll = built(
        Poll::builder()
            .kind(PollKind::Poll)
            .question("Tea or coffee?")
            .options(vec![
                "tea".try_into().expect("an option"),
                "coffee".try_into().expect("an option"),
            ])
            .build(),
    );
    let channel = built(
        Channel::builder()
            .channel(ChannelChannel::try_from("#general").expect("a channel"))
            .thread(Some(7u64.try_into().expect("a thread")))
            .build(),
    );
    assert_eq!(Message::from(poll.clone()), Message::Poll(poll));
    let author = author();
    let event = built(
        MessagePosted::builder()
            .occurred_at(at("2026-04-10T09:15:00Z"))
            .subject(subject())
            .author(author)
            .message(text)
            .recipient(channel)
            .reply_to(ReplyToNumber::try_from(3.5).expect("a half step"))
            .build(),
    );
    assert!(matches!(event.recipient, Some(Recipient::Channel(_))));
    assert!(matches!(event.reply_to, Some(ReplyTo::Number(_))));
    let json = round_trip(ShopEvent::MessagePosted(event));
    assert_eq!(json["message"], json!({"kind": "text", "body": "hi"}));
    assert_eq!(
        json["recipient"],
        json!({"channel": "#general", "thread": 7})
    );
    assert_eq!(json["replyTo"], json!(3.5));
}

/// A tuple field is set with its tuple struct, whose items convert from plain values.
#[test]
fn a_tuple_is_built_from_its_items() {
    let size = ImageSize(
        640u64.try_into().expect("a width"),
        480u64.try_into().expect("a height"),
    );
    // Each item is checked as it is made: `minimum: 1`.
    assert!(ImageSize0::try_from(0u64).is_err());
    let image = built(
        Image::builder()
            .kind(ImageKind::Image)
            .url("https://cdn.example.com/i/1.png")
            .size(size)
            .build(),
    );
    let author = author();
    let event = built(
        MessagePosted::builder()
            .occurred_at(at("2026-04-10T09:15:00Z"))
            .subject(subject())
            .author(author)
            .message(image)
            .build(),
    );
    let json = round_trip(ShopEvent::MessagePosted(event));
    assert_eq!(json["message"]["size"], json!([640, 480]));
}

/// A tuple with items after its list is built from its `Vec`; the number of items, which
/// Rust does not hold, is checked by `build` against `minItems`/`maxItems`.
#[test]
fn tuples_are_counted_and_checked_when_built() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/schemas/reading-recorded/examples/1.0.0/valid/minimal.json"
    ))
    .expect("the example");
    let ShopEvent::ReadingRecorded(example) = decode(text.as_bytes()).expect("valid") else {
        panic!("a ReadingRecorded");
    };
    let start = at("2026-06-01T09:00:00Z");
    // The example's required members, with these samples: a builder to finish.
    let with_samples = |samples: Samples| {
        ReadingRecorded::builder()
            .occurred_at(example.occurred_at)
            .source(example.source.clone())
            .subject(example.subject.clone())
            .device(example.device.clone())
            .position(example.position.clone())
            .status(example.status)
            .samples(samples)
    };
    let build = |samples: Samples| with_samples(samples).build();
    let problems = |samples: Samples| match build(samples) {
        Ok(_) => Vec::new(),
        Err(error) => error.problems,
    };
    assert_eq!(
        problems(Samples(start, vec![])),
        [(
            "",
            "/samples: [\"2026-06-01T09:00:00Z\"] has less than 2 items (minItems)".to_owned()
        )]
    );
    assert_eq!(
        problems(Samples(start, vec![0.5; 64])),
        [(
            "",
            "/samples: value has more than 64 items (maxItems)".to_owned()
        )]
    );
    for count in [1, 63] {
        let event = build(Samples(start, vec![0.5; count])).expect("within the bounds");
        let json = round_trip(ShopEvent::ReadingRecorded(event));
        assert_eq!(json["samples"].as_array().map(Vec::len), Some(count + 1));
    }
    // A tuple of two objects that must differ (`uniqueItems`): checked when built.
    let point = |value: f64| Point {
        at: start,
        value,
        extra: Default::default(),
    };
    let with_window = |window: Window| {
        with_samples(Samples(start, vec![0.5]))
            .window(window)
            .build()
            .map(|_| ())
            .map_err(|e| e.problems)
    };
    assert_eq!(with_window(Window(point(1.0), point(2.0))), Ok(()));
    assert_eq!(
        with_window(Window(point(1.0), point(1.0))),
        Err(vec![(
            "",
            "/window: value has non-unique elements (uniqueItems)".to_owned()
        )])
    );
}

#[test]
fn build_lists_every_problem_of_the_fields() {
    let error = Line::builder()
        .sku("lower-case")
        .quantity(0u64)
        .discount(Some(built_discount(0.5)))
        .build()
        .expect_err("three problems");
    let problems: Vec<(&str, &str)> = error
        .problems
        .iter()
        .map(|(field, problem)| (*field, problem.as_str()))
        .collect();
    assert_eq!(
        problems,
        [
            (
                "sku",
                "\"lower-case\" does not match the pattern \"^[A-Z0-9-]{3,20}$\" (JSON Schema keyword `pattern`)"
            ),
            ("quantity", "0 is less than the minimum 1 (JSON Schema keyword `minimum`)"),
            ("unitPrice", "is required but was not set"),
        ]
    );
    let error = OrderLabels::builder()
        .channel(OrderLabelsChannel::Web)
        .entry("ok", "short")
        .entry("campaign", "x".repeat(33))
        .build()
        .expect_err("a value too long");
    assert_eq!(
        error.to_string(),
        "cannot build OrderPlaced/definitions/order.labels: `(additional property)`: \"campaign\": the string has 33 characters; at most 32 are allowed (JSON Schema keyword `maxLength`)"
    );
}

#[test]
fn build_checks_what_the_fields_cannot_say() {
    // `if plan is enterprise then seats is required`: no field's type says it, the
    // subschema check of `build` does.
    let error = Account::builder()
        .id(id("7e8f9a0b-1c2d-4e3f-8a4b-5c6d7e8f9a0b"))
        .plan(AccountPlan::Enterprise)
        .status(AccountStatus::Active)
        .build()
        .expect_err("seats are required");
    assert_eq!(
        error.to_string(),
        "cannot build AccountUpdated/definitions/account: /: \"seats\" is a required property (required)"
    );
    let error = Order::builder()
        .customer(built(
            Customer::builder()
                .id(id("9c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f"))
                .email("ada@example.com")
                .loyalty_tier(CustomerLoyaltyTier::Gold)
                .build(),
        ))
        .lines(Vec::new())
        .total(euros(0))
        .shipping_address(None::<Address>)
        .note(None::<String>)
        .priority(OrderPriority::V1)
        .build()
        .expect_err("an order has a line");
    assert_eq!(
        error.to_string(),
        "cannot build OrderPlaced/definitions/order: /lines: [] has less than 1 item (minItems)"
    );
}
