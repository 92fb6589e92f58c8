use event_contracts_runtime::EventContract;

#[derive(serde::Deserialize, EventContract)]
#[contract(event = "ProductCreated", versions = "^1", at = "/dta")]
pub struct Product {
    pub name: String,
}

#[derive(serde::Deserialize, EventContract)]
#[contract(event = "ProductCreated", versions = "^1", at = "/data/metadata")]
pub struct Metadata {
    pub origin: Option<String>,
}

#[derive(serde::Deserialize, EventContract)]
#[contract(event = "ProductCreated", versions = "^1", at = "data")]
pub struct NoSlash {
    pub name: String,
}

fn main() {}
