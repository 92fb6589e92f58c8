// A view over two majors of a folder given with `schemas`: arrays, bounded integers, and
// a property required in one version and optional in the other, read as an Option.
use event_contracts_runtime::EventContract;

#[derive(Debug, serde::Deserialize, EventContract)]
#[contract(
    event = "ItemListed",
    versions = ">=1, <3",
    at = "/data",
    schemas = "schemas-views"
)]
pub struct Item {
    pub sku: String,
    pub note: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    // 0..=1000 in the schema: a u16 holds it.
    pub stock: Option<u16>,
}

fn main() {
    let item: Item = serde_json::from_value(serde_json::json!({
        "sku": "B-1", "price": 3, "tags": ["new", "blue"], "stock": 1000
    }))
    .unwrap_or_else(|e| panic!("an item reads: {e}"));
    assert_eq!(item.sku, "B-1");
    assert_eq!(item.note, None);
    assert_eq!(item.tags, vec!["new".to_owned(), "blue".to_owned()]);
    assert_eq!(item.stock, Some(1000));
}
