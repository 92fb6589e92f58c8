//! A manual probe of the oracle: `PROBE_SCHEMA='{..}' PROBE_INSTANCE='..' cargo test -p
//! event-contracts-check --test probe -- --ignored --nocapture` prints what `jsonschema` and
//! the compiled validator report.

mod schema_support;
use schema_support as support;

#[test]
#[ignore = "a manual probe; set PROBE_SCHEMA and PROBE_INSTANCE"]
fn probe() {
    let schema: serde_json::Value =
        serde_json::from_str(&std::env::var("PROBE_SCHEMA").unwrap_or("{}".into())).unwrap();
    let instance: serde_json::Value =
        serde_json::from_str(&std::env::var("PROBE_INSTANCE").unwrap_or("null".into())).unwrap();
    match support::oracle(&schema) {
        Ok(v) => println!("oracle:   {:#?}", support::oracle_violations(&v, &instance)),
        Err(e) => println!("oracle:   compile error {e}"),
    }
    match support::compile(&schema) {
        Ok(s) => println!(
            "compiled: {:#?}",
            support::compiled_violations(&s, &instance)
        ),
        Err(e) => println!("compiled: compile error {e}"),
    }
}
