//! A shop's order and payment events, generated from `schemas/` by event-contracts-codegen:
//! the whole crate is the generated code.

include!(concat!(env!("OUT_DIR"), "/event_contracts.rs"));
