//! Minimal HS256 JSON Web Tokens (RFC 7519): signing and signature checking.
//!
//! The mock signs real tokens so a client that treats them as anything but opaque bearer strings
//! (or that mangles them in transit, e.g. by not URL-encoding them) is caught.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use serde_json::{Map, Value};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// Why a token could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JwtError {
    /// Not three base64url parts, not JSON, or not HS256.
    Malformed,
    /// Well-formed, but the signature does not match this process's secret.
    BadSignature,
}

/// Signs `claims` with HS256 and returns the compact serialization.
pub fn sign(secret: &[u8], claims: &Value) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
    let signing_input = format!("{header}.{payload}");
    let mut mac = HmacSha256::new_from_slice(secret).expect("HMAC accepts any key length");
    mac.update(signing_input.as_bytes());
    let sig = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
    format!("{signing_input}.{sig}")
}

/// Checks the structure and the HS256 signature, and returns the claims.
///
/// Time-based claims (`exp`) and `aud`/`typ` are left to the caller, which knows which error
/// each failure should produce.
pub fn verify(secret: &[u8], token: &str) -> Result<Map<String, Value>, JwtError> {
    let mut parts = token.split('.');
    let (Some(h), Some(p), Some(s), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(JwtError::Malformed);
    };
    let header: Value = decode_json(h)?;
    if header.get("alg").and_then(Value::as_str) != Some("HS256") {
        return Err(JwtError::Malformed);
    }
    let claims = match decode_json(p)? {
        Value::Object(map) => map,
        _ => return Err(JwtError::Malformed),
    };
    let sig = URL_SAFE_NO_PAD.decode(s).map_err(|_| JwtError::Malformed)?;
    let mut mac = HmacSha256::new_from_slice(secret).expect("HMAC accepts any key length");
    mac.update(h.as_bytes());
    mac.update(b".");
    mac.update(p.as_bytes());
    mac.verify_slice(&sig).map_err(|_| JwtError::BadSignature)?;
    Ok(claims)
}

fn decode_json(part: &str) -> Result<Value, JwtError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| JwtError::Malformed)?;
    serde_json::from_slice(&bytes).map_err(|_| JwtError::Malformed)
}

/// Reads a numeric claim (`exp`, `iat`) as seconds.
pub fn num_claim(claims: &Map<String, Value>, name: &str) -> Option<f64> {
    claims.get(name).and_then(Value::as_f64)
}

/// Reads a string claim.
pub fn str_claim<'a>(claims: &'a Map<String, Value>, name: &str) -> Option<&'a str> {
    claims.get(name).and_then(Value::as_str)
}

/// Verifies an access token (signature, `typ:"access"`, not expired) and returns its email.
pub fn verify_access(secret: &[u8], token: &str, now: f64) -> Option<String> {
    let claims = verify(secret, token).ok()?;
    if str_claim(&claims, "typ") != Some("access") {
        return None;
    }
    let exp = num_claim(&claims, "exp")?;
    if now >= exp {
        return None;
    }
    str_claim(&claims, "email").map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn round_trip_and_tamper() {
        let t = sign(b"k", &json!({"email":"a@b.c","typ":"access","exp":9e9}));
        assert_eq!(
            str_claim(&verify(b"k", &t).unwrap(), "email"),
            Some("a@b.c")
        );
        assert_eq!(verify(b"other", &t), Err(JwtError::BadSignature));
        assert_eq!(verify(b"k", "a.b"), Err(JwtError::Malformed));
        assert_eq!(verify_access(b"k", &t, 1.0).as_deref(), Some("a@b.c"));
        assert_eq!(verify_access(b"k", &t, 9e9), None);
        let mut tampered = t.clone();
        tampered.insert(t.find('.').unwrap() + 2, 'x');
        assert!(verify(b"k", &tampered).is_err());
    }
}
