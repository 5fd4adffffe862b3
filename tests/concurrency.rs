//! Many requests at once with one token, and random interleavings of rotations, logouts
//! and revocations: a revoked family never comes back.

#![allow(
    clippy::unwrap_used,
    reason = "a test stops at the first unexpected error, and says where"
)]

mod support;

use std::collections::HashSet;
use std::time::Duration;

use axum::Router;
use axum::http::StatusCode;
use paseto_session::{Key, Keyring, MemoryStore, SessionConfig, SessionLayer};
use proptest::prelude::*;
use support::{TestClock, base64url_decode, get as get_with};

use support::members::{COOKIE, Member, routes};
const GRACE: Duration = Duration::from_secs(5);

fn app(clock: &TestClock) -> Router {
    let config = SessionConfig::new(Keyring::new(Key::generate().unwrap()))
        .clock(clock.clone())
        .store(MemoryStore::starting_at(100_000, TestClock::START))
        .grace_period(GRACE);
    routes().layer(SessionLayer::<Member>::new(config).unwrap())
}

/// Whether `token` has the shape of a token this crate issues. Its family is inside the
/// ciphertext, so the tests tell families apart by how the app treats the tokens.
fn is_v4_local(token: &str) -> bool {
    token
        .strip_prefix("v4.local.")
        .and_then(|rest| rest.split_once('.'))
        .is_some_and(|(body, _)| base64url_decode(body).len() > 64)
}

async fn present_concurrently(
    app: &Router,
    token: &str,
    count: usize,
) -> Vec<(StatusCode, Option<String>)> {
    let tasks: Vec<_> = (0..count)
        .map(|_| {
            let app = app.clone();
            let token = token.to_owned();
            tokio::spawn(async move {
                let reply = get_with(&app, "/me", Some((COOKIE, &token))).await;
                (reply.status, reply.cookie(COOKIE))
            })
        })
        .collect();

    let mut replies = Vec::new();
    for task in tasks {
        replies.push(task.await.unwrap());
    }
    replies
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixty_four_requests_with_one_token_all_pass_within_the_grace_period() {
    for round in 0..20 {
        let clock = TestClock::new();
        let app = app(&clock);
        let login = get_with(&app, &format!("/login/{round}"), None).await;
        let token = login.cookie(COOKIE).unwrap();

        let replies = present_concurrently(&app, &token, 64).await;
        assert!(
            replies.iter().all(|(status, _)| *status == StatusCode::OK),
            "round {round}"
        );
        let answers: HashSet<String> = replies.into_iter().filter_map(|(_, next)| next).collect();
        assert!(answers.iter().all(|next| is_v4_local(next)));

        // Exactly one family: every answer is a current-generation token of it, so each
        // still works after the grace period, and logging one out ends them all.
        clock.advance(GRACE + Duration::from_secs(1));
        let any = answers.iter().next().unwrap();
        let reply = get_with(&app, "/logout", Some((COOKIE, any))).await;
        assert_eq!(reply.status, StatusCode::OK);
        for next in &answers {
            let reply = get_with(&app, "/me", Some((COOKIE, next))).await;
            assert_eq!(
                reply.status,
                StatusCode::UNAUTHORIZED,
                "round {round}: one family"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixty_four_replays_after_the_grace_period_all_fail_and_revoke_the_family() {
    let mut replays_attempted = 0;
    for round in 0..20 {
        let clock = TestClock::new();
        let app = app(&clock);
        let spent = get_with(&app, &format!("/login/{round}"), None)
            .await
            .cookie(COOKIE)
            .unwrap();
        let current = get_with(&app, "/me", Some((COOKIE, &spent)))
            .await
            .cookie(COOKIE)
            .unwrap();

        clock.advance(GRACE + Duration::from_secs(1));
        let replies = present_concurrently(&app, &spent, 64).await;
        replays_attempted += replies.len();
        let accepted = replies
            .iter()
            .filter(|(status, _)| *status == StatusCode::OK)
            .count();
        assert_eq!(accepted, 0, "round {round}");

        let victim = get_with(&app, "/me", Some((COOKIE, &current))).await;
        assert_eq!(
            victim.status,
            StatusCode::UNAUTHORIZED,
            "round {round}: family revoked"
        );
    }
    assert_eq!(replays_attempted, 20 * 64);
}

/// One step of a random history.
#[derive(Debug, Clone)]
enum Step {
    /// Log in as user `0..3`; a new family.
    Login(u32),
    /// Present the `n`-th token ever issued (modulo their number).
    Present(usize),
    /// Present it from several tasks at once.
    PresentTwice(usize),
    Logout(usize),
    LogoutEverywhere(usize),
    /// Let time pass: within or beyond the grace period.
    Wait(u64),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        1 => (0u32..3).prop_map(Step::Login),
        4 => any::<usize>().prop_map(Step::Present),
        1 => any::<usize>().prop_map(Step::PresentTwice),
        1 => any::<usize>().prop_map(Step::Logout),
        1 => any::<usize>().prop_map(Step::LogoutEverywhere),
        1 => prop_oneof![Just(1u64), Just(6), Just(30)].prop_map(Step::Wait),
    ]
}

/// Every token the history was given, with the family it belongs to as the test knows
/// it (the login it descends from) and the user.
struct Issued {
    token: String,
    family: usize,
    user: u32,
}

async fn run_history(steps: Vec<Step>) -> Result<(), TestCaseError> {
    let clock = TestClock::new();
    let app = app(&clock);
    let mut issued: Vec<Issued> = Vec::new();
    let mut dead_families: HashSet<usize> = HashSet::new();
    let mut families = 0;

    for step in steps {
        match step {
            Step::Login(user) => {
                clock.advance(Duration::from_millis(1));
                let reply = get_with(&app, &format!("/login/{user}"), None).await;
                issued.push(Issued {
                    token: reply.cookie(COOKIE).unwrap(),
                    family: families,
                    user,
                });
                families += 1;
            }
            Step::Present(index) | Step::PresentTwice(index) if !issued.is_empty() => {
                let times = if matches!(step, Step::PresentTwice(_)) {
                    2
                } else {
                    1
                };
                let chosen = &issued[index % issued.len()];
                let (family, user) = (chosen.family, chosen.user);
                let replies = present_concurrently(&app, &chosen.token.clone(), times).await;
                for (status, next) in replies {
                    if dead_families.contains(&family) {
                        prop_assert_ne!(status, StatusCode::OK, "a dead family came back");
                    }
                    match (status, next) {
                        (StatusCode::OK, Some(next)) if !next.is_empty() => {
                            issued.push(Issued {
                                token: next,
                                family,
                                user,
                            });
                        }
                        (StatusCode::OK, _) => {}
                        // Refused: spent, revoked or expired. If it was a replay, the family
                        // is dead now; if it was already dead, it stays dead.
                        _ => {
                            dead_families.insert(family);
                        }
                    }
                }
            }
            Step::Logout(index) if !issued.is_empty() => {
                let chosen = &issued[index % issued.len()];
                let reply = get_with(&app, "/logout", Some((COOKIE, &chosen.token))).await;
                prop_assert_eq!(reply.status, StatusCode::OK);
                dead_families.insert(chosen.family);
            }
            Step::LogoutEverywhere(index) if !issued.is_empty() => {
                let chosen = &issued[index % issued.len()];
                let (family, user) = (chosen.family, chosen.user);
                let reply =
                    get_with(&app, "/logout-everywhere", Some((COOKIE, &chosen.token))).await;
                if reply.status == StatusCode::OK {
                    // Every family of the user that exists now is dead.
                    let of_user = issued.iter().filter(|issued| issued.user == user);
                    dead_families.extend(of_user.map(|issued| issued.family));
                } else {
                    dead_families.insert(family);
                }
            }
            Step::Wait(seconds) => clock.advance(Duration::from_secs(seconds)),
            _ => {}
        }
    }

    // At the end, no token of a dead family opens a session.
    for issued in &issued {
        if dead_families.contains(&issued.family) {
            let reply = get_with(&app, "/me", Some((COOKIE, &issued.token))).await;
            prop_assert_ne!(reply.status, StatusCode::OK);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn no_interleaving_lets_a_revoked_family_back_in(steps in prop::collection::vec(step(), 1..40)) {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(run_history(steps))?;
    }
}
