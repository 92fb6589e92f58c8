// 1.0.1 adds an optional property: a minor change released as a patch.
use event_contracts_runtime::EventContract;

#[derive(EventContract)]
#[contract(
    event = "ItemListed",
    version = "1.0.1",
    schemas = "schemas-bump-too-small"
)]
struct ItemListed;

fn main() {}
