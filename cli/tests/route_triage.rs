//! `contracts route` and `contracts triage` on fixed inputs: exact routes, every DLQ
//! message accounted for in exactly one group, and the requeue file.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn contracts(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_contracts"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn route_gives_the_seed_routing_for_all_four_types() {
    let file = fixture("all-types.jsonl");
    let (code, out, _) = contracts(&["route", file.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 1, "the last line is not a valid event");
    let rows: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let routes: Vec<(Value, Vec<&str>)> = rows
        .iter()
        .map(|r| {
            let queues = r["queues"]
                .as_array()
                .unwrap()
                .iter()
                .map(|q| q.as_str().unwrap())
                .collect();
            (r["eventType"].clone(), queues)
        })
        .collect();
    assert_eq!(
        routes,
        vec![
            (Value::from("LowStockWarning"), vec!["notifications-queue"]),
            (
                Value::from("ProductCreated"),
                vec!["notifications-queue", "analytics-queue"]
            ),
            (
                Value::from("ProductCreated"),
                vec!["notifications-queue", "analytics-queue"]
            ),
            (Value::from("ProductDeleted"), vec!["analytics-queue"]),
            (
                Value::from("ProductUpdated"),
                vec!["notifications-queue", "analytics-queue"]
            ),
            (Value::Null, vec![]),
        ]
    );
    assert_eq!(rows[5]["line"], 6);
    assert!(rows[5]["error"].as_str().unwrap().contains("\"version\""));
}

fn triage_groups(input: &Path) -> (i32, Value) {
    let (code, out, err) = contracts(&["triage", input.to_str().unwrap(), "--format", "json"]);
    assert!(err.is_empty(), "{err}");
    (code, serde_json::from_str(&out).unwrap())
}

#[test]
fn triage_accounts_for_every_message_once() {
    for input in ["dlq-receive-message.json", "dlq-bodies.jsonl"] {
        let (code, doc) = triage_groups(&fixture(input));
        assert_eq!(code, 1, "{input}: some messages are not requeueable");
        assert_eq!(doc["total"], 6, "{input}");
        assert_eq!(doc["requeueable"], 3, "{input}");
        let groups = doc["groups"].as_array().unwrap();
        let mut seen: Vec<u64> = groups
            .iter()
            .flat_map(|g| {
                g["messages"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|m| m["index"].as_u64().unwrap())
            })
            .collect();
        seen.sort();
        assert_eq!(
            seen,
            [1, 2, 3, 4, 5, 6],
            "{input}: each message in exactly one group"
        );
        let causes: Vec<(&str, u64)> = groups
            .iter()
            .map(|g| (g["cause"].as_str().unwrap(), g["count"].as_u64().unwrap()))
            .collect();
        assert_eq!(
            causes,
            [
                ("invalid LowStockWarning: /data/currentQuantity minimum", 1),
                ("not JSON", 1),
                ("requeueable: valid once upgraded", 3),
                ("unsupported version of LowStockWarning", 1),
            ],
            "{input}"
        );
    }
}

#[test]
fn triage_requeues_the_recoverable_messages_upgraded() {
    let dir = std::env::temp_dir().join(format!("triage-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out_path = dir.join("requeue.jsonl");
    let input = fixture("dlq-receive-message.json");
    let (code, _, _) = contracts(&[
        "triage",
        input.to_str().unwrap(),
        "--requeue",
        out_path.to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    let text = std::fs::read_to_string(&out_path).unwrap();
    let events: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(events.len(), 3);
    // The 1.0.0 ProductCreated comes out at 1.1.0 with the schema default filled in.
    let created = events
        .iter()
        .find(|e| e["eventType"] == "ProductCreated")
        .unwrap();
    assert_eq!(created["version"], "1.1.0");
    assert_eq!(created["data"]["metadata"], serde_json::json!({}));
    for e in &events {
        assert!(event_contracts_valid(e), "{e}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

fn event_contracts_valid(event: &Value) -> bool {
    let (code, _, _) = {
        let file = std::env::temp_dir().join(format!("one-{}.jsonl", std::process::id()));
        std::fs::write(&file, format!("{event}\n")).unwrap();
        let r = contracts(&["validate", file.to_str().unwrap(), "--format", "json"]);
        std::fs::remove_file(&file).unwrap();
        r
    };
    code == 0
}

#[test]
fn triage_counts_the_blank_lines_it_skips() {
    let bodies = std::fs::read_to_string(fixture("dlq-bodies.jsonl")).unwrap();
    let spaced: String = bodies
        .lines()
        .flat_map(|line| [line, "", "   "])
        .collect::<Vec<_>>()
        .join("\n");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("spaced.jsonl");
    std::fs::write(&path, &spaced).unwrap();
    let (_, doc) = triage_groups(&path);
    assert_eq!(doc["total"], 6);
    assert_eq!(
        doc["blankLines"], 12,
        "two blank lines after each of the 6 bodies"
    );
    let (_, table, _) = contracts(&["triage", path.to_str().unwrap()]);
    assert!(
        table.contains("6 message(s), 3 requeueable\n12 blank line(s) skipped\n"),
        "{table}"
    );
    let (_, doc) = triage_groups(&fixture("dlq-bodies.jsonl"));
    assert_eq!(doc["blankLines"], 0);
}
