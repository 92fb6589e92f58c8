//! Routing: which queues receive which events (SNS filter policies on message
//! attributes), what a publisher must attach for that to work, how to read what a
//! queue delivers, and how failed deliveries are retried.
//!
//! This module is generic. A crate's routing table (`Queue`, `SUBSCRIPTIONS`,
//! `RETRY_POLICY`, `route_event_type`) is generated from its `routing.yaml` by
//! `event_contracts_codegen::routing::emit`, which checks the file at build time (with
//! this module's own filter-policy parser) and refers only to the items here and to std.

mod envelope;
mod filter;
mod retry;

#[cfg(test)]
mod tests;

pub use envelope::{decode_body, BodyError, DeliveryForm, SnsNotification, SqsBody};
/// Compares two strings at compile time (generated code asserts that the attribute
/// names it was checked with are the ones this module sends).
#[doc(hidden)]
pub use event_contracts_check::schema::same_text;
pub use filter::{
    AnythingBut, ArrayItem, AttributeValue, Bound, Condition, FilterPolicy, Fixed, KeyFilter,
    Literal, MessageAttributes, Numeric, PolicyError, Text, MAX_COMBINATIONS, MAX_KEYS,
    NUMERIC_LIMIT, SUPPORTED_OPERATORS,
};
pub use retry::{JitterSource, RetryPolicy, SplitMix64};

use serde_json::{Map, Value};

/// The message attribute that carries the event type; filter policies route on it.
pub const EVENT_TYPE_ATTRIBUTE: &str = "eventType";

/// The message attribute that carries the event's schema version.
pub const VERSION_ATTRIBUTE: &str = "version";

/// The message attributes a publisher must send with an event, both as `String`.
pub fn publish_attributes(event_type: &str, version: &str) -> MessageAttributes {
    MessageAttributes::new()
        .with(
            EVENT_TYPE_ATTRIBUTE,
            AttributeValue::String(event_type.to_owned()),
        )
        .with(
            VERSION_ATTRIBUTE,
            AttributeValue::String(version.to_owned()),
        )
}

/// One queue's subscription to the topic.
#[derive(Debug, Clone, PartialEq)]
pub struct Subscription<Q> {
    /// The subscribed queue.
    pub queue: Q,
    /// Whether SNS delivers the bare event (`true`) or the notification envelope.
    pub raw_message_delivery: bool,
    /// The filter policy; `None` receives every message.
    pub filter_policy: Option<FilterPolicy>,
}

impl<Q> Subscription<Q> {
    /// Whether SNS would deliver a message with these attributes to this subscription.
    pub fn accepts(&self, attributes: &MessageAttributes) -> bool {
        self.filter_policy
            .as_ref()
            .is_none_or(|policy| policy.matches(attributes))
    }
}

/// The queues that receive a message with these attributes, in subscription order.
pub fn matching_queues<Q: Copy + PartialEq>(
    subscriptions: &[Subscription<Q>],
    attributes: &MessageAttributes,
) -> Vec<Q> {
    let mut queues = Vec::new();
    for subscription in subscriptions {
        if subscription.accepts(attributes) && !queues.contains(&subscription.queue) {
            queues.push(subscription.queue);
        }
    }
    queues
}

/// Why a filter policy's text was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyParseError {
    /// The text is not JSON (or repeats a key).
    #[error("the filter policy is not valid JSON: {0}")]
    Json(String),
    /// The JSON is not a policy this evaluator accepts.
    #[error(transparent)]
    Policy(#[from] PolicyError),
}

impl FilterPolicy {
    /// Parses a policy from its JSON text, as set on an SNS subscription.
    pub fn parse(text: &str) -> Result<FilterPolicy, PolicyParseError> {
        let value = event_contracts_check::strict_json::parse_strict(text)
            .map_err(|e| PolicyParseError::Json(e.to_string()))?;
        Ok(FilterPolicy::from_json(&value)?)
    }
}

impl MessageAttributes {
    /// The attributes in the shape SNS `Publish` takes (`DataType`, `StringValue`).
    pub fn to_publish_json(&self) -> Value {
        let mut map = Map::new();
        for (name, value) in self.iter() {
            let mut attribute = Map::new();
            attribute.insert("DataType".to_owned(), Value::from(value.data_type()));
            attribute.insert("StringValue".to_owned(), Value::from(value.wire_value()));
            map.insert(name.to_owned(), Value::Object(attribute));
        }
        Value::Object(map)
    }

    /// The attributes in the shape an SNS notification envelope carries (`Type`, `Value`).
    pub fn to_envelope_json(&self) -> Value {
        let mut map = Map::new();
        for (name, value) in self.iter() {
            let mut attribute = Map::new();
            attribute.insert("Type".to_owned(), Value::from(value.data_type()));
            attribute.insert("Value".to_owned(), Value::from(value.wire_value()));
            map.insert(name.to_owned(), Value::Object(attribute));
        }
        Value::Object(map)
    }
}
