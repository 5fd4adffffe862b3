//! The token codec: claims JSON in, PASETO v4.local token out, and back.

/// The most bytes of cookie name, `=` and value that browsers keep for one cookie.
pub(crate) const BROWSER_COOKIE_LIMIT: usize = 4096;

/// `v4.local.`
const HEADER_LEN: usize = 9;
/// Nonce and authentication tag around the ciphertext.
const NONCE_AND_TAG_LEN: usize = 64;
/// `{"kid":"k4.lid.` + 44 base64url characters + `"}`.
pub(crate) const FOOTER_LEN: usize = 61;
/// The longest cookie-name prefix the configuration can add (`__Secure-`).
const MAX_PREFIX_LEN: usize = 9;
/// The registered and internal claims that every token carries, at their longest:
/// `{"jti":"<32 hex>.<u64>","iat":"<20>","nbf":"<20>","exp":"<20>","auth":"<24>"` and `}`.
pub(crate) const FIXED_CLAIMS_LEN: usize =
    1 + (7 + 32 + 1 + 20 + 1) + 3 * (8 + 20 + 1) + (9 + 24 + 1) + 1;

/// Length of unpadded base64url for `len` bytes.
pub(crate) const fn base64_len(len: usize) -> usize {
    (4 * len).div_ceil(3)
}

/// The longest cookie (name, `=`, value) for a session whose own claims take at most
/// `max_claims_len` bytes, and whose issuer and audience claims take at most
/// `extra_claims_len` bytes, with a cookie base name of `cookie_name_len` bytes and the
/// longest prefix the configuration may add.
pub const fn max_cookie_len(
    cookie_name_len: usize,
    max_claims_len: usize,
    extra_claims_len: usize,
) -> usize {
    let payload = FIXED_CLAIMS_LEN + max_claims_len + extra_claims_len;
    let token = HEADER_LEN + base64_len(NONCE_AND_TAG_LEN + payload) + 1 + base64_len(FOOTER_LEN);
    MAX_PREFIX_LEN + cookie_name_len + 1 + token
}

/// [`max_cookie_len`] for a cookie whose full name (prefix included) is known.
pub(crate) const fn max_cookie_len_named(
    full_cookie_name_len: usize,
    max_claims_len: usize,
    extra_claims_len: usize,
) -> usize {
    max_cookie_len(full_cookie_name_len, max_claims_len, extra_claims_len) - MAX_PREFIX_LEN
}

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use pasetors::token::{Local, UntrustedToken};
use pasetors::version4::{LocalToken, V4};
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};

use crate::data::{ClaimWriter, EncodeError, Session};
use crate::key::Keyring;
use crate::store::{FamilyId, Presented};
use crate::time::{Timestamp, parse_rfc3339, write_rfc3339};

/// What a token says about its place in the session, beside the user's own claims.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TokenState {
    pub(crate) family: FamilyId,
    pub(crate) generation: u64,
    pub(crate) issued_at: Timestamp,
    pub(crate) expires_at: Timestamp,
    /// When the user logged in: the start of the absolute timeout.
    pub(crate) authenticated_at: Timestamp,
}

impl TokenState {
    /// The token as the store sees it.
    pub(crate) fn presented<'a>(&self, subject: Option<&'a str>) -> Presented<'a> {
        Presented {
            family: self.family,
            generation: self.generation,
            subject,
            authenticated_at: self.authenticated_at,
            issued_at: self.issued_at,
        }
    }
}

/// A token that passed decryption and claim validation.
#[derive(Debug)]
pub(crate) struct Decoded<T> {
    pub(crate) data: T,
    pub(crate) state: TokenState,
    /// Whether the key that encrypted it is the keyring's current key.
    pub(crate) current_key: bool,
}

/// Why a cookie value gave no session. Logged at debug; the client only ever sees
/// "no session".
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Invalid {
    TooLong,
    NotV4Local,
    Malformed,
    UnknownKey,
    Tampered,
    Claims(String),
    Expired,
    NotYetValid,
    IssuedInFuture,
    LifetimeTooLong,
    AbsoluteTimeout,
    WrongIssuer,
    WrongAudience,
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooLong => f.write_str("token longer than any cookie a browser keeps"),
            Self::NotV4Local => f.write_str("not a v4.local token"),
            Self::Malformed => f.write_str("malformed token"),
            Self::UnknownKey => f.write_str("footer names no key of the keyring"),
            Self::Tampered => f.write_str("authentication failed (tampered, other key or purpose)"),
            Self::Claims(detail) => write!(f, "invalid claims: {detail}"),
            Self::Expired => f.write_str("expired (idle timeout)"),
            Self::NotYetValid => f.write_str("not valid yet (nbf)"),
            Self::IssuedInFuture => f.write_str("issued in the future (iat)"),
            Self::LifetimeTooLong => f.write_str("exp beyond the configured idle timeout"),
            Self::AbsoluteTimeout => f.write_str("absolute timeout passed"),
            Self::WrongIssuer => f.write_str("wrong issuer"),
            Self::WrongAudience => f.write_str("wrong audience"),
        }
    }
}

/// What decoding checks beside the cryptography.
#[derive(Debug, Clone)]
pub(crate) struct Rules {
    pub(crate) context: Vec<u8>,
    pub(crate) issuer: Option<String>,
    pub(crate) audience: Option<String>,
    /// `,"iss":"…","aud":"…"`, written once at start-up.
    pub(crate) extra_claims: Vec<u8>,
    pub(crate) idle_timeout: std::time::Duration,
    pub(crate) absolute_timeout: std::time::Duration,
    pub(crate) leeway: std::time::Duration,
}

impl Rules {
    pub(crate) fn new(
        context: Vec<u8>,
        issuer: Option<String>,
        audience: Option<String>,
        idle_timeout: std::time::Duration,
        absolute_timeout: std::time::Duration,
        leeway: std::time::Duration,
    ) -> Self {
        let mut extra_claims = Vec::new();
        for (quoted_name, value) in [("\"iss\"", &issuer), ("\"aud\"", &audience)] {
            if let Some(value) = value {
                let mut writer = ClaimWriter::new(&mut extra_claims);
                // Writing a plain string into a Vec cannot fail.
                let _ = writer.claim(quoted_name, value.as_str());
            }
        }
        Self {
            context,
            issuer,
            audience,
            extra_claims,
            idle_timeout,
            absolute_timeout,
            leeway,
        }
    }
}

/// Writes the claims of a token and encrypts it under the keyring's current key.
pub(crate) fn encode<T: Session>(
    keyring: &Keyring,
    rules: &Rules,
    data: &T,
    state: &TokenState,
) -> Result<String, EncodeError> {
    let capacity = FIXED_CLAIMS_LEN + rules.extra_claims.len() + T::MAX_CLAIMS_LEN.min(4096);
    let mut payload = Vec::with_capacity(capacity);
    write_registered_claims(&mut payload, state)?;
    payload.extend_from_slice(&rules.extra_claims);
    data.write_claims(&mut ClaimWriter::new(&mut payload))?;
    payload.push(b'}');

    let key = keyring.current();
    LocalToken::encrypt(
        key.paseto_key(),
        &payload,
        Some(key.footer()),
        Some(&rules.context),
    )
    .map_err(|_| EncodeError { claim: None })
}

fn write_registered_claims(out: &mut Vec<u8>, state: &TokenState) -> Result<(), EncodeError> {
    out.extend_from_slice(b"{\"jti\":\"");
    state.family.write_hex(out);
    out.push(b'.');
    out.extend_from_slice(itoa::Buffer::new().format(state.generation).as_bytes());

    // `iat` and `nbf` are the same instant: write it once and copy the text.
    out.extend_from_slice(b"\",\"iat\":\"");
    let issued_at_start = out.len();
    if !write_rfc3339(out, state.issued_at, false) {
        return Err(EncodeError { claim: Some("iat") });
    }
    let issued_at_end = out.len();
    out.extend_from_slice(b"\",\"nbf\":\"");
    out.extend_from_within(issued_at_start..issued_at_end);

    let later = [
        ("\",\"exp\":\"", state.expires_at, false, "exp"),
        ("\",\"auth\":\"", state.authenticated_at, true, "auth"),
    ];
    for (separator, time, with_millis, claim) in later {
        out.extend_from_slice(separator.as_bytes());
        if !write_rfc3339(out, time, with_millis) {
            return Err(EncodeError { claim: Some(claim) });
        }
    }

    out.push(b'"');
    Ok(())
}

/// Decrypts a cookie value and validates every claim. Nothing of the token reaches the
/// caller unless every check passed.
pub(crate) fn decode<T: Session>(
    keyring: &Keyring,
    rules: &Rules,
    token: &str,
    now: Timestamp,
) -> Result<Decoded<T>, Invalid> {
    if token.len() > BROWSER_COOKIE_LIMIT {
        return Err(Invalid::TooLong);
    }
    if !token.starts_with(LocalToken::HEADER) {
        return Err(Invalid::NotV4Local);
    }

    let untrusted = UntrustedToken::<Local, V4>::try_from(token).map_err(|_| Invalid::Malformed)?;
    let key = keyring
        .by_footer(untrusted.untrusted_footer())
        .ok_or(Invalid::UnknownKey)?;
    let trusted = LocalToken::decrypt(
        key.paseto_key(),
        &untrusted,
        Some(key.footer()),
        Some(&rules.context),
    )
    .map_err(|_| Invalid::Tampered)?;

    let (data, state) = decode_claims::<T>(rules, trusted.payload(), now)?;

    let current_key = std::ptr::eq(key, keyring.current());
    Ok(Decoded {
        data,
        state,
        current_key,
    })
}

/// Reads and validates the claims of a decrypted payload.
pub(crate) fn decode_claims<T: Session>(
    rules: &Rules,
    payload: &str,
    now: Timestamp,
) -> Result<(T, TokenState), Invalid> {
    let seed = ClaimsSeed::<T> {
        rules,
        marker: PhantomData,
    };
    let mut deserializer = serde_json::Deserializer::from_str(payload);
    let claims = seed
        .deserialize(&mut deserializer)
        .and_then(|claims| deserializer.end().map(|()| claims))
        .map_err(|error| Invalid::Claims(error.to_string()))?;

    if !claims.issuer_ok {
        return Err(Invalid::WrongIssuer);
    }
    if !claims.audience_ok {
        return Err(Invalid::WrongAudience);
    }
    if claims.not_before > now.plus(rules.leeway) {
        return Err(Invalid::NotYetValid);
    }
    check_times(rules, &claims.state, now)?;
    Ok((claims.data, claims.state))
}

/// Checks the times of a token against `now`: expiry, issue time, lifetime and the
/// absolute timeout.
pub(crate) fn check_times(
    rules: &Rules,
    state: &TokenState,
    now: Timestamp,
) -> Result<(), Invalid> {
    let latest_acceptable = now.plus(rules.leeway);
    if state.expires_at.plus(rules.leeway) <= now {
        return Err(Invalid::Expired);
    }
    if state.issued_at > latest_acceptable || state.authenticated_at > latest_acceptable {
        return Err(Invalid::IssuedInFuture);
    }
    if state.expires_at > state.issued_at.plus(rules.idle_timeout).plus(rules.leeway) {
        return Err(Invalid::LifetimeTooLong);
    }
    if state
        .authenticated_at
        .plus(rules.absolute_timeout)
        .plus(rules.leeway)
        <= now
    {
        return Err(Invalid::AbsoluteTimeout);
    }
    Ok(())
}

/// Everything the payload said, before the checks that need the time.
struct ClaimsOutput<T> {
    data: T,
    state: TokenState,
    not_before: Timestamp,
    issuer_ok: bool,
    audience_ok: bool,
}

struct ClaimsSeed<'r, T> {
    rules: &'r Rules,
    marker: PhantomData<T>,
}

impl<'de, T: Session> DeserializeSeed<'de> for ClaimsSeed<'_, T> {
    type Value = ClaimsOutput<T>;

    fn deserialize<D: de::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

/// A claim name, borrowed from the payload unless it holds escapes.
struct ClaimName<'de>(Cow<'de, str>);

impl<'de> de::Deserialize<'de> for ClaimName<'de> {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NameVisitor;

        impl<'de> Visitor<'de> for NameVisitor {
            type Value = ClaimName<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a claim name")
            }

            fn visit_borrowed_str<E: de::Error>(self, name: &'de str) -> Result<Self::Value, E> {
                Ok(ClaimName(Cow::Borrowed(name)))
            }

            fn visit_str<E: de::Error>(self, name: &str) -> Result<Self::Value, E> {
                Ok(ClaimName(Cow::Owned(name.to_owned())))
            }
        }

        deserializer.deserialize_str(NameVisitor)
    }
}

/// A string claim, borrowed from the payload unless it holds escapes.
struct Text<'de>(Cow<'de, str>);

impl<'de> de::Deserialize<'de> for Text<'de> {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        ClaimName::deserialize(deserializer).map(|name| Text(name.0))
    }
}

fn set_once<T, E: de::Error>(slot: &mut Option<T>, value: T, name: &str) -> Result<(), E> {
    if slot.is_some() {
        return Err(E::custom(format_args!("duplicate claim `{name}`")));
    }
    *slot = Some(value);
    Ok(())
}

fn time_claim<'de, A: MapAccess<'de>>(map: &mut A, name: &str) -> Result<Timestamp, A::Error> {
    let text: Text<'de> = map.next_value()?;
    parse_rfc3339(&text.0)
        .ok_or_else(|| de::Error::custom(format_args!("`{name}` is not an RFC 3339 date-time")))
}

impl<'de, T: Session> Visitor<'de> for ClaimsSeed<'_, T> {
    type Value = ClaimsOutput<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object of claims")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut partial = T::Partial::default();
        let mut jti = None;
        let (mut iat, mut nbf, mut exp, mut auth) = (None, None, None, None);
        let (mut issuer_ok, mut audience_ok) = (None, None);

        while let Some(ClaimName(name)) = map.next_key()? {
            match &*name {
                "jti" => {
                    let text: Text<'de> = map.next_value()?;
                    let parsed = parse_jti(&text.0)
                        .ok_or_else(|| de::Error::custom("`jti` is not `<family>.<generation>`"))?;
                    set_once(&mut jti, parsed, "jti")?;
                }
                "iat" => set_once(&mut iat, time_claim(&mut map, "iat")?, "iat")?,
                "nbf" => set_once(&mut nbf, time_claim(&mut map, "nbf")?, "nbf")?,
                "exp" => set_once(&mut exp, time_claim(&mut map, "exp")?, "exp")?,
                "auth" => set_once(&mut auth, time_claim(&mut map, "auth")?, "auth")?,
                "iss" => {
                    let text: Text<'de> = map.next_value()?;
                    let matches = self.rules.issuer.as_deref() == Some(&*text.0);
                    set_once(&mut issuer_ok, matches, "iss")?;
                }
                "aud" => {
                    let text: Text<'de> = map.next_value()?;
                    let matches = self.rules.audience.as_deref() == Some(&*text.0);
                    set_once(&mut audience_ok, matches, "aud")?;
                }
                other => {
                    if !T::read_claim(&mut partial, other, &mut map)? {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
            }
        }

        let missing = |name: &'static str| de::Error::custom(format_args!("no `{name}` claim"));
        let (family, generation) = jti.ok_or_else(|| missing("jti"))?;
        let issued_at = iat.ok_or_else(|| missing("iat"))?;
        let not_before = nbf.ok_or_else(|| missing("nbf"))?;
        let expires_at = exp.ok_or_else(|| missing("exp"))?;
        let authenticated_at = auth.ok_or_else(|| missing("auth"))?;
        // A claim the configuration expects must be present, and one it does not expect
        // must be absent: either way the token was made for another deployment.
        let issuer_ok = issuer_ok.unwrap_or(self.rules.issuer.is_none());
        let audience_ok = audience_ok.unwrap_or(self.rules.audience.is_none());
        let data = T::finish(partial).map_err(de::Error::custom)?;
        let state = TokenState {
            family,
            generation,
            issued_at,
            expires_at,
            authenticated_at,
        };
        Ok(ClaimsOutput {
            data,
            state,
            not_before,
            issuer_ok,
            audience_ok,
        })
    }
}

fn parse_jti(text: &str) -> Option<(FamilyId, u64)> {
    let (family, generation) = text.split_once('.')?;
    let family = FamilyId::from_hex(family)?;
    let all_digits = !generation.is_empty() && generation.bytes().all(|b| b.is_ascii_digit());
    if !all_digits || (generation.len() > 1 && generation.starts_with('0')) {
        return None;
    }
    Some((family, generation.parse().ok()?))
}

/// Builds a token with any payload, for the fuzz targets' corpus.
#[cfg(feature = "internals")]
pub(crate) fn encrypt_with(key: &crate::key::Key, payload: &[u8], rules: &Rules) -> String {
    LocalToken::encrypt(
        key.paseto_key(),
        payload,
        Some(key.footer()),
        Some(&rules.context),
    )
    .unwrap_or_default()
}

/// Builds a token with any payload, for tests that need tokens this crate would not write.
#[cfg(test)]
pub(crate) fn encrypt_raw(key: &crate::key::Key, payload: &[u8], context: &[u8]) -> String {
    LocalToken::encrypt(key.paseto_key(), payload, Some(key.footer()), Some(context))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use serde::de::MapAccess;

    use super::*;
    use crate::bound::BoundError;
    use crate::data::DecodeError;
    use crate::key::Key;

    /// A session type written by hand, as the derive would write it.
    #[derive(Debug, Clone, PartialEq)]
    struct Visitor2 {
        name: String,
        visits: u32,
    }

    impl Session for Visitor2 {
        const COOKIE_NAME: &'static str = "session";
        const MAX_CLAIMS_LEN: usize = (1 + 6 + 1 + 2 + 6 * 16) + (1 + 8 + 1 + 10);
        type Partial = (Option<String>, Option<u32>);

        fn subject(&self) -> Option<String> {
            None
        }

        fn check_bounds(&self) -> Result<(), BoundError> {
            Ok(())
        }

        fn write_claims(&self, out: &mut ClaimWriter<'_>) -> Result<(), EncodeError> {
            out.claim("\"name\"", &self.name)?;
            out.claim("\"visits\"", &self.visits)
        }

        fn read_claim<'de, A: MapAccess<'de>>(
            partial: &mut Self::Partial,
            name: &str,
            map: &mut A,
        ) -> Result<bool, A::Error> {
            match name {
                "name" => partial.0 = Some(map.next_value()?),
                "visits" => partial.1 = Some(map.next_value()?),
                _ => return Ok(false),
            }
            Ok(true)
        }

        fn finish(partial: Self::Partial) -> Result<Self, DecodeError> {
            Ok(Self {
                name: partial.0.ok_or(DecodeError::MissingClaim("name"))?,
                visits: partial.1.ok_or(DecodeError::MissingClaim("visits"))?,
            })
        }
    }

    const LOGIN: Timestamp = Timestamp::from_millis(1_796_315_960_123);
    const NOW: Timestamp = Timestamp::from_millis(1_796_316_000_000);

    fn rules(issuer: Option<&str>) -> Rules {
        Rules::new(
            b"paseto-session".to_vec(),
            issuer.map(str::to_owned),
            None,
            Duration::from_secs(1800),
            Duration::from_secs(43_200),
            Duration::from_secs(30),
        )
    }

    fn state() -> TokenState {
        let mut family = [0u8; 16];
        for (index, byte) in family.iter_mut().enumerate() {
            *byte = index as u8;
        }
        TokenState {
            family: FamilyId::from_bytes(family),
            generation: 5,
            issued_at: NOW,
            expires_at: NOW.plus(Duration::from_secs(1800)),
            authenticated_at: LOGIN,
        }
    }

    fn visitor() -> Visitor2 {
        Visitor2 {
            name: "Zoë \"z\"".to_owned(),
            visits: 3,
        }
    }

    fn payload_of(key: &Key, token: &str) -> String {
        let untrusted = UntrustedToken::<Local, V4>::try_from(token).unwrap();
        let trusted =
            LocalToken::decrypt(key.paseto_key(), &untrusted, None, Some(b"paseto-session"))
                .unwrap();
        trusted.payload().to_owned()
    }

    #[test]
    fn writes_the_claim_layout_checked_by_hand() {
        let keyring = Keyring::new(Key::generate().unwrap());
        let token = encode(&keyring, &rules(Some("app")), &visitor(), &state()).unwrap();

        assert!(token.starts_with("v4.local."));
        assert_eq!(
            payload_of(keyring.current(), &token),
            concat!(
                r#"{"jti":"000102030405060708090a0b0c0d0e0f.5","#,
                r#""iat":"2026-12-03T16:40:00Z","nbf":"2026-12-03T16:40:00Z","#,
                r#""exp":"2026-12-03T17:10:00Z","auth":"2026-12-03T16:39:20.123Z","#,
                r#""iss":"app","name":"Zoë \"z\"","visits":3}"#,
            )
        );
        let footer = token.rsplit('.').next().unwrap_or_default();
        assert_eq!(footer.len(), base64_len(FOOTER_LEN));
    }

    #[test]
    fn decodes_what_it_encodes() {
        let keyring = Keyring::new(Key::generate().unwrap());
        let rules = rules(Some("app"));
        let token = encode(&keyring, &rules, &visitor(), &state()).unwrap();

        let decoded = decode::<Visitor2>(&keyring, &rules, &token, NOW).unwrap();
        assert_eq!(decoded.data, visitor());
        assert_eq!(decoded.state, state());
        assert!(decoded.current_key);
    }

    #[test]
    fn the_worst_case_bound_covers_a_real_token() {
        let keyring = Keyring::new(Key::generate().unwrap());
        let mut worst = state();
        worst.generation = u64::MAX;
        let data = Visitor2 {
            name: "\u{1}".repeat(16),
            visits: u32::MAX,
        };
        let token = encode(&keyring, &rules(None), &data, &worst).unwrap();

        let cookie_len = "__Secure-session=".len() + token.len();
        assert_eq!(cookie_len, max_cookie_len(7, Visitor2::MAX_CLAIMS_LEN, 0));
    }

    fn decode_payload(payload: &str, at: Timestamp) -> Result<Decoded<Visitor2>, Invalid> {
        let keyring = Keyring::new(Key::generate().unwrap());
        let token = encrypt_raw(keyring.current(), payload.as_bytes(), b"paseto-session");
        decode::<Visitor2>(&keyring, &rules(None), &token, at)
    }

    const VALID: &str = concat!(
        r#"{"jti":"000102030405060708090a0b0c0d0e0f.5","#,
        r#""iat":"2026-12-03T16:40:00Z","nbf":"2026-12-03T16:40:00Z","#,
        r#""exp":"2026-12-03T17:10:00Z","auth":"2026-12-03T16:39:20.123Z","#,
        r#""name":"x","visits":3}"#,
    );

    #[test]
    fn accepts_a_payload_written_by_another_implementation() {
        assert!(decode_payload(VALID, NOW).is_ok());
        let reordered = concat!(
            r#"{"visits":3,"name":"x","auth":"2026-12-03T17:39:20.123+01:00","#,
            r#""exp":"2026-12-03T17:10:00.000Z","nbf":"2026-12-03T16:40:00Z","#,
            r#""iat":"2026-12-03T16:40:00Z","jti":"000102030405060708090a0b0c0d0e0f.5","extra":[1]}"#,
        );
        assert!(decode_payload(reordered, NOW).is_ok());
    }

    #[test]
    fn refuses_claims_out_of_shape() {
        let cases = [
            VALID.replace(
                r#""visits":3"#,
                r#""visits":3,"iat":"2026-12-03T16:40:00Z""#,
            ),
            VALID.replace(r#""jti":"000102030405060708090a0b0c0d0e0f.5","#, ""),
            VALID.replace(r#""exp":"2026-12-03T17:10:00Z""#, r#""exp":1796317800"#),
            VALID.replace(r#"0e0f.5"#, r#"0e0f.05"#),
            VALID.replace(r#"0e0f.5"#, r#"0E0F.5"#),
            VALID.replace(r#""name":"x","#, ""),
            VALID.replace(r#""visits":3"#, r#""visits":-3"#),
            format!("{VALID}x"),
            "[]".to_owned(),
            format!("{{\"deep\":{}", "[".repeat(2_000)),
        ];
        for payload in cases {
            assert!(
                matches!(decode_payload(&payload, NOW), Err(Invalid::Claims(_))),
                "{payload}"
            );
        }
    }

    #[test]
    fn refuses_tokens_out_of_time() {
        let expired = NOW.plus(Duration::from_secs(1800 + 31));
        assert_eq!(decode_payload(VALID, expired).err(), Some(Invalid::Expired));

        let before_issue = NOW.minus(Duration::from_secs(31));
        assert_eq!(
            decode_payload(VALID, before_issue).err(),
            Some(Invalid::NotYetValid)
        );
        let backdated_nbf = VALID.replace(
            r#""nbf":"2026-12-03T16:40:00Z""#,
            r#""nbf":"2026-12-03T16:00:00Z""#,
        );
        assert_eq!(
            decode_payload(&backdated_nbf, before_issue).err(),
            Some(Invalid::IssuedInFuture)
        );

        let long_lived = VALID.replace("2026-12-03T17:10:00Z", "2027-12-03T17:10:00Z");
        assert_eq!(
            decode_payload(&long_lived, NOW).err(),
            Some(Invalid::LifetimeTooLong)
        );

        let old_login = VALID.replace("2026-12-03T16:39:20.123Z", "2026-12-02T16:00:00Z");
        assert_eq!(
            decode_payload(&old_login, NOW).err(),
            Some(Invalid::AbsoluteTimeout)
        );
    }

    #[test]
    fn refuses_issuer_mismatch_both_ways() {
        let keyring = Keyring::new(Key::generate().unwrap());
        let token = encode(&keyring, &rules(Some("a")), &visitor(), &state()).unwrap();
        let decoded = decode::<Visitor2>(&keyring, &rules(Some("b")), &token, NOW);
        assert_eq!(decoded.err(), Some(Invalid::WrongIssuer));
        let decoded = decode::<Visitor2>(&keyring, &rules(None), &token, NOW);
        assert_eq!(decoded.err(), Some(Invalid::WrongIssuer));
    }

    #[test]
    fn refuses_another_context_and_unknown_keys() {
        let keyring = Keyring::new(Key::generate().unwrap());
        let other_purpose = encrypt_raw(keyring.current(), VALID.as_bytes(), b"password-reset");
        let decoded = decode::<Visitor2>(&keyring, &rules(None), &other_purpose, NOW);
        assert_eq!(decoded.err(), Some(Invalid::Tampered));

        let stranger = Key::generate().unwrap();
        let foreign = encrypt_raw(&stranger, VALID.as_bytes(), b"paseto-session");
        let decoded = decode::<Visitor2>(&keyring, &rules(None), &foreign, NOW);
        assert_eq!(decoded.err(), Some(Invalid::UnknownKey));
    }
}
