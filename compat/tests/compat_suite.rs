//! The engine over the official JSON Schema Test Suite (the excerpt in
//! `../shared/json-schema-test-suite`, or `$JSON_SCHEMA_TEST_SUITE`):
//! - every group's schema compared with itself gives no finding and never panics;
//! - the generator's minimal instance of a schema, when it builds one, is valid;
//! - neighbouring schemas of a file, compared with each other, give witnesses the
//!   validators agree with, and a patch verdict only when the suite's own test data
//!   keeps its validity.
//!
//! Under `CI=true` a missing suite fails; elsewhere the tests say they were skipped.

use std::path::{Path, PathBuf};

use event_contracts_compat::{self as compat, generate::Generator, Bump, Side};
use event_contracts_schema::load::compile_validator;
use serde_json::Value;

struct Group {
    file: String,
    description: String,
    schema: Value,
    data: Vec<Value>,
}

fn suite_dir() -> Option<PathBuf> {
    let dir = match std::env::var_os("JSON_SCHEMA_TEST_SUITE") {
        Some(d) => PathBuf::from(d),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/json-schema-test-suite"),
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
        "skipped: the JSON Schema Test Suite is not at {}",
        dir.display()
    );
    None
}

fn groups(dir: &Path) -> Vec<Group> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())) {
            let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                files.push(path);
            }
        }
    }
    files.sort();
    let mut out = Vec::new();
    for path in files {
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let value: Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let file = path
            .strip_prefix(dir)
            .unwrap_or(&path)
            .display()
            .to_string();
        for group in value.as_array().into_iter().flatten() {
            out.push(Group {
                file: file.clone(),
                description: group["description"].as_str().unwrap_or_default().to_owned(),
                schema: group["schema"].clone(),
                data: group["tests"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|t| t["data"].clone())
                    .collect(),
            });
        }
    }
    out
}

#[test]
fn every_suite_schema_compared_with_itself_has_no_findings() {
    let Some(dir) = suite_dir() else { return };
    let groups = groups(&dir);
    assert!(!groups.is_empty(), "no test groups under {}", dir.display());
    for g in &groups {
        let d = compat::diff(&g.schema, &g.schema);
        let ids: Vec<&str> = d.findings.iter().map(|f| f.rule.id()).collect();
        assert_eq!(
            (ids, d.required),
            (vec![], Bump::None),
            "{}: {}",
            g.file,
            g.description
        );
    }
    eprintln!("{} groups compared with themselves", groups.len());
}

#[test]
fn minimal_instances_of_suite_schemas_are_valid() {
    let Some(dir) = suite_dir() else { return };
    let mut built = 0;
    let mut invalid = Vec::new();
    for g in groups(&dir) {
        let Ok(validator) = compile_validator(&g.schema) else {
            continue;
        };
        if let Some(instance) = Generator::new(&g.schema).minimal() {
            if !validator.is_valid(&instance) {
                invalid.push(format!("{}: {}: {instance}", g.file, g.description));
            }
            built += 1;
        }
    }
    assert!(invalid.is_empty(), "{}", invalid.join("\n"));
    assert!(built > 0);
    eprintln!("{built} minimal instances built and valid");
}

#[test]
fn neighbouring_suite_schemas_get_sound_verdicts() {
    let Some(dir) = suite_dir() else { return };
    let groups = groups(&dir);
    let mut witnesses = 0;
    for pair in groups.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        if a.file != b.file {
            continue;
        }
        let (Ok(va), Ok(vb)) = (compile_validator(&a.schema), compile_validator(&b.schema)) else {
            continue;
        };
        let d = compat::diff(&a.schema, &b.schema);
        for f in &d.findings {
            if let Some(w) = f.witness() {
                let (accepts, rejects) = match w.valid_under {
                    Side::Old => (&va, &vb),
                    Side::New => (&vb, &va),
                };
                assert!(
                    accepts.is_valid(&w.event) && !rejects.is_valid(&w.event),
                    "{} / {}: {} {}",
                    a.description,
                    b.description,
                    f.rule.id(),
                    w.event
                );
                witnesses += 1;
            }
        }
        if d.required <= Bump::Patch {
            // Same validity for every instance of both groups' test data.
            for data in a.data.iter().chain(&b.data) {
                assert_eq!(
                    va.is_valid(data),
                    vb.is_valid(data),
                    "{} / {}: {data}",
                    a.description,
                    b.description
                );
            }
        }
    }
    assert!(witnesses > 0);
    eprintln!("{witnesses} witnesses checked between neighbouring groups");
}
