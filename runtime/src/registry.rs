//! The schema versions a build knows, as the generated [`EventSet::schemas`] lists them.

use crate::event::{EventKind, EventSet};

/// Every schema version this build knows: (event type, version, schema file, bundled
/// schema). The test suites compile these with the `jsonschema` crate, the oracle for the
/// schema check.
#[doc(hidden)]
pub fn schemas<E: EventSet>(
) -> impl Iterator<Item = (E::Type, (u64, u64, u64), &'static str, &'static str)> {
    E::schemas()
        .iter()
        .map(|e| (e.event_type, e.version, e.schema.file(), e.schema.json()))
}

/// Every known version of `event_type`, ascending, as (index into the schemas, version).
pub(crate) fn versions_of<T: EventKind>(
    event_type: T,
) -> impl Iterator<Item = (usize, (u64, u64, u64))> {
    T::Set::schemas()
        .iter()
        .enumerate()
        .filter(move |(_, e)| e.event_type == event_type)
        .map(|(i, e)| (i, e.version))
}

/// The versions of `event_type` as text, for messages.
pub(crate) fn version_list<T: EventKind>(event_type: T) -> Vec<String> {
    versions_of(event_type)
        .map(|(_, v)| format!("{}.{}.{}", v.0, v.1, v.2))
        .collect()
}
