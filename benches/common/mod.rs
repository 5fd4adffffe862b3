//! What the benchmark binary and the load test share: sessions of three sizes, the server
//! variants compared end to end, and a client-side cookie jar that follows `Set-Cookie`.

#![allow(
    dead_code,
    reason = "the benchmark and each example use a different part of this module"
)]

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use axum::routing::get;
use axum_extra::extract::cookie::{Cookie, Key as JarKey, PrivateCookieJar, SameSite};
use paseto_session::{
    Key, MemoryStore, Session, SessionConfig, SessionError, SessionLayer, Sessions, SkipRotation,
};
use serde::{Deserialize, Serialize};
use tower::ServiceExt;

/// About 100 bytes of claims: an id, a name, a role and an anti-forgery secret.
#[derive(Session, Serialize, Deserialize, Clone, Debug)]
pub(crate) struct SmallSession {
    #[session(subject)]
    user_id: u64,
    #[session(max_len = 32)]
    name: String,
    #[session(max_len = 16)]
    role: String,
    #[session(max_len = 44)]
    csrf_secret: String,
}

impl SmallSession {
    pub(crate) fn sample() -> Self {
        Self {
            user_id: 4211,
            name: "Ada Lovelace".to_owned(),
            role: "editor".to_owned(),
            csrf_secret: "q8Zt1wN4bLx0Vd3Kp7Rf2mYc".to_owned(),
        }
    }
}

/// About 400 bytes of claims: what a business app keeps about a signed-in user.
#[derive(Session, Serialize, Deserialize, Clone, Debug)]
pub(crate) struct TypicalSession {
    #[session(subject)]
    user_id: u64,
    #[session(max_len = 40)]
    display_name: String,
    #[session(max_len = 48)]
    email: String,
    #[session(max_items = 6, max_len = 16)]
    roles: Vec<String>,
    #[session(max_len = 8)]
    locale: String,
    #[session(max_len = 32)]
    time_zone: String,
    #[session(max_len = 44)]
    csrf_secret: String,
    #[session(max_len = 32)]
    tenant: String,
    #[session(max_items = 8)]
    recent_projects: Vec<u32>,
    cart_items: u32,
    dark_theme: bool,
    mfa_verified: bool,
}

impl TypicalSession {
    pub(crate) fn sample() -> Self {
        Self {
            user_id: 4211,
            display_name: "Ada Augusta Lovelace".to_owned(),
            email: "ada.lovelace@analytical-engine.example".to_owned(),
            roles: ["editor", "reviewer", "billing-admin", "support"]
                .map(str::to_owned)
                .to_vec(),
            locale: "en-GB".to_owned(),
            time_zone: "Europe/London".to_owned(),
            csrf_secret: "q8Zt1wN4bLx0Vd3Kp7Rf2mYcH5sJ9gTu6eWa0oLiQzB".to_owned(),
            tenant: "difference-engine-works".to_owned(),
            recent_projects: vec![1042, 1077, 2093, 3001, 3019, 4120, 5333, 6000],
            cart_items: 3,
            dark_theme: true,
            mfa_verified: true,
        }
    }

    pub(crate) fn display_name(&self) -> &str {
        &self.display_name
    }
}

/// The largest session the derive accepts for a one-string struct: one more byte of
/// `max_len` and the worst-case cookie would pass 4096 bytes.
#[derive(Session, Serialize, Deserialize, Clone, Debug)]
pub(crate) struct MaximalSession {
    #[session(max_len = 455)]
    drafts: String,
}

impl MaximalSession {
    /// Filled with the characters JSON writes longest (`\u0001`, six bytes each), so that
    /// the cookie reaches the limit the derive budgets for, not just the `max_len`.
    pub(crate) fn sample() -> Self {
        Self {
            drafts: "\u{1}".repeat(455),
        }
    }
}

/// Runs a future that never waits: the in-memory store answers at once, so the store and
/// rotation benchmarks need no runtime around them.
pub(crate) fn run_ready<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut context = Context::from_waker(Waker::noop());
    match future.as_mut().poll(&mut context) {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("the in-memory store answered later than at once"),
    }
}

/// The `name=value` pair at the start of a `Set-Cookie` line.
pub(crate) fn cookie_pair(set_cookie: &str) -> &str {
    set_cookie.split(';').next().unwrap_or_default().trim()
}

/// The cookies a browser would hold for one server: replaced by every `Set-Cookie`,
/// dropped when the server clears one.
#[derive(Debug, Default, Clone)]
pub(crate) struct ClientJar {
    pairs: Vec<(String, String)>,
}

impl ClientJar {
    pub(crate) fn follow(&mut self, response: &Response) {
        for line in response.headers().get_all(header::SET_COOKIE) {
            if let Ok(line) = line.to_str() {
                self.store(line);
            }
        }
    }

    pub(crate) fn store(&mut self, set_cookie: &str) {
        let Some((name, value)) = cookie_pair(set_cookie).split_once('=') else {
            return;
        };
        let cleared = value.is_empty() || set_cookie.contains("Max-Age=0");
        self.pairs.retain(|(held, _)| held != name);
        if !cleared {
            self.pairs.push((name.to_owned(), value.to_owned()));
        }
    }

    /// The `Cookie` header a browser would send, if it holds any cookie.
    pub(crate) fn header(&self) -> Option<String> {
        let mut pairs = self.pairs.iter();
        let (name, value) = pairs.next()?;
        let mut header = format!("{name}={value}");
        for (name, value) in pairs {
            header.push_str("; ");
            header.push_str(name);
            header.push('=');
            header.push_str(value);
        }
        Some(header)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }
}

/// The servers compared end to end. Each answers `GET` on its path with the user's display
/// name (or the same text, for the bare handler) and, except the bare one, has a login
/// route that starts the same session of about 400 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Variant {
    /// A handler with no session at all: the floor of axum itself.
    Bare,
    /// This crate, rotating the token on every request.
    Rotating,
    /// This crate on a route under `SkipRotation`: the token is checked, not replaced.
    NotRotating,
    /// tower-sessions with its `MemoryStore`: read the user, write one value.
    TowerSessions,
    /// axum-extra's `PrivateCookieJar`: decrypt the cookie, parse the user, serialize and
    /// encrypt it again.
    PrivateCookieJar,
}

impl Variant {
    pub(crate) const ALL: [Self; 5] = [
        Self::Bare,
        Self::Rotating,
        Self::NotRotating,
        Self::TowerSessions,
        Self::PrivateCookieJar,
    ];

    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Bare => "bare",
            Self::Rotating => "paseto_rotating",
            Self::NotRotating => "paseto_not_rotating",
            Self::TowerSessions => "tower_sessions",
            Self::PrivateCookieJar => "private_cookie_jar",
        }
    }

    /// The path every measured request asks for.
    pub(crate) fn path(self) -> &'static str {
        match self {
            Self::NotRotating => "/fixed",
            _ => "/",
        }
    }

    /// The path that gives a new client its session, if the variant has sessions.
    pub(crate) fn login_path(self) -> Option<&'static str> {
        match self {
            Self::Bare => None,
            _ => Some("/login"),
        }
    }

    /// The router, with a store large enough for `clients` logins.
    pub(crate) fn router(self, clients: usize) -> Router {
        match self {
            Self::Bare => Router::new().route("/", get(bare)),
            Self::Rotating | Self::NotRotating => paseto_router(clients),
            Self::TowerSessions => tower_sessions_router(),
            Self::PrivateCookieJar => private_jar_router(),
        }
    }
}

async fn bare() -> &'static str {
    "Ada Augusta Lovelace"
}

fn paseto_router(clients: usize) -> Router {
    let key = Key::generate().expect("the random source gives a key");
    let config = SessionConfig::new(key).store(MemoryStore::new(clients.max(1024)));
    let layer = SessionLayer::<TypicalSession>::new(config).expect("the configuration is valid");
    Router::new()
        .route("/login", get(paseto_login))
        .route("/", get(paseto_read))
        .route("/fixed", get(paseto_read).layer(SkipRotation))
        .layer(layer)
}

async fn paseto_login(sessions: Sessions<TypicalSession>) -> Result<&'static str, SessionError> {
    sessions.start(TypicalSession::sample()).await?;
    Ok("welcome")
}

async fn paseto_read(user: TypicalSession) -> String {
    user.display_name
}

const USER_KEY: &str = "user";
const LAST_SEEN_KEY: &str = "last_seen";

fn tower_sessions_router() -> Router {
    let layer = tower_sessions::SessionManagerLayer::new(tower_sessions::MemoryStore::default());
    Router::new()
        .route("/login", get(tower_sessions_login))
        .route("/", get(tower_sessions_read_write))
        .layer(layer)
}

async fn tower_sessions_login(
    session: tower_sessions::Session,
) -> Result<&'static str, StatusCode> {
    session
        .insert(USER_KEY, TypicalSession::sample())
        .await
        .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
    Ok("welcome")
}

async fn tower_sessions_read_write(session: tower_sessions::Session) -> Result<String, StatusCode> {
    let user: TypicalSession = session
        .get(USER_KEY)
        .await
        .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?
        .ok_or(StatusCode::UNAUTHORIZED)?;
    session
        .insert(LAST_SEEN_KEY, unix_seconds())
        .await
        .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
    Ok(user.display_name)
}

fn unix_seconds() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |since| since.as_secs())
}

const JAR_COOKIE: &str = "session";

fn private_jar_router() -> Router {
    Router::new()
        .route("/login", get(jar_login))
        .route("/", get(jar_read_write))
        .with_state(JarKey::generate())
}

/// The same attributes as this crate's cookie, so both answers carry the same line.
fn jar_cookie(user: &TypicalSession) -> Result<Cookie<'static>, StatusCode> {
    let value = serde_json::to_string(user).map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
    Ok(Cookie::build((JAR_COOKIE, value))
        .http_only(true)
        .secure(true)
        .same_site(SameSite::Lax)
        .path("/")
        .build())
}

async fn jar_login(jar: PrivateCookieJar) -> Result<(PrivateCookieJar, &'static str), StatusCode> {
    let cookie = jar_cookie(&TypicalSession::sample())?;
    Ok((jar.add(cookie), "welcome"))
}

async fn jar_read_write(jar: PrivateCookieJar) -> Result<(PrivateCookieJar, String), StatusCode> {
    let cookie = jar.get(JAR_COOKIE).ok_or(StatusCode::UNAUTHORIZED)?;
    let user: TypicalSession =
        serde_json::from_str(cookie.value()).map_err(|_| StatusCode::UNAUTHORIZED)?;
    let cookie = jar_cookie(&user)?;
    Ok((jar.add(cookie), user.display_name))
}

/// A `GET` of `path` carrying the jar's cookies.
pub(crate) fn request(path: &str, jar: &ClientJar) -> Request {
    let mut request = Request::get(path);
    if let Some(cookies) = jar.header() {
        let value = HeaderValue::try_from(cookies).expect("cookie pairs are header text");
        request = request.header(header::COOKIE, value);
    }
    request
        .body(axum::body::Body::empty())
        .expect("a GET with one header is a valid request")
}

/// Sends one request through `router` and follows its `Set-Cookie` lines.
pub(crate) async fn send(router: &Router, path: &str, jar: &mut ClientJar) -> Response {
    let response = router
        .clone()
        .oneshot(request(path, jar))
        .await
        .expect("a router never fails");
    jar.follow(&response);
    response
}

/// A client jar logged in to `variant`, or empty for the bare handler.
pub(crate) async fn logged_in(router: &Router, variant: Variant) -> ClientJar {
    let mut jar = ClientJar::default();
    if let Some(login) = variant.login_path() {
        let response = send(router, login, &mut jar).await;
        assert_eq!(
            response.status(),
            StatusCode::OK,
            "{} login",
            variant.name()
        );
        assert!(!jar.is_empty(), "{} login sets a cookie", variant.name());
    }
    jar
}
