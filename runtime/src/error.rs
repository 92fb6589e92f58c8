//! Errors of [`decode`](crate::decode) and [`encode`](crate::encode).

use std::fmt;

pub use event_contracts_check::Violation;

use crate::event::Envelope;

/// The violations, one per line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violations(pub Vec<Violation>);

impl fmt::Display for Violations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for v in &self.0 {
            write!(f, "\n  {v}")?;
        }
        Ok(())
    }
}

/// Why an event could not be decoded. Each variant names the place at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The input is larger than the decoder's size limit.
    #[error("the event is {size} bytes; the limit is {limit} bytes (raise it with Decoder::max_size if larger events are expected)")]
    TooLarge {
        /// Size of the input.
        size: usize,
        /// The limit in force.
        limit: usize,
    },
    /// The input is not UTF-8.
    #[error("the event is not UTF-8: invalid byte sequence at byte offset {offset}")]
    InvalidUtf8 {
        /// Offset of the first invalid byte.
        offset: usize,
    },
    /// Arrays and objects nest deeper than the limit.
    #[error("the event nests arrays/objects deeper than {limit} levels (at byte offset {offset})")]
    TooDeep {
        /// The limit in force.
        limit: usize,
        /// Offset of the bracket that went past it.
        offset: usize,
    },
    /// The input is not JSON, or has a duplicate key.
    #[error("the event is not valid JSON: {message}")]
    Syntax {
        /// serde_json's message, with line and column.
        message: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// The event is not a JSON object.
    #[error("the event is {found}, not a JSON object")]
    NotAnObject {
        /// What it is instead.
        found: &'static str,
    },
    /// The event lacks a string discriminator or version, so no schema can be chosen.
    #[error("the event has no string {field:?}, so its schema cannot be chosen; every event carries {:?} and {:?}", envelope.discriminator, envelope.version)]
    MissingEnvelope {
        /// The missing property: the discriminator (e.g. `eventType`) or the version.
        field: &'static str,
        /// The envelope's property names.
        envelope: Envelope,
    },
    /// The event type is not one this build knows.
    #[error("unknown event type {event_type:?}; this build knows {}", known.join(", "))]
    UnknownEventType {
        /// The event type as sent.
        event_type: String,
        /// The types this build knows.
        known: Vec<&'static str>,
        /// The discriminator property that holds it.
        field: &'static str,
    },
    /// The version is not `MAJOR.MINOR.PATCH`. The message starts with the version
    /// property's name (`version` for the default envelope).
    #[error("{field} {version:?} is not MAJOR.MINOR.PATCH (e.g. \"1.0.0\")")]
    BadVersion {
        /// The version as sent.
        version: String,
        /// The version property that holds it.
        field: &'static str,
    },
    /// The version's major is not supported by this build.
    #[error("{event_type} version {version} is not supported: this build reads {}; upgrade {crate_name} to read it", supported.join(", "))]
    UnsupportedVersion {
        /// The event type.
        event_type: String,
        /// The version as sent.
        version: String,
        /// The schema versions this build has for the event type.
        supported: Vec<String>,
        /// The version property that holds it.
        field: &'static str,
        /// The crate whose generated code knows the versions (the one to upgrade).
        crate_name: &'static str,
    },
    /// The event breaks its schema: every violation is listed.
    #[error("{event_type} {version} is invalid under {schema_file} ({} violation{}):{}", violations.len(), if violations.len() == 1 { "" } else { "s" }, Violations(violations.clone()))]
    Invalid {
        /// The event type.
        event_type: String,
        /// The version as sent.
        version: String,
        /// The schema file it was checked against.
        schema_file: &'static str,
        /// Every violation.
        violations: Vec<Violation>,
    },
    /// The event is valid JSON Schema-wise but a value does not fit its Rust type
    /// (e.g. an integer above `u64::MAX`, which JSON Schema allows).
    #[error("{event_type} {version}: the value at {pointer} cannot be held in Rust: {message}")]
    OutOfRange {
        /// The event type.
        event_type: String,
        /// The version as sent.
        version: String,
        /// JSON pointer to the value.
        pointer: String,
        /// What is wrong.
        message: String,
    },
}

impl DecodeError {
    /// Every violation as (pointer, message): one for most errors, all of them for `Invalid`.
    pub fn violations(&self) -> Vec<Violation> {
        match self {
            DecodeError::Invalid { violations, .. } => violations.clone(),
            DecodeError::OutOfRange {
                pointer, message, ..
            } => vec![Violation {
                pointer: pointer.clone(),
                keyword: "type".to_owned(),
                message: message.clone(),
            }],
            DecodeError::MissingEnvelope { field, .. } => vec![Violation {
                pointer: String::new(),
                keyword: "required".to_owned(),
                message: format!("the event has no string {field:?}"),
            }],
            other => vec![Violation {
                // The envelope field that chooses the schema, when it is the problem.
                pointer: match other {
                    DecodeError::UnknownEventType { field, .. }
                    | DecodeError::BadVersion { field, .. }
                    | DecodeError::UnsupportedVersion { field, .. } => pointer_to(field),
                    _ => String::new(),
                },
                keyword: match other {
                    DecodeError::UnknownEventType { .. } => "enum",
                    DecodeError::BadVersion { .. } => "pattern",
                    DecodeError::NotAnObject { .. } => "type",
                    _ => "json",
                }
                .to_owned(),
                message: other.to_string(),
            }],
        }
    }
}

/// The JSON pointer of a top-level property.
fn pointer_to(property: &str) -> String {
    format!("/{}", property.replace('~', "~0").replace('/', "~1"))
}

/// Why an event could not be encoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EncodeError {
    /// The event breaks its schema (e.g. its version names a major this build does not have).
    #[error(transparent)]
    Invalid(#[from] DecodeError),
    /// serde_json could not write the event.
    #[error("the event could not be written as JSON: {0}")]
    Json(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_version_is_named_by_the_envelope_property_that_holds_it() {
        let error = DecodeError::BadVersion {
            version: "1.0".to_owned(),
            field: "schemaVersion",
        };
        let message = r#"schemaVersion "1.0" is not MAJOR.MINOR.PATCH (e.g. "1.0.0")"#;
        assert_eq!(error.to_string(), message);
        assert_eq!(
            error.violations(),
            [Violation {
                pointer: "/schemaVersion".to_owned(),
                keyword: "pattern".to_owned(),
                message: message.to_owned(),
            }]
        );
    }
}
