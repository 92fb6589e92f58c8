// Views of OrderPlaced that hold every version of ^1, read from an event of each version.
use event_contracts_runtime::EventContract;
use serde::Deserialize;

#[derive(Debug, Deserialize, EventContract)]
#[serde(rename_all = "camelCase")]
#[contract(event = "OrderPlaced", versions = "^1", discriminator = "kind", version_property = "schemaVersion")]
pub struct Order {
    pub kind: String,
    pub schema_version: String,
    pub order_id: String,
    pub customer: Customer,
    pub lines: Vec<Line>,
    pub channel: Channel,
    pub note: Option<String>,
}

/// `deliverySpeed` is declared from 1.1.0 on (a 1.0 event may carry anything there, its
/// objects being open), so a view that reads it as text covers 1.1 and later minors.
#[derive(Debug, Deserialize, EventContract)]
#[serde(rename_all = "camelCase")]
#[contract(event = "OrderPlaced", versions = "^1.1", discriminator = "kind", version_property = "schemaVersion")]
pub struct Delivery {
    pub order_id: String,
    pub delivery_speed: Option<String>,
}

#[derive(Debug, Deserialize, EventContract)]
#[serde(rename_all = "camelCase")]
#[contract(event = "OrderPlaced", versions = "^1", at = "/customer", discriminator = "kind", version_property = "schemaVersion")]
pub struct Customer {
    pub name: String,
    pub tier: String,
}

#[derive(Debug, Deserialize, EventContract)]
#[serde(rename_all = "camelCase")]
#[contract(event = "OrderPlaced", versions = "^1", at = "/lines/*", discriminator = "kind", version_property = "schemaVersion")]
pub struct Line {
    pub sku: String,
    pub quantity: u16,
    pub unit_price_cents: u64,
}

#[derive(Debug, PartialEq, Deserialize, EventContract)]
#[serde(rename_all = "lowercase")]
#[contract(event = "OrderPlaced", versions = "^1", at = "/channel", discriminator = "kind", version_property = "schemaVersion")]
pub enum Channel {
    Web,
    Store,
    Phone,
}

/// Reads a view from event text, as parsed by the shop crate's decoder.
fn read<T: for<'de> Deserialize<'de>>(text: &str) -> T {
    let value = foreign_shop_events::Decoder::new()
        .parse(text.as_bytes())
        .unwrap_or_else(|e| panic!("{e}"));
    T::deserialize(value).unwrap_or_else(|e| panic!("the view reads the event: {e}"))
}

const V1_1_FULL: &str = include_str!("../../schemas/order-placed/examples/1.1.0/valid/full.json");

fn main() {
    let v1_1: Order = read(V1_1_FULL);
    assert_eq!((v1_1.kind.as_str(), v1_1.schema_version.as_str()), ("OrderPlaced", "1.1.0"));
    assert_eq!(v1_1.order_id, "ORD-000042");
    assert_eq!((v1_1.customer.name.as_str(), v1_1.customer.tier.as_str()), ("Ada Lovelace", "gold"));
    assert_eq!(v1_1.lines.len(), 2);
    assert_eq!((v1_1.lines[1].sku.as_str(), v1_1.lines[1].quantity, v1_1.lines[1].unit_price_cents), ("CUP-0007", 1, 0));
    assert_eq!(v1_1.channel, Channel::Web);
    assert_eq!(v1_1.note.as_deref(), Some("Please ring twice"));
    let delivery: Delivery = read(V1_1_FULL);
    assert_eq!(delivery.order_id, "ORD-000042");
    assert_eq!(delivery.delivery_speed.as_deref(), Some("express"));

    let v1_0: Order = read(include_str!("../../schemas/order-placed/examples/1.0.0/valid/minimal.json"));
    assert_eq!(v1_0.schema_version, "1.0.0");
    assert_eq!(v1_0.lines[0].quantity, 2);
    assert_eq!(v1_0.note, None);
}
