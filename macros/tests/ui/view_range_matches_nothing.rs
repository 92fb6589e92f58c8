use event_contracts_runtime::EventContract;

#[derive(serde::Deserialize, EventContract)]
#[contract(event = "ProductCreated", versions = "^3")]
pub struct Created {
    pub source: String,
}

fn main() {}
