//! Shared by the end-to-end tests: the moto server and events to publish.

#![allow(dead_code)]

pub mod moto;
pub mod proxy;

use event_contracts::{decode, ProductEvent};
use serde_json::{json, Value};
use uuid::Uuid;

/// The SDK configuration for a moto server, with its fixed test credentials.
pub async fn sdk_config(moto: &moto::Moto) -> aws_config::SdkConfig {
    sdk_config_at(&moto.endpoint).await
}

/// The same for any endpoint on 127.0.0.1 (a proxy in front of moto).
pub async fn sdk_config_at(endpoint: &str) -> aws_config::SdkConfig {
    aws_config::defaults(aws_config::BehaviorVersion::latest())
        .endpoint_url(endpoint)
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

/// The URL of a queue by name.
pub async fn url_of(sqs: &aws_sdk_sqs::Client, name: &str) -> String {
    sqs.get_queue_url()
        .queue_name(name)
        .send()
        .await
        .unwrap_or_else(|e| panic!("the URL of {name}: {e}"))
        .queue_url()
        .expect("a queue URL")
        .to_owned()
}

/// Every message now in the queue named `name`, received with all attributes and
/// deleted, until two receives in a row come back empty.
pub async fn take_all(sqs: &aws_sdk_sqs::Client, name: &str) -> Vec<aws_sdk_sqs::types::Message> {
    let url = url_of(sqs, name).await;
    let mut taken = Vec::new();
    let mut empty = 0;
    while empty < 2 {
        let messages = sqs
            .receive_message()
            .queue_url(&url)
            .max_number_of_messages(10)
            .wait_time_seconds(1)
            .message_system_attribute_names(aws_sdk_sqs::types::MessageSystemAttributeName::All)
            .message_attribute_names("All")
            .send()
            .await
            .expect("receive")
            .messages
            .unwrap_or_default();
        if messages.is_empty() {
            empty += 1;
        }
        for message in messages {
            sqs.delete_message()
                .queue_url(&url)
                .receipt_handle(message.receipt_handle().expect("a receipt"))
                .send()
                .await
                .expect("delete");
            taken.push(message);
        }
    }
    taken
}

/// A string message attribute of a received message.
pub fn attribute<'m>(message: &'m aws_sdk_sqs::types::Message, name: &str) -> Option<&'m str> {
    message
        .message_attributes()
        .and_then(|a| a.get(name))
        .and_then(|v| v.string_value())
}

/// The event id in an SQS body (SNS envelope or bare event).
pub fn event_id_of(body: &str) -> Uuid {
    let sqs = event_contracts::routing::decode_body(body).expect("an SQS body");
    *decode(sqs.event.as_bytes()).expect("an event").event_id()
}

/// How many messages SQS counts in the queue (visible, in flight).
pub async fn counts(sqs: &aws_sdk_sqs::Client, name: &str) -> (u64, u64) {
    use aws_sdk_sqs::types::QueueAttributeName as A;
    let url = url_of(sqs, name).await;
    let attributes = sqs
        .get_queue_attributes()
        .queue_url(url)
        .attribute_names(A::ApproximateNumberOfMessages)
        .attribute_names(A::ApproximateNumberOfMessagesNotVisible)
        .send()
        .await
        .expect("attributes");
    let read = |name: A| -> u64 {
        attributes
            .attributes()
            .and_then(|a| a.get(&name))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (
        read(A::ApproximateNumberOfMessages),
        read(A::ApproximateNumberOfMessagesNotVisible),
    )
}
