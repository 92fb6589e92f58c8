//! `deploy`: make AWS match the routing contract, idempotently.
//!
//! Every resource is read first and compared with the contract; only what differs is
//! created or set, and the report says which. Nothing that the contract does not name is
//! deleted: a subscription of the topic to some other endpoint is left alone and listed
//! in [`DeployReport::warnings`].

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
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Change::Created => f.write_str("created"),
            Change::Updated(attributes) => write!(f, "updated ({})", attributes.join(", ")),
            Change::Unchanged => f.write_str("unchanged"),
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

/// Creates or updates the topology of `schemas/routing.yaml`: the topic, the dead-letter
/// queues, the queues (visibility timeout, retention, redrive policy with
/// `maxReceiveCount`, and a queue policy that lets the topic send), and one subscription
/// per queue (filter policy, raw delivery). Idempotent: a second run reports every
/// resource [`Change::Unchanged`].
pub async fn deploy(clients: &Clients) -> Result<DeployReport, AwsError> {
    let mut report = DeployReport::default();
    let (topic_arn, topic_change) = ensure_topic(&clients.sns).await?;
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
        let desired = desired_queue_attributes(queue, &topic_arn, &arns)?;
        let ensured = ensure_queue(&clients.sqs, queue.name(), &desired).await?;
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
        let (arn, change) = ensure_subscription(
            &clients.sns,
            &topic_arn,
            &queue_arn,
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
        if !(other.protocol == "sqs" && managed.contains(&&other.endpoint)) {
            report.warnings.push(format!(
                "the topic has a subscription that schemas/routing.yaml does not name \
                 ({} {}); it was left as it is",
                other.protocol, other.endpoint
            ));
        }
    }
    report.topic_arn = topic_arn;
    Ok(report)
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

async fn ensure_topic(sns: &aws_sdk_sns::Client) -> Result<(String, Change), AwsError> {
    if let Some(arn) = find_topic_arn(sns).await? {
        let attributes = sns
            .get_topic_attributes()
            .topic_arn(&arn)
            .send()
            .await
            .map_err(|e| sdk_error("sns:GetTopicAttributes", &arn, e))?;
        let current = attributes
            .attributes()
            .and_then(|a| a.get("DisplayName"))
            .map(String::as_str)
            .unwrap_or("");
        let wanted = TOPIC_DISPLAY_NAME.unwrap_or("");
        if current == wanted {
            return Ok((arn, Change::Unchanged));
        }
        sns.set_topic_attributes()
            .topic_arn(&arn)
            .attribute_name("DisplayName")
            .attribute_value(wanted)
            .send()
            .await
            .map_err(|e| sdk_error("sns:SetTopicAttributes", &arn, e))?;
        return Ok((arn, Change::Updated(vec!["DisplayName".to_owned()])));
    }
    let mut request = sns.create_topic().name(TOPIC_NAME);
    if let Some(display) = TOPIC_DISPLAY_NAME {
        request = request.attributes("DisplayName", display);
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
    Ok((arn, Change::Created))
}

/// The SQS policy that lets the topic (and only it) send to a queue.
pub fn queue_policy(queue_arn: &str, topic_arn: &str) -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": format!("{TOPIC_NAME}-delivers"),
            "Effect": "Allow",
            "Principal": { "Service": "sns.amazonaws.com" },
            "Action": "sqs:SendMessage",
            "Resource": queue_arn,
            "Condition": { "ArnEquals": { "aws:SourceArn": topic_arn } }
        }]
    })
}

/// One desired queue attribute: how to compare it with what SQS reports.
#[derive(Debug, Clone)]
enum Desired {
    /// A number, compared as a number.
    Number(u64),
    /// A JSON document, compared as parsed JSON with numbers in strings normalised.
    Json(Value),
    /// A JSON document that mentions the queue's own ARN, known only once it exists.
    PolicyForOwnArn { topic_arn: String },
}

fn desired_queue_attributes(
    queue: Queue,
    topic_arn: &str,
    arns: &HashMap<Queue, String>,
) -> Result<Vec<(QueueAttributeName, Desired)>, AwsError> {
    let mut desired = vec![
        (
            QueueAttributeName::VisibilityTimeout,
            Desired::Number(queue.visibility_timeout().as_secs()),
        ),
        (
            QueueAttributeName::MessageRetentionPeriod,
            Desired::Number(queue.message_retention().as_secs()),
        ),
    ];
    if let (Some(dlq), Some(max_receive_count)) =
        (queue.dead_letter_queue(), queue.max_receive_count())
    {
        let dlq_arn = arns.get(&dlq).ok_or_else(|| AwsError::QueueMissing {
            name: dlq.name().to_owned(),
        })?;
        desired.push((
            QueueAttributeName::RedrivePolicy,
            Desired::Json(json!({
                "deadLetterTargetArn": dlq_arn,
                "maxReceiveCount": max_receive_count,
            })),
        ));
    }
    if SUBSCRIPTIONS.iter().any(|s| s.queue == queue) {
        desired.push((
            QueueAttributeName::Policy,
            Desired::PolicyForOwnArn {
                topic_arn: topic_arn.to_owned(),
            },
        ));
    }
    Ok(desired)
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
    desired: &[(QueueAttributeName, Desired)],
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
            // Everything but the policy, which needs the queue's ARN, goes in at creation.
            let mut request = sqs.create_queue().queue_name(name);
            for (attribute, value) in desired {
                if let Some(text) = render(value, "") {
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
    let current = sqs
        .get_queue_attributes()
        .queue_url(&url)
        .attribute_names(QueueAttributeName::All)
        .send()
        .await
        .map_err(|e| sdk_error("sqs:GetQueueAttributes", name, e))?;
    let attributes = current.attributes().cloned().unwrap_or_default();
    let arn = attributes
        .get(&QueueAttributeName::QueueArn)
        .cloned()
        .ok_or(AwsError::MissingInResponse {
            operation: "sqs:GetQueueAttributes",
            resource: name.to_owned(),
            missing: "QueueArn",
        })?;
    let mut changed = Vec::new();
    let mut update: HashMap<QueueAttributeName, String> = HashMap::new();
    for (attribute, value) in desired {
        let wanted = match value {
            Desired::PolicyForOwnArn { topic_arn } => Desired::Json(queue_policy(&arn, topic_arn)),
            other => other.clone(),
        };
        let text = render(&wanted, &arn).unwrap_or_default();
        if !matches(&wanted, attributes.get(attribute).map(String::as_str)) {
            changed.push(attribute.as_str().to_owned());
            update.insert(attribute.clone(), text);
        } else if *attribute == QueueAttributeName::Policy {
            // Sent along with any change: some SQS implementations (moto 5.1) reset a
            // policy that a SetQueueAttributes call leaves out.
            update.insert(attribute.clone(), text);
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
    }
    let change = match (created, changed.is_empty()) {
        (true, _) => Change::Created,
        (false, true) => Change::Unchanged,
        (false, false) => Change::Updated(changed),
    };
    Ok(EnsuredQueue { url, arn, change })
}

/// The attribute's text for SQS; `None` for a policy whose ARN is not known yet.
fn render(value: &Desired, own_arn: &str) -> Option<String> {
    match value {
        Desired::Number(n) => Some(n.to_string()),
        Desired::Json(json) => Some(json.to_string()),
        Desired::PolicyForOwnArn { topic_arn } if !own_arn.is_empty() => {
            Some(queue_policy(own_arn, topic_arn).to_string())
        }
        Desired::PolicyForOwnArn { .. } => None,
    }
}

/// Whether SQS's current text for an attribute means what the contract wants.
fn matches(wanted: &Desired, current: Option<&str>) -> bool {
    let Some(current) = current else {
        return false;
    };
    match wanted {
        Desired::Number(n) => current.trim().parse::<u64>().ok() == Some(*n),
        Desired::Json(json) => serde_json::from_str::<Value>(current)
            .map(|value| normalise(&value) == normalise(json))
            .unwrap_or(false),
        Desired::PolicyForOwnArn { .. } => false,
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
    subscription: &routing::Subscription<Queue>,
    existing: &[Existing],
) -> Result<(String, Change), AwsError> {
    let policy = subscription.filter_policy.as_ref().map(|p| p.to_json());
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
            .attributes("RawMessageDelivery", raw);
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
