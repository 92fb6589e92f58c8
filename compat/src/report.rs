//! Reports for people (`human`), machines (`json`) and GitHub Actions (`github`
//! workflow annotations), for a two-file diff and for the gate.

use std::fmt::Write as _;

use serde_json::{json, Value};

use crate::gate::{EntryKind, GateEntry, GateFinding, GateReport, Location, Status};
use crate::rules::{gate_check, Breaks, Bump};
use crate::{Diff, Evidence, Finding, Side};
use event_contracts_schema::locate::line_of;

/// The allow-list file, as named in reports.
pub(crate) const ALLOW_FILE: &str = "compat-allow.json";

/// A report format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Text for people.
    Human,
    /// JSON for machines.
    Json,
    /// GitHub Actions workflow annotations.
    Github,
}

/// The two files of a two-file diff, for file:line in reports.
#[derive(Debug, Clone, Copy)]
pub struct DiffSources<'a> {
    /// The old file's name as shown.
    pub old_file: &'a str,
    /// The old file's text.
    pub old_text: &'a str,
    /// The new file's name as shown.
    pub new_file: &'a str,
    /// The new file's text.
    pub new_text: &'a str,
    /// The bump the author made, when known: findings above it are errors.
    pub made: Option<Bump>,
}

impl DiffSources<'_> {
    fn locate(&self, finding: &Finding) -> Location {
        let (file, text) = match finding.side {
            Side::Old => (self.old_file, self.old_text),
            Side::New => (self.new_file, self.new_text),
        };
        Location {
            file: file.to_owned(),
            line: line_of(text, &finding.pointer),
            pointer: finding.pointer.clone(),
            shared: false,
            base: false,
        }
    }

    fn label(&self, side: Side) -> &str {
        match side {
            Side::Old => self.old_file,
            Side::New => self.new_file,
        }
    }
}

/// Renders a two-file diff.
pub fn render_diff(diff: &Diff, sources: &DiffSources<'_>, format: Format) -> String {
    match format {
        Format::Human => human_diff(diff, sources),
        Format::Json => {
            let findings: Vec<Value> = diff
                .findings
                .iter()
                .map(|f| finding_json(f, &sources.locate(f), None))
                .collect();
            let mut out = json!({"required": diff.required.as_str(), "findings": findings});
            if let Some(made) = sources.made {
                out["made"] = json!(made.as_str());
            }
            pretty(&out)
        }
        Format::Github => {
            let mut out = String::new();
            for f in &diff.findings {
                let level = match sources.made {
                    Some(made) if f.bump() > made => "error",
                    Some(_) => "notice",
                    None if f.bump() == Bump::Major => "error",
                    None => "notice",
                };
                let location = sources.locate(f);
                let mut message = format!("{}. {}", f.message, f.rule.why());
                if let Some(w) = f.witness() {
                    let _ = write!(
                        message,
                        "\nWitness (valid under {}, rejected by {}): {}",
                        sources.label(w.valid_under),
                        sources.label(w.rejected_by()),
                        w.event
                    );
                }
                let _ = write!(message, "\nFix: {}", f.rule.fix());
                annotation(
                    &mut out,
                    level,
                    &location,
                    &format!("{}[{}]", f.bump(), f.rule.id()),
                    &message,
                );
            }
            let _ = writeln!(out, "{}", diff_summary(diff, sources.made));
            out
        }
    }
}

fn human_diff(diff: &Diff, sources: &DiffSources<'_>) -> String {
    let mut out = format!("{} -> {}\n\n", sources.old_file, sources.new_file);
    let labels = |side: Side| sources.label(side).to_owned();
    for f in &diff.findings {
        human_finding(&mut out, f, &sources.locate(f), None, "", &labels);
        out.push('\n');
    }
    out.push_str(&diff_summary(diff, sources.made));
    out.push('\n');
    out
}

fn diff_summary(diff: &Diff, made: Option<Bump>) -> String {
    let mut text = format!("required bump: {}", diff.required);
    if diff.findings.is_empty() {
        text.push_str(match diff.required {
            Bump::None => " (the schemas are identical)",
            _ => " (no findings: the schemas differ only by equivalent rewrites)",
        });
    } else {
        let _ = write!(text, " ({})", count_findings(diff.findings.iter()));
    }
    if let Some(made) = made {
        let verdict = match made.cmp(&diff.required) {
            std::cmp::Ordering::Less => "too small",
            std::cmp::Ordering::Equal => "ok",
            std::cmp::Ordering::Greater => "bigger than needed",
        };
        let _ = write!(text, "; made: {made} ({verdict})");
    }
    text
}

fn count_findings<'f>(findings: impl Iterator<Item = &'f Finding>) -> String {
    let mut counts = [0usize; 4];
    let mut total = 0;
    for f in findings {
        counts[f.bump() as usize] += 1;
        total += 1;
    }
    let mut parts = Vec::new();
    for bump in [Bump::Major, Bump::Minor, Bump::Patch] {
        if counts[bump as usize] > 0 {
            parts.push(format!("{} {bump}", counts[bump as usize]));
        }
    }
    format!(
        "{total} finding{}: {}",
        if total == 1 { "" } else { "s" },
        parts.join(", ")
    )
}

/// One finding as text. `indent` prefixes every line (gate entries nest their findings).
fn human_finding(
    out: &mut String,
    f: &Finding,
    location: &Location,
    accepted: Option<&str>,
    indent: &str,
    label: &dyn Fn(Side) -> String,
) {
    let _ = writeln!(
        out,
        "{indent}{}[{}]: {}",
        f.bump(),
        f.rule.id(),
        f.rule.summary()
    );
    let _ = write!(out, "{indent}  --> {}", location.file);
    if let Some(line) = location.line {
        let _ = write!(out, ":{line}");
    }
    let _ = write!(out, " at {}", display_pointer(&location.pointer));
    if location.shared {
        out.push_str(" (shared definition, used by this event)");
    }
    if location.base {
        out.push_str(" (as published on the base ref)");
    }
    out.push('\n');
    let line = |out: &mut String, key: &str, text: &str| {
        let _ = writeln!(out, "{indent}   = {key}: {text}");
    };
    line(out, "change", &f.message);
    if f.bump() == Bump::Major {
        line(out, "breaks", f.rule.breaks().describe());
    }
    if f.bump() >= Bump::Minor {
        line(out, "why", f.rule.why());
    }
    if f.bump() == Bump::Major {
        match &f.evidence {
            Evidence::Witness(w) => {
                line(out, "witness", &w.event.to_string());
                let _ = writeln!(
                    out,
                    "{indent}              valid under {}, rejected by {}",
                    label(w.valid_under),
                    label(w.rejected_by())
                );
            }
            Evidence::Unavailable(reason) => line(out, "witness", reason),
            Evidence::NotNeeded => {}
        }
        line(out, "roll out", f.rule.breaks().rollout());
        line(out, "fix", f.rule.fix());
        if let Some(s) = f.rule.smaller() {
            line(
                out,
                "smaller",
                &format!("{} (the bump becomes {})", s.change, s.bump),
            );
        }
    }
    if let Some(reason) = accepted {
        line(out, "accepted", &format!("{reason} ({ALLOW_FILE})"));
    }
}

fn display_pointer(pointer: &str) -> &str {
    if pointer.is_empty() {
        "the schema root"
    } else {
        pointer
    }
}

fn finding_json(f: &Finding, location: &Location, accepted: Option<&str>) -> Value {
    let (witness, valid_under, no_witness) = match &f.evidence {
        Evidence::Witness(w) => (w.event.clone(), json!(w.valid_under.as_str()), Value::Null),
        Evidence::Unavailable(reason) => (Value::Null, Value::Null, json!(reason)),
        Evidence::NotNeeded => (Value::Null, Value::Null, Value::Null),
    };
    let mut v = json!({
        "rule": f.rule.id(),
        "pointer": f.pointer,
        "bump": f.bump().as_str(),
        "witness": witness,
        "witness_valid_under": valid_under,
        "no_witness": no_witness,
        "side": f.side.as_str(),
        "old_pointer": f.old_pointer,
        "new_pointer": f.new_pointer,
        "instance_path": f.instance_path,
        "message": f.message,
        "summary": f.rule.summary(),
        "breaks": f.rule.breaks().as_str(),
        "rollout": f.rule.breaks().rollout_id(),
        "fix": f.rule.fix(),
        "smaller_fix": f.rule.smaller().map(|s| json!({"change": s.change, "bump": s.bump.as_str()})),
        "file": location.file,
        "line": location.line,
        "file_pointer": location.pointer,
    });
    if location.shared {
        v["shared_definition"] = json!(true);
    }
    if let Some(reason) = accepted {
        v["accepted"] = json!(reason);
    }
    v
}

fn pretty(value: &Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string());
    text.push('\n');
    text
}

/// Renders the gate report.
pub fn render_gate(report: &GateReport, format: Format) -> String {
    match format {
        Format::Human => human_gate(report),
        Format::Json => pretty(&gate_json(report)),
        Format::Github => github_gate(report),
    }
}

fn entry_title(e: &GateEntry) -> String {
    match &e.kind {
        EntryKind::Step { from, to } => format!("{} {from} -> {to}", e.event),
        EntryKind::PublishedEdit { version } => format!("{} {version} (published)", e.event),
        EntryKind::PublishedDelete { version } => format!("{} {version} (published)", e.event),
        EntryKind::NewEvent { version } => format!("{} {version} (new event)", e.event),
    }
}

fn entry_verdict(e: &GateEntry) -> String {
    let made = e.made.unwrap_or(Bump::None);
    match &e.status {
        Status::Ok => format!("made {made}, requires {}: ok", e.required),
        Status::BiggerThanNeeded => format!(
            "made {made}, requires {}: ok (note[bump-bigger-than-needed]: a {} bump would do)",
            e.required, e.required
        ),
        Status::TooSmall => format!(
            "made {made}, requires {}: error[bump-too-small]: the bump is too small",
            e.required
        ),
        Status::NewEvent => "a new event: ok".to_owned(),
        Status::Edited => format!(
            "error[published-version-edited]: this version exists on the base ref and was changed in place (the change alone would require {})",
            e.required
        ),
        Status::Deleted => "error[published-version-deleted]: this version exists on the base ref and was deleted".to_owned(),
        Status::Accepted(reason) => format!("accepted ({ALLOW_FILE}): {reason}"),
    }
}

fn side_labels(e: &GateEntry) -> impl Fn(Side) -> String + '_ {
    move |side| match (&e.kind, side) {
        (EntryKind::Step { from, .. }, Side::Old) => from.to_string(),
        (EntryKind::Step { to, .. }, Side::New) => to.to_string(),
        (kind, Side::Old) => format!("the published {}", kind.from()),
        (kind, Side::New) => format!("the edited {}", kind.from()),
    }
}

fn human_gate(report: &GateReport) -> String {
    let mut out = String::new();
    for e in &report.entries {
        let _ = writeln!(
            out,
            "{}: {}\n  --> {}",
            entry_title(e),
            entry_verdict(e),
            e.file
        );
        if let Some(check) = e.status.check_id().and_then(gate_check).filter(|c| c.fails) {
            let _ = writeln!(out, "   = fix: {}", check.fix);
        }
        let labels = side_labels(e);
        for gf in &e.findings {
            human_finding(
                &mut out,
                &gf.finding,
                &gf.location,
                gf.accepted.as_deref(),
                "  ",
                &labels,
            );
        }
        out.push('\n');
    }
    for unused in &report.unused_allows {
        let _ = writeln!(
            out,
            "warning[unused-allow-entry]: the {ALLOW_FILE} entry ({}, {}, {:?}{}) matches no finding\n   = fix: {}\n",
            unused.event,
            unused.rule,
            unused.pointer,
            unused.versions.as_deref().map(|v| format!(", {v}")).unwrap_or_default(),
            gate_check("unused-allow-entry").map_or("", |c| c.fix),
        );
    }
    out.push_str(&gate_summary(report));
    out.push('\n');
    out
}

fn gate_summary(report: &GateReport) -> String {
    let steps = report
        .entries
        .iter()
        .filter(|e| matches!(e.kind, EntryKind::Step { .. }))
        .count();
    let violations: Vec<String> = report
        .violations()
        .map(|e| {
            let what = match e.status {
                Status::TooSmall => format!(
                    "requires {}, made {}",
                    e.required,
                    e.made.unwrap_or(Bump::None)
                ),
                Status::Edited => "published version edited".to_owned(),
                _ => "published version deleted".to_owned(),
            };
            format!("{} {} ({what})", e.event, e.kind.versions())
        })
        .collect();
    let mut text = if violations.is_empty() {
        format!(
            "compat: passed: {steps} version pair{} of {} event{} checked",
            if steps == 1 { "" } else { "s" },
            report.events_checked,
            if report.events_checked == 1 { "" } else { "s" }
        )
    } else {
        format!(
            "compat: FAILED: {} violation{}: {}",
            violations.len(),
            if violations.len() == 1 { "" } else { "s" },
            violations.join("; ")
        )
    };
    let _ = write!(
        text,
        "; largest bump required: {}",
        report.largest_required()
    );
    if !report.unused_allows.is_empty() {
        let _ = write!(
            text,
            "; {} unused {ALLOW_FILE} entr{}",
            report.unused_allows.len(),
            if report.unused_allows.len() == 1 {
                "y"
            } else {
                "ies"
            }
        );
    }
    text
}

fn gate_json(report: &GateReport) -> Value {
    let mut entries: Vec<Value> = report
        .entries
        .iter()
        .map(|e| {
            let (kind, from, to) = match &e.kind {
                EntryKind::Step { from, to } => {
                    ("step", json!(from.to_string()), json!(to.to_string()))
                }
                EntryKind::PublishedEdit { version } => (
                    "published-edit",
                    json!(version.to_string()),
                    json!(version.to_string()),
                ),
                EntryKind::PublishedDelete { version } => {
                    ("published-delete", json!(version.to_string()), Value::Null)
                }
                EntryKind::NewEvent { version } => {
                    ("new-event", Value::Null, json!(version.to_string()))
                }
            };
            let findings: Vec<Value> = e
                .findings
                .iter()
                .map(|gf: &GateFinding| {
                    finding_json(&gf.finding, &gf.location, gf.accepted.as_deref())
                })
                .collect();
            json!({
                "event": e.event,
                "kind": kind,
                "from": from,
                "to": to,
                "file": e.file,
                "made": e.made.map(Bump::as_str),
                "required": e.required.as_str(),
                "status": e.status.as_str(),
                "passed": !e.status.fails(),
                "accepted": match &e.status { Status::Accepted(r) => json!(r), _ => Value::Null },
                "findings": findings,
            })
        })
        .collect();
    for unused in &report.unused_allows {
        entries.push(json!({
            "event": unused.event,
            "kind": "unused-allow-entry",
            "from": Value::Null,
            "to": Value::Null,
            "file": ALLOW_FILE,
            "made": Value::Null,
            "required": "none",
            "status": "unused-allow-entry",
            "passed": true,
            "accepted": Value::Null,
            "rule": unused.rule,
            "pointer": unused.pointer,
            "versions": unused.versions,
            "findings": [],
        }));
    }
    Value::Array(entries)
}

fn github_gate(report: &GateReport) -> String {
    let mut out = String::new();
    for e in &report.entries {
        let title = entry_title(e);
        let whole = Location {
            file: e.file.clone(),
            line: None,
            pointer: String::new(),
            shared: false,
            base: false,
        };
        if let Some(check) = e.status.check_id().and_then(gate_check).filter(|c| c.fails) {
            annotation(
                &mut out,
                "error",
                &whole,
                &format!("{} ({} {})", check.id, e.event, e.kind.versions()),
                &format!("{}. {}\nFix: {}", entry_verdict(e), check.why, check.fix),
            );
        }
        let made = e.made.unwrap_or(Bump::None);
        for gf in &e.findings {
            let f = &gf.finding;
            let fails = gf.accepted.is_none()
                && match e.status {
                    Status::TooSmall => f.bump() > made,
                    Status::Edited => true,
                    _ => false,
                };
            let level = if fails { "error" } else { "notice" };
            let mut message = format!("{title}: {}. {}", f.message, f.rule.why());
            if let Some(w) = f.witness() {
                let labels = side_labels(e);
                let _ = write!(
                    message,
                    "\nWitness (valid under {}, rejected by {}): {}",
                    labels(w.valid_under),
                    labels(w.rejected_by()),
                    w.event
                );
            }
            let _ = write!(message, "\nFix: {}", f.rule.fix());
            if let Some(reason) = &gf.accepted {
                let _ = write!(message, "\nAccepted in {ALLOW_FILE}: {reason}");
            }
            annotation(
                &mut out,
                level,
                &gf.location,
                &format!("{}[{}] {title}", f.bump(), f.rule.id()),
                &message,
            );
        }
    }
    for unused in &report.unused_allows {
        let location = Location {
            file: ALLOW_FILE.to_owned(),
            line: None,
            pointer: String::new(),
            shared: false,
            base: false,
        };
        let message = format!(
            "The entry ({}, {}, {:?}) matches no finding; delete it.",
            unused.event, unused.rule, unused.pointer
        );
        annotation(
            &mut out,
            "warning",
            &location,
            "unused-allow-entry",
            &message,
        );
    }
    let _ = writeln!(out, "{}", gate_summary(report));
    out
}

/// One `::level file=..,line=..,title=..::message` workflow command.
fn annotation(out: &mut String, level: &str, location: &Location, title: &str, message: &str) {
    let _ = write!(out, "::{level} file={}", escape_property(&location.file));
    if let Some(line) = location.line {
        let _ = write!(out, ",line={line}");
    }
    let _ = writeln!(
        out,
        ",title={}::{}",
        escape_property(title),
        escape_data(message)
    );
}

fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

impl Breaks {
    #[cfg(test)]
    fn all() -> [Breaks; 4] {
        [
            Breaks::Nobody,
            Breaks::OldReadersOfNewEvents,
            Breaks::NewReadersOfOldEvents,
            Breaks::Both,
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn github_escapes_data_and_properties() {
        assert_eq!(escape_data("50% a\nb"), "50%25 a%0Ab");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
        let mut out = String::new();
        let loc = Location {
            file: "x,y.json".into(),
            line: Some(3),
            pointer: String::new(),
            shared: false,
            base: false,
        };
        annotation(&mut out, "error", &loc, "t", "m\n");
        assert_eq!(out, "::error file=x%2Cy.json,line=3,title=t::m%0A\n");
    }

    #[test]
    fn json_diff_has_the_documented_shape() {
        let old = json!({"type": "object", "properties": {"a": {"type": "string"}}});
        let new =
            json!({"type": "object", "properties": {"a": {"type": "string", "maxLength": 2}}});
        let d = super::super::diff(&old, &new);
        let sources = DiffSources {
            old_file: "o.json",
            old_text: "{}",
            new_file: "n.json",
            new_text: "{}",
            made: None,
        };
        let v: Value = serde_json::from_str(&render_diff(&d, &sources, Format::Json)).unwrap();
        assert_eq!(v["required"], "major");
        assert_eq!(v["findings"][0]["rule"], "string-length-tightened");
        assert_eq!(v["findings"][0]["pointer"], "/properties/a/maxLength");
        assert_eq!(v["findings"][0]["bump"], "major");
        assert_eq!(v["findings"][0]["witness"], json!({"a": "aaa"}));
        assert_eq!(v["findings"][0]["witness_valid_under"], "old");
        assert!(v.get("made").is_none());
    }

    #[test]
    fn every_rollout_is_worded() {
        for b in Breaks::all() {
            assert!(
                !b.rollout().is_empty() && !b.describe().is_empty() && !b.rollout_id().is_empty()
            );
        }
    }
}
