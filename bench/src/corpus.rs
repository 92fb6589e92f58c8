//! The real-world-style events of `tests/corpus-crate` (unions, nullable fields, maps,
//! integer enums, tuples, a recursive tree, `allOf`): 50,000 events built from the valid
//! examples under its `schemas/*/examples/1.0.0/valid/` (read from that folder, not
//! copied), each with a fresh event id, subject id and time, and about 10% broken, from a
//! fixed seed so that every run and every row sees identical bytes.

use std::collections::HashMap;

use serde::Deserialize;
use serde_json::{json, Value};

use event_contracts_corpus_crate::{ShopEvent, SCHEMAS_DIR};
use event_contracts_runtime::formats;

use crate::{BundledSchema, Suite};

/// Events in the corpus.
const EVENTS: usize = 50_000;
/// The seed of the corpus; changing it changes every figure's input.
const SEED: u64 = 0x5eed_c0de;

/// xorshift64*, as the product's corpus uses (see `product.rs`).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
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
}

/// The examples of one kind (`valid` or `invalid`) of every event, sorted by path so that
/// the corpus does not depend on the order the file system lists them in.
fn examples(kind: &str) -> Vec<Value> {
    let mut paths = Vec::new();
    let schemas = std::path::Path::new(SCHEMAS_DIR);
    for event in std::fs::read_dir(schemas).expect("the corpus crate's schemas/ is readable") {
        let dir = event
            .expect("a schemas/ entry")
            .path()
            .join("examples/1.0.0")
            .join(kind);
        if let Ok(files) = std::fs::read_dir(&dir) {
            paths.extend(files.filter_map(|f| f.ok()).map(|f| f.path()));
        }
    }
    paths.sort();
    paths
        .iter()
        .map(|path| {
            let text = std::fs::read(path).expect("an example is readable");
            serde_json::from_slice(&text)
                .unwrap_or_else(|e| panic!("{}: not JSON: {e}", path.display()))
        })
        .collect()
}

/// A fresh identity for an event taken from an example: its id, its subject's id, its time.
fn refresh(rng: &mut Rng, i: usize, event: &mut Value) {
    event["eventId"] = json!(rng.uuid());
    if event["subject"].is_object() {
        event["subject"]["id"] = json!(rng.uuid());
    }
    let time = chrono::DateTime::from_timestamp(1_770_000_000 + i as i64, 0)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    event["occurredAt"] = json!(time);
}

/// Breaks an event as producers do (a bad format, a missing or mistyped envelope member, an
/// unsupported major), or swaps it for one of the invalid examples, whose violations sit
/// deep inside the unions and maps.
fn break_event(rng: &mut Rng, invalid: &[Value], event: &mut Value) {
    match rng.below(6) {
        0 => event["eventId"] = json!("not-a-uuid"),
        1 => event["occurredAt"] = json!("yesterday"),
        2 => {
            if let Some(members) = event.as_object_mut() {
                members.remove("subject");
            }
        }
        3 => event["version"] = json!("9.0.0"),
        4 => event["subject"] = json!(42),
        _ => {
            let mut swapped = invalid[rng.below(invalid.len())].clone();
            swapped["eventId"] = event["eventId"].clone();
            *event = swapped;
        }
    }
}

/// The corpus, one event per element, as the bytes a consumer receives: the valid examples
/// in turn, chosen at random.
fn corpus() -> Vec<Vec<u8>> {
    let valid = examples("valid");
    let invalid = examples("invalid");
    assert!(
        !valid.is_empty() && !invalid.is_empty(),
        "no examples under {SCHEMAS_DIR}"
    );
    let mut rng = Rng(SEED);
    (0..EVENTS)
        .map(|i| {
            let mut event = valid[rng.below(valid.len())].clone();
            refresh(&mut rng, i, &mut event);
            if rng.below(10) == 0 {
                break_event(&mut rng, &invalid, &mut event);
            }
            serde_json::to_vec(&event).unwrap_or_default()
        })
        .collect()
}

// The floor's types: what serde alone gives, with no constraint checked. Strings stand in
// for every format, numbers are `f64` (the examples write integers as `4.0`, which JSON
// Schema counts as an integer and serde's `i64` refuses), unions are serde's untagged or
// internally tagged enums, maps are `HashMap`s, and members a type does not name are
// dropped.

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Trace {
    trace_id: String,
    span_id: Option<String>,
    sampled: Option<bool>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct Subject {
    id: String,
    kind: Option<String>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Actor {
    id: String,
    email: String,
    display_name: Option<String>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct Address {
    line1: String,
    line2: Option<String>,
    city: String,
    postcode: Option<String>,
    country: String,
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct Money {
    amount: f64,
    currency: String,
}

/// A string, number or boolean: enums that mix them, free-form attribute values.
#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(untagged)]
enum Scalar {
    Text(String),
    Number(f64),
    Flag(bool),
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct OrderPlaced {
    event_id: String,
    #[serde(rename = "type")]
    event_type: String,
    version: String,
    occurred_at: String,
    source: String,
    trace: Option<Trace>,
    subject: Subject,
    order: Order,
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Order {
    customer: Customer,
    lines: Vec<Line>,
    total: Money,
    shipping_address: Option<Address>,
    billing_address: Option<Address>,
    coupon_code: Option<String>,
    note: Option<String>,
    priority: f64,
    gift_wrap: Option<Scalar>,
    rating: Option<Scalar>,
    labels: Option<HashMap<String, String>>,
    tags: Option<HashMap<String, String>>,
    stock: Option<HashMap<String, StockLevel>>,
    attributes: Option<HashMap<String, Scalar>>,
    contact: Option<Contact>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Customer {
    id: String,
    email: String,
    display_name: Option<String>,
    loyalty_tier: String,
    since: Option<String>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Line {
    sku: String,
    quantity: f64,
    unit_price: Money,
    discount: Option<f64>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct StockLevel {
    available: f64,
    reserved: Option<f64>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct Contact {
    email: Option<String>,
    website: Option<String>,
    ip: Option<String>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct MessagePosted {
    event_id: String,
    #[serde(rename = "type")]
    event_type: String,
    version: String,
    occurred_at: String,
    trace: Option<Trace>,
    subject: Subject,
    author: Actor,
    message: Message,
    recipient: Option<Recipient>,
    attachment: Option<Attachment>,
    reply_to: Option<f64>,
    reactions: Option<HashMap<String, f64>>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "lowercase",
    rename_all_fields = "camelCase"
)]
enum Message {
    Text {
        body: String,
        mentions: Option<Vec<String>>,
    },
    Image {
        url: String,
        size: (f64, f64),
        alt: Option<String>,
    },
    Poll {
        question: String,
        options: Vec<String>,
        closes_at: Option<String>,
    },
    Reaction {
        emoji: String,
        target: String,
    },
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(untagged)]
enum Recipient {
    Email(String),
    Channel {
        channel: String,
        thread: Option<f64>,
    },
    User(f64),
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(untagged, rename_all_fields = "camelCase")]
enum Attachment {
    File {
        file_name: String,
        bytes: f64,
    },
    Link {
        href: String,
        preview: Option<String>,
    },
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CatalogRestructured {
    event_id: String,
    #[serde(rename = "type")]
    event_type: String,
    version: String,
    occurred_at: String,
    subject: Subject,
    root: Category,
    moved: Option<Vec<String>>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct Category {
    slug: String,
    name: HashMap<String, String>,
    children: Vec<Category>,
    featured: Option<Box<Category>>,
    meta: Option<HashMap<String, Scalar>>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ReadingRecorded {
    event_id: String,
    #[serde(rename = "type")]
    event_type: String,
    version: String,
    occurred_at: String,
    source: String,
    subject: Subject,
    device: Device,
    position: Vec<f64>,
    samples: Vec<Scalar>,
    flags: Option<Vec<String>>,
    peaks: Option<Vec<f64>>,
    status: f64,
    level: Option<Scalar>,
    reading: Option<Scalar>,
    precision: Option<f64>,
    batch: Option<f64>,
    calibration: Option<Calibration>,
    window: Option<Vec<Point>>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct Device {
    host: String,
    address: String,
    firmware: Option<String>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct Point {
    at: String,
    value: f64,
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct Calibration {
    at: String,
    by: Option<String>,
    offset: Option<f64>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AccountUpdated {
    event_id: String,
    #[serde(rename = "type")]
    event_type: String,
    version: String,
    occurred_at: String,
    trace: Option<Trace>,
    subject: Subject,
    account: Account,
    changes: HashMap<String, Value>,
    profile: Option<Profile>,
    links: Option<HashMap<String, String>>,
    notes: Option<Vec<String>>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Account {
    id: String,
    plan: String,
    status: String,
    seats: Option<f64>,
    closed_at: Option<String>,
    credit_card: Option<String>,
    billing_address: Option<Address>,
    tax_id: Option<String>,
    suspension_reason: Option<String>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Profile {
    id: String,
    email: String,
    display_name: Option<String>,
    locale: Option<String>,
}

crate::floor_reads! {
    "OrderPlaced" => OrderPlaced,
    "MessagePosted" => MessagePosted,
    "CatalogRestructured" => CatalogRestructured,
    "ReadingRecorded" => ReadingRecorded,
    "AccountUpdated" => AccountUpdated,
}

/// Every bundled schema of the corpus crate, by event type and version.
fn bundled_schemas() -> Vec<BundledSchema> {
    event_contracts_runtime::__private::schemas::<ShopEvent>()
        .map(|(event_type, (major, minor, patch), _file, json)| {
            // Leaked once per schema: the suite lives as long as the bench.
            let version: &'static str = format!("{major}.{minor}.{patch}").leak();
            (event_type.as_str(), version, json)
        })
        .collect()
}

/// The real-world-style suite: its corpus and the rows' reads of it. typify refuses most
/// of these schemas (`typified::corpus::REFUSED`), so its row reads only the rest.
pub fn suite() -> Suite {
    Suite {
        group: "corpus",
        events: corpus(),
        envelope: ("type", "version"),
        schemas: bundled_schemas(),
        floor_slice,
        floor_value,
        typify: crate::typified::corpus::read,
        typify_refused: crate::typified::corpus::REFUSED,
        formats: &[
            ("uuid", formats::is_uuid),
            ("date-time", formats::is_date_time),
        ],
        decode: |bytes| event_contracts_corpus_crate::decode(bytes).is_ok(),
    }
}
