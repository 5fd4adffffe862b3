//! What the Redis tests share: the server's address, a key prefix of their own, and a
//! look at the keys under it.

#![allow(dead_code, unreachable_pub)]

use paseto_session::store::{FamilyId, RedisStore};

/// The shared server's URL, from `REDIS_URL`. An ignored test that runs without it fails
/// loudly rather than passing without doing anything.
pub fn redis_url() -> String {
    std::env::var("REDIS_URL").unwrap_or_else(|_| {
        panic!(
            "REDIS_URL is not set: this test needs a Redis server; \
             run it with REDIS_URL=redis://127.0.0.1:6379 and --include-ignored"
        )
    })
}

/// A key prefix no other test uses.
pub fn unique_prefix() -> String {
    format!("paseto-session-test:{}:", FamilyId::random().unwrap())
}

/// A store on the shared server under `prefix`.
pub async fn store(prefix: &str) -> RedisStore {
    RedisStore::builder(&redis_url())
        .prefix(prefix)
        .connect()
        .await
        .unwrap()
}

/// A plain connection to the server at `url`, for looking at keys.
pub async fn raw_connection(url: &str) -> redis::aio::MultiplexedConnection {
    let client = redis::Client::open(url).unwrap();
    client.get_multiplexed_async_connection().await.unwrap()
}

/// Every key under `prefix`, by `SCAN`.
pub async fn keys_under(url: &str, prefix: &str) -> Vec<String> {
    let mut connection = raw_connection(url).await;
    let pattern = format!("{}*", escape_glob(prefix));
    let mut keys = Vec::new();
    let mut cursor = 0u64;
    loop {
        let (next, batch): (u64, Vec<String>) = redis::cmd("SCAN")
            .arg(cursor)
            .arg("MATCH")
            .arg(&pattern)
            .arg("COUNT")
            .arg(1000)
            .query_async(&mut connection)
            .await
            .unwrap();
        keys.extend(batch);
        if next == 0 {
            return keys;
        }
        cursor = next;
    }
}

/// Deletes every key under its prefix when dropped, so that a test cleans up after itself
/// even when it fails (the keys would expire by themselves anyway).
pub struct Cleanup {
    pub url: String,
    pub prefix: String,
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        let Ok(mut connection) =
            redis::Client::open(self.url.as_str()).and_then(|client| client.get_connection())
        else {
            return;
        };
        let pattern = format!("{}*", escape_glob(&self.prefix));
        let mut cursor = 0u64;
        loop {
            let Ok((next, keys)): redis::RedisResult<(u64, Vec<String>)> = redis::cmd("SCAN")
                .arg(cursor)
                .arg("MATCH")
                .arg(&pattern)
                .arg("COUNT")
                .arg(1000)
                .query(&mut connection)
            else {
                return;
            };
            if !keys.is_empty() {
                let _: redis::RedisResult<()> = redis::cmd("DEL").arg(keys).query(&mut connection);
            }
            if next == 0 {
                return;
            }
            cursor = next;
        }
    }
}

fn escape_glob(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        if matches!(character, '*' | '?' | '[' | ']' | '\\') {
            escaped.push('\\');
        }
        escaped.push(character);
    }
    escaped
}
