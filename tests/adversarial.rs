//! Hostile cookies through the whole layer: each one ends as "no session", with no panic,
//! a debug-level reason in the log, and never a token in the log.

#![allow(
    clippy::unwrap_used,
    reason = "a test stops at the first unexpected error, and says where"
)]

mod support;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderValue, Request, StatusCode};
use axum::routing::get;
use http_body_util::BodyExt;
use paseto_session::{Key, Keyring, MemoryStore, Session, SessionConfig, SessionLayer, Timestamp};
use support::{Logs, TestClock, base64url_decode, base64url_encode, footer_of, mint};
use tower::ServiceExt;

const COOKIE: &str = "__Host-session";
const CONTEXT: &[u8] = b"paseto-session";
const FAMILY: &str = "00112233445566778899aabbccddeeff";

#[derive(Session, Clone, Debug, PartialEq)]
struct User {
    #[session(subject)]
    id: u64,
    #[session(max_len = 16)]
    name: String,
}

async fn maybe(user: Option<User>) -> String {
    user.map_or_else(
        || "nobody".to_owned(),
        |user| format!("{}:{}", user.id, user.name),
    )
}

struct Target {
    app: Router,
    key: Key,
}

impl Target {
    fn new() -> Self {
        let key = Key::generate().unwrap();
        let clock = TestClock::new();
        // The store began before the minted tokens were issued, so it adopts their
        // families as it would a federated app's: a well-formed minted token is accepted,
        // which is what makes each refusal below meaningful.
        let an_hour_before = TestClock::START.as_millis() - 3_600_000;
        let store = MemoryStore::starting_at(1_000, Timestamp::from_millis(an_hour_before));
        let config = SessionConfig::new(Keyring::new(Key::from_paserk(&key.to_paserk()).unwrap()))
            .clock(clock)
            .store(store);
        let app = Router::new()
            .route("/", get(maybe))
            .layer(SessionLayer::<User>::new(config).unwrap());
        Self { app, key }
    }

    fn token(&self, payload: &str) -> String {
        mint(&self.key, payload, Some(&footer_of(&self.key)), CONTEXT)
    }

    async fn send_header(&self, cookie: HeaderValue) -> (StatusCode, String, Vec<String>) {
        let mut request = Request::get("/").body(Body::empty()).unwrap();
        request.headers_mut().append("cookie", cookie);
        let response = self.app.clone().oneshot(request).await.unwrap();

        let status = response.status();
        let set_cookies = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|value| value.to_str().unwrap().to_owned())
            .collect();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        (
            status,
            String::from_utf8_lossy(&body).into_owned(),
            set_cookies,
        )
    }

    async fn body_for(&self, token: &str) -> String {
        let cookie = HeaderValue::from_str(&format!("{COOKIE}={token}")).unwrap();
        self.send_header(cookie).await.1
    }

    /// Asserts that `token` gives no session, is not answered with a new token, and that
    /// the log holds a debug reason but not the token.
    async fn refuses(&self, logs: &Logs, token: &str, case: &str) {
        logs.clear();
        let cookie = HeaderValue::from_str(&format!("{COOKIE}={token}")).unwrap();
        let (status, body, set_cookies) = self.send_header(cookie).await;

        assert_eq!(status, StatusCode::OK, "{case}");
        assert_eq!(body, "nobody", "{case}");
        for line in set_cookies {
            assert!(
                line.starts_with(&format!("{COOKIE}=;")),
                "{case}: only a deletion"
            );
        }
        let text = logs.text();
        assert!(
            text.contains("DEBUG") && text.contains("no session"),
            "{case}: {text}"
        );
        if token.len() >= 29 {
            assert!(
                !text.contains(&token[9..29]),
                "{case}: the log shows the token"
            );
        }
    }
}

/// A payload as this crate writes it, issued at the test clock's start.
fn payload_with(extra: &str) -> String {
    format!(
        concat!(
            r#"{{"jti":"{}.0","iat":"2026-12-03T16:40:00Z","nbf":"2026-12-03T16:40:00Z","#,
            r#""exp":"2026-12-03T17:10:00Z","auth":"2026-12-03T16:39:00.000Z","#,
            r#""sub":"7","name":"alice"{}}}"#
        ),
        FAMILY, extra
    )
}

#[tokio::test]
async fn a_well_formed_minted_token_is_accepted() {
    let target = Target::new();
    assert_eq!(
        target.body_for(&target.token(&payload_with(""))).await,
        "7:alice"
    );
}

#[tokio::test]
async fn every_bit_flip_of_a_valid_token_is_refused() {
    let target = Target::new();
    let (logs, _guard) = Logs::capture();
    let token = target.token(&payload_with(""));
    let (body, footer) = token["v4.local.".len()..].split_once('.').unwrap();
    let raw = base64url_decode(body);

    let mut flips = 0;
    for position in 0..raw.len() {
        for bit in 0..8 {
            let mut flipped = raw.clone();
            flipped[position] ^= 1 << bit;
            let forged = format!("v4.local.{}.{footer}", base64url_encode(&flipped));
            target
                .refuses(&logs, &forged, &format!("byte {position} bit {bit}"))
                .await;
            flips += 1;
        }
    }
    assert_eq!(flips, raw.len() * 8);
}

#[tokio::test]
async fn every_truncation_of_a_valid_token_is_refused() {
    let target = Target::new();
    let (logs, _guard) = Logs::capture();
    let token = target.token(&payload_with(""));

    for length in 0..token.len() {
        target
            .refuses(&logs, &token[..length], &format!("length {length}"))
            .await;
    }
}

#[tokio::test]
async fn footers_with_unknown_missing_or_malformed_key_ids_are_refused() {
    let target = Target::new();
    let (logs, _guard) = Logs::capture();
    let payload = payload_with("");
    let stranger = Key::generate().unwrap();
    let own_id = target.key.id().to_owned();

    let footers: Vec<Option<Vec<u8>>> = vec![
        None,
        Some(footer_of(&stranger)),
        Some(b"{}".to_vec()),
        Some(format!("{{\"kid\":\"{}\"}}", &own_id[..own_id.len() - 1]).into_bytes()),
        Some(format!("{{\"kid\":\"{own_id}\",\"kid\":\"{own_id}\"}}").into_bytes()),
        Some(format!("{{\"kid\": \"{own_id}\"}}").into_bytes()),
        Some(own_id.clone().into_bytes()),
        Some(vec![0xff; 61]),
        Some(vec![b'x'; 2_000]),
    ];
    for footer in footers {
        let token = mint(&target.key, &payload, footer.as_deref(), CONTEXT);
        target
            .refuses(&logs, &token, &format!("footer {footer:?}"))
            .await;
    }
}

#[tokio::test]
async fn payloads_out_of_shape_are_refused() {
    let target = Target::new();
    let (logs, _guard) = Logs::capture();
    let valid = payload_with("");

    let cases = [
        (
            "duplicate registered claim",
            valid.replace(r#""sub":"7""#, r#""sub":"7","exp":"2026-12-03T17:10:00Z""#),
        ),
        ("duplicate session claim", payload_with(r#","name":"bob""#)),
        ("duplicate subject", payload_with(r#","sub":"8""#)),
        (
            "deep nesting",
            payload_with(&format!(r#","x":{}"#, "[".repeat(1_000))),
        ),
        (
            "exp as a number",
            valid.replace(r#""exp":"2026-12-03T17:10:00Z""#, r#""exp":1796317800"#),
        ),
        (
            "iat as an object",
            valid.replace(r#""iat":"2026-12-03T16:40:00Z""#, r#""iat":{}"#),
        ),
        (
            "jti as a number",
            valid.replace(&format!(r#""{FAMILY}.0""#), "0"),
        ),
        (
            "subject not a number",
            valid.replace(r#""sub":"7""#, r#""sub":"seven""#),
        ),
        (
            "name over its bound",
            valid.replace(r#""name":"alice""#, r#""name":"aaaaaaaaaaaaaaaaa""#),
        ),
        (
            "no exp",
            valid.replace(r#""exp":"2026-12-03T17:10:00Z","#, ""),
        ),
        (
            "no iat",
            valid.replace(r#""iat":"2026-12-03T16:40:00Z","#, ""),
        ),
        (
            "no nbf",
            valid.replace(r#""nbf":"2026-12-03T16:40:00Z","#, ""),
        ),
        (
            "no jti",
            valid.replace(&format!(r#""jti":"{FAMILY}.0","#), ""),
        ),
        (
            "no auth",
            valid.replace(r#""auth":"2026-12-03T16:39:00.000Z","#, ""),
        ),
        ("no subject", valid.replace(r#""sub":"7","#, "")),
        ("not an object", "[1,2,3]".to_owned()),
        ("not JSON", "hello".to_owned()),
        ("trailing garbage", format!("{valid}}}")),
        ("invalid UTF-8 escape", valid.replace("alice", r"\ud800")),
        (
            "exp beyond the idle timeout",
            valid.replace("2026-12-03T17:10:00Z", "2036-12-03T17:10:00Z"),
        ),
        (
            "iat in the future",
            valid.replace(
                r#""iat":"2026-12-03T16:40:00Z""#,
                r#""iat":"2026-12-03T17:00:00Z""#,
            ),
        ),
        (
            "nbf in the future",
            valid.replace(
                r#""nbf":"2026-12-03T16:40:00Z""#,
                r#""nbf":"2026-12-03T17:00:00Z""#,
            ),
        ),
        (
            "expired",
            valid.replace("2026-12-03T17:10:00Z", "2026-12-03T16:39:00Z"),
        ),
        (
            "login older than the absolute timeout",
            valid.replace("2026-12-03T16:39:00.000Z", "2026-12-02T16:39:00Z"),
        ),
        ("unexpected issuer", payload_with(r#","iss":"elsewhere""#)),
        ("unexpected audience", payload_with(r#","aud":"elsewhere""#)),
    ];
    for (case, payload) in cases {
        target.refuses(&logs, &target.token(&payload), case).await;
    }
}

#[tokio::test]
async fn a_payload_at_the_size_limit_is_judged_by_its_claims_and_one_past_it_is_refused() {
    let target = Target::new();
    let (logs, _guard) = Logs::capture();

    // Pad with an unknown claim, which is ignored, until the token is exactly as long
    // as a cookie may be, and then one byte longer.
    let mut padding = 0;
    let token_at = |padding: usize| {
        target.token(&payload_with(&format!(
            r#","pad":"{}""#,
            "p".repeat(padding)
        )))
    };
    while token_at(padding + 1).len() <= 4096 {
        padding += 1;
    }
    let at_limit = token_at(padding);
    assert!(
        at_limit.len() <= 4096 && at_limit.len() > 4090,
        "{}",
        at_limit.len()
    );
    assert_eq!(target.body_for(&at_limit).await, "7:alice");

    let past_limit = token_at(padding + 3);
    assert!(past_limit.len() > 4096);
    target
        .refuses(&logs, &past_limit, "one past the limit")
        .await;
}

#[tokio::test]
async fn tokens_for_another_purpose_or_version_are_refused() {
    let target = Target::new();
    let (logs, _guard) = Logs::capture();
    let payload = payload_with("");

    let other_context = mint(
        &target.key,
        &payload,
        Some(&footer_of(&target.key)),
        b"password-reset",
    );
    target
        .refuses(&logs, &other_context, "another implicit context")
        .await;
    let no_context = mint(&target.key, &payload, Some(&footer_of(&target.key)), b"");
    target
        .refuses(&logs, &no_context, "no implicit context")
        .await;

    let valid = target.token(&payload);
    for header in [
        "v4.public.",
        "v3.local.",
        "v2.local.",
        "v1.local.",
        "V4.LOCAL.",
        "v4.local",
    ] {
        let forged = valid.replacen("v4.local.", header, 1);
        target.refuses(&logs, &forged, header).await;
    }
}

#[tokio::test]
async fn huge_headers_with_many_cookies_and_odd_bytes_give_no_session() {
    let target = Target::new();
    let valid = target.token(&payload_with(""));

    for size in [8 * 1024, 64 * 1024] {
        let mut header = String::new();
        let mut index = 0;
        while header.len() < size {
            header.push_str(&format!("c{index}=v{index}; "));
            index += 1;
        }
        let (status, body, _) = target
            .send_header(HeaderValue::from_str(&header).unwrap())
            .await;
        assert_eq!(
            (status, body.as_str()),
            (StatusCode::OK, "nobody"),
            "{size} bytes"
        );

        // Our cookie buried among them still counts, once.
        let with_ours = format!("{header}{COOKIE}={valid}");
        let (_, body, _) = target
            .send_header(HeaderValue::from_str(&with_ours).unwrap())
            .await;
        assert_eq!(body, "7:alice", "{size} bytes with ours");
    }

    let odd: &[&[u8]] = &[
        b"__Host-session=v4.local.\xff\xfe\xfd",
        b"__Host-session=\x80",
        b"__host-session=ignored",
        b"__HOST-SESSION=ignored",
        b"__Host-session",
        b"__Host-session=",
        b"=;;;=;",
    ];
    for bytes in odd {
        let (status, body, _) = target
            .send_header(HeaderValue::from_bytes(bytes).unwrap())
            .await;
        assert_eq!(
            (status, body.as_str()),
            (StatusCode::OK, "nobody"),
            "{bytes:?}"
        );
    }

    // The cookie name in another case is another cookie: a valid token under it is
    // not a session.
    let other_case = format!("__host-session={valid}");
    let (_, body, _) = target
        .send_header(HeaderValue::from_str(&other_case).unwrap())
        .await;
    assert_eq!(body, "nobody");
}

#[tokio::test]
async fn a_replayed_token_is_logged_at_warn_without_the_token() {
    let target = Target::new();
    let (logs, _guard) = Logs::capture();
    let token = target.token(&payload_with(""));

    assert_eq!(target.body_for(&token).await, "7:alice");
    // The test clock never moves, so the grace period covers one reuse; a third use of
    // generation 0 is two behind once the family has rotated twice.
    let cookie = HeaderValue::from_str(&format!("{COOKIE}={token}")).unwrap();
    let reply = target.send_header(cookie).await;
    let next = reply.2[0]
        .split(';')
        .next()
        .unwrap()
        .split_once('=')
        .unwrap()
        .1
        .to_owned();
    assert_eq!(target.body_for(&next).await, "7:alice");
    assert_eq!(target.body_for(&token).await, "nobody");

    let text = logs.text();
    assert!(text.contains("WARN") && text.contains("replayed"), "{text}");
    assert!(!text.contains(&token[9..40]));
    assert!(!text.contains(&next[9..40]));
}

#[test]
fn keys_keyrings_and_configs_never_show_key_material() {
    let key = Key::generate().unwrap();
    let paserk = key.to_paserk().to_string();
    let encoded_bytes = paserk.trim_start_matches("k4.local.").to_owned();
    let keyring =
        Keyring::new(Key::from_paserk(&paserk).unwrap()).with_retired(Key::generate().unwrap());
    let config = SessionConfig::new(Keyring::new(Key::from_paserk(&paserk).unwrap()));

    let texts = [
        format!("{key:?}"),
        format!("{key:#?}"),
        format!("{keyring:?}"),
        format!("{config:?}"),
        format!("{:?}", paseto_session::KeyError::Paserk),
        format!("{}", Key::from_paserk("k4.local.AAAA").unwrap_err()),
    ];
    for text in texts {
        assert!(!text.contains(&encoded_bytes), "{text}");
        assert!(!text.contains(&encoded_bytes[..12]), "{text}");
    }
    assert!(
        format!("{key:?}").contains(key.id()),
        "the public id is shown"
    );
}

#[tokio::test]
async fn the_idle_window_is_the_whole_token_lifetime() {
    let target = Target::new();
    // A token issued an idle timeout ago (30 min) is refused even though its family is
    // unknown and adoptable.
    let old = payload_with("")
        .replace("2026-12-03T16:40:00Z", "2026-12-03T16:05:00Z")
        .replace("2026-12-03T17:10:00Z", "2026-12-03T16:35:00Z");
    assert_eq!(target.body_for(&target.token(&old)).await, "nobody");
}
