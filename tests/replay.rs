//! Replay into the read model: exact states after each event of a product's life, every
//! kind of rejection, temporal queries at several times, and one product's history.

mod replay_support;

use chrono::{DateTime, Utc};
use event_contracts::low_stock_warning::DataSeverity;
use event_contracts::product_created::DataCategory;
use event_contracts::replay::{
    product_history, Deletion, LowStock, Outcome, ProductView, Rejection, RejectionReason,
    Timestamp,
};
use event_contracts::{EventType, ProductCatalog, ProductEvent};
use replay_support::*;
use serde_json::json;
use uuid::Uuid;

fn uuid(text: &str) -> Uuid {
    Uuid::try_parse(text).unwrap()
}

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

fn stamp(text: &str) -> Timestamp {
    Timestamp {
        at: at(text),
        text: text.to_owned(),
    }
}

/// A product's life: created, updated, low on stock, restocked, deleted.
fn life() -> Vec<ProductEvent> {
    let mut create = created_json(
        1,
        P1,
        "2026-03-01T10:00:00Z",
        "Trail shoe",
        json!(12999),
        40,
    );
    create["data"]["createdAt"] = json!("2026-03-01T10:59:58+01:00");
    vec![
        event(create),
        updated(
            2,
            P1,
            "2026-03-02T10:00:00Z",
            json!({"price": 11999, "quantity": 4}),
            json!({"price": 12999, "quantity": 40, "tags": ["ignored"]}),
            Some("2026-03-02T09:59:00Z"),
        ),
        low_stock(3, P1, "2026-03-02T11:00:00Z", 4, 5, Some("high")),
        updated(
            4,
            P1,
            "2026-03-03T10:00:00Z",
            json!({"quantity": 50}),
            json!({"quantity": 4}),
            None,
        ),
        deleted(
            5,
            P1,
            "2026-03-04T10:00:00Z",
            "2026-03-04T09:30:00.000Z",
            Some("discontinued"),
        ),
    ]
}

fn view_after_create() -> ProductView {
    ProductView {
        product_id: uuid(P1),
        name: "Trail shoe".to_owned(),
        description: "Trail shoe, described".to_owned(),
        price: 12999.0,
        quantity: 40,
        category: DataCategory::Sports,
        seller_id: uuid(SELLER),
        deleted: None,
        created_at: stamp("2026-03-01T10:59:58+01:00"),
        updated_at: stamp("2026-03-01T10:59:58+01:00"),
        last_event_id: uuid(&event_id(1)),
        low_stock: None,
    }
}

fn view_after_update() -> ProductView {
    ProductView {
        price: 11999.0,
        quantity: 4,
        updated_at: stamp("2026-03-02T09:59:00Z"),
        last_event_id: uuid(&event_id(2)),
        ..view_after_create()
    }
}

fn view_after_warning() -> ProductView {
    ProductView {
        low_stock: Some(LowStock {
            severity: Some(DataSeverity::High),
            current_quantity: 4,
            threshold: 5,
        }),
        last_event_id: uuid(&event_id(3)),
        ..view_after_update()
    }
}

fn view_after_restock() -> ProductView {
    ProductView {
        quantity: 50,
        low_stock: None,
        updated_at: stamp("2026-03-03T10:00:00Z"),
        last_event_id: uuid(&event_id(4)),
        ..view_after_warning()
    }
}

fn view_after_delete() -> ProductView {
    ProductView {
        deleted: Some(Deletion {
            at: stamp("2026-03-04T09:30:00.000Z"),
            reason: Some("discontinued".to_owned()),
        }),
        updated_at: stamp("2026-03-04T09:30:00.000Z"),
        last_event_id: uuid(&event_id(5)),
        ..view_after_restock()
    }
}

#[test]
fn each_event_of_a_products_life_gives_the_exact_view() {
    let expected = [
        view_after_create(),
        view_after_update(),
        view_after_warning(),
        view_after_restock(),
        view_after_delete(),
    ];
    let mut catalog = ProductCatalog::new();
    for (event, view) in life().iter().zip(expected) {
        assert_eq!(catalog.apply(event), Ok(()));
        assert_eq!(catalog.product(&uuid(P1)), Some(&view));
        assert_eq!(catalog.len(), 1);
    }
    assert_eq!(catalog.rejections(), []);
}

#[test]
fn the_report_is_the_cli_json_exactly() {
    let catalog = ProductCatalog::replay(&life()[..3]);
    let report = serde_json::to_value(catalog.report()).unwrap();
    assert_eq!(
        report,
        json!({
            "asOf": null,
            "products": [{
                "productId": P1,
                "name": "Trail shoe",
                "description": "Trail shoe, described",
                "price": 11999,
                "quantity": 4,
                "category": "sports",
                "sellerId": SELLER,
                "deleted": false,
                "deletedReason": null,
                "createdAt": "2026-03-01T10:59:58+01:00",
                "updatedAt": "2026-03-02T09:59:00Z",
                "lowStock": {"severity": "high", "currentQuantity": 4, "threshold": 5}
            }],
            "rejected": []
        })
    );
}

#[test]
fn a_restock_at_the_threshold_keeps_the_warning_and_above_it_clears_it() {
    let events = [
        created(1, P1, "2026-03-01T10:00:00Z", "Trail shoe", json!(10), 9),
        low_stock(2, P1, "2026-03-01T11:00:00Z", 3, 5, None),
        updated(
            3,
            P1,
            "2026-03-01T12:00:00Z",
            json!({"quantity": 5}),
            json!({}),
            None,
        ),
    ];
    let catalog = ProductCatalog::replay(&events);
    let warning = LowStock {
        severity: None,
        current_quantity: 3,
        threshold: 5,
    };
    assert_eq!(
        catalog
            .product(&uuid(P1))
            .map(|v| (v.quantity, v.low_stock.clone())),
        Some((5, Some(warning)))
    );
    let mut catalog = catalog;
    let restock = updated(
        4,
        P1,
        "2026-03-01T13:00:00Z",
        json!({"quantity": 6}),
        json!({}),
        None,
    );
    assert_eq!(catalog.apply(&restock), Ok(()));
    assert_eq!(
        catalog
            .product(&uuid(P1))
            .map(|v| (v.quantity, v.low_stock.clone())),
        Some((6, None))
    );
}

fn rejection(n: u32, event_type: EventType, product: &str, reason: RejectionReason) -> Rejection {
    Rejection {
        event_id: uuid(&event_id(n)),
        event_type,
        product_id: uuid(product),
        reason,
    }
}

fn misfits() -> Vec<ProductEvent> {
    vec![
        created(
            1,
            P1,
            "2026-03-01T10:00:00Z",
            "Trail shoe",
            json!(12999),
            40,
        ),
        updated(
            2,
            P2,
            "2026-03-01T11:00:00Z",
            json!({"quantity": 1}),
            json!({}),
            None,
        ),
        deleted(3, P2, "2026-03-01T11:00:00Z", "2026-03-01T11:00:00Z", None),
        low_stock(4, P2, "2026-03-01T11:00:00Z", 1, 5, Some("low")),
        updated(
            5,
            P1,
            "2026-03-01T12:00:00Z",
            json!({"price": 2}),
            json!({"price": 1, "quantity": 40, "name": "Trail shoe", "category": "books"}),
            None,
        ),
        created(1, P1, "2026-03-01T12:30:00Z", "Duplicate", json!(1), 1),
        created(6, P1, "2026-03-01T13:00:00Z", "Again", json!(1), 1),
        updated(
            7,
            P1,
            "2026-03-01T14:00:00Z",
            // The valid price change must not apply either: a rejected event changes nothing.
            json!({"price": 1, "quantity": -3, "category": "toys", "name": ""}),
            json!({}),
            None,
        ),
        deleted(8, P1, "2026-03-01T15:00:00Z", "2026-03-01T15:00:00Z", None),
        updated(
            9,
            P1,
            "2026-03-01T16:00:00Z",
            json!({"quantity": 1}),
            json!({}),
            None,
        ),
        created(10, P1, "2026-03-01T17:00:00Z", "Reborn", json!(1), 1),
    ]
}

#[test]
fn events_that_do_not_fit_are_rejected_with_their_id_and_reason() {
    let catalog = ProductCatalog::replay(misfits());
    let unknown = || RejectionReason::UnknownProduct {
        product_id: uuid(P2),
    };
    let gone = || RejectionReason::Deleted {
        product_id: uuid(P1),
        deleted_at: "2026-03-01T15:00:00Z".to_owned(),
    };
    let expected = vec![
        rejection(2, EventType::ProductUpdated, P2, unknown()),
        rejection(3, EventType::ProductDeleted, P2, unknown()),
        rejection(4, EventType::LowStockWarning, P2, unknown()),
        rejection(
            5,
            EventType::ProductUpdated,
            P1,
            RejectionReason::PreviousStateMismatch {
                mismatches: vec![
                    "price is 1, the catalog has 12999".to_owned(),
                    "category is \"books\", the catalog has \"sports\"".to_owned(),
                ],
            },
        ),
        rejection(1, EventType::ProductCreated, P1, RejectionReason::DuplicateEventId),
        rejection(
            6,
            EventType::ProductCreated,
            P1,
            RejectionReason::AlreadyExists {
                product_id: uuid(P1),
            },
        ),
        rejection(
            7,
            EventType::ProductUpdated,
            P1,
            RejectionReason::InvalidChanges {
                problems: vec![
                    "name \"\": the string has 0 characters; at least 1 are required (JSON Schema keyword `minLength`)".to_owned(),
                    "quantity -3 is below 0 (minimum 0)".to_owned(),
                    "category: \"toys\" is not one of \"electronics\", \"clothing\", \"books\", \"home\", \"sports\", \"other\" (JSON Schema keyword `enum`)".to_owned(),
                ],
            },
        ),
        rejection(9, EventType::ProductUpdated, P1, gone()),
        rejection(10, EventType::ProductCreated, P1, gone()),
    ];
    assert_eq!(catalog.rejections(), expected);
    // Only the creation and the deletion shaped the product.
    let view = catalog.product(&uuid(P1)).unwrap();
    assert_eq!(
        (
            view.name.as_str(),
            view.price,
            view.quantity,
            view.last_event_id
        ),
        ("Trail shoe", 12999.0, 40, uuid(&event_id(8)))
    );
    assert_eq!(catalog.len(), 1);
    let reasons = serde_json::to_value(catalog.report()).unwrap()["rejected"].clone();
    assert_eq!(
        reasons[0],
        json!({
            "eventId": event_id(2),
            "reason": format!("unknown product {P2}: no ProductCreated for it came before")
        })
    );
    assert_eq!(
        reasons[4],
        json!({
            "eventId": event_id(1),
            "reason": "duplicate eventId: an event with this id was already applied"
        })
    );
    assert_eq!(
        reasons[7]["reason"],
        json!(format!("product {P1} was deleted at 2026-03-01T15:00:00Z"))
    );
}

#[test]
fn apply_returns_the_rejection_it_records() {
    let mut catalog = ProductCatalog::new();
    let orphan = deleted(1, P2, "2026-03-01T11:00:00Z", "2026-03-01T11:00:00Z", None);
    let expected = rejection(
        1,
        EventType::ProductDeleted,
        P2,
        RejectionReason::UnknownProduct {
            product_id: uuid(P2),
        },
    );
    assert_eq!(catalog.apply(&orphan), Err(expected.clone()));
    assert_eq!(catalog.rejections(), [expected]);
    assert!(catalog.is_empty());
    // A rejected event takes no id: the same event applies once its product exists.
    let create = created(2, P2, "2026-03-01T10:00:00Z", "Late", json!(1), 1);
    assert_eq!(catalog.apply(&create), Ok(()));
    assert_eq!(catalog.apply(&orphan), Ok(()));
}

#[test]
fn previous_state_is_compared_by_value_not_spelling() {
    let events = [
        created(
            1,
            P1,
            "2026-03-01T10:00:00Z",
            "Trail shoe",
            json!(12999),
            40,
        ),
        updated(
            2,
            P1,
            "2026-03-01T11:00:00Z",
            json!({"description": "new"}),
            json!({
                "productId": P1.to_uppercase(),
                "sellerId": SELLER,
                "price": 12999.0,
                "quantity": 40.0,
                "name": "Trail shoe",
                "description": "Trail shoe, described",
                "category": "sports"
            }),
            None,
        ),
    ];
    let catalog = ProductCatalog::replay(&events);
    assert_eq!(catalog.rejections(), []);
    assert_eq!(catalog.product(&uuid(P1)).unwrap().description, "new");
}

#[test]
fn the_catalog_as_of_several_times() {
    let events = life();
    let products_at = |time: &str| -> Vec<ProductView> {
        ProductCatalog::replay_as_of(&events, at(time))
            .products()
            .cloned()
            .collect()
    };
    assert_eq!(products_at("2026-03-01T09:59:59Z"), []);
    // The as-of time is inclusive.
    assert_eq!(products_at("2026-03-01T10:00:00Z"), [view_after_create()]);
    assert_eq!(products_at("2026-03-02T10:30:00Z"), [view_after_update()]);
    assert_eq!(
        products_at("2026-03-02T13:00:00+02:00"),
        [view_after_warning()]
    );
    assert_eq!(products_at("2026-03-03T23:59:59Z"), [view_after_restock()]);
    assert_eq!(products_at("2030-01-01T00:00:00Z"), [view_after_delete()]);
}

#[test]
fn replay_follows_the_log_order_not_the_timestamps() {
    // The update was written to the log before the creation it depends on.
    let events = [
        updated(
            2,
            P1,
            "2026-03-01T11:00:00Z",
            json!({"quantity": 1}),
            json!({}),
            None,
        ),
        created(
            1,
            P1,
            "2026-03-01T10:00:00Z",
            "Trail shoe",
            json!(12999),
            40,
        ),
    ];
    let catalog = ProductCatalog::replay(&events);
    assert_eq!(
        catalog
            .rejections()
            .iter()
            .map(|r| r.event_id)
            .collect::<Vec<_>>(),
        [uuid(&event_id(2))]
    );
    assert_eq!(catalog.product(&uuid(P1)).unwrap().quantity, 40);
    let earlier = ProductCatalog::replay_as_of(&events, at("2026-03-01T10:30:00Z"));
    assert_eq!(earlier.rejections(), []);
    assert_eq!(earlier.product(&uuid(P1)).unwrap().quantity, 40);
}

#[test]
fn a_products_history_lists_every_event_about_it() {
    let mut events = life();
    events.insert(
        1,
        created(20, P2, "2026-03-01T12:00:00Z", "Other", json!(5), 5),
    );
    events.push(updated(
        21,
        P1,
        "2026-03-05T10:00:00+01:00",
        json!({}),
        json!({}),
        None,
    ));
    let history = product_history(&events, uuid(P1));
    let summary: Vec<(u32, EventType, &str)> = history
        .iter()
        .map(|h| {
            let n: u32 = h.event_id.to_string()[24..].parse().unwrap();
            (n, h.event_type, h.timestamp.text.as_str())
        })
        .collect();
    assert_eq!(
        summary,
        [
            (1, EventType::ProductCreated, "2026-03-01T10:00:00Z"),
            (2, EventType::ProductUpdated, "2026-03-02T10:00:00Z"),
            (3, EventType::LowStockWarning, "2026-03-02T11:00:00Z"),
            (4, EventType::ProductUpdated, "2026-03-03T10:00:00Z"),
            (5, EventType::ProductDeleted, "2026-03-04T10:00:00Z"),
            (21, EventType::ProductUpdated, "2026-03-05T10:00:00+01:00"),
        ]
    );
    let outcomes: Vec<Outcome> = history.into_iter().map(|h| h.outcome).collect();
    assert_eq!(
        outcomes,
        [
            Outcome::Applied(Box::new(view_after_create())),
            Outcome::Applied(Box::new(view_after_update())),
            Outcome::Applied(Box::new(view_after_warning())),
            Outcome::Applied(Box::new(view_after_restock())),
            Outcome::Applied(Box::new(view_after_delete())),
            Outcome::Rejected(RejectionReason::Deleted {
                product_id: uuid(P1),
                deleted_at: "2026-03-04T09:30:00.000Z".to_owned(),
            }),
        ]
    );
}

#[test]
fn without_data_times_the_event_timestamps_are_used() {
    let events = [
        created(
            1,
            P1,
            "2026-03-01T11:00:00+01:00",
            "Trail shoe",
            json!(129.99),
            40,
        ),
        updated(
            2,
            P1,
            "2026-03-02T10:00:00.5Z",
            json!({"name": "Road shoe"}),
            json!({}),
            None,
        ),
    ];
    let catalog = ProductCatalog::replay(&events);
    let view = catalog.product(&uuid(P1)).unwrap();
    assert_eq!(view.created_at, stamp("2026-03-01T11:00:00+01:00"));
    assert_eq!(view.updated_at, stamp("2026-03-02T10:00:00.5Z"));
    let report = serde_json::to_value(catalog.report()).unwrap();
    assert_eq!(report["products"][0]["price"], json!(129.99));
    assert_eq!(report["products"][0]["name"], json!("Road shoe"));
}
