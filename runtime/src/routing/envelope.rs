//! Reading an SQS message body: the event JSON itself (raw message delivery) or the SNS
//! notification envelope that carries it as a string (the default for SNS-to-SQS).

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::filter::{ArrayItem, AttributeValue, MessageAttributes};
// Duplicate keys are rejected: an envelope with two `Message` fields must not mean one
// thing here and another to a different reader.
use event_contracts_check::strict_json::parse_strict;

/// How the event arrived in the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryForm {
    /// Raw message delivery: the body is the event.
    Raw,
    /// The SNS envelope (`"Type": "Notification"`): the event is its `Message`.
    SnsEnvelope,
}

/// What an SQS body holds.
#[derive(Debug, Clone, PartialEq)]
pub struct SqsBody<'a> {
    /// How the event arrived.
    pub form: DeliveryForm,
    /// The event's JSON text, not yet decoded.
    pub event: Cow<'a, str>,
    /// The envelope's other fields, for [`DeliveryForm::SnsEnvelope`].
    pub notification: Option<SnsNotification>,
}

/// The fields of an SNS notification envelope other than the event itself.
#[derive(Debug, Clone, PartialEq)]
pub struct SnsNotification {
    /// `MessageId`.
    pub message_id: String,
    /// `TopicArn`.
    pub topic_arn: String,
    /// `Subject`, if the publisher set one.
    pub subject: Option<String>,
    /// `Timestamp`, as SNS wrote it.
    pub timestamp: Option<String>,
    /// `MessageAttributes` (`Binary` ones are left out: SNS never filters on them).
    pub message_attributes: MessageAttributes,
}

/// Why an SQS body holds no event.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BodyError {
    /// The body is not JSON.
    #[error("the message body is not JSON: {reason}; an event, raw or in an SNS envelope, is a JSON object")]
    NotJson {
        /// What the JSON parser said, with the line and column.
        reason: String,
    },
    /// The body is JSON, but not an object.
    #[error("the message body is {found}, not a JSON object; an event, raw or in an SNS envelope, is a JSON object")]
    NotAnObject {
        /// What it is instead.
        found: &'static str,
    },
    /// The body is an SNS message of another kind, which carries no event.
    #[error("the message body is an SNS {kind}, not a Notification, so it carries no event; confirm or ignore the subscription change, and delete the message")]
    NotANotification {
        /// `SubscriptionConfirmation` or `UnsubscribeConfirmation`.
        kind: String,
    },
    /// The envelope's `Type` is not one SNS sends.
    #[error("the SNS envelope's Type is {kind:?}; SNS sends Notification, SubscriptionConfirmation or UnsubscribeConfirmation")]
    UnknownType {
        /// The `Type` found.
        kind: String,
    },
    /// The envelope lacks a field every notification has.
    #[error("the SNS envelope has no {field:?}; a Notification always has Type, MessageId, TopicArn and Message")]
    MissingField {
        /// The field.
        field: &'static str,
    },
    /// `Message` is not a string: SNS always sends the event as JSON text.
    #[error("the SNS envelope's Message is {found}; SNS sends the event as a string of JSON text, so this envelope was not written by SNS")]
    MessageNotString {
        /// What it is instead.
        found: &'static str,
    },
    /// Another envelope field has the wrong type.
    #[error("the SNS envelope's {field:?} is {found}, not a string")]
    FieldNotString {
        /// The field.
        field: &'static str,
        /// What it is instead.
        found: &'static str,
    },
    /// A message attribute cannot be read.
    #[error("the SNS envelope's message attribute {name:?} is invalid: {reason}")]
    BadAttribute {
        /// The attribute name.
        name: String,
        /// What is wrong with it.
        reason: String,
    },
}

/// Reads an SQS body: raw delivery or the SNS envelope, told apart by the envelope's
/// `Type` and `TopicArn` fields (every SNS message has both; no event schema does).
pub fn decode_body(body: &str) -> Result<SqsBody<'_>, BodyError> {
    let value = parse_strict(body).map_err(|e| BodyError::NotJson {
        reason: e.to_string(),
    })?;
    let Value::Object(mut map) = value else {
        return Err(BodyError::NotAnObject {
            found: kind(&value),
        });
    };
    if !(map.contains_key("Type") && map.contains_key("TopicArn")) {
        return Ok(SqsBody {
            form: DeliveryForm::Raw,
            event: Cow::Borrowed(body),
            notification: None,
        });
    }
    match required_string(&mut map, "Type")?.as_str() {
        "Notification" => {}
        kind @ ("SubscriptionConfirmation" | "UnsubscribeConfirmation") => {
            return Err(BodyError::NotANotification {
                kind: kind.to_owned(),
            })
        }
        other => {
            return Err(BodyError::UnknownType {
                kind: other.to_owned(),
            })
        }
    }
    let event = match map.remove("Message") {
        Some(Value::String(message)) => message,
        Some(other) => {
            return Err(BodyError::MessageNotString {
                found: kind(&other),
            })
        }
        None => return Err(BodyError::MissingField { field: "Message" }),
    };
    let notification = SnsNotification {
        message_id: required_string(&mut map, "MessageId")?,
        topic_arn: required_string(&mut map, "TopicArn")?,
        subject: optional_string(&mut map, "Subject")?,
        timestamp: optional_string(&mut map, "Timestamp")?,
        message_attributes: match map.remove("MessageAttributes") {
            None | Some(Value::Null) => MessageAttributes::new(),
            Some(Value::Object(attributes)) => envelope_attributes(attributes)?,
            Some(other) => {
                return Err(BodyError::BadAttribute {
                    name: "MessageAttributes".to_owned(),
                    reason: format!("MessageAttributes is {}, not an object", kind(&other)),
                })
            }
        },
    };
    Ok(SqsBody {
        form: DeliveryForm::SnsEnvelope,
        event: Cow::Owned(event),
        notification: Some(notification),
    })
}

fn required_string(map: &mut Map<String, Value>, field: &'static str) -> Result<String, BodyError> {
    optional_string(map, field)?.ok_or(BodyError::MissingField { field })
}

fn optional_string(
    map: &mut Map<String, Value>,
    field: &'static str,
) -> Result<Option<String>, BodyError> {
    match map.remove(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(BodyError::FieldNotString {
            field,
            found: kind(&other),
        }),
    }
}

/// Reads the envelope's `MessageAttributes`: `{"name": {"Type": "String", "Value": "x"}}`.
fn envelope_attributes(attributes: Map<String, Value>) -> Result<MessageAttributes, BodyError> {
    let mut out = MessageAttributes::new();
    for (name, attribute) in attributes {
        let bad = |reason: String| BodyError::BadAttribute {
            name: name.clone(),
            reason,
        };
        let Value::Object(attribute) = attribute else {
            return Err(bad(format!(
                "it is {}, not an object with Type and Value",
                kind(&attribute)
            )));
        };
        let data_type = match attribute.get("Type") {
            Some(Value::String(t)) => t.as_str(),
            _ => return Err(bad("it has no string Type".to_owned())),
        };
        let value = attribute.get("Value");
        let parsed = match (data_type, value) {
            ("String", Some(Value::String(s))) => AttributeValue::String(s.clone()),
            ("Number", Some(Value::String(s))) => AttributeValue::Number(
                number_text(s).ok_or_else(|| bad(format!("{s:?} is not a number")))?,
            ),
            // The guide writes some Number values unquoted; accept both spellings.
            ("Number", Some(Value::Number(n))) => AttributeValue::Number(
                n.as_f64()
                    .ok_or_else(|| bad(format!("{n} is not a finite number")))?,
            ),
            ("String.Array", Some(Value::String(s))) => {
                AttributeValue::StringArray(array_text(s).map_err(bad)?)
            }
            // SNS compares only String, String.Array and Number attributes.
            ("Binary", _) => continue,
            ("String" | "Number" | "String.Array", _) => {
                return Err(bad(format!(
                    "its Value is missing or not a string for Type {data_type}"
                )))
            }
            (other, _) => {
                return Err(bad(format!(
                    "its Type {other:?} is not String, Number, String.Array or Binary"
                )))
            }
        };
        out.insert(name, parsed);
    }
    Ok(out)
}

fn number_text(text: &str) -> Option<f64> {
    // JSON's number grammar, which SNS's examples follow: no "NaN", "inf" or "0x10".
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Number(n)) => n.as_f64().filter(|n| n.is_finite()),
        _ => None,
    }
}

fn array_text(text: &str) -> Result<Vec<ArrayItem>, String> {
    let value = parse_strict(text)
        .map_err(|e| format!("its String.Array Value is not a JSON array: {e}"))?;
    let Value::Array(items) = value else {
        return Err(format!(
            "its String.Array Value is {}, not a JSON array",
            kind(&value)
        ));
    };
    items
        .into_iter()
        .map(|item| match item {
            Value::String(s) => Ok(ArrayItem::String(s)),
            Value::Number(n) => n
                .as_f64()
                .map(ArrayItem::Number)
                .ok_or_else(|| format!("{n} is not a finite number")),
            Value::Bool(b) => Ok(ArrayItem::Bool(b)),
            Value::Null => Ok(ArrayItem::Null),
            other => Err(format!(
                "a String.Array holds strings, numbers, booleans and nulls, not {}",
                kind(&other)
            )),
        })
        .collect()
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
