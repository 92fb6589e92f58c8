//! The schema folder as a set of files, read from disk or from a git tree.
//!
//! The loader never touches the file system itself: `cargo xtask compat --base REF`
//! reads the base side out of git objects into the same structure, so both sides
//! go through exactly the same checks.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

/// The files of one schema folder, keyed by their `/`-separated path inside it.
#[derive(Debug, Clone, Default)]
pub struct SchemaFiles {
    label: String,
    files: BTreeMap<String, Vec<u8>>,
}

impl SchemaFiles {
    /// Reads every file below `dir`. `label` prefixes paths in diagnostics (usually `schemas`).
    pub fn read_dir(dir: &Path) -> io::Result<Self> {
        let label = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "schemas".to_owned());
        let mut files = BTreeMap::new();
        let mut stack: Vec<PathBuf> = vec![dir.to_path_buf()];
        while let Some(current) = stack.pop() {
            let entries = std::fs::read_dir(&current).map_err(|e| {
                io::Error::new(e.kind(), format!("cannot read {}: {e}", current.display()))
            })?;
            for entry in entries {
                let entry = entry?;
                let path = entry.path();
                let kind = entry.file_type()?;
                if kind.is_dir() {
                    stack.push(path);
                } else if kind.is_file() {
                    let rel = path
                        .strip_prefix(dir)
                        .map_err(io::Error::other)?
                        .components()
                        .map(|c| c.as_os_str().to_string_lossy().into_owned())
                        .collect::<Vec<_>>()
                        .join("/");
                    let bytes = std::fs::read(&path).map_err(|e| {
                        io::Error::new(e.kind(), format!("cannot read {}: {e}", path.display()))
                    })?;
                    files.insert(rel, bytes);
                }
            }
        }
        Ok(SchemaFiles { label, files })
    }

    /// A folder built from `(path, contents)` pairs, e.g. read out of git objects.
    pub fn from_files<I, P, B>(label: impl Into<String>, files: I) -> Self
    where
        I: IntoIterator<Item = (P, B)>,
        P: Into<String>,
        B: Into<Vec<u8>>,
    {
        SchemaFiles {
            label: label.into(),
            files: files
                .into_iter()
                .map(|(p, b)| (p.into(), b.into()))
                .collect(),
        }
    }

    /// The label that prefixes paths in diagnostics.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The path as shown to people: `<label>/<path>`.
    pub fn display_path(&self, rel: &str) -> String {
        format!("{}/{}", self.label, rel)
    }

    /// Every file, in path order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.files.iter().map(|(p, b)| (p.as_str(), b.as_slice()))
    }

    /// The contents of one file.
    pub fn get(&self, rel: &str) -> Option<&[u8]> {
        self.files.get(rel).map(Vec::as_slice)
    }
}
