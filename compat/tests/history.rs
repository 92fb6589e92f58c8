//! The gate over real schema histories (`tests/compat-history/`): the figures committed in
//! `FIGURES.md` (and shown in `docs/COMPAT.md`) are the engine's, every witness it offers
//! is one the validator confirms, no finding reaches a catch-all, and at least 95% of the
//! major findings carry a witness.
//!
//! Outside CI a stale `FIGURES.md` is rewritten (and the test fails once, so the change is
//! noticed and committed; then `cargo xtask regen` updates `docs/COMPAT.md`).

use std::path::Path;

use event_contracts_compat::history::{figures_file, run_histories, EvidenceKind};
use event_contracts_compat::{Bump, Rule};

#[test]
fn the_figures_on_real_histories_are_the_engines() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/compat-history");
    let results = run_histories(&dir).unwrap_or_else(|e| panic!("{e}"));
    assert!(results.len() >= 100, "{} version pairs", results.len());
    let findings: Vec<(Rule, EvidenceKind)> =
        results.iter().flat_map(|r| r.findings.clone()).collect();
    let wrong: Vec<&str> = results
        .iter()
        .filter(|r| r.findings.iter().any(|(_, e)| *e == EvidenceKind::Wrong))
        .map(|r| r.name.as_str())
        .collect();
    assert!(
        wrong.is_empty(),
        "witnesses the validator contradicts in {wrong:?}"
    );
    let catch_alls = findings
        .iter()
        .filter(|(r, _)| {
            matches!(
                r,
                Rule::AnalysisLimitReached | Rule::UnsupportedKeywordChanged
            )
        })
        .count();
    assert_eq!(catch_alls, 0);
    let majors = findings
        .iter()
        .filter(|(r, _)| r.bump() == Bump::Major)
        .count();
    let witnessed = findings
        .iter()
        .filter(|(_, e)| *e == EvidenceKind::Witness)
        .count();
    assert!(
        witnessed * 100 >= majors * 95,
        "{witnessed} of {majors} major findings have a witness"
    );
    let path = dir.join("FIGURES.md");
    let expected = figures_file(&results);
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    if actual != expected {
        let in_ci = std::env::var("CI").is_ok_and(|v| v == "true");
        if !in_ci {
            std::fs::write(&path, &expected).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        }
        panic!(
            "{} is not the engine's figures{}; run `cargo xtask compat-history --write` and `cargo xtask regen`",
            path.display(),
            if in_ci { "" } else { " (it has been rewritten; review and commit it)" }
        );
    }
}
