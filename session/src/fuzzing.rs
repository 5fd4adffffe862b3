//! Entry points for the fuzz targets in `fuzz/`, behind the `fuzzing` feature. Not a
//! public API: nothing here follows semantic versioning.

use std::time::Duration;

use http::{HeaderMap, HeaderValue};

use crate::codec::{self, Rules};
use crate::cookie::{self, Found};
use crate::data::Session;
use crate::key::{Key, Keyring};
use crate::time::Timestamp;

/// The instant the targets treat as now: 2026-12-03T16:40:00Z.
pub const NOW: Timestamp = Timestamp::from_millis(1_796_316_000_000);

/// Looks for the cookie `session` in a `Cookie` header made of `bytes`; returns the
/// value found, if exactly one.
pub fn find_cookie(bytes: &[u8]) -> Option<String> {
    let value = HeaderValue::from_bytes(bytes).ok()?;
    let mut headers = HeaderMap::new();
    headers.append(http::header::COOKIE, value);
    match cookie::find(&headers, "session") {
        Found::One(value) => Some(value.to_owned()),
        Found::Absent | Found::Ambiguous => None,
    }
}

/// A keyring with one fixed key and the default rules, for decoding.
#[derive(Debug)]
pub struct Decoder {
    keyring: Keyring,
    rules: Rules,
}

impl Decoder {
    /// The fixed key is 32 bytes of 7, so a corpus of tokens stays valid across runs.
    #[must_use]
    pub fn new() -> Self {
        let key = Key::from_bytes(&[7; 32]).unwrap_or_else(|_| unreachable_key());
        let rules = Rules::new(
            b"paseto-session".to_vec(),
            None,
            None,
            Duration::from_secs(1800),
            Duration::from_secs(43_200),
            Duration::from_secs(30),
        );
        Self {
            keyring: Keyring::new(key),
            rules,
        }
    }

    /// Decrypts and validates `token` as a session of type `T`; `true` when accepted.
    pub fn decode_token<T: Session>(&self, token: &str) -> bool {
        codec::decode::<T>(&self.keyring, &self.rules, token, NOW).is_ok()
    }

    /// Validates a decrypted payload as the claims of a session of type `T`.
    pub fn decode_claims<T: Session>(&self, payload: &str) -> bool {
        codec::decode_claims::<T>(&self.rules, payload, NOW).is_ok()
    }

    /// Encrypts `payload` under the fixed key, to build a corpus.
    #[must_use]
    pub fn encrypt(&self, payload: &[u8]) -> String {
        codec::encrypt_with(self.keyring.current(), payload, &self.rules)
    }
}

impl Default for Decoder {
    fn default() -> Self {
        Self::new()
    }
}

fn unreachable_key() -> Key {
    // 32 bytes always make a key; this only satisfies the type.
    panic!("a 32-byte key was refused")
}
