//! From the YAML tree to a [`RoutingModel`], reporting every problem of shape: unknown
//! and missing keys, values of the wrong type, numbers out of range, bad filter
//! policies. References between the parts are checked in `check`.
//!
//! Reading never stops at a problem: a bad value is reported and replaced by a
//! placeholder, so that one run reports every mistake without cascading errors.

use std::collections::BTreeMap;
use std::ops::RangeInclusive;

use serde_json::Value;

use super::policy::FilterPolicy;
use super::yaml::{Entry, Kind, Node, Plain};
use super::{
    DeadLetterQueueSpec, QueueSpec, Redrive, RetrySpec, RoutingModel, RoutingOptions,
    SubscriptionSpec, Topic, DEFAULT_MESSAGE_RETENTION_SECONDS, DEFAULT_VISIBILITY_TIMEOUT_SECONDS,
};
use crate::diag::{escape_token, Diagnostic};

const ROOT_KEYS: &[&str] = &[
    "topic",
    "queues",
    "deadLetterQueues",
    "subscriptions",
    "retryPolicy",
];
const TOPIC_KEYS: &[&str] = &["name", "displayName"];
const QUEUE_KEYS: &[&str] = &[
    "visibilityTimeoutSeconds",
    "messageRetentionSeconds",
    "deadLetterQueue",
    "maxReceiveCount",
];
const DEAD_LETTER_QUEUE_KEYS: &[&str] = &["visibilityTimeoutSeconds", "messageRetentionSeconds"];
const SUBSCRIPTION_KEYS: &[&str] = &["queue", "protocol", "rawMessageDelivery", "filterPolicy"];
const RETRY_KEYS: &[&str] = &[
    "maxRetries",
    "backoffMultiplier",
    "initialDelayMs",
    "maxDelayMs",
    "jitter",
];

/// SQS `VisibilityTimeout`: 0 seconds to 12 hours.
const VISIBILITY_SECONDS: RangeInclusive<i128> = 0..=43_200;
/// SQS `MessageRetentionPeriod`: 1 minute to 14 days.
const RETENTION_SECONDS: RangeInclusive<i128> = 60..=1_209_600;
/// SQS redrive `maxReceiveCount`.
const MAX_RECEIVE_COUNT: RangeInclusive<i128> = 1..=1_000;
/// SNS `DisplayName`.
const MAX_DISPLAY_NAME: usize = 100;
/// Retries beyond this are a loop, not a policy.
const MAX_RETRIES: RangeInclusive<i128> = 0..=100;
/// Delays up to a day; a longer one belongs in a scheduler.
const DELAY_MS: RangeInclusive<i128> = 0..=86_400_000;

/// Collects diagnostics while reading one file.
pub(super) struct Reader<'a> {
    file: &'a str,
    diags: Vec<Diagnostic>,
}

impl<'a> Reader<'a> {
    /// A reader for `file` (as shown in diagnostics).
    pub fn new(file: &'a str) -> Self {
        Reader {
            file,
            diags: Vec::new(),
        }
    }

    /// What was found.
    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.diags
    }

    fn error(
        &mut self,
        line: Option<usize>,
        pointer: &str,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.diags.push(Diagnostic {
            file: self.file.to_owned(),
            line,
            pointer: pointer.to_owned(),
            message: message.into(),
            help: help.into(),
        });
    }

    /// The model, with placeholders where the file is wrong (and reported).
    pub fn routing(&mut self, root: &Node, options: &RoutingOptions) -> RoutingModel {
        let entries = self
            .fields(root, "", "the routing file", ROOT_KEYS)
            .unwrap_or_default();
        let section = |key: &str| entries.iter().find(|e| e.key == key);
        let topic = match section("topic") {
            Some(entry) => self.topic(entry),
            None => {
                self.missing_section("topic", "topic:\n  name: product-events");
                Topic {
                    name: String::new(),
                    display_name: None,
                    line: 1,
                }
            }
        };
        let queues = match section("queues") {
            Some(entry) => self.queues(entry),
            None => {
                self.missing_section(
                    "queues",
                    "queues:\n  orders-queue:\n    deadLetterQueue: orders-dlq\n    maxReceiveCount: 3",
                );
                Vec::new()
            }
        };
        let dead_letter_queues = match section("deadLetterQueues") {
            Some(entry) => self.dead_letter_queues(entry),
            None => {
                self.missing_section("deadLetterQueues", "deadLetterQueues:\n  orders-dlq: {}");
                Vec::new()
            }
        };
        let subscriptions = match section("subscriptions") {
            Some(entry) => self.subscriptions(entry),
            None => {
                self.missing_section(
                    "subscriptions",
                    "subscriptions:\n  - queue: orders-queue\n    protocol: sqs",
                );
                Vec::new()
            }
        };
        let retry = match section("retryPolicy") {
            Some(entry) => self.retry(entry),
            None => {
                self.missing_section(
                    "retryPolicy",
                    "retryPolicy:\n  maxRetries: 3\n  backoffMultiplier: 2\n  initialDelayMs: 1000\n  maxDelayMs: 30000\n  jitter: true",
                );
                placeholder_retry(1)
            }
        };
        RoutingModel {
            file: self.file.to_owned(),
            topic,
            queues,
            dead_letter_queues,
            subscriptions,
            retry,
            options: options.clone(),
        }
    }

    fn missing_section(&mut self, key: &str, example: &str) {
        self.error(
            None,
            "",
            format!("the routing file has no `{key}` section"),
            format!("add it, e.g.\n{example}"),
        );
    }

    fn topic(&mut self, entry: &Entry) -> Topic {
        let fields = self
            .fields(&entry.value, "/topic", "the topic", TOPIC_KEYS)
            .unwrap_or_default();
        let mut line = entry.key_line;
        let name = match find(fields, "name") {
            Some(name) => {
                line = name.value.line;
                self.text(&name.value, "/topic/name", "the topic's `name`")
            }
            None => {
                self.error(
                    Some(entry.key_line),
                    "/topic",
                    "the topic has no `name`",
                    "add the SNS topic name, e.g. `name: product-events`",
                );
                None
            }
        };
        let display_name = find(fields, "displayName").and_then(|e| {
            let text = self.text(&e.value, "/topic/displayName", "the topic's `displayName`")?;
            let length = text.chars().count();
            if length > MAX_DISPLAY_NAME {
                self.error(
                    Some(e.value.line),
                    "/topic/displayName",
                    format!("the topic's `displayName` has {length} characters; SNS allows {MAX_DISPLAY_NAME}"),
                    "shorten it",
                );
            }
            Some(text)
        });
        Topic {
            name: name.unwrap_or_default(),
            display_name,
            line,
        }
    }

    fn queues(&mut self, entry: &Entry) -> Vec<QueueSpec> {
        let Some(entries) = self.mapping(&entry.value, "/queues", "`queues`") else {
            return Vec::new();
        };
        if entries.is_empty() {
            self.error(
                Some(entry.key_line),
                "/queues",
                "`queues` declares no queue",
                "declare the queues that subscribe to the topic",
            );
        }
        entries.iter().map(|queue| self.queue(queue)).collect()
    }

    fn queue(&mut self, entry: &Entry) -> QueueSpec {
        let name = &entry.key;
        let pointer = format!("/queues/{}", escape_token(name));
        let what = format!("queue {name:?}");
        let fields = self
            .fields(&entry.value, &pointer, &what, QUEUE_KEYS)
            .unwrap_or_default();
        let (visibility, retention) = self.queue_settings(fields, &pointer, &what);
        let dead_letter_queue = find(fields, "deadLetterQueue").map(|e| {
            let text = self.text(
                &e.value,
                &format!("{pointer}/deadLetterQueue"),
                &format!("the `deadLetterQueue` of {what}"),
            );
            (text.unwrap_or_default(), e.key_line)
        });
        let max_receive_count = find(fields, "maxReceiveCount").map(|e| {
            let count = self.integer(
                &e.value,
                &format!("{pointer}/maxReceiveCount"),
                &format!("the `maxReceiveCount` of {what}"),
                MAX_RECEIVE_COUNT,
                "receives",
            );
            (count, e.key_line)
        });
        let redrive = match (dead_letter_queue, max_receive_count) {
            (Some((dead_letter_queue, line)), Some((count, count_line))) => Some(Redrive {
                dead_letter_queue,
                max_receive_count: count.map_or(1, to_u32),
                line,
                max_receive_count_line: count_line,
            }),
            (Some((dead_letter_queue, line)), None) => {
                self.error(
                    Some(line),
                    &pointer,
                    format!("{what} names a dead-letter queue but no `maxReceiveCount`"),
                    "add `maxReceiveCount: N`: after N receives, SQS moves a message to the dead-letter queue",
                );
                Some(Redrive {
                    dead_letter_queue,
                    max_receive_count: 1,
                    line,
                    max_receive_count_line: line,
                })
            }
            (None, Some(_)) => {
                self.error(
                    Some(entry.key_line),
                    &pointer,
                    format!("{what} has a `maxReceiveCount` but no `deadLetterQueue`"),
                    "add `deadLetterQueue: <name>` naming a queue under deadLetterQueues",
                );
                None
            }
            // Reported by `check`, which knows the dead-letter queues to suggest.
            (None, None) => None,
        };
        QueueSpec {
            name: name.clone(),
            line: entry.key_line,
            visibility_timeout_seconds: visibility,
            message_retention_seconds: retention,
            redrive,
        }
    }

    fn queue_settings(&mut self, fields: &[Entry], pointer: &str, what: &str) -> (u32, u32) {
        let visibility = find(fields, "visibilityTimeoutSeconds")
            .and_then(|e| {
                self.integer(
                    &e.value,
                    &format!("{pointer}/visibilityTimeoutSeconds"),
                    &format!("the `visibilityTimeoutSeconds` of {what}"),
                    VISIBILITY_SECONDS,
                    "seconds",
                )
            })
            .map_or(DEFAULT_VISIBILITY_TIMEOUT_SECONDS, to_u32);
        let retention = find(fields, "messageRetentionSeconds")
            .and_then(|e| {
                self.integer(
                    &e.value,
                    &format!("{pointer}/messageRetentionSeconds"),
                    &format!("the `messageRetentionSeconds` of {what}"),
                    RETENTION_SECONDS,
                    "seconds",
                )
            })
            .map_or(DEFAULT_MESSAGE_RETENTION_SECONDS, to_u32);
        (visibility, retention)
    }

    fn dead_letter_queues(&mut self, entry: &Entry) -> Vec<DeadLetterQueueSpec> {
        let Some(entries) = self.mapping(&entry.value, "/deadLetterQueues", "`deadLetterQueues`")
        else {
            return Vec::new();
        };
        entries
            .iter()
            .map(|queue| {
                let name = &queue.key;
                let pointer = format!("/deadLetterQueues/{}", escape_token(name));
                let what = format!("dead-letter queue {name:?}");
                let fields = self
                    .fields(&queue.value, &pointer, &what, DEAD_LETTER_QUEUE_KEYS)
                    .unwrap_or_default();
                let (visibility, retention) = self.queue_settings(fields, &pointer, &what);
                DeadLetterQueueSpec {
                    name: name.clone(),
                    line: queue.key_line,
                    visibility_timeout_seconds: visibility,
                    message_retention_seconds: retention,
                }
            })
            .collect()
    }

    fn subscriptions(&mut self, entry: &Entry) -> Vec<SubscriptionSpec> {
        let items: &[Node] = match &entry.value.kind {
            Kind::Seq(items) => items,
            _ if entry.value.scalar() == Some(Plain::Null) => &[],
            _ => {
                self.error(
                    Some(entry.value.line),
                    "/subscriptions",
                    format!(
                        "`subscriptions` must be a list, not {}",
                        entry.value.describe()
                    ),
                    "write one `- queue: ...` item per subscription",
                );
                return Vec::new();
            }
        };
        items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| self.subscription(item, i))
            .collect()
    }

    fn subscription(&mut self, node: &Node, index: usize) -> Option<SubscriptionSpec> {
        let pointer = format!("/subscriptions/{index}");
        let what = format!("subscription {}", index + 1);
        let fields = self.fields(node, &pointer, &what, SUBSCRIPTION_KEYS)?;
        let queue = match find(fields, "queue") {
            Some(e) => self
                .text(
                    &e.value,
                    &format!("{pointer}/queue"),
                    &format!("the `queue` of {what}"),
                )
                .map(|name| (name, e.value.line)),
            None => {
                self.error(
                    Some(node.line),
                    &pointer,
                    format!("{what} names no `queue`"),
                    "add `queue: <name>` naming a queue under queues",
                );
                None
            }
        };
        match find(fields, "protocol") {
            Some(e) => {
                let protocol = self.text(
                    &e.value,
                    &format!("{pointer}/protocol"),
                    &format!("the `protocol` of {what}"),
                );
                if let Some(protocol) = protocol.filter(|p| p != "sqs") {
                    self.error(
                        Some(e.value.line),
                        &format!("{pointer}/protocol"),
                        format!("the protocol {protocol:?} is not supported; the routing contract subscribes SQS queues"),
                        "write `protocol: sqs`",
                    );
                }
            }
            None => self.error(
                Some(node.line),
                &pointer,
                format!("{what} has no `protocol`"),
                "add `protocol: sqs`",
            ),
        }
        let raw_message_delivery = find(fields, "rawMessageDelivery")
            .and_then(|e| {
                self.boolean(
                    &e.value,
                    &format!("{pointer}/rawMessageDelivery"),
                    &format!("the `rawMessageDelivery` of {what}"),
                )
            })
            .unwrap_or(false);
        let mut filter_lines = BTreeMap::new();
        let filter_policy = find(fields, "filterPolicy").and_then(|e| {
            self.filter_policy(e, &format!("{pointer}/filterPolicy"), &mut filter_lines)
        });
        let (queue, queue_line) = queue?;
        Some(SubscriptionSpec {
            queue,
            line: node.line,
            queue_line,
            pointer,
            raw_message_delivery,
            filter_policy,
            filter_lines,
        })
    }

    fn filter_policy(
        &mut self,
        entry: &Entry,
        pointer: &str,
        lines: &mut BTreeMap<String, usize>,
    ) -> Option<FilterPolicy> {
        let before = self.diags.len();
        lines.insert(String::new(), entry.key_line);
        let json = self.policy_json(&entry.value, pointer, "", lines);
        if self.diags.len() != before {
            return None;
        }
        match FilterPolicy::from_json_all(&json) {
            Ok(policy) => Some(policy),
            Err(errors) => {
                for error in errors {
                    let line = line_at(lines, &error.pointer);
                    self.error(
                        Some(line),
                        &format!("{pointer}{}", error.pointer),
                        error.message,
                        error.help,
                    );
                }
                None
            }
        }
    }

    /// The YAML of a filter policy as the JSON SNS would be given, noting each value's line.
    fn policy_json(
        &mut self,
        node: &Node,
        base: &str,
        pointer: &str,
        lines: &mut BTreeMap<String, usize>,
    ) -> Value {
        lines.entry(pointer.to_owned()).or_insert(node.line);
        match &node.kind {
            Kind::Seq(items) => Value::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| self.policy_json(item, base, &format!("{pointer}/{i}"), lines))
                    .collect(),
            ),
            Kind::Map(entries) => Value::Object(
                entries
                    .iter()
                    .map(|e| {
                        let inner = format!("{pointer}/{}", escape_token(&e.key));
                        lines.insert(inner.clone(), e.key_line);
                        (
                            e.key.clone(),
                            self.policy_json(&e.value, base, &inner, lines),
                        )
                    })
                    .collect(),
            ),
            Kind::Scalar { .. } => match node.scalar() {
                Some(Plain::Str(s)) => Value::String(s.to_owned()),
                Some(Plain::Bool(b)) => Value::Bool(b),
                Some(Plain::Int(i)) => match i64::try_from(i) {
                    Ok(i) => Value::from(i),
                    Err(_) => self.not_finite(node, &format!("{base}{pointer}")),
                },
                Some(Plain::Float(f)) => match serde_json::Number::from_f64(f) {
                    Some(n) => Value::Number(n),
                    None => self.not_finite(node, &format!("{base}{pointer}")),
                },
                Some(Plain::Null) | None => Value::Null,
            },
        }
    }

    fn not_finite(&mut self, node: &Node, pointer: &str) -> Value {
        self.error(
            Some(node.line),
            pointer,
            format!("{} cannot be compared by SNS", node.describe()),
            "use a number between -1000000000 and 1000000000, or quote it to match text",
        );
        Value::Null
    }

    fn retry(&mut self, entry: &Entry) -> RetrySpec {
        let mut spec = placeholder_retry(entry.key_line);
        let Some(fields) =
            self.fields(&entry.value, "/retryPolicy", "the retry policy", RETRY_KEYS)
        else {
            return spec;
        };
        for key in RETRY_KEYS {
            if find(fields, key).is_none() {
                self.error(
                    Some(entry.key_line),
                    "/retryPolicy",
                    format!("the retry policy has no `{key}`"),
                    "state all five settings: maxRetries, backoffMultiplier, initialDelayMs, maxDelayMs, jitter",
                );
            }
        }
        if let Some(e) = find(fields, "maxRetries") {
            if let Some(n) = self.integer(
                &e.value,
                "/retryPolicy/maxRetries",
                "the retry policy's `maxRetries`",
                MAX_RETRIES,
                "retries",
            ) {
                spec.max_retries = to_u32(n);
            }
        }
        if let Some(e) = find(fields, "backoffMultiplier") {
            let pointer = "/retryPolicy/backoffMultiplier";
            match self.number(&e.value, pointer, "the retry policy's `backoffMultiplier`") {
                Some(m) if m >= 1.0 => spec.backoff_multiplier = m,
                Some(m) => self.error(
                    Some(e.value.line),
                    pointer,
                    format!("the retry policy's `backoffMultiplier` is {m}; below 1 the delays would shrink"),
                    "use 1 for constant delays, or more (2 doubles each delay)",
                ),
                None => {}
            }
        }
        let delay = |key: &str, reader: &mut Self| {
            let e = find(fields, key)?;
            let n = reader.integer(
                &e.value,
                &format!("/retryPolicy/{key}"),
                &format!("the retry policy's `{key}`"),
                DELAY_MS,
                "milliseconds",
            )?;
            Some((u64::try_from(n).unwrap_or(0), e.value.line))
        };
        let initial = delay("initialDelayMs", self);
        let max = delay("maxDelayMs", self);
        if let Some((initial, _)) = initial {
            spec.initial_delay_ms = initial;
        }
        if let Some((max, line)) = max {
            spec.max_delay_ms = max;
            if max < spec.initial_delay_ms {
                self.error(
                    Some(line),
                    "/retryPolicy/maxDelayMs",
                    format!(
                        "the retry policy's `maxDelayMs` ({max}) is below its `initialDelayMs` ({})",
                        spec.initial_delay_ms
                    ),
                    "the cap must be at least the first delay: raise maxDelayMs or lower initialDelayMs",
                );
            }
        }
        if let Some(e) = find(fields, "jitter") {
            if let Some(b) = self.boolean(
                &e.value,
                "/retryPolicy/jitter",
                "the retry policy's `jitter`",
            ) {
                spec.jitter = b;
            }
        }
        spec
    }

    /// The entries of a mapping, reporting keys outside `allowed` (with the closest one).
    fn fields<'n>(
        &mut self,
        node: &'n Node,
        pointer: &str,
        what: &str,
        allowed: &[&str],
    ) -> Option<&'n [Entry]> {
        let entries = self.mapping(node, pointer, what)?;
        for entry in entries {
            if allowed.contains(&entry.key.as_str()) {
                continue;
            }
            let hint = match super::check::closest(&entry.key, allowed.iter().copied()) {
                Some(close) => format!("did you mean `{close}`? "),
                None => String::new(),
            };
            self.error(
                Some(entry.key_line),
                &format!("{pointer}/{}", escape_token(&entry.key)),
                format!("unknown key `{}` in {what}", entry.key),
                format!("{hint}the keys of {what} are: {}", allowed.join(", ")),
            );
        }
        Some(entries)
    }

    /// The entries of a mapping (an empty value counts as an empty mapping).
    fn mapping<'n>(&mut self, node: &'n Node, pointer: &str, what: &str) -> Option<&'n [Entry]> {
        match &node.kind {
            Kind::Map(entries) => Some(entries),
            _ if node.scalar() == Some(Plain::Null) => Some(&[]),
            _ => {
                self.error(
                    Some(node.line),
                    pointer,
                    format!(
                        "{what} must be a mapping of keys to values, not {}",
                        node.describe()
                    ),
                    "write `key: value` lines, indented under it",
                );
                None
            }
        }
    }

    /// A name or other text: any non-empty scalar, as written.
    fn text(&mut self, node: &Node, pointer: &str, what: &str) -> Option<String> {
        match &node.kind {
            Kind::Scalar { text, .. } if node.scalar() != Some(Plain::Null) => Some(text.clone()),
            _ => {
                self.error(
                    Some(node.line),
                    pointer,
                    format!("{what} must be text, not {}", node.describe()),
                    "write the name after the colon, e.g. `queue: orders-queue`",
                );
                None
            }
        }
    }

    fn integer(
        &mut self,
        node: &Node,
        pointer: &str,
        what: &str,
        range: RangeInclusive<i128>,
        unit: &str,
    ) -> Option<i128> {
        let (low, high) = (*range.start(), *range.end());
        match node.scalar() {
            Some(Plain::Int(n)) if range.contains(&n) => Some(n),
            Some(Plain::Int(n)) => {
                self.error(
                    Some(node.line),
                    pointer,
                    format!("{what} is {n}, outside {low} to {high} {unit}"),
                    format!("use a whole number from {low} to {high}"),
                );
                None
            }
            _ => {
                self.error(
                    Some(node.line),
                    pointer,
                    format!(
                        "{what} must be a whole number of {unit}, not {}",
                        node.describe()
                    ),
                    format!("write a number from {low} to {high}, without quotes"),
                );
                None
            }
        }
    }

    fn number(&mut self, node: &Node, pointer: &str, what: &str) -> Option<f64> {
        match node.scalar() {
            Some(Plain::Int(n)) => Some(n as f64),
            Some(Plain::Float(f)) if f.is_finite() => Some(f),
            _ => {
                self.error(
                    Some(node.line),
                    pointer,
                    format!("{what} must be a finite number, not {}", node.describe()),
                    "write a number such as 2 or 1.5, without quotes",
                );
                None
            }
        }
    }

    fn boolean(&mut self, node: &Node, pointer: &str, what: &str) -> Option<bool> {
        match node.scalar() {
            Some(Plain::Bool(b)) => Some(b),
            _ => {
                self.error(
                    Some(node.line),
                    pointer,
                    format!("{what} must be true or false, not {}", node.describe()),
                    "write true or false, without quotes",
                );
                None
            }
        }
    }
}

fn find<'n>(entries: &'n [Entry], key: &str) -> Option<&'n Entry> {
    entries.iter().find(|e| e.key == key)
}

/// The line of the value at `pointer` inside a policy, or of its nearest parent.
pub(super) fn line_at(lines: &BTreeMap<String, usize>, pointer: &str) -> usize {
    let mut pointer = pointer;
    loop {
        if let Some(line) = lines.get(pointer) {
            return *line;
        }
        match pointer.rfind('/') {
            Some(i) => pointer = &pointer[..i],
            None => return lines.get("").copied().unwrap_or(1),
        }
    }
}

/// Values were range-checked against ranges inside u32, so this never saturates.
fn to_u32(n: i128) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn placeholder_retry(line: usize) -> RetrySpec {
    RetrySpec {
        max_retries: 0,
        backoff_multiplier: 1.0,
        initial_delay_ms: 0,
        max_delay_ms: 0,
        jitter: false,
        line,
    }
}
