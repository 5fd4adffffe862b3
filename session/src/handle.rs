//! The per-request session state that the layer lends to extractors and handlers.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use http::HeaderMap;
use tokio::sync::OnceCell;

use crate::codec::{self, Decoded, Invalid, TokenState};
use crate::cookie::Found;
use crate::data::Session;
use crate::layer::{Settings, append_set_cookie};
use crate::store::{CheckRules, FamilyId, StoreError, Verdict};
use crate::time::Timestamp;
use crate::token_cache::TokenCache;

/// Turns rotation off for one request.
#[derive(Clone, Default)]
pub(crate) struct RotationSwitch(Arc<AtomicBool>);

impl RotationSwitch {
    pub(crate) fn skip(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    fn is_skipped(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// A session that passed every check, or that the handler started.
#[derive(Clone)]
pub(crate) struct Active<T> {
    pub(crate) data: T,
    pub(crate) family: FamilyId,
    /// The generation of the token the response will carry.
    pub(crate) generation: u64,
    pub(crate) authenticated_at: Timestamp,
    /// Whether the response must carry a new token.
    pub(crate) reissue: bool,
}

/// The outcome of checking the request's cookie, computed at most once per request.
#[derive(Clone)]
enum Loaded<T> {
    /// No cookie.
    Absent,
    /// A cookie that gave no session; the response deletes it.
    Refused,
    /// The store did not answer; the cookie is left alone.
    StoreFailed(StoreError),
    Active(Active<T>),
}

/// What the handler did to the session.
enum Change<T> {
    Untouched,
    Started(Active<T>),
    Updated(T),
    Ended,
}

struct Inner<T> {
    settings: Arc<Settings>,
    token_cache: Arc<TokenCache<T>>,
    token: Option<String>,
    ambiguous: bool,
    skip_rotation: RotationSwitch,
    loaded: OnceCell<Loaded<T>>,
    change: Mutex<Change<T>>,
}

/// The request's session: a cheap handle in the request extensions.
pub(crate) struct Handle<T>(Arc<Inner<T>>);

impl<T> Clone for Handle<T> {
    fn clone(&self) -> Self {
        Self(self.0.clone())
    }
}

/// The session as the handler sees it now.
pub(crate) enum Current<T> {
    None,
    Some(T),
}

impl<T: Session> Handle<T> {
    pub(crate) fn new(
        settings: Arc<Settings>,
        token_cache: Arc<TokenCache<T>>,
        found: Found<'_>,
    ) -> Self {
        let (token, ambiguous) = match found {
            Found::Absent => (None, false),
            Found::One(value) => (Some(value.to_owned()), false),
            Found::Ambiguous => (None, true),
        };
        Self(Arc::new(Inner {
            settings,
            token_cache,
            token,
            ambiguous,
            skip_rotation: RotationSwitch::default(),
            loaded: OnceCell::new(),
            change: Mutex::new(Change::Untouched),
        }))
    }

    pub(crate) fn settings(&self) -> &Settings {
        &self.0.settings
    }

    fn change(&self) -> MutexGuard<'_, Change<T>> {
        // A handler that panicked mid-change leaves a value that is still whole.
        self.0.change.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn skip_rotation(&self) {
        self.0.skip_rotation.skip();
    }

    /// The switch that [`SkipRotation`](crate::SkipRotation) finds in the request
    /// extensions, whatever the session type.
    pub(crate) fn rotation_switch(&self) -> RotationSwitch {
        self.0.skip_rotation.clone()
    }

    /// The session as the handler sees it: its own changes first, else the cookie's.
    pub(crate) async fn current(&self) -> Result<Current<T>, StoreError> {
        match &*self.change() {
            Change::Started(active) => return Ok(Current::Some(active.data.clone())),
            Change::Updated(data) => return Ok(Current::Some(data.clone())),
            Change::Ended => return Ok(Current::None),
            Change::Untouched => {}
        }
        match self.load().await {
            Loaded::Active(active) => Ok(Current::Some(active.data.clone())),
            Loaded::StoreFailed(error) => Err(error.clone()),
            Loaded::Absent | Loaded::Refused => Ok(Current::None),
        }
    }

    /// The family and subject of the session the request holds now, if any.
    pub(crate) async fn active_family(&self) -> Result<Option<(FamilyId, T)>, StoreError> {
        let changed = match &*self.change() {
            Change::Started(active) => Some(Some((active.family, active.data.clone()))),
            Change::Ended => Some(None),
            Change::Untouched | Change::Updated(_) => None,
        };
        if let Some(changed) = changed {
            return Ok(changed);
        }
        match self.load().await {
            Loaded::Active(active) => Ok(Some((active.family, active.data.clone()))),
            Loaded::StoreFailed(error) => Err(error.clone()),
            Loaded::Absent | Loaded::Refused => Ok(None),
        }
    }

    pub(crate) fn set_started(&self, active: Active<T>) {
        *self.change() = Change::Started(active);
    }

    pub(crate) fn set_updated(&self, data: T) {
        let mut change = self.change();
        let next = match std::mem::replace(&mut *change, Change::Untouched) {
            Change::Started(mut active) => {
                active.data = data;
                Change::Started(active)
            }
            Change::Untouched | Change::Updated(_) => Change::Updated(data),
            Change::Ended => Change::Ended,
        };
        *change = next;
    }

    pub(crate) fn set_ended(&self) {
        *self.change() = Change::Ended;
    }

    async fn load(&self) -> &Loaded<T> {
        self.0.loaded.get_or_init(|| self.verify()).await
    }

    /// Decrypts and validates the cookie, then asks the store. Runs once per request.
    async fn verify(&self) -> Loaded<T> {
        let settings = self.settings();
        let Some(token) = &self.0.token else {
            if self.0.ambiguous {
                tracing::debug!(target: "paseto_session", "no session: the cookie appears more than once or is not text");
                return Loaded::Refused;
            }
            return Loaded::Absent;
        };

        let now = settings.clock.now();
        let decoded = match self.decode(token, now) {
            Ok(decoded) => decoded,
            Err(reason) => {
                tracing::debug!(target: "paseto_session", %reason, "no session: token refused");
                return Loaded::Refused;
            }
        };

        let state = decoded.state;
        let old_enough = settings
            .rotate_after
            .is_none_or(|age| state.issued_at.plus(age) <= now);
        let rotate = old_enough && !self.0.skip_rotation.is_skipped();
        let subject = decoded.data.subject();
        let presented = state.presented(subject.as_deref());
        let rules = CheckRules {
            now,
            grace_period: settings.grace_period,
            rotate,
            family_expires_at: self.family_expiry(state.authenticated_at),
        };

        let verdict = match settings.store.check(presented, rules).await {
            Ok(verdict) => verdict,
            Err(error) => {
                tracing::debug!(target: "paseto_session", %error, "no session: store unavailable");
                return Loaded::StoreFailed(error);
            }
        };
        let family = state.family;
        match verdict {
            Verdict::Current {
                generation,
                rotated,
            } => {
                tracing::trace!(target: "paseto_session", %family, generation, rotated, "session accepted");
                let reissue = rotated || !decoded.current_key;
                Loaded::Active(Active {
                    data: decoded.data,
                    family,
                    generation,
                    authenticated_at: state.authenticated_at,
                    reissue,
                })
            }
            Verdict::Grace { generation } => {
                tracing::debug!(target: "paseto_session", %family, generation, "previous generation accepted within the grace period");
                Loaded::Active(Active {
                    data: decoded.data,
                    family,
                    generation,
                    authenticated_at: state.authenticated_at,
                    reissue: true,
                })
            }
            Verdict::Replayed => {
                tracing::warn!(target: "paseto_session", %family, generation = state.generation, "spent token replayed: family revoked");
                Loaded::Refused
            }
            Verdict::Revoked => {
                tracing::debug!(target: "paseto_session", %family, "no session: family or subject revoked");
                Loaded::Refused
            }
            Verdict::Unknown => {
                tracing::debug!(target: "paseto_session", %family, "no session: the store cannot vouch for this family");
                Loaded::Refused
            }
        }
    }

    /// Decodes the token, or finds it among those this layer issued or verified; either
    /// way its times are checked against `now`.
    fn decode(&self, token: &str, now: Timestamp) -> Result<Decoded<T>, Invalid> {
        let settings = self.settings();
        // A request that will rotate spends its token, so its entry can leave the cache;
        // one that keeps its token leaves the entry for the next request.
        let spends_token = !self.0.skip_rotation.is_skipped() && settings.rotate_after.is_none();
        let cached = if spends_token {
            self.0.token_cache.take(token)
        } else {
            self.0.token_cache.get(token)
        };

        if let Some(verified) = cached {
            codec::check_times(&settings.rules, &verified.state, now)?;
            let (state, current_key) = (verified.state, verified.current_key);
            let data = Arc::try_unwrap(verified)
                .map_or_else(|shared| shared.data.clone(), |owned| owned.data);
            return Ok(Decoded {
                data,
                state,
                current_key,
            });
        }

        let decoded = codec::decode::<T>(&settings.keyring, &settings.rules, token, now)?;
        if self.0.token_cache.is_enabled() && !spends_token {
            let data = decoded.data.clone();
            let cache = &self.0.token_cache;
            cache.insert(token, data, decoded.state, decoded.current_key);
        }
        Ok(decoded)
    }

    /// When a family that logged in at `authenticated_at` can no longer be valid.
    pub(crate) fn family_expiry(&self, authenticated_at: Timestamp) -> Timestamp {
        let rules = &self.settings().rules;
        authenticated_at
            .plus(rules.absolute_timeout)
            .plus(rules.leeway)
    }

    /// Writes the response's `Set-Cookie`, after the handler ran.
    pub(crate) async fn finish(mut self, headers: &mut HeaderMap) {
        let untouched = matches!(&*self.change(), Change::Untouched);
        let skip = self.0.skip_rotation.is_skipped();
        if untouched && self.0.token.is_some() && !skip {
            // The handler never looked at the session: rotate it anyway, so that every
            // request under the layer spends its token.
            self.load().await;
        }

        let change = std::mem::replace(&mut *self.change(), Change::Untouched);
        let loaded = self.take_loaded();
        let issue = match change {
            Change::Ended => return self.clear(headers),
            Change::Started(active) => active,
            Change::Updated(data) => match loaded {
                Some(Loaded::Active(active)) => Active {
                    data,
                    reissue: true,
                    ..active
                },
                _ => return,
            },
            Change::Untouched => match loaded {
                Some(Loaded::Active(active)) if active.reissue => active,
                Some(Loaded::Refused) => return self.clear(headers),
                _ => return,
            },
        };
        self.issue(headers, issue);
    }

    /// The outcome of the cookie check, moved out of the handle when the request kept no
    /// other copy of it (the usual case, once the handler has returned), else copied.
    fn take_loaded(&mut self) -> Option<Loaded<T>> {
        match Arc::get_mut(&mut self.0) {
            Some(inner) => inner.loaded.take(),
            None => self.0.loaded.get().cloned(),
        }
    }

    fn issue(&self, headers: &mut HeaderMap, active: Active<T>) {
        let settings = self.settings();
        let now = settings.clock.now().truncate_to_seconds();
        let idle_expiry = now.plus(settings.rules.idle_timeout);
        let absolute_expiry = active
            .authenticated_at
            .plus(settings.rules.absolute_timeout);
        let state = TokenState {
            family: active.family,
            generation: active.generation,
            issued_at: now,
            expires_at: idle_expiry.min(absolute_expiry).truncate_to_seconds(),
            authenticated_at: active.authenticated_at,
        };

        match codec::encode(&settings.keyring, &settings.rules, &active.data, &state) {
            Ok(token) => {
                append_set_cookie(headers, settings.cookie.set(&token));
                self.0.token_cache.insert(&token, active.data, state, true);
            }
            Err(error) => {
                // The bounds were checked when the data was set, so this is a bug or a
                // failing random source; the browser keeps its old cookie.
                tracing::error!(target: "paseto_session", %error, "could not issue a session token");
            }
        }
    }

    fn clear(&self, headers: &mut HeaderMap) {
        append_set_cookie(headers, self.settings().cookie.clear());
    }
}
