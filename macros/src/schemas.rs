//! The schema folders the macro reads: the one embedded when this crate was built
//! (`../schemas`), or one named by `schemas = "dir"`. Each is loaded, checked and modelled
//! by codegen once per compiler process, however many types derive `EventContract`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use event_contracts_compat::AllowList;
use event_contracts_schema::model::{self, Model};
use event_contracts_schema::{LoadOptions, SchemaFiles, SchemaSet};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_schemas.rs"));
}

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
    /// For a folder read from disk: every file read, so that the expansion can make cargo
    /// rebuild the caller when one of them changes.
    pub(crate) tracked: Vec<PathBuf>,
}

/// A loaded folder, or why it could not be loaded, shared between expansions.
pub(crate) type Shared = Arc<Result<Loaded, String>>;

/// The schema folder event-contracts was built with.
pub(crate) fn embedded() -> Shared {
    static EMBEDDED: OnceLock<Shared> = OnceLock::new();
    EMBEDDED
        .get_or_init(|| {
            let files = SchemaFiles::from_files(
                "schemas",
                embedded::SCHEMA_FILES
                    .iter()
                    .map(|&(path, bytes)| (path, bytes)),
            );
            Arc::new(load(&files, embedded::ALLOW_LIST, Vec::new()))
        })
        .clone()
}

/// The schema folder at `dir` (absolute), read from disk the first time it is asked for.
pub(crate) fn from_dir(dir: &Path) -> Shared {
    static FOLDERS: OnceLock<Mutex<HashMap<PathBuf, Shared>>> = OnceLock::new();
    let folders = FOLDERS.get_or_init(Mutex::default);
    // A panic elsewhere while the lock was held leaves a map that is still consistent.
    let mut folders = folders.lock().unwrap_or_else(PoisonError::into_inner);
    folders
        .entry(dir.to_path_buf())
        .or_insert_with(|| Arc::new(read_dir(dir)))
        .clone()
}

fn read_dir(dir: &Path) -> Result<Loaded, String> {
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
    load(
        &SchemaFiles::from_files(label, files),
        allow_text.as_deref(),
        tracked,
    )
}

fn load(
    files: &SchemaFiles,
    allow_text: Option<&str>,
    tracked: Vec<PathBuf>,
) -> Result<Loaded, String> {
    // The defaults are the ones build.rs generates with (Config::new leaves them as they are).
    let set =
        event_contracts_schema::load(files, &LoadOptions::default()).map_err(|d| d.to_string())?;
    let model = model::build(&set).map_err(|d| d.to_string());
    let allow = match allow_text {
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
