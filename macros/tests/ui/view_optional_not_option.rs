// `note` is required in ItemListed 1.0.0 but optional in 2.0.0, and the view reads both.
use event_contracts_runtime::EventContract;

#[derive(serde::Deserialize, EventContract)]
#[contract(
    event = "ItemListed",
    versions = ">=1, <3",
    at = "/data",
    schemas = "schemas-views"
)]
pub struct Item {
    pub sku: String,
    pub note: String,
}

fn main() {}
