//! Extractors, the session handle for handlers, and typed rejections.

use std::fmt;
use std::task::{Context, Poll};

use axum_core::extract::FromRequestParts;
use axum_core::response::{IntoResponse, Response};
use http::header::{ACCEPT, LOCATION};
use http::request::Parts;
use http::{HeaderValue, Request, StatusCode};
use tower_layer::Layer;
use tower_service::Service;

use crate::bound::BoundError;
use crate::data::Session;
use crate::handle::{Active, Current, Handle, RotationSwitch};
use crate::store::{FamilyId, StoreError};

/// Why an extractor found no usable session.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum SessionRejection {
    /// The route is not under a [`SessionLayer`](crate::SessionLayer) for this session
    /// type: a mistake in the application's router, answered with 500.
    MissingLayer,
    /// The request has no valid session: 401, or 303 to the login URL for a request that
    /// accepts HTML when one is configured.
    Unauthenticated {
        /// Where to send the browser, if anywhere.
        login_url: Option<std::sync::Arc<str>>,
    },
    /// The store did not answer, so the session could not be checked: 503.
    StoreUnavailable,
}

impl SessionRejection {
    /// The HTTP status of the rejection.
    #[must_use]
    pub fn status(&self) -> StatusCode {
        match self {
            Self::MissingLayer => StatusCode::INTERNAL_SERVER_ERROR,
            Self::Unauthenticated { login_url: Some(_) } => StatusCode::SEE_OTHER,
            Self::Unauthenticated { login_url: None } => StatusCode::UNAUTHORIZED,
            Self::StoreUnavailable => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    /// The short text of the response body.
    #[must_use]
    pub fn body_text(&self) -> &'static str {
        match self {
            Self::MissingLayer => "Missing SessionLayer: add it to the router around this route",
            Self::Unauthenticated { .. } => "Login required",
            Self::StoreUnavailable => "Session store unavailable",
        }
    }
}

impl fmt::Display for SessionRejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.body_text())
    }
}

impl std::error::Error for SessionRejection {}

impl IntoResponse for SessionRejection {
    fn into_response(self) -> Response {
        let status = self.status();
        let mut response = (status, self.body_text()).into_response();
        let login_url = match &self {
            Self::Unauthenticated { login_url } => login_url.as_deref(),
            _ => None,
        };
        // The layer checked the URL at start-up, so this only fails for a rejection built
        // by hand.
        if let Some(location) = login_url.and_then(|url| HeaderValue::from_str(url).ok()) {
            response.headers_mut().insert(LOCATION, location);
        }
        response
    }
}

fn handle_of<T: Session>(parts: &Parts) -> Result<Handle<T>, SessionRejection> {
    parts
        .extensions
        .get::<Handle<T>>()
        .cloned()
        .ok_or(SessionRejection::MissingLayer)
}

fn accepts_html(parts: &Parts) -> bool {
    parts
        .headers
        .get_all(ACCEPT)
        .iter()
        .any(|value| value.to_str().is_ok_and(|text| text.contains("text/html")))
}

/// The required-session extractor that `#[derive(Session)]` generates calls this.
#[doc(hidden)]
pub async fn extract_required<T: Session>(parts: &mut Parts) -> Result<T, SessionRejection> {
    let handle = handle_of::<T>(parts)?;
    match handle.current().await {
        Ok(Current::Some(data)) => Ok(data),
        Ok(Current::None) => {
            let login_url = handle
                .settings()
                .login_url
                .clone()
                .filter(|_| accepts_html(parts));
            Err(SessionRejection::Unauthenticated { login_url })
        }
        Err(_) => Err(SessionRejection::StoreUnavailable),
    }
}

/// The optional-session extractor that `#[derive(Session)]` generates calls this.
#[doc(hidden)]
pub async fn extract_optional<T: Session>(
    parts: &mut Parts,
) -> Result<Option<T>, SessionRejection> {
    let handle = handle_of::<T>(parts)?;
    match handle.current().await {
        Ok(Current::Some(data)) => Ok(Some(data)),
        Ok(Current::None) => Ok(None),
        Err(_) => Err(SessionRejection::StoreUnavailable),
    }
}

/// The handle a handler uses to start, update and end the session.
///
/// It is an extractor: take `Sessions<User>` as a handler argument. Changes reach the
/// browser in the response's `Set-Cookie`.
///
/// # Examples
///
/// ```
/// use axum::response::Redirect;
/// use paseto_session::{Session, SessionError, Sessions};
///
/// #[derive(Session, Clone, Debug)]
/// struct User {
///     #[session(subject)]
///     id: u64,
/// }
///
/// async fn login(sessions: Sessions<User>) -> Result<Redirect, SessionError> {
///     // check the password first: that is the application's job
///     sessions.start(User { id: 7 }).await?;
///     Ok(Redirect::to("/"))
/// }
///
/// async fn logout(sessions: Sessions<User>) -> Result<Redirect, SessionError> {
///     sessions.end().await?;
///     Ok(Redirect::to("/"))
/// }
/// ```
pub struct Sessions<T> {
    handle: Handle<T>,
}

impl<T> Clone for Sessions<T> {
    fn clone(&self) -> Self {
        Self {
            handle: self.handle.clone(),
        }
    }
}

impl<T> fmt::Debug for Sessions<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sessions").finish_non_exhaustive()
    }
}

impl<T: Session> Sessions<T> {
    /// The session the request holds now: the one the handler started or updated, else
    /// the cookie's, once every check has passed.
    ///
    /// # Errors
    ///
    /// [`SessionError::Store`] when the store did not answer.
    pub async fn get(&self) -> Result<Option<T>, SessionError> {
        match self.handle.current().await? {
            Current::Some(data) => Ok(Some(data)),
            Current::None => Ok(None),
        }
    }

    /// Starts a new session (a login): a new family at generation 0, whose token the
    /// response sets. A session the request already held is revoked, so a cookie from
    /// before the login can never be used again.
    ///
    /// # Errors
    ///
    /// [`SessionError::Bound`] when a field is longer than its declared bound (nothing is
    /// cut short), [`SessionError::Store`] when the store did not answer.
    pub async fn start(&self, data: T) -> Result<(), SessionError> {
        data.check_bounds()?;
        let settings = self.handle.settings();
        let now = settings.clock.now();

        if let Some((old_family, _)) = self.handle.active_family().await? {
            let expiry = self.handle.family_expiry(now);
            settings
                .store
                .revoke_family(old_family, now, expiry)
                .await?;
        }

        let family = FamilyId::random()?;
        settings
            .store
            .begin(family, now, self.handle.family_expiry(now))
            .await?;
        self.handle.set_started(Active {
            data,
            family,
            generation: 0,
            authenticated_at: now,
            reissue: true,
        });
        Ok(())
    }

    /// Replaces the data of the current session; the family and its timeouts stay.
    ///
    /// # Errors
    ///
    /// [`SessionError::NoSession`] without a session, [`SessionError::Bound`] when a field
    /// is longer than its bound, [`SessionError::Store`] when the store did not answer.
    pub async fn update(&self, data: T) -> Result<(), SessionError> {
        data.check_bounds()?;
        if self.handle.active_family().await?.is_none() {
            return Err(SessionError::NoSession);
        }
        self.handle.set_updated(data);
        Ok(())
    }

    /// Ends the session (a logout): revokes its family in the store, so that a copy of the
    /// cookie is useless, and deletes the cookie.
    ///
    /// # Errors
    ///
    /// [`SessionError::Store`] when the store did not answer; the cookie is deleted anyway,
    /// but a copy of it stays valid until its idle timeout.
    pub async fn end(&self) -> Result<(), SessionError> {
        let active = self.handle.active_family().await;
        self.handle.set_ended();

        if let Some((family, _)) = active? {
            let settings = self.handle.settings();
            let now = settings.clock.now();
            let expiry = self.handle.family_expiry(now);
            settings.store.revoke_family(family, now, expiry).await?;
        }
        Ok(())
    }

    /// Ends every session of this session's subject, on every device ("log out
    /// everywhere"), this one included.
    ///
    /// # Errors
    ///
    /// [`SessionError::NoSession`] without a session, [`SessionError::NoSubject`] when the
    /// session type has no `#[session(subject)]` field, [`SessionError::Store`] when the
    /// store did not answer.
    pub async fn end_everywhere(&self) -> Result<(), SessionError> {
        let Some((_, data)) = self.handle.active_family().await? else {
            return Err(SessionError::NoSession);
        };
        let subject = data.subject().ok_or(SessionError::NoSubject)?;
        let settings = self.handle.settings();
        let now = settings.clock.now();
        let expiry = self.handle.family_expiry(now);
        settings.store.revoke_subject(&subject, now, expiry).await?;
        self.end().await
    }

    /// Keeps this request's token instead of rotating it (it is still checked against the
    /// store). Call it before the session is first read; [`SkipRotation`] does the same
    /// for whole routes.
    pub fn skip_rotation(&self) {
        self.handle.skip_rotation();
    }
}

impl<T: Session, S: Send + Sync> FromRequestParts<S> for Sessions<T> {
    type Rejection = SessionRejection;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self {
            handle: handle_of::<T>(parts)?,
        })
    }
}

/// A failed change to the session.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum SessionError {
    /// A field's value is longer than its declared bound.
    Bound(BoundError),
    /// The request has no session to change.
    NoSession,
    /// The session type has no subject, so its sessions cannot be ended by subject.
    NoSubject,
    /// The store did not answer.
    Store(StoreError),
}

impl fmt::Display for SessionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Bound(error) => error.fmt(f),
            Self::NoSession => f.write_str("the request has no session"),
            Self::NoSubject => f.write_str(
                "the session type has no subject; mark a field with `#[session(subject)]`",
            ),
            Self::Store(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for SessionError {}

impl From<BoundError> for SessionError {
    fn from(error: BoundError) -> Self {
        Self::Bound(error)
    }
}

impl From<StoreError> for SessionError {
    fn from(error: StoreError) -> Self {
        Self::Store(error)
    }
}

impl IntoResponse for SessionError {
    fn into_response(self) -> Response {
        let (status, text) = match &self {
            Self::NoSession => (StatusCode::UNAUTHORIZED, "Login required"),
            Self::Store(_) => (StatusCode::SERVICE_UNAVAILABLE, "Session store unavailable"),
            Self::Bound(_) | Self::NoSubject => {
                tracing::error!(target: "paseto_session", error = %self, "session change failed");
                (StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error")
            }
        };
        (status, text).into_response()
    }
}

/// A layer for routes that must not rotate the token, such as polling endpoints: the
/// session is still checked against the store on every request, but the token is kept.
///
/// # Examples
///
/// ```
/// use axum::{Router, routing::get};
/// use paseto_session::SkipRotation;
///
/// async fn poll() -> &'static str { "nothing new" }
///
/// let app: Router = Router::new().route("/api/poll", get(poll).layer(SkipRotation));
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct SkipRotation;

impl<S> Layer<S> for SkipRotation {
    type Service = SkipRotationService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        SkipRotationService { inner }
    }
}

/// The service of [`SkipRotation`].
#[derive(Debug, Clone)]
pub struct SkipRotationService<S> {
    inner: S,
}

impl<S, B> Service<Request<B>> for SkipRotationService<S>
where
    S: Service<Request<B>>,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        if let Some(switch) = request.extensions().get::<RotationSwitch>() {
            switch.skip();
        }
        self.inner.call(request)
    }
}
