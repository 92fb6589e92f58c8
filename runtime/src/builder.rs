//! The error of a generated builder.

use std::fmt;

/// Why a builder could not build: every missing or invalid field at once.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct BuildError {
    /// The type being built, e.g. `ProductCreated` or `ProductCreated.data`.
    pub type_name: &'static str,
    /// (JSON property name, what is wrong), in field order.
    pub problems: Vec<(&'static str, String)>,
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot build {}: ", self.type_name)?;
        for (i, (field, problem)) in self.problems.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            // An empty field name is a check of the whole value (a subschema, `required`
            // under `if`): its problem names its own pointer.
            if field.is_empty() {
                write!(f, "{problem}")?;
            } else {
                write!(f, "`{field}`: {problem}")?;
            }
        }
        Ok(())
    }
}
