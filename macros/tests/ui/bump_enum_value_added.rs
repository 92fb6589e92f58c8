// 1.1.0 adds "games" to `category`: old readers reject events that carry it.
use event_contracts_runtime::EventContract;

#[derive(EventContract)]
#[contract(
    event = "ItemListed",
    version = "1.1.0",
    schemas = "schemas-enum-value-added"
)]
struct ItemListed;

fn main() {}
