//! The consumer of one queue: receive, decode, upcast, handle, then delete, retry or
//! dead-letter, with up to N messages in flight.
//!
//! The rules, each a promise that `docs/RELIABILITY.md` backs with a test:
//!
//! - **Nothing is received that cannot be started at once.** A receive asks for at most
//!   as many messages as there are free handler slots, so no message waits in memory
//!   while its visibility clock runs, and shutdown never holds unstarted messages whose
//!   receive count it used up. A message whose visibility is (nearly) over by the time it
//!   would start (the receive answered late, the process was paused) is released
//!   instead of started.
//! - **A handler's message stays invisible while the handler runs**: a heartbeat
//!   (`ChangeMessageVisibility`) renews the visibility timeout every third of it, and a
//!   handler that outlives its timeout counts as failed.
//! - **Handling failures are retried `maxRetries` times**, each after the retry policy's
//!   delay in whole seconds (randomized rounding keeps the jitter's mean); after the
//!   last, the consumer moves the message to the dead-letter queue itself, with the
//!   reason. SQS's redrive (`maxReceiveCount`, at least `maxRetries + 1`, which the build
//!   checks) is the backstop for receives that end without a decision.
//! - **Poison goes straight to the dead-letter queue**: a body that is not a valid event
//!   is sent there after one receive, with the reason, then deleted.
//! - **Events this build cannot read yet are not poison**: an unknown event type or an
//!   unsupported major (a publisher deployed before its consumers) is left in the queue
//!   for [`Consumer::with_unsupported_delay`] (default 1 hour) and only dead-lettered,
//!   with its reason, on the receive that reaches `maxReceiveCount`.
//! - **A receive error never ends the loop** (except a queue that does not exist): it is
//!   reported and retried with jittered exponential backoff. Every SDK call has a
//!   timeout.
//! - **Optionally, each `eventId` is handled at most once within a window**
//!   ([`Consumer::with_deduplication`]).

use std::fmt;
use std::future::Future;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use aws_sdk_sqs::config::timeout::TimeoutConfig;
use aws_sdk_sqs::types::{Message, MessageAttributeValue, MessageSystemAttributeName};
use event_contracts::routing::{self, DeliveryForm, Queue, RetryPolicy, SplitMix64};
use event_contracts::{decode, upcast_to_latest, DecodeError, ProductEvent};
use futures_util::stream::{FuturesUnordered, StreamExt};

use crate::dedup::{Claim, Deduplicator};
use crate::error::{sdk_error, AwsError};

/// SQS's longest long-poll wait and largest batch.
const MAX_WAIT_SECONDS: i32 = 20;
const MAX_BATCH: usize = 10;
/// SQS's longest visibility timeout: 12 hours.
const MAX_VISIBILITY_SECONDS: u64 = 43_200;
/// How long an SDK call may take (per attempt), beyond a receive's long-poll wait.
const DEFAULT_OPERATION_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a handler may run before it counts as failed.
const DEFAULT_HANDLER_TIMEOUT: Duration = Duration::from_secs(300);
/// How long an event this build cannot read waits before its next receive.
const DEFAULT_UNSUPPORTED_DELAY: Duration = Duration::from_secs(3600);
/// A message is started only while at least this share of its visibility timeout is left.
const START_MARGIN_DIVISOR: u32 = 2;
/// The backoff between failed receives: 200 ms doubling to 20 s, jittered.
const RECEIVE_BACKOFF: RetryPolicy = RetryPolicy {
    max_retries: u32::MAX,
    multiplier: 2.0,
    initial_delay: Duration::from_millis(200),
    max_delay: Duration::from_secs(20),
    jitter: true,
};
/// Longest text kept in the dead-letter reason's detail attribute.
const MAX_DETAIL_BYTES: usize = 1024;
/// SQS's limit of message attributes per message.
const MAX_MESSAGE_ATTRIBUTES: usize = 10;

/// The message attribute the consumer sets on what it moves to a dead-letter queue: why
/// (`poison`, `retries-exhausted` or `unsupported`).
pub const DEAD_LETTER_REASON_ATTRIBUTE: &str = "deadLetterReason";
/// The message attribute with the error behind [`DEAD_LETTER_REASON_ATTRIBUTE`].
pub const DEAD_LETTER_DETAIL_ATTRIBUTE: &str = "deadLetterDetail";
/// The message attribute naming the queue a dead-lettered message came from.
pub const SOURCE_QUEUE_ATTRIBUTE: &str = "deadLetterSourceQueue";

/// Why the consumer moved a message to the dead-letter queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeadLetterReason {
    /// The body is not a valid event (not JSON, not an event, invalid against its schema,
    /// an SNS message that is not a notification): no retry can help.
    Poison,
    /// The handler failed on every attempt the retry policy allows.
    RetriesExhausted,
    /// The event's type or major version is unknown to this build, and the message
    /// reached its queue's `maxReceiveCount` waiting for a consumer that knows it.
    Unsupported,
}

impl DeadLetterReason {
    /// The reason as the attribute value.
    pub fn as_str(self) -> &'static str {
        match self {
            DeadLetterReason::Poison => "poison",
            DeadLetterReason::RetriesExhausted => "retries-exhausted",
            DeadLetterReason::Unsupported => "unsupported",
        }
    }
}

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
#[non_exhaustive]
pub enum Disposition {
    /// The handler succeeded and the message was deleted.
    Handled,
    /// The handler failed (or outlived its timeout); the message becomes visible again
    /// after `delay`, in whole seconds.
    Retried {
        /// How long until the next receive.
        delay: Duration,
        /// The handler's error.
        error: String,
    },
    /// The message was sent to the dead-letter queue with `reason`, then deleted.
    DeadLettered {
        /// Why.
        reason: DeadLetterReason,
        /// The error behind it.
        error: String,
    },
    /// The event's type or major is unknown to this build: left for `delay`, not handled.
    Deferred {
        /// How long until the next receive.
        delay: Duration,
        /// What this build could not read.
        error: String,
    },
    /// With de-duplication: the event was handled already within the window; the message
    /// was deleted without calling the handler.
    Duplicate,
    /// With de-duplication: another consumer is handling the same event right now; the
    /// message is left until that claim ends.
    Busy {
        /// How long until the next receive.
        delay: Duration,
    },
    /// The message's visibility was (nearly) over before it could start: it was made
    /// visible again at once, without calling the handler.
    Released,
    /// The message cannot be acknowledged (no receipt handle): SQS will deliver it again.
    Unacknowledgeable,
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
    /// How many heartbeats renewed the visibility while the handler ran.
    pub heartbeats: u32,
    /// Whether the handler outlived its timeout (and was stopped).
    pub timed_out: bool,
    /// Deleting, changing the visibility or dead-lettering failed: the message will be
    /// received again when its visibility timeout ends (at-least-once delivery).
    pub acknowledge_error: Option<String>,
}

/// Counts of what a consumer did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ConsumerStats {
    /// `ReceiveMessage` calls that answered.
    pub receives: u64,
    /// `ReceiveMessage` calls that failed (and were retried after a backoff).
    pub receive_errors: u64,
    /// Messages received.
    pub messages: u64,
    /// Handled and deleted.
    pub handled: u64,
    /// Failed by the handler and left for a retry.
    pub retried: u64,
    /// Moved to the dead-letter queue by the consumer.
    pub dead_lettered: u64,
    /// Left for a consumer that can read them.
    pub deferred: u64,
    /// Deleted as duplicates, or left while another consumer handles them.
    pub duplicates: u64,
    /// Released unstarted because their visibility was nearly over.
    pub released: u64,
    /// Handler calls that outlived the handler timeout.
    pub timeouts: u64,
    /// Visibility renewals while handlers ran.
    pub heartbeats: u64,
    /// Deletes, visibility changes or dead-letter sends that failed.
    pub acknowledge_errors: u64,
}

impl ConsumerStats {
    fn count(&mut self, report: &MessageReport) {
        match &report.disposition {
            Disposition::Handled => self.handled += 1,
            Disposition::Retried { .. } => self.retried += 1,
            Disposition::DeadLettered { .. } => self.dead_lettered += 1,
            Disposition::Deferred { .. } => self.deferred += 1,
            Disposition::Duplicate | Disposition::Busy { .. } => self.duplicates += 1,
            Disposition::Released | Disposition::Unacknowledgeable => self.released += 1,
        }
        self.heartbeats += u64::from(report.heartbeats);
        if report.timed_out {
            self.timeouts += 1;
        }
        if report.acknowledge_error.is_some() {
            self.acknowledge_errors += 1;
        }
    }

    /// Adds `other`'s counts (to sum several [`Consumer::poll_once`] calls).
    pub fn add(&mut self, other: &ConsumerStats) {
        self.receives += other.receives;
        self.receive_errors += other.receive_errors;
        self.messages += other.messages;
        self.handled += other.handled;
        self.retried += other.retried;
        self.dead_lettered += other.dead_lettered;
        self.deferred += other.deferred;
        self.duplicates += other.duplicates;
        self.released += other.released;
        self.timeouts += other.timeouts;
        self.heartbeats += other.heartbeats;
        self.acknowledge_errors += other.acknowledge_errors;
    }
}

type Observer = Arc<dyn Fn(&MessageReport) + Send + Sync>;
type ErrorObserver = Arc<dyn Fn(&AwsError) + Send + Sync>;

/// Consumes one queue of the routing contract.
pub struct Consumer {
    sqs: aws_sdk_sqs::Client,
    queue: Queue,
    url: String,
    dead_letter_url: Option<String>,
    policy: RetryPolicy,
    wait_seconds: i32,
    concurrency: usize,
    visibility: Duration,
    handler_timeout: Duration,
    unsupported_delay: Duration,
    operation_timeout: Duration,
    jitter: Mutex<SplitMix64>,
    observer: Option<Observer>,
    error_observer: Option<ErrorObserver>,
    dedup: Option<Deduplicator>,
    message_limit: Option<u64>,
    idle_exit: Option<Duration>,
}

impl fmt::Debug for Consumer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Consumer")
            .field("queue", &self.queue)
            .field("url", &self.url)
            .field("dead_letter_url", &self.dead_letter_url)
            .field("policy", &self.policy)
            .field("wait_seconds", &self.wait_seconds)
            .field("concurrency", &self.concurrency)
            .field("visibility", &self.visibility)
            .field("handler_timeout", &self.handler_timeout)
            .field("unsupported_delay", &self.unsupported_delay)
            .field("operation_timeout", &self.operation_timeout)
            .field("dedup", &self.dedup)
            .field("message_limit", &self.message_limit)
            .field("idle_exit", &self.idle_exit)
            .finish_non_exhaustive()
    }
}

/// What reading a body gave.
enum Read {
    /// A valid event, upcast to the newest minor.
    Event(Box<ProductEvent>, DeliveryForm, String),
    /// Not an event at all, or invalid: no consumer can ever handle it.
    Poison(String),
    /// An event of a type or major this build does not know.
    Unsupported(String),
}

impl Consumer {
    /// A consumer of `queue`, which must exist (and its dead-letter queue): long polling
    /// for 20 s, 10 messages in flight, the queue's visibility timeout from the
    /// contract, the contract's retry policy, a 5-minute handler timeout.
    pub async fn connect(sqs: aws_sdk_sqs::Client, queue: Queue) -> Result<Self, AwsError> {
        let url = queue_url(&sqs, queue.name()).await?;
        let dead_letter_url = match queue.dead_letter_queue() {
            Some(dlq) => Some(queue_url(&sqs, dlq.name()).await?),
            None => None,
        };
        let mut consumer = Consumer {
            sqs,
            queue,
            url,
            dead_letter_url,
            policy: routing::RETRY_POLICY,
            wait_seconds: MAX_WAIT_SECONDS,
            concurrency: MAX_BATCH,
            visibility: queue.visibility_timeout(),
            handler_timeout: DEFAULT_HANDLER_TIMEOUT,
            unsupported_delay: DEFAULT_UNSUPPORTED_DELAY,
            operation_timeout: DEFAULT_OPERATION_TIMEOUT,
            jitter: Mutex::new(SplitMix64::from_entropy()),
            observer: None,
            error_observer: None,
            dedup: None,
            message_limit: None,
            idle_exit: None,
        };
        consumer.apply_timeouts();
        Ok(consumer)
    }

    /// Gives every SDK call (except a receive's long-poll wait) this long per attempt.
    fn apply_timeouts(&mut self) {
        let config = self
            .sqs
            .config()
            .to_builder()
            .timeout_config(
                TimeoutConfig::builder()
                    .connect_timeout(self.operation_timeout)
                    .operation_attempt_timeout(self.operation_timeout)
                    .operation_timeout(self.operation_timeout * 4)
                    .build(),
            )
            .build();
        self.sqs = aws_sdk_sqs::Client::from_conf(config);
    }

    /// Uses `policy` for the number of retries and the delays between them.
    pub fn with_retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// Waits up to `wait` (at most 20 s; 0 is short polling) for messages per receive.
    /// Shutdown waits for a receive in progress (its messages' receive counts are used
    /// up already, so they are handled, not dropped), so this also bounds how long
    /// shutdown takes before the handlers in flight finish.
    pub fn with_wait_time(mut self, wait: Duration) -> Self {
        self.wait_seconds =
            i32::try_from(wait.as_secs().min(MAX_WAIT_SECONDS as u64)).unwrap_or(MAX_WAIT_SECONDS);
        self
    }

    /// Handles up to `n` messages at once (at least 1). Each receive asks for as many as
    /// there are free slots, at most 10.
    pub fn with_concurrency(mut self, n: usize) -> Self {
        self.concurrency = n.max(1);
        self
    }

    /// Receives up to `size` messages at a time (1 to 10); kept for compatibility, it
    /// sets the concurrency.
    pub fn with_batch_size(self, size: u8) -> Self {
        self.with_concurrency(usize::from(size).clamp(1, MAX_BATCH))
    }

    /// The visibility timeout each receive asks for and each heartbeat renews (1 s to
    /// 12 h; the queue's own by default).
    pub fn with_visibility_timeout(mut self, visibility: Duration) -> Self {
        self.visibility = visibility.clamp(
            Duration::from_secs(1),
            Duration::from_secs(MAX_VISIBILITY_SECONDS),
        );
        self
    }

    /// A handler still running after `timeout` counts as failed (its future is dropped).
    /// At most 11 hours, so that the heartbeat stays within SQS's 12-hour limit.
    pub fn with_handler_timeout(mut self, timeout: Duration) -> Self {
        self.handler_timeout = timeout.clamp(Duration::from_millis(1), Duration::from_secs(39_600));
        self
    }

    /// How long an event of an unknown type or major waits before its next receive
    /// (default 1 hour, at most 12 hours).
    pub fn with_unsupported_delay(mut self, delay: Duration) -> Self {
        self.unsupported_delay = delay.min(Duration::from_secs(MAX_VISIBILITY_SECONDS));
        self
    }

    /// Each SDK call attempt may take this long (a receive: this beyond its wait);
    /// default 10 s.
    pub fn with_operation_timeout(mut self, timeout: Duration) -> Self {
        self.operation_timeout = timeout.max(Duration::from_millis(100));
        self.apply_timeouts();
        self
    }

    /// Handles each `eventId` at most once within the deduplicator's window.
    pub fn with_deduplication(mut self, dedup: Deduplicator) -> Self {
        self.dedup = Some(dedup);
        self
    }

    /// [`Consumer::run`] receives at most `limit` messages, then returns once they are
    /// finished.
    pub fn with_message_limit(mut self, limit: u64) -> Self {
        self.message_limit = Some(limit);
        self
    }

    /// [`Consumer::run`] returns once every receive for `idle` came back empty and no
    /// message is in flight (checked after each receive, so it may take up to the wait
    /// time longer). Failed receives do not count: an endpoint that keeps failing is
    /// retried, not taken for an empty queue.
    pub fn with_idle_exit(mut self, idle: Duration) -> Self {
        self.idle_exit = Some(idle);
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

    /// Calls `observer` with every receive error before the loop backs off and retries.
    pub fn on_receive_error(
        mut self,
        observer: impl Fn(&AwsError) + Send + Sync + 'static,
    ) -> Self {
        self.error_observer = Some(Arc::new(observer));
        self
    }

    /// The queue's URL.
    pub fn queue_url(&self) -> &str {
        &self.url
    }

    /// How many times a failing message is handled before the consumer dead-letters it:
    /// `maxRetries + 1`, and never more than the queue's `maxReceiveCount`.
    pub fn max_attempts(&self) -> u32 {
        let attempts = self.policy.max_attempts();
        self.queue
            .max_receive_count()
            .map_or(attempts, |count| attempts.min(count))
    }

    /// Runs until `shutdown` completes, then stops receiving and returns once the
    /// messages in flight are finished (handled, retried or dead-lettered); a receive in
    /// progress is waited for and its messages handled. Fails only if the queue does not
    /// exist: every other receive error is reported to [`Consumer::on_receive_error`] and
    /// retried after a jittered backoff.
    pub async fn run<H, Fut, E, S>(
        &self,
        handler: H,
        shutdown: S,
    ) -> Result<ConsumerStats, AwsError>
    where
        H: Fn(ProductEvent, Delivery) -> Fut,
        Fut: Future<Output = Result<(), E>>,
        E: fmt::Display,
        S: Future<Output = ()>,
    {
        tokio::pin!(shutdown);
        let mut stats = ConsumerStats::default();
        let mut in_flight = FuturesUnordered::new();
        let mut stopping = false;
        let mut failures: u32 = 0;
        // Since when every receive that answered came back empty; failed receives say
        // nothing about the queue, so they neither start nor end an idle spell.
        let mut idle_since: Option<Instant> = None;
        loop {
            let left = self
                .message_limit
                .map_or(u64::MAX, |limit| limit.saturating_sub(stats.messages));
            let idle = self.idle_exit.is_some_and(|idle| {
                in_flight.is_empty() && idle_since.is_some_and(|since| since.elapsed() >= idle)
            });
            if stopping || left == 0 || idle {
                while let Some(report) = in_flight.next().await {
                    stats.count(&report);
                }
                return Ok(stats);
            }
            let free = self.concurrency.saturating_sub(in_flight.len());
            if free == 0 {
                tokio::select! {
                    () = &mut shutdown, if !stopping => stopping = true,
                    Some(report) = in_flight.next() => stats.count(&report),
                }
                continue;
            }
            let wanted = free
                .min(MAX_BATCH)
                .min(usize::try_from(left).unwrap_or(MAX_BATCH));
            let receive = self.receive(wanted);
            tokio::pin!(receive);
            let received = loop {
                tokio::select! {
                    received = &mut receive => break received,
                    Some(report) = in_flight.next(), if !in_flight.is_empty() => stats.count(&report),
                    // Keep waiting for the receive: what it returns has used a receive
                    // count, so it is handled rather than dropped.
                    () = &mut shutdown, if !stopping => stopping = true,
                }
            };
            match received {
                Ok((messages, at)) => {
                    failures = 0;
                    if messages.is_empty() {
                        idle_since.get_or_insert(at);
                    } else {
                        idle_since = None;
                    }
                    stats.receives += 1;
                    stats.messages += messages.len() as u64;
                    for message in messages {
                        in_flight.push(self.process(message, at, &handler));
                    }
                }
                Err(error @ AwsError::QueueMissing { .. }) => {
                    while let Some(report) = in_flight.next().await {
                        stats.count(&report);
                    }
                    return Err(error);
                }
                Err(error) => {
                    stats.receive_errors += 1;
                    if let Some(observer) = &self.error_observer {
                        observer(&error);
                    }
                    let pause = {
                        let mut jitter = self.jitter.lock().unwrap_or_else(PoisonError::into_inner);
                        RECEIVE_BACKOFF.delay(failures, &mut *jitter)
                    };
                    failures = failures.saturating_add(1);
                    let sleep = tokio::time::sleep(pause);
                    tokio::pin!(sleep);
                    loop {
                        tokio::select! {
                            () = &mut sleep => break,
                            Some(report) = in_flight.next(), if !in_flight.is_empty() => stats.count(&report),
                            () = &mut shutdown, if !stopping => { stopping = true; break }
                        }
                    }
                }
            }
        }
    }

    /// One receive (waiting up to the wait time) and every message of it, handled
    /// concurrently up to the concurrency.
    pub async fn poll_once<H, Fut, E>(&self, handler: H) -> Result<ConsumerStats, AwsError>
    where
        H: Fn(ProductEvent, Delivery) -> Fut,
        Fut: Future<Output = Result<(), E>>,
        E: fmt::Display,
    {
        let mut stats = ConsumerStats::default();
        let (messages, at) = self.receive(self.concurrency.min(MAX_BATCH)).await?;
        stats.receives = 1;
        stats.messages = messages.len() as u64;
        let mut in_flight: FuturesUnordered<_> = messages
            .into_iter()
            .map(|message| self.process(message, at, &handler))
            .collect();
        while let Some(report) = in_flight.next().await {
            stats.count(&report);
        }
        Ok(stats)
    }

    async fn receive(&self, count: usize) -> Result<(Vec<Message>, Instant), AwsError> {
        let wait = Duration::from_secs(u64::try_from(self.wait_seconds).unwrap_or(0));
        let attempt = wait + self.operation_timeout;
        let received = self
            .sqs
            .receive_message()
            .queue_url(&self.url)
            .max_number_of_messages(i32::try_from(count).unwrap_or(10))
            .wait_time_seconds(self.wait_seconds)
            .visibility_timeout(seconds_i32(self.visibility))
            .message_system_attribute_names(MessageSystemAttributeName::ApproximateReceiveCount)
            .message_attribute_names("All")
            .customize()
            .config_override(
                aws_sdk_sqs::config::Builder::new().timeout_config(
                    TimeoutConfig::builder()
                        .operation_attempt_timeout(attempt)
                        .operation_timeout(attempt * 3)
                        .build(),
                ),
            )
            .send()
            .await;
        // The visibility clock started when SQS answered, which is no later than now.
        let at = Instant::now();
        match received {
            Ok(received) => Ok((received.messages.unwrap_or_default(), at)),
            Err(error)
                if error
                    .as_service_error()
                    .is_some_and(|e| e.is_queue_does_not_exist()) =>
            {
                Err(AwsError::QueueMissing {
                    name: self.queue.name().to_owned(),
                })
            }
            Err(error) => Err(sdk_error("sqs:ReceiveMessage", self.queue.name(), error)),
        }
    }

    async fn process<H, Fut, E>(
        &self,
        message: Message,
        received_at: Instant,
        handler: &H,
    ) -> MessageReport
    where
        H: Fn(ProductEvent, Delivery) -> Fut,
        Fut: Future<Output = Result<(), E>>,
        E: fmt::Display,
    {
        let receive_count = receive_count(&message);
        let message_id = message.message_id().unwrap_or_default().to_owned();
        let mut report = MessageReport {
            message_id: message_id.clone(),
            receive_count,
            disposition: Disposition::Unacknowledgeable,
            heartbeats: 0,
            timed_out: false,
            acknowledge_error: None,
        };
        let Some(receipt) = message.receipt_handle() else {
            self.report(&report);
            return report;
        };
        if should_release(received_at.elapsed(), self.visibility) {
            report.disposition = Disposition::Released;
            report.acknowledge_error = self
                .change_visibility(receipt, 0)
                .await
                .err()
                .map(|e| e.to_string());
            self.report(&report);
            return report;
        }
        let (disposition, acknowledged) = match read_event(message.body().unwrap_or_default()) {
            Read::Poison(error) => {
                self.dead_letter(&message, receipt, DeadLetterReason::Poison, error)
                    .await
            }
            Read::Unsupported(error) => {
                let last = self
                    .queue
                    .max_receive_count()
                    .is_some_and(|max| receive_count >= max);
                if last {
                    self.dead_letter(&message, receipt, DeadLetterReason::Unsupported, error)
                        .await
                } else {
                    let delay = whole_seconds(self.unsupported_delay);
                    let ack = self.change_visibility(receipt, delay.as_secs()).await;
                    (Disposition::Deferred { delay, error }, ack)
                }
            }
            Read::Event(event, form, sent_version) => {
                let delivery = Delivery {
                    queue: self.queue,
                    message_id,
                    receive_count,
                    form,
                    sent_version,
                };
                self.handle(&message, receipt, *event, delivery, handler, &mut report)
                    .await
            }
        };
        report.disposition = disposition;
        report.acknowledge_error = acknowledged.err().map(|e| e.to_string());
        self.report(&report);
        report
    }

    /// De-duplication, the handler under heartbeat and timeout, then the outcome.
    async fn handle<H, Fut, E>(
        &self,
        message: &Message,
        receipt: &str,
        event: ProductEvent,
        delivery: Delivery,
        handler: &H,
        report: &mut MessageReport,
    ) -> (Disposition, Result<(), AwsError>)
    where
        H: Fn(ProductEvent, Delivery) -> Fut,
        Fut: Future<Output = Result<(), E>>,
        E: fmt::Display,
    {
        let receive_count = delivery.receive_count;
        let event_id = *event.event_id();
        if let Some(dedup) = &self.dedup {
            // The claim outlives the handler's timeout, so it cannot lapse while the
            // handler still runs.
            let lease = self.handler_timeout + self.operation_timeout * 2;
            match dedup.claim(event_id, lease).await {
                Ok(Claim::Claimed) => {}
                Ok(Claim::Done) => return (Disposition::Duplicate, self.delete(receipt).await),
                Ok(Claim::Busy { remaining }) => {
                    let delay = whole_seconds(remaining + Duration::from_secs(1));
                    let ack = self.change_visibility(receipt, delay.as_secs()).await;
                    return (Disposition::Busy { delay }, ack);
                }
                Err(error) => {
                    return self
                        .failed(
                            message,
                            receipt,
                            receive_count,
                            format!("de-duplication: {error}"),
                        )
                        .await
                }
            }
        }
        let beats = AtomicU32::new(0);
        let outcome = self
            .with_heartbeat(handler(event, delivery), receipt, &beats)
            .await;
        report.heartbeats = beats.load(Ordering::Relaxed);
        match outcome {
            Some(Ok(())) => {
                if let Some(dedup) = &self.dedup {
                    // Recorded before the delete: a delete that fails then finds the
                    // event done on its next receive instead of handling it again.
                    if let Err(error) = dedup.complete(event_id).await {
                        let ack = self.delete(receipt).await;
                        return (Disposition::Handled, ack.and(Err(error)));
                    }
                }
                (Disposition::Handled, self.delete(receipt).await)
            }
            Some(Err(error)) => {
                if let Some(dedup) = &self.dedup {
                    let _ = dedup.release(event_id).await;
                }
                self.failed(message, receipt, receive_count, error.to_string())
                    .await
            }
            None => {
                report.timed_out = true;
                if let Some(dedup) = &self.dedup {
                    let _ = dedup.release(event_id).await;
                }
                let error = format!(
                    "the handler did not finish within its timeout of {:?}",
                    self.handler_timeout
                );
                self.failed(message, receipt, receive_count, error).await
            }
        }
    }

    /// A handling failure on receive `count`: retry after the policy's delay, or, with
    /// no retry left, dead-letter.
    async fn failed(
        &self,
        message: &Message,
        receipt: &str,
        count: u32,
        error: String,
    ) -> (Disposition, Result<(), AwsError>) {
        if count >= self.max_attempts() {
            return self
                .dead_letter(message, receipt, DeadLetterReason::RetriesExhausted, error)
                .await;
        }
        let seconds = {
            let mut jitter = self.jitter.lock().unwrap_or_else(PoisonError::into_inner);
            self.policy
                .delay_seconds(count.saturating_sub(1), &mut *jitter)
        }
        .min(MAX_VISIBILITY_SECONDS);
        let ack = self.change_visibility(receipt, seconds).await;
        (
            Disposition::Retried {
                delay: Duration::from_secs(seconds),
                error,
            },
            ack,
        )
    }

    /// Runs `work` while renewing the message's visibility every third of the timeout;
    /// `None` if it outlived the handler timeout.
    async fn with_heartbeat<F: Future>(
        &self,
        work: F,
        receipt: &str,
        beats: &AtomicU32,
    ) -> Option<F::Output> {
        let interval = heartbeat_interval(self.visibility);
        let heartbeat = async {
            loop {
                tokio::time::sleep(interval).await;
                // A failed renewal is not fatal: the next one may work, and at worst the
                // message is received again (at-least-once).
                if self
                    .change_visibility(receipt, self.visibility.as_secs())
                    .await
                    .is_ok()
                {
                    beats.fetch_add(1, Ordering::Relaxed);
                }
            }
        };
        tokio::select! {
            finished = tokio::time::timeout(self.handler_timeout, work) => finished.ok(),
            () = heartbeat => None,
        }
    }

    /// Sends the message to the dead-letter queue with the reason, then deletes it; if
    /// the send fails, the message is left for a retry instead (nothing is deleted
    /// before the dead-letter queue has it).
    async fn dead_letter(
        &self,
        message: &Message,
        receipt: &str,
        reason: DeadLetterReason,
        error: String,
    ) -> (Disposition, Result<(), AwsError>) {
        let sent = match &self.dead_letter_url {
            Some(url) => self.send_dead_letter(url, message, reason, &error).await,
            None => Err(AwsError::QueueMissing {
                name: format!("dead-letter queue of {}", self.queue.name()),
            }),
        };
        match sent {
            Ok(()) => (
                Disposition::DeadLettered { reason, error },
                self.delete(receipt).await,
            ),
            Err(send_error) => {
                // SQS's redrive takes it once it reaches maxReceiveCount.
                let seconds = {
                    let mut jitter = self.jitter.lock().unwrap_or_else(PoisonError::into_inner);
                    self.policy.delay_seconds(0, &mut *jitter)
                };
                let ack = self.change_visibility(receipt, seconds).await;
                (
                    Disposition::Retried {
                        delay: Duration::from_secs(seconds),
                        error: format!("{error} (and sending it to the dead-letter queue failed)"),
                    },
                    ack.and(Err(send_error)),
                )
            }
        }
    }

    async fn send_dead_letter(
        &self,
        url: &str,
        message: &Message,
        reason: DeadLetterReason,
        error: &str,
    ) -> Result<(), AwsError> {
        let attributes = dead_letter_attributes(
            message.message_attributes(),
            reason,
            error,
            self.queue.name(),
        )?;
        let dlq = self.queue.dead_letter_queue().map_or("", |q| q.name());
        self.sqs
            .send_message()
            .queue_url(url)
            .message_body(message.body().unwrap_or_default())
            .set_message_attributes(Some(attributes))
            .send()
            .await
            .map(|_| ())
            .map_err(|e| sdk_error("sqs:SendMessage", dlq, e))
    }

    async fn delete(&self, receipt: &str) -> Result<(), AwsError> {
        self.sqs
            .delete_message()
            .queue_url(&self.url)
            .receipt_handle(receipt)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| sdk_error("sqs:DeleteMessage", self.queue.name(), e))
    }

    async fn change_visibility(&self, receipt: &str, seconds: u64) -> Result<(), AwsError> {
        self.sqs
            .change_message_visibility()
            .queue_url(&self.url)
            .receipt_handle(receipt)
            .visibility_timeout(
                i32::try_from(seconds.min(MAX_VISIBILITY_SECONDS)).unwrap_or(i32::MAX),
            )
            .send()
            .await
            .map(|_| ())
            .map_err(|e| sdk_error("sqs:ChangeMessageVisibility", self.queue.name(), e))
    }

    fn report(&self, report: &MessageReport) {
        if let Some(observer) = &self.observer {
            observer(report);
        }
    }
}

/// The message attributes of a dead-lettered message: the original ones (a previous
/// dead-letter reason removed), then the reason, its detail and the source queue, as
/// many as fit SQS's 10.
pub(crate) fn dead_letter_attributes(
    original: Option<&std::collections::HashMap<String, MessageAttributeValue>>,
    reason: DeadLetterReason,
    error: &str,
    source: &str,
) -> Result<std::collections::HashMap<String, MessageAttributeValue>, AwsError> {
    let mut attributes = original.cloned().unwrap_or_default();
    for own in OWN_ATTRIBUTES {
        attributes.remove(own);
    }
    let ours = [
        (DEAD_LETTER_REASON_ATTRIBUTE, reason.as_str().to_owned()),
        (SOURCE_QUEUE_ATTRIBUTE, source.to_owned()),
        (
            DEAD_LETTER_DETAIL_ATTRIBUTE,
            truncate(error, MAX_DETAIL_BYTES),
        ),
    ];
    for (name, value) in ours {
        if attributes.len() >= MAX_MESSAGE_ATTRIBUTES {
            break;
        }
        let value = MessageAttributeValue::builder()
            .data_type("String")
            .string_value(if value.is_empty() {
                "-".to_owned()
            } else {
                value
            })
            .build()
            .map_err(|e| sdk_error("sqs:SendMessage", name, e))?;
        attributes.insert(name.to_owned(), value);
    }
    Ok(attributes)
}

/// The attributes this crate sets on dead-lettered messages (removed when they go back).
pub(crate) const OWN_ATTRIBUTES: [&str; 3] = [
    DEAD_LETTER_REASON_ATTRIBUTE,
    DEAD_LETTER_DETAIL_ATTRIBUTE,
    SOURCE_QUEUE_ATTRIBUTE,
];

/// At most `max` bytes of `text`, cut at a character boundary.
fn truncate(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_owned();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_owned()
}

/// Whether a message received `elapsed` ago has too little of its `visibility` left to
/// be started: less than half. Its receipt may be stale by the time the handler
/// finishes, and another consumer may receive it meanwhile.
pub(crate) fn should_release(elapsed: Duration, visibility: Duration) -> bool {
    elapsed.saturating_mul(START_MARGIN_DIVISOR) >= visibility
}

/// How often the heartbeat renews a visibility timeout: every third of it, at least
/// every 500 ms.
pub(crate) fn heartbeat_interval(visibility: Duration) -> Duration {
    (visibility / 3).max(Duration::from_millis(500))
}

/// A delay in whole seconds, rounded up.
fn whole_seconds(delay: Duration) -> Duration {
    let mut seconds = delay.as_secs();
    if delay.subsec_nanos() > 0 {
        seconds += 1;
    }
    Duration::from_secs(seconds.min(MAX_VISIBILITY_SECONDS))
}

fn seconds_i32(duration: Duration) -> i32 {
    i32::try_from(duration.as_secs().min(MAX_VISIBILITY_SECONDS)).unwrap_or(i32::MAX)
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

/// The event in an SQS body (bare or in an SNS envelope), decoded and upcast, or why not.
fn read_event(body: &str) -> Read {
    let body = match routing::decode_body(body) {
        Ok(body) => body,
        Err(error) => return Read::Poison(error.to_string()),
    };
    let event = match decode(body.event.as_bytes()) {
        Ok(event) => event,
        Err(
            error @ (DecodeError::UnknownEventType { .. } | DecodeError::UnsupportedVersion { .. }),
        ) => return Read::Unsupported(error.to_string()),
        Err(error) => return Read::Poison(error.to_string()),
    };
    let sent_version = event.version().as_str().to_owned();
    match upcast_to_latest(&event) {
        Ok(latest) => Read::Event(Box::new(latest), body.form, sent_version),
        Err(error) => Read::Poison(error.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_is_started_only_with_half_its_visibility_left() {
        let thirty = Duration::from_secs(30);
        assert!(!should_release(Duration::ZERO, thirty));
        assert!(!should_release(Duration::from_millis(14_999), thirty));
        assert!(should_release(Duration::from_secs(15), thirty));
        assert!(should_release(Duration::from_secs(31), thirty));
        assert!(should_release(Duration::MAX, thirty), "no overflow");
    }

    #[test]
    fn the_heartbeat_renews_every_third_of_the_visibility() {
        assert_eq!(
            heartbeat_interval(Duration::from_secs(30)),
            Duration::from_secs(10)
        );
        assert_eq!(
            heartbeat_interval(Duration::from_secs(1)),
            Duration::from_millis(500)
        );
    }

    #[test]
    fn bodies_are_sorted_into_events_poison_and_unsupported() {
        let event = r#"{"eventId":"5f0c8a52-3a6b-4d8e-9c1f-2b7a4e6d8f10","version":"1.0.0","timestamp":"2026-03-01T12:00:00Z","correlationId":"0b7e4c1a-5d2f-4a3b-9c8d-7e6f5a4b3c2d","source":"catalog-service","userId":"d7a7a3cc-8c3d-4f16-9293-de8fc88b2875","eventType":"ProductDeleted","data":{"productId":"5f0c8a52-3a6b-4d8e-9c1f-2b7a4e6d8f11","deletedAt":"2026-03-03T09:00:00Z"}}"#;
        assert!(
            matches!(read_event(event), Read::Event(..)),
            "a valid event"
        );
        let newer_major = event.replace("\"1.0.0\"", "\"9.0.0\"");
        let Read::Unsupported(why) = read_event(&newer_major) else {
            panic!("a newer major is not poison")
        };
        assert!(why.contains("9.0.0"), "{why}");
        let unknown = event.replace("ProductDeleted", "ProductRecalled");
        assert!(
            matches!(read_event(&unknown), Read::Unsupported(_)),
            "an unknown type"
        );
        for poison in [
            "not json",
            "[]",
            r#"{"eventType":"ProductDeleted","version":"1.0.0"}"#,
        ] {
            assert!(matches!(read_event(poison), Read::Poison(_)), "{poison}");
        }
    }

    #[test]
    fn dead_letter_attributes_keep_the_originals_and_fit_ten() {
        let string = |v: &str| {
            MessageAttributeValue::builder()
                .data_type("String")
                .string_value(v)
                .build()
                .unwrap()
        };
        let mut original = std::collections::HashMap::new();
        original.insert("eventType".to_owned(), string("ProductDeleted"));
        original.insert(DEAD_LETTER_REASON_ATTRIBUTE.to_owned(), string("poison"));
        let attributes = dead_letter_attributes(
            Some(&original),
            DeadLetterReason::RetriesExhausted,
            "down",
            "q",
        )
        .unwrap();
        let text = |name: &str| attributes[name].string_value().unwrap().to_owned();
        assert_eq!(attributes.len(), 4);
        assert_eq!(text("eventType"), "ProductDeleted");
        assert_eq!(text(DEAD_LETTER_REASON_ATTRIBUTE), "retries-exhausted");
        assert_eq!(text(DEAD_LETTER_DETAIL_ATTRIBUTE), "down");
        assert_eq!(text(SOURCE_QUEUE_ATTRIBUTE), "q");
        for n in 0..8 {
            original.insert(format!("a{n}"), string("x"));
        }
        let full = dead_letter_attributes(
            Some(&original),
            DeadLetterReason::Poison,
            &"é".repeat(2000),
            "q",
        )
        .unwrap();
        assert_eq!(
            full.len(),
            10,
            "the originals are kept, ours as many as fit"
        );
        assert_eq!(
            full[DEAD_LETTER_REASON_ATTRIBUTE].string_value(),
            Some("poison")
        );
        assert!(!full.contains_key(DEAD_LETTER_DETAIL_ATTRIBUTE));
        assert_eq!(
            truncate(&"é".repeat(2000), 1023).len(),
            1022,
            "cut at a character boundary"
        );
    }
}
