//! trybuild cases: consumer views of the shop's events, checked by
//! `#[derive(EventContract)]` against this crate's own `schemas/` (found as the nearest
//! `schemas/` above each case, with `kind` and `schemaVersion` as the envelope).
//! `TRYBUILD=overwrite cargo test --test ui` rewrites the `.stderr` files; review them, as
//! they are what a person reads.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.pass("tests/ui/pass_*.rs");
    cases.compile_fail("tests/ui/view_*.rs");
}
