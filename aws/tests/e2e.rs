//! End to end against a real AWS API emulator (moto on 127.0.0.1): deploy the seed
//! topology, publish, consume with retries into the dead-letter queues, and the DynamoDB
//! event store under concurrent writers.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use aws_sdk_sqs::types::QueueAttributeName;
use event_contracts::routing::{self, Queue, RetryPolicy, RETRY_POLICY};
use event_contracts::{decode, ProductEvent};
use event_contracts_aws::{
    deploy, deploy_event_table, deploy_with, AppendOutcome, AwsError, BlockingDynamoDbStore,
    Change, Clients, Connection, Consumer, DeadLetterReason, DeployOptions, Disposition,
    DynamoDbStore, MessageReport, Publisher, ResourceKind,
};
use serde_json::{json, Value};
use support::event;
use support::moto::Moto;
use uuid::Uuid;

/// Starts moto (or skips) and deploys the seed topology.
async fn deployed() -> Option<(Moto, Clients)> {
    let moto = Moto::start()?;
    let clients = Clients::from_config(&support::sdk_config(&moto).await);
    deploy(&clients).await.expect("deploy");
    Some((moto, clients))
}

async fn queue_url(clients: &Clients, queue: Queue) -> String {
    clients
        .sqs
        .get_queue_url()
        .queue_name(queue.name())
        .send()
        .await
        .expect("queue URL")
        .queue_url()
        .expect("queue URL")
        .to_owned()
}

/// Every message now in the queue, read and deleted: bodies in arrival order.
async fn drain(clients: &Clients, queue: Queue) -> Vec<String> {
    let url = queue_url(clients, queue).await;
    let mut bodies = Vec::new();
    let mut empty = 0;
    while empty < 2 {
        let received = clients
            .sqs
            .receive_message()
            .queue_url(&url)
            .max_number_of_messages(10)
            .wait_time_seconds(1)
            .send()
            .await
            .expect("receive");
        let messages = received.messages.unwrap_or_default();
        if messages.is_empty() {
            empty += 1;
        }
        for message in messages {
            bodies.push(message.body().unwrap_or_default().to_owned());
            clients
                .sqs
                .delete_message()
                .queue_url(&url)
                .receipt_handle(message.receipt_handle().expect("receipt"))
                .send()
                .await
                .expect("delete");
        }
    }
    bodies
}

/// The event ids in SQS bodies (SNS envelopes or bare events).
fn event_ids(bodies: &[String]) -> BTreeSet<Uuid> {
    bodies
        .iter()
        .map(|body| {
            let sqs = routing::decode_body(body).expect("an SQS body");
            *decode(sqs.event.as_bytes()).expect("an event").event_id()
        })
        .collect()
}

async fn attributes(clients: &Clients, queue: Queue) -> BTreeMap<String, String> {
    let url = queue_url(clients, queue).await;
    clients
        .sqs
        .get_queue_attributes()
        .queue_url(url)
        .attribute_names(QueueAttributeName::All)
        .send()
        .await
        .expect("attributes")
        .attributes()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .map(|(k, v)| (k.as_str().to_owned(), v))
        .collect()
}

fn summary(report: &event_contracts_aws::DeployReport) -> Vec<String> {
    report
        .resources
        .iter()
        .map(|r| format!("{} {}: {}", r.kind.as_str(), r.name, r.change))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deploy_creates_the_seed_topology_once_and_repairs_drift() {
    let Some(moto) = Moto::start() else { return };
    let clients = Clients::from_config(&support::sdk_config(&moto).await);

    let first = deploy(&clients).await.expect("first deploy");
    assert_eq!(
        summary(&first),
        [
            "topic product-events: created",
            "dead-letter queue notifications-dlq: created",
            "dead-letter queue analytics-dlq: created",
            "queue notifications-queue: created",
            "queue analytics-queue: created",
            "delivery DLQ notifications-queue-sns-dlq: created",
            "subscription product-events -> notifications-queue: created",
            "delivery DLQ analytics-queue-sns-dlq: created",
            "subscription product-events -> analytics-queue: created",
        ]
    );
    // moto 5.1.22 accepts RedriveAllowPolicy and drops it: deploy says so instead of
    // reporting a change that every later deploy would repeat.
    assert_eq!(
        first.warnings,
        [
            "notifications-dlq: the endpoint did not keep RedriveAllowPolicy (it is set again on every deploy)",
            "analytics-dlq: the endpoint did not keep RedriveAllowPolicy (it is set again on every deploy)",
            "notifications-queue-sns-dlq: the endpoint did not keep RedriveAllowPolicy (it is set again on every deploy)",
            "analytics-queue-sns-dlq: the endpoint did not keep RedriveAllowPolicy (it is set again on every deploy)",
        ]
    );

    // What SQS and SNS now hold is the seed's topology.
    for queue in Queue::ALL {
        let attributes = attributes(&clients, queue).await;
        assert_eq!(
            attributes["VisibilityTimeout"],
            queue.visibility_timeout().as_secs().to_string(),
            "{queue}"
        );
        assert_eq!(attributes["MessageRetentionPeriod"], "1209600", "{queue}");
        // Encrypted at rest with SQS-managed keys, and no request without TLS.
        assert_eq!(attributes["SqsManagedSseEnabled"], "true", "{queue}");
        assert!(!attributes.contains_key("KmsMasterKeyId"), "{queue}");
        let policy: Value = serde_json::from_str(&attributes["Policy"]).unwrap();
        let deny = policy["Statement"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["Effect"] == "Deny")
            .unwrap_or_else(|| panic!("{queue}: no deny statement in {policy}"));
        assert_eq!(
            deny["Condition"]["Bool"]["aws:SecureTransport"], "false",
            "{queue}"
        );
        assert_eq!(deny["Resource"], attributes["QueueArn"].as_str(), "{queue}");
        match (queue.dead_letter_queue(), queue.max_receive_count()) {
            (Some(dlq), Some(count)) => {
                let redrive: Value = serde_json::from_str(&attributes["RedrivePolicy"]).unwrap();
                let dlq_arn = attributes_arn(&clients, dlq).await;
                assert_eq!(redrive["deadLetterTargetArn"], dlq_arn.as_str(), "{queue}");
                assert_eq!(
                    redrive["maxReceiveCount"].to_string().trim_matches('"'),
                    count.to_string()
                );
                let policy: Value = serde_json::from_str(&attributes["Policy"]).unwrap();
                let statement = &policy["Statement"][0];
                assert_eq!(statement["Principal"]["Service"], "sns.amazonaws.com");
                assert_eq!(statement["Action"], "sqs:SendMessage");
                assert_eq!(
                    statement["Condition"]["ArnEquals"]["aws:SourceArn"],
                    first.topic_arn.as_str()
                );
            }
            _ => assert!(!attributes.contains_key("RedrivePolicy"), "{queue}"),
        }
    }
    assert_eq!(
        (
            notifications_max(&clients).await,
            analytics_max(&clients).await
        ),
        (3, 5)
    );
    let subscriptions = clients
        .sns
        .list_subscriptions_by_topic()
        .topic_arn(&first.topic_arn)
        .send()
        .await
        .unwrap();
    assert_eq!(subscriptions.subscriptions().len(), 2);
    for subscription in subscriptions.subscriptions() {
        let arn = subscription.subscription_arn().unwrap();
        let attributes = clients
            .sns
            .get_subscription_attributes()
            .subscription_arn(arn)
            .send()
            .await
            .unwrap()
            .attributes()
            .cloned()
            .unwrap_or_default();
        let policy: Value = serde_json::from_str(&attributes["FilterPolicy"]).unwrap();
        let endpoint = subscription.endpoint().unwrap();
        let expected = if endpoint.ends_with(":notifications-queue") {
            json!({"eventType": ["ProductCreated", "ProductUpdated", "LowStockWarning"]})
        } else {
            assert!(endpoint.ends_with(":analytics-queue"), "{endpoint}");
            json!({"eventType": ["ProductCreated", "ProductUpdated", "ProductDeleted"]})
        };
        assert_eq!(policy, expected, "{endpoint}");
        assert_eq!(attributes["RawMessageDelivery"], "false");
    }

    // The topic denies publishing without TLS, and SNS's default statement stays.
    let topic_policy = clients
        .sns
        .get_topic_attributes()
        .topic_arn(&first.topic_arn)
        .send()
        .await
        .unwrap()
        .attributes()
        .unwrap()["Policy"]
        .clone();
    let topic_policy: Value = serde_json::from_str(&topic_policy).unwrap();
    let statements = topic_policy["Statement"].as_array().unwrap();
    assert!(statements.len() >= 2, "{topic_policy}");
    let deny = statements.last().unwrap();
    assert_eq!(deny["Sid"], "product-events-deny-insecure-transport");
    assert_eq!(deny["Effect"], "Deny");
    assert_eq!(deny["Action"], "SNS:Publish");
    assert_eq!(deny["Condition"]["Bool"]["aws:SecureTransport"], "false");
    assert_eq!(deny["Resource"], first.topic_arn.as_str());

    // A second deploy changes nothing and creates nothing.
    let second = deploy(&clients).await.expect("second deploy");
    assert!(second.is_unchanged(), "{:#?}", summary(&second));
    assert_eq!(second.topic_arn, first.topic_arn);
    let queues = clients.sqs.list_queues().send().await.unwrap();
    assert_eq!(
        queues.queue_urls().len(),
        6,
        "4 of the contract, 2 delivery DLQs"
    );
    let topics = clients.sns.list_topics().send().await.unwrap();
    assert_eq!(topics.topics().len(), 1);

    // Drift is put back, and only what drifted is reported. (The policy is sent along:
    // moto resets a policy that SetQueueAttributes leaves out.)
    let url = queue_url(&clients, Queue::NotificationsQueue).await;
    let policy = attributes(&clients, Queue::NotificationsQueue).await["Policy"].clone();
    clients
        .sqs
        .set_queue_attributes()
        .queue_url(&url)
        .attributes(QueueAttributeName::VisibilityTimeout, "99")
        .attributes(QueueAttributeName::Policy, policy.clone())
        .send()
        .await
        .unwrap();
    let third = deploy(&clients).await.expect("third deploy");
    let changed: Vec<_> = third
        .resources
        .iter()
        .filter(|r| r.change != Change::Unchanged)
        .map(|r| (r.kind, r.name.as_str(), r.change.clone()))
        .collect();
    assert_eq!(
        changed,
        [(
            ResourceKind::Queue,
            "notifications-queue",
            Change::Updated(vec!["VisibilityTimeout".to_owned()])
        )]
    );
    let repaired = attributes(&clients, Queue::NotificationsQueue).await;
    assert_eq!(repaired["VisibilityTimeout"], "30");
    assert_eq!(
        serde_json::from_str::<Value>(&repaired["Policy"]).unwrap(),
        serde_json::from_str::<Value>(&policy).unwrap(),
        "the repair kept the queue policy"
    );
    assert!(deploy(&clients).await.unwrap().is_unchanged());

    // Statements others add to a queue policy stay; ours are put back where they were.
    let mut shared: Value = serde_json::from_str(&policy).unwrap();
    let theirs = json!({
        "Sid": "audit-reads", "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::123456789012:role/audit"},
        "Action": "sqs:ReceiveMessage", "Resource": repaired["QueueArn"]
    });
    let statements = shared["Statement"].as_array_mut().unwrap();
    statements.retain(|s| s["Effect"] != "Deny");
    statements.push(theirs.clone());
    clients
        .sqs
        .set_queue_attributes()
        .queue_url(&url)
        .attributes(QueueAttributeName::Policy, shared.to_string())
        .send()
        .await
        .unwrap();
    let fourth = deploy(&clients).await.unwrap();
    let changed: Vec<String> = summary(&fourth)
        .into_iter()
        .filter(|line| !line.ends_with("unchanged"))
        .collect();
    assert_eq!(changed, ["queue notifications-queue: updated (Policy)"]);
    let merged: Value =
        serde_json::from_str(&attributes(&clients, Queue::NotificationsQueue).await["Policy"])
            .unwrap();
    let sids: Vec<&str> = merged["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["Sid"].as_str().unwrap())
        .collect();
    assert_eq!(
        sids,
        [
            "product-events-delivers",
            "audit-reads",
            "product-events-deny-insecure-transport"
        ]
    );
    assert_eq!(merged["Statement"][1], theirs);
    assert!(deploy(&clients).await.unwrap().is_unchanged());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kms_keys_are_set_and_reconciled() {
    let Some(moto) = Moto::start() else { return };
    let clients = Clients::from_config(&support::sdk_config(&moto).await);
    let options = DeployOptions {
        queue_kms_key: Some("alias/events-queues".to_owned()),
        topic_kms_key: Some("alias/events-topic".to_owned()),
        prune: false,
    };
    deploy_with(&clients, &options).await.unwrap();
    for queue in Queue::ALL {
        let attributes = attributes(&clients, queue).await;
        assert_eq!(
            attributes["KmsMasterKeyId"], "alias/events-queues",
            "{queue}"
        );
        assert_eq!(attributes["SqsManagedSseEnabled"], "false", "{queue}");
    }
    let topic = Publisher::connect(clients.sns.clone()).await.unwrap();
    let topic_attributes = clients
        .sns
        .get_topic_attributes()
        .topic_arn(topic.topic_arn())
        .send()
        .await
        .unwrap();
    assert_eq!(
        topic_attributes.attributes().unwrap()["KmsMasterKeyId"],
        "alias/events-topic"
    );
    assert!(deploy_with(&clients, &options)
        .await
        .unwrap()
        .is_unchanged());
    // Back to SQS-managed keys and no topic key: both reconciled.
    let back = deploy(&clients).await.unwrap();
    let topic_change = &back.resources[0];
    assert_eq!(
        topic_change.change,
        Change::Updated(vec!["KmsMasterKeyId".to_owned()])
    );
    let attributes = attributes(&clients, Queue::NotificationsQueue).await;
    assert_eq!(attributes["SqsManagedSseEnabled"], "true");
    assert!(
        attributes
            .get("KmsMasterKeyId")
            .is_none_or(|k| k.is_empty()),
        "{attributes:?}"
    );
    assert!(deploy(&clients).await.unwrap().is_unchanged());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn orphan_subscriptions_are_reported_and_pruned_on_request() {
    let Some((_moto, clients)) = deployed().await else {
        return;
    };
    // A queue that was removed from routing.yaml: its subscription still delivers.
    let orphan = clients
        .sqs
        .create_queue()
        .queue_name("retired-queue")
        .send()
        .await
        .unwrap();
    let orphan_arn = clients
        .sqs
        .get_queue_attributes()
        .queue_url(orphan.queue_url().unwrap())
        .attribute_names(QueueAttributeName::QueueArn)
        .send()
        .await
        .unwrap()
        .attributes()
        .unwrap()[&QueueAttributeName::QueueArn]
        .clone();
    let topic = Publisher::connect(clients.sns.clone()).await.unwrap();
    clients
        .sns
        .subscribe()
        .topic_arn(topic.topic_arn())
        .protocol("sqs")
        .endpoint(&orphan_arn)
        .send()
        .await
        .unwrap();
    let reported = deploy(&clients).await.unwrap();
    assert!(reported.is_unchanged(), "{:?}", summary(&reported));
    assert!(
        reported.warnings.iter().any(|w| w
            .starts_with("orphan subscription: the topic delivers to ")
            && w.contains(&orphan_arn)
            && w.contains("--prune")),
        "{:?}",
        reported.warnings
    );
    let pruned = deploy_with(
        &clients,
        &DeployOptions {
            prune: true,
            ..DeployOptions::default()
        },
    )
    .await
    .unwrap();
    let removed: Vec<String> = summary(&pruned)
        .into_iter()
        .filter(|line| line.ends_with("removed"))
        .collect();
    assert_eq!(
        removed,
        ["subscription product-events -> retired-queue: removed"]
    );
    let left = clients
        .sns
        .list_subscriptions_by_topic()
        .topic_arn(topic.topic_arn())
        .send()
        .await
        .unwrap();
    assert_eq!(left.subscriptions().len(), 2);
    let again = deploy(&clients).await.unwrap();
    assert!(
        !again.warnings.iter().any(|w| w.contains("orphan")),
        "{:?}",
        again.warnings
    );
}

async fn attributes_arn(clients: &Clients, queue: Queue) -> String {
    attributes(clients, queue).await["QueueArn"].clone()
}

async fn max_receive_count(clients: &Clients, queue: Queue) -> u64 {
    let redrive: Value =
        serde_json::from_str(&attributes(clients, queue).await["RedrivePolicy"]).unwrap();
    match &redrive["maxReceiveCount"] {
        Value::Number(n) => n.as_u64().unwrap(),
        Value::String(s) => s.parse().unwrap(),
        other => panic!("maxReceiveCount {other}"),
    }
}

async fn notifications_max(clients: &Clients) -> u64 {
    max_receive_count(clients, Queue::NotificationsQueue).await
}

async fn analytics_max(clients: &Clients) -> u64 {
    max_receive_count(clients, Queue::AnalyticsQueue).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_event_type_reaches_exactly_the_queues_the_seed_names() {
    let Some((_moto, clients)) = deployed().await else {
        return;
    };
    let publisher = Publisher::connect(clients.sns.clone()).await.unwrap();
    let product = Uuid::new_v4();
    let events: Vec<ProductEvent> = [
        ("ProductCreated", "1.0.0"),
        ("ProductCreated", "1.1.0"),
        ("ProductUpdated", "1.0.0"),
        ("ProductDeleted", "1.0.0"),
        ("LowStockWarning", "1.0.0"),
        ("LowStockWarning", "1.0.0"),
        ("ProductUpdated", "1.0.0"),
        ("ProductDeleted", "1.0.0"),
        ("ProductCreated", "1.1.0"),
        ("ProductUpdated", "1.0.0"),
        ("LowStockWarning", "1.0.0"),
        ("ProductDeleted", "1.0.0"),
    ]
    .into_iter()
    .map(|(t, v)| event(t, v, product))
    .collect();
    // One event alone, the rest in batches (10, then 1).
    publisher.publish(&events[0]).await.unwrap();
    let report = publisher.publish_all(&events[1..]).await.unwrap();
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    assert_eq!(report.published.len(), 11);

    let ids_of = |types: &[&str]| -> BTreeSet<Uuid> {
        events
            .iter()
            .filter(|e| types.contains(&e.event_type().as_str()))
            .map(|e| *e.event_id())
            .collect()
    };
    // The seed: notifications get created, updated and low-stock; analytics get
    // created, updated and deleted.
    let notifications = event_ids(&drain(&clients, Queue::NotificationsQueue).await);
    let analytics = event_ids(&drain(&clients, Queue::AnalyticsQueue).await);
    assert_eq!(
        notifications,
        ids_of(&["ProductCreated", "ProductUpdated", "LowStockWarning"])
    );
    assert_eq!(
        analytics,
        ids_of(&["ProductCreated", "ProductUpdated", "ProductDeleted"])
    );
    assert_eq!((notifications.len(), analytics.len()), (9, 9));
    // The in-process routing table says the same as the real broker did.
    for event in &events {
        let expected: BTreeSet<Queue> = routing::route(event).into_iter().collect();
        let mut actual = BTreeSet::new();
        if notifications.contains(event.event_id()) {
            actual.insert(Queue::NotificationsQueue);
        }
        if analytics.contains(event.event_id()) {
            actual.insert(Queue::AnalyticsQueue);
        }
        assert_eq!(actual, expected, "{}", event.event_type().as_str());
    }
    assert!(drain(&clients, Queue::NotificationsDlq).await.is_empty());
    assert!(drain(&clients, Queue::AnalyticsDlq).await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invalid_event_is_refused_before_anything_is_sent() {
    let Some((_moto, clients)) = deployed().await else {
        return;
    };
    let publisher = Publisher::connect(clients.sns.clone()).await.unwrap();
    let good = event("ProductCreated", "1.1.0", Uuid::new_v4());
    let ProductEvent::ProductCreated(mut bad) = event("ProductCreated", "1.1.0", Uuid::new_v4())
    else {
        panic!("not a ProductCreated")
    };
    bad.version = "7.0.0".try_into().unwrap();
    let bad = ProductEvent::from(bad);

    let err = publisher.publish(&bad).await.unwrap_err();
    assert!(matches!(err, AwsError::InvalidEvent(_)), "{err:?}");
    assert!(err.to_string().contains("7.0.0"), "{err}");
    let err = publisher.publish_all(&[good, bad]).await.unwrap_err();
    assert!(matches!(err, AwsError::InvalidEvent(_)), "{err:?}");
    assert!(drain(&clients, Queue::NotificationsQueue).await.is_empty());
    assert!(drain(&clients, Queue::AnalyticsQueue).await.is_empty());
}

/// Runs a consumer of `queue` whose handler always fails until the message is in the
/// dead-letter queue; returns the receive counts the handler saw, the reports and the
/// times of the handler's calls.
async fn fail_until_dead_lettered(
    clients: &Clients,
    queue: Queue,
    policy: RetryPolicy,
) -> (Vec<u32>, Vec<MessageReport>, Vec<Instant>, Vec<String>) {
    let calls: Arc<Mutex<Vec<(u32, Instant)>>> = Arc::default();
    let reports: Arc<Mutex<Vec<MessageReport>>> = Arc::default();
    let seen = reports.clone();
    let consumer = Consumer::connect(clients.sqs.clone(), queue)
        .await
        .unwrap()
        .with_retry_policy(policy)
        .with_wait_time(Duration::from_secs(1))
        .with_jitter_seed(7)
        .on_report(move |report| seen.lock().unwrap().push(report.clone()));
    let dlq = queue.dead_letter_queue().unwrap();
    let dlq_url = queue_url(clients, dlq).await;
    let sqs = clients.sqs.clone();
    // Shut down once the dead-letter queue holds the message.
    let shutdown = async move {
        loop {
            tokio::time::sleep(Duration::from_millis(250)).await;
            let attrs = sqs
                .get_queue_attributes()
                .queue_url(&dlq_url)
                .attribute_names(QueueAttributeName::ApproximateNumberOfMessages)
                .send()
                .await
                .unwrap();
            let count = attrs
                .attributes()
                .and_then(|a| a.get(&QueueAttributeName::ApproximateNumberOfMessages))
                .cloned()
                .unwrap_or_default();
            if count != "0" {
                return;
            }
        }
    };
    let recorded = calls.clone();
    let stats = tokio::time::timeout(
        Duration::from_secs(120),
        consumer.run(
            move |_event, delivery| {
                recorded
                    .lock()
                    .unwrap()
                    .push((delivery.receive_count, Instant::now()));
                async { Err::<(), _>("the handler is down") }
            },
            shutdown,
        ),
    )
    .await
    .expect("the message reached the dead-letter queue within 120 s")
    .unwrap();
    assert_eq!(stats.handled, 0);
    let calls = calls.lock().unwrap().clone();
    assert_eq!(stats.retried + stats.dead_lettered, calls.len() as u64);
    assert_eq!(stats.dead_lettered, 1);
    let dead = drain(clients, dlq).await;
    let reports = reports.lock().unwrap().clone();
    (
        calls.iter().map(|(count, _)| *count).collect(),
        reports,
        calls.iter().map(|(_, at)| *at).collect(),
        dead,
    )
}

/// Publishes one event of `event_type` at version 1.0.0 about a new product.
async fn publish_one(clients: &Clients, event_type: &str) -> ProductEvent {
    let sent = event(event_type, "1.0.0", Uuid::new_v4());
    Publisher::connect(clients.sns.clone())
        .await
        .unwrap()
        .publish(&sent)
        .await
        .unwrap();
    sent
}

/// Every report but the last is a retry after the policy's delay; the last moved the
/// message to the dead-letter queue itself, with the handler's error.
fn check_retries(reports: &[MessageReport], times: &[Instant], policy: RetryPolicy) {
    let (last, retries) = reports.split_last().expect("reports");
    assert_eq!(
        last.disposition,
        Disposition::DeadLettered {
            reason: DeadLetterReason::RetriesExhausted,
            error: "the handler is down".to_owned()
        }
    );
    for (n, report) in retries.iter().enumerate() {
        let Disposition::Retried { delay, error } = &report.disposition else {
            panic!("report {n}: {report:?}")
        };
        assert_eq!(error, "the handler is down");
        assert!(report.acknowledge_error.is_none(), "{report:?}");
        // The policy's delay for this attempt, times a jitter factor in [0.5, 1], in
        // whole seconds (rounded down or up at random).
        let full = policy.capped_delay(n as u32);
        let low = Duration::from_secs((full / 2).as_secs());
        let high = Duration::from_secs(full.as_secs_f64().ceil() as u64);
        assert!(
            *delay >= low && *delay <= high && delay.subsec_nanos() == 0,
            "attempt {n}: delay {delay:?} outside [{low:?}, {high:?}]"
        );
        // The message stayed invisible at least that long.
        if let Some(next) = times.get(n + 1) {
            let waited = next.duration_since(times[n]);
            assert!(
                waited + Duration::from_millis(100) >= *delay,
                "attempt {n}: received again after {waited:?}, before the {delay:?} delay"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_handler_sends_the_message_to_notifications_dlq_after_3_attempts() {
    let Some((_moto, clients)) = deployed().await else {
        return;
    };
    let sent = publish_one(&clients, "LowStockWarning").await;
    let (counts, reports, times, dead) =
        fail_until_dead_lettered(&clients, Queue::NotificationsQueue, RETRY_POLICY).await;
    // maxRetries 2: three attempts, the third also the queue's maxReceiveCount.
    assert_eq!(counts, [1, 2, 3]);
    check_retries(&reports, &times, RETRY_POLICY);
    assert_eq!(event_ids(&dead), BTreeSet::from([*sent.event_id()]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_handler_on_analytics_stops_after_3_attempts_with_2_receives_to_spare() {
    let Some((_moto, clients)) = deployed().await else {
        return;
    };
    let sent = publish_one(&clients, "ProductDeleted").await;
    // The seed's policy would wait 1 + 2 s; the same shape at a quarter keeps the test
    // short while still testing growth.
    let policy = RetryPolicy {
        initial_delay: Duration::from_millis(250),
        ..RETRY_POLICY
    };
    let (counts, reports, times, dead) =
        fail_until_dead_lettered(&clients, Queue::AnalyticsQueue, policy).await;
    // analytics-queue allows 5 receives; the consumer dead-letters after maxRetries + 1.
    assert_eq!(counts, [1, 2, 3]);
    check_retries(&reports, &times, policy);
    assert_eq!(event_ids(&dead), BTreeSet::from([*sent.event_id()]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_policy_with_more_retries_than_receives_is_capped_by_max_receive_count() {
    let Some((_moto, clients)) = deployed().await else {
        return;
    };
    let sent = publish_one(&clients, "LowStockWarning").await;
    // A policy allowing 10 retries on a queue whose maxReceiveCount is 3: the consumer
    // still dead-letters on the third receive, since SQS would take it on the fourth.
    let policy = RetryPolicy {
        max_retries: 10,
        initial_delay: Duration::from_millis(250),
        ..RETRY_POLICY
    };
    let (counts, reports, _, dead) =
        fail_until_dead_lettered(&clients, Queue::NotificationsQueue, policy).await;
    assert_eq!(counts, [1, 2, 3]);
    assert!(matches!(
        reports.last().unwrap().disposition,
        Disposition::DeadLettered { .. }
    ));
    assert_eq!(event_ids(&dead), BTreeSet::from([*sent.event_id()]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn handled_messages_are_deleted_and_arrive_upcast() {
    let Some((_moto, clients)) = deployed().await else {
        return;
    };
    let sent = publish_one(&clients, "ProductCreated").await;
    let consumer = Consumer::connect(clients.sqs.clone(), Queue::AnalyticsQueue)
        .await
        .unwrap()
        .with_wait_time(Duration::from_secs(1));
    let got: Arc<Mutex<Vec<(ProductEvent, event_contracts_aws::Delivery)>>> = Arc::default();
    let record = got.clone();
    let mut stats = event_contracts_aws::ConsumerStats::default();
    for _ in 0..10 {
        let record = record.clone();
        let polled = consumer
            .poll_once(move |event, delivery| {
                record.lock().unwrap().push((event, delivery));
                async { Ok::<(), String>(()) }
            })
            .await
            .unwrap();
        stats.handled += polled.handled;
        if stats.handled > 0 {
            break;
        }
    }
    assert_eq!(stats.handled, 1);
    let got = got.lock().unwrap().clone();
    let (event, delivery) = &got[0];
    assert_eq!(event.event_id(), sent.event_id());
    assert_eq!(
        event.version().as_str(),
        "1.1.0",
        "upcast to the newest minor"
    );
    assert_eq!(delivery.sent_version, "1.0.0");
    assert_eq!(delivery.receive_count, 1);
    assert_eq!(delivery.form, routing::DeliveryForm::SnsEnvelope);
    assert_eq!(delivery.queue, Queue::AnalyticsQueue);
    let attrs = attributes(&clients, Queue::AnalyticsQueue).await;
    assert_eq!(attrs["ApproximateNumberOfMessages"], "0");
    assert_eq!(attrs["ApproximateNumberOfMessagesNotVisible"], "0");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn eight_writers_append_320_events_to_one_product_without_loss_or_duplication() {
    // moto's TransactWriteItems is not atomic under concurrent requests (it checks, writes,
    // and rolls back by restoring a deep copy of the table, without a lock: moto 5.1.22,
    // dynamodb/models/__init__.py). DynamoDB's transactions are serializable; a moto that
    // handles one request at a time models that, while the eight writers still race.
    let Some(moto) = Moto::start_serialized() else {
        return;
    };
    let clients = Clients::from_config(&support::sdk_config(&moto).await);
    let created = deploy_event_table(&clients.dynamodb, "product-events-store")
        .await
        .unwrap();
    assert_eq!(created.change, Change::Created);
    let again = deploy_event_table(&clients.dynamodb, "product-events-store")
        .await
        .unwrap();
    assert_eq!(again.change, Change::Unchanged);
    let store = DynamoDbStore::new(clients.dynamodb.clone(), "product-events-store");
    let product = Uuid::new_v4();
    const WRITERS: usize = 8;
    // 320 appends: moto copies the whole table for every transaction, so the run grows with
    // the square of the count (1,000 appends took about 400 s of CI's 2 cores; the race is
    // the same at 320).
    const PER_WRITER: usize = 40;
    const TOTAL: usize = WRITERS * PER_WRITER;
    let mut writers = Vec::new();
    for writer in 0..WRITERS {
        let store = store.clone();
        writers.push(tokio::spawn(async move {
            let mut mine = Vec::new();
            let mut lost = 0u64;
            for _ in 0..PER_WRITER {
                let event = event("ProductUpdated", "1.0.0", product);
                let outcome = store.append(&event).await.unwrap();
                let AppendOutcome::Appended {
                    sequence,
                    conflicts,
                } = outcome
                else {
                    panic!("writer {writer}: {outcome:?}")
                };
                lost += u64::from(conflicts);
                mine.push((*event.event_id(), sequence));
            }
            (mine, lost)
        }));
    }
    let mut appended: BTreeMap<Uuid, u64> = BTreeMap::new();
    let mut conflicts = 0;
    for writer in writers {
        let (mine, lost) = writer.await.unwrap();
        conflicts += lost;
        // Each writer's events are stored in the order it appended them.
        assert!(mine.windows(2).all(|w| w[0].1 < w[1].1), "{mine:?}");
        appended.extend(mine);
    }
    assert_eq!(appended.len(), TOTAL);
    // The writers really raced: many appends (one in ten) lost a sequence to another writer.
    assert!(
        conflicts >= (TOTAL / 10) as u64,
        "only {conflicts} conflicts"
    );
    eprintln!("{TOTAL} appends by {WRITERS} writers: {conflicts} sequences lost to another writer");

    let history = store.product_history(product).await.unwrap();
    let positions: Vec<u64> = history.iter().map(|s| s.position).collect();
    assert_eq!(
        positions,
        (1..=TOTAL as u64).collect::<Vec<u64>>(),
        "no gap, no repeat"
    );
    let stored: BTreeMap<Uuid, u64> = history
        .iter()
        .map(|s| (*s.event.event_id(), s.position))
        .collect();
    assert_eq!(
        stored, appended,
        "every append is stored once, where it said"
    );

    // Appending a stored event again stores nothing.
    let first = &history[0].event;
    assert_eq!(
        store.append(first).await.unwrap(),
        AppendOutcome::AlreadyStored { sequence: 1 }
    );
    assert_eq!(store.last_sequence(product).await.unwrap(), TOTAL as u64);
}

#[test]
fn the_blocking_store_replays_a_product_through_the_event_store_trait() {
    use event_contracts::replay::ProductCatalog;
    use event_contracts::store::{EventStore, ProductStreams, StoreError};

    let Some(moto) = Moto::start() else { return };
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let clients = runtime.block_on(async {
        let clients = Clients::from_config(&support::sdk_config(&moto).await);
        deploy_event_table(&clients.dynamodb, "events")
            .await
            .unwrap();
        clients
    });
    drop(clients);
    drop(runtime);
    // The blocking store reads credentials through the normal chain.
    for (name, value) in moto.child_env() {
        // SAFETY: set before any other thread of this test reads the environment; the
        // values are the same for every test in this binary.
        unsafe { std::env::set_var(name, value) };
    }
    let connection = Connection::endpoint(&moto.endpoint).with_region("us-east-1");
    let store = BlockingDynamoDbStore::connect(&connection, "events").unwrap();
    let product = Uuid::new_v4();
    let other = Uuid::new_v4();
    let events = [
        event("ProductCreated", "1.0.0", product),
        event("ProductCreated", "1.1.0", other),
        event("ProductUpdated", "1.0.0", product),
        event("LowStockWarning", "1.0.0", product),
        event("ProductDeleted", "1.0.0", other),
    ];
    for event in &events {
        store.append(event).unwrap();
    }
    let mine: Vec<u64> = store
        .stream_product(product)
        .unwrap()
        .map(|s| s.unwrap().position)
        .collect();
    assert_eq!(mine, [1, 2, 3]);
    let all: Vec<Uuid> = store
        .stream()
        .unwrap()
        .map(|s| *s.unwrap().event.event_id())
        .collect();
    assert_eq!(all.len(), 5);
    assert_eq!(
        all.iter().collect::<BTreeSet<_>>(),
        events.iter().map(|e| e.event_id()).collect::<BTreeSet<_>>()
    );
    let mut catalog = ProductCatalog::default();
    for stored in store.stream().unwrap() {
        catalog.apply(&stored.unwrap().event).unwrap();
    }
    assert!(catalog.product(&product).is_some());
    assert!(catalog.product(&product).unwrap().deleted.is_none());
    assert!(catalog.product(&other).unwrap().deleted.is_some());
    assert!(
        catalog.rejections().is_empty(),
        "{:?}",
        catalog.rejections()
    );

    // Invalid events keep the trait's error; blocking inside a runtime is refused.
    let ProductEvent::ProductCreated(mut bad) = events[0].clone() else {
        unreachable!()
    };
    bad.version = "7.0.0".try_into().unwrap();
    let err = store.append(&ProductEvent::from(bad)).unwrap_err();
    assert!(matches!(err, StoreError::Encode(_)), "{err:?}");
    let inside = tokio::runtime::Runtime::new().unwrap();
    let err = inside.block_on(async { store.append(&events[0]).unwrap_err() });
    assert!(err.to_string().contains("inside an async runtime"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_event_table_has_deletion_protection_and_point_in_time_recovery() {
    use aws_sdk_dynamodb::types::{BillingMode, KeySchemaElement, KeyType};
    let Some(moto) = Moto::start() else { return };
    let clients = Clients::from_config(&support::sdk_config(&moto).await);
    let created = deploy_event_table(&clients.dynamodb, "events")
        .await
        .unwrap();
    assert_eq!(created.change, Change::Created);
    let check = |table: &'static str| {
        let dynamodb = clients.dynamodb.clone();
        async move {
            let described = dynamodb
                .describe_table()
                .table_name(table)
                .send()
                .await
                .unwrap();
            assert_eq!(
                described.table().unwrap().deletion_protection_enabled(),
                Some(true)
            );
            let backups = dynamodb
                .describe_continuous_backups()
                .table_name(table)
                .send()
                .await
                .unwrap();
            let status = backups
                .continuous_backups_description()
                .and_then(|d| d.point_in_time_recovery_description())
                .and_then(|p| p.point_in_time_recovery_status())
                .map(|s| s.as_str().to_owned());
            assert_eq!(status.as_deref(), Some("ENABLED"), "{table}");
        }
    };
    check("events").await;
    let err = clients
        .dynamodb
        .delete_table()
        .table_name("events")
        .send()
        .await
        .unwrap_err();
    assert!(
        format!("{}", aws_sdk_dynamodb::error::DisplayErrorContext(&err))
            .contains("DeletionProtectionEnabled"),
        "{err:?}"
    );
    // A table made elsewhere without either is brought up to the contract.
    clients
        .dynamodb
        .create_table()
        .table_name("older")
        .billing_mode(BillingMode::PayPerRequest)
        .key_schema(
            KeySchemaElement::builder()
                .attribute_name("productId")
                .key_type(KeyType::Hash)
                .build()
                .unwrap(),
        )
        .key_schema(
            KeySchemaElement::builder()
                .attribute_name("sequence")
                .key_type(KeyType::Range)
                .build()
                .unwrap(),
        )
        .attribute_definitions(
            aws_sdk_dynamodb::types::AttributeDefinition::builder()
                .attribute_name("productId")
                .attribute_type(aws_sdk_dynamodb::types::ScalarAttributeType::S)
                .build()
                .unwrap(),
        )
        .attribute_definitions(
            aws_sdk_dynamodb::types::AttributeDefinition::builder()
                .attribute_name("sequence")
                .attribute_type(aws_sdk_dynamodb::types::ScalarAttributeType::N)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let updated = deploy_event_table(&clients.dynamodb, "older")
        .await
        .unwrap();
    assert_eq!(
        updated.change,
        Change::Updated(vec![
            "DeletionProtectionEnabled".to_owned(),
            "PointInTimeRecovery".to_owned()
        ])
    );
    check("older").await;
    assert_eq!(
        deploy_event_table(&clients.dynamodb, "older")
            .await
            .unwrap()
            .change,
        Change::Unchanged
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_table_with_another_key_schema_is_refused() {
    use aws_sdk_dynamodb::types::{
        AttributeDefinition, BillingMode, KeySchemaElement, KeyType, ScalarAttributeType,
    };
    let Some(moto) = Moto::start() else { return };
    let clients = Clients::from_config(&support::sdk_config(&moto).await);
    clients
        .dynamodb
        .create_table()
        .table_name("taken")
        .billing_mode(BillingMode::PayPerRequest)
        .key_schema(
            KeySchemaElement::builder()
                .attribute_name("id")
                .key_type(KeyType::Hash)
                .build()
                .unwrap(),
        )
        .attribute_definitions(
            AttributeDefinition::builder()
                .attribute_name("id")
                .attribute_type(ScalarAttributeType::S)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let err = deploy_event_table(&clients.dynamodb, "taken")
        .await
        .unwrap_err();
    assert!(matches!(err, AwsError::Conflict { .. }), "{err:?}");
    assert!(err.to_string().contains("productId"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn publishing_before_deploy_says_to_deploy() {
    let Some(moto) = Moto::start() else { return };
    let clients = Clients::from_config(&support::sdk_config(&moto).await);
    let err = Publisher::connect(clients.sns.clone()).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "the SNS topic \"product-events\" does not exist; run `contracts aws deploy` first"
    );
    let err = Consumer::connect(clients.sqs.clone(), Queue::NotificationsQueue)
        .await
        .unwrap_err();
    assert!(matches!(err, AwsError::QueueMissing { .. }), "{err:?}");
}
