//! Consumer views over this crate's own generated types: a view field may be a generated
//! type (here the category enum), which `#[derive(EventContract)]` checks against the
//! schema like any other. That this file compiles is the check; the test reads an event.

use event_contracts::product_created::DataCategory;
use event_contracts::EventContract;
use serde::Deserialize;

/// The generated enum holds the category; a flattened map keeps the rest.
#[derive(Debug, Deserialize, EventContract)]
#[contract(event = "ProductCreated", versions = "^1.1", at = "/data")]
pub struct Listing {
    pub category: DataCategory,
    #[serde(flatten)]
    pub rest: serde_json::Map<String, serde_json::Value>,
}

#[test]
fn a_view_with_a_generated_enum_reads_the_data() {
    let listing: Listing = serde_json::from_value(serde_json::json!({
        "category": "books", "name": "A book", "price": 5
    }))
    .unwrap_or_else(|e| panic!("a listing reads: {e}"));
    assert_eq!(listing.category, DataCategory::Books);
    assert_eq!(listing.rest.len(), 2);
    assert_eq!(listing.rest["name"], "A book");
}
