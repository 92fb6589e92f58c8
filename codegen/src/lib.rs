//! event-contracts-codegen: turns a folder of versioned JSON Schema event contracts into Rust.
//!
//! The crate is generic: it names no product event. It loads a schema folder
//! ([`source::SchemaFiles`] → [`load::load`]), checks it (draft-07 validity,
//! names, versions, `$ref`s, examples), builds a type model ([`model`]) and
//! emits Rust ([`emit`]) plus a Markdown catalog ([`catalog`]).
//!
//! Build scripts use [`Config`], the one entry point:
//!
//! ```no_run
//! event_contracts_codegen::Config::new("schemas")
//!     .event_enum("ProductEvent")
//!     .write_to_out_dir()
//!     .unwrap_or_else(|e| panic!("{e}"));
//! ```

pub mod diag;
#[path = "../../contracts/shared/formats.rs"]
pub mod formats;
pub mod load;
pub mod locate;
pub mod source;
#[path = "../../contracts/shared/strict_json.rs"]
pub mod strict_json;

pub use diag::{Diagnostic, Diagnostics};
pub use load::{load, Event, EventVersion, LoadOptions, SchemaSet};
pub use source::SchemaFiles;

use std::path::{Path, PathBuf};

/// Errors from [`Config`].
#[derive(Debug, thiserror::Error)]
pub enum CodegenError {
    /// The schema folder has problems; each names its file, line and pointer.
    #[error("{0}")]
    Schemas(#[from] Diagnostics),
    /// Reading the folder or writing the output failed.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// `OUT_DIR` is not set (not running inside a build script).
    #[error("OUT_DIR is not set; write_to_out_dir() is meant to be called from build.rs")]
    NoOutDir,
}

/// The generator's configuration: one builder, one entry point.
#[derive(Debug, Clone)]
pub struct Config {
    schemas_dir: PathBuf,
    event_enum: String,
    load: LoadOptions,
}

impl Config {
    /// Reads schemas from `schemas_dir`.
    pub fn new(schemas_dir: impl Into<PathBuf>) -> Self {
        Config {
            schemas_dir: schemas_dir.into(),
            event_enum: "Event".to_owned(),
            load: LoadOptions::default(),
        }
    }

    /// Names the generated enum over all events (default `Event`).
    pub fn event_enum(mut self, name: impl Into<String>) -> Self {
        self.event_enum = name.into();
        self
    }

    /// Names the property whose one-value enum is the event type (default `eventType`).
    pub fn discriminator(mut self, property: impl Into<String>) -> Self {
        self.load.discriminator = property.into();
        self
    }

    /// The folder schemas are read from.
    pub fn schemas_dir(&self) -> &Path {
        &self.schemas_dir
    }

    /// Reads and checks the folder.
    pub fn load(&self) -> Result<SchemaSet, CodegenError> {
        let files = SchemaFiles::read_dir(&self.schemas_dir).map_err(|source| CodegenError::Io {
            context: format!("reading {}", self.schemas_dir.display()),
            source,
        })?;
        Ok(load::load(&files, &self.load)?)
    }
}
