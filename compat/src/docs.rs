//! Rule pages (`cargo xtask compat --explain <id>`) and `docs/COMPAT.md`, both written
//! from the catalog so that the documentation cannot drift from the rules.

use std::fmt::Write as _;

use serde_json::Value;

use crate::rules::{gate_check, rule, Bump, GateCheck, Rule, GATE_CHECKS, RULES};
use crate::{diff, Evidence, Side};

/// The page of one rule or gate check, as plain text; `None` for an unknown id.
pub fn explain(id: &str) -> Option<String> {
    if let Some(r) = rule(id) {
        return Some(rule_page(r));
    }
    gate_check(id).map(check_page)
}

fn rule_page(r: &Rule) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}: {}\n", r.id, r.summary);
    let _ = writeln!(out, "required bump: {}", r.bump);
    let _ = writeln!(out, "breaks:        {}", r.breaks.describe());
    let _ = writeln!(out, "roll out:      {}\n", r.breaks.rollout());
    let _ = writeln!(out, "Why: {}\n", r.why);
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
    let _ = writeln!(out, "Fix: {}", r.fix);
    if let Some(s) = r.smaller {
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

/// Runs the engine on a rule's example, so the page shows real output.
fn worked_example(r: &Rule) -> Option<WorkedExample> {
    let example = r.example?;
    let old: Value = serde_json::from_str(example.old).ok()?;
    let new: Value = serde_json::from_str(example.new).ok()?;
    let d = diff(&old, &new);
    let findings = d
        .findings
        .iter()
        .map(|f| {
            format!(
                "{}[{}] at {}: {}",
                f.bump(),
                f.rule.id,
                f.pointer,
                f.message
            )
        })
        .collect();
    let witness = d
        .findings
        .iter()
        .find(|f| f.rule.id == r.id)
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
        old: example.old.to_owned(),
        new: example.new.to_owned(),
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
    out.push_str(
        "# Compatibility gate\n\n\
         <!-- @generated from the rule catalog by event_contracts_codegen::compat::catalog_markdown(); \
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
         Keywords the engine does not reason about (`oneOf`, `anyOf`, `allOf`, `not`, \
         `if`/`then`/`else`, `patternProperties`, `dependencies`, `propertyNames`, `contains`, \
         tuple `items`, `additionalItems`, ...) and keywords draft-07 does not define are never \
         ignored: any change to them is major.\n\n\
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
         version is accepted with the gate check's id, an empty pointer and `\"versions\": \"1.0.0\"`.\n\n",
    );
    out.push_str("## Rules\n\n| id | bump | breaks | what changed |\n|---|---|---|---|\n");
    for r in RULES {
        let _ = writeln!(
            out,
            "| [`{}`](#{}) | {} | {} | {} |",
            r.id,
            r.id,
            r.bump,
            r.breaks.describe(),
            r.summary.replace('|', "\\|")
        );
    }
    out.push('\n');
    for r in RULES {
        let _ = writeln!(out, "### `{}`\n", r.id);
        let _ = writeln!(out, "{}.\n", capitalize(r.summary));
        let _ = writeln!(out, "- required bump: **{}**", r.bump);
        let _ = writeln!(out, "- breaks: {}", r.breaks.describe());
        let _ = writeln!(out, "- roll out: {}", r.breaks.rollout());
        let _ = writeln!(out, "- why: {}", r.why);
        let _ = writeln!(out, "- fix: {}", r.fix);
        if let Some(s) = r.smaller {
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
                Some(Err(reason)) => {
                    let _ = writeln!(out, "- witness: none; {reason}");
                }
                None => {}
            }
        }
        out.push('\n');
    }
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
    let majors = RULES.iter().filter(|r| r.bump == Bump::Major).count();
    let _ = writeln!(
        out,
        "---\n\n{} rules ({} major), {} gate checks.",
        RULES.len(),
        majors,
        GATE_CHECKS.len()
    );
    out
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

    /// Each example finds exactly its own rule, and a major one has a witness unless the
    /// rule is one no validator can see.
    #[test]
    fn every_example_finds_its_rule() {
        for r in RULES {
            let Some(example) = r.example else {
                assert_eq!(r.id, "analysis-limit-reached", "{} has no example", r.id);
                continue;
            };
            let old: Value =
                serde_json::from_str(example.old).unwrap_or_else(|e| panic!("{}: {e}", r.id));
            let new: Value =
                serde_json::from_str(example.new).unwrap_or_else(|e| panic!("{}: {e}", r.id));
            let d = diff(&old, &new);
            let ids: Vec<&str> = d.findings.iter().map(|f| f.rule.id).collect();
            assert_eq!(ids, [r.id], "example of {}", r.id);
            assert_eq!(d.required, r.bump, "example of {}", r.id);
            let unwitnessable = [
                "default-changed",
                "ref-sibling-changed",
                "unknown-keyword-changed",
                "schema-dialect-changed",
                "ref-unresolvable",
            ];
            if r.bump == Bump::Major && !unwitnessable.contains(&r.id) {
                assert!(
                    d.findings[0].witness().is_some(),
                    "example of {} has no witness: {:?}",
                    r.id,
                    d.findings[0].evidence
                );
            }
        }
    }

    #[test]
    fn every_id_has_a_page() {
        for r in RULES {
            let page = explain(r.id).unwrap();
            assert!(page.starts_with(&format!("{}: ", r.id)));
            assert!(page.contains(r.fix));
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
