//! De-duplication by `eventId` in a DynamoDB table, for consumers whose handlers must not
//! see an event twice (SQS standard queues deliver at least once, and SNS may publish
//! twice).
//!
//! One item per event id (partition key `eventId`), in one of two states:
//!
//! - `handling`, with a lease (`leaseUntil`): a consumer claimed the event and is
//!   running its handler. Another claim fails until the lease ends, so two handlers never
//!   run one event at the same time; a consumer that died leaves a lease that simply
//!   runs out, and the event is handled again (nothing is lost).
//! - `done`, until `expiresAt` (the window): the handler succeeded; a claim within the
//!   window is refused and the message deleted as a duplicate.
//!
//! A handler failure deletes the claim, so the retry can claim it again. `expiresAt` is
//! the table's TTL attribute, so DynamoDB removes old items by itself; claims compare
//! it with the clock, since TTL deletion can lag by days.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_sdk_dynamodb::types::{
    AttributeDefinition, AttributeValue, BillingMode, KeySchemaElement, KeyType,
    ScalarAttributeType, TimeToLiveSpecification,
};
use uuid::Uuid;

use crate::deploy::{Change, ResourceChange, ResourceKind};
use crate::error::{sdk_error, AwsError};

/// The partition key of the de-duplication table.
pub const DEDUP_KEY: &str = "eventId";
/// The TTL attribute of the de-duplication table (epoch seconds).
pub const DEDUP_TTL_ATTRIBUTE: &str = "expiresAt";

const STATE: &str = "state";
const LEASE: &str = "leaseUntil";
const HANDLING: &str = "handling";
const DONE: &str = "done";

/// What a claim found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// The event is this consumer's to handle.
    Claimed,
    /// The event was handled within the window.
    Done,
    /// Another consumer holds the event for this much longer.
    Busy {
        /// Until its lease ends.
        remaining: Duration,
    },
}

/// Claims event ids in a DynamoDB table (see the module documentation).
#[derive(Debug, Clone)]
pub struct Deduplicator {
    client: aws_sdk_dynamodb::Client,
    table: String,
    window: Duration,
}

fn now_seconds() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn number(n: u64) -> AttributeValue {
    AttributeValue::N(n.to_string())
}

impl Deduplicator {
    /// Claims in `table` (see [`deploy_dedup_table`]); a handled event is refused for
    /// `window` after it was handled.
    pub fn new(
        client: aws_sdk_dynamodb::Client,
        table: impl Into<String>,
        window: Duration,
    ) -> Self {
        Deduplicator {
            client,
            table: table.into(),
            window,
        }
    }

    /// The table's name.
    pub fn table(&self) -> &str {
        &self.table
    }

    /// Claims `event_id` for `lease`: [`Claim::Claimed`] if no one handled it within the
    /// window and no one holds a live lease on it.
    pub async fn claim(&self, event_id: Uuid, lease: Duration) -> Result<Claim, AwsError> {
        let now = now_seconds();
        let lease_until = now + lease.as_secs().max(1);
        let put = self
            .client
            .put_item()
            .table_name(&self.table)
            .item(DEDUP_KEY, AttributeValue::S(event_id.to_string()))
            .item(STATE, AttributeValue::S(HANDLING.to_owned()))
            .item(LEASE, number(lease_until))
            .item(DEDUP_TTL_ATTRIBUTE, number(lease_until + self.window.as_secs()))
            .condition_expression(
                "attribute_not_exists(#key) OR #expires < :now OR (#state = :handling AND #lease < :now)",
            )
            .expression_attribute_names("#key", DEDUP_KEY)
            .expression_attribute_names("#expires", DEDUP_TTL_ATTRIBUTE)
            .expression_attribute_names("#state", STATE)
            .expression_attribute_names("#lease", LEASE)
            .expression_attribute_values(":now", number(now))
            .expression_attribute_values(":handling", AttributeValue::S(HANDLING.to_owned()))
            .send()
            .await;
        match put {
            Ok(_) => Ok(Claim::Claimed),
            Err(error)
                if error
                    .as_service_error()
                    .is_some_and(|e| e.is_conditional_check_failed_exception()) =>
            {
                self.holder(event_id, now).await
            }
            Err(error) => Err(sdk_error(
                "dynamodb:PutItem",
                self.resource(event_id),
                error,
            )),
        }
    }

    /// Who holds a claim that was refused.
    async fn holder(&self, event_id: Uuid, now: u64) -> Result<Claim, AwsError> {
        let found = self
            .client
            .get_item()
            .table_name(&self.table)
            .key(DEDUP_KEY, AttributeValue::S(event_id.to_string()))
            .consistent_read(true)
            .send()
            .await
            .map_err(|e| sdk_error("dynamodb:GetItem", self.resource(event_id), e))?;
        let Some(item) = found.item() else {
            // Released between the put and this read: the caller tries again later.
            return Ok(Claim::Busy {
                remaining: Duration::ZERO,
            });
        };
        let state = item
            .get(STATE)
            .and_then(|v| v.as_s().ok())
            .map(String::as_str);
        let read = |name: &str| {
            item.get(name)
                .and_then(|v| v.as_n().ok())
                .and_then(|n| n.parse::<u64>().ok())
                .unwrap_or(0)
        };
        Ok(match state {
            Some(DONE) => Claim::Done,
            _ => Claim::Busy {
                remaining: Duration::from_secs(read(LEASE).saturating_sub(now)),
            },
        })
    }

    /// Marks a claimed event handled: claims within the window are refused from now on.
    pub async fn complete(&self, event_id: Uuid) -> Result<(), AwsError> {
        let now = now_seconds();
        self.client
            .update_item()
            .table_name(&self.table)
            .key(DEDUP_KEY, AttributeValue::S(event_id.to_string()))
            .update_expression("SET #state = :done, #expires = :expires REMOVE #lease")
            .expression_attribute_names("#state", STATE)
            .expression_attribute_names("#expires", DEDUP_TTL_ATTRIBUTE)
            .expression_attribute_names("#lease", LEASE)
            .expression_attribute_values(":done", AttributeValue::S(DONE.to_owned()))
            .expression_attribute_values(":expires", number(now + self.window.as_secs()))
            .send()
            .await
            .map(|_| ())
            .map_err(|e| sdk_error("dynamodb:UpdateItem", self.resource(event_id), e))
    }

    /// Gives up a claim after a handler failure, so that the retry can claim it again.
    pub async fn release(&self, event_id: Uuid) -> Result<(), AwsError> {
        let released = self
            .client
            .delete_item()
            .table_name(&self.table)
            .key(DEDUP_KEY, AttributeValue::S(event_id.to_string()))
            .condition_expression("#state = :handling")
            .expression_attribute_names("#state", STATE)
            .expression_attribute_values(":handling", AttributeValue::S(HANDLING.to_owned()))
            .send()
            .await;
        match released {
            Ok(_) => Ok(()),
            // Done meanwhile (by a duplicate delivery) or already gone: nothing to give up.
            Err(error)
                if error
                    .as_service_error()
                    .is_some_and(|e| e.is_conditional_check_failed_exception()) =>
            {
                Ok(())
            }
            Err(error) => Err(sdk_error(
                "dynamodb:DeleteItem",
                self.resource(event_id),
                error,
            )),
        }
    }

    fn resource(&self, event_id: Uuid) -> String {
        format!("{}/{event_id}", self.table)
    }
}

/// Creates the de-duplication table if it is missing (on-demand, partition key
/// `eventId` (S), TTL on `expiresAt`) and waits until it is active; checks the key
/// schema and the TTL of one that exists.
pub async fn deploy_dedup_table(
    client: &aws_sdk_dynamodb::Client,
    table: &str,
) -> Result<ResourceChange, AwsError> {
    let described = client.describe_table().table_name(table).send().await;
    let mut change = match described {
        Ok(found) => {
            let keys: Vec<(String, KeyType)> = found
                .table()
                .map(|d| d.key_schema())
                .unwrap_or_default()
                .iter()
                .map(|k| (k.attribute_name().to_owned(), k.key_type().clone()))
                .collect();
            if keys != [(DEDUP_KEY.to_owned(), KeyType::Hash)] {
                return Err(AwsError::Conflict {
                    resource: format!("DynamoDB table {table}"),
                    problem: format!(
                        "its key schema is {keys:?}, but de-duplication needs the partition key \
                         {DEDUP_KEY:?} (S) alone; use another table"
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
            client
                .create_table()
                .table_name(table)
                .billing_mode(BillingMode::PayPerRequest)
                .key_schema(
                    KeySchemaElement::builder()
                        .attribute_name(DEDUP_KEY)
                        .key_type(KeyType::Hash)
                        .build()
                        .map_err(|e| sdk_error("dynamodb:CreateTable", table, e))?,
                )
                .attribute_definitions(
                    AttributeDefinition::builder()
                        .attribute_name(DEDUP_KEY)
                        .attribute_type(ScalarAttributeType::S)
                        .build()
                        .map_err(|e| sdk_error("dynamodb:CreateTable", table, e))?,
                )
                .send()
                .await
                .map_err(|e| sdk_error("dynamodb:CreateTable", table, e))?;
            Change::Created
        }
        Err(error) => return Err(sdk_error("dynamodb:DescribeTable", table, error)),
    };
    let arn = crate::dynamo::wait_active(client, table).await?;
    let ttl = client
        .describe_time_to_live()
        .table_name(table)
        .send()
        .await
        .map_err(|e| sdk_error("dynamodb:DescribeTimeToLive", table, e))?;
    let current = ttl.time_to_live_description();
    let enabled = current.is_some_and(|d| {
        d.attribute_name() == Some(DEDUP_TTL_ATTRIBUTE)
            && d.time_to_live_status()
                .is_some_and(|s| s.as_str() != "DISABLED" && s.as_str() != "DISABLING")
    });
    if !enabled {
        client
            .update_time_to_live()
            .table_name(table)
            .time_to_live_specification(
                TimeToLiveSpecification::builder()
                    .enabled(true)
                    .attribute_name(DEDUP_TTL_ATTRIBUTE)
                    .build()
                    .map_err(|e| sdk_error("dynamodb:UpdateTimeToLive", table, e))?,
            )
            .send()
            .await
            .map_err(|e| sdk_error("dynamodb:UpdateTimeToLive", table, e))?;
        if change == Change::Unchanged {
            change = Change::Updated(vec!["TimeToLive".to_owned()]);
        }
    }
    Ok(ResourceChange {
        kind: ResourceKind::DedupTable,
        name: table.to_owned(),
        arn,
        change,
    })
}
