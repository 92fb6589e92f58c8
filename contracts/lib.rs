//! event-contracts: typed, validated events generated from the JSON Schema contracts
//! in `schemas/`.
//!
//! - [`decode`] reads an event from bytes, validates it against the schema of its
//!   declared type and version, and returns a typed [`ProductEvent`];
//! - [`encode`] validates an outgoing event and writes it;
//! - each event has a module per version (`product_created::v1_1_0`), the newest
//!   re-exported at the event's module, with builders that fill the envelope.
//!
//! Every constraint of the schemas holds whenever a value is built in Rust: fields
//! with constraints have types that check them, so an invalid event cannot be
//! constructed.

#![forbid(unsafe_code)]

mod builder;
mod decode;
mod error;
mod extra;
mod registry;
pub mod replay;
pub mod routing;
pub mod store;
pub mod upcast;
pub mod upcasters;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

pub use builder::BuildError;
pub use decode::{
    choose_schema, decode, decode_typed_value, decode_value, encode, encode_value, validate_value,
    Decoder, SchemaChoice, DEFAULT_MAX_DEPTH, DEFAULT_MAX_SIZE, MAX_SUPPORTED_DEPTH,
};
pub use error::{DecodeError, EncodeError, Violation};
pub use event_contracts_check::formats;
pub use event_contracts_check::ConstraintError;
use event_contracts_check::{keywords as check, strict_json, tree};
/// `#[derive(EventContract)]`: semver rules and consumer views checked at compile time.
pub use event_contracts_derive::EventContract;
pub use extra::Extra;
pub use replay::ProductCatalog;
pub use store::{EventStore, JsonLinesStore};
pub use upcast::{downcast_to, upcast_to, upcast_to_latest, upcast_to_latest_minor, UpcastError};

include!(concat!(env!("OUT_DIR"), "/event_contracts.rs"));

/// The README's quick start, compiled and run as a doctest so that it stays true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
mod readme {}
