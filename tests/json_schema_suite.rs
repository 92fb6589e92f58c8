//! The runtime's own checks against the official JSON Schema Test Suite (the excerpt in
//! `../shared/json-schema-test-suite`, or `$JSON_SCHEMA_TEST_SUITE`):
//! - the format checkers `formats::is_uuid` and `formats::is_date_time` against the suite's
//!   `uuid` and `date-time` groups;
//! - the constraint checks the generated newtypes call (`__private::check_length`,
//!   `check_pattern`, `check_number`) against every group whose schema is one of those
//!   keywords, optionally with a `type`.
//!
//! Every case must agree, except those listed under "Known disagreements" in
//! docs/RELIABILITY.md, each with its reason; the test fails on a new disagreement and on a
//! listed one that has gone away, so the list stays exact. The compatibility engine's run
//! over the same suite is `codegen/tests/compat_suite.rs`.
//!
//! Under `CI=true` a missing suite fails; elsewhere the test says it was skipped.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use event_contracts::__private::{check_length, check_number, check_pattern, NumberBounds};
use event_contracts::formats::{is_date_time, is_uuid};
use serde_json::Value;

fn suite_dir() -> Option<PathBuf> {
    let dir = match std::env::var_os("JSON_SCHEMA_TEST_SUITE") {
        Some(d) => PathBuf::from(d),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/json-schema-test-suite"),
    };
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var("CI").map_or(true, |v| v != "true"),
        "the JSON Schema Test Suite is missing at {} (set JSON_SCHEMA_TEST_SUITE)",
        dir.display()
    );
    eprintln!(
        "skipped: the JSON Schema Test Suite is not at {} (set JSON_SCHEMA_TEST_SUITE to run it)",
        dir.display()
    );
    None
}

/// One case of the suite, named as docs/RELIABILITY.md lists it.
struct Case {
    name: String,
    schema: Value,
    data: Value,
    valid: bool,
}

fn cases(dir: &Path, file: &str) -> Vec<Case> {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let groups: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
    let mut out = Vec::new();
    for group in groups.as_array().unwrap() {
        for test in group["tests"].as_array().unwrap() {
            out.push(Case {
                name: format!(
                    "{file} › {} › {}",
                    group["description"].as_str().unwrap(),
                    test["description"].as_str().unwrap()
                ),
                schema: group["schema"].clone(),
                data: test["data"].clone(),
                valid: test["valid"].as_bool().unwrap(),
            });
        }
    }
    out
}

/// The typed verdict: what a generated field of the schema's `type` accepts. Without a
/// `type`, a value the keyword does not apply to is valid (as in JSON Schema); with one, a
/// value of another type never reaches the newtype, so it is rejected.
fn typed_verdict(schema: &Value, data: &Value) -> Option<bool> {
    let object = schema.as_object()?;
    let declared = object.get("type").and_then(Value::as_str);
    let mut keywords: Vec<&str> = object
        .keys()
        .map(String::as_str)
        .filter(|k| !matches!(*k, "type" | "$schema"))
        .collect();
    let keyword = keywords.pop()?;
    if !keywords.is_empty() {
        return None;
    }
    let bound = |k: &str| object.get(k).and_then(Value::as_f64);
    let applies_to_strings = matches!(keyword, "minLength" | "maxLength" | "pattern");
    let fits_type = match declared {
        None => true,
        Some("string") => data.is_string(),
        Some("number") => data.is_number(),
        Some("integer") => data.as_f64().is_some_and(|n| n.fract() == 0.0),
        Some(_) => return None,
    };
    if !fits_type {
        return Some(false);
    }
    if applies_to_strings {
        let Some(text) = data.as_str() else {
            return Some(true);
        };
        let length = |k: &str| bound(k).map(|b| b as u64);
        return Some(match keyword {
            "minLength" => check_length(text, length("minLength"), None).is_ok(),
            "maxLength" => check_length(text, None, length("maxLength")).is_ok(),
            _ => {
                let pattern = object["pattern"].as_str()?;
                // The generated code compiles patterns with regress the same way.
                let regex = regress::Regex::new(pattern).ok()?;
                check_pattern(text, &regex, pattern).is_ok()
            }
        });
    }
    let bounds = NumberBounds {
        minimum: bound("minimum"),
        maximum: bound("maximum"),
        exclusive_minimum: bound("exclusiveMinimum"),
        exclusive_maximum: bound("exclusiveMaximum"),
        multiple_of: bound("multipleOf"),
    };
    if !matches!(
        keyword,
        "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" | "multipleOf"
    ) {
        return None;
    }
    let Some(number) = data.as_f64() else {
        return Some(true);
    };
    Some(check_number(number, &bounds).is_ok())
}

/// The format checkers, where the group's schema is just that format.
fn format_verdict(schema: &Value, data: &Value) -> Option<bool> {
    let check: fn(&str) -> bool = match schema.as_object()?.get("format")?.as_str()? {
        "uuid" => is_uuid,
        "date-time" => is_date_time,
        _ => return None,
    };
    // `$schema` only names the draft the group was written for.
    if schema
        .as_object()?
        .keys()
        .any(|k| !matches!(k.as_str(), "format" | "$schema"))
    {
        return None;
    }
    // Formats apply to strings only.
    Some(data.as_str().is_none_or(check))
}

/// The disagreements docs/RELIABILITY.md lists: lines `- \`<case name>\`: <reason>` under
/// its "Known disagreements" heading.
fn listed_disagreements() -> BTreeSet<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/RELIABILITY.md");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let section = text
        .split("### Known disagreements")
        .nth(1)
        .unwrap_or_else(|| panic!("docs/RELIABILITY.md has no 'Known disagreements' section"));
    let section = section.split("\n#").next().unwrap_or(section);
    section
        .lines()
        .filter_map(|l| l.strip_prefix("- `"))
        .filter_map(|l| l.split_once("`:"))
        .map(|(name, _)| name.to_owned())
        .collect()
}

const FILES: &[&str] = &[
    "draft7/minLength.json",
    "draft7/maxLength.json",
    "draft7/pattern.json",
    "draft7/minimum.json",
    "draft7/maximum.json",
    "draft7/exclusiveMinimum.json",
    "draft7/exclusiveMaximum.json",
    "draft7/multipleOf.json",
    "draft7/format.json",
    "draft7/optional/format/date-time.json",
    "draft2019-09/optional/format/uuid.json",
    "draft7/optional/bignum.json",
    "draft7/optional/float-overflow.json",
];

#[test]
fn the_runtime_checks_agree_with_the_suite() {
    let Some(dir) = suite_dir() else { return };
    let mut checked = 0;
    let mut disagreements = BTreeSet::new();
    for file in FILES {
        for case in cases(&dir, file) {
            let verdict = format_verdict(&case.schema, &case.data)
                .or_else(|| typed_verdict(&case.schema, &case.data));
            let Some(verdict) = verdict else { continue };
            checked += 1;
            if verdict != case.valid {
                disagreements.insert(case.name);
            }
        }
    }
    eprintln!(
        "JSON Schema Test Suite: {checked} cases checked against the runtime, {} disagree (listed in docs/RELIABILITY.md)",
        disagreements.len()
    );
    let listed = listed_disagreements();
    let new: Vec<&String> = disagreements.difference(&listed).collect();
    let gone: Vec<&String> = listed.difference(&disagreements).collect();
    assert!(
        new.is_empty() && gone.is_empty(),
        "disagreements not listed in docs/RELIABILITY.md: {new:#?}\nlisted but now agreeing: {gone:#?}"
    );
    // The excerpt's cases for these keywords and formats: a change means the selection broke.
    assert_eq!(checked, 133);
}
