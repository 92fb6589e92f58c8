//! The walk: `check` records every violation with the pointer, keyword and message that
//! `jsonschema` 0.61.2 reports (its `iter_errors`), `valid` answers yes or no and stops at the
//! first failure. Combinators ask `valid` of their branches: like `jsonschema`, `anyOf`,
//! `oneOf`, `not`, `contains` and `if` report one violation of their own, never their
//! branches' violations.

use std::cmp::Ordering;

use super::compile::{
    Additional, Bound, Content, Dependency, Keyword, KeywordSet, Node, Properties,
};
use super::number::{self, Num};
use super::{equal, CompiledSchema, NodeId};
use crate::keywords::{Collector, Instance, JsonType};

/// A property name, checked as a string instance by `propertyNames` (and by generated
/// types that read a map straight and check its keys against `propertyNames` after).
#[derive(Debug, Clone, Copy, serde::Serialize)]
#[serde(transparent)]
pub struct Name<'a>(pub &'a str);

impl Instance for Name<'_> {
    type Members<'s>
        = std::iter::Empty<(&'s str, &'s Self)>
    where
        Self: 's;
    fn members(&self) -> Option<Self::Members<'_>> {
        None
    }
    fn items(&self) -> Option<&[Self]> {
        None
    }
    fn as_str(&self) -> Option<&str> {
        Some(self.0)
    }
    fn as_number(&self) -> Option<&serde_json::Number> {
        None
    }
    fn is_bool(&self) -> bool {
        false
    }
    fn as_bool(&self) -> Option<bool> {
        None
    }
    fn is_null(&self) -> bool {
        false
    }
}

fn plural(n: u64, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 {
        one
    } else {
        many
    }
}

fn admits(types: super::compile::TypeSet, instance: &impl Instance) -> bool {
    if let Some(n) = instance.as_number() {
        return types.has(JsonType::Number)
            || (types.has(JsonType::Integer) && number::is_integer(n));
    }
    if instance.as_str().is_some() {
        return types.has(JsonType::String);
    }
    if instance.members().is_some() {
        return types.has(JsonType::Object);
    }
    if instance.items().is_some() {
        return types.has(JsonType::Array);
    }
    if instance.is_bool() {
        return types.has(JsonType::Boolean);
    }
    types.has(JsonType::Null)
}

/// Whether an object has every name: by one pass over its members when it is small (a hash
/// lookup per name costs more), by lookups otherwise. Members mostly come in the order the
/// names are listed, so each is first compared with the name after the last one found.
fn has_all<J: Instance>(instance: &J, names: &[String]) -> bool {
    const SCANNED: usize = 16;
    match instance.members() {
        None => true,
        Some(members) if names.len() <= 64 => {
            let mut found = 0u64;
            let mut count = 0;
            let mut next = 0;
            for (key, _) in members {
                count += 1;
                if count > SCANNED {
                    return names.iter().all(|n| instance.get(n).is_some());
                }
                let index = if names.get(next).is_some_and(|n| n == key) {
                    Some(next)
                } else {
                    names.iter().position(|n| n == key)
                };
                if let Some(i) = index {
                    found |= 1 << i;
                    next = i + 1;
                }
            }
            found.count_ones() as usize == names.len()
        }
        Some(_) => names.iter().all(|n| instance.get(n).is_some()),
    }
}

fn bound_holds(bound: Bound, value: &serde_json::Number, limit: Num) -> bool {
    let Some(order) = number::compare(Num::of(value), limit) else {
        return true;
    };
    match bound {
        Bound::Minimum => order != Ordering::Less,
        Bound::Maximum => order != Ordering::Greater,
        Bound::ExclusiveMinimum => order == Ordering::Greater,
        Bound::ExclusiveMaximum => order == Ordering::Less,
    }
}

fn length(text: &str) -> u64 {
    text.chars().count() as u64
}

impl CompiledSchema {
    /// Every violation of `id` by `instance`.
    pub(super) fn check<J: Instance>(&self, id: NodeId, instance: &J, c: &mut Collector) {
        match self.node(id) {
            Node::True => {}
            Node::False => false_schema(instance, c),
            Node::Ref(target) => self.check(*target, instance, c),
            Node::Keywords(keywords) => {
                for keyword in keywords.iter() {
                    self.check_keyword(keyword, instance, c);
                }
            }
        }
    }

    /// Whether `instance` satisfies `id`.
    pub(super) fn valid<J: Instance>(&self, id: NodeId, instance: &J) -> bool {
        match self.node(id) {
            Node::True => true,
            Node::False => false,
            Node::Ref(target) => self.valid(*target, instance),
            Node::Keywords(keywords) => keywords.iter().all(|k| self.keyword_holds(k, instance)),
        }
    }

    /// Every violation of the keywords of `id` named in `only` (below them, of every
    /// keyword), with `$ref`s followed to the schema that holds them.
    pub(super) fn check_only<J: Instance>(
        &self,
        id: NodeId,
        instance: &J,
        only: KeywordSet,
        c: &mut Collector,
    ) {
        match self.node(id) {
            Node::True => {}
            Node::False => false_schema(instance, c),
            Node::Ref(target) => self.check_only(*target, instance, only, c),
            Node::Keywords(keywords) => {
                for keyword in keywords.iter().filter(|k| k.names().meets(only)) {
                    self.check_keyword(keyword, instance, c);
                }
            }
        }
    }

    /// Whether `instance` satisfies the keywords of `id` named in `only`.
    pub(super) fn valid_only<J: Instance>(
        &self,
        id: NodeId,
        instance: &J,
        only: KeywordSet,
    ) -> bool {
        match self.node(id) {
            Node::True => true,
            Node::False => false,
            Node::Ref(target) => self.valid_only(*target, instance, only),
            Node::Keywords(keywords) => keywords
                .iter()
                .filter(|k| k.names().meets(only))
                .all(|k| self.keyword_holds(k, instance)),
        }
    }

    fn keyword_holds<J: Instance>(&self, keyword: &Keyword, instance: &J) -> bool {
        match keyword {
            Keyword::Type(types) => admits(*types, instance),
            Keyword::Enum { options, .. } => options.iter().any(|o| equal::equal(instance, o)),
            Keyword::Const { value, .. } => equal::equal(instance, value),
            Keyword::MultipleOf(m, parts) => instance
                .as_number()
                .is_none_or(|n| number::is_multiple_of_read(n, *m, *parts)),
            Keyword::Bound { bound, limit, .. } => instance
                .as_number()
                .is_none_or(|n| bound_holds(*bound, n, *limit)),
            Keyword::MaxLength(max) => instance.as_str().is_none_or(|s| {
                // A string has at least as many bytes as characters.
                s.len() as u64 <= *max || length(s) <= *max
            }),
            Keyword::MinLength(min) => instance.as_str().is_none_or(|s| length(s) >= *min),
            Keyword::Pattern { regex, simple, .. } => {
                instance.as_str().is_none_or(|s| match simple {
                    Some(simple) => simple.is_match(s),
                    None => regex.find(s).is_some(),
                })
            }
            Keyword::Format { check, .. } => instance.as_str().is_none_or(check),
            Keyword::Items(node) => instance
                .items()
                .is_none_or(|items| items.iter().all(|i| self.valid(*node, i))),
            Keyword::ItemsFalse => instance.items().is_none_or(<[J]>::is_empty),
            Keyword::Tuple(nodes) => instance
                .items()
                .is_none_or(|items| items.iter().zip(nodes).all(|(i, n)| self.valid(*n, i))),
            Keyword::AdditionalItems { after, node } => instance
                .items()
                .is_none_or(|items| items.iter().skip(*after).all(|i| self.valid(*node, i))),
            Keyword::AdditionalItemsFalse { after } => {
                instance.items().is_none_or(|items| items.len() <= *after)
            }
            Keyword::MaxItems(max) => instance.items().is_none_or(|i| i.len() as u64 <= *max),
            Keyword::MinItems(min) => instance.items().is_none_or(|i| i.len() as u64 >= *min),
            Keyword::UniqueItems => instance.items().is_none_or(equal::all_unique),
            Keyword::Contains(node) => instance
                .items()
                .is_none_or(|items| items.iter().any(|i| self.valid(*node, i))),
            Keyword::MaxProperties(max) => {
                instance.members().is_none_or(|m| m.count() as u64 <= *max)
            }
            Keyword::MinProperties(min) => {
                instance.members().is_none_or(|m| m.count() as u64 >= *min)
            }
            Keyword::Required(names) => has_all(instance, names),
            Keyword::RequiredUndeclared(_) => instance.members().is_none(),
            Keyword::Properties(properties) => self.properties_hold(properties, instance),
            Keyword::Dependencies(dependencies) => {
                instance.members().is_none()
                    || dependencies.iter().all(|(name, dependency)| {
                        instance.get(name).is_none()
                            || match dependency {
                                Dependency::Required(names) => has_all(instance, names),
                                Dependency::Schema(node) => self.valid(*node, instance),
                            }
                    })
            }
            Keyword::PropertyNames(node) => instance
                .members()
                .is_none_or(|mut m| m.all(|(k, _)| self.valid(*node, &Name(k)))),
            Keyword::PropertyNamesFalse => {
                instance.members().is_none_or(|mut m| m.next().is_none())
            }
            Keyword::Conditional {
                condition,
                then,
                otherwise,
            } => {
                let branch = if self.valid(*condition, instance) {
                    then
                } else {
                    otherwise
                };
                branch.is_none_or(|n| self.valid(n, instance))
            }
            Keyword::AllOf(nodes) => nodes.iter().all(|n| self.valid(*n, instance)),
            Keyword::AnyOf(nodes) => nodes.iter().any(|n| self.valid(*n, instance)),
            Keyword::OneOf(nodes) => self.count_valid(nodes, instance) == 1,
            Keyword::Not { node, .. } => !self.valid(*node, instance),
            Keyword::Content(content) => instance
                .as_str()
                .is_none_or(|text| content_verdict(content, text).is_ok()),
        }
    }

    /// How many of `nodes` `instance` satisfies, counting no further than 2.
    fn count_valid<J: Instance>(&self, nodes: &[NodeId], instance: &J) -> usize {
        let mut count = 0;
        for node in nodes {
            if self.valid(*node, instance) {
                count += 1;
                if count > 1 {
                    break;
                }
            }
        }
        count
    }

    fn properties_hold<J: Instance>(&self, properties: &Properties, instance: &J) -> bool {
        let Some(mut members) = instance.members() else {
            return true;
        };
        if let Additional::ForbiddenAlone = properties.additional {
            return members.next().is_none();
        }
        let mut next = 0;
        members.all(|(key, value)| {
            let mut matched = false;
            if let Some(node) = properties.named(key, &mut next) {
                matched = true;
                if !self.valid(node, value) {
                    return false;
                }
            }
            for (pattern, node) in &properties.patterns {
                if pattern.is_match(key) {
                    matched = true;
                    if !self.valid(*node, value) {
                        return false;
                    }
                }
            }
            matched
                || match properties.additional {
                    Additional::Allowed => true,
                    Additional::Forbidden | Additional::ForbiddenAlone => false,
                    Additional::Schema(node) => self.valid(node, value),
                }
        })
    }

    /// The violations of a member's value, at its key. Most members of an invalid event
    /// are valid: asking `valid` first (which builds nothing) spares them the pointer and
    /// the walk that collects, at the cost of a second walk over the few that fail.
    fn check_member<J: Instance>(&self, node: NodeId, key: &str, value: &J, c: &mut Collector) {
        if !self.valid(node, value) {
            c.at_key(key, |c| self.check(node, value, c));
        }
    }

    /// The violations of an array item, at its index, asking `valid` first as
    /// [`CompiledSchema::check_member`] does.
    fn check_item<J: Instance>(&self, node: NodeId, index: usize, item: &J, c: &mut Collector) {
        if !self.valid(node, item) {
            c.at_index(index, |c| self.check(node, item, c));
        }
    }

    fn check_keyword<J: Instance>(&self, keyword: &Keyword, instance: &J, c: &mut Collector) {
        match keyword {
            Keyword::Items(node) => {
                if let Some(items) = instance.items() {
                    for (i, item) in items.iter().enumerate() {
                        self.check_item(*node, i, item, c);
                    }
                }
            }
            Keyword::ItemsFalse => {
                if let Some(items) = instance.items() {
                    for (i, item) in items.iter().enumerate() {
                        c.at_index(i, |c| false_schema(item, c));
                    }
                }
            }
            Keyword::Tuple(nodes) => {
                if let Some(items) = instance.items() {
                    for (i, (item, node)) in items.iter().zip(nodes).enumerate() {
                        self.check_item(*node, i, item, c);
                    }
                }
            }
            Keyword::AdditionalItems { after, node } => {
                if let Some(items) = instance.items() {
                    for (i, item) in items.iter().enumerate().skip(*after) {
                        self.check_item(*node, i, item, c);
                    }
                }
            }
            Keyword::Properties(properties) => self.check_properties(properties, instance, c),
            Keyword::Dependencies(dependencies) => {
                if instance.members().is_none() {
                    return;
                }
                for (name, dependency) in dependencies {
                    if instance.get(name).is_none() {
                        continue;
                    }
                    match dependency {
                        Dependency::Required(names) => missing(names, instance, c),
                        Dependency::Schema(node) => self.check(*node, instance, c),
                    }
                }
            }
            Keyword::PropertyNames(node) => {
                let Some(members) = instance.members() else {
                    return;
                };
                for (key, _) in members {
                    let name = Name(key);
                    if self.valid(*node, &name) {
                        continue;
                    }
                    // `jsonschema` wraps each violation of a name, worded in full.
                    let mut inner = Collector::unmasked();
                    self.check(*node, &name, &mut inner);
                    for violation in inner.into_violations() {
                        c.push_message("propertyNames", violation.message);
                    }
                }
            }
            Keyword::Conditional {
                condition,
                then,
                otherwise,
            } => {
                let branch = if self.valid(*condition, instance) {
                    then
                } else {
                    otherwise
                };
                if let Some(node) = branch {
                    self.check(*node, instance, c);
                }
            }
            Keyword::AllOf(nodes) => {
                for node in nodes {
                    self.check(*node, instance, c);
                }
            }
            _ if self.keyword_holds(keyword, instance) => {}
            _ => self.report(keyword, instance, c),
        }
    }

    /// The one violation of a keyword that does not hold.
    fn report<J: Instance>(&self, keyword: &Keyword, instance: &J, c: &mut Collector) {
        match keyword {
            Keyword::Type(types) => {
                let names: Vec<&str> = types.types().map(JsonType::name).collect();
                if let [one] = names.as_slice() {
                    c.push("type", instance, |v| {
                        format!("{v} is not of type \"{one}\"")
                    });
                } else {
                    let listed = names
                        .iter()
                        .map(|n| format!("\"{n}\""))
                        .collect::<Vec<_>>()
                        .join(", ");
                    c.push("type", instance, |v| {
                        format!("{v} is not of types {listed}")
                    });
                }
            }
            Keyword::Enum { listed, .. } => {
                c.push("enum", instance, |v| format!("{v} is not one of {listed}"))
            }
            Keyword::Const { shown, .. } => {
                c.push_message("const", format!("{shown} was expected"))
            }
            Keyword::MultipleOf(m, _) => c.push("multipleOf", instance, |v| {
                format!("{v} is not a multiple of {m}")
            }),
            Keyword::Bound { bound, shown, .. } => {
                let (name, says) = match bound {
                    Bound::Minimum => ("minimum", "is less than the minimum of"),
                    Bound::Maximum => ("maximum", "is greater than the maximum of"),
                    Bound::ExclusiveMinimum => (
                        "exclusiveMinimum",
                        "is less than or equal to the minimum of",
                    ),
                    Bound::ExclusiveMaximum => (
                        "exclusiveMaximum",
                        "is greater than or equal to the maximum of",
                    ),
                };
                c.push(name, instance, |v| format!("{v} {says} {shown}"));
            }
            Keyword::MaxLength(max) => c.push("maxLength", instance, |v| {
                format!(
                    "{v} is longer than {max} character{}",
                    plural(*max, "", "s")
                )
            }),
            Keyword::MinLength(min) => c.push("minLength", instance, |v| {
                format!(
                    "{v} is shorter than {min} character{}",
                    plural(*min, "", "s")
                )
            }),
            Keyword::Pattern { source, .. } => c.push("pattern", instance, |v| {
                format!("{v} does not match \"{source}\"")
            }),
            Keyword::Format { name, .. } => {
                c.push("format", instance, |v| format!("{v} is not a \"{name}\""))
            }
            Keyword::AdditionalItemsFalse { after } => {
                let items = instance.items().unwrap_or_default();
                let extra = items.len().saturating_sub(*after);
                let message = if c.quotes(instance) {
                    let listed: Vec<String> = items[*after..]
                        .iter()
                        .map(|i| serde_json::to_string(i).unwrap_or_default())
                        .collect();
                    format!(
                        "Additional items are not allowed ({} {} unexpected)",
                        listed.join(", "),
                        plural(extra as u64, "was", "were")
                    )
                } else {
                    format!(
                        "Additional items are not allowed ({extra} item{})",
                        plural(extra as u64, "", "s")
                    )
                };
                c.push_message("additionalItems", message);
            }
            Keyword::MaxItems(max) => c.push("maxItems", instance, |v| {
                format!("{v} has more than {max} item{}", plural(*max, "", "s"))
            }),
            Keyword::MinItems(min) => c.push("minItems", instance, |v| {
                format!("{v} has less than {min} item{}", plural(*min, "", "s"))
            }),
            Keyword::UniqueItems => c.push("uniqueItems", instance, |v| {
                format!("{v} has non-unique elements")
            }),
            Keyword::Contains(_) => c.push("contains", instance, |v| {
                format!("None of {v} are valid under the given schema")
            }),
            Keyword::MaxProperties(max) => c.push("maxProperties", instance, |v| {
                format!(
                    "{v} has more than {max} propert{}",
                    plural(*max, "y", "ies")
                )
            }),
            Keyword::MinProperties(min) => c.push("minProperties", instance, |v| {
                format!(
                    "{v} has less than {min} propert{}",
                    plural(*min, "y", "ies")
                )
            }),
            Keyword::Required(names) => missing(names, instance, c),
            Keyword::RequiredUndeclared(name) => {
                let quoted = serde_json::Value::String(name.clone()).to_string();
                c.push_message("required", format!("{quoted} is a required property"));
            }
            Keyword::PropertyNamesFalse => false_schema(instance, c),
            Keyword::AnyOf(_) => c.push("anyOf", instance, |v| {
                format!("{v} is not valid under any of the schemas listed in the 'anyOf' keyword")
            }),
            Keyword::OneOf(nodes) => {
                if self.count_valid(nodes, instance) == 0 {
                    c.push("oneOf", instance, |v| {
                        format!(
                            "{v} is not valid under any of the schemas listed in the 'oneOf' keyword"
                        )
                    });
                } else {
                    c.push("oneOf", instance, |v| {
                        format!(
                            "{v} is valid under more than one of the schemas listed in the 'oneOf' keyword"
                        )
                    });
                }
            }
            Keyword::Not { shown, .. } => c.push("not", instance, |v| {
                format!("{shown} is not allowed for {v}")
            }),
            Keyword::Content(content) => {
                match instance.as_str().map(|t| content_verdict(content, t)) {
                    Some(Err(ContentFailure::Media(name))) => {
                        c.push("contentMediaType", instance, |v| {
                            format!("{v} is not compliant with \"{name}\" media type")
                        })
                    }
                    Some(Err(ContentFailure::Encoding(name))) => {
                        c.push("contentEncoding", instance, |v| {
                            format!("{v} is not compliant with \"{name}\" content encoding")
                        })
                    }
                    Some(Err(ContentFailure::NotText(message))) => {
                        c.push_message("contentEncoding", message)
                    }
                    _ => {}
                }
            }
            // Reported where they walk (`check_keyword`).
            Keyword::Items(_)
            | Keyword::ItemsFalse
            | Keyword::Tuple(_)
            | Keyword::AdditionalItems { .. }
            | Keyword::Properties(_)
            | Keyword::Dependencies(_)
            | Keyword::PropertyNames(_)
            | Keyword::Conditional { .. }
            | Keyword::AllOf(_) => {}
        }
    }

    fn check_properties<J: Instance>(
        &self,
        properties: &Properties,
        instance: &J,
        c: &mut Collector,
    ) {
        let Some(members) = instance.members() else {
            return;
        };
        if let Additional::ForbiddenAlone = properties.additional {
            // `jsonschema` reports `additionalProperties: false` without `properties` as
            // the false schema rejecting the first member's value, at the object.
            if let Some((_, first)) = members.clone().next() {
                false_schema(first, c);
            }
            return;
        }
        let mut unexpected: Vec<&str> = Vec::new();
        let mut next = 0;
        for (key, value) in members {
            let mut matched = false;
            if let Some(node) = properties.named(key, &mut next) {
                matched = true;
                self.check_member(node, key, value, c);
            }
            for (pattern, node) in &properties.patterns {
                if pattern.is_match(key) {
                    matched = true;
                    self.check_member(*node, key, value, c);
                }
            }
            if !matched {
                match properties.additional {
                    Additional::Allowed => {}
                    Additional::Forbidden | Additional::ForbiddenAlone => unexpected.push(key),
                    Additional::Schema(node) => self.check_member(node, key, value, c),
                }
            }
        }
        if !unexpected.is_empty() {
            let listed: Vec<String> = unexpected.iter().map(|k| format!("'{k}'")).collect();
            c.push_message(
                "additionalProperties",
                format!(
                    "Additional properties are not allowed ({} {} unexpected)",
                    listed.join(", "),
                    plural(unexpected.len() as u64, "was", "were")
                ),
            );
        }
    }
}

/// `false`: "False schema does not allow ...".
fn false_schema(instance: &impl Instance, c: &mut Collector) {
    c.push("falseSchema", instance, |v| {
        format!("False schema does not allow {v}")
    });
}

/// One `required` violation per name the object lacks.
fn missing<J: Instance>(names: &[String], instance: &J, c: &mut Collector) {
    if instance.members().is_none() {
        return;
    }
    for name in names {
        if instance.get(name).is_none() {
            let quoted = serde_json::Value::String(name.clone()).to_string();
            c.push_message("required", format!("{quoted} is a required property"));
        }
    }
}

/// Why a string fails `contentMediaType`/`contentEncoding`.
enum ContentFailure<'s> {
    /// Not of the named media type.
    Media(&'s str),
    /// Not in the named encoding.
    Encoding(&'s str),
    /// Decoded to bytes that are not UTF-8: `jsonschema` reports the UTF-8 error itself.
    NotText(String),
}

fn content_verdict<'c>(content: &'c Content, text: &str) -> Result<(), ContentFailure<'c>> {
    match content {
        Content::Media(media, name) => {
            if media.admits(text) {
                Ok(())
            } else {
                Err(ContentFailure::Media(name))
            }
        }
        Content::Encoding(encoding, name) => match encoding.decode(text) {
            Some(_) => Ok(()),
            None => Err(ContentFailure::Encoding(name)),
        },
        Content::Both {
            media,
            media_name,
            encoding,
            encoding_name,
        } => match encoding.decode(text).map(String::from_utf8) {
            None => Err(ContentFailure::Encoding(encoding_name)),
            Some(Err(error)) => Err(ContentFailure::NotText(error.to_string())),
            Some(Ok(decoded)) if media.admits(&decoded) => Ok(()),
            Some(Ok(_)) => Err(ContentFailure::Media(media_name)),
        },
    }
}
