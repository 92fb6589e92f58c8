//! The shape derives on hand-written types, without the generator: what a generated type
//! of each shape does when it reads and writes JSON.

use event_contracts_runtime::__private::{self as rt, Extra, Object};
use serde_json::json;

/// A closed object (`additionalProperties: false`).
#[derive(Debug, Clone, PartialEq, Object)]
#[object(name = "Point", closed)]
pub struct Point {
    #[field(json = "x", required)]
    pub x: i64,
    #[field(json = "label")]
    pub label: Option<String>,
    pub extra: Extra,
}

/// A closed object compiles (it did not: the derive returned `reject_unknown`'s
/// `Result<(), _>` from a visitor of the struct) and refuses a property it does not declare.
#[test]
fn a_closed_object_refuses_an_undeclared_property() {
    let point: Point = rt::serde_json::from_value(json!({"x": 1, "label": "a"}))
        .unwrap_or_else(|e| panic!("a declared object reads: {e}"));
    assert_eq!(point.x, 1);
    assert_eq!(point.label.as_deref(), Some("a"));
    let error = rt::serde_json::from_value::<Point>(json!({"x": 1, "y": 2}))
        .expect_err("y is not declared");
    assert_eq!(
        error.to_string(),
        "Point does not allow the property \"y\" (additionalProperties: false)"
    );
}
