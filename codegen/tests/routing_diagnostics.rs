//! What a wrong routing.yaml reports: every problem at once, each with its line, its
//! place in the file and what to do.

use event_contracts_codegen::routing::{self, RoutingOptions};
use event_contracts_codegen::Diagnostics;

const EVENTS: [&str; 4] = [
    "LowStockWarning",
    "ProductCreated",
    "ProductDeleted",
    "ProductUpdated",
];

const FILE: &str = "schemas/routing.yaml";

fn parse(text: &str) -> Result<routing::RoutingModel, Diagnostics> {
    routing::parse(FILE, text, &EVENTS, &RoutingOptions::default())
}

/// The problems as (line, message) pairs.
fn problems(text: &str) -> Vec<(Option<usize>, String)> {
    match parse(text) {
        Ok(model) => panic!("accepted: {model:?}"),
        Err(Diagnostics(diags)) => diags.into_iter().map(|d| (d.line, d.message)).collect(),
    }
}

/// A valid file with `replace` swapped for `with`.
fn valid_with(replace: &str, with: &str) -> String {
    assert!(
        VALID.contains(replace),
        "{replace:?} is not in the valid file"
    );
    VALID.replacen(replace, with, 1)
}

const VALID: &str = "\
topic:
  name: product-events
queues:
  notifications-queue:
    messageRetentionSeconds: 1209600
    deadLetterQueue: notifications-dlq
    maxReceiveCount: 3
  analytics-queue:
    deadLetterQueue: analytics-dlq
    maxReceiveCount: 5
deadLetterQueues:
  notifications-dlq:
    messageRetentionSeconds: 1209600
  analytics-dlq: {}
subscriptions:
  - queue: notifications-queue
    protocol: sqs
    filterPolicy:
      eventType: [ProductCreated, LowStockWarning]
  - queue: analytics-queue
    protocol: sqs
retryPolicy:
  maxRetries: 2
  backoffMultiplier: 2
  initialDelayMs: 1000
  maxDelayMs: 30000
  jitter: true
";

#[test]
fn the_valid_file_is_valid() {
    let model = parse(VALID).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        routing::queues_for(&model, "ProductDeleted", "1.0.0"),
        ["analytics-queue"]
    );
    assert_eq!(
        model.dead_letter_queues[1].message_retention_seconds,
        345_600
    );
}

// The example mistakes in one file, reported together.
#[test]
fn several_mistakes_are_reported_at_once() {
    let text = "\
topic:
  name: product events
queues:
  notifications-queue:
    visibilityTimeout: 30
    deadLetterQueue: notifications-dlq
    maxReceiveCount: 3
  analytics-queue:
    visibilityTimeoutSeconds: 60
deadLetterQueues:
  notifications-dlq: {}
  analytics-dlq: {}
subscriptions:
  - queue: notifications-queue
    protocol: sqs
    filterPolicy:
      eventType: [ProductCreatd, ProductUpdated, LowStockWarning]
  - queue: analytics-queue
    protocol: sqs
    filterPolicy:
      eventType: [{wildcard: 'Product*'}]
  - queue: audit-queue
    protocol: sqs
retryPolicy:
  maxRetries: 2
  backoffMultiplier: 2
  initialDelayMs: 1000
  maxDelayMs: 30000
  jitter: true
";
    let report = parse(text).unwrap_err().to_string();
    insta::assert_snapshot!("routing_several_mistakes", report);
}

#[test]
fn a_misspelled_event_type_names_its_line_and_the_fix() {
    let text = valid_with(
        "[ProductCreated, LowStockWarning]",
        "[ProductCreatd, LowStockWarning]",
    );
    let Err(Diagnostics(diags)) = parse(&text) else {
        panic!("accepted")
    };
    assert_eq!(diags.len(), 1);
    let d = &diags[0];
    assert_eq!(d.file, FILE);
    assert_eq!(d.line, Some(19));
    assert_eq!(d.pointer, "/subscriptions/0/filterPolicy/eventType/0");
    assert_eq!(
        d.message,
        "the filter policy names the event type \"ProductCreatd\", which has no schema"
    );
    assert_eq!(
        d.help,
        "did you mean \"ProductCreated\"? (event types with a schema: LowStockWarning, \
         ProductCreated, ProductDeleted, ProductUpdated)"
    );
}

#[test]
fn each_check_reports_its_problem() {
    // (file, [(line, message)])
    type Case = (String, Vec<(Option<usize>, &'static str)>);
    let cases: Vec<Case> = vec![
        (
            valid_with("    deadLetterQueue: analytics-dlq\n    maxReceiveCount: 5\n", ""),
            vec![
                (Some(8), "the queue \"analytics-queue\" has no dead-letter queue"),
                (Some(12), "the dead-letter queue \"analytics-dlq\" is used by no queue"),
            ],
        ),
        (
            valid_with("deadLetterQueue: analytics-dlq", "deadLetterQueue: analytics-dql"),
            vec![
                (Some(9), "no dead-letter queue is named \"analytics-dql\""),
                (Some(14), "the dead-letter queue \"analytics-dlq\" is used by no queue"),
            ],
        ),
        (
            valid_with("deadLetterQueue: analytics-dlq", "deadLetterQueue: notifications-queue"),
            vec![
                (Some(9), "the dead-letter queue of \"analytics-queue\" is \"notifications-queue\", a subscribed queue"),
                (Some(14), "the dead-letter queue \"analytics-dlq\" is used by no queue"),
            ],
        ),
        (
            valid_with("deadLetterQueue: analytics-dlq", "deadLetterQueue: analytics-queue"),
            vec![
                (Some(9), "the queue \"analytics-queue\" is its own dead-letter queue"),
                (Some(14), "the dead-letter queue \"analytics-dlq\" is used by no queue"),
            ],
        ),
        (
            valid_with("    maxReceiveCount: 5\n", ""),
            vec![(Some(9), "queue \"analytics-queue\" names a dead-letter queue but no `maxReceiveCount`")],
        ),
        (
            valid_with("  notifications-dlq:\n    messageRetentionSeconds: 1209600\n", "  notifications-dlq: {}\n"),
            vec![(Some(12), "the dead-letter queue \"notifications-dlq\" keeps messages 345600 s (4 days), less than its source \"notifications-queue\" (1209600 s (14 days))")],
        ),
        (
            valid_with("  - queue: analytics-queue\n", "  - queue: analytics-queu\n"),
            vec![
                (Some(8), "no subscription delivers to the queue \"analytics-queue\""),
                (Some(20), "the subscription delivers to \"analytics-queu\", which is not a declared queue"),
            ],
        ),
        (
            valid_with("  - queue: analytics-queue\n", "  - queue: analytics-dlq\n"),
            vec![
                (Some(8), "no subscription delivers to the queue \"analytics-queue\""),
                (Some(20), "the subscription delivers to \"analytics-dlq\", a dead-letter queue"),
            ],
        ),
        (
            valid_with("  - queue: analytics-queue\n", "  - queue: notifications-queue\n"),
            vec![
                (Some(8), "no subscription delivers to the queue \"analytics-queue\""),
                (Some(20), "the queue \"notifications-queue\" is subscribed twice (first at line 16)"),
            ],
        ),
        (
            valid_with("    protocol: sqs\nretryPolicy", "    protocol: lambda\nretryPolicy"),
            vec![(Some(21), "the protocol \"lambda\" is not supported; the routing contract subscribes SQS queues")],
        ),
        (
            valid_with("eventType: [ProductCreated, LowStockWarning]", "eventType: [{anything-but: [ProductDeleted, ProductUpdatd]}]"),
            vec![(Some(19), "the filter policy names the event type \"ProductUpdatd\", which has no schema")],
        ),
        (
            valid_with("eventType: [ProductCreated, LowStockWarning]", "eventType: [{prefix: Order}]"),
            vec![(Some(19), "the prefix \"Order\" matches no event type")],
        ),
        (
            valid_with("eventType: [ProductCreated, LowStockWarning]", "eventType: [{numeric: ['>', 1]}]"),
            vec![(Some(19), "the filter policy's numeric condition on \"eventType\" never matches: \"eventType\" is sent as a String")],
        ),
        (
            valid_with("eventType: [ProductCreated, LowStockWarning]", "eventType: [{exists: false}]"),
            vec![(Some(19), "the filter policy's {\"exists\": false} on \"eventType\" never matches: every event carries \"eventType\"")],
        ),
        (
            valid_with("      eventType: [ProductCreated, LowStockWarning]", "      eventType: [ProductCreated]\n      store: [example_corp]"),
            vec![(Some(20), "the filter policy tests the attribute \"store\", which publishers do not send (they send \"eventType\" and \"version\")")],
        ),
        (
            valid_with("eventType: [ProductCreated, LowStockWarning]", "eventType:\n        - ProductCreated\n        - {cidr: 10.0.0.0/8}"),
            vec![(Some(21), "the filter-policy operator \"cidr\" is not supported")],
        ),
        (
            valid_with("      eventType: [ProductCreated, LowStockWarning]", "      eventType: ProductCreated"),
            vec![(Some(19), "the conditions on \"eventType\" must be an array, not a string")],
        ),
        (
            valid_with("eventType: [ProductCreated, LowStockWarning]", "version: [{prefix: '1.'}]"),
            vec![],
        ),
        (
            valid_with("  name: product-events", &format!("  name: product-events\n  displayName: {}", "x".repeat(101))),
            vec![(Some(3), "the topic's `displayName` has 101 characters; SNS allows 100")],
        ),
        (
            valid_with("  name: product-events", "  name: product-events.fifo"),
            vec![(Some(2), "\"product-events.fifo\" names a FIFO SNS topic, which the routing contract does not support")],
        ),
        (
            valid_with("  analytics-dlq: {}", "  analytics_dlq: {}"),
            vec![
                (Some(9), "no dead-letter queue is named \"analytics-dlq\""),
                (Some(14), "the dead-letter queue \"analytics_dlq\" is used by no queue"),
            ],
        ),
        (
            valid_with("  analytics-dlq: {}", "  analytics-dlq: {}\n  analytics_dlq: {}"),
            vec![
                (Some(15), "the queues \"analytics-dlq\" (line 14) and \"analytics_dlq\" both become the Rust variant Queue::AnalyticsDlq"),
                (Some(15), "the dead-letter queue \"analytics_dlq\" is used by no queue"),
            ],
        ),
        (
            valid_with("  analytics-dlq: {}", "  analytics-dlq: {}\n  notifications-queue: {}"),
            vec![
                (Some(15), "the queue \"notifications-queue\" is declared twice (first at line 4)"),
                (Some(15), "the dead-letter queue \"notifications-queue\" is used by no queue"),
            ],
        ),
        (
            valid_with("  analytics-queue:\n", "  analytics queue:\n"),
            vec![
                (Some(8), "\"analytics queue\" is not a valid SQS queue name: it contains ' '"),
                (Some(8), "no subscription delivers to the queue \"analytics queue\""),
                (Some(20), "the subscription delivers to \"analytics-queue\", which is not a declared queue"),
            ],
        ),
    ];
    let mut mismatches = Vec::new();
    for (text, expected) in cases {
        let actual: Vec<(Option<usize>, String)> = match parse(&text) {
            Ok(_) => Vec::new(),
            Err(Diagnostics(diags)) => diags.into_iter().map(|d| (d.line, d.message)).collect(),
        };
        let expected: Vec<(Option<usize>, String)> = expected
            .into_iter()
            .map(|(l, m)| (l, m.to_owned()))
            .collect();
        if actual != expected {
            mismatches.push(format!(
                "{text}\n  expected {expected:?}\n  actual   {actual:?}"
            ));
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n\n"));
}

#[test]
fn numbers_are_checked_against_sqs_limits() {
    let cases = [
        ("visibilityTimeoutSeconds: 50000", "the `visibilityTimeoutSeconds` of queue \"analytics-queue\" is 50000, outside 0 to 43200 seconds"),
        ("messageRetentionSeconds: 30", "the `messageRetentionSeconds` of queue \"analytics-queue\" is 30, outside 60 to 1209600 seconds"),
        ("messageRetentionSeconds: 1209601", "the `messageRetentionSeconds` of queue \"analytics-queue\" is 1209601, outside 60 to 1209600 seconds"),
        ("visibilityTimeoutSeconds: '60'", "the `visibilityTimeoutSeconds` of queue \"analytics-queue\" must be a whole number of seconds, not the text \"60\""),
        ("visibilityTimeoutSeconds: 1.5", "the `visibilityTimeoutSeconds` of queue \"analytics-queue\" must be a whole number of seconds, not the number 1.5"),
    ];
    for (line, expected) in cases {
        let text = valid_with(
            "  analytics-queue:\n",
            &format!("  analytics-queue:\n    {line}\n"),
        );
        assert_eq!(problems(&text), [(Some(9), expected.to_owned())], "{line}");
    }
    let text = valid_with("maxReceiveCount: 5", "maxReceiveCount: 0");
    assert_eq!(
        problems(&text),
        [(
            Some(10),
            "the `maxReceiveCount` of queue \"analytics-queue\" is 0, outside 1 to 1000 receives"
                .to_owned()
        )]
    );
    let text = valid_with("maxReceiveCount: 5", "maxReceiveCount: 1001");
    assert_eq!(
        problems(&text),
        [(Some(10), "the `maxReceiveCount` of queue \"analytics-queue\" is 1001, outside 1 to 1000 receives".to_owned())]
    );
}

#[test]
fn the_retry_policy_is_checked() {
    let text = valid_with("  backoffMultiplier: 2\n", "  backoffMultiplier: 0.5\n");
    assert_eq!(
        problems(&text),
        [(
            Some(24),
            "the retry policy's `backoffMultiplier` is 0.5; below 1 the delays would shrink"
                .to_owned()
        )]
    );
    let text = valid_with("  maxDelayMs: 30000\n", "  maxDelayMs: 500\n");
    assert_eq!(
        problems(&text),
        [(
            Some(26),
            "the retry policy's `maxDelayMs` (500) is below its `initialDelayMs` (1000)".to_owned()
        )]
    );
    let text = valid_with("  jitter: true\n", "  jitter: yes\n");
    assert_eq!(
        problems(&text),
        [(
            Some(27),
            "the retry policy's `jitter` must be true or false, not the text \"yes\"".to_owned()
        )]
    );
    let text = valid_with("  jitter: true\n", "");
    assert_eq!(
        problems(&text),
        [(Some(22), "the retry policy has no `jitter`".to_owned())]
    );
}

#[test]
fn unknown_keys_are_never_ignored() {
    let text = valid_with("retryPolicy:\n", "retryPolicy:\n  maxRetry: 3\n");
    let Err(Diagnostics(diags)) = parse(&text) else {
        panic!("accepted")
    };
    let d = &diags[0];
    assert_eq!(
        (d.line, d.pointer.as_str()),
        (Some(23), "/retryPolicy/maxRetry")
    );
    assert_eq!(d.message, "unknown key `maxRetry` in the retry policy");
    assert_eq!(
        d.help,
        "did you mean `maxRetries`? the keys of the retry policy are: maxRetries, \
         backoffMultiplier, initialDelayMs, maxDelayMs, jitter"
    );
    let text = format!("{VALID}Topics: {{}}\n");
    assert_eq!(
        problems(&text),
        [(
            Some(28),
            "unknown key `Topics` in the routing file".to_owned()
        )]
    );
}

#[test]
fn yaml_problems_name_their_lines() {
    let text = valid_with(
        "deadLetterQueue: analytics-dlq",
        "deadLetterQueue: !GetAtt AnalyticsDLQ.Arn",
    );
    assert_eq!(
        problems(&text)[0],
        (
            Some(9),
            "YAML tags such as !GetAtt are not supported in routing.yaml".to_owned()
        )
    );
    let text = valid_with(
        "    maxReceiveCount: 5\n",
        "    maxReceiveCount: 5\n    maxReceiveCount: 6\n",
    );
    assert_eq!(
        problems(&text),
        [(
            Some(11),
            "the key \"maxReceiveCount\" appears twice in one mapping (first at line 10)"
                .to_owned()
        )]
    );
    let text = valid_with("  jitter: true\n", "  jitter: [true\n");
    let found = problems(&text);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].0, Some(28));
    assert!(
        found[0].1.starts_with("the file is not valid YAML: "),
        "{}",
        found[0].1
    );
    assert_eq!(
        problems("# nothing yet\n"),
        [(None, "the file is empty".to_owned())]
    );
    assert_eq!(
        problems("- a\n- b\n"),
        [
            (None, "the routing file has no `topic` section".to_owned()),
            (None, "the routing file has no `queues` section".to_owned()),
            (
                None,
                "the routing file has no `deadLetterQueues` section".to_owned()
            ),
            (
                None,
                "the routing file has no `subscriptions` section".to_owned()
            ),
            (
                None,
                "the routing file has no `retryPolicy` section".to_owned()
            ),
            (
                Some(1),
                "the routing file must be a mapping of keys to values, not a list".to_owned()
            ),
        ]
    );
}

#[test]
fn a_folder_without_routing_yaml_has_no_routing() {
    let files = event_contracts_codegen::SchemaFiles::from_files(
        "schemas",
        [("product-created/1.0.0.json", "{}")],
    );
    assert_eq!(
        routing::load(&files, &EVENTS, &RoutingOptions::default()),
        Ok(None)
    );
    let files =
        event_contracts_codegen::SchemaFiles::from_files("schemas", [("routing.yml", "topic: {}")]);
    let Err(Diagnostics(diags)) = routing::load(&files, &EVENTS, &RoutingOptions::default()) else {
        panic!("routing.yml was accepted")
    };
    assert_eq!(diags[0].file, "schemas/routing.yml");
    assert_eq!(
        diags[0].message,
        "the routing contract is read from routing.yaml, not routing.yml"
    );
}

mod never_panics {
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        // Any edit of a valid file yields a model or diagnostics, never a panic.
        #[test]
        fn on_edited_files(at in 0usize..super::VALID.len(), edit in "[ -~\\n]{0,12}") {
            let mut text = super::VALID.to_owned();
            let at = (0..=at).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(0);
            text.insert_str(at, &edit);
            let _ = super::parse(&text);
        }

        #[test]
        fn on_any_text(text in "\\PC{0,200}") {
            let _ = super::parse(&text);
        }
    }
}

#[test]
fn a_max_receive_count_below_max_retries_plus_one_is_an_error_at_its_line() {
    let text = valid_with("  maxRetries: 2\n", "  maxRetries: 4\n");
    let Err(Diagnostics(diags)) = parse(&text) else {
        panic!("accepted")
    };
    let found: Vec<(Option<usize>, &str, &str)> = diags
        .iter()
        .map(|d| (d.line, d.pointer.as_str(), d.message.as_str()))
        .collect();
    // notifications-queue (3) is below 4 + 1; analytics-queue (5) is enough.
    assert_eq!(
        found,
        [(
            Some(7),
            "/queues/notifications-queue/maxReceiveCount",
            "the queue \"notifications-queue\" moves a message to its dead-letter queue after 3 receives, but the retry policy (line 22) makes up to 5 attempts (maxRetries 4)"
        )]
    );
    assert_eq!(
        diags[0].help,
        "set `maxReceiveCount: 5` or more on notifications-queue (receives beyond maxRetries + 1 absorb consumers that died mid-message), or lower the retry policy's maxRetries to 2"
    );
    // Equal is enough: the consumer dead-letters on the last receive itself.
    assert!(parse(
        &valid_with("  maxRetries: 2\n", "  maxRetries: 4\n")
            .replace("maxReceiveCount: 3", "maxReceiveCount: 5")
    )
    .is_ok());
    assert!(parse(&valid_with("  maxRetries: 2\n", "  maxRetries: 0\n")).is_ok());
}
