//! event-contracts-runtime: everything a crate of generated event types needs at run time,
//! for any team's schemas.
//!
//! A crate generates its types with `event-contracts-codegen` in `build.rs` and includes
//! them; the generated code implements [`EventSet`] for its event enum and reaches
//! everything else here, so the crate needs no other dependency:
//!
//! - [`decode`], [`decode_value`], [`encode`], [`encode_value`], [`validate_value`] and
//!   the [`Decoder`] with its size, depth and duplicate-key limits and the version policy
//!   ([`choose_schema`]); errors are [`DecodeError`] and [`EncodeError`], each violation a
//!   [`Violation`] with its JSON pointer;
//! - [`upcast`]: bringing an event to a newer version (defaults within a major, the
//!   crate's hand-written steps across majors) and back;
//! - [`routing`]: SNS filter-policy evaluation, SQS/SNS body decoding, the retry policy;
//! - [`store`]: the [`EventStore`] trait and the append-only [`JsonLinesStore`];
//! - [`Extra`] (what a typed value keeps of its JSON beyond its fields), [`BuildError`]
//!   and [`ConstraintError`] (why a value cannot be built), the [`formats`];
//! - `#[derive(EventContract)]`, which checks semver rules and consumer views against the
//!   schemas at compile time.
//!
//! Nothing here names an event: the generic functions read the event set from the types
//! they are given (`decode::<Event>(bytes)`, or the generated crate's own `decode`).

#![forbid(unsafe_code)]

mod builder;
mod decode;
mod error;
mod event;
mod extra;
mod registry;
pub mod routing;
mod schema;
pub mod store;
pub mod upcast;

#[doc(hidden)]
pub mod __private;

pub use builder::BuildError;
pub use decode::{
    choose_schema, decode, decode_typed_value, decode_value, encode, encode_value, validate_value,
    Decoder, SchemaChoice, DEFAULT_MAX_DEPTH, DEFAULT_MAX_SIZE, MAX_SUPPORTED_DEPTH,
};
pub use error::{DecodeError, EncodeError, Violation};
pub use event::{Envelope, EventKind, EventSet, SchemaEntry};
pub use event_contracts_check::{formats, ConstraintError};
/// `#[derive(EventContract)]`: semver rules and consumer views checked at compile time.
pub use event_contracts_derive::EventContract;
pub use extra::Extra;
pub use schema::BundledSchema;
/// The JSON library of this crate's API (the `Value` of [`decode_value`], [`encode_value`],
/// [`validate_value`] and of the hand-written steps between majors, [`upcast::StepFn`]),
/// so that a crate of generated code names it without a dependency of its own.
pub use serde_json;
pub use store::{EventStore, JsonLinesStore};
pub use upcast::{
    downcast_to, latest_version, latest_version_of_major, upcast_to, upcast_to_latest,
    upcast_to_latest_minor, UpcastError,
};
