//! The routing contract on real AWS, through the official AWS SDK for Rust.
//!
//! `event-contracts` knows the topology (`schemas/routing.yaml`, compiled into
//! [`event_contracts::routing`]) and the events; this crate makes AWS match them:
//!
//! - [`deploy()`] ([`deploy_with`]) creates or updates the SNS topic (optionally with a
//!   KMS key), the SQS queues and dead-letter queues (visibility, retention, redrive with
//!   `maxReceiveCount`, `RedriveAllowPolicy`, encryption at rest), queue policies that let
//!   the topic deliver and deny requests without TLS (merged with others' statements), and
//!   one subscription per queue with its filter policy and a delivery dead-letter queue.
//!   Running it again changes nothing, and the [`DeployReport`] says so resource by
//!   resource; orphan subscriptions are reported, and removed with
//!   [`DeployOptions::prune`].
//! - [`Publisher`] encodes (and so validates) every event and checks its size before
//!   anything is sent, then publishes it with the `eventType` and `version` message
//!   attributes the filter policies route on, retrying refused entries with backoff.
//! - [`Consumer`] runs one queue with up to N handlers at once: receive (no more than it
//!   can start), decode, upcast, handler under a visibility heartbeat and a timeout;
//!   delete on success, retry after the policy's delay, and after `maxRetries` move the
//!   message to the dead-letter queue with the reason. Poison goes there at once; events
//!   of an unknown type or major wait for a consumer that knows them. Receive errors are
//!   retried with backoff; [`Deduplicator`] optionally hands each `eventId` to the
//!   handler once within a window.
//! - [`DynamoDbStore`] is an event store on a DynamoDB table (partition key `productId`,
//!   sort key `sequence`) whose appends claim the next sequence with a conditional
//!   transaction, so concurrent writers neither lose nor duplicate an event, and whose
//!   [`DynamoDbStore::append_expected`] gives optimistic concurrency;
//!   [`BlockingDynamoDbStore`] puts it behind the synchronous
//!   [`event_contracts::store::EventStore`] trait.
//! - [`drain()`] exports a queue (a dead-letter queue, typically) with the attributes,
//!   deleting only when asked and only after the caller's output is synced; [`redrive()`]
//!   moves a dead-letter queue's messages back to their source queue only.
//!
//! Everything is async on tokio, as the SDK is. [`Connection`] builds the clients from
//! the normal AWS configuration chain, with an optional endpoint URL (an emulator such
//! as moto on `127.0.0.1`) and region.
//!
//! This crate is not in the workspace's default members, so everyday builds do not
//! compile the SDK; `cargo test -p event-contracts-aws` runs its end-to-end tests
//! against a moto server that the tests start themselves.

mod config;
mod consume;
mod dedup;
mod deploy;
mod drain;
mod dynamo;
mod error;
mod publish;
mod redrive;

pub use config::{is_loopback, Clients, Connection};
pub use consume::{
    Consumer, ConsumerStats, DeadLetterReason, Delivery, Disposition, MessageReport,
    DEAD_LETTER_DETAIL_ATTRIBUTE, DEAD_LETTER_REASON_ATTRIBUTE, SOURCE_QUEUE_ATTRIBUTE,
};
pub use dedup::{deploy_dedup_table, Claim, Deduplicator, DEDUP_KEY, DEDUP_TTL_ATTRIBUTE};
pub use deploy::{
    delivery_dead_letter_queue, deploy, deploy_event_table, deploy_with, merge_policy,
    merge_topic_policy, queue_policy, queue_policy_statements, Change, DeployOptions, DeployReport,
    ResourceChange, ResourceKind, DELIVERY_DLQ_SUFFIX,
};
pub use drain::{drain, DrainOptions, DrainReport, DrainedMessage};
pub use dynamo::{
    AppendOutcome, BlockingDynamoDbStore, DynamoDbStore, HistoryPages, EVENT_ID_MARKER_PREFIX,
    PARTITION_KEY, SORT_KEY,
};
pub use error::AwsError;
pub use publish::{PublishFailure, PublishReport, Published, Publisher, MAX_MESSAGE_BYTES};
pub use redrive::{redrive, source_of, RedriveMethod, RedriveOptions, RedriveReport};
