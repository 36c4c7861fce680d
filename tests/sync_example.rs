//! The `sync` example: each step of the cycle does what it should, nothing it prints
//! holds a value, and a run that changes nothing costs one list request per target.
//!
//! The example's own code is compiled into this test (`#[path]`), as for the demo.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[allow(dead_code)] // the example's `main` is not called here
#[path = "../examples/sync.rs"]
mod sync_example;

#[tokio::test]
async fn the_sync_example_does_each_step_and_prints_no_value() {
    let mut out = Vec::new();
    let ok = sync_example::run(&mut out).await.unwrap();
    let printed = String::from_utf8(out).unwrap();
    assert!(ok, "{printed}");
    for value in ["npm_dEm0t0kEn", "demo-signing-key", "postgres://app@db"] {
        assert!(!printed.contains(value), "printed {value:?}:\n{printed}");
    }
}

#[tokio::test]
async fn a_run_that_changes_nothing_costs_one_list_per_target() {
    let mut out = Vec::new();
    let requests = sync_example::measure(&mut out, 20, 5).await.unwrap();
    assert_eq!(requests, 20, "{}", String::from_utf8_lossy(&out));
}
