//! `cargo xtask fuzz --time <seconds>`: runs every cargo-fuzz target in `fuzz/` for that
//! long and prints, per target, the executions, executions per second, corpus size and
//! crashes. Corpora start from the schemas' examples; crashes stay in
//! `fuzz/artifacts/<target>/` for `cargo fuzz run <target> <file>` to reproduce.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

use anyhow::{bail, Context as _};

/// The targets, in the order they run (see `fuzz/fuzz_targets/`).
const TARGETS: &[&str] = &[
    "decode_bytes",
    "mutated_events",
    "compat_pairs",
    "upcast_round_trip",
];

/// Arguments of `cargo xtask fuzz`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Seconds to run each target.
    #[arg(long, default_value_t = 60)]
    time: u64,
    /// Run only this target.
    #[arg(long)]
    target: Option<String>,
}

/// What one run of one target did.
struct Figures {
    target: &'static str,
    executions: u64,
    per_second: u64,
    corpus: usize,
    crashes: usize,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .context("xtask lives inside the workspace")?
        .to_path_buf();
    let fuzz = root.join("fuzz");
    let targets: Vec<&'static str> = match &args.target {
        Some(name) => match TARGETS.iter().find(|t| *t == name) {
            Some(t) => vec![*t],
            None => bail!(
                "no fuzz target {name:?}; the targets are {}",
                TARGETS.join(", ")
            ),
        },
        None => TARGETS.to_vec(),
    };
    require_cargo_fuzz()?;
    let mut all = Vec::new();
    for target in targets {
        let corpus = fuzz.join("corpus").join(target);
        seed(&root, target, &corpus)?;
        println!("==> {target}: {} s", args.time);
        let output = Command::new("cargo")
            .current_dir(&fuzz)
            // cargo-fuzz passes nightly-only sanitizer flags; on a stable toolchain this
            // lets rustc accept them, and it changes nothing on nightly.
            .env("RUSTC_BOOTSTRAP", "1")
            .args(["fuzz", "run", target])
            .arg(&corpus)
            .args([
                "--",
                &format!("-max_total_time={}", args.time),
                "-print_final_stats=1",
            ])
            .stdout(Stdio::inherit())
            .stderr(Stdio::piped())
            .output()
            .with_context(|| {
                format!("cannot run `cargo fuzz`; install it with `{INSTALL_CARGO_FUZZ}`")
            })?;
        let log = String::from_utf8_lossy(&output.stderr);
        let stat = |name: &str| -> u64 {
            log.lines()
                .rev()
                .filter_map(|l| l.strip_prefix(&format!("stat::{name}:")))
                .find_map(|v| v.trim().parse().ok())
                .unwrap_or(0)
        };
        let figures = Figures {
            target,
            executions: stat("number_of_executed_units"),
            per_second: stat("average_exec_per_sec"),
            corpus: count_files(&corpus, |_| true),
            crashes: count_files(&fuzz.join("artifacts").join(target), |name| {
                ["crash-", "leak-", "timeout-", "oom-"]
                    .iter()
                    .any(|p| name.starts_with(p))
            }),
        };
        if !output.status.success() {
            // libFuzzer's report of the failing input and its stack.
            eprintln!("{log}");
            if figures.crashes == 0 {
                // Not a finding: the build or cargo-fuzz itself failed.
                anyhow::bail!("`cargo fuzz run {target}` failed ({}) without a crash artifact; its output is above", output.status);
            }
        }
        println!(
            "{target}: {} executions, {} exec/s, corpus {}, crashes {}",
            figures.executions, figures.per_second, figures.corpus, figures.crashes
        );
        all.push(figures);
    }
    println!("\n| target | executions | exec/s | corpus | crashes |\n|---|---:|---:|---:|---:|");
    for f in &all {
        println!(
            "| {} | {} | {} | {} | {} |",
            f.target, f.executions, f.per_second, f.corpus, f.crashes
        );
    }
    Ok(if all.iter().any(|f| f.crashes > 0) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The command that installs the cargo-fuzz this project's runs were made with.
const INSTALL_CARGO_FUZZ: &str = "cargo install --locked cargo-fuzz@0.13.2";

/// Fails with how to install cargo-fuzz when `cargo fuzz` is not there, instead of
/// cargo's "no such command: fuzz" for every target.
fn require_cargo_fuzz() -> anyhow::Result<()> {
    let probe = Command::new("cargo")
        .args(["fuzz", "--version"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .context("cannot run cargo")?;
    if !probe.success() {
        bail!(
            "cargo-fuzz is not installed (`cargo fuzz --version` failed); install it with \
             `{INSTALL_CARGO_FUZZ}` (it runs on the stable toolchain: this command sets \
             RUSTC_BOOTSTRAP=1 for its sanitizer flags), then run `cargo xtask fuzz` again"
        );
    }
    Ok(())
}

/// Seeds an empty corpus from the schemas' examples, so fuzzing starts from real events.
fn seed(root: &Path, target: &str, corpus: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(corpus)
        .with_context(|| format!("cannot create {}", corpus.display()))?;
    if count_files(corpus, |_| true) > 0 {
        return Ok(());
    }
    match target {
        // Its input is a seed index and edit operations, not an event.
        "mutated_events" => {
            for index in 0u8..8 {
                std::fs::write(corpus.join(format!("seed-{index}")), [index])?;
            }
        }
        // Schemas are generated from the bytes; libFuzzer starts from nothing.
        "compat_pairs" => {}
        _ => {
            for (n, example) in examples(&root.join("schemas"))?.iter().enumerate() {
                std::fs::copy(example, corpus.join(format!("example-{n}.json")))
                    .with_context(|| format!("cannot copy {}", example.display()))?;
            }
        }
    }
    Ok(())
}

/// Every example event under `schemas/*/examples/`, valid and invalid.
fn examples(schemas: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut stack = vec![schemas.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in
            std::fs::read_dir(&dir).with_context(|| format!("cannot read {}", dir.display()))?
        {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "json")
                && path.components().any(|c| c.as_os_str() == "examples")
            {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}

fn count_files(dir: &Path, keep: impl Fn(&str) -> bool) -> usize {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| e.file_name().to_str().is_some_and(&keep))
                .count()
        })
        .unwrap_or(0)
}
