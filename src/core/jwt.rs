//! Reading the claims of a JWT (the payload only).
//!
//! **No signature check**: the claims are read for display and scheduling hints (`sub`,
//! `email`, `exp`), never to make a security decision. The server checks the token on every
//! call; the client trusts `expires_in`, not `exp`.

use super::json::{self, Value};

/// Tokens longer than this are not decoded.
pub const MAX_JWT_BYTES: usize = 16 * 1024;

/// The claims the client reads from an access token.
#[derive(Clone, PartialEq, Debug, Default)]
pub struct Claims {
    /// `sub`
    pub sub: Option<String>,
    /// `email`
    pub email: Option<String>,
    /// `exp`, in seconds since the epoch.
    pub exp_s: Option<f64>,
}

fn sextet(c: u8) -> Option<u32> {
    let v = match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'-' | b'+' => 62,
        b'_' | b'/' => 63,
        _ => return None,
    };
    Some(u32::from(v))
}

/// Decodes base64url (also accepts the standard alphabet and trailing `=` padding).
pub fn base64url_decode(s: &str) -> Option<Vec<u8>> {
    let s = s.trim_end_matches('=').as_bytes();
    if s.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(s.len() / 4 * 3 + 2);
    for chunk in s.chunks(4) {
        let mut acc = 0u32;
        for &c in chunk {
            acc = (acc << 6) | sextet(c)?;
        }
        // Left-align the bits of a short chunk in 24 bits, then emit the whole bytes.
        acc <<= 6 * (4 - chunk.len() as u32);
        let bytes = [(acc >> 16) as u8, (acc >> 8) as u8, acc as u8];
        out.extend_from_slice(bytes.get(..chunk.len() - 1)?);
    }
    Some(out)
}

/// Decodes the payload of a compact JWS (`header.payload.signature`) without checking the
/// signature; `None` when it is not three segments, too long, or not a JSON object.
pub fn decode_claims(jwt: &str) -> Option<Claims> {
    if jwt.len() > MAX_JWT_BYTES {
        return None;
    }
    let mut parts = jwt.trim().split('.');
    let (_header, payload, _sig) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let bytes = base64url_decode(payload)?;
    let v = json::parse(std::str::from_utf8(&bytes).ok()?)?;
    v.as_object()?;
    let text = |k: &str| v.get(k).and_then(Value::as_str).map(String::from);
    Some(Claims {
        sub: text("sub"),
        email: text("email"),
        exp_s: v.get("exp").and_then(Value::as_f64),
    })
}
