//! Sessions when the clock jumps between two requests by more than the leeway (30 s).

#![allow(
    clippy::unwrap_used,
    reason = "a test stops at the first unexpected error, and says where"
)]

mod support;

use std::time::Duration;

use axum::Router;
use axum::http::StatusCode;
use paseto_session::{Key, Keyring, MemoryStore, SessionConfig, SessionLayer};
use support::{TestClock, get as get_with};

use support::members::{COOKIE, Member, routes};
const LEEWAY: Duration = Duration::from_secs(30);
const IDLE: Duration = Duration::from_secs(600);
const GRACE: Duration = Duration::from_secs(5);

fn app(clock: &TestClock) -> Router {
    let config = SessionConfig::new(Keyring::new(Key::generate().unwrap()))
        .clock(clock.clone())
        .store(MemoryStore::starting_at(1_000, TestClock::START))
        .leeway(LEEWAY)
        .idle_timeout(IDLE)
        .grace_period(GRACE);
    routes().layer(SessionLayer::<Member>::new(config).unwrap())
}

async fn status(app: &Router, token: &str) -> (StatusCode, Option<String>) {
    let reply = get_with(app, "/me", Some((COOKIE, token))).await;
    (reply.status, reply.cookie(COOKIE))
}

#[tokio::test]
async fn a_forward_jump_within_the_idle_timeout_keeps_the_session() {
    let clock = TestClock::new();
    let app = app(&clock);
    let token = get_with(&app, "/login/1", None)
        .await
        .cookie(COOKIE)
        .unwrap();

    clock.advance(LEEWAY * 4);
    let (code, next) = status(&app, &token).await;
    assert_eq!(code, StatusCode::OK);
    assert_eq!(status(&app, &next.unwrap()).await.0, StatusCode::OK);
}

#[tokio::test]
async fn a_forward_jump_past_the_idle_timeout_ends_the_session() {
    let clock = TestClock::new();
    let app = app(&clock);
    let token = get_with(&app, "/login/1", None)
        .await
        .cookie(COOKIE)
        .unwrap();

    clock.advance(IDLE + LEEWAY + Duration::from_secs(1));
    assert_eq!(status(&app, &token).await.0, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_forward_jump_past_the_grace_period_makes_the_previous_token_a_replay() {
    let clock = TestClock::new();
    let app = app(&clock);
    let first = get_with(&app, "/login/1", None)
        .await
        .cookie(COOKIE)
        .unwrap();
    let (_, second) = status(&app, &first).await;

    clock.advance(LEEWAY * 2);
    assert_eq!(status(&app, &first).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(
        status(&app, &second.unwrap()).await.0,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn a_backward_jump_past_the_leeway_refuses_tokens_from_the_future_then_recovers() {
    let clock = TestClock::new();
    let app = app(&clock);
    let first = get_with(&app, "/login/1", None)
        .await
        .cookie(COOKIE)
        .unwrap();
    clock.advance(Duration::from_secs(1));
    let (_, second) = status(&app, &first).await;
    let second = second.unwrap();

    // Seen from the new time, both tokens were issued in the future: neither is
    // accepted, and the previous one cannot use the rewound clock to stay in its grace.
    clock.set_back(LEEWAY * 3);
    assert_eq!(status(&app, &second).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(status(&app, &first).await.0, StatusCode::UNAUTHORIZED);

    // A new login at the rewound time works.
    let again = get_with(&app, "/login/1", None)
        .await
        .cookie(COOKIE)
        .unwrap();
    let (code, next) = status(&app, &again).await;
    assert_eq!(code, StatusCode::OK);
    assert_eq!(status(&app, &next.unwrap()).await.0, StatusCode::OK);
}

#[tokio::test]
async fn a_backward_jump_within_the_leeway_keeps_the_session() {
    let clock = TestClock::new();
    let app = app(&clock);
    let token = get_with(&app, "/login/1", None)
        .await
        .cookie(COOKIE)
        .unwrap();

    clock.set_back(LEEWAY / 2);
    let (code, next) = status(&app, &token).await;
    assert_eq!(code, StatusCode::OK);
    assert_eq!(status(&app, &next.unwrap()).await.0, StatusCode::OK);
}
