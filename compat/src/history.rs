//! The gate over histories of real schemas: every consecutive pair of versions of every
//! history in a folder (`<history>/<n>-<label>.json`, oldest first) is compared, and the
//! findings are counted by rule, by bump and by evidence. `cargo xtask compat-history`
//! prints the figures; `docs/COMPAT.md` shows the ones committed in
//! `compat/tests/compat-history/FIGURES.md`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::{diff, Bump, Evidence, Rule, Side, Witnessing};
use event_contracts_schema::load::compile_validator;

/// Why a history folder could not be read.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    /// A folder or file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A file is not JSON.
    #[error("{path} is not valid JSON: {source}")]
    Json {
        /// The path.
        path: PathBuf,
        /// The cause.
        source: serde_json::Error,
    },
    /// A file name does not start with its place in the history.
    #[error("{path}: history files are named <n>-<label>.json, n = 1, 2, 3, ... oldest first")]
    Name {
        /// The path.
        path: PathBuf,
    },
}

/// The verdict on one pair of consecutive versions.
#[derive(Debug, Clone)]
pub struct PairResult {
    /// `<history>/<old file> -> <new file>`.
    pub name: String,
    /// The bump the change requires.
    pub required: Bump,
    /// Each finding's rule and what backs it.
    pub findings: Vec<(Rule, EvidenceKind)>,
}

/// What backs a finding, as counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum EvidenceKind {
    /// Patch or minor: nothing needed.
    NotNeeded,
    /// A witness the validators confirm (valid under its side, rejected by the other).
    Witness,
    /// No witness can exist (the catalog row says why).
    Impossible,
    /// A witness could exist but none was built.
    Missing,
    /// A witness that the validators do not confirm: a bug.
    Wrong,
}

/// Every pair of every history in `dir`.
pub fn run_histories(dir: &Path) -> Result<Vec<PairResult>, HistoryError> {
    let mut out = Vec::new();
    for history in sorted_entries(dir)? {
        if !history.is_dir() {
            continue;
        }
        let mut files: Vec<(u64, PathBuf)> = Vec::new();
        for file in sorted_entries(&history)? {
            if file.extension().is_some_and(|e| e == "json") {
                let n = file
                    .file_name()
                    .and_then(|n| n.to_str())
                    .and_then(|n| n.split('-').next())
                    .and_then(|n| n.parse::<u64>().ok())
                    .ok_or_else(|| HistoryError::Name { path: file.clone() })?;
                files.push((n, file));
            }
        }
        files.sort();
        for pair in files.windows(2) {
            out.push(compare_files(&history, &pair[0].1, &pair[1].1)?);
        }
    }
    Ok(out)
}

fn sorted_entries(dir: &Path) -> Result<Vec<PathBuf>, HistoryError> {
    let io = |source| HistoryError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        out.push(entry.map_err(io)?.path());
    }
    out.sort();
    Ok(out)
}

fn read(path: &Path) -> Result<Value, HistoryError> {
    let text = std::fs::read_to_string(path).map_err(|source| HistoryError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    serde_json::from_str(&text).map_err(|source| HistoryError::Json {
        path: path.to_path_buf(),
        source,
    })
}

fn compare_files(history: &Path, old: &Path, new: &Path) -> Result<PairResult, HistoryError> {
    let (a, b) = (read(old)?, read(new)?);
    let d = diff(&a, &b);
    let (va, vb) = (compile_validator(&a).ok(), compile_validator(&b).ok());
    let findings = d
        .findings
        .iter()
        .map(|f| {
            let kind = match (&f.evidence, f.rule.witnessing()) {
                (Evidence::NotNeeded, _) => EvidenceKind::NotNeeded,
                (Evidence::Witness(w), _) => {
                    let valid = |v: &Option<jsonschema::Validator>| {
                        v.as_ref().is_some_and(|v| v.is_valid(&w.event))
                    };
                    let confirmed = match w.valid_under {
                        Side::Old => valid(&va) && !valid(&vb),
                        Side::New => valid(&vb) && !valid(&va),
                    };
                    if confirmed {
                        EvidenceKind::Witness
                    } else {
                        EvidenceKind::Wrong
                    }
                }
                (Evidence::Unavailable(_), Witnessing::Impossible(_)) => EvidenceKind::Impossible,
                (Evidence::Unavailable(_), _) => EvidenceKind::Missing,
            };
            (f.rule, kind)
        })
        .collect();
    let name = |p: &Path| {
        p.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    Ok(PairResult {
        name: format!("{}/{} -> {}", name(history), name(old), name(new)),
        required: d.required,
        findings,
    })
}

/// The command that writes the figures file.
pub const FIGURES_COMMAND: &str = "cargo xtask compat-history --write";

/// The text of `compat/tests/compat-history/FIGURES.md`: the figures, and how they were made.
pub fn figures_file(results: &[PairResult]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<!-- @generated by `{FIGURES_COMMAND}` from the histories in this folder (see \
         SOURCES.md); a test fails when the engine's figures differ. -->\n"
    );
    out.push_str(&figures_markdown(results));
    out.push_str("\nVerdict of each version pair (the bump the change requires):\n\n");
    for r in results {
        let _ = writeln!(out, "- `{}`: {}", r.name, r.required);
    }
    out
}

/// The figures as Markdown: changes per rule, the catch-alls, and the majors' evidence.
pub fn figures_markdown(results: &[PairResult]) -> String {
    let mut out = String::new();
    let findings: Vec<&(Rule, EvidenceKind)> = results.iter().flat_map(|r| &r.findings).collect();
    let mut by_rule: BTreeMap<Rule, (usize, usize, usize)> = BTreeMap::new();
    for (rule, kind) in &findings {
        let e = by_rule.entry(*rule).or_default();
        e.0 += 1;
        match kind {
            EvidenceKind::Witness => e.1 += 1,
            EvidenceKind::Impossible => e.2 += 1,
            _ => {}
        }
    }
    let count = |k: EvidenceKind| findings.iter().filter(|(_, e)| *e == k).count();
    let majors = findings
        .iter()
        .filter(|(r, _)| r.bump() == Bump::Major)
        .count();
    let witnessed = count(EvidenceKind::Witness);
    let catch_all = |r: Rule| findings.iter().filter(|(x, _)| *x == r).count();
    let mut verdicts: BTreeMap<Bump, usize> = BTreeMap::new();
    for r in results {
        *verdicts.entry(r.required).or_default() += 1;
    }
    let _ = writeln!(
        out,
        "{} version pairs, {} findings ({} major).\n",
        results.len(),
        findings.len(),
        majors
    );
    let verdict_list: Vec<String> = verdicts.iter().map(|(b, n)| format!("{n} {b}")).collect();
    let _ = writeln!(out, "- required bumps: {}", verdict_list.join(", "));
    let _ = writeln!(
        out,
        "- `unsupported-keyword-changed`: {}; `analysis-limit-reached`: {}",
        catch_all(Rule::UnsupportedKeywordChanged),
        catch_all(Rule::AnalysisLimitReached)
    );
    let share = |n: usize, of: usize| {
        if of == 0 {
            "n/a".to_owned()
        } else {
            format!("{:.1}%", n as f64 * 100.0 / of as f64)
        }
    };
    let _ = writeln!(
        out,
        "- major findings with a witness the validator confirms: {witnessed} of {majors} ({}); \
         none can exist (the rule says why): {}; none built: {}; witnesses the validator \
         contradicts: {}\n",
        share(witnessed, majors),
        count(EvidenceKind::Impossible),
        count(EvidenceKind::Missing),
        count(EvidenceKind::Wrong),
    );
    out.push_str(
        "| rule | bump | findings | with a witness | none can exist |\n|---|---|---|---|---|\n",
    );
    for (rule, (n, w, i)) in &by_rule {
        let _ = writeln!(
            out,
            "| `{}` | {} | {n} | {w} | {i} |",
            rule.id(),
            rule.bump()
        );
    }
    out
}
