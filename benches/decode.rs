//! Decoding throughput: our `decode` against the typed serde floor and the generic path.
//!
//! Every row reads the same corpus: 100,000 generated events mixing the four event types
//! (ProductCreated about 1,100 bytes), about 10% of them invalid, built from a fixed seed so
//! that every run and every row sees identical bytes.
//!
//! - `decode/a_value`: `serde_json::from_slice::<Value>`, the parse alone;
//! - `decode/b_typed_floor`: `serde_json::from_slice` into plain serde structs with no
//!   validation, the floor;
//! - `decode/b_typed_read_once`: the floor's typed read alone, the struct chosen before
//!   timing: what any serde_json-based decode costs at the least;
//! - `decode/c_generic`: `Value`, then the `jsonschema` crate with the bundled schemas,
//!   then `serde_json::from_value` into the plain structs;
//! - `decode/c_generic_all_errors`: the same, collecting every violation's pointer and
//!   message as `decode` does (jsonschema's `is_valid` in (c) stops at the first);
//! - `decode/d0_decode_via_value`: the previous `decode`, through a strict `Value`;
//! - `decode/d_simd_tape_typed`: a probe, the generated types read from a simd-json tape;
//! - `decode/d_decode`: `event_contracts::decode`, every rule enforced.
//!
//! The corpus is also written to `target/bench-corpus/events.jsonl`, so that `cargo xtask
//! bench` can time `contracts validate` and ajv on the very same lines.
//!
//! Run with `cargo xtask bench`, or `cargo bench --bench decode`.

use std::collections::HashMap;
use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode, Throughput};
use serde::Deserialize;
use serde_json::{json, Value};

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

/// Writes the corpus as JSON Lines for the rows measured outside criterion.
fn write_corpus(events: &[Vec<u8>]) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-corpus");
    let mut text = Vec::with_capacity(events.iter().map(|e| e.len() + 1).sum());
    for event in events {
        text.extend_from_slice(event);
        text.push(b'\n');
    }
    let written = std::fs::create_dir_all(&dir)
        .and_then(|()| std::fs::write(dir.join("events.jsonl"), text))
        .and_then(|()| {
            // ajv validates with the very schemas this build bundles, named by type and version.
            for (event_type, version, schema) in bundled_schemas() {
                std::fs::write(dir.join(format!("{event_type}-{version}.json")), schema)?;
            }
            Ok(())
        });
    if let Err(e) = written {
        eprintln!("could not write the corpus to {}: {e}", dir.display());
    }
}

/// Every bundled schema, by event type and version.
fn bundled_schemas() -> [(&'static str, &'static str, &'static str); 5] {
    use event_contracts::{low_stock_warning, product_created, product_deleted, product_updated};
    [
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

/// The floor's event: one plain struct per event type.
#[allow(dead_code)]
enum PlainEvent {
    Created(Envelope<CreatedData>),
    Updated(Envelope<UpdatedData>),
    Deleted(Envelope<DeletedData>),
    LowStock(Envelope<LowStockData>),
}

/// The event type, read without building a tree: the floor must pick a struct as cheaply
/// as a hand-written consumer would, so it peeks the tag, then reads the one struct.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Tag<'a> {
    #[serde(borrow)]
    event_type: std::borrow::Cow<'a, str>,
}

/// The envelope, borrowed, for the simd-json probe.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Envelope2<'a> {
    #[serde(borrow)]
    event_type: std::borrow::Cow<'a, str>,
    #[serde(borrow)]
    version: std::borrow::Cow<'a, str>,
}

/// The simd-json probe: tape, envelope, then the generated type of that version read
/// from the tape with serde. `true` when the typed read succeeds.
fn simd_tape_typed(event: &[u8], scratch: &mut Vec<u8>, buffers: &mut simd_json::Buffers) -> bool {
    scratch.clear();
    scratch.extend_from_slice(event);
    let Ok(tape) = simd_json::to_tape_with_buffers(scratch, buffers) else {
        return false;
    };
    let mut tape = simd_json::Deserializer::from_tape(tape);
    let Ok(envelope) = Envelope2::deserialize(&mut tape) else {
        return false;
    };
    let Ok(event_type) = envelope.event_type.parse::<event_contracts::EventType>() else {
        return false;
    };
    let Ok(choice) = event_contracts::choose_schema(event_type, &envelope.version) else {
        return false;
    };
    let (major, minor, _) = choice.schema_version;
    let _minor = event_contracts::__private::ReadMinorGuard::set(minor);
    tape.restart();
    matches!(
        <event_contracts::ProductEvent as event_contracts::EventSet>::deserialize_major(
            event_type, major, &mut tape
        ),
        Some(Ok(_))
    )
}

fn plain_from_slice(bytes: &[u8]) -> Option<PlainEvent> {
    let tag: Tag = serde_json::from_slice(bytes).ok()?;
    plain_read_once(bytes, Some(&tag.event_type))
}

/// The floor's second read, with the struct already chosen.
fn plain_read_once(bytes: &[u8], kind: Option<&str>) -> Option<PlainEvent> {
    match kind? {
        "ProductCreated" => serde_json::from_slice(bytes).ok().map(PlainEvent::Created),
        "ProductUpdated" => serde_json::from_slice(bytes).ok().map(PlainEvent::Updated),
        "ProductDeleted" => serde_json::from_slice(bytes).ok().map(PlainEvent::Deleted),
        "LowStockWarning" => serde_json::from_slice(bytes).ok().map(PlainEvent::LowStock),
        _ => None,
    }
}

fn plain_from_value(value: Value) -> Option<PlainEvent> {
    match value.get("eventType").and_then(Value::as_str)? {
        "ProductCreated" => serde_json::from_value(value).ok().map(PlainEvent::Created),
        "ProductUpdated" => serde_json::from_value(value).ok().map(PlainEvent::Updated),
        "ProductDeleted" => serde_json::from_value(value).ok().map(PlainEvent::Deleted),
        "LowStockWarning" => serde_json::from_value(value).ok().map(PlainEvent::LowStock),
        _ => None,
    }
}

/// The generic path's validators, compiled once from the bundled schemas, by (type, version).
fn generic_validators() -> HashMap<(&'static str, &'static str), jsonschema::Validator> {
    bundled_schemas()
        .into_iter()
        .map(|(event_type, version, text)| {
            let schema: Value = serde_json::from_str(text).expect("bundled schema parses");
            let validator = jsonschema::draft7::options()
                .should_validate_formats(true)
                .build(&schema)
                .expect("bundled schema compiles");
            ((event_type, version), validator)
        })
        .collect()
}

/// The generic path: parse, pick the schema by the envelope, validate, then convert. With
/// `all_errors`, every violation's instance pointer and message are built, as `decode`
/// does; without, jsonschema stops at the first and reports nothing.
fn generic(
    validators: &HashMap<(&'static str, &'static str), jsonschema::Validator>,
    bytes: &[u8],
    all_errors: bool,
) -> Option<PlainEvent> {
    let value: Value = serde_json::from_slice(bytes).ok()?;
    let event_type = value.get("eventType")?.as_str()?;
    let version = value.get("version")?.as_str()?;
    let validator = validators.get(&(event_type, version))?;
    let valid = if all_errors {
        let errors: Vec<(String, String)> = validator
            .iter_errors(&value)
            .map(|e| (e.instance_path().to_string(), e.to_string()))
            .collect();
        errors.is_empty()
    } else {
        validator.is_valid(&value)
    };
    if !valid {
        return None;
    }
    plain_from_value(value)
}

/// How many of `events` `accept` takes: one pass of a row over the corpus.
fn accepted(events: &[Vec<u8>], mut accept: impl FnMut(&[u8]) -> bool) -> usize {
    events.iter().filter(|e| accept(e)).count()
}

fn bench_decode(c: &mut Criterion) {
    let events = corpus();
    write_corpus(&events);
    let bytes: u64 = events.iter().map(|e| e.len() as u64).sum();
    let validators = generic_validators();

    let mut group = c.benchmark_group("decode");
    // A pass over the corpus takes a fraction of a second: ten passes per row are enough
    // on a shared two-core machine, and Flat sampling keeps it to exactly that.
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    group.throughput(Throughput::Bytes(bytes));

    group.bench_function("a_value", |b| {
        b.iter(|| accepted(&events, |e| serde_json::from_slice::<Value>(e).is_ok()))
    });
    // The physical ceiling: simd-json's tape (structure and scalars found, nothing built),
    // on a copy of each event since it parses in place; the copy is part of the row. The
    // parser's buffers are reused from event to event, as a consumer loop would.
    group.bench_function("a_simd_json_tape", |b| {
        let mut scratch: Vec<u8> = Vec::with_capacity(1 << 16);
        let mut buffers = simd_json::Buffers::new(1 << 12);
        b.iter(|| {
            accepted(&events, |e| {
                scratch.clear();
                scratch.extend_from_slice(e);
                simd_json::to_tape_with_buffers(&mut scratch, &mut buffers).is_ok()
            })
        })
    });
    group.bench_function("b_typed_floor", |b| {
        b.iter(|| accepted(&events, |e| plain_from_slice(e).is_some()))
    });
    // The floor's typed read alone: each event's struct picked before the timing starts
    // (from its own `eventType`), so each event is read once. No decoder can pick the
    // struct for free, so this bounds every serde_json-based decode from below.
    let kinds: Vec<Option<String>> = events
        .iter()
        .map(|e| {
            serde_json::from_slice::<Tag>(e)
                .ok()
                .map(|t| t.event_type.into_owned())
        })
        .collect();
    group.bench_function("b_typed_read_once", |b| {
        b.iter(|| {
            events
                .iter()
                .zip(&kinds)
                .filter(|(e, kind)| plain_read_once(e, kind.as_deref()).is_some())
                .count()
        })
    });
    group.bench_function("c_generic", |b| {
        b.iter(|| accepted(&events, |e| generic(&validators, e, false).is_some()))
    });
    group.bench_function("c_generic_all_errors", |b| {
        b.iter(|| accepted(&events, |e| generic(&validators, e, true).is_some()))
    });
    // The previous decode, kept as a row so that before and after share one run: the
    // strict Value parse, then the generated types read from the Value.
    group.bench_function("d0_decode_via_value", |b| {
        b.iter(|| {
            accepted(&events, |e| {
                event_contracts::Decoder::new()
                    .parse(e)
                    .and_then(|v| event_contracts::decode_value(&v))
                    .is_ok()
            })
        })
    });
    // A probe, not a decoder: the generated types read through serde from a simd-json
    // tape instead of from serde_json's reader, to see whether a SIMD parser under the
    // same typed read would be faster. Invalid events are only rejected (no errors).
    group.bench_function("d_simd_tape_typed", |b| {
        let mut scratch: Vec<u8> = Vec::with_capacity(1 << 16);
        let mut buffers = simd_json::Buffers::new(1 << 12);
        b.iter(|| accepted(&events, |e| simd_tape_typed(e, &mut scratch, &mut buffers)))
    });
    group.bench_function("d_decode", |b| {
        b.iter(|| accepted(&events, |e| event_contracts::decode(e).is_ok()))
    });
    group.finish();

    // The verdicts, once, so a reader can check that every row saw the same invalid share.
    let valid = accepted(&events, |e| event_contracts::decode(e).is_ok());
    eprintln!(
        "corpus: {} events, {} bytes, {} accepted by decode",
        events.len(),
        bytes,
        valid
    );
}

criterion_group!(benches, bench_decode);
criterion_main!(benches);
