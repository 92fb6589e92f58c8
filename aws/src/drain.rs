//! Draining a queue (a dead-letter queue, typically) into the caller's hands: every
//! message with its attributes, deleted only when asked and only once the caller says
//! that what it wrote is safely stored.

use std::collections::HashMap;

use aws_sdk_sqs::types::{
    ChangeMessageVisibilityBatchRequestEntry, DeleteMessageBatchRequestEntry, Message,
    MessageAttributeValue, MessageSystemAttributeName,
};
use serde_json::{json, Map, Value};

use crate::error::{sdk_error, AwsError};

/// How [`drain`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DrainOptions {
    /// Stop after this many messages (`None`: until the queue is empty).
    pub max: Option<u64>,
    /// How long each receive waits for messages (0-20 s) before the queue counts as empty.
    pub wait_seconds: i32,
    /// Delete each batch once `sync` has returned `Ok`; without it the messages are made
    /// visible again at the end (an export that leaves the queue as it was).
    pub delete: bool,
    /// How long received messages stay hidden while the drain runs (seconds); without
    /// `delete`, a drain that takes longer sees messages again and writes them twice.
    pub visibility_timeout: i32,
}

impl Default for DrainOptions {
    fn default() -> Self {
        DrainOptions {
            max: None,
            wait_seconds: 1,
            delete: false,
            visibility_timeout: 300,
        }
    }
}

/// One drained message: what SQS returned for it.
#[derive(Debug, Clone, PartialEq)]
pub struct DrainedMessage {
    /// SQS's message id.
    pub message_id: String,
    /// The body as delivered.
    pub body: String,
    /// The message attributes (the consumer's dead-letter reason among them).
    pub message_attributes: HashMap<String, MessageAttributeValue>,
    /// SQS's system attributes (`SentTimestamp`, `ApproximateReceiveCount`, ...).
    pub attributes: HashMap<String, String>,
}

impl DrainedMessage {
    fn from_message(message: &Message) -> Self {
        DrainedMessage {
            message_id: message.message_id().unwrap_or_default().to_owned(),
            body: message.body().unwrap_or_default().to_owned(),
            message_attributes: message.message_attributes().cloned().unwrap_or_default(),
            attributes: message
                .attributes()
                .map(|a| {
                    a.iter()
                        .map(|(k, v)| (k.as_str().to_owned(), v.clone()))
                        .collect()
                })
                .unwrap_or_default(),
        }
    }

    /// The message as one SQS `ReceiveMessage` response (`{"Messages": [{...}]}`), the
    /// shape `contracts triage` reads, with the attributes in SQS's JSON form.
    pub fn to_receive_json(&self) -> Value {
        let mut attributes = Map::new();
        for (name, value) in &self.message_attributes {
            let mut attribute = Map::new();
            attribute.insert("DataType".to_owned(), Value::from(value.data_type()));
            if let Some(text) = value.string_value() {
                attribute.insert("StringValue".to_owned(), Value::from(text));
            }
            if let Some(blob) = value.binary_value() {
                attribute.insert(
                    "BinaryValue".to_owned(),
                    Value::from(aws_smithy_types::base64::encode(blob.as_ref())),
                );
            }
            attributes.insert(name.clone(), Value::Object(attribute));
        }
        let system: Map<String, Value> = self
            .attributes
            .iter()
            .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
            .collect();
        json!({
            "Messages": [{
                "MessageId": self.message_id,
                "Body": self.body,
                "MessageAttributes": attributes,
                "Attributes": system,
            }]
        })
    }

    /// A string message attribute's value.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.message_attributes
            .get(name)
            .and_then(|v| v.string_value())
    }
}

/// What [`drain`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DrainReport {
    /// Messages handed to the caller.
    pub drained: u64,
    /// Of those, deleted from the queue.
    pub deleted: u64,
    /// Deletes that failed: those messages will be received (and written) again.
    pub delete_failures: u64,
}

/// Receives the messages of the queue named `queue` batch by batch until a receive comes
/// back empty (or `max` is reached) and gives each to `each`. After each batch `sync` is
/// called (flush and sync the output file there); with `options.delete`, the batch is
/// deleted only once `sync` returned `Ok`. Without it, every message is made visible
/// again at the end. If `each` or `sync` fails, nothing more is deleted and draining
/// stops with [`AwsError::Sink`]: nothing is lost.
pub async fn drain<F, S>(
    sqs: &aws_sdk_sqs::Client,
    queue: &str,
    options: DrainOptions,
    mut each: F,
    mut sync: S,
) -> Result<DrainReport, AwsError>
where
    F: FnMut(&DrainedMessage) -> std::io::Result<()>,
    S: FnMut() -> std::io::Result<()>,
{
    let url = crate::consume::queue_url(sqs, queue).await?;
    let wait = options.wait_seconds.clamp(0, 20);
    let mut report = DrainReport::default();
    let mut held: Vec<String> = Vec::new();
    let result = loop {
        let wanted = options
            .max
            .map_or(10, |max| max.saturating_sub(report.drained).min(10));
        if wanted == 0 {
            break Ok(());
        }
        let received = sqs
            .receive_message()
            .queue_url(&url)
            .max_number_of_messages(i32::try_from(wanted).unwrap_or(10))
            .wait_time_seconds(wait)
            .visibility_timeout(options.visibility_timeout.max(1))
            .message_system_attribute_names(MessageSystemAttributeName::All)
            .message_attribute_names("All")
            .send()
            .await
            .map_err(|e| sdk_error("sqs:ReceiveMessage", queue, e));
        let messages = match received {
            Ok(received) => received.messages.unwrap_or_default(),
            Err(error) => break Err(error),
        };
        if messages.is_empty() {
            break Ok(());
        }
        let receipts: Vec<String> = messages
            .iter()
            .filter_map(|m| m.receipt_handle().map(str::to_owned))
            .collect();
        let written = messages
            .iter()
            .try_for_each(|message| each(&DrainedMessage::from_message(message)))
            .and_then(|()| sync());
        if let Err(error) = written {
            held.extend(receipts);
            break Err(AwsError::Sink(error));
        }
        report.drained += messages.len() as u64;
        if options.delete {
            let failed = delete_batch(sqs, &url, queue, &receipts).await?;
            report.deleted += receipts.len() as u64 - failed;
            report.delete_failures += failed;
        } else {
            held.extend(receipts);
        }
    };
    // What was received and not deleted is visible again at once, not after the
    // visibility timeout.
    release(sqs, &url, &held).await;
    result.map(|()| report)
}

/// Deletes received messages in batches of 10; returns how many deletes failed.
pub(crate) async fn delete_batch(
    sqs: &aws_sdk_sqs::Client,
    url: &str,
    queue: &str,
    receipts: &[String],
) -> Result<u64, AwsError> {
    let mut failed = 0;
    for chunk in receipts.chunks(10) {
        let entries = chunk
            .iter()
            .enumerate()
            .map(|(n, receipt)| {
                DeleteMessageBatchRequestEntry::builder()
                    .id(n.to_string())
                    .receipt_handle(receipt)
                    .build()
                    .map_err(|e| sdk_error("sqs:DeleteMessageBatch", queue, e))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let deleted = sqs
            .delete_message_batch()
            .queue_url(url)
            .set_entries(Some(entries))
            .send()
            .await
            .map_err(|e| sdk_error("sqs:DeleteMessageBatch", queue, e))?;
        failed += deleted.failed().len() as u64;
    }
    Ok(failed)
}

/// Makes received messages visible again at once (best effort: at worst they reappear
/// when their visibility timeout ends).
pub(crate) async fn release(sqs: &aws_sdk_sqs::Client, url: &str, receipts: &[String]) {
    for chunk in receipts.chunks(10) {
        let entries: Vec<_> = chunk
            .iter()
            .enumerate()
            .filter_map(|(n, receipt)| {
                ChangeMessageVisibilityBatchRequestEntry::builder()
                    .id(n.to_string())
                    .receipt_handle(receipt)
                    .visibility_timeout(0)
                    .build()
                    .ok()
            })
            .collect();
        let _ = sqs
            .change_message_visibility_batch()
            .queue_url(url)
            .set_entries(Some(entries))
            .send()
            .await;
    }
}
