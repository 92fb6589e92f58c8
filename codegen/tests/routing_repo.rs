//! The repository's own `schemas/routing.yaml`: it loads cleanly against the repository's
//! events, gives the seed's routing, and the code generated from it is the fixture the
//! runtime crate compiles and tests (`contracts/routing_tests/seed_routing.rs`).

use std::path::{Path, PathBuf};

use event_contracts_codegen::routing::{
    self, markdown_queues_for, queues_for, RoutingModel, RoutingOptions,
};
use event_contracts_codegen::{Config, SchemaFiles};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The repository's routing model and each event's name and latest version.
fn repo_routing() -> (RoutingModel, Vec<(String, String)>) {
    let set = Config::new(repo().join("schemas"))
        .load()
        .unwrap_or_else(|e| panic!("{e}"));
    let events: Vec<(String, String)> = set
        .events
        .iter()
        .map(|e| {
            let latest = e
                .latest()
                .map(|v| v.version.to_string())
                .unwrap_or_default();
            (e.name.clone(), latest)
        })
        .collect();
    let names: Vec<&str> = events.iter().map(|(n, _)| n.as_str()).collect();
    let files = SchemaFiles::read_dir(&repo().join("schemas")).unwrap_or_else(|e| panic!("{e}"));
    let model = routing::load(&files, &names, &RoutingOptions::from(&set.options))
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("schemas/routing.yaml is missing"));
    (model, events)
}

#[test]
fn the_seed_routing_holds() {
    let (model, events) = repo_routing();
    let routed: Vec<(&str, Vec<String>)> = events
        .iter()
        .map(|(name, version)| (name.as_str(), queues_for(&model, name, version)))
        .collect();
    assert_eq!(
        routed,
        [
            ("LowStockWarning", vec!["notifications-queue".to_owned()]),
            (
                "ProductCreated",
                vec![
                    "notifications-queue".to_owned(),
                    "analytics-queue".to_owned()
                ]
            ),
            ("ProductDeleted", vec!["analytics-queue".to_owned()]),
            (
                "ProductUpdated",
                vec![
                    "notifications-queue".to_owned(),
                    "analytics-queue".to_owned()
                ]
            ),
        ]
    );
    assert_eq!(
        queues_for(&model, "ProductArchived", "1.0.0"),
        Vec::<String>::new()
    );
}

#[test]
fn the_seed_settings_hold() {
    let (model, _) = repo_routing();
    assert_eq!(model.file, "schemas/routing.yaml");
    assert_eq!(model.topic.name, "product-events");
    assert_eq!(
        model.topic.display_name.as_deref(),
        Some("Product Management Events")
    );
    // (name, visibility, retention, (dead-letter queue, max receives))
    type Row<'a> = (&'a str, u32, u32, Option<(&'a str, u32)>);
    let queues: Vec<Row> = model
        .queues
        .iter()
        .map(|q| {
            (
                q.name.as_str(),
                q.visibility_timeout_seconds,
                q.message_retention_seconds,
                q.redrive
                    .as_ref()
                    .map(|r| (r.dead_letter_queue.as_str(), r.max_receive_count)),
            )
        })
        .collect();
    assert_eq!(
        queues,
        [
            (
                "notifications-queue",
                30,
                1_209_600,
                Some(("notifications-dlq", 3))
            ),
            ("analytics-queue", 60, 1_209_600, Some(("analytics-dlq", 5))),
        ]
    );
    let dead_letter_queues: Vec<(&str, u32, u32)> = model
        .dead_letter_queues
        .iter()
        .map(|q| {
            (
                q.name.as_str(),
                q.visibility_timeout_seconds,
                q.message_retention_seconds,
            )
        })
        .collect();
    assert_eq!(
        dead_letter_queues,
        [
            ("notifications-dlq", 30, 1_209_600),
            ("analytics-dlq", 30, 1_209_600)
        ]
    );
    let subscriptions: Vec<(&str, bool, String)> = model
        .subscriptions
        .iter()
        .map(|s| {
            (
                s.queue.as_str(),
                s.raw_message_delivery,
                s.filter_policy
                    .as_ref()
                    .map(|p| p.to_json().to_string())
                    .unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        subscriptions,
        [
            (
                "notifications-queue",
                false,
                r#"{"eventType":["ProductCreated","ProductUpdated","LowStockWarning"]}"#.to_owned()
            ),
            (
                "analytics-queue",
                false,
                r#"{"eventType":["ProductCreated","ProductUpdated","ProductDeleted"]}"#.to_owned()
            ),
        ]
    );
    let retry = &model.retry;
    assert_eq!(
        (
            retry.max_retries,
            retry.backoff_multiplier,
            retry.initial_delay_ms,
            retry.max_delay_ms,
            retry.jitter
        ),
        (2, 2.0, 1000, 30_000, true)
    );
}

#[test]
fn the_catalog_line_names_queues_and_their_dead_letter_queues() {
    let (model, _) = repo_routing();
    assert_eq!(
        markdown_queues_for(&model, "ProductCreated", "1.1.0"),
        "`notifications-queue` (dead-letter queue `notifications-dlq` after 3 receives), \
         `analytics-queue` (dead-letter queue `analytics-dlq` after 5 receives)"
    );
    assert_eq!(
        markdown_queues_for(&model, "LowStockWarning", "1.0.0"),
        "`notifications-queue` (dead-letter queue `notifications-dlq` after 3 receives)"
    );
    assert_eq!(
        markdown_queues_for(&model, "ProductArchived", "1.0.0"),
        "none"
    );
}

/// The generated code for `model`, as a fixture file holds it.
fn fixture_text(model: &RoutingModel, origin: &str) -> String {
    let file: syn::File = syn::parse2(routing::emit(model))
        .unwrap_or_else(|e| panic!("the generated routing code does not parse: {e}"));
    format!(
        "// @generated by event_contracts_codegen::routing::emit from {origin}.\n\
         // Do not edit: run `UPDATE_ROUTING_FIXTURE=1 cargo test -p event-contracts-codegen \
         --test routing_repo` after changing it or the generator.\n\n{}",
        prettyplease::unparse(&file)
    )
}

/// Fails when `fixture` (under contracts/routing_tests/) is not `expected`, or rewrites it.
fn ensure_fixture(fixture: &str, expected: &str) {
    let path = repo().join("contracts/routing_tests").join(fixture);
    if std::env::var_os("UPDATE_ROUTING_FIXTURE").is_some() {
        std::fs::write(&path, expected).unwrap_or_else(|e| panic!("writing {fixture}: {e}"));
        return;
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "contracts/routing_tests/{fixture} was not up to date: run `UPDATE_ROUTING_FIXTURE=1 \
         cargo test -p event-contracts-codegen --test routing_repo` and review the diff"
    );
}

// The runtime crate compiles this fixture and tests it, which proves that the generated
// code builds against `crate::routing` and routes as the seed says.
#[test]
fn the_seed_fixture_is_up_to_date() {
    let (model, _) = repo_routing();
    ensure_fixture(
        "seed_routing.rs",
        &fixture_text(&model, "schemas/routing.yaml"),
    );
}

// Every kind of condition, emitted as static data; the runtime crate checks that each
// table equals what its own parser makes of `every_condition.json`. The policy names
// attributes publishers do not send, so the model is built here rather than read from
// a routing.yaml (which would refuse it).
#[test]
fn the_every_condition_fixture_is_up_to_date() {
    let (mut model, _) = repo_routing();
    let path = repo().join("contracts/routing_tests/every_condition.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
    let json: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    let policy = routing::policy::FilterPolicy::from_json(&json).unwrap_or_else(|e| panic!("{e}"));
    model.subscriptions.truncate(1);
    model.subscriptions[0].filter_policy = Some(policy);
    model.subscriptions[0].raw_message_delivery = true;
    ensure_fixture(
        "every_condition.rs",
        &fixture_text(&model, "every_condition.json (see routing_repo.rs)"),
    );
}
