//! Upcasting and downcasting: bringing a stored event to the version a consumer reads.
//!
//! [`decode`](crate::decode) never changes an event; upcasting is this explicit step.
//!
//! - Within a major, the steps come from the schemas: a minor only adds optional
//!   properties, so upcasting fills each property added after the event's minor with the
//!   schema's `default` where the schema gives one (ProductCreated 1.0.0 → 1.1.0 fills
//!   `data.metadata` with `{}`), and sets the version property to the target. The
//!   generated table ([`EventSet::history`]) lists those properties per version.
//! - Across majors, the steps are hand-written functions in the generated crate's
//!   `upcasters` module; the generated table refers to each by name, so a missing step
//!   fails the build.
//! - Downcasting (to an older minor of the same major) is for producers that serve
//!   consumers not yet upgraded. It removes a property added after the target minor only
//!   when it holds exactly the schema's default, which upcasting would restore. Any other
//!   value is kept: the older schema reads it as an unknown property (its objects are
//!   open), so nothing is lost and upcasting again returns the same event. Where an
//!   object of the older schema is closed, the kept value makes the result invalid, and
//!   the downcast fails instead of dropping data.
//!
//! Every transformation works on the event's JSON, so unknown properties at any depth and
//! the original spelling of values are carried through exactly as decode keeps them; the
//! result is decoded again, which validates it against the target version's schema.
//!
//! An event whose declared version is newer than any this build knows of its major (a
//! tolerantly decoded `1.9.0`) is already at least the latest: upcasting leaves it as it
//! is rather than relabel it with an older version.

use event_contracts_check::constraint::Pattern;
use serde_json::{Map, Value};

use crate::decode::{choose_schema, decode_value};
use crate::error::DecodeError;
use crate::event::{EventKind, EventSet};

/// A hand-written step across majors: reads an event at the newest version of one major
/// and returns it at the oldest version of the next.
pub type StepFn = fn(Value) -> Result<Value, UpcastError>;

/// The generated version history's types. Not a public API: the generated table is its only user.
#[doc(hidden)]
pub mod table {
    use super::StepFn;

    /// One major of one event.
    #[derive(Debug)]
    pub struct MajorHistory<T: 'static> {
        /// The event type.
        pub event_type: T,
        /// The major version.
        pub major: u64,
        /// Every known version of the major, ascending.
        pub versions: &'static [VersionEntry],
        /// The hand-written step into the next major, if there is one.
        pub step_to_next_major: Option<StepFn>,
    }

    /// One known version.
    #[derive(Debug)]
    pub struct VersionEntry {
        /// (major, minor, patch).
        pub version: (u64, u64, u64),
        /// The version as text, as events declare it.
        pub text: &'static str,
        /// The properties added after the major's first minor, parents before children.
        pub added: &'static [AddedProperty],
    }

    /// A property that a minor added.
    #[derive(Debug)]
    pub struct AddedProperty {
        /// JSON pointer in the event, with three tokens of its own that no escaped
        /// property name can spell (see `codegen::emit_versioning`): `*` on an array is
        /// every item (on a tuple, an index is its item and `*2` every item from the
        /// third on), `~*` every entry of a typed map (the members its test in
        /// `branches` tells from declared and pattern-matched ones), and `~|` followed by
        /// a variant's name the value there when it takes that union branch (tested by
        /// `branches`).
        pub pointer: &'static str,
        /// The minor that added it.
        pub since_minor: u64,
        /// The schema's `default`, as JSON text.
        pub default_json: Option<&'static str>,
        /// One test per `~|` or `~*` token of `pointer`, in order.
        pub branches: &'static [BranchTest],
    }

    /// Which values at a union's place take one of its branches, as decode chooses them,
    /// or which members of an object are the entries of its typed map.
    #[derive(Debug)]
    pub enum BranchTest {
        /// A tagged union's branch: an object whose tag property holds this value.
        Tag {
            /// The tag property.
            key: &'static str,
            /// Its value for the branch, as JSON text.
            value_json: &'static str,
        },
        /// The object variant of a union of JSON types: any object.
        Object,
        /// An untagged union's branch, tried in the documented order: a value that the
        /// branch's subschema accepts and no earlier branch's does.
        FirstFit {
            /// The bundled schema that holds the union.
            schema: &'static crate::schema::BundledSchema,
            /// The branch's subschema in it.
            pointer: &'static str,
            /// The subschemas of the branches tried before it.
            earlier: &'static [&'static str],
        },
        /// The entries of a typed map (`~*`): the members that no declared property
        /// names and no pattern matches, as the generated struct reads them into its map.
        Entries {
            /// The object's declared properties.
            declared: &'static [&'static str],
            /// Its `patternProperties` patterns (ECMA-262, as the schema gives them).
            patterns: &'static [&'static str],
        },
    }
}

use table::{BranchTest, MajorHistory, VersionEntry};

/// The pointer token for every item of an array, and, followed by an index, for every
/// item of a tuple from that index on (see `codegen::emit_versioning::EACH_ITEM`).
const EACH_ITEM: &str = "*";

/// Why an event could not be brought to another version.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum UpcastError {
    /// The target is not `MAJOR.MINOR.PATCH`.
    #[error("target version {version:?} is not MAJOR.MINOR.PATCH (e.g. \"1.1.0\")")]
    BadVersion {
        /// The target as given.
        version: String,
    },
    /// This build has no schema for the target's major and minor.
    #[error("{event_type} has no version {version} in this build; it knows {}", known.join(", "))]
    UnknownVersion {
        /// The event type.
        event_type: &'static str,
        /// The target as given.
        version: String,
        /// The versions this build knows for the event type.
        known: Vec<&'static str>,
    },
    /// Upcasting only goes to newer versions, downcasting only to older ones.
    #[error(
        "cannot {operation} {event_type} {from} to {to}: {to} is {relation} {from}; use {instead}"
    )]
    WrongDirection {
        /// `upcast` or `downcast`.
        operation: &'static str,
        /// The event type.
        event_type: &'static str,
        /// The event's version.
        from: String,
        /// The target.
        to: String,
        /// `older than` or `newer than`.
        relation: &'static str,
        /// The function to call instead.
        instead: &'static str,
    },
    /// Downcasting stays within one major: a breaking change has no way back.
    #[error("cannot downcast {event_type} {from} to {to}: downcasting stays within one major version; publish major {} for consumers that read it", to.split('.').next().unwrap_or(to))]
    AcrossMajors {
        /// The event type.
        event_type: &'static str,
        /// The event's version.
        from: String,
        /// The target.
        to: String,
    },
    /// The generated table names no step into the next major (a build that compiled always has one).
    #[error("no step from {event_type} major {major} to the next major is registered in the upcasters module")]
    MissingStep {
        /// The event type.
        event_type: &'static str,
        /// The major the step would leave.
        major: u64,
    },
    /// A hand-written step refused the event.
    #[error("the upcasting step {step} failed: {message}")]
    Step {
        /// The step's name.
        step: String,
        /// Why.
        message: String,
    },
    /// A hand-written step returned an event declaring another version than its target.
    #[error("the step into {event_type} {expected} returned an event declaring version {found:?}; a step sets `version` to its target")]
    StepVersion {
        /// The event type.
        event_type: &'static str,
        /// The version the step must write.
        expected: &'static str,
        /// What it wrote.
        found: String,
    },
    /// The transformed event breaks the target version's schema.
    #[error("{event_type} {from} → {to} gives an event that {to} rejects: {source}")]
    Invalid {
        /// The event type.
        event_type: &'static str,
        /// The event's version.
        from: String,
        /// The target.
        to: String,
        /// What the target's schema says (boxed: it is large, and errors are rare).
        #[source]
        source: Box<DecodeError>,
    },
    /// The event could not be written as JSON, or the generated table holds a bad default.
    #[error("the event cannot be written as JSON: {0}")]
    Json(String),
    /// The event's own version cannot be read by this build.
    #[error(transparent)]
    Decode(#[from] DecodeError),
}

impl UpcastError {
    /// The error a hand-written step returns when it cannot carry an event across.
    pub fn step(step: impl Into<String>, message: impl Into<String>) -> Self {
        UpcastError::Step {
            step: step.into(),
            message: message.into(),
        }
    }
}

type Triple = (u64, u64, u64);

/// Reads `MAJOR.MINOR.PATCH` by the same rule as decode: three runs of ASCII digits.
fn parse_triple(text: &str) -> Option<Triple> {
    let mut parts = text.split('.');
    let mut next = || -> Option<u64> {
        let p = parts.next()?;
        if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        p.parse().ok()
    };
    let v = (next()?, next()?, next()?);
    parts.next().is_none().then_some(v)
}

fn major_history<T: EventKind>(event_type: T, major: u64) -> Option<&'static MajorHistory<T>> {
    T::Set::history()
        .iter()
        .find(|h| h.event_type == event_type && h.major == major)
}

fn known_versions<T: EventKind>(event_type: T) -> Vec<&'static str> {
    T::Set::history()
        .iter()
        .filter(|h| h.event_type == event_type)
        .flat_map(|h| h.versions.iter().map(|v| v.text))
        .collect()
}

/// The newest version this build knows of `event_type`, across every major.
pub fn latest_version<T: EventKind>(event_type: T) -> Option<&'static str> {
    T::Set::history()
        .iter()
        .filter(|h| h.event_type == event_type)
        .filter_map(|h| h.versions.last())
        .max_by_key(|v| v.version)
        .map(|v| v.text)
}

/// The newest version this build knows of one major of `event_type`.
pub fn latest_version_of_major<T: EventKind>(event_type: T, major: u64) -> Option<&'static str> {
    major_history(event_type, major)
        .and_then(|h| h.versions.last())
        .map(|v| v.text)
}

/// The newest known version of the target's major and minor, or why there is none.
fn target_entry<T: EventKind>(
    event_type: T,
    target: &str,
) -> Result<(Triple, &'static VersionEntry), UpcastError> {
    let triple = parse_triple(target).ok_or_else(|| UpcastError::BadVersion {
        version: target.to_owned(),
    })?;
    major_history(event_type, triple.0)
        .and_then(|h| h.versions.iter().rev().find(|v| v.version.1 == triple.1))
        .map(|entry| (triple, entry))
        .ok_or_else(|| UpcastError::UnknownVersion {
            event_type: event_type.as_str(),
            version: target.to_owned(),
            known: known_versions(event_type),
        })
}

/// The table entry of the schema an event's declared version is read with.
fn schema_entry<T: EventKind>(
    event_type: T,
    declared: &str,
) -> Result<&'static VersionEntry, UpcastError> {
    let (major, minor, patch) = choose_schema(event_type, declared)?.schema_version;
    major_history(event_type, major)
        .and_then(|h| {
            h.versions
                .iter()
                .find(|v| v.version == (major, minor, patch))
        })
        .ok_or_else(|| UpcastError::UnknownVersion {
            event_type: event_type.as_str(),
            version: declared.to_owned(),
            known: known_versions(event_type),
        })
}

/// Brings an event to the newest version this build knows, through every later major.
/// An event already at (or past) that version is returned unchanged.
pub fn upcast_to_latest<E: EventSet>(event: &E) -> Result<E, UpcastError> {
    let event_type = event.event_type();
    let Some(latest) = latest_version(event_type) else {
        return Ok(event.clone());
    };
    if is_at_or_past(event.declared_version(), latest) {
        return Ok(event.clone());
    }
    upcast_to(event, latest)
}

/// Brings an event to the newest version this build knows of its own major: what a
/// consumer of that major reads. An event already at (or past) it is returned unchanged.
pub fn upcast_to_latest_minor<E: EventSet>(event: &E) -> Result<E, UpcastError> {
    let declared = event.declared_version();
    let major = parse_triple(declared).map_or(event.major(), |v| v.0);
    let Some(latest) = latest_version_of_major(event.event_type(), major) else {
        return Ok(event.clone());
    };
    if is_at_or_past(declared, latest) {
        return Ok(event.clone());
    }
    upcast_to(event, latest)
}

/// Whether two version strings name the same version (`1.5.0` and `01.5.0` do).
fn same_version(a: &str, b: &str) -> bool {
    a == b || matches!((parse_triple(a), parse_triple(b)), (Some(x), Some(y)) if x == y)
}

/// Whether `declared` is the same major as `latest` and no older than it.
fn is_at_or_past(declared: &str, latest: &str) -> bool {
    match (parse_triple(declared), parse_triple(latest)) {
        (Some(d), Some(l)) => d.0 == l.0 && d >= l,
        _ => false,
    }
}

/// Brings an event to `version` of its type: a known version (its patch may be unknown)
/// of the same major or a later one. Properties added since the event's version are
/// filled with their schema defaults; majors are crossed by the generated crate's
/// hand-written steps.
pub fn upcast_to<E: EventSet>(event: &E, version: &str) -> Result<E, UpcastError> {
    let event_type = event.event_type();
    let from = event.declared_version().to_owned();
    if same_version(&from, version) {
        // The identity, even for a version this build has no schema of (a newer minor).
        return Ok(event.clone());
    }
    let (target, target_entry) = target_entry(event_type, version)?;
    let declared = parse_triple(&from).ok_or_else(|| UpcastError::BadVersion {
        version: from.clone(),
    })?;
    if target < declared {
        return Err(UpcastError::WrongDirection {
            operation: "upcast",
            event_type: event_type.as_str(),
            from,
            to: version.to_owned(),
            relation: "older than",
            instead: "downcast_to",
        });
    }
    if target == declared {
        return Ok(event.clone());
    }
    let schema_minor = schema_entry(event_type, &from)?.version.1;
    let route = Route {
        event_type,
        event_name: event_type.as_str(),
        version_property: E::ENVELOPE.version,
        declared,
        schema_minor,
        target,
        target_text: version,
        target_entry,
    };
    let value = route.upcast(E::history(), to_json(event)?)?;
    from_json(&value, event_type, &from, version)
}

/// Where an upcast starts and ends.
struct Route<'a, T: 'static> {
    event_type: T,
    /// The event type's JSON name, for errors.
    event_name: &'static str,
    /// The envelope property that holds the version.
    version_property: &'static str,
    /// The event's declared version.
    declared: Triple,
    /// The minor of the schema the declared version is read with.
    schema_minor: u64,
    target: Triple,
    target_text: &'a str,
    target_entry: &'a VersionEntry,
}

impl<T: Copy + PartialEq> Route<'_, T> {
    /// Upcasts the event's JSON along `history`: within each major by the table, across
    /// majors by the registered steps.
    fn upcast(&self, history: &[MajorHistory<T>], mut value: Value) -> Result<Value, UpcastError> {
        let event_type = self.event_type;
        let version_property = self.version_property;
        let mut declared = self.declared;
        let mut schema_minor = self.schema_minor;
        let missing_step = |major| UpcastError::MissingStep {
            event_type: self.event_name,
            major,
        };
        while declared.0 < self.target.0 {
            let current = history
                .iter()
                .find(|h| h.event_type == event_type && h.major == declared.0)
                .ok_or(missing_step(declared.0))?;
            if let Some(newest) = current.versions.last() {
                if declared < newest.version {
                    fill_defaults(&mut value, newest, schema_minor, newest.version.1)?;
                    set_version(&mut value, version_property, newest.text);
                }
            }
            let step = current.step_to_next_major.ok_or(missing_step(declared.0))?;
            let next = history
                .iter()
                .filter(|h| h.event_type == event_type && h.major > declared.0)
                .min_by_key(|h| h.major)
                .and_then(|h| h.versions.first())
                .ok_or(missing_step(declared.0))?;
            value = step(value)?;
            // The step's result is read at `next`; a step that wrote another version would
            // be validated against the wrong schema.
            let written = value
                .get(version_property)
                .and_then(Value::as_str)
                .unwrap_or("");
            if written != next.text {
                return Err(UpcastError::StepVersion {
                    event_type: self.event_name,
                    expected: next.text,
                    found: written.to_owned(),
                });
            }
            declared = next.version;
            schema_minor = next.version.1;
        }
        fill_defaults(&mut value, self.target_entry, schema_minor, self.target.1)?;
        set_version(&mut value, version_property, self.target_text);
        Ok(value)
    }
}

/// Brings an event back to an older `version` of its own major, for consumers not yet
/// upgraded. A property added after that version is removed only when it holds exactly
/// its schema default (upcasting restores it); any other value stays, as a property the
/// older version does not declare, so nothing is lost. `downcast_to(upcast_to(e, v), e's
/// version)` gives `e` back, unless `e` carried, undeclared, the exact default of a
/// property a later minor declares: that value is indistinguishable from a filled default.
pub fn downcast_to<E: EventSet>(event: &E, version: &str) -> Result<E, UpcastError> {
    let event_type = event.event_type();
    let from = event.declared_version().to_owned();
    if same_version(&from, version) {
        // The identity, even for a version this build has no schema of (a newer minor
        // that decode accepted and upcasting left as it was).
        return Ok(event.clone());
    }
    let (target, _) = target_entry(event_type, version)?;
    let declared = parse_triple(&from).ok_or_else(|| UpcastError::BadVersion {
        version: from.clone(),
    })?;
    if target.0 != declared.0 {
        return Err(UpcastError::AcrossMajors {
            event_type: event_type.as_str(),
            from,
            to: version.to_owned(),
        });
    }
    if target > declared {
        return Err(UpcastError::WrongDirection {
            operation: "downcast",
            event_type: event_type.as_str(),
            from,
            to: version.to_owned(),
            relation: "newer than",
            instead: "upcast_to",
        });
    }
    if target == declared {
        return Ok(event.clone());
    }
    let source = schema_entry(event_type, &from)?;
    let mut value = to_json(event)?;
    remove_defaults(&mut value, source, target.1, source.version.1)?;
    set_version(&mut value, E::ENVELOPE.version, version);
    from_json(&value, event_type, &from, version)
}

fn to_json<E: EventSet>(event: &E) -> Result<Value, UpcastError> {
    // Not encode_value: decoding the result validates it against the target schema anyway.
    serde_json::to_value(event).map_err(|e| UpcastError::Json(e.to_string()))
}

fn from_json<T: EventKind>(
    value: &Value,
    event_type: T,
    from: &str,
    to: &str,
) -> Result<T::Set, UpcastError> {
    decode_value(value).map_err(|source| UpcastError::Invalid {
        event_type: event_type.as_str(),
        from: from.to_owned(),
        to: to.to_owned(),
        source: Box::new(source),
    })
}

fn set_version(value: &mut Value, property: &str, version: &str) {
    if let Value::Object(obj) = value {
        obj.insert(property.to_owned(), Value::String(version.to_owned()));
    }
}

/// One step of a table pointer.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    /// A property name, unescaped; `*` on an array is every item.
    Name(String),
    /// `~*`: every entry of a typed map, as the next test tells them.
    EachEntry,
    /// `~|Variant`: the value here, when it takes the next branch tested.
    Branch,
}

/// The token for every entry of a map (see `codegen::emit_versioning::EACH_ENTRY`).
const EACH_ENTRY: &str = "~*";
/// The prefix of a union branch's token (see `codegen::emit_versioning::BRANCH`).
const BRANCH: &str = "~|";

/// Splits a table pointer into its steps. `~*` and `~|…` are read before unescaping: an
/// escaped property name has `~` only before `0` or `1`, so neither can be a name.
fn tokens(pointer: &str) -> Vec<Step> {
    pointer
        .split('/')
        .skip(1)
        .map(|t| match t {
            EACH_ENTRY => Step::EachEntry,
            _ if t.starts_with(BRANCH) => Step::Branch,
            _ => Step::Name(t.replace("~1", "/").replace("~0", "~")),
        })
        .collect()
}

/// Whether `value` takes the union branch that `test` describes.
fn takes_branch(value: &Value, test: &BranchTest) -> Result<bool, UpcastError> {
    Ok(match test {
        BranchTest::Tag { key, value_json } => {
            let tag = parse_default(value_json)?;
            value.get(key) == Some(&tag)
        }
        BranchTest::Object => value.is_object(),
        BranchTest::FirstFit {
            schema,
            pointer,
            earlier,
        } => {
            // A schema that does not compile accepts nothing here; the decode that
            // follows reports it.
            schema.is_valid(pointer, value) && !earlier.iter().any(|p| schema.is_valid(p, value))
        }
        BranchTest::Entries { .. } => {
            return Err(UpcastError::Json(
                "the generated history tests a union branch with a map's entries".to_owned(),
            ))
        }
    })
}

/// The keys of `obj` that are entries of its typed map by `test`: every key the test
/// declares no property for and no pattern of it matches (every key, for a plain map).
fn entry_keys(obj: &Map<String, Value>, test: &BranchTest) -> Result<Vec<String>, UpcastError> {
    let BranchTest::Entries { declared, patterns } = test else {
        return Err(UpcastError::Json(
            "the generated history tests a map's entries with a union branch".to_owned(),
        ));
    };
    let compiled: Vec<Pattern> = patterns.iter().map(|p| Pattern::new(p)).collect();
    let mut keys = Vec::new();
    for key in obj.keys() {
        if declared.contains(&key.as_str()) {
            continue;
        }
        let mut matched = false;
        for pattern in &compiled {
            // The generator compiled every pattern when it read the schema.
            matched |= pattern.is_match(key).ok_or_else(|| {
                UpcastError::Json(format!(
                    "the generated history holds a pattern that does not compile: {:?}",
                    pattern.source()
                ))
            })?;
        }
        if !matched {
            keys.push(key.clone());
        }
    }
    Ok(keys)
}

/// Calls `f` with every object that holds the pointer's last step, and that name.
/// `branches` holds one test for each `Branch` step, in order.
fn visit_parents(
    value: &mut Value,
    steps: &[Step],
    branches: &[BranchTest],
    f: &mut dyn FnMut(&mut Map<String, Value>, &str),
) -> Result<(), UpcastError> {
    match steps {
        [] => {}
        [Step::Name(last)] => {
            if let Value::Object(obj) = value {
                f(obj, last);
            }
        }
        // A table pointer ends with a property's name; anything else names no property.
        [_] => {}
        [Step::Branch, rest @ ..] => {
            let Some((test, later)) = branches.split_first() else {
                return Err(UpcastError::Json(
                    "the generated history has a union branch without its test".to_owned(),
                ));
            };
            if takes_branch(value, test)? {
                visit_parents(value, rest, later, f)?;
            }
        }
        [Step::EachEntry, rest @ ..] => {
            let Some((test, later)) = branches.split_first() else {
                return Err(UpcastError::Json(
                    "the generated history has a map's entries without their test".to_owned(),
                ));
            };
            if let Value::Object(obj) = value {
                for key in entry_keys(obj, test)? {
                    if let Some(entry) = obj.get_mut(&key) {
                        visit_parents(entry, rest, later, f)?;
                    }
                }
            }
        }
        [Step::Name(first), rest @ ..] => match value {
            Value::Array(items) if first == EACH_ITEM => {
                for item in items {
                    visit_parents(item, rest, branches, f)?;
                }
            }
            // A tuple's item by its index, or (`*2`) every item from that index on.
            Value::Array(items) => {
                if let Some(from) = first.strip_prefix(EACH_ITEM) {
                    if let Ok(from) = from.parse::<usize>() {
                        for item in items.iter_mut().skip(from) {
                            visit_parents(item, rest, branches, f)?;
                        }
                    }
                } else if let Some(item) =
                    first.parse::<usize>().ok().and_then(|i| items.get_mut(i))
                {
                    visit_parents(item, rest, branches, f)?;
                }
            }
            Value::Object(obj) => {
                if let Some(child) = obj.get_mut(first.as_str()) {
                    visit_parents(child, rest, branches, f)?;
                }
            }
            _ => {}
        },
    }
    Ok(())
}

fn parse_default(json: &str) -> Result<Value, UpcastError> {
    serde_json::from_str(json)
        .map_err(|e| UpcastError::Json(format!("generated default {json:?} does not parse: {e}")))
}

/// Fills every property added in minors `(from_minor, to_minor]` that is absent, and
/// whose parent object is present, with its default. Parents are filled before children.
fn fill_defaults(
    value: &mut Value,
    entry: &VersionEntry,
    from_minor: u64,
    to_minor: u64,
) -> Result<(), UpcastError> {
    for prop in entry
        .added
        .iter()
        .filter(|p| p.since_minor > from_minor && p.since_minor <= to_minor)
    {
        let Some(json) = prop.default_json else {
            continue;
        };
        let default = parse_default(json)?;
        visit_parents(
            value,
            &tokens(prop.pointer),
            prop.branches,
            &mut |obj, key| {
                // A value already there was sent as an unknown property; it is the event's own.
                if !obj.contains_key(key) {
                    obj.insert(key.to_owned(), default.clone());
                }
            },
        )?;
    }
    Ok(())
}

/// Removes every property added in minors `(to_minor, from_minor]` that holds exactly
/// its default. Children are visited before parents, so a filled parent can empty out.
fn remove_defaults(
    value: &mut Value,
    entry: &VersionEntry,
    to_minor: u64,
    from_minor: u64,
) -> Result<(), UpcastError> {
    for prop in entry
        .added
        .iter()
        .rev()
        .filter(|p| p.since_minor > to_minor && p.since_minor <= from_minor)
    {
        let Some(json) = prop.default_json else {
            continue;
        };
        let default = parse_default(json)?;
        visit_parents(
            value,
            &tokens(prop.pointer),
            prop.branches,
            &mut |obj, key| {
                if obj.get(key) == Some(&default) {
                    obj.shift_remove(key);
                }
            },
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The event types of these tests: the table only needs a comparable tag.
    #[derive(Debug, Clone, Copy, PartialEq)]
    enum Kind {
        ProductCreated,
    }

    /// Visits with no union branches, collecting nothing but the edits `f` makes.
    fn visit(value: &mut Value, pointer: &str, f: &mut dyn FnMut(&mut Map<String, Value>, &str)) {
        visit_parents(value, &tokens(pointer), &[], f).unwrap_or_else(|e| panic!("{e}"));
    }

    #[test]
    fn pointers_reach_every_array_item_and_unescape_tokens() {
        let mut value = json!({"a": [{"b/c": {}}, {"b/c": {}}, {"x": 1}], "k": {"*": {}}});
        let mut seen = Vec::new();
        visit(&mut value, "/a/*/b~1c/d", &mut |obj, key| {
            obj.insert(key.to_owned(), json!(seen.len()));
            seen.push(key.to_owned());
        });
        assert_eq!(seen, ["d", "d"]);
        assert_eq!(
            value,
            json!({"a": [{"b/c": {"d": 0}}, {"b/c": {"d": 1}}, {"x": 1}], "k": {"*": {}}})
        );
        // On an object, `*` is an ordinary key.
        visit(&mut value, "/k/*/e", &mut |obj, key| {
            obj.insert(key.to_owned(), json!(true));
        });
        assert_eq!(value["k"], json!({"*": {"e": true}}));
    }

    #[test]
    fn the_map_token_reaches_every_entry_and_a_key_spelled_like_it_is_a_name() {
        assert_eq!(
            tokens("/m/~*/n/~0*/~|Card"),
            [
                Step::Name("m".into()),
                Step::EachEntry,
                Step::Name("n".into()),
                Step::Name("~*".into()),
                Step::Branch,
            ]
        );
        static PLAIN_MAP: &[BranchTest] = &[BranchTest::Entries {
            declared: &[],
            patterns: &[],
        }];
        let mut value = json!({"m": {"a": {}, "b": {"x": 1}, "c": 7, "~*": {}}});
        visit_parents(
            &mut value,
            &tokens("/m/~*/w"),
            PLAIN_MAP,
            &mut |obj, key| {
                obj.insert(key.to_owned(), json!(0));
            },
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            value,
            json!({"m": {"a": {"w": 0}, "b": {"x": 1, "w": 0}, "c": 7, "~*": {"w": 0}}})
        );
        // The key `~*` itself, escaped as a name.
        let mut value = json!({"~*": {}, "a": {}});
        visit(&mut value, "/~0*/w", &mut |obj, key| {
            obj.insert(key.to_owned(), json!(1));
        });
        assert_eq!(value, json!({"~*": {"w": 1}, "a": {}}));
    }

    #[test]
    fn a_tuple_is_reached_by_its_indexes_and_the_items_after_its_list() {
        let mut value = json!({"t": [{}, {"a": 1}, {}, {}, 7], "o": {"0": {}, "*1": {}}});
        for pointer in ["/t/1/w", "/t/*3/w", "/t/9/w", "/o/0/w", "/o/*1/w"] {
            visit(&mut value, pointer, &mut |obj, key| {
                obj.insert(key.to_owned(), json!(pointer));
            });
        }
        assert_eq!(
            value,
            json!({
                "t": [{}, {"a": 1, "w": "/t/1/w"}, {}, {"w": "/t/*3/w"}, 7],
                // On an object, an index and `*1` are ordinary keys.
                "o": {"0": {"w": "/o/0/w"}, "*1": {"w": "/o/*1/w"}}
            })
        );
    }

    #[test]
    fn the_map_token_skips_declared_properties_and_those_a_pattern_matches() {
        static BESIDE: &[BranchTest] = &[BranchTest::Entries {
            declared: &["lang", "a/b"],
            patterns: &["^x-", "[0-9]$"],
        }];
        let mut value = json!({"prefs": {
            "lang": {},
            "a/b": {},
            "x-shop": {},
            "news2": {},
            "news": {},
            "offers": {"w": "kept"},
            "ax-": {}
        }});
        visit_parents(
            &mut value,
            &tokens("/prefs/~*/w"),
            BESIDE,
            &mut |obj, key| {
                obj.entry(key.to_owned()).or_insert(json!(0));
            },
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            value,
            json!({"prefs": {
                "lang": {},
                "a/b": {},
                "x-shop": {},
                "news2": {},
                "news": {"w": 0},
                "offers": {"w": "kept"},
                "ax-": {"w": 0}
            }})
        );
        // The test is required, and must be a map's.
        let mut value = json!({"m": {"a": {}}});
        let error = visit_parents(&mut value, &tokens("/m/~*/w"), &[], &mut |_, _| {});
        assert_eq!(
            error,
            Err(UpcastError::Json(
                "the generated history has a map's entries without their test".to_owned()
            ))
        );
        static OBJECT: &[BranchTest] = &[BranchTest::Object];
        let error = visit_parents(&mut value, &tokens("/m/~*/w"), OBJECT, &mut |_, _| {});
        assert_eq!(
            error,
            Err(UpcastError::Json(
                "the generated history tests a map's entries with a union branch".to_owned()
            ))
        );
    }

    #[test]
    fn a_branch_step_goes_on_only_where_its_test_holds() {
        static TAGGED: &[BranchTest] = &[BranchTest::Tag {
            key: "method",
            value_json: r#""card""#,
        }];
        let mut value = json!({"pay": [{"method": "card"}, {"method": "voucher"}, {"x": 1}, 3]});
        visit_parents(
            &mut value,
            &tokens("/pay/*/~|Card/n"),
            TAGGED,
            &mut |obj, key| {
                obj.insert(key.to_owned(), json!(1));
            },
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            value,
            json!({"pay": [{"method": "card", "n": 1}, {"method": "voucher"}, {"x": 1}, 3]})
        );
        // A union of JSON types: only its object variant.
        let mut value = json!({"u": [{"a": 1}, "text", null]});
        visit_parents(
            &mut value,
            &tokens("/u/*/~|Object/n"),
            &[BranchTest::Object],
            &mut |obj, key| {
                obj.insert(key.to_owned(), json!(2));
            },
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(value, json!({"u": [{"a": 1, "n": 2}, "text", null]}));
        // A branch step with no test is the generated table's fault, and said so.
        let missing = visit_parents(&mut value, &tokens("/u/*/~|Object/n"), &[], &mut |_, _| {});
        assert!(
            matches!(&missing, Err(UpcastError::Json(m)) if m.contains("without its test")),
            "{missing:?}"
        );
    }

    #[test]
    fn an_untagged_branch_is_the_first_whose_subschema_accepts_the_value() {
        static SCHEMA: crate::schema::BundledSchema = crate::schema::BundledSchema::new(
            r#"{"anyOf": [
                {"type": "object", "required": ["email"]},
                {"type": "object", "required": ["phone"]}
            ]}"#,
            "contact.json",
        );
        static SECOND: &[BranchTest] = &[BranchTest::FirstFit {
            schema: &SCHEMA,
            pointer: "/anyOf/1",
            earlier: &["/anyOf/0"],
        }];
        let mut value = json!([{"phone": "1"}, {"email": "a", "phone": "2"}, {"email": "b"}]);
        visit_parents(
            &mut value,
            &tokens("/*/~|Phone/preferred"),
            SECOND,
            &mut |obj, key| {
                obj.insert(key.to_owned(), json!(false));
            },
        )
        .unwrap_or_else(|e| panic!("{e}"));
        // The second value fits both branches, and decode takes the first for it.
        assert_eq!(
            value,
            json!([{"phone": "1", "preferred": false}, {"email": "a", "phone": "2"}, {"email": "b"}])
        );
    }

    use table::AddedProperty;

    /// A two-major history: 1.1 added `data.metadata` (default `{}`), 2.1 added `data.tags`
    /// (default `[]`), and the step into 2.0.0 renames `data.name` to `data.title`.
    static TWO_MAJORS: &[MajorHistory<Kind>] = &[
        MajorHistory {
            event_type: Kind::ProductCreated,
            major: 1,
            versions: &[
                VersionEntry {
                    version: (1, 0, 0),
                    text: "1.0.0",
                    added: &[],
                },
                VersionEntry {
                    version: (1, 1, 0),
                    text: "1.1.0",
                    added: &[AddedProperty {
                        pointer: "/data/metadata",
                        since_minor: 1,
                        default_json: Some("{}"),
                        branches: &[],
                    }],
                },
            ],
            step_to_next_major: Some(rename_name_to_title),
        },
        MajorHistory {
            event_type: Kind::ProductCreated,
            major: 2,
            versions: &[
                VersionEntry {
                    version: (2, 0, 0),
                    text: "2.0.0",
                    added: &[],
                },
                VersionEntry {
                    version: (2, 1, 0),
                    text: "2.1.0",
                    added: &[AddedProperty {
                        pointer: "/data/tags",
                        since_minor: 1,
                        default_json: Some("[]"),
                        branches: &[],
                    }],
                },
            ],
            step_to_next_major: None,
        },
    ];

    fn rename_name_to_title(mut event: Value) -> Result<Value, UpcastError> {
        let data = event
            .get_mut("data")
            .and_then(Value::as_object_mut)
            .ok_or_else(|| UpcastError::step("rename", "no data object"))?;
        let name = data
            .shift_remove("name")
            .ok_or_else(|| UpcastError::step("rename", "no data.name"))?;
        data.insert("title".to_owned(), name);
        event["version"] = json!("2.0.0");
        Ok(event)
    }

    fn route_to_2_1_0(declared: Triple) -> Route<'static, Kind> {
        Route {
            event_type: Kind::ProductCreated,
            event_name: "ProductCreated",
            version_property: "version",
            declared,
            schema_minor: declared.1,
            target: (2, 1, 0),
            target_text: "2.1.0",
            target_entry: &TWO_MAJORS[1].versions[1],
        }
    }

    #[test]
    fn an_upcast_fills_each_major_and_crosses_with_its_step() {
        let event = json!({"version": "1.0.0", "data": {"name": "Shoe", "x": {"y": 1}}, "z": true});
        let up = route_to_2_1_0((1, 0, 0)).upcast(TWO_MAJORS, event).unwrap();
        assert_eq!(
            up,
            json!({"version": "2.1.0", "data": {"x": {"y": 1}, "metadata": {}, "title": "Shoe", "tags": []}, "z": true})
        );
        // From the newest minor of major 1 nothing is filled before the step.
        let event = json!({"version": "1.1.0", "data": {"name": "Shoe", "metadata": {"k": 1}}});
        let up = route_to_2_1_0((1, 1, 0)).upcast(TWO_MAJORS, event).unwrap();
        assert_eq!(
            up,
            json!({"version": "2.1.0", "data": {"metadata": {"k": 1}, "title": "Shoe", "tags": []}})
        );
    }

    #[test]
    fn a_failing_step_a_step_that_forgets_the_version_and_a_missing_step_are_errors() {
        let event = json!({"version": "1.0.0", "data": {}});
        assert_eq!(
            route_to_2_1_0((1, 0, 0))
                .upcast(TWO_MAJORS, event)
                .unwrap_err(),
            UpcastError::step("rename", "no data.name")
        );
        static FORGETFUL: &[MajorHistory<Kind>] = &[
            MajorHistory {
                event_type: Kind::ProductCreated,
                major: 1,
                versions: &[VersionEntry {
                    version: (1, 0, 0),
                    text: "1.0.0",
                    added: &[],
                }],
                step_to_next_major: Some(Ok),
            },
            MajorHistory {
                event_type: Kind::ProductCreated,
                major: 2,
                versions: &[VersionEntry {
                    version: (2, 0, 0),
                    text: "2.0.0",
                    added: &[],
                }],
                step_to_next_major: None,
            },
        ];
        let event = json!({"version": "1.0.0", "data": {}});
        assert_eq!(
            route_to_2_1_0((1, 0, 0))
                .upcast(FORGETFUL, event)
                .unwrap_err(),
            UpcastError::StepVersion {
                event_type: "ProductCreated",
                expected: "2.0.0",
                found: "1.0.0".to_owned(),
            }
        );
        let event = json!({"version": "1.0.0", "data": {}});
        assert_eq!(
            route_to_2_1_0((1, 0, 0))
                .upcast(&TWO_MAJORS[1..], event)
                .unwrap_err(),
            UpcastError::MissingStep {
                event_type: "ProductCreated",
                major: 1,
            }
        );
    }

    #[test]
    fn versions_parse_like_decode_reads_them() {
        assert_eq!(parse_triple("1.10.2"), Some((1, 10, 2)));
        assert_eq!(parse_triple("1.0"), None);
        assert_eq!(parse_triple("1.0.0-rc.1"), None);
        assert_eq!(parse_triple("1.0.0.0"), None);
    }
}
