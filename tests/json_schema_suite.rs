//! The runtime's own checks against the official JSON Schema Test Suite (the excerpt in
//! `../shared/json-schema-test-suite`, or `$JSON_SCHEMA_TEST_SUITE`):
//! - the format checkers `formats::is_uuid` and `formats::is_date_time` against the suite's
//!   `uuid` and `date-time` groups;
//! - the constraint checks the generated newtypes call (`__private::check_length`,
//!   `Pattern`, `check_number`) against every group whose schema is one of those
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

use event_contracts::__private::{
    check_bounds, check_closed, check_const, check_enum, check_format, check_items, check_length,
    check_lengths, check_matches, check_number, check_required, check_type, Collector, Instance,
    JsonType, NumberBounds, Pattern, Tree,
};
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
                // What the generated newtypes hold: the pattern compiled once.
                Pattern::new(pattern).is_match(text)?
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

/// The schema check that `codegen` generates, keyword by keyword: what the generated
/// `__check` of a schema would run, over the runtime helpers it calls. `None` when the
/// schema uses something codegen refuses (so no generated check could exist for it).
fn generated_check<J: Instance>(schema: &Value, data: &J, c: &mut Collector) -> Option<()> {
    let object = schema.as_object()?;
    let supported = [
        "$schema",
        "type",
        "enum",
        "const",
        "minLength",
        "maxLength",
        "pattern",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "format",
        "required",
        "properties",
        "additionalProperties",
        "items",
        "description",
        "default",
    ];
    if object.keys().any(|k| !supported.contains(&k.as_str())) {
        return None;
    }
    if let Some(t) = object.get("type") {
        let t = match t.as_str()? {
            "object" => JsonType::Object,
            "array" => JsonType::Array,
            "string" => JsonType::String,
            "integer" => JsonType::Integer,
            "number" => JsonType::Number,
            "boolean" => JsonType::Boolean,
            _ => return None,
        };
        check_type(data, t, c);
    }
    if let Some(options) = object.get("enum") {
        let options: Option<Vec<&str>> = options.as_array()?.iter().map(Value::as_str).collect();
        check_enum(data, &options?, c);
    }
    if let Some(expected) = object.get("const") {
        check_const(data, expected.as_str()?, c);
    }
    let length = |k: &str| object.get(k).map(|v| v.as_u64()).map(|v| v.ok_or(()));
    let (min, max) = (length("minLength"), length("maxLength"));
    if min.is_some() || max.is_some() {
        check_lengths(data, min.transpose().ok()?, max.transpose().ok()?, c);
    }
    if let Some(pattern) = object.get("pattern") {
        let pattern = pattern.as_str()?;
        let regex = regress::Regex::new(pattern).ok()?;
        check_matches(data, Some(&regex), pattern, c);
    }
    let bound = |k: &str| object.get(k).and_then(Value::as_f64);
    check_bounds(
        data,
        &NumberBounds {
            minimum: bound("minimum"),
            maximum: bound("maximum"),
            exclusive_minimum: bound("exclusiveMinimum"),
            exclusive_maximum: bound("exclusiveMaximum"),
            multiple_of: bound("multipleOf"),
        },
        c,
    );
    if let Some(format) = object.get("format") {
        let check: fn(&str) -> bool = match format.as_str()? {
            "uuid" => is_uuid,
            "date-time" => is_date_time,
            _ => return None,
        };
        check_format(data, format.as_str()?, check, c);
    }
    let no_properties = serde_json::Map::new();
    let properties = match object.get("properties") {
        Some(p) => p.as_object()?,
        None => &no_properties,
    };
    let closed = match object.get("additionalProperties") {
        None | Some(Value::Bool(true)) => false,
        Some(Value::Bool(false)) => true,
        Some(_) => return None,
    };
    if let Some(members) = data.members() {
        if let Some(required) = object.get("required") {
            let names: Option<Vec<&str>> = required.as_array()?.iter().map(Value::as_str).collect();
            check_required(members.clone(), &names?, c);
        }
        for (name, sub) in properties {
            if let Some(value) = data.get(name) {
                let mut ok = Some(());
                c.at_key(name, |c| ok = generated_check(sub, value, c));
                ok?;
            }
        }
        if closed {
            let declared: Vec<&str> = properties.keys().map(String::as_str).collect();
            check_closed(members, &declared, c);
        }
    }
    if let Some(items) = object.get("items") {
        items.as_object()?;
        let mut ok = Some(());
        check_items(data, c, |value, c| {
            if generated_check(items, value, c).is_none() {
                ok = None;
            }
        });
        ok?;
    }
    Some(())
}

#[test]
fn the_generated_checks_agree_with_the_suite() {
    let Some(dir) = suite_dir() else { return };
    let files = [
        "draft7/type.json",
        "draft7/enum.json",
        "draft7/const.json",
        "draft7/required.json",
        "draft7/properties.json",
        "draft7/additionalProperties.json",
        "draft7/items.json",
        "draft7/default.json",
    ];
    let mut checked = 0;
    let mut disagreements = BTreeSet::new();
    for file in FILES.iter().chain(files.iter()) {
        for case in cases(&dir, file) {
            let mut collector = Collector::new();
            if generated_check(&case.schema, &case.data, &mut collector).is_none() {
                continue;
            }
            checked += 1;
            let violations = collector.into_violations();
            // The same check over the borrowed tree `decode` builds from the text.
            let text = serde_json::to_string(&case.data).unwrap();
            let tree = Tree::parse(&text).unwrap();
            let mut over_tree = Collector::new();
            generated_check(&case.schema, &tree, &mut over_tree);
            assert_eq!(over_tree.into_violations(), violations, "{}", case.name);
            if violations.is_empty() != case.valid {
                disagreements.insert(case.name);
            }
        }
    }
    eprintln!(
        "JSON Schema Test Suite: {checked} cases checked against the generated checks, {} disagree",
        disagreements.len()
    );
    let listed = listed_disagreements();
    let new: Vec<&String> = disagreements.difference(&listed).collect();
    assert!(
        new.is_empty(),
        "disagreements not listed in docs/RELIABILITY.md: {new:#?}"
    );
    // The excerpt's cases within codegen's keywords: a change means the selection broke.
    assert_eq!(checked, 247);
}
