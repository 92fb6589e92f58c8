//! Publishing validated events to the contract's topic.

use std::time::Duration;

use aws_sdk_sns::types::{MessageAttributeValue, PublishBatchRequestEntry};
use event_contracts::routing::{self, RetryPolicy, SplitMix64, TOPIC_NAME};
use event_contracts::{encode, ProductEvent};
use uuid::Uuid;

use crate::deploy::find_topic_arn;
use crate::error::{sdk_error, AwsError};

/// SNS's limits for one `PublishBatch` call: 10 entries, 256 KiB of messages and
/// attributes together; one message alone may not exceed 256 KiB either.
const BATCH_ENTRIES: usize = 10;
const BATCH_BYTES: usize = 256 * 1024;
/// SNS's largest message, attributes included.
pub const MAX_MESSAGE_BYTES: usize = 256 * 1024;
/// How many times a batch (or its failed entries) is sent before the events count as
/// failed.
const SEND_ATTEMPTS: u32 = 4;
/// The backoff between sends: 100 ms doubling, jittered.
const SEND_BACKOFF: RetryPolicy = RetryPolicy {
    max_retries: SEND_ATTEMPTS,
    multiplier: 2.0,
    initial_delay: Duration::from_millis(100),
    max_delay: Duration::from_secs(5),
    jitter: true,
};

/// Publishes events to the topic of the routing contract.
#[derive(Debug, Clone)]
pub struct Publisher {
    sns: aws_sdk_sns::Client,
    topic_arn: String,
}

/// One event SNS accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    /// Its index in the slice given to [`Publisher::publish_all`].
    pub index: usize,
    /// The event's `eventId`.
    pub event_id: Uuid,
    /// SNS's message id.
    pub message_id: String,
}

/// One event SNS refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishFailure {
    /// The event's `eventId`.
    pub event_id: Uuid,
    /// Its index in the slice given to [`Publisher::publish_all`].
    pub index: usize,
    /// SNS's error code.
    pub code: String,
    /// SNS's message.
    pub message: String,
}

/// What [`Publisher::publish_all`] did: every event is in exactly one of `published`,
/// `failed` and `not_sent`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PublishReport {
    /// The events SNS accepted, in order.
    pub published: Vec<Published>,
    /// The events SNS refused (after retries, for refusals that were not the sender's
    /// fault), or whose batch failed as a whole: those may or may not have been
    /// published.
    pub failed: Vec<PublishFailure>,
    /// The indexes of events not sent because an earlier batch failed as a whole.
    pub not_sent: Vec<usize>,
    /// The error that stopped publishing, if one did.
    pub error: Option<String>,
}

/// An event ready to send: its body and attributes, after validation.
struct Ready {
    index: usize,
    event_id: Uuid,
    body: String,
    attributes: Vec<(String, MessageAttributeValue)>,
    size: usize,
}

impl Publisher {
    /// A publisher to a known topic ARN.
    pub fn new(sns: aws_sdk_sns::Client, topic_arn: impl Into<String>) -> Self {
        Publisher {
            sns,
            topic_arn: topic_arn.into(),
        }
    }

    /// A publisher to the contract's topic, found by name; it must exist (see
    /// [`crate::deploy()`]).
    pub async fn connect(sns: aws_sdk_sns::Client) -> Result<Self, AwsError> {
        let arn = find_topic_arn(&sns)
            .await?
            .ok_or_else(|| AwsError::TopicMissing {
                name: TOPIC_NAME.to_owned(),
            })?;
        Ok(Publisher::new(sns, arn))
    }

    /// The topic's ARN.
    pub fn topic_arn(&self) -> &str {
        &self.topic_arn
    }

    /// Validates and publishes one event with its `eventType` and `version` attributes;
    /// returns SNS's message id. An invalid event, or one larger than SNS accepts
    /// (256 KiB with its attributes), is refused before anything is sent.
    pub async fn publish(&self, event: &ProductEvent) -> Result<String, AwsError> {
        let ready = prepare(0, event)?;
        let sent = self
            .sns
            .publish()
            .topic_arn(&self.topic_arn)
            .message(ready.body)
            .set_message_attributes(Some(ready.attributes.into_iter().collect()))
            .send()
            .await
            .map_err(|e| sdk_error("sns:Publish", &self.topic_arn, e))?;
        sent.message_id()
            .map(str::to_owned)
            .ok_or(AwsError::MissingInResponse {
                operation: "sns:Publish",
                resource: self.topic_arn.clone(),
                missing: "MessageId",
            })
    }

    /// Validates every event and checks its size, then publishes them in batches
    /// (`PublishBatch`, up to 10 events and 256 KiB per call). If any event is invalid
    /// or too large, none is sent and the error names the first; check them all
    /// beforehand with `event_contracts::encode` to report every one.
    ///
    /// Once sending began, the report accounts for every event: entries SNS refused
    /// without it being the sender's fault (throttling, an internal error) are sent
    /// again with backoff, up to 4 times, and a batch that fails as a whole is retried
    /// the same way; if it still fails, its events are listed as failed, the rest as not
    /// sent, and the error is in [`PublishReport::error`].
    pub async fn publish_all(&self, events: &[ProductEvent]) -> Result<PublishReport, AwsError> {
        let ready = events
            .iter()
            .enumerate()
            .map(|(index, event)| prepare(index, event))
            .collect::<Result<Vec<_>, _>>()?;
        let mut batches: Vec<Vec<Ready>> = Vec::new();
        let mut batch: Vec<Ready> = Vec::new();
        let mut batch_bytes = 0;
        for item in ready {
            if !batch.is_empty()
                && (batch.len() == BATCH_ENTRIES || batch_bytes + item.size > BATCH_BYTES)
            {
                batches.push(std::mem::take(&mut batch));
                batch_bytes = 0;
            }
            batch_bytes += item.size;
            batch.push(item);
        }
        if !batch.is_empty() {
            batches.push(batch);
        }
        let mut report = PublishReport::default();
        let mut jitter = SplitMix64::from_entropy();
        let mut batches = batches.into_iter();
        while let Some(batch) = batches.next() {
            if let Err(error) = self
                .send_with_retries(batch, &mut report, &mut jitter)
                .await
            {
                report.error = Some(error.to_string());
                report
                    .not_sent
                    .extend(batches.by_ref().flatten().map(|item| item.index));
                break;
            }
        }
        report.published.sort_by_key(|p| p.index);
        report.failed.sort_by_key(|f| f.index);
        Ok(report)
    }

    /// Sends one batch, then its retryable failures again with backoff. Fails only when
    /// the batch failed as a whole on every attempt; its events are then in
    /// `report.failed`.
    async fn send_with_retries(
        &self,
        mut batch: Vec<Ready>,
        report: &mut PublishReport,
        jitter: &mut SplitMix64,
    ) -> Result<(), AwsError> {
        for attempt in 0..SEND_ATTEMPTS {
            if attempt > 0 {
                tokio::time::sleep(SEND_BACKOFF.delay(attempt - 1, jitter)).await;
            }
            let last = attempt + 1 == SEND_ATTEMPTS;
            match self.send_batch(&batch).await {
                Ok(outcome) => {
                    report.published.extend(outcome.published);
                    let mut again = Vec::new();
                    for (slot, failure, sender_fault) in outcome.failed {
                        if sender_fault || last {
                            report.failed.push(failure);
                        } else {
                            again.push(slot);
                        }
                    }
                    if again.is_empty() {
                        return Ok(());
                    }
                    batch = batch
                        .into_iter()
                        .enumerate()
                        .filter(|(slot, _)| again.contains(slot))
                        .map(|(_, item)| item)
                        .collect();
                }
                Err(error) if last => {
                    for item in &batch {
                        report.failed.push(PublishFailure {
                            event_id: item.event_id,
                            index: item.index,
                            code: "RequestFailed".to_owned(),
                            message: error.to_string(),
                        });
                    }
                    return Err(error);
                }
                Err(_) => {}
            }
        }
        Ok(())
    }

    async fn send_batch(&self, batch: &[Ready]) -> Result<BatchOutcome, AwsError> {
        let mut entries = Vec::with_capacity(batch.len());
        for (slot, item) in batch.iter().enumerate() {
            let entry = PublishBatchRequestEntry::builder()
                .id(format!("e{slot}"))
                .message(item.body.clone())
                .set_message_attributes(Some(item.attributes.iter().cloned().collect()))
                .build()
                .map_err(|e| sdk_error("sns:PublishBatch", &self.topic_arn, e))?;
            entries.push(entry);
        }
        let sent = self
            .sns
            .publish_batch()
            .topic_arn(&self.topic_arn)
            .set_publish_batch_request_entries(Some(entries))
            .send()
            .await
            .map_err(|e| sdk_error("sns:PublishBatch", &self.topic_arn, e))?;
        let slot_of = |id: Option<&str>| {
            id.and_then(|id| id.strip_prefix('e'))
                .and_then(|n| n.parse::<usize>().ok())
                .filter(|n| *n < batch.len())
        };
        let mut outcome = BatchOutcome::default();
        for ok in sent.successful() {
            if let Some(slot) = slot_of(ok.id()) {
                let item = &batch[slot];
                outcome.published.push(Published {
                    index: item.index,
                    event_id: item.event_id,
                    message_id: ok.message_id().unwrap_or_default().to_owned(),
                });
            }
        }
        for failed in sent.failed() {
            if let Some(slot) = slot_of(Some(failed.id())) {
                let item = &batch[slot];
                outcome.failed.push((
                    slot,
                    PublishFailure {
                        event_id: item.event_id,
                        index: item.index,
                        code: failed.code().to_owned(),
                        message: failed.message().unwrap_or_default().to_owned(),
                    },
                    failed.sender_fault(),
                ));
            }
        }
        Ok(outcome)
    }
}

/// One `PublishBatch` answer: what SNS accepted, and what it refused (slot in the batch,
/// the failure, whether it was the sender's fault).
#[derive(Default)]
struct BatchOutcome {
    published: Vec<Published>,
    failed: Vec<(usize, PublishFailure, bool)>,
}

/// Encodes (validating against the schema) and builds the message attributes.
fn prepare(index: usize, event: &ProductEvent) -> Result<Ready, AwsError> {
    let bytes = encode(event)?;
    // `encode` writes JSON, which is UTF-8.
    let body = String::from_utf8_lossy(&bytes).into_owned();
    let mut attributes = Vec::new();
    let mut size = body.len();
    for (name, value) in routing::attributes_for(event).iter() {
        let wire = value.wire_value();
        size += name.len() + wire.len() + value.data_type().len();
        let attribute = MessageAttributeValue::builder()
            .data_type(value.data_type())
            .string_value(wire)
            .build()
            .map_err(|e| sdk_error("sns:Publish", name, e))?;
        attributes.push((name.to_owned(), attribute));
    }
    if size > MAX_MESSAGE_BYTES {
        return Err(AwsError::TooLarge {
            event_id: *event.event_id(),
            size,
            limit: MAX_MESSAGE_BYTES,
        });
    }
    Ok(Ready {
        index,
        event_id: *event.event_id(),
        body,
        attributes,
        size,
    })
}
