//! What the suite and the real-world tests share: the oracle (`jsonschema`, configured
//! once for every test in `tests/oracle`) and the one judgement both make of
//! an event whose `data` is the instance: decode agrees with the oracle, from bytes and from
//! a value, and an event that decodes encodes back to exactly itself.

#![allow(dead_code)]

use event_contracts_runtime::DecodeError;
use event_contracts_schema_suite::{decode, decode_value, encode};
use serde_json::{json, Value};

pub use event_contracts_oracle::Triple;

/// The oracle for a case's schema (its `$schema` dropped), as `tests/oracle` configures it.
pub fn oracle(schema: &Value) -> jsonschema::Validator {
    let mut schema = schema.clone();
    if let Value::Object(obj) = &mut schema {
        obj.remove("$schema");
    }
    event_contracts_oracle::validator(&schema)
        .unwrap_or_else(|e| panic!("the oracle does not compile {schema}: {e}"))
}

/// What the oracle reports for a case's data, sorted.
pub use event_contracts_oracle::violations as oracle_violations;

/// What decoding the case's event says, as violations of its `data` (empty when it
/// decodes), or the error when it is not a list of violations.
pub fn decoded_violations(result: &Result<impl Sized, DecodeError>) -> Result<Vec<Triple>, String> {
    match result {
        Ok(_) => Ok(Vec::new()),
        Err(DecodeError::Invalid { violations, .. }) => {
            let mut found = Vec::new();
            for v in violations {
                let Some(inner) = v.pointer.strip_prefix("/data") else {
                    return Err(format!("a violation outside `data`: {v}"));
                };
                found.push((inner.to_owned(), v.keyword.clone(), v.message.clone()));
            }
            found.sort();
            Ok(found)
        }
        Err(other) => Err(other.to_string()),
    }
}

/// Why the event `kind` holding `data` does not decode as the oracle judges `data`, or
/// `None` when it does.
pub fn disagreement(kind: &str, data: &Value, validator: &jsonschema::Validator) -> Option<String> {
    let event = json!({"kind": kind, "version": "1.0.0", "data": data});
    let bytes = serde_json::to_vec(&event).expect("JSON");
    let from_bytes = decode(&bytes);
    let from_value = decode_value(&event);
    let expected = oracle_violations(validator, data);
    let found = match decoded_violations(&from_bytes) {
        Ok(found) => found,
        Err(error) => return Some(format!("decode failed outside the check: {error}")),
    };
    if found != expected {
        return Some(format!("decode reports {found:?}, the oracle {expected:?}"));
    }
    if decoded_violations(&from_value) != Ok(found) {
        return Some("decode_value and decode disagree".to_owned());
    }
    if let Ok(decoded) = &from_bytes {
        if from_value.as_ref().ok() != Some(decoded) {
            return Some("decode_value reads another value than decode".to_owned());
        }
        match encode(decoded) {
            Ok(bytes) => {
                let back: Value = serde_json::from_slice(&bytes).expect("encode writes JSON");
                if back != event {
                    return Some(format!("encode gives {back}, not {event}"));
                }
            }
            Err(e) => return Some(format!("encode refuses the decoded event: {e}")),
        }
    }
    None
}

/// `tests/real-world/`, the corpus of public schemas.
pub fn corpus_dir() -> &'static std::path::Path {
    std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../real-world"))
}

/// A JSON file of the real-world corpus, by its path under [`corpus_dir`].
pub fn read_json(rel: &str) -> Value {
    let path = corpus_dir().join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{rel}: {e}"))
}
