//! The event catalog (`docs/EVENTS.md`'s renderer) on the real-world-style corpus of
//! `tests/corpus-crate/schemas`: what a reader sees of unions (which kind, which variants and
//! how they are told apart), maps, nullable fields, tuples and the recursive tree.

use event_contracts_codegen::{catalog, Config};

#[test]
fn the_catalog_shows_unions_maps_and_nullability() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/corpus-crate/schemas");
    let generated = Config::new(dir)
        .event_enum("ShopEvent")
        .discriminator("type")
        .generate()
        .unwrap_or_else(|e| panic!("{e}"));
    let markdown = catalog::render(&generated.model, &|_| Vec::new());
    for phrase in ["or null", "exactly one of", "any of"] {
        assert!(
            markdown.contains(phrase),
            "the catalog never says {phrase:?}"
        );
    }
    insta::assert_snapshot!("corpus_catalog", markdown);
}
