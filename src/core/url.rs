//! Percent-encoding, the validated [`BaseUrl`], and the URL builders of the contract.

use super::error::CoreError;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// What JavaScript's `encodeURIComponent` escapes: everything but `A-Z a-z 0-9 - _ . ! ~ * ' ( )`.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'!')
    .remove(b'~')
    .remove(b'*')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')');

/// Exactly JavaScript's `encodeURIComponent`: keeps `A-Z a-z 0-9 - _ . ! ~ * ' ( )` and
/// writes every other UTF-8 byte as `%XX` (upper-case hex).
pub fn encode_component(s: &str) -> String {
    utf8_percent_encode(s, COMPONENT).collect()
}

/// `application/x-www-form-urlencoded`, like the WHATWG `URLSearchParams` serializer:
/// `k=v` pairs joined by `&`, space → `+`, `*-._` and alphanumerics kept, the rest `%XX`.
pub fn encode_form(pairs: &[(&str, &str)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

fn is_loopback(host: &str) -> bool {
    if host == "localhost" || host == "[::1]" {
        return true;
    }
    let mut parts = 0;
    for (i, p) in host.split('.').enumerate() {
        let ok = !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit());
        if !ok || p.parse::<u16>().map_or(true, |n| n > 255) || (i == 0 && p != "127") {
            return false;
        }
        parts += 1;
    }
    parts == 4
}

fn valid_host(host: &str) -> bool {
    if let Some(inner) = host.strip_prefix('[') {
        return match inner.strip_suffix(']') {
            Some(v6) => {
                v6.contains(':')
                    && v6
                        .bytes()
                        .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
            }
            None => false,
        };
    }
    !host.is_empty()
        && host.len() <= 253
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

/// Splits `scheme://authority…` into a lower-cased `scheme://host[:port]` origin (default port
/// removed) and the rest (starting at `/`, `?` or `#`, or empty). Rejects userinfo.
fn split_origin(s: &str) -> Result<(String, &str), &'static str> {
    const SCHEME: &str = "URL must use https (http only for localhost)";
    // The first ':' must open "://" (a char search: a `&str` pattern would pull in the
    // two-way substring searcher). An http(s) scheme holds no ':', so this is the same split.
    let (scheme, rest) = match s.split_once(':') {
        Some((scheme, rest)) => (scheme, rest.strip_prefix("//").ok_or(SCHEME)?),
        None => return Err(SCHEME),
    };
    let https = scheme.eq_ignore_ascii_case("https");
    if !https && !scheme.eq_ignore_ascii_case("http") {
        return Err(SCHEME);
    }
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = rest.get(..end).unwrap_or("");
    let tail = rest.get(end..).unwrap_or("");
    if authority.contains('@') {
        return Err("URL must not contain credentials");
    }
    // The port is what follows the last ':' after an IPv6 literal's ']'.
    let colon = match authority.rfind(':') {
        Some(i) if !authority.get(i..).unwrap_or("").contains(']') => Some(i),
        _ => None,
    };
    let (host, port) = match colon {
        Some(i) => (
            authority.get(..i).unwrap_or(""),
            Some(authority.get(i + 1..).unwrap_or("")),
        ),
        None => (authority, None),
    };
    let host = host.to_ascii_lowercase();
    if !valid_host(&host) {
        return Err("URL has an invalid host");
    }
    if !https && !is_loopback(&host) {
        return Err(SCHEME);
    }
    let mut origin = String::from(if https { "https://" } else { "http://" });
    origin.push_str(&host);
    if let Some(p) = port {
        let n = if !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()) {
            p.parse::<u32>().ok().filter(|n| *n <= 65535)
        } else {
            None
        };
        let n = n.ok_or("URL has an invalid port")?;
        if n != if https { 443 } else { 80 } {
            origin.push(':');
            origin.push_str(itoa::Buffer::new().format(n));
        }
    }
    Ok((origin, tail))
}

/// A validated base URL: `https://host[:port][/path]` (`http` only for `localhost`,
/// `127.0.0.0/8` and `[::1]`), without query, fragment or credentials, and without a trailing
/// `/`. Scheme and host are lower-cased and a default port is removed.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct BaseUrl {
    url: String,
    origin_len: usize,
}

impl BaseUrl {
    /// Validates and normalises `s` (surrounding whitespace is ignored).
    pub fn parse(s: &str) -> Result<BaseUrl, CoreError> {
        let s = s.trim();
        if s.bytes()
            .any(|b| b <= b' ' || b == 0x7f || b == b'\\' || b >= 0x80)
        {
            return Err(CoreError::InvalidConfig(
                "URL must not contain spaces, control characters, backslashes or non-ASCII characters",
            ));
        }
        let (mut url, path) = split_origin(s).map_err(CoreError::InvalidConfig)?;
        if path.contains(['?', '#']) {
            return Err(CoreError::InvalidConfig(
                "URL must not contain a query or fragment",
            ));
        }
        let origin_len = url.len();
        url.push_str(path.trim_end_matches('/'));
        Ok(BaseUrl { url, origin_len })
    }

    /// The normalised URL, e.g. `https://acme.spaces.nexudus.com`.
    pub fn as_str(&self) -> &str {
        &self.url
    }

    /// `scheme://host[:port]`.
    pub fn origin(&self) -> &str {
        self.url.get(..self.origin_len).unwrap_or(&self.url)
    }

    /// The base followed by `path` (a `/` is inserted when `path` does not start with one).
    pub fn join(&self, path: &str) -> String {
        let mut s = String::with_capacity(self.url.len() + path.len() + 1);
        s.push_str(&self.url);
        if !path.starts_with('/') {
            s.push('/');
        }
        s.push_str(path);
        s
    }
}

/// `endpoints.system.auth.login(token, validForInMinutes)`:
/// `/api/sys/users/exchange?token=<encodeURIComponent(token)>&validForInMinutes=<n>`.
pub fn exchange_path(token: &str, valid_for_minutes: u32) -> String {
    let mut s = String::from("/api/sys/users/exchange?token=");
    s.push_str(&encode_component(token));
    s.push_str("&validForInMinutes=");
    s.push_str(itoa::Buffer::new().format(valid_for_minutes));
    s
}

/// `endpoints.system.auth.refreshToken()`: the path of the one-time server token.
pub const ONE_TIME_TOKEN_PATH: &str = "/api/sys/users/token/refresh";

/// `{portal}/user/login?server=true&t={t}&redirectUrl={redirect_url}` (both encoded with
/// `encodeURIComponent`; trailing `/` of `portal` trimmed).
pub fn authenticated_link_url(portal: &str, t: &str, redirect_url: &str) -> String {
    let mut s = String::from(portal.trim_end_matches('/'));
    s.push_str("/user/login?server=true&t=");
    s.push_str(&encode_component(t));
    s.push_str("&redirectUrl=");
    s.push_str(&encode_component(redirect_url));
    s
}

/// `{portal}/login?t={t}[&redirectUrl={redirect_url}]` (trailing `/` of `portal` trimmed).
pub fn portal_login_url(portal: &str, t: &str, redirect_url: Option<&str>) -> String {
    let mut s = String::from(portal.trim_end_matches('/'));
    s.push_str("/login?t=");
    s.push_str(&encode_component(t));
    if let Some(r) = redirect_url {
        s.push_str("&redirectUrl=");
        s.push_str(&encode_component(r));
    }
    s
}

/// Normalises an origin given by a user (`https://Example.com:443/` → `https://example.com`);
/// `None` when it is not an http(s) origin without path.
pub fn normalize_origin(s: &str) -> Option<String> {
    let base = BaseUrl::parse(s).ok()?;
    if base.as_str().len() == base.origin_len {
        Some(base.url)
    } else {
        None
    }
}

/// Checks a `redirectUrl` for `authenticatedLink`/`portalLoginUrl` (no open redirect).
///
/// Accepted: a relative path starting with a single `/` (not `//` or `/\`), or an absolute
/// http(s) URL whose origin (lower-cased scheme and host, default port removed) is the
/// portal's origin or one of `allowed_origins`. Backslashes, control characters and userinfo
/// are always refused; everything else (`javascript:`, `data:`, other origins) too.
pub fn check_redirect(
    portal: &BaseUrl,
    allowed_origins: &[String],
    redirect_url: &str,
) -> Result<(), CoreError> {
    const ERR: CoreError = CoreError::InvalidConfig("redirectUrl must stay on the portal's origin");
    if redirect_url
        .bytes()
        .any(|b| b < b' ' || b == 0x7f || b == b'\\')
    {
        return Err(ERR);
    }
    if let Some(rest) = redirect_url.strip_prefix('/') {
        return if rest.starts_with('/') {
            Err(ERR)
        } else {
            Ok(())
        };
    }
    let (origin, _) = split_origin(redirect_url).map_err(|_| ERR)?;
    let allowed = origin == portal.origin()
        || allowed_origins
            .iter()
            .any(|a| normalize_origin(a).is_some_and(|n| n == origin));
    if allowed {
        Ok(())
    } else {
        Err(ERR)
    }
}

/// The absolute URL of `path` on the API: a path starting with a single `/` is joined to `base`;
/// an absolute URL must be on `base`'s origin (the same rule as `auth.fetch`, so a token meant for
/// the API never goes elsewhere).
pub fn api_url(base: &BaseUrl, path: &str) -> Result<String, CoreError> {
    const ERR: CoreError =
        CoreError::InvalidConfig("the path must be on baseUrl's origin (e.g. /api/...)");
    if path.bytes().any(|b| b < b' ' || b == 0x7f || b == b'\\') {
        return Err(ERR);
    }
    if let Some(rest) = path.strip_prefix('/') {
        return if rest.starts_with('/') {
            Err(ERR)
        } else {
            Ok(base.join(path))
        };
    }
    match split_origin(path) {
        Ok((origin, _)) if origin == base.origin() => Ok(String::from(path)),
        _ => Err(ERR),
    }
}

/// `url` with `name=<encodeURIComponent(value)>` appended (`?` or `&`, before any `#fragment`).
pub fn with_query(url: &str, name: &str, value: &str) -> String {
    let (head, fragment) = url.split_at(url.find('#').unwrap_or(url.len()));
    let mut s = String::from(head);
    s.push(if head.contains('?') { '&' } else { '?' });
    s.push_str(name);
    s.push('=');
    s.push_str(&encode_component(value));
    s.push_str(fragment);
    s
}
