//! Turns every group of the JSON Schema Test Suite (draft-07, and the 2019-09 `uuid`
//! format) into an event of a schema folder in `$OUT_DIR`, and generates this crate's
//! types from it with the real generator.
//!
//! Group `n` becomes the event `Case<n>`:
//!
//! ```json
//! {"type": "object", "required": ["kind", "version", "data"],
//!  "properties": {"kind": {"enum": ["Case<n>"]}, "version": {"type": "string"},
//!                 "data": {"$ref": "#/definitions/case"}},
//!  "definitions": {"case": <the group's schema>}}
//! ```
//!
//! The group's own `$ref`s that read the document by JSON pointer (`#`, `#/definitions/a`)
//! are moved under `#/definitions/case`, unless a `$id` above them makes them read that
//! resource instead; `$ref`s by URI and anchors are left as written. `OUT_DIR/cases.json`
//! lists (event, file, group index) for the test. Without the suite the folder holds one
//! placeholder event and `SUITE_DIR` is empty: the test then fails under `CI=true`.

use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};

fn main() {
    if let Err(message) = run() {
        eprintln!("event-contracts-schema-suite: {message}");
        std::process::exit(1);
    }
}

fn suite_dir() -> Option<PathBuf> {
    println!("cargo:rerun-if-env-changed=JSON_SCHEMA_TEST_SUITE");
    let dir = match std::env::var_os("JSON_SCHEMA_TEST_SUITE") {
        Some(d) => PathBuf::from(d),
        None => {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/json-schema-test-suite")
        }
    };
    dir.is_dir()
        .then(|| std::fs::canonicalize(&dir).unwrap_or(dir))
}

/// The suite's files this crate runs, relative to the suite folder, sorted.
fn suite_files(dir: &Path) -> Result<Vec<String>, String> {
    let mut files = Vec::new();
    let mut stack = vec![dir.join("draft7")];
    while let Some(current) = stack.pop() {
        let entries = std::fs::read_dir(&current)
            .map_err(|e| format!("cannot read {}: {e}", current.display()))?;
        for entry in entries {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                let rel = path
                    .strip_prefix(dir)
                    .map_err(|e| e.to_string())?
                    .to_string_lossy()
                    .replace('\\', "/");
                files.push(rel);
            }
        }
    }
    files.push("draft2019-09/optional/format/uuid.json".to_owned());
    files.sort();
    Ok(files)
}

fn run() -> Result<(), String> {
    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?);
    let schemas = out.join("suite-schemas");
    if schemas.exists() {
        std::fs::remove_dir_all(&schemas).map_err(|e| e.to_string())?;
    }
    let mut cases = Vec::new();
    let dir = suite_dir();
    if let Some(dir) = &dir {
        println!("cargo:rerun-if-changed={}", dir.display());
        for rel in suite_files(dir)? {
            let path = dir.join(&rel);
            if !path.is_file() {
                continue;
            }
            println!("cargo:rerun-if-changed={}", path.display());
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            let groups: Value = serde_json::from_str(&text).map_err(|e| format!("{rel}: {e}"))?;
            for (index, group) in groups.as_array().into_iter().flatten().enumerate() {
                let name = format!("Case{}", cases.len());
                let schema = group.get("schema").cloned().unwrap_or(Value::Bool(true));
                write_event(&schemas, &name, &schema)?;
                cases.push(json!({"event": name, "file": rel, "group": index}));
            }
        }
    }
    if cases.is_empty() {
        // A folder of one event, so the crate still builds and the test can say why it has
        // nothing to run.
        write_event(&schemas, "Placeholder", &Value::Bool(true))?;
    }
    std::fs::write(out.join("cases.json"), Value::Array(cases).to_string())
        .map_err(|e| e.to_string())?;
    println!(
        "cargo:rustc-env=SUITE_DIR={}",
        dir.map(|d| d.display().to_string()).unwrap_or_default()
    );
    event_contracts_codegen::Config::new(&schemas)
        .discriminator("kind")
        .write_to_out_dir()
        .map_err(|e| e.to_string())?;
    Ok(())
}

fn write_event(schemas: &Path, name: &str, schema: &Value) -> Result<(), String> {
    let mut case = schema.clone();
    if let Value::Object(obj) = &mut case {
        // Only the dialect, which the wrapper states for the whole document.
        obj.remove("$schema");
    }
    move_refs(&mut case, false);
    let event = json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "type": "object",
        "required": ["kind", "version", "data"],
        "properties": {
            "kind": {"type": "string", "enum": [name]},
            "version": {"type": "string"},
            "data": {"$ref": "#/definitions/case"}
        },
        "definitions": {"case": case}
    });
    let folder = schemas.join(name.to_ascii_lowercase());
    std::fs::create_dir_all(&folder).map_err(|e| e.to_string())?;
    let text = serde_json::to_string_pretty(&event).map_err(|e| e.to_string())?;
    std::fs::write(folder.join("1.0.0.json"), text).map_err(|e| e.to_string())
}

/// Keywords whose value is a schema, an array of schemas or an object of schemas; every
/// other keyword's value (`enum`, `const`, `default`, ...) is data, never rewritten.
const SCHEMA_KEYWORDS: &[&str] = &[
    "items",
    "additionalItems",
    "contains",
    "additionalProperties",
    "propertyNames",
    "not",
    "if",
    "then",
    "else",
    "allOf",
    "anyOf",
    "oneOf",
    "properties",
    "patternProperties",
    "definitions",
    "dependencies",
];

/// Moves the document-relative `$ref`s of a schema under `#/definitions/case`.
fn move_refs(schema: &mut Value, scoped: bool) {
    let Value::Object(obj) = schema else { return };
    let has_ref = obj.contains_key("$ref");
    let scoped = scoped
        || (!has_ref
            && obj
                .get("$id")
                .and_then(Value::as_str)
                .is_some_and(|id| !id.starts_with('#')));
    if let Some(Value::String(reference)) = obj.get_mut("$ref") {
        if !scoped {
            if let Some(fragment) = reference.strip_prefix('#') {
                if fragment.is_empty() || fragment.starts_with('/') {
                    *reference = format!("#/definitions/case{fragment}");
                }
            }
        }
    }
    for key in SCHEMA_KEYWORDS {
        match obj.get_mut(*key) {
            Some(Value::Array(items)) => {
                for item in items {
                    move_refs(item, scoped);
                }
            }
            Some(Value::Object(children))
                if matches!(
                    *key,
                    "properties" | "patternProperties" | "definitions" | "dependencies"
                ) =>
            {
                for child in children.values_mut() {
                    move_refs(child, scoped);
                }
            }
            Some(child @ Value::Object(_)) => move_refs(child, scoped),
            _ => {}
        }
    }
    let _: &Map<String, Value> = obj;
}
