//! Decoding and encoding: the typed path and the schema agree on every input.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use memchr::memmem::Finder;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde_json::Value;

use event_contracts_check::keywords::Collector;
use event_contracts_check::strict_json::{self, NestingLimit};
use event_contracts_check::tree::Tree;
use event_contracts_check::Instance;

use crate::error::{DecodeError, EncodeError};
use crate::event::{EventKind, EventSet};
use crate::registry;

/// The default size limit: 256 KiB, the SNS and SQS message maximum.
pub const DEFAULT_MAX_SIZE: usize = 256 * 1024;
/// The default nesting limit. The schemas nest 3 levels; free-form objects get room.
pub const DEFAULT_MAX_DEPTH: usize = 64;
/// The largest nesting limit a decoder accepts: serde_json's own recursion limit.
pub const MAX_SUPPORTED_DEPTH: usize = 127;

/// Decodes events of the set `E` with limits that callers can change.
///
/// Generated crates name it for their own set (`pub type Decoder = ...Decoder<Event>`),
/// so that `Decoder::new().max_size(1 << 20).decode(bytes)` reads their events.
pub struct Decoder<E> {
    max_size: usize,
    max_depth: usize,
    _events: PhantomData<fn() -> E>,
}

impl<E> fmt::Debug for Decoder<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Decoder")
            .field("max_size", &self.max_size)
            .field("max_depth", &self.max_depth)
            .finish()
    }
}

impl<E> Clone for Decoder<E> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<E> Copy for Decoder<E> {}

impl<E> PartialEq for Decoder<E> {
    fn eq(&self, other: &Self) -> bool {
        (self.max_size, self.max_depth) == (other.max_size, other.max_depth)
    }
}

impl<E> Eq for Decoder<E> {}

impl<E> Default for Decoder<E> {
    fn default() -> Self {
        Decoder {
            max_size: DEFAULT_MAX_SIZE,
            max_depth: DEFAULT_MAX_DEPTH,
            _events: PhantomData,
        }
    }
}

impl<E: EventSet> Decoder<E> {
    /// A decoder with the default limits (256 KiB, 64 levels).
    pub fn new() -> Self {
        Decoder::default()
    }

    /// Sets the size limit in bytes.
    pub fn max_size(mut self, bytes: usize) -> Self {
        self.max_size = bytes;
        self
    }

    /// Sets the nesting limit (at most [`MAX_SUPPORTED_DEPTH`]; larger values are clamped).
    pub fn max_depth(mut self, levels: usize) -> Self {
        self.max_depth = levels.min(MAX_SUPPORTED_DEPTH);
        self
    }

    /// Decodes one event from JSON bytes.
    ///
    /// A valid event is read straight from the bytes into its generated type, which
    /// enforces every keyword of the schema. Only when that read fails does the slow
    /// path parse the event again and run the schema check, so that the error lists every
    /// violation with its pointer exactly as [`decode_value`] reports it.
    ///
    /// The fast path finds the envelope by searching for its two keys and lets the typed
    /// read confirm the guess (it checks `eventType` itself, and the version it read must
    /// be the one guessed); the nesting limit is counted by the read. When that fails, the
    /// slow path parses the text strictly into a tree that borrows from it (nesting counted
    /// the same way), validates it against the schema of its top-level envelope, and reads
    /// the typed value from it only if it passes: the verdict and the error that
    /// [`decode_value`] gives on [`Decoder::parse`]'s [`Value`]. A failed parse is checked
    /// by the depth scan first, so that nesting past the limit is reported as such wherever
    /// it is.
    pub fn decode(&self, bytes: &[u8]) -> Result<E, DecodeError> {
        let text = self.limited_text(bytes)?;
        if let Some(event) = self.decode_direct(text, guess_envelope::<E>(text)) {
            return Ok(event);
        }
        // A tree that borrows from the text, not a `Value`: the event is most likely
        // invalid, read only to list its violations, and a `Value` would cost three times
        // as much to build and drop. Same rules and messages as `parse_value`.
        let parsed = {
            let _nesting = NestingLimit::set(self.max_depth);
            Tree::parse(text).map_err(syntax_error)
        };
        let tree = match parsed {
            Ok(tree) => tree,
            Err(error) => {
                scan(text.as_bytes(), self.max_depth)?;
                return Err(error);
            }
        };
        // Validate first, which reports every violation, and read the typed value only if
        // it passes (for what JSON Schema allows but the Rust type cannot hold, and for a
        // valid event whose envelope the guess got wrong). Same verdict and error as
        // [`decode_value`], which tries the typed read first.
        validate_instance::<E, _>(&tree)?;
        decode_typed_value(&tree.to_value())
    }

    /// The fast path alone, with the envelope guess it would use: the event when the
    /// typed read confirms the guess, `None` when decode would take the slow path. For
    /// tests that pin down which path an input takes.
    #[doc(hidden)]
    pub fn __fast_path<'t>(
        &self,
        text: &'t str,
    ) -> (Option<E>, (Option<&'t str>, Option<&'t str>)) {
        let guess = guess_envelope::<E>(text);
        (
            self.decode_direct(text, guess),
            (guess.event_type, guess.version),
        )
    }

    /// The fast path with a given envelope guess (see [`Decoder::__fast_path`]).
    #[doc(hidden)]
    pub fn __fast_path_with(&self, text: &str, event_type: &str, version: &str) -> Option<E> {
        let guess = EnvelopeHint {
            event_type: Some(event_type),
            version: Some(version),
        };
        self.decode_direct(text, guess)
    }

    /// Parses bytes into a JSON value under the decoder's limits, rejecting duplicate keys.
    pub fn parse(&self, bytes: &[u8]) -> Result<Value, DecodeError> {
        parse_value(self.checked_text(bytes)?)
    }

    /// Applies the size, UTF-8 and depth limits, which hold on both paths.
    fn checked_text<'a>(&self, bytes: &'a [u8]) -> Result<&'a str, DecodeError> {
        let text = self.limited_text(bytes)?;
        scan(text.as_bytes(), self.max_depth)?;
        Ok(text)
    }

    /// Applies the size and UTF-8 checks.
    fn limited_text<'a>(&self, bytes: &'a [u8]) -> Result<&'a str, DecodeError> {
        if bytes.len() > self.max_size {
            return Err(DecodeError::TooLarge {
                size: bytes.len(),
                limit: self.max_size,
            });
        }
        // simdutf8's check first (a third of std's instructions on event-sized text, which
        // is nearly all ASCII); std's only to find where invalid text goes wrong.
        simdutf8::basic::from_utf8(bytes).or_else(|_| {
            std::str::from_utf8(bytes).map_err(|e| DecodeError::InvalidUtf8 {
                offset: e.valid_up_to(),
            })
        })
    }

    /// The fast path: the event read from the text into its generated type, with no
    /// intermediate [`Value`]. `None` means "not known valid", never "invalid": the
    /// caller then takes the slow path, which finds and reports the problem, so that both
    /// paths give the same verdict and errors come from one place.
    ///
    /// The generated visitors reject duplicate keys (declared ones, unknown ones through
    /// `Extra::insert_unknown`, free-form objects through `StrictVisitor`) and count
    /// nesting against the decoder's limit, so nothing the slow path rejects gets through.
    fn decode_direct(&self, text: &str, hint: EnvelopeHint<'_>) -> Option<E> {
        let (event_type, version) = match (hint.event_type, hint.version) {
            (Some(event_type), Some(version)) => {
                (Cow::Borrowed(event_type), Cow::Borrowed(version))
            }
            _ => peek_envelope::<E>(text)?,
        };
        let event_type: E::Type = event_type.parse().ok()?;
        let (major, minor, _) = choose_schema(event_type, &version).ok()?.schema_version;
        let _minor = crate::__private::ReadMinorGuard::set(minor);
        let _nesting = NestingLimit::set(self.max_depth);
        // A failure here only sends the event down the slow path, which words it.
        let _unread = crate::__private::ErrorsUnreadGuard::enter();
        let mut deserializer = event_contracts_check::quick_json::QuickReader::new(text);
        // One match, so that the event (hundreds of bytes) is not moved through a chain
        // of `Option`/`Result` adapters. The typed read checked the discriminator against
        // the type chosen; the version it read must be the one the schema was chosen by (a
        // guess may have found a nested key).
        match E::deserialize_major(event_type, major, &mut deserializer) {
            Some(Ok(event))
                if deserializer.end().is_ok() && event.declared_version() == version =>
            {
                Some(event)
            }
            _ => None,
        }
    }
}

/// The substring searchers for an event set's two envelope keys, quoted (`"eventType"`,
/// `"version"`), built once per set by its generated code.
#[doc(hidden)]
pub struct EnvelopeFinders {
    discriminator: Finder<'static>,
    version: Finder<'static>,
}

impl EnvelopeFinders {
    /// Searchers for the quoted property names of `envelope`.
    pub fn new(envelope: crate::event::Envelope) -> Self {
        let quoted = |name: &str| {
            // A name with a quote or backslash is spelled with an escape in JSON text, so
            // searching for it raw could only miss, never mislead: the slow path reads it.
            Finder::new(format!("\"{name}\"").as_bytes()).into_owned()
        };
        EnvelopeFinders {
            discriminator: quoted(envelope.discriminator),
            version: quoted(envelope.version),
        }
    }
}

/// The envelope found by searching for the discriminator's and the version's quoted names
/// followed by `:` and a string without escapes: the first occurrence of each, wherever it
/// is. Only a guess (a nested object or a key's text may hold the same bytes), which the
/// typed read confirms; it costs a SIMD substring search, where the depth scan looks at
/// every token.
fn guess_envelope<E: EventSet>(text: &str) -> EnvelopeHint<'_> {
    let finders = E::envelope_finders();
    EnvelopeHint {
        event_type: string_after(text, &finders.discriminator),
        version: string_after(text, &finders.version),
    }
}

/// The string value after the first match of `key` and a colon, if it has no escapes.
fn string_after<'a>(text: &'a str, key: &Finder<'_>) -> Option<&'a str> {
    let bytes = text.as_bytes();
    let mut at = key.find(bytes)? + key.needle().len();
    let skip_space = |at: &mut usize| {
        while matches!(bytes.get(*at), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            *at += 1;
        }
    };
    skip_space(&mut at);
    (bytes.get(at) == Some(&b':')).then_some(())?;
    at += 1;
    skip_space(&mut at);
    (bytes.get(at) == Some(&b'"')).then_some(())?;
    let start = at + 1;
    let length = memchr::memchr2(b'"', b'\\', bytes.get(start..)?)?;
    (bytes.get(start + length) == Some(&b'"')).then_some(())?;
    text.get(start..start + length)
}

/// Parses checked text into a [`Value`], rejecting duplicate keys.
fn parse_value(text: &str) -> Result<Value, DecodeError> {
    strict_json::parse_strict(text).map_err(syntax_error)
}

fn syntax_error(e: serde_json::Error) -> DecodeError {
    DecodeError::Syntax {
        message: e.to_string(),
        line: e.line(),
        column: e.column(),
    }
}

/// Reads the discriminator and the version from the top-level object without building
/// anything else, borrowing both from the text unless they hold escapes.
fn peek_envelope<E: EventSet>(text: &str) -> Option<(Cow<'_, str>, Cow<'_, str>)> {
    use serde::Deserializer as _;
    let mut found = EnvelopeFields {
        names: E::ENVELOPE,
        event_type: None,
        version: None,
    };
    let mut deserializer = serde_json::Deserializer::from_str(text);
    // The visitor stops as soon as it holds both fields, which leaves the object unclosed,
    // so serde_json reports an error after the visitor returned: the fields are read from
    // `found`, not from the result. Stopping early skips `data`, most of an event's bytes.
    let _stopped_early_or_failed = deserializer.deserialize_map(EnvelopeVisitor(&mut found));
    Some((found.event_type?, found.version?))
}

struct EnvelopeFields<'de> {
    names: crate::event::Envelope,
    event_type: Option<Cow<'de, str>>,
    version: Option<Cow<'de, str>>,
}

struct EnvelopeVisitor<'a, 'de>(&'a mut EnvelopeFields<'de>);

impl<'de> Visitor<'de> for EnvelopeVisitor<'_, 'de> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an event object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key_seed(TextSeed)? {
            let slot = if *key == *self.0.names.discriminator {
                &mut self.0.event_type
            } else if *key == *self.0.names.version {
                &mut self.0.version
            } else {
                map.next_value::<IgnoredAny>()?;
                continue;
            };
            // A non-string here fails the peek; the slow path names the problem.
            *slot = Some(map.next_value_seed(TextSeed)?);
            if self.0.event_type.is_some() && self.0.version.is_some() {
                return Ok(());
            }
        }
        Ok(())
    }
}

/// A string, borrowed from the input when it holds no escapes.
struct TextSeed;

impl<'de> DeserializeSeed<'de> for TextSeed {
    type Value = Cow<'de, str>;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for TextSeed {
    type Value = Cow<'de, str>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }
}

/// `eventType` and `version` as [`guess_envelope`] found them. Only a hint for choosing
/// the generated type: the typed read checks both fields again (and rejects a duplicate
/// key), so a wrong hint can only send an event down the slow path.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct EnvelopeHint<'a> {
    event_type: Option<&'a str>,
    version: Option<&'a str>,
}

/// Rejects nesting deeper than `limit` without recursing (so before, or instead of, any
/// recursive parser). Walks the structure of `bytes` and counts brackets, skipping strings
/// in bulk (memchr to the next quote or backslash: strings are most of an event's bytes
/// and cannot change the depth). Anything else about the syntax is the parser's to report.
fn scan(bytes: &[u8], limit: usize) -> Result<(), DecodeError> {
    let mut depth = 0usize;
    let mut offset = 0usize;
    while let Some(&b) = bytes.get(offset) {
        match b {
            b'"' => {
                offset += 1;
                loop {
                    // An unterminated string is the parser's error to report, not ours.
                    let Some(rest) = bytes.get(offset..) else {
                        return Ok(());
                    };
                    match memchr::memchr2(b'"', b'\\', rest) {
                        // A backslash escapes the byte after it, a quote included.
                        Some(n) if rest[n] == b'\\' => offset += n + 2,
                        Some(n) => {
                            offset += n + 1;
                            break;
                        }
                        None => return Ok(()),
                    }
                }
                continue;
            }
            b'{' | b'[' => {
                depth += 1;
                if depth > limit {
                    return Err(DecodeError::TooDeep { limit, offset });
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
        offset += 1;
    }
    Ok(())
}

/// Decodes one event from JSON bytes, with the default limits.
///
/// The event is validated against the schema of its declared type and version,
/// every violation is reported, and only then is the typed event returned. The
/// event is read as it was sent: its version string is kept and nothing is upcast.
pub fn decode<E: EventSet>(bytes: &[u8]) -> Result<E, DecodeError> {
    Decoder::<E>::default().decode(bytes)
}

/// The schema a declared version is read with, by the semver rules for readers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SchemaChoice {
    /// Index into the registry.
    pub(crate) index: usize,
    /// The version of the schema chosen.
    pub schema_version: (u64, u64, u64),
}

/// Picks the schema for `version` of `event_type`:
/// - a known version is read with its own schema;
/// - an unknown patch of a known minor with the newest known patch of that minor;
/// - a newer minor of a known major with the newest known minor of that major (tolerantly);
/// - an older unknown minor with the oldest known minor of that major (minors only add);
/// - an unknown major is an `UnsupportedVersion` error.
pub fn choose_schema<T: EventKind>(
    event_type: T,
    version: &str,
) -> Result<SchemaChoice, DecodeError> {
    let parsed = parse_version(version).ok_or_else(|| DecodeError::BadVersion {
        version: version.to_owned(),
        field: T::Set::ENVELOPE.version,
    })?;
    // Runs on every decode: iterators over the static table, no allocation.
    let known = || registry::versions_of(event_type);
    let same_major = || known().filter(|(_, v)| v.0 == parsed.0);
    let pick = known()
        .find(|(_, v)| *v == parsed)
        .or_else(|| same_major().filter(|(_, v)| v.1 == parsed.1).last())
        .or_else(|| same_major().filter(|(_, v)| v.1 < parsed.1).last())
        .or_else(|| same_major().next());
    match pick {
        Some((index, schema_version)) => Ok(SchemaChoice {
            index,
            schema_version,
        }),
        None => Err(unsupported(event_type, version)),
    }
}

/// The error for a version whose major this build has no schema of.
fn unsupported<T: EventKind>(event_type: T, version: &str) -> DecodeError {
    DecodeError::UnsupportedVersion {
        event_type: event_type.to_string(),
        version: version.to_owned(),
        supported: registry::version_list(event_type),
        field: T::Set::ENVELOPE.version,
        crate_name: T::Set::CRATE_NAME,
    }
}

/// `MAJOR.MINOR.PATCH`, each part one or more ASCII digits. One pass over the bytes: this
/// runs for every decoded event, twice for one that takes the slow path.
fn parse_version(text: &str) -> Option<(u64, u64, u64)> {
    let mut parts = [0u64; 3];
    let mut part = 0;
    let mut digits = 0;
    for b in text.bytes() {
        match b {
            b'0'..=b'9' => {
                // The schemas' pattern `^\d+\.\d+\.\d+$` bounds no part. A part past
                // u64::MAX is still a version, newer than any this build knows, so it
                // saturates (digits only ever make a number larger, so once past the
                // maximum it stays there).
                parts[part] = parts[part]
                    .saturating_mul(10)
                    .saturating_add(u64::from(b - b'0'));
                digits += 1;
            }
            b'.' if digits > 0 && part < 2 => {
                part += 1;
                digits = 0;
            }
            _ => return None,
        }
    }
    (part == 2 && digits > 0).then_some((parts[0], parts[1], parts[2]))
}

/// The envelope fields that choose a schema.
fn envelope<E: EventSet, J: Instance>(value: &J) -> Result<(E::Type, &str), DecodeError> {
    if value.members().is_none() {
        return Err(DecodeError::NotAnObject {
            found: kind_of(value),
        });
    }
    let names = E::ENVELOPE;
    let missing = |field| DecodeError::MissingEnvelope {
        field,
        envelope: names,
    };
    let event_type = value
        .get(names.discriminator)
        .and_then(Instance::as_str)
        .ok_or_else(|| missing(names.discriminator))?;
    let version = value
        .get(names.version)
        .and_then(Instance::as_str)
        .ok_or_else(|| missing(names.version))?;
    let event_type: E::Type = event_type
        .parse()
        .map_err(|_| DecodeError::UnknownEventType {
            event_type: event_type.to_owned(),
            known: E::Type::ALL.iter().map(|t| t.as_str()).collect(),
            field: names.discriminator,
        })?;
    Ok((event_type, version))
}

/// What a JSON value is, in words (as `__private::json_kind` says it of a `Value`).
fn kind_of(value: &impl Instance) -> &'static str {
    if value.members().is_some() {
        "an object"
    } else if value.items().is_some() {
        "an array"
    } else if value.as_str().is_some() {
        "a string"
    } else if value.is_bool() {
        "a boolean"
    } else if let Some(n) = value.as_number() {
        if n.is_f64() {
            "a number"
        } else {
            "an integer"
        }
    } else {
        "null"
    }
}

/// Validates `value` against the schema its envelope chooses; every violation is reported.
///
/// The check is generated from the schemas with the types (each generated type has a
/// `__check`); the `jsonschema` crate checks it in the test suite, where both must report
/// the same violations for every input.
pub fn validate_value<E: EventSet>(value: &Value) -> Result<SchemaChoice, DecodeError> {
    validate_instance::<E, _>(value)
}

/// [`validate_value`] over any parsed document.
fn validate_instance<E: EventSet, J: Instance>(value: &J) -> Result<SchemaChoice, DecodeError> {
    let (event_type, version) = envelope::<E, _>(value)?;
    let choice = choose_schema(event_type, version)?;
    let entry = &E::schemas()[choice.index];
    let mut collector = Collector::new();
    entry.schema.validate("", value, &mut collector);
    let violations = collector.into_violations();
    if violations.is_empty() {
        Ok(choice)
    } else {
        Err(DecodeError::Invalid {
            event_type: event_type.to_string(),
            version: version.to_owned(),
            schema_file: entry.schema.file(),
            violations,
        })
    }
}

/// Decodes one event from a parsed JSON value (duplicate keys are the caller's concern).
///
/// The generated types enforce every keyword of the schemas, so the typed read is the
/// validator on the fast path. Only when it fails does the schema validator run, to
/// report every violation with its pointer, not just the first.
pub fn decode_value<E: EventSet>(value: &Value) -> Result<E, DecodeError> {
    match decode_typed_value::<E>(value) {
        Ok(event) => Ok(event),
        Err(typed_error @ DecodeError::OutOfRange { .. }) => {
            // Collect every violation; if the schema accepts the event, the typed error
            // stands: a value JSON Schema allows but the Rust type cannot hold.
            validate_value::<E>(value)?;
            Err(typed_error)
        }
        Err(other) => Err(other),
    }
}

/// The typed read alone, without the schema validator: the first problem only.
/// Tests compare its verdict with the validator's on every input.
#[doc(hidden)]
pub fn decode_typed_value<E: EventSet>(value: &Value) -> Result<E, DecodeError> {
    let (event_type, version) = envelope::<E, _>(value)?;
    let choice = choose_schema(event_type, version)?;
    let (major, minor, _) = choice.schema_version;
    let _minor = crate::__private::ReadMinorGuard::set(minor);
    let mut track = serde_path_to_error::Track::new();
    let deserializer = serde_path_to_error::Deserializer::new(value, &mut track);
    match E::deserialize_major(event_type, major, deserializer) {
        Some(Ok(event)) => Ok(event),
        Some(Err(e)) => Err(DecodeError::OutOfRange {
            event_type: event_type.to_string(),
            version: version.to_owned(),
            pointer: path_to_pointer(&track.path()),
            message: e.to_string(),
        }),
        None => Err(unsupported(event_type, version)),
    }
}

pub(crate) fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Map { key } => {
                out.push('/');
                out.push_str(&key.replace('~', "~0").replace('/', "~1"));
            }
            Segment::Seq { index } => {
                out.push('/');
                out.push_str(&index.to_string());
            }
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    out
}

/// Writes an event as a JSON value, after validating it against the schema of its version.
pub fn encode_value<E: EventSet>(event: &E) -> Result<Value, EncodeError> {
    let value = serde_json::to_value(event).map_err(|e| EncodeError::Json(e.to_string()))?;
    validate_value::<E>(&value)?;
    Ok(value)
}

/// Writes an event as JSON bytes, after validating it: a producer cannot publish an invalid event.
pub fn encode<E: EventSet>(event: &E) -> Result<Vec<u8>, EncodeError> {
    let value = encode_value(event)?;
    serde_json::to_vec(&value).map_err(|e| EncodeError::Json(e.to_string()))
}

/// Reads an event that sits inside another serde type, exactly as [`decode_value`] does
/// (schema chosen by version, every keyword enforced); a failure carries `DecodeError`'s
/// message. The generated `Deserialize` of an event set calls this.
#[doc(hidden)]
pub fn deserialize_event<'de, E: EventSet, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<E, D::Error> {
    let value = strict_json::StrictVisitor.deserialize(d)?;
    decode_value(&value).map_err(serde::de::Error::custom)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_parse_strictly() {
        assert_eq!(parse_version("1.0.0"), Some((1, 0, 0)));
        assert_eq!(parse_version("10.20.30"), Some((10, 20, 30)));
        assert_eq!(parse_version("1.0"), None);
        assert_eq!(parse_version("1.0.0.0"), None);
        assert_eq!(parse_version("1.0.x"), None);
        assert_eq!(parse_version("1..0"), None);
        assert_eq!(parse_version("+1.0.0"), None);
        assert_eq!(
            parse_version("1.0.99999999999999999999"),
            Some((1, 0, u64::MAX))
        );
        assert_eq!(parse_version("\u{661}.0.0"), None);
        assert_eq!(parse_version(""), None);
        assert_eq!(parse_version("."), None);
        assert_eq!(parse_version("1.0."), None);
        assert_eq!(parse_version(".1.0"), None);
        assert_eq!(parse_version("1.0.0."), None);
        assert_eq!(parse_version("01.002.0"), Some((1, 2, 0)));
        assert_eq!(
            parse_version("18446744073709551615.18446744073709551616.0"),
            Some((u64::MAX, u64::MAX, 0))
        );
    }

    /// The reading `parse_version` replaced: split on dots, three parts of ASCII digits,
    /// each parsed, saturating at u64::MAX.
    fn parse_version_by_split(text: &str) -> Option<(u64, u64, u64)> {
        let mut parts = text.split('.');
        let mut next = || -> Option<u64> {
            let p = parts.next()?;
            if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            Some(p.parse().unwrap_or(u64::MAX))
        };
        let v = (next()?, next()?, next()?);
        parts.next().is_none().then_some(v)
    }

    proptest::proptest! {
        /// The one-pass reading agrees with splitting and parsing, on texts made mostly of
        /// digits and dots (where they could differ) and on any text.
        #[test]
        fn parse_version_agrees_with_split_and_parse(
            text in proptest::prop_oneof![
                "[0-9.]{0,30}",
                "[0-9]{1,25}\\.[0-9]{1,25}\\.[0-9]{1,25}",
                "[0-9.+ a\u{661}-]{0,12}",
                proptest::prelude::any::<String>(),
            ]
        ) {
            proptest::prop_assert_eq!(parse_version(&text), parse_version_by_split(&text), "{:?}", text);
        }
    }

    fn guess(text: &str) -> (Option<&str>, Option<&str>) {
        let finders = EnvelopeFinders::new(crate::event::Envelope {
            discriminator: "eventType",
            version: "version",
        });
        (
            string_after(text, &finders.discriminator),
            string_after(text, &finders.version),
        )
    }

    #[test]
    fn the_guess_takes_the_first_string_after_each_key_anywhere() {
        assert_eq!(
            guess(r#"{"version" : "1.1.0","data":{},"eventType":"ProductCreated"}"#),
            (Some("ProductCreated"), Some("1.1.0"))
        );
        // Anywhere: a nested object's key is found as well, which the typed read catches.
        assert_eq!(
            guess(r#"{"data":{"eventType":"X","version":"9.9.9"},"eventType":"Y"}"#),
            (Some("X"), Some("9.9.9"))
        );
        // Not a key followed by a string: no guess.
        assert_eq!(guess(r#"["version","eventType"]"#), (None, None));
        assert_eq!(guess(r#"{"version":1,"eventType":null}"#), (None, None));
        assert_eq!(guess(r#"{"version":"1.0\u002e0"}"#), (None, None));
        assert_eq!(guess(r#"{"version":"unterminated"#), (None, None));
        assert_eq!(guess(r#"{"version""#), (None, None));
    }

    #[test]
    fn the_guess_searches_for_the_names_the_envelope_gives() {
        let finders = EnvelopeFinders::new(crate::event::Envelope {
            discriminator: "kind",
            version: "schemaVersion",
        });
        let text = r#"{"version":"9.9.9","schemaVersion":"2.0.0","kind":"OrderPlaced"}"#;
        assert_eq!(
            string_after(text, &finders.discriminator),
            Some("OrderPlaced")
        );
        assert_eq!(string_after(text, &finders.version), Some("2.0.0"));
    }

    fn check_depth(bytes: &[u8], limit: usize) -> Result<(), DecodeError> {
        scan(bytes, limit)
    }

    #[test]
    fn depth_is_counted_outside_strings_only() {
        assert!(check_depth(b"[[[]]]", 3).is_ok());
        assert_eq!(
            check_depth(b"[[[[]]]]", 3),
            Err(DecodeError::TooDeep {
                limit: 3,
                offset: 3
            })
        );
        assert!(check_depth(br#"{"a":"[[[[[[\"[[["}"#, 1).is_ok());
        assert!(check_depth(br#"{"a":"\\", "b":[[]]}"#, 3).is_ok());
        assert_eq!(
            check_depth(br#"{"a":"\\", "b":[[]]}"#, 2),
            Err(DecodeError::TooDeep {
                limit: 2,
                offset: 16
            })
        );
        assert!(check_depth(br#"["unterminated \"#, 1).is_ok());
    }
}
