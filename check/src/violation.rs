//! One violation of a schema by an instance.

use std::fmt;

/// One rule of the schema that an event breaks.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Violation {
    /// JSON pointer into the event, e.g. `/data/price` (empty for the whole event).
    pub pointer: String,
    /// The schema keyword that fails, e.g. `minimum`, `required`, `format`.
    pub keyword: String,
    /// What is wrong, readable.
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = if self.pointer.is_empty() {
            "/"
        } else {
            &self.pointer
        };
        write!(f, "{at}: {} ({})", self.message, self.keyword)
    }
}
