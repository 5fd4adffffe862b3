//! Where spent tokens are tracked: one record per session family.
//!
//! A family is one login: a random 128-bit id and a generation number that every rotation
//! advances. A token is current when its generation is the family's latest; the one before
//! it stays acceptable for a short grace period (a browser sends several requests with the
//! same cookie at once); any older one is spent, and presenting it is a replay, which
//! revokes the whole family.
//!
//! [`MemoryStore`] keeps the records in the process. With the `redis` feature,
//! `RedisStore` keeps them in Redis or Valkey, shared by every app instance that points at
//! the same server, so that a token spent on one instance is spent on all.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use crate::time::Timestamp;

mod memory;
#[cfg(feature = "redis")]
mod redis;

#[cfg(feature = "redis")]
pub use self::redis::{RedisStore, RedisStoreBuilder};
pub use memory::{MemoryStore, MemoryStoreStats};

/// A boxed future, as the store trait returns them so that it stays object safe.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The id of a session family: 128 random bits, new at every login.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FamilyId([u8; 16]);

impl FamilyId {
    /// A new random family id.
    ///
    /// # Errors
    ///
    /// [`StoreError`] when the operating system's random source fails.
    pub fn random() -> Result<Self, StoreError> {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes).map_err(|_| StoreError::new("random source failed"))?;
        Ok(Self(bytes))
    }

    /// The id's 16 bytes.
    #[must_use]
    pub const fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }

    /// The id of 16 bytes.
    #[must_use]
    pub const fn from_bytes(bytes: [u8; 16]) -> Self {
        Self(bytes)
    }

    pub(crate) fn write_hex(&self, out: &mut Vec<u8>) {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        for byte in self.0 {
            out.push(DIGITS[usize::from(byte >> 4)]);
            out.push(DIGITS[usize::from(byte & 0x0f)]);
        }
    }

    /// Reads 32 lowercase hexadecimal digits.
    pub(crate) fn from_hex(text: &str) -> Option<Self> {
        let text = text.as_bytes();
        if text.len() != 32 {
            return None;
        }
        let mut bytes = [0u8; 16];
        for (byte, pair) in bytes.iter_mut().zip(text.chunks_exact(2)) {
            *byte = (hex_value(pair[0])? << 4) | hex_value(pair[1])?;
        }
        Some(Self(bytes))
    }
}

fn hex_value(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        _ => None,
    }
}

/// The hexadecimal id, as the `jti` claim carries it. A family id is not a secret (it is
/// useless without the key), so logs may show it.
impl fmt::Display for FamilyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut hex = Vec::with_capacity(32);
        self.write_hex(&mut hex);
        f.write_str(&String::from_utf8_lossy(&hex))
    }
}

impl fmt::Debug for FamilyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FamilyId({self})")
    }
}

/// A token that passed decryption and claim checks, as the store sees it.
#[derive(Debug, Clone, Copy)]
pub struct Presented<'a> {
    /// The token's family.
    pub family: FamilyId,
    /// The token's generation.
    pub generation: u64,
    /// The session's subject, if the session type has one.
    pub subject: Option<&'a str>,
    /// When the user logged in.
    pub authenticated_at: Timestamp,
    /// When the token was issued.
    pub issued_at: Timestamp,
}

/// How the store should treat a presented token.
#[derive(Debug, Clone, Copy)]
pub struct CheckRules {
    /// The time of the request.
    pub now: Timestamp,
    /// How long after a rotation the previous generation is still accepted.
    pub grace_period: Duration,
    /// Whether a current token advances the family to the next generation.
    pub rotate: bool,
    /// When the family can no longer be valid (its absolute timeout): the record may go.
    pub family_expires_at: Timestamp,
}

/// The store's answer for a presented token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Verdict {
    /// The token is current. `generation` is the one to issue: the next one when the
    /// family rotated, the same one when it did not.
    Current {
        /// The generation the answer's token must carry.
        generation: u64,
        /// Whether this request advanced the family.
        rotated: bool,
    },
    /// The token is one generation behind, inside the grace period: accepted, and answered
    /// with a token of the family's current generation.
    Grace {
        /// The family's current generation.
        generation: u64,
    },
    /// The token was spent: the family is now revoked.
    Replayed,
    /// The family, or every session of its subject, was revoked earlier.
    Revoked,
    /// The store has no record of the family and cannot vouch for the token.
    Unknown,
}

/// A store that could not answer. The request gets no session and a 503.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreError {
    reason: String,
}

impl StoreError {
    /// A store error with a short reason. The reason is logged; it must not hold a token.
    pub fn new(reason: impl Into<String>) -> Self {
        Self {
            reason: reason.into(),
        }
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "session store unavailable: {}", self.reason)
    }
}

impl std::error::Error for StoreError {}

/// Tracks the state of every live session family.
///
/// Each request makes one call to [`check`](SessionStore::check), which must be atomic:
/// two requests with the same token may race, and a revocation must never be lost to a
/// concurrent rotation.
pub trait SessionStore: Send + Sync + 'static {
    /// Records a new family at generation 0 (a login).
    fn begin(
        &self,
        family: FamilyId,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> BoxFuture<'_, Result<(), StoreError>>;

    /// Checks a presented token against its family and its subject's revocations and,
    /// when `rules.rotate` and the token is current, advances the family.
    fn check<'a>(
        &'a self,
        presented: Presented<'a>,
        rules: CheckRules,
    ) -> BoxFuture<'a, Result<Verdict, StoreError>>;

    /// Revokes one family: none of its tokens is accepted again.
    fn revoke_family(
        &self,
        family: FamilyId,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> BoxFuture<'_, Result<(), StoreError>>;

    /// Revokes every family of `subject` that logged in at or before `now`.
    fn revoke_subject<'a>(
        &'a self,
        subject: &'a str,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> BoxFuture<'a, Result<(), StoreError>>;
}

/// The decision for a known, unrevoked family, shared by every store so that they agree.
///
/// `current` is the family's latest generation and `rotated_at` when it was issued.
/// Returns the verdict and the family's new latest generation.
#[must_use]
pub fn decide(
    current: u64,
    rotated_at: Timestamp,
    presented: u64,
    rules: &CheckRules,
) -> (Verdict, u64) {
    if presented == current {
        if rules.rotate {
            let next = current.saturating_add(1);
            return (
                Verdict::Current {
                    generation: next,
                    rotated: true,
                },
                next,
            );
        }
        return (
            Verdict::Current {
                generation: current,
                rotated: false,
            },
            current,
        );
    }

    // A generation the family never reached: the record is behind the token (another
    // store issued it), so this store cannot vouch for it.
    if presented > current {
        return (Verdict::Unknown, current);
    }

    let within_grace = rules.now <= rotated_at.plus(rules.grace_period);
    if presented.checked_add(1) == Some(current) && within_grace {
        return (
            Verdict::Grace {
                generation: current,
            },
            current,
        );
    }

    (Verdict::Replayed, current)
}
