//! event-contracts-check: the draft-07 rules that the build and the runtime of
//! event-contracts share, so that they cannot disagree.
//!
//! - [`strict_json`]: JSON text read strictly (duplicate keys refused, nesting bounded),
//!   for schema files at build time and events at run time;
//! - [`tree`]: a parsed document that borrows from its text;
//! - [`quick_json`]: a JSON reader for reads whose refusal needs no message (decode's fast
//!   path, the tree): it visits exactly as serde_json does, or refuses;
//! - [`formats`]: the string formats, checked as JSON Schema defines them;
//! - [`keywords`]: the schema check, one helper per keyword, over any [`Instance`], that
//!   reports every [`Violation`] with its pointer, keyword and message;
//! - [`constraint`]: one constraint on one value, as generated newtypes check it;
//! - [`schema`]: one draft-07 document compiled once, validated against any [`Instance`]
//!   with the violations `jsonschema` reports.

#![forbid(unsafe_code)]

pub mod constraint;
pub mod formats;
pub mod keywords;
pub mod quick_json;
pub mod schema;
mod simple_pattern;
pub mod strict_json;
pub mod tree;
mod violation;

pub use constraint::ConstraintError;
pub use keywords::{Collector, Instance, JsonType};
pub use schema::{CompileError, CompiledSchema, NodeId, RefTarget};
pub use tree::{Refused, Tree, TreeDeserializer};
pub use violation::Violation;
