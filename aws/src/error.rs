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
