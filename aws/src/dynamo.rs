//! An event store on DynamoDB.
//!
//! One table, partition key `productId` (string), sort key `sequence` (number): a
//! product's events are numbered 1, 2, 3, … with no gap. Each item holds the encoded
//! event (`event`, the JSON text) and, for reading without decoding, its `eventId`,
//! `eventType` and `version`.
//!
//! An append reads the product's last sequence and writes, in one transaction:
//!
//! - the event at the next sequence, on condition that no item has that key, so two
//!   writers can never both claim a sequence: the loser re-reads and tries the next one;
//! - a marker item keyed `eventId#<eventId>` (sequence 0), on condition that it does not
//!   exist either, so the same event is never stored twice, even when a writer retries
//!   an append whose answer it lost. Such a retry reports
//!   [`AppendOutcome::AlreadyStored`] with the sequence the event got.
//!
//! Reads are strongly consistent queries, paged, so a product's history streams in
//! constant memory.

use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::time::Duration;

use aws_sdk_dynamodb::types::{
    AttributeDefinition, AttributeValue, BillingMode, KeySchemaElement, KeyType,
    PointInTimeRecoverySpecification, PointInTimeRecoveryStatus, Put, ScalarAttributeType,
    TableStatus, TransactWriteItem,
};
use event_contracts::replay::product_id;
use event_contracts::routing::SplitMix64;
use event_contracts::store::{EventStore, EventStream, StoreError, StoredEvent};
use event_contracts::{decode, encode, ProductEvent};
use uuid::Uuid;

use crate::config::Connection;
use crate::deploy::{Change, ResourceChange, ResourceKind};
use crate::error::{sdk_error, AwsError};

/// The partition key attribute: the product's id.
pub const PARTITION_KEY: &str = "productId";
/// The sort key attribute: the event's 1-based sequence number within its product.
pub const SORT_KEY: &str = "sequence";
/// The partition key prefix of the items that record which event ids are stored.
pub const EVENT_ID_MARKER_PREFIX: &str = "eventId#";

/// How many sequence numbers one append tries before giving up to contention.
const DEFAULT_MAX_ATTEMPTS: u32 = 200;

/// What an append did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppendOutcome {
    /// The event was stored at this sequence.
    Appended {
        /// Its sequence within the product.
        sequence: u64,
        /// How many sequences other writers claimed first (0 without contention).
        conflicts: u32,
    },
    /// An event with this `eventId` was already stored, at this sequence; nothing was
    /// written.
    AlreadyStored {
        /// The stored event's sequence.
        sequence: u64,
    },
}

impl AppendOutcome {
    /// The event's sequence, either way.
    pub fn sequence(self) -> u64 {
        match self {
            AppendOutcome::Appended { sequence, .. }
            | AppendOutcome::AlreadyStored { sequence } => sequence,
        }
    }
}

/// An event store on a DynamoDB table (async). Cloning is cheap and shares the client.
#[derive(Debug, Clone)]
pub struct DynamoDbStore {
    client: aws_sdk_dynamodb::Client,
    table: String,
    max_attempts: u32,
}

impl DynamoDbStore {
    /// A store on `table`, which must exist (see [`crate::deploy_event_table`]).
    pub fn new(client: aws_sdk_dynamodb::Client, table: impl Into<String>) -> Self {
        DynamoDbStore {
            client,
            table: table.into(),
            max_attempts: DEFAULT_MAX_ATTEMPTS,
        }
    }

    /// Gives up an append after `attempts` sequence numbers lost to other writers
    /// (default 200).
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The table's name.
    pub fn table(&self) -> &str {
        &self.table
    }

    /// Validates `event` and stores it at its product's next sequence. Safe to call from
    /// any number of writers at once, and to retry: an event already stored (same
    /// `eventId`) is not stored again.
    ///
    /// The transaction's `CancellationReasons` decide what happens next: a failed
    /// condition on the event's item means another writer took the sequence (re-read and
    /// try the next one, up to the attempt limit); on the `eventId` marker, that the event
    /// is stored already; a transaction conflict or throttling backs off and tries the
    /// same sequence again; anything else (a validation error) is returned at once.
    pub async fn append(&self, event: &ProductEvent) -> Result<AppendOutcome, AwsError> {
        let bytes = encode(event)?;
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let product = product_id(event);
        let event_id = *event.event_id();
        let mut jitter = SplitMix64::from_entropy();
        let mut next = self.last_sequence(product).await? + 1;
        let mut lost = 0u32;
        let mut transient = 0u32;
        loop {
            match self.write(product, next, event, &text, event_id).await? {
                Written::Stored => {
                    return Ok(AppendOutcome::Appended {
                        sequence: next,
                        conflicts: lost,
                    })
                }
                Written::EventStored => return self.already_stored(event_id).await,
                Written::SequenceTaken => {
                    lost += 1;
                    if lost >= self.max_attempts {
                        return Err(AwsError::Contended {
                            table: self.table.clone(),
                            product_id: product,
                            attempts: self.max_attempts,
                        });
                    }
                    // Full jitter: writers who keep losing spread out instead of
                    // colliding again in step.
                    pause(lost, &mut jitter).await;
                    next = self.last_sequence(product).await? + 1;
                }
                Written::Transient(reasons) => {
                    transient += 1;
                    if transient >= MAX_TRANSIENT_RETRIES {
                        return Err(self.transient_error(product, &reasons));
                    }
                    pause(transient, &mut jitter).await;
                }
            }
        }
    }

    /// Appends `event` to `product` only if the product's last sequence is
    /// `expected_version` (0 for a product without events): optimistic concurrency for
    /// a writer that decided on what it read. Another writer's event at that place is
    /// [`AwsError::VersionConflict`], never a retry at the next sequence; an event
    /// already stored (same `eventId`) is [`AppendOutcome::AlreadyStored`].
    pub async fn append_expected(
        &self,
        product: Uuid,
        expected_version: u64,
        event: &ProductEvent,
    ) -> Result<AppendOutcome, AwsError> {
        let bytes = encode(event)?;
        let about = product_id(event);
        if about != product {
            return Err(AwsError::WrongProduct {
                table: self.table.clone(),
                product_id: product,
                event_product_id: about,
            });
        }
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let event_id = *event.event_id();
        let sequence = expected_version.saturating_add(1);
        let mut jitter = SplitMix64::from_entropy();
        let mut transient = 0u32;
        loop {
            match self
                .write(product, sequence, event, &text, event_id)
                .await?
            {
                Written::Stored => {
                    return Ok(AppendOutcome::Appended {
                        sequence,
                        conflicts: 0,
                    })
                }
                Written::EventStored => return self.already_stored(event_id).await,
                Written::SequenceTaken => {
                    return Err(AwsError::VersionConflict {
                        table: self.table.clone(),
                        product_id: product,
                        expected: expected_version,
                        actual: self.last_sequence(product).await?,
                    })
                }
                Written::Transient(reasons) => {
                    transient += 1;
                    if transient >= MAX_TRANSIENT_RETRIES {
                        return Err(self.transient_error(product, &reasons));
                    }
                    pause(transient, &mut jitter).await;
                }
            }
        }
    }

    /// One transaction: the event at `sequence` and its `eventId` marker, each only if
    /// absent; the cancellation reasons sorted into what the caller does next.
    async fn write(
        &self,
        product: Uuid,
        sequence: u64,
        event: &ProductEvent,
        text: &str,
        event_id: Uuid,
    ) -> Result<Written, AwsError> {
        let written = self
            .client
            .transact_write_items()
            .transact_items(self.event_put(product, sequence, event, text)?)
            .transact_items(self.marker_put(product, sequence, event_id)?)
            .send()
            .await;
        let error = match written {
            Ok(_) => return Ok(Written::Stored),
            Err(error) => error,
        };
        let resource = format!("{}/{product}", self.table);
        let Some(canceled) = error.as_service_error().and_then(|e| match e {
            aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError::TransactionCanceledException(c) => Some(c),
            _ => None,
        }) else {
            let throttled = error.as_service_error().is_some_and(|e| {
                e.is_throttling_exception()
                    || e.is_provisioned_throughput_exceeded_exception()
                    || e.is_request_limit_exceeded()
                    || e.is_transaction_in_progress_exception()
                    || e.is_internal_server_error()
            });
            if throttled {
                return Ok(Written::Transient(
                    aws_sdk_dynamodb::error::DisplayErrorContext(&error).to_string(),
                ));
            }
            return Err(sdk_error("dynamodb:TransactWriteItems", resource, error));
        };
        let codes: Vec<&str> = canceled
            .cancellation_reasons()
            .iter()
            .map(|r| r.code().unwrap_or("None"))
            .collect();
        classify_cancellation(&codes).map_err(|reasons| AwsError::Sdk {
            operation: "dynamodb:TransactWriteItems",
            resource,
            message: format!("{reasons}: {}", canceled.message().unwrap_or_default()),
        })
    }

    async fn already_stored(&self, event_id: Uuid) -> Result<AppendOutcome, AwsError> {
        match self.stored_sequence(event_id).await? {
            Some(sequence) => Ok(AppendOutcome::AlreadyStored { sequence }),
            None => Err(AwsError::BadItem {
                table: self.table.clone(),
                key: format!("{EVENT_ID_MARKER_PREFIX}{event_id}/0"),
                problem: "the event id marker blocked the append but cannot be read".to_owned(),
            }),
        }
    }

    fn transient_error(&self, product: Uuid, reasons: &str) -> AwsError {
        AwsError::Sdk {
            operation: "dynamodb:TransactWriteItems",
            resource: format!("{}/{product}", self.table),
            message: format!(
                "still throttled or in conflict after {MAX_TRANSIENT_RETRIES} tries with backoff                  ({reasons}); retry later"
            ),
        }
    }

    fn event_put(
        &self,
        product: Uuid,
        sequence: u64,
        event: &ProductEvent,
        text: &str,
    ) -> Result<TransactWriteItem, AwsError> {
        let put = Put::builder()
            .table_name(&self.table)
            .item(PARTITION_KEY, AttributeValue::S(product.to_string()))
            .item(SORT_KEY, AttributeValue::N(sequence.to_string()))
            .item("eventId", AttributeValue::S(event.event_id().to_string()))
            .item(
                "eventType",
                AttributeValue::S(event.event_type().as_str().to_owned()),
            )
            .item(
                "version",
                AttributeValue::S(event.version().as_str().to_owned()),
            )
            .item("event", AttributeValue::S(text.to_owned()))
            .condition_expression("attribute_not_exists(#pk)")
            .expression_attribute_names("#pk", PARTITION_KEY)
            .build()
            .map_err(|e| sdk_error("dynamodb:TransactWriteItems", &self.table, e))?;
        Ok(TransactWriteItem::builder().put(put).build())
    }

    fn marker_put(
        &self,
        product: Uuid,
        sequence: u64,
        event_id: Uuid,
    ) -> Result<TransactWriteItem, AwsError> {
        let put = Put::builder()
            .table_name(&self.table)
            .item(
                PARTITION_KEY,
                AttributeValue::S(format!("{EVENT_ID_MARKER_PREFIX}{event_id}")),
            )
            .item(SORT_KEY, AttributeValue::N("0".to_owned()))
            .item("product", AttributeValue::S(product.to_string()))
            .item("at", AttributeValue::N(sequence.to_string()))
            .condition_expression("attribute_not_exists(#pk)")
            .expression_attribute_names("#pk", PARTITION_KEY)
            .build()
            .map_err(|e| sdk_error("dynamodb:TransactWriteItems", &self.table, e))?;
        Ok(TransactWriteItem::builder().put(put).build())
    }

    /// The sequence of the stored event with this id, if it is stored.
    pub async fn stored_sequence(&self, event_id: Uuid) -> Result<Option<u64>, AwsError> {
        let key = format!("{EVENT_ID_MARKER_PREFIX}{event_id}");
        let found = self
            .client
            .get_item()
            .table_name(&self.table)
            .key(PARTITION_KEY, AttributeValue::S(key.clone()))
            .key(SORT_KEY, AttributeValue::N("0".to_owned()))
            .consistent_read(true)
            .send()
            .await
            .map_err(|e| sdk_error("dynamodb:GetItem", format!("{}/{key}", self.table), e))?;
        let Some(item) = found.item() else {
            return Ok(None);
        };
        number(item, "at")
            .map(Some)
            .ok_or_else(|| AwsError::BadItem {
                table: self.table.clone(),
                key: format!("{key}/0"),
                problem: "the event id marker has no numeric `at`".to_owned(),
            })
    }

    /// The product's last sequence (0 when it has no event), strongly consistent.
    pub async fn last_sequence(&self, product: Uuid) -> Result<u64, AwsError> {
        let found = self
            .client
            .query()
            .table_name(&self.table)
            .key_condition_expression("#pk = :pk")
            .expression_attribute_names("#pk", PARTITION_KEY)
            .expression_attribute_values(":pk", AttributeValue::S(product.to_string()))
            .scan_index_forward(false)
            .limit(1)
            .consistent_read(true)
            .send()
            .await
            .map_err(|e| sdk_error("dynamodb:Query", format!("{}/{product}", self.table), e))?;
        Ok(found
            .items()
            .first()
            .and_then(|item| number(item, SORT_KEY))
            .unwrap_or(0))
    }

    /// The product's events in sequence order, fetched page by page.
    pub fn history(&self, product: Uuid) -> HistoryPages {
        HistoryPages::new(self.clone(), Some(product))
    }

    /// Every event of every product: each product's in sequence order, products in the
    /// table's order (a scan; DynamoDB keeps no order across partitions).
    pub fn all(&self) -> HistoryPages {
        HistoryPages::new(self.clone(), None)
    }

    /// The product's whole history, collected.
    pub async fn product_history(&self, product: Uuid) -> Result<Vec<StoredEvent>, AwsError> {
        let mut pages = self.history(product);
        let mut events = Vec::new();
        while let Some(event) = pages.next().await {
            events.push(event?);
        }
        Ok(events)
    }

    fn decode_item(&self, item: &HashMap<String, AttributeValue>) -> Result<StoredEvent, AwsError> {
        let product = item
            .get(PARTITION_KEY)
            .and_then(|v| v.as_s().ok())
            .cloned()
            .unwrap_or_default();
        let sequence = number(item, SORT_KEY);
        let key = format!(
            "{product}/{}",
            sequence.map_or("?".to_owned(), |s| s.to_string())
        );
        let bad = |problem: String| AwsError::BadItem {
            table: self.table.clone(),
            key: key.clone(),
            problem,
        };
        let sequence = sequence.ok_or_else(|| bad(format!("no numeric `{SORT_KEY}`")))?;
        let text = item
            .get("event")
            .and_then(|v| v.as_s().ok())
            .ok_or_else(|| bad("no string attribute `event`".to_owned()))?;
        let event = decode(text.as_bytes()).map_err(|e| bad(format!("the event: {e}")))?;
        let about = product_id(&event).to_string();
        if about != product {
            return Err(bad(format!(
                "the event is about product {about}, not the item's {PARTITION_KEY}"
            )));
        }
        Ok(StoredEvent {
            position: sequence,
            event,
        })
    }
}

/// What one append transaction did.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Written {
    /// Both items were written.
    Stored,
    /// Another event holds the sequence.
    SequenceTaken,
    /// The event's id is stored already.
    EventStored,
    /// A conflict with another transaction, or throttling: back off, try again.
    Transient(String),
}

/// How many times an append backs off from throttling or a transaction conflict.
const MAX_TRANSIENT_RETRIES: u32 = 8;

/// Sorts a cancelled append's reasons (event item first, marker second; DynamoDB's
/// codes); anything else (a validation error) is an error that retrying cannot help.
fn classify_cancellation(codes: &[&str]) -> Result<Written, String> {
    let event = codes.first().copied().unwrap_or("None");
    let marker = codes.get(1).copied().unwrap_or("None");
    let transient = |code: &str| {
        matches!(
            code,
            "TransactionConflict" | "ThrottlingError" | "ProvisionedThroughputExceeded"
        )
    };
    match (event, marker) {
        // The marker decides first: a retried append whose first try was stored also
        // finds its sequence taken (by itself).
        (_, "ConditionalCheckFailed") => Ok(Written::EventStored),
        ("ConditionalCheckFailed", "None") => Ok(Written::SequenceTaken),
        (a, b) if transient(a) || transient(b) => Ok(Written::Transient(format!("{a}, {b}"))),
        (a, b) => Err(format!(
            "the transaction was cancelled with reasons [{a}, {b}]"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::{classify_cancellation, Written};

    #[test]
    fn only_a_failed_condition_on_the_sequence_means_taken() {
        assert_eq!(
            classify_cancellation(&["ConditionalCheckFailed", "None"]),
            Ok(Written::SequenceTaken)
        );
        // The marker decides: the event is stored, whatever the sequence says.
        for event in ["ConditionalCheckFailed", "None"] {
            assert_eq!(
                classify_cancellation(&[event, "ConditionalCheckFailed"]),
                Ok(Written::EventStored)
            );
        }
        for (a, b) in [
            ("TransactionConflict", "None"),
            ("None", "ThrottlingError"),
            ("ProvisionedThroughputExceeded", "None"),
            ("ConditionalCheckFailed", "TransactionConflict"),
        ] {
            assert_eq!(
                classify_cancellation(&[a, b]),
                Ok(Written::Transient(format!("{a}, {b}"))),
                "{a}, {b}"
            );
        }
        for codes in [
            &["ValidationError", "None"][..],
            &["ItemCollectionSizeLimitExceeded", "None"],
            &[],
        ] {
            assert!(classify_cancellation(codes).is_err(), "{codes:?}");
        }
    }
}

/// A random pause up to 10 ms × 2^(n - 1), at most 1 s (full jitter).
async fn pause(n: u32, jitter: &mut SplitMix64) {
    let ceiling = (10u64 << n.saturating_sub(1).min(7)).min(1000);
    let pause = (ceiling as f64 * (jitter.next_u64() >> 11) as f64 / (1u64 << 53) as f64) as u64;
    tokio::time::sleep(Duration::from_millis(pause)).await;
}

/// A numeric attribute as `u64`.
fn number(item: &HashMap<String, AttributeValue>, name: &str) -> Option<u64> {
    item.get(name)
        .and_then(|v| v.as_n().ok())
        .and_then(|n| n.parse().ok())
}

/// Events read from the table page by page: one product's (a query) or all (a scan).
#[derive(Debug)]
pub struct HistoryPages {
    store: DynamoDbStore,
    product: Option<Uuid>,
    start: Option<HashMap<String, AttributeValue>>,
    buffer: VecDeque<Result<StoredEvent, AwsError>>,
    finished: bool,
}

impl HistoryPages {
    fn new(store: DynamoDbStore, product: Option<Uuid>) -> Self {
        HistoryPages {
            store,
            product,
            start: None,
            buffer: VecDeque::new(),
            finished: false,
        }
    }

    /// The next event, fetching the next page when needed; `None` at the end. An item
    /// that is not a valid event is an error, and the pages go on after it.
    pub async fn next(&mut self) -> Option<Result<StoredEvent, AwsError>> {
        loop {
            if let Some(item) = self.buffer.pop_front() {
                return Some(item);
            }
            if self.finished {
                return None;
            }
            if let Err(error) = self.fetch().await {
                self.finished = true;
                return Some(Err(error));
            }
        }
    }

    async fn fetch(&mut self) -> Result<(), AwsError> {
        let store = &self.store;
        let (items, last) = match self.product {
            Some(product) => {
                let page = store
                    .client
                    .query()
                    .table_name(&store.table)
                    .key_condition_expression("#pk = :pk AND #sk >= :first")
                    .expression_attribute_names("#pk", PARTITION_KEY)
                    .expression_attribute_names("#sk", SORT_KEY)
                    .expression_attribute_values(":pk", AttributeValue::S(product.to_string()))
                    .expression_attribute_values(":first", AttributeValue::N("1".to_owned()))
                    .consistent_read(true)
                    .set_exclusive_start_key(self.start.take())
                    .send()
                    .await
                    .map_err(|e| {
                        sdk_error("dynamodb:Query", format!("{}/{product}", store.table), e)
                    })?;
                (page.items.unwrap_or_default(), page.last_evaluated_key)
            }
            None => {
                let page = store
                    .client
                    .scan()
                    .table_name(&store.table)
                    .consistent_read(true)
                    .set_exclusive_start_key(self.start.take())
                    .send()
                    .await
                    .map_err(|e| sdk_error("dynamodb:Scan", &store.table, e))?;
                (page.items.unwrap_or_default(), page.last_evaluated_key)
            }
        };
        let mut events: Vec<Result<StoredEvent, AwsError>> = items
            .iter()
            .filter(|item| {
                !item
                    .get(PARTITION_KEY)
                    .and_then(|v| v.as_s().ok())
                    .is_some_and(|key| key.starts_with(EVENT_ID_MARKER_PREFIX))
            })
            .map(|item| store.decode_item(item))
            .collect();
        if self.product.is_none() {
            // A scan page is in hash order; keep each product's events in sequence order.
            events.sort_by_key(|e| {
                e.as_ref()
                    .map(|s| (product_id(&s.event), s.position))
                    .unwrap_or((Uuid::nil(), 0))
            });
        }
        self.buffer.extend(events);
        match last {
            Some(key) if !key.is_empty() => self.start = Some(key),
            _ => self.finished = true,
        }
        Ok(())
    }
}

/// Creates the table if it is missing and waits until it is active; checks the key
/// schema of one that exists; turns on deletion protection and point-in-time recovery
/// where they are off.
pub(crate) async fn ensure_table(
    client: &aws_sdk_dynamodb::Client,
    table: &str,
) -> Result<ResourceChange, AwsError> {
    let described = client.describe_table().table_name(table).send().await;
    let mut change = match described {
        Ok(found) => {
            let description = found.table();
            let keys: Vec<(String, KeyType)> = description
                .map(|d| d.key_schema())
                .unwrap_or_default()
                .iter()
                .map(|k| (k.attribute_name().to_owned(), k.key_type().clone()))
                .collect();
            let wanted = vec![
                (PARTITION_KEY.to_owned(), KeyType::Hash),
                (SORT_KEY.to_owned(), KeyType::Range),
            ];
            if keys != wanted {
                return Err(AwsError::Conflict {
                    resource: format!("DynamoDB table {table}"),
                    problem: format!(
                        "its key schema is {keys:?}, but the event store needs partition key \
                         {PARTITION_KEY:?} (S) and sort key {SORT_KEY:?} (N); use another table"
                    ),
                });
            }
            Change::Unchanged
        }
        Err(error)
            if error
                .as_service_error()
                .is_some_and(|e| e.is_resource_not_found_exception()) =>
        {
            let key = |name: &str, kind: KeyType| {
                KeySchemaElement::builder()
                    .attribute_name(name)
                    .key_type(kind)
                    .build()
                    .map_err(|e| sdk_error("dynamodb:CreateTable", table, e))
            };
            let attribute = |name: &str, kind: ScalarAttributeType| {
                AttributeDefinition::builder()
                    .attribute_name(name)
                    .attribute_type(kind)
                    .build()
                    .map_err(|e| sdk_error("dynamodb:CreateTable", table, e))
            };
            client
                .create_table()
                .table_name(table)
                .billing_mode(BillingMode::PayPerRequest)
                .key_schema(key(PARTITION_KEY, KeyType::Hash)?)
                .key_schema(key(SORT_KEY, KeyType::Range)?)
                .attribute_definitions(attribute(PARTITION_KEY, ScalarAttributeType::S)?)
                .attribute_definitions(attribute(SORT_KEY, ScalarAttributeType::N)?)
                .deletion_protection_enabled(true)
                .send()
                .await
                .map_err(|e| sdk_error("dynamodb:CreateTable", table, e))?;
            Change::Created
        }
        Err(error) => return Err(sdk_error("dynamodb:DescribeTable", table, error)),
    };
    let arn = wait_active(client, table).await?;
    let mut updated = Vec::new();
    let described = client
        .describe_table()
        .table_name(table)
        .send()
        .await
        .map_err(|e| sdk_error("dynamodb:DescribeTable", table, e))?;
    if described
        .table()
        .and_then(|d| d.deletion_protection_enabled())
        != Some(true)
    {
        client
            .update_table()
            .table_name(table)
            .deletion_protection_enabled(true)
            .send()
            .await
            .map_err(|e| sdk_error("dynamodb:UpdateTable", table, e))?;
        updated.push("DeletionProtectionEnabled".to_owned());
        wait_active(client, table).await?;
    }
    let backups = client
        .describe_continuous_backups()
        .table_name(table)
        .send()
        .await
        .map_err(|e| sdk_error("dynamodb:DescribeContinuousBackups", table, e))?;
    let recovering = backups
        .continuous_backups_description()
        .and_then(|d| d.point_in_time_recovery_description())
        .and_then(|p| p.point_in_time_recovery_status())
        == Some(&PointInTimeRecoveryStatus::Enabled);
    if !recovering {
        client
            .update_continuous_backups()
            .table_name(table)
            .point_in_time_recovery_specification(
                PointInTimeRecoverySpecification::builder()
                    .point_in_time_recovery_enabled(true)
                    .build()
                    .map_err(|e| sdk_error("dynamodb:UpdateContinuousBackups", table, e))?,
            )
            .send()
            .await
            .map_err(|e| sdk_error("dynamodb:UpdateContinuousBackups", table, e))?;
        updated.push("PointInTimeRecovery".to_owned());
    }
    if change == Change::Unchanged && !updated.is_empty() {
        change = Change::Updated(updated);
    }
    Ok(ResourceChange {
        kind: ResourceKind::EventTable,
        name: table.to_owned(),
        arn,
        change,
    })
}

/// Waits until the table is active (a new or updated table takes a moment on AWS);
/// returns its ARN.
pub(crate) async fn wait_active(
    client: &aws_sdk_dynamodb::Client,
    table: &str,
) -> Result<String, AwsError> {
    let mut arn = String::new();
    for _ in 0..120 {
        let found = client
            .describe_table()
            .table_name(table)
            .send()
            .await
            .map_err(|e| sdk_error("dynamodb:DescribeTable", table, e))?;
        let description = found.table();
        arn = description
            .and_then(|d| d.table_arn())
            .unwrap_or_default()
            .to_owned();
        if description.and_then(|d| d.table_status()) == Some(&TableStatus::Active) {
            return Ok(arn);
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    Err(AwsError::Conflict {
        resource: format!("DynamoDB table {table} ({arn})"),
        problem: "it did not become ACTIVE within 60 s; check it in the console and retry"
            .to_owned(),
    })
}

/// [`DynamoDbStore`] behind the synchronous [`EventStore`] trait, on its own tokio
/// runtime. For code that is not async; inside an async runtime, use
/// [`DynamoDbStore`] (these methods refuse to block there and return an error).
#[derive(Debug)]
pub struct BlockingDynamoDbStore {
    runtime: tokio::runtime::Runtime,
    store: DynamoDbStore,
}

impl BlockingDynamoDbStore {
    /// Connects to `table` with the connection's configuration.
    pub fn connect(connection: &Connection, table: impl Into<String>) -> Result<Self, AwsError> {
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err(AwsError::BlockingInsideRuntime);
        }
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(AwsError::Runtime)?;
        let clients = runtime.block_on(connection.clients())?;
        Ok(BlockingDynamoDbStore {
            runtime,
            store: DynamoDbStore::new(clients.dynamodb, table),
        })
    }

    /// The async store underneath.
    pub fn store(&self) -> &DynamoDbStore {
        &self.store
    }

    /// Appends, reporting whether the event was new.
    pub fn append_event(&self, event: &ProductEvent) -> Result<AppendOutcome, AwsError> {
        self.block_on(self.store.append(event))?
    }

    fn block_on<F: Future>(&self, future: F) -> Result<F::Output, AwsError> {
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err(AwsError::BlockingInsideRuntime);
        }
        Ok(self.runtime.block_on(future))
    }

    fn blocking_stream(&self, pages: HistoryPages) -> EventStream<'_> {
        let mut pages = pages;
        let mut refused = false;
        Box::new(std::iter::from_fn(move || {
            if refused {
                return None;
            }
            match self.block_on(pages.next()) {
                Ok(next) => next.map(|item| item.map_err(store_error)),
                // Refusing to block ends the stream, with the reason as its last item.
                Err(error) => {
                    refused = true;
                    Some(Err(store_error(error)))
                }
            }
        }))
    }
}

/// An [`AwsError`] as the trait's error: invalid events stay [`StoreError::Encode`].
fn store_error(error: AwsError) -> StoreError {
    match error {
        AwsError::InvalidEvent(source) => StoreError::Encode(source),
        other => StoreError::Backend(Box::new(other)),
    }
}

impl EventStore for BlockingDynamoDbStore {
    type Event = ProductEvent;

    fn append(&self, event: &ProductEvent) -> Result<(), StoreError> {
        self.append_event(event).map(|_| ()).map_err(store_error)
    }

    fn stream(&self) -> Result<EventStream<'_>, StoreError> {
        Ok(self.blocking_stream(self.store.all()))
    }

    /// One product's events, queried by partition key: the build's stream key is
    /// `data.productId`, so a stream key is a product id. A key that is not a UUID names
    /// no product, and its stream is empty.
    fn stream_of(&self, key: &str) -> Result<EventStream<'_>, StoreError> {
        match Uuid::try_parse(key) {
            Ok(product) => Ok(self.blocking_stream(self.store.history(product))),
            Err(_) => Ok(Box::new(std::iter::empty())),
        }
    }
}
