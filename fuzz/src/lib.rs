//! What the fuzz targets share. The oracle is also the product crate's test suite's
//! (`tests/support/mod.rs` includes it): both hold the generated checks to `jsonschema`.

pub mod oracle;
