//! Types generated from a corpus of real-world-style event schemas (`schemas/`): nullable
//! envelopes, tagged and untagged unions, maps, literal enums, tuples, a recursive tree,
//! `allOf` composition, conditionals and formats. The tests hold them to the `jsonschema`
//! oracle.

include!(concat!(env!("OUT_DIR"), "/event_contracts.rs"));

/// The schema folder the types were generated from.
pub const SCHEMAS_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/schemas");
