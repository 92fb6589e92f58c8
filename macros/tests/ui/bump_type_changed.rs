// 1.1.0 turns `price` from a number into a string.
use event_contracts_runtime::EventContract;

#[derive(EventContract)]
#[contract(
    event = "ItemListed",
    version = "1.1.0",
    schemas = "schemas-type-changed"
)]
struct ItemListed;

fn main() {}
