//! Bad input to the shop's `decode`: each is refused with an error that names this crate's
//! envelope (`kind`, `schemaVersion`), never the product's `eventType` and `version`.

use event_contracts_runtime::{DecodeError, Envelope, Violation, DEFAULT_MAX_DEPTH};
use foreign_shop_events::{decode, Decoder};

const ENVELOPE: Envelope = Envelope {
    discriminator: "kind",
    version: "schemaVersion",
};

/// A valid PaymentCaptured with `kind` and `schemaVersion` as given (raw JSON values).
fn payment(kind: &str, version: &str) -> String {
    format!(
        r#"{{"kind":{kind},"schemaVersion":{version},"id":"5b6c7d8e-9f0a-4b1c-8d2e-3f4a5b6c7d8e","occurredAt":"2026-04-01T09:31:15Z","orderId":"ORD-000042","amount":{{"cents":2500,"currency":"EUR"}},"method":"card"}}"#
    )
}

#[test]
fn the_payment_template_is_valid() {
    assert!(decode(payment(r#""PaymentCaptured""#, r#""1.0.0""#).as_bytes()).is_ok());
}

#[test]
fn an_unknown_kind_names_the_kinds_this_crate_knows() {
    let error = decode(payment(r#""OrderShipped""#, r#""1.0.0""#).as_bytes()).unwrap_err();
    assert_eq!(
        error,
        DecodeError::UnknownEventType {
            event_type: "OrderShipped".to_owned(),
            known: vec!["OrderPlaced", "PaymentCaptured"],
            field: "kind",
        }
    );
    assert_eq!(
        error.to_string(),
        r#"unknown event type "OrderShipped"; this build knows OrderPlaced, PaymentCaptured"#
    );
    assert_eq!(error.violations()[0].pointer, "/kind");
}

#[test]
fn a_kind_of_another_event_is_checked_against_that_event_s_schema() {
    let error = decode(payment(r#""OrderPlaced""#, r#""1.0.0""#).as_bytes()).unwrap_err();
    let DecodeError::Invalid {
        event_type,
        schema_file,
        violations,
        ..
    } = &error
    else {
        panic!("{error:?}");
    };
    assert_eq!(event_type, "OrderPlaced");
    assert_eq!(*schema_file, "schemas/order-placed/1.0.0.json");
    let missing: Vec<&str> = violations.iter().map(|v| v.message.as_str()).collect();
    assert_eq!(
        missing,
        [
            r#""customer" is a required property"#,
            r#""lines" is a required property"#,
            r#""channel" is a required property"#,
        ]
    );
}

#[test]
fn a_missing_or_non_string_envelope_names_kind_and_schema_version() {
    let message = r#"the event has no string "kind", so its schema cannot be chosen; every event carries "kind" and "schemaVersion""#;
    for kind in ["7", "null", r#"["PaymentCaptured"]"#] {
        let error = decode(payment(kind, r#""1.0.0""#).as_bytes()).unwrap_err();
        assert_eq!(
            error,
            DecodeError::MissingEnvelope {
                field: "kind",
                envelope: ENVELOPE
            },
            "kind {kind}"
        );
        assert_eq!(error.to_string(), message);
    }
    // An event in the product's envelope has neither of this crate's properties.
    let product_style = r#"{"eventType":"PaymentCaptured","version":"1.0.0"}"#;
    assert_eq!(
        decode(product_style.as_bytes()),
        Err(DecodeError::MissingEnvelope {
            field: "kind",
            envelope: ENVELOPE
        })
    );
    let no_version = r#"{"kind":"PaymentCaptured","version":"1.0.0"}"#;
    let error = decode(no_version.as_bytes()).unwrap_err();
    assert_eq!(
        error,
        DecodeError::MissingEnvelope {
            field: "schemaVersion",
            envelope: ENVELOPE
        }
    );
    assert_eq!(
        error.violations(),
        [Violation {
            pointer: String::new(),
            keyword: "required".to_owned(),
            message: r#"the event has no string "schemaVersion""#.to_owned(),
        }]
    );
}

#[test]
fn an_unsupported_major_says_which_versions_this_crate_reads() {
    let error = decode(payment(r#""PaymentCaptured""#, r#""2.0.0""#).as_bytes()).unwrap_err();
    assert_eq!(
        error,
        DecodeError::UnsupportedVersion {
            event_type: "PaymentCaptured".to_owned(),
            version: "2.0.0".to_owned(),
            supported: vec!["1.0.0".to_owned()],
            field: "schemaVersion",
            crate_name: "foreign-shop-events",
        }
    );
    assert_eq!(
        error.to_string(),
        "PaymentCaptured version 2.0.0 is not supported: this build reads 1.0.0; upgrade foreign-shop-events to read it"
    );
    assert_eq!(error.violations()[0].pointer, "/schemaVersion");
}

#[test]
fn a_version_that_is_not_semver_is_named_by_its_property() {
    let error = decode(payment(r#""PaymentCaptured""#, r#""1.0""#).as_bytes()).unwrap_err();
    assert_eq!(
        error,
        DecodeError::BadVersion {
            version: "1.0".to_owned(),
            field: "schemaVersion"
        }
    );
    assert_eq!(
        error.to_string(),
        r#"schemaVersion "1.0" is not MAJOR.MINOR.PATCH (e.g. "1.0.0")"#
    );
    assert_eq!(error.violations()[0].pointer, "/schemaVersion");
}

/// The error of a syntax failure, as (message, line, column).
fn syntax(error: DecodeError) -> (String, usize, usize) {
    match error {
        DecodeError::Syntax {
            message,
            line,
            column,
        } => (message, line, column),
        other => panic!("expected a syntax error, got {other:?}"),
    }
}

#[test]
fn a_duplicate_key_is_refused_at_any_depth() {
    // At the top level: a second `kind` could otherwise choose another schema than the one
    // a consumer reads.
    let text = r#"{"kind":"PaymentCaptured","kind":"OrderPlaced","schemaVersion":"1.0.0"}"#;
    assert_eq!(
        syntax(decode(text.as_bytes()).unwrap_err()),
        (
            r#"duplicate key "kind" in one object; send each key once at line 1 column 32"#
                .to_owned(),
            1,
            32
        )
    );
    // Inside a declared object, and inside an undeclared one.
    let nested = payment(r#""PaymentCaptured""#, r#""1.0.0""#)
        .replace(r#""cents":2500,"#, r#""cents":2500,"cents":1,"#);
    let (message, ..) = syntax(decode(nested.as_bytes()).unwrap_err());
    assert!(
        message.starts_with(r#"duplicate key "cents" in one object; send each key once"#),
        "{message}"
    );
    let unknown = payment(r#""PaymentCaptured""#, r#""1.0.0""#).replace(
        r#""method":"card""#,
        r#""method":"card","meta":{"a":1,"a":2}"#,
    );
    let (message, ..) = syntax(decode(unknown.as_bytes()).unwrap_err());
    assert!(
        message.starts_with(r#"duplicate key "a" in one object; send each key once"#),
        "{message}"
    );
}

#[test]
fn nesting_past_the_limit_is_refused_before_it_is_read() {
    let depth = DEFAULT_MAX_DEPTH + 1;
    // One level for the event object, the rest in an undeclared property.
    let deep = format!("{}{}", "[".repeat(depth - 1), "]".repeat(depth - 1));
    let text = payment(r#""PaymentCaptured""#, r#""1.0.0""#).replace(
        r#""method":"card""#,
        &format!(r#""method":"card","deep":{deep}"#),
    );
    let offset = text.find('[').unwrap() + (DEFAULT_MAX_DEPTH - 1);
    assert_eq!(
        decode(text.as_bytes()),
        Err(DecodeError::TooDeep {
            limit: DEFAULT_MAX_DEPTH,
            offset
        })
    );
    // A decoder with room for it reads it, and keeps it.
    assert!(Decoder::new()
        .max_depth(100)
        .decode(text.as_bytes())
        .is_ok());
    // One level less is within the default limit.
    let shallower = text.replacen('[', "", 1).replacen(']', "", 1);
    assert!(decode(shallower.as_bytes()).is_ok());
}

#[test]
fn input_that_is_not_json_or_not_an_event_is_refused() {
    assert_eq!(
        syntax(decode(br#"{"kind":"PaymentCaptured","#).unwrap_err()),
        (
            "EOF while parsing a value at line 1 column 26".to_owned(),
            1,
            26
        )
    );
    assert_eq!(
        syntax(decode(b"kind=PaymentCaptured").unwrap_err()),
        ("expected value at line 1 column 1".to_owned(), 1, 1)
    );
    assert_eq!(
        decode(br#"["PaymentCaptured"]"#),
        Err(DecodeError::NotAnObject { found: "an array" })
    );
    assert_eq!(
        decode(b"\"PaymentCaptured\""),
        Err(DecodeError::NotAnObject { found: "a string" })
    );
    assert_eq!(
        decode(b"{\"kind\":\"Payment\xffCaptured\"}"),
        Err(DecodeError::InvalidUtf8 { offset: 16 })
    );
    let text = payment(r#""PaymentCaptured""#, r#""1.0.0""#);
    assert_eq!(
        Decoder::new().max_size(100).decode(text.as_bytes()),
        Err(DecodeError::TooLarge {
            size: text.len(),
            limit: 100
        })
    );
}
