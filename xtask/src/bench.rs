//! `cargo xtask bench`: the decode benchmarks, `contracts validate` and ajv on one corpus
//! per benchmarked crate, printed as one table per corpus.
//!
//! The criterion bench (`bench/benches/decode.rs`) generates each suite's corpus and writes
//! it, with the bundled schemas and the events each row accepted, to
//! `target/bench-corpus/<group>/`; the rows measured outside criterion read those very
//! files, so every row sees the same bytes.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

/// Benchmark options.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Also time a clean build of event-contracts, a rebuild after touching one schema and
    /// a no-op rebuild (dev profile).
    #[arg(long)]
    build_times: bool,
    /// Read the last criterion estimates instead of running the benches again.
    #[arg(long)]
    no_run: bool,
    /// Also run `contracts validate` on a file of this many MB (the corpus repeated) and
    /// report its peak RSS; 0 skips it.
    #[arg(long, value_name = "MB", default_value_t = 0)]
    memory_mb: u64,
}

/// The criterion rows, in table order: (criterion id, label).
const CRITERION_ROWS: &[(&str, &str)] = &[
    (
        "a_simd_json_tape",
        "ceiling: simd-json tape (parse only, on a copy)",
    ),
    ("a_value", "(a) serde_json::from_slice::<Value>"),
    (
        "b_typed_floor",
        "(b) the floor: plain structs, one read, nothing checked",
    ),
    (
        "b_typed_read_once",
        "(b1) the floor's read alone (struct known before timing)",
    ),
    (
        "t_typify",
        "(t) typify 0.8's types, from_slice (picked by type and version)",
    ),
    (
        "c_generic",
        "(c) Value + jsonschema (formats as the oracle) + from_value",
    ),
    (
        "c_generic_all_errors",
        "(c') the same, collecting every violation, as (d)",
    ),
    ("d_decode", "(d) decode"),
];

/// The suite whose corpus `contracts validate` (row (e)) and the memory run read: the
/// product's, the one the CLI is built for.
const PRODUCT_GROUP: &str = "decode";

/// The ajv and ajv-formats releases the ajv row installs: pinned so figures compare.
const AJV_VERSION: &str = "8.17.1";
const AJV_FORMATS_VERSION: &str = "3.0.1";

/// Passes over the corpus for the rows timed here; the fastest pass is reported, as the
/// one least disturbed by other work on a shared machine.
const PASSES: usize = 3;

struct Row {
    /// The criterion id, or a short name for the rows timed here.
    id: String,
    label: String,
    /// Nanoseconds for one pass over the whole corpus.
    pass_ns: f64,
    /// How many of the corpus' events the row accepted, when known.
    accepted: Option<u64>,
}

/// The ratios issue 16 sets for (d), each against another row of the same run:
/// (row id, what it is, the least ratio of throughputs).
const TARGETS: &[(&str, &str, f64)] = &[
    ("t_typify", "(t) typify's types", 0.9),
    ("b_typed_read_once", "(b1) the floor's read alone", 0.75),
    (
        "c_generic_all_errors",
        "(c') jsonschema, every violation",
        2.5,
    ),
    ("ajv_all", "ajv, allErrors", 1.8),
];

pub fn run(args: Args) -> Result<std::process::ExitCode> {
    let root = workspace_root()?;
    if !args.no_run {
        let status = Command::new(cargo())
            .current_dir(&root)
            .args([
                "bench",
                "-p",
                "event-contracts-bench",
                "--bench",
                "decode",
                "--",
            ])
            // Ten seconds a row: on a shared 2-core machine a 3-second row moved by tens of
            // percent between runs.
            .args([
                "--warm-up-time",
                "2",
                "--measurement-time",
                "10",
                "--noplot",
            ])
            .status()
            .context("running cargo bench")?;
        if !status.success() {
            bail!("cargo bench -p event-contracts-bench --bench decode failed: {status}");
        }
    }
    let corpora = root.join("target/bench-corpus");
    let mut groups: Vec<String> = std::fs::read_dir(&corpora)
        .with_context(|| {
            format!(
                "reading {} (written by the decode bench; run without --no-run)",
                corpora.display()
            )
        })?
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.path().join("events.jsonl").is_file())
        .filter_map(|entry| entry.file_name().into_string().ok())
        .collect();
    // The product's suite first, the others by name.
    groups.sort_by_key(|g| (g != PRODUCT_GROUP, g.clone()));
    if groups.is_empty() {
        bail!("no corpus under {}", corpora.display());
    }
    for group in &groups {
        let text = report_group(&root, group)?;
        if group == PRODUCT_GROUP && args.memory_mb > 0 {
            memory(&root, &text, args.memory_mb)?;
        }
    }
    println!();
    println!("Machine: {} cores, {}", nproc(), cpu_model());

    if args.build_times {
        build_times(&root)?;
    }
    Ok(std::process::ExitCode::SUCCESS)
}

/// Prints one suite's table and (d)'s ratios against the targets; returns the corpus text.
fn report_group(root: &Path, group: &str) -> Result<Vec<u8>> {
    let corpus_dir = root.join("target/bench-corpus").join(group);
    let corpus = corpus_dir.join("events.jsonl");
    let text = std::fs::read(&corpus)
        .with_context(|| format!("reading {} (written by the decode bench)", corpus.display()))?;
    let events = text.iter().filter(|&&b| b == b'\n').count();
    let bytes = text.len() - events;
    let accepted_path = corpus_dir.join("accepted.json");
    let accepted: serde_json::Value = std::fs::read(&accepted_path)
        .ok()
        .and_then(|t| serde_json::from_slice(&t).ok())
        .unwrap_or_default();
    let about_path = corpus_dir.join("suite.json");
    let about: serde_json::Value = std::fs::read(&about_path)
        .ok()
        .and_then(|t| serde_json::from_slice(&t).ok())
        .with_context(|| {
            format!(
                "reading {} (written by the decode bench)",
                about_path.display()
            )
        })?;
    let discriminator = about["discriminator"].as_str().unwrap_or("eventType");
    let version_property = about["version"].as_str().unwrap_or("version");
    let typify_refused: Vec<&str> = about["typifyRefused"]
        .as_array()
        .map(|all| all.iter().filter_map(|r| r.as_str()).collect())
        .unwrap_or_default();

    let mut rows = Vec::new();
    for (id, label) in CRITERION_ROWS {
        rows.push(Row {
            id: (*id).to_owned(),
            label: (*label).to_owned(),
            pass_ns: criterion_median_ns(root, group, id)?,
            accepted: accepted[*id].as_u64(),
        });
    }
    if group == PRODUCT_GROUP {
        let (pass_ns, valid) = time_validate(root, &corpus)?;
        rows.push(Row {
            id: "e_validate".to_owned(),
            label: "(e) contracts validate, end to end on the file".to_owned(),
            pass_ns,
            accepted: valid,
        });
    }
    // ajv as configured by default (it stops at an event's first violation), then with
    // `allErrors`, which reports every violation as `decode` does.
    for all_errors in [false, true] {
        match ajv_pass(root, &corpus_dir, (discriminator, version_property), all_errors)? {
            Some((pass_ns, valid)) => rows.push(Row {
                id: if all_errors { "ajv_all" } else { "ajv" }.to_owned(),
                label: if all_errors {
                    format!("ajv {AJV_VERSION} + ajv-formats, allErrors: every violation, as (d)")
                } else {
                    format!(
                        "ajv {AJV_VERSION} + ajv-formats {AJV_FORMATS_VERSION}: JSON.parse + validate"
                    )
                },
                pass_ns,
                accepted: Some(valid),
            }),
            None => {
                println!("node is not installed: the ajv rows are left out");
                break;
            }
        }
    }

    let pass_of = |id: &str| rows.iter().find(|r| r.id == id).map(|r| r.pass_ns);
    let floor = pass_of("b_typed_floor").context("no floor row")?;
    let decode = pass_of("d_decode").context("no decode row")?;
    println!();
    println!(
        "Suite `{group}`: {events} events, {bytes} bytes ({} bytes per event on average), {}",
        bytes / events.max(1),
        corpus.strip_prefix(root).unwrap_or(&corpus).display()
    );
    println!();
    println!("| Row | accepted | events/s | MB/s | ns/event | throughput vs (b) |");
    println!("|---|---:|---:|---:|---:|---:|");
    for row in &rows {
        let seconds = row.pass_ns / 1e9;
        println!(
            "| {} | {} | {:.0} | {:.1} | {:.0} | {:.2}× |",
            row.label,
            row.accepted
                .map_or_else(|| "?".to_owned(), |n| n.to_string()),
            events as f64 / seconds,
            bytes as f64 / 1e6 / seconds,
            row.pass_ns / events as f64,
            floor / row.pass_ns,
        );
    }
    println!();
    println!("| (d) against | ratio | target |");
    println!("|---|---:|---:|");
    for (id, what, target) in TARGETS {
        if *id == "t_typify" && !typify_refused.is_empty() {
            println!(
                "| {what} | not comparable: typify refuses {} of the suite's schemas, whose events it rejects unread | ≥ {target}× |",
                typify_refused.len()
            );
            continue;
        }
        if let Some(pass_ns) = pass_of(id) {
            let ratio = pass_ns / decode;
            let verdict = if ratio >= *target { "met" } else { "not met" };
            println!("| {what} | {ratio:.2}× | ≥ {target}× ({verdict}) |");
        }
    }
    for refused in &typify_refused {
        println!("typify refuses {refused}");
    }
    Ok(text)
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

fn workspace_root() -> Result<PathBuf> {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest
        .parent()
        .map(Path::to_path_buf)
        .context("xtask has no parent directory")
}

/// The median time of one iteration (one pass over the corpus) from criterion's estimates:
/// the median, not the mean, so that a pass slowed by a neighbour does not move the row.
fn criterion_median_ns(root: &Path, group: &str, id: &str) -> Result<f64> {
    let path = root.join(format!("target/criterion/{group}/{id}/new/estimates.json"));
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("reading {} (run without --no-run)", path.display()))?;
    let estimates: serde_json::Value =
        serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
    estimates["median"]["point_estimate"]
        .as_f64()
        .with_context(|| format!("{}: no median.point_estimate", path.display()))
}

/// Times the release `contracts validate` binary on the corpus file, output discarded;
/// one more run, untimed, reads the valid count from its summary line.
fn time_validate(root: &Path, corpus: &Path) -> Result<(f64, Option<u64>)> {
    let status = Command::new(cargo())
        .current_dir(root)
        .args(["build", "--release", "-q", "-p", "event-contracts-cli"])
        .status()
        .context("building contracts")?;
    if !status.success() {
        bail!("building contracts failed: {status}");
    }
    let binary = root.join("target/release/contracts");
    let mut best = Duration::MAX;
    for _ in 0..PASSES {
        let start = Instant::now();
        let status = Command::new(&binary)
            .arg("validate")
            .arg(corpus)
            .stdout(std::process::Stdio::null())
            .status()
            .with_context(|| format!("running {}", binary.display()))?;
        let elapsed = start.elapsed();
        // Exit 1 means "some lines invalid", which the corpus is built to contain.
        if status.code() != Some(0) && status.code() != Some(1) {
            bail!("contracts validate failed: {status}");
        }
        best = best.min(elapsed);
    }
    let output = Command::new(&binary)
        .arg("validate")
        .arg(corpus)
        .output()
        .with_context(|| format!("running {}", binary.display()))?;
    // The summary, last: "N valid, M invalid (L lines)".
    let valid = String::from_utf8_lossy(&output.stdout)
        .lines()
        .last()
        .and_then(|line| line.split(" valid").next())
        .and_then(|n| n.trim().parse().ok());
    Ok((best.as_nanos() as f64, valid))
}

/// The ajv rows: installs pinned ajv and ajv-formats into a scratch directory and times one
/// pass of JSON.parse + validate over the corpus, with ajv's `allErrors` option as given.
/// Returns the best pass in nanoseconds and the events ajv accepted; `None` when node is
/// absent.
fn ajv_pass(
    root: &Path,
    corpus_dir: &Path,
    (discriminator, version): (&str, &str),
    all_errors: bool,
) -> Result<Option<(f64, u64)>> {
    if Command::new("node").arg("--version").output().is_err() {
        return Ok(None);
    }
    let scratch = root.join("target/bench-ajv");
    std::fs::create_dir_all(&scratch).with_context(|| format!("creating {}", scratch.display()))?;
    if !scratch.join("node_modules/ajv-formats").exists() {
        std::fs::write(scratch.join("package.json"), "{\"private\": true}\n")?;
        let status = Command::new("npm")
            .current_dir(&scratch)
            .args(["install", "--no-audit", "--no-fund", "--silent"])
            .arg(format!("ajv@{AJV_VERSION}"))
            .arg(format!("ajv-formats@{AJV_FORMATS_VERSION}"))
            .status()
            .context("running npm install")?;
        if !status.success() {
            bail!("npm install of ajv failed: {status}");
        }
    }
    let script = scratch.join("bench.js");
    std::fs::write(&script, AJV_SCRIPT)?;
    let output = Command::new("node")
        .current_dir(&scratch)
        .arg(&script)
        .arg(corpus_dir)
        .arg(PASSES.to_string())
        .arg(if all_errors { "all" } else { "first" })
        .args([discriminator, version])
        .output()
        .context("running node")?;
    if !output.status.success() {
        bail!(
            "the ajv bench failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let report: serde_json::Value = serde_json::from_str(stdout.trim())
        .with_context(|| format!("the ajv bench printed {stdout:?}"))?;
    let pass_ns = report["bestPassNs"]
        .as_f64()
        .context("the ajv bench printed no bestPassNs")?;
    let valid = report["valid"]
        .as_u64()
        .context("the ajv bench printed no valid count")?;
    Ok(Some((pass_ns, valid)))
}

/// Parses and validates each line as the seed's JavaScript services would: the schema is
/// chosen by the envelope's discriminator and version, and formats are checked
/// (ajv-formats; with `strict: false`, ajv ignores the formats ajv-formats lacks).
const AJV_SCRIPT: &str = r#"
const fs = require("fs");
const path = require("path");
const Ajv = require("ajv");
const addFormats = require("ajv-formats");
const [dir, passes, errors, discriminator, versionProperty] = [process.argv[2], Number(process.argv[3]), process.argv[4], process.argv[5], process.argv[6]];
const ajv = new Ajv({ allErrors: errors === "all", strict: false });
addFormats(ajv);
const validators = new Map();
for (const file of fs.readdirSync(path.join(dir, "schemas"))) {
  if (!file.endsWith(".json")) continue;
  validators.set(file.slice(0, -5), ajv.compile(JSON.parse(fs.readFileSync(path.join(dir, "schemas", file), "utf8"))));
}
const lines = fs.readFileSync(path.join(dir, "events.jsonl"), "utf8").split("\n").filter((l) => l.length > 0);
let best = Infinity;
let valid = 0;
let reported = 0;
for (let pass = 0; pass < passes + 1; pass++) {
  valid = 0;
  reported = 0;
  const start = process.hrtime.bigint();
  for (const line of lines) {
    let event;
    try { event = JSON.parse(line); } catch { continue; }
    const validate = validators.get(`${event[discriminator]}-${event[versionProperty]}`);
    if (validate && validate(event)) valid++;
    // ajv leaves the violations on the validator; count them as a consumer would read them.
    else if (validate) reported += validate.errors.length;
  }
  const ns = Number(process.hrtime.bigint() - start);
  // The first pass warms the JIT up and is not counted.
  if (pass > 0) best = Math.min(best, ns);
}
console.log(JSON.stringify({ bestPassNs: best, valid, reported }));
"#;

/// Writes the corpus repeated to `mb` megabytes and runs the release `contracts validate`
/// on it once, reporting the time and the child's peak resident set size.
fn memory(root: &Path, corpus: &[u8], mb: u64) -> Result<()> {
    let path = root.join(format!("target/bench-corpus/big-{mb}mb.jsonl"));
    // Beside the suites' folders, not in one: it is no suite's corpus.
    let want = mb * 1_000_000;
    if std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0) < want {
        let mut file = std::io::BufWriter::new(
            std::fs::File::create(&path).with_context(|| format!("creating {}", path.display()))?,
        );
        let mut written = 0u64;
        while written < want {
            std::io::Write::write_all(&mut file, corpus)?;
            written += corpus.len() as u64;
        }
        std::io::Write::flush(&mut file)?;
    }
    let size = std::fs::metadata(&path)?.len();
    let binary = root.join("target/release/contracts");
    let start = Instant::now();
    let child = Command::new(&binary)
        .arg("validate")
        .arg(&path)
        .stdout(std::process::Stdio::null())
        .spawn()
        .with_context(|| format!("running {}", binary.display()))?;
    let (code, peak_kb) = wait_with_peak_rss(child)?;
    let elapsed = start.elapsed();
    if code != 0 && code != 1 {
        bail!("contracts validate failed: exit status {code}");
    }
    println!();
    println!(
        "Memory: `contracts validate {}` ({:.0} MB): {:.1} s, {:.0} MB/s, peak RSS {:.1} MB (VmHWM, sampled every 10 ms)",
        path.strip_prefix(root).unwrap_or(&path).display(),
        size as f64 / 1e6,
        elapsed.as_secs_f64(),
        size as f64 / 1e6 / elapsed.as_secs_f64(),
        peak_kb as f64 / 1024.0,
    );
    Ok(())
}

/// Waits for the child, reading its peak resident set size (`VmHWM` in
/// `/proc/<pid>/status`) every 10 ms; returns its exit code and the last peak read, in
/// KiB. The last reading is the one that counts: a reading taken as the child starts can
/// still show this process's memory, which the child shared until exec, while after exec
/// the peak only grows. (`getrusage`/`wait4` would not do either: a child's `ru_maxrss`
/// includes what it had before exec.)
fn wait_with_peak_rss(mut child: std::process::Child) -> Result<(i32, u64)> {
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak = 0u64;
    loop {
        if let Ok(text) = std::fs::read_to_string(&status_file) {
            if let Some(kb) = text
                .lines()
                .find_map(|line| line.strip_prefix("VmHWM:"))
                .and_then(|rest| {
                    rest.trim()
                        .trim_end_matches("kB")
                        .trim()
                        .parse::<u64>()
                        .ok()
                })
            {
                peak = kb;
            }
        }
        if let Some(status) = child.try_wait().context("waiting for contracts")? {
            return Ok((status.code().unwrap_or(-1), peak));
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Times the three builds the issue asks about, in the dev profile.
fn build_times(root: &Path) -> Result<()> {
    let build = || -> Result<Duration> {
        let start = Instant::now();
        let status = Command::new(cargo())
            .current_dir(root)
            .args(["build", "-q", "-p", "event-contracts"])
            .status()
            .context("running cargo build")?;
        if !status.success() {
            bail!("cargo build failed: {status}");
        }
        Ok(start.elapsed())
    };
    let status = Command::new(cargo())
        .current_dir(root)
        .args(["clean", "-q", "-p", "event-contracts"])
        .status()
        .context("running cargo clean")?;
    if !status.success() {
        bail!("cargo clean -p event-contracts failed: {status}");
    }
    let clean = build()?;
    let schema = root.join("schemas/product-created/1.1.0.json");
    let contents = std::fs::read(&schema)?;
    // Rewriting the same bytes bumps the modification time, as an edit would, without
    // changing the schema.
    std::fs::write(&schema, contents)?;
    let touched = build()?;
    let no_op = build()?;
    println!();
    println!("| Build (dev profile, dependencies already built) | seconds |");
    println!("|---|---:|");
    println!(
        "| clean build of event-contracts (`cargo clean -p event-contracts`) | {:.1} |",
        clean.as_secs_f64()
    );
    println!(
        "| rebuild after touching schemas/product-created/1.1.0.json | {:.1} |",
        touched.as_secs_f64()
    );
    println!("| no-op rebuild | {:.1} |", no_op.as_secs_f64());
    Ok(())
}

fn nproc() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, model)| model.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned())
}
