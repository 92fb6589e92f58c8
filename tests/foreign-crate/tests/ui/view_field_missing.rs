// `couponCode` is not a property of OrderPlaced in any 1.x version: the build fails at the field.
#[derive(serde::Deserialize, event_contracts_runtime::EventContract)]
#[serde(rename_all = "camelCase")]
#[contract(event = "OrderPlaced", versions = "^1", discriminator = "kind", version_property = "schemaVersion")]
pub struct Order {
    pub order_id: String,
    pub channel: String,
    pub coupon_code: String,
}

fn main() {}
