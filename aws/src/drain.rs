//! Draining a queue: every message handed to the caller, then deleted.

use crate::error::{sdk_error, AwsError};

/// How [`drain`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DrainOptions {
    /// Stop after this many messages (`None`: until the queue is empty).
    pub max: Option<u64>,
    /// How long each receive waits for messages (0-20 s) before the queue counts as empty.
    pub wait_seconds: i32,
}

impl Default for DrainOptions {
    fn default() -> Self {
        DrainOptions {
            max: None,
            wait_seconds: 1,
        }
    }
}

/// Receives the messages of the queue named `queue` until a receive comes back empty
/// (or `max` is reached), gives each body to `each`, and deletes the message once `each`
/// has returned `Ok`. A message whose `each` fails is not deleted, and draining stops
/// with [`AwsError::Sink`]: nothing is lost. Returns how many messages were drained.
pub async fn drain<F>(
    sqs: &aws_sdk_sqs::Client,
    queue: &str,
    options: DrainOptions,
    mut each: F,
) -> Result<u64, AwsError>
where
    F: FnMut(&str) -> std::io::Result<()>,
{
    let url = crate::consume::queue_url(sqs, queue).await?;
    let wait = options.wait_seconds.clamp(0, 20);
    let mut drained = 0u64;
    loop {
        let wanted = options
            .max
            .map_or(10, |max| max.saturating_sub(drained).min(10));
        if wanted == 0 {
            return Ok(drained);
        }
        let received = sqs
            .receive_message()
            .queue_url(&url)
            .max_number_of_messages(wanted as i32)
            .wait_time_seconds(wait)
            .send()
            .await
            .map_err(|e| sdk_error("sqs:ReceiveMessage", queue, e))?;
        let messages = received.messages.unwrap_or_default();
        if messages.is_empty() {
            return Ok(drained);
        }
        for message in messages {
            each(message.body().unwrap_or_default()).map_err(AwsError::Sink)?;
            if let Some(receipt) = message.receipt_handle() {
                sqs.delete_message()
                    .queue_url(&url)
                    .receipt_handle(receipt)
                    .send()
                    .await
                    .map_err(|e| sdk_error("sqs:DeleteMessage", queue, e))?;
            }
            drained += 1;
        }
    }
}
