//! The policy's own definitions, checked on instances: what the fuzz target and the
//! property tests hold every verdict to.
//!
//! - **patch**: the two schemas accept the same instances;
//! - **minor**: every instance the new schema accepts, the old one accepts, and every
//!   instance the old one accepts that does not carry an added property, the new one accepts;
//! - **major**: every major finding has a witness the validators confirm, or a documented
//!   reason why none can exist.
//!
//! Instances are drawn from both schemas with seeded choices. Undeclared properties never
//! use a name either version declares, which is the policy's caveat for minor changes (old
//! events do not carry a property under a name a later version declares).

use serde_json::Value;

use crate::generate::{Choices, Gen, SeededChoices};
use crate::node::{Loc, Schemas, NEW, OLD};
use crate::rules::Witnessing;
use crate::{Bump, Diff, Evidence, Side};
use event_contracts_schema::load::compile_validator;

/// Why a verdict breaks the policy.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Unsound {
    /// An instance one version accepts and the other rejects, under a verdict that promises
    /// it cannot exist.
    #[error("the verdict is {verdict}, but {instance} is valid under the {valid_under} schema and rejected by the other")]
    Instance {
        /// The verdict.
        verdict: Bump,
        /// The instance.
        instance: Value,
        /// `old` or `new`.
        valid_under: &'static str,
    },
    /// A major finding without a confirmed witness or a documented reason.
    #[error("the {rule} finding at {pointer} has {what}")]
    Evidence {
        /// The rule id.
        rule: &'static str,
        /// The finding's pointer.
        pointer: String,
        /// What is wrong with its evidence.
        what: String,
    },
}

/// Reasons for a missing witness that the engine documents (the rest are search failures):
/// the rule says none can exist, the versions provably accept the same values, a version
/// does not compile, no event valid under either version reaches the change, or a named
/// keyword on the way (a condition, a `not`, a oneOf, `contains`, `uniqueItems`, a schema
/// dependency) masks
/// it in every event built.
fn documented(reason: &str) -> bool {
    reason.starts_with("no witness can exist")
        || reason.starts_with("no witness exists")
        || reason.contains("does not compile")
        || reason.contains("so no event reaches the change")
        || reason.contains("the change is masked there by")
}

/// Holds `diff` (of `old` and `new`) to the policy on `samples` instances drawn from each
/// side. Returns how many instances were checked.
pub fn check(old: &Value, new: &Value, diff: &Diff, samples: u64) -> Result<usize, Unsound> {
    let (Ok(vo), Ok(vn)) = (compile_validator(old), compile_validator(new)) else {
        return Ok(0);
    };
    for f in diff.findings.iter().filter(|f| f.bump() == Bump::Major) {
        let problem = match (&f.evidence, f.rule.witnessing()) {
            (Evidence::Witness(w), _) => {
                let (accepts, rejects) = match w.valid_under {
                    Side::Old => (&vo, &vn),
                    Side::New => (&vn, &vo),
                };
                (!accepts.is_valid(&w.event) || rejects.is_valid(&w.event))
                    .then(|| format!("the witness {} that the validators contradict", w.event))
            }
            (Evidence::Unavailable(reason), _) if documented(reason) => None,
            (Evidence::Unavailable(reason), Witnessing::Built) => {
                Some(format!("no witness and no documented reason ({reason})"))
            }
            (evidence, _) => Some(format!("the evidence {evidence:?}")),
        };
        if let Some(what) = problem {
            return Err(Unsound::Evidence {
                rule: f.rule.id(),
                pointer: f.pointer.clone(),
                what,
            });
        }
    }
    if diff.required == Bump::Major {
        return Ok(0);
    }
    let s = Schemas::pair(old, new);
    let mut checked = 0;
    for (side, from, to, name) in [(OLD, &vo, &vn, "old"), (NEW, &vn, &vo, "new")] {
        let mut generator = Gen::new(&s);
        for seed in 0..samples {
            let mut choices = SeededChoices::new(seed);
            let Some(instance) =
                generator.value_with(&[Loc::root(side)], &mut choices as &mut dyn Choices)
            else {
                continue;
            };
            if !from.is_valid(&instance) {
                continue;
            }
            checked += 1;
            if !to.is_valid(&instance) {
                return Err(Unsound::Instance {
                    verdict: diff.required,
                    instance,
                    valid_under: name,
                });
            }
        }
    }
    Ok(checked)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_sound_minor_passes_and_a_wrong_patch_is_caught() {
        let old = json!({"type": "object", "properties": {"a": {"type": "string"}}});
        let new = json!({"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "integer"}}});
        let d = crate::diff(&old, &new);
        assert_eq!(d.required, Bump::Minor);
        assert!(check(&old, &new, &d, 32).unwrap() > 0);
        // The same diff claimed for a change that does break instances.
        let narrowed =
            json!({"type": "object", "properties": {"a": {"type": "string", "maxLength": 0}}});
        let err = check(&old, &narrowed, &d, 32).unwrap_err();
        assert!(
            matches!(
                err,
                Unsound::Instance {
                    valid_under: "old",
                    ..
                }
            ),
            "{err}"
        );
    }
}
