//! The rule catalog: every kind of change the engine can find, as data.
//!
//! The diff code ([`super::engine`]) only finds changes and names the rule; this table
//! judges them: the bump each requires, whom it breaks, why, and how to fix it. A new
//! rule is one row here, one place in the engine that emits it, and one test case.

use std::fmt;

use semver::Version;

/// A semver bump, ordered from none to major.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Bump {
    /// Nothing changed.
    None,
    /// Documentation or an equivalent rewrite: every instance keeps its validity.
    Patch,
    /// A backward- and forward-compatible addition.
    Minor,
    /// A breaking change.
    Major,
}

impl Bump {
    /// The lower-case name used in reports and JSON (`none`, `patch`, `minor`, `major`).
    pub fn as_str(self) -> &'static str {
        match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }

    /// Parses the lower-case name.
    pub fn parse(text: &str) -> Option<Bump> {
        match text {
            "none" => Some(Bump::None),
            "patch" => Some(Bump::Patch),
            "minor" => Some(Bump::Minor),
            "major" => Some(Bump::Major),
            _ => None,
        }
    }

    /// The bump made from `old` to `new`; `None` when `new` is not greater than `old`.
    ///
    /// Below 1.0.0 the numbers shift one place, as Cargo reads them: `0.1.x -> 0.2.0`
    /// is a major bump and `0.1.0 -> 0.1.1` is a minor one (a 0.x version has no way
    /// to express a patch-only change).
    pub fn between(old: &Version, new: &Version) -> Option<Bump> {
        if new <= old {
            return None;
        }
        let breaking = new.major != old.major || (new.major == 0 && new.minor != old.minor);
        Some(if breaking {
            Bump::Major
        } else if new.major == 0 || new.minor != old.minor {
            Bump::Minor
        } else {
            Bump::Patch
        })
    }
}

impl fmt::Display for Bump {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which readers a change breaks. Rollout order follows from it ([`Breaks::rollout`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Breaks {
    /// Nobody: every event keeps its validity under both versions.
    Nobody,
    /// Consumers still on the old version reject (or misread) events producers write with the new one.
    OldReadersOfNewEvents,
    /// Consumers on the new version reject (or misread) events written with the old one.
    NewReadersOfOldEvents,
    /// Both of the above.
    Both,
}

impl Breaks {
    /// A short phrase for reports.
    pub fn describe(self) -> &'static str {
        match self {
            Breaks::Nobody => "nobody",
            Breaks::OldReadersOfNewEvents => "old readers of new events",
            Breaks::NewReadersOfOldEvents => "new readers of old events",
            Breaks::Both => "old readers of new events and new readers of old events",
        }
    }

    /// The machine name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Breaks::Nobody => "nobody",
            Breaks::OldReadersOfNewEvents => "old-readers-of-new-events",
            Breaks::NewReadersOfOldEvents => "new-readers-of-old-events",
            Breaks::Both => "both",
        }
    }

    /// Which side must roll out first, as a machine name.
    pub fn rollout_id(self) -> &'static str {
        match self {
            Breaks::Nobody => "any-order",
            Breaks::OldReadersOfNewEvents => "consumers-first",
            Breaks::NewReadersOfOldEvents => "producers-first",
            Breaks::Both => "new-major-side-by-side",
        }
    }

    /// Which side must roll out first, and what that still leaves broken.
    pub fn rollout(self) -> &'static str {
        match self {
            Breaks::Nobody => "any order: producers and consumers can upgrade independently",
            Breaks::OldReadersOfNewEvents => {
                "consumers first: every consumer must run the new version before any producer emits it"
            }
            Breaks::NewReadersOfOldEvents => {
                "producers first: every producer must stop emitting what the new version rejects \
                 before consumers upgrade; events already stored (replays, dead-letter queues) still \
                 break and need an upcaster"
            }
            Breaks::Both => {
                "no order is safe: publish the change as a new major version and run both versions \
                 side by side until every consumer has moved"
            }
        }
    }
}

/// A change to the fix that lowers the bump, e.g. "make it optional" (minor).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Smaller {
    /// What to do instead.
    pub change: &'static str,
    /// The bump the change then needs.
    pub bump: Bump,
}

/// A worked example of a rule: two schemas whose diff finds exactly this rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Example {
    /// The old schema, as JSON text.
    pub old: &'static str,
    /// The new schema, as JSON text.
    pub new: &'static str,
}

/// One row of the catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Stable id, used in reports, the allow-list and `--explain`.
    pub id: &'static str,
    /// One line: what changed.
    pub summary: &'static str,
    /// The bump the change requires.
    pub bump: Bump,
    /// Whom it breaks.
    pub breaks: Breaks,
    /// Why it requires that bump.
    pub why: &'static str,
    /// How to make the change safely.
    pub fix: &'static str,
    /// A different change that needs a smaller bump, when there is one.
    pub smaller: Option<Smaller>,
    /// A worked example (none only where a small one cannot exist).
    pub example: Option<Example>,
}

/// A check the gate makes over versions (not over two schemas), with its explanation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GateCheck {
    /// Stable id, used in reports, the allow-list and `--explain`.
    pub id: &'static str,
    /// One line: what the gate found.
    pub summary: &'static str,
    /// Whether the finding fails the gate.
    pub fails: bool,
    /// Why the gate checks this.
    pub why: &'static str,
    /// What to do about it.
    pub fix: &'static str,
}

/// Looks a rule up by id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// Looks a gate check up by id.
pub fn gate_check(id: &str) -> Option<&'static GateCheck> {
    GATE_CHECKS.iter().find(|c| c.id == id)
}

/// The rule with this id; the engine only names ids that are in the table (a unit test checks).
pub(crate) fn known(id: &str) -> &'static Rule {
    match rule(id) {
        Some(r) => r,
        // Reaching this is a bug in the engine, caught by the catalog tests; the
        // conservative rule keeps the verdict safe (major) even then.
        None => &RULES[RULES.len() - 1],
    }
}

const fn smaller(change: &'static str, bump: Bump) -> Option<Smaller> {
    Some(Smaller { change, bump })
}

const fn ex(old: &'static str, new: &'static str) -> Option<Example> {
    Some(Example { old, new })
}

use Breaks::{
    Both, NewReadersOfOldEvents as NewReaders, Nobody, OldReadersOfNewEvents as OldReaders,
};
use Bump::{Major, Minor, Patch};

/// Every rule the engine applies. The last row is the catch-all the engine falls back on.
pub static RULES: &[Rule] = &[
    Rule {
        id: "annotation-changed",
        summary: "a title, description, $comment, examples, readOnly, writeOnly or deprecated changed",
        bump: Patch,
        breaks: Nobody,
        why: "Annotations document the contract; validators ignore them, so every event keeps its \
              validity under both versions.",
        fix: "Nothing to fix: release it as a patch.",
        smaller: None,
        example: ex(
            r#"{"type": "object", "properties": {"name": {"type": "string", "description": "Name"}}}"#,
            r#"{"type": "object", "properties": {"name": {"type": "string", "description": "Product name, as shown to buyers"}}}"#,
        ),
    },
    Rule {
        id: "optional-property-added",
        summary: "an optional property was added to an object that allows additional properties",
        bump: Minor,
        breaks: Nobody,
        why: "Old readers accept the new property because the object allows properties it does not \
              declare, and new readers accept old events because the property is optional. One \
              caveat the policy accepts: an old event that already carried an undeclared property \
              of the same name, in another shape, is rejected by the new version. Producers must \
              not send undeclared properties; the policy (and the engine's invariant tests) assume \
              old events never carry a property under a name a later version declares.",
        fix: "Nothing to fix: release it as a minor version. Readers must tolerate its absence; give \
              an upcaster a value to fill in if readers need one.",
        smaller: None,
        example: ex(
            r#"{"type": "object", "properties": {"name": {"type": "string"}}}"#,
            r#"{"type": "object", "properties": {"name": {"type": "string"}, "color": {"type": "string"}}}"#,
        ),
    },
    Rule {
        id: "enum-value-added",
        summary: "a value was added to an enum (or a const/enum now allows a value it did not)",
        bump: Major,
        breaks: OldReaders,
        why: "An old reader validates against the old list and rejects an event that carries the new \
              value; generated Rust enums from the old version have no variant for it.",
        fix: "Add the value in a new major version. If the list is meant to grow, model it as a \
              string with documented values instead of an enum, in the next major version.",
        smaller: None,
        example: ex(
            r#"{"type": "object", "properties": {"category": {"type": "string", "enum": ["books", "toys"]}}}"#,
            r#"{"type": "object", "properties": {"category": {"type": "string", "enum": ["books", "toys", "games"]}}}"#,
        ),
    },
    Rule {
        id: "enum-value-removed",
        summary: "a value was removed from an enum",
        bump: Major,
        breaks: NewReaders,
        why: "Events written before the change may carry the removed value; a new reader rejects them.",
        fix: "Keep the value and document it as deprecated; stop producing it.",
        smaller: smaller("keep the value and mark it deprecated in the description", Patch),
        example: ex(
            r#"{"type": "object", "properties": {"category": {"type": "string", "enum": ["books", "toys", "games"]}}}"#,
            r#"{"type": "object", "properties": {"category": {"type": "string", "enum": ["books", "toys"]}}}"#,
        ),
    },
    Rule {
        id: "enum-introduced",
        summary: "a value that was free is now limited to an enum or const",
        bump: Major,
        breaks: NewReaders,
        why: "Old events may carry any value the old schema allowed; a new reader rejects every value \
              outside the list.",
        fix: "Document the expected values instead, or introduce the enum in a new major version.",
        smaller: smaller("document the values in the description instead", Patch),
        example: ex(
            r#"{"type": "object", "properties": {"currency": {"type": "string"}}}"#,
            r#"{"type": "object", "properties": {"currency": {"type": "string", "enum": ["EUR", "USD"]}}}"#,
        ),
    },
    Rule {
        id: "enum-lifted",
        summary: "an enum or const was removed, so any value of the type is allowed",
        bump: Major,
        breaks: OldReaders,
        why: "New producers may send values outside the old list; old readers reject them and old \
              generated enums cannot hold them.",
        fix: "Add values to the enum in a new major version, or lift the enum in one.",
        smaller: None,
        example: ex(
            r#"{"type": "object", "properties": {"currency": {"type": "string", "enum": ["EUR", "USD"]}}}"#,
            r#"{"type": "object", "properties": {"currency": {"type": "string"}}}"#,
        ),
    },
    Rule {
        id: "type-widened",
        summary: "a value now accepts more JSON types (e.g. integer -> number, string -> string or number)",
        bump: Major,
        breaks: OldReaders,
        why: "New events may carry a value of the added type; old readers reject it, and old generated \
              types cannot hold it.",
        fix: "Add a new optional property of the new type instead, or widen the type in a new major \
              version.",
        smaller: smaller("add a new optional property with the wider type and keep this one", Minor),
        example: ex(
            r#"{"type": "object", "properties": {"quantity": {"type": "integer"}}}"#,
            r#"{"type": "object", "properties": {"quantity": {"type": "number"}}}"#,
        ),
    },
    Rule {
        id: "type-narrowed",
        summary: "a value accepts fewer JSON types (e.g. number -> integer)",
        bump: Major,
        breaks: NewReaders,
        why: "Old events may carry a value of the removed type; new readers reject them.",
        fix: "Keep the type, and document that producers only send the narrower one.",
        smaller: smaller("keep the type and document the narrower use", Patch),
        example: ex(
            r#"{"type": "object", "properties": {"price": {"type": "number"}}}"#,
            r#"{"type": "object", "properties": {"price": {"type": "integer"}}}"#,
        ),
    },
    Rule {
        id: "type-changed",
        summary: "a value's JSON type changed (some types removed, others added)",
        bump: Major,
        breaks: Both,
        why: "Old readers reject new events and new readers reject old ones.",
        fix: "Add a new property with the new type (minor), deprecate the old one, and remove it in \
              a later major version.",
        smaller: smaller("add a new optional property with the new type and keep this one", Minor),
        example: ex(
            r#"{"type": "object", "properties": {"price": {"type": "number"}}}"#,
            r#"{"type": "object", "properties": {"price": {"type": "string"}}}"#,
        ),
    },
    Rule {
        id: "type-made-nullable",
        summary: "a value now also accepts null",
        bump: Major,
        breaks: OldReaders,
        why: "New events may carry null; old readers reject it, and old generated types (a plain \
              field, not an Option) cannot hold it.",
        fix: "Make the property optional and omit it instead of sending null, in a new major version; \
              or add it in a new major version as nullable.",
        smaller: None,
        example: ex(
            r#"{"type": "object", "properties": {"sellerId": {"type": "string"}}}"#,
            r#"{"type": "object", "properties": {"sellerId": {"type": ["string", "null"]}}}"#,
        ),
    },
    Rule {
        id: "type-made-non-nullable",
        summary: "a value no longer accepts null",
        bump: Major,
        breaks: NewReaders,
        why: "Old events may carry null; new readers reject them.",
        fix: "Keep null allowed and document that producers no longer send it.",
        smaller: smaller("keep null allowed and document that it is no longer sent", Patch),
        example: ex(
            r#"{"type": "object", "properties": {"sellerId": {"type": ["string", "null"]}}}"#,
            r#"{"type": "object", "properties": {"sellerId": {"type": "string"}}}"#,
        ),
    },
    Rule {
        id: "string-length-tightened",
        summary: "minLength went up or maxLength went down",
        bump: Major,
        breaks: NewReaders,
        why: "Old events may carry a string of a length the new version rejects.",
        fix: "Keep the old limits and enforce the new ones in producers only, or change them in a new \
              major version.",
        smaller: smaller("keep the old limits and enforce the new ones in producers", Patch),
        example: ex(
            r#"{"type": "object", "properties": {"name": {"type": "string", "maxLength": 255}}}"#,
            r#"{"type": "object", "properties": {"name": {"type": "string", "maxLength": 100}}}"#,
        ),
    },
    Rule {
        id: "string-length-loosened",
        summary: "minLength went down or maxLength went up",
        bump: Major,
        breaks: OldReaders,
        why: "New events may carry a string of a length the old version rejects.",
        fix: "Loosen the limit in a new major version.",
        smaller: None,
        example: ex(
            r#"{"type": "object", "properties": {"name": {"type": "string", "maxLength": 100}}}"#,
            r#"{"type": "object", "properties": {"name": {"type": "string", "maxLength": 255}}}"#,
        ),
    },
    Rule {
        id: "pattern-added",
        summary: "a string gained a pattern",
        bump: Major,
        breaks: NewReaders,
        why: "Old events may carry strings that do not match the new pattern.",
        fix: "Document the format instead, or add the pattern in a new major version.",
        smaller: smaller("document the expected form in the description", Patch),
        example: ex(
            r#"{"type": "object", "properties": {"sku": {"type": "string"}}}"#,
            r#"{"type": "object", "properties": {"sku": {"type": "string", "pattern": "^[A-Z]{3}-[0-9]{4}$"}}}"#,
        ),
    },
    Rule {
        id: "pattern-removed",
        summary: "a string lost its pattern",
        bump: Major,
        breaks: OldReaders,
        why: "New events may carry strings the old pattern rejects.",
        fix: "Remove the pattern in a new major version.",
        smaller: None,
        example: ex(
            r#"{"type": "object", "properties": {"sku": {"type": "string", "pattern": "^[A-Z]{3}-[0-9]{4}$"}}}"#,
            r#"{"type": "object", "properties": {"sku": {"type": "string"}}}"#,
        ),
    },
    Rule {
        id: "pattern-changed",
        summary: "a string's pattern changed",
        bump: Major,
        breaks: Both,
        why: "The engine does not prove two regular expressions equivalent; a changed pattern is \
              read as accepting some strings the old one rejected and rejecting some it accepted.",
        fix: "Keep the published pattern, or change it in a new major version.",
        smaller: None,
        example: ex(
            r#"{"type": "object", "properties": {"sku": {"type": "string", "pattern": "^[A-Z]{3}-[0-9]{4}$"}}}"#,
            r#"{"type": "object", "properties": {"sku": {"type": "string", "pattern": "^[A-Z]{2}-[0-9]{6}$"}}}"#,
        ),
    },
    Rule {
        id: "format-added",
        summary: "a string gained a format (uuid, date-time, ...)",
        bump: Major,
        breaks: NewReaders,
        why: "The contracts validate formats; old events may carry strings that are not in the new \
              format.",
        fix: "Document the format instead, or add it in a new major version.",
        smaller: smaller("document the format in the description", Patch),
        example: ex(
            r#"{"type": "object", "properties": {"orderId": {"type": "string"}}}"#,
            r#"{"type": "object", "properties": {"orderId": {"type": "string", "format": "uuid"}}}"#,
        ),
    },
    Rule {
        id: "format-removed",
        summary: "a string lost its format",
        bump: Major,
        breaks: OldReaders,
        why: "New events may carry strings that old readers reject for not being in the format.",
        fix: "Remove the format in a new major version.",
        smaller: None,
        example: ex(
            r#"{"type": "object", "properties": {"orderId": {"type": "string", "format": "uuid"}}}"#,
            r#"{"type": "object", "properties": {"orderId": {"type": "string"}}}"#,
        ),
    },
    Rule {
        id: "format-changed",
        summary: "a string's format changed",
        bump: Major,
        breaks: Both,
        why: "Strings valid in one format are rejected by the other, in both directions.",
        fix: "Add a new property in the new format (minor) and deprecate this one.",
        smaller: smaller("add a new optional property in the new format and keep this one", Minor),
        example: ex(
            r#"{"type": "object", "properties": {"at": {"type": "string", "format": "date-time"}}}"#,
            r#"{"type": "object", "properties": {"at": {"type": "string", "format": "date"}}}"#,
        ),
    },
    Rule {
        id: "number-range-tightened",
        summary: "a numeric bound (minimum, maximum, exclusiveMinimum, exclusiveMaximum) got stricter",
        bump: Major,
        breaks: NewReaders,
        why: "Old events may carry numbers outside the new range.",
        fix: "Keep the old bounds and enforce the new ones in producers only.",
        smaller: smaller("keep the old bounds and enforce the new ones in producers", Patch),
        example: ex(
            r#"{"type": "object", "properties": {"quantity": {"type": "integer", "minimum": 0}}}"#,
            r#"{"type": "object", "properties": {"quantity": {"type": "integer", "minimum": 1}}}"#,
        ),
    },
    Rule {
        id: "number-range-loosened",
        summary: "a numeric bound got looser or was removed",
        bump: Major,
        breaks: OldReaders,
        why: "New events may carry numbers that old readers reject.",
        fix: "Loosen the bound in a new major version.",
        smaller: None,
        example: ex(
            r#"{"type": "object", "properties": {"price": {"type": "number", "minimum": 0}}}"#,
            r#"{"type": "object", "properties": {"price": {"type": "number"}}}"#,
        ),
    },
    Rule {
        id: "multiple-of-tightened",
        summary: "multipleOf was added or became a multiple of the old one",
        bump: Major,
        breaks: NewReaders,
        why: "Old events may carry numbers that are not multiples of the new step.",
        fix: "Keep the old step and enforce the new one in producers only.",
        smaller: smaller("keep the old step and enforce the new one in producers", Patch),
        example: ex(
            r#"{"type": "object", "properties": {"price": {"type": "integer", "multipleOf": 5}}}"#,
            r#"{"type": "object", "properties": {"price": {"type": "integer", "multipleOf": 10}}}"#,
        ),
    },
    Rule {
        id: "multiple-of-loosened",
        summary: "multipleOf was removed or became a divisor of the old one",
        bump: Major,
        breaks: OldReaders,
        why: "New events may carry numbers that are not multiples of the old step.",
        fix: "Loosen the step in a new major version.",
        smaller: None,
        example: ex(
            r#"{"type": "object", "properties": {"price": {"type": "integer", "multipleOf": 10}}}"#,
            r#"{"type": "object", "properties": {"price": {"type": "integer", "multipleOf": 5}}}"#,
        ),
    },
    Rule {
        id: "multiple-of-changed",
        summary: "multipleOf changed to a step that is neither a multiple nor a divisor of the old one",
        bump: Major,
        breaks: Both,
        why: "Some numbers are multiples of only one of the two steps, in both directions.",
        fix: "Keep the published step, or change it in a new major version.",
        smaller: None,
        example: ex(
            r#"{"type": "object", "properties": {"price": {"type": "integer", "multipleOf": 2}}}"#,
            r#"{"type": "object", "properties": {"price": {"type": "integer", "multipleOf": 3}}}"#,
        ),
    },
    Rule {
        id: "array-length-tightened",
        summary: "minItems went up or maxItems went down",
        bump: Major,
        breaks: NewReaders,
        why: "Old events may carry arrays of a length the new version rejects.",
        fix: "Keep the old limits and enforce the new ones in producers only.",
        smaller: smaller("keep the old limits and enforce the new ones in producers", Patch),
        example: ex(
            r#"{"type": "object", "properties": {"tags": {"type": "array", "items": {"type": "string"}, "maxItems": 10}}}"#,
            r#"{"type": "object", "properties": {"tags": {"type": "array", "items": {"type": "string"}, "maxItems": 5}}}"#,
        ),
    },
    Rule {
        id: "array-length-loosened",
        summary: "minItems went down or maxItems went up",
        bump: Major,
        breaks: OldReaders,
        why: "New events may carry arrays of a length the old version rejects.",
        fix: "Loosen the limit in a new major version.",
        smaller: None,
        example: ex(
            r#"{"type": "object", "properties": {"tags": {"type": "array", "items": {"type": "string"}, "minItems": 1}}}"#,
            r#"{"type": "object", "properties": {"tags": {"type": "array", "items": {"type": "string"}}}}"#,
        ),
    },
    Rule {
        id: "unique-items-added",
        summary: "an array now requires unique items",
        bump: Major,
        breaks: NewReaders,
        why: "Old events may carry arrays with duplicates.",
        fix: "Deduplicate in producers and document it, instead of requiring it.",
        smaller: smaller("deduplicate in producers and document it", Patch),
        example: ex(
            r#"{"type": "object", "properties": {"tags": {"type": "array", "items": {"type": "string"}}}}"#,
            r#"{"type": "object", "properties": {"tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": true}}}"#,
        ),
    },
    Rule {
        id: "unique-items-removed",
        summary: "an array no longer requires unique items",
        bump: Major,
        breaks: OldReaders,
        why: "New events may carry duplicates, which old readers reject (and old generated sets cannot hold).",
        fix: "Drop the requirement in a new major version.",
        smaller: None,
        example: ex(
            r#"{"type": "object", "properties": {"tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": true}}}"#,
            r#"{"type": "object", "properties": {"tags": {"type": "array", "items": {"type": "string"}}}}"#,
        ),
    },
    Rule {
        id: "property-count-tightened",
        summary: "minProperties went up or maxProperties went down",
        bump: Major,
        breaks: NewReaders,
        why: "Old events may carry objects with a number of properties the new version rejects.",
        fix: "Keep the old limits.",
        smaller: None,
        example: ex(
            r#"{"type": "object", "properties": {"attributes": {"type": "object", "maxProperties": 20}}}"#,
            r#"{"type": "object", "properties": {"attributes": {"type": "object", "maxProperties": 10}}}"#,
        ),
    },
    Rule {
        id: "property-count-loosened",
        summary: "minProperties went down or maxProperties went up",
        bump: Major,
        breaks: OldReaders,
        why: "New events may carry objects with a number of properties old readers reject.",
        fix: "Loosen the limit in a new major version.",
        smaller: None,
        example: ex(
            r#"{"type": "object", "properties": {"attributes": {"type": "object", "maxProperties": 10}}}"#,
            r#"{"type": "object", "properties": {"attributes": {"type": "object", "maxProperties": 20}}}"#,
        ),
    },
    Rule {
        id: "required-property-added",
        summary: "a required property was added",
        bump: Major,
        breaks: NewReaders,
        why: "Events written before the change lack the property; new readers reject them.",
        fix: "Make the property optional (readers handle its absence), or add it in a new major version.",
        smaller: smaller("make it optional", Minor),
        example: ex(
            r#"{"type": "object", "properties": {"name": {"type": "string"}}}"#,
            r#"{"type": "object", "properties": {"name": {"type": "string"}, "color": {"type": "string"}}, "required": ["color"]}"#,
        ),
    },
    Rule {
        id: "property-added-to-closed-object",
        summary: "a property was added to an object that forbids or restricts undeclared properties",
        bump: Major,
        breaks: OldReaders,
        why: "Old readers check the new property against additionalProperties (false, or a schema) or \
              a matching patternProperties, and reject new events that carry it.",
        fix: "Add the property in a new major version. Objects meant to grow should allow additional \
              properties from their first version.",
        smaller: None,
        example: ex(
            r#"{"type": "object", "properties": {"name": {"type": "string"}}, "additionalProperties": false}"#,
            r#"{"type": "object", "properties": {"name": {"type": "string"}, "color": {"type": "string"}}, "additionalProperties": false}"#,
        ),
    },
    Rule {
        id: "property-removed",
        summary: "a property was removed",
        bump: Major,
        breaks: OldReaders,
        why: "Old readers still expect it: new events may lack it (when it was required) or carry any \
              value under that name, which the old schema may reject; old generated types lose the \
              field's meaning.",
        fix: "Deprecate instead of removing: keep the property, say so in its description, stop \
              producing it, and remove it in the next major version.",
        smaller: smaller("deprecate instead of removing", Patch),
        example: ex(
            r#"{"type": "object", "properties": {"name": {"type": "string"}, "legacyCode": {"type": "string"}}}"#,
            r#"{"type": "object", "properties": {"name": {"type": "string"}}}"#,
        ),
    },
    Rule {
        id: "property-removed-from-closed-object",
        summary: "a property was removed from an object that forbids or restricts undeclared properties",
        bump: Major,
        breaks: Both,
        why: "Old events that carry the property are now undeclared extras and new readers reject \
              them; old readers reject new events that lack it when it was required.",
        fix: "Deprecate instead of removing: keep the property, say so in its description, and stop \
              producing it.",
        smaller: smaller("deprecate instead of removing", Patch),
        example: ex(
            r#"{"type": "object", "properties": {"name": {"type": "string"}, "legacyCode": {"type": "string"}}, "additionalProperties": false}"#,
            r#"{"type": "object", "properties": {"name": {"type": "string"}}, "additionalProperties": false}"#,
        ),
    },
    Rule {
        id: "property-renamed",
        summary: "a property was renamed (removed under one name, added with the same schema under another)",
        bump: Major,
        breaks: Both,
        why: "A rename is a removal plus an addition: old readers look for the old name in new events \
              and new readers look for the new name in old events.",
        fix: "Keep the old property (deprecated) and add the new name as an optional property; remove \
              the old one in the next major version.",
        smaller: smaller("keep the old name and add the new one as an optional property", Minor),
        example: ex(
            r#"{"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]}"#,
            r#"{"type": "object", "properties": {"title": {"type": "string"}}, "required": ["title"]}"#,
        ),
    },
    Rule {
        id: "property-made-required",
        summary: "an optional property became required",
        bump: Major,
        breaks: NewReaders,
        why: "Old events may lack the property; new readers reject them.",
        fix: "Keep it optional and make producers always send it.",
        smaller: smaller("keep it optional and make producers always send it", Patch),
        example: ex(
            r#"{"type": "object", "properties": {"sellerId": {"type": "string"}}}"#,
            r#"{"type": "object", "properties": {"sellerId": {"type": "string"}}, "required": ["sellerId"]}"#,
        ),
    },
    Rule {
        id: "property-made-optional",
        summary: "a required property became optional",
        bump: Major,
        breaks: OldReaders,
        why: "New events may lack the property; old readers reject them, and old generated types have \
              a plain field for it, not an Option.",
        fix: "Keep it required, or make it optional in a new major version.",
        smaller: None,
        example: ex(
            r#"{"type": "object", "properties": {"sellerId": {"type": "string"}}, "required": ["sellerId"]}"#,
            r#"{"type": "object", "properties": {"sellerId": {"type": "string"}}}"#,
        ),
    },
    Rule {
        id: "additional-properties-closed",
        summary: "an object now forbids (or restricts) properties it does not declare",
        bump: Major,
        breaks: NewReaders,
        why: "Old events may carry undeclared properties; new readers reject them.",
        fix: "Leave the object open and ignore unknown properties in readers.",
        smaller: None,
        example: ex(
            r#"{"type": "object", "properties": {"name": {"type": "string"}}}"#,
            r#"{"type": "object", "properties": {"name": {"type": "string"}}, "additionalProperties": false}"#,
        ),
    },
    Rule {
        id: "additional-properties-opened",
        summary: "an object that forbade undeclared properties now allows them",
        bump: Major,
        breaks: OldReaders,
        why: "New events may carry undeclared properties; old readers reject them.",
        fix: "Open the object in a new major version.",
        smaller: None,
        example: ex(
            r#"{"type": "object", "properties": {"name": {"type": "string"}}, "additionalProperties": false}"#,
            r#"{"type": "object", "properties": {"name": {"type": "string"}}}"#,
        ),
    },
    Rule {
        id: "schema-now-false",
        summary: "a subschema became `false` (it now rejects every value)",
        bump: Major,
        breaks: NewReaders,
        why: "Old events with a value there are rejected by new readers.",
        fix: "Deprecate the position instead of forbidding it.",
        smaller: None,
        example: ex(
            r#"{"type": "object", "properties": {"legacy": {"type": "string"}}}"#,
            r#"{"type": "object", "properties": {"legacy": false}}"#,
        ),
    },
    Rule {
        id: "schema-no-longer-false",
        summary: "a subschema that was `false` now accepts values",
        bump: Major,
        breaks: OldReaders,
        why: "New events with a value there are rejected by old readers.",
        fix: "Allow the position in a new major version.",
        smaller: None,
        example: ex(
            r#"{"type": "object", "properties": {"legacy": false}}"#,
            r#"{"type": "object", "properties": {"legacy": {"type": "string"}}}"#,
        ),
    },
    Rule {
        id: "default-changed",
        summary: "a default was added, removed or changed on an existing value",
        bump: Major,
        breaks: Both,
        why: "Validators ignore `default`, but the generated types and upcasters fill it in for events \
              that omit the value, so the same event reads differently under the two versions. \
              (A default on a newly added optional property is part of that addition: minor.)",
        fix: "Keep the published default; if readers need a different one, add a new property.",
        smaller: smaller("keep the published default", Patch),
        example: ex(
            r#"{"type": "object", "properties": {"currency": {"type": "string", "default": "EUR"}}}"#,
            r#"{"type": "object", "properties": {"currency": {"type": "string", "default": "USD"}}}"#,
        ),
    },
    Rule {
        id: "ref-sibling-changed",
        summary: "a keyword next to a $ref changed (draft-07 ignores keywords beside $ref)",
        bump: Major,
        breaks: Both,
        why: "In draft-07 a $ref replaces its whole object, so validators ignore the keyword; a \
              generator or a reader that honours it sees a different contract. Which one is meant is \
              ambiguous, so the change is treated as breaking.",
        fix: "Move the keyword into the referenced definition, or wrap both in allOf: \
              {\"allOf\": [{\"$ref\": ...}, {...}]}.",
        smaller: None,
        example: ex(
            r##"{"definitions": {"name": {"type": "string"}}, "type": "object", "properties": {"name": {"$ref": "#/definitions/name"}}}"##,
            r##"{"definitions": {"name": {"type": "string"}}, "type": "object", "properties": {"name": {"$ref": "#/definitions/name", "maxLength": 10}}}"##,
        ),
    },
    Rule {
        id: "ref-unresolvable",
        summary: "a $ref the engine cannot resolve (not local, or pointing nowhere) changed",
        bump: Major,
        breaks: Both,
        why: "What the reference means cannot be compared, so the change is treated as breaking.",
        fix: "Bundle the schema (every $ref local, `#/definitions/...`) before comparing it.",
        smaller: None,
        example: ex(
            r##"{"type": "object", "properties": {"name": {"$ref": "#/definitions/missing"}}}"##,
            r##"{"type": "object", "properties": {"name": {"$ref": "#/definitions/other"}}}"##,
        ),
    },
    Rule {
        id: "schema-dialect-changed",
        summary: "$schema names a different dialect",
        bump: Major,
        breaks: Both,
        why: "Keywords mean different things in different drafts.",
        fix: "Keep draft-07.",
        smaller: None,
        example: ex(
            r#"{"$schema": "http://json-schema.org/draft-07/schema#", "type": "object"}"#,
            r#"{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object"}"#,
        ),
    },
    Rule {
        id: "unknown-keyword-changed",
        summary: "a keyword draft-07 does not define changed",
        bump: Major,
        breaks: Both,
        why: "Validators ignore unknown keywords, but tools and readers may not; the engine cannot \
              judge the change, so it does not let it pass silently.",
        fix: "Keep the published value; put documentation in `description` or `$comment`.",
        smaller: None,
        example: ex(
            r#"{"type": "object", "properties": {"price": {"type": "number", "x-unit": "cents"}}}"#,
            r#"{"type": "object", "properties": {"price": {"type": "number", "x-unit": "euros"}}}"#,
        ),
    },
    Rule {
        id: "analysis-limit-reached",
        summary: "the schemas nest or recurse deeper than the engine compares",
        bump: Major,
        breaks: Both,
        why: "The part below the limit was not compared, so the engine cannot say it is compatible.",
        fix: "Flatten the schema with definitions, or accept the finding in compat-allow.json after \
              reviewing the change by hand.",
        smaller: None,
        example: None,
    },
    Rule {
        id: "unsupported-keyword-changed",
        summary: "a keyword the engine does not reason about (oneOf, if/then/else, patternProperties, ...) changed",
        bump: Major,
        breaks: Both,
        why: "For oneOf, anyOf, allOf, not, if/then/else, patternProperties, dependencies, \
              propertyNames, contains, tuple items, additionalItems, contentEncoding, \
              contentMediaType and $id, whether a change accepts more, fewer or different events \
              needs reasoning the engine does not do; it never lets such a change pass silently.",
        fix: "Keep the published value, or make the change in a new major version. Compare the \
              witness (when there is one) to see what breaks.",
        smaller: None,
        example: ex(
            r#"{"type": "object", "properties": {"price": {"oneOf": [{"type": "integer"}, {"type": "string"}]}}}"#,
            r#"{"type": "object", "properties": {"price": {"oneOf": [{"type": "integer"}, {"type": "null"}]}}}"#,
        ),
    },
];

/// Checks the gate makes over the versions of each event.
pub static GATE_CHECKS: &[GateCheck] = &[
    GateCheck {
        id: "bump-too-small",
        summary: "a version's number changed less than its schema changes require",
        fails: true,
        why: "Consumers choose what to upgrade by the version number; a breaking change released as \
              a minor or patch version breaks them without warning.",
        fix: "Rename the new schema file to the version the report requires (and its examples \
              folder), or make the smaller change each finding suggests.",
    },
    GateCheck {
        id: "published-version-edited",
        summary: "a version that exists on the base ref was changed in place",
        fails: true,
        why: "A published version is immutable: events already written against it, and generated \
              code already shipped, rely on it exactly. This includes edits to shared files in \
              common/ that the version references.",
        fix: "Restore the published file (and any shared definition it uses) and put the change in a \
              new version; to change a shared definition, add a new definition beside it for new \
              versions to reference.",
    },
    GateCheck {
        id: "published-version-deleted",
        summary: "a version that exists on the base ref was deleted",
        fails: true,
        why: "Consumers may still read events of that version, and the gate compares every later \
              version with it.",
        fix: "Restore the file; deprecate the version in its description instead.",
    },
    GateCheck {
        id: "bump-bigger-than-needed",
        summary: "a version's number changed more than its schema changes require",
        fails: false,
        why: "Allowed: a bigger bump is always safe, but it makes consumers upgrade for nothing.",
        fix: "Nothing to fix; use the smaller bump if nothing else justifies the bigger one.",
    },
    GateCheck {
        id: "unused-allow-entry",
        summary: "an entry of compat-allow.json matches no finding",
        fails: false,
        why: "An entry that no longer matches anything would silently accept a future finding with \
              the same event, rule and pointer.",
        fix: "Delete the entry from compat-allow.json.",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_kebab_case_and_documented() {
        let mut ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
        ids.extend(GATE_CHECKS.iter().map(|c| c.id));
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), ids.len(), "duplicate rule ids");
        for id in ids {
            assert!(
                id.split('-').all(|p| !p.is_empty()
                    && p.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())),
                "{id} is not kebab-case"
            );
        }
        for r in RULES {
            assert!(
                !r.summary.is_empty() && !r.why.is_empty() && !r.fix.is_empty(),
                "{}",
                r.id
            );
            assert_eq!(
                r.bump == Bump::Major,
                r.breaks != Breaks::Nobody,
                "{}",
                r.id
            );
            if let Some(s) = r.smaller {
                assert!(s.bump < r.bump, "{}: the smaller fix is not smaller", r.id);
            }
        }
    }

    #[test]
    fn the_fallback_rule_is_the_conservative_one() {
        assert_eq!(known("no-such-rule").id, "unsupported-keyword-changed");
        assert_eq!(known("no-such-rule").bump, Bump::Major);
    }

    #[test]
    fn bumps_between_versions() {
        let v = |s: &str| Version::parse(s).unwrap();
        assert_eq!(Bump::between(&v("1.0.0"), &v("1.0.1")), Some(Bump::Patch));
        assert_eq!(Bump::between(&v("1.0.3"), &v("1.1.0")), Some(Bump::Minor));
        assert_eq!(Bump::between(&v("1.4.2"), &v("2.0.0")), Some(Bump::Major));
        assert_eq!(Bump::between(&v("0.1.0"), &v("0.1.1")), Some(Bump::Minor));
        assert_eq!(Bump::between(&v("0.1.0"), &v("0.2.0")), Some(Bump::Major));
        assert_eq!(Bump::between(&v("0.9.0"), &v("1.0.0")), Some(Bump::Major));
        assert_eq!(Bump::between(&v("1.1.0"), &v("1.0.9")), None);
        assert_eq!(Bump::between(&v("1.1.0"), &v("1.1.0")), None);
        assert!(Bump::None < Bump::Patch && Bump::Patch < Bump::Minor && Bump::Minor < Bump::Major);
        assert_eq!(Bump::parse("minor"), Some(Bump::Minor));
        assert_eq!(Bump::parse("Minor"), None);
    }
}
