//! Reading the claims of a JWT (the payload only).
//!
//! **No signature check**: the claims are read for display and scheduling hints (`sub`,
//! `email`, `exp`), never to make a security decision. The server checks the token on every
//! call; the client trusts `expires_in`, not `exp`. The browser layer decodes the segment that
//! [`payload_base64`] returns with the engine's own `atob` and `JSON.parse` (no base64 or JSON
//! code ships in the wasm; docs/ARCHITECTURE.md, "Dependencies"), and [`Claims::from_value`]
//! reads the result.

use super::value::Value;

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

/// The payload of a compact JWS (`header.payload.signature`) in the standard base64 alphabet
/// with padding, ready for `atob`; `None` when the token is too long, not three segments, or the
/// payload has a character outside base64url. The signature is not checked.
pub fn payload_base64(jwt: &str) -> Option<String> {
    if jwt.len() > MAX_JWT_BYTES {
        return None;
    }
    let mut parts = jwt.trim().split('.');
    let (_header, payload, _sig) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let mut out = String::with_capacity(payload.len() + 3);
    for c in payload.trim_end_matches('=').chars() {
        out.push(match c {
            '-' => '+',
            '_' => '/',
            c if c.is_ascii_alphanumeric() || c == '+' || c == '/' => c,
            _ => return None,
        });
    }
    while out.len() % 4 != 0 {
        out.push('=');
    }
    Some(out)
}
