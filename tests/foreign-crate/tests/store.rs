//! The runtime's JSON Lines store over the shop's event enum: appends validate, reads give
//! back the events in order with their line numbers, and a stream is the events of one
//! order (`Config::stream_key("/orderId")`).

mod support;

use std::io::Write;
use std::path::PathBuf;

use event_contracts_runtime::store::{StoreError, StoredEvent};
use event_contracts_runtime::{DecodeError, EncodeError, EventSet, EventStore, JsonLinesStore};
use foreign_shop_events::common::SchemaVersion;
use foreign_shop_events::{decode, Event};

/// A fresh log file under cargo's scratch folder for integration tests.
fn fresh_log(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("foreign-store");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.jsonl"));
    let _ = std::fs::remove_file(&path);
    path
}

fn event(path: &str, order_id: &str) -> Event {
    let text = support::example(path).replace("ORD-000042", order_id);
    decode(text.as_bytes()).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Each stored event as (line, event), or the error's text.
fn read(
    stream: impl Iterator<Item = Result<StoredEvent<Event>, StoreError>>,
) -> Vec<Result<(u64, Event), String>> {
    stream
        .map(|item| {
            item.map(|s| (s.position, s.event))
                .map_err(|e| e.to_string())
        })
        .collect()
}

#[test]
fn events_are_appended_as_lines_and_read_back_in_order() {
    let path = fresh_log("in-order");
    let store: JsonLinesStore<Event> = JsonLinesStore::open(&path).unwrap();
    let placed = event("order-placed/examples/1.1.0/valid/full.json", "ORD-000042");
    let other = event(
        "order-placed/examples/1.0.0/valid/minimal.json",
        "ORD-000043",
    );
    let paid = event(
        "payment-captured/examples/1.0.0/valid/full.json",
        "ORD-000042",
    );
    for e in [&placed, &other, &paid] {
        store.append(e).unwrap();
    }
    assert_eq!(
        read(store.stream().unwrap()),
        [
            Ok((1, placed.clone())),
            Ok((2, other.clone())),
            Ok((3, paid.clone()))
        ]
    );
    assert_eq!(
        read(store.stream_of("ORD-000042").unwrap()),
        [Ok((1, placed.clone())), Ok((3, paid.clone()))]
    );
    assert_eq!(
        read(store.stream_of("ORD-000043").unwrap()),
        [Ok((2, other))]
    );
    assert_eq!(read(store.stream_of("ORD-999999").unwrap()), []);
    assert_eq!(paid.stream_key().as_deref(), Some("ORD-000042"));

    // Each line is the event as encode writes it: one JSON object, `kind` first.
    let log = std::fs::read_to_string(&path).unwrap();
    assert_eq!(log.lines().count(), 3);
    assert!(log.ends_with('\n'));
    assert!(log.lines().all(|line| line.starts_with(r#"{"kind":""#)));
}

#[test]
fn an_invalid_event_is_not_appended() {
    let path = fresh_log("invalid");
    let store: JsonLinesStore<Event> = JsonLinesStore::open(&path).unwrap();
    let Event::PaymentCaptured(mut payment) = event(
        "payment-captured/examples/1.0.0/valid/minimal.json",
        "ORD-000042",
    ) else {
        panic!("a PaymentCaptured decodes as one");
    };
    payment.schema_version = SchemaVersion::new("3.0.0".to_owned()).unwrap();
    let error = store.append(&Event::PaymentCaptured(payment)).unwrap_err();
    assert!(
        matches!(
            &error,
            StoreError::Encode(EncodeError::Invalid(DecodeError::UnsupportedVersion {
                field: "schemaVersion",
                ..
            }))
        ),
        "{error:?}"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "");
}

#[test]
fn a_bad_line_is_reported_with_its_number_and_reading_goes_on() {
    let path = fresh_log("bad-line");
    let store: JsonLinesStore<Event> = JsonLinesStore::open(&path).unwrap();
    let placed = event(
        "order-placed/examples/1.0.0/valid/minimal.json",
        "ORD-000042",
    );
    store.append(&placed).unwrap();
    {
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        file.write_all(b"{\"kind\":\"OrderShipped\",\"schemaVersion\":\"1.0.0\"}\n\n")
            .unwrap();
    }
    let paid = event(
        "payment-captured/examples/1.0.0/valid/minimal.json",
        "ORD-000042",
    );
    store.append(&paid).unwrap();
    assert_eq!(
        read(store.stream().unwrap()),
        [
            Ok((1, placed)),
            Err(r#"line 2: unknown event type "OrderShipped"; this build knows OrderPlaced, PaymentCaptured"#.to_owned()),
            Err("line 3: the line is empty; JSON Lines holds one event on every line".to_owned()),
            Ok((4, paid)),
        ]
    );
}

#[test]
fn a_log_reopened_reads_what_was_appended_before() {
    let path = fresh_log("reopened");
    let placed = event(
        "order-placed/examples/1.0.0/valid/non-canonical-spellings.json",
        "ORD-000042",
    );
    JsonLinesStore::<Event>::open(&path)
        .unwrap()
        .append(&placed)
        .unwrap();
    let store: JsonLinesStore<Event> = JsonLinesStore::open(&path).unwrap();
    // Spellings survive the log: the line is what was sent.
    let line = std::fs::read_to_string(&path).unwrap();
    assert!(
        line.contains(r#""id":"3F0C1F4E-8A2B-4C1D-9E7F-0A1B2C3D4E5F""#),
        "{line}"
    );
    assert!(line.contains(r#""quantity":2.0"#), "{line}");
    assert_eq!(read(store.stream().unwrap()), [Ok((1, placed))]);
}
