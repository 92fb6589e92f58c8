//! "Did you mean" for misspelled event names, properties and pointers.

/// The candidate closest to `wanted`, when one is close enough to be a likely typo.
///
/// Case, `-` and `_` are ignored first, so `product-created` finds `ProductCreated`.
pub(crate) fn closest<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let wanted = normalize(wanted);
    // Short names tolerate one edit; longer ones about one in three characters.
    let limit = (wanted.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (edit_distance(&wanted, &normalize(c)), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn normalize(name: &str) -> String {
    name.chars()
        .filter(|c| *c != '-' && *c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = Vec::with_capacity(b.len() + 1);
        current.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != *cb);
            let insert = current[j] + 1;
            let delete = previous[j + 1] + 1;
            current.push(substitute.min(insert).min(delete));
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_typos_only() {
        let events = ["LowStockWarning", "ProductCreated", "ProductDeleted"];
        assert_eq!(closest("ProductCreatd", events), Some("ProductCreated"));
        assert_eq!(closest("product-created", events), Some("ProductCreated"));
        assert_eq!(closest("OrderShipped", events), None);
        assert_eq!(closest("prise", ["price", "name"]), Some("price"));
        assert_eq!(closest("sku", ["price", "name"]), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
