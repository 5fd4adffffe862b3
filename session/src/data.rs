//! The session data contract: how a user's struct becomes the claims of a token.

use std::fmt;

use serde::de::MapAccess;

use crate::bound::BoundError;

/// A struct that is the session: its fields become the claims of the token.
///
/// Implement it with `#[derive(Session)]`; the derive writes every item of this trait,
/// checks the cookie size budget at compile time and makes the type an axum extractor.
/// Writing the implementation by hand is possible (the tests of this crate do it), but
/// then the size check is yours: [`SessionLayer::new`](crate::SessionLayer::new) still
/// refuses a type whose declared worst case cannot fit in a cookie.
pub trait Session: Clone + Send + Sync + 'static {
    /// The cookie's name without its `__Host-` or `__Secure-` prefix (`session` unless the
    /// struct says otherwise).
    const COOKIE_NAME: &'static str;

    /// The most bytes of the cookie that this type allows (name, `=` and value), at most
    /// 4096, the limit browsers keep.
    const MAX_COOKIE_LEN: usize = crate::codec::BROWSER_COOKIE_LIMIT;

    /// The most bytes that [`write_claims`](Session::write_claims) can write, whatever the
    /// values, as long as they pass [`check_bounds`](Session::check_bounds).
    const MAX_CLAIMS_LEN: usize;

    /// The decoding state: one slot for each claim of this type.
    type Partial: Default;

    /// The subject of the session (the `sub` claim), used to end every session of one user.
    fn subject(&self) -> Option<String>;

    /// Checks every declared bound (`max_len`, `max_items`) against the values.
    ///
    /// # Errors
    ///
    /// The first field whose value is longer than its bound.
    fn check_bounds(&self) -> Result<(), BoundError>;

    /// Writes each field as a claim, every one as `,"name":value`.
    ///
    /// # Errors
    ///
    /// A value that cannot be written as JSON.
    fn write_claims(&self, out: &mut ClaimWriter<'_>) -> Result<(), EncodeError>;

    /// Reads the value of the claim `name` into `partial`; returns `false` for a claim this
    /// type does not know, which the caller then skips.
    ///
    /// # Errors
    ///
    /// A value of the wrong shape, or a claim given twice.
    fn read_claim<'de, A: MapAccess<'de>>(
        partial: &mut Self::Partial,
        name: &str,
        map: &mut A,
    ) -> Result<bool, A::Error>;

    /// Builds the value once every claim was read.
    ///
    /// # Errors
    ///
    /// A claim that the type needs and the token did not carry.
    fn finish(partial: Self::Partial) -> Result<Self, DecodeError>;
}

/// Appends claims to a token payload under construction.
///
/// Each call writes `,"name":value`; the payload's opening brace and registered claims are
/// already in place.
pub struct ClaimWriter<'a> {
    out: &'a mut Vec<u8>,
}

impl<'a> ClaimWriter<'a> {
    pub(crate) fn new(out: &'a mut Vec<u8>) -> Self {
        Self { out }
    }

    /// Writes one claim. `quoted_name` is the claim's name as a JSON string, quotes
    /// included, such as `"\"name\""`.
    ///
    /// # Errors
    ///
    /// A value that serde_json refuses to write.
    pub fn claim<V>(&mut self, quoted_name: &str, value: &V) -> Result<(), EncodeError>
    where
        V: serde::Serialize + ?Sized,
    {
        self.out.push(b',');
        self.out.extend_from_slice(quoted_name.as_bytes());
        self.out.push(b':');
        serde_json::to_writer(&mut *self.out, value).map_err(|_| EncodeError { claim: None })
    }

    /// Writes the `sub` claim: the value's `Display` text as a JSON string.
    ///
    /// # Errors
    ///
    /// Never in practice; the signature matches [`claim`](ClaimWriter::claim).
    pub fn subject<V>(&mut self, value: &V) -> Result<(), EncodeError>
    where
        V: fmt::Display + ?Sized,
    {
        let text = value.to_string();
        self.claim("\"sub\"", text.as_str())
    }
}

impl fmt::Debug for ClaimWriter<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClaimWriter")
            .field("len", &self.out.len())
            .finish()
    }
}

/// A session value that could not be written as claims.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodeError {
    pub(crate) claim: Option<&'static str>,
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.claim {
            Some(claim) => write!(
                f,
                "the session claim `{claim}` could not be encoded as JSON"
            ),
            None => f.write_str("a session claim could not be encoded as JSON"),
        }
    }
}

impl std::error::Error for EncodeError {}

/// Claims that could not be turned back into the session type.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeError {
    /// A claim that the type needs is missing.
    MissingClaim(&'static str),
    /// A claim value is longer than the bound its field declares.
    Bound(BoundError),
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingClaim(name) => write!(f, "the token has no `{name}` claim"),
            Self::Bound(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for DecodeError {}
