//! What the corpus tests share: the oracle (the `jsonschema` crate on the same bundled
//! schemas, configured once for every test in `tests/oracle`), the
//! examples, and the one judgement every test makes of an event: decode agrees with the
//! oracle, from bytes and from a value, and a valid event encodes back to itself.

#![allow(dead_code)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use event_contracts_corpus_crate::{
    decode, decode_value, encode, EventType, ShopEvent, SCHEMAS_DIR,
};
use event_contracts_runtime::{choose_schema, DecodeError};
use serde_json::Value;

pub use event_contracts_oracle::Triple;

/// An event type and one of its schema versions.
pub type SchemaKey = (EventType, (u64, u64, u64));

type Validators = HashMap<SchemaKey, jsonschema::Validator>;

/// The bundled schema of each (event type, version), parsed.
pub fn bundled_schemas() -> &'static HashMap<SchemaKey, Value> {
    static ALL: OnceLock<HashMap<SchemaKey, Value>> = OnceLock::new();
    ALL.get_or_init(|| {
        event_contracts_runtime::__private::schemas::<ShopEvent>()
            .map(|(event_type, version, file, json)| {
                let schema: Value = serde_json::from_str(json)
                    .unwrap_or_else(|e| panic!("{file}: the bundled schema does not parse: {e}"));
                ((event_type, version), schema)
            })
            .collect()
    })
}

fn validators() -> &'static Validators {
    static ALL: OnceLock<Validators> = OnceLock::new();
    ALL.get_or_init(|| {
        bundled_schemas()
            .iter()
            .map(|(key, schema)| {
                let validator = event_contracts_oracle::validator(schema)
                    .unwrap_or_else(|e| panic!("{key:?}: the schema does not compile: {e}"));
                (*key, validator)
            })
            .collect()
    })
}

/// What `jsonschema` reports for `event` against the schema its envelope chooses, sorted;
/// `None` when no schema can be chosen.
pub fn oracle(event: &Value) -> Option<Vec<Triple>> {
    let event_type: EventType = event.get("type")?.as_str()?.parse().ok()?;
    let version = event.get("version")?.as_str()?;
    let choice = choose_schema(event_type, version).ok()?;
    let validator = validators().get(&(event_type, choice.schema_version))?;
    Some(event_contracts_oracle::violations(validator, event))
}

/// A decode result as the oracle's kind of answer: the sorted violations (none when it
/// decoded), or the error when it is not a list of violations.
pub fn violations(result: &Result<ShopEvent, DecodeError>) -> Result<Vec<Triple>, String> {
    match result {
        Ok(_) => Ok(Vec::new()),
        Err(DecodeError::Invalid { violations, .. }) => {
            let mut found: Vec<Triple> = violations
                .iter()
                .map(|v| (v.pointer.clone(), v.keyword.clone(), v.message.clone()))
                .collect();
            found.sort();
            Ok(found)
        }
        Err(other) => Err(other.to_string()),
    }
}

/// `Ok` with the verdict when decode agrees with the oracle on `event` from bytes and
/// from the value, both read the same event, and a valid event encodes back to exactly
/// `event`; else what went wrong.
pub fn judge(event: &Value) -> Result<bool, String> {
    let expected =
        oracle(event).ok_or_else(|| format!("the oracle chose no schema for {event}"))?;
    let bytes = serde_json::to_vec(event).map_err(|e| e.to_string())?;
    let from_bytes = decode(&bytes);
    let from_value = decode_value(event);
    let found = violations(&from_bytes)
        .map_err(|e| format!("decode failed outside the check on {event}: {e}"))?;
    if found != expected {
        return Err(format!(
            "decode and the oracle differ on {event}:\n  decode {found:?}\n  oracle {expected:?}"
        ));
    }
    if violations(&from_value) != Ok(found) {
        return Err(format!(
            "decode_value and decode differ on {event}: {from_value:?}"
        ));
    }
    let Ok(decoded) = &from_bytes else {
        return Ok(false);
    };
    if from_value.as_ref().ok() != Some(decoded) {
        return Err(format!(
            "decode_value reads another value than decode from {event}"
        ));
    }
    let written = encode(decoded).map_err(|e| format!("encode refuses {event}: {e}"))?;
    let back: Value = serde_json::from_slice(&written).map_err(|e| e.to_string())?;
    if &back != event {
        return Err(format!("encode gives\n  {back}\nnot\n  {event}"));
    }
    Ok(true)
}

/// Every example file: (path, whether it sits under `valid/`), sorted.
pub fn examples() -> Vec<(PathBuf, bool)> {
    let mut out = Vec::new();
    let mut stack = vec![PathBuf::from(SCHEMAS_DIR)];
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for entry in entries {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.components().any(|c| c.as_os_str() == "examples") {
                let valid =
                    path.parent().and_then(Path::file_name) == Some(std::ffi::OsStr::new("valid"));
                out.push((path, valid));
            }
        }
    }
    out.sort();
    out
}

/// The example at `rel` (inside the schema folder), parsed.
pub fn example(rel: &str) -> Value {
    let path = Path::new(SCHEMAS_DIR).join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}
