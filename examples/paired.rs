//! The ratios the targets of `BENCHMARKS.md` are stated in, measured interleaved: short
//! blocks of each contender take turns, so a change in the machine's speed during the run
//! (a shared host, a frequency step) falls on both sides of a ratio alike. Criterion runs
//! one benchmark after the other; this is the cross-check for its ratios.
//!
//! ```text
//! cargo run --release --example paired
//! ```

#![allow(clippy::print_stdout, reason = "the ratios are the program's output")]

#[path = "../benches/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use common::{ClientJar, TypicalSession, Variant, cookie_pair, logged_in, run_ready, send};
use paseto_session::internals::{NOW, Rotation, RotationCache};
use paseto_session::store::FamilyId;
use paseto_session::{Key, MemoryStore, SessionStore, Timestamp};
use pasetors::keys::SymmetricKey;
use pasetors::token::{Local, UntrustedToken};
use pasetors::version4::{LocalToken, V4};

const ROUNDS: usize = 300;
const BLOCK: u32 = 40;
const CONTEXT: &[u8] = b"paseto-session";
const KEY_BYTES: [u8; 32] = [7; 32];

/// The median time of one operation over the rounds' blocks.
fn median(mut per_op: Vec<Duration>) -> Duration {
    per_op.sort_unstable();
    per_op[per_op.len() / 2]
}

fn micros(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e6
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    rotation_against_floor()?;
    end_to_end_against_jar()?;
    Ok(())
}

/// A full rotation of a typical session beside pasetors' decrypt and encrypt of its bytes.
fn rotation_against_floor() -> Result<(), Box<dyn std::error::Error>> {
    let rotation = Rotation::new();
    let store = MemoryStore::starting_at(1024, NOW);
    let family = FamilyId::from_bytes([42; 16]);
    let expires = Timestamp::from_millis(NOW.as_millis() + 43_200_000);
    run_ready(store.begin(family, NOW, expires))?;
    let first_token = rotation.first_token(&TypicalSession::sample(), family, NOW)?;
    let mut set_cookie = format!("__Host-session={first_token}");

    let key = SymmetricKey::<V4>::from(&KEY_BYTES)?;
    let footer = format!("{{\"kid\":\"{}\"}}", Key::from_bytes(&KEY_BYTES)?.id());
    let footer = footer.as_bytes();

    // The same rotation as the layer runs it, with its token cache, on a family of its own.
    let cache = RotationCache::<TypicalSession>::new(8 * 1024 * 1024);
    let cached_family = FamilyId::from_bytes([43; 16]);
    run_ready(store.begin(cached_family, NOW, expires))?;
    let first_cached = rotation.first_token(&TypicalSession::sample(), cached_family, NOW)?;
    let mut cached_set_cookie = format!("__Host-session={first_cached}");

    let mut full = Vec::with_capacity(ROUNDS);
    let mut cached = Vec::with_capacity(ROUNDS);
    let mut floor = Vec::with_capacity(ROUNDS);
    for _ in 0..ROUNDS {
        let started = Instant::now();
        for _ in 0..BLOCK {
            let token = cookie_pair(&cached_set_cookie)
                .split_once('=')
                .map_or("", |(_, token)| token);
            let next = rotation.rotate_cached::<TypicalSession>(&cache, &store, token, NOW);
            cached_set_cookie = run_ready(next).ok_or("a current token was refused")?;
        }
        cached.push(started.elapsed() / BLOCK);

        let started = Instant::now();
        for _ in 0..BLOCK {
            let token = cookie_pair(&set_cookie)
                .split_once('=')
                .map_or("", |(_, token)| token);
            set_cookie = run_ready(rotation.rotate::<TypicalSession>(&store, token, NOW))
                .ok_or("a current token was refused")?;
        }
        full.push(started.elapsed() / BLOCK);

        let started = Instant::now();
        for _ in 0..BLOCK {
            let untrusted = UntrustedToken::<Local, V4>::try_from(first_token.as_str())?;
            let trusted = LocalToken::decrypt(&key, &untrusted, Some(footer), Some(CONTEXT))?;
            let again = LocalToken::encrypt(
                &key,
                trusted.payload().as_bytes(),
                Some(footer),
                Some(CONTEXT),
            )?;
            std::hint::black_box(again);
        }
        floor.push(started.elapsed() / BLOCK);
    }

    let (full, cached, floor) = (median(full), median(cached), median(floor));
    println!("typical session, median of {ROUNDS} interleaved blocks of {BLOCK}:");
    println!("  rotation/full            {:>8.2} µs", micros(full));
    println!("  rotation/full_cached     {:>8.2} µs", micros(cached));
    println!("  rotation/pasetors_floor  {:>8.2} µs", micros(floor));
    println!(
        "  full / floor             {:>8.2}",
        full.as_secs_f64() / floor.as_secs_f64()
    );
    println!(
        "  full_cached / floor      {:>8.2}",
        cached.as_secs_f64() / floor.as_secs_f64()
    );
    Ok(())
}

/// Each end-to-end variant in turn, one block each per round.
fn end_to_end_against_jar() -> Result<(), Box<dyn std::error::Error>> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let mut contenders: Vec<(Variant, axum::Router, ClientJar, Vec<Duration>)> = Vec::new();
    for variant in Variant::ALL {
        let router = variant.router(1024);
        let jar = runtime.block_on(logged_in(&router, variant));
        contenders.push((variant, router, jar, Vec::with_capacity(ROUNDS)));
    }

    for _ in 0..ROUNDS {
        for (variant, router, jar, times) in &mut contenders {
            let started = Instant::now();
            runtime.block_on(async {
                for _ in 0..BLOCK {
                    let response = send(router, variant.path(), jar).await;
                    assert!(response.status().is_success(), "{}", variant.name());
                }
            });
            times.push(started.elapsed() / BLOCK);
        }
    }

    println!("end to end through axum, median of {ROUNDS} interleaved blocks of {BLOCK}:");
    let mut medians = Vec::new();
    for (variant, _, _, times) in contenders {
        let median = median(times);
        println!("  e2e/{:<22} {:>8.2} µs", variant.name(), micros(median));
        medians.push((variant, median));
    }
    let of = |wanted: Variant| {
        medians
            .iter()
            .find(|(variant, _)| *variant == wanted)
            .map_or(f64::NAN, |(_, median)| median.as_secs_f64())
    };
    let jar = of(Variant::PrivateCookieJar);
    println!(
        "  rotating / jar           {:>8.2}",
        of(Variant::Rotating) / jar
    );
    println!(
        "  not rotating / jar       {:>8.2}",
        of(Variant::NotRotating) / jar
    );
    Ok(())
}
