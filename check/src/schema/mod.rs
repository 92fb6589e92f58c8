//! One compiled draft-07 JSON Schema document, and the validation every generated type uses.
//!
//! [`CompiledSchema::compile`] checks the document against the draft-07 meta-schema, indexes
//! its `$id`s and anchors, resolves every `$ref` (inside the document, or to the embedded
//! draft-07 meta-schema; nothing is ever fetched), precompiles regular expressions and lays
//! out every subschema as a [`NodeId`] in one vector. [`CompiledSchema::validate`] then
//! reports every violation of a node by an instance, with the pointer, keyword and message
//! `jsonschema` 0.61.2 reports for draft 7 (the project's oracle, run by the tests on the JSON
//! Schema Test Suite and on random schemas), and [`CompiledSchema::is_valid`] answers the same
//! question without building anything.
//!
//! The phases: `refs` (base URIs, `$id`, anchors, reference resolution), `compile` (nodes and
//! keywords), `validate` (the walk over an instance), with `number` (exact numeric rules),
//! `equal` (JSON equality) and `content` (`contentEncoding`, `contentMediaType`) beside them.

mod compile;
mod content;
mod equal;
pub(crate) mod number;
mod refs;
mod validate;

pub use compile::{same_text, KeywordSet, ASSERTING_KEYWORDS};
pub use equal::all_unique;
pub use validate::Name;

use std::sync::OnceLock;

use serde_json::Value;

use crate::keywords::{Collector, Instance};

use compile::Node;

/// A subschema of a [`CompiledSchema`]: what [`CompiledSchema::node_at`] finds and
/// [`CompiledSchema::validate`] checks against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NodeId(u32);

impl NodeId {
    fn index(self) -> usize {
        self.0 as usize
    }
}

/// One draft-07 document, compiled: immutable, `Send + Sync`, cheap to share.
#[derive(Debug)]
pub struct CompiledSchema {
    nodes: Vec<Node>,
    /// The node compiled for each JSON pointer of the document (its subschemas), looked up
    /// by every check a generated type makes (foldhash: the keys are the schema's own).
    by_pointer: foldhash::HashMap<String, NodeId>,
    root: NodeId,
    refs: std::collections::HashMap<String, RefTarget>,
}

/// Where a `$ref` points, as the check resolves it (base URIs, `$id`s and anchors included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefTarget {
    /// The schema at this JSON pointer of the same document.
    Document(String),
    /// The schema at this JSON pointer of the draft-07 meta-schema (the embedded copy).
    MetaSchema(String),
}

/// Why a document does not compile. Every variant names the JSON pointer in the document
/// (written as a URI fragment, `#/properties/a`) and says what to change.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CompileError {
    /// The document, or a part of it that must be a schema, breaks the draft-07 meta-schema.
    #[error("#{pointer}: not a valid draft-07 schema: {message}; change the value so that the draft-07 meta-schema accepts it")]
    NotASchema {
        /// Where, in the document.
        pointer: String,
        /// What the meta-schema says.
        message: String,
    },
    /// A `$ref` names nothing in this document nor the draft-07 meta-schema.
    #[error("#{pointer}: $ref {reference:?} cannot be resolved ({reason}); refer to a JSON pointer (\"#/definitions/x\"), a plain-name anchor or an $id inside this document: other documents are never fetched")]
    UnresolvableRef {
        /// The pointer of the `$ref` keyword.
        pointer: String,
        /// The reference as written.
        reference: String,
        /// What went wrong.
        reason: String,
    },
    /// A `pattern` or a `patternProperties` key is not an ECMA-262 regular expression.
    #[error("#{pointer}: {pattern:?} is not an ECMA-262 regular expression ({reason}); fix or escape it")]
    BadPattern {
        /// The pointer of the keyword (or of the `patternProperties` member).
        pointer: String,
        /// The pattern as written.
        pattern: String,
        /// What the regex parser says.
        reason: String,
    },
    /// `$ref`s that lead back to where they started without descending into the instance,
    /// so that validating them would never end.
    #[error("#{pointer}: $ref cycle {} never reaches a keyword that moves into the instance; break the cycle", cycle.join(" -> "))]
    RefCycle {
        /// The pointer of one `$ref` on the cycle.
        pointer: String,
        /// The pointers of the subschemas on the cycle, in order.
        cycle: Vec<String>,
    },
    /// The document nests deeper than the validator walks.
    #[error(
        "#{pointer}: schemas nest deeper than {limit} levels here; flatten them with definitions"
    )]
    TooDeep {
        /// Where the limit was passed.
        pointer: String,
        /// The limit.
        limit: usize,
    },
    /// A subschema declares a `$schema` other than draft 07.
    #[error("#{pointer}: $schema {declared:?} is not draft-07; this validator reads draft-07 only, so remove it or write the subschema in draft-07")]
    OtherDraft {
        /// The pointer of the `$schema` keyword.
        pointer: String,
        /// What it declares.
        declared: String,
    },
}

impl CompileError {
    /// The JSON pointer in the document that the error is about.
    pub fn pointer(&self) -> &str {
        match self {
            CompileError::NotASchema { pointer, .. }
            | CompileError::UnresolvableRef { pointer, .. }
            | CompileError::BadPattern { pointer, .. }
            | CompileError::RefCycle { pointer, .. }
            | CompileError::TooDeep { pointer, .. }
            | CompileError::OtherDraft { pointer, .. } => pointer,
        }
    }
}

/// The draft-07 meta-schema (from json-schema.org), which `$ref`s to
/// `http://json-schema.org/draft-07/schema#` resolve to and every document is checked against.
pub const DRAFT_07_META_SCHEMA: &str = include_str!("draft-07-schema.json");

/// The meta-schema as a document, parsed once.
fn meta_document() -> &'static Value {
    static DOCUMENT: OnceLock<Value> = OnceLock::new();
    DOCUMENT.get_or_init(|| {
        // The embedded file is the published meta-schema; a test asserts that it parses.
        serde_json::from_str(DRAFT_07_META_SCHEMA).unwrap_or(Value::Bool(true))
    })
}

/// The meta-schema, compiled once, without checking it against itself.
fn meta_schema() -> Option<&'static CompiledSchema> {
    static COMPILED: OnceLock<Option<CompiledSchema>> = OnceLock::new();
    COMPILED
        .get_or_init(|| compile::compile_document(meta_document()).ok())
        .as_ref()
}

impl CompiledSchema {
    /// Compiles a draft-07 document. Refuses, naming the pointer at fault, a document the
    /// draft-07 meta-schema rejects, an unresolvable or remote `$ref`, a pattern that is not
    /// an ECMA-262 regular expression, and `$ref` cycles that would never end.
    ///
    /// Every subschema of the document is compiled (`definitions` included, so that
    /// [`CompiledSchema::node_at`] finds them), plus every `$ref` target.
    pub fn compile(document: &Value) -> Result<CompiledSchema, CompileError> {
        compile::check_depth(document)?;
        compile::check_drafts(document)?;
        let meta = meta_schema().ok_or_else(|| CompileError::NotASchema {
            pointer: String::new(),
            message: "the embedded draft-07 meta-schema does not compile".to_owned(),
        })?;
        let mut c = Collector::new();
        meta.validate(meta.root(), document, &mut c);
        let found = c.into_violations();
        if let Some(first) = found.first() {
            let more = match found.len() {
                1 => String::new(),
                n => format!(" (and {} more)", n - 1),
            };
            return Err(CompileError::NotASchema {
                pointer: first.pointer.clone(),
                message: format!("{}{more}", first.message),
            });
        }
        compile::compile_document(document)
    }

    /// The document's root schema.
    pub fn root(&self) -> NodeId {
        self.root
    }

    /// The subschema at a JSON pointer of the document (`""` is the root,
    /// `"/properties/data"`, `"/definitions/a~1b"`), if it is one.
    pub fn node_at(&self, pointer: &str) -> Option<NodeId> {
        self.by_pointer.get(pointer).copied()
    }

    /// Where the `$ref` of the schema at `pointer` points (`None` when that schema has no
    /// `$ref`, or an empty one, or was never reached from the root and so not compiled).
    pub fn ref_target(&self, pointer: &str) -> Option<&RefTarget> {
        self.refs.get(pointer)
    }

    /// The draft-07 meta-schema the check embeds, which `$ref`s to its URI read.
    pub fn meta_schema() -> &'static Value {
        meta_document()
    }

    /// Records in `c` every violation of `node` by `instance`, with pointers relative to the
    /// collector's position and the messages `jsonschema` words.
    pub fn validate<J: Instance>(&self, node: NodeId, instance: &J, c: &mut Collector) {
        self.check(node, instance, c);
    }

    /// Whether `instance` satisfies `node`: stops at the first failure and builds nothing
    /// (no pointers, messages or collections).
    pub fn is_valid<J: Instance>(&self, node: NodeId, instance: &J) -> bool {
        self.valid(node, instance)
    }

    /// [`validate`](Self::validate) of only the keywords of `node` in `only`
    /// (`KeywordSet::named(&["if", "uniqueItems"])`), following `$ref`s to the schema that
    /// holds them; below those keywords every keyword applies. For a value whose other
    /// keywords something else has checked (a generated type's typed read).
    pub fn validate_only<J: Instance>(
        &self,
        node: NodeId,
        instance: &J,
        only: KeywordSet,
        c: &mut Collector,
    ) {
        self.check_only(node, instance, only, c);
    }

    /// [`is_valid`](Self::is_valid) of only the keywords of `node` in `only`, as
    /// [`validate_only`](Self::validate_only) reads them.
    pub fn is_valid_only<J: Instance>(&self, node: NodeId, instance: &J, only: KeywordSet) -> bool {
        self.valid_only(node, instance, only)
    }

    fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id.index()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_embedded_meta_schema_parses_and_compiles() {
        let meta: Value = serde_json::from_str(DRAFT_07_META_SCHEMA).unwrap();
        assert_eq!(meta["$id"], "http://json-schema.org/draft-07/schema#");
        assert!(meta_schema().is_some());
        let compiled = CompiledSchema::compile(&meta).unwrap();
        assert!(compiled.is_valid(compiled.root(), &meta));
    }

    #[test]
    fn compiled_schemas_are_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<CompiledSchema>();
        assert_send_sync::<NodeId>();
    }

    #[test]
    fn nodes_are_found_by_pointer() {
        let schema = CompiledSchema::compile(&json!({
            "properties": {"a/b": {"type": "string"}},
            "definitions": {"x": {"minimum": 1}}
        }))
        .unwrap();
        let a = schema.node_at("/properties/a~1b").unwrap();
        assert!(schema.is_valid(a, &json!("s")));
        assert!(!schema.is_valid(a, &json!(1)));
        let x = schema.node_at("/definitions/x").unwrap();
        assert!(!schema.is_valid(x, &json!(0)));
        assert_eq!(schema.node_at(""), Some(schema.root()));
        assert_eq!(schema.node_at("/nope"), None);
    }

    /// The pointers and keywords of every violation of `node` by `instance` among `only`.
    fn violations_only(
        schema: &CompiledSchema,
        node: NodeId,
        instance: &Value,
        only: &[&str],
    ) -> Vec<(String, String)> {
        let mut c = Collector::new();
        schema.validate_only(node, instance, KeywordSet::named(only), &mut c);
        c.into_violations()
            .into_iter()
            .map(|v| (v.pointer.clone(), v.keyword.to_string()))
            .collect()
    }

    #[test]
    fn only_the_named_keywords_are_checked_and_everything_below_them() {
        let schema = CompiledSchema::compile(&json!({
            "definitions": {
                "account": {
                    "type": "object",
                    "properties": {"plan": {"type": "string"}, "seats": {"type": "integer"}},
                    "required": ["plan"],
                    "if": {"properties": {"plan": {"const": "pro"}}},
                    "then": {"required": ["seats"]},
                    "not": {"required": ["closed"]},
                    "uniqueItems": true
                }
            },
            "properties": {"account": {"$ref": "#/definitions/account"}}
        }))
        .unwrap();
        // Through the `$ref`, to the keywords of the schema it names.
        let at = schema.node_at("/properties/account").unwrap();
        // Breaks `properties` only: not among the keywords asked for.
        let plan_number = json!({"plan": 7});
        assert!(schema.is_valid_only(at, &plan_number, KeywordSet::named(&["if", "not", "type"])));
        assert!(!schema.is_valid(at, &plan_number));
        // `not` of a schema that accepts any number refuses every number.
        assert!(!schema.is_valid_only(at, &json!(7), KeywordSet::named(&["not"])));
        // `if` answers for `then` and `else` too.
        let pro_without_seats = json!({"plan": "pro"});
        assert!(!schema.is_valid_only(at, &pro_without_seats, KeywordSet::named(&["if"])));
        assert!(!schema.is_valid_only(at, &pro_without_seats, KeywordSet::named(&["then"])));
        assert!(schema.is_valid_only(
            at,
            &pro_without_seats,
            KeywordSet::named(&["not", "required"])
        ));
        assert_eq!(
            violations_only(&schema, at, &pro_without_seats, &["if", "not"]),
            vec![(String::new(), "required".to_owned())]
        );
        // `properties` answers for its group; below a named keyword every keyword applies.
        let seats_text = json!({"plan": "free", "seats": "two"});
        assert!(!schema.is_valid_only(
            at,
            &seats_text,
            KeywordSet::named(&["additionalProperties"])
        ));
        assert!(schema.is_valid_only(
            at,
            &seats_text,
            KeywordSet::named(&["if", "not", "required"])
        ));
        let closed = json!({"plan": "free", "closed": true});
        assert_eq!(
            violations_only(&schema, at, &closed, &["not"]),
            vec![(String::new(), "not".to_owned())]
        );
        assert!(violations_only(&schema, at, &closed, &["if", "uniqueItems"]).is_empty());
        // A name no keyword has checks nothing.
        assert!(schema.is_valid_only(at, &json!(7), KeywordSet::named(&["nope"])));
        assert!(!schema.is_valid_only(at, &json!(7), KeywordSet::named(&["type"])));
    }

    #[test]
    fn each_asserting_keyword_has_its_own_bit() {
        assert!(ASSERTING_KEYWORDS.len() <= 64);
        let all = KeywordSet::named(ASSERTING_KEYWORDS);
        assert_eq!(all.0.count_ones() as usize, ASSERTING_KEYWORDS.len());
        for (i, name) in ASSERTING_KEYWORDS.iter().enumerate() {
            let one = KeywordSet::named(&[name]);
            assert_eq!(one.0, 1 << i, "{name}");
            assert!(one.meets(all));
        }
        assert!(KeywordSet::named(&["nope", "Type", ""]).is_empty());
        assert!(!KeywordSet::named(&["if"]).meets(KeywordSet::named(&["then"])));
    }
}
