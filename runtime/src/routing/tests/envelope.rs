//! Decoding SQS bodies: raw delivery, the SNS envelope, and every way a body can fail.

use std::borrow::Cow;

use serde_json::json;

use crate::routing::{
    decode_body, publish_attributes, ArrayItem, AttributeValue, BodyError, DeliveryForm,
    MessageAttributes,
};

const EVENT: &str = r#"{"eventType":"ProductDeleted","version":"1.0.0","eventId":"e1"}"#;

/// An envelope as SNS writes it for an SQS subscriber (shape from the guide's
/// "Example filter policies" page), around `EVENT`.
fn envelope(attributes: serde_json::Value) -> String {
    json!({
        "Type": "Notification",
        "MessageId": "a1b2c34d-567e-8f90-g1h2-i345j67klmn8",
        "TopicArn": "arn:aws:sns:us-east-2:123456789012:product-events",
        "Message": EVENT,
        "Timestamp": "2019-11-03T23:28:01.631Z",
        "SignatureVersion": "1",
        "Signature": "signature",
        "SigningCertURL": "signing-cert-url",
        "UnsubscribeURL": "unsubscribe-url",
        "MessageAttributes": attributes
    })
    .to_string()
}

#[test]
fn a_raw_body_is_the_event_itself() {
    let body = decode_body(EVENT).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(body.form, DeliveryForm::Raw);
    assert!(matches!(body.event, Cow::Borrowed(EVENT)));
    assert_eq!(body.notification, None);
}

#[test]
fn an_envelope_yields_the_message_and_its_attributes() {
    let attributes = publish_attributes("ProductDeleted", "1.0.0");
    let text = envelope(attributes.to_envelope_json());
    let body = decode_body(&text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(body.form, DeliveryForm::SnsEnvelope);
    assert_eq!(body.event, EVENT);
    let notification = body
        .notification
        .unwrap_or_else(|| panic!("no notification"));
    assert_eq!(
        notification.message_id,
        "a1b2c34d-567e-8f90-g1h2-i345j67klmn8"
    );
    assert_eq!(
        notification.topic_arn,
        "arn:aws:sns:us-east-2:123456789012:product-events"
    );
    assert_eq!(notification.subject, None);
    assert_eq!(
        notification.timestamp.as_deref(),
        Some("2019-11-03T23:28:01.631Z")
    );
    assert_eq!(notification.message_attributes, attributes);
}

// The attribute types of the guide's example message, including both spellings of a
// Number value (quoted and bare) that its pages use; Binary attributes are dropped.
#[test]
fn envelope_attributes_of_every_filtered_type() {
    let text = envelope(json!({
        "customer_interests": {"Type": "String.Array", "Value": "[\"soccer\", \"rugby\", 1, true, null]"},
        "store": {"Type": "String", "Value": "example_corp"},
        "price_usd": {"Type": "Number", "Value": "210.75"},
        "price_eur": {"Type": "Number", "Value": 3.015e2},
        "blob": {"Type": "Binary", "Value": "AAEC"}
    }));
    let body = decode_body(&text).unwrap_or_else(|e| panic!("{e}"));
    let expected = MessageAttributes::new()
        .with(
            "customer_interests",
            AttributeValue::StringArray(vec![
                ArrayItem::String("soccer".into()),
                ArrayItem::String("rugby".into()),
                ArrayItem::Number(1.0),
                ArrayItem::Bool(true),
                ArrayItem::Null,
            ]),
        )
        .with("store", AttributeValue::String("example_corp".into()))
        .with("price_usd", AttributeValue::Number(210.75))
        .with("price_eur", AttributeValue::Number(301.5));
    assert_eq!(
        body.notification.map(|n| n.message_attributes),
        Some(expected)
    );
}

fn error(body: &str) -> BodyError {
    match decode_body(body) {
        Ok(b) => panic!("{body} was accepted as {b:?}"),
        Err(e) => e,
    }
}

#[test]
fn every_failure_says_what_the_body_is() {
    let cases: Vec<(String, BodyError, &str)> = vec![
        (
            "not json".to_owned(),
            BodyError::NotJson {
                reason: "expected ident at line 1 column 2".to_owned(),
            },
            "the message body is not JSON: expected ident at line 1 column 2; an event, raw or in an SNS envelope, is a JSON object",
        ),
        (
            "[1, 2]".to_owned(),
            BodyError::NotAnObject { found: "an array" },
            "the message body is an array, not a JSON object; an event, raw or in an SNS envelope, is a JSON object",
        ),
        (
            json!({"Type": "Notification", "MessageId": "m", "TopicArn": "t", "Message": {"eventType": "ProductCreated"}}).to_string(),
            BodyError::MessageNotString { found: "an object" },
            "the SNS envelope's Message is an object; SNS sends the event as a string of JSON text, so this envelope was not written by SNS",
        ),
        (
            json!({"Type": "SubscriptionConfirmation", "MessageId": "m", "TopicArn": "t", "Message": "You have chosen to subscribe", "SubscribeURL": "u", "Token": "k"}).to_string(),
            BodyError::NotANotification { kind: "SubscriptionConfirmation".to_owned() },
            "the message body is an SNS SubscriptionConfirmation, not a Notification, so it carries no event; confirm or ignore the subscription change, and delete the message",
        ),
        (
            json!({"Type": "Telegram", "TopicArn": "t"}).to_string(),
            BodyError::UnknownType { kind: "Telegram".to_owned() },
            "the SNS envelope's Type is \"Telegram\"; SNS sends Notification, SubscriptionConfirmation or UnsubscribeConfirmation",
        ),
        (
            json!({"Type": "Notification", "TopicArn": "t", "Message": EVENT}).to_string(),
            BodyError::MissingField { field: "MessageId" },
            "the SNS envelope has no \"MessageId\"; a Notification always has Type, MessageId, TopicArn and Message",
        ),
        (
            json!({"Type": "Notification", "MessageId": "m", "TopicArn": "t"}).to_string(),
            BodyError::MissingField { field: "Message" },
            "the SNS envelope has no \"Message\"; a Notification always has Type, MessageId, TopicArn and Message",
        ),
        (
            json!({"Type": 7, "TopicArn": "t"}).to_string(),
            BodyError::FieldNotString { field: "Type", found: "a number" },
            "the SNS envelope's \"Type\" is a number, not a string",
        ),
        (
            envelope(json!({"price": {"Type": "Number", "Value": "NaN"}})),
            BodyError::BadAttribute { name: "price".to_owned(), reason: "\"NaN\" is not a number".to_owned() },
            "the SNS envelope's message attribute \"price\" is invalid: \"NaN\" is not a number",
        ),
        (
            envelope(json!({"tags": {"Type": "String.Array", "Value": "[[1]]"}})),
            BodyError::BadAttribute { name: "tags".to_owned(), reason: "a String.Array holds strings, numbers, booleans and nulls, not an array".to_owned() },
            "the SNS envelope's message attribute \"tags\" is invalid: a String.Array holds strings, numbers, booleans and nulls, not an array",
        ),
        (
            envelope(json!({"x": {"Type": "Number.Array", "Value": "[1]"}})),
            BodyError::BadAttribute { name: "x".to_owned(), reason: "its Type \"Number.Array\" is not String, Number, String.Array or Binary".to_owned() },
            "the SNS envelope's message attribute \"x\" is invalid: its Type \"Number.Array\" is not String, Number, String.Array or Binary",
        ),
    ];
    for (body, expected, message) in cases {
        let actual = error(&body);
        assert_eq!(actual, expected, "{body}");
        assert_eq!(actual.to_string(), message, "{body}");
    }
}

// Two readers must never disagree about which Message an envelope carries.
#[test]
fn a_repeated_field_is_not_json_we_accept() {
    let body = r#"{"Type":"Notification","MessageId":"m","TopicArn":"t","Message":"{}","Message":"{\"x\":1}"}"#;
    assert!(matches!(error(body), BodyError::NotJson { .. }));
}

// A raw event that happens to carry a `Type` field (but no `TopicArn`) stays raw.
#[test]
fn only_type_and_topic_arn_together_mean_an_envelope() {
    let body = r#"{"Type":"Notification","eventType":"ProductCreated"}"#;
    assert_eq!(decode_body(body).map(|b| b.form), Ok(DeliveryForm::Raw));
}
