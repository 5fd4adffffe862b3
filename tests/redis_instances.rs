//! Two app instances, each with its own connection, sharing one Redis: what is spent on
//! one is spent on both. These tests need the shared server named by `REDIS_URL`.

// Clippy allows `unwrap` and printing only in code under `cfg(test)`; the helpers
// below are test code too.
#![cfg(test)]

mod redis_support;
mod support;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::StatusCode;
use paseto_session::{Key, Keyring, SessionConfig, SessionLayer};
use redis_support::{Cleanup, redis_url, unique_prefix};
use support::{Reply, TestClock, get as get_with};

use support::members::{COOKIE, Member, routes};
const GRACE: Duration = Duration::from_secs(10);

/// Two instances of one app: the same key and prefix, a store connection each.
struct Deployment {
    instances: [Router; 2],
    clock: TestClock,
    _cleanup: Cleanup,
}

impl Deployment {
    async fn start() -> Self {
        let url = redis_url();
        let prefix = unique_prefix();
        let key = Key::generate().unwrap().to_paserk();
        let clock = TestClock::new();

        let mut instances = Vec::new();
        for _ in 0..2 {
            let store = redis_support::store(&prefix).await;
            let config = SessionConfig::new(Keyring::new(Key::from_paserk(&key).unwrap()))
                .clock(clock.clone())
                .store(store)
                .grace_period(GRACE);
            let app = routes().layer(SessionLayer::<Member>::new(config).unwrap());
            instances.push(app);
        }
        let instances = instances.try_into().unwrap();
        Self {
            instances,
            clock,
            _cleanup: Cleanup { url, prefix },
        }
    }

    async fn visit(&self, instance: usize, token: &str) -> Reply {
        get_with(&self.instances[instance], "/me", Some((COOKIE, token))).await
    }

    async fn log_in(&self, instance: usize) -> String {
        let reply = get_with(&self.instances[instance], "/login/1", None).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        reply.cookie(COOKIE).unwrap()
    }
}

#[tokio::test]
#[ignore = "needs Redis: run with REDIS_URL set, as .ci/run does"]
async fn a_token_spent_on_one_instance_is_refused_on_the_other() {
    let deployment = Deployment::start().await;
    let spent = deployment.log_in(0).await;
    let reply = deployment.visit(0, &spent).await;
    assert_eq!(reply.status, StatusCode::OK);
    let current = reply.cookie(COOKIE).unwrap();

    // The other instance knows the login, and which token is current.
    let reply = deployment.visit(1, &current).await;
    assert_eq!(reply.status, StatusCode::OK);
    let newest = reply.cookie(COOKIE).unwrap();

    deployment.clock.advance(GRACE + Duration::from_secs(1));
    assert_eq!(
        deployment.visit(1, &spent).await.status,
        StatusCode::UNAUTHORIZED
    );

    // That replay revoked the family on both instances.
    for instance in [0, 1] {
        let reply = deployment.visit(instance, &newest).await;
        assert_eq!(
            reply.status,
            StatusCode::UNAUTHORIZED,
            "instance {instance}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Redis: run with REDIS_URL set, as .ci/run does"]
async fn concurrent_presentations_across_instances_pass_within_grace_then_one_replay_ends_all() {
    let deployment = Arc::new(Deployment::start().await);
    let token = Arc::new(deployment.log_in(0).await);

    let mut requests = tokio::task::JoinSet::new();
    for request in 0..32 {
        let deployment = deployment.clone();
        let token = token.clone();
        requests.spawn(async move { deployment.visit(request % 2, &token).await });
    }
    let mut fresh = Vec::new();
    while let Some(reply) = requests.join_next().await {
        let reply = reply.unwrap();
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        fresh.push(
            reply
                .cookie(COOKIE)
                .expect("every answer carries a current token"),
        );
    }
    assert_eq!(fresh.len(), 32);

    // All 32 answers belong to one family at one generation: each works on either side.
    deployment.clock.advance(GRACE + Duration::from_secs(1));
    let reply = deployment.visit(1, &fresh[0]).await;
    assert_eq!(reply.status, StatusCode::OK);
    for (index, token) in fresh[1..4].iter().enumerate() {
        let reply = deployment.visit(index % 2, token).await;
        assert_eq!(
            reply.status,
            StatusCode::OK,
            "a sibling answer within the grace period"
        );
    }

    // Past the grace period, one replay of the first token, on one instance...
    deployment.clock.advance(GRACE + Duration::from_secs(1));
    assert_eq!(
        deployment.visit(1, &token).await.status,
        StatusCode::UNAUTHORIZED
    );

    // ...revoked the family on both: no answer token works anywhere.
    for (index, token) in fresh.iter().enumerate() {
        let reply = deployment.visit(index % 2, token).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "answer {index}");
    }
}
