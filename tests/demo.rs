//! The `demo` example: it stores every secret, the fake GitHub decrypts each to exactly
//! what was sent, the fake Coder holds what was sent, and nothing it prints gives a
//! secret away.
//!
//! The example's own code is compiled into this test (`#[path]`), so the test runs the
//! very flow `cargo run --example demo` runs, without building and spawning it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[allow(dead_code)] // the example's `main` is not called here
#[path = "../examples/demo.rs"]
mod demo;

#[tokio::test]
async fn the_demo_stores_every_secret_intact_and_prints_none() {
    let mut out = Vec::new();
    let all_match = demo::run(&mut out).await.unwrap();
    let printed = String::from_utf8(out).unwrap();
    assert!(all_match, "{printed}");
    assert_eq!(printed.matches("matches     yes").count(), 6, "{printed}");
    assert!(printed.contains("as GitHub App"), "{printed}");
    assert!(printed.contains("a second run sent 0 writes"), "{printed}");
    assert!(printed.contains("Every secret arrived intact"), "{printed}");

    // Only sizes are shown, and no run of six bytes of any secret appears in the output
    // (shorter runs find ordinary words: `inte` of `db.internal` in `minted`).
    assert_eq!(printed.matches("bytes (not shown)").count(), 6, "{printed}");
    for secret in [
        demo::NPM_TOKEN,
        demo::DEPLOY_KEY,
        demo::DATABASE_URL,
        demo::CODER_NPM_TOKEN,
        demo::REGISTRY_TOKEN,
        demo::RELEASE_TOKEN,
    ] {
        for window in secret.as_bytes().windows(6) {
            assert!(
                !printed
                    .as_bytes()
                    .windows(6)
                    .any(|printed| printed == window),
                "the demo printed part of a secret: {:?}",
                String::from_utf8_lossy(window)
            );
        }
    }
}
