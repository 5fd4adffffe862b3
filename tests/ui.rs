//! The compile-time behaviour of `#[derive(Session)]` and `#[derive(Bounded)]`: what they
//! accept, and the message each mistake gets.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.pass("tests/ui/pass/*.rs");
    cases.compile_fail("tests/ui/fail/*.rs");
}
