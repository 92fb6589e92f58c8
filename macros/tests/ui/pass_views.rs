// Views of ProductCreated that hold every version of ^1; one event of each version is read.
use event_contracts_runtime::EventContract;
use serde::Deserialize;

#[derive(Debug, Deserialize, EventContract)]
#[serde(rename_all = "camelCase")]
#[contract(event = "ProductCreated", versions = "^1")]
pub struct Created {
    pub event_id: uuid::Uuid,
    pub event_type: String,
    pub version: String,
    pub timestamp: chrono::DateTime<chrono::Utc>,
    #[serde(rename = "source")]
    pub service: String,
    pub session_id: Option<uuid::Uuid>,
    pub metadata: Option<RequestMetadata>,
    pub data: Product,
    #[serde(skip)]
    pub received_locally: bool,
}

/// The envelope's request metadata, a definition shared by every event.
#[derive(Debug, Deserialize, EventContract)]
#[serde(rename_all = "camelCase")]
#[contract(event = "ProductCreated", versions = "^1", at = "/metadata")]
pub struct RequestMetadata {
    pub user_agent: Option<String>,
    pub request_id: Option<String>,
}

#[derive(Debug, Deserialize, EventContract)]
#[serde(rename_all = "camelCase")]
#[contract(event = "ProductCreated", versions = "^1", at = "/data")]
pub struct Product {
    pub product_id: uuid::Uuid,
    pub name: String,
    pub description: String,
    pub price: f64,
    pub quantity: u64,
    pub category: Category,
    // A UUID fits in a String too.
    pub seller_id: String,
    pub created_at: Option<chrono::DateTime<chrono::Utc>>,
    // Declared from 1.1.0 on; 1.0.0 objects are open, so only a Value holds what it may carry.
    pub metadata: Option<serde_json::Value>,
}

#[derive(Debug, PartialEq, Deserialize, EventContract)]
#[serde(rename_all = "lowercase")]
#[contract(event = "ProductCreated", versions = "^1", at = "/data/category")]
pub enum Category {
    Electronics,
    Clothing,
    Books,
    Home,
    Sports,
    Other,
}

fn main() {
    let v1_1: Created = serde_json::from_str(include_str!(
        "../../../schemas/product-created/examples/1.1.0/valid/full.json"
    ))
    .unwrap_or_else(|e| panic!("a 1.1.0 event reads: {e}"));
    assert_eq!(v1_1.version, "1.1.0");
    assert_eq!(v1_1.service, "catalog-service");
    assert_eq!(v1_1.data.name, "Trail running shoe");
    assert_eq!(v1_1.data.price, 19.99);
    assert_eq!(v1_1.data.quantity, 40);
    assert_eq!(v1_1.data.category, Category::Sports);
    assert_eq!(
        v1_1.metadata.and_then(|m| m.request_id).as_deref(),
        Some("req-42")
    );
    assert_eq!(
        v1_1.data.metadata,
        Some(serde_json::json!({"color": "blue", "sizes": [40, 41, 42]}))
    );

    let v1_0: Created = serde_json::from_str(include_str!(
        "../../../schemas/product-created/examples/1.0.0/valid/minimal.json"
    ))
    .unwrap_or_else(|e| panic!("a 1.0.0 event reads: {e}"));
    assert_eq!(v1_0.event_type, "ProductCreated");
    assert_eq!(v1_0.data.price, 12999.0);
    assert_eq!(v1_0.data.created_at, None);
    assert_eq!(v1_0.data.metadata, None);
    assert!(!v1_0.received_locally);

}
