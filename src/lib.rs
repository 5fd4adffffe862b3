//! The examples and integration tests of `paseto-session` live in this package; it has
//! nothing of its own to publish.
