//! The schema versions this build knows, and their compiled validators.

use std::sync::OnceLock;

use crate::EventType;

/// One schema version, as generated from `schemas/`.
#[derive(Debug)]
pub(crate) struct SchemaEntry {
    pub event_type: EventType,
    pub version: (u64, u64, u64),
    pub file: &'static str,
    pub schema_json: &'static str,
}

/// A schema version's validator, compiled once per process on first use.
pub(crate) fn validator(index: usize) -> Result<&'static jsonschema::Validator, String> {
    static VALIDATORS: OnceLock<Vec<Result<jsonschema::Validator, String>>> = OnceLock::new();
    let all = VALIDATORS.get_or_init(|| {
        crate::SCHEMAS
            .iter()
            .map(|entry| {
                let schema: serde_json::Value = serde_json::from_str(entry.schema_json)
                    .map_err(|e| format!("{}: embedded schema does not parse: {e}", entry.file))?;
                jsonschema::draft7::options()
                    .should_validate_formats(true)
                    .with_format("uuid", crate::formats::is_uuid)
                    .with_format("date-time", crate::formats::is_date_time)
                    .build(&schema)
                    .map_err(|e| format!("{}: schema does not compile: {e}", entry.file))
            })
            .collect()
    });
    match all.get(index) {
        Some(Ok(v)) => Ok(v),
        Some(Err(e)) => Err(e.clone()),
        None => Err(format!("no schema at index {index}")),
    }
}

/// Every known version of `event_type`, ascending, as (index into SCHEMAS, version).
pub(crate) fn versions_of(event_type: EventType) -> impl Iterator<Item = (usize, (u64, u64, u64))> {
    crate::SCHEMAS
        .iter()
        .enumerate()
        .filter(move |(_, e)| e.event_type == event_type)
        .map(|(i, e)| (i, e.version))
}
