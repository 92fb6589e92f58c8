//! `.github/workflows/schema-gate.yml`, the gate ready for a repository's CI: it runs on pull
//! requests that touch `schemas/`, has the base branch's history, caches the build, and runs
//! a `cargo xtask compat` command that the README documents, with GitHub annotations.

use std::path::Path;

use yaml_rust2::{Yaml, YamlLoader};

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

fn workflow() -> Yaml {
    let path = root().join(".github/workflows/schema-gate.yml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut docs =
        YamlLoader::load_from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(docs.len(), 1, "one YAML document");
    docs.remove(0)
}

/// Every step of every job.
fn steps(w: &Yaml) -> Vec<Yaml> {
    let jobs = w["jobs"].as_hash().unwrap_or_else(|| panic!("no jobs"));
    jobs.values()
        .flat_map(|job| job["steps"].as_vec().cloned().unwrap_or_default())
        .collect()
}

/// A command as people write it: `${{ github.base_ref }}` is `<base branch>`, quotes dropped.
fn as_documented(command: &str) -> String {
    command
        .replace("${{ github.base_ref }}", "<base branch>")
        .replace('"', "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The commands of the README's shell blocks.
fn readme_commands() -> Vec<String> {
    let text = std::fs::read_to_string(root().join("README.md")).unwrap_or_else(|e| panic!("{e}"));
    let mut out = Vec::new();
    let mut in_block = false;
    for line in text.lines() {
        if line.starts_with("```") {
            in_block = line.trim() == "```sh" && !in_block;
            continue;
        }
        if in_block {
            let command = line.split(" #").next().unwrap_or(line);
            out.push(command.split_whitespace().collect::<Vec<_>>().join(" "));
        }
    }
    out
}

#[test]
fn the_workflow_runs_on_pull_requests_that_touch_the_schemas() {
    let w = workflow();
    // YAML 1.1 reads the key `on` as the boolean true; yaml-rust2 keeps it a string.
    let trigger = &w["on"]["pull_request"]["paths"];
    let paths: Vec<&str> = trigger
        .as_vec()
        .into_iter()
        .flatten()
        .filter_map(Yaml::as_str)
        .collect();
    assert!(paths.contains(&"schemas/**"), "{paths:?}");
}

#[test]
fn the_workflow_has_the_base_history_and_a_build_cache() {
    let w = workflow();
    let steps = steps(&w);
    let checkout = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/checkout@"))
        })
        .unwrap_or_else(|| panic!("no checkout step"));
    assert_eq!(
        checkout["with"]["fetch-depth"].as_i64(),
        Some(0),
        "the whole history"
    );
    let fetches_base = steps.iter().any(|s| {
        s["run"]
            .as_str()
            .is_some_and(|r| r.contains("git fetch") && r.contains("${{ github.base_ref }}"))
    });
    assert!(fetches_base, "no step fetches the base branch");
    let caches = steps.iter().any(|s| {
        s["uses"]
            .as_str()
            .is_some_and(|u| u.contains("rust-cache") || u.starts_with("actions/cache@"))
    });
    assert!(caches, "no step caches the build");
}

#[test]
fn the_workflow_runs_a_compat_command_the_readme_documents() {
    let w = workflow();
    let runs: Vec<String> = steps(&w)
        .iter()
        .filter_map(|s| s["run"].as_str().map(str::to_owned))
        .filter(|r| r.contains("cargo xtask compat"))
        .collect();
    assert_eq!(runs.len(), 1, "{runs:?}");
    let command = as_documented(&runs[0]);
    assert_eq!(
        command,
        "cargo xtask compat --base origin/<base branch> --format github"
    );
    let documented = readme_commands();
    assert!(
        documented.contains(&command),
        "the README does not document `{command}`; its commands are {documented:?}"
    );
    assert!(documented.len() >= 3);
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap_or_default();
    assert!(
        readme.contains("### Adopting the gate in a repository's CI")
            && readme.contains(".github/workflows/schema-gate.yml"),
        "the README does not show how to adopt the workflow"
    );
}
