//! Generated types (`version = "x.y.z"`): the bump from the version before must be at least
//! the one the compatibility engine requires. The engine judges; this module only compares
//! the verdict with the version numbers and words the error.

use event_contracts_compat::{self as compat, Bump, Finding, Side};
use event_contracts_schema::{Event, EventVersion};
use semver::Version;

use crate::ctxt::{Ctxt, Spanned};
use crate::schemas::Loaded;

/// Checks `event`'s `version` against the version before it, reporting each finding that
/// needs a bigger bump than the one made.
pub(crate) fn check(cx: &mut Ctxt, loaded: &Loaded, event: &Event, version: &Spanned<Version>) {
    let Some(current) = event.version(&version.value) else {
        let folder = event
            .versions
            .first()
            .and_then(|v| v.file.rsplit_once('/'))
            .map_or(event.dir.as_str(), |(folder, _)| folder);
        cx.error_at(
            version.span,
            format!(
                "{} has no version {}: there is no {folder}/{}.json; its versions are {}",
                event.name,
                version.value,
                version.value,
                versions_list(&event.versions)
            ),
        );
        return;
    };
    let Some(previous) = event.previous(&version.value) else {
        // The first version of an event promises nothing to anyone yet.
        return;
    };
    let Some(made) = Bump::between(&previous.version, &current.version) else {
        return;
    };
    // The cheap verdict first: witnesses are only built when there is an error to explain.
    if compat::required_bump(&previous.bundled, &current.bundled) <= made {
        return;
    }
    let allow = match &loaded.allow {
        Ok(allow) => allow,
        Err(e) => {
            cx.error_at(
                version.span,
                format!("cannot apply the semver allow-list: {e}"),
            );
            return;
        }
    };
    let versions = format!("{} -> {}", previous.version, current.version);
    let diff = compat::diff(&previous.bundled, &current.bundled);
    for finding in diff.findings.iter().filter(|f| f.bump() > made) {
        let accepted = allow
            .allow
            .iter()
            .any(|e| e.matches(&event.name, finding.rule.id(), &finding.pointer, &versions));
        if !accepted {
            let message = too_small(loaded, event, previous, current, made, finding);
            cx.error_at(version.span, message);
        }
    }
}

/// The error for one finding, in the shape of codegen's diagnostics.
fn too_small(
    loaded: &Loaded,
    event: &Event,
    previous: &EventVersion,
    current: &EventVersion,
    made: Bump,
    finding: &Finding,
) -> String {
    let written_in = match finding.side {
        Side::Old => previous,
        Side::New => current,
    };
    let (file, line, pointer) = written_in.source_of(&loaded.set, &finding.pointer);
    let rule = finding.rule;
    let mut text = format!(
        "{event} {new} is a {made} version after {old}, but the change requires a {bump} version: \
         rule `{id}`: {message}\n  --> {file}",
        event = event.name,
        new = current.version,
        old = previous.version,
        bump = rule.bump(),
        id = rule.id(),
        message = finding.message,
    );
    if let Some(line) = line {
        text.push_str(&format!(":{line}"));
    }
    if !pointer.is_empty() {
        text.push_str(&format!(" (at JSON pointer {pointer})"));
    }
    text.push_str(&format!("\n  = note: {}", rule.why()));
    text.push_str(&format!("\n  = help: {}", rule.fix()));
    if let Some(smaller) = rule.smaller().filter(|s| s.bump <= made) {
        text.push_str(&format!(
            "\n  = help: or {}: that change needs only a {} version",
            smaller.change, smaller.bump
        ));
    }
    text
}

/// `1.0.0, 1.1.0`.
pub(crate) fn versions_list(versions: &[EventVersion]) -> String {
    versions
        .iter()
        .map(|v| v.version.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}
