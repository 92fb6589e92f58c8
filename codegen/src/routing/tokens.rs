//! The Rust that a checked routing model becomes. It names only items of the runtime's
//! `crate::routing` module and std, by absolute path, so it compiles wherever the
//! runtime crate includes it.

use proc_macro2::{Ident, Literal as Lit, Span, TokenStream};
use quote::quote;

use super::check::{seconds, variant_name};
use super::policy::{AnythingBut, Bound, Condition, FilterPolicy, Fixed, Literal, Numeric};
use super::RoutingModel;

/// One row of the `Queue` enum.
struct QueueRow {
    variant: Ident,
    name: String,
    doc: String,
    visibility: u32,
    retention: u32,
    dead_letter_queue: Option<Ident>,
    max_receive_count: Option<u32>,
    is_dead_letter_queue: bool,
    sources: Vec<Ident>,
}

pub(super) fn emit(model: &RoutingModel) -> TokenStream {
    let rows = queue_rows(model);
    let queue_enum = queue_enum(model, &rows);
    let subscriptions = subscriptions(model);
    let retry = retry_policy(model);
    let topic = &model.topic.name;
    let display = match &model.topic.display_name {
        Some(name) => quote!(::std::option::Option::Some(#name)),
        None => quote!(::std::option::Option::None),
    };
    let event_type = &model.options.event_type_attribute;
    let version = &model.options.version_attribute;
    // The filter policies were checked against these attribute names; publishing under
    // other names would route nothing, so a mismatch fails the runtime crate's build.
    let event_type_message = format!(
        "routing.yaml was checked with the event-type attribute {event_type:?}, but crate::routing::EVENT_TYPE_ATTRIBUTE differs"
    );
    let version_message = format!(
        "routing.yaml was checked with the version attribute {version:?}, but crate::routing::VERSION_ATTRIBUTE differs"
    );
    quote! {
        /// The SNS topic that events are published to (`schemas/routing.yaml`).
        pub const TOPIC_NAME: &str = #topic;

        /// The topic's display name, if `schemas/routing.yaml` gives one.
        pub const TOPIC_DISPLAY_NAME: ::std::option::Option<&str> = #display;

        #queue_enum

        #subscriptions

        #retry

        /// The queues SNS delivers a message with these attributes to, in subscription order.
        pub fn route_attributes(
            attributes: &crate::routing::MessageAttributes,
        ) -> ::std::vec::Vec<Queue> {
            crate::routing::matching_queues(&SUBSCRIPTIONS, attributes)
        }

        /// The queues an event of this type and version is delivered to, in subscription order.
        pub fn route_event_type(event_type: &str, version: &str) -> ::std::vec::Vec<Queue> {
            route_attributes(&crate::routing::publish_attributes(event_type, version))
        }

        const _: () = if !crate::routing::same_text(crate::routing::EVENT_TYPE_ATTRIBUTE, #event_type) {
            ::std::panic!(#event_type_message)
        };
        const _: () = if !crate::routing::same_text(crate::routing::VERSION_ATTRIBUTE, #version) {
            ::std::panic!(#version_message)
        };
    }
}

fn ident(name: &str) -> Ident {
    // `variant_name` yields ASCII alphanumerics starting with a letter: always an identifier.
    Ident::new(&variant_name(name), Span::call_site())
}

fn queue_rows(model: &RoutingModel) -> Vec<QueueRow> {
    let mut rows = Vec::new();
    for queue in &model.queues {
        let redrive = queue.redrive.as_ref();
        let mut doc = format!(
            " `{}`: visibility timeout {}, retention {}",
            queue.name,
            seconds(queue.visibility_timeout_seconds),
            seconds(queue.message_retention_seconds)
        );
        if let Some(r) = redrive {
            doc.push_str(&format!(
                "; dead-letter queue `{}` after {} receives",
                r.dead_letter_queue, r.max_receive_count
            ));
        }
        doc.push('.');
        rows.push(QueueRow {
            variant: ident(&queue.name),
            name: queue.name.clone(),
            doc,
            visibility: queue.visibility_timeout_seconds,
            retention: queue.message_retention_seconds,
            dead_letter_queue: redrive.map(|r| ident(&r.dead_letter_queue)),
            max_receive_count: redrive.map(|r| r.max_receive_count),
            is_dead_letter_queue: false,
            sources: Vec::new(),
        });
    }
    for queue in &model.dead_letter_queues {
        let sources: Vec<&str> = model
            .queues
            .iter()
            .filter(|q| {
                q.redrive
                    .as_ref()
                    .is_some_and(|r| r.dead_letter_queue == queue.name)
            })
            .map(|q| q.name.as_str())
            .collect();
        let listed: Vec<String> = sources.iter().map(|s| format!("`{s}`")).collect();
        rows.push(QueueRow {
            variant: ident(&queue.name),
            name: queue.name.clone(),
            doc: format!(
                " `{}`: dead-letter queue of {}; visibility timeout {}, retention {}.",
                queue.name,
                listed.join(", "),
                seconds(queue.visibility_timeout_seconds),
                seconds(queue.message_retention_seconds)
            ),
            visibility: queue.visibility_timeout_seconds,
            retention: queue.message_retention_seconds,
            dead_letter_queue: None,
            max_receive_count: None,
            is_dead_letter_queue: true,
            sources: sources.into_iter().map(ident).collect(),
        });
    }
    rows
}

fn queue_enum(model: &RoutingModel, rows: &[QueueRow]) -> TokenStream {
    let variants: Vec<&Ident> = rows.iter().map(|r| &r.variant).collect();
    let docs = rows.iter().map(|r| &r.doc);
    let count = Lit::usize_unsuffixed(rows.len());
    let names = rows.iter().map(|r| &r.name);
    let from_names = rows.iter().map(|r| &r.name);
    let visibility = rows.iter().map(|r| number(r.visibility.into()));
    let retention = rows.iter().map(|r| number(r.retention.into()));
    let dead_letter = rows.iter().map(|r| match &r.dead_letter_queue {
        Some(dlq) => quote!(::std::option::Option::Some(Queue::#dlq)),
        None => quote!(::std::option::Option::None),
    });
    let receives = rows.iter().map(|r| match r.max_receive_count {
        Some(n) => {
            let n = number(n.into());
            quote!(::std::option::Option::Some(#n))
        }
        None => quote!(::std::option::Option::None),
    });
    let is_dead_letter = rows.iter().map(|r| r.is_dead_letter_queue);
    let sources = rows.iter().map(|r| {
        let sources = &r.sources;
        quote!(&[#(Queue::#sources),*])
    });
    // Variants spell the SQS names (`notifications-queue` is `NotificationsQueue`), so
    // they may well end in `Queue`: clippy's naming lint does not apply to them.
    let enum_doc = format!(
        " A queue of the routing contract (`{}`): the subscribed queues, then the dead-letter queues, in file order.",
        model.file
    );
    quote! {
        #[doc = #enum_doc]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[allow(clippy::enum_variant_names)]
        pub enum Queue {
            #(
                #[doc = #docs]
                #variants,
            )*
        }

        impl Queue {
            /// Every queue: the subscribed queues, then the dead-letter queues.
            pub const ALL: [Queue; #count] = [#(Queue::#variants),*];

            /// The SQS queue name.
            pub const fn name(self) -> &'static str {
                match self {
                    #(Queue::#variants => #names,)*
                }
            }

            /// The queue with this SQS name.
            pub fn from_name(name: &str) -> ::std::option::Option<Queue> {
                match name {
                    #(#from_names => ::std::option::Option::Some(Queue::#variants),)*
                    _ => ::std::option::Option::None,
                }
            }

            /// How long a received message stays invisible to other consumers.
            pub const fn visibility_timeout(self) -> ::std::time::Duration {
                match self {
                    #(Queue::#variants => ::std::time::Duration::from_secs(#visibility),)*
                }
            }

            /// How long SQS keeps a message.
            pub const fn message_retention(self) -> ::std::time::Duration {
                match self {
                    #(Queue::#variants => ::std::time::Duration::from_secs(#retention),)*
                }
            }

            /// Where SQS moves a message after `max_receive_count` receives (`None` for a dead-letter queue).
            pub const fn dead_letter_queue(self) -> ::std::option::Option<Queue> {
                match self {
                    #(Queue::#variants => #dead_letter,)*
                }
            }

            /// How many receives before SQS moves a message to the dead-letter queue.
            pub const fn max_receive_count(self) -> ::std::option::Option<u32> {
                match self {
                    #(Queue::#variants => #receives,)*
                }
            }

            /// Whether this is a dead-letter queue.
            pub const fn is_dead_letter_queue(self) -> bool {
                match self {
                    #(Queue::#variants => #is_dead_letter,)*
                }
            }

            /// The queues whose failed messages land here (empty for a subscribed queue).
            pub const fn dead_letter_sources(self) -> &'static [Queue] {
                match self {
                    #(Queue::#variants => #sources,)*
                }
            }
        }

        impl ::std::fmt::Display for Queue {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.name())
            }
        }
    }
}

fn subscriptions(model: &RoutingModel) -> TokenStream {
    let count = Lit::usize_unsuffixed(model.subscriptions.len());
    let entries = model.subscriptions.iter().map(|s| {
        let queue = ident(&s.queue);
        let raw = s.raw_message_delivery;
        let policy = match &s.filter_policy {
            Some(policy) => {
                let policy = filter_policy(policy);
                quote!(::std::option::Option::Some(#policy))
            }
            None => quote!(::std::option::Option::None),
        };
        quote! {
            crate::routing::Subscription {
                queue: Queue::#queue,
                raw_message_delivery: #raw,
                filter_policy: #policy,
            }
        }
    });
    let doc = format!(
        " The subscriptions of `TOPIC_NAME`, with their filter policies, in the order of `{}`.",
        model.file
    );
    quote! {
        #[doc = #doc]
        pub static SUBSCRIPTIONS: [crate::routing::Subscription<Queue>; #count] = [#(#entries),*];
    }
}

/// An unsuffixed integer literal, so the generated code reads `30`, not `30u32`.
fn number(value: u64) -> Lit {
    Lit::u64_unsuffixed(value)
}

fn text(value: &str) -> TokenStream {
    quote!(::std::borrow::Cow::Borrowed(#value))
}

fn fixed(value: Fixed) -> TokenStream {
    let scaled = value.scaled();
    let magnitude = Lit::u64_unsuffixed(scaled.unsigned_abs());
    // A negative literal token does not survive every token round-trip: spell the sign.
    let number = if scaled < 0 {
        quote!(-#magnitude)
    } else {
        quote!(#magnitude)
    };
    quote!(crate::routing::Fixed::from_scaled(#number))
}

fn filter_policy(policy: &FilterPolicy) -> TokenStream {
    let keys = policy.keys().iter().map(|key| {
        let name = text(&key.name);
        let conditions = key.conditions.iter().map(condition);
        quote! {
            crate::routing::KeyFilter {
                name: #name,
                conditions: ::std::borrow::Cow::Borrowed(&[#(#conditions),*]),
            }
        }
    });
    quote!(crate::routing::FilterPolicy::from_static(&[#(#keys),*]))
}

fn condition(condition: &Condition) -> TokenStream {
    match condition {
        Condition::Equals(literal) => {
            let literal = match literal {
                Literal::String(s) => {
                    let s = text(s);
                    quote!(crate::routing::Literal::String(#s))
                }
                Literal::Number(n) => {
                    let n = fixed(*n);
                    quote!(crate::routing::Literal::Number(#n))
                }
                Literal::Bool(b) => quote!(crate::routing::Literal::Bool(#b)),
                Literal::Null => quote!(crate::routing::Literal::Null),
            };
            quote!(crate::routing::Condition::Equals(#literal))
        }
        Condition::Prefix(s) => {
            let s = text(s);
            quote!(crate::routing::Condition::Prefix(#s))
        }
        Condition::Suffix(s) => {
            let s = text(s);
            quote!(crate::routing::Condition::Suffix(#s))
        }
        Condition::EqualsIgnoreCase(s) => {
            let s = text(s);
            quote!(crate::routing::Condition::EqualsIgnoreCase(#s))
        }
        Condition::AnythingBut(but) => {
            let but = anything_but(but);
            quote!(crate::routing::Condition::AnythingBut(#but))
        }
        Condition::Numeric(numeric) => {
            let numeric = match numeric {
                Numeric::Equal(n) => {
                    let n = fixed(*n);
                    quote!(crate::routing::Numeric::Equal(#n))
                }
                Numeric::Range { lower, upper } => {
                    let lower = bound(lower);
                    let upper = bound(upper);
                    quote!(crate::routing::Numeric::Range { lower: #lower, upper: #upper })
                }
            };
            quote!(crate::routing::Condition::Numeric(#numeric))
        }
        Condition::Exists(b) => quote!(crate::routing::Condition::Exists(#b)),
    }
}

fn anything_but(but: &AnythingBut) -> TokenStream {
    match but {
        AnythingBut::Strings(list) => {
            let list = list.iter().map(|s| text(s));
            quote!(crate::routing::AnythingBut::Strings(::std::borrow::Cow::Borrowed(&[#(#list),*])))
        }
        AnythingBut::Numbers(list) => {
            let list = list.iter().map(|n| fixed(*n));
            quote!(crate::routing::AnythingBut::Numbers(::std::borrow::Cow::Borrowed(&[#(#list),*])))
        }
        AnythingBut::Prefix(s) => {
            let s = text(s);
            quote!(crate::routing::AnythingBut::Prefix(#s))
        }
        AnythingBut::Suffix(s) => {
            let s = text(s);
            quote!(crate::routing::AnythingBut::Suffix(#s))
        }
        AnythingBut::EqualsIgnoreCase(list) => {
            let list = list.iter().map(|s| text(s));
            quote!(crate::routing::AnythingBut::EqualsIgnoreCase(::std::borrow::Cow::Borrowed(&[#(#list),*])))
        }
    }
}

fn bound(bound: &Option<Bound>) -> TokenStream {
    match bound {
        Some(Bound { value, inclusive }) => {
            let value = fixed(*value);
            quote!(::std::option::Option::Some(crate::routing::Bound { value: #value, inclusive: #inclusive }))
        }
        None => quote!(::std::option::Option::None),
    }
}

fn retry_policy(model: &RoutingModel) -> TokenStream {
    let retry = &model.retry;
    let max_retries = number(retry.max_retries.into());
    let m = retry.backoff_multiplier;
    // A checked model's multiplier is finite; a hand-built one still emits valid Rust.
    let multiplier = if m.is_finite() {
        let m = Lit::f64_unsuffixed(m);
        quote!(#m)
    } else if m.is_nan() {
        quote!(::std::primitive::f64::NAN)
    } else if m > 0.0 {
        quote!(::std::primitive::f64::INFINITY)
    } else {
        quote!(::std::primitive::f64::NEG_INFINITY)
    };
    let initial = number(retry.initial_delay_ms);
    let max = number(retry.max_delay_ms);
    let jitter = retry.jitter;
    let doc = format!(
        " The retry policy of `{}`: up to {} retries, the delay growing from {} ms by x{} up to {} ms{}.",
        model.file,
        retry.max_retries,
        retry.initial_delay_ms,
        retry.backoff_multiplier,
        retry.max_delay_ms,
        if jitter { ", with jitter" } else { "" }
    );
    quote! {
        #[doc = #doc]
        pub const RETRY_POLICY: crate::routing::RetryPolicy = crate::routing::RetryPolicy {
            max_retries: #max_retries,
            multiplier: #multiplier,
            initial_delay: ::std::time::Duration::from_millis(#initial),
            max_delay: ::std::time::Duration::from_millis(#max),
            jitter: #jitter,
        };
    }
}
