// 1.1.0 removes the optional property `note`: a major change released as a minor.
use event_contracts_runtime::EventContract;

#[derive(EventContract)]
#[contract(
    event = "ItemListed",
    version = "1.1.0",
    schemas = "schemas-removed-field"
)]
struct ItemListed;

fn main() {}
