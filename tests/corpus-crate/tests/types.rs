//! The generated Rust is what a user of these schemas wants: unions matched by variant
//! name, nullable fields that keep an absent property apart from `null`, maps to iterate,
//! a boxed tree, literal enums, merged `allOf` structs; and builders for structs, union
//! variants and map entries that report every problem.
//!
//! Functions that take `&T` pin the generated types: if the generator made another type,
//! this file would not compile.

mod support;

use event_contracts_corpus_crate::catalog_restructured::{CatalogRestructured, Category};
use event_contracts_corpus_crate::common::{Address, Money, MoneyCurrency, Trace};
use event_contracts_corpus_crate::message_posted::{
    Attachment, Channel, Message, MessagePosted, Recipient, ReplyTo, TextKind,
};
use event_contracts_corpus_crate::order_placed::{
    Customer, CustomerLoyaltyTier, Line, OrderCouponCode, OrderGiftWrap, OrderLabels,
    OrderLabelsChannel, OrderPlaced, OrderPriority, OrderRating, StockLevel,
};
use event_contracts_corpus_crate::reading_recorded::{
    DeviceAddress, Level, Reading, ReadingRecorded, Status,
};
use event_contracts_corpus_crate::{decode, encode, ShopEvent};
use event_contracts_runtime::__private::IndexMap;
use serde_json::{json, Value};

fn decoded(rel: &str) -> ShopEvent {
    let event = support::example(rel);
    let bytes = serde_json::to_vec(&event).expect("JSON");
    decode(&bytes).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn order(rel: &str) -> OrderPlaced {
    match decoded(&format!("order-placed/examples/1.0.0/valid/{rel}.json")) {
        ShopEvent::OrderPlaced(e) => e,
        other => panic!("{rel} is {:?}", other.event_type()),
    }
}

fn message(rel: &str) -> MessagePosted {
    match decoded(&format!("message-posted/examples/1.0.0/valid/{rel}.json")) {
        ShopEvent::MessagePosted(e) => e,
        other => panic!("{rel} is {:?}", other.event_type()),
    }
}

fn reading(rel: &str) -> ReadingRecorded {
    match decoded(&format!("reading-recorded/examples/1.0.0/valid/{rel}.json")) {
        ShopEvent::ReadingRecorded(e) => e,
        other => panic!("{rel} is {:?}", other.event_type()),
    }
}

/// An optional nullable property: absent, `null`, or a value.
fn optional_nullable<T>(_: &Option<Option<T>>) {}
/// A required nullable property: `null` or a value.
fn required_nullable<T>(_: &Option<T>) {}

#[test]
fn a_tagged_union_is_matched_by_variant_name() {
    let text = message("text-to-email");
    let Message::Text(t) = &text.message else {
        panic!("not a text: {:?}", text.message)
    };
    assert_eq!(t.kind, TextKind::Text);
    assert_eq!(t.body.as_str(), "Lunch at noon?");
    let mentions: Vec<&str> = t.mentions.iter().flatten().map(|m| m.as_str()).collect();
    assert_eq!(mentions, ["eve@example.com", "fay@example.com"]);

    let image = message("image-to-channel");
    match &image.message {
        Message::Image(i) => {
            assert_eq!(i.url.as_str(), "https://cdn.example.com/i/42.png");
            optional_nullable(&i.alt);
            assert_eq!(i.alt, Some(None));
            // A tuple is a tuple struct of its items' types, each item's spelling kept.
            assert_eq!((*i.size.0.get(), *i.size.1.get()), (640, 480));
            let encoded: Value = serde_json::from_slice(
                &encode(&ShopEvent::MessagePosted(image.clone())).expect("encodes"),
            )
            .expect("JSON");
            assert_eq!(encoded["message"]["size"], json!([640, 480.0]));
            assert_eq!(encoded["message"]["size"].to_string(), "[640,480.0]");
        }
        other => panic!("not an image: {other:?}"),
    }
    let poll = message("poll-to-user-id");
    let Message::Poll(p) = &poll.message else {
        panic!("not a poll")
    };
    let options: Vec<&str> = p.options.iter().map(|o| o.as_str()).collect();
    assert_eq!(options, ["Here", "There", "Anywhere"]);
    // A member the variant does not declare is kept.
    assert_eq!(p.extra.unknown().get("anonymous"), Some(&json!(true)));
    assert!(matches!(message("reaction").message, Message::Reaction(_)));
}

#[test]
fn an_untagged_union_takes_the_first_branch_that_accepts_the_value() {
    let to_email = message("text-to-email");
    let Some(Recipient::String(email)) = &to_email.recipient else {
        panic!("{:?}", to_email.recipient)
    };
    assert_eq!(email.as_str(), "gus@example.com");
    let to_channel = message("image-to-channel");
    let Some(Recipient::Channel(channel)) = &to_channel.recipient else {
        panic!("{:?}", to_channel.recipient)
    };
    let _: &Channel = channel;
    assert_eq!(channel.channel.as_str(), "#general");
    assert_eq!(channel.thread, Some(None));
    let to_user = message("poll-to-user-id");
    let Some(Recipient::Integer(id)) = &to_user.recipient else {
        panic!("{:?}", to_user.recipient)
    };
    assert_eq!(*id.get(), 42);
    // Both branches accept a file with a link: anyOf takes the first, the file.
    let Some(Attachment::File(file)) = &to_user.attachment else {
        panic!("{:?}", to_user.attachment)
    };
    assert_eq!(file.file_name.as_str(), "agenda.pdf");
    assert_eq!(
        file.extra.unknown().get("href"),
        Some(&json!("https://example.com/agenda.pdf"))
    );
    let Some(Attachment::Link(link)) = &message("reaction").attachment else {
        panic!("not a link")
    };
    assert_eq!(link.href.as_str(), "mailto:x@example.com");
    // oneOf of an integer and a half-step number: 2.5 fits only the second.
    assert!(matches!(to_user.reply_to, Some(ReplyTo::Number(n)) if *n.get() == 2.5));
    assert!(matches!(to_channel.reply_to, Some(ReplyTo::Integer(17))));
    // A union of two string formats.
    let full = reading("full");
    assert!(
        matches!(&full.device.address, DeviceAddress::String2(a) if a.as_str() == "2001:db8::12")
    );
    assert!(
        matches!(&reading("minimal").device.address, DeviceAddress::String(a) if a.as_str() == "10.0.0.7")
    );
    // A tuple with items after its list: the start time, then the values, in a `Vec`,
    // written back as they were spelled (`22`, `0.0`, `1e2`).
    assert_eq!(full.samples.1, [21.5, 21.75, 22.0]);
    assert_eq!(full.samples.0.to_rfc3339(), "2026-06-01T09:59:00+00:00");
    for (name, spelled) in [
        ("full", r#"["2026-06-01T09:59:00Z",21.5,21.75,22]"#),
        ("integer-reading", r#"["2026-06-01T09:00:00Z",-4,0.0]"#),
        ("minimal", r#"["2026-06-01T09:00:00.5Z",1e2]"#),
    ] {
        let event = ShopEvent::ReadingRecorded(reading(name));
        let json: Value = serde_json::from_slice(&encode(&event).expect("encodes")).expect("JSON");
        let expected: Value = serde_json::from_str(spelled).expect("JSON");
        assert_eq!(json["samples"].to_string(), expected.to_string(), "{name}");
    }
    // A tuple of two objects: each item its own struct, its time's spelling kept.
    let window = full.window.as_ref().expect("full has a window");
    assert_eq!((window.0.value, window.1.value), (21.5, 22.0));
    assert_eq!(window.1.at.to_rfc3339(), "2026-06-01T09:59:45.500+00:00");
    let event = ShopEvent::ReadingRecorded(full.clone());
    let json: Value = serde_json::from_slice(&encode(&event).expect("encodes")).expect("JSON");
    assert_eq!(
        json["window"],
        json!([{"at": "2026-06-01T09:59:00Z", "value": 21.5}, {"at": "2026-06-01T09:59:45.5+00:00", "value": 22}])
    );
}

#[test]
fn nullable_properties_keep_absent_apart_from_null() {
    let full = order("full");
    let minimal = order("minimal-digital");
    let spelled = order("spellings-kept");
    // Required and nullable: `Option<T>`.
    required_nullable::<Trace>(&full.trace);
    required_nullable::<Address>(&full.order.shipping_address);
    required_nullable::<String>(&full.order.note);
    assert_eq!(minimal.trace, None);
    assert_eq!(
        full.trace.as_ref().map(|t| t.trace_id.as_str()),
        Some("4bf92f3577b34da6a3ce929d0e0e4736")
    );
    assert_eq!(minimal.order.shipping_address, None);
    assert_eq!(
        full.order
            .shipping_address
            .as_ref()
            .map(|a| a.city.as_str()),
        Some("London")
    );
    assert_eq!(full.order.note, None);
    assert_eq!(spelled.order.note.as_deref(), Some(""));
    // Optional and nullable: `Option<Option<T>>`, from a type list and from a oneOf.
    optional_nullable::<OrderCouponCode>(&full.order.coupon_code);
    optional_nullable::<Address>(&full.order.billing_address);
    assert_eq!(
        full.order
            .coupon_code
            .as_ref()
            .map(|c| c.as_ref().map(|c| c.as_str())),
        Some(Some("SPRING26"))
    );
    assert_eq!(spelled.order.coupon_code, Some(None));
    assert_eq!(minimal.order.coupon_code, None);
    assert_eq!(full.order.billing_address, Some(None));
    assert_eq!(minimal.order.billing_address, None);
    assert!(matches!(&spelled.order.billing_address, Some(Some(a)) if a.city.as_str() == "York"));
    // Inside a shared type too.
    let address: &Address = full.order.shipping_address.as_ref().expect("an address");
    assert_eq!(address.line2, Some(None));
    let lines: &Vec<Line> = &full.order.lines;
    let discounts: Vec<Option<Option<f64>>> = lines
        .iter()
        .map(|l| l.discount.as_ref().map(|d| d.as_ref().map(|d| *d.get())))
        .collect();
    assert_eq!(discounts, [Some(Some(0.1)), Some(None)]);
    // A type list with null and two other types: a nullable union.
    let readings: Vec<Option<Option<Reading>>> = ["full", "minimal", "integer-reading"]
        .iter()
        .map(|r| reading(r).reading)
        .collect();
    assert!(matches!(&readings[0], Some(Some(Reading::String(s))) if s.as_str() == "overflow"));
    assert_eq!(readings[1], Some(None));
    assert_eq!(readings[2], Some(Some(Reading::Integer(12))));
}

#[test]
fn maps_iterate_in_the_order_they_were_sent() {
    let full = order("full");
    let stock: &IndexMap<StockLevel> = full.order.stock.as_ref().expect("stock");
    let levels: Vec<(&str, u64, Option<u64>)> = stock
        .iter()
        .map(|(code, level)| (code.as_str(), level.available, level.reserved))
        .collect();
    assert_eq!(levels, [("LON-1", 12, Some(2)), ("BER-2", 0, None)]);
    let tags: &IndexMap<String> = full.order.tags.as_ref().expect("tags");
    let tags: Vec<(&str, &str)> = tags.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(tags, [("gift", "yes"), ("", "empty key")]);
    // Declared properties beside a typed map of the others.
    let labels: &OrderLabels = full.order.labels.as_ref().expect("labels");
    assert_eq!(labels.channel, Some(OrderLabelsChannel::Web));
    let others: Vec<(&str, &str)> = labels
        .additional_properties
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(others, [("campaign", "spring")]);
    let attributes = full.order.attributes.as_ref().expect("attributes");
    let keys: Vec<&String> = attributes.additional_properties.keys().collect();
    assert_eq!(keys, ["weight", "fragile", "origin"]);
    let reactions = message("text-to-email").reactions.expect("reactions");
    assert_eq!(
        reactions.into_iter().collect::<Vec<_>>(),
        [("thumbsup".to_owned(), 3), ("tada".to_owned(), 0)]
    );
}

/// Every category of a tree, depth first, with its depth.
fn walk<'c>(category: &'c Category, depth: usize, out: &mut Vec<(usize, &'c str)>) {
    out.push((depth, category.slug.as_str()));
    let children: &Vec<Box<Category>> = &category.children;
    for child in children {
        walk(child, depth + 1, out);
    }
}

#[test]
fn the_category_tree_is_boxed() {
    let ShopEvent::CatalogRestructured(event) =
        decoded("catalog-restructured/examples/1.0.0/valid/tree.json")
    else {
        panic!("not a catalog event")
    };
    let event: CatalogRestructured = event;
    let mut slugs = Vec::new();
    walk(&event.root, 0, &mut slugs);
    assert_eq!(
        slugs,
        [
            (0, "all"),
            (1, "books"),
            (2, "sci-fi"),
            (2, "poetry"),
            (1, "garden")
        ]
    );
    let books = &event.root.children[0];
    let featured: &Option<Option<Box<Category>>> = &books.featured;
    assert!(matches!(featured, Some(Some(c)) if c.slug.as_str() == "new-in"));
    assert_eq!(books.children[1].featured, Some(None));
    let names: Vec<(&str, &str)> = event
        .root
        .name
        .iter()
        .map(|(lang, name)| (lang.as_str(), name.as_str()))
        .collect();
    assert_eq!(names, [("en", "Everything"), ("de-DE", "Alles")]);
    // Pattern properties are kept as they were sent.
    assert_eq!(
        event.root.extra.unknown().get("_hidden"),
        Some(&json!(false))
    );
}

#[test]
fn literal_enums_name_their_values() {
    let full = order("full");
    let spelled = order("spellings-kept");
    assert_eq!(full.order.priority, OrderPriority::V2);
    assert_eq!(spelled.order.priority, OrderPriority::V1);
    assert_eq!(spelled.order.priority.as_json(), "1");
    assert_eq!(full.order.gift_wrap, Some(OrderGiftWrap::Ask));
    assert_eq!(spelled.order.gift_wrap, Some(OrderGiftWrap::True));
    assert_eq!(full.order.rating, Some(OrderRating::V2_5));
    assert_eq!(spelled.order.rating, Some(OrderRating::V5));
    assert_eq!(OrderRating::Null.as_json(), "null");
    assert_eq!(reading("full").status, Status::V2);
    assert_eq!(reading("minimal").status, Status::V0);
    assert_eq!(reading("full").level, Some(Level::V1_5));
    assert_eq!(reading("integer-reading").level, Some(Level::Max));
    // `1.0` was read as the value 1 and is written as `1.0` again.
    let written: Value =
        serde_json::from_slice(&encode(&ShopEvent::OrderPlaced(spelled)).expect("encodes"))
            .expect("JSON");
    assert_eq!(written["order"]["priority"].to_string(), "1.0");
    assert_eq!(written["order"]["rating"].to_string(), "5.0");
}

#[test]
fn all_of_a_shared_base_and_an_extension_is_one_struct() {
    let full = order("full");
    let customer: &Customer = &full.order.customer;
    assert_eq!(
        customer.id.to_string(),
        "9c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f"
    );
    assert_eq!(customer.email.as_str(), "ada@example.com");
    assert_eq!(
        customer.display_name.as_ref().map(|n| n.as_str()),
        Some("Ada")
    );
    assert_eq!(customer.loyalty_tier, CustomerLoyaltyTier::Gold);
    assert_eq!(
        customer.since.as_ref().map(|s| s.as_str()),
        Some("2019-07-14")
    );
    let total: &Money = &full.order.total;
    assert_eq!((total.amount, total.currency), (2550, MoneyCurrency::EUR));
}

/// An `allOf` whose closed part declares every property of the other part is one closed
/// struct; one whose parts bound the members is one struct that counts them as it reads.
#[test]
fn all_of_with_a_closed_part_or_member_bounds_is_one_struct() {
    use event_contracts_corpus_crate::account_updated::Profile;
    use event_contracts_corpus_crate::reading_recorded::Calibration;
    let full = reading("full");
    let calibration: &Calibration = full.calibration.as_ref().expect("calibrated");
    assert_eq!(
        calibration.at.to_rfc3339(),
        "2026-01-15T06:00:00+00:00",
        "read as a time, its offset kept for encoding"
    );
    assert_eq!(
        calibration.by.as_ref().map(|b| b.as_str()),
        Some("tech@plant.example")
    );
    assert_eq!(calibration.offset, Some(-0.25));
    let read = |text: &str| serde_json::from_str::<Calibration>(text).map_err(|e| e.to_string());
    let refused = read(r#"{"at": "2026-01-15T08:00:00Z", "note": "x"}"#).expect_err("closed");
    assert!(refused.contains("note"), "{refused}");
    assert!(
        read(r#"{"by": "tech@plant.example"}"#).is_err(),
        "at is required"
    );

    let profile = |text: &str| serde_json::from_str::<Profile>(text).map_err(|e| e.to_string());
    let two = r#"{"id": "9c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f", "email": "a@example.com"}"#;
    assert_eq!(
        profile(two).expect_err("two members"),
        "AccountUpdated.profile has 2 properties; the schema allows at least 3 at line 1 column 72"
    );
    let with_unknown = r#"{"id": "9c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f", "email": "a@example.com", "nickname": 1}"#;
    let read = profile(with_unknown).expect("an undeclared member counts too");
    assert_eq!(read.extra.unknown().len(), 1);
    let built = Profile::builder()
        .id(event_contracts_runtime::__private::uuid::Uuid::nil())
        .email("a@example.com")
        .build()
        .expect_err("two members");
    assert_eq!(built.problems.len(), 1, "{built}");
    assert!(built.problems[0].1.contains("minProperties"), "{built}");
    Profile::builder()
        .id(event_contracts_runtime::__private::uuid::Uuid::nil())
        .email("a@example.com")
        .locale("de")
        .build()
        .expect("three members");
}

/// A tagged union reads its variant straight from the input when the object starts with
/// the tag, and through a tree of the whole value when it does not: both give the same
/// value, the same encoding and the same refusals.
#[test]
fn a_tagged_union_reads_the_same_whether_or_not_the_tag_comes_first() {
    let read = |text: &str| serde_json::from_str::<Message>(text).map_err(|e| e.to_string());
    let pairs = [
        (
            r#"{"kind": "image", "url": "https://e.com/i.png", "size": [640, 480.0], "alt": null}"#,
            r#"{"url": "https://e.com/i.png", "size": [640, 480.0], "kind": "image", "alt": null}"#,
        ),
        (
            r#"{"kind": "poll", "question": "Where?", "options": ["a", "b"], "anonymous": true}"#,
            r#"{"question": "Where?", "anonymous": true, "options": ["a", "b"], "kind": "poll"}"#,
        ),
        (
            r#"{"kind": "text", "body": "hi"}"#,
            r#"{"body": "hi", "kind": "text"}"#,
        ),
    ];
    for (first, later) in pairs {
        let a = read(first).unwrap_or_else(|e| panic!("{first}: {e}"));
        let b = read(later).unwrap_or_else(|e| panic!("{later}: {e}"));
        assert_eq!(a, b, "{first}");
        let parsed: Value = serde_json::from_str(first).expect("JSON");
        assert_eq!(
            serde_json::to_value(&a).expect("encodes"),
            parsed,
            "{first}"
        );
    }
    // Refused either way: a tag no branch has, a variant's own rule broken (`options` has
    // `minItems: 2`), a closed variant's undeclared member, the tag sent twice.
    for (first, later) in [
        (
            r#"{"kind": "video", "url": "x"}"#,
            r#"{"url": "x", "kind": "video"}"#,
        ),
        (
            r#"{"kind": "poll", "question": "q", "options": ["a"]}"#,
            r#"{"question": "q", "options": ["a"], "kind": "poll"}"#,
        ),
        (
            r#"{"kind": "text", "body": "hi", "bold": true}"#,
            r#"{"body": "hi", "bold": true, "kind": "text"}"#,
        ),
        (
            r#"{"kind": "text", "body": "hi", "kind": "text"}"#,
            r#"{"body": "hi", "kind": "text", "kind": "text"}"#,
        ),
    ] {
        assert!(read(first).is_err(), "{first} is refused");
        assert!(read(later).is_err(), "{later} is refused");
    }
    assert!(read("{}").is_err());
    assert!(read(r#""text""#).is_err());
}
