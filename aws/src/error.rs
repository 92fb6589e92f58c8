//! The one error type of this crate.

use event_contracts::EncodeError;

/// Why an AWS operation of this crate failed. Each variant names the resource and what
/// to do; SDK errors keep the service's code and message.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AwsError {
    /// No region came from the configuration chain or the caller.
    #[error(
        "no AWS region is configured: set AWS_REGION (or a region in the AWS profile), \
         or pass a region explicitly (`--region`)"
    )]
    NoRegion,
    /// The endpoint URL is not an http(s) URL.
    #[error("endpoint URL {url:?} is not an http:// or https:// URL (e.g. http://127.0.0.1:5000)")]
    BadEndpoint {
        /// What was given.
        url: String,
    },
    /// An AWS call failed.
    #[error("{operation} on {resource} failed: {message}")]
    Sdk {
        /// The API operation, e.g. `sqs:CreateQueue`.
        operation: &'static str,
        /// The topic, queue, subscription or table it was about.
        resource: String,
        /// The SDK's full error chain, with the service's error code and message.
        message: String,
    },
    /// The topic of the routing contract does not exist.
    #[error("the SNS topic {name:?} does not exist; run `contracts aws deploy` first")]
    TopicMissing {
        /// The topic's name.
        name: String,
    },
    /// A queue of the routing contract does not exist.
    #[error("the SQS queue {name:?} does not exist; run `contracts aws deploy` first")]
    QueueMissing {
        /// The queue's name.
        name: String,
    },
    /// An existing resource cannot be made to match the contract without replacing it.
    #[error("{resource}: {problem}")]
    Conflict {
        /// The resource.
        resource: String,
        /// What differs and what to do.
        problem: String,
    },
    /// AWS answered without something the call promises.
    #[error("{operation} on {resource}: the response has no {missing}")]
    MissingInResponse {
        /// The API operation.
        operation: &'static str,
        /// The resource.
        resource: String,
        /// The missing field.
        missing: &'static str,
    },
    /// The event was refused before it left: it is not valid against its schema.
    #[error("the event was refused before sending: {0}")]
    InvalidEvent(#[from] EncodeError),
    /// A stored item is not an event this crate wrote.
    #[error("table {table}, item {key}: {problem}")]
    BadItem {
        /// The table.
        table: String,
        /// The item's key, as `productId/sequence`.
        key: String,
        /// What is wrong with it.
        problem: String,
    },
    /// Appends to one product kept colliding with other writers.
    #[error(
        "table {table}: gave up appending to product {product_id} after {attempts} attempts \
         lost to concurrent writers; retry later"
    )]
    Contended {
        /// The table.
        table: String,
        /// The product.
        product_id: uuid::Uuid,
        /// How many sequence numbers were tried.
        attempts: u32,
    },
    /// `append_expected` found another event where it expected to write.
    #[error(
        "table {table}: product {product_id} is at version {actual}, not the expected \
         {expected}; another writer appended first: re-read the product and decide again"
    )]
    VersionConflict {
        /// The table.
        table: String,
        /// The product.
        product_id: uuid::Uuid,
        /// The version the caller expected (its last sequence).
        expected: u64,
        /// The product's last sequence now.
        actual: u64,
    },
    /// `append_expected` was given an event about another product.
    #[error(
        "table {table}: the event is about product {event_product_id}, not {product_id}; \
         append it to its own product"
    )]
    WrongProduct {
        /// The table.
        table: String,
        /// The product the caller named.
        product_id: uuid::Uuid,
        /// The product the event is about.
        event_product_id: uuid::Uuid,
    },
    /// An `http://` endpoint that is not on this machine: requests and credentials
    /// would cross the network unencrypted.
    #[error(
        "endpoint URL {url:?} is http:// but not on this machine; use https:// (plain \
         http is accepted only for emulators on loopback: 127.0.0.0/8, localhost, [::1])"
    )]
    InsecureEndpoint {
        /// What was given.
        url: String,
    },
    /// An event is larger than SNS accepts.
    #[error(
        "event {event_id} is {size} bytes with its attributes; SNS accepts at most {limit} \
         bytes per message: it was not sent (store large payloads elsewhere and send a \
         reference)"
    )]
    TooLarge {
        /// The event's id.
        event_id: uuid::Uuid,
        /// Its size with its message attributes.
        size: usize,
        /// SNS's limit.
        limit: usize,
    },
    /// A queue named on the command line is not a dead-letter queue of the contract.
    #[error("{name:?} is not a dead-letter queue of schemas/routing.yaml; the dead-letter queues are {known}")]
    NotADeadLetterQueue {
        /// What was given.
        name: String,
        /// The contract's dead-letter queues.
        known: String,
    },
    /// A blocking call was made from inside an async runtime.
    #[error(
        "BlockingDynamoDbStore was called from inside an async runtime, where it cannot \
         block; use DynamoDbStore's async methods there"
    )]
    BlockingInsideRuntime,
    /// A drained message could not be handed on; it was not deleted.
    #[error("cannot write a drained message (it was left in the queue): {0}")]
    Sink(std::io::Error),
    /// The tokio runtime for the blocking store could not start.
    #[error("cannot start the tokio runtime of the blocking store: {0}")]
    Runtime(std::io::Error),
}

/// An [`AwsError::Sdk`] with the SDK error's whole chain (service code and message).
pub(crate) fn sdk_error(
    operation: &'static str,
    resource: impl Into<String>,
    error: impl std::error::Error + 'static,
) -> AwsError {
    AwsError::Sdk {
        operation,
        resource: resource.into(),
        message: aws_sdk_sqs::error::DisplayErrorContext(&error).to_string(),
    }
}
