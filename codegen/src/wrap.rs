//! A schema that is not an event contract, made the payload of one.
//!
//! Teams often hold schemas of messages without an envelope: a webhook payload, a protocol
//! message, a JSON Schema Test Suite case. [`event_around`] puts such a schema under
//! `#/definitions/<payload>` of an event with a discriminator and a version property, so that
//! the generator can type it. The schema's own document-relative `$ref`s (`#`,
//! `#/definitions/a`) are moved with it; `$ref`s under a `$id` that sets a new base URI
//! read that resource, not the document, and are left as written, as are `$ref`s by URI.

use serde_json::{json, Value};

/// The names of an event made by [`event_around`].
#[derive(Debug, Clone, Copy)]
pub struct Envelope<'a> {
    /// The event type, the discriminator's one value.
    pub event_type: &'a str,
    /// The discriminator's property name.
    pub discriminator: &'a str,
    /// The version property's name.
    pub version_property: &'a str,
    /// The property that holds the payload, and its definition's name.
    pub payload: &'a str,
}

/// An event schema whose `payload` property is `schema`:
///
/// ```json
/// {"$schema": "http://json-schema.org/draft-07/schema#", "type": "object",
///  "required": [discriminator, version_property, payload],
///  "properties": {discriminator: {"type": "string", "enum": [event_type]},
///                 version_property: {"type": "string"},
///                 payload: {"$ref": "#/definitions/<payload>"}},
///  "definitions": {payload: schema}}
/// ```
///
/// The schema's `$schema` is dropped: the event states the dialect for the whole document.
pub fn event_around(schema: &Value, envelope: Envelope<'_>) -> Value {
    let mut payload = schema.clone();
    if let Value::Object(obj) = &mut payload {
        obj.remove("$schema");
    }
    let prefix = format!("#/definitions/{}", escape_token(envelope.payload));
    move_refs(&mut payload, &prefix, false);
    let mut properties = serde_json::Map::new();
    properties.insert(
        envelope.discriminator.to_owned(),
        json!({"type": "string", "enum": [envelope.event_type]}),
    );
    properties.insert(
        envelope.version_property.to_owned(),
        json!({"type": "string"}),
    );
    properties.insert(envelope.payload.to_owned(), json!({ "$ref": prefix }));
    let mut definitions = serde_json::Map::new();
    definitions.insert(envelope.payload.to_owned(), payload);
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "type": "object",
        "required": [envelope.discriminator, envelope.version_property, envelope.payload],
        "properties": properties,
        "definitions": definitions,
    })
}

/// A JSON Pointer token for `name` (RFC 6901: `~` as `~0`, `/` as `~1`), percent-encoded
/// where a URI fragment needs it.
fn escape_token(name: &str) -> String {
    let token = name.replace('~', "~0").replace('/', "~1");
    let mut out = String::with_capacity(token.len());
    for byte in token.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Keywords whose value is a schema, an array of schemas or an object of schemas. Every
/// other keyword's value (`enum`, `const`, `default`, `examples`, ...) is data and is never
/// rewritten.
const SCHEMA_KEYWORDS: &[&str] = &[
    "items",
    "additionalItems",
    "contains",
    "additionalProperties",
    "propertyNames",
    "not",
    "if",
    "then",
    "else",
    "allOf",
    "anyOf",
    "oneOf",
    "properties",
    "patternProperties",
    "definitions",
    "dependencies",
];

/// Keywords whose value is an object of named schemas.
const SCHEMA_MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "definitions",
    "dependencies",
];

/// Moves the document-relative `$ref`s of `schema` under `prefix`. `scoped` is true below a
/// `$id` that sets a base URI. An object with `$ref` ignores its siblings in draft-07, its
/// `$id` included, so such an `$id` does not scope.
fn move_refs(schema: &mut Value, prefix: &str, scoped: bool) {
    let Value::Object(obj) = schema else { return };
    let has_ref = obj.contains_key("$ref");
    let scoped = scoped
        || (!has_ref
            && obj
                .get("$id")
                .and_then(Value::as_str)
                .is_some_and(|id| !id.starts_with('#')));
    if let Some(Value::String(reference)) = obj.get_mut("$ref") {
        if !scoped {
            if let Some(fragment) = reference.strip_prefix('#') {
                if fragment.is_empty() || fragment.starts_with('/') {
                    *reference = format!("{prefix}{fragment}");
                }
            }
        }
    }
    for key in SCHEMA_KEYWORDS {
        match obj.get_mut(*key) {
            Some(Value::Array(items)) => {
                for item in items {
                    move_refs(item, prefix, scoped);
                }
            }
            // `dependencies` maps to a schema or to an array of names; only schemas move.
            Some(Value::Object(children)) if SCHEMA_MAPS.contains(key) => {
                for child in children.values_mut() {
                    if child.is_object() {
                        move_refs(child, prefix, scoped);
                    }
                }
            }
            Some(child @ Value::Object(_)) => move_refs(child, prefix, scoped),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENVELOPE: Envelope<'static> = Envelope {
        event_type: "Push",
        discriminator: "kind",
        version_property: "version",
        payload: "data",
    };

    #[test]
    fn the_schema_becomes_the_payload_definition() {
        let event = event_around(
            &json!({"$schema": "http://json-schema.org/draft-07/schema#", "type": "integer"}),
            ENVELOPE,
        );
        assert_eq!(
            event,
            json!({
                "$schema": "http://json-schema.org/draft-07/schema#",
                "type": "object",
                "required": ["kind", "version", "data"],
                "properties": {
                    "kind": {"type": "string", "enum": ["Push"]},
                    "version": {"type": "string"},
                    "data": {"$ref": "#/definitions/data"}
                },
                "definitions": {"data": {"type": "integer"}}
            })
        );
    }

    #[test]
    fn document_refs_move_and_data_does_not() {
        let event = event_around(
            &json!({
                "properties": {
                    "a": {"$ref": "#/definitions/x"},
                    "b": {"$ref": "#"},
                    "c": {"$ref": "other.json#/definitions/x"},
                    "d": {"enum": [{"$ref": "#/definitions/x"}]}
                },
                "dependencies": {"a": ["b"], "c": {"$ref": "#/definitions/x"}},
                "definitions": {"x": {"items": [{"$ref": "#/definitions/x"}]}}
            }),
            ENVELOPE,
        );
        let data = &event["definitions"]["data"];
        assert_eq!(
            data["properties"]["a"]["$ref"],
            "#/definitions/data/definitions/x"
        );
        assert_eq!(data["properties"]["b"]["$ref"], "#/definitions/data");
        assert_eq!(data["properties"]["c"]["$ref"], "other.json#/definitions/x");
        assert_eq!(
            data["properties"]["d"]["enum"][0]["$ref"],
            "#/definitions/x"
        );
        assert_eq!(data["dependencies"]["a"], json!(["b"]));
        assert_eq!(
            data["dependencies"]["c"]["$ref"],
            "#/definitions/data/definitions/x"
        );
        assert_eq!(
            data["definitions"]["x"]["items"][0]["$ref"],
            "#/definitions/data/definitions/x"
        );
    }

    #[test]
    fn refs_under_a_base_uri_read_that_resource() {
        let event = event_around(
            &json!({"definitions": {"r": {
                "$id": "http://example.com/r.json",
                "properties": {"x": {"$ref": "#/definitions/y"}}
            }}}),
            ENVELOPE,
        );
        let inner = &event["definitions"]["data"]["definitions"]["r"]["properties"]["x"];
        assert_eq!(inner["$ref"], "#/definitions/y");
    }

    #[test]
    fn a_payload_name_is_escaped_in_the_pointer() {
        let event = event_around(
            &json!({"$ref": "#/definitions/x"}),
            Envelope {
                payload: "a/b c",
                ..ENVELOPE
            },
        );
        assert_eq!(
            event["properties"]["a/b c"]["$ref"],
            "#/definitions/a~1b%20c"
        );
        assert_eq!(
            event["definitions"]["a/b c"]["$ref"],
            "#/definitions/a~1b%20c/definitions/x"
        );
    }
}
