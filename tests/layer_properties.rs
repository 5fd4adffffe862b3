//! Property tests through the whole layer: arbitrary cookie bytes and mutated valid
//! tokens never panic and never open a session.

#![allow(
    clippy::unwrap_used,
    reason = "a test stops at the first unexpected error, and says where"
)]

mod support;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderValue, Request};
use axum::routing::get;
use http_body_util::BodyExt;
use paseto_session::{Key, Keyring, MemoryStore, Session, SessionConfig, SessionLayer, Timestamp};
use proptest::prelude::*;
use support::{TestClock, footer_of, mint};
use tower::ServiceExt;

const COOKIE: &str = "__Host-session";

#[derive(Session, Clone, Debug)]
struct User {
    #[session(subject)]
    id: u64,
    #[session(max_len = 24)]
    name: String,
}

async fn maybe(user: Option<User>) -> String {
    user.map_or_else(|| "nobody".to_owned(), |user| user.name)
}

struct Target {
    app: Router,
    valid: String,
    runtime: tokio::runtime::Runtime,
}

impl Target {
    fn new() -> Self {
        let key = Key::generate().unwrap();
        let hour_before = Timestamp::from_millis(TestClock::START.as_millis() - 3_600_000);
        let config = SessionConfig::new(Keyring::new(Key::from_paserk(&key.to_paserk()).unwrap()))
            .clock(TestClock::new())
            .store(MemoryStore::starting_at(10_000, hour_before));
        let app = Router::new()
            .route("/", get(maybe))
            .layer(SessionLayer::<User>::new(config).unwrap());
        let payload = concat!(
            r#"{"jti":"00112233445566778899aabbccddeeff.0","iat":"2026-12-03T16:40:00Z","#,
            r#""nbf":"2026-12-03T16:40:00Z","exp":"2026-12-03T17:10:00Z","#,
            r#""auth":"2026-12-03T16:39:00Z","sub":"7","name":"alice"}"#
        );
        let valid = mint(&key, payload, Some(&footer_of(&key)), b"paseto-session");
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        Self {
            app,
            valid,
            runtime,
        }
    }

    /// The body the app answers for this `Cookie` header; `None` when the bytes cannot
    /// be a header value at all (HTTP stops those before any layer).
    fn answer(&self, cookie: &[u8]) -> Option<String> {
        let value = HeaderValue::from_bytes(cookie).ok()?;
        let mut request = Request::get("/").body(Body::empty()).unwrap();
        request.headers_mut().insert("cookie", value);

        self.runtime.block_on(async {
            let response = self.app.clone().oneshot(request).await.unwrap();
            let bytes = response.into_body().collect().await.unwrap().to_bytes();
            Some(String::from_utf8_lossy(&bytes).into_owned())
        })
    }
}

thread_local! {
    static TARGET: Target = Target::new();
}

#[test]
fn the_unmutated_token_opens_a_session() {
    TARGET.with(|target| {
        let cookie = format!("{COOKIE}={}", target.valid);
        assert_eq!(target.answer(cookie.as_bytes()).as_deref(), Some("alice"));
    });
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn arbitrary_cookie_bytes_give_no_session(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        TARGET.with(|target| {
            let mut cookie = format!("{COOKIE}=").into_bytes();
            cookie.extend_from_slice(&bytes);
            if let Some(body) = target.answer(&cookie) {
                prop_assert_eq!(body, "nobody");
            }
            Ok(())
        })?;
    }

    #[test]
    fn mutated_valid_tokens_give_no_session(
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..6),
    ) {
        TARGET.with(|target| {
            let mut token = target.valid.clone().into_bytes();
            for (index, byte, kind) in &edits {
                let position = index.index(token.len().max(1));
                match kind {
                    0 if position < token.len() => token[position] = *byte,
                    1 => token.insert(position.min(token.len()), *byte),
                    _ if position < token.len() => {
                        token.remove(position);
                    }
                    _ => {}
                }
            }
            prop_assume!(token != target.valid.as_bytes());

            let mut cookie = format!("{COOKIE}=").into_bytes();
            cookie.extend_from_slice(&token);
            if let Some(body) = target.answer(&cookie) {
                prop_assert_eq!(body, "nobody");
            }
            Ok(())
        })?;
    }
}
