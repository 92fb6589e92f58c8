//! The schema folders the macro reads, each loaded, checked and modelled once per compiler
//! process (per folder and envelope names), however many types derive `EventContract`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use event_contracts_compat::AllowList;
use event_contracts_schema::model::{self, Model};
use event_contracts_schema::{LoadOptions, SchemaFiles, SchemaSet};

/// The allow-list's file name, beside the schema folder (as `cargo xtask compat` reads it).
const ALLOW_FILE: &str = "compat-allow.json";

/// A loaded schema folder.
pub(crate) struct Loaded {
    /// The checked folder.
    pub(crate) set: SchemaSet,
    /// Its Rust type model, which views are checked against; an error when codegen cannot
    /// generate types for the folder.
    pub(crate) model: Result<Model, String>,
    /// The findings accepted on purpose (empty without an allow-list file).
    pub(crate) allow: Result<AllowList, String>,
    /// Every file read, so that the expansion can make cargo rebuild the caller when one
    /// of them changes.
    pub(crate) tracked: Vec<PathBuf>,
}

/// A loaded folder, or why it could not be loaded, shared between expansions.
pub(crate) type Shared = Arc<Result<Loaded, String>>;

/// The loader's options for the envelope names a `#[contract]` gives (the defaults
/// otherwise, as `Config::new` has them).
pub(crate) fn options(discriminator: Option<&str>, version_property: Option<&str>) -> LoadOptions {
    let mut options = LoadOptions::default();
    if let Some(d) = discriminator {
        options.discriminator = d.to_owned();
    }
    if let Some(v) = version_property {
        options.version_property = v.to_owned();
    }
    options
}

/// The schema folder at `dir` (absolute), read from disk the first time it is asked for.
pub(crate) fn from_dir(dir: &Path, options: &LoadOptions) -> Shared {
    type Key = (PathBuf, String, String);
    static FOLDERS: OnceLock<Mutex<HashMap<Key, Shared>>> = OnceLock::new();
    let folders = FOLDERS.get_or_init(Mutex::default);
    // A panic elsewhere while the lock was held leaves a map that is still consistent.
    let mut folders = folders.lock().unwrap_or_else(PoisonError::into_inner);
    let key = (
        dir.to_path_buf(),
        options.discriminator.clone(),
        options.version_property.clone(),
    );
    folders
        .entry(key)
        .or_insert_with(|| Arc::new(read_dir(dir, options)))
        .clone()
}

fn read_dir(dir: &Path, options: &LoadOptions) -> Result<Loaded, String> {
    let label = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "schemas".to_owned());
    let mut files = Vec::new();
    let mut tracked = Vec::new();
    for (rel, path) in crate::walk::collect_files(dir)? {
        let bytes =
            std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        files.push((rel, bytes));
        tracked.push(path);
    }
    let allow_path = dir.parent().map(|parent| parent.join(ALLOW_FILE));
    let allow_text = match &allow_path {
        Some(path) if path.is_file() => {
            tracked.push(path.clone());
            Some(
                std::fs::read_to_string(path)
                    .map_err(|e| format!("cannot read {}: {e}", path.display()))?,
            )
        }
        _ => None,
    };
    tracked.sort();
    let set = event_contracts_schema::load(&SchemaFiles::from_files(label, files), options)
        .map_err(|d| d.to_string())?;
    let model = model::build(&set).map_err(|d| d.to_string());
    let allow = match allow_text.as_deref() {
        Some(text) => AllowList::parse(text).map_err(|e| format!("{ALLOW_FILE}: {e}")),
        None => Ok(AllowList::default()),
    };
    Ok(Loaded {
        set,
        model,
        allow,
        tracked,
    })
}
