//! Rule pages (`cargo xtask compat --explain <id>`) and `docs/COMPAT.md`, both written
//! from the catalog so that the documentation cannot drift from the rules.

use std::fmt::Write as _;

use serde_json::Value;

use crate::rules::{gate_check, Bump, GateCheck, Rule, Witnessing, GATE_CHECKS};
use crate::{diff, Evidence, Side};

/// The page of one rule or gate check, as plain text; `None` for an unknown id.
pub fn explain(id: &str) -> Option<String> {
    if let Some(r) = Rule::from_id(id) {
        return Some(rule_page(r));
    }
    gate_check(id).map(check_page)
}

fn rule_page(r: Rule) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}: {}\n", r.id(), r.summary());
    let _ = writeln!(out, "required bump: {}", r.bump());
    let _ = writeln!(out, "breaks:        {}", r.breaks().describe());
    let _ = writeln!(out, "roll out:      {}\n", r.breaks().rollout());
    let _ = writeln!(out, "Why: {}\n", r.why());
    if let Some(example) = worked_example(r) {
        let _ = writeln!(out, "Example:");
        let _ = writeln!(out, "  old schema: {}", example.old);
        let _ = writeln!(out, "  new schema: {}", example.new);
        for line in &example.findings {
            let _ = writeln!(out, "  finding:    {line}");
        }
        match &example.witness {
            Some(Ok((event, text))) => {
                let _ = writeln!(out, "  witness:    {event}\n              {text}");
            }
            Some(Err(reason)) => {
                let _ = writeln!(out, "  witness:    {reason}");
            }
            None => {}
        }
        out.push('\n');
    }
    let _ = writeln!(out, "Fix: {}", r.fix());
    if let Some(s) = r.smaller() {
        let _ = writeln!(out, "Smaller: {} (the bump becomes {}).", s.change, s.bump);
    }
    out
}

fn check_page(c: &GateCheck) -> String {
    format!(
        "{}: {}\n\nfails the gate: {}\n\nWhy: {}\n\nFix: {}\n",
        c.id,
        c.summary,
        if c.fails {
            "yes"
        } else {
            "no (reported as a note)"
        },
        c.why,
        c.fix
    )
}

struct WorkedExample {
    old: String,
    new: String,
    findings: Vec<String>,
    /// The witness event (JSON), or the reason there is none.
    witness: Option<Result<(String, String), String>>,
}

/// Fixtures longer than this are named, not printed, in the documentation.
const LONGEST_PRINTED_EXAMPLE: usize = 1200;

/// Runs the engine on a rule's fixture, so the page shows real output.
fn worked_example(r: Rule) -> Option<WorkedExample> {
    let example = r.example();
    let old: Value = serde_json::from_str(example.old).ok()?;
    let new: Value = serde_json::from_str(example.new).ok()?;
    let compact = |v: &Value, text: &str, file: &str| {
        let line = v.to_string();
        if line.len() > LONGEST_PRINTED_EXAMPLE {
            format!(
                "(see compat/tests/fixtures/{}/{file}, {} bytes)",
                r.id(),
                text.len()
            )
        } else {
            line
        }
    };
    let d = diff(&old, &new);
    let findings = d
        .findings
        .iter()
        .map(|f| {
            format!(
                "{}[{}] at {}: {}",
                f.bump(),
                f.rule.id(),
                f.pointer,
                f.message
            )
        })
        .collect();
    let witness = d
        .findings
        .iter()
        .find(|f| f.rule == r)
        .and_then(|f| match &f.evidence {
            Evidence::Witness(w) => Some(Ok((
                w.event.to_string(),
                format!(
                    "is valid under the {} schema and rejected by the {} one",
                    side_name(w.valid_under),
                    side_name(w.rejected_by())
                ),
            ))),
            Evidence::Unavailable(reason) => Some(Err(reason.clone())),
            Evidence::NotNeeded => None,
        });
    Some(WorkedExample {
        old: compact(&old, example.old, "old.json"),
        new: compact(&new, example.new, "new.json"),
        findings,
        witness,
    })
}

fn side_name(side: Side) -> &'static str {
    match side {
        Side::Old => "old",
        Side::New => "new",
    }
}

/// The text of `docs/COMPAT.md`, generated from the catalog.
pub fn catalog_markdown() -> String {
    let mut out = String::new();
    out.push_str(INTRODUCTION);
    history_section(&mut out);
    rules_section(&mut out);
    checks_section(&mut out);
    out
}

/// How to run the gate, the policy and the allow-list.
const INTRODUCTION: &str = "# Compatibility gate\n\n\
         <!-- @generated from the rule catalog by event_contracts_compat::catalog_markdown(); \
         do not edit by hand: `cargo xtask regen` rewrites it. -->\n\n\
         `cargo xtask compat` decides which semver bump a change to an event schema requires, and \
         fails CI when a version number says less. The rules below are the whole policy; each \
         finding in a report names one of them, and `cargo xtask compat --explain <id>` prints its \
         page.\n\n\
         ## Running it\n\n\
         - `cargo xtask compat --base <git-ref>`: the CI gate. The base side is read from git \
         objects (no checkout), the head side from `schemas/` in the working tree. For each event, \
         every consecutive pair of versions must be bumped at least as much as its changes require; \
         a version that exists on the base is published and immutable, so editing it (after \
         bundling: a change to a shared file in `common/` that it uses counts) or deleting it fails.\n\
         - `cargo xtask compat OLD.json NEW.json`: compares two files (local `$ref`s only). When \
         both file names are versions (`1.0.0.json`), or `--made <bump>` is given, a smaller bump \
         than required fails; otherwise a major change fails.\n\
         - `--format human|json|github`, `--explain <id>`.\n\
         - `cargo xtask compat-history`: the gate over the histories of real schemas in \
         `compat/tests/compat-history/`, with the figures below.\n\
         - `.github/workflows/schema-gate.yml` runs the gate on pull requests that touch \
         `schemas/`, with GitHub annotations (README.md, \"Adopting the gate in a repository's CI\").\n\
         - Exit status: 0 pass, 1 violation, 2 usage or git error.\n\n\
         ## The policy\n\n\
         - **patch**: annotations only (`title`, `description`, `$comment`, `examples`, `readOnly`, \
         `writeOnly`, `deprecated`), reordering, and rewrites that validate the same instances \
         (`const` vs a one-value `enum`, inline vs `$ref`, `type: [\"string\"]` vs `\"string\"`). \
         Equivalent rewrites are not findings; schemas that differ only by them require a patch \
         bump, identical ones none.\n\
         - **minor**: only new optional properties on objects that allow additional properties.\n\
         - **major**: everything else. `default` is behaviour, not documentation (generated types \
         fill it in), so adding, changing or removing one on an existing value is major.\n\n\
         The engine reasons about every draft-07 keyword. `allOf` merges into one schema \
         (`required` unites, limits take the tightest, a property's schemas all apply), and a \
         one-branch `allOf`, `anyOf` or `oneOf` is its branch. `anyOf` and `oneOf` are compared \
         branch by branch: branches are matched old to new (by type, then by a `const` \
         discriminator, reference, title and similarity, never by position alone), a change \
         inside a matched branch is judged by the same rules as anywhere else, reordering is no \
         change, and a branch added or removed, or a `oneOf` whose branches start or stop \
         overlapping, has a rule of its own. `type: [T, \"null\"]`, `anyOf: [T, {\"type\": \"null\"}]` \
         and the `oneOf` of the same are one schema. `not`, `if`/`then`/`else`, \
         `dependencies`, `patternProperties`, `propertyNames`, `contains`, tuple `items` and \
         `additionalItems` are judged by the direction of their change (tightened, loosened or \
         changed). Where the engine cannot answer precisely, the finding is major and names the \
         construct (`analysis-limit-reached`); keywords draft-07 does not define are never \
         ignored (`unknown-keyword-changed`).\n\n\
         Every major finding carries a witness: an event valid under one version and rejected by \
         the other, checked with the validator (or the reason none can exist). Each finding says \
         whom it breaks, which side must roll out first, and when a different change would need a \
         smaller bump.\n\n\
         ## The allow-list\n\n\
         `compat-allow.json` at the repository root accepts single findings: \
         `{\"event\": \"ProductCreated\", \"rule\": \"enum-value-added\", \"pointer\": \"/properties/...\", \
         \"reason\": \"...\"}`, optionally with `\"versions\": \"1.0.0 -> 1.1.0\"`. The pointer is the \
         one the report shows. Accepted findings stay in the report, marked as accepted; entries \
         that match no finding are reported so they do not rot. An edit or deletion of a published \
         version is accepted with the gate check's id, an empty pointer and `\"versions\": \"1.0.0\"`.\n\n";

/// The figures on real schema histories, committed beside them.
const FIGURES: &str = include_str!("../tests/compat-history/FIGURES.md");

fn history_section(out: &mut String) {
    let _ = write!(
        out,
        "## On real schemas\n\n\
         The gate over the version histories of public draft-07 schemas (GitHub's webhook \
         events from `@octokit/webhooks-schemas`, Model Context Protocol messages, Jupyter \
         server events, Agent2Agent protocol messages; sources and licences in \
         `compat/tests/compat-history/SOURCES.md`), every consecutive pair compared. Produced by `{}`; a test recomputes them, so they \
         are the engine's.\n\n",
        crate::history::FIGURES_COMMAND
    );
    let body = FIGURES
        .lines()
        .skip_while(|l| l.starts_with("<!--") || l.is_empty())
        .take_while(|l| !l.starts_with("Verdict of each version pair"))
        .collect::<Vec<_>>()
        .join("\n");
    let _ = writeln!(out, "{}\n", body.trim_end());
}

fn rules_section(out: &mut String) {
    out.push_str("## Rules\n\n| id | bump | breaks | what changed |\n|---|---|---|---|\n");
    for &r in Rule::ALL {
        let _ = writeln!(
            out,
            "| [`{}`](#{}) | {} | {} | {} |",
            r.id(),
            r.id(),
            r.bump(),
            r.breaks().describe(),
            r.summary().replace('|', "\\|")
        );
    }
    out.push('\n');
    for &r in Rule::ALL {
        let _ = writeln!(out, "### `{}`\n", r.id());
        let _ = writeln!(out, "{}.\n", capitalize(r.summary()));
        let _ = writeln!(out, "- required bump: **{}**", r.bump());
        let _ = writeln!(out, "- breaks: {}", r.breaks().describe());
        let _ = writeln!(out, "- roll out: {}", r.breaks().rollout());
        let _ = writeln!(out, "- why: {}", r.why());
        let _ = writeln!(out, "- fix: {}", r.fix());
        if let Witnessing::Impossible(reason) = r.witnessing() {
            let _ = writeln!(out, "- witness: none can exist; {reason}");
        }
        if let Some(s) = r.smaller() {
            let _ = writeln!(out, "- smaller: {} (the bump becomes {})", s.change, s.bump);
        }
        if let Some(example) = worked_example(r) {
            let _ = writeln!(
                out,
                "\nExample, old:\n\n```json\n{}\n```\n\nnew:\n\n```json\n{}\n```\n",
                example.old, example.new
            );
            for line in &example.findings {
                let _ = writeln!(out, "- finding: {line}");
            }
            match &example.witness {
                Some(Ok((event, text))) => {
                    let _ = writeln!(out, "- witness: `{event}` {text}");
                }
                // A rule that can have no witness says so above.
                Some(Err(_)) if matches!(r.witnessing(), Witnessing::Impossible(_)) => {}
                Some(Err(reason)) => {
                    let _ = writeln!(out, "- witness: none; {reason}");
                }
                None => {}
            }
        }
        out.push('\n');
    }
}

fn checks_section(out: &mut String) {
    out.push_str("## Gate checks\n\n| id | fails the gate | what it finds |\n|---|---|---|\n");
    for c in GATE_CHECKS {
        let _ = writeln!(
            out,
            "| `{}` | {} | {} |",
            c.id,
            if c.fails { "yes" } else { "no" },
            c.summary
        );
    }
    out.push('\n');
    for c in GATE_CHECKS {
        let _ = writeln!(
            out,
            "### `{}`\n\n{}.\n\n- why: {}\n- fix: {}\n",
            c.id,
            capitalize(c.summary),
            c.why,
            c.fix
        );
    }
    let majors = Rule::ALL.iter().filter(|r| r.bump() == Bump::Major).count();
    let _ = writeln!(
        out,
        "---\n\n{} rules ({} major), {} gate checks.",
        Rule::ALL.len(),
        majors,
        GATE_CHECKS.len()
    );
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_id_has_a_page() {
        for &r in Rule::ALL {
            let page = explain(r.id()).unwrap();
            assert!(page.starts_with(&format!("{}: ", r.id())));
            assert!(page.contains(r.fix()));
        }
        for c in GATE_CHECKS {
            assert!(explain(c.id).unwrap().contains(c.why));
        }
        assert_eq!(explain("no-such-rule"), None);
    }

    /// `docs/COMPAT.md` is generated; outside CI a stale copy is rewritten (and the test fails
    /// once, so the change is noticed and committed).
    #[test]
    fn compat_md_is_up_to_date() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/COMPAT.md");
        let expected = catalog_markdown();
        let actual = std::fs::read_to_string(&path).unwrap_or_default();
        if actual != expected {
            let in_ci = std::env::var("CI").is_ok_and(|v| v == "true");
            if !in_ci {
                std::fs::write(&path, &expected)
                    .unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
            }
            panic!(
                "docs/COMPAT.md was not up to date{}; run `cargo xtask regen`",
                if in_ci {
                    ""
                } else {
                    " (it has been rewritten; review and commit it)"
                }
            );
        }
    }
}
