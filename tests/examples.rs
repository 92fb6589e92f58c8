//! Every example beside every schema version gets the verdict its folder promises
//! from `decode`, and every valid one survives `encode(decode(x))` unchanged.

use std::path::{Path, PathBuf};

use serde_json::Value;

fn examples() -> Vec<(PathBuf, bool)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas");
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.components().any(|c| c.as_os_str() == "examples") {
                let valid = path.parent().unwrap().file_name().unwrap() == "valid";
                out.push((path, valid));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_example_gets_its_verdict() {
    let all = examples();
    assert!(all.len() >= 50, "found only {} examples", all.len());
    let mut wrong = Vec::new();
    for (path, valid) in &all {
        let bytes = std::fs::read(path).unwrap();
        let result = event_contracts::decode(&bytes);
        if result.is_ok() != *valid {
            wrong.push(format!(
                "{}: expected valid={valid}, got {result:?}",
                path.display()
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn valid_examples_round_trip_exactly() {
    for (path, valid) in examples() {
        if !valid {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        let original: Value = serde_json::from_slice(&bytes).unwrap();
        let event = event_contracts::decode(&bytes).unwrap();
        let encoded = event_contracts::encode(&event).unwrap();
        let again: Value = serde_json::from_slice(&encoded).unwrap();
        assert_eq!(
            again,
            original,
            "{} changed in the round trip",
            path.display()
        );
    }
}
