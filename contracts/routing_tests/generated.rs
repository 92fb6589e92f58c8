//! The code the generator emits for the repository's `schemas/routing.yaml`, compiled
//! here against this module: it must build, and it must route as the seed says.

use std::time::Duration;

use crate::routing::{
    publish_attributes, ArrayItem, AttributeValue, FilterPolicy, MessageAttributes, SplitMix64,
};

mod seed {
    include!("seed_routing.rs");
}

// Only its subscription table is under test; the rest repeats the seed's.
#[allow(dead_code)]
mod every_condition {
    include!("every_condition.rs");
}

use seed::{route_event_type, Queue, RETRY_POLICY, SUBSCRIPTIONS, TOPIC_DISPLAY_NAME, TOPIC_NAME};

#[test]
fn the_seed_routing_holds() {
    use Queue::{AnalyticsQueue, NotificationsQueue};
    assert_eq!(
        route_event_type("ProductCreated", "1.1.0"),
        [NotificationsQueue, AnalyticsQueue]
    );
    assert_eq!(
        route_event_type("ProductUpdated", "1.0.0"),
        [NotificationsQueue, AnalyticsQueue]
    );
    assert_eq!(
        route_event_type("ProductDeleted", "1.0.0"),
        [AnalyticsQueue]
    );
    assert_eq!(
        route_event_type("LowStockWarning", "1.0.0"),
        [NotificationsQueue]
    );
    assert_eq!(route_event_type("ProductArchived", "1.0.0"), []);
    assert_eq!(
        seed::route_attributes(&publish_attributes("ProductDeleted", "2.0.0")),
        [AnalyticsQueue]
    );
}

#[test]
fn the_topic_and_queues_carry_the_seed_settings() {
    assert_eq!(TOPIC_NAME, "product-events");
    assert_eq!(TOPIC_DISPLAY_NAME, Some("Product Management Events"));
    let rows: Vec<_> = Queue::ALL
        .iter()
        .map(|q| {
            (
                q.name(),
                q.visibility_timeout().as_secs(),
                q.message_retention().as_secs(),
                q.dead_letter_queue(),
                q.max_receive_count(),
                q.is_dead_letter_queue(),
                q.dead_letter_sources(),
            )
        })
        .collect();
    let fourteen_days = 14 * 24 * 60 * 60;
    assert_eq!(
        rows,
        [
            (
                "notifications-queue",
                30,
                fourteen_days,
                Some(Queue::NotificationsDlq),
                Some(3),
                false,
                &[][..]
            ),
            (
                "analytics-queue",
                60,
                fourteen_days,
                Some(Queue::AnalyticsDlq),
                Some(5),
                false,
                &[][..]
            ),
            (
                "notifications-dlq",
                30,
                fourteen_days,
                None,
                None,
                true,
                &[Queue::NotificationsQueue][..]
            ),
            (
                "analytics-dlq",
                30,
                fourteen_days,
                None,
                None,
                true,
                &[Queue::AnalyticsQueue][..]
            ),
        ]
    );
    for queue in Queue::ALL {
        assert_eq!(Queue::from_name(queue.name()), Some(queue));
        assert_eq!(queue.to_string(), queue.name());
    }
    assert_eq!(Queue::from_name("orders-queue"), None);
}

#[test]
fn subscriptions_receive_the_sns_envelope() {
    let raw: Vec<(Queue, bool)> = SUBSCRIPTIONS
        .iter()
        .map(|s| (s.queue, s.raw_message_delivery))
        .collect();
    assert_eq!(
        raw,
        [
            (Queue::NotificationsQueue, false),
            (Queue::AnalyticsQueue, false)
        ]
    );
}

#[test]
fn the_retry_policy_is_the_seeds() {
    let settings = (
        RETRY_POLICY.max_retries,
        RETRY_POLICY.multiplier,
        RETRY_POLICY.initial_delay,
        RETRY_POLICY.max_delay,
        RETRY_POLICY.jitter,
    );
    assert_eq!(
        settings,
        (
            2,
            2.0,
            Duration::from_secs(1),
            Duration::from_secs(30),
            true
        )
    );
    let delays: Vec<u64> = (0..4)
        .map(|n| RETRY_POLICY.delay(n, &mut || 0.0).as_millis() as u64)
        .collect();
    assert_eq!(delays, [500, 1000, 2000, 4000]);
    let mut rng = SplitMix64::new(7);
    let delay = RETRY_POLICY.delay(5, &mut rng);
    assert!(
        delay >= Duration::from_secs(15) && delay <= Duration::from_secs(30),
        "{delay:?}"
    );
}

// The generator writes policies as static data; they must be exactly what the runtime's
// parser makes of the same JSON, for every kind of condition.
#[test]
fn generated_tables_equal_the_parsed_policy() {
    let parsed =
        FilterPolicy::parse(include_str!("every_condition.json")).unwrap_or_else(|e| panic!("{e}"));
    let subscription = &every_condition::SUBSCRIPTIONS[0];
    assert_eq!(subscription.filter_policy.as_ref(), Some(&parsed));
    assert!(subscription.raw_message_delivery);
    let attributes = MessageAttributes::new()
        .with("eventType", AttributeValue::String("ProductCreated".into()))
        .with("flags", AttributeValue::StringArray(vec![ArrayItem::Null]));
    // "priority" is absent, which its {"exists": false} accepts.
    assert_eq!(
        every_condition::route_attributes(&attributes),
        [every_condition::Queue::NotificationsQueue]
    );
    // Every number satisfies one of the numeric conditions; text satisfies none.
    let attributes = attributes.with("priority", AttributeValue::String("high".into()));
    assert_eq!(every_condition::route_attributes(&attributes), []);
    let attributes = attributes.with("priority", AttributeValue::Number(-1.5));
    assert_eq!(
        every_condition::route_attributes(&attributes),
        [every_condition::Queue::NotificationsQueue]
    );
}
