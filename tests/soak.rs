//! A bounded soak: sessions started, rotated, replayed and ended from several tasks at
//! once against a small in-memory store. The store stays within its capacity, and no
//! spent token is ever accepted, evictions included.
//!
//! It runs for `SOAK_SECS` seconds (3 by default).

#![allow(
    clippy::unwrap_used,
    reason = "a test stops at the first unexpected error, and says where"
)]

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::http::StatusCode;
use axum::routing::get;
use paseto_session::{
    Key, Keyring, MemoryStore, Session, SessionConfig, SessionError, SessionLayer, Sessions,
};
use support::get as get_with;

const COOKIE: &str = "__Host-session";
const CAPACITY: usize = 2_000;
const WORKERS: u32 = 8;

#[derive(Session, Clone, Debug)]
struct User {
    #[session(subject)]
    id: u32,
    #[session(max_len = 32)]
    name: String,
}

async fn login(
    sessions: Sessions<User>,
    axum::extract::Path(id): axum::extract::Path<u32>,
) -> Result<&'static str, SessionError> {
    sessions
        .start(User {
            id,
            name: format!("user {id}"),
        })
        .await?;
    Ok("in")
}

async fn me(user: User) -> String {
    user.name
}

async fn logout(sessions: Sessions<User>) -> Result<&'static str, SessionError> {
    sessions.end().await?;
    Ok("out")
}

#[derive(Default)]
struct Tally {
    iterations: AtomicU64,
    spent_presented: AtomicU64,
    spent_accepted: AtomicU64,
    lost_to_eviction: AtomicU64,
    peak_families: AtomicUsize,
}

/// Resident memory of this process, in bytes.
fn resident_bytes() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    pages * 4096
}

async fn present(app: &Router, token: &str) -> (StatusCode, Option<String>) {
    let reply = get_with(app, "/me", Some((COOKIE, token))).await;
    (reply.status, reply.cookie(COOKIE))
}

/// One user's life: log in, rotate three times, replay the first token, then either
/// log out or walk away.
async fn one_life(app: &Router, id: u32, tally: &Tally) {
    let mut tokens = vec![
        get_with(app, &format!("/login/{id}"), None)
            .await
            .cookie(COOKIE)
            .unwrap(),
    ];
    for _ in 0..3 {
        let (status, next) = present(app, tokens.last().unwrap()).await;
        match (status, next) {
            (StatusCode::OK, Some(next)) => tokens.push(next),
            _ => {
                // The store evicted this family to make room: the user logs in again.
                tally.lost_to_eviction.fetch_add(1, Ordering::Relaxed);
                break;
            }
        }
    }

    // The first token is at least two generations behind now (or its family is gone):
    // presenting it is a replay that must fail, however the store is doing.
    if tokens.len() >= 3 {
        tally.spent_presented.fetch_add(1, Ordering::Relaxed);
        if present(app, &tokens[0]).await.0 == StatusCode::OK {
            tally.spent_accepted.fetch_add(1, Ordering::Relaxed);
        }
        // The replay revoked the family: the newest token is spent too.
        tally.spent_presented.fetch_add(1, Ordering::Relaxed);
        if present(app, tokens.last().unwrap()).await.0 == StatusCode::OK {
            tally.spent_accepted.fetch_add(1, Ordering::Relaxed);
        }
    } else if id.is_multiple_of(2) {
        get_with(app, "/logout", Some((COOKIE, tokens.last().unwrap()))).await;
        tally.spent_presented.fetch_add(1, Ordering::Relaxed);
        if present(app, tokens.last().unwrap()).await.0 == StatusCode::OK {
            tally.spent_accepted.fetch_add(1, Ordering::Relaxed);
        }
    }
    tally.iterations.fetch_add(1, Ordering::Relaxed);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_store_stays_bounded_and_no_spent_token_passes() {
    let seconds = std::env::var("SOAK_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    let store = Arc::new(MemoryStore::new(CAPACITY));
    let config =
        SessionConfig::new(Keyring::new(Key::generate().unwrap())).shared_store(store.clone());
    let app = Router::new()
        .route("/login/{id}", get(login))
        .route("/me", get(me))
        .route("/logout", get(logout))
        .layer(SessionLayer::<User>::new(config).unwrap());

    let tally = Arc::new(Tally::default());
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let resident_before = resident_bytes();
    let mut peak_resident = resident_before;
    let workers: Vec<_> = (0..WORKERS)
        .map(|worker| {
            let (app, tally, store) = (app.clone(), tally.clone(), store.clone());
            tokio::spawn(async move {
                let mut id = worker;
                while Instant::now() < deadline {
                    one_life(&app, id, &tally).await;
                    tally
                        .peak_families
                        .fetch_max(store.stats().families, Ordering::Relaxed);
                    id += WORKERS;
                }
            })
        })
        .collect();
    while Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
        peak_resident = peak_resident.max(resident_bytes());
    }
    for worker in workers {
        worker.await.unwrap();
    }

    let stats = store.stats();
    let peak_families = tally.peak_families.load(Ordering::Relaxed);
    let spent_presented = tally.spent_presented.load(Ordering::Relaxed);
    let spent_accepted = tally.spent_accepted.load(Ordering::Relaxed);
    println!(
        "soak {seconds} s: {} lives, {} families evicted while live, {} lost mid-life; \
         spent tokens presented {spent_presented}, accepted {spent_accepted}; \
         peak families {peak_families} of capacity {CAPACITY}; \
         peak resident memory {} KiB ({} KiB at start)",
        tally.iterations.load(Ordering::Relaxed),
        stats.live_families_evicted,
        tally.lost_to_eviction.load(Ordering::Relaxed),
        peak_resident / 1024,
        resident_before / 1024,
    );

    assert_eq!(spent_accepted, 0);
    assert!(
        spent_presented > 100,
        "the soak did too little to mean anything"
    );
    assert!(peak_families <= CAPACITY, "{peak_families} families held");
    assert!(
        stats.live_families_evicted > 0,
        "the soak never filled the store"
    );
}
