use event_contracts_runtime::EventContract;

#[derive(serde::Deserialize, EventContract)]
#[contract(event = "ProductCreatd", versions = "^1")]
pub struct Created {
    pub source: String,
}

fn main() {}
