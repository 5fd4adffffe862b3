//! Cookie sessions for axum, kept entirely in an HttpOnly cookie as an encrypted PASETO
//! v4.local token that is rotated on every request.
//!
//! (The crate documentation is written in `README.md`-sized prose further down; see the
//! items below while it grows.)

mod bound;
mod budget;
mod codec;
mod config;
mod cookie;
mod data;
mod extract;
mod handle;
mod key;
mod layer;
pub mod store;
mod time;

pub use bound::{BoundError, Bounded, MaxItems, MaxItemsLen, MaxLen};
pub use config::{ConfigError, SessionConfig};
pub use cookie::SameSite;
pub use data::{ClaimWriter, DecodeError, EncodeError, Session};
pub use extract::{SessionError, SessionRejection, Sessions, SkipRotation, SkipRotationService};
pub use key::{Key, KeyError, Keyring};
pub use layer::{SessionLayer, SessionService};
pub use paseto_session_derive::{Bounded, Session};
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
