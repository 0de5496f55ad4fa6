//! The mock's JSON Web Tokens, signed and checked with the `jsonwebtoken` crate (HS256).
//!
//! Every token the mock hands out is a real JWT, so a client that treats them as anything but
//! opaque bearer strings (or mangles them in transit, e.g. by not URL-encoding them) is caught.
//! What each kind carries is in [`Claims`]; `typ` tells the kinds apart.

use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `typ` of an access token (`/api/token`, the exchange).
pub const TYP_ACCESS: &str = "access";
/// `typ` of a one-time JWT (magic link, password reset, impersonation), exchanged once.
pub const TYP_ONE_TIME: &str = "one-time";
/// `typ` of a media token (`GET /api/auth/media/customer`), carried as `?t=` on file URLs.
pub const TYP_MEDIA: &str = "media";
/// `typ` of a Rebilly customer JWT.
pub const TYP_REBILLY: &str = "rebilly-customer";

/// The claims of every token the mock signs. Optional ones are left out of the JSON when unset.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Claims {
    /// Subject: the customer's email (Rebilly: the customer id).
    pub sub: String,
    /// The customer's email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The customer's full name (access tokens).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Issued at (Unix seconds).
    pub iat: u64,
    /// Expires at (Unix seconds): the token is dead from this second on.
    pub exp: u64,
    /// Unique id: single use of one-time JWTs, revocation of access tokens.
    pub jti: String,
    /// Which kind of token this is (`TYP_*`).
    pub typ: String,
    /// Audience: the space a one-time JWT is for (a string or a list).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aud: Option<Value>,
    /// Rebilly organization (Rebilly tokens).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org: Option<String>,
    /// The team admin acting for the subject (RFC 8693 `act`; impersonation one-time JWTs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub act: Option<Actor>,
}

/// RFC 8693 actor claim: who is acting on behalf of the subject.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// The actor's email.
    pub sub: String,
}

impl Claims {
    /// Claims of kind `typ` for `sub`, issued at `now` and living `ttl` seconds, with a fresh `jti`.
    pub fn new(typ: &str, sub: &str, now: f64, ttl: u64) -> Self {
        Self {
            sub: sub.to_owned(),
            iat: now.floor() as u64,
            exp: (now + ttl as f64).ceil() as u64,
            jti: crate::state::random_token(16),
            typ: typ.to_owned(),
            ..Self::default()
        }
    }
}

/// Why a token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JwtError {
    /// Not a compact JWS, not HS256, not JSON, or a claim missing or of the wrong type.
    Malformed,
    /// Well-formed, but the signature does not match this process's key.
    BadSignature,
    /// Signed by us, but `exp` has passed.
    Expired,
    /// Signed by us, but for another audience (or none where one is required).
    WrongAudience,
}

/// Signs `claims` with HS256 and returns the compact serialization.
pub fn sign(secret: &[u8], claims: &Claims) -> String {
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(secret),
    )
    .expect("HS256 signing of serializable claims cannot fail")
}

/// Checks the HS256 signature and `exp` (no leeway: dead from the `exp` second on), and `aud`
/// when `audience` is given (then `aud` is required). `typ` is left to the caller.
pub fn verify(secret: &[u8], token: &str, audience: Option<&str>) -> Result<Claims, JwtError> {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.leeway = 0;
    // jsonwebtoken accepts a token while `exp >= now`; the mock's tokens die at `now >= exp`.
    validation.reject_tokens_expiring_in_less_than = 1;
    match audience {
        Some(aud) => {
            validation.set_audience(&[aud]);
            validation.required_spec_claims.insert("aud".to_owned());
        }
        None => validation.validate_aud = false,
    }
    jsonwebtoken::decode::<Claims>(token, &DecodingKey::from_secret(secret), &validation)
        .map(|data| data.claims)
        .map_err(|e| match e.kind() {
            ErrorKind::InvalidSignature => JwtError::BadSignature,
            ErrorKind::ExpiredSignature => JwtError::Expired,
            ErrorKind::InvalidAudience => JwtError::WrongAudience,
            ErrorKind::MissingRequiredClaim(c) if c == "aud" => JwtError::WrongAudience,
            _ => JwtError::Malformed,
        })
}

/// Verifies a token of kind `typ` (signature, unexpired, `typ`) and returns its claims.
pub fn verify_typed(secret: &[u8], token: &str, typ: &str) -> Option<Claims> {
    verify(secret, token, None).ok().filter(|c| c.typ == typ)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(typ: &str, ttl: u64) -> Claims {
        Claims {
            email: Some("a@b.c".into()),
            ..Claims::new(typ, "a@b.c", crate::clock::now(), ttl)
        }
    }

    #[test]
    fn round_trip_and_refusals() {
        let c = claims(TYP_ACCESS, 60);
        let t = sign(b"k", &c);
        assert_eq!(verify(b"k", &t, None), Ok(c.clone()));
        assert_eq!(verify_typed(b"k", &t, TYP_ACCESS), Some(c));
        assert_eq!(verify_typed(b"k", &t, TYP_MEDIA), None);
        assert_eq!(verify(b"other", &t, None), Err(JwtError::BadSignature));
        assert_eq!(verify(b"k", "a.b", None), Err(JwtError::Malformed));
        assert_eq!(
            verify(b"k", &t, Some("space")),
            Err(JwtError::WrongAudience)
        );
        let mut tampered = t.clone();
        tampered.insert(t.find('.').unwrap() + 2, 'x');
        assert!(verify(b"k", &tampered, None).is_err());
    }

    #[test]
    fn expiry_and_audience() {
        let mut c = claims(TYP_ONE_TIME, 60);
        c.aud = Some(Value::from("space"));
        assert!(verify(b"k", &sign(b"k", &c), Some("space")).is_ok());
        c.aud = Some(serde_json::json!(["x", "space"]));
        assert!(verify(b"k", &sign(b"k", &c), Some("space")).is_ok());
        c.aud = Some(Value::from("elsewhere"));
        let other = sign(b"k", &c);
        assert_eq!(
            verify(b"k", &other, Some("space")),
            Err(JwtError::WrongAudience)
        );
        let now = crate::clock::now() as u64;
        c.exp = now; // dead from its `exp` second on
        c.aud = Some(Value::from("space"));
        let dead = sign(b"k", &c);
        assert_eq!(verify(b"k", &dead, Some("space")), Err(JwtError::Expired));
        c.exp = now + 2;
        assert!(verify(b"k", &sign(b"k", &c), Some("space")).is_ok());
    }
}
