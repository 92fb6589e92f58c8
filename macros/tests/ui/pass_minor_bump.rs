// 1.1.0 only adds an optional property: a minor version is enough.
use event_contracts_runtime::EventContract;

#[derive(EventContract)]
#[contract(
    event = "ItemListed",
    version = "1.0.0",
    schemas = "schemas-minor-bump"
)]
pub struct ItemListedV1_0;

#[derive(EventContract)]
#[contract(
    event = "ItemListed",
    version = "1.1.0",
    schemas = "schemas-minor-bump"
)]
pub struct ItemListedV1_1;

fn main() {}
