//! `is_valid` allocates nothing on the valid path (a counting global allocator watches it).
//! Patterns are the exception: `regress` allocates its matcher's state for each match.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use event_contracts_check::{CompiledSchema, Tree};
use serde_json::json;

struct Counting;

thread_local! {
    // Per thread: the test harness runs the tests of this file on threads of their own at
    // once, and a global count would add one test's allocations to the other's. A `const`
    // thread-local needs no allocation to initialise, so the allocator may touch it.
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // `try_with`: during thread teardown the slot may be gone; those are not counted.
        let _ = ALLOCATIONS.try_with(|count| count.set(count.get() + 1));
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations(f: impl FnOnce() -> bool) -> (bool, usize) {
    let before = ALLOCATIONS.with(Cell::get);
    let verdict = f();
    (verdict, ALLOCATIONS.with(Cell::get) - before)
}

#[test]
fn the_valid_path_allocates_nothing() {
    let schema = CompiledSchema::compile(&json!({
        "type": "object",
        "required": ["id", "at", "price", "tags", "kind"],
        "additionalProperties": false,
        "properties": {
            "id": {"$ref": "#/definitions/id"},
            "at": {"type": "string", "format": "date-time"},
            "price": {"type": "number", "minimum": 0, "multipleOf": 0.01},
            "count": {"type": "integer", "maximum": 10},
            "tags": {"type": "array", "items": {"type": "string", "maxLength": 8}, "uniqueItems": true},
            "kind": {"enum": ["a", "b", {"c": [1, 2]}]},
            "extra": {"not": {"const": 3}},
            "choice": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
            "nested": {
                "propertyNames": {"maxLength": 4},
                "dependencies": {"a": ["b"], "b": {"minProperties": 2}},
                "if": {"required": ["a"]}, "then": {"maxProperties": 3}, "else": true
            }
        },
        "definitions": {"id": {"type": "string", "format": "uuid"}}
    }))
    .unwrap();
    let event = json!({
        "id": "6f1c2e9a-3b4d-4e5f-8a9b-0c1d2e3f4a5b",
        "at": "2026-03-01T12:00:00Z",
        "price": 19.99,
        "count": 3,
        "tags": ["x", "y"],
        "kind": {"c": [1, 2.0]},
        "extra": 4,
        "choice": 7,
        "nested": {"a": 1, "b": 2}
    });
    let text = event.to_string();
    let tree = Tree::parse(&text).unwrap();
    assert_eq!(
        allocations(|| schema.is_valid(schema.root(), &event)),
        (true, 0)
    );
    assert_eq!(
        allocations(|| schema.is_valid(schema.root(), &tree)),
        (true, 0)
    );
    // The count is live: listing violations allocates.
    let invalid = json!({"id": 1});
    let (_, counted) = allocations(|| {
        let mut c = event_contracts_check::Collector::new();
        schema.validate(schema.root(), &invalid, &mut c);
        !c.is_empty()
    });
    assert!(counted > 0);
}

#[test]
fn patterns_allocate_in_regress_only() {
    // A simple pattern is matched without regress: nothing is allocated.
    let schema = CompiledSchema::compile(&json!({"pattern": "^\\d+\\.\\d+$"})).unwrap();
    let version = json!("1.2");
    let (verdict, counted) = allocations(|| schema.is_valid(schema.root(), &version));
    assert!(verdict);
    assert_eq!(counted, 0);
    let schema = CompiledSchema::compile(&json!({"pattern": "^[0-9]{1,3}\\.[0-9]+$"})).unwrap();
    let (verdict, counted) = allocations(|| schema.is_valid(schema.root(), &version));
    assert!(verdict);
    assert_eq!(counted, 0);
    // So is a simple `patternProperties` pattern.
    let schema =
        CompiledSchema::compile(&json!({"patternProperties": {"^x-": {"type": "string"}}}))
            .unwrap();
    let object = json!({"x-vendor": "a", "y": 1});
    let (verdict, counted) = allocations(|| schema.is_valid(schema.root(), &object));
    assert!(verdict);
    assert_eq!(counted, 0);
    // Any other goes to regress: one buffer per match (the matcher's state).
    let schema = CompiledSchema::compile(&json!({"pattern": "^[0-9]+.[0-9]+$"})).unwrap();
    let (verdict, counted) = allocations(|| schema.is_valid(schema.root(), &version));
    assert!(verdict);
    assert_eq!(counted, 1);
    let schema =
        CompiledSchema::compile(&json!({"patternProperties": {"^x.": {"type": "string"}}}))
            .unwrap();
    let (verdict, counted) = allocations(|| schema.is_valid(schema.root(), &object));
    assert!(verdict);
    assert_eq!(counted, 2);
}
