//! The rule catalog: every kind of change the engine can find, as data.
//!
//! The diff code ([`super::engine`]) only finds changes and names the [`Rule`]; this table
//! judges them: the bump each requires, whom it breaks, why, how to fix it, and whether a
//! witness event can exist. A new rule is one entry of [`catalog!`] (which makes both the
//! enum variant and its row, so a variant without a row cannot compile), a fixture folder
//! `tests/fixtures/<id>/` with `old.json` and `new.json` (read with `include_str!`, so a
//! missing fixture cannot compile either), and the place in the engine that emits it.

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

/// Whether a rule's findings carry a witness event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Witnessing {
    /// Patch and minor rules: every event keeps its validity, so there is nothing to show.
    NotNeeded,
    /// Every finding gets an event valid under one version and rejected by the other,
    /// checked with the validator (or the reason the builder found none).
    Built,
    /// No event can show the change; the reason is shown instead.
    Impossible(&'static str),
}

/// One row of the catalog, as [`Rule`]'s accessors return it.
#[derive(Debug)]
struct Row {
    id: &'static str,
    summary: &'static str,
    bump: Bump,
    breaks: Breaks,
    why: &'static str,
    fix: &'static str,
    smaller: Option<Smaller>,
    witness: Witnessing,
    example: Example,
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

/// Declares the rules: each entry is an enum variant, its id, its summary and its row. The
/// row is a struct literal, so a missing field does not compile; the fixture is read with
/// `include_str!`, so a missing fixture does not compile.
macro_rules! catalog {
    ($($variant:ident = $id:literal, $summary:literal {
        bump: $bump:expr,
        breaks: $breaks:expr,
        why: $why:expr,
        fix: $fix:expr,
        smaller: $smaller:expr,
        witness: $witness:expr,
    })*) => {
        /// A rule of the catalog: one kind of change the engine can find.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Rule {
            $(#[doc = $summary] $variant,)*
        }

        impl Rule {
            /// Every rule, in catalog order.
            pub const ALL: &'static [Rule] = &[$(Rule::$variant),*];

            fn row(self) -> &'static Row {
                match self {
                    $(Rule::$variant => const {
                        &Row {
                            id: $id,
                            summary: $summary,
                            bump: $bump,
                            breaks: $breaks,
                            why: $why,
                            fix: $fix,
                            smaller: $smaller,
                            witness: $witness,
                            example: Example {
                                old: include_str!(concat!("../tests/fixtures/", $id, "/old.json")),
                                new: include_str!(concat!("../tests/fixtures/", $id, "/new.json")),
                            },
                        }
                    },)*
                }
            }
        }
    };
}

impl Rule {
    /// Stable id, used in reports, the allow-list and `--explain`.
    pub fn id(self) -> &'static str {
        self.row().id
    }

    /// One line: what changed.
    pub fn summary(self) -> &'static str {
        self.row().summary
    }

    /// The bump the change requires.
    pub fn bump(self) -> Bump {
        self.row().bump
    }

    /// Whom it breaks.
    pub fn breaks(self) -> Breaks {
        self.row().breaks
    }

    /// Why it requires that bump.
    pub fn why(self) -> &'static str {
        self.row().why
    }

    /// How to make the change safely.
    pub fn fix(self) -> &'static str {
        self.row().fix
    }

    /// A different change that needs a smaller bump, when there is one.
    pub fn smaller(self) -> Option<Smaller> {
        self.row().smaller
    }

    /// Whether its findings carry a witness, or why none can exist.
    pub fn witnessing(self) -> Witnessing {
        self.row().witness
    }

    /// Its fixture: two schemas whose diff finds this rule and no other.
    pub fn example(self) -> Example {
        self.row().example
    }

    /// The rule with this id, for ids people type (the allow-list, `--explain`).
    pub fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.iter().copied().find(|r| r.id() == id)
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// Looks a gate check up by id.
pub fn gate_check(id: &str) -> Option<&'static GateCheck> {
    GATE_CHECKS.iter().find(|c| c.id == id)
}

const fn smaller(change: &'static str, bump: Bump) -> Option<Smaller> {
    Some(Smaller { change, bump })
}

use Breaks::{
    Both, NewReadersOfOldEvents as NewReaders, Nobody, OldReadersOfNewEvents as OldReaders,
};
use Bump::{Major, Minor, Patch};
use Witnessing::{Built, Impossible, NotNeeded};

catalog! {
    AnnotationChanged = "annotation-changed",
        "a title, description, $comment, examples, readOnly, writeOnly or deprecated changed" {
        bump: Patch,
        breaks: Nobody,
        why: "Annotations document the contract; validators ignore them, so every event keeps its \
              validity under both versions.",
        fix: "Nothing to fix: release it as a patch.",
        smaller: None,
        witness: NotNeeded,
    }
    OptionalPropertyAdded = "optional-property-added",
        "an optional property was added to an object that allows additional properties" {
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
        witness: NotNeeded,
    }
    EnumValueAdded = "enum-value-added",
        "a value was added to an enum (or a const/enum now allows a value it did not)" {
        bump: Major,
        breaks: OldReaders,
        why: "An old reader validates against the old list and rejects an event that carries the new \
              value; generated Rust enums from the old version have no variant for it.",
        fix: "Add the value in a new major version. If the list is meant to grow, model it as a \
              string with documented values instead of an enum, in the next major version.",
        smaller: None,
        witness: Built,
    }
    EnumValueRemoved = "enum-value-removed",
        "a value was removed from an enum" {
        bump: Major,
        breaks: NewReaders,
        why: "Events written before the change may carry the removed value; a new reader rejects them.",
        fix: "Keep the value and document it as deprecated; stop producing it.",
        smaller: smaller("keep the value and mark it deprecated in the description", Patch),
        witness: Built,
    }
    EnumIntroduced = "enum-introduced",
        "a value that was free is now limited to an enum or const" {
        bump: Major,
        breaks: NewReaders,
        why: "Old events may carry any value the old schema allowed; a new reader rejects every value \
              outside the list.",
        fix: "Document the expected values instead, or introduce the enum in a new major version.",
        smaller: smaller("document the values in the description instead", Patch),
        witness: Built,
    }
    EnumLifted = "enum-lifted",
        "an enum or const was removed, so any value of the type is allowed" {
        bump: Major,
        breaks: OldReaders,
        why: "New producers may send values outside the old list; old readers reject them and old \
              generated enums cannot hold them.",
        fix: "Add values to the enum in a new major version, or lift the enum in one.",
        smaller: None,
        witness: Built,
    }
    TypeWidened = "type-widened",
        "a value now accepts more JSON types (e.g. integer -> number, string -> string or number)" {
        bump: Major,
        breaks: OldReaders,
        why: "New events may carry a value of the added type; old readers reject it, and old generated \
              types cannot hold it.",
        fix: "Add a new optional property of the new type instead, or widen the type in a new major \
              version.",
        smaller: smaller("add a new optional property with the wider type and keep this one", Minor),
        witness: Built,
    }
    TypeNarrowed = "type-narrowed",
        "a value accepts fewer JSON types (e.g. number -> integer)" {
        bump: Major,
        breaks: NewReaders,
        why: "Old events may carry a value of the removed type; new readers reject them.",
        fix: "Keep the type, and document that producers only send the narrower one.",
        smaller: smaller("keep the type and document the narrower use", Patch),
        witness: Built,
    }
    TypeChanged = "type-changed",
        "a value's JSON type changed (some types removed, others added)" {
        bump: Major,
        breaks: Both,
        why: "Old readers reject new events and new readers reject old ones.",
        fix: "Add a new property with the new type (minor), deprecate the old one, and remove it in \
              a later major version.",
        smaller: smaller("add a new optional property with the new type and keep this one", Minor),
        witness: Built,
    }
    TypeMadeNullable = "type-made-nullable",
        "a value now also accepts null" {
        bump: Major,
        breaks: OldReaders,
        why: "New events may carry null; old readers reject it, and old generated types (a plain \
              field, not an Option) cannot hold it.",
        fix: "Make the property optional and omit it instead of sending null, in a new major version; \
              or add it in a new major version as nullable.",
        smaller: None,
        witness: Built,
    }
    TypeMadeNonNullable = "type-made-non-nullable",
        "a value no longer accepts null" {
        bump: Major,
        breaks: NewReaders,
        why: "Old events may carry null; new readers reject them.",
        fix: "Keep null allowed and document that producers no longer send it.",
        smaller: smaller("keep null allowed and document that it is no longer sent", Patch),
        witness: Built,
    }
    StringLengthTightened = "string-length-tightened",
        "minLength went up or maxLength went down" {
        bump: Major,
        breaks: NewReaders,
        why: "Old events may carry a string of a length the new version rejects.",
        fix: "Keep the old limits and enforce the new ones in producers only, or change them in a new \
              major version.",
        smaller: smaller("keep the old limits and enforce the new ones in producers", Patch),
        witness: Built,
    }
    StringLengthLoosened = "string-length-loosened",
        "minLength went down or maxLength went up" {
        bump: Major,
        breaks: OldReaders,
        why: "New events may carry a string of a length the old version rejects.",
        fix: "Loosen the limit in a new major version.",
        smaller: None,
        witness: Built,
    }
    PatternAdded = "pattern-added",
        "a string gained a pattern" {
        bump: Major,
        breaks: NewReaders,
        why: "Old events may carry strings that do not match the new pattern.",
        fix: "Document the format instead, or add the pattern in a new major version.",
        smaller: smaller("document the expected form in the description", Patch),
        witness: Built,
    }
    PatternRemoved = "pattern-removed",
        "a string lost its pattern" {
        bump: Major,
        breaks: OldReaders,
        why: "New events may carry strings the old pattern rejects.",
        fix: "Remove the pattern in a new major version.",
        smaller: None,
        witness: Built,
    }
    PatternChanged = "pattern-changed",
        "a string's pattern changed" {
        bump: Major,
        breaks: Both,
        why: "The engine does not prove two regular expressions equivalent; a changed pattern is \
              read as accepting some strings the old one rejected and rejecting some it accepted.",
        fix: "Keep the published pattern, or change it in a new major version.",
        smaller: None,
        witness: Built,
    }
    FormatAdded = "format-added",
        "a string gained a format (uuid, date-time, ...)" {
        bump: Major,
        breaks: NewReaders,
        why: "The contracts validate formats; old events may carry strings that are not in the new \
              format.",
        fix: "Document the format instead, or add it in a new major version.",
        smaller: smaller("document the format in the description", Patch),
        witness: Built,
    }
    FormatRemoved = "format-removed",
        "a string lost its format" {
        bump: Major,
        breaks: OldReaders,
        why: "New events may carry strings that old readers reject for not being in the format.",
        fix: "Remove the format in a new major version.",
        smaller: None,
        witness: Built,
    }
    FormatChanged = "format-changed",
        "a string's format changed" {
        bump: Major,
        breaks: Both,
        why: "Strings valid in one format are rejected by the other, in both directions.",
        fix: "Add a new property in the new format (minor) and deprecate this one.",
        smaller: smaller("add a new optional property in the new format and keep this one", Minor),
        witness: Built,
    }
    NumberRangeTightened = "number-range-tightened",
        "a numeric bound (minimum, maximum, exclusiveMinimum, exclusiveMaximum) got stricter" {
        bump: Major,
        breaks: NewReaders,
        why: "Old events may carry numbers outside the new range.",
        fix: "Keep the old bounds and enforce the new ones in producers only.",
        smaller: smaller("keep the old bounds and enforce the new ones in producers", Patch),
        witness: Built,
    }
    NumberRangeLoosened = "number-range-loosened",
        "a numeric bound got looser or was removed" {
        bump: Major,
        breaks: OldReaders,
        why: "New events may carry numbers that old readers reject.",
        fix: "Loosen the bound in a new major version.",
        smaller: None,
        witness: Built,
    }
    MultipleOfTightened = "multiple-of-tightened",
        "multipleOf was added or became a multiple of the old one" {
        bump: Major,
        breaks: NewReaders,
        why: "Old events may carry numbers that are not multiples of the new step.",
        fix: "Keep the old step and enforce the new one in producers only.",
        smaller: smaller("keep the old step and enforce the new one in producers", Patch),
        witness: Built,
    }
    MultipleOfLoosened = "multiple-of-loosened",
        "multipleOf was removed or became a divisor of the old one" {
        bump: Major,
        breaks: OldReaders,
        why: "New events may carry numbers that are not multiples of the old step.",
        fix: "Loosen the step in a new major version.",
        smaller: None,
        witness: Built,
    }
    MultipleOfChanged = "multiple-of-changed",
        "multipleOf changed to a step that is neither a multiple nor a divisor of the old one" {
        bump: Major,
        breaks: Both,
        why: "Some numbers are multiples of only one of the two steps, in both directions.",
        fix: "Keep the published step, or change it in a new major version.",
        smaller: None,
        witness: Built,
    }
    ArrayLengthTightened = "array-length-tightened",
        "minItems went up or maxItems went down" {
        bump: Major,
        breaks: NewReaders,
        why: "Old events may carry arrays of a length the new version rejects.",
        fix: "Keep the old limits and enforce the new ones in producers only.",
        smaller: smaller("keep the old limits and enforce the new ones in producers", Patch),
        witness: Built,
    }
    ArrayLengthLoosened = "array-length-loosened",
        "minItems went down or maxItems went up" {
        bump: Major,
        breaks: OldReaders,
        why: "New events may carry arrays of a length the old version rejects.",
        fix: "Loosen the limit in a new major version.",
        smaller: None,
        witness: Built,
    }
    UniqueItemsAdded = "unique-items-added",
        "an array now requires unique items" {
        bump: Major,
        breaks: NewReaders,
        why: "Old events may carry arrays with duplicates.",
        fix: "Deduplicate in producers and document it, instead of requiring it.",
        smaller: smaller("deduplicate in producers and document it", Patch),
        witness: Built,
    }
    UniqueItemsRemoved = "unique-items-removed",
        "an array no longer requires unique items" {
        bump: Major,
        breaks: OldReaders,
        why: "New events may carry duplicates, which old readers reject (and old generated sets cannot hold).",
        fix: "Drop the requirement in a new major version.",
        smaller: None,
        witness: Built,
    }
    PropertyCountTightened = "property-count-tightened",
        "minProperties went up or maxProperties went down" {
        bump: Major,
        breaks: NewReaders,
        why: "Old events may carry objects with a number of properties the new version rejects.",
        fix: "Keep the old limits.",
        smaller: None,
        witness: Built,
    }
    PropertyCountLoosened = "property-count-loosened",
        "minProperties went down or maxProperties went up" {
        bump: Major,
        breaks: OldReaders,
        why: "New events may carry objects with a number of properties old readers reject.",
        fix: "Loosen the limit in a new major version.",
        smaller: None,
        witness: Built,
    }
    RequiredPropertyAdded = "required-property-added",
        "a required property was added" {
        bump: Major,
        breaks: NewReaders,
        why: "Events written before the change lack the property; new readers reject them.",
        fix: "Make the property optional (readers handle its absence), or add it in a new major version.",
        smaller: smaller("make it optional", Minor),
        witness: Built,
    }
    PropertyAddedToClosedObject = "property-added-to-closed-object",
        "a property was added to an object that forbids or restricts undeclared properties" {
        bump: Major,
        breaks: OldReaders,
        why: "Old readers check the new property against additionalProperties (false, or a schema) or \
              a matching patternProperties, and reject new events that carry it.",
        fix: "Add the property in a new major version. Objects meant to grow should allow additional \
              properties from their first version.",
        smaller: None,
        witness: Built,
    }
    PropertyRemoved = "property-removed",
        "a property was removed" {
        bump: Major,
        breaks: OldReaders,
        why: "Old readers still expect it: new events may lack it (when it was required) or carry any \
              value under that name, which the old schema may reject; old generated types lose the \
              field's meaning.",
        fix: "Deprecate instead of removing: keep the property, say so in its description, stop \
              producing it, and remove it in the next major version.",
        smaller: smaller("deprecate instead of removing", Patch),
        witness: Built,
    }
    PropertyRemovedFromClosedObject = "property-removed-from-closed-object",
        "a property was removed from an object that forbids or restricts undeclared properties" {
        bump: Major,
        breaks: Both,
        why: "Old events that carry the property are now undeclared extras and new readers reject \
              them; old readers reject new events that lack it when it was required.",
        fix: "Deprecate instead of removing: keep the property, say so in its description, and stop \
              producing it.",
        smaller: smaller("deprecate instead of removing", Patch),
        witness: Built,
    }
    PropertyRenamed = "property-renamed",
        "a property was renamed (removed under one name, added with the same schema under another)" {
        bump: Major,
        breaks: Both,
        why: "A rename is a removal plus an addition: old readers look for the old name in new events \
              and new readers look for the new name in old events.",
        fix: "Keep the old property (deprecated) and add the new name as an optional property; remove \
              the old one in the next major version.",
        smaller: smaller("keep the old name and add the new one as an optional property", Minor),
        witness: Built,
    }
    PropertyMadeRequired = "property-made-required",
        "an optional property became required" {
        bump: Major,
        breaks: NewReaders,
        why: "Old events may lack the property; new readers reject them.",
        fix: "Keep it optional and make producers always send it.",
        smaller: smaller("keep it optional and make producers always send it", Patch),
        witness: Built,
    }
    PropertyMadeOptional = "property-made-optional",
        "a required property became optional" {
        bump: Major,
        breaks: OldReaders,
        why: "New events may lack the property; old readers reject them, and old generated types have \
              a plain field for it, not an Option.",
        fix: "Keep it required, or make it optional in a new major version.",
        smaller: None,
        witness: Built,
    }
    AdditionalPropertiesClosed = "additional-properties-closed",
        "an object now forbids (or restricts) properties it does not declare" {
        bump: Major,
        breaks: NewReaders,
        why: "Old events may carry undeclared properties; new readers reject them.",
        fix: "Leave the object open and ignore unknown properties in readers.",
        smaller: None,
        witness: Built,
    }
    AdditionalPropertiesOpened = "additional-properties-opened",
        "an object that forbade undeclared properties now allows them" {
        bump: Major,
        breaks: OldReaders,
        why: "New events may carry undeclared properties; old readers reject them.",
        fix: "Open the object in a new major version.",
        smaller: None,
        witness: Built,
    }
    SchemaNowFalse = "schema-now-false",
        "a subschema became `false` (it now rejects every value)" {
        bump: Major,
        breaks: NewReaders,
        why: "Old events with a value there are rejected by new readers.",
        fix: "Deprecate the position instead of forbidding it.",
        smaller: None,
        witness: Built,
    }
    SchemaNoLongerFalse = "schema-no-longer-false",
        "a subschema that was `false` now accepts values" {
        bump: Major,
        breaks: OldReaders,
        why: "New events with a value there are rejected by old readers.",
        fix: "Allow the position in a new major version.",
        smaller: None,
        witness: Built,
    }
    UnionBranchAdded = "union-branch-added",
        "an anyOf or oneOf gained a branch that accepts values no old branch accepted" {
        bump: Major,
        breaks: OldReaders,
        why: "New events may match only the new branch; old readers check them against the old \
              branches and reject them, and old generated types have no variant for them.",
        fix: "Add the branch in a new major version. If the union is meant to grow, have readers \
              skip variants they do not know, from the next major version on.",
        smaller: None,
        witness: Built,
    }
    UnionBranchRemoved = "union-branch-removed",
        "an anyOf or oneOf lost a branch, and no remaining branch accepts its values" {
        bump: Major,
        breaks: NewReaders,
        why: "Old events that matched only the removed branch are rejected by new readers.",
        fix: "Keep the branch, document it as deprecated, and stop producing it.",
        smaller: smaller("keep the branch and mark it deprecated in its description", Patch),
        witness: Built,
    }
    OneOfOverlapAdded = "one-of-overlap-added",
        "two branches of a oneOf now both accept some value, which the oneOf therefore rejects" {
        bump: Major,
        breaks: NewReaders,
        why: "A oneOf accepts a value only when exactly one branch matches it. A value that matched \
              one branch before and matches two now is rejected by new readers.",
        fix: "Keep the branches disjoint, for example with a `const` discriminator property that \
              differs per branch, or use anyOf in a new major version.",
        smaller: None,
        witness: Built,
    }
    OneOfOverlapRemoved = "one-of-overlap-removed",
        "values that matched two branches of a oneOf (and so were rejected) now match only one" {
        bump: Major,
        breaks: OldReaders,
        why: "New events may be such values; old readers find two matching branches and reject them.",
        fix: "Make the change in a new major version.",
        smaller: None,
        witness: Built,
    }
    NotTightened = "not-tightened",
        "the schema inside a `not` accepts more values (or a `not` was added), so fewer values pass" {
        bump: Major,
        breaks: NewReaders,
        why: "Old events that the new `not` schema matches are rejected by new readers.",
        fix: "Keep the published `not` and enforce the new exclusion in producers only.",
        smaller: smaller("keep the published `not` and enforce the exclusion in producers", Patch),
        witness: Built,
    }
    NotLoosened = "not-loosened",
        "the schema inside a `not` accepts fewer values (or a `not` was removed), so more values pass" {
        bump: Major,
        breaks: OldReaders,
        why: "New events that the old `not` schema matched are rejected by old readers.",
        fix: "Loosen the exclusion in a new major version.",
        smaller: None,
        witness: Built,
    }
    NotChanged = "not-changed",
        "the schema inside a `not` changed so that it accepts some values it did not and rejects others" {
        bump: Major,
        breaks: Both,
        why: "Some old events are now excluded, and some new events were excluded before.",
        fix: "Keep the published `not`, or change it in a new major version.",
        smaller: None,
        witness: Built,
    }
    ConditionalTightened = "conditional-tightened",
        "an if/then/else demands more: a `then` or `else` was added, or the `if` now sends more values to a stricter branch" {
        bump: Major,
        breaks: NewReaders,
        why: "Old events that meet the condition but not the new requirement are rejected by new \
              readers. (Changes inside `then` and `else` are judged by the rules of the keywords \
              that changed.)",
        fix: "Keep the published condition and enforce the new requirement in producers only.",
        smaller: smaller("keep the published condition and enforce the requirement in producers", Patch),
        witness: Built,
    }
    ConditionalLoosened = "conditional-loosened",
        "an if/then/else demands less: a `then` or `else` was removed, or the `if` now sends fewer values to a stricter branch" {
        bump: Major,
        breaks: OldReaders,
        why: "New events that no longer meet the old requirement are rejected by old readers.",
        fix: "Loosen the condition in a new major version.",
        smaller: None,
        witness: Built,
    }
    ConditionalChanged = "conditional-changed",
        "the `if` of an if/then/else changed so that some values move from one branch to the other in both directions" {
        bump: Major,
        breaks: Both,
        why: "Values that move from `then` to `else` (or back) are judged by a different schema, \
              which can reject old events and new events alike.",
        fix: "Keep the published condition, or change it in a new major version.",
        smaller: None,
        witness: Built,
    }
    DependenciesTightened = "dependencies-tightened",
        "a property's presence now requires more: a `dependencies` entry was added or demands more" {
        bump: Major,
        breaks: NewReaders,
        why: "Old events that carry the property without what it now requires are rejected by new \
              readers.",
        fix: "Keep the published dependencies and make producers send the extra properties.",
        smaller: smaller("keep the dependencies and make producers send the extra properties", Patch),
        witness: Built,
    }
    DependenciesLoosened = "dependencies-loosened",
        "a property's presence requires less: a `dependencies` entry was removed or demands less" {
        bump: Major,
        breaks: OldReaders,
        why: "New events that carry the property without what it used to require are rejected by \
              old readers.",
        fix: "Loosen the dependency in a new major version.",
        smaller: None,
        witness: Built,
    }
    DependenciesChanged = "dependencies-changed",
        "a `dependencies` entry now requires something different (more in some ways, less in others)" {
        bump: Major,
        breaks: Both,
        why: "Events that satisfy one version's requirement can fail the other's, in both directions.",
        fix: "Keep the published dependency, or change it in a new major version.",
        smaller: None,
        witness: Built,
    }
    PatternPropertiesTightened = "pattern-properties-tightened",
        "a patternProperties pattern was added, or now constrains the names it matches more" {
        bump: Major,
        breaks: NewReaders,
        why: "Old events with properties whose names match the pattern, in a shape the pattern's \
              schema rejects, are rejected by new readers. (Changes inside the schema of an \
              unchanged pattern are judged by the rules of the keywords that changed.)",
        fix: "Keep the published patterns and enforce the new shape in producers only.",
        smaller: None,
        witness: Built,
    }
    PatternPropertiesLoosened = "pattern-properties-loosened",
        "a patternProperties pattern was removed, or now lets the names it matches through where they were rejected" {
        bump: Major,
        breaks: OldReaders,
        why: "New events with properties that the old patterns (or additionalProperties) rejected \
              are rejected by old readers.",
        fix: "Make the change in a new major version.",
        smaller: None,
        witness: Built,
    }
    PatternPropertiesChanged = "pattern-properties-changed",
        "patternProperties changed so that some property names are constrained more and others less" {
        bump: Major,
        breaks: Both,
        why: "The engine does not prove two regular expressions equivalent; names that match only \
              one of the patterns are judged by different schemas in the two versions.",
        fix: "Keep the published patterns, or change them in a new major version.",
        smaller: None,
        witness: Built,
    }
    PropertyNamesTightened = "property-names-tightened",
        "propertyNames was added or accepts fewer names" {
        bump: Major,
        breaks: NewReaders,
        why: "Old events with a property whose name the new propertyNames rejects are rejected by \
              new readers.",
        fix: "Keep the published propertyNames and check names in producers only.",
        smaller: smaller("keep the published propertyNames and check names in producers", Patch),
        witness: Built,
    }
    PropertyNamesLoosened = "property-names-loosened",
        "propertyNames was removed or accepts more names" {
        bump: Major,
        breaks: OldReaders,
        why: "New events with a property name the old propertyNames rejected are rejected by old \
              readers.",
        fix: "Loosen propertyNames in a new major version.",
        smaller: None,
        witness: Built,
    }
    PropertyNamesChanged = "property-names-changed",
        "propertyNames accepts some names it rejected and rejects some it accepted" {
        bump: Major,
        breaks: Both,
        why: "Objects with a name only one version accepts break readers of the other.",
        fix: "Keep the published propertyNames, or change it in a new major version.",
        smaller: None,
        witness: Built,
    }
    ContainsTightened = "contains-tightened",
        "an array's `contains` was added or accepts fewer items" {
        bump: Major,
        breaks: NewReaders,
        why: "Old events whose arrays have no item the new `contains` accepts are rejected by new \
              readers.",
        fix: "Keep the published `contains` and make producers send the item.",
        smaller: smaller("keep the published `contains` and make producers send the item", Patch),
        witness: Built,
    }
    ContainsLoosened = "contains-loosened",
        "an array's `contains` was removed or accepts more items" {
        bump: Major,
        breaks: OldReaders,
        why: "New events whose arrays only have items the old `contains` rejected are rejected by \
              old readers.",
        fix: "Loosen `contains` in a new major version.",
        smaller: None,
        witness: Built,
    }
    ContainsChanged = "contains-changed",
        "an array's `contains` accepts some items it rejected and rejects some it accepted" {
        bump: Major,
        breaks: Both,
        why: "Arrays that satisfy one version's `contains` fail the other's, in both directions.",
        fix: "Keep the published `contains`, or change it in a new major version.",
        smaller: None,
        witness: Built,
    }
    TupleItemsTightened = "tuple-items-tightened",
        "a tuple `items` gained positions, or an array's items switched to a stricter tuple form" {
        bump: Major,
        breaks: NewReaders,
        why: "Old events with an item at a position the new tuple constrains, in a shape it rejects, \
              are rejected by new readers. (Changes at positions both tuples have are judged by \
              the rules of the keywords that changed.)",
        fix: "Keep the published tuple and enforce the new position in producers only.",
        smaller: None,
        witness: Built,
    }
    TupleItemsLoosened = "tuple-items-loosened",
        "a tuple `items` lost positions, or an array's items switched to a looser form" {
        bump: Major,
        breaks: OldReaders,
        why: "New events with an item the old tuple rejected at that position are rejected by old \
              readers.",
        fix: "Make the change in a new major version.",
        smaller: None,
        witness: Built,
    }
    TupleItemsChanged = "tuple-items-changed",
        "a tuple `items` changed its positions so that some items are accepted that were not, and the reverse" {
        bump: Major,
        breaks: Both,
        why: "Items valid at a position in one version are rejected there by the other, in both \
              directions.",
        fix: "Keep the published tuple, or change it in a new major version.",
        smaller: None,
        witness: Built,
    }
    AdditionalItemsTightened = "additional-items-tightened",
        "the items past a tuple's positions (additionalItems) accept fewer values" {
        bump: Major,
        breaks: NewReaders,
        why: "Old events with more items than the tuple has positions, in a shape the new \
              additionalItems rejects, are rejected by new readers.",
        fix: "Keep the published additionalItems and enforce the limit in producers only.",
        smaller: smaller("keep the published additionalItems and enforce the limit in producers", Patch),
        witness: Built,
    }
    AdditionalItemsLoosened = "additional-items-loosened",
        "the items past a tuple's positions (additionalItems) accept more values" {
        bump: Major,
        breaks: OldReaders,
        why: "New events with extra items the old additionalItems rejected are rejected by old \
              readers.",
        fix: "Loosen additionalItems in a new major version.",
        smaller: None,
        witness: Built,
    }
    AdditionalItemsChanged = "additional-items-changed",
        "the items past a tuple's positions (additionalItems) accept some values they did not and reject others" {
        bump: Major,
        breaks: Both,
        why: "Extra items valid in one version are rejected by the other, in both directions.",
        fix: "Keep the published additionalItems, or change them in a new major version.",
        smaller: None,
        witness: Built,
    }
    ContentTightened = "content-tightened",
        "a string gained a contentEncoding or contentMediaType" {
        bump: Major,
        breaks: NewReaders,
        why: "Validators check the content (base64, a JSON document); old events with strings that \
              are not such content are rejected by new readers.",
        fix: "Document the encoding in the description instead, or add it in a new major version.",
        smaller: smaller("document the encoding in the description", Patch),
        witness: Built,
    }
    ContentLoosened = "content-loosened",
        "a string lost its contentEncoding or contentMediaType" {
        bump: Major,
        breaks: OldReaders,
        why: "New events may carry strings that are not the old content; old readers reject them.",
        fix: "Remove the content keyword in a new major version.",
        smaller: None,
        witness: Built,
    }
    ContentChanged = "content-changed",
        "a string's contentEncoding or contentMediaType changed" {
        bump: Major,
        breaks: Both,
        why: "Strings valid as one encoding or media type are rejected as the other.",
        fix: "Add a new property with the new content (minor) and deprecate this one.",
        smaller: smaller("add a new optional property with the new content and keep this one", Minor),
        witness: Built,
    }
    IdChanged = "id-changed",
        "the $id of a subschema was added, removed or changed" {
        bump: Major,
        breaks: Both,
        why: "A subschema's $id sets the base that references inside it resolve against, so it can \
              change what they point to; the engine resolves local references against the \
              document and cannot tell. (The document's own $id names it, and only counts as an \
              annotation.)",
        fix: "Keep the published $id; bundle shared definitions under `definitions` instead.",
        smaller: None,
        witness: Impossible("the engine resolves references against the document root, so it cannot build an event from a change of the base URI"),
    }
    DefaultChanged = "default-changed",
        "a default was added, removed or changed on an existing value" {
        bump: Major,
        breaks: Both,
        why: "Validators ignore `default`, but the generated types and upcasters fill it in for events \
              that omit the value, so the same event reads differently under the two versions. \
              (A default on a newly added optional property is part of that addition: minor.)",
        fix: "Keep the published default; if readers need a different one, add a new property.",
        smaller: smaller("keep the published default", Patch),
        witness: Impossible("validators ignore `default`, so every event keeps its validity; what changes is the value generated readers fill in for an event that omits the property"),
    }
    RefSiblingChanged = "ref-sibling-changed",
        "a keyword next to a $ref changed (draft-07 ignores keywords beside $ref)" {
        bump: Major,
        breaks: Both,
        why: "In draft-07 a $ref replaces its whole object, so validators ignore the keyword; a \
              generator or a reader that honours it sees a different contract. Which one is meant is \
              ambiguous, so the change is treated as breaking.",
        fix: "Move the keyword into the referenced definition, or wrap both in allOf: \
              {\"allOf\": [{\"$ref\": ...}, {...}]}.",
        smaller: None,
        witness: Impossible("draft-07 validators ignore keywords next to $ref, so no event changes validity; tools that honour the keyword disagree"),
    }
    RefUnresolvable = "ref-unresolvable",
        "a $ref the engine cannot resolve (not local, or pointing nowhere) changed" {
        bump: Major,
        breaks: Both,
        why: "What the reference means cannot be compared, so the change is treated as breaking.",
        fix: "Bundle the schema (every $ref local, `#/definitions/...`) before comparing it.",
        smaller: None,
        witness: Impossible("a reference the engine cannot resolve cannot be followed to build an event"),
    }
    SchemaDialectChanged = "schema-dialect-changed",
        "$schema names a different dialect" {
        bump: Major,
        breaks: Both,
        why: "Keywords mean different things in different drafts.",
        fix: "Keep draft-07.",
        smaller: None,
        witness: Impossible("both versions are validated as draft-07 here"),
    }
    UnknownKeywordChanged = "unknown-keyword-changed",
        "a keyword draft-07 does not define changed" {
        bump: Major,
        breaks: Both,
        why: "Validators ignore unknown keywords, but tools and readers may not; the engine cannot \
              judge the change, so it does not let it pass silently.",
        fix: "Keep the published value; put documentation in `description` or `$comment`.",
        smaller: None,
        witness: Impossible("validators ignore keywords draft-07 does not define"),
    }
    AnalysisLimitReached = "analysis-limit-reached",
        "a construct defeated the analysis (nesting past the engine's bounds, a union with too many alternatives, a oneOf whose overlap could not be decided)" {
        bump: Major,
        breaks: Both,
        why: "The engine could not compare that part precisely, so it cannot say it is \
              compatible; the finding names the construct that stopped it.",
        fix: "Simplify the construct (flatten deep nesting with definitions, give oneOf branches a \
              `const` discriminator), or accept the finding in compat-allow.json after reviewing \
              the change by hand.",
        smaller: None,
        witness: Impossible("the engine stopped comparing at this point, so it knows no change below it to build an event from"),
    }
    UnsupportedKeywordChanged = "unsupported-keyword-changed",
        "a keyword whose value is not valid draft-07 (so its meaning is undefined) changed" {
        bump: Major,
        breaks: Both,
        why: "A malformed keyword (a negative maxLength, an unknown type name, an `enum` that is not \
              an array, a subschema that is neither an object nor a boolean) has no defined \
              meaning: validators reject the schema or read it in different ways, so the change \
              is treated as breaking.",
        fix: "Fix the keyword so that both versions are valid draft-07.",
        smaller: None,
        witness: Impossible("one of the versions is not valid draft-07 at this keyword, so no event has a defined verdict under it"),
    }
}

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
        let mut ids: Vec<&str> = Rule::ALL.iter().map(|r| r.id()).collect();
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
        for &r in Rule::ALL {
            assert!(
                !r.summary().is_empty() && !r.why().is_empty() && !r.fix().is_empty(),
                "{r}"
            );
            assert_eq!(r.bump() == Bump::Major, r.breaks() != Breaks::Nobody, "{r}");
            assert_eq!(
                r.bump() == Bump::Major,
                r.witnessing() != Witnessing::NotNeeded,
                "{r}"
            );
            if let Some(s) = r.smaller() {
                assert!(s.bump < r.bump(), "{r}: the smaller fix is not smaller");
            }
            assert_eq!(Rule::from_id(r.id()), Some(r));
        }
        assert_eq!(Rule::from_id("no-such-rule"), None);
    }

    #[test]
    fn the_variants_follow_the_ids() {
        // The enum is declared in catalog order, so ALL lists each variant once, in order.
        for (i, r) in Rule::ALL.iter().enumerate() {
            assert_eq!(*r as usize, i, "{r}");
            let camel: String = r
                .id()
                .split('-')
                .map(|p| p[..1].to_uppercase() + &p[1..])
                .collect();
            assert_eq!(format!("{r:?}"), camel);
        }
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
