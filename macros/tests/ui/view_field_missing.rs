// `sku` is not a property of ProductCreated's data in any version: the build fails at the field.
use event_contracts_runtime::EventContract;

#[derive(serde::Deserialize, EventContract)]
#[serde(rename_all = "camelCase")]
#[contract(event = "ProductCreated", versions = "^1", at = "/data")]
pub struct Product {
    pub product_id: uuid::Uuid,
    pub name: String,
    pub price: f64,
    pub category: String,
    pub sku: String,
}

fn main() {}
