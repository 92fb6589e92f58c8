//! The code the generator emits for routing tables, compiled in this crate: the table of the
//! repository's `schemas/routing.yaml` and one that uses every filter condition.

mod generated;
