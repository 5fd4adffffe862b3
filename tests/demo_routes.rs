//! The demo's routes answer with the right status codes, and the cross-origin protection
//! judges every header combination as documented.

#![allow(
    clippy::unwrap_used,
    reason = "a test stops at the first unexpected error, and says where"
)]

#[path = "../examples/demo/app.rs"]
mod app;
#[path = "../examples/demo/pages.rs"]
mod pages;
mod support;

use std::time::Duration;

use axum::Router;
use axum::http::{Method, StatusCode};
use paseto_session::{Key, Keyring, SessionConfig, SessionLayer};
use support::{Reply, send};

const COOKIE: &str = "session";
const HOST: &str = "127.0.0.1:3000";
const ORIGIN: &str = "http://127.0.0.1:3000";

fn demo(adjust: impl FnOnce(SessionConfig) -> SessionConfig) -> Router {
    let keyring = Keyring::new(Key::generate().unwrap());
    let config = app::demo_config(keyring, Duration::from_secs(10), Duration::from_secs(1800));
    let layer = SessionLayer::<app::User>::new(adjust(config)).unwrap();
    app::app(app::Accounts::new().unwrap(), layer)
}

async fn post_form(app: &Router, path: &str, body: &str, headers: &[(&str, &str)]) -> Reply {
    use axum::body::Body;
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    let mut request = axum::http::Request::post(path)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("host", HOST);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let request = request.body(Body::from(body.to_owned())).unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    Reply {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

async fn log_in(app: &Router) -> String {
    let reply = post_form(
        app,
        "/login",
        "username=alice&password=wonderland",
        &[("origin", ORIGIN), ("sec-fetch-site", "same-origin")],
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(reply.headers["location"], "/");
    reply.cookie(COOKIE).unwrap()
}

fn cookie_header(token: &str) -> String {
    format!("{COOKIE}={token}")
}

#[tokio::test]
async fn each_route_answers_a_visitor_without_a_session() {
    let app = demo(|config| config);

    let home = send(&app, Method::GET, "/", &[]).await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("Hello, visitor."));

    assert_eq!(
        send(&app, Method::GET, "/login", &[]).await.status,
        StatusCode::OK
    );

    let protected = send(&app, Method::GET, "/protected", &[("accept", "text/html")]).await;
    assert_eq!(protected.status, StatusCode::SEE_OTHER);
    assert_eq!(protected.headers["location"], "/login");

    let api = send(&app, Method::GET, "/api/me", &[("accept", "text/html")]).await;
    assert_eq!(
        api.status,
        StatusCode::UNAUTHORIZED,
        "an API never redirects"
    );
    assert_eq!(api.headers["content-type"], "application/json");
    assert_eq!(api.body, r#"{"error":"login required"}"#);

    assert_eq!(
        post_form(&app, "/logout", "", &[]).await.status,
        StatusCode::SEE_OTHER
    );
    let everywhere = post_form(&app, "/logout-everywhere", "", &[]).await;
    assert_eq!(everywhere.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_wrong_password_or_name_is_a_401_without_a_cookie() {
    let app = demo(|config| config);

    for body in [
        "username=alice&password=rabbit",
        "username=bob&password=wonderland",
    ] {
        let reply = post_form(&app, "/login", body, &[]).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
        assert!(reply.body.contains("Wrong username or password."));
        assert!(reply.set_cookies().is_empty());
    }
}

#[tokio::test]
async fn each_route_answers_a_logged_in_visitor() {
    let app = demo(|config| config);
    let token = log_in(&app).await;

    let home = send(
        &app,
        Method::GET,
        "/",
        &[("cookie", &cookie_header(&token))],
    )
    .await;
    assert!(home.body.contains("Hello, Alice Liddell!"), "{}", home.body);
    let token = home.cookie(COOKIE).unwrap();

    let protected = send(
        &app,
        Method::GET,
        "/protected",
        &[("cookie", &cookie_header(&token))],
    )
    .await;
    assert_eq!(protected.status, StatusCode::OK);
    let token = protected.cookie(COOKIE).unwrap();

    let api = send(
        &app,
        Method::GET,
        "/api/me",
        &[("cookie", &cookie_header(&token))],
    )
    .await;
    assert_eq!(api.status, StatusCode::OK);
    assert_eq!(
        api.body,
        r#"{"display_name":"Alice Liddell","username":"alice"}"#
    );
    let token = api.cookie(COOKIE).unwrap();

    let same_origin = [("origin", ORIGIN), ("sec-fetch-site", "same-origin")];
    let cookie = cookie_header(&token);
    let mut headers = same_origin.to_vec();
    headers.push(("cookie", &cookie));
    let logout = post_form(&app, "/logout", "", &headers).await;
    assert_eq!(logout.status, StatusCode::SEE_OTHER);
    assert_eq!(logout.cookie(COOKIE).as_deref(), Some(""));

    let after = send(&app, Method::GET, "/api/me", &[("cookie", &cookie)]).await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn logout_everywhere_ends_the_other_devices_sessions() {
    let app = demo(|config| config);
    let laptop = log_in(&app).await;
    tokio::time::sleep(Duration::from_millis(5)).await;
    let phone = log_in(&app).await;

    let cookie = cookie_header(&laptop);
    let reply = post_form(
        &app,
        "/logout-everywhere",
        "",
        &[("cookie", &cookie), ("sec-fetch-site", "same-origin")],
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);

    let phone_reply = send(
        &app,
        Method::GET,
        "/api/me",
        &[("cookie", &cookie_header(&phone))],
    )
    .await;
    assert_eq!(phone_reply.status, StatusCode::UNAUTHORIZED);
}

/// Sends an unsafe request with the session cookie and the given headers; returns the
/// status the cross-origin protection leaves.
async fn cross_origin_status(app: &Router, method: &str, headers: &[(&str, &str)]) -> StatusCode {
    let token = log_in(app).await;
    let cookie = cookie_header(&token);
    let mut all = vec![("cookie", cookie.as_str())];
    all.extend_from_slice(headers);

    let method = Method::from_bytes(method.as_bytes()).unwrap();
    if method == Method::POST {
        return post_form(app, "/logout", "", &all).await.status;
    }
    let mut with_host = all.clone();
    with_host.push(("host", HOST));
    send(app, method, "/api/me", &with_host).await.status
}

#[tokio::test]
async fn cross_origin_protection_judges_every_header_combination() {
    let app = demo(|config| config);
    let forbidden = StatusCode::FORBIDDEN;
    let passed = StatusCode::SEE_OTHER; // the logout's redirect

    let cases: [(&[(&str, &str)], StatusCode); 10] = [
        (&[("sec-fetch-site", "same-origin")], passed),
        (&[("sec-fetch-site", "none")], passed),
        (&[("sec-fetch-site", "same-site")], forbidden),
        (&[("sec-fetch-site", "cross-site")], forbidden),
        (
            &[("sec-fetch-site", "cross-site"), ("origin", ORIGIN)],
            forbidden,
        ),
        (&[("origin", ORIGIN)], passed),
        (&[("origin", "http://evil.example")], forbidden),
        (&[("origin", "null")], forbidden),
        (&[("origin", "http://127.0.0.1:3001")], forbidden),
        (&[], passed),
    ];
    for (headers, expected) in cases {
        assert_eq!(
            cross_origin_status(&app, "POST", headers).await,
            expected,
            "{headers:?}"
        );
    }
}

#[tokio::test]
async fn safe_methods_and_requests_without_the_cookie_always_pass() {
    let app = demo(|config| config);
    let cross = [
        ("sec-fetch-site", "cross-site"),
        ("origin", "http://evil.example"),
    ];

    assert_eq!(
        cross_origin_status(&app, "GET", &cross).await,
        StatusCode::OK
    );
    let without_cookie = post_form(&app, "/logout", "", &cross).await;
    assert_eq!(without_cookie.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn trusted_origins_pass_and_the_protection_can_be_turned_off() {
    let trusting = demo(|config| config.trust_origin("https://admin.example/"));
    let from_admin = [
        ("sec-fetch-site", "cross-site"),
        ("origin", "https://admin.example"),
    ];
    assert_eq!(
        cross_origin_status(&trusting, "POST", &from_admin).await,
        StatusCode::SEE_OTHER
    );
    let from_elsewhere = [
        ("sec-fetch-site", "cross-site"),
        ("origin", "https://other.example"),
    ];
    assert_eq!(
        cross_origin_status(&trusting, "POST", &from_elsewhere).await,
        StatusCode::FORBIDDEN
    );

    let open = demo(|config| config.cross_origin_protection(false));
    let cross = [
        ("sec-fetch-site", "cross-site"),
        ("origin", "http://evil.example"),
    ];
    assert_eq!(
        cross_origin_status(&open, "POST", &cross).await,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn put_patch_and_delete_are_protected_like_post() {
    let app = demo(|config| config);
    let cross = [("sec-fetch-site", "cross-site")];
    for method in ["PUT", "PATCH", "DELETE"] {
        assert_eq!(
            cross_origin_status(&app, method, &cross).await,
            StatusCode::FORBIDDEN
        );
    }
}
