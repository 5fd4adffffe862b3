//! The tower layer: reads the cookie, lends the request a session handle, and writes the
//! rotated token on the way out.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use http::header::{HOST, ORIGIN, SET_COOKIE};
use http::{HeaderValue, Method, Request, Response, StatusCode};
use tower_layer::Layer;
use tower_service::Service;

use crate::codec::{self, Rules, max_cookie_len_named};
use crate::config::{ConfigError, SessionConfig};
use crate::cookie::{self, CookieAttributes, Found};
use crate::data::Session;
use crate::handle::Handle;
use crate::key::Keyring;
use crate::store::SessionStore;
use crate::time::Clock;
use crate::token_cache::TokenCache;

/// Everything a request needs, fixed when the layer is built.
pub(crate) struct Settings {
    pub(crate) keyring: Arc<Keyring>,
    pub(crate) rules: Rules,
    pub(crate) store: Arc<dyn SessionStore>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) cookie: CookieAttributes,
    pub(crate) grace_period: Duration,
    pub(crate) rotate_after: Option<Duration>,
    pub(crate) login_url: Option<Arc<str>>,
    cross_origin_protection: bool,
    trusted_origins: Vec<String>,
    token_cache_bytes: usize,
}

impl Settings {
    fn from_config<T: Session>(config: SessionConfig) -> Result<Self, ConfigError> {
        check_timeouts(&config)?;

        let base_name = config.cookie_name.as_deref().unwrap_or(T::COOKIE_NAME);
        let base_name = strip_prefix(base_name);
        if base_name.is_empty() || !base_name.bytes().all(is_cookie_name_byte) {
            return Err(ConfigError::CookieName);
        }
        if let Some(domain) = &config.domain {
            let valid = !domain.is_empty()
                && domain
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
            if !valid {
                return Err(ConfigError::Domain);
            }
        }
        if config.development_cookie && config.same_site == cookie::SameSite::None {
            return Err(ConfigError::SameSiteNone);
        }
        if let Some(url) = &config.login_url {
            HeaderValue::from_str(url)
                .map_err(|_| ConfigError::Url("the login URL is not a valid header value"))?;
        }
        for origin in &config.trusted_origins {
            if !(origin.starts_with("https://") || origin.starts_with("http://")) {
                return Err(ConfigError::Url(
                    "a trusted origin must start with https:// or http://",
                ));
            }
        }

        let prefix = match (config.development_cookie, &config.domain) {
            (true, _) => "",
            (false, Some(_)) => "__Secure-",
            (false, None) => "__Host-",
        };
        let name = format!("{prefix}{base_name}");
        let rules = Rules::new(
            config.context.into_bytes(),
            config.issuer,
            config.audience,
            config.idle_timeout,
            config.absolute_timeout,
            config.leeway,
        );

        let worst_case =
            max_cookie_len_named(name.len(), T::MAX_CLAIMS_LEN, rules.extra_claims.len());
        let limit = T::MAX_COOKIE_LEN.min(codec::BROWSER_COOKIE_LIMIT);
        if worst_case > limit {
            return Err(ConfigError::Budget { worst_case, limit });
        }

        let max_age = config.persistent.then_some(config.idle_timeout);
        let cookie = CookieAttributes::new(
            name,
            config.domain.as_deref(),
            config.same_site,
            !config.development_cookie,
            max_age,
        );
        if config.development_cookie {
            tracing::warn!(
                target: "paseto_session",
                cookie = %cookie.name,
                "development cookie: no Secure attribute and no prefix; never use this in production"
            );
        }

        Ok(Self {
            keyring: config.keyring,
            rules,
            store: config.store,
            clock: config.clock,
            cookie,
            grace_period: config.grace_period,
            rotate_after: config.rotate_after,
            login_url: config.login_url.map(Arc::from),
            cross_origin_protection: config.cross_origin_protection,
            trusted_origins: config.trusted_origins,
            token_cache_bytes: config.token_cache_bytes,
        })
    }

    /// Whether an unsafe request comes from another origin than the one it is sent to.
    fn is_cross_origin<B>(&self, request: &Request<B>) -> bool {
        let headers = request.headers();
        let origin = headers.get(ORIGIN).and_then(|value| value.to_str().ok());
        if origin.is_some_and(|origin| self.trusted_origins.iter().any(|trusted| trusted == origin))
        {
            return false;
        }
        if let Some(site) = headers.get("sec-fetch-site") {
            return !matches!(site.as_bytes(), b"same-origin" | b"none");
        }

        // Browsers send `Origin` on every unsafe request; a client that sends neither
        // header is not a browser acting for another site.
        let Some(origin) = origin else {
            return false;
        };
        let origin_host = origin.split_once("://").map(|(_, host)| host);
        let host = headers
            .get(HOST)
            .and_then(|value| value.to_str().ok())
            .or_else(|| {
                request
                    .uri()
                    .authority()
                    .map(|authority| authority.as_str())
            });
        match (origin_host, host) {
            (Some(origin_host), Some(host)) => !origin_host.eq_ignore_ascii_case(host),
            _ => true,
        }
    }
}

fn check_timeouts(config: &SessionConfig) -> Result<(), ConfigError> {
    if config.idle_timeout < Duration::from_secs(1) {
        return Err(ConfigError::Timeouts(
            "the idle timeout must be at least one second",
        ));
    }
    if config.grace_period >= config.idle_timeout {
        return Err(ConfigError::Timeouts(
            "the grace period must be shorter than the idle timeout",
        ));
    }
    if config.idle_timeout > config.absolute_timeout {
        return Err(ConfigError::Timeouts(
            "the idle timeout must not exceed the absolute timeout",
        ));
    }
    if config.leeway >= config.idle_timeout {
        return Err(ConfigError::Timeouts(
            "the leeway must be shorter than the idle timeout",
        ));
    }
    if config.absolute_timeout > Duration::from_secs(400 * 86_400) {
        return Err(ConfigError::Timeouts(
            "the absolute timeout must be at most 400 days",
        ));
    }
    Ok(())
}

fn strip_prefix(name: &str) -> &str {
    name.strip_prefix("__Host-")
        .or_else(|| name.strip_prefix("__Secure-"))
        .unwrap_or(name)
}

fn is_cookie_name_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte)
}

/// The tower layer that gives every request under it a session of type `T`.
///
/// Build it once at start-up; every configuration mistake is an error here, never on a
/// request.
///
/// # Examples
///
/// ```
/// use axum::{Router, routing::get};
/// use paseto_session::{Key, Session, SessionConfig, SessionLayer};
///
/// #[derive(Session, Clone, Debug)]
/// struct User {
///     #[session(subject)]
///     id: u64,
/// }
///
/// async fn whoami(user: User) -> String {
///     user.id.to_string()
/// }
///
/// let config = SessionConfig::new(Key::generate()?);
/// let app: Router = Router::new()
///     .route("/whoami", get(whoami))
///     .layer(SessionLayer::<User>::new(config)?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct SessionLayer<T> {
    settings: Arc<Settings>,
    token_cache: Arc<TokenCache<T>>,
}

impl<T: Session> SessionLayer<T> {
    /// Checks `config` for the session type `T` and builds the layer.
    ///
    /// # Errors
    ///
    /// [`ConfigError`] for timeouts out of order, a cookie name or domain that a cookie
    /// cannot carry, an issuer, audience or cookie name too long for `T`'s cookie budget,
    /// or an unusable login URL.
    pub fn new(config: SessionConfig) -> Result<Self, ConfigError> {
        let settings = Settings::from_config::<T>(config)?;
        let token_cache = Arc::new(TokenCache::new(settings.token_cache_bytes));
        Ok(Self {
            settings: Arc::new(settings),
            token_cache,
        })
    }

    /// The cookie's full name, prefix included.
    #[must_use]
    pub fn cookie_name(&self) -> &str {
        &self.settings.cookie.name
    }
}

impl<T> Clone for SessionLayer<T> {
    fn clone(&self) -> Self {
        Self {
            settings: self.settings.clone(),
            token_cache: self.token_cache.clone(),
        }
    }
}

impl<T> fmt::Debug for SessionLayer<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionLayer")
            .field("cookie", &self.settings.cookie.name)
            .finish()
    }
}

impl<S, T: Session> Layer<S> for SessionLayer<T> {
    type Service = SessionService<S, T>;

    fn layer(&self, inner: S) -> Self::Service {
        SessionService {
            inner,
            settings: self.settings.clone(),
            token_cache: self.token_cache.clone(),
        }
    }
}

/// The service that [`SessionLayer`] wraps around the application.
pub struct SessionService<S, T> {
    inner: S,
    settings: Arc<Settings>,
    token_cache: Arc<TokenCache<T>>,
}

impl<S: Clone, T> Clone for SessionService<S, T> {
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.clone(),
            settings: self.settings.clone(),
            token_cache: self.token_cache.clone(),
        }
    }
}

impl<S: fmt::Debug, T> fmt::Debug for SessionService<S, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionService")
            .field("inner", &self.inner)
            .finish_non_exhaustive()
    }
}

impl<S, T, ReqBody, ResBody> Service<Request<ReqBody>> for SessionService<S, T>
where
    S: Service<Request<ReqBody>, Response = Response<ResBody>> + Clone + Send + 'static,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
    ReqBody: Send + 'static,
    ResBody: Default + Send + 'static,
    T: Session,
{
    type Response = Response<ResBody>;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Self::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request<ReqBody>) -> Self::Future {
        let settings = self.settings.clone();
        let found = cookie::find(request.headers(), &settings.cookie.name);
        let unsafe_method = !matches!(
            *request.method(),
            Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
        );
        if unsafe_method
            && found != Found::Absent
            && settings.cross_origin_protection
            && settings.is_cross_origin(&request)
        {
            tracing::warn!(target: "paseto_session", method = %request.method(), "cross-origin request with a session cookie refused");
            return Box::pin(std::future::ready(Ok(forbidden())));
        }

        // One span per request, so that the decisions logged while the handler runs and
        // after it are grouped; it names the method and path, never the cookie.
        let span = tracing::debug_span!(
            target: "paseto_session",
            "session",
            method = %request.method(),
            path = %request.uri().path(),
        );
        let handle = Handle::<T>::new(settings, self.token_cache.clone(), found);
        request.extensions_mut().insert(handle.rotation_switch());
        request.extensions_mut().insert(handle.clone());

        // The handler called `poll_ready` on this clone's original; swap so the ready one
        // serves the request, as tower asks of services that clone themselves.
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let future = async move {
            let mut response = inner.call(request).await?;
            handle.finish(response.headers_mut()).await;
            Ok(response)
        };
        Box::pin(tracing::Instrument::instrument(future, span))
    }
}

fn forbidden<B: Default>() -> Response<B> {
    let mut response = Response::new(B::default());
    *response.status_mut() = StatusCode::FORBIDDEN;
    response
}

pub(crate) fn append_set_cookie(headers: &mut http::HeaderMap, value: String) -> bool {
    match HeaderValue::try_from(value) {
        Ok(value) => {
            headers.append(SET_COOKIE, value);
            true
        }
        Err(_) => false,
    }
}
