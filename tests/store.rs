//! The JSON Lines event store: appends are whole validated lines, reads stream with line
//! numbers and per-line errors, and threads appending at once never interleave lines.

mod replay_support;

use std::collections::BTreeSet;
use std::io::{BufReader, Cursor, Read};
use std::sync::Arc;

use event_contracts::store::{
    EventStore, JsonLinesReader, JsonLinesStore, ProductStreams, StoreError,
};
use event_contracts::{encode, DecodeError, EncodeError, ProductEvent};
use replay_support::*;
use serde_json::json;
use uuid::Uuid;

fn temp_log() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("events.jsonl");
    (dir, path)
}

fn line_of(event: &ProductEvent) -> String {
    let mut line = String::from_utf8(encode(event).unwrap()).unwrap();
    line.push('\n');
    line
}

/// (position, event) for each stored event, or (line, error text) for each bad line.
fn positions(
    stream: impl Iterator<Item = Result<event_contracts::store::StoredEvent, StoreError>>,
) -> Vec<Result<(u64, ProductEvent), String>> {
    stream
        .map(|item| {
            item.map(|s| (s.position, s.event))
                .map_err(|e| e.to_string())
        })
        .collect()
}

#[test]
fn appended_events_are_whole_lines_read_back_in_order() {
    let (_dir, path) = temp_log();
    let store = JsonLinesStore::open(&path).unwrap();
    let events = [
        created(
            1,
            P1,
            "2026-03-01T10:00:00Z",
            "Trail shoe",
            json!(12999),
            40,
        ),
        created(2, P2, "2026-03-01T10:05:00Z", "Road shoe", json!(9999), 4),
        low_stock(3, P2, "2026-03-01T10:10:00Z", 4, 5, Some("medium")),
    ];
    for event in &events {
        store.append(event).unwrap();
    }
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text, events.iter().map(line_of).collect::<String>());
    let read = positions(store.stream().unwrap());
    assert_eq!(
        read,
        events
            .iter()
            .enumerate()
            .map(|(i, e)| Ok((i as u64 + 1, e.clone())))
            .collect::<Vec<_>>()
    );
    // A second store on the same file (another run of the service) appends after them.
    drop(store);
    let again = JsonLinesStore::open(&path).unwrap();
    let more = deleted(4, P1, "2026-03-02T00:00:00Z", "2026-03-02T00:00:00Z", None);
    again.append(&more).unwrap();
    let read = positions(again.stream().unwrap());
    assert_eq!(read.len(), 4);
    assert_eq!(read[3], Ok((4, more)));
}

#[test]
fn one_products_history_streams_alone_with_its_positions() {
    let (_dir, path) = temp_log();
    let store = JsonLinesStore::open(&path).unwrap();
    let events = [
        created(
            1,
            P1,
            "2026-03-01T10:00:00Z",
            "Trail shoe",
            json!(12999),
            40,
        ),
        created(2, P2, "2026-03-01T10:05:00Z", "Road shoe", json!(9999), 4),
        updated(
            3,
            P1,
            "2026-03-01T10:10:00Z",
            json!({"quantity": 3}),
            json!({"quantity": 40}),
            None,
        ),
        low_stock(4, P2, "2026-03-01T10:15:00Z", 4, 5, None),
    ];
    for event in &events {
        store.append(event).unwrap();
    }
    let p1 = positions(store.stream_product(Uuid::try_parse(P1).unwrap()).unwrap());
    assert_eq!(p1, [Ok((1, events[0].clone())), Ok((3, events[2].clone()))]);
    let p2 = positions(store.stream_product(Uuid::try_parse(P2).unwrap()).unwrap());
    assert_eq!(p2, [Ok((2, events[1].clone())), Ok((4, events[3].clone()))]);
}

#[test]
fn an_invalid_event_is_not_appended() {
    let (_dir, path) = temp_log();
    let store = JsonLinesStore::open(&path).unwrap();
    let ProductEvent::ProductCreated(mut event) = created(
        1,
        P1,
        "2026-03-01T10:00:00Z",
        "Trail shoe",
        json!(12999),
        40,
    ) else {
        panic!("not a ProductCreated");
    };
    // A well-formed version that this build does not read: encode refuses it.
    event.version = "7.0.0".try_into().unwrap();
    let err = store.append(&ProductEvent::from(event)).unwrap_err();
    assert!(
        matches!(
            &err,
            StoreError::Encode(EncodeError::Invalid(DecodeError::UnsupportedVersion { version, .. })) if version == "7.0.0"
        ),
        "{err:?}"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "");
}

#[test]
fn bad_lines_are_reported_with_their_numbers_and_reading_goes_on() {
    let (_dir, path) = temp_log();
    let good = [
        created(
            1,
            P1,
            "2026-03-01T10:00:00Z",
            "Trail shoe",
            json!(12999),
            40,
        ),
        created(2, P2, "2026-03-01T10:05:00Z", "Road shoe", json!(9999), 4),
        deleted(3, P1, "2026-03-02T00:00:00Z", "2026-03-02T00:00:00Z", None),
    ];
    let negative_price = created_json(4, P2, "2026-03-01T10:00:00Z", "Bad", json!(-1), 1);
    let text = format!(
        "{}not json\n{}{}\n   \n{}",
        line_of(&good[0]),
        line_of(&good[1]).replace('\n', "\r\n"),
        negative_price,
        line_of(&good[2]),
    );
    std::fs::write(&path, text).unwrap();
    let store = JsonLinesStore::open(&path).unwrap();
    let read = positions(store.stream().unwrap());
    assert_eq!(read.len(), 6);
    assert_eq!(read[0], Ok((1, good[0].clone())));
    assert_eq!(
        read[1],
        Err("line 2: the event is not valid JSON: expected ident at line 1 column 2".to_owned())
    );
    assert_eq!(read[2], Ok((3, good[1].clone())));
    assert_eq!(
        read[3],
        Err("line 4: ProductCreated 1.0.0 is invalid under schemas/product-created/1.0.0.json (1 violation):\n  /data/price: -1 is less than the minimum of 0 (minimum)".to_owned())
    );
    // A blank line holds no event; like `contracts validate`, the reader says so.
    assert_eq!(
        read[4],
        Err("line 5: the line is empty; JSON Lines holds one event on every line".to_owned())
    );
    assert_eq!(read[5], Ok((6, good[2].clone())));
}

#[test]
fn a_line_cut_short_by_a_crash_stays_reported_and_the_next_append_starts_a_new_line() {
    let (_dir, path) = temp_log();
    let first = created(
        1,
        P1,
        "2026-03-01T10:00:00Z",
        "Trail shoe",
        json!(12999),
        40,
    );
    let whole = line_of(&first);
    let cut = &whole[..whole.len() / 2];
    std::fs::write(&path, cut).unwrap();
    let store = JsonLinesStore::open(&path).unwrap();
    let next = created(2, P2, "2026-03-01T10:05:00Z", "Road shoe", json!(9999), 4);
    store.append(&next).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text, format!("{cut}\n{}", line_of(&next)));
    let read = positions(store.stream().unwrap());
    assert_eq!(read.len(), 2);
    assert!(
        read[0].as_ref().is_err_and(|e| e.starts_with("line 1: the event is not valid JSON: EOF while parsing")),
        "{read:?}"
    );
    assert_eq!(read[1], Ok((2, next)));
}

#[test]
fn a_line_over_the_size_limit_is_skipped_without_being_buffered() {
    let small = created(1, P1, "2026-03-01T10:00:00Z", "T", json!(1), 1);
    let mut big = created_json(2, P2, "2026-03-01T10:00:00Z", "Big", json!(1), 1);
    big["data"]["description"] = json!("x".repeat(900));
    // The last line ends with \r\n: the terminator does not count towards the limit.
    let text = format!(
        "{}{big}\n{}",
        line_of(&small),
        line_of(&small).replace('\n', "\r\n")
    );
    let big_len = big.to_string().len();
    let limit = line_of(&small).len() - 1;
    let reader = JsonLinesReader::new(Cursor::new(text)).with_max_size(limit);
    let read = positions(reader);
    assert_eq!(read[0], Ok((1, small.clone())));
    assert_eq!(
        read[1],
        Err(format!(
            "line 2: {}",
            DecodeError::TooLarge {
                size: big_len,
                limit
            }
        ))
    );
    // The same event id twice is the replay's concern; the store reads what is there.
    assert_eq!(read[2], Ok((3, small)));
    assert_eq!(read.len(), 3);
}

/// An endless log: reading it only terminates if the reader streams.
struct EndlessLog {
    line: Vec<u8>,
    offset: usize,
}

impl Read for EndlessLog {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let mut written = 0;
        while written < buf.len() {
            let n = (self.line.len() - self.offset).min(buf.len() - written);
            buf[written..written + n].copy_from_slice(&self.line[self.offset..self.offset + n]);
            written += n;
            self.offset = (self.offset + n) % self.line.len();
        }
        Ok(written)
    }
}

#[test]
fn reading_streams_one_line_at_a_time() {
    let event = created(
        1,
        P1,
        "2026-03-01T10:00:00Z",
        "Trail shoe",
        json!(12999),
        40,
    );
    let log = EndlessLog {
        line: line_of(&event).into_bytes(),
        offset: 0,
    };
    let reader = JsonLinesReader::new(BufReader::with_capacity(64, log));
    let first: Vec<u64> = reader.take(1000).map(|r| r.unwrap().position).collect();
    assert_eq!(first, (1..=1000).collect::<Vec<u64>>());
}

#[test]
fn a_stream_reads_the_log_as_it_was_when_it_started() {
    let (_dir, path) = temp_log();
    let store = JsonLinesStore::open(&path).unwrap();
    let first = created(
        1,
        P1,
        "2026-03-01T10:00:00Z",
        "Trail shoe",
        json!(12999),
        40,
    );
    store.append(&first).unwrap();
    let stream = store.stream().unwrap();
    store
        .append(&created(
            2,
            P2,
            "2026-03-01T10:05:00Z",
            "Road shoe",
            json!(9999),
            4,
        ))
        .unwrap();
    assert_eq!(positions(stream), [Ok((1, first))]);
    assert_eq!(store.stream().unwrap().count(), 2);
}

#[test]
fn threads_appending_at_once_never_interleave_lines() {
    let (_dir, path) = temp_log();
    let store = Arc::new(JsonLinesStore::open(&path).unwrap());
    const THREADS: u32 = 8;
    const EACH: u32 = 25;
    let handles: Vec<_> = (0..THREADS)
        .map(|t| {
            let store = Arc::clone(&store);
            std::thread::spawn(move || {
                for i in 0..EACH {
                    let n = t * 1000 + i;
                    let product = format!("{:08}-0000-4000-8000-000000000000", t);
                    let mut event =
                        created_json(n, &product, "2026-03-01T10:00:00Z", "Shoe", json!(1), 1);
                    // Long lines make a torn or interleaved write likely if appends were not whole.
                    event["data"]["description"] = json!(format!("{t}").repeat(1000));
                    store.append(&replay_support::event(event)).unwrap();
                }
            })
        })
        .collect();
    for handle in handles {
        handle.join().unwrap();
    }
    let read = positions(store.stream().unwrap());
    let ids: BTreeSet<String> = read
        .iter()
        .map(|r| match r {
            Ok((_, e)) => e.event_id().to_string(),
            Err(e) => panic!("{e}"),
        })
        .collect();
    let expected: BTreeSet<String> = (0..THREADS)
        .flat_map(|t| (0..EACH).map(move |i| event_id(t * 1000 + i)))
        .collect();
    assert_eq!(ids, expected);
    assert_eq!(read.len(), (THREADS * EACH) as usize);
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text.lines().count(), (THREADS * EACH) as usize);
}

#[test]
fn a_log_that_cannot_be_opened_names_its_path() {
    let dir = tempfile::tempdir().unwrap();
    let err = JsonLinesStore::open(dir.path()).unwrap_err();
    let StoreError::Io { path, .. } = &err else {
        panic!("{err:?}");
    };
    assert_eq!(path, dir.path());
}
