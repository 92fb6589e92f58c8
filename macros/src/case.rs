//! serde's `rename_all` rules, so that a view's fields are checked under the JSON names
//! serde will actually read.

/// One of serde's `rename_all` rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RenameRule {
    /// `lowercase`.
    Lower,
    /// `UPPERCASE`.
    Upper,
    /// `PascalCase`.
    Pascal,
    /// `camelCase`.
    Camel,
    /// `snake_case`.
    Snake,
    /// `SCREAMING_SNAKE_CASE`.
    ScreamingSnake,
    /// `kebab-case`.
    Kebab,
    /// `SCREAMING-KEBAB-CASE`.
    ScreamingKebab,
}

impl RenameRule {
    /// The rule serde calls `name`; `None` for a name serde itself rejects.
    pub(crate) fn parse(name: &str) -> Option<RenameRule> {
        Some(match name {
            "lowercase" => RenameRule::Lower,
            "UPPERCASE" => RenameRule::Upper,
            "PascalCase" => RenameRule::Pascal,
            "camelCase" => RenameRule::Camel,
            "snake_case" => RenameRule::Snake,
            "SCREAMING_SNAKE_CASE" => RenameRule::ScreamingSnake,
            "kebab-case" => RenameRule::Kebab,
            "SCREAMING-KEBAB-CASE" => RenameRule::ScreamingKebab,
            _ => return None,
        })
    }

    /// The JSON name of a struct field written in snake_case, as serde derives it.
    pub(crate) fn apply_to_field(self, field: &str) -> String {
        match self {
            RenameRule::Lower | RenameRule::Snake => field.to_owned(),
            RenameRule::Upper | RenameRule::ScreamingSnake => field.to_ascii_uppercase(),
            RenameRule::Pascal => capitalize_words(field, true),
            RenameRule::Camel => capitalize_words(field, false),
            RenameRule::Kebab => field.replace('_', "-"),
            RenameRule::ScreamingKebab => field.to_ascii_uppercase().replace('_', "-"),
        }
    }

    /// The JSON name of an enum variant written in PascalCase, as serde derives it.
    pub(crate) fn apply_to_variant(self, variant: &str) -> String {
        match self {
            RenameRule::Pascal => variant.to_owned(),
            RenameRule::Lower => variant.to_ascii_lowercase(),
            RenameRule::Upper => variant.to_ascii_uppercase(),
            RenameRule::Camel => {
                let mut chars = variant.chars();
                match chars.next() {
                    Some(first) => first.to_ascii_lowercase().to_string() + chars.as_str(),
                    None => String::new(),
                }
            }
            RenameRule::Snake => split_pascal(variant, '_'),
            RenameRule::ScreamingSnake => split_pascal(variant, '_').to_ascii_uppercase(),
            RenameRule::Kebab => split_pascal(variant, '-'),
            RenameRule::ScreamingKebab => split_pascal(variant, '-').to_ascii_uppercase(),
        }
    }
}

/// `product_id` → `ProductId` (or `productId` when `first_upper` is false): each `_` is
/// dropped and the letter after it capitalised.
fn capitalize_words(field: &str, first_upper: bool) -> String {
    let mut out = String::with_capacity(field.len());
    let mut upper_next = first_upper;
    for c in field.chars() {
        if c == '_' {
            upper_next = true;
        } else if upper_next {
            out.push(c.to_ascii_uppercase());
            upper_next = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// `InStock` → `in_stock`: a separator before every upper-case letter but the first.
fn split_pascal(variant: &str, separator: char) -> String {
    let mut out = String::with_capacity(variant.len() + 4);
    for (i, c) in variant.char_indices() {
        if c.is_uppercase() && i > 0 {
            out.push(separator);
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_follow_serde() {
        let f = "product_id";
        assert_eq!(RenameRule::Camel.apply_to_field(f), "productId");
        assert_eq!(RenameRule::Pascal.apply_to_field(f), "ProductId");
        assert_eq!(RenameRule::Lower.apply_to_field(f), "product_id");
        assert_eq!(RenameRule::Upper.apply_to_field(f), "PRODUCT_ID");
        assert_eq!(RenameRule::ScreamingSnake.apply_to_field(f), "PRODUCT_ID");
        assert_eq!(RenameRule::Kebab.apply_to_field(f), "product-id");
        assert_eq!(RenameRule::ScreamingKebab.apply_to_field(f), "PRODUCT-ID");
        assert_eq!(RenameRule::Camel.apply_to_field("name"), "name");
    }

    #[test]
    fn variants_follow_serde() {
        let v = "InStock";
        assert_eq!(RenameRule::Lower.apply_to_variant(v), "instock");
        assert_eq!(RenameRule::Upper.apply_to_variant(v), "INSTOCK");
        assert_eq!(RenameRule::Camel.apply_to_variant(v), "inStock");
        assert_eq!(RenameRule::Snake.apply_to_variant(v), "in_stock");
        assert_eq!(RenameRule::ScreamingSnake.apply_to_variant(v), "IN_STOCK");
        assert_eq!(RenameRule::Kebab.apply_to_variant(v), "in-stock");
        assert_eq!(RenameRule::ScreamingKebab.apply_to_variant(v), "IN-STOCK");
        assert_eq!(RenameRule::Pascal.apply_to_variant(v), "InStock");
        assert_eq!(RenameRule::parse("camelCase"), Some(RenameRule::Camel));
        assert_eq!(RenameRule::parse("camelcase"), None);
    }
}
