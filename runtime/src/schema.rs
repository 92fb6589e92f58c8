//! The bundled schemas of a generated crate, compiled on first use into the check that
//! reports every violation.
//!
//! Generated code holds each bundled schema as text (`include_str!` of the file the
//! generator wrote) in a [`BundledSchema`] static; the generator compiled the same text
//! with the same compiler at build time, so the first use here cannot fail for a crate
//! that built. Should it fail anyway (a file in `OUT_DIR` changed behind cargo's back),
//! every check against it reports one violation saying so, rather than panicking or
//! accepting the event.

use std::sync::OnceLock;

use event_contracts_check::schema::{CompileError, CompiledSchema, KeywordSet, NodeId};
use event_contracts_check::{Collector, Instance};

/// One bundled schema document, compiled the first time a check needs it.
#[derive(Debug)]
pub struct BundledSchema {
    json: &'static str,
    file: &'static str,
    compiled: OnceLock<Result<CompiledSchema, String>>,
}

impl BundledSchema {
    /// A schema from its JSON text and the file it was generated from.
    pub const fn new(json: &'static str, file: &'static str) -> Self {
        BundledSchema {
            json,
            file,
            compiled: OnceLock::new(),
        }
    }

    /// The bundled schema's JSON text.
    pub fn json(&self) -> &'static str {
        self.json
    }

    /// The schema file it was generated from.
    pub fn file(&self) -> &'static str {
        self.file
    }

    /// The compiled schema, or why it does not compile.
    pub fn compiled(&self) -> Result<&CompiledSchema, &str> {
        self.compiled
            .get_or_init(|| {
                let document: serde_json::Value = serde_json::from_str(self.json)
                    .map_err(|e| format!("the bundled schema of {} is not JSON: {e}", self.file))?;
                CompiledSchema::compile(&document).map_err(|e: CompileError| {
                    format!("the bundled schema of {} does not compile: {e}", self.file)
                })
            })
            .as_ref()
            .map_err(String::as_str)
    }

    /// Reports every violation of the subschema at `pointer` by `instance`.
    pub fn validate<J: Instance>(&self, pointer: &str, instance: &J, c: &mut Collector) {
        match self.node(pointer) {
            Ok((schema, node)) => schema.validate(node, instance, c),
            Err(problem) => c.report("$schema", problem),
        }
    }

    /// Whether `instance` satisfies the subschema at `pointer` (`false` when the schema
    /// does not compile or has no subschema there).
    pub fn is_valid<J: Instance>(&self, pointer: &str, instance: &J) -> bool {
        self.node(pointer)
            .is_ok_and(|(schema, node)| schema.is_valid(node, instance))
    }

    /// [`is_valid`](Self::is_valid) of the subschema at `at` (see [`SchemaAt`]), or of only
    /// its keywords that `at` names.
    pub fn is_valid_at<J: Instance>(&'static self, at: &SchemaAt, instance: &J) -> bool {
        self.node_at(at)
            .is_ok_and(|(schema, node)| at.holds(schema, node, instance))
    }

    /// Whether `instance` satisfies the subschema at `pointer`; `Err` with the first
    /// violation's message when it does not (an empty one inside decode's fast path,
    /// which drops it: see `__private::errors_unread`).
    pub fn check<J: Instance>(&self, pointer: &str, instance: &J) -> Result<(), String> {
        let (schema, node) = self.node(pointer)?;
        Self::check_node(schema, node, instance, None)
    }

    /// [`check`](Self::check) of the subschema at `at`, whose node is looked up once and
    /// then remembered in `at`: what generated types call on every read. Only a schema that
    /// lives for the whole program can be remembered (generated code's are `static`s): an
    /// address that a dropped schema freed could be taken by another one.
    /// When `at` names keywords ([`SchemaAt::only`]), only those are checked.
    pub fn check_at<J: Instance>(&'static self, at: &SchemaAt, instance: &J) -> Result<(), String> {
        let (schema, node) = self.node_at(at)?;
        Self::check_node(schema, node, instance, at.only)
    }

    fn check_node<J: Instance>(
        schema: &CompiledSchema,
        node: NodeId,
        instance: &J,
        only: Option<KeywordSet>,
    ) -> Result<(), String> {
        let valid = match only {
            None => schema.is_valid(node, instance),
            Some(only) => schema.is_valid_only(node, instance, only),
        };
        if valid {
            return Ok(());
        }
        if crate::__private::errors_unread() {
            // Decode's fast path drops this error and words every violation itself.
            return Err(String::new());
        }
        let mut c = Collector::new();
        match only {
            None => schema.validate(node, instance, &mut c),
            Some(only) => schema.validate_only(node, instance, only, &mut c),
        }
        Err(match c.into_violations().into_iter().next() {
            Some(v) => format!("{} ({} at {})", v.message, v.keyword, shown(&v.pointer)),
            None => "the value breaks its schema".to_owned(),
        })
    }

    fn node(&self, pointer: &str) -> Result<(&CompiledSchema, NodeId), String> {
        let schema = self.compiled().map_err(str::to_owned)?;
        let node = schema
            .node_at(pointer)
            .ok_or_else(|| self.no_subschema(pointer))?;
        Ok((schema, node))
    }

    /// [`node`](Self::node) through `at`'s memory. `at` remembers the schema it was first
    /// used with (by address); used with another one, it looks the pointer up as `node` does.
    fn node_at(&'static self, at: &SchemaAt) -> Result<(&'static CompiledSchema, NodeId), String> {
        let schema = self.compiled().map_err(str::to_owned)?;
        let this = std::ptr::from_ref(self) as usize;
        let &(owner, found) = at.found.get_or_init(|| (this, schema.node_at(at.pointer)));
        let node = if owner == this {
            found
        } else {
            schema.node_at(at.pointer)
        };
        let node = node.ok_or_else(|| self.no_subschema(at.pointer))?;
        Ok((schema, node))
    }

    fn no_subschema(&self, pointer: &str) -> String {
        format!(
            "the bundled schema of {} has no subschema at {pointer:?}",
            self.file
        )
    }
}

/// Where a check applies: a JSON pointer into a bundled schema, and the compiled node found
/// there, remembered after the first lookup. Generated types keep one in a `static` per
/// check, so that a read does not look its subschema up by pointer each time (a hash of
/// the pointer per checked value: a few percent of decoding events with many checks).
///
/// A `SchemaAt` made with [`only`](Self::only) checks only some keywords of the subschema
/// (after its `$ref`s): those its Rust type cannot hold, when the typed read holds the
/// rest. Its checks then imply nothing about the values below it, which check themselves.
#[derive(Debug)]
pub struct SchemaAt {
    pointer: &'static str,
    /// The keywords checked, when not all of them are.
    only: Option<KeywordSet>,
    /// The address of the schema of the first lookup, and what it found there.
    found: OnceLock<(usize, Option<NodeId>)>,
}

impl SchemaAt {
    /// The subschema at `pointer`, not yet looked up.
    pub const fn new(pointer: &'static str) -> Self {
        SchemaAt {
            pointer,
            only: None,
            found: OnceLock::new(),
        }
    }

    /// The keywords named in `only` (draft-07 spellings) of the subschema at `pointer`.
    /// The names become a [`KeywordSet`] here, when the `static` is made, so a check
    /// compares no names.
    pub const fn only(pointer: &'static str, only: &'static [&'static str]) -> Self {
        SchemaAt {
            pointer,
            only: Some(KeywordSet::named(only)),
            found: OnceLock::new(),
        }
    }

    /// The JSON pointer.
    pub fn pointer(&self) -> &'static str {
        self.pointer
    }

    /// Whether a check here checks the whole subschema, and so everything below it.
    pub fn is_whole(&self) -> bool {
        self.only.is_none()
    }

    /// Whether a check here checks only keywords among `names`: a type that holds
    /// everything but those, and checks those itself as it reads (a tuple counting its
    /// items), then needs no check.
    pub fn only_within(&self, names: KeywordSet) -> bool {
        self.only.is_some_and(|only| only.within(names))
    }

    fn holds<J: Instance>(&self, schema: &CompiledSchema, node: NodeId, instance: &J) -> bool {
        match self.only {
            None => schema.is_valid(node, instance),
            Some(only) => schema.is_valid_only(node, instance, only),
        }
    }
}

fn shown(pointer: &str) -> &str {
    if pointer.is_empty() {
        "/"
    } else {
        pointer
    }
}
