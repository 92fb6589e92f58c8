//! The routing contract applied to decoded events: the seed's fan-out, end to end
//! from bytes to queues, and the attributes a publisher must send.

use event_contracts::routing::{self, AttributeValue, Queue};
use event_contracts::{decode, EventType};

fn example(dir: &str, version: &str) -> event_contracts::ProductEvent {
    let path = format!(
        "{}/schemas/{dir}/examples/{version}/valid/minimal.json",
        env!("CARGO_MANIFEST_DIR")
    );
    decode(&std::fs::read(&path).unwrap()).unwrap()
}

#[test]
fn every_event_type_reaches_the_queues_the_seed_names() {
    use Queue::{AnalyticsQueue, NotificationsQueue};
    let cases = [
        (
            "product-created",
            "1.0.0",
            vec![NotificationsQueue, AnalyticsQueue],
        ),
        (
            "product-created",
            "1.1.0",
            vec![NotificationsQueue, AnalyticsQueue],
        ),
        (
            "product-updated",
            "1.0.0",
            vec![NotificationsQueue, AnalyticsQueue],
        ),
        ("product-deleted", "1.0.0", vec![AnalyticsQueue]),
        ("low-stock-warning", "1.0.0", vec![NotificationsQueue]),
    ];
    for (dir, version, expected) in cases {
        let event = example(dir, version);
        assert_eq!(routing::route(&event), expected, "{dir} {version}");
    }
}

#[test]
fn publishers_send_event_type_and_version_as_strings() {
    let event = example("product-deleted", "1.0.0");
    assert_eq!(event.event_type(), EventType::ProductDeleted);
    let attributes = routing::attributes_for(&event);
    assert_eq!(
        attributes.get("eventType"),
        Some(&AttributeValue::String("ProductDeleted".to_owned()))
    );
    assert_eq!(
        attributes.get("version"),
        Some(&AttributeValue::String("1.0.0".to_owned()))
    );
}

#[test]
fn queues_carry_the_seed_settings() {
    assert_eq!(routing::TOPIC_NAME, "product-events");
    let n = Queue::NotificationsQueue;
    assert_eq!(n.name(), "notifications-queue");
    assert_eq!(n.visibility_timeout().as_secs(), 30);
    assert_eq!(n.message_retention().as_secs(), 1_209_600);
    assert_eq!(
        n.dead_letter_queue().map(|q| q.name()),
        Some("notifications-dlq")
    );
    assert_eq!(n.max_receive_count(), Some(3));
    let a = Queue::AnalyticsQueue;
    assert_eq!(a.visibility_timeout().as_secs(), 60);
    assert_eq!(
        a.dead_letter_queue().map(|q| q.name()),
        Some("analytics-dlq")
    );
    assert_eq!(a.max_receive_count(), Some(5));
}
