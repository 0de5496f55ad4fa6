//! The session and its stored, versioned format.
//!
//! Stored JSON (key = `storageKey`), written by the browser layer from [`Session::to_value`]:
//! `{"v":1,"accessToken":"…","tokenType":"bearer","expiresAt":<ms>,"receivedAt":<ms>,
//! "refreshToken":"…"|null,"clientId":"…","email":"…"|null,"impersonating":<id>|null}`. An
//! unknown `v` or anything corrupt is refused (`BadResponse` with status 0), so the caller
//! discards it and signs out. `receivedAt` (when the tokens arrived) lets every tab compute the
//! same refresh point; a session stored without it (or with a receipt after its expiry) reads as
//! received at the epoch: its lifetime is unknown, so the configured leeway applies uncapped.
//! The admin's own session, kept aside while impersonating, is stored in the same format under
//! `<storageKey>:admin`.

use super::error::CoreError;
use super::responses::{RebillyGrant, TokenGrant};
use super::secret::{AccessToken, RefreshToken};
use super::value::Value;

/// The version written by [`Session::to_value`] and [`RebillySession::to_value`].
pub const SESSION_VERSION: f64 = 1.0;

/// The `client_id` the real portal sends: `nexudus.portal.<email>`.
pub fn default_client_id(email: &str) -> String {
    let mut s = String::from("nexudus.portal.");
    s.push_str(email);
    s
}

/// When a token was received and when it expires (ms since the epoch, local clock). Stored with
/// the session, so every tab that reads it computes the same refresh point.
#[derive(Clone, Copy, PartialEq, Debug)]
pub struct Lifetime {
    /// When the token was received.
    pub received_at_ms: f64,
    /// When the token expires.
    pub expires_at_ms: f64,
}

impl Lifetime {
    /// `expires_at - received_at`, never negative.
    pub fn duration_ms(&self) -> f64 {
        (self.expires_at_ms - self.received_at_ms).max(0.0)
    }

    /// The refresh point: `expires_at - min(leeway, lifetime / 2)`. It depends only on what is
    /// stored, never on when a tab read it.
    pub fn refresh_at(&self, leeway_ms: f64) -> f64 {
        self.expires_at_ms - leeway_ms.min(self.duration_ms() / 2.0)
    }
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
    /// When the tokens were received, in ms since the epoch (local clock); with
    /// `expires_at_ms` it gives the lifetime that caps the refresh leeway.
    pub received_at_ms: f64,
    /// The refresh token (rotated on every refresh).
    pub refresh_token: Option<RefreshToken>,
    /// The `client_id` the refresh token is bound to.
    pub client_id: String,
    /// The email used to sign in, when known.
    pub email: Option<String>,
    /// The team member's coworker id while a team admin acts for them (`auth.impersonate`);
    /// the admin's own session is then kept aside under its own key.
    pub impersonating: Option<u64>,
}

fn corrupt(reason: &'static str) -> CoreError {
    CoreError::BadResponse { status: 0, reason }
}

/// Checks a stored object's version.
fn stored(v: &Value) -> Result<&Value, CoreError> {
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
    v.loose_str(k)
        .map_err(|_| corrupt("stored session has a field of the wrong type"))
}

/// A coworker id: a whole number from 1 to 2^53 - 1 (exact in a JS number).
pub fn coworker_id(n: f64) -> Option<u64> {
    (n.fract() == 0.0 && (1.0..=9_007_199_254_740_991.0).contains(&n)).then_some(n as u64)
}

fn time(v: &Value, k: &str) -> Option<f64> {
    v.get(k).and_then(Value::as_f64).filter(|n| n.is_finite())
}

fn req_time(v: &Value, k: &str) -> Result<f64, CoreError> {
    time(v, k).ok_or(corrupt("stored session has no valid expiresAt"))
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
            received_at_ms: now_ms.floor(),
            refresh_token: grant.refresh_token,
            client_id,
            email,
            impersonating: None,
        }
    }

    /// The session a refresh of this one gives: the new tokens received at `now_ms`, the same
    /// `client_id`, email and impersonation.
    pub fn rotated(&self, grant: TokenGrant, now_ms: f64) -> Session {
        let mut next =
            Session::from_grant(grant, now_ms, self.client_id.clone(), self.email.clone());
        next.impersonating = self.impersonating;
        next
    }

    /// The stored document (version 1).
    pub fn to_value(&self) -> Value {
        Value::object(vec![
            ("v", Value::Num(SESSION_VERSION)),
            ("accessToken", Value::Str(self.access_token.secret().into())),
            ("tokenType", Value::Str(self.token_type.clone())),
            ("expiresAt", Value::Num(self.expires_at_ms)),
            ("receivedAt", Value::Num(self.received_at_ms)),
            (
                "refreshToken",
                Value::opt_str(self.refresh_token.as_ref().map(RefreshToken::secret)),
            ),
            ("clientId", Value::Str(self.client_id.clone())),
            ("email", Value::opt_str(self.email.as_deref())),
            (
                "impersonating",
                self.impersonating
                    .map_or(Value::Null, |id| Value::Num(id as f64)),
            ),
        ])
    }

    /// Reads the stored document; `BadResponse` (status 0) when it is not an object, of an
    /// unknown version, missing a field or with a non-finite `expiresAt`. Never panics.
    pub fn from_value(v: &Value) -> Result<Session, CoreError> {
        let v = stored(v)?;
        let token_type = opt_str(v, "tokenType")?
            .filter(|t| !t.is_empty())
            .unwrap_or("bearer");
        let expires_at_ms = req_time(v, "expiresAt")?;
        Ok(Session {
            access_token: AccessToken::new(req_str(v, "accessToken")?),
            token_type: String::from(token_type),
            expires_at_ms,
            received_at_ms: time(v, "receivedAt")
                .filter(|r| *r <= expires_at_ms)
                .unwrap_or(expires_at_ms.min(0.0)),
            refresh_token: opt_str(v, "refreshToken")?
                .filter(|r| !r.is_empty())
                .map(RefreshToken::new),
            client_id: String::from(req_str(v, "clientId")?),
            email: opt_str(v, "email")?.map(String::from),
            impersonating: match v.get("impersonating") {
                None | Some(Value::Null) => None,
                Some(Value::Num(n)) if coworker_id(*n).is_some() => coworker_id(*n),
                Some(_) => return Err(corrupt("stored session has a field of the wrong type")),
            },
        })
    }

    /// Whether two sessions carry the same access token and expiry (no early-exit compare).
    pub fn same_as(&self, other: &Session) -> bool {
        self.access_token.same_as(&other.access_token) && self.expires_at_ms == other.expires_at_ms
    }

    /// Whether `other` is the same sign-in (same `client_id` and email): a rotation of it, not
    /// another customer's or another sign-in's session.
    pub fn same_sign_in(&self, other: &Session) -> bool {
        self.client_id == other.client_id && self.email == other.email
    }

    /// `true` once the access token has expired (`now_ms >= expires_at_ms`).
    pub fn is_expired(&self, now_ms: f64) -> bool {
        now_ms >= self.expires_at_ms
    }

    /// The expiry and receipt time that decide the refresh point.
    pub fn lifetime(&self) -> Lifetime {
        Lifetime {
            received_at_ms: self.received_at_ms,
            expires_at_ms: self.expires_at_ms,
        }
    }

    /// `true` from the refresh point on (see [`Lifetime::refresh_at`]); the refresh point is never
    /// after the expiry, so an expired token always needs a refresh.
    pub fn needs_refresh(&self, now_ms: f64, leeway_ms: f64) -> bool {
        now_ms >= self.lifetime().refresh_at(leeway_ms)
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
    pub fn to_value(&self) -> Value {
        Value::object(vec![
            ("v", Value::Num(SESSION_VERSION)),
            ("token", Value::Str(self.token.secret().into())),
            ("expiresAt", Value::Num(self.expires_at_ms)),
            ("customerId", Value::Str(self.customer_id.clone())),
        ])
    }

    /// Reads the stored document; `BadResponse` (status 0) on anything wrong. Never panics.
    pub fn from_value(v: &Value) -> Result<RebillySession, CoreError> {
        let v = stored(v)?;
        Ok(RebillySession {
            token: AccessToken::new(req_str(v, "token")?),
            expires_at_ms: req_time(v, "expiresAt")?,
            customer_id: String::from(req_str(v, "customerId")?),
        })
    }

    /// `true` once the token has expired.
    pub fn is_expired(&self, now_ms: f64) -> bool {
        now_ms >= self.expires_at_ms
    }
}
