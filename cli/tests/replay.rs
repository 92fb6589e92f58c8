//! `contracts replay`, run as a user runs it: the exact JSON report, snapshots of the
//! table, temporal queries, one product, and exit codes.

use serde_json::{json, Value};

mod support;
use support::{contracts, root, Run};

const LOG: &str = "cli/tests/fixtures/catalog.jsonl";
const P1: &str = "11111111-1111-4111-8111-111111111111";
const P2: &str = "22222222-2222-4222-8222-222222222222";
const SELLER: &str = "5e11e500-0000-4000-8000-000000000001";

fn json_of(run: &Run) -> Value {
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "");
    serde_json::from_str(&run.stdout).unwrap()
}

fn trail_shoe(quantity: u64, updated_at: &str, low_stock: Value) -> Value {
    json!({
        "productId": P1,
        "name": "Trail shoe",
        "description": "Trail shoe, described",
        "price": 11999,
        "quantity": quantity,
        "category": "sports",
        "sellerId": SELLER,
        "deleted": false,
        "deletedReason": null,
        "createdAt": "2026-03-01T09:59:58Z",
        "updatedAt": updated_at,
        "lowStock": low_stock
    })
}

fn rain_jacket(deleted: bool) -> Value {
    json!({
        "productId": P2,
        "name": "Rain jacket",
        "description": "Rain jacket, described",
        "price": 8999.5,
        "quantity": 12,
        "category": "clothing",
        "sellerId": SELLER,
        "deleted": deleted,
        "deletedReason": if deleted { json!("discontinued") } else { Value::Null },
        "createdAt": "2026-03-01T11:00:00Z",
        "updatedAt": if deleted { "2026-03-04T09:30:00Z" } else { "2026-03-01T11:00:00Z" },
        "lowStock": null
    })
}

fn rejected(n: u32, reason: &str) -> Value {
    json!({"eventId": format!("e0000000-0000-4000-8000-{n:012}"), "reason": reason})
}

#[test]
fn the_whole_log_replays_to_the_exact_catalog() {
    let run = contracts(&["replay", LOG, "--format", "json"], b"");
    assert_eq!(
        json_of(&run),
        json!({
            "asOf": null,
            "products": [
                trail_shoe(50, "2026-03-03T10:00:00Z", Value::Null),
                rain_jacket(true),
            ],
            "rejected": [
                rejected(5, "unknown product 33333333-3333-4333-8333-333333333333: no ProductCreated for it came before"),
                rejected(6, "previousState disagrees with the catalog: price is 10, the catalog has 8999.5"),
                rejected(3, "duplicate eventId: an event with this id was already applied"),
                rejected(9, &format!("product {P2} was deleted at 2026-03-04T09:30:00Z")),
            ]
        })
    );
}

#[test]
fn as_of_replays_only_what_had_happened() {
    let at = |time: &str| {
        json_of(&contracts(
            &["replay", LOG, "--format", "json", "--as-of", time],
            b"",
        ))
    };
    assert_eq!(
        at("2026-03-01T09:00:00Z"),
        json!({"asOf": "2026-03-01T09:00:00Z", "products": [], "rejected": []})
    );
    assert_eq!(
        at("2026-03-02T11:30:00Z"),
        json!({
            "asOf": "2026-03-02T11:30:00Z",
            "products": [
                trail_shoe(4, "2026-03-02T09:59:00Z", json!({"severity": "high", "currentQuantity": 4, "threshold": 5})),
                rain_jacket(false),
            ],
            "rejected": []
        })
    );
    // An offset is read as the instant it names: 12:30+01:00 is 11:30Z.
    assert_eq!(
        at("2026-03-02T12:30:00+01:00")["products"],
        at("2026-03-02T11:30:00Z")["products"]
    );
    assert_eq!(
        at("2026-03-03T10:00:00Z")["products"][0],
        trail_shoe(50, "2026-03-03T10:00:00Z", Value::Null)
    );
}

#[test]
fn one_product_and_the_rejections_about_it() {
    let run = contracts(&["replay", LOG, "--format", "json", "--product", P2], b"");
    assert_eq!(
        json_of(&run),
        json!({
            "asOf": null,
            "products": [rain_jacket(true)],
            "rejected": [
                rejected(6, "previousState disagrees with the catalog: price is 10, the catalog has 8999.5"),
                rejected(9, &format!("product {P2} was deleted at 2026-03-04T09:30:00Z")),
            ]
        })
    );
}

#[test]
fn the_table_of_the_whole_log() {
    let run = contracts(&["replay", LOG], b"");
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn the_table_of_one_product_as_of_a_time_shows_its_history() {
    let run = contracts(
        &[
            "replay",
            LOG,
            "--product",
            P1,
            "--as-of",
            "2026-03-02T23:00:00Z",
        ],
        b"",
    );
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn a_line_that_is_not_an_event_is_reported_and_the_rest_replayed() {
    let log = std::fs::read_to_string(root().join(LOG)).unwrap();
    let mut lines: Vec<&str> = log.lines().collect();
    lines.insert(1, "{\"eventType\": \"ProductCreated\"}");
    let input = lines.join("\n");
    let run = contracts(&["replay", "-", "--format", "json"], input.as_bytes());
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "<stdin>: line 2: the event has no string \"version\", so its schema cannot be chosen; every event carries \"eventType\" and \"version\"\n\
         1 line of <stdin> is not an event and was left out\n"
    );
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["products"].as_array().map(Vec::len), Some(2));
    assert_eq!(report["rejected"].as_array().map(Vec::len), Some(4));
}

#[test]
fn usage_errors_exit_2() {
    let run = contracts(&["replay", LOG, "--as-of", "2026-03-01"], b"");
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains(
            "invalid value '2026-03-01' for '--as-of <RFC 3339>': \"2026-03-01\" is not an RFC 3339 date-time with an offset, e.g. 2026-03-01T12:00:00Z"
        ),
        "{}",
        run.stderr
    );
    let run = contracts(&["replay", "no/such/log.jsonl"], b"");
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .starts_with("error: cannot open no/such/log.jsonl: "),
        "{}",
        run.stderr
    );
}
