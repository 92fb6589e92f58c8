//! A folder whose envelope is not the product's: the names `Config` is given reach the
//! generated code, and nothing falls back to `eventType`, `version`, `eventId` or `timestamp`.

use event_contracts_codegen::{emit, load, model, Config, SchemaFiles};

const SCHEMA: &str = r#"{
  "$schema": "http://json-schema.org/draft-07/schema#",
  "type": "object",
  "required": ["kind", "schemaVersion", "id", "occurredAt"],
  "properties": {
    "kind": {"const": "ThingHappened"},
    "schemaVersion": {"type": "string", "pattern": "^1\\.\\d+\\.\\d+$"},
    "id": {"type": "string", "format": "uuid"},
    "occurredAt": {"type": "string", "format": "date-time"},
    "eventId": {"type": "string", "format": "uuid"},
    "timestamp": {"type": "string", "format": "date-time"}
  }
}"#;

/// The root struct's `#[field(...)]` attribute lines, as the generator writes them.
fn field_attributes(config: &Config) -> Vec<String> {
    let files = SchemaFiles::from_files(
        "schemas",
        [("thing-happened/1.0.0.json".to_owned(), SCHEMA.to_owned())],
    );
    let options = config.emit_options();
    let load_options = event_contracts_codegen::LoadOptions {
        discriminator: options.discriminator.clone(),
        version_property: options.version_property.clone(),
    };
    let set = load(&files, &load_options).unwrap_or_else(|e| panic!("{e}"));
    let model = model::build(&set).unwrap_or_else(|e| panic!("{e}"));
    let event = &model.events[0];
    let code = emit::render_version(&model, event, &event.versions[0], &options)
        .unwrap_or_else(|e| panic!("{e}"));
    code.lines()
        .map(str::trim)
        .filter(|line| line.starts_with("#[field("))
        .map(str::to_owned)
        .collect()
}

#[test]
fn builders_fill_the_id_and_timestamp_properties_the_config_names() {
    let config = Config::new("schemas")
        .discriminator("kind")
        .version_property("schemaVersion")
        .id_property("id")
        .timestamp_property("occurredAt");
    assert_eq!(
        field_attributes(&config),
        [
            r#"#[field(json = "schemaVersion", required, fill = "text:1.0.0")]"#,
            r#"#[field(json = "id", required, fill = "uuid")]"#,
            r#"#[field(json = "occurredAt", required, fill = "now")]"#,
            r#"#[field(json = "eventId")]"#,
            r#"#[field(json = "timestamp")]"#,
        ]
    );
}

#[test]
fn by_default_builders_fill_event_id_and_timestamp() {
    let config = Config::new("schemas")
        .discriminator("kind")
        .version_property("schemaVersion");
    assert_eq!(
        field_attributes(&config),
        [
            r#"#[field(json = "schemaVersion", required, fill = "text:1.0.0")]"#,
            r#"#[field(json = "id", required)]"#,
            r#"#[field(json = "occurredAt", required)]"#,
            r#"#[field(json = "eventId", fill = "uuid")]"#,
            r#"#[field(json = "timestamp", fill = "now")]"#,
        ]
    );
}
