//! What the integration tests share: a clock they can move, and requests through a real
//! `axum::Router`.

#![allow(
    clippy::unwrap_used,
    reason = "a test stops at the first unexpected error, and says where"
)]
#![allow(
    dead_code,
    unreachable_pub,
    reason = "each test binary uses a different part of the support module"
)]

pub mod members;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use paseto_session::{Clock, Timestamp};
use tower::ServiceExt;

/// A clock that only moves when the test says so.
#[derive(Clone)]
pub struct TestClock(Arc<AtomicU64>);

impl TestClock {
    /// 2026-12-03T16:40:00Z.
    pub const START: Timestamp = Timestamp::from_millis(1_796_316_000_000);

    pub fn new() -> Self {
        Self(Arc::new(AtomicU64::new(Self::START.as_millis())))
    }

    pub fn advance(&self, by: Duration) {
        let millis = u64::try_from(by.as_millis()).unwrap();
        self.0.fetch_add(millis, Ordering::SeqCst);
    }

    pub fn set_back(&self, by: Duration) {
        let millis = u64::try_from(by.as_millis()).unwrap();
        self.0.fetch_sub(millis, Ordering::SeqCst);
    }
}

impl Clock for TestClock {
    fn now(&self) -> Timestamp {
        Timestamp::from_millis(self.0.load(Ordering::SeqCst))
    }
}

/// What a response said.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Reply {
    /// Every `Set-Cookie` header.
    pub fn set_cookies(&self) -> Vec<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|value| value.to_str().unwrap().to_owned())
            .collect()
    }

    /// The value the response stores in the cookie `name`, if it stores one (a deletion
    /// gives `Some("")`).
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.set_cookies().iter().find_map(|line| {
            let pair = line.split(';').next()?;
            let value = pair.strip_prefix(name)?.strip_prefix('=')?;
            Some(value.to_owned())
        })
    }
}

/// Sends one request through the router.
pub async fn send(app: &Router, method: Method, path: &str, headers: &[(&str, &str)]) -> Reply {
    let mut request = Request::builder().method(method).uri(path);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = app
        .clone()
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();

    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    Reply {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

/// A GET that carries `cookie` (name and value) when given.
pub async fn get(app: &Router, path: &str, cookie: Option<(&str, &str)>) -> Reply {
    match cookie {
        Some((name, value)) => {
            let header = format!("{name}={value}");
            send(app, Method::GET, path, &[("cookie", header.as_str())]).await
        }
        None => send(app, Method::GET, path, &[]).await,
    }
}

/// Unpadded base64url, as PASETO writes it.
pub fn base64url_encode(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let mut group = [0u8; 3];
        group[..chunk.len()].copy_from_slice(chunk);
        let bits = u32::from(group[0]) << 16 | u32::from(group[1]) << 8 | u32::from(group[2]);
        for index in 0..=chunk.len() {
            let symbol = (bits >> (18 - 6 * index)) & 0x3f;
            out.push(char::from(ALPHABET[usize::try_from(symbol).unwrap()]));
        }
    }
    out
}

/// Reads unpadded base64url.
pub fn base64url_decode(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut bits = 0u32;
    let mut count = 0;
    let mut out = Vec::new();
    for byte in text.bytes() {
        let value = ALPHABET.iter().position(|&symbol| symbol == byte).unwrap();
        bits = (bits << 6) | u32::try_from(value).unwrap();
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push(u8::try_from((bits >> count) & 0xff).unwrap());
        }
    }
    out
}

/// Encrypts any payload and footer under `key`, as another PASETO implementation holding
/// the key could.
pub fn mint(
    key: &paseto_session::Key,
    payload: &str,
    footer: Option<&[u8]>,
    context: &[u8],
) -> String {
    use pasetors::keys::SymmetricKey;
    use pasetors::version4::{LocalToken, V4};

    let paserk = key.to_paserk();
    let raw = SymmetricKey::<V4>::try_from(paserk.as_str()).unwrap();
    LocalToken::encrypt(&raw, payload.as_bytes(), footer, Some(context)).unwrap()
}

/// The footer this crate writes for `key`.
pub fn footer_of(key: &paseto_session::Key) -> Vec<u8> {
    format!("{{\"kid\":\"{}\"}}", key.id()).into_bytes()
}

/// Collects what the crate logs, at every level, while a test runs.
#[derive(Clone, Default)]
pub struct Logs(Arc<std::sync::Mutex<Vec<u8>>>);

impl Logs {
    /// Captures the events of this thread until the guard drops.
    pub fn capture() -> (Self, tracing::subscriber::DefaultGuard) {
        let logs = Self::default();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(logs.clone())
            .finish();
        let guard = tracing::subscriber::set_default(subscriber);
        (logs, guard)
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }

    pub fn clear(&self) {
        self.0.lock().unwrap().clear();
    }
}

impl std::io::Write for Logs {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Logs {
    type Writer = Logs;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}
