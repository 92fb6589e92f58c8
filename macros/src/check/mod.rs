//! The checks: which kind of derive this is, which schema folder it reads, which event it
//! names; then [`bump`] for generated types and [`view`] for consumer views.

pub(crate) mod bump;
pub(crate) mod view;

use std::path::{Path, PathBuf};

use event_contracts_schema::{Event, SchemaSet};

use crate::ast::Input;
use crate::ctxt::{Ctxt, Spanned};
use crate::schemas;
use crate::suggest::closest;

/// Where the derive is used, as far as finding a `schemas = "dir"` folder goes.
#[derive(Debug, Clone, Default)]
pub(crate) struct Caller {
    /// The calling crate's `CARGO_MANIFEST_DIR`.
    pub(crate) manifest_dir: Option<PathBuf>,
    /// The source file that holds the derive, when the compiler knows it as a real path.
    pub(crate) source_file: Option<PathBuf>,
    /// The calling crate's `OUT_DIR`, when it has a build script: files there are generated
    /// for the crate, which the manifest directory stands for.
    pub(crate) out_dir: Option<PathBuf>,
}

/// Runs every check `input` asks for; returns the schema files the expansion must make
/// cargo track (those of a `schemas = "dir"` folder).
pub(crate) fn run(cx: &mut Ctxt, input: &Input, caller: &Caller) -> Vec<PathBuf> {
    let contract = &input.contract;
    let name_span = input.ident.span();
    if !contract.present {
        cx.error_at(
            name_span,
            "#[derive(EventContract)] needs a #[contract(...)] attribute: \
             `#[contract(event = \"ProductCreated\", versions = \"^1\")]` on a view, \
             `#[contract(event = \"ProductCreated\", version = \"1.1.0\")]` on a generated type",
        );
        return Vec::new();
    }
    if !contract.wrote("event") {
        cx.error_at(
            name_span,
            "#[contract] needs the event's name, e.g. `event = \"ProductCreated\"`",
        );
    }
    match (contract.wrote("version"), contract.wrote("versions")) {
        (true, true) => cx.error_at(
            contract.versions.as_ref().map_or(name_span, |r| r.span),
            "`version` (on a generated type) and `versions` (on a view) exclude each other: keep one",
        ),
        (false, false) => cx.error_at(
            name_span,
            "#[contract] needs `versions = \"...\"` (a view: the range of versions it reads, e.g. \"^1\") \
             or `version = \"x.y.z\"` (a generated type)",
        ),
        _ => {}
    }
    if let (true, Some(at)) = (contract.wrote("version"), &contract.at) {
        cx.error_at(
            at.span,
            "`at` places a view inside the event; a generated type (`version = ...`) is always the whole event",
        );
    }
    // A key written with a bad value was reported where it was written; checking on
    // without it would only add errors that follow from that one.
    let unreadable = ["version", "versions", "at"]
        .iter()
        .any(|key| contract.wrote(key) && !has_value(contract, key));

    if contract.wrote("schemas") && contract.schemas.is_none() {
        // Any other folder would be the wrong one to check against.
        return Vec::new();
    }
    let options = schemas::options(
        contract.discriminator.as_deref(),
        contract.version_property.as_deref(),
    );
    let dir = match &contract.schemas {
        None => nearest_schemas(caller),
        Some(written) => find_dir(written, caller),
    };
    let dir = match dir {
        Ok(dir) => dir,
        Err(why) => {
            let span = contract.schemas.as_ref().map_or(name_span, |s| s.span);
            cx.error_at(span, why);
            return Vec::new();
        }
    };
    let shared = schemas::from_dir(&dir, &options);
    let loaded = match shared.as_ref() {
        Ok(loaded) => loaded,
        Err(e) => {
            let span = contract.schemas.as_ref().map_or(name_span, |s| s.span);
            cx.error_at(
                span,
                format!("cannot load the schema folder {}:\n{e}", dir.display()),
            );
            return Vec::new();
        }
    };
    let Some(event) = contract
        .event
        .as_ref()
        .and_then(|name| find_event(cx, &loaded.set, name, &dir))
    else {
        return loaded.tracked.clone();
    };
    if unreadable {
        return loaded.tracked.clone();
    }
    match (&contract.version, &contract.versions) {
        (Some(version), None) => bump::check(cx, loaded, event, version),
        (None, Some(range)) => view::check(cx, loaded, event, input, range, contract.at.as_ref()),
        _ => {}
    }
    loaded.tracked.clone()
}

/// Whether a key that was written also has a valid value.
fn has_value(contract: &crate::attr::ContractAttr, key: &str) -> bool {
    match key {
        "version" => contract.version.is_some(),
        "versions" => contract.versions.is_some(),
        "at" => contract.at.is_some(),
        _ => true,
    }
}

/// The event named `name`, or an error at its span that suggests the closest name and
/// says which folder was read (the nearest `schemas/` may not be the one meant).
fn find_event<'a>(
    cx: &mut Ctxt,
    set: &'a SchemaSet,
    name: &Spanned<String>,
    dir: &Path,
) -> Option<&'a Event> {
    if let Some(event) = set.event(&name.value) {
        return Some(event);
    }
    let names: Vec<&str> = set.events.iter().map(|e| e.name.as_str()).collect();
    let hint = match closest(&name.value, names.iter().copied()) {
        Some(near) => format!("; did you mean `{near}`?"),
        None => String::new(),
    };
    cx.error_at(
        name.span,
        format!(
            "there is no event `{}` in the schemas{hint}\n  = note: the events are {}\n  = note: the schemas were read from {}\n  = help: if that is not the folder meant, name it with `schemas = \"path/to/schemas\"`",
            name.value,
            names.join(", "),
            dir.display()
        ),
    );
    None
}

/// The folder `schemas = "..."` names: relative to the caller's `CARGO_MANIFEST_DIR`, else
/// to the folder of the source file that holds the attribute. trybuild compiles each test
/// file as part of a crate it generates under `target/`, so there the manifest directory
/// is not the one the test was written in, and only the second rule finds its folder.
fn find_dir(written: &Spanned<String>, caller: &Caller) -> Result<PathBuf, String> {
    let relative = Path::new(&written.value);
    let mut tried = Vec::new();
    let bases = [
        caller.manifest_dir.clone(),
        caller
            .source_file
            .as_deref()
            .filter(|f| f.is_absolute())
            .and_then(Path::parent)
            .map(Path::to_path_buf),
    ];
    let candidates: Vec<PathBuf> = if relative.is_absolute() {
        vec![relative.to_path_buf()]
    } else {
        bases
            .iter()
            .flatten()
            .map(|base| base.join(relative))
            .collect()
    };
    for candidate in candidates {
        if candidate.is_dir() {
            // One spelling per folder, so that the per-process cache loads it once.
            return Ok(std::fs::canonicalize(&candidate).unwrap_or(candidate));
        }
        tried.push(candidate.display().to_string());
    }
    Err(format!(
        "there is no schema folder {:?}: tried {}\n  = help: give a folder relative to this crate's Cargo.toml, or leave `schemas` out to use the nearest `schemas/` folder at or above it",
        written.value,
        if tried.is_empty() {
            "nothing (CARGO_MANIFEST_DIR is not set)".to_owned()
        } else {
            tried.join(" and ")
        }
    ))
}

/// The folder a derive reads when `schemas` is left out: the nearest `schemas/` at or above
/// the caller's manifest directory or its source file's folder ([`search_starts`] says
/// which first: the source file's under trybuild). A crate
/// that generates its types has its folder beside its Cargo.toml; a service in the same
/// repository finds the repository's. A crate elsewhere names the folder with `schemas`.
pub(crate) fn nearest_schemas(caller: &Caller) -> Result<PathBuf, String> {
    let starts = search_starts(caller);
    let mut tried = Vec::new();
    for start in &starts {
        for dir in start.ancestors() {
            let candidate = dir.join("schemas");
            if candidate.is_dir() {
                return Ok(std::fs::canonicalize(&candidate).unwrap_or(candidate));
            }
        }
        tried.push(start.display().to_string());
    }
    Err(format!(
        "no `schemas/` folder at or above {}\n  = help: name the schema folder with `schemas = \"path/to/schemas\"`, relative to this crate's Cargo.toml",
        if tried.is_empty() {
            "this crate (CARGO_MANIFEST_DIR is not set)".to_owned()
        } else {
            tried.join(" or ")
        }
    ))
}

/// Where [`nearest_schemas`] searches from, in order: the manifest directory, then the
/// source file's folder; but the source file's folder first when the file lies outside
/// both the manifest directory and `OUT_DIR`. trybuild compiles each test file as part of
/// a crate it generates under `target/tests/trybuild/`, and above that folder lies whatever
/// holds the target directory (a repository with its own `schemas/`, say), while the
/// crate whose test it is sits above the test file.
fn search_starts(caller: &Caller) -> Vec<PathBuf> {
    let manifest = caller.manifest_dir.clone();
    let source_dir = caller
        .source_file
        .as_deref()
        .filter(|f| f.is_absolute())
        .and_then(Path::parent)
        .map(Path::to_path_buf);
    let inside = |dir: &Path, root: Option<&PathBuf>| root.is_some_and(|r| dir.starts_with(r));
    let source_first = source_dir.as_deref().is_some_and(|dir| {
        !inside(dir, caller.manifest_dir.as_ref()) && !inside(dir, caller.out_dir.as_ref())
    });
    let ordered = if source_first {
        [source_dir, manifest]
    } else {
        [manifest, source_dir]
    };
    ordered.into_iter().flatten().collect()
}
