//! The oracle: `jsonschema` 0.61 in draft-07 mode with formats checked, `uuid` and
//! `date-time` by the project's own checkers (its strict `uuid`, and the `date-time` that
//! generated types parse), and its violations in the form every test compares:
//! (pointer, keyword, message), sorted, with a long instance masked.
//!
//! The product's tests and fuzz targets (`fuzz/src/oracle.rs`), the corpus crate's, the
//! schema suite's and the real-world tests all build their validators here, so that they
//! hold the generated checks to one configuration.

use event_contracts_check::formats;
use serde_json::Value;

/// One violation as (pointer, keyword, message).
pub type Triple = (String, String, String);

/// Instances longer than this, as JSON, are masked in messages (`jsonschema`'s `masked()`),
/// as the generated checks mask them.
const QUOTED_UP_TO: usize = 80;

/// The oracle's validator for `schema`, or why it does not compile.
pub fn validator(schema: &Value) -> Result<jsonschema::Validator, String> {
    jsonschema::draft7::options()
        .should_validate_formats(true)
        .with_format("uuid", formats::is_uuid)
        .with_format("date-time", formats::is_date_time)
        .build(schema)
        .map_err(|e| e.to_string())
}

/// What the oracle reports for `instance`, sorted.
pub fn violations(validator: &jsonschema::Validator, instance: &Value) -> Vec<Triple> {
    let mut found: Vec<Triple> = validator
        .iter_errors(instance)
        .map(|error| {
            let long = error.instance().to_string().len() > QUOTED_UP_TO;
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
