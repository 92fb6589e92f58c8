// ProductCreated's category has six values; this enum reads five and misspells one.
use event_contracts_runtime::EventContract;

#[derive(serde::Deserialize, EventContract)]
#[serde(rename_all = "lowercase")]
#[contract(event = "ProductCreated", versions = "^1", at = "/data/category")]
pub enum Category {
    Electronics,
    Clothing,
    Book,
    Home,
    Other,
}

fn main() {}
