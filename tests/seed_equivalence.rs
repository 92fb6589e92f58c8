//! Each repository schema accepts and rejects exactly what the seed document's inline
//! schema does (issue 2), on every example and every corpus event.
//!
//! The seed's schemas are in `tests/fixtures/seed/`, exactly as the seed writes them. Both
//! sides are compiled the same way as the runtime compiles its schemas (draft-07, formats
//! checked, with the runtime's `uuid` and `date-time` checkers), so the comparison is
//! schema text against schema text. They must report the same violations, not only the
//! same verdict.
//!
//! ProductCreated 1.1.0 differs from the seed (which is 1.0.0) by design: it adds the
//! optional `data.metadata` object. The one input where that shows is a `data.metadata`
//! that is present and not an object; `the_1_1_0_difference_is_exactly_data_metadata`
//! pins it.

mod support;

use std::collections::BTreeMap;

use event_contracts::{choose_schema, validate_value, DecodeError, Decoder, EventType};
use serde_json::{json, Value};

fn compile(schema: &Value) -> jsonschema::Validator {
    jsonschema::draft7::options()
        .should_validate_formats(true)
        .with_format("uuid", event_contracts::formats::is_uuid)
        .with_format("date-time", event_contracts::formats::is_date_time)
        .build(schema)
        .unwrap()
}

fn seed(file: &str) -> jsonschema::Validator {
    let path = support::root().join("tests/fixtures/seed").join(file);
    compile(&serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap())
}

fn repository(schema_json: &str) -> jsonschema::Validator {
    compile(&serde_json::from_str(schema_json).unwrap())
}

/// (pointer, keyword) of every violation, sorted; empty when valid.
fn violations(validator: &jsonschema::Validator, event: &Value) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = validator
        .iter_errors(event)
        .map(|e| {
            (
                e.instance_path().as_str().to_owned(),
                e.kind().keyword().to_owned(),
            )
        })
        .collect();
    found.sort();
    found
}

/// Each event type: its seed schema and its repository schema at 1.0.0.
fn pairs() -> Vec<(EventType, jsonschema::Validator, jsonschema::Validator)> {
    use event_contracts::{low_stock_warning, product_created, product_deleted, product_updated};
    vec![
        (
            EventType::LowStockWarning,
            seed("low-stock-warning.json"),
            repository(low_stock_warning::v1_0_0::SCHEMA_JSON),
        ),
        (
            EventType::ProductCreated,
            seed("product-created.json"),
            repository(product_created::v1_0_0::SCHEMA_JSON),
        ),
        (
            EventType::ProductDeleted,
            seed("product-deleted.json"),
            repository(product_deleted::v1_0_0::SCHEMA_JSON),
        ),
        (
            EventType::ProductUpdated,
            seed("product-updated.json"),
            repository(product_updated::v1_0_0::SCHEMA_JSON),
        ),
    ]
}

/// Every example and every corpus event that is JSON (however large or deep), by name.
fn inputs() -> BTreeMap<String, Value> {
    let mut inputs = BTreeMap::new();
    for example in support::examples() {
        let name = example
            .path
            .strip_prefix(support::root())
            .unwrap()
            .display()
            .to_string();
        inputs.insert(name, example.value);
    }
    let lenient = Decoder::new().max_size(usize::MAX).max_depth(usize::MAX);
    for case in support::corpus() {
        if let Ok(value) = lenient.parse(&case.bytes) {
            inputs.insert(format!("corpus:{}", case.verdict.case), value);
        }
    }
    inputs
}

#[test]
fn every_input_gets_the_same_violations_from_the_seed_and_the_repository() {
    let inputs = inputs();
    assert!(inputs.len() >= 250, "only {} inputs", inputs.len());
    let mut wrong = Vec::new();
    let mut valid_under_own_type = 0;
    for (event_type, seed, repository) in pairs() {
        // Every input against every event type: an event of another type must be judged
        // the same way too.
        for (name, event) in &inputs {
            let (by_seed, by_repository) =
                (violations(&seed, event), violations(&repository, event));
            if by_seed != by_repository {
                wrong.push(format!(
                    "{event_type} on {name}: seed {by_seed:?}, repository {by_repository:?}"
                ));
            }
            if by_seed.is_empty() && event["eventType"] == event_type.as_str() {
                valid_under_own_type += 1;
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // The comparison is not vacuous: many inputs are valid, many are not.
    assert!(valid_under_own_type >= 100, "{valid_under_own_type}");
}

/// What `decode` does agrees with the seed wherever the version policy reads an event with
/// a 1.0.0 schema, and a version the runtime cannot parse is one the seed's pattern rejects.
#[test]
fn the_runtime_agrees_with_the_seed_where_it_reads_with_1_0_0() {
    let pairs = pairs();
    let mut wrong = Vec::new();
    let mut compared = 0;
    for (name, event) in inputs() {
        let Some((_, seed, _)) = pairs
            .iter()
            .find(|(t, _, _)| event["eventType"] == t.as_str())
        else {
            continue;
        };
        let Some(version) = event["version"].as_str() else {
            continue;
        };
        let Ok(event_type) = event["eventType"]
            .as_str()
            .unwrap_or_default()
            .parse::<EventType>()
        else {
            continue;
        };
        let by_seed = violations(seed, &event);
        match choose_schema(event_type, version) {
            Ok(choice) if choice.schema_version == (1, 0, 0) => {
                compared += 1;
                let by_runtime = match validate_value(&event) {
                    Ok(_) => Vec::new(),
                    Err(e) => support::pairs(&e.violations()),
                };
                if by_runtime != by_seed {
                    wrong.push(format!("{name}: seed {by_seed:?}, runtime {by_runtime:?}"));
                }
            }
            Err(DecodeError::BadVersion { .. })
                if !by_seed.contains(&("/version".to_owned(), "pattern".to_owned())) =>
            {
                wrong.push(format!(
                    "{name}: the runtime cannot parse version {version:?}, the seed reports {by_seed:?}"
                ));
            }
            _ => {}
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert!(compared >= 200, "{compared}");
}

#[test]
fn the_1_1_0_difference_is_exactly_data_metadata() {
    let seed = seed("product-created.json");
    let v1_0 = repository(event_contracts::product_created::v1_0_0::SCHEMA_JSON);
    let v1_1 = repository(event_contracts::product_created::v1_1_0::SCHEMA_JSON);
    let mut differing = Vec::new();
    for (name, event) in inputs() {
        let by_seed = violations(&seed, &event);
        let by_1_1 = violations(&v1_1, &event);
        if by_seed == by_1_1 {
            continue;
        }
        // 1.1 adds one violation to the seed's: data.metadata present and not an object.
        let mut expected = by_seed.clone();
        expected.push(("/data/metadata".to_owned(), "type".to_owned()));
        expected.sort();
        assert_eq!(by_1_1, expected, "{name}");
        assert!(
            event["data"]
                .get("metadata")
                .is_some_and(|m| !m.is_object()),
            "{name}"
        );
        differing.push(name);
    }
    assert!(differing.len() >= 10, "{differing:?}");

    // The case itself: the seed and 1.0.0 accept a non-object data.metadata, 1.1.0 does not;
    // an object is accepted by all three.
    let mut event: Value =
        serde_json::from_slice(&support::case("created-1.0.0-minimal").bytes).unwrap();
    event["data"]["metadata"] = json!("free text");
    assert_eq!(violations(&seed, &event), []);
    assert_eq!(violations(&v1_0, &event), []);
    assert_eq!(
        violations(&v1_1, &event),
        [("/data/metadata".to_owned(), "type".to_owned())]
    );
    event["data"]["metadata"] = json!({"color": "blue"});
    assert_eq!(violations(&seed, &event), []);
    assert_eq!(violations(&v1_0, &event), []);
    assert_eq!(violations(&v1_1, &event), []);
}
