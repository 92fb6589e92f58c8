//! `cargo xtask regen [--check]`: rewrites every checked-in file derived from the schemas.
//!
//! - `codegen/tests/snapshots/generated_code__*.snap`: the generated Rust of every version
//!   (written by running the snapshot test with `INSTA_UPDATE=always`, so insta owns the format);
//! - `docs/EVENTS.md`: the event catalog;
//! - `docs/COMPAT.md`: the compatibility rules, from the engine's catalog.
//!
//! `--check` writes nothing and exits 1 naming every stale file, the way CI runs it.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{bail, Context};
use event_contracts_codegen::{catalog, model, routing, Config};
use event_contracts_compat as compat;

/// Options of `cargo xtask regen`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Change nothing; exit 1 naming every stale file.
    #[arg(long)]
    pub check: bool,
}

/// The workspace root (xtask lives one level below it).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// The generator configuration the build script uses.
pub fn config(root: &Path) -> Config {
    Config::new(root.join("schemas"))
        .event_enum("ProductEvent")
        .derive_contract(true)
}

/// A derived file and its expected contents.
struct Derived {
    path: PathBuf,
    contents: String,
}

fn derived_files(root: &Path) -> anyhow::Result<Vec<Derived>> {
    let generated = config(root)
        .generate()
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let model = &generated.model;
    // Each event's queues, from the routing contract, under its heading in the catalog.
    let notes = |event: &str| -> Vec<String> {
        let Some(routing) = &generated.routing else {
            return Vec::new();
        };
        let latest = model
            .events
            .iter()
            .find(|e| e.name == event)
            .and_then(|e| e.versions.last())
            .map(|v| v.version.to_string())
            .unwrap_or_default();
        vec![format!(
            "Delivered to: {}.\n",
            routing::markdown_queues_for(routing, event, &latest)
        )]
    };
    Ok(vec![
        Derived {
            path: root.join("docs/EVENTS.md"),
            contents: catalog::render(model, &notes),
        },
        Derived {
            path: root.join("docs/COMPAT.md"),
            contents: compat::catalog_markdown(),
        },
    ])
}

/// The snapshot files the generated-code test writes for the current schemas.
fn expected_snapshots(root: &Path) -> anyhow::Result<Vec<String>> {
    let config = config(root);
    let set = config.load().map_err(|e| anyhow::anyhow!("{e}"))?;
    let model = model::build(&set).map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut names = vec!["generated_code__common.snap".to_owned()];
    for event in &model.events {
        for version in &event.versions {
            names.push(format!(
                "generated_code__{}_{}.snap",
                event.module, version.module
            ));
        }
    }
    Ok(names)
}

fn snapshot_dir(root: &Path) -> PathBuf {
    root.join("codegen/tests/snapshots")
}

fn stale_snapshots(root: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let expected = expected_snapshots(root)?;
    let dir = snapshot_dir(root);
    let mut stale = Vec::new();
    for entry in std::fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name.starts_with("generated_code__") && !expected.contains(&name) {
            stale.push(path);
        }
    }
    Ok(stale)
}

fn run_snapshot_test(root: &Path, update: bool) -> anyhow::Result<bool> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(root).args([
        "test",
        "--quiet",
        "-p",
        "event-contracts-codegen",
        "--test",
        "generated_code",
    ]);
    if update {
        cmd.env("INSTA_UPDATE", "always")
            .env("INSTA_FORCE_PASS", "1");
    } else {
        cmd.env("INSTA_UPDATE", "no").env_remove("INSTA_FORCE_PASS");
    }
    let status = cmd
        .status()
        .context("running the generated-code snapshot test")?;
    Ok(status.success())
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let root = workspace_root();
    let mut stale: Vec<String> = Vec::new();
    for file in derived_files(&root)? {
        let current = std::fs::read_to_string(&file.path).unwrap_or_default();
        if current == file.contents {
            continue;
        }
        let shown = file
            .path
            .strip_prefix(&root)
            .unwrap_or(&file.path)
            .display()
            .to_string();
        if args.check {
            stale.push(shown);
        } else {
            if let Some(parent) = file.path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&file.path, &file.contents)
                .with_context(|| format!("writing {shown}"))?;
            println!("wrote {shown}");
        }
    }
    for path in stale_snapshots(&root)? {
        let shown = path
            .strip_prefix(&root)
            .unwrap_or(&path)
            .display()
            .to_string();
        if args.check {
            stale.push(format!("{shown} (no longer matches a schema version)"));
        } else {
            std::fs::remove_file(&path).with_context(|| format!("removing {shown}"))?;
            println!("removed {shown}");
        }
    }
    if args.check {
        if !run_snapshot_test(&root, false)? {
            stale.push(
                "codegen/tests/snapshots/generated_code__*.snap (see the diff above)".to_owned(),
            );
        }
        if stale.is_empty() {
            println!("regen --check: every derived file is up to date");
            return Ok(ExitCode::SUCCESS);
        }
        for s in &stale {
            eprintln!("{s} was not up to date, run `cargo xtask regen`");
        }
        return Ok(ExitCode::from(1));
    }
    if !run_snapshot_test(&root, true)? {
        bail!("the generated-code snapshot test failed even in update mode");
    }
    println!("snapshots of the generated code are up to date");
    Ok(ExitCode::SUCCESS)
}
