//! `cargo xtask compat`: the semver gate over schema changes.
//!
//! - `--base <git-ref>`: the CI gate. The base side is read from git objects (`git ls-tree`
//!   and `git cat-file --batch`, no checkout); the head side is `schemas/` in the working tree.
//! - `OLD.json NEW.json`: compares two files (local `$ref`s only).
//! - `--explain <rule-id>`: prints a rule's page.
//!
//! Exit status: 0 pass, 1 violation, 2 usage or git error (any `Err` from [`run`]).

use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

use anyhow::{anyhow, bail, Context as _};
use event_contracts_codegen::load::{load, parse_plain_version, LoadOptions, SchemaSet};
use event_contracts_codegen::SchemaFiles;
use event_contracts_compat::{self as compat, AllowList, Bump, DiffSources, Format};
use serde_json::Value;

/// Options of `cargo xtask compat`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Exit status: 0 pass, 1 violation, 2 usage or git error.\n\
                  Examples:\n  cargo xtask compat --base origin/main\n  \
                  cargo xtask compat schemas/product-created/1.0.0.json schemas/product-created/1.1.0.json\n  \
                  cargo xtask compat --explain enum-value-added"
)]
pub struct Args {
    /// The old schema (two-file mode).
    #[arg(value_name = "OLD.json", requires = "new")]
    pub old: Option<PathBuf>,
    /// The new schema (two-file mode).
    #[arg(value_name = "NEW.json")]
    pub new: Option<PathBuf>,
    /// The git ref whose schemas are published (CI gate mode).
    #[arg(long, value_name = "GIT-REF", conflicts_with_all = ["old", "explain"])]
    pub base: Option<String>,
    /// Report format.
    #[arg(long, value_enum, default_value_t = FormatArg::Human)]
    pub format: FormatArg,
    /// Print the page of one rule (what it catches, an example, the fix) and exit.
    #[arg(long, value_name = "RULE-ID", conflicts_with_all = ["old", "base"])]
    pub explain: Option<String>,
    /// Two-file mode: the bump NEW makes over OLD (default: from file names such as
    /// 1.1.0.json; without either, any major change is a violation).
    #[arg(long, value_enum, value_name = "BUMP")]
    pub made: Option<BumpArg>,
    /// The repository root (default: the workspace this xtask belongs to).
    #[arg(long, value_name = "DIR")]
    pub repo: Option<PathBuf>,
    /// The allow-list (default: <repo>/compat-allow.json).
    #[arg(long, value_name = "FILE")]
    pub allow: Option<PathBuf>,
}

/// `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FormatArg {
    /// Text for people.
    Human,
    /// JSON for machines.
    Json,
    /// GitHub Actions workflow annotations.
    Github,
}

/// `--made`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum BumpArg {
    /// x.y.Z
    Patch,
    /// x.Y.0
    Minor,
    /// X.0.0
    Major,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Human => Format::Human,
            FormatArg::Json => Format::Json,
            FormatArg::Github => Format::Github,
        }
    }
}

impl From<BumpArg> for Bump {
    fn from(b: BumpArg) -> Bump {
        match b {
            BumpArg::Patch => Bump::Patch,
            BumpArg::Minor => Bump::Minor,
            BumpArg::Major => Bump::Major,
        }
    }
}

/// Runs the subcommand.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if let Some(id) = &args.explain {
        return explain(id);
    }
    if let Some(base) = &args.base {
        return gate(&args, base);
    }
    match (&args.old, &args.new) {
        (Some(old), Some(new)) => two_files(old, new, args.made.map(Bump::from), args.format.into()),
        _ => bail!(
            "nothing to compare: give --base <git-ref>, two files OLD.json NEW.json, or --explain <rule-id> (see --help)"
        ),
    }
}

fn explain(id: &str) -> anyhow::Result<ExitCode> {
    match compat::explain(id) {
        Some(page) => {
            print!("{page}");
            Ok(ExitCode::SUCCESS)
        }
        None => {
            let ids: Vec<&str> = compat::Rule::ALL
                .iter()
                .map(|r| r.id())
                .chain(compat::GATE_CHECKS.iter().map(|c| c.id))
                .collect();
            bail!(
                "no rule is called {id:?}; the rules are: {}",
                ids.join(", ")
            )
        }
    }
}

fn two_files(
    old: &Path,
    new: &Path,
    made: Option<Bump>,
    format: Format,
) -> anyhow::Result<ExitCode> {
    let read = |path: &Path| -> anyhow::Result<(String, Value)> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let value: Value = serde_json::from_str(&text)
            .with_context(|| format!("{} is not valid JSON", path.display()))?;
        if let Some((pointer, reference)) = external_ref(&value, "", 0) {
            bail!(
                "{}: the $ref {reference:?} at {pointer} is not local; two-file mode resolves only \
                 local references (#/...). Compare bundled schemas, or use --base to check the schema folder",
                path.display()
            );
        }
        Ok((text, value))
    };
    let (old_text, old_value) = read(old)?;
    let (new_text, new_value) = read(new)?;
    let made = match made {
        Some(m) => Some(m),
        None => match (file_version(old), file_version(new)) {
            (Some(a), Some(b)) => Some(Bump::between(&a, &b).ok_or_else(|| {
                anyhow!(
                    "{} is not a later version than {}; pass --made <bump> to compare them anyway",
                    new.display(),
                    old.display()
                )
            })?),
            _ => None,
        },
    };
    let diff = compat::diff(&old_value, &new_value);
    let (old_file, new_file) = (old.display().to_string(), new.display().to_string());
    let sources = DiffSources {
        old_file: &old_file,
        old_text: &old_text,
        new_file: &new_file,
        new_text: &new_text,
        made,
    };
    print!("{}", compat::render_diff(&diff, &sources, format));
    let violation = match made {
        Some(made) => made < diff.required,
        None => diff.required == Bump::Major,
    };
    Ok(if violation {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The version in a file name such as `1.1.0.json`.
fn file_version(path: &Path) -> Option<semver::Version> {
    parse_plain_version(path.file_stem()?.to_str()?)
}

/// The first `$ref` that does not start with `#`, with its pointer.
fn external_ref(value: &Value, pointer: &str, depth: usize) -> Option<(String, String)> {
    if depth > 256 {
        return None;
    }
    match value {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                if !r.starts_with('#') {
                    return Some((format!("{pointer}/$ref"), r.clone()));
                }
            }
            map.iter()
                .filter(|(k, _)| !matches!(k.as_str(), "enum" | "const" | "default" | "examples"))
                .find_map(|(k, v)| {
                    external_ref(
                        v,
                        &format!("{pointer}/{}", k.replace('~', "~0").replace('/', "~1")),
                        depth + 1,
                    )
                })
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| external_ref(v, &format!("{pointer}/{i}"), depth + 1)),
        _ => None,
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn gate(args: &Args, base_ref: &str) -> anyhow::Result<ExitCode> {
    let repo = args.repo.clone().unwrap_or_else(workspace_root);
    let schemas_dir = repo.join("schemas");
    let options = LoadOptions::default();

    let allow_path = args
        .allow
        .clone()
        .unwrap_or_else(|| repo.join("compat-allow.json"));
    let allow = match std::fs::read_to_string(&allow_path) {
        Ok(text) => {
            AllowList::parse(&text).with_context(|| format!("in {}", allow_path.display()))?
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && args.allow.is_none() => {
            AllowList::default()
        }
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", allow_path.display())),
    };

    let base_files = read_git_tree(&repo, base_ref)?;
    let base = load(&base_files, &options).map_err(|diags| {
        anyhow!("the schemas at {base_ref} do not load, so they cannot be the base:\n{diags}")
    })?;

    let head_files = SchemaFiles::read_dir(&schemas_dir)
        .with_context(|| format!("cannot read {}", schemas_dir.display()))?;
    let head: SchemaSet = match load(&head_files, &options) {
        Ok(set) => set,
        Err(diags) => {
            eprintln!("{diags}");
            eprintln!(
                "compat: FAILED: the schemas in {} do not load",
                schemas_dir.display()
            );
            return Ok(ExitCode::from(1));
        }
    };

    let report = compat::check_set(Some(&base), &head, &allow);
    print!("{}", compat::render_gate(&report, args.format.into()));
    Ok(if report.passed() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn git(repo: &Path, args: &[&str]) -> anyhow::Result<Vec<u8>> {
    let output = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .with_context(|| "cannot run git (is it installed?)")?;
    if !output.status.success() {
        bail!(
            "git {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(output.stdout)
}

/// The `schemas/` folder as it is in `base_ref`, read from git objects.
fn read_git_tree(repo: &Path, base_ref: &str) -> anyhow::Result<SchemaFiles> {
    let toplevel = git(repo, &["rev-parse", "--show-toplevel"])
        .with_context(|| format!("{} is not inside a git repository", repo.display()))?;
    let toplevel = PathBuf::from(String::from_utf8_lossy(&toplevel).trim());
    let commit = git(
        repo,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{base_ref}^{{commit}}"),
        ],
    )
    .map_err(|_| {
        anyhow!(
            "{base_ref:?} is not a commit in {} (fetch it, e.g. `git fetch origin main`)",
            repo.display()
        )
    })?;
    let commit = String::from_utf8_lossy(&commit).trim().to_owned();

    // The schema folder's path inside the repository, with `/` separators.
    let repo_abs = repo
        .canonicalize()
        .with_context(|| format!("cannot resolve {}", repo.display()))?;
    let top_abs = toplevel.canonicalize().unwrap_or(toplevel);
    let inside = repo_abs.strip_prefix(&top_abs).unwrap_or(Path::new(""));
    let mut prefix: String = inside
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/");
    if !prefix.is_empty() {
        prefix.push('/');
    }
    prefix.push_str("schemas");

    let listing = git(
        &top_abs,
        &["ls-tree", "-r", "-z", "--full-tree", &commit, "--", &prefix],
    )?;
    let mut blobs: Vec<(String, String)> = Vec::new();
    for record in listing.split(|b| *b == 0).filter(|r| !r.is_empty()) {
        let record = String::from_utf8_lossy(record);
        let Some((meta, path)) = record.split_once('\t') else {
            bail!("unexpected `git ls-tree` output: {record:?}");
        };
        let mut parts = meta.split_whitespace();
        let (_mode, kind, object) = (parts.next(), parts.next(), parts.next());
        if kind != Some("blob") {
            continue;
        }
        let Some(rel) = path.strip_prefix(&format!("{prefix}/")) else {
            continue;
        };
        let object =
            object.ok_or_else(|| anyhow!("unexpected `git ls-tree` output: {record:?}"))?;
        blobs.push((rel.to_owned(), object.to_owned()));
    }
    let contents = cat_blobs(&top_abs, blobs.iter().map(|(_, o)| o.as_str()))?;
    Ok(SchemaFiles::from_files(
        "schemas",
        blobs.into_iter().map(|(rel, _)| rel).zip(contents),
    ))
}

/// Reads blobs with one `git cat-file --batch`; requests are written from a thread so that
/// neither pipe can fill up and stall the other.
fn cat_blobs<'o>(
    toplevel: &Path,
    objects: impl Iterator<Item = &'o str>,
) -> anyhow::Result<Vec<Vec<u8>>> {
    let request: String = objects.map(|o| format!("{o}\n")).collect();
    let expected = request.lines().count();
    if expected == 0 {
        return Ok(Vec::new());
    }
    let mut child = Command::new("git")
        .arg("-C")
        .arg(toplevel)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("cannot run git cat-file")?;
    let mut stdin = child
        .stdin
        .take()
        .ok_or_else(|| anyhow!("git cat-file has no stdin"))?;
    let writer = std::thread::spawn(move || stdin.write_all(request.as_bytes()));
    let mut output = Vec::new();
    child
        .stdout
        .take()
        .ok_or_else(|| anyhow!("git cat-file has no stdout"))?
        .read_to_end(&mut output)?;
    writer
        .join()
        .map_err(|_| anyhow!("writing to git cat-file panicked"))?
        .context("writing to git cat-file")?;
    let status = child.wait()?;
    if !status.success() {
        bail!("git cat-file --batch failed");
    }
    let mut blobs = Vec::with_capacity(expected);
    let mut rest = output.as_slice();
    while blobs.len() < expected {
        let header_end = rest
            .iter()
            .position(|b| *b == b'\n')
            .ok_or_else(|| anyhow!("truncated `git cat-file` output"))?;
        let header = String::from_utf8_lossy(&rest[..header_end]).into_owned();
        let size: usize = header
            .split_whitespace()
            .nth(2)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| anyhow!("unexpected `git cat-file` header: {header:?}"))?;
        let start = header_end + 1;
        let body = rest
            .get(start..start + size)
            .ok_or_else(|| anyhow!("truncated `git cat-file` output"))?;
        blobs.push(body.to_vec());
        rest = rest.get(start + size + 1..).unwrap_or(&[]);
    }
    Ok(blobs)
}
