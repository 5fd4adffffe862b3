//! The demo app: log in as `alice` / `wonderland` and watch the session cookie rotate.
//!
//! ```text
//! cargo run --example demo
//! ```
//!
//! Settings come from the environment: `PORT` (3000), `SESSION_KEY` (a PASERK
//! `k4.local.…`; a new one each start without it), `SESSION_GRACE_SECS` (10),
//! `SESSION_IDLE_SECS` (1800) and, with the `redis` feature, `REDIS_URL`.

mod app;
mod pages;

use std::net::SocketAddr;
use std::time::Duration;

use paseto_session::{Key, Keyring, SessionConfig, SessionLayer};

use crate::app::{Accounts, User, app, demo_config};

fn env_seconds(name: &str, default: u64) -> Result<Duration, String> {
    match std::env::var(name) {
        Ok(text) => text
            .parse()
            .map(Duration::from_secs)
            .map_err(|_| format!("{name} must be a whole number of seconds")),
        Err(_) => Ok(Duration::from_secs(default)),
    }
}

fn session_key() -> Result<Key, Box<dyn std::error::Error>> {
    if let Ok(paserk) = std::env::var("SESSION_KEY") {
        return Ok(Key::from_paserk(&paserk)?);
    }
    tracing::warn!(
        "SESSION_KEY is not set: using a new random key, so sessions will not survive a \
         restart; set SESSION_KEY to a k4.local PASERK to keep them"
    );
    Ok(Key::generate()?)
}

async fn session_config() -> Result<SessionConfig, Box<dyn std::error::Error>> {
    let grace = env_seconds("SESSION_GRACE_SECS", 10)?;
    let idle = env_seconds("SESSION_IDLE_SECS", 1800)?;
    let config = demo_config(Keyring::new(session_key()?), grace, idle);

    let store = store_description();
    tracing::info!(
        grace_secs = grace.as_secs(),
        idle_secs = idle.as_secs(),
        store,
        "session settings"
    );
    with_store(config).await
}

fn store_description() -> &'static str {
    if std::env::var("REDIS_URL").is_ok() {
        "redis"
    } else {
        "memory"
    }
}

async fn with_store(config: SessionConfig) -> Result<SessionConfig, Box<dyn std::error::Error>> {
    match std::env::var("REDIS_URL") {
        Ok(url) => Ok(config.store(paseto_session::store::RedisStore::connect(&url).await?)),
        Err(_) => Ok(config),
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,paseto_session=debug".into()),
        )
        .init();

    let port: u16 = match std::env::var("PORT") {
        Ok(text) => text.parse().map_err(|_| "PORT must be a port number")?,
        Err(_) => 3000,
    };
    let layer = SessionLayer::<User>::new(session_config().await?)?;
    let app = app(Accounts::new()?, layer);

    let address = SocketAddr::from(([127, 0, 0, 1], port));
    let listener = tokio::net::TcpListener::bind(address).await?;
    tracing::info!("demo listening on http://{address}/ (log in as alice / wonderland)");
    axum::serve(listener, app).await?;
    Ok(())
}
