//! Every draft-07 case of the JSON Schema Test Suite, decoded with types the real generator
//! made from the case's schema (see `build.rs`): the verdict must be the suite's and the
//! oracle's (`jsonschema`, configured as the project's), an invalid case must list the
//! oracle's violations (pointer, keyword, message), and a valid case must encode back to
//! exactly the JSON it was decoded from.
//!
//! The cases that do not agree are listed, each with its reason, under "Known
//! disagreements of the generated types" in `docs/RELIABILITY.md`; the test fails on a
//! disagreement that is not listed and on a listed one that has gone away.
//!
//! Under `CI=true` a missing suite fails the test; elsewhere it says it skipped.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use event_contracts_runtime::{formats, DecodeError};
use event_contracts_schema_suite::{decode, decode_value, encode, CASES_JSON, SUITE_DIR};
use serde_json::{json, Value};

/// One violation as (pointer, keyword, message).
type Triple = (String, String, String);

struct Case {
    name: String,
    event: String,
    schema: Value,
    data: Value,
    valid: bool,
}

fn cases() -> Option<Vec<Case>> {
    if SUITE_DIR.is_empty() {
        assert!(
            std::env::var("CI").map_or(true, |v| v != "true"),
            "the JSON Schema Test Suite was missing when this crate was built (set JSON_SCHEMA_TEST_SUITE)"
        );
        eprintln!("skipped: the JSON Schema Test Suite was missing when this crate was built");
        return None;
    }
    let index: Value = serde_json::from_str(CASES_JSON).expect("build.rs writes JSON");
    let mut files: BTreeMap<String, Value> = BTreeMap::new();
    let mut out = Vec::new();
    for entry in index.as_array().expect("a list of cases") {
        let file = entry["file"].as_str().expect("a file");
        let group = entry["group"].as_u64().expect("a group index") as usize;
        let groups = files.entry(file.to_owned()).or_insert_with(|| {
            let path = Path::new(SUITE_DIR).join(file);
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"))
        });
        let group = &groups[group];
        for test in group["tests"].as_array().expect("tests") {
            out.push(Case {
                name: format!(
                    "{file} › {} › {}",
                    group["description"].as_str().unwrap_or_default(),
                    test["description"].as_str().unwrap_or_default()
                ),
                event: entry["event"].as_str().expect("an event").to_owned(),
                schema: group["schema"].clone(),
                data: test["data"].clone(),
                valid: test["valid"].as_bool().expect("a verdict"),
            });
        }
    }
    Some(out)
}

/// The oracle for a case's schema, as `tests/support/oracle.rs` configures it.
fn oracle(schema: &Value) -> jsonschema::Validator {
    let mut schema = schema.clone();
    if let Value::Object(obj) = &mut schema {
        obj.remove("$schema");
    }
    jsonschema::draft7::options()
        .should_validate_formats(true)
        .with_format("uuid", formats::is_uuid)
        .with_format("date-time", formats::is_date_time)
        .build(&schema)
        .unwrap_or_else(|e| panic!("the oracle does not compile {schema}: {e}"))
}

fn oracle_violations(validator: &jsonschema::Validator, data: &Value) -> Vec<Triple> {
    let mut found: Vec<Triple> = validator
        .iter_errors(data)
        .map(|error| {
            let long = error.instance().to_string().len() > 80;
            (
                error.instance_path().as_str().to_owned(),
                error.kind().keyword().to_owned(),
                if long {
                    error.masked().to_string()
                } else {
                    error.to_string()
                },
            )
        })
        .collect();
    found.sort();
    found
}

/// What decoding the case's event says, as violations of its `data` (empty when it
/// decodes), or the error when it is not a list of violations.
fn decoded_violations(result: &Result<impl Sized, DecodeError>) -> Result<Vec<Triple>, String> {
    match result {
        Ok(_) => Ok(Vec::new()),
        Err(DecodeError::Invalid { violations, .. }) => {
            let mut found = Vec::new();
            for v in violations {
                let Some(inner) = v.pointer.strip_prefix("/data") else {
                    return Err(format!("a violation outside `data`: {v}"));
                };
                found.push((inner.to_owned(), v.keyword.clone(), v.message.clone()));
            }
            found.sort();
            Ok(found)
        }
        Err(other) => Err(other.to_string()),
    }
}

/// Why the case does not agree, or `None` when it does.
fn disagreement(case: &Case, validator: &jsonschema::Validator) -> Option<String> {
    let event = json!({"kind": case.event, "version": "1.0.0", "data": case.data});
    let bytes = serde_json::to_vec(&event).expect("JSON");
    let from_bytes = decode(&bytes);
    let from_value = decode_value(&event);
    let expected = oracle_violations(validator, &case.data);
    if expected.is_empty() != case.valid {
        return Some(format!(
            "the oracle and the suite disagree (oracle: {expected:?})"
        ));
    }
    let found = match decoded_violations(&from_bytes) {
        Ok(found) => found,
        Err(error) => return Some(format!("decode failed outside the check: {error}")),
    };
    if found != expected {
        return Some(format!("decode reports {found:?}, the oracle {expected:?}"));
    }
    if decoded_violations(&from_value) != Ok(found) {
        return Some("decode_value and decode disagree".to_owned());
    }
    if let Ok(decoded) = &from_bytes {
        if from_value.as_ref().ok() != Some(decoded) {
            return Some("decode_value reads another value than decode".to_owned());
        }
        match encode(decoded) {
            Ok(bytes) => {
                let back: Value = serde_json::from_slice(&bytes).expect("encode writes JSON");
                if back != event {
                    return Some(format!("encode gives {back}, not {event}"));
                }
            }
            Err(e) => return Some(format!("encode refuses the decoded event: {e}")),
        }
    }
    None
}

/// The known disagreements, from `docs/RELIABILITY.md`.
fn listed() -> BTreeSet<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/RELIABILITY.md");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let section = text
        .split("### Known disagreements of the generated types")
        .nth(1)
        .expect(
            "docs/RELIABILITY.md has the section \"Known disagreements of the generated types\"",
        );
    let section = section.split("\n#").next().unwrap_or_default();
    section
        .lines()
        .filter_map(|line| line.strip_prefix("- `"))
        .filter_map(|rest| rest.split_once("`:"))
        .map(|(name, _)| name.to_owned())
        .collect()
}

#[test]
fn every_case_decodes_as_the_suite_and_the_oracle_say() {
    let Some(cases) = cases() else { return };
    let mut validators: BTreeMap<String, jsonschema::Validator> = BTreeMap::new();
    let mut disagreements = BTreeMap::new();
    let mut agreed = 0usize;
    for case in &cases {
        let validator = validators
            .entry(case.event.clone())
            .or_insert_with(|| oracle(&case.schema));
        match disagreement(case, validator) {
            Some(why) => {
                disagreements.insert(case.name.clone(), why);
            }
            None => agreed += 1,
        }
    }
    println!(
        "{agreed} of {} cases agree; {} listed disagreements",
        cases.len(),
        disagreements.len()
    );
    let listed = listed();
    let unlisted: Vec<String> = disagreements
        .iter()
        .filter(|(name, _)| !listed.contains(*name))
        .map(|(name, why)| format!("{name}: {why}"))
        .collect();
    let gone: Vec<&String> = listed
        .iter()
        .filter(|name| !disagreements.contains_key(*name))
        .collect();
    assert!(
        unlisted.is_empty(),
        "{} new disagreements (list each in docs/RELIABILITY.md with its reason, or fix it):\n{}",
        unlisted.len(),
        unlisted.join("\n")
    );
    assert!(
        gone.is_empty(),
        "listed disagreements that now agree (remove them from docs/RELIABILITY.md): {gone:?}"
    );
    assert!(cases.len() >= 888, "only {} cases ran", cases.len());
}
