//! The oracle: the `jsonschema` crate as `tests/oracle` configures it for every test, run
//! on the same bundled schemas as the generated checks. Since the generated checks replaced it at run
//! time, these tests are what keeps `validate_value` honest: for every input both must
//! report the same violations (pointer, keyword and message), in any order.

use std::collections::HashMap;
use std::sync::OnceLock;

use event_contracts::{choose_schema, validate_value, DecodeError, EventType};
use serde_json::Value;

pub use event_contracts_oracle::Triple;

/// One compiled validator per (event type, schema version).
type Validators = HashMap<(EventType, (u64, u64, u64)), jsonschema::Validator>;

fn validators() -> &'static Validators {
    static ALL: OnceLock<Validators> = OnceLock::new();
    ALL.get_or_init(|| {
        event_contracts::__private::schemas::<event_contracts::ProductEvent>()
            .map(|(event_type, version, file, json)| {
                let schema: Value = serde_json::from_str(json)
                    .unwrap_or_else(|e| panic!("{file}: the bundled schema does not parse: {e}"));
                let validator = event_contracts_oracle::validator(&schema)
                    .unwrap_or_else(|e| panic!("{file}: the schema does not compile: {e}"));
                ((event_type, version), validator)
            })
            .collect()
    })
}

/// What `jsonschema` reports for `value` against the schema its envelope chooses, sorted;
/// `None` when no schema can be chosen (the envelope is the runtime's own concern).
pub fn jsonschema_violations(value: &Value) -> Option<Vec<Triple>> {
    let event_type: EventType = value.get("eventType")?.as_str()?.parse().ok()?;
    let version = value.get("version")?.as_str()?;
    let choice = choose_schema(event_type, version).ok()?;
    let validator = validators().get(&(event_type, choice.schema_version))?;
    Some(event_contracts_oracle::violations(validator, value))
}

/// What the generated check reports, sorted; `None` for an envelope error.
pub fn generated_violations(value: &Value) -> Option<Vec<Triple>> {
    match validate_value(value) {
        Ok(_) => Some(Vec::new()),
        Err(DecodeError::Invalid { violations, .. }) => {
            let mut found: Vec<Triple> = violations
                .into_iter()
                .map(|v| (v.pointer, v.keyword, v.message))
                .collect();
            found.sort();
            Some(found)
        }
        Err(_) => None,
    }
}

/// `Ok` when the generated check and the oracle report the same violations.
pub fn agrees_with_oracle(value: &Value) -> Result<(), String> {
    let generated = generated_violations(value);
    let oracle = jsonschema_violations(value);
    if generated == oracle {
        Ok(())
    } else {
        Err(format!(
            "the generated check and jsonschema differ on {value}:\n  generated {generated:?}\n  jsonschema {oracle:?}"
        ))
    }
}
