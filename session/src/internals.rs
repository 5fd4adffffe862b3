//! Entry points for the fuzz targets in `fuzz/` and the benchmarks in `benches/`, behind
//! the `internals` feature. Not a public API: nothing here follows semantic versioning.

use std::time::Duration;

use http::{HeaderMap, HeaderValue};

use crate::codec::{self, Rules, TokenState};
use crate::cookie::{self, Found};
use crate::data::Session;
use crate::key::{Key, Keyring};
use crate::store::{CheckRules, FamilyId, SessionStore, Verdict};
use crate::time::Timestamp;
use crate::token_cache::TokenCache;

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

/// How many bytes `data`'s own claims take in a token, as `write_claims` writes them.
///
/// # Errors
///
/// When `data` cannot be encoded.
pub fn written_claims_len<T: Session>(data: &T) -> Result<usize, crate::data::EncodeError> {
    let mut out = Vec::new();
    data.write_claims(&mut crate::data::ClaimWriter::new(&mut out))?;
    Ok(out.len())
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

/// The per-request work of the layer without HTTP around it: decode and validate the
/// token, check and advance its family in the store, encode the next token and write the
/// `Set-Cookie` line.
pub struct Rotation {
    decoder: Decoder,
    cookie: crate::cookie::CookieAttributes,
    grace_period: Duration,
}

impl Rotation {
    /// A rotation with the fixed key and the default cookie attributes.
    #[must_use]
    pub fn new() -> Self {
        let cookie = crate::cookie::CookieAttributes::new(
            "__Host-session".to_owned(),
            None,
            crate::cookie::SameSite::Lax,
            true,
            None,
        );
        Self {
            decoder: Decoder::new(),
            cookie,
            grace_period: Duration::from_secs(10),
        }
    }

    /// A first token for `data`: family `family`, generation 0, issued at `now`.
    ///
    /// # Errors
    ///
    /// When `data` cannot be encoded.
    pub fn first_token<T: Session>(
        &self,
        data: &T,
        family: FamilyId,
        now: Timestamp,
    ) -> Result<String, crate::data::EncodeError> {
        self.encode(data, family, 0, now)
    }

    /// Encodes `data` as a token of generation `generation`, as the layer does on every
    /// rotation: the codec's encoding alone.
    ///
    /// # Errors
    ///
    /// When `data` cannot be encoded.
    pub fn encode<T: Session>(
        &self,
        data: &T,
        family: FamilyId,
        generation: u64,
        now: Timestamp,
    ) -> Result<String, crate::data::EncodeError> {
        let state = TokenState {
            family,
            generation,
            issued_at: now.truncate_to_seconds(),
            expires_at: now.plus(Duration::from_secs(1800)).truncate_to_seconds(),
            authenticated_at: now,
        };
        codec::encode(&self.decoder.keyring, &self.decoder.rules, data, &state)
    }

    /// Decodes and validates a token: the codec's decoding alone.
    #[must_use]
    pub fn decode<T: Session>(&self, token: &str, now: Timestamp) -> Option<T> {
        codec::decode::<T>(&self.decoder.keyring, &self.decoder.rules, token, now)
            .ok()
            .map(|decoded| decoded.data)
    }

    /// One full rotation of `token` against `store`; the `Set-Cookie` line of the next
    /// token, or `None` when the token is refused. The token is always decrypted, as for a
    /// request whose token this process has not seen.
    pub async fn rotate<T: Session>(
        &self,
        store: &dyn SessionStore,
        token: &str,
        now: Timestamp,
    ) -> Option<String> {
        let decoded =
            codec::decode::<T>(&self.decoder.keyring, &self.decoder.rules, token, now).ok()?;
        let (set_cookie, _, _) = self.advance_and_encode(store, decoded, now).await?;
        Some(set_cookie)
    }

    /// One full rotation as the layer does it with its token cache: a token this process
    /// issued is found in `cache` instead of being decrypted, and the next token is put
    /// there for the next request.
    pub async fn rotate_cached<T: Session>(
        &self,
        cache: &RotationCache<T>,
        store: &dyn SessionStore,
        token: &str,
        now: Timestamp,
    ) -> Option<String> {
        let decoded = match cache.0.take(token) {
            Some(verified) => {
                codec::check_times(&self.decoder.rules, &verified.state, now).ok()?;
                let (state, current_key) = (verified.state, verified.current_key);
                let data = std::sync::Arc::try_unwrap(verified)
                    .map_or_else(|shared| shared.data.clone(), |owned| owned.data);
                codec::Decoded {
                    data,
                    state,
                    current_key,
                }
            }
            None => {
                codec::decode::<T>(&self.decoder.keyring, &self.decoder.rules, token, now).ok()?
            }
        };

        let (set_cookie, next_token, (data, state)) =
            self.advance_and_encode(store, decoded, now).await?;
        cache.0.insert(&next_token, data, state, true);
        Some(set_cookie)
    }

    async fn advance_and_encode<T: Session>(
        &self,
        store: &dyn SessionStore,
        decoded: codec::Decoded<T>,
        now: Timestamp,
    ) -> Option<(String, String, (T, TokenState))> {
        let subject = decoded.data.subject();
        let state = decoded.state;
        let presented = state.presented(subject.as_deref());
        let rules = CheckRules {
            now,
            grace_period: self.grace_period,
            rotate: true,
            family_expires_at: now.plus(Duration::from_secs(43_200)),
        };
        let generation = match store.check(presented, rules).await.ok()? {
            Verdict::Current { generation, .. } | Verdict::Grace { generation } => generation,
            Verdict::Replayed | Verdict::Revoked | Verdict::Unknown => return None,
        };

        let next = TokenState {
            generation,
            issued_at: now.truncate_to_seconds(),
            expires_at: now.plus(Duration::from_secs(1800)).truncate_to_seconds(),
            ..state
        };
        let token = codec::encode(
            &self.decoder.keyring,
            &self.decoder.rules,
            &decoded.data,
            &next,
        )
        .ok()?;
        Some((self.cookie.set(&token), token, (decoded.data, next)))
    }
}

/// The layer's token cache, for [`Rotation::rotate_cached`].
pub struct RotationCache<T>(TokenCache<T>);

impl<T: Session> RotationCache<T> {
    /// A cache of `bytes` bytes, as [`crate::SessionConfig::token_cache_bytes`] sets.
    #[must_use]
    pub fn new(bytes: usize) -> Self {
        Self(TokenCache::new(bytes))
    }
}

impl<T> std::fmt::Debug for RotationCache<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RotationCache").finish_non_exhaustive()
    }
}

impl Default for Rotation {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for Rotation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rotation").finish_non_exhaustive()
    }
}
