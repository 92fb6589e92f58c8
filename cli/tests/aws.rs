//! `contracts aws deploy|publish|drain` against a moto server on 127.0.0.1, and
//! `contracts triage` reading a dead-letter queue back. Built with the `aws` feature:
//! `cargo test -p event-contracts-cli --features aws --test aws`.

#![cfg(feature = "aws")]

#[path = "../../aws/tests/support/moto.rs"]
mod moto;
mod support;

use std::collections::BTreeMap;
use std::time::Duration;

use event_contracts::routing::{self, Queue, RetryPolicy, RETRY_POLICY};
use event_contracts::{decode, EventType};
use event_contracts_aws::{Connection, Consumer};
use moto::Moto;
use support::{contracts_in_env, contracts_with_env, Run};

fn run(moto: &Moto, args: &[&str], stdin: &[u8]) -> Run {
    let mut full: Vec<&str> = args.to_vec();
    full.extend(["--endpoint-url", moto.endpoint.as_str()]);
    contracts_with_env(&full, stdin, &moto.child_env())
}

/// Event types in drained output, counted.
fn types(drained: &str) -> BTreeMap<EventType, usize> {
    let mut counts = BTreeMap::new();
    for line in drained.lines() {
        let body = routing::decode_body(line).expect("an SQS body");
        let event = decode(body.event.as_bytes()).expect("an event");
        *counts.entry(event.event_type()).or_insert(0) += 1;
    }
    counts
}

#[test]
fn deploy_then_publish_puts_each_event_in_exactly_the_seed_queues() {
    let Some(moto) = Moto::start() else { return };
    let first = run(&moto, &["aws", "deploy"], b"");
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert_eq!(
        first
            .stdout
            .lines()
            .filter(|l| l.ends_with(" created"))
            .count(),
        7,
        "{}",
        first.stdout
    );
    let second = run(&moto, &["aws", "deploy", "--format", "json"], b"");
    assert_eq!(second.code, 0, "{}", second.stderr);
    let report: serde_json::Value = serde_json::from_str(&second.stdout).unwrap();
    assert_eq!(report["unchanged"], true, "{}", second.stdout);
    assert_eq!(report["resources"].as_array().unwrap().len(), 7);

    let published = run(
        &moto,
        &["aws", "publish", "docs/examples/mixed-events.jsonl"],
        b"",
    );
    assert_eq!(published.code, 0, "{}", published.stderr);
    assert!(
        published.stdout.contains("published 8 of 8 event(s)"),
        "{}",
        published.stdout
    );

    let notifications = run(&moto, &["aws", "drain", "notifications-queue"], b"");
    assert_eq!(notifications.code, 0, "{}", notifications.stderr);
    assert_eq!(
        types(&notifications.stdout),
        BTreeMap::from([
            (EventType::ProductCreated, 2),
            (EventType::ProductUpdated, 2),
            (EventType::LowStockWarning, 2),
        ])
    );
    assert!(notifications.stderr.contains("drained 6 message(s)"));
    let analytics = run(&moto, &["aws", "drain", "analytics-queue"], b"");
    assert_eq!(
        types(&analytics.stdout),
        BTreeMap::from([
            (EventType::ProductCreated, 2),
            (EventType::ProductUpdated, 2),
            (EventType::ProductDeleted, 2),
        ])
    );
    // Drained means deleted.
    let again = run(&moto, &["aws", "drain", "analytics-queue"], b"");
    assert_eq!(again.stdout, "");
    for dlq in ["notifications-dlq", "analytics-dlq"] {
        assert_eq!(run(&moto, &["aws", "drain", dlq], b"").stdout, "", "{dlq}");
    }
}

/// The example file with a line that is not a valid event inserted as line 2.
fn with_an_invalid_line() -> String {
    let mixed =
        std::fs::read_to_string(support::root().join("docs/examples/mixed-events.jsonl")).unwrap();
    let mut lines: Vec<&str> = mixed.lines().collect();
    lines.insert(1, r#"{"eventType":"ProductCreated","version":"1.0.0"}"#);
    lines.join("\n")
}

#[test]
fn an_invalid_line_is_refused_and_the_valid_events_leave() {
    let Some(moto) = Moto::start() else { return };
    assert_eq!(run(&moto, &["aws", "deploy"], b"").code, 0);
    let input = with_an_invalid_line();
    let published = run(&moto, &["aws", "publish", "-"], input.as_bytes());
    assert_eq!(published.code, 1, "{}", published.stdout);
    assert!(
        published.stderr.contains("<stdin>: line 2: ")
            && published.stderr.contains("not published"),
        "{}",
        published.stderr
    );
    assert!(
        published.stdout.contains("published 8 of 9 event(s)"),
        "{}",
        published.stdout
    );
    assert!(published
        .stdout
        .contains("line 9: published ProductDeleted"));
    let notifications = run(&moto, &["aws", "drain", "notifications-queue"], b"");
    assert_eq!(notifications.stdout.lines().count(), 6);
    let analytics = run(&moto, &["aws", "drain", "analytics-queue"], b"");
    assert_eq!(analytics.stdout.lines().count(), 6);
}

#[test]
fn with_atomic_an_invalid_line_means_nothing_is_published() {
    let Some(moto) = Moto::start() else { return };
    assert_eq!(run(&moto, &["aws", "deploy"], b"").code, 0);
    let input = with_an_invalid_line();
    let published = run(
        &moto,
        &["aws", "publish", "-", "--atomic"],
        input.as_bytes(),
    );
    assert_eq!(published.code, 1, "{}", published.stdout);
    assert!(
        published.stderr.contains("nothing was published"),
        "{}",
        published.stderr
    );
    for queue in ["notifications-queue", "analytics-queue"] {
        assert_eq!(
            run(&moto, &["aws", "drain", queue], b"").stdout,
            "",
            "{queue}"
        );
    }
}

#[test]
fn without_deploy_publish_and_drain_say_what_to_do() {
    let Some(moto) = Moto::start() else { return };
    let published = run(
        &moto,
        &["aws", "publish", "docs/examples/mixed-events.jsonl"],
        b"",
    );
    assert_eq!(published.code, 2);
    assert!(
        published.stderr.contains(
            "the SNS topic \"product-events\" does not exist; run `contracts aws deploy` first"
        ),
        "{}",
        published.stderr
    );
    let drained = run(&moto, &["aws", "drain", "no-such-queue"], b"");
    assert_eq!(drained.code, 2);
    assert!(
        drained.stderr.contains("\"no-such-queue\" does not exist"),
        "{}",
        drained.stderr
    );
    let bad = contracts_with_env(
        &["aws", "deploy", "--endpoint-url", "127.0.0.1:9"],
        b"",
        &moto.child_env(),
    );
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr.contains("is not an http:// or https:// URL"),
        "{}",
        bad.stderr
    );
}

#[test]
fn triage_reads_the_dead_letter_queue_back() {
    let Some(moto) = Moto::start() else { return };
    assert_eq!(run(&moto, &["aws", "deploy"], b"").code, 0);
    let published = run(
        &moto,
        &["aws", "publish", "docs/examples/mixed-events.jsonl"],
        b"",
    );
    assert_eq!(published.code, 0, "{}", published.stderr);

    // A consumer whose handler is down: every notification ends in the DLQ after 3
    // receives, and a body that is not an event follows it without a handler call.
    for (name, value) in moto.child_env() {
        std::env::set_var(name, value);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let clients = Connection::endpoint(&moto.endpoint)
            .with_region(moto::REGION)
            .clients()
            .await
            .unwrap();
        let consumer = Consumer::connect(clients.sqs.clone(), Queue::NotificationsQueue)
            .await
            .unwrap()
            .with_wait_time(Duration::from_secs(1))
            .with_retry_policy(RetryPolicy {
                initial_delay: Duration::from_millis(500),
                multiplier: 1.0,
                ..RETRY_POLICY
            });
        clients
            .sqs
            .send_message()
            .queue_url(consumer.queue_url())
            .message_body("not an event")
            .send()
            .await
            .unwrap();
        let mut calls = 0;
        let mut empty_in_a_row = 0;
        for _ in 0..60 {
            let stats = consumer
                .poll_once(|_, _| {
                    calls += 1;
                    async { Err::<(), _>("the mail service is down") }
                })
                .await
                .unwrap();
            // Redrive happens on the receive after the last failure, once the message
            // is visible again: two empty one-second polls in a row mean it happened.
            empty_in_a_row = if stats.messages == 0 {
                empty_in_a_row + 1
            } else {
                0
            };
            if calls >= 18 && empty_in_a_row >= 2 {
                break;
            }
        }
        assert_eq!(calls, 18, "6 notifications, 3 receives each");
    });

    let drained = run(&moto, &["aws", "drain", "notifications-dlq"], b"");
    assert_eq!(drained.code, 0, "{}", drained.stderr);
    assert_eq!(drained.stdout.lines().count(), 7, "{}", drained.stdout);
    let triage = contracts_with_env(
        &["triage", "-", "--format", "json"],
        drained.stdout.as_bytes(),
        &[],
    );
    let report: serde_json::Value = serde_json::from_str(&triage.stdout).unwrap();
    let groups: BTreeMap<String, u64> = report["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["cause"].as_str().unwrap().to_owned(),
                g["count"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        groups,
        BTreeMap::from([
            ("not JSON".to_owned(), 1),
            ("requeueable: valid once upgraded".to_owned(), 6),
        ]),
        "{}",
        triage.stdout
    );
}

#[test]
fn an_emulator_on_loopback_needs_no_aws_configuration() {
    let Some(moto) = Moto::start() else { return };
    let home = tempfile::tempdir().unwrap();
    let bare = |args: &[&str]| {
        let mut full: Vec<&str> = args.to_vec();
        full.extend(["--endpoint-url", moto.endpoint.as_str()]);
        contracts_in_env(
            &full,
            b"",
            &[
                ("HOME", home.path().display().to_string()),
                ("AWS_EC2_METADATA_DISABLED", "true".to_owned()),
            ],
            &[
                "AWS_ACCESS_KEY_ID",
                "AWS_SECRET_ACCESS_KEY",
                "AWS_SESSION_TOKEN",
                "AWS_REGION",
                "AWS_DEFAULT_REGION",
                "AWS_PROFILE",
                "AWS_CONFIG_FILE",
                "AWS_SHARED_CREDENTIALS_FILE",
            ],
        )
    };
    let deployed = bare(&["aws", "deploy"]);
    assert_eq!(deployed.code, 0, "{}", deployed.stderr);
    let published = bare(&["aws", "publish", "docs/examples/mixed-events.jsonl"]);
    assert_eq!(published.code, 0, "{}", published.stderr);
    let drained = bare(&["aws", "drain", "analytics-queue"]);
    assert_eq!(drained.stdout.lines().count(), 6, "{}", drained.stderr);
    // The default region is us-east-1, as moto's is: the topic's ARN says so.
    assert!(
        published.stdout.contains("arn:aws:sns:us-east-1:"),
        "{}",
        published.stdout
    );
}
