//! The consumer loop of one queue: receive, decode, upcast, handle, then delete or retry.
//!
//! SQS decides when a message goes to the dead-letter queue: its redrive policy moves a
//! message once it has been received `maxReceiveCount` times (3 for
//! `notifications-queue`, 5 for `analytics-queue` in the seed). The consumer decides
//! how long a failed message waits before its next receive: the retry policy's delay for
//! that attempt (`schemas/routing.yaml`'s `retryPolicy`, with jitter), set with
//! `ChangeMessageVisibility`. So the handler is called exactly `maxReceiveCount` times
//! for a message it always fails.

use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use aws_sdk_sqs::types::{Message, MessageSystemAttributeName};
use event_contracts::routing::{self, DeliveryForm, Queue, RetryPolicy, SplitMix64};
use event_contracts::{decode, upcast_to_latest, ProductEvent};

use crate::error::{sdk_error, AwsError};

/// SQS's longest long-poll wait and largest batch.
const MAX_WAIT_SECONDS: i32 = 20;
const MAX_BATCH: i32 = 10;
/// SQS's longest visibility timeout: 12 hours.
const MAX_VISIBILITY_SECONDS: u64 = 43_200;

/// What the handler is told about the message besides the event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// The queue it came from.
    pub queue: Queue,
    /// SQS's message id.
    pub message_id: String,
    /// How many times SQS has delivered it, this time included (1 on the first).
    pub receive_count: u32,
    /// Whether SNS delivered the bare event or its notification envelope.
    pub form: DeliveryForm,
    /// The event's `version` as sent, before upcasting.
    pub sent_version: String,
}

/// What the consumer did with one message.
#[derive(Debug, Clone, PartialEq)]
pub enum Disposition {
    /// The handler succeeded and the message was deleted.
    Handled,
    /// The handler failed; the message becomes visible again after `delay`.
    Retried {
        /// How long until the next receive.
        delay: Duration,
        /// The handler's error.
        error: String,
    },
    /// The body is not a valid event (or cannot be upcast). The handler was not called;
    /// the message was made visible at once, so the redrive policy moves it to the
    /// dead-letter queue after `maxReceiveCount` receives without waiting for retries
    /// that cannot help.
    Rejected {
        /// Why it was rejected.
        error: String,
    },
    /// Shutdown came before the message was started; it was made visible at once for
    /// another consumer.
    Released,
}

/// One message's outcome, for [`Consumer::on_report`].
#[derive(Debug, Clone, PartialEq)]
pub struct MessageReport {
    /// SQS's message id.
    pub message_id: String,
    /// The receive count SQS reported.
    pub receive_count: u32,
    /// What was done.
    pub disposition: Disposition,
    /// Deleting or changing the visibility failed: the message will be received again
    /// when its visibility timeout ends (at-least-once delivery).
    pub acknowledge_error: Option<String>,
}

/// Counts of what a consumer did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ConsumerStats {
    /// `ReceiveMessage` calls.
    pub receives: u64,
    /// Messages received.
    pub messages: u64,
    /// Handled and deleted.
    pub handled: u64,
    /// Failed by the handler and left for a retry.
    pub retried: u64,
    /// Not valid events.
    pub rejected: u64,
    /// Released unstarted at shutdown.
    pub released: u64,
}

type Observer = Arc<dyn Fn(&MessageReport) + Send + Sync>;

/// Consumes one queue of the routing contract.
pub struct Consumer {
    sqs: aws_sdk_sqs::Client,
    queue: Queue,
    url: String,
    policy: RetryPolicy,
    wait_seconds: i32,
    batch: i32,
    jitter: Mutex<SplitMix64>,
    observer: Option<Observer>,
}

impl fmt::Debug for Consumer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Consumer")
            .field("queue", &self.queue)
            .field("url", &self.url)
            .field("policy", &self.policy)
            .field("wait_seconds", &self.wait_seconds)
            .field("batch", &self.batch)
            .finish_non_exhaustive()
    }
}

impl Consumer {
    /// A consumer of `queue`, which must exist: long polling for 20 s, batches of 10,
    /// the contract's retry policy.
    pub async fn connect(sqs: aws_sdk_sqs::Client, queue: Queue) -> Result<Self, AwsError> {
        let url = queue_url(&sqs, queue.name()).await?;
        Ok(Consumer {
            sqs,
            queue,
            url,
            policy: routing::RETRY_POLICY,
            wait_seconds: MAX_WAIT_SECONDS,
            batch: MAX_BATCH,
            jitter: Mutex::new(SplitMix64::from_entropy()),
            observer: None,
        })
    }

    /// Uses `policy` for the delays between receives of a failing message.
    pub fn with_retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// Waits up to `wait` (at most 20 s; 0 is short polling) for messages per receive.
    pub fn with_wait_time(mut self, wait: Duration) -> Self {
        self.wait_seconds =
            i32::try_from(wait.as_secs().min(MAX_WAIT_SECONDS as u64)).unwrap_or(MAX_WAIT_SECONDS);
        self
    }

    /// Receives up to `size` messages at a time (1 to 10).
    pub fn with_batch_size(mut self, size: u8) -> Self {
        self.batch = i32::from(size).clamp(1, MAX_BATCH);
        self
    }

    /// Seeds the jitter of the retry delays, for reproducible runs.
    pub fn with_jitter_seed(self, seed: u64) -> Self {
        Consumer {
            jitter: Mutex::new(SplitMix64::new(seed)),
            ..self
        }
    }

    /// Calls `observer` with every message's outcome (for logs and metrics).
    pub fn on_report(mut self, observer: impl Fn(&MessageReport) + Send + Sync + 'static) -> Self {
        self.observer = Some(Arc::new(observer));
        self
    }

    /// The queue's URL.
    pub fn queue_url(&self) -> &str {
        &self.url
    }

    /// Runs until `shutdown` completes. Shutdown during a receive ends at once; during a
    /// batch it lets the message in hand finish (handler, then delete or retry) and
    /// releases the rest. Fails only if receiving fails (after the SDK's own retries).
    pub async fn run<H, Fut, E, S>(
        &self,
        mut handler: H,
        shutdown: S,
    ) -> Result<ConsumerStats, AwsError>
    where
        H: FnMut(ProductEvent, Delivery) -> Fut,
        Fut: Future<Output = Result<(), E>>,
        E: fmt::Display,
        S: Future<Output = ()>,
    {
        tokio::pin!(shutdown);
        let mut stats = ConsumerStats::default();
        loop {
            let messages = tokio::select! {
                biased;
                () = &mut shutdown => return Ok(stats),
                received = self.receive() => received?,
            };
            stats.receives += 1;
            stats.messages += messages.len() as u64;
            let mut messages = messages.into_iter();
            while let Some(message) = messages.next() {
                let stopping = tokio::select! {
                    biased;
                    () = &mut shutdown => true,
                    () = std::future::ready(()) => false,
                };
                if stopping {
                    for unstarted in std::iter::once(message).chain(messages) {
                        self.release(&unstarted, &mut stats).await;
                    }
                    return Ok(stats);
                }
                self.process(message, &mut handler, &mut stats).await;
            }
        }
    }

    /// One receive (waiting up to the wait time) and every message of it.
    pub async fn poll_once<H, Fut, E>(&self, mut handler: H) -> Result<ConsumerStats, AwsError>
    where
        H: FnMut(ProductEvent, Delivery) -> Fut,
        Fut: Future<Output = Result<(), E>>,
        E: fmt::Display,
    {
        let mut stats = ConsumerStats::default();
        let messages = self.receive().await?;
        stats.receives = 1;
        stats.messages = messages.len() as u64;
        for message in messages {
            self.process(message, &mut handler, &mut stats).await;
        }
        Ok(stats)
    }

    async fn receive(&self) -> Result<Vec<Message>, AwsError> {
        let received = self
            .sqs
            .receive_message()
            .queue_url(&self.url)
            .max_number_of_messages(self.batch)
            .wait_time_seconds(self.wait_seconds)
            .message_system_attribute_names(MessageSystemAttributeName::ApproximateReceiveCount)
            .message_attribute_names("All")
            .send()
            .await
            .map_err(|e| sdk_error("sqs:ReceiveMessage", self.queue.name(), e))?;
        Ok(received.messages.unwrap_or_default())
    }

    async fn process<H, Fut, E>(&self, message: Message, handler: &mut H, stats: &mut ConsumerStats)
    where
        H: FnMut(ProductEvent, Delivery) -> Fut,
        Fut: Future<Output = Result<(), E>>,
        E: fmt::Display,
    {
        let receive_count = receive_count(&message);
        let message_id = message.message_id().unwrap_or_default().to_owned();
        let Some(receipt) = message.receipt_handle() else {
            // Without a receipt handle the message cannot be acknowledged; SQS will
            // deliver it again.
            stats.rejected += 1;
            self.report(MessageReport {
                message_id,
                receive_count,
                disposition: Disposition::Rejected {
                    error: "the message has no receipt handle".to_owned(),
                },
                acknowledge_error: None,
            });
            return;
        };
        let body = message.body().unwrap_or_default();
        let (disposition, acknowledge) = match read_event(body) {
            Err(error) => {
                stats.rejected += 1;
                let ack = self.change_visibility(receipt, 0).await;
                (Disposition::Rejected { error }, ack)
            }
            Ok((event, form, sent_version)) => {
                let delivery = Delivery {
                    queue: self.queue,
                    message_id: message_id.clone(),
                    receive_count,
                    form,
                    sent_version,
                };
                match handler(event, delivery).await {
                    Ok(()) => {
                        stats.handled += 1;
                        let ack = self
                            .sqs
                            .delete_message()
                            .queue_url(&self.url)
                            .receipt_handle(receipt)
                            .send()
                            .await
                            .map(|_| ())
                            .map_err(|e| sdk_error("sqs:DeleteMessage", self.queue.name(), e));
                        (Disposition::Handled, ack)
                    }
                    Err(error) => {
                        stats.retried += 1;
                        let delay = self.retry_delay(receive_count);
                        let seconds = delay.as_secs_f64().ceil() as u64;
                        let ack = self
                            .change_visibility(receipt, seconds.min(MAX_VISIBILITY_SECONDS))
                            .await;
                        (
                            Disposition::Retried {
                                delay,
                                error: error.to_string(),
                            },
                            ack,
                        )
                    }
                }
            }
        };
        self.report(MessageReport {
            message_id,
            receive_count,
            disposition,
            acknowledge_error: acknowledge.err().map(|e| e.to_string()),
        });
    }

    /// The delay before the next receive of a message that failed on receive `count`.
    fn retry_delay(&self, count: u32) -> Duration {
        let mut jitter = self.jitter.lock().unwrap_or_else(PoisonError::into_inner);
        self.policy.delay(count.saturating_sub(1), &mut *jitter)
    }

    async fn release(&self, message: &Message, stats: &mut ConsumerStats) {
        stats.released += 1;
        let acknowledge = match message.receipt_handle() {
            Some(receipt) => self.change_visibility(receipt, 0).await,
            None => Ok(()),
        };
        self.report(MessageReport {
            message_id: message.message_id().unwrap_or_default().to_owned(),
            receive_count: receive_count(message),
            disposition: Disposition::Released,
            acknowledge_error: acknowledge.err().map(|e| e.to_string()),
        });
    }

    async fn change_visibility(&self, receipt: &str, seconds: u64) -> Result<(), AwsError> {
        self.sqs
            .change_message_visibility()
            .queue_url(&self.url)
            .receipt_handle(receipt)
            .visibility_timeout(i32::try_from(seconds).unwrap_or(i32::MAX))
            .send()
            .await
            .map(|_| ())
            .map_err(|e| sdk_error("sqs:ChangeMessageVisibility", self.queue.name(), e))
    }

    fn report(&self, report: MessageReport) {
        if let Some(observer) = &self.observer {
            observer(&report);
        }
    }
}

/// The URL of the queue named `name`, or [`AwsError::QueueMissing`].
pub(crate) async fn queue_url(sqs: &aws_sdk_sqs::Client, name: &str) -> Result<String, AwsError> {
    match sqs.get_queue_url().queue_name(name).send().await {
        Ok(found) => Ok(found
            .queue_url()
            .ok_or(AwsError::MissingInResponse {
                operation: "sqs:GetQueueUrl",
                resource: name.to_owned(),
                missing: "QueueUrl",
            })?
            .to_owned()),
        Err(error)
            if error
                .as_service_error()
                .is_some_and(|e| e.is_queue_does_not_exist()) =>
        {
            Err(AwsError::QueueMissing {
                name: name.to_owned(),
            })
        }
        Err(error) => Err(sdk_error("sqs:GetQueueUrl", name, error)),
    }
}

/// The receive count SQS reports (1 if it reports none).
fn receive_count(message: &Message) -> u32 {
    message
        .attributes()
        .and_then(|a| a.get(&MessageSystemAttributeName::ApproximateReceiveCount))
        .and_then(|count| count.parse().ok())
        .unwrap_or(1)
}

/// The event in an SQS body (bare or in an SNS envelope), decoded and upcast.
fn read_event(body: &str) -> Result<(ProductEvent, DeliveryForm, String), String> {
    let body = routing::decode_body(body).map_err(|e| e.to_string())?;
    let event = decode(body.event.as_bytes()).map_err(|e| e.to_string())?;
    let sent_version = event.version().as_str().to_owned();
    let latest = upcast_to_latest(&event).map_err(|e| e.to_string())?;
    Ok((latest, body.form, sent_version))
}
