//! Two apps that share one login: log in on one, be logged in on the other.
//!
//! ```text
//! cargo run --example federation
//! ```
//!
//! Both apps run in this process for convenience, on `127.0.0.1:3001` ("accounts") and
//! `127.0.0.1:3002` ("shop"); what they share is only what two separate deployments
//! would share: the keyring, the cookie name and the implicit-assertion context. Browsers
//! send a localhost cookie to every port, so one cookie serves both.
//!
//! Each app has its own in-memory store, which adopts a family the other app began.
//! That is the gap the original design had: a token spent on one app can be presented
//! once to the other. Set `REDIS_URL` to give both apps one Redis store, and a token
//! spent on either is spent on both.

use std::net::SocketAddr;

use axum::Router;
use axum::extract::{Form, State};
use axum::response::{Html, Redirect};
use axum::routing::{get, post};
use paseto_session::{Key, Keyring, Session, SessionConfig, SessionError, SessionLayer, Sessions};
use serde::Deserialize;

#[derive(Session, Clone, Debug)]
struct Member {
    #[session(subject, max_len = 32)]
    name: String,
}

#[derive(Deserialize)]
struct LoginForm {
    name: String,
}

async fn home(State(app): State<&'static str>, member: Option<Member>) -> Html<String> {
    let greeting = match member {
        Some(member) => format!("Hello, {}, from the {app} app.", escape(&member.name)),
        None => format!("Nobody is logged in at the {app} app."),
    };
    Html(format!(
        "<!doctype html><title>{app}</title><h1 id=\"greeting\">{greeting}</h1>\
         <form method=\"post\" action=\"/login\"><input name=\"name\" value=\"alice\">\
         <button>Log in here</button></form>\
         <form method=\"post\" action=\"/logout\"><button>Log out</button></form>\
         <p><a href=\"http://127.0.0.1:3001/\">accounts</a> · \
         <a href=\"http://127.0.0.1:3002/\">shop</a></p>"
    ))
}

async fn login(
    sessions: Sessions<Member>,
    Form(form): Form<LoginForm>,
) -> Result<Redirect, SessionError> {
    // A federation demo, not a password demo: see the `demo` example for that.
    let name: String = form.name.chars().take(32).collect();
    sessions.start(Member { name }).await?;
    Ok(Redirect::to("/"))
}

async fn logout(sessions: Sessions<Member>) -> Result<Redirect, SessionError> {
    sessions.end().await?;
    Ok(Redirect::to("/"))
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

async fn serve(
    name: &'static str,
    port: u16,
    config: SessionConfig,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let app = Router::new()
        .route("/", get(home))
        .route("/login", post(login))
        .route("/logout", post(logout))
        .layer(SessionLayer::<Member>::new(config)?)
        .with_state(name);

    let address = SocketAddr::from(([127, 0, 0, 1], port));
    let listener = tokio::net::TcpListener::bind(address).await?;
    tracing::info!("{name} app on http://{address}/");
    axum::serve(listener, app).await?;
    Ok(())
}

/// The settings both apps must agree on; each app builds its own from the same text.
fn shared_config(paserk: &str) -> Result<SessionConfig, paseto_session::KeyError> {
    Ok(SessionConfig::new(Keyring::new(Key::from_paserk(paserk)?))
        .context("example.com federated login")
        .development_cookie(true))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    tracing_subscriber::fmt()
        .with_env_filter("info,paseto_session=debug")
        .init();

    let paserk = match std::env::var("SESSION_KEY") {
        Ok(paserk) => paserk,
        Err(_) => Key::generate()?.to_paserk().to_string(),
    };
    let accounts = with_store(shared_config(&paserk)?).await?;
    let shop = with_store(shared_config(&paserk)?).await?;

    let (first, second) =
        tokio::join!(serve("accounts", 3001, accounts), serve("shop", 3002, shop));
    first.and(second)
}

async fn with_store(
    config: SessionConfig,
) -> Result<SessionConfig, Box<dyn std::error::Error + Send + Sync>> {
    match std::env::var("REDIS_URL") {
        Ok(url) => Ok(config.store(paseto_session::store::RedisStore::connect(&url).await?)),
        Err(_) => Ok(config),
    }
}
