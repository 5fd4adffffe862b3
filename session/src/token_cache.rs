//! Tokens this process issued or already verified, so that the next request carrying one
//! needs no decryption.
//!
//! In the steady state a browser presents exactly the token the previous response set.
//! The layer remembers each token it issues, with the claims it put in it, and each token
//! it decrypts; a request that presents one of them skips the decryption, which is most
//! of a request's cost. Everything else still happens on every request: the times are
//! checked again, and the store is asked, so a spent or revoked token is refused exactly
//! as before.
//!
//! Entries are found by a keyed hash of the token (a random key per process), and a hit
//! requires the whole token to be equal, compared in constant time: only the exact text
//! the cache was given can reach its entry.

use std::hash::{BuildHasher, RandomState};
use std::sync::Arc;

use quick_cache::Weighter;
use quick_cache::sync::Cache;
use subtle::ConstantTimeEq;

use crate::codec::TokenState;

/// A verified token and what it says.
pub(crate) struct Verified<T> {
    token: Box<[u8]>,
    pub(crate) data: T,
    pub(crate) state: TokenState,
    /// Whether the keyring's current key encrypted it.
    pub(crate) current_key: bool,
}

#[derive(Clone)]
struct ByBytes;

impl<T> Weighter<u64, Arc<Verified<T>>> for ByBytes {
    fn weight(&self, _hash: &u64, entry: &Arc<Verified<T>>) -> u64 {
        // The token, the entry and a rough allowance for the session's own heap data
        // and the cache's bookkeeping.
        let bytes = entry.token.len() + size_of::<Verified<T>>() + 128;
        u64::try_from(bytes).unwrap_or(u64::MAX)
    }
}

/// Whether two tokens are the same, in time that depends only on their lengths: the
/// difference of every byte is gathered before the answer is looked at.
fn same_token(kept: &[u8], presented: &[u8]) -> bool {
    if kept.len() != presented.len() {
        return false;
    }
    let difference = kept
        .iter()
        .zip(presented)
        .fold(0u8, |gathered, (a, b)| gathered | (a ^ b));
    bool::from(difference.ct_eq(&0))
}

/// The cache, bounded in bytes; empty and free when its budget is zero.
pub(crate) struct TokenCache<T> {
    entries: Option<Cache<u64, Arc<Verified<T>>, ByBytes>>,
    hasher: RandomState,
}

impl<T: Clone + Send + Sync + 'static> TokenCache<T> {
    pub(crate) fn new(budget_bytes: usize) -> Self {
        // A typical token takes under a kilobyte; the estimate only sizes the index.
        let entries = (budget_bytes > 0).then(|| {
            let estimated_items = (budget_bytes / 1024).max(16);
            let budget = u64::try_from(budget_bytes).unwrap_or(u64::MAX);
            Cache::with_weighter(estimated_items, budget, ByBytes)
        });
        Self {
            entries,
            hasher: RandomState::new(),
        }
    }

    /// The entry of exactly `token`, if the cache holds it.
    pub(crate) fn get(&self, token: &str) -> Option<Arc<Verified<T>>> {
        let entries = self.entries.as_ref()?;
        let entry = entries.get(&self.slot(token))?;
        same_token(&entry.token, token.as_bytes()).then_some(entry)
    }

    /// Takes the entry of exactly `token` out of the cache, for a request that is about to
    /// spend the token: nobody should present it again, and the caller gets the session
    /// without copying it when no other request holds the entry.
    pub(crate) fn take(&self, token: &str) -> Option<Arc<Verified<T>>> {
        let entries = self.entries.as_ref()?;
        let removed = entries.remove_if(&self.slot(token), |entry| {
            same_token(&entry.token, token.as_bytes())
        });
        removed.map(|(_, entry)| entry)
    }

    /// The slot of a token. The start of a token holds its random nonce, which spreads
    /// tokens evenly; hashing the rest would only cost time, since a hit compares the
    /// whole token anyway.
    fn slot(&self, token: &str) -> u64 {
        let start = &token.as_bytes()[..token.len().min(64)];
        self.hasher.hash_one(start)
    }

    /// Remembers that `token` says `data` and `state`.
    pub(crate) fn insert(&self, token: &str, data: T, state: TokenState, current_key: bool) {
        let Some(entries) = &self.entries else {
            return;
        };
        let entry = Verified {
            token: token.as_bytes().into(),
            data,
            state,
            current_key,
        };
        entries.insert(self.slot(token), Arc::new(entry));
    }

    /// Whether the cache is on.
    pub(crate) fn is_enabled(&self) -> bool {
        self.entries.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::FamilyId;
    use crate::time::Timestamp;

    fn state() -> TokenState {
        TokenState {
            family: FamilyId::from_bytes([1; 16]),
            generation: 3,
            issued_at: Timestamp::from_millis(1_000),
            expires_at: Timestamp::from_millis(2_000),
            authenticated_at: Timestamp::from_millis(500),
        }
    }

    #[test]
    fn only_the_exact_token_finds_its_entry() {
        let cache = TokenCache::<String>::new(1 << 20);
        cache.insert("v4.local.abc", "alice".to_owned(), state(), true);

        assert_eq!(
            cache.get("v4.local.abc").map(|hit| hit.data.clone()),
            Some("alice".to_owned())
        );
        for other in [
            "v4.local.abd",
            "v4.local.ab",
            "v4.local.abcd",
            "",
            "V4.local.abc",
        ] {
            assert!(cache.get(other).is_none(), "{other}");
            assert!(cache.take(other).is_none(), "{other}");
        }
    }

    #[test]
    fn tokens_that_share_their_start_keep_their_own_entries() {
        let cache = TokenCache::<String>::new(1 << 20);
        let prefix = "v4.local.".to_owned() + &"n".repeat(64);
        cache.insert(
            &format!("{prefix}-first"),
            "first".to_owned(),
            state(),
            true,
        );
        cache.insert(
            &format!("{prefix}-second"),
            "second".to_owned(),
            state(),
            true,
        );

        // One slot: the later entry replaced the earlier, and neither answers for the other.
        assert!(cache.get(&format!("{prefix}-first")).is_none());
        assert!(cache.take(&format!("{prefix}-first")).is_none());
        let second = cache
            .take(&format!("{prefix}-second"))
            .map(|hit| hit.data.clone());
        assert_eq!(second, Some("second".to_owned()));
        assert!(
            cache.get(&format!("{prefix}-second")).is_none(),
            "taken out"
        );
    }

    #[test]
    fn a_zero_budget_turns_it_off() {
        let cache = TokenCache::<String>::new(0);
        cache.insert("v4.local.abc", "alice".to_owned(), state(), true);
        assert!(!cache.is_enabled());
        assert!(cache.get("v4.local.abc").is_none());
    }

    #[test]
    fn it_stays_within_its_budget() {
        let cache = TokenCache::<String>::new(64 * 1024);
        for index in 0..10_000 {
            let token = format!("v4.local.{index:0>600}");
            cache.insert(&token, String::new(), state(), true);
        }
        let entries = cache.entries.as_ref().map_or(0, Cache::len);
        assert!(
            entries > 0 && entries < 100,
            "{entries} entries of ~800 bytes in 64 KiB"
        );
    }
}
