//! A loopback load test of the server variants that `benches/sessions.rs` compares: each
//! server runs in this process on `127.0.0.1`, and each of N client connections keeps its
//! own cookie jar and follows every `Set-Cookie`, so the rotating server sees a current
//! token on every request, as it would from a browser.
//!
//! Bounded twice: each variant runs for at most `--seconds` and at most `--max-requests`
//! requests, then the next starts; the program stops by itself.
//!
//! ```text
//! cargo run --release --example loadtest -- --connections 32 --seconds 5
//! ```

#![allow(clippy::print_stdout, reason = "the load test's report is its output")]

#[path = "../benches/common/mod.rs"]
mod common;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use common::{ClientJar, Variant};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// How hard and how long to drive each server.
#[derive(Debug, Clone, Copy)]
struct Plan {
    connections: usize,
    duration: Duration,
    max_requests: u64,
}

impl Plan {
    fn from_args() -> Result<Self, String> {
        let mut plan = Self {
            connections: 32,
            duration: Duration::from_secs(5),
            max_requests: 5_000_000,
        };
        let mut args = std::env::args().skip(1);
        while let Some(flag) = args.next() {
            let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
            let number: u64 = value
                .parse()
                .map_err(|_| format!("{flag} takes a whole number, not {value}"))?;
            match flag.as_str() {
                "--connections" => plan.connections = usize::try_from(number.max(1)).unwrap_or(1),
                "--seconds" => plan.duration = Duration::from_secs(number.clamp(1, 60)),
                "--max-requests" => plan.max_requests = number.max(1),
                _ => {
                    return Err(format!(
                        "unknown flag {flag}; use --connections, --seconds or --max-requests"
                    ));
                }
            }
        }
        Ok(plan)
    }
}

/// What one variant's run achieved.
#[derive(Debug, Default)]
struct Tally {
    succeeded: AtomicU64,
    failed: AtomicU64,
    issued: AtomicU64,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let plan = Plan::from_args()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;

    println!(
        "{} connections, at most {} s and {} requests per variant, loopback HTTP/1.1 keep-alive",
        plan.connections,
        plan.duration.as_secs(),
        plan.max_requests
    );
    println!(
        "{:<22} {:>12} {:>10} {:>8}",
        "variant", "requests/s", "requests", "errors"
    );
    for variant in Variant::ALL {
        let (rate, tally) = runtime.block_on(drive(variant, plan))?;
        println!(
            "{:<22} {:>12.0} {:>10} {:>8}",
            variant.name(),
            rate,
            tally.succeeded.load(Ordering::Relaxed),
            tally.failed.load(Ordering::Relaxed)
        );
    }
    Ok(())
}

/// Serves `variant` on a loopback port and drives it with the plan's connections.
async fn drive(
    variant: Variant,
    plan: Plan,
) -> Result<(f64, Arc<Tally>), Box<dyn std::error::Error>> {
    let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await?;
    let address = listener.local_addr()?;
    let router = variant.router(plan.connections);
    let server = tokio::spawn(async move { axum::serve(listener, router).await });

    let tally = Arc::new(Tally::default());
    let started = Instant::now();
    let deadline = started + plan.duration;
    let mut clients = Vec::with_capacity(plan.connections);
    for _ in 0..plan.connections {
        let tally = tally.clone();
        clients.push(tokio::spawn(async move {
            if run_client(address, variant, deadline, plan.max_requests, &tally)
                .await
                .is_err()
            {
                tally.failed.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    for client in clients {
        client.await?;
    }
    let elapsed = started.elapsed();
    server.abort();

    let succeeded = tally.succeeded.load(Ordering::Relaxed) as f64;
    Ok((succeeded / elapsed.as_secs_f64(), tally))
}

/// One connection: log in once, then request the variant's path with the jar's cookies
/// until the deadline or the shared request budget ends.
async fn run_client(
    address: SocketAddr,
    variant: Variant,
    deadline: Instant,
    max_requests: u64,
    tally: &Tally,
) -> std::io::Result<()> {
    let stream = TcpStream::connect(address).await?;
    stream.set_nodelay(true)?;
    let mut connection = BufReader::new(stream);
    let mut jar = ClientJar::default();

    if let Some(login) = variant.login_path() {
        let status = exchange(&mut connection, login, &mut jar).await?;
        if status != 200 || jar.is_empty() {
            return Err(std::io::Error::other("login gave no session"));
        }
    }

    while Instant::now() < deadline && tally.issued.fetch_add(1, Ordering::Relaxed) < max_requests {
        let status = exchange(&mut connection, variant.path(), &mut jar).await?;
        if status == 200 {
            tally.succeeded.fetch_add(1, Ordering::Relaxed);
        } else {
            tally.failed.fetch_add(1, Ordering::Relaxed);
        }
    }
    Ok(())
}

/// Sends one `GET` with the jar's cookies and reads the whole answer, following its
/// `Set-Cookie` lines. Returns the status code.
async fn exchange(
    connection: &mut BufReader<TcpStream>,
    path: &str,
    jar: &mut ClientJar,
) -> std::io::Result<u16> {
    let mut request = format!("GET {path} HTTP/1.1\r\nhost: 127.0.0.1\r\n");
    if let Some(cookies) = jar.header() {
        request.push_str("cookie: ");
        request.push_str(&cookies);
        request.push_str("\r\n");
    }
    request.push_str("\r\n");
    connection.get_mut().write_all(request.as_bytes()).await?;

    let mut line = String::new();
    connection.read_line(&mut line).await?;
    let status = line
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| std::io::Error::other("no status line"))?;

    let mut body_len = 0;
    loop {
        line.clear();
        if connection.read_line(&mut line).await? == 0 {
            return Err(std::io::Error::other("connection closed mid-answer"));
        }
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        let Some((name, value)) = header.split_once(':') else {
            continue;
        };
        if name.eq_ignore_ascii_case("content-length") {
            body_len = value.trim().parse().map_err(std::io::Error::other)?;
        } else if name.eq_ignore_ascii_case("set-cookie") {
            jar.store(value.trim());
        }
    }

    let mut body = vec![0; body_len];
    connection.read_exact(&mut body).await?;
    Ok(status)
}
