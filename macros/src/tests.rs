//! The macro's checks run as plain functions (proc-macro2 works outside a compiler), so
//! that what a crate compiles can be tested without compiling it.

use std::path::Path;

use syn::DeriveInput;

use crate::check::Caller;
use crate::ctxt::Ctxt;

/// A caller in this crate's folder, which finds the repository's `schemas/` above it.
fn caller() -> Caller {
    Caller {
        manifest_dir: Some(Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()),
        ..Caller::default()
    }
}

#[test]
fn a_view_is_checked_against_every_version_of_its_range() {
    let ok: DeriveInput = syn::parse_quote! {
        #[serde(rename_all = "camelCase")]
        #[contract(event = "ProductCreated", versions = "^1", at = "/data")]
        struct Product {
            product_id: uuid::Uuid,
            name: String,
            price: f64,
            quantity: u64,
            category: String,
            created_at: Option<chrono::DateTime<chrono::Utc>>,
        }
    };
    // A view that holds: the expansion only tracks the schema files it read.
    let expansion = crate::expand::derive(&ok, &caller()).to_string();
    assert!(!expansion.contains("compile_error"), "{expansion}");
    assert!(
        expansion.contains("schemas/product-created/1.0.0.json"),
        "{expansion}"
    );

    let wrong: DeriveInput = syn::parse_quote! {
        #[serde(rename_all = "camelCase")]
        #[contract(event = "ProductCreated", versions = "^1", at = "/data")]
        struct Product {
            quantity: i64,
            sku: String,
        }
    };
    let mut cx = Ctxt::new();
    let input = crate::ast::from_ast(&mut cx, &wrong);
    crate::check::run(&mut cx, &input, &caller());
    let errors: Vec<String> = cx.into_errors().iter().map(ToString::to_string).collect();
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert_eq!(
        errors[1].lines().next(),
        Some("field `sku` reads the property \"sku\", which ProductCreated does not declare at /data in any version `^1` matches (1.0.0, 1.1.0)")
    );
    assert_eq!(
        errors[0].lines().next(),
        Some("field `quantity: i64` cannot hold every value ProductCreated 1.0.0 and 1.1.0 allow for \"quantity\" at /data: any integer from 0 to 18446744073709551615 (`i64` holds -9223372036854775808 to 9223372036854775807)")
    );
}

/// A scratch tree of folders for the search of `schemas/`, removed when dropped.
struct ScratchDirs(std::path::PathBuf);

impl ScratchDirs {
    fn new(name: &str, dirs: &[&str]) -> ScratchDirs {
        let root = std::env::temp_dir().join(format!("{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        for dir in dirs {
            std::fs::create_dir_all(root.join(dir)).expect("the scratch folder can be created");
        }
        ScratchDirs(std::fs::canonicalize(&root).expect("the scratch folder exists"))
    }
    fn path(&self, rel: &str) -> std::path::PathBuf {
        self.0.join(rel)
    }
}

impl Drop for ScratchDirs {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn the_nearest_schema_folder_is_the_one_of_the_crate_whose_file_holds_the_derive() {
    // A repository with its own schemas/, a crate inside it with another, and the target
    // directory inside the repository (as `target/` is).
    let tree = ScratchDirs::new(
        "event-contracts-derive-nearest",
        &[
            "repo/schemas",
            "repo/shop/schemas",
            "repo/shop/src",
            "repo/shop/tests/ui",
            "repo/service/src",
            "repo/target/tests/trybuild/shop",
            "repo/target/debug/build/service-1/out/schemas",
        ],
    );
    let found = |manifest: &str, source: &str, out_dir: Option<&str>| {
        crate::check::nearest_schemas(&Caller {
            manifest_dir: Some(tree.path(manifest)),
            source_file: Some(tree.path(source)),
            out_dir: out_dir.map(|d| tree.path(d)),
        })
        .map(|dir| dir.strip_prefix(&tree.0).map(Path::to_path_buf))
    };
    // The crate's own code: its folder, beside its Cargo.toml.
    assert_eq!(
        found("repo/shop", "repo/shop/src/lib.rs", None),
        Ok(Ok("repo/shop/schemas".into()))
    );
    // A trybuild case of that crate: compiled as a crate under target/, whose ancestors
    // reach the repository's folder first; the test file's own crate wins.
    assert_eq!(
        found(
            "repo/target/tests/trybuild/shop",
            "repo/shop/tests/ui/view.rs",
            None
        ),
        Ok(Ok("repo/shop/schemas".into()))
    );
    // A crate without a folder of its own reads the repository's.
    assert_eq!(
        found("repo/service", "repo/service/src/lib.rs", None),
        Ok(Ok("repo/schemas".into()))
    );
    // Code generated into OUT_DIR belongs to the crate being built, not to the folder of
    // bundled schemas that `write_to_out_dir` leaves beside it.
    let out_dir = "repo/target/debug/build/service-1/out";
    assert_eq!(
        found(
            "repo/service",
            &format!("{out_dir}/event_contracts.rs"),
            Some(out_dir)
        ),
        Ok(Ok("repo/schemas".into()))
    );
}

/// The `compile_error!` messages of an `Object` derive's expansion, in order.
fn object_errors(input: DeriveInput) -> Vec<String> {
    compile_errors(&crate::shape::object::derive(&input).to_string())
}

/// The `compile_error!` messages of an expansion, in order.
fn compile_errors(expansion: &str) -> Vec<String> {
    expansion
        .split("compile_error !")
        .skip(1)
        .filter_map(|rest| {
            let start = rest.find('"')? + 1;
            let end = start + rest[start..].find("\" }")?;
            Some(rest[start..end].replace("\\\"", "\"").replace("\\\\", "\\"))
        })
        .collect()
}

#[test]
fn the_keywords_a_read_checks_are_named_with_their_check() {
    let errors = object_errors(syn::parse_quote! {
        #[object(name = "A", schema = "S")]
        struct A {
            #[field(json = "a", only = "uniqueItems")]
            a: Option<Vec<String>>,
            #[field(json = "b", check = "/properties/b", min_items = 1u64, only = "uniqueItems")]
            b: Option<Vec<String>>,
            #[field(json = "c", check = "/properties/c", only = "uniqueItem")]
            c: Option<Vec<String>>,
            #[field(json = "d", check = "/properties/d", only = " ")]
            d: Option<Vec<String>>,
            #[field(json = "e", min_items = 1u64)]
            e: Option<Vec<String>>,
            #[field(json = "f", property_names = "/properties/f/propertyNames")]
            f: Option<rt::IndexMap<String>>,
            extra: Extra,
        }
    });
    assert_eq!(
        errors,
        vec![
            "`only` goes with `check`: it names the keywords of the subschema that reading checks"
                .to_owned(),
            "`only` does not go with `min_items`/`max_items` or `min_properties`/`max_properties`/`property_names`, which say what reading checks".to_owned(),
            "`uniqueItem` is not a draft-07 keyword that asserts something".to_owned(),
            "`only` names at least one keyword; without it the whole subschema is checked"
                .to_owned(),
            "`min_items`/`max_items`/`unique_items` go with `check`: the subschema `build` checks".to_owned(),
            "`min_properties`/`max_properties`/`property_names` go with `check`: the subschema `build` checks".to_owned(),
        ]
    );
    let errors = object_errors(syn::parse_quote! {
        #[object(name = "A", schema = "S", only = "not")]
        struct A {
            extra: Extra,
        }
    });
    assert_eq!(
        errors,
        vec!["`only` goes with `checked`: it names the keywords the check reads".to_owned()]
    );
}

/// `bare` says a union's branches decide its check: only for `one_of`/`any_of` that are
/// not `exact`, and every variant says where its branch is.
#[test]
fn a_bare_union_is_a_combinator_whose_variants_name_their_branches() {
    let errors =
        |input: DeriveInput| compile_errors(&crate::shape::union::derive(&input).to_string());
    assert_eq!(
        errors(syn::parse_quote! {
            #[union(schema = "S", at = "/u", types, bare)]
            enum U {
                #[variant(json_type = "string")]
                A(String),
            }
        }),
        vec!["`bare` is for a `one_of` or `any_of` that is not `exact`: its branches decide the union's check".to_owned()]
    );
    assert_eq!(
        errors(syn::parse_quote! {
            #[union(schema = "S", at = "/u", one_of, tag = "kind", bare)]
            enum U {
                #[variant(at = "/u/oneOf/0", tag = "\"a\"")]
                A(String),
                #[variant(tag = "\"b\"")]
                B(String),
            }
        }),
        vec!["in a `bare` union every variant says where its branch is: `at`".to_owned()]
    );
    let expansion = crate::shape::union::derive(&syn::parse_quote! {
        #[union(schema = "S", at = "/u", any_of, bare)]
        enum U {
            #[variant(at = "/u/anyOf/0")]
            A(String),
            #[variant(at = "/u/anyOf/1")]
            B(i64),
        }
    })
    .to_string();
    assert!(compile_errors(&expansion).is_empty(), "{expansion}");
    // The branches are tried once, and the union's own check is only the error's wording.
    assert_eq!(expansion.matches("is_valid_at").count(), 1, "{expansion}");
    assert_eq!(expansion.matches("check_at").count(), 1, "{expansion}");
}

/// An untagged `exact` union is picked by JSON type, so each variant names its branch's;
/// `requires` belongs to a variant of an untagged `bare` union only, as a JSON array.
#[test]
fn untagged_exact_unions_name_json_types_and_only_bare_variants_require_members() {
    let errors =
        |input: DeriveInput| compile_errors(&crate::shape::union::derive(&input).to_string());
    assert_eq!(
        errors(syn::parse_quote! {
            #[union(schema = "S", at = "/u", one_of, exact)]
            enum U {
                #[variant(at = "/u/oneOf/0", json_type = "string")]
                A(String),
                #[variant(at = "/u/oneOf/1")]
                B(i64),
            }
        }),
        vec!["in an untagged `exact` union every variant says its branch's one JSON type: `json_type` (the JSON type picks the one branch that can accept a value)".to_owned()]
    );
    let misplaced = "`requires` is for a variant of an untagged `bare` union: the members without which its branch refuses a value";
    assert_eq!(
        errors(syn::parse_quote! {
            #[union(schema = "S", at = "/u", one_of, tag = "kind", bare)]
            enum U {
                #[variant(at = "/u/oneOf/0", tag = "\"a\"", requires = "[\"kind\"]")]
                A(String),
            }
        }),
        vec![misplaced.to_owned()]
    );
    assert_eq!(
        errors(syn::parse_quote! {
            #[union(schema = "S", at = "/u", types, exact)]
            enum U {
                #[variant(json_type = "object", requires = "[\"a\"]")]
                A(String),
            }
        }),
        vec![misplaced.to_owned()]
    );
    let not_json = errors(syn::parse_quote! {
        #[union(schema = "S", at = "/u", any_of, bare)]
        enum U {
            #[variant(at = "/u/anyOf/0", requires = "a, b")]
            A(String),
        }
    });
    assert_eq!(not_json.len(), 1, "{not_json:?}");
    assert!(
        not_json[0].starts_with("`requires` is a JSON array of member names:"),
        "{not_json:?}"
    );
    let expansion = crate::shape::union::derive(&syn::parse_quote! {
        #[union(schema = "S", at = "/u", any_of, bare)]
        enum U {
            #[variant(at = "/u/anyOf/0", requires = "[\"a\", \"b\"]")]
            A(String),
            #[variant(at = "/u/anyOf/1")]
            B(i64),
        }
    })
    .to_string();
    assert!(compile_errors(&expansion).is_empty(), "{expansion}");
    // The variant that requires members is exact: it is tried by its read, with no check of
    // its branch; the other is chosen by checking its branch.
    assert_eq!(
        expansion
            .matches("TreeDeserializer :: for_verdict (value)")
            .count(),
        1,
        "{expansion}"
    );
    assert!(
        expansion.contains("is_valid_at (ats [1usize] , value)"),
        "{expansion}"
    );
    // Its branch is checked only to explain a value that the union's check accepts and
    // no variant reads.
    let (choosing, after) = expansion
        .split_once("if ! holds")
        .expect("the union's check");
    assert!(
        !choosing.contains("is_valid_at (ats [0usize] , value)"),
        "{expansion}"
    );
    assert!(
        after.contains("is_valid_at (ats [0usize] , value)")
            && after.contains("why_unheld :: < String > (value)"),
        "{expansion}"
    );
    // `exact` on a variant belongs to an untagged `bare` union too.
    assert_eq!(
        errors(syn::parse_quote! {
            #[union(schema = "S", at = "/u", one_of, tag = "kind", bare)]
            enum U {
                #[variant(at = "/u/oneOf/0", tag = "\"a\"", exact)]
                A(String),
            }
        }),
        vec!["`exact` on a variant is for an untagged `bare` union: the variant's read is its branch's whole check".to_owned()]
    );
}

/// A tuple is a tuple struct whose items past `min_items` are `Option`s.
#[test]
fn a_tuple_is_a_tuple_struct_whose_optional_items_are_options() {
    let errors =
        |input: DeriveInput| compile_errors(&crate::shape::tuple::derive(&input).to_string());
    assert_eq!(
        errors(syn::parse_quote! {
            #[tuple(min_items = 1)]
            struct T(u64, String);
        }),
        vec!["item 1 is past `min_items` (1), so it is optional: `Option<T>`".to_owned()]
    );
    assert_eq!(
        errors(syn::parse_quote! {
            #[tuple(min_items = 3)]
            struct T(u64, String);
        }),
        vec!["`min_items` is 3, but the tuple has 2 items".to_owned()]
    );
    assert_eq!(
        errors(syn::parse_quote! {
            #[tuple(min_items = 1)]
            struct T { a: u64 }
        }),
        vec!["#[derive(Tuple)] is for tuple structs: `struct Name(A, B, Option<C>);`".to_owned()]
    );
    assert_eq!(
        errors(syn::parse_quote! {
            #[tuple(most = 1)]
            struct T(u64);
        }),
        vec!["unknown key; #[tuple] takes min_items, max_items, rest and runtime".to_owned()]
    );
    let expansion = crate::shape::tuple::derive(&syn::parse_quote! {
        #[tuple(min_items = 1)]
        struct T(u64, Option<String>);
    })
    .to_string();
    assert!(compile_errors(&expansion).is_empty(), "{expansion}");
}

/// With `rest`, the last field is a `Vec` of the items after the list, `min_items` may ask
/// for some of them, and `max_items` bounds the array.
#[test]
fn a_tuple_with_rest_ends_in_a_vec_and_is_counted() {
    let errors =
        |input: DeriveInput| compile_errors(&crate::shape::tuple::derive(&input).to_string());
    assert_eq!(
        errors(syn::parse_quote! {
            #[tuple(min_items = 1, max_items = 2)]
            struct T(u64);
        }),
        vec!["`max_items` goes with `rest`: without it, the fields are the most items".to_owned()]
    );
    assert_eq!(
        errors(syn::parse_quote! {
            #[tuple(min_items = 1, rest)]
            struct T(u64, Option<f64>);
        }),
        vec!["with `rest`, the last field holds the items after the list: `Vec<T>`".to_owned()]
    );
    assert_eq!(
        errors(syn::parse_quote! {
            #[tuple(min_items = 3, max_items = 2, rest)]
            struct T(u64, Vec<f64>);
        }),
        vec!["`max_items` is 2, below `min_items` (3)".to_owned()]
    );
    assert_eq!(
        errors(syn::parse_quote! {
            #[tuple(min_items = 1, max_items = 1, rest)]
            struct T(u64, Option<String>, Vec<f64>);
        }),
        vec!["`max_items` is 1, fewer than the list's 2 items".to_owned()]
    );
    assert_eq!(
        errors(syn::parse_quote! {
            #[tuple(min_items = 0, rest)]
            struct T(Vec<f64>);
        }),
        vec!["a tuple has at least one item before its `rest`".to_owned()]
    );
    // `min_items` past the list asks for items after it; the count is read, not a field.
    let expansion = crate::shape::tuple::derive(&syn::parse_quote! {
        #[tuple(min_items = 3, max_items = 5, rest)]
        struct T(u64, Vec<f64>);
    })
    .to_string();
    assert!(compile_errors(&expansion).is_empty(), "{expansion}");
    for part in [
        "an array of 3 to 5 items",
        "if 1usize + rest . len () == 5usize",
        "if 1usize + rest . len () < 3usize",
        "read_tuple_checked",
    ] {
        assert!(expansion.contains(part), "{part} in {expansion}");
    }
}
