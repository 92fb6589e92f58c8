//! The example events beside the schemas, read from disk for the tests.

#![allow(dead_code)] // each test file uses its own part of this module

use std::path::{Path, PathBuf};

/// One example event: `schemas/<event>/examples/<version>/<valid|invalid>/<name>.json`.
#[derive(Debug, Clone)]
pub struct Example {
    /// The event type, e.g. `OrderPlaced`.
    pub event: String,
    /// The version folder it sits in, e.g. `1.1.0`.
    pub version: String,
    /// Whether it sits in `valid/`.
    pub valid: bool,
    /// The path below `schemas/`, for messages.
    pub path: String,
    /// The file's text.
    pub text: String,
}

/// The crate's schema folder.
pub fn schemas_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas")
}

/// `order-placed` → `OrderPlaced`.
fn event_name(dir: &str) -> String {
    dir.split('-')
        .map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn sorted_entries(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("a readable folder entry").path())
        .collect();
    entries.sort();
    entries
}

/// Every example of every event and version, in path order.
pub fn examples() -> Vec<Example> {
    let root = schemas_dir();
    let mut out = Vec::new();
    for event_dir in sorted_entries(&root) {
        let examples_dir = event_dir.join("examples");
        if !examples_dir.is_dir() {
            continue;
        }
        let event = event_name(&event_dir.file_name().unwrap().to_string_lossy());
        for version_dir in sorted_entries(&examples_dir) {
            let version = version_dir
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            for verdict in ["invalid", "valid"] {
                for file in sorted_entries(&version_dir.join(verdict)) {
                    out.push(Example {
                        event: event.clone(),
                        version: version.clone(),
                        valid: verdict == "valid",
                        path: file
                            .strip_prefix(&root)
                            .unwrap()
                            .to_string_lossy()
                            .into_owned(),
                        text: std::fs::read_to_string(&file)
                            .unwrap_or_else(|e| panic!("{}: {e}", file.display())),
                    });
                }
            }
        }
    }
    out
}

/// One example by its path below `schemas/`.
pub fn example(path: &str) -> String {
    let file = schemas_dir().join(path);
    std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}
