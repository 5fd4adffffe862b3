//! A loop of full rotations of a typical session (about 400 bytes of claims) against the
//! in-memory store, for a profiler to watch: each turn presents the token the previous
//! turn issued. With `--e2e`, each turn is instead a request through an `axum::Router`
//! under the layer, following its Set-Cookie, to see what the layer adds around a rotation.
//!
//! ```text
//! cargo build --release --example rotate_loop
//! perf record -e cpu-clock --call-graph dwarf target/release/examples/rotate_loop 100000
//! perf record -e cpu-clock --call-graph dwarf target/release/examples/rotate_loop 100000 --e2e
//! ```

#![allow(clippy::print_stdout, reason = "the loop reports what it did")]

#[path = "../benches/common/mod.rs"]
mod common;

use std::time::Instant;

use common::{TypicalSession, Variant, cookie_pair, logged_in, run_ready, send};
use paseto_session::internals::{NOW, Rotation};
use paseto_session::store::FamilyId;
use paseto_session::{MemoryStore, SessionStore, Timestamp};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let turns: u64 = match std::env::args().nth(1) {
        Some(count) => count.parse()?,
        None => 200_000,
    };
    if std::env::args().any(|arg| arg == "--e2e") {
        return through_the_layer(turns);
    }

    let rotation = Rotation::new();
    let store = MemoryStore::starting_at(1024, NOW);
    let family = FamilyId::from_bytes([42; 16]);
    run_ready(store.begin(
        family,
        NOW,
        Timestamp::from_millis(NOW.as_millis() + 43_200_000),
    ))?;
    let token = rotation.first_token(&TypicalSession::sample(), family, NOW)?;
    let mut set_cookie = format!("__Host-session={token}");

    let started = Instant::now();
    for _ in 0..turns {
        let token = cookie_pair(&set_cookie)
            .split_once('=')
            .map_or("", |(_, token)| token);
        set_cookie = run_ready(rotation.rotate::<TypicalSession>(&store, token, NOW))
            .ok_or("a current token was refused")?;
    }
    let elapsed = started.elapsed();

    println!(
        "{turns} rotations in {:.2} s: {:.2} µs each",
        elapsed.as_secs_f64(),
        elapsed.as_secs_f64() * 1e6 / turns as f64
    );
    Ok(())
}

fn through_the_layer(turns: u64) -> Result<(), Box<dyn std::error::Error>> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let variant = Variant::Rotating;
    let router = variant.router(1024);
    let mut jar = runtime.block_on(logged_in(&router, variant));

    let started = Instant::now();
    runtime.block_on(async {
        for _ in 0..turns {
            let response = send(&router, variant.path(), &mut jar).await;
            assert!(response.status().is_success(), "a rotating request failed");
        }
    });
    let elapsed = started.elapsed();

    println!(
        "{turns} requests through the layer in {:.2} s: {:.2} µs each",
        elapsed.as_secs_f64(),
        elapsed.as_secs_f64() * 1e6 / turns as f64
    );
    Ok(())
}
