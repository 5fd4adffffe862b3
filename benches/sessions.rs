//! What one request costs with this crate and with its peers, measured side by side in one
//! run so that the ratios in `BENCHMARKS.md` compare numbers taken under the same load.
//!
//! Groups: `codec` (encode and decode by session size), `store` (the in-memory store's
//! per-request check at 10k and 1M live families), `rotation` (a full rotation beside the
//! pasetors floor of the same bytes) and `e2e` (one request through an `axum::Router`).
//!
//! ```text
//! cargo bench --bench sessions -- --warm-up-time 1 --measurement-time 3
//! ```

#![allow(
    clippy::unwrap_used,
    reason = "a benchmark stops at the first unexpected error, and says where"
)]

#[path = "common/mod.rs"]
mod common;

use std::hint::black_box;
use std::time::Duration;

use common::{
    ClientJar, MaximalSession, SmallSession, TypicalSession, Variant, cookie_pair, logged_in,
    run_ready, send,
};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use paseto_session::internals::{NOW, Rotation, RotationCache, written_claims_len};
use paseto_session::store::{CheckRules, FamilyId, Presented, Verdict};
use paseto_session::{Key, MemoryStore, Session, SessionStore, Timestamp};
use pasetors::keys::SymmetricKey;
use pasetors::token::{Local, UntrustedToken};
use pasetors::version4::{LocalToken, V4};

/// The implicit assertion the internals' fixed key is used with.
const CONTEXT: &[u8] = b"paseto-session";
/// The internals' fixed key: 32 bytes of 7.
const KEY_BYTES: [u8; 32] = [7; 32];
/// The internals' absolute timeout: 12 hours.
const ABSOLUTE_MILLIS: u64 = 43_200_000;

/// A small, fast, reproducible source of family ids and indices (splitmix64); the
/// benchmark needs spread, not secrecy.
struct Spread(u64);

impl Spread {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut mixed = self.0;
        mixed = (mixed ^ (mixed >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        mixed = (mixed ^ (mixed >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        mixed ^ (mixed >> 31)
    }

    fn family(&mut self) -> FamilyId {
        let high = self.next().to_le_bytes();
        let low = self.next().to_le_bytes();
        let mut bytes = [0; 16];
        bytes[..8].copy_from_slice(&high);
        bytes[8..].copy_from_slice(&low);
        FamilyId::from_bytes(bytes)
    }

    fn below(&mut self, bound: usize) -> usize {
        usize::try_from(self.next() % u64::try_from(bound).unwrap()).unwrap()
    }
}

/// When a family begun at `NOW` can no longer be valid.
fn family_expiry() -> Timestamp {
    Timestamp::from_millis(NOW.as_millis() + ABSOLUTE_MILLIS)
}

/// A store that knows `family` at generation 0, and the family's first token.
fn session_with_token<T: Session>(rotation: &Rotation, data: &T) -> (MemoryStore, String) {
    let store = MemoryStore::starting_at(1024, NOW);
    let family = Spread(1).family();
    run_ready(store.begin(family, NOW, family_expiry())).unwrap();
    let token = rotation.first_token(data, family, NOW).unwrap();
    (store, token)
}

/// Prints, once, the sizes the benchmark names stand for.
fn describe_sizes(rotation: &Rotation, key: &SymmetricKey<V4>, footer: &[u8]) {
    describe_size(rotation, key, footer, "small", &SmallSession::sample());
    describe_size(rotation, key, footer, "typical", &TypicalSession::sample());
    describe_size(rotation, key, footer, "maximal", &MaximalSession::sample());
}

fn describe_size<T: Session>(
    rotation: &Rotation,
    key: &SymmetricKey<V4>,
    footer: &[u8],
    size: &str,
    data: &T,
) {
    let token = rotation.first_token(data, Spread(1).family(), NOW).unwrap();
    let payload = decrypt_payload(key, &token, footer);
    eprintln!(
        "{size}: {} bytes of own claims, payload {} bytes, token {} bytes, cookie {} bytes",
        written_claims_len(data).unwrap(),
        payload.len(),
        token.len(),
        "__Host-session=".len() + token.len()
    );
}

fn decrypt_payload(key: &SymmetricKey<V4>, token: &str, footer: &[u8]) -> String {
    let untrusted = UntrustedToken::<Local, V4>::try_from(token).unwrap();
    let trusted = LocalToken::decrypt(key, &untrusted, Some(footer), Some(CONTEXT)).unwrap();
    trusted.payload().to_owned()
}

fn codec(c: &mut Criterion) {
    let rotation = Rotation::new();
    let family = Spread(1).family();
    let mut group = c.benchmark_group("codec");

    bench_codec(
        &mut group,
        &rotation,
        family,
        "small",
        &SmallSession::sample(),
    );
    bench_codec(
        &mut group,
        &rotation,
        family,
        "typical",
        &TypicalSession::sample(),
    );
    bench_codec(
        &mut group,
        &rotation,
        family,
        "maximal",
        &MaximalSession::sample(),
    );
    group.finish();
}

fn bench_codec<T: Session>(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    rotation: &Rotation,
    family: FamilyId,
    size: &str,
    data: &T,
) {
    group.bench_function(BenchmarkId::new("encode", size), |b| {
        b.iter(|| rotation.encode(black_box(data), family, 7, NOW).unwrap());
    });

    let token = rotation.encode(data, family, 7, NOW).unwrap();
    group.bench_function(BenchmarkId::new("decode", size), |b| {
        b.iter(|| rotation.decode::<T>(black_box(&token), NOW).unwrap());
    });
}

fn store(c: &mut Criterion) {
    let mut group = c.benchmark_group("store");
    for (label, families) in [("10k", 10_000), ("1M", 1_000_000)] {
        bench_store_check(&mut group, label, families);
    }
    group.finish();
}

/// `check` with rotation on a current token of a family picked at random, the way the
/// layer calls it once per request.
fn bench_store_check(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    label: &str,
    families: usize,
) {
    // Headroom over the live families, so that the cache's approximate bound evicts none
    // of them and every presented token stays current.
    let store = MemoryStore::starting_at(families + families / 4, NOW);
    let mut spread = Spread(families as u64);
    let mut live: Vec<(FamilyId, u64)> = (0..families).map(|_| (spread.family(), 0)).collect();
    for (family, _) in &live {
        run_ready(store.begin(*family, NOW, family_expiry())).unwrap();
    }
    assert_eq!(store.stats().families, families, "every family stays live");

    let authenticated_at = Timestamp::from_millis(NOW.as_millis() - 60_000);
    let rules = CheckRules {
        now: NOW,
        grace_period: Duration::from_secs(10),
        rotate: true,
        family_expires_at: family_expiry(),
    };
    group.bench_function(BenchmarkId::new("check_rotate", label), |b| {
        b.iter(|| {
            let index = spread.below(live.len());
            let (family, generation) = &mut live[index];
            let presented = Presented {
                family: *family,
                generation: *generation,
                subject: Some("4211"),
                authenticated_at,
                issued_at: NOW,
            };
            let verdict = run_ready(store.check(presented, rules)).unwrap();
            match verdict {
                Verdict::Current {
                    generation: next, ..
                } => *generation = next,
                other => panic!("a current token was answered {other:?}"),
            }
        });
    });
}

fn rotation(c: &mut Criterion) {
    let rotation = Rotation::new();
    let key = SymmetricKey::<V4>::from(&KEY_BYTES).unwrap();
    let footer = format!(
        "{{\"kid\":\"{}\"}}",
        Key::from_bytes(&KEY_BYTES).unwrap().id()
    );
    describe_sizes(&rotation, &key, footer.as_bytes());

    let mut group = c.benchmark_group("rotation");
    bench_rotation(
        &mut group,
        &rotation,
        &key,
        footer.as_bytes(),
        "small",
        &SmallSession::sample(),
    );
    bench_rotation(
        &mut group,
        &rotation,
        &key,
        footer.as_bytes(),
        "typical",
        &TypicalSession::sample(),
    );
    bench_rotation(
        &mut group,
        &rotation,
        &key,
        footer.as_bytes(),
        "maximal",
        &MaximalSession::sample(),
    );
    group.finish();
}

/// A full rotation, and beside it the floor: pasetors decrypting the same token and
/// encrypting the same payload bytes again, with the same footer and implicit assertion.
fn bench_rotation<T: Session>(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    rotation: &Rotation,
    key: &SymmetricKey<V4>,
    footer: &[u8],
    size: &str,
    data: &T,
) {
    // Each iteration presents the token the previous one issued, so every rotation is of
    // a current token, as a browser following Set-Cookie would present it. The token is
    // read in place from the Set-Cookie line: the benchmark adds no copy.
    let (store, first_token) = session_with_token(rotation, data);
    let mut set_cookie = format!("__Host-session={first_token}");
    group.bench_function(BenchmarkId::new("full", size), |b| {
        b.iter(|| {
            let token = cookie_pair(&set_cookie)
                .split_once('=')
                .map_or("", |(_, token)| token);
            set_cookie = run_ready(rotation.rotate::<T>(&store, token, NOW))
                .expect("a current token rotates");
        });
    });

    // The same, as the layer does it: the token the previous rotation issued is found in
    // the token cache instead of being decrypted. A fresh family keeps the two runs apart.
    let cache = RotationCache::<T>::new(8 * 1024 * 1024);
    let (cached_store, first_cached) = session_with_token(rotation, data);
    let mut cached_set_cookie = format!("__Host-session={first_cached}");
    group.bench_function(BenchmarkId::new("full_cached", size), |b| {
        b.iter(|| {
            let token = cookie_pair(&cached_set_cookie)
                .split_once('=')
                .map_or("", |(_, token)| token);
            cached_set_cookie =
                run_ready(rotation.rotate_cached::<T>(&cache, &cached_store, token, NOW))
                    .expect("a current token rotates");
        });
    });

    group.bench_function(BenchmarkId::new("pasetors_floor", size), |b| {
        b.iter(|| {
            let untrusted =
                UntrustedToken::<Local, V4>::try_from(black_box(first_token.as_str())).unwrap();
            let trusted =
                LocalToken::decrypt(key, &untrusted, Some(footer), Some(CONTEXT)).unwrap();
            LocalToken::encrypt(
                key,
                trusted.payload().as_bytes(),
                Some(footer),
                Some(CONTEXT),
            )
            .unwrap()
        });
    });
}

fn end_to_end(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut group = c.benchmark_group("e2e");
    for variant in Variant::ALL {
        let router = variant.router(1024);
        let jar = runtime.block_on(logged_in(&router, variant));
        bench_end_to_end(&mut group, &runtime, variant, router, jar);
    }
    group.finish();
}

/// One request through the router with the client's cookies, following its Set-Cookie so
/// that the rotating variant always presents its current token.
fn bench_end_to_end(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    runtime: &tokio::runtime::Runtime,
    variant: Variant,
    router: axum::Router,
    jar: ClientJar,
) {
    let jar = std::cell::RefCell::new(jar);
    let (router, jar) = (&router, &jar);
    group.bench_function(variant.name(), |b| {
        b.to_async(runtime).iter(move || async move {
            // Taken, not cloned, so the benchmark adds no copy of the cookies.
            let mut held = std::mem::take(&mut *jar.borrow_mut());
            let response = send(router, variant.path(), &mut held).await;
            assert!(response.status().is_success(), "{}", variant.name());
            *jar.borrow_mut() = held;
            response
        });
    });
}

fn configured() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
}

criterion_group! {
    name = benches;
    config = configured();
    targets = codec, store, rotation, end_to_end
}
criterion_main!(benches);
