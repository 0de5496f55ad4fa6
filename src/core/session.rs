//! The session and its stored, versioned format.
//!
//! Stored JSON (key = `storageKey`):
//! `{"v":1,"accessToken":"…","tokenType":"bearer","expiresAt":<ms>,"refreshToken":"…"|null,
//! "clientId":"…","email":"…"|null}`. An unknown `v` or anything corrupt is refused
//! (`BadResponse` with status 0), so the caller discards it and signs out.

use super::error::CoreError;
use super::json::{self, ObjectWriter, Value};
use super::responses::{RebillyGrant, TokenGrant};
use super::secret::{AccessToken, RefreshToken};

/// The version written by [`Session::encode`] and [`RebillySession::encode`].
pub const SESSION_VERSION: f64 = 1.0;

/// The `client_id` the real portal sends: `nexudus.portal.<email>`.
pub fn default_client_id(email: &str) -> String {
    let mut s = String::from("nexudus.portal.");
    s.push_str(email);
    s
}

/// A signed-in session. `Debug` never shows the tokens.
#[derive(Clone, Debug)]
pub struct Session {
    /// The bearer access token.
    pub access_token: AccessToken,
    /// `token_type`, normally `"bearer"`.
    pub token_type: String,
    /// When the access token expires, in ms since the epoch, by the LOCAL clock.
    pub expires_at_ms: f64,
    /// The refresh token (rotated on every refresh).
    pub refresh_token: Option<RefreshToken>,
    /// The `client_id` the refresh token is bound to.
    pub client_id: String,
    /// The email used to sign in, when known.
    pub email: Option<String>,
}

fn corrupt(reason: &'static str) -> CoreError {
    CoreError::BadResponse { status: 0, reason }
}

/// Parses a stored object and checks its version.
fn stored(s: &str) -> Result<Value, CoreError> {
    let v = json::parse(s).ok_or(corrupt("stored session is not JSON"))?;
    v.as_object()
        .ok_or(corrupt("stored session is not an object"))?;
    if v.get("v").and_then(Value::as_f64) != Some(SESSION_VERSION) {
        return Err(corrupt("stored session has an unknown version"));
    }
    Ok(v)
}

fn req_str<'a>(v: &'a Value, k: &str) -> Result<&'a str, CoreError> {
    v.get(k)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .ok_or(corrupt("stored session misses a field"))
}

fn opt_str<'a>(v: &'a Value, k: &str) -> Result<Option<&'a str>, CoreError> {
    match v.get(k) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Str(s)) => Ok(Some(s)),
        Some(_) => Err(corrupt("stored session has a field of the wrong type")),
    }
}

fn req_time(v: &Value, k: &str) -> Result<f64, CoreError> {
    v.get(k)
        .and_then(Value::as_f64)
        .filter(|n| n.is_finite())
        .ok_or(corrupt("stored session has no valid expiresAt"))
}

fn opt_member(w: &mut ObjectWriter, k: &str, v: Option<&str>) {
    match v {
        Some(s) => w.str(k, s),
        None => w.null(k),
    };
}

impl Session {
    /// Builds a session from a token answer received at `now_ms`.
    ///
    /// `expires_at_ms = now_ms + expires_in * 1000`: the expiry is computed with the LOCAL
    /// clock at receipt from the relative `expires_in`, so a skew between the server's and
    /// the browser's clocks does not matter (a JWT `exp` would be off by the skew). It is rounded
    /// down to a whole millisecond so the stored JSON round-trips exactly (tabs compare expiries).
    pub fn from_grant(
        grant: TokenGrant,
        now_ms: f64,
        client_id: String,
        email: Option<String>,
    ) -> Session {
        Session {
            access_token: grant.access_token,
            token_type: grant.token_type,
            expires_at_ms: (now_ms + grant.expires_in_s * 1000.0).floor(),
            refresh_token: grant.refresh_token,
            client_id,
            email,
        }
    }

    /// The stored JSON (version 1).
    pub fn encode(&self) -> String {
        let mut w = ObjectWriter::new();
        w.num("v", SESSION_VERSION)
            .str("accessToken", self.access_token.secret())
            .str("tokenType", &self.token_type)
            .num("expiresAt", self.expires_at_ms);
        opt_member(
            &mut w,
            "refreshToken",
            self.refresh_token.as_ref().map(RefreshToken::secret),
        );
        w.str("clientId", &self.client_id);
        opt_member(&mut w, "email", self.email.as_deref());
        w.finish()
    }

    /// Reads the stored JSON; `BadResponse` (status 0) when corrupt, of an unknown version,
    /// missing a field or with a non-finite `expiresAt`. Never panics.
    pub fn decode(s: &str) -> Result<Session, CoreError> {
        let v = stored(s)?;
        let token_type = opt_str(&v, "tokenType")?
            .filter(|t| !t.is_empty())
            .unwrap_or("bearer");
        Ok(Session {
            access_token: AccessToken::new(req_str(&v, "accessToken")?),
            token_type: String::from(token_type),
            expires_at_ms: req_time(&v, "expiresAt")?,
            refresh_token: opt_str(&v, "refreshToken")?
                .filter(|r| !r.is_empty())
                .map(RefreshToken::new),
            client_id: String::from(req_str(&v, "clientId")?),
            email: opt_str(&v, "email")?.map(String::from),
        })
    }

    /// `true` once the access token has expired (`now_ms >= expires_at_ms`).
    pub fn is_expired(&self, now_ms: f64) -> bool {
        now_ms >= self.expires_at_ms
    }

    /// `true` when the access token expires within `leeway_ms`.
    pub fn needs_refresh(&self, now_ms: f64, leeway_ms: f64) -> bool {
        now_ms >= self.expires_at_ms - leeway_ms
    }
}

/// A Rebilly customer session. `Debug` never shows the token.
#[derive(Clone, Debug)]
pub struct RebillySession {
    /// The customer JWT.
    pub token: AccessToken,
    /// `expiredTime`, in ms since the epoch.
    pub expires_at_ms: f64,
    /// `customerId`.
    pub customer_id: String,
}

impl RebillySession {
    /// The session of a successful exchange.
    pub fn from_grant(grant: RebillyGrant) -> RebillySession {
        RebillySession {
            token: grant.token,
            // Whole milliseconds, so the stored copy reads back exactly (as for `Session`).
            expires_at_ms: grant.expires_at_ms.floor(),
            customer_id: grant.customer_id,
        }
    }

    /// `{"v":1,"token":"…","expiresAt":<ms>,"customerId":"…"}`.
    pub fn encode(&self) -> String {
        let mut w = ObjectWriter::new();
        w.num("v", SESSION_VERSION)
            .str("token", self.token.secret())
            .num("expiresAt", self.expires_at_ms)
            .str("customerId", &self.customer_id);
        w.finish()
    }

    /// Reads the stored JSON; `BadResponse` (status 0) on anything wrong. Never panics.
    pub fn decode(s: &str) -> Result<RebillySession, CoreError> {
        let v = stored(s)?;
        Ok(RebillySession {
            token: AccessToken::new(req_str(&v, "token")?),
            expires_at_ms: req_time(&v, "expiresAt")?,
            customer_id: String::from(req_str(&v, "customerId")?),
        })
    }

    /// `true` once the token has expired.
    pub fn is_expired(&self, now_ms: f64) -> bool {
        now_ms >= self.expires_at_ms
    }
}
