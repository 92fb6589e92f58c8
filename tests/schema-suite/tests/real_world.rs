//! Public real-world schemas (`tests/real-world/`, chosen in `build.rs`), decoded with the
//! types the real generator made from them: every example payload the corpus holds for
//! them decodes exactly as the oracle judges it (verdict and every violation), the verdict
//! is the one the corpus recorded with Python `jsonschema` (`manifest.json`), and a payload
//! that decodes encodes back to itself.

mod support;

use std::collections::BTreeMap;

use event_contracts_schema_suite::REAL_WORLD_JSON;
use serde_json::Value;

#[test]
fn every_example_decodes_as_the_oracle_and_the_corpus_say() {
    let manifest = support::read_json("manifest.json");
    let typed: Vec<Value> = serde_json::from_str(REAL_WORLD_JSON).expect("build.rs writes JSON");
    let mut schemas = 0;
    let mut examples = 0;
    let mut invalid = 0;
    let mut disagreements = BTreeMap::new();
    for entry in &typed {
        let event = entry["event"].as_str().expect("an event");
        let rel = entry["schema"].as_str().expect("a schema path");
        let validator = support::oracle(&support::read_json(rel));
        schemas += 1;
        for example in manifest[rel]["examples"].as_array().into_iter().flatten() {
            let path = example["path"].as_str().expect("an example path");
            let recorded_valid = example["valid"].as_bool().expect("a verdict");
            let data = support::read_json(path);
            examples += 1;
            let oracle = support::oracle_violations(&validator, &data);
            if !oracle.is_empty() {
                invalid += 1;
            }
            if oracle.is_empty() != recorded_valid {
                disagreements.insert(
                    path.to_owned(),
                    format!("the oracle and Python jsonschema disagree (oracle: {oracle:?})"),
                );
            } else if let Some(why) = support::disagreement(event, &data, &validator) {
                disagreements.insert(path.to_owned(), why);
            }
        }
    }
    println!("{schemas} schemas, {examples} examples ({invalid} invalid) decoded");
    assert!(
        disagreements.is_empty(),
        "{} of {examples} real-world examples disagree:\n{}",
        disagreements.len(),
        disagreements
            .iter()
            .map(|(path, why)| format!("{path}: {why}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    // 18 schemas without examples and the 5 octokit schemas of build.rs, with 29 + 29 + 15
    // + 13 + 13 payloads, of which 5 are rejected by their own schema.
    assert_eq!((schemas, examples, invalid), (23, 99, 5));
}
