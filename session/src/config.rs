//! The configuration, checked once when the layer is built.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::cookie::SameSite;
use crate::key::Keyring;
use crate::store::{MemoryStore, SessionStore};
use crate::time::{Clock, SystemClock};

/// How sessions behave: keys, timeouts, cookie, store.
///
/// Every setting has a default fit for production except the keyring, which only the
/// application can give. Mistakes are found by [`SessionLayer::new`](crate::SessionLayer::new),
/// at start-up.
///
/// | setting | default |
/// |---|---|
/// | [`idle_timeout`](Self::idle_timeout) | 30 minutes |
/// | [`absolute_timeout`](Self::absolute_timeout) | 12 hours |
/// | [`grace_period`](Self::grace_period) | 10 seconds |
/// | [`leeway`](Self::leeway) | 30 seconds |
/// | [`rotate_after`](Self::rotate_after) | rotate on every request |
/// | [`store`](Self::store) | [`MemoryStore`] of 100 000 families |
/// | [`context`](Self::context) | `paseto-session` |
/// | cookie | `__Host-<name>`, `HttpOnly`, `Secure`, `SameSite=Lax`, `Path=/`, no `Max-Age` |
/// | [`login_url`](Self::login_url) | none: a missing session is a 401 |
/// | [`cross_origin_protection`](Self::cross_origin_protection) | on |
/// | [`token_cache_bytes`](Self::token_cache_bytes) | 8 MiB |
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use paseto_session::{Key, Keyring, SessionConfig};
///
/// let config = SessionConfig::new(Keyring::new(Key::generate()?))
///     .idle_timeout(Duration::from_secs(15 * 60))
///     .login_url("/login");
/// # Ok::<(), paseto_session::KeyError>(())
/// ```
#[derive(Clone)]
pub struct SessionConfig {
    pub(crate) keyring: Arc<Keyring>,
    pub(crate) store: Arc<dyn SessionStore>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) idle_timeout: Duration,
    pub(crate) absolute_timeout: Duration,
    pub(crate) grace_period: Duration,
    pub(crate) leeway: Duration,
    pub(crate) rotate_after: Option<Duration>,
    pub(crate) issuer: Option<String>,
    pub(crate) audience: Option<String>,
    pub(crate) context: String,
    pub(crate) cookie_name: Option<String>,
    pub(crate) domain: Option<String>,
    pub(crate) same_site: SameSite,
    pub(crate) persistent: bool,
    pub(crate) development_cookie: bool,
    pub(crate) login_url: Option<String>,
    pub(crate) cross_origin_protection: bool,
    pub(crate) trusted_origins: Vec<String>,
    pub(crate) token_cache_bytes: usize,
}

impl SessionConfig {
    /// The defaults, with `keyring`'s current key encrypting tokens.
    #[must_use]
    pub fn new(keyring: impl Into<Keyring>) -> Self {
        Self {
            keyring: Arc::new(keyring.into()),
            store: Arc::new(MemoryStore::default()),
            clock: Arc::new(SystemClock),
            idle_timeout: Duration::from_secs(30 * 60),
            absolute_timeout: Duration::from_secs(12 * 3600),
            grace_period: Duration::from_secs(10),
            leeway: Duration::from_secs(30),
            rotate_after: None,
            issuer: None,
            audience: None,
            context: "paseto-session".to_owned(),
            cookie_name: None,
            domain: None,
            same_site: SameSite::Lax,
            persistent: false,
            development_cookie: false,
            login_url: None,
            cross_origin_protection: true,
            trusted_origins: Vec::new(),
            token_cache_bytes: 8 * 1024 * 1024,
        }
    }

    /// How long a session lives without a request: the lifetime of each token, renewed by
    /// every rotation.
    #[must_use]
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.idle_timeout = timeout;
        self
    }

    /// How long a session lives after login, however active. Never renewed.
    #[must_use]
    pub fn absolute_timeout(mut self, timeout: Duration) -> Self {
        self.absolute_timeout = timeout;
        self
    }

    /// How long after a rotation the token one generation behind is still accepted, for
    /// the requests a browser sent at once with the same cookie. Reuse after it is a
    /// replay and revokes the family. Must be shorter than the idle timeout.
    #[must_use]
    pub fn grace_period(mut self, period: Duration) -> Self {
        self.grace_period = period;
        self
    }

    /// How far apart the clocks of the apps sharing a key may be. `exp`, `iat`, `nbf` and
    /// the absolute timeout are checked with this tolerance.
    #[must_use]
    pub fn leeway(mut self, leeway: Duration) -> Self {
        self.leeway = leeway;
        self
    }

    /// Rotates a token only once it is at least `age` old, instead of on every request.
    /// Every request is still checked against the store, so a spent token is still
    /// refused; this trades a little replay window for fewer `Set-Cookie` headers.
    #[must_use]
    pub fn rotate_after(mut self, age: Duration) -> Self {
        self.rotate_after = Some(age);
        self
    }

    /// Where family records live. The default is an in-memory store for 100 000 families.
    #[must_use]
    pub fn store(mut self, store: impl SessionStore) -> Self {
        self.store = Arc::new(store);
        self
    }

    /// A store shared with other parts of the application.
    #[must_use]
    pub fn shared_store(mut self, store: Arc<dyn SessionStore>) -> Self {
        self.store = store;
        self
    }

    /// The clock that decides "now". The default is the system clock.
    #[must_use]
    pub fn clock(mut self, clock: impl Clock) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Writes and requires the `iss` claim.
    #[must_use]
    pub fn issuer(mut self, issuer: impl Into<String>) -> Self {
        self.issuer = Some(issuer.into());
        self
    }

    /// Writes and requires the `aud` claim.
    #[must_use]
    pub fn audience(mut self, audience: impl Into<String>) -> Self {
        self.audience = Some(audience.into());
        self
    }

    /// The PASETO implicit assertion that binds tokens to this use. Apps that share a login
    /// must set the same one; a token made with the same key for any other purpose never
    /// passes as a session.
    #[must_use]
    pub fn context(mut self, context: impl Into<String>) -> Self {
        self.context = context.into();
        self
    }

    /// The cookie's name without prefix, instead of the one the session type declares.
    #[must_use]
    pub fn cookie_name(mut self, name: impl Into<String>) -> Self {
        self.cookie_name = Some(name.into());
        self
    }

    /// Shares the cookie with the subdomains of `domain`, for federated apps. The cookie
    /// prefix becomes `__Secure-`, since `__Host-` forbids a domain.
    #[must_use]
    pub fn domain(mut self, domain: impl Into<String>) -> Self {
        self.domain = Some(domain.into());
        self
    }

    /// The cookie's `SameSite` attribute.
    #[must_use]
    pub fn same_site(mut self, same_site: SameSite) -> Self {
        self.same_site = same_site;
        self
    }

    /// Gives the cookie a `Max-Age` equal to the idle timeout, so it outlives a browser
    /// restart. By default the cookie lasts until the browser closes.
    #[must_use]
    pub fn persistent(mut self, persistent: bool) -> Self {
        self.persistent = persistent;
        self
    }

    /// For plain `http://localhost` during development only: drops the `Secure` attribute
    /// and the cookie prefix, which browsers refuse over plain http. The layer logs a
    /// warning at start-up while this is on. Never use it in production.
    #[must_use]
    pub fn development_cookie(mut self, on: bool) -> Self {
        self.development_cookie = on;
        self
    }

    /// Answers a request for a required session that has none, and that accepts HTML, with
    /// `303 See Other` to `url` instead of `401 Unauthorized`.
    #[must_use]
    pub fn login_url(mut self, url: impl Into<String>) -> Self {
        self.login_url = Some(url.into());
        self
    }

    /// Refuses (403) unsafe requests (`POST`, `PUT`, `PATCH`, `DELETE`, …) that carry the
    /// session cookie and come from another origin, judged by `Sec-Fetch-Site`, else by
    /// `Origin` against `Host`. On by default.
    #[must_use]
    pub fn cross_origin_protection(mut self, on: bool) -> Self {
        self.cross_origin_protection = on;
        self
    }

    /// An origin (such as `https://admin.example.com`) whose unsafe requests are accepted
    /// by the cross-origin protection.
    #[must_use]
    pub fn trust_origin(mut self, origin: impl Into<String>) -> Self {
        self.trusted_origins
            .push(origin.into().trim_end_matches('/').to_owned());
        self
    }
}

impl SessionConfig {
    /// How much memory the layer may keep of the tokens it issued or verified, so that a
    /// request presenting one of them skips its decryption (most of a request's cost). The
    /// times and the store are still checked on every request. Zero turns the cache off.
    ///
    /// A typical token and its entry take about a kilobyte, so the default 8 MiB serves
    /// several thousand active sessions per process; beyond that, requests decrypt as
    /// they would without it.
    #[must_use]
    pub fn token_cache_bytes(mut self, bytes: usize) -> Self {
        self.token_cache_bytes = bytes;
        self
    }
}

impl fmt::Debug for SessionConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionConfig")
            .field("keyring", &self.keyring)
            .field("idle_timeout", &self.idle_timeout)
            .field("absolute_timeout", &self.absolute_timeout)
            .field("grace_period", &self.grace_period)
            .field("leeway", &self.leeway)
            .field("rotate_after", &self.rotate_after)
            .field("issuer", &self.issuer)
            .field("audience", &self.audience)
            .field("context", &self.context)
            .field("cookie_name", &self.cookie_name)
            .field("domain", &self.domain)
            .field("same_site", &self.same_site)
            .field("persistent", &self.persistent)
            .field("development_cookie", &self.development_cookie)
            .field("login_url", &self.login_url)
            .field("cross_origin_protection", &self.cross_origin_protection)
            .field("trusted_origins", &self.trusted_origins)
            .field("token_cache_bytes", &self.token_cache_bytes)
            .finish_non_exhaustive()
    }
}

/// A configuration that cannot work, found when the layer is built.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigError {
    /// A timeout is zero, or they are out of order (grace < idle ≤ absolute, leeway < idle).
    Timeouts(&'static str),
    /// The cookie name is empty or holds characters a cookie name cannot.
    CookieName,
    /// The domain is empty or holds characters a cookie attribute cannot.
    Domain,
    /// `SameSite=None` needs `Secure`, which the development cookie drops.
    SameSiteNone,
    /// The issuer, audience and cookie name leave no room: the worst-case cookie of the
    /// session type would be longer than its limit.
    Budget {
        /// The worst-case cookie, in bytes.
        worst_case: usize,
        /// The session type's limit, in bytes.
        limit: usize,
    },
    /// The login URL or a trusted origin is not usable.
    Url(&'static str),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Timeouts(problem) => write!(f, "session timeouts: {problem}"),
            Self::CookieName => f.write_str(
                "the cookie name must be non-empty ASCII letters, digits and `!#$%&'*+-.^_`|~`",
            ),
            Self::Domain => f.write_str("the cookie domain must be a non-empty host name"),
            Self::SameSiteNone => {
                f.write_str("`SameSite=None` needs `Secure`; turn off the development cookie")
            }
            Self::Budget { worst_case, limit } => write!(
                f,
                "the worst-case session cookie is {worst_case} bytes with this issuer, \
                 audience and cookie name, over its limit of {limit}; shorten them or lower \
                 a bound of the session type"
            ),
            Self::Url(problem) => f.write_str(problem),
        }
    }
}

impl std::error::Error for ConfigError {}
