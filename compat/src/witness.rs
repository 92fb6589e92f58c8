//! Witnesses: for each major finding, a concrete event valid under one version and
//! rejected by the other, checked with the real validators.
//!
//! The search builds the accepting side's minimal instance with one value swapped in at
//! the finding's instance path. Candidate values come from the generator's boundary
//! samples of the accepting side, small mutations of them, and a few values of every
//! type; the first candidate the two validators disagree on wins. The search is
//! generic, so a new rule gets witnesses without code of its own.

use serde_json::{json, Map, Value};

use crate::engine::{path_text, Spec, Target};
use crate::generate::{Generator, Seg};
use crate::rules::{Breaks, Bump};
use crate::{Evidence, Finding, Side, Witness};
use event_contracts_schema::load::compile_validator;

/// Candidates tried per finding and direction, at most.
const MAX_CANDIDATES: usize = 400;

/// Fills in the evidence of every major finding.
pub(crate) fn attach(old: &Value, new: &Value, findings: &mut [Finding]) {
    if !findings.iter().any(|f| f.rule.bump == Bump::Major) {
        return;
    }
    let old_validator = compile_validator(old);
    let new_validator = compile_validator(new);
    for finding in findings.iter_mut().filter(|f| f.rule.bump == Bump::Major) {
        finding.evidence = match (
            no_witness_possible(finding.rule.id),
            &old_validator,
            &new_validator,
        ) {
            (Some(reason), _, _) => Evidence::Unavailable(reason.to_owned()),
            (None, Err(e), _) => Evidence::Unavailable(format!(
                "no witness could be built: the old schema does not compile ({e})"
            )),
            (None, _, Err(e)) => Evidence::Unavailable(format!(
                "no witness could be built: the new schema does not compile ({e})"
            )),
            (None, Ok(o), Ok(n)) => search(&finding.target, finding.rule.breaks, old, new, o, n),
        };
    }
}

/// Rules whose changes no validator can see, with the reason shown instead of a witness.
fn no_witness_possible(rule: &str) -> Option<&'static str> {
    Some(match rule {
        "default-changed" => {
            "no witness could be built: validators ignore `default`, so every event keeps its \
             validity; what changes is the value generated readers fill in for an event that \
             omits the property"
        }
        "ref-sibling-changed" => {
            "no witness could be built: draft-07 validators ignore keywords next to $ref, so no \
             event changes validity; tools that honour the keyword disagree"
        }
        "unknown-keyword-changed" => {
            "no witness could be built: validators ignore keywords draft-07 does not define"
        }
        "schema-dialect-changed" => {
            "no witness could be built: both versions are validated as draft-07 here"
        }
        _ => return None,
    })
}

fn search(
    target: &Target,
    breaks: Breaks,
    old: &Value,
    new: &Value,
    old_validator: &jsonschema::Validator,
    new_validator: &jsonschema::Validator,
) -> Evidence {
    // The direction the rule predicts first; the other one still counts as a witness.
    let order = match breaks {
        Breaks::NewReadersOfOldEvents => [Side::Old, Side::New],
        _ => [Side::New, Side::Old],
    };
    let mut tried = 0;
    for accept in order {
        let (acc_root, acc_spec, rej_root, rej_spec, acc_v, rej_v) = match accept {
            Side::Old => (
                old,
                &target.old,
                new,
                &target.new,
                old_validator,
                new_validator,
            ),
            Side::New => (
                new,
                &target.new,
                old,
                &target.old,
                new_validator,
                old_validator,
            ),
        };
        let mut generator = Generator::new(acc_root);
        for leaf in candidates(target, (acc_root, acc_spec), (rej_root, rej_spec)) {
            let Some(event) = generator.along(acc_root, &target.path, &leaf) else {
                continue;
            };
            tried += 1;
            if acc_v.is_valid(&event) && !rej_v.is_valid(&event) {
                return Evidence::Witness(Witness {
                    event,
                    valid_under: accept,
                });
            }
        }
    }
    let at = if target.path.is_empty() {
        "the top-level value".to_owned()
    } else {
        path_text(&target.path)
    };
    Evidence::Unavailable(format!(
        "no witness could be built: none of the {tried} candidate events (varying {at}) is valid \
         under one version and rejected by the other"
    ))
}

/// Values to try at the finding's path (`None`: leave the property out).
fn candidates(
    target: &Target,
    accepting: (&Value, &Spec),
    rejecting: (&Value, &Spec),
) -> Vec<Option<Value>> {
    let mut out: Vec<Option<Value>> = Vec::new();
    let push = |out: &mut Vec<Option<Value>>, v: Option<Value>| {
        if out.len() < MAX_CANDIDATES && !out.contains(&v) {
            out.push(v);
        }
    };
    if matches!(target.path.last(), Some(Seg::Prop(_))) {
        push(&mut out, None);
    }
    // Values just past the rejecting side's limits first: they make the smallest witnesses.
    if let Spec::At(pointer) = rejecting.1 {
        if let Some(schema) = rejecting.0.pointer(pointer) {
            for v in Generator::new(rejecting.0).just_outside(schema) {
                push(&mut out, Some(v));
            }
        }
    }
    let samples = samples_of(accepting.0, accepting.1);
    for s in &samples {
        push(&mut out, Some(s.clone()));
    }
    for s in &samples {
        for m in mutations(s) {
            push(&mut out, Some(m));
        }
    }
    for v in any_type() {
        push(&mut out, Some(v));
    }
    out
}

fn samples_of(root: &Value, spec: &Spec) -> Vec<Value> {
    match spec {
        Spec::True => any_type(),
        Spec::False => Vec::new(),
        Spec::At(pointer) => match root.pointer(pointer) {
            Some(schema) => Generator::new(root).samples(schema),
            None => any_type(),
        },
    }
}

fn any_type() -> Vec<Value> {
    vec![
        json!(null),
        json!(true),
        json!(0),
        json!(-1),
        json!(0.5),
        json!(""),
        json!("a"),
        json!("~"),
        json!([]),
        json!({}),
    ]
}

/// Values close to `value` that are likely to cross a boundary.
fn mutations(value: &Value) -> Vec<Value> {
    match value {
        Value::String(s) => {
            let mut shorter = s.clone();
            shorter.pop();
            vec![
                json!(format!("{s}~")),
                json!(format!("~{s}")),
                json!(format!("{s}{s}")),
                json!(shorter),
                json!(format!("{s}{}", "a".repeat(300))),
                json!(s.to_uppercase()),
            ]
        }
        Value::Number(n) => {
            let Some(x) = n.as_f64() else {
                return Vec::new();
            };
            [
                x + 1.0,
                x - 1.0,
                x + 0.5,
                x - 0.5,
                -x,
                x * 10.0 + 10.0,
                x + 0.25,
            ]
            .into_iter()
            .filter_map(|y| {
                if y.fract() == 0.0 && y.abs() < 9.0e15 {
                    Some(Value::from(y as i64))
                } else {
                    serde_json::Number::from_f64(y).map(Value::Number)
                }
            })
            .collect()
        }
        Value::Object(map) => {
            let mut out = Vec::new();
            for key in map.keys() {
                let mut without = map.clone();
                without.remove(key);
                out.push(Value::Object(without));
                for replacement in [json!(null), json!("~"), json!(0), json!({})] {
                    let mut changed = map.clone();
                    changed.insert(key.clone(), replacement);
                    out.push(Value::Object(changed));
                }
            }
            let mut extra = map.clone();
            extra.insert("extraProperty".to_owned(), json!("x"));
            out.push(Value::Object(extra));
            out.push(Value::Object(Map::new()));
            out
        }
        Value::Array(items) => {
            let mut out = vec![json!([])];
            if let Some(first) = items.first() {
                let mut dup = items.clone();
                dup.push(first.clone());
                out.push(Value::Array(dup));
            }
            let mut longer = items.clone();
            longer.push(json!(null));
            out.push(Value::Array(longer));
            out
        }
        _ => Vec::new(),
    }
}
