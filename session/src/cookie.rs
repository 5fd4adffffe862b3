//! Reading our cookie out of `Cookie` headers, and writing `Set-Cookie`.

use std::fmt::Write as _;
use std::time::Duration;

use http::HeaderMap;
use http::header::COOKIE;
use memchr::memmem;

/// The `SameSite` attribute of the session cookie.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum SameSite {
    /// Sent on top-level navigations from other sites, not on their subrequests or posts.
    #[default]
    Lax,
    /// Never sent on requests that another site starts.
    Strict,
    /// Always sent; browsers then require `Secure`.
    None,
}

impl SameSite {
    fn as_str(self) -> &'static str {
        match self {
            Self::Lax => "Lax",
            Self::Strict => "Strict",
            Self::None => "None",
        }
    }
}

/// What a request's `Cookie` headers hold under our cookie name.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Found<'a> {
    Absent,
    One(&'a str),
    /// The name appears more than once (or its value is not text): the request has no
    /// session, since we cannot tell which copy the browser meant.
    Ambiguous,
}

/// Finds the cookie `name` in every `Cookie` header of the request. Names are compared
/// exactly, as browsers send them.
pub(crate) fn find<'a>(headers: &'a HeaderMap, name: &str) -> Found<'a> {
    let mut found = Found::Absent;
    for header in headers.get_all(COOKIE) {
        let bytes = header.as_bytes();
        // Searching for the name is much cheaper than splitting a long header into all
        // of its pairs; a match counts only where a pair starts.
        for start in memmem::find_iter(bytes, name.as_bytes()) {
            let after_name = start + name.len();
            if bytes.get(after_name) != Some(&b'=') || !starts_pair(&bytes[..start]) {
                continue;
            }
            if found != Found::Absent {
                return Found::Ambiguous;
            }

            let rest = &bytes[after_name + 1..];
            let value = &rest[..memchr::memchr(b';', rest).unwrap_or(rest.len())];
            found = match std::str::from_utf8(value.trim_ascii_end()) {
                Ok(value) => Found::One(value),
                Err(_) => Found::Ambiguous,
            };
        }
    }
    found
}

/// Whether a cookie pair can start right after `before`: at the start of the header, or
/// after a `;` and optional white space.
fn starts_pair(before: &[u8]) -> bool {
    let before = before.trim_ascii_end();
    before.is_empty() || before.ends_with(b";")
}

/// The attributes of the session cookie, fixed at start-up.
#[derive(Debug, Clone)]
pub(crate) struct CookieAttributes {
    pub(crate) name: String,
    /// `; Path=/; HttpOnly; …` written once.
    suffix: String,
    max_age: Option<u64>,
}

impl CookieAttributes {
    pub(crate) fn new(
        name: String,
        domain: Option<&str>,
        same_site: SameSite,
        secure: bool,
        max_age: Option<Duration>,
    ) -> Self {
        let mut suffix = String::from("; Path=/; HttpOnly");
        if secure {
            suffix.push_str("; Secure");
        }
        let _ = write!(suffix, "; SameSite={}", same_site.as_str());
        if let Some(domain) = domain {
            let _ = write!(suffix, "; Domain={domain}");
        }
        Self {
            name,
            suffix,
            max_age: max_age.map(|age| age.as_secs()),
        }
    }

    /// `Set-Cookie` text that stores `token`.
    pub(crate) fn set(&self, token: &str) -> String {
        let mut header =
            String::with_capacity(self.name.len() + token.len() + self.suffix.len() + 24);
        header.push_str(&self.name);
        header.push('=');
        header.push_str(token);
        header.push_str(&self.suffix);
        if let Some(max_age) = self.max_age {
            let _ = write!(header, "; Max-Age={max_age}");
        }
        header
    }

    /// `Set-Cookie` text that deletes the cookie.
    pub(crate) fn clear(&self) -> String {
        format!("{}={}; Max-Age=0", self.name, self.suffix)
    }
}

#[cfg(test)]
mod tests {
    use http::HeaderValue;

    use super::*;

    fn headers(values: &[&[u8]]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append(COOKIE, HeaderValue::from_bytes(value).unwrap());
        }
        headers
    }

    #[test]
    fn finds_the_cookie_among_others() {
        let headers = headers(&[b"a=1; session=v4.local.x; b=2"]);
        assert_eq!(find(&headers, "session"), Found::One("v4.local.x"));
        assert_eq!(find(&headers, "sess"), Found::Absent);
        assert_eq!(find(&headers, "Session"), Found::Absent);
    }

    #[test]
    fn a_name_given_twice_is_ambiguous_even_across_headers() {
        assert_eq!(
            find(&headers(&[b"session=a; session=b"]), "session"),
            Found::Ambiguous
        );
        assert_eq!(
            find(&headers(&[b"session=a", b"session=b"]), "session"),
            Found::Ambiguous
        );
    }

    #[test]
    fn the_name_counts_only_where_a_pair_starts() {
        let headers = headers(&[b"x=session=1; asession=2; session =3;session=4 ; b=session"]);
        assert_eq!(find(&headers, "session"), Found::One("4"));
        let headers = headers_of(b"  session=first");
        assert_eq!(find(&headers, "session"), Found::One("first"));
    }

    fn headers_of(value: &[u8]) -> HeaderMap {
        headers(&[value])
    }

    #[test]
    fn a_value_that_is_not_text_is_ambiguous() {
        assert_eq!(
            find(&headers(&[b"session=\xff\xfe"]), "session"),
            Found::Ambiguous
        );
    }

    #[test]
    fn writes_and_clears_with_the_same_attributes() {
        let attributes = CookieAttributes::new(
            "__Host-session".into(),
            None,
            SameSite::Lax,
            true,
            Some(Duration::from_secs(60)),
        );
        assert_eq!(
            attributes.set("t"),
            "__Host-session=t; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=60"
        );
        assert_eq!(
            attributes.clear(),
            "__Host-session=; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=0"
        );
    }
}
