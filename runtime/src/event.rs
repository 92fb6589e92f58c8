//! What the runtime is generic over: the set of events that a generated crate defines.
//!
//! The generator implements [`EventSet`] for the enum over every event (named by
//! `Config::event_enum`, `Event` by default) and [`EventKind`] for the enum of event type
//! names (`EventType`). Everything in this crate that reads, writes, checks, upcasts or
//! stores events goes through these two traits, so it names no event of its own.

use std::fmt;
use std::hash::Hash;
use std::str::FromStr;

use serde::{Deserializer, Serialize};

use crate::schema::BundledSchema;
use crate::upcast::table::MajorHistory;

/// The property names of the envelope: which property says the event type and which its
/// schema version. Every event of a set has both, required, at the top level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Envelope {
    /// The property whose one-value `enum` (or `const`) names the event type, e.g. `eventType`.
    pub discriminator: &'static str,
    /// The property holding the event's `MAJOR.MINOR.PATCH` schema version, e.g. `version`.
    pub version: &'static str,
}

/// One schema version that a build knows.
#[derive(Debug)]
pub struct SchemaEntry<T: 'static> {
    /// The event type.
    pub event_type: T,
    /// The version, as (major, minor, patch).
    pub version: (u64, u64, u64),
    /// The bundled, self-contained schema, with the file it was generated from.
    pub schema: &'static BundledSchema,
}

/// The enum of event type names of a generated crate (`EventType`).
pub trait EventKind:
    Copy + Eq + Ord + Hash + fmt::Debug + fmt::Display + FromStr + Send + Sync + 'static
{
    /// The event set these names belong to.
    type Set: EventSet<Type = Self>;
    /// Every event type, in name order.
    const ALL: &'static [Self];
    /// The JSON name, e.g. `"ProductCreated"`.
    fn as_str(self) -> &'static str;
}

/// The enum over every event of a generated crate: what decode returns and encode takes.
///
/// Implemented by generated code only; its methods are the generator's contract with the
/// runtime, not an API to call directly (use [`crate::decode`], [`crate::encode`],
/// [`crate::upcast_to_latest`], ... instead).
pub trait EventSet: Sized + Clone + PartialEq + fmt::Debug + Serialize + 'static {
    /// The enum of event type names.
    type Type: EventKind<Set = Self>;

    /// The envelope's property names.
    const ENVELOPE: Envelope;

    /// The name of the crate that holds the generated code, for messages that say which
    /// crate to upgrade to read a newer version.
    const CRATE_NAME: &'static str;

    /// Every schema version this build knows, grouped by event type, ascending.
    fn schemas() -> &'static [SchemaEntry<Self::Type>];

    /// The version history that upcasting follows: per major, the properties each minor
    /// added, with their defaults, and the hand-written step into the next major.
    fn history() -> &'static [MajorHistory<Self::Type>];

    /// Reads the newest minor of `major` of `event_type` from `d`; `None` when this
    /// build has no such major.
    fn deserialize_major<'de, D: Deserializer<'de>>(
        event_type: Self::Type,
        major: u64,
        d: D,
    ) -> Option<Result<Self, D::Error>>;

    /// The event's type.
    fn event_type(&self) -> Self::Type;

    /// The version the event declares, as it was sent.
    fn declared_version(&self) -> &str;

    /// The major version of the shape that holds the event.
    fn major(&self) -> u64;

    /// The stream (aggregate) the event belongs to, as text, when the generator was told
    /// where to find it (`Config::stream_key`); stores read one stream by it.
    fn stream_key(&self) -> Option<String> {
        None
    }

    /// Precomputed searchers for the envelope's keys, which decode's fast path uses.
    #[doc(hidden)]
    fn envelope_finders() -> &'static crate::decode::EnvelopeFinders;
}
