//! The in-memory store, on `quick_cache`, bounded in families.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use quick_cache::sync::{Cache, EntryAction, EntryResult};
use quick_cache::{DefaultHashBuilder, Lifecycle, UnitWeighter};

use super::{
    BoxFuture, CheckRules, FamilyId, Presented, SessionStore, StoreError, Verdict, decide,
};
use crate::time::Clock as _;
use crate::time::{SystemClock, Timestamp};

/// One family's state: 24 bytes beside its 16-byte id.
#[derive(Debug, Clone, Copy)]
struct FamilyRecord {
    generation: u64,
    rotated_at: Timestamp,
    /// Seconds since the epoch after which no token of the family can be valid.
    expires_at_secs: u32,
    revoked: bool,
}

impl FamilyRecord {
    fn is_expired(&self, now: Timestamp) -> bool {
        u64::from(self.expires_at_secs) * 1000 < now.as_millis()
    }
}

fn seconds(time: Timestamp) -> u32 {
    u32::try_from(time.as_millis().div_ceil(1000)).unwrap_or(u32::MAX)
}

#[derive(Debug, Clone, Copy)]
struct SubjectRevocation {
    /// Families of the subject that logged in at or before this time are revoked.
    before: Timestamp,
    expires_at: Timestamp,
}

/// What the store learns from evictions. Shared with the cache's eviction hooks.
#[derive(Debug, Default)]
struct Floors {
    /// Tokens of an unknown family issued at or before this time are refused: their
    /// family may have been evicted.
    family: AtomicU64,
    /// Sessions that logged in at or before this time are refused: a subject revocation
    /// that may have covered them was evicted.
    subject: AtomicU64,
    /// The latest request time seen, the eviction hooks' notion of now.
    now: AtomicU64,
    live_families_evicted: AtomicU64,
    expired_families_evicted: AtomicU64,
    subject_revocations_evicted: AtomicU64,
}

#[derive(Clone)]
struct FamilyEvictions(Arc<Floors>);

impl Lifecycle<FamilyId, FamilyRecord> for FamilyEvictions {
    type RequestState = ();

    fn on_evict(&self, (): &mut (), family: FamilyId, record: FamilyRecord) {
        let now = Timestamp::from_millis(self.0.now.load(Ordering::Relaxed));
        if record.is_expired(now) {
            self.0
                .expired_families_evicted
                .fetch_add(1, Ordering::Relaxed);
            return;
        }

        // Every token of this family was issued before now; refusing unknown families
        // issued up to now means a spent token of it can never pass as a new family.
        self.0.family.fetch_max(now.as_millis(), Ordering::Relaxed);
        let count = self.0.live_families_evicted.fetch_add(1, Ordering::Relaxed) + 1;
        tracing::warn!(
            target: "paseto_session",
            %family,
            evicted_live_families = count,
            "in-memory session store full: evicted a live family, its user must log in again"
        );
    }
}

#[derive(Clone)]
struct SubjectEvictions(Arc<Floors>);

impl Lifecycle<String, SubjectRevocation> for SubjectEvictions {
    type RequestState = ();

    fn on_evict(&self, (): &mut (), _subject: String, revocation: SubjectRevocation) {
        let now = self.0.now.load(Ordering::Relaxed);
        if revocation.expires_at.as_millis() < now {
            return;
        }
        self.0
            .subject
            .fetch_max(revocation.before.as_millis(), Ordering::Relaxed);
        self.0
            .subject_revocations_evicted
            .fetch_add(1, Ordering::Relaxed);
        tracing::warn!(
            target: "paseto_session",
            "in-memory session store full: evicted a subject revocation, every session that \
             logged in before it must log in again"
        );
    }
}

type FamilyCache = Cache<FamilyId, FamilyRecord, UnitWeighter, DefaultHashBuilder, FamilyEvictions>;
type SubjectCache =
    Cache<String, SubjectRevocation, UnitWeighter, DefaultHashBuilder, SubjectEvictions>;

/// The default store: family records in process memory, bounded in number.
///
/// - **Bounded.** It holds at most `capacity` families; one record takes about 40 bytes
///   of data plus the cache's own bookkeeping (see `BENCHMARKS.md` for the measured total).
/// - **Fails closed when full.** Making room for a new login evicts a family the cache
///   judges cold; that user must log in again. A token of an evicted family is never
///   accepted, because the store refuses every unknown family whose token was issued
///   before the latest eviction. Evictions are counted ([`MemoryStore::stats`]) and
///   logged at warn.
/// - **Not shared.** Each process has its own store. Behind a load balancer, or for apps
///   that share a login, use the Redis store so that a token spent on one instance is
///   spent on all.
/// - **Restarts.** A new store refuses every token issued before it was created: a
///   restart logs everyone out, and a token spent before the restart cannot be replayed
///   after it.
/// - **Foreign families.** A token issued after the store was created, for a family this
///   store has never seen, was made by another process that holds the same key (a
///   federated app). By default the store adopts that family at the token's generation,
///   which lets apps share a login without sharing a store, at the price of the gap
///   this design inherits from per-process records: a token spent in one app can be
///   presented once more to another. [`MemoryStore::refuse_foreign_families`] closes it
///   for a single app that federates with nobody.
pub struct MemoryStore {
    families: FamilyCache,
    subjects: SubjectCache,
    floors: Arc<Floors>,
    adopt_foreign: bool,
}

/// Counters of a [`MemoryStore`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct MemoryStoreStats {
    /// Family records held now.
    pub families: usize,
    /// The most family records the store holds.
    pub capacity: u64,
    /// Live families evicted to make room: each logged a user out.
    pub live_families_evicted: u64,
    /// Expired families evicted, which costs nobody anything.
    pub expired_families_evicted: u64,
    /// Subject revocations evicted before they expired.
    pub subject_revocations_evicted: u64,
}

impl MemoryStore {
    /// The default capacity: 100 000 live families.
    pub const DEFAULT_CAPACITY: usize = 100_000;

    /// A store for at most `capacity` live families (at least 16).
    #[must_use]
    pub fn new(capacity: usize) -> Self {
        Self::starting_at(capacity, SystemClock.now())
    }

    /// A store that refuses tokens issued before `created_at`. The configuration's clock
    /// decides "now" for every other purpose; tests with a clock of their own use this.
    #[must_use]
    pub fn starting_at(capacity: usize, created_at: Timestamp) -> Self {
        let capacity = capacity.max(16);
        let floors = Arc::new(Floors::default());
        floors
            .family
            .store(created_at.as_millis(), Ordering::Relaxed);
        floors.now.store(created_at.as_millis(), Ordering::Relaxed);

        // Subject revocations are rarer than logins; a quarter of the families' room is
        // plenty, and running out only logs more people out, never fewer.
        let subject_capacity = (capacity / 4).max(16);
        let families = Cache::with(
            capacity,
            capacity as u64,
            UnitWeighter,
            DefaultHashBuilder::default(),
            FamilyEvictions(floors.clone()),
        );
        let subjects = Cache::with(
            subject_capacity,
            subject_capacity as u64,
            UnitWeighter,
            DefaultHashBuilder::default(),
            SubjectEvictions(floors.clone()),
        );
        Self {
            families,
            subjects,
            floors,
            adopt_foreign: true,
        }
    }

    /// Refuses every family this store did not begin itself, instead of adopting tokens
    /// made by another process with the same key.
    #[must_use]
    pub fn refuse_foreign_families(mut self) -> Self {
        self.adopt_foreign = false;
        self
    }

    /// The store's counters.
    #[must_use]
    pub fn stats(&self) -> MemoryStoreStats {
        MemoryStoreStats {
            families: self.families.len(),
            capacity: self.families.capacity(),
            live_families_evicted: self.floors.live_families_evicted.load(Ordering::Relaxed),
            expired_families_evicted: self.floors.expired_families_evicted.load(Ordering::Relaxed),
            subject_revocations_evicted: self
                .floors
                .subject_revocations_evicted
                .load(Ordering::Relaxed),
        }
    }

    fn observe(&self, now: Timestamp) {
        self.floors
            .now
            .fetch_max(now.as_millis(), Ordering::Relaxed);
    }

    fn subject_revoked(&self, presented: &Presented<'_>) -> bool {
        let floor = self.floors.subject.load(Ordering::Relaxed);
        if presented.authenticated_at.as_millis() <= floor {
            return true;
        }
        let Some(subject) = presented.subject else {
            return false;
        };
        self.subjects
            .get(subject)
            .is_some_and(|revocation| presented.authenticated_at <= revocation.before)
    }

    fn check_now(&self, presented: &Presented<'_>, rules: &CheckRules) -> Verdict {
        self.observe(rules.now);
        if self.subject_revoked(presented) {
            return Verdict::Revoked;
        }

        let adopt_foreign = self.adopt_foreign;
        let outcome = self.families.entry(&presented.family, None, |_, record| {
            if record.revoked {
                return EntryAction::Retain(Verdict::Revoked);
            }
            if presented.generation > record.generation && adopt_foreign {
                // Another process with the same key moved the family on.
                record.generation = presented.generation;
                record.rotated_at = rules.now;
            }

            let (verdict, latest) = decide(
                record.generation,
                record.rotated_at,
                presented.generation,
                rules,
            );
            match verdict {
                Verdict::Replayed => record.revoked = true,
                Verdict::Current { rotated: true, .. } => {
                    record.generation = latest;
                    record.rotated_at = rules.now;
                }
                _ => {}
            }
            EntryAction::Retain(verdict)
        });

        match outcome {
            EntryResult::Retained(verdict) => verdict,
            EntryResult::Vacant(guard) => {
                let floor = Timestamp::from_millis(self.floors.family.load(Ordering::Relaxed));
                if !self.adopt_foreign || presented.issued_at <= floor {
                    return Verdict::Unknown;
                }
                let mut record = FamilyRecord {
                    generation: presented.generation,
                    rotated_at: rules.now,
                    expires_at_secs: seconds(rules.family_expires_at),
                    revoked: false,
                };
                let (verdict, latest) = decide(
                    record.generation,
                    record.rotated_at,
                    presented.generation,
                    rules,
                );
                record.generation = latest;
                let _ = guard.insert(record);
                verdict
            }
            // `entry` only returns these for actions this closure never takes.
            EntryResult::Removed(..) | EntryResult::Replaced(..) | EntryResult::Timeout => {
                Verdict::Unknown
            }
        }
    }

    fn begin_now(&self, family: FamilyId, now: Timestamp, expires_at: Timestamp) {
        self.observe(now);
        let record = FamilyRecord {
            generation: 0,
            rotated_at: now,
            expires_at_secs: seconds(expires_at),
            revoked: false,
        };
        self.families.insert(family, record);
    }

    fn revoke_family_now(&self, family: FamilyId, now: Timestamp, expires_at: Timestamp) {
        self.observe(now);
        let record = FamilyRecord {
            generation: u64::MAX,
            rotated_at: now,
            expires_at_secs: seconds(expires_at),
            revoked: true,
        };
        self.families.insert(family, record);
    }

    fn revoke_subject_now(&self, subject: &str, now: Timestamp, expires_at: Timestamp) {
        self.observe(now);

        // A revocation only ever widens: an instance with a slower clock, or a late call,
        // must not shorten one already recorded.
        let outcome = self.subjects.entry(subject, None, |_, revocation| {
            revocation.before = revocation.before.max(now);
            revocation.expires_at = revocation.expires_at.max(expires_at);
            EntryAction::Retain(())
        });
        if let EntryResult::Vacant(guard) = outcome {
            let _ = guard.insert(SubjectRevocation {
                before: now,
                expires_at,
            });
        }
    }
}

impl Default for MemoryStore {
    fn default() -> Self {
        Self::new(Self::DEFAULT_CAPACITY)
    }
}

impl std::fmt::Debug for MemoryStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemoryStore")
            .field("stats", &self.stats())
            .finish_non_exhaustive()
    }
}

impl SessionStore for MemoryStore {
    fn begin(
        &self,
        family: FamilyId,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> BoxFuture<'_, Result<(), StoreError>> {
        self.begin_now(family, now, expires_at);
        Box::pin(std::future::ready(Ok(())))
    }

    fn check<'a>(
        &'a self,
        presented: Presented<'a>,
        rules: CheckRules,
    ) -> BoxFuture<'a, Result<Verdict, StoreError>> {
        let verdict = self.check_now(&presented, &rules);
        Box::pin(std::future::ready(Ok(verdict)))
    }

    fn revoke_family(
        &self,
        family: FamilyId,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> BoxFuture<'_, Result<(), StoreError>> {
        self.revoke_family_now(family, now, expires_at);
        Box::pin(std::future::ready(Ok(())))
    }

    fn revoke_subject<'a>(
        &'a self,
        subject: &'a str,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        self.revoke_subject_now(subject, now, expires_at);
        Box::pin(std::future::ready(Ok(())))
    }
}
