//! What the integration tests share: a clock they can move, and requests through a real
//! `axum::Router`.

#![allow(dead_code, unreachable_pub)]

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
