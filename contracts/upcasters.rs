//! The hand-written steps between major versions: the one place they are registered.
//!
//! A new major is a breaking change, so no schema can say how to carry an old event
//! across it. For every pair of consecutive majors of an event, the generated version
//! table (`codegen::emit_versioning`) refers to a function here named
//! `<event module>_<newest version of the old major>_to_<oldest version of the new major>`,
//! with dots as underscores, e.g.
//!
//! ```text
//! pub fn product_created_1_1_0_to_2_0_0(event: Value) -> Result<Value, UpcastError>
//! ```
//!
//! The build fails until the function exists with that signature. A step receives the
//! event as JSON at the old major's newest version (already upcast within its major) and
//! returns it at the new major's oldest version, `version` included; the runtime then
//! validates the result against that schema. A step must carry over every property it
//! does not own (unknown ones included), as decoding and the minor steps do.
//!
//! Every event has a single major today, so no step exists yet.

#[allow(unused_imports)]
use serde_json::Value;

#[allow(unused_imports)]
use crate::upcast::UpcastError;
