// A generated type must name a version that has a schema file.
use event_contracts_runtime::EventContract;

#[derive(EventContract)]
#[contract(event = "ProductCreated", version = "1.5.0", crate = "event_contracts_runtime")]
struct ProductCreated;

fn main() {}
