//! The demo in a real browser: headless Chromium, driven over WebDriver, logs in through
//! the form, keeps the session cookie out of reach of scripts, sees it rotate on every
//! page, sends parallel requests with one cookie, and logs out; afterwards a copy of the
//! cookie taken before logging out is refused.

// Clippy's test allowances (unwrap, printing) cover only `#[test]` functions and code
// under `cfg(test)`; this puts the helpers below and the modules they share under it too.
#![cfg(test)]

#[path = "../examples/demo/app.rs"]
mod app;
#[path = "../examples/demo/pages.rs"]
mod pages;
mod support;

use std::net::SocketAddr;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::{Request, StatusCode, header};
use fantoccini::{Client, ClientBuilder, Locator};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client as HttpClient;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use paseto_session::{Key, Keyring, SessionLayer};
use rustix::process::{Pid, Signal, kill_process_group};
use support::Reply;
use tempfile::TempDir;
use tokio::net::TcpListener;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Chromium's background services open connections of their own; on a machine without
/// a route outside they fail in bursts, so they are switched off.
const CHROMIUM_FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];

const COOKIE: &str = "session";
const ALICE_GREETING: &str = "Hello, Alice Liddell!";
const VISITOR_GREETING: &str = "Hello, visitor.";
const RELOADS: usize = 4;
const PARALLEL_FETCHES: usize = 8;

/// The longest any single wait may take: a page, an element, a port.
const WAIT: Duration = Duration::from_secs(10);
const POLL: Duration = Duration::from_millis(50);
/// The whole scenario, so that a command the browser never answers fails the test
/// instead of hanging it.
const WHOLE_TEST: Duration = Duration::from_secs(120);

#[tokio::test]
#[ignore = "needs Chromium and ChromeDriver (Debian packages chromium, chromium-driver); .ci/run installs them"]
async fn a_browser_session_rotates_its_cookie_and_ends_at_logout() {
    tokio::time::timeout(WHOLE_TEST, scenario())
        .await
        .unwrap_or_else(|_| panic!("the browser test did not finish within {WHOLE_TEST:?}"));
}

async fn scenario() {
    let started = Instant::now();
    let address = serve_demo().await;
    let base = format!("http://{address}");

    // Dropped in reverse order: the browser session, then ChromeDriver with every
    // browser process, and only then the profile those processes were writing to.
    let profile = tempfile::tempdir().expect("cannot create a browser profile directory");
    let driver = ChromeDriver::start().await;
    let browser = open_browser(&driver, &profile).await;

    log_in(&browser, &base).await;
    session_cookie_is_hidden_from_scripts(&browser).await;
    session_cookie_rotates_on_every_reload(&browser).await;
    parallel_fetches_all_succeed(&browser, &base).await;
    logout_refuses_an_earlier_copy(&browser, address).await;

    browser
        .close()
        .await
        .expect("cannot end the browser session");
    println!("browser test finished in {:.1?}", started.elapsed());
}

/// Serves the demo app over real loopback HTTP, on a port of the system's choosing.
async fn serve_demo() -> SocketAddr {
    let keyring = Keyring::new(Key::generate().unwrap());
    let config = app::demo_config(keyring, Duration::from_secs(10), Duration::from_secs(1800));
    let layer = SessionLayer::<app::User>::new(config).unwrap();
    let router = app::app(app::Accounts::new().unwrap(), layer);

    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    address
}

/// A ChromeDriver process leading its own process group. Dropping it kills the whole
/// group: killing ChromeDriver alone would leave the browsers it started running.
struct ChromeDriver {
    process: Child,
    url: String,
}

impl ChromeDriver {
    async fn start() -> Self {
        for binary in [CHROMEDRIVER, CHROMIUM] {
            assert!(
                Path::new(binary).exists(),
                "{binary} is missing: install the Debian packages chromium and chromium-driver"
            );
        }

        let port = free_port();
        let process = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .process_group(0)
            .stdout(Stdio::null())
            .spawn()
            .unwrap_or_else(|error| panic!("cannot start {CHROMEDRIVER}: {error}"));
        let mut driver = Self {
            process,
            url: format!("http://127.0.0.1:{port}"),
        };

        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(status) = driver.process.try_wait().unwrap() {
                panic!("{CHROMEDRIVER} exited before accepting connections: {status}");
            }
            if tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
            {
                return driver;
            }
            assert!(
                Instant::now() < deadline,
                "{CHROMEDRIVER} did not accept connections on port {port} within {WAIT:?}"
            );
            tokio::time::sleep(POLL).await;
        }
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        // The group may already be gone; there is nothing left to do then.
        let _ = kill_process_group(Pid::from_child(&self.process), Signal::KILL);
        let _ = self.process.wait();
    }
}

/// A port that was free a moment ago, for ChromeDriver, which has to be told one.
fn free_port() -> u16 {
    let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    probe.local_addr().unwrap().port()
}

async fn open_browser(driver: &ChromeDriver, profile: &TempDir) -> Client {
    let mut arguments: Vec<String> = CHROMIUM_FLAGS.iter().map(|&flag| flag.to_owned()).collect();
    arguments.push(format!("--user-data-dir={}", profile.path().display()));

    let wait_millis = WAIT.as_millis();
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".to_owned(),
        serde_json::json!({ "binary": CHROMIUM, "args": arguments }),
    );
    capabilities.insert(
        "timeouts".to_owned(),
        serde_json::json!({ "pageLoad": wait_millis, "script": wait_millis }),
    );

    ClientBuilder::new(HttpConnector::new())
        .capabilities(capabilities)
        .connect(&driver.url)
        .await
        .unwrap_or_else(|error| panic!("ChromeDriver could not start {CHROMIUM}: {error}"))
}

async fn log_in(browser: &Client, base: &str) {
    browser.goto(&format!("{base}/login")).await.unwrap();
    let form = browser.form(Locator::Css("form")).await.unwrap();
    form.set_by_name("username", "alice").await.unwrap();
    form.set_by_name("password", "wonderland").await.unwrap();
    browser
        .find(Locator::Id("submit"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();

    wait_for_text(browser, "#greeting", ALICE_GREETING).await;
    let home = browser.current_url().await.unwrap();
    assert_eq!(home.path(), "/", "logging in should lead to the home page");
}

/// The cookie exists, as the WebDriver cookie API shows, but a script on the page
/// cannot read it; a cookie the script sets itself shows that it can read cookies.
async fn session_cookie_is_hidden_from_scripts(browser: &Client) {
    let cookie = browser
        .get_named_cookie(COOKIE)
        .await
        .expect("the browser holds no session cookie after logging in");
    assert_eq!(
        cookie.http_only(),
        Some(true),
        "the session cookie is not HttpOnly"
    );
    assert!(
        cookie.value().starts_with("v4.local."),
        "the session cookie is no v4.local token"
    );

    let visible_to_script = browser
        .execute(
            "document.cookie = 'script_visible=yes; path=/'; return document.cookie;",
            Vec::new(),
        )
        .await
        .unwrap();
    let visible_to_script = visible_to_script
        .as_str()
        .expect("document.cookie is a string");
    assert!(
        visible_to_script.contains("script_visible=yes"),
        "the page cannot read even its own cookie, so the next check would prove nothing"
    );
    assert!(
        !visible_to_script.contains(&format!("{COOKIE}=")),
        "document.cookie shows the session cookie"
    );

    browser.delete_cookie("script_visible").await.unwrap();
}

/// Every response carries a new token, so each reload leaves a value never seen before,
/// and the session carries on through it.
async fn session_cookie_rotates_on_every_reload(browser: &Client) {
    let mut seen = vec![session_cookie(browser).await];

    for reload in 1..=RELOADS {
        browser.refresh().await.unwrap();
        wait_for_text(browser, "#greeting", ALICE_GREETING).await;

        let value = session_cookie(browser).await;
        assert!(
            !seen.contains(&value),
            "reload {reload} of {RELOADS} left a session cookie value seen before"
        );
        seen.push(value);
    }
    println!("the session cookie took {} distinct values", seen.len());
}

/// The protected page fires its `fetch` calls at once, all with the same cookie; the
/// grace period has to let every one of them through.
async fn parallel_fetches_all_succeed(browser: &Client, base: &str) {
    browser.goto(&format!("{base}/protected")).await.unwrap();
    let all_succeeded = format!("{PARALLEL_FETCHES} of {PARALLEL_FETCHES} succeeded");
    wait_for_text(browser, "#summary", &all_succeeded).await;

    let mut statuses = Vec::new();
    for item in browser.find_all(Locator::Css("#results li")).await.unwrap() {
        statuses.push(item.text().await.unwrap());
    }
    assert_eq!(
        statuses,
        vec!["200"; PARALLEL_FETCHES],
        "the statuses the page lists"
    );
}

/// Logging out ends the session for every token of it, including one the browser held
/// a moment before; a plain client with a live token of its own shows the request
/// itself is fine.
async fn logout_refuses_an_earlier_copy(browser: &Client, address: SocketAddr) {
    let earlier_copy = session_cookie(browser).await;

    browser
        .find(Locator::Id("logout"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_text(browser, "#greeting", VISITOR_GREETING).await;
    assert!(
        browser.get_named_cookie(COOKIE).await.is_err(),
        "the browser still holds a session cookie after logging out"
    );

    let own_login = plain_request(
        Request::post(format!("http://{address}/login"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Full::from("username=alice&password=wonderland"))
            .unwrap(),
    )
    .await;
    assert_eq!(
        own_login.status,
        StatusCode::SEE_OTHER,
        "{}",
        own_login.body
    );
    let own_token = own_login.cookie(COOKIE).expect("logging in sets no cookie");
    let live = plain_request(api_me_with(address, &own_token)).await;
    assert_eq!(
        live.status,
        StatusCode::OK,
        "a live token was refused: {}",
        live.body
    );

    let replayed = plain_request(api_me_with(address, &earlier_copy)).await;
    assert_eq!(
        replayed.status,
        StatusCode::UNAUTHORIZED,
        "a copy of the cookie from before logging out was accepted: {}",
        replayed.body
    );
}

fn api_me_with(address: SocketAddr, token: &str) -> Request<Full<Bytes>> {
    Request::get(format!("http://{address}/api/me"))
        .header(header::COOKIE, format!("{COOKIE}={token}"))
        .body(Full::default())
        .unwrap()
}

/// Sends one request the way any HTTP client could, outside the browser.
async fn plain_request(request: Request<Full<Bytes>>) -> Reply {
    let client = HttpClient::builder(TokioExecutor::new()).build_http();
    let response = tokio::time::timeout(WAIT, client.request(request))
        .await
        .unwrap_or_else(|_| panic!("the demo did not answer within {WAIT:?}"))
        .unwrap();

    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    Reply {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

async fn session_cookie(browser: &Client) -> String {
    let cookie = browser
        .get_named_cookie(COOKIE)
        .await
        .expect("the browser holds no session cookie");
    cookie.value().to_owned()
}

/// Polls until the element at `css` reads `expected`, for at most `WAIT`. A page still
/// loading, or not yet showing the element, counts as not yet.
async fn wait_for_text(browser: &Client, css: &str, expected: &str) {
    let deadline = Instant::now() + WAIT;
    let mut last_seen = String::from("(no such element)");
    loop {
        if let Ok(element) = browser.find(Locator::Css(css)).await
            && let Ok(text) = element.text().await
        {
            if text == expected {
                return;
            }
            last_seen = text;
        }
        assert!(
            Instant::now() < deadline,
            "waited {WAIT:?} for {css} to read {expected:?}; it reads {last_seen:?}"
        );
        tokio::time::sleep(POLL).await;
    }
}
