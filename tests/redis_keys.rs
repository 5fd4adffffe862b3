//! What the Redis store leaves in Redis: key names, expiries, and memory per live session.
//! These tests need the shared server named by `REDIS_URL`; each uses a key prefix of its
//! own.

// Clippy allows `unwrap` and printing only in code under `cfg(test)`; the helpers
// below are test code too.
#![cfg(test)]

mod redis_support;
mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::http::StatusCode;
use paseto_session::store::{CheckRules, FamilyId, Presented, RedisStore, SessionStore, Verdict};
use paseto_session::{Clock, Key, Keyring, SessionConfig, SessionLayer, SystemClock, Timestamp};
use redis_support::{Cleanup, keys_under, raw_connection, redis_url, unique_prefix};
use support::get as get_with;

fn later(time: Timestamp, by: Duration) -> Timestamp {
    Timestamp::from_millis(time.as_millis() + u64::try_from(by.as_millis()).unwrap())
}

fn rules(now: Timestamp, family_expires_at: Timestamp) -> CheckRules {
    CheckRules {
        now,
        grace_period: Duration::from_secs(1),
        rotate: true,
        family_expires_at,
    }
}

fn presented(family: FamilyId, generation: u64, subject: &str, at: Timestamp) -> Presented<'_> {
    Presented {
        family,
        generation,
        subject: Some(subject),
        authenticated_at: at,
        issued_at: at,
    }
}

/// The text between the first `{` and the first `}` after it: what Redis Cluster hashes.
fn hash_tag(key: &str) -> &str {
    let open = key.find('{').unwrap();
    let close = open + key[open..].find('}').unwrap();
    &key[open + 1..close]
}

async fn milliseconds_to_live(url: &str, key: &str) -> i64 {
    let mut connection = raw_connection(url).await;
    redis::cmd("PTTL")
        .arg(key)
        .query_async(&mut connection)
        .await
        .unwrap()
}

#[tokio::test]
#[ignore = "needs Redis: run with REDIS_URL set, as .ci/run does"]
async fn keys_share_a_slot_per_family_and_expire_with_the_family() {
    let url = redis_url();
    let prefix = unique_prefix();
    let _cleanup = Cleanup {
        url: url.clone(),
        prefix: prefix.clone(),
    };
    let store = redis_support::store(&prefix).await;
    let now = Timestamp::from_millis(1_796_316_000_000);
    let family_expires_at = later(now, Duration::from_secs(3600));

    let family = FamilyId::random().unwrap();
    store.begin(family, now, family_expires_at).await.unwrap();
    let family_key = format!(
        "{prefix}{{{:x}}}:family:{family}",
        family.as_bytes()[0] % 16
    );
    assert_eq!(
        keys_under(&url, &prefix).await,
        std::slice::from_ref(&family_key)
    );
    let ttl = milliseconds_to_live(&url, &family_key).await;
    assert!((3_599_000..=3_600_000).contains(&ttl), "{ttl} ms");

    // A rotation half an hour later keeps the family's absolute expiry.
    let half_hour_later = later(now, Duration::from_secs(1800));
    let verdict = store
        .check(
            presented(family, 0, "alice", now),
            rules(half_hour_later, family_expires_at),
        )
        .await
        .unwrap();
    assert_eq!(
        verdict,
        Verdict::Current {
            generation: 1,
            rotated: true
        }
    );
    let ttl = milliseconds_to_live(&url, &family_key).await;
    assert!((1_799_000..=1_800_000).contains(&ttl), "{ttl} ms");

    // A subject's revocation is written into each of the 16 buckets, so the family's own
    // bucket holds one in the family's slot.
    store
        .revoke_subject("alice", now, family_expires_at)
        .await
        .unwrap();
    let mut subject_keys: Vec<String> = keys_under(&url, &prefix)
        .await
        .into_iter()
        .filter(|key| key != &family_key)
        .collect();
    subject_keys.sort();
    assert_eq!(subject_keys.len(), 16, "{subject_keys:?}");
    let tags: Vec<&str> = subject_keys.iter().map(|key| hash_tag(key)).collect();
    let all_tags: Vec<String> = (0..16).map(|bucket| format!("{bucket:x}")).collect();
    assert_eq!(tags, all_tags);
    assert!(
        subject_keys
            .iter()
            .all(|key| key.ends_with(":subject:alice"))
    );
    assert!(
        subject_keys
            .iter()
            .any(|key| hash_tag(key) == hash_tag(&family_key))
    );
    for key in &subject_keys {
        let ttl = milliseconds_to_live(&url, key).await;
        assert!((3_599_000..=3_600_000).contains(&ttl), "{key}: {ttl} ms");
    }
}

#[tokio::test]
#[ignore = "needs Redis: run with REDIS_URL set, as .ci/run does"]
async fn a_subject_revocation_never_moves_back_nor_expires_sooner() {
    let url = redis_url();
    let prefix = unique_prefix();
    let _cleanup = Cleanup {
        url: url.clone(),
        prefix: prefix.clone(),
    };
    let store = redis_support::store(&prefix).await;
    let now = Timestamp::from_millis(1_796_316_000_000);
    let hour = Duration::from_secs(3600);

    // Another instance, whose clock is a minute behind, revokes the subject just after.
    store
        .revoke_subject("alice", now, later(now, hour))
        .await
        .unwrap();
    let behind = Timestamp::from_millis(now.as_millis() - 60_000);
    store
        .revoke_subject("alice", behind, later(behind, Duration::from_secs(60)))
        .await
        .unwrap();

    let family = FamilyId::random().unwrap();
    let logged_in = Timestamp::from_millis(now.as_millis() - 1);
    store
        .begin(family, logged_in, later(now, hour))
        .await
        .unwrap();
    let verdict = store
        .check(
            presented(family, 0, "alice", logged_in),
            rules(now, later(now, hour)),
        )
        .await
        .unwrap();
    assert_eq!(
        verdict,
        Verdict::Revoked,
        "the earlier revocation time did not win"
    );

    for key in keys_under(&url, &prefix)
        .await
        .iter()
        .filter(|key| key.contains(":subject:"))
    {
        let ttl = milliseconds_to_live(&url, key).await;
        assert!(ttl > 3_500_000, "{key}: {ttl} ms");
    }
}

use support::members::{COOKIE, Member, routes};

/// An app on the system clock whose sessions live two seconds at most.
fn short_lived_app(store: Arc<dyn SessionStore>) -> Router {
    let config = SessionConfig::new(Keyring::new(Key::generate().unwrap()))
        .shared_store(store)
        .grace_period(Duration::from_secs(1))
        .idle_timeout(Duration::from_secs(2))
        .absolute_timeout(Duration::from_secs(2))
        .leeway(Duration::from_millis(500));
    routes().layer(SessionLayer::<Member>::new(config).unwrap())
}

/// Starts, rotates and ends sessions through the layer; `end_everywhere` picks which
/// ones log out everywhere instead of once.
async fn run_sessions_through_the_layer(app: &Router, count: u64) {
    for id in 0..count {
        let reply = get_with(app, &format!("/login/{id}"), None).await;
        let token = reply.cookie(COOKIE).unwrap();
        let reply = get_with(app, "/me", Some((COOKIE, &token))).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        let token = reply.cookie(COOKIE).unwrap();

        let exit = if id % 20 == 0 {
            "/logout-everywhere"
        } else {
            "/logout"
        };
        let reply = get_with(app, exit, Some((COOKIE, &token))).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    }
}

async fn used_memory(url: &str) -> i64 {
    let mut connection = raw_connection(url).await;
    let info: String = redis::cmd("INFO")
        .arg("memory")
        .query_async(&mut connection)
        .await
        .unwrap();
    let line = info
        .lines()
        .find(|line| line.starts_with("used_memory:"))
        .unwrap();
    line["used_memory:".len()..].trim().parse().unwrap()
}

/// `MEMORY USAGE` of each key, with every field counted.
async fn memory_usage(url: &str, keys: &[String]) -> Vec<i64> {
    let mut connection = raw_connection(url).await;
    let mut pipeline = redis::pipe();
    for key in keys {
        pipeline
            .cmd("MEMORY")
            .arg("USAGE")
            .arg(key)
            .arg("SAMPLES")
            .arg(0);
    }
    let sizes: Vec<Option<i64>> = pipeline.query_async(&mut connection).await.unwrap();
    sizes.into_iter().flatten().collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Redis: run with REDIS_URL set, as .ci/run does"]
async fn thousands_of_sessions_leave_no_key_behind_once_their_timeouts_pass() {
    const SESSIONS: usize = 3_000;
    const LIFETIME: Duration = Duration::from_secs(5);
    let url = redis_url();
    let prefix = unique_prefix();
    let _cleanup = Cleanup {
        url: url.clone(),
        prefix: prefix.clone(),
    };
    let store: Arc<RedisStore> = Arc::new(redis_support::store(&prefix).await);
    let memory_before = used_memory(&url).await;

    // Through the store: thousands of logins, each rotated twice, on eight tasks at once.
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for worker in 0..8 {
        let store = store.clone();
        tasks.spawn(async move {
            let mut families = Vec::new();
            for index in (worker..SESSIONS).step_by(8) {
                let now = SystemClock.now();
                let expires_at = later(now, LIFETIME);
                let family = FamilyId::random().unwrap();
                let subject = format!("user-{}", index % 500);
                store.begin(family, now, expires_at).await.unwrap();
                for generation in 0..2 {
                    let presented = presented(family, generation, &subject, now);
                    let verdict = store
                        .check(presented, rules(now, expires_at))
                        .await
                        .unwrap();
                    assert_eq!(
                        verdict,
                        Verdict::Current {
                            generation: generation + 1,
                            rotated: true
                        }
                    );
                }
                families.push((family, subject, now));
            }
            families
        });
    }
    let mut families = Vec::new();
    while let Some(done) = tasks.join_next().await {
        families.extend(done.unwrap());
    }
    let writing_took = started.elapsed();

    // Every one of them is a live session now: measure before any expires.
    let live_keys = keys_under(&url, &prefix).await;
    let memory_after = used_memory(&url).await;
    let sizes = memory_usage(&url, &live_keys).await;
    assert!(
        started.elapsed() < LIFETIME,
        "too slow to measure: {:?}",
        started.elapsed()
    );
    assert_eq!(
        live_keys.len(),
        SESSIONS,
        "one key per live family, and nothing else"
    );
    assert_eq!(sizes.len(), SESSIONS);
    let per_key = sizes.iter().sum::<i64>() as f64 / sizes.len() as f64;
    let per_session_from_info = (memory_after - memory_before) as f64 / SESSIONS as f64;
    println!(
        "redis memory per live session: {per_key:.0} bytes by MEMORY USAGE (min {}, max {}), \
         {per_session_from_info:.0} bytes by the used_memory delta of {SESSIONS} sessions \
         (prefix of {} bytes); written in {writing_took:?}",
        sizes.iter().min().unwrap(),
        sizes.iter().max().unwrap(),
        prefix.len(),
    );

    // End them: a third log out, a few subjects log out everywhere.
    for (index, (family, _, now)) in families.iter().enumerate() {
        if index % 3 == 0 {
            store
                .revoke_family(*family, *now, later(*now, LIFETIME))
                .await
                .unwrap();
        }
    }
    for subject in 0..10 {
        let now = SystemClock.now();
        store
            .revoke_subject(&format!("user-{subject}"), now, later(now, LIFETIME))
            .await
            .unwrap();
    }

    // And a couple of hundred more through the layer, with the layer's own expiries.
    let app = short_lived_app(store.clone());
    run_sessions_through_the_layer(&app, 200).await;
    assert!(
        keys_under(&url, &prefix).await.len() > SESSIONS,
        "the layer's sessions are there"
    );

    // Once every timeout has passed, nothing is left under the prefix.
    tokio::time::sleep(LIFETIME.saturating_sub(started.elapsed())).await;
    let deadline = Instant::now() + Duration::from_secs(15);
    let mut left = keys_under(&url, &prefix).await;
    while !left.is_empty() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(250)).await;
        left = keys_under(&url, &prefix).await;
    }
    assert!(
        left.is_empty(),
        "{} keys outlived their sessions: {:?}",
        left.len(),
        &left[..5.min(left.len())]
    );
}

#[tokio::test]
async fn a_bad_url_fails_at_start_up_and_no_debug_output_shows_a_password() {
    let error = RedisStore::connect("http://127.0.0.1:6379")
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "session store unavailable: invalid redis url"
    );

    let builder = RedisStore::builder("redis://admin:hunter2@127.0.0.1:6379/3")
        .prefix("shop:")
        .timeout(Duration::from_millis(250));
    let shown = format!("{builder:?}");
    assert!(
        !shown.contains("hunter2") && !shown.contains("admin"),
        "{shown}"
    );
    assert!(
        shown.contains("127.0.0.1:6379") && shown.contains("shop:"),
        "{shown}"
    );
}

#[tokio::test]
async fn connecting_to_nothing_fails_within_the_timeout() {
    // A port that was free a moment ago: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let timeout = Duration::from_millis(300);

    let started = Instant::now();
    let result = RedisStore::builder(&format!("redis://127.0.0.1:{port}"))
        .timeout(timeout)
        .connect()
        .await;
    let elapsed = started.elapsed();

    assert!(result.is_err());
    assert!(
        elapsed < timeout + Duration::from_millis(200),
        "{elapsed:?}"
    );
}
