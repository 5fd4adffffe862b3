//! One behavioural suite, run for every store: each test body takes a store and is run
//! once for the in-memory store and once for the Redis store (ignored unless Redis is
//! there), so that both give the same verdicts.

// Clippy allows `unwrap` and printing only in code under `cfg(test)`; the helpers
// below are test code too.
#![cfg(test)]

mod redis_support;
mod support;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::StatusCode;
use paseto_session::store::{CheckRules, FamilyId, Presented, SessionStore, Verdict, decide};
use paseto_session::{Key, Keyring, MemoryStore, SessionConfig, SessionLayer, Timestamp};
use support::{Reply, TestClock, get as get_with};

const GRACE: Duration = Duration::from_secs(10);
const LIFETIME: Duration = Duration::from_secs(600);
const START: Timestamp = TestClock::START;

fn at(offset: Duration) -> Timestamp {
    Timestamp::from_millis(START.as_millis() + u64::try_from(offset.as_millis()).unwrap())
}

fn millis(count: u64) -> Duration {
    Duration::from_millis(count)
}

fn rules(now: Timestamp, rotate: bool) -> CheckRules {
    CheckRules {
        now,
        grace_period: GRACE,
        rotate,
        family_expires_at: expiry(START),
    }
}

fn expiry(from: Timestamp) -> Timestamp {
    Timestamp::from_millis(from.as_millis() + u64::try_from(LIFETIME.as_millis()).unwrap())
}

fn token<'a>(family: FamilyId, generation: u64, subject: Option<&'a str>) -> Presented<'a> {
    Presented {
        family,
        generation,
        subject,
        authenticated_at: START,
        issued_at: START,
    }
}

/// Begins a family at `START`.
async fn begin(store: &dyn SessionStore) -> FamilyId {
    let family = FamilyId::random().unwrap();
    store.begin(family, START, expiry(START)).await.unwrap();
    family
}

async fn check(store: &dyn SessionStore, presented: Presented<'_>, rules: CheckRules) -> Verdict {
    store.check(presented, rules).await.unwrap()
}

fn rotated(generation: u64) -> Verdict {
    Verdict::Current {
        generation,
        rotated: true,
    }
}

// ---- Through the store trait ----

async fn a_current_token_advances_its_family_one_generation_at_a_time(
    store: Arc<dyn SessionStore>,
) {
    let family = begin(&*store).await;

    for generation in 0..5 {
        let verdict = check(&*store, token(family, generation, None), rules(START, true)).await;
        assert_eq!(verdict, rotated(generation + 1));
    }
}

async fn a_check_without_rotation_keeps_the_generation(store: Arc<dyn SessionStore>) {
    let family = begin(&*store).await;

    for _ in 0..3 {
        let verdict = check(&*store, token(family, 0, None), rules(START, false)).await;
        assert_eq!(
            verdict,
            Verdict::Current {
                generation: 0,
                rotated: false
            }
        );
    }
    let verdict = check(&*store, token(family, 0, None), rules(START, true)).await;
    assert_eq!(
        verdict,
        rotated(1),
        "generation 0 was still the current one"
    );
}

async fn the_previous_generation_is_accepted_up_to_the_end_of_the_grace_period(
    store: Arc<dyn SessionStore>,
) {
    let family = begin(&*store).await;
    let rotated_at = at(millis(1_000));
    check(&*store, token(family, 0, None), rules(rotated_at, true)).await;

    let last_moment = at(millis(1_000) + GRACE);
    for _ in 0..3 {
        let verdict = check(&*store, token(family, 0, None), rules(last_moment, true)).await;
        assert_eq!(verdict, Verdict::Grace { generation: 1 });
    }

    // A grace answer never advanced the family: generation 1 is still the current one.
    let verdict = check(&*store, token(family, 1, None), rules(last_moment, true)).await;
    assert_eq!(verdict, rotated(2));
}

async fn a_spent_token_after_the_grace_period_revokes_its_family(store: Arc<dyn SessionStore>) {
    let family = begin(&*store).await;
    check(&*store, token(family, 0, None), rules(START, true)).await;
    check(&*store, token(family, 1, None), rules(START, true)).await;

    let too_late = at(GRACE + millis(1));
    let verdict = check(&*store, token(family, 1, None), rules(too_late, true)).await;
    assert_eq!(verdict, Verdict::Replayed);

    // The newest generation, held by the victim, is dead too, and so is the replayed one.
    for generation in [2, 1, 0] {
        let verdict = check(
            &*store,
            token(family, generation, None),
            rules(too_late, true),
        )
        .await;
        assert_eq!(verdict, Verdict::Revoked, "generation {generation}");
    }
}

async fn a_token_two_generations_behind_is_a_replay_even_within_the_grace_period(
    store: Arc<dyn SessionStore>,
) {
    let family = begin(&*store).await;
    check(&*store, token(family, 0, None), rules(START, true)).await;
    check(&*store, token(family, 1, None), rules(START, true)).await;

    let verdict = check(&*store, token(family, 0, None), rules(START, true)).await;
    assert_eq!(verdict, Verdict::Replayed);
    let verdict = check(&*store, token(family, 2, None), rules(START, true)).await;
    assert_eq!(verdict, Verdict::Revoked);
}

async fn revoking_a_family_refuses_each_of_its_tokens_and_no_other(store: Arc<dyn SessionStore>) {
    let family = begin(&*store).await;
    let other = begin(&*store).await;
    check(&*store, token(family, 0, None), rules(START, true)).await;

    store
        .revoke_family(family, START, expiry(START))
        .await
        .unwrap();

    for generation in [0, 1] {
        let verdict = check(&*store, token(family, generation, None), rules(START, true)).await;
        assert_eq!(verdict, Verdict::Revoked, "generation {generation}");
    }
    let verdict = check(&*store, token(other, 0, None), rules(START, true)).await;
    assert_eq!(verdict, rotated(1));
}

async fn revoking_a_subject_refuses_its_logins_up_to_that_moment_only(
    store: Arc<dyn SessionStore>,
) {
    let revoked_at = at(millis(5_000));
    let mut families = Vec::new();
    for _ in 0..4 {
        families.push(begin(&*store).await);
    }
    store
        .revoke_subject("alice", revoked_at, expiry(revoked_at))
        .await
        .unwrap();

    let login = |family, subject, authenticated_at| Presented {
        family,
        generation: 0,
        subject,
        authenticated_at,
        issued_at: authenticated_at,
    };
    let now = at(millis(6_000));
    let cases = [
        (
            login(families[0], Some("alice"), at(millis(1_000))),
            Verdict::Revoked,
        ),
        (
            login(families[1], Some("alice"), revoked_at),
            Verdict::Revoked,
        ),
        (
            login(families[2], Some("alice"), at(millis(5_001))),
            rotated(1),
        ),
        (
            login(families[3], Some("bob"), at(millis(1_000))),
            rotated(1),
        ),
    ];
    for (presented, expected) in cases {
        let verdict = check(&*store, presented, rules(now, true)).await;
        assert_eq!(verdict, expected, "{presented:?}");
    }

    // A session without a subject is out of reach of every subject revocation.
    let anonymous = begin(&*store).await;
    let verdict = check(&*store, token(anonymous, 0, None), rules(now, true)).await;
    assert_eq!(verdict, rotated(1));
}

async fn a_family_the_store_never_began_is_unknown(store: Arc<dyn SessionStore>) {
    let stranger = FamilyId::random().unwrap();

    for generation in [0, 1, 7] {
        let verdict = check(
            &*store,
            token(stranger, generation, Some("alice")),
            rules(START, true),
        )
        .await;
        assert_eq!(verdict, Verdict::Unknown, "generation {generation}");
    }
}

async fn a_generation_the_family_never_reached_is_unknown_and_harms_nothing(
    store: Arc<dyn SessionStore>,
) {
    let family = begin(&*store).await;
    check(&*store, token(family, 0, None), rules(START, true)).await;

    for generation in [2, 3, 1_000] {
        let verdict = check(&*store, token(family, generation, None), rules(START, true)).await;
        assert_eq!(verdict, Verdict::Unknown, "generation {generation}");
    }
    let verdict = check(&*store, token(family, 1, None), rules(START, true)).await;
    assert_eq!(verdict, rotated(2));
}

/// Every combination of a family's generation, a presented generation, the time since the
/// rotation and the rotation switch gets the verdict of the shared `decide`.
async fn every_verdict_agrees_with_the_shared_decision(store: Arc<dyn SessionStore>) {
    let offsets = [millis(0), GRACE - millis(1), GRACE, GRACE + millis(1)];
    for current in 0..=2u64 {
        for presented in 0..=4u64 {
            for offset in offsets {
                for rotate in [true, false] {
                    let family = begin(&*store).await;
                    for generation in 0..current {
                        check(&*store, token(family, generation, None), rules(START, true)).await;
                    }

                    let rules = rules(at(offset), rotate);
                    let verdict = check(&*store, token(family, presented, None), rules).await;
                    let (expected, _) = decide(current, START, presented, &rules);
                    assert_eq!(
                        verdict, expected,
                        "current {current}, presented {presented}, {offset:?} after, rotate {rotate}"
                    );
                }
            }
        }
    }
}

// ---- Through the layer ----

use support::members::{COOKIE, Member, routes};

fn app(store: Arc<dyn SessionStore>, clock: &TestClock) -> Router {
    let config = SessionConfig::new(Keyring::new(Key::generate().unwrap()))
        .clock(clock.clone())
        .shared_store(store)
        .grace_period(GRACE);
    routes().layer(SessionLayer::<Member>::new(config).unwrap())
}

async fn visit(app: &Router, path: &str, token: &str) -> Reply {
    get_with(app, path, Some((COOKIE, token))).await
}

async fn log_in(app: &Router, id: u64) -> String {
    let reply = get_with(app, &format!("/login/{id}"), None).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.cookie(COOKIE).unwrap()
}

async fn rotate(app: &Router, token: &str) -> String {
    let reply = visit(app, "/me", token).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.cookie(COOKIE).unwrap()
}

async fn requests_rotate_and_a_late_replay_logs_out_thief_and_victim(store: Arc<dyn SessionStore>) {
    let clock = TestClock::new();
    let app = app(store, &clock);
    let first = log_in(&app, 1).await;
    let second = rotate(&app, &first).await;

    clock.advance(GRACE / 2);
    assert_eq!(
        visit(&app, "/me", &first).await.status,
        StatusCode::OK,
        "within grace"
    );
    let third = rotate(&app, &second).await;

    clock.advance(GRACE + Duration::from_secs(1));
    assert_eq!(
        visit(&app, "/me", &first).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        visit(&app, "/me", &third).await.status,
        StatusCode::UNAUTHORIZED
    );
}

async fn logout_and_logout_everywhere_end_the_right_sessions(store: Arc<dyn SessionStore>) {
    let clock = TestClock::new();
    let app = app(store, &clock);
    let laptop = log_in(&app, 1).await;
    let phone = log_in(&app, 1).await;
    let tablet = log_in(&app, 1).await;
    let someone_else = log_in(&app, 2).await;

    assert_eq!(visit(&app, "/logout", &tablet).await.status, StatusCode::OK);
    assert_eq!(
        visit(&app, "/me", &tablet).await.status,
        StatusCode::UNAUTHORIZED
    );
    let phone = rotate(&app, &phone).await;

    clock.advance(Duration::from_secs(1));
    assert_eq!(
        visit(&app, "/logout-everywhere", &laptop).await.status,
        StatusCode::OK
    );
    assert_eq!(
        visit(&app, "/me", &phone).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        visit(&app, "/me", &someone_else).await.status,
        StatusCode::OK
    );

    clock.advance(Duration::from_secs(1));
    let again = log_in(&app, 1).await;
    assert_eq!(
        visit(&app, "/me", &again).await.body,
        "1",
        "a later login works"
    );
}

async fn a_subject_revocation_never_moves_back(store: Arc<dyn SessionStore>) {
    let revoked_at = at(millis(5_000));
    let family = begin(&*store).await;
    store
        .revoke_subject("alice", revoked_at, expiry(revoked_at))
        .await
        .unwrap();

    // Another instance, whose clock is behind, revokes the same subject a moment later.
    let behind = at(millis(2_000));
    store
        .revoke_subject("alice", behind, expiry(behind))
        .await
        .unwrap();

    let presented = Presented {
        family,
        generation: 0,
        subject: Some("alice"),
        authenticated_at: at(millis(4_000)),
        issued_at: at(millis(4_000)),
    };
    let verdict = check(&*store, presented, rules(at(millis(6_000)), true)).await;
    assert_eq!(
        verdict,
        Verdict::Revoked,
        "the later revocation time must win"
    );
}

// ---- Each body, for each store ----

macro_rules! for_each_store {
    ($($behaviour:ident),* $(,)?) => {
        mod memory_store {
            $(
                #[tokio::test]
                async fn $behaviour() {
                    super::$behaviour(super::memory_store()).await;
                }
            )*
        }

        mod redis_store {
            $(
                #[tokio::test]
                #[ignore = "needs Redis: run with REDIS_URL set, as .ci/run does"]
                async fn $behaviour() {
                    let prefix = super::redis_support::unique_prefix();
                    let url = super::redis_support::redis_url();
                    let _cleanup = super::redis_support::Cleanup { url, prefix: prefix.clone() };
                    let store = super::redis_support::store(&prefix).await;
                    super::$behaviour(std::sync::Arc::new(store)).await;
                }
            )*
        }
    };
}

/// The in-memory store, refusing families it did not begin, as a shared store does.
fn memory_store() -> Arc<dyn SessionStore> {
    let created_at = Timestamp::from_millis(START.as_millis() - 3_600_000);
    Arc::new(MemoryStore::starting_at(10_000, created_at).refuse_foreign_families())
}

for_each_store! {
    a_current_token_advances_its_family_one_generation_at_a_time,
    a_check_without_rotation_keeps_the_generation,
    the_previous_generation_is_accepted_up_to_the_end_of_the_grace_period,
    a_spent_token_after_the_grace_period_revokes_its_family,
    a_token_two_generations_behind_is_a_replay_even_within_the_grace_period,
    revoking_a_family_refuses_each_of_its_tokens_and_no_other,
    revoking_a_subject_refuses_its_logins_up_to_that_moment_only,
    a_subject_revocation_never_moves_back,
    a_family_the_store_never_began_is_unknown,
    a_generation_the_family_never_reached_is_unknown_and_harms_nothing,
    every_verdict_agrees_with_the_shared_decision,
    requests_rotate_and_a_late_replay_logs_out_thief_and_victim,
    logout_and_logout_everywhere_end_the_right_sessions,
}
