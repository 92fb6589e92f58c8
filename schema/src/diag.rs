//! Diagnostics: every problem names the file, the line, the JSON pointer and what to do.

use std::fmt;

/// One problem found in the schema folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Path of the file at fault, relative to the schema folder's parent (e.g. `schemas/x/1.0.0.json`).
    pub file: String,
    /// 1-based line of the value at `pointer`, when it could be located.
    pub line: Option<usize>,
    /// JSON pointer to the value at fault inside `file` (empty for the whole file).
    pub pointer: String,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub help: String,
}

impl Diagnostic {
    /// A diagnostic for `pointer` in `file`, locating its line in `text` when given.
    pub fn new(
        file: impl Into<String>,
        text: Option<&str>,
        pointer: impl Into<String>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> Self {
        let pointer = pointer.into();
        let line = text.and_then(|t| crate::locate::line_of(t, &pointer));
        Diagnostic {
            file: file.into(),
            line,
            pointer,
            message: message.into(),
            help: help.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error: {}\n  --> {}", self.message, self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if !self.pointer.is_empty() {
            write!(f, " (at JSON pointer {})", self.pointer)?;
        }
        if !self.help.is_empty() {
            write!(f, "\n  = help: {}", self.help)?;
        }
        Ok(())
    }
}

/// All the problems found in one pass, reported together so that one build shows every mistake.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            writeln!(f, "{d}")?;
        }
        write!(
            f,
            "{} problem{} in the event schemas",
            self.0.len(),
            if self.0.len() == 1 { "" } else { "s" }
        )
    }
}

impl Diagnostics {
    /// `Ok(value)` when nothing was reported, the collected problems otherwise.
    pub fn into_result<T>(self, value: T) -> Result<T, Diagnostics> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }
}

/// Escapes one JSON pointer reference token (RFC 6901).
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Splits a JSON pointer into its unescaped reference tokens.
pub fn pointer_tokens(pointer: &str) -> Vec<String> {
    if pointer.is_empty() {
        return Vec::new();
    }
    pointer
        .trim_start_matches('/')
        .split('/')
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect()
}
