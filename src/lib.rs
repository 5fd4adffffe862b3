//! The examples and integration tests of `paseto-session` live in this package; it has
//! nothing of its own to publish. Its documentation is the README, so that the README's
//! example is compiled as a test.
#![doc = include_str!("../README.md")]
