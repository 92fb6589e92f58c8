//! A consumer and producer of ProductCreated, written as a service outside the workspace would.

use event_contracts::product_created::{Data, DataCategory, ProductCreated};
use event_contracts::{BuildError, ProductEvent};

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
