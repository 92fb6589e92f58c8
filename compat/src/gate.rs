//! The version check over a schema folder: for every event, each consecutive pair of
//! versions must be bumped at least as much as its changes require, and versions that
//! exist on the base ref are published: editing (after bundling, so shared files count)
//! or deleting one fails.

use semver::Version;

use crate::allow::{AllowEntry, AllowList};
use crate::rules::Bump;
use crate::values::json_eq;
use crate::{diff, Finding, Side};
use event_contracts_schema::load::{EventVersion, SchemaSet};

/// The gate's verdict over a whole folder.
#[derive(Debug, Clone)]
pub struct GateReport {
    /// One entry per event and version pair, plus published versions edited or deleted and new events.
    pub entries: Vec<GateEntry>,
    /// Allow-list entries that matched no finding.
    pub unused_allows: Vec<AllowEntry>,
    /// How many events the head folder has.
    pub events_checked: usize,
}

impl GateReport {
    /// Whether the gate passes.
    pub fn passed(&self) -> bool {
        self.entries.iter().all(|e| !e.status.fails())
    }

    /// The entries that fail the gate.
    pub fn violations(&self) -> impl Iterator<Item = &GateEntry> {
        self.entries.iter().filter(|e| e.status.fails())
    }

    /// The largest bump any version pair requires.
    pub fn largest_required(&self) -> Bump {
        self.entries
            .iter()
            .map(|e| e.required)
            .fold(Bump::None, Bump::max)
    }
}

/// What one entry of the report is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryKind {
    /// Two consecutive versions in the head folder.
    Step {
        /// The earlier version.
        from: Version,
        /// The later version.
        to: Version,
    },
    /// A published version whose bundled schema differs between base and head.
    PublishedEdit {
        /// The version.
        version: Version,
    },
    /// A published version missing from the head.
    PublishedDelete {
        /// The version.
        version: Version,
    },
    /// An event that is not on the base (its first version).
    NewEvent {
        /// Its first version.
        version: Version,
    },
}

impl EntryKind {
    /// `1.0.0 -> 1.1.0` for a pair, `1.0.0` for one version (the allow-list's `versions`).
    pub fn versions(&self) -> String {
        match self {
            EntryKind::Step { from, to } => format!("{from} -> {to}"),
            EntryKind::PublishedEdit { version }
            | EntryKind::PublishedDelete { version }
            | EntryKind::NewEvent { version } => version.to_string(),
        }
    }

    /// The earlier version (for a pair) or the version.
    pub fn from(&self) -> &Version {
        match self {
            EntryKind::Step { from, .. } => from,
            EntryKind::PublishedEdit { version }
            | EntryKind::PublishedDelete { version }
            | EntryKind::NewEvent { version } => version,
        }
    }

    /// The later version, when there is one.
    pub fn to(&self) -> Option<&Version> {
        match self {
            EntryKind::Step { to, .. } => Some(to),
            EntryKind::PublishedEdit { version } | EntryKind::NewEvent { version } => Some(version),
            EntryKind::PublishedDelete { .. } => None,
        }
    }
}

/// How an entry fares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// The bump made is the bump required.
    Ok,
    /// The bump made is bigger than required: passes, with a note.
    BiggerThanNeeded,
    /// A new event: passes.
    NewEvent,
    /// The bump made is smaller than required: fails.
    TooSmall,
    /// A published version was edited: fails.
    Edited,
    /// A published version was deleted: fails.
    Deleted,
    /// An edit or deletion the allow-list accepts, with its reason: passes.
    Accepted(String),
}

impl Status {
    /// Whether the entry fails the gate.
    pub fn fails(&self) -> bool {
        matches!(self, Status::TooSmall | Status::Edited | Status::Deleted)
    }

    /// The gate check behind the status, when there is one.
    pub fn check_id(&self) -> Option<&'static str> {
        match self {
            Status::BiggerThanNeeded => Some("bump-bigger-than-needed"),
            Status::TooSmall => Some("bump-too-small"),
            Status::Edited => Some("published-version-edited"),
            Status::Deleted => Some("published-version-deleted"),
            _ => None,
        }
    }

    /// A machine name for JSON.
    pub fn as_str(&self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::BiggerThanNeeded => "bigger-than-needed",
            Status::NewEvent => "new-event",
            Status::TooSmall => "too-small",
            Status::Edited => "published-version-edited",
            Status::Deleted => "published-version-deleted",
            Status::Accepted(_) => "accepted",
        }
    }
}

/// Where a finding was written: the file (an event version or a shared file) and line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file, as shown to people (`schemas/common/envelope.json`).
    pub file: String,
    /// The 1-based line, when found.
    pub line: Option<usize>,
    /// The pointer inside that file.
    pub pointer: String,
    /// Whether the file is a shared definition file rather than the event version itself.
    pub shared: bool,
    /// Whether the text is the base ref's (a published version's old side).
    pub base: bool,
}

/// A finding of the gate, located in a file and possibly accepted.
#[derive(Debug, Clone)]
pub struct GateFinding {
    /// The finding.
    pub finding: Finding,
    /// Where it was written.
    pub location: Location,
    /// The allow-list's reason, when the finding is accepted.
    pub accepted: Option<String>,
}

/// One event and version pair (or version) of the gate report.
#[derive(Debug, Clone)]
pub struct GateEntry {
    /// The event name.
    pub event: String,
    /// What the entry is about.
    pub kind: EntryKind,
    /// The file of the (later) version.
    pub file: String,
    /// The bump made, for a pair of versions.
    pub made: Option<Bump>,
    /// The bump required by the findings that are not accepted.
    pub required: Bump,
    /// The changes.
    pub findings: Vec<GateFinding>,
    /// The verdict.
    pub status: Status,
}

/// The allow-list while the gate runs: which entries matched a finding.
struct Acceptor<'a> {
    allow: &'a AllowList,
    used: Vec<bool>,
}

impl Acceptor<'_> {
    /// The reason of the first entry that accepts the finding, marking it used.
    fn accept(&mut self, event: &str, rule: &str, pointer: &str, versions: &str) -> Option<String> {
        let i = self
            .allow
            .allow
            .iter()
            .position(|e| e.matches(event, rule, pointer, versions))?;
        self.used[i] = true;
        Some(self.allow.allow[i].reason.clone())
    }
}

/// Checks `head` against itself (consecutive versions) and against `base` (published
/// versions), applying `allow`.
pub fn check_set(base: Option<&SchemaSet>, head: &SchemaSet, allow: &AllowList) -> GateReport {
    let mut acceptor = Acceptor {
        allow,
        used: vec![false; allow.allow.len()],
    };
    let mut entries = Vec::new();
    if let Some(base) = base {
        entries.extend(published(base, head, &mut acceptor));
    }
    for event in &head.events {
        let is_new = base.is_some_and(|b| b.event(&event.name).is_none());
        if let (true, Some(first)) = (is_new, event.versions.first()) {
            entries.push(GateEntry {
                event: event.name.clone(),
                kind: EntryKind::NewEvent {
                    version: first.version.clone(),
                },
                file: first.file.clone(),
                made: None,
                required: Bump::None,
                findings: Vec::new(),
                status: Status::NewEvent,
            });
        }
        for pair in event.versions.windows(2) {
            entries.push(step(&event.name, (&pair[0], &pair[1]), head, &mut acceptor));
        }
    }
    entries.sort_by(|a, b| {
        (a.event.as_str(), kind_rank(&a.kind), a.kind.from()).cmp(&(
            b.event.as_str(),
            kind_rank(&b.kind),
            b.kind.from(),
        ))
    });
    let unused_allows = allow
        .allow
        .iter()
        .zip(&acceptor.used)
        .filter(|(_, used)| !**used)
        .map(|(e, _)| e.clone())
        .collect();
    GateReport {
        entries,
        unused_allows,
        events_checked: head.events.len(),
    }
}

/// Published versions (on the base) edited or deleted in the head.
fn published(base: &SchemaSet, head: &SchemaSet, acceptor: &mut Acceptor<'_>) -> Vec<GateEntry> {
    let mut entries = Vec::new();
    for base_event in &base.events {
        let head_event = head.event(&base_event.name);
        for published in &base_event.versions {
            let version = published.version.clone();
            let versions = version.to_string();
            match head_event.and_then(|e| e.version(&version)) {
                None => {
                    let status = match acceptor.accept(
                        &base_event.name,
                        "published-version-deleted",
                        "",
                        &versions,
                    ) {
                        Some(reason) => Status::Accepted(reason),
                        None => Status::Deleted,
                    };
                    entries.push(GateEntry {
                        event: base_event.name.clone(),
                        kind: EntryKind::PublishedDelete { version },
                        file: published.file.clone(),
                        made: None,
                        required: Bump::None,
                        findings: Vec::new(),
                        status,
                    });
                }
                Some(current) if !json_eq(&published.bundled, &current.bundled) => {
                    let d = diff(&published.bundled, &current.bundled);
                    let findings = d
                        .findings
                        .into_iter()
                        .map(|f| {
                            let location = locate(&f, (published, base, true), (current, head));
                            GateFinding {
                                finding: f,
                                location,
                                accepted: None,
                            }
                        })
                        .collect();
                    let status = match acceptor.accept(
                        &base_event.name,
                        "published-version-edited",
                        "",
                        &versions,
                    ) {
                        Some(reason) => Status::Accepted(reason),
                        None => Status::Edited,
                    };
                    entries.push(GateEntry {
                        event: base_event.name.clone(),
                        kind: EntryKind::PublishedEdit { version },
                        file: current.file.clone(),
                        made: None,
                        required: d.required,
                        findings,
                        status,
                    });
                }
                Some(_) => {}
            }
        }
    }
    entries
}

/// One pair of consecutive versions in the head.
fn step(
    event: &str,
    (old, new): (&EventVersion, &EventVersion),
    head: &SchemaSet,
    acceptor: &mut Acceptor<'_>,
) -> GateEntry {
    let versions = format!("{} -> {}", old.version, new.version);
    let d = diff(&old.bundled, &new.bundled);
    let findings: Vec<GateFinding> = d
        .findings
        .into_iter()
        .map(|f| {
            let location = locate(&f, (old, head, false), (new, head));
            let accepted = acceptor.accept(event, f.rule.id(), &f.pointer, &versions);
            GateFinding {
                finding: f,
                location,
                accepted,
            }
        })
        .collect();
    let floor = if json_eq(&old.bundled, &new.bundled) {
        Bump::None
    } else {
        Bump::Patch
    };
    let required = findings
        .iter()
        .filter(|f| f.accepted.is_none())
        .map(|f| f.finding.bump())
        .fold(floor, Bump::max);
    let made = Bump::between(&old.version, &new.version).unwrap_or(Bump::None);
    let status = match made.cmp(&required) {
        std::cmp::Ordering::Less => Status::TooSmall,
        std::cmp::Ordering::Equal => Status::Ok,
        std::cmp::Ordering::Greater => Status::BiggerThanNeeded,
    };
    GateEntry {
        event: event.to_owned(),
        kind: EntryKind::Step {
            from: old.version.clone(),
            to: new.version.clone(),
        },
        file: new.file.clone(),
        made: Some(made),
        required,
        findings,
        status,
    }
}

fn kind_rank(kind: &EntryKind) -> u8 {
    match kind {
        EntryKind::PublishedDelete { .. } => 0,
        EntryKind::PublishedEdit { .. } => 1,
        EntryKind::NewEvent { .. } => 2,
        EntryKind::Step { .. } => 3,
    }
}

/// The file and line of a finding: in the version it points into, or in the shared file a
/// bundled definition came from.
fn locate(
    finding: &Finding,
    old: (&EventVersion, &SchemaSet, bool),
    new: (&EventVersion, &SchemaSet),
) -> Location {
    let (version, set, base) = match finding.side {
        Side::Old => old,
        Side::New => (new.0, new.1, false),
    };
    let (file, line, pointer) = version.source_of(set, &finding.pointer);
    Location {
        shared: file != version.file,
        file,
        line,
        pointer,
        base,
    }
}
