//! `deploy`: make AWS match the routing contract, idempotently.
//!
//! Every resource is read first and compared with the contract; only what differs is
//! created or set, and the report says which. Nothing that the contract does not name is
//! deleted unless asked: an SQS subscription of the topic to a queue the contract does
//! not name (an orphan) is listed in [`DeployReport::warnings`] and removed only with
//! [`DeployOptions::prune`]; subscriptions of other protocols are left alone. Queue
//! policies are merged: statements others added stay.

use std::collections::HashMap;
use std::fmt;

use aws_sdk_sqs::types::QueueAttributeName;
use event_contracts::routing::{self, Queue, SUBSCRIPTIONS, TOPIC_DISPLAY_NAME, TOPIC_NAME};
use serde_json::{json, Value};

use crate::config::Clients;
use crate::error::{sdk_error, AwsError};

/// What kind of resource a [`ResourceChange`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResourceKind {
    /// The SNS topic.
    Topic,
    /// A subscribed SQS queue, with its redrive and queue policy.
    Queue,
    /// A dead-letter queue.
    DeadLetterQueue,
    /// The subscription of a queue to the topic.
    Subscription,
    /// The DynamoDB table of the event store.
    EventTable,
    /// The dead-letter queue of a subscription: where SNS puts what it cannot deliver.
    DeliveryDeadLetterQueue,
    /// The DynamoDB table that de-duplicates event ids for consumers.
    DedupTable,
}

impl ResourceKind {
    /// The kind as a word, for reports.
    pub fn as_str(self) -> &'static str {
        match self {
            ResourceKind::Topic => "topic",
            ResourceKind::Queue => "queue",
            ResourceKind::DeadLetterQueue => "dead-letter queue",
            ResourceKind::Subscription => "subscription",
            ResourceKind::EventTable => "event table",
            ResourceKind::DeliveryDeadLetterQueue => "delivery DLQ",
            ResourceKind::DedupTable => "dedup table",
        }
    }
}

/// What deploy did to one resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// It did not exist and was created.
    Created,
    /// It existed; these attributes differed and were set.
    Updated(Vec<String>),
    /// It already matched the contract.
    Unchanged,
    /// The contract does not name it and `prune` removed it.
    Removed,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Change::Created => f.write_str("created"),
            Change::Updated(attributes) => write!(f, "updated ({})", attributes.join(", ")),
            Change::Unchanged => f.write_str("unchanged"),
            Change::Removed => f.write_str("removed"),
        }
    }
}

/// One resource of the topology and what deploy did to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceChange {
    /// What it is.
    pub kind: ResourceKind,
    /// Its name: the topic or queue name, `topic -> queue` for a subscription.
    pub name: String,
    /// Its ARN.
    pub arn: String,
    /// What deploy did.
    pub change: Change,
}

/// What [`deploy`] did, resource by resource, in the order it went.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DeployReport {
    /// The topic's ARN.
    pub topic_arn: String,
    /// The queues' URLs by name.
    pub queue_urls: Vec<(String, String)>,
    /// Every resource of the contract.
    pub resources: Vec<ResourceChange>,
    /// Things found that the contract does not name, left as they are.
    pub warnings: Vec<String>,
}

impl DeployReport {
    /// Whether nothing was created or changed: what a second deploy reports.
    pub fn is_unchanged(&self) -> bool {
        self.resources.iter().all(|r| r.change == Change::Unchanged)
    }

    /// The URL of a queue of the contract.
    pub fn queue_url(&self, queue: Queue) -> Option<&str> {
        self.queue_urls
            .iter()
            .find(|(name, _)| name == queue.name())
            .map(|(_, url)| url.as_str())
    }
}

/// How [`deploy_with`] encrypts, and whether it removes subscriptions the contract does
/// not name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeployOptions {
    /// A KMS key (id, ARN or alias) to encrypt every queue with; `None`: SQS-managed
    /// encryption (SSE-SQS).
    pub queue_kms_key: Option<String>,
    /// A KMS key to encrypt the topic with; `None`: no KMS key on the topic.
    pub topic_kms_key: Option<String>,
    /// Unsubscribe the topic's SQS subscriptions that the contract does not name (a
    /// queue removed from routing.yaml); without it they are only reported.
    pub prune: bool,
}

/// The suffix of a subscription's dead-letter queue: `<queue>-sns-dlq`.
pub const DELIVERY_DLQ_SUFFIX: &str = "-sns-dlq";

/// The name of the dead-letter queue SNS uses for deliveries to `queue` that fail.
pub fn delivery_dead_letter_queue(queue: Queue) -> String {
    format!("{}{DELIVERY_DLQ_SUFFIX}", queue.name())
}

/// How long the subscriptions' dead-letter queues keep messages: SQS's maximum, 14 days.
const DELIVERY_DLQ_RETENTION_SECONDS: u64 = 1_209_600;

/// [`deploy_with`] with the default options: SQS-managed encryption, no KMS key on the
/// topic, orphan subscriptions reported but kept.
pub async fn deploy(clients: &Clients) -> Result<DeployReport, AwsError> {
    deploy_with(clients, &DeployOptions::default()).await
}

/// Creates or updates the topology of `schemas/routing.yaml`:
///
/// - the topic (with `options.topic_kms_key`);
/// - the dead-letter queues, with a `RedriveAllowPolicy` that admits only their source
///   queues;
/// - the queues: visibility timeout, retention, redrive policy with `maxReceiveCount`;
/// - on every queue, encryption at rest (SQS-managed, or `options.queue_kms_key`) and a
///   policy that denies requests without TLS (`aws:SecureTransport`) and lets the topic
///   send to the subscribed queues, merged with the statements others added;
/// - per subscription a dead-letter queue (`<queue>-sns-dlq`) for deliveries SNS cannot
///   make, and the subscription itself (filter policy, raw delivery, `RedrivePolicy`);
/// - SQS subscriptions of the topic that the contract does not name: reported, and
///   removed with `options.prune`.
///
/// Idempotent: a second run reports every resource [`Change::Unchanged`].
pub async fn deploy_with(
    clients: &Clients,
    options: &DeployOptions,
) -> Result<DeployReport, AwsError> {
    let mut report = DeployReport::default();
    let (topic_arn, topic_change) =
        ensure_topic(&clients.sns, options.topic_kms_key.as_deref()).await?;
    report.resources.push(ResourceChange {
        kind: ResourceKind::Topic,
        name: TOPIC_NAME.to_owned(),
        arn: topic_arn.clone(),
        change: topic_change,
    });

    // Dead-letter queues first: the redrive policies of their sources name their ARNs.
    let mut arns: HashMap<Queue, String> = HashMap::new();
    let mut ordered: Vec<Queue> = Queue::ALL.to_vec();
    ordered.sort_by_key(|queue| !queue.is_dead_letter_queue());
    for queue in ordered {
        let spec = QueueSpec::of(queue, &topic_arn, &arns, options)?;
        let ensured = ensure_queue(&clients.sqs, queue.name(), &spec, &mut report.warnings).await?;
        report.resources.push(ResourceChange {
            kind: if queue.is_dead_letter_queue() {
                ResourceKind::DeadLetterQueue
            } else {
                ResourceKind::Queue
            },
            name: queue.name().to_owned(),
            arn: ensured.arn.clone(),
            change: ensured.change,
        });
        report
            .queue_urls
            .push((queue.name().to_owned(), ensured.url.clone()));
        arns.insert(queue, ensured.arn);
    }
    // The report lists queues in the contract's order, whatever order they were made in.
    report.queue_urls.sort_by_key(|(name, _)| {
        Queue::from_name(name).map_or(usize::MAX, |q| {
            Queue::ALL
                .iter()
                .position(|x| *x == q)
                .unwrap_or(usize::MAX)
        })
    });

    let existing = list_subscriptions(&clients.sns, &topic_arn).await?;
    for subscription in SUBSCRIPTIONS.iter() {
        let queue_arn =
            arns.get(&subscription.queue)
                .cloned()
                .ok_or_else(|| AwsError::QueueMissing {
                    name: subscription.queue.name().to_owned(),
                })?;
        let delivery_dlq = delivery_dead_letter_queue(subscription.queue);
        let spec = QueueSpec::delivery_dead_letter(&topic_arn, options);
        let ensured =
            ensure_queue(&clients.sqs, &delivery_dlq, &spec, &mut report.warnings).await?;
        report.resources.push(ResourceChange {
            kind: ResourceKind::DeliveryDeadLetterQueue,
            name: delivery_dlq.clone(),
            arn: ensured.arn.clone(),
            change: ensured.change,
        });
        report.queue_urls.push((delivery_dlq, ensured.url));
        let (arn, change) = ensure_subscription(
            &clients.sns,
            &topic_arn,
            &queue_arn,
            &ensured.arn,
            subscription,
            &existing,
        )
        .await?;
        report.resources.push(ResourceChange {
            kind: ResourceKind::Subscription,
            name: format!("{TOPIC_NAME} -> {}", subscription.queue.name()),
            arn,
            change,
        });
    }
    let managed: Vec<&String> = SUBSCRIPTIONS
        .iter()
        .filter_map(|s| arns.get(&s.queue))
        .collect();
    for other in &existing {
        if other.protocol == "sqs" && managed.contains(&&other.endpoint) {
            continue;
        }
        if other.protocol != "sqs" {
            report.warnings.push(format!(
                "the topic has a {} subscription that schemas/routing.yaml does not name ({}); \
                 it was left as it is",
                other.protocol, other.endpoint
            ));
            continue;
        }
        if !options.prune {
            report.warnings.push(format!(
                "orphan subscription: the topic delivers to {}, which schemas/routing.yaml does \
                 not name (a queue removed from the contract?); `--prune` removes it",
                other.endpoint
            ));
            continue;
        }
        clients
            .sns
            .unsubscribe()
            .subscription_arn(&other.arn)
            .send()
            .await
            .map_err(|e| sdk_error("sns:Unsubscribe", &other.arn, e))?;
        report.resources.push(ResourceChange {
            kind: ResourceKind::Subscription,
            name: format!("{TOPIC_NAME} -> {}", queue_name_of(&other.endpoint)),
            arn: other.arn.clone(),
            change: Change::Removed,
        });
    }
    report.topic_arn = topic_arn;
    Ok(report)
}

/// The queue name at the end of an SQS ARN.
fn queue_name_of(arn: &str) -> &str {
    arn.rsplit(':').next().unwrap_or(arn)
}

/// Finds the ARN of the contract's topic, without creating it.
pub(crate) async fn find_topic_arn(sns: &aws_sdk_sns::Client) -> Result<Option<String>, AwsError> {
    let suffix = format!(":{TOPIC_NAME}");
    let mut next: Option<String> = None;
    loop {
        let page = sns
            .list_topics()
            .set_next_token(next.take())
            .send()
            .await
            .map_err(|e| sdk_error("sns:ListTopics", TOPIC_NAME, e))?;
        for topic in page.topics() {
            if let Some(arn) = topic.topic_arn() {
                if arn.ends_with(&suffix) {
                    return Ok(Some(arn.to_owned()));
                }
            }
        }
        match page.next_token() {
            Some(token) if !token.is_empty() => next = Some(token.to_owned()),
            _ => return Ok(None),
        }
    }
}

async fn ensure_topic(
    sns: &aws_sdk_sns::Client,
    kms_key: Option<&str>,
) -> Result<(String, Change), AwsError> {
    let wanted = [
        ("DisplayName", TOPIC_DISPLAY_NAME.unwrap_or("")),
        ("KmsMasterKeyId", kms_key.unwrap_or("")),
    ];
    if let Some(arn) = find_topic_arn(sns).await? {
        let attributes = sns
            .get_topic_attributes()
            .topic_arn(&arn)
            .send()
            .await
            .map_err(|e| sdk_error("sns:GetTopicAttributes", &arn, e))?;
        let current = attributes.attributes();
        let mut changed = Vec::new();
        for (name, value) in wanted {
            let now = current
                .and_then(|a| a.get(name))
                .map(String::as_str)
                .unwrap_or("");
            if now == value {
                continue;
            }
            // SNS sets one attribute per call; the empty string removes a KMS key.
            sns.set_topic_attributes()
                .topic_arn(&arn)
                .attribute_name(name)
                .attribute_value(value)
                .send()
                .await
                .map_err(|e| sdk_error("sns:SetTopicAttributes", &arn, e))?;
            changed.push(name.to_owned());
        }
        if ensure_topic_policy(
            sns,
            &arn,
            current.and_then(|a| a.get("Policy")).map(String::as_str),
        )
        .await?
        {
            changed.push("Policy".to_owned());
        }
        let change = if changed.is_empty() {
            Change::Unchanged
        } else {
            Change::Updated(changed)
        };
        return Ok((arn, change));
    }
    let mut request = sns.create_topic().name(TOPIC_NAME);
    for (name, value) in wanted {
        if !value.is_empty() {
            request = request.attributes(name, value);
        }
    }
    let created = request
        .send()
        .await
        .map_err(|e| sdk_error("sns:CreateTopic", TOPIC_NAME, e))?;
    let arn = created
        .topic_arn()
        .ok_or(AwsError::MissingInResponse {
            operation: "sns:CreateTopic",
            resource: TOPIC_NAME.to_owned(),
            missing: "TopicArn",
        })?
        .to_owned();
    let attributes = sns
        .get_topic_attributes()
        .topic_arn(&arn)
        .send()
        .await
        .map_err(|e| sdk_error("sns:GetTopicAttributes", &arn, e))?;
    let policy = attributes
        .attributes()
        .and_then(|a| a.get("Policy"))
        .map(String::as_str);
    ensure_topic_policy(sns, &arn, policy).await?;
    Ok((arn, Change::Created))
}

/// Sets the topic's policy if it lacks deploy's statements; whether it did.
async fn ensure_topic_policy(
    sns: &aws_sdk_sns::Client,
    arn: &str,
    current: Option<&str>,
) -> Result<bool, AwsError> {
    let merged = merge_topic_policy(current, arn);
    let same = current
        .and_then(|text| serde_json::from_str::<Value>(text).ok())
        .is_some_and(|value| normalise(&value) == normalise(&merged));
    if same {
        return Ok(false);
    }
    sns.set_topic_attributes()
        .topic_arn(arn)
        .attribute_name("Policy")
        .attribute_value(merged.to_string())
        .send()
        .await
        .map_err(|e| sdk_error("sns:SetTopicAttributes", arn, e))?;
    Ok(true)
}

/// The `Sid` of the statement that lets the topic send to a queue.
pub fn delivery_statement_id() -> String {
    format!("{TOPIC_NAME}-delivers")
}

/// The `Sid` of the statement that denies requests without TLS.
pub fn secure_transport_statement_id() -> String {
    format!("{TOPIC_NAME}-deny-insecure-transport")
}

/// The statements deploy owns in a queue's policy: the topic (and only it) may send, if
/// `deliver_from` names it; nobody may use the queue without TLS.
pub fn queue_policy_statements(queue_arn: &str, deliver_from: Option<&str>) -> Vec<Value> {
    let mut statements = Vec::new();
    if let Some(topic_arn) = deliver_from {
        statements.push(json!({
            "Sid": delivery_statement_id(),
            "Effect": "Allow",
            "Principal": { "Service": "sns.amazonaws.com" },
            "Action": "sqs:SendMessage",
            "Resource": queue_arn,
            "Condition": { "ArnEquals": { "aws:SourceArn": topic_arn } }
        }));
    }
    statements.push(json!({
        "Sid": secure_transport_statement_id(),
        "Effect": "Deny",
        "Principal": "*",
        "Action": "sqs:*",
        "Resource": queue_arn,
        "Condition": { "Bool": { "aws:SecureTransport": "false" } }
    }));
    statements
}

/// The SQS policy of a new queue that the topic delivers to.
pub fn queue_policy(queue_arn: &str, topic_arn: &str) -> Value {
    merge_policy(None, queue_arn, Some(topic_arn))
}

/// `current` (a queue's policy text, if any) with deploy's statements put in: a
/// statement of another `Sid` (or none) is kept as it is and where it is, ours replace
/// their earlier versions, and the ones missing are added at the end.
pub fn merge_policy(current: Option<&str>, queue_arn: &str, deliver_from: Option<&str>) -> Value {
    let ours = queue_policy_statements(queue_arn, deliver_from);
    let our_ids = [delivery_statement_id(), secure_transport_statement_id()];
    merge_statements(current, &ours, &our_ids)
}

/// The topic's policy with its statement that denies publishing without TLS, merged
/// into `current` (SNS's default policy, or what others made of it).
pub fn merge_topic_policy(current: Option<&str>, topic_arn: &str) -> Value {
    let deny = json!({
        "Sid": secure_transport_statement_id(),
        "Effect": "Deny",
        "Principal": "*",
        "Action": "SNS:Publish",
        "Resource": topic_arn,
        "Condition": { "Bool": { "aws:SecureTransport": "false" } }
    });
    merge_statements(current, &[deny], &[secure_transport_statement_id()])
}

/// `current` with `ours` put in by `Sid`: others' statements kept in place, ours
/// replaced where they were, those missing appended, and statements with one of
/// `our_ids` that `ours` no longer has dropped.
fn merge_statements(current: Option<&str>, ours: &[Value], our_ids: &[String]) -> Value {
    let parsed = current
        .filter(|text| !text.trim().is_empty())
        .and_then(|text| serde_json::from_str::<Value>(text).ok())
        .filter(Value::is_object);
    let mut policy = parsed.unwrap_or_else(|| json!({ "Version": "2012-10-17" }));
    let existing: Vec<Value> = match policy.get("Statement") {
        Some(Value::Array(items)) => items.clone(),
        Some(single @ Value::Object(_)) => vec![single.clone()],
        _ => Vec::new(),
    };
    let mut statements = Vec::new();
    let mut placed: Vec<String> = Vec::new();
    for statement in existing {
        let sid = statement.get("Sid").and_then(Value::as_str).unwrap_or("");
        if our_ids.iter().any(|id| id == sid) {
            if let Some(fresh) = ours.iter().find(|s| s["Sid"] == sid) {
                if !placed.iter().any(|p| p == sid) {
                    statements.push(fresh.clone());
                    placed.push(sid.to_owned());
                }
            }
        } else {
            statements.push(statement);
        }
    }
    for statement in ours {
        let sid = statement["Sid"].as_str().unwrap_or("");
        if !placed.iter().any(|p| p == sid) {
            statements.push(statement.clone());
        }
    }
    if let Some(map) = policy.as_object_mut() {
        map.insert("Statement".to_owned(), Value::Array(statements));
        map.entry("Version")
            .or_insert_with(|| Value::from("2012-10-17"));
    }
    policy
}

/// One desired queue attribute: how to compare it with what SQS reports.
#[derive(Debug, Clone)]
enum Desired {
    /// A number, compared as a number.
    Number(u64),
    /// A JSON document, compared as parsed JSON with numbers in strings normalised.
    Json(Value),
    /// Text, compared ignoring ASCII case (`true`, `false`, key ids).
    Text(String),
    /// Missing or empty; removed by setting the empty string.
    Absent,
    /// The queue policy, merged with the current one; it mentions the queue's own ARN.
    Policy { deliver_from: Option<String> },
    /// `RedriveAllowPolicy` admitting these source queues (by name; the ARNs are the
    /// queue's own with the name replaced); none: `denyAll`.
    RedriveAllow { sources: Vec<String> },
}

/// What one queue should look like.
struct QueueSpec {
    attributes: Vec<(QueueAttributeName, Desired)>,
}

impl QueueSpec {
    /// A queue or dead-letter queue of the contract.
    fn of(
        queue: Queue,
        topic_arn: &str,
        arns: &HashMap<Queue, String>,
        options: &DeployOptions,
    ) -> Result<QueueSpec, AwsError> {
        let mut attributes = vec![
            (
                QueueAttributeName::VisibilityTimeout,
                Desired::Number(queue.visibility_timeout().as_secs()),
            ),
            (
                QueueAttributeName::MessageRetentionPeriod,
                Desired::Number(queue.message_retention().as_secs()),
            ),
        ];
        attributes.extend(encryption(options));
        if let (Some(dlq), Some(max_receive_count)) =
            (queue.dead_letter_queue(), queue.max_receive_count())
        {
            let dlq_arn = arns.get(&dlq).ok_or_else(|| AwsError::QueueMissing {
                name: dlq.name().to_owned(),
            })?;
            attributes.push((
                QueueAttributeName::RedrivePolicy,
                Desired::Json(json!({
                    "deadLetterTargetArn": dlq_arn,
                    "maxReceiveCount": max_receive_count,
                })),
            ));
        }
        if queue.is_dead_letter_queue() {
            let sources = Queue::ALL
                .iter()
                .filter(|source| source.dead_letter_queue() == Some(queue))
                .map(|source| source.name().to_owned())
                .collect();
            attributes.push((
                QueueAttributeName::RedriveAllowPolicy,
                Desired::RedriveAllow { sources },
            ));
        }
        let subscribed = SUBSCRIPTIONS.iter().any(|s| s.queue == queue);
        attributes.push((
            QueueAttributeName::Policy,
            Desired::Policy {
                deliver_from: subscribed.then(|| topic_arn.to_owned()),
            },
        ));
        Ok(QueueSpec { attributes })
    }

    /// A subscription's dead-letter queue: SNS may send to it, no SQS queue may use it
    /// as its own dead-letter queue.
    fn delivery_dead_letter(topic_arn: &str, options: &DeployOptions) -> QueueSpec {
        let mut attributes = vec![(
            QueueAttributeName::MessageRetentionPeriod,
            Desired::Number(DELIVERY_DLQ_RETENTION_SECONDS),
        )];
        attributes.extend(encryption(options));
        attributes.push((
            QueueAttributeName::RedriveAllowPolicy,
            Desired::RedriveAllow {
                sources: Vec::new(),
            },
        ));
        attributes.push((
            QueueAttributeName::Policy,
            Desired::Policy {
                deliver_from: Some(topic_arn.to_owned()),
            },
        ));
        QueueSpec { attributes }
    }
}

/// Encryption at rest: SQS-managed keys, or the KMS key given.
fn encryption(options: &DeployOptions) -> Vec<(QueueAttributeName, Desired)> {
    match &options.queue_kms_key {
        Some(key) => vec![
            (
                QueueAttributeName::KmsMasterKeyId,
                Desired::Text(key.clone()),
            ),
            (
                QueueAttributeName::SqsManagedSseEnabled,
                Desired::Text("false".to_owned()),
            ),
        ],
        None => vec![
            (QueueAttributeName::KmsMasterKeyId, Desired::Absent),
            (
                QueueAttributeName::SqsManagedSseEnabled,
                Desired::Text("true".to_owned()),
            ),
        ],
    }
}

/// A queue as deploy left it.
struct EnsuredQueue {
    url: String,
    arn: String,
    change: Change,
}

async fn ensure_queue(
    sqs: &aws_sdk_sqs::Client,
    name: &str,
    spec: &QueueSpec,
    warnings: &mut Vec<String>,
) -> Result<EnsuredQueue, AwsError> {
    let found = match sqs.get_queue_url().queue_name(name).send().await {
        Ok(found) => found.queue_url().map(str::to_owned),
        Err(error)
            if error
                .as_service_error()
                .is_some_and(|e| e.is_queue_does_not_exist()) =>
        {
            None
        }
        Err(error) => return Err(sdk_error("sqs:GetQueueUrl", name, error)),
    };
    let (url, created) = match found {
        Some(url) => (url, false),
        None => {
            // Everything that does not need the queue's ARN goes in at creation.
            let mut request = sqs.create_queue().queue_name(name);
            for (attribute, value) in &spec.attributes {
                if let Some(text) = render(value, "", None) {
                    request = request.attributes(attribute.clone(), text);
                }
            }
            let created = request
                .send()
                .await
                .map_err(|e| sdk_error("sqs:CreateQueue", name, e))?;
            let url = created
                .queue_url()
                .ok_or(AwsError::MissingInResponse {
                    operation: "sqs:CreateQueue",
                    resource: name.to_owned(),
                    missing: "QueueUrl",
                })?
                .to_owned();
            (url, true)
        }
    };
    let attributes = queue_attributes(sqs, name, &url).await?;
    let arn = attributes
        .get(&QueueAttributeName::QueueArn)
        .cloned()
        .ok_or(AwsError::MissingInResponse {
            operation: "sqs:GetQueueAttributes",
            resource: name.to_owned(),
            missing: "QueueArn",
        })?;
    let wanted_of = |attributes: &HashMap<QueueAttributeName, String>| {
        spec.attributes
            .iter()
            .map(|(attribute, value)| {
                let current = attributes.get(attribute).map(String::as_str);
                let text = render(value, &arn, current).unwrap_or_default();
                let matching = matches(value, current, &text);
                (attribute.clone(), value, text, matching)
            })
            .collect::<Vec<_>>()
    };
    let mut changed = Vec::new();
    let mut update: HashMap<QueueAttributeName, String> = HashMap::new();
    for (attribute, _, text, matching) in wanted_of(&attributes) {
        if !matching {
            changed.push(attribute.clone());
            update.insert(attribute, text);
        } else if attribute == QueueAttributeName::Policy {
            // Sent along with any change: some SQS implementations (moto 5.1) reset a
            // policy that a SetQueueAttributes call leaves out.
            update.insert(attribute, text);
        }
    }
    if !changed.is_empty() {
        // One call, so the queue never sits half-updated.
        sqs.set_queue_attributes()
            .queue_url(&url)
            .set_attributes(Some(update))
            .send()
            .await
            .map_err(|e| sdk_error("sqs:SetQueueAttributes", name, e))?;
        // An attribute the endpoint did not keep (an emulator that ignores it) is
        // reported, not counted as a change that a second deploy would repeat.
        let after = queue_attributes(sqs, name, &url).await?;
        for (attribute, _, _, matching) in wanted_of(&after) {
            if !matching && changed.contains(&attribute) {
                changed.retain(|a| *a != attribute);
                warnings.push(format!(
                    "{name}: the endpoint did not keep {} (it is set again on every deploy)",
                    attribute.as_str()
                ));
            }
        }
    }
    let change = match (created, changed.is_empty()) {
        (true, _) => Change::Created,
        (false, true) => Change::Unchanged,
        (false, false) => Change::Updated(changed.iter().map(|a| a.as_str().to_owned()).collect()),
    };
    Ok(EnsuredQueue { url, arn, change })
}

async fn queue_attributes(
    sqs: &aws_sdk_sqs::Client,
    name: &str,
    url: &str,
) -> Result<HashMap<QueueAttributeName, String>, AwsError> {
    let current = sqs
        .get_queue_attributes()
        .queue_url(url)
        .attribute_names(QueueAttributeName::All)
        .send()
        .await
        .map_err(|e| sdk_error("sqs:GetQueueAttributes", name, e))?;
    Ok(current.attributes().cloned().unwrap_or_default())
}

/// The attribute's text for SQS, given the queue's ARN (empty before it exists) and the
/// current text; `None` for what cannot be written yet or at creation.
fn render(value: &Desired, own_arn: &str, current: Option<&str>) -> Option<String> {
    match value {
        Desired::Number(n) => Some(n.to_string()),
        Desired::Json(json) => Some(json.to_string()),
        Desired::Text(text) => Some(text.clone()),
        Desired::Absent if own_arn.is_empty() => None,
        Desired::Absent => Some(String::new()),
        Desired::Policy { deliver_from } if !own_arn.is_empty() => {
            Some(merge_policy(current, own_arn, deliver_from.as_deref()).to_string())
        }
        Desired::RedriveAllow { sources } if !own_arn.is_empty() => {
            Some(redrive_allow(own_arn, sources).to_string())
        }
        Desired::Policy { .. } | Desired::RedriveAllow { .. } => None,
    }
}

/// The `RedriveAllowPolicy` admitting `sources` (names in the queue's account and
/// region), or denying all when there are none.
fn redrive_allow(own_arn: &str, sources: &[String]) -> Value {
    if sources.is_empty() {
        return json!({ "redrivePermission": "denyAll" });
    }
    let prefix = own_arn.rsplit_once(':').map_or("", |(prefix, _)| prefix);
    let arns: Vec<String> = sources
        .iter()
        .map(|name| format!("{prefix}:{name}"))
        .collect();
    json!({ "redrivePermission": "byQueue", "sourceQueueArns": arns })
}

/// Whether SQS's current text for an attribute means what the contract wants (`text`
/// is what would be written).
fn matches(wanted: &Desired, current: Option<&str>, text: &str) -> bool {
    match wanted {
        Desired::Absent => current.is_none_or(|c| c.trim().is_empty()),
        Desired::Text(t) => current.is_some_and(|c| c.trim().eq_ignore_ascii_case(t)),
        Desired::Number(n) => current.is_some_and(|c| c.trim().parse::<u64>().ok() == Some(*n)),
        Desired::Json(_) | Desired::Policy { .. } | Desired::RedriveAllow { .. } => {
            let Some(current) = current else {
                return false;
            };
            match (
                serde_json::from_str::<Value>(current),
                serde_json::from_str::<Value>(text),
            ) {
                (Ok(current), Ok(wanted)) => normalise(&current) == normalise(&wanted),
                _ => false,
            }
        }
    }
}

/// JSON with numbers written as strings turned into numbers (SQS returns
/// `maxReceiveCount` either way), so that equal documents compare equal.
fn normalise(value: &Value) -> Value {
    match value {
        Value::String(text) => match text.parse::<u64>() {
            Ok(n) if n.to_string() == *text => Value::from(n),
            _ => value.clone(),
        },
        Value::Array(items) => Value::Array(items.iter().map(normalise).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(key, value)| (key.clone(), normalise(value)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// A subscription of the topic, as SNS lists it.
#[derive(Debug, Clone)]
struct Existing {
    arn: String,
    protocol: String,
    endpoint: String,
}

async fn list_subscriptions(
    sns: &aws_sdk_sns::Client,
    topic_arn: &str,
) -> Result<Vec<Existing>, AwsError> {
    let mut found = Vec::new();
    let mut next: Option<String> = None;
    loop {
        let page = sns
            .list_subscriptions_by_topic()
            .topic_arn(topic_arn)
            .set_next_token(next.take())
            .send()
            .await
            .map_err(|e| sdk_error("sns:ListSubscriptionsByTopic", topic_arn, e))?;
        for subscription in page.subscriptions() {
            found.push(Existing {
                arn: subscription.subscription_arn().unwrap_or("").to_owned(),
                protocol: subscription.protocol().unwrap_or("").to_owned(),
                endpoint: subscription.endpoint().unwrap_or("").to_owned(),
            });
        }
        match page.next_token() {
            Some(token) if !token.is_empty() => next = Some(token.to_owned()),
            _ => return Ok(found),
        }
    }
}

async fn ensure_subscription(
    sns: &aws_sdk_sns::Client,
    topic_arn: &str,
    queue_arn: &str,
    delivery_dlq_arn: &str,
    subscription: &routing::Subscription<Queue>,
    existing: &[Existing],
) -> Result<(String, Change), AwsError> {
    let policy = subscription.filter_policy.as_ref().map(|p| p.to_json());
    let redrive = json!({ "deadLetterTargetArn": delivery_dlq_arn });
    let raw = if subscription.raw_message_delivery {
        "true"
    } else {
        "false"
    };
    let resource = format!("{topic_arn} -> {queue_arn}");
    let Some(found) = existing
        .iter()
        .find(|e| e.protocol == "sqs" && e.endpoint == queue_arn)
    else {
        let mut request = sns
            .subscribe()
            .topic_arn(topic_arn)
            .protocol("sqs")
            .endpoint(queue_arn)
            .return_subscription_arn(true)
            .attributes("RawMessageDelivery", raw)
            .attributes("RedrivePolicy", redrive.to_string());
        if let Some(policy) = &policy {
            request = request
                .attributes("FilterPolicy", policy.to_string())
                .attributes("FilterPolicyScope", "MessageAttributes");
        }
        let created = request
            .send()
            .await
            .map_err(|e| sdk_error("sns:Subscribe", &resource, e))?;
        let arn = created
            .subscription_arn()
            .ok_or(AwsError::MissingInResponse {
                operation: "sns:Subscribe",
                resource,
                missing: "SubscriptionArn",
            })?
            .to_owned();
        return Ok((arn, Change::Created));
    };
    let current = sns
        .get_subscription_attributes()
        .subscription_arn(&found.arn)
        .send()
        .await
        .map_err(|e| sdk_error("sns:GetSubscriptionAttributes", &found.arn, e))?;
    let attributes = current.attributes().cloned().unwrap_or_default();
    let mut changes: Vec<(&str, String)> = Vec::new();
    let current_raw = attributes
        .get("RawMessageDelivery")
        .map(|v| v.eq_ignore_ascii_case("true"))
        .unwrap_or(false);
    if current_raw != subscription.raw_message_delivery {
        changes.push(("RawMessageDelivery", raw.to_owned()));
    }
    let current_policy = attributes
        .get("FilterPolicy")
        .filter(|text| !text.trim().is_empty())
        .and_then(|text| serde_json::from_str::<Value>(text).ok());
    if current_policy != policy {
        // SNS removes a filter policy that is set to the empty string.
        changes.push((
            "FilterPolicy",
            policy.as_ref().map(Value::to_string).unwrap_or_default(),
        ));
    }
    let current_redrive = attributes
        .get("RedrivePolicy")
        .and_then(|text| serde_json::from_str::<Value>(text).ok());
    if current_redrive.as_ref() != Some(&redrive) {
        changes.push(("RedrivePolicy", redrive.to_string()));
    }
    if policy.is_some()
        && attributes
            .get("FilterPolicyScope")
            .is_some_and(|scope| scope != "MessageAttributes")
    {
        changes.push(("FilterPolicyScope", "MessageAttributes".to_owned()));
    }
    if changes.is_empty() {
        return Ok((found.arn.clone(), Change::Unchanged));
    }
    let mut names = Vec::new();
    for (name, value) in changes {
        // SNS sets one attribute per call.
        sns.set_subscription_attributes()
            .subscription_arn(&found.arn)
            .attribute_name(name)
            .attribute_value(value)
            .send()
            .await
            .map_err(|e| sdk_error("sns:SetSubscriptionAttributes", &found.arn, e))?;
        names.push(name.to_owned());
    }
    Ok((found.arn.clone(), Change::Updated(names)))
}

/// Creates the event store's DynamoDB table if it is missing (on-demand billing,
/// partition key `productId` (S), sort key `sequence` (N)), and checks the key schema of
/// one that exists.
pub async fn deploy_event_table(
    dynamodb: &aws_sdk_dynamodb::Client,
    table: &str,
) -> Result<ResourceChange, AwsError> {
    crate::dynamo::ensure_table(dynamodb, table).await
}

#[cfg(test)]
mod tests {
    use super::{merge_policy, merge_topic_policy, redrive_allow};
    use serde_json::{json, Value};

    const QUEUE: &str = "arn:aws:sqs:us-east-1:123456789012:notifications-queue";
    const TOPIC: &str = "arn:aws:sns:us-east-1:123456789012:product-events";

    fn sids(policy: &Value) -> Vec<String> {
        policy["Statement"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["Sid"].as_str().unwrap_or("-").to_owned())
            .collect()
    }

    #[test]
    fn a_new_policy_has_our_statements_only() {
        let policy = merge_policy(None, QUEUE, Some(TOPIC));
        assert_eq!(policy["Version"], "2012-10-17");
        assert_eq!(
            sids(&policy),
            [
                "product-events-delivers",
                "product-events-deny-insecure-transport"
            ]
        );
        assert_eq!(
            policy["Statement"][0]["Condition"]["ArnEquals"]["aws:SourceArn"],
            TOPIC
        );
        // A dead-letter queue gets the deny alone.
        let dlq = merge_policy(None, QUEUE, None);
        assert_eq!(sids(&dlq), ["product-events-deny-insecure-transport"]);
    }

    #[test]
    fn others_statements_stay_where_they_are_and_ours_are_replaced_in_place() {
        let current = json!({
            "Version": "2012-10-17",
            "Id": "kept",
            "Statement": [
                {"Sid": "product-events-delivers", "Effect": "Allow", "Resource": "stale"},
                {"Effect": "Allow", "Action": "sqs:ReceiveMessage"},
                {"Sid": "audit", "Effect": "Allow"},
            ]
        });
        let merged = merge_policy(Some(&current.to_string()), QUEUE, Some(TOPIC));
        assert_eq!(merged["Id"], "kept");
        assert_eq!(
            sids(&merged),
            [
                "product-events-delivers",
                "-",
                "audit",
                "product-events-deny-insecure-transport"
            ]
        );
        assert_eq!(
            merged["Statement"][0]["Resource"], QUEUE,
            "replaced, not kept stale"
        );
        assert_eq!(merged["Statement"][1], current["Statement"][1]);
        // Merging again changes nothing.
        assert_eq!(
            merge_policy(Some(&merged.to_string()), QUEUE, Some(TOPIC)),
            merged
        );
        // A queue no longer subscribed loses our allow, keeps the rest.
        let unsubscribed = merge_policy(Some(&merged.to_string()), QUEUE, None);
        assert_eq!(
            sids(&unsubscribed),
            ["-", "audit", "product-events-deny-insecure-transport"]
        );
    }

    #[test]
    fn a_single_statement_object_or_unreadable_text_is_handled() {
        let single = json!({"Statement": {"Sid": "theirs", "Effect": "Allow"}});
        let merged = merge_policy(Some(&single.to_string()), QUEUE, None);
        assert_eq!(
            sids(&merged),
            ["theirs", "product-events-deny-insecure-transport"]
        );
        let fresh = merge_policy(Some("not json"), QUEUE, None);
        assert_eq!(sids(&fresh), ["product-events-deny-insecure-transport"]);
    }

    #[test]
    fn the_topic_policy_keeps_the_default_statement() {
        let default = json!({
            "Version": "2008-10-17",
            "Id": "__default_policy_ID",
            "Statement": [{"Sid": "__default_statement_ID", "Effect": "Allow"}]
        });
        let merged = merge_topic_policy(Some(&default.to_string()), TOPIC);
        assert_eq!(merged["Version"], "2008-10-17");
        assert_eq!(
            sids(&merged),
            [
                "__default_statement_ID",
                "product-events-deny-insecure-transport"
            ]
        );
        assert_eq!(merged["Statement"][1]["Action"], "SNS:Publish");
    }

    #[test]
    fn redrive_allow_admits_the_sources_in_the_same_account() {
        let dlq = "arn:aws:sqs:us-east-1:123456789012:notifications-dlq";
        assert_eq!(
            redrive_allow(dlq, &["notifications-queue".to_owned()]),
            json!({"redrivePermission": "byQueue", "sourceQueueArns": [QUEUE]})
        );
        assert_eq!(
            redrive_allow(dlq, &[]),
            json!({"redrivePermission": "denyAll"})
        );
    }
}
