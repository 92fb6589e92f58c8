fn main() {
    event_contracts_codegen::Config::new("schemas")
        .discriminator("kind")
        .version_property("schemaVersion")
        .id_property("id")
        .timestamp_property("occurredAt")
        .stream_key("/orderId")
        .derive_contract(true)
        .write_to_out_dir()
        .unwrap_or_else(|e| panic!("{e}"));
}
