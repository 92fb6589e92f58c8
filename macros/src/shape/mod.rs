//! The derives the generator puts on the types it emits. They hold, once, the machinery
//! every generated type needs (serde in the spellings decode keeps, builders, constraint
//! checks), so the generated file holds little more than the types themselves: as
//! `prost-derive` does for `prost-build`'s messages.
//!
//! - [`object`]: `#[derive(Object)]` for the struct of an object schema;
//! - [`string_enum`]: `#[derive(StringEnum)]` for a string `enum`;
//! - [`constrained`]: `#[derive(Constrained)]` for a scalar with constraints its Rust type
//!   cannot express;
//! - [`literals`]: `#[derive(Literals)]` for an `enum` of numbers, booleans or `null`;
//! - [`union`]: `#[derive(Union)]` for `anyOf`, `oneOf` and `type` lists;
//! - [`tuple`]: `#[derive(Tuple)]` for `items` lists with `additionalItems: false`.

pub(crate) mod attr;
pub(crate) mod constrained;
pub(crate) mod literals;
pub(crate) mod object;
pub(crate) mod string_enum;
pub(crate) mod tuple;
pub(crate) mod union;
