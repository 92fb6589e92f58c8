//! The version check over a schema folder (`compat::check_set`), on folders built in
//! memory: correct and too-small bumps, published versions edited (directly or through a
//! shared file) or deleted, new events, the allow-list, and the repository's own schemas.

use std::path::Path;

use event_contracts_compat::{
    self as compat, AllowList, Bump, EntryKind, Format, GateReport, Status,
};
use event_contracts_schema::{load, LoadOptions, SchemaFiles, SchemaSet};
use semver::Version;
use serde_json::Value;

const ENVELOPE: &str = r#"{
  "$schema": "http://json-schema.org/draft-07/schema#",
  "definitions": {
    "version": {"type": "string", "pattern": "^\\d+\\.\\d+\\.\\d+$"},
    "meta": {"type": "object", "properties": {"requestId": {"type": "string"}}}
  }
}
"#;

/// A WidgetMade schema whose `data` has the given properties and required list.
fn widget(name: &str, data_properties: &str, data_required: &str) -> String {
    format!(
        r#"{{
  "$schema": "http://json-schema.org/draft-07/schema#",
  "type": "object",
  "required": ["eventType", "version", "data"],
  "properties": {{
    "eventType": {{"type": "string", "enum": ["{name}"]}},
    "version": {{"$ref": "../common/envelope.json#/definitions/version"}},
    "meta": {{"$ref": "../common/envelope.json#/definitions/meta"}},
    "data": {{
      "type": "object",
      "required": [{data_required}],
      "properties": {{
{data_properties}
      }}
    }}
  }}
}}
"#
    )
}

const NAME_10: &str = r#"        "name": {"type": "string", "maxLength": 10}"#;
const NAME_5: &str = r#"        "name": {"type": "string", "maxLength": 5}"#;
const NAME_10_COLOR: &str = r#"        "name": {"type": "string", "maxLength": 10},
        "color": {"type": "string"}"#;

fn set(files: &[(&str, String)]) -> SchemaSet {
    let files = SchemaFiles::from_files(
        "schemas",
        files
            .iter()
            .map(|(p, t)| ((*p).to_owned(), t.clone().into_bytes())),
    );
    load(&files, &LoadOptions::default()).unwrap_or_else(|e| panic!("{e}"))
}

fn envelope() -> (&'static str, String) {
    ("common/envelope.json", ENVELOPE.to_owned())
}

fn v(text: &str) -> Version {
    Version::parse(text).unwrap_or_else(|e| panic!("{e}"))
}

fn check(base: &SchemaSet, head: &SchemaSet) -> GateReport {
    compat::check_set(Some(base), head, &AllowList::default())
}

/// (event, versions, status, made, required, rule ids) of one entry.
type Summary = (
    String,
    String,
    &'static str,
    Option<Bump>,
    Bump,
    Vec<&'static str>,
);

/// The [`Summary`] of each entry.
fn summary(report: &GateReport) -> Vec<Summary> {
    report
        .entries
        .iter()
        .map(|e| {
            (
                e.event.clone(),
                e.kind.versions(),
                e.status.as_str(),
                e.made,
                e.required,
                e.findings.iter().map(|f| f.finding.rule.id()).collect(),
            )
        })
        .collect()
}

fn base_set() -> SchemaSet {
    set(&[
        envelope(),
        (
            "widget-made/1.0.0.json",
            widget("WidgetMade", NAME_10, r#""name""#),
        ),
    ])
}

#[test]
fn a_correct_minor_bump_passes() {
    let head = set(&[
        envelope(),
        (
            "widget-made/1.0.0.json",
            widget("WidgetMade", NAME_10, r#""name""#),
        ),
        (
            "widget-made/1.1.0.json",
            widget("WidgetMade", NAME_10_COLOR, r#""name""#),
        ),
    ]);
    let report = check(&base_set(), &head);
    assert_eq!(
        summary(&report),
        [(
            "WidgetMade".into(),
            "1.0.0 -> 1.1.0".into(),
            "ok",
            Some(Bump::Minor),
            Bump::Minor,
            vec!["optional-property-added"]
        )]
    );
    assert!(report.passed());
    let f = &report.entries[0].findings[0];
    assert_eq!(f.finding.pointer, "/properties/data/properties/color");
    assert_eq!(
        (f.location.file.as_str(), f.location.line),
        ("schemas/widget-made/1.1.0.json", Some(14))
    );
}

#[test]
fn a_too_small_bump_fails() {
    let head = set(&[
        envelope(),
        (
            "widget-made/1.0.0.json",
            widget("WidgetMade", NAME_10, r#""name""#),
        ),
        (
            "widget-made/1.0.1.json",
            widget("WidgetMade", NAME_5, r#""name""#),
        ),
    ]);
    let report = check(&base_set(), &head);
    assert_eq!(
        summary(&report),
        [(
            "WidgetMade".into(),
            "1.0.0 -> 1.0.1".into(),
            "too-small",
            Some(Bump::Patch),
            Bump::Major,
            vec!["string-length-tightened"]
        )]
    );
    assert!(!report.passed());
    let w = report.entries[0].findings[0]
        .finding
        .witness()
        .unwrap_or_else(|| panic!("no witness"));
    assert_eq!(w.event["data"]["name"], "aaaaaa");
}

#[test]
fn a_bigger_bump_than_needed_passes_with_a_note() {
    let head = set(&[
        envelope(),
        (
            "widget-made/1.0.0.json",
            widget("WidgetMade", NAME_10, r#""name""#),
        ),
        (
            "widget-made/2.0.0.json",
            widget("WidgetMade", NAME_10_COLOR, r#""name""#),
        ),
    ]);
    let report = check(&base_set(), &head);
    assert_eq!(report.entries[0].status, Status::BiggerThanNeeded);
    assert!(report.passed());
    assert!(compat::render_gate(&report, Format::Human)
        .contains("note[bump-bigger-than-needed]: a minor bump would do"));
}

#[test]
fn editing_a_published_version_fails_even_when_the_change_is_minor() {
    let head = set(&[
        envelope(),
        (
            "widget-made/1.0.0.json",
            widget("WidgetMade", NAME_10_COLOR, r#""name""#),
        ),
    ]);
    let report = check(&base_set(), &head);
    assert_eq!(
        summary(&report),
        [(
            "WidgetMade".into(),
            "1.0.0".into(),
            "published-version-edited",
            None,
            Bump::Minor,
            vec!["optional-property-added"]
        )]
    );
    assert!(!report.passed());
}

#[test]
fn reformatting_a_published_version_is_not_an_edit() {
    let compact: Value =
        serde_json::from_str(&widget("WidgetMade", NAME_10, r#""name""#)).unwrap_or_default();
    let head = set(&[envelope(), ("widget-made/1.0.0.json", compact.to_string())]);
    let report = check(&base_set(), &head);
    assert!(report.entries.is_empty());
    assert!(report.passed());
}

#[test]
fn editing_a_shared_file_edits_every_published_version_that_uses_it() {
    let base = set(&[
        envelope(),
        (
            "widget-made/1.0.0.json",
            widget("WidgetMade", NAME_10, r#""name""#),
        ),
        ("gadget-sold/1.0.0.json", widget("GadgetSold", NAME_10, "")),
    ]);
    let edited = ENVELOPE.replace(
        r#""requestId": {"type": "string"}"#,
        r#""requestId": {"type": "string", "format": "uuid"}"#,
    );
    let head = set(&[
        ("common/envelope.json", edited),
        (
            "widget-made/1.0.0.json",
            widget("WidgetMade", NAME_10, r#""name""#),
        ),
        ("gadget-sold/1.0.0.json", widget("GadgetSold", NAME_10, "")),
    ]);
    let report = check(&base, &head);
    assert_eq!(
        summary(&report),
        [
            (
                "GadgetSold".into(),
                "1.0.0".into(),
                "published-version-edited",
                None,
                Bump::Major,
                vec!["format-added"]
            ),
            (
                "WidgetMade".into(),
                "1.0.0".into(),
                "published-version-edited",
                None,
                Bump::Major,
                vec!["format-added"]
            ),
        ]
    );
    let f = &report.entries[0].findings[0];
    assert_eq!(
        f.finding.pointer,
        "/definitions/common.envelope.meta/properties/requestId/format"
    );
    assert_eq!(f.location.file, "schemas/common/envelope.json");
    assert_eq!(
        f.location.pointer,
        "/definitions/meta/properties/requestId/format"
    );
    assert_eq!(f.location.line, Some(5));
    assert!(f.location.shared);
}

#[test]
fn deleting_a_published_version_fails_and_a_new_event_passes() {
    let base = set(&[
        envelope(),
        (
            "widget-made/1.0.0.json",
            widget("WidgetMade", NAME_10, r#""name""#),
        ),
        (
            "widget-made/1.1.0.json",
            widget("WidgetMade", NAME_10_COLOR, r#""name""#),
        ),
    ]);
    let head = set(&[
        envelope(),
        (
            "widget-made/1.0.0.json",
            widget("WidgetMade", NAME_10, r#""name""#),
        ),
        ("gadget-sold/1.0.0.json", widget("GadgetSold", NAME_5, "")),
    ]);
    let report = check(&base, &head);
    assert_eq!(
        summary(&report),
        [
            (
                "GadgetSold".into(),
                "1.0.0".into(),
                "new-event",
                None,
                Bump::None,
                vec![]
            ),
            (
                "WidgetMade".into(),
                "1.1.0".into(),
                "published-version-deleted",
                None,
                Bump::None,
                vec![]
            ),
        ]
    );
    assert!(!report.passed());
    assert_eq!(
        report.entries[1].kind,
        EntryKind::PublishedDelete {
            version: v("1.1.0")
        }
    );
}

#[test]
fn the_allow_list_accepts_a_finding_and_reports_unused_entries() {
    let head = set(&[
        envelope(),
        (
            "widget-made/1.0.0.json",
            widget("WidgetMade", NAME_10, r#""name""#),
        ),
        (
            "widget-made/1.0.1.json",
            widget("WidgetMade", NAME_5, r#""name""#),
        ),
    ]);
    let allow = AllowList::parse(
        r#"{"allow": [
            {"event": "WidgetMade", "rule": "string-length-tightened", "pointer": "/properties/data/properties/name/maxLength",
             "reason": "no producer ever sent names longer than 5", "versions": "1.0.0 -> 1.0.1"},
            {"event": "WidgetMade", "rule": "enum-value-added", "pointer": "/properties/eventType/enum/1", "reason": "stale"}
        ]}"#,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let report = compat::check_set(Some(&base_set()), &head, &allow);
    assert_eq!(
        summary(&report),
        [(
            "WidgetMade".into(),
            "1.0.0 -> 1.0.1".into(),
            "ok",
            Some(Bump::Patch),
            Bump::Patch,
            vec!["string-length-tightened"]
        )]
    );
    assert_eq!(
        report.entries[0].findings[0].accepted.as_deref(),
        Some("no producer ever sent names longer than 5")
    );
    assert!(report.passed());
    assert_eq!(report.unused_allows.len(), 1);
    assert_eq!(report.unused_allows[0].rule, "enum-value-added");
    let human = compat::render_gate(&report, Format::Human);
    assert!(
        human.contains("= accepted: no producer ever sent names longer than 5 (compat-allow.json)"),
        "{human}"
    );
    assert!(human.contains("warning[unused-allow-entry]"), "{human}");
}

#[test]
fn the_allow_list_can_accept_an_edit_of_a_published_version() {
    let head = set(&[
        envelope(),
        (
            "widget-made/1.0.0.json",
            widget("WidgetMade", NAME_10_COLOR, r#""name""#),
        ),
    ]);
    let allow = AllowList::parse(
        r#"{"allow": [{"event": "WidgetMade", "rule": "published-version-edited", "pointer": "", "versions": "1.0.0", "reason": "never deployed"}]}"#,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let report = compat::check_set(Some(&base_set()), &head, &allow);
    assert_eq!(
        report.entries[0].status,
        Status::Accepted("never deployed".into())
    );
    assert!(report.passed());
    assert!(report.unused_allows.is_empty());
}

#[test]
fn a_failing_gate_report_reads_well() {
    let base = set(&[
        envelope(),
        (
            "widget-made/1.0.0.json",
            widget("WidgetMade", NAME_10, r#""name""#),
        ),
        (
            "widget-made/1.1.0.json",
            widget("WidgetMade", NAME_10_COLOR, r#""name""#),
        ),
    ]);
    let head = set(&[
        envelope(),
        (
            "widget-made/1.0.0.json",
            widget("WidgetMade", NAME_10, r#""name""#),
        ),
        (
            "widget-made/1.1.0.json",
            widget("WidgetMade", NAME_10_COLOR, r#""name", "color""#),
        ),
        (
            "widget-made/1.1.1.json",
            widget("WidgetMade", NAME_5, r#""name""#),
        ),
    ]);
    let report = check(&base, &head);
    insta::assert_snapshot!(
        "compat_gate_failing_report",
        compat::render_gate(&report, Format::Human)
    );
    let github = compat::render_gate(&report, Format::Github);
    insta::assert_snapshot!("compat_gate_failing_github", github);
    let json: Value =
        serde_json::from_str(&compat::render_gate(&report, Format::Json)).unwrap_or_default();
    let entries = json.as_array().map(Vec::len);
    assert_eq!(entries, Some(3));
    assert_eq!(json[0]["kind"], "published-edit");
    assert_eq!(json[0]["status"], "published-version-edited");
    assert_eq!(json[1]["from"], "1.0.0");
    assert_eq!(json[1]["to"], "1.1.0");
    assert_eq!(json[2]["status"], "too-small");
    assert_eq!(json[2]["required"], "major");
    assert_eq!(json[2]["made"], "patch");
    assert_eq!(json[2]["findings"][0]["rule"], "property-removed");
    assert_eq!(
        json[2]["findings"][0]["file"],
        "schemas/widget-made/1.1.0.json"
    );
    assert_eq!(json[2]["findings"][1]["rule"], "string-length-tightened");
}

fn repo_schemas() -> SchemaSet {
    let files = SchemaFiles::read_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas"))
        .unwrap_or_else(|e| panic!("the repository's schemas are readable: {e}"));
    load(&files, &LoadOptions::default()).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn the_repository_product_created_1_1_0_is_a_minor_bump() {
    let head = repo_schemas();
    let report = compat::check_set(None, &head, &AllowList::default());
    let entry = report
        .entries
        .iter()
        .find(|e| {
            e.event == "ProductCreated"
                && e.kind
                    == EntryKind::Step {
                        from: v("1.0.0"),
                        to: v("1.1.0"),
                    }
        })
        .unwrap_or_else(|| panic!("no ProductCreated 1.0.0 -> 1.1.0 pair"));
    assert_eq!(
        (entry.made, entry.required, &entry.status),
        (Some(Bump::Minor), Bump::Minor, &Status::Ok)
    );
    let ids: Vec<&str> = entry.findings.iter().map(|f| f.finding.rule.id()).collect();
    assert_eq!(ids, ["optional-property-added"]);
    assert_eq!(
        entry.findings[0].finding.pointer,
        "/properties/data/properties/metadata"
    );
    assert!(report.passed());
    // Against itself as the base: nothing edited, nothing deleted.
    let same = compat::check_set(Some(&head), &head, &AllowList::default());
    assert!(same.passed());
    assert!(same
        .entries
        .iter()
        .all(|e| matches!(e.kind, EntryKind::Step { .. })));
}

#[test]
fn the_checked_in_allow_list_parses() {
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../compat-allow.json"))
            .unwrap_or_else(|e| panic!("{e}"));
    let list = AllowList::parse(&text).unwrap_or_else(|e| panic!("{e}"));
    assert!(list.comment.is_some_and(|c| c.contains("reason")));
}
