//! Shared by the end-to-end tests: the moto server and events to publish.

#![allow(dead_code)]

pub mod moto;

use event_contracts::{decode, ProductEvent};
use serde_json::{json, Value};
use uuid::Uuid;

/// The SDK configuration for a moto server, with its fixed test credentials.
pub async fn sdk_config(moto: &moto::Moto) -> aws_config::SdkConfig {
    aws_config::defaults(aws_config::BehaviorVersion::latest())
        .endpoint_url(&moto.endpoint)
        .region(aws_config::Region::new(moto::REGION))
        .credentials_provider(aws_sdk_sqs::config::Credentials::new(
            moto::ACCESS_KEY,
            moto::SECRET_KEY,
            None,
            None,
            "moto-tests",
        ))
        .load()
        .await
}

/// An event of `event_type` about `product`, with a fresh `eventId`, as JSON.
pub fn event_json(event_type: &str, version: &str, product: Uuid) -> Value {
    let data = match event_type {
        "ProductCreated" => json!({
            "productId": product, "name": "Trail shoe", "description": "A light shoe",
            "price": 12999, "quantity": 40, "category": "sports",
            "sellerId": "a1b2c3d4-e5f6-4789-abcd-ef0123456789"
        }),
        "ProductUpdated" => json!({
            "productId": product,
            "changes": { "price": 9999 },
            "previousState": { "price": 12999 }
        }),
        "ProductDeleted" => json!({
            "productId": product, "deletedAt": "2026-03-03T09:00:00Z"
        }),
        "LowStockWarning" => json!({
            "productId": product, "currentQuantity": 2, "threshold": 5,
            "productName": "Trail shoe"
        }),
        other => panic!("no test event for {other}"),
    };
    json!({
        "eventId": Uuid::new_v4(),
        "version": version,
        "timestamp": "2026-03-01T12:00:00Z",
        "correlationId": "0b7e4c1a-5d2f-4a3b-9c8d-7e6f5a4b3c2d",
        "source": "catalog-service",
        "userId": "a1b2c3d4-e5f6-4789-abcd-ef0123456789",
        "eventType": event_type,
        "data": data,
    })
}

/// The same, decoded.
pub fn event(event_type: &str, version: &str, product: Uuid) -> ProductEvent {
    let json = event_json(event_type, version, product);
    decode(json.to_string().as_bytes())
        .unwrap_or_else(|e| panic!("the test event {event_type} {version} is invalid: {e}"))
}
