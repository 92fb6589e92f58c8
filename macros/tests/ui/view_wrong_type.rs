// `quantity` is any integer >= 0 and `price` any number: i32 and f32 cannot hold them all.
use event_contracts_runtime::EventContract;

#[derive(serde::Deserialize, EventContract)]
#[serde(rename_all = "camelCase")]
#[contract(event = "ProductCreated", versions = "^1", at = "/data")]
pub struct Stock {
    pub product_id: uuid::Uuid,
    pub quantity: i32,
    pub price: f32,
    pub seller_id: u64,
}

fn main() {}
