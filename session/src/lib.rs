//! Sessions for axum kept entirely in an HttpOnly cookie, as an encrypted PASETO v4.local
//! token that is replaced on every request and whose predecessors are refused.
//!
//! # Quick start
//!
//! ```
//! use axum::{Router, routing::get};
//! use paseto_session::{Key, Session, SessionConfig, SessionLayer};
//!
//! #[derive(Session, Clone, Debug)]
//! struct User {
//!     #[session(subject)]
//!     id: u64,
//!     #[session(max_len = 64)]
//!     name: String,
//! }
//!
//! async fn hello(user: User) -> String {
//!     format!("hello {}", user.name)
//! }
//!
//! let config = SessionConfig::new(Key::generate()?);
//! let app: Router = Router::new()
//!     .route("/", get(hello))
//!     .layer(SessionLayer::<User>::new(config)?);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! A handler takes the struct to require a session (`401`, or `303` to the configured
//! login URL for requests that accept HTML), `Option<User>` to accept requests without
//! one, and [`Sessions<User>`](Sessions) to start, update and end sessions.
//!
//! # The token
//!
//! The cookie holds a PASETO v4.local token (XChaCha20 with a BLAKE2b MAC, through
//! `pasetors`). Its payload is a JSON object, so any PASETO v4 implementation holding the
//! key can read and mint sessions:
//!
//! ```text
//! {"jti":"<family, 32 hex digits>.<generation>",
//!  "iat":"2026-12-03T16:40:00Z","nbf":"2026-12-03T16:40:00Z","exp":"2026-12-03T17:10:00Z",
//!  "auth":"2026-12-03T16:39:20.123Z",          login time, for the absolute timeout
//!  "iss":"...","aud":"...",                     when configured
//!  "sub":"42",                                  the #[session(subject)] field
//!  "name":"Alice", ...}                         the struct's other fields
//! ```
//!
//! The footer is `{"kid":"k4.lid.…"}`, the PASERK id of the key that encrypted it, so a
//! [`Keyring`] picks the key without trying each. The token is bound to its use by a PASETO
//! implicit assertion ([`SessionConfig::context`]), so a token made with the same key for
//! another purpose never passes as a session. Decoding refuses a token longer than a
//! browser keeps, an unknown key id, a failed MAC, a claim given twice, a missing or
//! malformed registered claim, `exp` or `nbf` or `iat` outside the leeway, an `exp` further
//! than the idle timeout from `iat`, a login older than the absolute timeout, and an issuer
//! or audience other than the configured one.
//!
//! # Rotation and replay
//!
//! A login starts a *family* ([`store::FamilyId`], 128 random bits); each rotation
//! advances its *generation*. The store keeps one record per family, and the token a
//! request carried is *spent* once the family has moved on:
//!
//! - the current generation is accepted and, unless the route opted out with
//!   [`SkipRotation`] or the token is younger than [`SessionConfig::rotate_after`], the
//!   family advances and the response carries the next generation;
//! - the previous generation is accepted within the grace period after its rotation (a
//!   browser sends parallel requests with one cookie) and answered with a token of the
//!   current generation;
//! - any other earlier generation is a replay: the family is revoked, so thief and victim
//!   are both logged out, and it is logged at `warn`.
//!
//! The idle timeout is each token's lifetime, renewed by rotation; the absolute timeout
//! counts from login and is never renewed. A handler that never reads the session still
//! has its token rotated after it returns, so every request under the layer spends its
//! token.
//!
//! # Stores
//!
//! [`MemoryStore`] is the default: bounded, failing closed when full, one per process.
//! Its documentation states what a restart and a token of an unknown family mean. The
//! Redis store (feature `redis`) serves several instances and federated apps. A store that
//! does not answer gives the request no session, and `503` to handlers that need one.
//!
//! # Logging
//!
//! Events use the target `paseto_session`: `trace` for accepted sessions, `debug` for
//! every refusal with its reason, `warn` for replays, cross-origin refusals, evictions of
//! live families and the development cookie, `error` for a token that could not be
//! issued. No event or error carries a token, a cookie value or key material.
//!
//! # Limits
//!
//! - A stolen cookie works until its owner's next request; rotation detects the theft
//!   then, it cannot prevent the first use.
//! - The session data travels in every request and must fit, with its overhead, in 4096
//!   bytes; the derive proves it does at compile time.
//! - With the in-memory store, each process accepts once a token another process has
//!   spent, and a restart logs everyone out.
//! - Federated apps must keep their clocks within the leeway (30 s by default).

mod bound;
mod budget;
mod codec;
mod config;
mod cookie;
mod data;
mod extract;
mod handle;
#[cfg(feature = "internals")]
#[doc(hidden)]
pub mod internals;
mod key;
mod layer;
pub mod store;
mod time;
mod token_cache;

pub use bound::{BoundError, BoundUnit, Bounded, MaxItems, MaxItemsLen, MaxLen};
pub use config::{ConfigError, SessionConfig};
pub use cookie::SameSite;
pub use data::{ClaimWriter, DecodeError, EncodeError, Session};
pub use extract::{SessionError, SessionRejection, Sessions, SkipRotation, SkipRotationService};
pub use key::{Key, KeyError, Keyring};
pub use layer::{SessionLayer, SessionService};
/// `#[derive(Session)]` makes a struct with named fields the session. It writes each field
/// as a top-level claim of the token (`,"name":value`, the value written by serde_json from
/// the field's own `Serialize`; the `#[session(subject)]` field as the `sub` claim, the JSON
/// string of its `Display` text). Decoding fills a hidden struct of one `Option` slot per
/// field as the claims arrive, refuses a claim given twice, skips unknown ones, and then
/// takes every slot: a missing claim is an error unless its type has a value for "missing"
/// the way serde decides it (an `Option` becomes `None`). The bounds are checked again on
/// the decoded value, so a token carrying a longer value than the struct allows is refused.
/// A `const` item adds up the longest JSON every field can produce under its `max_len` and
/// `max_items` bounds, adds the fixed cost of the token and the cookie name, and fails
/// compilation, pointing at the struct, when the cookie can pass 4096 bytes (or the
/// struct's `max_cookie_len`). The struct becomes an axum extractor: `User` requires a
/// session, `Option<User>` accepts its absence. `#[derive(Bounded)]` gives an enum of unit
/// variants or a nested struct a size bound, following serde's renames; a serde attribute
/// the bound cannot follow is a compile error.
pub use paseto_session_derive::{Bounded, Session};
#[cfg(feature = "redis")]
pub use store::RedisStore;
pub use store::{MemoryStore, SessionStore};
pub use time::{Clock, SystemClock, Timestamp};

/// Items used by the code that `#[derive(Session)]` and `#[derive(Bounded)]` generate.
/// Not a public API: nothing here follows semantic versioning.
#[doc(hidden)]
pub mod __private {
    pub use axum_core;
    pub use http;
    pub use serde;
    pub use serde_json;

    pub use crate::budget::*;
    pub use crate::codec::max_cookie_len;
    pub use crate::data::{ClaimWriter, DecodeError, EncodeError, Session};
    pub use crate::extract::{SessionRejection, extract_optional, extract_required};
}
