//! The generator on schemas nobody on this project wrote: every schema of
//! `tests/real-world/` (public webhook, protocol and telemetry schemas, see its
//! `SOURCES.md`), made the payload of an event (`wrap::event_around`), generated with the
//! real generator, and, beside it, given to typify 0.8, the baseline a team would otherwise
//! use. The figures are asserted exactly, so that a schema the generator starts refusing,
//! or one typify is found to take after all, fails this test and the figures in
//! `docs/RELIABILITY.md` get updated with it.
//!
//! The compiled types are held to the oracle on the corpus's example payloads in
//! `tests/schema-suite` (tests/real_world.rs there); here it is generation itself.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use event_contracts_codegen::wrap::{event_around, Envelope};
use event_contracts_codegen::Config;
use serde_json::Value;

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/real-world")
}

/// Every corpus schema, by its path under `tests/real-world/`, from `manifest.json`.
fn corpus() -> BTreeMap<String, Value> {
    let dir = corpus_dir();
    let manifest: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("manifest.json"))
            .expect("tests/real-world/manifest.json"),
    )
    .expect("the manifest is JSON");
    manifest
        .as_object()
        .expect("the manifest maps schema paths to their records")
        .keys()
        .map(|rel| {
            let text =
                std::fs::read_to_string(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
            let schema = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{rel}: {e}"));
            (rel.clone(), schema)
        })
        .collect()
}

/// The event type a corpus path becomes: `octokit-webhooks/pull-request.schema.json` is
/// `OctokitWebhooksPullRequest`.
fn event_type(rel: &str) -> String {
    rel.trim_end_matches(".schema.json")
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// What our generator makes of one schema: `Ok(lines of Rust)` or the error it reports.
fn generate(rel: &str, schema: &Value) -> Result<usize, String> {
    let folder = tempfile::tempdir().map_err(|e| e.to_string())?;
    let name = event_type(rel);
    let event = event_around(
        schema,
        Envelope {
            event_type: &name,
            discriminator: "kind",
            version_property: "version",
            payload: "data",
        },
    );
    // The folder is the event type in kebab case, as the loader requires.
    let kebab: String = rel
        .trim_end_matches(".schema.json")
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
        .to_ascii_lowercase();
    let dir = folder.path().join(kebab);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    std::fs::write(
        dir.join("1.0.0.json"),
        serde_json::to_string_pretty(&event).map_err(|e| e.to_string())?,
    )
    .map_err(|e| e.to_string())?;
    let generated = Config::new(folder.path())
        .discriminator("kind")
        .generate()
        .map_err(|e| e.to_string())?;
    Ok(generated.code.lines().count())
}

/// What typify 0.8 makes of one schema: `Ok(lines of Rust)`, or why it made nothing (its
/// error, or its panic: typify panics on some schemas).
fn typify(schema: &Value) -> Result<usize, String> {
    let root: schemars::schema::RootSchema =
        serde_json::from_value(schema.clone()).map_err(|e| format!("schemars: {e}"))?;
    let outcome = std::panic::catch_unwind(|| {
        let mut settings = typify::TypeSpaceSettings::default();
        settings.with_struct_builder(true);
        let mut space = typify::TypeSpace::new(&settings);
        space
            .add_root_schema(root)
            .map_err(|e| format!("typify: {e}"))?;
        let file: syn::File =
            syn::parse2(space.to_stream()).map_err(|e| format!("typify's output: {e}"))?;
        Ok(prettyplease::unparse(&file).lines().count())
    });
    match outcome {
        Ok(result) => result,
        Err(panic) => Err(format!(
            "typify panicked: {}",
            panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default()
        )),
    }
}

#[test]
fn every_real_world_schema_generates_and_typify_is_the_baseline() {
    let corpus = corpus();
    assert_eq!(corpus.len(), 60, "tests/real-world holds 60 schemas");
    // typify's panics are counted, not printed over the test's output.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let mut ours_refused = Vec::new();
    let mut typify_refused = Vec::new();
    let mut rows = Vec::new();
    for (rel, schema) in &corpus {
        let ours = generate(rel, schema);
        let theirs = typify(schema);
        if let Err(e) = &ours {
            ours_refused.push(format!("{rel}: {e}"));
        }
        if let Err(e) = &theirs {
            typify_refused.push(format!("{rel}: {e}"));
        }
        rows.push(format!(
            "{rel}: ours {} lines, typify {}",
            ours.as_ref()
                .map_or("refused".to_owned(), |n| n.to_string()),
            theirs
                .as_ref()
                .map_or_else(|e| format!("refused ({e})"), |n| format!("{n} lines"))
        ));
    }
    std::panic::set_hook(hook);
    println!("{}", rows.join("\n"));
    println!(
        "ours: {} of {} generated; typify 0.8: {} of {}",
        corpus.len() - ours_refused.len(),
        corpus.len(),
        corpus.len() - typify_refused.len(),
        corpus.len()
    );
    assert!(
        ours_refused.is_empty(),
        "the generator refused {} real-world schemas:\n{}",
        ours_refused.len(),
        ours_refused.join("\n")
    );
    let refused: Vec<&str> = typify_refused
        .iter()
        .map(|line| line.split_once(':').map_or(line.as_str(), |(rel, _)| rel))
        .collect();
    assert_eq!(
        refused,
        TYPIFY_REFUSES,
        "typify 0.8's refusals changed (update TYPIFY_REFUSES and docs/RELIABILITY.md):\n{}",
        typify_refused.join("\n")
    );
}

/// The schemas typify 0.8 makes no types for (docs/RELIABILITY.md): it panics on both,
/// with "if/then/else schemas are not supported" on the first and an `unwrap()` of `None`
/// on the second.
const TYPIFY_REFUSES: &[&str] = &[
    "jupyter-server/kernel-actions.schema.json",
    "sentry/event.schema.json",
];
