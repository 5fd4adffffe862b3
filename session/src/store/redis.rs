//! The Redis store: family records shared by every app instance that points at one Redis
//! (or Valkey) server.

use std::fmt;
use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use ::redis::aio::{ConnectionManager, ConnectionManagerConfig};
use ::redis::{Client, RedisError, RedisResult, Script};

use super::{BoxFuture, CheckRules, FamilyId, Presented, SessionStore, StoreError, Verdict};
use crate::time::Timestamp;

/// Checks one presented token against its subject's revocation and its family, and advances
/// the family when the token is current: the same decision as [`super::decide`], in one
/// atomic step on the server.
///
/// Times are the caller's (its clock decides "now", as for every store), never the
/// server's. Generations stay below 2^53, so Lua's numbers hold them exactly.
const CHECK_SCRIPT: &str = r"
-- KEYS[1]: the family, '<generation>:<rotated at>' or 'revoked'.
-- KEYS[2], when the session has a subject: the time at or before which the subject's
--   logins are revoked, in the family's bucket.
-- ARGV: presented generation, authenticated at, now, grace period, rotate ('1' or '0'),
--   milliseconds the family may still live.
-- Returns {verdict, generation}, the verdict coded as the VERDICT_* constants in redis.rs.
local presented = tonumber(ARGV[1])

if KEYS[2] then
  local revoked_before = redis.call('GET', KEYS[2])
  if revoked_before and tonumber(ARGV[2]) <= tonumber(revoked_before) then
    return {4, 0}
  end
end

local record = redis.call('GET', KEYS[1])
if not record then
  return {5, 0}
end
if record == 'revoked' then
  return {4, 0}
end
local current, rotated_at = string.match(record, '^(%d+):(%d+)$')
if not current then
  return {5, 0}
end
current = tonumber(current)

if presented == current then
  if ARGV[5] == '1' then
    local next = current + 1
    redis.call('SET', KEYS[1], string.format('%d:%s', next, ARGV[3]), 'PX', ARGV[6])
    return {1, next}
  end
  return {0, current}
end

if presented > current then
  return {5, current}
end

local within_grace = tonumber(ARGV[3]) <= tonumber(rotated_at) + tonumber(ARGV[4])
if presented + 1 == current and within_grace then
  return {2, current}
end

redis.call('SET', KEYS[1], 'revoked', 'PX', ARGV[6])
return {3, current}
";

/// Records a subject's revocation in one bucket. It never moves the time back nor shortens
/// the expiry, so that revocations from instances whose clocks differ never undo each other.
const REVOKE_SUBJECT_SCRIPT: &str = r"
-- KEYS[1]: the subject's revocation in one bucket.
-- ARGV: revoke logins at or before this time, milliseconds the revocation must live.
local revoked_before = ARGV[1]
local recorded = redis.call('GET', KEYS[1])
if recorded and tonumber(recorded) > tonumber(revoked_before) then
  revoked_before = recorded
end

local lifetime = tonumber(ARGV[2])
local remaining = redis.call('PTTL', KEYS[1])
if remaining > lifetime then
  lifetime = remaining
end
redis.call('SET', KEYS[1], revoked_before, 'PX', lifetime)
return 1
";

const VERDICT_CURRENT_KEPT: u8 = 0;
const VERDICT_CURRENT_ROTATED: u8 = 1;
const VERDICT_GRACE: u8 = 2;
const VERDICT_REPLAYED: u8 = 3;
const VERDICT_REVOKED: u8 = 4;
const VERDICT_UNKNOWN: u8 = 5;

/// The family record of a revoked family.
const REVOKED: &str = "revoked";

/// Lua numbers are doubles: a generation past this could not be compared exactly.
const MAX_EXACT_GENERATION: u64 = 1 << 53;

/// Families are spread over this many Redis Cluster hash tags; see [`RedisStore`].
const BUCKETS: u8 = 16;

/// Timeouts in a row after which the connection is replaced: a server that vanished
/// without closing the connection (a network partition) never makes it fail by itself.
const TIMEOUTS_BEFORE_NEW_CONNECTION: u32 = 3;

/// The family state of every live session, in Redis or Valkey, shared by every app
/// instance (and every federated app) that points at the same server and key prefix, so
/// that a token spent on one instance is spent on all.
///
/// # Using it
///
/// Connect once at start-up and give the store to the configuration. The URL is the
/// client's usual one: `redis://[user:password@]host[:port][/db]`, or
/// `redis+unix:///path/to/socket`. Valkey is addressed the same way.
///
/// ```no_run
/// use std::time::Duration;
///
/// use paseto_session::store::RedisStore;
/// use paseto_session::{Key, Keyring, SessionConfig};
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let store = RedisStore::builder("redis://127.0.0.1:6379/0")
///     .prefix("shop:session:")
///     .timeout(Duration::from_millis(250))
///     .connect()
///     .await?;
/// let config = SessionConfig::new(Keyring::new(Key::generate()?)).store(store);
/// # Ok(())
/// # }
/// ```
///
/// # What it stores
///
/// No session data: that lives in the cookie. One small string per family, holding its
/// latest generation and when it was rotated, or the word `revoked`, under
/// `<prefix>{<bucket>}:family:<family id>`; and for each "log out everywhere", the time
/// before which the subject's logins are revoked, under `<prefix>{<bucket>}:subject:<subject>`
/// in each of the 16 buckets. Every key expires by itself at the family's absolute
/// timeout (or, for a subject, when the last session it revoked would have expired), so
/// Redis memory follows the live sessions. Measured on Redis 7.0 with the default prefix,
/// a live session costs 136 bytes as `MEMORY USAGE` counts its key, and about 200 bytes of
/// the server's `used_memory` once the expiry table is counted; a "log out everywhere"
/// costs 16 keys of about 90 bytes each, until the sessions it revoked would have expired.
///
/// # Requests
///
/// Each request makes one round trip: a Lua script, loaded once and then called by its
/// hash, checks the subject's revocation, checks the family, decides as every store does,
/// and rotates or revokes the family. Logins, logouts and "log out everywhere" are one
/// round trip each too.
///
/// A family Redis has no record of is refused ([`Verdict::Unknown`]): every family an
/// instance begins is written to Redis, so a missing record means the family expired,
/// was never begun, or was lost with the server's data, and the store cannot vouch for it.
/// A Redis restart without persistence therefore logs everyone out, and a token spent
/// before it can never be replayed after it.
///
/// # Redis Cluster
///
/// A family's check reads two keys, its own and its subject's revocation, so both must
/// hash to one slot. The store cannot name the family's key after its subject (a logout
/// knows only the family), so it spreads families over 16 buckets by their random id,
/// uses the bucket as the hash tag, and writes a subject's revocation into every bucket.
/// One family's keys therefore share a slot, families spread over 16 slots, and a "log
/// out everywhere" costs 16 small writes in one round trip. This store talks to one
/// server (a standalone Redis or Valkey, or a primary); the key layout is ready for a
/// Cluster, but connecting to one is not supported yet.
///
/// # Outages
///
/// Every call is bounded by the timeout ([`RedisStore::DEFAULT_TIMEOUT`] unless set):
/// when Redis is unreachable, refuses, or does not answer in time, that request has no
/// session and gets a 503 with a short body; no request waits longer. The first failure
/// is logged at error, with the reason but never a key, token or cookie; further failures
/// of the same outage are logged at debug, and the recovery at info. The connection
/// reconnects by itself, and is replaced after three timeouts in a row in case the
/// server vanished without closing it, so sessions work again as soon as Redis answers,
/// without a restart.
///
/// A check that timed out may still reach the server later and rotate the family without
/// the browser ever getting the new token. Its cookie is then one generation behind:
/// accepted within the grace period, a replay after it. Such a user is logged out, never
/// let in unchecked.
pub struct RedisStore {
    client: Client,
    manager_config: ConnectionManagerConfig,
    connection: Mutex<ConnectionManager>,
    keys: KeyNames,
    timeout: Duration,
    check_script: Script,
    revoke_subject_script: Script,
    health: Health,
}

impl RedisStore {
    /// The key prefix unless [`RedisStoreBuilder::prefix`] sets another.
    pub const DEFAULT_PREFIX: &'static str = "paseto-session:";

    /// The longest a request waits for Redis unless [`RedisStoreBuilder::timeout`] sets
    /// another: 500 ms. A healthy server answers the check in well under a millisecond on
    /// a local network and in a few milliseconds across zones, so 500 ms only cuts off a
    /// server that is down, overloaded or partitioned, and a user waits half a second for
    /// the 503 rather than hanging until a proxy gives up.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_millis(500);

    /// Connects with the default prefix and timeout.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use paseto_session::store::RedisStore;
    ///
    /// # async fn run() -> Result<(), paseto_session::store::StoreError> {
    /// let store = RedisStore::connect("redis://127.0.0.1:6379").await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// [`StoreError`] when the URL is invalid, or the server cannot be reached, refuses
    /// the credentials or does not answer within the timeout.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        Self::builder(url).connect().await
    }

    /// Starts a store with settings of its own; [`RedisStoreBuilder::connect`] connects.
    /// A malformed URL is reported by `connect`.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use std::time::Duration;
    ///
    /// use paseto_session::store::RedisStore;
    ///
    /// # async fn run() -> Result<(), paseto_session::store::StoreError> {
    /// let store = RedisStore::builder("redis://:secret@cache.internal:6379/2")
    ///     .prefix("billing:session:")
    ///     .timeout(Duration::from_millis(200))
    ///     .connect()
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    #[must_use]
    pub fn builder(url: &str) -> RedisStoreBuilder {
        RedisStoreBuilder {
            client: Client::open(url),
            prefix: Self::DEFAULT_PREFIX.to_owned(),
            timeout: Self::DEFAULT_TIMEOUT,
        }
    }

    /// The prefix of every key this store writes.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), paseto_session::store::StoreError> {
    /// let store = paseto_session::store::RedisStore::connect("redis://127.0.0.1").await?;
    /// assert_eq!(store.prefix(), "paseto-session:");
    /// # Ok(())
    /// # }
    /// ```
    #[must_use]
    pub fn prefix(&self) -> &str {
        &self.keys.prefix
    }

    /// The longest a request waits for Redis.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use paseto_session::store::RedisStore;
    ///
    /// # async fn run() -> Result<(), paseto_session::store::StoreError> {
    /// let store = RedisStore::connect("redis://127.0.0.1").await?;
    /// assert_eq!(store.timeout(), RedisStore::DEFAULT_TIMEOUT);
    /// # Ok(())
    /// # }
    /// ```
    #[must_use]
    pub const fn timeout(&self) -> Duration {
        self.timeout
    }

    fn connection(&self) -> ConnectionManager {
        self.connection
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Runs one request to Redis, bounded by the timeout, and keeps track of outages.
    async fn bounded<T>(
        &self,
        request: impl Future<Output = RedisResult<T>>,
    ) -> Result<T, StoreError> {
        let reason = match tokio::time::timeout(self.timeout, request).await {
            Ok(Ok(reply)) => {
                self.health.answered(&self.client);
                return Ok(reply);
            }
            Ok(Err(error)) if !error.is_timeout() => {
                self.health.timeouts_in_a_row.store(0, Ordering::Relaxed);
                describe(&error)
            }
            // The client's own response timeout, or ours.
            Ok(Err(_)) | Err(_) => {
                self.timed_out();
                format!("no answer within {} ms", self.timeout.as_millis())
            }
        };

        self.health.failed(&self.client, &reason);
        Err(StoreError::new(format!("redis: {reason}")))
    }

    fn timed_out(&self) {
        let in_a_row = self
            .health
            .timeouts_in_a_row
            .fetch_add(1, Ordering::Relaxed)
            + 1;
        if in_a_row < TIMEOUTS_BEFORE_NEW_CONNECTION {
            return;
        }

        // The old connection may be waiting on a server that is gone without a word; a
        // new one connects afresh, lazily, on the next request.
        self.health.timeouts_in_a_row.store(0, Ordering::Relaxed);
        let fresh = ConnectionManager::new_lazy_with_config(
            self.client.clone(),
            self.manager_config.clone(),
        );
        if let Ok(fresh) = fresh {
            *self
                .connection
                .lock()
                .unwrap_or_else(PoisonError::into_inner) = fresh;
        }
    }

    async fn begin_now(
        &self,
        family: FamilyId,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<(), StoreError> {
        let record = format!("0:{}", now.as_millis());
        let mut command = ::redis::cmd("SET");
        command
            .arg(self.keys.family(family))
            .arg(record)
            .arg("PX")
            .arg(lifetime(now, expires_at));

        let mut connection = self.connection();
        self.bounded(command.exec_async(&mut connection)).await
    }

    async fn check_now(
        &self,
        presented: Presented<'_>,
        rules: CheckRules,
    ) -> Result<Verdict, StoreError> {
        if presented.generation > MAX_EXACT_GENERATION {
            return Ok(Verdict::Unknown);
        }

        let mut invocation = self.check_script.key(self.keys.family(presented.family));
        if let Some(subject) = presented.subject {
            invocation.key(self.keys.subject(bucket(presented.family), subject));
        }
        let grace_millis = u64::try_from(rules.grace_period.as_millis()).unwrap_or(u64::MAX);
        invocation
            .arg(presented.generation)
            .arg(presented.authenticated_at.as_millis())
            .arg(rules.now.as_millis())
            .arg(grace_millis)
            .arg(if rules.rotate { "1" } else { "0" })
            .arg(lifetime(rules.now, rules.family_expires_at));

        let mut connection = self.connection();
        let (code, generation): (u8, u64) = self
            .bounded(invocation.invoke_async(&mut connection))
            .await?;
        verdict(code, generation)
    }

    async fn revoke_family_now(
        &self,
        family: FamilyId,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<(), StoreError> {
        // A shorter expiry than the family's own would do no harm: once the key is gone,
        // the family is unknown, which is refused as well.
        let mut command = ::redis::cmd("SET");
        command
            .arg(self.keys.family(family))
            .arg(REVOKED)
            .arg("PX")
            .arg(lifetime(now, expires_at));

        let mut connection = self.connection();
        self.bounded(command.exec_async(&mut connection)).await
    }

    async fn revoke_subject_now(
        &self,
        subject: &str,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<(), StoreError> {
        // One write per bucket, so that every family's check finds the revocation in its
        // own slot. The pipeline loads the script first, so a server that lost its script
        // cache (a restart) still runs it.
        let mut pipeline = ::redis::pipe();
        pipeline
            .cmd("SCRIPT")
            .arg("LOAD")
            .arg(REVOKE_SUBJECT_SCRIPT)
            .ignore();
        for bucket in 0..BUCKETS {
            pipeline
                .cmd("EVALSHA")
                .arg(self.revoke_subject_script.get_hash())
                .arg(1)
                .arg(self.keys.subject(bucket, subject))
                .arg(now.as_millis())
                .arg(lifetime(now, expires_at))
                .ignore();
        }

        let mut connection = self.connection();
        self.bounded(pipeline.exec_async(&mut connection)).await
    }
}

/// Milliseconds from `now` until `expires_at`, at least 1 (Redis refuses an expiry of 0).
fn lifetime(now: Timestamp, expires_at: Timestamp) -> u64 {
    expires_at
        .as_millis()
        .saturating_sub(now.as_millis())
        .max(1)
}

fn bucket(family: FamilyId) -> u8 {
    family.as_bytes()[0] % BUCKETS
}

fn verdict(code: u8, generation: u64) -> Result<Verdict, StoreError> {
    let verdict = match code {
        VERDICT_CURRENT_KEPT => Verdict::Current {
            generation,
            rotated: false,
        },
        VERDICT_CURRENT_ROTATED => Verdict::Current {
            generation,
            rotated: true,
        },
        VERDICT_GRACE => Verdict::Grace { generation },
        VERDICT_REPLAYED => Verdict::Replayed,
        VERDICT_REVOKED => Verdict::Revoked,
        VERDICT_UNKNOWN => Verdict::Unknown,
        _ => {
            return Err(StoreError::new(
                "redis: unexpected reply from the check script",
            ));
        }
    };
    Ok(verdict)
}

/// A short reason for a failed request. Built from the error's kind only: a server's
/// message could quote a key, which holds a subject.
fn describe(error: &RedisError) -> String {
    if error.is_timeout() {
        return "timed out".to_owned();
    }
    if error.is_connection_refusal() {
        return "connection refused".to_owned();
    }
    if error.is_connection_dropped() {
        return "connection dropped".to_owned();
    }
    if error.is_io_error() {
        return "connection failed".to_owned();
    }
    match error.code() {
        Some(code) => format!("server answered {code}"),
        None => format!("{:?} error", error.kind()).to_lowercase(),
    }
}

/// The key names, all under one prefix.
struct KeyNames {
    prefix: String,
}

impl KeyNames {
    /// `<prefix>{<bucket>}:family:<family id in hex>`.
    fn family(&self, family: FamilyId) -> Vec<u8> {
        let mut key = self.start(bucket(family), "family");
        family.write_hex(&mut key);
        key
    }

    /// `<prefix>{<bucket>}:subject:<subject>`.
    fn subject(&self, bucket: u8, subject: &str) -> Vec<u8> {
        let mut key = self.start(bucket, "subject");
        key.extend_from_slice(subject.as_bytes());
        key
    }

    /// The prefix and the hash tag. Whatever braces the prefix holds, two keys of one
    /// bucket start with the same bytes up to and including `{<bucket>}`, and Redis takes
    /// the hash tag from within those bytes, so they share a slot.
    fn start(&self, bucket: u8, kind: &str) -> Vec<u8> {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut key = Vec::with_capacity(self.prefix.len() + kind.len() + 40);
        key.extend_from_slice(self.prefix.as_bytes());
        key.extend_from_slice(&[b'{', DIGITS[usize::from(bucket % 16)], b'}', b':']);
        key.extend_from_slice(kind.as_bytes());
        key.push(b':');
        key
    }
}

/// Whether Redis is answering, so that an outage is logged once, not once per request.
#[derive(Default)]
struct Health {
    down: AtomicBool,
    timeouts_in_a_row: AtomicU32,
}

impl Health {
    fn answered(&self, client: &Client) {
        self.timeouts_in_a_row.store(0, Ordering::Relaxed);
        if self.down.swap(false, Ordering::AcqRel) {
            tracing::info!(
                target: "paseto_session",
                redis = %client.get_connection_info().addr(),
                "redis session store answers again: sessions are checked again"
            );
        }
    }

    fn failed(&self, client: &Client, reason: &str) {
        if self.down.swap(true, Ordering::AcqRel) {
            tracing::debug!(target: "paseto_session", reason, "redis session store still unavailable");
            return;
        }
        tracing::error!(
            target: "paseto_session",
            redis = %client.get_connection_info().addr(),
            reason,
            "redis session store unavailable: requests with a session get 503 until it answers"
        );
    }
}

/// Shows where the store points without the URL's credentials.
impl fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let info = self.client.get_connection_info();
        f.debug_struct("RedisStore")
            .field("address", &info.addr().to_string())
            .field("db", &info.redis_settings().db())
            .field("prefix", &self.keys.prefix)
            .field("timeout", &self.timeout)
            .field("down", &self.health.down.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

impl SessionStore for RedisStore {
    fn begin(
        &self,
        family: FamilyId,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> BoxFuture<'_, Result<(), StoreError>> {
        Box::pin(self.begin_now(family, now, expires_at))
    }

    fn check<'a>(
        &'a self,
        presented: Presented<'a>,
        rules: CheckRules,
    ) -> BoxFuture<'a, Result<Verdict, StoreError>> {
        Box::pin(self.check_now(presented, rules))
    }

    fn revoke_family(
        &self,
        family: FamilyId,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> BoxFuture<'_, Result<(), StoreError>> {
        Box::pin(self.revoke_family_now(family, now, expires_at))
    }

    fn revoke_subject<'a>(
        &'a self,
        subject: &'a str,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(self.revoke_subject_now(subject, now, expires_at))
    }
}

/// Settings of a [`RedisStore`] before it connects; made by [`RedisStore::builder`].
pub struct RedisStoreBuilder {
    client: RedisResult<Client>,
    prefix: String,
    timeout: Duration,
}

impl RedisStoreBuilder {
    /// The prefix of every key the store writes, [`RedisStore::DEFAULT_PREFIX`] unless
    /// set. Apps that share sessions must use the same prefix; apps that do not, and
    /// share a server, must not.
    ///
    /// # Examples
    ///
    /// ```
    /// let builder = paseto_session::store::RedisStore::builder("redis://127.0.0.1")
    ///     .prefix("shop:session:");
    /// ```
    #[must_use]
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// The longest a request waits for Redis, [`RedisStore::DEFAULT_TIMEOUT`] unless set;
    /// at least 1 ms. It bounds each call, connecting included.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let builder = paseto_session::store::RedisStore::builder("redis://127.0.0.1")
    ///     .timeout(Duration::from_millis(200));
    /// ```
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout.max(Duration::from_millis(1));
        self
    }

    /// Connects, and loads the check script so that the first request finds it.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), paseto_session::store::StoreError> {
    /// let store = paseto_session::store::RedisStore::builder("redis://127.0.0.1")
    ///     .prefix("shop:session:")
    ///     .connect()
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// [`StoreError`] when the URL is invalid, or the server cannot be reached, refuses
    /// the credentials or does not answer within the timeout.
    pub async fn connect(self) -> Result<RedisStore, StoreError> {
        let client = self
            .client
            .map_err(|_| StoreError::new("invalid redis url"))?;

        // Reconnection waits at most a second between attempts, so that sessions work
        // again soon after the server does.
        let manager_config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(self.timeout))
            .set_response_timeout(Some(self.timeout))
            .set_max_delay(Duration::from_secs(1));
        let store = RedisStore {
            connection: Mutex::new(
                ConnectionManager::new_lazy_with_config(client.clone(), manager_config.clone())
                    .map_err(|error| StoreError::new(format!("redis: {}", describe(&error))))?,
            ),
            client,
            manager_config,
            keys: KeyNames {
                prefix: self.prefix,
            },
            timeout: self.timeout,
            check_script: Script::new(CHECK_SCRIPT),
            revoke_subject_script: Script::new(REVOKE_SUBJECT_SCRIPT),
            health: Health::default(),
        };

        let mut connection = store.connection();
        store
            .bounded(store.check_script.load_async(&mut connection))
            .await?;
        Ok(store)
    }
}

/// Shows the settings without the URL's credentials.
impl fmt::Debug for RedisStoreBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let address = match &self.client {
            Ok(client) => client.get_connection_info().addr().to_string(),
            Err(_) => "invalid url".to_owned(),
        };
        f.debug_struct("RedisStoreBuilder")
            .field("address", &address)
            .field("prefix", &self.prefix)
            .field("timeout", &self.timeout)
            .finish()
    }
}
