//! Replaying 1M events into the read model.
//!
//! - `replay/1M events in memory`: the fold alone, over events decoded beforehand.
//! - `replay/1M JSON lines streamed`: a JSON Lines log generated on the fly (never held
//!   in memory) is read, decoded and folded line by line, as `contracts replay` does; its
//!   memory is one line plus the catalog, however long the log.
//!
//! Run with `cargo bench --bench replay`.

use std::io::{BufReader, Read};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use event_contracts::store::JsonLinesReader;
use event_contracts::{decode_value, ProductCatalog, ProductEvent};
use serde_json::{json, Value};

const EVENTS: u64 = 1_000_000;
/// Each product lives through this many events: created, 6 stock updates, a low-stock
/// warning, a restock and a deletion.
const LIFE: u64 = 10;

fn uuid(n: u64, kind: u64) -> String {
    format!("{kind:08x}-0000-4000-8000-{n:012x}")
}

/// The `i`-th event of the generated log, as JSON.
fn event_json(i: u64) -> Value {
    let product = uuid(i / LIFE, 0xb);
    let step = i % LIFE;
    let timestamp = chrono::DateTime::from_timestamp(1_770_000_000 + i as i64, 0)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let quantity = |s: u64| 100 - 15 * s.min(6);
    let (event_type, data) = match step {
        0 => (
            "ProductCreated",
            json!({
                "productId": product, "name": "Bench shoe", "description": "Generated",
                "price": 12999, "quantity": quantity(0), "category": "sports",
                "sellerId": uuid(i / LIFE % 100, 0x5),
            }),
        ),
        1..=6 => (
            "ProductUpdated",
            json!({
                "productId": product,
                "changes": {"quantity": quantity(step)},
                "previousState": {"quantity": quantity(step - 1)},
            }),
        ),
        7 => (
            "LowStockWarning",
            json!({
                "productId": product, "productName": "Bench shoe",
                "currentQuantity": quantity(6), "threshold": 20, "severity": "high",
            }),
        ),
        8 => (
            "ProductUpdated",
            json!({
                "productId": product,
                "changes": {"quantity": 500},
                "previousState": {"quantity": quantity(6)},
            }),
        ),
        _ => (
            "ProductDeleted",
            json!({"productId": product, "deletedAt": timestamp, "reason": "end of line"}),
        ),
    };
    json!({
        "eventId": uuid(i, 0xe),
        "eventType": event_type,
        "version": "1.0.0",
        "timestamp": timestamp,
        "correlationId": uuid(i, 0xc),
        "source": "bench",
        "userId": uuid(1, 0xa),
        "data": data,
    })
}

/// The generated log as bytes, produced line by line as it is read.
struct GeneratedLog {
    next: u64,
    line: Vec<u8>,
    offset: usize,
}

impl GeneratedLog {
    fn new() -> Self {
        GeneratedLog {
            next: 0,
            line: Vec::new(),
            offset: 0,
        }
    }
}

impl Read for GeneratedLog {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.offset == self.line.len() {
            if self.next == EVENTS {
                return Ok(0);
            }
            self.line = serde_json::to_vec(&event_json(self.next))?;
            self.line.push(b'\n');
            self.offset = 0;
            self.next += 1;
        }
        let n = (self.line.len() - self.offset).min(buf.len());
        buf[..n].copy_from_slice(&self.line[self.offset..self.offset + n]);
        self.offset += n;
        Ok(n)
    }
}

fn replay(c: &mut Criterion) {
    let events: Vec<ProductEvent> = (0..EVENTS)
        .map(|i| decode_value(&event_json(i)).unwrap_or_else(|e| panic!("event {i}: {e}")))
        .collect();
    // The generated log must replay cleanly, or the benchmark measures rejections.
    let check = ProductCatalog::replay(&events);
    assert_eq!(check.rejections(), [], "the generated log has misfits");
    assert_eq!(check.len() as u64, EVENTS / LIFE);

    let mut group = c.benchmark_group("replay");
    group.sample_size(10);
    group.throughput(Throughput::Elements(EVENTS));
    group.bench_function("1M events in memory", |b| {
        b.iter(|| ProductCatalog::replay(&events).len())
    });
    drop(events);
    group.bench_function("1M JSON lines streamed", |b| {
        b.iter(|| {
            let mut catalog = ProductCatalog::new();
            for stored in JsonLinesReader::new(BufReader::new(GeneratedLog::new())) {
                let stored = stored.unwrap_or_else(|e| panic!("{e}"));
                let _ = catalog.apply(&stored.event);
            }
            catalog.len()
        })
    });
    group.finish();
}

criterion_group!(benches, replay);
criterion_main!(benches);
