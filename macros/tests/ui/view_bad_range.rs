use event_contracts_runtime::EventContract;

#[derive(serde::Deserialize, EventContract)]
#[contract(event = "ProductCreated", versions = "^one")]
pub struct Created {
    pub source: String,
}

#[derive(serde::Deserialize, EventContract)]
#[contract(event = "ProductCreated", versions = "")]
pub struct Empty {
    pub source: String,
}

fn main() {}
