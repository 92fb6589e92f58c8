// 1.1.0 adds the required property `stock`: old events lack it, so it needs a major version.
use event_contracts_runtime::EventContract;

#[derive(EventContract)]
#[contract(
    event = "ItemListed",
    version = "1.1.0",
    schemas = "schemas-required-field-added"
)]
struct ItemListed;

fn main() {}
