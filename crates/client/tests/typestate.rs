//! Builders whose required fields are missing do not compile. The expected compiler
//! messages are in `tests/ui/*.stderr` (regenerate with `TRYBUILD=overwrite` after a
//! deliberate change, and review the diff).

#[test]
fn missing_required_fields_do_not_compile() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
}
