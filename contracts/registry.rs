//! The schema versions this build knows (their generated checks: `crate::check_schema`).

use crate::EventType;

/// One schema version, as generated from `schemas/`.
#[derive(Debug)]
pub(crate) struct SchemaEntry {
    pub event_type: EventType,
    pub version: (u64, u64, u64),
    pub file: &'static str,
    pub schema_json: &'static str,
}

/// Every schema version this build knows: (event type, version, schema file, bundled
/// schema). The test suite compiles these with the `jsonschema` crate, its oracle for the
/// generated checks.
#[doc(hidden)]
pub fn schemas() -> impl Iterator<Item = (EventType, (u64, u64, u64), &'static str, &'static str)> {
    crate::SCHEMAS
        .iter()
        .map(|e| (e.event_type, e.version, e.file, e.schema_json))
}

/// Every known version of `event_type`, ascending, as (index into SCHEMAS, version).
pub(crate) fn versions_of(event_type: EventType) -> impl Iterator<Item = (usize, (u64, u64, u64))> {
    crate::SCHEMAS
        .iter()
        .enumerate()
        .filter(move |(_, e)| e.event_type == event_type)
        .map(|(i, e)| (i, e.version))
}
