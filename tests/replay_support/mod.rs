//! Events for the replay and store tests, written as JSON so a reader sees the wire form.

#![allow(dead_code)] // each test crate uses a different part

use event_contracts::{decode_value, ProductEvent};
use serde_json::{json, Value};

/// The first product of the scenarios.
pub const P1: &str = "11111111-1111-4111-8111-111111111111";
/// The second product.
pub const P2: &str = "22222222-2222-4222-8222-222222222222";
/// The seller of every product.
pub const SELLER: &str = "5e11e500-0000-4000-8000-000000000001";

/// The event id numbered `n`.
pub fn event_id(n: u32) -> String {
    format!("e0000000-0000-4000-8000-{n:012}")
}

fn envelope(n: u32, event_type: &str, timestamp: &str, data: Value) -> Value {
    json!({
        "eventId": event_id(n),
        "eventType": event_type,
        "version": "1.0.0",
        "timestamp": timestamp,
        "correlationId": "c0000000-0000-4000-8000-000000000000",
        "source": "catalog-service",
        "userId": "a0000000-0000-4000-8000-000000000000",
        "data": data,
    })
}

/// Decodes a JSON event, panicking with the decoder's message: test data must be valid.
pub fn event(value: Value) -> ProductEvent {
    decode_value(&value).unwrap_or_else(|e| panic!("{e}\n{value:#}"))
}

/// A ProductCreated of `product` named `name`, at `price` with `quantity` in stock.
pub fn created_json(
    n: u32,
    product: &str,
    timestamp: &str,
    name: &str,
    price: Value,
    quantity: u64,
) -> Value {
    envelope(
        n,
        "ProductCreated",
        timestamp,
        json!({
            "productId": product,
            "name": name,
            "description": format!("{name}, described"),
            "price": price,
            "quantity": quantity,
            "category": "sports",
            "sellerId": SELLER,
        }),
    )
}

/// [`created_json`], decoded.
pub fn created(
    n: u32,
    product: &str,
    timestamp: &str,
    name: &str,
    price: Value,
    quantity: u64,
) -> ProductEvent {
    event(created_json(n, product, timestamp, name, price, quantity))
}

/// A ProductUpdated of `product`; `updated_at` goes into `data.updatedAt` when given.
pub fn updated(
    n: u32,
    product: &str,
    timestamp: &str,
    changes: Value,
    previous_state: Value,
    updated_at: Option<&str>,
) -> ProductEvent {
    let mut data =
        json!({"productId": product, "changes": changes, "previousState": previous_state});
    if let Some(at) = updated_at {
        data["updatedAt"] = json!(at);
    }
    event(envelope(n, "ProductUpdated", timestamp, data))
}

/// A ProductDeleted of `product` at `deleted_at`, with an optional reason.
pub fn deleted(
    n: u32,
    product: &str,
    timestamp: &str,
    deleted_at: &str,
    reason: Option<&str>,
) -> ProductEvent {
    let mut data = json!({"productId": product, "deletedAt": deleted_at});
    if let Some(r) = reason {
        data["reason"] = json!(r);
    }
    event(envelope(n, "ProductDeleted", timestamp, data))
}

/// A LowStockWarning for `product`; `severity` is left out when `None`.
pub fn low_stock(
    n: u32,
    product: &str,
    timestamp: &str,
    current_quantity: u64,
    threshold: u64,
    severity: Option<&str>,
) -> ProductEvent {
    let mut data = json!({
        "productId": product,
        "productName": "Trail shoe",
        "currentQuantity": current_quantity,
        "threshold": threshold,
    });
    if let Some(s) = severity {
        data["severity"] = json!(s);
    }
    event(envelope(n, "LowStockWarning", timestamp, data))
}
