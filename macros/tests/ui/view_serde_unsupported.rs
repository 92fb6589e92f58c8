// serde attributes a view check cannot follow, or that would reject valid events.
use event_contracts_runtime::EventContract;

#[derive(serde::Deserialize, EventContract)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[contract(event = "ProductCreated", versions = "^1", at = "/data")]
pub struct Product {
    #[serde(alias = "title")]
    pub name: String,
    #[serde(flatten)]
    pub rest: String,
}

fn main() {}
