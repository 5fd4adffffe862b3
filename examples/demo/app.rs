//! The demo's routes and handlers, apart from its start-up so that the tests can serve
//! the same app.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use std::time::Duration;

use paseto_session::{Keyring, Session, SessionConfig, SessionError, SessionLayer, Sessions};
use serde::Deserialize;

use crate::pages;

/// The demo's session settings, with the grace period and idle timeout it was given.
pub(crate) fn demo_config(keyring: Keyring, grace: Duration, idle: Duration) -> SessionConfig {
    SessionConfig::new(keyring)
        .grace_period(grace)
        .idle_timeout(idle)
        .absolute_timeout(idle.max(Duration::from_secs(12 * 3600)))
        .login_url("/login")
        // The demo is served over plain http on localhost, where browsers refuse
        // `Secure` and prefixed cookies; the layer logs a warning about it.
        .development_cookie(true)
}

/// The session: who is logged in.
#[derive(Session, Clone, Debug)]
pub(crate) struct User {
    #[session(subject, max_len = 32)]
    username: String,
    #[session(max_len = 64)]
    display_name: String,
}

/// The demo's user table: one user, stored the way a real app stores passwords.
#[derive(Clone)]
pub(crate) struct Accounts {
    alice_hash: String,
    /// Checked for unknown names too, so that a wrong name takes as long as a wrong
    /// password and does not reveal which names exist.
    decoy_hash: String,
}

impl Accounts {
    pub(crate) fn new() -> Result<Self, argon2::password_hash::Error> {
        let hasher = Argon2::default();
        Ok(Self {
            alice_hash: hasher.hash_password(b"wonderland")?.to_string(),
            decoy_hash: hasher.hash_password(b"no such user")?.to_string(),
        })
    }

    fn check(&self, username: &str, password: &str) -> Option<User> {
        let known = username == "alice";
        let stored = if known {
            &self.alice_hash
        } else {
            &self.decoy_hash
        };
        let hash = PasswordHash::new(stored).ok()?;
        // The comparison inside `verify_password` runs in constant time.
        let matches = Argon2::default()
            .verify_password(password.as_bytes(), &hash)
            .is_ok();

        (known && matches).then(|| User {
            username: "alice".to_owned(),
            display_name: "Alice Liddell".to_owned(),
        })
    }
}

#[derive(Deserialize)]
struct LoginForm {
    username: String,
    password: String,
}

async fn home(user: Option<User>) -> Html<String> {
    Html(pages::home(
        user.as_ref().map(|user| user.display_name.as_str()),
    ))
}

async fn login_form() -> Html<String> {
    Html(pages::login(None))
}

async fn login(
    State(accounts): State<Accounts>,
    sessions: Sessions<User>,
    Form(form): Form<LoginForm>,
) -> Result<Response, SessionError> {
    let Some(user) = accounts.check(&form.username, &form.password) else {
        let page = pages::login(Some("Wrong username or password."));
        return Ok((StatusCode::UNAUTHORIZED, Html(page)).into_response());
    };

    sessions.start(user).await?;
    Ok(Redirect::to("/").into_response())
}

async fn protected(user: User) -> Html<String> {
    Html(pages::protected(&user.display_name))
}

async fn api_me(user: Option<User>) -> Response {
    match user {
        Some(user) => Json(serde_json::json!({
            "username": user.username,
            "display_name": user.display_name,
        }))
        .into_response(),
        None => {
            let body = Json(serde_json::json!({ "error": "login required" }));
            (StatusCode::UNAUTHORIZED, body).into_response()
        }
    }
}

async fn logout(sessions: Sessions<User>) -> Result<Redirect, SessionError> {
    sessions.end().await?;
    Ok(Redirect::to("/"))
}

async fn logout_everywhere(sessions: Sessions<User>) -> Result<Redirect, SessionError> {
    match sessions.end_everywhere().await {
        Ok(()) | Err(SessionError::NoSession) => Ok(Redirect::to("/")),
        Err(error) => Err(error),
    }
}

pub(crate) fn app(accounts: Accounts, layer: SessionLayer<User>) -> Router {
    Router::new()
        .route("/", get(home))
        .route("/login", get(login_form).post(login))
        .route("/protected", get(protected))
        .route("/api/me", get(api_me))
        .route("/logout", post(logout))
        .route("/logout-everywhere", post(logout_everywhere))
        .layer(layer)
        .with_state(accounts)
}
