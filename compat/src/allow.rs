//! The allow-list (`compat-allow.json`): findings accepted on purpose, each with a reason.
//!
//! An entry names the event, the rule id and the JSON pointer of one finding as the report
//! shows them (optionally the versions, `"1.0.0 -> 1.1.0"` for a pair or `"1.0.0"` for a
//! published version). The report still shows an accepted finding, marked as accepted, and
//! lists entries that matched nothing so that the file does not rot.

use serde::Deserialize;

use crate::rules::{gate_check, Rule};

/// One accepted finding.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AllowEntry {
    /// The event name, e.g. `ProductCreated`.
    pub event: String,
    /// The rule or gate-check id, e.g. `enum-value-added`.
    pub rule: String,
    /// The finding's JSON pointer, as the report shows it (empty for a whole version).
    pub pointer: String,
    /// Why the finding is acceptable. Required.
    pub reason: String,
    /// Limits the entry to one version pair (`"1.0.0 -> 1.1.0"`) or version (`"1.0.0"`).
    #[serde(default)]
    pub versions: Option<String>,
}

impl AllowEntry {
    /// Whether this entry accepts the finding described by the arguments.
    pub fn matches(&self, event: &str, rule: &str, pointer: &str, versions: &str) -> bool {
        self.event == event
            && self.rule == rule
            && self.pointer == pointer
            && self
                .versions
                .as_deref()
                .is_none_or(|v| normalize(v) == normalize(versions))
    }
}

fn normalize(versions: &str) -> String {
    versions.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The parsed allow-list file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AllowList {
    /// What the file is for (kept in the file for people reading it).
    #[serde(rename = "$comment", default)]
    pub comment: Option<String>,
    /// The accepted findings.
    #[serde(default)]
    pub allow: Vec<AllowEntry>,
}

/// Why an allow-list file was rejected.
#[derive(Debug, thiserror::Error)]
pub enum AllowListError {
    /// Not the expected JSON shape.
    #[error("the allow-list is not valid: {0} (expected {{\"allow\": [{{\"event\", \"rule\", \"pointer\", \"reason\"}}]}})")]
    Json(#[from] serde_json::Error),
    /// An entry without a reason.
    #[error("allow-list entry {index} ({event}, {rule}) has no reason; say why the finding is acceptable")]
    MissingReason {
        /// Position in the list, from 0.
        index: usize,
        /// The entry's event.
        event: String,
        /// The entry's rule.
        rule: String,
    },
    /// An entry naming a rule that does not exist.
    #[error("allow-list entry {index} names the unknown rule {rule:?}; see `cargo xtask compat --explain <rule>` for the ids")]
    UnknownRule {
        /// Position in the list, from 0.
        index: usize,
        /// The id as written.
        rule: String,
    },
    /// The same entry twice.
    #[error("allow-list entry {index} repeats an earlier entry")]
    Duplicate {
        /// Position in the list, from 0.
        index: usize,
    },
}

impl AllowList {
    /// Parses and checks the file's text.
    pub fn parse(text: &str) -> Result<AllowList, AllowListError> {
        let list: AllowList = serde_json::from_str(text)?;
        for (index, entry) in list.allow.iter().enumerate() {
            if entry.reason.trim().is_empty() {
                return Err(AllowListError::MissingReason {
                    index,
                    event: entry.event.clone(),
                    rule: entry.rule.clone(),
                });
            }
            if Rule::from_id(&entry.rule).is_none() && gate_check(&entry.rule).is_none() {
                return Err(AllowListError::UnknownRule {
                    index,
                    rule: entry.rule.clone(),
                });
            }
            if list.allow[..index].contains(entry) {
                return Err(AllowListError::Duplicate { index });
            }
        }
        Ok(list)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_entries_and_matches_them() {
        let list = AllowList::parse(
            r#"{"$comment": "x", "allow": [{"event": "E", "rule": "enum-value-added",
                "pointer": "/properties/a/enum/2", "reason": "no consumer reads it yet",
                "versions": "1.0.0->1.1.0"}]}"#,
        )
        .unwrap();
        let e = &list.allow[0];
        assert!(!e.matches(
            "E",
            "enum-value-added",
            "/properties/a/enum/2",
            "1.0.0 -> 1.1.0"
        ));
        assert!(e.matches(
            "E",
            "enum-value-added",
            "/properties/a/enum/2",
            "1.0.0->1.1.0"
        ));
        assert!(!e.matches(
            "F",
            "enum-value-added",
            "/properties/a/enum/2",
            "1.0.0->1.1.0"
        ));
        let open = AllowEntry {
            versions: None,
            ..e.clone()
        };
        assert!(open.matches(
            "E",
            "enum-value-added",
            "/properties/a/enum/2",
            "2.0.0 -> 2.1.0"
        ));
    }

    #[test]
    fn rejects_bad_entries() {
        let missing = r#"{"allow": [{"event": "E", "rule": "enum-value-added", "pointer": "", "reason": " "}]}"#;
        assert!(matches!(
            AllowList::parse(missing),
            Err(AllowListError::MissingReason { index: 0, .. })
        ));
        let unknown =
            r#"{"allow": [{"event": "E", "rule": "enum-grew", "pointer": "", "reason": "r"}]}"#;
        assert!(matches!(
            AllowList::parse(unknown),
            Err(AllowListError::UnknownRule { index: 0, .. })
        ));
        let typo = r#"{"allow": [{"event": "E", "rule": "enum-value-added", "pointr": "", "reason": "r"}]}"#;
        assert!(matches!(
            AllowList::parse(typo),
            Err(AllowListError::Json(_))
        ));
        let twice = r#"{"allow": [{"event": "E", "rule": "published-version-edited", "pointer": "", "reason": "r"},
                                  {"event": "E", "rule": "published-version-edited", "pointer": "", "reason": "r"}]}"#;
        assert!(matches!(
            AllowList::parse(twice),
            Err(AllowListError::Duplicate { index: 1 })
        ));
        assert_eq!(AllowList::parse("{}").unwrap(), AllowList::default());
    }
}
