//! The routing contract on real AWS, through the official AWS SDK for Rust.
//!
//! `event-contracts` knows the topology (`schemas/routing.yaml`, compiled into
//! [`event_contracts::routing`]) and the events; this crate makes AWS match them:
//!
//! - [`deploy()`] creates or updates the SNS topic, the SQS queues and dead-letter queues
//!   (visibility, retention, redrive with `maxReceiveCount`), the queue policies that let
//!   the topic deliver, and one subscription per queue with its filter policy. Running it
//!   again changes nothing, and the [`DeployReport`] says so resource by resource.
//! - [`Publisher`] encodes (and so validates) every event before anything is sent, then
//!   publishes it with the `eventType` and `version` message attributes the filter
//!   policies route on.
//! - [`Consumer`] runs one queue: receive (long polling, batches of up to 10), decode,
//!   upcast, call the handler; delete on success, and on failure make the message
//!   visible again after the retry policy's delay, so SQS's redrive moves a message that
//!   keeps failing to the dead-letter queue. Shutdown finishes the message in hand.
//! - [`DynamoDbStore`] is an event store on a DynamoDB table (partition key `productId`,
//!   sort key `sequence`) whose appends claim the next sequence with a conditional
//!   transaction, so concurrent writers neither lose nor duplicate an event;
//!   [`BlockingDynamoDbStore`] puts it behind the synchronous
//!   [`event_contracts::store::EventStore`] trait.
//! - [`drain()`] empties a queue (a dead-letter queue, typically) into the caller's hands,
//!   deleting each message only after the caller took it.
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
mod deploy;
mod drain;
mod dynamo;
mod error;
mod publish;

pub use config::{Clients, Connection};
pub use consume::{Consumer, ConsumerStats, Delivery, Disposition, MessageReport};
pub use deploy::{deploy, deploy_event_table, Change, DeployReport, ResourceChange, ResourceKind};
pub use drain::{drain, DrainOptions};
pub use dynamo::{
    AppendOutcome, BlockingDynamoDbStore, DynamoDbStore, HistoryPages, EVENT_ID_MARKER_PREFIX,
    PARTITION_KEY, SORT_KEY,
};
pub use error::AwsError;
pub use publish::{PublishFailure, PublishReport, Published, Publisher};
