//! event-contracts: typed, validated events generated from the JSON Schema contracts
//! in `schemas/`.
//!
//! - [`decode`] reads an event from bytes, validates it against the schema of its
//!   declared type and version, and returns a typed [`ProductEvent`];
//! - [`encode`] validates an outgoing event and writes it;
//! - [`upcast_to_latest`] and its kin bring a stored event to a newer version,
//!   [`replay::ProductCatalog`] folds events into the catalog read model, and
//!   [`store`] keeps them in an append-only log;
//! - each event has a module per version (`product_created::v1_1_0`), the newest
//!   re-exported at the event's module, with builders that fill the envelope.
//!
//! Every constraint of the schemas holds whenever a value is built in Rust: fields
//! with constraints have types that check them, so an invalid event cannot be
//! constructed.
//!
//! The generic machinery is `event-contracts-runtime`'s; this crate holds what is the
//! product's own: the code generated from `schemas/`, the catalog read model and the
//! hand-written upcasters. It re-exports the runtime's API at the same paths.

#![forbid(unsafe_code)]

pub mod replay;
#[cfg(test)]
mod routing_tests;
pub mod store;
pub mod upcasters;

/// Support for the generated code: the runtime's (not a public API).
#[doc(hidden)]
pub use event_contracts_runtime::__private;
pub use event_contracts_runtime::upcast;
pub use event_contracts_runtime::{
    choose_schema, downcast_to, formats, upcast_to, upcast_to_latest, upcast_to_latest_minor,
    BuildError, ConstraintError, DecodeError, EncodeError, EventContract, EventKind, EventSet,
    Extra, SchemaChoice, UpcastError, Violation, DEFAULT_MAX_DEPTH, DEFAULT_MAX_SIZE,
    MAX_SUPPORTED_DEPTH,
};
pub use replay::ProductCatalog;
pub use store::{EventStore, JsonLinesStore};

include!(concat!(env!("OUT_DIR"), "/event_contracts.rs"));

/// The typed read alone, without the schema check: the first problem only. Tests compare
/// its verdict with the check's on every input.
#[doc(hidden)]
pub fn decode_typed_value(value: &serde_json::Value) -> Result<ProductEvent, DecodeError> {
    event_contracts_runtime::decode_typed_value(value)
}

/// The README's quick start, compiled and run as a doctest so that it stays true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
mod readme {}
