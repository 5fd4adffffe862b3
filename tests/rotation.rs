//! Rotation, replay detection, timeouts, revocation and keys, through a real
//! `axum::Router`.

#![allow(
    clippy::unwrap_used,
    reason = "a test stops at the first unexpected error, and says where"
)]

mod support;

use std::time::Duration;

use axum::Router;
use axum::http::{Method, StatusCode};
use axum::routing::get;
use paseto_session::{
    ConfigError, Key, Keyring, MemoryStore, Session, SessionConfig, SessionError, SessionLayer,
    Sessions, SkipRotation,
};
use support::{Reply, TestClock, base64url_decode, get as get_with, send};

const COOKIE: &str = "__Host-session";
const GRACE: Duration = Duration::from_secs(10);
const IDLE: Duration = Duration::from_secs(30 * 60);
const ABSOLUTE: Duration = Duration::from_secs(12 * 3600);

#[derive(Session, Clone, Debug, PartialEq)]
struct User {
    #[session(subject)]
    id: u64,
    #[session(max_len = 32)]
    name: String,
}

async fn login(
    sessions: Sessions<User>,
    axum::extract::Path(id): axum::extract::Path<u64>,
) -> Result<&'static str, SessionError> {
    sessions
        .start(User {
            id,
            name: format!("user {id}"),
        })
        .await?;
    Ok("welcome")
}

async fn me(user: User) -> String {
    user.name
}

async fn maybe(user: Option<User>) -> String {
    user.map_or_else(|| "nobody".to_owned(), |user| user.name)
}

async fn rename(sessions: Sessions<User>, user: User) -> Result<&'static str, SessionError> {
    sessions
        .update(User {
            name: "renamed".to_owned(),
            ..user
        })
        .await?;
    Ok("renamed")
}

async fn logout(sessions: Sessions<User>) -> Result<&'static str, SessionError> {
    sessions.end().await?;
    Ok("bye")
}

async fn logout_everywhere(sessions: Sessions<User>) -> Result<&'static str, SessionError> {
    sessions.end_everywhere().await?;
    Ok("bye everywhere")
}

async fn static_page() -> &'static str {
    "static"
}

fn routes() -> Router {
    Router::new()
        .route("/login/{id}", get(login))
        .route("/me", get(me))
        .route("/maybe", get(maybe))
        .route("/rename", get(rename))
        .route("/logout", get(logout))
        .route("/logout-everywhere", get(logout_everywhere))
        .route("/static", get(static_page))
        .route("/poll", get(maybe).layer(SkipRotation))
}

fn config(keyring: Keyring, clock: &TestClock) -> SessionConfig {
    SessionConfig::new(keyring)
        .clock(clock.clone())
        .store(MemoryStore::starting_at(10_000, TestClock::START))
        .grace_period(GRACE)
        .idle_timeout(IDLE)
        .absolute_timeout(ABSOLUTE)
}

fn app_with(config: SessionConfig) -> Router {
    routes().layer(SessionLayer::<User>::new(config).unwrap())
}

fn app() -> (Router, TestClock) {
    let clock = TestClock::new();
    let app = app_with(config(Keyring::new(Key::generate().unwrap()), &clock));
    (app, clock)
}

async fn visit(app: &Router, path: &str, token: &str) -> Reply {
    get_with(app, path, Some((COOKIE, token))).await
}

/// Logs in as `id` and returns the session token.
async fn log_in(app: &Router, id: u64) -> String {
    let reply = get_with(app, &format!("/login/{id}"), None).await;
    assert_eq!(reply.status, StatusCode::OK);
    reply.cookie(COOKIE).expect("login sets the cookie")
}

/// A request that must succeed and rotate; returns the next token.
async fn rotate(app: &Router, token: &str) -> String {
    let reply = visit(app, "/me", token).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let next = reply.cookie(COOKIE).expect("every request rotates");
    assert_ne!(next, token);
    next
}

#[tokio::test]
async fn login_sets_a_cookie_with_the_right_attributes() {
    let (app, _) = app();
    let reply = get_with(&app, "/login/1", None).await;

    let set_cookie = reply.set_cookies();
    assert_eq!(set_cookie.len(), 1);
    let attributes: Vec<&str> = set_cookie[0].split("; ").skip(1).collect();
    assert_eq!(attributes, ["Path=/", "HttpOnly", "Secure", "SameSite=Lax"]);
    assert!(set_cookie[0].starts_with("__Host-session=v4.local."));
}

#[tokio::test]
async fn every_request_rotates_and_each_new_token_works() {
    let (app, _) = app();
    let mut token = log_in(&app, 1).await;

    for _ in 0..5 {
        token = rotate(&app, &token).await;
    }
    assert_eq!(visit(&app, "/me", &token).await.body, "user 1");
}

#[tokio::test]
async fn a_route_that_does_not_read_the_session_still_rotates_it() {
    let (app, clock) = app();
    let first = log_in(&app, 1).await;

    let reply = visit(&app, "/static", &first).await;
    let second = reply.cookie(COOKIE).expect("rotated after the handler");
    assert_ne!(second, first);

    clock.advance(GRACE + Duration::from_secs(1));
    assert_eq!(
        visit(&app, "/me", &first).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn a_spent_token_after_the_grace_period_revokes_its_family() {
    let (app, clock) = app();
    let first = log_in(&app, 1).await;
    let second = rotate(&app, &first).await;
    let third = rotate(&app, &second).await;

    clock.advance(GRACE + Duration::from_secs(1));
    let replay = visit(&app, "/me", &first).await;
    assert_eq!(replay.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        replay.cookie(COOKIE).as_deref(),
        Some(""),
        "a refused cookie is deleted"
    );

    // The thief's replay logged the victim out too: the newest token is dead.
    assert_eq!(
        visit(&app, "/me", &third).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn the_previous_generation_is_accepted_within_the_grace_period() {
    let (app, clock) = app();
    let first = log_in(&app, 1).await;
    let second = rotate(&app, &first).await;

    clock.advance(GRACE / 2);
    let late = visit(&app, "/me", &first).await;
    assert_eq!(late.status, StatusCode::OK);
    let reissued = late.cookie(COOKIE).expect("answered with a current token");

    // Both current-generation tokens keep working, and the family lives on.
    rotate(&app, &reissued).await;
    assert_eq!(visit(&app, "/maybe", &second).await.body, "user 1");
}

#[tokio::test]
async fn sixteen_concurrent_requests_with_one_token_all_succeed() {
    let (app, clock) = app();
    let token = log_in(&app, 1).await;

    let requests = (0..16).map(|_| {
        let app = app.clone();
        let token = token.clone();
        tokio::spawn(async move { visit(&app, "/me", &token).await })
    });
    let replies: Vec<Reply> = futures_join(requests).await;

    assert!(replies.iter().all(|reply| reply.status == StatusCode::OK));
    let fresh: Vec<String> = replies
        .iter()
        .filter_map(|reply| reply.cookie(COOKIE))
        .collect();
    assert_eq!(fresh.len(), 16, "every answer carries a current token");

    // One family: after the grace period every answer's token still works.
    clock.advance(GRACE + Duration::from_secs(1));
    for token in &fresh[..3] {
        assert_eq!(visit(&app, "/maybe", token).await.body, "user 1");
    }
}

async fn futures_join<T: Send + 'static>(
    tasks: impl Iterator<Item = tokio::task::JoinHandle<T>>,
) -> Vec<T> {
    let mut results = Vec::new();
    for task in tasks.collect::<Vec<_>>() {
        results.push(task.await.unwrap());
    }
    results
}

#[tokio::test]
async fn the_idle_timeout_ends_a_session_without_requests() {
    let (app, clock) = app();
    let token = log_in(&app, 1).await;

    clock.advance(IDLE + Duration::from_secs(31));
    assert_eq!(
        visit(&app, "/me", &token).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn activity_renews_the_idle_timeout_but_never_the_absolute_one() {
    let (app, clock) = app();
    let mut token = log_in(&app, 1).await;

    // A request every 20 minutes keeps the session past any single idle timeout...
    let step = Duration::from_secs(20 * 60);
    let mut elapsed = Duration::ZERO;
    while elapsed + step < ABSOLUTE {
        clock.advance(step);
        elapsed += step;
        token = rotate(&app, &token).await;
    }

    // ...until the absolute timeout since login passes.
    clock.advance(ABSOLUTE - elapsed + Duration::from_secs(31));
    assert_eq!(
        visit(&app, "/me", &token).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn logout_makes_every_copy_of_the_cookie_useless() {
    let (app, _) = app();
    let token = log_in(&app, 1).await;
    let current = rotate(&app, &token).await;

    let reply = visit(&app, "/logout", &current).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.cookie(COOKIE).as_deref(), Some(""));
    assert!(reply.set_cookies()[0].contains("Max-Age=0"));

    // Copies kept by an attacker, even within the grace period, are refused.
    assert_eq!(
        visit(&app, "/me", &current).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        visit(&app, "/me", &token).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn logout_everywhere_ends_every_session_of_the_subject_only() {
    let (app, clock) = app();
    let laptop = log_in(&app, 1).await;
    let phone = log_in(&app, 1).await;
    let someone_else = log_in(&app, 2).await;

    clock.advance(Duration::from_secs(1));
    let reply = visit(&app, "/logout-everywhere", &laptop).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);

    assert_eq!(
        visit(&app, "/me", &phone).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        visit(&app, "/me", &laptop).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        visit(&app, "/me", &someone_else).await.status,
        StatusCode::OK
    );

    // A login after the revocation works.
    clock.advance(Duration::from_secs(1));
    let again = log_in(&app, 1).await;
    assert_eq!(visit(&app, "/me", &again).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_new_login_revokes_the_session_the_request_held() {
    let (app, _) = app();
    let before = log_in(&app, 1).await;

    let reply = visit(&app, "/login/2", &before).await;
    let after = reply.cookie(COOKIE).unwrap();
    assert_eq!(visit(&app, "/me", &after).await.body, "user 2");
    assert_eq!(
        visit(&app, "/me", &before).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn update_changes_the_data_and_keeps_the_family() {
    let (app, _) = app();
    let token = log_in(&app, 1).await;

    let reply = visit(&app, "/rename", &token).await;
    let renamed = reply.cookie(COOKIE).unwrap();
    assert_eq!(visit(&app, "/me", &renamed).await.body, "renamed");
}

#[tokio::test]
async fn a_token_under_a_retired_key_is_reissued_under_the_current_key() {
    let clock = TestClock::new();
    let old_key = Key::generate().unwrap();
    let old_paserk = old_key.to_paserk();
    let store = std::sync::Arc::new(MemoryStore::starting_at(1_000, TestClock::START));
    let before = app_with(config(Keyring::new(old_key), &clock).shared_store(store.clone()));
    let token = log_in(&before, 1).await;

    let new_key = Key::generate().unwrap();
    let new_footer_key_id = new_key.id().to_owned();
    let keyring = Keyring::new(new_key).with_retired(Key::from_paserk(&old_paserk).unwrap());
    let after = app_with(config(keyring, &clock).shared_store(store));

    let reply = visit(&after, "/me", &token).await;
    assert_eq!(reply.status, StatusCode::OK);
    let reissued = reply.cookie(COOKIE).unwrap();
    assert_eq!(footer_key_id(&reissued), new_footer_key_id);

    // A deployment that dropped the old key, or never had it, refuses the old token.
    let stranger = app_with(config(Keyring::new(Key::generate().unwrap()), &clock));
    assert_eq!(
        visit(&stranger, "/me", &reissued).await.status,
        StatusCode::UNAUTHORIZED
    );
}

fn footer_key_id(token: &str) -> String {
    let footer = token.rsplit('.').next().unwrap();
    let json = base64url_decode(footer);
    let value: serde_json::Value = serde_json::from_slice(&json).unwrap();
    value["kid"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn broken_and_foreign_tokens_give_no_session_and_no_panic() {
    let (app, _) = app();
    let token = log_in(&app, 1).await;
    let middle = token.len() / 2;
    let flipped = if &token[middle..=middle] == "A" {
        "B"
    } else {
        "A"
    };
    let tampered = format!("{}{flipped}{}", &token[..middle], &token[middle + 1..]);
    let huge = format!("v4.local.{}", "A".repeat(64 * 1024));
    let public = token.replacen("v4.local.", "v4.public.", 1);
    let v2 = token.replacen("v4.local.", "v2.local.", 1);
    let v3 = token.replacen("v4.local.", "v3.local.", 1);

    let cases = [
        tampered.as_str(),
        &token[..token.len() - 10],
        &token[..middle],
        "",
        "v4.local.",
        huge.as_str(),
        public.as_str(),
        v2.as_str(),
        v3.as_str(),
        "not a token",
    ];
    for case in cases {
        let required = visit(&app, "/me", case).await;
        assert_eq!(required.status, StatusCode::UNAUTHORIZED, "{case:.40}");
        let optional = visit(&app, "/maybe", case).await;
        assert_eq!(optional.body, "nobody");
    }

    // None of them hurt the real session.
    assert_eq!(visit(&app, "/me", &token).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_full_memory_store_never_lets_a_spent_token_through() {
    let clock = TestClock::new();
    let store = std::sync::Arc::new(MemoryStore::starting_at(16, TestClock::START));
    let config = config(Keyring::new(Key::generate().unwrap()), &clock);
    let app = app_with(config.shared_store(store.clone()));

    let spent = log_in(&app, 1).await;
    let current = rotate(&app, &spent).await;
    clock.advance(GRACE + Duration::from_secs(1));

    // Far more logins than the store holds: the first family is pushed out.
    for id in 2..200 {
        log_in(&app, id).await;
    }
    let stats = store.stats();
    assert!(stats.live_families_evicted > 0, "{stats:?}");
    assert!(stats.families as u64 <= stats.capacity, "{stats:?}");

    assert_eq!(
        visit(&app, "/me", &spent).await.status,
        StatusCode::UNAUTHORIZED
    );
    let current_reply = visit(&app, "/me", &current).await;
    // Evicted or not, the spent token never passes; the current one passes only while
    // its family is still on record, else its user logs in again (fail closed).
    if current_reply.status == StatusCode::OK {
        assert_eq!(
            visit(&app, "/me", &spent).await.status,
            StatusCode::UNAUTHORIZED
        );
    }
}

#[tokio::test]
async fn a_route_under_skip_rotation_keeps_the_token_and_still_checks_it() {
    let (app, clock) = app();
    let token = log_in(&app, 1).await;

    let reply = visit(&app, "/poll", &token).await;
    assert_eq!(reply.body, "user 1");
    assert_eq!(reply.cookie(COOKIE), None);

    // Still checked against the store: once spent elsewhere it is refused there too.
    let next = rotate(&app, &token).await;
    clock.advance(GRACE + Duration::from_secs(1));
    assert_eq!(visit(&app, "/poll", &token).await.body, "nobody");
    assert_eq!(
        visit(&app, "/poll", &next).await.body,
        "nobody",
        "the replay revoked it"
    );
}

#[tokio::test]
async fn rotate_after_keeps_young_tokens() {
    let clock = TestClock::new();
    let config = config(Keyring::new(Key::generate().unwrap()), &clock)
        .rotate_after(Duration::from_secs(60));
    let app = app_with(config);
    let token = log_in(&app, 1).await;

    let young = visit(&app, "/me", &token).await;
    assert_eq!(young.status, StatusCode::OK);
    assert_eq!(young.cookie(COOKIE), None);

    clock.advance(Duration::from_secs(61));
    let old = visit(&app, "/me", &token).await;
    assert!(old.cookie(COOKIE).is_some_and(|next| next != token));
}

#[tokio::test]
async fn a_cookie_sent_twice_gives_no_session() {
    let (app, _) = app();
    let token = log_in(&app, 1).await;
    let twice = format!("{COOKIE}={token}; {COOKIE}={token}");

    let reply = send(&app, Method::GET, "/me", &[("cookie", twice.as_str())]).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_required_session_redirects_html_requests_to_the_login_url() {
    let clock = TestClock::new();
    let app = app_with(config(Keyring::new(Key::generate().unwrap()), &clock).login_url("/login"));

    let html = send(&app, Method::GET, "/me", &[("accept", "text/html,*/*")]).await;
    assert_eq!(html.status, StatusCode::SEE_OTHER);
    assert_eq!(html.headers["location"], "/login");

    let json = send(&app, Method::GET, "/me", &[("accept", "application/json")]).await;
    assert_eq!(json.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_route_outside_the_layer_is_a_500_that_names_the_layer() {
    let app = Router::new()
        .route("/me", get(me))
        .route("/maybe", get(maybe));

    for path in ["/me", "/maybe"] {
        let reply = get_with(&app, path, None).await;
        assert_eq!(reply.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(reply.body.contains("SessionLayer"), "{}", reply.body);
    }
}

#[test]
fn configuration_mistakes_fail_when_the_layer_is_built() {
    let key = || Keyring::new(Key::generate().unwrap());
    let build = |config: SessionConfig| SessionLayer::<User>::new(config).err();

    let grace_too_long = SessionConfig::new(key()).grace_period(Duration::from_secs(3600));
    assert!(matches!(
        build(grace_too_long),
        Some(ConfigError::Timeouts(_))
    ));

    let idle_over_absolute = SessionConfig::new(key())
        .idle_timeout(Duration::from_secs(7200))
        .absolute_timeout(Duration::from_secs(3600));
    assert!(matches!(
        build(idle_over_absolute),
        Some(ConfigError::Timeouts(_))
    ));

    let bad_name = SessionConfig::new(key()).cookie_name("my session");
    assert_eq!(build(bad_name), Some(ConfigError::CookieName));

    let bad_domain = SessionConfig::new(key()).domain("example.com; Secure");
    assert_eq!(build(bad_domain), Some(ConfigError::Domain));

    let huge_issuer = SessionConfig::new(key()).issuer("i".repeat(4000));
    assert!(matches!(
        build(huge_issuer),
        Some(ConfigError::Budget { limit: 4096, .. })
    ));

    assert!(build(SessionConfig::new(key())).is_none());
}

#[tokio::test]
async fn development_and_domain_settings_change_the_cookie_name_and_attributes() {
    let clock = TestClock::new();
    let dev = SessionLayer::<User>::new(
        config(Keyring::new(Key::generate().unwrap()), &clock).development_cookie(true),
    )
    .unwrap();
    assert_eq!(dev.cookie_name(), "session");
    let app = routes().layer(dev);
    let reply = get_with(&app, "/login/1", None).await;
    assert!(!reply.set_cookies()[0].contains("Secure"));

    let shared = SessionLayer::<User>::new(
        config(Keyring::new(Key::generate().unwrap()), &clock)
            .domain("example.com")
            .persistent(true),
    )
    .unwrap();
    assert_eq!(shared.cookie_name(), "__Secure-session");
    let app = routes().layer(shared);
    let line = get_with(&app, "/login/1", None)
        .await
        .set_cookies()
        .remove(0);
    assert!(line.contains("; Domain=example.com"), "{line}");
    assert!(line.contains("; Max-Age=1800"), "{line}");
}

#[tokio::test]
async fn without_the_token_cache_every_rule_holds_the_same() {
    let clock = TestClock::new();
    let config = config(Keyring::new(Key::generate().unwrap()), &clock).token_cache_bytes(0);
    let app = app_with(config);

    let first = log_in(&app, 1).await;
    let second = rotate(&app, &first).await;
    let third = rotate(&app, &second).await;
    assert_eq!(visit(&app, "/me", &third).await.body, "user 1");

    clock.advance(GRACE + Duration::from_secs(1));
    assert_eq!(
        visit(&app, "/me", &first).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        visit(&app, "/me", &third).await.status,
        StatusCode::UNAUTHORIZED
    );

    let fresh = log_in(&app, 2).await;
    clock.advance(IDLE + Duration::from_secs(31));
    assert_eq!(
        visit(&app, "/me", &fresh).await.status,
        StatusCode::UNAUTHORIZED
    );
}
