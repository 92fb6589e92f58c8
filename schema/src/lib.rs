//! event-contracts-schema: reads a folder of versioned JSON Schema event contracts, checks
//! it, and models the Rust types it becomes.
//!
//! - [`source::SchemaFiles`]: the folder's files, from disk or from git objects;
//! - [`load::load`]: the layout, draft-07 validity, names, versions, `$ref`s (inside the
//!   folder only), examples, and one bundled (self-contained) schema per version;
//! - [`model::build`]: the Rust shapes the generator emits and the derive checks views
//!   against;
//! - [`diag`] and [`locate`]: diagnostics that name the file, line and JSON pointer.
//!
//! The generator (`event-contracts-codegen`), the compatibility engine
//! (`event-contracts-compat`) and the derive macro share this crate, so they read a
//! schema folder the same way.

pub mod diag;
pub mod load;
pub mod locate;
pub mod model;
pub mod source;

pub use diag::{Diagnostic, Diagnostics};
pub use load::{load, Event, EventVersion, LoadOptions, SchemaSet};
pub use source::SchemaFiles;
