//! Reading the claims of a JWT (the payload only).
//!
//! **No signature check**: the claims are read for display and scheduling hints (`sub`,
//! `email`, `exp`), never to make a security decision. The server checks the token on every
//! call; the client trusts `expires_in`, not `exp`. The browser layer parses the payload text
//! that [`payload`] returns with `JSON.parse`, and [`Claims::from_value`] reads it.

use super::value::Value;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

/// Tokens longer than this are not decoded.
pub const MAX_JWT_BYTES: usize = 16 * 1024;

/// The claims the client reads from a token.
#[derive(Clone, PartialEq, Debug, Default)]
pub struct Claims {
    /// `sub`
    pub sub: Option<String>,
    /// `email`
    pub email: Option<String>,
    /// `exp`, in seconds since the epoch.
    pub exp_s: Option<f64>,
}

impl Claims {
    /// The claims of a payload object; `None` when it is not an object.
    pub fn from_value(v: &Value) -> Option<Claims> {
        v.as_object()?;
        let text = |k: &str| v.get(k).and_then(Value::as_str).map(String::from);
        Some(Claims {
            sub: text("sub"),
            email: text("email"),
            exp_s: v.get("exp").and_then(Value::as_f64),
        })
    }

    /// Who the token is for: `email`, else `sub`.
    pub fn subject(self) -> Option<String> {
        self.email.or(self.sub)
    }
}

/// The payload text of a compact JWS (`header.payload.signature`, base64url without padding,
/// trailing `=` tolerated), without checking the signature; `None` when it is not three
/// segments, too long, or not base64url of UTF-8.
pub fn payload(jwt: &str) -> Option<String> {
    if jwt.len() > MAX_JWT_BYTES {
        return None;
    }
    let mut parts = jwt.trim().split('.');
    let (_header, payload, _sig) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let bytes = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    String::from_utf8(bytes).ok()
}
