//! The formats against the official JSON Schema Test Suite: every case of
//! `draft7/format.json`, `draft7/optional/format/*.json` and
//! `draft2019-09/optional/format/uuid.json` whose schema is `{"format": ...}` (with or
//! without `$schema`). For each, the verdict of `formats::checker` (a non-string always
//! passes; an unknown format passes everything) must equal the oracle's, and the suite's
//! except for the cases in [`KNOWN_DISAGREEMENTS`], each with its reason. The table is
//! checked both ways: a listed case that starts agreeing with the suite fails too.
//!
//! The suite is read from `$JSON_SCHEMA_TEST_SUITE`, else from `../shared/json-schema-test-suite`
//! beside the workspace. Under `CI=true` a missing suite fails; elsewhere the test says
//! it was skipped.
//!
//! Run: `JSON_SCHEMA_TEST_SUITE=/work/shared/json-schema-test-suite cargo test -p
//! event-contracts-check --test formats_suite -- --nocapture`.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use event_contracts_check::formats::checker;
use serde_json::Value;
use support::oracle_accepts_value;

/// Suite cases where the project (with the oracle) does not give the suite's verdict,
/// as `file › group › test`, with the reason.
const KNOWN_DISAGREEMENTS: &[(&str, &str)] = &[];

fn suite_dir() -> Option<PathBuf> {
    let dir = match std::env::var_os("JSON_SCHEMA_TEST_SUITE") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/json-schema-test-suite"),
    };
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var("CI").map_or(true, |ci| ci != "true"),
        "the JSON Schema Test Suite is missing at {} (set JSON_SCHEMA_TEST_SUITE)",
        dir.display()
    );
    eprintln!(
        "skipped: the JSON Schema Test Suite is not at {} (set JSON_SCHEMA_TEST_SUITE to run it)",
        dir.display()
    );
    None
}

/// The files this test reads, relative to the suite's root; those that are missing are
/// left out, so an excerpt of the suite is enough.
fn files(dir: &Path) -> Vec<String> {
    let mut files = vec!["draft7/format.json".to_owned()];
    let optional = dir.join("draft7/optional/format");
    let mut optional_files: Vec<String> = std::fs::read_dir(&optional)
        .map(|entries| {
            entries
                .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
                .filter(|name| name.ends_with(".json"))
                .map(|name| format!("draft7/optional/format/{name}"))
                .collect()
        })
        .unwrap_or_default();
    optional_files.sort();
    files.extend(optional_files);
    files.push("draft2019-09/optional/format/uuid.json".to_owned());
    files
        .into_iter()
        .filter(|file| dir.join(file).is_file())
        .collect()
}

struct Case {
    name: String,
    format: String,
    data: Value,
    valid: bool,
}

/// The cases of `file` whose schema is a format alone.
fn cases(dir: &Path, file: &str) -> Vec<Case> {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let groups: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
    let mut found = Vec::new();
    for group in groups.as_array().expect("a suite file is a list of groups") {
        let Some(schema) = group["schema"].as_object() else {
            continue;
        };
        let only_format = schema.keys().all(|key| key == "format" || key == "$schema");
        let Some(format) = schema.get("format").and_then(Value::as_str) else {
            continue;
        };
        if !only_format {
            continue;
        }
        for test in group["tests"].as_array().expect("a group has tests") {
            found.push(Case {
                name: format!(
                    "{file} › {} › {}",
                    group["description"].as_str().unwrap_or_default(),
                    test["description"].as_str().unwrap_or_default()
                ),
                format: format.to_owned(),
                data: test["data"].clone(),
                valid: test["valid"]
                    .as_bool()
                    .expect("a test says whether it is valid"),
            });
        }
    }
    found
}

/// The project's verdict: formats apply to strings only, and unknown ones to nothing.
fn verdict(format: &str, data: &Value) -> bool {
    match (data.as_str(), checker(format)) {
        (Some(text), Some(check)) => check(text),
        _ => true,
    }
}

#[test]
fn every_format_case_agrees_with_the_oracle_and_the_suite() {
    let Some(dir) = suite_dir() else {
        return;
    };
    let files = files(&dir);
    assert!(
        files.iter().any(|f| f == "draft7/format.json"),
        "{}: no draft7/format.json",
        dir.display()
    );
    let known: BTreeMap<&str, &str> = KNOWN_DISAGREEMENTS.iter().copied().collect();
    let mut against_oracle = Vec::new();
    let mut against_suite = BTreeSet::new();
    let mut counts: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for file in &files {
        for case in cases(&dir, file) {
            let ours = verdict(&case.format, &case.data);
            let oracle = oracle_accepts_value(&case.format, &case.data);
            let count = counts.entry(case.format.clone()).or_default();
            count.0 += 1;
            if ours != oracle {
                against_oracle.push(format!("{} (ours {ours}, oracle {oracle})", case.name));
            }
            if ours == case.valid {
                count.1 += 1;
            } else {
                against_suite.insert(case.name);
            }
        }
    }
    for (format, (total, with_suite)) in &counts {
        eprintln!("{format}: {total} cases agree with the oracle, {with_suite} with the suite");
    }
    assert!(
        against_oracle.is_empty(),
        "disagreements with the oracle:\n{}",
        against_oracle.join("\n")
    );
    let unexplained: Vec<&String> = against_suite
        .iter()
        .filter(|name| !known.contains_key(name.as_str()))
        .collect();
    assert!(
        unexplained.is_empty(),
        "new disagreements with the suite (add each to KNOWN_DISAGREEMENTS with its reason, or fix it):\n{unexplained:#?}"
    );
    // A listed case whose file is here but which now agrees (or is gone) must leave the list.
    let stale: Vec<&&str> = known
        .keys()
        .filter(|name| files.iter().any(|f| name.starts_with(&format!("{f} ›"))))
        .filter(|name| !against_suite.contains(**name))
        .collect();
    assert!(
        stale.is_empty(),
        "listed disagreements that no longer disagree (remove them):\n{stale:#?}"
    );
    assert!(counts.len() >= 17, "only {} formats seen", counts.len());
}
