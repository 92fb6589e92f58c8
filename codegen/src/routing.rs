//! The routing contract: `routing.yaml` beside the event schemas says which queues
//! receive which events (an SNS topic, SQS queues with their dead-letter queues,
//! subscriptions with filter policies) and how deliveries are retried.
//!
//! [`parse`] reads and checks the file against the folder's event names and reports
//! every problem at once, each with its line and what to do. [`emit`] turns a checked
//! [`RoutingModel`] into Rust, which refers only to the runtime's routing items and std.
//! Filter policies are parsed by [`policy`], the runtime's own filter-policy module, so the
//! build and the runtime cannot disagree.
//!
//! The file's shape is documented at the top of the repository's `schemas/routing.yaml`.

mod check;
mod read;
mod tokens;
mod yaml;

use std::collections::BTreeMap;

use proc_macro2::TokenStream;

/// The runtime's filter-policy model, parser and evaluator: what the build checks
/// `routing.yaml`'s policies with.
pub use event_contracts_runtime::routing as policy;

use crate::diag::{Diagnostic, Diagnostics};
use crate::load::LoadOptions;
use crate::source::SchemaFiles;
use policy::{AttributeValue, FilterPolicy, MessageAttributes};

/// The routing file's name inside the schema folder.
pub const FILE_NAME: &str = "routing.yaml";

/// SQS's default visibility timeout, used when a queue does not set one.
pub const DEFAULT_VISIBILITY_TIMEOUT_SECONDS: u32 = 30;

/// SQS's default retention (4 days), used when a queue does not set one.
pub const DEFAULT_MESSAGE_RETENTION_SECONDS: u32 = 345_600;

/// The names of the message attributes publishers send and filter policies use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoutingOptions {
    /// The attribute that carries the event type (`eventType`).
    pub event_type_attribute: String,
    /// The attribute that carries the schema version (`version`).
    pub version_attribute: String,
}

impl Default for RoutingOptions {
    fn default() -> Self {
        RoutingOptions::from(&LoadOptions::default())
    }
}

impl From<&LoadOptions> for RoutingOptions {
    fn from(options: &LoadOptions) -> Self {
        // The attributes carry the same facts as the envelope's properties, under the
        // same names, so a subscriber can filter on exactly what the event says.
        RoutingOptions {
            event_type_attribute: options.discriminator.clone(),
            version_attribute: options.version_property.clone(),
        }
    }
}

/// A checked `routing.yaml`.
#[derive(Debug, Clone, PartialEq)]
pub struct RoutingModel {
    /// The file as shown in diagnostics, e.g. `schemas/routing.yaml`.
    pub file: String,
    /// The SNS topic events are published to.
    pub topic: Topic,
    /// The subscribed queues, in file order.
    pub queues: Vec<QueueSpec>,
    /// The dead-letter queues, in file order.
    pub dead_letter_queues: Vec<DeadLetterQueueSpec>,
    /// The subscriptions, in file order.
    pub subscriptions: Vec<SubscriptionSpec>,
    /// How failed deliveries are retried.
    pub retry: RetrySpec,
    /// The attribute names the file was checked with.
    pub options: RoutingOptions,
}

/// The SNS topic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topic {
    /// `TopicName`.
    pub name: String,
    /// `DisplayName`, if given.
    pub display_name: Option<String>,
    /// Where the topic's name is written.
    pub line: usize,
}

/// A queue that a subscription delivers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueSpec {
    /// `QueueName`.
    pub name: String,
    /// Where the queue is declared.
    pub line: usize,
    /// `VisibilityTimeout`, in seconds (0 to 43200).
    pub visibility_timeout_seconds: u32,
    /// `MessageRetentionPeriod`, in seconds (60 to 1209600).
    pub message_retention_seconds: u32,
    /// The redrive policy; a checked model has one for every queue.
    pub redrive: Option<Redrive>,
}

/// Where a queue's messages go after too many receives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redrive {
    /// The dead-letter queue's name.
    pub dead_letter_queue: String,
    /// `maxReceiveCount` (1 to 1000).
    pub max_receive_count: u32,
    /// Where `deadLetterQueue` is written.
    pub line: usize,
    /// Where `maxReceiveCount` is written.
    pub max_receive_count_line: usize,
}

/// A dead-letter queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadLetterQueueSpec {
    /// `QueueName`.
    pub name: String,
    /// Where the queue is declared.
    pub line: usize,
    /// `VisibilityTimeout`, in seconds.
    pub visibility_timeout_seconds: u32,
    /// `MessageRetentionPeriod`, in seconds.
    pub message_retention_seconds: u32,
}

/// A subscription of a queue to the topic.
#[derive(Debug, Clone, PartialEq)]
pub struct SubscriptionSpec {
    /// The subscribed queue's name.
    pub queue: String,
    /// Where the subscription starts.
    pub line: usize,
    /// Where `queue` is written.
    pub queue_line: usize,
    /// The subscription's pointer in the file, e.g. `/subscriptions/0`.
    pub pointer: String,
    /// Whether SNS delivers the bare event instead of its envelope.
    pub raw_message_delivery: bool,
    /// The filter policy; `None` receives every event.
    pub filter_policy: Option<FilterPolicy>,
    /// The line of each value in the filter policy, by pointer inside the policy.
    pub filter_lines: BTreeMap<String, usize>,
}

/// The retry policy.
#[derive(Debug, Clone, PartialEq)]
pub struct RetrySpec {
    /// `maxRetries`.
    pub max_retries: u32,
    /// `backoffMultiplier`.
    pub backoff_multiplier: f64,
    /// `initialDelayMs`.
    pub initial_delay_ms: u64,
    /// `maxDelayMs`.
    pub max_delay_ms: u64,
    /// `jitter`.
    pub jitter: bool,
    /// Where the retry policy is declared.
    pub line: usize,
}

impl RoutingModel {
    /// One subscribed queue by name.
    pub fn queue(&self, name: &str) -> Option<&QueueSpec> {
        self.queues.iter().find(|q| q.name == name)
    }

    /// One dead-letter queue by name.
    pub fn dead_letter_queue(&self, name: &str) -> Option<&DeadLetterQueueSpec> {
        self.dead_letter_queues.iter().find(|q| q.name == name)
    }

    /// The attributes a publisher sends with an event of this type and version.
    pub fn publish_attributes(&self, event_type: &str, version: &str) -> MessageAttributes {
        MessageAttributes::new()
            .with(
                self.options.event_type_attribute.as_str(),
                AttributeValue::String(event_type.to_owned()),
            )
            .with(
                self.options.version_attribute.as_str(),
                AttributeValue::String(version.to_owned()),
            )
    }
}

/// Reads `routing.yaml` from a schema folder, if it has one, and checks it.
pub fn load(
    files: &SchemaFiles,
    event_names: &[&str],
    options: &RoutingOptions,
) -> Result<Option<RoutingModel>, Diagnostics> {
    let file = files.display_path(FILE_NAME);
    let Some(bytes) = files.get(FILE_NAME) else {
        // `.yml` would be skipped silently by every reader: say so instead.
        if files.get("routing.yml").is_some() {
            return Err(Diagnostics(vec![Diagnostic {
                file: files.display_path("routing.yml"),
                line: None,
                pointer: String::new(),
                message: "the routing contract is read from routing.yaml, not routing.yml"
                    .to_owned(),
                help: "rename the file to routing.yaml".to_owned(),
            }]));
        }
        return Ok(None);
    };
    let text = std::str::from_utf8(bytes).map_err(|e| {
        Diagnostics(vec![Diagnostic {
            file: file.clone(),
            line: None,
            pointer: String::new(),
            message: format!("the file is not UTF-8 ({e})"),
            help: "save the file as UTF-8".to_owned(),
        }])
    })?;
    parse(&file, text, event_names, options).map(Some)
}

/// Reads and checks routing.yaml's text; `file` names it in diagnostics.
pub fn parse(
    file: &str,
    text: &str,
    event_names: &[&str],
    options: &RoutingOptions,
) -> Result<RoutingModel, Diagnostics> {
    let (root, problems) = yaml::parse(text);
    let mut diags: Vec<Diagnostic> = problems
        .into_iter()
        .map(|p| Diagnostic {
            file: file.to_owned(),
            line: Some(p.line),
            pointer: String::new(),
            message: p.message,
            help: p.help,
        })
        .collect();
    let Some(root) = root else {
        if diags.is_empty() {
            diags.push(Diagnostic {
                file: file.to_owned(),
                line: None,
                pointer: String::new(),
                message: "the file is empty".to_owned(),
                help: "declare topic, queues, deadLetterQueues, subscriptions and retryPolicy"
                    .to_owned(),
            });
        }
        return Err(Diagnostics(diags));
    };
    let mut reader = read::Reader::new(file);
    let model = reader.routing(&root, options);
    diags.extend(reader.into_diagnostics());
    check::check(&model, event_names, &mut diags);
    // One report in file order: a reader fixes the file from top to bottom.
    diags.sort_by_key(|d| d.line.unwrap_or(0));
    Diagnostics(diags).into_result(model)
}

/// The `routing` module of a generated file: the runtime's routing items, the table, and
/// `route`/`attributes_for` over the crate's own event enum.
pub fn emit_module(model: &RoutingModel, options: &crate::EmitOptions) -> TokenStream {
    let table = emit(model);
    let runtime: syn::Path = syn::parse_str(&options.runtime)
        .unwrap_or_else(|_| syn::parse_quote!(::event_contracts_runtime));
    let event_enum = proc_macro2::Ident::new(&options.event_enum, proc_macro2::Span::call_site());
    quote::quote! {
        /// Routing: which queues receive which events, what a publisher attaches, how to
        /// read what a queue delivers, and how failed deliveries are retried. The table is
        /// generated from `routing.yaml`; the rest is the runtime's.
        pub mod routing {
            pub use #runtime::routing::*;

            #table

            /// The queues SNS delivers `event` to: its type and version attributes
            /// evaluated against every subscription's filter policy, with SNS semantics.
            pub fn route(event: &crate::#event_enum) -> ::std::vec::Vec<Queue> {
                route_event_type(
                    event.event_type().as_str(),
                    #runtime::EventSet::declared_version(event),
                )
            }

            /// The message attributes to publish `event` with, so that the filter policies work.
            pub fn attributes_for(event: &crate::#event_enum) -> MessageAttributes {
                publish_attributes(
                    event.event_type().as_str(),
                    #runtime::EventSet::declared_version(event),
                )
            }
        }
    }
}

/// The Rust for a checked model: the `Queue` enum, `SUBSCRIPTIONS`, `RETRY_POLICY`,
/// `TOPIC_NAME`, `route_attributes` and `route_event_type`. It names the runtime's routing
/// items as `crate::routing::...`, so it lives in the generated `routing` module.
pub fn emit(model: &RoutingModel) -> TokenStream {
    tokens::emit(model)
}

/// The names of the queues an event of this type and version is delivered to, in
/// subscription order (evaluating the filter policies as SNS does).
pub fn queues_for(model: &RoutingModel, event_type: &str, version: &str) -> Vec<String> {
    let attributes = model.publish_attributes(event_type, version);
    let mut queues: Vec<String> = Vec::new();
    for subscription in &model.subscriptions {
        let accepted = subscription
            .filter_policy
            .as_ref()
            .is_none_or(|policy| policy.matches(&attributes));
        if accepted && !queues.contains(&subscription.queue) {
            queues.push(subscription.queue.clone());
        }
    }
    queues
}

/// For the event catalog: the queues that receive an event, with their dead-letter
/// queues, as one line of Markdown (`none` when no subscription accepts it).
pub fn markdown_queues_for(model: &RoutingModel, event_type: &str, version: &str) -> String {
    let queues = queues_for(model, event_type, version);
    if queues.is_empty() {
        return "none".to_owned();
    }
    queues
        .iter()
        .map(
            |name| match model.queue(name).and_then(|q| q.redrive.as_ref()) {
                Some(redrive) => format!(
                    "`{name}` (dead-letter queue `{}` after {} receives)",
                    redrive.dead_letter_queue, redrive.max_receive_count
                ),
                None => format!("`{name}`"),
            },
        )
        .collect::<Vec<_>>()
        .join(", ")
}
