//! Moving messages from a dead-letter queue back to their source queue, and only there:
//! republishing to the topic would deliver the event again to every subscriber, not only
//! to the queue where it failed.

use aws_sdk_sqs::types::{MessageSystemAttributeName, QueueAttributeName};
use event_contracts::routing::Queue;

use crate::consume::OWN_ATTRIBUTES;
use crate::deploy::DELIVERY_DLQ_SUFFIX;
use crate::drain::release;
use crate::error::{sdk_error, AwsError};

/// How [`redrive`] moves messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RedriveOptions {
    /// Stop after this many messages (the copy path; a move task moves them all).
    pub max: Option<u64>,
    /// How long each receive waits (0-20 s) before the dead-letter queue counts as empty.
    pub wait_seconds: i32,
    /// Skip `StartMessageMoveTask` and copy (receive, send, delete) even where SQS
    /// could move the messages itself.
    pub copy: bool,
}

impl Default for RedriveOptions {
    fn default() -> Self {
        RedriveOptions {
            max: None,
            wait_seconds: 1,
            copy: false,
        }
    }
}

/// How the messages went back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RedriveMethod {
    /// SQS moves them (`StartMessageMoveTask`); the task runs on after this returns.
    MoveTask {
        /// The task's handle, for `ListMessageMoveTasks` and `CancelMessageMoveTask`.
        task_handle: String,
    },
    /// Each message was received, sent to the source queue, and deleted from the
    /// dead-letter queue once the send was confirmed.
    Copied {
        /// Why the move task was not used (`None` when `copy` asked for this).
        move_task_refused: Option<String>,
    },
}

/// What [`redrive`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedriveReport {
    /// The dead-letter queue.
    pub dead_letter_queue: String,
    /// The queue the messages went back to.
    pub source_queue: String,
    /// How.
    pub method: RedriveMethod,
    /// Messages sent back and deleted (the copy path; 0 for a move task).
    pub moved: u64,
    /// Messages sent back whose delete from the dead-letter queue failed: they will be
    /// there again (and would be sent back twice by another redrive).
    pub delete_failures: u64,
}

/// The contract's queue whose failures land in `dead_letter_queue`: the queue whose
/// redrive names it, or the subscribed queue of a delivery dead-letter queue
/// (`<queue>-sns-dlq`).
pub fn source_of(dead_letter_queue: &str) -> Result<Queue, AwsError> {
    if let Some(dlq) = Queue::from_name(dead_letter_queue).filter(|q| q.is_dead_letter_queue()) {
        let sources: Vec<Queue> = Queue::ALL
            .iter()
            .copied()
            .filter(|q| q.dead_letter_queue() == Some(dlq))
            .collect();
        if let [source] = sources[..] {
            return Ok(source);
        }
    }
    if let Some(queue) = dead_letter_queue
        .strip_suffix(DELIVERY_DLQ_SUFFIX)
        .and_then(Queue::from_name)
        .filter(|q| !q.is_dead_letter_queue())
    {
        return Ok(queue);
    }
    let mut known: Vec<String> = Queue::ALL
        .iter()
        .filter(|q| q.is_dead_letter_queue())
        .map(|q| q.name().to_owned())
        .collect();
    known.extend(
        Queue::ALL
            .iter()
            .filter(|q| !q.is_dead_letter_queue())
            .map(|q| crate::deploy::delivery_dead_letter_queue(*q)),
    );
    Err(AwsError::NotADeadLetterQueue {
        name: dead_letter_queue.to_owned(),
        known: known.join(", "),
    })
}

/// Moves the messages of `dead_letter_queue` back to its source queue (see
/// [`source_of`]): with `StartMessageMoveTask` where the endpoint supports it, else by
/// copying, where each message is deleted from the dead-letter queue only after the
/// source queue confirmed the send. The consumer's dead-letter attributes are removed;
/// the others are kept.
pub async fn redrive(
    sqs: &aws_sdk_sqs::Client,
    dead_letter_queue: &str,
    options: RedriveOptions,
) -> Result<RedriveReport, AwsError> {
    let source = source_of(dead_letter_queue)?;
    let dlq_url = crate::consume::queue_url(sqs, dead_letter_queue).await?;
    let source_url = crate::consume::queue_url(sqs, source.name()).await?;
    let mut report = RedriveReport {
        dead_letter_queue: dead_letter_queue.to_owned(),
        source_queue: source.name().to_owned(),
        method: RedriveMethod::Copied {
            move_task_refused: None,
        },
        moved: 0,
        delete_failures: 0,
    };
    if !options.copy && options.max.is_none() {
        match start_move_task(sqs, &dlq_url, &source_url, dead_letter_queue).await {
            Ok(task_handle) => {
                report.method = RedriveMethod::MoveTask { task_handle };
                return Ok(report);
            }
            Err(refused) => {
                report.method = RedriveMethod::Copied {
                    move_task_refused: Some(refused.to_string()),
                }
            }
        }
    }
    copy_back(
        sqs,
        &dlq_url,
        &source_url,
        dead_letter_queue,
        source.name(),
        options,
        &mut report,
    )
    .await?;
    Ok(report)
}

async fn queue_arn(sqs: &aws_sdk_sqs::Client, url: &str, name: &str) -> Result<String, AwsError> {
    sqs.get_queue_attributes()
        .queue_url(url)
        .attribute_names(QueueAttributeName::QueueArn)
        .send()
        .await
        .map_err(|e| sdk_error("sqs:GetQueueAttributes", name, e))?
        .attributes()
        .and_then(|a| a.get(&QueueAttributeName::QueueArn))
        .cloned()
        .ok_or(AwsError::MissingInResponse {
            operation: "sqs:GetQueueAttributes",
            resource: name.to_owned(),
            missing: "QueueArn",
        })
}

async fn start_move_task(
    sqs: &aws_sdk_sqs::Client,
    dlq_url: &str,
    source_url: &str,
    dead_letter_queue: &str,
) -> Result<String, AwsError> {
    let source_arn = queue_arn(sqs, dlq_url, dead_letter_queue).await?;
    let destination_arn = queue_arn(sqs, source_url, dead_letter_queue).await?;
    let started = sqs
        .start_message_move_task()
        .source_arn(source_arn)
        .destination_arn(destination_arn)
        .send()
        .await
        .map_err(|e| sdk_error("sqs:StartMessageMoveTask", dead_letter_queue, e))?;
    Ok(started.task_handle().unwrap_or_default().to_owned())
}

async fn copy_back(
    sqs: &aws_sdk_sqs::Client,
    dlq_url: &str,
    source_url: &str,
    dead_letter_queue: &str,
    source: &str,
    options: RedriveOptions,
    report: &mut RedriveReport,
) -> Result<(), AwsError> {
    let wait = options.wait_seconds.clamp(0, 20);
    loop {
        let wanted = options
            .max
            .map_or(10, |max| max.saturating_sub(report.moved).min(10));
        if wanted == 0 {
            return Ok(());
        }
        let messages = sqs
            .receive_message()
            .queue_url(dlq_url)
            .max_number_of_messages(i32::try_from(wanted).unwrap_or(10))
            .wait_time_seconds(wait)
            .message_system_attribute_names(MessageSystemAttributeName::All)
            .message_attribute_names("All")
            .send()
            .await
            .map_err(|e| sdk_error("sqs:ReceiveMessage", dead_letter_queue, e))?
            .messages
            .unwrap_or_default();
        if messages.is_empty() {
            return Ok(());
        }
        let mut unsent: Vec<String> = Vec::new();
        let mut failure = None;
        for message in &messages {
            let Some(receipt) = message.receipt_handle() else {
                continue;
            };
            if failure.is_some() {
                unsent.push(receipt.to_owned());
                continue;
            }
            let mut attributes = message.message_attributes().cloned().unwrap_or_default();
            for own in OWN_ATTRIBUTES {
                attributes.remove(own);
            }
            let sent = sqs
                .send_message()
                .queue_url(source_url)
                .message_body(message.body().unwrap_or_default())
                .set_message_attributes((!attributes.is_empty()).then_some(attributes))
                .send()
                .await;
            match sent {
                Ok(_) => {
                    let deleted = sqs
                        .delete_message()
                        .queue_url(dlq_url)
                        .receipt_handle(receipt)
                        .send()
                        .await;
                    report.moved += 1;
                    if deleted.is_err() {
                        report.delete_failures += 1;
                    }
                }
                Err(error) => {
                    unsent.push(receipt.to_owned());
                    failure = Some(sdk_error("sqs:SendMessage", source, error));
                }
            }
        }
        if let Some(error) = failure {
            // Left in the dead-letter queue, visible again at once.
            release(sqs, dlq_url, &unsent).await;
            return Err(error);
        }
    }
}
