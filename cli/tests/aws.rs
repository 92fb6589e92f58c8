//! `contracts aws deploy|publish|consume|drain|redrive` against a moto server on
//! 127.0.0.1, `contracts triage` reading a dead-letter queue back, and the consumer's
//! fault tests through the command line. Built with the `aws` feature:
//! `cargo test -p event-contracts-cli --features aws --test aws`.

#![cfg(feature = "aws")]

#[path = "../../aws/tests/support/moto.rs"]
mod moto;
#[path = "../../aws/tests/support/proxy.rs"]
mod proxy;
mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use event_contracts::routing::{self, Queue, RetryPolicy, RETRY_POLICY};
use event_contracts::{decode, EventType};
use event_contracts_aws::{Clients, Connection, Consumer};
use moto::Moto;
use serde_json::Value;
use support::{contracts_in_env, contracts_with_env, Run};
use uuid::Uuid;

fn run(moto: &Moto, args: &[&str], stdin: &[u8]) -> Run {
    run_at(&moto.endpoint, moto, args, stdin)
}

fn run_at(endpoint: &str, moto: &Moto, args: &[&str], stdin: &[u8]) -> Run {
    let mut full: Vec<&str> = args.to_vec();
    full.extend(["--endpoint-url", endpoint]);
    contracts_with_env(&full, stdin, &moto.child_env())
}

/// The `{"Messages": [...]}` documents `aws drain` writes, one per line.
fn drained_messages(text: &str) -> Vec<Value> {
    text.lines()
        .map(|line| {
            let document: Value = serde_json::from_str(line).expect("a ReceiveMessage document");
            document["Messages"][0].clone()
        })
        .collect()
}

/// Event types in drained output, counted.
fn types(drained: &str) -> BTreeMap<EventType, usize> {
    let mut counts = BTreeMap::new();
    for message in drained_messages(drained) {
        let body = routing::decode_body(message["Body"].as_str().unwrap()).expect("an SQS body");
        let event = decode(body.event.as_bytes()).expect("an event");
        *counts.entry(event.event_type()).or_insert(0) += 1;
    }
    counts
}

/// Drains a queue into a file and deletes what was written; returns the file's text.
fn drain_deleting(moto: &Moto, queue: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("drained.jsonl");
    let drained = run(
        moto,
        &[
            "aws",
            "drain",
            queue,
            "--delete",
            "--output",
            out.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(drained.code, 0, "{}", drained.stderr);
    std::fs::read_to_string(&out).unwrap_or_default()
}

/// A tokio runtime and SDK clients for moto, for what the tests do besides the CLI.
fn sdk(moto: &Moto) -> (tokio::runtime::Runtime, Clients) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    // On loopback the emulator's credentials are used: nothing from the environment.
    let clients = runtime.block_on(async {
        Connection::endpoint(&moto.endpoint)
            .with_region(moto::REGION)
            .clients()
            .await
            .unwrap()
    });
    (runtime, clients)
}

fn publish_mixed(moto: &Moto) {
    let published = run(
        moto,
        &["aws", "publish", "docs/examples/mixed-events.jsonl"],
        b"",
    );
    assert_eq!(published.code, 0, "{}", published.stderr);
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
        9,
        "topic, 4 queues, 2 delivery DLQs, 2 subscriptions: {}",
        first.stdout
    );
    let second = run(&moto, &["aws", "deploy", "--format", "json"], b"");
    assert_eq!(second.code, 0, "{}", second.stderr);
    let report: Value = serde_json::from_str(&second.stdout).unwrap();
    assert_eq!(report["unchanged"], true, "{}", second.stdout);
    assert_eq!(report["resources"].as_array().unwrap().len(), 9);

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

    // Without --delete, drain is an export: the messages stay.
    let peek = run(&moto, &["aws", "drain", "notifications-queue"], b"");
    assert_eq!(peek.code, 0, "{}", peek.stderr);
    assert_eq!(types(&peek.stdout).values().sum::<usize>(), 6);
    assert!(peek.stderr.contains("left in the queue"), "{}", peek.stderr);

    let notifications = drain_deleting(&moto, "notifications-queue");
    assert_eq!(
        types(&notifications),
        BTreeMap::from([
            (EventType::ProductCreated, 2),
            (EventType::ProductUpdated, 2),
            (EventType::LowStockWarning, 2),
        ])
    );
    let analytics = drain_deleting(&moto, "analytics-queue");
    assert_eq!(
        types(&analytics),
        BTreeMap::from([
            (EventType::ProductCreated, 2),
            (EventType::ProductUpdated, 2),
            (EventType::ProductDeleted, 2),
        ])
    );
    // Drained with --delete means deleted.
    assert_eq!(
        run(&moto, &["aws", "drain", "analytics-queue"], b"").stdout,
        ""
    );
    for dlq in ["notifications-dlq", "analytics-dlq"] {
        assert_eq!(run(&moto, &["aws", "drain", dlq], b"").stdout, "", "{dlq}");
    }
}

#[test]
fn drain_deletes_only_with_an_output_file() {
    let Some(moto) = Moto::start() else { return };
    let refused = run(
        &moto,
        &["aws", "drain", "notifications-dlq", "--delete"],
        b"",
    );
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert!(refused.stderr.contains("--output"), "{}", refused.stderr);
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
    assert_eq!(
        drained_messages(&drain_deleting(&moto, "notifications-queue")).len(),
        6
    );
    assert_eq!(
        drained_messages(&drain_deleting(&moto, "analytics-queue")).len(),
        6
    );
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
    let insecure = contracts_with_env(
        &["aws", "deploy", "--endpoint-url", "http://sqs.example.com"],
        b"",
        &moto.child_env(),
    );
    assert_eq!(insecure.code, 2);
    assert!(
        insecure.stderr.contains("use https://"),
        "{}",
        insecure.stderr
    );
    let not_a_queue = run(&moto, &["aws", "consume", "notifications-dlq"], b"");
    assert_eq!(not_a_queue.code, 2);
    assert!(
        not_a_queue
            .stderr
            .contains("the queues are notifications-queue, analytics-queue"),
        "{}",
        not_a_queue.stderr
    );
}

#[test]
fn triage_reads_the_dead_letter_queue_back() {
    let Some(moto) = Moto::start() else { return };
    assert_eq!(run(&moto, &["aws", "deploy"], b"").code, 0);
    publish_mixed(&moto);

    // A consumer whose handler is down: every notification ends in the DLQ after 3
    // attempts, and a body that is not an event goes there at once, without a call.
    let (runtime, clients) = sdk(&moto);
    runtime.block_on(async {
        let consumer = Consumer::connect(clients.sqs.clone(), Queue::NotificationsQueue)
            .await
            .unwrap()
            .with_wait_time(Duration::from_secs(1))
            .with_retry_policy(RetryPolicy {
                initial_delay: Duration::from_millis(500),
                multiplier: 1.0,
                ..RETRY_POLICY
            })
            .with_idle_exit(Duration::from_secs(3));
        clients
            .sqs
            .send_message()
            .queue_url(consumer.queue_url())
            .message_body("not an event")
            .send()
            .await
            .unwrap();
        let calls = AtomicU32::new(0);
        let stats = consumer
            .run(
                |_, _| {
                    calls.fetch_add(1, Ordering::SeqCst);
                    async { Err::<(), _>("the mail service is down") }
                },
                std::future::pending::<()>(),
            )
            .await
            .unwrap();
        assert_eq!(
            calls.load(Ordering::SeqCst),
            18,
            "6 notifications, 3 attempts each"
        );
        assert_eq!(stats.dead_lettered, 7, "{stats:?}");
    });

    let drained = drain_deleting(&moto, "notifications-dlq");
    let messages = drained_messages(&drained);
    assert_eq!(messages.len(), 7, "{drained}");
    let reasons: BTreeMap<String, usize> = messages.iter().fold(BTreeMap::new(), |mut m, msg| {
        let reason = msg["MessageAttributes"]["deadLetterReason"]["StringValue"]
            .as_str()
            .unwrap()
            .to_owned();
        *m.entry(reason).or_insert(0) += 1;
        m
    });
    assert_eq!(
        reasons,
        BTreeMap::from([
            ("poison".to_owned(), 1),
            ("retries-exhausted".to_owned(), 6)
        ])
    );
    let triage = contracts_with_env(
        &["triage", "-", "--format", "json"],
        drained.as_bytes(),
        &[],
    );
    let report: Value = serde_json::from_str(&triage.stdout).unwrap();
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

// ---- `contracts aws consume`, and the consumer's faults through the command line ----

/// Lines of a file the handlers append to (none if it does not exist).
fn lines_of(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(str::to_owned)
        .collect()
}

/// Event ids in JSON Lines of events.
fn ids_in(lines: &[String]) -> Vec<Uuid> {
    lines
        .iter()
        .map(|line| *decode(line.as_bytes()).expect("an event").event_id())
        .collect()
}

/// The event ids of the example file that reach `queue`.
fn example_ids(queue: Queue) -> BTreeSet<Uuid> {
    let text =
        std::fs::read_to_string(support::root().join("docs/examples/mixed-events.jsonl")).unwrap();
    text.lines()
        .map(|line| decode(line.as_bytes()).unwrap())
        .filter(|event| routing::route(event).contains(&queue))
        .map(|event| *event.event_id())
        .collect()
}

/// Starts `contracts aws consume …` in its own process group (so that a kill takes its
/// handlers too).
fn spawn_consume(moto: &Moto, endpoint: &str, args: &[&str]) -> Child {
    use std::os::unix::process::CommandExt;
    Command::new(env!("CARGO_BIN_EXE_contracts"))
        .args(["aws", "consume"])
        .args(args)
        .args(["--endpoint-url", endpoint])
        .envs(moto.child_env())
        .current_dir(support::root())
        .process_group(0)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn signal_group(child: &Child, signal: &str) {
    let status = Command::new("kill")
        .args([signal, "--", &format!("-{}", child.id())])
        .status()
        .unwrap();
    assert!(status.success(), "kill {signal}");
}

fn wait_for(what: &str, limit: Duration, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + limit;
    while !done() {
        assert!(Instant::now() < deadline, "{what} within {limit:?}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn consume_hands_each_event_to_the_handler_and_exit_0_acknowledges_it() {
    let Some(moto) = Moto::start() else { return };
    assert_eq!(run(&moto, &["aws", "deploy"], b"").code, 0);
    publish_mixed(&moto);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("handled.jsonl");
    let handler = format!(
        "test \"$CONTRACTS_QUEUE\" = analytics-queue && cat >> {}",
        out.display()
    );
    let consumed = run(
        &moto,
        &[
            "aws",
            "consume",
            "analytics-queue",
            "--handler",
            &handler,
            "--concurrency",
            "3",
            "--wait-seconds",
            "1",
            "--idle-exit",
            "3",
        ],
        b"",
    );
    assert_eq!(consumed.code, 0, "{}", consumed.stderr);
    let handled = lines_of(&out);
    assert_eq!(
        ids_in(&handled).into_iter().collect::<BTreeSet<_>>(),
        example_ids(Queue::AnalyticsQueue)
    );
    assert_eq!(handled.len(), 6, "each once");
    // Upcast to the newest minor before the handler sees them.
    for line in &handled {
        let event = decode(line.as_bytes()).unwrap();
        if event.event_type() == EventType::ProductCreated {
            assert_eq!(event.version().as_str(), "1.1.0");
        }
    }
    assert!(
        consumed.stderr.contains("6 received, 6 handled"),
        "{}",
        consumed.stderr
    );
    assert_eq!(
        run(&moto, &["aws", "drain", "analytics-queue"], b"").stdout,
        ""
    );
}

#[test]
fn consume_without_a_handler_prints_json_lines_and_stops_after_max_messages() {
    let Some(moto) = Moto::start() else { return };
    assert_eq!(run(&moto, &["aws", "deploy"], b"").code, 0);
    publish_mixed(&moto);
    let consumed = run(
        &moto,
        &[
            "aws",
            "consume",
            "notifications-queue",
            "--max-messages",
            "2",
            "--wait-seconds",
            "1",
        ],
        b"",
    );
    assert_eq!(consumed.code, 0, "{}", consumed.stderr);
    let printed: Vec<String> = consumed.stdout.lines().map(str::to_owned).collect();
    assert_eq!(printed.len(), 2, "{}", consumed.stdout);
    assert!(ids_in(&printed)
        .iter()
        .all(|id| example_ids(Queue::NotificationsQueue).contains(id)));
    // The other 4 were never received.
    assert_eq!(
        drained_messages(&drain_deleting(&moto, "notifications-queue")).len(),
        4
    );
}

#[test]
fn a_failing_or_hanging_handler_is_retried_then_dead_lettered_with_its_reason() {
    let Some(moto) = Moto::start() else { return };
    assert_eq!(run(&moto, &["aws", "deploy"], b"").code, 0);
    publish_mixed(&moto);
    // Exit 3 for ProductCreated, hang (past the 1 s timeout) for the rest: both fail.
    let handler = "grep -q ProductCreated && exit 3; sleep 30";
    let started = Instant::now();
    let consumed = run(
        &moto,
        &[
            "aws",
            "consume",
            "notifications-queue",
            "--handler",
            handler,
            "--concurrency",
            "6",
            "--handler-timeout",
            "1",
            "--wait-seconds",
            "1",
            "--idle-exit",
            "6",
        ],
        b"",
    );
    assert_eq!(consumed.code, 0, "{}", consumed.stderr);
    assert!(
        consumed.stderr.contains("6 dead-lettered"),
        "{}",
        consumed.stderr
    );
    assert!(
        consumed.stderr.contains("failed, retry in "),
        "{}",
        consumed.stderr
    );
    assert!(
        started.elapsed() < Duration::from_secs(40),
        "the hanging handlers were killed"
    );
    let dead = drained_messages(&drain_deleting(&moto, "notifications-dlq"));
    assert_eq!(dead.len(), 6);
    let mut details = BTreeMap::new();
    for message in &dead {
        let attributes = &message["MessageAttributes"];
        assert_eq!(
            attributes["deadLetterReason"]["StringValue"],
            "retries-exhausted"
        );
        assert_eq!(
            attributes["deadLetterSourceQueue"]["StringValue"],
            "notifications-queue"
        );
        let detail = attributes["deadLetterDetail"]["StringValue"]
            .as_str()
            .unwrap()
            .to_owned();
        *details.entry(detail).or_insert(0) += 1;
    }
    assert_eq!(
        details,
        BTreeMap::from([
            (
                "the handler did not finish within its timeout of 1s".to_owned(),
                4
            ),
            ("the handler exited with exit status: 3".to_owned(), 2),
        ])
    );
}

#[test]
fn a_poison_message_goes_to_the_dlq_after_one_receive_through_the_cli() {
    let Some(moto) = Moto::start() else { return };
    assert_eq!(run(&moto, &["aws", "deploy"], b"").code, 0);
    let (runtime, clients) = sdk(&moto);
    runtime.block_on(async {
        let url = clients
            .sqs
            .get_queue_url()
            .queue_name("notifications-queue")
            .send()
            .await
            .unwrap()
            .queue_url()
            .unwrap()
            .to_owned();
        clients
            .sqs
            .send_message()
            .queue_url(url)
            .message_body("{\"not\": \"an event\"}")
            .send()
            .await
            .unwrap();
    });
    let dir = tempfile::tempdir().unwrap();
    let called = dir.path().join("called");
    let consumed = run(
        &moto,
        &[
            "aws",
            "consume",
            "notifications-queue",
            "--max-messages",
            "1",
            "--wait-seconds",
            "1",
            "--handler",
            &format!("touch {}", called.display()),
        ],
        b"",
    );
    assert_eq!(consumed.code, 0, "{}", consumed.stderr);
    assert!(
        consumed
            .stderr
            .contains("(receive 1): dead-lettered (poison)"),
        "{}",
        consumed.stderr
    );
    assert!(!called.exists(), "the handler never ran");
    let dead = drained_messages(&drain_deleting(&moto, "notifications-dlq"));
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0]["Body"], "{\"not\": \"an event\"}");
    assert_eq!(
        dead[0]["MessageAttributes"]["deadLetterReason"]["StringValue"],
        "poison"
    );
}

#[test]
fn a_handler_slower_than_the_visibility_timeout_is_handled_once_through_the_cli() {
    let Some(moto) = Moto::start() else { return };
    assert_eq!(run(&moto, &["aws", "deploy"], b"").code, 0);
    publish_mixed(&moto);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("handled.jsonl");
    // Two consumers, a 2 s visibility timeout, a 5 s handler: only the heartbeat keeps
    // the other consumer from receiving the message again.
    let handler = format!("sleep 5; cat >> {}", out.display());
    let args = [
        "notifications-queue",
        "--handler",
        &handler,
        "--concurrency",
        "3",
        "--visibility-timeout",
        "2",
        "--wait-seconds",
        "1",
        "--idle-exit",
        "4",
    ];
    let first = spawn_consume(&moto, &moto.endpoint, &args);
    let second = spawn_consume(&moto, &moto.endpoint, &args);
    let (a, b) = (
        first.wait_with_output().unwrap(),
        second.wait_with_output().unwrap(),
    );
    assert!(
        a.status.success() && b.status.success(),
        "{}",
        String::from_utf8_lossy(&a.stderr)
    );
    let handled = lines_of(&out);
    assert_eq!(
        handled.len(),
        6,
        "each of the 6 notifications once: {handled:?}"
    );
    assert_eq!(
        ids_in(&handled).into_iter().collect::<BTreeSet<_>>(),
        example_ids(Queue::NotificationsQueue)
    );
    let logs = format!(
        "{}{}",
        String::from_utf8_lossy(&a.stderr),
        String::from_utf8_lossy(&b.stderr)
    );
    assert_eq!(logs.matches("(receive 1): handled").count(), 6, "{logs}");
    assert!(!logs.contains("(receive 2)"), "never redelivered: {logs}");
}

#[test]
fn a_consumer_killed_mid_batch_loses_nothing_through_the_cli() {
    let Some(moto) = Moto::start() else { return };
    assert_eq!(run(&moto, &["aws", "deploy"], b"").code, 0);
    publish_mixed(&moto);
    let dir = tempfile::tempdir().unwrap();
    let started = dir.path().join("started.jsonl");
    let handled = dir.path().join("handled.jsonl");
    let doomed = spawn_consume(
        &moto,
        &moto.endpoint,
        &[
            "notifications-queue",
            "--handler",
            &format!("cat >> {}; sleep 60", started.display()),
            "--concurrency",
            "3",
            "--visibility-timeout",
            "2",
            "--wait-seconds",
            "1",
        ],
    );
    wait_for("3 handlers started", Duration::from_secs(20), || {
        lines_of(&started).len() == 3
    });
    signal_group(&doomed, "-KILL");
    let killed = doomed.wait_with_output().unwrap();
    assert!(!killed.status.success());
    let restarted = run(
        &moto,
        &[
            "aws",
            "consume",
            "notifications-queue",
            "--handler",
            &format!("cat >> {}", handled.display()),
            "--concurrency",
            "3",
            "--wait-seconds",
            "1",
            "--idle-exit",
            "5",
        ],
        b"",
    );
    assert_eq!(restarted.code, 0, "{}", restarted.stderr);
    let handled = lines_of(&handled);
    assert_eq!(
        ids_in(&handled).into_iter().collect::<BTreeSet<_>>(),
        example_ids(Queue::NotificationsQueue),
        "every event handled after the restart"
    );
    assert_eq!(handled.len(), 6);
    // The killed batch came back as its second receive; none reached the DLQ.
    assert_eq!(
        restarted.stderr.matches("(receive 2): handled").count(),
        3,
        "{}",
        restarted.stderr
    );
    assert_eq!(
        run(&moto, &["aws", "drain", "notifications-dlq"], b"").stdout,
        ""
    );
}

#[test]
fn sigterm_finishes_the_handlers_in_flight_and_exits_0() {
    let Some(moto) = Moto::start() else { return };
    assert_eq!(run(&moto, &["aws", "deploy"], b"").code, 0);
    publish_mixed(&moto);
    let dir = tempfile::tempdir().unwrap();
    let started = dir.path().join("started");
    let finished = dir.path().join("finished");
    let handler = format!(
        "echo x >> {}; sleep 2; cat >> {}",
        started.display(),
        finished.display()
    );
    let consumer = spawn_consume(
        &moto,
        &moto.endpoint,
        &[
            "analytics-queue",
            "--handler",
            &handler,
            "--concurrency",
            "2",
            "--wait-seconds",
            "1",
        ],
    );
    wait_for("2 handlers started", Duration::from_secs(20), || {
        lines_of(&started).len() == 2
    });
    // To the command alone, as a service manager sends it.
    let status = Command::new("kill")
        .args(["-TERM", &consumer.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let output = consumer.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("stopped by a signal"), "{stderr}");
    assert_eq!(
        lines_of(&finished).len(),
        2,
        "the two in flight finished: {stderr}"
    );
    assert!(stderr.contains("2 received, 2 handled"), "{stderr}");
    // The rest were never received: no receive count used.
    let rest = drained_messages(&drain_deleting(&moto, "analytics-queue"));
    assert_eq!(rest.len(), 4);
    for message in rest {
        assert_eq!(message["Attributes"]["ApproximateReceiveCount"], "1");
    }
}

#[test]
fn receive_errors_do_not_stop_the_cli_consumer_and_nothing_is_lost() {
    let Some(moto) = Moto::start() else { return };
    assert_eq!(run(&moto, &["aws", "deploy"], b"").code, 0);
    publish_mixed(&moto);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let proxy = runtime.block_on(proxy::FaultProxy::start(
        &moto.endpoint,
        "ReceiveMessage",
        vec![
            proxy::Fault::ServerError,
            proxy::Fault::Drop,
            proxy::Fault::ServerError,
            proxy::Fault::Stall,
            proxy::Fault::Pass,
        ],
    ));
    let consumed = run_at(
        &proxy.endpoint,
        &moto,
        &[
            "aws",
            "consume",
            "analytics-queue",
            "--concurrency",
            "2",
            "--wait-seconds",
            "1",
            "--operation-timeout",
            "1",
            "--idle-exit",
            "8",
        ],
        b"",
    );
    assert_eq!(consumed.code, 0, "{}", consumed.stderr);
    let printed: Vec<String> = consumed.stdout.lines().map(str::to_owned).collect();
    assert_eq!(
        ids_in(&printed).into_iter().collect::<BTreeSet<_>>(),
        example_ids(Queue::AnalyticsQueue),
        "{}",
        consumed.stderr
    );
    assert_eq!(printed.len(), 6);
    assert!(
        consumed
            .stderr
            .contains("receive failed (retrying after a backoff)"),
        "{}",
        consumed.stderr
    );
    assert!(proxy.failed.load(std::sync::atomic::Ordering::SeqCst) >= 4);
    drop(proxy);
    assert_eq!(
        run(&moto, &["aws", "drain", "analytics-queue"], b"").stdout,
        ""
    );
}

#[test]
fn redrive_puts_dead_letters_back_in_their_queue_only() {
    let Some(moto) = Moto::start() else { return };
    assert_eq!(run(&moto, &["aws", "deploy"], b"").code, 0);
    publish_mixed(&moto);
    let failed = run(
        &moto,
        &[
            "aws",
            "consume",
            "notifications-queue",
            "--handler",
            "exit 1",
            "--concurrency",
            "6",
            "--wait-seconds",
            "1",
            "--idle-exit",
            "5",
        ],
        b"",
    );
    assert!(
        failed.stderr.contains("6 dead-lettered"),
        "{}",
        failed.stderr
    );
    let before =
        drained_messages(&run(&moto, &["aws", "drain", "analytics-queue"], b"").stdout).len();
    let redriven = run(&moto, &["aws", "redrive", "notifications-dlq"], b"");
    assert_eq!(redriven.code, 0, "{}", redriven.stderr);
    assert!(
        redriven
            .stdout
            .contains("moved 6 message(s) from notifications-dlq back to notifications-queue"),
        "{}",
        redriven.stdout
    );
    assert!(
        redriven.stderr.contains("StartMessageMoveTask was refused"),
        "{}",
        redriven.stderr
    );
    let back = drained_messages(&drain_deleting(&moto, "notifications-queue"));
    assert_eq!(back.len(), 6);
    assert!(back
        .iter()
        .all(|m| m["MessageAttributes"].get("deadLetterReason").is_none()));
    assert_eq!(
        run(&moto, &["aws", "drain", "notifications-dlq"], b"").stdout,
        ""
    );
    let after =
        drained_messages(&run(&moto, &["aws", "drain", "analytics-queue"], b"").stdout).len();
    assert_eq!(after, before, "the other subscriber got nothing again");
    let wrong = run(&moto, &["aws", "redrive", "analytics-queue"], b"");
    assert_eq!(wrong.code, 2);
    assert!(
        wrong.stderr.contains("is not a dead-letter queue"),
        "{}",
        wrong.stderr
    );
}

#[test]
fn deploy_reports_orphans_and_prunes_them_on_request() {
    let Some(moto) = Moto::start() else { return };
    assert_eq!(run(&moto, &["aws", "deploy"], b"").code, 0);
    let (runtime, clients) = sdk(&moto);
    runtime.block_on(async {
        let created = clients
            .sqs
            .create_queue()
            .queue_name("retired-queue")
            .send()
            .await
            .unwrap();
        let arn = clients
            .sqs
            .get_queue_attributes()
            .queue_url(created.queue_url().unwrap())
            .attribute_names("QueueArn".into())
            .send()
            .await
            .unwrap()
            .attributes()
            .and_then(|a| a.values().next().cloned())
            .unwrap();
        let topic = event_contracts_aws::Publisher::connect(clients.sns.clone())
            .await
            .unwrap();
        clients
            .sns
            .subscribe()
            .topic_arn(topic.topic_arn())
            .protocol("sqs")
            .endpoint(arn)
            .send()
            .await
            .unwrap();
    });
    let reported = run(&moto, &["aws", "deploy"], b"");
    assert!(
        reported.stdout.contains("warning: orphan subscription"),
        "{}",
        reported.stdout
    );
    let pruned = run(&moto, &["aws", "deploy", "--prune"], b"");
    assert_eq!(pruned.code, 0, "{}", pruned.stderr);
    assert!(
        pruned.stdout.lines().any(|l| l.starts_with("subscription")
            && l.contains("retired-queue")
            && l.ends_with("removed")),
        "{}",
        pruned.stdout
    );
    let again = run(&moto, &["aws", "deploy"], b"");
    assert!(!again.stdout.contains("orphan"), "{}", again.stdout);
}
