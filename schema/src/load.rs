//! Loads and checks a schema folder: layout, draft-07 validity, names, versions,
//! `$ref`s (never outside the folder, never over a network) and the examples.
//! Each event version is then bundled into one self-contained schema.

use std::collections::{BTreeMap, BTreeSet};

use semver::Version;
use serde_json::{Map, Value};

use crate::diag::{escape_token, pointer_tokens, Diagnostic, Diagnostics};
use crate::source::SchemaFiles;
use event_contracts_check::strict_json::parse_strict;

/// The draft-07 meta-schema URI; every schema file must declare it.
pub const DRAFT_07: &str = "http://json-schema.org/draft-07/schema#";

/// Where shared definitions live inside the schema folder.
pub const SHARED_DIR: &str = "common";

/// How the loader reads the folder. The defaults match the seed's envelope.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// The property whose one-value `enum` names the event type.
    pub discriminator: String,
    /// The property that carries the event's semver version.
    pub version_property: String,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            discriminator: "eventType".to_owned(),
            version_property: "version".to_owned(),
        }
    }
}

/// A checked schema folder.
#[derive(Debug, Clone)]
pub struct SchemaSet {
    /// Events in name order.
    pub events: Vec<Event>,
    /// Shared definition files (`common/*.json`), by path inside the folder.
    pub shared: BTreeMap<String, SharedFile>,
    /// The options the folder was loaded with.
    pub options: LoadOptions,
}

/// A shared definition file.
#[derive(Debug, Clone)]
pub struct SharedFile {
    /// Path as shown to people.
    pub file: String,
    /// Text as written.
    pub text: String,
    /// Parsed contents.
    pub schema: Value,
}

/// One event and all its versions.
#[derive(Debug, Clone)]
pub struct Event {
    /// PascalCase name, e.g. `ProductCreated`.
    pub name: String,
    /// Folder name, e.g. `product-created`.
    pub dir: String,
    /// Versions in ascending order.
    pub versions: Vec<EventVersion>,
}

/// One version of one event.
#[derive(Debug, Clone)]
pub struct EventVersion {
    /// The version from the file name.
    pub version: Version,
    /// Path as shown to people, e.g. `schemas/product-created/1.0.0.json`.
    pub file: String,
    /// Path inside the folder, e.g. `product-created/1.0.0.json`.
    pub rel: String,
    /// Text as written.
    pub text: String,
    /// The schema as written.
    pub schema: Value,
    /// The schema with every external `$ref` copied into `definitions`: self-contained.
    pub bundled: Value,
    /// For each definition the bundler added, where it came from.
    pub origins: BTreeMap<String, Origin>,
    /// The example events beside this version.
    pub examples: Vec<Example>,
}

/// The file and pointer a bundled definition was copied from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// Path inside the folder, e.g. `common/envelope.json`.
    pub rel: String,
    /// Pointer inside that file, e.g. `/definitions/metadata`.
    pub pointer: String,
}

/// An example event: one that must pass, or one that must fail.
#[derive(Debug, Clone)]
pub struct Example {
    /// Path as shown to people.
    pub file: String,
    /// File stem, e.g. `name-too-long`.
    pub name: String,
    /// Whether the example must be valid.
    pub valid: bool,
    /// The event.
    pub event: Value,
}

impl Event {
    /// The newest version.
    pub fn latest(&self) -> Option<&EventVersion> {
        self.versions.last()
    }

    /// The version immediately before `version`, if any.
    pub fn previous(&self, version: &Version) -> Option<&EventVersion> {
        self.versions.iter().rev().find(|v| &v.version < version)
    }

    /// One version by number.
    pub fn version(&self, version: &Version) -> Option<&EventVersion> {
        self.versions.iter().find(|v| &v.version == version)
    }
}

impl SchemaSet {
    /// One event by name.
    pub fn event(&self, name: &str) -> Option<&Event> {
        self.events.iter().find(|e| e.name == name)
    }
}

impl EventVersion {
    /// Maps a pointer into [`EventVersion::bundled`] back to the file and line it was written at.
    pub fn source_of(&self, set: &SchemaSet, pointer: &str) -> (String, Option<usize>, String) {
        let tokens = pointer_tokens(pointer);
        if tokens.len() >= 2 && tokens[0] == "definitions" {
            if let Some(origin) = self.origins.get(&tokens[1]) {
                let rest: String = tokens[2..]
                    .iter()
                    .map(|t| format!("/{}", escape_token(t)))
                    .collect();
                let inner = format!("{}{}", origin.pointer, rest);
                if let Some(shared) = set.shared.get(&origin.rel) {
                    let line = crate::locate::line_of(&shared.text, &inner);
                    return (shared.file.clone(), line, inner);
                }
            }
        }
        (
            self.file.clone(),
            crate::locate::line_of(&self.text, pointer),
            pointer.to_owned(),
        )
    }
}

/// Kebab-case folder name to PascalCase event name.
pub fn event_name_from_dir(dir: &str) -> String {
    dir.split('-')
        .map(|part| {
            let mut chars = part.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// PascalCase event name to kebab-case folder name.
pub fn dir_from_event_name(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn is_kebab(name: &str) -> bool {
    !name.is_empty()
        && name.split('-').all(|p| {
            !p.is_empty()
                && p.starts_with(|c: char| c.is_ascii_lowercase())
                && p.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

/// Parses `MAJOR.MINOR.PATCH` exactly: no pre-release, no build metadata.
pub fn parse_plain_version(text: &str) -> Option<Version> {
    let v = Version::parse(text).ok()?;
    (v.pre.is_empty() && v.build.is_empty()).then_some(v)
}

/// Builds a `jsonschema` validator for a bundled schema, with the formats the
/// contracts rely on (`uuid` is not a draft-07 format; we check it anyway).
pub fn compile_validator(bundled: &Value) -> Result<jsonschema::Validator, String> {
    jsonschema::draft7::options()
        .should_validate_formats(true)
        .with_format("uuid", event_contracts_check::formats::is_uuid)
        .with_format("date-time", event_contracts_check::formats::is_date_time)
        .build(bundled)
        .map_err(|e| e.to_string())
}

struct Parsed {
    file: String,
    text: String,
    value: Value,
}

/// Loads and checks the whole folder. Every problem is collected; none stops the others.
pub fn load(files: &SchemaFiles, options: &LoadOptions) -> Result<SchemaSet, Diagnostics> {
    let mut diags = Vec::new();
    let mut parsed: BTreeMap<String, Parsed> = BTreeMap::new();
    // (dir, version) -> rel path of the schema file
    let mut version_files: BTreeMap<(String, Version), String> = BTreeMap::new();
    // (dir, version) -> examples
    let mut example_files: BTreeMap<(String, Version), Vec<ExampleFile>> = BTreeMap::new();

    for (rel, bytes) in files.iter() {
        let shown = files.display_path(rel);
        if !rel.ends_with(".json") {
            continue; // routing.yaml and documentation are read elsewhere
        }
        let parts: Vec<&str> = rel.split('/').collect();
        let kind = classify(&parts);
        let kind = match kind {
            Some(k) => k,
            None => {
                diags.push(Diagnostic::new(
                    &shown,
                    None,
                    "",
                    "this file is not where the schema folder layout puts JSON files",
                    "use <event-name>/<major>.<minor>.<patch>.json for a schema, \
                     <event-name>/examples/<version>/valid|invalid/<name>.json for an example, \
                     or common/<name>.json for shared definitions",
                ));
                continue;
            }
        };
        let text = match std::str::from_utf8(bytes) {
            Ok(t) => t.to_owned(),
            Err(e) => {
                diags.push(Diagnostic::new(
                    &shown,
                    None,
                    "",
                    format!("the file is not UTF-8 ({e})"),
                    "save the file as UTF-8",
                ));
                continue;
            }
        };
        let value = match parse_strict(&text) {
            Ok(v) => v,
            Err(e) => {
                diags.push(Diagnostic {
                    file: shown.clone(),
                    line: Some(e.line()),
                    pointer: String::new(),
                    message: format!("the file is not valid JSON: {e}"),
                    help: "fix the JSON syntax at that line".to_owned(),
                });
                continue;
            }
        };
        match kind {
            FileKind::Shared => {}
            FileKind::Schema { dir, version } => {
                if !is_kebab(dir) {
                    diags.push(Diagnostic::new(
                        &shown,
                        None,
                        "",
                        format!("the folder name {dir:?} is not kebab-case"),
                        "name the folder after the event in kebab-case, e.g. product-created",
                    ));
                    continue;
                }
                match parse_plain_version(version) {
                    Some(v) => {
                        version_files.insert((dir.to_owned(), v), rel.to_owned());
                    }
                    None => {
                        diags.push(Diagnostic::new(
                            &shown,
                            None,
                            "",
                            format!("{version:?} is not a MAJOR.MINOR.PATCH version"),
                            "name the schema file <major>.<minor>.<patch>.json, e.g. 1.2.0.json",
                        ));
                        continue;
                    }
                }
            }
            FileKind::Example {
                dir,
                version,
                valid,
                name,
            } => match parse_plain_version(version) {
                Some(v) => example_files.entry((dir.to_owned(), v)).or_default().push((
                    rel.to_owned(),
                    valid,
                    name.to_owned(),
                )),
                None => diags.push(Diagnostic::new(
                    &shown,
                    None,
                    "",
                    format!("the example folder {version:?} is not a MAJOR.MINOR.PATCH version"),
                    "put examples under examples/<version of an existing schema file>/",
                )),
            },
        }
        parsed.insert(
            rel.to_owned(),
            Parsed {
                file: shown,
                text,
                value,
            },
        );
    }

    // Every schema file (events and shared) must be draft-07, valid against the meta-schema,
    // and free of `$id` (its base-URI rules would make our path-based `$ref` reading ambiguous).
    let schema_rels: Vec<String> = parsed
        .keys()
        .filter(|rel| !rel.contains("/examples/"))
        .cloned()
        .collect();
    for rel in &schema_rels {
        let p = &parsed[rel];
        check_schema_file(p, &mut diags);
    }

    // Every `$ref` must stay inside the folder and resolve.
    for rel in &schema_rels {
        check_refs(rel, &parsed, &mut diags);
    }

    if !diags.is_empty() {
        return Err(Diagnostics(diags));
    }

    let shared: BTreeMap<String, SharedFile> = parsed
        .iter()
        .filter(|(rel, _)| rel.starts_with("common/"))
        .map(|(rel, p)| {
            (
                rel.clone(),
                SharedFile {
                    file: p.file.clone(),
                    text: p.text.clone(),
                    schema: p.value.clone(),
                },
            )
        })
        .collect();

    let mut events: BTreeMap<String, Event> = BTreeMap::new();
    for ((dir, version), rel) in &version_files {
        let p = &parsed[rel];
        let name = event_name_from_dir(dir);
        let (bundled, origins) = match bundle(rel, &parsed) {
            Ok(b) => b,
            Err(d) => {
                diags.push(d);
                continue;
            }
        };
        check_ref_cycles(p, &bundled, &origins, &parsed, &mut diags);
        check_names(&name, dir, version, p, &bundled, options, &mut diags);
        let mut examples = Vec::new();
        for (ex_rel, valid, ex_name) in example_files
            .remove(&(dir.clone(), version.clone()))
            .unwrap_or_default()
        {
            let ex = &parsed[&ex_rel];
            examples.push(Example {
                file: ex.file.clone(),
                name: ex_name,
                valid,
                event: ex.value.clone(),
            });
        }
        let ev = EventVersion {
            version: version.clone(),
            file: p.file.clone(),
            rel: rel.clone(),
            text: p.text.clone(),
            schema: p.value.clone(),
            bundled,
            origins,
            examples,
        };
        check_examples(&ev, &name, options, &parsed, &mut diags);
        events
            .entry(dir.clone())
            .or_insert_with(|| Event {
                name: name.clone(),
                dir: dir.clone(),
                versions: Vec::new(),
            })
            .versions
            .push(ev);
    }
    for ((dir, version), exs) in example_files {
        for (rel, _, _) in exs {
            diags.push(Diagnostic::new(
                files.display_path(&rel),
                None,
                "",
                format!("there is no schema {dir}/{version}.json for this example"),
                "move the example under the version it illustrates, or add that schema version",
            ));
        }
    }

    let mut events: Vec<Event> = events.into_values().collect();
    for e in &mut events {
        e.versions.sort_by(|a, b| a.version.cmp(&b.version));
    }
    events.sort_by(|a, b| a.name.cmp(&b.name));
    Diagnostics(diags).into_result(SchemaSet {
        events,
        shared,
        options: options.clone(),
    })
}

/// An example's (path inside the folder, must be valid, file stem).
type ExampleFile = (String, bool, String);

enum FileKind<'a> {
    Shared,
    Schema {
        dir: &'a str,
        version: &'a str,
    },
    Example {
        dir: &'a str,
        version: &'a str,
        valid: bool,
        name: &'a str,
    },
}

fn classify<'a>(parts: &[&'a str]) -> Option<FileKind<'a>> {
    match parts {
        [SHARED_DIR, _file] => Some(FileKind::Shared),
        [dir, file] if *dir != SHARED_DIR => Some(FileKind::Schema {
            dir,
            version: file.strip_suffix(".json")?,
        }),
        [dir, "examples", version, kind @ ("valid" | "invalid"), file] if *dir != SHARED_DIR => {
            Some(FileKind::Example {
                dir,
                version,
                valid: *kind == "valid",
                name: file.strip_suffix(".json")?,
            })
        }
        _ => None,
    }
}

fn check_schema_file(p: &Parsed, diags: &mut Vec<Diagnostic>) {
    let text = Some(p.text.as_str());
    match p.value.get("$schema") {
        Some(Value::String(s)) if s == DRAFT_07 || s == DRAFT_07.trim_end_matches('#') => {}
        Some(other) => diags.push(Diagnostic::new(
            &p.file,
            text,
            "/$schema",
            format!("the schema declares {other}, but contracts are draft-07"),
            format!("set \"$schema\": \"{DRAFT_07}\""),
        )),
        None => diags.push(Diagnostic::new(
            &p.file,
            text,
            "",
            "the schema does not declare its draft",
            format!("add \"$schema\": \"{DRAFT_07}\" at the top level"),
        )),
    }
    let meta = jsonschema::draft7::meta::validator();
    for error in meta.iter_errors(&p.value) {
        let pointer = error.instance_path().as_str().to_owned();
        let help = if pointer.ends_with("/type") {
            "`type` is one of array, boolean, integer, null, number, object, string (or a list of them)"
        } else {
            "fix the keyword so that the schema validates against the draft-07 meta-schema"
        };
        diags.push(Diagnostic::new(
            &p.file,
            text,
            &pointer,
            format!("not valid draft-07: {error}"),
            help,
        ));
    }
}

/// Calls `f` on every object in the document that sits in a schema position.
/// Depth is bounded: schemas deeper than that are rejected by the meta-schema
/// check's own limits long before, and nothing here recurses without bound.
pub(crate) fn visit_schema_objects(
    value: &Value,
    pointer: &str,
    depth: usize,
    f: &mut dyn FnMut(&str, &Map<String, Value>),
) {
    visit_scoped(value, pointer, depth, false, &mut |pointer, obj, _| {
        f(pointer, obj)
    });
}

/// Whether a schema object's `$id` sets a new base URI for what it holds: a `$id` that is
/// not a plain-name anchor (`#name`), on an object without `$ref` (draft-07 ignores every
/// sibling of `$ref`).
fn sets_base(obj: &Map<String, Value>) -> bool {
    !obj.contains_key("$ref")
        && obj
            .get("$id")
            .and_then(Value::as_str)
            .is_some_and(|id| !id.starts_with('#'))
}

/// What `visit_scoped` calls on each schema object: (pointer, object, scoped).
type ScopedVisitor<'a> = dyn FnMut(&str, &Map<String, Value>, bool) + 'a;

/// [`visit_schema_objects`], also telling `f` whether the object sits under a `$id` that
/// sets a base URI (its own or an ancestor's): there, `$ref`s resolve against that URI,
/// inside the document, not against the file's place in the folder.
fn visit_scoped(
    value: &Value,
    pointer: &str,
    depth: usize,
    scoped: bool,
    f: &mut ScopedVisitor<'_>,
) {
    if depth > 256 {
        return;
    }
    match value {
        Value::Object(obj) => {
            let scoped = scoped || sets_base(obj);
            f(pointer, obj, scoped);
            for (key, child) in obj {
                // `enum`, `const`, `default` and `examples` hold instances, not schemas.
                if matches!(key.as_str(), "enum" | "const" | "default" | "examples") {
                    continue;
                }
                let child_ptr = format!("{pointer}/{}", escape_token(key));
                visit_scoped(child, &child_ptr, depth + 1, scoped, f);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                visit_scoped(child, &format!("{pointer}/{i}"), depth + 1, scoped, f);
            }
        }
        _ => {}
    }
}

/// The draft-07 meta-schema's URI: a `$ref` to it reads the copy the check embeds.
const META_SCHEMA_URI: &str = "http://json-schema.org/draft-07/schema";

/// How a `$ref` is resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RefKind {
    /// A path to a file of the folder and a JSON pointer in it: bundled.
    File,
    /// Resolved inside the document by URI (`$id`s, plain-name anchors, the meta-schema):
    /// left as written, for the check to resolve.
    InDocument,
}

/// Whether `reference`, written under a `$id` base (`scoped`) or not, in a document that
/// has `$id`s (`has_ids`), names a file of the folder or something inside the document.
fn ref_kind(reference: &str, scoped: bool, has_ids: bool) -> RefKind {
    let (path, fragment) = reference.split_once('#').unwrap_or((reference, ""));
    if scoped {
        return RefKind::InDocument;
    }
    if path.is_empty() && !fragment.is_empty() && !fragment.starts_with('/') {
        return RefKind::InDocument;
    }
    if path == META_SCHEMA_URI {
        return RefKind::InDocument;
    }
    if (path.contains(':') || path.starts_with("//")) && has_ids {
        return RefKind::InDocument;
    }
    RefKind::File
}

/// Whether any schema object of `value` has a `$id` (so that a URI may name it).
fn has_ids(value: &Value) -> bool {
    let mut found = false;
    visit_schema_objects(value, "", 0, &mut |_, obj| {
        found |= obj.get("$id").is_some_and(Value::is_string);
    });
    found
}

/// A `$ref` target: a file inside the folder and a pointer in it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Target {
    rel: String,
    pointer: String,
}

/// Resolves a `$ref` written in file `from` to a target inside the folder.
fn resolve_ref(from: &str, reference: &str) -> Result<Target, String> {
    let (path, fragment) = match reference.split_once('#') {
        Some((p, f)) => (p, f),
        None => (reference, ""),
    };
    if path.contains(':') || path.starts_with("//") {
        return Err(format!(
            "$ref {reference:?} names a URI; contracts never fetch anything over a network"
        ));
    }
    if path.starts_with('/') {
        return Err(format!(
            "$ref {reference:?} is an absolute path; it must be relative to the file"
        ));
    }
    if !fragment.is_empty() && !fragment.starts_with('/') {
        return Err(format!(
            "$ref {reference:?} uses a plain-name fragment; only JSON pointers (#/...) are supported"
        ));
    }
    let fragment = percent_decode(fragment)?;
    let rel = if path.is_empty() {
        from.to_owned()
    } else {
        let mut parts: Vec<&str> = from.split('/').collect();
        parts.pop();
        for seg in path.split('/') {
            match seg {
                "" | "." => {}
                ".." => {
                    if parts.pop().is_none() {
                        return Err(format!(
                            "$ref {reference:?} points outside the schema folder"
                        ));
                    }
                }
                s => parts.push(s),
            }
        }
        parts.join("/")
    };
    Ok(Target {
        rel,
        pointer: fragment,
    })
}

/// `#` and a JSON pointer as a URI fragment: the characters a fragment may not hold
/// percent-encoded (RFC 3986, section 3.5), so that the `$ref` is a valid URI reference.
fn fragment_ref(pointer: &str) -> String {
    let mut out = String::from("#");
    for byte in pointer.bytes() {
        let allowed = byte.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/?".contains(&byte);
        if allowed {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn percent_decode(text: &str) -> Result<String, String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| format!("bad percent-escape in $ref fragment {text:?}"))?;
            out.push(hex);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| format!("$ref fragment {text:?} is not UTF-8"))
}

fn check_refs(rel: &str, parsed: &BTreeMap<String, Parsed>, diags: &mut Vec<Diagnostic>) {
    let p = &parsed[rel];
    let ids = has_ids(&p.value);
    visit_scoped(&p.value, "", 0, false, &mut |pointer, obj, scoped| {
        let Some(reference) = obj.get("$ref") else {
            return;
        };
        let at = format!("{pointer}/$ref");
        let Some(reference) = reference.as_str() else {
            return; // the meta-schema check reports the type
        };
        if ref_kind(reference, scoped, ids) == RefKind::InDocument {
            // The generator compiles the bundled schema with the run-time check, which
            // resolves it (or names it, with its pointer, when it cannot).
            return;
        }
        match resolve_ref(rel, reference) {
            Err(message) => diags.push(Diagnostic::new(
                &p.file,
                Some(&p.text),
                &at,
                message,
                "point $ref at a definition in this folder, e.g. \
                 ../common/envelope.json#/definitions/metadata",
            )),
            Ok(target) => match parsed.get(&target.rel) {
                None => diags.push(Diagnostic::new(
                    &p.file,
                    Some(&p.text),
                    &at,
                    format!("$ref {reference:?} names a file that is not in the schema folder"),
                    "fix the path, or add the file under the schema folder",
                )),
                Some(t) if t.value.pointer(&target.pointer).is_none() => {
                    diags.push(Diagnostic::new(
                        &p.file,
                        Some(&p.text),
                        &at,
                        format!(
                            "$ref {reference:?}: {} has nothing at {:?}",
                            t.file, target.pointer
                        ),
                        "fix the pointer after '#'",
                    ))
                }
                Some(_) if target.rel.contains("/examples/") => diags.push(Diagnostic::new(
                    &p.file,
                    Some(&p.text),
                    &at,
                    format!("$ref {reference:?} points at an example, not a schema"),
                    "point $ref at a schema file",
                )),
                Some(_) => {}
            },
        }
    });
}

/// The definition key a target gets in a bundled schema: readable and stable.
fn bundle_key(target: &Target) -> String {
    let mut key = target.rel.trim_end_matches(".json").replace('/', ".");
    let tokens = pointer_tokens(&target.pointer);
    let tokens = match tokens.first().map(String::as_str) {
        Some("definitions") => &tokens[1..],
        _ => &tokens[..],
    };
    for t in tokens {
        key.push('.');
        key.push_str(t);
    }
    key
}

/// Copies every external `$ref` target of `root_rel` into its `definitions` and rewrites the refs.
fn bundle(
    root_rel: &str,
    parsed: &BTreeMap<String, Parsed>,
) -> Result<(Value, BTreeMap<String, Origin>), Diagnostic> {
    let root = &parsed[root_rel];
    let mut out = root.value.clone();
    let mut added: BTreeMap<String, Value> = BTreeMap::new();
    let mut origins: BTreeMap<String, Origin> = BTreeMap::new();
    let mut queue: Vec<Target> = Vec::new();
    let mut seen: BTreeSet<Target> = BTreeSet::new();

    rewrite_refs(&mut out, root_rel, root_rel, &mut queue, 0);
    while let Some(target) = queue.pop() {
        if !seen.insert(target.clone()) {
            continue;
        }
        let key = bundle_key(&target);
        let source = &parsed[&target.rel];
        let mut copy = source
            .value
            .pointer(&target.pointer)
            .cloned()
            .unwrap_or(Value::Null);
        rewrite_refs(&mut copy, &target.rel, root_rel, &mut queue, 0);
        if let Some(previous) = origins.get(&key) {
            if previous.rel != target.rel || previous.pointer != target.pointer {
                return Err(Diagnostic::new(
                    &root.file,
                    Some(&root.text),
                    "",
                    format!("two $ref targets bundle to the same definition name {key:?}"),
                    "rename one of the shared definitions",
                ));
            }
        }
        origins.insert(
            key.clone(),
            Origin {
                rel: target.rel.clone(),
                pointer: target.pointer.clone(),
            },
        );
        added.insert(key, copy);
    }
    if !added.is_empty() {
        let Some(obj) = out.as_object_mut() else {
            return Err(Diagnostic::new(
                &root.file,
                Some(&root.text),
                "",
                "the schema root is not an object",
                "an event schema must be a JSON object",
            ));
        };
        let defs = obj
            .entry("definitions")
            .or_insert_with(|| Value::Object(Map::new()));
        let Some(defs) = defs.as_object_mut() else {
            return Err(Diagnostic::new(
                &root.file,
                Some(&root.text),
                "/definitions",
                "`definitions` is not an object",
                "make `definitions` an object of schemas",
            ));
        };
        for (key, value) in added {
            if defs.contains_key(&key) {
                return Err(Diagnostic::new(
                    &root.file,
                    Some(&root.text),
                    format!("/definitions/{}", escape_token(&key)),
                    format!("the definition name {key:?} is reserved for a bundled $ref target"),
                    "rename this definition",
                ));
            }
            defs.insert(key, value);
        }
    }
    Ok((out, origins))
}

fn rewrite_refs(
    value: &mut Value,
    file_rel: &str,
    root_rel: &str,
    queue: &mut Vec<Target>,
    depth: usize,
) {
    let ids = has_ids(value);
    rewrite_scoped(value, file_rel, root_rel, queue, depth, false, ids);
}

/// [`rewrite_refs`] below a place that is (`scoped`) or is not under a base-setting `$id`.
fn rewrite_scoped(
    value: &mut Value,
    file_rel: &str,
    root_rel: &str,
    queue: &mut Vec<Target>,
    depth: usize,
    scoped: bool,
    ids: bool,
) {
    if depth > 256 {
        return;
    }
    match value {
        Value::Object(obj) => {
            let scoped = scoped || sets_base(obj);
            let file_ref = match obj.get("$ref") {
                Some(Value::String(reference)) => {
                    (ref_kind(reference, scoped, ids) == RefKind::File).then(|| reference.clone())
                }
                _ => None,
            };
            if let Some(reference) = file_ref {
                if let Ok(target) = resolve_ref(file_rel, &reference) {
                    let new_ref = if target.rel == root_rel {
                        fragment_ref(&target.pointer)
                    } else {
                        let key = bundle_key(&target);
                        queue.push(target);
                        fragment_ref(&format!("/definitions/{}", escape_token(&key)))
                    };
                    obj.insert("$ref".to_owned(), Value::String(new_ref));
                }
            }
            for (key, child) in obj.iter_mut() {
                if matches!(key.as_str(), "enum" | "const" | "default" | "examples") {
                    continue;
                }
                rewrite_scoped(child, file_rel, root_rel, queue, depth + 1, scoped, ids);
            }
        }
        Value::Array(items) => {
            for child in items {
                rewrite_scoped(child, file_rel, root_rel, queue, depth + 1, scoped, ids);
            }
        }
        _ => {}
    }
}

/// Follows `$ref`s (local, in a bundled schema) until a schema without one.
pub fn deref<'a>(root: &'a Value, mut schema: &'a Value) -> &'a Value {
    for _ in 0..64 {
        match schema.get("$ref").and_then(Value::as_str) {
            Some(r) => match r.strip_prefix('#').and_then(|p| {
                percent_decode(p)
                    .ok()
                    .and_then(|p| root.pointer(&p).map(|v| (v, p)))
            }) {
                Some((target, _)) => schema = target,
                None => return schema,
            },
            None => return schema,
        }
    }
    schema
}

/// A `$ref` chain that comes back to where it started constrains nothing and would make
/// a naive resolver loop forever: reject it, naming where it was written.
fn check_ref_cycles(
    p: &Parsed,
    bundled: &Value,
    origins: &BTreeMap<String, Origin>,
    parsed: &BTreeMap<String, Parsed>,
    diags: &mut Vec<Diagnostic>,
) {
    let mut reported = BTreeSet::new();
    // Under a `$id`, `#/...` is read against that resource, not the document: the run-time
    // check, which the generator compiles every schema with, finds cycles there.
    visit_scoped(bundled, "", 0, false, &mut |pointer, obj, scoped| {
        if scoped {
            return;
        }
        let Some(Value::String(start)) = obj.get("$ref") else {
            return;
        };
        let mut seen = BTreeSet::new();
        let mut current = start.clone();
        let mut chain = vec![pointer.to_owned()];
        loop {
            let Some(target_ptr) = current
                .strip_prefix('#')
                .and_then(|f| percent_decode(f).ok())
            else {
                return;
            };
            if !seen.insert(target_ptr.clone()) {
                break;
            }
            let Some(next) = bundled
                .pointer(&target_ptr)
                .and_then(|t| t.get("$ref"))
                .and_then(Value::as_str)
            else {
                return;
            };
            chain.push(target_ptr);
            current = next.to_owned();
        }
        if !reported.insert(chain.iter().min().cloned().unwrap_or_default()) {
            return;
        }
        // Report it where it was written: the root file, or the shared file it came from.
        let at = format!("{pointer}/$ref");
        let tokens = pointer_tokens(pointer);
        let (file, text, inner) = match tokens.as_slice() {
            [defs, key, rest @ ..] if defs == "definitions" && origins.contains_key(key) => {
                let origin = &origins[key];
                let shared = &parsed[&origin.rel];
                let rest: String = rest
                    .iter()
                    .map(|t| format!("/{}", escape_token(t)))
                    .collect();
                (
                    shared.file.clone(),
                    shared.text.as_str(),
                    format!("{}{rest}/$ref", origin.pointer),
                )
            }
            _ => (p.file.clone(), p.text.as_str(), at),
        };
        diags.push(Diagnostic::new(
            file,
            Some(text),
            inner,
            format!(
                "this $ref chain loops back to itself ({}), so it constrains nothing",
                chain.join(" -> ")
            ),
            "point the $ref at a schema that is not itself a reference back here",
        ));
    });
}

#[allow(clippy::too_many_arguments)]
fn check_names(
    name: &str,
    dir: &str,
    version: &Version,
    p: &Parsed,
    bundled: &Value,
    options: &LoadOptions,
    diags: &mut Vec<Diagnostic>,
) {
    let text = Some(p.text.as_str());
    let disc_ptr = format!("/properties/{}", escape_token(&options.discriminator));
    let Some(disc) = bundled.pointer(&disc_ptr) else {
        diags.push(Diagnostic::new(
            &p.file,
            text,
            "/properties",
            format!("the schema has no {:?} property", options.discriminator),
            format!(
                "add \"{}\": {{\"type\": \"string\", \"enum\": [\"{name}\"]}} to properties",
                options.discriminator
            ),
        ));
        return;
    };
    let disc = deref(bundled, disc);
    let values: Option<Vec<&str>> = match (disc.get("enum"), disc.get("const")) {
        (Some(Value::Array(items)), _) => items.iter().map(Value::as_str).collect(),
        (None, Some(Value::String(s))) => Some(vec![s.as_str()]),
        _ => None,
    };
    match values {
        Some(values) if values == [name] => {}
        Some(values) => {
            let hint = match values.as_slice() {
                [one] => format!(
                    "the folder {dir}/ says the event is {name:?}: fix the enum, or rename the folder to {}/",
                    dir_from_event_name(one)
                ),
                _ => format!("an event schema's {:?} enum holds exactly its own name, {name:?}", options.discriminator),
            };
            diags.push(Diagnostic::new(
                &p.file,
                text,
                format!("{disc_ptr}/enum"),
                format!(
                    "the folder {dir}/ means event type {name:?}, but the schema's {:?} allows {values:?}",
                    options.discriminator
                ),
                hint,
            ))
        }
        None => diags.push(Diagnostic::new(
            &p.file,
            text,
            &disc_ptr,
            format!(
                "{:?} must be a string with a one-value enum naming the event",
                options.discriminator
            ),
            format!("write \"enum\": [\"{name}\"]"),
        )),
    }
    if !bundled
        .get("required")
        .and_then(Value::as_array)
        .is_some_and(|r| {
            r.iter()
                .any(|x| x.as_str() == Some(options.discriminator.as_str()))
                && r.iter()
                    .any(|x| x.as_str() == Some(options.version_property.as_str()))
        })
    {
        diags.push(Diagnostic::new(
            &p.file,
            text,
            "/required",
            format!(
                "{:?} and {:?} must both be required",
                options.discriminator, options.version_property
            ),
            "list both in the top-level `required`",
        ));
    }
    let ver_ptr = format!("/properties/{}", escape_token(&options.version_property));
    let Some(ver) = bundled.pointer(&ver_ptr) else {
        diags.push(Diagnostic::new(
            &p.file,
            text,
            "/properties",
            format!("the schema has no {:?} property", options.version_property),
            "add the shared version property: {\"$ref\": \"../common/envelope.json#/definitions/version\"}",
        ));
        return;
    };
    let ver = deref(bundled, ver);
    let version_text = version.to_string();
    let allowed = match (ver.get("const"), ver.get("enum"), ver.get("pattern")) {
        (Some(c), _, _) => c.as_str() == Some(version_text.as_str()),
        (_, Some(Value::Array(items)), _) => items
            .iter()
            .any(|x| x.as_str() == Some(version_text.as_str())),
        (_, _, Some(Value::String(pattern))) => regress::Regex::new(pattern)
            .map(|re| re.find(&version_text).is_some())
            .unwrap_or(false),
        _ => true,
    };
    if !allowed {
        diags.push(Diagnostic::new(
            &p.file,
            text,
            &ver_ptr,
            format!(
                "the file name says version {version_text}, which the schema's {:?} property does not allow",
                options.version_property
            ),
            "rename the file to the version the schema describes, or fix the version property",
        ));
    }
}

fn check_examples(
    ev: &EventVersion,
    name: &str,
    options: &LoadOptions,
    parsed: &BTreeMap<String, Parsed>,
    diags: &mut Vec<Diagnostic>,
) {
    let validator = match compile_validator(&ev.bundled) {
        Ok(v) => v,
        Err(e) => {
            diags.push(Diagnostic::new(
                &ev.file,
                Some(&ev.text),
                "",
                format!("the schema does not compile: {e}"),
                "fix the schema",
            ));
            return;
        }
    };
    for ex in &ev.examples {
        let ex_text = parsed
            .values()
            .find(|p| p.file == ex.file)
            .map(|p| p.text.as_str());
        let errors: Vec<_> = validator.iter_errors(&ex.event).collect();
        if ex.valid {
            for error in &errors {
                diags.push(Diagnostic::new(
                    &ex.file,
                    ex_text,
                    error.instance_path().as_str(),
                    format!(
                        "this example must be valid under {} but is not: {error}",
                        ev.file
                    ),
                    "fix the example, or move it to invalid/ if it shows a rejected event",
                ));
            }
            if errors.is_empty() {
                let declared_type = ex.event.get(&options.discriminator).and_then(Value::as_str);
                let declared_version = ex
                    .event
                    .get(&options.version_property)
                    .and_then(Value::as_str)
                    .and_then(parse_plain_version);
                if declared_type != Some(name) {
                    diags.push(Diagnostic::new(
                        &ex.file,
                        ex_text,
                        format!("/{}", escape_token(&options.discriminator)),
                        format!("a valid example of {name} must say {name:?}"),
                        "fix the example's event type",
                    ));
                }
                match declared_version {
                    Some(v) if v.major == ev.version.major && v.minor == ev.version.minor => {}
                    _ => diags.push(Diagnostic::new(
                        &ex.file,
                        ex_text,
                        format!("/{}", escape_token(&options.version_property)),
                        format!(
                            "a valid example of {} {} must declare version {}.{}.x",
                            name, ev.version, ev.version.major, ev.version.minor
                        ),
                        "fix the example's version",
                    )),
                }
            }
        } else if errors.is_empty() {
            diags.push(Diagnostic::new(
                &ex.file,
                ex_text,
                "",
                format!("this example must be rejected by {} but is valid", ev.file),
                "fix the example so it breaks a rule, or move it to valid/",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        assert_eq!(event_name_from_dir("product-created"), "ProductCreated");
        assert_eq!(event_name_from_dir("low-stock-warning"), "LowStockWarning");
        assert_eq!(dir_from_event_name("LowStockWarning"), "low-stock-warning");
        assert!(is_kebab("low-stock-warning"));
        assert!(!is_kebab("Low-stock"));
        assert!(!is_kebab("low--stock"));
    }

    #[test]
    fn refs_resolve_inside_the_folder_only() {
        let t = resolve_ref("a/1.0.0.json", "../common/e.json#/definitions/x").unwrap();
        assert_eq!(t.rel, "common/e.json");
        assert_eq!(t.pointer, "/definitions/x");
        assert_eq!(
            resolve_ref("a/1.0.0.json", "#/definitions/y").unwrap().rel,
            "a/1.0.0.json"
        );
        assert!(resolve_ref("a/1.0.0.json", "../../x.json")
            .unwrap_err()
            .contains("outside"));
        assert!(resolve_ref("a/1.0.0.json", "http://example.com/s.json")
            .unwrap_err()
            .contains("network"));
        assert!(resolve_ref("a/1.0.0.json", "/etc/passwd")
            .unwrap_err()
            .contains("absolute"));
        assert!(resolve_ref("a/1.0.0.json", "#foo")
            .unwrap_err()
            .contains("plain-name"));
    }

    #[test]
    fn bundle_keys_are_readable() {
        let t = Target {
            rel: "common/envelope.json".into(),
            pointer: "/definitions/metadata".into(),
        };
        assert_eq!(bundle_key(&t), "common.envelope.metadata");
    }
}
