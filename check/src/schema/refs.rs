//! Base URIs, `$id`s, plain-name anchors and `$ref` resolution, as draft 7 defines them and
//! the `referencing` crate (behind `jsonschema`) applies them: a `$id` beside a `$ref` is
//! ignored, `"$id": "#name"` is an anchor, references resolve by RFC 3986 against the nearest
//! base and are normalised, and JSON-pointer fragments are percent-decoded.

use std::collections::HashMap;

use fluent_uri::{Uri, UriRef};
use serde_json::Value;

/// A place in one of the documents: 0 is the compiled document, 1 the draft-07 meta-schema.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Location {
    pub(crate) doc: usize,
    pub(crate) pointer: String,
}

/// The base of a document without `$id` (the one `referencing` uses).
const DEFAULT_BASE: &str = "json-schema:///";

/// Where the meta-schema lives; `$ref`s to it resolve to the embedded copy.
const META_URI: &str = "http://json-schema.org/draft-07/schema";

/// What the walk over the documents found.
#[derive(Debug, Default)]
pub(crate) struct Index {
    /// Resource URIs (no fragment, normalised) to the schema that carries the `$id`.
    resources: HashMap<String, Location>,
    /// (resource URI, anchor name) to the schema that declares it.
    anchors: HashMap<(String, String), Location>,
    /// The base URI in force at each schema position.
    bases: HashMap<Location, String>,
}

/// A `$ref` resolved to a place in the documents.
#[derive(Debug)]
pub(crate) struct Target {
    pub(crate) location: Location,
}

impl Index {
    /// Walks the compiled document and the meta-schema, recording bases, `$id`s and anchors.
    pub(crate) fn build(documents: &[&Value]) -> Index {
        let mut index = Index::default();
        for (doc, root) in documents.iter().enumerate() {
            let root_base = id_of(root)
                .and_then(|id| resolve(DEFAULT_BASE, id).ok())
                .unwrap_or_else(|| DEFAULT_BASE.to_owned());
            index
                .resources
                .entry(strip_fragment(&root_base))
                .or_insert(Location {
                    doc,
                    pointer: String::new(),
                });
            index.walk(doc, root, String::new(), DEFAULT_BASE.to_owned());
        }
        index
    }

    fn walk(&mut self, doc: usize, value: &Value, pointer: String, parent_base: String) {
        // Depth was bounded before the walk (`compile::check_depth`).
        let Some(object) = value.as_object() else {
            return;
        };
        let location = Location {
            doc,
            pointer: pointer.clone(),
        };
        let mut base = parent_base;
        if let Some(id) = id_of(value) {
            if let Ok(resolved) = resolve(&base, id) {
                base = strip_fragment(&resolved);
                self.resources
                    .entry(base.clone())
                    .or_insert(location.clone());
            }
        }
        if let Some(anchor) = object
            .get("$id")
            .and_then(Value::as_str)
            .and_then(|id| id.strip_prefix('#'))
        {
            self.anchors
                .entry((strip_fragment(&base), anchor.to_owned()))
                .or_insert(location.clone());
        }
        self.bases.insert(location, base.clone());
        for (key, child) in object {
            let at = |suffix: &str| format!("{pointer}/{}{suffix}", escape(key));
            match key.as_str() {
                "additionalItems"
                | "additionalProperties"
                | "contains"
                | "else"
                | "if"
                | "not"
                | "propertyNames"
                | "then" => {
                    self.walk(doc, child, at(""), base.clone());
                }
                "items" | "allOf" | "anyOf" | "oneOf" => match child {
                    Value::Array(items) => {
                        for (i, item) in items.iter().enumerate() {
                            self.walk(doc, item, at(&format!("/{i}")), base.clone());
                        }
                    }
                    _ if key == "items" => self.walk(doc, child, at(""), base.clone()),
                    _ => {}
                },
                "definitions" | "properties" | "patternProperties" | "dependencies" => {
                    if let Some(members) = child.as_object() {
                        for (name, member) in members {
                            let path = format!("{pointer}/{}/{}", escape(key), escape(name));
                            self.walk(doc, member, path, base.clone());
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// The base URI in force at a schema position: recorded for every position the walk
    /// visited, else that of the nearest visited ancestor (a `$ref` may point anywhere).
    pub(crate) fn base_at(&self, location: &Location) -> String {
        let mut pointer = location.pointer.as_str();
        loop {
            let probe = Location {
                doc: location.doc,
                pointer: pointer.to_owned(),
            };
            if let Some(base) = self.bases.get(&probe) {
                return base.clone();
            }
            match pointer.rfind('/') {
                Some(cut) => pointer = &pointer[..cut],
                None => return DEFAULT_BASE.to_owned(),
            }
        }
    }

    /// Resolves `reference`, written at a schema whose base is `base`, within `documents`.
    pub(crate) fn resolve(
        &self,
        documents: &[&Value],
        base: &str,
        reference: &str,
    ) -> Result<Target, String> {
        let (resource, fragment) = match reference.strip_prefix('#') {
            Some(fragment) => (strip_fragment(base), fragment),
            None => {
                let (uri, fragment) = reference.rsplit_once('#').unwrap_or((reference, ""));
                (strip_fragment(&resolve(base, uri)?), fragment)
            }
        };
        let root = match self.resources.get(&resource) {
            Some(location) => location.clone(),
            None if resource == META_URI => Location {
                doc: 1,
                pointer: String::new(),
            },
            None => {
                return Err(format!(
                    "no schema in this document has the URI {resource:?}"
                ))
            }
        };
        if fragment.is_empty() {
            return Ok(Target { location: root });
        }
        if fragment.starts_with('/') {
            let decoded = percent_decode(fragment).ok_or_else(|| {
                format!("the fragment {fragment:?} is not valid percent-encoded UTF-8")
            })?;
            let pointer = format!("{}{decoded}", root.pointer);
            let found = documents
                .get(root.doc)
                .and_then(|d| d.pointer(&pointer))
                .is_some();
            if !found {
                return Err(format!(
                    "nothing is at the JSON pointer {decoded:?} of {resource:?}"
                ));
            }
            return Ok(Target {
                location: Location {
                    doc: root.doc,
                    pointer,
                },
            });
        }
        let name = percent_decode(fragment).unwrap_or_else(|| fragment.to_owned());
        match self.anchors.get(&(resource.clone(), name)) {
            Some(location) => Ok(Target {
                location: location.clone(),
            }),
            None => Err(format!("{resource:?} declares no anchor {fragment:?}")),
        }
    }
}

/// The `$id` of a schema object that changes the base: a string that is not a plain-name
/// anchor, on an object without `$ref` (draft 7 ignores every sibling of `$ref`).
fn id_of(value: &Value) -> Option<&str> {
    let object = value.as_object()?;
    if object.contains_key("$ref") {
        return None;
    }
    object
        .get("$id")
        .and_then(Value::as_str)
        .filter(|id| !id.starts_with('#'))
}

/// `reference` resolved against `base` (RFC 3986 section 5.2), normalised.
pub(crate) fn resolve(base: &str, reference: &str) -> Result<String, String> {
    if reference.starts_with('#') && base.ends_with(reference) {
        return Ok(base.to_owned());
    }
    let base = Uri::parse(base).map_err(|e| format!("the base URI {base:?} is invalid: {e}"))?;
    let base = base.strip_fragment();
    let reference = UriRef::parse(reference)
        .map_err(|e| format!("{reference:?} is not a URI reference: {e}"))?;
    let resolved = reference.resolve_against(&base).map_err(|e| {
        format!(
            "{reference:?} does not resolve against {:?}: {e}",
            base.as_str()
        )
    })?;
    Ok(resolved.normalize().as_str().to_owned())
}

/// A URI without its fragment (`#` included).
fn strip_fragment(uri: &str) -> String {
    uri.split_once('#').map_or(uri, |(head, _)| head).to_owned()
}

/// A key as a JSON pointer token.
pub(crate) fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// `%XX` sequences decoded; `None` when they do not make UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_resolve_by_rfc_3986() {
        assert_eq!(
            resolve("http://example.com/a/b.json", "c.json").unwrap(),
            "http://example.com/a/c.json"
        );
        assert_eq!(
            resolve("http://example.com/a/b.json", "/x#y").unwrap(),
            "http://example.com/x#y"
        );
        assert_eq!(
            resolve(
                "urn:uuid:deadbeef-1234-ffff-ffff-4321feebdaed",
                "#/definitions/a"
            )
            .unwrap(),
            "urn:uuid:deadbeef-1234-ffff-ffff-4321feebdaed#/definitions/a"
        );
        assert_eq!(
            resolve(DEFAULT_BASE, "a.json").unwrap(),
            "json-schema:///a.json"
        );
    }

    #[test]
    fn fragments_are_percent_decoded() {
        assert_eq!(percent_decode("/a%25b%22").unwrap(), "/a%b\"");
        assert_eq!(percent_decode("%zz"), None);
        assert_eq!(escape("a/b~c"), "a~1b~0c");
    }
}
