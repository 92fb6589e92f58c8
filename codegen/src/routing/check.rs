//! The checks that relate the parts of routing.yaml to each other and to the event
//! schemas: names, dead-letter queues, subscriptions, and the event types and
//! attributes that filter policies name.

use std::collections::BTreeMap;

use super::policy::{AnythingBut, Condition, Literal};
use super::read::line_at;
use super::{RoutingModel, SubscriptionSpec};
use crate::diag::{escape_token, Diagnostic};

/// Runs every check, appending what it finds.
pub(super) fn check(model: &RoutingModel, event_names: &[&str], diags: &mut Vec<Diagnostic>) {
    let mut checker = Checker {
        model,
        event_names,
        diags,
    };
    checker.names();
    checker.dead_letter_queues();
    checker.retries_fit_the_redrive();
    checker.subscriptions();
}

struct Checker<'a> {
    model: &'a RoutingModel,
    event_names: &'a [&'a str],
    diags: &'a mut Vec<Diagnostic>,
}

impl Checker<'_> {
    fn error(
        &mut self,
        line: usize,
        pointer: &str,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.diags.push(Diagnostic {
            file: self.model.file.clone(),
            line: Some(line),
            pointer: pointer.to_owned(),
            message: message.into(),
            help: help.into(),
        });
    }

    fn names(&mut self) {
        let model = self.model;
        let topic = &model.topic;
        // An empty name was reported while reading.
        if !topic.name.is_empty() {
            if let Err((message, help)) = aws_name(&topic.name, "SNS topic", 256) {
                self.error(topic.line, "/topic/name", message, help);
            }
        }
        let declared = model
            .queues
            .iter()
            .map(|q| ("queues", q.name.as_str(), q.line))
            .chain(
                model
                    .dead_letter_queues
                    .iter()
                    .map(|q| ("deadLetterQueues", q.name.as_str(), q.line)),
            );
        let mut by_variant: BTreeMap<String, (&str, usize)> = BTreeMap::new();
        for (section, name, line) in declared {
            let pointer = format!("/{section}/{}", escape_token(name));
            if let Err((message, help)) = aws_name(name, "SQS queue", 80) {
                self.error(line, &pointer, message, help);
                continue;
            }
            let variant = variant_name(name);
            match by_variant.get(&variant) {
                Some((first, first_line)) if *first == name => self.error(
                    line,
                    &pointer,
                    format!("the queue {name:?} is declared twice (first at line {first_line})"),
                    "a queue is either subscribed (under queues) or a dead-letter queue, not both",
                ),
                Some((first, first_line)) => self.error(
                    line,
                    &pointer,
                    format!(
                        "the queues {first:?} (line {first_line}) and {name:?} both become the Rust variant Queue::{variant}"
                    ),
                    "rename one of them so that their names differ in more than - and _",
                ),
                None => {
                    by_variant.insert(variant, (name, line));
                }
            }
        }
    }

    fn dead_letter_queues(&mut self) {
        let model = self.model;
        let dead_letter_names: Vec<&str> = model
            .dead_letter_queues
            .iter()
            .map(|q| q.name.as_str())
            .collect();
        for queue in &model.queues {
            let pointer = format!("/queues/{}", escape_token(&queue.name));
            let Some(redrive) = &queue.redrive else {
                let example = format!("{}-dlq", queue.name.trim_end_matches("-queue"));
                let declare = if model.dead_letter_queue(&example).is_some() {
                    format!("{example} is declared under deadLetterQueues already")
                } else {
                    format!("declare {example} under deadLetterQueues")
                };
                self.error(
                    queue.line,
                    &pointer,
                    format!("the queue {:?} has no dead-letter queue", queue.name),
                    format!(
                        "add `deadLetterQueue: {example}` and `maxReceiveCount: 3` to it ({declare}): a message that keeps failing would otherwise be retried until its retention ends"
                    ),
                );
                continue;
            };
            let target = &redrive.dead_letter_queue;
            let at = format!("{pointer}/deadLetterQueue");
            if target.is_empty() {
                continue; // reported while reading
            }
            if target == &queue.name {
                self.error(
                    redrive.line,
                    &at,
                    format!("the queue {target:?} is its own dead-letter queue"),
                    "name a separate queue declared under deadLetterQueues",
                );
            } else if model.queue(target).is_some() {
                self.error(
                    redrive.line,
                    &at,
                    format!("the dead-letter queue of {:?} is {target:?}, a subscribed queue", queue.name),
                    "declare a dead-letter queue under deadLetterQueues and name it here, not a queue under queues",
                );
            } else if let Some(dead_letter) = model.dead_letter_queue(target) {
                // For standard queues SQS keeps a message's original enqueue time when it
                // moves it, so a shorter retention deletes failed messages early.
                if dead_letter.message_retention_seconds < queue.message_retention_seconds {
                    self.error(
                        dead_letter.line,
                        &format!("/deadLetterQueues/{}", escape_token(target)),
                        format!(
                            "the dead-letter queue {target:?} keeps messages {}, less than its source {:?} ({})",
                            seconds(dead_letter.message_retention_seconds),
                            queue.name,
                            seconds(queue.message_retention_seconds)
                        ),
                        format!(
                            "set `messageRetentionSeconds: {}` (or more) on {target}: SQS keeps a message's original enqueue time when it moves it to a dead-letter queue, so a shorter retention deletes failed messages before anyone looks at them",
                            queue.message_retention_seconds
                        ),
                    );
                }
            } else {
                self.error(
                    redrive.line,
                    &at,
                    format!("no dead-letter queue is named {target:?}"),
                    suggestion(
                        target,
                        dead_letter_names.iter().copied(),
                        "dead-letter queues",
                        "declare it under deadLetterQueues",
                    ),
                );
            }
        }
        for dead_letter in &model.dead_letter_queues {
            let used = model.queues.iter().any(|q| {
                q.redrive
                    .as_ref()
                    .is_some_and(|r| r.dead_letter_queue == dead_letter.name)
            });
            if !used {
                self.error(
                    dead_letter.line,
                    &format!("/deadLetterQueues/{}", escape_token(&dead_letter.name)),
                    format!(
                        "the dead-letter queue {:?} is used by no queue",
                        dead_letter.name
                    ),
                    "name it as a queue's `deadLetterQueue`, or remove it",
                );
            }
        }
    }

    /// The consumer retries a failed message `maxRetries` times and then moves it to the
    /// dead-letter queue itself, with the reason; SQS's redrive is the backstop for
    /// receives that end without a decision (a consumer that died). A `maxReceiveCount`
    /// below `maxRetries + 1` would let SQS cut the retries short.
    fn retries_fit_the_redrive(&mut self) {
        let model = self.model;
        let retry = &model.retry;
        let attempts = u64::from(retry.max_retries) + 1;
        for queue in &model.queues {
            let Some(redrive) = &queue.redrive else {
                continue;
            };
            let queue_pointer = format!("/queues/{}", escape_token(&queue.name));
            let pointer = format!("{queue_pointer}/maxReceiveCount");
            // A redrive that could not be read (a count missing or out of range) was
            // reported already; its placeholder count must not add a second error.
            if self.diags.iter().any(|d| {
                d.pointer == queue_pointer || d.pointer.starts_with(&format!("{queue_pointer}/"))
            }) {
                continue;
            }
            let count = redrive.max_receive_count;
            if u64::from(count) >= attempts {
                continue;
            }
            self.error(
                redrive.max_receive_count_line,
                &pointer,
                format!(
                    "the queue {:?} moves a message to its dead-letter queue after {count} receive{}, but the retry policy (line {}) makes up to {attempts} attempts (maxRetries {})",
                    queue.name,
                    if count == 1 { "" } else { "s" },
                    retry.line,
                    retry.max_retries
                ),
                format!(
                    "set `maxReceiveCount: {attempts}` or more on {} (receives beyond maxRetries + 1 absorb consumers that died mid-message), or lower the retry policy's maxRetries to {}",
                    queue.name,
                    count.saturating_sub(1)
                ),
            );
        }
    }

    fn subscriptions(&mut self) {
        let model = self.model;
        let queue_names: Vec<&str> = model.queues.iter().map(|q| q.name.as_str()).collect();
        let mut subscribed: BTreeMap<&str, usize> = BTreeMap::new();
        for subscription in &model.subscriptions {
            let name = subscription.queue.as_str();
            let at = format!("{}/queue", subscription.pointer);
            if model.queue(name).is_some() {
                if let Some(first) = subscribed.insert(name, subscription.queue_line) {
                    self.error(
                        subscription.queue_line,
                        &at,
                        format!("the queue {name:?} is subscribed twice (first at line {first})"),
                        "SNS keeps one subscription per topic and queue: merge the two filter policies into one",
                    );
                    subscribed.insert(name, first);
                }
            } else if model.dead_letter_queue(name).is_some() {
                self.error(
                    subscription.queue_line,
                    &at,
                    format!("the subscription delivers to {name:?}, a dead-letter queue"),
                    "subscribe a queue declared under queues; its dead-letter queue fills on its own",
                );
            } else {
                self.error(
                    subscription.queue_line,
                    &at,
                    format!("the subscription delivers to {name:?}, which is not a declared queue"),
                    suggestion(
                        name,
                        queue_names.iter().copied(),
                        "queues",
                        "declare it under queues",
                    ),
                );
            }
            if let Some(policy) = &subscription.filter_policy {
                for key in policy.keys() {
                    self.filter_key(subscription, &key.name, &key.conditions);
                }
            }
        }
        for queue in &model.queues {
            if !subscribed.contains_key(queue.name.as_str()) {
                self.error(
                    queue.line,
                    &format!("/queues/{}", escape_token(&queue.name)),
                    format!("no subscription delivers to the queue {:?}", queue.name),
                    format!(
                        "add a subscription with `queue: {}`, or remove the queue",
                        queue.name
                    ),
                );
            }
        }
    }

    /// Checks the conditions on one attribute against what publishers actually send.
    fn filter_key(&mut self, subscription: &SubscriptionSpec, key: &str, conditions: &[Condition]) {
        let options = &self.model.options;
        let key_pointer = format!("/{}", escape_token(key));
        let line = |inner: &str| line_at(&subscription.filter_lines, inner);
        let base = format!("{}/filterPolicy", subscription.pointer);
        let is_event_type = key == options.event_type_attribute;
        if !is_event_type && key != options.version_attribute {
            self.error(
                line(&key_pointer),
                &format!("{base}{key_pointer}"),
                format!(
                    "the filter policy tests the attribute {key:?}, which publishers do not send (they send {:?} and {:?})",
                    options.event_type_attribute, options.version_attribute
                ),
                format!(
                    "filter on {:?} or {:?}; a condition on another attribute leaves the queue without events",
                    options.event_type_attribute, options.version_attribute
                ),
            );
            return;
        }
        for (i, condition) in conditions.iter().enumerate() {
            let inner = format!("{key_pointer}/{i}");
            let pointer = format!("{base}{inner}");
            let never = |what: &str| {
                (
                    format!("the filter policy's {what} on {key:?} never matches: {key:?} is sent as a String"),
                    format!("compare {key:?} with text, e.g. [\"...\"] or [{{\"prefix\": \"...\"}}]"),
                )
            };
            let problem = match condition {
                Condition::Numeric(_)
                | Condition::AnythingBut(AnythingBut::Numbers(_))
                | Condition::Equals(Literal::Number(_)) => Some(never("numeric condition")),
                Condition::Equals(Literal::Bool(_)) | Condition::Equals(Literal::Null) => {
                    Some(never("true/false/null value"))
                }
                Condition::Exists(false) => Some((
                    format!("the filter policy's {{\"exists\": false}} on {key:?} never matches: every event carries {key:?}"),
                    "remove the condition".to_owned(),
                )),
                _ => None,
            };
            if let Some((message, help)) = problem {
                self.error(line(&inner), &pointer, message, help);
                continue;
            }
            if is_event_type {
                self.event_type_condition(condition, &inner, &pointer, &line);
            }
        }
    }

    /// Every event type a condition names must have a schema, or the condition is a typo
    /// that silently starves (or floods) a consumer.
    fn event_type_condition(
        &mut self,
        condition: &Condition,
        inner: &str,
        pointer: &str,
        line: &dyn Fn(&str) -> usize,
    ) {
        let events = self.event_names;
        match condition {
            Condition::Equals(Literal::String(name)) if !events.contains(&name.as_ref()) => {
                self.unknown_event_type(name, line(inner), pointer);
            }
            Condition::AnythingBut(AnythingBut::Strings(names)) => {
                for (j, name) in names.iter().enumerate() {
                    if !events.contains(&name.as_ref()) {
                        let inner = format!("{inner}/anything-but/{j}");
                        let pointer = format!("{pointer}/anything-but/{j}");
                        self.unknown_event_type(name, line(&inner), &pointer);
                    }
                }
            }
            Condition::EqualsIgnoreCase(name)
                if !events.iter().any(|e| e.eq_ignore_ascii_case(name)) =>
            {
                let inner = format!("{inner}/equals-ignore-case");
                self.unknown_event_type(
                    name,
                    line(&inner),
                    &format!("{pointer}/equals-ignore-case"),
                );
            }
            Condition::Prefix(prefix) | Condition::Suffix(prefix) => {
                let (operator, found) = match condition {
                    Condition::Prefix(_) => (
                        "prefix",
                        events.iter().any(|e| e.starts_with(prefix.as_ref())),
                    ),
                    _ => (
                        "suffix",
                        events.iter().any(|e| e.ends_with(prefix.as_ref())),
                    ),
                };
                if !found {
                    let inner = format!("{inner}/{operator}");
                    self.error(
                        line(&inner),
                        &format!("{pointer}/{operator}"),
                        format!("the {operator} {prefix:?} matches no event type"),
                        format!("event types with a schema: {}", events.join(", ")),
                    );
                }
            }
            _ => {}
        }
    }

    fn unknown_event_type(&mut self, name: &str, line: usize, pointer: &str) {
        let events = self.event_names;
        self.error(
            line,
            pointer,
            format!("the filter policy names the event type {name:?}, which has no schema"),
            suggestion(
                name,
                events.iter().copied(),
                "event types with a schema",
                "add a schema for it, or fix the name",
            ),
        );
    }
}

/// The Rust variant for a queue name: PascalCase of its `-`/`_`-separated parts.
pub(super) fn variant_name(queue: &str) -> String {
    let mut out = String::new();
    for part in queue.split(['-', '_']) {
        let mut chars = part.chars().filter(char::is_ascii_alphanumeric);
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars);
        }
    }
    // A Rust identifier cannot start with a digit, and `Self` is a keyword.
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) || out == "Self" {
        out.insert_str(0, "Queue");
    }
    out
}

/// Checks an SQS queue or SNS topic name: ASCII letters, digits, `-` and `_`.
fn aws_name(name: &str, what: &str, max: usize) -> Result<(), (String, String)> {
    if name.ends_with(".fifo") {
        return Err((
            format!("{name:?} names a FIFO {what}, which the routing contract does not support"),
            "drop the .fifo suffix: the contract routes to standard queues (FIFO topics deliver only to FIFO queues, with their own ordering and deduplication rules)".to_owned(),
        ));
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        return Err((
            format!("{name:?} is not a valid {what} name: it contains {bad:?}"),
            format!("{what} names use only ASCII letters, digits, - and _"),
        ));
    }
    let length = name.len();
    if length == 0 || length > max {
        return Err((
            format!("the {what} name {name:?} has {length} characters"),
            format!("{what} names have 1 to {max} characters"),
        ));
    }
    Ok(())
}

/// The help for a name that matches nothing: the closest candidate, then all of them.
fn suggestion<'c>(
    name: &str,
    candidates: impl Iterator<Item = &'c str> + Clone,
    kind: &str,
    otherwise: &str,
) -> String {
    let all: Vec<&str> = candidates.clone().collect();
    let listed = if all.is_empty() {
        format!("there are no {kind}")
    } else {
        format!("{kind}: {}", all.join(", "))
    };
    match closest(name, candidates) {
        Some(close) => format!("did you mean {close:?}? ({listed})"),
        None => format!("{otherwise} ({listed})"),
    }
}

/// The candidate nearest to `name` by edit distance, if it is near enough to be a typo.
pub(super) fn closest<'c>(
    name: &str,
    candidates: impl Iterator<Item = &'c str>,
) -> Option<&'c str> {
    let lower = name.to_lowercase();
    candidates
        .map(|c| (edit_distance(&lower, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= (c.chars().count() / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = Vec::with_capacity(b.len() + 1);
        current.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

/// Seconds for people: `1209600 s (14 days)`.
pub(super) fn seconds(n: u32) -> String {
    match n {
        n if n >= 86_400 && n % 86_400 == 0 => format!("{n} s ({} days)", n / 86_400),
        n if n >= 3_600 && n % 3_600 == 0 => format!("{n} s ({} hours)", n / 3_600),
        n => format!("{n} s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_are_pascal_case_identifiers() {
        assert_eq!(variant_name("notifications-queue"), "NotificationsQueue");
        assert_eq!(variant_name("analytics_dlq"), "AnalyticsDlq");
        assert_eq!(variant_name("SQSQueue"), "SQSQueue");
        assert_eq!(variant_name("3d-prints"), "Queue3dPrints");
        assert_eq!(variant_name("self"), "QueueSelf");
        assert_eq!(variant_name("--"), "Queue");
    }

    #[test]
    fn names_follow_aws_rules() {
        assert_eq!(aws_name("notifications-queue", "SQS queue", 80), Ok(()));
        assert_eq!(aws_name(&"q".repeat(80), "SQS queue", 80), Ok(()));
        let too_long = aws_name(&"q".repeat(81), "SQS queue", 80).unwrap_err();
        assert_eq!(too_long.1, "SQS queue names have 1 to 80 characters");
        let bad = aws_name("orders queue", "SQS queue", 80).unwrap_err();
        assert_eq!(
            bad.0,
            "\"orders queue\" is not a valid SQS queue name: it contains ' '"
        );
        let fifo = aws_name("orders.fifo", "SQS queue", 80).unwrap_err();
        assert_eq!(
            fifo.0,
            "\"orders.fifo\" names a FIFO SQS queue, which the routing contract does not support"
        );
    }

    #[test]
    fn typos_find_their_closest_name() {
        let events = [
            "LowStockWarning",
            "ProductCreated",
            "ProductDeleted",
            "ProductUpdated",
        ];
        assert_eq!(
            closest("ProductCreatd", events.into_iter()),
            Some("ProductCreated")
        );
        assert_eq!(
            closest("productcreated", events.into_iter()),
            Some("ProductCreated")
        );
        assert_eq!(closest("LowStock", events.into_iter()), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
    }

    #[test]
    fn seconds_read_as_days_or_hours() {
        assert_eq!(seconds(1_209_600), "1209600 s (14 days)");
        assert_eq!(seconds(43_200), "43200 s (12 hours)");
        assert_eq!(seconds(30), "30 s");
    }
}
