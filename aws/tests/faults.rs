//! The consumer, deploy and DLQ path under faults, against moto on 127.0.0.1: a handler
//! slower than the visibility timeout, a consumer killed mid-batch, poison, injected
//! receive errors and stalls, SNS delivery to a deleted queue, concurrent writers with
//! expected versions, de-duplication, redrive. `docs/RELIABILITY.md` lists each with its
//! result.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use event_contracts::routing::{Queue, RetryPolicy, RETRY_POLICY};
use event_contracts::ProductEvent;
use event_contracts_aws::{
    deploy, deploy_dedup_table, deploy_event_table, redrive, AppendOutcome, AwsError, Clients,
    Consumer, DeadLetterReason, Deduplicator, Disposition, DynamoDbStore, MessageReport, Publisher,
    RedriveMethod, RedriveOptions, DEAD_LETTER_DETAIL_ATTRIBUTE, DEAD_LETTER_REASON_ATTRIBUTE,
    SOURCE_QUEUE_ATTRIBUTE,
};
use support::moto::Moto;
use support::proxy::{Fault, FaultProxy};
use support::{attribute, counts, event, event_id_of, take_all, url_of};
use uuid::Uuid;

/// Starts moto (or skips) and deploys the seed topology.
async fn deployed() -> Option<(Moto, Clients)> {
    let moto = Moto::start()?;
    let clients = Clients::from_config(&support::sdk_config(&moto).await);
    deploy(&clients).await.expect("deploy");
    Some((moto, clients))
}

/// Publishes `n` events of `event_type` (each about a new product) and waits until the
/// queue holds `expected` messages.
async fn publish(clients: &Clients, event_type: &str, n: usize, queue: Queue) -> Vec<ProductEvent> {
    let events: Vec<ProductEvent> = (0..n)
        .map(|_| event(event_type, "1.0.0", Uuid::new_v4()))
        .collect();
    let publisher = Publisher::connect(clients.sns.clone()).await.unwrap();
    let report = publisher.publish_all(&events).await.unwrap();
    assert_eq!(report.published.len(), n, "{report:?}");
    let deadline = Instant::now() + Duration::from_secs(10);
    while counts(&clients.sqs, queue.name()).await.0 < n as u64 {
        assert!(Instant::now() < deadline, "the events did not arrive");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    events
}

/// A fast retry policy for tests: every retry after about a second.
const QUICK: RetryPolicy = RetryPolicy {
    initial_delay: Duration::from_millis(500),
    multiplier: 1.0,
    ..RETRY_POLICY
};

fn recorder() -> (
    Arc<Mutex<Vec<MessageReport>>>,
    impl Fn(&MessageReport) + Clone + Send + Sync + 'static,
) {
    let reports: Arc<Mutex<Vec<MessageReport>>> = Arc::default();
    let seen = reports.clone();
    (reports, move |r: &MessageReport| {
        seen.lock().unwrap().push(r.clone())
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_handler_slower_than_the_visibility_timeout_is_handled_once() {
    let Some((_moto, clients)) = deployed().await else {
        return;
    };
    let sent = publish(&clients, "ProductDeleted", 1, Queue::AnalyticsQueue).await;
    // A 2 s visibility timeout and a 7 s handler: without the heartbeat the message
    // would be visible again after 2 s, and the second consumer would take it.
    let (reports, observer) = recorder();
    let mut consumers = Vec::new();
    for _ in 0..2 {
        consumers.push(
            Consumer::connect(clients.sqs.clone(), Queue::AnalyticsQueue)
                .await
                .unwrap()
                .with_visibility_timeout(Duration::from_secs(2))
                .with_wait_time(Duration::from_secs(1))
                .on_report(observer.clone()),
        );
    }
    let (first, second) = (&consumers[0], &consumers[1]);
    let calls: Arc<Mutex<Vec<Uuid>>> = Arc::default();
    let handler = |calls: Arc<Mutex<Vec<Uuid>>>| {
        move |event: ProductEvent, _| {
            calls.lock().unwrap().push(*event.event_id());
            async {
                tokio::time::sleep(Duration::from_secs(7)).await;
                Ok::<(), String>(())
            }
        }
    };
    let stop = async { tokio::time::sleep(Duration::from_secs(12)).await };
    let stop2 = async { tokio::time::sleep(Duration::from_secs(12)).await };
    let (a, b) = tokio::join!(
        first.run(handler(calls.clone()), stop),
        second.run(handler(calls.clone()), stop2)
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(
        *calls.lock().unwrap(),
        [*sent[0].event_id()],
        "handled once, by one consumer"
    );
    assert_eq!(a.handled + b.handled, 1, "{a:?} {b:?}");
    let reports = reports.lock().unwrap().clone();
    assert_eq!(reports.len(), 1, "{reports:?}");
    assert_eq!(reports[0].disposition, Disposition::Handled);
    assert_eq!(reports[0].receive_count, 1, "never redelivered");
    // Every 2/3 s for 7 s: about 10 renewals.
    assert!(reports[0].heartbeats >= 6, "{:?}", reports[0]);
    assert!(reports[0].acknowledge_error.is_none(), "{:?}", reports[0]);
    assert_eq!(counts(&clients.sqs, "analytics-queue").await, (0, 0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_handler_past_its_timeout_fails_and_is_retried() {
    let Some((_moto, clients)) = deployed().await else {
        return;
    };
    let sent = publish(&clients, "ProductDeleted", 1, Queue::AnalyticsQueue).await;
    let (reports, observer) = recorder();
    let consumer = Consumer::connect(clients.sqs.clone(), Queue::AnalyticsQueue)
        .await
        .unwrap()
        .with_wait_time(Duration::from_secs(1))
        .with_retry_policy(QUICK)
        .with_handler_timeout(Duration::from_millis(300))
        .on_report(observer);
    let calls = AtomicU32::new(0);
    let stats = consumer
        .run(
            |_, delivery| {
                calls.fetch_add(1, Ordering::SeqCst);
                async move {
                    // Hangs on the first delivery only.
                    if delivery.receive_count == 1 {
                        std::future::pending::<()>().await;
                    }
                    Ok::<(), String>(())
                }
            },
            async { tokio::time::sleep(Duration::from_secs(5)).await },
        )
        .await
        .unwrap();
    let reports = reports.lock().unwrap().clone();
    assert_eq!(calls.load(Ordering::SeqCst), 2, "{reports:?}");
    let Disposition::Retried { error, .. } = &reports[0].disposition else {
        panic!("{reports:?}")
    };
    assert!(
        error.contains("did not finish within its timeout of 300ms"),
        "{error}"
    );
    assert_eq!(reports[1].disposition, Disposition::Handled);
    assert_eq!((stats.retried, stats.handled, stats.timeouts), (1, 1, 1));
    assert!(reports[0].timed_out && !reports[1].timed_out);
    assert!(take_all(&clients.sqs, "analytics-dlq").await.is_empty());
    let _ = sent;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_consumer_killed_mid_batch_loses_nothing_and_dead_letters_nothing() {
    let Some((_moto, clients)) = deployed().await else {
        return;
    };
    let sent = publish(&clients, "ProductUpdated", 12, Queue::AnalyticsQueue).await;
    let started: Arc<Mutex<BTreeSet<Uuid>>> = Arc::default();
    // The first consumer takes 4 at a time and hangs in every handler; it is killed
    // (its task aborted: no acknowledgement, no release, as with SIGKILL) once 4 started.
    let doomed = Consumer::connect(clients.sqs.clone(), Queue::AnalyticsQueue)
        .await
        .unwrap()
        .with_concurrency(4)
        .with_visibility_timeout(Duration::from_secs(2))
        .with_wait_time(Duration::from_secs(1));
    let record = started.clone();
    let task = tokio::spawn(async move {
        doomed
            .run(
                move |event: ProductEvent, _| {
                    record.lock().unwrap().insert(*event.event_id());
                    std::future::pending::<Result<(), String>>()
                },
                std::future::pending::<()>(),
            )
            .await
    });
    let deadline = Instant::now() + Duration::from_secs(10);
    while started.lock().unwrap().len() < 4 {
        assert!(Instant::now() < deadline, "the first batch did not start");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    task.abort();
    let _ = task.await;
    assert_eq!(
        started.lock().unwrap().len(),
        4,
        "only as many received as it could start"
    );
    // The restart handles everything; the killed batch comes back after its visibility.
    let handled: Arc<Mutex<BTreeMap<Uuid, u32>>> = Arc::default();
    let record = handled.clone();
    let restarted = Consumer::connect(clients.sqs.clone(), Queue::AnalyticsQueue)
        .await
        .unwrap()
        .with_concurrency(4)
        .with_wait_time(Duration::from_secs(1))
        .with_idle_exit(Duration::from_secs(4));
    let stats = restarted
        .run(
            move |event: ProductEvent, delivery| {
                record
                    .lock()
                    .unwrap()
                    .insert(*event.event_id(), delivery.receive_count);
                async { Ok::<(), String>(()) }
            },
            std::future::pending::<()>(),
        )
        .await
        .unwrap();
    let handled = handled.lock().unwrap().clone();
    let ids: BTreeSet<Uuid> = sent.iter().map(|e| *e.event_id()).collect();
    assert_eq!(
        handled.keys().copied().collect::<BTreeSet<_>>(),
        ids,
        "every event handled"
    );
    for (id, count) in &handled {
        let expected = if started.lock().unwrap().contains(id) {
            2
        } else {
            1
        };
        assert_eq!(
            *count, expected,
            "{id}: the killed batch was received once before"
        );
    }
    assert_eq!((stats.handled, stats.dead_lettered), (12, 0), "{stats:?}");
    assert!(take_all(&clients.sqs, "analytics-dlq").await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_uses_no_receive_count_it_did_not_handle() {
    let Some((_moto, clients)) = deployed().await else {
        return;
    };
    publish(&clients, "ProductUpdated", 6, Queue::AnalyticsQueue).await;
    let consumer = Consumer::connect(clients.sqs.clone(), Queue::AnalyticsQueue)
        .await
        .unwrap()
        .with_concurrency(2)
        .with_wait_time(Duration::from_secs(1));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let stop = Mutex::new(Some(stop));
    let stats = consumer
        .run(
            |_, _| {
                // Shutdown arrives while the first messages are being handled.
                if let Some(stop) = stop.lock().unwrap().take() {
                    let _ = stop.send(());
                }
                async {
                    tokio::time::sleep(Duration::from_millis(300)).await;
                    Ok::<(), String>(())
                }
            },
            async {
                let _ = stopped.await;
            },
        )
        .await
        .unwrap();
    // Two slots: two received, both finished; the other four never left the queue.
    assert_eq!(
        (stats.messages, stats.handled, stats.released),
        (2, 2, 0),
        "{stats:?}"
    );
    let rest = take_all(&clients.sqs, "analytics-queue").await;
    assert_eq!(rest.len(), 4);
    for message in &rest {
        let count = message
            .attributes()
            .and_then(|a| {
                a.get(&aws_sdk_sqs::types::MessageSystemAttributeName::ApproximateReceiveCount)
            })
            .unwrap();
        assert_eq!(
            count, "1",
            "received for the first time now: shutdown used no count"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_poison_message_is_in_the_dlq_after_one_receive_with_its_reason() {
    let Some((_moto, clients)) = deployed().await else {
        return;
    };
    let url = url_of(&clients.sqs, "notifications-queue").await;
    let poison = r#"{"eventType":"ProductCreated","version":"1.0.0"}"#;
    clients
        .sqs
        .send_message()
        .queue_url(&url)
        .message_body(poison)
        .send()
        .await
        .unwrap();
    let (reports, observer) = recorder();
    let consumer = Consumer::connect(clients.sqs.clone(), Queue::NotificationsQueue)
        .await
        .unwrap()
        .with_wait_time(Duration::from_secs(1))
        .on_report(observer);
    let calls = AtomicU32::new(0);
    let stats = consumer
        .poll_once(|_, _| {
            calls.fetch_add(1, Ordering::SeqCst);
            async { Ok::<(), String>(()) }
        })
        .await
        .unwrap();
    assert_eq!(
        calls.load(Ordering::SeqCst),
        0,
        "the handler never sees poison"
    );
    assert_eq!(stats.dead_lettered, 1, "{stats:?}");
    let reports = reports.lock().unwrap().clone();
    assert_eq!(reports[0].receive_count, 1);
    let Disposition::DeadLettered { reason, error } = &reports[0].disposition else {
        panic!("{reports:?}")
    };
    assert_eq!(*reason, DeadLetterReason::Poison);
    assert!(error.contains("eventId"), "{error}");
    let dead = take_all(&clients.sqs, "notifications-dlq").await;
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0].body(), Some(poison));
    assert_eq!(
        attribute(&dead[0], DEAD_LETTER_REASON_ATTRIBUTE),
        Some("poison")
    );
    assert_eq!(
        attribute(&dead[0], SOURCE_QUEUE_ATTRIBUTE),
        Some("notifications-queue")
    );
    assert!(
        attribute(&dead[0], DEAD_LETTER_DETAIL_ATTRIBUTE).is_some_and(|d| d.contains("eventId")),
        "{:?}",
        dead[0].message_attributes()
    );
    assert_eq!(
        counts(&clients.sqs, "notifications-queue").await,
        (0, 0),
        "deleted from the source"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retries_end_in_the_dlq_with_their_reason_after_max_retries_plus_one() {
    let Some((_moto, clients)) = deployed().await else {
        return;
    };
    // analytics-queue allows 5 receives; maxRetries 2 means 3 attempts, then the
    // consumer moves the message itself, with the last error.
    assert_eq!(RETRY_POLICY.max_retries, 2);
    let sent = publish(&clients, "ProductDeleted", 1, Queue::AnalyticsQueue).await;
    let (reports, observer) = recorder();
    let consumer = Consumer::connect(clients.sqs.clone(), Queue::AnalyticsQueue)
        .await
        .unwrap()
        .with_wait_time(Duration::from_secs(1))
        .with_retry_policy(QUICK)
        .on_report(observer);
    assert_eq!(consumer.max_attempts(), 3);
    let counts_seen: Mutex<Vec<u32>> = Mutex::default();
    consumer
        .run(
            |_, delivery| {
                counts_seen.lock().unwrap().push(delivery.receive_count);
                async { Err::<(), _>("the warehouse is down") }
            },
            async { tokio::time::sleep(Duration::from_secs(8)).await },
        )
        .await
        .unwrap();
    assert_eq!(*counts_seen.lock().unwrap(), [1, 2, 3]);
    let reports = reports.lock().unwrap().clone();
    assert!(matches!(
        reports[0].disposition,
        Disposition::Retried { .. }
    ));
    assert!(matches!(
        reports[1].disposition,
        Disposition::Retried { .. }
    ));
    assert_eq!(
        reports[2].disposition,
        Disposition::DeadLettered {
            reason: DeadLetterReason::RetriesExhausted,
            error: "the warehouse is down".to_owned()
        }
    );
    let dead = take_all(&clients.sqs, "analytics-dlq").await;
    assert_eq!(dead.len(), 1);
    assert_eq!(event_id_of(dead[0].body().unwrap()), *sent[0].event_id());
    assert_eq!(
        attribute(&dead[0], DEAD_LETTER_REASON_ATTRIBUTE),
        Some("retries-exhausted")
    );
    assert_eq!(
        attribute(&dead[0], DEAD_LETTER_DETAIL_ATTRIBUTE),
        Some("the warehouse is down")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_major_waits_for_a_newer_consumer_and_is_not_poison() {
    let Some((_moto, clients)) = deployed().await else {
        return;
    };
    // A publisher one major ahead: 9.0.0 is no schema of this build.
    let mut future = support::event_json("ProductDeleted", "1.0.0", Uuid::new_v4());
    future["version"] = "9.0.0".into();
    let url = url_of(&clients.sqs, "notifications-queue").await;
    clients
        .sqs
        .send_message()
        .queue_url(&url)
        .message_body(future.to_string())
        .send()
        .await
        .unwrap();
    let (reports, observer) = recorder();
    let consumer = Consumer::connect(clients.sqs.clone(), Queue::NotificationsQueue)
        .await
        .unwrap()
        .with_wait_time(Duration::from_secs(1))
        .with_unsupported_delay(Duration::from_secs(1))
        .on_report(observer);
    let stats = consumer
        .run(|_, _| async { Ok::<(), String>(()) }, async {
            tokio::time::sleep(Duration::from_secs(7)).await
        })
        .await
        .unwrap();
    let reports = reports.lock().unwrap().clone();
    // notifications-queue allows 3 receives: deferred twice, then on the third (the
    // last before SQS's redrive) dead-lettered with the reason.
    assert_eq!(reports.len(), 3, "{reports:?}");
    for report in &reports[..2] {
        let Disposition::Deferred { delay, error } = &report.disposition else {
            panic!("{report:?}")
        };
        assert_eq!(*delay, Duration::from_secs(1));
        assert!(error.contains("9.0.0"), "{error}");
    }
    assert!(matches!(
        reports[2].disposition,
        Disposition::DeadLettered {
            reason: DeadLetterReason::Unsupported,
            ..
        }
    ));
    assert_eq!((stats.deferred, stats.dead_lettered), (2, 1));
    let dead = take_all(&clients.sqs, "notifications-dlq").await;
    assert_eq!(
        attribute(&dead[0], DEAD_LETTER_REASON_ATTRIBUTE),
        Some("unsupported")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn receive_errors_and_stalls_are_survived_and_nothing_is_lost() {
    let Some((moto, clients)) = deployed().await else {
        return;
    };
    let sent = publish(&clients, "ProductCreated", 20, Queue::AnalyticsQueue).await;
    // Of every 6 ReceiveMessage requests, 5 fail: a 500, a dropped connection, a stall
    // (60 s without an answer), two more 500s. Every other operation passes.
    let proxy = FaultProxy::start(
        &moto.endpoint,
        "ReceiveMessage",
        vec![
            Fault::ServerError,
            Fault::Drop,
            Fault::Stall,
            Fault::ServerError,
            Fault::ServerError,
            Fault::Pass,
        ],
    )
    .await;
    let config = support::sdk_config_at(&proxy.endpoint).await;
    // No SDK retries: every injected fault reaches the consumer's own loop.
    let sqs = aws_sdk_sqs::Client::from_conf(
        aws_sdk_sqs::config::Builder::from(&config)
            .retry_config(aws_sdk_sqs::config::retry::RetryConfig::disabled())
            .build(),
    );
    let errors: Arc<Mutex<Vec<String>>> = Arc::default();
    let seen = errors.clone();
    let consumer = Consumer::connect(sqs, Queue::AnalyticsQueue)
        .await
        .unwrap()
        .with_concurrency(10)
        .with_wait_time(Duration::from_secs(1))
        .with_operation_timeout(Duration::from_secs(1))
        .with_idle_exit(Duration::from_secs(6))
        .on_receive_error(move |e| seen.lock().unwrap().push(e.to_string()));
    let handled: Mutex<Vec<Uuid>> = Mutex::default();
    let stats = tokio::time::timeout(
        Duration::from_secs(90),
        consumer.run(
            |event, _| {
                handled.lock().unwrap().push(*event.event_id());
                async { Ok::<(), String>(()) }
            },
            std::future::pending::<()>(),
        ),
    )
    .await
    .expect("the loop kept going and went idle")
    .unwrap();
    let handled = handled.into_inner().unwrap();
    let unique: BTreeSet<Uuid> = handled.iter().copied().collect();
    assert_eq!(
        unique,
        sent.iter().map(|e| *e.event_id()).collect(),
        "nothing lost"
    );
    assert_eq!(handled.len(), 20, "nothing handled twice");
    let errors = errors.lock().unwrap().clone();
    assert!(stats.receive_errors >= 5, "{stats:?}");
    assert_eq!(stats.receive_errors, errors.len() as u64);
    assert!(
        errors.iter().any(|e| e.contains("InternalError")),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.to_lowercase().contains("timeout") || e.contains("timed out")),
        "the stall ended by the operation timeout: {errors:?}"
    );
    assert!(proxy.failed.load(Ordering::SeqCst) >= 5);
    assert_eq!(counts(&clients.sqs, "analytics-queue").await, (0, 0));
    assert!(take_all(&clients.sqs, "analytics-dlq").await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sns_delivery_to_a_deleted_queue_is_refused_by_moto_not_dead_lettered() {
    let Some((_moto, clients)) = deployed().await else {
        return;
    };
    // Deploy gave each subscription a RedrivePolicy to its delivery dead-letter queue.
    let topic = Publisher::connect(clients.sns.clone()).await.unwrap();
    let subscriptions = clients
        .sns
        .list_subscriptions_by_topic()
        .topic_arn(topic.topic_arn())
        .send()
        .await
        .unwrap();
    for subscription in subscriptions.subscriptions() {
        let attributes = clients
            .sns
            .get_subscription_attributes()
            .subscription_arn(subscription.subscription_arn().unwrap())
            .send()
            .await
            .unwrap();
        let redrive: serde_json::Value =
            serde_json::from_str(&attributes.attributes().unwrap()["RedrivePolicy"]).unwrap();
        let endpoint = subscription.endpoint().unwrap();
        assert_eq!(
            redrive["deadLetterTargetArn"].as_str().unwrap(),
            format!("{endpoint}-sns-dlq"),
            "{endpoint}"
        );
    }
    let url = url_of(&clients.sqs, "analytics-queue").await;
    clients
        .sqs
        .delete_queue()
        .queue_url(url)
        .send()
        .await
        .unwrap();
    // On AWS, SNS retries the delivery and then puts the message in
    // analytics-queue-sns-dlq. moto 5.1.22 delivers synchronously inside Publish and
    // fails the publish instead: this pins that behaviour, so a moto that starts
    // dead-lettering fails here and the test can assert the real outcome.
    let err = topic
        .publish(&event("ProductDeleted", "1.0.0", Uuid::new_v4()))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("NonExistentQueue"), "{err}");
    assert!(take_all(&clients.sqs, "analytics-queue-sns-dlq")
        .await
        .is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn eight_writers_with_expected_versions_get_conflicts_not_retries() {
    // Serialized moto: see RELIABILITY.md (moto's transactions are not atomic).
    let Some(moto) = Moto::start_serialized() else {
        return;
    };
    let clients = Clients::from_config(&support::sdk_config(&moto).await);
    deploy_event_table(&clients.dynamodb, "expected")
        .await
        .unwrap();
    let store = DynamoDbStore::new(clients.dynamodb.clone(), "expected");
    let product = Uuid::new_v4();
    const WRITERS: usize = 8;
    const PER_WRITER: usize = 20;
    let mut writers = Vec::new();
    for _ in 0..WRITERS {
        let store = store.clone();
        writers.push(tokio::spawn(async move {
            let mut mine = Vec::new();
            let mut conflicts = Vec::new();
            while mine.len() < PER_WRITER {
                let seen = store.last_sequence(product).await.unwrap();
                let event = event("ProductUpdated", "1.0.0", product);
                match store.append_expected(product, seen, &event).await {
                    Ok(AppendOutcome::Appended {
                        sequence,
                        conflicts: 0,
                    }) => {
                        assert_eq!(sequence, seen + 1, "written exactly where expected");
                        mine.push((*event.event_id(), sequence));
                    }
                    Err(AwsError::VersionConflict {
                        expected, actual, ..
                    }) => {
                        assert_eq!(expected, seen);
                        assert!(actual > expected, "{actual} > {expected}");
                        conflicts.push((expected, actual));
                    }
                    other => panic!("{other:?}"),
                }
            }
            (mine, conflicts)
        }));
    }
    let mut appended: BTreeMap<Uuid, u64> = BTreeMap::new();
    let mut conflicts = 0;
    for writer in writers {
        let (mine, lost) = writer.await.unwrap();
        conflicts += lost.len();
        appended.extend(mine);
    }
    assert_eq!(appended.len(), WRITERS * PER_WRITER);
    assert!(
        conflicts >= 20,
        "the writers raced: only {conflicts} conflicts"
    );
    eprintln!(
        "{} expected-version appends by {WRITERS} writers: {conflicts} conflicts",
        WRITERS * PER_WRITER
    );
    let history = store.product_history(product).await.unwrap();
    let positions: Vec<u64> = history.iter().map(|s| s.position).collect();
    assert_eq!(
        positions,
        (1..=(WRITERS * PER_WRITER) as u64).collect::<Vec<_>>()
    );
    let stored: BTreeMap<Uuid, u64> = history
        .iter()
        .map(|s| (*s.event.event_id(), s.position))
        .collect();
    assert_eq!(stored, appended);
    // A retry of a stored event is recognised; an event about another product refused.
    let first = &history[0].event;
    assert_eq!(
        store.append_expected(product, 0, first).await.unwrap(),
        AppendOutcome::AlreadyStored { sequence: 1 }
    );
    let other = event("ProductUpdated", "1.0.0", Uuid::new_v4());
    let err = store
        .append_expected(product, 160, &other)
        .await
        .unwrap_err();
    assert!(matches!(err, AwsError::WrongProduct { .. }), "{err:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deduplication_hands_each_event_id_to_one_handler_call() {
    let Some((_moto, clients)) = deployed().await else {
        return;
    };
    deploy_dedup_table(&clients.dynamodb, "seen").await.unwrap();
    // The same event published three times (a publisher that retried): three messages.
    let twice = event("ProductDeleted", "1.0.0", Uuid::new_v4());
    let failing = event("ProductDeleted", "1.0.0", Uuid::new_v4());
    let publisher = Publisher::connect(clients.sns.clone()).await.unwrap();
    for e in [&twice, &twice, &twice, &failing] {
        publisher.publish(e).await.unwrap();
    }
    let dedup = Deduplicator::new(clients.dynamodb.clone(), "seen", Duration::from_secs(3600));
    let (reports, observer) = recorder();
    let consumer = Consumer::connect(clients.sqs.clone(), Queue::AnalyticsQueue)
        .await
        .unwrap()
        .with_concurrency(1)
        .with_wait_time(Duration::from_secs(1))
        .with_retry_policy(QUICK)
        .with_deduplication(dedup.clone())
        .with_idle_exit(Duration::from_secs(4))
        .on_report(observer);
    let calls: Mutex<Vec<(Uuid, u32)>> = Mutex::default();
    let failing_id = *failing.event_id();
    consumer
        .run(
            |event, delivery| {
                calls
                    .lock()
                    .unwrap()
                    .push((*event.event_id(), delivery.receive_count));
                let fail = *event.event_id() == failing_id && delivery.receive_count == 1;
                async move {
                    if fail {
                        Err("once".to_owned())
                    } else {
                        Ok(())
                    }
                }
            },
            std::future::pending::<()>(),
        )
        .await
        .unwrap();
    let calls = calls.into_inner().unwrap();
    let of = |id: &Uuid| calls.iter().filter(|(c, _)| c == id).count();
    assert_eq!(of(twice.event_id()), 1, "{calls:?}");
    // A failure releases the claim: the retry is handled.
    assert_eq!(of(failing.event_id()), 2, "{calls:?}");
    let reports = reports.lock().unwrap().clone();
    let duplicates = reports
        .iter()
        .filter(|r| r.disposition == Disposition::Duplicate)
        .count();
    assert_eq!(duplicates, 2, "{reports:?}");
    assert_eq!(counts(&clients.sqs, "analytics-queue").await, (0, 0));
    // A live claim by another consumer is busy, not done.
    let id = Uuid::new_v4();
    assert_eq!(
        dedup.claim(id, Duration::from_secs(30)).await.unwrap(),
        event_contracts_aws::Claim::Claimed
    );
    let busy = dedup.claim(id, Duration::from_secs(30)).await.unwrap();
    assert!(
        matches!(busy, event_contracts_aws::Claim::Busy { remaining } if remaining > Duration::from_secs(20)),
        "{busy:?}"
    );
    dedup.complete(id).await.unwrap();
    assert_eq!(
        dedup.claim(id, Duration::from_secs(30)).await.unwrap(),
        event_contracts_aws::Claim::Done
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redrive_moves_dead_letters_back_to_their_queue_only() {
    let Some((_moto, clients)) = deployed().await else {
        return;
    };
    // ProductUpdated goes to both queues; only notifications fails it.
    let sent = publish(&clients, "ProductUpdated", 3, Queue::NotificationsQueue).await;
    let consumer = Consumer::connect(clients.sqs.clone(), Queue::NotificationsQueue)
        .await
        .unwrap()
        .with_wait_time(Duration::from_secs(1))
        .with_retry_policy(RetryPolicy {
            max_retries: 0,
            ..QUICK
        })
        .with_idle_exit(Duration::from_secs(2));
    let stats = consumer
        .run(
            |_, _| async { Err::<(), _>("mail is down") },
            std::future::pending::<()>(),
        )
        .await
        .unwrap();
    assert_eq!(stats.dead_lettered, 3, "{stats:?}");
    let analytics_before = counts(&clients.sqs, "analytics-queue").await;
    let report = redrive(&clients.sqs, "notifications-dlq", RedriveOptions::default())
        .await
        .unwrap();
    // moto 5.1.22 does not implement StartMessageMoveTask: the copy path ran.
    let RedriveMethod::Copied {
        move_task_refused: Some(why),
    } = &report.method
    else {
        panic!("{report:?}")
    };
    assert!(why.contains("StartMessageMoveTask"), "{why}");
    assert_eq!((report.moved, report.delete_failures), (3, 0));
    assert_eq!(report.source_queue, "notifications-queue");
    assert!(take_all(&clients.sqs, "notifications-dlq").await.is_empty());
    let back = take_all(&clients.sqs, "notifications-queue").await;
    let ids: BTreeSet<Uuid> = back
        .iter()
        .map(|m| event_id_of(m.body().unwrap()))
        .collect();
    assert_eq!(ids, sent.iter().map(|e| *e.event_id()).collect());
    for message in &back {
        assert_eq!(
            attribute(message, DEAD_LETTER_REASON_ATTRIBUTE),
            None,
            "reasons removed"
        );
        assert_eq!(attribute(message, SOURCE_QUEUE_ATTRIBUTE), None);
    }
    // The other subscriber got nothing again.
    assert_eq!(
        counts(&clients.sqs, "analytics-queue").await,
        analytics_before
    );
    let err = redrive(&clients.sqs, "analytics-queue", RedriveOptions::default())
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("is not a dead-letter queue")
            && err.to_string().contains("notifications-dlq, analytics-dlq"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_event_larger_than_sns_accepts_is_refused_before_anything_is_sent() {
    let Some((_moto, clients)) = deployed().await else {
        return;
    };
    // Unknown properties are kept by encode, so a padded event is valid. Its body is
    // 14 bytes below 256 KiB (what decode accepts); its two attributes (47 bytes) take it
    // over SNS's limit.
    let mut padded = support::event_json("ProductDeleted", "1.0.0", Uuid::new_v4());
    padded["padding"] = "".into();
    let bare = padded.to_string().len();
    padded["padding"] = "x"
        .repeat(event_contracts_aws::MAX_MESSAGE_BYTES - 14 - bare)
        .into();
    assert_eq!(
        padded.to_string().len(),
        event_contracts_aws::MAX_MESSAGE_BYTES - 14
    );
    let big = event_contracts::decode(padded.to_string().as_bytes()).unwrap();
    let small = event("ProductDeleted", "1.0.0", Uuid::new_v4());
    let publisher = Publisher::connect(clients.sns.clone()).await.unwrap();
    let err = publisher
        .publish_all(&[small.clone(), big.clone()])
        .await
        .unwrap_err();
    let AwsError::TooLarge {
        event_id,
        size,
        limit,
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!((*event_id, *limit), (*big.event_id(), 262_144));
    assert_eq!(
        *size,
        262_144 - 14 + 47,
        "the body and the attributes' names, types and values"
    );
    assert!(err.to_string().contains("it was not sent"), "{err}");
    assert!(matches!(
        publisher.publish(&big).await,
        Err(AwsError::TooLarge { .. })
    ));
    assert_eq!(
        counts(&clients.sqs, "analytics-queue").await,
        (0, 0),
        "nothing was sent"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_batch_leaves_a_report_of_what_was_sent_and_what_was_not() {
    let Some((moto, clients)) = deployed().await else {
        return;
    };
    // The second PublishBatch call and its retries fail: 500, drop, 500, 500.
    let proxy = FaultProxy::start(
        &moto.endpoint,
        "PublishBatch",
        vec![
            Fault::Pass,
            Fault::ServerError,
            Fault::Drop,
            Fault::ServerError,
            Fault::ServerError,
        ],
    )
    .await;
    let config = support::sdk_config_at(&proxy.endpoint).await;
    let sns = aws_sdk_sns::Client::from_conf(
        aws_sdk_sns::config::Builder::from(&config)
            .retry_config(aws_sdk_sns::config::retry::RetryConfig::disabled())
            .build(),
    );
    let topic_arn = Publisher::connect(clients.sns.clone())
        .await
        .unwrap()
        .topic_arn()
        .to_owned();
    let publisher = Publisher::new(sns, topic_arn);
    let events: Vec<ProductEvent> = (0..25)
        .map(|_| event("ProductDeleted", "1.0.0", Uuid::new_v4()))
        .collect();
    let report = publisher.publish_all(&events).await.unwrap();
    // Batch 1 (events 0-9) went; batch 2 (10-19) failed on all 4 tries; 20-24 not sent.
    assert_eq!(
        report.published.iter().map(|p| p.index).collect::<Vec<_>>(),
        (0..10).collect::<Vec<_>>()
    );
    assert_eq!(
        report.failed.iter().map(|f| f.index).collect::<Vec<_>>(),
        (10..20).collect::<Vec<_>>()
    );
    assert!(
        report.failed.iter().all(|f| f.code == "RequestFailed"),
        "{:?}",
        report.failed
    );
    assert_eq!(report.not_sent, (20..25).collect::<Vec<_>>());
    assert!(
        report
            .error
            .as_deref()
            .is_some_and(|e| e.contains("PublishBatch")),
        "{report:?}"
    );
    assert_eq!(
        proxy.matched.load(Ordering::SeqCst),
        5,
        "one pass, then 4 tries of batch 2"
    );
    let delivered: BTreeSet<Uuid> = take_all(&clients.sqs, "analytics-queue")
        .await
        .iter()
        .map(|m| event_id_of(m.body().unwrap()))
        .collect();
    assert_eq!(
        delivered,
        events[..10].iter().map(|e| *e.event_id()).collect()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_that_fails_then_succeeds_is_published_once() {
    let Some((moto, clients)) = deployed().await else {
        return;
    };
    let proxy = FaultProxy::start(
        &moto.endpoint,
        "PublishBatch",
        vec![Fault::ServerError, Fault::Drop, Fault::Pass],
    )
    .await;
    let config = support::sdk_config_at(&proxy.endpoint).await;
    let sns = aws_sdk_sns::Client::from_conf(
        aws_sdk_sns::config::Builder::from(&config)
            .retry_config(aws_sdk_sns::config::retry::RetryConfig::disabled())
            .build(),
    );
    let topic_arn = Publisher::connect(clients.sns.clone())
        .await
        .unwrap()
        .topic_arn()
        .to_owned();
    let events: Vec<ProductEvent> = (0..4)
        .map(|_| event("ProductDeleted", "1.0.0", Uuid::new_v4()))
        .collect();
    let report = Publisher::new(sns, topic_arn)
        .publish_all(&events)
        .await
        .unwrap();
    assert_eq!(report.published.len(), 4, "{report:?}");
    assert!(report.failed.is_empty() && report.not_sent.is_empty() && report.error.is_none());
    assert_eq!(take_all(&clients.sqs, "analytics-queue").await.len(), 4);
}
