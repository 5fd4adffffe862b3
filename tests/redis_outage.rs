//! Redis outages, on a Redis server of the test's own (never the shared one): requests get
//! a 503 within the timeout while it is paused or gone, the outage is logged once, and
//! sessions work again when it is back, without rebuilding the app.

// Clippy allows `unwrap` and printing only in code under `cfg(test)`; the helpers
// below are test code too.
#![cfg(test)]

mod support;

use std::fmt::{Debug, Write as _};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use axum::Router;
use axum::http::StatusCode;
use axum::routing::get;
use paseto_session::store::RedisStore;
use paseto_session::{Key, Keyring, Session, SessionConfig, SessionError, SessionLayer, Sessions};
use support::{Reply, TestClock, get as get_with};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt as _};

const COOKIE: &str = "__Host-session";
const PASSWORD: &str = "outage-test-password";
const TIMEOUT: Duration = Duration::from_millis(300);
/// What a 503 may take beyond the timeout: the request's own work on a busy test machine.
const MARGIN: Duration = Duration::from_millis(250);

/// A `redis-server` child on a loopback port, without persistence, killed on drop.
struct OwnRedis {
    child: Child,
    port: u16,
}

impl OwnRedis {
    fn start_on(port: u16) -> Self {
        let child = Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args([
                "--save",
                "",
                "--appendonly",
                "no",
                "--requirepass",
                PASSWORD,
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server must be installed to run this test");
        Self { child, port }
    }

    fn url(&self) -> String {
        format!("redis://:{PASSWORD}@127.0.0.1:{}", self.port)
    }

    /// Waits until the server answers.
    async fn ready(self) -> Self {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let client = redis::Client::open(self.url()).unwrap();
            if let Ok(mut connection) = client.get_multiplexed_async_connection().await {
                let pong: redis::RedisResult<String> =
                    redis::cmd("PING").query_async(&mut connection).await;
                if pong.is_ok() {
                    return self;
                }
            }
            assert!(
                Instant::now() < deadline,
                "redis-server did not start on {}",
                self.port
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Stops the process without closing its sockets: connections stay open and silent.
    fn pause(&self) {
        self.signal("-STOP");
    }

    fn resume(&self) {
        self.signal("-CONT");
    }

    fn signal(&self, signal: &str) {
        let status = Command::new("kill")
            .arg(signal)
            .arg(self.child.id().to_string())
            .status();
        assert!(status.unwrap().success(), "kill {signal}");
    }
}

impl Drop for OwnRedis {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Every log event, as text, with its level.
#[derive(Clone, Default)]
struct Logs(Arc<Mutex<Vec<(Level, String)>>>);

impl Logs {
    /// The process's log, installed once for every test here: a subscriber per test
    /// thread can miss events when tests run in parallel.
    fn global() -> Self {
        static LOGS: OnceLock<Logs> = OnceLock::new();
        let logs = LOGS.get_or_init(|| {
            let logs = Logs::default();
            let subscriber = tracing_subscriber::registry().with(logs.clone());
            tracing::subscriber::set_global_default(subscriber).unwrap();
            logs
        });
        logs.clone()
    }

    /// The events at `level` that mention `text`.
    fn at(&self, level: Level, text: &str) -> Vec<String> {
        let events = self.0.lock().unwrap();
        events
            .iter()
            .filter(|(at, line)| *at == level && line.contains(text))
            .map(|(_, line)| line.clone())
            .collect()
    }

    fn all(&self) -> String {
        let events = self.0.lock().unwrap();
        events
            .iter()
            .map(|(_, text)| text.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }
}

impl<S: Subscriber> Layer<S> for Logs {
    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        struct Fields<'a>(&'a mut String);
        impl Visit for Fields<'_> {
            fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
                let _ = write!(self.0, "{}={value:?} ", field.name());
            }
        }
        let mut text = String::new();
        event.record(&mut Fields(&mut text));
        self.0
            .lock()
            .unwrap()
            .push((*event.metadata().level(), text));
    }
}

#[derive(Session, Clone, Debug)]
struct User {
    #[session(subject)]
    id: u64,
}

async fn login(sessions: Sessions<User>) -> Result<&'static str, SessionError> {
    sessions.start(User { id: 1 }).await?;
    Ok("welcome")
}

async fn me(user: User) -> String {
    user.id.to_string()
}

fn app(store: RedisStore, clock: &TestClock) -> Router {
    let config = SessionConfig::new(Keyring::new(Key::generate().unwrap()))
        .clock(clock.clone())
        .store(store);
    Router::new()
        .route("/login", get(login))
        .route("/me", get(me))
        .layer(SessionLayer::<User>::new(config).unwrap())
}

async fn visit(app: &Router, path: &str, token: Option<&str>) -> Reply {
    get_with(app, path, token.map(|token| (COOKIE, token))).await
}

/// Sends requests while Redis cannot answer: each gets a 503 within the timeout. Returns
/// the slowest answer's time.
async fn every_request_gets_503_in_time(app: &Router, token: &str) -> Duration {
    let mut slowest = Duration::ZERO;
    for (path, cookie) in [("/me", Some(token)), ("/login", None), ("/me", Some(token))]
        .into_iter()
        .cycle()
        .take(6)
    {
        let started = Instant::now();
        let reply = visit(app, path, cookie).await;
        let elapsed = started.elapsed();

        assert_eq!(
            reply.status,
            StatusCode::SERVICE_UNAVAILABLE,
            "{path}: {}",
            reply.body
        );
        assert_eq!(reply.body, "Session store unavailable");
        assert!(elapsed < TIMEOUT + MARGIN, "{path} took {elapsed:?}");
        slowest = slowest.max(elapsed);
    }
    slowest
}

/// Retries `path` until it answers 200, for at most `patience`; returns the reply.
async fn until_ok(app: &Router, path: &str, token: Option<&str>, patience: Duration) -> Reply {
    let deadline = Instant::now() + patience;
    loop {
        let reply = visit(app, path, token).await;
        if reply.status == StatusCode::OK || Instant::now() > deadline {
            return reply;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
#[ignore = "needs Redis: redis-server installed; run with --include-ignored, as .ci/run does"]
async fn an_outage_gives_503_within_the_timeout_and_sessions_work_again_after_it() {
    let logs = Logs::global();
    let port = free_port();
    let server = OwnRedis::start_on(port).ready().await;

    let store = RedisStore::builder(&server.url())
        .timeout(TIMEOUT)
        .connect()
        .await
        .unwrap();
    let shown = format!("{store:?}");
    assert!(
        !shown.contains(PASSWORD) && shown.contains(&port.to_string()),
        "{shown}"
    );
    let clock = TestClock::new();
    let app = app(store, &clock);
    let first = visit(&app, "/login", None).await.cookie(COOKIE).unwrap();
    let token = visit(&app, "/me", Some(&first))
        .await
        .cookie(COOKIE)
        .unwrap();

    // Paused: connections stay open and nothing answers.
    server.pause();
    let slowest_paused = every_request_gets_503_in_time(&app, &token).await;
    server.resume();

    // The same session works again. Checks that timed out may have run once the server
    // woke up and rotated the family, so the token may now be one generation behind:
    // accepted within the grace period.
    let reply = until_ok(&app, "/me", Some(&token), Duration::from_secs(5)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let token = reply.cookie(COOKIE).unwrap();

    // Gone: connections are refused.
    let mut server = server;
    let _ = server.child.kill();
    let _ = server.child.wait();
    let slowest_gone = every_request_gets_503_in_time(&app, &token).await;

    // Back, empty (no persistence): logins work again with the same app, and the old
    // session, of which the new server knows nothing, is refused rather than trusted.
    let _server = OwnRedis::start_on(port).ready().await;
    let reply = until_ok(&app, "/login", None, Duration::from_secs(5)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let fresh = reply.cookie(COOKIE).unwrap();
    assert_eq!(
        visit(&app, "/me", Some(&fresh)).await.status,
        StatusCode::OK
    );
    assert_eq!(
        visit(&app, "/me", Some(&token)).await.status,
        StatusCode::UNAUTHORIZED
    );

    // Two outages, two error lines, two recoveries; never a token or the password.
    let this_server = format!("redis=127.0.0.1:{port} ");
    let errors = logs.at(Level::ERROR, &this_server);
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert!(
        errors
            .iter()
            .all(|line| line.contains("redis session store unavailable"))
    );
    let recoveries = logs.at(Level::INFO, &this_server);
    assert_eq!(recoveries.len(), 2, "{recoveries:#?}");
    assert!(recoveries.iter().all(|line| line.contains("answers again")));
    let everything = logs.all();
    for secret in [PASSWORD, &first, &token, &fresh] {
        assert!(!everything.contains(secret), "a log line holds a secret");
    }
    println!(
        "slowest 503 with a timeout of {TIMEOUT:?}: {slowest_paused:?} while paused, \
         {slowest_gone:?} while gone; error lines: {errors:?}"
    );
}

/// A TCP proxy that can turn into a black hole: while silent, every connection through it
/// stays open and nothing passes, as when a network partition drops packets without a
/// word. A connection that went silent stays dead; new ones pass once it speaks again.
struct Proxy {
    port: u16,
    silent: Arc<AtomicBool>,
}

impl Proxy {
    async fn start(upstream_port: u16) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let silent = Arc::new(AtomicBool::new(false));
        let switch = silent.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let silent = switch.clone();
                tokio::spawn(async move {
                    if silent.load(Ordering::SeqCst) {
                        let _held_open_never_answered = client;
                        std::future::pending::<()>().await;
                        return;
                    }
                    let upstream = tokio::net::TcpStream::connect(("127.0.0.1", upstream_port))
                        .await
                        .unwrap();
                    let (client_read, client_write) = client.into_split();
                    let (upstream_read, upstream_write) = upstream.into_split();
                    tokio::spawn(pass(client_read, upstream_write, silent.clone()));
                    pass(upstream_read, client_write, silent).await;
                });
            }
        });
        Self { port, silent }
    }

    fn set_silent(&self, silent: bool) {
        self.silent.store(silent, Ordering::SeqCst);
    }
}

/// Copies bytes one way until the proxy goes silent, then holds the connection open
/// forever and passes nothing more.
async fn pass(mut from: OwnedReadHalf, mut to: OwnedWriteHalf, silent: Arc<AtomicBool>) {
    let mut buffer = [0u8; 4096];
    loop {
        let Ok(read) = from.read(&mut buffer).await else {
            return;
        };
        if read == 0 {
            return;
        }
        if silent.load(Ordering::SeqCst) {
            std::future::pending::<()>().await;
        }
        if to.write_all(&buffer[..read]).await.is_err() {
            return;
        }
    }
}

#[tokio::test]
#[ignore = "needs Redis: redis-server installed; run with --include-ignored, as .ci/run does"]
async fn a_connection_that_went_silent_is_replaced_and_sessions_work_again() {
    let logs = Logs::global();
    let server = OwnRedis::start_on(free_port()).ready().await;
    let proxy = Proxy::start(server.port).await;
    let url = format!("redis://:{PASSWORD}@127.0.0.1:{}", proxy.port);
    let store = RedisStore::builder(&url)
        .timeout(TIMEOUT)
        .connect()
        .await
        .unwrap();
    let clock = TestClock::new();
    let app = app(store, &clock);
    let first = visit(&app, "/login", None).await.cookie(COOKIE).unwrap();
    let token = visit(&app, "/me", Some(&first))
        .await
        .cookie(COOKIE)
        .unwrap();

    proxy.set_silent(true);
    let slowest = every_request_gets_503_in_time(&app, &token).await;
    proxy.set_silent(false);

    // The old connection will never speak again; only a new one brings the session back.
    let reply = until_ok(&app, "/me", Some(&token), Duration::from_secs(5)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    println!("slowest 503 with a timeout of {TIMEOUT:?} behind a silent network: {slowest:?}");
    assert!(
        !logs.all().contains(PASSWORD),
        "a log line holds the password"
    );
}
