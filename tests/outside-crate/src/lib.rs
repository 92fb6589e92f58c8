//! A consumer and producer of ProductCreated, written as a service outside the workspace would.

use event_contracts::product_created::{Data, DataCategory, ProductCreated};
use event_contracts::{BuildError, EventContract};
use serde::Deserialize;

/// What this service reads of a ProductCreated, in every 1.x version. The derive proves at
/// compile time that each field exists and holds every value each of those versions allows.
#[derive(Debug, Clone, PartialEq, Deserialize, EventContract)]
#[serde(rename_all = "camelCase")]
#[contract(event = "ProductCreated", versions = "^1")]
pub struct ProductCreatedView {
    /// The event's id.
    pub event_id: uuid::Uuid,
    /// The product, read by its own view.
    pub data: ProductSummary,
}

/// The product fields this service reads, checked where they live in the event: `/data`.
#[derive(Debug, Clone, PartialEq, Deserialize, EventContract)]
#[serde(rename_all = "camelCase")]
#[contract(event = "ProductCreated", versions = "^1", at = "/data")]
pub struct ProductSummary {
    /// `productId`.
    pub product_id: uuid::Uuid,
    /// `name`.
    pub name: String,
    /// `price`, in cents.
    pub price: f64,
    /// `category`: a string holds every value of the enum, including ones added later.
    pub category: String,
}

/// Builds a ProductCreated with the builder; the envelope fields are filled in.
pub fn new_product(name: &str) -> Result<ProductCreated, BuildError> {
    ProductCreated::builder()
        .correlation_id(uuid::Uuid::new_v4())
        .source("outside-service")
        .user_id(uuid::Uuid::new_v4())
        .data(
            Data::builder()
                .product_id(uuid::Uuid::new_v4())
                .name(name)
                .description("Made outside the workspace")
                .price(999.0)
                .quantity(3u64)
                .category(DataCategory::Books)
                .seller_id(uuid::Uuid::new_v4()),
        )
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;
    use event_contracts::ProductEvent;

    #[test]
    fn builds_and_serializes_a_product_created() {
        let event = new_product("A book").expect("a valid event builds");
        let bytes = event_contracts::encode(&ProductEvent::from(event.clone())).expect("encodes");
        let json: serde_json::Value = serde_json::from_slice(&bytes).expect("is JSON");
        assert_eq!(json["eventType"], "ProductCreated");
        assert_eq!(json["version"], "1.1.0");
        assert_eq!(json["data"]["name"], "A book");
        assert_eq!(json["data"]["quantity"], 3);
        let back = event_contracts::decode(&bytes).expect("decodes");
        assert_eq!(back, ProductEvent::ProductCreated(event));
    }

    #[test]
    fn the_view_reads_a_product_created() {
        let event = new_product("A book").expect("a valid event builds");
        let bytes = event_contracts::encode(&ProductEvent::from(event.clone())).expect("encodes");
        let view: ProductCreatedView = serde_json::from_slice(&bytes).expect("the view reads it");
        assert_eq!(
            view,
            ProductCreatedView {
                event_id: event.event_id,
                data: ProductSummary {
                    product_id: event.data.product_id,
                    name: "A book".to_owned(),
                    price: 999.0,
                    category: "books".to_owned(),
                },
            }
        );
    }

    #[test]
    fn cannot_build_a_256_character_name() {
        let err = new_product(&"x".repeat(256)).expect_err("256 characters are too many");
        assert_eq!(err.type_name, "ProductCreated");
        assert_eq!(err.problems.len(), 1);
        assert_eq!(err.problems[0].0, "data");
        assert!(
            err.problems[0].1.contains("`name`"),
            "{}",
            err.problems[0].1
        );
        assert!(
            err.problems[0].1.contains("maxLength"),
            "{}",
            err.problems[0].1
        );
        assert!(new_product(&"x".repeat(255)).is_ok());
    }
}
