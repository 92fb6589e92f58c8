//! event-contracts-compat: the compatibility engine: which semver bump a schema change requires, and why.
//!
//! - [`diff`] compares two draft-07 schemas (local `$ref`s only, recursion-safe) and
//!   returns every [`Finding`], each judged by a [`Rule`] of the catalog ([`Rule::ALL`]), and
//!   the [`Bump`] the change requires: the largest over the findings.
//! - [`required_bump`] is the same verdict without witnesses: cheap and free of I/O, for
//!   callers that run at compile time.
//! - [`check_set`] is the CI gate over a schema folder: every consecutive pair of versions
//!   of every event, published versions that were edited or deleted, and the
//!   [`AllowList`] of accepted findings.
//! - [`render_diff`] and [`render_gate`] write the reports; [`explain`] writes a rule's page
//!   and [`catalog_markdown`] writes `docs/COMPAT.md`.
//!
//! The policy ("the seed's rules, read strictly"):
//! - **patch**: annotations only (`title`, `description`, `$comment`, `examples`,
//!   `readOnly`, `writeOnly`, `deprecated`), reordering, and rewrites that validate the same
//!   instances (`const` vs a one-value `enum`, inline vs `$ref`, `type: ["string"]` vs
//!   `"string"`). Equivalent rewrites are not findings; a pair of schemas that differ only
//!   by them requires a patch bump, and identical schemas require none.
//! - **minor**: only new optional properties on objects that allow additional properties.
//! - **major**: everything else. `default` counts as behaviour, not documentation: the
//!   generated types fill it in, so adding, changing or removing one is major (a default
//!   that arrives with a new optional property is part of that minor addition).
//!
//! Every major finding carries a [`Witness`]: an event valid under one version and
//! rejected by the other, built by [`generate`] and checked with the real validator, or
//! the reason none could be built.

#![deny(clippy::too_many_lines)]

mod allow;
mod canon;
mod docs;
mod engine;
mod gate;
pub mod generate;
pub mod history;
mod node;
#[doc(hidden)]
pub mod pairs;
pub mod policy;
mod regex_sample;
mod report;
mod rules;
mod same;
mod values;
mod view;
mod witness;

use serde_json::Value;

pub use allow::{AllowEntry, AllowList, AllowListError};
pub use docs::{catalog_markdown, explain};
pub use gate::{check_set, EntryKind, GateEntry, GateFinding, GateReport, Location, Status};
pub use report::{render_diff, render_gate, DiffSources, Format};
pub use rules::{
    gate_check, Breaks, Bump, Example, GateCheck, Rule, Smaller, Witnessing, GATE_CHECKS,
};

/// Which of the two schemas something refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    /// The earlier version.
    Old,
    /// The later version.
    New,
}

impl Side {
    /// `old` or `new`.
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Old => "old",
            Side::New => "new",
        }
    }

    /// The other side.
    pub fn other(self) -> Side {
        match self {
            Side::Old => Side::New,
            Side::New => Side::Old,
        }
    }
}

/// An event that shows a break: valid under one version, rejected by the other.
#[derive(Debug, Clone, PartialEq)]
pub struct Witness {
    /// The event.
    pub event: Value,
    /// The version that accepts it; the other one rejects it.
    pub valid_under: Side,
}

impl Witness {
    /// The version that rejects the event.
    pub fn rejected_by(&self) -> Side {
        self.valid_under.other()
    }
}

/// What backs a finding up.
#[derive(Debug, Clone, PartialEq)]
pub enum Evidence {
    /// Patch and minor findings need none.
    NotNeeded,
    /// A checked witness.
    Witness(Witness),
    /// Why no witness could be built.
    Unavailable(String),
}

/// One change between two schemas, judged by a rule of the catalog.
#[derive(Debug, Clone)]
pub struct Finding {
    /// The catalog rule that judges it.
    pub rule: Rule,
    /// Which schema [`Finding::pointer`] points into: the new one when the changed keyword
    /// is there, the old one when it was removed.
    pub side: Side,
    /// JSON pointer to the changed keyword or property.
    pub pointer: String,
    /// Pointer into the old schema, when the keyword is there.
    pub old_pointer: Option<String>,
    /// Pointer into the new schema, when the keyword is there.
    pub new_pointer: Option<String>,
    /// Where in an event the change applies (`*`: any array element or undeclared property).
    pub instance_path: String,
    /// What changed, concretely.
    pub message: String,
    /// The witness (major findings) or why there is none.
    pub evidence: Evidence,
    pub(crate) target: engine::Target,
}

impl Finding {
    /// The bump this finding requires.
    pub fn bump(&self) -> Bump {
        self.rule.bump()
    }

    /// The witness, when one was built.
    pub fn witness(&self) -> Option<&Witness> {
        match &self.evidence {
            Evidence::Witness(w) => Some(w),
            _ => None,
        }
    }
}

/// The result of comparing two schemas.
#[derive(Debug, Clone)]
pub struct Diff {
    /// Every change, in document order.
    pub findings: Vec<Finding>,
    /// The bump the change requires: the largest over the findings; `patch` when the
    /// schemas differ only by equivalent rewrites; `none` when they are the same JSON.
    pub required: Bump,
}

/// Compares two self-contained draft-07 schemas (external `$ref`s are not followed) and
/// builds a checked witness for every major finding.
pub fn diff(old: &Value, new: &Value) -> Diff {
    let schemas = node::Schemas::pair(old, new);
    let mut findings = findings(&schemas);
    witness::attach(&schemas, &mut findings);
    let required = required_of(&findings, old, new);
    Diff { findings, required }
}

/// The bump a change from `old` to `new` requires, without building witnesses.
pub fn required_bump(old: &Value, new: &Value) -> Bump {
    let schemas = node::Schemas::pair(old, new);
    required_of(&findings(&schemas), old, new)
}

fn findings(schemas: &node::Schemas) -> Vec<Finding> {
    engine::run(schemas)
        .into_iter()
        .map(|raw| {
            let (side, pointer) = match (&raw.new_pointer, &raw.old_pointer) {
                (Some(p), _) => (Side::New, p.clone()),
                (None, Some(p)) => (Side::Old, p.clone()),
                (None, None) => (Side::New, String::new()),
            };
            Finding {
                rule: raw.rule,
                side,
                pointer,
                old_pointer: raw.old_pointer,
                new_pointer: raw.new_pointer,
                instance_path: raw.target.path_text(),
                message: raw.message,
                evidence: Evidence::NotNeeded,
                target: raw.target,
            }
        })
        .collect()
}

fn required_of(findings: &[Finding], old: &Value, new: &Value) -> Bump {
    let floor = if values::json_eq(old, new) {
        Bump::None
    } else {
        Bump::Patch
    };
    findings.iter().map(Finding::bump).fold(floor, Bump::max)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn identical_equivalent_and_annotated() {
        let a = json!({"type": "object", "properties": {"x": {"const": "a"}}});
        assert_eq!(diff(&a, &a).required, Bump::None);
        let b = json!({"type": "object", "properties": {"x": {"enum": ["a"]}}});
        let d = diff(&a, &b);
        assert_eq!((d.required, d.findings.len()), (Bump::Patch, 0));
        let c = json!({"type": "object", "properties": {"x": {"const": "a", "title": "X"}}});
        let d = diff(&a, &c);
        assert_eq!(d.required, Bump::Patch);
        assert_eq!(d.findings[0].rule, Rule::AnnotationChanged);
        assert_eq!(d.findings[0].pointer, "/properties/x/title");
        assert_eq!(d.findings[0].evidence, Evidence::NotNeeded);
    }

    #[test]
    fn a_major_finding_has_a_checked_witness() {
        let old = json!({"type": "object", "properties": {"n": {"type": "integer", "maximum": 10}}, "required": ["n"]});
        let new = json!({"type": "object", "properties": {"n": {"type": "integer", "maximum": 5}}, "required": ["n"]});
        let d = diff(&old, &new);
        assert_eq!(d.required, Bump::Major);
        let w = d.findings[0].witness().unwrap();
        assert_eq!(w.valid_under, Side::Old);
        assert_eq!(w.event, json!({"n": 6}));
        assert_eq!(required_bump(&old, &new), Bump::Major);
    }
}
