//! The product's events (`schemas/`, the `event-contracts` crate): 100,000 generated
//! events mixing the four event types (ProductCreated about 1,100 bytes), about 10% of them
//! invalid, built from a fixed seed so that every run and every row sees identical bytes.

use std::collections::HashMap;

use serde::Deserialize;
use serde_json::{json, Value};

use crate::{BundledSchema, Suite};

/// Events in the corpus.
const EVENTS: usize = 100_000;
/// The seed of the corpus; changing it changes every figure's input.
const SEED: u64 = 0x5eed_2026;

/// A small deterministic generator (xorshift64*): the corpus must not depend on a crate's
/// RNG algorithm staying the same between versions.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn uuid(&mut self) -> String {
        let (a, b) = (self.next(), self.next());
        format!(
            "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            b >> 52,
            b & 0xffff_ffff_ffff
        )
    }
    fn words(&mut self, len: usize) -> String {
        const WORDS: &[&str] = &[
            "light",
            "trail",
            "shoe",
            "with",
            "a",
            "grippy",
            "sole",
            "and",
            "breathable",
            "mesh",
            "upper",
            "for",
            "long",
            "runs",
            "over",
            "rough",
            "ground",
            "in",
            "wet",
            "weather",
        ];
        let mut text = String::with_capacity(len + 12);
        while text.len() < len {
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(WORDS[self.below(WORDS.len() as u64) as usize]);
        }
        text
    }
}

const CATEGORIES: &[&str] = &[
    "electronics",
    "clothing",
    "books",
    "home",
    "sports",
    "other",
];

fn envelope(rng: &mut Rng, i: usize, event_type: &str, version: &str, data: Value) -> Value {
    let timestamp = chrono::DateTime::from_timestamp(1_770_000_000 + i as i64, 0)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    json!({
        "eventId": rng.uuid(),
        "version": version,
        "timestamp": timestamp,
        "correlationId": rng.uuid(),
        "source": "catalog-service",
        "userId": rng.uuid(),
        "sessionId": rng.uuid(),
        "metadata": {
            "userAgent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)",
            "ipAddress": "203.0.113.7",
            "requestId": format!("req-{i}"),
        },
        "eventType": event_type,
        "data": data,
    })
}

/// The `i`-th event: 40% ProductCreated, 40% ProductUpdated, 10% each of the others.
fn valid_event(rng: &mut Rng, i: usize) -> Value {
    let category = CATEGORIES[rng.below(CATEGORIES.len() as u64) as usize];
    match rng.below(10) {
        0..=3 => {
            let minor_1 = rng.below(2) == 0;
            let description_len = 330 + rng.below(60) as usize;
            let mut data = json!({
                "productId": rng.uuid(),
                "name": rng.words(40),
                "description": rng.words(description_len),
                "price": rng.below(100_000) as f64 / 100.0,
                "quantity": rng.below(500),
                "category": category,
                "sellerId": rng.uuid(),
                "createdAt": "2026-03-01T11:59:58.250+01:00",
            });
            if minor_1 {
                data["metadata"] = json!({"color": "blue", "sizes": [40, 41, 42]});
            }
            let version = if minor_1 { "1.1.0" } else { "1.0.0" };
            envelope(rng, i, "ProductCreated", version, data)
        }
        4..=7 => {
            let data = json!({
                "productId": rng.uuid(),
                "changes": {"price": rng.below(100_000) as f64 / 100.0, "quantity": rng.below(500)},
                "previousState": {"price": 12999, "quantity": 40},
                "updatedAt": "2026-03-02T08:30:00Z",
            });
            envelope(rng, i, "ProductUpdated", "1.0.0", data)
        }
        8 => {
            let data = json!({
                "productId": rng.uuid(),
                "deletedAt": "2026-03-03T09:00:00Z",
                "reason": rng.words(60),
            });
            envelope(rng, i, "ProductDeleted", "1.0.0", data)
        }
        _ => {
            let data = json!({
                "productId": rng.uuid(),
                "productName": rng.words(30),
                "currentQuantity": rng.below(5),
                "threshold": 5,
                "sellerId": rng.uuid(),
                "category": category,
                "severity": "high",
            });
            envelope(rng, i, "LowStockWarning", "1.0.0", data)
        }
    }
}

/// Breaks an event in one of the ways producers do: a bad format, a bound, an enum, a
/// missing field, an unsupported major.
fn break_event(rng: &mut Rng, event: &mut Value) {
    match rng.below(5) {
        0 => event["eventId"] = json!("not-a-uuid"),
        1 => event["timestamp"] = json!("yesterday"),
        2 => {
            if let Some(data) = event["data"].as_object_mut() {
                data.remove("productId");
            }
        }
        3 => event["version"] = json!("9.0.0"),
        _ => event["userId"] = json!(42),
    }
}

/// The corpus, one event per element, as the bytes a consumer receives.
fn corpus() -> Vec<Vec<u8>> {
    let mut rng = Rng(SEED);
    (0..EVENTS)
        .map(|i| {
            let mut event = valid_event(&mut rng, i);
            if rng.below(10) == 0 {
                break_event(&mut rng, &mut event);
            }
            serde_json::to_vec(&event).unwrap_or_default()
        })
        .collect()
}

// The floor's types: what serde alone gives, with no constraint checked. Strings stand in
// for UUIDs and timestamps, as a service without contracts would read them.

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Metadata {
    user_agent: Option<String>,
    ip_address: Option<String>,
    request_id: Option<String>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Envelope<D> {
    event_id: String,
    event_type: String,
    version: String,
    timestamp: String,
    correlation_id: String,
    source: String,
    user_id: String,
    session_id: Option<String>,
    metadata: Option<Metadata>,
    data: D,
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreatedData {
    product_id: String,
    name: String,
    description: String,
    price: f64,
    quantity: f64,
    category: String,
    seller_id: String,
    created_at: Option<String>,
    metadata: Option<HashMap<String, Value>>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Changes {
    name: Option<String>,
    description: Option<String>,
    price: Option<f64>,
    quantity: Option<f64>,
    category: Option<String>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct UpdatedData {
    product_id: String,
    changes: Changes,
    previous_state: Option<Changes>,
    updated_at: Option<String>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DeletedData {
    product_id: String,
    deleted_at: Option<String>,
    reason: Option<String>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct LowStockData {
    product_id: String,
    product_name: String,
    current_quantity: f64,
    threshold: f64,
    seller_id: Option<String>,
    category: Option<String>,
    severity: Option<String>,
}

crate::floor_reads! {
    "ProductCreated" => Envelope<CreatedData>,
    "ProductUpdated" => Envelope<UpdatedData>,
    "ProductDeleted" => Envelope<DeletedData>,
    "LowStockWarning" => Envelope<LowStockData>,
}

/// Every bundled schema, by event type and version.
fn bundled_schemas() -> Vec<BundledSchema> {
    use event_contracts::{low_stock_warning, product_created, product_deleted, product_updated};
    vec![
        (
            "ProductCreated",
            "1.0.0",
            product_created::v1_0_0::SCHEMA_JSON,
        ),
        (
            "ProductCreated",
            "1.1.0",
            product_created::v1_1_0::SCHEMA_JSON,
        ),
        (
            "ProductUpdated",
            "1.0.0",
            product_updated::v1_0_0::SCHEMA_JSON,
        ),
        (
            "ProductDeleted",
            "1.0.0",
            product_deleted::v1_0_0::SCHEMA_JSON,
        ),
        (
            "LowStockWarning",
            "1.0.0",
            low_stock_warning::v1_0_0::SCHEMA_JSON,
        ),
    ]
}

/// The product's suite: its corpus and the rows' reads of it.
pub fn suite() -> Suite {
    Suite {
        group: "decode",
        events: corpus(),
        envelope: ("eventType", "version"),
        schemas: bundled_schemas(),
        floor_slice,
        floor_value,
        typify: crate::typified::product::read,
        typify_refused: crate::typified::product::REFUSED,
        formats: &[
            ("uuid", event_contracts::formats::is_uuid),
            ("date-time", event_contracts::formats::is_date_time),
        ],
        decode: |bytes| event_contracts::decode(bytes).is_ok(),
    }
}
