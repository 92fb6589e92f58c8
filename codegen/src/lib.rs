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

pub mod catalog;
pub mod emit;
pub mod emit_versioning;
mod residual;
pub mod routing;
pub mod wrap;

pub use event_contracts_check::{formats, strict_json};
pub use event_contracts_schema::{diag, load, locate, model, source};

pub use diag::{Diagnostic, Diagnostics};
pub use emit::EmitOptions;
pub use load::{Event, EventVersion, LoadOptions, SchemaSet};
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
    /// The generated tokens did not form a Rust file (a bug in the generator).
    #[error("the generated code does not parse (a bug in event-contracts-codegen): {0}")]
    Emit(String),
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
    derive_contract: bool,
    runtime_crate: String,
    stream_key: Option<String>,
    id_property: String,
    timestamp_property: String,
}

/// What [`Config::generate`] produced.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The checked schema folder.
    pub set: SchemaSet,
    /// The type model.
    pub model: model::Model,
    /// The formatted Rust file.
    pub code: String,
    /// The routing contract (`routing.yaml`), when the folder has one; the generated file
    /// then holds a `routing` module with its table.
    pub routing: Option<routing::RoutingModel>,
}

/// Compiles every bundled schema with the runtime's schema check, so that its compile on
/// first use at run time cannot fail for a crate that built.
fn check_compiles(set: &SchemaSet) -> Result<(), Diagnostics> {
    let mut diags = Vec::new();
    for event in &set.events {
        for version in &event.versions {
            if let Err(error) =
                event_contracts_check::schema::CompiledSchema::compile(&version.bundled)
            {
                let (file, line, pointer) = version.source_of(set, error.pointer());
                diags.push(Diagnostic {
                    file,
                    line,
                    pointer,
                    message: format!("the schema check cannot be built from this schema: {error}"),
                    help: "the check covers every draft-07 keyword; this is most likely a $ref \
                           or pattern it cannot resolve: fix it, or report it if it is valid \
                           draft-07"
                        .to_owned(),
                });
            }
        }
    }
    Diagnostics(diags).into_result(())
}

/// Writes `bytes` to `path` unless the file already holds exactly those bytes.
pub fn write_if_changed(path: &Path, bytes: &[u8]) -> Result<bool, CodegenError> {
    if std::fs::read(path).ok().as_deref() == Some(bytes) {
        return Ok(false);
    }
    std::fs::write(path, bytes).map_err(|source| CodegenError::Io {
        context: format!("writing {}", path.display()),
        source,
    })?;
    Ok(true)
}

impl Config {
    /// Reads schemas from `schemas_dir`.
    pub fn new(schemas_dir: impl Into<PathBuf>) -> Self {
        Config {
            schemas_dir: schemas_dir.into(),
            event_enum: "Event".to_owned(),
            load: LoadOptions::default(),
            derive_contract: false,
            runtime_crate: "::event_contracts_runtime".to_owned(),
            stream_key: None,
            id_property: EmitOptions::default().id_property,
            timestamp_property: EmitOptions::default().timestamp_property,
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

    /// Names the property that holds each event's `MAJOR.MINOR.PATCH` schema version
    /// (default `version`).
    pub fn version_property(mut self, property: impl Into<String>) -> Self {
        self.load.version_property = property.into();
        self
    }

    /// The path generated code reaches the runtime by (default `::event_contracts_runtime`),
    /// for a crate that renames the dependency or re-exports the runtime.
    pub fn runtime_crate(mut self, path: impl Into<String>) -> Self {
        self.runtime_crate = path.into();
        self
    }

    /// The JSON pointer of the stream (aggregate) key in an event, e.g. `/data/productId`:
    /// event stores read one stream by it (`EventStore::stream_of`). Events whose newest
    /// version lacks the property belong to no stream.
    pub fn stream_key(mut self, pointer: impl Into<String>) -> Self {
        self.stream_key = Some(pointer.into());
        self
    }

    /// Names the top-level `format: uuid` property that builders fill with a new v4 UUID
    /// (default `eventId`). A schema without it, or with another type there, gets no fill.
    pub fn id_property(mut self, property: impl Into<String>) -> Self {
        self.id_property = property.into();
        self
    }

    /// Names the top-level `format: date-time` property that builders fill with the
    /// current time (default `timestamp`). A schema without it, or with another type
    /// there, gets no fill.
    pub fn timestamp_property(mut self, property: impl Into<String>) -> Self {
        self.timestamp_property = property.into();
        self
    }

    /// The folder schemas are read from.
    pub fn schemas_dir(&self) -> &Path {
        &self.schemas_dir
    }

    /// Puts `#[derive(EventContract)]` on every versioned event type, so that the
    /// semver rules are checked when the generated crate compiles.
    pub fn derive_contract(mut self, yes: bool) -> Self {
        self.derive_contract = yes;
        self
    }

    /// The emitter options this configuration implies.
    // Config sets every option today; one the emitter gains later takes its default until
    // Config has a setter for it.
    #[allow(clippy::needless_update)]
    pub fn emit_options(&self) -> EmitOptions {
        EmitOptions {
            event_enum: self.event_enum.clone(),
            version_property: self.load.version_property.clone(),
            id_property: self.id_property.clone(),
            timestamp_property: self.timestamp_property.clone(),
            discriminator: self.load.discriminator.clone(),
            derive_contract: self.derive_contract,
            runtime: self.runtime_crate.clone(),
            schemas_for_derive: Some(self.schemas_for_derive()),
            stream_key: self.stream_key.clone(),
            ..EmitOptions::default()
        }
    }

    /// The schema folder as the derive macro finds it: relative to the manifest of the
    /// crate being built when it lies inside it (so generated code holds no absolute path
    /// that differs between machines), else absolute.
    fn schemas_for_derive(&self) -> String {
        let manifest = std::env::var_os("CARGO_MANIFEST_DIR")
            .map(PathBuf::from)
            .map(|m| std::fs::canonicalize(&m).unwrap_or(m));
        let absolute = match (&manifest, self.schemas_dir.is_absolute()) {
            (_, true) => self.schemas_dir.clone(),
            (Some(m), false) => m.join(&self.schemas_dir),
            (None, false) => self.schemas_dir.clone(),
        };
        // `..` and links resolved, so that a folder outside the crate stays absolute.
        let absolute = std::fs::canonicalize(&absolute).unwrap_or(absolute);
        let relative = manifest
            .as_deref()
            .and_then(|m| absolute.strip_prefix(m).ok())
            .map(Path::to_path_buf);
        let shown = relative.unwrap_or(absolute);
        // `/` on every platform: the macro joins it onto the manifest directory.
        shown
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/")
    }

    /// Loads, checks and generates, without writing anything.
    pub fn generate(&self) -> Result<Generated, CodegenError> {
        let files = self.read_files()?;
        let set = load::load(&files, &self.load)?;
        let model = model::build(&set)?;
        check_compiles(&set)?;
        let names: Vec<&str> = set.events.iter().map(|e| e.name.as_str()).collect();
        let routing = routing::load(&files, &names, &routing::RoutingOptions::from(&self.load))?;
        let options = self.emit_options();
        let mut tokens = emit::emit(&model, &options);
        if let Some(r) = &routing {
            tokens.extend(routing::emit_module(r, &options));
        }
        let code = emit::format_file(tokens).map_err(|e| CodegenError::Emit(e.to_string()))?;
        Ok(Generated {
            set,
            model,
            code,
            routing,
        })
    }

    fn read_files(&self) -> Result<SchemaFiles, CodegenError> {
        SchemaFiles::read_dir(&self.schemas_dir).map_err(|source| CodegenError::Io {
            context: format!("reading {}", self.schemas_dir.display()),
            source,
        })
    }

    /// For build scripts: generates into `$OUT_DIR/event_contracts.rs` (rewritten only when
    /// its bytes change, so nothing rebuilds for no reason) and tells cargo to rerun when
    /// anything under the schema folder changes.
    pub fn write_to_out_dir(&self) -> Result<Generated, CodegenError> {
        println!("cargo:rerun-if-changed={}", self.schemas_dir.display());
        let out_dir = std::env::var_os("OUT_DIR").ok_or(CodegenError::NoOutDir)?;
        let generated = self.generate()?;
        for event in &generated.set.events {
            for version in &event.versions {
                println!(
                    "cargo:rerun-if-changed={}",
                    self.schemas_dir.join(&version.rel).display()
                );
            }
        }
        let schema_dir = Path::new(&out_dir).join("schemas");
        std::fs::create_dir_all(&schema_dir).map_err(|source| CodegenError::Io {
            context: format!("creating {}", schema_dir.display()),
            source,
        })?;
        for event in &generated.model.events {
            for version in &event.versions {
                let path = schema_dir.join(format!("{}-{}.json", event.module, version.version));
                let json = serde_json::to_string(&version.bundled)
                    .map_err(|e| CodegenError::Emit(e.to_string()))?;
                write_if_changed(&path, json.as_bytes())?;
            }
        }
        let path = Path::new(&out_dir).join("event_contracts.rs");
        write_if_changed(&path, generated.code.as_bytes())?;
        Ok(generated)
    }

    /// Reads and checks the folder.
    pub fn load(&self) -> Result<SchemaSet, CodegenError> {
        let files =
            SchemaFiles::read_dir(&self.schemas_dir).map_err(|source| CodegenError::Io {
                context: format!("reading {}", self.schemas_dir.display()),
                source,
            })?;
        Ok(load::load(&files, &self.load)?)
    }
}
