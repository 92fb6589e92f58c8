//! trybuild cases: what `#[derive(EventContract)]` accepts, and the errors it reports.
//! `TRYBUILD=overwrite cargo test -p event-contracts-derive --test ui` rewrites the
//! `.stderr` snapshots; review them as they are what a person reads.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.pass("tests/ui/pass_*.rs");
    cases.compile_fail("tests/ui/bump_*.rs");
    cases.compile_fail("tests/ui/view_*.rs");
    cases.compile_fail("tests/ui/contract_*.rs");
}
