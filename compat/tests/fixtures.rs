//! One fixture per rule, as cargo-semver-checks has one test crate per lint:
//! `tests/fixtures/<rule-id>/` holds an `old.json` and a `new.json` whose diff finds that
//! rule and no other. The catalog reads the fixture with `include_str!` (so a rule without
//! one does not compile); these tests check what each fixture finds, its witness (checked
//! with the validator, or the reason the catalog row gives), and snapshot its report.

use std::path::Path;

use event_contracts_compat::{
    self as compat, DiffSources, Evidence, Format, Rule, Side, Witnessing,
};
use event_contracts_schema::load::compile_validator;
use serde_json::Value;

fn parse(rule: Rule, text: &str, which: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{rule}: {which}.json: {e}"))
}

/// What is wrong with the fixture of `rule`, if anything.
fn problems(rule: Rule) -> Vec<String> {
    let example = rule.example();
    let (old, new) = (
        parse(rule, example.old, "old"),
        parse(rule, example.new, "new"),
    );
    let d = compat::diff(&old, &new);
    let mut out = Vec::new();
    let found: Vec<&str> = d.findings.iter().map(|f| f.rule.id()).collect();
    if found.is_empty() || d.findings.iter().any(|f| f.rule != rule) {
        out.push(format!("{rule}: the fixture finds {found:?}"));
    }
    if d.required != rule.bump() {
        out.push(format!(
            "{rule}: the fixture requires {}, the rule {}",
            d.required,
            rule.bump()
        ));
    }
    for f in &d.findings {
        match (rule.witnessing(), &f.evidence) {
            (Witnessing::NotNeeded, Evidence::NotNeeded) => {}
            (Witnessing::Impossible(reason), Evidence::Unavailable(text))
                if text.contains(reason) => {}
            (Witnessing::Built, Evidence::Witness(w)) => {
                let valid = |schema: &Value| {
                    compile_validator(schema)
                        .map(|v| v.is_valid(&w.event))
                        .unwrap_or_else(|e| panic!("{rule}: {e}"))
                };
                let verdict = (valid(&old), valid(&new));
                let expected = match w.valid_under {
                    Side::Old => (true, false),
                    Side::New => (false, true),
                };
                if verdict != expected {
                    out.push(format!("{rule}: the witness {} gets {verdict:?}", w.event));
                }
            }
            (_, evidence) => out.push(format!("{rule}: evidence {evidence:?}")),
        }
    }
    out
}

#[test]
fn every_rule_has_a_fixture_that_finds_it_and_nothing_else() {
    let failures: Vec<String> = Rule::ALL.iter().flat_map(|r| problems(*r)).collect();
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn every_fixture_folder_belongs_to_a_rule() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut folders = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        assert!(Rule::from_id(&name).is_some(), "{name} is not a rule id");
        for file in ["old.json", "new.json"] {
            assert!(path.join(file).is_file(), "{name}/{file} is missing");
        }
        folders.push(name);
    }
    assert_eq!(folders.len(), Rule::ALL.len());
}

#[test]
fn every_fixture_report_matches_its_snapshot() {
    for &rule in Rule::ALL {
        let example = rule.example();
        let (old, new) = (
            parse(rule, example.old, "old"),
            parse(rule, example.new, "new"),
        );
        let d = compat::diff(&old, &new);
        let sources = DiffSources {
            old_file: "old.json",
            old_text: example.old,
            new_file: "new.json",
            new_text: example.new,
            made: None,
        };
        let report = compat::render_diff(&d, &sources, Format::Human);
        insta::assert_snapshot!(format!("fixture_{}", rule.id()), report);
    }
}
