//! The oracle: `jsonschema` 0.61.2 in draft-07 mode, configured as `tests/oracle` configures
//! it for every other test, and the comparison of its violations with the compiled
//! validator's. This crate's own tests keep a copy: `tests/oracle` depends on this crate, and
//! a dev-dependency back on it would build a second copy of the crate under test.

#![allow(dead_code)]

use event_contracts_check::formats;
use event_contracts_check::schema::{CompileError, CompiledSchema};
use event_contracts_check::{Collector, Instance, Tree};
use serde_json::Value;

/// One violation as (pointer, keyword, message).
pub type Triple = (String, String, String);

/// The oracle's validator for `schema`, or its compile error as text.
pub fn oracle(schema: &Value) -> Result<jsonschema::Validator, String> {
    jsonschema::draft7::options()
        .should_validate_formats(true)
        .with_format("uuid", formats::is_uuid)
        .with_format("date-time", formats::is_date_time)
        .build(schema)
        .map_err(|e| e.to_string())
}

/// What the oracle reports for `instance`, sorted, with long instances masked as the
/// runtime's tests mask them.
pub fn oracle_violations(validator: &jsonschema::Validator, instance: &Value) -> Vec<Triple> {
    let mut found: Vec<Triple> = validator
        .iter_errors(instance)
        .map(|error| {
            let long = error.instance().to_string().len() > 80;
            (
                error.instance_path().as_str().to_owned(),
                error.kind().keyword().to_owned(),
                if long {
                    error.masked().to_string()
                } else {
                    error.to_string()
                },
            )
        })
        .collect();
    found.sort();
    found
}

/// What the compiled validator reports for `instance` at the root, sorted.
pub fn compiled_violations<J: Instance>(schema: &CompiledSchema, instance: &J) -> Vec<Triple> {
    let mut c = Collector::new();
    schema.validate(schema.root(), instance, &mut c);
    let mut found: Vec<Triple> = c
        .into_violations()
        .into_iter()
        .map(|v| (v.pointer, v.keyword, v.message))
        .collect();
    found.sort();
    found
}

/// The compiled validator's violations over a `Value` and over a `Tree` of the same text;
/// panics when the two differ, and checks `is_valid` against them.
pub fn compiled_both(schema: &CompiledSchema, instance: &Value) -> Vec<Triple> {
    let from_value = compiled_violations(schema, instance);
    let text = instance.to_string();
    let tree = Tree::parse(&text).expect("a Value's text parses as a Tree");
    let from_tree = compiled_violations(schema, &tree);
    assert_eq!(from_value, from_tree, "Value and Tree differ on {instance}");
    assert_eq!(
        schema.is_valid(schema.root(), instance),
        from_value.is_empty(),
        "is_valid disagrees with validate on {instance}: {from_value:?}"
    );
    assert_eq!(schema.is_valid(schema.root(), &tree), from_value.is_empty());
    from_value
}

/// Compiles with the crate, mapping the error to text.
pub fn compile(schema: &Value) -> Result<CompiledSchema, CompileError> {
    CompiledSchema::compile(schema)
}
